# The differential suite's harness (compat_*.t): each case runs a glance
# plugin and its monitoring-plugins peer with the same arguments on the
# same target and asserts the same exit code and the same perfdata labels,
# except for the differences README.md lists in its table "Differences
# from monitoring-plugins", which this file reads:
#   | ID | peer plugin | exit  | GLANCE_RC | PEER_RC | why |  a case naming
#       ID must end with exactly these two exit codes;
#   | ID | peer plugin | label | `GLANCE_RE` | `PEER_RE` | why |  a label only
#       glance writes must match GLANCE_RE, one only the peer writes PEER_RE
#       (of a row of that peer), in every case ("-": none).
#
# compat_enter_netns "$0" "$@" comes first, before lib.sh: the test re-runs
# itself in a network namespace of its own with only a loopback, so peers
# that know only the standard ports (check_dns asks port 53) meet the
# test's servers there, and nothing can reach any other host.

compat_enter_netns() {
	[ -n "${GLANCE_COMPAT_NETNS:-}" ] && return 0
	if ! command -v unshare >/dev/null || ! unshare -n true 2>/dev/null; then
		echo "1..0 # SKIP needs unshare -n (root, or user namespaces)"
		exit 0
	fi
	local self=$1
	shift
	# COMPAT_UNSHARE=-m adds a mount namespace, for test mounts no one
	# else sees and that vanish with the test.
	exec unshare -n ${COMPAT_UNSHARE:-} env GLANCE_COMPAT_NETNS=1 bash -c \
		'ip link set lo up && exec bash "$0" "$@"' "$self" "$@"
}

PEERS=${GLANCE_PEERS:-/usr/lib/nagios/plugins}
_compat_readme=${SRC:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}/README.md

# compat_diff_rows: the table rows as ID<TAB>PEER<TAB>KIND<TAB>GLANCE<TAB>PEER
compat_diff_rows() {
	awk '
		/^#+ Differences from monitoring-plugins/ { on = 1; next }
		on && /^#/ { on = 0 }
		on && /^\| *D[0-9]+ *\|/ {
			line = $0
			gsub(/\\\|/, "\001", line)  # a "\|" inside a cell is a "|"
			split(line, f, "|")
			for (i = 2; i <= 6; i++) {
				gsub(/^ +| +$/, "", f[i])
				gsub(/^`|`$/, "", f[i])
				gsub(/\001/, "|", f[i])
			}
			printf "%s\t%s\t%s\t%s\t%s\n", f[2], f[3], f[4], f[5], f[6]
		}' "$_compat_readme"
}

# compat_labels OUTPUT: the perfdata labels, one a line, sorted.
compat_labels() {
	local line perf=""
	while IFS= read -r line; do
		[[ $line == *"|"* ]] && perf+=" ${line#*|}"
	done <<<"$1"
	grep -oE "('[^']*'|[^ ';]+)=" <<<"$perf" | sed "s/=\$//; s/^'//; s/'\$//" | sort -u
}

# _compat_allowed PEER COLUMN LABEL: true when a label row of PEER lets
# LABEL be written by one side only (COLUMN 4: glance's, 5: the peer's).
_compat_allowed() {
	local id peer kind g p re
	while IFS=$'\t' read -r id peer kind g p; do
		[ "$peer" = "$1" ] && [ "$kind" = label ] || continue
		re=$g
		[ "$2" = 5 ] && re=$p
		[ "$re" = - ] && continue
		[[ $3 =~ $re ]] && return 0
	done < <(compat_diff_rows)
	return 1
}

# compat_case ID GLANCE_PLUGIN "GLANCE ARGS" PEER "PEER ARGS" NAME: one case,
# two assertions (exit code, labels). Arguments are shell words.
compat_case() {
	local id=$1 gp=$2 gargs=$3 peer=$4 pargs=$5 name=$6
	local grc prc gout pout want_g="" want_p="" l bad=""
	eval "set -- $gargs"
	gout=$("$B/plugins/$gp" "$@" 2>"$T/stderr" </dev/null)
	grc=$?
	eval "set -- $pargs"
	pout=$("$PEERS/$peer" "$@" 2>"$T/stderr.peer" </dev/null)
	prc=$?
	if [ "$id" != - ]; then
		read -r want_g want_p < <(compat_diff_rows |
			awk -F'\t' -v id="$id" '$1 == id && $3 == "exit" { print $4, $5 }')
		[ -n "$want_g" ] || { ok 1 "$name: $id is not an exit row of README's table"; return; }
		is "$grc/$prc" "$want_g/$want_p" "$name: exit codes differ as $id documents"
	else
		is "$grc" "$prc" "$name: same exit code as $peer"
	fi
	local gl pl
	gl=$(compat_labels "$gout")
	pl=$(compat_labels "$pout")
	# A documented UNKNOWN is one side refusing the arguments: it writes
	# no perfdata, and there are no labels to compare.
	if [ "$want_g" = 3 ] || [ "$want_p" = 3 ]; then
		[ "$want_g" = 3 ] && is "$gl" "" "$name: glance refuses the arguments, no perfdata"
		[ "$want_g" = 3 ] || is "$pl" "" "$name: $peer refuses the arguments, no perfdata"
		return
	fi
	while IFS= read -r l; do
		[ -n "$l" ] && ! grep -qxF -- "$l" <<<"$pl" && ! _compat_allowed "$peer" 4 "$l" &&
			bad+=" glance-only:'$l'"
	done <<<"$gl"
	while IFS= read -r l; do
		[ -n "$l" ] && ! grep -qxF -- "$l" <<<"$gl" && ! _compat_allowed "$peer" 5 "$l" &&
			bad+=" $peer-only:'$l'"
	done <<<"$pl"
	is "${bad# }" "" "$name: same perfdata labels as $peer"
	if [ -n "$bad" ] || { [ "$id" = - ] && [ "$grc" != "$prc" ]; }; then
		printf '#   glance: %s\n#   %s: %s\n' "${gout%%$'\n'*}" "$peer" "${pout%%$'\n'*}"
	fi
}

# compat_cases: the case table on stdin, tab-separated fields:
# ID (or -), glance plugin, glance args, peer, peer args, name.
compat_cases() {
	local id gp ga peer pa name
	while IFS=$'\t' read -r id gp ga peer pa name; do
		[ -z "$id" ] || [ "${id#\#}" != "$id" ] && continue
		[ "$pa" = = ] && pa=$ga
		compat_case "$id" "$gp" "$ga" "$peer" "$pa" "$name"
	done
}

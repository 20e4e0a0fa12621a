#!/bin/bash
# 100 kill -9 at random moments of `glance run` (plugins running, their
# own children running, a render in progress): after each, the store
# passes integrity_check, the published site is a complete one, and no
# process the collector started survives it: not its plugins, not the
# children those plugins forked into their process group, not the guard
# that kills them.
. "$(dirname "$0")/../lib.sh"
G=$B/glance
ROUNDS=${KILL9_ROUNDS:-100}

mkdir -p "$T/bin"
# a plugin that leaves a child behind in its group: it answers only once
# the child has become a program of its own (not the shell's fork yet)
cat >"$T/bin/kid" <<KID
#!/bin/sh
sleep 30 &
echo "\$\$ \$!" >>"$T/pids"
until [ "\$(cat /proc/\$!/comm 2>/dev/null)" = sleep ]; do :; done
echo "KID OK - child \$!|kids=1"
KID
chmod +x "$T/bin/kid"
{
	printf '[site]\ntitle = Kill 9\noutput = public\nstate = glance.db\n'
	printf 'path = %s/bin\nparallel = 8\nrender_every = 1\nflap_min = 0\n' "$T"
	printf '[defaults]\ninterval = 2\nretry = 2\nattempts = 1\ntimeout = 1\n'
	printf '[system S]\n'
	for i in $(seq 1 12); do printf '[check S/kid%d]\ncommand = kid\n' "$i"; done
} >"$T/k.conf"

# the store passes integrity_check; the site is whole (index.html ends,
# status.json parses) or was never published
verify() {
	local site=absent
	if [ -e "$T/public" ]; then
		site=torn
		[ "$(tail -c 8 "$T/public/index.html" | tr -d '\n')" = "</html>" ] &&
			jq -e . "$T/public/status.json" >/dev/null && site=whole
	fi
	echo "$(sqlite3 -cmd '.timeout 5000' "$T/glance.db" 'PRAGMA integrity_check' 2>&1) $site"
}

alive() { # PID: running and not a zombie
	local st
	st=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)
	[ -n "$st" ] && [ "$st" != Z ]
}
none_alive() {
	local p
	for p in "$@"; do alive "$p" && return 1; done
	return 0
}

bad_db=0 bad_site=0 survivors=0 sites=0 children=0
for round in $(seq "$ROUNDS"); do
	"$G" run -q -c "$T/k.conf" 2>>"$T/err" &
	pid=$!
	# the random moment: mostly while the first plugins run, else around
	# the first render (a second after the first results)
	if [ $((RANDOM % 10)) -lt 7 ]; then cs=$((RANDOM % 30 + 2)); else cs=$((RANDOM % 50 + 90)); fi
	sleep "$((cs / 100)).$(printf '%02d' $((cs % 100)))"
	kids=$(cat "/proc/$pid/task/$pid/children" 2>/dev/null)
	kill -9 "$pid"
	wait "$pid" 2>/dev/null
	children=$((children + $(echo $kids | wc -w)))
	v=$(verify)
	[ "${v%% *}" = ok ] || { bad_db=$((bad_db + 1)); echo "# round $round: store: $v"; }
	case $v in
	*" whole") sites=$((sites + 1)) ;;
	*" absent") ;;
	*) bad_site=$((bad_site + 1)) && echo "# round $round: site: $v" ;;
	esac
	# every plugin, plugin child and the guard of this round must go
	# shellcheck disable=SC2046,SC2086
	set -- $kids $(cut -d' ' -f1,2 "$T/pids" 2>/dev/null)
	if ! wait_for 5 none_alive "$@"; then
		for p in "$@"; do
			alive "$p" || continue
			survivors=$((survivors + 1))
			echo "# round $round: survivor $p: $(tr '\0' ' ' <"/proc/$p/cmdline")"
		done
		kill -9 "$@" 2>/dev/null
	fi
	: >"$T/pids"
done

is "$bad_db" 0 "$ROUNDS kill -9: no integrity_check failure"
is "$bad_site" 0 "$ROUNDS kill -9: no incomplete site"
is "$survivors" 0 "$ROUNDS kill -9: no plugin, plugin child or guard survives"
ok "$([ "$sites" -gt $((ROUNDS / 5)) ]; echo $?)" "kills came after the site was published ($sites)"
ok "$([ "$children" -gt "$ROUNDS" ]; echo $?)" "kills hit running plugins ($children children seen)"
run "$G" run --once -c "$T/k.conf"
is "$rc" 0 "run --once on the same files after the kills: exit 0"
is "$(sqlite3 "$T/glance.db" "SELECT count(DISTINCT service) FROM services")" 12 \
	"all 12 checks have results"
is "$(grep -v '^$' "$T/err")" "" "no collector logged an error before it was killed"
done_testing

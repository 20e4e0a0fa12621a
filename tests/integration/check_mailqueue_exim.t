#!/bin/bash
# check_mailqueue -M exim against Debian's real Exim, run from a private
# directory (tests/exim.sh) with its own config and spool: messages queued
# with -odq, one frozen (-Mf), one recipient marked delivered (-Mmd), a
# bounce with the null sender; exact totals, split, recipient-domain and
# sender counts, the oldest age from the message ids; a user Exim refuses
# (queue_list_requires_admin). Debian 12 ships Exim 4.96, whose ids are the
# old 6-6-2 ones, so the 4.97 id layout is checked on a listing in that
# layout (tests/unit/mailq.c has the same).
if [ -z "${GLANCE_EXIM_NS:-}" ]; then
	if [ "$(id -u)" != 0 ]; then
		echo "Bail out! check_mailqueue_exim.t needs root (unshare -m, bind mounts)"
		exit 1
	fi
	GLANCE_EXIM_NS=1 exec unshare -m --propagation private bash "$0" "$@"
fi
. "$(dirname "$0")/../lib.sh"
. "$SRC/tests/exim.sh"

C=$B/plugins/check_mailqueue
ex_fetch || skip_all "no Exim binary: $EX_WHY"
ex_user || { echo "Bail out! cannot add the Debian-exim user in the namespace"; exit 1; }
ex_setup "$T/ex"
M=(-M exim --tool "$EXIM" --config-dir "$EX_CONF")

q() { # FROM TO...
	local from=$1
	shift
	printf 'Subject: queue test\n\nhello\n' | exim_q -odq -f "$from" "$@"
}
id_of() { # the id of the Nth message in exim -bpr order of arrival
	exim_q -bpr | awk '/^ *[0-9]+[mhd] /{print $3}' | sort | sed -n "${1}p"
}

run "$C" "${M[@]}"
is "$rc/$first" "0/MAILQ OK - 0 messages|unsent=0;;;0 deferred=0;;;0 active=0;;;0 hold=0;;;0 incoming=0;;;0 oldest=U;;;0 top_rcpt_domain=0;;;0 top_sender=0;;;0 top_sender_domain=0;;;0" \
	"exim: an empty queue"

for i in 1 2 3; do q bob@example.net "a$i@remote.example" "z$i@other.example"; done
q carol@isp.example c@third.example
q '<>' postmaster@remote.example
n=$(exim_q -bpc)
is "$n" 5 "five messages queued in the private Exim"
exim_q -Mf "$(id_of 4)" >/dev/null
exim_q -Mmd "$(id_of 1)" z1@other.example >/dev/null
like "$(exim_q -bpr)" "\*\*\* frozen \*\*\*" "one message frozen"
like "$(exim_q -bpr)" $'\n +D z1@other.example' "one recipient marked delivered"

# The age from the oldest id's first six base-62 digits (its arrival).
age=$(exim_q -bpr | awk '/^ *[0-9]+[mhd] /{print $3}' | python3 -c '
import sys, time
a = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
t = min(sum(a.index(c) * 62 ** (5 - i) for i, c in enumerate(l[:6])) for l in sys.stdin)
print(int(time.time()) - t)')
run "$C" "${M[@]}" -w 5 -c 10 --hold-warning 0
is "$rc" 1 "exim: the frozen message trips --hold-warning 0"
like "$first" "^MAILQ WARNING - 5 messages \(deferred 4, hold 1\), oldest ($age|$((age + 1)))s, top recipient domain remote.example 4, top sender bob@example.net 3\|unsent=5;4;9;0 deferred=4;;;0 active=0;;;0 hold=1;0;;0 incoming=0;;;0 oldest=($age|$((age + 1)))s;;;0 top_rcpt_domain=4;;;0 top_sender=3;;;0 top_sender_domain=3;;;0\$" \
	"exim: totals, frozen as hold, age from the ids, top domain and sender"
is "$(sed -n 2,4p <<<"$out")" "top recipient domains: remote.example 4, other.example 2, third.example 1
top senders: bob@example.net 3, <> 1, carol@isp.example 1
top sender domains: example.net 3, <> 1, isp.example 1" \
	"exim: delivered recipients not counted, the bounce's sender is <>"
run "$C" "${M[@]}" -W 3 -C 4
is "$rc" 2 "exim: -C 4 with 4 messages to remote.example: CRITICAL"

# check_mailq -M exim runs /usr/bin/mailq and nothing else: in this mount
# namespace that is our Exim's `exim -bp`.
printf '#!/bin/sh\nexec %s -C %s -bp\n' "$EXIM" "$EX_CONF" >"$T/mailq-exim"
chmod +x "$T/mailq-exim"
MP=/usr/lib/nagios/plugins/check_mailq
if [ -x "$MP" ] && mount --bind "$T/mailq-exim" /usr/bin/mailq; then
	run "$MP" -M exim -w 10 -c 20
	is "$first" "OK: exim mailq (5) is below threshold (10/20)|unsent=5;10;20;0" \
		"check_mailq counts the same 5 on Exim 4.96 ids"
	have_mp=1
else
	ok 0 "# skip check_mailq or the bind mount over /usr/bin/mailq is not available"
	have_mp=0
fi

# ---- a user Exim refuses ----
run setpriv --reuid=65534 --regid=65534 --clear-groups "$C" "${M[@]}"
is "$rc" 3 "exim: a non-admin user: UNKNOWN"
is "$first" "MAILQ UNKNOWN - $EXIM refused to list the queue for user nobody (exim: permission denied): set queue_list_requires_admin = false in the Exim configuration, or make nobody an Exim admin user (admin_groups)" \
	"exim: refused, with what to grant"

# Allowed to list, but Exim gives up its privileges for a -C file that is
# not trusted and then lists the unreadable spool as empty, exit 0.
sed -i 's/^begin routers$/queue_list_requires_admin = false\n&/' "$EX_CONF"
is "$(setpriv --reuid=65534 --regid=65534 --clear-groups "$EXIM" -C "$EX_CONF" -bpc)" 0 \
	"exim itself says 0 to that user"
run setpriv --reuid=65534 --regid=65534 --clear-groups "$C" "${M[@]}"
is "$rc" 3 "exim's empty listing from an unreadable spool: UNKNOWN, not a silent zero"
is "$first" "MAILQ UNKNOWN - exim -C $EX_CONF lists an empty queue but cannot read $T/ex/spool/input: Exim drops its privileges for a -C file not in TRUSTED_CONFIG_LIST, so the count says nothing; list the file there or leave out --config-dir" \
	"unreadable spool: reason"
chmod 755 "$T/ex/spool/input"
run setpriv --reuid=65534 --regid=65534 --clear-groups "$C" "${M[@]}"
is "$rc/$first" "3/MAILQ UNKNOWN - cannot use the exim listing: line 2: Exim cannot read the spool (spool read error: Permission denied)" \
	"a spool directory the user can read, its files not: UNKNOWN with Exim's reason"

# ---- Exim 4.97 and later: 6-11-4 ids (1vNYyu is 1764000000) ----
cat >"$T/exim497.txt" <<-'EOF'
	 3h   312 1vNYyu-00000000Hz4-0AbC <bob@example.net>
	          x@remote.example
	
	 2h  1.1K 1vNZuy-000000001aB-00Zz <carl@example.org> *** frozen ***
	          y@remote.example
	          z@third.example
	
EOF
printf '#!/bin/sh\nexec cat %s\n' "$T/exim497.txt" >"$T/exim497"
chmod +x "$T/exim497"
run "$C" -M exim --tool "$T/exim497"
like "$first" "^MAILQ OK - 2 messages \(deferred 1, hold 1\), oldest [0-9]+d[0-9]+h, top recipient domain remote.example 2, top sender bob@example.net 1\|" \
	"exim 4.97 ids: both messages counted"
if [ "$have_mp" = 1 ]; then
	cp "$T/exim497" "$T/mailq-exim"
	run "$MP" -M exim -w 1 -c 2
	is "$first" "OK: exim mailq (0) is below threshold (1/2)|unsent=0;1;2;0" \
		"check_mailq counts none of the 4.97 ids (its known bug), on the same listing"
else
	ok 0 "# skip check_mailq comparison"
fi

# ---- exim that is not there ----
run "$C" -M exim --tool "$T/no-exim"
is "$rc/$first" "3/MAILQ UNKNOWN - cannot run $T/no-exim: No such file or directory" "exim missing: UNKNOWN"

done_testing

#!/bin/bash
# check_mailqueue against a private Postfix whose relay is a closed port on
# loopback, so every message it is given is deferred: exact totals, queue
# split, recipient-domain and sender counts, the oldest age (from
# arrival_time: the deferred files' mtimes lie in the future), the hold
# queue via postsuper -h, growth between two runs through the state file,
# the sendmail-compatible mailq path, check_mailq's count on the same
# queue, a user postqueue refuses, and the failures: bad arguments, a
# missing tool, a tool that hangs past -t.
#
# It runs in a private mount namespace: an unprivileged postqueue accepts
# -c DIR only when the default main.cf lists DIR in
# alternate_config_directories, and that file is ours only there.
if [ -z "${GLANCE_MQ_NS:-}" ]; then
	if [ "$(id -u)" != 0 ]; then
		echo "Bail out! check_mailqueue.t needs root (Postfix and unshare -m)"
		exit 1
	fi
	GLANCE_MQ_NS=1 exec unshare -m --propagation private bash "$0" "$@"
fi
. "$(dirname "$0")/../lib.sh"
. "$SRC/tests/postfix.sh"

C=$B/plugins/check_mailqueue
D=$T/pf
PORT=$(free_port)
CLOSED=$(free_port)
pf_setup "$D" "$PORT"
echo "smtp unix - - n - - smtp" >>"$D/master.cf"
# Deferred on the first try, and no retry while the test runs.
postconf -c "$D" -e "default_transport = smtp" "relayhost = [127.0.0.1]:$CLOSED" \
	"minimal_backoff_time = 3600s" "maximal_backoff_time = 7200s" "queue_run_delay = 3600s" \
	"smtp_connect_timeout = 2s"
cp -a /etc/postfix "$T/etc-postfix"
printf 'alternate_config_directories = %s\n' "$D" >"$T/etc-postfix/main.cf"
mount --bind "$T/etc-postfix" /etc/postfix || { echo "Bail out! cannot bind /etc/postfix"; exit 1; }
pf_start "$D" || { echo "Bail out! Postfix did not start"; exit 1; }

# inject FROM TO...: one message through Postfix's sendmail.
inject() {
	local from=$1
	shift
	printf 'Subject: queue test\n\nhello\n' | sendmail -C "$D" -f "$from" "$@"
}

# wait_deferred N [TOTAL]: until postqueue lists N deferred messages of
# TOTAL (default N).
wait_deferred() {
	local n
	for _ in $(seq 1 100); do
		n=$(postqueue -c "$D" -j | grep -c '"queue_name": "deferred"')
		[ "$n" = "$1" ] && [ "$(postqueue -c "$D" -j | wc -l)" = "${2:-$1}" ] && return 0
		sleep 0.1
	done
	echo "# only $n of $1 messages deferred"
	return 1
}

# The age check_mailqueue must report now: from the oldest arrival_time.
expected_age() {
	postqueue -c "$D" -j | python3 -c '
import json, sys, time
print(int(time.time()) - min(json.loads(l)["arrival_time"] for l in sys.stdin))'
}

# ---- an empty queue ----
run "$C" --config-dir "$D" -w 10 -c 20
is "$rc" 0 "empty queue: OK"
is "$first" "MAILQ OK - 0 messages|unsent=0;9;19;0 deferred=0;;;0 active=0;;;0 hold=0;;;0 incoming=0;;;0 oldest=U;;;0 top_rcpt_domain=0;;;0 top_sender=0;;;0 top_sender_domain=0;;;0" \
	"empty queue: status line and perfdata"

# ---- an outbreak: bob sends to many at remote.example ----
for i in 1 2 3 4 5 6 7 8; do
	if [ "$i" -le 2 ]; then inject bob@example.net "a$i@remote.example" "z$i@other.example"
	else inject bob@example.net "a$i@remote.example" "b$i@Remote.Example"; fi
done
for i in 1 2 3; do inject carol@isp.example "c$i@other.example"; done
inject eve@example.net x@third.example
ok "$(wait_deferred 12; echo $?)" "12 messages injected and deferred"
f=$(find "$T/pf.var/spool/deferred" -type f | head -n 1)
ok "$([ "$(stat -c %Y "$f")" -gt "$(date +%s)" ]; echo $?)" "a deferred file's mtime lies in the future (the next retry)"

age=$(expected_age)
run "$C" --config-dir "$D" -w 10 -c 20
is "$rc" 1 "12 messages, -w 10: WARNING"
# The age may have moved on by a second between the two reads.
like "$first" "^MAILQ WARNING - 12 messages \(deferred 12\), oldest ($age|$((age + 1)))s, top recipient domain remote.example 8, top sender bob@example.net 8\|unsent=12;9;19;0 deferred=12;;;0 active=0;;;0 hold=0;;;0 incoming=0;;;0 oldest=($age|$((age + 1)))s;;;0 top_rcpt_domain=8;;;0 top_sender=8;;;0 top_sender_domain=9;;;0\$" \
	"outbreak: totals, oldest age from arrival_time, top domain and sender"
is "$(sed -n 2,4p <<<"$out")" "top recipient domains: remote.example 8, other.example 5, third.example 1
top senders: bob@example.net 8, carol@isp.example 3, eve@example.net 1
top sender domains: example.net 9, isp.example 3" "outbreak: long output with the counts per domain and sender"

run "$C" --config-dir "$D" -w 20 -c 30 -W 5 -C 8
is "$rc" 2 "-C 8 with 8 messages to remote.example: CRITICAL (check_mailq counts at or above)"
like "$first" "top_rcpt_domain=8;4;7;0 " "-W/-C: thresholds on the recipient-domain perfdata"
run "$C" --config-dir "$D" --sender-warning 5 --sender-critical 7 --sender-domain-critical 100
is "$rc" 2 "--sender-critical 7 with bob at 8: CRITICAL"
like "$first" "top_sender=8;5;7;0 top_sender_domain=9;;100;0\$" "sender thresholds in the perfdata"
run "$C" --config-dir "$D" --deferred-warning 11 --active-critical 0 --incoming-critical 0 --hold-critical 0
is "$rc" 1 "--deferred-warning 11 with 12 deferred: WARNING"
run "$C" --config-dir "$D" --age-critical 3600 --age-warning 600
is "$rc" 0 "a young queue passes --age thresholds"
like "$first" " oldest=[0-9]+s;600;3600;0 " "age thresholds in the perfdata"
run "$C" --config-dir "$D" --age-warning @0:
is "$rc" 1 "--age-warning @0: alerts on any age"

# ---- the hold queue ----
id=$(postqueue -c "$D" -j | python3 -c '
import json, sys
for l in sys.stdin:
    m = json.loads(l)
    if m["sender"] == "eve@example.net": print(m["queue_id"])')
postsuper -c "$D" -h "$id" 2>/dev/null
run "$C" --config-dir "$D" --hold-warning 0
is "$rc" 1 "one message held, --hold-warning 0: WARNING"
like "$first" "^MAILQ WARNING - 12 messages \(deferred 11, hold 1\), " "hold: the split in the summary"
like "$first" " deferred=11;;;0 active=0;;;0 hold=1;0;;0 " "hold: perfdata"

# ---- the same queue through mailq, and through check_mailq ----
run "$C" -M sendmail --tool /usr/bin/mailq --config-dir "$D"
is "$rc" 0 "sendmail-compatible mailq (postfix's): OK"
like "$first" "^MAILQ OK - 12 messages \(deferred 11, hold 1\), oldest [0-9]+s, top recipient domain remote.example 8, top sender bob@example.net 8\|" \
	"mailq: the same counts as postqueue -j"
run /usr/lib/nagios/plugins/check_mailq -M postfix -w 20 -c 30 -d "$D"
like "$first" "^OK: postfix mailq \(12\) is below threshold" "check_mailq counts the same 12"

# ---- growth between runs ----
S=$T/state/mq.state
mkdir -p "$T/state"
run "$C" --config-dir "$D" --state-file "$S"
is "$rc" 0 "first run with a state file: OK"
is "$(sed -n 2p <<<"$out")" "growth: first run ($S: No such file or directory)" "first run: said so"
like "$first" " top_sender_domain=9;;;0 growth=U\$" "first run: growth unknown in perfdata"
like "$(cat "$S")" "^glance-mailqueue-state 1 [0-9]+ 12\$" "the state file holds the time and total"
# Ten minutes earlier, and six more messages since.
read -r _ _ t n <"$S"
printf 'glance-mailqueue-state 1 %s %s\n' "$((t - 600))" "$n" >"$S"
for i in 1 2 3 4 5 6; do inject bob@example.net "late$i@remote.example"; done
ok "$(wait_deferred 17 18; echo $?)" "six more deferred (one held)"
run "$C" --config-dir "$D" --state-file "$S" --growth-warning 0.5
is "$rc" 1 "6 messages in 10 minutes, --growth-warning 0.5: WARNING"
like "$first" "^MAILQ WARNING - 18 messages \(deferred 17, hold 1\), .*, growth 0.6/min\|.* growth=0.6;0.5\$" \
	"growth 0.6 messages per minute, in summary and perfdata"
like "$(cat "$S")" " 18\$" "state file updated"
echo "garbage" >"$S"
run "$C" --config-dir "$D" --state-file "$S"
is "$rc" 0 "a corrupt state file: a first run, no crash"
is "$(sed -n 2p <<<"$out")" "growth: first run ($S: not a check_mailqueue state file)" "corrupt state: said so"
run "$C" --config-dir "$D" --state-file "$T/no/such/dir/state"
is "$rc" 3 "a state file that cannot be written: UNKNOWN"
like "$out" $'\nUNKNOWN: cannot write state file '"$T"'/no/such/dir/state: No such file or directory' \
	"unwritable state: the reason"

# ---- permissions ----
postconf -c "$D" -e "authorized_mailq_users = root"
run setpriv --reuid=65534 --regid=65534 --clear-groups "$C" --config-dir "$D"
is "$rc" 3 "a user postqueue refuses: UNKNOWN"
is "$first" "MAILQ UNKNOWN - /usr/sbin/postqueue refused to list the queue for user nobody (postqueue: fatal: User nobody(65534) is not allowed to view the mail queue): add nobody to authorized_mailq_users in main.cf" \
	"refused: what to grant"
postconf -c "$D" -e "authorized_mailq_users = static:anyone"
run setpriv --reuid=65534 --regid=65534 --clear-groups "$C" --config-dir "$D" -w 100
is "$rc" 0 "once granted, the same user sees the queue"
like "$first" "^MAILQ OK - 18 messages " "granted: counts"

# ---- failures ----
run "$C" --tool "$T/nonexistent/postqueue"
is "$rc" 3 "a missing tool: UNKNOWN"
is "$out" "MAILQ UNKNOWN - cannot run $T/nonexistent/postqueue: No such file or directory" \
	"missing tool: one line"
printf '#!/bin/sh\nexec sleep 30\n' >"$T/hang"
chmod +x "$T/hang"
elapsed_ms "$C" -M postfix --tool "$T/hang" -t 1
is "$rc" 2 "a tool that hangs: the -t state (CRITICAL)"
is "$first" "MAILQ CRITICAL - $T/hang did not finish within 1 s" "hang: status line"
ok "$([ "$ms" -lt 1500 ]; echo $?)" "hang: ended within -t ($ms ms)"
elapsed_ms "$C" -M postfix --tool "$T/hang" -t 1:ok
is "$rc" 3 "-t 1:ok: a timeout is never OK"
printf '#!/bin/sh\necho "Mail queue is empty"\n' >"$T/textq"
chmod +x "$T/textq"
run "$C" -M postfix --tool "$T/textq"
is "$rc" 3 "postqueue -j printing text: UNKNOWN, not an empty queue"
like "$first" "^MAILQ UNKNOWN - cannot use the postqueue listing: line 1: not JSON: " "text: reason"
run "$C" -M qmail
is "$rc" 3 "-M qmail: UNKNOWN"
is "$first" "MAILQ UNKNOWN - -M: 'qmail' is not postfix, exim or sendmail" "-M qmail: reason"
run "$C" --age-warning 10:5
is "$rc" 3 "a bad range: UNKNOWN"
like "$first" "^MAILQ UNKNOWN - --age-warning: " "bad range: names the option"
run "$C" -w ten
is "$rc" 3 "-w ten: UNKNOWN"
run "$C" --tool postqueue
is "$first" "MAILQ UNKNOWN - --tool: 'postqueue' must be an absolute path" "--tool needs an absolute path"
run "$C" --snmp
is "$first" "MAILQ UNKNOWN - SNMP mode needs -H HOST" "--snmp without -H"
is "$(cat "$T/stderr")" "" "nothing on stderr"

done_testing

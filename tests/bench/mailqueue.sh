#!/bin/bash
# glance's check_mailqueue beside monitoring-plugins' check_mailq on mail
# queues of 100, 10k and 100k messages, with the queue tool alone
# (`postqueue -j`) beside them: the floor for any check that reads the
# queue.
#
# 100 and 10k: a private Postfix (tests/postfix.sh) that holds every
# message it accepts, filled over one SMTP session. 100k: a generated
# `postqueue -j` stream (and the same queue in mailq's format for
# check_mailq, bind-mounted over /usr/bin/mailq in a private mount
# namespace, since check_mailq runs that path and no other). A benchmark
# reports; it never fails the build.
if [ -z "${GLANCE_MQB_NS:-}" ] && [ "$(id -u)" = 0 ]; then
	GLANCE_MQB_NS=1 exec unshare -m --propagation private bash "$0" "$@"
fi
. "$(dirname "$0")/lib.sh"
. "$SRC/tests/postfix.sh"

C=$B/plugins/check_mailqueue
MP=$MP/check_mailq
# one warm-up run: at 100k messages a run is seconds
WARMUP=1
if [ "$(id -u)" != 0 ] || [ ! -x "$C" ] || [ ! -x "$MP" ]; then
	skip "check_mailqueue" "needs root (a private Postfix), $C and $MP"
	exit 0
fi

# report LABEL BASE_CMD -- GLANCE_CMD -- PEER_CMD: the three side by side
# (the queue tool alone is the floor of any check that reads the queue);
# sets BASE_MS and GLANCE_MS.
report() {
	local label=$1
	shift
	local base=() gl=() mp=()
	while [ "$1" != -- ]; do base+=("$1"); shift; done
	shift
	while [ "$1" != -- ]; do gl+=("$1"); shift; done
	shift
	mp=("$@")
	bench "check_mailqueue, $label messages" $((n <= 100 ? 20 : n <= 10000 ? 5 : 3)) \
		"glance check_mailqueue" "${gl[@]}" :: "m-p check_mailq" "${mp[@]}" :: \
		"queue tool alone" "${base[@]}"
	BASE_MS=$(result_ms "check_mailqueue, $label messages" "queue tool alone")
	GLANCE_MS=$(result_ms "check_mailqueue, $label messages" "glance check_mailqueue")
	[ "$BASE_MS" -gt 0 ] || BASE_MS=1
}

# ---- a real Postfix queue: 100 and 10k held messages ----
D=$T/pf
PORT=$(free_port)
pf_setup "$D" "$PORT"
postconf -c "$D" -e "smtpd_client_restrictions = check_client_access static:HOLD"
pf_start "$D" || { skip "check_mailqueue" "Postfix did not start"; exit 0; }
fill() { # up to N messages in the queue: 10 senders, 20 recipient domains
	python3 - "$PORT" "$1" "$(postqueue -c "$D" -j | wc -l)" <<-'EOF'
		import smtplib, sys
		port, want, have = (int(a) for a in sys.argv[1:])
		s = smtplib.SMTP("127.0.0.1", port)
		for i in range(have, want):
		    s.sendmail("u%d@s%d.example" % (i % 10, i % 3), ["r%d@d%d.example" % (i, i % 20)],
		               "Subject: bench\r\n\r\nx\r\n")
		s.quit()
	EOF
	for _ in $(seq 1 600); do
		[ "$(postqueue -c "$D" -j | wc -l)" -ge "$1" ] && return 0
		sleep 0.2
	done
	return 1
}
for n in 100 10000; do
	fill "$n" || { skip "check_mailqueue, $n" "the queue did not reach $n"; exit 0; }
	report "postfix queue, $n" postqueue -c "$D" -j -- "$C" --config-dir "$D" -- \
		"$MP" -M postfix -w 1000000 -c 2000000 -d "$D"
done
pf_stop "$D"
PQ_US=$((BASE_MS * 1000 / 10000)) # postqueue -j per message, at 10k

# ---- 100k messages: generated listings ----
python3 - "$T" 100000 <<-'EOF'
	import sys, time
	d, n = sys.argv[1], int(sys.argv[2])
	now = int(time.time())
	with open(d + "/q.json", "w") as j, open(d + "/q.mailq", "w") as m:
	    m.write("-Queue ID-  --Size-- ----Arrival Time---- -Sender/Recipient-------\n")
	    for i in range(n):
	        t = now - 60 * (i % 600)
	        snd, rcpt = "u%d@s%d.example" % (i % 10, i % 3), "r%d@d%d.example" % (i, i % 20)
	        j.write('{"queue_name": "deferred", "queue_id": "%010X", "arrival_time": %d, '
	                '"message_size": 2048, "forced_expire": false, "sender": "%s", '
	                '"recipients": [{"address": "%s", "delay_reason": "connect to '
	                '127.0.0.9[127.0.0.9]:25: Connection refused"}]}\n' % (i, t, snd, rcpt))
	        m.write("%010X    2048 %s  %s\n(connect to 127.0.0.9[127.0.0.9]:25: Connection "
	                "refused)\n                                         %s\n\n"
	                % (i, time.strftime("%a %b %e %H:%M:%S", time.localtime(t)), snd, rcpt))
	    m.write("-- %d Kbytes in %d Requests.\n" % (2 * n, n))
EOF
printf '#!/bin/sh\nexec cat %s\n' "$T/q.json" >"$T/postqueue"
printf '#!/bin/sh\nexec cat %s\n' "$T/q.mailq" >"$T/mailq"
chmod +x "$T/postqueue" "$T/mailq"
if ! mount --bind "$T/mailq" /usr/bin/mailq; then
	skip "check_mailqueue, 100000" "cannot bind-mount over /usr/bin/mailq"
	exit 0
fi
n=100000
report "generated stream, 100000" "$T/postqueue" -- "$C" -M postfix --tool "$T/postqueue" -- \
	"$MP" -M postfix -w 1000000 -c 2000000
# cat is no postqueue: compare what the check adds per message with what
# the real postqueue -j took per message above.
add_us=$(((GLANCE_MS - BASE_MS) * 1000 / n))
printf '  100k: check_mailqueue adds %d us per message to the stream; postqueue -j itself took %d us\n' \
	"$add_us" "$PQ_US"
printf '  per message at 10k, so on a real 100k queue the check would take about x%s of postqueue -j alone\n' \
	"$(echo "scale=2; ($PQ_US + $add_us) / $PQ_US" | bc)"
exit 0

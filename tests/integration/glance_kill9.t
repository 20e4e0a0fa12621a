#!/bin/bash
# kill -9 at random moments while `glance run` checks, records and
# renders: every result committed before the kill is still there, the
# database passes integrity_check, and the published site is always a
# complete one. Then the collector starts again on the same files.
. "$(dirname "$0")/../lib.sh"
G=$B/glance
MP=/usr/lib/nagios/plugins

mkdir -p "$T/bin"
# a check that changes state every run, so HARD changes (and renders) keep coming
cat >"$T/bin/flip" <<EOF
#!/bin/sh
n=\$(( \$(cat "$T/n" 2>/dev/null || echo 0) + 1 ))
echo \$n >"$T/n"
if [ \$((n % 2)) = 0 ]; then echo "FLIP OK - run \$n|n=\$n"; exit 0; fi
echo "FLIP CRITICAL - run \$n|n=\$n"; exit 2
EOF
chmod +x "$T/bin/flip"
{
	printf '[site]\ntitle = Kill test\noutput = public\nstate = glance.db\n'
	printf 'path = %s/bin:%s\nparallel = 8\nrender_every = 1\nflap_min = 0\n' "$T" "$MP"
	printf '[defaults]\ninterval = 2\nretry = 2\nattempts = 1\ntimeout = 1\n'
	printf '[system S0]\nping = PING\n[check S0/PING]\ncommand = flip\n'
	for i in $(seq 1 24); do
		printf '[check S0/svc%d]\ncommand = check_dummy 0 "service %d"\n' "$i" "$i"
	done
	printf '[system S1]\n[check S1/web]\ncommand = check_dummy 1 slow\n'
} >"$T/k.conf"

q() { sqlite3 "$T/glance.db" "$1" 2>/dev/null; }
site_ok() {
	local idx="$T/public/index.html"
	[ -f "$idx" ] && [ "$(tail -c 8 "$idx" | tr -d '\n')" = "</html>" ] &&
		python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$T/public/status.json"
	echo $?
}

start() {
	"$G" run -q -c "$T/k.conf" 2>>"$T/err" &
	pid=$!
	track $pid
}

start
for _ in $(seq 100); do [ "$(site_ok)" = 0 ] && break; sleep 0.1; done
is "$(site_ok)" 0 "the running collector published a complete site"

run "$G" notice add -c "$T/k.conf" --system S0 --title "Before the crash" --body "kept"
is "$rc" 0 "a notice added while the collector runs (WAL: no lock-out)"

prev=0
for round in 1 2 3 4 5 6; do
	sleep "0.$((RANDOM % 9 + 1))"
	before=$(q "SELECT count(*) FROM results")
	kill -9 $pid
	wait $pid 2>/dev/null
	after=$(q "SELECT count(*) FROM results")
	ok "$([ "$before" -gt "$prev" ] && [ "$after" -ge "$before" ]; echo $?)" \
		"round $round: results committed before kill -9 are all there ($before <= $after)"
	is "$(q "PRAGMA integrity_check")" "ok" "round $round: integrity_check ok"
	is "$(site_ok)" 0 "round $round: the published site is complete"
	prev=$after
	start
	# the new collector is running: it has recorded a result of its own
	for _ in $(seq 100); do [ "$(q "SELECT count(*) FROM results")" -gt "$after" ] && break; sleep 0.1; done
done
kill -9 $pid
wait $pid 2>/dev/null

# a plugin running when its collector is killed goes with it
printf '#!/bin/sh\necho $$ >"%s/slow.pid"\nexec sleep 30\n' "$T" >"$T/bin/slow"
chmod +x "$T/bin/slow"
printf '[site]\nstate = slow.db\noutput = slow\npath = %s/bin\n' "$T" >"$T/slow.conf"
printf '[system S2]\n[check S2/slow]\ncommand = slow\ntimeout = 60\ninterval = 120\n' >>"$T/slow.conf"
"$G" run -q -c "$T/slow.conf" &
pid=$!
track $pid
for _ in $(seq 50); do [ -s "$T/slow.pid" ] && break; sleep 0.1; done
kill -9 $pid
wait $pid 2>/dev/null
# dead: gone, or a zombie nobody reaps (an init that does not wait)
dead() { local st; st=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null); [ -z "$st" ] || [ "$st" = Z ]; }
for _ in $(seq 100); do dead "$(cat "$T/slow.pid")" && break; sleep 0.1; done
ok "$([ -s "$T/slow.pid" ] && dead "$(cat "$T/slow.pid")"; echo $?)" \
	"a plugin still running when the collector is killed -9 is killed too"

is "$(q "SELECT body FROM notices WHERE title = 'S0: Before the crash'")" "kept" "the notice survived"
is "$(q "SELECT count(*) FROM svc_intervals WHERE end IS NULL GROUP BY system, service HAVING count(*) > 1")" "" \
	"each check has at most one open HARD state interval"
is "$(q "SELECT count(*) FROM services s WHERE has_hard AND NOT EXISTS (SELECT 1 FROM svc_intervals i WHERE i.system = s.system AND i.service = s.service AND i.end IS NULL AND i.state = s.hard_state AND i.start = s.hard_since)")" 0 \
	"and it agrees with the check's current HARD state (the history a status is rebuilt from)"
run "$G" run --once -c "$T/k.conf"
is "$rc" 0 "run --once after the crashes: exit 0"
is "$(q "SELECT count(DISTINCT service) FROM services")" 26 "all 26 checks have results"
is "$(site_ok)" 0 "and the site is complete"
is "$(cat "$T/err")" "" "the collectors logged no error before they were killed"
done_testing

#!/bin/bash
# glance run --once against real plugins: glance's check_ping, the
# monitoring-plugins' check_tcp and check_dummy against a TCP listener the
# test starts, and scripts that hang, crash, print garbage or too much.
# Then soft/hard states, outage notices with exact durations, operator
# notices and maintenance windows through --now, check-config, and the
# long-running loop with SIGHUP and SIGTERM.
. "$(dirname "$0")/../lib.sh"
G=$B/glance
MP=/usr/lib/nagios/plugins
q() { sqlite3 -separator '|' "$T/glance.db" "$1"; }
svc() { q "SELECT state, hard, attempt, output FROM services WHERE system='$1' AND service='$2'"; }

# --- a TCP service on loopback, and misbehaving plugins ---------------------
port=$(free_port)
closed=$(free_port)
python3 -c '
import socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(16)
while True:
    c, _ = s.accept()
    try: c.sendall(b"220 relay.example.net ESMTP\r\n")
    except OSError: pass
    c.close()' "$port" &
track $!
wait_port "$port" || echo "# listener did not start"

mkdir -p "$T/bin"
cat >"$T/bin/hang" <<EOF
#!/bin/sh
echo "about to hang"
echo \$\$ >"$T/hang.pid"
exec sleep 60
EOF
cat >"$T/bin/crash" <<'EOF'
#!/bin/sh
echo "PING OK - so far"
kill -SEGV $$
EOF
printf '#!/bin/sh\nprintf "OK\\000\\001\\002binary"\n' >"$T/bin/binary"
printf '#!/bin/sh\necho "TEST OK - but exit 7"\nexit 7\n' >"$T/bin/exit7"
printf '#!/bin/sh\necho "nothing on stdout" >&2\nexit 0\n' >"$T/bin/silent"
printf '#!/bin/sh\nhead -c 100000 /dev/zero | tr "\\\\0" x\necho\nexit 1\n' >"$T/bin/flood"
printf '#!/bin/sh\nsleep 60 &\necho $! >"%s/daemon.pid"\necho "DAEMON OK - child left behind|x=1"\nexit 0\n' "$T" >"$T/bin/daemon"
printf '#!/bin/sh\nprintf "UTF \\303\\251t\\351 \\033[31mred|a=1\\nlong one\\nlong two|b=2\\nc=3\\n"\n' >"$T/bin/mixed"
printf '#!/bin/sh\nexit "$(cat "%s/state")"\n' "$T" >"$T/bin/state_exit"
cat >"$T/bin/flip" <<EOF
#!/bin/sh
s=\$(cat "$T/state")
case \$s in
0) echo "PING OK - Packet loss = 0%, RTA = 0.40 ms|rta=0.400000ms;100;200;0 pl=0%;20;60;0" ;;
*) echo "PING CRITICAL - Packet loss = 100%|pl=100%;20;60;0" ;;
esac
exit \$s
EOF
chmod +x "$T"/bin/*

cat >"$T/isp.conf" <<EOF
[site]
title = Server and System Status
name = Example ISP
base_url = https://status.example.net/
output = public
state = glance.db
path = $T/bin:$MP
parallel = 4

[defaults]
interval = 60
retry = 20
attempts = 1
timeout = 2

[system NC023]
name = Server NC023
location = London, United Kingdom
role = Relay server
ping = PING
services = SMTP

[check NC023/PING]
command = $B/plugins/check_ping -H 127.0.0.1 -p 2 -i 10

[check NC023/SMTP]
command = check_tcp -H 127.0.0.1 -p $port -e "ESMTP"

[system NC027]
name = Server NC027
location = London, United Kingdom
role = Mail server
ping = PING
services = SMTP, quoting

[check NC027/PING]
command = check_ping -H 127.0.0.1 -w 100,20% -c 200,50% -p 1

[check NC027/SMTP]
command = check_tcp -H 127.0.0.1 -p $closed

[check NC027/quoting]
command = check_dummy 1 'two  spaces, \$HOME; \`id\` > x && y'

[system LAB]
visibility = internal

[check LAB/hang]
command = hang
[check LAB/crash]
command = crash
[check LAB/binary]
command = binary
[check LAB/exit7]
command = exit7
[check LAB/silent]
command = silent
[check LAB/flood]
command = flood
[check LAB/daemon]
command = daemon
[check LAB/mixed]
command = mixed
[check LAB/endless]
command = /usr/bin/yes "ENDLESS OK"
[check LAB/missing]
command = no-such-plugin -H x
EOF

# --- check-config ----------------------------------------------------------
run "$G" check-config -c "$T/isp.conf"
is "$rc" 1 "check-config: a command that cannot run makes it exit 1"
like "$out" "ERROR $T/isp.conf:[0-9]+: command no-such-plugin not found in the plugin path" \
	"check-config names the missing command and its line"
like "$out" "system NC023 \"Server NC023\" \\(London, United Kingdom; Relay server\\) public" \
	"check-config explains a system"
like "$out" "runs $MP/check_tcp \\[-H\\] \\[127.0.0.1\\] \\[-p\\] \\[$port\\] \\[-e\\] \\[ESMTP\\]" \
	"check-config shows the argv it will execve, found in the path"
printf '[site]\ntitle = x\n[system a]\nping = P\n' >"$T/bad.conf"
run "$G" check-config -c "$T/bad.conf"
is "$rc" 1 "check-config on a broken file: exit 1"
is "$(cat "$T/stderr")" "glance check-config: $T/bad.conf:4:8: system a: ping check 'P' is not declared as [check a/P]" \
	"broken file: file, line and column"
run "$G" check-config -c "$SRC/examples/isp.conf"
is "$first/$(cat "$T/stderr")" "$SRC/examples/isp.conf: 6 systems, 15 checks/" "the example config parses"
sed 's|^output = public$|output = /nonexistent-dir/public|' "$T/isp.conf" >"$T/nodir.conf"
run "$G" check-config -c "$T/nodir.conf"
like "$out" "ERROR output: cannot write in /nonexistent-dir: No such file or directory" \
	"check-config: an output directory that cannot be written"
like "$out" "2 problems found\$" "it counts every problem"
run "$G" check-config -c "$T/isp.conf" --bogus
is "$rc" 2 "unknown option: exit 2"

# --- one pass ----------------------------------------------------------------
elapsed_ms "$G" run --once -q -c "$T/isp.conf"
is "$rc" 0 "run --once: exit 0"
is "$(cat "$T/stderr")" "" "run --once -q: nothing on stderr"
ok $((ms > 5000)) "a hang and an endless writer killed at 2 s do not hold up 13 checks on 4 slots (took $ms ms)"
ok "$([ -f "$T/public/index.html" ] && [ -f "$T/public/status.json" ]; echo $?)" "the site was rendered"
is "$(grep -rl -e "DAEMON OK" -e "ENDLESS OK" -e "timed out after" -e "about to hang" "$T/public/" | wc -l)" 0 \
	"no output of the internal system's checks reaches any page or feed"
like "$(grep -c "TCP OK" "$T/public/status.json")" '^[1-9]' "a public service's output does"

like "$(svc NC023 PING)" '^0\|1\|1\|PING OK - Packet loss = 0%, RTA = [0-9]+\.[0-9]{2} ms$' "glance check_ping: OK HARD"
like "$(q "SELECT perfdata FROM services WHERE service='PING' AND system='NC023'")" '^rta=[0-9.]+ms;200;500;0 pl=0%;40;80;0;100 ' \
	"its perfdata is stored"
like "$(svc NC023 SMTP)" '^0\|1\|1\|TCP OK - [0-9.]+ second response time on 127.0.0.1 port [0-9]+ \[220 relay.example.net ESMTP\]$' \
	"check_tcp to the listener: OK, with the banner"
like "$(svc NC027 SMTP)" '^2\|1\|1\|(connect to address 127.0.0.1 and port [0-9]+: Connection refused|TCP CRITICAL.*)$' \
	"check_tcp to a closed port: CRITICAL"
is "$(svc NC027 quoting)" '1|1|1|WARNING: two  spaces, $HOME; `id` > x && y' \
	"quotes keep blanks, and no shell sees \$, backquotes, > or &&"
# Each misbehaving plugin: its state, HARD, attempt and output line, and
# what is kept of what it printed (tab-separated: check, state line,
# long output or "-" for none checked, what the case shows)
T_TAB=$(printf '\t')
while IFS=$T_TAB read -r c want long name; do
	is "$(svc LAB "$c")" "$want" "$name"
	[ "$long" = - ] || is "$(q "SELECT long_output FROM results WHERE service='$c'")" "$long" "$c: what it printed is kept as long output"
done <<'CASES'
hang	3|1|1|UNKNOWN - plugin timed out after 2 seconds and was killed	about to hang	hang: UNKNOWN, timed out
crash	3|1|1|UNKNOWN - plugin killed by signal 11 (Segmentation fault)	-	crash: UNKNOWN with the signal
binary	3|1|1|UNKNOWN - plugin output is not text	-	NUL bytes: UNKNOWN
exit7	3|1|1|UNKNOWN - plugin exit code 7 is out of bounds (0-3)	TEST OK - but exit 7	exit 7: UNKNOWN, its text kept
silent	3|1|1|UNKNOWN - plugin printed nothing on stdout	stderr: nothing on stdout	no stdout: UNKNOWN, stderr shown as the reason's detail
daemon	0|1|1|DAEMON OK - child left behind	-	a child left holding the pipe does not block the result
endless	3|1|1|UNKNOWN - plugin timed out after 2 seconds and was killed	-	endless output: read within the cap, killed at the timeout
missing	3|1|1|UNKNOWN - command no-such-plugin not found in the plugin path	-	missing plugin: UNKNOWN
CASES
is "$(q "SELECT state, length(output), long_output FROM results WHERE service='flood'")" \
	"1|8192|(output truncated at 8192 bytes)" "100 kB of output: capped at 8 KB and said so"
is "$(q "SELECT output || '#' || long_output || '#' || perfdata FROM results WHERE service='mixed'")" \
	$'UTF \xc3\xa9t?  [31mred#long one\nlong two#a=1 b=2 c=3' \
	"invalid UTF-8 becomes ?, control bytes blanks; Nagios long output and perfdata split"
# gone: no such process, or a zombie nobody reaps (an init that does not wait)
gone() {
	local st
	[ -s "$1" ] || { echo 1; return; }
	st=$(awk '{print $3}' "/proc/$(cat "$1")/stat" 2>/dev/null)
	[ -z "$st" ] || [ "$st" = Z ]
	echo $?
}
# until_ok CMD...: polls CMD (every 0.1 s, for up to 10 s) until it succeeds
until_ok() {
	local i
	for i in $(seq 100); do "$@" && return 0; sleep 0.1; done
	return 1
}
is_gone() { [ "$(gone "$1")" = 0 ]; }
until_ok is_gone "$T/hang.pid"
until_ok is_gone "$T/daemon.pid"
ok "$(gone "$T/hang.pid")" "the hung plugin was killed"
ok "$(gone "$T/daemon.pid")" "the child a plugin left behind was killed with its group"
# sysjs DIR: each system of DIR/status.json as "id=status since", since in
# seconds after t0 (set below) or "-"
sysjs() {
	python3 -c 'import json, sys, calendar, time
for s in json.load(open(sys.argv[1] + "/status.json"))["systems"]:
    t = s.get("status_since")
    t = calendar.timegm(time.strptime(t, "%Y-%m-%dT%H:%M:%SZ")) - int(sys.argv[2]) if t else "-"
    print("%s=%s %s" % (s["id"], s["status"], t))' "$1" "${2:-0}"
}
is "$(sysjs "$T/public" | cut -d' ' -f1 | sort)" \
	"$(printf 'LAB=internal\nNC023=operational\nNC027=partial')" \
	"statuses: NC023 operational; NC027 partial outage (a service CRITICAL with the host up, UNKNOWNs ignored); LAB internal"

# --- soft/hard and outage notices through real runs with --now ---------------
mkdir "$T/o"
cat >"$T/o/o.conf" <<EOF
[site]
path = $T/bin
flap_min = 5m
[defaults]
interval = 60
retry = 20
attempts = 3
timeout = 5
[system NC036]
name = Server NC036
ping = PING
[check NC036/PING]
command = flip
[system NC037]
name = Server NC037
EOF
oq() { sqlite3 -separator '|' "$T/o/glance.db" "$1"; }
t0=1630549800 # 2021-09-02 02:30:00 UTC
at() { echo "$1" >"$T/state"; "$G" run --once -q -c "$T/o/o.conf" --now $((t0 + $2)); }
at 0 0
at 2 60
is "$(oq "SELECT state, hard, attempt FROM services")" "2|0|1" "first CRITICAL: SOFT, attempt 1"
at 2 80
is "$(oq "SELECT state, hard, attempt FROM services")" "2|0|2" "second: SOFT, attempt 2"
at 2 100
is "$(oq "SELECT state, hard, attempt, hard_since - $t0 FROM services")" "2|1|3|60" \
	"third: HARD at 02:31:40, its problem since the first failed check at 02:31:00"
is "$(sysjs "$T/o/public" $t0 | grep '^NC036=')" "NC036=major 60" "the system is in a major outage since then"
at 2 350
is "$(oq "SELECT count(*) FROM notices")" 0 "down 290 s with flap_min 300: no notice"
at 2 360
is "$(oq "SELECT count(*) FROM notices")" 0 "down 300 s at this very second: not yet (a result now could end it)"
at 2 380
run "$G" notice list -c "$T/o/o.conf"
is "$out" "$(printf '1\t2021-09-02 02:36:00 UTC\toutage\tinvestigating\tNC036: Server down')" "the next pass posts 'Server down', dated at 300 s"
at 0 460
at 0 740
is "$(oq "SELECT count(*) FROM notices")" 1 "up 280 s: recovery not yet posted"
at 0 900
is "$(oq "SELECT posted - $t0 FROM notices WHERE id = 2")" 760 \
	"the recovery is dated when it had lasted flap_min (02:37:40 + 300 s), not by the later pass"
is "$(oq "SELECT title || ' / ' || body FROM notices WHERE id = 2")" \
	"NC036: Server back online / Server NC036 is back online. It was down for 6 minutes between 02:31 and 02:37 UTC." \
	"recovery with the exact duration (02:31:00, the first failure, to 02:37:40: 400 s)"
is "$(oq "SELECT incident FROM notices WHERE id = 2")" 1 "same incident as the down notice"
# a flap: down 20 s HARD (attempts 3 at 20 s) and back; nothing posted
at 2 1000; at 2 1020; at 2 1040; at 0 1060; at 0 1500
is "$(oq "SELECT count(*) FROM notices")" 2 "a 20 s flap posts nothing"

# --- operator notices and maintenance --------------------------------------
printf 'Words cannot express **it**.\n\nSorry.\n' >"$T/u3.md"
run "$G" notice add -c "$T/o/o.conf" --now $((t0 + 2000)) --system NC036 --title "Update 3" \
	--state identified --body-file "$T/u3.md" --tags "mail server, down time" --incident 1
is "$rc/$out" "0/3" "notice add: prints the new id"
is "$(oq "SELECT incident, title, state, tags, body FROM notices WHERE id = 3")" \
	"$(printf '1|NC036: Update 3|2|mail server\ndown time|Words cannot express **it**.\n\nSorry.\n')" \
	"stored with the system prefix, state, tags and Markdown body"
run "$G" notice edit 3 -c "$T/o/o.conf" --state monitoring --title "NC036: Update 3b"
is "$rc/$(oq "SELECT title, state FROM notices WHERE id = 3")" "0/NC036: Update 3b|3" "notice edit"
run "$G" notice add -c "$T/o/o.conf" --title x --state fixed
is "$rc" 2 "unknown incident state: usage error"
like "$(cat "$T/stderr")" "'fixed' is not investigating, identified, monitoring, resolved or postmortem" "and says which are"
run "$G" notice retract 2 -c "$T/o/o.conf"
is "$rc/$(oq "SELECT retracted FROM notices WHERE id = 2")" "0/1" "notice retract"
run "$G" notice retract 99 -c "$T/o/o.conf"
is "$rc" 1 "retracting a missing notice fails"

run "$G" maintenance schedule NC036 -c "$T/o/o.conf" --now $((t0 + 3000)) \
	--start "2021-09-02 04:00" --duration 1h --reason "Operating system upgrades."
is "$rc/$out" "0/1" "maintenance schedule prints the window id"
is "$(oq "SELECT title || ' / ' || body FROM notices WHERE key = 'maint-scheduled:1'")" \
	"$(printf 'NC036: Server maintenance / Server NC036 will be down for maintenance for up to 1 hour, from 04:00 to 05:00 UTC on 2 September 2021.\n\nOperating system upgrades.')" \
	"the scheduled notice gives the window in UTC and its length"
at 2 5400
is "$(sysjs "$T/o/public" $t0 | grep '^NC036=')" "NC036=maintenance 5400" "in the window: Maintenance since it began, even with the ping down"
is "$(oq "SELECT title FROM notices ORDER BY id DESC LIMIT 1")" "NC036: Maintenance underway" "underway posted"
run "$G" maintenance end 1 -c "$T/o/o.conf" --now $((t0 + 6720))
is "$rc" 0 "maintenance end"
at 0 6780
is "$(oq "SELECT title || ' / ' || body FROM notices ORDER BY id DESC LIMIT 1")" \
	"NC036: Maintenance complete / The maintenance on Server NC036 began at 04:00 UTC and was completed at 04:22 UTC, after 22 minutes." \
	"complete, with the actual duration"
run "$G" maintenance list -c "$T/o/o.conf" --now $((t0 + 6780))
is "$out" "$(printf '1\tNC036\t2021-09-02 04:00:00 UTC\t2021-09-02 04:22:00 UTC\tcompleted\tOperating system upgrades.')" "maintenance list"
run "$G" maintenance end 1 -c "$T/o/o.conf" --now $((t0 + 6800))
is "$rc" 1 "ending a completed window fails"
is "$(oq "SELECT count(*) FROM notices WHERE title LIKE '%Server down%'")" 1 "no outage notice for a ping down inside the window"
run "$G" maintenance schedule NC036 -c "$T/o/o.conf" --now $((t0 + 7000)) \
	--start $((t0 + 7200)) --end "2021-09-02 04:40:00" --title "Emergency maintenance"
is "$rc/$out" "0/2" "an emergency window with its own title"
at 0 7200
at 0 8400
is "$(oq "SELECT group_concat(title, ' / ') FROM (SELECT title FROM notices WHERE id BETWEEN 7 AND 9 ORDER BY id)")" \
	"NC036: Emergency maintenance / NC036: Emergency maintenance underway / NC036: Emergency maintenance complete" \
	"its notices carry its title"
run "$G" maintenance schedule NC036 -c "$T/o/o.conf" --now $((t0 + 9000)) --start $((t0 + 9900)) --duration 30m
run "$G" maintenance cancel 3 -c "$T/o/o.conf" --now $((t0 + 9100))
is "$rc/$(oq "SELECT title FROM notices ORDER BY id DESC LIMIT 1")" "0/NC036: Maintenance cancelled" "cancel posts a notice"
at 0 9950
# results at 8400 and 9950 only, fresh for 2 x 60 + 5 s each: Unknown between
is "$(sysjs "$T/o/public" $t0 | grep '^NC036=')" "NC036=operational 8400" \
	"a cancelled window never starts: operational since 8400, as it was before the stale gap"
# an operator's post during an automatic incident joins it; an update for
# another system is refused
at 2 10000; at 2 10020; at 2 10040; at 2 10320
auto=$(oq "SELECT id FROM notices WHERE title = 'NC036: Server down' AND posted = $((t0 + 10300))")
run "$G" notice add -c "$T/o/o.conf" --now $((t0 + 10330)) --system NC036 --title "Cable cut" \
	--state identified --impact major --body "The line to the data centre is cut."
is "$rc/$(oq "SELECT incident, impact FROM notices WHERE id = $out")" "0/$auto|3" \
	"the operator's notice joins the open automatic incident, with its impact"
run "$G" notice add -c "$T/o/o.conf" --now $((t0 + 10340)) --system NC037 --incident "$auto" --title "Also"
is "$rc" 1 "an update for another system's incident is refused"
is "$(cat "$T/stderr")" "glance notice: notice $auto is about NC036, not NC037: post an update for NC037 on its own" \
	"and says why"
run "$G" notice add -c "$T/o/o.conf" --title x --impact total
is "$rc" 2 "an unknown impact: usage error"

# --- the loop: SIGHUP reloads, SIGTERM stops --------------------------------
mkdir "$T/l"
cat >"$T/l/l.conf" <<EOF
[site]
path = $T/bin:$MP
render_every = 1
[defaults]
interval = 2
timeout = 1
[system A]
[check A/one]
command = check_dummy 0 one
EOF
"$G" run -c "$T/l/l.conf" 2>"$T/l/err" &
pid=$!
track $pid
lq() { sqlite3 "$T/l/glance.db" "$1" 2>/dev/null; }
for _ in $(seq 50); do [ "$(lq "SELECT count(*) FROM results")" -ge 2 ] 2>/dev/null && break; sleep 0.1; done
ok "$([ "$(lq "SELECT count(*) FROM results")" -ge 2 ]; echo $?)" "the loop repeats the check every 2 s"
run "$G" run --once -c "$T/l/l.conf"
is "$rc" 1 "a second scheduler on the same store is refused"
is "$(cat "$T/stderr")" "glance run: $T/l/glance.db.lock: another glance run or ingest uses this store" "and says why"
printf '[check A/two]\ncommand = check_dummy 1 two\n' >>"$T/l/l.conf"
kill -HUP $pid
for _ in $(seq 50); do [ -n "$(lq "SELECT output FROM services WHERE service='two'")" ] && break; sleep 0.1; done
is "$(lq "SELECT output FROM services WHERE service='two'")" "WARNING: two" "SIGHUP: the new check runs"
sed -i 's/^\[site\]$/[site]\nstate = other.db/' "$T/l/l.conf"
kill -HUP $pid
until_ok grep -q "state moved" "$T/l/err"
like "$(cat "$T/l/err")" "reload failed, keeping the running config: state moved from $T/l/glance.db to $T/l/other.db" \
	"a reload cannot move the store"
sed -i '/^state = other.db$/d' "$T/l/l.conf"
echo "[broken" >>"$T/l/l.conf"
kill -HUP $pid
until_ok grep -q "missing ']'" "$T/l/err"
like "$(cat "$T/l/err")" "reload failed, keeping the running config: .*l.conf:[0-9]+:1: missing '\]'" "a broken reload is refused, the loop goes on"
kill -TERM $pid
wait $pid
is "$?" 0 "SIGTERM: clean exit 0"
ok "$([ -f "$T/l/public/index.html" ]; echo $?)" "the loop rendered the site"

# first runs are spread: six checks every 6 s start 1 s apart
mkdir "$T/s"
{
	printf '[site]\npath = %s\n[defaults]\ninterval = 6\ntimeout = 1\n[system A]\n' "$MP"
	for i in 1 2 3 4 5 6; do printf '[check A/c%d]\ncommand = check_dummy 0 c%d\n' $i $i; done
} >"$T/s/s.conf"
"$G" run -q -c "$T/s/s.conf" &
pid=$!
track $pid
sq() { sqlite3 "$T/s/glance.db" "$1" 2>/dev/null; }
all_ran() { [ "$(sq "SELECT count(DISTINCT service) FROM results")" = 6 ] 2>/dev/null; }
until_ok all_ran
kill -TERM $pid
wait $pid
# each check's first result, in seconds after the first of them
spread=$(sq "SELECT group_concat(f - (SELECT min(t) FROM results), ' ') FROM (SELECT min(t) AS f FROM results GROUP BY service ORDER BY f)")
# A check never starts before its slot, so the k-th first run comes at
# least k-1 s after the first (results are stamped in whole seconds); a
# loaded machine may only make them later.
spread_ok() {
	local k=0 o
	for o in $spread; do
		[ "$o" -ge $((k - 1)) ] || return 1
		k=$((k + 1))
	done
	[ $k = 6 ]
}
spread_ok
ok $? "six checks every 6 s: their first runs are spread 1 s apart, not all at once ($spread)"

done_testing

#!/bin/bash
# glance ingest nagios against a real Nagios 4 on loopback: its checks are
# glance's check_ping and check_smtp against an SMTP listener the test
# starts and stops. The SMTP service fails and recovers (SOFT, then HARD),
# a downtime is scheduled and runs through the command pipe, another one
# is scheduled and deleted, the log is rotated and the daemon restarted.
# The site must show what nagios.log says, to the second; running again
# records nothing twice; `glance run` follows the engine. A router and the
# two hosts behind it (parents) go down together through passive results:
# one incident, the children unreachable. Certificate checks and
# _IMPACT_* variables set the checks' impacts.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/nagios_env.sh"
G=$B/glance
[ -x /usr/sbin/nagios4 ] || skip_all "nagios4 is not installed"
q() { sqlite3 -separator '|' "$T/glance.db" "$1"; }
logt() { grep -E "$1" "$NG/archives"/*.log "$NG/nagios.log" 2>/dev/null | head -n1 | sed 's/^[^[]*\[\([0-9]*\)\].*/\1/'; }
utc() { date -u -d "@$1" '+%Y-%m-%dT%H:%M:%SZ'; }
jq_py() { python3 -c "import json,sys; d=json.load(open('$T/public/status.json')); web1=[s for s in d['systems'] if s['id']=='web1'][0]; print($1)"; }

port=$(free_port)
smtp_start() {
	python3 -c '
import socket, sys, threading
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(16)
def serve(c):
    f = c.makefile("rwb")
    try:
        f.write(b"220 mail.example.net ESMTP\r\n"); f.flush()
        for line in f:
            if line.strip().upper().startswith(b"QUIT"):
                f.write(b"221 bye\r\n"); f.flush(); break
            f.write(b"250 ok\r\n"); f.flush()
    except OSError: pass
    c.close()
while True:
    c, _ = s.accept(); threading.Thread(target=serve, args=(c,), daemon=True).start()
' "$port" &
	SMTP_PID=$!
	track $SMTP_PID
	wait_port "$port" || echo "# SMTP listener did not start"
}
smtp_stop() { kill "$SMTP_PID"; wait "$SMTP_PID" 2>/dev/null; }

cat >"$T/hosts.cfg" <<EOF
define host {
	host_name	web1
	alias	Web server 1
	address	127.0.0.1
	check_command	glance_ping
	check_interval	2
	retry_interval	1
	max_check_attempts	2
	check_period	always
	contacts	nobody
	notification_period	always
	_Location	Amsterdam, Netherlands
	_ROLE	Web server
}
define host {
	host_name	db1
	alias	Database
	address	127.0.0.1
	check_command	glance_ping
	check_interval	5
	max_check_attempts	1
	check_period	always
	contacts	nobody
	notification_period	always
	_VISIBILITY	internal
}
define command {
	command_name	glance_cert
	command_line	\$USER1\$/check_tls_cert -H \$HOSTADDRESS\$ -p \$ARG1\$
}
define host {
	host_name	router1
	alias	Router
	address	127.0.0.1
	check_command	glance_ping
	active_checks_enabled	0
	max_check_attempts	1
	check_period	always
	contacts	nobody
	notification_period	always
	_impact_WARNING	major
}
define host {
	host_name	app1
	alias	App 1
	address	127.0.0.1
	parents	router1
	check_command	glance_ping
	active_checks_enabled	0
	max_check_attempts	1
	check_period	always
	contacts	nobody
	notification_period	always
}
define host {
	host_name	app2
	alias	App 2
	address	127.0.0.1
	parents	router1
	check_command	glance_ping
	active_checks_enabled	0
	max_check_attempts	1
	check_period	always
	contacts	nobody
	notification_period	always
}
define service {
	host_name	app1
	service_description	TLS
	check_interval	1
	max_check_attempts	1
	check_command	glance_cert!443
	active_checks_enabled	0
	check_period	always
	contacts	nobody
	notification_period	always
}
define service {
	host_name	app2
	service_description	Backup
	check_interval	1
	max_check_attempts	1
	check_command	glance_smtp!1
	active_checks_enabled	0
	check_period	always
	contacts	nobody
	notification_period	always
	_Impact_Critical	none
	_IMPACT_WARNING	Major
}
define service {
	host_name	web1
	service_description	SMTP
	check_command	glance_smtp!$port
	check_interval	1
	retry_interval	1
	max_check_attempts	3
	check_period	always
	contacts	nobody
	notification_period	always
}
EOF
nagios_env_write "$T/hosts.cfg"
cat >"$T/glance.conf" <<EOF
[site]
title = Server and System Status
base_url = https://status.example.net/
output = public
state = glance.db
flap_min = 0

[source nagios]
status_dat = nagios/status.dat
objects_cache = nagios/objects.cache
log = nagios/nagios.log
archives = nagios/archives
poll = 1
EOF
export GLANCE_CONFIG=$T/glance.conf

# passive results for the router and the hosts behind it: STATES is the
# router's and its children's (0 UP, 1 DOWN, 2 UNREACHABLE)
passive() {
	local now
	now=$(date +%s)
	printf '[%s] PROCESS_HOST_CHECK_RESULT;router1;%s;PING %s\n' "$now" "$1" "$3" >"$NG/nagios.cmd"
	printf '[%s] PROCESS_HOST_CHECK_RESULT;app1;%s;PING %s\n[%s] PROCESS_HOST_CHECK_RESULT;app2;%s;PING %s\n' \
		"$now" "$2" "$3" "$now" "$2" "$3" >"$NG/nagios.cmd"
}
smtp_start
nagios_start
wait_file "$NG/status.dat" 'service_description=SMTP' 30
passive 0 0 "OK - rta 0.1 ms"
printf '[%s] PROCESS_SERVICE_CHECK_RESULT;app1;TLS;0;TLS OK\n[%s] PROCESS_SERVICE_CHECK_RESULT;app2;Backup;0;OK\n' \
	"$(date +%s)" "$(date +%s)" >"$NG/nagios.cmd"
# wait until every host and service has a real check result
for _ in $(seq 1 100); do
	[ "$(grep -c 'has_been_checked=1' "$NG/status.dat" 2>/dev/null)" -ge 8 ] && break
	sleep 0.1
done

# --- glance run follows the engine: a site appears, SIGTERM stops it ------
"$G" run -v >"$T/run.out" 2>&1 &
run_pid=$!
track $run_pid
wait_file "$T/run.out" 'rendered' 20
kill -TERM $run_pid
for _ in $(seq 1 50); do kill -0 $run_pid 2>/dev/null || break; sleep 0.1; done
wait $run_pid
is "$?" 0 "glance run with [source nagios] renders and stops cleanly on SIGTERM"
is "$(jq_py "sorted((s['id'], s['name'], s['location'], s['role'], s['status']) for s in d['systems'])")" \
	"[('app1', 'App 1', None, None, 'operational'), ('app2', 'App 2', None, None, 'operational'), ('db1', 'Database', None, None, 'internal'), ('router1', 'Router', None, None, 'operational'), ('web1', 'Web server 1', 'Amsterdam, Netherlands', 'Web server', 'operational')]" \
	"systems from objects.cache: alias, _LOCATION in any case, _ROLE, _VISIBILITY internal"
is "$(q "SELECT id, coalesce(parent, '-') FROM ingest_systems ORDER BY id")" "app1|router1
app2|router1
db1|-
router1|-
web1|-" "parents: the first that is a host here, kept with the systems"
is "$(q "SELECT system || '/' || service, impact_warning, impact_critical FROM ingest_checks WHERE system IN ('app1', 'app2', 'router1') ORDER BY 1")" \
	"app1/TLS|0|2
app1/host|1|3
app2/Backup|3|0
app2/host|1|3
router1/host|3|3" "impacts: check_tls_cert's WARNING none; _IMPACT_* in any case override"

# --- the router and both hosts behind it go down together ---------------
passive 1 2 "CRITICAL - 100% packet loss"
wait_log 'HOST ALERT: app2;UNREACHABLE;HARD' 30
t_rdown=$(logt 'HOST ALERT: router1;DOWN;HARD')
# down for a few seconds: the clock, not a sleep, says when
while [ "$(date +%s)" -lt $((t_rdown + 3)) ]; do sleep 0.1; done
passive 0 0 "OK - rta 0.1 ms"
wait_log 'HOST ALERT: app2;UP;HARD' 30
t_rup=$(logt 'HOST ALERT: router1;UP;HARD')
like "$(jq_py "web1['ping']")" "'status': 'up', 'rtt_ms': [0-9.]+" \
	"the host check is the Ping column, with its rta from status.dat's perfdata"

# --- SMTP fails (SOFT 1, 2, HARD 3) and recovers -------------------------
smtp_stop
wait_log 'SERVICE ALERT: web1;SMTP;CRITICAL;HARD;3;' 30
smtp_start
wait_log 'SERVICE ALERT: web1;SMTP;OK;HARD;' 30
t_soft=$(logt 'SERVICE ALERT: web1;SMTP;CRITICAL;SOFT;1;')
t_hard=$(logt 'SERVICE ALERT: web1;SMTP;CRITICAL;HARD;3;')
t_ok=$(logt 'SERVICE ALERT: web1;SMTP;OK;HARD;')

# --- a downtime that runs, scheduled through the command pipe ------------
now=$(date +%s)
dt_s=$((now + 2)) dt_e=$((now + 5))
nagios_cmd "SCHEDULE_HOST_DOWNTIME;web1;$dt_s;$dt_e;1;0;0;alice;Planned web server upgrade"
wait_log 'HOST DOWNTIME ALERT: web1;STOPPED;' 30
t_sched=$(logt 'EXTERNAL COMMAND: SCHEDULE_HOST_DOWNTIME;web1;')
t_start=$(logt 'HOST DOWNTIME ALERT: web1;STARTED;')
t_stop=$(logt 'HOST DOWNTIME ALERT: web1;STOPPED;')

# --- one scheduled for later, seen by an ingest, then deleted ------------
f_s=$((now + 3600)) f_e=$((now + 7200))
nagios_cmd "SCHEDULE_HOST_DOWNTIME;web1;$f_s;$f_e;1;0;0;bob;Disk replacement"
wait_file "$NG/status.dat" 'comment=Disk replacement' 20
dt_id=$(awk '/^hostdowntime/{b=1} b&&/downtime_id=/{split($0,a,"=");id=a[2]} b&&/comment=Disk replacement/{print id; exit}' "$NG/status.dat")
run "$G" ingest nagios
is "$rc" 0 "ingest while Nagios runs"
is "$(q "SELECT ext_id, state FROM ingest_windows WHERE comment = 'Disk replacement'")" "$dt_id|0" \
	"the later downtime is known by its Nagios downtime_id, not begun"
nagios_cmd "DEL_HOST_DOWNTIME;$dt_id"
wait_log "EXTERNAL COMMAND: DEL_HOST_DOWNTIME;$dt_id" 20
t_del=$(logt "EXTERNAL COMMAND: DEL_HOST_DOWNTIME;$dt_id")

# --- rotation (the log moves to the archives) and a restart --------------
rot=$NG/archives/nagios-$(date -u +%m-%d-%Y-%H).log
mv "$NG/nagios.log" "$rot"
nagios_stop
ok "$(kill -0 "$NAGIOS_PID" 2>/dev/null; [ $? -ne 0 ]; echo $?)" "Nagios stopped (its PID is gone)"
nagios_start
wait_log 'INITIAL SERVICE STATE: web1;SMTP;' 30
wait_file "$NG/status.dat" 'service_description=SMTP' 30
run "$G" ingest nagios -v
is "$rc" 0 "ingest after rotation and restart"
like "$(cat "$T/stderr")" "nagios: [0-9]+ log lines" "the archived rest and the new log are read"
nagios_stop
gone=0
kill -0 "$NAGIOS_PID" 2>/dev/null || gone=1
[ -e "$NG/status.dat" ] && gone=0
is "$gone" 1 "Nagios stopped again and removed its status.dat"

# --- the last word: the log alone (status.dat is gone with the daemon) ---
run "$G" ingest nagios
is "$rc" 0 "ingest with Nagios down reads the log"
like "$(cat "$T/stderr")" "status.dat: missing: Nagios is not running" "and says why status.dat is not read"
snap() { q "SELECT (SELECT count(*) FROM results), (SELECT count(*) FROM svc_intervals), (SELECT count(*) FROM notices), (SELECT count(*) FROM downtimes)"; }
before=$(snap)
run "$G" ingest nagios
is "$(snap)" "$before" "a second ingest of the same files records nothing twice"

# --- the store holds the engine's record ---------------------------------
is "$(q "SELECT t, state, hard, attempt FROM results WHERE service = 'SMTP' AND state = 2 AND t <= $t_hard ORDER BY t DESC LIMIT 1")" \
	"$t_hard|2|1|3" "the HARD result with its log time and attempt"
is "$(q "SELECT t, hard, attempt FROM results WHERE service = 'SMTP' AND t = $t_soft AND state = 2")" \
	"$t_soft|0|1" "the first SOFT result with its log time"
is "$(q "SELECT start, end FROM svc_intervals WHERE service = 'SMTP' AND state = 2")" "$t_soft|$t_ok" \
	"the CRITICAL outage from its first failed (SOFT) check to the recovery"
is "$(q "SELECT start, ended, cancelled FROM downtimes WHERE reason = 'Planned web server upgrade'")" \
	"$t_start|$t_stop|0" "the window runs from STARTED to STOPPED"
is "$(q "SELECT ended, cancelled FROM downtimes WHERE reason = 'Disk replacement'")" "$t_del|1" \
	"the deleted downtime is cancelled at its DEL_HOST_DOWNTIME"

# --- the page says the same ----------------------------------------------
run "$G" render
is "$rc" 0 "render"
is "$(jq_py "[(v['name'], v['state'], v['since']) for v in web1['services']]")" \
	"[('SMTP', 'OK', '$(utc "$t_ok")')]" "SMTP is OK since its recovery in the log"
is "$(jq_py "web1['maintenance_seconds']['24h']")" "$((t_stop - t_start)).0" \
	"maintenance time = STOPPED - STARTED"
notices=$(python3 -c "
import json
d = json.load(open('$T/public/status.json'))
for n in sorted(d['notices'], key=lambda n: (n['posted_at'], n['id'])):
    print(n['posted_at'], n['title'], n.get('starts_at'), n.get('ends_at'))
")
like "$notices" "$(utc "$t_sched") web1: Server maintenance $(utc "$dt_s") $(utc "$dt_e")" \
	"'Server maintenance' posted when the downtime was scheduled, with its window"
like "$notices" "$(utc "$t_start") web1: Maintenance underway" "'Maintenance underway' at STARTED"
like "$notices" "$(utc "$t_stop") web1: Maintenance complete" "'Maintenance complete' at STOPPED"
like "$notices" "$(utc "$t_del") web1: Maintenance cancelled" "the deleted one says it is cancelled"
like "$notices" "$(utc "$t_ok") web1: [^$'\n']*(restored|back)" "the SMTP recovery notice at the recovery"
echo "# notices:"
echo "$notices" | sed 's/^/#   /'
is "$(q "SELECT system, affected, starts FROM notices WHERE system IN ('router1', 'app1', 'app2') AND kind IN (3, 4)")" \
	"router1|app1,app2|$t_rdown" "the router's outage is one incident naming both hosts behind it"
like "$(q "SELECT body FROM notices WHERE system = 'router1' AND incident = id")" \
	"App 1 and App 2, reached through it, are unreachable" "which are unreachable, not down on their own"

# --- malformed input: skipped with file and line, earlier events kept ----
mkdir -p "$T/bad"
{
	echo "[1795556086] SERVICE ALERT: web1;SMTP;CRITICAL;HARD;3;down"
	echo "[1795556090] SERVICE ALERT: web1;SMTP;BOGUS;HARD;3;x"
	echo "not a log line"
	printf '[1795556091] SERVICE ALERT: web1;SMTP;OK;HARD;3;%s\n' "$(head -c 70000 /dev/zero | tr '\0' x)"
	printf '[1795556095] SERVICE ALERT: web1;SMTP;OK;HA'
} >"$T/bad/nagios.log"
printf 'hoststatus {\n\thost_name=web1\n\tcurrent_state=0\nservicestatus {\n\thost_name=web1\n' >"$T/bad/status.dat"
run "$G" ingest nagios -c /nonexistent --db "$T/bad/g.db" --site "$T/bad/site" \
	--log "$T/bad/nagios.log" --status-dat "$T/bad/status.dat" --objects-cache "$NG/objects.cache" --now 1795556100
is "$rc" 1 "a missing config file named with -c is an error"
GLANCE_CONFIG= run "$G" ingest nagios --db "$T/bad/g.db" --site "$T/bad/site" \
	--log "$T/bad/nagios.log" --status-dat "$T/bad/status.dat" --objects-cache "$NG/objects.cache" --now 1795556100
is "$rc" 0 "malformed files are not fatal"
err=$(cat "$T/stderr")
like "$err" "nagios.log:2: unknown state: line skipped" "a bad state names file and line"
like "$err" "nagios.log:3: no \[timestamp\]: line skipped" "a line without a timestamp names file and line"
like "$err" "nagios.log:4: line longer than 65536 bytes: skipped" "an overlong line is skipped, not read into memory"
like "$err" "status.dat:1: block 'hoststatus' has no closing '}': skipped" "an unclosed status.dat block is named"
like "$err" "status.dat:4: block 'servicestatus' is truncated" "a truncated last block is named"
is "$(sqlite3 "$T/bad/g.db" "SELECT t, state FROM results")" "1795556086|2" \
	"the good line before them is recorded; the unfinished last line waits"

[ "$_tap_fail" = 0 ] || { grep -E 'ALERT|DOWNTIME|STATE' "$NG"/archives/*.log "$NG/nagios.log" | sed 's/^/#   /'; q "SELECT * FROM results WHERE service='host' ORDER BY t DESC LIMIT 3" | sed 's/^/#   /'; }
done_testing

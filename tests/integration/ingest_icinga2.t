#!/bin/bash
# glance ingest icinga2 and glance run against a real Icinga 2 on loopback:
# its own CA and node certificate (openssl, all under $T), an ApiUser
# whose password glance reads from a file, results through
# process-check-result, downtimes through schedule-downtime and
# remove-downtime. glance run follows /v1/events through a TCP relay the
# test drops and restores while a state changes: after the reconnect the
# objects are read again and nothing is lost or doubled. Every time in
# the store equals the API's, to the second. A router and two hosts
# behind it (vars.parent, a Dependency) go down together: one incident,
# the children unreachable. A certificate CheckCommand and vars.impact_*
# set the checks' impacts.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/icinga2_env.sh"
G=$B/glance
command -v icinga2 >/dev/null || skip_all "icinga2 is not installed"
q() { sqlite3 -separator '|' "$T/glance.db" "$1"; }
# wait_q SQL WANT [SECONDS]: polls the store until SQL gives WANT.
wait_q() {
	for _ in $(seq 1 $((${3:-20} * 10))); do
		[ "$(q "$1" 2>/dev/null)" = "$2" ] && return 0
		sleep 0.1
	done
	echo "# timed out waiting for '$2' from: $1 (have '$(q "$1" 2>/dev/null)')"
	return 1
}
api_json() { icinga_api GET "$1" | python3 -c "import json,sys; d=json.load(sys.stdin)['results']; print($2)"; }
result() {  # SERVICE EXIT OUTPUT
	icinga_api POST /v1/actions/process-check-result \
		"{\"type\":\"Service\",\"filter\":\"host.name==\\\"web1\\\" && service.name==\\\"$1\\\"\",\"exit_status\":$2,\"plugin_output\":\"$3\",\"performance_data\":[\"time=0.01s\"]}" >/dev/null
}
host_up() { host_result "$1" 0 "PING OK - RTA = 0.05 ms"; }
host_result() {  # HOST EXIT OUTPUT
	icinga_api POST /v1/actions/process-check-result \
		"{\"type\":\"Host\",\"filter\":\"host.name==\\\"$1\\\"\",\"exit_status\":$2,\"plugin_output\":\"$3\",\"performance_data\":[\"rta=0.05ms;100;200;0\"]}" >/dev/null
}
svc_attr() { api_json "/v1/objects/services/web1!smtp" "d[0]['attrs']$1"; }

cat >"$T/objects.conf" <<'EOF'
object Host "web1" {
	check_command = "dummy"
	address = "127.0.0.1"
	enable_active_checks = false
	vars.location = "Amsterdam, Netherlands"
	vars.role = "Web server"
}
object Host "db1" {
	check_command = "dummy"
	address = "127.0.0.1"
	enable_active_checks = false
	vars.visibility = "internal"
	zone = "master"
}
object CheckCommand "glance_tls_cert" {
	command = [ "/usr/lib/nagios/plugins/glance_check_tls_cert", "-H", "$address$" ]
}
template Host "passive-host" {
	check_command = "dummy"
	address = "127.0.0.1"
	enable_active_checks = false
	max_check_attempts = 1
}
object Host "router1" {
	import "passive-host"
	vars.impact_warning = "Major"
}
object Host "app1" {
	import "passive-host"
	vars.parent = "router1"
}
object Host "app2" {
	import "passive-host"
}
object Dependency "app2-via-router1" {
	parent_host_name = "router1"
	child_host_name = "app2"
}
object Service "tls" {
	host_name = "app1"
	check_command = "glance_tls_cert"
	enable_active_checks = false
}
object Service "backup" {
	host_name = "app2"
	check_command = "dummy"
	enable_active_checks = false
	vars.impact_critical = "none"
	vars.impact_warning = "major"
}
object Service "smtp" {
	host_name = "web1"
	check_command = "dummy"
	enable_active_checks = false
	max_check_attempts = 2
}
EOF
icinga_env_write "$T/objects.conf"
icinga_start || echo "# icinga2 did not open its API port"
for _ in $(seq 1 50); do icinga_api GET /v1/objects/hosts | grep -q web1 && break; sleep 0.2; done
for h in web1 db1 router1 app1 app2; do host_up $h; done
result smtp 0 "SMTP OK - 0.01 s"

relay=$(free_port)
proxy_start "$relay" "$IC_PORT"
cat >"$T/glance.conf" <<EOF
[site]
base_url = https://status.example.net/
output = public
state = glance.db
flap_min = 0

[source icinga2]
url = https://127.0.0.1:$relay
user = glance
password_file = $IC/password
ca = $IC/data/certs/ca.crt
poll = 1
EOF
export GLANCE_CONFIG=$T/glance.conf

# --- one pass: the objects ------------------------------------------------
run "$G" ingest icinga2 -v
is "$rc" 0 "glance ingest icinga2 reads the objects"
like "$(cat "$T/stderr")" "icinga2: 6 results" "the last result of the hosts and of smtp"
is "$(q "SELECT id, name, location, role, internal, ping, services, coalesce(parent, '-') FROM ingest_systems ORDER BY id")" \
	"app1|app1|||0|host|tls|router1
app2|app2|||0|host|backup|router1
db1|db1|master||1|host||-
router1|router1|||0|host||-
web1|web1|Amsterdam, Netherlands|Web server|0|host|smtp|-" \
	"systems: vars.location, else the zone; vars.role; vars.visibility internal; parents"
is "$(q "SELECT system || '/' || service, impact_warning, impact_critical FROM ingest_checks WHERE system IN ('app1', 'app2', 'router1') ORDER BY 1")" \
	"app1/host|1|3
app1/tls|0|2
app2/backup|3|0
app2/host|1|3
router1/host|3|3" "impacts: a CheckCommand running glance_check_tls_cert has WARNING none; vars.impact_* override"

# --- the router and both hosts behind it go down together (a host result
# is 0 UP or 1 DOWN for process-check-result) ---
for h in router1 app1 app2; do host_result $h 1 "PING CRITICAL - Packet loss = 100%"; done
run "$G" ingest icinga2
is "$rc" 0 "ingest while the router is down"
t_rdown=$(api_json "/v1/objects/hosts/router1" "int(d[0]['attrs']['last_hard_state_change'])")
# down for a few seconds: the clock, not a sleep, says when
while [ "$(date +%s)" -lt $((t_rdown + 3)) ]; do sleep 0.1; done
for h in router1 app1 app2; do host_up $h; done
run "$G" ingest icinga2
is "$rc" 0 "ingest after the router is back"
run "$G" ingest icinga2 --ca /dev/null
is "$rc" 1 "a CA that did not sign the server's certificate fails"
like "$(cat "$T/stderr")" "SSL|certificate" "and says it is the certificate"

# --- glance run follows the event stream -----------------------------------
"$G" run -v -v >"$T/run.out" 2>&1 &
run_pid=$!
track $run_pid
wait_file "$T/run.out" "connected; objects read again" 20

result smtp 2 "SMTP CRITICAL - connection refused"
wait_q "SELECT count(*) FROM results WHERE service = 'smtp' AND state = 2" 1
t_soft=$(svc_attr "['last_check_result']['execution_end']" | cut -d. -f1)
result smtp 2 "SMTP CRITICAL - connection refused"
wait_q "SELECT count(*) FROM results WHERE service = 'smtp' AND state = 2" 2
t_hard=$(svc_attr "['last_hard_state_change']" | cut -d. -f1)
result smtp 0 "SMTP OK - 0.01 s"
wait_q "SELECT hard_state FROM services WHERE service = 'smtp'" 0
t_ok=$(svc_attr "['last_hard_state_change']" | cut -d. -f1)
is "$(q "SELECT t, state, hard, attempt FROM results WHERE service = 'smtp' AND state = 2 ORDER BY t")" \
	"$t_soft|2|0|1
$t_hard|2|1|1" "SOFT then HARD, each once (CheckResult and StateChange carry the same result)"
is "$(q "SELECT start, end FROM svc_intervals WHERE service = 'smtp' AND state = 2")" "$t_soft|$t_ok" \
	"the HARD CRITICAL interval runs from the first failed (SOFT) check to the API's recovery"

# --- downtimes: one that runs and expires, one removed before it starts ---
now=$(date +%s)
d1=$(icinga_api POST /v1/actions/schedule-downtime \
	"{\"type\":\"Host\",\"filter\":\"host.name==\\\"web1\\\"\",\"author\":\"alice\",\"comment\":\"Planned web server upgrade\",\"start_time\":$((now + 1)),\"end_time\":$((now + 12)),\"fixed\":true}" |
	python3 -c "import json,sys; print(json.load(sys.stdin)['results'][0]['name'])")
d2=$(icinga_api POST /v1/actions/schedule-downtime \
	"{\"type\":\"Host\",\"filter\":\"host.name==\\\"web1\\\"\",\"author\":\"bob\",\"comment\":\"Disk replacement\",\"start_time\":$((now + 3600)),\"end_time\":$((now + 7200)),\"fixed\":true}" |
	python3 -c "import json,sys; print(json.load(sys.stdin)['results'][0]['name'])")
wait_q "SELECT count(*) FROM ingest_windows" 2
wait_q "SELECT state FROM ingest_windows WHERE ext_id = '$d1'" 1 20
d1_trig=$(api_json "/v1/objects/downtimes/$d1" "int(d[0]['attrs']['trigger_time'])")
icinga_api POST /v1/actions/remove-downtime "{\"downtime\":\"$d2\"}" >/dev/null
wait_q "SELECT cancelled FROM downtimes d JOIN ingest_windows w ON w.downtime = d.id WHERE ext_id = '$d2'" 1
is "$(q "SELECT d.start FROM downtimes d JOIN ingest_windows w ON w.downtime = d.id WHERE ext_id = '$d1'")" \
	"$d1_trig" "the running downtime starts at its trigger_time"

# --- the stream drops; smtp fails meanwhile; the reconnect catches up -----
proxy_stop
wait_file "$T/run.out" "event stream dropped" 10
result smtp 2 "SMTP CRITICAL - down again"
result smtp 2 "SMTP CRITICAL - down again"
t_hard2=$(svc_attr "['last_hard_state_change']" | cut -d. -f1)
proxy_start "$relay" "$IC_PORT"
wait_q "SELECT hard_state, hard_since FROM services WHERE service = 'smtp'" "2|$t_hard2" 30
ok $? "after the reconnect the HARD CRITICAL of the gap is there, at the API's time"
is "$(grep -c "connected; objects read again" "$T/run.out")" 2 "the objects were read again once per connect"

# --- the first downtime expires (DowntimeRemoved, remove_time 0) ---------
wait_q "SELECT state FROM ingest_windows WHERE ext_id = '$d1'" 2 60
is "$(q "SELECT d.end, ended, cancelled FROM downtimes d JOIN ingest_windows w ON w.downtime = d.id WHERE ext_id = '$d1'")" \
	"$((now + 12))|$((now + 12))|0" "the expired downtime ends at its end_time and is not cancelled"
kill -TERM $run_pid
for _ in $(seq 1 50); do kill -0 $run_pid 2>/dev/null || break; sleep 0.1; done
wait $run_pid
is "$?" 0 "glance run stops cleanly on SIGTERM"

# --- the page --------------------------------------------------------------
run "$G" render
is "$rc" 0 "render with the systems kept from the last ingest"
utc() { date -u -d "@$1" '+%Y-%m-%dT%H:%M:%SZ'; }
page=$(python3 -c "
import json
d = json.load(open('$T/public/status.json'))
w = [s for s in d['systems'] if s['id'] == 'web1'][0]
print(w['location'], '|', w['services'][0]['state'], w['services'][0]['since'])
for n in sorted(d['notices'], key=lambda n: (n['posted_at'], n['id'])):
    print(n['posted_at'], n['title'])
")
like "$page" "Amsterdam, Netherlands \| CRITICAL $(utc "$t_hard2")" "smtp CRITICAL since the gap's HARD change"
like "$page" "web1: Maintenance underway" "the running downtime is underway"
like "$page" "$(utc $((now + 12))) web1: Maintenance complete" "and complete at its end"
like "$page" "web1: Maintenance cancelled" "the removed one is cancelled"
echo "$page" | sed 's/^/#   /'
is "$(q "SELECT system, affected, starts FROM notices WHERE system IN ('router1', 'app1', 'app2') AND kind IN (3, 4)")" \
	"router1|app1,app2|$t_rdown" "the router's outage is one incident naming both hosts behind it"
like "$(q "SELECT body FROM notices WHERE system = 'router1' AND incident = id")" \
	"app1 and app2, reached through it, are unreachable" "which are unreachable, not down on their own"

# --- the daemon is really gone ----------------------------------------------
[ "$_tap_fail" = 0 ] || q "SELECT system, t, state, hard, attempt FROM results WHERE system IN ('router1', 'app1') ORDER BY t" | sed 's/^/#   results: /'
[ "$_tap_fail" = 0 ] || sed 's/^/#   run: /' "$T/run.out"
icinga_stop
icinga_running
is "$?" 1 "no process of this Icinga 2 is left"
done_testing

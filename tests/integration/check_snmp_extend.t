#!/bin/bash
# check_snmp_extend and check_mailqueue --snmp against a real snmpd on a
# free loopback port whose extend lines run real commands: a glance
# check_mailqueue over a queue listing, scripts that exit 0..2 with long
# output and perfdata, and the shapes that are no plugin result (exit 5,
# no output, broken perfdata, a command that is not there, one that
# hangs). v2c and v3 authPriv with secrets from env: and file:; a wrong
# community, refused v3 credentials and an absent extend. Where the
# net-snmp module (snmp.so) is looked for, and a missing one.
. "$(dirname "$0")/../lib.sh"

E=$B/plugins/check_snmp_extend
C=$B/plugins/check_mailqueue

# A queue listing in postqueue -j form, and a tool that prints it.
now=$(date +%s)
for i in 1 2 3 4 5; do
	printf '{"queue_name": "deferred", "queue_id": "Q%d", "arrival_time": %d, "message_size": 300, "sender": "bob@example.net", "recipients": [{"address": "u%d@remote.example", "delay_reason": "connect to 127.0.0.9[127.0.0.9]:25: Connection refused"}]}\n' \
		"$i" "$((now - 7200 - i))" "$i"
done >"$T/queue.json"
printf '#!/bin/sh\nexec cat %s\n' "$T/queue.json" >"$T/postqueue"
script() { # NAME BODY: an executable shell script $T/NAME
	printf '#!/bin/sh\n%s\n' "$2" >"$T/$1"
	chmod +x "$T/$1"
}
chmod +x "$T/postqueue"
script crit "echo 'DISK CRITICAL - / 3% free|/=97%;80;90;0;100 inodes=12'; echo 'second line'; echo 'third|x=1c'; exit 2"
script warn "echo \"LOAD WARNING - load 7.1|'load 1'=7.1;5;10;0 load5=U 'it''s'=1c\"; exit 1"
script exit5 "echo 'FOO OK - fine'; exit 5"
script silent "exit 0"
script badperf "echo 'FOO OK - fine|this is no perfdata'; exit 0"
script slow "exec sleep 4"

P=$(free_port udp)
printf '%s\n' "agentXSocket $T/agentx" "rocommunity s3cret 127.0.0.1" \
	'createUser monuser SHA "authpass123" AES "privpass123"' "rouser monuser priv" \
	"extend mailq $C --tool $T/postqueue -w 3 -c 10 --age-warning 3600" \
	"extend crit $T/crit" "extend warn $T/warn" "extend exit5 $T/exit5" \
	"extend silent $T/silent" "extend badperf $T/badperf" "extend slow $T/slow" \
	"extend missing $T/not-there" >"$T/snmpd.conf"
MIBS= SNMP_PERSISTENT_DIR=$T/persist snmpd -f -Lf "$T/snmpd.log" -C -c "$T/snmpd.conf" \
	-p "$T/snmpd.pid" "udp:127.0.0.1:$P" &
SNMPD=$!
track "$SNMPD"
up=1
for _ in $(seq 1 50); do
	MIBS= snmpget -v2c -c s3cret -t 0.2 -r 0 "127.0.0.1:$P" 1.3.6.1.2.1.1.3.0 >/dev/null 2>&1 &&
		{ up=0; break; }
	sleep 0.1
done
[ "$up" = 0 ] || { echo "Bail out! snmpd did not start: $(tail -3 "$T/snmpd.log")"; exit 1; }

V2=(-H 127.0.0.1 --snmp-port "$P" --community s3cret)

# ---- results arrive unchanged ----
run "$E" "${V2[@]}" -e crit
is "$rc" 2 "v2c: the remote exit code 2"
is "$out" "DISK CRITICAL - / 3% free|/=97%;80;90;0;100 inodes=12
second line
third|x=1c" "v2c: status line, long output and perfdata verbatim"
run "$E" "${V2[@]}" -e warn
is "$rc" 1 "v2c: exit code 1"
is "$out" "LOAD WARNING - load 7.1|'load 1'=7.1;5;10;0 load5=U 'it''s'=1c" \
	"v2c: quoted labels, U values and units pass unchanged"

# ---- check_mailqueue run by the agent, read over SNMP ----
local_out=$("$C" --tool "$T/postqueue" -w 3 -c 10 --age-warning 3600)
local_rc=$?
run "$C" --snmp "${V2[@]}"
is "$rc" 1 "check_mailqueue --snmp: the remote check's state (WARNING)"
like "$first" "^MAILQ WARNING - 5 messages \(deferred 5\), oldest 2h0m, top recipient domain remote.example 5, top sender bob@example.net 5\|unsent=5;2;9;0 deferred=5;;;0 " \
	"check_mailqueue --snmp: the remote status line"
is "$rc/${out%%|*}" "$local_rc/${local_out%%|*}" "check_mailqueue --snmp: what a local run says"
run "$C" -H 127.0.0.1 --snmp-port "$P" --community s3cret --extend crit
is "$rc/$first" "2/DISK CRITICAL - / 3% free|/=97%;80;90;0;100 inodes=12" "--extend NAME picks another extend"

run "$C" "${V2[@]}" -w 10
is "$rc/$first" "3/MAILQ UNKNOWN - -w applies to a local check; with -H put it in the extend line on the mail host" \
	"check_mailqueue -H with a local threshold: UNKNOWN, not silently ignored"

# ---- v3 authPriv, secrets from env: and file: ----
printf 'privpass123\n' >"$T/priv"
chmod 600 "$T/priv"
AUTH=authpass123 run "$E" -H 127.0.0.1 --snmp-port "$P" --snmp-version 3 --snmp-user monuser \
	--snmp-auth-pass env:AUTH --snmp-priv-pass "file:$T/priv" -e crit
is "$rc" 2 "v3 authPriv: exit code"
is "$first" "DISK CRITICAL - / 3% free|/=97%;80;90;0;100 inodes=12" "v3 authPriv: status line"
printf '%s\n' "version = 3" "user = monuser" "auth-password = authpass123" \
	"priv-password = privpass123" >"$T/auth"
chmod 600 "$T/auth"
run "$C" -H 127.0.0.1 --snmp-port "$P" --snmp-auth-file "$T/auth"
is "$rc" 1 "check_mailqueue --snmp over v3 with an auth file"
run "$E" -H 127.0.0.1 --snmp-port "$P" --snmp-version 3 --snmp-user monuser \
	--snmp-auth-pass wrongpass123 --snmp-priv-pass privpass123 -e crit
is "$rc" 3 "v3 with a wrong passphrase: UNKNOWN"
like "$first" "^EXTEND UNKNOWN - 127.0.0.1:$P refused the credentials: " "wrong passphrase: reason"

# ---- what is not a plugin result ----
run "$E" "${V2[@]}" -e exit5
is "$rc" 3 "exit 5: UNKNOWN"
is "$first" "EXTEND UNKNOWN - the remote command exited 5, not a plugin exit code (0..3): FOO OK - fine" \
	"exit 5: reason"
run "$E" "${V2[@]}" -e silent
is "$rc/$first" "3/EXTEND UNKNOWN - the remote command printed no status line (exit 0; can the agent's user run it?)" \
	"no output: UNKNOWN"
run "$E" "${V2[@]}" -e badperf
is "$rc" 3 "broken perfdata: UNKNOWN"
like "$first" "^EXTEND UNKNOWN - the remote command's perfdata is not in the 'label'=value\[UOM\];warn;crit;min;max grammar: FOO OK - fine this is no perfdata\$" \
	"broken perfdata: reason"
run "$E" "${V2[@]}" -e missing
is "$rc" 3 "a command the agent cannot run: UNKNOWN"
is "$first" "EXTEND UNKNOWN - the remote command printed no status line (exit 1; can the agent's user run it?)" \
	"cannot run: the agent's exit code named"
run "$E" "${V2[@]}" -e nosuch
is "$rc" 3 "an extend the agent does not have: UNKNOWN"
is "$first" "EXTEND UNKNOWN - 127.0.0.1:$P has no extend named 'nosuch' (snmpd.conf needs 'extend nosuch COMMAND', and the view must include NET-SNMP-EXTEND-MIB)" \
	"absent extend: reason"

# ---- no answer is never OK ----
elapsed_ms "$E" -H 127.0.0.1 --snmp-port "$P" --community wrong -e crit -t 2
is "$rc" 2 "wrong community (no answer): the -t state, CRITICAL"
like "$first" "^EXTEND CRITICAL - no response from 127.0.0.1:$P within 2 s \(agent down, wrong community or filtered\)\$" \
	"wrong community: reason"
ok "$([ "$ms" -lt 2500 ]; echo $?)" "wrong community: within -t ($ms ms)"
elapsed_ms "$E" "${V2[@]}" -e slow -t 2:ok
is "$rc" 3 "a remote command that hangs, -t 2:ok: UNKNOWN, never OK"
ok "$([ "$ms" -lt 2500 ]; echo $?)" "hang: within -t ($ms ms)"

# ---- the net-snmp module ----
# Beside the plugin directory, as make install lays it out: a copy of the
# plugin in $T/inst/plugins finds $T/inst/snmp.so.
mkdir -p "$T/inst/plugins"
cp "$E" "$T/inst/plugins/"
cp "$B/snmp.so" "$T/inst/"
run env -u GLANCE_SNMP_MODULE "$T/inst/plugins/check_snmp_extend" "${V2[@]}" -e crit
is "$rc/$first" "2/DISK CRITICAL - / 3% free|/=97%;80;90;0;100 inodes=12" \
	"a plugin finds snmp.so one directory above its own"
rm "$T/inst/snmp.so"
run env -u GLANCE_SNMP_MODULE "$T/inst/plugins/check_snmp_extend" "${V2[@]}" -e crit
is "$rc" 3 "no module there nor in the configured directory: UNKNOWN"
like "$first" "^EXTEND UNKNOWN - cannot load the SNMP module /[^ ]*/snmp\.so: cannot open shared object file: No such file or directory\$" \
	"then the configured module directory is named"
run env GLANCE_SNMP_MODULE="$T/none.so" "$E" "${V2[@]}" -e crit
is "$rc/$first" "3/EXTEND UNKNOWN - cannot load the SNMP module $T/none.so: cannot open shared object file: No such file or directory" \
	"\$GLANCE_SNMP_MODULE names the module; a missing one is UNKNOWN naming its path"
printf 'not an ELF file\n' >"$T/bad.so"
run env GLANCE_SNMP_MODULE="$T/bad.so" "$C" --snmp "${V2[@]}"
is "$rc" 3 "check_mailqueue --snmp, a module that is no shared object: UNKNOWN"
like "$first" "^MAILQ UNKNOWN - cannot load the SNMP module $T/bad\.so: .*(invalid ELF header|file too short)\$" \
	"the loader's reason, once, after the path"

# ---- bad arguments ----
run "$E" -e crit
is "$rc/$first" "3/EXTEND UNKNOWN - -H HOST is required" "no -H: UNKNOWN"
run "$E" -H 127.0.0.1
is "$rc/$first" "3/EXTEND UNKNOWN - -e NAME (the extend to read) is required" "no -e: UNKNOWN"
run "$E" -H 127.0.0.1 -e crit --snmp-version 1
is "$rc/$first" "3/EXTEND UNKNOWN - --snmp-version: version must be 2c or 3" "v1: UNKNOWN"
run "$E" "${V2[@]}" -e "$(printf 'x%.0s' $(seq 1 101))"
is "$rc/$first" "3/EXTEND UNKNOWN - extend name must be 1 to 100 characters" "a 101-character name: UNKNOWN"
is "$(cat "$T/stderr")" "" "nothing on stderr"
# snmpd may still wait for the slow extend: let it end before cleanup.
kill "$SNMPD" 2>/dev/null
for _ in $(seq 1 60); do kill -0 "$SNMPD" 2>/dev/null || break; sleep 0.1; done

done_testing

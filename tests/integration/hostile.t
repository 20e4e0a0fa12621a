#!/bin/bash
# Every network plugin, in every mode, against servers that misbehave on
# purpose (hostile_server.py): each run ends within -t + 0.5 s, CRITICAL
# or UNKNOWN, with a status line that names the fault. One table: a
# server mode, a plugin command (PORT is the server's port), and what the
# status line must say. Runs in batches, so the file stays well under the
# sum of its timeouts.
. "$(dirname "$0")/../lib.sh"
P=$B/plugins
TMO=1
BOUND_MS=$((TMO * 1000 + 500))
BATCH=${HOSTILE_BATCH:-6}

declare -A PORT
for m in silent slow endless flood reset garbage tlspartial starttls authecho; do
	PORT[$m]=$(free_port)
done
for m in dnswrongid dnstc dnsloop dnsgarbage snmpsilent snmpbad; do
	PORT[$m]=$(free_port udp)
done
for m in "${!PORT[@]}"; do
	python3 "$SRC/tests/integration/hostile_server.py" "$m" "${PORT[$m]}" 2>>"$T/server.err" &
	track $!
done
for m in silent slow endless flood reset garbage tlspartial starttls authecho; do
	wait_port "${PORT[$m]}" || echo "# server $m did not start"
done
udp_up() { ss -Hunl "sport = :$1" | grep -q .; }
for m in dnswrongid dnstc dnsloop dnsgarbage snmpsilent snmpbad; do
	wait_for 10 udp_up "${PORT[$m]}" || echo "# server $m did not start"
done
wait_port "${PORT[dnstc]}"

SMTP="check_smtp -H 127.0.0.1 -p PORT"
TLS="check_tls_cert -H 127.0.0.1 -p PORT"
DNS="check_dns -H www.example.test -s 127.0.0.1@PORT"
ZONE="check_dns --zone example.test -s 127.0.0.1@PORT"
SNMP="-H 127.0.0.1 --snmp-port PORT --community public"
# mode | command | the fault the status line names (extended regex)
CASES=$(
	cat <<TABLE
silent|$SMTP|timeout
silent|$SMTP -S|timeout
silent|$SMTP --ssl|timeout
silent|$TLS|timeout
silent|$TLS --starttls smtp|timeout
slow|$SMTP|timeout
slow|$SMTP -S|timeout
slow|$SMTP --ssl|timeout
slow|$TLS|timeout
slow|$TLS --starttls smtp|timeout
endless|$SMTP|longer than [0-9]+ bytes|wrong version number
endless|$SMTP -S|longer than [0-9]+ bytes|wrong version number
endless|$SMTP --ssl|longer than [0-9]+ bytes|wrong version number
endless|$TLS|longer than [0-9]+ bytes|wrong version number
endless|$TLS --starttls smtp|longer than [0-9]+ bytes|wrong version number
flood|$SMTP|longer than 64 lines|wrong version number
flood|$SMTP -S|longer than 64 lines|wrong version number
flood|$SMTP --ssl|longer than 64 lines|wrong version number
flood|$TLS|longer than 64 lines|wrong version number
flood|$TLS --starttls smtp|longer than 64 lines|wrong version number
reset|$SMTP|reset by peer|connection closed by
reset|$SMTP -S|reset by peer|connection closed by
reset|$SMTP --ssl|reset by peer|connection closed by
reset|$TLS|reset by peer|connection closed by
reset|$TLS --starttls smtp|reset by peer|connection closed by
garbage|$SMTP|not an SMTP reply line|with a NUL byte|wrong version number
garbage|$SMTP -S|not an SMTP reply line|with a NUL byte|wrong version number
garbage|$SMTP --ssl|not an SMTP reply line|with a NUL byte|wrong version number
garbage|$TLS|not an SMTP reply line|with a NUL byte|wrong version number
garbage|$TLS --starttls smtp|not an SMTP reply line|with a NUL byte|wrong version number
tlspartial|$SMTP --ssl|timeout
tlspartial|$TLS|timeout
starttls|$SMTP -S|sent data before the TLS handshake
starttls|$TLS --starttls smtp|sent data before the TLS handshake
snmpsilent|$DNS|no reply
snmpsilent|$ZONE|no reply
dnswrongid|$DNS|: no valid reply within [0-9.]+ s \([1-9][0-9]* repl(y|ies) with a wrong id ignored\)
dnswrongid|$ZONE|: no valid reply \(timeout, [1-9][0-9]* repl(y|ies) with a wrong id ignored\)
dnstc|$DNS|truncated UDP reply, TCP retry failed: no reply over TCP
dnstc|$ZONE|truncated UDP reply, TCP retry failed: no reply over TCP
dnsloop|$DNS|malformed reply .*compression pointer
dnsloop|$ZONE|malformed reply .*compression pointer
dnsgarbage|$DNS|malformed reply
dnsgarbage|$ZONE|malformed reply
snmpsilent|check_snmp_extend $SNMP -e check_x|no response from 127.0.0.1:[0-9]+ within 1 s
snmpbad|check_snmp_extend $SNMP -e check_x|no response from 127.0.0.1:[0-9]+ within 1 s
snmpsilent|check_mailqueue --snmp $SNMP|no response from 127.0.0.1:[0-9]+ within 1 s
snmpbad|check_mailqueue --snmp $SNMP|no response from 127.0.0.1:[0-9]+ within 1 s
snmpsilent|check_disk --snmp $SNMP|no response from 127.0.0.1:[0-9]+ within 1 s
snmpbad|check_disk --snmp $SNMP|no response from 127.0.0.1:[0-9]+ within 1 s
authecho|$SMTP --auth-without-tls -A PLAIN -U monitor -P s3cret.pw|authentication rejected: 535 5\.7\.8 .*\[redacted\]
authecho|$SMTP --auth-without-tls -A LOGIN -U monitor -P s3cret.pw|authentication rejected: 535 5\.7\.8 .*\[redacted\]
TABLE
)

# one case in the background: "rc ms" in $T/case.N, stdout in $T/out.N
run_case() {
	local n=$1 cmd=$2 s e
	s=$(date +%s%N)
	# shellcheck disable=SC2086
	$P/$cmd -t $TMO >"$T/out.$n" 2>"$T/err.$n"
	local rc=$?
	e=$(date +%s%N)
	echo "$rc $(((e - s) / 1000000))" >"$T/case.$n"
}

n=0
batch=()
while IFS='|' read -r mode cmd fault; do
	n=$((n + 1))
	run_case "$n" "${cmd//PORT/${PORT[$mode]}}" &
	batch+=($!)
	# only this batch's cases: the servers are children too
	[ $((n % BATCH)) = 0 ] && wait "${batch[@]}" && batch=()
done <<<"$CASES"
[ ${#batch[@]} -gt 0 ] && wait "${batch[@]}"

n=0
while IFS='|' read -r mode cmd fault; do
	n=$((n + 1))
	read -r rc ms <"$T/case.$n"
	first=$(head -1 "$T/out.$n")
	name="$mode: ${cmd%% -H*} ${cmd#*PORT}"
	ok "$([ "$rc" = 2 ] || [ "$rc" = 3 ]; echo $?)" "$name: CRITICAL or UNKNOWN (rc $rc)"
	ok "$([ "$ms" -le "$BOUND_MS" ]; echo $?)" "$name: ends within -t $TMO + 0.5 s (${ms} ms)"
	like "$first" "^[A-Z]+ (CRITICAL|UNKNOWN) - .*($fault)" "$name: the status line names the fault"
	echo "# $first"
	[ -s "$T/err.$n" ] && sed 's/^/#   stderr: /' "$T/err.$n" | head -5
done <<<"$CASES"
# what was sent during AUTH is nowhere in what check_smtp printed
creds=$(printf '\0monitor\0s3cret.pw' | base64)
ok "$(cat "$T"/out.* "$T"/err.* | grep -c -e "$creds" -e s3cret -e "$(printf s3cret.pw | base64)" | grep -qx 0; echo $?)" \
	"an AUTH echo never brings the credentials into the output"
done_testing

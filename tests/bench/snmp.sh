#!/bin/bash
# The SNMP modes against a real snmpd on loopback (its own config, no
# system files): check_disk -H on the root file system beside
# check_snmp_storage.pl (nagios-snmp-plugins, Perl), and check_snmp_extend
# reading an extend line's output beside monitoring-plugins' check_snmp
# getting the same NET-SNMP-EXTEND-MIB output OID.
. "$(dirname "$0")/lib.sh"

C=$B/plugins/check_disk
E=$B/plugins/check_snmp_extend
if ! command -v snmpd >/dev/null || ! have_peer "$C" "$E"; then
	skip "snmp" "needs snmpd, $C and $E"
	exit 0
fi
agent_answers() {
	MIBS= snmpget -v2c -c s3cret -t 0.2 -r 0 "127.0.0.1:$1" 1.3.6.1.2.1.1.3.0 >/dev/null 2>&1
}
printf '#!/bin/sh\necho "DISK OK - / 50%% free|/=50%%;80;90;0;100"\n' >"$T/ext"
chmod +x "$T/ext"
port=$(free_port udp)
printf '%s\n' "agentXSocket $T/agentx" "rocommunity s3cret 127.0.0.1" "disk /" \
	"extend disk $T/ext" >"$T/snmpd.conf"
MIBS= SNMP_PERSISTENT_DIR=$T/persist snmpd -f -Lf "$T/snmpd.log" -C -c "$T/snmpd.conf" \
	-p "$T/snmpd.pid" "udp:127.0.0.1:$port" &
track $!
if ! wait_for 10 agent_answers "$port"; then
	skip "snmp" "snmpd did not start: $(tail -n 1 "$T/snmpd.log")"
	exit 0
fi

floor check_disk
PEERS=()
if have_peer "$MP/check_snmp_storage.pl"; then
	PEERS=(:: "check_snmp_storage.pl" "$MP/check_snmp_storage.pl" -H 127.0.0.1 -p "$port"
		-C s3cret -2 -m '^/$' -w 80 -c 90)
else
	echo "  (check_snmp_storage.pl: nagios-snmp-plugins is not installed)"
fi
bench "check_disk -H (/ over SNMP v2c)" 50 \
	"glance check_disk -H" "$C" -H 127.0.0.1 --snmp-port "$port" --community s3cret \
	-w 20% -c 10% -p / "${PEERS[@]}" "${FLOOR[@]}"

# nsExtendOutputFull."disk": the extend's whole output, one GET.
oid=.1.3.6.1.4.1.8072.1.3.2.3.1.2.4.100.105.115.107
floor check_snmp_extend
PEERS=()
have_peer "$MP/check_snmp" &&
	PEERS=(:: "m-p check_snmp (one GET)" "$MP/check_snmp" -H 127.0.0.1 -p "$port" -P 2c \
		-C s3cret -o "$oid")
bench "check_snmp_extend -e disk (an extend's output over SNMP v2c)" 50 \
	"glance check_snmp_extend" "$E" -H 127.0.0.1 --snmp-port "$port" --community s3cret \
	-e disk "${PEERS[@]}" "${FLOOR[@]}"
exit 0

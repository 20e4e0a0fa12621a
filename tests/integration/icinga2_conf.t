#!/bin/bash
# nagios-conf/icinga2/ in a real Icinga 2: `icinga2 daemon -C` accepts the
# shipped files (constants, glance_* CheckCommands, the ISP example) with
# the ITL, then an icinga2 daemon with its REST API on loopback runs every
# glance_* command, and the ITL's own ping4, ping6, hostalive, smtp, dns,
# dig, disk and ssl_cert with PluginDir pointing at glance's plugins,
# against loopback services (deploy_env.sh). Each service's state, output
# and the command line Icinga ran are read from /v1/objects/services.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/deploy_env.sh"

command -v icinga2 >/dev/null || skip_all "icinga2 is not installed (tests/deps/deploy.list)"
[ "$(id -u)" = 0 ] || skip_all "needs root (postfix, snmpd and icinga2 run as root here)"
IC=$SRC/nagios-conf/icinga2
I=$T/icinga2
mkdir -p "$I/data/certs" "$I/cache" "$I/log" "$I/run/icinga2/cmd" "$I/spool" "$I/conf"

# Every path Icinga writes goes below $I, and it stays root (it would
# switch to the nagios user otherwise).
IDEF=()
for d in DataDir:data CacheDir:cache LogDir:log InitRunDir:run SpoolDir:spool \
	StatePath:data/icinga2.state ModAttrPath:data/modified-attributes.conf \
	ObjectsPath:cache/icinga2.debug VarsPath:cache/icinga2.vars PidPath:run/icinga2.pid; do
	IDEF+=(-D "Configuration.${d%%:*}=$I/${d#*:}")
done
IDEF+=(-D Configuration.RunAsUser=root -D Configuration.RunAsGroup=root)

# main_conf FILE...: the ITL with PluginDir at glance's plugins, then FILEs.
main_conf() {
	cat <<-CONF
		const PluginDir = "$B/plugins"
		const PluginContribDir = "$B/plugins"
		const ManubulonPluginDir = "$B/plugins"
		const NodeName = "glance-test"
		const ZoneName = "glance-test"
		const TicketSalt = ""
		include <itl>
		include <plugins>
		include <plugins-contrib>
	CONF
	local f
	for f in "$@"; do echo "include \"$f\""; done
}
sed "s|^const GlancePluginDir = .*|const GlancePluginDir = \"$B/plugins\"|" \
	"$IC/glance-constants.conf" >"$I/conf/glance-constants.conf"

# validate NAME FILE...: icinga2 daemon -C on the ITL, the constants and FILEs.
validate() {
	local name=$1
	shift
	main_conf "$I/conf/glance-constants.conf" "$@" >"$I/conf/$name.conf"
	run icinga2 daemon -C -c "$I/conf/$name.conf" "${IDEF[@]}"
	is "$rc" 0 "icinga2 daemon -C accepts $(cd "$SRC" && echo "${@##*/}")"
	[ "$rc" = 0 ] || grep -A3 critical <<<"$out" | sed 's/^/# /'
}

# ---- the shipped files pass icinga2 daemon -C -----------------------------
validate verify "$IC/glance-commands.conf" "$IC/example-isp.conf"
like "$out" "Instantiated 6 Hosts" "icinga2 -C: the example's six hosts"
# The objects icinga2 -C built are dumped to ObjectsPath, one JSON per line.
nglance=$(grep -c '^object CheckCommand "glance_' "$IC/glance-commands.conf")
is "$(grep -o '"name":"glance_[a-z_]*","properties":{"__name"' "$I/cache/icinga2.debug" |
	sort -u | wc -l)" "$nglance" "icinga2 -C: all $nglance glance_* CheckCommands instantiated"

deploy_env_start || { echo "Bail out! loopback services did not start"; exit 1; }

# ---- one service per command ----------------------------------------------
# NAME | PLUGIN | check_command | vars | STATE | output (regex) |
# the arguments Icinga passes after PLUGIN (shell-quoted, exact: Icinga
# orders them by "order", then by key, so "--x" comes before "-H").
# The host "lo" is 127.0.0.1 and ::1.
read -r -d '' ROWS <<ROWS
glance_ping|check_ping|glance_ping|vars.glance_ping_packets = 2|0|^PING OK - Packet loss = 0%, RTA = [0-9.]+ ms\$|-H 127.0.0.1 -c 200,60% -p 2 -w 100,20%
glance_ping_multi|check_ping|glance_ping|vars.glance_ping_address = [ "127.0.0.1", "127.0.0.2", "127.0.0.3" ]; vars.glance_ping_min_alive = 2; vars.glance_ping_packets = 2|0|^PING OK - 3/3 hosts OK|-H 127.0.0.1 -H 127.0.0.2 -H 127.0.0.3 -c 200,60% -m 2 -p 2 -w 100,20%
glance_smtp|check_smtp|glance_smtp|vars.glance_smtp_port = $SMTP_PORT; vars.glance_smtp_expect = "hi; there!"; vars.glance_smtp_warning = 2; vars.glance_smtp_critical = 5|0|^SMTP OK - mail.example.test ESMTP hi; there! / [0-9.]+ s response time\$|-H 127.0.0.1 -c 5 -e 'hi; there!' -p $SMTP_PORT -w 2
glance_smtp_starttls|check_smtp|glance_smtp|vars.glance_smtp_port = $SMTP_PORT; vars.glance_smtp_starttls = true; vars.glance_smtp_certificate_days = "30,14"|0|^SMTP OK - .*STARTTLS TLSv1\\.3|-D 30,14 -H 127.0.0.1 -S -p $SMTP_PORT
glance_dns|check_dns|glance_dns|vars.glance_dns_lookup = "mail.example.test"; vars.glance_dns_server = "127.0.0.1"; vars.glance_dns_port = $P; vars.glance_dns_query_type = "A"; vars.glance_dns_expected_answers = [ "192.0.2.2" ]; vars.glance_dns_authoritative = true|0|^DNS OK - mail.example.test A 192.0.2.2 in [0-9.]+ ms \\(127.0.0.1\\)\$|-A -H mail.example.test -a 192.0.2.2 -p $P -q A -s 127.0.0.1
glance_dns_zone|check_dns|glance_dns|vars.glance_dns_zone = "example.test"; vars.glance_dns_server = "127.0.0.1"; vars.glance_dns_port = $P; vars.glance_dns_serial_drift = "0,20"|1|^DNS WARNING - ns2.example.test/127.0.0.2: serial 2026112500 is 10 behind 2026112510|--serial-drift 0,20 --zone example.test -p $P -s 127.0.0.1
glance_dns_dnssec|check_dns|glance_dns|vars.glance_dns_lookup = "www.signed.test"; vars.glance_dns_server = "127.0.0.1"; vars.glance_dns_port = $P; vars.glance_dns_dnssec = true; vars.glance_dns_trust_anchor = "$T/anchor-signed.ds"; vars.glance_dns_rrsig_days = "7,3"|0|^DNS OK - www.signed.test A 192.0.2.80|--dnssec --rrsig-days 7,3 --trust-anchor $T/anchor-signed.ds -H www.signed.test -p $P -s 127.0.0.1
glance_dnsbl|check_dns|glance_dns|vars.glance_dns_lookup = "127.0.0.2"; vars.glance_dns_dnsbl = [ "bl.test" ]; vars.glance_dns_server = "127.0.0.1"; vars.glance_dns_port = $P|2|^DNS CRITICAL - listed on bl.test|--dnsbl bl.test -H 127.0.0.2 -p $P -s 127.0.0.1
glance_tls_cert|check_tls_cert|glance_tls_cert|vars.glance_tls_cert_port = $TLS_PORT; vars.glance_tls_cert_sni = "www.example.test"; vars.glance_tls_cert_ca_file = "$CA"; vars.glance_tls_cert_warning = 400|1|^TLS WARNING - 127.0.0.1: certificate expires in 36[45] days \\([0-9-]+\\) / CN=www.example.test|--ca-file $CA --sni www.example.test -H 127.0.0.1 -c 14 -p $TLS_PORT -w 400
glance_tls_cert_starttls|check_tls_cert|glance_tls_cert|vars.glance_tls_cert_port = $SMTP_PORT; vars.glance_tls_cert_starttls = "smtp"; vars.glance_tls_cert_sni = "mail.example.test"; vars.glance_tls_cert_no_verify = true|0|^TLS OK - 127.0.0.1: CN=mail.example.test|--no-verify --sni mail.example.test --starttls smtp -H 127.0.0.1 -c 14 -p $SMTP_PORT -w 30
glance_disk|check_disk|glance_disk|vars.glance_disk_wfree = "100%"; vars.glance_disk_cfree = "0%"; vars.glance_disk_partitions = [ "/" ]|1|^DISK WARNING - free space: / [0-9]+MiB|-c 0% -w 100% -p /
glance_disk_snmp|check_disk|glance_disk|vars.glance_disk_wfree = "100%"; vars.glance_disk_cfree = "0%"; vars.glance_disk_partitions = [ "/" ]; vars.glance_disk_snmp_host = "127.0.0.1"; vars.glance_disk_snmp_port = $SNMP_PORT; vars.glance_disk_snmp_auth_file = "$SNMP_AUTH"|1|^DISK WARNING - free space: / [0-9]+MiB|-c 0% -w 100% --snmp-auth-file $SNMP_AUTH --snmp-port $SNMP_PORT -H 127.0.0.1 -p /
glance_mailqueue|check_mailqueue|glance_mailqueue|vars.glance_mailqueue_config_dir = "$PF"|0| OK - |--config-dir $PF -M postfix -c 20 -w 10
glance_snmp_extend|check_snmp_extend|glance_snmp_extend|vars.glance_snmp_extend_name = "glance_warn"; vars.glance_snmp_extend_port = $SNMP_PORT; vars.glance_snmp_extend_auth_file = "$SNMP_AUTH"|1|EXT WARNING - 7 items|--extend glance_warn --snmp-auth-file $SNMP_AUTH --snmp-port $SNMP_PORT -H 127.0.0.1
itl_ping4|check_ping|ping4|vars.ping_packets = 2|0|^PING OK - Packet loss = 0%|-4 -H 127.0.0.1 -c 200,15% -p 2 -w 100,5%
itl_ping6|check_ping|ping6|vars.ping_packets = 2|0|^PING OK - Packet loss = 0%|-6 -H ::1 -c 200,15% -p 2 -w 100,5%
itl_smtp|check_smtp|smtp|vars.smtp_port = $SMTP_PORT; vars.smtp_expect = "ESMTP"; vars.smtp_starttls = true|0|^SMTP OK - mail.example.test ESMTP hi; there! / STARTTLS|-H 127.0.0.1 -S -e ESMTP -p $SMTP_PORT
itl_dns|check_dns|dns|vars.dns_lookup = "mail.example.test"; vars.dns_server = "127.0.0.1@$P"; vars.dns_expected_answers = [ "192.0.2.2" ]; vars.dns_authoritative = true|0|^DNS OK - mail.example.test A 192.0.2.2|-A -H mail.example.test -a 192.0.2.2 -s 127.0.0.1@$P -t 10
itl_dig|check_dig|dig|vars.dig_port = $P; vars.dig_lookup = "mail.example.test"; vars.dig_record_type = "MX"; vars.dig_lookup = "example.test"; vars.dig_expected_address = "10 mail.example.test."|0|^DNS OK - example.test MX 10 mail.example.test. in [0-9.]+ ms \\(127.0.0.1\\)\$|-H 127.0.0.1 -T MX -a '10 mail.example.test.' -l example.test -p $P
itl_disk|check_disk|disk|vars.disk_wfree = "100%"; vars.disk_cfree = "0%"; vars.disk_partitions = [ "/" ]|1|^DISK WARNING - free space: / [0-9]+MiB|-c 0% -w 100% -X none -X tmpfs -X sysfs -X proc -X configfs -X devtmpfs -X devfs -X mtmfs -X tracefs -X cgroup -X fuse.gvfsd-fuse -X fuse.gvfs-fuse-daemon -X fdescfs -X overlay -X nsfs -X squashfs -m -p /
itl_ssl_cert|check_ssl_cert|ssl_cert|vars.ssl_cert_port = $TLS_PORT; vars.ssl_cert_sni = "www.example.test"; vars.ssl_cert_warn = 30; vars.ssl_cert_critical = 14|2|^TLS CRITICAL - 127.0.0.1: unknown issuer CN=Glance Test Root / CN=www.example.test|--sni www.example.test -H 127.0.0.1 -c 14 -p $TLS_PORT -w 30
ROWS

APORT=$(free_port) || { echo "Bail out! no free port for the API"; exit 1; }
# The API's certificates: a CA of the test's own and the node's key.
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=Glance Test Icinga CA" \
	-keyout "$I/ca.key" -out "$I/data/certs/ca.crt" 2>/dev/null &&
	openssl req -new -newkey rsa:2048 -nodes -subj "/CN=glance-test" \
		-keyout "$I/data/certs/glance-test.key" -out "$I/node.csr" 2>/dev/null &&
	openssl x509 -req -in "$I/node.csr" -CA "$I/data/certs/ca.crt" -CAkey "$I/ca.key" \
		-CAcreateserial -days 2 -out "$I/data/certs/glance-test.crt" 2>/dev/null ||
	{ echo "Bail out! cannot make the API certificates"; exit 1; }
{
	cat <<-CONF
		object FileLogger "main-log" { path = "$I/log/icinga2.log"; severity = "information" }
		object CheckerComponent "checker" { }
		object Endpoint "glance-test" { }
		object Zone "glance-test" { endpoints = [ "glance-test" ] }
		object ApiListener "api" { bind_host = "127.0.0.1"; bind_port = "$APORT" }
		object ApiUser "test" { password = "glance-test-pw"; permissions = [ "objects/query/*" ] }
		object Host "lo" {
			address = "127.0.0.1"
			address6 = "::1"
			check_command = "hostalive"
			check_interval = 2s
			retry_interval = 2s
		}
	CONF
	while IFS='|' read -r name plugin cmd vars _; do
		[ -x "$B/plugins/$plugin" ] || continue
		printf 'object Service "%s" {\n\thost_name = "lo"\n\tcheck_command = "%s"\n\tmax_check_attempts = 1\n\tcheck_interval = 2s\n\tretry_interval = 2s\n\t%s\n}\n' \
			"$name" "$cmd" "$vars"
	done <<<"$ROWS"
} >"$I/conf/e2e-objects.conf"
validate e2e "$IC/glance-commands.conf" "$I/conf/e2e-objects.conf"

icinga2 daemon -c "$I/conf/e2e.conf" "${IDEF[@]}" >"$I/stdout" 2>&1 &
IPID=$!
track "$IPID"

# api_dump: one line per checked object, NAME<TAB>STATE<TAB>OUTPUT's first
# line<TAB>the arguments after the plugin, shell-quoted.
api_dump() {
	curl -s --max-time 5 --cacert "$I/data/certs/ca.crt" --resolve "glance-test:$APORT:127.0.0.1" \
		-u test:glance-test-pw "https://glance-test:$APORT/v1/objects/$1?attrs=name&attrs=last_check_result" |
		python3 -c '
import json, shlex, sys
try:
    res = json.load(sys.stdin)["results"]
except Exception:
    sys.exit(0)
for r in res:
    cr = r["attrs"]["last_check_result"]
    if cr is None:
        continue
    cmd = cr["command"]
    args = shlex.join(cmd[1:]) if isinstance(cmd, list) else cmd
    print("\t".join([r["attrs"]["name"], str(int(cr["state"])),
                     cr["output"].split("\n")[0], cmd[0] if isinstance(cmd, list) else "", args]))
'
}

want=0
while IFS='|' read -r _ plugin _; do
	[ -x "$B/plugins/$plugin" ] && want=$((want + 1))
done <<<"$ROWS"
for _ in $(seq 1 300); do
	api_dump services >"$I/services.tsv"
	[ "$(wc -l <"$I/services.tsv")" -ge "$want" ] && break
	kill -0 "$IPID" 2>/dev/null || break
	sleep 0.2
done
kill -0 "$IPID" 2>/dev/null || { echo "# icinga2 exited:"; tail -5 "$I/stdout" | sed 's/^/#   /'; }

while IFS='|' read -r name plugin _ _ state line args; do
	row_skip "$plugin" && continue
	IFS=$'\t' read -r _ got_state got_out got_cmd got_args < <(grep "^$name"$'\t' "$I/services.tsv")
	is "${got_state:-}" "$state" "icinga2: $name reaches state $state"
	like "${got_out:-}" "$line" "icinga2: $name output"
	is "${got_cmd:-}" "$B/plugins/$plugin" "icinga2: $name runs $plugin"
	is "${got_args:-}" "$args" "icinga2: $name arguments"
done <<<"$ROWS"

for _ in $(seq 1 100); do
	api_dump hosts >"$I/hosts.tsv"
	[ -s "$I/hosts.tsv" ] && break
	sleep 0.2
done
IFS=$'\t' read -r _ hstate _ hcmd hargs <"$I/hosts.tsv"
is "${hstate:-}" 0 "icinga2: host lo UP through the ITL's hostalive"
is "${hcmd:-} ${hargs:-}" "$B/plugins/check_ping -H 127.0.0.1 -c 5000,100% -w 3000,80%" \
	"icinga2: hostalive's command line"

like " $(pgrep -f -- "$I/conf/e2e.conf" | tr '\n' ' ')" " $IPID " "pgrep finds icinga2 by its config path"
kill "$IPID"
for _ in $(seq 1 100); do kill -0 "$IPID" 2>/dev/null || break; sleep 0.1; done
ok "$(kill -0 "$IPID" 2>/dev/null && echo 1 || echo 0)" "icinga2 stopped by its PID"
# its helper processes (forked, so they carry the same command line) too
for _ in $(seq 1 50); do pgrep -f -- "$I/conf/e2e.conf" >/dev/null || break; sleep 0.1; done
is "$(pgrep -f -- "$I/conf/e2e.conf")" "" "no icinga2 process of this test is left"
done_testing

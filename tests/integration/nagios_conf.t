#!/bin/bash
# nagios-conf/nagios/ in a real Nagios 4: `nagios4 -v` accepts the shipped
# files (commands, templates, resource file, the ISP example), then a
# nagios4 daemon runs every glance_* command once against loopback
# services (deploy_env.sh) and each service must reach its expected state
# and status line in status.dat. The command lines Nagios ran are read
# from its debug log, so the mapping of $ARGn$, $HOSTADDRESS$ and
# custom-variable macros (and of '\;' and '\!') is checked as executed.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/deploy_env.sh"

command -v nagios4 >/dev/null || skip_all "nagios4 is not installed (tests/deps/deploy.list)"
[ "$(id -u)" = 0 ] || skip_all "needs root (postfix, snmpd and nagios4 run as root here)"
NC=$SRC/nagios-conf/nagios
N=$T/nagios
mkdir -p "$N/spool"
sed "s|^\\\$USER5\\\$=.*|\$USER5\$=$B/plugins|" "$NC/resource.cfg" >"$N/resource.cfg"

# main_cfg FILE...: a nagios.cfg whose state lives in $N, reading FILEs.
# interval_length=1 makes the templates' minutes seconds, and no
# inter-check delay runs every check at once.
main_cfg() {
	local f
	for f in "$@"; do echo "cfg_file=$f"; done
	cat <<-CFG
		resource_file=$N/resource.cfg
		log_file=$N/nagios.log
		status_file=$N/status.dat
		status_update_interval=1
		lock_file=$N/nagios.lock
		temp_file=$N/nagios.tmp
		temp_path=$N
		check_result_path=$N/spool
		check_result_reaper_frequency=1
		object_cache_file=$N/objects.cache
		precached_object_file=$N/objects.precache
		command_file=$N/nagios.cmd
		state_retention_file=$N/retention.dat
		retain_state_information=0
		nagios_user=root
		nagios_group=root
		interval_length=1
		service_inter_check_delay_method=n
		host_inter_check_delay_method=n
		max_concurrent_checks=0
		enable_notifications=0
		enable_flap_detection=0
		debug_file=$N/debug.log
		debug_level=2048
		debug_verbosity=1
		max_debug_file_size=100000000
		illegal_macro_output_chars=\`~\$&|'"<>
	CFG
}

# ---- the shipped files pass nagios4 -v ------------------------------------
main_cfg "$NC/glance-commands.cfg" "$NC/glance-templates.cfg" "$NC/example-isp.cfg" \
	>"$N/verify.cfg"
run nagios4 -v "$N/verify.cfg"
is "$rc" 0 "nagios4 -v accepts glance-commands.cfg, glance-templates.cfg, example-isp.cfg"
like "$out" $'Total Warnings: 0\n' "nagios4 -v: no warnings"
like "$out" "Checked 6 hosts" "nagios4 -v: the example's six hosts"
ncmd=$(grep -c '^[[:space:]]*command_name' "$NC/glance-commands.cfg" "$NC/glance-templates.cfg" |
	awk -F: '{ n += $2 } END { print n }')
like "$out" "Checked $ncmd commands" "nagios4 -v: every command of the shipped files ($ncmd)"

deploy_env_start || { echo "Bail out! loopback services did not start"; exit 1; }

# ---- one service per command ----------------------------------------------
# NAME | PLUGIN | HOST | check_command | STATE | status line (regex) |
# the command line Nagios runs, after $USER5$/PLUGIN (exact).
# Hosts: lo is 127.0.0.1, lo2 127.0.0.2 (listed on bl.test). The SMTP
# banner's ';' reaches the plugin (-e 'hi; there!'), but Nagios stores a
# ';' of plugin output as ':' (its check results are ';'-separated).
read -r -d '' ROWS <<ROWS
ping|check_ping|lo|glance_check_ping!100,20%!200,60%!-p 2 -i 10|0|^PING OK - Packet loss = 0%, RTA = [0-9.]+ ms\$|-H '127.0.0.1' -w '100,20%' -c '200,60%' -p 2 -i 10
ping_multi|check_ping|lo|glance_check_ping_multi!127.0.0.1,127.0.0.2,127.0.0.3!2!100,20%!200,60%!-p 2 -i 10|0|^PING OK - 3/3 hosts OK|-H '127.0.0.1,127.0.0.2,127.0.0.3' -m '2' -w '100,20%' -c '200,60%' -p 2 -i 10
smtp|check_smtp|lo|glance_check_smtp!$SMTP_PORT!hi\\; there\\!!2!5|0|^SMTP OK - mail.example.test ESMTP hi: there! / [0-9.]+ s response time\$|-H '127.0.0.1' -p '$SMTP_PORT' -e 'hi; there!' -w '2' -c '5'
smtp_starttls|check_smtp|lo|glance_check_smtp_starttls!$SMTP_PORT!30,14|0|^SMTP OK - .*STARTTLS TLSv1\\.3|-H '127.0.0.1' -p '$SMTP_PORT' -S -D '30,14'
dns|check_dns|lo|glance_check_dns!mail.example.test!A!-p $P -a 192.0.2.2 -A|0|^DNS OK - mail.example.test A 192.0.2.2 in [0-9.]+ ms \\(127.0.0.1\\)\$|-H 'mail.example.test' -s '127.0.0.1' -q 'A' -p $P -a 192.0.2.2 -A
dns_zone|check_dns|lo|glance_check_dns_zone!example.test!0,20!-p $P|1|^DNS WARNING - ns2.example.test/127.0.0.2: serial 2026112500 is 10 behind 2026112510|--zone 'example.test' -s '127.0.0.1' --serial-drift '0,20' -p $P
dns_dnssec|check_dns|lo|glance_check_dns_dnssec!www.signed.test!$T/anchor-signed.ds!7,3!-p $P|0|^DNS OK - www.signed.test A 192.0.2.80|-H 'www.signed.test' -s '127.0.0.1' --dnssec --trust-anchor '$T/anchor-signed.ds' --rrsig-days '7,3' -p $P
dnsbl|check_dns|lo2|glance_check_dnsbl!bl.test!127.0.0.1!-p $P|2|^DNS CRITICAL - listed on bl.test|-H '127.0.0.2' --dnsbl 'bl.test' -s '127.0.0.1' -p $P
tls_cert|check_tls_cert|lo|glance_check_tls_cert!$TLS_PORT!400!14!--sni www.example.test --ca-file $CA|1|^TLS WARNING - 127.0.0.1: certificate expires in 36[45] days \\([0-9-]+\\) / CN=www.example.test, issuer CN=Glance Test Intermediate|-H '127.0.0.1' -p '$TLS_PORT' -w '400' -c '14' --sni www.example.test --ca-file $CA
tls_cert_starttls|check_tls_cert|lo|glance_check_tls_cert_starttls!$SMTP_PORT!smtp!30!14!--sni mail.example.test --no-verify|0|^TLS OK - 127.0.0.1: CN=mail.example.test, issuer CN=mail.example.test|-H '127.0.0.1' -p '$SMTP_PORT' --starttls 'smtp' -w '30' -c '14' --sni mail.example.test --no-verify
disk|check_disk|lo|glance_check_disk!100%!0%!/|1|^DISK WARNING - free space: / [0-9]+MiB|-w '100%' -c '0%' -p '/'
disk_snmp|check_disk|lo|glance_check_disk_snmp!100%!0%!--snmp-port $SNMP_PORT -p /|1|^DISK WARNING - free space: / [0-9]+MiB|-H '127.0.0.1' --snmp-auth-file '$SNMP_AUTH' -w '100%' -c '0%' --snmp-port $SNMP_PORT -p /
mailqueue|check_mailqueue|lo|glance_check_mailqueue!10!20!postfix!--config-dir $PF|0| OK - |-w '10' -c '20' -M 'postfix' --config-dir $PF
snmp_extend|check_snmp_extend|lo|glance_check_snmp_extend!glance_warn!--snmp-port $SNMP_PORT|1|EXT WARNING - 7 items|-H '127.0.0.1' --snmp-auth-file '$SNMP_AUTH' --extend 'glance_warn' --snmp-port $SNMP_PORT
ROWS

{
	for h in lo:127.0.0.1 lo2:127.0.0.2; do
		printf 'define host {\n\tuse glance-host\n\thost_name %s\n\taddress %s\n\t_SNMP_AUTH_FILE %s\n}\n' \
			"${h%%:*}" "${h#*:}" "$SNMP_AUTH"
	done
	while IFS='|' read -r name plugin host cmd _; do
		[ -x "$B/plugins/$plugin" ] || continue
		printf 'define service {\n\tuse glance-service\n\thost_name %s\n\tservice_description %s\n\tcheck_command %s\n\tmax_check_attempts 1\n}\n' \
			"$host" "$name" "$cmd"
	done <<<"$ROWS"
} >"$N/e2e-objects.cfg"
main_cfg "$NC/glance-commands.cfg" "$NC/glance-templates.cfg" "$N/e2e-objects.cfg" >"$N/e2e.cfg"
run nagios4 -v "$N/e2e.cfg"
is "$rc" 0 "nagios4 -v accepts the end-to-end objects"
[ "$rc" = 0 ] || grep -i error <<<"$out" | sed 's/^/# /'

# svc_field HOST SERVICE FIELD: FIELD of that servicestatus in status.dat.
svc_field() {
	awk -v h="$1" -v s="$2" -v f="$3" '
		/^servicestatus \{/ { inb = 1; hh = ""; ss = ""; split("", v); next }
		inb && /^\t}/ { if (hh == h && ss == s) { print v[f]; exit } inb = 0; next }
		inb { sub(/^\t/, ""); k = $0; sub(/=.*/, "", k); val = $0; sub(/^[^=]*=/, "", val)
			v[k] = val; if (k == "host_name") hh = val; if (k == "service_description") ss = val }
	' "$N/status.dat"
}

nagios4 "$N/e2e.cfg" >"$N/stdout" 2>&1 &
NPID=$!
track "$NPID"

# Wait (at most 60 s) until every service and both hosts have been checked.
want=2
while IFS='|' read -r _ plugin _; do
	[ -x "$B/plugins/$plugin" ] && want=$((want + 1))
done <<<"$ROWS"
for _ in $(seq 1 600); do
	[ -f "$N/status.dat" ] &&
		[ "$(grep -c 'has_been_checked=1' "$N/status.dat")" -ge "$want" ] && break
	sleep 0.1
done

# The command lines as run: the macro debug log's expansions of them.
sed -n "s/.*Done\.  Final output: '\(.*[^ ]\) *'\$/\1/p" "$N/debug.log" | sort -u >"$N/ran"
while IFS='|' read -r name plugin host _ state line args; do
	row_skip "$plugin" && continue
	is "$(svc_field "$host" "$name" current_state)" "$state" "nagios: $name reaches state $state"
	like "$(svc_field "$host" "$name" plugin_output)" "$line" "nagios: $name status line"
	ran=$(grep -Fx "$B/plugins/$plugin $args" "$N/ran")
	ok "$([ -n "$ran" ] && echo 0 || echo 1)" "nagios: $name ran as $plugin $args"
	[ -n "$ran" ] || grep -F "$B/plugins/$plugin" "$N/ran" | sed 's/^/#   ran: /'
done <<<"$ROWS"

up=$(awk '/^hoststatus \{/ { b = 1 } b && /current_state=/ { print; b = 0 }' "$N/status.dat" |
	sort | uniq -c | tr -s ' \t' '  ')
is "$up" " 2 current_state=0" "nagios: both hosts UP through glance_check_host_alive"

like " $(pgrep -f -- "$N/e2e.cfg" | tr '\n' ' ')" " $NPID " "pgrep finds nagios4 by its config path"
kill "$NPID"
for _ in $(seq 1 100); do kill -0 "$NPID" 2>/dev/null || break; sleep 0.1; done
ok "$(kill -0 "$NPID" 2>/dev/null && echo 1 || echo 0)" "nagios4 stopped by its PID"
# its helper processes (forked, so they carry the same command line) too
for _ in $(seq 1 50); do pgrep -f -- "$N/e2e.cfg" >/dev/null || break; sleep 0.1; done
is "$(pgrep -f -- "$N/e2e.cfg")" "" "no nagios4 process of this test is left"
done_testing

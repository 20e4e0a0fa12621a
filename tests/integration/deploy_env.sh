# Loopback services for the end-to-end tests of nagios-conf/ (sourced
# after lib.sh by nagios_conf.t and icinga2_conf.t): every command those
# files define is run by a real core against these.
#
#   deploy_env_start   starts them all, or returns 1 saying which failed:
#     Postfix on 127.0.0.1:$SMTP_PORT with STARTTLS (self-signed cert
#       $PF/cert.pem for mail.example.test) and the banner
#       "mail.example.test ESMTP hi; there!" (';' and '!' to escape);
#     nsd with the check_dns test zones (dns_env.sh) on port $P:
#       127.0.0.1 is ns1 (primary), 127.0.0.2 ns2 (a lagging secondary);
#     openssl s_server on 127.0.0.1:$TLS_PORT with www.example.test's
#       certificate from the test CA $CA (365 days left);
#     snmpd on udp 127.0.0.1:$SNMP_PORT, v2c credentials in $SNMP_AUTH,
#       with extends "glance_ok" (exit 0) and "glance_warn" (exit 1).
#
#   row_skip PLUGIN    true (and says why) when $B/plugins/PLUGIN is not built

. "$(dirname "${BASH_SOURCE[0]}")/../postfix.sh"
. "$(dirname "${BASH_SOURCE[0]}")/tls-pki.sh"
. "$(dirname "${BASH_SOURCE[0]}")/dns_env.sh"

_deploy_smtp() {
	PF=$T/pf
	SMTP_PORT=$(free_port) || return 1
	pf_setup "$PF" "$SMTP_PORT" && pf_cert "$PF" mail.example.test 365 &&
		postconf -c "$PF" -e 'smtpd_banner = $myhostname ESMTP hi; there!' &&
		pf_start "$PF"
}

_deploy_tls() {
	TLS_PORT=$(free_port) || return 1
	pki_init && pki_leaf www --san DNS:www.example.test --days 365 &&
		serve_tls www "$TLS_PORT" || return 1
	CA=$P/root/cert.pem
}

_deploy_snmp() {
	SNMP_PORT=$(free_port udp) || return 1
	SNMP_AUTH=$T/snmp.auth
	printf 'version = 2c\ncommunity = s3cret\n' >"$SNMP_AUTH"
	chmod 600 "$SNMP_AUTH"
	printf '%s\n' "agentXSocket $T/snmpd.agentx" "rocommunity s3cret 127.0.0.1" \
		"extend glance_ok /bin/sh -c 'echo \"EXT OK - all good|n=1;5;10;0\"; exit 0'" \
		"extend glance_warn /bin/sh -c 'echo \"EXT WARNING - 7 items|n=7;5;10;0\"; exit 1'" \
		>"$T/snmpd.conf"
	MIBS= SNMP_PERSISTENT_DIR=$T/snmp-persist snmpd -f -Lf "$T/snmpd.log" -C \
		-c "$T/snmpd.conf" -p "$T/snmpd.pid" "udp:127.0.0.1:$SNMP_PORT" &
	track $!
	for _ in $(seq 1 50); do
		MIBS= snmpget -v2c -c s3cret -t 0.2 -r 0 "127.0.0.1:$SNMP_PORT" 1.3.6.1.2.1.1.3.0 \
			>/dev/null 2>&1 && return 0
		sleep 0.1
	done
	return 1
}

deploy_env_start() {
	_deploy_smtp || { echo "# postfix did not start"; return 1; }
	_deploy_tls || { echo "# openssl s_server did not start"; return 1; }
	# dns_env.sh takes $P for its port; the PKI's directory is in $CA now.
	_deploy_snmp || { echo "# snmpd did not start: $(tail -3 "$T/snmpd.log")"; return 1; }
	dns_env_start || { echo "# nsd did not start"; return 1; }
}

row_skip() {
	[ -x "$B/plugins/$1" ] && return 1
	echo "ok $((_tap_n + 1)) # SKIP $1 is not built in $B/plugins"
	_tap_n=$((_tap_n + 1))
	return 0
}

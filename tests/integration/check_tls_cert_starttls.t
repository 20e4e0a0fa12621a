#!/bin/bash
# check_tls_cert --starttls: SMTP against a real postfix started in its
# own config directory, the other protocols against the loopback STARTTLS
# test server (tests/integration/starttls-server.py).
. "$(dirname "$0")/../lib.sh"
. "$SRC/tests/integration/tls-pki.sh"

C=$B/plugins/check_tls_cert
[ -x "$C" ] || { echo "Bail out! $C not built"; exit 1; }
pki_init || { echo "Bail out! cannot make the test CA"; exit 1; }
pki_leaf mail --san DNS:mail.example.test
pki_leaf soon --san DNS:mail.example.test --days 10
for n in mail soon; do cat "$P/$n.pem" "$P/$n.extra.pem" >"$P/$n.chain.pem"; done

# --- postfix ---------------------------------------------------------------
# postfix's daemons run as the postfix user and must reach their files.
chmod 755 "$T" "$P"
chmod 644 "$P"/*.pem "$P"/*.key
PF=$T/postfix
mkdir -p "$PF/conf" "$PF/queue" "$PF/data"
chown postfix "$PF/data"
smtp_port=$(free_port)
cat >"$PF/conf/main.cf" <<EOF
compatibility_level = 3.6
queue_directory = $PF/queue
data_directory = $PF/data
mail_owner = postfix
setgid_group = postdrop
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
myhostname = mail.example.test
mydestination =
alias_maps =
alias_database =
local_recipient_maps =
smtpd_tls_cert_file = $P/mail.chain.pem
smtpd_tls_key_file = $P/mail.key
smtpd_tls_security_level = may
maillog_file = $PF/maillog
maillog_file_prefixes = $PF
EOF
{
	echo "127.0.0.1:$smtp_port inet n - n - - smtpd"
	for s in "pickup unix n - n 60 1 pickup" "cleanup unix n - n - 0 cleanup" \
		"qmgr unix n - n 300 1 qmgr" "tlsmgr unix - - n 1000? 1 tlsmgr" \
		"rewrite unix - - n - - trivial-rewrite" "bounce unix - - n - 0 bounce" \
		"defer unix - - n - 0 bounce" "trace unix - - n - 0 bounce" \
		"verify unix - - n - 1 verify" "flush unix n - n 1000? 0 flush" \
		"proxymap unix - - n - - proxymap" "showq unix n - n - - showq" \
		"error unix - - n - - error" "retry unix - - n - - error" \
		"discard unix - - n - - discard" "local unix - n n - - local" \
		"smtp unix - - n - - smtp" "relay unix - - n - - smtp" \
		"anvil unix - - n - 1 anvil" "scache unix - - n - 1 scache" \
		"postlog unix-dgram n - n - 1 postlogd"; do
		echo "$s"
	done
} >"$PF/conf/master.cf"
postfix -c "$PF/conf" check >"$T/postfix-check.log" 2>&1 ||
	{ echo "Bail out! postfix check failed"; exit 1; }
postfix -c "$PF/conf" start >"$T/postfix-start.log" 2>&1 ||
	{ echo "Bail out! postfix did not start"; cat "$PF/maillog" 2>/dev/null | sed 's/^/# /'; exit 1; }
wait_for 5 test -s "$PF/queue/pid/master.pid"
track "$(tr -d ' ' <"$PF/queue/pid/master.pid")"
wait_port "$smtp_port" 10 || echo "# postfix is not listening on $smtp_port"

MAIL="CN=mail.example.test, issuer CN=Glance Test Intermediate"
run "$C" -H 127.0.0.1 -p "$smtp_port" --starttls smtp -N mail.example.test --ca-file "$P/ca.pem"
is "$rc" 0 "postfix STARTTLS: OK"
like "$first" "^TLS OK - 127.0.0.1: $MAIL, expires [0-9-]+ \\(365 days\\)\\|days=365;30:;14:$" \
	"postfix STARTTLS: status line and perfdata"
# postfix logs through postlogd: wait for the session's last line.
wait_for 5 grep -q 'disconnect from' "$PF/maillog"
like "$(cat "$PF/maillog")" "disconnect from [^ ]+ ehlo=1 starttls=1 quit=1 commands=3" \
	"postfix saw EHLO, STARTTLS and a polite QUIT"
run "$C" -H 127.0.0.1 -p "$smtp_port" --starttls submission -N mail.example.test --ca-file "$P/ca.pem" -w 400 -c 100
is "$rc" 1 "submission dialogue, -w 400: WARNING"
like "$first" "^TLS WARNING - 127.0.0.1: certificate expires in 365 days \\([0-9-]+\\) / $MAIL" \
	"thresholds apply after STARTTLS"
run "$C" -H 127.0.0.1 -p "$smtp_port" --starttls smtp --ca-file "$P/ca.pem"
is "$rc" 2 "postfix: the address is not the certificate's name: CRITICAL"
like "$first" "wrong host: 127.0.0.1 is not in the certificate \\(mail.example.test\\)" \
	"postfix: wrong host named"
run "$C" -H 127.0.0.1 -p "$smtp_port" -N mail.example.test --ca-file "$P/ca.pem"
is "$rc" 2 "TLS from the first byte against an SMTP port: CRITICAL"
like "$first" "^TLS CRITICAL - 127.0.0.1: TLS handshake" "plain SMTP spoken to a TLS client fails the handshake"

# --- the other protocols ------------------------------------------------
start_st() {
	# start_st PROTO [--refuse]: a STARTTLS test server, its port in $st_port
	st_port=$(free_port)
	python3 "$SRC/tests/integration/starttls-server.py" "$1" "$st_port" "$P/${cert:-mail}.chain.pem" \
		"$P/${cert:-mail}.key" "${@:2}" >"$T/st-$1.log" 2>&1 &
	track $!
	wait_port "$st_port" 10 || echo "# starttls-server $1 did not start"
}
for proto in imap pop3 ftp xmpp ldap postgres; do
	start_st "$proto"
	run "$C" -H 127.0.0.1 -p "$st_port" --starttls "$proto" -N mail.example.test --ca-file "$P/ca.pem"
	is "$rc" 0 "$proto STARTTLS: OK"
	like "$first" "^TLS OK - 127.0.0.1: $MAIL, expires [0-9-]+ \\(365 days\\)\\|days=365;30:;14:$" \
		"$proto STARTTLS: status line"
	start_st "$proto" --refuse
	run "$C" -H 127.0.0.1 -p "$st_port" --starttls "$proto" -N mail.example.test --ca-file "$P/ca.pem"
	is "$rc" 2 "$proto server refusing STARTTLS: CRITICAL"
	like "$first" "^TLS CRITICAL - 127.0.0.1: (127.0.0.1 refused|127.0.0.1 does not offer|127.0.0.1 answered 534)" \
		"$proto refusal: the server's answer is reported"
done
cert=soon start_st imap
run "$C" -H 127.0.0.1 -p "$st_port" --starttls imap -N mail.example.test --ca-file "$P/ca.pem"
is "$rc" 2 "IMAP certificate expiring in 10 days: CRITICAL"
like "$first" "^TLS CRITICAL - 127.0.0.1: certificate expires in 10 days" "IMAP expiry reason"

start_st smtp
run "$C" -H 127.0.0.1 -p "$st_port" --starttls smtp -N mail.example.test --ca-file "$P/ca.pem"
is "$rc" 0 "SMTP with multi-line greeting and EHLO replies: OK"
like "$first" "^TLS OK - 127.0.0.1: $MAIL, expires [0-9-]+ \\(365 days\\)\\|days=365;30:;14:$" \
	"SMTP multi-line replies: status line"
start_st smtp --refuse
run "$C" -H 127.0.0.1 -p "$st_port" --starttls submission -N mail.example.test --ca-file "$P/ca.pem"
is "$rc" 2 "SMTP server refusing STARTTLS with 454: CRITICAL"
is "$first" "TLS CRITICAL - 127.0.0.1: 127.0.0.1 answered 454 to STARTTLS: 4.7.0 TLS not available due to local problem" \
	"SMTP refusal: the reply and its enhanced code are reported"
start_st smtp-plain
run "$C" -H 127.0.0.1 -p "$st_port" --starttls smtp -N mail.example.test --ca-file "$P/ca.pem"
is "$rc" 2 "SMTP server without STARTTLS: CRITICAL"
is "$first" "TLS CRITICAL - 127.0.0.1: 127.0.0.1 does not offer STARTTLS (EHLO lists PIPELINING)" \
	"no STARTTLS: status line names what EHLO listed"

postfix -c "$PF/conf" stop >/dev/null 2>&1
done_testing

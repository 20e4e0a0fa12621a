#!/bin/bash
# check_smtp against a real Postfix on loopback: plain, STARTTLS with a
# generated certificate, implicit TLS, recipient, sender and HELO
# rejections, DATA only when asked, RSET and QUIT always. What Postfix
# cannot be made to do is in check_smtp_scripted.t. Where
# monitoring-plugins' check_smtp has the same feature, the same arguments
# must give the same state.
. "$(dirname "$0")/../lib.sh"
. "$SRC/tests/postfix.sh"

[ "$(id -u)" = 0 ] || { echo "Bail out! Postfix must be started as root"; exit 1; }
. "$SRC/tests/smtp_common.sh"
BANNER='mail\.example\.test ESMTP glance-test'

# Postfix 1: STARTTLS with a certificate valid 20 days, and a second
# listener with implicit TLS (smtps).
PORT=$(free_port)
SPORT=$(free_port)
pf_setup "$T/pf1" "$PORT"
pf_cert "$T/pf1" mail.example.test 20
echo "127.0.0.1:$SPORT inet n - n - - smtpd -o smtpd_tls_wrappermode=yes" >>"$T/pf1/master.cf"
# Postfix 2: no TLS at all.
PORT2=$(free_port)
pf_setup "$T/pf2" "$PORT2"
# Clients on loopback are strangers to it: it must not relay for them.
postconf -c "$T/pf2" -e "mynetworks = 192.0.2.0/24"
pf_start "$T/pf1" && pf_start "$T/pf2" || { echo "Bail out! Postfix did not start"; exit 1; }
LOG1=$T/pf1.var/maillog
# Postfix logs a session's "disconnect from" line after the client has
# gone: count them before a run, wait for one more, then read it.
disconnects() { grep -c ' disconnect from ' "$LOG1"; }
disconnected_after() { [ "$(disconnects)" -gt "$1" ]; }
last_disconnect() { grep ' disconnect from ' "$LOG1" | tail -n 1; }

# ---- the plain dialogue --------------------------------------------------
n=$(disconnects)
run "$P" -H 127.0.0.1 -p "$PORT"
is "$rc" 0 "plain: OK"
like "$first" "^SMTP OK - $BANNER / $RT\|$BASEPERF\$" "plain: status line and perfdata"
like "$out" $'\nextensions: PIPELINING SIZE=10240000 VRFY ETRN STARTTLS ENHANCEDSTATUSCODES 8BITMIME DSN SMTPUTF8 CHUNKING' \
	"plain: extensions in the long output"
wait_for 5 disconnected_after "$n"
like "$(last_disconnect)" "disconnect from .* ehlo=1 quit=1 commands=2\$" "plain: EHLO, then QUIT, nothing else"
same_state "plain" -H 127.0.0.1 -p "$PORT"
is "$(cat "$T/stderr")" "" "plain: nothing on stderr"

run "$P" -H 127.0.0.1 -p "$PORT" -e "ESMTP Exim"
is "$rc" 1 "banner mismatch: WARNING"
like "$first" "^SMTP WARNING - banner does not contain 'ESMTP Exim': 220 $BANNER / $BANNER / $RT\|$BASEPERF\$" \
	"banner mismatch: status line"
same_state "banner mismatch" -H 127.0.0.1 -p "$PORT" -e "ESMTP Exim"

run "$P" -H 127.0.0.1 -p "$PORT" --require-ext PIPELINING --require-ext 8bitmime --require-ext SIZE
is "$rc" 0 "required extensions present: OK"
run "$P" -H 127.0.0.1 -p "$PORT2" --require-ext STARTTLS
is "$rc" 1 "required STARTTLS missing: WARNING"
like "$first" "^SMTP WARNING - STARTTLS not offered / $BANNER / $RT\|$BASEPERF\$" "required STARTTLS missing: status line"

run "$P" -H 127.0.0.1 -p "$PORT2" -S
is "$rc" 1 "-S without STARTTLS on offer: WARNING"
like "$first" "^SMTP WARNING - STARTTLS not offered / $BANNER / $RT\|$BASEPERF\$" "-S without STARTTLS: status line"
same_state "-S without STARTTLS" -H 127.0.0.1 -p "$PORT2" -S

# ---- STARTTLS and the certificate ----------------------------------------
TLSPERF="time=${N}s;;;0 connect=${N}s;;;0 tls=${N}s;;;0 banner=${N}s;;;0 ehlo=${N}s;;;0"
CERT="CN=mail\.example\.test, issuer CN=mail\.example\.test, expires [0-9-]{10} \(19 days\)"
n=$(disconnects)
run "$P" -H 127.0.0.1 -p "$PORT" -S
is "$rc" 0 "STARTTLS: OK"
like "$first" "^SMTP OK - $BANNER / STARTTLS TLSv1\.[23] / $RT\|$TLSPERF\$" "STARTTLS: status line"
like "$out" $'\nextensions after STARTTLS: PIPELINING SIZE=10240000 VRFY ETRN ENHANCEDSTATUSCODES' \
	"STARTTLS: EHLO re-sent, pre-TLS list discarded (no STARTTLS in it)"
wait_for 5 disconnected_after "$n"
like "$(last_disconnect)" "ehlo=2 starttls=1 quit=1 commands=4\$" "STARTTLS: EHLO twice, QUIT inside TLS"

run "$P" -H 127.0.0.1 -p "$PORT" -S -D 30,14
is "$rc" 1 "certificate 19 days, -D 30,14: WARNING"
like "$first" "^SMTP WARNING - certificate expires in 19 days \([0-9-]{10}\) / $CERT / $BANNER / STARTTLS TLSv1\.[23] / $RT\|$TLSPERF days=19;30:;14:\$" \
	"expiring certificate: status line and days perfdata"
like "$out" $'\n\\[0\\] CN=mail\\.example\\.test, issuer CN=mail\\.example\\.test, expires [0-9-]{10} \\(19 days\\), RSA 2048, sha256WithRSAEncryption' \
	"expiring certificate: chain in the long output"
same_state "-D 30,14" -H 127.0.0.1 -p "$PORT" -S -D 30,14
run "$P" -H 127.0.0.1 -p "$PORT" -S -D 60,30
is "$rc" 2 "certificate 19 days, -D 60,30: CRITICAL"
same_state "-D 60,30" -H 127.0.0.1 -p "$PORT" -S -D 60,30
run "$P" -H 127.0.0.1 -p "$PORT" -D 10,5
is "$rc" 0 "certificate 19 days, -D 10,5 (implies -S): OK"
like "$first" "^SMTP OK - $BANNER / STARTTLS TLSv1\.[23] / $CERT / $RT\|$TLSPERF days=19;10:;5:\$" "-D 10,5: status line"
same_state "-D 10,5" -H 127.0.0.1 -p "$PORT" -S -D 10,5
# -D alone judges dates, not trust: the system store is not read (a FIFO
# nobody writes to stands in for it; reading it would block until -t).
mkfifo "$T/store.fifo"
SSL_CERT_FILE=$T/store.fifo run "$P" -H 127.0.0.1 -p "$PORT" -D 10,5 -t 3
is "$rc" 0 "-D without --verify-cert: the trust store is not read"
like "$first" "^SMTP OK - $BANNER / STARTTLS TLSv1\.[23] / $CERT / $RT\|$TLSPERF days=19;10:;5:\$" \
	"-D without the store: status line"
run "$P" -H 127.0.0.1 -p "$PORT" --verify-cert --ca-file "$T/missing.pem"
is "$rc" 3 "unreadable --ca-file: UNKNOWN before any traffic"
is "$first" "SMTP UNKNOWN - --ca-file: cannot read '$T/missing.pem': No such file or directory" \
	"unreadable --ca-file: reason"

run "$P" -H 127.0.0.1 -p "$PORT" -S --verify-cert --cert-name mail.example.test
is "$rc" 2 "--verify-cert on a self-signed certificate: CRITICAL"
like "$first" "^SMTP CRITICAL - self-signed certificate / $CERT / " "--verify-cert: says why"
run "$P" -H 127.0.0.1 -p "$PORT" --verify-cert --ca-file "$T/pf1/cert.pem" --cert-name mail.example.test
is "$rc" 0 "--verify-cert with the certificate as trust anchor: OK"
run "$P" -H 127.0.0.1 -p "$PORT" --verify-cert --ca-file "$T/pf1/cert.pem" --cert-name smtp.example.test
is "$rc" 2 "--verify-cert with another name: CRITICAL"
like "$first" "^SMTP CRITICAL - wrong host: smtp\.example\.test is not in the certificate \(mail\.example\.test\) / " \
	"--verify-cert wrong name: status line"

run "$P" -H 127.0.0.1 -p "$SPORT" --ssl -D 10,5
is "$rc" 0 "implicit TLS (--ssl): OK"
like "$first" "^SMTP OK - $BANNER / TLSv1\.[23] / $CERT / $RT\|time=${N}s;;;0 connect=${N}s;;;0 tls=${N}s;;;0 banner=${N}s;;;0 ehlo=${N}s;;;0 days=19;10:;5:\$" \
	"implicit TLS: status line"

# ---- the envelope --------------------------------------------------------
ENVPERF="$BASEPERF envelope=${N}s;;;0"
n=$(disconnects)
run "$P" -H 127.0.0.1 -p "$PORT" -f monitor@example.net --rcpt postmaster@example.test
is "$rc" 0 "RCPT accepted: OK"
like "$first" "^SMTP OK - $BANNER / RCPT TO:<postmaster@example\.test> accepted / $RT\|$ENVPERF\$" "RCPT accepted: status line"
wait_for 5 disconnected_after "$n"
like "$(last_disconnect)" "ehlo=1 mail=1 rcpt=1 rset=1 quit=1 commands=5\$" "RCPT accepted: RSET and QUIT, no DATA"

run "$P" -H 127.0.0.1 -p "$PORT" -f "" --rcpt postmaster@example.test
is "$rc" 0 "null sender (-f ''): OK"
like "$out" $'\nMAIL FROM:<>: 250 2\.1\.0 Ok\n' "null sender: MAIL FROM:<> sent"

run "$P" -H 127.0.0.1 -p "$PORT" -f spammer@bad.test --rcpt postmaster@example.test
is "$rc" 2 "sender rejected: CRITICAL"
like "$first" "^SMTP CRITICAL - RCPT TO:<postmaster@example\.test> rejected: 554 5\.7\.1 <spammer@bad\.test>: Sender address rejected: Sender address rejected / " \
	"sender rejected: reported at RCPT, as Postfix delays it"

run "$P" -H 127.0.0.1 -p "$PORT" -f monitor@example.net --rcpt rejected@example.test
is "$rc" 2 "RCPT rejected (5xx): CRITICAL"
like "$first" "^SMTP CRITICAL - RCPT TO:<rejected@example\.test> rejected: 550 5\.1\.1 <rejected@example\.test>: Recipient address rejected: User unknown in local recipient table / $BANNER / $RT\|$ENVPERF\$" \
	"RCPT rejected: the server's reason in the status line"
run "$P" -H 127.0.0.1 -p "$PORT" -f monitor@example.net --rcpt busy@example.test
is "$rc" 1 "RCPT deferred (4xx): WARNING"
like "$first" "^SMTP WARNING - RCPT TO:<busy@example\.test> rejected: 450 4\.2\.1 <busy@example\.test>: Recipient address rejected: Mailbox busy, try again later / " \
	"RCPT deferred: status line"
run "$P" -H 127.0.0.1 -p "$PORT" -f monitor@example.net --rcpt busy@example.test --tempfail-state critical
is "$rc" 2 "--tempfail-state critical makes a 4xx CRITICAL"

# The relay incident: a server that relays for anyone is CRITICAL.
run "$P" -H 127.0.0.1 -p "$PORT2" -f monitor@example.net --relay-test probe@elsewhere.test
is "$rc" 0 "relay refused: OK"
like "$first" "^SMTP OK - $BANNER / relay to <probe@elsewhere\.test> refused / $RT\|$ENVPERF\$" "relay refused: status line"
like "$out" $'\nrelay test RCPT TO:<probe@elsewhere\\.test>: 554 5\\.7\\.1 <probe@elsewhere\\.test>: Relay access denied' \
	"relay refused: the server's answer in the long output"
run "$P" -H 127.0.0.1 -p "$PORT" -f monitor@example.net --relay-test probe@elsewhere.test
is "$rc" 2 "open relay: CRITICAL"
like "$first" "^SMTP CRITICAL - open relay: RCPT TO:<probe@elsewhere\.test> accepted / $BANNER / $RT\|$ENVPERF\$" "open relay: status line"

# The same rejection through -C/-R, as monitoring-plugins users write it.
run "$P" -H 127.0.0.1 -p "$PORT" -f monitor@example.net -C "RCPT TO:<rejected@example.test>" -R "^250"
is "$rc" 1 "-C/-R mismatch: WARNING"
like "$first" "^SMTP WARNING - unexpected reply to 'RCPT TO:<rejected@example\.test>': 550 5\.1\.1 " "-C/-R mismatch: status line"
same_state "-C/-R mismatch" -H 127.0.0.1 -p "$PORT" -f monitor@example.net -C "RCPT TO:<rejected@example.test>" -R "^250"
run "$P" -H 127.0.0.1 -p "$PORT" -C "VRFY postmaster" -R "^25[02]"
is "$rc" 0 "-C/-R match: OK"

# A server that refuses the HELO name ("Helo command rejected", from a
# check_helo_access table): the server's reason is reported.
run "$P" -H 127.0.0.1 -p "$PORT" -F exchange.local -f monitor@example.net --rcpt postmaster@example.test
is "$rc" 2 "bad HELO name: CRITICAL"
like "$first" "^SMTP CRITICAL - RCPT TO:<postmaster@example\.test> rejected: 554 5\.7\.1 <exchange\.local>: Helo command rejected: Go away, bad guy \(\.local\) / " \
	"bad HELO name: the server's reason"

n=$(disconnects)
run "$P" -H 127.0.0.1 -p "$PORT" -f monitor@example.net --rcpt postmaster@example.test --send-test-message
is "$rc" 0 "test message: OK"
like "$first" "^SMTP OK - $BANNER / RCPT TO:<postmaster@example\.test> accepted / test message accepted: 250 2\.0\.0 Ok: queued as [0-9A-Za-z]+ / $RT\|$ENVPERF\$" \
	"test message: queue id in the status line"
wait_for 5 disconnected_after "$n"
like "$(last_disconnect)" "ehlo=1 mail=1 rcpt=1 data=1 rset=1 quit=1 commands=6\$" \
	"test message: DATA only when asked"

# ---- options -------------------------------------------------------------
run "$P" -H 127.0.0.1 --rcpt a@example.test
is "$rc" 3 "--rcpt without -f: UNKNOWN"
is "$first" "SMTP UNKNOWN - --rcpt needs -f (the envelope sender)" "--rcpt without -f: reason"
run "$P" -H 127.0.0.1 -A PLAIN -U u -P p
is "$rc" 3 "AUTH without TLS: UNKNOWN"
is "$first" "SMTP UNKNOWN - -A would send the password in clear: add -S or --ssl (or --auth-without-tls)" \
	"AUTH without TLS: reason"
run "$P" -H 127.0.0.1 -D 14,30
is "$rc" 3 "-D with more critical than warning days: UNKNOWN"
is "$first" "SMTP UNKNOWN - -D: warning '14:' could never be reported: critical '30:' covers it" \
	"-D 14,30: reason"
run "$P" -H 127.0.0.1 -D -3
is "$rc" 3 "-D -3 (below the default critical 0): UNKNOWN"
is "$first" "SMTP UNKNOWN - -D: warning '-3:' could never be reported: critical '0:' covers it" \
	"-D -3: reason"
run "$P" -H 127.0.0.1 -w 1:x
is "$rc" 3 "bad -w range: UNKNOWN"
like "$first" "^SMTP UNKNOWN - -w: " "bad -w range: names the option"
run "$P" -H 127.0.0.1 -C $'NOOP\r\nDATA'
is "$rc" 3 "a command with a line break: UNKNOWN"

run "$P" -6 -H 127.0.0.1 -p "$PORT"
is "$rc" 3 "-6 with an IPv4 literal: UNKNOWN"
like "$first" "^SMTP UNKNOWN - cannot resolve '127\.0\.0\.1' \(IPv6\): " "-6 with an IPv4 literal: reason"

CLOSED=$(free_port)
run "$P" -H 127.0.0.1 -p "$CLOSED"
is "$rc" 2 "connection refused: CRITICAL"
like "$first" "^SMTP CRITICAL - connect to 127\.0\.0\.1: Connection refused / $RT\|time=${N}s;;;0 connect=${N}s;;;0\$" \
	"connection refused: status line"
same_state "connection refused" -H 127.0.0.1 -p "$CLOSED"

done_testing

#!/bin/bash
# check_smtp against tests/smtp_scripted_server.py, a scripted loopback
# SMTP server (not a mail server) for what a real one cannot be made to
# do on demand: a slow banner, a banner that never comes, an endless line,
# endless continuation lines, no EHLO, and AUTH PLAIN/LOGIN behind
# STARTTLS. Where monitoring-plugins' check_smtp has the feature, the
# same arguments must give the same state.
. "$(dirname "$0")/../lib.sh"
. "$SRC/tests/smtp_common.sh"

[ "$(id -u)" = 0 ] || { echo "Bail out! the banner name test needs root (unshare -m)"; exit 1; }
FB='fake\.example\.test ESMTP scripted'

# ---- time: a slow banner against -w/-c, a banner that never comes -------
SLOW=$(free_port)
fake "$SLOW" --delay 0.6
run "$P" -H 127.0.0.1 -p "$SLOW" -w 0.3 -c 5
is "$rc" 1 "slow banner past -w: WARNING"
like "$first" "^SMTP WARNING - response time 0\.[6-9][0-9]{2} s \(warning threshold 0\.3\) / $FB / $RT\|time=${N}s;0\.3;5;0 connect=${N}s;;;0 banner=0\.[6-9]${N}s;;;0 ehlo=${N}s;;;0\$" \
	"slow banner: status line, banner phase carries the delay"
same_state "slow banner -w" -H 127.0.0.1 -p "$SLOW" -w 0.3 -c 5
run "$P" -H 127.0.0.1 -p "$SLOW" -w 0.2 -c 0.4
is "$rc" 2 "slow banner past -c: CRITICAL"
like "$first" "^SMTP CRITICAL - response time 0\.[6-9][0-9]{2} s \(critical threshold 0\.4\) / " "slow banner -c: status line"
same_state "slow banner -c" -H 127.0.0.1 -p "$SLOW" -w 0.2 -c 0.4
run "$P" -H 127.0.0.1 -p "$SLOW" -w 3 -c 5
is "$rc" 0 "slow banner within -w: OK"

SILENT=$(free_port)
fake "$SILENT" --mode silent
elapsed_ms "$P" -H 127.0.0.1 -p "$SILENT" -t 2
is "$rc" 2 "banner never comes: CRITICAL at the deadline"
like "$first" "^SMTP CRITICAL - timeout after 2 s waiting for the banner / $RT\|time=${N}s;;;0 connect=${N}s;;;0 banner=1\.${N}s;;;0\$" \
	"banner never comes: status line names the phase"
# banner=1.x s above is the plugin's own wait; the wall time adds process
# start, which parallel test files slow down.
ok "$([ "$ms" -ge 1500 ] && [ "$ms" -lt 2500 ] && echo 0 || echo 1)" "banner never comes: ended in ${ms} ms, inside -t 2 (process start included)"
same_state "banner never comes" -H 127.0.0.1 -p "$SILENT" -t 2
run "$P" -H 127.0.0.1 -p "$SILENT" -t 1:unknown
is "$rc" 3 "-t 1:unknown gives UNKNOWN"
like "$first" "^SMTP UNKNOWN - timeout after 1 s waiting for the banner / " "-t STATE: status line"

MUTE=$(free_port)
fake "$MUTE" --mode mute-ehlo
elapsed_ms "$P" -H 127.0.0.1 -p "$MUTE" -t 1.5
is "$rc" 2 "no answer to EHLO: CRITICAL at the deadline"
like "$first" "^SMTP CRITICAL - timeout after 1\.5 s waiting for the reply to EHLO / $FB / $RT\|time=${N}s;;;0 connect=${N}s;;;0 banner=${N}s;;;0 ehlo=1\.${N}s;;;0\$" \
	"no answer to EHLO: the deadline covers the EHLO phase"
ok "$([ "$ms" -ge 1000 ] && [ "$ms" -lt 1500 ] && echo 0 || echo 1)" "no answer to EHLO: ended in ${ms} ms, inside -t 1.5"

HANGUP=$(free_port)
fake "$HANGUP" --mode hangup
run "$P" -H 127.0.0.1 -p "$HANGUP"
is "$rc" 2 "connection closed before the banner: CRITICAL"
like "$first" "^SMTP CRITICAL - waiting for the banner: connection closed by peer / $RT\|time=${N}s;;;0 connect=${N}s;;;0 banner=${N}s;;;0\$" \
	"closed before the banner: status line"
# (monitoring-plugins says WARNING here: a server that hangs up on every
# client accepts no mail, so this is CRITICAL on purpose.)

# ---- bounded reads -------------------------------------------------------
ENDLESS=$(free_port)
fake "$ENDLESS" --mode endless-line
elapsed_ms "$P" -H 127.0.0.1 -p "$ENDLESS" -t 5
is "$rc" 2 "endless banner line: CRITICAL"
like "$first" "^SMTP CRITICAL - waiting for the banner: reply line from 127\.0\.0\.1 longer than 2047 bytes / $RT\|time=${N}s;;;0 connect=${N}s;;;0 banner=${N}s;;;0\$" \
	"endless line: cut at the line limit"
ok "$([ "$ms" -lt 2000 ] && echo 0 || echo 1)" "endless line: ended at once (${ms} ms), not at the deadline"

MANY=$(free_port)
fake "$MANY" --mode endless-reply
run "$P" -H 127.0.0.1 -p "$MANY" -t 5
is "$rc" 2 "endless continuation lines: CRITICAL"
like "$first" "^SMTP CRITICAL - waiting for the banner: reply longer than 64 lines / " "endless continuations: cut at the line count"

# ---- no EHLO: HELO fallback ----------------------------------------------
OLD=$(free_port)
fake "$OLD" --mode no-ehlo
run "$P" -H 127.0.0.1 -p "$OLD" -F monitor.example.net
is "$rc" 0 "server without EHLO: OK through HELO"
like "$first" "^SMTP OK - $FB / $RT\|$BASEPERF\$" "HELO fallback: status line"
like "$out" $'\nEHLO refused \\(502\\), trying HELO' "HELO fallback: said in the long output"
fake_sessions "$OLD" 1
is "$(grep -v '^(connection closed)' "$T/fake-$OLD.log" | tr '\n' '|')" \
	"EHLO monitor.example.net|HELO monitor.example.net|QUIT|" "HELO fallback: EHLO first, then HELO, then QUIT"
run "$P" -H 127.0.0.1 -p "$OLD" --require-ext SIZE
is "$rc" 1 "required extension without EHLO: WARNING"
like "$first" "^SMTP WARNING - SIZE not offered \(no EHLO\) / " "required extension without EHLO: status line"

# ---- refusals in the banner, LMTP -----------------------------------------
BUSY=$(free_port)
fake "$BUSY" --banner "421 4.3.2 fake.example.test Service shutting down"
run "$P" -H 127.0.0.1 -p "$BUSY"
is "$rc" 1 "421 banner: WARNING"
like "$first" "^SMTP WARNING - connection rejected: 421 4\.3\.2 fake\.example\.test Service shutting down / $RT\|time=${N}s;;;0 connect=${N}s;;;0 banner=${N}s;;;0\$" \
	"421 banner: status line, no QUIT complaint"
NOSVC=$(free_port)
fake "$NOSVC" --banner "554 5.3.2 fake.example.test No SMTP service here"
run "$P" -H 127.0.0.1 -p "$NOSVC"
is "$rc" 2 "554 banner: CRITICAL (monitoring-plugins says WARNING)"
like "$first" "^SMTP CRITICAL - connection rejected: 554 5\.3\.2 fake\.example\.test No SMTP service here / " "554 banner: status line"
fake_sessions "$NOSVC" 1
is "$(grep -v '^(connection closed)' "$T/fake-$NOSVC.log" | tr '\n' '|')" "QUIT|" "554 banner: QUIT and nothing else (RFC 5321 3.1)"
LMTP=$(free_port)
fake "$LMTP"
run "$P" -H 127.0.0.1 -p "$LMTP" -L -F monitor.example.net
is "$rc" 0 "LMTP: OK"
fake_sessions "$LMTP" 1
is "$(grep -v '^(connection closed)' "$T/fake-$LMTP.log" | tr '\n' '|')" "LHLO monitor.example.net|QUIT|" "LMTP: LHLO instead of EHLO"

# ---- IPv6 ----------------------------------------------------------------
V6=$(free_port)
python3 "$FAKE" --port "$V6" --bind ::1 --log "$T/fake-$V6.log" &
track $!
wait_for 5 accepts "$V6" ::1
run "$P" -6 -H ::1 -p "$V6"
is "$rc" 0 "IPv6 (-6 -H ::1): OK"
like "$first" "^SMTP OK - $FB / $RT\|$BASEPERF\$" "IPv6: status line"
like "$out" $'^[^\n]*\nconnected to ::1 port' "IPv6: connected over ::1"
run "$P" -4 -H ::1 -p "$V6"
is "$rc" 3 "-4 with an IPv6 literal: UNKNOWN"

# ---- banner sanity -------------------------------------------------------
LOCAL=$(free_port)
fake "$LOCAL" --banner "220 exchange.corp.local Microsoft ESMTP MAIL Service ready"
run "$P" -H 127.0.0.1 -p "$LOCAL" --check-banner-fqdn
is "$rc" 1 "greeting with a .local name: WARNING"
like "$first" "^SMTP WARNING - greeting name 'exchange\.corp\.local' is not a public FQDN / " "greeting .local: status line"
run "$P" -H 127.0.0.1 -p "$LOCAL"
is "$rc" 0 "without --check-banner-fqdn the name is not judged"
SHORT=$(free_port)
fake "$SHORT" --banner "220 mailhost ESMTP"
run "$P" -H 127.0.0.1 -p "$SHORT" --check-banner-fqdn
is "$rc" 1 "greeting with a bare host name: WARNING"
like "$first" "^SMTP WARNING - greeting name 'mailhost' is not a public FQDN / " "bare host name: status line"

# Resolution, with a private /etc/hosts and a resolver on loopback where
# nothing answers, in a mount namespace of this test's own.
GOOD=$(free_port)
fake "$GOOD" --banner "220 mx1.glance-isp.net ESMTP"
BAD=$(free_port)
fake "$BAD" --banner "220 mx9.glance-isp.net ESMTP"
printf '127.0.0.1 localhost\n192.0.2.25 mx1.glance-isp.net\n' >"$T/hosts"
printf 'nameserver 127.0.0.1\noptions timeout:1 attempts:1\n' >"$T/resolv.conf"
in_ns() {
	out=$(unshare -m sh -c 'mount --bind "$1" /etc/hosts && mount --bind "$2" /etc/resolv.conf && shift 2 && exec "$@"' \
		sh "$T/hosts" "$T/resolv.conf" "$@" 2>"$T/stderr")
	rc=$?
	first=${out%%$'\n'*}
}
in_ns "$P" -H 127.0.0.1 -p "$GOOD" --check-banner-fqdn
is "$rc" 0 "greeting name that resolves: OK"
like "$out" $'\ngreeting name mx1\\.glance-isp\\.net resolves' "resolving name: said in the long output"
in_ns "$P" -H 127.0.0.1 -p "$BAD" --check-banner-fqdn
is "$rc" 1 "greeting name that does not resolve: WARNING"
like "$first" "^SMTP WARNING - greeting name 'mx9\.glance-isp\.net' does not resolve \(" "unresolvable name: status line"

# ---- AUTH behind STARTTLS ------------------------------------------------
openssl req -x509 -newkey rsa:2048 -sha256 -nodes -days 90 -subj "/CN=fake.example.test" \
	-addext "subjectAltName=DNS:fake.example.test" -keyout "$T/key.pem" -out "$T/cert.pem" 2>/dev/null
AUTH=$(free_port)
fake "$AUTH" --cert "$T/cert.pem" --key "$T/key.pem" --auth "monitor:s3cret pass"
printf 's3cret pass\n' >"$T/pw"
chmod 600 "$T/pw"
AUTHPERF="time=${N}s;;;0 connect=${N}s;;;0 tls=${N}s;;;0 banner=${N}s;;;0 ehlo=${N}s;;;0 auth=${N}s;;;0"
run "$P" -H 127.0.0.1 -p "$AUTH" -S -A PLAIN -U monitor -P "file:$T/pw" -vv
is "$rc" 0 "AUTH PLAIN: OK"
like "$first" "^SMTP OK - $FB / STARTTLS TLSv1\.[23] / AUTH PLAIN as monitor accepted / $RT\|$AUTHPERF\$" "AUTH PLAIN: status line"
ok "$(grep -q 's3cret\|czNjcmV0\|C: AUTH PLAIN [A-Za-z0-9]' "$T/stderr" && echo 1 || echo 0)" \
	"AUTH PLAIN: -vv never shows the credentials"
like "$(cat "$T/stderr")" "C: \(credentials, [0-9]+ bytes\)" "AUTH PLAIN: -vv shows that credentials went"
SMTP_PW='s3cret pass' run "$P" -H 127.0.0.1 -p "$AUTH" -S -A login -U monitor -P env:SMTP_PW
is "$rc" 0 "AUTH LOGIN with the password from the environment: OK"
like "$first" "^SMTP OK - $FB / STARTTLS TLSv1\.[23] / AUTH LOGIN as monitor accepted / " "AUTH LOGIN: status line"
run "$P" -H 127.0.0.1 -p "$AUTH" -S -A PLAIN -U monitor -P wrong
is "$rc" 2 "wrong password: CRITICAL"
like "$first" "^SMTP CRITICAL - authentication rejected: 535 5\.7\.8 Error: authentication failed / " "wrong password: status line"
run "$P" -H 127.0.0.1 -p "$SLOW" -S -A PLAIN -U monitor -P x
is "$rc" 1 "AUTH asked of a server without STARTTLS: WARNING (STARTTLS missing)"
chmod 644 "$T/pw"
run "$P" -H 127.0.0.1 -p "$AUTH" -S -A PLAIN -U monitor -P "file:$T/pw"
is "$rc" 3 "a password file others can read: UNKNOWN"
fake_sessions "$AUTH" 3
ok "$(grep -c 's3cret' "$T/fake-$AUTH.log" | grep -qx 0 && echo 0 || echo 1)" "the server log never saw a password in clear"
is "$(grep -c '^QUIT$' "$T/fake-$AUTH.log")" 3 "every AUTH dialogue ended with QUIT"

done_testing

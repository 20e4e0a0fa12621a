#!/bin/bash
# check_tls_cert against openssl s_server on loopback: every reason a
# certificate can fail, asserted by exit code, status line and perfdata.
. "$(dirname "$0")/../lib.sh"
. "$SRC/tests/integration/tls-pki.sh"

C=$B/plugins/check_tls_cert
[ -x "$C" ] || { echo "Bail out! $C not built"; exit 1; }
pki_init || { echo "Bail out! cannot make the test CA"; exit 1; }

ISS="issuer CN=Glance Test Intermediate"
# enddate NAME: the leaf's notAfter as the plugin prints it (YYYY-MM-DD).
enddate() {
	date -u -d "$(openssl x509 -in "$P/$1.pem" -noout -enddate | cut -d= -f2)" +%F
}
startdate() {
	date -u -d "$(openssl x509 -in "$P/$1.pem" -noout -startdate | cut -d= -f2)" +%F
}
check() { run "$C" -H localhost --ca-file "$P/ca.pem" "$@"; }

ocsp_port=$(free_port)
dead_port=$(free_port)
AIA="authorityInfoAccess = OCSP;URI:http://127.0.0.1:$ocsp_port/"
pki_leaf good --ext "$AIA"
pki_leaf d20 --days 20
pki_leaf d10 --days 10
pki_leaf expired --start "$(_pki_date -864000)" --end "$(_pki_date -259200)"
pki_leaf notyet --start "$(_pki_date 172800)" --end "$(_pki_date 8640000)"
pki_leaf self --self
pki_leaf other --san DNS:other.test
pki_leaf wild --san 'DNS:*.wild.test'
pki_leaf sha1 --md sha1
pki_leaf rsa1024 --rsa 1024
pki_leaf md5 --self --md md5 --rsa 2048
pki_leaf alone
: >"$P/alone.extra.pem"
pki_subca short 20
pki_leaf viashort --ca short
pki_leaf must --ext "$AIA" --ext "tlsfeature = status_request"
pki_leaf revoked --ext "$AIA"
pki_revoke revoked
pki_leaf dead --ext "authorityInfoAccess = OCSP;URI:http://127.0.0.1:$dead_port/"
aia_port=$(free_port)
pki_leaf aia --ext "authorityInfoAccess = caIssuers;URI:http://127.0.0.1:$aia_port/int.der"
: >"$P/aia.extra.pem"
pki_root evil
pki_leaf foreign --ca evil --ext "authorityInfoAccess = caIssuers;URI:http://127.0.0.1:$aia_port/evil.der"
: >"$P/foreign.extra.pem"
mkdir -p "$T/www"
openssl x509 -in "$P/int/cert.pem" -outform DER -out "$T/www/int.der"
openssl x509 -in "$P/evil/cert.pem" -outform DER -out "$T/www/evil.der"
python3 -m http.server --bind 127.0.0.1 --directory "$T/www" "$aia_port" >"$T/http.log" 2>&1 &
track $!
wait_port "$aia_port" 10 || echo "# AIA web server did not start"
pki_staple good && pki_staple revoked || echo "# cannot make OCSP staples"
serve_ocsp "$ocsp_port"
serve_ocsp "$dead_port" --hang

for n in good d20 d10 expired notyet self other wild sha1 rsa1024 md5 alone viashort must \
	revoked dead aia foreign; do
	eval "port_$n=$(free_port)"
	extra=()
	case $n in
	good | revoked) extra=(-status_file "$P/$n.ocsp.der") ;;
	esac
	eval "serve_tls $n \$port_$n \"\${extra[@]}\"" || echo "# s_server $n did not start"
done
port_wrongstaple=$(free_port)
serve_tls good "$port_wrongstaple" -status_file "$P/revoked.ocsp.der"
port_nostaple=$(free_port)
serve_tls good "$port_nostaple"
port_tls12=$(free_port)
serve_tls good "$port_tls12" -tls1_2
port_tls10=$(free_port)
serve_tls good "$port_tls10" -tls1
port_modern=$(free_port)
serve_tls good "$port_modern" -no_tls1 -no_tls1_1

# --- expiry -----------------------------------------------------------
d=$(enddate good)
check -p "$port_good"
is "$rc" 0 "valid certificate: OK"
is "$first" "TLS OK - localhost: CN=localhost, $ISS, expires $d (365 days)|days=365;30:;14:" \
	"valid certificate: status line with subject, issuer, date, days and perfdata"
like "$out" $'\n\\[1\\] CN=Glance Test Intermediate, issuer CN=Glance Test Root, expires [0-9-]+ \\([0-9]+ days\\), EC 256, ecdsa-with-SHA256\n' \
	"long output lists the chain"
like "$out" $'\nOCSP \\(stapled\\): good, next update ' "a stapled answer is judged and shown"
is "$(cat "$T/stderr")" "" "nothing on stderr without -v"

d=$(enddate d20)
check -p "$port_d20"
is "$rc" 1 "20 days left, -w 30: WARNING"
is "$first" "TLS WARNING - localhost: certificate expires in 20 days ($d) / CN=localhost, $ISS, expires $d (20 days)|days=20;30:;14:" \
	"20 days left: reason and perfdata"

d=$(enddate d10)
check -p "$port_d10"
is "$rc" 2 "10 days left, -c 14: CRITICAL"
is "$first" "TLS CRITICAL - localhost: certificate expires in 10 days ($d) / CN=localhost, $ISS, expires $d (10 days)|days=10;30:;14:" \
	"10 days left: reason and perfdata"
check -p "$port_d10" -w 12 -c 5
is "$rc" 1 "10 days left, -w 12 -c 5: WARNING"
is "$first" "TLS WARNING - localhost: certificate expires in 10 days ($d) / CN=localhost, $ISS, expires $d (10 days)|days=10;12:;5:" \
	"thresholds from -w/-c appear in the perfdata"
check -p "$port_d10" -w 5 -c 3
is "$rc" 0 "10 days left, -w 5 -c 3: OK"
is "$first" "TLS OK - localhost: CN=localhost, $ISS, expires $d (10 days)|days=10;5:;3:" \
	"10 days left below no threshold"

d=$(enddate expired)
check -p "$port_expired"
is "$rc" 2 "expired: CRITICAL"
is "$first" "TLS CRITICAL - localhost: certificate expired 3 days ago ($d) / CN=localhost, $ISS, expired $d|days=-3;30:;14:" \
	"expired: days ago, date, negative days in perfdata"

d=$(startdate notyet)
check -p "$port_notyet"
is "$rc" 2 "not yet valid: CRITICAL"
like "$first" "^TLS CRITICAL - localhost: certificate not yet valid \\(valid from $d\\) / CN=localhost, $ISS, expires [0-9-]+ \\((99|100) days\\)\\|days=(99|100);30:;14:$" \
	"not yet valid: the start date is named"

d=$(enddate viashort)
check -p "$port_viashort" --check-chain
is "$rc" 1 "--check-chain: an intermediate with 20 days left is a WARNING"
is "$first" "TLS WARNING - localhost: CN=Glance Test short expires in 20 days ($(date -u -d "$(openssl x509 -in "$P/short/cert.pem" -noout -enddate | cut -d= -f2)" +%F)) / CN=localhost, issuer CN=Glance Test short, expires $d (365 days)|days=365;30:;14: days_chain=20;30:;14:" \
	"--check-chain: names the certificate, adds days_chain"
check -p "$port_viashort"
is "$rc" 0 "without --check-chain the intermediate's dates only matter once expired"

# --- trust -------------------------------------------------------------
check -p "$port_self"
is "$rc" 2 "self-signed: CRITICAL"
like "$first" '^TLS CRITICAL - localhost: self-signed certificate / CN=localhost, issuer CN=localhost, expires [0-9-]+ \(365 days\)\|days=365;30:;14:$' \
	"self-signed: reason"
check -p "$port_self" --no-verify
is "$rc" 0 "self-signed with --no-verify: OK"
# The trust store is read only when the policy needs it: with the system
# store a FIFO nobody writes to, reading it would block until -t.
mkfifo "$T/store.fifo"
SSL_CERT_FILE=$T/store.fifo run "$C" -H localhost -p "$port_self" --no-verify -t 3
is "$rc" 0 "--no-verify: the trust store is not read"
like "$first" '^TLS OK - localhost: CN=localhost, issuer CN=localhost, expires [0-9-]+ \(365 days\)\|days=365;30:;14:$' \
	"--no-verify without the store: status line"
SSL_CERT_FILE=$T/store.fifo run "$C" -H localhost -p "$port_self" -t 1
is "$rc" 2 "verification reads the system store (here: blocks until -t)"
is "$first" "TLS CRITICAL - Timeout after 1 seconds" "the store is read once verification is asked"
# The system store's hashed directory comes first: when it holds the
# anchor, the bundle file (here the FIFO) is never opened.
mkdir "$T/hashed" "$T/unhashed"
cp "$P/ca.pem" "$T/hashed/root.pem"
openssl rehash "$T/hashed" 2>/dev/null || c_rehash "$T/hashed" >/dev/null
SSL_CERT_DIR=$T/hashed SSL_CERT_FILE=$T/store.fifo run "$C" -H localhost -p "$port_good" -t 3
is "$rc" 0 "anchor in the store's hashed directory: OK without reading the bundle"
# A directory without the anchor leaves the verdict to the bundle file.
SSL_CERT_DIR=$T/unhashed SSL_CERT_FILE=$P/ca.pem run "$C" -H localhost -p "$port_good" -t 3
is "$rc" 0 "anchor only in the bundle file: OK"
like "$first" '^TLS OK - localhost: CN=localhost, ' "anchor only in the bundle file: status line"
SSL_CERT_DIR=$T/unhashed SSL_CERT_FILE=$T/unhashed/none.pem run "$C" -H localhost -p "$port_good" -t 3
is "$rc" 2 "anchor in neither: CRITICAL"
like "$first" '^TLS CRITICAL - localhost: unknown issuer CN=Glance Test Root / ' \
	"anchor in neither: the reason is the full store's, reported once"
# The store is read late, so a wrong path is caught before any traffic.
run "$C" -H localhost -p "$port_self" --ca-file "$T/missing.pem"
is "$rc" 3 "unreadable --ca-file: UNKNOWN"
is "$first" "TLS UNKNOWN - --ca-file: cannot read '$T/missing.pem': No such file or directory" \
	"unreadable --ca-file: reason"
run "$C" -H localhost -p "$port_self" --ca-path "$P/ca.pem"
is "$rc" 3 "--ca-path naming a file: UNKNOWN"
is "$first" "TLS UNKNOWN - --ca-path: '$P/ca.pem' is not a directory" "--ca-path not a directory: reason"

run "$C" -H localhost -p "$port_good" --ca-path "$T"
is "$rc" 2 "private CA not in the trust store: CRITICAL"
like "$first" '^TLS CRITICAL - localhost: unknown issuer CN=Glance Test Root / CN=localhost, ' \
	"unknown issuer is named"

check -p "$port_alone"
is "$rc" 2 "server that omits its intermediate: CRITICAL"
like "$first" '^TLS CRITICAL - localhost: incomplete chain: the server did not send the issuer CN=Glance Test Intermediate / CN=localhost' \
	"incomplete chain: reason names the missing issuer"

check -p "$port_aia"
is "$rc" 2 "intermediate not sent but named by the leaf's AIA: CRITICAL"
like "$first" '^TLS CRITICAL - localhost: incomplete chain: the server did not send the issuer CN=Glance Test Intermediate \(its AIA URL has it\) / CN=localhost' \
	"AIA: the chain is called incomplete, not untrusted"
check -p "$port_foreign"
is "$rc" 2 "leaf of an untrusted CA whose AIA points at that CA: CRITICAL"
like "$first" '^TLS CRITICAL - localhost: unknown issuer CN=Glance Test evil / CN=localhost, issuer CN=Glance Test evil' \
	"AIA of an untrusted CA: unknown issuer, not incomplete chain"

# --- host name ---------------------------------------------------------
check -p "$port_other"
is "$rc" 2 "wrong host: CRITICAL"
like "$first" '^TLS CRITICAL - localhost: wrong host: localhost is not in the certificate \(other.test\) / CN=other.test, ' \
	"wrong host: lists the names the certificate has"
check -p "$port_other" --no-host-check
is "$rc" 0 "wrong host with --no-host-check: OK"
run "$C" -H 127.0.0.1 -p "$port_wild" -N a.wild.test --ca-file "$P/ca.pem"
is "$rc" 0 "wildcard *.wild.test matches a.wild.test"
run "$C" -H 127.0.0.1 -p "$port_wild" -N a.b.wild.test --ca-file "$P/ca.pem"
is "$rc" 2 "wildcard does not match two labels"
like "$first" 'wrong host: a.b.wild.test is not in the certificate \(\*.wild.test\)' \
	"wildcard mismatch reason"
run "$C" -H 127.0.0.1 -p "$port_nostaple" --ca-file "$P/ca.pem"
is "$rc" 0 "an address matches an IP SAN (and no SNI is sent)"
like "$first" '^TLS OK - 127.0.0.1: CN=localhost' "IP target status line"

# --- policy ------------------------------------------------------------
check -p "$port_sha1"
is "$rc" 2 "SHA-1 signature: CRITICAL"
like "$first" '^TLS CRITICAL - localhost: CN=localhost is signed with ecdsa-with-SHA1 / CN=localhost, ' \
	"SHA-1: the algorithm is named"
check -p "$port_sha1" --allow-weak-signature
is "$rc" 0 "SHA-1 with --allow-weak-signature: OK"

check -p "$port_md5" --no-verify
is "$rc" 2 "MD5 signature: CRITICAL"
like "$first" '^TLS CRITICAL - localhost: CN=localhost is signed with md5WithRSAEncryption / CN=localhost, issuer CN=localhost' \
	"MD5: the algorithm is named"

check -p "$port_rsa1024"
is "$rc" 2 "1024-bit RSA key: CRITICAL"
like "$first" '^TLS CRITICAL - localhost: CN=localhost has a weak key \(RSA 1024 bits\) / ' \
	"weak key: size named"
check -p "$port_rsa1024" --min-key-bits 1024
is "$rc" 0 "1024-bit RSA with --min-key-bits 1024: OK"

check -p "$port_good" --min-tls 1.2
is "$rc" 2 "--min-tls 1.2 against a server that still speaks TLS 1.1: CRITICAL"
like "$first" '^TLS CRITICAL - localhost: CN=localhost, .* / server accepts TLSv1.1 \(minimum TLSv1.2\)\|days=' \
	"old protocol accepted: named"
check -p "$port_modern" --min-tls 1.2
is "$rc" 0 "--min-tls 1.2 against a TLS 1.2+ server: OK"
check -p "$port_tls12" --min-tls 1.3
is "$rc" 2 "--min-tls 1.3 against a TLS 1.2-only server: CRITICAL"
like "$first" '^TLS CRITICAL - localhost: protocol TLSv1.2 is below the minimum TLSv1.3 / ' \
	"negotiated version below the minimum: named"

check -p "$port_tls10"
is "$rc" 0 "a TLS 1.0-only server is still checked (handshake retried at security level 0)"
like "$out" $'\n127.0.0.1: the handshake needs OpenSSL security level 0 \\(TLS handshake: ' \
	"the retry is said in the long output"
like "$out" $'\n127.0.0.1 port [0-9]+: TLSv1, ' "and the negotiated version shown"
check -p "$port_tls10" --min-tls 1.2
is "$rc" 2 "TLS 1.0-only server with --min-tls 1.2: CRITICAL"
like "$first" '^TLS CRITICAL - localhost: protocol TLSv1 is below the minimum TLSv1.2 / ' \
	"TLS 1.0 connection below the minimum: named"

# --- OCSP --------------------------------------------------------------
check -p "$port_good" --ocsp-stapling
is "$rc" 0 "--ocsp-stapling with a good staple: OK"
check -p "$port_nostaple" --ocsp-stapling
is "$rc" 2 "--ocsp-stapling without a staple: CRITICAL"
like "$first" '^TLS CRITICAL - localhost: no stapled OCSP response / CN=localhost' "no staple: reason"
check -p "$port_must"
is "$rc" 2 "must-staple certificate served without a staple: CRITICAL"
like "$first" '^TLS CRITICAL - localhost: must-staple certificate without a stapled OCSP response / ' \
	"must-staple: reason"
check -p "$port_revoked"
is "$rc" 2 "stapled answer says revoked: CRITICAL"
like "$first" '^TLS CRITICAL - localhost: certificate revoked on [0-9-]+ [0-9:]+ UTC, keyCompromise \(OCSP\) / ' \
	"revoked (stapled): date and reason"
check -p "$port_wrongstaple"
is "$rc" 2 "a stapled answer for another certificate: CRITICAL"
like "$first" '^TLS CRITICAL - localhost: bad stapled OCSP response: the OCSP response is not for this certificate / ' \
	"wrong staple: reason"
check -p "$port_nostaple" --ocsp
is "$rc" 0 "--ocsp asks the responder: good"
like "$out" $'\nOCSP \\(responder\\): good, next update ' "responder answer shown"
pki_leaf rev2 --ext "$AIA"
pki_revoke rev2
port_rev2=$(free_port)
serve_tls rev2 "$port_rev2"
check -p "$port_rev2" --ocsp
is "$rc" 2 "--ocsp: the responder says revoked: CRITICAL"
like "$first" '^TLS CRITICAL - localhost: certificate revoked on .* \(OCSP\) / ' "revoked (responder)"
elapsed_ms "$C" -H localhost --ca-file "$P/ca.pem" -p "$port_dead" --ocsp -t 3
is "$rc" 1 "dead OCSP responder: WARNING, not CRITICAL"
like "$first" "^TLS WARNING - localhost: revocation unknown: OCSP responder http://127.0.0.1:$dead_port/: timeout / CN=localhost" \
	"dead responder: revocation unknown, apart from revoked"
ok "$([ "$ms" -lt 3500 ] && echo 0 || echo 1)" "dead responder: -t 3 is the whole budget (took ${ms} ms)"

# --- connection failures and arguments ----------------------------------
closed=$(free_port)
check -p "$closed"
is "$rc" 2 "connection refused: CRITICAL"
is "$first" "TLS CRITICAL - localhost: connect to 127.0.0.1: Connection refused" "refused: status line"

silent=$(free_port)
python3 -c 'import signal,socket,sys
s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(8); signal.pause()' "$silent" &
track $!
wait_port "$silent" 5
elapsed_ms "$C" -H localhost -p "$silent" -t 2
is "$rc" 2 "server that never answers the handshake: CRITICAL at -t"
is "$first" "TLS CRITICAL - localhost: TLS handshake with 127.0.0.1: timeout" "handshake timeout: status line"
ok "$([ "$ms" -lt 2500 ] && echo 0 || echo 1)" "handshake timeout within -t 2 (took ${ms} ms)"
run "$C" -H localhost -p "$silent" -t 1:unknown
is "$rc" 3 "-t 1:unknown gives UNKNOWN on timeout"

run "$C" -p 443
is "$rc" 3 "no -H: UNKNOWN"
like "$first" '^TLS UNKNOWN - -H HOST is required' "no -H: reason"
run "$C" -H localhost -w 10 -c 20
is "$rc" 3 "-c above -w: UNKNOWN"
is "$first" "TLS UNKNOWN - -w/-c: warning '10:' could never be reported: critical '20:' covers it" \
	"-c above -w: the reason names both ranges"
run "$C" -H localhost -w 1e3
is "$rc" 3 "-w 1e3: UNKNOWN"
is "$first" "TLS UNKNOWN - -w: '1e3': not a number or range" "-w takes the range grammar"
run "$C" -H localhost --starttls gopher
is "$rc" 3 "unknown STARTTLS protocol: UNKNOWN"
like "$first" "^TLS UNKNOWN - --starttls: unknown protocol 'gopher'" "unknown protocol named"
run "$C" -H localhost --min-tls 2
is "$rc" 3 "bad --min-tls: UNKNOWN"
run "$C" -H no-such-host.invalid
is "$rc" 3 "unresolvable name: UNKNOWN, as in every plugin"
like "$first" "^TLS UNKNOWN - cannot resolve 'no-such-host.invalid'" "resolve failure named"

# --- every address -------------------------------------------------------
# A private /etc/hosts in a mount namespace gives one name three addresses.
multi=$(free_port)
serve_tls good "$multi"
openssl s_server -quiet -www -accept "127.0.0.2:$multi" -cert "$P/expired.pem" -key "$P/expired.key" \
	-cert_chain "$P/expired.extra.pem" </dev/null >"$T/s2.log" 2>&1 &
track $!
openssl s_server -quiet -www -6 -accept "[::1]:$multi" -cert "$P/good.pem" -key "$P/good.key" \
	-cert_chain "$P/good.extra.pem" </dev/null >"$T/s3.log" 2>&1 &
track $!
wait_for 5 accepts "$multi" 127.0.0.2 && wait_for 5 accepts "$multi" ::1 ||
	{ echo "Bail out! openssl s_server on 127.0.0.2 or ::1 did not start"; exit 1; }
printf '127.0.0.1 multi.test\n127.0.0.2 multi.test\n::1 multi.test\n' >"$T/hosts"
inns() { unshare -m sh -c 'mount --bind "$0" /etc/hosts && exec "$@"' "$T/hosts" "$@"; }
run inns "$C" -H multi.test -p "$multi" --ca-file "$P/ca.pem" --no-host-check --all-addresses
is "$rc" 2 "--all-addresses: one expired address makes the run CRITICAL"
like "$first" '^TLS CRITICAL - multi.test \(::1\): CN=localhost, [^;]* / multi.test \(127.0.0.1\): CN=localhost, [^;]* / multi.test \(127.0.0.2\): certificate expired 3 days ago' \
	"--all-addresses: every address reported under its own name"
like "$first" '\|::1_days=365;30:;14: 127.0.0.1_days=365;30:;14: 127.0.0.2_days=-3;30:;14:$' \
	"--all-addresses: perfdata per address"
run inns "$C" -H multi.test -p "$multi" --ca-file "$P/ca.pem" --no-host-check --all-addresses -4
like "$first" '^TLS CRITICAL - multi.test \(127.0.0.1\): .* / multi.test \(127.0.0.2\): ' "-4 limits to IPv4"
run inns "$C" -H multi.test -p "$multi" --ca-file "$P/ca.pem" --no-host-check -6
is "$rc" 0 "-6 without --all-addresses: the IPv6 address only"
like "$first" '^TLS OK - multi.test: CN=localhost' "-6: status line"

done_testing

#!/bin/bash
# check_tls_cert --dane: TLSA records in a DNSSEC-signed zone served by
# nsd on loopback, matched against chains served by openssl s_server.
. "$(dirname "$0")/../lib.sh"
. "$SRC/tests/integration/tls-pki.sh"

C=$B/plugins/check_tls_cert
[ -x "$C" ] || { echo "Bail out! $C not built"; exit 1; }
pki_init || { echo "Bail out! cannot make the test CA"; exit 1; }

pki_leaf www --san DNS:www.dane.test
pki_leaf self --self --san DNS:www.dane.test
pki_leaf other --san DNS:www.dane.test
# SHA-256 of the SubjectPublicKeyInfo, of the whole certificate, SHA-512
# of the SPKI, and the certificate itself in hex (RFC 6698 section 2.1).
spki256() { openssl x509 -in "$1" -pubkey -noout | openssl pkey -pubin -outform DER | openssl dgst -sha256 -r | cut -d' ' -f1; }
spki512() { openssl x509 -in "$1" -pubkey -noout | openssl pkey -pubin -outform DER | openssl dgst -sha512 -r | cut -d' ' -f1; }
cert256() { openssl x509 -in "$1" -outform DER | openssl dgst -sha256 -r | cut -d' ' -f1; }
certhex() { openssl x509 -in "$1" -outform DER | od -An -v -tx1 | tr -d ' \n'; }

for v in ee ee512 full wrong self ta tabad pkix pkixta none forged; do eval "p_$v=$(free_port)"; done
serve_tls www "$p_ee"
serve_tls www "$p_ee512"
serve_tls www "$p_full"
serve_tls www "$p_wrong"
serve_tls self "$p_self"
serve_tls www "$p_ta"
serve_tls www "$p_tabad"
serve_tls www "$p_pkix"
serve_tls www "$p_pkixta"
serve_tls www "$p_none"
serve_tls www "$p_forged"

Z=$T/nsd
mkdir -p "$Z"
cat >"$Z/dane.test" <<EOF
\$ORIGIN dane.test.
\$TTL 300
@ SOA ns.dane.test. admin.dane.test. 1 3600 600 86400 300
@ NS ns
ns A 127.0.0.1
www A 127.0.0.1
_$p_ee._tcp.www TLSA 3 1 1 $(spki256 "$P/www.pem")
_$p_ee512._tcp.www TLSA 3 1 2 $(spki512 "$P/www.pem")
_$p_full._tcp.www TLSA 3 0 0 $(certhex "$P/www.pem")
_$p_wrong._tcp.www TLSA 3 1 1 $(spki256 "$P/other.pem")
_$p_self._tcp.www TLSA 3 1 1 $(spki256 "$P/self.pem")
_$p_ta._tcp.www TLSA 2 0 1 $(cert256 "$P/int/cert.pem")
_$p_tabad._tcp.www TLSA 2 0 1 $(cert256 "$P/other.pem")
_$p_pkix._tcp.www TLSA 1 1 1 $(spki256 "$P/www.pem")
_$p_pkixta._tcp.www TLSA 0 0 1 $(cert256 "$P/root/cert.pem")
_$p_forged._tcp.www TLSA 3 1 1 $(spki256 "$P/other.pem")
EOF
cat >"$Z/plain.test" <<EOF
\$ORIGIN plain.test.
\$TTL 300
@ SOA ns.plain.test. admin.plain.test. 1 3600 600 86400 300
@ NS ns
ns A 127.0.0.1
_$p_ee._tcp.www TLSA 3 1 1 $(spki256 "$P/www.pem")
EOF
(
	cd "$Z" || exit 1
	ksk=$(ldns-keygen -a ECDSAP256SHA256 -k dane.test) &&
		zsk=$(ldns-keygen -a ECDSAP256SHA256 dane.test) &&
		ldns-signzone -o dane.test dane.test "$ksk" "$zsk" &&
		cp "$ksk.ds" anchor.ds && cp "$zsk.key" zsk.key
) >"$T/sign.log" 2>&1 || { echo "Bail out! cannot sign the test zone"; exit 1; }
# A man in the middle: the forged port's record now says the real key,
# but its RRSIG was made over the other one.
sed -i "s/$(spki256 "$P/other.pem")/$(spki256 "$P/www.pem")/" "$Z/dane.test.signed"
sed -i "/^_$p_wrong\\._tcp/s/$(spki256 "$P/www.pem")/$(spki256 "$P/other.pem")/" "$Z/dane.test.signed"

dp=$(free_port udp)
cat >"$Z/nsd.conf" <<EOF
server:
  ip-address: 127.0.0.1@$dp
  port: $dp
  username: ""
  chroot: ""
  zonesdir: "$Z"
  pidfile: "$Z/nsd.pid"
  database: ""
  zonelistfile: "$Z/zone.list"
  xfrdfile: "$Z/xfrd.state"
  xfrdir: "$Z"
  logfile: "$Z/nsd.log"
  server-count: 1
remote-control:
  control-enable: no
zone:
  name: dane.test
  zonefile: dane.test.signed
zone:
  name: plain.test
  zonefile: plain.test
EOF
nsd -d -c "$Z/nsd.conf" &
track $!
nsd_answers() { drill -p "$dp" @127.0.0.1 SOA dane.test 2>/dev/null | grep -q 'ANSWER: 1'; }
wait_for 5 nsd_answers || { echo "Bail out! nsd did not answer for dane.test"; exit 1; }

dane() {
	local port=$1
	shift
	run "$C" -H 127.0.0.1 --sni www.dane.test -p "$port" --ca-file "$P/ca.pem" --dane \
		--dns-server "127.0.0.1@$dp" --dnssec-anchor "$Z/anchor.ds" "$@"
}
WWW="CN=www.dane.test, issuer CN=Glance Test Intermediate, expires [0-9-]+ \\(365 days\\)"

dane "$p_ee"
is "$rc" 0 "DANE-EE SPKI SHA-256 record matches: OK"
like "$first" "^TLS OK - 127.0.0.1: $WWW\\|days=365;30:;14:$" "DANE-EE: status line"
like "$out" $'\nDANE: TLSA 3 1 1 matches \\(1 record\\)' "DANE-EE: the matching record is shown"

dane "$p_ee512"
is "$rc" 0 "DANE-EE SPKI SHA-512 (3 1 2): OK"
dane "$p_full"
is "$rc" 0 "DANE-EE full certificate, exact match (3 0 0): OK"

dane "$p_wrong"
is "$rc" 2 "TLSA record for another key: CRITICAL"
like "$first" "^TLS CRITICAL - 127.0.0.1: DANE: the TLSA record does not match the chain / $WWW\\|" \
	"mismatch: reason"

dane "$p_self"
is "$rc" 0 "self-signed certificate pinned by DANE-EE: OK (DANE stands in for PKIX)"
run "$C" -H 127.0.0.1 --sni www.dane.test -p "$p_self" --ca-file "$P/ca.pem"
is "$rc" 2 "the same self-signed certificate without --dane: CRITICAL"

dane "$p_ta"
is "$rc" 0 "DANE-TA record for the intermediate (2 0 1): OK"
like "$out" $'\nDANE: TLSA 2 0 1 matches' "DANE-TA: shown"
dane "$p_tabad"
is "$rc" 2 "DANE-TA record naming no certificate of the chain: CRITICAL"

dane "$p_pkix"
is "$rc" 0 "PKIX-EE (1 1 1) with a trusted chain: OK"
run "$C" -H 127.0.0.1 --sni www.dane.test -p "$p_pkix" --ca-path "$T" --dane \
	--dns-server "127.0.0.1@$dp" --dnssec-anchor "$Z/anchor.ds"
is "$rc" 2 "PKIX-EE without a trusted chain: CRITICAL"
like "$first" "DANE: the TLSA record does not match the chain \\(usages 0 and 1 need a trusted chain\\)" \
	"PKIX-EE: reason says why"

dane "$p_pkixta"
is "$rc" 0 "PKIX-TA (0 0 1) naming the root from the trust store: OK"
like "$out" $'\nDANE: TLSA 0 0 1 matches' "PKIX-TA: shown"

dane "$p_none"
is "$rc" 2 "no TLSA record for the service: CRITICAL"
like "$first" "^TLS CRITICAL - 127.0.0.1: $WWW / DANE: no TLSA records for _$p_none._tcp.www.dane.test\\|days=365;30:;14:$" \
	"no records: named"

dane "$p_forged"
is "$rc" 2 "TLSA data that does not match its RRSIG: CRITICAL"
like "$first" "DANE: the TLSA answer for _$p_forged._tcp.www.dane.test is not DNSSEC-secure: " \
	"forged answer: bogus, not trusted"

dane "$p_ee" --dnssec-anchor "$Z/zsk.key"
is "$rc" 2 "trust anchor that does not sign the zone's keys: CRITICAL"
like "$first" "is not DNSSEC-secure: " "wrong anchor: not secure"

run "$C" -H 127.0.0.1 --sni www.plain.test -p "$p_ee" --ca-file "$P/ca.pem" --no-host-check --dane \
	--dns-server "127.0.0.1@$dp" --dnssec-anchor "$Z/anchor.ds"
is "$rc" 2 "TLSA records in an unsigned zone: CRITICAL"
like "$first" "DANE: the TLSA answer for _$p_ee._tcp.www.plain.test is not DNSSEC-secure: " \
	"unsigned zone: insecure"

dead=$(free_port udp)
elapsed_ms "$C" -H 127.0.0.1 --sni www.dane.test -p "$p_ee" --ca-file "$P/ca.pem" --dane \
	--dns-server "127.0.0.1@$dead" --dnssec-anchor "$Z/anchor.ds" -t 3
is "$rc" 2 "no DNS server answering: CRITICAL"
like "$first" "DANE: " "DNS failure reported under DANE"
ok "$([ "$ms" -lt 3500 ] && echo 0 || echo 1)" "DNS failure within -t 3 (took ${ms} ms)"

# --- the DANE module (dane.so): loaded by --dane only ------------------
# loaded CMD...: the base names of what the dynamic loader mapped.
loaded() {
	env LD_DEBUG=files LD_DEBUG_OUTPUT="$T/ld" "$@" >/dev/null 2>&1
	sed -En 's/.*file=([^ ]*) *\[0\];  *(needed|dynamically loaded) by.*/\1/p' "$T"/ld.* |
		xargs -n1 basename | sort -u | tr '\n' ' '
	rm -f "$T"/ld.*
}
libs=$(loaded "$C" -H 127.0.0.1 --sni www.dane.test -p "$p_ee" --ca-file "$P/ca.pem")
[[ $libs == *libssl* && $libs != *dane.so* && $libs != *libldns* ]]
ok $? "without --dane neither dane.so nor ldns is loaded ($libs)"
libs=$(loaded "$C" -H 127.0.0.1 --sni www.dane.test -p "$p_ee" --ca-file "$P/ca.pem" --dane \
	--dns-server "127.0.0.1@$dp" --dnssec-anchor "$Z/anchor.ds")
[[ " $libs" == *" dane.so "* && $libs == *libldns* ]]
ok $? "--dane loads dane.so and ldns ($libs)"
# A plugin copied with its module: found one directory above the plugin.
mkdir -p "$T/inst/plugins"
cp "$C" "$T/inst/plugins/"
cp "$(dirname "$(dirname "$C")")/dane.so" "$T/inst/"
LD_DEBUG=files LD_DEBUG_OUTPUT="$T/ld" run "$T/inst/plugins/check_tls_cert" -H 127.0.0.1 \
	--sni www.dane.test -p "$p_ee" --ca-file "$P/ca.pem" --dane --dns-server "127.0.0.1@$dp" \
	--dnssec-anchor "$Z/anchor.ds"
is "$rc" 0 "a plugin copied with dane.so beside its directory: OK"
grep -q "file=$T/inst/dane.so .*dynamically loaded" "$T"/ld.*
ok $? "it loaded the dane.so one directory above its own"
rm -f "$T"/ld.*
GLANCE_DANE_MODULE=$T/missing.so run "$C" -H 127.0.0.1 --sni www.dane.test -p "$p_ee" \
	--ca-file "$P/ca.pem" --dane --dns-server "127.0.0.1@$dp" --dnssec-anchor "$Z/anchor.ds"
is "$rc" 3 "GLANCE_DANE_MODULE naming no file: UNKNOWN"
is "$first" "TLS UNKNOWN - cannot load the DANE module $T/missing.so: cannot open shared object file: No such file or directory" \
	"a missing module: one line naming it"

done_testing

# Test zones and two nsd instances for check_dns (sourced after lib.sh by
# check_dns*.t and by tests/bench/dns.sh).
#
#   dns_env_start   writes the zones into $T, signs some, starts
#                   the primary nsd on 127.0.0.1@$P and ::1@$P and the
#                   secondary on 127.0.0.2@$P and 127.0.0.1@$P2
#
# The primary holds example.test at serial 2026112510, the secondary at
# 2026112500 (a lagging secondary; no zone transfer is needed to simulate
# one). signed.test is signed with the same key on both, but the
# secondary's copy expires in 5 days and the primary's in 30 (a stale
# secondary). expired.test's signatures expired 10 days ago. bl.test is a
# blocklist, wild.test a list that answers everything with a non-127
# address, and lame.test is delegated to ns2, which does not serve it (so
# it answers REFUSED). child.parent.test is signed under parent.test with
# a DS, to test a two-link chain. Zones are signed with NSEC3, nsec.test
# with NSEC. Nothing listens anywhere but loopback.

DNS_SERIAL1=2026112510
DNS_SERIAL2=2026112500

_dns_zone_example() {
	local serial=$1
	cat <<EOF
\$ORIGIN example.test.
\$TTL 300
@	IN SOA ns1.example.test. hostmaster.example.test. $serial 3600 900 604800 300
@	NS ns1
@	NS ns2
@	MX 10 mail
@	TXT "v=spf1 mx -all"
ns1	A 127.0.0.1
ns1	AAAA ::1
ns2	A 127.0.0.2
mail	A 192.0.2.2
mail	AAAA 2001:db8::2
multi	A 192.0.2.10
multi	A 192.0.2.11
www	CNAME mail
_25._tcp.mail TLSA 3 1 1 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
EOF
	# More than the 1232-byte EDNS buffer: nsd must truncate over UDP.
	local s
	s=$(printf 'x%.0s' $(seq 1 200))
	for i in 1 2 3 4 5 6 7 8; do echo "big	TXT \"$i$s\""; done
}

_dns_zone_simple() {  # ZONE SERIAL BODY...
	local zone=$1 serial=$2
	shift 2
	printf '$ORIGIN %s.\n$TTL 300\n@\tIN SOA ns1.%s. hostmaster.%s. %s 3600 900 604800 300\n' \
		"$zone" "$zone" "$zone" "$serial"
	printf '%s\n' "$@"
}

_dns_sign() {  # ZONEFILE KEYBASE OUT INCEPTION EXPIRATION [nsec]: NSEC3 unless "nsec"
	local n3=-n
	[ "${6:-}" = nsec ] && n3=
	ldns-signzone $n3 -i "$4" -e "$5" -f "$3" "$1" "$2" >/dev/null 2>&1
}

_dns_keygen() {  # ZONE -> prints the key base name
	(cd "$T/keys" && ldns-keygen -a ECDSAP256SHA256 -k "$1" 2>/dev/null)
}

_dns_zones() {
	mkdir -p "$T/z1" "$T/z2" "$T/keys"
	_dns_zone_example "$DNS_SERIAL1" >"$T/z1/example.test"
	_dns_zone_example "$DNS_SERIAL2" >"$T/z2/example.test"
	# Serials across the 2^32 wrap: the primary's 3 is 9 ahead of 4294967290.
	_dns_zone_simple wrap.test 3 "@ NS ns1" "@ NS ns2" "ns1 A 127.0.0.1" "ns2 A 127.0.0.2" \
		>"$T/z1/wrap.test"
	_dns_zone_simple wrap.test 4294967290 "@ NS ns1" "@ NS ns2" "ns1 A 127.0.0.1" \
		"ns2 A 127.0.0.2" >"$T/z2/wrap.test"
	# ns2 lists a third nameserver the primary does not know.
	_dns_zone_simple nsdiff.test 1 "@ NS ns1" "@ NS ns2" "ns1 A 127.0.0.1" "ns2 A 127.0.0.2" \
		>"$T/z1/nsdiff.test"
	_dns_zone_simple nsdiff.test 1 "@ NS ns1" "@ NS ns2" "@ NS ns3" "ns1 A 127.0.0.1" \
		"ns2 A 127.0.0.2" "ns3 A 127.0.0.3" >"$T/z2/nsdiff.test"
	_dns_zone_simple lame.test 1 "@ NS ns1.example.test." "@ NS ns2.example.test." \
		"www A 192.0.2.7" >"$T/z1/lame.test"
	_dns_zone_simple bl.test 1 "@ NS ns1" "ns1 A 127.0.0.1" \
		"2.0.0.127 A 127.0.0.2" \
		"2.0.0.127 TXT \"spam source, see https://bl.test/127.0.0.2\"" \
		"10.2.0.192 A 127.255.255.254" \
		"2.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2 A 127.0.0.3" \
		"2.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2 TXT \"v6 spam\"" \
		>"$T/z1/bl.test"
	_dns_zone_simple 2.0.192.in-addr.arpa 1 "@ NS ns1.example.test." "2 PTR mail.example.test." \
		>"$T/z1/2.0.192.in-addr.arpa"
	_dns_zone_simple wild.test 1 "@ NS ns1" "ns1 A 127.0.0.1" "* A 192.0.2.99" \
		>"$T/z1/wild.test"
	_dns_zone_simple signed.test 2026112501 "@ NS ns1" "@ NS ns2" "ns1 A 127.0.0.1" \
		"ns2 A 127.0.0.2" "www A 192.0.2.80" >"$T/signed.test"
	_dns_zone_simple expired.test 1 "@ NS ns1" "ns1 A 127.0.0.1" "www A 192.0.2.81" \
		>"$T/expired.test"
	_dns_zone_simple nsec.test 1 "@ NS ns1" "ns1 A 127.0.0.1" "www A 192.0.2.85" >"$T/nsec.test"
	_dns_zone_simple tampered.test 1 "@ NS ns1" "ns1 A 127.0.0.1" "www A 192.0.2.83" \
		>"$T/tampered.test"
	_dns_zone_simple child.parent.test 1 "@ NS ns1.parent.test." "www A 192.0.2.82" \
		>"$T/child.parent.test"
	local now d30 d5 p40 p10 ks ke kc kp kt kn
	now=$(date -u +%Y%m%d%H%M%S)
	d30=$(date -u -d '+30 days' +%Y%m%d%H%M%S)
	d5=$(date -u -d '+5 days' +%Y%m%d%H%M%S)
	p40=$(date -u -d '-40 days' +%Y%m%d%H%M%S)
	p10=$(date -u -d '-10 days' +%Y%m%d%H%M%S)
	ks=$(_dns_keygen signed.test) && ke=$(_dns_keygen expired.test) &&
		kc=$(_dns_keygen child.parent.test) && kp=$(_dns_keygen parent.test) &&
		kt=$(_dns_keygen tampered.test) && kn=$(_dns_keygen nsec.test) || return 1
	_dns_sign "$T/signed.test" "$T/keys/$ks" "$T/z1/signed.test" "$now" "$d30" &&
		_dns_sign "$T/signed.test" "$T/keys/$ks" "$T/z2/signed.test" "$now" "$d5" &&
		_dns_sign "$T/expired.test" "$T/keys/$ke" "$T/z1/expired.test" "$p40" "$p10" &&
		_dns_sign "$T/child.parent.test" "$T/keys/$kc" "$T/z1/child.parent.test" "$now" "$d30" ||
		return 1
	# Signed, then changed: the RRSIG over www no longer matches (bogus).
	_dns_sign "$T/tampered.test" "$T/keys/$kt" "$T/tampered.signed" "$now" "$d30" &&
		sed 's/192\.0\.2\.83/192.0.2.84/' "$T/tampered.signed" >"$T/z1/tampered.test" ||
		return 1
	cp "$T/keys/$kt.ds" "$T/anchor-tampered.ds"
	_dns_sign "$T/nsec.test" "$T/keys/$kn" "$T/z1/nsec.test" "$now" "$d30" nsec || return 1
	cp "$T/keys/$kn.ds" "$T/anchor-nsec.ds"
	{ _dns_zone_simple parent.test 1 "@ NS ns1" "ns1 A 127.0.0.1" \
		"child NS ns1.parent.test."; cat "$T/keys/$kc.ds"; } >"$T/parent.test"
	_dns_sign "$T/parent.test" "$T/keys/$kp" "$T/z1/parent.test" "$now" "$d30" || return 1
	cp "$T/keys/$ks.ds" "$T/anchor-signed.ds"
	cp "$T/keys/$ks.key" "$T/anchor-signed.key"
	cp "$T/keys/$ke.ds" "$T/anchor-expired.ds"
	cp "$T/keys/$kp.ds" "$T/anchor-parent.ds"
}

_dns_conf() {  # NAME DIR ZONES ADDR@PORT...
	local name=$1 dir=$2 zones=$3 z a
	shift 3
	{
		echo "server:"
		for a in "$@"; do echo "	ip-address: $a"; done
		cat <<EOF
	port: $P
	zonesdir: "$dir"
	pidfile: "$T/$name.pid"
	username: ""
	database: ""
	chroot: ""
	xfrdfile: "$T/$name.xfrd"
	xfrdir: "$T"
	zonelistfile: "$T/$name.zonelist"
	logfile: "$T/$name.log"
	server-count: 1
	verbosity: 0
remote-control:
	control-enable: no
EOF
		for z in $zones; do printf 'zone:\n\tname: %s\n\tzonefile: %s\n' "$z" "$z"; done
	} >"$T/$name.conf"
}

# dns_wait ADDR PORT: waits until ADDR:PORT accepts TCP (nsd serves both).
dns_wait() {
	wait_for 10 accepts "$2" "$1"
}

dns_env_start() {
	P=$(free_port) && P2=$(free_port) || return 1
	while [ "$P2" = "$P" ]; do P2=$(free_port) || return 1; done
	_dns_zones || return 1
	_dns_conf nsd1 "$T/z1" "example.test wrap.test nsdiff.test lame.test bl.test wild.test signed.test expired.test tampered.test nsec.test parent.test child.parent.test 2.0.192.in-addr.arpa" \
		"127.0.0.1@$P" "::1@$P"
	_dns_conf nsd2 "$T/z2" "example.test wrap.test nsdiff.test signed.test" "127.0.0.2@$P" "127.0.0.1@$P2"
	nsd -d -c "$T/nsd1.conf" >"$T/nsd1.out" 2>&1 &
	track $!
	nsd -d -c "$T/nsd2.conf" >"$T/nsd2.out" 2>&1 &
	track $!
	dns_wait 127.0.0.1 "$P" && dns_wait 127.0.0.2 "$P" && dns_wait 127.0.0.1 "$P2"
}

#!/bin/bash
# check_dns against two real nsd instances on loopback (see dns_env.sh),
# and against a fake server for the replies nsd never sends.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib.sh"
. "$here/dns_env.sh"

command -v nsd >/dev/null && command -v ldns-signzone >/dev/null ||
	skip_all "nsd and ldnsutils are not installed (tests/install-deps)"
dns_env_start || { cat "$T"/*.out "$T"/*.log 2>/dev/null; echo "Bail out! nsd did not start"; exit 1; }

D=$B/plugins/check_dns
MS='[0-9]+\.[0-9] ms'   # a response time in the summary
S='[0-9]+(\.[0-9]+)?s'  # a time in perfdata
S1="127.0.0.1@$P"
S2="127.0.0.2@$P"
NS1=ns1.example.test/127.0.0.1
NS1v6=ns1.example.test/::1
NS2=ns2.example.test/127.0.0.2

# fake PORT MODE: a misbehaving server (dns_fake_server.py) on 127.0.0.1.
fake() {
	python3 "$here/dns_fake_server.py" "$2" "$1" >"$T/fake.$2" 2>&1 &
	track $!
	wait_for 5 grep -q ready "$T/fake.$2"
}

# cases: the table on stdin, one check_dns run per line, fields separated
# by tabs: ARGS (shell words), the exit code, its test name, a pattern
# for the status line and its test name ("-" when the line is not checked).
cases() {
	local args want name pat pname
	while IFS=$'\t' read -r args want name pat pname; do
		eval "set -- $args"
		run "$D" "$@" </dev/null
		is "$rc" "$want" "$name"
		[ "$pat" = - ] || like "$first" "$pat" "$pname"
	done
}

echo "# lookup mode"
cases <<EOF
-H mail.example.test -s "$S1"	0	A lookup: OK	-	-
EOF
like "$out" "^DNS OK - mail\.example\.test A 192\.0\.2\.2 AAAA 2001:db8::2 in $MS \(127\.0\.0\.1@$P\)\|time=$S;;;0$" \
	"A lookup: status line and time perfdata"
is "$(cat "$T/stderr")" "" "nothing on stderr without -v"

cases <<EOF
-H multi.example.test -s "$S1" -a 192.0.2.11 -a 192.0.2.10 -A	0	expected set in another order, authoritative: OK	^DNS OK - multi\.example\.test A 192\.0\.2\.10, 192\.0\.2\.11 in $MS \(127\.0\.0\.1@$P\)\|time=$S;;;0$	answer set sorted on the status line
-H multi.example.test -s "$S1" -a 192.0.2.11	0	-a: any expected answer matches, as check_dns: OK	-	-
-H multi.example.test -s "$S1" -a 192.0.2.11 -L	2	-L: answer set larger than expected: CRITICAL	^DNS CRITICAL - multi\.example\.test A 192\.0\.2\.10, 192\.0\.2\.11 \(unexpected 192\.0\.2\.10\) in $MS \(127\.0\.0\.1@$P\)\|time=$S;;;0$	the unexpected record is named
-H mail.example.test -s "$S1" -a 192.0.2.9	2	wrong address: CRITICAL	\(expected 192\.0\.2\.9 and got 192\.0\.2\.2, 2001:db8::2\)	expected and answered records named
-H mail.example.test -s "$S1" -q A -a 192.0.2.9 -L	2	-L, wrong address: CRITICAL	\(missing 192\.0\.2\.9 and unexpected 192\.0\.2\.2\)	-L: missing and unexpected records named
-H multi.example.test -s "$S1" -a 192.0.2.8/30	0	-a CIDR holding the answers: OK	-	-
-H multi.example.test -s "$S1" -a 192.0.2.99,192.0.2.10	0	-a comma list, one matches: OK	-	-
-H example.test -s "$S1" -q MX -a mail.example.test	0	-q MX -a HOST: the MX target at any preference: OK	^DNS OK - example\.test MX 10 mail\.example\.test\. in $MS 	MX target matched by host name
-H example.test -s "$S1" -q MX -a mail.example.test. -L	0	-q MX -a HOST. -L: the whole MX set by target: OK	-	-
-H example.test -s "$S1" -q MX -a other.example.test	2	-q MX -a HOST of no MX: CRITICAL	\(expected other\.example\.test\. and got 10 mail\.example\.test\.\)	MX target mismatch named
-H mail.example.test -s "$S1" -q AAAA -a 2001:DB8:0::2	0	AAAA matched in another spelling: OK	^DNS OK - mail\.example\.test AAAA 2001:db8::2 in $MS 	AAAA in canonical form
-H example.test -s "$S1" -q MX -a "10 mail.example.test"	0	MX with a name lacking the final dot: OK	^DNS OK - example\.test MX 10 mail\.example\.test\. in $MS 	MX answer text
-H example.test -s "$S1" -q TXT -a "v=spf1 mx -all"	0	TXT matched as one string: OK	^DNS OK - example\.test TXT "v=spf1 mx -all" in 	TXT answer text
-H _25._tcp.mail.example.test -s "$S1" -q TLSA -a "3 1 1 0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef"	0	TLSA matched (hex case ignored): OK	-	-
-H 192.0.2.2 -s "$S1" -a mail.example.test	0	an address is looked up as PTR: OK	^DNS OK - 2\.2\.0\.192\.in-addr\.arpa PTR mail\.example\.test\. in $MS 	PTR name built
-H mail.example.test -s "$S1" -q MX	2	no record of the type: CRITICAL	^DNS CRITICAL - mail\.example\.test MX: no record of this type \(NODATA\) in $MS \(127\.0\.0\.1@$P\)\|time=$S;;;0$	NODATA status line
-H nope.example.test -s "$S1"	2	NXDOMAIN: CRITICAL	^DNS CRITICAL - nope\.example\.test A/AAAA: NXDOMAIN \(domain not found\) in $MS 	NXDOMAIN status line
-H nope.example.test -s "$S1" -E	0	NXDOMAIN with -E: OK	^DNS OK - nope\.example\.test: NXDOMAIN as expected in $MS \(127\.0\.0\.1@$P\)\|time=$S;;;0$	-E status line
-H mail.example.test -s "$S1" -n	2	an existing name with -n (check_dns spelling of -E): CRITICAL	^DNS CRITICAL - mail\.example\.test exists, NXDOMAIN expected in 	-n status line
-H www.unserved.test -s "$S1"	2	REFUSED: CRITICAL	^DNS CRITICAL - www\.unserved\.test A/AAAA: REFUSED in $MS \(127\.0\.0\.1@$P\)\|time=$S;;;0$	REFUSED status line
-H mail.example.test -s "$S1" -w 0.000001 -c 5	1	slower than -w: WARNING	^DNS WARNING - mail\.example\.test A 192\.0\.2\.2 AAAA 2001:db8::2 in $MS \(127\.0\.0\.1@$P\)\|time=$S;0\.000001;5;0$	-w status line and thresholds in perfdata
-H mail.example.test -s "$S1" -w 0.000001 -c 0.000002	2	slower than -c: CRITICAL	-	-
-H mail.example.test -s "$S1" -s "$S2" -s "::1@$P"	0	three servers agree: OK	^DNS OK - mail\.example\.test A 192\.0\.2\.2 AAAA 2001:db8::2 in $MS \(127\.0\.0\.1@$P\), $MS \(127\.0\.0\.2@$P\), $MS \(::1@$P\)\|time_127\.0\.0\.1@$P=$S;;;0 time_127\.0\.0\.2@$P=$S;;;0 time_::1@$P=$S;;;0$	one answer text, one time per server, perfdata per server
-H big.example.test -s "$S1" -q TXT	0	an answer larger than the EDNS buffer: OK	^DNS OK - big\.example\.test TXT "1x+\.\.\. 	long answer shown
EOF
like "$first" "\.\.\. \(8 records\) in $MS " "long answer cut on the status line"
like "$out" $'\n'"127\.0\.0\.1@$P: UDP reply truncated, answered over TCP" "truncation retried over TCP"

cases <<EOF
-H mail.example.test -s "$S1" --tcp	0	--tcp against nsd: OK	-	-
EOF

# check_dig's own command line works unchanged (-l names the lookup, -H the server)
cases <<EOF
-H 127.0.0.1 -p "$P" -l mail.example.test -T A -a 192.0.2.2 -w 1 -c 2	0	check_dig command line: OK	^DNS OK - mail\.example\.test A 192\.0\.2\.2 in $MS \(127\.0\.0\.1\)\|time=$S;1;2;0$	check_dig command line: status line
EOF
if [ -x /usr/lib/nagios/plugins/check_dig ]; then
	run /usr/lib/nagios/plugins/check_dig -H 127.0.0.1 -p "$P" -l mail.example.test -T A -a 192.0.2.2 -w 1 -c 2
	is "$rc" 0 "the same command line with monitoring-plugins check_dig: OK"
fi

echo "# failures: nothing listening, silence, garbage, truncation, wrong ids"
DEAD=$(free_port udp)
cases <<EOF
-H mail.example.test -s "127.0.0.1@$DEAD"	2	nothing on the port: CRITICAL	-	-
EOF
is "$first" "DNS CRITICAL - 127.0.0.1@$DEAD: unreachable (port $DEAD refused)|time=U;;;0" \
	"port unreachable status line"

SILENT=$(free_port udp)
fake "$SILENT" silent
elapsed_ms "$D" -H mail.example.test -s "127.0.0.1@$SILENT" -t 2
is "$rc" 2 "no reply: CRITICAL"
like "$first" "^DNS CRITICAL - 127\.0\.0\.1@$SILENT: no reply within 1\.[0-9] s\|time=U;;;0$" \
	"timeout status line"
ok "$([ "$ms" -lt 3000 ] && echo 0 || echo 1)" "timeout within -t 2 ($ms ms, process start included)"

elapsed_ms "$D" -H mail.example.test -s "127.0.0.1@$SILENT" -s "$S1" -t 2
is "$rc" 2 "a silent server beside a good one: CRITICAL"
like "$first" "^DNS CRITICAL - 127\.0\.0\.1@$SILENT: no reply within 0\.[0-9] s / mail\.example\.test A 192\.0\.2\.2 AAAA 2001:db8::2 in $MS \(127\.0\.0\.1@$P\)\|" \
	"the dead server used only its share of -t, the good one still answered"
ok "$([ "$ms" -lt 3000 ] && echo 0 || echo 1)" "both within -t 2 ($ms ms, process start included)"

cases <<EOF
-H mail.example.test -s "127.0.0.1@$SILENT" -t 1:unknown	3	-t 1:unknown: the run's timeout state applies	^DNS UNKNOWN - 127\.0\.0\.1@$SILENT: no reply within 0\.[0-9] s\|time=U;;;0$	timeout state status line
EOF

GARBAGE=$(free_port udp)
fake "$GARBAGE" garbage
cases <<EOF
-H mail.example.test -s "127.0.0.1@$GARBAGE" -t 3	2	a reply that is not DNS: CRITICAL	^DNS CRITICAL - 127\.0\.0\.1@$GARBAGE: malformed reply \(25 bytes\): 	malformed status line
-H mail.example.test -s "127.0.0.1@$GARBAGE" --tcp -t 3	2	--tcp never uses UDP: CRITICAL from the closed TCP port	-	-
EOF
is "$first" "DNS CRITICAL - 127.0.0.1@$GARBAGE: unreachable (TCP port $GARBAGE refused)|time=U;;;0" \
	"--tcp status line"

TRUNC=$(free_port udp)
fake "$TRUNC" truncated
cases <<EOF
-H mail.example.test -s "127.0.0.1@$TRUNC" -t 3	2	truncated with no TCP service: CRITICAL	-	-
EOF
is "$first" "DNS CRITICAL - 127.0.0.1@$TRUNC: truncated UDP reply, TCP retry failed: TCP connect: Connection refused|time=U;;;0" \
	"truncation status line"

WRONGID=$(free_port udp)
fake "$WRONGID" wrongid
cases <<EOF
-H mail.example.test -s "127.0.0.1@$WRONGID" -t 1.5	2	replies with another id are ignored: CRITICAL timeout	^DNS CRITICAL - 127\.0\.0\.1@$WRONGID: no valid reply within 1\.[0-9] s \([1-9][0-9]* repl(y|ies) with a wrong id ignored\)\|	spoof-like replies never accepted, and counted
EOF

SERVFAIL=$(free_port udp)
fake "$SERVFAIL" servfail
cases <<EOF
-H mail.example.test -s "127.0.0.1@$SERVFAIL" -t 3	2	SERVFAIL: CRITICAL	^DNS CRITICAL - mail\.example\.test A/AAAA: SERVFAIL in $MS \(127\.0\.0\.1@$SERVFAIL\)\|time=$S;;;0$	SERVFAIL status line
-H 127.0.0.2 --dnsbl bl.test -s "127.0.0.1@$SERVFAIL" -t 3	1	a list that fails with SERVFAIL: WARNING list error, not listed	^DNS WARNING - bl\.test: list error: SERVFAIL / 127\.0\.0\.2 not listed on 1 list, 1 list error\|	SERVFAIL list status line
EOF

CACHE=$(free_port udp)
fake "$CACHE" nonauth
cases <<EOF
-H www.example.test -s "127.0.0.1@$CACHE" -A -t 3	2	-A and an answer without the AA bit: CRITICAL	^DNS CRITICAL - www\.example\.test A 192\.0\.2\.53 \(not authoritative\) in $MS \(127\.0\.0\.1@$CACHE\)\|time=$S;;;0$	not-authoritative status line
-H www.example.test -s "127.0.0.1@$CACHE" -t 3	0	the same answer without -A: OK	-	-
EOF

OLD=$(free_port udp)
fake "$OLD" noedns
cases <<EOF
-H old.example.test -s "127.0.0.1@$OLD" -t 3	0	a server that rejects EDNS with FORMERR is asked again without: OK	-	-
EOF
like "$out" "^DNS OK - old\.example\.test A 192\.0\.2\.53 in $MS \(127\.0\.0\.1@$OLD\)\|time=$S;;;0"$'\n'"127\.0\.0\.1@$OLD: EDNS refused \(FORMERR\), answered without it$" \
	"EDNS fallback status line and note"

echo "# bad input"
cases <<EOF
-H mail.example.test -q NOTATYPE	3	unknown type: UNKNOWN	-	-
EOF
is "$first" "DNS UNKNOWN - -q: 'NOTATYPE' is not a DNS record type" "unknown type message"
cases <<EOF
-s "$S1"	3	no name: UNKNOWN	-	-
EOF
is "$first" "DNS UNKNOWN - -H NAME (or --zone ZONE) is required" "missing -H message"
cases <<EOF
-H mail.example.test -q A -a mail.example.test	3	expected data not valid for the type: UNKNOWN	^DNS UNKNOWN - -a: 'mail\.example\.test' is not valid A data	bad -a message
-H mail.example.test -s "::1@$P" -4	3	an IPv6 server under -4: UNKNOWN	-	-
EOF
is "$first" "DNS UNKNOWN - cannot resolve '::1' (IPv4): Address family for hostname not supported" \
	"-4 message"
cases <<EOF
-H big.example.test -q TXT -s "$S1" -vv	0	-vv: OK	-	-
EOF
like "$(cat "$T/stderr")" "^dns: big\.example\.test type 16 to 127\.0\.0\.1 port $P over TCP: NOERROR in [0-9.]+ ms$" \
	"-vv traces each query on stderr"
cases <<EOF
-H mail.example.test -s 127.0.0.1@70000	3	bad port: UNKNOWN	-	-
EOF
is "$first" "DNS UNKNOWN - server '127.0.0.1@70000': bad port after '@'" "bad port message"
cases <<EOF
-H mail.example.test --dnsbl bl.test	3	--dnsbl with a name: UNKNOWN	-	-
EOF
is "$first" "DNS UNKNOWN - --dnsbl: -H 'mail.example.test' is not an IPv4 or IPv6 address" \
	"--dnsbl needs an address"
cases <<EOF
-H mail.example.test --rrsig-days 5:x	3	bad --rrsig-days: UNKNOWN	-	-
-h	3	--help exits UNKNOWN	-	-
EOF
like "$out" "--ns-address=NAME=ADDR\[@PORT\]" "--help lists --ns-address"

echo "# zone mode"
cases <<EOF
--zone example.test -s 127.0.0.1 -p "$P"	1	a secondary 10 serials behind: WARNING by default	^DNS WARNING - $NS2: serial 2026112500 is 10 behind 2026112510 \($NS1\) / example\.test serial 2026112510 \($NS1\): 2 of 3 servers OK, slowest $MS \([^)]+\)\|time_$NS1=$S;;;0 time_$NS1v6=$S;;;0 time_$NS2=$S;;;0 serial_drift=10;0$	drift status line: glue addresses (IPv4 and IPv6), primary from the SOA MNAME
EOF
like "$out" $'\n'"\[OK\] $NS1v6: serial 2026112510 in $MS" "every address of ns1 asked, ::1 included"
is "$(cat "$T/stderr")" "" "zone mode: nothing on stderr without -v"

cases <<EOF
--zone example.test -s 127.0.0.1 -p "$P" --serial-drift 20	0	drift within --serial-drift 20: OK	^DNS OK - example\.test serial 2026112510 \($NS1\): 3 of 3 servers OK, slowest $MS \([^)]+\)\|.* serial_drift=10;20$	zone OK status line
--zone example.test -s 127.0.0.1 -p "$P" --serial-drift 20 -w 0.000001 -c 5	1	zone mode: servers slower than -w: WARNING	^DNS WARNING - $NS1: serial 2026112510 in $MS, too slow / $NS1v6: serial 2026112510 in $MS, too slow / $NS2: serial 2026112500 in $MS, too slow / example\.test serial 2026112510 \($NS1\): 0 of 3 servers OK, .*\|time_$NS1=$S;0\.000001;5;0 	zone mode response time status line
--zone example.test -s 127.0.0.1 -p "$P" --serial-drift 5,8	2	drift beyond the critical range: CRITICAL	^DNS CRITICAL - $NS2: serial 2026112500 is 10 behind 2026112510 .* serial_drift=10;5;8$	zone CRITICAL status line
--zone example.test -s "$S1" -4 --ns-address "ns1.example.test=$S1" --ns-address "ns2.example.test=127.0.0.1@$P2"	1	--ns-address maps NS names to test ports: WARNING	^DNS WARNING - ns2\.example\.test/127\.0\.0\.1: serial 2026112500 is 10 behind 2026112510 \(ns1\.example\.test/127\.0\.0\.1\) / example\.test serial 2026112510 \(ns1\.example\.test/127\.0\.0\.1\): 1 of 2 servers OK	--ns-address status line
--zone example.test -s 127.0.0.1 -p "$P" --primary 127.0.0.2	1	--primary names the lagging server: the others are ahead, WARNING	^DNS WARNING - $NS1: serial 2026112510 is 10 ahead of 2026112500 \($NS2\) / $NS1v6: serial 2026112510 is 10 ahead of 2026112500 \($NS2\) / example\.test serial 2026112500 \($NS2\)	--primary status line
--zone wrap.test -s 127.0.0.1 -p "$P" --serial-drift 10,20	0	serials across the 2^32 wrap, 9 apart: OK with --serial-drift 10,20	^DNS OK - wrap\.test serial 3 \(ns1\.wrap\.test/127\.0\.0\.1\): 2 of 2 servers OK, .*serial_drift=9;10;20$	RFC 1982: 4294967290 is 9 behind 3
--zone wrap.test -s 127.0.0.1 -p "$P" --serial-drift 5,8	2	serials across the wrap beyond --serial-drift 5,8: CRITICAL	^DNS CRITICAL - ns2\.wrap\.test/127\.0\.0\.2: serial 4294967290 is 9 behind 3 \(ns1\.wrap\.test/127\.0\.0\.1\) / 	wraparound drift status line
--zone nsdiff.test -s 127.0.0.1 -p "$P"	1	a server whose NS set differs: WARNING	^DNS WARNING - ns2\.nsdiff\.test/127\.0\.0\.2: serial 1 in $MS, NS set differs \(unexpected ns3\.nsdiff\.test\.\) / nsdiff\.test serial 1 \(ns1\.nsdiff\.test/127\.0\.0\.1\): 1 of 2 servers OK	NS set difference named
--zone lame.test -s 127.0.0.1 -p "$P"	2	a nameserver that does not serve the zone: CRITICAL	^DNS CRITICAL - $NS2: lame \(REFUSED\) / lame\.test serial 1 \($NS1\): 2 of 3 servers OK	lame status line (addresses of out-of-zone NS names looked up)
--zone example.test -s "$S1" -t 2 --ns-address "ns1.example.test=$S1" --ns-address "ns2.example.test=127.0.0.1@$SILENT"	2	an unreachable secondary: CRITICAL	^DNS CRITICAL - ns2\.example\.test/127\.0\.0\.1: no reply within [0-9]\.[0-9] s / example\.test serial 2026112510 \(ns1\.example\.test/127\.0\.0\.1\): 1 of 2 servers OK.*time_ns2\.example\.test/127\.0\.0\.1=U;;;0 serial_drift=0;0$	unreachable status line and U perfdata
--zone example.test -s ::1 -p "$P" -6	2	-6: an NS without an IPv6 address is CRITICAL	-	-
EOF
is "$first" "DNS CRITICAL - no address for ns2.example.test / example.test serial 2026112510 ($NS1v6): 1 of 1 servers OK, slowest ${first#*slowest }" \
	"-6 asks only IPv6 addresses"
like "$first" "\|time_$NS1v6=$S;;;0 serial_drift=0;0$" "-6 zone perfdata"

cases <<EOF
--zone bl.test -s 127.0.0.1 -p "$P"	1	a zone with a single nameserver: WARNING	^DNS WARNING - only one nameserver / bl\.test serial 1 \(ns1\.bl\.test/127\.0\.0\.1\): 1 of 1 servers OK, slowest $MS \(ns1\.bl\.test/127\.0\.0\.1\)\|time_ns1\.bl\.test/127\.0\.0\.1=$S;;;0 serial_drift=0;0$	single-nameserver status line
--zone example.test -s "$S1" -t 3 --ns-address "ns1.example.test=$S1" --ns-address "ns2.example.test=127.0.0.1@$CACHE"	2	a nameserver that answers without the AA bit is lame: CRITICAL	^DNS CRITICAL - ns2\.example\.test/127\.0\.0\.1: lame \(answer not authoritative\) / example\.test serial 2026112510 	non-authoritative nameserver status line
EOF

elapsed_ms "$D" --zone example.test -s "127.0.0.1@$SILENT" -t 3:warning
is "$rc" 2 "no NS set within its share of -t: CRITICAL (the -t state is for the whole run)"
is "$first" "DNS CRITICAL - cannot get the NS set of example.test: no reply (timeout)" \
	"NS set timeout status line"
ok "$([ "$ms" -lt 2000 ] && echo 0 || echo 1)" "the NS query left time for the servers ($ms ms)"

cases <<EOF
--zone unserved.test -s 127.0.0.1 -p "$P"	2	no NS set: CRITICAL	-	-
EOF
is "$first" "DNS CRITICAL - cannot get the NS set of unserved.test: 127.0.0.1: REFUSED, no NS records" \
	"no NS set message"

echo "# DNSSEC"
cases <<EOF
-H www.signed.test -s "$S1" --dnssec --trust-anchor "$T/anchor-signed.ds"	0	fresh signatures, DS anchor: OK	^DNS OK - www\.signed\.test A 192\.0\.2\.80 in $MS \(127\.0\.0\.1@$P\), DNSSEC secure, first RRSIG \(www\.signed\.test A\) expires in (29\.9|30\.0) days\|time=$S;;;0 rrsig_days=(29\.9|30\.0)[0-9]*;7:;3:$	secure status line, rrsig_days perfdata
-H www.signed.test -s "$S1" --dnssec --trust-anchor "$T/anchor-signed.key"	0	DNSKEY anchor: OK	-	-
-H www.signed.test -s "$S2" --dnssec --trust-anchor "$T/anchor-signed.ds"	1	signatures expiring in 5 days: WARNING (default 7,3)	^DNS WARNING - 127\.0\.0\.2@$P: RRSIG of www\.signed\.test A expires in (4\.9|5\.0) days\|time=$S;;;0 rrsig_days=(4\.9|5\.0)[0-9]*;7:;3:$	near-expiry status line
-H www.signed.test -s "$S2" --dnssec --trust-anchor "$T/anchor-signed.ds" --rrsig-days 10,6	2	--rrsig-days 10,6: CRITICAL	-	-
-H www.signed.test -s "$S2" --dnssec --trust-anchor "$T/anchor-signed.ds" --rrsig-days 4,2	0	--rrsig-days 4,2: OK	-	-
-H www.signed.test -s "$S1" -s "$S2" --dnssec --trust-anchor "$T/anchor-signed.ds"	1	primary fresh, secondary stale: the worst server decides	^DNS WARNING - 127\.0\.0\.2@$P: RRSIG of www\.signed\.test A expires in .* rrsig_days=(4\.9|5\.0)[0-9]*;7:;3:$	stale secondary not hidden by the fresh primary
-H www.expired.test -s "$S1" --dnssec --trust-anchor "$T/anchor-expired.ds"	2	expired signatures: CRITICAL	^DNS CRITICAL - 127\.0\.0\.1@$P: DNSSEC bogus: www\.expired\.test A: DNSSEC signature has expired\|time=$S;;;0 rrsig_days=-(9\.9|10\.0)[0-9]*;7:;3:$	expired status line, negative days
-H www.tampered.test -s "$S1" --dnssec --trust-anchor "$T/anchor-tampered.ds"	2	a signature that does not match the data: CRITICAL	^DNS CRITICAL - 127\.0\.0\.1@$P: DNSSEC bogus: www\.tampered\.test A: Bogus DNSSEC signature\|	bogus status line
-H mail.example.test -s "$S1" --dnssec --trust-anchor "$T/anchor-signed.ds"	2	unsigned answer with --dnssec: CRITICAL	-	-
EOF
is "$first" "$(printf 'DNS CRITICAL - 127.0.0.1@%s: DNSSEC insecure: mail.example.test A is not signed' "$P")${first#*is not signed}" \
	"unsigned status line"
like "$first" "rrsig_days=U;7:;3:$" "no rrsig_days for unsigned data"

cases <<EOF
-H www.signed.test -s "$S1" --dnssec --trust-anchor "$T/anchor-expired.ds"	2	no chain to the anchor: CRITICAL	DNSSEC insecure: no DS for signed\.test at its parent and no trust anchor for it	broken chain named
-H www.child.parent.test -s "$S1" --dnssec --trust-anchor "$T/anchor-parent.ds"	0	two-link chain (DS in the parent) up to the parent's anchor: OK	^DNS OK - www\.child\.parent\.test A 192\.0\.2\.82 in $MS \(127\.0\.0\.1@$P\), DNSSEC secure	two-link chain status line
-H nope.signed.test -s "$S1" -E --dnssec --trust-anchor "$T/anchor-signed.ds"	0	NXDOMAIN proven by NSEC3: OK	^DNS OK - nope\.signed\.test: NXDOMAIN as expected in $MS \(127\.0\.0\.1@$P\), DNSSEC secure, first RRSIG \([a-z0-9]{32}\.signed\.test NSEC3\) expires in (29\.9|30\.0) days\|	NSEC3 denial status line
-H nope.nsec.test -s "$S1" -E --dnssec --trust-anchor "$T/anchor-nsec.ds"	0	NXDOMAIN proven by NSEC: OK	^DNS OK - nope\.nsec\.test: NXDOMAIN as expected in $MS \(127\.0\.0\.1@$P\), DNSSEC secure, first RRSIG \([a-z0-9.]*nsec\.test (NSEC|SOA)\) expires in 	NSEC denial status line
-H nope.expired.test -s "$S1" -E --dnssec --trust-anchor "$T/anchor-expired.ds"	2	NXDOMAIN with expired signatures: CRITICAL	DNSSEC bogus: [a-z0-9.]*expired\.test (SOA|NSEC3): DNSSEC signature has expired\|	expired denial status line
-H nope.example.test -s "$S1" -E --dnssec --trust-anchor "$T/anchor-signed.ds"	2	NXDOMAIN from an unsigned zone with --dnssec: CRITICAL	^DNS CRITICAL - 127\.0\.0\.1@$P: DNSSEC insecure: example\.test SOA is not signed\|	unsigned denial status line
-H www.signed.test -s "$S1" --dnssec --trust-anchor "$T/nonexistent"	3	missing trust anchor file: UNKNOWN	^DNS UNKNOWN - --trust-anchor: cannot open trust anchor file 	anchor file message
--zone signed.test -s 127.0.0.1 -p "$P" --dnssec --trust-anchor "$T/anchor-signed.ds"	1	zone mode: one server's signatures near expiry: WARNING	^DNS WARNING - ns2\.signed\.test/127\.0\.0\.2: RRSIG of signed\.test SOA expires in (4\.9|5\.0) days / signed\.test serial 2026112501 \(ns1\.signed\.test/127\.0\.0\.1\): 1 of 2 servers OK, slowest $MS \([^)]+\), first RRSIG expires in (4\.9|5\.0) days \(ns2\.signed\.test/127\.0\.0\.2\)\|.*rrsig_days=(4\.9|5\.0)[0-9]*;7:;3: serial_drift=0;0$	zone DNSSEC reports the worst server's days
--zone signed.test -s 127.0.0.1 -p "$P" --dnssec --trust-anchor "$T/anchor-signed.ds" -w 0.000001 --rrsig-days 7,6	2	zone mode: slow servers, one with signatures past --rrsig-days: CRITICAL	^DNS CRITICAL - ns2\.signed\.test/127\.0\.0\.2: serial 2026112501 in $MS, too slow / ns2\.signed\.test/127\.0\.0\.2: RRSIG of signed\.test SOA expires in (4\.9|5\.0) days / ns1\.signed\.test/127\.0\.0\.1: serial 2026112501 in $MS, too slow, DNSSEC secure, 	each server's problems are all named, worst server first
EOF

echo "# DNS blocklists"
cases <<EOF
-H 127.0.0.2 --dnsbl bl.test -s "$S1"	2	the RFC 5782 test address is listed: CRITICAL	-	-
EOF
is "$first" 'DNS CRITICAL - listed on bl.test (127.0.0.2: "spam source, see https://bl.test/127.0.0.2") / 127.0.0.2 listed on 1 of 1 lists|listed=1;;;0;1 list_errors=0;;;0;1 time='"${first##*time=}" \
	"listing status line with the TXT reason"
like "$first" "time=$S;;;0$" "listing perfdata time"

cases <<EOF
-H 127.0.0.1 --dnsbl bl.test --dnsbl wild.test -s "$S1"	1	not listed, but one list answers outside 127/8: WARNING	^DNS WARNING - wild\.test: list error: answer outside 127\.0\.0\.0/8 \(dead or wildcarding list\) \(192\.0\.2\.99\) / 127\.0\.0\.1 not listed on 2 lists, 1 list error\|listed=0;;;0;2 list_errors=1;;;0;2 time=$S;;;0$	dead-list status line
-H 127.0.0.1 --dnsbl bl.test -s "$S1"	0	not listed: OK	^DNS OK - 127\.0\.0\.1 not listed on 1 list\|listed=0;;;0;1 list_errors=0;;;0;1 time=$S;;;0$	not-listed status line
-H 192.0.2.10 --dnsbl bl.test -s "$S1"	1	127.255.255.254 (open resolver refused) is a list error, not a listing: WARNING	^DNS WARNING - bl\.test: list error: query refused \(public or open resolver\) \(127\.255\.255\.254\) / 192\.0\.2\.10 not listed on 1 list, 1 list error\|listed=0;;;0;1 list_errors=1;	open-resolver status line
-H 2001:db8::2 --dnsbl bl.test -s "$S1"	2	IPv6 address listed (nibble name): CRITICAL	-	-
EOF
like "$first" '^DNS CRITICAL - listed on bl\.test \(127\.0\.0\.3: "v6 spam"\) / 2001:db8::2 listed on 1 of 1 lists\|' \
	"IPv6 listing status line"

cases <<EOF
-H 127.0.0.2 --dnsbl unserved.test -s "$S1"	1	a list that refuses: WARNING list error	^DNS WARNING - unserved\.test: list error: REFUSED / 127\.0\.0\.2 not listed on 1 list, 1 list error\|	refusing list status line
EOF

done_testing

#!/bin/bash
# Differential suite, DNS: glance's check_dns against monitoring-plugins'
# check_dns and check_dig (see compat_lib.sh), on one nsd serving
# compat.test on 127.0.0.1 port 53 of the test's own network namespace.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/compat_lib.sh"
compat_enter_netns "$0" "$@"
. "$here/../lib.sh"

command -v nsd >/dev/null || skip_all "nsd is not installed (tests/install-deps)"
[ -x "$PEERS/check_dns" ] && [ -x "$PEERS/check_dig" ] ||
	skip_all "monitoring-plugins is not installed (tests/install-deps)"

cat >"$T/compat.test" <<'ZONE'
$ORIGIN compat.test.
$TTL 300
@	IN SOA ns1 hostmaster 1 3600 900 604800 300
@	NS ns1
@	MX 10 mail
@	MX 20 mx2
@	TXT "v=spf1 -all"
ns1	A 127.0.0.1
www	A 192.0.2.10
multi	A 192.0.2.10
multi	A 192.0.2.11
v6	AAAA 2001:db8::6
dual	A 192.0.2.20
dual	AAAA 2001:db8::20
alias	CNAME www
mail	A 192.0.2.25
mx2	A 192.0.2.26
_smtp._tcp	SRV 0 5 25 mail
ZONE
printf '$ORIGIN 2.0.192.in-addr.arpa.\n$TTL 300\n@ IN SOA ns1.compat.test. h.compat.test. 1 3600 900 604800 300\n@ NS ns1.compat.test.\n10 PTR www.compat.test.\n' \
	>"$T/rev.zone"
cat >"$T/nsd.conf" <<CONF
server:
	ip-address: 127.0.0.1
	port: 53
	zonesdir: "$T"
	pidfile: "$T/nsd.pid"
	username: ""
	database: ""
	chroot: ""
	xfrdfile: "$T/nsd.xfrd"
	xfrdir: "$T"
	zonelistfile: "$T/nsd.zonelist"
	logfile: "$T/nsd.log"
	server-count: 1
remote-control:
	control-enable: no
zone:
	name: compat.test
	zonefile: compat.test
zone:
	name: 2.0.192.in-addr.arpa
	zonefile: rev.zone
CONF
nsd -d -c "$T/nsd.conf" >"$T/nsd.out" 2>&1 &
track $!
wait_for 10 accepts 53 127.0.0.1 || { cat "$T/nsd.out"; echo "Bail out! nsd did not start"; exit 1; }

S="-s 127.0.0.1"
# check_dig's spelling: -H is the server, -l the name.
G="-H 127.0.0.1 -p 53"
# Fields: difference ID (or -), glance plugin, its args, the peer, its args
# ("=": the same), the case's name.
compat_cases <<CASES
-	check_dns	-H www.compat.test $S	check_dns	=	A record
-	check_dns	-H v6.compat.test $S	check_dns	=	a name with only AAAA resolves (A and AAAA asked)
-	check_dns	-H dual.compat.test $S	check_dns	=	A and AAAA
-	check_dns	-H multi.compat.test $S	check_dns	=	two A records
-	check_dns	-H alias.compat.test $S	check_dns	=	a CNAME to an A record
-	check_dns	-H ns1.compat.test $S	check_dns	=	the nameserver's own name
-	check_dns	-H mail.compat.test $S	check_dns	=	mail host
-	check_dns	-H www.compat.test $S -a 192.0.2.10	check_dns	=	-a the one address
-	check_dns	-H www.compat.test $S -a 192.0.2.99	check_dns	=	-a a wrong address: CRITICAL
-	check_dns	-H multi.compat.test $S -a 192.0.2.10	check_dns	=	-a one of two: any match is OK
-	check_dns	-H multi.compat.test $S -a 192.0.2.11	check_dns	=	-a the other of two
-	check_dns	-H multi.compat.test $S -a 192.0.2.10 -a 192.0.2.99	check_dns	=	-a repeated, one matches
-	check_dns	-H multi.compat.test $S -a 192.0.2.98 -a 192.0.2.99	check_dns	=	-a repeated, none matches
-	check_dns	-H multi.compat.test $S -a 192.0.2.10,192.0.2.11	check_dns	=	-a comma list, both
-	check_dns	-H multi.compat.test $S -a 192.0.2.99,192.0.2.11	check_dns	=	-a comma list, one
-	check_dns	-H multi.compat.test $S -a 192.0.2.98,192.0.2.99	check_dns	=	-a comma list, none
-	check_dns	-H multi.compat.test $S -a 192.0.2.10 -L	check_dns	=	-L: an answer not expected
-	check_dns	-H multi.compat.test $S -a 192.0.2.10,192.0.2.11 -L	check_dns	=	-L: the whole set
-	check_dns	-H multi.compat.test $S -a 192.0.2.11 -a 192.0.2.10 -L	check_dns	=	-L: the whole set, other order
-	check_dns	-H multi.compat.test $S -a 192.0.2.10,192.0.2.11,192.0.2.12 -L	check_dns	=	-L: an expected value not answered
-	check_dns	-H www.compat.test $S -a 192.0.2.10 -L	check_dns	=	-L: one of one
-	check_dns	-H multi.compat.test $S -a 192.0.2.0/24	check_dns	=	-a CIDR /24
-	check_dns	-H multi.compat.test $S -a 192.0.2.10/32	check_dns	=	-a CIDR /32 of one
-	check_dns	-H multi.compat.test $S -a 198.51.100.0/24	check_dns	=	-a CIDR that holds none
-	check_dns	-H multi.compat.test $S -a 192.0.0.0/16	check_dns	=	-a CIDR /16
-	check_dns	-H multi.compat.test $S -a 192.0.2.0/24 -L	check_dns	=	-a CIDR with -L
-	check_dns	-H multi.compat.test $S -a 192.0.2.8/30	check_dns	=	-a CIDR /30 with one of two
-	check_dns	-H v6.compat.test $S -a 2001:db8::6	check_dns	=	-a an IPv6 address
-	check_dns	-H v6.compat.test $S -a 2001:db8::7	check_dns	=	-a a wrong IPv6 address
-	check_dns	-H dual.compat.test $S -a 192.0.2.20	check_dns	=	-a the A of a dual-stack name
-	check_dns	-H dual.compat.test $S -a 2001:db8::20	check_dns	=	-a the AAAA of a dual-stack name
-	check_dns	-H dual.compat.test $S -a 192.0.2.20,2001:db8::20 -L	check_dns	=	-L with both families
-	check_dns	-H nope.compat.test $S	check_dns	=	NXDOMAIN: CRITICAL
-	check_dns	-H nope.compat.test $S -a 192.0.2.10	check_dns	=	NXDOMAIN with -a
-	check_dns	-H www.compat.test -s 127.0.0.9	check_dns	=	a server that does not answer: CRITICAL
-	check_dns	-H www.compat.test $S -A	check_dns	=	-A on an authoritative answer
-	check_dns	-H www.compat.test $S -w 5 -c 10	check_dns	=	time thresholds not reached
-	check_dns	-H www.compat.test $S -w 0.000001 -c 10	check_dns	=	warning time reached
-	check_dns	-H www.compat.test $S -c 0.000001	check_dns	=	critical time reached
-	check_dns	-H www.compat.test $S -t 5	check_dns	=	-t
-	check_dns	-H 192.0.2.10 $S	check_dns	=	an address is looked up as PTR
-	check_dns	-H 192.0.2.99 $S	check_dns	=	PTR that does not exist
D1	check_dns	-H www.compat.test $S -w abc	check_dns	=	-w abc
D6	check_dns	-H www.compat.test $S -c xyz	check_dns	=	-c xyz
D2	check_dns	-H alias.compat.test $S -a www.compat.test.	check_dns	=	-a the CNAME target
-	check_dns	-H www.compat.test	check_dns	-H www.compat.test	no -s: the resolver of resolv.conf
-	check_dns	-H www.compat.test $S -v	check_dns	=	-v
-	check_dig	-l www.compat.test $G	check_dig	=	check_dig: A record
-	check_dig	-l www.compat.test $G -T A	check_dig	=	check_dig: -T A
-	check_dig	-l v6.compat.test $G -T AAAA	check_dig	=	check_dig: -T AAAA
-	check_dig	-l compat.test $G -T MX	check_dig	=	check_dig: -T MX
-	check_dig	-l compat.test $G -T NS	check_dig	=	check_dig: -T NS
-	check_dig	-l compat.test $G -T SOA	check_dig	=	check_dig: -T SOA
-	check_dig	-l compat.test $G -T TXT	check_dig	=	check_dig: -T TXT
-	check_dig	-l _smtp._tcp.compat.test $G -T SRV	check_dig	=	check_dig: -T SRV
-	check_dig	-l alias.compat.test $G -T CNAME	check_dig	=	check_dig: -T CNAME
-	check_dig	-l www.compat.test $G -a 192.0.2.10	check_dig	=	check_dig: -a matches
-	check_dig	-l multi.compat.test $G -a 192.0.2.11	check_dig	=	check_dig: -a one of two
-	check_dig	-l compat.test $G -T MX -a mail.compat.test	check_dig	=	check_dig: -a MX host
-	check_dig	-l www.compat.test $G -A +tcp	check_dig	=	check_dig: -A +tcp
-	check_dig	-l www.compat.test $G -A +norecurse	check_dig	=	check_dig: -A +norecurse
-	check_dig	-l www.compat.test $G -A "+tcp +norecurse"	check_dig	=	check_dig: -A two arguments
-	check_dig	-l www.compat.test $G -A +dnssec	check_dig	=	check_dig: -A +dnssec
-	check_dig	-l www.compat.test $G -A +nocookie	check_dig	=	check_dig: -A an argument glance ignores
-	check_dig	-l www.compat.test $G -w 5 -c 10	check_dig	=	check_dig: thresholds not reached
-	check_dig	-l www.compat.test $G -w 0.000001 -c 10	check_dig	=	check_dig: warning time reached
-	check_dig	-l www.compat.test $G -c 0.000001	check_dig	=	check_dig: critical time reached
D3	check_dig	-l www.compat.test -H 127.0.0.9	check_dig	=	check_dig: a dead server is CRITICAL
CASES
done_testing

#!/bin/bash
# check_ping against hosts in private network namespaces (see
# ping_netns.sh): exact loss, delay, jitter and duplicates from a scripted
# responder, a silent (blackholed) address, and ICMP errors from a router
# (unreachable, prohibited, TTL exceeded) over IPv4 and IPv6, each through
# a raw socket and through a datagram socket.
#
# The sch_netem qdisc is not used: its kernel module is not available
# everywhere (nor here), and a responder that drops and delays by script
# makes every loss and delay exact instead of random.
. "$(dirname "$0")/../lib.sh"
. "$SRC/tests/integration/ping_netns.sh"
P=$B/plugins/check_ping

if ! netns_up; then
	ok 1 "network namespaces could be set up (needs root and veth)"
	done_testing
	exit 1
fi
ok 0 "network namespaces set up"
# 10.231.3.1: answers requests 1, 3, 4 of every 5 (40% loss)
# 10.231.3.2: answers after 50 ms
# 10.231.3.3: answers the first request twice
# 10.231.3.4: answers after 120 ms
# 10.231.3.5: answers after 0 and 40 ms alternately (jitter 40 ms)
responder_up 10.231.3.1=0:10110 10.231.3.2=50:1 10.231.3.3=0:21111 \
	10.231.3.4=120:1 10.231.3.5=0/40:1
ok $? "echo responder started"
# Datagram sockets need the group in ping_group_range; root has CAP_NET_RAW
# for raw ones. Both are allowed in the client namespace.
inns "$NS_C" sysctl -qw net.ipv4.ping_group_range="0 2147483647"

ping_c() {
	elapsed_ms ip netns exec "$NS_C" "$P" "$@"
}

noperf='rta=U;200;500;0 pl=100%;40;80;0;100 rtmin=U;;;0 rtmax=U;;;0 jitter=U;;;0'
num='[0-9]+(\.[0-9]{1,3})?'

# errors KIND SRC1 SRC2: the IPv4 route errors come back to SRC1 and SRC2
# (see ping_netns.sh on the kernel's limit per source).
errors() {
	local k=$1
	ping_c --socket="$k" -H 10.231.5.1 -s "$2"
	is "$rc" 2 "$k: unreachable route: exit 2"
	is "$first" "PING CRITICAL - Host unreachable from 10.231.1.254, Packet loss = 100%|$noperf" \
		"$k: unreachable route: the reason and the router"
	ok $((ms > 1000)) "$k: the ICMP error ends the host early ($ms ms, not the 1 s wait)"
	ping_c --socket="$k" -H 10.231.7.1
	is "$rc" 2 "$k: no local route: exit 2"
	is "$first" "PING CRITICAL - Send failed: No route to host, Packet loss = 100%|$noperf" \
		"$k: no local route: the send error is the reason"
	ping_c --socket="$k" -H 10.231.6.1 -s "$3"
	is "$first" "PING CRITICAL - Communication administratively prohibited from 10.231.1.254, Packet loss = 100%|$noperf" \
		"$k: prohibit route"
	ping_c --socket="$k" -H 10.231.2.1 -l 1
	is "$rc" 2 "$k: TTL 1 through a router: exit 2"
	is "$first" "PING CRITICAL - TTL exceeded in transit from 10.231.1.254, Packet loss = 100%|$noperf" \
		"$k: TTL exceeded"
	ping_c --socket="$k" -H 2001:db8:5::1
	is "$first" "PING CRITICAL - Network unreachable from 2001:db8:1::fe, Packet loss = 100%|$noperf" \
		"$k: IPv6 unreachable route (ICMPv6 no route)"
	ping_c --socket="$k" -H 2001:db8:6::1
	is "$first" "PING CRITICAL - Communication administratively prohibited from 2001:db8:1::fe, Packet loss = 100%|$noperf" \
		"$k: IPv6 prohibit route"
	ping_c --socket="$k" -H 2001:db8:2::1 -l 1
	is "$first" "PING CRITICAL - TTL exceeded in transit from 2001:db8:1::fe, Packet loss = 100%|$noperf" \
		"$k: IPv6 hop limit exceeded"
}

replies() {
	local k=$1
	ping_c --socket="$k" -H 10.231.2.1
	is "$rc" 0 "$k: routed host: exit 0"
	like "$first" "^PING OK - Packet loss = 0%, RTA = [0-9.]+ ms\|rta=${num}ms;200;500;0 pl=0%;40;80;0;100 " \
		"$k: routed host answers"
	ping_c --socket="$k" -H 2001:db8:2::1
	like "$first" "^PING OK - Packet loss = 0%, RTA = [0-9.]+ ms\|" "$k: routed IPv6 host answers"
	ping_c --socket="$k" -H 10.231.4.1 -p 3 --wait 200
	is "$rc" 2 "$k: silent host: exit 2"
	is "$first" "PING CRITICAL - Packet loss = 100%|$noperf" "$k: silent host: 100% loss"
	ok $((ms < 380 || ms > 1500)) "$k: silent host ends after the last wait ($ms ms)"
	ping_c --socket="$k" -H 10.231.3.1 -w 1000,30% -c 1000,50% --wait 300
	is "$rc" 1 "$k: 2 of 5 dropped with warning 30%: exit 1"
	like "$first" "^PING WARNING - Packet loss = 40%, RTA = [0-9.]+ ms\|rta=${num}ms;1000;1000;0 pl=40%;30;50;0;100 " \
		"$k: 40% loss exactly"
	ping_c --socket="$k" -H 10.231.3.1 -w 1000,50% -c 1000,60% --wait 300
	is "$rc" 0 "$k: 40% loss under warning 50%: exit 0"
	ping_c --socket="$k" -H 10.231.3.2 -w 40,100% -c 200,100%
	is "$rc" 1 "$k: 50 ms delay with warning 40 ms: exit 1"
	like "$first" "^PING WARNING - Packet loss = 0%, RTA = (5[0-9]|6[0-9])\.[0-9]{2} ms\|rta=${num}ms;40;200;0 pl=0%;100;100;0;100 rtmin=(5[0-9]|6[0-9])\.[0-9]+ms;;;0 " \
		"$k: the delay is measured"
	ping_c --socket="$k" -H 10.231.3.2 -w 100,100% -c 200,100%
	is "$rc" 0 "$k: 50 ms delay under warning 100 ms: exit 0"
	ping_c --socket="$k" -H 10.231.3.3
	is "$rc" 0 "$k: a duplicate reply: exit 0"
	like "$first" "^PING OK - Packet loss = 0%, RTA = [0-9.]+ ms, 1 duplicate\|" "$k: the duplicate is counted once"
	ping_c --socket="$k" -H 10.231.3.4 -i 200 --wait 50
	is "$rc" 2 "$k: replies after the wait: exit 2"
	is "$first" "PING CRITICAL - Packet loss = 100%, 4 late|$noperf" \
		"$k: late replies count as lost and late"
	ping_c --socket="$k" -H 10.231.3.5 --jitter=20,30 --rtmax=30,100
	is "$rc" 2 "$k: 40 ms jitter over critical 30: exit 2"
	like "$first" "^PING CRITICAL - Packet loss = 0%, RTA = [0-9.]+ ms, max RTT = (4|5)[0-9]\.[0-9]{2} ms, jitter = (3|4|5)[0-9]\.[0-9]{2} ms\|.* rtmax=${num}ms;30;100;0 jitter=${num}ms;20;30;0\$" \
		"$k: jitter and max RTT with their thresholds"
	ping_c --socket="$k" -H 10.231.3.5 --rtmax=30,100
	is "$rc" 1 "$k: max RTT 40 ms over warning 30: exit 1"
	# Requests larger than the path MTU: the first meets "packet too big"
	# (lost), the kernel learns the MTU and fragments the next ones.
	local h
	for h in 10.231.2.1 2001:db8:2::1; do
		inns "$NS_C" ip route flush cache
		inns "$NS_C" ip -6 route flush cache
		ping_c --socket="$k" -H "$h" -b 1400 -w 1000,30% -c 1000,50% --wait 300
		is "$rc" 0 "$k: $h, 1400 bytes over a 1280 MTU: exit 0"
		like "$first" '^PING OK - Packet loss = 20%, RTA = [0-9.]+ ms\|' \
			"$k: $h: only the request that taught the path MTU is lost"
	done
	# T drops its replies to 10.231.1.3, so only the source given is
	# answered.
	ping_c --socket="$k" -H 10.231.2.1 -p 2 -i 10 -s 10.231.1.2
	is "$rc" 0 "$k: -s 10.231.1.2: exit 0"
	ping_c --socket="$k" -H 10.231.2.1 -p 2 -i 10 --wait 100 -s 10.231.1.3
	is "$first" "PING CRITICAL - Packet loss = 100%|$noperf" \
		"$k: -s 10.231.1.3: the requests go out from that address"
	ping_c --socket="$k" -H 10.231.2.1,2001:db8:2::1 -p 2 -i 10 -s 10.231.1.2
	is "$rc" 3 "$k: -s IPv4 with an IPv6 host: exit 3"
	is "$(printf '%s\n' "$first" | cut -d'|' -f1)" "PING UNKNOWN - 1/2 hosts OK, 1 UNKNOWN: 2001:db8:2::1 (No ICMP socket for this address family: source 10.231.1.2 is IPv4)" \
		"$k: -s IPv4: an IPv6 host is UNKNOWN, not pinged"
	ping_c --socket="$k" -H 10.231.2.1 -s 10.231.9.9
	is "$rc" 3 "$k: -s with an address not on this host: exit 3"
	like "$first" "^PING UNKNOWN - Cannot open an ICMP socket \\((raw|datagram) socket: bind: Cannot assign requested address\\)\$" \
		"$k: -s with a foreign address: UNKNOWN naming bind"
}

for k in raw dgram; do
	if [ "$k" = raw ]; then errors raw 10.231.1.11 10.231.1.12; else errors dgram 10.231.1.13 10.231.1.14; fi
	replies "$k"
done

# Several hosts with different fates at once, and -m.
ping_c -H 10.231.2.1,10.231.4.1,2001:db8:5::1,2001:db8:2::1 --wait 200 -m 2
is "$rc" 0 "-m 2 with 2 of 4 OK: exit 0"
like "$first" '^PING OK - 2/4 hosts OK \(2 required\), 2 CRITICAL: 10\.231\.4\.1 \(Packet loss = 100%\), 2001:db8:5::1 \(Network unreachable from 2001:db8:1::fe, Packet loss = 100%\)\|10\.231\.2\.1rta=' \
	"mixed hosts: summary names the failing ones with their reasons"
like "$out" $'\n10\\.231\\.4\\.1: CRITICAL - Packet loss = 100%\n2001:db8:5::1: CRITICAL - Network unreachable from 2001:db8:1::fe, Packet loss = 100%\n2001:db8:2::1: OK - ' \
	"mixed hosts: one long-output line each"
like "$first" ' 10\.231\.4\.1rta=U;200;500;0 10\.231\.4\.1pl=100%;40;80;0;100 ' "mixed hosts: perfdata per host"
ping_c -H 10.231.2.1,10.231.4.1,2001:db8:5::1,2001:db8:2::1 --wait 200
is "$rc" 2 "without -m the worst host decides: exit 2"

# -t bounds the whole run, whatever --wait says.
ping_c -H 10.231.4.1 --wait 5000 -t 1
is "$rc" 2 "-t 1 with a 5 s wait: exit 2"
is "$first" "PING CRITICAL - Packet loss = 100% (run cut short by the 1 s timeout)|$noperf" \
	"-t: the run is cut short and says so"
ok $((ms > 1200)) "-t 1: done within the second ($ms ms)"
ping_c -H 10.231.4.1 --wait 5000 -t 1:unknown
is "$rc" 3 "-t 1:unknown: exit 3"
like "$first" '^PING UNKNOWN - Packet loss = 100% \(run cut short by the 1 s timeout\)\|' "-t 1:unknown: UNKNOWN"

done_testing

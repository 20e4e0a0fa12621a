# Network namespaces for check_ping's tests; source after lib.sh.
#
#   client C  c0 10.231.1.x   2001:db8:1::1    (check_ping runs here;
#                                              no route to 10.231.7.0/24)
#   router R  rc 10.231.1.254 2001:db8:1::fe   routes, and answers with
#             ICMP errors for 10.231.5.0/24 and 2001:db8:5::/64 (unreachable),
#             10.231.6.0/24 and 2001:db8:6::/64 (prohibit); drops
#             10.231.4.0/24 and 2001:db8:4::/64 silently (blackhole)
#   target T  t0 10.231.2.1   2001:db8:2::1    a host that answers, but
#                                              not to 10.231.1.3; MTU 1280
#   slow S    s0 10.231.3.1-9                  ping_responder.py answers
#             (the kernel's own echo replies are off there)
#
# The addresses exist only inside these namespaces: no packet can leave
# the machine. The namespaces are removed when the test exits.

NS_PREFIX="glping$$"
NS_C="${NS_PREFIX}c"
NS_R="${NS_PREFIX}r"
NS_T="${NS_PREFIX}t"
NS_S="${NS_PREFIX}s"

inns() {
	local ns=$1
	shift
	ip netns exec "$ns" "$@"
}

netns_cleanup() {
	_cleanup
	local n
	for n in "$NS_C" "$NS_R" "$NS_T" "$NS_S"; do
		ip netns del "$n" 2>/dev/null
	done
}
trap netns_cleanup EXIT

# netns_up: builds the topology; fails (returns 1) if the kernel refuses.
netns_up() {
	local n
	for n in "$NS_C" "$NS_R" "$NS_T" "$NS_S"; do
		ip netns add "$n" || return 1
		inns "$n" ip link set lo up || return 1
	done
	ip link add c0 netns "$NS_C" type veth peer name rc netns "$NS_R" &&
		ip link add t0 netns "$NS_T" type veth peer name rt netns "$NS_R" &&
		ip link add s0 netns "$NS_S" type veth peer name rs netns "$NS_R" || return 1
	_netns_addr "$NS_C" c0 10.231.1.1/24 2001:db8:1::1/64 &&
		_netns_addr "$NS_R" rc 10.231.1.254/24 2001:db8:1::fe/64 &&
		_netns_addr "$NS_R" rt 10.231.2.254/24 2001:db8:2::fe/64 &&
		_netns_addr "$NS_R" rs 10.231.3.254/24 2001:db8:3::fe/64 &&
		_netns_addr "$NS_T" t0 10.231.2.1/24 2001:db8:2::1/64 &&
		_netns_addr "$NS_S" s0 10.231.3.1/24 2001:db8:3::1/64 || return 1
	for n in 2 3 4 5 6 7 8 9; do
		inns "$NS_S" ip addr add "10.231.3.$n/24" dev s0 || return 1
	done
	# Extra client addresses for -s; T cannot answer 10.231.1.3.
	inns "$NS_C" ip addr add 10.231.1.2/24 dev c0 &&
		inns "$NS_C" ip addr add 10.231.1.3/24 dev c0 &&
		inns "$NS_T" ip route add blackhole 10.231.1.3/32 || return 1
	# One source address per IPv4 route-error test: the kernel answers
	# packets to unreachable/prohibit routes at most once a second per
	# source after a short burst (net.ipv4.route.error_cost, which is
	# global and not for a test to change).
	for n in 11 12 13 14; do
		inns "$NS_C" ip addr add "10.231.1.$n/24" dev c0 || return 1
	done
	# The client itself has no route to 10.231.7.0/24: sendto() fails.
	inns "$NS_C" ip route add unreachable 10.231.7.0/24 &&
		inns "$NS_C" ip route add default via 10.231.1.254 &&
		inns "$NS_C" ip -6 route add default via 2001:db8:1::fe &&
		inns "$NS_T" ip route add default via 10.231.2.254 &&
		inns "$NS_T" ip -6 route add default via 2001:db8:2::fe &&
		inns "$NS_S" ip route add default via 10.231.3.254 || return 1
	_netns_router || return 1
	# The R-T link carries at most 1280 bytes: larger requests meet
	# "packet too big" once, then the client sends them to fit.
	inns "$NS_R" ip link set rt mtu 1280 && inns "$NS_T" ip link set t0 mtu 1280 || return 1
	inns "$NS_S" sysctl -qw net.ipv4.icmp_echo_ignore_all=1 || return 1
	# Fill the neighbour caches so the first request of a test is not
	# slowed by address resolution.
	inns "$NS_C" ping -c3 -i0.2 -W2 10.231.2.1 >/dev/null &&
		inns "$NS_C" ping -c3 -i0.2 -W2 2001:db8:2::1 >/dev/null
}

_netns_addr() {
	inns "$1" ip addr add "$3" dev "$2" &&
		inns "$1" ip addr add "$4" dev "$2" nodad &&
		inns "$1" ip link set "$2" up
}

_netns_router() {
	local r=$NS_R
	inns $r sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1 &&
		inns $r sysctl -qw net.ipv4.icmp_ratelimit=0 net.ipv6.icmp.ratelimit=0 &&
		inns $r ip route add blackhole 10.231.4.0/24 &&
		inns $r ip route add unreachable 10.231.5.0/24 &&
		inns $r ip route add prohibit 10.231.6.0/24 &&
		inns $r ip -6 route add blackhole 2001:db8:4::/64 &&
		inns $r ip -6 route add unreachable 2001:db8:5::/64 &&
		inns $r ip -6 route add prohibit 2001:db8:6::/64
}

# responder_up ADDR=DELAYS:PATTERN...: starts ping_responder.py in S.
responder_up() {
	local ready="$T/responder.ready"
	rm -f "$ready"
	ip netns exec "$NS_S" python3 "$SRC/tests/integration/ping_responder.py" "$ready" "$@" &
	track $!
	wait_for 5 test -s "$ready"
}

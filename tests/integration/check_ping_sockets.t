#!/bin/bash
# Which ICMP socket check_ping gets, and what it keeps afterwards: in a
# private network namespace, net.ipv4.ping_group_range is switched
# between "nobody may use datagram ICMP sockets" and "everybody may", and
# check_ping runs as root, as nobody, and as nobody holding only
# CAP_NET_RAW (an ambient capability, as a file capability would give).
. "$(dirname "$0")/../lib.sh"
P=$B/plugins/check_ping
NS="glpings$$"

trap '_cleanup; ip netns del "$NS" 2>/dev/null' EXIT
if ! ip netns add "$NS" || ! ip netns exec "$NS" ip link set lo up; then
	ok 1 "a network namespace could be created (needs root)"
	done_testing
	exit 1
fi
ok 0 "namespace created"
# nobody must reach the binary wherever the tree lives: run a copy.
chmod 711 "$T" && mkdir -m 755 "$T/bin" && cp "$P" "$T/bin/" && P=$T/bin/check_ping

range() {
	ip netns exec "$NS" sysctl -qw net.ipv4.ping_group_range="$1"
}
as_root() {
	run ip netns exec "$NS" "$P" -p 2 -i 10 -v "$@"
	err=$(cat "$T/stderr")
}
as_nobody() {
	run ip netns exec "$NS" setpriv --reuid=65534 --regid=65534 --clear-groups "$P" -p 2 -i 10 -v "$@"
	err=$(cat "$T/stderr")
}
as_nobody_raw() {
	run ip netns exec "$NS" setpriv --reuid=65534 --regid=65534 --clear-groups \
		--inh-caps=+net_raw --ambient-caps=+net_raw "$P" -p 2 -i 10 -v "$@"
	err=$(cat "$T/stderr")
}
okline='^PING OK - Packet loss = 0%, RTA = [0-9.]+ ms\|rta='
nocaps='after privilege drop: uid ([0-9]+) euid \1 CapEff:.0000000000000000'

# --- datagram sockets forbidden to every group ---------------------------
range "1 0"
as_root -H 127.0.0.1
is "$rc" 0 "root, dgram forbidden, auto: exit 0"
like "$first" "$okline" "root, auto: answered"
like "$err" 'IPv4: raw socket, echo id' "root, auto: falls back to a raw socket"
like "$err" "$nocaps" "root: no capability left after the socket is open"

as_root -H 127.0.0.1 --socket=dgram
is "$rc" 3 "root, --socket=dgram while forbidden: exit 3"
is "$first" "PING UNKNOWN - Cannot open an ICMP socket (datagram socket: Permission denied), allow group 0 in net.ipv4.ping_group_range or grant CAP_NET_RAW" \
	"root, --socket=dgram: UNKNOWN says why and what to change"

as_nobody -H 127.0.0.1
is "$rc" 3 "nobody without CAP_NET_RAW, dgram forbidden: exit 3"
is "$first" "PING UNKNOWN - Cannot open an ICMP socket (datagram socket: Permission denied, raw socket: Operation not permitted), allow group 65534 in net.ipv4.ping_group_range or grant CAP_NET_RAW" \
	"nobody: neither socket is possible, a clear UNKNOWN"

as_nobody_raw -H 127.0.0.1,::1
is "$rc" 0 "nobody with CAP_NET_RAW: exit 0"
like "$first" '^PING OK - 2/2 hosts OK\|' "nobody with CAP_NET_RAW: both families answered"
like "$err" 'IPv4: raw socket, echo id' "nobody with CAP_NET_RAW: raw IPv4 socket"
like "$err" 'IPv6: raw socket, echo id' "nobody with CAP_NET_RAW: raw IPv6 socket"
like "$err" 'after privilege drop: uid 65534 euid 65534 CapEff:.0000000000000000' \
	"nobody: CAP_NET_RAW is dropped right after the sockets open"

# --- datagram sockets allowed to every group -----------------------------
range "0 2147483647"
as_root -H 127.0.0.1,::1
is "$rc" 0 "root, dgram allowed, auto: exit 0"
like "$err" 'IPv4: datagram socket, echo id' "auto prefers the datagram socket (IPv4)"
like "$err" 'IPv6: datagram socket, echo id' "auto prefers the datagram socket (IPv6)"

as_root -H 127.0.0.1 --socket=raw
is "$rc" 0 "root, --socket=raw: exit 0"
like "$err" 'IPv4: raw socket, echo id' "--socket=raw is honoured"

as_nobody -H 127.0.0.1,::1
is "$rc" 0 "nobody, dgram allowed: exit 0"
like "$first" '^PING OK - 2/2 hosts OK\|' "nobody, dgram allowed: answered"
like "$err" 'IPv4: datagram socket, echo id' "nobody uses a datagram socket"

as_nobody -H 127.0.0.1 --socket=raw
is "$rc" 3 "nobody, --socket=raw without CAP_NET_RAW: exit 3"
is "$first" "PING UNKNOWN - Cannot open an ICMP socket (raw socket: Operation not permitted), allow group 65534 in net.ipv4.ping_group_range or grant CAP_NET_RAW" \
	"nobody, --socket=raw: UNKNOWN"

# --- only nobody's group allowed: per-group, not all-or-nothing ------------
range "65534 65534"
as_nobody -H 127.0.0.1
is "$rc" 0 "group 65534 allowed: nobody gets a datagram socket"
as_root -H 127.0.0.1 --socket=dgram
is "$rc" 3 "group 65534 allowed: root's group 0 is not"

done_testing

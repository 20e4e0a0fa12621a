#!/bin/bash
# check_dns beside its peers, against nsd in a private network and mount
# namespace: there 127.0.0.1:53 and 127.0.0.2:53 are the bench's own, and
# /etc/resolv.conf (bind-mounted) names 127.0.0.1, so the peers that can
# only ask port 53 or the system resolver (monitoring-plugins check_dns,
# the contrib scripts) ask the bench's nsd and nothing else. The zones are
# tests/integration/dns_env.sh's: ns1 (127.0.0.1) is the primary, ns2
# (127.0.0.2) a lagging secondary.
#
#   lookup:  one A lookup vs drill, check_dig and check_dns (monitoring-plugins)
#   --zone:  zone health vs check_soas (contrib)
#   --dnssec: RRSIG expiry vs check_zone_rrsig_expiration, chain vs
#            check_dnssec_delegation check-ds (contrib)
#   --dnsbl: a listed address vs check_rbl (contrib)
if [ -z "${GLANCE_DNSB_NS:-}" ] && [ "$(id -u)" = 0 ]; then
	GLANCE_DNSB_NS=1 exec unshare -m -n --propagation private bash "$0" "$@"
fi
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
. "$here/../integration/dns_env.sh"

D=$B/plugins/check_dns
if [ -z "${GLANCE_DNSB_NS:-}" ] || ! have_peer "$D" || ! command -v nsd >/dev/null ||
	! command -v ldns-signzone >/dev/null; then
	skip "check_dns" "needs root (namespaces), nsd, ldnsutils and $D"
	exit 0
fi
ip link set lo up || { skip "check_dns" "no loopback in the namespace"; exit 0; }
echo "nameserver 127.0.0.1" >"$T/resolv.conf"
mount --bind "$T/resolv.conf" /etc/resolv.conf || { skip "check_dns" "cannot bind resolv.conf"; exit 0; }
P=53
_dns_zones || { skip "check_dns" "cannot sign the zones"; exit 0; }
# check_zone_rrsig_expiration starts at the root servers by name: a
# private root whose one server is a.root-servers.net at 127.0.0.1.
printf '. 300 IN SOA a.root-servers.net. h.root-servers.net. 1 3600 900 604800 300\n. 300 IN NS a.root-servers.net.\n' \
	>"$T/z1/root"
_dns_zone_simple root-servers.net 1 "@ NS a" "a A 127.0.0.1" >"$T/z1/root-servers.net"
_dns_conf nsd1 "$T/z1" "root-servers.net example.test signed.test parent.test child.parent.test bl.test" "127.0.0.1@53" "::1@53"
printf 'zone:\n\tname: "."\n\tzonefile: root\n' >>"$T/nsd1.conf"
_dns_conf nsd2 "$T/z2" "example.test signed.test" "127.0.0.2@53"
nsd -d -c "$T/nsd1.conf" >"$T/nsd1.out" 2>&1 &
track $!
nsd -d -c "$T/nsd2.conf" >"$T/nsd2.out" 2>&1 &
track $!
if ! dns_wait 127.0.0.1 53 || ! dns_wait 127.0.0.2 53; then
	skip "check_dns" "nsd did not start"
	exit 0
fi

# peer NAME PATH ARGS...: adds ":: NAME PATH ARGS..." to PEERS when PATH runs.
peer() {
	local name=$1 path=$2
	shift 2
	if have_peer "$path"; then PEERS+=(:: "$name" "$path" "$@"); else
		echo "  ($name: $path is not installed)"
	fi
}

floor check_dns
PEERS=()
peer drill /usr/bin/drill @127.0.0.1 mail.example.test A
peer "m-p check_dig" "$MP/check_dig" -H 127.0.0.1 -l mail.example.test -T A
peer "m-p check_dns" "$MP/check_dns" -H mail.example.test -s 127.0.0.1
bench "check_dns lookup: A of mail.example.test" 100 \
	"glance check_dns" "$D" -H mail.example.test -s 127.0.0.1 "${PEERS[@]}" "${FLOOR[@]}"

PEERS=()
peer "contrib check_soas" "$MP/check_soas" example.test
bench "check_dns --zone example.test (2 NS, serial drift)" 10 \
	"glance check_dns --zone" "$D" --zone example.test -s 127.0.0.1 "${PEERS[@]}" "${FLOOR[@]}"

PEERS=()
peer "contrib rrsig_expiration" "$MP/check_zone_rrsig_expiration" -Z signed.test -W 7 -C 3
bench "check_dns --zone signed.test --dnssec (RRSIG days on every NS)" 10 \
	"glance check_dns --dnssec" "$D" --zone signed.test --dnssec -s 127.0.0.1 \
	--trust-anchor "$T/anchor-signed.ds" --rrsig-days 7,3 "${PEERS[@]}" "${FLOOR[@]}"

PEERS=()
peer "contrib dnssec_delegation" "$MP/check_dnssec_delegation" check-ds child.parent.test
bench "check_dns --dnssec, a two-link chain (child.parent.test)" 10 \
	"glance check_dns --dnssec" "$D" -H www.child.parent.test --dnssec -s 127.0.0.1 \
	--trust-anchor "$T/anchor-parent.ds" "${PEERS[@]}" "${FLOOR[@]}"

PEERS=()
peer "contrib check_rbl" "$MP/check_rbl" -H 127.0.0.2 -s bl.test -n 127.0.0.1 -w 1 -c 2
bench "check_dns --dnsbl bl.test, a listed address" 10 \
	"glance check_dns --dnsbl" "$D" -H 127.0.0.2 --dnsbl bl.test -s 127.0.0.1 "${PEERS[@]}" \
	"${FLOOR[@]}"
exit 0

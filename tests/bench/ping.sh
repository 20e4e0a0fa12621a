#!/bin/bash
# check_ping beside monitoring-plugins' check_icmp and fping: 1000 targets
# in 127.0.0.0/8, 5 echo requests each, in two rounds: the same pacing
# for all (100 ms between requests to one target, 0.1 ms between any two)
# and no pacing at all (both intervals 0). The first line each tool
# prints shows how many hosts it found up. check_icmp sends its next
# request as soon as nothing is outstanding, so on loopback it does not
# keep the intervals it is given.
. "$(dirname "$0")/lib.sh"

C=$B/plugins/check_ping
ICMP=$MP/check_icmp
FPING=$(command -v fping || echo /usr/bin/fping)
if ! have_peer "$C"; then
	skip "check_ping" "$C is not built"
	exit 0
fi
N=1000
for i in $(seq 0 $((N - 1))); do
	echo "127.$((i / 250)).$((i % 7)).$((i % 250 + 1))"
done >"$T/hosts"
LIST=$(paste -sd, "$T/hosts")
mapfile -t HOSTS <"$T/hosts"

round() { # LABEL GLANCE-INTERVALS ICMP-INTERVALS FPING-INTERVALS (each one word list)
	local peers=()
	read -r -a gi <<<"$2"
	read -r -a ci <<<"$3"
	read -r -a fi <<<"$4"
	have_peer "$ICMP" && peers+=(:: "m-p check_icmp" "$ICMP" -n 5 "${ci[@]}" "${HOSTS[@]}")
	have_peer "$FPING" && peers+=(:: fping "$FPING" -q -c 5 "${fi[@]}" -f "$T/hosts")
	bench "check_ping, $N targets x 5, $1" 5 \
		"glance check_ping" "$C" -H "$LIST" -p 5 "${gi[@]}" "${peers[@]}"
}
round "100 ms / 0.1 ms pacing" "-i 100 -I 0.1" "-i 100 -I 0.1" "-p 100 -i 0.1"
round "no pacing" "-i 0 -I 0" "-i 0 -I 0" "-p 0 -i 0"
exit 0

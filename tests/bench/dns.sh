#!/bin/bash
# One A lookup against a local nsd: glance's check_dns beside drill
# (ldnsutils) and monitoring-plugins' check_dig (forks dig) and check_dns
# (forks nslookup). Prints the mean wall time per run and the ratios.
# Goals: within 1.5x of drill, at least 4x faster than check_dig.
# A benchmark reports; it never fails the build (exit 0 even when a
# comparison tool is missing).
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib.sh"
. "$here/../integration/dns_env.sh"

RUNS=${DNS_BENCH_RUNS:-300}
MP=/usr/lib/nagios/plugins
D=$B/plugins/check_dns

if ! command -v nsd >/dev/null || ! command -v ldns-signzone >/dev/null || [ ! -x "$D" ]; then
	echo "dns bench: needs nsd, ldnsutils and $D; skipped"
	exit 0
fi
dns_env_start || { echo "dns bench: nsd did not start; skipped"; exit 0; }

# monitoring-plugins check_dns has no port option: it can only ask port
# 53, so a third nsd answers on 127.0.0.9@53 when that can be bound.
MP_SERVER=
if python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.9", 53))' 2>/dev/null; then
	_dns_conf nsd3 "$T/z1" "example.test" "127.0.0.9@53"
	nsd -d -c "$T/nsd3.conf" >"$T/nsd3.out" 2>&1 &
	track $!
	dns_wait 127.0.0.9 53 && MP_SERVER=127.0.0.9
fi

# The machine may be busy with other work, so the tools take turns: in
# each round every tool runs a batch of BATCH lookups, and a tool's figure
# is its median batch time per run. Load then weighs on all tools alike.
ROUNDS=$(( (RUNS + 9) / 10 ))
BATCH=10
declare -A cmd ms
names=()
add_tool() {  # NAME CMD... (the command as one string of words without spaces inside)
	local name=$1
	shift
	"$@" >"$T/bench.out" 2>&1
	echo "  $name: $(head -n1 "$T/bench.out")"
	cmd[$name]="$*"
	names+=("$name")
	: >"$T/times.$name"
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "?" }'; }

echo "one A lookup of mail.example.test against nsd on 127.0.0.1:$P"
add_tool glance "$D" -H mail.example.test -s "127.0.0.1@$P"
add_tool drill drill -p "$P" @127.0.0.1 mail.example.test A
[ -x "$MP/check_dig" ] &&
	add_tool check_dig "$MP/check_dig" -H 127.0.0.1 -p "$P" -l mail.example.test -T A
[ -x "$MP/check_dns" ] && [ -n "$MP_SERVER" ] &&
	add_tool mp_check_dns "$MP/check_dns" -H mail.example.test -s "$MP_SERVER"

for ((r = 0; r <= ROUNDS; r++)); do
	for n in "${names[@]}"; do
		read -r -a argv <<<"${cmd[$n]}"
		t0=$(date +%s%N)
		for ((i = 0; i < BATCH; i++)); do "${argv[@]}" >/dev/null 2>&1; done
		t1=$(date +%s%N)
		# round 0 only warms the caches
		[ "$r" -gt 0 ] && echo $(((t1 - t0) / BATCH)) >>"$T/times.$n"
	done
done
for n in "${names[@]}"; do
	ms[$n]=$(sort -n "$T/times.$n" | awk '{ v[NR] = $1 } END {
		m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		printf "%.2f", m / 1e6 }')
done
echo "$ROUNDS rounds of $BATCH runs per tool, interleaved; median per run:"
echo
printf '  %-14s %10s %16s\n' tool "ms/run" "x glance's time"
for n in "${names[@]}"; do
	printf '  %-14s %10s %16s\n' "$n" "${ms[$n]}" "$(ratio "${ms[$n]}" "${ms[glance]}")"
done
echo
r=$(ratio "${ms[glance]}" "${ms[drill]}")
echo "glance / drill = $r (goal: at most 1.5) $(awk -v r="$r" 'BEGIN { print (r <= 1.5 ? "met" : "NOT met") }')"
if [ -n "${ms[check_dig]:-}" ]; then
	r=$(ratio "${ms[check_dig]}" "${ms[glance]}")
	echo "check_dig / glance = $r (goal: at least 4) $(awk -v r="$r" 'BEGIN { print (r >= 4 ? "met" : "NOT met") }')"
fi
if [ -n "${ms[mp_check_dns]:-}" ]; then
	echo "monitoring-plugins check_dns / glance = $(ratio "${ms[mp_check_dns]}" "${ms[glance]}")"
else
	echo "monitoring-plugins check_dns: not measured (needs 127.0.0.9 port 53 for its nslookup)"
fi
exit 0

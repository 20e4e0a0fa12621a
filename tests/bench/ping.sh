#!/bin/bash
# Benchmark: glance check_ping beside monitoring-plugins check_icmp and
# fping, 1000 targets in 127.0.0.0/8 with 5 echo requests each.
#
#   tests/bench/ping.sh [BUILD_DIR]      (default: build)
#
# Three rounds: every tool with the same count, per-target interval
# (100 ms) and global gap (0.1 ms); every tool at its own defaults with 5
# requests (fping's defaults take about a minute: set BENCH_QUICK=1 to
# leave fping out of that round); every tool with both intervals 0. Prints wall and CPU seconds
# (median of BENCH_RUNS runs, default 3), how many hosts each tool found
# OK, and the ratios to glance. Informational only: always exits 0.
set -u
SRC=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${1:-build}
case $BUILD in /*) ;; *) BUILD=$SRC/$BUILD ;; esac
GLANCE=$BUILD/plugins/check_ping
CHECK_ICMP=${CHECK_ICMP:-/usr/lib/nagios/plugins/check_icmp}
FPING=${FPING:-$(command -v fping)}
RUNS=${BENCH_RUNS:-3}
N=1000
W=$(mktemp -d "${TMPDIR:-/tmp}/glance-bench.XXXXXX")
trap 'rm -rf "$W"' EXIT

if [ ! -x "$GLANCE" ]; then
	echo "ping bench: $GLANCE is not built; skipped"
	exit 0
fi
for i in $(seq 0 $((N - 1))); do
	echo "127.$((i / 250)).$((i % 7)).$((i % 250 + 1))"
done >"$W/hosts"
LIST=$(paste -sd, "$W/hosts")
mapfile -t HOSTS <"$W/hosts"

# Hosts each tool reports as fully answered, from its own output.
ok_glance() { sed -n '1s/^PING [A-Z]* - \([0-9]*\)\/.*/\1/p' "$W/out"; }
ok_check_icmp() { grep -o 'lost 0%' "$W/out" | wc -l; }
ok_fping() { grep -c 'xmt/rcv/%loss = 5/5/0%' "$W/err"; }

# run_one TOOL ARGS...: one timed run; prints "wall cpu ok rc".
run_one() {
	local tool=$1 t
	shift
	TIMEFORMAT='%R %U %S'
	t=$({ time "$@" >"$W/out" 2>"$W/err"; } 2>&1)
	set -- $t
	echo "$1 $(awk -v u="$2" -v s="$3" 'BEGIN{printf "%.3f", u + s}') $("ok_$tool") $(cat "$W/rc")"
}

# bench TOOL RUNS ARGS...: the median run by wall time.
bench() {
	local tool=$1 runs=$2 i
	shift 2
	for i in $(seq 1 "$runs"); do
		run_one "$tool" sh -c '"$@"; echo $? >"$0"' "$W/rc" "$@"
	done | sort -n | sed -n "$(((runs + 1) / 2))p"
}

ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN{ if (b > 0) printf "%.1fx", a / b; else printf "-" }'
}

report() {
	local round=$1 g=$2 c=$3 f=$4
	set -- $g
	local gw=$1 gc=$2
	printf '%-10s %-11s %8s %8s %9s %5s\n' "$round" glance $1 $2 "$3/$N" $4
	if [ -n "$c" ]; then
		set -- $c
		printf '%-10s %-11s %8s %8s %9s %5s   wall %s, cpu %s\n' "$round" \
			check_icmp $1 $2 "$3/$N" $4 "$(ratio $1 $gw)" "$(ratio $2 $gc)"
	fi
	if [ -n "$f" ]; then
		set -- $f
		printf '%-10s %-11s %8s %8s %9s %5s   wall %s, cpu %s\n' "$round" fping \
			$1 $2 "$3/$N" $4 "$(ratio $1 $gw)" "$(ratio $2 $gc)"
	fi
}

echo "check_ping benchmark: $N targets in 127.0.0.0/8 x 5 requests (median of $RUNS runs)"
printf '%-10s %-11s %8s %8s %9s %5s\n' round tool "wall s" "cpu s" "hosts OK" exit

g=$(bench glance "$RUNS" "$GLANCE" -H "$LIST" -p 5 -i 100 -I 0.1)
c=
f=
[ -x "$CHECK_ICMP" ] && c=$(bench check_icmp "$RUNS" "$CHECK_ICMP" -n 5 -i 100 -I 0.1 "${HOSTS[@]}")
[ -n "$FPING" ] && f=$(bench fping "$RUNS" "$FPING" -q -c 5 -p 100 -i 0.1 -f "$W/hosts")
report same "$g" "$c" "$f"

g=$(bench glance "$RUNS" "$GLANCE" -H "$LIST" -p 5)
c=
f=
[ -x "$CHECK_ICMP" ] && c=$(bench check_icmp 1 "$CHECK_ICMP" -n 5 "${HOSTS[@]}")
[ -n "$FPING" ] && [ "${BENCH_QUICK:-0}" != 1 ] && f=$(bench fping 1 "$FPING" -q -c 5 -f "$W/hosts")
report defaults "$g" "$c" "$f"

g=$(bench glance "$RUNS" "$GLANCE" -H "$LIST" -p 5 -i 0 -I 0)
c=
f=
[ -x "$CHECK_ICMP" ] && c=$(bench check_icmp 1 "$CHECK_ICMP" -n 5 -i 0 -I 0 "${HOSTS[@]}")
[ -n "$FPING" ] && f=$(bench fping "$RUNS" "$FPING" -q -c 5 -p 0 -i 0 -f "$W/hosts")
report no-limit "$g" "$c" "$f"

cat <<'EOF'
same:     -p/-n/-c 5, 100 ms between requests to one target, 0.1 ms between any two
defaults: 5 requests, otherwise each tool's defaults (check_icmp stops at its 10 s
          timeout; fping waits 1 s between requests to a target, 10 ms between any two)
no-limit: 5 requests, both intervals 0: as fast as each tool can
Ratios are the other tool's time divided by glance's: above 1x, glance is faster.
Note: check_icmp sends the next request as soon as nothing is outstanding, so on
loopback it does not keep the intervals it is given.
EOF
exit 0

# The shared harness of tests/bench/*.sh (bash; source it first):
#
#   . "$(dirname "$0")/lib.sh"
#   bench LABEL RUNS NAME CMD... [:: NAME CMD...]...
#
# runs the tools in turn after a warm-up (measure.py: median wall time,
# CPU time and peak RSS of each, and glance's ratio to each), glance's
# tool first. floor PLUGIN adds that plugin's own --version run to a
# pairing (append "${FLOOR[@]}"), so a reader sees how much of the time is
# start-up. Results go, one JSON line per tool, to $RESULTS under the
# build directory. Brings tests/lib.sh: $T, free_port, track, wait_for.
# A benchmark prints; it never fails the build, so a missing peer or a
# server that does not start is a "skipped" line and exit 0.
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

MP=/usr/lib/nagios/plugins
RESULTS=${BENCH_RESULTS:-$B/bench/results.jsonl}
WARMUP=${BENCH_WARMUP:-3}
BENCH_RUNNER=${BENCH_RUNNER:-$B/bench/runner}
export BENCH_RUNNER
mkdir -p "$(dirname "$RESULTS")"

# runs N: N scaled by BENCH_SCALE (a percentage, default 100), at least 3.
runs() {
	local n=$(($1 * ${BENCH_SCALE:-100} / 100))
	local least=$(($1 < 3 ? $1 : 3))
	echo $((n < least ? least : n))
}

bench() {
	local label=$1 n=$2
	shift 2
	if [ ! -x "$BENCH_RUNNER" ]; then
		skip "$label" "$BENCH_RUNNER is not built: make bench builds it"
		return
	fi
	python3 "$SRC/tests/bench/measure.py" "$label" "$(runs "$n")" "$WARMUP" "$RESULTS" -- "$@" ||
		echo "    (measure.py failed: exit $?)"
}

# floor PLUGIN: sets FLOOR to the tool arguments of PLUGIN's --version.
floor() {
	FLOOR=(:: "floor: $1 --version" "$B/plugins/$1" --version)
}

# skip WHAT WHY: one line saying a pairing was not measured, and why.
skip() {
	echo "  $1: skipped ($2)"
}

# have_peer PATH...: true when every PATH is an executable.
have_peer() {
	local p
	for p in "$@"; do [ -x "$p" ] || return 1; done
}

# result_ms LABEL TOOL: the median wall time in ms (a whole number) the
# last `bench LABEL` measured for TOOL, or 0.
result_ms() {
	python3 - "$RESULTS" "$1" "$2" <<-'PY'
		import json, sys
		ms = 0
		for line in open(sys.argv[1]):
		    r = json.loads(line)
		    if r.get("bench") == sys.argv[2] and r.get("tool") == sys.argv[3]:
		        ms = r["wall_ms"]
		print(int(round(ms)))
	PY
}

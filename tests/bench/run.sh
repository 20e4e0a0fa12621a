#!/bin/bash
# `glance run` with 5000 checks a minute: 500 systems of 10 checks, each
# monitoring-plugins' check_dummy at a 1-minute interval, parallel = 8,
# for BENCH_RUN_SECONDS (default 75: the first minute spreads the first
# runs, then each check is due again 60 s after its last result). Then
# from the store: results a minute, how many of the 5000 first runs the
# first minute held, the scheduling
# lag (a check's result-to-result time minus its interval and its own
# run time; result times are whole seconds, so the figure is too) and
# from /proc the CPU time of glance itself and of its checks, per check.
# Rendering is measured by render.sh: here render_every = 1h, so no
# render falls inside the window.
. "$(dirname "$0")/lib.sh"

G=$B/glance
DUMMY=$MP/check_dummy
SECS=${BENCH_RUN_SECONDS:-75}
if ! have_peer "$G" "$DUMMY" || ! command -v sqlite3 >/dev/null; then
	skip "glance run" "needs $G, $DUMMY and the sqlite3 shell"
	exit 0
fi
d=$T/run
mkdir -p "$d"
{
	printf '[site]\ntitle = Bench\noutput = site\nstate = glance.db\nparallel = 8\n'
	printf 'render_every = 3600\nkeep_days = 1\n\n[defaults]\ninterval = 1m\nretry = 1m\n'
	for ((s = 0; s < 500; s++)); do
		printf '\n[system S%d]\nservices = C0, C1, C2, C3, C4, C5, C6, C7, C8, C9\n' "$s"
		for j in 0 1 2 3 4 5 6 7 8 9; do
			printf '[check S%d/C%d]\ncommand = %s 0 ok\n' "$s" "$j" "$DUMMY"
		done
	done
} >"$d/glance.conf"

ticks=$(getconf CLK_TCK)
"$G" run -q -c "$d/glance.conf" 2>"$d/run.err" &
pid=$!
track "$pid"
t0=$(date +%s)
end=$((t0 + SECS))
# The window is the measurement; polling the process keeps a dead run
# from being waited for.
until [ "$(date +%s)" -ge "$end" ] || gone "$pid"; do sleep 0.5; done
if gone "$pid"; then
	skip "glance run" "it ended early: $(tail -n 1 "$d/run.err")"
	exit 0
fi
read -r -a st <"/proc/$pid/stat"
kill "$pid"
wait_for 30 gone "$pid"
# fields 14-17 of /proc/PID/stat: utime stime cutime cstime (clock ticks)
# after the name, which holds no spaces here
own=$(((st[13] + st[14]) * 1000 / ticks))
kids=$(((st[15] + st[16]) * 1000 / ticks))
sqlite3 "$d/glance.db" >"$d/stats" <<-EOF
	SELECT count(*) FROM results;
	SELECT count(*) FROM results WHERE t < $t0 + 60;
	SELECT group_concat(lag, ' ') FROM (SELECT t - prev - 60 - duration_ms / 1000 AS lag
	  FROM (SELECT t, duration_ms, lag(t) OVER (PARTITION BY system, service ORDER BY t) AS prev
	  FROM results) WHERE prev IS NOT NULL ORDER BY lag);
	EOF
{
	read -r total
	read -r steady
	read -r lags
} <"$d/stats"
echo "  glance run, 5000 checks a minute (check_dummy), parallel = 8, ${SECS} s on $(nproc) cores"
if [ "${total:-0}" = 0 ]; then
	echo "    no results were stored: $(tail -n 1 "$d/run.err")"
	exit 0
fi
python3 - "$total" "$steady" "$own" "$kids" "$SECS" "$RESULTS" ${lags:-} <<-'EOF'
	import json, sys
	total, steady, own, kids, secs = (int(x) for x in sys.argv[1:6])
	lags = [int(x) for x in sys.argv[7:]]
	rate = total * 60 / secs
	print("    results: %d in %d s (%.0f a minute); %d of the 5000 due in the first minute ran in it"
	      % (total, secs, total * 60 / secs, steady))
	def q(p):
	    return lags[min(len(lags) - 1, int(p * len(lags)))]
	if lags:
	    print("    lag (s, whole seconds) over %d repeat runs: median %d, p99 %d, max %d"
	          % (len(lags), q(0.5), q(0.99), lags[-1]))
	print("    CPU: glance %.3f ms a check, its checks %.3f ms a check; %.0f%% of one core in all"
	      % (own / total, kids / total, (own + kids) / 10 / secs))
	rec = {"bench": "glance run 5000/min", "results": total, "per_minute": round(rate),
	       "first_minute": steady,
	       "lag_median_s": q(0.5) if lags else None, "lag_max_s": lags[-1] if lags else None,
	       "cpu_ms_glance_per_check": round(own / total, 3),
	       "cpu_ms_checks_per_check": round(kids / total, 3)}
	with open(sys.argv[6], "a") as f:
	    f.write(json.dumps(rec) + "\n")
	EOF
exit 0

#!/bin/bash
# glance run under load: 5000 checks (500 systems of 10, monitoring-
# plugins' check_dummy) on a 1-minute interval, the rate of a large site
# (83 checks a second), for one whole interval on whatever this machine
# is, renders included (every first result is a HARD change, so the
# first minute renders as often as the loop allows). The schedule report
# `glance run` prints every render_every seconds must show every check
# started within the interval and a small lag, and the collector's
# memory must stay bounded while its store fills.
. "$(dirname "$0")/../lib.sh"
# Speed is what is measured here, so the optimised build runs (make check
# builds it first): the sanitizers' several-fold slowdown, and their
# shadow memory, would measure them instead. Every other test runs the
# sanitizer build for memory errors, the schedule's code included.
G=${GLANCE_LOAD_BUILD:-$SRC/build}/glance
[ -x "$G" ] || G=$B/glance
MP=/usr/lib/nagios/plugins
[ -x "$MP/check_dummy" ] || skip_all "monitoring-plugins is not installed (tests/install-deps)"
command -v sqlite3 >/dev/null || skip_all "the sqlite3 shell is not installed"

N=5000
# The bounds, for a loaded 2-core machine (the report lines are printed
# as comments, to compare with a run; on a shared 2-core VM: all started
# by 78 s, lag at most 10.6 s, 20 -> 25 MB):
# - LAG_MAX: a check starts within milliseconds of its time when the loop
#   is free; what delays it is the loop's own work, above all a render,
#   which blocks the loop (1-3 s for 5000 services on a slow file
#   system), and in the first minute every first result is a HARD change
#   that asks for one, so renders follow each other there. A scheduler
#   whose work per start grows with the number of checks (a quadratic
#   one: 25 million steps a start at 5000) manages fewer than 40 starts
#   a second: its backlog grows by half the rate, and its lag passes
#   30 s within the minute.
# - ALL_BY: the first runs are spread over the first 60 s, and the
#   schedule lines that count them come every 10 s; at fewer than 40
#   starts a second the 5000 would take past 125 s.
# - RSS_MAX, RSS_GROWTH: glance's own data for 5000 checks is a few MB,
#   SQLite's page cache up to 16 MB as the store fills; anything that
#   grows with the results (a queue, a leak) passes 32 MB of growth.
LAG_MAX=30
ALL_BY=100
RSS_MAX_KB=$((80 * 1024))
RSS_GROWTH_KB=$((32 * 1024))

{
	printf '[site]\ntitle = Load\noutput = site\nstate = glance.db\nparallel = 8\n'
	printf 'render_every = 10\npath = %s\n\n[defaults]\ninterval = 1m\nretry = 1m\ntimeout = 10\n' "$MP"
	for ((s = 0; s < N / 10; s++)); do
		printf '\n[system S%d]\nservices = C0, C1, C2, C3, C4, C5, C6, C7, C8, C9\n' "$s"
		for j in 0 1 2 3 4 5 6 7 8 9; do
			printf '[check S%d/C%d]\ncommand = check_dummy 0 "load %d/%d"\n' "$s" "$j" "$s" "$j"
		done
	done
} >"$T/load.conf"

t0=$(date +%s)
"$G" run -c "$T/load.conf" 2>"$T/run.err" &
pid=$!
track $pid

reports() { grep '^glance: schedule: ' "$T/run.err"; }
started() { reports | awk '{ n += $3 } END { print n + 0 }'; }
rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status" 2>/dev/null; }
# Polled by wait_for: notes the first report's RSS (the store and site
# exist by then) and the largest since, and is true once every check has
# started or glance has ended.
rss_first=
rss_peak=0
watch_run() {
	local r
	r=$(rss_kb)
	[ -n "$r" ] && [ "$r" -gt "$rss_peak" ] && rss_peak=$r
	[ -z "$rss_first" ] && [ -n "$(reports)" ] && rss_first=$r
	[ "$(started)" -ge "$N" ] || gone "$pid"
}
wait_for $((ALL_BY + 10)) watch_run
done_at=$(($(date +%s) - t0))
reports | sed 's/^/# /'

kill -0 "$pid" 2>/dev/null
ok $? "glance run is still running under the load"
n=$(started)
ok "$([ "$n" -ge "$N" ]; echo $?)" "$N checks started, some a second time ($n reported)"
ok "$([ "$done_at" -le "$ALL_BY" ]; echo $?)" \
	"all started within ${ALL_BY} s of start-up, the first runs being spread over 60 s (${done_at} s)"
max=$(reports | sed 's/.* max \([0-9.]*\) s.*/\1/' | sort -g | tail -1)
like "$max" '^[0-9]+\.[0-9]{3}$' "the report gives the largest lag ($max s)"
ok "$(awk -v m="$max" -v b="$LAG_MAX" 'BEGIN { exit !(m < b) }'; echo $?)" \
	"no check started more than $LAG_MAX s late (max $max s)"
ok "$([ -n "$rss_first" ] && [ "$rss_peak" -lt "$RSS_MAX_KB" ]; echo $?)" \
	"resident size stays under $((RSS_MAX_KB / 1024)) MB (peak ${rss_peak} kB)"
ok "$([ -n "$rss_first" ] && [ $((rss_peak - rss_first)) -lt "$RSS_GROWTH_KB" ]; echo $?)" \
	"it grows less than $((RSS_GROWTH_KB / 1024)) MB while 5000 results are stored (${rss_first:-?} -> ${rss_peak} kB)"

kill "$pid"
wait_for 20 gone "$pid"
ok $? "SIGTERM stops it"
wait "$pid"
is "$?" 0 "and it exits 0"
is "$(sqlite3 "$T/glance.db" 'SELECT count(*) FROM services WHERE last_check > 0')" "$N" \
	"the store holds a result of every check"
done_testing

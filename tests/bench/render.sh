#!/bin/bash
# `glance render` for 10, 1k and 10k services with 90 days of history.
# Each store is generated with the sqlite3 shell into the schema glance
# itself created (a first render of an empty store), 10 services a
# system: per service five CRITICAL spells spread over the 90 days with OK
# intervals between them, four of them blips of 1 to 4 minutes (under
# flap_min, so never posted) and, for one service in 20, one outage of 10
# to 59 minutes (an incident with its notices), and one result every
# 15 minutes over the kept day (keep_days = 1), so the gap scan reads
# 96 results a service. There is no peer: the figures are the goal's
# (10k services under 1 s of wall time and 100 MB of memory).
. "$(dirname "$0")/lib.sh"

G=$B/glance
if [ ! -x "$G" ] || ! command -v sqlite3 >/dev/null; then
	skip "glance render" "needs $G and the sqlite3 shell"
	exit 0
fi
NOW=$(date +%s)
SHM=$(mktemp -d /dev/shm/glance-bench.XXXXXX) || { skip "glance render" "no /dev/shm"; exit 0; }
trap 'rm -rf "$SHM"; _cleanup' EXIT
# one warm-up run: a render of 10k services is seconds, not milliseconds
WARMUP=1
# bash -c "$ADVANCE" GLANCE CONF CLOCK: renders at the time in CLOCK plus
# a minute, and leaves that time in CLOCK (builtins only, then exec).
ADVANCE='read -r t <"$2"; t=$((t + 60)); echo "$t" >"$2"; exec "$0" render -c "$1" --now "$t"'

# gen_conf DIR SERVICES: the config, SERVICES / 10 systems of 10 checks.
gen_conf() {
	local d=$1 n=$2 s j list
	mkdir -p "$d"
	printf '[site]\ntitle = Bench\noutput = site\nstate = glance.db\nkeep_days = 1\n' >"$d/glance.conf"
	printf '\n[defaults]\ninterval = 15m\nretry = 1m\nattempts = 3\n' >>"$d/glance.conf"
	for ((s = 0; s < n / 10; s++)); do
		list=SVC0
		for j in 1 2 3 4 5 6 7 8 9; do list="$list, SVC$j"; done
		printf '\n[system S%d]\nname = Server %d\nservices = %s\n' "$s" "$s" "$list"
		for j in 0 1 2 3 4 5 6 7 8 9; do
			printf '[check S%d/SVC%d]\ncommand = check_dummy 0\n' "$s" "$j"
		done
	done >>"$d/glance.conf"
}

# gen_store DIR SERVICES: fills the store glance created in DIR.
gen_store() {
	local n=$2
	sqlite3 "$1/glance.db" >/dev/null <<-EOF
		PRAGMA journal_mode = OFF;
		PRAGMA synchronous = OFF;
		BEGIN;
		CREATE TEMP TABLE svc AS WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL
		  SELECT i + 1 FROM s WHERE i < $n - 1)
		  SELECT i, 'S' || (i / 10) AS system, 'SVC' || (i % 10) AS service FROM s;
		CREATE TEMP TABLE outage AS WITH RECURSIVE k(k) AS (SELECT 0 UNION ALL
		  SELECT k + 1 FROM k WHERE k < 4)
		  SELECT system, service, $NOW - 90 * 86400 + (k * 15 + i % 15) * 86400
		    + (i % 1440) * 60 AS start,
		    CASE WHEN k = 0 AND i % 20 = 0 THEN 600 + (i % 50) * 60 ELSE 60 + (i % 4) * 60 END
		    AS len FROM svc, k;
		INSERT INTO svc_intervals (system, service, state, start, end)
		  SELECT system, service, 2, start, start + len FROM outage;
		INSERT INTO svc_intervals (system, service, state, start, end)
		  SELECT system, service, 0, coalesce(prev, $NOW - 90 * 86400 - 3600), start FROM
		  (SELECT system, service, start, lag(start + len) OVER
		    (PARTITION BY system, service ORDER BY start) AS prev FROM outage);
		INSERT INTO svc_intervals (system, service, state, start, end)
		  SELECT system, service, 0, max(start + len), NULL FROM outage
		  GROUP BY system, service;
		INSERT INTO results (system, service, t, state, hard, attempt, output,
		  long_output, perfdata, duration_ms)
		  WITH RECURSIVE r(r) AS (SELECT 0 UNION ALL SELECT r + 1 FROM r WHERE r < 95)
		  SELECT system, service, $NOW - r * 900 - i % 900, 0, 1, 1, 'OK: bench', '',
		    'time=0.001s;;;0', 3 FROM svc, r;
		INSERT INTO services (system, service, state, hard, attempt, has_hard, hard_state,
		  hard_since, last_check, output, perfdata)
		  SELECT system, service, 0, 1, 1, 1, 0, max(start + len), $NOW - i % 300,
		    'OK: bench', 'time=0.001s;;;0'
		  FROM svc JOIN outage USING (system, service) GROUP BY system, service;
		COMMIT;
	EOF
}

for n in 10 1000 10000; do
	d=$T/render$n
	gen_conf "$d" "$n"
	t0=$(date +%s%N)
	if ! "$G" render -c "$d/glance.conf" --now "$NOW" >"$d/first.out" 2>&1 ||
		! gen_store "$d" "$n"; then
		skip "glance render, $n services" "the store could not be made: $(tail -n 1 "$d/first.out")"
		continue
	fi
	t1=$(date +%s%N)
	rows=$(sqlite3 "$d/glance.db" 'SELECT (SELECT count(*) FROM results) || " results, " ||
		(SELECT count(*) FROM svc_intervals) || " intervals"')
	echo "  store for $n services: $rows, $(du -m "$d/glance.db" | cut -f1) MB, made in $(((t1 - t0) / 1000000)) ms"
	# The same render writing its site to tmpfs: the difference is what
	# the file system of the build directory costs (on ext4, creating
	# files just after the last generation's were deleted is slow).
	sed "s|^output = site|output = $SHM/site$n|" "$d/glance.conf" >"$d/shm.conf"
	sed "s|^output = site|output = same|" "$d/glance.conf" >"$d/same.conf"
	# Each run a minute after the one before, as `glance run` renders:
	# the index, every system's page and the JSON carry the render's
	# time, so those change (a file each system, a few more); notice,
	# archive and tag pages and the feeds are dated by their newest
	# update and stay. The last tool renders one moment again and again
	# into a site of its own: every file unchanged.
	echo "$NOW" >"$d/clock"
	bench "glance render, $n services, 90 days" $((n >= 10000 ? 3 : 10)) \
		"glance render" bash -c "$ADVANCE" "$G" "$d/glance.conf" "$d/clock" :: \
		"render, site on tmpfs" bash -c "$ADVANCE" "$G" "$d/shm.conf" "$d/clock" :: \
		"render, nothing changed" "$G" render -c "$d/same.conf" --now "$NOW"
	rm -rf "$d" "$SHM/site$n"*
done
exit 0

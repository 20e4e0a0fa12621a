#!/bin/bash
# glance's check_disk beside monitoring-plugins' check_disk on this
# machine's own mounts: one path (-p /), and every mount either tool
# selects by default. Prints the mean wall time per run and the ratio.
# glance pays for safety here: each statvfs() runs in a child process so a
# hung mount cannot hang the check, where the peer calls statvfs() in
# process (and hangs with the mount). A benchmark reports; it never fails
# the build.
. "$(dirname "$0")/../lib.sh"

MP=/usr/lib/nagios/plugins/check_disk
C=$B/plugins/check_disk
RUNS=${DISK_BENCH_RUNS:-200}

if [ ! -x "$C" ] || [ ! -x "$MP" ]; then
	echo "disk bench: needs $C and $MP; skipped"
	exit 0
fi

# mean_us CMD...: the mean wall time of one run in microseconds.
mean_us() {
	local t0 t1
	"$@" >/dev/null 2>&1
	t0=$(date +%s%N)
	for _ in $(seq "$RUNS"); do "$@" >/dev/null 2>&1; done
	t1=$(date +%s%N)
	echo $(((t1 - t0) / RUNS / 1000))
}

bench() {
	local what=$1 g m
	shift
	g=$(mean_us "$C" "$@")
	m=$(mean_us "$MP" "$@")
	printf '%-28s glance %6d us   monitoring-plugins %6d us   ratio %s\n' "$what" "$g" "$m" \
		"$(echo "scale=2; $g / $m" | bc)"
}

bench "-p /" -w 20% -c 10% -p /
n=$("$C" -A -w 0% -c 0% | head -1 | grep -o ' ([0-9]*% inode=' | wc -l)
bench "-A ($n mounts)" -w 20% -c 10% -A
exit 0

#!/bin/bash
# check_disk on local mounts beside monitoring-plugins' check_disk: one
# path (-p /), and 200 tmpfs mounts made in a private mount namespace
# (named with 200 -p, so both tools judge exactly those). glance pays
# for a guarantee here: each statvfs() runs in a child process (cloned
# with CLONE_VM, so no address space is copied) so a hung mount cannot
# hang the check past its deadline, where the peer calls statvfs() in
# process (and hangs with the mount); the pairing shows that cost. Goal: at most 1.0x the peer's wall time on both.
if [ -z "${GLANCE_DISKB_NS:-}" ] && [ "$(id -u)" = 0 ]; then
	GLANCE_DISKB_NS=1 exec unshare -m --propagation private bash "$0" "$@"
fi
. "$(dirname "$0")/lib.sh"

C=$B/plugins/check_disk
if ! have_peer "$C" "$MP/check_disk"; then
	skip "check_disk" "needs $C and $MP/check_disk"
	exit 0
fi
floor check_disk
bench "check_disk -w 20% -c 10% -p / (1 mount)" 200 \
	"glance check_disk" "$C" -w 20% -c 10% -p / :: \
	"m-p check_disk" "$MP/check_disk" -w 20% -c 10% -p / "${FLOOR[@]}"

if [ -z "${GLANCE_DISKB_NS:-}" ]; then
	skip "check_disk on 200 mounts" "needs root for a private mount namespace"
	exit 0
fi
# One tmpfs holds the 200, so one lazy unmount undoes them all before
# the temporary directory is removed.
mkdir -p "$T/m"
mount -t tmpfs bench "$T/m" || { skip "check_disk on 200 mounts" "tmpfs mount failed"; exit 0; }
trap 'umount -l "$T/m" 2>/dev/null; _cleanup' EXIT
paths=()
for i in $(seq 1 200); do
	mkdir -p "$T/m/$i"
	if ! mount -t tmpfs -o size=$((i * 64))k "bench$i" "$T/m/$i"; then
		skip "check_disk on 200 mounts" "tmpfs mount $i failed"
		exit 0
	fi
	paths+=(-p "$T/m/$i")
done
bench "check_disk -w 20% -c 10% on 200 tmpfs mounts (200 -p)" 50 \
	"glance check_disk" "$C" -w 20% -c 10% "${paths[@]}" :: \
	"m-p check_disk" "$MP/check_disk" -w 20% -c 10% "${paths[@]}" "${FLOOR[@]}"
exit 0

#!/bin/bash
# check_disk, local mode, on real mounts this test makes in a private mount
# namespace: tmpfs of exact sizes filled to exact levels, an ext2 loop
# image with blocks reserved for root, and a FUSE file system whose statfs
# never answers (a dead NFS server's mount, in effect). The results are
# compared with the monitoring-plugins check_disk on the same mounts.
if [ -z "${GLANCE_DISK_NS:-}" ]; then
	if [ "$(id -u)" != 0 ]; then
		echo "Bail out! check_disk.t needs root (unshare -m, tmpfs and loop mounts)"
		exit 1
	fi
	GLANCE_DISK_NS=1 exec unshare -m --propagation private bash "$0" "$@"
fi
. "$(dirname "$0")/../lib.sh"

C=$B/plugins/check_disk
PEER=/usr/lib/nagios/plugins/check_disk
G=$T/g
mkdir -p "$G/a" "$G/b" "$G/c" "$G/d" "$G/hang"
_disk_cleanup() {
	umount -l "$G/hang" "$G/abind" "$G/a" "$G/b" "$G/c" "$G/d" "$G"/many/* 2>/dev/null
	_cleanup
}
trap _disk_cleanup EXIT

# a: 100 MiB, 85 MiB used (15% free); b: 10 MiB, empty; c: 50 MiB with
# 1000 inodes of which 900 are used (10% free).
mount -t tmpfs -o size=100m gl_a "$G/a" &&
	mount -t tmpfs -o size=10m gl_b "$G/b" &&
	mount -t tmpfs -o size=50m,nr_inodes=1000 gl_c "$G/c" || {
	echo "Bail out! cannot mount tmpfs"
	exit 1
}
dd if=/dev/zero of="$G/a/fill" bs=1M count=85 status=none
mkdir "$G/a/sub"
for i in $(seq 1 899); do : >"$G/c/f$i"; done
# d: ext2 with 10% reserved for root, 8 MiB used
truncate -s 20M "$T/d.img" && mkfs.ext2 -q -m 10 -F "$T/d.img" &&
	mount -o loop "$T/d.img" "$G/d" || {
	echo "Bail out! cannot mount a loop image"
	exit 1
}
dd if=/dev/zero of="$G/d/fill" bs=1M count=8 status=none conv=fsync

A=$G/a B_=$G/b
PA="$A=89128960B"
PB="$B_=0B"

# check NAME RC FIRST-LINE ARGS...: our exit code and exact status line.
check() {
	local name=$1 want_rc=$2 want=$3
	shift 3
	run "$C" "$@"
	is "$rc" "$want_rc" "$name: exit code"
	is "$first" "$want" "$name: status line and perfdata"
}

# The peer's summary items and perfdata, normalised to compare with ours:
# its items are in mount order with a trailing ';', ours worst first.
items_of() {
	local s=${1%%|*}
	s=${s#*free space: }
	s=${s%;}
	s=${s//; /$'\n'}
	printf '%s\n' "${s//, /$'\n'}" | sed 's/kiB/KiB/' | sort
}
perf_of() {
	local p=${1#*|}
	p=${p# }
	p=$(sed "s/ '[^']* (inodes)'=[^ ]*//g" <<<"$p")
	printf '%s\n' $p
}
same_as_peer() {
	local name=$1
	shift
	run "$PEER" "$@"
	local prc=$rc pfirst=$first
	run "$C" "$@"
	is "$rc" "$prc" "$name: exit code as monitoring-plugins'"
	is "$(items_of "$first")" "$(items_of "$pfirst")" "$name: mounts and figures as monitoring-plugins'"
	[ "${SIZES:-}" = yes ] && return
	is "$(perf_of "$first")" "$(perf_of "$pfirst")" "$name: perfdata as monitoring-plugins'"
}
# With size thresholds the perfdata levels are our own: free space counts
# in whole units, so "-w 15" (MiB) warns below 16 MiB free and the warning
# level is size - 16 MiB, where check_disk writes size - 15 MiB and its
# perfdata disagrees with its state for a whole unit (README).
same_state_as_peer() {
	SIZES=yes same_as_peer "$@"
}

# ---- percent thresholds ----
check "20%/10% on 15% free" 1 \
	"DISK WARNING - free space: $A 15MiB (15% inode=99%), $B_ 10MiB (100% inode=99%)|$PA;83886080;94371840;0;104857600 $PB;8388608;9437184;0;10485760" \
	-w 20% -c 10% -p "$A" -p "$B_"
same_as_peer "20%/10%" -w 20% -c 10% -p "$A" -p "$B_"
check "free equal to the critical percent is critical" 2 \
	"DISK CRITICAL - free space: $A 15MiB (15% inode=99%)|$PA;83886080;89128960;0;104857600" \
	-w 20% -c 15% -p "$A"
same_as_peer "critical at exactly 15%" -w 20% -c 15% -p "$A"
check "14% free is above a 14% threshold" 0 \
	"DISK OK - free space: $A 15MiB (15% inode=99%)|$PA;90177536;94371840;0;104857600" \
	-w 14% -c 10% -p "$A"
same_as_peer "OK above 14%" -w 14% -c 10% -p "$A"

# ---- sizes: bare numbers in -u units, and with a unit ----
check "15 MiB free at -w 15 (MiB) warns" 1 \
	"DISK WARNING - free space: $A 15MiB (15% inode=99%)|$PA;88080384;93323264;0;104857600" \
	-w 15 -c 10 -p "$A"
same_state_as_peer "-w 15 -c 10" -w 15 -c 10 -p "$A"
check "-w 16MB -c 15MB: 15 MiB free is critical" 2 \
	"DISK CRITICAL - free space: $A 15MiB (15% inode=99%)|$PA;87031808;88080384;0;104857600" \
	-w 16MB -c 15MB -p "$A"
check "-u KiB counts in KiB" 2 \
	"DISK CRITICAL - free space: $A 15360KiB (15% inode=99%)|$PA;88472576;89127936;0;104857600" \
	-w 16000 -c 15360 -u KiB -p "$A"
same_state_as_peer "-u KiB" -w 16000 -c 15360 -u KiB -p "$A"
check "percent and size together: the lower level wins in perfdata" 1 \
	"DISK WARNING - free space: $A 15MiB (15% inode=99%)|$PA;72351744;94371840;0;104857600" \
	-w 10% -w 30MB -c 10% -p "$A"

# ---- inodes ----
check "inode thresholds: 10% free inodes is critical at -K 10%" 2 \
	"DISK CRITICAL - free space: $G/c 50MiB (100% inode=10%)|$G/c=0B;52428800;52428800;0;52428800 '$G/c (inodes)'=900;800;900;0;1000" \
	-w 0% -c 0% -W 20% -K 10% -p "$G/c"
same_as_peer "inodes" -w 0% -c 0% -W 20% -K 10% -p "$G/c"
check "inode warning" 1 \
	"DISK WARNING - free space: $G/c 50MiB (100% inode=10%)|$G/c=0B;52428800;52428800;0;52428800 '$G/c (inodes)'=900;800;950;0;1000" \
	-w 0% -c 0% -W 20% -K 5% -p "$G/c"

# ---- selection ----
check "a path inside a mount checks that mount" 1 \
	"DISK WARNING - free space: $A 15MiB (15% inode=99%)|$PA;83886080;94371840;0;104857600" \
	-w 20% -c 10% -p "$A/sub/"
same_as_peer "path inside a mount" -w 20% -c 10% -p "$A/sub"
check "a path that does not exist is critical" 2 \
	"DISK CRITICAL - free space: $G/nope is not accessible: No such file or directory" \
	-w 20% -c 10% -p "$G/nope"
run "$PEER" -w 20% -c 10% -p "$G/nope"
is "$rc $first" "2 DISK CRITICAL - $G/nope is not accessible: No such file or directory" \
	"the peer also says CRITICAL for a missing path"
check "-N tmpfs -r selects, -x excludes" 0 \
	"DISK OK - free space: $B_ 10MiB (100% inode=99%), $G/c 50MiB (100% inode=10%)|$PB;8388608;9437184;0;10485760 $G/c=0B;41943040;47185920;0;52428800" \
	-w 20% -c 10% -N tmpfs -r "^$G/" -x "$A"
same_as_peer "-N -r -x" -w 20% -c 10% -N tmpfs -r "^$G/" -x "$A"
check "-x also takes a device name" 0 \
	"DISK OK - free space: $B_ 10MiB (100% inode=99%), $G/c 50MiB (100% inode=10%)|$PB;8388608;9437184;0;10485760 $G/c=0B;41943040;47185920;0;52428800" \
	-w 20% -c 10% -N tmpfs -r "^$G/" -x gl_a
same_as_peer "-x DEVICE" -w 20% -c 10% -N tmpfs -r "^$G/" -x gl_a
mkdir -p "$G/abind"
mount --bind "$A/sub" "$G/abind"
check "a bind mount of a checked file system is not checked twice" 0 \
	"DISK OK - free space: $A 15MiB (15% inode=99%), $B_ 10MiB (100% inode=99%), $G/c 50MiB (100% inode=10%)|$PA;104857600;104857600;0;104857600 $PB;10485760;10485760;0;10485760 $G/c=0B;52428800;52428800;0;52428800" \
	-w 0% -c 0% -N tmpfs -r "^$G/"
check "... but -p can name the bind mount" 0 \
	"DISK OK - free space: $G/abind 15MiB (15% inode=99%)|$G/abind=89128960B;104857600;104857600;0;104857600" \
	-w 0% -c 0% -p "$G/abind"
umount "$G/abind"
check "-i drops what -r selected" 1 \
	"DISK WARNING - free space: $A 15MiB (15% inode=99%)|$PA;83886080;94371840;0;104857600" \
	-w 20% -c 10% -N tmpfs -r "^$G/" -i "/(b|c)\$"
check "-X tmpfs with only tmpfs named leaves nothing: UNKNOWN" 3 \
	"DISK UNKNOWN - no file system matches the selection" -w 20% -c 10% -X tmpfs -p "$B_"
run "$PEER" -w 20% -c 10% -X tmpfs -p "$B_"
is "$rc" 3 "the peer is UNKNOWN too"
check "-e lists only the mounts in trouble, perfdata for all" 1 \
	"DISK WARNING - free space: $A 15MiB (15% inode=99%)|$PA;83886080;94371840;0;104857600 $PB;8388608;9437184;0;10485760" \
	-e -w 20% -c 10% -p "$A" -p "$B_"
check "-e with nothing wrong" 0 \
	"DISK OK - 1 file system above the thresholds|$PB;8388608;9437184;0;10485760" \
	-e -w 20% -c 10% -p "$B_"
check "-M names the device" 0 \
	"DISK OK - free space: gl_b 10MiB (100% inode=99%)|gl_b=0B;8388608;9437184;0;10485760" \
	-M -w 20% -c 10% -p "$B_"
same_as_peer "-M" -M -w 20% -c 10% -p "$B_"
check "worst mounts first in the summary, perfdata in mount order" 2 \
	"DISK CRITICAL - free space: $A 15MiB (15% inode=99%), $B_ 10MiB (100% inode=99%)|$PB;5242880;8912896;0;10485760 $PA;52428800;89128960;0;104857600" \
	-w 50% -c 15% -p "$B_" -p "$A"

check "-E: a path that is not a mount point is CRITICAL, as the peer" 2 \
	"DISK CRITICAL - free space: $A/sub is not a mount point (-E)" -E -w 20% -c 10% -p "$A/sub"
run "$PEER" -E -w 20% -c 10% -p "$A/sub"
is "$rc" 2 "-E: the peer is CRITICAL too"
run "$C" -A -w 0% -c 0%
is "$rc" 0 "-A: exit code"
like "$first" ", $A 15MiB \\(15% inode=99%\\), $B_ 10MiB \\(100% inode=99%\\), $G/c 50MiB" \
	"-A: tmpfs mounts are checked"
ok "$([[ $first == *" /proc "* || $first == *" /sys "* ]] && echo 1 || echo 0)" \
	"-A: size-0 mounts (proc, sysfs) are left out"

# More mounts than the plugin runs children at once: all are checked.
for i in $(seq 1 70); do
	mkdir -p "$G/many/$i" && mount -t tmpfs -o size=1m "gl_many$i" "$G/many/$i"
done
run "$C" -N tmpfs -r "^$G/many/" -w 0% -c 0%
is "$rc" 0 "70 mounts: exit code"
is "$(grep -o "$G/many/[0-9]* 1MiB (100% inode=" <<<"${first%%|*}" | wc -l)" 70 "70 mounts: all in the summary"
is "$(tr ' ' '\n' <<<"${first#*|}" | grep -c "^$G/many/[0-9]*=0B;1048576;1048576;0;1048576\$")" 70 \
	"70 mounts: all in the perfdata"
umount "$G"/many/*

# Without -N or -p, tmpfs and other pseudo file systems are skipped.
run "$C" -w 0% -c 0%
is "$rc" 0 "default selection: exit code"
like "$first" "^DISK OK - free space: / [0-9]+MiB \([0-9]+% inode=[0-9]+%\)" "default selection: / is checked"
ok "$([[ $first == *"$A "* || $first == *"$G/c "* || $first == *" /proc"* || $first == *" /sys"* || $first == *" /dev/shm"* ]] && echo 1 || echo 0)" \
	"default selection: no tmpfs, proc or sysfs mount"
like "$first" ", $G/d [0-9]+MiB \\([0-9]+% inode=[0-9]+%\\)" "default selection: the ext2 loop mount is checked"

# ---- reserved blocks: free space as an unprivileged user sees it ----
read -r bs blocks bfree bavail < <(stat -f -c '%S %b %f %a' "$G/d")
ok "$([ "$bfree" -gt "$bavail" ] && echo 0 || echo 1)" "the ext2 image has blocks reserved for root"
used=$(((blocks - bfree) * bs))
avail=$((bavail * bs))
pct=$((100 - (used * 100 + used + avail - 1) / (used + avail)))
warn=$(awk -v t=$((blocks * bs)) 'BEGIN { printf "%.0f", int(t * 0.5) }')
check "reserved blocks count as used (f_bavail)" 0 \
	"DISK OK - free space: $G/d ${avail}B ($pct% inode=99%)|$G/d=${used}B;$warn;$((blocks * bs - (bfree - bavail) * bs - 2097152));0;$((blocks * bs))" \
	-w 50% -c 1 -u bytes -c 1MB -p "$G/d"
same_state_as_peer "ext2 with reserve, in bytes" -w 50% -c 1048576 -u bytes -p "$G/d"

# ---- bad input ----
check "a bad threshold is UNKNOWN naming the option" 3 \
	"DISK UNKNOWN - -w: 'abc' is not a free-space threshold (20%, 500, 500MB)" -w abc -c 10% -p "$A"
check "an unknown unit" 3 "DISK UNKNOWN - -c: '5XB': unknown unit 'XB' (B, KB, MB, GB, TB, PB or %)" \
	-w 10% -c 5XB -p "$A"
check "a percentage over 100" 3 "DISK UNKNOWN - -W: '120%': a percentage is at most 100" \
	-w 10% -c 5% -W 120% -p "$A"
run "$C" --help
is "$rc" 3 "--help exits UNKNOWN"
like "$out" "unprivileged user can still write \(f_bavail\)" "--help says free space is f_bavail"

# ---- a mount that never answers ----
cc -o "$T/hangfs" "$SRC/tests/integration/check_disk_hangfs.c" $(pkg-config --cflags --libs fuse3) ||
	{ echo "Bail out! cannot build the FUSE test file system"; exit 1; }
# Its type, fuse.sshfs, is one -l treats as a network file system.
"$T/hangfs" -f -s -o subtype=sshfs "$G/hang" 2>"$T/hangfs.log" &
track $!
wait_for 5 grep -q " $G/hang " /proc/self/mountinfo ||
	{ echo "Bail out! the FUSE test file system did not mount"; exit 1; }
elapsed_ms "$C" -t 3 -w 10% -c 5% -p "$G/hang" -p "$A"
is "$rc" 2 "hung mount: CRITICAL"
is "$first" "DISK CRITICAL - free space: $G/hang not responding (statvfs blocked for 3 s), $A 15MiB (15% inode=99%)|$PA;94371840;99614720;0;104857600" \
	"hung mount: named, the other mount still checked"
ok "$([ "$ms" -lt 3000 ] && echo 0 || echo 1)" "hung mount: done within -t 3 ($ms ms)"
elapsed_ms "$C" -t 10 --stat-timeout 1 --stale-state warning -w 10% -c 5% -p "$A" -p "$G/hang/dir"
is "$rc" 1 "--stale-state warning: WARNING"
is "$first" "DISK WARNING - free space: $G/hang/dir not responding (statvfs blocked for 1 s), $A 15MiB (15% inode=99%)|$PA;94371840;99614720;0;104857600" \
	"--stat-timeout 1: a path inside the hung mount is named"
ok "$([ "$ms" -lt 2500 ] && echo 0 || echo 1)" "--stat-timeout 1 ends the wait early ($ms ms)"
elapsed_ms "$C" -t 5 --stat-timeout 1 -w 0% -c 0%
is "$rc" 2 "default selection with a hung network mount: CRITICAL"
like "$first" "^DISK CRITICAL - free space: $G/hang not responding \\(statvfs blocked for 1 s\\), / [0-9]+MiB" \
	"default selection: the hung mount first, then the others"
elapsed_ms "$C" -t 5 -l -w 0% -c 0%
is "$rc" 0 "-l skips the hung fuse.sshfs mount: OK"
ok "$([[ $first != *"$G/hang"* && $first == *" / "* ]] && echo 0 || echo 1)" "-l: not named, / still checked"
ok "$([ "$ms" -lt 1000 ] && echo 0 || echo 1)" "-l: no wait for it ($ms ms)"

done_testing

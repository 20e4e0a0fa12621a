#!/bin/bash
# Differential suite, disks: glance's check_disk against monitoring-plugins'
# check_disk (see compat_lib.sh) on tmpfs and ext2 mounts made in a mount
# namespace of the test's own, so no other process sees them.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/compat_lib.sh"
COMPAT_UNSHARE="-m --propagation private" compat_enter_netns "$0" "$@"
. "$here/../lib.sh"

[ -x "$PEERS/check_disk" ] || skip_all "monitoring-plugins is not installed (tests/install-deps)"
M=$T/m
mkdir -p "$M/a" "$M/b" "$M/c" "$M/i" "$M/e"
trap 'umount -l "$M"/* 2>/dev/null; _cleanup' EXIT
mount -t tmpfs -o size=10m cmp_a "$M/a" &&
	mount -t tmpfs -o size=20m cmp_b "$M/b" &&
	mount -t tmpfs -o size=100m cmp_c "$M/c" &&
	mount -t tmpfs -o size=10m,nr_inodes=100 cmp_i "$M/i" || {
	echo "Bail out! cannot mount tmpfs"
	exit 1
}
# a: 40% free; b: empty; c: 5% free; i: inodes 5% free.
dd if=/dev/zero of="$M/a/fill" bs=1M count=6 status=none &&
	dd if=/dev/zero of="$M/c/fill" bs=1M count=95 status=none &&
	for n in $(seq 1 94); do : >"$M/i/f$n"; done || { echo "Bail out! cannot fill"; exit 1; }
# e: ext2 with a 10% root reserve, for -f.
if command -v mkfs.ext2 >/dev/null && truncate -s 20M "$T/e.img" &&
	mkfs.ext2 -q -m 10 -F "$T/e.img" && mount -o loop "$T/e.img" "$M/e"; then
	EXT=yes
else
	EXT=
fi
DA=$M/a DB=$M/b DC=$M/c DI=$M/i
compat_cases <<CASES
-	check_disk	-w 30% -c 20% -p $DA	check_disk	=	percent, OK
-	check_disk	-w 50% -c 30% -p $DA	check_disk	=	percent, WARNING
-	check_disk	-w 70% -c 50% -p $DA	check_disk	=	percent, CRITICAL
-	check_disk	-w 40% -c 20% -p $DA	check_disk	=	percent at the warning edge
-	check_disk	-w 50% -c 40% -p $DA	check_disk	=	percent at the critical edge
-	check_disk	-w 10% -c 5% -p $DC	check_disk	=	5% free at -c 5%
-	check_disk	-w 10% -c 4% -p $DC	check_disk	=	5% free, warning only
-	check_disk	-w 3% -c 2% -p $DC	check_disk	=	5% free, OK
-	check_disk	-w 5 -c 3 -p $DA	check_disk	=	MB, WARNING
-	check_disk	-w 3 -c 2 -p $DA	check_disk	=	MB, OK
-	check_disk	-w 8 -c 5 -p $DA	check_disk	=	MB, CRITICAL
-	check_disk	-w 4 -c 3 -p $DA	check_disk	=	MB at the edge
-	check_disk	-u MB -w 5 -c 3 -p $DA	check_disk	=	-u MB
-	check_disk	-u kB -w 5000 -c 3000 -p $DA	check_disk	=	-u kB
-	check_disk	-u GB -w 1 -c 0 -p $DA	check_disk	=	-u GB -w 1 -c 0: below one GB free
-	check_disk	-u GB -w 2 -c 1 -p $DA	check_disk	=	-u GB -w 2 -c 1
-	check_disk	-u bytes -w 5000000 -c 3000000 -p $DA	check_disk	=	-u bytes
-	check_disk	-k -w 5000 -c 3000 -p $DA	check_disk	=	-k
-	check_disk	-m -w 5 -c 3 -p $DA	check_disk	=	-m
-	check_disk	-w 30% -c 20% -w 5 -c 3 -p $DA	check_disk	=	percent and size together
-	check_disk	-w 30% -c 20% -p $DA -p $DB	check_disk	=	two paths
-	check_disk	-w 30% -c 20% -p $DA -p $DB -p $DC	check_disk	=	three paths, one CRITICAL
-	check_disk	-w 30% -c 20% -p $DA -p $DB -p $DC -e	check_disk	=	-e: errors only
-	check_disk	-w 30% -c 20% -p $DA -p $DB -e	check_disk	=	-e with no errors
-	check_disk	-w 50% -c 30% -p $DA -C -w 10% -c 5% -p $DB	check_disk	=	-C: per-path thresholds
-	check_disk	-w 10% -c 5% -p $DB -C -w 70% -c 50% -p $DA	check_disk	=	-C: the second path CRITICAL
-	check_disk	-w 70% -c 50% -p $DA -C -w 3% -c 2% -p $DC	check_disk	=	-C: the first CRITICAL, the second OK
-	check_disk	-w 3% -c 2% -p $DC -C -w 8 -c 5 -p $DA	check_disk	=	-C: percent then MB
-	check_disk	-w 30% -c 20% -p $DA -C -w 30% -c 20% -p $DB -C -w 3% -c 2% -p $DC	check_disk	=	-C twice
-	check_disk	-w 10 -c 5 -g grp -p $DA -p $DB	check_disk	=	-g: a group of two
-	check_disk	-w 25 -c 24 -g grp -p $DA -p $DB	check_disk	=	-g: the group at WARNING
-	check_disk	-w 30 -c 26 -g grp -p $DA -p $DB	check_disk	=	-g: the group CRITICAL
-	check_disk	-w 30% -c 20% -W 50% -K 10% -P -p $DI	check_disk	=	inodes CRITICAL
-	check_disk	-w 30% -c 20% -W 10% -K 2% -P -p $DI	check_disk	=	inodes WARNING
-	check_disk	-w 30% -c 20% -W 3% -K 2% -P -p $DI	check_disk	=	inodes OK
-	check_disk	-w 30% -c 20% -P -p $DA	check_disk	=	-P inode perfdata
-	check_disk	-w 30% -c 20% -P -p $DA -p $DB	check_disk	=	-P, two paths
-	check_disk	-w 30% -c 20% -E -p $DA	check_disk	=	-E on a mount point
D8	check_disk	-w 30% -c 20% -p $DA -E	check_disk	=	-E after -p
-	check_disk	-w 30% -c 20% -p $DA -L	check_disk	=	-L on a local mount
-	check_disk	-w 30% -c 20% -p $DA -l	check_disk	=	-l on a local mount
-	check_disk	-w 30% -c 20% -p $DA -f	check_disk	=	-f on tmpfs (no reserve)
-	check_disk	-w 30% -c 20% -p $DA -t 5	check_disk	=	-t
-	check_disk	-w 30% -c 20% -p $DA -v	check_disk	=	-v
-	check_disk	-w 30% -c 20% -N tmpfs -r ^$M/	check_disk	=	-r with -N tmpfs
-	check_disk	-w 30% -c 20% -N tmpfs -r ^$M/ -i /c\$	check_disk	=	-i drops one
-	check_disk	-w 30% -c 20% -N tmpfs -R ^$M/[AB]	check_disk	=	-R ignores case
D7	check_disk	-w abc -c 20% -p $DA	check_disk	=	-w abc
D7	check_disk	-w 30% -c 20%x -p $DA	check_disk	=	-c 20%x
-	check_disk	-w 30% -c 20% -p $M/nonexistent	check_disk	=	a path that does not exist
CASES
if [ -n "$EXT" ]; then
	compat_cases <<CASES
-	check_disk	-w 30% -c 20% -p $M/e	check_disk	=	ext2 with a root reserve
-	check_disk	-w 30% -c 20% -p $M/e -f	check_disk	=	ext2, -f counts the reserve as used
-	check_disk	-w 5 -c 3 -p $M/e -P	check_disk	=	ext2 MB and -P
CASES
fi
done_testing

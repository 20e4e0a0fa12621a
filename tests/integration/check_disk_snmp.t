#!/bin/bash
# check_disk -H: remote disks over SNMP from a real snmpd started on a free
# loopback port, in a private mount namespace holding tmpfs mounts of exact
# sizes, so the agent's hrStorageTable and dskTable rows are known. v2c and
# v3 authPriv, secrets from a file and the environment, the dskTable
# fallback, and the failures: wrong community, refused v3 credentials, an
# agent that is not there.
if [ -z "${GLANCE_DISK_NS:-}" ]; then
	if [ "$(id -u)" != 0 ]; then
		echo "Bail out! check_disk_snmp.t needs root (unshare -m and tmpfs mounts)"
		exit 1
	fi
	GLANCE_DISK_NS=1 exec unshare -m --propagation private bash "$0" "$@"
fi
. "$(dirname "$0")/../lib.sh"

C=$B/plugins/check_disk
G=$T/g
A=$G/a B_=$G/b
mkdir -p "$A" "$B_" "$T/persist" "$T/persist2"
_snmp_cleanup() {
	umount -l "$A" "$B_" "$D" 2>/dev/null
	_cleanup
}
trap _snmp_cleanup EXIT
mount -t tmpfs -o size=100m gl_a "$A" && mount -t tmpfs -o size=10m gl_b "$B_" || {
	echo "Bail out! cannot mount tmpfs"
	exit 1
}
dd if=/dev/zero of="$A/fill" bs=1M count=85 status=none
# An ext2 image with 10% reserved for root: dskTable reports the reserve.
D=$G/d
mkdir -p "$D"
truncate -s 20M "$T/d.img" && mkfs.ext2 -q -m 10 -F "$T/d.img" && mount -o loop "$T/d.img" "$D" || {
	echo "Bail out! cannot mount a loop image"
	exit 1
}
dd if=/dev/zero of="$D/fill" bs=1M count=8 status=none conv=fsync

agent_answers() {
	MIBS= snmpget -v2c -c s3cret -t 0.2 -r 0 "127.0.0.1:$1" 1.3.6.1.2.1.1.3.0 >/dev/null 2>&1
}

# start_snmpd NAME PORT CONFIG-LINES: an agent of our own, no system config.
start_snmpd() {
	local name=$1 port=$2
	shift 2
	printf '%s\n' "agentXSocket $T/$name.agentx" "$@" >"$T/$name.conf"
	MIBS= SNMP_PERSISTENT_DIR=$T/persist-$name snmpd -f -Lf "$T/$name.log" -C \
		-c "$T/$name.conf" -p "$T/$name.pid" "udp:127.0.0.1:$port" &
	track $!
	wait_for 10 agent_answers "$port" && return 0
	echo "Bail out! snmpd $name did not start: $(tail -3 "$T/$name.log")"
	exit 1
}

P=$(free_port udp)
start_snmpd full "$P" \
	"rocommunity s3cret 127.0.0.1" \
	"createUser monuser SHA \"authpass123\" AES \"privpass123\"" \
	"rouser monuser priv" \
	"disk $A" "disk $B_" "disk $D"
# An agent that shows only UCD-SNMP-MIB, as some appliances do.
P2=$(free_port udp)
start_snmpd dskonly "$P2" \
	"view ucd included .1.3.6.1.4.1.2021" \
	"view ucd included .1.3.6.1.2.1.1" \
	"rocommunity s3cret 127.0.0.1 -V ucd" "disk $A" "disk $B_"

PERF="$A=89128960B;83886080;94371840;0;104857600 $B_=0B;8388608;9437184;0;10485760"
LINE_HR="DISK WARNING - free space: $A 15MiB (15% inode=-), $B_ 10MiB (100% inode=-)|$PERF"
LINE_DSK="DISK WARNING - free space: $A 15MiB (15% inode=100%), $B_ 10MiB (100% inode=100%)|$PERF"

check() {
	local name=$1 want_rc=$2 want=$3
	shift 3
	run "$C" "$@"
	is "$rc" "$want_rc" "$name: exit code"
	is "$first" "$want" "$name: status line and perfdata"
}

# ---- v2c ----
check "v2c hrStorageTable" 1 "$LINE_HR" \
	-H 127.0.0.1 --snmp-port "$P" --community s3cret -w 20% -c 10% -p "$A" -p "$B_"
run "$C" -w 20% -c 10% -p "$A" -p "$B_"
is "${first#*|}" "$PERF" "SNMP perfdata equals local mode's on the same mounts"
echo s3cret >"$T/community"
chmod 600 "$T/community"
check "v2c community from file:, dskTable forced" 1 "$LINE_DSK" \
	-H 127.0.0.1 --snmp-port "$P" --community "file:$T/community" --snmp-table dsk \
	-w 20% -c 10% -p "$A" -p "$B_"
is "$(sed -n 2p <<<"$out")" \
	"WARNING: $A (dskTable on gl_a): 15.0 MiB free of 100.0 MiB (15%), inodes 100% free, agent: $A: less than 100000 free (= 15360)" \
	"dskTable: long output has the agent's own error message"
run "$C" -u bytes -w 50% -c 10% -p "$D"
local_first=$first
run "$C" -H 127.0.0.1 --snmp-port "$P" --community s3cret --snmp-table dsk -u bytes -w 50% -c 10% -p "$D"
is "$rc" 0 "dskTable with a root reserve: exit code"
is "${first#*|}" "${local_first#*|}" "dskTable with a root reserve: perfdata equals local mode's"
is "${first%% inode=*}" "${local_first%% inode=*}" "dskTable with a root reserve: free bytes and percent as local mode"
like "$(sed -n 2p <<<"$out")" "^OK: $D \\(dskTable on /dev/loop[0-9]+\\): .* free of .*, [0-9.]+ MiB reserved for root, " \
	"dskTable with a root reserve: long output shows the reserve"
GLANCE_SNMP_COMMUNITY=s3cret check "v2c community from the environment" 2 \
	"DISK CRITICAL - free space: $A 15MiB (15% inode=-)|$A=89128960B;52428800;89128960;0;104857600" \
	-H 127.0.0.1 --snmp-port "$P" -w 50% -c 15% -p "$A"
check "inode thresholds on dskTable's percent" 2 \
	"DISK CRITICAL - free space: $B_ 10MiB (100% inode=100%)|$B_=0B;10485760;10485760;0;10485760" \
	-H 127.0.0.1 --snmp-port "$P" --community s3cret --snmp-table dsk -w 0% -c 0% -K 100% -p "$B_"
check "fallback to dskTable when hrStorageTable is not visible" 1 "$LINE_DSK" \
	-H 127.0.0.1 --snmp-port "$P2" --community s3cret -w 20% -c 10% -p "$A" -p "$B_"
check "-p names a disk the agent does not have" 2 \
	"DISK CRITICAL - free space: C: is not in the agent's disk table, $A 15MiB (15% inode=-)|$A=89128960B;83886080;94371840;0;104857600" \
	-H 127.0.0.1 --snmp-port "$P" --community s3cret -w 20% -c 10% -p "$A" -p C:
mkdir -p "$A/sub"
check "-p of a path inside a disk checks that disk" 1 \
	"DISK WARNING - free space: $A 15MiB (15% inode=-)|$A=89128960B;83886080;94371840;0;104857600" \
	-H 127.0.0.1 --snmp-port "$P" --community s3cret -w 20% -c 10% -p "$A/sub"
check "-E: only exact names" 2 \
	"DISK CRITICAL - free space: $A/sub is not in the agent's disk table" \
	-H 127.0.0.1 --snmp-port "$P" --community s3cret -w 20% -c 10% -E -p "$A/sub"
check "-r selects rows by regex" 1 "$LINE_HR" \
	-H 127.0.0.1 --snmp-port "$P" --community s3cret -w 20% -c 10% -r "^$G/(a|b)$"

# ---- v3 ----
cat >"$T/v3.auth" <<EOF
# monitoring credentials for the test agent
version = 3
user = monuser
auth-protocol = SHA
auth-password = authpass123
priv-protocol = AES
priv-password = privpass123
EOF
chmod 600 "$T/v3.auth"
check "v3 authPriv from --snmp-auth-file" 1 "$LINE_HR" \
	-H 127.0.0.1 --snmp-port "$P" --snmp-auth-file "$T/v3.auth" -w 20% -c 10% -p "$A" -p "$B_"
GLANCE_SNMP_AUTH_PASS=authpass123 GLANCE_SNMP_PRIV_PASS=privpass123 check \
	"v3 passphrases from the environment" 1 "$LINE_HR" \
	-H 127.0.0.1 --snmp-port "$P" --snmp-version 3 --snmp-user monuser \
	-w 20% -c 10% -p "$A" -p "$B_"
chmod 644 "$T/v3.auth"
check "an auth file others can read is refused" 3 \
	"DISK UNKNOWN - --snmp-auth-file: '$T/v3.auth' is not a regular file readable only by its owner; chmod 600 it" \
	-H 127.0.0.1 --snmp-port "$P" --snmp-auth-file "$T/v3.auth" -w 20% -c 10%
elapsed_ms "$C" -t 5 -H 127.0.0.1 --snmp-port "$P" --snmp-version 3 --snmp-user monuser \
	--snmp-auth-pass wrongpass1 --snmp-priv-pass privpass123 -w 20% -c 10%
is "$rc" 3 "v3 wrong passphrase: UNKNOWN"
like "$first" "^DISK UNKNOWN - SNMP: 127\.0\.0\.1:$P refused the credentials: .*[Aa]uthentication.*\(wrong v3 user, passphrase or security level\?\)$" \
	"v3 wrong passphrase: says the credentials were refused"
ok "$([ "$ms" -lt 5000 ] && echo 0 || echo 1)" "v3 wrong passphrase: within -t ($ms ms)"
run "$C" -t 5 -H 127.0.0.1 --snmp-port "$P" --snmp-version 3 --snmp-user nosuchuser \
	--snmp-auth-pass authpass123 --snmp-priv-pass privpass123 -w 20% -c 10%
is "$rc" 3 "v3 unknown user: UNKNOWN"
like "$first" "^DISK UNKNOWN - SNMP: 127\.0\.0\.1:$P refused the credentials: .*[Uu]ser" \
	"v3 unknown user: says so"
check "v3 short passphrase is a settings error" 3 \
	"DISK UNKNOWN - SNMP: SNMPv3 passphrases must have at least 8 characters" \
	-H 127.0.0.1 --snmp-port "$P" --snmp-version 3 --snmp-user monuser --snmp-auth-pass short \
	-w 20% -c 10%

# ---- no answer: never OK, always within -t ----
# The plugin's own waits end 0.2 s before the -t 2 backstop, whose line
# the exact status lines below would show; the wall-time bound leaves the
# rest for process start, which test files run in parallel slow down.
elapsed_ms "$C" -t 2 -H 127.0.0.1 --snmp-port "$P" --community wrong -w 20% -c 10%
is "$rc" 2 "wrong community: CRITICAL"
is "$first" "DISK CRITICAL - SNMP: no response from 127.0.0.1:$P within 2 s (agent down, wrong community or filtered)" \
	"wrong community: status line"
ok "$([ "$ms" -lt 2500 ] && echo 0 || echo 1)" "wrong community: within -t 2 ($ms ms, process start included)"
DEAD=$(free_port udp)
elapsed_ms "$C" -t 2:unknown -H 127.0.0.1 --snmp-port "$DEAD" --community s3cret -w 20% -c 10%
is "$rc" 3 "no agent, -t 2:unknown: UNKNOWN"
is "$first" "DISK UNKNOWN - SNMP: no response from 127.0.0.1:$DEAD within 2 s (agent down, wrong community or filtered)" \
	"no agent: status line"
ok "$([ "$ms" -lt 2500 ] && echo 0 || echo 1)" "no agent: within -t 2 ($ms ms, process start included)"
run "$C" -t 1:ok -H 127.0.0.1 --snmp-port "$DEAD" --community s3cret -w 20% -c 10%
is "$rc" 3 "no agent with -t 1:ok: still not OK (UNKNOWN)"
is "$first" "DISK UNKNOWN - SNMP: no response from 127.0.0.1:$DEAD within 1 s (agent down, wrong community or filtered)" \
	"no agent with -t 1:ok: status line"
run "$C" -H 127.0.0.1 --snmp-port "$DEAD" --snmp-auth-file "$T/community" -w 20% -c 10%
is "$rc" 3 "an auth file that is not key = value lines: UNKNOWN"
is "$first" "DISK UNKNOWN - --snmp-auth-file: $T/community line 1: expected key = value" \
	"an auth file that is not key = value lines: names the line"

# A broken agent whose dskTotal High/Low pair names more kB than 64 bits
# of bytes hold: the row is UNKNOWN, never a size wrapped to something small.
P3=$(free_port udp)
start_snmpd dskbig "$P3" \
	"rocommunity s3cret 127.0.0.1" "disk $A" \
	"override .1.3.6.1.4.1.2021.9.1.11.1 unsigned 4294967295" \
	"override .1.3.6.1.4.1.2021.9.1.12.1 unsigned 4294967295"
run "$C" -H 127.0.0.1 --snmp-port "$P3" --community s3cret --snmp-table dsk -w 20% -c 10% -p "$A"
is "$rc" 3 "dskTable size beyond 64 bits of bytes: UNKNOWN"
is "$first" "DISK UNKNOWN - free space: $A: the agent sent a size beyond 16 EiB" \
	"dskTable size beyond 64 bits of bytes: status line"

done_testing

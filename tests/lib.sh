# Shared helpers for tests/integration/*.t (bash). Source it first:
#   . "$(dirname "$0")/../lib.sh"
# It gives TAP output, a private temp dir ($T), free loopback ports, and
# servers that are stopped by PID when the test ends, however it ends.
#
# GLANCE_BUILD points at the build to test (make check sets it to the
# sanitizer build); $B/plugins/check_x and $B/glance are the programs.

set -u
SRC=${GLANCE_SRC:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
B=${GLANCE_BUILD:-$SRC/build}
T=$(mktemp -d "${TMPDIR:-/tmp}/glance-test.XXXXXX")
_tap_n=0
_tap_fail=0
_pids=()

_cleanup() {
	local p
	for p in "${_pids[@]}"; do
		kill "$p" 2>/dev/null
	done
	for p in "${_pids[@]}"; do
		# give each a moment, then insist
		wait_for 1 gone "$p" || kill -9 "$p" 2>/dev/null
	done
	rm -rf "$T"
}
trap _cleanup EXIT
trap 'exit 130' INT TERM

# ok COND-EXIT-STATUS NAME: ok 0 "name" passes.
ok() {
	_tap_n=$((_tap_n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $_tap_n - $2"
	else
		echo "not ok $_tap_n - $2"
		_tap_fail=$((_tap_fail + 1))
	fi
}

# is GOT WANT NAME
is() {
	if [ "$1" = "$2" ]; then ok 0 "$3"; else
		ok 1 "$3"
		printf '#   got:      %s\n#   expected: %s\n' "$1" "$2"
	fi
}

# like GOT REGEX NAME (bash extended regex)
like() {
	if [[ $1 =~ $2 ]]; then ok 0 "$3"; else
		ok 1 "$3"
		printf '#   got:      %s\n#   expected to match: %s\n' "$1" "$2"
	fi
}

skip_all() {
	echo "1..0 # SKIP $*"
	exit 0
}

done_testing() {
	echo "1..$_tap_n"
	[ "$_tap_fail" = 0 ]
}

# run CMD...: runs a command, setting $out (stdout), $first (its first
# line) and $rc (its exit code). stderr goes to $T/stderr.
run() {
	out=$("$@" 2>"$T/stderr")
	rc=$?
	first=${out%%$'\n'*}
}

# free_port [tcp|udp]: a port nothing listens on now, from a range away
# from the usual services; tries random ports until one binds.
free_port() {
	local proto=${1:-tcp} p
	for _ in $(seq 1 50); do
		p=$((20000 + RANDOM % 30000))
		if python3 -c "
import socket,sys
s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM if sys.argv[2]=='udp' else socket.SOCK_STREAM)
s.bind(('127.0.0.1', int(sys.argv[1])))" "$p" "$proto" 2>/dev/null; then
			echo "$p"
			return 0
		fi
	done
	return 1
}

# track PID: stop this process when the test ends.
track() {
	_pids+=("$1")
}

# wait_for SECONDS CMD...: runs CMD every 50 ms until it succeeds (returns
# 0) or SECONDS (whole seconds) have passed (returns 1). The one way a
# test waits: for a log line, a PID file, a port, a process to end; never
# a fixed sleep that hopes the other side was quick enough.
wait_for() {
	local end=$(($(date +%s%N) + $1 * 1000000000))
	shift
	until "$@"; do
		[ "$(date +%s%N)" -lt "$end" ] || return 1
		sleep 0.05
	done
}

# accepts PORT [ADDR]: true when something accepts a TCP connection there.
accepts() {
	(exec 3<>"/dev/tcp/${2:-127.0.0.1}/$1") 2>/dev/null
}

# gone PID: true once the process has ended.
gone() {
	! kill -0 "$1" 2>/dev/null
}

# wait_port PORT [SECONDS]: waits until something accepts on 127.0.0.1:PORT.
wait_port() {
	wait_for "${2:-10}" accepts "$1"
}

# elapsed_ms CMD...: like run, and sets $ms to the wall time taken.
elapsed_ms() {
	local t0 t1
	t0=$(date +%s%N)
	run "$@"
	t1=$(date +%s%N)
	ms=$(((t1 - t0) / 1000000))
}

# Helpers for tests that run a daemon (nagios_env.sh, icinga2_env.sh).
#   stop_pid PID               SIGTERM, wait up to 10 s for it to go, then
#                              SIGKILL; reaps it
#   wait_file FILE REGEX [S]   waits until a line of FILE matches
stop_pid() {
	kill "$1" 2>/dev/null
	for _ in $(seq 1 100); do
		kill -0 "$1" 2>/dev/null || break
		sleep 0.1
	done
	kill -0 "$1" 2>/dev/null && kill -9 "$1"
	wait "$1" 2>/dev/null
}

wait_file() {
	local i
	for i in $(seq 1 $((${3:-30} * 10))); do
		grep -qE "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	echo "# timed out waiting for /$2/ in $1"
	return 1
}

# Shared by the check_smtp integration tests (bash, source after lib.sh).

P=$B/plugins/check_smtp
MP=/usr/lib/nagios/plugins/check_smtp
FAKE=$SRC/tests/smtp_scripted_server.py
# A number in perfdata, the summary's closing timing, the perfdata of a
# plain dialogue.
N='[0-9]+(\.[0-9]+)?'
RT='[0-9]+\.[0-9]{3} s response time'
BASEPERF="time=${N}s;;;0 connect=${N}s;;;0 banner=${N}s;;;0 ehlo=${N}s;;;0"

# same_state NAME ARGS...: monitoring-plugins' check_smtp, given ARGS,
# ends in the state ($rc) our last run did.
same_state() {
	local name=$1 ours=$rc
	shift
	"$MP" "$@" >/dev/null 2>&1
	is "$?" "$ours" "$name: same state as monitoring-plugins"
}

# fake PORT ARGS...: starts tests/smtp_scripted_server.py on PORT, logging
# the commands it receives to $T/fake-PORT.log, and waits for it.
fake() {
	local port=$1
	shift
	python3 "$FAKE" --port "$port" --log "$T/fake-$port.log" "$@" &
	track $!
	wait_port "$port" 10 || { echo "Bail out! scripted server did not start"; exit 1; }
}

# fake_sessions PORT N: waits until the scripted server on PORT has logged
# the end of N sessions, so its log is complete before a test reads it.
_fake_closed() { [ "$(grep -c '^(connection closed)' "$T/fake-$1.log" 2>/dev/null)" -ge "$2" ]; }
fake_sessions() {
	wait_for 5 _fake_closed "$1" "$2"
}

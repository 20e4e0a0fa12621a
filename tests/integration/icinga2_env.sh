# A private Icinga 2 for the ingest tests and bench. Source after lib.sh:
#   icinga_env_write OBJECTS_FILE  a CA and a node certificate (openssl, in
#                                  $IC/data/certs where the ApiListener reads
#                                  them), an ApiUser "glance" whose password
#                                  is in $IC/password, the objects given;
#                                  every path under $IC, none system-wide
#   icinga_start / icinga_stop     start the daemon; stop it by PID and wait
#                                  until it and its children are gone
#   icinga_api METHOD PATH [JSON]  curl against the API, CA-verified
# $IC_PORT is the API port, $ICINGA_PID the daemon's PID.
. "$(dirname "${BASH_SOURCE[0]}")/daemon_env.sh"
IC=$T/icinga
IC_NODE=glance-test
ICINGA_PID=

icinga_env_write() {
	mkdir -p "$IC/data/certs" "$IC/log" "$IC/cache" "$IC/spool" "$IC/run"
	local c=$IC/data/certs
	openssl req -x509 -newkey rsa:2048 -nodes -keyout "$IC/ca.key" -out "$c/ca.crt" \
		-days 2 -subj "/CN=Glance Test CA" 2>/dev/null
	openssl req -newkey rsa:2048 -nodes -keyout "$c/$IC_NODE.key" -out "$IC/node.csr" \
		-subj "/CN=$IC_NODE" 2>/dev/null
	printf 'subjectAltName=DNS:%s,IP:127.0.0.1\n' "$IC_NODE" >"$IC/ext"
	openssl x509 -req -in "$IC/node.csr" -CA "$c/ca.crt" -CAkey "$IC/ca.key" \
		-CAcreateserial -out "$c/$IC_NODE.crt" -days 2 -extfile "$IC/ext" 2>/dev/null
	IC_PORT=$(free_port)
	head -c 18 /dev/urandom | base64 | tr -d '/+=' >"$IC/password"
	printf 'machine 127.0.0.1 login glance password %s\n' "$(cat "$IC/password")" >"$IC/netrc"
	cat >"$IC/icinga2.conf" <<EOF
include <itl>
object ApiListener "api" {
	bind_host = "127.0.0.1"
	bind_port = $IC_PORT
}
object Endpoint "$IC_NODE" { }
object Zone "master" { endpoints = [ "$IC_NODE" ] }
object ApiUser "glance" {
	password = "$(cat "$IC/password")"
	permissions = [ "objects/query/*", "events/*", "actions/*" ]
}
object CheckerComponent "checker" { }
include "$1"
EOF
}

icinga_start() {
	icinga2 daemon -c "$IC/icinga2.conf" -DNodeName="$IC_NODE" -DZoneName=master \
		-DDataDir="$IC/data" -DLogDir="$IC/log" -DCacheDir="$IC/cache" \
		-DSpoolDir="$IC/spool" -DInitRunDir="$IC/run" \
		-DRunAsUser="$(id -un)" -DRunAsGroup="$(id -gn)" >"$IC/daemon.out" 2>&1 &
	ICINGA_PID=$!
	track "$ICINGA_PID"
	wait_port "$IC_PORT" 30
}

# The daemon forks workers; SIGTERM to the first process stops them all,
# and the test waits until none of them is left.
icinga_stop() {
	[ -n "$ICINGA_PID" ] || return 0
	stop_pid "$ICINGA_PID"
	for _ in $(seq 1 50); do
		pgrep -f -- "-DDataDir=$IC/data" >/dev/null || break
		sleep 0.1
	done
}

icinga_running() {
	pgrep -f -- "-DDataDir=$IC/data" >/dev/null
}

icinga_api() {
	curl -s --cacert "$IC/data/certs/ca.crt" --netrc-file "$IC/netrc" \
		-H 'Accept: application/json' -X "$1" "https://127.0.0.1:$IC_PORT$2" ${3:+-d "$3"}
}

# proxy_start LISTEN_PORT TARGET_PORT / proxy_stop: a TCP relay on
# loopback; stopping it drops every connection through it.
proxy_start() {
	python3 -c '
import socket, sys, threading
def pump(a, b):
    try:
        while True:
            d = a.recv(65536)
            if not d: break
            b.sendall(d)
    except OSError: pass
    for s in (a, b):
        try: s.shutdown(socket.SHUT_RDWR)
        except OSError: pass
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(16)
while True:
    c, _ = s.accept()
    try: u = socket.create_connection(("127.0.0.1", int(sys.argv[2])))
    except OSError: c.close(); continue
    threading.Thread(target=pump, args=(c, u), daemon=True).start()
    threading.Thread(target=pump, args=(u, c), daemon=True).start()
' "$1" "$2" &
	PROXY_PID=$!
	track "$PROXY_PID"
	wait_port "$1"
}

proxy_stop() {
	stop_pid "$PROXY_PID"
}

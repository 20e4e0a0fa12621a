#!/bin/bash
# check_tls_cert against a local openssl s_server, same thresholds
# (-w 30 -c 14), beside `check_http -C 30,14` (monitoring-plugins, leaf
# dates only) and check_ssl_cert (monitoring-plugins-contrib, a shell
# script). check_tls_cert runs with full verification on: chain to the
# given CA, host name, key and signature policy, stapled OCSP. Goal:
# below 1.0x check_http -C's wall time. Then what verification costs:
# the same check with --no-verify --no-host-check, and with the system
# trust store instead of --ca-file: the system's certificates plus the
# test root, as update-ca-certificates would leave them (a hashed
# directory and a bundle file), read through the directory, or through
# the bundle alone where no directory has the root; and the system store
# without the test root (CRITICAL: both are read to be sure).
. "$(dirname "$0")/lib.sh"
. "$SRC/tests/integration/tls-pki.sh"

C=$B/plugins/check_tls_cert
if ! have_peer "$C" "$MP/check_http"; then
	skip "check_tls_cert" "needs $C and $MP/check_http"
	exit 0
fi
pki_init && pki_leaf bench || { skip "check_tls_cert" "cannot make certificates"; exit 0; }
# One s_server for each tool: s_server serves one connection at a time,
# so a tool run just after the other would otherwise wait for the
# server to finish with the other's connection.
port=$(free_port)
serve_tls bench "$port" || { skip "check_tls_cert" "s_server did not start"; exit 0; }
peer_port=$(free_port)
serve_tls bench "$peer_port" || { skip "check_tls_cert" "s_server did not start"; exit 0; }

floor check_tls_cert
bench "check_tls_cert (full verification) vs check_http -C, s_server on loopback" 100 \
	"glance check_tls_cert" "$C" -H 127.0.0.1 -p "$port" -w 30 -c 14 --ca-file "$P/ca.pem" :: \
	"m-p check_http -C" "$MP/check_http" -H 127.0.0.1 -p "$peer_port" -C 30,14 "${FLOOR[@]}"
# The system store with the test root added.
sys=/etc/ssl/certs
mkdir -p "$T/store"
cp "$P/ca.pem" "$T/store/glance-test-root.pem"
for f in "$sys"/*.pem; do [ -e "$f" ] && ln -s "$f" "$T/store/"; done
openssl rehash "$T/store" 2>/dev/null
cat "$sys/ca-certificates.crt" "$P/ca.pem" >"$T/store.crt" 2>/dev/null
bench "check_tls_cert: what verification costs" 50 \
	"--ca-file (full)" "$C" -H 127.0.0.1 -p "$port" -w 30 -c 14 --ca-file "$P/ca.pem" :: \
	"system store, hashed dir" env SSL_CERT_DIR="$T/store" SSL_CERT_FILE="$T/store.crt" \
	"$C" -H 127.0.0.1 -p "$port" -w 30 -c 14 :: \
	"system store, bundle only" env SSL_CERT_DIR="$T/none" SSL_CERT_FILE="$T/store.crt" \
	"$C" -H 127.0.0.1 -p "$port" -w 30 -c 14 :: \
	"system store, root missing" "$C" -H 127.0.0.1 -p "$port" -w 30 -c 14 :: \
	"--no-verify --no-host-check" "$C" -H 127.0.0.1 -p "$port" -w 30 -c 14 --no-verify \
	--no-host-check
if have_peer "$MP/check_ssl_cert"; then
	bench "check_tls_cert vs check_ssl_cert (a shell script: few runs)" 3 \
		"glance check_tls_cert" "$C" -H 127.0.0.1 -p "$port" -w 30 -c 14 --ca-file "$P/ca.pem" :: \
		"contrib check_ssl_cert" "$MP/check_ssl_cert" -H 127.0.0.1 -p "$peer_port" -w 30 -c 14 \
		--rootcert-file "$P/ca.pem" --ignore-sct --ignore-maximum-validity
else
	skip "check_ssl_cert" "monitoring-plugins-contrib is not installed"
fi
exit 0

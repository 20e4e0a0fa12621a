#!/bin/bash
# Start-up: every plugin's --version beside the monitoring-plugins binary
# that does the same job. --version parses nothing and touches no network,
# so the figure is the cost of exec, the dynamic loader and the libraries
# a plugin links. Goal: each within 1.2x of its peer.
. "$(dirname "$0")/lib.sh"

pair() { # PLUGIN PEER [DIR WHICH]
	local dir=${3:-$B/plugins} which=${4:+, $4}
	if ! have_peer "$dir/$1" "$MP/$2"; then
		skip "$1 --version$which" "needs $dir/$1 and $MP/$2"
		return
	fi
	bench "start-up$which: $1 --version vs $2 --version" 200 \
		"glance $1" "$dir/$1" --version :: "m-p $2" "$MP/$2" --version
}
pair check_disk check_disk
pair check_dns check_dns
pair check_ping check_ping
pair check_smtp check_smtp
pair check_tls_cert check_http
pair check_mailqueue check_mailq
pair check_snmp_extend check_snmp

# The plugins that bind libssl and libcrypto at start, linked from the
# static archives instead (make STATIC_PLUGINS=...), built here beside
# the build under test: the opt-in way to their start-up figure.
static="check_smtp check_tls_cert"
S=$B/bench/static
if make -s -j"$(nproc)" -C "$SRC" BUILD="$S" STATIC_PLUGINS="$static" \
	$(for p in $static; do echo "$S/plugins/$p"; done) >"$T/static.log" 2>&1; then
	pair check_smtp check_smtp "$S/plugins" "static build"
	pair check_tls_cert check_http "$S/plugins" "static build"
else
	skip "start-up, static build" "make STATIC_PLUGINS failed: $(tail -n 1 "$T/static.log")"
fi
exit 0

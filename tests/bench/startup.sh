#!/bin/bash
# Start-up: every plugin's --version beside the monitoring-plugins binary
# that does the same job. --version parses nothing and touches no network,
# so the figure is the cost of exec, the dynamic loader and the libraries
# a plugin links. Goal: each within 1.2x of its peer.
. "$(dirname "$0")/lib.sh"

pair() { # PLUGIN PEER
	if ! have_peer "$B/plugins/$1" "$MP/$2"; then
		skip "$1 --version" "needs $B/plugins/$1 and $MP/$2"
		return
	fi
	bench "start-up: $1 --version vs $2 --version" 200 \
		"glance $1" "$B/plugins/$1" --version :: "m-p $2" "$MP/$2" --version
}
pair check_disk check_disk
pair check_dns check_dns
pair check_ping check_ping
pair check_smtp check_smtp
pair check_tls_cert check_http
pair check_mailqueue check_mailq
pair check_snmp_extend check_snmp
exit 0

#!/bin/bash
# check_smtp against a private Postfix on loopback (tests/postfix.sh),
# beside monitoring-plugins' check_smtp: the plain dialogue (banner,
# EHLO, QUIT) and with STARTTLS (-S, which both spell the same), and with
# the certificate's days checked (-D 30,14). Goal: below 1.0x the peer's
# wall time, plain and -S.
. "$(dirname "$0")/lib.sh"
. "$SRC/tests/postfix.sh"

C=$B/plugins/check_smtp
if [ "$(id -u)" != 0 ] || ! have_peer "$C" "$MP/check_smtp"; then
	skip "check_smtp" "needs root (a private Postfix), $C and $MP/check_smtp"
	exit 0
fi
port=$(free_port)
if ! pf_setup "$T/pf" "$port" || ! pf_cert "$T/pf" mail.example.test 365 ||
	! pf_start "$T/pf"; then
	skip "check_smtp" "Postfix did not start"
	exit 0
fi
floor check_smtp
bench "check_smtp plain (banner, EHLO, QUIT), Postfix on loopback" 100 \
	"glance check_smtp" "$C" -H 127.0.0.1 -p "$port" :: \
	"m-p check_smtp" "$MP/check_smtp" -H 127.0.0.1 -p "$port" "${FLOOR[@]}"
bench "check_smtp -S (STARTTLS)" 100 \
	"glance check_smtp -S" "$C" -H 127.0.0.1 -p "$port" -S :: \
	"m-p check_smtp -S" "$MP/check_smtp" -H 127.0.0.1 -p "$port" -S "${FLOOR[@]}"
bench "check_smtp -S -D 30,14 (STARTTLS, certificate days)" 100 \
	"glance check_smtp -D" "$C" -H 127.0.0.1 -p "$port" -S -D 30,14 :: \
	"m-p check_smtp -D" "$MP/check_smtp" -H 127.0.0.1 -p "$port" -S -D 30,14
pf_stop "$T/pf"
exit 0

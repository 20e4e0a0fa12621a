#!/bin/bash
# Differential suite, SMTP: glance's check_smtp against monitoring-plugins'
# check_smtp (see compat_lib.sh) on real Postfix instances (plain, and with
# STARTTLS and a certificate valid 20 days) and on the scripted server for
# what Postfix will not do (a 554 greeting), in the test's own network
# namespace.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/compat_lib.sh"
compat_enter_netns "$0" "$@"
. "$here/../lib.sh"
. "$SRC/tests/postfix.sh"

[ -x "$PEERS/check_smtp" ] || skip_all "monitoring-plugins is not installed (tests/install-deps)"
command -v postfix >/dev/null || skip_all "postfix is not installed (tests/install-deps)"
PT=$(free_port) && PP=$(free_port) && P554=$(free_port) && PDOWN=$(free_port) ||
	{ echo "Bail out! no free ports"; exit 1; }
pf_setup "$T/tls" "$PT"
pf_cert "$T/tls" mail.example.test 20
pf_setup "$T/plain" "$PP"
pf_start "$T/tls" && pf_start "$T/plain" || { echo "Bail out! Postfix did not start"; exit 1; }
python3 "$SRC/tests/smtp_scripted_server.py" --port "$P554" --log "$T/fake.log" \
	--banner "554 5.3.2 fake.example.test no service" &
track $!
wait_port "$P554" 10 || { echo "Bail out! scripted server did not start"; exit 1; }

H="-H 127.0.0.1"
compat_cases <<CASES
-	check_smtp	$H -p $PP	check_smtp	=	a plain Postfix
-	check_smtp	$H -p $PT	check_smtp	=	Postfix with STARTTLS, not used
-	check_smtp	$H -p $PP -e 220	check_smtp	=	-e 220
-	check_smtp	$H -p $PP -e ESMTP	check_smtp	=	-e ESMTP
-	check_smtp	$H -p $PP -e "glance-test"	check_smtp	=	-e a word of the banner
-	check_smtp	$H -p $PP -e Exim	check_smtp	=	-e a word the banner lacks: WARNING
-	check_smtp	$H -p $PP -w 5 -c 10	check_smtp	=	-w/-c not reached
-	check_smtp	$H -p $PP -w 0.000001 -c 10	check_smtp	=	-w reached: WARNING
-	check_smtp	$H -p $PP -c 0.000001	check_smtp	=	-c reached: CRITICAL
-	check_smtp	$H -p $PP -F client.example.test	check_smtp	=	-F a HELO name
-	check_smtp	$H -p $PP -f monitor@example.test	check_smtp	=	-f MAIL FROM accepted
-	check_smtp	$H -p $PP -t 5	check_smtp	=	-t
-	check_smtp	$H -p $PP -4	check_smtp	=	-4
-	check_smtp	$H -p $PT -S	check_smtp	=	-S STARTTLS
-	check_smtp	$H -p $PT -S -F client.example.test	check_smtp	=	-S with -F
-	check_smtp	$H -p $PT -S -D 30,14	check_smtp	=	-S -D 30,14: 20 days left, WARNING
-	check_smtp	$H -p $PT -S -D 10,5	check_smtp	=	-S -D 10,5: OK
-	check_smtp	$H -p $PT -S -D 40,30	check_smtp	=	-S -D 40,30: CRITICAL
-	check_smtp	$H -p $PDOWN	check_smtp	=	nothing listening: CRITICAL
-	check_smtp	$H -p $PP -v	check_smtp	=	-v
D14	check_smtp	$H -p $P554	check_smtp	=	a 554 greeting
-	check_smtp	$H -p $PP -w abc	check_smtp	=	-w abc
CASES
done_testing

#!/bin/bash
# Differential suite, ping: glance's check_ping against monitoring-plugins'
# check_ping and check_icmp (see compat_lib.sh) in the test's own network
# namespace, where the kernel's echo replies are off and ping_responder.py
# answers each loopback address with an exact loss and delay pattern.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/compat_lib.sh"
compat_enter_netns "$0" "$@"
. "$here/../lib.sh"

[ -x "$PEERS/check_ping" ] && [ -x "$PEERS/check_icmp" ] ||
	skip_all "monitoring-plugins is not installed (tests/install-deps)"
sysctl -qw net.ipv4.icmp_echo_ignore_all=1 || { echo "Bail out! cannot turn echo replies off"; exit 1; }
# .1 answers at once, .2 loses every other request, .3 answers after
# 300 ms, .4 never answers, .5 answers after 150 ms, .6 loses 1 in 5.
python3 "$here/ping_responder.py" "$T/ready" 127.0.0.1=0:1 127.0.0.2=0:10 127.0.0.3=300:1 \
	127.0.0.4=0:0 127.0.0.5=150:1 127.0.0.6=0:11110 >"$T/responder.log" 2>&1 &
track $!
wait_for 5 test -e "$T/ready" || { cat "$T/responder.log"; echo "Bail out! no responder"; exit 1; }

compat_cases <<'CASES'
-	check_ping	-H 127.0.0.1 -w 100,20% -c 500,60%	check_ping	=	check_ping: a host that answers
-	check_ping	-H 127.0.0.1 -w 100,20% -c 500,60% -p 3	check_ping	=	check_ping: -p 3
-	check_ping	-H 127.0.0.1 -w 100,20% -c 500,60% -p 10	check_ping	=	check_ping: -p 10
-	check_ping	-H 127.0.0.2 -w 100,20% -c 500,60% -p 10	check_ping	=	check_ping: 50% loss under -c 60%: WARNING
-	check_ping	-H 127.0.0.2 -w 100,40% -c 500,60% -p 10	check_ping	=	check_ping: 50% loss, -w 40%
-	check_ping	-H 127.0.0.2 -w 100,60% -c 500,80% -p 10	check_ping	=	check_ping: 50% loss, OK
-	check_ping	-H 127.0.0.6 -w 100,10% -c 500,60% -p 10	check_ping	=	check_ping: 20% loss, WARNING
-	check_ping	-H 127.0.0.3 -w 100,20% -c 500,60% -p 3	check_ping	=	check_ping: 300 ms, WARNING
-	check_ping	-H 127.0.0.3 -w 100,20% -c 200,60% -p 3	check_ping	=	check_ping: 300 ms, CRITICAL
-	check_ping	-H 127.0.0.3 -w 400,20% -c 500,60% -p 3	check_ping	=	check_ping: 300 ms, OK
-	check_ping	-H 127.0.0.5 -w 100,20% -c 500,60% -p 3	check_ping	=	check_ping: 150 ms, WARNING
-	check_ping	-H 127.0.0.4 -w 100,20% -c 500,60% -p 3 -t 5	check_ping	=	check_ping: no answer, CRITICAL
D9	check_ping	-H 127.0.0.1 -w 100 -c 200	check_ping	=	check_ping: RTA only, as check_icmp takes it
-	check_ping	-H 127.0.0.1 -w 100,abc -c 500,60%	check_ping	=	check_ping: a loss that is not a number
-	check_ping	-H 127.0.0.1	check_icmp	=	check_icmp: defaults
-	check_ping	-H 127.0.0.1 -w 100 -c 200	check_icmp	=	check_icmp: RTA only
-	check_ping	-H 127.0.0.1 -w 100,20% -c 200,40%	check_icmp	=	check_icmp: RTA and loss
-	check_ping	-H 127.0.0.1 -n 3	check_icmp	=	check_icmp: -n 3
-	check_ping	-H 127.0.0.2 -w 100 -c 200 -n 10	check_icmp	=	check_icmp: RTA only, 50% loss is the default WARNING
-	check_ping	-H 127.0.0.2 -w 100,20% -c 200,40% -n 10	check_icmp	=	check_icmp: 50% loss, CRITICAL
-	check_ping	-H 127.0.0.6 -w 100,10% -c 200,40% -n 10	check_icmp	=	check_icmp: 20% loss, WARNING
-	check_ping	-H 127.0.0.3 -w 100 -c 500 -n 3	check_icmp	=	check_icmp: 300 ms, WARNING
-	check_ping	-H 127.0.0.3 -w 100 -c 200 -n 3	check_icmp	=	check_icmp: 300 ms, CRITICAL
-	check_ping	-H 127.0.0.5 -w 100 -c 500 -n 3	check_icmp	=	check_icmp: 150 ms, WARNING
-	check_ping	-H 127.0.0.4 -n 3	check_icmp	=	check_icmp: no answer, CRITICAL
-	check_ping	-H 127.0.0.1 -H 127.0.0.5 -n 3	check_icmp	=	check_icmp: two hosts, labels per host
-	check_ping	-H 127.0.0.1 -H 127.0.0.4 -n 3	check_icmp	=	check_icmp: two hosts, one down
-	check_ping	-H 127.0.0.1 -H 127.0.0.4 -n 3 -m 1	check_icmp	=	check_icmp: -m 1 of two
-	check_ping	-H 127.0.0.1 -H 127.0.0.2 -H 127.0.0.5 -n 4	check_icmp	=	check_icmp: three hosts
D11	check_ping	-H 127.0.0.1 -w 300 -c 200	check_icmp	=	check_icmp: warning above critical
D12	check_ping	-H 127.0.0.1 -w 100,abc -c 200	check_icmp	=	check_icmp: a loss that is not a number
-	check_ping	-H nosuch.invalid -w 100,20% -c 500,60% -p 1	check_ping	=	check_ping: a name that does not resolve
-	check_ping	-H nosuch.invalid -n 1	check_icmp	=	check_icmp: a name that does not resolve
D21	check_ping	-H 127.0.0.1 -H nosuch.invalid -n 1 -m 1	check_icmp	=	check_icmp: -m 1, the other name does not resolve
CASES

# Without -m both are UNKNOWN when one name of several does not resolve
# (the resolver's query cannot leave this namespace), and glance still
# writes the figures of the host it pinged, where check_icmp writes none
# (D21).
run "$B/plugins/check_ping" -H 127.0.0.1 -H nosuch.invalid -n 1
is "$rc" 3 "one of two names does not resolve: exit 3"
like "$first" "^PING UNKNOWN - 1/2 hosts OK, 1 UNKNOWN: nosuch\\.invalid \\(cannot resolve 'nosuch\\.invalid': [^)]+\\)\\|127\\.0\\.0\\.1rta=[0-9.]+ms;200;500;0 127\\.0\\.0\\.1pl=0%;40;80;0;100 127\\.0\\.0\\.1rtmin=[^ ]+ 127\\.0\\.0\\.1rtmax=[^ ]+ 127\\.0\\.0\\.1jitter=U;;;0\$" \
	"one of two names does not resolve: UNKNOWN naming it, the other host's figures"
run "$PEERS/check_icmp" -H 127.0.0.1 -H nosuch.invalid -n 1
is "$rc" 3 "check_icmp: one of two names does not resolve: exit 3"
like "$first" '^check_icmp: Failed to resolve nosuch\.invalid' "check_icmp gives up on the whole run"
done_testing

#!/bin/bash
# The status site in a real browser: glance builds a site for six systems
# (real check runs, an open incident, a post-mortem with headings, an
# upcoming maintenance), python3's http.server serves it on a loopback
# port, and Debian's headless Chromium, driven by puppeteer-core, checks it
# at 375 and 1440 px, light and dark, with and without JavaScript; axe-core
# and html-validate check every page. Screenshots are kept under
# $GLANCE_BUILD/artefacts/browser/.
. "$(dirname "$0")/../lib.sh"
G=$B/glance
MP=/usr/lib/nagios/plugins
NOW=1796000000
NODE_DIR=$SRC/tests/browser
CHROMIUM=$(command -v chromium || true)
[ -x "$G" ] || skip_all "glance is not built"
[ -x "$MP/check_dummy" ] || skip_all "monitoring-plugins' check_dummy is missing"
[ -n "$CHROMIUM" ] || skip_all "chromium is missing (tests/install-deps installs it)"
[ -d "$NODE_DIR/node_modules/puppeteer-core" ] || skip_all "tests/browser has no node_modules (tests/install-deps runs npm ci)"
cd "$T" || exit 1

cat >s.conf <<CONF
[site]
title = Server and System Status
name = Example ISP
base_url = https://status.example.net/
tz_note = All times are UTC.
output = public
state = glance.db
path = $MP

[defaults]
interval = 60
retry = 20
attempts = 1
timeout = 5
CONF
i=0
while IFS='|' read -r id loc role; do
	st=0
	[ "$id" = NC036 ] && st=2
	cat >>s.conf <<CONF

[system $id]
name = Server $id
location = $loc
role = $role
ping = PING
services = SVC

[check $id/PING]
command = check_dummy 0 'PING OK - Packet loss = 0%, RTA = 12.$i ms|rta=12.$i;100;200;0 pl=0%;20;60;0'

[check $id/SVC]
command = check_dummy $st 'service answer'
CONF
	i=$((i + 1))
done <<'SYSTEMS'
NC023|London, United Kingdom|Relay server
NC028|Vancouver, Canada|Monitoring server
NC033|Toronto, Canada|Primary nameserver
NC035|Sydney, Australia|Secondary nameserver
NC036|Amsterdam, Netherlands|Mail server
NC042|Seattle, United States of America|Status website
SYSTEMS

built=0
for k in 0 1 2 3 4 5 6 7 8 9 10; do
	"$G" run --once -c s.conf --now $((NOW + k * 60)) 2>>run.log || built=1
done
printf '## Summary\n\nThe nameserver stopped answering.\n\n#### Timeline\n\n- 10:00 alert\n- 10:20 fixed\n' >pm.md
"$G" notice add -c s.conf --now $((NOW + 700)) --system NC033 --title "DNS outage post-mortem" \
	--state postmortem --body-file pm.md >notice.out 2>>run.log || built=1
"$G" maintenance schedule NC023 -c s.conf --now $((NOW + 710)) --start $((NOW + 86400)) \
	--duration 2h --reason "New disks." >>run.log 2>&1 || built=1
"$G" render -c s.conf --now $((NOW + 720)) 2>>run.log || built=1
is "$built" 0 "glance builds the site (runs, a post-mortem, a maintenance, a render)"
[ "$built" = 0 ] || sed 's/^/# /' run.log
pm=$(sed -n 's/^.*notices\/\([0-9]*\)\.html.*$/\1/p; s/^\([0-9][0-9]*\)$/\1/p' notice.out | head -n 1)
like "$pm" '^[0-9]+$' "the post-mortem's id"

port=$(free_port) || { echo "Bail out! no free port"; exit 1; }
python3 -m http.server --bind 127.0.0.1 --directory "$(readlink -f public)" "$port" >http.log 2>&1 &
track $!
wait_for 10 accepts "$port"
ok $? "the site is served on 127.0.0.1:$port"

art=$B/artefacts/browser
rm -rf "$art"
mkdir -p "$art"
# The browser in a process group of its own, so that whatever it starts is
# stopped with it, by that group's id.
setsid env GLANCE_SYSTEMS=6 GLANCE_NOTICE="notices/$pm.html" GLANCE_SYSTEM=systems/NC036/index.html \
	timeout -k 5 70 node "$NODE_DIR/check.mjs" "http://127.0.0.1:$port/" "$(readlink -f public)" \
	"$art" "$CHROMIUM" "$T/profile" >results 2>node.err &
pid=$!
browser_cleanup() {
	kill -- "-$pid" 2>/dev/null
	_cleanup
}
trap browser_cleanup EXIT
wait "$pid"
rc=$?
is "$rc" 0 "the browser checks run to the end"
[ "$rc" = 0 ] || sed 's/^/# /' node.err
while IFS=$'\t' read -r verdict name detail; do
	case "$verdict" in
	PASS) ok 0 "$name" ;;
	FAIL)
		ok 1 "$name"
		echo "#   $detail"
		;;
	esac
done <results
is "$(grep -c "^PASS" results)" 30 "every browser check reported and passed"
# gone_group PGID: true once no process of that group is left.
gone_group() { ! kill -0 -- "-$1" 2>/dev/null; }
wait_for 10 gone_group "$pid"
ok $? "nothing the browser started is left running"
done_testing

#!/bin/bash
# The status site through the whole pipeline: glance runs real plugins
# (glance's check_ping on loopback, monitoring-plugins' check_dummy with a
# hostile SMTP banner, an internal system with secret output), derives the
# view and renders it. Then the HTML, feeds and JSON are checked with
# xmllint and python3's json module, and a render that fails half-way (a
# file size limit) must leave the previous site byte for byte.
. "$(dirname "$0")/../lib.sh"
G=$B/glance
MP=/usr/lib/nagios/plugins
NOW=1749780000
[ -x "$G" ] || skip_all "glance is not built"
[ -x "$MP/check_dummy" ] || skip_all "monitoring-plugins' check_dummy is missing"
cd "$T" || exit 1

cat >isp.conf <<CONF
[site]
title = Server and System Status
name = Example ISP
base_url = https://status.example.net/
output = public
state = glance.db
path = $MP

[defaults]
interval = 60
retry = 20
attempts = 1
timeout = 5

[system NC036]
name = Server NC036
location = Amsterdam, Netherlands
role = Mail server
ping = PING
services = SMTP

[check NC036/PING]
command = $B/plugins/check_ping -H 127.0.0.1 -p 2 -i 10

[check NC036/SMTP]
command = check_dummy 0 '220 mx <script>alert(1)</script> ]]> "dq" & ESMTP'

[system LAB]
location = Vancouver, Canada
visibility = internal
ping = PING
services = disk

[check LAB/PING]
command = check_dummy 0 'PING OK - LABSECRET-RTA'

[check LAB/disk]
command = check_dummy 2 'LABSECRET-disk full'
CONF

xp() { xmllint --html --xpath "$2" "public/$1" 2>/dev/null; }

run "$G" run --once -c isp.conf --now $NOW
is "$rc" 0 "glance run --once renders the site"
run "$G" notice add -c isp.conf --now $((NOW + 60)) --title "Mail delayed" --system NC036 \
	--state investigating --tags "mail server, <b>" --body 'Queue is *long* <script>x()</script>'
is "$rc" 0 "an operator notice is added"
run "$G" render -c isp.conf --now $((NOW + 120))
is "$rc" 0 "glance render"
like "$(readlink public)" '^public\.gen-[A-Za-z0-9]{6}$' "the site is a link to a generation"

mapfile -t pages < <(find -L public -name '*.html' -o -name '*.rss' -o -name '*.atom' -o -name '*.svg')
run xmllint --noout "${pages[@]}"
is "$rc" 0 "all ${#pages[@]} pages, feeds and badges are well-formed XML"
is "$(xp index.html "string(//tr[@id='sys-NC036']/td[2])")" "✔ Operational" "public system status"
like "$(xp index.html "string(//tr[@id='sys-NC036']/td[3])")" '^Up \([0-9.]+ ms\)$' \
	"ping up, RTT from check_ping's perfdata"
is "$(xp index.html "concat(//tr[@id='sys-LAB']/td[2], '|', count(//tr[@id='sys-LAB']/td[3]/@title))")" \
	"○ Internal|0" "internal system: status Internal, no ping detail"
is "$(xp systems/NC036/index.html "string(//table[@class='services']/tbody/tr[2]/td[1])")" \
	"OK: 220 mx <script>alert(1)</script> ]]> \"dq\" & ESMTP" "SMTP banner shown as text, exact"
is "$(xp index.html "concat(//article[1]/h3/a, '|', //article[1]//span[@class='badge'], '|', normalize-space(//article[1]/div))")" \
	"NC036: Mail delayed|Investigating|Queue is long <script>x()</script>" \
	"operator notice: title, state, Markdown body with its raw HTML as text"
run grep -Rl LABSECRET public
is "$out" "" "the internal system's output is nowhere in the site"
# Each page ends with its own local-time script, on a line of its own;
# any other "<script" would come from a text.
run bash -c "grep -i --include='*.html' --include='*.rss' --include='*.atom' --include='*.svg' -R -h '<script' public | grep -v -x '<script>'"
is "$out" "" "no page or feed carries a raw <script (only the page's own local-time script)"
run python3 -c '
import json
s = json.load(open("public/status.json"))
c = json.load(open("public/api/v2/components.json"))
lab = s["systems"][1]
print(s["schema_version"], s["systems"][0]["status"], lab["status"], sorted(lab),
      [(x["id"], x["status"]) for x in c["components"]], s["notices"][0]["status"])'
is "$out" "1 operational internal ['id', 'internal', 'links', 'location', 'name', 'ping', 'role', 'status', 'status_text'] [('NC036', 'operational')] investigating" \
	"status.json and the Statuspage components: internal system reduced, not a component"
is "$(xmllint --xpath 'count(/rss/channel/item)' public/systems/NC036/feed.rss)" 1 \
	"per-system RSS feed carries the system's notice"

# A render that fails half-way: a body that grows fivefold when escaped,
# and a file size limit the store fits under but index.html does not.
awk 'BEGIN { for (i = 0; i < 50000; i++) printf "< "; print "" }' >big.md
run "$G" notice add -c isp.conf --now $((NOW + 180)) --title "Big" --system NC036 --body-file big.md
is "$rc" 0 "a large notice is added"
run "$G" render -c isp.conf --now $((NOW + 240))
is "$rc" 0 "and rendered"
cp -rL public saved
link=$(readlink public)
limit=$(($(stat -c %s glance.db) / 1024 + 48))
run bash -c "trap '' XFSZ; ulimit -f $limit; exec \"$G\" render -c isp.conf --now $((NOW + 300))"
is "$rc" 1 "render under a ${limit} KiB file size limit fails"
like "$(cat "$T/stderr")" '^glance: render: writing \./public\.gen-[A-Za-z0-9]{6}/[a-z.]+: File too large$' "and says why"
run diff -r saved public
is "$rc" 0 "failed render: the previous site is byte-identical"
is "$(readlink public)" "$link" "failed render: the link is unchanged"
is "$(find . -maxdepth 1 -name 'public.gen-*' | wc -l)" 2 \
	"failed render: no directory is left behind (current and previous remain)"
done_testing

#!/bin/bash
# make demo, end to end: real Postfix, nsd and s_server on loopback, the
# example ISP's checks, a maintenance window, a real mail outage and a
# real ping outage; the site it writes is parsed and checked against the
# times the demo itself reports. tests/demo/site runs the demo in a
# network namespace of its own (once per build, shared with browser.t)
# and writes down what was left in it when the demo ended.
. "$(dirname "$0")/../lib.sh"

D=$("$SRC/tests/demo/site" "$B") || { echo "Bail out! the demo site could not be built"; exit 1; }
out=$D/site
is "$(cat "$D/rc")" 0 "the demo runs to the end"
is "$(tail -n 1 "$D/out")" "$out/index.html" "it prints the path of index.html"
[ "$(cat "$D/rc")" = 0 ] || sed 's/^/# /' "$D/err"
cp "$D/out" "$T/demo.out"

idx=$out/index.html
# The table: one row per system, "Loc. | System | Status | Ping".
row() {  # row SYSTEM: the row's cells as text, '|'-separated
	xmllint --html --xpath "//table[@class='glance']//tr[th/a[normalize-space()='$1']]/*[self::td or self::th]" "$idx" 2>/dev/null |
		sed -e 's/<[^>]*>//g' | tr -s ' \n' ' '
}
for s in NC023 NC033 NC035 NC036 NC042; do
	like "$(row $s)" "Operational" "$s is Operational after the story"
done
like "$(xmllint --html --xpath "string(//p[contains(@class,'overall')])" "$idx" 2>/dev/null)" \
	"All systems operational\$" "the headline: all systems operational (a certificate reminder is no outage)"
like "$(row NC028)" "Internal" "NC028 is shown as Internal"
like "$(row NC036)" "Up \([0-9.]+ ms\)" "the Ping column shows Up with the round trip"
like "$(row NC036)" "Amsterdam, Netherlands" "the location column"
size=$(stat -c %s "$idx")
ok "$([ "$size" -lt 30000 ]; echo $?)" "index.html is under 30 KB uncompressed ($size bytes)"

text=$(sed -e 's/<[^>]*>/ /g' "$idx" | tr -s ' \n' ' ')
# xp FILE XPATH: the XPath's string value in one of the site's pages
xp() { xmllint --html --xpath "$2" "$1" 2>/dev/null; }
# What a reader sees first: the open incident pinned above the table with
# the operator's latest words; next week's maintenance under the table,
# with what it is for.
pin="//section[@class='pinned']/article"
is "$(xp "$idx" "concat(count($pin), '|', normalize-space($pin/h3), '|', normalize-space($pin//span[@class='badge']))")" \
	"1|NC036: Server down|Monitoring" "the ping outage's incident is pinned, monitoring"
like "$(xp "$idx" "normalize-space($pin/div[@class='body'])")" "^The mail server answers again\. .*watching the link\.\$" \
	"with the operator's latest update in full"
is "$(xp "$idx" "count($pin/following::table[@class='glance'])")" 1 "above the table"
up="//section[@class='upcoming']/article"
like "$(xp "$idx" "concat(count($up), '|', normalize-space($up/h3), '|', normalize-space($up/div[@class='body']))")" \
	"^1\|NC036: Server maintenance\|Server NC036 will be down for maintenance for up to 2 hours, .* Moving the mail store to faster disks\.\$" \
	"next week's maintenance is listed with what it is for"
is "$(xp "$idx" "count($up/preceding::table[@class='glance'])")" 1 "under the table"
like "$(cat "$out/status.txt")" $'\nOpen incidents:\n  NC036: Server down - Monitoring - since [0-9]+ [A-Z][a-z]+ 20[0-9]{2} [0-9:]+ \\+0000\n    https://status\\.example\\.net/notices/[0-9]+\\.html\n' \
	"status.txt names the open incident too, for curl"
# Every day of the 90 as text. The story began six hours before the
# demo ended, so it may span two UTC days: the days NC036 was down are
# the days its two outages fell on (the demo's own dates), each listed
# with its figure; every other day of the story is fully up; the days
# before the story are without data, on one line.
days="//tr[th/a='NC036']/following-sibling::tr[1]//details"
dated() {  # dated WORD: the start and end dates the demo said on its WORD line
	sed -n "s/^demo: $1.* from \([0-9-]*\) [0-9:]* to \([0-9-]*\) [0-9:]* UTC\$/\1 \2/p" "$T/demo.out"
}
down=$( (dated "NC036 SMTP"; dated "NC036 did not answer ping") | tr ' ' '\n' | sort -u)
want=$(python3 - "$out/status.json" $down <<'PY'
import json, sys
s = [s for s in json.load(open(sys.argv[1]))["systems"] if s["id"] == "NC036"][0]
daily, down = s["daily_uptime"], len(sys.argv) - 2
none = sum(u is None for u in daily)   # the days before the story
up = len(daily) - none - down           # the story's other days
parts = (["%d fully up" % up] if up else []) + ["%d with downtime" % down, "%d without data" % none]
print("Last %d days: %s" % (len(daily), ", ".join(parts)))
PY
)
got=$(xp "$idx" "normalize-space($days/summary)"; echo
	xmllint --html --xpath "$days/ul/li" "$idx" 2>/dev/null | sed 's/<li>/\n/g; s/<[^>]*>//g' | sed '/^$/d')
is "$(head -n 1 <<<"$got")" "$want" "NC036's days counted: the story's $(wc -w <<<"$down") with downtime"
for d in $down; do
	f=$(date -u -d "$d" '+%-d %B %Y')
	like "$got" $'\n'"$f: [0-9]{1,2}(\\.[0-9]+)?% up"$'(\n|$)' "the outage's day, $f, is listed with its figure below 100 %"
done
like "$(tail -n 1 <<<"$got")" "^[0-9]+ [A-Z][a-z]+( 20[0-9]{2})? – [0-9]+ [A-Z][a-z]+ 20[0-9]{2}: no data\$" \
	"the days before the story are without data, on one line"
# The post-mortem's own headings follow its title's level, never skipping.
pm=$(grep -l '<title>NC036: Post-mortem</title>' "$out"/notices/*.html | head -n 1)
is "$(xp "${pm:-/dev/null}" "concat(name(//article/*[1]), ' ', name((//article//div[@class='body']/*[self::h2 or self::h3 or self::h4 or self::h5])[1]), ' ', name((//article//div[@class='body']/*[self::h2 or self::h3 or self::h4 or self::h5])[2]), ' ', normalize-space(//article/*[1]))")" \
	"h2 h3 h4 NC036: Post-mortem" "the post-mortem on its page: its headings one level under its title, none skipped"
like "$text" "NC023: Server maintenance" "the maintenance was announced"
like "$text" "NC023: Maintenance underway" "then underway"
like "$text" "NC023: Maintenance complete" "then complete"
like "$text" "after 1 hour" "with its actual length"
like "$text" "NC036: Mail not accepted" "the operator's update is shown"
like "$text" "NC036: Update 2" "the operator's closing update is shown"
is "$(python3 -c 'import json,sys; print(",".join("%s: %s" % (i["name"], i["status"]) for i in json.load(open(sys.argv[1]))["incidents"]))' "$out/api/v2/incidents/unresolved.json")" \
	"NC036: Server down: monitoring" \
	"one incident is left open, the ping outage the operator monitors (the mail one is resolved, the certificate warning is none)"
like "$text" "NC036: Service restored" "the outage's end is posted"
# hhmm WORD: the HH:MM of the times the demo said "from X to Y" on its WORD line
hhmm() { sed -n "s/^demo: $1.* from [0-9-]* \([0-9:]*\) to [0-9-]* \([0-9:]*\) UTC\$/\1 \2/p" "$T/demo.out"; }
read -r m0 m1 <<<"$(hhmm "NC036 SMTP")"
read -r p0 p1 <<<"$(hhmm "NC036 did not answer ping")"
ok "$([ -n "$m1" ] && [ -n "$p1" ]; echo $?)" "the demo reports both outages' times ($m0-$m1, $p0-$p1)"
like "$text" "NC036: Service restored [^<]* They were disrupted for 8 minutes between $m0 and $m1 UTC\." \
	"the mail outage from its first failed check to its first OK: the demo's own times"
back=$(grep -l '<title>NC036: Server back online</title>' "$out"/notices/*.html | head -n 1)
like "$(sed -e 's/<[^>]*>/ /g' "${back:-/dev/null}" | tr -s ' \n' ' ')" \
	"NC036: Server back online [^<]* It was down for 6 minutes between $p0 and $p1 UTC\." \
	"the ping outage: 'Server back online' on its page, with the demo's own times"
incidents() {  # name: number of updates, first automatic update's status, for each incident
	python3 -c 'import json,sys
for i in json.load(open(sys.argv[1]))["incidents"]:
    print("%s: %d %s" % (i["name"], len(i["incident_updates"]), i["incident_updates"][-2]["status"]))' "$out/api/v2/incidents.json"
}
like "$(incidents)" "NC036: Mail not accepted: 5 identified" \
	"one mail incident: the operator's post, the automatic disruption and recovery, the operator's close and post-mortem; the automatic update stays identified"
case "$(incidents)" in *"NC036: Service disruption"*) d=1 ;; *) d=0 ;; esac
is "$d" 0 "no second incident for the same outage"
up=$(python3 -c 'import json,sys; print([s["uptime"]["24h"] for s in json.load(open(sys.argv[1]))["systems"] if s["id"] == "NC036"][0] < 1)' "$out/status.json")
is "$up" True "NC036's uptime on the day of its outages is below 100 %"
like "$text" "[0-9]{1,2} [A-Z][a-z]+ 20[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2} \+0000" \
	"dates in the long style"
case "$text" in *"NC042: "*) d=1 ;; *) d=0 ;; esac
is "$d" 0 "a certificate expiring in 20 days posts no notice (impact none)"
like "$(sed -e 's/<[^>]*>/ /g' "$out/systems/NC042/index.html" | tr -s ' \n' ' ')" "HTTPS WARNING .* certificate expires in (19|20) days" \
	"but its own page shows the warning"
# Notices are dated when the rules could first post them, not by the
# pass that saw them: the last render is hours after the recovery.
at() {  # at TITLE N: the Nth time shown in the notice TITLE's meta lines, epoch
	date -u -d "$(xmllint --html --xpath "string((//article[h3[normalize-space()='$1']]//p[@class='meta']/time)[$2]/@datetime)" "$idx" 2>/dev/null)" +%s
}
is "$(($(at "NC036: Service restored" 1) - $(at "NC036: Service restored" 3)))" 300 \
	"the recovery is dated flap_min after the service came back"
is "$(($(at "NC036: Service disruption" 1) - $(at "NC036: Service disruption" 2)))" 300 \
	"the disruption is dated flap_min after it began"
is "$(at "NC023: Maintenance complete" 1)" "$(at "NC023: Maintenance complete" 3)" \
	"maintenance complete is dated at the window's end"
xmllint --noout "$out/feed.rss" "$out/feed.atom" 2>"$T/xml.err"
is "$?" 0 "both feeds are well-formed XML"
is "$(xmllint --xpath 'count(//item)' "$out/feed.rss")" \
	"$(xmllint --xpath 'count(//*[local-name()="entry"])' "$out/feed.atom")" \
	"RSS and Atom carry the same notices"
python3 -m json.tool "$out/api/v2/summary.json" >/dev/null 2>&1
is "$?" 0 "the Statuspage summary is valid JSON"
! grep -rq "DISK OK\|DISK WARNING\|DISK CRITICAL" "$out"
is "$?" 0 "the internal system's check output appears nowhere on the site"
# Every service the demo started is gone: no process is left in its
# namespace, and the route it took away is back.
is "$(tr '\n' ' ' <"$D/left")" "" "no process the demo started is left in its namespace"
grep -q "127.0.0.36" "$D/routes"
is "$?" 1 "the route the demo took away is back"
done_testing

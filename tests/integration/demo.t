#!/bin/bash
# make demo, end to end: real Postfix, nsd and s_server on loopback, the
# example ISP's checks, a maintenance window and a real outage; the site
# it writes is parsed and checked.
. "$(dirname "$0")/../lib.sh"

out=$T/site
"$SRC/tests/demo/run" "$B" "$out" >"$T/demo.out" 2>"$T/demo.err"
rc=$?
is "$rc" 0 "the demo runs to the end"
is "$(tail -n 1 "$T/demo.out")" "$out/index.html" "it prints the path of index.html"
[ "$rc" = 0 ] || sed 's/^/# /' "$T/demo.err"

idx=$out/index.html
# The table: one row per system, "Loc. | System | Status | Ping".
row() {  # row SYSTEM: the row's cells as text, '|'-separated
	xmllint --html --xpath "//tr[td[normalize-space()='$1'] or th[normalize-space()='$1']]//*[self::td or self::th]" "$idx" 2>/dev/null |
		sed -e 's/<[^>]*>//g' | tr -s ' \n' ' '
}
for s in NC023 NC033 NC035 NC036; do
	like "$(row $s)" "Operational" "$s is Operational after the story"
done
like "$(row NC042)" "Degraded" "NC042 (certificate expiring in 20 days) is Degraded"
like "$(row NC028)" "Internal" "NC028 is shown as Internal"
like "$(row NC036)" "Up \([0-9.]+ ms\)" "the Ping column shows Up with the round trip"
like "$(row NC036)" "Amsterdam, Netherlands" "the location column"

text=$(sed -e 's/<[^>]*>/ /g' "$idx" | tr -s ' \n' ' ')
like "$text" "NC023: Server maintenance" "the maintenance was announced"
like "$text" "NC023: Maintenance underway" "then underway"
like "$text" "NC023: Maintenance complete" "then complete"
like "$text" "after 1 hour" "with its actual length"
like "$text" "NC036: Mail not accepted" "the operator's update is shown"
like "$text" "NC036: Update 2" "the operator's closing update is shown"
is "$(python3 -c 'import json,sys; print(",".join(i["name"] for i in json.load(open(sys.argv[1]))["incidents"]))' "$out/api/v2/incidents/unresolved.json")" \
	"NC042: Degraded service" "the only unresolved incident is the one still open (the operator resolved the mail incident)"
like "$text" "NC036: Service restored" "the outage's end is posted"
like "$text" "disrupted for 6 minutes between [0-9]{2}:[0-9]{2} and [0-9]{2}:[0-9]{2} UTC" \
	"with the real duration of the outage"
like "$text" "[0-9]{1,2} [A-Z][a-z]+ 20[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2} \+0000" \
	"dates in the seeds' style"
like "$text" "NC042: Degraded service .* HTTPS has reported a warning since [0-9]{2}:[0-9]{2} UTC \(degraded performance\)" \
	"a certificate expiring in 20 days is degraded service"
case "$text" in *"NC042: Service disruption"*) d=1 ;; *) d=0 ;; esac
is "$d" 0 "and not a disruption"
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
# Every service the demo started is gone: nothing answers on its ports.
ports=$(sed -n 's/^demo: .* on 127\.0\.0\.[0-9]*:\([0-9]*\)$/\1/p; s/^demo: nsd .* port \([0-9]*\)$/\1/p' "$T/demo.out")
is "$(echo $ports | wc -w)" 3 "the demo named the ports of its three services"
open=0
for p in $ports; do
	for a in 127.0.0.1 127.0.0.33 127.0.0.42; do
		(exec 3<>"/dev/tcp/$a/$p") 2>/dev/null && open=1
	done
done
is "$open" 0 "no service the demo started is left running"
done_testing

#!/bin/bash
# The operator's commands as typed: the times --start takes (in the
# configured zone), past windows, ending and cancelling, empty texts, ids
# that do not fit, and what each command says it did.
. "$(dirname "$0")/../lib.sh"
G=$B/glance
NOW=1796000000 # Monday 30 November 2026 00:53:20 UTC
[ -x "$G" ] || skip_all "glance is not built"
cd "$T" || exit 1

cat >o.conf <<CONF
[site]
title = Status
base_url = https://status.example.net/
timezone = Europe/Amsterdam
output = public
state = glance.db

[system NC036]
name = Server NC036
services = SMTP

[check NC036/SMTP]
command = /bin/true

[system NC037]
services = SMTP

[check NC037/SMTP]
command = /bin/true
CONF
oq() { sqlite3 glance.db "$1"; }

run "$G" maintenance schedule NC036 -c o.conf --now $NOW --start "tomorrow 02:00" --duration 1h
is "$rc/$out" "0/1" "--start 'tomorrow 02:00': scheduled, the window's id on stdout"
is "$(oq "SELECT start || ' ' || \"end\" FROM downtimes WHERE id = 1")" "1796086800 1796090400" \
	"tomorrow 02:00 in the configured zone (Amsterdam, UTC+1): 01:00 UTC"
is "$(cat "$T/stderr")" "glance maintenance: scheduled window 1, notice https://status.example.net/notices/1.html" \
	"it says what it did and the notice's address"
run "$G" maintenance schedule NC036 -c o.conf --now $NOW --start 2026-12-10T02:00Z --end "2026-12-10 04:00"
is "$rc/$(oq "SELECT start || ' ' || \"end\" FROM downtimes WHERE id = 2")" "0/1796868000 1796871600" \
	"ISO 8601 with Z, and an end without a zone in the configured one"
run "$G" maintenance schedule NC036 -c o.conf --now $NOW --start +2h --duration 30m
is "$rc/$(oq "SELECT start FROM downtimes WHERE id = 3")" "0/$((NOW + 7200))" "--start +2h"
run "$G" maintenance schedule NC036 -c o.conf --now $NOW --start "next tuesday" --duration 1h
is "$rc" 2 "an unknown form is a usage error"
is "$(wc -l <"$T/stderr")" 1 "on one line"
like "$(cat "$T/stderr")" "^glance maintenance: --start: 'next tuesday' is not a time; use epoch seconds, now, 2026-12-10T02:00Z, .*\"tomorrow 02:00\"" \
	"that lists the accepted forms"
run "$G" maintenance schedule NC036 -c o.conf --now $NOW --duration 1h
like "$(cat "$T/stderr")" "--start TIME is required" "no --start at all"
run "$G" maintenance schedule NC036 -c o.conf --now $NOW --start "2026-11-29 10:00" --duration 1h
is "$rc" 2 "a window wholly in the past is refused"
like "$(cat "$T/stderr")" "in the past: give --record" "and says how to record it"
run "$G" maintenance schedule NC036 -c o.conf --now $NOW --start "2026-11-29 10:00" --duration 1h --record
is "$rc/$out" "0/4" "with --record it is recorded"
like "$(cat "$T/stderr")" "^glance maintenance: recorded past window 4, notice " "as a past window"
run "$G" maintenance end 1 -c o.conf --now $NOW
is "$rc" 1 "end: an upcoming window cannot end"
like "$(cat "$T/stderr")" "use cancel" "and cancel is suggested"
for w in 1 4; do
	run "$G" maintenance cancel $w -c o.conf --now $NOW
	is "$rc/$(oq "SELECT cancelled FROM downtimes WHERE id = $w")" "0/1" "cancel window $w ($([ $w = 1 ] && echo upcoming || echo past))"
done
like "$(cat "$T/stderr")" "^glance maintenance: cancelled window 4, notice https://status.example.net/notices/[0-9]+\.html$" \
	"cancel says what it did"
is "$(oq "SELECT body FROM notices ORDER BY id DESC LIMIT 1")" \
	"The maintenance window from 29 November 2026 09:00 UTC is withdrawn: that time no longer counts as maintenance." \
	"a past window's cancellation says it no longer counts (10:00 in Amsterdam is 09:00 UTC)"
run "$G" maintenance cancel 4 -c o.conf --now $NOW
is "$rc/$(cat "$T/stderr")" "1/glance maintenance: window 4 is already cancelled" "cancelling twice fails"
run "$G" maintenance end 99999999999999999999 -c o.conf --now $NOW
is "$rc" 2 "an id that does not fit is a bad id"
like "$(cat "$T/stderr")" "'99999999999999999999' is not a window id" "not clamped"
run "$G" maintenance schedule NC036 -c o.conf --now $NOW --start +1h --duration 1h --title " "
is "$rc" 2 "an empty maintenance title is refused"

run "$G" notice add -c o.conf --now $NOW --system NC036 --title "Mail delayed" --state investigating
is "$rc" 0 "notice add"
id=$out
is "$(cat "$T/stderr")" "glance notice: posted notice $id, https://status.example.net/notices/$id.html (on the site after the next render)" \
	"it says what it did and the notice's address"
run "$G" notice add -c o.conf --now $NOW --system NC036 --title ""
is "$rc" 2 "an empty title is refused"
run "$G" notice add -c o.conf --now $NOW --system NC036 --title "x" --body $'  \n'
is "$rc" 2 "an empty body is refused"
like "$(cat "$T/stderr")" "the body is empty" "and says so"
: >empty.md
run "$G" notice add -c o.conf --now $NOW --system NC036 --title "x" --body-file empty.md
is "$rc" 1 "an empty body file is refused"
run "$G" notice edit "$id" -c o.conf --now $NOW --title " "
is "$rc" 2 "edit: an empty title is refused"
run "$G" notice edit 99999999999999999999 -c o.conf --title y
is "$rc" 2 "edit: an id that does not fit is a bad id"
run "$G" notice add -c o.conf --now $NOW --title y --incident 99999999999999999999
is "$rc" 2 "--incident: an id that does not fit is a bad id"
run "$G" notice add -c o.conf --now $NOW --system NC037 --incident "$id" --title "Also"
is "$rc" 1 "an update for a system that is not the incident's is refused"
like "$(cat "$T/stderr")" "is about NC036, not NC037" "and says whose it is"
run "$G" notice retract "$id" -c o.conf
like "$(cat "$T/stderr")" "^glance notice: retracted notice $id, " "retract says what it did"

sed 's|^timezone = .*|timezone = Mars/Olympus|' o.conf >bad.conf
run "$G" notice list -c bad.conf
is "$rc" 1 "an unknown timezone in the config fails"
like "$(cat "$T/stderr")" "timezone: 'Mars/Olympus' is not a zone this system knows" "with a clear message"
done_testing

#!/bin/bash
# check_ping on loopback: real echo requests to 127.0.0.1, ::1 and a
# thousand addresses of 127.0.0.0/8; output, perfdata and usage errors.
. "$(dirname "$0")/../lib.sh"
P=$B/plugins/check_ping

num='[0-9]+(\.[0-9]{1,3})?'
perf1="rta=${num}ms;200;500;0 pl=0%;40;80;0;100 rtmin=${num}ms;;;0 rtmax=${num}ms;;;0 jitter=${num}ms;;;0"

# --- one host, each family ---------------------------------------------
elapsed_ms "$P" -H 127.0.0.1
is "$rc" 0 "127.0.0.1: exit 0"
like "$first" "^PING OK - Packet loss = 0%, RTA = [0-9]+\.[0-9]{2} ms\|${perf1}\$" \
	"127.0.0.1: status line and perfdata as check_ping prints them"
is "$out" "$first" "one host: no long output"
is "$(cat "$T/stderr")" "" "nothing on stderr without -v"
ok $((ms < 400 || ms > 2000)) "5 requests 100 ms apart take 0.4 to 2 s (took $ms ms)"

run "$P" -H ::1 -w 100,20% -c 500,60%
is "$rc" 0 "::1: exit 0"
like "$first" "^PING OK - Packet loss = 0%, RTA = [0-9.]+ ms\|rta=${num}ms;100;500;0 pl=0%;20;60;0;100 rtmin=${num}ms;;;0 rtmax=${num}ms;;;0 jitter=${num}ms;;;0\$" \
	"::1: -w/-c show in the perfdata"

# check_icmp's RTA-only thresholds: the loss thresholds keep their defaults.
run "$P" -H 127.0.0.1 -w 100 -c 200
is "$rc" 0 "RTA-only -w 100 -c 200: exit 0"
like "$first" "^PING OK - Packet loss = 0%, RTA = [0-9.]+ ms\|rta=${num}ms;100;200;0 pl=0%;40;80;0;100 " \
	"RTA-only -w/-c: RTA as given, loss at the defaults 40%/80%"

run "$P" -4 -H localhost -p 2 -i 10
is "$rc" 0 "-4 -H localhost: exit 0"
like "$first" "^PING OK - Packet loss = 0%, RTA = " "-4 -H localhost resolves to IPv4"

run "$P" -4 -H localhost,127.0.0.2 -p 1
like "$out" $'\nlocalhost \\(127\\.0\\.0\\.1\\): OK - Packet loss = 0%, RTA = [0-9.]+ ms\n127\\.0\\.0\\.2: OK - ' \
	"long output names the address a host name resolved to"
like "$first" '\|localhostrta=' "perfdata labels use the host as given"

run "$P" -H 127.0.0.1 -n 3 -i 1 -v
is "$rc" 0 "-n (check_icmp's letter for -p): exit 0"
like "$(cat "$T/stderr")" '3 requests sent, 3 answered' "-n 3 sends three requests"

# A name that does not resolve is UNKNOWN, as in every plugin, with no
# perfdata: nothing was measured. -4 with an IPv6 literal fails inside
# getaddrinfo(); a name that exists nowhere is asked in a network
# namespace of its own, where the resolver's query cannot leave.
run "$P" -4 -H ::1 -p 1
is "$rc" 3 "-4 with an IPv6 literal: exit 3"
like "$out" "^PING UNKNOWN - cannot resolve '::1' \\(IPv4\\): [^|]+\$" \
	"-4 with an IPv6 literal: UNKNOWN naming the host, no perfdata"
run unshare -n "$P" -H nosuch.invalid -p 1
is "$rc" 3 "a name that exists nowhere: exit 3"
like "$out" "^PING UNKNOWN - cannot resolve 'nosuch\\.invalid': [^|]+\$" \
	"a name that exists nowhere: UNKNOWN naming it"

# The incumbent's check_ping and ours print the same first line shape.
peer=/usr/lib/nagios/plugins/check_ping
run "$peer" -H 127.0.0.1 -w 100,20% -c 500,60% -p 1
peer_first=$first
run "$P" -H 127.0.0.1 -w 100,20% -c 500,60% -p 1
like "$peer_first" '^PING OK - Packet loss = 0%, RTA = [0-9]+\.[0-9]{2} ms\|' "peer check_ping's line shape"
like "$first" '^PING OK - Packet loss = 0%, RTA = [0-9]+\.[0-9]{2} ms\|rta=' "ours has the same shape"

# --- thresholds: RTA reaching the limit ---------------------------------
run "$P" -H 127.0.0.1 -p 2 -i 10 -w 0,100% -c 500,100%
is "$rc" 1 "RTA >= warning 0 ms: exit 1"
like "$first" "^PING WARNING - Packet loss = 0%, RTA = [0-9.]+ ms\|rta=${num}ms;0;500;0 pl=0%;100;100;0;100 " \
	"RTA >= warning: WARNING"
run "$P" -H 127.0.0.1 -p 2 -i 10 -w 0,100% -c 0,100%
is "$rc" 2 "RTA >= critical 0 ms: exit 2"
like "$first" "^PING CRITICAL - Packet loss = 0%, RTA = " "RTA >= critical: CRITICAL"
run "$P" -H 127.0.0.1 -p 2 -i 10 --rtmax=0,
is "$rc" 1 "--rtmax warning 0: exit 1"
like "$first" "^PING WARNING - Packet loss = 0%, RTA = [0-9.]+ ms, max RTT = [0-9.]+ ms\|.* rtmax=${num}ms;0;;0 " \
	"--rtmax: the max RTT is shown and its thresholds are in perfdata"

# A default never contradicts a threshold that was given.
run "$P" -H 127.0.0.1 -p 1 -w 600,10%
is "$rc" 0 "-w above the default critical RTA: exit 0"
like "$first" "^PING OK - Packet loss = 0%, RTA = [0-9.]+ ms\|rta=${num}ms;600;;0 pl=0%;10;80;0;100 " \
	"-w alone above the default critical: that default is dropped"
run "$P" -H 127.0.0.1 -p 1 -c 100,30%
is "$rc" 0 "-c below the default warning: exit 0"
like "$first" "^PING OK - Packet loss = 0%, RTA = [0-9.]+ ms\|rta=${num}ms;;100;0 pl=0%;;30;0;100 " \
	"-c alone below the default warnings: those defaults are dropped"

# --- many hosts ---------------------------------------------------------
hosts=()
for i in $(seq 0 999); do hosts+=("127.$((i / 250)).$((i % 7)).$((i % 250 + 1))"); done
list=$(IFS=,; echo "${hosts[*]}")
elapsed_ms "$P" -H "$list"
is "$rc" 0 "1000 loopback hosts: exit 0"
like "$first" '^PING OK - 1000/1000 hosts OK\|127\.0\.0\.1rta=' "1000 hosts: all OK, labels prefixed"
is "$(printf '%s\n' "$out" | tail -n +2 | grep -cE '^127\.[0-9.]+: OK - Packet loss = 0%, RTA = [0-9.]+ ms$')" 1000 \
	"1000 hosts: one long-output line each"
is "$(printf '%s\n' "$first" | tr ' |' '\n\n' | grep -cE '^127\.[0-9.]+(rta|pl|rtmin|rtmax|jitter)=')" 5000 \
	"1000 hosts: five perfdata items each"

# The global gap paces every request: 200 hosts x 1 request 2 ms apart
# take 0.4 s however fast loopback answers (less at most the 10 ms the
# pacing may catch up after a late wake-up).
list200=$(IFS=,; echo "${hosts[*]:0:200}")
elapsed_ms "$P" -H "$list200" -p 1 -I 2
is "$rc" 0 "-I 2 with 200 hosts: exit 0"
ok $((ms < 380)) "-I 2: 200 requests take at least 0.39 s ($ms ms)"
paced=$ms
elapsed_ms "$P" -H "$list200" -p 1 -I 0
ok $((ms >= paced)) "-I 0: the same 200 requests without the gap take less ($ms ms < $paced ms)"

# One name that does not resolve among several: that host is UNKNOWN and
# named, the others are pinged, and the worst host decides.
run "$P" -H 127.0.0.1 -H ::1,127.0.0.2 -4 -p 2 -i 10
is "$rc" 3 "-H repeated and comma-separated, one host of the wrong family: exit 3"
like "$first" "^PING UNKNOWN - 2/3 hosts OK, 1 UNKNOWN: ::1 \\(cannot resolve '::1' \\(IPv4\\): [^)]+\\)\\|127\\.0\\.0\\.1rta=" \
	"the host that does not resolve is named in the summary"
like "$out" $'\n127\\.0\\.0\\.1: OK - Packet loss = 0%, RTA = [0-9.]+ ms\n::1: UNKNOWN - cannot resolve \'::1\' \\(IPv4\\): [^\n]+\n127\\.0\\.0\\.2: OK - Packet loss = 0%' \
	"long output: one line per host, in order"
like "$first" '\|127\.0\.0\.1rta=[^ ]+ 127\.0\.0\.1pl=[^ ]+ 127\.0\.0\.1rtmin=[^ ]+ 127\.0\.0\.1rtmax=[^ ]+ 127\.0\.0\.1jitter=[^ ]+ 127\.0\.0\.2rta=[^ ]+ 127\.0\.0\.2pl=[^ ]+ 127\.0\.0\.2rtmin=[^ ]+ 127\.0\.0\.2rtmax=[^ ]+ 127\.0\.0\.2jitter=[^ ]+$' \
	"perfdata for the two hosts pinged, none for the one that does not resolve"
run "$P" -H 127.0.0.1,::1 -4 -p 2 -i 10 -w 0,100% -c 0,100%
is "$rc" 2 "a CRITICAL host beside one that does not resolve: exit 2"
like "$first" "^PING CRITICAL - 0/2 hosts OK, 1 CRITICAL, 1 UNKNOWN: 127\\.0\\.0\\.1 \\(Packet loss = 0%, RTA = [0-9.]+ ms\\), ::1 \\(cannot resolve " \
	"CRITICAL outranks UNKNOWN: a name that does not resolve hides no failure"

run "$P" -H 127.0.0.1,::1,127.0.0.2 -4 -p 2 -i 10 -m 2
is "$rc" 0 "-m 2 with 2 of 3 OK, the third does not resolve: exit 0"
like "$first" '^PING OK - 2/3 hosts OK \(2 required\), 1 UNKNOWN: ::1 ' "-m: OK names the required count and the UNKNOWN host"
run "$P" -H 127.0.0.1,::1,127.0.0.2 -4 -p 2 -i 10 -m 3
is "$rc" 3 "-m 3 with 2 of 3 OK, the third does not resolve: exit 3"
like "$first" '^PING UNKNOWN - 2/3 hosts OK \(3 required\), 1 UNKNOWN: ::1 ' \
	"-m: UNKNOWN when only the host that could not be checked keeps the count from N"
run "$P" -H 127.0.0.1,::1,127.0.0.2 -4 -p 2 -i 10 -m 3 -w 0,100% -c 0,100%
is "$rc" 2 "-m 3 with 2 CRITICAL, 1 UNKNOWN: exit 2"
like "$first" '^PING CRITICAL - 0/3 hosts OK \(3 required\), 2 CRITICAL, 1 UNKNOWN' \
	"-m: CRITICAL when even the UNKNOWN host could not make up N"
run "$P" -H 127.0.0.1,127.0.0.2 -p 2 -i 10 -m 2 -w 0,100% -c 0,100%
is "$rc" 2 "-m 2 with two CRITICAL hosts: exit 2"
like "$first" '^PING CRITICAL - 0/2 hosts OK \(2 required\), 2 CRITICAL' "-m: CRITICAL when too few are OK"
run "$P" -H 127.0.0.1,127.0.0.2 -p 2 -i 10 -w 0,100% -c 500,100% -m 2
is "$rc" 1 "-m 2 with two WARNING hosts: exit 1"
like "$first" '^PING WARNING - 0/2 hosts OK \(2 required\), 2 WARNING: 127\.0\.0\.1 \(Packet loss = 0%, RTA = ' \
	"-m: WARNING when enough are OK or WARNING"

# --- verbose ------------------------------------------------------------
run "$P" -H 127.0.0.1 -p 1 -v
is "$rc" 0 "-v: exit 0"
like "$(cat "$T/stderr")" 'IPv4: (datagram|raw) socket, echo id [0-9]+' "-v tells the socket kind and echo id"
like "$(cat "$T/stderr")" 'after privilege drop: uid [0-9]+ euid [0-9]+ CapEff:.0000000000000000' \
	"-v shows no capability is left after the drop"

# Another check pinging at the same time: every raw ICMP socket gets every
# reply, and the kernel filter must keep the other's replies from us. Ours
# starts once the other has sent its first request (its -vvv log says so)
# and must end while the other still runs, so the two really overlap.
"$P" -H 127.0.0.1,::1 -p 100 -i 10 --socket=raw -vvv >"$T/other" 2>"$T/other.err" &
other=$!
track $other
wait_for 5 grep -q 'echo request seq [0-9]* sent' "$T/other.err"
ok $? "the other check has started sending"
run "$P" -H 127.0.0.2,::1 -p 20 -i 10 --socket=raw -v
is "$rc" 0 "beside another raw check: exit 0"
like "$(cat "$T/stderr")" '40 requests sent, 40 answered; 0 replies matched nothing of this run' \
	"the other check's replies never reach us (kernel filter on the echo id)"
kill -0 "$other" 2>/dev/null
ok $? "the other check was still pinging when ours ended"
wait $other
like "$(cat "$T/other")" '^PING OK - 2/2 hosts OK\|' "and the other check got all its own"

# --- usage errors: UNKNOWN with a one-line reason ------------------------
usage() {
	local want=$1
	shift
	run "$P" "$@"
	is "$rc" 3 "$* : exit 3"
	is "$first" "$want" "$* : reason"
}
usage "PING UNKNOWN - no host given (-H)" -w 100,20%
usage "PING UNKNOWN - warning RTA 100 must not be greater than critical 50" -H 127.0.0.1 -w 100,20% -c 50,60%
usage "PING UNKNOWN - warning packet loss 70 must not be greater than critical 60" -H 127.0.0.1 -w 100,70% -c 200,60%
usage "PING UNKNOWN - -w: 'abc' is not RTA,PL% (RTA in ms, e.g. 100,20%)" -H 127.0.0.1 -w abc
usage "PING UNKNOWN - -c: packet loss '120%' is not a percentage 0..100" -H 127.0.0.1 -c 100,120%
usage "PING UNKNOWN - -p: '0' is not an integer in 1..10000" -H 127.0.0.1 -p 0
usage "PING UNKNOWN - -b: '10' is not an integer in 24..65000" -H 127.0.0.1 -b 10
usage "PING UNKNOWN - --socket: 'tcp' is not auto, dgram or raw" -H 127.0.0.1 --socket=tcp
usage "PING UNKNOWN - -m 3: only 2 hosts given" -H 127.0.0.1,127.0.0.2 -m 3
usage "PING UNKNOWN - -s 127.0.0.1 does not match -4/-6" -H ::1 -6 -s 127.0.0.1
usage "PING UNKNOWN - -s: 'localhost' is not a numeric address" -H 127.0.0.1 -s localhost
usage "PING UNKNOWN - --jitter: 'x': not a number or range" -H 127.0.0.1 --jitter=x
usage "PING UNKNOWN - --jitter: '1,2,3': not WARN[,CRIT]" -H 127.0.0.1 --jitter=1,2,3
usage "PING UNKNOWN - --jitter: warning '5' could never be reported: critical '2' covers it" -H 127.0.0.1 --jitter=5,2

run "$P" --help
is "$rc" 3 "--help: exit 3"
like "$out" '-w, --warning=RTA\[,PL%\]' "--help lists -w"
like "$out" '--socket=auto\|dgram\|raw' "--help lists --socket"

# --- size, TTL and source on loopback ------------------------------------
run "$P" -H 127.0.0.5 -p 2 -i 10 -b 1400 -l 5 -s 127.0.0.1
is "$rc" 0 "-b 1400 -l 5 -s 127.0.0.1: exit 0"
like "$first" '^PING OK - Packet loss = 0%, RTA = ' "large requests with a TTL and source are answered"
run "$P" -H ::1 -p 2 -i 10 -s ::1
is "$rc" 0 "-s ::1: exit 0"

# --- what the binaries link ---------------------------------------------
# check_ping speaks no TLS, so no TLS library may come with it; and no
# plugin carries the collector's store, HTTP or Markdown libraries, nor
# JSON but check_mailqueue (postqueue -j is one JSON object a line).
needed() { readelf -d "$1" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | tr '\n' ' '; }
libs=$(needed "$P")
like "$libs" 'libc\.so' "readelf lists check_ping's libraries ($libs)"
[[ $libs != *libssl* && $libs != *libcrypto* ]]
ok $? "check_ping needs neither libssl nor libcrypto"
seen=" "
for plugin in "$B"/plugins/check_*; do
	name=${plugin##*/}
	[[ -x $plugin && $name != *.* ]] || continue # not check_dns.d
	seen+="$name "
	libs=$(needed "$plugin")
	[[ $libs != *sqlite* && $libs != *cmark* && $libs != *curl* ]] &&
		[[ $libs != *jansson* || $name == check_mailqueue ]]
	ok $? "$name links no collector library ($libs)"
done
# the loop's own filter must not be what lets it pass
missing=
for src in "$SRC"/plugins/*.c; do
	name=$(basename "$src" .c)
	[[ $seen == *" $name "* ]] || missing+=" $name"
done
is "$missing" "" "every plugin of plugins/*.c was looked at"

done_testing

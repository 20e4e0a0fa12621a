#!/bin/bash
# The sharp edges an attacker went for: empty and overlong names in every
# plugin's options, lock files planted as symlinks, and the RSS channel
# description (config text) that must reach a reader as text, not HTML.
. "$(dirname "$0")/../lib.sh"
P=$B/plugins
G=$B/glance
LONG=$(printf 'a%.0s' $(seq 300))

# plugin and options | the status line
while IFS='|' read -r cmd want; do
	# shellcheck disable=SC2086
	eval "run $P/$cmd"
	is "$rc" 3 "$cmd: UNKNOWN"
	is "$first" "$want" "$cmd: names the option"
done <<TABLE
check_tls_cert -H 127.0.0.1 -N ''|TLS UNKNOWN - -N: an empty NAME is not allowed
check_tls_cert -H 127.0.0.1 --sni ''|TLS UNKNOWN - --sni: an empty NAME is not allowed
check_tls_cert -H 127.0.0.1 --ca-file ''|TLS UNKNOWN - --ca-file: an empty FILE is not allowed
check_tls_cert -H ''|TLS UNKNOWN - -H: an empty HOST is not allowed
check_smtp -H ''|SMTP UNKNOWN - -H: an empty ADDRESS is not allowed
check_smtp -H 127.0.0.1 --rcpt ''|SMTP UNKNOWN - --rcpt: an empty ADDR is not allowed
check_dns -H ''|DNS UNKNOWN - -H: an empty NAME is not allowed
check_dns -H www.example.test -s ''|DNS UNKNOWN - -s: an empty SERVER[@PORT] is not allowed
check_snmp_extend -H 127.0.0.1 -e ''|EXTEND UNKNOWN - -e: an empty NAME is not allowed
check_ping -H ''|PING UNKNOWN - -H: an empty HOST[,HOST...] is not allowed
check_disk -p ''|DISK UNKNOWN - -p: an empty PATH is not allowed
check_tls_cert -H $LONG|TLS UNKNOWN - -H: the HOST is longer than 254 characters
check_dns -H $LONG|DNS UNKNOWN - -H: the NAME is longer than 254 characters
TABLE

# -f '' is the null sender, the one empty value that means something
port=$(free_port)
run "$P/check_smtp" -H 127.0.0.1 -p "$port" -f '' -t 2
is "$rc" 2 "check_smtp -f '': accepted (CRITICAL: nothing listens)"
like "$first" "^SMTP CRITICAL - connect to 127.0.0.1: Connection refused" "check_smtp -f '': reaches the connect"

# lock files planted as symlinks are never followed
conf() {
	mkdir -p "$T/$1"
	printf '[site]\ntitle = T\ndescription = <b>bold</b> & co\noutput = public\nstate = g.db\n' >"$T/$1/c.conf"
	printf '[system S]\n[check S/x]\ncommand = check_dummy 0 fine\n' >>"$T/$1/c.conf"
}
conf site
ln -s "$T/victim-site" "$T/site/.public.lock"
run "$G" run --once -c "$T/site/c.conf"
ok "$([ "$rc" != 0 ] && [ ! -e "$T/victim-site" ]; echo $?)" \
	".public.lock as a symlink: refused (rc $rc), its target not created"
like "$(cat "$T/stderr")" "\.public\.lock: Too many levels of symbolic links" "and the error names the lock"
conf store
ln -s "$T/victim-store" "$T/store/g.db.lock"
run "$G" run -q -c "$T/store/c.conf"
ok "$([ "$rc" = 1 ] && [ ! -e "$T/victim-store" ]; echo $?)" \
	"g.db.lock as a symlink: glance run exits 1 (rc $rc), its target not created"
like "$(cat "$T/stderr")" "g\.db\.lock: Too many levels of symbolic links" "and the error names the lock"

# the RSS channel description is text: HTML-escaped, then XML-escaped
conf feed
run "$G" run --once -c "$T/feed/c.conf"
is "$rc" 0 "a site with a description renders"
is "$(grep -o '<description>[^<]*</description>' "$T/feed/public/feed.rss" | head -1)" \
	"<description>&amp;lt;b&amp;gt;bold&amp;lt;/b&amp;gt; &amp;amp; co</description>" \
	"the RSS channel description decodes to text, not markup"
done_testing

#!/bin/bash
# make install: every file lands where README.md ("Install") says, with
# the plugin directory written into nagios-conf/ and the units; the units
# pass systemd-analyze verify; the manual pages render with man -l; the
# installed glance finds the installed plugins; make uninstall removes
# everything it put there.
. "$(dirname "$0")/../lib.sh"

for c in help2man systemd-analyze man; do
	command -v "$c" >/dev/null || skip_all "$c is not installed (tests/deps/deploy.list)"
done
# The same build the other tests use ($B): its objects are already there.
MK=(make -s -C "$SRC" BUILD="$B")
[ "$(basename "$B")" = build-san ] && MK+=(SANITIZE=1)
PLUGINS=$(cd "$SRC/plugins" && ls ./*.c | sed 's|^\./||; s|\.c$||')

# ---- DESTDIR install: the layout ------------------------------------------
run "${MK[@]}" install DESTDIR="$T/d" PREFIX=/usr
is "$rc" 0 "make install DESTDIR=... PREFIX=/usr succeeds"
{
	echo /usr/bin/glance
	for p in $PLUGINS check_dig check_ssl_cert; do echo "/usr/lib/glance/plugins/$p"; done
	echo /usr/lib/glance/dane.so
	echo /usr/lib/glance/dnssec.so
	echo /usr/lib/glance/snmp.so
	for p in $PLUGINS glance; do echo "/usr/share/man/man1/$p.1"; done
	echo /usr/share/glance/examples/isp.conf
	echo /usr/share/glance/nagios-conf/README.md
	for f in resource.cfg glance-commands.cfg glance-templates.cfg example-isp.cfg; do
		echo "/usr/share/glance/nagios-conf/nagios/$f"
	done
	for f in glance-constants.conf glance-commands.conf example-isp.conf; do
		echo "/usr/share/glance/nagios-conf/icinga2/$f"
	done
	for f in glance.service glance-once.service glance-once.timer; do
		echo "/usr/lib/systemd/system/$f"
	done
	echo /usr/lib/sysusers.d/glance.conf
} | sort >"$T/want"
(cd "$T/d" && find . ! -type d | sed 's|^\.||' | sort) >"$T/got"
run diff "$T/want" "$T/got"
is "$rc" 0 "make install puts exactly the files README.md lists"
[ "$rc" = 0 ] && : || sed 's/^/#   /' <<<"$out"
is "$(readlink "$T/d/usr/lib/glance/plugins/check_dig")" check_dns "check_dig is a link to check_dns"
is "$(readlink "$T/d/usr/lib/glance/plugins/check_ssl_cert")" check_tls_cert \
	"check_ssl_cert is a link to check_tls_cert"
is "$(stat -c %a "$T/d/usr/lib/glance/plugins/check_ping")" 755 "plugins are mode 755"
is "$(stat -c %a "$T/d/usr/lib/glance/snmp.so")" 644 "the SNMP module is mode 644, as shared objects are"
is "$(stat -c %a "$T/d/usr/lib/glance/dane.so")" 644 "the DANE module is mode 644"
is "$(stat -c %a "$T/d/usr/lib/glance/dnssec.so")" 644 "the DNSSEC module is mode 644"
is "$(tail -n 1 "$T/d/usr/share/glance/nagios-conf/nagios/resource.cfg")" \
	'$USER5$=/usr/lib/glance/plugins' "resource.cfg: \$USER5\$ is the installed plugin directory"
is "$(grep '^const' "$T/d/usr/share/glance/nagios-conf/icinga2/glance-constants.conf")" \
	'const GlancePluginDir = "/usr/lib/glance/plugins"' "glance-constants.conf: the installed plugin directory"
is "$(grep '^ExecStart' "$T/d/usr/lib/systemd/system/glance.service")" \
	"ExecStart=/usr/bin/glance run -c /etc/glance/glance.conf" "glance.service runs the installed glance"
is "$(grep '^ExecStart' "$T/d/usr/lib/systemd/system/glance-once.service")" \
	"ExecStart=/usr/bin/glance run --once -c /etc/glance/glance.conf" "glance-once.service: glance run --once"
cmp -s "$SRC/nagios-conf/nagios/glance-commands.cfg" \
	"$T/d/usr/share/glance/nagios-conf/nagios/glance-commands.cfg"
ok $? "glance-commands.cfg installed as it is"

# ---- the manual pages -----------------------------------------------------
# Each page renders cleanly, has a NAME line, and carries every option line
# of the program's --help (glance: every subcommand's usage line).
for p in $PLUGINS glance; do
	page=$T/d/usr/share/man/man1/$p.1
	MANWIDTH=200 man --warnings -P cat -l "$page" 2>"$T/man.err" | tr -s ' ' >"$T/man.txt"
	is "${PIPESTATUS[0]}:$(cat "$T/man.err")" "0:" "man -l $p.1 renders without warnings"
	grep -Eq "^ ?$p - [A-Za-z]" "$T/man.txt"
	ok $? "$p.1 has a NAME line"
	if [ "$p" = glance ]; then
		for c in run render check-config notice maintenance; do
			"$B/glance" "$c" --help | head -n 1 | sed 's/^usage: //'
		done
	else
		"$B/plugins/$p" --help | grep -E '^ -' | sed 's/^ //'
	fi | tr -s ' ' >"$T/help.lines"
	missing=$(grep -vxF -f <(sed 's/^ //' "$T/man.txt") "$T/help.lines" |
		while read -r l; do grep -qF -- "$l" "$T/man.txt" || echo "$l"; done)
	is "$missing" "" "$p.1 has every line of its --help ($(wc -l <"$T/help.lines") checked)"
done

# ---- a PREFIX install: the units verify, the programs run ------------------
run "${MK[@]}" install PREFIX="$T/p"
is "$rc" 0 "make install PREFIX=\$T/p succeeds"
U=$T/p/lib/systemd/system
run env MANPATH="$T/p/share/man" systemd-analyze verify "$U/glance.service" \
	"$U/glance-once.service" "$U/glance-once.timer"
is "$rc:$(cat "$T/stderr")" "0:" "systemd-analyze verify accepts the service, the one-pass service and the timer"
run "$T/p/lib/glance/plugins/check_dig" -V
is "$rc:$first" "3:check_dns v0.1.0 (glance 0.1.0)" "the installed check_dig is check_dns"
# An agent that does not answer: a timeout, which only the loaded module
# can report (a missing one is "cannot load the SNMP module").
run env -u GLANCE_SNMP_MODULE "$T/p/lib/glance/plugins/check_snmp_extend" -H 127.0.0.1 \
	--snmp-port "$(free_port udp)" -e x -t 1
like "$rc:$first" "^2:EXTEND CRITICAL - no response from 127\.0\.0\.1:[0-9]+ within 1 s" \
	"the installed check_snmp_extend loads the installed SNMP module"

# ---- glance finds its own plugins ------------------------------------------
# From the build tree (a fresh checkout after make) and once installed,
# with no 'path' in the config; a missing one is named with where it was
# looked for.
run "$B/glance" check-config -c "$SRC/examples/isp.conf"
is "$rc" 0 "check-config -c examples/isp.conf passes from the build tree"
like "$out" "runs $B/plugins/check_ping \\[-H\\] \\[127.0.0.1\\]" \
	"check-config: check_ping found in the build tree"
mkdir -p "$T/cc"
printf '[site]\npath = %s\n[system A]\nping = PING\n[check A/PING]\ncommand = check_ping -H 127.0.0.1\n[check A/x]\ncommand = check_nothere -v\n' \
	"$T/none" >"$T/cc/c.conf"
run "$T/p/bin/glance" check-config -c "$T/cc/c.conf"
is "$rc" 1 "check-config: a missing plugin fails"
like "$out" "runs $T/p/lib/glance/plugins/check_ping \\[-H\\]" "the installed glance runs the installed check_ping"
like "$out" "ERROR $T/cc/c.conf:7: command check_nothere not found in the plugin path \\(looked in $T/none:$T/p/lib/glance/plugins:/usr/lib/nagios/plugins\\)" \
	"check-config names the missing plugin and every directory it looked in"

# ---- make uninstall -------------------------------------------------------
run "${MK[@]}" uninstall DESTDIR="$T/d" PREFIX=/usr
is "$rc" 0 "make uninstall succeeds"
is "$(cd "$T/d" && find . ! -type d | wc -l)" 0 "make uninstall leaves no file behind"
done_testing

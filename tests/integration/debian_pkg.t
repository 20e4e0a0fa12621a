#!/bin/bash
# debian/: dpkg-buildpackage -us -uc -b builds glance-plugins and glance
# from a copy of the tree (it writes into the parent directory), lintian
# finds no error, apt-get installs both, the installed plugins and glance
# run, the package made its user and state directory, and apt-get purge
# leaves nothing behind. It changes the system, so it runs only where
# neither package is installed, and removes them however it ends.
. "$(dirname "$0")/../lib.sh"

[ "$(id -u)" = 0 ] || skip_all "needs root (installs packages)"
for c in dpkg-buildpackage dh lintian apt-get help2man; do
	command -v "$c" >/dev/null || skip_all "$c is not installed (tests/deps/deploy.list)"
done
for p in glance glance-plugins; do
	case $(dpkg-query -W -f='${Status}' "$p" 2>/dev/null) in
	*" installed" | *" config-files") skip_all "package $p is installed here already; not touching it" ;;
	esac
done
user_before=$(getent passwd glance)
APT=(apt-get -o DPkg::Lock::Timeout=900 -y -q --no-install-recommends)

_pkg_cleanup() {
	if dpkg-query -W glance glance-plugins >/dev/null 2>&1; then
		DEBIAN_FRONTEND=noninteractive "${APT[@]}" purge glance glance-plugins >/dev/null 2>&1
	fi
	[ -z "$user_before" ] && getent passwd glance >/dev/null && deluser --system --quiet glance >/dev/null 2>&1
	_cleanup
}
trap _pkg_cleanup EXIT

# ---- build ----------------------------------------------------------------
mkdir -p "$T/src"
tar --exclude=./build --exclude=./build-san --exclude=./.git --exclude=./demo-site \
	-C "$SRC" -cf - . | tar -C "$T/src" -xf -
(cd "$T/src" && DEB_BUILD_OPTIONS="parallel=2 noddebs nocheck" \
	dpkg-buildpackage -us -uc -b >"$T/build.log" 2>&1)
rc=$?
is "$rc" 0 "dpkg-buildpackage -us -uc -b succeeds"
[ "$rc" = 0 ] || tail -n 20 "$T/build.log" | sed 's/^/#   /'
V=$(dpkg-parsechangelog -l "$SRC/debian/changelog" -S Version)
A=$(dpkg --print-architecture)
ok "$([ -f "$T/glance-plugins_${V}_$A.deb" ] && [ -f "$T/glance_${V}_$A.deb" ]; echo $?)" \
	"it builds glance-plugins_${V}_$A.deb and glance_${V}_$A.deb"
run dpkg-deb -c "$T/glance-plugins_${V}_$A.deb"
like "$out" "\./usr/lib/glance/plugins/check_dig -> check_dns" "glance-plugins holds the plugins and the ITL names"
like "$out" "\./usr/share/glance/nagios-conf/icinga2/glance-commands\.conf" "glance-plugins holds nagios-conf"
like "$out" "\./usr/lib/glance/snmp\.so" "glance-plugins holds the SNMP module"
run dpkg-deb -f "$T/glance-plugins_${V}_$A.deb" Depends
like "$out" "libsnmp[0-9]+" "glance-plugins depends on net-snmp's library, for the module"
run dpkg-deb -c "$T/glance_${V}_$A.deb"
like "$out" "\./lib/systemd/system/glance\.service" "glance holds the unit"

run lintian --fail-on error "$T/glance_${V}_${A}.changes"
is "$rc" 0 "lintian: no errors"
[ "$rc" = 0 ] || sed 's/^/#   /' <<<"$out"
is "$(grep -c '^E: ' <<<"$out")" 0 "lintian prints no E: line"

# ---- install, run, purge --------------------------------------------------
run env DEBIAN_FRONTEND=noninteractive "${APT[@]}" install \
	"$T/glance-plugins_${V}_$A.deb" "$T/glance_${V}_$A.deb"
is "$rc" 0 "apt-get install ./glance-plugins_*.deb ./glance_*.deb"
[ "$rc" = 0 ] || tail -n 5 "$T/stderr" | sed 's/^/#   /'

run /usr/lib/glance/plugins/check_ping -H 127.0.0.1 -p 2 -i 10
is "$rc" 0 "the installed check_ping: exit 0"
like "$out" "^PING OK - Packet loss = 0%, RTA = [0-9.]+ ms\|rta=[0-9.]+ms;200;500;0 pl=0%;40;80;0;100" \
	"the installed check_ping: status line and perfdata"
run /usr/lib/glance/plugins/check_dig -V
is "$rc:$first" "3:check_dns v$V (glance $V)" "the installed check_dig is check_dns"
run env -u GLANCE_SNMP_MODULE /usr/lib/glance/plugins/check_disk -H 127.0.0.1 \
	--snmp-port "$(free_port udp)" -t 1 -w 20% -c 10%
like "$rc:$first" "^2:DISK CRITICAL - .*no response from 127\.0\.0\.1:[0-9]+ within 1 s" \
	"the installed check_disk -H loads the installed SNMP module"
run /usr/bin/glance check-config -c /usr/share/glance/examples/isp.conf
like "$out" "runs /usr/lib/glance/plugins/check_ping \[-H\] \[127.0.0.1\]" \
	"the installed glance finds the installed plugins"
is "$(getent passwd glance | cut -d: -f6)" /var/lib/glance "the package made the user glance"
is "$(stat -c '%U:%a' /var/lib/glance 2>&1)" "glance:755" "and its state directory"
ok "$([ -d /etc/glance ]; echo $?)" "and /etc/glance"

run env DEBIAN_FRONTEND=noninteractive "${APT[@]}" purge glance glance-plugins
is "$rc" 0 "apt-get purge glance glance-plugins"
left=$(ls -d /usr/lib/glance /usr/share/glance /usr/bin/glance /var/lib/glance /etc/glance \
	/lib/systemd/system/glance.service /lib/systemd/system/glance-once.timer \
	/usr/lib/sysusers.d/glance.conf /etc/systemd/system/multi-user.target.wants/glance.service \
	/usr/share/doc/glance /usr/share/doc/glance-plugins 2>/dev/null)
is "$left" "" "purge leaves no file behind"
is "$(dpkg-query -W -f='${Status}' glance glance-plugins 2>/dev/null)" "" "dpkg knows neither package any more"
done_testing

#!/bin/bash
# What each plugin binds at start-up: readelf's NEEDED list of every
# plugin, exactly (a plugin links only what its own code calls, and no
# plugin links net-snmp or ldns), each module's list and its one exported
# symbol, and the dynamic loader's own record (LD_DEBUG=files) that a
# module and its library are loaded in the mode that needs them and
# never otherwise.
. "$(dirname "$0")/../lib.sh"

command -v readelf >/dev/null || skip_all "readelf is not installed (binutils)"

# NEEDED entries in order, without the sanitizer runtimes of build-san.
needed() {
	readelf -d "$1" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' |
		grep -Ev '^lib(asan|ubsan)\.so' | tr '\n' ' ' | sed 's/ $//'
}

declare -A want=(
	[check_disk]="libc.so.6"
	[check_dns]="libc.so.6"
	[check_mailqueue]="libyajl.so.2 libm.so.6 libc.so.6"
	[check_ping]="libc.so.6"
	[check_smtp]="libssl.so.3 libcrypto.so.3 libc.so.6"
	[check_snmp_extend]="libc.so.6"
	[check_tls_cert]="libssl.so.3 libcrypto.so.3 libc.so.6"
)
for src in "$SRC"/plugins/*.c; do
	p=$(basename "$src" .c)
	is "$(needed "$B/plugins/$p")" "${want[$p]:-(no list for $p in this test)}" \
		"$p needs exactly: ${want[$p]:-?}"
done
is "$(needed "$B/snmp.so")" "libnetsnmp.so.40 libc.so.6" "snmp.so needs net-snmp and libc"
is "$(nm -D --defined-only "$B/snmp.so" | awk '$2 == "T" || $2 == "D" { print $3 }')" \
	glance_snmp_module "snmp.so exports its entry point and nothing else"
# dane.so and dnssec.so call a few of their plugin's own functions: the
# plugin exports exactly the list in common/module.syms (sanitizer hooks
# aside), and every symbol the module needs is defined by the plugin or
# by a library the two of them load.
listed=$(sed -n 's/^[[:space:]]*\([a-z_][a-z_0-9]*\);$/\1/p' "$SRC/common/module.syms" | sort | tr '\n' ' ')
defined() { # PLUGIN MODULE
	local f
	for f in "$1" $(ldd "$1" "$2" | awk '$2 == "=>" && $3 ~ /^\// { print $3 }' | sort -u); do
		nm -D --defined-only "$f" | awk '{ sub(/@.*/, "", $3); print $3 }'
	done | sort -u
}
for pm in check_tls_cert:dane check_dns:dnssec; do
	p=${pm%:*} m=${pm#*:}
	is "$(needed "$B/$m.so")" "libldns.so.3 libc.so.6" "$m.so needs ldns and libc"
	is "$(nm -D --defined-only "$B/$m.so" | awk '$2 == "T" || $2 == "D" { print $3 }')" \
		"glance_${m}_module" "$m.so exports its entry point and nothing else"
	exported=$(nm -D --defined-only "$B/plugins/$p" |
		awk '$3 !~ /@/ && $3 !~ /^__(a|ub)san/ { print $3 }' | sort | tr '\n' ' ')
	is "$exported" "$listed" "$p exports to $m.so what module.syms lists"
	missing=$(nm -D --undefined-only "$B/$m.so" |
		awk '$1 == "U" { sub(/@.*/, "", $2); print $2 }' |
		sort -u | comm -23 - <(defined "$B/plugins/$p" "$B/$m.so") | tr '\n' ' ')
	is "$missing" "" "every symbol $m.so needs is defined where $p runs"
done

# loaded FILE...: the objects the loader mapped for a run, by base name.
loaded() {
	env LD_DEBUG=files LD_DEBUG_OUTPUT="$T/ld" "$@" >/dev/null 2>&1
	sed -En 's/.*file=([^ ]*) *\[0\];  *(needed|dynamically loaded) by.*/\1/p' "$T"/ld.* | xargs -n1 basename |
		sort -u | tr '\n' ' '
	rm -f "$T"/ld.*
}
libs=$(loaded "$B/plugins/check_disk" -w 20% -c 10% -p /)
like "$libs" 'libc\.so' "LD_DEBUG sees check_disk's local run ($libs)"
[[ $libs != *snmp* && $libs != *crypto* ]]
ok $? "check_disk on a local mount loads neither the module nor net-snmp"
libs=$(loaded "$B/plugins/check_snmp_extend" --version)
[[ $libs != *snmp* && $libs != *crypto* ]]
ok $? "check_snmp_extend --version loads neither ($libs)"
# An agent that is not there: the run times out, but the module is loaded.
P=$(free_port udp)
libs=$(loaded "$B/plugins/check_disk" -H 127.0.0.1 --snmp-port "$P" -t 1 -w 20% -c 10%)
[[ $libs == *" snmp.so "* || $libs == "snmp.so "* ]] && [[ $libs == *libnetsnmp* ]]
ok $? "check_disk -H loads snmp.so and net-snmp ($libs)"
# check_dns: a lookup binds no ldns; --dnssec loads the module, which
# reads the trust anchors first, before any query.
P=$(free_port udp)
libs=$(loaded "$B/plugins/check_dns" -H www.example.test -s "127.0.0.1@$P" -t 1)
like "$libs" 'libc\.so' "LD_DEBUG sees check_dns's lookup ($libs)"
[[ $libs != *dnssec.so* && $libs != *ldns* && $libs != *crypto* ]]
ok $? "a lookup loads neither dnssec.so nor ldns nor libcrypto"
libs=$(loaded "$B/plugins/check_dns" -H www.example.test -s "127.0.0.1@$P" -t 1 --dnssec \
	--trust-anchor "$T/none.key")
[[ " $libs" == *" dnssec.so "* && $libs == *libldns* ]]
ok $? "--dnssec loads dnssec.so and ldns ($libs)"
run env GLANCE_DNSSEC_MODULE="$T/missing.so" "$B/plugins/check_dns" -H www.example.test \
	-s "127.0.0.1@$P" -t 1 --dnssec
is "$rc/$first" "3/DNS UNKNOWN - --dnssec: cannot load the DNSSEC module $T/missing.so: cannot open shared object file: No such file or directory" \
	"--dnssec without its module: UNKNOWN, naming the module"

done_testing

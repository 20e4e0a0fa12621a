#!/bin/bash
# What each plugin binds at start-up: readelf's NEEDED list of every
# plugin, exactly (a plugin links only what its own code calls, and no
# plugin links net-snmp), the SNMP module's list and its one exported
# symbol, and the dynamic loader's own record (LD_DEBUG=files) that the
# module and net-snmp are loaded in an SNMP mode and never otherwise.
. "$(dirname "$0")/../lib.sh"

command -v readelf >/dev/null || skip_all "readelf is not installed (binutils)"

# NEEDED entries in order, without the sanitizer runtimes of build-san.
needed() {
	readelf -d "$1" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' |
		grep -Ev '^lib(asan|ubsan)\.so' | tr '\n' ' ' | sed 's/ $//'
}

declare -A want=(
	[check_disk]="libc.so.6"
	[check_dns]="libldns.so.3 libc.so.6"
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
is "$(needed "$B/dane.so")" "libldns.so.3 libc.so.6" "dane.so needs ldns and libc"
is "$(nm -D --defined-only "$B/dane.so" | awk '$2 == "T" || $2 == "D" { print $3 }')" \
	glance_dane_module "dane.so exports its entry point and nothing else"
# dane.so calls a few of the plugin's own functions: check_tls_cert
# exports exactly the list in common/module.syms (sanitizer hooks aside),
# and every symbol dane.so needs is defined by the plugin or by a library
# the two of them load.
listed=$(sed -n 's/^[[:space:]]*\([a-z_][a-z_0-9]*\);$/\1/p' "$SRC/common/module.syms" | sort | tr '\n' ' ')
exported=$(nm -D --defined-only "$B/plugins/check_tls_cert" |
	awk '$3 !~ /@/ && $3 !~ /^__(a|ub)san/ { print $3 }' | sort | tr '\n' ' ')
is "$exported" "$listed" "check_tls_cert exports to dane.so what module.syms lists"
defined() {
	local f
	for f in "$B/plugins/check_tls_cert" $(ldd "$B/plugins/check_tls_cert" "$B/dane.so" |
		awk '$2 == "=>" && $3 ~ /^\// { print $3 }' | sort -u); do
		nm -D --defined-only "$f" | awk '{ sub(/@.*/, "", $3); print $3 }'
	done | sort -u
}
missing=$(nm -D --undefined-only "$B/dane.so" | awk '$1 == "U" { sub(/@.*/, "", $2); print $2 }' |
	sort -u | comm -23 - <(defined) | tr '\n' ' ')
is "$missing" "" "every symbol dane.so needs is defined where check_tls_cert runs"

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

done_testing

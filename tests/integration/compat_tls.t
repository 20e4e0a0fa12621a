#!/bin/bash
# Differential suite, certificates: glance's check_tls_cert against
# monitoring-plugins' check_http -C and contrib's check_ssl_cert (see
# compat_lib.sh), on openssl s_server with leaves from a private CA, in
# the test's own network namespace.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/compat_lib.sh"
compat_enter_netns "$0" "$@"
. "$here/../lib.sh"
. "$here/tls-pki.sh"

[ -x "$PEERS/check_http" ] && [ -x "$PEERS/check_ssl_cert" ] ||
	skip_all "monitoring-plugins(-contrib) is not installed (tests/install-deps)"
pki_init || { echo "Bail out! cannot make the test CA"; exit 1; }
pki_leaf good --days 200
pki_leaf d25 --days 25
pki_leaf d18 --days 18
pki_leaf d10 --days 10
pki_leaf expired --start "$(_pki_date -864000)" --end "$(_pki_date -259200)"
pki_leaf notyet --start "$(_pki_date 172800)" --end "$(_pki_date 8640000)"
pki_leaf self --self --days 200
for n in good d25 d18 d10 expired notyet self; do
	eval "port_$n=$(free_port)"
	eval "serve_tls $n \$port_$n" || { echo "Bail out! s_server $n did not start"; exit 1; }
done
ROOT=$P/root/cert.pem
# check_ssl_cert: no OCSP lookup and no SCT demand (a private CA has no
# certificate transparency log); --cn because it wants a name to match.
SC="-H localhost -r $ROOT --ignore-ocsp --ignore-sct --cn localhost"
TC="-H localhost --ca-file $ROOT"
compat_cases <<CASES
-	check_tls_cert	$TC -p $port_good -w 30 -c 14	check_http	-H localhost -p $port_good -C 30,14	check_http -C: 200 days left
-	check_tls_cert	$TC -p $port_d25 -w 30 -c 14	check_http	-H localhost -p $port_d25 -C 30,14	check_http -C: 25 days, WARNING
-	check_tls_cert	$TC -p $port_d10 -w 30 -c 14	check_http	-H localhost -p $port_d10 -C 30,14	check_http -C: 10 days, CRITICAL
-	check_tls_cert	$TC -p $port_d18 -w 20 -c 10	check_http	-H localhost -p $port_d18 -C 20,10	check_http -C: 18 days, WARNING
-	check_tls_cert	$TC -p $port_d18 -w 10 -c 5	check_http	-H localhost -p $port_d18 -C 10,5	check_http -C: 18 days, OK
D18	check_tls_cert	$TC -p $port_notyet -w 30 -c 14	check_http	-H localhost -p $port_notyet -C 30,14	check_http -C: not yet valid
D19	check_tls_cert	$TC -p $port_self -w 30 -c 14	check_http	-H localhost -p $port_self -C 30,14	check_http -C: self-signed
-	check_tls_cert	$TC -p $port_self -w 30 -c 14 --no-verify	check_http	-H localhost -p $port_self -C 30,14	check_http -C: self-signed, --no-verify
-	check_tls_cert	$TC -p $port_expired -w 30 -c 14	check_http	-H localhost -p $port_expired -C 30,14	check_http -C: expired
-	check_tls_cert	$TC -p $port_good -w 30 -c 14 --chain-elem-perfdata	check_ssl_cert	$SC -p $port_good -w 30 -c 14	check_ssl_cert: 200 days left
-	check_tls_cert	$TC -p $port_d25 -w 30 -c 14 --chain-elem-perfdata	check_ssl_cert	$SC -p $port_d25 -w 30 -c 14	check_ssl_cert: 25 days, WARNING
-	check_tls_cert	$TC -p $port_d10 -w 30 -c 14 --chain-elem-perfdata	check_ssl_cert	$SC -p $port_d10 -w 30 -c 14	check_ssl_cert: 10 days, CRITICAL
-	check_tls_cert	$TC -p $port_d18 -w 20 -c 15 --chain-elem-perfdata	check_ssl_cert	$SC -p $port_d18 -w 20 -c 15	check_ssl_cert: 18 days, WARNING
-	check_tls_cert	$TC -p $port_d18 -w 10 -c 5 --chain-elem-perfdata	check_ssl_cert	$SC -p $port_d18 -w 10 -c 5	check_ssl_cert: 18 days, OK
-	check_tls_cert	$TC -p $port_expired --chain-elem-perfdata	check_ssl_cert	$SC -p $port_expired	check_ssl_cert: expired
CASES
done_testing

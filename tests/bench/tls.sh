#!/bin/bash
# One certificate expiry check against a local openssl s_server, the same
# thresholds (-w 30 -c 14) for each tool: glance's check_tls_cert beside
# check_ssl_cert (monitoring-plugins-contrib) and `check_http -C` from
# monitoring-plugins. Prints mean wall time per run and the ratios.
# Goal: within 1.5x of check_http -C, at least 100x faster than
# check_ssl_cert. check_tls_cert does more per run (chain, host name,
# key and signature policy, stapled OCSP) than check_http -C (leaf date
# only). A benchmark reports; it never fails the build.
#
# Then the CPU cost of the certificate check itself (perf stat task-clock,
# mean of TLS_BENCH_CPU_RUNS runs): check_tls_cert with and without chain
# verification, and check_smtp -S with and without -D against a private
# postfix (tests/postfix.sh). A check that asks for no verification must
# not pay for reading the system trust store.
. "$(dirname "$0")/../lib.sh"
. "$SRC/tests/integration/tls-pki.sh"
. "$SRC/tests/postfix.sh"

MP=/usr/lib/nagios/plugins
RUNS=${TLS_BENCH_RUNS:-30}
CPU_RUNS=${TLS_BENCH_CPU_RUNS:-50}
SLOW_RUNS=${TLS_BENCH_SLOW_RUNS:-3}
C=$B/plugins/check_tls_cert

if [ ! -x "$C" ]; then
	echo "tls: $C is not built; skipped"
	exit 0
fi
pki_init && pki_leaf bench || { echo "tls: cannot make certificates; skipped"; exit 0; }
port=$(free_port)
serve_tls bench "$port" || { echo "tls: s_server did not start; skipped"; exit 0; }

# mean_ms RUNS CMD...: sets $mean to the mean wall time of one run in
# milliseconds (3 decimals) and $last_rc to the last run's exit code.
mean_ms() {
	local n=$1 t0 t1
	shift
	"$@" >/dev/null 2>&1  # warm the page cache
	t0=$(date +%s%N)
	for _ in $(seq "$n"); do
		"$@" >/dev/null 2>&1
		last_rc=$?
	done
	t1=$(date +%s%N)
	mean=$(echo "scale=3; ($t1 - $t0) / $n / 1000000" | bc)
}

mean_ms "$RUNS" "$C" -H 127.0.0.1 -p "$port" -w 30 -c 14 --ca-file "$P/ca.pem"
ours=$mean ours_rc=$last_rc
printf 'check_tls_cert        %9.3f ms/run (exit %s, %s runs)\n' "$ours" "$ours_rc" "$RUNS"

http=
if [ -x "$MP/check_http" ]; then
	mean_ms "$RUNS" "$MP/check_http" -H 127.0.0.1 -p "$port" -C 30,14
	http=$mean
	printf 'check_http -C         %9.3f ms/run (exit %s, %s runs)\n' "$http" "$last_rc" "$RUNS"
else
	echo "check_http: not installed (monitoring-plugins-basic)"
fi

ssl=
if [ -x "$MP/check_ssl_cert" ]; then
	mean_ms "$SLOW_RUNS" "$MP/check_ssl_cert" -H 127.0.0.1 -p "$port" -w 30 -c 14 \
		--rootcert-file "$P/ca.pem" --ignore-sct --ignore-maximum-validity
	ssl=$mean
	printf 'check_ssl_cert        %9.3f ms/run (exit %s, %s runs)\n' "$ssl" "$last_rc" "$SLOW_RUNS"
else
	echo "check_ssl_cert: not installed (monitoring-plugins-contrib)"
fi

if [ -n "$http" ]; then
	r=$(echo "scale=2; $ours / $http" | bc)
	verdict=$(echo "$r <= 1.5" | bc)
	echo "ratio check_tls_cert / check_http -C  = ${r}x (goal <= 1.5x: $([ "$verdict" = 1 ] && echo met || echo missed))"
fi
if [ -n "$ssl" ]; then
	r=$(echo "scale=1; $ssl / $ours" | bc)
	verdict=$(echo "$r >= 100" | bc)
	echo "ratio check_ssl_cert / check_tls_cert = ${r}x faster (goal >= 100x: $([ "$verdict" = 1 ] && echo met || echo missed))"
fi

# cpu_ms LABEL CMD...: prints the mean CPU time (user + system, perf's
# task-clock) of one run of CMD over $CPU_RUNS runs, and its exit code.
cpu_ms() {
	local label=$1 ms rc
	shift
	"$@" >/dev/null 2>&1
	rc=$?
	ms=$(perf stat -r "$CPU_RUNS" -x, -e task-clock "$@" 2>&1 >/dev/null |
		awk -F, '$3 == "task-clock" { print $1 }')
	printf '%-44s %8s ms CPU/run (exit %s, %s runs)\n' "$label" "${ms:-?}" "$rc" "$CPU_RUNS"
}

if ! command -v perf >/dev/null || ! perf stat -x, -e task-clock true >/dev/null 2>&1; then
	echo "cpu: perf stat is not usable here; skipped"
	exit 0
fi
cpu_ms "check_tls_cert --ca-file" "$C" -H 127.0.0.1 -p "$port" --ca-file "$P/ca.pem"
cpu_ms "check_tls_cert (system store)" "$C" -H 127.0.0.1 -p "$port"
cpu_ms "check_tls_cert --no-verify --no-host-check" "$C" -H 127.0.0.1 -p "$port" \
	--no-verify --no-host-check

S=$B/plugins/check_smtp
sport=$(free_port)
if [ -x "$S" ] && pf_setup "$T/pf" "$sport" && pf_cert "$T/pf" mail.example.test 365 &&
	pf_start "$T/pf"; then
	cpu_ms "check_smtp -S" "$S" -H 127.0.0.1 -p "$sport" -S
	cpu_ms "check_smtp -S -D 30,14" "$S" -H 127.0.0.1 -p "$sport" -S -D 30,14
	cpu_ms "check_smtp -S -D 30,14 --verify-cert" "$S" -H 127.0.0.1 -p "$sport" -S -D 30,14 \
		--verify-cert --cert-name mail.example.test
else
	echo "check_smtp: not built or postfix did not start; skipped"
fi
exit 0

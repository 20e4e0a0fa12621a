#!/bin/bash
# Differential suite, mail queue: glance's check_mailqueue against
# monitoring-plugins' check_mailq (see compat_lib.sh) on a Postfix
# instance whose delivery is deferred (defer_transports), so submitted
# messages stay queued, in the test's own network namespace.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/compat_lib.sh"
compat_enter_netns "$0" "$@"
. "$here/../lib.sh"
. "$SRC/tests/postfix.sh"

[ -x "$PEERS/check_mailq" ] || skip_all "monitoring-plugins is not installed (tests/install-deps)"
command -v postfix >/dev/null || skip_all "postfix is not installed (tests/install-deps)"
PQ=$(free_port) || { echo "Bail out! no free port"; exit 1; }
D=$T/pf
pf_setup "$D" "$PQ"
postconf -c "$D" -e "defer_transports = discard"
pf_start "$D" || { echo "Bail out! Postfix did not start"; exit 1; }
queued() { [ "$(postqueue -c "$D" -j 2>/dev/null | wc -l)" -ge "$1" ]; }
# queue N: submits until N messages wait in the queue.
queue() {
	local n=$1 i
	for ((i = $(postqueue -c "$D" -j | wc -l); i < n; i++)); do
		printf 'Subject: t%s\n\nx\n' "$i" |
			sendmail -C "$D" -f sender@example.test "rcpt$((i % 2))@example.org" || return 1
	done
	wait_for 20 queued "$n"
}

Q="-M postfix -d $D"
queue 3 || { echo "Bail out! messages were not queued"; exit 1; }
compat_cases <<CASES
-	check_mailqueue	-w 5 -c 10 $Q	check_mailq	=	3 queued, under -w 5
-	check_mailqueue	-w 3 -c 10 $Q	check_mailq	=	3 queued at -w 3
-	check_mailqueue	-w 2 -c 3 $Q	check_mailq	=	3 queued at -c 3
-	check_mailqueue	-w 1 -c 2 $Q	check_mailq	=	3 queued above -c 2
CASES
queue 6 || { echo "Bail out! messages were not queued"; exit 1; }
compat_cases <<CASES
-	check_mailqueue	-w 10 -c 20 $Q	check_mailq	=	6 queued, under -w 10
-	check_mailqueue	-w 5 -c 10 $Q	check_mailq	=	6 queued above -w 5
-	check_mailqueue	-w 2 -c 5 $Q	check_mailq	=	6 queued above -c 5
CASES
done_testing

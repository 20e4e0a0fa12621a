#!/bin/bash
# The demo's site in a real browser. tests/demo/site builds it once per
# build, shared with demo.t (real checks on loopback, a maintenance, a mail
# outage and its post-mortem, a ping outage the operator leaves open while
# monitoring it, a maintenance next week); python3's http.server serves it
# on a loopback port, and Debian's headless Chromium, driven by
# puppeteer-core, checks it at 375 and 1440 px, light and dark, with and
# without JavaScript; axe-core and html-validate check every page.
# Screenshots are kept under $GLANCE_BUILD/artefacts/browser/.
. "$(dirname "$0")/../lib.sh"
NODE_DIR=$SRC/tests/browser
CHROMIUM=$(command -v chromium || true)
[ -x "$B/glance" ] || skip_all "glance is not built"
[ "$(id -u)" = 0 ] || skip_all "the demo's site is built in a network namespace (needs root)"
[ -n "$CHROMIUM" ] || skip_all "chromium is missing (tests/install-deps installs it)"
[ -d "$NODE_DIR/node_modules/puppeteer-core" ] || skip_all "tests/browser has no node_modules (tests/install-deps runs npm ci)"
cd "$T" || exit 1

D=$("$SRC/tests/demo/site" "$B") && [ -f "$D/ok" ]
ok $? "the demo's site is built"
[ -f "$D/ok" ] || { sed 's/^/# /' "$D/err" 2>/dev/null; echo "Bail out! no demo site to load"; exit 1; }
site=$(readlink -f "$D/site")
pm=$(grep -l '<title>NC036: Post-mortem</title>' "$site"/notices/*.html | head -n 1)
like "$pm" "/notices/[0-9]+\.html\$" "the demo's post-mortem has its page"
pm=notices/$(basename "$pm")

port=$(free_port) || { echo "Bail out! no free port"; exit 1; }
python3 -m http.server --bind 127.0.0.1 --directory "$site" "$port" >http.log 2>&1 &
track $!
wait_for 10 accepts "$port"
ok $? "the site is served on 127.0.0.1:$port"

art=$B/artefacts/browser
rm -rf "$art"
mkdir -p "$art"
# The browser in a process group of its own, so that whatever it starts is
# stopped with it, by that group's id.
setsid env GLANCE_SYSTEMS=6 GLANCE_NOTICE="$pm" GLANCE_SYSTEM=systems/NC036/index.html \
	timeout -k 5 70 node "$NODE_DIR/check.mjs" "http://127.0.0.1:$port/" "$site" \
	"$art" "$CHROMIUM" "$T/profile" >results 2>node.err &
pid=$!
browser_cleanup() {
	kill -- "-$pid" 2>/dev/null
	_cleanup
}
trap browser_cleanup EXIT
wait "$pid"
rc=$?
is "$rc" 0 "the browser checks run to the end"
[ "$rc" = 0 ] || sed 's/^/# /' node.err
while IFS=$'\t' read -r verdict name detail; do
	case "$verdict" in
	PASS) ok 0 "$name" ;;
	FAIL)
		ok 1 "$name"
		echo "#   $detail"
		;;
	esac
done <results
is "$(grep -c "^PASS" results)" 34 "every browser check reported and passed"
# gone_group PGID: true once no process of that group is left.
gone_group() { ! kill -0 -- "-$1" 2>/dev/null; }
wait_for 10 gone_group "$pid"
ok $? "nothing the browser started is left running"
done_testing

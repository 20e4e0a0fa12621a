#!/bin/bash
# Every fuzz target replays its committed corpus (seeds and every input
# that once crashed it) in the build under test: under make check that is
# the ASan+UBSan build, so a regression is a sanitizer report here.
. "$(dirname "$0")/../lib.sh"

for src in "$SRC"/tests/fuzz/*.c; do
	t=$(basename "$src" .c)
	n=$(find "$SRC/tests/fuzz/corpus/$t" -type f 2>/dev/null | wc -l)
	ok "$([ "$n" -gt 0 ]; echo $?)" "$t: has a seed corpus ($n inputs)"
	run "$B/tests/fuzz/$t" "$SRC/tests/fuzz/corpus/$t"
	is "$rc" 0 "$t: replays its corpus without a crash or sanitizer report"
	is "$out" "replayed $n inputs" "$t: every input was read"
	[ "$rc" = 0 ] || sed 's/^/# /' "$T/stderr" | head -20
done
done_testing

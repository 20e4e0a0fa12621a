/* Threshold ranges: whatever range_parse accepts, range_format prints back
 * as text that parses again to the very same range (the perfdata and the
 * messages show a threshold exactly as it compares). */
#include <stdio.h>

#include "fuzz.h"
#include "range.h"

static void
fuzz_roundtrip(const char *s, bool below)
{
	struct range r, again;
	struct strbuf sb = STRBUF_INIT;
	char err[256];

	if (range_parse_bare(s, below, &r, err, sizeof err) != 0)
		return;
	range_format(&sb, &r);
	if (range_parse(sb_str(&sb), &again, err, sizeof err) != 0 || again.start != r.start ||
	    again.end != r.end || again.start_inf != r.start_inf ||
	    again.end_inf != r.end_inf || again.inside != r.inside) {
		fprintf(stderr, "range '%s' printed as '%s' does not read back: %s\n", s,
		        sb_str(&sb), err);
		abort();
	}
	(void)range_alerts(&r, 0.0);
	sb_free(&sb);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_str(data, size);
	struct thresholds t;
	char err[256];

	if (s == NULL)
		return 0;
	fuzz_roundtrip(s, false);
	fuzz_roundtrip(s, true);
	if (thresholds_parse(s, size % 2 == 0, &t, err, sizeof err) == 0)
		(void)thresholds_check(&t, err, sizeof err);
	free(s);
	return 0;
}

/* Icinga 2's /v1/events stream: one JSON object a line, each applied to
 * the store in order (ic_apply_event) as `glance run` applies them. */
#include "fuzz_ingest.h"
#include "ingest_icinga2.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_ingest f;
	const char *s = (const char *)data, *end = s + size;
	long n = 0;

	if (fuzz_ingest_open(&f, "icinga2") != 0)
		return 0;
	if (ingest_begin(&f.c) == 0)
		while (s < end) {
			const char *nl = memchr(s, '\n', (size_t)(end - s));
			size_t len = nl ? (size_t)(nl - s) : (size_t)(end - s);
			if (ic_apply_event(&f.c, s, len, ++n) < 0 || nl == NULL)
				break;
			s = nl + 1;
		}
	fuzz_ingest_close(&f);
	return 0;
}

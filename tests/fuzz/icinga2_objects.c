/* Icinga 2's object lists as an ingest pass reads them: the input is the
 * answers of /v1/objects/hosts, services, downtimes, dependencies and
 * checkcommands, separated by form feeds (fewer parts: the later lists
 * are missing), applied through ic_apply_objects. */
#include "fuzz_ingest.h"
#include "ingest_icinga2.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *body[IC_OBJ_N] = {NULL};
	size_t len[IC_OBJ_N] = {0};
	const char *s = (const char *)data, *end = s + size;
	struct fuzz_ingest f;
	char err[512];

	for (int i = 0; i < IC_OBJ_N; i++) {
		const char *ff = memchr(s, '\f', (size_t)(end - s));
		body[i] = s;
		len[i] = ff ? (size_t)(ff - s) : (size_t)(end - s);
		if (ff == NULL)
			break;
		s = ff + 1;
	}
	if (fuzz_ingest_open(&f, "icinga2") != 0)
		return 0;
	(void)ic_apply_objects(&f.c, body, len, err, sizeof err);
	fuzz_ingest_close(&f);
	return 0;
}

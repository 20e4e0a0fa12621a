/* nagios.log: every line through the line parser (ng_log_parse), whose
 * strings must stay inside the line (each is read to its end), then the whole input as the live
 * log of an ingest pass (the chunked reader and the events applied to
 * the store). */
#include "fuzz_ingest.h"
#include "ingest_nagios.h"

static void
lines(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data, *end = s + size;

	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		size_t len = nl ? (size_t)(nl - s) : (size_t)(end - s);
		char *line = fuzz_str((const uint8_t *)s, len);
		struct ng_event ev;
		const char *why = NULL;
		if (line != NULL && ng_log_parse(line, &ev, &why) == 1) {
			const char *str[] = {ev.host,   ev.service, ev.output,
			                     ev.author, ev.comment, ev.id};
			/* they point into the line: ASan sees any read past it */
			for (size_t i = 0; i < sizeof str / sizeof str[0]; i++)
				(void)(str[i] ? strlen(str[i]) : 0);
		}
		free(line);
		if (nl == NULL)
			break;
		s = nl + 1;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_ingest f;
	struct ng_pass_stats stats;
	char path[64], err[512], host[] = INGEST_HOST_SERVICE;
	int fd;

	lines(data, size);
	if ((fd = fuzz_memfd(data, size, path, sizeof path)) < 0)
		return 0;
	if (fuzz_ingest_open(&f, "nagios") == 0) {
		struct cfg_source src = {.kind = SOURCE_NAGIOS, .ping = host, .log = path};
		(void)ng_ingest_pass(&f.c, &src, &stats, err, sizeof err);
		fuzz_ingest_close(&f);
	}
	close(fd);
	return 0;
}

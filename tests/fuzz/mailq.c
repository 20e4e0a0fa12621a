/* Mail queue listings: the first byte picks the tool (postqueue -j's
 * JSON lines, exim -bp, sendmail mailq), the rest is its output, read
 * line by line as check_mailqueue reads a pipe. */
#include "fuzz.h"
#include "mailq.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mq_stats st;
	struct mq_parser p;
	char err[256];

	if (size == 0)
		return 0;
	memset(&st, 0, sizeof st);
	mq_parser_init(&p, (enum mq_kind)(data[0] % 3), &st, 1764806400);
	const char *s = (const char *)data + 1, *end = (const char *)data + size;
	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		size_t len = nl ? (size_t)(nl - s) : (size_t)(end - s);
		if (mq_parse_line(&p, s, len, err, sizeof err) != 0)
			break;
		s += len + 1;
	}
	mq_parse_end(&p);
	const struct mq_count *top[5];
	(void)mq_tally_top(&st.rcpt_domain, top, 5);
	mq_parser_free(&p);
	mq_stats_free(&st);
	(void)mq_exim_id_time((const char *)data, size);
	return 0;
}

/* Operator Markdown: whatever the text, the HTML md_to_html gives has no
 * element or attribute that runs script (raw HTML is not passed through)
 * and no javascript: link. */
#include <stdbool.h>
#include <stdio.h>
#include <strings.h>

#include "fuzz.h"
#include "render_md.h"

/* True if a tag in html has an on...= attribute outside quoted values. */
static bool
has_event_attr(const char *h)
{
	for (const char *p = strchr(h, '<'); p != NULL; p = strchr(p + 1, '<')) {
		char quote = 0;
		for (const char *q = p + 1; *q != '\0' && (quote || *q != '>'); q++) {
			if (quote) {
				quote = *q == quote ? 0 : quote;
			} else if (*q == '"' || *q == '\'') {
				quote = *q;
			} else if (*q == ' ' && strncasecmp(q + 1, "on", 2) == 0) {
				size_t n = strspn(
				        q + 3,
				        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ");
				if (n > 0 && q[3 + n] == '=')
					return true;
			}
		}
	}
	return false;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_str(data, size);
	struct strbuf out = STRBUF_INIT;

	if (s == NULL)
		return 0;
	if (md_to_html(&out, s) == 0) {
		const char *h = sb_str(&out);
		if (strcasestr(h, "<script") || strcasestr(h, "href=\"javascript:") ||
		    strcasestr(h, "<iframe") || has_event_attr(h)) {
			fprintf(stderr, "markdown gave active HTML: %s\n", h);
			abort();
		}
	}
	sb_free(&out);
	free(s);
	return 0;
}

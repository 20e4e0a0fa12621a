/* The page and feed escapers. Properties: esc_markup's output decodes
 * (the five entities it writes) back to exactly esc_clean's text, and
 * holds no raw < > " ' nor a '&' that starts anything but those entities;
 * esc_url_segment's output is only unreserved characters and %XX; a slug
 * is never "", "." or "..", nor holds '/'. */
#include <stdio.h>

#include "escape.h"
#include "fuzz.h"

static const char *const ents[][2] = {
        {"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&#39;", "'"},
};

static void
fuzz_fail(const char *what, const char *in, const char *out)
{
	fprintf(stderr, "%s: input '%s' gave '%s'\n", what, in, out);
	abort();
}

/* Decodes the entities esc_markup writes; NULL if anything else is met. */
static char *
unmarkup(const char *s, struct strbuf *sb)
{
	while (*s != '\0') {
		if (strchr("<>\"'", *s) != NULL)
			return NULL;
		if (*s != '&') {
			sb_appendc(sb, *s++);
			continue;
		}
		size_t k = 0;
		while (k < 5 && strncmp(s, ents[k][0], strlen(ents[k][0])) != 0)
			k++;
		if (k == 5)
			return NULL;
		sb_append(sb, ents[k][1]);
		s += strlen(ents[k][0]);
	}
	sb_append(sb, "");
	return (char *)sb_str(sb);
}

static void
fuzz_url(const char *s)
{
	struct strbuf u = STRBUF_INIT;

	esc_url_segment(&u, s);
	for (const char *p = sb_str(&u); *p; p++) {
		if (*p == '%' && p[1] && p[2] && strchr("0123456789ABCDEFabcdef", p[1]) &&
		    strchr("0123456789ABCDEFabcdef", p[2])) {
			p += 2;
			continue;
		}
		if (!strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._"
		            "~",
		            *p))
			fuzz_fail("esc_url_segment", s, sb_str(&u));
	}
	sb_free(&u);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_str(data, size);
	struct strbuf m = STRBUF_INIT, back = STRBUF_INIT, slug = STRBUF_INIT;

	if (s == NULL)
		return 0;
	char *clean = esc_clean_dup(s);
	esc_markup(&m, s);
	const char *dec = unmarkup(sb_str(&m), &back);
	if (dec == NULL || strcmp(dec, clean) != 0)
		fuzz_fail("esc_markup round trip", s, sb_str(&m));
	fuzz_url(s);
	esc_slug(&slug, s, size % 2 == 0);
	const char *sl = sb_str(&slug);
	if (!*sl || !strcmp(sl, ".") || !strcmp(sl, "..") || strchr(sl, '/') || slug.len > 64)
		fuzz_fail("esc_slug", s, sl);
	(void)esc_url_is_safe(s);
	free(clean);
	sb_free(&m);
	sb_free(&back);
	sb_free(&slug);
	free(s);
	return 0;
}

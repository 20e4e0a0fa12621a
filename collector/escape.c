#include "escape.h"

#include <stdint.h>
#include <string.h>
#include <strings.h>

#define REPLACEMENT "\xEF\xBF\xBD" /* U+FFFD */
#define SLUG_MAX 64

/* Decodes one UTF-8 sequence at s. Returns its length, or 0 when the bytes
 * are not a valid, shortest-form encoding of a scalar value (RFC 3629
 * section 3). A NUL terminator never counts as a continuation byte. */
static size_t
utf8_decode(const unsigned char *s, uint32_t *cp)
{
	size_t n;
	uint32_t c, min;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if ((s[0] & 0xE0) == 0xC0) {
		n = 2, c = s[0] & 0x1F, min = 0x80;
	} else if ((s[0] & 0xF0) == 0xE0) {
		n = 3, c = s[0] & 0x0F, min = 0x800;
	} else if ((s[0] & 0xF8) == 0xF0) {
		n = 4, c = s[0] & 0x07, min = 0x10000;
	} else {
		return 0;
	}
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3F);
	}
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*cp = c;
	return n;
}

/* Characters XML 1.0 (section 2.2) and HTML both accept in text. */
static bool
cp_allowed(uint32_t c)
{
	if (c == '\t' || c == '\n' || c == '\r')
		return true;
	if (c < 0x20 || (c >= 0x7F && c <= 0x9F))
		return false;
	return c != 0xFFFE && c != 0xFFFF;
}

/* Walks s one clean character at a time: calls fn with each character's
 * bytes (U+FFFD for anything rejected) and its code point. */
typedef void (*esc_fn)(struct strbuf *out, const char *bytes, size_t n, uint32_t cp);

static void
esc_walk(struct strbuf *out, const char *s, esc_fn fn)
{
	const unsigned char *p = (const unsigned char *)s;
	uint32_t cp;
	size_t n;

	if (s == NULL)
		return;
	while (*p != '\0') {
		n = utf8_decode(p, &cp);
		if (n == 0 || !cp_allowed(cp)) {
			fn(out, REPLACEMENT, 3, 0xFFFD);
			p += n ? n : 1;
			continue;
		}
		fn(out, (const char *)p, n, cp);
		p += n;
	}
}

static void
emit_clean(struct strbuf *out, const char *b, size_t n, uint32_t cp)
{
	(void)cp;
	sb_appendn(out, b, n);
}

void
esc_clean(struct strbuf *out, const char *s)
{
	esc_walk(out, s, emit_clean);
}

char *
esc_clean_dup(const char *s)
{
	struct strbuf sb = STRBUF_INIT;

	esc_clean(&sb, s);
	sb_append(&sb, "");
	return sb_detach(&sb);
}

static void
emit_markup(struct strbuf *out, const char *b, size_t n, uint32_t cp)
{
	switch (cp) {
	case '&': sb_append(out, "&amp;"); break;
	case '<': sb_append(out, "&lt;"); break;
	case '>': sb_append(out, "&gt;"); break;
	case '"': sb_append(out, "&quot;"); break;
	case '\'': sb_append(out, "&#39;"); break;
	default: sb_appendn(out, b, n); break;
	}
}

void
esc_markup(struct strbuf *out, const char *s)
{
	esc_walk(out, s, emit_markup);
}

static void
emit_url(struct strbuf *out, const char *b, size_t n, uint32_t cp)
{
	(void)cp;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)b[i];
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~')
			sb_appendc(out, (char)c);
		else
			sb_appendf(out, "%%%02X", c);
	}
}

void
esc_url_segment(struct strbuf *out, const char *s)
{
	esc_walk(out, s, emit_url);
}

bool
esc_url_is_safe(const char *url)
{
	static const char *const ok_schemes[] = {"http:", "https:", "mailto:"};
	size_t span;

	if (url == NULL || *url == '\0')
		return false;
	for (const char *p = url; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7F)
			return false;
	/* A scheme is letters, digits, + - . before the first ':'; a ':'
	 * after a '/', '?' or '#' belongs to a relative reference. */
	span = strcspn(url, ":/?#");
	if (url[span] != ':')
		return true;
	for (size_t i = 0; i < sizeof ok_schemes / sizeof ok_schemes[0]; i++)
		if (strncasecmp(url, ok_schemes[i], strlen(ok_schemes[i])) == 0)
			return true;
	return false;
}

struct slug {
	struct strbuf *out;
	size_t start; /* where this slug begins in out */
	bool lower;
	bool dash; /* a separator is pending */
	bool full; /* SLUG_MAX reached: the rest is dropped */
};

static void
slug_add(struct slug *sl, const char *b, size_t n, uint32_t cp)
{
	bool alnum = (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') ||
	             (cp >= '0' && cp <= '9');

	if (!alnum && (cp < 0xA0 || cp == 0xFFFD || cp == 0xA0 || cp == 0x3000)) {
		sl->dash = true;
		return;
	}
	bool sep = sl->dash && sl->out->len > sl->start;

	if (sl->full || sl->out->len - sl->start + n + sep > SLUG_MAX) {
		sl->full = true;
		return;
	}
	if (sep)
		sb_appendc(sl->out, '-');
	sl->dash = false;
	if (sl->lower && cp >= 'A' && cp <= 'Z')
		sb_appendc(sl->out, (char)(cp - 'A' + 'a'));
	else
		sb_appendn(sl->out, b, n);
}

void
esc_slug(struct strbuf *out, const char *s, bool lower)
{
	struct strbuf clean = STRBUF_INIT;
	struct slug sl = {out, out->len, lower, false, false};
	const unsigned char *p;
	uint32_t cp;
	size_t n;

	esc_clean(&clean, s);
	p = (const unsigned char *)sb_str(&clean);
	while (*p != '\0') {
		n = utf8_decode(p, &cp);
		slug_add(&sl, (const char *)p, n, cp);
		p += n;
	}
	sb_free(&clean);
	if (out->len == sl.start)
		sb_append(out, "x");
}

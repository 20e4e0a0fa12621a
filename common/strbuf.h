/* A growable, always NUL-terminated string. Every plugin and the collector
 * build their text in one of these instead of fixed arrays, so no output is
 * ever truncated silently and no length is ever guessed. */
#ifndef GLANCE_STRBUF_H
#define GLANCE_STRBUF_H

#include <stdarg.h>
#include <stddef.h>

struct strbuf {
	char *buf;  /* NULL until the first append; sb_str() hides that */
	size_t len;
	size_t cap;
};

#define STRBUF_INIT {NULL, 0, 0}

/* Appends; on allocation failure the process exits UNKNOWN (out of memory
 * is the one error no caller can do better with). */
void sb_append(struct strbuf *sb, const char *s);
void sb_appendn(struct strbuf *sb, const char *s, size_t n);
void sb_appendc(struct strbuf *sb, char c);
void sb_appendf(struct strbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void sb_vappendf(struct strbuf *sb, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

/* Appends a number in plain C notation: never an exponent, at most six
 * decimals, trailing zeros dropped ("0.5", "17133731840", "-3"). Used for
 * everything machine-read (perfdata, ranges), whatever the locale. NaN and
 * infinities append "U", perfdata's "unknown value". */
void sb_append_number(struct strbuf *sb, double v);

/* The text so far ("" when empty); valid until the next append. */
const char *sb_str(const struct strbuf *sb);
void sb_reset(struct strbuf *sb);
void sb_free(struct strbuf *sb);
/* Hands the buffer to the caller (who frees it) and empties sb. */
char *sb_detach(struct strbuf *sb);

/* Allocation helpers with the same out-of-memory policy. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);

#endif

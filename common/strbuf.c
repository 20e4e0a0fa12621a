#include "strbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void
oom(void)
{
	static const char msg[] = "UNKNOWN - out of memory\n";
	ssize_t r = write(STDOUT_FILENO, msg, sizeof msg - 1);
	(void)r;
	_exit(3);
}

void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (p == NULL)
		oom();
	return p;
}

void *
xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (p == NULL)
		oom();
	return p;
}

void *
xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (p == NULL)
		oom();
	return p;
}

char *
xstrdup(const char *s)
{
	char *p = strdup(s);
	if (p == NULL)
		oom();
	return p;
}

static void
sb_grow(struct strbuf *sb, size_t extra)
{
	size_t need = sb->len + extra + 1;
	if (need <= sb->cap)
		return;
	size_t cap = sb->cap ? sb->cap : 64;
	while (cap < need)
		cap *= 2;
	sb->buf = xrealloc(sb->buf, cap);
	sb->cap = cap;
}

void
sb_appendn(struct strbuf *sb, const char *s, size_t n)
{
	sb_grow(sb, n);
	memcpy(sb->buf + sb->len, s, n);
	sb->len += n;
	sb->buf[sb->len] = '\0';
}

void
sb_append(struct strbuf *sb, const char *s)
{
	sb_appendn(sb, s, strlen(s));
}

void
sb_appendc(struct strbuf *sb, char c)
{
	sb_appendn(sb, &c, 1);
}

/* One pass when the text fits the room left, which it mostly does; a
 * second into a buffer grown to its size when it does not. */
void
sb_vappendf(struct strbuf *sb, const char *fmt, va_list ap)
{
	va_list ap2;
	size_t room;
	int n;

	sb_grow(sb, 64);
	room = sb->cap - sb->len;
	va_copy(ap2, ap);
	n = vsnprintf(sb->buf + sb->len, room, fmt, ap2);
	va_end(ap2);
	if (n >= 0 && (size_t)n >= room) {
		sb_grow(sb, (size_t)n);
		n = vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
	}
	if (n < 0) {
		sb->buf[sb->len] = '\0';
		return;
	}
	sb->len += (size_t)n;
}

void
sb_appendf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	sb_vappendf(sb, fmt, ap);
	va_end(ap);
}

const char *
sb_str(const struct strbuf *sb)
{
	return sb->buf ? sb->buf : "";
}

void
sb_reset(struct strbuf *sb)
{
	sb->len = 0;
	if (sb->buf)
		sb->buf[0] = '\0';
}

void
sb_free(struct strbuf *sb)
{
	free(sb->buf);
	sb->buf = NULL;
	sb->len = sb->cap = 0;
}

char *
sb_detach(struct strbuf *sb)
{
	char *p = sb->buf ? sb->buf : xstrdup("");
	sb->buf = NULL;
	sb->len = sb->cap = 0;
	return p;
}

void
sb_append_number(struct strbuf *sb, double v)
{
	char tmp[400];

	if (v != v || v > 1e300 || v < -1e300) {
		sb_appendc(sb, 'U');
		return;
	}
	/* The process never calls setlocale(), so printf's decimal point is
	 * the C locale's '.' whatever LANG says. */
	int n = snprintf(tmp, sizeof tmp, "%.6f", v);
	if (n <= 0 || (size_t)n >= sizeof tmp) {
		sb_appendc(sb, 'U');
		return;
	}
	char *dot = strchr(tmp, '.');
	if (dot != NULL) {
		char *end = tmp + n - 1;
		while (end > dot && *end == '0')
			*end-- = '\0';
		if (end == dot)
			*end = '\0';
	}
	sb_append(sb, strcmp(tmp, "-0") == 0 ? "0" : tmp);
}

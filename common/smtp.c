#include "smtp.h"

#include <ctype.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "output.h"

void
smtp_reply_init(struct smtp_reply *r)
{
	r->code = 0;
	r->enhanced[0] = '\0';
	r->text[0] = '\0';
	r->text_len = 0;
	r->nlines = 0;
	r->truncated = false;
}

/* Quotes the start of a line for an error message, short and in
 * printable ASCII: a line that is not SMTP is often not text either, and
 * half a UTF-8 sequence cut at 60 bytes would make the status line
 * invalid UTF-8 (the output module only replaces control characters). */
static void
smtp_quote(char *buf, size_t len, const char *line)
{
	size_t n = strlen(line);
	char head[61];
	size_t k = 0;

	for (; k < 60 && k < n; k++)
		head[k] = line[k] >= 0x20 && line[k] < 0x7f ? line[k] : '?';
	head[k] = '\0';
	snprintf(buf, len, "'%s%s'", head, n > 60 ? "..." : "");
}

size_t
smtp_enhanced_scan(const char *s)
{
	size_t i = 0;

	if (s[0] != '2' && s[0] != '4' && s[0] != '5')
		return 0;
	i = 1;
	for (int part = 0; part < 2; part++) {
		size_t digits = 0;
		if (s[i] != '.')
			return 0;
		i++;
		while (isdigit((unsigned char)s[i]) && digits < 4) {
			i++;
			digits++;
		}
		if (digits < 1 || digits > 3)
			return 0;
	}
	return s[i] == ' ' || s[i] == '\0' ? i : 0;
}

/* Appends one line of text to r->text, cutting (and saying so) at the
 * buffer's end rather than failing: the code is what decides, the text
 * is for people. */
static void
smtp_text_append(struct smtp_reply *r, const char *text)
{
	size_t room = sizeof r->text - 1 - r->text_len;
	size_t n = strlen(text);

	if (r->nlines > 0) {
		if (room == 0) {
			r->truncated = true;
			return;
		}
		r->text[r->text_len++] = '\n';
		room--;
	}
	if (n > room) {
		n = room;
		r->truncated = true;
	}
	memcpy(r->text + r->text_len, text, n);
	r->text_len += n;
	r->text[r->text_len] = '\0';
}

/* The enhanced code leads the text of the first line; later lines of the
 * same reply usually repeat it (RFC 2034 section 4), and it is dropped
 * from them too. Its class must agree with the reply code's. */
static const char *
smtp_strip_enhanced(struct smtp_reply *r, const char *text)
{
	size_t n = smtp_enhanced_scan(text);

	if (n == 0 || text[0] != (char)('0' + r->code / 100))
		return text;
	if (r->nlines == 0 && n < sizeof r->enhanced) {
		memcpy(r->enhanced, text, n);
		r->enhanced[n] = '\0';
	} else if (strlen(r->enhanced) != n || strncmp(r->enhanced, text, n) != 0) {
		return text;
	}
	text += n;
	return *text == ' ' ? text + 1 : text;
}

enum smtp_feed
smtp_reply_feed(struct smtp_reply *r, const char *line, char *err, size_t errlen)
{
	char q[80];
	const char *s = line;

	smtp_quote(q, sizeof q, line);
	if (!(s[0] >= '2' && s[0] <= '5') || !(s[1] >= '0' && s[1] <= '5') ||
	    !isdigit((unsigned char)s[2]) || (s[3] != '\0' && s[3] != ' ' && s[3] != '-')) {
		snprintf(err, errlen, "not an SMTP reply line: %s", q);
		return SMTP_FEED_BAD;
	}
	int code = (s[0] - '0') * 100 + (s[1] - '0') * 10 + (s[2] - '0');
	if (r->nlines > 0 && code != r->code) {
		snprintf(err, errlen, "reply code changed from %d within one reply: %s",
		         r->code, q);
		return SMTP_FEED_BAD;
	}
	if (r->nlines >= SMTP_REPLY_MAX_LINES) {
		snprintf(err, errlen, "reply longer than %d lines", SMTP_REPLY_MAX_LINES);
		return SMTP_FEED_BAD;
	}
	r->code = code;
	const char *text = smtp_strip_enhanced(r, s[3] == '\0' ? "" : s + 4);
	smtp_text_append(r, text);
	r->nlines++;
	return s[3] == '-' ? SMTP_FEED_MORE : SMTP_FEED_DONE;
}

/* What was sent during AUTH, base64 and decoded, so no reply can carry
 * it into an error message, the status line or debug output: a server
 * that echoes a rejected AUTH line must not publish the credentials.
 * Process-wide because a plugin holds one SMTP session; pieces under
 * SMTP_SECRET_MIN bytes are not matched, or every such letter would go. */
#define SMTP_SECRETS 8
#define SMTP_SECRET_MIN 3
static char *smtp_secret[SMTP_SECRETS];
static size_t smtp_secret_len[SMTP_SECRETS];

static void
smtp_secret_add(const char *s, size_t n)
{
	for (size_t i = 0; n >= SMTP_SECRET_MIN && i < SMTP_SECRETS; i++) {
		if (smtp_secret[i] == NULL) {
			smtp_secret[i] = xmalloc(n);
			memcpy(smtp_secret[i], s, n);
			smtp_secret_len[i] = n;
			return;
		}
		if (smtp_secret_len[i] == n && memcmp(smtp_secret[i], s, n) == 0)
			return;
	}
}

/* Remembers a secret line's last word (the base64 of "AUTH PLAIN b64"
 * or a whole LOGIN line) and each NUL-separated piece it decodes to. */
static void
smtp_secret_remember(const char *line)
{
	const char *b64 = strrchr(line, ' ') ? strrchr(line, ' ') + 1 : line;
	size_t n = strlen(b64);
	unsigned char *raw = xmalloc(n / 4 * 3 + 4);
	int rn = (n % 4 == 0 && n <= INT_MAX)
	                 ? EVP_DecodeBlock(raw, (const unsigned char *)b64, (int)n)
	                 : -1;

	smtp_secret_add(b64, n);
	while (rn > 0 && raw[rn - 1] == '\0')
		rn--; /* EVP_DecodeBlock counts the padding as zero bytes */
	for (int i = 0, start = 0; rn > 0 && i <= rn; i++)
		if (i == rn || raw[i] == '\0') {
			smtp_secret_add((const char *)raw + start, (size_t)(i - start));
			start = i + 1;
		}
	explicit_bzero(raw, n / 4 * 3 + 4);
	free(raw);
}

/* Replaces every remembered secret in line[0..*len) by "[redacted]". */
static void
smtp_redact(char *line, size_t *len, size_t cap)
{
	for (size_t k = 0; k < SMTP_SECRETS && smtp_secret[k] != NULL; k++) {
		char *hit;
		size_t from = 0;
		while ((hit = memmem(line + from, *len - from, smtp_secret[k],
		                     smtp_secret_len[k]))) {
			static const char mark[] = "[redacted]";
			size_t at = (size_t)(hit - line), tail = *len - at - smtp_secret_len[k];
			size_t room = cap - 1 - at; /* at < *len < cap */
			size_t ml = sizeof mark - 1 < room ? sizeof mark - 1 : room;
			if (tail > room - ml)
				tail = room - ml; /* the line is cut rather than overrun */
			memmove(line + at + ml, hit + smtp_secret_len[k], tail);
			memcpy(line + at, mark, ml);
			*len = at + ml + tail;
			line[*len] = '\0';
			from = at + ml;
		}
	}
}

enum net_status
smtp_read_reply(struct net_conn *c, struct smtp_reply *r, char *err, size_t errlen)
{
	char line[SMTP_LINE_MAX];
	size_t len;

	smtp_reply_init(r);
	for (;;) {
		enum net_status st = net_read_line(c, line, sizeof line, &len, err, errlen);
		if (st == NET_ERR_TOOLONG) {
			snprintf(err, errlen, "reply line from %s longer than %d bytes",
			         c->peer, SMTP_LINE_MAX - 1);
			return st;
		}
		if (st != NET_OK) {
			if ((st == NET_ERR_EOF || st == NET_ERR_TIMEOUT) &&
			    (r->nlines > 0 || len > 0))
				snprintf(err, errlen, "%s in the middle of a reply",
				         net_strerror(st));
			else if (st == NET_ERR_EOF || st == NET_ERR_TIMEOUT)
				snprintf(err, errlen, "%s", net_strerror(st));
			return st;
		}
		if (memchr(line, '\0', len) != NULL) {
			snprintf(err, errlen, "reply line with a NUL byte");
			return NET_ERR_IO;
		}
		smtp_redact(line, &len, sizeof line);
		output_debug(2, "S: %s", line);
		switch (smtp_reply_feed(r, line, err, errlen)) {
		case SMTP_FEED_MORE: continue;
		case SMTP_FEED_DONE: return NET_OK;
		case SMTP_FEED_BAD: return NET_ERR_IO;
		}
	}
}

static enum net_status
smtp_write_line(struct net_conn *c, const char *line, char *err, size_t errlen)
{
	size_t n = strlen(line);
	char *buf;
	enum net_status st;

	if (strpbrk(line, "\r\n") != NULL) {
		snprintf(err, errlen, "refusing to send a command with a line break");
		return NET_ERR_IO;
	}
	buf = xmalloc(n + 3);
	memcpy(buf, line, n);
	memcpy(buf + n, "\r\n", 3);
	st = net_write(c, buf, n + 2, err, errlen);
	explicit_bzero(buf, n + 2); /* it may hold AUTH credentials */
	free(buf);
	return st;
}

static enum net_status
smtp_vsend(struct net_conn *c, char *err, size_t errlen, const char *fmt, va_list ap)
{
	struct strbuf sb = STRBUF_INIT;
	enum net_status st;

	sb_vappendf(&sb, fmt, ap);
	output_debug(2, "C: %s", sb_str(&sb));
	st = smtp_write_line(c, sb_str(&sb), err, errlen);
	sb_free(&sb);
	return st;
}

enum net_status
smtp_send(struct net_conn *c, char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	enum net_status st = smtp_vsend(c, err, errlen, fmt, ap);
	va_end(ap);
	return st;
}

enum net_status
smtp_send_secret(struct net_conn *c, const char *line, char *err, size_t errlen)
{
	output_debug(2, "C: (credentials, %zu bytes)", strlen(line));
	smtp_secret_remember(line);
	return smtp_write_line(c, line, err, errlen);
}

enum net_status
smtp_command(struct net_conn *c, struct smtp_reply *r, char *err, size_t errlen,
             const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	enum net_status st = smtp_vsend(c, err, errlen, fmt, ap);
	va_end(ap);
	if (st != NET_OK) {
		smtp_reply_init(r);
		return st;
	}
	return smtp_read_reply(c, r, err, errlen);
}

int
smtp_reply_class(const struct smtp_reply *r)
{
	return r->code / 100;
}

void
smtp_reply_first_line(const struct smtp_reply *r, char *buf, size_t len)
{
	size_t n = strcspn(r->text, "\n");

	if (len == 0)
		return;
	if (n > len - 1)
		n = len - 1;
	memcpy(buf, r->text, n);
	buf[n] = '\0';
}

void
smtp_client_name(char *buf, size_t len)
{
	if (len == 0)
		return;
	if (gethostname(buf, len) != 0 || buf[0] == '\0')
		snprintf(buf, len, "localhost");
	buf[len - 1] = '\0'; /* gethostname() may truncate without one */
}

/* RFC 5321 section 4.1.1.1: ehlo-keyword = (ALPHA / DIGIT)
 * *(ALPHA / DIGIT / "-"). */
static bool
smtp_keyword_ok(const char *s, size_t n)
{
	if (n == 0 || !isalnum((unsigned char)s[0]))
		return false;
	for (size_t i = 1; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '-')
			return false;
	return true;
}

static void
smtp_ext_flags(struct smtp_ext *ext, const struct smtp_ext_item *it)
{
	static const struct {
		const char *name;
		size_t off;
	} flags[] = {
	        {"STARTTLS", offsetof(struct smtp_ext, starttls)},
	        {"PIPELINING", offsetof(struct smtp_ext, pipelining)},
	        {"8BITMIME", offsetof(struct smtp_ext, eightbitmime)},
	        {"SMTPUTF8", offsetof(struct smtp_ext, smtputf8)},
	        {"CHUNKING", offsetof(struct smtp_ext, chunking)},
	        {"DSN", offsetof(struct smtp_ext, dsn)},
	        {"ENHANCEDSTATUSCODES", offsetof(struct smtp_ext, enhancedstatuscodes)},
	};

	for (size_t i = 0; i < sizeof flags / sizeof flags[0]; i++)
		if (strcmp(it->name, flags[i].name) == 0)
			*(bool *)((char *)ext + flags[i].off) = true;
	if (strcmp(it->name, "SIZE") == 0) {
		char *end;
		ext->has_size = true;
		ext->size = strtoull(it->params, &end, 10);
		if (end == it->params || *end != '\0')
			ext->size = 0;
	}
}

/* Adds one EHLO line as an extension; lines that are no keyword, or too
 * long to be one, are skipped (a server's junk must not become a
 * keyword another check later trusts). */
static void
smtp_ext_add(struct smtp_ext *ext, const char *line, size_t len, char *legacy_auth,
             size_t legacy_len)
{
	size_t kw = strcspn(line, " ");
	struct smtp_ext_item *it;

	if (kw > len)
		kw = len;
	if (kw > 5 && strncasecmp(line, "AUTH=", 5) == 0) {
		snprintf(legacy_auth, legacy_len, "%.*s", (int)(len - 5), line + 5);
		return;
	}
	if (!smtp_keyword_ok(line, kw) || kw >= sizeof it->name || ext->n >= SMTP_EXT_MAX)
		return;
	it = &ext->item[ext->n++];
	for (size_t i = 0; i < kw; i++)
		it->name[i] = (char)toupper((unsigned char)line[i]);
	it->name[kw] = '\0';
	size_t p = kw < len ? kw + 1 : len;
	size_t plen = len - p;
	if (plen >= sizeof it->params)
		plen = sizeof it->params - 1;
	memcpy(it->params, line + p, plen);
	it->params[plen] = '\0';
	smtp_ext_flags(ext, it);
}

void
smtp_ext_parse(const struct smtp_reply *r, struct smtp_ext *ext)
{
	char legacy[224] = "";
	const char *s = r->text;

	memset(ext, 0, sizeof *ext);
	s += strcspn(s, "\n"); /* the first line is the greeting */
	while (*s == '\n') {
		s++;
		size_t len = strcspn(s, "\n");
		smtp_ext_add(ext, s, len, legacy, sizeof legacy);
		s += len;
	}
	if (legacy[0] != '\0' && smtp_ext_find(ext, "AUTH") == NULL && ext->n < SMTP_EXT_MAX) {
		struct smtp_ext_item *it = &ext->item[ext->n++];
		snprintf(it->name, sizeof it->name, "AUTH");
		snprintf(it->params, sizeof it->params, "%s", legacy);
	}
}

const char *
smtp_ext_find(const struct smtp_ext *ext, const char *keyword)
{
	for (size_t i = 0; i < ext->n; i++)
		if (strcasecmp(ext->item[i].name, keyword) == 0)
			return ext->item[i].params;
	return NULL;
}

bool
smtp_ext_has_auth(const struct smtp_ext *ext, const char *mech)
{
	const char *p = smtp_ext_find(ext, "AUTH");
	size_t mlen = strlen(mech);

	while (p != NULL && *p != '\0') {
		size_t n = strcspn(p, " ");
		if (n == mlen && strncasecmp(p, mech, n) == 0)
			return true;
		p += n;
		p += strspn(p, " ");
	}
	return false;
}

void
smtp_ext_format(const struct smtp_ext *ext, struct strbuf *sb)
{
	for (size_t i = 0; i < ext->n; i++) {
		const struct smtp_ext_item *it = &ext->item[i];
		if (i > 0)
			sb_appendc(sb, ' ');
		sb_append(sb, it->name);
		if (it->params[0] == '\0')
			continue;
		sb_appendc(sb, '=');
		for (const char *p = it->params; *p; p++)
			sb_appendc(sb, *p == ' ' ? ',' : *p);
	}
}

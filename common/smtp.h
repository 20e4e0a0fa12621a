/* The client side of an SMTP dialogue (RFC 5321): reading replies,
 * single- or multi-line, with their enhanced status codes (RFC 3463,
 * RFC 2034), sending commands, and reading the extensions a server lists
 * in its EHLO reply. Used by check_smtp, by check_tls_cert for
 * --starttls smtp, and by anything else that talks to a mail server.
 *
 * A reply is bounded in every direction: each line (SMTP_LINE_MAX), the
 * number of lines (SMTP_REPLY_MAX_LINES) and the kept text
 * (SMTP_TEXT_MAX), and every read waits only for the run's deadline, so
 * a server that never stops talking or never starts cannot hold a check.
 *
 * Typical use:
 *	struct smtp_reply r;
 *	if (smtp_read_reply(&conn, &r, err, sizeof err) != NET_OK) ...
 *	if (smtp_reply_class(&r) != 2) ...
 *	smtp_command(&conn, &r, err, sizeof err, "EHLO %s", name);
 *	smtp_ext_parse(&r, &ext);
 */
#ifndef GLANCE_SMTP_H
#define GLANCE_SMTP_H

#include <stdbool.h>
#include <stddef.h>

#include "net.h"
#include "strbuf.h"

/* RFC 5321 section 4.5.3.1.5 allows 512 octets per reply line; real
 * servers exceed it a little, a hostile one without end. */
#define SMTP_LINE_MAX 2048
#define SMTP_REPLY_MAX_LINES 64
#define SMTP_TEXT_MAX 8192

struct smtp_reply {
	int code;                 /* 220, 250, 554, ...; 0 until a line is read */
	char enhanced[16];        /* "5.7.1" from the first line, or "" */
	char text[SMTP_TEXT_MAX]; /* the lines' text, enhanced code removed,
	                           * joined with '\n'; NUL-terminated */
	size_t text_len;
	size_t nlines;
	bool truncated; /* text did not fit and was cut */
};

/* What one more line did to a reply being read. */
enum smtp_feed {
	SMTP_FEED_MORE = 0, /* a "250-" continuation: read another line */
	SMTP_FEED_DONE,     /* the last line ("250 " or a bare "250") */
	SMTP_FEED_BAD,      /* not a reply line; err says why */
};

void smtp_reply_init(struct smtp_reply *r);

/* Adds one line (CRLF already removed) to r. Pure: no I/O, so the
 * grammar can be tested on its own. Rejects a line without a three-digit
 * code (first digit 2-5, second 0-5), a code that changes within one
 * reply, a fourth character other than ' ' or '-', and more than
 * SMTP_REPLY_MAX_LINES lines. */
enum smtp_feed smtp_reply_feed(struct smtp_reply *r, const char *line, char *err,
                               size_t errlen);

/* Reads one complete reply from c. Protocol errors come back as
 * NET_ERR_IO with the reason in err (which quotes the offending line,
 * shortened); a line over SMTP_LINE_MAX is NET_ERR_TOOLONG. */
enum net_status smtp_read_reply(struct net_conn *c, struct smtp_reply *r, char *err,
                                size_t errlen);

/* Sends one command line (CRLF added). A command containing CR or LF is
 * refused, so no caller can smuggle a second command into one line. */
enum net_status smtp_send(struct net_conn *c, char *err, size_t errlen, const char *fmt, ...)
        __attribute__((format(printf, 4, 5)));

/* Sends one line that must never appear in debug output (an AUTH
 * exchange's credentials); otherwise like smtp_send(). */
enum net_status smtp_send_secret(struct net_conn *c, const char *line, char *err,
                                 size_t errlen);

/* smtp_send() then smtp_read_reply(). */
enum net_status smtp_command(struct net_conn *c, struct smtp_reply *r, char *err, size_t errlen,
                             const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* The reply's class, the first digit: 2, 3, 4 or 5 (0 for no reply). */
int smtp_reply_class(const struct smtp_reply *r);

/* The first line of the text ("mail.example.test ESMTP Postfix"), copied
 * into buf, at most len-1 bytes. */
void smtp_reply_first_line(const struct smtp_reply *r, char *buf, size_t len);

/* Parses an enhanced status code at the start of s ("5.1.1 ...", RFC 3463
 * section 2: class.subject.detail, class 2, 4 or 5, subject and detail of
 * one to three digits, followed by a space or the end). Returns the
 * number of characters it covers (0 if there is none). */
size_t smtp_enhanced_scan(const char *s);

/* The name this host greets with (EHLO/HELO, RFC 5321 section 4.1.1.1):
 * its host name, or "localhost" when it has none. */
void smtp_client_name(char *buf, size_t len);

/* The service extensions of an EHLO reply (RFC 5321 section 4.1.1.1):
 * each line after the first is a keyword and optional parameters. */
#define SMTP_EXT_MAX 48
struct smtp_ext_item {
	char name[32];    /* upper-cased keyword: "SIZE", "AUTH", ... */
	char params[224]; /* "10240000", "PLAIN LOGIN", or "" */
};

struct smtp_ext {
	size_t n;
	struct smtp_ext_item item[SMTP_EXT_MAX];
	/* Convenience flags for the extensions checks ask about. */
	bool starttls, pipelining, eightbitmime, smtputf8, chunking, dsn, enhancedstatuscodes;
	bool has_size;
	unsigned long long size; /* SIZE limit in bytes; 0 means no limit */
};

/* Fills ext from an EHLO reply; any previous content is discarded (after
 * STARTTLS the pre-TLS list must not survive, RFC 3207 section 4.2).
 * The obsolete "AUTH=PLAIN LOGIN" form some servers add for old clients
 * is read as AUTH when no AUTH line is present. */
void smtp_ext_parse(const struct smtp_reply *r, struct smtp_ext *ext);

/* The parameters of keyword (case-insensitive), or NULL if not listed. */
const char *smtp_ext_find(const struct smtp_ext *ext, const char *keyword);

/* True if the AUTH extension lists the SASL mechanism mech. */
bool smtp_ext_has_auth(const struct smtp_ext *ext, const char *mech);

/* Appends "PIPELINING SIZE=10240000 STARTTLS AUTH=PLAIN,LOGIN ..." in
 * the server's order. */
void smtp_ext_format(const struct smtp_ext *ext, struct strbuf *sb);

#endif

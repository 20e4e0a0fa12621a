#include "starttls.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "smtp.h"
#include "strbuf.h"

/* Lines longer than this are refused (IMAP, POP3, FTP; SMTP has its own
 * bounds in smtp.h); a greeting that needs more is not a server worth
 * talking to. */
#define ST_LINE 1024
/* At most this many lines in one multi-line reply. */
#define ST_MAX_LINES 100

static const char *const st_names[] = {
        [STARTTLS_NONE] = "none",
        [STARTTLS_SMTP] = "smtp",
        [STARTTLS_SUBMISSION] = "submission",
        [STARTTLS_IMAP] = "imap",
        [STARTTLS_POP3] = "pop3",
        [STARTTLS_FTP] = "ftp",
        [STARTTLS_XMPP] = "xmpp",
        [STARTTLS_LDAP] = "ldap",
        [STARTTLS_POSTGRES] = "postgres",
};

int
starttls_parse(const char *name, enum starttls_proto *out)
{
	for (size_t i = 0; i < sizeof st_names / sizeof st_names[0]; i++) {
		if (strcasecmp(name, st_names[i]) == 0) {
			*out = (enum starttls_proto)i;
			return 0;
		}
	}
	return -1;
}

const char *
starttls_name(enum starttls_proto p)
{
	if ((size_t)p >= sizeof st_names / sizeof st_names[0])
		return "?";
	return st_names[p];
}

enum starttls_proto
starttls_for_port(unsigned port)
{
	switch (port) {
	case 25: return STARTTLS_SMTP;
	case 587: return STARTTLS_SUBMISSION;
	case 143: return STARTTLS_IMAP;
	case 110: return STARTTLS_POP3;
	case 21: return STARTTLS_FTP;
	case 5222: return STARTTLS_XMPP;
	case 389: return STARTTLS_LDAP;
	case 5432: return STARTTLS_POSTGRES;
	default: return STARTTLS_NONE;
	}
}

static enum net_status
st_send(struct net_conn *c, const char *s, char *err, size_t errlen)
{
	return net_write(c, s, strlen(s), err, errlen);
}

/* Reads one FTP reply (RFC 959 section 4.2): "234-" continues, "234 "
 * ends it, and lines inside a multi-line reply may be free text. */
static enum net_status
st_ftp_reply(struct net_conn *c, int *code, char *err, size_t errlen)
{
	char line[ST_LINE];
	size_t len;

	for (int n = 0; n < ST_MAX_LINES; n++) {
		enum net_status st = net_read_line(c, line, sizeof line, &len, err, errlen);
		if (st != NET_OK)
			return st;
		if (len < 3 || line[0] < '1' || line[0] > '5' || line[1] < '0' ||
		    line[1] > '9' || line[2] < '0' || line[2] > '9') {
			if (n > 0)
				continue;
			snprintf(err, errlen, "%s: not a reply: '%.80s'", c->peer, line);
			return NET_ERR_IO;
		}
		*code = atoi(line);
		if (len == 3 || line[3] == ' ')
			return NET_OK;
	}
	snprintf(err, errlen, "%s: reply longer than %d lines", c->peer, ST_MAX_LINES);
	return NET_ERR_TOOLONG;
}

static enum net_status
st_ftp_expect(struct net_conn *c, int want, const char *what, char *err, size_t errlen)
{
	int code = 0;
	enum net_status st = st_ftp_reply(c, &code, err, errlen);

	if (st != NET_OK)
		return st;
	if (code != want) {
		snprintf(err, errlen, "%s answered %d to %s", c->peer, code, what);
		return NET_ERR_IO;
	}
	return NET_OK;
}

/* One SMTP reply through smtp.c (multi-line, bounded in lines, length
 * and time), which must carry code want; err names the peer, the step
 * and what the server said instead. */
static enum net_status
st_smtp_expect(struct net_conn *c, struct smtp_reply *r, int want, const char *what, char *err,
               size_t errlen)
{
	char why[300], first[120];
	enum net_status st = smtp_read_reply(c, r, why, sizeof why);

	if (st != NET_OK) {
		snprintf(err, errlen, "%s, reply to %s: %s", c->peer, what, why);
		return st;
	}
	if (r->code == want)
		return NET_OK;
	smtp_reply_first_line(r, first, sizeof first);
	snprintf(err, errlen, "%s answered %d to %s%s%s%s%s", c->peer, r->code, what,
	         r->enhanced[0] || first[0] ? ": " : "", r->enhanced,
	         r->enhanced[0] && first[0] ? " " : "", first);
	return NET_ERR_IO;
}

/* RFC 3207: greeting, EHLO, and STARTTLS only when the EHLO reply lists
 * it (section 4: a client must not try it otherwise). */
static enum net_status
st_smtp(struct net_conn *c, const char *name, char *err, size_t errlen)
{
	struct smtp_reply r;
	struct smtp_ext ext;
	enum net_status st;

	if ((st = st_smtp_expect(c, &r, 220, "the connection (greeting)", err, errlen)) !=
	            NET_OK ||
	    (st = smtp_send(c, err, errlen, "EHLO %s", name)) != NET_OK ||
	    (st = st_smtp_expect(c, &r, 250, "EHLO", err, errlen)) != NET_OK)
		return st;
	smtp_ext_parse(&r, &ext);
	if (!ext.starttls) {
		struct strbuf sb = STRBUF_INIT;
		smtp_ext_format(&ext, &sb);
		snprintf(err, errlen, "%s does not offer STARTTLS (EHLO lists %.200s)", c->peer,
		         ext.n > 0 ? sb_str(&sb) : "no extensions");
		sb_free(&sb);
		return NET_ERR_IO;
	}
	if ((st = smtp_send(c, err, errlen, "STARTTLS")) != NET_OK)
		return st;
	return st_smtp_expect(c, &r, 220, "STARTTLS", err, errlen);
}

static enum net_status
st_ftp(struct net_conn *c, char *err, size_t errlen)
{
	enum net_status st = st_ftp_expect(c, 220, "the connection (greeting)", err, errlen);

	if (st != NET_OK || (st = st_send(c, "AUTH TLS\r\n", err, errlen)) != NET_OK)
		return st;
	return st_ftp_expect(c, 234, "AUTH TLS", err, errlen);
}

/* A line-based greeting then a command and a one-line answer, for IMAP
 * and POP3: ok1 prefixes the greeting, ok2 the positive answer; a line
 * starting with skip (IMAP untagged data) is read past. */
static enum net_status
st_line_dialogue(struct net_conn *c, const char *ok1, const char *cmd, const char *ok2,
                 const char *skip, char *err, size_t errlen)
{
	char line[ST_LINE];
	size_t len;
	enum net_status st = net_read_line(c, line, sizeof line, &len, err, errlen);

	if (st != NET_OK)
		return st;
	if (strncasecmp(line, ok1, strlen(ok1)) != 0) {
		snprintf(err, errlen, "%s greeting: '%.80s'", c->peer, line);
		return NET_ERR_IO;
	}
	if ((st = st_send(c, cmd, err, errlen)) != NET_OK)
		return st;
	for (int n = 0; n < ST_MAX_LINES; n++) {
		if ((st = net_read_line(c, line, sizeof line, &len, err, errlen)) != NET_OK)
			return st;
		if (skip != NULL && strncmp(line, skip, strlen(skip)) == 0)
			continue;
		if (strncasecmp(line, ok2, strlen(ok2)) == 0)
			return NET_OK;
		snprintf(err, errlen, "%s refused STARTTLS: '%.80s'", c->peer, line);
		return NET_ERR_IO;
	}
	snprintf(err, errlen, "%s: too many lines before the STARTTLS answer", c->peer);
	return NET_ERR_TOOLONG;
}

/* net_read() with the failure worded for the STARTTLS dialogue. */
static enum net_status
st_recv(struct net_conn *c, unsigned char *buf, size_t cap, size_t *got, char *err,
        size_t errlen)
{
	enum net_status st = net_read(c, buf, cap, got, err, errlen);

	if (st == NET_ERR_EOF)
		snprintf(err, errlen, "%s closed the connection", c->peer);
	else if (st == NET_ERR_TIMEOUT)
		snprintf(err, errlen, "%s: timeout waiting for the STARTTLS answer", c->peer);
	return st;
}

static enum net_status
st_recv_exact(struct net_conn *c, unsigned char *buf, size_t n, char *err, size_t errlen)
{
	size_t have = 0, got;

	while (have < n) {
		enum net_status st = st_recv(c, buf + have, n - have, &got, err, errlen);
		if (st != NET_OK)
			return st;
		have += got;
	}
	return NET_OK;
}

/* Reads until needle or stop appears, at most cap-1 bytes in all. The
 * XMPP server sends nothing after <proceed/> until our ClientHello, so
 * reading in chunks cannot swallow TLS bytes. */
static enum net_status
st_xml_until(struct net_conn *c, char *buf, size_t cap, const char *needle, const char *stop,
             char *err, size_t errlen)
{
	size_t have = 0, got;

	buf[0] = '\0';
	while (strstr(buf, needle) == NULL) {
		if (stop != NULL && strstr(buf, stop) != NULL) {
			snprintf(err, errlen, "%s refused STARTTLS (%s)", c->peer, stop);
			return NET_ERR_IO;
		}
		if (have + 1 >= cap) {
			snprintf(err, errlen, "%s: no %s in the first %zu bytes", c->peer,
			         needle, cap - 1);
			return NET_ERR_TOOLONG;
		}
		enum net_status st = st_recv(c, (unsigned char *)buf + have, cap - 1 - have,
		                             &got, err, errlen);
		if (st != NET_OK)
			return st;
		have += got;
		buf[have] = '\0';
	}
	return NET_OK;
}

/* RFC 6120 5.4.2: open the stream, wait for the features, ask for TLS. */
static enum net_status
st_xmpp(struct net_conn *c, const char *name, char *err, size_t errlen)
{
	char buf[16384], hdr[512];
	enum net_status st;

	snprintf(hdr, sizeof hdr,
	         "<?xml version='1.0'?><stream:stream to='%s' version='1.0' "
	         "xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>",
	         name);
	if ((st = st_send(c, hdr, err, errlen)) != NET_OK ||
	    (st = st_xml_until(c, buf, sizeof buf, "</stream:features>", "</stream:stream>",
	                       err, errlen)) != NET_OK)
		return st;
	if (strstr(buf, "<starttls") == NULL) {
		snprintf(err, errlen, "%s does not offer STARTTLS", c->peer);
		return NET_ERR_IO;
	}
	if ((st = st_send(c, "<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>", err,
	                  errlen)) != NET_OK)
		return st;
	return st_xml_until(c, buf, sizeof buf, "<proceed", "<failure", err, errlen);
}

/* One BER length (X.690 8.1.3) from p[*i..n); -1 if malformed or huge. */
static long
st_ber_len(const unsigned char *p, size_t n, size_t *i)
{
	if (*i >= n)
		return -1;
	unsigned char b = p[(*i)++];
	if (b < 0x80)
		return b;
	size_t k = b & 0x7f;
	if (k == 0 || k > 2 || *i + k > n)
		return -1;
	long len = 0;
	while (k-- > 0)
		len = (len << 8) | p[(*i)++];
	return len;
}

/* RFC 4511 4.14.1: an ExtendedRequest for 1.3.6.1.4.1.1466.20037; the
 * ExtendedResponse's resultCode must be success (0). */
static enum net_status
st_ldap(struct net_conn *c, char *err, size_t errlen)
{
	static const unsigned char req[] = "\x30\x1d\x02\x01\x01\x77\x18\x80\x16"
	                                   "1.3.6.1.4.1.1466.20037";
	unsigned char hdr[4], body[4096];
	size_t i = 1;
	enum net_status st = net_write(c, req, sizeof req - 1, err, errlen);

	if (st != NET_OK || (st = st_recv_exact(c, hdr, 2, err, errlen)) != NET_OK)
		return st;
	if (hdr[0] != 0x30 || hdr[1] == 0x80 || (hdr[1] & 0x80 && (hdr[1] & 0x7f) > 2)) {
		snprintf(err, errlen, "%s: not an LDAP message", c->peer);
		return NET_ERR_IO;
	}
	size_t extra = hdr[1] & 0x80 ? (size_t)(hdr[1] & 0x7f) : 0;
	if (extra > 0 && (st = st_recv_exact(c, hdr + 2, extra, err, errlen)) != NET_OK)
		return st;
	long len = st_ber_len(hdr, 2 + extra, &i);
	if (len < 8 || (size_t)len > sizeof body) {
		snprintf(err, errlen, "%s: bad LDAP message length", c->peer);
		return NET_ERR_IO;
	}
	if ((st = st_recv_exact(c, body, (size_t)len, err, errlen)) != NET_OK)
		return st;
	/* messageID (INTEGER), then [APPLICATION 24] with resultCode first. */
	i = 0;
	if (body[i++] != 0x02)
		goto bad;
	long idlen = st_ber_len(body, (size_t)len, &i);
	if (idlen < 0 || i + (size_t)idlen + 1 >= (size_t)len)
		goto bad;
	i += (size_t)idlen;
	if (body[i++] != 0x78 || st_ber_len(body, (size_t)len, &i) < 3 || i + 3 > (size_t)len ||
	    body[i] != 0x0a || body[i + 1] != 0x01)
		goto bad;
	if (body[i + 2] != 0) {
		snprintf(err, errlen, "%s refused StartTLS (LDAP result %d)", c->peer,
		         body[i + 2]);
		return NET_ERR_IO;
	}
	return NET_OK;
bad:
	snprintf(err, errlen, "%s: not an LDAP StartTLS response", c->peer);
	return NET_ERR_IO;
}

/* PostgreSQL's SSLRequest (protocol 3, "SSL Session Encryption"): the
 * server answers one byte, 'S' to go on with TLS or 'N'. */
static enum net_status
st_postgres(struct net_conn *c, char *err, size_t errlen)
{
	static const unsigned char req[8] = {0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f};
	unsigned char r;
	enum net_status st = net_write(c, req, sizeof req, err, errlen);

	if (st != NET_OK || (st = st_recv_exact(c, &r, 1, err, errlen)) != NET_OK)
		return st;
	if (r != 'S') {
		snprintf(err, errlen, "%s does not offer TLS (answered '%c')", c->peer,
		         r >= 0x20 && r < 0x7f ? r : '?');
		return NET_ERR_IO;
	}
	return NET_OK;
}

enum net_status
starttls_run(struct net_conn *c, enum starttls_proto p, const char *name, char *err,
             size_t errlen)
{
	switch (p) {
	case STARTTLS_NONE: return NET_OK;
	case STARTTLS_SMTP:
	case STARTTLS_SUBMISSION: return st_smtp(c, name, err, errlen);
	case STARTTLS_IMAP:
		return st_line_dialogue(c, "* OK", "a1 STARTTLS\r\n", "a1 OK", "* ", err,
		                        errlen);
	case STARTTLS_POP3:
		return st_line_dialogue(c, "+OK", "STLS\r\n", "+OK", NULL, err, errlen);
	case STARTTLS_FTP: return st_ftp(c, err, errlen);
	case STARTTLS_XMPP: return st_xmpp(c, name, err, errlen);
	case STARTTLS_LDAP: return st_ldap(c, err, errlen);
	case STARTTLS_POSTGRES: return st_postgres(c, err, errlen);
	}
	snprintf(err, errlen, "unknown STARTTLS protocol");
	return NET_ERR_IO;
}

void
starttls_quit(struct net_conn *c, enum starttls_proto p)
{
	static const struct {
		const char *bytes;
		size_t len;
	} bye[] = {
	        [STARTTLS_NONE] = {"", 0},
	        [STARTTLS_SMTP] = {"QUIT\r\n", 6},
	        [STARTTLS_SUBMISSION] = {"QUIT\r\n", 6},
	        [STARTTLS_IMAP] = {"a2 LOGOUT\r\n", 11},
	        [STARTTLS_POP3] = {"QUIT\r\n", 6},
	        [STARTTLS_FTP] = {"QUIT\r\n", 6},
	        [STARTTLS_XMPP] = {"</stream:stream>", 16},
	        /* UnbindRequest, messageID 2 (RFC 4511 4.3) */
	        [STARTTLS_LDAP] = {"\x30\x05\x02\x01\x02\x42\x00", 7},
	        /* Terminate: 'X', length 4 */
	        [STARTTLS_POSTGRES] = {"X\0\0\0\4", 5},
	};
	char err[128];

	if ((size_t)p >= sizeof bye / sizeof bye[0] || bye[p].len == 0 || c->ssl == NULL)
		return;
	if (net_write(c, bye[p].bytes, bye[p].len, err, sizeof err) != NET_OK)
		return; /* the connection ends either way */
}

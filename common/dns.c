#include "dns.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <unistd.h>

#include "deadline.h"
#include "net.h"
#include "output.h"

/* The EDNS buffer size DNS Flag Day 2020 settled on: replies this small
 * are not fragmented on any common path, larger ones come over TCP. */
#define DNS_EDNS_SIZE 1232
#define DNS_RESEND_MS 1000

static const char *const dns_errors[] = {
        [DNS_OK] = "ok",
        [DNS_ERR_ARG] = "bad argument",
        [DNS_ERR_RESOLVE] = "cannot resolve server",
        [DNS_ERR_TIMEOUT] = "timeout",
        [DNS_ERR_REFUSED] = "connection refused",
        [DNS_ERR_NET] = "network error",
        [DNS_ERR_MALFORMED] = "malformed reply",
        [DNS_ERR_TRUNCATED] = "truncated reply",
};

const char *
dns_strerror(enum dns_status st)
{
	if ((unsigned)st >= sizeof dns_errors / sizeof dns_errors[0])
		return "unknown error";
	return dns_errors[st];
}

const char *
dns_rcode_name(int rcode)
{
	static const char *const names[] = {"NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN",
	                                    "NOTIMP",  "REFUSED", "YXDOMAIN", "YXRRSET",
	                                    "NXRRSET", "NOTAUTH", "NOTZONE"};
	if (rcode >= 0 && (size_t)rcode < sizeof names / sizeof names[0])
		return names[rcode];
	return "RCODE?";
}

/* ---- server lists ---------------------------------------------------- */

void
dns_servers_free(struct dns_servers *s)
{
	free(s->v);
	memset(s, 0, sizeof *s);
}

static void
servers_push(struct dns_servers *s, const struct dns_server *srv)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->v[i].port == srv->port && strcmp(s->v[i].addr, srv->addr) == 0)
			return;
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 4;
		s->v = xrealloc(s->v, s->cap * sizeof *s->v);
	}
	s->v[s->n++] = *srv;
}

/* Splits "HOST[@PORT]" (HOST may be "[v6]") into host and port. */
static int
server_split(const char *spec, char *host, size_t hostlen, unsigned *port, char *err,
             size_t errlen)
{
	const char *at = strrchr(spec, '@');
	size_t len = at ? (size_t)(at - spec) : strlen(spec);

	if (at != NULL) {
		char *end;
		unsigned long p = strtoul(at + 1, &end, 10);
		if (at[1] == '\0' || *end != '\0' || p == 0 || p > 65535) {
			snprintf(err, errlen, "server '%s': bad port after '@'", spec);
			return -1;
		}
		*port = (unsigned)p;
	}
	if (len > 1 && spec[0] == '[' && spec[len - 1] == ']')
		spec++, len -= 2;
	if (len == 0 || len >= hostlen) {
		snprintf(err, errlen, "server '%s': bad address", spec);
		return -1;
	}
	memcpy(host, spec, len);
	host[len] = '\0';
	return 0;
}

enum dns_status
dns_servers_add(struct dns_servers *s, const char *spec, const char *label, unsigned port,
                int family, char *err, size_t errlen)
{
	char host[256];
	struct addrinfo *res = NULL;
	size_t count = 0;

	if (server_split(spec, host, sizeof host, &port, err, errlen) != 0)
		return DNS_ERR_ARG;
	bool explicit_port = strchr(spec, '@') != NULL;
	if (net_resolve(host, port, family, SOCK_DGRAM, &res, err, errlen) != NET_OK)
		return DNS_ERR_RESOLVE;
	for (const struct addrinfo *ai = res; ai != NULL; ai = ai->ai_next)
		count++;
	for (const struct addrinfo *ai = res; ai != NULL; ai = ai->ai_next) {
		struct dns_server srv;
		memset(&srv, 0, sizeof srv);
		net_addr_str(ai->ai_addr, srv.addr, sizeof srv.addr);
		srv.port = port;
		memcpy(&srv.sa, ai->ai_addr, ai->ai_addrlen);
		srv.salen = ai->ai_addrlen;
		const char *name = label ? label : host;
		int n;
		if ((label != NULL || count > 1) && strcmp(name, srv.addr) != 0)
			n = snprintf(srv.label, sizeof srv.label, "%s/%s", name, srv.addr);
		else
			n = snprintf(srv.label, sizeof srv.label, "%s", name);
		/* A port given in spec stays in the name: two servers on one
		 * address must not share a label. */
		if (label == NULL && explicit_port && n > 0 && (size_t)n < sizeof srv.label)
			snprintf(srv.label + n, sizeof srv.label - (size_t)n, "@%u", port);
		servers_push(s, &srv);
	}
	freeaddrinfo(res);
	return DNS_OK;
}

/* The nameserver lines of a resolv.conf (resolv.conf(5): "nameserver"
 * and one address; '#' or ';' starts a comment line). */
enum dns_status
dns_servers_system(struct dns_servers *s, const char *path, unsigned port, int family,
                   char *err, size_t errlen)
{
	const char *file = path ? path : "/etc/resolv.conf";
	FILE *fp = fopen(file, "re");
	enum dns_status st = DNS_OK;
	size_t before = s->n;
	char line[512];

	if (fp == NULL) {
		snprintf(err, errlen, "cannot read %s: %s", file, strerror(errno));
		return DNS_ERR_ARG;
	}
	while (st == DNS_OK && fgets(line, sizeof line, fp) != NULL) {
		char *save = NULL, *key = strtok_r(line, " \t\r\n", &save);
		char *addr = key ? strtok_r(NULL, " \t\r\n", &save) : NULL;
		unsigned char bin[16];
		if (key == NULL || strcmp(key, "nameserver") != 0 || addr == NULL)
			continue;
		int fam = inet_pton(AF_INET, addr, bin) == 1    ? AF_INET
		          : inet_pton(AF_INET6, addr, bin) == 1 ? AF_INET6
		                                                : AF_UNSPEC;
		if (fam != AF_UNSPEC && (family == AF_UNSPEC || family == fam))
			st = dns_servers_add(s, addr, NULL, port, fam, err, errlen);
	}
	fclose(fp);
	if (st == DNS_OK && s->n == before) {
		snprintf(err, errlen, "no usable nameserver in %s", file);
		st = DNS_ERR_ARG;
	}
	return st;
}

/* ---- queries --------------------------------------------------------- */

void
dns_reply_free(struct dns_reply *r)
{
	dns_msg_free(&r->msg);
}

/* Milliseconds left before end (a monotonic time) and the run's deadline,
 * rounded up as deadline_remaining_ms() does: 0 only once one of them has
 * passed, so a caller can tell which one ended the wait. */
static int
wait_ms(int64_t end)
{
	int ms = deadline_remaining_ms();
	int64_t left = end - mono_ns();
	if (left <= 0)
		return 0;
	left = (left + 999999) / 1000000;
	return left < ms ? (int)left : ms;
}

enum reply_fit { FIT_OURS, FIT_WRONG_ID, FIT_WRONG_QUESTION };

/* A reply belongs to our query when the id and the question match; an
 * error reply may leave the question out (RFC 1035 4.1.1 allows it). */
static enum reply_fit
reply_fit(const struct dns_msg *q, const struct dns_msg *r)
{
	if (q->id != r->id)
		return FIT_WRONG_ID;
	if (!r->qr)
		return FIT_WRONG_QUESTION;
	if (r->qdcount == 0)
		return r->rcode != DNS_R_NOERROR ? FIT_OURS : FIT_WRONG_QUESTION;
	return q->qtype == r->qtype && q->qclass == r->qclass &&
	                       dns_name_equal(q, q->qname, r, r->qname)
	               ? FIT_OURS
	               : FIT_WRONG_QUESTION;
}

/* "3 replies with a wrong id and 1 reply to another question ignored" */
static void
ignored_text(const struct dns_reply *r, struct strbuf *sb)
{
	if (r->wrong_id > 0)
		sb_appendf(sb, "%u repl%s with a wrong id", r->wrong_id,
		           r->wrong_id == 1 ? "y" : "ies");
	if (r->wrong_id > 0 && r->wrong_question > 0)
		sb_append(sb, " and ");
	if (r->wrong_question > 0)
		sb_appendf(sb, "%u repl%s to another question", r->wrong_question,
		           r->wrong_question == 1 ? "y" : "ies");
	sb_append(sb, " ignored");
}

void
dns_reply_ignored(const struct dns_reply *r, struct strbuf *sb)
{
	if (r->wrong_id == 0 && r->wrong_question == 0)
		return;
	sb_append(sb, " (");
	ignored_text(r, sb);
	sb_append(sb, ")");
}

static enum dns_status
parse_reply(const uint8_t *buf, size_t len, struct dns_msg *out, char *err, size_t errlen)
{
	char why[200];

	if (dns_msg_parse(out, buf, len, why, sizeof why) != 0) {
		snprintf(err, errlen, "malformed reply (%zu bytes): %s", len, why);
		return DNS_ERR_MALFORMED;
	}
	return DNS_OK;
}

static enum dns_status
sock_error(int e, const char *what, char *err, size_t errlen)
{
	snprintf(err, errlen, "%s: %s", what, strerror(e));
	return e == ECONNREFUSED ? DNS_ERR_REFUSED : DNS_ERR_NET;
}

static enum dns_status
udp_timeout(const struct dns_reply *reply, char *err, size_t errlen)
{
	struct strbuf sb = STRBUF_INIT;

	if (reply->wrong_id == 0 && reply->wrong_question == 0) {
		snprintf(err, errlen, "no reply (timeout)");
		return DNS_ERR_TIMEOUT;
	}
	ignored_text(reply, &sb);
	snprintf(err, errlen, "no valid reply (timeout, %s)", sb_str(&sb));
	sb_free(&sb);
	return DNS_ERR_TIMEOUT;
}

/* Sends the query and waits for a matching datagram, re-sending once a
 * second; one that does not match is counted in reply and the wait goes
 * on (RFC 5452 section 9.1: an answer is accepted only when its id and
 * question match, so a spoofed or stale one must not end the query).
 * The socket is connected, so only the server's datagrams arrive and an
 * ICMP port unreachable shows as ECONNREFUSED. */
static enum dns_status
udp_exchange(int fd, const uint8_t *wire, size_t wlen, const struct dns_msg *q, int64_t end,
             struct dns_reply *reply, char *err, size_t errlen)
{
	struct dns_msg *out = &reply->msg;
	uint8_t buf[DNS_MSG_MAX];
	int64_t next_send = 0;

	for (;;) {
		int64_t now = mono_ns();
		if (now >= next_send) {
			if (send(fd, wire, wlen, 0) < 0 && errno != EAGAIN && errno != EINTR)
				return sock_error(errno, "send", err, errlen);
			next_send = now + (int64_t)DNS_RESEND_MS * 1000000;
		}
		int ms = wait_ms(end);
		if (ms == 0)
			return udp_timeout(reply, err, errlen);
		int resend = (int)((next_send - now) / 1000000) + 1;
		struct pollfd pfd = {.fd = fd, .events = POLLIN};
		int n = poll(&pfd, 1, resend < ms ? resend : ms);
		if (n < 0 && errno != EINTR)
			return sock_error(errno, "poll", err, errlen);
		if (n <= 0)
			continue;
		ssize_t got = recv(fd, buf, sizeof buf, 0);
		if (got < 0) {
			if (errno == EAGAIN || errno == EINTR)
				continue;
			return sock_error(errno, "recv", err, errlen);
		}
		enum dns_status st = parse_reply(buf, (size_t)got, out, err, errlen);
		if (st != DNS_OK)
			return st;
		enum reply_fit fit = reply_fit(q, out);
		if (fit == FIT_OURS)
			return st;
		if (fit == FIT_WRONG_ID)
			reply->wrong_id++;
		else
			reply->wrong_question++;
		dns_msg_free(out);
	}
}

/* Reads or writes exactly len bytes on a non-blocking stream socket. */
static enum dns_status
tcp_io(int fd, uint8_t *buf, size_t len, bool writing, int64_t end, char *err, size_t errlen)
{
	while (len > 0) {
		ssize_t n = writing ? send(fd, buf, len, MSG_NOSIGNAL) : recv(fd, buf, len, 0);
		if (n > 0) {
			buf += n;
			len -= (size_t)n;
			continue;
		}
		if (n == 0) {
			snprintf(err, errlen, "TCP connection closed by the server");
			return DNS_ERR_NET;
		}
		if (errno != EAGAIN && errno != EINTR)
			return sock_error(errno, writing ? "TCP send" : "TCP recv", err,
			                  errlen);
		int ms = wait_ms(end);
		struct pollfd pfd = {.fd = fd, .events = writing ? POLLOUT : POLLIN};
		if (ms == 0 || poll(&pfd, 1, ms) == 0) {
			snprintf(err, errlen, "no reply over TCP (timeout)");
			return DNS_ERR_TIMEOUT;
		}
	}
	return DNS_OK;
}

static enum dns_status
tcp_connect(int fd, const struct dns_server *srv, int64_t end, char *err, size_t errlen)
{
	int soerr = 0;
	socklen_t sl = sizeof soerr;

	if (connect(fd, (const struct sockaddr *)&srv->sa, srv->salen) == 0)
		return DNS_OK;
	if (errno != EINPROGRESS)
		return sock_error(errno, "TCP connect", err, errlen);
	struct pollfd pfd = {.fd = fd, .events = POLLOUT};
	int ms = wait_ms(end);
	if (ms == 0 || poll(&pfd, 1, ms) <= 0) {
		snprintf(err, errlen, "TCP connect: timeout");
		return DNS_ERR_TIMEOUT;
	}
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) != 0)
		soerr = errno;
	return soerr ? sock_error(soerr, "TCP connect", err, errlen) : DNS_OK;
}

/* One query over TCP: two-byte length prefix each way (RFC 1035 4.2.2). */
static enum dns_status
tcp_exchange(const struct dns_server *srv, const uint8_t *wire, size_t wlen,
             const struct dns_msg *q, int64_t end, struct dns_msg *out, char *err,
             size_t errlen)
{
	uint8_t hdr[2], *msg = xmalloc(wlen + 2), *body = NULL;
	enum dns_status st;
	int fd = socket(srv->sa.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	if (fd < 0) {
		st = sock_error(errno, "socket", err, errlen);
		goto out;
	}
	msg[0] = (uint8_t)(wlen >> 8);
	msg[1] = (uint8_t)wlen;
	memcpy(msg + 2, wire, wlen);
	if ((st = tcp_connect(fd, srv, end, err, errlen)) != DNS_OK ||
	    (st = tcp_io(fd, msg, wlen + 2, true, end, err, errlen)) != DNS_OK ||
	    (st = tcp_io(fd, hdr, 2, false, end, err, errlen)) != DNS_OK)
		goto out;
	size_t len = (size_t)hdr[0] << 8 | hdr[1];
	body = xmalloc(len ? len : 1);
	if ((st = tcp_io(fd, body, len, false, end, err, errlen)) != DNS_OK ||
	    (st = parse_reply(body, len, out, err, errlen)) != DNS_OK)
		goto out;
	if (reply_fit(q, out) != FIT_OURS) {
		dns_msg_free(out);
		snprintf(err, errlen, "TCP reply does not match the query");
		st = DNS_ERR_MALFORMED;
	}
out:
	if (fd >= 0)
		close(fd);
	free(msg);
	free(body);
	return st;
}

/* A random query id (RFC 5452 section 9.2). */
static uint16_t
query_id(void)
{
	uint16_t id;
	if (getrandom(&id, sizeof id, GRND_NONBLOCK) != (ssize_t)sizeof id)
		id = (uint16_t)(mono_ns() ^ getpid());
	return id;
}

/* Builds the query into wire (at most DNS_QUERY_MAX bytes) and parses
 * it back into q, the form replies are matched against. */
#define DNS_QUERY_MAX 512
static int
query_packet(const char *name, uint16_t type, unsigned flags, uint8_t *wire, struct dns_msg *q,
             char *err, size_t errlen)
{
	unsigned qf = (flags & DNS_Q_NORD) ? 0 : DNS_QF_RD;

	if (!(flags & DNS_Q_NOEDNS))
		qf |= DNS_QF_EDNS;
	if (flags & DNS_Q_DO)
		qf |= DNS_QF_EDNS | DNS_QF_DO | DNS_QF_CD;
	int len = dns_query_build(wire, DNS_QUERY_MAX, query_id(), name, type, qf,
	                          DNS_EDNS_SIZE, err, errlen);
	if (len < 0 || dns_msg_parse(q, wire, (size_t)len, err, errlen) != 0)
		return -1;
	return len;
}

static enum dns_status
udp_query(const struct dns_server *srv, const uint8_t *wire, size_t wlen,
          const struct dns_msg *q, int64_t end, struct dns_reply *reply, char *err,
          size_t errlen)
{
	int fd = socket(srv->sa.ss_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	enum dns_status st;

	if (fd < 0)
		return sock_error(errno, "socket", err, errlen);
	if (connect(fd, (const struct sockaddr *)&srv->sa, srv->salen) != 0)
		st = sock_error(errno, "connect", err, errlen);
	else
		st = udp_exchange(fd, wire, wlen, q, end, reply, err, errlen);
	close(fd);
	return st;
}

/* One query: UDP (unless DNS_Q_TCP), then TCP when truncated. */
static enum dns_status
query_once(const struct dns_server *srv, const char *name, uint16_t type, unsigned flags,
           int64_t end, struct dns_reply *reply, char *err, size_t errlen)
{
	uint8_t wire[DNS_QUERY_MAX];
	struct dns_msg q = {0};
	enum dns_status st = DNS_ERR_ARG;
	int wlen = query_packet(name, type, flags, wire, &q, err, errlen);

	if (wlen < 0)
		goto out;
	if (!(flags & DNS_Q_TCP)) {
		st = udp_query(srv, wire, (size_t)wlen, &q, end, reply, err, errlen);
		if (st != DNS_OK || !reply->msg.tc)
			goto out;
		if (flags & DNS_Q_NOTCP) {
			snprintf(err, errlen, "truncated UDP reply and TCP is off");
			st = DNS_ERR_TRUNCATED;
			goto out;
		}
		dns_msg_free(&reply->msg);
		reply->truncated_udp = true;
	}
	reply->tcp = true;
	st = tcp_exchange(srv, wire, (size_t)wlen, &q, end, &reply->msg, err, errlen);
	if (st != DNS_OK && reply->truncated_udp) {
		char why[200];
		snprintf(why, sizeof why, "%s", err);
		snprintf(err, errlen, "truncated UDP reply, TCP retry failed: %s", why);
	}
out:
	if (st != DNS_OK)
		dns_reply_free(reply);
	dns_msg_free(&q);
	return st;
}

enum dns_status
dns_query(const struct dns_server *srv, const char *name, uint16_t type, unsigned flags,
          int budget_ms, struct dns_reply *reply, char *err, size_t errlen)
{
	int64_t t0 = mono_ns();
	int64_t end = budget_ms > 0 ? t0 + (int64_t)budget_ms * 1000000 : INT64_MAX;

	memset(reply, 0, sizeof *reply);
	enum dns_status st = query_once(srv, name, type, flags, end, reply, err, errlen);
	/* A server that does not know EDNS answers FORMERR without an OPT
	 * record: ask again without it (RFC 6891 section 7). Not with DO,
	 * which needs EDNS. */
	if (st == DNS_OK && reply->msg.rcode == DNS_R_FORMERR && !reply->msg.edns &&
	    !(flags & (DNS_Q_DO | DNS_Q_NOEDNS))) {
		dns_reply_free(reply);
		memset(reply, 0, sizeof *reply);
		reply->no_edns = true;
		st = query_once(srv, name, type, flags | DNS_Q_NOEDNS, end, reply, err, errlen);
	}
	reply->seconds = (double)(mono_ns() - t0) / 1e9;
	output_debug(2, "dns: %s type %d to %s port %u%s%s: %s in %.3f ms%s%s", name, (int)type,
	             srv->addr, srv->port, reply->tcp ? " over TCP" : "",
	             reply->no_edns ? " without EDNS" : "",
	             st == DNS_OK ? dns_rcode_name((int)reply->msg.rcode) : dns_strerror(st),
	             reply->seconds * 1000, st == DNS_OK ? "" : ": ", st == DNS_OK ? "" : err);
	return st;
}

/* ---- formatting and matching ----------------------------------------- */

void
dns_rrs_add(struct dns_rrs *l, const struct dns_msg *m, enum dns_section sec, uint16_t type)
{
	for (size_t i = 0; i < m->nrr; i++) {
		const struct dns_rr *rr = &m->rr[i];
		if (rr->section != sec || (type != 0 && rr->type != type))
			continue;
		if (l->n == l->cap) {
			l->cap = l->cap ? l->cap * 2 : 8;
			l->v = xrealloc(l->v, l->cap * sizeof *l->v);
		}
		l->v[l->n++] = (struct dns_rref){m, rr};
	}
}

void
dns_rrs_free(struct dns_rrs *l)
{
	free(l->v);
	memset(l, 0, sizeof *l);
}

static int
cmp_str(const void *a, const void *b)
{
	return strcasecmp(*(char *const *)a, *(char *const *)b);
}

/* The canonical rdata texts of the RRs of type in rrs, sorted. */
static char **
rrset_texts(const struct dns_rrs *rrs, uint16_t type, size_t *n)
{
	size_t count = rrs ? rrs->n : 0;
	char **v = xcalloc(count + 1, sizeof *v);

	*n = 0;
	for (size_t i = 0; i < count; i++) {
		const struct dns_rref *r = &rrs->v[i];
		if (r->rr->type != type)
			continue;
		struct strbuf sb = STRBUF_INIT;
		dns_rr_text(r->msg, r->rr, &sb);
		v[(*n)++] = sb.buf ? sb_detach(&sb) : xstrdup("");
	}
	qsort(v, *n, sizeof *v, cmp_str);
	return v;
}

static void
texts_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

size_t
dns_rrset_format(struct strbuf *sb, const struct dns_rrs *rrs, uint16_t type)
{
	size_t n;
	char **v = rrset_texts(rrs, type, &n);

	for (size_t i = 0; i < n; i++)
		sb_appendf(sb, "%s%s", i ? ", " : "", v[i]);
	texts_free(v, n);
	return n;
}

/* A TXT answer given as plain text is one character-string: quote it so
 * "v=spf1 -all" is not read as two strings. */
static void
append_txt_quoted(struct strbuf *sb, const char *text)
{
	sb_appendc(sb, '"');
	for (const char *p = text; *p; p++) {
		if (*p == '"' || *p == '\\')
			sb_appendc(sb, '\\');
		sb_appendc(sb, *p);
	}
	sb_appendc(sb, '"');
}

/* dns_rdata_canon() for an expected answer, where a bare TXT text is
 * one string. */
static int
expect_canon(const char *text, uint16_t type, struct strbuf *out, char *err, size_t errlen)
{
	struct strbuf q = STRBUF_INIT;
	int rc;

	if ((type == DNS_T_TXT || type == DNS_T_SPF) && text[0] != '"') {
		append_txt_quoted(&q, text);
		text = sb_str(&q);
	}
	rc = dns_rdata_canon(text, type, out, err, errlen);
	sb_free(&q);
	return rc;
}

static bool
texts_contain(char *const *v, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcasecmp(v[i], s) == 0)
			return true;
	return false;
}

bool
dns_answer_match(const struct dns_rrs *answer, uint16_t type, const char *const *expected,
                 size_t n, struct strbuf *diff)
{
	size_t got_n;
	char **got = rrset_texts(answer, type, &got_n);
	bool match = true;
	const char *sep = "missing ";

	for (size_t i = 0; i < n; i++) {
		if (texts_contain(got, got_n, expected[i]))
			continue;
		sb_appendf(diff, "%s%s", sep, expected[i]);
		sep = ", ";
		match = false;
	}
	sep = match ? "unexpected " : " and unexpected ";
	for (size_t i = 0; i < got_n; i++) {
		if (texts_contain((char *const *)expected, n, got[i]))
			continue;
		sb_appendf(diff, "%s%s", sep, got[i]);
		sep = ", ";
		match = false;
	}
	texts_free(got, got_n);
	return match;
}

/* ---- expected answers (check_dns -a) ------------------------------ */

/* "ADDR/LEN" of either family; -1 when text is not one. */
static int
expect_cidr(const char *text, struct dns_expect *e)
{
	char addr[INET6_ADDRSTRLEN + 1], *end;
	const char *slash = strchr(text, '/');

	if (slash == NULL || (size_t)(slash - text) >= sizeof addr || slash[1] == '\0')
		return -1;
	memcpy(addr, text, (size_t)(slash - text));
	addr[slash - text] = '\0';
	e->family = inet_pton(AF_INET, addr, e->net) == 1    ? AF_INET
	            : inet_pton(AF_INET6, addr, e->net) == 1 ? AF_INET6
	                                                     : 0;
	errno = 0;
	unsigned long len = strtoul(slash + 1, &end, 10);
	if (e->family == 0 || *end != '\0' || errno != 0 || !isdigit((unsigned char)slash[1]) ||
	    len > (e->family == AF_INET ? 32u : 128u))
		return -1;
	e->prefix = (unsigned)len;
	e->kind = DNS_EXPECT_CIDR;
	e->text = xstrdup(text);
	return 0;
}

/* Whether the data of type holds a domain name (RFC 1035 3.3, RFC 2782,
 * RFC 3403, RFC 6672, RFC 4034): the types a target can stand for. */
static bool
type_has_name(uint16_t type)
{
	static const uint16_t named[] = {DNS_T_NS,    DNS_T_CNAME, DNS_T_SOA,   DNS_T_PTR,
	                                 DNS_T_MX,    DNS_T_SRV,   DNS_T_NAPTR, DNS_T_DNAME,
	                                 DNS_T_RRSIG, DNS_T_NSEC};
	for (size_t i = 0; i < sizeof named / sizeof named[0]; i++)
		if (named[i] == type)
			return true;
	return false;
}

/* A host name as the target of a type whose rdata holds a name. */
static int
expect_target(const char *text, const uint16_t *types, size_t ntypes, struct dns_expect *e)
{
	bool has_name = false;
	struct strbuf sb = STRBUF_INIT;
	char err[200];

	for (size_t i = 0; i < ntypes; i++)
		has_name |= type_has_name(types[i]);
	if (!has_name || strchr(text, ' ') != NULL ||
	    dns_rdata_canon(text, DNS_T_NS, &sb, err, sizeof err) != 0) {
		sb_free(&sb);
		return -1;
	}
	e->kind = DNS_EXPECT_TARGET;
	e->text = sb_detach(&sb);
	return 0;
}

int
dns_expect_parse(const char *text, const uint16_t *types, size_t ntypes, struct dns_expect *e,
                 char *err, size_t errlen)
{
	bool addr_type = false;

	memset(e, 0, sizeof *e);
	for (size_t i = 0; i < ntypes; i++)
		addr_type |= types[i] == DNS_T_A || types[i] == DNS_T_AAAA;
	if (addr_type && expect_cidr(text, e) == 0)
		return 0;
	/* What looks like an address must be one: "300.1.1.1" or a bad range
	 * is a typo, not the name of a CNAME target. */
	bool numeric = strspn(text, "0123456789.") == strlen(text) ||
	               strchr(text, ':') != NULL || strchr(text, '/') != NULL;
	if (addr_type && numeric) {
		uint16_t fam = strchr(text, ':') ? DNS_T_AAAA : DNS_T_A;
		struct strbuf sb = STRBUF_INIT;
		if (strchr(text, '/') == NULL &&
		    dns_rdata_canon(text, fam, &sb, err, errlen) == 0) {
			e->kind = DNS_EXPECT_RDATA;
			e->type = fam;
			e->text = sb_detach(&sb);
			return 0;
		}
		sb_free(&sb);
		snprintf(err, errlen, "'%s' is not an IPv4 or IPv6 address or range", text);
		return -1;
	}
	for (size_t i = 0; i < ntypes; i++) {
		struct strbuf sb = STRBUF_INIT;
		if (expect_canon(text, types[i], &sb, err, errlen) == 0) {
			e->kind = DNS_EXPECT_RDATA;
			e->type = types[i];
			e->text = sb.buf ? sb_detach(&sb) : xstrdup("");
			return 0;
		}
		sb_free(&sb);
	}
	return expect_target(text, types, ntypes, e);
}

void
dns_expect_free(struct dns_expect *e)
{
	free(e->text);
	e->text = NULL;
}

static bool
cidr_contains(const struct dns_expect *e, const struct dns_rref *r)
{
	size_t alen = e->family == AF_INET ? 4 : 16;
	uint16_t want = e->family == AF_INET ? DNS_T_A : DNS_T_AAAA;

	if (r->rr->type != want || r->rr->rdlen != alen)
		return false;
	const unsigned char *a = r->msg->wire + r->rr->rdata;
	unsigned full = e->prefix / 8, bits = e->prefix % 8;
	if (memcmp(a, e->net, full) != 0)
		return false;
	unsigned char mask = (unsigned char)(0xff << (8 - bits));
	return bits == 0 || (a[full] & mask) == (e->net[full] & mask);
}

static bool
expect_matches(const struct dns_expect *e, const struct dns_rref *r, const char *rdata)
{
	char name[DNS_NAME_TEXT];

	switch (e->kind) {
	case DNS_EXPECT_CIDR: return cidr_contains(e, r);
	case DNS_EXPECT_RDATA: return r->rr->type == e->type && strcasecmp(rdata, e->text) == 0;
	case DNS_EXPECT_TARGET:
		return dns_rr_first_name(r->msg, r->rr, name) && strcasecmp(name, e->text) == 0;
	}
	return false;
}

static bool
type_listed(uint16_t t, const uint16_t *types, size_t ntypes)
{
	for (size_t i = 0; i < ntypes; i++)
		if (types[i] == t)
			return true;
	return false;
}

/* Sets used[] for each expectation some RR matched; returns how many RRs
 * of the types no expectation matched, listing them in stray. */
static size_t
expect_scan(const struct dns_rrs *answer, const uint16_t *types, size_t ntypes,
            const struct dns_expect *e, size_t n, bool *used, struct strbuf *stray)
{
	size_t count = answer ? answer->n : 0, unmatched = 0;

	for (size_t i = 0; i < count; i++) {
		const struct dns_rref *r = &answer->v[i];
		if (!type_listed(r->rr->type, types, ntypes))
			continue;
		struct strbuf rd = STRBUF_INIT;
		bool hit = false;
		dns_rr_text(r->msg, r->rr, &rd);
		for (size_t j = 0; j < n; j++)
			if (expect_matches(&e[j], r, sb_str(&rd)))
				hit = used[j] = true;
		/* A CNAME in the answer to another type is the way there, not an
		 * answer (RFC 1034 section 3.6.2): it may match, never stray. */
		bool chain = r->rr->type == DNS_T_CNAME && types[0] != DNS_T_CNAME;
		if (!hit && !chain)
			sb_appendf(stray, "%s%s", unmatched++ ? ", " : "", sb_str(&rd));
		sb_free(&rd);
	}
	return unmatched;
}

bool
dns_expect_check(const struct dns_rrs *answer, const uint16_t *types, size_t ntypes,
                 const struct dns_expect *e, size_t n, bool all, struct strbuf *diff)
{
	bool *used = xcalloc(n + 1, sizeof *used);
	struct strbuf stray = STRBUF_INIT, missing = STRBUF_INIT;
	size_t unmatched = expect_scan(answer, types, ntypes, e, n, used, &stray);
	size_t nmissing = 0, nused = 0;

	for (size_t j = 0; j < n; j++) {
		nused += used[j];
		if (!used[j])
			sb_appendf(&missing, "%s%s", nmissing++ ? ", " : "",
			           e[j].text ? e[j].text : "");
	}
	bool match = all ? nmissing == 0 && unmatched == 0 : nused > 0;
	if (!match && (all || nused == 0)) {
		if (nmissing > 0)
			sb_appendf(diff, "%s %s", all ? "missing" : "expected",
			           sb_str(&missing));
		if (unmatched > 0)
			sb_appendf(diff, "%s%s %s", nmissing ? " and " : "",
			           all ? "unexpected" : "got", sb_str(&stray));
	}
	sb_free(&stray);
	sb_free(&missing);
	free(used);
	return match;
}

/* ---- reverse names, serials, blocklist codes ------------------------- */

int
dns_reverse_name(const char *addr, const char *zone, struct strbuf *out)
{
	unsigned char a[16];
	static const char hex[] = "0123456789abcdef";

	if (inet_pton(AF_INET, addr, a) == 1) {
		sb_appendf(out, "%u.%u.%u.%u.%s", a[3], a[2], a[1], a[0],
		           zone ? zone : "in-addr.arpa");
		return 0;
	}
	if (inet_pton(AF_INET6, addr, a) != 1)
		return -1;
	/* Least significant nibble first (RFC 3596 section 2.5). */
	for (int i = 15; i >= 0; i--) {
		sb_appendc(out, hex[a[i] & 0xf]);
		sb_appendc(out, '.');
		sb_appendc(out, hex[a[i] >> 4]);
		sb_appendc(out, '.');
	}
	sb_append(out, zone ? zone : "ip6.arpa");
	return 0;
}

/* RFC 1982 section 3.2 with SERIAL_BITS = 32: s1 < s2 when they differ
 * and (s2 - s1) mod 2^32 is below 2^31. */
enum dns_serial_order
dns_serial_compare(uint32_t a, uint32_t b)
{
	uint32_t d = a - b;

	if (d == 0)
		return DNS_SERIAL_EQUAL;
	if (d == UINT32_C(0x80000000))
		return DNS_SERIAL_UNDEFINED;
	return d < UINT32_C(0x80000000) ? DNS_SERIAL_GREATER : DNS_SERIAL_LESS;
}

int64_t
dns_serial_behind(uint32_t a, uint32_t b)
{
	uint32_t d = a - b;

	if (d == UINT32_C(0x80000000))
		return INT64_MIN;
	return d < UINT32_C(0x80000000) ? (int64_t)d : (int64_t)d - INT64_C(0x100000000);
}

enum dns_bl_code
dns_bl_classify(const uint8_t a[4])
{
	if (a[0] != 127)
		return DNS_BL_INVALID;
	if (a[1] == 255 && a[2] == 255)
		return DNS_BL_ERROR;
	if (a[1] == 0 && a[2] == 0 && a[3] < 2)
		return DNS_BL_INVALID;
	return DNS_BL_LISTED;
}

const char *
dns_bl_explain(const uint8_t a[4])
{
	switch (dns_bl_classify(a)) {
	case DNS_BL_LISTED: return "listed";
	case DNS_BL_ERROR:
		/* The codes Spamhaus documents for refused queries. */
		switch (a[3]) {
		case 252: return "list error: typing error in the list name";
		case 254: return "list error: query refused (public or open resolver)";
		case 255: return "list error: query refused (excessive number of queries)";
		}
		return "list error: query refused by the list";
	case DNS_BL_INVALID: break;
	}
	if (a[0] == 127)
		return "list error: 127.0.0.0/127.0.0.1 is not a listing (RFC 5782)";
	return "list error: answer outside 127.0.0.0/8 (dead or wildcarding list)";
}

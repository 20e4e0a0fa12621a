#include "dns.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdarg.h>
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

enum dns_status
dns_servers_system(struct dns_servers *s, const char *path, unsigned port, int family,
		   char *err, size_t errlen)
{
	ldns_resolver *r = NULL;
	enum dns_status st = DNS_OK;
	size_t before = s->n;

	ldns_status ls = ldns_resolver_new_frm_file(&r, path);
	if (ls != LDNS_STATUS_OK) {
		snprintf(err, errlen, "cannot read %s: %s", path ? path : "/etc/resolv.conf",
			 ldns_get_errorstr_by_id(ls));
		return DNS_ERR_ARG;
	}
	ldns_rdf **ns = ldns_resolver_nameservers(r);
	for (size_t i = 0; i < ldns_resolver_nameserver_count(r); i++) {
		char *a = ldns_rdf2str(ns[i]);
		if (a == NULL)
			continue;
		int fam = ldns_rdf_get_type(ns[i]) == LDNS_RDF_TYPE_AAAA ? AF_INET6 : AF_INET;
		if (family == AF_UNSPEC || family == fam)
			st = dns_servers_add(s, a, NULL, port, fam, err, errlen);
		free(a);
		if (st != DNS_OK)
			break;
	}
	ldns_resolver_deep_free(r);
	if (st == DNS_OK && s->n == before) {
		snprintf(err, errlen, "no usable nameserver in %s", path ? path : "/etc/resolv.conf");
		st = DNS_ERR_ARG;
	}
	return st;
}

/* ---- queries --------------------------------------------------------- */

void
dns_reply_free(struct dns_reply *r)
{
	ldns_pkt_free(r->pkt);
	r->pkt = NULL;
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
reply_fit(const ldns_pkt *q, const ldns_pkt *r)
{
	if (ldns_pkt_id(q) != ldns_pkt_id(r))
		return FIT_WRONG_ID;
	if (!ldns_pkt_qr(r))
		return FIT_WRONG_QUESTION;
	if (ldns_pkt_qdcount(r) == 0)
		return ldns_pkt_get_rcode(r) != LDNS_RCODE_NOERROR ? FIT_OURS : FIT_WRONG_QUESTION;
	const ldns_rr *qq = ldns_rr_list_rr(ldns_pkt_question(q), 0);
	const ldns_rr *rq = ldns_rr_list_rr(ldns_pkt_question(r), 0);
	return rq != NULL && ldns_rr_get_type(qq) == ldns_rr_get_type(rq) &&
	               ldns_dname_compare(ldns_rr_owner(qq), ldns_rr_owner(rq)) == 0
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
parse_reply(const uint8_t *buf, size_t len, ldns_pkt **out, char *err, size_t errlen)
{
	ldns_status ls = ldns_wire2pkt(out, buf, len);
	if (ls != LDNS_STATUS_OK) {
		*out = NULL;
		snprintf(err, errlen, "malformed reply (%zu bytes): %s", len,
			 ldns_get_errorstr_by_id(ls));
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
udp_exchange(int fd, const uint8_t *wire, size_t wlen, const ldns_pkt *q, int64_t end,
	     struct dns_reply *reply, char *err, size_t errlen)
{
	ldns_pkt **out = &reply->pkt;
	uint8_t buf[65535];
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
		enum reply_fit fit = reply_fit(q, *out);
		if (fit == FIT_OURS)
			return st;
		if (fit == FIT_WRONG_ID)
			reply->wrong_id++;
		else
			reply->wrong_question++;
		ldns_pkt_free(*out);
		*out = NULL;
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
			return sock_error(errno, writing ? "TCP send" : "TCP recv", err, errlen);
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
	     const ldns_pkt *q, int64_t end, ldns_pkt **out, char *err, size_t errlen)
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
	if (reply_fit(q, *out) != FIT_OURS) {
		ldns_pkt_free(*out);
		*out = NULL;
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

/* A random query id (RFC 5452 section 9.2). getrandom() rather than
 * ldns_pkt_set_random_id(): that one goes through OpenSSL's RAND, whose
 * first use loads openssl.cnf and sets up a DRBG, milliseconds per run. */
static uint16_t
query_id(void)
{
	uint16_t id;
	if (getrandom(&id, sizeof id, GRND_NONBLOCK) != (ssize_t)sizeof id)
		id = (uint16_t)(mono_ns() ^ getpid());
	return id;
}

static ldns_pkt *
query_packet(const char *name, ldns_rr_type type, unsigned flags, char *err, size_t errlen)
{
	ldns_rdf *qname = NULL;
	ldns_status ls = ldns_str2rdf_dname(&qname, name);

	if (ls != LDNS_STATUS_OK) {
		snprintf(err, errlen, "'%s' is not a valid domain name: %s", name,
			 ldns_get_errorstr_by_id(ls));
		return NULL;
	}
	ldns_pkt *q = ldns_pkt_query_new(qname, type, LDNS_RR_CLASS_IN,
					 (flags & DNS_Q_NORD) ? 0 : LDNS_RD);
	if (q == NULL) {
		ldns_rdf_deep_free(qname);
		snprintf(err, errlen, "out of memory building the query");
		return NULL;
	}
	ldns_pkt_set_id(q, query_id());
	if (!(flags & DNS_Q_NOEDNS))
		ldns_pkt_set_edns_udp_size(q, DNS_EDNS_SIZE);
	if (flags & DNS_Q_DO) {
		ldns_pkt_set_edns_do(q, true);
		ldns_pkt_set_cd(q, true);
	}
	return q;
}

static enum dns_status
udp_query(const struct dns_server *srv, const uint8_t *wire, size_t wlen, const ldns_pkt *q,
	  int64_t end, struct dns_reply *reply, char *err, size_t errlen)
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
query_once(const struct dns_server *srv, const char *name, ldns_rr_type type, unsigned flags,
	   int64_t end, struct dns_reply *reply, char *err, size_t errlen)
{
	uint8_t *wire = NULL;
	size_t wlen = 0;
	enum dns_status st = DNS_ERR_ARG;
	ldns_pkt *q = query_packet(name, type, flags, err, errlen);

	if (q == NULL)
		goto out;
	ldns_status ls = ldns_pkt2wire(&wire, q, &wlen);
	if (ls != LDNS_STATUS_OK) {
		snprintf(err, errlen, "cannot encode the query: %s", ldns_get_errorstr_by_id(ls));
		goto out;
	}
	if (!(flags & DNS_Q_TCP)) {
		st = udp_query(srv, wire, wlen, q, end, reply, err, errlen);
		if (st != DNS_OK || !ldns_pkt_tc(reply->pkt))
			goto out;
		if (flags & DNS_Q_NOTCP) {
			snprintf(err, errlen, "truncated UDP reply and TCP is off");
			st = DNS_ERR_TRUNCATED;
			goto out;
		}
		ldns_pkt_free(reply->pkt);
		reply->pkt = NULL;
		reply->truncated_udp = true;
	}
	reply->tcp = true;
	st = tcp_exchange(srv, wire, wlen, q, end, &reply->pkt, err, errlen);
	if (st != DNS_OK && reply->truncated_udp) {
		char why[200];
		snprintf(why, sizeof why, "%s", err);
		snprintf(err, errlen, "truncated UDP reply, TCP retry failed: %s", why);
	}
out:
	if (st != DNS_OK)
		dns_reply_free(reply);
	ldns_pkt_free(q);
	free(wire);
	return st;
}

enum dns_status
dns_query(const struct dns_server *srv, const char *name, ldns_rr_type type, unsigned flags,
	  int budget_ms, struct dns_reply *reply, char *err, size_t errlen)
{
	int64_t t0 = mono_ns();
	int64_t end = budget_ms > 0 ? t0 + (int64_t)budget_ms * 1000000 : INT64_MAX;

	memset(reply, 0, sizeof *reply);
	enum dns_status st = query_once(srv, name, type, flags, end, reply, err, errlen);
	/* A server that does not know EDNS answers FORMERR without an OPT
	 * record: ask again without it (RFC 6891 section 7). Not with DO,
	 * which needs EDNS. */
	if (st == DNS_OK && ldns_pkt_get_rcode(reply->pkt) == LDNS_RCODE_FORMERR &&
	    !ldns_pkt_edns(reply->pkt) && !(flags & (DNS_Q_DO | DNS_Q_NOEDNS))) {
		dns_reply_free(reply);
		memset(reply, 0, sizeof *reply);
		reply->no_edns = true;
		st = query_once(srv, name, type, flags | DNS_Q_NOEDNS, end, reply, err, errlen);
	}
	reply->seconds = (double)(mono_ns() - t0) / 1e9;
	output_debug(2, "dns: %s type %d to %s port %u%s%s: %s in %.3f ms%s%s", name, (int)type,
		     srv->addr, srv->port, reply->tcp ? " over TCP" : "",
		     reply->no_edns ? " without EDNS" : "",
		     st == DNS_OK ? dns_rcode_name(ldns_pkt_get_rcode(reply->pkt)) : dns_strerror(st),
		     reply->seconds * 1000, st == DNS_OK ? "" : ": ", st == DNS_OK ? "" : err);
	return st;
}

/* ---- formatting and matching ----------------------------------------- */

void
dns_rdata_format(struct strbuf *sb, const ldns_rr *rr)
{
	for (size_t i = 0; i < ldns_rr_rd_count(rr); i++) {
		char *s = ldns_rdf2str(ldns_rr_rdf(rr, i));
		if (i > 0)
			sb_appendc(sb, ' ');
		sb_append(sb, s ? s : "?");
		free(s);
	}
}

static int
cmp_str(const void *a, const void *b)
{
	return strcasecmp(*(char *const *)a, *(char *const *)b);
}

/* The canonical rdata texts of the RRs of type in rrs, sorted. */
static char **
rrset_texts(const ldns_rr_list *rrs, ldns_rr_type type, size_t *n)
{
	size_t count = rrs ? ldns_rr_list_rr_count(rrs) : 0;
	char **v = xcalloc(count + 1, sizeof *v);

	*n = 0;
	for (size_t i = 0; i < count; i++) {
		const ldns_rr *rr = ldns_rr_list_rr(rrs, i);
		if (ldns_rr_get_type(rr) != type)
			continue;
		struct strbuf sb = STRBUF_INIT;
		dns_rdata_format(&sb, rr);
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
dns_rrset_format(struct strbuf *sb, const ldns_rr_list *rrs, ldns_rr_type type)
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

int
dns_rdata_canon(const char *text, ldns_rr_type type, struct strbuf *out, char *err,
		size_t errlen)
{
	struct strbuf line = STRBUF_INIT;
	ldns_rdf *root = NULL;
	ldns_rr *rr = NULL;
	char *tname = ldns_rr_type2str(type);
	int rc = -1;

	sb_appendf(&line, "x. 0 IN %s ", tname ? tname : "A");
	if ((type == LDNS_RR_TYPE_TXT || type == LDNS_RR_TYPE_SPF) && text[0] != '"')
		append_txt_quoted(&line, text);
	else
		sb_append(&line, text);
	ldns_status ls = ldns_str2rdf_dname(&root, ".");
	if (ls == LDNS_STATUS_OK)
		ls = ldns_rr_new_frm_str(&rr, sb_str(&line), 0, root, NULL);
	if (ls != LDNS_STATUS_OK || rr == NULL || ldns_rr_rd_count(rr) == 0) {
		snprintf(err, errlen, "'%s' is not valid %s data%s%s", text, tname ? tname : "?",
			 ls != LDNS_STATUS_OK ? ": " : "",
			 ls != LDNS_STATUS_OK ? ldns_get_errorstr_by_id(ls) : "");
		goto out;
	}
	dns_rdata_format(out, rr);
	rc = 0;
out:
	ldns_rr_free(rr);
	ldns_rdf_deep_free(root);
	free(tname);
	sb_free(&line);
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
dns_answer_match(const ldns_rr_list *answer, ldns_rr_type type, const char *const *expected,
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

/* The first domain name in rr's rdata, or NULL. */
static const ldns_rdf *
rr_first_dname(const ldns_rr *rr)
{
	for (size_t i = 0; i < ldns_rr_rd_count(rr); i++)
		if (ldns_rdf_get_type(ldns_rr_rdf(rr, i)) == LDNS_RDF_TYPE_DNAME)
			return ldns_rr_rdf(rr, i);
	return NULL;
}

/* A host name as the target of a type whose rdata holds a name. */
static int
expect_target(const char *text, const ldns_rr_type *types, size_t ntypes, struct dns_expect *e)
{
	bool has_name = false;
	ldns_rdf *d = NULL;

	for (size_t i = 0; i < ntypes; i++) {
		const ldns_rr_descriptor *desc = ldns_rr_descript(types[i]);
		for (size_t f = 0; desc != NULL && f < ldns_rr_descriptor_maximum(desc); f++)
			has_name |= ldns_rr_descriptor_field_type(desc, f) == LDNS_RDF_TYPE_DNAME;
	}
	if (!has_name || strchr(text, ' ') != NULL || ldns_str2rdf_dname(&d, text) != LDNS_STATUS_OK)
		return -1;
	char *s = ldns_rdf2str(d);
	ldns_rdf_deep_free(d);
	if (s == NULL)
		return -1;
	e->kind = DNS_EXPECT_TARGET;
	e->text = s;
	return 0;
}

int
dns_expect_parse(const char *text, const ldns_rr_type *types, size_t ntypes,
		 struct dns_expect *e, char *err, size_t errlen)
{
	bool addr_type = false;

	memset(e, 0, sizeof *e);
	for (size_t i = 0; i < ntypes; i++)
		addr_type |= types[i] == LDNS_RR_TYPE_A || types[i] == LDNS_RR_TYPE_AAAA;
	if (addr_type && expect_cidr(text, e) == 0)
		return 0;
	/* What looks like an address must be one: "300.1.1.1" or a bad range
	 * is a typo, not the name of a CNAME target. */
	bool numeric = strspn(text, "0123456789.") == strlen(text) || strchr(text, ':') != NULL ||
		       strchr(text, '/') != NULL;
	if (addr_type && numeric) {
		ldns_rr_type fam = strchr(text, ':') ? LDNS_RR_TYPE_AAAA : LDNS_RR_TYPE_A;
		struct strbuf sb = STRBUF_INIT;
		if (strchr(text, '/') == NULL && dns_rdata_canon(text, fam, &sb, err, errlen) == 0) {
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
		if (dns_rdata_canon(text, types[i], &sb, err, errlen) == 0) {
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
cidr_contains(const struct dns_expect *e, const ldns_rr *rr)
{
	const ldns_rdf *rd = ldns_rr_rdf(rr, 0);
	size_t alen = e->family == AF_INET ? 4 : 16;
	ldns_rr_type want = e->family == AF_INET ? LDNS_RR_TYPE_A : LDNS_RR_TYPE_AAAA;

	if (ldns_rr_get_type(rr) != want || rd == NULL || ldns_rdf_size(rd) != alen)
		return false;
	const unsigned char *a = ldns_rdf_data(rd);
	unsigned full = e->prefix / 8, bits = e->prefix % 8;
	if (memcmp(a, e->net, full) != 0)
		return false;
	unsigned char mask = (unsigned char)(0xff << (8 - bits));
	return bits == 0 || (a[full] & mask) == (e->net[full] & mask);
}

static bool
expect_matches(const struct dns_expect *e, const ldns_rr *rr, const char *rdata)
{
	switch (e->kind) {
	case DNS_EXPECT_CIDR:
		return cidr_contains(e, rr);
	case DNS_EXPECT_RDATA:
		return ldns_rr_get_type(rr) == e->type && strcasecmp(rdata, e->text) == 0;
	case DNS_EXPECT_TARGET: {
		char *t = rr_first_dname(rr) ? ldns_rdf2str(rr_first_dname(rr)) : NULL;
		bool m = t != NULL && strcasecmp(t, e->text) == 0;
		free(t);
		return m;
	}
	}
	return false;
}

static bool
type_listed(ldns_rr_type t, const ldns_rr_type *types, size_t ntypes)
{
	for (size_t i = 0; i < ntypes; i++)
		if (types[i] == t)
			return true;
	return false;
}

/* Sets used[] for each expectation some RR matched; returns how many RRs
 * of the types no expectation matched, listing them in stray. */
static size_t
expect_scan(const ldns_rr_list *answer, const ldns_rr_type *types, size_t ntypes,
	    const struct dns_expect *e, size_t n, bool *used, struct strbuf *stray)
{
	size_t count = answer ? ldns_rr_list_rr_count(answer) : 0, unmatched = 0;

	for (size_t i = 0; i < count; i++) {
		const ldns_rr *rr = ldns_rr_list_rr(answer, i);
		if (!type_listed(ldns_rr_get_type(rr), types, ntypes))
			continue;
		struct strbuf rd = STRBUF_INIT;
		bool hit = false;
		dns_rdata_format(&rd, rr);
		for (size_t j = 0; j < n; j++)
			if (expect_matches(&e[j], rr, sb_str(&rd)))
				hit = used[j] = true;
		/* A CNAME in the answer to another type is the way there, not an
		 * answer (RFC 1034 section 3.6.2): it may match, never stray. */
		bool chain = ldns_rr_get_type(rr) == LDNS_RR_TYPE_CNAME && types[0] != LDNS_RR_TYPE_CNAME;
		if (!hit && !chain)
			sb_appendf(stray, "%s%s", unmatched++ ? ", " : "", sb_str(&rd));
		sb_free(&rd);
	}
	return unmatched;
}

bool
dns_expect_check(const ldns_rr_list *answer, const ldns_rr_type *types, size_t ntypes,
		 const struct dns_expect *e, size_t n, bool all, struct strbuf *diff)
{
	bool *used = xcalloc(n + 1, sizeof *used);
	struct strbuf stray = STRBUF_INIT, missing = STRBUF_INIT;
	size_t unmatched = expect_scan(answer, types, ntypes, e, n, used, &stray);
	size_t nmissing = 0, nused = 0;

	for (size_t j = 0; j < n; j++) {
		nused += used[j];
		if (!used[j])
			sb_appendf(&missing, "%s%s", nmissing++ ? ", " : "", e[j].text ? e[j].text : "");
	}
	bool match = all ? nmissing == 0 && unmatched == 0 : nused > 0;
	if (!match && (all || nused == 0)) {
		if (nmissing > 0)
			sb_appendf(diff, "%s %s", all ? "missing" : "expected", sb_str(&missing));
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
	case DNS_BL_LISTED:
		return "listed";
	case DNS_BL_ERROR:
		/* The codes Spamhaus documents for refused queries. */
		switch (a[3]) {
		case 252:
			return "list error: typing error in the list name";
		case 254:
			return "list error: query refused (public or open resolver)";
		case 255:
			return "list error: query refused (excessive number of queries)";
		}
		return "list error: query refused by the list";
	case DNS_BL_INVALID:
		break;
	}
	if (a[0] == 127)
		return "list error: 127.0.0.0/127.0.0.1 is not a listing (RFC 5782)";
	return "list error: answer outside 127.0.0.0/8 (dead or wildcarding list)";
}

/* ---- DNSSEC ---------------------------------------------------------- */

enum dns_status
dns_anchors_read(const char *path, ldns_rr_list **anchors, char *err, size_t errlen)
{
	FILE *fp = fopen(path, "r");
	uint32_t ttl = 3600;
	ldns_rdf *origin = NULL, *prev = NULL;
	int line = 0;
	enum dns_status st = DNS_OK;

	*anchors = NULL;
	if (fp == NULL) {
		snprintf(err, errlen, "cannot open trust anchor file %s: %s", path, strerror(errno));
		return DNS_ERR_ARG;
	}
	*anchors = ldns_rr_list_new();
	while (*anchors != NULL && !feof(fp)) {
		ldns_rr *rr = NULL;
		ldns_status ls = ldns_rr_new_frm_fp_l(&rr, fp, &ttl, &origin, &prev, &line);
		if (ls == LDNS_STATUS_SYNTAX_EMPTY || ls == LDNS_STATUS_SYNTAX_TTL ||
		    ls == LDNS_STATUS_SYNTAX_ORIGIN)
			continue;
		if (ls != LDNS_STATUS_OK) {
			snprintf(err, errlen, "%s line %d: %s", path, line,
				 ldns_get_errorstr_by_id(ls));
			st = DNS_ERR_ARG;
			break;
		}
		ldns_rr_type t = ldns_rr_get_type(rr);
		if ((t != LDNS_RR_TYPE_DS && t != LDNS_RR_TYPE_DNSKEY) ||
		    !ldns_rr_list_push_rr(*anchors, rr))
			ldns_rr_free(rr);
	}
	fclose(fp);
	ldns_rdf_deep_free(origin);
	ldns_rdf_deep_free(prev);
	if (st == DNS_OK && (*anchors == NULL || ldns_rr_list_rr_count(*anchors) == 0)) {
		snprintf(err, errlen, "%s holds no DS or DNSKEY record", path);
		st = DNS_ERR_ARG;
	}
	if (st != DNS_OK) {
		ldns_rr_list_deep_free(*anchors);
		*anchors = NULL;
	}
	return st;
}

/* What the validator carries from one link of the chain to the next. */
struct sec_ctx {
	const struct dns_server *srv;
	const ldns_rr_list *anchors;
	unsigned flags;
	int budget_ms;
	time_t now;
	struct dns_sec_result *res;
};

static void
sec_fail(struct sec_ctx *c, enum dns_sec_verdict v, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
sec_fail(struct sec_ctx *c, enum dns_sec_verdict v, const char *fmt, ...)
{
	va_list ap;
	c->res->verdict = v;
	va_start(ap, fmt);
	vsnprintf(c->res->reason, sizeof c->res->reason, fmt, ap);
	va_end(ap);
}

/* "example.test. DNSKEY" for messages (no final dot for readability). */
static void
rrset_name(const ldns_rdf *owner, ldns_rr_type type, char *buf, size_t len)
{
	char *o = ldns_rdf2str(owner);
	char *t = ldns_rr_type2str(type);
	size_t ol = o ? strlen(o) : 0;

	if (ol > 1 && o[ol - 1] == '.')
		o[ol - 1] = '\0';
	snprintf(buf, len, "%s %s", o ? o : "?", t ? t : "?");
	free(o);
	free(t);
}

/* The RRSIGs in list that cover type at owner, as a new list of copies. */
static ldns_rr_list *
sigs_covering(const ldns_rr_list *list, const ldns_rdf *owner, ldns_rr_type type)
{
	ldns_rr_list *out = ldns_rr_list_new();

	for (size_t i = 0; out && list && i < ldns_rr_list_rr_count(list); i++) {
		const ldns_rr *rr = ldns_rr_list_rr(list, i);
		if (ldns_rr_get_type(rr) != LDNS_RR_TYPE_RRSIG ||
		    ldns_dname_compare(ldns_rr_owner(rr), owner) != 0 ||
		    ldns_rdf2rr_type(ldns_rr_rrsig_typecovered(rr)) != type)
			continue;
		ldns_rr *copy = ldns_rr_clone(rr);
		if (copy != NULL && !ldns_rr_list_push_rr(out, copy))
			ldns_rr_free(copy);
	}
	return out;
}

/* Keeps the earliest expiration: the signature that runs out first is
 * the one that breaks resolution first. */
static void
sec_note_expiry(struct sec_ctx *c, const ldns_rr_list *sigs)
{
	for (size_t i = 0; i < ldns_rr_list_rr_count(sigs); i++) {
		const ldns_rr *sig = ldns_rr_list_rr(sigs, i);
		const ldns_rdf *e = ldns_rr_rrsig_expiration(sig);
		if (e == NULL)
			continue;
		time_t t = ldns_rdf2native_time_t(e);
		if (c->res->have_expiry && t >= c->res->expiry)
			continue;
		c->res->have_expiry = true;
		c->res->expiry = t;
		rrset_name(ldns_rr_owner(sig), ldns_rdf2rr_type(ldns_rr_rrsig_typecovered(sig)),
			   c->res->expiry_what, sizeof c->res->expiry_what);
	}
}

/* Fetches owner/type with DO from the server: the RRset and its RRSIGs. */
static int
sec_fetch(struct sec_ctx *c, const ldns_rdf *owner, ldns_rr_type type, ldns_rr_list **set,
	  ldns_rr_list **sigs)
{
	char name[300], err[256];
	struct dns_reply r;
	char *o = ldns_rdf2str(owner);

	*set = *sigs = NULL;
	rrset_name(owner, type, name, sizeof name);
	enum dns_status st = dns_query(c->srv, o ? o : ".", type, c->flags | DNS_Q_DO,
				       c->budget_ms, &r, err, sizeof err);
	free(o);
	if (st != DNS_OK) {
		sec_fail(c, DNS_SEC_ERROR, "cannot fetch %s: %s", name, err);
		return -1;
	}
	*set = ldns_pkt_rr_list_by_name_and_type(r.pkt, owner, type, LDNS_SECTION_ANSWER);
	*sigs = sigs_covering(ldns_pkt_answer(r.pkt), owner, type);
	dns_reply_free(&r);
	if (*set == NULL)
		*set = ldns_rr_list_new();
	return 0;
}

/* The keys of keys that one of refs (DS or DNSKEY records owned by owner)
 * points to. A shallow list: free it with ldns_rr_list_free(). */
static ldns_rr_list *
keys_matching(const ldns_rr_list *keys, const ldns_rr_list *refs, const ldns_rdf *owner)
{
	ldns_rr_list *out = ldns_rr_list_new();

	for (size_t i = 0; out && i < ldns_rr_list_rr_count(keys); i++) {
		const ldns_rr *k = ldns_rr_list_rr(keys, i);
		for (size_t j = 0; refs && j < ldns_rr_list_rr_count(refs); j++) {
			const ldns_rr *ref = ldns_rr_list_rr(refs, j);
			if (ldns_dname_compare(ldns_rr_owner(ref), owner) == 0 &&
			    ldns_rr_compare_ds(ref, k)) {
				ldns_rr_list_push_rr(out, k);
				break;
			}
		}
	}
	return out;
}

/* Frees the lists sec_link() works with (all accept NULL). */
struct sec_lists {
	ldns_rr_list *keys, *ksigs, *trusted, *ds, *dssigs;
	ldns_rdf *signer;
};

static void
sec_lists_free(struct sec_lists *l)
{
	ldns_rr_list_deep_free(l->keys);
	ldns_rr_list_deep_free(l->ksigs);
	ldns_rr_list_free(l->trusted);
	ldns_rr_list_deep_free(l->ds);
	ldns_rr_list_deep_free(l->dssigs);
	ldns_rdf_deep_free(l->signer);
}

/* Checks that keys' own signature is made by one of the keys refs (an
 * anchor or the parent's DS set) names. */
static int
sec_keys_vouched(struct sec_ctx *c, struct sec_lists *l, const ldns_rr_list *refs,
		 const char *zone, const char *by)
{
	ldns_rr_list_free(l->trusted);
	l->trusted = keys_matching(l->keys, refs, l->signer);
	if (l->trusted == NULL || ldns_rr_list_rr_count(l->trusted) == 0) {
		sec_fail(c, DNS_SEC_BOGUS, "no DNSKEY of %s matches %s", zone, by);
		return -1;
	}
	ldns_status ls = ldns_verify_time(l->keys, l->ksigs, l->trusted, c->now, NULL);
	if (ls != LDNS_STATUS_OK) {
		sec_fail(c, DNS_SEC_BOGUS, "%s DNSKEY is not signed by the key %s names: %s",
			 zone, by, ldns_get_errorstr_by_id(ls));
		return -1;
	}
	return 0;
}

/* One link of the chain: verifies *set with its signer's DNSKEY set.
 * Returns 1 when a trust anchor vouches for that key set (the chain is
 * complete), 0 when it goes on: *set and *sigs then hold the signer's DS
 * set from its parent. -1 on failure, with the reason in c->res. */
static int
sec_link(struct sec_ctx *c, ldns_rr_list **set, ldns_rr_list **sigs)
{
	struct sec_lists l = {0};
	char what[300], zone[300];
	int rc = -1;
	const ldns_rr *first = ldns_rr_list_rr(*set, 0);

	rrset_name(ldns_rr_owner(first), ldns_rr_get_type(first), what, sizeof what);
	if (*sigs == NULL || ldns_rr_list_rr_count(*sigs) == 0) {
		sec_fail(c, DNS_SEC_INSECURE, "%s is not signed", what);
		return -1;
	}
	sec_note_expiry(c, *sigs);
	l.signer = ldns_rdf_clone(ldns_rr_rrsig_signame(ldns_rr_list_rr(*sigs, 0)));
	rrset_name(l.signer, LDNS_RR_TYPE_DNSKEY, zone, sizeof zone);
	zone[strcspn(zone, " ")] = '\0';
	if (sec_fetch(c, l.signer, LDNS_RR_TYPE_DNSKEY, &l.keys, &l.ksigs) != 0)
		goto out;
	ldns_status ls = ldns_verify_time(*set, *sigs, l.keys, c->now, NULL);
	if (ls != LDNS_STATUS_OK) {
		sec_fail(c, DNS_SEC_BOGUS, "%s: %s", what, ldns_get_errorstr_by_id(ls));
		goto out;
	}
	sec_note_expiry(c, l.ksigs);
	l.trusted = keys_matching(l.keys, c->anchors, l.signer);
	if (ldns_rr_list_rr_count(l.trusted) > 0) {
		rc = sec_keys_vouched(c, &l, c->anchors, zone, "the trust anchor") == 0 ? 1 : -1;
		goto out;
	}
	if (ldns_dname_label_count(l.signer) == 0) {
		sec_fail(c, DNS_SEC_INSECURE, "no trust anchor for the root key");
		goto out;
	}
	if (sec_fetch(c, l.signer, LDNS_RR_TYPE_DS, &l.ds, &l.dssigs) != 0)
		goto out;
	if (ldns_rr_list_rr_count(l.ds) == 0) {
		sec_fail(c, DNS_SEC_INSECURE, "no DS for %s at its parent and no trust anchor "
			 "for it: the chain of trust is broken", zone);
		goto out;
	}
	if (sec_keys_vouched(c, &l, l.ds, zone, "its DS") != 0)
		goto out;
	ldns_rr_list_deep_free(*set);
	ldns_rr_list_deep_free(*sigs);
	*set = l.ds;
	*sigs = l.dssigs;
	l.ds = l.dssigs = NULL;
	rc = 0;
out:
	sec_lists_free(&l);
	return rc;
}

/* Follows one RRset up the chain, at most 16 links (deeper than any real
 * delegation path, and a bound against a server that loops us). */
static int
sec_chain(struct sec_ctx *c, ldns_rr_list *set, ldns_rr_list *sigs)
{
	int rc = 0;

	for (int depth = 0; rc == 0 && depth < 16; depth++)
		rc = sec_link(c, &set, &sigs);
	if (rc == 0)
		sec_fail(c, DNS_SEC_BOGUS, "chain of trust longer than 16 links");
	ldns_rr_list_deep_free(set);
	ldns_rr_list_deep_free(sigs);
	return rc == 1 ? 0 : -1;
}

/* Validates every RRset of one section of pkt. Returns how many there
 * were, or -1 when one failed. */
static int
sec_section(struct sec_ctx *c, const ldns_pkt *pkt, ldns_pkt_section which)
{
	const ldns_rr_list *list = which == LDNS_SECTION_ANSWER ? ldns_pkt_answer(pkt)
								 : ldns_pkt_authority(pkt);
	size_t n = list ? ldns_rr_list_rr_count(list) : 0;
	int done = 0;

	for (size_t i = 0; i < n; i++) {
		const ldns_rr *rr = ldns_rr_list_rr(list, i);
		ldns_rr_type t = ldns_rr_get_type(rr);
		bool seen = false;
		for (size_t j = 0; j < i && !seen; j++) {
			const ldns_rr *p = ldns_rr_list_rr(list, j);
			seen = ldns_rr_get_type(p) == t &&
			       ldns_dname_compare(ldns_rr_owner(p), ldns_rr_owner(rr)) == 0;
		}
		if (seen || t == LDNS_RR_TYPE_RRSIG)
			continue;
		done++;
		ldns_rr_list *set = ldns_pkt_rr_list_by_name_and_type(pkt, ldns_rr_owner(rr), t,
								      which);
		ldns_rr_list *sigs = sigs_covering(list, ldns_rr_owner(rr), t);
		if (set == NULL || sec_chain(c, set, sigs) != 0)
			return -1;
	}
	return done;
}

/* A validated negative answer must also prove that the name or type does
 * not exist: the NSEC (RFC 4035 5.4) or NSEC3 (RFC 5155 8) records must
 * cover it. */
static void
sec_denial(struct sec_ctx *c, const ldns_pkt *pkt)
{
	ldns_rr *q = ldns_rr_list_rr(ldns_pkt_question(pkt), 0);
	ldns_rr_list *nsec = ldns_pkt_rr_list_by_type(pkt, LDNS_RR_TYPE_NSEC,
						      LDNS_SECTION_AUTHORITY);
	ldns_rr_list *nsec3 = ldns_pkt_rr_list_by_type(pkt, LDNS_RR_TYPE_NSEC3,
						       LDNS_SECTION_AUTHORITY);
	ldns_rr_list *sigs = ldns_pkt_rr_list_by_type(pkt, LDNS_RR_TYPE_RRSIG,
						      LDNS_SECTION_AUTHORITY);
	ldns_status ls = LDNS_STATUS_DNSSEC_NSEC_RR_NOT_COVERED;
	char what[300];

	if (q == NULL) {
		sec_fail(c, DNS_SEC_BOGUS, "the reply has no question to prove absent");
		goto out;
	}
	rrset_name(ldns_rr_owner(q), ldns_rr_get_type(q), what, sizeof what);
	if (nsec != NULL)
		ls = ldns_dnssec_verify_denial(q, nsec, sigs);
	else if (nsec3 != NULL)
		ls = ldns_dnssec_verify_denial_nsec3(q, nsec3, sigs, ldns_pkt_get_rcode(pkt),
						     ldns_rr_get_type(q), true);
	if (nsec == NULL && nsec3 == NULL)
		sec_fail(c, DNS_SEC_BOGUS, "no NSEC or NSEC3 record proves %s absent", what);
	else if (ls != LDNS_STATUS_OK)
		sec_fail(c, DNS_SEC_BOGUS, "absence of %s not proven: %s", what,
			 ldns_get_errorstr_by_id(ls));
out:
	ldns_rr_list_deep_free(nsec);
	ldns_rr_list_deep_free(nsec3);
	ldns_rr_list_deep_free(sigs);
}

void
dns_sec_validate(const struct dns_server *srv, const ldns_pkt *pkt,
		 const ldns_rr_list *anchors, unsigned flags, int budget_ms,
		 struct dns_sec_result *res)
{
	struct sec_ctx c = {srv, anchors, flags, budget_ms, time(NULL), res};
	int rcode = ldns_pkt_get_rcode(pkt);
	int n;

	memset(res, 0, sizeof *res);
	res->verdict = DNS_SEC_SECURE;
	if (ldns_rr_list_rr_count(ldns_pkt_answer(pkt)) > 0) {
		sec_section(&c, pkt, LDNS_SECTION_ANSWER);
		return;
	}
	if (rcode != LDNS_RCODE_NOERROR && rcode != LDNS_RCODE_NXDOMAIN) {
		sec_fail(&c, DNS_SEC_ERROR, "a %s reply has nothing to validate",
			 dns_rcode_name(rcode));
		return;
	}
	/* NXDOMAIN or NODATA: the SOA and the NSEC/NSEC3 records. */
	if ((n = sec_section(&c, pkt, LDNS_SECTION_AUTHORITY)) < 0)
		return;
	if (n == 0)
		sec_fail(&c, DNS_SEC_INSECURE, "the negative answer carries no signed records");
	else
		sec_denial(&c, pkt);
}

/* DNS with every wait bounded by the run's deadline (deadline.h).
 *
 * The packets are glance's own (dnswire.h), and so are the sockets, so
 * no library's timeout or retry loop can outlast -t. A query goes over
 * UDP with EDNS (1232-byte buffer) and is retried over TCP when the reply
 * is truncated (RFC 7766 section 5). Replies whose id or question do not
 * match the query are ignored, as any resolver must (RFC 5452).
 *
 * Also here, because check_dns and check_tls_cert (DANE) both need them:
 * server lists from arguments or /etc/resolv.conf, RR set formatting and
 * matching, reverse names for PTR and DNSBL queries, RFC 1982 serial
 * arithmetic and RFC 5782 DNSBL answer codes. DNSSEC validation, the one
 * part that needs ldns and with it libcrypto, is dnssec.h's. */
#ifndef GLANCE_DNS_H
#define GLANCE_DNS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <time.h>

#include "dnswire.h"
#include "strbuf.h"

enum dns_status {
	DNS_OK = 0,
	DNS_ERR_ARG,       /* a bad name, type, address or file */
	DNS_ERR_RESOLVE,   /* a server name has no address */
	DNS_ERR_TIMEOUT,   /* no reply before the query's time ran out */
	DNS_ERR_REFUSED,   /* ICMP port unreachable / TCP connection refused */
	DNS_ERR_NET,       /* any other socket error */
	DNS_ERR_MALFORMED, /* a reply that does not parse */
	DNS_ERR_TRUNCATED, /* truncated over UDP and TCP was not allowed or failed */
};

/* "timeout", "malformed reply", ... */
const char *dns_strerror(enum dns_status st);

/* "NOERROR", "SERVFAIL", "NXDOMAIN", "REFUSED", ... (RFC 1035 4.1.1). */
const char *dns_rcode_name(int rcode);

/* One address to send queries to. */
struct dns_server {
	char label[336]; /* how reports name it: "ns1.example.test/127.0.0.1" */
	char addr[64];   /* "127.0.0.1", "::1" */
	unsigned port;
	struct sockaddr_storage sa;
	socklen_t salen;
};

/* A growable list of servers. */
struct dns_servers {
	struct dns_server *v;
	size_t n, cap;
};

void dns_servers_free(struct dns_servers *s);

/* Adds every address of spec, "ADDR[@PORT]" or "NAME[@PORT]" ("[::1]"
 * brackets allowed), using port when spec names none. family is AF_UNSPEC,
 * AF_INET or AF_INET6. label, if not NULL, names the servers in reports
 * (default: spec itself, with "/ADDR" added when a name has several). */
enum dns_status dns_servers_add(struct dns_servers *s, const char *spec, const char *label,
                                unsigned port, int family, char *err, size_t errlen);

/* Adds the nameservers of a resolv.conf (path NULL: /etc/resolv.conf). */
enum dns_status dns_servers_system(struct dns_servers *s, const char *path, unsigned port,
                                   int family, char *err, size_t errlen);

/* Query flags. */
#define DNS_Q_TCP 0x01   /* TCP only */
#define DNS_Q_NOTCP 0x02 /* never retry over TCP: truncation is an error */
#define DNS_Q_DO                                                                               \
	0x04              /* DNSSEC OK (and CD, so a validating resolver hands                 \
	                   * back bogus data for us to judge instead of SERVFAIL) */
#define DNS_Q_NORD 0x08   /* recursion not desired: for authoritative servers */
#define DNS_Q_NOEDNS 0x10 /* no EDNS OPT record (plain RFC 1035, 512-byte UDP) */

struct dns_reply {
	struct dns_msg msg; /* empty unless DNS_OK; free with dns_reply_free() */
	double seconds;     /* from the first send to the final reply */
	bool tcp;           /* the final reply came over TCP */
	bool truncated_udp; /* UDP was truncated and TCP was used */
	bool no_edns;       /* the server rejected EDNS (FORMERR): asked again without */
	/* UDP datagrams from the server that were not the answer, kept
	 * after a failure too: another id, or our id with another question
	 * (or no QR bit). A query waits for its own answer until its time
	 * is up, so these only show in the timeout's message. */
	unsigned wrong_id, wrong_question;
};

void dns_reply_free(struct dns_reply *r);

/* Appends " (3 replies with a wrong id ignored)", or the same for
 * replies to another question, or both; nothing when none came. */
void dns_reply_ignored(const struct dns_reply *r, struct strbuf *sb);

/* Sends one query for name/type to srv and waits for the answer, at most
 * budget_ms (0: no own budget) and never past the run's deadline. UDP is
 * re-sent once a second while waiting. A FORMERR without EDNS in reply to
 * an EDNS query is retried once without EDNS. Any rcode is DNS_OK: the
 * caller judges NXDOMAIN, SERVFAIL, REFUSED. */
enum dns_status dns_query(const struct dns_server *srv, const char *name, uint16_t type,
                          unsigned flags, int budget_ms, struct dns_reply *reply, char *err,
                          size_t errlen);

/* RRs picked from parsed messages, which must outlive the list: the
 * answer of a lookup may come from several replies (A, then AAAA). */
struct dns_rref {
	const struct dns_msg *msg;
	const struct dns_rr *rr;
};
struct dns_rrs {
	struct dns_rref *v;
	size_t n, cap;
};

/* Adds the RRs of section sec of m whose type is type (0: every type). */
void dns_rrs_add(struct dns_rrs *l, const struct dns_msg *m, enum dns_section sec,
                 uint16_t type);
void dns_rrs_free(struct dns_rrs *l);

/* The rdata of every RR of the given type in rrs, sorted, joined by ", ".
 * Returns how many there were. */
size_t dns_rrset_format(struct strbuf *sb, const struct dns_rrs *rrs, uint16_t type);

/* Order-insensitive comparison of the answer's RRs of type with the
 * expected rdata texts (already canonical, see dns_rdata_canon()): true
 * when both sets are equal. Otherwise describes the difference in diff
 * ("missing 192.0.2.9; unexpected 192.0.2.2"). Duplicates count once and
 * case is ignored, as DNS names compare. */
bool dns_answer_match(const struct dns_rrs *answer, uint16_t type, const char *const *expected,
                      size_t n, struct strbuf *diff);

/* One expected answer, as check_dns -a takes it: rdata of one of the
 * query's types ("192.0.2.2", "10 mail.example.test."), an address range
 * ("192.0.2.0/24", "2001:db8::/32"), or a host name that stands for the
 * first domain name in the record (an MX or SRV target, NS, CNAME, PTR):
 * "mail.example.test" matches "10 mail.example.test." at any preference. */
enum dns_expect_kind { DNS_EXPECT_RDATA, DNS_EXPECT_CIDR, DNS_EXPECT_TARGET };
struct dns_expect {
	enum dns_expect_kind kind;
	uint16_t type; /* RDATA: the type it parsed as */
	char *text;    /* canonical rdata, or the target with its final dot */
	int family;    /* CIDR: AF_INET or AF_INET6 */
	unsigned char net[16];
	unsigned prefix;
};

/* Reads text as an expectation for a query of the ntypes types (A and
 * AAAA both when no type was asked for). -1 with a reason when it is
 * none of the three forms. */
int dns_expect_parse(const char *text, const uint16_t *types, size_t ntypes,
                     struct dns_expect *e, char *err, size_t errlen);
void dns_expect_free(struct dns_expect *e);

/* Judges the answer's RRs of the ntypes types against n expectations.
 * any: true when some RR matches some expectation (check_dns's default).
 * all: every RR is matched by an expectation and every expectation
 * matches an RR (check_dns -L). On a mismatch diff says which. */
bool dns_expect_check(const struct dns_rrs *answer, const uint16_t *types, size_t ntypes,
                      const struct dns_expect *e, size_t n, bool all, struct strbuf *diff);

/* The DNS name for an IPv4 or IPv6 address under zone: "2.0.0.127.zen.example"
 * or 32 nibbles "...ip6.arpa". zone NULL gives in-addr.arpa / ip6.arpa
 * (RFC 1035 section 3.5, RFC 3596 section 2.5, RFC 5782 section 2.4).
 * Returns -1 if addr is not an address literal. */
int dns_reverse_name(const char *addr, const char *zone, struct strbuf *out);

/* RFC 1982 serial number arithmetic on 32-bit SOA serials. */
enum dns_serial_order {
	DNS_SERIAL_EQUAL,
	DNS_SERIAL_LESS,      /* a is older than b */
	DNS_SERIAL_GREATER,   /* a is newer than b */
	DNS_SERIAL_UNDEFINED, /* exactly 2^31 apart: RFC 1982 3.2 leaves it undefined */
};
enum dns_serial_order dns_serial_compare(uint32_t a, uint32_t b);

/* How far b is behind a, wraparound-aware: positive when b is older, negative
 * when b is newer; 2^31 (undefined) is reported as INT64_MIN. */
int64_t dns_serial_behind(uint32_t a, uint32_t b);

/* What an A record from a DNS blocklist means (RFC 5782 section 2.3). */
enum dns_bl_code {
	DNS_BL_LISTED,  /* 127.0.0.2 and up: listed */
	DNS_BL_ERROR,   /* 127.255.255.x: the list refused (open resolver, rate limit) */
	DNS_BL_INVALID, /* 127.0.0.0/.1 or outside 127/8: a dead or wildcarding list */
};
enum dns_bl_code dns_bl_classify(const uint8_t a[4]);
/* A short explanation: "listed", "query refused by the list (public resolver)". */
const char *dns_bl_explain(const uint8_t a[4]);

#endif

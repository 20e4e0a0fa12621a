/* The pure logic of common/dns: RFC 1982 serials, reverse names, RFC 5782
 * codes, rdata canonical forms, answer-set matching, server specs. The
 * answer fixtures are built with ldns, so its encoder checks glance's
 * parser on the way. */
#include <arpa/inet.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <ldns/ldns.h>
#include <string.h>

#include "dns.h"
#include "tap.h"

static void
test_serials(void)
{
	static const struct {
		uint32_t a, b;
		enum dns_serial_order order;
		int64_t behind; /* dns_serial_behind(a, b) */
	} cases[] = {
	        {2026112510u, 2026112500u, DNS_SERIAL_GREATER, 10},
	        {2026112500u, 2026112510u, DNS_SERIAL_LESS, -10},
	        {7, 7, DNS_SERIAL_EQUAL, 0},
	        /* wraparound: 5 is newer than 4294967290 (RFC 1982 3.2) */
	        {5, 4294967290u, DNS_SERIAL_GREATER, 11},
	        {4294967290u, 5, DNS_SERIAL_LESS, -11},
	        {0, 4294967295u, DNS_SERIAL_GREATER, 1},
	        /* the largest step that is still ordered */
	        {2147483647u, 0, DNS_SERIAL_GREATER, 2147483647},
	        {0, 2147483649u, DNS_SERIAL_GREATER, 2147483647},
	        /* exactly 2^31 apart: undefined */
	        {2147483648u, 0, DNS_SERIAL_UNDEFINED, INT64_MIN},
	        {0, 2147483648u, DNS_SERIAL_UNDEFINED, INT64_MIN},
	        {1, 2147483649u, DNS_SERIAL_UNDEFINED, INT64_MIN},
	        {1, 2147483650u, DNS_SERIAL_GREATER, 2147483647},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		is_int(dns_serial_compare(cases[i].a, cases[i].b), cases[i].order,
		       "serial compare %u vs %u", cases[i].a, cases[i].b);
		is_int(dns_serial_behind(cases[i].a, cases[i].b), cases[i].behind,
		       "serial %u is %lld behind %u", cases[i].b, (long long)cases[i].behind,
		       cases[i].a);
	}
}

static void
test_reverse(void)
{
	static const struct {
		const char *addr, *zone, *want;
	} cases[] = {
	        {"127.0.0.2", "zen.example", "2.0.0.127.zen.example"},
	        {"192.0.2.10", NULL, "10.2.0.192.in-addr.arpa"},
	        {"10.0.0.255", "bl.test.", "255.0.0.10.bl.test."},
	        {"2001:db8::2", "bl.test",
	         "2.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.bl.test"},
	        {"2001:DB8:0:0:1:0:0:ab", NULL,
	         "b.a.0.0.0.0.0.0.0.0.0.0.1.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa"},
	        {"::1", NULL,
	         "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.ip6.arpa"},
	        {"::ffff:192.0.2.1", NULL,
	         "1.0.2.0.0.0.0.c.f.f.f.f.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.ip6.arpa"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct strbuf sb = STRBUF_INIT;
		is_int(dns_reverse_name(cases[i].addr, cases[i].zone, &sb), 0,
		       "reverse name of %s accepted", cases[i].addr);
		is_str(sb_str(&sb), cases[i].want, "reverse name of %s", cases[i].addr);
		sb_free(&sb);
	}
	static const char *const bad[] = {"mail.example.test", "192.0.2",   "1.2.3.4.5", "",
	                                  "2001:db8::g",       "192.0.2.1 "};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct strbuf sb = STRBUF_INIT;
		is_int(dns_reverse_name(bad[i], NULL, &sb), -1, "'%s' is no address", bad[i]);
		sb_free(&sb);
	}
}

static void
test_blocklist_codes(void)
{
	static const struct {
		uint8_t a[4];
		enum dns_bl_code code;
		const char *why;
	} cases[] = {
	        {{127, 0, 0, 2}, DNS_BL_LISTED, "listed"},
	        {{127, 0, 0, 11}, DNS_BL_LISTED, "listed"},
	        {{127, 0, 1, 0}, DNS_BL_LISTED, "listed"},
	        {{127, 255, 254, 1}, DNS_BL_LISTED, "listed"},
	        {{127, 255, 255, 254},
	         DNS_BL_ERROR,
	         "list error: query refused (public or open resolver)"},
	        {{127, 255, 255, 255},
	         DNS_BL_ERROR,
	         "list error: query refused (excessive number of queries)"},
	        {{127, 255, 255, 252},
	         DNS_BL_ERROR,
	         "list error: typing error in the list name"},
	        {{127, 255, 255, 1}, DNS_BL_ERROR, "list error: query refused by the list"},
	        {{127, 0, 0, 1},
	         DNS_BL_INVALID,
	         "list error: 127.0.0.0/127.0.0.1 is not a listing (RFC 5782)"},
	        {{127, 0, 0, 0},
	         DNS_BL_INVALID,
	         "list error: 127.0.0.0/127.0.0.1 is not a listing (RFC 5782)"},
	        {{192, 0, 2, 99},
	         DNS_BL_INVALID,
	         "list error: answer outside 127.0.0.0/8 (dead or wildcarding list)"},
	        {{10, 0, 0, 2},
	         DNS_BL_INVALID,
	         "list error: answer outside 127.0.0.0/8 (dead or wildcarding list)"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const uint8_t *a = cases[i].a;
		is_int(dns_bl_classify(a), cases[i].code, "DNSBL answer %u.%u.%u.%u class",
		       a[0], a[1], a[2], a[3]);
		is_str(dns_bl_explain(a), cases[i].why, "DNSBL answer %u.%u.%u.%u text", a[0],
		       a[1], a[2], a[3]);
	}
}

static void
test_canon(void)
{
	static const struct {
		const char *text;
		uint16_t type;
		const char *want; /* NULL: must be rejected */
	} cases[] = {
	        {"192.0.2.2", LDNS_RR_TYPE_A, "192.0.2.2"},
	        {"2001:DB8:0::0002", LDNS_RR_TYPE_AAAA, "2001:db8::2"},
	        {"10 mail.example.test", LDNS_RR_TYPE_MX, "10 mail.example.test."},
	        {"10 mail.example.test.", LDNS_RR_TYPE_MX, "10 mail.example.test."},
	        {"\"v=spf1 mx -all\"", LDNS_RR_TYPE_TXT, "\"v=spf1 mx -all\""},
	        {"\"a\" \"b\"", LDNS_RR_TYPE_TXT, "\"a\" \"b\""},
	        {"ns1.example.test", LDNS_RR_TYPE_NS, "ns1.example.test."},
	        {"0 iodef \"mailto:hostmaster@example.test\"", LDNS_RR_TYPE_CAA,
	         "0 iodef \"mailto:hostmaster@example.test\""},
	        {"3 1 1 0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef",
	         LDNS_RR_TYPE_TLSA,
	         "3 1 1 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"},
	        {"mail.example.test", LDNS_RR_TYPE_A, NULL},
	        {"300.1.1.1", LDNS_RR_TYPE_A, NULL},
	        {"192.0.2.2", LDNS_RR_TYPE_AAAA, NULL},
	        {"ten mail.example.test", LDNS_RR_TYPE_MX, NULL},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct strbuf sb = STRBUF_INIT;
		char err[200] = "";
		int rc = dns_rdata_canon(cases[i].text, cases[i].type, &sb, err, sizeof err);
		if (cases[i].want != NULL)
			is_str(rc == 0 ? sb_str(&sb) : err, cases[i].want, "canonical '%s'",
			       cases[i].text);
		else
			ok(rc == -1 && strstr(err, "is not valid") != NULL, "'%s' rejected: %s",
			   cases[i].text, err);
		sb_free(&sb);
	}
}

/* A reply whose answer section holds lines (zone file syntax), built
 * with ldns and parsed back with glance's own parser; l takes its RRs. */
static void
rrs(const char *const *lines, struct dns_msg *m, struct dns_rrs *l)
{
	ldns_pkt *pkt = ldns_pkt_new();
	uint8_t *wire = NULL;
	size_t len = 0;
	char err[200] = "";

	ldns_pkt_set_qr(pkt, true);
	for (; *lines; lines++) {
		ldns_rr *rr = NULL;
		if (ldns_rr_new_frm_str(&rr, *lines, 300, NULL, NULL) == LDNS_STATUS_OK)
			ldns_pkt_push_rr(pkt, LDNS_SECTION_ANSWER, rr);
	}
	memset(m, 0, sizeof *m);
	memset(l, 0, sizeof *l);
	if (ldns_pkt2wire(&wire, pkt, &len) != LDNS_STATUS_OK ||
	    dns_msg_parse(m, wire, len, err, sizeof err) != 0)
		printf("# fixture: %s\n", err);
	dns_rrs_add(l, m, DNS_S_ANSWER, 0);
	free(wire);
	ldns_pkt_free(pkt);
}

static void
test_match(void)
{
	static const char *const answer[] = {
	        "multi.example.test. 300 IN CNAME other.example.test.",
	        "other.example.test. 300 IN A 192.0.2.11",
	        "other.example.test. 300 IN A 192.0.2.10",
	        NULL,
	};
	struct dns_msg msg;
	struct dns_rrs list, *l = &list;
	rrs(answer, &msg, l);
	struct {
		const char *expect[3];
		size_t n;
		bool match;
		const char *diff;
	} cases[] = {
	        {{"192.0.2.10", "192.0.2.11"}, 2, true, ""},
	        {{"192.0.2.11", "192.0.2.10"}, 2, true, ""},
	        {{"192.0.2.11", "192.0.2.10", "192.0.2.11"}, 3, true, ""},
	        {{"192.0.2.11"}, 1, false, "unexpected 192.0.2.10"},
	        {{"192.0.2.10", "192.0.2.11", "192.0.2.12"}, 3, false, "missing 192.0.2.12"},
	        {{"192.0.2.9"},
	         1,
	         false,
	         "missing 192.0.2.9 and unexpected 192.0.2.10, 192.0.2.11"},
	};
	is_int(l->n, 3, "answer fixture parsed");
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct strbuf diff = STRBUF_INIT;
		bool m =
		        dns_answer_match(l, LDNS_RR_TYPE_A, cases[i].expect, cases[i].n, &diff);
		ok(m == cases[i].match, "answer match case %zu is %s", i, m ? "true" : "false");
		is_str(sb_str(&diff), cases[i].diff, "answer match case %zu difference", i);
		sb_free(&diff);
	}
	struct strbuf sb = STRBUF_INIT;
	is_int(dns_rrset_format(&sb, l, LDNS_RR_TYPE_A), 2, "two A records formatted");
	is_str(sb_str(&sb), "192.0.2.10, 192.0.2.11", "A records sorted and joined");
	sb_reset(&sb);
	is_int(dns_rrset_format(&sb, l, LDNS_RR_TYPE_MX), 0, "no MX records");
	const char *cname[] = {"OTHER.example.test."};
	ok(dns_answer_match(l, LDNS_RR_TYPE_CNAME, cname, 1, &sb), "names match in any case");
	sb_free(&sb);
	dns_rrs_free(l);
	dns_msg_free(&msg);
}

/* check_dns -a: rdata, CIDR ranges and target names, any-match and -L. */
static void
test_expect(void)
{
	static const char *const answer[] = {
	        "multi.example.test. 300 IN CNAME other.example.test.",
	        "other.example.test. 300 IN A 192.0.2.11",
	        "other.example.test. 300 IN A 192.0.2.10",
	        "other.example.test. 300 IN AAAA 2001:db8::10",
	        "example.test. 300 IN MX 10 mail.example.test.",
	        "example.test. 300 IN MX 20 mx2.example.test.",
	        "example.test. 300 IN TXT \"v=spf1 mx -all\"",
	        NULL,
	};
	static const uint16_t addr[] = {LDNS_RR_TYPE_A, LDNS_RR_TYPE_AAAA, LDNS_RR_TYPE_CNAME};
	static const uint16_t mx[] = {LDNS_RR_TYPE_MX};
	static const uint16_t txt[] = {LDNS_RR_TYPE_TXT};
	struct dns_msg msg;
	struct dns_rrs list, *l = &list;
	rrs(answer, &msg, l);
	struct {
		const char *expect[3];
		size_t n;
		const uint16_t *types;
		size_t ntypes;
		bool all, match;
		const char *diff;
	} cases[] = {
	        {{"192.0.2.10"}, 1, addr, 2, false, true, ""},
	        {{"192.0.2.99", "192.0.2.11"}, 2, addr, 2, false, true, ""},
	        {{"192.0.2.99"},
	         1,
	         addr,
	         2,
	         false,
	         false,
	         "expected 192.0.2.99 and got 192.0.2.11, 192.0.2.10, 2001:db8::10"},
	        {{"192.0.2.10"},
	         1,
	         addr,
	         2,
	         true,
	         false,
	         "unexpected 192.0.2.11, 2001:db8::10"},
	        {{"192.0.2.10", "192.0.2.11", "2001:db8::10"}, 3, addr, 2, true, true, ""},
	        {{"192.0.2.0/24", "2001:db8::/32"}, 2, addr, 2, true, true, ""},
	        {{"192.0.2.8/30"}, 1, addr, 2, false, true, ""},
	        {{"192.0.2.12/30"},
	         1,
	         addr,
	         2,
	         false,
	         false,
	         "expected 192.0.2.12/30 and got 192.0.2.11, 192.0.2.10, 2001:db8::10"},
	        {{"198.51.100.0/24"},
	         1,
	         addr,
	         2,
	         true,
	         false,
	         "missing 198.51.100.0/24 and unexpected 192.0.2.11, 192.0.2.10, 2001:db8::10"},
	        {{"other.example.test"}, 1, addr, 3, false, true, ""},
	        {{"192.0.2.10", "192.0.2.11", "2001:db8::10"}, 3, addr, 3, true, true, ""},
	        {{"mail.example.test"}, 1, mx, 1, false, true, ""},
	        {{"MX2.example.test."}, 1, mx, 1, false, true, ""},
	        {{"mail.example.test", "mx2.example.test"}, 2, mx, 1, true, true, ""},
	        {{"mail.example.test"},
	         1,
	         mx,
	         1,
	         true,
	         false,
	         "unexpected 20 mx2.example.test."},
	        {{"10 mail.example.test"}, 1, mx, 1, false, true, ""},
	        {{"20 mail.example.test"},
	         1,
	         mx,
	         1,
	         false,
	         false,
	         "expected 20 mail.example.test. and got 10 mail.example.test., 20 "
	         "mx2.example.test."},
	        /* a bare TXT text is one string, spaces and all */
	        {{"v=spf1 mx -all"}, 1, txt, 1, false, true, ""},
	        {{"\"v=spf1 mx -all\""}, 1, txt, 1, false, true, ""},
	        {{"v=spf1"},
	         1,
	         txt,
	         1,
	         false,
	         false,
	         "expected \"v=spf1\" and got \"v=spf1 mx -all\""},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct dns_expect e[3];
		char err[200] = "";
		size_t parsed = 0;
		for (size_t j = 0; j < cases[i].n; j++)
			parsed +=
			        dns_expect_parse(cases[i].expect[j], cases[i].types,
			                         cases[i].ntypes, &e[j], err, sizeof err) == 0;
		if (!ok(parsed == cases[i].n, "expect case %zu parses: %s", i, err))
			continue;
		struct strbuf diff = STRBUF_INIT;
		bool m = dns_expect_check(l, cases[i].types, cases[i].ntypes, e, cases[i].n,
		                          cases[i].all, &diff);
		ok(m == cases[i].match, "expect case %zu (%s%s) is %s", i, cases[i].expect[0],
		   cases[i].all ? ", -L" : "", m ? "a match" : "no match");
		is_str(sb_str(&diff), cases[i].diff, "expect case %zu difference", i);
		sb_free(&diff);
		for (size_t j = 0; j < cases[i].n; j++)
			dns_expect_free(&e[j]);
	}
	static const char *const bad[] = {"192.0.2.0/33", "192.0.2.0/x", "2001:db8::/129",
	                                  "mail example", "300.1.1.1",   "2001:db8::zz",
	                                  "10.0.0"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct dns_expect e;
		char err[200] = "";
		/* With CNAME among the types, as check_dns without -q. */
		ok(dns_expect_parse(bad[i], addr, 3, &e, err, sizeof err) == -1 &&
		           err[0] != '\0',
		   "'%s' is no A/AAAA expectation: %s", bad[i], err);
	}
	dns_rrs_free(l);
	dns_msg_free(&msg);
}

static void
test_servers(void)
{
	struct dns_servers s = {0};
	char err[200];

	is_int(dns_servers_add(&s, "127.0.0.1", NULL, 53, AF_UNSPEC, err, sizeof err), DNS_OK,
	       "IPv4 literal server");
	is_int(dns_servers_add(&s, "[::1]@5353", NULL, 53, AF_UNSPEC, err, sizeof err), DNS_OK,
	       "bracketed IPv6 literal with a port");
	is_int(dns_servers_add(&s, "192.0.2.53", "ns2.example.test", 5300, AF_UNSPEC, err,
	                       sizeof err),
	       DNS_OK, "labelled server");
	is_int(dns_servers_add(&s, "127.0.0.1@53", NULL, 53, AF_UNSPEC, err, sizeof err),
	       DNS_OK, "a duplicate address is accepted");
	is_int(s.n, 3, "the duplicate is listed once");
	is_str(s.v[0].label, "127.0.0.1", "label of a plain literal");
	is_int(s.v[0].port, 53, "default port");
	is_str(s.v[1].label, "::1@5353", "label keeps an explicit port");
	is_int(s.v[1].port, 5353, "port after '@'");
	is_str(s.v[1].addr, "::1", "IPv6 address text");
	is_str(s.v[2].label, "ns2.example.test/192.0.2.53", "label names the NS and address");
	is_int(s.v[2].port, 5300, "port given by the caller");
	is_int(dns_servers_add(&s, "127.0.0.1@0", NULL, 53, AF_UNSPEC, err, sizeof err),
	       DNS_ERR_ARG, "port 0 rejected");
	is_int(dns_servers_add(&s, "127.0.0.1@x", NULL, 53, AF_UNSPEC, err, sizeof err),
	       DNS_ERR_ARG, "non-numeric port rejected");
	is_int(dns_servers_add(&s, "::1", NULL, 53, AF_INET, err, sizeof err), DNS_ERR_RESOLVE,
	       "IPv6 literal refused under -4");
	is_int(s.n, 3, "failed adds leave the list alone");
	dns_servers_free(&s);
	is_int(s.n, 0, "freed list is empty");
}

static void
test_resolv_conf(void)
{
	const char *dir = getenv("TMPDIR") ? getenv("TMPDIR") : P_tmpdir;
	char path[512], want[600];
	struct dns_servers s = {0};
	char err[700] = "";

	snprintf(path, sizeof path, "%s/glance-resolv.XXXXXX", dir);
	int fd = mkstemp(path);
	static const char conf[] = "# test\nsearch example.test\nnameserver 127.0.0.53\n"
	                           "nameserver ::1\noptions edns0\n";

	ok(fd >= 0 && write(fd, conf, sizeof conf - 1) == (ssize_t)(sizeof conf - 1),
	   "resolv.conf fixture written");
	close(fd);
	is_int(dns_servers_system(&s, path, 53, AF_UNSPEC, err, sizeof err), DNS_OK,
	       "resolv.conf read");
	is_int(s.n, 2, "both nameservers listed");
	if (s.n == 2) {
		is_str(s.v[0].addr, "127.0.0.53", "first nameserver");
		is_str(s.v[1].addr, "::1", "second nameserver");
	}
	dns_servers_free(&s);
	is_int(dns_servers_system(&s, path, 5353, AF_INET6, err, sizeof err), DNS_OK,
	       "resolv.conf read for IPv6 only");
	is_int(s.n, 1, "-6 keeps the IPv6 nameserver only");
	if (s.n == 1)
		is_int(s.v[0].port, 5353, "the port applies");
	dns_servers_free(&s);
	static const char none[] = "search example.test\n";
	fd = open(path, O_WRONLY | O_TRUNC);
	ok(fd >= 0 && write(fd, none, sizeof none - 1) == (ssize_t)(sizeof none - 1),
	   "resolv.conf without nameservers written");
	close(fd);
	is_int(dns_servers_system(&s, path, 53, AF_UNSPEC, err, sizeof err), DNS_ERR_ARG,
	       "a resolv.conf without nameservers is an error");
	snprintf(want, sizeof want, "no usable nameserver in %s", path);
	is_str(err, want, "the error says so");
	dns_servers_free(&s);
	unlink(path);
	is_int(dns_servers_system(&s, "/nonexistent/resolv.conf", 53, AF_UNSPEC, err,
	                          sizeof err),
	       DNS_ERR_ARG, "missing resolv.conf is an error");
	ok(strstr(err, "/nonexistent/resolv.conf") != NULL, "the error names the file: %s",
	   err);
}

static void
test_names(void)
{
	is_str(dns_rcode_name(LDNS_RCODE_NOERROR), "NOERROR", "rcode 0");
	is_str(dns_rcode_name(LDNS_RCODE_SERVFAIL), "SERVFAIL", "rcode 2");
	is_str(dns_rcode_name(LDNS_RCODE_NXDOMAIN), "NXDOMAIN", "rcode 3");
	is_str(dns_rcode_name(LDNS_RCODE_REFUSED), "REFUSED", "rcode 5");
	is_str(dns_rcode_name(23), "RCODE?", "unknown rcode");
	is_str(dns_strerror(DNS_ERR_TIMEOUT), "timeout", "timeout text");
	is_str(dns_strerror((enum dns_status)99), "unknown error", "out-of-range status");
}

/* What a timeout says about the replies it ignored on the way. */
static void
test_ignored(void)
{
	static const struct {
		unsigned id, question;
		const char *want;
	} cases[] = {
	        {0, 0, ""},
	        {1, 0, " (1 reply with a wrong id ignored)"},
	        {3, 0, " (3 replies with a wrong id ignored)"},
	        {0, 2, " (2 replies to another question ignored)"},
	        {3, 1, " (3 replies with a wrong id and 1 reply to another question ignored)"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct dns_reply r = {.wrong_id = cases[i].id,
		                      .wrong_question = cases[i].question};
		struct strbuf sb = STRBUF_INIT;
		dns_reply_ignored(&r, &sb);
		is_str(sb_str(&sb), cases[i].want, "%u wrong ids, %u other questions",
		       cases[i].id, cases[i].question);
		sb_free(&sb);
	}
}

int
main(void)
{
	test_serials();
	test_reverse();
	test_blocklist_codes();
	test_canon();
	test_match();
	test_expect();
	test_servers();
	test_resolv_conf();
	test_names();
	test_ignored();
	return done_testing();
}

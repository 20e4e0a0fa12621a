/* common/dnswire against ldns, whose text it must reproduce byte for
 * byte: RRs built from zone-file lines, put on the wire by ldns (which
 * compresses names), parsed back here; RR data texts canonicalized both
 * ways; malformed messages refused; queries built and read back. */
#include <ldns/ldns.h>
#include <stdlib.h>
#include <string.h>

#include "dnswire.h"
#include "tap.h"

/* ldns's RR data text as common/dns.c made it: each field, one space. */
static char *
ldns_rdata_str(const ldns_rr *rr)
{
	struct strbuf sb = STRBUF_INIT;
	for (size_t i = 0; i < ldns_rr_rd_count(rr); i++) {
		char *s = ldns_rdf2str(ldns_rr_rdf(rr, i));
		if (i > 0)
			sb_appendc(&sb, ' ');
		sb_append(&sb, s ? s : "?");
		free(s);
	}
	return sb.buf ? sb_detach(&sb) : xstrdup("");
}

/* What common/dns.c's canonical form was: NULL when ldns refuses. */
static char *
ldns_canon(uint16_t type, const char *text)
{
	char tbuf[16], *out = NULL;
	struct strbuf line = STRBUF_INIT;
	ldns_rdf *root = NULL;
	ldns_rr *rr = NULL;

	sb_appendf(&line, "x. 0 IN %s %s", dns_type_name(type, tbuf), text);
	if (ldns_str2rdf_dname(&root, ".") == LDNS_STATUS_OK &&
	    ldns_rr_new_frm_str(&rr, sb_str(&line), 0, root, NULL) == LDNS_STATUS_OK &&
	    ldns_rr_rd_count(rr) > 0)
		out = ldns_rdata_str(rr);
	ldns_rr_free(rr);
	ldns_rdf_deep_free(root);
	sb_free(&line);
	return out;
}

/* Zone-file lines covering every type of the enum and their corners. */
static const char *const zone[] = {
        "example.test. 300 IN A 192.0.2.1",
        "www.example.test. 300 IN A 0.0.0.0",
        "www.example.test. 300 IN AAAA 2001:DB8:0::1",
        "www.example.test. 300 IN AAAA ::",
        "www.example.test. 300 IN AAAA ::ffff:192.0.2.1",
        "www.example.test. 300 IN AAAA ::1.2.3.4",
        "www.example.test. 300 IN AAAA fe80::1:0:0:0",
        "www.example.test. 300 IN AAAA 1:2:3:4:5:6:7:8",
        "example.test. 3600 IN NS ns1.example.test.",
        "example.test. 3600 IN NS a\\.b\\;c\\(d\\)e\\\\f\\\"g\\032h\\009i~j@k$l.example.test.",
        "example.test. 3600 IN NS \\000\\255\\127.Mixed.Case.EXAMPLE.test.",
        "example.test. 3600 IN NS .",
        "alias.example.test. 60 IN CNAME www.example.test.",
        "example.test. 3600 IN SOA ns1.example.test. hostmaster.example.test. 2024010101 "
        "3600 900 604800 300",
        "example.test. 3600 IN SOA . . 4294967295 0 1 2 3",
        "2.2.0.192.in-addr.arpa. 60 IN PTR www.example.test.",
        "example.test. 60 IN HINFO \"PC\" \"Linux x86\"",
        "example.test. 60 IN HINFO \"\" \"\\\"q\\\\\"",
        "example.test. 60 IN MX 10 mail.example.test.",
        "example.test. 60 IN MX 0 .",
        "example.test. 60 IN MX 65535 mail.other.test.",
        "example.test. 60 IN TXT \"v=spf1 -all\"",
        "example.test. 60 IN TXT \"\"",
        "example.test. 60 IN TXT \"a\\\"b\\\\c\" \"\" \"\\009tab\\255\\127\\000x y\" unq",
        "example.test. 60 IN TXT \"caf\\195\\169 \\010 end;(x)\"",
        "example.test. 60 IN TXT "
        "\"0123456789012345678901234567890123456789012345678901234567890123456789012345678901"
        "2345678901234567890123456789012345678901234567890123456789012345678901234567890123"
        "4567890123456789012345678901234567890123456789012345678901234567890123456789012345"
        "678\" \"second\"",
        "example.test. 60 IN SPF \"v=spf1 mx -all\"",
        "_sip._tcp.example.test. 60 IN SRV 10 60 5060 sip.example.test.",
        "_sip._tcp.example.test. 60 IN SRV 0 0 0 .",
        "example.test. 60 IN NAPTR 100 10 \"S\" \"SIP+D2U\" \"!^.*$!sip:a@b!\" "
        "_sip._udp.example.test.",
        "example.test. 60 IN NAPTR 1 2 \"\" \"\" \"\" .",
        "old.example.test. 60 IN DNAME new.example.test.",
        "example.test. 60 IN DS 12345 8 2 "
        "49FD46E6C4B45C55D4AC69CBD3CD34AC1AFE51DE4A5A1CB4F8E5A0D7B4B7A1C2",
        "example.test. 60 IN DS 1 13 1 00",
        "example.test. 60 IN CDS 0 0 0 00",
        "example.test. 60 IN SSHFP 1 1 0123456789ABCDEF0123456789abcdef01234567",
        "example.test. 60 IN SSHFP 4 2 ff",
        "example.test. 60 IN RRSIG A 8 2 3600 20300101000000 20240101000000 12345 "
        "example.test. AwEAAQ==",
        "example.test. 60 IN RRSIG TYPE65280 13 3 0 1700000000 0 65535 . AQ==",
        "example.test. 60 IN RRSIG ANY 8 2 3600 4294967295 2147483648 1 example.test. AQID",
        "example.test. 60 IN RRSIG NSEC3PARAM 8 2 3600 1 1 1 example.test. AQIDBA==",
        "example.test. 60 IN DNSKEY 257 3 8 "
        "AwEAAagAIKlVZrpC6Ia7gEzahOR+"
        "9W29euxhJhVVLOyQbSEW0O8gcCjFFVQUTf6v58fLjwBd0YI0EzrAcQqBGCzh"
        "/RStIoO8g0NfnfL2MTJRkxoXbfDaUeVPQuYEhg37NZWAJQ9VnMVDxP/VHL496M/QZxkjf5/"
        "Efucp2gaDX6RS6CXp"
        "oY68LsvPVjR0ZSwzz1apAzvN9dlzEheX7ICJBBtuA6G3LQpzW5hOA2hzCTMjJPJ8LbqF6dsV6DoBQzgul0sGIc"
        "GO"
        "Yl7OyQdXfZ57relSQageu+ipAdTTJ25AsRTAoub8ONGcLmqrAmRLKBP1dfwhYB4N7knNnulqQxA+Uk1ihz0=",
        "example.test. 60 IN DNSKEY 256 3 15 l02Woi0iS8Aa25FQkUd9RMzZHJpBoRQwAQEX1SxZJA4=",
        "example.test. 60 IN CDNSKEY 0 3 0 AA==",
        "example.test. 60 IN NSEC next.example.test. A NS SOA MX RRSIG NSEC DNSKEY TYPE1234 "
        "CAA TYPE65280",
        "example.test. 60 IN NSEC next.example.test.",
        "example.test. 60 IN NSEC \\000.example.test. TYPE0 AXFR ANY URI DLV TYPE65535",
        "example.test. 60 IN NSEC Next.Example.test. A AAAA NSEC3PARAM TYPE54",
        "2t7b4g4vsa5smi47k61mv5bv1a22bojr.example.test. 60 IN NSEC3 1 1 10 AABBCC "
        "2T7B4G4VSA5SMI47K61MV5BV1A22BOJR A RRSIG",
        "2t7b4g4vsa5smi47k61mv5bv1a22bojr.example.test. 60 IN NSEC3 1 0 0 - "
        "2t7b4g4vsa5smi47k61mv5bv1a22bojr",
        "example.test. 60 IN NSEC3 1 0 65535 - 2t7b4g4vsa5smi47k61mv5bv1a22bojrbojrbojr CAA",
        "example.test. 60 IN NSEC3PARAM 1 0 10 AABB",
        "example.test. 60 IN NSEC3PARAM 1 0 0 -",
        "_443._tcp.www.example.test. 60 IN TLSA 3 1 1 "
        "0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef",
        "_25._tcp.mail.example.test. 60 IN TLSA 2 0 2 00",
        "example.test. 60 IN CAA 0 issue \"ca.example.net\"",
        "example.test. 60 IN CAA 128 IsSuE1 \"a\\\"b;c\\009\\255\"",
        "example.test. 60 IN CAA 0 iodef \"mailto:hostmaster@example.test\"",
        "example.test. 60 IN CAA 0 issuewild \";\"",
        "example.test. 60 IN TYPE65280 \\# 3 0A0b0C",
        "example.test. 60 IN TYPE65280 \\# 0",
        "example.test. 60 IN TYPE54 \\# 2 ABCD",
        "example.test. 60 IN TYPE4000 \\# 5 0001020304",
        "example.test. 60 IN A \\# 4 c0000201",
        /* 3 labels of 63 and one of 61: 255 octets, the longest name */
        "a.example.test. 60 IN CNAME "
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa."
        "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb."
        "ccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc."
        "ddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd.",
        "\\..example.test. 60 IN CNAME \\.\\.\\..example.test.",
};
#define NZONE (sizeof zone / sizeof zone[0])

/* The types of the enum: first_name and canon comparisons are theirs. */
static bool
enum_type(uint16_t t)
{
	static const uint16_t v[] = {1,  2,  5,  6,  12, 13, 15, 16, 28, 33, 35, 39,
	                             43, 44, 46, 47, 48, 50, 51, 52, 59, 60, 99, 257};
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
		if (v[i] == t)
			return true;
	return false;
}

/* The first name in the data, as common/dns.c looked for it. */
static char *
ldns_first_name(const ldns_rr *rr)
{
	for (size_t i = 0; i < ldns_rr_rd_count(rr); i++)
		if (ldns_rdf_get_type(ldns_rr_rdf(rr, i)) == LDNS_RDF_TYPE_DNAME)
			return ldns_rdf2str(ldns_rr_rdf(rr, i));
	return NULL;
}

/* One RR of ours against ldns's reading of the same wire. */
static void
compare_rr(const struct dns_msg *m, const struct dns_rr *rr, const ldns_rr *lr,
           const char *line)
{
	char name[DNS_NAME_TEXT];
	struct strbuf sb = STRBUF_INIT;
	char *want = ldns_rdata_str(lr), *owner = ldns_rdf2str(ldns_rr_owner(lr));

	is_int(rr->type, ldns_rr_get_type(lr), "type of %s", line);
	is_int(rr->ttl, ldns_rr_ttl(lr), "TTL of %s", line);
	dns_name_text(m, rr->owner, name);
	is_str(name, owner, "owner of %s", line);
	dns_rr_text(m, rr, &sb);
	is_str(sb_str(&sb), want, "data of %s", line);
	if (enum_type(rr->type)) {
		char *lf = ldns_first_name(lr);
		bool has = dns_rr_first_name(m, rr, name);
		ok(has == (lf != NULL) && (!has || strcmp(name, lf) == 0),
		   "first name of %s: %s", line, has ? name : "(none)");
		free(lf);
	}
	free(want);
	free(owner);
	sb_free(&sb);
}

/* Every zone line in one message by ldns, spread over the three
 * sections, with EDNS and an extended rcode; NULL if ldns fails. */
static uint8_t *
ldns_message(ldns_rr **rrs, size_t *len)
{
	ldns_pkt *p = ldns_pkt_new();
	ldns_rr *q = NULL;
	uint8_t *wire = NULL;

	ldns_rr_new_question_frm_str(&q, "Example.TEST. IN A", NULL, NULL);
	ldns_pkt_push_rr(p, LDNS_SECTION_QUESTION, q);
	for (size_t i = 0; i < NZONE; i++) {
		ldns_status st = ldns_rr_new_frm_str(&rrs[i], zone[i], 0, NULL, NULL);
		if (!ok(st == LDNS_STATUS_OK, "ldns reads %s", zone[i]))
			exit(1);
		ldns_pkt_push_rr(p, (ldns_pkt_section)(LDNS_SECTION_ANSWER + i % 3),
		                 ldns_rr_clone(rrs[i]));
	}
	ldns_pkt_set_id(p, 0xbeef);
	ldns_pkt_set_qr(p, true);
	ldns_pkt_set_aa(p, true);
	ldns_pkt_set_rcode(p, 3);
	ldns_pkt_set_edns_udp_size(p, 1232);
	ldns_pkt_set_edns_do(p, true);
	ldns_pkt_set_edns_extended_rcode(p, 1);
	is_int(ldns_pkt2wire(&wire, p, len), LDNS_STATUS_OK, "ldns writes the message");
	ldns_pkt_free(p);
	return wire;
}

/* m.rr holds the answers (zone lines 0, 3, ...), then the authority
 * (1, 4, ...), then the additional section: each against ldns's. */
static void
compare_sections(const struct dns_msg *m, const ldns_pkt *lp, ldns_rr *const *rrs)
{
	for (size_t s = 0, k = 0; s < 3; s++) {
		ldns_rr_list *l = ldns_pkt_get_section_clone(
		        lp, (ldns_pkt_section)(LDNS_SECTION_ANSWER + s));
		for (size_t i = s; i < NZONE && k < m->nrr; i += 3, k++) {
			is_int(m->rr[k].section, (int)s, "section of %s", zone[i]);
			compare_rr(m, &m->rr[k], ldns_rr_list_rr(l, i / 3), zone[i]);
			bool same = ldns_dname_compare(ldns_rr_owner(rrs[i]),
			                               ldns_rr_owner(rrs[0])) == 0;
			ok(dns_name_equal(m, m->rr[k].owner, m, m->rr[0].owner) == same,
			   "owner of %s compared with the first", zone[i]);
		}
		ldns_rr_list_deep_free(l);
	}
}

static void
test_differential(void)
{
	ldns_rr *rrs[NZONE];
	size_t len = 0;
	uint8_t *wire = ldns_message(rrs, &len);
	struct dns_msg m;
	char err[256] = "", qn[DNS_NAME_TEXT];
	ldns_pkt *lp = NULL;

	is_int(ldns_wire2pkt(&lp, wire, len), LDNS_STATUS_OK, "ldns reads its message back");
	int rc = dns_msg_parse(&m, wire, len, err, sizeof err);
	is_int(rc, 0, "message of %zu bytes parses (%s)", len, err);
	is_int(m.nrr, NZONE, "every RR but OPT kept");
	is_int(m.id, 0xbeef, "id");
	ok(m.qr && m.aa && !m.tc && !m.rd, "flags");
	ok(m.edns && m.edns_size == 1232 && m.edns_do, "EDNS size and DO");
	is_int(m.rcode, 1 << 4 | 3, "extended rcode");
	is_int(m.qtype, DNS_T_A, "question type");
	dns_name_text(&m, m.qname, qn);
	is_str(qn, "Example.TEST.", "question name, case kept");
	ok(dns_name_is(&m, m.qname, "example.test") &&
	           dns_name_is(&m, m.qname, "EXAMPLE.test.") &&
	           !dns_name_is(&m, m.qname, "example.tes") &&
	           !dns_name_is(&m, m.qname, "a..b"),
	   "question name compared without case");
	if (rc == 0)
		compare_sections(&m, lp, rrs);
	for (size_t i = 0; i < NZONE; i++)
		ldns_rr_free(rrs[i]);
	dns_msg_free(&m);
	ok(m.wire == NULL && m.rr == NULL && m.nrr == 0, "free leaves the message empty");
	dns_msg_free(NULL);
	ldns_pkt_free(lp);
	free(wire);
}

/* RR data texts, canonical spellings and not, to read as ldns does. */
static const struct {
	uint16_t type;
	const char *text;
} canon_vs_ldns[] = {
        {DNS_T_A, "192.0.2.1"},
        {DNS_T_A, "300.1.1.1"},
        {DNS_T_A, "01.2.3.4"},
        {DNS_T_A, "1.2.3"},
        {DNS_T_A, "1.2.3.4 5"},
        {DNS_T_A, "mail.example.test"},
        {DNS_T_A, "\\# 4 C0000201"},
        {DNS_T_A, "\\# 4 c0 00 02 01"},
        {DNS_T_AAAA, "2001:DB8:0::1"},
        {DNS_T_AAAA, "2001:0db8:0000:0000:0000:0000:0000:0001"},
        {DNS_T_AAAA, "::FFFF:192.0.2.1"},
        {DNS_T_AAAA, "1::2::3"},
        {DNS_T_AAAA, "192.0.2.1"},
        {DNS_T_NS, "ns1.example.test"},
        {DNS_T_NS, "NS1.Example.Test."},
        {DNS_T_NS, "a\\065b\\\\065c\\ d"},
        {DNS_T_NS, "a\\256b"},
        {DNS_T_NS, "a..b"},
        {DNS_T_NS, "@"},
        {DNS_T_NS, "."},
        {DNS_T_NS, "a b"},
        {DNS_T_CNAME, "www"},
        {DNS_T_PTR, "host.example.test"},
        {DNS_T_DNAME, "new.example"},
        {DNS_T_SOA, "ns. host. 2024010101 1h 30m 1w 3600"},
        {DNS_T_SOA, "ns host 4294967295 1H30M 1d2h 0 1W"},
        {DNS_T_SOA, "ns. host. 1 1s 1M 1 1w2"},
        {DNS_T_SOA, "ns. host. 1 2 3 4"},
        {DNS_T_SOA, "ns. host. 1 2 3 4 5 6"},
        {DNS_T_SOA, "ns. host. 1x 1 1 1 1"},
        {DNS_T_MX, "10 mail.example.test"},
        {DNS_T_MX, "010 mail."},
        {DNS_T_MX, "  10   a.  "},
        {DNS_T_MX, "10"},
        {DNS_T_MX, "10 a b"},
        {DNS_T_MX, "0x10 a."},
        {DNS_T_MX, "\\# 3 000a00"},
        {DNS_T_TXT, "\"v=spf1 -all\""},
        {DNS_T_TXT, "\"a\" \"b\""},
        {DNS_T_TXT, "\"\""},
        {DNS_T_TXT, "\"a\\\"b\\\\c\" \"\" \"\\009\\255\\127x y\" unq"},
        {DNS_T_TXT, "a\\\"b c\\\\d e\\032f \\065"},
        {DNS_T_TXT, "\"\\x\" \"\\1234\""},
        {DNS_T_TXT, "\"\\25\""},
        {DNS_T_TXT, "\"\\256\""},
        {DNS_T_TXT, "\"a;b\" ;comment"},
        {DNS_T_TXT, "\"a\" ( \"b\" )"},
        {DNS_T_TXT, "\"caf\\195\\169\""},
        {DNS_T_SPF, "\"v=spf1 mx -all\""},
        {DNS_T_HINFO, "PC Linux"},
        {DNS_T_HINFO, "\"PC\" \"Linux x\""},
        {DNS_T_HINFO, "\"a\""},
        {DNS_T_HINFO, "a b c"},
        {DNS_T_SRV, "1 2 3 t"},
        {DNS_T_SRV, "1 2 3"},
        {DNS_T_NAPTR, "100 10 \"S\" \"SIP+D2U\" \"!^.*$!sip:a@b!\" _sip._udp.example."},
        {DNS_T_NAPTR, "1 2 S \"\" \"\" ."},
        {DNS_T_DS, "12345 8 2 ABCDEF0123 4567"},
        {DNS_T_DS, "12345 RSASHA256 2 abcd"},
        {DNS_T_DS, "12345 ecdsap256sha256 2 abcd"},
        {DNS_T_CDS, "0 0 0 00"},
        {DNS_T_SSHFP, "1 1 ABCDEF"},
        {DNS_T_SSHFP, "1 1 -"},
        {DNS_T_TLSA, "3 1 1 ab cd EF"},
        {DNS_T_TLSA, "3 1 1 0x12"},
        {DNS_T_DNSKEY, "257 3 8 AwEA AQ=="},
        {DNS_T_DNSKEY, "257 3 ED25519 l02Woi0iS8Aa25FQkUd9RMzZHJpBoRQwAQEX1SxZJA4="},
        {DNS_T_DNSKEY, "257 3 8 AwEAAb=="},
        {DNS_T_DNSKEY, "257 3 8 AAB="},
        {DNS_T_DNSKEY, "257 3 8 AAA="},
        {DNS_T_DNSKEY, "257 3 8 AwEAAQ"},
        {DNS_T_DNSKEY, "257 3 8 AwE=AAQ=="},
        {DNS_T_DNSKEY, "257 3 8 A"},
        {DNS_T_DNSKEY, "257 3 8 AwE$AQ=="},
        {DNS_T_CDNSKEY, "0 3 0 AA=="},
        {DNS_T_RRSIG, "A 8 2 3600 20250101000000 20240101000000 12345 example. AwEAAQ=="},
        {DNS_T_RRSIG, "a 8 2 3600 20300101000000 1 12345 example AwEA AQ=="},
        {DNS_T_RRSIG, "TYPE65280 8 2 3600 1700000000 0 12345 example. AQ=="},
        {DNS_T_RRSIG, "A ECDSAP256SHA256 2 3600 1 1 12345 example AQ=="},
        {DNS_T_RRSIG, "A 8 2 3600 20251301000000 1 12345 example AQ=="},
        {DNS_T_NSEC, "next.example. A NS SOA MX RRSIG NSEC DNSKEY TYPE1234 CAA TYPE65280"},
        {DNS_T_NSEC, "next.example."},
        {DNS_T_NSEC, "a. a rrsig Type65280 nsec3param"},
        {DNS_T_NSEC, "a A A A"},
        {DNS_T_NSEC3, "1 1 10 AABBCC 2T7B4G4VSA5SMI47K61MV5BV1A22BOJR A RRSIG"},
        {DNS_T_NSEC3, "1 0 0 - 2t7b4g4vsa5smi47k61mv5bv1a22bojr"},
        {DNS_T_NSEC3, "1 1 10 AABBCC 2T7B4G4G A"},
        {DNS_T_NSEC3, "1 1 10 AABBCC 2T7B4G4VSA5SMI47K61MV5BV1A22BOJW A"},
        {DNS_T_NSEC3, "1 1 10 AABBCC 2T7B A"},
        {DNS_T_NSEC3PARAM, "1 0 10 AABB"},
        {DNS_T_NSEC3PARAM, "1 0 0 -"},
        {DNS_T_NSEC3PARAM, "1 0 0 ABC"},
        {DNS_T_CAA, "0 issue \"ca.example\""},
        {DNS_T_CAA, "128 IsSuE1 \"a\\\"b;c\""},
        {DNS_T_CAA, "0 issue \"a\\009b\\255c\\\"d\\\\e\""},
        {DNS_T_CAA, "0 is-x \"a\""},
        {DNS_T_CAA, "0 \"issue\" \"a\""},
        {DNS_T_CAA, "0 issue \"a\" \"b\""},
        {65280, "\\# 3 0A0b0C"},
        {65280, "\\# 3 0a 0b0c"},
        {65280, "\\#  3 0a0b0c ; c"},
        {65280, "\\# 2 0a0b0c"},
        {65280, "\\# 3 0a0b0"},
        {65280, "0a0b0c"},
        {54, "\\# 1 ff"},
};

static void
test_canon_ldns(void)
{
	for (size_t i = 0; i < sizeof canon_vs_ldns / sizeof canon_vs_ldns[0]; i++) {
		char err[256] = "", tbuf[16];
		struct strbuf sb = STRBUF_INIT;
		char *want = ldns_canon(canon_vs_ldns[i].type, canon_vs_ldns[i].text);
		int rc = dns_rdata_canon(canon_vs_ldns[i].text, canon_vs_ldns[i].type, &sb, err,
		                         sizeof err);
		const char *tn = dns_type_name(canon_vs_ldns[i].type, tbuf);
		if (want == NULL)
			ok(rc == -1 && err[0] != '\0', "%s '%s' refused as by ldns: %s", tn,
			   canon_vs_ldns[i].text, err);
		else
			is_str(rc == 0 ? sb_str(&sb) : err, want,
			       "%s '%s' canonical as by ldns", tn, canon_vs_ldns[i].text);
		free(want);
		sb_free(&sb);
	}
}

/* Where ldns's answer was not worth keeping: numbers it wrapped, data
 * it padded or made up, forms it refused that zone files use. */
static const struct {
	uint16_t type;
	const char *text, *want; /* NULL: refused */
} canon_own[] = {
        {DNS_T_MX, "70000 mail.", NULL},
        {DNS_T_MX, "-1 mail.", NULL},
        {DNS_T_SSHFP, "1 300 ab", NULL},
        {DNS_T_CAA, "256 issue \"a\"", NULL},
        {DNS_T_SOA, "ns. host. 4294967296 1 1 1 1", NULL},
        {DNS_T_SOA, "ns. host. 1 4294967296 1 1 1", NULL},
        {DNS_T_RRSIG, "A 8 2 -1 1 1 1 e. AQ==", NULL},
        {DNS_T_RRSIG, "A 8 300 1 1 1 1 e. AQ==", NULL},
        {DNS_T_RRSIG, "A 8 2 1 20250230000000 1 1 e. AQ==", NULL},
        {DNS_T_RRSIG, "A 8 2 1 4294967296 1 1 e. AQ==", NULL},
        {DNS_T_DS, "1 2 3 abc", NULL},
        {DNS_T_TXT, "\"unterminated", NULL},
        {DNS_T_NSEC, "a. FOO", NULL},
        {DNS_T_RRSIG, "FOO 8 2 3600 1 1 12345 example AQ==", NULL},
        {DNS_T_MX, "\\# 4 000a0000", NULL},
        /* 1900 is 2036 modulo 2^32, and printed so until 2104 */
        {DNS_T_RRSIG, "A 8 2 1 19000101000000 1893456000 1 e. AQ==",
         "A 8 2 1 20360207062816 20300101000000 1 e. AQ=="},
        {DNS_T_CAA, "0 tbs \"\"", "0 tbs"},
        {DNS_T_CAA, "0 tbs", "0 tbs"},
        {DNS_T_DS, "1 2 3", "1 2 3"},
        {DNS_T_TLSA, "3 1 1", "3 1 1"},
        {DNS_T_RRSIG, "A 8 2 1 20300101000000 1893456000 1 e.",
         "A 8 2 1 20300101000000 20300101000000 1 e."},
        {DNS_T_TLSA, "3 1 1 \"ab\"", NULL},
        {DNS_T_CAA, "0 iodef mailto:a@b", "0 iodef \"mailto:a@b\""},
        {DNS_T_NSEC3, "1 0 0 - 00====== A", "1 0 0 -  00====== A "},
        {DNS_T_NSEC3, "1 0 0 - 00 A", "1 0 0 -  00====== A "},
        {65280, "\\# 0", ""},
        {DNS_T_OPT, "\\# 4 00010000", "\\# 4 00010000"},
        {DNS_T_OPT, "1", NULL},
        {DNS_T_ANY, "", NULL},
        {29, "52 22 23.000 N 4 22 0.000 E -2.00m 0.00m 10000m 10m", NULL},
        {29, "\\# 2 0102", "\\# 2 0102"},
        {DNS_T_A, "\\# 0", NULL},
        {DNS_T_A, "\\# 5 c000020101", NULL},
        {DNS_T_MX, "\\# 4 000ac000", NULL},
        {DNS_T_A, "", NULL},
        {DNS_T_TXT, "", NULL},
        {DNS_T_NS, "\"quoted.name\"", NULL},
        {DNS_T_NS, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.", NULL},
};

static void
test_canon_own(void)
{
	for (size_t i = 0; i < sizeof canon_own / sizeof canon_own[0]; i++) {
		char err[256] = "", tbuf[16];
		struct strbuf sb = STRBUF_INIT;
		int rc = dns_rdata_canon(canon_own[i].text, canon_own[i].type, &sb, err,
		                         sizeof err);
		const char *tn = dns_type_name(canon_own[i].type, tbuf);
		if (canon_own[i].want == NULL)
			ok(rc == -1 && strstr(err, "is not valid") != NULL,
			   "%s '%s' refused: %s", tn, canon_own[i].text, err);
		else
			is_str(rc == 0 ? sb_str(&sb) : err, canon_own[i].want,
			       "%s '%s' canonical", tn, canon_own[i].text);
		sb_free(&sb);
	}
	char err[256];
	struct strbuf sb = STRBUF_INIT;
	dns_rdata_canon("70000 mail.", DNS_T_MX, &sb, err, sizeof err);
	is_str(err, "'70000 mail.' is not valid MX data: number out of range", "the reason");
	sb_free(&sb);
}

/* Round trips: what canon prints it reads back the same, for each zone
 * line's data as ldns prints it. */
static void
test_canon_fixpoint(void)
{
	for (size_t i = 0; i < NZONE; i++) {
		ldns_rr *rr = NULL;
		ldns_rr_new_frm_str(&rr, zone[i], 0, NULL, NULL);
		if (rr == NULL)
			continue;
		char *text = ldns_rdata_str(rr), err[256] = "";
		struct strbuf a = STRBUF_INIT, b = STRBUF_INIT;
		uint16_t type = (uint16_t)ldns_rr_get_type(rr);
		int rc = dns_rdata_canon(text, type, &a, err, sizeof err);
		if (rc == 0)
			rc = dns_rdata_canon(sb_str(&a), type, &b, err, sizeof err);
		/* ldns prints no data for an empty RR of a type it does not know */
		if (text[0] == '\0')
			ok(rc == -1, "empty data of %s refused", zone[i]);
		else
			is_str(rc == 0 ? sb_str(&b) : err, text, "canon of %s is a fixpoint",
			       zone[i]);
		free(text);
		sb_free(&a);
		sb_free(&b);
		ldns_rr_free(rr);
	}
}

/* A message of a header (one question for "a.", counts as given) and
 * the raw bytes after it. */
static size_t
msg(uint8_t *buf, unsigned qd, unsigned an, unsigned ns, unsigned ar, const uint8_t *body,
    size_t n)
{
	uint8_t h[12] = {0x12, 0x34,        0x81, 0x80,        0, (uint8_t)qd,
	                 0,    (uint8_t)an, 0,    (uint8_t)ns, 0, (uint8_t)ar};
	memcpy(buf, h, 12);
	memcpy(buf + 12, body, n);
	return 12 + n;
}

/* "a." IN A, then an RR owned by "a." (a pointer to 12) of type and data. */
static size_t
msg_rr(uint8_t *buf, unsigned ar, uint16_t type, const uint8_t *rd, size_t rdlen)
{
	uint8_t body[600] = {1,
	                     'a',
	                     0,
	                     0,
	                     1,
	                     0,
	                     1,
	                     0xc0,
	                     12,
	                     (uint8_t)(type >> 8),
	                     (uint8_t)type,
	                     0,
	                     1,
	                     0,
	                     0,
	                     0,
	                     60,
	                     (uint8_t)(rdlen >> 8),
	                     (uint8_t)rdlen};
	memcpy(body + 19, rd, rdlen);
	return msg(buf, 1, ar ? 0 : 1, 0, ar, body, 19 + rdlen);
}

static void
expect_bad(const uint8_t *w, size_t len, const char *what)
{
	struct dns_msg m;
	char err[256] = "";
	int rc = dns_msg_parse(&m, w, len, err, sizeof err);
	ok(rc == -1 && err[0] != '\0' && m.wire == NULL && m.rr == NULL, "%s refused: %s", what,
	   err);
	if (rc == 0)
		dns_msg_free(&m);
}

static void
expect_good(const uint8_t *w, size_t len, const char *what, const char *text)
{
	struct dns_msg m;
	char err[256] = "";
	int rc = dns_msg_parse(&m, w, len, err, sizeof err);
	struct strbuf sb = STRBUF_INIT;
	if (rc == 0 && m.nrr > 0)
		dns_rr_text(&m, &m.rr[m.nrr - 1], &sb);
	is_str(rc == 0 ? sb_str(&sb) : err, text, "%s", what);
	sb_free(&sb);
	dns_msg_free(&m);
}

static void
test_malformed_names(void)
{
	uint8_t w[2000] = {0}, b[1500] = {0};
	size_t n;

	expect_bad(w, 0, "empty message");
	expect_bad(NULL, 0, "no message");
	expect_bad(w, msg(w, 0, 0, 0, 0, b, 0) - 1, "11-byte header");
	expect_good(w, msg(w, 0, 0, 0, 0, b, 0), "bare header", "");
	expect_bad(w, msg(w, 1, 0, 0, 0, (const uint8_t[]){0xc0, 12, 0, 1, 0, 1}, 6),
	           "pointer to itself");
	expect_bad(w, msg(w, 1, 0, 0, 0, (const uint8_t[]){1, 'a', 0xc0, 12, 0, 1, 0, 1}, 8),
	           "pointer to its own name's start");
	/* a pointer back into the name's own first label, where a 0 ends it:
	 * no loop, but no earlier name either */
	expect_bad(
	        w,
	        msg(w, 1, 0, 0, 0, (const uint8_t[]){3, 'A', 0, 'B', 0xc0, 14, 0, 1, 0, 1}, 10),
	        "pointer into its own name");
	expect_bad(w, msg(w, 1, 0, 0, 0, (const uint8_t[]){0xc0, 14, 0, 0, 1, 0, 1}, 7),
	           "forward pointer");
	expect_bad(w,
	           msg(w, 2, 0, 0, 0,
	               (const uint8_t[]){1, 'a', 0, 0, 1, 0, 1, 1, 'b', 0xc0, 19, 0, 1, 0, 1},
	               15),
	           "pointer loop through a label");
	expect_bad(w, msg(w, 1, 0, 0, 0, (const uint8_t[]){0x40, 'a', 0, 0, 1, 0, 1}, 7),
	           "label type 0x40");
	expect_bad(w, msg(w, 1, 0, 0, 0, (const uint8_t[]){0x80, 'a', 0, 0, 1, 0, 1}, 7),
	           "label type 0x80");
	expect_bad(w, msg(w, 1, 0, 0, 0, (const uint8_t[]){3, 'a', 'b'}, 3),
	           "label past the end");
	expect_bad(w, msg(w, 1, 0, 0, 0, (const uint8_t[]){1, 'a', 0, 0, 1, 0}, 6),
	           "question without its class");
	expect_bad(w, msg(w, 1, 0, 0, 0, (const uint8_t[]){0xc0}, 1), "half a pointer");
	/* 4 labels of 63: 257 octets; 3 of 63 and one of 61: 255 */
	for (int lab = 62; lab >= 61; lab--) {
		n = 0;
		for (int i = 0; i < 4; i++) {
			b[n++] = i < 3 ? 63 : (uint8_t)lab;
			memset(b + n, 'x', b[n - 1]);
			n += b[n - 1];
		}
		memcpy(b + n, (const uint8_t[]){0, 0, 1, 0, 1}, 5);
		if (lab == 62)
			expect_bad(w, msg(w, 1, 0, 0, 0, b, n + 5), "name of 256 octets");
		else
			expect_good(w, msg(w, 1, 0, 0, 0, b, n + 5), "name of 255 octets", "");
	}
}

/* Questions each a pointer to the one before, the first the root: the
 * last takes as many jumps as there are questions before it. */
static void
test_pointer_chain(void)
{
	uint8_t w[2000] = {0}, b[1500] = {0};
	size_t n;

	for (unsigned chain = 100; chain <= 200; chain += 100) {
		memcpy(b, (const uint8_t[]){0, 0, 1, 0, 1}, 5);
		n = 5;
		for (unsigned i = 1; i <= chain; i++, n += 6) {
			size_t prev = i == 1 ? 12 : 12 + 5 + 6 * (i - 2);
			memcpy(b + n,
			       (const uint8_t[]){(uint8_t)(0xc0 | prev >> 8), (uint8_t)prev, 0,
			                         1, 0, 1},
			       6);
		}
		msg(w, 0, 0, 0, 0, b, n);
		w[4] = 0;
		w[5] = (uint8_t)(chain + 1);
		if (chain == 100)
			expect_good(w, 12 + n, "100 pointers in a chain", "");
		else
			expect_bad(w, 12 + n, "200 pointers in a chain");
	}
}

/* RR data that does not fit its type's layout. */
static const struct {
	uint16_t type;
	const char *what;
	uint8_t rd[40];
	size_t n;
} bad_data[] = {
        {DNS_T_A, "A of 5 bytes", {192, 0, 2, 1, 0}, 5},
        {DNS_T_A, "A of 3 bytes", {192, 0, 2}, 3},
        {DNS_T_A, "A of none", {0}, 0},
        {DNS_T_AAAA, "AAAA of 15 bytes", {0x20, 1}, 15},
        {DNS_T_MX, "MX without name", {0, 10}, 2},
        {DNS_T_MX, "MX name past the data", {0, 10, 1, 'a'}, 4},
        {DNS_T_MX, "MX with a byte after the name", {0, 10, 0, 0}, 4},
        {DNS_T_NS, "NS pointing forward", {0xc0, 40}, 2},
        {DNS_T_SOA,
         "SOA one byte short",
         {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
         21},
        {DNS_T_TXT, "TXT of no string", {0}, 0},
        {DNS_T_TXT, "TXT string past the data", {5, 'a', 'b'}, 3},
        {DNS_T_TXT, "TXT second string past the data", {1, 'a', 2, 'b'}, 4},
        {DNS_T_HINFO, "HINFO of three strings", {1, 'a', 1, 'b', 1, 'c'}, 6},
        {DNS_T_HINFO, "HINFO of one string", {1, 'a'}, 2},
        {DNS_T_SRV, "SRV without target", {0, 1, 0, 1, 0, 1}, 6},
        {DNS_T_NAPTR, "NAPTR without replacement", {0, 1, 0, 1, 0, 0, 0}, 7},
        {DNS_T_DNAME, "DNAME compressed", {0xc0, 12}, 2},
        {DNS_T_DS, "DS of 3 bytes", {0, 1, 8}, 3},
        {DNS_T_DNSKEY, "DNSKEY of 3 bytes", {1, 1, 3}, 3},
        {DNS_T_SSHFP, "SSHFP of 1 byte", {1}, 1},
        {DNS_T_TLSA, "TLSA of 2 bytes", {3, 1}, 2},
        {DNS_T_RRSIG, "RRSIG of 17 bytes", {0, 1, 8, 2}, 17},
        {DNS_T_RRSIG, "RRSIG signer compressed", {0, 1, 8, 2, [18] = 0xc0, 12}, 20},
        {DNS_T_NSEC, "NSEC next compressed", {0xc0, 12, 0, 1, 0x40}, 5},
        {DNS_T_NSEC, "NSEC windows out of order", {0, 1, 1, 0x40, 0, 1, 0x40}, 7},
        {DNS_T_NSEC, "NSEC window twice", {0, 0, 1, 0x40, 0, 1, 0x40}, 7},
        {DNS_T_NSEC, "NSEC window of 0", {0, 0, 0}, 3},
        {DNS_T_NSEC, "NSEC window of 33", {0, 0, 33}, 3},
        {DNS_T_NSEC, "NSEC window past the data", {0, 0, 2, 0x40}, 4},
        {DNS_T_NSEC, "NSEC half a window", {0, 0}, 2},
        {DNS_T_NSEC, "NSEC window without a type", {0, 0, 2, 0, 0}, 5},
        {DNS_T_NSEC3, "NSEC3 salt past the data", {1, 0, 0, 0, 5, 1}, 6},
        {DNS_T_NSEC3, "NSEC3 without hash", {1, 0, 0, 0, 0}, 5},
        {DNS_T_NSEC3, "NSEC3 with an empty hash", {1, 0, 0, 0, 0, 0}, 6},
        {DNS_T_NSEC3, "NSEC3 bad bitmap", {1, 0, 0, 0, 0, 1, 0xff, 0, 0}, 9},
        {DNS_T_NSEC3PARAM, "NSEC3PARAM salt past the data", {1, 0, 0, 0, 1}, 5},
        {DNS_T_NSEC3PARAM, "NSEC3PARAM with a byte after", {1, 0, 0, 0, 0, 0}, 6},
        {DNS_T_CAA, "CAA empty tag", {0, 0}, 2},
        {DNS_T_CAA, "CAA tag past the data", {0, 5, 'a'}, 3},
        {DNS_T_CAA, "CAA tag not alphanumeric", {0, 3, 'a', '-', 'b', 'x'}, 6},
        {DNS_T_CAA, "CAA without flags", {0}, 0},
};

/* RR data at the edges of its layout, and their text. */
static const struct {
	uint16_t type;
	const char *what, *text;
	uint8_t rd[40];
	size_t n;
} good_data[] = {
        {DNS_T_MX, "MX compressed", "10 a.", {0, 10, 0xc0, 12}, 4},
        {DNS_T_SRV, "SRV compressed (RFC 3597 4)", "1 2 3 a.", {0, 1, 0, 2, 0, 3, 0xc0, 12}, 8},
        {DNS_T_SOA,
         "SOA rname pointing into its mname",
         "b.a. b.a. 1 2 3 4 5",
         {1, 'b', 0xc0, 12, 0xc0, 31, 0, 0, 0, 1, 0, 0, 0,
          2, 0,   0,    0,  3,    0,  0, 0, 4, 0, 0, 0, 5},
         26},
        {DNS_T_DS, "DS without digest", "1 8 2", {0, 1, 8, 2}, 4},
        {DNS_T_NSEC, "NSEC without bitmap", "a.", {1, 'a', 0}, 3},
        {DNS_T_NSEC,
         "NSEC window with trailing zeros",
         "a. A ",
         {1, 'a', 0, 0, 3, 0x40, 0, 0},
         8},
        {DNS_T_NSEC3, "NSEC3 of a 1-octet hash", "1 0 0 -  00======", {1, 0, 0, 0, 0, 1, 0}, 7},
        {DNS_T_CAA, "CAA without value", "0 tbs", {0, 3, 't', 'b', 's'}, 5},
        {DNS_T_TXT, "TXT of one empty string", "\"\"", {0}, 1},
        {65280, "unknown type", "\\# 4 00010203", {0, 1, 2, 3}, 4},
        {65280, "unknown type, no data", "", {0}, 0},
        {DNS_T_ANY, "ANY as data", "\\# 1 ab", {0xab}, 1},
        {29, "LOC, not in the enum", "\\# 2 0102", {1, 2}, 2},
};

static void
test_malformed_data(void)
{
	uint8_t w[200];
	for (size_t i = 0; i < sizeof bad_data / sizeof bad_data[0]; i++)
		expect_bad(w, msg_rr(w, 0, bad_data[i].type, bad_data[i].rd, bad_data[i].n),
		           bad_data[i].what);

	for (size_t i = 0; i < sizeof good_data / sizeof good_data[0]; i++)
		expect_good(w, msg_rr(w, 0, good_data[i].type, good_data[i].rd, good_data[i].n),
		            good_data[i].what, good_data[i].text);
}

static void
test_malformed_rrs(void)
{
	uint8_t w[200], opt[] = {0, 0, 0x29, 4, 0xd0, 0, 0, 0x80, 0, 0, 0};
	uint8_t b[100] = {1, 'a', 0, 0, 1, 0, 1};

	expect_bad(w, msg(w, 1, 1, 0, 0, b, 7), "answer count beyond the data");
	expect_bad(w, msg(w, 1, 0, 0, 255, b, 7), "additional count beyond the data");
	memcpy(b + 7, opt, 11);
	memcpy(b + 18, opt, 11);
	expect_bad(w, msg(w, 1, 0, 0, 2, b, 29), "two OPT records");
	expect_bad(w, msg(w, 1, 1, 0, 0, b, 18), "OPT in the answer");
	expect_good(w, msg(w, 1, 0, 0, 1, b, 18), "one OPT record", "");
	b[7] = 0xc0, b[8] = 12;
	memcpy(b + 9, opt + 1, 10);
	expect_bad(w, msg(w, 1, 0, 0, 1, b, 19), "OPT not owned by the root");
	memcpy(b + 7, opt, 11);
	b[17] = 5;
	memcpy(b + 18, (const uint8_t[]){0, 10, 0, 2, 0}, 5);
	expect_bad(w, msg(w, 1, 0, 0, 1, b, 23), "OPT option past its data");
	b[17] = 4;
	memcpy(b + 18, (const uint8_t[]){0, 10, 0, 0}, 4);
	expect_good(w, msg(w, 1, 0, 0, 1, b, 22), "OPT with an empty option", "");
	expect_bad(w,
	           msg(w, 1, 1, 0, 0, (const uint8_t[]){1, 'a', 0, 0, 1, 0, 1, 0xc0, 12, 0, 1},
	               11),
	           "RR cut in its header");
	expect_bad(w,
	           msg(w, 1, 1, 0, 0,
	               (const uint8_t[]){1, 'a', 0, 0, 1, 0, 1, 0xc0, 12, 0, 1, 0,
	                                 1, 0,   0, 0, 0, 0, 5, 1,    2,  3, 4},
	               23),
	           "RR data past the end");

	struct dns_msg m;
	char err[256] = "";
	uint8_t big[] = {0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 100, 0, 1, 0, 0, 0, 0, 0, 0};
	is_int(dns_msg_parse(&m, big, sizeof big, err, sizeof err), 0, "SPF-like unknown RR");
	dns_msg_free(&m);
	uint8_t rr2[] = {0, 0, 0, 0, 0, 0, 0, 2, 0,  0, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0,
	                 0, 4, 1, 2, 3, 4, 0, 0, 15, 0, 1, 0, 0, 0, 0, 0, 4, 0, 1, 0, 0};
	is_int(dns_msg_parse(&m, rr2, sizeof rr2, err, sizeof err), -1, "bad second RR");
	is_str(err, "RR 2 (MX): data longer than its fields", "the reason names the RR");
	dns_msg_free(&m);
	/* a truncated reply ends where the RRs that fitted end */
	uint8_t tc[] = {0, 0, 0x83, 0, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0,
	                1, 0, 1,    0, 0, 0, 0, 0, 4, 1, 2, 3, 4};
	is_int(dns_msg_parse(&m, tc, sizeof tc, err, sizeof err), 0,
	       "TC reply short of its counts");
	is_int(m.nrr, 1, "TC reply holds the RR that fitted");
	dns_msg_free(&m);
	is_int(dns_msg_parse(&m, tc, sizeof tc - 1, err, sizeof err), -1,
	       "TC reply cut inside an RR");
	tc[2] = 0x81;
	is_int(dns_msg_parse(&m, tc, sizeof tc, err, sizeof err), -1,
	       "reply short of its counts without TC");
	/* trailing bytes after the last RR are ignored */
	uint8_t tail[] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3};
	is_int(dns_msg_parse(&m, tail, sizeof tail, err, sizeof err), 0, "bytes after the RRs");
	dns_msg_free(&m);
}

/* Our queries read by ourselves and by ldns. */
static void
test_query(void)
{
	uint8_t buf[600];
	char err[256] = "", qn[DNS_NAME_TEXT];
	struct dns_msg m;

	int n = dns_query_build(buf, sizeof buf, 0x4242, "www.Example.test", DNS_T_AAAA,
	                        DNS_QF_RD | DNS_QF_EDNS | DNS_QF_DO, 1232, err, sizeof err);
	ok(n > 0, "query built (%s)", err);
	is_int(dns_msg_parse(&m, buf, (size_t)n, err, sizeof err), 0, "query parses (%s)", err);
	dns_name_text(&m, m.qname, qn);
	is_str(qn, "www.Example.test.", "query name");
	ok(m.id == 0x4242 && m.rd && !m.cd && !m.qr && m.qdcount == 1 && m.nrr == 0 &&
	           m.qtype == DNS_T_AAAA && m.qclass == DNS_C_IN,
	   "query header and question");
	ok(m.edns && m.edns_size == 1232 && m.edns_do && m.rcode == 0, "query EDNS");
	dns_msg_free(&m);

	ldns_pkt *p = NULL;
	is_int(ldns_wire2pkt(&p, buf, (size_t)n), LDNS_STATUS_OK, "ldns reads the query");
	if (p != NULL) {
		char *s = ldns_rdf2str(ldns_rr_owner(ldns_rr_list_rr(ldns_pkt_question(p), 0)));
		is_str(s, "www.Example.test.", "ldns reads the name");
		ok(ldns_pkt_edns_udp_size(p) == 1232 && ldns_pkt_edns_do(p) && ldns_pkt_rd(p) &&
		           !ldns_pkt_cd(p) && ldns_pkt_get_opcode(p) == LDNS_PACKET_QUERY &&
		           ldns_rr_get_type(ldns_rr_list_rr(ldns_pkt_question(p), 0)) ==
		                   LDNS_RR_TYPE_AAAA,
		   "ldns reads the flags and EDNS");
		free(s);
		ldns_pkt_free(p);
	}

	n = dns_query_build(buf, sizeof buf, 7, ".", DNS_T_NS, DNS_QF_CD, 0, err, sizeof err);
	is_int(n, 17, "root query without EDNS is 17 bytes");
	is_int(dns_msg_parse(&m, buf, (size_t)n, err, sizeof err), 0, "root query parses");
	dns_name_text(&m, m.qname, qn);
	ok(strcmp(qn, ".") == 0 && m.cd && !m.rd && !m.edns && m.qtype == DNS_T_NS,
	   "root query: name %s, CD, no RD, no EDNS", qn);
	dns_msg_free(&m);
	n = dns_query_build(buf, sizeof buf, 7, "a.", 1, DNS_QF_EDNS, 4096, err, sizeof err);
	is_int(dns_msg_parse(&m, buf, (size_t)n, err, sizeof err), 0, "EDNS query parses");
	ok(m.edns && m.edns_size == 4096 && !m.edns_do, "EDNS without DO");
	dns_msg_free(&m);
}

/* Query names in presentation form and as they come back. */
static const struct {
	const char *name, *text; /* text NULL: refused */
} query_names[] = {
        {"a\\.b.test", "a\\.b.test."},
        {"\\065\\032b.", "A\\032b."},
        {"x\\\\y", "x\\\\y."},
        {"a..b", NULL},
        {"", NULL},
        {"..", NULL},
        {".a", NULL},
        {"a\\256", NULL},
        {"a\\25", NULL},
        {"a\\", NULL},
        {"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
         "aaaaaaaaaaaaaaaa"
         "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa."},
        {"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", NULL},
};

static void
test_query_names(void)
{
	uint8_t buf[600];
	char err[256], qn[DNS_NAME_TEXT];
	for (size_t i = 0; i < sizeof query_names / sizeof query_names[0]; i++) {
		struct dns_msg m;
		err[0] = '\0';
		int n = dns_query_build(buf, sizeof buf, 1, query_names[i].name, 1, 0, 0, err,
		                        sizeof err);
		if (query_names[i].text == NULL) {
			ok(n == -1 && strstr(err, "is not a valid domain name") != NULL,
			   "'%s' refused: %s", query_names[i].name, err);
			continue;
		}
		if (!ok(n > 0 && dns_msg_parse(&m, buf, (size_t)n, err, sizeof err) == 0,
		        "'%s' built", query_names[i].name))
			continue;
		dns_name_text(&m, m.qname, qn);
		is_str(qn, query_names[i].text, "'%s' on the wire", query_names[i].name);
		ok(dns_name_is(&m, m.qname, query_names[i].name), "'%s' is itself",
		   query_names[i].name);
		dns_msg_free(&m);
	}
	/* 127 labels of one octet: 255 octets; one more is too many */
	struct strbuf sb = STRBUF_INIT;
	for (int i = 0; i < 127; i++)
		sb_append(&sb, "x.");
	ok(dns_query_build(buf, sizeof buf, 1, sb_str(&sb), 1, 0, 0, err, sizeof err) ==
	           12 + 255 + 4,
	   "name of 255 octets");
	sb_append(&sb, "x");
	ok(dns_query_build(buf, sizeof buf, 1, sb_str(&sb), 1, 0, 0, err, sizeof err) == -1,
	   "name of 257 octets refused: %s", err);
	sb_free(&sb);
	ok(dns_query_build(buf, 20, 1, "example.test", 1, 0, 0, err, sizeof err) == -1,
	   "buffer too small: %s", err);
	ok(dns_query_build(buf, 33, 1, "example.test", 1, 0, 0, err, sizeof err) == 30,
	   "query in a buffer just large enough");
	ok(dns_query_build(buf, 40, 1, "example.test", 1, DNS_QF_EDNS, 1232, err, sizeof err) ==
	           -1,
	   "EDNS query in a buffer 1 byte short");
	ok(dns_query_build(buf, sizeof buf, 1, NULL, 1, 0, 0, err, sizeof err) == -1,
	   "no name");
}

static void
test_type_names(void)
{
	size_t differ = 0, unparsed = 0;
	char buf[16], first[64] = "";

	for (unsigned t = 0; t < 65536; t++) {
		char *l = ldns_rr_type2str((ldns_rr_type)t);
		const char *ours = dns_type_name((uint16_t)t, buf);
		if (l == NULL || strcmp(ours, l) != 0) {
			if (differ++ == 0)
				snprintf(first, sizeof first, "%u: %s vs %s", t, ours,
				         l ? l : "NULL");
		}
		if (dns_type_parse(ours) != (int)t)
			unparsed++;
		free(l);
	}
	ok(differ == 0, "type names as ldns gives them (%zu differ; %s)", differ, first);
	ok(unparsed == 0, "every type name parses back (%zu do not)", unparsed);
	is_int(dns_type_parse("mx"), 15, "mx");
	is_int(dns_type_parse("Type65280"), 65280, "Type65280");
	is_int(dns_type_parse("TYPE065535"), 65535, "TYPE065535");
	is_int(dns_type_parse("TYPE65536"), -1, "TYPE65536");
	is_int(dns_type_parse("TYPE"), -1, "TYPE");
	is_int(dns_type_parse("TYPE1x"), -1, "TYPE1x");
	is_int(dns_type_parse("TYPE99999999999999999999"), -1, "long TYPE");
	is_int(dns_type_parse("FOO"), -1, "FOO");
	is_int(dns_type_parse(""), -1, "empty");
	is_int(dns_type_parse(NULL), -1, "NULL");
}

/* Every truncation and many byte flips of the big message: no crash,
 * no read out of bounds (the sanitizer build sees to that), and what
 * parses prints. */
static void
test_mutations(void)
{
	ldns_pkt *p = ldns_pkt_new();
	uint8_t *wire = NULL, *w;
	size_t len = 0, parsed = 0;
	uint32_t seed = 12345;

	for (size_t i = 0; i < NZONE; i++) {
		ldns_rr *rr = NULL;
		if (ldns_rr_new_frm_str(&rr, zone[i], 0, NULL, NULL) == LDNS_STATUS_OK)
			ldns_pkt_push_rr(p, LDNS_SECTION_ANSWER, rr);
	}
	ldns_pkt2wire(&wire, p, &len);
	w = xmalloc(len);
	for (size_t cut = 0; cut < len; cut++) {
		struct dns_msg m;
		char err[128];
		if (dns_msg_parse(&m, wire, cut, err, sizeof err) == 0)
			parsed++;
		dns_msg_free(&m);
	}
	is_int(parsed, 0, "no truncation of the message parses");
	parsed = 0;
	for (int round = 0; round < 20000; round++) {
		memcpy(w, wire, len);
		for (int k = 0; k < 1 + round % 4; k++) {
			seed = seed * 1103515245u + 12345u;
			w[(seed >> 8) % len] = (uint8_t)(seed >> 24);
		}
		struct dns_msg m;
		char err[128];
		if (dns_msg_parse(&m, w, len, err, sizeof err) == 0) {
			parsed++;
			for (size_t i = 0; i < m.nrr; i++) {
				struct strbuf sb = STRBUF_INIT;
				char name[DNS_NAME_TEXT];
				dns_rr_text(&m, &m.rr[i], &sb);
				dns_name_text(&m, m.rr[i].owner, name);
				dns_rr_first_name(&m, &m.rr[i], name);
				sb_free(&sb);
			}
		}
		dns_msg_free(&m);
	}
	ok(parsed > 0 && parsed < 20000, "%zu of 20000 mutations parse", parsed);
	free(w);
	free(wire);
	ldns_pkt_free(p);
}

int
main(void)
{
	test_differential();
	test_canon_ldns();
	test_canon_own();
	test_canon_fixpoint();
	test_malformed_names();
	test_pointer_chain();
	test_malformed_data();
	test_malformed_rrs();
	test_query();
	test_query_names();
	test_type_names();
	test_mutations();
	return done_testing();
}

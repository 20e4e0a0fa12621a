/* DNS messages on the wire, with no library: queries built, replies
 * parsed and checked, names and RR data turned into presentation text and
 * back (RFC 1035 sections 3.1, 3.3, 4.1 and 5.1; RFC 3597 for types it
 * does not know).
 *
 * A plugin that links ldns also binds libssl and libcrypto at start-up,
 * which costs more than a whole lookup; so everything but DNSSEC
 * validation (dnssec.h, a module) is done here.
 *
 * The text forms are the ones zone files and dig print, byte for byte
 * as ldns printed them before: names absolute with the final dot, each
 * label octet outside [!-~] as "\DDD" and each of . ; ( ) \ as "\.",
 * case kept; RR data fields separated by one space. */
#ifndef GLANCE_DNSWIRE_H
#define GLANCE_DNSWIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "strbuf.h"

/* RR types by number (IANA "Resource Record (RR) TYPEs"). */
enum {
	DNS_T_A = 1,
	DNS_T_NS = 2,
	DNS_T_CNAME = 5,
	DNS_T_SOA = 6,
	DNS_T_PTR = 12,
	DNS_T_HINFO = 13,
	DNS_T_MX = 15,
	DNS_T_TXT = 16,
	DNS_T_AAAA = 28,
	DNS_T_SRV = 33,
	DNS_T_NAPTR = 35,
	DNS_T_DNAME = 39,
	DNS_T_OPT = 41,
	DNS_T_DS = 43,
	DNS_T_SSHFP = 44,
	DNS_T_RRSIG = 46,
	DNS_T_NSEC = 47,
	DNS_T_DNSKEY = 48,
	DNS_T_NSEC3 = 50,
	DNS_T_NSEC3PARAM = 51,
	DNS_T_TLSA = 52,
	DNS_T_CDS = 59,
	DNS_T_CDNSKEY = 60,
	DNS_T_SPF = 99,
	DNS_T_ANY = 255,
	DNS_T_CAA = 257,
};

enum { DNS_C_IN = 1 };

/* RCODEs (RFC 1035 4.1.1, RFC 6891 6.1.3 for the extended ones). */
enum {
	DNS_R_NOERROR = 0,
	DNS_R_FORMERR = 1,
	DNS_R_SERVFAIL = 2,
	DNS_R_NXDOMAIN = 3,
	DNS_R_NOTIMP = 4,
	DNS_R_REFUSED = 5,
};

/* A name in presentation form: 255 octets, each at most "\DDD", plus
 * the dots and the NUL. */
#define DNS_NAME_TEXT 1024
/* The largest message over TCP (a 16-bit length). */
#define DNS_MSG_MAX 65535

/* "A", "MX", "TYPE65280" (RFC 3597 section 5) for any number. */
const char *dns_type_name(uint16_t type, char buf[16]);

/* The number of "A", "mx", "TYPE65280" (case ignored); -1 if none. */
int dns_type_parse(const char *name);

enum dns_section { DNS_S_ANSWER, DNS_S_AUTHORITY, DNS_S_ADDITIONAL };

/* One RR of a parsed message. Offsets are into the message's wire, so
 * names inside the data may be compressed: read them with the functions
 * below, which take the message. */
struct dns_rr {
	enum dns_section section;
	uint16_t type, rclass;
	uint32_t ttl;
	size_t owner;  /* offset of the owner name */
	size_t rdata;  /* offset of the RR data */
	uint16_t rdlen;
};

/* A parsed message. It owns a copy of the wire. */
struct dns_msg {
	uint8_t *wire;
	size_t len;
	uint16_t id;
	bool qr, aa, tc, rd, ra, ad, cd;
	unsigned opcode;
	unsigned rcode;      /* with the OPT record's upper 8 bits, if any */
	bool edns;           /* an OPT record was there */
	uint16_t edns_size;  /* its UDP size */
	bool edns_do;
	unsigned qdcount;
	size_t qname;        /* offset of the first question's name (qdcount > 0) */
	uint16_t qtype, qclass;
	struct dns_rr *rr;   /* every RR of the three sections but OPT, in order */
	size_t nrr;
};

/* Parses len bytes of wire. Every name (pointers only to earlier
 * offsets, at most 255 octets) and, for the types of the enum above,
 * every field of every RR's data is checked here, so the accessors
 * below cannot meet a malformed one later. A truncated reply (TC) may
 * end before its counts say, at the end of an RR (RFC 2181 section 9):
 * it holds the RRs there are. -1 with a reason in err ("RR 3 (MX): data
 * runs past the end"); m is then empty. */
int dns_msg_parse(struct dns_msg *m, const uint8_t *wire, size_t len, char *err, size_t errlen);

/* Frees what dns_msg_parse() allocated; m is left empty. NULL-safe. */
void dns_msg_free(struct dns_msg *m);

/* A query. */
#define DNS_QF_RD 0x01    /* recursion desired */
#define DNS_QF_CD 0x02    /* checking disabled */
#define DNS_QF_EDNS 0x04  /* an OPT record with edns_size */
#define DNS_QF_DO 0x08    /* DNSSEC OK (with DNS_QF_EDNS) */

/* Writes a query for name (text; absolute whether or not it ends in a
 * dot), type, class IN into buf. Returns its length, or -1 with a
 * reason ("'a..b' is not a valid domain name: empty label") when the
 * name is not valid or buf is too small. */
int dns_query_build(uint8_t *buf, size_t cap, uint16_t id, const char *name, uint16_t type,
                    unsigned flags, uint16_t edns_size, char *err, size_t errlen);

/* The name at off in m, in presentation form. */
void dns_name_text(const struct dns_msg *m, size_t off, char out[DNS_NAME_TEXT]);

/* Whether the names at aoff in a and boff in b are the same name, ASCII
 * case ignored (RFC 4343). */
bool dns_name_equal(const struct dns_msg *a, size_t aoff, const struct dns_msg *b, size_t boff);

/* Whether the name at off in m is name (text, as dns_query_build()
 * takes it), case ignored; false when name is not valid. */
bool dns_name_is(const struct dns_msg *m, size_t off, const char *name);

/* The RR's data in presentation form, appended to sb: "192.0.2.2",
 * "10 mail.example.test.", "\"v=spf1 -all\"", "\# 3 010203" for a type
 * not in the enum above (and nothing when it has no data). As ldns has
 * always shown them, a type list (NSEC, NSEC3) ends in a space, and so
 * does an NSEC3 salt ("1 0 10 aabb  2t7b... A RRSIG "); an empty last
 * field (a CAA value, a DS digest) is left out with its space. */
void dns_rr_text(const struct dns_msg *m, const struct dns_rr *rr, struct strbuf *sb);

/* The first domain name in the RR's data, for the types whose data has
 * one (NS, CNAME, DNAME, PTR, MX, SRV, SOA, NAPTR's replacement, RRSIG's
 * signer, NSEC's next): false for the others. */
bool dns_rr_first_name(const struct dns_msg *m, const struct dns_rr *rr, char out[DNS_NAME_TEXT]);

/* RR data text of type in its canonical form, the one dns_rr_text()
 * prints ("2001:DB8:0::1" gives "2001:db8::1", "mail.example.test"
 * gives "mail.example.test."). For the types of the enum above but OPT
 * and ANY, and in RFC 3597's "\# LEN HEX" for any type. -1 with a
 * reason when text is not valid data of that type. */
int dns_rdata_canon(const char *text, uint16_t type, struct strbuf *out, char *err,
                    size_t errlen);

/* Big-endian reads from the wire, for the fixed fields of RR data. */
static inline uint16_t
dns_get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t
dns_get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

#endif

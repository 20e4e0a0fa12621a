#include "dnswire.h"

#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* The longest name on the wire, root octet included (RFC 1035 3.1). */
#define NAME_WIRE_MAX 255
/* A name has at most 127 labels besides the root, and a compressor needs
 * no more than one pointer per label; more is a loop or an attack. */
#define NAME_JUMPS_MAX 128
#define HEADER_LEN 12
/* An RR with a root owner and no data: name, type, class, TTL, length. */
#define RR_MIN_LEN 11

/* ---- type names ------------------------------------------------------ */

/* The mnemonics of the IANA registry that dig and ldns know, so a type
 * list printed here reads as it always did. */
static const struct {
	uint16_t type;
	const char *name;
} type_names[] = {
        {1, "A"},         {2, "NS"},          {3, "MD"},          {4, "MF"},
        {5, "CNAME"},     {6, "SOA"},         {7, "MB"},          {8, "MG"},
        {9, "MR"},        {10, "NULL"},       {11, "WKS"},        {12, "PTR"},
        {13, "HINFO"},    {14, "MINFO"},      {15, "MX"},         {16, "TXT"},
        {17, "RP"},       {18, "AFSDB"},      {19, "X25"},        {20, "ISDN"},
        {21, "RT"},       {22, "NSAP"},       {23, "NSAP-PTR"},   {24, "SIG"},
        {25, "KEY"},      {26, "PX"},         {27, "GPOS"},       {28, "AAAA"},
        {29, "LOC"},      {30, "NXT"},        {31, "EID"},        {32, "NIMLOC"},
        {33, "SRV"},      {34, "ATMA"},       {35, "NAPTR"},      {36, "KX"},
        {37, "CERT"},     {38, "A6"},         {39, "DNAME"},      {40, "SINK"},
        {41, "OPT"},      {42, "APL"},        {43, "DS"},         {44, "SSHFP"},
        {45, "IPSECKEY"}, {46, "RRSIG"},      {47, "NSEC"},       {48, "DNSKEY"},
        {49, "DHCID"},    {50, "NSEC3"},      {51, "NSEC3PARAM"}, {52, "TLSA"},
        {53, "SMIMEA"},   {55, "HIP"},        {58, "TALINK"},     {59, "CDS"},
        {60, "CDNSKEY"},  {61, "OPENPGPKEY"}, {62, "CSYNC"},      {63, "ZONEMD"},
        {64, "SVCB"},     {65, "HTTPS"},      {99, "SPF"},        {104, "NID"},
        {105, "L32"},     {106, "L64"},       {107, "LP"},        {108, "EUI48"},
        {109, "EUI64"},   {249, "TKEY"},      {250, "TSIG"},      {251, "IXFR"},
        {252, "AXFR"},    {253, "MAILB"},     {254, "MAILA"},     {255, "ANY"},
        {256, "URI"},     {257, "CAA"},       {32769, "DLV"},
};

const char *
dns_type_name(uint16_t type, char buf[16])
{
	for (size_t i = 0; i < sizeof type_names / sizeof type_names[0]; i++)
		if (type_names[i].type == type)
			return type_names[i].name;
	snprintf(buf, 16, "TYPE%u", (unsigned)type);
	return buf;
}

int
dns_type_parse(const char *name)
{
	if (name == NULL)
		return -1;
	for (size_t i = 0; i < sizeof type_names / sizeof type_names[0]; i++)
		if (strcasecmp(name, type_names[i].name) == 0)
			return type_names[i].type;
	if (strncasecmp(name, "TYPE", 4) != 0 || name[4] == '\0')
		return -1;
	/* RFC 3597 section 5: "TYPE" and the number in decimal. */
	long v = 0;
	for (const char *p = name + 4; *p; p++) {
		if (*p < '0' || *p > '9' || p - name > 10)
			return -1;
		v = v * 10 + (*p - '0');
	}
	return v <= 65535 ? (int)v : -1;
}

/* Inside RR data (RRSIG's type covered, NSEC bitmaps) the query-only
 * types 251 to 255 have no mnemonic in the form dig and ldns print. */
static const char *
rdata_type_name(uint16_t type, char buf[16])
{
	if (type >= 251 && type <= 255) {
		snprintf(buf, 16, "TYPE%u", (unsigned)type);
		return buf;
	}
	return dns_type_name(type, buf);
}

/* ---- names ----------------------------------------------------------- */

/* The name at off in w[0..len) unpacked to its plain wire form in out
 * (RFC 1035 4.1.4). The labels in place must end by limit; a pointer must
 * point before where the labels being read began, so every jump goes
 * back and the walk ends. *end is where the name ends in place. NULL, or
 * why it is malformed. */
static const char *
name_unpack(const uint8_t *w, size_t len, size_t off, size_t limit, bool ptr_ok,
            uint8_t out[NAME_WIRE_MAX], size_t *outlen, size_t *end)
{
	size_t pos = off, seg = off, o = 0, jumps = 0;

	*end = 0;
	for (;;) {
		if (pos >= limit)
			return "name runs past the end";
		uint8_t c = w[pos];
		if ((c & 0xc0) == 0xc0) {
			if (!ptr_ok)
				return "compressed name where none is allowed";
			if (pos + 1 >= limit)
				return "name runs past the end";
			size_t target = (size_t)(c & 0x3f) << 8 | w[pos + 1];
			if (*end == 0)
				*end = pos + 2;
			if (target >= seg)
				return "compression pointer does not point back";
			if (++jumps > NAME_JUMPS_MAX)
				return "too many compression pointers";
			pos = seg = target;
			limit = len;
			continue;
		}
		if (c & 0xc0)
			return "unknown label type";
		if (o + 1 + c > NAME_WIRE_MAX)
			return "name longer than 255 octets";
		if (pos + 1 + c > limit)
			return "name runs past the end";
		memcpy(out + o, w + pos, (size_t)c + 1);
		o += (size_t)c + 1;
		pos += (size_t)c + 1;
		if (c == 0)
			break;
	}
	if (*end == 0)
		*end = pos;
	*outlen = o;
	return NULL;
}

/* One label as RFC 1035 5.1 writes it: . ; ( ) and \ escaped with a
 * backslash, octets outside [!-~] as \DDD. */
static void
label_text(const uint8_t *p, size_t n, struct strbuf *sb)
{
	for (size_t i = 0; i < n; i++) {
		uint8_t c = p[i];
		if (c < 0x21 || c > 0x7e)
			sb_appendf(sb, "\\%03u", (unsigned)c);
		else if (strchr(".;()\\", c) != NULL)
			sb_appendf(sb, "\\%c", c);
		else
			sb_appendc(sb, (char)c);
	}
}

/* A plain wire name (as name_unpack() gives it) in presentation form. */
static void
name_wire_text(const uint8_t *n, struct strbuf *sb)
{
	if (n[0] == 0) {
		sb_appendc(sb, '.');
		return;
	}
	for (size_t i = 0; n[i] != 0; i += (size_t)n[i] + 1) {
		label_text(n + i + 1, n[i], sb);
		sb_appendc(sb, '.');
	}
}

/* The octet an escape at s[*i] (just after the backslash) stands for:
 * "\DDD" with three digits up to 255, or "\X" for X itself (RFC 1035
 * 5.1). NULL, or why it is not valid. */
static const char *
unescape(const char *s, size_t n, size_t *i, uint8_t *c)
{
	if (*i >= n)
		return "backslash at the end";
	if (s[*i] < '0' || s[*i] > '9') {
		*c = (uint8_t)s[(*i)++];
		return NULL;
	}
	unsigned v = 0;
	for (int k = 0; k < 3; k++, (*i)++) {
		if (*i >= n || s[*i] < '0' || s[*i] > '9')
			return "\\DDD escape without three digits";
		v = v * 10 + (unsigned)(s[*i] - '0');
	}
	if (v > 255)
		return "\\DDD escape above 255";
	*c = (uint8_t)v;
	return NULL;
}

/* The wire form of the name s[0..n) in presentation form, absolute with
 * or without the final dot ("." is the root). NULL, or why not. */
static const char *
name_from_text(const char *s, size_t n, uint8_t out[NAME_WIRE_MAX], size_t *outlen)
{
	size_t o = 1, lab = 0, i = 0;

	out[0] = 0;
	if (n == 1 && s[0] == '.') {
		*outlen = 1;
		return NULL;
	}
	if (n == 0)
		return "empty name";
	while (i < n) {
		uint8_t c = (uint8_t)s[i++];
		if (c == '.') {
			if (o == lab + 1)
				return "empty label";
			out[lab] = (uint8_t)(o - lab - 1);
			lab = o++;
			out[lab] = 0;
			if (o > NAME_WIRE_MAX)
				return "name longer than 255 octets";
			continue;
		}
		if (c == '\\') {
			const char *why = unescape(s, n, &i, &c);
			if (why != NULL)
				return why;
		}
		if (o - lab - 1 == 63)
			return "label longer than 63 octets";
		if (o + 1 >= NAME_WIRE_MAX)
			return "name longer than 255 octets";
		out[o++] = c;
	}
	if (o > lab + 1) {
		out[lab] = (uint8_t)(o - lab - 1);
		out[o++] = 0;
	}
	*outlen = o;
	return NULL;
}

/* Name octets compared with ASCII case folded (RFC 4343); length octets
 * are below 64 and so never letters. */
static bool
wire_names_equal(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen)
{
	if (alen != blen)
		return false;
	for (size_t i = 0; i < alen; i++) {
		uint8_t x = a[i], y = b[i];
		if (x >= 'A' && x <= 'Z')
			x = (uint8_t)(x + 32);
		if (y >= 'A' && y <= 'Z')
			y = (uint8_t)(y + 32);
		if (x != y)
			return false;
	}
	return true;
}

/* The name at off in m, unpacked; false if there is none. */
static bool
msg_name(const struct dns_msg *m, size_t off, uint8_t out[NAME_WIRE_MAX], size_t *outlen)
{
	size_t end;
	if (m == NULL || m->wire == NULL || off >= m->len)
		return false;
	return name_unpack(m->wire, m->len, off, m->len, true, out, outlen, &end) == NULL;
}

void
dns_name_text(const struct dns_msg *m, size_t off, char out[DNS_NAME_TEXT])
{
	uint8_t n[NAME_WIRE_MAX];
	size_t nlen;
	struct strbuf sb = STRBUF_INIT;

	if (msg_name(m, off, n, &nlen))
		name_wire_text(n, &sb);
	else
		sb_append(&sb, "?");
	snprintf(out, DNS_NAME_TEXT, "%s", sb_str(&sb));
	sb_free(&sb);
}

bool
dns_name_equal(const struct dns_msg *a, size_t aoff, const struct dns_msg *b, size_t boff)
{
	uint8_t x[NAME_WIRE_MAX], y[NAME_WIRE_MAX];
	size_t xlen, ylen;

	return msg_name(a, aoff, x, &xlen) && msg_name(b, boff, y, &ylen) &&
	       wire_names_equal(x, xlen, y, ylen);
}

bool
dns_name_is(const struct dns_msg *m, size_t off, const char *name)
{
	uint8_t x[NAME_WIRE_MAX], y[NAME_WIRE_MAX];
	size_t xlen, ylen;

	return name != NULL && name_from_text(name, strlen(name), y, &ylen) == NULL &&
	       msg_name(m, off, x, &xlen) && wire_names_equal(x, xlen, y, ylen);
}

/* ---- RR data layouts ------------------------------------------------- */

/* Each type's data, one character a field:
 *   1 2 4  an unsigned number of that many octets
 *   a      a DNSSEC algorithm (1 octet; text may give its mnemonic)
 *   p      a period in seconds (4 octets; text may say "1h30m")
 *   T      a time (4 octets, YYYYMMDDHHMMSS; RFC 4034 3.2)
 *   t      an RR type (2 octets)
 *   I 6    an IPv4, IPv6 address
 *   n      a domain name that may be compressed (RFC 3597 section 4: the
 *          RFC 1035 types, and SRV and NAPTR from servers of old)
 *   N      a domain name that must not be (RFC 4034 3.1.7, 4.1.1)
 *   s      a character-string (RFC 1035 3.3)
 *   S      one or more character-strings, to the end (RFC 1035 3.3.14)
 *   x b    the rest, in hex or base64; may be empty
 *   m      the rest, a type bitmap (RFC 4034 4.1.2); may be empty
 *   h      NSEC3 salt: length octet and octets, hex or "-" (RFC 5155 3.3)
 *   H      NSEC3 next hash: length octet (not 0) and octets, base32hex
 *   g      CAA tag: length octet, 1 or more letters and digits (RFC 8659 4.1)
 *   v      CAA value: the rest, shown as one quoted string */
static const struct {
	uint16_t type;
	const char *fields;
} rdata_layouts[] = {
        {DNS_T_A, "I"},
        {DNS_T_NS, "n"},
        {DNS_T_CNAME, "n"},
        {DNS_T_SOA, "nn4pppp"},
        {DNS_T_PTR, "n"},
        {DNS_T_HINFO, "ss"},
        {DNS_T_MX, "2n"},
        {DNS_T_TXT, "S"},
        {DNS_T_AAAA, "6"},
        {DNS_T_SRV, "222n"},
        {DNS_T_NAPTR, "22sssn"},
        {DNS_T_DNAME, "N"},
        {DNS_T_DS, "2a1x"},
        {DNS_T_SSHFP, "11x"},
        {DNS_T_RRSIG, "ta14TT2Nb"},
        {DNS_T_NSEC, "Nm"},
        {DNS_T_DNSKEY, "21ab"},
        {DNS_T_NSEC3, "112hHm"},
        {DNS_T_NSEC3PARAM, "112h"},
        {DNS_T_TLSA, "111x"},
        {DNS_T_CDS, "2a1x"},
        {DNS_T_CDNSKEY, "21ab"},
        {DNS_T_SPF, "S"},
        {DNS_T_CAA, "1gv"},
};

static const char *
rdata_layout(uint16_t type)
{
	for (size_t i = 0; i < sizeof rdata_layouts / sizeof rdata_layouts[0]; i++)
		if (rdata_layouts[i].type == type)
			return rdata_layouts[i].fields;
	return NULL;
}

/* Where RR data lives: the whole buffer (a message, for pointers) and
 * whether its names may be compressed at all. */
struct rdctx {
	const uint8_t *w;
	size_t len;
	bool ptr_ok;
};

/* The fields that take the rest of the data, and may take none of it. */
static bool
field_is_rest(char f)
{
	return f == 'x' || f == 'b' || f == 'm' || f == 'v';
}

static size_t
field_fixed_len(char f)
{
	switch (f) {
	case '1':
	case 'a': return 1;
	case '2':
	case 't': return 2;
	case '4':
	case 'p':
	case 'T':
	case 'I': return 4;
	case '6': return 16;
	default: return 0;
	}
}

/* RFC 4034 4.1.2: window blocks in ascending order, each 1 to 32 octets,
 * none without a type. */
static const char *
bitmap_scan(const uint8_t *w, size_t pos, size_t end)
{
	int prev = -1;

	while (pos < end) {
		if (end - pos < 2)
			return "type bitmap runs past the end";
		if ((int)w[pos] <= prev)
			return "type bitmap windows out of order";
		prev = w[pos];
		size_t n = w[pos + 1];
		if (n < 1 || n > 32)
			return "type bitmap window length not 1 to 32";
		if (end - pos - 2 < n)
			return "type bitmap runs past the end";
		size_t i = 0;
		while (i < n && w[pos + 2 + i] == 0)
			i++;
		if (i == n)
			return "type bitmap window without a type";
		pos += 2 + n;
	}
	return NULL;
}

/* A length octet and that many octets, before end. */
static const char *
counted_scan(const uint8_t *w, size_t pos, size_t end, size_t *next)
{
	if (pos >= end || end - pos - 1 < w[pos])
		return "string runs past the end";
	*next = pos + 1 + w[pos];
	return NULL;
}

/* RFC 8659 4.1: a tag is 1 or more ASCII letters and digits. */
static const char *
tag_scan(const uint8_t *w, size_t pos, size_t end, size_t *next)
{
	const char *why = counted_scan(w, pos, end, next);
	if (why != NULL)
		return why;
	if (w[pos] == 0)
		return "empty CAA tag";
	for (size_t i = pos + 1; i < *next; i++) {
		uint8_t c = w[i];
		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
		      (c >= 'A' && c <= 'Z')))
			return "CAA tag not only letters and digits";
	}
	return NULL;
}

/* Where the field f at pos ends (by end), or why it is malformed. */
static const char *
field_scan(const struct rdctx *c, char f, size_t pos, size_t end, size_t *next)
{
	uint8_t n[NAME_WIRE_MAX];
	size_t nlen;
	const char *why;

	if (field_fixed_len(f) > 0) {
		if (end - pos < field_fixed_len(f))
			return "data ends early";
		*next = pos + field_fixed_len(f);
		return NULL;
	}
	switch (f) {
	case 'n':
	case 'N':
		return name_unpack(c->w, c->len, pos, end, c->ptr_ok && f == 'n', n, &nlen,
		                   next);
	case 's':
	case 'h': return counted_scan(c->w, pos, end, next);
	case 'H':
		/* RFC 5155 3.1.6: a hash of 1 to 255 octets */
		if (pos < end && c->w[pos] == 0)
			return "empty NSEC3 next hash";
		return counted_scan(c->w, pos, end, next);
	case 'g': return tag_scan(c->w, pos, end, next);
	case 'S':
		if (pos >= end)
			return "no character-string";
		for (*next = pos; *next < end;)
			if ((why = counted_scan(c->w, *next, end, next)) != NULL)
				return why;
		return NULL;
	case 'm': *next = end; return bitmap_scan(c->w, pos, end);
	default: *next = end; return NULL;
	}
}

/* Checks that the fields fill the data exactly. */
static const char *
rdata_check(const struct rdctx *c, const char *fields, size_t pos, size_t end)
{
	for (const char *f = fields; *f; f++) {
		const char *why = field_scan(c, *f, pos, end, &pos);
		if (why != NULL)
			return why;
	}
	return pos == end ? NULL : "data longer than its fields";
}

/* ---- RR data as text ------------------------------------------------- */

static const char b64_digits[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
static const char b32_digits[] = "0123456789abcdefghijklmnopqrstuv";

static void
hex_text(const uint8_t *p, size_t n, struct strbuf *sb)
{
	for (size_t i = 0; i < n; i++)
		sb_appendf(sb, "%02x", (unsigned)p[i]);
}

/* RFC 4648 section 4, padded. */
static void
b64_text(const uint8_t *p, size_t n, struct strbuf *sb)
{
	for (size_t i = 0; i < n; i += 3) {
		uint32_t v = (uint32_t)p[i] << 16;
		if (i + 1 < n)
			v |= (uint32_t)p[i + 1] << 8;
		if (i + 2 < n)
			v |= p[i + 2];
		sb_appendc(sb, b64_digits[v >> 18 & 63]);
		sb_appendc(sb, b64_digits[v >> 12 & 63]);
		sb_appendc(sb, i + 1 < n ? b64_digits[v >> 6 & 63] : '=');
		sb_appendc(sb, i + 2 < n ? b64_digits[v & 63] : '=');
	}
}

/* RFC 4648 section 7 in lower case (RFC 5155 3.3), padded with '=' to
 * eight digits as ldns has always shown hashes of odd sizes. */
static void
b32hex_text(const uint8_t *p, size_t n, struct strbuf *sb)
{
	uint32_t acc = 0;
	unsigned bits = 0;
	size_t digits = 0;

	for (size_t i = 0; i < n; i++) {
		acc = (acc << 8 | p[i]) & 0x1fff;
		for (bits += 8; bits >= 5; bits -= 5, digits++)
			sb_appendc(sb, b32_digits[acc >> (bits - 5) & 31]);
	}
	if (bits > 0) {
		sb_appendc(sb, b32_digits[acc << (5 - bits) & 31]);
		digits++;
	}
	for (; digits % 8 != 0; digits++)
		sb_appendc(sb, '=');
}

/* A character-string in quotes (RFC 1035 5.1): " and \ escaped, tab and
 * printable ASCII as they are, other octets \DDD. */
static void
quoted_text(const uint8_t *p, size_t n, struct strbuf *sb)
{
	sb_appendc(sb, '"');
	for (size_t i = 0; i < n; i++) {
		uint8_t c = p[i];
		if (c == '"' || c == '\\')
			sb_appendf(sb, "\\%c", c);
		else if ((c >= 0x20 && c < 0x7f) || c == '\t')
			sb_appendc(sb, (char)c);
		else
			sb_appendf(sb, "\\%03u", (unsigned)c);
	}
	sb_appendc(sb, '"');
}

/* RFC 4034 3.2: the time nearest to now with these 32 bits (serial
 * arithmetic, RFC 1982), as YYYYMMDDHHMMSS in UTC. */
static void
time_text(uint32_t v, struct strbuf *sb)
{
	time_t now = time(NULL);
	int32_t delta = (int32_t)(v - (uint32_t)now);
	time_t t = now + delta;
	struct tm tm;
	char buf[32];

	if (gmtime_r(&t, &tm) == NULL || strftime(buf, sizeof buf, "%Y%m%d%H%M%S", &tm) == 0)
		sb_appendf(sb, "%u", (unsigned)v);
	else
		sb_append(sb, buf);
}

/* Each type in the bitmap, each name followed by a space as dig and ldns
 * have always printed it. */
static void
bitmap_text(const uint8_t *w, size_t pos, size_t end, struct strbuf *sb)
{
	char buf[16];

	while (pos + 2 <= end) {
		unsigned win = w[pos], n = w[pos + 1];
		for (unsigned i = 0; i < n * 8 && pos + 2 + i / 8 < end; i++)
			if (w[pos + 2 + i / 8] & (0x80 >> (i % 8))) {
				sb_append(sb, rdata_type_name((uint16_t)(win * 256 + i), buf));
				sb_appendc(sb, ' ');
			}
		pos += 2 + n;
	}
}

/* The numeric and address fields. */
static void
fixed_text(char f, const uint8_t *p, struct strbuf *sb)
{
	char buf[INET6_ADDRSTRLEN];

	switch (f) {
	case '1':
	case 'a': sb_appendf(sb, "%u", (unsigned)p[0]); break;
	case '2': sb_appendf(sb, "%u", (unsigned)dns_get16(p)); break;
	case '4':
	case 'p': sb_appendf(sb, "%u", (unsigned)dns_get32(p)); break;
	case 'T': time_text(dns_get32(p), sb); break;
	case 't': sb_append(sb, rdata_type_name(dns_get16(p), buf)); break;
	case 'I':
	case '6':
		if (inet_ntop(f == 'I' ? AF_INET : AF_INET6, p, buf, sizeof buf) != NULL)
			sb_append(sb, buf);
		break;
	default: break;
	}
}

/* The field f at w[pos..next), already checked by field_scan(). */
static void
field_text(const struct rdctx *c, char f, size_t pos, size_t next, struct strbuf *sb)
{
	const uint8_t *p = c->w + pos;
	uint8_t n[NAME_WIRE_MAX];
	size_t nlen, end;

	switch (f) {
	case 'n':
	case 'N':
		if (name_unpack(c->w, c->len, pos, next, c->ptr_ok && f == 'n', n, &nlen,
		                &end) == NULL)
			name_wire_text(n, sb);
		break;
	case 's': quoted_text(p + 1, p[0], sb); break;
	case 'S':
		for (size_t i = pos; i < next; i += (size_t)c->w[i] + 1) {
			if (i > pos)
				sb_appendc(sb, ' ');
			quoted_text(c->w + i + 1, c->w[i], sb);
		}
		break;
	case 'x': hex_text(p, next - pos, sb); break;
	case 'b': b64_text(p, next - pos, sb); break;
	case 'm': bitmap_text(c->w, pos, next, sb); break;
	case 'h':
		/* ldns ends the salt with a space of its own. */
		if (p[0] == 0)
			sb_append(sb, "- ");
		else {
			hex_text(p + 1, p[0], sb);
			sb_appendc(sb, ' ');
		}
		break;
	case 'H': b32hex_text(p + 1, p[0], sb); break;
	case 'g': sb_appendn(sb, (const char *)p + 1, p[0]); break;
	case 'v': quoted_text(p, next - pos, sb); break;
	default: fixed_text(f, p, sb); break;
	}
}

/* RFC 3597 section 5, in lower case; no data at all is no text, as ldns
 * shows it. */
static void
generic_text(const uint8_t *p, size_t n, struct strbuf *sb)
{
	if (n == 0)
		return;
	sb_appendf(sb, "\\# %zu ", n);
	hex_text(p, n, sb);
}

/* The data at w[pos..end) in presentation form: its fields separated by
 * one space, an empty last field left out; RFC 3597's form when the type
 * is unknown or the data does not fit its layout. */
static void
rdata_text(const struct rdctx *c, uint16_t type, size_t pos, size_t end, struct strbuf *sb)
{
	const char *fields = rdata_layout(type);

	if (fields == NULL || rdata_check(c, fields, pos, end) != NULL) {
		generic_text(c->w + pos, end - pos, sb);
		return;
	}
	for (const char *f = fields; *f; f++) {
		size_t next;
		if (field_scan(c, *f, pos, end, &next) != NULL)
			return;
		if (field_is_rest(*f) && next == pos)
			break;
		if (f != fields)
			sb_appendc(sb, ' ');
		field_text(c, *f, pos, next, sb);
		pos = next;
	}
}

void
dns_rr_text(const struct dns_msg *m, const struct dns_rr *rr, struct strbuf *sb)
{
	if (m == NULL || m->wire == NULL || rr->rdata > m->len ||
	    m->len - rr->rdata < rr->rdlen)
		return;
	struct rdctx c = {m->wire, m->len, true};
	rdata_text(&c, rr->type, rr->rdata, rr->rdata + rr->rdlen, sb);
}

bool
dns_rr_first_name(const struct dns_msg *m, const struct dns_rr *rr, char out[DNS_NAME_TEXT])
{
	const char *fields = rdata_layout(rr->type);
	size_t pos = rr->rdata, end = rr->rdata + rr->rdlen;

	if (fields == NULL || m == NULL || m->wire == NULL || rr->rdata > m->len ||
	    m->len - rr->rdata < rr->rdlen)
		return false;
	struct rdctx c = {m->wire, m->len, true};
	for (const char *f = fields; *f; f++) {
		if (*f == 'n' || *f == 'N') {
			dns_name_text(m, pos, out);
			return true;
		}
		if (field_scan(&c, *f, pos, end, &pos) != NULL)
			return false;
	}
	return false;
}

/* ---- messages -------------------------------------------------------- */

/* Fills err, when there is one, and gives -1. */
__attribute__((format(printf, 3, 4))) static int
parse_fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	if (err != NULL && errlen > 0) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* The questions (RFC 1035 4.1.2): the first one kept, all checked. */
static int
parse_questions(struct dns_msg *m, size_t *pos, char *err, size_t errlen)
{
	uint8_t n[NAME_WIRE_MAX];
	size_t nlen;

	for (unsigned i = 0; i < m->qdcount; i++) {
		size_t start = *pos;
		const char *why =
		        name_unpack(m->wire, m->len, *pos, m->len, true, n, &nlen, pos);
		if (why == NULL && m->len - *pos < 4)
			why = "question runs past the end";
		if (why != NULL)
			return parse_fail(err, errlen, "question %u: %s", i + 1, why);
		if (i == 0) {
			m->qname = start;
			m->qtype = dns_get16(m->wire + *pos);
			m->qclass = dns_get16(m->wire + *pos + 2);
		}
		*pos += 4;
	}
	return 0;
}

/* RFC 6891 6.1: one OPT, in the additional section, owned by the root;
 * its class is the UDP size, its TTL the upper rcode bits, the version
 * and the flags; its data options that fill it exactly. */
static const char *
parse_opt(struct dns_msg *m, const struct dns_rr *rr, size_t ownerlen)
{
	if (rr->section != DNS_S_ADDITIONAL)
		return "OPT record outside the additional section";
	if (m->edns)
		return "more than one OPT record";
	if (ownerlen != 1)
		return "OPT record not owned by the root";
	size_t pos = rr->rdata, end = rr->rdata + rr->rdlen;
	while (pos < end) {
		if (end - pos < 4 || end - pos - 4 < dns_get16(m->wire + pos + 2))
			return "OPT option runs past the end";
		pos += 4 + (size_t)dns_get16(m->wire + pos + 2);
	}
	m->edns = true;
	m->edns_size = rr->rclass;
	m->edns_do = (rr->ttl & 0x8000) != 0;
	m->rcode |= (rr->ttl >> 24) << 4;
	return NULL;
}

/* One RR at *pos (RFC 1035 4.1.3); kept in m->rr unless it is the OPT.
 * *type is its type once that is known, for the caller's message. */
static const char *
parse_rr(struct dns_msg *m, size_t *pos, enum dns_section sec, int *type)
{
	uint8_t n[NAME_WIRE_MAX];
	size_t nlen;
	struct dns_rr rr = {.section = sec, .owner = *pos};

	const char *why = name_unpack(m->wire, m->len, *pos, m->len, true, n, &nlen, pos);
	if (why != NULL)
		return why;
	if (m->len - *pos < 10)
		return "RR runs past the end";
	const uint8_t *p = m->wire + *pos;
	rr.type = dns_get16(p);
	rr.rclass = dns_get16(p + 2);
	rr.ttl = dns_get32(p + 4);
	rr.rdlen = dns_get16(p + 8);
	rr.rdata = *pos + 10;
	*type = rr.type;
	if (m->len - rr.rdata < rr.rdlen)
		return "data runs past the end";
	*pos = rr.rdata + rr.rdlen;
	if (rr.type == DNS_T_OPT)
		return parse_opt(m, &rr, nlen);
	const char *fields = rdata_layout(rr.type);
	struct rdctx c = {m->wire, m->len, true};
	if (fields != NULL && (why = rdata_check(&c, fields, rr.rdata, *pos)) != NULL)
		return why;
	m->rr[m->nrr++] = rr;
	return NULL;
}

/* The three RR sections; bytes after them are ignored, as every
 * resolver does. A truncated reply may end before its counts say, at the
 * end of an RR (RFC 2181 section 9): it holds the RRs that fitted. */
static int
parse_sections(struct dns_msg *m, size_t pos, char *err, size_t errlen)
{
	const uint8_t *h = m->wire;
	unsigned count[3] = {dns_get16(h + 6), dns_get16(h + 8), dns_get16(h + 10)};
	size_t total = (size_t)count[0] + count[1] + count[2], k = 0;
	size_t fit = (m->len - pos) / RR_MIN_LEN;
	char tbuf[16];

	if (total > fit && !m->tc)
		return parse_fail(err, errlen, "%zu RRs cannot fit in %zu bytes", total,
		                  m->len - pos);
	m->rr = xcalloc(total < fit ? total : fit, sizeof *m->rr);
	for (int s = 0; s < 3; s++)
		for (unsigned i = 0; i < count[s]; i++) {
			int type = -1;
			if (m->tc && pos == m->len)
				return 0;
			const char *why =
			        k < fit ? parse_rr(m, &pos, (enum dns_section)s, &type)
			                : "RR runs past the end";
			k++;
			if (why == NULL)
				continue;
			if (type < 0)
				return parse_fail(err, errlen, "RR %zu: %s", k, why);
			return parse_fail(err, errlen, "RR %zu (%s): %s", k,
			                  dns_type_name((uint16_t)type, tbuf), why);
		}
	return 0;
}

int
dns_msg_parse(struct dns_msg *m, const uint8_t *wire, size_t len, char *err, size_t errlen)
{
	memset(m, 0, sizeof *m);
	if (wire == NULL || len < HEADER_LEN)
		return parse_fail(err, errlen, "truncated header (%zu bytes)", wire ? len : 0);
	if (len > DNS_MSG_MAX)
		return parse_fail(err, errlen, "longer than %d bytes", DNS_MSG_MAX);
	m->wire = xmalloc(len);
	memcpy(m->wire, wire, len);
	m->len = len;
	/* RFC 1035 4.1.1; AD and CD from RFC 4035 3.2 */
	m->id = dns_get16(wire);
	m->qr = wire[2] & 0x80;
	m->opcode = wire[2] >> 3 & 0x0f;
	m->aa = wire[2] & 0x04;
	m->tc = wire[2] & 0x02;
	m->rd = wire[2] & 0x01;
	m->ra = wire[3] & 0x80;
	m->ad = wire[3] & 0x20;
	m->cd = wire[3] & 0x10;
	m->rcode = wire[3] & 0x0f;
	m->qdcount = dns_get16(wire + 4);
	size_t pos = HEADER_LEN;
	if (parse_questions(m, &pos, err, errlen) != 0 ||
	    parse_sections(m, pos, err, errlen) != 0) {
		dns_msg_free(m);
		return -1;
	}
	return 0;
}

void
dns_msg_free(struct dns_msg *m)
{
	if (m == NULL)
		return;
	free(m->wire);
	free(m->rr);
	memset(m, 0, sizeof *m);
}

static void
put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

int
dns_query_build(uint8_t *buf, size_t cap, uint16_t id, const char *name, uint16_t type,
                unsigned flags, uint16_t edns_size, char *err, size_t errlen)
{
	uint8_t qn[NAME_WIRE_MAX];
	size_t qlen;
	bool edns = flags & DNS_QF_EDNS;

	const char *why = name ? name_from_text(name, strlen(name), qn, &qlen) : "no name";
	if (why != NULL)
		return parse_fail(err, errlen, "'%s' is not a valid domain name: %s",
		                  name ? name : "", why);
	size_t len = HEADER_LEN + qlen + 4 + (edns ? RR_MIN_LEN : 0);
	if (buf == NULL || cap < len)
		return parse_fail(err, errlen, "query of %zu bytes does not fit in %zu", len,
		                  cap);
	/* RFC 1035 4.1.1: RD in the third octet, CD (RFC 4035 3.2.2) in
	 * the fourth. */
	memset(buf, 0, len);
	put16(buf, id);
	buf[2] = flags & DNS_QF_RD ? 0x01 : 0;
	buf[3] = flags & DNS_QF_CD ? 0x10 : 0;
	put16(buf + 4, 1);
	put16(buf + 10, edns ? 1 : 0);
	memcpy(buf + HEADER_LEN, qn, qlen);
	uint8_t *p = buf + HEADER_LEN + qlen;
	put16(p, type);
	put16(p + 2, DNS_C_IN);
	if (edns) {
		/* RFC 6891 6.1.2: root owner, OPT, the UDP size as class, DO
		 * as the TTL's top flag bit (RFC 3225), no options. */
		put16(p + 5, DNS_T_OPT);
		put16(p + 7, edns_size);
		put16(p + 11, flags & DNS_QF_DO ? 0x8000 : 0);
	}
	return (int)len;
}

/* ---- RR data from text ----------------------------------------------- */

/* One token of zone-file text (RFC 1035 5.1): a quoted string (without
 * its quotes) or a run of other characters; escapes still in it. */
struct tok {
	const char *s;
	size_t n;
	bool quoted;
};

struct toks {
	struct tok *v;
	size_t n, i;
};

/* RR data bytes as they are built, at most what rdlen can say. */
struct wbuf {
	uint8_t *b;
	size_t len, cap;
	bool over;
};

static void
wb_put(struct wbuf *wb, const void *p, size_t n)
{
	if (wb->over || n > DNS_MSG_MAX - wb->len) {
		wb->over = true;
		return;
	}
	if (wb->len + n > wb->cap) {
		wb->cap = wb->len + n + 64;
		wb->b = xrealloc(wb->b, wb->cap);
	}
	memcpy(wb->b + wb->len, p, n);
	wb->len += n;
}

static void
wb_byte(struct wbuf *wb, unsigned v)
{
	uint8_t c = (uint8_t)v;
	wb_put(wb, &c, 1);
}

/* Splits text into tokens: blanks separate them, parentheses only group
 * lines and ';' starts a comment, outside quotes (RFC 1035 5.1: they are
 * special there unless escaped). */
static const char *
lex(const char *s, struct toks *t)
{
	size_t cap = 0;

	for (;;) {
		while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' || *s == '(' ||
		       *s == ')')
			s++;
		if (*s == '\0' || *s == ';')
			return NULL;
		struct tok k = {s, 0, *s == '"'};
		const char *p = s + k.quoted;
		while (*p && (k.quoted ? *p != '"' : strchr(" \t\n\r();", *p) == NULL))
			p += p[0] == '\\' && p[1] ? 2 : 1;
		if (k.quoted && *p != '"')
			return "quote without its end";
		k.s = s + k.quoted;
		k.n = (size_t)(p - k.s);
		s = p + k.quoted;
		if (t->n == cap) {
			cap = cap ? cap * 2 : 16;
			t->v = xrealloc(t->v, cap * sizeof *t->v);
		}
		t->v[t->n++] = k;
	}
}

static const struct tok *
tok_next(struct toks *t)
{
	return t->i < t->n ? &t->v[t->i++] : NULL;
}

/* The token as a C string in buf, for the parsers that need one. */
static bool
tok_cstr(const struct tok *k, char *buf, size_t cap)
{
	if (k->quoted || k->n >= cap)
		return false;
	memcpy(buf, k->s, k->n);
	buf[k->n] = '\0';
	return true;
}

/* Plain decimal digits up to max. */
static const char *
tok_uint(const struct tok *k, uint32_t max, uint32_t *v)
{
	uint64_t x = 0;

	if (k->quoted || k->n == 0)
		return "not a number";
	for (size_t i = 0; i < k->n; i++) {
		if (k->s[i] < '0' || k->s[i] > '9')
			return "not a number";
		x = x * 10 + (uint64_t)(k->s[i] - '0');
		if (x > max)
			return "number out of range";
	}
	*v = (uint32_t)x;
	return NULL;
}

/* A TTL-style period: a number of seconds, or numbers each followed by
 * s, m, h, d or w ("1h30m"), as BIND's zone files allow. */
static const char *
tok_period(const struct tok *k, uint32_t *v)
{
	uint64_t sum = 0, x = 0;
	bool digits = false;

	if (k->quoted || k->n == 0)
		return "not a period";
	static const char units[] = "smhdw";
	static const uint32_t secs[] = {1, 60, 3600, 86400, 604800};

	for (size_t i = 0; i < k->n; i++) {
		const char *u = strchr(units, k->s[i] | 0x20);
		if (k->s[i] >= '0' && k->s[i] <= '9') {
			x = x * 10 + (uint64_t)(k->s[i] - '0');
			digits = true;
		} else if (u != NULL && *u && digits) {
			sum += x * secs[u - units];
			x = 0;
			digits = false;
		} else
			return "not a period";
		if (x > UINT32_MAX || sum > UINT32_MAX)
			return "period out of range";
	}
	sum += x;
	if (sum > UINT32_MAX)
		return "period out of range";
	*v = (uint32_t)sum;
	return NULL;
}

/* The decimal number of n digits at s. */
static int
digits_value(const char *s, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

/* RFC 4034 3.2: YYYYMMDDHHMMSS in UTC, or the seconds themselves; any
 * other date wraps, as the field is seconds modulo 2^32 (dates before
 * 1970 are what serial arithmetic prints for old values). */
static const char *
tok_time(const struct tok *k, uint32_t *v)
{
	struct tm tm, back;

	if (k->n != 14)
		return tok_uint(k, UINT32_MAX, v) ? "not a time" : NULL;
	if (k->quoted || strspn(k->s, "0123456789") < 14)
		return "not a time";
	memset(&tm, 0, sizeof tm);
	tm.tm_year = digits_value(k->s, 4) - 1900;
	tm.tm_mon = digits_value(k->s + 4, 2) - 1;
	tm.tm_mday = digits_value(k->s + 6, 2);
	tm.tm_hour = digits_value(k->s + 8, 2);
	tm.tm_min = digits_value(k->s + 10, 2);
	tm.tm_sec = digits_value(k->s + 12, 2);
	back = tm;
	time_t t = timegm(&tm);
	/* timegm() moves 30 February to March: such a date is no date. */
	if (tm.tm_mday != back.tm_mday || tm.tm_mon != back.tm_mon ||
	    tm.tm_hour != back.tm_hour || tm.tm_min != back.tm_min || tm.tm_sec != back.tm_sec)
		return "not a valid date and time";
	*v = (uint32_t)((uint64_t)t & UINT32_MAX);
	return NULL;
}

/* RFC 4034 A.1 and its successors: the mnemonics zone files may give
 * instead of the algorithm number. */
static const struct {
	uint8_t alg;
	const char *name;
} algorithms[] = {
        {1, "RSAMD5"},
        {2, "DH"},
        {3, "DSA"},
        {4, "ECC"},
        {5, "RSASHA1"},
        {6, "DSA-NSEC3-SHA1"},
        {7, "RSASHA1-NSEC3-SHA1"},
        {8, "RSASHA256"},
        {10, "RSASHA512"},
        {12, "ECC-GOST"},
        {13, "ECDSAP256SHA256"},
        {14, "ECDSAP384SHA384"},
        {15, "ED25519"},
        {16, "ED448"},
        {252, "INDIRECT"},
        {253, "PRIVATEDNS"},
        {254, "PRIVATEOID"},
};

static const char *
tok_alg(const struct tok *k, uint32_t *v)
{
	char buf[32];

	if (tok_cstr(k, buf, sizeof buf))
		for (size_t i = 0; i < sizeof algorithms / sizeof algorithms[0]; i++)
			if (strcasecmp(buf, algorithms[i].name) == 0) {
				*v = algorithms[i].alg;
				return NULL;
			}
	return tok_uint(k, 255, v) ? "not an algorithm" : NULL;
}

/* The octets of a character-string, quoted or not, escapes undone. */
static const char *
tok_octets(const struct tok *k, size_t max, struct wbuf *wb)
{
	size_t i = 0, count = 0;

	while (i < k->n) {
		uint8_t c = (uint8_t)k->s[i++];
		if (c == '\\') {
			const char *why = unescape(k->s, k->n, &i, &c);
			if (why != NULL)
				return why;
		}
		if (++count > max)
			return "character-string longer than 255 octets";
		wb_byte(wb, c);
	}
	return NULL;
}

/* RFC 1035 3.3: a length octet, then the octets. */
static const char *
tok_charstr(const struct tok *k, struct wbuf *wb)
{
	size_t at = wb->len;

	wb_byte(wb, 0);
	const char *why = tok_octets(k, 255, wb);
	if (why == NULL && !wb->over)
		wb->b[at] = (uint8_t)(wb->len - at - 1);
	return why;
}

static const char *
tok_name(const struct tok *k, struct wbuf *wb)
{
	uint8_t n[NAME_WIRE_MAX];
	size_t nlen;

	if (k->quoted)
		return "a name in quotes";
	/* "@" is the origin, here the root; names are relative to it. */
	if (k->n == 1 && k->s[0] == '@')
		nlen = 1, n[0] = 0;
	else {
		const char *why = name_from_text(k->s, k->n, n, &nlen);
		if (why != NULL)
			return why;
	}
	wb_put(wb, n, nlen);
	return NULL;
}

static int
hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* An even number of hex digits. */
static const char *
hex_decode(const char *s, size_t n, struct wbuf *wb)
{
	if (n % 2 != 0)
		return "odd number of hex digits";
	for (size_t i = 0; i < n; i += 2) {
		int hi = hex_value(s[i]), lo = hex_value(s[i + 1]);
		if (hi < 0 || lo < 0)
			return "not hex";
		wb_byte(wb, (unsigned)(hi << 4 | lo));
	}
	return NULL;
}

/* RFC 4648 section 4: groups of four digits, '=' padding only at the
 * end, and no stray bits before it. */
static const char *
b64_decode(const char *s, size_t n, struct wbuf *wb)
{
	if (n % 4 != 0)
		return "base64 not in groups of four";
	for (size_t i = 0; i < n; i += 4) {
		uint32_t v = 0;
		int pad = 0;
		for (int k = 0; k < 4; k++) {
			const char *d = s[i + k] ? strchr(b64_digits, s[i + k]) : NULL;
			if (s[i + k] == '=' && i + 4 == n && k >= 2 &&
			    (k == 3 || s[i + 3] == '='))
				pad++;
			else if (d == NULL || pad > 0)
				return "not base64";
			v = v << 6 | (d ? (uint32_t)(d - b64_digits) : 0);
		}
		if ((pad == 1 && (v & 0xff)) || (pad == 2 && (v & 0xffff)))
			return "base64 with stray bits";
		wb_byte(wb, v >> 16);
		if (pad < 2)
			wb_byte(wb, v >> 8);
		if (pad < 1)
			wb_byte(wb, v);
	}
	return NULL;
}

/* RFC 4648 section 7, case ignored, with or without '=' padding; the
 * bits left over must be fewer than a digit's and zero. */
static const char *
b32hex_decode(const char *s, size_t n, struct wbuf *wb)
{
	uint32_t acc = 0;
	unsigned bits = 0;

	while (n > 0 && s[n - 1] == '=')
		n--;
	for (size_t i = 0; i < n; i++) {
		char c = (char)(s[i] | 0x20);
		const char *d = (s[i] >= '0' && s[i] <= '9') || (c >= 'a' && c <= 'v')
		                        ? strchr(b32_digits, s[i] >= 'A' ? c : s[i])
		                        : NULL;
		if (d == NULL)
			return "not base32hex";
		acc = (acc << 5 | (uint32_t)(d - b32_digits)) & 0xfff;
		if ((bits += 5) >= 8) {
			bits -= 8;
			wb_byte(wb, acc >> bits);
		}
	}
	if (bits >= 5 || (acc & ((1u << bits) - 1)) != 0)
		return "base32hex with stray bits";
	return NULL;
}

/* The rest of the tokens run together, for hex and base64 that zone
 * files split over blanks; NULL if there is none. */
static const char *
toks_rest(struct toks *t, struct strbuf *sb, size_t *n)
{
	if (t->i >= t->n)
		return NULL;
	for (; t->i < t->n; t->i++) {
		if (t->v[t->i].quoted)
			return NULL;
		sb_appendn(sb, t->v[t->i].s, t->v[t->i].n);
	}
	*n = sb->len;
	return sb_str(sb);
}

/* RFC 4034 4.1.2: a bit a type, in windows of 256 types, each window
 * cut after its last nonzero octet and left out when empty. */
static const char *
toks_bitmap(struct toks *t, struct wbuf *wb)
{
	uint8_t bits[8192];
	char buf[16];
	const struct tok *k;

	memset(bits, 0, sizeof bits);
	while ((k = tok_next(t)) != NULL) {
		int type = tok_cstr(k, buf, sizeof buf) ? dns_type_parse(buf) : -1;
		if (type < 0)
			return "not a type in the type list";
		bits[type / 8] |= (uint8_t)(0x80 >> (type % 8));
	}
	for (unsigned win = 0; win < 256; win++) {
		const uint8_t *b = bits + win * 32;
		unsigned n = 32;
		while (n > 0 && b[n - 1] == 0)
			n--;
		if (n == 0)
			continue;
		wb_byte(wb, win);
		wb_byte(wb, n);
		wb_put(wb, b, n);
	}
	return NULL;
}

/* A length octet and what the digits give: the NSEC3 salt ("-" for
 * none) and next hash (RFC 5155 3.3). */
static const char *
tok_counted(const struct tok *k, char f, struct wbuf *wb)
{
	size_t at = wb->len;
	const char *why = NULL;

	if (k->quoted)
		return "a quoted string where none is allowed";
	wb_byte(wb, 0);
	if (f == 'h' && !(k->n == 1 && k->s[0] == '-'))
		why = hex_decode(k->s, k->n, wb);
	else if (f == 'H')
		why = b32hex_decode(k->s, k->n, wb);
	if (why == NULL && wb->len - at - 1 > 255)
		why = "longer than 255 octets";
	if (why == NULL && !wb->over)
		wb->b[at] = (uint8_t)(wb->len - at - 1);
	return why;
}

/* RFC 8659 4.1: the tag, letters and digits, unquoted. */
static const char *
tok_tag(const struct tok *k, struct wbuf *wb)
{
	if (k->quoted || k->n == 0 || k->n > 255)
		return "not a CAA tag";
	for (size_t i = 0; i < k->n; i++) {
		char c = k->s[i];
		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
		      (c >= 'A' && c <= 'Z')))
			return "CAA tag not only letters and digits";
	}
	wb_byte(wb, (unsigned)k->n);
	wb_put(wb, k->s, k->n);
	return NULL;
}

/* The numeric and address fields from one token. */
static const char *
tok_fixed(const struct tok *k, char f, struct wbuf *wb)
{
	char buf[64];
	uint8_t a[16];
	uint32_t v = 0;
	const char *why = NULL;
	int type;

	switch (f) {
	case '1': why = tok_uint(k, 255, &v); break;
	case 'a': why = tok_alg(k, &v); break;
	case '2': why = tok_uint(k, 65535, &v); break;
	case '4': why = tok_uint(k, UINT32_MAX, &v); break;
	case 'p': why = tok_period(k, &v); break;
	case 'T': why = tok_time(k, &v); break;
	case 't':
		type = tok_cstr(k, buf, sizeof buf) ? dns_type_parse(buf) : -1;
		why = type < 0 ? "not a type" : NULL;
		v = (uint32_t)type;
		break;
	default:
		if (!tok_cstr(k, buf, sizeof buf) ||
		    inet_pton(f == 'I' ? AF_INET : AF_INET6, buf, a) != 1)
			return f == 'I' ? "not an IPv4 address" : "not an IPv6 address";
		wb_put(wb, a, f == 'I' ? 4 : 16);
		return NULL;
	}
	if (why != NULL)
		return why;
	for (size_t i = field_fixed_len(f); i-- > 0;)
		wb_byte(wb, v >> (8 * i));
	return NULL;
}

/* The fields that take the rest of the tokens. */
static const char *
toks_rest_field(struct toks *t, char f, struct wbuf *wb)
{
	struct strbuf sb = STRBUF_INIT;
	const char *why = NULL, *s;
	size_t n = 0;

	switch (f) {
	case 'S':
		if (t->i >= t->n)
			return "no character-string";
		while (why == NULL && t->i < t->n)
			why = tok_charstr(tok_next(t), wb);
		return why;
	case 'm': return toks_bitmap(t, wb);
	case 'v':
		/* none is an empty value, as such an RR's text shows it */
		if (t->n - t->i > 1)
			return "superfluous text";
		return t->i < t->n ? tok_octets(tok_next(t), DNS_MSG_MAX, wb) : NULL;
	default:
		/* None at all is empty data, as such an RR's text shows it. */
		if (t->i >= t->n)
			return NULL;
		if ((s = toks_rest(t, &sb, &n)) == NULL)
			why = "a quoted string where none is allowed";
		else
			why = f == 'x' ? hex_decode(s, n, wb) : b64_decode(s, n, wb);
		sb_free(&sb);
		return why;
	}
}

/* RR data of the layout fields from the tokens. */
static const char *
toks_fields(struct toks *t, const char *fields, struct wbuf *wb)
{
	for (const char *f = fields; *f; f++) {
		const char *why;
		if (field_is_rest(*f) || *f == 'S') {
			why = toks_rest_field(t, *f, wb);
		} else {
			const struct tok *k = tok_next(t);
			if (k == NULL)
				return "value expected";
			if (*f == 'n' || *f == 'N')
				why = tok_name(k, wb);
			else if (*f == 's')
				why = tok_charstr(k, wb);
			else if (*f == 'h' || *f == 'H')
				why = tok_counted(k, *f, wb);
			else if (*f == 'g')
				why = tok_tag(k, wb);
			else
				why = tok_fixed(k, *f, wb);
		}
		if (why != NULL)
			return why;
	}
	return t->i < t->n ? "superfluous text" : NULL;
}

/* RFC 3597 section 5: "\#", the length, and that many octets in hex. */
static const char *
toks_generic(struct toks *t, struct wbuf *wb)
{
	struct strbuf sb = STRBUF_INIT;
	const struct tok *k = tok_next(t);
	uint32_t len;
	size_t n = 0;
	const char *s, *why = k ? tok_uint(k, 65535, &len) : "no length after \\#";

	if (why != NULL)
		return why;
	if (len == 0)
		return t->i < t->n ? "superfluous text" : NULL;
	if ((s = toks_rest(t, &sb, &n)) == NULL)
		why = "no data after the length";
	else if ((why = hex_decode(s, n, wb)) == NULL && wb->len != len)
		why = "length does not match the data";
	sb_free(&sb);
	return why;
}

static bool
tok_is(const struct toks *t, size_t i, const char *s)
{
	return i < t->n && !t->v[i].quoted && t->v[i].n == strlen(s) &&
	       memcmp(t->v[i].s, s, t->v[i].n) == 0;
}

/* RR data text, of a type with these fields (NULL: one not known), as
 * wire; NULL, or why it is not valid. */
static const char *
text_to_wire(const char *text, const char *fields, struct wbuf *wb)
{
	struct toks t = {NULL, 0, 0};
	const char *why = lex(text, &t);

	if (why == NULL && tok_is(&t, 0, "\\#")) {
		t.i = 1;
		why = toks_generic(&t, wb);
	} else if (why == NULL) {
		why = fields ? toks_fields(&t, fields, wb)
		             : "not in the \\# form its type needs";
	}
	free(t.v);
	if (why == NULL && wb->over)
		why = "longer than 65535 octets";
	return why;
}

int
dns_rdata_canon(const char *text, uint16_t type, struct strbuf *out, char *err, size_t errlen)
{
	struct wbuf wb = {xmalloc(64), 0, 64, false};
	const char *fields = rdata_layout(type);
	const char *why = text ? text_to_wire(text, fields, &wb) : "no data";
	struct rdctx c = {wb.b, wb.len, false};
	char tbuf[16];

	/* the same checks and printing as for a received RR */
	if (why == NULL && fields != NULL)
		why = rdata_check(&c, fields, 0, wb.len);
	if (why == NULL)
		rdata_text(&c, type, 0, wb.len, out);
	else
		parse_fail(err, errlen, "'%s' is not valid %s data: %s", text ? text : "",
		           dns_type_name(type, tbuf), why);
	free(wb.b);
	return why == NULL ? 0 : -1;
}

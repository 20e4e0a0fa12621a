/* check_dns: native DNS checks (common/dns.h), for resolvers and
 * authoritative servers. Four jobs, one per mode:
 *   lookup (default)  one name/type against each -s server: rcode, answer
 *                     set, AA bit, response time;
 *   --zone            every address of every NS of a zone: reachability,
 *                     lame answers, SOA serial drift against the primary;
 *   --dnssec          the answer's chain of signatures up to a trust
 *                     anchor, and days left before the first RRSIG expires;
 *   --dnsbl           whether -H is listed on DNS blocklists (RFC 5782).
 * Each server is judged on its own and the worst one decides: a fresh
 * primary never hides a stale secondary. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "deadline.h"
#include "dns.h"
#include "dnssec.h"
#include "opts.h"
#include "output.h"
#include "perfdata.h"
#include "range.h"

#define MAX_LIST 32
#define ANSWER_MAX 200 /* longest answer text on the status line */
#define DEFAULT_ANCHOR "/usr/share/dns/root.key"

enum {
	OPT_TCP = 256,
	OPT_ZONE,
	OPT_NS_ADDRESS,
	OPT_PRIMARY,
	OPT_SERIAL_DRIFT,
	OPT_DNSSEC,
	OPT_TRUST_ANCHOR,
	OPT_RRSIG_DAYS,
	OPT_DNSBL,
	OPT_EXPECT_AA,
};

static const struct opt_spec dns_opts[] = {
        {'H', "hostname", required_argument, "NAME",
         "Name to look up (an address is looked up as PTR); with --dnsbl the\n"
         "IPv4 or IPv6 address to look for on the lists."},
        {'l', "lookup", required_argument, "NAME",
         "Same as -H; as in check_dig, -H then names the server."},
        {'s', "server", required_argument, "SERVER[@PORT]",
         "Server to ask, by address or name (every address of a name is\n"
         "asked); repeatable. Default: the nameservers of /etc/resolv.conf.\n"
         "With --zone, the server asked for the zone's NS set."},
        {'p', "port", required_argument, "PORT", "Port of the servers (default 53)."},
        {'q', "querytype", required_argument, "TYPE",
         "Record type: AAAA, MX, NS, SOA, TXT, PTR, CNAME, SRV, CAA, TLSA,\n"
         "DNSKEY, DS, ... Default: A and AAAA, as nslookup asks (A only with\n"
         "check_dig's spelling -l)."},
        {'T', "record_type", required_argument, "TYPE", "Same as -q (check_dig's spelling)."},
        {'a', "expected-address", required_argument, "DATA[,DATA]...",
         "Expected answer: rdata of the query type (192.0.2.2,\n"
         "\"10 mail.example.test\"), an address range (192.0.2.0/24), or for\n"
         "MX, SRV, NS, CNAME, PTR the target host name (mail.example.test, any\n"
         "preference); repeatable, or comma-separated. OK when any answer\n"
         "matches any of them, as check_dns."},
        {'L', "all", no_argument, NULL,
         "With -a: every answer must be expected and every expected value\n"
         "answered (the answer set equals the expected set)."},
        {'A', "expect-authority", no_argument, NULL,
         "The answer must be authoritative (AA bit)."},
        {'E', "expect-nxdomain", no_argument, NULL, "The name must not exist (NXDOMAIN)."},
        {'n', NULL, no_argument, NULL, "Same as -E (check_dns's spelling)."},
        {'w', "warning", required_argument, "SECONDS", "WARNING when a server answers slower."},
        {'c', "critical", required_argument, "SECONDS",
         "CRITICAL when a server answers slower."},
        OPT_IPV4,
        OPT_IPV6,
        {OPT_TCP, "tcp", no_argument, NULL,
         "Query over TCP only (default: UDP with EDNS, TCP when truncated)."},
        {OPT_ZONE, "zone", required_argument, "ZONE",
         "Zone health: ask every address of every NS of ZONE for the SOA."},
        {OPT_NS_ADDRESS, "ns-address", required_argument, "NAME=ADDR[@PORT]",
         "Address of nameserver NAME, instead of glue or a lookup;\n"
         "repeatable (for hidden or test servers)."},
        {OPT_PRIMARY, "primary", required_argument, "SERVER[@PORT]",
         "The primary (also when hidden); default: the NS named in the SOA\n"
         "MNAME field, else the newest serial."},
        {OPT_SERIAL_DRIFT, "serial-drift", required_argument, "WARN[,CRIT]",
         "How far a secondary's serial may be behind the primary's, as\n"
         "ranges (default 0: any difference is a WARNING)."},
        {OPT_DNSSEC, "dnssec", no_argument, NULL,
         "Validate the answer (with --zone: each server's SOA) up to the\n"
         "trust anchor; bogus or unsigned is CRITICAL."},
        {OPT_TRUST_ANCHOR, "trust-anchor", required_argument, "FILE",
         "DS or DNSKEY records to trust (default " DEFAULT_ANCHOR ")."},
        {OPT_RRSIG_DAYS, "rrsig-days", required_argument, "WARN[,CRIT]",
         "Days left before the earliest RRSIG on the chain expires\n"
         "(default 7,3)."},
        {OPT_DNSBL, "dnsbl", required_argument, "ZONE",
         "Blocklist zone to look -H up in; repeatable."},
        OPT_END,
};

/* check_dig's spelling (-l NAME): there -A takes dig's arguments, so
 * the AA requirement keeps only its long option. */
static const struct opt_spec dig_opt_A = {
        'A', "dig-arguments", required_argument, "ARGS",
        "check_dig's dig arguments: +tcp, +notcp, +norecurse, +recurse,\n"
        "+dnssec are honoured, others are ignored (and listed)."};

#define DNS_NOTES_EXAMPLES                                                                     \
	"Examples:\n"                                                                          \
	"  check_dns -H www.example.test -s 192.0.2.53 -a 192.0.2.0/24\n"                      \
	"  check_dns -H example.test -q MX -a mail.example.test -s 192.0.2.53\n"               \
	"  check_dns -H example.test -q NS -a ns1.example.test,ns2.example.test -L\n"          \
	"  check_dns -H 192.0.2.2 -a www.example.test.   (an address is a PTR lookup)\n"       \
	"  check_dns -l www.example.test -H 192.0.2.53 -T A -A +tcp   (check_dig)\n"           \
	"  check_dns --zone example.test -s 192.0.2.53 --serial-drift 0,10\n"                  \
	"  check_dns -H www.example.test --dnssec -s 127.0.0.1\n"                              \
	"  check_dns -H 192.0.2.99 --dnsbl zen.spamhaus.org"

static const struct plugin_desc dns_desc = {
        .name = "check_dns",
        .service = "DNS",
        .purpose = "Checks DNS lookups, zone serials, DNSSEC signatures and blocklists "
                   "natively, with no resolver program.",
        .usage =
                "-H NAME [-s SERVER[@PORT]]... [-q TYPE] [-a DATA]... [-A] [-E] [-w S] [-c S]\n"
                "       --zone ZONE [-s SERVER] [--ns-address NAME=ADDR[@PORT]]... "
                "[--serial-drift W,C] [--dnssec]\n"
                "       -H ADDRESS --dnsbl ZONE... [-s SERVER]",
        .notes = "-p sets the port of every server, NS addresses included; @PORT only that\n"
                 "one's. Each query gets its share of the -t time left.\n"
                 "Lookup: every -s server is asked; the worst answer decides. NXDOMAIN,\n"
                 "SERVFAIL, REFUSED, no answer of the type, a wrong answer set, a reply\n"
                 "that does not parse and a timeout are CRITICAL; replies with another id\n"
                 "or question are ignored, and a timeout counts them.\n"
                 "Zone: the NS set comes from the first -s server, the addresses from\n"
                 "--ns-address, else the glue in its reply, else an A/AAAA lookup there.\n"
                 "An unreachable, REFUSED or non-authoritative server is CRITICAL; one\n"
                 "whose NS set differs from the one found is a WARNING.\n"
                 "DNSBL: an answer in 127.0.0.2-127.255.254.255 is a listing (CRITICAL,\n"
                 "with the TXT reason); 127.255.255.x, 127.0.0.1 or an address outside\n"
                 "127/8 is the list's own error (WARNING), never a listing (RFC "
                 "5782).\n" DNS_NOTES_EXAMPLES,
        .opts = dns_opts,
        .default_timeout = 10,
};

struct ns_map {
	const char *name;
	const char *addr; /* ADDR[@PORT] */
};

/* One server's outcome. */
struct probe {
	const struct dns_server *srv;
	enum gl_state state;
	struct strbuf text; /* the problem, or the answer in lookup mode */
	size_t headlen;     /* lookup: length of "NAME TYPE DATA" in text */
	double seconds;
	bool answered; /* a reply, whatever its rcode */
	bool has_serial;
	uint32_t serial;
	bool has_days;
	double days;
};

struct dns_check {
	const char *host;                  /* the name to look up (or address, --dnsbl) */
	const char *host_opt, *lookup_opt; /* -H, -l as given */
	char *qname;                       /* host, or its reverse name for PTR */
	uint16_t qtype;
	bool qtype_set;
	const char *server_spec[MAX_LIST];
	size_t nserver_spec;
	unsigned port;
	int family;
	const char *expect[MAX_LIST];
	struct dns_expect exp[MAX_LIST]; /* expect, parsed */
	size_t nexpect;
	uint16_t types[3];     /* qtype, or A, AAAA (asked) and CNAME (in */
	size_t ntypes, nquery; /* their answers): judged and shown */
	bool expect_all, expect_aa, expect_nx, tcp, dnssec, norecurse;
	bool dig_spelling;     /* -l given: check_dig's option meanings */
	bool dig_do;           /* check_dig -A +dnssec: DO bit, no validation */
	char *split[MAX_LIST]; /* copies of comma-separated -a lists */
	size_t nsplit;
	struct strbuf dig_ignored;
	struct thresholds time;
	const char *zone;
	struct ns_map nsmap[MAX_LIST];
	size_t nnsmap;
	const char *primary;
	struct thresholds drift;
	const char *anchor_file;
	struct thresholds days;
	const char *dnsbl[MAX_LIST];
	size_t ndnsbl;
	/* run state */
	struct dns_servers servers;
	struct dns_anchors *anchors;
	struct probe *probes;
	size_t nprobes;
	struct gl_output out;
};

/* ---- options --------------------------------------------------------- */

static void
list_add(const struct opts *o, const char **v, size_t *n, const char *arg)
{
	if (*n >= MAX_LIST)
		opts_usage_error(o, "%s: at most %d values", o->current, MAX_LIST);
	v[(*n)++] = arg;
}

static void
parse_nsmap(const struct opts *o, struct dns_check *c, const char *arg)
{
	const char *eq = strchr(arg, '=');
	if (eq == NULL || eq == arg || eq[1] == '\0')
		opts_usage_error(o, "%s: '%s' is not NAME=ADDR[@PORT]", o->current, arg);
	if (c->nnsmap >= MAX_LIST)
		opts_usage_error(o, "%s: at most %d values", o->current, MAX_LIST);
	c->nsmap[c->nnsmap].name = xstrdup(arg);
	((char *)c->nsmap[c->nnsmap].name)[eq - arg] = '\0';
	c->nsmap[c->nnsmap++].addr = eq + 1;
}

static void
parse_type(const struct opts *o, struct dns_check *c, const char *arg)
{
	int t = dns_type_parse(arg);
	if (t <= 0)
		opts_usage_error(o, "%s: '%s' is not a DNS record type", o->current, arg);
	c->qtype = (uint16_t)t;
	c->qtype_set = true;
}

/* -a takes a comma-separated list, as check_dns; a quoted TXT string or
 * a TXT query keeps its commas. */
static void
expect_add(const struct opts *o, struct dns_check *c, const char *arg)
{
	if (arg[0] == '"' || strchr(arg, ',') == NULL) {
		list_add(o, c->expect, &c->nexpect, arg);
		return;
	}
	if (c->nsplit >= MAX_LIST)
		opts_usage_error(o, "%s: at most %d lists", o->current, MAX_LIST);
	char *copy = xstrdup(arg), *save = NULL;
	c->split[c->nsplit++] = copy;
	for (char *t = strtok_r(copy, ",", &save); t != NULL; t = strtok_r(NULL, ",", &save))
		list_add(o, c->expect, &c->nexpect, t);
}

/* check_dig -A "dig arguments": the ones with a meaning here are
 * honoured, the rest are named in the long output, never silently lost. */
static void
dig_args(struct dns_check *c, const char *arg)
{
	char *copy = xstrdup(arg), *save = NULL;

	for (char *t = strtok_r(copy, " \t", &save); t != NULL;
	     t = strtok_r(NULL, " \t", &save)) {
		if (strcmp(t, "+tcp") == 0 || strcmp(t, "+vc") == 0)
			c->tcp = true;
		else if (strcmp(t, "+notcp") == 0 || strcmp(t, "+novc") == 0)
			c->tcp = false;
		else if (strncmp(t, "+norec", 6) == 0)
			c->norecurse = true;
		else if (strncmp(t, "+rec", 4) == 0)
			c->norecurse = false;
		else if (strcmp(t, "+dnssec") == 0)
			c->dig_do = true;
		else
			sb_appendf(&c->dig_ignored, "%s%s", c->dig_ignored.len ? " " : "", t);
	}
	free(copy);
}

static void
parse_opt(struct opts *o, struct dns_check *c, int key, const char *arg)
{
	switch (key) {
	case 'H': c->host_opt = arg; break;
	case 'l': c->lookup_opt = arg; break;
	case 's': list_add(o, c->server_spec, &c->nserver_spec, arg); break;
	case 'p': c->port = opts_port(o, arg); break;
	case 'q':
	case 'T': parse_type(o, c, arg); break;
	case 'a': expect_add(o, c, arg); break;
	case 'L': c->expect_all = true; break;
	case 'A':
		if (c->dig_spelling)
			dig_args(c, arg);
		else
			c->expect_aa = true;
		break;
	case OPT_EXPECT_AA: c->expect_aa = true; break;
	case 'E':
	case 'n': c->expect_nx = true; break;
	case 'w': opts_range(o, arg, OPTS_ABOVE, &c->time.warn); break;
	case 'c': opts_range(o, arg, OPTS_ABOVE, &c->time.crit); break;
	case OPT_TCP: c->tcp = true; break;
	case OPT_ZONE: c->zone = arg; break;
	case OPT_NS_ADDRESS: parse_nsmap(o, c, arg); break;
	case OPT_PRIMARY: c->primary = arg; break;
	case OPT_SERIAL_DRIFT: opts_thresholds(o, arg, OPTS_ABOVE, &c->drift); break;
	case OPT_DNSSEC: c->dnssec = true; break;
	case OPT_TRUST_ANCHOR: c->anchor_file = arg; break;
	case OPT_RRSIG_DAYS: opts_thresholds(o, arg, OPTS_BELOW, &c->days); break;
	case OPT_DNSBL: list_add(o, c->dnsbl, &c->ndnsbl, arg); break;
	}
}

/* Cross-option rules, and the expected answers in canonical form. */
static void
validate_opts(const struct opts *o, struct dns_check *c)
{
	char err[300];

	/* check_dig's spelling: -l NAME is the lookup and -H the server. */
	if (c->lookup_opt != NULL && c->host_opt != NULL)
		list_add(o, c->server_spec, &c->nserver_spec, c->host_opt);
	c->host = c->lookup_opt ? c->lookup_opt : c->host_opt;
	if (c->zone == NULL && c->host == NULL)
		opts_usage_error(o, "-H NAME (or --zone ZONE) is required");
	if (c->zone != NULL && c->ndnsbl > 0)
		opts_usage_error(o, "--zone and --dnsbl are separate checks");
	if (c->ndnsbl > 0 && (c->dnssec || c->nexpect > 0 || c->expect_nx))
		opts_usage_error(o, "--dnsbl takes no --dnssec, -a or -E");
	struct strbuf rev = STRBUF_INIT;
	if (c->ndnsbl > 0 && dns_reverse_name(c->host, "x", &rev) != 0)
		opts_usage_error(o, "--dnsbl: -H '%s' is not an IPv4 or IPv6 address", c->host);
	sb_reset(&rev);
	if (c->host != NULL && c->ndnsbl == 0 && (!c->qtype_set || c->qtype == DNS_T_PTR) &&
	    dns_reverse_name(c->host, NULL, &rev) == 0) {
		c->qtype = DNS_T_PTR;
		c->qname = sb_detach(&rev);
	} else {
		c->qname = xstrdup(c->host ? c->host : "");
	}
	sb_free(&rev);
	c->types[0] = c->qtype;
	c->ntypes = 1;
	/* nslookup, which check_dns runs, asks for A and AAAA: a name with
	 * only AAAA records resolves. check_dig asks for A alone. */
	if (!c->qtype_set && !c->dig_spelling && c->qtype == DNS_T_A)
		c->types[c->ntypes++] = DNS_T_AAAA;
	c->nquery = c->ntypes;
	/* "-a www.example.test." names the CNAME target, as check_dns. */
	if (c->nquery == 2)
		c->types[c->ntypes++] = DNS_T_CNAME;
	if (c->expect_all && c->nexpect == 0)
		opts_usage_error(o, "-L needs the expected answers (-a)");
	for (size_t i = 0; i < c->nexpect; i++)
		if (dns_expect_parse(c->expect[i], c->types, c->ntypes, &c->exp[i], err,
		                     sizeof err) != 0)
			opts_usage_error(o, "-a: %s", err);
}

/* ---- shared by the modes --------------------------------------------- */

/* The servers given with -s, or the system's resolvers. */
static void
load_servers(struct dns_check *c)
{
	char err[300];
	unsigned port = c->port ? c->port : 53;

	for (size_t i = 0; i < c->nserver_spec; i++)
		if (dns_servers_add(&c->servers, c->server_spec[i], NULL, port, c->family, err,
		                    sizeof err) != DNS_OK)
			output_die("DNS", GL_UNKNOWN, "%s", err);
	if (c->nserver_spec == 0 &&
	    dns_servers_system(&c->servers, NULL, port, c->family, err, sizeof err) != DNS_OK)
		output_die("DNS", GL_UNKNOWN, "%s", err);
}

/* A fair share of the time left for one of `left` queries still to come,
 * so one dead server cannot starve the others of the -t budget. */
static int
share_ms(size_t left)
{
	int ms = deadline_remaining_ms();
	return left > 1 ? ms / (int)left : ms;
}

static unsigned
query_flags(const struct dns_check *c)
{
	return (c->tcp ? DNS_Q_TCP : 0) | (c->dnssec || c->dig_do ? DNS_Q_DO : 0) |
	       (c->norecurse ? DNS_Q_NORD : 0);
}

static void
format_time(struct strbuf *sb, double s)
{
	if (s < 1)
		sb_appendf(sb, "%.1f ms", s * 1000);
	else
		sb_appendf(sb, "%.2f s", s);
}

/* A name as users write it: without the root's final dot. */
static void
append_name(struct strbuf *sb, const char *name)
{
	size_t n = strlen(name);
	sb_appendn(sb, name, n > 1 && name[n - 1] == '.' ? n - 1 : n);
}

static void
type_name(uint16_t t, char *buf, size_t len)
{
	char name[16];
	snprintf(buf, len, "%s", dns_type_name(t, name));
}

/* Reports a query that got no usable reply. */
static void
probe_failed(struct probe *p, enum dns_status st, const struct dns_reply *r, const char *err)
{
	/* When the whole -t budget is gone, -t's own state applies. */
	p->state = st == DNS_ERR_TIMEOUT && deadline_expired() ? deadline_state() : GL_CRITICAL;
	if (st == DNS_ERR_TIMEOUT && !r->truncated_udp && (r->wrong_id || r->wrong_question)) {
		sb_appendf(&p->text, "%s: no valid reply within %.1f s", p->srv->label,
		           p->seconds);
		dns_reply_ignored(r, &p->text);
	} else if (st == DNS_ERR_TIMEOUT && !r->truncated_udp)
		sb_appendf(&p->text, "%s: no reply within %.1f s", p->srv->label, p->seconds);
	else if (st == DNS_ERR_REFUSED && !r->truncated_udp)
		sb_appendf(&p->text, "%s: unreachable (%sport %u refused)", p->srv->label,
		           r->tcp ? "TCP " : "", p->srv->port);
	else
		sb_appendf(&p->text, "%s: %s", p->srv->label, err);
}

/* Starts the text of a problem with a probe: it replaces a plain answer
 * text, but follows one already found (slowness, DNSSEC, drift). */
static void
probe_problem(struct probe *p, enum gl_state st)
{
	if (p->state == GL_OK) {
		sb_reset(&p->text);
		p->headlen = 0;
	} else {
		sb_append(&p->text, " / ");
	}
	p->state = state_worst(p->state, st);
}

/* Validates the reply's answer and folds the verdict and the days left
 * into the probe. */
static void
probe_dnssec(struct dns_check *c, struct probe *p, const struct dns_msg *reply, unsigned flags,
             size_t left)
{
	static const char *const verdicts[] = {"secure", "insecure", "bogus",
	                                       "validation error"};
	struct dns_sec_result res = {0};

	dnssec_validate(p->srv, reply, c->anchors, flags, share_ms(left), &res);
	if (res.have_expiry) {
		p->has_days = true;
		p->days = (double)(res.expiry - time(NULL)) / 86400.0;
	}
	if (res.verdict != DNS_SEC_SECURE) {
		probe_problem(p, GL_CRITICAL);
		sb_appendf(&p->text, "%s: DNSSEC %s: %s", p->srv->label, verdicts[res.verdict],
		           res.reason);
		return;
	}
	enum gl_state st = p->has_days ? thresholds_eval(&c->days, p->days) : GL_OK;
	if (st != GL_OK) {
		probe_problem(p, st);
		sb_appendf(&p->text, "%s: RRSIG of %s expires in %.1f days", p->srv->label,
		           res.expiry_what, p->days);
	} else if (p->has_days) {
		sb_appendf(&p->text, ", DNSSEC secure, first RRSIG (%s) expires in %.1f days",
		           res.expiry_what, p->days);
	}
}

/* ---- lookup mode ----------------------------------------------------- */

/* " A 192.0.2.1, 192.0.2.2 AAAA 2001:db8::1": the records of each asked
 * type; returns how many there were. */
static size_t
lookup_format(const struct dns_check *c, const struct dns_rrs *ans, struct strbuf *sb)
{
	size_t total = 0;

	for (size_t t = 0; t < c->ntypes; t++) {
		char tname[32];
		struct strbuf d = STRBUF_INIT;
		size_t n = dns_rrset_format(&d, ans, c->types[t]);
		type_name(c->types[t], tname, sizeof tname);
		if (n > 0 && d.len > ANSWER_MAX)
			sb_appendf(sb, " %s %.*s... (%zu records)", tname, ANSWER_MAX,
			           sb_str(&d), n);
		else if (n > 0)
			sb_appendf(sb, " %s %s", tname, sb_str(&d));
		total += t < c->nquery ? n : 0;
		sb_free(&d);
	}
	return total;
}

/* Judges a NOERROR answer: the expected values and the AA bit. */
static void
lookup_judge_answer(struct dns_check *c, struct probe *p, const struct dns_msg *reply,
                    const struct dns_rrs *ans)
{
	struct strbuf d = STRBUF_INIT;

	if (c->nexpect > 0 && !dns_expect_check(ans, c->types, c->ntypes, c->exp, c->nexpect,
	                                        c->expect_all, &d)) {
		p->state = GL_CRITICAL;
		sb_appendf(&p->text, " (%s)", sb_str(&d));
	}
	if (c->expect_aa && !reply->aa) {
		p->state = GL_CRITICAL;
		sb_append(&p->text, " (not authoritative)");
	}
	sb_free(&d);
}

/* Judges one server's replies to the lookup: "NAME TYPE DATA in T
 * (server)", or the rcode or the difference in place of DATA. */
static void
lookup_judge(struct dns_check *c, struct probe *p, const struct dns_reply *r,
             const struct dns_rrs *ans, size_t left)
{
	char tname[32];
	unsigned rcode = r->msg.rcode;

	type_name(c->qtype, tname, sizeof tname);
	if (c->nquery > 1)
		snprintf(tname, sizeof tname, "A/AAAA");
	append_name(&p->text, c->qname);
	if (rcode == DNS_R_NXDOMAIN && c->expect_nx) {
		sb_append(&p->text, ": NXDOMAIN as expected");
	} else if (rcode != DNS_R_NOERROR) {
		p->state = GL_CRITICAL;
		sb_appendf(&p->text, " %s: %s%s", tname, dns_rcode_name((int)rcode),
		           rcode == DNS_R_NXDOMAIN ? " (domain not found)" : "");
	} else if (c->expect_nx) {
		p->state = GL_CRITICAL;
		sb_append(&p->text, " exists, NXDOMAIN expected");
	} else if (lookup_format(c, ans, &p->text) == 0) {
		p->state = GL_CRITICAL;
		sb_appendf(&p->text, " %s: no record of this type (NODATA)", tname);
	} else {
		lookup_judge_answer(c, p, &r->msg, ans);
	}
	p->headlen = p->text.len;
	sb_append(&p->text, " in ");
	format_time(&p->text, p->seconds);
	sb_appendf(&p->text, " (%s)", p->srv->label);
	p->state = state_worst(p->state, thresholds_eval(&c->time, p->seconds));
	if (c->dnssec && p->state != GL_CRITICAL &&
	    (rcode == DNS_R_NOERROR || rcode == DNS_R_NXDOMAIN))
		probe_dnssec(c, p, &r->msg, query_flags(c), left);
}

/* Asks one server for every type of the lookup: r[0] keeps the rcode
 * and flags, r[1..] the later types' replies (freed by the caller in
 * every case, up to c->nquery), and ans takes the answers of all. A type
 * after the first that gets no reply fails the whole probe, in r[0]. */
static enum dns_status
lookup_query(struct dns_check *c, struct probe *p, size_t left, struct dns_reply *r,
             struct dns_rrs *ans, char *err, size_t errlen)
{
	/* Each query may use this server's share of the time left: the
	 * AAAA query follows only an A reply, from what that left over. */
	enum dns_status st = dns_query(p->srv, c->qname, c->types[0], query_flags(c),
	                               share_ms(left), &r[0], err, errlen);

	p->seconds = r[0].seconds;
	if (st != DNS_OK)
		return st;
	dns_rrs_add(ans, &r[0].msg, DNS_S_ANSWER, 0);
	for (size_t t = 1; t < c->nquery && r[0].msg.rcode == DNS_R_NOERROR; t++) {
		st = dns_query(p->srv, c->qname, c->types[t], query_flags(c), share_ms(left),
		               &r[t], err, errlen);
		p->seconds += r[t].seconds;
		if (st != DNS_OK) {
			struct dns_reply failed = r[t];
			dns_reply_free(&r[0]);
			r[0] = failed;
			memset(&r[t], 0, sizeof r[t]);
			return st;
		}
		/* Only the asked type: the CNAMEs are in the first answer already. */
		dns_rrs_add(ans, &r[t].msg, DNS_S_ANSWER, c->types[t]);
	}
	return DNS_OK;
}

static void
lookup_run(struct dns_check *c)
{
	char err[300];

	c->nprobes = c->servers.n;
	c->probes = xcalloc(c->nprobes, sizeof *c->probes);
	if (c->dig_ignored.len > 0)
		output_long(&c->out, "dig arguments ignored: %s", sb_str(&c->dig_ignored));
	for (size_t i = 0; i < c->nprobes; i++) {
		struct probe *p = &c->probes[i];
		struct dns_reply r[3] = {0};
		struct dns_rrs ans = {0};
		p->srv = &c->servers.v[i];
		enum dns_status st =
		        lookup_query(c, p, c->nprobes - i, r, &ans, err, sizeof err);
		p->answered = st == DNS_OK;
		if (st != DNS_OK)
			probe_failed(p, st, &r[0], err);
		if (st == DNS_OK && r[0].truncated_udp)
			output_long(&c->out, "%s: UDP reply truncated, answered over TCP",
			            p->srv->label);
		if (st == DNS_OK && r[0].no_edns)
			output_long(&c->out, "%s: EDNS refused (FORMERR), answered without it",
			            p->srv->label);
		if (st == DNS_OK)
			lookup_judge(c, p, &r[0], &ans, c->nprobes - i);
		dns_rrs_free(&ans);
		for (size_t t = 0; t < 3; t++)
			dns_reply_free(&r[t]);
	}
}

/* ---- reporting ------------------------------------------------------- */

/* Problems first, worst first, so the summary line leads with what broke;
 * with list_ok the good answers follow. Every probe gets a long line when
 * there are several, and a time perfdata item. */
static void
report_probes(struct dns_check *c, bool list_ok)
{
	static const enum gl_state order[] = {GL_CRITICAL, GL_WARNING, GL_UNKNOWN, GL_OK};
	const char *sep = c->out.summary.len ? " / " : "";
	const struct probe *prev = NULL;

	for (size_t k = 0; k < 4; k++) {
		for (size_t i = 0; i < c->nprobes; i++) {
			struct probe *p = &c->probes[i];
			if (p->state != order[k] || (order[k] == GL_OK && !list_ok))
				continue;
			/* Servers that agree share one answer text. */
			if (prev != NULL && p->headlen > 0 && p->headlen == prev->headlen &&
			    memcmp(p->text.buf, prev->text.buf, p->headlen) == 0) {
				output_summary(&c->out, ", %s", p->text.buf + p->headlen + 4);
				continue;
			}
			output_summary(&c->out, "%s%s", sep, sb_str(&p->text));
			sep = " / ";
			prev = order[k] == GL_OK ? p : NULL;
		}
	}
	for (size_t i = 0; i < c->nprobes; i++) {
		struct probe *p = &c->probes[i];
		char label[400];
		output_state(&c->out, p->state);
		if (c->nprobes > 1 || !list_ok)
			output_long(&c->out, "[%s] %s", state_name(p->state), sb_str(&p->text));
		snprintf(label, sizeof label, c->nprobes > 1 || !list_ok ? "time_%s" : "time",
		         p->srv->label);
		struct pd_item it = {.label = label,
		                     .value = p->seconds,
		                     .unknown = !p->answered,
		                     .uom = "s",
		                     .warn = &c->time.warn,
		                     .crit = &c->time.crit,
		                     .has_min = true};
		perfdata_append(&c->out.perf, &it);
	}
}

/* rrsig_days perfdata and headline text: the worst server's days. */
static void
report_days(struct dns_check *c, struct strbuf *head)
{
	const struct probe *worst = NULL;

	for (size_t i = 0; i < c->nprobes; i++)
		if (c->probes[i].has_days && (worst == NULL || c->probes[i].days < worst->days))
			worst = &c->probes[i];
	if (!c->dnssec)
		return;
	struct pd_item it = {.label = "rrsig_days",
	                     .value = worst ? worst->days : 0,
	                     .unknown = worst == NULL,
	                     .warn = &c->days.warn,
	                     .crit = &c->days.crit};
	perfdata_append(&c->out.perf, &it);
	if (worst != NULL && head != NULL)
		sb_appendf(head, ", first RRSIG expires in %.1f days (%s)", worst->days,
		           worst->srv->label);
}

static void
probes_free(struct dns_check *c)
{
	for (size_t i = 0; i < c->nprobes; i++)
		sb_free(&c->probes[i].text);
	free(c->probes);
	c->probes = NULL;
	c->nprobes = 0;
}

/* ---- zone mode ------------------------------------------------------- */

static bool
same_name(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la > 1 && a[la - 1] == '.')
		la--;
	if (lb > 1 && b[lb - 1] == '.')
		lb--;
	return la == lb && strncasecmp(a, b, la) == 0;
}

/* Adds one address record's text as a server of nsname. */
static void
zone_add_addr(struct dns_check *c, const char *nsname, const struct dns_msg *m,
              const struct dns_rr *rr)
{
	char err[300];
	uint16_t t = rr->type;
	struct strbuf a = STRBUF_INIT;

	if ((t != DNS_T_A && t != DNS_T_AAAA) || (c->family == AF_INET && t != DNS_T_A) ||
	    (c->family == AF_INET6 && t != DNS_T_AAAA))
		return;
	dns_rr_text(m, rr, &a);
	if (dns_servers_add(&c->servers, sb_str(&a), nsname, c->port ? c->port : 53, c->family,
	                    err, sizeof err) != DNS_OK)
		output_long(&c->out, "%s: %s", nsname, err);
	sb_free(&a);
}

/* Glue from the NS reply's additional section, else a lookup of the
 * name's A and AAAA records through the server that gave the NS set. */
static void
zone_ns_addresses(struct dns_check *c, const char *nsname, const struct dns_msg *nsreply,
                  const struct dns_server *via)
{
	static const uint16_t types[] = {DNS_T_A, DNS_T_AAAA};
	size_t before = c->servers.n;
	char err[300];

	for (size_t i = 0; i < nsreply->nrr; i++) {
		const struct dns_rr *rr = &nsreply->rr[i];
		if (rr->section == DNS_S_ADDITIONAL && dns_name_is(nsreply, rr->owner, nsname))
			zone_add_addr(c, nsname, nsreply, rr);
	}
	if (c->servers.n > before)
		return;
	for (size_t t = 0; t < 2; t++) {
		struct dns_reply r;
		if ((c->family == AF_INET && types[t] != DNS_T_A) ||
		    (c->family == AF_INET6 && types[t] != DNS_T_AAAA))
			continue;
		if (dns_query(via, nsname, types[t], c->tcp ? DNS_Q_TCP : 0, share_ms(4), &r,
		              err, sizeof err) != DNS_OK)
			continue;
		for (size_t i = 0; i < r.msg.nrr; i++)
			if (r.msg.rr[i].section == DNS_S_ANSWER)
				zone_add_addr(c, nsname, &r.msg, &r.msg.rr[i]);
		dns_reply_free(&r);
	}
}

/* Adds the servers of one NS name; a name without any address is a
 * problem of its own (a delegation to nowhere). */
static void
zone_add_ns(struct dns_check *c, const char *nsname, const struct dns_msg *nsreply,
            const struct dns_server *via, struct strbuf *noaddr)
{
	char err[300];
	size_t before = c->servers.n;

	for (size_t i = 0; i < c->nnsmap; i++) {
		if (!same_name(c->nsmap[i].name, nsname))
			continue;
		if (dns_servers_add(&c->servers, c->nsmap[i].addr, nsname,
		                    c->port ? c->port : 53, c->family, err,
		                    sizeof err) != DNS_OK)
			output_die("DNS", GL_UNKNOWN, "--ns-address: %s", err);
	}
	if (c->servers.n == before)
		zone_ns_addresses(c, nsname, nsreply, via);
	if (c->servers.n == before)
		sb_appendf(noaddr, "%s%s", noaddr->len ? ", " : "", nsname);
	for (size_t i = before; i < c->servers.n; i++)
		output_debug(1, "zone: %s at %s port %u", nsname, c->servers.v[i].addr,
		             c->servers.v[i].port);
}

/* Asks the -s servers in turn for the zone's NS set, into *r. */
static void
zone_ns_set(struct dns_check *c, struct dns_servers *ask, const struct dns_server **via,
            struct dns_reply *r)
{
	char err[400] = "no server to ask";

	for (size_t i = 0; i < ask->n; i++) {
		enum dns_status st =
		        dns_query(&ask->v[i], c->zone, DNS_T_NS, c->tcp ? DNS_Q_TCP : 0,
		                  share_ms(ask->n - i + 2), r, err, sizeof err);
		if (st != DNS_OK)
			continue;
		size_t n = 0;
		for (size_t k = 0; k < r->msg.nrr; k++)
			n += r->msg.rr[k].section == DNS_S_ANSWER &&
			     r->msg.rr[k].type == DNS_T_NS;
		if (r->msg.rcode == DNS_R_NOERROR && n > 0) {
			*via = &ask->v[i];
			return;
		}
		snprintf(err, sizeof err, "%s: %s, no NS records", ask->v[i].label,
		         dns_rcode_name((int)r->msg.rcode));
		dns_reply_free(r);
	}
	output_die("DNS", deadline_expired() ? deadline_state() : GL_CRITICAL,
	           "cannot get the NS set of %s: %s", c->zone, err);
}

/* Asks one nameserver address for the zone's SOA, without recursion: a
 * server that is not authoritative for the zone is lame. */
static void
zone_probe(struct dns_check *c, struct probe *p, size_t left, char *mname, size_t mlen)
{
	char err[300];
	struct dns_reply r;
	unsigned flags = query_flags(c) | DNS_Q_NORD;
	enum dns_status st = dns_query(p->srv, c->zone, DNS_T_SOA, flags, share_ms(left), &r,
	                               err, sizeof err);

	p->seconds = r.seconds;
	p->answered = st == DNS_OK;
	if (st != DNS_OK) {
		probe_failed(p, st, &r, err);
		return;
	}
	const struct dns_rr *soa = NULL;
	for (size_t i = 0; soa == NULL && i < r.msg.nrr; i++)
		if (r.msg.rr[i].section == DNS_S_ANSWER && r.msg.rr[i].type == DNS_T_SOA &&
		    dns_name_is(&r.msg, r.msg.rr[i].owner, c->zone))
			soa = &r.msg.rr[i];
	unsigned rcode = r.msg.rcode;
	p->state = GL_CRITICAL;
	if (rcode != DNS_R_NOERROR)
		sb_appendf(&p->text, "%s: lame (%s)", p->srv->label,
		           dns_rcode_name((int)rcode));
	else if (!r.msg.aa)
		sb_appendf(&p->text, "%s: lame (answer not authoritative)", p->srv->label);
	else if (soa == NULL)
		sb_appendf(&p->text, "%s: lame (no SOA in the answer)", p->srv->label);
	else
		p->state = GL_OK;
	if (p->state == GL_OK) {
		char m[DNS_NAME_TEXT];
		if (dns_rr_first_name(&r.msg, soa, m) && mname[0] == '\0')
			snprintf(mname, mlen, "%s", m);
		p->has_serial = true;
		/* the serial leads the five 32-bit fields that end the data
		 * (RFC 1035 3.3.13), which dns_msg_parse() checked */
		p->serial = dns_get32(r.msg.wire + soa->rdata + soa->rdlen - 20);
		sb_appendf(&p->text, "%s: serial %u in ", p->srv->label, p->serial);
		format_time(&p->text, p->seconds);
		p->state = thresholds_eval(&c->time, p->seconds);
		if (p->state != GL_OK)
			sb_append(&p->text, ", too slow");
		if (c->dnssec)
			probe_dnssec(c, p, &r.msg, flags, left);
	}
	dns_reply_free(&r);
}

/* Every authoritative server should serve the NS set the zone was found
 * with; one that lists other servers sends resolvers elsewhere
 * (check_zone_auth's "NS RRset" check). */
static void
zone_ns_check(struct dns_check *c, struct probe *p, const struct dns_rrs *ns, size_t left)
{
	char err[300];
	struct dns_reply r;
	struct strbuf diff = STRBUF_INIT;
	struct dns_rrs got = {0};
	size_t n = ns->n;
	char **want = xcalloc(n + 1, sizeof *want);

	for (size_t i = 0; i < n; i++) {
		struct strbuf sb = STRBUF_INIT;
		dns_rr_text(ns->v[i].msg, ns->v[i].rr, &sb);
		want[i] = sb.buf ? sb_detach(&sb) : xstrdup("");
	}
	enum dns_status st =
	        dns_query(p->srv, c->zone, DNS_T_NS, (c->tcp ? DNS_Q_TCP : 0) | DNS_Q_NORD,
	                  share_ms(left), &r, err, sizeof err);
	if (st == DNS_OK)
		dns_rrs_add(&got, &r.msg, DNS_S_ANSWER, 0);
	bool same = st == DNS_OK &&
	            dns_answer_match(&got, DNS_T_NS, (const char *const *)want, n, &diff);
	dns_rrs_free(&got);
	if (st != DNS_OK)
		sb_appendf(&diff, "no NS answer: %s", err);
	if (!same) {
		p->state = state_worst(p->state, GL_WARNING);
		sb_appendf(&p->text, ", NS set differs (%s)", sb_str(&diff));
	}
	if (st == DNS_OK)
		dns_reply_free(&r);
	for (size_t i = 0; i < n; i++)
		free(want[i]);
	free(want);
	sb_free(&diff);
}

/* The NS name a zone-mode server belongs to: its label up to the '/'. */
static void
probe_nsname(const struct probe *p, char *buf, size_t len)
{
	snprintf(buf, len, "%s", p->srv->label);
	char *slash = strrchr(buf, '/');
	if (slash != NULL)
		*slash = '\0';
}

/* The serial the others are measured against: the primary's (--primary,
 * else the server named in the SOA MNAME field), else the newest one. */
static const struct probe *
zone_reference(const struct dns_check *c, const char *mname, const struct dns_servers *prim)
{
	const struct probe *best = NULL;

	for (size_t i = 0; i < c->nprobes; i++) {
		const struct probe *p = &c->probes[i];
		char ns[sizeof p->srv->label];
		bool is_primary = false;
		if (!p->has_serial)
			continue;
		probe_nsname(p, ns, sizeof ns);
		for (size_t j = 0; j < prim->n; j++)
			is_primary |= strcmp(prim->v[j].addr, p->srv->addr) == 0 &&
			              prim->v[j].port == p->srv->port;
		if (prim->n == 0 && same_name(ns, mname))
			is_primary = true;
		if (is_primary)
			return p;
		if (best == NULL ||
		    dns_serial_compare(p->serial, best->serial) == DNS_SERIAL_GREATER)
			best = p;
	}
	return best;
}

/* Measures every server's serial against the reference; returns the
 * drift of largest size for perfdata. */
static int64_t
zone_drift(struct dns_check *c, const struct probe *ref)
{
	int64_t worst = 0;

	for (size_t i = 0; ref != NULL && i < c->nprobes; i++) {
		struct probe *p = &c->probes[i];
		if (!p->has_serial || p == ref)
			continue;
		int64_t behind = dns_serial_behind(ref->serial, p->serial);
		enum gl_state st = behind == INT64_MIN
		                           ? GL_CRITICAL
		                           : thresholds_eval(&c->drift, (double)behind);
		if (behind != INT64_MIN && llabs(behind) > llabs(worst))
			worst = behind;
		if (st == GL_OK)
			continue;
		probe_problem(p, st);
		if (behind == INT64_MIN)
			sb_appendf(&p->text,
			           "%s: serial %u is 2^31 from %u, order undefined "
			           "(RFC 1982)",
			           p->srv->label, p->serial, ref->serial);
		else
			sb_appendf(&p->text, "%s: serial %u is %lld %s %u (%s)", p->srv->label,
			           p->serial, llabs(behind), behind > 0 ? "behind" : "ahead of",
			           ref->serial, ref->srv->label);
	}
	return worst;
}

static void
zone_headline(struct dns_check *c, const struct probe *ref, int64_t drift)
{
	struct strbuf head = STRBUF_INIT;
	const struct probe *slow = NULL;
	size_t good = 0;

	for (size_t i = 0; i < c->nprobes; i++) {
		const struct probe *p = &c->probes[i];
		good += p->state == GL_OK;
		if (p->answered && (slow == NULL || p->seconds > slow->seconds))
			slow = p;
	}
	append_name(&head, c->zone);
	if (ref != NULL)
		sb_appendf(&head, " serial %u (%s)", ref->serial, ref->srv->label);
	sb_appendf(&head, ": %zu of %zu servers OK", good, c->nprobes);
	if (slow != NULL) {
		sb_append(&head, ", slowest ");
		format_time(&head, slow->seconds);
		sb_appendf(&head, " (%s)", slow->srv->label);
	}
	report_days(c, &head);
	output_summary(&c->out, "%s%s", c->out.summary.len ? " / " : "", sb_str(&head));
	struct pd_item it = {.label = "serial_drift",
	                     .value = (double)drift,
	                     .unknown = ref == NULL,
	                     .warn = &c->drift.warn,
	                     .crit = &c->drift.crit};
	perfdata_append(&c->out.perf, &it);
	sb_free(&head);
}

static void
zone_run(struct dns_check *c)
{
	struct dns_servers ask = {0}, prim = {0};
	struct strbuf noaddr = STRBUF_INIT;
	const struct dns_server *via = NULL;
	char mname[DNS_NAME_TEXT] = "", err[300];

	ask = c->servers;
	memset(&c->servers, 0, sizeof c->servers);
	struct dns_reply nsreply;
	struct dns_rrs ns = {0};
	zone_ns_set(c, &ask, &via, &nsreply);
	dns_rrs_add(&ns, &nsreply.msg, DNS_S_ANSWER, DNS_T_NS);
	for (size_t i = 0; i < ns.n; i++) {
		char name[DNS_NAME_TEXT];
		if (!dns_rr_first_name(&nsreply.msg, ns.v[i].rr, name))
			continue;
		size_t len = strlen(name);
		if (len > 1 && name[len - 1] == '.')
			name[len - 1] = '\0';
		zone_add_ns(c, name, &nsreply.msg, via, &noaddr);
	}
	if (c->primary != NULL &&
	    dns_servers_add(&prim, c->primary, NULL, c->port ? c->port : 53, c->family, err,
	                    sizeof err) != DNS_OK)
		output_die("DNS", GL_UNKNOWN, "--primary: %s", err);
	for (size_t i = 0; i < prim.n; i++)
		if (dns_servers_add(&c->servers, prim.v[i].addr, "primary", prim.v[i].port,
		                    c->family, err, sizeof err) != DNS_OK)
			output_die("DNS", GL_UNKNOWN, "--primary: %s", err);
	if (noaddr.len > 0) {
		output_state(&c->out, GL_CRITICAL);
		output_summary(&c->out, "no address for %s", sb_str(&noaddr));
	}
	/* RFC 1034 4.1 and RFC 2182: one nameserver is one failure away
	 * from an unreachable zone. */
	if (ns.n == 1) {
		output_state(&c->out, GL_WARNING);
		output_summary(&c->out, "%sonly one nameserver",
		               c->out.summary.len ? " / " : "");
	}
	c->nprobes = c->servers.n;
	c->probes = xcalloc(c->nprobes ? c->nprobes : 1, sizeof *c->probes);
	/* Two queries per server (SOA, NS) share what is left of -t. */
	for (size_t i = 0; i < c->nprobes; i++) {
		struct probe *p = &c->probes[i];
		p->srv = &c->servers.v[i];
		zone_probe(c, p, 2 * (c->nprobes - i), mname, sizeof mname);
		if (p->has_serial)
			zone_ns_check(c, p, &ns, 2 * (c->nprobes - i) - 1);
	}
	const struct probe *ref = zone_reference(c, mname, &prim);
	int64_t drift = zone_drift(c, ref);
	report_probes(c, false);
	zone_headline(c, ref, drift);
	dns_rrs_free(&ns);
	dns_reply_free(&nsreply);
	dns_servers_free(&ask);
	dns_servers_free(&prim);
	sb_free(&noaddr);
}

/* ---- blocklist mode -------------------------------------------------- */

/* Asks the servers in turn for name/type until one replies. */
static enum dns_status
ask_any(struct dns_check *c, const char *name, uint16_t type, size_t left, struct dns_reply *r,
        char *err, size_t errlen)
{
	enum dns_status st = DNS_ERR_ARG;

	for (size_t i = 0; i < c->servers.n; i++) {
		st = dns_query(&c->servers.v[i], name, type, c->tcp ? DNS_Q_TCP : 0,
		               share_ms(left * (c->servers.n - i)), r, err, errlen);
		if (st == DNS_OK)
			break;
	}
	return st;
}

/* The list's TXT reason for a listing, if it gives one. */
static void
dnsbl_reason(struct dns_check *c, const char *name, size_t left, struct strbuf *sb)
{
	char err[300];
	struct dns_reply r;

	if (ask_any(c, name, DNS_T_TXT, left, &r, err, sizeof err) != DNS_OK)
		return;
	struct strbuf txt = STRBUF_INIT;
	struct dns_rrs ans = {0};
	dns_rrs_add(&ans, &r.msg, DNS_S_ANSWER, 0);
	if (dns_rrset_format(&txt, &ans, DNS_T_TXT) > 0)
		sb_appendf(sb, ": %s", sb_str(&txt));
	dns_rrs_free(&ans);
	sb_free(&txt);
	dns_reply_free(&r);
}

/* Classifies each A record of a list's answer (RFC 5782 section 2.3). */
static void
dnsbl_answer(struct dns_check *c, struct probe *p, const char *zone, const char *name,
             const struct dns_msg *m, size_t left)
{
	struct strbuf codes = STRBUF_INIT;
	const char *why = NULL;

	for (size_t i = 0; i < m->nrr; i++) {
		const struct dns_rr *rr = &m->rr[i];
		if (rr->section != DNS_S_ANSWER || rr->type != DNS_T_A || rr->rdlen != 4)
			continue;
		const uint8_t *a = m->wire + rr->rdata;
		sb_appendf(&codes, "%s%u.%u.%u.%u", codes.len ? ", " : "", a[0], a[1], a[2],
		           a[3]);
		if (dns_bl_classify(a) != DNS_BL_LISTED)
			why = dns_bl_explain(a);
	}
	if (codes.len == 0) {
		sb_appendf(&p->text, "%s: not listed (no A record)", zone);
	} else if (why != NULL) {
		p->state = GL_WARNING;
		sb_appendf(&p->text, "%s: %s (%s)", zone, why, sb_str(&codes));
	} else {
		p->state = GL_CRITICAL;
		sb_appendf(&p->text, "listed on %s (%s", zone, sb_str(&codes));
		dnsbl_reason(c, name, left, &p->text);
		sb_append(&p->text, ")");
	}
	sb_free(&codes);
}

static void
dnsbl_one(struct dns_check *c, struct probe *p, const char *zone, size_t left)
{
	struct strbuf name = STRBUF_INIT;
	struct dns_reply r;
	char err[300];

	dns_reverse_name(c->host, zone, &name);
	enum dns_status st = ask_any(c, sb_str(&name), DNS_T_A, left, &r, err, sizeof err);
	p->seconds = r.seconds;
	p->answered = st == DNS_OK;
	int rcode = st == DNS_OK ? (int)r.msg.rcode : -1;
	if (st != DNS_OK) {
		p->state = GL_WARNING;
		sb_appendf(&p->text, "%s: list error: %s", zone, err);
	} else if (rcode == DNS_R_NXDOMAIN) {
		sb_appendf(&p->text, "%s: not listed", zone);
	} else if (rcode != DNS_R_NOERROR) {
		p->state = GL_WARNING;
		sb_appendf(&p->text, "%s: list error: %s", zone, dns_rcode_name(rcode));
	} else {
		dnsbl_answer(c, p, zone, sb_str(&name), &r.msg, left);
	}
	output_debug(1, "dnsbl: %s: %s", sb_str(&name), sb_str(&p->text));
	dns_reply_free(&r);
	sb_free(&name);
}

static void
dnsbl_run(struct dns_check *c)
{
	size_t listed = 0, errors = 0;
	double total = 0;

	c->nprobes = c->ndnsbl;
	c->probes = xcalloc(c->nprobes, sizeof *c->probes);
	for (size_t i = 0; i < c->ndnsbl; i++) {
		struct probe *p = &c->probes[i];
		dnsbl_one(c, p, c->dnsbl[i], c->ndnsbl - i);
		listed += p->state == GL_CRITICAL;
		errors += p->state == GL_WARNING;
		total += p->seconds;
		output_state(&c->out, p->state);
		if (p->state != GL_OK)
			output_summary(&c->out, "%s%s", c->out.summary.len ? " / " : "",
			               sb_str(&p->text));
		output_long(&c->out, "[%s] %s", state_name(p->state), sb_str(&p->text));
	}
	if (listed)
		output_summary(&c->out, "%s%s listed on %zu of %zu lists",
		               c->out.summary.len ? " / " : "", c->host, listed, c->ndnsbl);
	else
		output_summary(&c->out, "%s%s not listed on %zu list%s",
		               c->out.summary.len ? " / " : "", c->host, c->ndnsbl,
		               c->ndnsbl > 1 ? "s" : "");
	if (errors)
		output_summary(&c->out, ", %zu list error%s", errors, errors > 1 ? "s" : "");
	struct pd_item items[] = {
	        {.label = "listed",
	         .value = (double)listed,
	         .has_min = true,
	         .has_max = true,
	         .max = (double)c->ndnsbl},
	        {.label = "list_errors",
	         .value = (double)errors,
	         .has_min = true,
	         .has_max = true,
	         .max = (double)c->ndnsbl},
	        {.label = "time", .value = total, .uom = "s", .has_min = true},
	};
	for (size_t i = 0; i < 3; i++)
		perfdata_append(&c->out.perf, &items[i]);
}

/* check_dig's spelling is recognised by the name check_dig, or by -l
 * NAME (--lookup), the one option check_dig requires and check_dns lacks. */
static bool
dig_spelling(int argc, char **argv)
{
	const char *base = argc > 0 ? strrchr(argv[0], '/') : NULL;

	if (argc > 0 && strcmp(base ? base + 1 : argv[0], "check_dig") == 0)
		return true;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			break;
		if (strncmp(argv[i], "-l", 2) == 0 || strcmp(argv[i], "--lookup") == 0 ||
		    strncmp(argv[i], "--lookup=", 9) == 0)
			return true;
	}
	return false;
}

/* The option table with check_dig's -A; the AA requirement keeps its
 * long name. */
static const struct plugin_desc *
dig_desc(void)
{
	static struct opt_spec opts[sizeof dns_opts / sizeof dns_opts[0] + 1];
	static struct plugin_desc pd;
	size_t n = 0;

	for (const struct opt_spec *s = dns_opts; s->key != 0; s++)
		opts[n++] = s->key == 'A' ? dig_opt_A : *s;
	opts[n++] = (struct opt_spec){OPT_EXPECT_AA, "expect-authority", no_argument, NULL,
	                              "The answer must be authoritative (AA bit)."};
	opts[n] = (struct opt_spec)OPT_END;
	pd = dns_desc;
	pd.opts = opts;
	return &pd;
}

/* ---- main ------------------------------------------------------------ */

static void
load_anchors(struct dns_check *c)
{
	char err[300];
	const char *path = c->anchor_file ? c->anchor_file : DEFAULT_ANCHOR;

	if (dnssec_load(err, sizeof err) != 0)
		output_die("DNS", GL_UNKNOWN, "--dnssec: %s", err);
	if (dnssec_anchors_read(path, &c->anchors, err, sizeof err) != 0)
		output_die("DNS", GL_UNKNOWN, "--trust-anchor: %s", err);
}

static void
lookup_report(struct dns_check *c)
{
	report_probes(c, true);
	report_days(c, NULL);
}

static void
check_free(struct dns_check *c)
{
	probes_free(c);
	dns_servers_free(&c->servers);
	dnssec_anchors_free(c->anchors);
	for (size_t i = 0; i < c->nexpect; i++)
		dns_expect_free(&c->exp[i]);
	for (size_t i = 0; i < c->nsplit; i++)
		free(c->split[i]);
	sb_free(&c->dig_ignored);
	for (size_t i = 0; i < c->nnsmap; i++)
		free((char *)c->nsmap[i].name);
	free(c->qname);
}

int
main(int argc, char **argv)
{
	struct dns_check c = {.qtype = DNS_T_A};
	struct opts o;
	const char *arg;
	int key;

	c.dig_spelling = dig_spelling(argc, argv);
	opts_init(&o, c.dig_spelling ? dig_desc() : &dns_desc, argc, argv);
	while ((key = opts_next(&o, &arg)) != -1)
		parse_opt(&o, &c, key, arg);
	c.family = o.family;
	if (!c.days.warn.set && !c.days.crit.set)
		opts_thresholds(&o, "7,3", OPTS_BELOW, &c.days);
	if (!c.drift.warn.set && !c.drift.crit.set)
		opts_thresholds(&o, "0", OPTS_ABOVE, &c.drift);
	validate_opts(&o, &c);
	opts_done(&o);

	output_init(&c.out, "DNS");
	if (c.dnssec)
		load_anchors(&c);
	load_servers(&c);
	if (c.zone != NULL)
		zone_run(&c);
	else if (c.ndnsbl > 0)
		dnsbl_run(&c);
	else {
		lookup_run(&c);
		lookup_report(&c);
	}
	check_free(&c);
	output_exit(&c.out);
}

/* The DNSSEC validator (dnsval.h) on ldns: the replies come from
 * dns_query(), glance's own deadline-bounded queries, and are handed to
 * ldns as wire to verify signatures and denials. */
#include "dnsval.h"

#include <errno.h>
#include <ldns/ldns.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dns.h"

/* Behind the opaque type of dnssec.h. */
struct dns_anchors {
	ldns_rr_list *list;
};

/* A reply as ldns sees it; NULL when ldns does not take it. */
static ldns_pkt *
sec_pkt(const struct dns_msg *m)
{
	ldns_pkt *pkt = NULL;

	if (m->wire == NULL || ldns_wire2pkt(&pkt, m->wire, m->len) != LDNS_STATUS_OK)
		return NULL;
	return pkt;
}

static enum dns_status
anchors_list_read(const char *path, ldns_rr_list **anchors, char *err, size_t errlen)
{
	FILE *fp = fopen(path, "r");
	uint32_t ttl = 3600;
	ldns_rdf *origin = NULL, *prev = NULL;
	int line = 0;
	enum dns_status st = DNS_OK;

	*anchors = NULL;
	if (fp == NULL) {
		snprintf(err, errlen, "cannot open trust anchor file %s: %s", path,
		         strerror(errno));
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

int
dnsval_anchors_read(const char *path, struct dns_anchors **anchors, char *err, size_t errlen)
{
	ldns_rr_list *list = NULL;

	*anchors = NULL;
	if (anchors_list_read(path, &list, err, errlen) != DNS_OK)
		return -1;
	*anchors = xcalloc(1, sizeof **anchors);
	(*anchors)->list = list;
	return 0;
}

void
dnsval_anchors_free(struct dns_anchors *anchors)
{
	if (anchors == NULL)
		return;
	ldns_rr_list_deep_free(anchors->list);
	free(anchors);
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

static void sec_fail(struct sec_ctx *c, enum dns_sec_verdict v, const char *fmt, ...)
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
	ldns_pkt *pkt = sec_pkt(&r.msg);
	dns_reply_free(&r);
	if (pkt == NULL) {
		sec_fail(c, DNS_SEC_ERROR, "cannot fetch %s: ldns does not take the reply",
		         name);
		return -1;
	}
	*set = ldns_pkt_rr_list_by_name_and_type(pkt, owner, type, LDNS_SECTION_ANSWER);
	*sigs = sigs_covering(ldns_pkt_answer(pkt), owner, type);
	ldns_pkt_free(pkt);
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
		rc = sec_keys_vouched(c, &l, c->anchors, zone, "the trust anchor") == 0 ? 1
		                                                                        : -1;
		goto out;
	}
	if (ldns_dname_label_count(l.signer) == 0) {
		sec_fail(c, DNS_SEC_INSECURE, "no trust anchor for the root key");
		goto out;
	}
	if (sec_fetch(c, l.signer, LDNS_RR_TYPE_DS, &l.ds, &l.dssigs) != 0)
		goto out;
	if (ldns_rr_list_rr_count(l.ds) == 0) {
		sec_fail(c, DNS_SEC_INSECURE,
		         "no DS for %s at its parent and no trust anchor "
		         "for it: the chain of trust is broken",
		         zone);
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
	const ldns_rr_list *list =
	        which == LDNS_SECTION_ANSWER ? ldns_pkt_answer(pkt) : ldns_pkt_authority(pkt);
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
		ldns_rr_list *set =
		        ldns_pkt_rr_list_by_name_and_type(pkt, ldns_rr_owner(rr), t, which);
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
	ldns_rr_list *nsec =
	        ldns_pkt_rr_list_by_type(pkt, LDNS_RR_TYPE_NSEC, LDNS_SECTION_AUTHORITY);
	ldns_rr_list *nsec3 =
	        ldns_pkt_rr_list_by_type(pkt, LDNS_RR_TYPE_NSEC3, LDNS_SECTION_AUTHORITY);
	ldns_rr_list *sigs =
	        ldns_pkt_rr_list_by_type(pkt, LDNS_RR_TYPE_RRSIG, LDNS_SECTION_AUTHORITY);
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

/* Validates the answer, or for a negative one the authority section and
 * the proof of absence. */
static void
sec_validate_pkt(struct sec_ctx *c, const ldns_pkt *pkt)
{
	int rcode = ldns_pkt_get_rcode(pkt);
	int n;

	if (ldns_rr_list_rr_count(ldns_pkt_answer(pkt)) > 0) {
		sec_section(c, pkt, LDNS_SECTION_ANSWER);
		return;
	}
	if (rcode != LDNS_RCODE_NOERROR && rcode != LDNS_RCODE_NXDOMAIN) {
		sec_fail(c, DNS_SEC_ERROR, "a %s reply has nothing to validate",
		         dns_rcode_name(rcode));
		return;
	}
	/* NXDOMAIN or NODATA: the SOA and the NSEC/NSEC3 records. */
	if ((n = sec_section(c, pkt, LDNS_SECTION_AUTHORITY)) < 0)
		return;
	if (n == 0)
		sec_fail(c, DNS_SEC_INSECURE, "the negative answer carries no signed records");
	else
		sec_denial(c, pkt);
}

void
dnsval_validate(const struct dns_server *srv, const struct dns_msg *reply,
                const struct dns_anchors *anchors, unsigned flags, int budget_ms,
                struct dns_sec_result *res)
{
	struct sec_ctx c = {srv, anchors->list, flags, budget_ms, time(NULL), res};
	ldns_pkt *pkt = sec_pkt(reply);

	memset(res, 0, sizeof *res);
	res->verdict = DNS_SEC_SECURE;
	if (pkt == NULL) {
		sec_fail(&c, DNS_SEC_ERROR, "ldns does not take the reply");
		return;
	}
	sec_validate_pkt(&c, pkt);
	ldns_pkt_free(pkt);
}

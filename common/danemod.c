/* glance's DANE module (dane.so): the TLSA lookup of dane.h, with the DNS
 * code (dns.c) and ldns it needs, loaded by the plugin only when --dane
 * is asked (danemod.h). */
#include "danemod.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dns.h"
#include "strbuf.h"

/* Copies the TLSA records of the answer section into out. */
static void
dane_collect(const ldns_pkt *pkt, struct cert_dane *out)
{
	const ldns_rr_list *ans = ldns_pkt_answer(pkt);
	size_t n = ans ? ldns_rr_list_rr_count(ans) : 0;
	struct cert_tlsa *rr = xcalloc(n + 1, sizeof *rr);

	out->n = 0;
	for (size_t i = 0; i < n; i++) {
		const ldns_rr *r = ldns_rr_list_rr(ans, i);
		if (ldns_rr_get_type(r) != LDNS_RR_TYPE_TLSA || ldns_rr_rd_count(r) != 4)
			continue;
		const ldns_rdf *u = ldns_rr_rdf(r, 0), *s = ldns_rr_rdf(r, 1),
		               *m = ldns_rr_rdf(r, 2), *d = ldns_rr_rdf(r, 3);
		if (ldns_rdf_size(u) != 1 || ldns_rdf_size(s) != 1 || ldns_rdf_size(m) != 1)
			continue;
		struct cert_tlsa *t = &rr[out->n++];
		t->usage = ldns_rdf_data(u)[0];
		t->selector = ldns_rdf_data(s)[0];
		t->mtype = ldns_rdf_data(m)[0];
		t->len = ldns_rdf_size(d);
		t->data = xmalloc(t->len ? t->len : 1);
		memcpy(t->data, ldns_rdf_data(d), t->len);
	}
	out->rr = rr;
}

static int
dane_servers(const struct dane_query *q, struct dns_servers *sv, char *err, size_t errlen)
{
	enum dns_status st =
	        q->server != NULL
	                ? dns_servers_add(sv, q->server, NULL, 53, q->family, err, errlen)
	                : dns_servers_system(sv, NULL, 53, q->family, err, errlen);

	if (st == DNS_OK && sv->n == 0) {
		snprintf(err, errlen, "no DNS server to ask for TLSA records");
		return -1;
	}
	return st == DNS_OK ? 0 : -1;
}

/* Checks the reply and proves it; 0 when it is secure and has records. */
static int
dane_judge(const struct dane_query *q, const struct dns_server *srv, const ldns_pkt *pkt,
           const char *qname, struct cert_dane *out, char *err, size_t errlen)
{
	ldns_rr_list *anchors = NULL;
	struct dns_sec_result sec;

	if (ldns_pkt_get_rcode(pkt) != LDNS_RCODE_NOERROR &&
	    ldns_pkt_get_rcode(pkt) != LDNS_RCODE_NXDOMAIN) {
		snprintf(err, errlen, "TLSA query for %s failed: rcode %d", qname,
		         (int)ldns_pkt_get_rcode(pkt));
		return -1;
	}
	dane_collect(pkt, out);
	if (out->n == 0) {
		snprintf(err, errlen, "no TLSA records for %s", qname);
		return -1;
	}
	const char *af = q->anchor_file ? q->anchor_file : DANE_ROOT_ANCHOR;
	if (dns_anchors_read(af, &anchors, err, errlen) != DNS_OK)
		return -1;
	dns_sec_validate(srv, pkt, anchors, 0, 0, &sec);
	ldns_rr_list_deep_free(anchors);
	if (sec.verdict != DNS_SEC_SECURE) {
		snprintf(err, errlen, "the TLSA answer for %s is not DNSSEC-secure: %s", qname,
		         sec.reason);
		return -1;
	}
	return 0;
}

static int
danemod_lookup(const struct dane_query *q, struct cert_dane *out, char *err, size_t errlen)
{
	struct dns_servers sv = {0};
	struct dns_reply reply = {0};
	char qname[300];
	int rc = -1;

	memset(out, 0, sizeof *out);
	snprintf(qname, sizeof qname, "_%u._tcp.%s", q->port, q->name);
	if (dane_servers(q, &sv, err, errlen) != 0)
		goto out;
	/* The next server only when one does not answer at all; an answer,
	 * even a bad one, is judged. */
	size_t i = 0;
	enum dns_status st = DNS_ERR_NET;
	for (; i < sv.n && st != DNS_OK; i++)
		st = dns_query(&sv.v[i], qname, LDNS_RR_TYPE_TLSA, DNS_Q_DO, 0, &reply, err,
		               errlen);
	if (st != DNS_OK)
		goto out;
	rc = dane_judge(q, &sv.v[i - 1], reply.pkt, qname, out, err, errlen);
out:
	dns_reply_free(&reply);
	dns_servers_free(&sv);
	return rc;
}

static const struct danemod_ops danemod_ops = {
        .abi = DANEMOD_ABI,
        .lookup = danemod_lookup,
};

const struct danemod_ops *
glance_dane_module(unsigned abi)
{
	return abi == DANEMOD_ABI ? &danemod_ops : NULL;
}

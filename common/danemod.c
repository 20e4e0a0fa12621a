/* glance's DANE module (dane.so): the TLSA lookup of dane.h, with the DNS
 * code (dns.c, dnswire.c) and the DNSSEC validator on ldns (dnsval.c) it
 * needs, loaded by the plugin only when --dane is asked (danemod.h). */
#include "danemod.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dns.h"
#include "dnsval.h"
#include "strbuf.h"

/* Copies the TLSA records of the answer section into out. */
static void
dane_collect(const struct dns_msg *m, struct cert_dane *out)
{
	struct cert_tlsa *rr = xcalloc(m->nrr + 1, sizeof *rr);

	out->n = 0;
	for (size_t i = 0; i < m->nrr; i++) {
		const struct dns_rr *r = &m->rr[i];
		/* usage, selector, matching type, then the data (RFC 6698 2.1) */
		if (r->section != DNS_S_ANSWER || r->type != DNS_T_TLSA || r->rdlen < 3)
			continue;
		const uint8_t *d = m->wire + r->rdata;
		struct cert_tlsa *t = &rr[out->n++];
		t->usage = d[0];
		t->selector = d[1];
		t->mtype = d[2];
		t->len = r->rdlen - 3u;
		t->data = xmalloc(t->len ? t->len : 1);
		memcpy(t->data, d + 3, t->len);
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
dane_judge(const struct dane_query *q, const struct dns_server *srv, const struct dns_msg *m,
           const char *qname, struct cert_dane *out, char *err, size_t errlen)
{
	struct dns_anchors *anchors = NULL;
	struct dns_sec_result sec;

	if (m->rcode != DNS_R_NOERROR && m->rcode != DNS_R_NXDOMAIN) {
		snprintf(err, errlen, "TLSA query for %s failed: rcode %u", qname, m->rcode);
		return -1;
	}
	dane_collect(m, out);
	if (out->n == 0) {
		snprintf(err, errlen, "no TLSA records for %s", qname);
		return -1;
	}
	const char *af = q->anchor_file ? q->anchor_file : DANE_ROOT_ANCHOR;
	if (dnsval_anchors_read(af, &anchors, err, errlen) != 0)
		return -1;
	dnsval_validate(srv, m, anchors, 0, 0, &sec);
	dnsval_anchors_free(anchors);
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
		st = dns_query(&sv.v[i], qname, DNS_T_TLSA, DNS_Q_DO, 0, &reply, err, errlen);
	if (st != DNS_OK)
		goto out;
	rc = dane_judge(q, &sv.v[i - 1], &reply.msg, qname, out, err, errlen);
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

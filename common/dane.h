/* DANE (RFC 6698, RFC 7671): fetching the TLSA RRset of a TLS service
 * and proving it with DNSSEC. The matching of the RRset against a chain
 * is part of certcheck (struct cert_dane). */
#ifndef GLANCE_DANE_H
#define GLANCE_DANE_H

#include <stddef.h>

#include "certcheck.h"

/* The default DNSSEC trust anchor: the root key of Debian's dns-root-data. */
#define DANE_ROOT_ANCHOR "/usr/share/dns/root.key"

struct dane_query {
	const char *name;        /* the service's host name (TLSA base domain) */
	unsigned port;           /* "_PORT._tcp.NAME" (RFC 6698 section 3) */
	const char *server;      /* "ADDR[@PORT]"; NULL: /etc/resolv.conf */
	const char *anchor_file; /* DS/DNSKEY records; NULL: DANE_ROOT_ANCHOR */
	int family;              /* for the server's address */
};

/* Fills out with the TLSA records if the answer is DNSSEC-secure and has
 * at least one usable record. Returns 0, or -1 with the reason in err
 * ("no TLSA records for _443._tcp.www.example.test", "the TLSA answer is
 * insecure: ..."), or -2 when the lookup cannot be made at all (the DANE
 * module, dane.so, does not load: "cannot load the DANE module ...").
 * Free with dane_free() in every case. */
int dane_lookup(const struct dane_query *q, struct cert_dane *out, char *err, size_t errlen);

void dane_free(struct cert_dane *d);

#endif

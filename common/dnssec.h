/* DNSSEC validation of a reply (RFC 4033, 4034, 4035; NSEC3 RFC 5155),
 * for check_dns --dnssec.
 *
 * The validator (dnsval.c) is built on ldns, and ldns brings libcrypto,
 * whose binding costs more than a whole lookup. So it is a private
 * module, dnssec.so (dnssecmod.h), that these functions load with
 * dlopen() on their first call: a run without --dnssec binds neither.
 * The types are plain so the plugin needs no ldns header. */
#ifndef GLANCE_DNSSEC_H
#define GLANCE_DNSSEC_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "dns.h"

enum dns_sec_verdict {
	DNS_SEC_SECURE,
	DNS_SEC_INSECURE, /* unsigned, or no DS chain up to a trust anchor */
	DNS_SEC_BOGUS,    /* a signature or DS that does not verify, or expired */
	DNS_SEC_ERROR,    /* the keys could not be fetched */
};

struct dns_sec_result {
	enum dns_sec_verdict verdict;
	char reason[256];
	bool have_expiry;
	time_t expiry;         /* the earliest RRSIG expiration seen on the chain */
	char expiry_what[160]; /* "example.test DNSKEY" */
};

/* Loads the module, once: 0, or -1 with "cannot load the DNSSEC module
 * /usr/lib/glance/dnssec.so: ..." in err. dnssec_anchors_read() calls it
 * too; a plugin calls it first to tell that failure from a bad file. */
int dnssec_load(char *err, size_t errlen);

/* DS and DNSKEY records to trust, read by the validator (opaque here). */
struct dns_anchors;

/* Reads DS and DNSKEY records (zone file syntax, as in root.key) from
 * path; other records are skipped. -1 with the reason in err when there
 * are none, the file does not parse, or the module does not load
 * ("cannot load the DNSSEC module /usr/lib/glance/dnssec.so: ..."). */
int dnssec_anchors_read(const char *path, struct dns_anchors **anchors, char *err,
                        size_t errlen);
void dnssec_anchors_free(struct dns_anchors *anchors);

/* Validates every RRset in the answer section of reply (queried with
 * DNS_Q_DO) up to one of the anchors: each signer's DNSKEY RRset and the
 * DS RRsets above it are fetched from srv with the same query rules.
 * Signature times are checked against now. A negative answer (NXDOMAIN
 * or NODATA) has its authority section validated instead, and its NSEC
 * or NSEC3 records must prove the absence. anchors come from
 * dnssec_anchors_read(), which loaded the module. */
void dnssec_validate(const struct dns_server *srv, const struct dns_msg *reply,
                     const struct dns_anchors *anchors, unsigned flags, int budget_ms,
                     struct dns_sec_result *res);

#endif

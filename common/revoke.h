/* Certificate revocation by OCSP (RFC 6960): judging a response, stapled
 * (RFC 6066 section 8) or fetched from the responder named in the
 * certificate's Authority Information Access, within the run's deadline.
 *
 * "Revoked" and "revocation unknown" (no answer, responder error, the
 * responder does not know the certificate) are different results: the
 * first is a fact about the certificate, the second about the check. */
#ifndef GLANCE_REVOKE_H
#define GLANCE_REVOKE_H

#include <stddef.h>
#include <time.h>

#include <openssl/x509.h>

enum revoke_verdict {
	REVOKE_GOOD = 0,
	REVOKE_REVOKED,
	REVOKE_UNKNOWN, /* no usable answer: revocation status unknown */
	REVOKE_INVALID, /* an answer that is forged, stale or for another cert */
};

struct revoke_result {
	enum revoke_verdict verdict;
	char text[300]; /* "good, next update 2026-11-26", "revoked on ..." */
	time_t revoked_at;
	time_t next_update; /* 0 when the response has none */
};

/* Judges a DER OCSP response for cert, issued by issuer. The responder's
 * signature is checked against store, with untrusted as extra chain
 * certificates; thisUpdate/nextUpdate against the clock (5 minutes of
 * slack). */
void revoke_judge(const unsigned char *der, long len, X509 *cert, X509 *issuer,
                  STACK_OF(X509) * untrusted, X509_STORE *store, struct revoke_result *r);

/* Asks the first http:// OCSP responder in cert's AIA by POST (with a
 * nonce) and judges the answer; the wait ends with the run's deadline. */
void revoke_fetch(X509 *cert, X509 *issuer, STACK_OF(X509) * untrusted, X509_STORE *store,
                  struct revoke_result *r);

#endif

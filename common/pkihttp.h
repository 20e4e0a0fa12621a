/* HTTP for PKI objects: OCSP answers (RFC 6960 appendix A) and issuer
 * certificates named in Authority Information Access (RFC 5280 4.2.2.1).
 * OpenSSL's own HTTP client does the protocol, non-blocking on a socket
 * from net.c, so the wait is bounded by the run's deadline like any other. */
#ifndef GLANCE_PKIHTTP_H
#define GLANCE_PKIHTTP_H

#include <stddef.h>

#include <openssl/asn1.h>

/* A response bigger than this is not one certificate or OCSP answer. */
#define PKIHTTP_MAX_RESPONSE (64 * 1024)

/* POSTs req (DER of req_it, as req_type) to an http:// url, or GETs it
 * when req is NULL, and decodes the answer as resp_it (expecting
 * resp_type, or any type when NULL). Returns the object, or NULL with the
 * reason in err ("http://...: timeout"). */
ASN1_VALUE *pkihttp_exchange(const char *url, const char *req_type, const ASN1_ITEM *req_it,
                             const ASN1_VALUE *req, const char *resp_type,
                             const ASN1_ITEM *resp_it, char *err, size_t errlen);

#endif

#include "revoke.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/err.h>
#include <openssl/ocsp.h>
#include <openssl/x509v3.h>

#include "output.h"
#include "pkihttp.h"
#include "strbuf.h"

/* Clock skew allowed between us and the responder (seconds). */
#define REVOKE_SLACK 300

static void revoke_set(struct revoke_result *r, enum revoke_verdict v, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

static void
revoke_set(struct revoke_result *r, enum revoke_verdict v, const char *fmt, ...)
{
	va_list ap;

	r->verdict = v;
	va_start(ap, fmt);
	vsnprintf(r->text, sizeof r->text, fmt, ap);
	va_end(ap);
}

static void
revoke_date(const ASN1_GENERALIZEDTIME *t, char *buf, size_t len, time_t *out)
{
	struct tm tm;

	memset(&tm, 0, sizeof tm);
	*out = 0;
	if (t == NULL || ASN1_TIME_to_tm(t, &tm) != 1) {
		snprintf(buf, len, "?");
		return;
	}
	*out = timegm(&tm);
	strftime(buf, len, "%Y-%m-%d %H:%M UTC", &tm);
}

/* The status of cert inside a verified basic response. */
static void
revoke_status(OCSP_BASICRESP *bs, OCSP_CERTID *id, struct revoke_result *r)
{
	int status, reason;
	ASN1_GENERALIZEDTIME *rev, *thisupd, *nextupd;
	char d[40];

	if (!OCSP_resp_find_status(bs, id, &status, &reason, &rev, &thisupd, &nextupd)) {
		revoke_set(r, REVOKE_INVALID, "the OCSP response is not for this certificate");
		return;
	}
	revoke_date(nextupd, d, sizeof d, &r->next_update);
	if (!OCSP_check_validity(thisupd, nextupd, REVOKE_SLACK, -1)) {
		revoke_set(r, REVOKE_INVALID, "the OCSP response is outdated (next update %s)",
		           nextupd ? d : "none");
		return;
	}
	switch (status) {
	case V_OCSP_CERTSTATUS_GOOD:
		revoke_set(r, REVOKE_GOOD, "good%s%s", nextupd ? ", next update " : "",
		           nextupd ? d : "");
		break;
	case V_OCSP_CERTSTATUS_REVOKED:
		revoke_date(rev, d, sizeof d, &r->revoked_at);
		revoke_set(r, REVOKE_REVOKED, "revoked on %s%s%s", d, reason >= 0 ? ", " : "",
		           reason >= 0 ? OCSP_crl_reason_str(reason) : "");
		break;
	default:
		revoke_set(r, REVOKE_UNKNOWN, "the responder does not know the certificate");
		break;
	}
}

/* Checks the response status and signature, then the certificate's entry. */
static void
revoke_judge_resp(OCSP_RESPONSE *resp, OCSP_REQUEST *req, X509 *cert, X509 *issuer,
                  STACK_OF(X509) * untrusted, X509_STORE *store, struct revoke_result *r)
{
	OCSP_BASICRESP *bs = NULL;
	OCSP_CERTID *id = NULL;
	int rs = OCSP_response_status(resp);

	if (rs != OCSP_RESPONSE_STATUS_SUCCESSFUL) {
		revoke_set(r, REVOKE_UNKNOWN, "the OCSP responder answered '%s'",
		           OCSP_response_status_str(rs));
		return;
	}
	if ((bs = OCSP_response_get1_basic(resp)) == NULL) {
		revoke_set(r, REVOKE_INVALID, "the OCSP response has no basic response");
		goto out;
	}
	if (req != NULL && OCSP_check_nonce(req, bs) == 0) {
		revoke_set(r, REVOKE_INVALID, "the OCSP response carries another nonce");
		goto out;
	}
	if (OCSP_basic_verify(bs, untrusted, store, 0) <= 0) {
		char e[160];
		ERR_error_string_n(ERR_peek_last_error(), e, sizeof e);
		revoke_set(r, REVOKE_INVALID,
		           "the OCSP response signature does not verify (%s)", e);
		goto out;
	}
	if ((id = OCSP_cert_to_id(NULL, cert, issuer)) == NULL) {
		revoke_set(r, REVOKE_UNKNOWN, "cannot build the OCSP certificate id");
		goto out;
	}
	revoke_status(bs, id, r);
out:
	OCSP_CERTID_free(id);
	OCSP_BASICRESP_free(bs);
	ERR_clear_error();
}

void
revoke_judge(const unsigned char *der, long len, X509 *cert, X509 *issuer,
             STACK_OF(X509) * untrusted, X509_STORE *store, struct revoke_result *r)
{
	const unsigned char *p = der;
	OCSP_RESPONSE *resp = d2i_OCSP_RESPONSE(NULL, &p, len);

	memset(r, 0, sizeof *r);
	if (resp == NULL) {
		revoke_set(r, REVOKE_INVALID, "the OCSP response does not parse");
		ERR_clear_error();
		return;
	}
	revoke_judge_resp(resp, NULL, cert, issuer, untrusted, store, r);
	OCSP_RESPONSE_free(resp);
}

/* The first http:// OCSP URL of cert's AIA, malloc'd, or NULL. */
static char *
revoke_url(X509 *cert)
{
	STACK_OF(OPENSSL_STRING) *urls = X509_get1_ocsp(cert);
	char *url = NULL;

	for (int i = 0; i < sk_OPENSSL_STRING_num(urls) && url == NULL; i++) {
		const char *u = sk_OPENSSL_STRING_value(urls, i);
		if (strncasecmp(u, "http://", 7) == 0)
			url = xstrdup(u);
	}
	X509_email_free(urls);
	return url;
}

void
revoke_fetch(X509 *cert, X509 *issuer, STACK_OF(X509) * untrusted, X509_STORE *store,
             struct revoke_result *r)
{
	OCSP_REQUEST *req = OCSP_REQUEST_new();
	OCSP_CERTID *id = OCSP_cert_to_id(NULL, cert, issuer);
	OCSP_RESPONSE *resp = NULL;
	char *url = revoke_url(cert), err[300];

	memset(r, 0, sizeof *r);
	if (url == NULL) {
		revoke_set(r, REVOKE_UNKNOWN, "the certificate names no OCSP responder");
		OCSP_CERTID_free(id);
		goto out;
	}
	if (req == NULL || id == NULL || OCSP_request_add0_id(req, id) == NULL) {
		OCSP_CERTID_free(id);
		revoke_set(r, REVOKE_UNKNOWN, "cannot build the OCSP request");
		goto out;
	}
	if (!OCSP_request_add1_nonce(req, NULL, -1)) {
		revoke_set(r, REVOKE_UNKNOWN, "cannot build the OCSP request");
		goto out;
	}
	output_debug(1, "OCSP: asking %s", url);
	resp = (OCSP_RESPONSE *)pkihttp_exchange(
	        url, "application/ocsp-request", ASN1_ITEM_rptr(OCSP_REQUEST),
	        (const ASN1_VALUE *)req, "application/ocsp-response",
	        ASN1_ITEM_rptr(OCSP_RESPONSE), err, sizeof err);
	if (resp == NULL) {
		revoke_set(r, REVOKE_UNKNOWN, "OCSP responder %s", err);
		goto out;
	}
	revoke_judge_resp(resp, req, cert, issuer, untrusted, store, r);
out:
	OCSP_RESPONSE_free(resp);
	OCSP_REQUEST_free(req);
	free(url);
	ERR_clear_error();
}

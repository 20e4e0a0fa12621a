#include "revoke.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>
#include <openssl/err.h>
#include <openssl/ocsp.h>
#include <openssl/x509v3.h>

#include "deadline.h"
#include "strbuf.h"

/* A response bigger than this is not an OCSP answer for one certificate. */
#define REVOKE_MAX_RESPONSE (64 * 1024)
/* Clock skew allowed between us and the responder (seconds). */
#define REVOKE_SLACK 300

static void
revoke_set(struct revoke_result *r, enum revoke_verdict v, const char *fmt, ...)
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
		  STACK_OF(X509) *untrusted, X509_STORE *store, struct revoke_result *r)
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
		revoke_set(r, REVOKE_INVALID, "the OCSP response signature does not verify (%s)", e);
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
	     STACK_OF(X509) *untrusted, X509_STORE *store, struct revoke_result *r)
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

/* libcurl write callback: keeps at most REVOKE_MAX_RESPONSE bytes. */
static size_t
revoke_collect(char *data, size_t size, size_t n, void *arg)
{
	struct strbuf *sb = arg;

	if (size != 1 || sb->len + n > REVOKE_MAX_RESPONSE)
		return 0;  /* ends the transfer with CURLE_WRITE_ERROR */
	sb_appendn(sb, data, n);
	return n;
}

/* POSTs der to url and collects the answer, within the deadline. */
static bool
revoke_post(const char *url, const unsigned char *der, int len, struct strbuf *body,
	    char *err, size_t errlen)
{
	CURL *h = curl_easy_init();
	struct curl_slist *hdr = NULL;
	long code = 0;
	int ms = deadline_remaining_ms();

	if (h == NULL || ms == 0) {
		snprintf(err, errlen, "%s", h == NULL ? "cannot start libcurl" : "no time left");
		curl_easy_cleanup(h);
		return false;
	}
	hdr = curl_slist_append(hdr, "Content-Type: application/ocsp-request");
	CURLcode rc = curl_easy_setopt(h, CURLOPT_URL, url);
	if (rc == CURLE_OK)
		rc = curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http");
	if (rc == CURLE_OK)
		rc = curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	if (rc == CURLE_OK)
		rc = curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, (long)ms);
	if (rc == CURLE_OK)
		rc = curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr);
	if (rc == CURLE_OK)
		rc = curl_easy_setopt(h, CURLOPT_POSTFIELDS, (const char *)der);
	if (rc == CURLE_OK)
		rc = curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, (long)len);
	if (rc == CURLE_OK)
		rc = curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, revoke_collect);
	if (rc == CURLE_OK)
		rc = curl_easy_setopt(h, CURLOPT_WRITEDATA, body);
	if (rc == CURLE_OK)
		rc = curl_easy_perform(h);
	if (rc == CURLE_OK && curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code) == CURLE_OK &&
	    code != 200) {
		snprintf(err, errlen, "%s: HTTP status %ld", url, code);
		rc = CURLE_HTTP_RETURNED_ERROR;
	} else if (rc != CURLE_OK) {
		snprintf(err, errlen, "%s: %s", url,
			 rc == CURLE_OPERATION_TIMEDOUT ? "timeout" : curl_easy_strerror(rc));
	}
	curl_slist_free_all(hdr);
	curl_easy_cleanup(h);
	return rc == CURLE_OK;
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
revoke_fetch(X509 *cert, X509 *issuer, STACK_OF(X509) *untrusted, X509_STORE *store,
	     struct revoke_result *r)
{
	OCSP_REQUEST *req = OCSP_REQUEST_new();
	OCSP_CERTID *id = OCSP_cert_to_id(NULL, cert, issuer);
	unsigned char *der = NULL;
	struct strbuf body = STRBUF_INIT;
	char *url = revoke_url(cert), err[300];
	int len;

	memset(r, 0, sizeof *r);
	if (url == NULL) {
		revoke_set(r, REVOKE_UNKNOWN, "the certificate names no OCSP responder");
		goto out;
	}
	if (req == NULL || id == NULL || OCSP_request_add0_id(req, id) == NULL ||
	    !OCSP_request_add1_nonce(req, NULL, -1) || (len = i2d_OCSP_REQUEST(req, &der)) <= 0) {
		if (req == NULL || OCSP_request_onereq_count(req) == 0)
			OCSP_CERTID_free(id);
		revoke_set(r, REVOKE_UNKNOWN, "cannot build the OCSP request");
		goto out;
	}
	if (!revoke_post(url, der, len, &body, err, sizeof err)) {
		revoke_set(r, REVOKE_UNKNOWN, "OCSP responder %s", err);
		goto out;
	}
	const unsigned char *p = (const unsigned char *)body.buf;
	OCSP_RESPONSE *resp = d2i_OCSP_RESPONSE(NULL, &p, (long)body.len);
	if (resp == NULL)
		revoke_set(r, REVOKE_UNKNOWN, "OCSP responder %s: the answer does not parse", url);
	else
		revoke_judge_resp(resp, req, cert, issuer, untrusted, store, r);
	OCSP_RESPONSE_free(resp);
out:
	OPENSSL_free(der);
	OCSP_REQUEST_free(req);
	sb_free(&body);
	free(url);
	ERR_clear_error();
}

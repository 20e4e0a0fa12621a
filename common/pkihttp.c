#include "pkihttp.h"

#include <poll.h>
#include <stdio.h>
#include <sys/socket.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/http.h>

#include "net.h"

/* Drives the non-blocking client; every wait is for the direction the
 * socket BIO asked for, within the deadline. */
static ASN1_VALUE *
pkihttp_drive(struct net_conn *c, OSSL_HTTP_REQ_CTX *rctx, BIO *bio, const ASN1_ITEM *it,
              const char *url, char *err, size_t errlen)
{
	ASN1_VALUE *val = NULL;

	for (;;) {
		int rc = OSSL_HTTP_REQ_CTX_nbio_d2i(rctx, &val, it);
		if (rc == 1)
			return val;
		if (rc == 0) {
			char e[160];
			ERR_error_string_n(ERR_peek_last_error(), e, sizeof e);
			snprintf(err, errlen, "%s: %s", url, e);
			return NULL;
		}
		enum net_status st = net_wait(c->fd, BIO_should_write(bio) ? POLLOUT : POLLIN);
		if (st != NET_OK) {
			snprintf(err, errlen, "%s: %s", url, net_strerror(st));
			return NULL;
		}
	}
}

ASN1_VALUE *
pkihttp_exchange(const char *url, const char *req_type, const ASN1_ITEM *req_it,
                 const ASN1_VALUE *req, const char *resp_type, const ASN1_ITEM *resp_it,
                 char *err, size_t errlen)
{
	char *host = NULL, *port = NULL, *path = NULL;
	int use_ssl = 0, portnum = 0;
	struct net_conn c;
	OSSL_HTTP_REQ_CTX *rctx = NULL;
	BIO *bio = NULL;
	ASN1_VALUE *resp = NULL;

	net_conn_init(&c);
	if (!OSSL_HTTP_parse_url(url, &use_ssl, NULL, &host, &port, &portnum, &path, NULL,
	                         NULL) ||
	    use_ssl) {
		snprintf(err, errlen, "%s: not an http:// URL", url);
		goto out;
	}
	if (net_connect(&c, host, (unsigned)portnum, AF_UNSPEC, err, errlen) != NET_OK)
		goto out;
	if ((bio = BIO_new_socket(c.fd, BIO_NOCLOSE)) == NULL ||
	    (rctx = OSSL_HTTP_REQ_CTX_new(bio, bio, 0)) == NULL ||
	    !OSSL_HTTP_REQ_CTX_set_request_line(rctx, req != NULL, NULL, NULL, path) ||
	    !OSSL_HTTP_REQ_CTX_add1_header(rctx, "Host", host) ||
	    !OSSL_HTTP_REQ_CTX_set_expected(rctx, resp_type, 1, 0, 0) ||
	    (req != NULL && !OSSL_HTTP_REQ_CTX_set1_req(rctx, req_type, req_it, req))) {
		snprintf(err, errlen, "%s: cannot build the HTTP request", url);
		goto out;
	}
	OSSL_HTTP_REQ_CTX_set_max_response_length(rctx, PKIHTTP_MAX_RESPONSE);
	resp = pkihttp_drive(&c, rctx, bio, resp_it, url, err, errlen);
out:
	OSSL_HTTP_REQ_CTX_free(rctx);
	BIO_free(bio);
	net_close(&c);
	OPENSSL_free(host);
	OPENSSL_free(port);
	OPENSSL_free(path);
	ERR_clear_error();
	return resp;
}

#include "tls.h"

#include <arpa/inet.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

bool
tls_is_ip_literal(const char *s)
{
	unsigned char buf[16];

	return inet_pton(AF_INET, s, buf) == 1 || inet_pton(AF_INET6, s, buf) == 1;
}

void
tls_error_string(char *err, size_t errlen, const char *what)
{
	unsigned long e = ERR_get_error();
	char buf[256];

	if (e != 0) {
		ERR_error_string_n(e, buf, sizeof buf);
		snprintf(err, errlen, "%s: %s", what, buf);
	} else {
		snprintf(err, errlen, "%s", what);
	}
	ERR_clear_error();
}

/* Turns SSL_get_error() into a wait or a final status. Every retry waits
 * only for the deadline's remaining time. */
static enum net_status
tls_retry(struct net_conn *c, int rc, const char *what, char *err, size_t errlen)
{
	switch (SSL_get_error(c->ssl, rc)) {
	case SSL_ERROR_WANT_READ:
		return net_wait(c->fd, POLLIN) == NET_OK ? NET_OK : NET_ERR_TIMEOUT;
	case SSL_ERROR_WANT_WRITE:
		return net_wait(c->fd, POLLOUT) == NET_OK ? NET_OK : NET_ERR_TIMEOUT;
	case SSL_ERROR_ZERO_RETURN:
		snprintf(err, errlen, "%s: peer closed the TLS session", what);
		return NET_ERR_EOF;
	case SSL_ERROR_SYSCALL:
		if (ERR_peek_error() == 0) {
			snprintf(err, errlen, "%s: connection closed by %s", what, c->peer);
			return NET_ERR_EOF;
		}
		/* fall through */
	default:
		tls_error_string(err, errlen, what);
		return NET_ERR_TLS;
	}
}

static enum net_status
tls_read(struct net_conn *c, char *buf, size_t cap, size_t *got, char *err, size_t errlen)
{
	for (;;) {
		ERR_clear_error();
		int rc = SSL_read(c->ssl, buf, cap > 65536 ? 65536 : (int)cap);
		if (rc > 0) {
			*got = (size_t)rc;
			return NET_OK;
		}
		enum net_status st = tls_retry(c, rc, "TLS read", err, errlen);
		if (st != NET_OK)
			return st;
	}
}

static enum net_status
tls_write(struct net_conn *c, const void *buf, size_t len, char *err, size_t errlen)
{
	const char *p = buf;

	while (len > 0) {
		ERR_clear_error();
		int chunk = len > 65536 ? 65536 : (int)len;
		int rc = SSL_write(c->ssl, p, chunk);
		if (rc > 0) {
			p += rc;
			len -= (size_t)rc;
			continue;
		}
		enum net_status st = tls_retry(c, rc, "TLS write", err, errlen);
		if (st != NET_OK)
			return st;
	}
	return NET_OK;
}

/* Sends close_notify (without waiting for the peer's) and frees. */
static void
tls_close(struct net_conn *c)
{
	if (c->ssl != NULL) {
		/* One close_notify, no wait for the reply: a polite close that
		 * cannot hang on a peer that never answers. */
		ERR_clear_error();
		SSL_shutdown(c->ssl);
		SSL_free(c->ssl);
		c->ssl = NULL;
	}
	c->ops = NULL;
	if (c->ssl_ctx != NULL) {
		SSL_CTX_free(c->ssl_ctx);
		c->ssl_ctx = NULL;
	}
	ERR_clear_error();
}

static const struct net_ops tls_ops = {tls_read, tls_write, tls_close};

static enum net_status
tls_setup(struct net_conn *c, const struct tls_opts *o, char *err, size_t errlen)
{
	/* A plugin is one short process: OpenSSL's clean-up at exit would
	 * only free what the exit frees anyway. Nor does it need the legacy
	 * cipher table (EVP_get_cipherbyname(), for encrypted PEM keys and
	 * engines): libssl fetches its ciphers from the providers, and
	 * filling that table costs a tenth of a TLS check's CPU. Digests
	 * stay: certificate signatures are checked through the legacy
	 * digest names. First call wins; later ones are no-ops. */
	OPENSSL_init_crypto(OPENSSL_INIT_NO_ATEXIT | OPENSSL_INIT_NO_ADD_ALL_CIPHERS, NULL);
	OPENSSL_init_ssl(OPENSSL_INIT_NO_ATEXIT, NULL);
	c->ssl_ctx = SSL_CTX_new(TLS_client_method());
	if (c->ssl_ctx == NULL) {
		tls_error_string(err, errlen, "SSL_CTX_new");
		return NET_ERR_TLS;
	}
	SSL_CTX_set_verify(c->ssl_ctx, SSL_VERIFY_NONE, NULL);
	if (o->min_version != 0 && !SSL_CTX_set_min_proto_version(c->ssl_ctx, o->min_version)) {
		tls_error_string(err, errlen, "cannot set the minimum TLS version");
		return NET_ERR_TLS;
	}
	if (o->max_version != 0 && !SSL_CTX_set_max_proto_version(c->ssl_ctx, o->max_version)) {
		tls_error_string(err, errlen, "cannot set the maximum TLS version");
		return NET_ERR_TLS;
	}
	if (o->security_level_0)
		SSL_CTX_set_security_level(c->ssl_ctx, 0);
	c->ssl = SSL_new(c->ssl_ctx);
	if (c->ssl == NULL || !SSL_set_fd(c->ssl, c->fd)) {
		tls_error_string(err, errlen, "SSL_new");
		return NET_ERR_TLS;
	}
	if (o->sni != NULL && !SSL_set_tlsext_host_name(c->ssl, o->sni)) {
		tls_error_string(err, errlen, "cannot set SNI");
		return NET_ERR_TLS;
	}
	if (o->status_request && !SSL_set_tlsext_status_type(c->ssl, TLSEXT_STATUSTYPE_ocsp)) {
		tls_error_string(err, errlen, "cannot request OCSP stapling");
		return NET_ERR_TLS;
	}
	return NET_OK;
}

enum net_status
tls_start(struct net_conn *c, const struct tls_opts *o, char *err, size_t errlen)
{
	enum net_status st = tls_setup(c, o, err, errlen);

	if (st != NET_OK) {
		tls_close(c);
		return st;
	}
	/* Bytes already read ahead in plain text would belong to the TLS
	 * stream; a server that sends them is breaking STARTTLS (RFC 3207
	 * section 5), and reading on would let it inject commands. */
	if (c->rpos < c->rlen) {
		snprintf(err, errlen, "%s sent data before the TLS handshake", c->peer);
		tls_close(c);
		return NET_ERR_TLS;
	}
	for (;;) {
		ERR_clear_error();
		int rc = SSL_connect(c->ssl);
		if (rc == 1) {
			c->ops = &tls_ops;
			return NET_OK;
		}
		st = tls_retry(c, rc, "TLS handshake", err, errlen);
		if (st == NET_ERR_TIMEOUT)
			snprintf(err, errlen, "TLS handshake with %s: timeout", c->peer);
		if (st != NET_OK) {
			tls_close(c);
			return st;
		}
	}
}

const char *
tls_version(const struct net_conn *c)
{
	return c->ssl ? SSL_get_version(c->ssl) : "none";
}

const char *
tls_cipher(const struct net_conn *c)
{
	return c->ssl ? SSL_get_cipher_name(c->ssl) : "none";
}

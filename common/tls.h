/* Client TLS on OpenSSL as a layer over a struct net_conn: SNI, versions
 * and OCSP stapling, with the handshake and every record bounded by the
 * run's deadline.
 *
 * The handshake never verifies: the check wants to see the certificate
 * and report *why* it is bad (expired, self-signed, wrong host), so the
 * chain, the host name and the trust store are certcheck's alone (one
 * place that judges a certificate), and no store is read here. */
#ifndef GLANCE_TLS_H
#define GLANCE_TLS_H

#include <stdbool.h>
#include <stddef.h>

#include "net.h"

struct tls_opts {
	const char *sni;         /* server name to send; NULL: none */
	int min_version;         /* e.g. TLS1_2_VERSION; 0: library default */
	int max_version;         /* 0: library default */
	bool status_request;     /* ask for a stapled OCSP answer (RFC 6066 s. 8) */
	bool security_level_0;   /* accept SHA-1, 1024-bit RSA...: lets a check see
	                            a weak certificate and report it by policy */
};

/* Runs the client handshake on c->fd and, once it succeeds, layers TLS
 * under net_read(), net_write() and net_close() (c->ops). On failure err
 * has the reason and c is plain TCP again. */
enum net_status tls_start(struct net_conn *c, const struct tls_opts *o,
			  char *err, size_t errlen);

/* "TLSv1.3", and the cipher suite name, of the established session. */
const char *tls_version(const struct net_conn *c);
const char *tls_cipher(const struct net_conn *c);

/* True for an IPv4 or IPv6 address literal: never sent as SNI (RFC 6066
 * section 3) and matched against iPAddress names, not DNS names. */
bool tls_is_ip_literal(const char *s);

/* Appends the OpenSSL error queue's oldest reason (or fallback) to err. */
void tls_error_string(char *err, size_t errlen, const char *what);

#endif

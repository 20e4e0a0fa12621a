/* Client TLS on OpenSSL over a struct net_conn: SNI, chain verification
 * against the system store or a CA file, and host name checking, with the
 * handshake and every record bounded by the run's deadline.
 *
 * Verification never aborts the handshake: the check wants to see the
 * certificate and report *why* it is bad (expired, self-signed, wrong
 * host), so the result is read afterwards with tls_verify_result(). */
#ifndef GLANCE_TLS_H
#define GLANCE_TLS_H

#include <stdbool.h>
#include <stddef.h>

#include "net.h"

struct tls_opts {
	const char *sni;         /* server name to send; NULL: none */
	const char *verify_host; /* name to match against the certificate; NULL: skip */
	const char *ca_file;     /* NULL: the system trust store */
	const char *ca_path;
	int min_version;         /* e.g. TLS1_2_VERSION; 0: library default */
	int max_version;         /* 0: library default */
	bool status_request;     /* ask for a stapled OCSP answer (RFC 6066 s. 8) */
	bool security_level_0;   /* accept SHA-1, 1024-bit RSA...: lets a check see
				    a weak certificate and report it by policy */
	bool no_trust_store;     /* the caller verifies the chain itself (certcheck):
				    skip loading the store, ~20 ms of CPU per run;
				    tls_verify_result() is then meaningless */
};

/* Runs the client handshake on c->fd and, once it succeeds, layers TLS
 * under net_read(), net_write() and net_close() (c->ops). On failure err
 * has the reason and c is plain TCP again. */
enum net_status tls_start(struct net_conn *c, const struct tls_opts *o,
			  char *err, size_t errlen);

/* X509_V_OK (0) when the chain verified (and the host matched, if asked);
 * otherwise the OpenSSL verify code, with its text in msg. */
long tls_verify_result(const struct net_conn *c, char *msg, size_t msglen);

/* "TLSv1.3", and the cipher suite name, of the established session. */
const char *tls_version(const struct net_conn *c);
const char *tls_cipher(const struct net_conn *c);

/* True for an IPv4 or IPv6 address literal: never sent as SNI (RFC 6066
 * section 3) and matched against iPAddress names, not DNS names. */
bool tls_is_ip_literal(const char *s);

/* Appends the OpenSSL error queue's oldest reason (or fallback) to err. */
void tls_error_string(char *err, size_t errlen, const char *what);

#endif

/* Certificate evaluation shared by every plugin that speaks TLS
 * (check_tls_cert, check_smtp after STARTTLS): one code path for days
 * left, chain verification, host name, key and signature policy, OCSP
 * and DANE, and one wording of the reasons.
 *
 * Usage, after tls_start() on a struct net_conn:
 *
 *	struct cert_policy p;
 *	cert_policy_init(&p);
 *	opts_range(o, "20", OPTS_BELOW, &p.days.warn);
 *	certcheck_eval(&conn, &p, host, NULL, &out);
 *
 * The defaults: days "30:" and "14:" (WARNING below 30 days left,
 * CRITICAL below 14), verify the chain and the host name, SHA-1 and MD5
 * signatures forbidden, RSA keys of at least 2048 bits.
 *
 * certcheck_eval() raises out->state, appends one summary fragment
 *   "CN=mail.example.test, issuer CN=Example CA, expires 2026-12-24 (30 days)"
 * preceded by the reasons of any problem ("certificate expired 3 days ago
 * (2026-11-22), ..."), one long-output line per chain certificate, and the
 * perfdata items days, (with check_chain) days_chain and (with elem_labels)
 * days_chain_elem1..N, one per served certificate. The caller writes
 * the "host: " in front. */
#ifndef GLANCE_CERTCHECK_H
#define GLANCE_CERTCHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "net.h"
#include "output.h"
#include "range.h"

/* One TLSA record (RFC 6698 section 2.1). */
struct cert_tlsa {
	unsigned char usage;    /* 0 PKIX-TA, 1 PKIX-EE, 2 DANE-TA, 3 DANE-EE */
	unsigned char selector; /* 0 full certificate, 1 SubjectPublicKeyInfo */
	unsigned char mtype;    /* 0 exact, 1 SHA-256, 2 SHA-512 */
	unsigned char *data;
	size_t len;
};

/* The TLSA RRset of a service, already fetched and DNSSEC-validated by
 * the caller (a lookup that is insecure or fails is the caller's result). */
struct cert_dane {
	const struct cert_tlsa *rr;
	size_t n;
};

enum cert_ocsp {
	CERT_OCSP_OFF = 0, /* no revocation check beyond a stapled answer */
	CERT_OCSP_STAPLE,  /* a stapled, good OCSP answer is required */
	CERT_OCSP_FETCH,   /* use the staple, or ask the responder (AIA) */
};

struct cert_policy {
	struct thresholds days; /* on whole days left (leaf), e.g. "30:" */
	bool check_chain;    /* apply warn/crit to every chain certificate */
	bool elem_labels;    /* also days_chain_elemN per served certificate,
	                      * check_ssl_cert's labels (leaf is elem1) */
	bool verify;         /* the chain must verify to a trusted root */
	bool check_host;     /* the name must match the leaf (RFC 6125) */
	const char *ca_file; /* trust anchors; NULL: the system store; read
	                        only when a check below needs them */
	const char *ca_path;
	int min_key_bits;     /* RSA/DSA modulus; EC keys need >= 224 bits */
	bool forbid_weak_sig; /* SHA-1 or MD5 signatures are CRITICAL */
	int min_tls_version;  /* e.g. TLS1_2_VERSION; 0: any */
	enum cert_ocsp ocsp;
	bool must_staple;             /* honour the leaf's TLS feature status_request */
	const struct cert_dane *dane; /* NULL: no DANE check */
};

/* Fills p with the defaults listed at the top of this file. */
void cert_policy_init(struct cert_policy *p);

/* The TLS options for a connection certcheck_eval() will judge: sni as
 * the server name (none for an address, RFC 6066 section 3), a stapled
 * OCSP answer asked for (free, and must-staple needs it). The TLS layer
 * reads no trust store: certcheck reads its own, and only when the
 * policy needs one. The caller may add versions or security level 0. */
struct tls_opts;
void certcheck_tls_opts(struct tls_opts *to, const char *sni);

/* Checks, before any traffic, that a CA file (NULL: none given) is
 * readable and a CA directory is a searchable directory: the store is
 * read late, and only when needed, so a wrong path is otherwise found
 * mid-check or never. Returns -1 with the reason in err. */
int cert_ca_usable(const char *ca_file, const char *ca_path, char *err, size_t errlen);

/* Evaluates the peer chain of an established TLS connection (c->ssl set)
 * against p; host is the expected DNS name or IP literal (NULL: no host
 * check). label prefixes the perfdata names ("LABEL_days"), so one run
 * can report several addresses; NULL gives "days" and "days_chain".
 * Returns the state it contributed (also folded into out->state). */
enum gl_state certcheck_eval(const struct net_conn *c, const struct cert_policy *p,
                             const char *host, const char *label, struct gl_output *out);

/* Pure functions, exposed for the unit tests. */

struct x509_st;
/* Whether one TLSA record's selector and matching type fit cert. */
bool cert_tlsa_match(const struct cert_tlsa *t, struct x509_st *cert);

/* Whole days from now until t, truncated towards zero (negative once
 * past: -3 for three days and an hour ago). */
long cert_days_left(time_t now, time_t t);

/* "2026-12-24" for a UTC time. */
void cert_format_date(time_t t, char *buf, size_t len);

/* RFC 6125 section 6.4 matching of one DNS-ID pattern from a certificate
 * against a reference host name: case-insensitive, a trailing dot
 * ignored, a wildcard only as the whole left-most label ("*.example.com")
 * matching exactly one non-empty label, never in a public-suffix-like
 * two-label pattern ("*.com"), never against an IP literal. */
bool cert_name_match(const char *pattern, const char *host);

#endif

#include "certcheck.h"

#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "perfdata.h"
#include "pkihttp.h"
#include "revoke.h"
#include "tls.h"

/* Verification errors seen while building the chain; the callback keeps
 * going after each so every reason can be reported, not just the first. */
struct cc_verr {
	int n;
	int code[8];
	int depth[8];
	X509 *cert[8];
};

/* One run's evaluation state: the chain as served and as verified, and the
 * problems found, in the order they will be reported. */
struct cc {
	const struct cert_policy *p;
	const struct net_conn *c;
	const char *host;
	X509 *leaf;
	STACK_OF(X509) * served; /* as the server sent it, leaf first */
	STACK_OF(X509) * chain;  /* as verified (leaf .. anchor), or served */
	time_t now;
	enum gl_state state;
	struct strbuf problems; /* ", "-separated reasons */
	long min_days;          /* over the whole chain */
	X509_STORE *store;      /* the trust anchors */
	bool no_store;          /* nothing asked for needs them: not read */
	bool pkix_ok;           /* the chain verified without error */
	struct cc_verr verr;    /* why it did not */
	int dane_usage;         /* usage of the matching TLSA record, or -1 */
	char revocation[400];   /* the OCSP finding, for the long output */
	char dane_line[120];    /* the matching TLSA record */
};

void
certcheck_tls_opts(struct tls_opts *to, const char *sni)
{
	memset(to, 0, sizeof *to);
	to->sni = sni != NULL && !tls_is_ip_literal(sni) ? sni : NULL;
	to->status_request = true;
}

int
cert_ca_usable(const char *ca_file, const char *ca_path, char *err, size_t errlen)
{
	struct stat sb;

	if (ca_file != NULL && access(ca_file, R_OK) != 0) {
		snprintf(err, errlen, "--ca-file: cannot read '%s': %s", ca_file,
		         strerror(errno));
		return -1;
	}
	if (ca_path == NULL)
		return 0;
	if (stat(ca_path, &sb) == 0 && !S_ISDIR(sb.st_mode)) {
		snprintf(err, errlen, "--ca-path: '%s' is not a directory", ca_path);
		return -1;
	}
	if (stat(ca_path, &sb) != 0 || access(ca_path, R_OK | X_OK) != 0) {
		snprintf(err, errlen, "--ca-path: cannot read '%s': %s", ca_path,
		         strerror(errno));
		return -1;
	}
	return 0;
}

void
cert_policy_init(struct cert_policy *p)
{
	memset(p, 0, sizeof *p);
	/* "30:" and "14:": WARNING below 30 days left, CRITICAL below 14. */
	p->days.warn = (struct range){.start = 30, .end_inf = true, .set = true};
	p->days.crit = (struct range){.start = 14, .end_inf = true, .set = true};
	p->verify = true;
	p->check_host = true;
	p->min_key_bits = 2048;
	p->forbid_weak_sig = true;
	p->must_staple = true;
}

long
cert_days_left(time_t now, time_t t)
{
	long long d = (long long)t - (long long)now;

	/* Whole days, towards zero: "expired 3 days ago" for 3 days and an
	 * hour. Expiry itself is judged on the exact time, never on this. */
	return (long)(d / 86400);
}

void
cert_format_date(time_t t, char *buf, size_t len)
{
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL || strftime(buf, len, "%Y-%m-%d", &tm) == 0)
		snprintf(buf, len, "?");
}

static bool
cc_label_eq(const char *a, size_t alen, const char *b, size_t blen)
{
	return alen == blen && strncasecmp(a, b, alen) == 0;
}

bool
cert_name_match(const char *pattern, const char *host)
{
	size_t pl = strlen(pattern), hl = strlen(host);

	if (pl > 0 && pattern[pl - 1] == '.')
		pl--;
	if (hl > 0 && host[hl - 1] == '.')
		hl--;
	if (pl == 0 || hl == 0 || tls_is_ip_literal(host))
		return false;
	if (pattern[0] != '*')
		return memchr(pattern, '*', pl) == NULL && cc_label_eq(pattern, pl, host, hl);
	/* RFC 6125 6.4.3: "*" must be the whole left-most label, and the rest
	 * must have at least two labels so "*.com" never matches. */
	if (pl < 2 || pattern[1] != '.')
		return false;
	const char *prest = pattern + 1;
	size_t prl = pl - 1;
	if (memchr(prest, '*', prl) != NULL || memchr(prest + 1, '.', prl - 1) == NULL)
		return false;
	const char *dot = memchr(host, '.', hl);
	if (dot == NULL || dot == host)
		return false;
	return cc_label_eq(prest, prl, dot, hl - (size_t)(dot - host));
}

/* Turns an ASN1_TIME into time_t (UTC). */
static bool
cc_time(const ASN1_TIME *a, time_t *out)
{
	struct tm tm;

	memset(&tm, 0, sizeof tm);
	if (a == NULL || ASN1_TIME_to_tm(a, &tm) != 1)
		return false;
	*out = timegm(&tm);
	return true;
}

static void cc_problem(struct cc *x, enum gl_state st, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

static void
cc_problem(struct cc *x, enum gl_state st, const char *fmt, ...)
{
	va_list ap;

	x->state = state_worst(x->state, st);
	if (x->problems.len > 0)
		sb_append(&x->problems, ", ");
	va_start(ap, fmt);
	sb_vappendf(&x->problems, fmt, ap);
	va_end(ap);
}

/* Names come from the peer: control characters (a newline would forge a
 * line of long output) become '?'. */
static void
cc_clean(char *s)
{
	for (; s != NULL && *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			*s = '?';
}

/* "CN=www.example.test" (as UTF-8), or the one-line DN without a CN. */
static void
cc_name(const X509_NAME *n, char *buf, size_t len)
{
	int i = X509_NAME_get_index_by_NID(n, NID_commonName, -1);
	unsigned char *u = NULL;

	if (i >= 0 &&
	    ASN1_STRING_to_UTF8(&u, X509_NAME_ENTRY_get_data(X509_NAME_get_entry(n, i))) >= 0) {
		snprintf(buf, len, "CN=%s", (const char *)u);
		OPENSSL_free(u);
	} else if (X509_NAME_oneline(n, buf, (int)len) == NULL) {
		snprintf(buf, len, "?");
	}
	cc_clean(buf);
}

static void
cc_subject(X509 *x, char *buf, size_t len)
{
	cc_name(X509_get_subject_name(x), buf, len);
}

static bool
cc_self_issued(X509 *x)
{
	return X509_NAME_cmp(X509_get_subject_name(x), X509_get_issuer_name(x)) == 0;
}

static int
cc_verify_cb(int ok, X509_STORE_CTX *ctx)
{
	struct cc_verr *v = X509_STORE_CTX_get_app_data(ctx);
	int err = X509_STORE_CTX_get_error(ctx);

	if (ok)
		return 1;
	/* Validity dates are reported by cc_expiry() with days and dates. */
	if (err != X509_V_ERR_CERT_HAS_EXPIRED && err != X509_V_ERR_CERT_NOT_YET_VALID &&
	    v->n < 8) {
		v->code[v->n] = err;
		v->depth[v->n] = X509_STORE_CTX_get_error_depth(ctx);
		v->cert[v->n] = X509_STORE_CTX_get_current_cert(ctx);
		v->n++;
	}
	return 1;
}

/* The trust anchors: --ca-file and --ca-path when given, else the system
 * store. The system store is first read through its hashed directory
 * alone (lazy: only the issuers the chain asks for are parsed, where the
 * bundle file costs about 20 ms to parse whole); cc_verify() goes on to
 * the full default paths, bundle included, whenever that falls short, so
 * the verdict is the default paths' own. */
static X509_STORE *
cc_store(const struct cert_policy *p, bool dir_only)
{
	X509_STORE *st = X509_STORE_new();
	X509_LOOKUP *dir;

	if (st == NULL)
		return NULL;
	int ok;
	if (p->ca_file || p->ca_path)
		ok = X509_STORE_load_locations(st, p->ca_file, p->ca_path);
	else if (dir_only)
		ok = (dir = X509_STORE_add_lookup(st, X509_LOOKUP_hash_dir())) != NULL &&
		     X509_LOOKUP_add_dir(dir, NULL, X509_FILETYPE_DEFAULT);
	else
		ok = X509_STORE_set_default_paths(st);
	if (!ok) {
		X509_STORE_free(st);
		return NULL;
	}
	return st;
}

/* The first http:// caIssuers URL of cert's AIA (RFC 5280 4.2.2.1). */
static bool
cc_ca_issuers_url(X509 *cert, char *url, size_t len)
{
	AUTHORITY_INFO_ACCESS *aia = X509_get_ext_d2i(cert, NID_info_access, NULL, NULL);
	bool found = false;

	for (int i = 0; i < sk_ACCESS_DESCRIPTION_num(aia) && !found; i++) {
		ACCESS_DESCRIPTION *ad = sk_ACCESS_DESCRIPTION_value(aia, i);
		if (OBJ_obj2nid(ad->method) != NID_ad_ca_issuers ||
		    ad->location->type != GEN_URI)
			continue;
		const ASN1_IA5STRING *u = ad->location->d.uniformResourceIdentifier;
		int ul = ASN1_STRING_length(u);
		const char *d = (const char *)ASN1_STRING_get0_data(u);
		if (ul > 7 && (size_t)ul < len && strncasecmp(d, "http://", 7) == 0 &&
		    memchr(d, '\0', (size_t)ul) == NULL) {
			snprintf(url, len, "%.*s", ul, d);
			found = true;
		}
	}
	AUTHORITY_INFO_ACCESS_free(aia);
	return found;
}

/* Fetches the issuer cert's AIA names, within the deadline, and tries the
 * chain again with it: 1 when that completes a trusted chain (the server
 * merely failed to send it), 0 when it does not, -1 when there is no
 * such issuer to fetch. */
static int
cc_aia_completes(struct cc *x, X509 *cert)
{
	char url[512], err[300];
	STACK_OF(X509) *more = NULL;
	X509_STORE_CTX *ctx = NULL;
	int rc = 0;

	if (!cc_ca_issuers_url(cert, url, sizeof url))
		return -1;
	X509 *issuer = (X509 *)pkihttp_exchange(url, NULL, NULL, NULL, NULL,
	                                        ASN1_ITEM_rptr(X509), err, sizeof err);
	if (issuer == NULL) {
		output_debug(1, "AIA issuer: %s", err);
		return -1;
	}
	if ((more = sk_X509_dup(x->served)) != NULL && sk_X509_push(more, issuer) > 0 &&
	    (ctx = X509_STORE_CTX_new()) != NULL &&
	    X509_STORE_CTX_init(ctx, x->store, x->leaf, more)) {
		/* Dates are judged elsewhere; here only the path matters. */
		X509_STORE_CTX_set_flags(ctx, X509_V_FLAG_NO_CHECK_TIME);
		rc = X509_verify_cert(ctx) == 1;
	}
	X509_STORE_CTX_free(ctx);
	sk_X509_free(more);
	X509_free(issuer);
	ERR_clear_error();
	return rc;
}

/* A certificate whose issuer is neither sent nor trusted. The issuer from
 * its AIA settles whether the chain is merely incomplete; without one, a
 * leaf sent alone is taken for a forgotten intermediate, as public CAs
 * never sign leaves with their roots. */
static void
cc_missing_issuer(struct cc *x, X509 *cert, const char *n, const char *in)
{
	int aia;

	if (cc_self_issued(cert))
		cc_problem(x, GL_CRITICAL, "untrusted root %s", n);
	else if ((aia = cc_aia_completes(x, cert)) == 1)
		cc_problem(x, GL_CRITICAL,
		           "incomplete chain: the server did not send the issuer %s "
		           "(its AIA URL has it)",
		           in);
	else if (aia < 0 && sk_X509_num(x->served) == 1)
		cc_problem(x, GL_CRITICAL,
		           "incomplete chain: the server did not send the issuer %s", in);
	else
		cc_problem(x, GL_CRITICAL, "unknown issuer %s", in);
}

/* One reason for one verification error, worded for an administrator. */
static void
cc_verify_reason(struct cc *x, int code, X509 *cert)
{
	char n[256], in[256];

	cc_subject(cert, n, sizeof n);
	cc_name(X509_get_issuer_name(cert), in, sizeof in);
	switch (code) {
	case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
		cc_problem(x, GL_CRITICAL, "self-signed certificate");
		break;
	case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
		cc_problem(x, GL_CRITICAL, "untrusted self-signed root %s in chain", n);
		break;
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
	case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
		cc_missing_issuer(x, cert, n, in);
		break;
	case X509_V_ERR_INVALID_PURPOSE:
		cc_problem(x, GL_CRITICAL, "%s is not valid for TLS server authentication", n);
		break;
	default:
		cc_problem(x, GL_CRITICAL, "verification failed for %s: %s", n,
		           X509_verify_cert_error_string(code));
		break;
	}
}

/* One verification of the served chain against x->store: false when it
 * could not run at all (reported). */
static bool
cc_verify_once(struct cc *x)
{
	X509_STORE_CTX *ctx = X509_STORE_CTX_new();
	struct cc_verr *v = &x->verr;
	bool ran = false;

	memset(v, 0, sizeof *v);
	if (x->store == NULL || ctx == NULL ||
	    !X509_STORE_CTX_init(ctx, x->store, x->leaf, x->served)) {
		char err[256];
		tls_error_string(err, sizeof err, "cannot load the trust store");
		cc_problem(x, GL_UNKNOWN, "%s", err);
		goto out;
	}
	X509_STORE_CTX_set_app_data(ctx, v);
	X509_STORE_CTX_set_verify_cb(ctx, cc_verify_cb);
	X509_STORE_CTX_set_purpose(ctx, X509_PURPOSE_SSL_SERVER);
	X509_STORE_CTX_set_time(ctx, 0, x->now);
	if (X509_verify_cert(ctx) < 0) {
		char err[256];
		tls_error_string(err, sizeof err, "chain verification");
		cc_problem(x, GL_UNKNOWN, "%s", err);
		goto out;
	}
	STACK_OF(X509) *built = X509_STORE_CTX_get1_chain(ctx);
	if (built != NULL) {
		if (x->chain != x->served)
			sk_X509_pop_free(x->chain, X509_free);
		x->chain = built;
	}
	x->pkix_ok = v->n == 0;
	ran = true;
out:
	X509_STORE_CTX_free(ctx);
	ERR_clear_error();
	return ran;
}

/* Verifies the served chain against the trust store and keeps the chain
 * it built (leaf to anchor) for the expiry and DANE checks. The system
 * store is tried through its hashed directory first; anything short of
 * a verified chain there is decided by the full default paths. */
static void
cc_verify(struct cc *x)
{
	bool dir_only = x->p->ca_file == NULL && x->p->ca_path == NULL;

	x->store = cc_store(x->p, dir_only);
	if (cc_verify_once(x) && !x->pkix_ok && dir_only) {
		X509_STORE_free(x->store);
		x->store = cc_store(x->p, false);
		cc_verify_once(x);
	}
}

/* The verification errors, unless a DANE-TA or DANE-EE record stands in
 * for PKIX trust (RFC 7671 section 5). */
static void
cc_verify_report(struct cc *x)
{
	const struct cc_verr *v = &x->verr;

	if (!x->p->verify || x->dane_usage == 2 || x->dane_usage == 3)
		return;
	/* Only the first error per certificate: the others follow from it. */
	for (int i = 0; i < v->n; i++) {
		if (i > 0 && v->depth[i] == v->depth[i - 1])
			continue;
		cc_verify_reason(x, v->code[i], v->cert[i]);
	}
}

/* RFC 6698 section 2.1: selector 0 the whole certificate, 1 its
 * SubjectPublicKeyInfo; matching type 0 exact, 1 SHA-256, 2 SHA-512. */
bool
cert_tlsa_match(const struct cert_tlsa *t, struct x509_st *cert)
{
	unsigned char *der = NULL, md[EVP_MAX_MD_SIZE];
	unsigned mdlen = 0;
	int len = t->selector == 0   ? i2d_X509(cert, &der)
	          : t->selector == 1 ? i2d_X509_PUBKEY(X509_get_X509_PUBKEY(cert), &der)
	                             : -1;
	bool ok = false;

	if (len <= 0)
		return false;
	if (t->mtype == 0)
		ok = t->len == (size_t)len && memcmp(der, t->data, t->len) == 0;
	else if ((t->mtype == 1 || t->mtype == 2) &&
	         EVP_Digest(der, (size_t)len, md, &mdlen,
	                    t->mtype == 1 ? EVP_sha256() : EVP_sha512(), NULL))
		ok = t->len == mdlen && memcmp(md, t->data, mdlen) == 0;
	OPENSSL_free(der);
	ERR_clear_error();
	return ok;
}

/* Whether one record matches: usages 1 and 3 the leaf, 0 and 2 an issuer
 * (sent by the server or found in the trust store); 0 and 1 also need
 * PKIX trust. */
static bool
cc_tlsa_one(struct cc *x, const struct cert_tlsa *t)
{
	if (t->usage > 3 || ((t->usage == 0 || t->usage == 1) && !x->pkix_ok))
		return false;
	if (t->usage == 1 || t->usage == 3)
		return cert_tlsa_match(t, x->leaf);
	for (int i = 1; i < sk_X509_num(x->served); i++)
		if (cert_tlsa_match(t, sk_X509_value(x->served, i)))
			return true;
	for (int i = 1; i < sk_X509_num(x->chain); i++)
		if (cert_tlsa_match(t, sk_X509_value(x->chain, i)))
			return true;
	return false;
}

static void
cc_dane(struct cc *x)
{
	const struct cert_dane *d = x->p->dane;

	x->dane_usage = -1;
	if (d == NULL)
		return;
	for (size_t i = 0; i < d->n; i++) {
		if (cc_tlsa_one(x, &d->rr[i])) {
			x->dane_usage = d->rr[i].usage;
			snprintf(x->dane_line, sizeof x->dane_line,
			         "DANE: TLSA %u %u %u matches (%zu record%s)", d->rr[i].usage,
			         d->rr[i].selector, d->rr[i].mtype, d->n, d->n == 1 ? "" : "s");
			return;
		}
	}
	cc_problem(x, GL_CRITICAL, "DANE: %s TLSA record%s match%s the chain%s",
	           d->n == 1 ? "the" : "none of the", d->n == 1 ? " does not" : "s",
	           d->n == 1 ? "" : "es",
	           x->pkix_ok ? "" : " (usages 0 and 1 need a trusted chain)");
}

/* The host name against the leaf's subjectAltName entries (RFC 6125
 * section 6.4.4: the CN only when there is no DNS-ID at all); an IP
 * literal only against iPAddress entries. */
static bool
cc_host_matches(X509 *leaf, const char *host, struct strbuf *names)
{
	unsigned char ip[16];
	int iplen = inet_pton(AF_INET, host, ip) == 1    ? 4
	            : inet_pton(AF_INET6, host, ip) == 1 ? 16
	                                                 : 0;
	GENERAL_NAMES *gens = X509_get_ext_d2i(leaf, NID_subject_alt_name, NULL, NULL);
	bool match = false, any_dns = false;

	for (int i = 0; i < sk_GENERAL_NAME_num(gens); i++) {
		const GENERAL_NAME *g = sk_GENERAL_NAME_value(gens, i);
		if (g->type == GEN_DNS) {
			const char *d = (const char *)ASN1_STRING_get0_data(g->d.dNSName);
			int dl = ASN1_STRING_length(g->d.dNSName);
			any_dns = true;
			sb_appendf(names, "%s%.*s", names->len ? ", " : "", dl, d);
			if (iplen == 0 && (size_t)dl == strlen(d) && cert_name_match(d, host))
				match = true;
		} else if (g->type == GEN_IPADD) {
			const unsigned char *a = ASN1_STRING_get0_data(g->d.iPAddress);
			int al = ASN1_STRING_length(g->d.iPAddress);
			char txt[64];
			if (inet_ntop(al == 4 ? AF_INET : AF_INET6, a, txt, sizeof txt) !=
			            NULL &&
			    (al == 4 || al == 16))
				sb_appendf(names, "%s%s", names->len ? ", " : "", txt);
			if (iplen != 0 && al == iplen && memcmp(a, ip, (size_t)al) == 0)
				match = true;
		}
	}
	GENERAL_NAMES_free(gens);
	if (!any_dns && iplen == 0) {
		char cn[256];
		X509_NAME *n = X509_get_subject_name(leaf);
		int i = X509_NAME_get_index_by_NID(n, NID_commonName, -1);
		if (i >= 0) {
			const ASN1_STRING *s =
			        X509_NAME_ENTRY_get_data(X509_NAME_get_entry(n, i));
			snprintf(cn, sizeof cn, "%.*s", ASN1_STRING_length(s),
			         (const char *)ASN1_STRING_get0_data(s));
			sb_appendf(names, "%s%s", names->len ? ", " : "", cn);
			if ((size_t)ASN1_STRING_length(s) == strlen(cn) &&
			    cert_name_match(cn, host))
				match = true;
		}
	}
	return match;
}

static void
cc_host(struct cc *x)
{
	struct strbuf names = STRBUF_INIT;

	/* RFC 7671 section 5.1: a DANE-EE match binds the key, not a name. */
	if (!x->p->check_host || x->host == NULL || x->host[0] == '\0' || x->dane_usage == 3)
		return;
	bool match = cc_host_matches(x->leaf, x->host, &names);
	cc_clean(names.buf);
	if (!match)
		cc_problem(x, GL_CRITICAL, "wrong host: %s is not in the certificate (%s)",
		           x->host, names.len ? sb_str(&names) : "no names");
	sb_free(&names);
}

/* Days left on one certificate; expired and not yet valid are always
 * CRITICAL, the thresholds apply to the leaf (and the chain if asked). */
static void
cc_expiry_one(struct cc *x, X509 *cert, int depth)
{
	time_t nb, na;
	char n[256], d[16];

	cc_subject(cert, n, sizeof n);
	if (!cc_time(X509_get0_notBefore(cert), &nb) ||
	    !cc_time(X509_get0_notAfter(cert), &na)) {
		cc_problem(x, GL_CRITICAL, "%s has an unreadable validity date", n);
		return;
	}
	long days = cert_days_left(x->now, na);
	if (days < x->min_days)
		x->min_days = days;
	const char *what = depth == 0 ? "certificate" : n;
	if (x->now < nb) {
		cert_format_date(nb, d, sizeof d);
		cc_problem(x, GL_CRITICAL, "%s not yet valid (valid from %s)", what, d);
	} else if (x->now >= na) {
		cert_format_date(na, d, sizeof d);
		cc_problem(x, GL_CRITICAL, "%s expired %ld day%s ago (%s)", what, -days,
		           days == -1 ? "" : "s", d);
	} else if (depth == 0 || x->p->check_chain) {
		cert_format_date(na, d, sizeof d);
		enum gl_state st = thresholds_eval(&x->p->days, (double)days);
		if (st != GL_OK)
			cc_problem(x, st, "%s expires in %ld day%s (%s)", what, days,
			           days == 1 ? "" : "s", d);
	}
}

static void
cc_expiry(struct cc *x)
{
	x->min_days = LONG_MAX;
	for (int i = 0; i < sk_X509_num(x->chain); i++)
		cc_expiry_one(x, sk_X509_value(x->chain, i), i);
}

/* "RSA 2048", "EC 256", ... */
static void
cc_key_desc(X509 *cert, char *buf, size_t len, int *bits, int *type)
{
	EVP_PKEY *k = X509_get0_pubkey(cert);

	*bits = k ? EVP_PKEY_get_bits(k) : 0;
	*type = k ? EVP_PKEY_get_base_id(k) : NID_undef;
	const char *t = *type == EVP_PKEY_RSA || *type == EVP_PKEY_RSA_PSS ? "RSA"
	                : *type == EVP_PKEY_EC                             ? "EC"
	                : *type == EVP_PKEY_DSA                            ? "DSA"
	                : *type == EVP_PKEY_ED25519                        ? "Ed25519"
	                : *type == EVP_PKEY_ED448                          ? "Ed448"
	                                                                   : "key";
	snprintf(buf, len, "%s %d", t, *bits);
}

static bool
cc_weak_sig(X509 *cert, const char **name)
{
	int sig = X509_get_signature_nid(cert), md = NID_undef, pk = NID_undef;

	*name = OBJ_nid2ln(sig);
	if (!OBJ_find_sigid_algs(sig, &md, &pk))
		return false;
	return md == NID_sha1 || md == NID_md5 || md == NID_md4 || md == NID_md2;
}

/* Key size and signature algorithm of every certificate the server sent.
 * A self-signed anchor's own signature protects nothing, so it is not
 * judged. */
static void
cc_crypto(struct cc *x)
{
	for (int i = 0; i < sk_X509_num(x->chain); i++) {
		X509 *cert = sk_X509_value(x->chain, i);
		char n[256], kd[64];
		const char *sn;
		int bits, type;

		cc_subject(cert, n, sizeof n);
		cc_key_desc(cert, kd, sizeof kd, &bits, &type);
		bool rsa_like = type == EVP_PKEY_RSA || type == EVP_PKEY_RSA_PSS ||
		                type == EVP_PKEY_DSA;
		if ((rsa_like && bits < x->p->min_key_bits) ||
		    (type == EVP_PKEY_EC && bits < 224))
			cc_problem(x, GL_CRITICAL, "%s has a weak key (%s bits)", n, kd);
		if (x->p->forbid_weak_sig &&
		    !(i > 0 && X509_check_issued(cert, cert) == X509_V_OK) &&
		    cc_weak_sig(cert, &sn))
			cc_problem(x, GL_CRITICAL, "%s is signed with %s", n, sn);
	}
}

static void
cc_protocol(struct cc *x)
{
	int v = SSL_version(x->c->ssl), min = x->p->min_tls_version;

	if (min != 0 && v < min)
		cc_problem(x, GL_CRITICAL, "protocol %s is below the minimum %s",
		           SSL_get_version(x->c->ssl),
		           min == TLS1_1_VERSION   ? "TLSv1.1"
		           : min == TLS1_2_VERSION ? "TLSv1.2"
		           : min == TLS1_3_VERSION ? "TLSv1.3"
		                                   : "TLSv1");
}

/* RFC 7633: a TLS feature extension listing status_request (5). */
static bool
cc_must_staple(X509 *leaf)
{
	TLS_FEATURE *f = X509_get_ext_d2i(leaf, NID_tlsfeature, NULL, NULL);
	bool must = false;

	for (int i = 0; i < sk_ASN1_INTEGER_num(f); i++)
		if (ASN1_INTEGER_get(sk_ASN1_INTEGER_value(f, i)) == TLSEXT_TYPE_status_request)
			must = true;
	TLS_FEATURE_free(f);
	return must;
}

static void
cc_revoke_report(struct cc *x, const struct revoke_result *r, const char *how)
{
	snprintf(x->revocation, sizeof x->revocation, "OCSP (%s): %s", how, r->text);
	switch (r->verdict) {
	case REVOKE_GOOD: break;
	case REVOKE_REVOKED:
		cc_problem(x, GL_CRITICAL, "certificate %s (OCSP)", r->text);
		break;
	case REVOKE_UNKNOWN:
		cc_problem(x, x->p->ocsp == CERT_OCSP_STAPLE ? GL_CRITICAL : GL_WARNING,
		           "revocation unknown: %s", r->text);
		break;
	case REVOKE_INVALID:
		cc_problem(x, GL_CRITICAL, "bad %s OCSP response: %s", how, r->text);
		break;
	}
}

/* A stapled answer is always judged; without one, --ocsp-stapling and a
 * must-staple certificate fail, and CERT_OCSP_FETCH asks the responder. */
static void
cc_revocation(struct cc *x)
{
	const unsigned char *der = NULL;
	long len = SSL_get_tlsext_status_ocsp_resp(x->c->ssl, &der);
	bool asked = SSL_get_tlsext_status_type(x->c->ssl) == TLSEXT_STATUSTYPE_ocsp;
	X509 *issuer = sk_X509_num(x->chain) > 1 ? sk_X509_value(x->chain, 1) : NULL;
	struct revoke_result r;

	if (x->no_store || (x->p->ocsp == CERT_OCSP_OFF && !asked))
		return;
	if (issuer == NULL && (len > 0 || x->p->ocsp != CERT_OCSP_OFF)) {
		cc_problem(x, GL_WARNING, "revocation unknown: the issuer is not known");
		return;
	}
	/* A responder's signature can only be checked against a trusted
	 * chain; without one the revocation status means nothing. */
	if (!x->pkix_ok) {
		snprintf(x->revocation, sizeof x->revocation,
		         "OCSP: not checked, the chain is not trusted");
		return;
	}
	if (len > 0 && der != NULL) {
		revoke_judge(der, len, x->leaf, issuer, x->served, x->store, &r);
		cc_revoke_report(x, &r, "stapled");
		return;
	}
	if (x->p->ocsp == CERT_OCSP_STAPLE)
		cc_problem(x, GL_CRITICAL, "no stapled OCSP response");
	else if (asked && x->p->must_staple && cc_must_staple(x->leaf))
		cc_problem(x, GL_CRITICAL,
		           "must-staple certificate without a stapled OCSP response");
	if (x->p->ocsp != CERT_OCSP_FETCH)
		return;
	revoke_fetch(x->leaf, issuer, x->served, x->store, &r);
	cc_revoke_report(x, &r, "responder");
}

/* One long-output line per certificate of the chain. */
static void
cc_long(struct cc *x, struct gl_output *out)
{
	for (int i = 0; i < sk_X509_num(x->chain); i++) {
		X509 *cert = sk_X509_value(x->chain, i);
		char n[256], in[256], kd[64], d[16];
		int bits, type;
		time_t na = 0;

		cc_subject(cert, n, sizeof n);
		cc_name(X509_get_issuer_name(cert), in, sizeof in);
		cc_key_desc(cert, kd, sizeof kd, &bits, &type);
		if (!cc_time(X509_get0_notAfter(cert), &na))
			na = 0;
		cert_format_date(na, d, sizeof d);
		output_long(out, "[%d] %s, issuer %s, expires %s (%ld days), %s, %s%s", i, n,
		            in, d, cert_days_left(x->now, na), kd,
		            OBJ_nid2ln(X509_get_signature_nid(cert)),
		            i >= sk_X509_num(x->served) ? ", from the trust store" : "");
	}
	if (x->revocation[0] != '\0')
		output_long(out, "%s", x->revocation);
	if (x->dane_line[0] != '\0')
		output_long(out, "%s", x->dane_line);
}

/* check_ssl_cert's labels: days_chain_elem1 is the leaf, then each
 * certificate as served. */
static void
cc_perf_elems(struct cc *x, const char *label, struct gl_output *out)
{
	char name[128];

	for (int i = 0; x->p->elem_labels && i < sk_X509_num(x->served); i++) {
		time_t na;
		if (!cc_time(X509_get0_notAfter(sk_X509_value(x->served, i)), &na))
			continue;
		snprintf(name, sizeof name, "%s%sdays_chain_elem%d", label ? label : "",
		         label ? "_" : "", i + 1);
		perfdata_append(&out->perf,
		                &(struct pd_item){.label = name,
		                                  .value = (double)cert_days_left(x->now, na),
		                                  .warn = &x->p->days.warn,
		                                  .crit = &x->p->days.crit});
	}
}

static void
cc_perf(struct cc *x, const char *label, struct gl_output *out)
{
	const struct range *rw = &x->p->days.warn, *rc = &x->p->days.crit;
	char name[128];
	time_t na;
	long days = 0;

	if (cc_time(X509_get0_notAfter(x->leaf), &na))
		days = cert_days_left(x->now, na);
	snprintf(name, sizeof name, "%s%sdays", label ? label : "", label ? "_" : "");
	perfdata_append(&out->perf,
	                &(struct pd_item){
	                        .label = name, .value = (double)days, .warn = rw, .crit = rc});
	cc_perf_elems(x, label, out);
	if (!x->p->check_chain || x->min_days == LONG_MAX)
		return;
	snprintf(name, sizeof name, "%s%sdays_chain", label ? label : "", label ? "_" : "");
	perfdata_append(&out->perf, &(struct pd_item){.label = name,
	                                              .value = (double)x->min_days,
	                                              .warn = rw,
	                                              .crit = rc});
}

/* "CN=..., issuer ..., expires 2026-12-24 (30 days)", after the reasons. */
static void
cc_summary(struct cc *x, struct gl_output *out)
{
	char n[256], in[256], d[16];
	time_t na = 0;

	cc_subject(x->leaf, n, sizeof n);
	cc_name(X509_get_issuer_name(x->leaf), in, sizeof in);
	if (!cc_time(X509_get0_notAfter(x->leaf), &na))
		na = 0;
	cert_format_date(na, d, sizeof d);
	if (x->problems.len > 0)
		output_summary(out, "%s / ", sb_str(&x->problems));
	long days = cert_days_left(x->now, na);
	if (x->now >= na)
		output_summary(out, "%s, issuer %s, expired %s", n, in, d);
	else
		output_summary(out, "%s, issuer %s, expires %s (%ld day%s)", n, in, d, days,
		               days == 1 ? "" : "s");
}

/* Whether anything the policy asks for reads the trust store: chain
 * verification, the chain's dates, DANE, and OCSP (a responder's
 * signature is checked against a trusted chain only), including a staple
 * the server sent or a must-staple certificate whose staple is missing.
 * Reading the system store costs ~20 ms of CPU, several times the rest
 * of a check, so a check that wants only the dates (check_smtp -D) goes
 * without it and judges the chain as the server sent it. */
static bool
cc_needs_store(const struct cc *x)
{
	const struct cert_policy *p = x->p;
	const unsigned char *der = NULL;

	if (p->verify || p->check_chain || p->dane != NULL || p->ocsp != CERT_OCSP_OFF)
		return true;
	if (SSL_get_tlsext_status_type(x->c->ssl) != TLSEXT_STATUSTYPE_ocsp)
		return false;
	return SSL_get_tlsext_status_ocsp_resp(x->c->ssl, &der) > 0 ||
	       (p->must_staple && cc_must_staple(x->leaf));
}

enum gl_state
certcheck_eval(const struct net_conn *c, const struct cert_policy *p, const char *host,
               const char *label, struct gl_output *out)
{
	struct cc x = {.p = p, .c = c, .host = host, .state = GL_OK};

	x.now = time(NULL);
	if (c->ssl == NULL || (x.leaf = SSL_get1_peer_certificate(c->ssl)) == NULL) {
		output_summary(out, "no server certificate");
		output_state(out, GL_CRITICAL);
		return GL_CRITICAL;
	}
	x.served = SSL_get_peer_cert_chain(c->ssl);
	if (x.served == NULL || sk_X509_num(x.served) == 0) {
		output_summary(out, "no server certificate chain");
		output_state(out, GL_CRITICAL);
		X509_free(x.leaf);
		return GL_CRITICAL;
	}
	x.chain = x.served;
	x.no_store = !cc_needs_store(&x);
	if (!x.no_store)
		cc_verify(&x);
	cc_dane(&x);
	cc_verify_report(&x);
	cc_host(&x);
	cc_expiry(&x);
	cc_crypto(&x);
	cc_protocol(&x);
	cc_revocation(&x);
	cc_summary(&x, out);
	cc_long(&x, out);
	cc_perf(&x, label, out);
	output_state(out, x.state);
	if (x.chain != x.served)
		sk_X509_pop_free(x.chain, X509_free);
	X509_free(x.leaf);
	X509_STORE_free(x.store);
	sb_free(&x.problems);
	return x.state;
}

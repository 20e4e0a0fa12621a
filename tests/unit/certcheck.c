/* certcheck's pure logic: RFC 6125 name matching, day arithmetic, dates,
 * TLSA record matching, the TLS options and CA paths it needs; and the
 * STARTTLS protocol table. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "certcheck.h"
#include "starttls.h"
#include "tap.h"
#include "tls.h"

static const struct {
	const char *pattern, *host;
	bool match;
	const char *why;
} names[] = {
        {"www.example.test", "www.example.test", true, "exact name"},
        {"WWW.Example.TEST", "www.example.test", true, "case-insensitive"},
        {"www.example.test.", "www.example.test", true, "trailing dot in the pattern"},
        {"www.example.test", "www.example.test.", true, "trailing dot in the host"},
        {"www.example.test", "example.test", false, "parent does not match"},
        {"example.test", "www.example.test", false, "child does not match"},
        {"*.example.test", "www.example.test", true, "wildcard matches one label"},
        {"*.example.test", "a.b.example.test", false, "wildcard never spans two labels"},
        {"*.example.test", "example.test", false, "wildcard needs a label"},
        {"*.example.test", ".example.test", false, "wildcard needs a non-empty label"},
        {"*.test", "example.test", false, "no wildcard over a single-label suffix"},
        {"*", "localhost", false, "a bare * matches nothing"},
        {"w*.example.test", "www.example.test", false, "partial-label wildcard refused"},
        {"www.*.test", "www.example.test", false, "wildcard only in the left-most label"},
        {"*.*.test", "a.b.test", false, "two wildcards refused"},
        {"*.example.test", "127.0.0.1", false, "never against an IPv4 literal"},
        {"127.0.0.1", "127.0.0.1", false, "an IP is matched by iPAddress SANs only"},
        {"*.example.test", "::1", false, "never against an IPv6 literal"},
        {"", "www.example.test", false, "empty pattern"},
        {"www.example.test", "", false, "empty host"},
};

static void
test_names(void)
{
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		ok(cert_name_match(names[i].pattern, names[i].host) == names[i].match,
		   "name match: %s ('%s' vs '%s')", names[i].why, names[i].pattern,
		   names[i].host);
}

static void
test_days(void)
{
	time_t now = 1764115200; /* 2025-11-26 00:00:00 UTC */

	is_int(cert_days_left(now, now + 30 * 86400), 30, "exactly 30 days");
	is_int(cert_days_left(now, now + 30 * 86400 - 1), 29,
	       "a second short of 30 days is 29");
	is_int(cert_days_left(now, now + 3600), 0, "an hour left is 0 days");
	is_int(cert_days_left(now, now), 0, "expiring now is 0 days");
	is_int(cert_days_left(now, now - 3600), 0, "an hour ago is 0 days");
	is_int(cert_days_left(now, now - 3 * 86400 - 3600), -3, "3 days and an hour ago is -3");
	is_int(cert_days_left(now, now + 3650L * 86400), 3650, "ten years");
	is_int(cert_days_left(0, (time_t)253402300799), 2932896, "year 9999 does not overflow");
}

static void
test_dates(void)
{
	char buf[16];

	cert_format_date(1764115200, buf, sizeof buf);
	is_str(buf, "2025-11-26", "date in UTC");
	cert_format_date(1798761599, buf, sizeof buf);
	is_str(buf, "2026-12-31", "last second of a year");
	cert_format_date(1709164800, buf, sizeof buf);
	is_str(buf, "2024-02-29", "leap day");
	cert_format_date(0, buf, 4);
	is_str(buf, "?", "a buffer too small gives '?'");
}

static X509 *
make_cert(EVP_PKEY **key)
{
	X509 *x = X509_new();

	*key = EVP_EC_gen("P-256");
	if (x == NULL || *key == NULL || !X509_set_pubkey(x, *key) ||
	    !ASN1_INTEGER_set(X509_get_serialNumber(x), 1) ||
	    X509_gmtime_adj(X509_getm_notBefore(x), 0) == NULL ||
	    X509_gmtime_adj(X509_getm_notAfter(x), 86400) == NULL ||
	    !X509_sign(x, *key, EVP_sha256())) {
		X509_free(x);
		return NULL;
	}
	return x;
}

static void
test_tlsa(void)
{
	EVP_PKEY *k1 = NULL, *k2 = NULL;
	X509 *c1 = make_cert(&k1), *c2 = make_cert(&k2);
	unsigned char *spki = NULL, *full = NULL, h[64];
	unsigned hl = 0;

	if (!ok(c1 != NULL && c2 != NULL, "test certificates made"))
		goto out;
	int sl = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(c1), &spki);
	int fl = i2d_X509(c1, &full);
	struct cert_tlsa t = {3, 1, 0, spki, (size_t)sl};
	ok(cert_tlsa_match(&t, c1), "3 1 0: exact SPKI matches");
	ok(!cert_tlsa_match(&t, c2), "3 1 0: another key does not");
	EVP_Digest(spki, (size_t)sl, h, &hl, EVP_sha256(), NULL);
	t = (struct cert_tlsa){3, 1, 1, h, hl};
	ok(cert_tlsa_match(&t, c1), "3 1 1: SHA-256 of the SPKI matches");
	t.len = hl - 1;
	ok(!cert_tlsa_match(&t, c1), "3 1 1: a truncated digest does not");
	EVP_Digest(spki, (size_t)sl, h, &hl, EVP_sha512(), NULL);
	t = (struct cert_tlsa){3, 1, 2, h, hl};
	ok(cert_tlsa_match(&t, c1), "3 1 2: SHA-512 of the SPKI matches");
	t.mtype = 1;
	ok(!cert_tlsa_match(&t, c1), "a SHA-512 digest labelled SHA-256 does not");
	EVP_Digest(full, (size_t)fl, h, &hl, EVP_sha256(), NULL);
	t = (struct cert_tlsa){2, 0, 1, h, hl};
	ok(cert_tlsa_match(&t, c1), "2 0 1: SHA-256 of the certificate matches");
	t.selector = 1;
	ok(!cert_tlsa_match(&t, c1), "a certificate digest labelled SPKI does not");
	t = (struct cert_tlsa){3, 2, 1, h, hl};
	ok(!cert_tlsa_match(&t, c1), "unknown selector 2 never matches");
	t = (struct cert_tlsa){3, 0, 3, h, hl};
	ok(!cert_tlsa_match(&t, c1), "unknown matching type 3 never matches");
out:
	OPENSSL_free(spki);
	OPENSSL_free(full);
	X509_free(c1);
	X509_free(c2);
	EVP_PKEY_free(k1);
	EVP_PKEY_free(k2);
}

static void
test_starttls(void)
{
	enum starttls_proto p;

	ok(starttls_parse("SMTP", &p) == 0 && p == STARTTLS_SMTP, "starttls: 'SMTP' any case");
	ok(starttls_parse("postgres", &p) == 0 && p == STARTTLS_POSTGRES, "starttls: postgres");
	ok(starttls_parse("none", &p) == 0 && p == STARTTLS_NONE, "starttls: none");
	ok(starttls_parse("gopher", &p) == -1, "starttls: unknown name refused");
	is_int(starttls_for_port(25), STARTTLS_SMTP, "port 25 is smtp");
	is_int(starttls_for_port(587), STARTTLS_SUBMISSION, "port 587 is submission");
	is_int(starttls_for_port(143), STARTTLS_IMAP, "port 143 is imap");
	is_int(starttls_for_port(110), STARTTLS_POP3, "port 110 is pop3");
	is_int(starttls_for_port(21), STARTTLS_FTP, "port 21 is ftp");
	is_int(starttls_for_port(5222), STARTTLS_XMPP, "port 5222 is xmpp");
	is_int(starttls_for_port(389), STARTTLS_LDAP, "port 389 is ldap");
	is_int(starttls_for_port(5432), STARTTLS_POSTGRES, "port 5432 is postgres");
	is_int(starttls_for_port(443), STARTTLS_NONE, "port 443 is TLS from the start");
	is_int(starttls_for_port(465), STARTTLS_NONE, "port 465 is TLS from the start");
	is_str(starttls_name(STARTTLS_XMPP), "xmpp", "name of xmpp");
}

static void
test_no_tls(void)
{
	struct net_conn c;
	struct cert_policy p;
	struct gl_output out;

	net_conn_init(&c);
	cert_policy_init(&p);
	output_init(&out, "TLS");
	is_int(certcheck_eval(&c, &p, "x.test", NULL, &out), GL_CRITICAL,
	       "a connection without TLS is CRITICAL");
	is_str(sb_str(&out.summary), "no server certificate", "and says why");
	ok(p.days.warn.set && p.days.warn.start == 30 && p.days.warn.end_inf &&
	           !p.days.warn.inside,
	   "default -w is '30:' (fewer than 30 days left)");
	ok(p.days.crit.set && p.days.crit.start == 14 && p.days.crit.end_inf &&
	           !p.days.crit.inside,
	   "default -c is '14:' (fewer than 14 days left)");
	ok(p.verify && p.check_host && p.forbid_weak_sig && p.min_key_bits == 2048,
	   "defaults verify, check the host, forbid SHA-1/MD5, want 2048-bit RSA");
	sb_free(&out.summary);
}

static void
test_tls_opts(void)
{
	struct tls_opts to;

	ok(tls_is_ip_literal("192.0.2.1") && tls_is_ip_literal("2001:db8::1") &&
	           !tls_is_ip_literal("mail.example.test") && !tls_is_ip_literal("192.0.2"),
	   "IP literals told from names");
	certcheck_tls_opts(&to, "mail.example.test");
	is_str(to.sni, "mail.example.test", "tls opts: a name is sent as SNI");
	ok(to.status_request && !to.security_level_0 && to.min_version == 0,
	   "tls opts: staple asked for, any version, default security level");
	certcheck_tls_opts(&to, "2001:db8::1");
	ok(to.sni == NULL, "tls opts: an address is never SNI (RFC 6066 section 3)");
	certcheck_tls_opts(&to, NULL);
	ok(to.sni == NULL, "tls opts: no name, no SNI");
}

static void
test_ca_usable(void)
{
	const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : P_tmpdir;
	char dir[256], file[300], err[400];

	snprintf(dir, sizeof dir, "%s/certcheck-unit.XXXXXX", tmp);
	ok(mkdtemp(dir) != NULL, "CA paths: a temporary directory");
	snprintf(file, sizeof file, "%s/ca.pem", dir);
	FILE *f = fopen(file, "w");
	ok(f != NULL && fclose(f) == 0, "CA paths: a file in it");
	is_int(cert_ca_usable(NULL, NULL, err, sizeof err), 0, "CA paths: none given is fine");
	is_int(cert_ca_usable(file, dir, err, sizeof err), 0,
	       "CA paths: a file and a directory");
	is_int(cert_ca_usable("/nonexistent/ca.pem", NULL, err, sizeof err), -1,
	       "CA paths: a missing file");
	is_str(err, "--ca-file: cannot read '/nonexistent/ca.pem': No such file or directory",
	       "CA paths: the missing file named");
	is_int(cert_ca_usable(NULL, file, err, sizeof err), -1,
	       "CA paths: a file as --ca-path");
	ok(strstr(err, "' is not a directory") != NULL, "CA paths: not a directory: %s", err);
	unlink(file);
	rmdir(dir);
}

int
main(void)
{
	test_names();
	test_days();
	test_dates();
	test_tlsa();
	test_starttls();
	test_tls_opts();
	test_ca_usable();
	test_no_tls();
	return done_testing();
}

/* check_tls_cert: certificate and TLS health in one process. Connects
 * (directly or with STARTTLS), and hands the chain to certcheck, which
 * judges days left, trust, host name, key and signature policy, OCSP and
 * DANE. Every address of the name can be probed, all within one -t. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/ssl.h>

#include "certcheck.h"
#include "dane.h"
#include "deadline.h"
#include "net.h"
#include "opts.h"
#include "output.h"
#include "smtp.h"
#include "starttls.h"
#include "tls.h"

enum {
	OPT_SNI = 256,
	OPT_STARTTLS,
	OPT_CHECK_CHAIN,
	OPT_ELEM_LABELS,
	OPT_CA_FILE,
	OPT_CA_PATH,
	OPT_NO_VERIFY,
	OPT_NO_HOST,
	OPT_MIN_KEY,
	OPT_ALLOW_WEAK,
	OPT_MIN_TLS,
	OPT_OCSP_STAPLING,
	OPT_OCSP,
	OPT_ALL_ADDR,
	OPT_DANE,
	OPT_DNS_SERVER,
	OPT_DNSSEC_ANCHOR,
};

static const struct opt_spec tc_opts[] = {
        {'H', "hostname", required_argument, "HOST", "Host name or address to connect to."},
        {'p', "port", required_argument, "PORT", "TCP port (default 443)."},
        {'w', "warning", required_argument, "DAYS",
         "WARNING when the certificate expires in fewer days (default 30);\n"
         "a range on days left, where a bare number N means N:."},
        {'c', "critical", required_argument, "DAYS",
         "CRITICAL when it expires in fewer days (default 14)."},
        {'N', "name", required_argument, "NAME",
         "Name the certificate must carry (default: --sni, else -H)."},
        {OPT_SNI, "sni", required_argument, "NAME",
         "Server name to send (default: -H when it is a name)."},
        {OPT_STARTTLS, "starttls", required_argument, "PROTO",
         "smtp, submission, imap, pop3, ftp, xmpp, ldap, postgres or none;\n"
         "default from the port (25 smtp, 587 submission, 143 imap, 110 pop3,\n"
         "21 ftp, 5222 xmpp, 389 ldap, 5432 postgres, others none)."},
        {OPT_CHECK_CHAIN, "check-chain", no_argument, NULL,
         "Apply -w/-c to every certificate of the chain, not only the leaf."},
        {OPT_CA_FILE, "ca-file", required_argument, "FILE",
         "Trusted CA certificates (default: the system store)."},
        {OPT_CA_PATH, "ca-path", required_argument, "DIR",
         "Directory of hashed CA certificates."},
        {OPT_NO_VERIFY, "no-verify", no_argument, NULL,
         "Do not require a chain to a trusted root (self-signed allowed)."},
        {OPT_NO_HOST, "no-host-check", no_argument, NULL,
         "Do not match the name against the certificate."},
        {OPT_MIN_KEY, "min-key-bits", required_argument, "BITS",
         "Smallest RSA/DSA key accepted in the chain (default 2048)."},
        {OPT_ALLOW_WEAK, "allow-weak-signature", no_argument, NULL,
         "Accept SHA-1 and MD5 certificate signatures."},
        {OPT_MIN_TLS, "min-tls", required_argument, "VERSION",
         "1.0, 1.1, 1.2 or 1.3: the connection must use at least this version\n"
         "and a handshake limited to older versions must fail."},
        {OPT_OCSP_STAPLING, "ocsp-stapling", no_argument, NULL,
         "Require a stapled OCSP answer that says good."},
        {OPT_OCSP, "ocsp", no_argument, NULL,
         "Check revocation: the stapled answer, else the responder named in\n"
         "the certificate, within the -t budget."},
        {OPT_ALL_ADDR, "all-addresses", no_argument, NULL,
         "Probe every A/AAAA address of -H and report each."},
        {OPT_DANE, "dane", no_argument, NULL,
         "Match the chain against the TLSA records of _PORT._tcp.NAME\n"
         "(usages 0-3), which must validate with DNSSEC; a DANE-TA or\n"
         "DANE-EE match stands in for a trusted chain. The lookup is\n"
         "loaded from dane.so, one directory above the plugin's (or\n"
         "$GLANCE_DANE_MODULE); without it --dane is UNKNOWN."},
        {OPT_DNS_SERVER, "dns-server", required_argument, "ADDR[@PORT]",
         "Server for the TLSA query (default: /etc/resolv.conf)."},
        {OPT_DNSSEC_ANCHOR, "dnssec-anchor", required_argument, "FILE",
         "DS/DNSKEY trust anchors the TLSA answer is validated against\n"
         "(default " DANE_ROOT_ANCHOR ")."},
        {OPT_ELEM_LABELS, "chain-elem-perfdata", no_argument, NULL,
         "Also write check_ssl_cert's perfdata: days_chain_elem1 (the leaf),\n"
         "days_chain_elem2 ... for each certificate as served, so graphs\n"
         "kept from check_ssl_cert carry on."},
        OPT_IPV4,
        OPT_IPV6,
        OPT_END,
};

static const struct plugin_desc tc_desc = {
        .name = "check_tls_cert",
        .service = "TLS",
        .purpose = "Checks a TLS server's certificate: expiry, trust, host name, key and "
                   "signature policy, protocol, OCSP and DANE.",
        .usage = "-H HOST [-p PORT] [-w DAYS] [-c DAYS] [--starttls PROTO] [options]",
        .notes = "Examples:\n"
                 "  check_tls_cert -H www.example.test -w 30 -c 14 --check-chain\n"
                 "  check_tls_cert -H mail.example.test -p 25 --dane --all-addresses\n"
                 "  check_tls_cert -H www.example.test -w 20 -c 15 --chain-elem-perfdata\n"
                 "WARNING: expires within -w days, or revocation unknown (--ocsp).\n"
                 "CRITICAL: expires within -c days, expired, not yet valid, untrusted,\n"
                 "wrong host, weak key or signature, old protocol, revoked, missing\n"
                 "staple, DANE mismatch, no connection. UNKNOWN: bad arguments.",
        .opts = tc_opts,
        .default_timeout = 10,
};

/* What the user asked for. */
struct tc_args {
	const char *host;
	const char *sni;
	const char *name;
	unsigned port;
	int family;
	int starttls; /* enum starttls_proto, or -1 for "by port" */
	bool all_addresses;
	bool dane;
	const char *dns_server;
	const char *dnssec_anchor;
	struct cert_policy policy;
};

/* One run: the arguments and the result being built. */
struct tc_check {
	struct tc_args a;
	struct gl_output out;
	char ehlo[256];
	struct cert_dane dane;
	char dane_err[400]; /* why there are no TLSA records to match */
};

static int
tc_tls_version(const struct opts *o, const char *v)
{
	static const struct {
		const char *name;
		int version;
	} t[] = {{"1.0", TLS1_VERSION},
	         {"1.1", TLS1_1_VERSION},
	         {"1.2", TLS1_2_VERSION},
	         {"1.3", TLS1_3_VERSION}};

	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
		if (strcmp(v, t[i].name) == 0)
			return t[i].version;
	opts_usage_error(o, "--min-tls: '%s' is not 1.0, 1.1, 1.2 or 1.3", v);
}

/* The options that only set a policy field. Returns 0 if key is not one. */
static int
tc_parse_policy(struct opts *o, int key, const char *arg, struct cert_policy *p)
{
	switch (key) {
	case 'w': opts_range(o, arg, OPTS_BELOW, &p->days.warn); break;
	case 'c': opts_range(o, arg, OPTS_BELOW, &p->days.crit); break;
	case OPT_CHECK_CHAIN: p->check_chain = true; break;
	case OPT_ELEM_LABELS: p->elem_labels = true; break;
	case OPT_CA_FILE: p->ca_file = arg; break;
	case OPT_CA_PATH: p->ca_path = arg; break;
	case OPT_NO_VERIFY: p->verify = false; break;
	case OPT_NO_HOST: p->check_host = false; break;
	case OPT_MIN_KEY: p->min_key_bits = (int)opts_long(o, arg, 0, 65536); break;
	case OPT_ALLOW_WEAK: p->forbid_weak_sig = false; break;
	case OPT_MIN_TLS: p->min_tls_version = tc_tls_version(o, arg); break;
	case OPT_OCSP_STAPLING: p->ocsp = CERT_OCSP_STAPLE; break;
	case OPT_OCSP:
		if (p->ocsp != CERT_OCSP_STAPLE)
			p->ocsp = CERT_OCSP_FETCH;
		break;
	default: return 0;
	}
	return 1;
}

static void
tc_parse(struct tc_args *a, int argc, char **argv)
{
	struct opts o;
	const char *arg;
	int key;
	enum starttls_proto sp;
	char err[600];

	memset(a, 0, sizeof *a);
	a->port = 443;
	a->starttls = -1;
	cert_policy_init(&a->policy);
	opts_init(&o, &tc_desc, argc, argv);
	while ((key = opts_next(&o, &arg)) != -1) {
		if (tc_parse_policy(&o, key, arg, &a->policy))
			continue;
		switch (key) {
		case 'H': a->host = arg; break;
		case 'p': a->port = opts_port(&o, arg); break;
		case 'N': a->name = arg; break;
		case OPT_SNI: a->sni = arg; break;
		case OPT_STARTTLS:
			if (starttls_parse(arg, &sp) != 0)
				opts_usage_error(&o, "--starttls: unknown protocol '%s'", arg);
			a->starttls = (int)sp;
			break;
		case OPT_ALL_ADDR: a->all_addresses = true; break;
		case OPT_DANE: a->dane = true; break;
		case OPT_DNS_SERVER: a->dns_server = arg; break;
		case OPT_DNSSEC_ANCHOR: a->dnssec_anchor = arg; break;
		}
	}
	if (a->host == NULL || a->host[0] == '\0')
		opts_usage_error(&o, "-H HOST is required");
	if (thresholds_check(&a->policy.days, err, sizeof err) != 0)
		opts_usage_error(&o, "-w/-c: %s", err);
	if (cert_ca_usable(a->policy.ca_file, a->policy.ca_path, err, sizeof err) != 0)
		opts_usage_error(&o, "%s", err);
	a->family = o.family;
	opts_done(&o);
}

/* SNI defaults to the host name; an address is never sent (RFC 6066 s. 3).
 * The expected name defaults to what was sent, else to -H itself. */
static void
tc_names(struct tc_check *k)
{
	struct tc_args *a = &k->a;

	if (a->sni == NULL && !tls_is_ip_literal(a->host))
		a->sni = a->host;
	if (a->name == NULL)
		a->name = a->sni != NULL ? a->sni : a->host;
	if (a->starttls < 0)
		a->starttls = (int)starttls_for_port(a->port);
	smtp_client_name(k->ehlo, sizeof k->ehlo);
}

/* Connects to one address, runs STARTTLS if asked, then the handshake. */
static enum net_status
tc_handshake(const struct tc_check *k, const struct addrinfo *ai, const struct tls_opts *to,
             struct net_conn *c, char *err, size_t errlen)
{
	const char *who = k->a.starttls == STARTTLS_XMPP ? k->a.name : k->ehlo;
	enum net_status st;

	net_conn_init(c);
	if ((st = net_connect_addr(c, ai, err, errlen)) != NET_OK)
		return st;
	if ((st = starttls_run(c, (enum starttls_proto)k->a.starttls, who, err, errlen)) !=
	            NET_OK ||
	    (st = tls_start(c, to, err, errlen)) != NET_OK)
		net_close(c);
	return st;
}

/* A handshake that fails at the library's default security level is
 * retried once at level 0, so an old server (TLS 1.0 only, SHA-1
 * signatures) can still be seen and judged by name by the policy checks
 * instead of ending as "handshake failure". */
static enum net_status
tc_connect(struct tc_check *k, const struct addrinfo *ai, struct net_conn *c, char *err,
           size_t errlen)
{
	struct tls_opts to;
	char err2[256];

	certcheck_tls_opts(&to, k->a.sni);
	enum net_status st = tc_handshake(k, ai, &to, c, err, errlen);
	output_debug(1, "%s: %s", st == NET_OK ? c->peer : "handshake",
	             st == NET_OK ? "handshake done" : err);
	if (st != NET_ERR_TLS)
		return st;
	to.security_level_0 = true;
	if (tc_handshake(k, ai, &to, c, err2, sizeof err2) != NET_OK)
		return st;
	output_long(&k->out, "%s: the handshake needs OpenSSL security level 0 (%s)", c->peer,
	            err);
	return NET_OK;
}

static const char *
tc_version_name(int v)
{
	return v == TLS1_VERSION     ? "TLSv1"
	       : v == TLS1_1_VERSION ? "TLSv1.1"
	       : v == TLS1_2_VERSION ? "TLSv1.2"
	                             : "TLSv1.3";
}

/* --min-tls: a second handshake offering only older versions must fail.
 * Skipped when the connection itself is already older than the minimum. */
static void
tc_old_protocols(struct tc_check *k, const struct addrinfo *ai, int negotiated)
{
	int min = k->a.policy.min_tls_version;
	struct tls_opts to;
	struct net_conn c;
	char err[256];

	if (min <= TLS1_VERSION || negotiated < min)
		return;
	certcheck_tls_opts(&to, k->a.sni);
	to.status_request = false;
	to.security_level_0 = true; /* old versions need it in OpenSSL 3 */
	to.max_version = min - 1;
	if (tc_handshake(k, ai, &to, &c, err, sizeof err) != NET_OK) {
		output_debug(1, "older protocols refused: %s", err);
		return;
	}
	output_state(&k->out, GL_CRITICAL);
	output_summary(&k->out, " / server accepts %s (minimum %s)", tls_version(&c),
	               tc_version_name(min));
	net_close(&c);
}

static enum gl_state
tc_net_state(enum net_status st)
{
	/* a name without an address says nothing of the service: UNKNOWN,
	 * the rule every plugin follows */
	return st == NET_ERR_TIMEOUT   ? deadline_state()
	       : st == NET_ERR_RESOLVE ? GL_UNKNOWN
	                               : GL_CRITICAL;
}

/* Appends the result of one established connection. */
static void
tc_report(struct tc_check *k, struct net_conn *c, const struct addrinfo *ai, bool per_address)
{
	char addr[64];

	net_addr_str(ai->ai_addr, addr, sizeof addr);
	output_long(&k->out, "%s port %u: %s, %s", addr, k->a.port, tls_version(c),
	            tls_cipher(c));
	int negotiated = SSL_version(c->ssl);
	certcheck_eval(c, &k->a.policy, k->a.policy.check_host ? k->a.name : NULL,
	               per_address ? addr : NULL, &k->out);
	/* Closed before the next handshake: a one-connection-at-a-time
	 * server must not keep the probe waiting. */
	starttls_quit(c, (enum starttls_proto)k->a.starttls);
	net_close(c);
	tc_old_protocols(k, ai, negotiated);
}

static void
tc_fail(struct tc_check *k, enum net_status st, const char *err)
{
	output_state(&k->out, tc_net_state(st));
	output_summary(&k->out, "%s", err);
}

/* --all-addresses: every address, each reported under its own name. */
static void
tc_probe_all(struct tc_check *k, const struct addrinfo *res)
{
	char err[512], addr[64];
	struct net_conn c;

	for (const struct addrinfo *ai = res; ai != NULL; ai = ai->ai_next) {
		net_addr_str(ai->ai_addr, addr, sizeof addr);
		output_summary(&k->out, "%s%s (%s): ", ai == res ? "" : " / ", k->a.host, addr);
		enum net_status st = tc_connect(k, ai, &c, err, sizeof err);
		if (st == NET_OK)
			tc_report(k, &c, ai, true);
		else
			tc_fail(k, st, err);
	}
}

/* The default: the first address that accepts the connection, as any
 * client would use. */
static void
tc_probe_first(struct tc_check *k, const struct addrinfo *res)
{
	char err[512];
	struct net_conn c;
	enum net_status st = NET_ERR_CONNECT;

	output_summary(&k->out, "%s: ", k->a.host);
	for (const struct addrinfo *ai = res; ai != NULL; ai = ai->ai_next) {
		st = tc_connect(k, ai, &c, err, sizeof err);
		if (st == NET_OK) {
			tc_report(k, &c, ai, false);
			return;
		}
		if (st != NET_ERR_REFUSED && st != NET_ERR_CONNECT)
			break;
	}
	tc_fail(k, st, err);
}

/* --dane: the TLSA RRset, proven by DNSSEC, before any connection; a
 * failed lookup is CRITICAL and the probes go on without it. A lookup
 * that cannot be made (no DANE module) is UNKNOWN, like any other
 * plugin that cannot do what it was asked. */
static void
tc_dane(struct tc_check *k)
{
	struct dane_query q = {k->a.name, k->a.port, k->a.dns_server, k->a.dnssec_anchor,
	                       k->a.family};

	if (!k->a.dane)
		return;
	int rc = dane_lookup(&q, &k->dane, k->dane_err, sizeof k->dane_err);
	if (rc == 0) {
		k->a.policy.dane = &k->dane;
		return;
	}
	if (rc == -2)
		output_die("TLS", GL_UNKNOWN, "%s", k->dane_err);
	output_state(&k->out, GL_CRITICAL);
	output_long(&k->out, "DANE: %s", k->dane_err);
}

static void
tc_run(struct tc_check *k)
{
	struct addrinfo *res;
	char err[512];

	tc_names(k);
	tc_dane(k);
	enum net_status st = net_resolve(k->a.host, k->a.port, k->a.family, SOCK_STREAM, &res,
	                                 err, sizeof err);
	if (st != NET_OK) {
		tc_fail(k, st, err);
		return;
	}
	if (k->a.all_addresses)
		tc_probe_all(k, res);
	else
		tc_probe_first(k, res);
	freeaddrinfo(res);
	if (k->dane_err[0] != '\0')
		output_summary(&k->out, " / DANE: %s", k->dane_err);
}

int
main(int argc, char **argv)
{
	struct tc_check k;

	memset(&k, 0, sizeof k);
	tc_parse(&k.a, argc, argv);
	output_init(&k.out, tc_desc.service);
	tc_run(&k);
	dane_free(&k.dane);
	output_exit(&k.out);
}

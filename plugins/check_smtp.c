/* check_smtp: a mail server's SMTP dialogue, STARTTLS and certificate in
 * one check.
 *
 * The dialogue is one straight line of phases (connect, TLS for --ssl,
 * banner, EHLO, STARTTLS and EHLO again, certificate, AUTH, -C/-R
 * commands, MAIL/RCPT/DATA, RSET, QUIT), each timed on the monotonic
 * clock and each waiting only for what is left of the one deadline. A
 * phase that fails records why and stops the dialogue; QUIT is still
 * sent whenever the dialogue is in a known state, so the server never
 * sees a half-open connection from us. The certificate is judged by
 * certcheck.c, the same code check_tls_cert uses. */
#include <netdb.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "certcheck.h"
#include "deadline.h"
#include "net.h"
#include "opts.h"
#include "output.h"
#include "perfdata.h"
#include "range.h"
#include "smtp.h"
#include "strbuf.h"
#include "tls.h"

#define MAX_CMDS 16
#define MAX_RCPT 8
#define MAX_REQ_EXT 16

enum {
	OPT_RCPT = 256,
	OPT_SEND_TEST,
	OPT_REQUIRE_EXT,
	OPT_BANNER_FQDN,
	OPT_VERIFY,
	OPT_CERT_NAME,
	OPT_CA_FILE,
	OPT_TEMPFAIL,
	OPT_PERMFAIL,
	OPT_PLAIN_AUTH,
	OPT_RELAY_TEST,
};

enum phase { PH_CONNECT, PH_TLS, PH_BANNER, PH_EHLO, PH_AUTH, PH_ENVELOPE, PH_COUNT };
static const char *const phase_label[PH_COUNT] = {
        "connect", "tls", "banner", "ehlo", "auth", "envelope",
};

struct smtp_cfg {
	const char *host;
	unsigned port;
	int family;
	const char *expect;
	const char *cmd[MAX_CMDS];
	size_t ncmd;
	regex_t resp[MAX_CMDS];
	size_t nresp;
	const char *from; /* NULL: no MAIL FROM; "" is the null sender */
	const char *rcpt[MAX_RCPT];
	const char *relay_rcpt; /* an address the server must refuse */
	size_t nrcpt;
	char helo[256];
	const char *greet; /* "EHLO" or "LHLO" */
	bool starttls, ssl, send_test, banner_fqdn, ignore_quit, plain_auth;
	bool cert_check, verify;
	struct thresholds days; /* -D, on days left: "30:" alerts below 30 */
	const char *cert_name, *ca_file;
	const char *auth_mech, *auth_user;
	char *auth_pass;
	const char *req_ext[MAX_REQ_EXT];
	size_t nreq_ext;
	enum gl_state tempfail, permfail;
	struct thresholds time;
};

/* One run: the connection, the last reply and what has been learnt. */
struct smtp_check {
	const struct smtp_cfg *cfg;
	struct net_conn conn;
	struct smtp_reply reply;
	struct smtp_ext ext;
	bool have_ext; /* EHLO (not HELO) answered */
	bool greeted;  /* the banner came: QUIT is owed */
	bool synced;   /* the stream is at a reply boundary */
	bool tls;
	int64_t t0;
	double phase[PH_COUNT];
	bool phase_ran[PH_COUNT];
	double total;
	struct gl_output out;
	struct strbuf problems, info;
	char err[512];
};

static const struct opt_spec smtp_opts[] = {
        {'H', "hostname", required_argument, "ADDRESS",
         "Host name or address of the mail server."},
        {'p', "port", required_argument, "PORT", "TCP port (default 25, 465 with --ssl)."},
        OPT_IPV4,
        OPT_IPV6,
        {'e', "expect", required_argument, "STRING",
         "Text the banner's first line must contain (default '220')."},
        {'C', "command", required_argument, "CMD",
         "SMTP command to send after EHLO, AUTH and MAIL/RCPT (like\n"
         "monitoring-plugins, after MAIL FROM when -f is given); repeatable."},
        {'R', "response", required_argument, "REGEX",
         "Extended regex the reply to the matching -C must match; repeatable.\n"
         "A mismatch is WARNING. Without -R the reply's class decides."},
        {'f', "from", required_argument, "SENDER", "Send MAIL FROM:<SENDER> (\"\" for <>)."},
        {OPT_RCPT, "rcpt", required_argument, "ADDR",
         "Send RCPT TO:<ADDR> after -f and report acceptance; repeatable (8)."},
        {OPT_RELAY_TEST, "relay-test", required_argument, "ADDR",
         "After -f, RCPT TO:<ADDR> at a domain the server does not serve:\n"
         "CRITICAL if accepted (an open relay), OK if refused with 5xx."},
        {OPT_SEND_TEST, "send-test-message", no_argument, NULL,
         "After an accepted RCPT, send a short test message with DATA."},
        {'F', "fqdn", required_argument, "NAME",
         "Name to send with EHLO (default: this host's name)."},
        {'L', "lmtp", no_argument, NULL, "Speak LMTP: LHLO instead of EHLO."},
        {'S', "starttls", no_argument, NULL,
         "Require STARTTLS and use it (re-sending EHLO after it)."},
        {'s', "ssl", no_argument, NULL,
         "Implicit TLS from the first byte (submissions, port 465)."},
        {'D', "certificate", required_argument, "WARN[,CRIT]",
         "Minimum days the certificate must still be valid (implies -S\n"
         "unless --ssl); CRIT defaults to 0 (expired). Ranges on days left\n"
         "as everywhere, a bare number N meaning N: (alert below N)."},
        {OPT_VERIFY, "verify-cert", no_argument, NULL,
         "The chain must verify and the name (-H or --cert-name) match;\n"
         "otherwise CRITICAL. Implies -S unless --ssl."},
        {OPT_CERT_NAME, "cert-name", required_argument, "NAME",
         "Name the certificate must carry (default -H); also sent as SNI."},
        {OPT_CA_FILE, "ca-file", required_argument, "FILE",
         "Trust anchors for --verify-cert (default: system store; -D alone\n"
         "reads no trust store)."},
        {'A', "authtype", required_argument, "MECH", "SASL mechanism to test: PLAIN or LOGIN."},
        {'U', "authuser", required_argument, "USER", "User name for -A."},
        {'P', "authpass", required_argument, "PASS",
         "Password for -A: literal, env:NAME or file:PATH (mode 600)."},
        {OPT_PLAIN_AUTH, "auth-without-tls", no_argument, NULL,
         "Allow -A on a connection without TLS (sends the password in clear)."},
        {OPT_REQUIRE_EXT, "require-ext", required_argument, "KEYWORD",
         "EHLO must list this extension (STARTTLS, PIPELINING, SIZE,\n"
         "8BITMIME, AUTH, ...), else WARNING; repeatable."},
        {OPT_BANNER_FQDN, "check-banner-fqdn", no_argument, NULL,
         "WARNING unless the greeting's host name is a resolvable FQDN."},
        {OPT_TEMPFAIL, "tempfail-state", required_argument, "STATE",
         "State for a 4xx reply (default warning)."},
        {OPT_PERMFAIL, "permfail-state", required_argument, "STATE",
         "State for a 5xx reply (default critical)."},
        {'q', "ignore-quit-failure", no_argument, NULL,
         "A bad or missing reply to QUIT is not WARNING."},
        {'w', "warning", required_argument, "RANGE", "Total time (seconds) for WARNING."},
        {'c', "critical", required_argument, "RANGE", "Total time (seconds) for CRITICAL."},
        OPT_END,
};

static const struct plugin_desc smtp_desc = {
        .name = "check_smtp",
        .service = "SMTP",
        .purpose = "Checks a mail server's SMTP dialogue, STARTTLS and certificate in one run.",
        .usage = "-H HOST [-p PORT] [-e EXPECT] [-C CMD [-R REGEX]]... [-f FROM [--rcpt "
                 "ADDR]...]\n"
                 "  [-F FQDN] [-S|--ssl] [-D WARN[,CRIT]] [--verify-cert] [-A PLAIN|LOGIN -U "
                 "USER\n"
                 "  -P PASS] [--require-ext KW]... [-w SECS] [-c SECS] [-t SECS[:STATE]]",
        .notes = "A 4xx reply is WARNING and a 5xx reply CRITICAL unless -R or the\n"
                 "--tempfail-state/--permfail-state options say otherwise. EHLO is always\n"
                 "sent (HELO only when EHLO is refused); QUIT always ends the dialogue.\n"
                 "Perfdata: time (total, with -w/-c) and the time of each phase that ran:\n"
                 "connect, tls (STARTTLS command and handshake), banner, ehlo (both\n"
                 "EHLOs with STARTTLS), auth, envelope (MAIL, RCPT, DATA and -C);\n"
                 "days with a certificate check.\n"
                 "Example: check_smtp -H mx.example.net -S -D 21,7 -f '' --rcpt "
                 "postmaster@example.net",
        .opts = smtp_opts,
};

/* ---- results ---------------------------------------------------------- */

static void smtp_problem(struct smtp_check *ck, enum gl_state st, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

static void
smtp_problem(struct smtp_check *ck, enum gl_state st, const char *fmt, ...)
{
	va_list ap;

	output_state(&ck->out, st);
	if (ck->problems.len > 0)
		sb_append(&ck->problems, " / ");
	va_start(ap, fmt);
	sb_vappendf(&ck->problems, fmt, ap);
	va_end(ap);
}

static void smtp_info(struct smtp_check *ck, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));

static void
smtp_info(struct smtp_check *ck, const char *fmt, ...)
{
	va_list ap;

	if (ck->info.len > 0)
		sb_append(&ck->info, " / ");
	va_start(ap, fmt);
	sb_vappendf(&ck->info, fmt, ap);
	va_end(ap);
}

/* A failed read or write: the stream is no longer at a reply boundary,
 * so no QUIT follows. A timeout takes the state -t asked for. */
static bool
smtp_net_fail(struct smtp_check *ck, enum net_status st, const char *what)
{
	ck->synced = false;
	if (st == NET_ERR_TIMEOUT)
		smtp_problem(ck, deadline_state(), "timeout after %g s %s", deadline_seconds(),
		             what);
	else
		smtp_problem(ck, GL_CRITICAL, "%s: %s", what, ck->err);
	return false;
}

/* "550 5.1.1 text" of the last reply, first line only, for messages. */
static void
smtp_reply_str(const struct smtp_check *ck, char *buf, size_t len)
{
	char first[256];

	smtp_reply_first_line(&ck->reply, first, sizeof first);
	snprintf(buf, len, "%d%s%s%s%s", ck->reply.code, ck->reply.enhanced[0] ? " " : "",
	         ck->reply.enhanced, first[0] ? " " : "", first);
}

/* Judges a reply that should be in class want: 4xx and 5xx take the
 * configured states, any other surprise is CRITICAL. */
static bool
smtp_expect(struct smtp_check *ck, int want, const char *what)
{
	char r[320];
	int cls = smtp_reply_class(&ck->reply);

	if (cls == want)
		return true;
	smtp_reply_str(ck, r, sizeof r);
	smtp_problem(ck,
	             cls == 4   ? ck->cfg->tempfail
	             : cls == 5 ? ck->cfg->permfail
	                        : GL_CRITICAL,
	             "%s rejected: %s", what, r);
	return false;
}

/* Sends a command and reads its reply, timing it into a phase. */
static bool smtp_step(struct smtp_check *ck, enum phase ph, const char *what, const char *fmt,
                      ...) __attribute__((format(printf, 4, 5)));

static bool
smtp_step(struct smtp_check *ck, enum phase ph, const char *what, const char *fmt, ...)
{
	struct strbuf cmd = STRBUF_INIT;
	va_list ap;
	int64_t t = mono_ns();

	va_start(ap, fmt);
	sb_vappendf(&cmd, fmt, ap);
	va_end(ap);
	enum net_status st = smtp_command(&ck->conn, &ck->reply, ck->err, sizeof ck->err, "%s",
	                                  sb_str(&cmd));
	sb_free(&cmd);
	ck->phase[ph] += (double)(mono_ns() - t) / 1e9;
	ck->phase_ran[ph] = true;
	if (st != NET_OK) {
		char w[320];
		snprintf(w, sizeof w, "waiting for the reply to %s", what);
		return smtp_net_fail(ck, st, w);
	}
	return true;
}

/* ---- phases ----------------------------------------------------------- */

static bool
smtp_connect(struct smtp_check *ck)
{
	int64_t t = mono_ns();
	enum net_status st = net_connect(&ck->conn, ck->cfg->host, ck->cfg->port,
	                                 ck->cfg->family, ck->err, sizeof ck->err);

	ck->phase[PH_CONNECT] = (double)(mono_ns() - t) / 1e9;
	ck->phase_ran[PH_CONNECT] = true;
	if (st == NET_OK) {
		output_long(&ck->out, "connected to %s port %u", ck->conn.peer, ck->cfg->port);
		return true;
	}
	if (st == NET_ERR_TIMEOUT)
		return smtp_net_fail(ck, st, "connecting");
	smtp_problem(ck, st == NET_ERR_RESOLVE ? GL_UNKNOWN : GL_CRITICAL, "%s", ck->err);
	return false;
}

static bool
smtp_tls(struct smtp_check *ck)
{
	const struct smtp_cfg *cfg = ck->cfg;
	struct tls_opts to;
	int64_t t = mono_ns();

	certcheck_tls_opts(&to, cfg->cert_name ? cfg->cert_name : cfg->host);
	to.security_level_0 = true; /* see a weak certificate, judge it by policy */
	enum net_status st = tls_start(&ck->conn, &to, ck->err, sizeof ck->err);

	ck->phase[PH_TLS] += (double)(mono_ns() - t) / 1e9;
	ck->phase_ran[PH_TLS] = true;
	if (st != NET_OK)
		return smtp_net_fail(ck, st, "in the TLS handshake");
	ck->tls = true;
	output_long(&ck->out, "TLS: %s, %s", tls_version(&ck->conn), tls_cipher(&ck->conn));
	return true;
}

/* RFC 5321 section 4.3.1: the greeting is 220 (or 554 for "no service
 * here"); -e is matched against the whole first line, as
 * monitoring-plugins does. */
static bool
smtp_banner(struct smtp_check *ck)
{
	char line[320];
	int64_t t = mono_ns();
	enum net_status st = smtp_read_reply(&ck->conn, &ck->reply, ck->err, sizeof ck->err);

	ck->phase[PH_BANNER] = (double)(mono_ns() - t) / 1e9;
	ck->phase_ran[PH_BANNER] = true;
	if (st != NET_OK)
		return smtp_net_fail(ck, st, "waiting for the banner");
	ck->greeted = ck->synced = true;
	smtp_reply_str(ck, line, sizeof line);
	output_long(&ck->out, "banner: %s", line);
	if (!smtp_expect(ck, 2, "connection"))
		return false;
	if (strstr(line, ck->cfg->expect) == NULL)
		smtp_problem(ck, GL_WARNING, "banner does not contain '%s': %.120s",
		             ck->cfg->expect, line);
	smtp_reply_first_line(&ck->reply, line, sizeof line);
	smtp_info(ck, "%.100s", line);
	return true;
}

/* EHLO, or HELO when EHLO is refused (RFC 5321 section 3.2). */
static bool
smtp_hello(struct smtp_check *ck, const char *when)
{
	struct strbuf sb = STRBUF_INIT;
	const struct smtp_cfg *cfg = ck->cfg;

	memset(&ck->ext, 0, sizeof ck->ext);
	ck->have_ext = false;
	if (!smtp_step(ck, PH_EHLO, cfg->greet, "%s %s", cfg->greet, cfg->helo))
		return false;
	if (smtp_reply_class(&ck->reply) == 5 && strcmp(cfg->greet, "EHLO") == 0) {
		output_long(&ck->out, "EHLO refused (%d), trying HELO", ck->reply.code);
		if (!smtp_step(ck, PH_EHLO, "HELO", "HELO %s", cfg->helo))
			return false;
		return smtp_expect(ck, 2, "HELO");
	}
	if (!smtp_expect(ck, 2, cfg->greet))
		return false;
	smtp_ext_parse(&ck->reply, &ck->ext);
	ck->have_ext = true;
	smtp_ext_format(&ck->ext, &sb);
	output_long(&ck->out, "extensions%s: %s", when, sb.len ? sb_str(&sb) : "(none)");
	sb_free(&sb);
	return true;
}

/* RFC 3207: STARTTLS, 220, handshake, then everything learnt before it
 * is forgotten and EHLO is sent again (section 4.2). */
static bool
smtp_starttls(struct smtp_check *ck)
{
	if (!ck->ext.starttls) {
		smtp_problem(ck, GL_WARNING, "STARTTLS not offered");
		return false;
	}
	if (!smtp_step(ck, PH_TLS, "STARTTLS", "STARTTLS") || !smtp_expect(ck, 2, "STARTTLS"))
		return false;
	if (!smtp_tls(ck))
		return false;
	return smtp_hello(ck, " after STARTTLS");
}

/* Merges certcheck's verdict, told in a gl_output of its own, into the
 * check's: its summary fragment goes first if it raised the state. */
static void
smtp_cert(struct smtp_check *ck)
{
	const struct smtp_cfg *cfg = ck->cfg;
	struct cert_policy p;
	struct gl_output co;

	cert_policy_init(&p);
	p.days = cfg->days;
	p.verify = cfg->verify;
	p.check_host = cfg->verify;
	p.ca_file = cfg->ca_file;
	output_init(&co, "SMTP");
	enum gl_state st = certcheck_eval(
	        &ck->conn, &p, cfg->cert_name ? cfg->cert_name : cfg->host, NULL, &co);
	if (st != GL_OK)
		smtp_problem(ck, st, "%s", sb_str(&co.summary));
	else
		smtp_info(ck, "%s", sb_str(&co.summary));
	sb_append(&ck->out.longout, sb_str(&co.longout));
	if (ck->out.perf.len > 0 && co.perf.len > 0)
		sb_appendc(&ck->out.perf, ' ');
	sb_append(&ck->out.perf, sb_str(&co.perf));
	sb_free(&co.summary);
	sb_free(&co.longout);
	sb_free(&co.perf);
}

static bool
smtp_require_ext(struct smtp_check *ck)
{
	bool ok = true;

	for (size_t i = 0; i < ck->cfg->nreq_ext; i++) {
		if (smtp_ext_find(&ck->ext, ck->cfg->req_ext[i]) != NULL)
			continue;
		smtp_problem(ck, GL_WARNING, "%s not offered%s", ck->cfg->req_ext[i],
		             ck->have_ext ? "" : " (no EHLO)");
		ok = false;
	}
	return ok;
}

static char *
smtp_base64(const char *s, size_t n)
{
	char *out = xmalloc(4 * ((n + 2) / 3) + 1);

	EVP_EncodeBlock((unsigned char *)out, (const unsigned char *)s, (int)n);
	return out;
}

/* Sends one base64 credential line and reads the reply. */
static bool
smtp_auth_send(struct smtp_check *ck, const char *line)
{
	int64_t t = mono_ns();
	enum net_status st = smtp_send_secret(&ck->conn, line, ck->err, sizeof ck->err);

	if (st == NET_OK)
		st = smtp_read_reply(&ck->conn, &ck->reply, ck->err, sizeof ck->err);
	ck->phase[PH_AUTH] += (double)(mono_ns() - t) / 1e9;
	ck->phase_ran[PH_AUTH] = true;
	return st == NET_OK ? true : smtp_net_fail(ck, st, "waiting for the reply to AUTH");
}

/* RFC 4954 with PLAIN (RFC 4616, initial response) or LOGIN. The
 * credentials are wiped as soon as they are sent. */
static bool
smtp_auth(struct smtp_check *ck)
{
	const struct smtp_cfg *cfg = ck->cfg;
	size_t ul = strlen(cfg->auth_user), pl = strlen(cfg->auth_pass);
	bool ok;

	if (!smtp_ext_has_auth(&ck->ext, cfg->auth_mech)) {
		const char *a = smtp_ext_find(&ck->ext, "AUTH");
		smtp_problem(ck, GL_CRITICAL, "AUTH %s not offered (AUTH %s)", cfg->auth_mech,
		             a ? a : "not listed");
		return false;
	}
	if (strcmp(cfg->auth_mech, "PLAIN") == 0) {
		char *raw = xmalloc(ul + pl + 3), *b64, *line;
		raw[0] = '\0';
		memcpy(raw + 1, cfg->auth_user, ul + 1);
		memcpy(raw + ul + 2, cfg->auth_pass, pl);
		b64 = smtp_base64(raw, ul + pl + 2);
		line = xmalloc(strlen(b64) + 12);
		snprintf(line, strlen(b64) + 12, "AUTH PLAIN %s", b64);
		ok = smtp_auth_send(ck, line);
		explicit_bzero(raw, ul + pl + 2);
		explicit_bzero(b64, strlen(b64));
		explicit_bzero(line, strlen(line));
		free(raw), free(b64), free(line);
	} else {
		ok = smtp_step(ck, PH_AUTH, "AUTH LOGIN", "AUTH LOGIN") &&
		     smtp_expect(ck, 3, "AUTH LOGIN");
		for (int i = 0; ok && i < 2; i++) {
			char *b64 = smtp_base64(i == 0 ? cfg->auth_user : cfg->auth_pass,
			                        i == 0 ? ul : pl);
			ok = smtp_auth_send(ck, b64) &&
			     (i == 1 || smtp_expect(ck, 3, "AUTH LOGIN user name"));
			explicit_bzero(b64, strlen(b64));
			free(b64);
		}
	}
	if (!ok || !smtp_expect(ck, 2, "authentication"))
		return false;
	smtp_info(ck, "AUTH %s as %s accepted", cfg->auth_mech, cfg->auth_user);
	return true;
}

/* -C/-R pairs: a regex decides where one is given (mismatch WARNING, as
 * monitoring-plugins), the reply's class otherwise. */
static bool
smtp_commands(struct smtp_check *ck)
{
	const struct smtp_cfg *cfg = ck->cfg;
	char r[320];

	for (size_t i = 0; i < cfg->ncmd; i++) {
		if (!smtp_step(ck, PH_ENVELOPE, cfg->cmd[i], "%s", cfg->cmd[i]))
			return false;
		smtp_reply_str(ck, r, sizeof r);
		output_long(&ck->out, "%s: %s", cfg->cmd[i], r);
		if (i >= cfg->nresp) {
			if (!smtp_expect(ck, smtp_reply_class(&ck->reply) == 3 ? 3 : 2,
			                 cfg->cmd[i]))
				return false;
			continue;
		}
		char full[SMTP_TEXT_MAX + 32];
		snprintf(full, sizeof full, "%d%s%s %s", ck->reply.code,
		         ck->reply.enhanced[0] ? " " : "", ck->reply.enhanced, ck->reply.text);
		if (regexec(&cfg->resp[i], full, 0, NULL, 0) != 0)
			smtp_problem(ck, GL_WARNING, "unexpected reply to '%s': %s",
			             cfg->cmd[i], r);
	}
	return true;
}

/* The test message's lines, each a plain call so every format string is
 * a literal the compiler checks; the first failure ends the sending. */
static enum net_status
smtp_message(struct smtp_check *ck, const char *rcpt, const char *date, time_t now)
{
	struct net_conn *c = &ck->conn;
	char *e = ck->err;
	size_t el = sizeof ck->err;
	enum net_status st = smtp_send(c, e, el, "From: <%s>", ck->cfg->from);

	if (st == NET_OK)
		st = smtp_send(c, e, el, "To: <%s>", rcpt);
	if (st == NET_OK)
		st = smtp_send(c, e, el, "Subject: check_smtp test message");
	if (st == NET_OK)
		st = smtp_send(c, e, el, "Date: %s", date);
	if (st == NET_OK)
		st = smtp_send(c, e, el, "Message-ID: <check_smtp.%lld.%ld@%s>", (long long)now,
		               (long)getpid(), ck->cfg->helo);
	if (st == NET_OK)
		st = smtp_send(c, e, el, "Auto-Submitted: auto-generated");
	if (st == NET_OK)
		st = smtp_send(c, e, el, "%s", "");
	if (st == NET_OK)
		st = smtp_send(c, e, el,
		               "This message tests mail delivery; it can be deleted.");
	return st;
}

/* A small message that says what it is; no line starts with '.', so no
 * dot-stuffing is needed (RFC 5321 section 4.5.2). */
static bool
smtp_data(struct smtp_check *ck, const char *rcpt)
{
	char date[64], r[320];
	time_t now = time(NULL);
	struct tm tm;

	if (!smtp_step(ck, PH_ENVELOPE, "DATA", "DATA") || !smtp_expect(ck, 3, "DATA"))
		return false;
	if (gmtime_r(&now, &tm) == NULL ||
	    strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S +0000", &tm) == 0)
		snprintf(date, sizeof date, "Thu, 01 Jan 1970 00:00:00 +0000");
	enum net_status st = smtp_message(ck, rcpt, date, now);
	if (st != NET_OK)
		return smtp_net_fail(ck, st, "sending the message");
	if (!smtp_step(ck, PH_ENVELOPE, "end of data", ".") || !smtp_expect(ck, 2, "message"))
		return false;
	smtp_reply_str(ck, r, sizeof r);
	smtp_info(ck, "test message accepted: %.100s", r);
	return true;
}

/* --relay-test: from where the check runs, a recipient outside the
 * server's domains must be refused, or anyone can send spam through it
 * (an open relay, which RFC 2505 section 2 tells every MTA to refuse). A
 * 4xx (greylisting, a busy policy service) proves nothing either way. */
static bool
smtp_relay_test(struct smtp_check *ck)
{
	char what[320], r[320];

	snprintf(what, sizeof what, "RCPT TO:<%s>", ck->cfg->relay_rcpt);
	if (!smtp_step(ck, PH_ENVELOPE, what, "%s", what))
		return false;
	smtp_reply_str(ck, r, sizeof r);
	output_long(&ck->out, "relay test %s: %s", what, r);
	switch (smtp_reply_class(&ck->reply)) {
	case 5: smtp_info(ck, "relay to <%s> refused", ck->cfg->relay_rcpt); break;
	case 2: smtp_problem(ck, GL_CRITICAL, "open relay: %s accepted", what); break;
	default: smtp_problem(ck, GL_WARNING, "relay test inconclusive: %s", r); break;
	}
	return true;
}

/* MAIL FROM, each RCPT TO, and DATA when asked; RSET afterwards so the
 * server drops the transaction. */
static bool
smtp_envelope(struct smtp_check *ck)
{
	const struct smtp_cfg *cfg = ck->cfg;
	const char *accepted = NULL;
	char what[320], r[320];

	if (!smtp_step(ck, PH_ENVELOPE, "MAIL FROM", "MAIL FROM:<%s>", cfg->from))
		return false;
	smtp_reply_str(ck, r, sizeof r);
	output_long(&ck->out, "MAIL FROM:<%s>: %s", cfg->from, r);
	if (!smtp_expect(ck, 2, "MAIL FROM"))
		return true; /* the connection is fine: RSET and QUIT follow */
	for (size_t i = 0; i < cfg->nrcpt; i++) {
		snprintf(what, sizeof what, "RCPT TO:<%s>", cfg->rcpt[i]);
		if (!smtp_step(ck, PH_ENVELOPE, what, "%s", what))
			return false;
		smtp_reply_str(ck, r, sizeof r);
		output_long(&ck->out, "%s: %s", what, r);
		if (!smtp_expect(ck, 2, what))
			continue;
		smtp_info(ck, "%s accepted", what);
		if (accepted == NULL)
			accepted = cfg->rcpt[i];
	}
	if (cfg->relay_rcpt != NULL && !smtp_relay_test(ck))
		return false;
	if (cfg->send_test && accepted != NULL && !smtp_data(ck, accepted))
		return ck->synced;
	return true;
}

static void
smtp_rset_quit(struct smtp_check *ck, bool rset)
{
	enum net_status st;

	/* After 421 the server closes the channel (RFC 5321 section 3.8). */
	if (!ck->greeted || !ck->synced || ck->reply.code == 421)
		return;
	if (rset &&
	    smtp_command(&ck->conn, &ck->reply, ck->err, sizeof ck->err, "RSET") != NET_OK)
		ck->synced = false;
	st = ck->synced ? smtp_command(&ck->conn, &ck->reply, ck->err, sizeof ck->err, "QUIT")
	                : NET_ERR_IO;
	if (ck->cfg->ignore_quit)
		return;
	if (st != NET_OK)
		smtp_problem(ck, GL_WARNING, "no reply to QUIT (%s)", ck->err);
	else if (ck->reply.code != 221)
		smtp_problem(ck, GL_WARNING, "unexpected reply to QUIT: %d", ck->reply.code);
}

/* ---- banner name ------------------------------------------------------ */

/* Names that only mean something inside one network; a mail server that
 * greets (or says HELO) with one of them is what the "Helo command
 * rejected" bounces of misconfigured servers are about. */
static bool
smtp_private_tld(const char *name)
{
	static const char *const tlds[] = {"local",     "localdomain", "lan",
	                                   "home",      "corp",        "internal",
	                                   "localhost", "invalid",     "example"};
	const char *dot = strrchr(name, '.');

	for (size_t i = 0; dot != NULL && i < sizeof tlds / sizeof tlds[0]; i++)
		if (strcasecmp(dot + 1, tlds[i]) == 0)
			return true;
	return false;
}

/* --check-banner-fqdn: the greeting starts with the server's domain or an
 * address literal (RFC 5321 section 4.3.1); a domain must have a dot,
 * not be private-use, and resolve. */
static void
smtp_banner_fqdn(struct smtp_check *ck, const char *banner)
{
	char name[256];
	struct addrinfo hints = {.ai_socktype = SOCK_STREAM}, *res = NULL;
	size_t n = strcspn(banner, " ");

	if (n == 0 || n >= sizeof name) {
		smtp_problem(ck, GL_WARNING, "greeting names no host");
		return;
	}
	memcpy(name, banner, n);
	name[n] = '\0';
	if (name[0] == '[') {
		output_long(&ck->out, "greeting names an address literal %s", name);
		return;
	}
	if (name[n - 1] == '.')
		name[--n] = '\0';
	if (strchr(name, '.') == NULL || smtp_private_tld(name)) {
		smtp_problem(ck, GL_WARNING, "greeting name '%s' is not a public FQDN", name);
		return;
	}
	int rc = getaddrinfo(name, NULL, &hints, &res);
	if (rc != 0) {
		smtp_problem(ck, GL_WARNING, "greeting name '%s' does not resolve (%s)", name,
		             gai_strerror(rc));
		return;
	}
	freeaddrinfo(res);
	output_long(&ck->out, "greeting name %s resolves", name);
}

/* ---- run and report --------------------------------------------------- */

static bool
smtp_dialogue(struct smtp_check *ck, bool *mail)
{
	const struct smtp_cfg *cfg = ck->cfg;

	if (!smtp_connect(ck) || (cfg->ssl && !smtp_tls(ck)) || !smtp_banner(ck))
		return false;
	if (cfg->banner_fqdn) {
		char first[256];
		smtp_reply_first_line(&ck->reply, first, sizeof first);
		smtp_banner_fqdn(ck, first);
	}
	if (!smtp_hello(ck, ""))
		return false;
	if (cfg->starttls) {
		if (!smtp_starttls(ck))
			return false;
		smtp_info(ck, "STARTTLS %s", tls_version(&ck->conn));
	} else if (cfg->ssl) {
		smtp_info(ck, "%s", tls_version(&ck->conn));
	}
	if (ck->tls && cfg->cert_check)
		smtp_cert(ck);
	smtp_require_ext(ck);
	if (cfg->auth_mech != NULL && !smtp_auth(ck))
		return false;
	if (cfg->from != NULL) {
		*mail = true;
		if (!smtp_envelope(ck))
			return false;
	}
	return smtp_commands(ck);
}

static void
smtp_run(struct smtp_check *ck)
{
	bool mail = false;

	ck->t0 = mono_ns();
	smtp_dialogue(ck, &mail);
	smtp_rset_quit(ck, mail);
	net_close(&ck->conn);
	ck->total = (double)(mono_ns() - ck->t0) / 1e9;
}

static void
smtp_report(struct smtp_check *ck)
{
	const struct smtp_cfg *cfg = ck->cfg;
	enum gl_state ts = thresholds_eval(&cfg->time, ck->total);
	struct strbuf perf = STRBUF_INIT;

	if (ts != GL_OK) {
		struct strbuf r = STRBUF_INIT;
		range_format(&r, ts == GL_CRITICAL ? &cfg->time.crit : &cfg->time.warn);
		smtp_problem(ck, ts, "response time %.3f s (%s threshold %s)", ck->total,
		             ts == GL_CRITICAL ? "critical" : "warning", sb_str(&r));
		sb_free(&r);
	}
	if (ck->problems.len > 0)
		output_summary(&ck->out, "%s / ", sb_str(&ck->problems));
	if (ck->info.len > 0)
		output_summary(&ck->out, "%s / ", sb_str(&ck->info));
	output_summary(&ck->out, "%.3f s response time", ck->total);
	perfdata_append(&perf, &(struct pd_item){.label = "time",
	                                         .value = ck->total,
	                                         .uom = "s",
	                                         .warn = &cfg->time.warn,
	                                         .crit = &cfg->time.crit,
	                                         .has_min = true});
	for (int i = 0; i < PH_COUNT; i++)
		if (ck->phase_ran[i])
			perfdata_append(&perf, &(struct pd_item){.label = phase_label[i],
			                                         .value = ck->phase[i],
			                                         .uom = "s",
			                                         .has_min = true});
	if (ck->out.perf.len > 0)
		sb_appendf(&perf, " %s", sb_str(&ck->out.perf));
	sb_free(&ck->out.perf);
	ck->out.perf = perf;
	sb_free(&ck->problems);
	sb_free(&ck->info);
}

/* ---- options ---------------------------------------------------------- */

/* A list option given more often than its array holds is a usage error,
 * never an overflow. */
static void
smtp_push(struct opts *o, const char **list, size_t *n, size_t max, const char *arg)
{
	if (*n >= max)
		opts_usage_error(o, "%s: at most %zu times", o->current, max);
	list[(*n)++] = arg;
}

/* The options about where to connect and what to say. */
static bool
smtp_opt_dialogue(struct opts *o, struct smtp_cfg *cfg, int key, const char *arg)
{
	switch (key) {
	case 'H': cfg->host = arg; break;
	case 'p': cfg->port = opts_port(o, arg); break;
	case 'e': cfg->expect = arg; break;
	case 'C': smtp_push(o, cfg->cmd, &cfg->ncmd, MAX_CMDS, arg); break;
	case 'R':
		if (cfg->nresp >= MAX_CMDS)
			opts_usage_error(o, "-R: at most %d times", MAX_CMDS);
		if (regcomp(&cfg->resp[cfg->nresp], arg,
		            REG_EXTENDED | REG_NEWLINE | REG_NOSUB) != 0)
			opts_usage_error(o, "%s: '%s' is not a valid regex", o->current, arg);
		cfg->nresp++;
		break;
	case 'f': cfg->from = arg; break;
	case OPT_RCPT: smtp_push(o, cfg->rcpt, &cfg->nrcpt, MAX_RCPT, arg); break;
	case OPT_SEND_TEST: cfg->send_test = true; break;
	case OPT_RELAY_TEST: cfg->relay_rcpt = arg; break;
	case 'F': snprintf(cfg->helo, sizeof cfg->helo, "%s", arg); break;
	case 'L': cfg->greet = "LHLO"; break;
	case OPT_REQUIRE_EXT:
		smtp_push(o, cfg->req_ext, &cfg->nreq_ext, MAX_REQ_EXT, arg);
		break;
	case OPT_BANNER_FQDN: cfg->banner_fqdn = true; break;
	case 'q': cfg->ignore_quit = true; break;
	case OPT_TEMPFAIL: cfg->tempfail = opts_state(o, arg); break;
	case OPT_PERMFAIL: cfg->permfail = opts_state(o, arg); break;
	case 'w': opts_range(o, arg, OPTS_ABOVE, &cfg->time.warn); break;
	case 'c': opts_range(o, arg, OPTS_ABOVE, &cfg->time.crit); break;
	default: return false;
	}
	return true;
}

/* The options about TLS, the certificate and AUTH. */
static void
smtp_opt_security(struct opts *o, struct smtp_cfg *cfg, int key, const char *arg)
{
	switch (key) {
	case 'S': cfg->starttls = true; break;
	case 's': cfg->ssl = true; break;
	case 'D':
		opts_thresholds(o, arg, OPTS_BELOW, &cfg->days);
		cfg->cert_check = true;
		break;
	case OPT_VERIFY: cfg->verify = cfg->cert_check = true; break;
	case OPT_CERT_NAME: cfg->cert_name = arg; break;
	case OPT_CA_FILE: cfg->ca_file = arg; break;
	case 'A':
		if (strcasecmp(arg, "PLAIN") != 0 && strcasecmp(arg, "LOGIN") != 0)
			opts_usage_error(o, "-A: '%s' is not PLAIN or LOGIN", arg);
		cfg->auth_mech = strcasecmp(arg, "PLAIN") == 0 ? "PLAIN" : "LOGIN";
		break;
	case 'U': cfg->auth_user = arg; break;
	case 'P':
		free(cfg->auth_pass);
		cfg->auth_pass = opts_secret(o, arg);
		break;
	case OPT_PLAIN_AUTH: cfg->plain_auth = true; break;
	}
}

/* Combinations that cannot work are usage errors, before any traffic. */
static void
smtp_opts_check(struct opts *o, struct smtp_cfg *cfg, bool port_set)
{
	char err[600];

	if (cfg->host == NULL)
		opts_usage_error(o, "-H is required");
	if (cfg->ssl && cfg->starttls)
		opts_usage_error(o, "--ssl and -S exclude each other");
	if ((cfg->cert_check || cfg->cert_name || cfg->ca_file) && !cfg->ssl)
		cfg->starttls = true;
	if (cfg->ssl && !port_set)
		cfg->port = 465;
	/* -D W alone: CRIT is "0:", CRITICAL once expired. */
	if (!cfg->days.crit.set)
		cfg->days.crit = (struct range){.end_inf = true, .set = true};
	if (thresholds_check(&cfg->days, err, sizeof err) != 0)
		opts_usage_error(o, "-D: %s", err);
	if ((cfg->nrcpt > 0 || cfg->relay_rcpt) && cfg->from == NULL)
		opts_usage_error(o, "%s needs -f (the envelope sender)",
		                 cfg->nrcpt > 0 ? "--rcpt" : "--relay-test");
	if (cfg->send_test && cfg->nrcpt == 0)
		opts_usage_error(o, "--send-test-message needs --rcpt");
	if (cfg->nresp > cfg->ncmd)
		opts_usage_error(o, "-R given %zu times but -C only %zu", cfg->nresp,
		                 cfg->ncmd);
	if (cfg->auth_mech == NULL && (cfg->auth_user || cfg->auth_pass))
		opts_usage_error(o, "-U and -P need -A");
	if (cfg->auth_mech != NULL && (cfg->auth_user == NULL || cfg->auth_pass == NULL))
		opts_usage_error(o, "-A needs -U and -P");
	if (cfg->auth_mech != NULL && !cfg->ssl && !cfg->starttls && !cfg->plain_auth)
		opts_usage_error(o, "-A would send the password in clear: add -S or --ssl "
		                    "(or --auth-without-tls)");
	if (cfg->helo[0] == '\0')
		smtp_client_name(cfg->helo, sizeof cfg->helo);
	if (cert_ca_usable(cfg->ca_file, NULL, err, sizeof err) != 0)
		opts_usage_error(o, "%s", err);
}

static void
smtp_parse(struct smtp_cfg *cfg, int argc, char **argv)
{
	struct opts o;
	const char *arg;
	bool port_set = false;
	int key;

	memset(cfg, 0, sizeof *cfg);
	cfg->port = 25;
	cfg->expect = "220";
	cfg->greet = "EHLO";
	cfg->tempfail = GL_WARNING;
	cfg->permfail = GL_CRITICAL;
	/* "0:" both: without -D only an expired certificate is CRITICAL. */
	cfg->days.warn = cfg->days.crit = (struct range){.end_inf = true, .set = true};
	opts_init(&o, &smtp_desc, argc, argv);
	while ((key = opts_next(&o, &arg)) != -1) {
		if (arg != NULL && strpbrk(arg, "\r\n") != NULL)
			opts_usage_error(&o, "%s: line breaks are not allowed", o.current);
		if (key == 'p')
			port_set = true;
		if (!smtp_opt_dialogue(&o, cfg, key, arg))
			smtp_opt_security(&o, cfg, key, arg);
	}
	cfg->family = o.family;
	smtp_opts_check(&o, cfg, port_set);
	opts_done(&o);
}

static void
smtp_cfg_free(struct smtp_cfg *cfg)
{
	for (size_t i = 0; i < cfg->nresp; i++)
		regfree(&cfg->resp[i]);
	if (cfg->auth_pass != NULL) {
		explicit_bzero(cfg->auth_pass, strlen(cfg->auth_pass));
		free(cfg->auth_pass);
	}
}

int
main(int argc, char **argv)
{
	struct smtp_cfg cfg;
	struct smtp_check ck;

	smtp_parse(&cfg, argc, argv);
	memset(&ck, 0, sizeof ck);
	ck.cfg = &cfg;
	net_conn_init(&ck.conn);
	output_init(&ck.out, smtp_desc.service);
	smtp_run(&ck);
	smtp_report(&ck);
	smtp_cfg_free(&cfg);
	output_exit(&ck.out);
}

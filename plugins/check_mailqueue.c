/* check_mailqueue: the local mail queue (postfix, exim or a sendmail-
 * compatible mailq), or a mail host's queue check read over SNMP.
 *
 * The queue tool runs with execve, no shell, inside the -t deadline, and
 * its listing is parsed line by line as it arrives (common/mailq.h), so a
 * queue of 100k messages costs constant memory. Counts: per queue, the
 * oldest arrival (from the listing, never file mtimes: Postfix sets a
 * deferred file's mtime to its next retry), the largest count for one
 * recipient domain, one sender and one sender domain (an outbreak shows
 * there first), and the growth in messages per minute since the last run
 * (--state-file). */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdnoreturn.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "deadline.h"
#include "mailq.h"
#include "opts.h"
#include "output.h"
#include "perfdata.h"
#include "proc.h"
#include "range.h"
#include "snmp.h"
#include "strbuf.h"

/* What can carry thresholds, in perfdata order. */
enum mqc_metric {
	M_TOTAL,
	M_DEFERRED,
	M_ACTIVE,
	M_HOLD,
	M_INCOMING,
	M_AGE,
	M_RCPT_DOMAIN,
	M_SENDER,
	M_SENDER_DOMAIN,
	M_GROWTH,
	M_N
};

/* Perfdata labels and units; "unsent" is check_mailq's label for the
 * total, so existing graphs carry on. */
static const struct {
	const char *label;
	const char *uom;
} mqc_metrics[M_N] = {
        [M_TOTAL] = {"unsent", NULL},
        [M_DEFERRED] = {"deferred", NULL},
        [M_ACTIVE] = {"active", NULL},
        [M_HOLD] = {"hold", NULL},
        [M_INCOMING] = {"incoming", NULL},
        [M_AGE] = {"oldest", "s"},
        [M_RCPT_DOMAIN] = {"top_rcpt_domain", NULL},
        [M_SENDER] = {"top_sender", NULL},
        [M_SENDER_DOMAIN] = {"top_sender_domain", NULL},
        [M_GROWTH] = {"growth", NULL},
};

enum {
	OPT_CONFIG_DIR = 256,
	OPT_TOOL,
	OPT_STATE_FILE,
	OPT_MAX_OUTPUT,
	OPT_SNMP, /* from here on: SNMP mode's own options */
	OPT_EXTEND,
	/* OPT_THR + 2 * metric (+1 for critical) */
	OPT_THR = 512,
};

#define THR(m, stem, what)                                                                     \
	{OPT_THR + 2 * (m), stem "-warning", required_argument, "RANGE",                       \
	 "Warning range for " what "."},                                                       \
	{                                                                                      \
		OPT_THR + 2 * (m) + 1, stem "-critical", required_argument, "RANGE",           \
		        "Critical range for " what "."                                         \
	}

static const struct opt_spec mqc_opts[] = {
        {'w', "warning", required_argument, "N",
         "Warning when the queue holds N or more messages (as check_mailq);\n"
         "a range (10:, @5:20, ~:100) follows the range grammar instead."},
        {'c', "critical", required_argument, "N", "Critical, as -w."},
        {'W', "Warning", required_argument, "N",
         "Warning when one recipient domain has N or more messages queued."},
        {'C', "Critical", required_argument, "N", "Critical, as -W."},
        {'M', "mailserver", required_argument, "MTA",
         "postfix, exim or sendmail (any sendmail-compatible mailq);\n"
         "default: the first of postqueue, exim4/exim, mailq installed."},
        {OPT_CONFIG_DIR, "config-dir", required_argument, "DIR",
         "Postfix instance's configuration directory (postqueue -c DIR);\n"
         "for exim and sendmail, their configuration file (-C FILE)."},
        {'d', "configdir", required_argument, "DIR", "Same as --config-dir."},
        {OPT_TOOL, "tool", required_argument, "PATH",
         "The queue tool to run (default /usr/sbin/postqueue, /usr/sbin/exim4\n"
         "or /usr/sbin/exim, /usr/bin/mailq); run as is, never through a shell."},
        {OPT_MAX_OUTPUT, "max-output", required_argument, "MB",
         "Stop (UNKNOWN) when the tool prints more than MB megabytes (512)."},
        THR(M_DEFERRED, "deferred", "the deferred count"),
        THR(M_ACTIVE, "active", "the active count"),
        THR(M_HOLD, "hold", "the hold count (exim: frozen messages)"),
        THR(M_INCOMING, "incoming", "the incoming count (postfix: and maildrop)"),
        THR(M_AGE, "age", "the oldest message's age in seconds"),
        THR(M_SENDER, "sender", "the largest count for one sender address"),
        THR(M_SENDER_DOMAIN, "sender-domain", "the largest count for one sender domain"),
        THR(M_GROWTH, "growth", "the growth in messages per minute (--state-file)"),
        {OPT_STATE_FILE, "state-file", required_argument, "FILE",
         "Keep the last total here to report growth per minute; written\n"
         "atomically; missing or unreadable means a first run."},
        {'H', "hostname", required_argument, "HOST",
         "Read the queue check of HOST over SNMP instead (see --extend)."},
        {OPT_SNMP, "snmp", no_argument, NULL, "SNMP mode (implied by -H)."},
        {OPT_EXTEND, "extend", required_argument, "NAME",
         "The snmpd extend that runs check_mailqueue on HOST (mailq)."},
        SNMPC_OPT_SPECS,
        OPT_END,
};

static const struct plugin_desc mqc_desc = {
        .name = "check_mailqueue",
        .service = "MAILQ",
        .purpose = "Checks a mail queue: size per queue, age of the oldest message, the\n"
                   "busiest recipient domain and sender, and growth between runs.",
        .usage = "[-w N] [-c N] [-W N] [-C N] [-M postfix|exim|sendmail] [-d DIR]\n"
                 "       [--deferred-warning RANGE ...] [--state-file FILE] [-t SECS[:STATE]]\n"
                 "       | -H HOST [--extend NAME] [--snmp-version 2c|3] ...",
        .notes = "Counts come from `postqueue -j` (postfix), `exim -bpr` (exim, ids of\n"
                 "every Exim version) or `mailq`. Ages come from arrival times. A recipient\n"
                 "domain counts once per message; the null sender is <>.\n"
                 "Permission refused by the queue tool is UNKNOWN with what to grant\n"
                 "(postfix: authorized_mailq_users; exim: queue_list_requires_admin = false).\n"
                 "With -H the result of the agent's extend (nsExtendOutputFull and\n"
                 "nsExtendResult), normally check_mailqueue run there, is returned as "
                 "is.\n" SNMPC_HELP_MODULE
                 "Perfdata: unsent deferred active hold incoming oldest(s) top_rcpt_domain\n"
                 "top_sender top_sender_domain [growth].\n"
                 "Example: check_mailqueue -w 100 -c 500 --age-warning 3600 --sender-critical "
                 "1000",
        .opts = mqc_opts,
};

struct mqc_cfg {
	struct thresholds thr[M_N];
	bool mta_set;
	enum mq_kind mta;
	const char *config_dir;
	const char *tool;
	const char *state_file;
	size_t max_output;
	bool snmp;
	char local_opt[64]; /* an option that only a local check uses */
	const char *extend;
	struct snmpc_opts so;
};

struct mqc_check {
	const struct mqc_cfg *cfg;
	struct mq_parser parser;
	struct mq_stats st;
	time_t now;
	double value[M_N];
	bool known[M_N];
	const struct mq_count *top[M_N]; /* the key behind a top_* value */
	struct gl_output out;
};

/* check_mailq's -w/-c/-W/-C take a count that alerts at or above it; a
 * plain integer N is therefore the range 0..N-1 (alert above N-1). */
static void
cfg_compat_count(const struct opts *o, struct range *r, const char *arg)
{
	long n = opts_long(o, arg, 1, 1000000000L);
	*r = (struct range){.start = 0, .end = (double)(n - 1), .set = true};
}

/* -w/-c/-W/-C: check_mailq's bare count, else the shared range grammar. */
static void
cfg_range(const struct opts *o, struct range *r, const char *arg, bool compat)
{
	if (compat && arg[0] != '\0' && arg[strspn(arg, "0123456789")] == '\0')
		cfg_compat_count(o, r, arg);
	else
		opts_range(o, arg, OPTS_ABOVE, r);
}

static void
cfg_mta(const struct opts *o, struct mqc_cfg *c, const char *arg)
{
	static const char *const names[] = {
	        [MQ_POSTFIX] = "postfix", [MQ_EXIM] = "exim", [MQ_SENDMAIL] = "sendmail"};
	for (size_t i = 0; i < 3; i++)
		if (strcmp(arg, names[i]) == 0) {
			c->mta = (enum mq_kind)i;
			c->mta_set = true;
			return;
		}
	opts_usage_error(o, "%s: '%s' is not postfix, exim or sendmail", o->current, arg);
}

static void
cfg_option(const struct opts *o, struct mqc_cfg *c, int key, const char *arg)
{
	bool local =
	        (key < OPT_SNMP && key != 'H') || (key >= OPT_THR && key < OPT_THR + 2 * M_N);
	if (local && c->local_opt[0] == '\0')
		snprintf(c->local_opt, sizeof c->local_opt, "%s", o->current);
	switch (key) {
	case 'w': cfg_range(o, &c->thr[M_TOTAL].warn, arg, true); break;
	case 'c': cfg_range(o, &c->thr[M_TOTAL].crit, arg, true); break;
	case 'W': cfg_range(o, &c->thr[M_RCPT_DOMAIN].warn, arg, true); break;
	case 'C': cfg_range(o, &c->thr[M_RCPT_DOMAIN].crit, arg, true); break;
	case 'M': cfg_mta(o, c, arg); break;
	case 'd':
	case OPT_CONFIG_DIR: c->config_dir = arg; break;
	case OPT_TOOL:
		if (arg[0] != '/')
			opts_usage_error(o, "%s: '%s' must be an absolute path", o->current,
			                 arg);
		c->tool = arg;
		break;
	case OPT_MAX_OUTPUT: c->max_output = (size_t)opts_long(o, arg, 1, 65536) << 20; break;
	case OPT_STATE_FILE: c->state_file = arg; break;
	case 'H':
		snmpc_opts_set(&c->so.host, arg);
		c->snmp = true;
		break;
	case OPT_SNMP: c->snmp = true; break;
	case OPT_EXTEND: c->extend = arg; break;
	default:
		if (key >= OPT_THR && key < OPT_THR + 2 * M_N) {
			struct thresholds *t = &c->thr[(key - OPT_THR) / 2];
			cfg_range(o, (key - OPT_THR) % 2 ? &t->crit : &t->warn, arg, false);
		} else if (!snmpc_option(o, &c->so, key, arg)) {
			opts_usage_error(o, "unhandled option %s", o->current);
		}
	}
}

static void
cfg_parse(struct mqc_cfg *c, int argc, char **argv)
{
	struct opts o;
	const char *arg;
	int key;

	*c = (struct mqc_cfg){.max_output = (size_t)512 << 20, .extend = "mailq"};
	opts_init(&o, &mqc_desc, argc, argv);
	while ((key = opts_next(&o, &arg)) != -1)
		cfg_option(&o, c, key, arg);
	if (c->snmp && (c->so.host == NULL || c->so.host[0] == '\0'))
		opts_usage_error(&o, "SNMP mode needs -H HOST");
	/* Thresholds over SNMP would silently do nothing: the remote check
	 * decides the state, with the options in its extend line. */
	if (c->snmp && c->local_opt[0] != '\0')
		opts_usage_error(&o,
		                 "%s applies to a local check; with -H put it in the extend "
		                 "line on the mail host",
		                 c->local_opt);
	if (c->snmp)
		snmpc_opts_env(&c->so);
	opts_done(&o);
}

/* ---- running the queue tool ---- */

static const char *
mqc_tool_name(enum mq_kind k)
{
	return k == MQ_POSTFIX ? "postqueue" : k == MQ_EXIM ? "exim" : "mailq";
}

/* -M and --tool when given; otherwise the first tool installed. */
static int
mqc_pick_tool(struct mqc_cfg *c, char *err, size_t errlen)
{
	static const struct {
		enum mq_kind k;
		const char *path;
	} cand[] = {{MQ_POSTFIX, "/usr/sbin/postqueue"},
	            {MQ_EXIM, "/usr/sbin/exim4"},
	            {MQ_EXIM, "/usr/sbin/exim"},
	            {MQ_SENDMAIL, "/usr/bin/mailq"},
	            {MQ_SENDMAIL, "/usr/sbin/mailq"}};

	if (c->tool != NULL && !c->mta_set) {
		const char *base = strrchr(c->tool, '/') + 1;
		c->mta = strstr(base, "postqueue") ? MQ_POSTFIX
		         : strstr(base, "exim")    ? MQ_EXIM
		                                   : MQ_SENDMAIL;
		c->mta_set = true;
	}
	for (size_t i = 0; c->tool == NULL && i < sizeof cand / sizeof cand[0]; i++)
		if ((!c->mta_set || c->mta == cand[i].k) && access(cand[i].path, X_OK) == 0) {
			c->tool = cand[i].path;
			c->mta = cand[i].k;
		}
	if (c->tool == NULL) {
		snprintf(err, errlen,
		         "no %s found (looked in /usr/sbin and /usr/bin); name it with --tool",
		         c->mta_set ? mqc_tool_name(c->mta) : "postqueue, exim or mailq");
		return -1;
	}
	return 0;
}

static void
mqc_argv(const struct mqc_cfg *c, const char *argv[6])
{
	size_t n = 0;
	argv[n++] = c->tool;
	if (c->mta == MQ_POSTFIX && c->config_dir)
		argv[n++] = "-c", argv[n++] = c->config_dir;
	else if (c->config_dir)
		argv[n++] = "-C", argv[n++] = c->config_dir;
	if (c->mta == MQ_POSTFIX)
		argv[n++] = "-j";
	else if (c->mta == MQ_EXIM)
		argv[n++] = "-bpr";
	argv[n] = NULL;
}

static int
mqc_line(void *ctx, const char *line, size_t len, char *err, size_t errlen)
{
	struct mqc_check *ck = ctx;
	char msg[300];

	if (mq_parse_line(&ck->parser, line, len, msg, sizeof msg) == 0)
		return 0;
	snprintf(err, errlen, "cannot use the %s listing: %s", mqc_tool_name(ck->cfg->mta),
	         msg);
	return -1;
}

/* What to grant user when the tool refused to list the queue. */
static void
mqc_grant(struct strbuf *sb, enum mq_kind k, const char *user)
{
	switch (k) {
	case MQ_POSTFIX:
		sb_appendf(sb, "add %s to authorized_mailq_users in main.cf", user);
		return;
	case MQ_EXIM:
		sb_appendf(sb,
		           "set queue_list_requires_admin = false in the Exim "
		           "configuration, or make %s an Exim admin user (admin_groups)",
		           user);
		return;
	case MQ_SENDMAIL: break;
	}
	sb_append(sb, "remove restrictmailq from sendmail's PrivacyOptions");
}

static bool
mqc_refused(const struct proc_result *r)
{
	static const char *const words[] = {"not allowed", "not authorized", "ermission denied",
	                                    "not permitted"};
	if (r->exited && r->status == 77) /* EX_NOPERM */
		return true;
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		if (strstr(r->stderr_head, words[i]))
			return true;
	return false;
}

/* A tool that ran but failed: UNKNOWN, with what to grant when it said
 * the user may not see the queue (never a silent zero). */
static void
mqc_tool_failed(const struct mqc_check *ck, const struct proc_result *r, char *err,
                size_t errlen)
{
	char line[300];
	const struct passwd *pw = getpwuid(geteuid());
	const char *who = pw ? pw->pw_name : "this user";

	proc_stderr_line(r, line, sizeof line);
	if (mqc_refused(r)) {
		struct strbuf sb = STRBUF_INIT;
		mqc_grant(&sb, ck->cfg->mta, who);
		snprintf(err, errlen, "%s refused to list the queue for user %s (%s): %s",
		         ck->cfg->tool, who, line, sb_str(&sb));
		sb_free(&sb);
	} else if (r->exited) {
		snprintf(err, errlen, "%s exited %d: %s", ck->cfg->tool, r->status,
		         line[0] ? line : "(no message)");
	} else {
		snprintf(err, errlen, "%s was killed by signal %d", ck->cfg->tool, r->status);
	}
}

static int
mqc_spool_line(void *ctx, const char *line, size_t len, char *err, size_t errlen)
{
	static const char key[] = "spool_directory = ";
	(void)err, (void)errlen;
	if (len > sizeof key - 1 && memcmp(line, key, sizeof key - 1) == 0)
		sb_appendn(ctx, line + sizeof key - 1, len - (sizeof key - 1));
	return 0;
}

/* Exim run with -C FILE by anyone but root gives up its privileges (unless
 * FILE is in its TRUSTED_CONFIG_LIST) and then lists a spool it cannot
 * read as empty, exit 0. An empty listing in that case counts only when
 * this user can read the spool's input directory itself. */
static enum gl_state
mqc_exim_empty(const struct mqc_check *ck, char *err, size_t errlen)
{
	const struct mqc_cfg *c = ck->cfg;
	const char *argv[] = {c->tool, "-C", c->config_dir, "-bP", "spool_directory", NULL};
	struct proc_limits lim = {.max_output = 65536, .max_line = 8192};
	struct proc_result r;
	struct strbuf spool = STRBUF_INIT;
	enum gl_state st = GL_OK;

	if (c->mta != MQ_EXIM || c->config_dir == NULL || geteuid() == 0 || ck->st.total > 0)
		return GL_OK;
	if (proc_run((char *const *)argv, &lim, mqc_spool_line, &spool, &r, err, errlen) !=
	    PROC_OK)
		return GL_UNKNOWN;
	sb_append(&spool, "/input");
	if (spool.len == strlen("/input") || access(sb_str(&spool), R_OK | X_OK) != 0) {
		snprintf(err, errlen,
		         "exim -C %s lists an empty queue but cannot read %s: Exim drops its "
		         "privileges for a -C file not in TRUSTED_CONFIG_LIST, so the count "
		         "says nothing; list the file there or leave out --config-dir",
		         c->config_dir, sb_str(&spool));
		st = GL_UNKNOWN;
	}
	sb_free(&spool);
	return st;
}

static enum gl_state
mqc_run_tool(struct mqc_check *ck, char *err, size_t errlen)
{
	const char *argv[6];
	struct proc_result r;
	/* One postqueue -j line is one queue file with all its recipients
	 * and their delay reasons: thousands of recipients make megabytes. */
	struct proc_limits lim = {.max_output = ck->cfg->max_output,
	                          .max_line = (size_t)16 << 20};

	mqc_argv(ck->cfg, argv);
	if (output_verbosity >= 1) {
		struct strbuf cmd = STRBUF_INIT;
		for (size_t i = 0; argv[i]; i++)
			sb_appendf(&cmd, "%s%s", i ? " " : "", argv[i]);
		output_debug(1, "running %s", sb_str(&cmd));
		sb_free(&cmd);
	}
	mq_parser_init(&ck->parser, ck->cfg->mta, &ck->st, ck->now);
	enum proc_status ps =
	        proc_run((char *const *)argv, &lim, mqc_line, ck, &r, err, errlen);
	mq_parse_end(&ck->parser);
	if (ps == PROC_ERR_TIMEOUT) /* the -t state, but never OK */
		return deadline_state() == GL_OK ? GL_UNKNOWN : deadline_state();
	if (ps != PROC_OK)
		return GL_UNKNOWN;
	if (!r.exited || r.status != 0) {
		mqc_tool_failed(ck, &r, err, errlen);
		return GL_UNKNOWN;
	}
	if (r.stderr_head[0])
		output_debug(1, "%s: %s", ck->cfg->tool, r.stderr_head);
	return mqc_exim_empty(ck, err, errlen);
}

/* ---- growth between runs ---- */

#define STATE_MAGIC "glance-mailqueue-state 1"

/* "glance-mailqueue-state 1 TIME TOTAL\n"; anything else (missing,
 * truncated, another program's file) is a first run. */
static bool
state_read(const char *path, time_t *t, unsigned long *total, char *why, size_t whylen)
{
	char buf[128];
	long long tt;
	unsigned long n;
	int end = 0;
	FILE *f = fopen(path, "re");

	if (f == NULL) {
		snprintf(why, whylen, "%s", strerror(errno));
		return false;
	}
	size_t got = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[got] = '\0';
	if (sscanf(buf, STATE_MAGIC " %lld %lu\n%n", &tt, &n, &end) != 2 || end == 0 ||
	    (size_t)end != got || tt <= 0) {
		snprintf(why, whylen, "not a check_mailqueue state file");
		return false;
	}
	*t = (time_t)tt;
	*total = n;
	return true;
}

/* Written to a temporary file beside it, synced, then renamed over it:
 * a crash leaves the old state or the new, never half of one. */
static int
state_write(const char *path, time_t t, unsigned long total, char *err, size_t errlen)
{
	char tmp[4096], line[128];
	int n = snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid());
	int len = snprintf(line, sizeof line, STATE_MAGIC " %lld %lu\n", (long long)t, total);

	if (n < 0 || (size_t)n >= sizeof tmp) {
		snprintf(err, errlen, "state file name too long");
		return -1;
	}
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	bool ok = fd >= 0 && write(fd, line, (size_t)len) == len && fsync(fd) == 0;
	int e = errno;
	if (fd >= 0 && close(fd) != 0 && ok)
		ok = false, e = errno;
	if (ok && rename(tmp, path) != 0)
		ok = false, e = errno;
	if (!ok) {
		if (fd >= 0)
			unlink(tmp);
		snprintf(err, errlen, "cannot write state file %s: %s", path, strerror(e));
		return -1;
	}
	return 0;
}

static void
mqc_growth(struct mqc_check *ck)
{
	const char *path = ck->cfg->state_file;
	time_t then;
	unsigned long before;
	char why[300];

	if (path == NULL)
		return;
	if (!state_read(path, &then, &before, why, sizeof why))
		output_long(&ck->out, "growth: first run (%s: %s)", path, why);
	else if (then >= ck->now)
		output_long(&ck->out, "growth: first run (%s is from the future)", path);
	else {
		double per_min = ((double)ck->st.total - (double)before) * 60.0 /
		                 (double)(ck->now - then);
		ck->value[M_GROWTH] = round(per_min * 10) / 10;
		ck->known[M_GROWTH] = true;
	}
	if (state_write(path, ck->now, ck->st.total, why, sizeof why) != 0) {
		output_state(&ck->out, GL_UNKNOWN);
		output_long(&ck->out, "UNKNOWN: %s", why);
	}
}

/* ---- evaluation and output ---- */

static void
mqc_top(struct mqc_check *ck, enum mqc_metric m, const struct mq_tally *t)
{
	const struct mq_count *c[1];
	if (mq_tally_top(t, c, 1) == 1) {
		ck->top[m] = c[0];
		ck->value[m] = (double)c[0]->n;
	}
	ck->known[m] = true;
}

static void
mqc_values(struct mqc_check *ck)
{
	const struct mq_stats *st = &ck->st;

	ck->value[M_TOTAL] = (double)st->total;
	for (int q = 0; q < MQ_QUEUES; q++)
		ck->value[M_DEFERRED + q] = (double)st->queue[q];
	for (int m = M_TOTAL; m <= M_INCOMING; m++)
		ck->known[m] = true;
	if (st->have_oldest) {
		ck->value[M_AGE] = st->oldest < ck->now ? (double)(ck->now - st->oldest) : 0;
		ck->known[M_AGE] = true;
	}
	mqc_top(ck, M_RCPT_DOMAIN, &st->rcpt_domain);
	mqc_top(ck, M_SENDER, &st->sender);
	mqc_top(ck, M_SENDER_DOMAIN, &st->sender_domain);
}

/* "45s", "12m", "5h12m", "3d4h". */
static void
mqc_age_text(struct strbuf *sb, double secs)
{
	long s = (long)secs;
	if (s >= 86400)
		sb_appendf(sb, "%ldd%ldh", s / 86400, s % 86400 / 3600);
	else if (s >= 3600)
		sb_appendf(sb, "%ldh%ldm", s / 3600, s % 3600 / 60);
	else if (s >= 60)
		sb_appendf(sb, "%ldm", s / 60);
	else
		sb_appendf(sb, "%lds", s);
}

static void
mqc_summary(struct mqc_check *ck)
{
	struct strbuf sb = STRBUF_INIT;
	const char *sep = " (";

	sb_appendf(&sb, "%lu message%s", ck->st.total, ck->st.total == 1 ? "" : "s");
	for (int q = 0; q < MQ_QUEUES; q++)
		if (ck->st.queue[q]) {
			sb_appendf(&sb, "%s%s %lu", sep, mq_queue_name(q), ck->st.queue[q]);
			sep = ", ";
		}
	if (sep[0] == ',')
		sb_append(&sb, ")");
	if (ck->known[M_AGE]) {
		sb_append(&sb, ", oldest ");
		mqc_age_text(&sb, ck->value[M_AGE]);
	}
	if (ck->top[M_RCPT_DOMAIN])
		sb_appendf(&sb, ", top recipient domain %s %lu", ck->top[M_RCPT_DOMAIN]->key,
		           ck->top[M_RCPT_DOMAIN]->n);
	if (ck->top[M_SENDER])
		sb_appendf(&sb, ", top sender %s %lu", ck->top[M_SENDER]->key,
		           ck->top[M_SENDER]->n);
	if (ck->known[M_GROWTH]) {
		sb_append(&sb, ", growth ");
		sb_append_number(&sb, ck->value[M_GROWTH]);
		sb_append(&sb, "/min");
	}
	output_summary(&ck->out, "%s", sb_str(&sb));
	sb_free(&sb);
}

/* The five largest of a tally, for the long output. */
static void
mqc_long_top(struct mqc_check *ck, const char *what, const struct mq_tally *t)
{
	const struct mq_count *c[5];
	size_t n = mq_tally_top(t, c, 5);
	struct strbuf sb = STRBUF_INIT;

	if (n == 0)
		return;
	for (size_t i = 0; i < n; i++)
		sb_appendf(&sb, "%s%s %lu", i ? ", " : "", c[i]->key, c[i]->n);
	if (t->dropped)
		sb_appendf(&sb, " (%lu more not counted apart)", t->dropped);
	output_long(&ck->out, "%s: %s", what, sb_str(&sb));
	sb_free(&sb);
}

static void
mqc_report(struct mqc_check *ck)
{
	for (int m = 0; m < M_N; m++) {
		const struct thresholds *t = &ck->cfg->thr[m];
		if (ck->known[m])
			output_state(&ck->out, thresholds_eval(t, ck->value[m]));
		if (m == M_GROWTH && ck->cfg->state_file == NULL)
			continue;
		struct pd_item it = {.label = mqc_metrics[m].label,
		                     .value = ck->value[m],
		                     .unknown = !ck->known[m],
		                     .uom = mqc_metrics[m].uom,
		                     .warn = &t->warn,
		                     .crit = &t->crit,
		                     .has_min = m != M_GROWTH};
		perfdata_append(&ck->out.perf, &it);
	}
	mqc_summary(ck);
	mqc_long_top(ck, "top recipient domains", &ck->st.rcpt_domain);
	mqc_long_top(ck, "top senders", &ck->st.sender);
	mqc_long_top(ck, "top sender domains", &ck->st.sender_domain);
}

/* ---- SNMP: the mail host's own check, returned as it ran there ---- */

static noreturn void
mqc_snmp(const struct mqc_cfg *c)
{
	struct snmpc_extend x;
	char err[600];
	enum gl_state st = snmpc_extend_fetch(&c->so, c->extend, &x, err, sizeof err);

	if (st != GL_OK)
		output_die(mqc_desc.service, st, "%s", err);
	deadline_disarm();
	printf("%s\n", x.output);
	int rc = x.result;
	snmpc_extend_free(&x);
	exit(rc);
}

int
main(int argc, char **argv)
{
	struct mqc_cfg cfg;
	struct mqc_check ck = {.cfg = &cfg};
	char err[600] = "";

	cfg_parse(&cfg, argc, argv);
	if (cfg.snmp)
		mqc_snmp(&cfg);
	output_init(&ck.out, mqc_desc.service);
	ck.now = time(NULL);
	enum gl_state st = mqc_pick_tool(&cfg, err, sizeof err) == 0
	                           ? mqc_run_tool(&ck, err, sizeof err)
	                           : GL_UNKNOWN;
	if (st != GL_OK)
		output_die(mqc_desc.service, st, "%s", err);
	mqc_values(&ck);
	mqc_growth(&ck);
	mqc_report(&ck);
	mq_parser_free(&ck.parser);
	mq_stats_free(&ck.st);
	snmpc_opts_free(&cfg.so);
	output_exit(&ck.out);
}

/* check_ping: ICMP echo to one or many hosts at once, natively (no fork of
 * ping(8)), with the options and output of monitoring-plugins check_ping.
 * The protocol work lives in common/icmp.c; this file wires options to it
 * and turns each target's statistics into states, text and perfdata. */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/capability.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "deadline.h"
#include "icmp.h"
#include "net.h"
#include "opts.h"
#include "output.h"
#include "perfdata.h"
#include "strbuf.h"

#define MAX_PACKETS 1000000 /* targets x packets in one run */
#define MAX_LISTED 5        /* non-OK targets named in the summary */

enum {
	OPT_SOCKET = 256,
	OPT_WAIT,
	OPT_JITTER,
	OPT_RTMAX,
};

struct ping_ctx {
	struct opts o;
	char **hosts;
	size_t nhosts;
	struct icmp_limits lim;
	struct icmp_config cfg;
	double wait_ms; /* < 0: derived from the limits */
	long min_ok;    /* -m; < 0: every target must be OK */
	struct icmp_target *t;
	char **resolve_err; /* per target, for the report */
	struct icmp_engine e;
	bool timed_out;
	bool w_given, c_given; /* -w, -c given (else defaults) */
	int src_family;        /* of -s, which then opens only it */
};

static const struct opt_spec ping_opts[] = {
        {'H', "hostname", required_argument, "HOST[,HOST...]",
         "Host to ping; repeat or separate by commas for several."},
        {'w', "warning", required_argument, "RTA[,PL%]",
         "Warning when the round-trip average reaches RTA ms or the packet\n"
         "loss reaches PL percent (default 200,40%). A bare RTA, as check_icmp\n"
         "takes it, keeps the default loss threshold."},
        {'c', "critical", required_argument, "RTA[,PL%]",
         "Critical threshold (default 500,80%)."},
        {'p', "packets", required_argument, "N", "Echo requests per host (default 5)."},
        {'n', NULL, required_argument, "N", "The same as -p (check_icmp's letter)."},
        {'i', "interval", required_argument, "MS",
         "Interval between two requests to one host (default 100 ms)."},
        {'I', "send-gap", required_argument, "MS",
         "Minimum gap between any two requests, the global rate limit\n"
         "(default 0.1 ms, at most 10000 requests per second)."},
        {'m', "min-alive", required_argument, "N",
         "OK when at least N hosts are OK, WARNING when at least N are OK\n"
         "or WARNING, UNKNOWN when only hosts that could not be checked (a\n"
         "name that does not resolve) keep it from N, else CRITICAL (a\n"
         "cluster or host-group check)."},
        {'b', "size", required_argument, "BYTES",
         "ICMP data bytes per request (default 56, at least 24)."},
        {'l', "ttl", required_argument, "N", "TTL / hop limit of the requests."},
        {'s', "source", required_argument, "ADDR",
         "Numeric source address to send from; hosts of the other\n"
         "address family are then UNKNOWN."},
        {OPT_WAIT, "wait", required_argument, "MS",
         "How long a request waits for its reply; a later one counts as lost\n"
         "and late (default: the largest RTT threshold, at least 1000 ms)."},
        {OPT_JITTER, "jitter", required_argument, "WARN[,CRIT]",
         "Threshold ranges on jitter in ms (mean difference of successive\n"
         "RTTs), alerting above a bare number; either may be empty."},
        {OPT_RTMAX, "rtmax", required_argument, "WARN[,CRIT]",
         "Threshold ranges on the largest RTT in ms; either may be empty."},
        {OPT_SOCKET, "socket", required_argument, "auto|dgram|raw",
         "ICMP socket kind: dgram needs net.ipv4.ping_group_range to include\n"
         "the group, raw needs CAP_NET_RAW; auto tries dgram, then raw."},
        OPT_IPV4,
        OPT_IPV6,
        OPT_END,
};

static const struct plugin_desc ping_desc = {
        .name = "check_ping",
        .service = "PING",
        .purpose =
                "Sends ICMP echo requests to one or many hosts at once and checks round-trip\n"
                "time and packet loss.",
        .usage = "-H HOST[,HOST...] [-w RTA,PL%] [-c RTA,PL%] [-p N] [-m N] [options]",
        .notes = "A reply counts only if its echo id, sequence number, payload and sender\n"
                 "match a request sent in this run. An ICMP error about a host (unreachable,\n"
                 "TTL exceeded) ends that host CRITICAL with the reason; a name that does not\n"
                 "resolve is UNKNOWN, and without -m the worst host decides (CRITICAL >\n"
                 "WARNING > UNKNOWN > OK). With several hosts,\n"
                 "the long output has one line per host and perfdata labels are prefixed\n"
                 "with the host as check_icmp writes them, e.g. '192.0.2.1rta'.\n"
                 "Examples:\n"
                 "  check_ping -H 192.0.2.1 -w 100,20% -c 500,60%\n"
                 "  check_ping -H 192.0.2.1 -w 100 -c 200   (RTA only, as check_icmp)\n"
                 "  check_ping -H web1,web2,web3 -m 2 -p 3\n"
                 "  check_ping -H 2001:db8::1 -6 --jitter 20,50 --rtmax 300,800",
        .opts = ping_opts,
};

static void
ping_add_hosts(struct ping_ctx *c, const char *arg)
{
	char *copy = xstrdup(arg), *save = NULL;

	for (char *h = strtok_r(copy, ", ", &save); h; h = strtok_r(NULL, ", ", &save)) {
		c->hosts = xrealloc(c->hosts, (c->nhosts + 1) * sizeof *c->hosts);
		c->hosts[c->nhosts++] = xstrdup(h);
	}
	free(copy);
}

static void
ping_option(struct ping_ctx *c, int key, const char *arg)
{
	char err[160];

	switch (key) {
	case 'H': ping_add_hosts(c, arg); break;
	case 'w':
	case 'c':
		opts_require(&c->o,
		             icmp_parse_rta_pl(arg, key == 'w' ? &c->lim.wrta : &c->lim.crta,
		                               key == 'w' ? &c->lim.wpl : &c->lim.cpl, err,
		                               sizeof err),
		             err);
		if (key == 'w')
			c->w_given = true;
		else
			c->c_given = true;
		break;
	case 'p':
	case 'n': c->cfg.count = (unsigned)opts_long(&c->o, arg, 1, 10000); break;
	case 'i':
		c->cfg.interval_ns = (int64_t)(opts_double(&c->o, arg, 0, 60000) * 1e6);
		break;
	case 'I': c->cfg.gap_ns = (int64_t)(opts_double(&c->o, arg, 0, 10000) * 1e6); break;
	case 'm': c->min_ok = opts_long(&c->o, arg, 1, 1000000); break;
	case 'b':
		c->cfg.size = (size_t)opts_long(&c->o, arg, ICMP_MIN_DATA, ICMP_MAX_DATA);
		break;
	case 'l': c->cfg.ttl = (int)opts_long(&c->o, arg, 1, 255); break;
	case 's': c->cfg.source = arg; break;
	case OPT_WAIT: c->wait_ms = opts_double(&c->o, arg, 1, 3600000); break;
	case OPT_JITTER: opts_thresholds(&c->o, arg, OPTS_ABOVE, &c->lim.jit); break;
	case OPT_RTMAX: opts_thresholds(&c->o, arg, OPTS_ABOVE, &c->lim.max); break;
	case OPT_SOCKET:
		if (strcmp(arg, "auto") == 0)
			c->cfg.kind = ICMP_SOCK_AUTO;
		else if (strcmp(arg, "dgram") == 0)
			c->cfg.kind = ICMP_SOCK_DGRAM;
		else if (strcmp(arg, "raw") == 0)
			c->cfg.kind = ICMP_SOCK_RAW;
		else
			opts_usage_error(&c->o, "--socket: '%s' is not auto, dgram or raw",
			                 arg);
		break;
	}
}

/* A default threshold never contradicts one that was given: with only
 * "-c 100,50%", the default warning RTA of 200 ms is dropped rather than
 * turned into a usage error, and likewise for a lone -w. */
static void
ping_default_limits(struct ping_ctx *c)
{
	struct icmp_limits *l = &c->lim;

	if (!c->w_given && l->wrta > l->crta)
		l->wrta = -1;
	if (!c->w_given && l->wpl > l->cpl)
		l->wpl = -1;
	if (!c->c_given && l->crta < l->wrta)
		l->crta = -1;
	if (!c->c_given && l->cpl < l->wpl)
		l->cpl = -1;
}

/* The largest value a range lets through, 0 when it has no upper bound. */
static double
ping_upper(const struct range *r)
{
	return r->set && !r->end_inf ? r->end : 0;
}

/* Cross-option checks, once everything is read. */
static void
ping_validate(struct ping_ctx *c)
{
	char err[160];

	if (c->nhosts == 0)
		opts_usage_error(&c->o, "no host given (-H)");
	ping_default_limits(c);
	if (icmp_limits_check(&c->lim, err, sizeof err) != 0)
		opts_usage_error(&c->o, "%s", err);
	if (c->min_ok > (long)c->nhosts)
		opts_usage_error(&c->o, "-m %ld: only %zu hosts given", c->min_ok, c->nhosts);
	if ((unsigned long long)c->nhosts * c->cfg.count > MAX_PACKETS)
		opts_usage_error(&c->o, "%zu hosts x %u packets is more than %d requests",
		                 c->nhosts, c->cfg.count, MAX_PACKETS);
	if (c->cfg.source) {
		unsigned char a[16];
		int fam = inet_pton(AF_INET, c->cfg.source, a) == 1    ? AF_INET
		          : inet_pton(AF_INET6, c->cfg.source, a) == 1 ? AF_INET6
		                                                       : 0;
		if (fam == 0)
			opts_usage_error(&c->o, "-s: '%s' is not a numeric address",
			                 c->cfg.source);
		if (c->o.family != AF_UNSPEC && c->o.family != fam)
			opts_usage_error(&c->o, "-s %s does not match -4/-6", c->cfg.source);
		c->src_family = fam;
	}
	if (c->wait_ms < 0) {
		/* Long enough for any reply that could still be within limits. */
		const double l[] = {1000, c->lim.wrta, c->lim.crta,
		                    ping_upper(&c->lim.max.warn), ping_upper(&c->lim.max.crit)};
		c->wait_ms = 0;
		for (size_t i = 0; i < sizeof l / sizeof l[0]; i++)
			c->wait_ms = l[i] > c->wait_ms ? l[i] : c->wait_ms;
	}
	c->cfg.wait_ns = (int64_t)(c->wait_ms * 1e6);
}

static void
ping_parse(struct ping_ctx *c, int argc, char **argv)
{
	const char *arg;
	int key;

	memset(c, 0, sizeof *c);
	c->lim = (struct icmp_limits){.wrta = 200, .crta = 500, .wpl = 40, .cpl = 80};
	c->cfg = (struct icmp_config){
	        .count = 5, .interval_ns = 100000000, .gap_ns = 100000, .size = 56};
	c->wait_ms = -1;
	c->min_ok = -1;
	opts_init(&c->o, &ping_desc, argc, argv);
	while ((key = opts_next(&c->o, &arg)) != -1)
		ping_option(c, key, arg);
	ping_validate(c);
	opts_done(&c->o);
}

/* Set-user-id or file capabilities were only needed to open the socket;
 * from here on the process can do nothing a plain user cannot. */
static int
ping_drop_privileges(char *err, size_t errlen)
{
	struct __user_cap_header_struct hdr = {_LINUX_CAPABILITY_VERSION_3, 0};
	struct __user_cap_data_struct data[2];

	if (getegid() != getgid() && setresgid(getgid(), getgid(), getgid()) != 0)
		return snprintf(err, errlen, "setresgid: %s", strerror(errno)), -1;
	if (geteuid() != getuid() && setresuid(getuid(), getuid(), getuid()) != 0)
		return snprintf(err, errlen, "setresuid: %s", strerror(errno)), -1;
	memset(data, 0, sizeof data);
	if (syscall(SYS_capset, &hdr, data) != 0)
		return snprintf(err, errlen, "capset: %s", strerror(errno)), -1;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
		return snprintf(err, errlen, "no_new_privs: %s", strerror(errno)), -1;
	return 0;
}

/* The capabilities left after the drop, as the kernel reports them. */
static void
ping_debug_privileges(void)
{
	char line[256];
	FILE *f = fopen("/proc/self/status", "r");

	if (f == NULL)
		return;
	while (fgets(line, sizeof line, f))
		if (strncmp(line, "CapEff:", 7) == 0 || strncmp(line, "CapPrm:", 7) == 0)
			output_debug(1, "after privilege drop: uid %d euid %d %.*s",
			             (int)getuid(), (int)geteuid(), (int)strcspn(line, "\n"),
			             line);
	fclose(f);
}

/* Opens the sockets first and drops privileges right away: nothing after
 * this point, name resolution included, runs with CAP_NET_RAW. */
static void
ping_open(struct ping_ctx *c)
{
	char err[160];
	static const char *const kind[] = {"auto", "datagram", "raw"};

	c->t = xcalloc(c->nhosts, sizeof *c->t);
	c->resolve_err = xcalloc(c->nhosts, sizeof *c->resolve_err);
	icmp_init(&c->e, &c->cfg, c->t, c->nhosts);
	int n = icmp_open(&c->e, c->src_family ? c->src_family : c->o.family);
	if (ping_drop_privileges(err, sizeof err) != 0)
		output_die("PING", GL_UNKNOWN, "Cannot drop privileges: %s", err);
	ping_debug_privileges();
	for (int fi = 0; fi < 2; fi++)
		if (c->e.fd[fi] >= 0)
			output_debug(1, "IPv%d: %s socket, echo id %u", fi ? 6 : 4,
			             kind[c->e.kind[fi]], c->e.id[fi]);
		else if (c->e.sock_err[fi][0])
			output_debug(1, "IPv%d: %s", fi ? 6 : 4, c->e.sock_err[fi]);
	if (n > 0)
		return;
	int fi = (c->src_family ? c->src_family : c->o.family) == AF_INET6 ? 1 : 0;
	if (!c->e.denied[fi])
		output_die("PING", GL_UNKNOWN, "Cannot open an ICMP socket (%s)",
		           c->e.sock_err[fi]);
	output_die("PING", GL_UNKNOWN,
	           "Cannot open an ICMP socket (%s), allow group %d in "
	           "net.ipv4.ping_group_range or grant CAP_NET_RAW",
	           c->e.sock_err[fi], (int)getgid());
}

/* Resolves one host to the first address whose family has a socket.
 * A name that does not resolve is that host's UNKNOWN, with the message
 * every plugin gives (net_resolve's "cannot resolve 'NAME': ..."); the
 * other hosts are still pinged. Datagram is only the socket type asked
 * for: getaddrinfo() refuses a port with SOCK_RAW, and the addresses are
 * the same. */
static void
ping_resolve_one(struct ping_ctx *c, size_t i)
{
	struct icmp_target *t = &c->t[i];
	struct addrinfo *res = NULL, *ai;
	char err[512];

	t->name = c->hosts[i];
	if (net_resolve(c->hosts[i], 0, c->o.family, SOCK_DGRAM, &res, err, sizeof err) !=
	    NET_OK) {
		t->fate = ICMP_FATE_RESOLVE;
		c->resolve_err[i] = xstrdup(err);
		return;
	}
	for (ai = res; ai; ai = ai->ai_next)
		if ((ai->ai_family == AF_INET && c->e.fd[0] >= 0) ||
		    (ai->ai_family == AF_INET6 && c->e.fd[1] >= 0))
			break;
	if (ai == NULL)
		ai = res;
	if (ai->ai_addrlen <= sizeof t->addr) {
		memcpy(&t->addr, ai->ai_addr, ai->ai_addrlen);
		t->addrlen = ai->ai_addrlen;
		net_addr_str(ai->ai_addr, t->addrstr, sizeof t->addrstr);
	}
	freeaddrinfo(res);
}

static void
ping_run(struct ping_ctx *c)
{
	char err[160];
	int ms;

	for (size_t i = 0; i < c->nhosts; i++)
		ping_resolve_one(c, i);
	ms = deadline_remaining_ms();
	if (icmp_run(&c->e, mono_ns() + (int64_t)ms * 1000000, err, sizeof err) != 0)
		output_die("PING", GL_UNKNOWN, "%s", err);
	c->timed_out = c->e.done < c->e.n;
	unsigned sent = 0, answered = 0;
	for (size_t i = 0; i < c->nhosts; i++) {
		sent += c->t[i].sent;
		answered += c->t[i].received;
	}
	output_debug(1, "%u requests sent, %u answered; %u replies matched nothing of this run",
	             sent, answered, c->e.foreign);
}

/* Nanoseconds as milliseconds rounded to the microsecond. */
static double
ping_ms(int64_t ns)
{
	return (double)((ns + 500) / 1000) / 1000.0;
}

/* "Packet loss = 0%, RTA = 0.05 ms" as check_ping says it, preceded by
 * the reason when the host ended early. */
static void
ping_describe(const struct ping_ctx *c, size_t i, const struct icmp_stats *s, struct strbuf *sb)
{
	const struct icmp_target *t = &c->t[i];

	if (t->fate == ICMP_FATE_RESOLVE) {
		sb_append(sb, c->resolve_err[i]);
		return;
	}
	if (t->fate != ICMP_FATE_NONE) {
		sb_append(sb, icmp_fate_str(t->fate));
		if (t->fate_from[0])
			sb_appendf(sb, " from %s", t->fate_from);
		if (t->fate == ICMP_FATE_SEND_ERROR)
			sb_appendf(sb, ": %s", strerror(t->fate_errno));
		if (t->fate == ICMP_FATE_NO_SOCKET) {
			sb_appendf(sb, ": %s", c->e.sock_err[t->addr.ss_family == AF_INET6]);
			return;
		}
		sb_append(sb, ", ");
	}
	sb_appendf(sb, "Packet loss = %d%%", s->loss_pct);
	if (s->received > 0)
		sb_appendf(sb, ", RTA = %.2f ms", ping_ms(s->rtt_avg));
	if (s->received > 0 && (c->lim.max.warn.set || c->lim.max.crit.set))
		sb_appendf(sb, ", max RTT = %.2f ms", ping_ms(s->rtt_max));
	if (s->received > 1 && (c->lim.jit.warn.set || c->lim.jit.crit.set))
		sb_appendf(sb, ", jitter = %.2f ms", ping_ms(s->jitter));
	if (t->duplicates)
		sb_appendf(sb, ", %u duplicate%s", t->duplicates,
		           t->duplicates == 1 ? "" : "s");
	if (t->late)
		sb_appendf(sb, ", %u late", t->late);
}

static void
ping_perf_item(struct strbuf *pd, const char *prefix, const char *name, double v, bool unknown,
               const char *uom, const struct thresholds *t)
{
	char label[300];
	struct pd_item it = {.label = label,
	                     .value = v,
	                     .unknown = unknown,
	                     .uom = uom,
	                     .warn = &t->warn,
	                     .crit = &t->crit,
	                     .has_min = true,
	                     .min = 0,
	                     .has_max = strcmp(uom, "%") == 0,
	                     .max = 100};

	/* check_icmp's multi-host labels: the host, then the figure. */
	snprintf(label, sizeof label, "%s%s", prefix ? prefix : "", name);
	perfdata_append(pd, &it);
}

/* A check_ping limit (negative: unset) as the range perfdata shows. */
static struct range
ping_limit_range(double limit)
{
	return (struct range){.end = limit, .set = limit >= 0};
}

/* A host whose name did not resolve was never pinged: it has no figures,
 * as no plugin writes perfdata for a name it cannot resolve. */
static void
ping_perf(const struct ping_ctx *c, size_t i, const struct icmp_stats *s, struct strbuf *pd)
{
	const char *p = c->nhosts > 1 ? c->t[i].name : NULL;
	const struct icmp_limits *l = &c->lim;
	const struct thresholds rta = {ping_limit_range(l->wrta), ping_limit_range(l->crta)};
	const struct thresholds pl = {ping_limit_range(l->wpl), ping_limit_range(l->cpl)};
	const struct thresholds none_set = {0};
	bool none = s->received == 0;

	if (c->t[i].fate == ICMP_FATE_RESOLVE)
		return;
	ping_perf_item(pd, p, "rta", ping_ms(s->rtt_avg), none, "ms", &rta);
	ping_perf_item(pd, p, "pl", s->loss_pct, false, "%", &pl);
	ping_perf_item(pd, p, "rtmin", ping_ms(s->rtt_min), none, "ms", &none_set);
	ping_perf_item(pd, p, "rtmax", ping_ms(s->rtt_max), none, "ms", &l->max);
	ping_perf_item(pd, p, "jitter", ping_ms(s->jitter), s->received < 2, "ms", &l->jit);
}

static enum gl_state
ping_target_state(const struct ping_ctx *c, size_t i, const struct icmp_stats *s)
{
	/* A host the -t deadline cut short gets the timeout's state. */
	if (!c->t[i].done)
		return deadline_state();
	return icmp_evaluate(&c->lim, s, c->t[i].fate);
}

/* The overall state: the worst host (CRITICAL > WARNING > UNKNOWN > OK),
 * or with -m a count of healthy hosts as check_icmp counts them. An
 * UNKNOWN host (its name did not resolve, no socket for its family) was
 * not checked: "-m N" is UNKNOWN when only such hosts stand between the
 * count and N, and CRITICAL when even all of them could not make it up. */
static enum gl_state
ping_overall(const struct ping_ctx *c, const size_t *count, enum gl_state worst)
{
	size_t need = (size_t)c->min_ok;

	if (c->min_ok < 0)
		return worst;
	if (count[GL_OK] >= need)
		return GL_OK;
	if (count[GL_OK] + count[GL_WARNING] >= need)
		return GL_WARNING;
	if (count[GL_OK] + count[GL_WARNING] + count[GL_UNKNOWN] >= need)
		return GL_UNKNOWN;
	return GL_CRITICAL;
}

static void
ping_summary(const struct ping_ctx *c, struct gl_output *out, const size_t *count,
             const struct strbuf *listed, size_t nlisted)
{
	static const enum gl_state order[] = {GL_WARNING, GL_CRITICAL, GL_UNKNOWN};

	output_summary(out, "%zu/%zu hosts OK", count[GL_OK], c->nhosts);
	if (c->min_ok >= 0)
		output_summary(out, " (%ld required)", c->min_ok);
	for (size_t k = 0; k < 3; k++)
		if (count[order[k]])
			output_summary(out, ", %zu %s", count[order[k]], state_name(order[k]));
	if (nlisted > 0)
		output_summary(out, ": %s%s", sb_str(listed),
		               nlisted > MAX_LISTED ? ", ..." : "");
}

static void
ping_report(const struct ping_ctx *c, struct gl_output *out)
{
	struct strbuf line = STRBUF_INIT, listed = STRBUF_INIT;
	size_t count[4] = {0}, nlisted = 0;
	enum gl_state worst = GL_OK;

	for (size_t i = 0; i < c->nhosts; i++) {
		const struct icmp_target *t = &c->t[i];
		struct icmp_stats s;
		icmp_stats(t, &s);
		enum gl_state st = ping_target_state(c, i, &s);
		count[st]++;
		worst = state_worst(worst, st);
		sb_reset(&line);
		ping_describe(c, i, &s, &line);
		ping_perf(c, i, &s, &out->perf);
		if (c->nhosts == 1) {
			output_summary(out, "%s", sb_str(&line));
			continue;
		}
		bool alias = t->addrstr[0] && strcmp(t->addrstr, t->name) != 0;
		output_long(out, "%s%s%s%s: %s - %s", t->name, alias ? " (" : "",
		            alias ? t->addrstr : "", alias ? ")" : "", state_name(st),
		            sb_str(&line));
		if (st != GL_OK && nlisted++ < MAX_LISTED)
			sb_appendf(&listed, "%s%s (%s)", nlisted > 1 ? ", " : "", t->name,
			           sb_str(&line));
	}
	if (c->nhosts > 1)
		ping_summary(c, out, count, &listed, nlisted);
	output_state(out, ping_overall(c, count, worst));
	if (c->timed_out)
		output_summary(out, " (run cut short by the %g s timeout)", deadline_seconds());
	sb_free(&line);
	sb_free(&listed);
}

static void
ping_free(struct ping_ctx *c)
{
	icmp_close(&c->e);
	for (size_t i = 0; i < c->nhosts; i++) {
		free(c->hosts[i]);
		free(c->resolve_err[i]);
	}
	free(c->hosts);
	free(c->resolve_err);
	free(c->t);
}

int
main(int argc, char **argv)
{
	struct ping_ctx c;
	struct gl_output out;

	ping_parse(&c, argc, argv);
	ping_open(&c);
	ping_run(&c);
	output_init(&out, "PING");
	ping_report(&c, &out);
	ping_free(&c);
	output_exit(&out);
}

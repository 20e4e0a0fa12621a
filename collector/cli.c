/* Shared plumbing of the glance subcommands (cli.h). */
#include "cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "derive.h"
#include "render.h"

void
cli_init(struct cli *c, const char *prog)
{
	const char *env = getenv("GLANCE_CONFIG");

	memset(c, 0, sizeof *c);
	c->prog = prog;
	c->config = env && *env ? env : CLI_DEFAULT_CONFIG;
	env = getenv("GLANCE_NOW");
	if (env != NULL && *env != '\0' && cli_parse_time(env, &c->now) != 0) {
		fprintf(stderr, "%s: ignoring GLANCE_NOW=%s: not a time\n", prog, env);
		c->now = 0;
	}
	optind = 1;
	opterr = 0;
}

int
cli_usage(const struct cli *c, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", c->prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (try '%s --help')\n", c->prog);
	return -1;
}

int
cli_error(const struct cli *c, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", c->prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return -1;
}

int
cli_option(struct cli *c, int opt, const char *arg)
{
	switch (opt) {
	case 'c': c->config = arg; return 0;
	case 'v': c->verbose++; return 0;
	case CLI_OPT_NOW:
		if (cli_parse_time(arg, &c->now) != 0)
			return cli_usage(
			        c,
			        "--now: '%s' is not a time (epoch seconds or YYYY-MM-DD HH:MM)",
			        arg);
		return 0;
	case '?':
		return optopt ? cli_usage(c, "unknown option '-%c'", optopt)
		              : cli_usage(c, "unknown option");
	case ':': return cli_usage(c, "option needs a value");
	default: return 1;
	}
}

int
cli_parse_only(struct cli *c, int argc, char **argv, const char *help)
{
	static const struct option longopts[] = {CLI_OPTS, {0}};
	int opt;

	while ((opt = getopt_long(argc, argv, CLI_SHORT, longopts, NULL)) != -1) {
		if (opt == 'h') {
			fputs(help, stdout);
			return EXIT_OK;
		}
		if (cli_option(c, opt, optarg) != 0)
			return EXIT_USAGE;
	}
	if (optind < argc) {
		cli_usage(c, "unexpected argument '%s'", argv[optind]);
		return EXIT_USAGE;
	}
	return -1;
}

time_t
cli_time(const struct cli *c)
{
	return c->now ? c->now : time(NULL);
}

int
cli_parse_time(const char *s, time_t *out)
{
	static const char *const formats[] = {"%Y-%m-%d %H:%M:%S",  "%Y-%m-%d %H:%M",
	                                      "%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%dT%H:%M:%S",
	                                      "%Y-%m-%dT%H:%MZ",    "%Y-%m-%dT%H:%M"};
	struct tm tm;
	char *end;

	if (s[0] >= '0' && s[0] <= '9' && strspn(s, "0123456789") == strlen(s)) {
		errno = 0;
		long long v = strtoll(s, &end, 10);
		if (errno != 0 || v <= 0)
			return -1;
		*out = (time_t)v;
		return 0;
	}
	for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++) {
		memset(&tm, 0, sizeof tm);
		end = strptime(s, formats[i], &tm);
		if (end != NULL && (*end == '\0' || strcmp(end, " UTC") == 0)) {
			*out = timegm(&tm);
			return 0;
		}
	}
	return -1;
}

void
cli_format_time(time_t t, char *buf, size_t len)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, len, "%Y-%m-%d %H:%M:%S UTC", &tm);
}

int
cli_config(const struct cli *c, struct config *cfg)
{
	char err[512];

	if (config_load(c->config, cfg, err, sizeof err) != 0)
		return cli_error(c, "%s", err);
	return 0;
}

int
cli_open(const struct cli *c, struct config *cfg, struct store **st)
{
	char err[512];

	if (cli_config(c, cfg) != 0)
		return -1;
	if (store_open(cfg->site.state, cfg->site.sync_full, st, err, sizeof err) != 0) {
		config_free(cfg);
		return cli_error(c, "%s", err);
	}
	/* the systems a Nagios or Icinga 2 described at the last ingest */
	if (store_ingest_systems_get(*st, cfg) != 0) {
		cli_error(c, "%s", store_error(*st));
		store_close(*st);
		config_free(cfg);
		return -1;
	}
	return 0;
}

int
cli_publish(struct store *st, const struct config *cfg, time_t now, int verbose)
{
	struct site_view v;
	char err[512];
	int rc;

	if (derive_update_view(st, cfg, now, &v, err, sizeof err) != 0) {
		fprintf(stderr, "glance: %s\n", err);
		return -1;
	}
	rc = render_site(&v, cfg->site.output, err, sizeof err);
	site_view_free(&v);
	if (rc != 0)
		fprintf(stderr, "glance: render: %s\n", err);
	else if (verbose)
		fprintf(stderr, "glance: rendered %s\n", cfg->site.output);
	return rc;
}

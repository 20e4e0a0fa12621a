/* glance run [--once] and glance render. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "cli.h"
#include "schedule.h"
#include "strbuf.h"

/* Signal flags: the only file-scope state, as in OpenBSD's daemons. */
static volatile sig_atomic_t got_stop, got_reload;

static void
on_signal(int sig)
{
	if (sig == SIGHUP)
		got_reload = 1;
	else
		got_stop = 1;
}

static void
install_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal; /* no SA_RESTART: poll() wakes up */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
}

struct run_ctx {
	struct cli *cli;
	struct store *st;
	char *state; /* the open store's path: a reload cannot move it */
	bool quiet;  /* -q: errors only */
};

static int
run_pass(void *ctx, const struct config *cfg, time_t now)
{
	struct run_ctx *r = ctx;
	int rc = store_prune(r->st, now - (time_t)cfg->site.keep_days * 86400);

	if (rc != 0)
		fprintf(stderr, "glance: pruning results: %s\n", store_error(r->st));
	return cli_publish(r->st, cfg, now, !r->quiet) != 0 || rc != 0 ? -1 : 0;
}

/* SIGHUP: a config that fails to load is reported and the old one kept. */
static struct config *
run_reload(void *ctx)
{
	struct run_ctx *r = ctx;
	struct config *cfg = xcalloc(1, sizeof *cfg);
	char err[512];

	if (config_load(r->cli->config, cfg, err, sizeof err) != 0) {
		fprintf(stderr, "glance: reload failed, keeping the running config: %s\n", err);
		free(cfg);
		return NULL;
	}
	if (strcmp(cfg->site.state, r->state) != 0) {
		fprintf(stderr,
		        "glance: reload failed, keeping the running config: state moved from %s"
		        " to %s (restart to change it)\n",
		        r->state, cfg->site.state);
		config_free(cfg);
		free(cfg);
		return NULL;
	}
	if (!r->quiet)
		fprintf(stderr, "glance: reloaded %s\n", r->cli->config);
	return cfg;
}

/* One scheduler or ingest per store: two would run every check, or read
 * every log line, twice. The lock is an flock on STATE.lock, released by
 * the kernel however we exit. */
int
cli_lock_store(const struct cli *cli, const struct config *cfg)
{
	struct strbuf path = STRBUF_INIT;
	int fd;

	sb_appendf(&path, "%s.lock", cfg->site.state);
	/* never through a symlink: a planted one must not create a file elsewhere */
	fd = open(sb_str(&path), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd < 0 || flock(fd, LOCK_EX | LOCK_NB) != 0) {
		cli_error(cli, "%s: %s", sb_str(&path),
		          fd >= 0 && errno == EWOULDBLOCK
		                  ? "another glance run or ingest uses this store"
		                  : strerror(errno));
		if (fd >= 0)
			close(fd);
		fd = -1;
	}
	sb_free(&path);
	return fd;
}

/* The line a service log starts with: what this run will do. */
static void
run_announce(const struct config *cfg, bool once)
{
	fprintf(stderr, "glance: %s %s: %zu check%s on %zu system%s, store %s, site %s\n",
	        once ? "run --once" : "run", cfg->file, cfg->nchecks,
	        cfg->nchecks == 1 ? "" : "s", cfg->nsystems, cfg->nsystems == 1 ? "" : "s",
	        cfg->site.state, cfg->site.output);
}

static int
run_help(void)
{
	printf("usage: glance run [-c FILE] [--once] [--now EPOCH] [-q | -v]\n\n"
	       "Runs every configured check at its interval (its retry interval while a\n"
	       "problem is SOFT), at most 'parallel' at once, and renders the site within\n"
	       "a second of HARD state changes (or ten times the last render's time, if\n"
	       "longer) and every 'render_every' seconds.\n"
	       "  --once   run each check once, render once, exit (for cron)\n"
	       "  -q       print errors only\n"
	       "  -v       log every result too\n"
	       "On stderr: one line at start (config, checks, store, site), one per\n"
	       "render, one per HARD state change, and every render_every seconds (at\n"
	       "most 60) one on the schedule: checks started, how late they started\n"
	       "(mean, max) and how many are due but wait for a slot.\n"
	       "With a [source nagios] or [source icinga2] section it follows that engine\n"
	       "instead: an ingest pass every 'poll' seconds (Icinga 2: its event stream),\n"
	       "then a render; SIGHUP does not reload a [source]: restart for that.\n"
	       "SIGTERM or SIGINT stop cleanly; SIGHUP reloads the config. One glance run\n"
	       "per store: another one exits 1 while STATE.lock is held.\n"
	       "Exit: 0 done, 1 a result or the site could not be written, 2 usage.\n");
	return EXIT_OK;
}

int
cmd_run(int argc, char **argv)
{
	static const struct option longopts[] = {CLI_OPTS,
	                                         {"once", no_argument, NULL, 'o'},
	                                         {"quiet", no_argument, NULL, 'q'},
	                                         {0}};
	struct cli cli;
	struct config *cfg = xcalloc(1, sizeof *cfg);
	struct run_ctx r = {.cli = &cli};
	struct sched_ctl ctl = {.stop = &got_stop,
	                        .reload = &got_reload,
	                        .ctx = &r,
	                        .on_pass = run_pass,
	                        .on_reload = run_reload};
	int opt, rc;

	cli_init(&cli, "glance run");
	while ((opt = getopt_long(argc, argv, CLI_SHORT "q", longopts, NULL)) != -1) {
		if (opt == 'h') {
			free(cfg);
			return run_help();
		}
		if (opt == 'o')
			ctl.once = true;
		else if (opt == 'q')
			r.quiet = true;
		else if (cli_option(&cli, opt, optarg) != 0) {
			free(cfg);
			return EXIT_USAGE;
		}
	}
	if (optind < argc) {
		free(cfg);
		cli_usage(&cli, "unexpected argument '%s'", argv[optind]);
		return EXIT_USAGE;
	}
	if (cli_open(&cli, cfg, &r.st) != 0) {
		free(cfg);
		return EXIT_FAIL;
	}
	int lock = cli_lock_store(&cli, cfg);
	if (lock < 0) {
		store_close(r.st);
		config_free(cfg);
		free(cfg);
		return EXIT_FAIL;
	}
	r.state = xstrdup(cfg->site.state);
	ctl.now_base = cli.now;
	ctl.verbose = r.quiet ? 0 : 1 + cli.verbose;
	if (!r.quiet)
		run_announce(cfg, ctl.once);
	install_signals();
	if (cfg->source.kind != SOURCE_NONE)
		rc = ingest_follow(&cli, cfg, r.st, &got_stop, ctl.once);
	else
		rc = schedule_run(&cfg, r.st, &ctl);
	close(lock);
	free(r.state);
	store_close(r.st);
	config_free(cfg);
	free(cfg);
	return rc == 0 ? EXIT_OK : EXIT_FAIL;
}

static const char render_help[] =
        "usage: glance render [-c FILE] [--now EPOCH] [-v]\n\n"
        "Derives status, uptime and automatic notices from the store at the\n"
        "given time and writes the site atomically. Exit: 0, 1 failure, 2 "
        "usage.\n";

int
cmd_render(int argc, char **argv)
{
	struct cli cli;
	struct config cfg;
	struct store *st;
	int rc;

	cli_init(&cli, "glance render");
	rc = cli_parse_only(&cli, argc, argv, render_help);
	if (rc >= 0)
		return rc;
	if (cli_open(&cli, &cfg, &st) != 0)
		return EXIT_FAIL;
	rc = cli_publish(st, &cfg, cli_time(&cli), cli.verbose);
	store_close(st);
	config_free(&cfg);
	return rc == 0 ? EXIT_OK : EXIT_FAIL;
}

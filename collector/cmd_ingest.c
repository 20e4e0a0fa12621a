/* glance ingest nagios|icinga2: the status site from a running engine.
 * One pass reads what the engine recorded since the last one into the
 * store, then derive and render run as for glance's own scheduler.
 * `glance run` with a [source] section repeats the pass every poll
 * seconds (ingest_follow). */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "ingest.h"
#include "ingest_icinga2.h"
#include "ingest_nagios.h"
#include "strbuf.h"

#define INGEST_MAX_WARNINGS 50

struct ingest_args {
	const char *db, *site;
	const char *events; /* a saved Icinga 2 event stream to apply */
	bool no_render;
};

static int
ingest_help(void)
{
	printf("usage: glance ingest nagios [--status-dat PATH] [--objects-cache PATH]\n"
	       "                            [--log PATH] [--archives DIR] [--ping NAME]\n"
	       "       glance ingest icinga2 --url https://HOST:5665 --user USER\n"
	       "                            --password-file FILE [--ca FILE] [--ping NAME]\n"
	       "                            [--events FILE]\n"
	       "  common: [-c FILE] [--db PATH] [--site DIR] [--no-render] [--now EPOCH] "
	       "[-v]\n\n"
	       "Reads what Nagios 4 (status.dat, objects.cache, nagios.log and its\n"
	       "archives) or Icinga 2 (its REST API) recorded since the last ingest into\n"
	       "the store, then renders the site. Options override the config's [source]\n"
	       "section; without a config file, --db and --site are enough. Systems are\n"
	       "the engine's hosts; --ping names the check of the Ping column (default\n"
	       "\"host\": the host check). The log is read incrementally and survives\n"
	       "rotation; running twice records nothing twice. Malformed input is\n"
	       "skipped with a warning naming the file and line. --events applies a saved\n"
	       "/v1/events stream (one JSON object a line, as curl records it) after the\n"
	       "objects, for replays.\n"
	       "Exit: 0 done, 1 failure (engine unreadable, store or site not written),\n"
	       "2 usage.\n");
	return EXIT_OK;
}

/* What one pass leaves to the next in `glance run`. */
struct follow_state {
	int64_t objects_mtime, objects_size; /* objects.cache as last read */
	int core_down;                       /* -1 unknown, else the last pass's */
};

/* The objects of the engine become the page's systems and are kept in
 * the store for the other subcommands; the config's own [system]
 * sections win. Nagios rewrites objects.cache when it (re)starts, so an
 * unchanged file is not read again; an unreadable one keeps the last
 * systems. */
static int
load_systems(struct config *cfg, struct store *st, struct follow_state *fs,
             struct ingest_log *log)
{
	struct cfg_source *src = &cfg->source;
	struct ng_objects o;
	struct stat sb;
	char err[512];

	if (src->kind != SOURCE_NAGIOS || src->objects_cache == NULL)
		return 0;
	if (stat(src->objects_cache, &sb) == 0 && (int64_t)sb.st_mtime == fs->objects_mtime &&
	    (int64_t)sb.st_size == fs->objects_size)
		return 0;
	if (ng_objects_load(src->objects_cache, &o, log, err, sizeof err) != 0) {
		fprintf(stderr, "glance: %s (the systems of the last ingest are kept)\n", err);
		return 0;
	}
	fs->objects_mtime = (int64_t)sb.st_mtime;
	fs->objects_size = (int64_t)sb.st_size;
	config_drop_engine(cfg);
	ng_objects_to_config(&o, src->ping, cfg, log);
	ng_objects_free(&o);
	if (store_ingest_systems_put(st, "nagios", cfg, cfg->declared) != 0) {
		fprintf(stderr, "glance: store: %s\n", store_error(st));
		return -1;
	}
	return 0;
}

/* One pass: the engine into the store, then the site. */
static int
ingest_pass(const struct cli *cli, struct config *cfg, struct store *st,
            struct follow_state *fs, const char *events, bool render)
{
	struct ingest_log log = {.verbose = cli->verbose, .max = INGEST_MAX_WARNINGS};
	struct ingest_ctx c = {.st = st, .cfg = cfg, .log = &log, .now = cli_time(cli)};
	char err[512];
	int rc;

	if (load_systems(cfg, st, fs, &log) != 0)
		return -1;
	if (cfg->source.kind == SOURCE_NAGIOS) {
		struct ng_pass_stats s;
		c.source = "nagios";
		rc = ng_ingest_pass(&c, &cfg->source, &s, err, sizeof err);
		/* said once when it happens, not at every poll */
		if (rc == 0 && s.core_down != fs->core_down && s.core_down)
			fprintf(stderr,
			        "glance: %s: missing: Nagios is not running; the log alone "
			        "is read\n",
			        cfg->source.status_dat);
		if (rc == 0)
			fs->core_down = s.core_down;
		if (rc == 0 && cli->verbose)
			fprintf(stderr,
			        "glance: nagios: %llu log lines, %u results, %u windows\n",
			        (unsigned long long)s.lines, s.results, s.windows);
	} else {
		c.source = "icinga2";
		rc = cfg->source.url != NULL ? ic_ingest_pass(&c, &cfg->source, err, sizeof err)
		                             : 0;
		if (rc == 0 && events != NULL)
			rc = ic_replay(&c, events, err, sizeof err);
		if (rc == 0 && cli->verbose)
			fprintf(stderr, "glance: icinga2: %u results, %u windows\n", c.results,
			        c.windows);
	}
	if (rc != 0)
		fprintf(stderr, "glance: %s\n", err);
	if (log.warnings > log.max)
		fprintf(stderr, "glance: %u warnings in all\n", log.warnings);
	if (rc == 0 && render)
		rc = cli_publish(st, cfg, cli_time(cli), cli->verbose);
	return rc;
}

struct follow_render {
	const struct cli *cli;
	struct config *cfg;
	struct store *st;
};

static int
follow_render(void *arg)
{
	struct follow_render *r = arg;
	time_t now = cli_time(r->cli);

	if (store_prune(r->st, now - (time_t)r->cfg->site.keep_days * 86400) != 0)
		fprintf(stderr, "glance: pruning results: %s\n", store_error(r->st));
	return cli_publish(r->st, r->cfg, now, r->cli->verbose);
}

/* Icinga 2 pushes its changes: the event stream, not a poll. */
static int
follow_icinga2(const struct cli *cli, struct config *cfg, struct store *st,
               volatile sig_atomic_t *stop)
{
	struct ingest_log log = {.verbose = cli->verbose, .max = INGEST_MAX_WARNINGS};
	struct ingest_ctx c = {
	        .st = st, .cfg = cfg, .log = &log, .now = cli_time(cli), .source = "icinga2"};
	struct follow_render r = {.cli = cli, .cfg = cfg, .st = st};
	struct ic_follow f = {.c = &c,
	                      .src = &cfg->source,
	                      .render_every = cfg->site.render_every,
	                      .stop = stop,
	                      .render = follow_render,
	                      .arg = &r};

	return ic_follow(&f);
}

int
ingest_follow(const struct cli *cli, struct config *cfg, struct store *st,
              volatile sig_atomic_t *stop, bool once)
{
	if (cfg->source.kind == SOURCE_ICINGA2 && !once)
		return follow_icinga2(cli, cfg, st, stop);
	struct follow_state fs = {.core_down = -1};
	int failed = 0;

	while (!*stop) {
		time_t now = cli_time(cli);
		if (store_prune(st, now - (time_t)cfg->site.keep_days * 86400) != 0)
			fprintf(stderr, "glance: pruning results: %s\n", store_error(st));
		failed = ingest_pass(cli, cfg, st, &fs, NULL, true) != 0;
		if (once)
			break;
		/* poll() is the one place the loop sleeps; a signal ends it */
		for (int left = cfg->source.poll * 10; left > 0 && !*stop; left--)
			if (poll(NULL, 0, 100) < 0 && errno != EINTR)
				break;
	}
	return failed ? -1 : 0;
}

static int
source_option(struct cfg_source *s, int opt, const char *arg)
{
	char **dst = NULL;

	switch (opt) {
	case 'S': dst = &s->status_dat; break;
	case 'O': dst = &s->objects_cache; break;
	case 'L': dst = &s->log; break;
	case 'A': dst = &s->archives; break;
	case 'P': dst = &s->ping; break;
	case 'U': dst = &s->url; break;
	case 'u': dst = &s->user; break;
	case 'W': dst = &s->password_file; break;
	case 'C': dst = &s->ca; break;
	default: return 1;
	}
	free(*dst);
	*dst = xstrdup(arg);
	return 0;
}

static const struct option ingest_opts[] = {
        CLI_OPTS,
        {"status-dat", required_argument, NULL, 'S'},
        {"objects-cache", required_argument, NULL, 'O'},
        {"log", required_argument, NULL, 'L'},
        {"archives", required_argument, NULL, 'A'},
        {"ping", required_argument, NULL, 'P'},
        {"url", required_argument, NULL, 'U'},
        {"user", required_argument, NULL, 'u'},
        {"password-file", required_argument, NULL, 'W'},
        {"ca", required_argument, NULL, 'C'},
        {"db", required_argument, NULL, 'D'},
        {"site", required_argument, NULL, 's'},
        {"no-render", no_argument, NULL, 'n'},
        {"events", required_argument, NULL, 'E'},
        {0},
};

/* Options are kept aside and applied over the config once it is
 * loaded: the config may come after them on the command line. */
struct pending {
	int opt[32];
	const char *arg[32];
	size_t n;
};

static int
parse_args(struct cli *cli, int argc, char **argv, struct ingest_args *a, struct pending *p)
{
	int opt;

	while ((opt = getopt_long(argc, argv, CLI_SHORT, ingest_opts, NULL)) != -1) {
		if (opt == 'h') {
			ingest_help();
			return 1;
		}
		if (opt == 'D')
			a->db = optarg;
		else if (opt == 's')
			a->site = optarg;
		else if (opt == 'n')
			a->no_render = true;
		else if (opt == 'E')
			a->events = optarg;
		else if (opt > 0 && opt < 128 && strchr("SOLAPUuWC", opt) != NULL &&
		         p->n < 32) {
			p->opt[p->n] = opt;
			p->arg[p->n++] = optarg;
		} else if (cli_option(cli, opt, optarg) != 0)
			return -1;
	}
	if (optind < argc)
		return cli_usage(cli, "unexpected argument '%s'", argv[optind]);
	return 0;
}

/* The config file, or an empty one when --db and --site say all and no
 * file was named. */
static int
load_config(struct cli *cli, const struct ingest_args *a, struct config *cfg)
{
	char err[512], cwd[4096];
	const char *env = getenv("GLANCE_CONFIG");
	bool named =
	        (env != NULL && *env != '\0') || strcmp(cli->config, CLI_DEFAULT_CONFIG) != 0;

	if (!named && a->db != NULL && a->site != NULL && access(cli->config, R_OK) != 0) {
		if (getcwd(cwd, sizeof cwd) == NULL ||
		    config_parse("", "(no config)", cwd, cfg, err, sizeof err) != 0)
			return cli_error(cli, "cannot set up an empty config");
		return 0;
	}
	return cli_config(cli, cfg);
}

static int
apply_args(struct cli *cli, struct config *cfg, enum cfg_source_kind kind,
           const struct ingest_args *a, const struct pending *p)
{
	struct cfg_source *s = &cfg->source;
	char cwd[4096];

	if (s->kind != kind && s->kind != SOURCE_NONE)
		return cli_usage(cli, "%s has a [source %s], not %s", cfg->file,
		                 s->kind == SOURCE_NAGIOS ? "nagios" : "icinga2",
		                 kind == SOURCE_NAGIOS ? "nagios" : "icinga2");
	s->kind = kind;
	for (size_t i = 0; i < p->n; i++)
		source_option(s, p->opt[i], p->arg[i]);
	if (a->db != NULL) {
		free(cfg->site.state);
		cfg->site.state = xstrdup(a->db);
	}
	if (a->site != NULL) {
		free(cfg->site.output);
		cfg->site.output = xstrdup(a->site);
	}
	/* render writes the site by absolute path */
	if (cfg->site.output[0] != '/' && getcwd(cwd, sizeof cwd) != NULL) {
		struct strbuf sb = STRBUF_INIT;
		sb_appendf(&sb, "%s/%s", cwd, cfg->site.output);
		free(cfg->site.output);
		cfg->site.output = sb_detach(&sb);
	}
	if (kind == SOURCE_NAGIOS && s->status_dat == NULL && s->log == NULL)
		return cli_usage(cli, "give --status-dat or --log (or both)");
	if (kind == SOURCE_ICINGA2 && (a->events == NULL || s->url != NULL) &&
	    (s->url == NULL || s->user == NULL || s->password_file == NULL))
		return cli_usage(cli, "give --url, --user and --password-file (or --events)");
	return 0;
}

int
cmd_ingest(int argc, char **argv)
{
	struct cli cli;
	struct ingest_args a = {0};
	struct pending p = {0};
	struct config cfg;
	struct store *st;
	enum cfg_source_kind kind;
	char err[512];
	int rc;

	cli_init(&cli, "glance ingest");
	if (argc < 2 || (strcmp(argv[1], "nagios") != 0 && strcmp(argv[1], "icinga2") != 0)) {
		if (argc >= 2 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0))
			return ingest_help();
		cli_usage(&cli, "ingest what? (nagios or icinga2)");
		return EXIT_USAGE;
	}
	kind = strcmp(argv[1], "nagios") == 0 ? SOURCE_NAGIOS : SOURCE_ICINGA2;
	cli.prog = kind == SOURCE_NAGIOS ? "glance ingest nagios" : "glance ingest icinga2";
	rc = parse_args(&cli, argc - 1, argv + 1, &a, &p);
	if (rc != 0)
		return rc > 0 ? EXIT_OK : EXIT_USAGE;
	if (load_config(&cli, &a, &cfg) != 0)
		return EXIT_FAIL;
	if (apply_args(&cli, &cfg, kind, &a, &p) != 0) {
		config_free(&cfg);
		return EXIT_USAGE;
	}
	if (store_open(cfg.site.state, cfg.site.sync_full, &st, err, sizeof err) != 0) {
		cli_error(&cli, "%s", err);
		config_free(&cfg);
		return EXIT_FAIL;
	}
	struct follow_state fs = {.core_down = -1};
	int lock = cli_lock_store(&cli, &cfg);
	rc = lock < 0 || store_ingest_systems_get(st, &cfg) != 0
	             ? -1
	             : ingest_pass(&cli, &cfg, st, &fs, a.events, !a.no_render);
	if (lock >= 0)
		close(lock);
	store_close(st);
	config_free(&cfg);
	return rc == 0 ? EXIT_OK : EXIT_FAIL;
}

/* glance maintenance schedule|list|end|cancel: maintenance windows. A
 * window makes its system show Maintenance while it lasts; derive posts
 * "Maintenance underway" when it begins and "Maintenance complete" when
 * it ends, linked to the "Server maintenance" notice posted here. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "derive.h"

struct maint_args {
	const char *start, *duration, *end, *reason, *title;
	bool record;
};

static const struct option maint_opts[] = {
        CLI_OPTS,
        {"start", required_argument, NULL, 's'},
        {"duration", required_argument, NULL, 'd'},
        {"end", required_argument, NULL, 'e'},
        {"reason", required_argument, NULL, 'r'},
        {"title", required_argument, NULL, 't'},
        {"record", no_argument, NULL, 'R'},
        {0},
};

static int
maint_help(void)
{
	printf("usage: glance maintenance schedule SYSTEM --start TIME (--duration D | --end "
	       "TIME)\n"
	       "                                  [--reason TEXT] [--title TEXT] [--record]\n"
	       "       glance maintenance list\n"
	       "       glance maintenance end ID      (finished early, now)\n"
	       "       glance maintenance cancel ID   (will not happen)\n"
	       "  (each also takes -c FILE and --now EPOCH)\n\n"
	       "TIME is ISO 8601 with a zone (2026-12-10T02:00Z, 2026-12-10T02:00+01:00),\n"
	       "or without one (\"2026-12-10 02:00\", in [site] timezone, UTC if unset),\n"
	       "epoch seconds, now, +2h, +30m, \"today 02:00\" or \"tomorrow 02:00\" (in\n"
	       "that zone). D is seconds or 90s, 30m, 1h, 2d. A window wholly in the past\n"
	       "is refused unless --record says it is recorded after the fact.\n"
	       "schedule posts \"SYSTEM: Server maintenance\" (or --title) with the window\n"
	       "and its length, prints the window's id on stdout and, on stderr, what it\n"
	       "did and the notice's address. end closes a window under way now; cancel\n"
	       "withdraws any window not yet cancelled, upcoming, under way or past.\n"
	       "Exit: 0 done, 1 failure, 2 usage.\n");
	return EXIT_OK;
}

/* The body of the "Server maintenance" notice. */
static char *
scheduled_body(const char *name, time_t start, time_t end, const char *reason)
{
	struct strbuf sb = STRBUF_INIT;
	char dur[FMT_TIME_MAX], range[2 * FMT_TIME_MAX];

	fmt_duration(dur, sizeof dur, (long long)(end - start));
	fmt_range(range, sizeof range, start, end);
	sb_appendf(&sb, "%s will be down for maintenance for up to %s, %s.", name, dur, range);
	if (reason != NULL && *reason != '\0')
		sb_appendf(&sb, "\n\n%s", reason);
	return sb_detach(&sb);
}

static int
window(const struct cli *c, const struct config *cfg, const struct maint_args *a, time_t *start,
       time_t *end)
{
	const char *zone = cfg->site.timezone;

	if (a->start == NULL)
		return cli_usage(c, "--start TIME is required");
	if (fmt_parse_time(a->start, cli_time(c), zone, start) != 0)
		return cli_usage(c, "--start: '%s' is not a time; use %s", a->start,
		                 FMT_TIME_FORMS);
	if ((a->duration == NULL) == (a->end == NULL))
		return cli_usage(c, "give one of --duration or --end");
	if (a->duration != NULL) {
		long d = config_duration(a->duration);
		if (d <= 0)
			return cli_usage(c, "--duration: '%s' is not a duration", a->duration);
		*end = *start + d;
	} else if (fmt_parse_time(a->end, cli_time(c), zone, end) != 0 || *end <= *start) {
		return cli_usage(c, "--end: '%s' is not a time after --start; use %s", a->end,
		                 FMT_TIME_FORMS);
	}
	if (*end <= cli_time(c) && !a->record) {
		char e[64];
		cli_format_time(*end, e, sizeof e);
		return cli_usage(c,
		                 "the window ends %s, in the past: give --record to record a "
		                 "past window",
		                 e);
	}
	return 0;
}

/* What the command did, on stderr (stdout keeps only the id, for
 * scripts), with the notice's address on the site. */
static void
maint_tell(const struct cli *c, const struct config *cfg, const char *what, long long wid,
           int64_t nid)
{
	const char *base = cfg->site.info.base_url;

	fprintf(stderr, "%s: %s window %lld", c->prog, what, wid);
	if (nid > 0)
		fprintf(stderr, ", notice %snotices/%lld.html", base ? base : "",
		        (long long)nid);
	fputc('\n', stderr);
}

int64_t
maint_post_scheduled(struct store *st, const struct cfg_system *sys, const struct downtime *d,
                     time_t posted)
{
	struct notice_view n = {.kind = NOTICE_MAINT_SCHEDULED,
	                        .maint = MAINT_SCHEDULED,
	                        .posted = posted,
	                        .starts = d->start,
	                        .ends = d->end,
	                        .ntags = 1};
	struct strbuf sb = STRBUF_INIT;
	const char *title = d->title && *d->title ? d->title : "Server maintenance";
	int64_t nid;
	char key[64];

	n.system_id = xstrdup(sys->id);
	sb_appendf(&sb, "%s: %s", sys->id, title);
	n.title = sb_detach(&sb);
	n.body = scheduled_body(sys->name, d->start, d->end, d->reason);
	n.tags = xmalloc(sizeof *n.tags);
	n.tags[0] = xstrdup("maintenance");
	snprintf(key, sizeof key, "maint-scheduled:%lld", (long long)d->id);
	nid = store_notice_add(st, &n, key);
	notice_view_free(&n);
	if (nid > 0 && store_downtime_set_incident(st, d->id, nid) != 0)
		return -1;
	return nid;
}

static int
maint_schedule(const struct cli *c, struct store *st, const struct config *cfg,
               const char *system, const struct maint_args *a)
{
	const struct cfg_system *sys = config_system(cfg, system);
	struct downtime d = {.system = (char *)system,
	                     .reason = (char *)a->reason,
	                     .created = cli_time(c),
	                     .title = (char *)a->title};

	if (sys == NULL) {
		cli_error(c, "no system '%s' in %s", system, cfg->file);
		return EXIT_FAIL;
	}
	if (a->title != NULL && a->title[strspn(a->title, " \t\r\n")] == '\0') {
		cli_usage(c, "--title: a window needs a title, not an empty one");
		return EXIT_USAGE;
	}
	int64_t nid = 0;

	if (window(c, cfg, a, &d.start, &d.end) != 0)
		return EXIT_USAGE;
	if (store_begin(st) != 0 || (d.id = store_downtime_add(st, &d)) < 0 ||
	    (nid = maint_post_scheduled(st, sys, &d, cli_time(c))) <= 0 ||
	    store_commit(st) != 0)
		goto fail;
	printf("%lld\n", (long long)d.id);
	maint_tell(c, cfg, d.end <= cli_time(c) ? "recorded past" : "scheduled",
	           (long long)d.id, nid);
	return EXIT_OK;
fail:
	cli_error(c, "%s", store_error(st));
	store_rollback(st);
	return EXIT_FAIL;
}

static const char *
window_state(const struct downtime *d, time_t now)
{
	time_t end = d->ended ? d->ended : d->end;

	if (d->cancelled)
		return "cancelled";
	if (now < d->start)
		return "scheduled";
	return now < end ? "in_progress" : "completed";
}

static int
maint_list(const struct cli *c, struct store *st)
{
	struct downtime *d;
	size_t n;
	char a[64], b[64];
	time_t now = cli_time(c);

	if (store_downtimes(st, NULL, 0, &d, &n) != 0) {
		cli_error(c, "%s", store_error(st));
		return EXIT_FAIL;
	}
	for (size_t i = 0; i < n; i++) {
		cli_format_time(d[i].start, a, sizeof a);
		cli_format_time(d[i].ended ? d[i].ended : d[i].end, b, sizeof b);
		printf("%lld\t%s\t%s\t%s\t%s\t%s\n", (long long)d[i].id, d[i].system, a, b,
		       window_state(&d[i], now), d[i].reason);
	}
	downtimes_free(d, n);
	return EXIT_OK;
}

int64_t
maint_post_cancelled(struct store *st, const struct downtime *d, time_t now)
{
	struct strbuf sb = STRBUF_INIT;
	struct notice_view n = {.kind = NOTICE_MAINT_COMPLETE,
	                        .maint = MAINT_COMPLETED,
	                        .system_id = xstrdup(d->system),
	                        .incident_id = d->incident,
	                        .posted = now,
	                        .starts = d->start,
	                        .ends = d->end};
	int64_t id;
	char key[64];

	sb_appendf(&sb, "%s: %s cancelled", d->system,
	           d->title && *d->title ? d->title : "Maintenance");
	n.title = sb_detach(&sb);
	char when[FMT_TIME_MAX];
	fmt_date_hhmm(when, sizeof when, d->start);
	if (now < d->start)
		sb_appendf(&sb, "The maintenance planned from %s will not take place.", when);
	else
		sb_appendf(&sb,
		           "The maintenance window from %s is withdrawn: that time no longer "
		           "counts as maintenance.",
		           when);
	n.body = sb_detach(&sb);
	snprintf(key, sizeof key, "maint-cancelled:%lld", (long long)d->id);
	id = store_notice_add(st, &n, key);
	notice_view_free(&n);
	return id;
}

/* end: the window closes now (it must have begun); cancel: it does not
 * count, whether upcoming, under way or past, and a notice says so. */
static int
maint_finish(const struct cli *c, const struct config *cfg, struct store *st, long long id,
             bool cancel)
{
	int64_t nid = 0;
	struct downtime d;
	time_t now = cli_time(c);
	int r = store_downtime_get(st, id, &d), rc = EXIT_FAIL;
	const char *state = r > 0 ? window_state(&d, now) : NULL;

	if (r <= 0)
		cli_error(c, "no maintenance window %lld", id);
	else if (!cancel && strcmp(state, "in_progress") != 0)
		cli_error(c, "window %lld is %s, not in progress%s", id, state,
		          strcmp(state, "scheduled") == 0 ? " (use cancel)" : "");
	else if (cancel && strcmp(state, "cancelled") == 0)
		cli_error(c, "window %lld is already cancelled", id);
	else if (store_begin(st) != 0 || store_downtime_finish(st, id, now, cancel) != 0)
		cli_error(c, "%s", store_error(st));
	else
		rc = EXIT_OK;
	if (rc == EXIT_OK && cancel && (nid = maint_post_cancelled(st, &d, now)) < 0) {
		cli_error(c, "%s", store_error(st));
		rc = EXIT_FAIL;
	}
	if (rc == EXIT_OK && store_commit(st) != 0) {
		cli_error(c, "%s", store_error(st));
		rc = EXIT_FAIL;
	}
	if (rc != EXIT_OK)
		store_rollback(st);
	else
		maint_tell(c, cfg, cancel ? "cancelled" : "ended", id, nid);
	if (r > 0)
		downtime_free(&d);
	return rc;
}

static int
maint_args(struct cli *c, int argc, char **argv, struct maint_args *a)
{
	int opt;

	while ((opt = getopt_long(argc, argv, CLI_SHORT, maint_opts, NULL)) != -1) {
		switch (opt) {
		case 'h': maint_help(); return 1;
		case 's': a->start = optarg; break;
		case 'd': a->duration = optarg; break;
		case 'e': a->end = optarg; break;
		case 'r': a->reason = optarg; break;
		case 't': a->title = optarg; break;
		case 'R': a->record = true; break;
		default:
			if (cli_option(c, opt, optarg) != 0)
				return -1;
		}
	}
	return 0;
}

int
cmd_maintenance(int argc, char **argv)
{
	struct cli cli;
	struct maint_args a = {0};
	struct config cfg;
	struct store *st;
	const char *verb = argc > 1 ? argv[1] : "";
	const char *arg = NULL;
	long long id = 0;
	int rc;

	if (strcmp(verb, "-h") == 0 || strcmp(verb, "--help") == 0)
		return maint_help();
	cli_init(&cli, "glance maintenance");
	if (strcmp(verb, "schedule") && strcmp(verb, "list") && strcmp(verb, "end") &&
	    strcmp(verb, "cancel")) {
		cli_usage(&cli, "expected schedule, list, end or cancel");
		return EXIT_USAGE;
	}
	rc = maint_args(&cli, argc - 1, argv + 1, &a);
	if (rc != 0)
		return rc > 0 ? EXIT_OK : EXIT_USAGE;
	/* getopt saw argv + 1: its optind is one less than ours */
	if (optind + 2 == argc)
		arg = argv[optind + 1];
	if ((strcmp(verb, "list") == 0) != (arg == NULL) || optind + 2 < argc) {
		cli_usage(&cli, "%s",
		          strcmp(verb, "list") == 0       ? "list takes no argument"
		          : strcmp(verb, "schedule") == 0 ? "schedule needs one SYSTEM"
		                                          : "needs one window ID");
		return EXIT_USAGE;
	}
	if ((strcmp(verb, "end") == 0 || strcmp(verb, "cancel") == 0)) {
		char *end;
		errno = 0;
		id = strtoll(arg, &end, 10);
		if (*end != '\0' || id <= 0 || errno == ERANGE) {
			cli_usage(&cli, "'%s' is not a window id", arg);
			return EXIT_USAGE;
		}
	}
	if (cli_open(&cli, &cfg, &st) != 0)
		return EXIT_FAIL;
	if (strcmp(verb, "schedule") == 0)
		rc = maint_schedule(&cli, st, &cfg, arg, &a);
	else if (strcmp(verb, "list") == 0)
		rc = maint_list(&cli, st);
	else
		rc = maint_finish(&cli, &cfg, st, id, strcmp(verb, "cancel") == 0);
	store_close(st);
	config_free(&cfg);
	return rc;
}

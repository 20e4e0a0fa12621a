/* glance check-config: validates the config and says what it means. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "exec.h"
#include "strbuf.h"

static void
explain_check(const struct config *cfg, const struct cfg_check *c, const char *role,
              int *missing)
{
	char err[256];
	char *path = exec_resolve(c->argv[0], cfg->site.path, err, sizeof err);

	printf("    %s %s: every %ds, retry %ds, HARD after %d attempt%s, timeout %ds;"
	       " impact: WARNING %s, CRITICAL %s\n",
	       role, c->service, c->interval, c->retry, c->attempts,
	       c->attempts == 1 ? "" : "s", c->timeout,
	       impact_name((enum impact)c->impact_warning),
	       impact_name((enum impact)c->impact_critical));
	if (path == NULL) {
		struct strbuf dirs = STRBUF_INIT;

		/* say where a bare name was looked for, so a missing plugin
		 * and a wrong 'path' are told apart at once */
		if (strchr(c->argv[0], '/') == NULL)
			exec_search_path(cfg->site.path, &dirs);
		printf("      ERROR %s:%d: %s%s%s%s\n", cfg->file, c->line, err,
		       dirs.len > 0 ? " (looked in " : "", sb_str(&dirs),
		       dirs.len > 0 ? ")" : "");
		sb_free(&dirs);
		(*missing)++;
	} else {
		printf("      runs %s", path);
		for (size_t i = 1; c->argv[i] != NULL; i++)
			printf(" [%s]", c->argv[i]);
		putchar('\n');
	}
	free(path);
}

/* The site and the store are written into their parent directories (the
 * site is swapped in with a rename beside it). */
static void
check_dir(const char *what, const char *path, int *missing)
{
	struct strbuf dir = STRBUF_INIT;
	const char *slash = strrchr(path, '/');

	if (slash == NULL)
		sb_append(&dir, ".");
	else
		sb_appendn(&dir, path, slash == path ? 1 : (size_t)(slash - path));
	if (access(sb_str(&dir), W_OK | X_OK) != 0) {
		printf("  ERROR %s: cannot write in %s: %s\n", what, sb_str(&dir),
		       strerror(errno));
		(*missing)++;
	}
	sb_free(&dir);
}

static int
explain(const struct config *cfg)
{
	const struct cfg_site *s = &cfg->site;
	int missing = 0;

	printf("%s: %zu system%s, %zu check%s\n", cfg->file, cfg->nsystems,
	       cfg->nsystems == 1 ? "" : "s", cfg->nchecks, cfg->nchecks == 1 ? "" : "s");
	printf("site \"%s\" at %s\n  output %s\n  state %s (SQLite, WAL, synchronous=%s)\n",
	       s->info.title, s->info.base_url, s->output, s->state,
	       s->sync_full ? "FULL" : "NORMAL");
	printf("  %d checks at once; render every %ds; flaps under %ds are not posted;"
	       " results kept %d days\n",
	       s->parallel, s->render_every, s->flap_min, s->keep_days);
	check_dir("output", s->output, &missing);
	check_dir("state", s->state, &missing);
	for (size_t i = 0; i < cfg->nsystems; i++) {
		const struct cfg_system *y = &cfg->systems[i];
		printf("system %s \"%s\" (%s; %s) %s\n", y->id, y->name,
		       y->location ? y->location : "no location", y->role ? y->role : "no role",
		       y->internal
		               ? "internal: shown as Internal, no details, no automatic notices"
		               : "public");
		if (y->parent != NULL)
			printf("    reached through %s: unreachable while its ping is down\n",
			       y->parent);
		if (y->ping != NULL)
			explain_check(cfg, config_check(cfg, y->id, y->ping), "ping", &missing);
		else
			printf("    no ping check: the Ping column shows Unknown\n");
		for (size_t j = 0; j < y->nservices; j++)
			explain_check(cfg, config_check(cfg, y->id, y->services[j]), "service",
			              &missing);
	}
	for (size_t i = 0; i < cfg->nchecks; i++) {
		const struct cfg_check *c = &cfg->checks[i];
		const struct cfg_system *y = config_system(cfg, c->system);
		bool used = y->ping != NULL && strcmp(y->ping, c->service) == 0;
		for (size_t j = 0; j < y->nservices && !used; j++)
			used = strcmp(y->services[j], c->service) == 0;
		if (!used) {
			printf("check %s/%s is run and stored but decides nothing\n", c->system,
			       c->service);
			explain_check(cfg, c, "extra", &missing);
		}
	}
	if (missing > 0)
		printf("%d problem%s found\n", missing, missing == 1 ? "" : "s");
	else
		printf("config OK\n");
	return missing > 0 ? -1 : 0;
}

static const char check_config_help[] =
        "usage: glance check-config [-c FILE]\n\n"
        "Parses the config, checks every reference, that every command\n"
        "can be executed and that the site and the store can be written,\n"
        "and explains what will run. Parse errors name file, line and\n"
        "column. Exit: 0 valid, 1 invalid, 2 usage.\n";

int
cmd_check_config(int argc, char **argv)
{
	struct cli cli;
	struct config cfg;
	int rc;

	cli_init(&cli, "glance check-config");
	rc = cli_parse_only(&cli, argc, argv, check_config_help);
	if (rc >= 0)
		return rc;
	if (cli_config(&cli, &cfg) != 0)
		return EXIT_FAIL;
	rc = explain(&cfg);
	config_free(&cfg);
	return rc == 0 ? EXIT_OK : EXIT_FAIL;
}

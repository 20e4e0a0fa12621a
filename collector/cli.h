/* What every glance subcommand shares: the options -c FILE, --now EPOCH
 * and -v (also GLANCE_CONFIG and GLANCE_NOW from the environment),
 * loading the config and the store, and one derive + render pass. */
#ifndef GLANCE_CLI_H
#define GLANCE_CLI_H

#include <getopt.h>
#include <signal.h>
#include <stdbool.h>
#include <time.h>

#include "config.h"
#include "store.h"

#define CLI_DEFAULT_CONFIG "/etc/glance/glance.conf"

/* Exit codes of the glance command. */
enum { EXIT_OK = 0, EXIT_FAIL = 1, EXIT_USAGE = 2 };

struct cli {
	const char *config;
	time_t now; /* 0: the real clock */
	int verbose;
	const char *prog; /* "glance notice add", for messages */
};

/* The long options every subcommand takes; CLI_OPTS goes into its
 * struct option table, CLI_SHORT into its short option string. */
#define CLI_OPT_NOW 1000
/* clang-format off */
#define CLI_OPTS                                                \
	{"config", required_argument, NULL, 'c'},               \
	{"now", required_argument, NULL, CLI_OPT_NOW},          \
	{"verbose", no_argument, NULL, 'v'},                    \
	{"help", no_argument, NULL, 'h'}
/* clang-format on */
#define CLI_SHORT "c:vh"

void cli_init(struct cli *c, const char *prog);
/* Handles a common option; returns 0 when handled, 1 when opt is not a
 * common one, -1 after printing a usage error. */
int cli_option(struct cli *c, int opt, const char *arg);
time_t cli_time(const struct cli *c);
/* The whole command line of a subcommand that takes only the common
 * options and no arguments; -h prints help. Returns -1 to go on, or the
 * exit code: EXIT_OK after the help, EXIT_USAGE. */
int cli_parse_only(struct cli *c, int argc, char **argv, const char *help);

/* Loads the config; prints the error and returns -1 on failure. */
int cli_config(const struct cli *c, struct config *cfg);
/* Loads the config and opens its store. */
int cli_open(const struct cli *c, struct config *cfg, struct store **st);

/* Takes STATE.lock (flock) so one glance run or ingest uses a store at a
 * time; returns its fd, or -1 after printing why. */
int cli_lock_store(const struct cli *c, const struct config *cfg);

/* glance run with a [source]: an ingest pass every poll seconds until
 * *stop (once: one pass). */
int ingest_follow(const struct cli *c, struct config *cfg, struct store *st,
                  volatile sig_atomic_t *stop, bool once);

/* derive_update, derive_view and render_site at now. Returns 0 or -1 (and
 * prints why). */
int cli_publish(struct store *st, const struct config *cfg, time_t now, int verbose);

/* "1446344400", "2015-11-01 02:20", "2015-11-01T02:20:00Z" (UTC). */
int cli_parse_time(const char *s, time_t *out);
/* "2015-11-01 02:20:00 UTC" into buf. */
void cli_format_time(time_t t, char *buf, size_t len);

__attribute__((format(printf, 2, 3))) int cli_usage(const struct cli *c, const char *fmt, ...);
__attribute__((format(printf, 2, 3))) int cli_error(const struct cli *c, const char *fmt, ...);

/* The notices of a maintenance window d (d->id set), shared by glance
 * maintenance and the ingests: "SYSTEM: Server maintenance" (or the
 * window's title) with its window and length, posted at posted and made
 * the window's incident; and "SYSTEM: Maintenance cancelled". Each
 * returns the notice's id, 0 when it was posted before, -1 on error. */
int64_t maint_post_scheduled(struct store *st, const struct cfg_system *sys,
                             const struct downtime *d, time_t posted);
int64_t maint_post_cancelled(struct store *st, const struct downtime *d, time_t now);

/* The subcommands, each in its own file; argv[0] is the subcommand. */
int cmd_run(int argc, char **argv);
int cmd_render(int argc, char **argv);
int cmd_check_config(int argc, char **argv);
int cmd_notice(int argc, char **argv);
int cmd_maintenance(int argc, char **argv);
int cmd_ingest(int argc, char **argv);

#endif

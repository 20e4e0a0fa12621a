/* The collector's configuration: one INI-like file describing the site,
 * the systems on the public page and the checks that decide their status.
 *
 *   [site]              title, name, base_url, output, state, path, ...
 *   [defaults]          interval, retry, attempts, timeout for every check
 *   [system NC036]      name, location, role, visibility, ping, services,
 *                       parent
 *   [check NC036/SMTP]  command, interval, retry, attempts, timeout,
 *                       impact_warning, impact_critical
 *   [source nagios]     status_dat, objects_cache, log, archives, ping, poll,
 *                       timeout: follow a running Nagios 4 instead
 *   [source icinga2]    url, user, password_file, ca, ping, poll, timeout
 *
 * Lines are "key = value"; '#' or ';' starts a comment line; values run to
 * the end of the line (no inline comments: a command may contain '#').
 * Durations are seconds, or a number with s, m, h or d. Relative paths
 * (output, state) are taken from the config file's directory. Every error
 * names the file, line and column ("isp.conf:12:3: unknown key ..."). */
#ifndef GLANCE_CONFIG_H
#define GLANCE_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "model.h"

struct cfg_check {
	char *system;  /* "NC036" */
	char *service; /* "SMTP" */
	char *command; /* the command line as written */
	char **argv;   /* split by cmdline_split, NULL-terminated */
	int interval;  /* seconds between checks in a HARD (or OK) state */
	int retry;     /* seconds between checks while SOFT non-OK */
	int attempts;  /* max check attempts before a state is HARD */
	int timeout;   /* seconds before the plugin is killed */
	/* enum impact of a WARNING and of a CRITICAL result. Defaults: the
	 * ping check major when CRITICAL; other checks partial; WARNING
	 * degraded, but none for check_tls_cert, whose warning is a
	 * reminder to the operator, not something customers notice. */
	int impact_warning, impact_critical;
	int line; /* where it was declared, for messages */
};

struct cfg_system {
	char *id;
	char *name;
	char *location;
	char *role;
	bool internal;
	char *ping;      /* service name of the ping check, or NULL */
	char **services; /* service names deciding the status */
	size_t nservices;
	/* The system it is reached through (a router, a data centre's
	 * uplink), or NULL: while the parent is down, this one is
	 * unreachable, and the parent's incident names it. */
	char *parent;
	int parent_line, parent_col;
	int line; /* where it and its ping/services were declared */
	int ping_line, ping_col, svc_line, svc_col;
};

struct cfg_site {
	struct site_info info; /* title, name, base_url, ... for render */
	char *output;          /* the site's directory (absolute after load) */
	char *state;           /* the SQLite file (absolute after load) */
	char *path;            /* ':'-separated search path for bare commands */
	char *timezone;        /* IANA zone of the operator's times, NULL: UTC */
	int parallel;          /* checks running at once */
	int render_every;      /* seconds between renders in `glance run` */
	int flap_min;          /* shorter outages, and shorter recoveries
	                        * between outages, are coalesced, not posted */
	int keep_days;         /* check results kept this long */
	bool sync_full;        /* PRAGMA synchronous=FULL instead of NORMAL */
};

/* An engine glance follows instead of running checks itself: systems,
 * results and downtimes come from it (ingest_nagios.h, ingest_icinga2.h). */
enum cfg_source_kind { SOURCE_NONE, SOURCE_NAGIOS, SOURCE_ICINGA2 };
struct cfg_source {
	enum cfg_source_kind kind;
	char *status_dat, *objects_cache, *log, *archives; /* Nagios; absolute */
	char *url, *user, *password_file, *ca;             /* Icinga 2 */
	char *ping;  /* the Ping column: "host" (the host check) or a service */
	int poll;    /* seconds between ingest passes in `glance run` */
	int timeout; /* the engine's check timeout, for freshness */
};

struct config {
	char *file;
	struct cfg_site site;
	struct cfg_source source;
	struct cfg_system *systems;
	size_t nsystems;
	size_t declared; /* systems[0..declared) are the file's; later ones an engine's */
	struct cfg_check *checks;
	size_t nchecks;
};

/* Parses path into cfg. Returns 0, or -1 with "file:line:col: reason" in
 * err (cfg is then empty and needs no free). Cross-references (a system's
 * ping and services name checks that exist) are checked here too. */
int config_load(const char *path, struct config *cfg, char *err, size_t errlen);

/* The same from text in memory; name stands for the file in messages and
 * relative paths are taken from dir. */
int config_parse(const char *text, const char *name, const char *dir, struct config *cfg,
                 char *err, size_t errlen);

void config_free(struct config *cfg);

/* Systems and checks an ingest learns from its engine, added after the
 * file was parsed; copies of the strings are taken. A system or check
 * already declared is left as it is (the file wins); returns it. */
struct cfg_system *config_add_system(struct config *cfg, const char *id, const char *name,
                                     const char *location, const char *role, bool internal);
/* Forgets the systems and checks added since the file was parsed, so an
 * engine's changed description can be added afresh. */
void config_drop_engine(struct config *cfg);
struct cfg_check *config_add_check(struct config *cfg, const char *system, const char *service,
                                   int interval, int retry, int attempts);
/* The same without looking for one of that name first: for a caller
 * that knows it is new (an ingest adding thousands, by its own index). */
struct cfg_check *config_new_check(struct config *cfg, const char *system, const char *service,
                                   int interval, int retry, int attempts);

const struct cfg_system *config_system(const struct config *cfg, const char *id);
const struct cfg_check *config_check(const struct config *cfg, const char *system,
                                     const char *service);

/* Parses "90", "90s", "5m", "1h", "2d" into seconds; -1 when malformed. */
long config_duration(const char *s);

/* Splits a command line into a NULL-terminated argv, without a shell:
 * words are separated by blanks; '...' keeps everything literally;
 * "..." keeps blanks and understands \" and \\; outside quotes a
 * backslash takes the next character literally. No variables, globs,
 * pipes or redirections. Returns NULL with a reason and the 1-based
 * column of the fault in *col when a quote is unterminated or the line
 * is empty. */
char **cmdline_split(const char *line, int *col, char *err, size_t errlen);
void cmdline_free(char **argv);

#endif

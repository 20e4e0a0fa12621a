/* What the engine adapters (ingest_nagios, ingest_icinga2) share: a
 * warning sink, the engine's downtimes turned into maintenance windows,
 * and results handed to the store for configured checks only.
 *
 * The store gets the engine's own record: every result with its real
 * time, SOFT and HARD, with its attempt number; every downtime as a
 * window with its scheduled times, moved to its real start when it
 * begins, ended when it ends, and marked cancelled when it is deleted
 * before it began ("Maintenance cancelled"). derive then applies the
 * same rules as for glance's own scheduler. */
#ifndef GLANCE_INGEST_H
#define GLANCE_INGEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "config.h"
#include "result.h"
#include "store.h"

/* The check that stands for a host's own check (the Ping column by
 * default). */
#define INGEST_HOST_SERVICE "host"

/* Warnings go to stderr as "glance: FILE:LINE: text"; after max of them
 * in one run the rest are only counted, so a corrupt file of a million
 * lines cannot flood the log. */
struct ingest_log {
	int verbose;
	unsigned warnings;
	unsigned max;
};
__attribute__((format(printf, 4, 5))) void ingest_warn(struct ingest_log *l, const char *file,
                                                       long line, const char *fmt, ...);

/* The config's checks by name, for lookups per log line and for adding
 * thousands of an engine's checks (config_check and config_add_check
 * read every check). Valid while checks are only added; it takes in new
 * ones by itself. Zero-initialised; ingest_index_free empties it. */
struct ingest_index {
	size_t *slot; /* a position in cfg->checks + 1; 0: free */
	size_t cap, n;
};
const struct cfg_check *ingest_index_find(struct ingest_index *x, const struct config *cfg,
                                          const char *system, const char *service);
/* config_add_check through the index: the check of that name, else a
 * new one. */
struct cfg_check *ingest_add_check(struct ingest_index *x, struct config *cfg,
                                   const char *system, const char *service, int interval,
                                   int retry, int attempts);
void ingest_index_free(struct ingest_index *x);

struct ingest_ctx {
	struct store *st;
	struct config *cfg; /* an engine's systems are added to it */
	const char *source; /* "nagios", "icinga2" */
	struct ingest_log *log;
	time_t now;
	struct ingest_window *open; /* the source's windows not done */
	size_t nopen;
	unsigned results, windows;  /* counts for -v */
	struct ingest_index checks; /* an ingest asks for every line */
};

int ingest_begin(struct ingest_ctx *c);
/* Ends a store transaction: commits when rc is 0, else rolls back;
 * returns 0 only when committed. */
int ingest_commit(struct ingest_ctx *c, int rc);
void ingest_end(struct ingest_ctx *c);

/* The configured check of that name, or NULL. */
const struct cfg_check *ingest_check(struct ingest_ctx *c, const char *system,
                                     const char *service);

/* Records r when its system and check are configured; 0 when recorded
 * or skipped, -1 on a store error. */
int ingest_result(struct ingest_ctx *c, const struct gl_result *r);

/* A downtime scheduled on host: does nothing when a window with this
 * ext_id (or, for an ext_id of "", the same start, end and comment) is
 * known; else adds the window and posts its "Server maintenance"
 * notice, dated entry. Returns the window (owned by c) or NULL. */
struct ingest_window_args {
	const char *host, *ext_id, *comment;
	time_t entry, start, end;
	bool fixed;
	int duration;
};
int ingest_window_schedule(struct ingest_ctx *c, const struct ingest_window_args *a,
                           struct ingest_window **out);
struct ingest_window *ingest_window_find(struct ingest_ctx *c,
                                         const struct ingest_window_args *a);
/* The host's downtime began at t: the windows it can be (fixed ones in
 * effect at t, else the first flexible one whose window holds t) move
 * to their real start. */
int ingest_window_started(struct ingest_ctx *c, const char *host, time_t t);
/* w began at t (found by its id). */
int ingest_window_begin(struct ingest_ctx *c, struct ingest_window *w, time_t t);
/* No downtime of host is in effect from t: those that were end at t. */
int ingest_window_stopped(struct ingest_ctx *c, const char *host, time_t t);
/* w ends at t (ended early, or expired). */
int ingest_window_end(struct ingest_ctx *c, struct ingest_window *w, time_t t);
/* w was deleted at t before it began: cancelled, with a notice. */
int ingest_window_cancel(struct ingest_ctx *c, struct ingest_window *w, time_t t);

/* The engine's list of downtimes at t no longer has the windows not in
 * seen (store ids) that were scheduled before t: one whose end is still
 * ahead was deleted (cancelled if it had not begun, else ended at t),
 * the others are over at their end. */
int ingest_window_vanished(struct ingest_ctx *c, const int64_t *seen, size_t nseen, time_t t);

/* Sets the impacts of an engine's check k: WARNING none when plugin (a
 * command's executable, or an Icinga 2 CheckCommand's name) is a
 * certificate check, where a warning is days running low, a reminder
 * to the operator; then warning and critical (the engine's custom
 * variables, NULL when unset) override them. A value that is not none,
 * degraded, partial or major is warned about (file, line) and ignored. */
struct ingest_impacts {
	const char *plugin, *warning, *critical;
	const char *file;
	long line;
};
void ingest_check_impacts(struct ingest_log *log, struct cfg_check *k,
                          const struct ingest_impacts *im);

/* Makes parent the parent of the engine's system s, when it is another
 * known system, s has none yet and the file does not declare s, and
 * the chain of parents does not come back to s (warned about). Returns
 * whether it did. */
bool ingest_parent(struct config *cfg, struct cfg_system *s, const char *parent,
                   struct ingest_log *log, const char *file);

/* Host states to the store's: UP OK, DOWN and UNREACHABLE CRITICAL (to
 * the public a host behind a failed router is down too). */
enum gl_state ingest_host_state(int core_state);

#endif

/* The history store: one SQLite database in WAL mode holding check
 * results (kept keep_days), the current state of every service, HARD
 * state intervals per service, maintenance windows
 * (downtimes) and notices. The schema is versioned with PRAGMA
 * user_version and upgraded by migrations in one transaction each.
 *
 * Durability: every result (or batch of an ingest, with the engine log's
 * position) and every derive pass is one transaction, so a kill -9 at
 * any moment leaves the database at the last commit. WAL
 * with synchronous=NORMAL is enough for that (a commit has reached the
 * kernel when COMMIT returns; only a power loss can drop the last few
 * commits, never corrupt the file); synchronous=FULL (config "sync =
 * full") adds an fsync per commit for power-loss durability.
 *
 * Every function returns -1 on a database error; store_error() then says
 * why. Strings handed out are malloc'd and belong to the caller. */
#ifndef GLANCE_STORE_H
#define GLANCE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "model.h"
#include "result.h"
#include "softhard.h"

#define STORE_SCHEMA_VERSION 6

struct store;

int store_open(const char *path, bool sync_full, struct store **out, char *err, size_t errlen);
void store_close(struct store *s);
const char *store_error(const struct store *s);
int store_schema_version(struct store *s);

/* Transactions around several calls (a derive pass); calls outside one
 * commit on their own. */
int store_begin(struct store *s);
int store_commit(struct store *s);
void store_rollback(struct store *s);

/* The state of one service as the store knows it. */
struct svc_row {
	struct svc_state st;
	char *output; /* last first line */
	char *perfdata;
};
/* Returns 1 and fills row, 0 when the service has no result yet. */
int store_get_service(struct store *s, const char *system, const char *service,
                      struct svc_row *row);
void svc_row_free(struct svc_row *row);

/* Records one result: the results table, the service's current state and,
 * when a HARD state begins, its state intervals. A HARD problem after an
 * OK state begins (interval and hard_since) at the first failed result
 * of its run, the SOFT attempts included: that is when the outage
 * started; the attempts only confirmed it. Returns 1 when the HARD state
 * changed, 0 when not. Inside a transaction the result, the service's
 * row and a HARD interval it opens wait in memory and are written by
 * the commit (results in groups, by service and time), so a batch of
 * results costs one insert each and one row write per service:
 * store_get_service sees the waiting row at once, pruning and
 * store_record itself insert what waits before they read, and the
 * history readers (intervals, gaps, first seen), which run in their own
 * transactions, see it once committed. A rollback drops it all. */
int store_record(struct store *s, const struct gl_result *r);

/* The hash of a check's name (FNV-1a over "system\0service"), for
 * tables of checks. */
size_t store_key_hash(const char *system, const char *service);

/* Deletes results older than before. */
int store_prune(struct store *s, time_t before);

/* HARD state intervals of a service (status: enum gl_state), oldest
 * first. A system's status is not stored: derive rebuilds it from these,
 * the result times and the maintenance windows. */
struct interval {
	int status; /* enum gl_state here; derive reuses it for levels, statuses */
	time_t start;
	time_t end; /* 0 while open */
};
/* Intervals overlapping [from, now], oldest first. */
int store_svc_intervals(struct store *s, const char *system, const char *service, time_t from,
                        struct interval **out, size_t *n);
/* The gaps between consecutive results of a service longer than gap
 * seconds that end after from: start = the earlier result, end = the
 * later one, oldest first (status 0). It reads every kept result of the
 * service (a result long before from can open a gap that ends after it);
 * results are kept keep_days, so older gaps are not seen. */
int store_svc_gaps(struct store *s, const char *system, const char *service, time_t from,
                   int gap, struct interval **out, size_t *n);

/* When a system's first HARD state began (0: none yet): its first
 * appearance in the kept history. */
int store_first_seen(struct store *s, const char *system, time_t *t);

/* Maintenance windows. ended is the actual end when finished early. */
struct downtime {
	int64_t id;
	char *system;
	time_t start;
	time_t end;
	time_t ended; /* 0: runs to end */
	bool cancelled;
	char *reason;
	char *title; /* "Emergency maintenance", or "" for the default */
	time_t created;
	int64_t incident; /* the notices' incident id */
};
int64_t store_downtime_add(struct store *s, const struct downtime *d);
int store_downtime_get(struct store *s, int64_t id, struct downtime *d);
/* Windows of system (NULL: all) not cancelled and ending after from. */
int store_downtimes(struct store *s, const char *system, time_t from, struct downtime **out,
                    size_t *n);
int store_downtime_finish(struct store *s, int64_t id, time_t ended, bool cancelled);
/* Moves a window to the engine's real start and end (a flexible
 * downtime begins when it is triggered). */
int store_downtime_set_window(struct store *s, int64_t id, time_t start, time_t end);
int store_downtime_set_incident(struct store *s, int64_t id, int64_t incident);
void downtime_free(struct downtime *d);
void downtimes_free(struct downtime *d, size_t n);

/* Ingest from an engine (source "nagios", "icinga2"): how far its log
 * was read. The file is found again by inode, and head (the start of
 * its first line) tells a reused inode from the same file. Written in
 * the transaction that records the lines read, so a restart neither
 * skips nor repeats one. */
struct ingest_pos {
	int64_t inode;
	int64_t offset;
	int64_t line; /* lines before offset, for messages */
	char head[80];
	time_t last_t; /* time of the last line read */
};
/* An ingest reading a long log: the WAL is checkpointed (copied into
 * the database and flushed to disk) every 64 MiB instead of every 4 MiB
 * while on, so a batch of 200k lines is not several flushes. Commits
 * are as durable either way: they are in the WAL. */
int store_ingest_bulk(struct store *s, bool on);
/* 1 and *p filled, 0 when the source has no position yet. */
int store_ingest_pos_get(struct store *s, const char *source, struct ingest_pos *p);
int store_ingest_pos_set(struct store *s, const char *source, const struct ingest_pos *p);

/* The engine's downtime behind a maintenance window: its id there
 * (Nagios downtime_id, Icinga 2 name; "" until seen), its window as
 * scheduled, and how far it got. */
enum { IW_SCHEDULED, IW_IN_EFFECT, IW_DONE };
struct ingest_window {
	int64_t downtime; /* the store's window */
	char *host;
	char *ext_id;
	time_t start, end; /* as scheduled */
	char *comment;
	bool fixed;
	int duration;
	time_t entry; /* when it was scheduled */
	int state;    /* IW_* */
};
int store_iwin_add(struct store *s, const char *source, const struct ingest_window *w);
/* Updates ext_id and state. */
int store_iwin_set(struct store *s, const struct ingest_window *w);
/* The windows of source not IW_DONE or scheduled to end at or after
 * since, by scheduled start. */
int store_iwin_list(struct store *s, const char *source, time_t since,
                    struct ingest_window **out, size_t *n);
void iwins_free(struct ingest_window *w, size_t n);

/* The systems and checks an engine described (config.h's structs):
 * cfg->systems[from..] replace the source's stored ones; _get adds the
 * stored ones the config file does not declare, so every subcommand
 * sees the engine's systems even when the engine is down. */
struct config;
int store_ingest_systems_put(struct store *s, const char *source, const struct config *cfg,
                             size_t from);
int store_ingest_systems_get(struct store *s, struct config *cfg);

/* Notices. key makes automatic notices idempotent: adding one whose key
 * exists does nothing and returns 0. Otherwise returns the new id. An
 * incident_id of 0 makes the notice start its own incident. */
int64_t store_notice_add(struct store *s, const struct notice_view *n, const char *key);
int store_notice_has_key(struct store *s, const char *key);
int64_t store_notice_by_key(struct store *s, const char *key);
int store_notice_get(struct store *s, int64_t id, struct notice_view *n, bool *retracted);
int store_notice_update(struct store *s, const struct notice_view *n);
int store_notice_retract(struct store *s, int64_t id);
/* What derive needs to know of every stored notice, oldest first: its
 * place in an incident, its state and impact, and its key (NULL for the
 * operator's). */
struct notice_ref {
	int64_t id, incident;
	char *system; /* NULL for a page-wide notice */
	enum notice_kind kind;
	enum incident_state state;
	enum impact impact;
	time_t posted;
	bool retracted;
	char *key;
};
int store_notice_refs(struct store *s, struct notice_ref **out, size_t *n);
void notice_refs_free(struct notice_ref *r, size_t n);
/* Newest first; retracted ones only when asked. */
int store_notices(struct store *s, bool with_retracted, struct notice_view **out, size_t *n,
                  bool **retracted);

/* A read transaction: the reads in it see one snapshot of the store and
 * take its locks once instead of once a statement (store_commit ends
 * it; inside another transaction it nests). */
int store_begin_read(struct store *s);

/* The whole history at once, for a pass over every system (derive): each
 * table read in one ordered query instead of a few queries a service,
 * which at 10k services were most of a render. Per service, as the
 * per-service functions above give it: its row (store_get_service), its
 * HARD state intervals overlapping [from, now] (store_svc_intervals) and
 * the gaps between its results ending after from longer than gap_of
 * says for it (store_svc_gaps; gap_of returns -1 for a service whose
 * gaps are not wanted). */
struct svc_bulk {
	char *system, *service;
	bool has_row;
	struct svc_row row;
	struct interval *iv, *gaps;
	size_t niv, ngaps;
};
struct sys_first_seen {
	char *system;
	time_t t;
};
struct store_bulk {
	struct svc_bulk *svc; /* sorted by system, service (strcmp) */
	size_t n;
	struct sys_first_seen *first; /* store_first_seen of every system, sorted */
	size_t nfirst;
};
/* What to read besides the intervals and the first-seen times. */
enum { STORE_BULK_ROWS = 1, STORE_BULK_GAPS = 2 };
typedef int store_gap_fn(void *arg, const char *system, const char *service);
int store_bulk_load(struct store *s, time_t from, int what, store_gap_fn *gap_of, void *arg,
                    struct store_bulk *b);
/* The service's entry, NULL when the store has nothing of it. */
const struct svc_bulk *store_bulk_find(const struct store_bulk *b, const char *system,
                                       const char *service);
/* As store_first_seen. */
time_t store_bulk_first_seen(const struct store_bulk *b, const char *system);
void store_bulk_free(struct store_bulk *b);

#endif

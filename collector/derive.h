/* derive: from the store's history to what the public page says.
 *
 * derive_update() is one pass at time now, in one transaction, in three
 * steps: it reads a snapshot of the store once (every system's history,
 * the windows, the notices already posted: derive_snapshot_load), works
 * out the notices due as a pure function of that snapshot and the clock
 * (derive_plan_make), and writes them (derive_plan_write). The notices
 * are the automatic ones (maintenance underway / complete, server down /
 * back online, service disruption / restored, degraded service / back
 * to normal), each at most once (a key per event), each dated by the
 * history rather than by the pass. derive_view() then builds the struct
 * site_view render needs; it writes nothing. Neither records anything
 * of its own about a system's status: both rebuild it from the checks'
 * HARD state intervals, their result times and the maintenance windows,
 * so notices, status, "since" and uptime are the same however often
 * passes run, and whenever the page is drawn.
 *
 * The pure functions below hold the rules, so tests can check them with
 * exact times:
 *  - impact: a failing check has the impact its config gives its state
 *    (impact_warning, impact_critical: none, degraded, partial, major);
 *    UNKNOWN has none. A HARD problem begins at the first failed check
 *    of its run, SOFT attempts included (store.h), and ends at the first
 *    OK result.
 *  - status: maintenance window > no fresh ping result = no data > the
 *    worst impact of the fresh checks: major = "Major outage", partial
 *    = "Partial outage", degraded = "Degraded performance", else
 *    operational; no fresh result at all = no data. A result is fresh for
 *    derive_stale_after() seconds. "Since" is when the current status
 *    began, the same status on both sides of a time without data being
 *    one span (derive_since).
 *  - notices: from a timeline of the system's level (the worst impact)
 *    rebuilt from its checks' HARD state intervals and its windows
 *    (derive_timeline). While its parent system's ping is down a system
 *    is unreachable: its own level is unknown, and the parent's incident
 *    names it. Problems separated by fewer than flap_min seconds of good
 *    time are one episode; its first notice is dated at its first bad
 *    moment flap_min after it began, its recovery flap_min after good time
 *    began for good (derive_episodes). The level at the first notice
 *    picks its words: the host down "Server down", another major impact
 *    "Service outage", partial "Service disruption", degraded "Degraded
 *    service"; a worse level later in the same episode posts once more.
 *    An automatic notice for a system with an operator's incident open
 *    in its episode is an update of that incident, and an update never
 *    moves an incident's state back. Staleness plays no part in notices.
 *  - uptime: over [now - window, now] of the status timeline, a major
 *    outage counts as down, a partial outage as 30 % down (Statuspage's
 *    weighting), degraded performance and operational time as up;
 *    maintenance and time without data are left out (maintenance is
 *    reported on its own): uptime = 1 - (major + 0.3 partial) / (time
 *    with data outside maintenance).
 *  - a window counts from its start, or from when it was scheduled if
 *    that was later: scheduling one afterwards does not rewrite the past. */
#ifndef GLANCE_DERIVE_H
#define GLANCE_DERIVE_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "config.h"
#include "fmt.h"
#include "model.h"
#include "store.h"
#include "strbuf.h"

/* How long a result stays fresh: two intervals plus the timeout (a
 * SOFT problem is retried sooner, at retry <= interval). A check is
 * stale from last result + this; stale time is "no data". */
int derive_stale_after(const struct cfg_check *c);

/* A system's level for the notices, least bad first: the impacts of
 * enum impact above none. Maintenance counts as GOOD; UNKNOWN is neither
 * good nor bad (no evidence either way, or unreachable). */
enum level { LVL_GOOD, LVL_UNKNOWN, LVL_DEGRADED, LVL_PARTIAL, LVL_MAJOR };

/* The level of an impact, and back (LVL_GOOD and LVL_UNKNOWN: none). */
enum level derive_level_of_impact(enum impact i);
enum impact derive_impact_of_level(enum level l);

/* The HARD state intervals of one check (status: enum gl_state), the
 * spans in which it had no fresh result, [start, end) with end 0 when
 * still stale at now, and the impacts of its WARNING and CRITICAL. */
struct check_hist {
	const struct interval *iv;
	size_t n;
	const struct interval *stale;
	size_t nstale;
	enum impact warning, critical;
};

struct timeline_input {
	const struct check_hist *ping; /* NULL: the system has none */
	const struct check_hist *svcs;
	size_t nsvcs;
	const struct interval *maint; /* windows [start, end) */
	size_t nmaint;
	const struct check_hist *parent_ping; /* NULL: no parent, or it has none */
};

/* The impact of a check's state (none for OK, UNKNOWN or none yet). */
enum impact derive_impact(const struct check_hist *h, int state);

/* The system's level over time (status: enum level) from its checks'
 * HARD states and its windows, up to now: ping UNKNOWN, no result yet,
 * or the parent's ping CRITICAL = UNKNOWN, else the level of the worst
 * impact of ping and services. Staleness plays no part: the history is
 * what the checks recorded, the same whenever it is read. Returns the
 * count; *out is malloc'd, oldest first, the last interval open (end
 * 0). */
size_t derive_timeline(const struct timeline_input *in, time_t now, struct interval **out);

/* The system's public status over time (status: enum sys_status),
 * as derive_timeline, by the status rules above: a window =
 * MAINTENANCE; ping stale, UNKNOWN or without a result = UNKNOWN; else
 * the worst impact of the fresh checks (none fresh = UNKNOWN). The
 * page's status and "since", uptime and day bars all come from it. */
size_t derive_status_timeline(const struct timeline_input *in, time_t now,
                              struct interval **out);

/* The state of a check at t (enum gl_state), -1 when it had none. */
int derive_state_at(const struct check_hist *h, time_t t);

/* The level of a timeline at t (LVL_UNKNOWN before it begins). */
enum level derive_level_at(const struct interval *tl, size_t n, time_t t);

/* A run of time at level or worse, with good gaps shorter than flap_min
 * coalesced. Its first notice is due at the first moment at that level
 * or worse at least flap_min after start; its recovery flap_min after
 * good time began for good. Both follow from the recorded history alone,
 * so they do not depend on when derive passes run. */
struct episode {
	time_t start;  /* first second at level or worse */
	time_t end;    /* first second after the last one; 0 while still at it */
	time_t due;    /* its first notice's time; 0: none (yet) */
	time_t closes; /* its recovery's time; 0: still open */
};

/* Episodes at level (LVL_DEGRADED, LVL_PARTIAL or LVL_MAJOR) in a
 * timeline as of now: bad is level or worse, good is LVL_GOOD or a level
 * between DEGRADED and level, UNKNOWN restarts the count of good time.
 * Returns how many were written to out (at most max). */
size_t derive_episodes(const struct interval *tl, size_t n, enum level level, int flap_min,
                       time_t now, struct episode *out, size_t max);

/* How much of a second of partial outage counts as down in uptime. */
#define DERIVE_PARTIAL_WEIGHT 0.3

/* Uptime fraction over [from, now] of a status timeline by the formula
 * above (NaN with no time with data outside maintenance), and the
 * maintenance seconds in it. */
void derive_uptime(const struct interval *iv, size_t n, time_t from, time_t now, double *uptime,
                   double *maint);

/* When the current (last) status of a status timeline began: an
 * earlier span of the same status counts when only time without data
 * lies between the two (a gap in collection, not a change). 0 when there
 * is no timeline: a system never checked has no known start, and the
 * render's own time would be a claim that changes every render. */
time_t derive_since(const struct interval *iv, size_t n);

/* The rta of a ping check's perfdata in milliseconds, NaN when absent. */
double derive_rta_ms(const char *perfdata);

/* What derive reads of one system: its checks' history since from and
 * its windows, and the timelines rebuilt from them at now; the result
 * gaps and the status timeline only with status (the notices need
 * neither, and the gaps cost a scan of the results). */
struct sys_hist {
	const struct cfg_system *sys;
	struct check_hist ping;
	struct check_hist parent_ping; /* with a parent that has a ping check */
	bool has_parent_ping;
	struct check_hist *svcs;
	struct interval *maint;
	size_t nmaint;
	struct interval *tl; /* derive_timeline */
	size_t ntl;
	struct interval *status; /* derive_status_timeline */
	size_t nstatus;
};
/* What a pass over every system reads of the store, read at once
 * (store_bulk_load: one ordered query a table) with the config's checks
 * indexed, so a system's history is looked up rather than queried: from
 * is the oldest time read; status asks for the rows and result gaps the
 * status needs. */
struct derive_reader {
	const struct config *cfg;
	time_t from;
	bool status;
	struct store_bulk bulk;
	const struct cfg_check **checks; /* sorted by system, service */
	struct downtime *windows;        /* store_downtimes(NULL, from): by start */
	size_t nwindows;
	const struct downtime **win_by_sys; /* windows by system, then start */
};
int derive_reader_load(struct store *st, const struct config *cfg, time_t from, bool status,
                       struct derive_reader *r);
void derive_reader_free(struct derive_reader *r);
/* config_check through the index. */
const struct cfg_check *derive_reader_check(const struct derive_reader *r, const char *system,
                                            const char *service);

/* The history of sys as of now from the reader (its from; with status,
 * which needs r->status, the stale spans and the status timeline). */
void derive_hist_load(const struct derive_reader *r, const struct cfg_system *sys, time_t now,
                      bool status, struct sys_hist *h);
void derive_hist_free(struct sys_hist *h);

/* How far back a pass reads the history: older incidents were posted
 * back then. */
#define DERIVE_HISTORY (90 * 86400)

/* What one pass reads of the store: per config system (in config
 * order) its history since now - DERIVE_HISTORY, the windows ending
 * since then, and every notice already stored. */
struct derive_snapshot {
	struct sys_hist *hist;
	size_t nhist;
	const struct downtime *windows; /* the reader's */
	size_t nwindows;
	struct notice_ref *notices;
	size_t nnotices;
	struct derive_reader *own; /* the reader, when the snapshot read it */
};
int derive_snapshot_load(struct store *st, const struct config *cfg, time_t now,
                         struct derive_snapshot *s);
/* The same from a reader already loaded (from now - DERIVE_HISTORY),
 * which must outlive the snapshot. */
int derive_snapshot_from(const struct derive_reader *r, struct store *st, time_t now,
                         struct derive_snapshot *s);
void derive_snapshot_free(struct derive_snapshot *s);

/* The notices a pass adds, in the order they are written, each with its
 * key. An incident_id below 0 stands for the incident of the planned
 * notice -incident_id - 1, whose id is known only once it is written. */
struct derive_plan {
	struct notice_view *notices;
	char **keys;
	size_t n;
};
void derive_plan_make(const struct derive_snapshot *s, const struct config *cfg, time_t now,
                      struct derive_plan *out);
int derive_plan_write(struct store *st, const struct derive_plan *p);
void derive_plan_free(struct derive_plan *p);

/* The newest incident of system open in [from, to] among notices: its
 * first notice is posted by to, and no notice of it resolved it before
 * from. automatic asks for one whose first notice the rules posted,
 * else for an operator's. 0 when there is none. */
int64_t derive_open_incident(const struct notice_ref *notices, size_t n, const char *system,
                             bool automatic, time_t from, time_t to);
/* The highest state below resolved an incident had reached by t. */
enum incident_state derive_incident_state(const struct notice_ref *notices, size_t n,
                                          int64_t incident, time_t t);

int derive_update(struct store *st, const struct config *cfg, time_t now, char *err,
                  size_t errlen);
/* The pass from a reader loaded from now - DERIVE_HISTORY, inside the
 * caller's transaction. */
int derive_update_from(const struct derive_reader *r, struct store *st, time_t now);
int derive_view(struct store *st, const struct config *cfg, time_t now, struct site_view *v,
                char *err, size_t errlen);
/* derive_update, then derive_view, in one transaction and from one read
 * of the store: the pass writes only notices, and the view reads those
 * after it. */
int derive_update_view(struct store *st, const struct config *cfg, time_t now,
                       struct site_view *v, char *err, size_t errlen);

#endif

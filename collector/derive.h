/* derive: from the store's history to what the public page says.
 *
 * derive_update() is one pass at time now, in one transaction: it posts
 * the automatic notices (maintenance underway / complete, server down /
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
 *  - status: maintenance window > no fresh ping result = unknown > ping
 *    HARD CRITICAL = outage > no fresh ping or service result = unknown >
 *    a service HARD WARNING or CRITICAL = degraded > operational. A ping
 *    UNKNOWN (the plugin could not tell) is not an outage but unknown.
 *    UNKNOWN and stale services do not degrade a system. A result is
 *    fresh for derive_stale_after() seconds. "Since" is when the current
 *    status began (derive_status_timeline).
 *  - notices: from a timeline of the system's level rebuilt from its
 *    checks' HARD state intervals and its windows (derive_timeline).
 *    Problems separated by fewer than flap_min seconds of good time are
 *    one episode; its first notice is dated at its first bad moment
 *    flap_min after it began, its recovery flap_min after good time began
 *    for good (derive_episodes). The level at the first notice picks its
 *    words: host down "Server down", a service CRITICAL "Service
 *    disruption", only WARNINGs "Degraded service"; a worse level later
 *    in the same episode posts once more. Staleness plays no part in
 *    notices: a check that stops reporting posts nothing.
 *  - uptime: over [now - window, now] of the status timeline, up =
 *    operational + degraded time, down = outage time; uptime = up /
 *    (up + down). Maintenance time is left out and reported on its own
 *    (as Nagios avail.cgi splits scheduled from unscheduled time);
 *    unknown time (stale, ping UNKNOWN, before the first result) is
 *    "no data" (avail.cgi's undetermined time) and left out as well.
 *  - a window counts from its start, or from when it was scheduled if
 *    that was later: scheduling one afterwards does not rewrite the past. */
#ifndef GLANCE_DERIVE_H
#define GLANCE_DERIVE_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "config.h"
#include "model.h"
#include "store.h"
#include "strbuf.h"

/* How long a result stays fresh: two intervals plus the timeout (a
 * SOFT problem is retried sooner, at retry <= interval). A check is
 * stale from last result + this; stale time is "no data". */
int derive_stale_after(const struct cfg_check *c);

/* A system's level for the notices, least bad first. Maintenance counts
 * as GOOD; UNKNOWN is neither good nor bad (no evidence either way). */
enum level { LVL_GOOD, LVL_UNKNOWN, LVL_WARNING, LVL_CRITICAL, LVL_DOWN };

/* The HARD state intervals of one check (status: enum gl_state), and
 * the spans in which it had no fresh result, [start, end) with end 0
 * when still stale at now. */
struct check_hist {
	const struct interval *iv;
	size_t n;
	const struct interval *stale;
	size_t nstale;
};

struct timeline_input {
	const struct check_hist *ping; /* NULL: the system has none */
	const struct check_hist *svcs;
	size_t nsvcs;
	const struct interval *maint; /* windows [start, end) */
	size_t nmaint;
};

/* The system's level over time (status: enum level) from its checks'
 * HARD states and its windows, up to now: ping CRITICAL = DOWN, ping
 * UNKNOWN or no result yet = UNKNOWN, else the worst public service
 * (CRITICAL, WARNING; UNKNOWN services count as OK). Staleness plays no
 * part: the history is what the checks recorded, the same whenever it is
 * read. Returns the count; *out is malloc'd, oldest first, the last
 * interval open (end 0). */
size_t derive_timeline(const struct timeline_input *in, time_t now, struct interval **out);

/* The system's public status over time (status: enum sys_status),
 * as derive_timeline, by the status rules above: a window =
 * MAINTENANCE; ping stale, UNKNOWN or without a result = UNKNOWN; ping
 * CRITICAL = OUTAGE; else the fresh services: none = UNKNOWN (with no
 * ping), one WARNING or CRITICAL = DEGRADED, else OPERATIONAL. The page's
 * status and "since", uptime and day bars all come from it. */
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

/* Episodes at level (LVL_WARNING, LVL_CRITICAL or LVL_DOWN) in a timeline
 * as of now: bad is level or worse, good is LVL_GOOD or a level between
 * WARNING and level, UNKNOWN restarts the count of good time. Returns how
 * many were written to out (at most max). */
size_t derive_episodes(const struct interval *tl, size_t n, enum level level, int flap_min,
                       time_t now, struct episode *out, size_t max);

/* Uptime fraction over [from, now] of a status timeline (NaN with no up
 * or down time), and the maintenance seconds in it. */
void derive_uptime(const struct interval *iv, size_t n, time_t from, time_t now, double *uptime,
                   double *maint);

/* "45 seconds", "6 minutes", "1 hour 2 minutes", "2 days 3 hours". */
void derive_duration(struct strbuf *sb, long seconds);
/* "between 02:31 and 02:37 UTC", with dates when the days differ. */
void derive_between(struct strbuf *sb, time_t a, time_t b);
/* "02:31 UTC" and "1 November 2015" */
void derive_hhmm(struct strbuf *sb, time_t t);
void derive_date(struct strbuf *sb, time_t t);

/* The rta of a ping check's perfdata in milliseconds, NaN when absent. */
double derive_rta_ms(const char *perfdata);

/* What derive reads of one system: its checks' history since from and
 * its windows, and the timelines rebuilt from them at now; the result
 * gaps and the status timeline only with status (the notices need
 * neither, and the gaps cost a scan of the results). */
struct sys_hist {
	const struct cfg_system *sys;
	struct check_hist ping;
	struct check_hist *svcs;
	struct interval *maint;
	size_t nmaint;
	struct interval *tl; /* derive_timeline */
	size_t ntl;
	struct interval *status; /* derive_status_timeline */
	size_t nstatus;
};
int derive_hist_load(struct store *st, const struct config *cfg, const struct cfg_system *sys,
                     time_t from, time_t now, bool status, struct sys_hist *h);
void derive_hist_free(struct sys_hist *h);

int derive_update(struct store *st, const struct config *cfg, time_t now, char *err,
                  size_t errlen);
int derive_view(struct store *st, const struct config *cfg, time_t now, struct site_view *v,
                char *err, size_t errlen);

#endif

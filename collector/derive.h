/* derive: from the store's history to what the public page says.
 *
 * derive_update() is one pass at time now, in one transaction: it works
 * out each system's status from HARD states only, records changes as
 * system status intervals, and posts the automatic notices (maintenance
 * underway / complete, server down / back online, service disruption /
 * restored, degraded service / back to normal), each at most once (a key
 * per event), each dated by the history rather than by the pass.
 * derive_view() then builds the struct site_view render needs; it writes
 * nothing.
 *
 * The pure functions below hold the rules, so tests can check them with
 * exact times:
 *  - status: maintenance window > host (ping) HARD CRITICAL = outage >
 *    no fresh ping or service result = unknown > a service HARD WARNING or
 *    CRITICAL = degraded > operational. A ping UNKNOWN (the plugin could
 *    not tell) is not an outage: the Ping column says Unknown instead.
 *    UNKNOWN services do not degrade a system.
 *  - notices: from a timeline of the system's level rebuilt from its
 *    checks' HARD state intervals and its windows (derive_timeline), not
 *    from the status intervals the passes record, so they are the same
 *    however often passes run. Problems separated by fewer than flap_min
 *    seconds of good time are one episode; its first notice is dated at
 *    its first bad moment flap_min after it began, its recovery flap_min
 *    after good time began for good (derive_episodes). The level at the
 *    first notice picks its words: host down "Server down", a service
 *    CRITICAL "Service disruption", only WARNINGs "Degraded service";
 *    a worse level later in the same episode posts once more.
 *  - uptime: over [now - window, now], up = operational + degraded time,
 *    down = outage time; uptime = up / (up + down); maintenance and
 *    unknown time are left out, maintenance is reported on its own (as
 *    Nagios avail.cgi splits scheduled from unscheduled time). */
#ifndef GLANCE_DERIVE_H
#define GLANCE_DERIVE_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "config.h"
#include "model.h"
#include "store.h"
#include "strbuf.h"

struct check_input {
	bool known; /* there is a HARD state */
	enum gl_state hard;
	time_t hard_since;
	time_t last_check;
	int stale_after; /* seconds after last_check it stops being fresh */
};

struct status_input {
	bool maintenance;
	time_t maint_start;
	const struct check_input *ping; /* NULL: the system has none */
	const struct check_input *svcs;
	size_t nsvcs;
};

/* The status at now and when it began (see above). */
enum sys_status derive_status(const struct status_input *in, time_t now, time_t *since);

/* How long a result stays fresh: two intervals plus the timeout. */
int derive_stale_after(const struct cfg_check *c);

/* A system's level for the notices, least bad first. Maintenance counts
 * as GOOD; UNKNOWN is neither good nor bad (no evidence either way). */
enum level { LVL_GOOD, LVL_UNKNOWN, LVL_WARNING, LVL_CRITICAL, LVL_DOWN };

/* The HARD state intervals of one check (status: enum gl_state). */
struct check_hist {
	const struct interval *iv;
	size_t n;
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

/* Uptime fraction over [from, now] (NaN with no up or down time), and
 * the maintenance seconds in it. */
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

int derive_update(struct store *st, const struct config *cfg, time_t now, char *err,
                  size_t errlen);
int derive_view(struct store *st, const struct config *cfg, time_t now, struct site_view *v,
                char *err, size_t errlen);

#endif

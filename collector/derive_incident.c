/* The timelines of a system's level and status, and the level's
 * episodes (derive.h): the pure half of the automatic outage notices and
 * of the page's status and uptime. Every time they produce is read off
 * the recorded history, never off the clock of the pass, so a derive
 * pass every minute and one pass at the end give the same page. */
#include <stdlib.h>

#include "derive.h"

/* The last of n intervals (oldest first) that starts at or before t,
 * or NULL: a binary search, as a timeline is rebuilt on every pass from
 * up to 90 days of intervals. */
static const struct interval *
last_started(const struct interval *iv, size_t n, time_t t)
{
	size_t lo = 0, hi = n; /* the answer is iv[lo - 1] */

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (iv[mid].start <= t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo > 0 ? &iv[lo - 1] : NULL;
}

/* The state of a check at t, or -1 when it had none yet. */
int
derive_state_at(const struct check_hist *h, time_t t)
{
	const struct interval *i = last_started(h->iv, h->n, t);

	return i != NULL && (i->end == 0 || t < i->end) ? i->status : -1;
}

static bool
in_window(const struct timeline_input *in, time_t t)
{
	for (size_t i = 0; i < in->nmaint; i++)
		if (in->maint[i].start <= t && t < in->maint[i].end)
			return true;
	return false;
}

enum impact
derive_impact(const struct check_hist *h, int state)
{
	return state == GL_CRITICAL  ? h->critical
	       : state == GL_WARNING ? h->warning
	                             : IMPACT_NONE;
}

/* A child is unreachable while the system it is reached through is down. */
static bool
unreachable(const struct timeline_input *in, time_t t)
{
	return in->parent_ping != NULL && derive_state_at(in->parent_ping, t) == GL_CRITICAL;
}

static enum level
level_of(const struct timeline_input *in, time_t t)
{
	enum impact worst = IMPACT_NONE;
	bool known = false;

	if (in_window(in, t))
		return LVL_GOOD;
	if (unreachable(in, t))
		return LVL_UNKNOWN;
	if (in->ping != NULL) {
		int s = derive_state_at(in->ping, t);
		if (s < 0 || s == GL_UNKNOWN)
			return LVL_UNKNOWN;
		worst = derive_impact(in->ping, s);
		known = true;
	}
	for (size_t i = 0; i < in->nsvcs; i++) {
		int s = derive_state_at(&in->svcs[i], t);
		enum impact im = derive_impact(&in->svcs[i], s);
		known |= s >= 0;
		if (im > worst)
			worst = im;
	}
	return known ? derive_level_of_impact(worst) : LVL_UNKNOWN;
}

/* Whether a check had no fresh result at t. */
static bool
stale_at(const struct check_hist *h, time_t t)
{
	const struct interval *i = last_started(h->stale, h->nstale, t);

	return i != NULL && (i->end == 0 || t < i->end);
}

/* enum sys_status shares its first four values with enum impact. */
static int
status_of(const struct timeline_input *in, time_t t)
{
	enum impact worst = IMPACT_NONE;
	bool known = false;

	if (in_window(in, t))
		return SYS_MAINTENANCE;
	if (in->ping != NULL) {
		int s = derive_state_at(in->ping, t);
		if (s < 0 || s == GL_UNKNOWN || stale_at(in->ping, t))
			return SYS_UNKNOWN;
		worst = derive_impact(in->ping, s);
		known = true;
	}
	for (size_t i = 0; i < in->nsvcs; i++) {
		int s = derive_state_at(&in->svcs[i], t);
		if (s < 0 || stale_at(&in->svcs[i], t))
			continue;
		known = true;
		if (derive_impact(&in->svcs[i], s) > worst)
			worst = derive_impact(&in->svcs[i], s);
	}
	return known ? (int)worst : SYS_UNKNOWN;
}

static int
cmp_time(const void *a, const void *b)
{
	time_t x = *(const time_t *)a, y = *(const time_t *)b;
	return (x > y) - (x < y);
}

static void
add_bounds(time_t *t, size_t *k, const struct interval *iv, size_t n, time_t now)
{
	for (size_t i = 0; i < n; i++) {
		if (iv[i].start <= now)
			t[(*k)++] = iv[i].start;
		if (iv[i].end != 0 && iv[i].end <= now)
			t[(*k)++] = iv[i].end;
	}
}

static size_t
check_bounds(time_t *t, size_t k, const struct check_hist *h, time_t now, bool stale)
{
	add_bounds(t, &k, h->iv, h->n, now);
	if (stale)
		add_bounds(t, &k, h->stale, h->nstale, now);
	return k;
}

/* Every moment the classification can change, sorted; returns how many.
 * The levels leave staleness out, and so do their bounds: the notices'
 * timeline is exactly what the HARD states and windows make it. */
static size_t
bounds(const struct timeline_input *in, time_t now, bool stale, time_t **out)
{
	size_t cap = 2 * in->nmaint, k = 0;
	time_t *t;

	if (in->ping != NULL)
		cap += 2 * (in->ping->n + in->ping->nstale);
	if (in->parent_ping != NULL)
		cap += 2 * in->parent_ping->n;
	for (size_t i = 0; i < in->nsvcs; i++)
		cap += 2 * (in->svcs[i].n + in->svcs[i].nstale);
	t = xcalloc(cap + 1, sizeof *t);
	if (in->ping != NULL)
		k = check_bounds(t, k, in->ping, now, stale);
	for (size_t i = 0; i < in->nsvcs; i++)
		k = check_bounds(t, k, &in->svcs[i], now, stale);
	if (in->parent_ping != NULL)
		k = check_bounds(t, k, in->parent_ping, now, false);
	add_bounds(t, &k, in->maint, in->nmaint, now);
	qsort(t, k, sizeof *t, cmp_time);
	*out = t;
	return k;
}

/* The intervals of equal classification between the bounds. */
static size_t
timeline(const struct timeline_input *in, time_t now, bool stale,
         int (*classify)(const struct timeline_input *, time_t), struct interval **out)
{
	time_t *t;
	size_t k = bounds(in, now, stale, &t), n = 0;

	*out = xcalloc(k + 1, sizeof **out);
	for (size_t i = 0; i < k; i++) {
		if (i > 0 && t[i] == t[i - 1])
			continue;
		int l = classify(in, t[i]);
		if (n > 0 && (*out)[n - 1].status == l)
			continue;
		if (n > 0)
			(*out)[n - 1].end = t[i];
		(*out)[n++] = (struct interval){.status = l, .start = t[i]};
	}
	free(t);
	return n;
}

static int
level_int(const struct timeline_input *in, time_t t)
{
	return (int)level_of(in, t);
}

size_t
derive_timeline(const struct timeline_input *in, time_t now, struct interval **out)
{
	return timeline(in, now, false, level_int, out);
}

size_t
derive_status_timeline(const struct timeline_input *in, time_t now, struct interval **out)
{
	return timeline(in, now, true, status_of, out);
}

enum level
derive_level_at(const struct interval *tl, size_t n, time_t t)
{
	const struct interval *i = last_started(tl, n, t);

	return i != NULL ? (enum level)i->status : LVL_UNKNOWN;
}

static bool
good_for(int status, enum level level)
{
	return status == LVL_GOOD || (status >= LVL_DEGRADED && status < (int)level);
}

size_t
derive_episodes(const struct interval *tl, size_t n, enum level level, int flap_min, time_t now,
                struct episode *out, size_t max)
{
	struct episode cur = {0};
	bool open = false;
	time_t good_from = 0; /* start of the current run of good time */
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		time_t end = tl[i].end ? tl[i].end : now;
		if (tl[i].status >= (int)level) {
			if (!open)
				cur = (struct episode){.start = tl[i].start};
			open = true;
			cur.end = tl[i].end;
			good_from = 0;
			/* due: the first bad second at least flap_min after start.
			 * Inside an interval still open, only once that second is
			 * past: a result in the same second could still end it. */
			time_t d = cur.start + flap_min > tl[i].start ? cur.start + flap_min
			                                              : tl[i].start;
			if (cur.due == 0 &&
			    (tl[i].end ? d < tl[i].end : d < now || d == tl[i].start))
				cur.due = d;
		} else if (!good_for(tl[i].status, level)) {
			good_from = 0; /* unknown: no evidence of recovery */
		} else if (open) {
			if (good_from == 0)
				good_from = tl[i].start;
			if (end - good_from >= flap_min) {
				cur.closes = good_from + flap_min;
				if (k < max)
					out[k++] = cur;
				open = false;
			}
		}
	}
	if (open && k < max)
		out[k++] = cur;
	return k;
}

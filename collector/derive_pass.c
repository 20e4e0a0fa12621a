/* derive_update: one pass over the store (derive.h). */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "derive.h"

#define HISTORY (90 * 86400)

struct pass {
	struct store *st;
	const struct config *cfg;
	time_t now;
};

static char **
one_tag(const char *t)
{
	char **tags = xmalloc(sizeof *tags);
	tags[0] = xstrdup(t);
	return tags;
}

/* Posts one automatic notice unless its key exists; returns its id (the
 * existing one's when it was posted before), or -1. n->posted is the
 * time the rules give it, never later than this pass. */
static int64_t
post(struct pass *p, const char *key, struct notice_view *n)
{
	int64_t id = store_notice_by_key(p->st, key);

	if (id == 0) {
		if (n->posted == 0 || n->posted > p->now)
			n->posted = p->now;
		id = store_notice_add(p->st, n, key);
	}
	notice_view_free(n);
	return id;
}

__attribute__((format(printf, 2, 3))) static char *
fmt(struct strbuf *sb, const char *f, ...)
{
	va_list ap;

	va_start(ap, f);
	sb_vappendf(sb, f, ap);
	va_end(ap);
	return sb_detach(sb);
}

/* The public services of a system in state at t: "SMTP, IMAP". */
static size_t
services_in(const struct sys_hist *h, enum gl_state state, time_t t, struct strbuf *sb)
{
	size_t k = 0;

	for (size_t i = 0; i < h->sys->nservices; i++)
		if (derive_state_at(&h->svcs[i], t) == (int)state)
			sb_appendf(sb, "%s%s", k++ ? ", " : "", h->sys->services[i]);
	if (k == 0)
		sb_append(sb, "some services");
	return k;
}

/* The first notice of a level in an incident: the one that opens it
 * (incident 0) or an escalation (the host went down, or a degraded
 * service failed). e is the episode at that level. */
static int64_t
post_problem(struct pass *p, const struct sys_hist *h, const struct episode *inc,
             enum level lvl, const struct episode *e, int64_t incident)
{
	const struct cfg_system *sys = h->sys;
	struct strbuf sb = STRBUF_INIT, when = STRBUF_INIT;
	struct notice_view n = {.system_id = xstrdup(sys->id),
	                        .incident_id = incident,
	                        .state = INC_INVESTIGATING,
	                        .kind = NOTICE_DISRUPTION,
	                        .posted = e->due,
	                        .starts = e->start,
	                        .ntags = 1};
	char key[128];
	size_t k;

	derive_hhmm(&when, e->start);
	if (lvl == LVL_DOWN) {
		n.kind = NOTICE_OUTAGE;
		n.title = fmt(&sb, "%s: Server down", sys->id);
		n.body = fmt(&sb,
		             "%s has been down since %s. We are looking into it and will post "
		             "an update here.",
		             sys->name, sb_str(&when));
		n.tags = one_tag("down time");
	} else {
		/* a WARNING is degraded performance: no disruption, nothing to
		 * investigate yet (Statuspage's "Degraded Performance") */
		bool warn = lvl == LVL_WARNING;
		n.state = warn ? INC_IDENTIFIED : INC_INVESTIGATING;
		n.title = fmt(&sb, "%s: %s", sys->id,
		              warn ? "Degraded service" : "Service disruption");
		sb_appendf(&sb, "%s is up%s, but ", sys->name,
		           warn ? " and its services are working" : "");
		k = services_in(h, warn ? GL_WARNING : GL_CRITICAL, e->due, &sb);
		n.body =
		        fmt(&sb,
		            warn ? " %s reported a warning since %s (degraded performance). We "
		                   "will post an update here if it gets worse."
		                 : " %s been failing since %s. We are looking into it and will "
		                   "post an update here.",
		            k == 1 ? "has" : "have", sb_str(&when));
		n.tags = one_tag(warn ? "degraded performance" : "service disruption");
	}
	sb_free(&when);
	if (incident == 0)
		snprintf(key, sizeof key, "down:%s:%lld", sys->id, (long long)inc->start);
	else
		snprintf(key, sizeof key, "%s:%s:%lld",
		         lvl == LVL_DOWN ? "hostdown" : "critical", sys->id,
		         (long long)inc->start);
	return post(p, key, &n);
}

/* The recovery of a closed incident; top is the worst level posted in
 * it, span what the text tells: the incident, or the time the host was
 * down when top is LVL_DOWN. */
static int64_t
post_recovery(struct pass *p, const struct sys_hist *h, const struct episode *inc,
              enum level top, const struct episode *span, int64_t incident)
{
	const struct cfg_system *sys = h->sys;
	struct strbuf sb = STRBUF_INIT, dur = STRBUF_INIT, between = STRBUF_INIT;
	struct notice_view n = {.system_id = xstrdup(sys->id),
	                        .incident_id = incident,
	                        .state = INC_RESOLVED,
	                        .kind = NOTICE_RECOVERY,
	                        .posted = inc->closes,
	                        .starts = span->start,
	                        .ends = span->end,
	                        .ntags = 1};
	char key[128];

	derive_duration(&dur, (long)(n.ends - n.starts));
	derive_between(&between, n.starts, n.ends);
	if (top == LVL_DOWN) {
		n.title = fmt(&sb, "%s: Server back online", sys->id);
		n.body = fmt(&sb, "%s is back online. It was down for %s %s.", sys->name,
		             sb_str(&dur), sb_str(&between));
		n.tags = one_tag("down time");
	} else if (top == LVL_CRITICAL) {
		n.title = fmt(&sb, "%s: Service restored", sys->id);
		n.body = fmt(
		        &sb,
		        "All services on %s are working again. They were disrupted for %s %s.",
		        sys->name, sb_str(&dur), sb_str(&between));
		n.tags = one_tag("service disruption");
	} else {
		n.title = fmt(&sb, "%s: Service back to normal", sys->id);
		n.body =
		        fmt(&sb,
		            "All services on %s are working normally again. They were degraded "
		            "for %s %s.",
		            sys->name, sb_str(&dur), sb_str(&between));
		n.tags = one_tag("degraded performance");
	}
	sb_free(&dur);
	sb_free(&between);
	snprintf(key, sizeof key, "up:%s:%lld", sys->id, (long long)inc->start);
	return post(p, key, &n);
}

/* Episodes at one level, and where those inside an incident are. */
struct level_eps {
	struct episode *e;
	size_t n;
};

/* The first episode of l inside inc (whose notice is due, with due), or
 * NULL; with last, the last such one. */
static const struct episode *
inside(const struct level_eps *l, const struct episode *inc, bool due, bool last)
{
	const struct episode *found = NULL;

	for (size_t i = 0; i < l->n; i++) {
		const struct episode *e = &l->e[i];
		bool in = e->start >= inc->start && (inc->closes == 0 || e->start < inc->end);
		if (in && (e->due != 0 || !due)) {
			found = e;
			if (!last)
				break;
		}
	}
	return found;
}

/* When the timeline last went to lvl or worse before t: the "since" of a
 * first notice, from what was known at t. */
static time_t
level_since(const struct sys_hist *h, time_t t, enum level lvl)
{
	time_t since = t;

	for (size_t i = 0; i < h->ntl && h->tl[i].start <= t; i++)
		if (h->tl[i].status < (int)lvl)
			since = t;
		else if (i == 0 || h->tl[i - 1].status < (int)lvl)
			since = h->tl[i].start;
	return since;
}

/* The notices of one incident: the first, at most one escalation to a
 * service failing and one to the host down, and the recovery. */
static int
incident_notices(struct pass *p, const struct sys_hist *h, const struct episode *inc,
                 const struct level_eps *crit, const struct level_eps *down)
{
	enum level lvl = derive_level_at(h->tl, h->ntl, inc->due), top = lvl;
	const struct episode *c = inside(crit, inc, true, false);
	const struct episode *d = inside(down, inc, true, false);
	struct episode first = {.start = level_since(h, inc->due, lvl), .due = inc->due};
	int64_t id = post_problem(p, h, inc, lvl, &first, 0);

	if (id > 0 && lvl < LVL_CRITICAL && c != NULL && (d == NULL || c->due < d->due)) {
		top = LVL_CRITICAL;
		if (post_problem(p, h, inc, LVL_CRITICAL, c, id) < 0)
			return -1;
	}
	if (id > 0 && lvl < LVL_DOWN && d != NULL) {
		top = LVL_DOWN;
		if (post_problem(p, h, inc, LVL_DOWN, d, id) < 0)
			return -1;
	}
	if (id > 0 && inc->closes != 0) {
		/* the host's down time: its first fall to its last recovery */
		const struct episode *a = inside(down, inc, false, false);
		const struct episode *b = inside(down, inc, false, true);
		struct episode span = *inc;
		if (top == LVL_DOWN && a != NULL && b != NULL) {
			span.start = a->start;
			span.end = b->end;
		}
		id = post_recovery(p, h, inc, top, &span, id);
	}
	return id < 0 ? -1 : 0;
}

/* Outage notices of one public system, from its checks' history. */
static int
outage_notices(struct pass *p, const struct cfg_system *sys)
{
	struct sys_hist h;
	struct level_eps inc, crit, down;
	int flap = p->cfg->site.flap_min,
	    rc = derive_hist_load(p->st, p->cfg, sys, p->now - HISTORY, p->now, false, &h);

	/* an episode begins in a timeline interval: ntl is enough for all */
	inc.e = xcalloc(h.ntl + 1, sizeof *inc.e);
	crit.e = xcalloc(h.ntl + 1, sizeof *crit.e);
	down.e = xcalloc(h.ntl + 1, sizeof *down.e);
	if (rc == 0) {
		inc.n = derive_episodes(h.tl, h.ntl, LVL_WARNING, flap, p->now, inc.e, h.ntl);
		crit.n =
		        derive_episodes(h.tl, h.ntl, LVL_CRITICAL, flap, p->now, crit.e, h.ntl);
		down.n = derive_episodes(h.tl, h.ntl, LVL_DOWN, flap, p->now, down.e, h.ntl);
	}
	/* an incident at the start of a history cut at HISTORY has lost its
	 * real start, which keys its notices: it was handled back then */
	for (size_t i = 0; rc == 0 && i < inc.n; i++)
		if (inc.e[i].due != 0 &&
		    !(inc.e[i].start == h.tl[0].start && h.tl[0].start < p->now - HISTORY))
			rc = incident_notices(p, &h, &inc.e[i], &crit, &down);
	free(inc.e);
	free(crit.e);
	free(down.e);
	derive_hist_free(&h);
	return rc;
}

/* "02:20 UTC", or "2 November 2015 02:20 UTC" when t is not on ref's day. */
static void
when(struct strbuf *sb, time_t t, time_t ref)
{
	struct tm a, b;

	gmtime_r(&t, &a);
	gmtime_r(&ref, &b);
	if (a.tm_year != b.tm_year || a.tm_yday != b.tm_yday) {
		derive_date(sb, t);
		sb_appendc(sb, ' ');
	}
	derive_hhmm(sb, t);
}

static int
maint_notice(struct pass *p, const struct downtime *d, bool complete)
{
	const struct cfg_system *sys = config_system(p->cfg, d->system);
	const char *name = sys ? sys->name : d->system;
	time_t end = d->ended ? d->ended : d->end;
	/* "Emergency maintenance complete" after "Emergency maintenance" */
	const char *what = d->title && *d->title ? d->title : "Maintenance";
	struct strbuf sb = STRBUF_INIT, a = STRBUF_INIT, b = STRBUF_INIT;
	struct notice_view n = {.system_id = xstrdup(d->system),
	                        .incident_id = d->incident,
	                        .starts = d->start,
	                        .ends = end,
	                        .ntags = 1,
	                        .tags = one_tag("maintenance")};
	char key[64];

	/* posted when the window began or ended, not when a pass saw it */
	n.posted = complete ? end : d->start;
	if (n.posted < d->created)
		n.posted = d->created;
	derive_hhmm(&a, d->start);
	if (complete) {
		struct strbuf dur = STRBUF_INIT;
		when(&b, end, d->start);
		derive_duration(&dur, (long)(end - d->start));
		n.kind = NOTICE_MAINT_COMPLETE;
		n.maint = MAINT_COMPLETED;
		n.title = fmt(&sb, "%s: %s complete", d->system, what);
		n.body = fmt(
		        &sb,
		        "The maintenance on %s began at %s and was completed at %s, after %s.",
		        name, sb_str(&a), sb_str(&b), sb_str(&dur));
		sb_free(&dur);
	} else {
		/* the window as scheduled: what was known when it began */
		n.ends = d->end;
		when(&b, d->end, d->start);
		n.kind = NOTICE_MAINT_UNDERWAY;
		n.maint = MAINT_IN_PROGRESS;
		n.title = fmt(&sb, "%s: %s underway", d->system, what);
		n.body = fmt(&sb,
		             "%s went down for maintenance at %s. It may be up and down until "
		             "the window closes at %s.",
		             name, sb_str(&a), sb_str(&b));
	}
	sb_free(&a);
	sb_free(&b);
	snprintf(key, sizeof key, "maint-%s:%lld", complete ? "complete" : "underway",
	         (long long)d->id);
	return post(p, key, &n) < 0 ? -1 : 0;
}

static int
maintenance_notices(struct pass *p)
{
	struct downtime *d;
	size_t n;
	int rc = store_downtimes(p->st, NULL, p->now - HISTORY, &d, &n);

	for (size_t i = 0; rc == 0 && i < n; i++) {
		time_t end = d[i].ended ? d[i].ended : d[i].end;
		/* underway, even when the first pass to see the window comes
		 * after its end: the same notices whenever passes run */
		if (p->now >= d[i].start && end > d[i].start)
			rc = maint_notice(p, &d[i], false);
		if (rc == 0 && p->now >= end && end > d[i].start)
			rc = maint_notice(p, &d[i], true);
	}
	downtimes_free(d, n);
	return rc;
}

int
derive_update(struct store *st, const struct config *cfg, time_t now, char *err, size_t errlen)
{
	struct pass p = {.st = st, .cfg = cfg, .now = now};
	int rc = store_begin(st);

	/* internal systems never post notices from their checks */
	for (size_t i = 0; rc == 0 && i < cfg->nsystems; i++)
		if (!cfg->systems[i].internal)
			rc = outage_notices(&p, &cfg->systems[i]);
	if (rc == 0)
		rc = maintenance_notices(&p);
	if (rc == 0)
		rc = store_commit(st);
	if (rc != 0) {
		snprintf(err, errlen, "derive: %s", store_error(st));
		store_rollback(st);
	}
	return rc;
}

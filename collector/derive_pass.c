/* derive_plan_make: the notices one derive pass posts, worked out from a
 * snapshot of the store and the clock alone (derive.h). Nothing here
 * reads or writes the store: derive_hist.c loads the snapshot before
 * and writes the plan after. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "derive.h"

/* The planner's state: the snapshot, and every notice known so far, the
 * stored ones first and then the planned ones, which have provisional
 * ids -1, -2, ... until the plan is written. Strings are borrowed from
 * the snapshot and the plan. */
struct pass {
	const struct config *cfg;
	time_t now;
	const struct derive_snapshot *snap;
	struct notice_ref *known;
	size_t nknown, cap;
	struct derive_plan *plan;
};

static char **
one_tag(const char *t)
{
	char **tags = xmalloc(sizeof *tags);
	tags[0] = xstrdup(t);
	return tags;
}

static const struct notice_ref *
known_by_key(const struct pass *p, const char *key)
{
	for (size_t i = 0; i < p->nknown; i++)
		if (p->known[i].key != NULL && strcmp(p->known[i].key, key) == 0)
			return &p->known[i];
	return NULL;
}

/* Adds n (taking what it owns) to the plan under key; returns its
 * incident. */
static int64_t
plan_add(struct pass *p, const char *key, struct notice_view *n)
{
	struct derive_plan *pl = p->plan;
	int64_t id = -(int64_t)pl->n - 1;
	struct notice_ref *r;

	if (n->posted == 0 || n->posted > p->now)
		n->posted = p->now;
	pl->notices = xrealloc(pl->notices, (pl->n + 1) * sizeof *pl->notices);
	pl->keys = xrealloc(pl->keys, (pl->n + 1) * sizeof *pl->keys);
	pl->notices[pl->n] = *n;
	pl->keys[pl->n] = xstrdup(key);
	if (p->nknown == p->cap) {
		p->cap = p->cap * 2 + 16;
		p->known = xrealloc(p->known, p->cap * sizeof *p->known);
	}
	r = &p->known[p->nknown++];
	*r = (struct notice_ref){.id = id,
	                         .incident = n->incident_id ? n->incident_id : id,
	                         .system = n->system_id,
	                         .kind = n->kind,
	                         .state = n->state,
	                         .impact = n->impact,
	                         .posted = n->posted,
	                         .key = pl->keys[pl->n]};
	pl->n++;
	memset(n, 0, sizeof *n);
	return r->incident;
}

/* Posts one automatic notice unless its key is known; returns the
 * incident it is part of (0: none). n->posted is the time the rules give
 * it, never later than this pass. A notice that would open an incident
 * joins the operator's incident for the same system open in inc
 * instead (one cause, one incident), and a notice in an incident takes
 * at least the state the incident had reached: an automatic update never
 * moves it back (identified to investigating). */
static int64_t
post(struct pass *p, const char *key, const struct episode *inc, struct notice_view *n)
{
	const struct notice_ref *r = known_by_key(p, key);
	enum incident_state top;

	if (r != NULL) {
		notice_view_free(n);
		return r->incident;
	}
	if (n->posted == 0 || n->posted > p->now)
		n->posted = p->now; /* as plan_add would, before it is compared */
	if (n->incident_id == 0)
		n->incident_id =
		        derive_open_incident(p->known, p->nknown, n->system_id, false,
		                             inc->start, inc->closes ? inc->closes : p->now);
	if (n->incident_id != 0 && n->state < INC_RESOLVED) {
		top = derive_incident_state(p->known, p->nknown, n->incident_id, n->posted);
		if (top > n->state)
			n->state = top;
	}
	return plan_add(p, key, n);
}

/* A maintenance notice: part of its window's incident, never an
 * outage's. */
static void
post_maint(struct pass *p, const char *key, struct notice_view *n)
{
	if (known_by_key(p, key) != NULL)
		notice_view_free(n);
	else
		plan_add(p, key, n);
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

/* The public services of a system failing with impact at t: "SMTP, IMAP". */
static size_t
services_in(const struct sys_hist *h, enum impact impact, time_t t, struct strbuf *sb)
{
	size_t k = 0;

	for (size_t i = 0; i < h->sys->nservices; i++)
		if (derive_impact(&h->svcs[i], derive_state_at(&h->svcs[i], t)) == impact)
			sb_appendf(sb, "%s%s", k++ ? ", " : "", h->sys->services[i]);
	if (k == 0)
		sb_append(sb, "some services");
	return k;
}

/* Whether the system's ping was CRITICAL at some time in [a, b). */
static bool
host_down(const struct sys_hist *h, time_t a, time_t b)
{
	for (size_t i = 0; h->sys->ping != NULL && i < h->ping.n; i++) {
		const struct interval *v = &h->ping.iv[i];
		if (v->status == GL_CRITICAL && v->start < b && (v->end == 0 || v->end > a))
			return true;
	}
	return false;
}

/* "A", "A and B", "A, B and C". */
static void
join_names(struct strbuf *sb, char *const *names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		sb_appendf(sb, "%s%s", i == 0 ? "" : i + 1 == n ? " and " : ", ", names[i]);
}

/* The public systems reached through this one whose ping was CRITICAL
 * in [a, b): their names for the text ("Server NC023 and Server
 * NC027") and their ids for the notice ("NC023,NC027", NULL: none). */
static void
children_down(const struct pass *p, const struct cfg_system *sys, time_t a, time_t b,
              struct strbuf *names, char **ids)
{
	struct strbuf id = STRBUF_INIT;
	char **found = xcalloc(p->cfg->nsystems + 1, sizeof *found);
	size_t k = 0;

	for (size_t i = 0; i < p->cfg->nsystems; i++) {
		const struct cfg_system *c = &p->cfg->systems[i];
		const struct check_hist *ping = &p->snap->hist[i].ping;
		bool down = false;
		if (c->parent == NULL || strcmp(c->parent, sys->id) != 0 || c->internal ||
		    c->ping == NULL)
			continue;
		for (size_t j = 0; j < ping->n; j++)
			down |= ping->iv[j].status == GL_CRITICAL && ping->iv[j].start < b &&
			        (ping->iv[j].end == 0 || ping->iv[j].end > a);
		if (down) {
			found[k] = c->name;
			sb_appendf(&id, "%s%s", k++ ? "," : "", c->id);
		}
	}
	join_names(names, found, k);
	free(found);
	*ids = k > 0 ? sb_detach(&id) : NULL;
	sb_free(&id);
}

/* The words of a problem at a level. */
struct problem_words {
	const char *title, *tag;
	enum incident_state state;
};

static struct problem_words
problem_words(enum level lvl, bool host)
{
	if (lvl == LVL_MAJOR && host)
		return (struct problem_words){"Server down", "down time", INC_INVESTIGATING};
	if (lvl == LVL_MAJOR)
		return (struct problem_words){"Service outage", "down time", INC_INVESTIGATING};
	if (lvl == LVL_PARTIAL)
		return (struct problem_words){"Service disruption", "service disruption",
		                              INC_INVESTIGATING};
	/* degraded performance: no disruption, nothing to investigate yet
	 * (Statuspage's "Degraded Performance") */
	return (struct problem_words){"Degraded service", "degraded performance",
	                              INC_IDENTIFIED};
}

/* The body of a problem notice: what fails since when, and for a host
 * down the systems it takes with it ("names": "" when none). */
static char *
problem_body(const struct sys_hist *h, enum level lvl, bool host, time_t t, const char *since,
             const char *names, bool plural)
{
	struct strbuf sb = STRBUF_INIT;
	const char *name = h->sys->name;
	size_t k;

	if (lvl == LVL_MAJOR && host) {
		sb_appendf(&sb, "%s has been down since %s.", name, since);
		if (*names != '\0')
			sb_appendf(&sb, " %s, reached through it, %s unreachable.", names,
			           plural ? "are" : "is");
		sb_append(&sb, " We are looking into it and will post an update here.");
		return sb_detach(&sb);
	}
	if (lvl == LVL_DEGRADED) {
		sb_appendf(&sb, "%s is up and its services are working, but ", name);
		k = services_in(h, IMPACT_DEGRADED, t, &sb);
		sb_appendf(&sb,
		           " %s reported a warning since %s (degraded performance). We will "
		           "post an update here if it gets worse.",
		           k == 1 ? "has" : "have", since);
		return sb_detach(&sb);
	}
	sb_appendf(&sb, "%s is up, but ", name);
	k = services_in(h, derive_impact_of_level(lvl), t, &sb);
	sb_appendf(&sb,
	           " %s been %s since %s. We are looking into it and will post an update here.",
	           k == 1 ? "has" : "have", lvl == LVL_MAJOR ? "down" : "failing", since);
	return sb_detach(&sb);
}

/* The first notice of a level in an incident: the one that opens it
 * (incident 0) or an escalation. e is the episode at that level, inc the
 * incident's. An internal system posts only for the public systems it
 * takes down with it. */
static int64_t
post_problem(struct pass *p, const struct sys_hist *h, const struct episode *inc,
             enum level lvl, const struct episode *e, int64_t incident)
{
	const struct cfg_system *sys = h->sys;
	bool host = lvl == LVL_MAJOR && derive_state_at(&h->ping, e->due) == GL_CRITICAL;
	struct problem_words w = problem_words(lvl, host);
	struct strbuf sb = STRBUF_INIT, names = STRBUF_INIT;
	char when[FMT_TIME_MAX];
	struct notice_view n = {.system_id = xstrdup(sys->id),
	                        .incident_id = incident,
	                        .state = w.state,
	                        .kind = lvl == LVL_MAJOR ? NOTICE_OUTAGE : NOTICE_DISRUPTION,
	                        .impact = derive_impact_of_level(lvl),
	                        .posted = e->due,
	                        .starts = e->start};
	char key[128];

	if (host)
		children_down(p, sys, e->start, e->due + 1, &names, &n.affected);
	if (sys->internal && n.affected == NULL) {
		sb_free(&names);
		notice_view_free(&n);
		return 0;
	}
	fmt_hhmm(when, sizeof when, e->start);
	n.title = fmt(&sb, "%s: %s", sys->id, w.title);
	n.body = problem_body(h, lvl, host, e->due, when, sb_str(&names),
	                      n.affected != NULL && strchr(n.affected, ',') != NULL);
	n.tags = one_tag(w.tag);
	n.ntags = 1;
	sb_free(&names);
	if (incident == 0)
		snprintf(key, sizeof key, "down:%s:%lld", sys->id, (long long)inc->start);
	else
		snprintf(key, sizeof key, "%s:%s:%lld",
		         lvl == LVL_MAJOR ? "hostdown" : "critical", sys->id,
		         (long long)inc->start);
	return post(p, key, inc, &n);
}

/* The recovery of a closed incident; top is the worst level posted in
 * it, span what the text tells: the incident, or the time of the major
 * outage when top is LVL_MAJOR. */
static int64_t
post_recovery(struct pass *p, const struct sys_hist *h, const struct episode *inc,
              enum level top, const struct episode *span, int64_t incident)
{
	const struct cfg_system *sys = h->sys;
	bool host = top == LVL_MAJOR && host_down(h, span->start, span->end);
	struct strbuf sb = STRBUF_INIT, names = STRBUF_INIT;
	char dur[FMT_TIME_MAX], between[FMT_TIME_MAX];
	struct notice_view n = {.system_id = xstrdup(sys->id),
	                        .incident_id = incident,
	                        .state = INC_RESOLVED,
	                        .kind = NOTICE_RECOVERY,
	                        .impact = derive_impact_of_level(top),
	                        .posted = inc->closes,
	                        .starts = span->start,
	                        .ends = span->end,
	                        .ntags = 1};
	char key[128];

	if (host)
		children_down(p, sys, span->start, span->end, &names, &n.affected);
	fmt_duration(dur, sizeof dur, (long long)(n.ends - n.starts));
	fmt_between(between, sizeof between, n.starts, n.ends);
	n.tags = one_tag(problem_words(top, host).tag);
	if (host) {
		n.title = fmt(&sb, "%s: Server back online", sys->id);
		sb_appendf(&sb, "%s is back online. It was down for %s %s.", sys->name, dur,
		           between);
		if (names.len > 0)
			sb_appendf(&sb, " %s, reached through it, %s unreachable meanwhile.",
			           sb_str(&names),
			           n.affected && strchr(n.affected, ',') ? "were" : "was");
		n.body = sb_detach(&sb);
	} else {
		bool warn = top == LVL_DEGRADED;
		n.title = fmt(&sb, "%s: %s", sys->id,
		              warn ? "Service back to normal" : "Service restored");
		n.body = fmt(&sb, "All services on %s are working %s. They were %s for %s %s.",
		             sys->name, warn ? "normally again" : "again",
		             warn               ? "degraded"
		             : top == LVL_MAJOR ? "down"
		                                : "disrupted",
		             dur, between);
	}
	sb_free(&names);
	snprintf(key, sizeof key, "up:%s:%lld", sys->id, (long long)inc->start);
	return post(p, key, inc, &n);
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
 * partial and one to a major outage, and the recovery. */
static void
incident_notices(struct pass *p, const struct sys_hist *h, const struct episode *inc,
                 const struct level_eps *partial, const struct level_eps *major)
{
	enum level lvl = derive_level_at(h->tl, h->ntl, inc->due), top = lvl;
	const struct episode *c = inside(partial, inc, true, false);
	const struct episode *d = inside(major, inc, true, false);
	struct episode first = {.start = level_since(h, inc->due, lvl), .due = inc->due};
	int64_t id = post_problem(p, h, inc, lvl, &first, 0);

	if (id == 0)
		return; /* an internal system that took no public one with it */
	if (lvl < LVL_PARTIAL && c != NULL && (d == NULL || c->due < d->due)) {
		top = LVL_PARTIAL;
		post_problem(p, h, inc, LVL_PARTIAL, c, id);
	}
	if (lvl < LVL_MAJOR && d != NULL) {
		top = LVL_MAJOR;
		post_problem(p, h, inc, LVL_MAJOR, d, id);
	}
	if (inc->closes != 0) {
		/* the major outage's time: its first fall to its last recovery */
		const struct episode *a = inside(major, inc, false, false);
		const struct episode *b = inside(major, inc, false, true);
		struct episode span = *inc;
		if (top == LVL_MAJOR && a != NULL && b != NULL) {
			span.start = a->start;
			span.end = b->end;
		}
		post_recovery(p, h, inc, top, &span, id);
	}
}

/* Outage notices of one system, from its checks' history. */
static void
outage_notices(struct pass *p, const struct sys_hist *h)
{
	struct level_eps inc, partial, major;
	int flap = p->cfg->site.flap_min;

	/* an episode begins in a timeline interval: ntl is enough for all */
	inc.e = xcalloc(h->ntl + 1, sizeof *inc.e);
	partial.e = xcalloc(h->ntl + 1, sizeof *partial.e);
	major.e = xcalloc(h->ntl + 1, sizeof *major.e);
	inc.n = derive_episodes(h->tl, h->ntl, LVL_DEGRADED, flap, p->now, inc.e, h->ntl);
	partial.n =
	        derive_episodes(h->tl, h->ntl, LVL_PARTIAL, flap, p->now, partial.e, h->ntl);
	major.n = derive_episodes(h->tl, h->ntl, LVL_MAJOR, flap, p->now, major.e, h->ntl);
	/* an incident at the start of a history cut at DERIVE_HISTORY has
	 * lost its real start, which keys its notices: it was handled back
	 * then */
	for (size_t i = 0; i < inc.n; i++)
		if (inc.e[i].due != 0 && !(inc.e[i].start == h->tl[0].start &&
		                           h->tl[0].start < p->now - DERIVE_HISTORY))
			incident_notices(p, h, &inc.e[i], &partial, &major);
	free(inc.e);
	free(partial.e);
	free(major.e);
}

static void
maint_notice(struct pass *p, const struct downtime *d, bool complete)
{
	const struct cfg_system *sys = config_system(p->cfg, d->system);
	const char *name = sys ? sys->name : d->system;
	time_t end = d->ended ? d->ended : d->end;
	/* "Emergency maintenance complete" after "Emergency maintenance" */
	const char *what = d->title && *d->title ? d->title : "Maintenance";
	struct strbuf sb = STRBUF_INIT;
	char a[FMT_TIME_MAX], b[FMT_TIME_MAX];
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
	fmt_hhmm(a, sizeof a, d->start);
	if (complete) {
		char dur[FMT_TIME_MAX];
		fmt_when(b, sizeof b, end, d->start);
		fmt_duration(dur, sizeof dur, (long long)(end - d->start));
		n.kind = NOTICE_MAINT_COMPLETE;
		n.maint = MAINT_COMPLETED;
		n.title = fmt(&sb, "%s: %s complete", d->system, what);
		n.body = fmt(
		        &sb,
		        "The maintenance on %s began at %s and was completed at %s, after %s.",
		        name, a, b, dur);
	} else {
		/* the window as scheduled: what was known when it began */
		n.ends = d->end;
		fmt_when(b, sizeof b, d->end, d->start);
		n.kind = NOTICE_MAINT_UNDERWAY;
		n.maint = MAINT_IN_PROGRESS;
		n.title = fmt(&sb, "%s: %s underway", d->system, what);
		n.body = fmt(&sb,
		             "%s went down for maintenance at %s. It may be up and down until "
		             "the window closes at %s.",
		             name, a, b);
	}
	snprintf(key, sizeof key, "maint-%s:%lld", complete ? "complete" : "underway",
	         (long long)d->id);
	post_maint(p, key, &n);
}

static void
maintenance_notices(struct pass *p)
{
	for (size_t i = 0; i < p->snap->nwindows; i++) {
		const struct downtime *d = &p->snap->windows[i];
		time_t end = d->ended ? d->ended : d->end;
		/* underway, even when the first pass to see the window comes
		 * after its end: the same notices whenever passes run */
		if (p->now >= d->start && end > d->start)
			maint_notice(p, d, false);
		if (p->now >= end && end > d->start)
			maint_notice(p, d, true);
	}
}

/* Whether a system's checks may post: a public one always, an internal
 * one only as the parent of a public one (and then only for the public
 * systems it takes down with it). */
static bool
posts(const struct config *cfg, const struct cfg_system *s)
{
	if (!s->internal)
		return true;
	for (size_t i = 0; i < cfg->nsystems; i++)
		if (cfg->systems[i].parent != NULL && !cfg->systems[i].internal &&
		    strcmp(cfg->systems[i].parent, s->id) == 0)
			return true;
	return false;
}

void
derive_plan_make(const struct derive_snapshot *snap, const struct config *cfg, time_t now,
                 struct derive_plan *out)
{
	struct pass p = {.cfg = cfg, .now = now, .snap = snap, .plan = out};

	memset(out, 0, sizeof *out);
	p.cap = snap->nnotices + 16;
	p.known = xcalloc(p.cap, sizeof *p.known);
	if (snap->nnotices > 0)
		memcpy(p.known, snap->notices, snap->nnotices * sizeof *p.known);
	p.nknown = snap->nnotices;
	for (size_t i = 0; i < cfg->nsystems; i++)
		if (posts(cfg, &cfg->systems[i]))
			outage_notices(&p, &snap->hist[i]);
	maintenance_notices(&p);
	free(p.known); /* its strings belong to the snapshot and the plan */
}

void
derive_plan_free(struct derive_plan *pl)
{
	for (size_t i = 0; i < pl->n; i++) {
		notice_view_free(&pl->notices[i]);
		free(pl->keys[i]);
	}
	free(pl->notices);
	free(pl->keys);
	memset(pl, 0, sizeof *pl);
}

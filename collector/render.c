/* render_site: builds the indexes every output needs once (slugs, tags,
 * months, incidents and maintenances), then writes the HTML pages, the
 * feeds and the JSON into a new generation and publishes it atomically. */
#include "render.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "render_int.h"

static void
push_idx(size_t **arr, size_t *n, size_t v)
{
	*arr = xrealloc(*arr, (*n + 1) * sizeof **arr);
	(*arr)[(*n)++] = v;
}

/* Systems: every id present and each id's directory name distinct. */
static int
index_systems(struct render_ctx *c)
{
	const struct site_view *v = c->v;

	c->sys_slug = xcalloc(v->nsystems, sizeof *c->sys_slug);
	c->uptime_rest = xcalloc(v->nsystems, sizeof *c->uptime_rest);
	for (size_t i = 0; i < v->nsystems; i++) {
		struct strbuf sb = STRBUF_INIT;
		if (v->systems[i].id == NULL || v->systems[i].id[0] == '\0')
			return rctx_fail(c, "system %zu has no id", i + 1);
		esc_slug(&sb, v->systems[i].id, false);
		c->sys_slug[i] = sb_detach(&sb);
		for (size_t j = 0; j < i; j++)
			if (strcmp(c->sys_slug[i], c->sys_slug[j]) == 0)
				return rctx_fail(c, "systems %s and %s need the same file name",
				                 v->systems[j].id, v->systems[i].id);
	}
	return 0;
}

/* Tags are told apart by their slug, so "DNS" and "dns" are one tag. */
static size_t
tag_find_or_add(struct render_ctx *c, const char *name)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	esc_slug(&sb, name, true);
	for (i = 0; i < c->ntags; i++)
		if (strcmp(c->tags[i].slug, sb_str(&sb)) == 0)
			break;
	if (i == c->ntags) {
		c->tags = xrealloc(c->tags, (c->ntags + 1) * sizeof *c->tags);
		c->tags[i] = (struct tag_ref){esc_clean_dup(name), sb_detach(&sb), NULL, 0};
		c->ntags++;
	}
	sb_free(&sb);
	return i;
}

static int
tag_cmp(const void *a, const void *b)
{
	return strcmp(((const struct tag_ref *)a)->slug, ((const struct tag_ref *)b)->slug);
}

static void
index_tags(struct render_ctx *c)
{
	const struct site_view *v = c->v;
	for (size_t i = 0; i < v->nnotices; i++)
		for (size_t t = 0; t < v->notices[i].ntags; t++) {
			size_t k = tag_find_or_add(c, v->notices[i].tags[t]);
			if (c->tags[k].n == 0 || c->tags[k].idx[c->tags[k].n - 1] != i)
				push_idx(&c->tags[k].idx, &c->tags[k].n, i);
		}
	if (c->ntags > 1)
		qsort(c->tags, c->ntags, sizeof *c->tags, tag_cmp);
	/* Sorting moved the tags; map each notice's tags to the new places. */
	c->ntag = xcalloc(v->nnotices ? v->nnotices : 1, sizeof *c->ntag);
	for (size_t i = 0; i < v->nnotices; i++) {
		c->ntag[i] = xcalloc(v->notices[i].ntags ? v->notices[i].ntags : 1,
		                     sizeof **c->ntag);
		for (size_t t = 0; t < v->notices[i].ntags; t++) {
			struct strbuf sb = STRBUF_INIT;
			struct tag_ref key = {NULL, NULL, NULL, 0}, *hit;
			esc_slug(&sb, v->notices[i].tags[t], true);
			key.slug = (char *)sb_str(&sb);
			hit = bsearch(&key, c->tags, c->ntags, sizeof *c->tags, tag_cmp);
			c->ntag[i][t] = hit ? (size_t)(hit - c->tags) : 0;
			sb_free(&sb);
		}
	}
}

static int
month_cmp(const void *a, const void *b)
{
	const struct month_ref *x = a, *y = b;
	int kx = x->year * 12 + x->month, ky = y->year * 12 + y->month;

	return (ky > kx) - (ky < kx);
}

static void
index_months(struct render_ctx *c)
{
	for (size_t i = 0; i < c->v->nnotices; i++) {
		struct tm tm;
		time_t t = c->v->notices[i].posted;
		size_t m;
		if (gmtime_r(&t, &tm) == NULL)
			continue;
		for (m = 0; m < c->nmonths; m++)
			if (c->months[m].year == tm.tm_year + 1900 &&
			    c->months[m].month == tm.tm_mon + 1)
				break;
		if (m == c->nmonths) {
			c->months = xrealloc(c->months, (m + 1) * sizeof *c->months);
			c->months[m] =
			        (struct month_ref){tm.tm_year + 1900, tm.tm_mon + 1, NULL, 0};
			c->nmonths++;
		}
		push_idx(&c->months[m].idx, &c->months[m].n, i);
	}
	if (c->nmonths > 1)
		qsort(c->months, c->nmonths, sizeof *c->months, month_cmp);
}

static bool
notice_is_maint(const struct notice_view *n)
{
	return n->maint != MAINT_NONE || n->kind == NOTICE_MAINT_SCHEDULED ||
	       n->kind == NOTICE_MAINT_UNDERWAY || n->kind == NOTICE_MAINT_COMPLETE;
}

/* The status a maintenance has after notice n. */
static enum group_status
maint_step(const struct notice_view *n, enum group_status cur)
{
	switch (n->maint) {
	case MAINT_SCHEDULED: return GS_SCHEDULED;
	case MAINT_IN_PROGRESS: return GS_IN_PROGRESS;
	case MAINT_COMPLETED: return GS_COMPLETED;
	case MAINT_NONE: break;
	}
	switch (n->kind) {
	case NOTICE_MAINT_SCHEDULED: return GS_SCHEDULED;
	case NOTICE_MAINT_UNDERWAY: return GS_IN_PROGRESS;
	case NOTICE_MAINT_COMPLETE: return GS_COMPLETED;
	default: return cur;
	}
}

/* The status an incident has after notice n: its own state when it has
 * one, "resolved" for a recovery, else the state before it. */
static enum group_status
incident_step(const struct notice_view *n, enum group_status cur)
{
	switch (n->state) {
	case INC_INVESTIGATING: return GS_INVESTIGATING;
	case INC_IDENTIFIED: return GS_IDENTIFIED;
	case INC_MONITORING: return GS_MONITORING;
	case INC_RESOLVED: return GS_RESOLVED;
	case INC_POSTMORTEM: return GS_POSTMORTEM;
	case INC_NONE: break;
	}
	return n->kind == NOTICE_RECOVERY ? GS_RESOLVED : cur;
}

/* Walks a group's notices oldest first, recording each step's status and
 * the window; then lets the clock move a maintenance on: a scheduled
 * window that has begun is in progress, one whose end has passed is
 * completed, with or without its completion notice (a window that has
 * ended never waits for anyone to verify it). */
static void
group_settle(struct render_ctx *c, struct event_group *g)
{
	const struct notice_view *nv = c->v->notices;
	enum group_status cur = g->maintenance ? GS_SCHEDULED : GS_INVESTIGATING;
	time_t now = c->v->generated;

	g->incident = g->maintenance;
	g->step = xcalloc(g->n, sizeof *g->step);
	for (size_t k = 0; k < g->n; k++) {
		const struct notice_view *n = &nv[g->idx[k]];
		cur = g->maintenance ? maint_step(n, cur) : incident_step(n, cur);
		g->step[k] = cur;
		if (n->state != INC_NONE || n->kind == NOTICE_OUTAGE ||
		    n->kind == NOTICE_DISRUPTION || n->kind == NOTICE_RECOVERY)
			g->incident = true;
		if (n->starts != 0)
			g->starts = n->starts;
		if (n->ends != 0)
			g->ends = n->ends;
	}
	if (g->maintenance && (cur == GS_SCHEDULED || cur == GS_IN_PROGRESS)) {
		if (g->ends != 0 && g->ends <= now)
			cur = GS_COMPLETED;
		else if (cur == GS_SCHEDULED && g->starts != 0 && g->starts <= now)
			cur = GS_IN_PROGRESS;
	}
	g->status = cur;
}

/* Groups notices by incident_id in the order of their newest notice
 * (the view lists notices newest first). */
static void
index_groups(struct render_ctx *c)
{
	const struct site_view *v = c->v;

	c->notice_group = xcalloc(v->nnotices ? v->nnotices : 1, sizeof *c->notice_group);
	for (size_t i = 0; i < v->nnotices; i++) {
		const struct notice_view *n = &v->notices[i];
		int64_t id = n->incident_id ? n->incident_id : -n->id - 1;
		size_t g;
		for (g = 0; g < c->ngroups; g++)
			if (c->groups[g].id == id)
				break;
		if (g == c->ngroups) {
			c->groups = xrealloc(c->groups, (g + 1) * sizeof *c->groups);
			memset(&c->groups[g], 0, sizeof c->groups[g]);
			c->groups[g].id = id;
			c->ngroups++;
		}
		push_idx(&c->groups[g].idx, &c->groups[g].n, i);
		c->groups[g].maintenance |= notice_is_maint(n);
		c->notice_group[i] = g;
	}
	for (size_t g = 0; g < c->ngroups; g++) {
		struct event_group *eg = &c->groups[g];
		for (size_t a = 0, b = eg->n - 1; a < b; a++, b--) {
			size_t t = eg->idx[a];
			eg->idx[a] = eg->idx[b];
			eg->idx[b] = t;
		}
		group_settle(c, eg);
	}
}

static int
check_notices(struct render_ctx *c)
{
	const struct site_view *v = c->v;

	for (size_t i = 0; i < v->nnotices; i++) {
		if (v->notices[i].id < 0)
			return rctx_fail(c, "notice %zu has a negative id", i + 1);
		for (size_t j = 0; j < i; j++)
			if (v->notices[j].id == v->notices[i].id)
				return rctx_fail(c, "two notices have the id %lld",
				                 (long long)v->notices[i].id);
	}
	return 0;
}

static void
rctx_free(struct render_ctx *c)
{
	for (size_t i = 0; c->sys_slug != NULL && i < c->v->nsystems; i++)
		free(c->sys_slug[i]);
	free(c->sys_slug);
	for (size_t i = 0; c->uptime_rest != NULL && i < c->v->nsystems; i++)
		free(c->uptime_rest[i]);
	free(c->uptime_rest);
	for (size_t i = 0; i < c->ntags; i++) {
		free(c->tags[i].name);
		free(c->tags[i].slug);
		free(c->tags[i].idx);
	}
	free(c->tags);
	for (size_t i = 0; c->ntag != NULL && i < c->v->nnotices; i++)
		free(c->ntag[i]);
	free(c->ntag);
	for (size_t i = 0; i < c->nmonths; i++)
		free(c->months[i].idx);
	free(c->months);
	for (size_t i = 0; i < c->ngroups; i++) {
		free(c->groups[i].idx);
		free(c->groups[i].step);
	}
	free(c->groups);
	free(c->notice_group);
	free(c->base);
}

int
render_site(const struct site_view *v, const char *out_dir, char *err, size_t errlen)
{
	struct render_ctx c;
	struct publish pub;
	int rc;

	if (errlen > 0)
		err[0] = '\0';
	memset(&c, 0, sizeof c);
	c.v = v, c.pub = &pub, c.err = err, c.errlen = errlen;
	c.base = esc_clean_dup(v->site.base_url);
	if (c.base[0] != '\0' && c.base[strlen(c.base) - 1] != '/') {
		struct strbuf b = STRBUF_INIT;
		sb_appendf(&b, "%s/", c.base);
		free(c.base);
		c.base = sb_detach(&b);
	}
	if (index_systems(&c) != 0 || check_notices(&c) != 0) {
		rctx_free(&c);
		return -1;
	}
	index_tags(&c);
	index_months(&c);
	index_groups(&c);
	rctx_set_overall(&c);
	if (publish_begin(&pub, out_dir, err, errlen) != 0) {
		rctx_free(&c);
		return -1;
	}
	rc = render_html(&c) || render_feeds(&c) || render_json(&c) || render_text(&c) ? -1 : 0;
	if (rc == 0)
		rc = publish_commit(&pub, err, errlen);
	else
		publish_abort(&pub);
	rctx_free(&c);
	return rc;
}

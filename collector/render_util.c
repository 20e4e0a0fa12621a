/* The helpers render's back-ends (render_html.c, render_feed.c,
 * render_json.c, render_text.c) call: errors and writes through the
 * render context, lookups, and the words for statuses and the headline
 * that every output shares. render.c is the driver that builds the
 * indexes and runs the back-ends. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fmt.h"
#include "render_int.h"

int
rctx_fail(struct render_ctx *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->err, c->errlen, fmt, ap);
	va_end(ap);
	return -1;
}

int
rctx_write(struct render_ctx *c, const char *relpath, struct strbuf *sb)
{
	int rc = publish_write(c->pub, relpath, sb_str(sb), sb->len, c->err, c->errlen);

	sb_free(sb);
	return rc;
}

time_t
rctx_updated(const struct render_ctx *c, const size_t *idx, size_t n, time_t none)
{
	time_t now = c->v->generated, t = 0;

	for (size_t k = 0; k < n; k++) {
		const struct event_group *g = &c->groups[c->notice_group[idx ? idx[k] : k]];
		for (size_t j = 0; j < g->n; j++)
			if (c->v->notices[g->idx[j]].posted > t)
				t = c->v->notices[g->idx[j]].posted;
		if (g->starts > t && g->starts <= now)
			t = g->starts;
		if (g->ends > t && g->ends <= now)
			t = g->ends;
	}
	return n > 0 ? t : none;
}

const struct system_view *
rctx_system(const struct render_ctx *c, const char *id, size_t *idx)
{
	if (id == NULL)
		return NULL;
	for (size_t i = 0; i < c->v->nsystems; i++) {
		if (c->v->systems[i].id != NULL && strcmp(c->v->systems[i].id, id) == 0) {
			if (idx != NULL)
				*idx = i;
			return &c->v->systems[i];
		}
	}
	return NULL;
}

const char *
status_label(enum sys_status s)
{
	/* Statuspage's component words, and two of glance's own */
	static const char *const n[] = {
	        "Operational",  "Degraded performance", "Partial outage",
	        "Major outage", "Under maintenance",    "Internal",
	        "No data"};
	return (unsigned)s < sizeof n / sizeof n[0] ? n[s] : "No data";
}

/* Each group status's words for people and Statuspage's enum value. */
static const struct {
	const char *label, *name;
} group_words[] = {
        [GS_INVESTIGATING] = {"Investigating", "investigating"},
        [GS_IDENTIFIED] = {"Identified", "identified"},
        [GS_MONITORING] = {"Monitoring", "monitoring"},
        [GS_RESOLVED] = {"Resolved", "resolved"},
        [GS_POSTMORTEM] = {"Post-mortem", "postmortem"},
        [GS_SCHEDULED] = {"Scheduled", "scheduled"},
        [GS_IN_PROGRESS] = {"In progress", "in_progress"},
        [GS_COMPLETED] = {"Completed", "completed"},
};

const char *
group_status_label(enum group_status s)
{
	return group_words[(unsigned)s < sizeof group_words / sizeof group_words[0] ? s : 0]
	        .label;
}

const char *
group_status_name(enum group_status s)
{
	return group_words[(unsigned)s < sizeof group_words / sizeof group_words[0] ? s : 0]
	        .name;
}

bool
group_is_current_maintenance(const struct render_ctx *c, const struct event_group *g)
{
	if (!g->maintenance)
		return false;
	if (g->status == GS_IN_PROGRESS)
		return true;
	return g->status == GS_SCHEDULED && (g->ends == 0 || g->ends > c->v->generated);
}

const char *
sp_component_status(const struct system_view *s)
{
	switch (s->status) {
	case SYS_OPERATIONAL: return "operational";
	case SYS_DEGRADED: return "degraded_performance";
	case SYS_PARTIAL: return "partial_outage";
	case SYS_MAJOR: return "major_outage";
	case SYS_MAINTENANCE: return "under_maintenance";
	case SYS_INTERNAL: return NULL;
	case SYS_UNKNOWN: break;
	}
	/* Statuspage has no word for no data; its clients read the
	 * mildest problem, and status_text says "No data" */
	return "degraded_performance";
}

/* The headline's cases, worst first: the status, Statuspage's
 * indicator, the words. */
static const struct {
	enum sys_status st;
	const char *indicator, *words;
} headlines[] = {
        {SYS_MAJOR, "critical", "Major outage"},
        {SYS_PARTIAL, "major", "Partial outage"},
        {SYS_DEGRADED, "minor", "Degraded performance"},
        {SYS_MAINTENANCE, "maintenance", "Maintenance in progress"},
        {SYS_UNKNOWN, "minor", "No data"},
};

void
rctx_set_overall(struct render_ctx *c)
{
	const struct site_view *v = c->v;
	struct overall *o = &c->overall;
	size_t off;

	if (v->stale) {
		char when[FMT_TIME_MAX];
		fmt_hhmm(when, sizeof when, v->last_result);
		*o = (struct overall){.indicator = "minor", .worst = SYS_UNKNOWN};
		snprintf(o->description, sizeof o->description,
		         "The data is stale since %s: the collector has stopped reporting.",
		         when);
		return;
	}
	for (size_t h = 0; h < sizeof headlines / sizeof headlines[0]; h++) {
		*o = (struct overall){.indicator = headlines[h].indicator,
		                      .worst = headlines[h].st};
		off = (size_t)snprintf(o->description, sizeof o->description, "%s",
		                       headlines[h].words);
		for (size_t i = 0, k = 0; i < v->nsystems; i++) {
			const struct system_view *sv = &v->systems[i];
			if (sys_internal(sv) || sv->status != headlines[h].st ||
			    off >= sizeof o->description)
				continue;
			off += (size_t)snprintf(o->description + off,
			                        sizeof o->description - off, "%s%s",
			                        k++ ? ", " : ": ", sv->id);
		}
		if (strchr(o->description, ':') != NULL)
			return;
	}
	*o = (struct overall){.indicator = "none", .worst = SYS_OPERATIONAL};
	snprintf(o->description, sizeof o->description, "All systems operational");
}

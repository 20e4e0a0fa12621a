/* Shared by the render stage's files (render.c, render_util.c,
 * render_html.c, render_feed.c, render_json.c, render_text.c): the
 * indexes built once from a site_view (tag and system slugs, monthly archives, incidents and
 * maintenances) and the small functions they share. Not used outside render. */
#ifndef GLANCE_RENDER_INT_H
#define GLANCE_RENDER_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "model.h"
#include "publish.h"
#include "strbuf.h"

/* How many notices the front page and the feeds carry; the archives
 * carry all of them. */
#define RENDER_FRONT_NOTICES 20
#define RENDER_FEED_NOTICES 50
#define RENDER_JSON_NOTICES 50

struct tag_ref {
	char *name;  /* as first seen */
	char *slug;  /* the directory under tags/ */
	size_t *idx; /* notices carrying it, newest first */
	size_t n;
};

struct month_ref {
	int year, month;
	size_t *idx; /* newest first */
	size_t n;
};

/* Statuspage's incident and maintenance states, but "verifying": a
 * window whose end has passed is completed. */
enum group_status {
	GS_INVESTIGATING,
	GS_IDENTIFIED,
	GS_MONITORING,
	GS_RESOLVED,
	GS_POSTMORTEM,
	GS_SCHEDULED,
	GS_IN_PROGRESS,
	GS_COMPLETED,
};

/* An incident or a maintenance: the notices sharing an incident_id, or a
 * notice without one on its own. */
struct event_group {
	int64_t id;
	bool maintenance;
	bool incident;           /* false for a plain announcement */
	size_t *idx;             /* oldest first */
	enum group_status *step; /* the status after each notice */
	size_t n;
	enum group_status status; /* now, with the clock applied */
	time_t starts, ends;      /* window or outage, 0 when unknown */
};

/* The page's headline from the public systems, worst first: "Major
 * outage: NC036", "Partial outage: ...", "Degraded performance: ...",
 * "Maintenance in progress: ...", "No data: ...", "All systems
 * operational"; when the collector has stopped reporting, that the data
 * is stale since when. indicator is Statuspage's
 * none|minor|major|critical|maintenance; worst the status whose colour
 * the banner takes. */
struct overall {
	const char *indicator;
	char description[512];
	enum sys_status worst;
};

struct render_ctx {
	const struct site_view *v;
	struct publish *pub;
	char *err;
	size_t errlen;
	char *base;           /* base_url ending in '/', or "" for relative links */
	char **sys_slug;      /* per system */
	char **uptime_rest;   /* per system: its uptime row after the header */
	struct tag_ref *tags; /* sorted by slug */
	size_t ntags;
	size_t **ntag;            /* per notice, per tag: index into tags */
	struct month_ref *months; /* newest first */
	size_t nmonths;
	struct event_group *groups; /* newest activity first */
	size_t ngroups;
	size_t *notice_group;   /* per notice: index into groups */
	struct overall overall; /* the same on every page: made once */
};

/* Fills c->overall from c->v. */
void rctx_set_overall(struct render_ctx *c);
/* Writes sb as relpath of the new site and empties sb. */
int rctx_write(struct render_ctx *c, const char *relpath, struct strbuf *sb);
/* Sets c->err; returns -1. */
int rctx_fail(struct render_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* When what a page or feed shows of these notices (idx, or every notice
 * when idx is NULL) last changed: the newest update of each one's
 * incident or maintenance, or a window's start or end the clock has
 * passed since (a maintenance turns "in progress" with no notice).
 * none when there are no notices. Pages stamped with it stay the same
 * bytes from render to render, so publishing links them. */
time_t rctx_updated(const struct render_ctx *c, const size_t *idx, size_t n, time_t none);
/* The system with that id, or NULL. */
const struct system_view *rctx_system(const struct render_ctx *c, const char *id, size_t *idx);

/* "Operational", "Degraded performance", "Partial outage", "Major
 * outage", "Under maintenance", "Internal", "No data". */
const char *status_label(enum sys_status s);
/* "Investigating", "Scheduled", "In progress", ... */
const char *group_status_label(enum group_status s);
/* Statuspage's enum value: "investigating", "in_progress", ... */
const char *group_status_name(enum group_status s);
/* True for a maintenance that is upcoming or under way now. */
bool group_is_current_maintenance(const struct render_ctx *c, const struct event_group *g);

/* Optional text: NULL and "" both mean absent. */
static inline const char *
nz(const char *s)
{
	return s != NULL && s[0] != '\0' ? s : NULL;
}

/* Internal systems show "Internal" and nothing else, whichever of the
 * two the view set. */
static inline bool
sys_internal(const struct system_view *s)
{
	return s->internal || s->status == SYS_INTERNAL;
}

static inline enum sys_status
sys_shown_status(const struct system_view *s)
{
	return sys_internal(s) ? SYS_INTERNAL : s->status;
}

/* Statuspage's component status for a public system: its status's
 * word (operational, degraded_performance, partial_outage, major_outage,
 * under_maintenance; degraded_performance for no data). NULL for an
 * internal system: it is no component. */
const char *sp_component_status(const struct system_view *s);

int render_html(struct render_ctx *c);
int render_feeds(struct render_ctx *c);
int render_json(struct render_ctx *c);
int render_text(struct render_ctx *c);

#endif

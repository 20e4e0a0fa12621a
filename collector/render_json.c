/* The JSON files, all built with jansson:
 *   status.json  glance's own schema (schema_version 1, see README): the
 *                table, uptime, current maintenance and recent notices;
 *   api/v2/...   Atlassian Statuspage's public v2 layout and enums, so
 *                existing Statuspage clients read glance unchanged.
 * Internal systems appear in status.json with id, name, location, role,
 * "internal" and their ping state only, and are no Statuspage component. */
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "fmt.h"
#include "render_int.h"
#include "render_md.h"

/* Text as a JSON string (clean UTF-8), NULL as null. */
static json_t *
jstr(const char *s)
{
	char *clean;
	json_t *j;

	if (s == NULL)
		return json_null();
	clean = esc_clean_dup(s);
	j = json_string(clean);
	free(clean);
	return j;
}

static json_t *
jtime(time_t t)
{
	char iso[FMT_TIME_MAX];

	if (t == 0)
		return json_null();
	fmt_time_iso(iso, sizeof iso, t);
	return json_string(iso);
}

static json_t *
jnum(double d)
{
	return isnan(d) || isinf(d) ? json_null() : json_real(d);
}

/* An absolute URL of the site (relative when there is no base_url). */
static json_t *
jurl(const struct render_ctx *c, const char *rel)
{
	struct strbuf sb = STRBUF_INIT;
	json_t *j;

	sb_appendf(&sb, "%s%s", c->base, rel);
	j = jstr(sb_str(&sb));
	sb_free(&sb);
	return j;
}

static json_t *
jnotice_url(const struct render_ctx *c, const struct notice_view *n)
{
	char rel[64];

	snprintf(rel, sizeof rel, "notices/%lld.html", (long long)n->id);
	return jurl(c, rel);
}

static int
jwrite(struct render_ctx *c, const char *path, json_t *root)
{
	struct strbuf sb = STRBUF_INIT;
	char *text;

	if (root == NULL)
		return rctx_fail(c, "%s: building the JSON failed", path);
	text = json_dumps(root, JSON_INDENT(2) | JSON_REAL_PRECISION(10));
	json_decref(root);
	if (text == NULL)
		return rctx_fail(c, "%s: encoding the JSON failed", path);
	sb_append(&sb, text);
	sb_append(&sb, "\n");
	free(text);
	return rctx_write(c, path, &sb);
}

static json_t *
juptime(const double *w)
{
	return json_pack("{s:o, s:o, s:o, s:o}", "24h", jnum(w[UPTIME_24H]), "7d",
	                 jnum(w[UPTIME_7D]), "30d", jnum(w[UPTIME_30D]), "90d",
	                 jnum(w[UPTIME_90D]));
}

static json_t *
jservices(const struct system_view *s)
{
	json_t *a = json_array();

	for (size_t k = 0; a != NULL && k < s->nservices; k++) {
		const struct service_view *sv = &s->services[k];
		if (json_array_append_new(
		            a, json_pack("{s:o, s:s, s:o, s:o}", "name", jstr(sv->name),
		                         "state", state_name(sv->state), "output",
		                         jstr(sv->output), "since", jtime(sv->since))) != 0) {
			json_decref(a);
			return NULL;
		}
	}
	return a;
}

/* Per-day uptime, oldest first, the last entry today. */
static json_t *
jdaily(const struct system_view *s)
{
	json_t *a = json_array();

	for (size_t k = 0; a != NULL && k < s->ndaily; k++)
		if (json_array_append_new(a, jnum(s->daily_uptime[k])) != 0) {
			json_decref(a);
			return NULL;
		}
	return a;
}

/* Public detail added to a system's object; internal systems get none. */
static int
jsystem_detail(json_t *o, const struct system_view *s)
{
	json_t *ping = json_object_get(o, "ping");
	int bad = 0;

	/* json_object_set_new returns 0 or -1 and consumes the value either way. */
	bad |= json_object_set_new(ping, "rtt_ms", jnum(s->rtt_ms));
	bad |= json_object_set_new(ping, "checked_at", jtime(s->ping_checked));
	bad |= json_object_set_new(o, "status_since", jtime(s->status_since));
	bad |= json_object_set_new(o, "uptime", juptime(s->uptime));
	bad |= json_object_set_new(o, "maintenance_seconds", juptime(s->maint_seconds));
	bad |= json_object_set_new(o, "services", jservices(s));
	bad |= json_object_set_new(o, "daily_uptime", jdaily(s));
	return bad ? -1 : 0;
}

/* The page and feed URLs of system i. */
static json_t *
jsystem_links(const struct render_ctx *c, size_t i)
{
	static const char *const leaf[] = {"index.html", "feed.atom", "feed.rss"};
	json_t *u[3];

	for (int k = 0; k < 3; k++) {
		struct strbuf sb = STRBUF_INIT;
		sb_append(&sb, "systems/");
		esc_url_segment(&sb, c->sys_slug[i]);
		sb_appendf(&sb, "/%s", leaf[k]);
		u[k] = jurl(c, sb_str(&sb));
		sb_free(&sb);
	}
	return json_pack("{s:o, s:o, s:o}", "page", u[0], "atom", u[1], "rss", u[2]);
}

static json_t *
jsystem(const struct render_ctx *c, size_t i)
{
	const struct system_view *s = &c->v->systems[i];
	enum sys_status st = sys_shown_status(s);
	json_t *o;

	o = json_pack("{s:o, s:o, s:o, s:o, s:b, s:s, s:s, s:{s:s}, s:o}", "id", jstr(s->id),
	              "name", jstr(nz(s->name) ? s->name : s->id), "location",
	              jstr(nz(s->location)), "role", jstr(nz(s->role)), "internal",
	              sys_internal(s), "status", sys_status_name(st), "status_text",
	              status_label(st), "ping", "status", ping_status_name(s->ping), "links",
	              jsystem_links(c, i));
	if (o != NULL && !sys_internal(s) && jsystem_detail(o, s) != 0) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static json_t *
jtags(const struct notice_view *n)
{
	json_t *a = json_array();

	for (size_t t = 0; a != NULL && t < n->ntags; t++)
		if (json_array_append_new(a, jstr(n->tags[t])) != 0) {
			json_decref(a);
			return NULL;
		}
	return a;
}

static json_t *
jnotice(struct render_ctx *c, size_t i)
{
	const struct notice_view *n = &c->v->notices[i];
	const struct event_group *g = &c->groups[c->notice_group[i]];
	struct strbuf html = STRBUF_INIT;
	json_t *status = json_null(), *o;

	for (size_t k = 0; g->incident && k < g->n; k++)
		if (g->idx[k] == i) {
			json_decref(status);
			status = json_string(group_status_name(g->step[k]));
		}
	if (md_to_html(&html, n->body) != 0) {
		json_decref(status);
		rctx_fail(c, "notice %lld: Markdown conversion failed", (long long)n->id);
		return NULL;
	}
	o = json_pack("{s:I, s:o, s:o, s:o, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "id",
	              (json_int_t)n->id, "incident_id",
	              n->incident_id ? json_integer(n->incident_id) : json_null(), "system_id",
	              jstr(n->system_id), "title", jstr(n->title), "kind",
	              notice_kind_name(n->kind), "status", status, "posted_at",
	              jtime(n->posted), "starts_at", jtime(n->starts), "ends_at",
	              jtime(n->ends), "tags", jtags(n), "url", jnotice_url(c, n),
	              "body_markdown", jstr(n->body ? n->body : ""), "body_html",
	              jstr(sb_str(&html)));
	sb_free(&html);
	return o;
}

/* Appends id to a unless it is there. */
static int
append_once(json_t *a, const char *id, size_t len)
{
	size_t k;
	json_t *v;

	json_array_foreach(a, k, v)
	{
		const char *s = json_string_value(v);
		if (s != NULL && strlen(s) == len && strncmp(s, id, len) == 0)
			return 0;
	}
	return json_array_append_new(a, json_stringn(id, len));
}

/* The systems a group names: each notice's own, then the others it
 * affects ("NC023,NC027" on a parent's outage). */
static json_t *
jgroup_systems(const struct render_ctx *c, const struct event_group *g)
{
	json_t *a = json_array();
	int rc = a == NULL ? -1 : 0;

	for (size_t k = 0; rc == 0 && k < g->n; k++) {
		const struct notice_view *n = &c->v->notices[g->idx[k]];
		const char *s = n->affected;
		if (n->system_id != NULL)
			rc = append_once(a, n->system_id, strlen(n->system_id));
		while (rc == 0 && s != NULL && *s != '\0') {
			size_t len = strcspn(s, ",");
			rc = append_once(a, s, len);
			s += len + (s[len] == ',');
		}
	}
	if (rc != 0) {
		json_decref(a);
		return NULL;
	}
	return a;
}

/* Upcoming and current maintenance for status.json. */
static json_t *
jmaintenance(const struct render_ctx *c)
{
	json_t *a = json_array();

	for (size_t g = 0; a != NULL && g < c->ngroups; g++) {
		const struct event_group *eg = &c->groups[g];
		const struct notice_view *first = &c->v->notices[eg->idx[0]];
		const struct notice_view *last = &c->v->notices[eg->idx[eg->n - 1]];
		if (!group_is_current_maintenance(c, eg))
			continue;
		if (json_array_append_new(a, json_pack("{s:o, s:s, s:o, s:o, s:o, s:o}",
		                                       "title", jstr(first->title), "status",
		                                       group_status_name(eg->status),
		                                       "starts_at", jtime(eg->starts),
		                                       "ends_at", jtime(eg->ends), "systems",
		                                       jgroup_systems(c, eg), "url",
		                                       jnotice_url(c, last))) != 0) {
			json_decref(a);
			return NULL;
		}
	}
	return a;
}

static int
json_status(struct render_ctx *c)
{
	const struct site_info *s = &c->v->site;
	json_t *systems = json_array(), *notices = json_array(), *root;
	const struct overall *o = &c->overall;

	for (size_t i = 0; systems != NULL && i < c->v->nsystems; i++)
		if (json_array_append_new(systems, jsystem(c, i)) != 0)
			goto fail;
	for (size_t i = 0; notices != NULL && i < c->v->nnotices && i < RENDER_JSON_NOTICES;
	     i++)
		if (json_array_append_new(notices, jnotice(c, i)) != 0)
			goto fail;
	root = json_pack("{s:i, s:s, s:o, s:{s:o, s:o, s:o, s:o, s:s}, s:{s:s, s:s, s:s},"
	                 " s:o, s:o, s:o}",
	                 "schema_version", 1, "generator", "glance " GLANCE_VERSION,
	                 "generated_at", jtime(c->v->generated), "page", "title",
	                 jstr(s->title), "name", jstr(s->name), "url", jstr(s->base_url),
	                 "description", jstr(s->description), "time_zone", "UTC", "status",
	                 "indicator", o->indicator, "description", o->description, "worst",
	                 sys_status_name(o->worst), "systems", systems, "maintenance",
	                 jmaintenance(c), "notices", notices);
	return jwrite(c, "status.json", root);
fail:
	json_decref(systems);
	json_decref(notices);
	return c->err[0] ? -1 : rctx_fail(c, "status.json: building the JSON failed");
}

/* ---- Statuspage public v2 ---- */

static json_t *
sp_page(const struct render_ctx *c)
{
	const struct site_info *s = &c->v->site;

	return json_pack("{s:s, s:o, s:o, s:s, s:o}", "id", "glance", "name",
	                 jstr(s->name    ? s->name
	                      : s->title ? s->title
	                                 : "System Status"),
	                 "url", jstr(c->base), "time_zone", "Etc/UTC", "updated_at",
	                 jtime(c->v->generated));
}

static json_t *
sp_component(const struct render_ctx *c, size_t i)
{
	const struct system_view *s = &c->v->systems[i];
	time_t t = s->status_since ? s->status_since : c->v->generated;
	time_t born = s->first_seen ? s->first_seen : t;
	struct strbuf desc = STRBUF_INIT;
	json_t *o;

	if (nz(s->role))
		sb_append(&desc, nz(s->role));
	if (nz(s->role) && nz(s->location))
		sb_append(&desc, ", ");
	if (nz(s->location))
		sb_append(&desc, nz(s->location));
	o = json_pack("{s:o, s:o, s:s, s:o, s:o, s:I, s:o, s:b, s:n, s:n, s:s, s:b, s:b}", "id",
	              jstr(s->id), "name", jstr(nz(s->name) ? s->name : s->id), "status",
	              sp_component_status(s), "created_at", jtime(born), "updated_at", jtime(t),
	              "position", (json_int_t)i + 1, "description",
	              desc.len ? jstr(sb_str(&desc)) : json_null(), "showcase", 1, "start_date",
	              "group_id", "page_id", "glance", "group", 0, "only_show_if_degraded", 0);
	sb_free(&desc);
	return o;
}

static json_t *
sp_components(const struct render_ctx *c)
{
	json_t *a = json_array();

	for (size_t i = 0; a != NULL && i < c->v->nsystems; i++)
		if (!sys_internal(&c->v->systems[i]) &&
		    json_array_append_new(a, sp_component(c, i)) != 0) {
			json_decref(a);
			return NULL;
		}
	return a;
}

/* The components of a group's public systems. */
static json_t *
sp_group_components(const struct render_ctx *c, const struct event_group *g)
{
	json_t *ids = jgroup_systems(c, g), *a = json_array(), *id;
	size_t k, si;

	json_array_foreach(ids, k, id)
	{
		const struct system_view *s = rctx_system(c, json_string_value(id), &si);
		if (s != NULL && !sys_internal(s) &&
		    json_array_append_new(a, sp_component(c, si)) != 0)
			break;
	}
	json_decref(ids);
	return a;
}

/* Statuspage's incident impact from the impacts its notices carry: a
 * major outage is "critical", a partial one "major", degraded
 * performance "minor". */
static const char *
sp_impact(const struct render_ctx *c, const struct event_group *g)
{
	static const char *const words[] = {"none", "minor", "major", "critical"};
	enum impact top = IMPACT_NONE;

	if (g->maintenance)
		return "maintenance";
	for (size_t k = 0; k < g->n; k++)
		if (c->v->notices[g->idx[k]].impact > top)
			top = c->v->notices[g->idx[k]].impact;
	return (unsigned)top < sizeof words / sizeof words[0] ? words[top] : "none";
}

static json_t *
sp_group_id(const struct event_group *g)
{
	char id[32];

	if (g->id >= 0)
		snprintf(id, sizeof id, "%lld", (long long)g->id);
	else
		snprintf(id, sizeof id, "n%lld", (long long)(-g->id - 1));
	return json_string(id);
}

/* incident_updates, newest first, as Statuspage lists them. */
static json_t *
sp_updates(const struct render_ctx *c, const struct event_group *g)
{
	json_t *a = json_array();

	for (size_t k = g->n; a != NULL && k-- > 0;) {
		const struct notice_view *n = &c->v->notices[g->idx[k]];
		if (json_array_append_new(
		            a,
		            json_pack("{s:o, s:s, s:o, s:o, s:o, s:o, s:o, s:n, s:b, s:n, s:n}",
		                      "id", json_sprintf("%lld", (long long)n->id), "status",
		                      group_status_name(g->step[k]), "body",
		                      jstr(n->body ? n->body : ""), "incident_id",
		                      sp_group_id(g), "created_at", jtime(n->posted),
		                      "updated_at", jtime(n->posted), "display_at",
		                      jtime(n->posted), "affected_components",
		                      "deliver_notifications", 1, "custom_tweet",
		                      "tweet_id")) != 0) {
			json_decref(a);
			return NULL;
		}
	}
	return a;
}

/* The first notice that moved the group to status s, or NULL. */
static const struct notice_view *
sp_first_at(const struct render_ctx *c, const struct event_group *g, enum group_status s)
{
	for (size_t k = 0; k < g->n; k++)
		if (g->step[k] == s)
			return &c->v->notices[g->idx[k]];
	return NULL;
}

/* One incident or scheduled maintenance in Statuspage's shape. */
static json_t *
sp_incident(const struct render_ctx *c, const struct event_group *g)
{
	const struct notice_view *first = &c->v->notices[g->idx[0]];
	const struct notice_view *last = &c->v->notices[g->idx[g->n - 1]];
	const struct notice_view *mon = sp_first_at(c, g, GS_MONITORING);
	const struct notice_view *res =
	        sp_first_at(c, g, g->maintenance ? GS_COMPLETED : GS_RESOLVED);
	json_t *o;

	if (res == NULL && !g->maintenance)
		res = sp_first_at(c, g, GS_POSTMORTEM);
	o = json_pack("{s:o, s:o, s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:s, s:o, s:o}", "id",
	              sp_group_id(g), "name", jstr(first->title), "status",
	              group_status_name(g->status), "impact", sp_impact(c, g), "created_at",
	              jtime(first->posted), "updated_at", jtime(last->posted), "monitoring_at",
	              jtime(mon ? mon->posted : 0), "resolved_at", jtime(res ? res->posted : 0),
	              "started_at", jtime(g->starts ? g->starts : first->posted), "shortlink",
	              jnotice_url(c, last), "page_id", "glance", "incident_updates",
	              sp_updates(c, g), "components", sp_group_components(c, g));
	if (o != NULL && g->maintenance &&
	    (json_object_set_new(o, "scheduled_for", jtime(g->starts)) != 0 ||
	     json_object_set_new(o, "scheduled_until", jtime(g->ends)) != 0)) {
		json_decref(o);
		return NULL;
	}
	return o;
}

enum sp_filter {
	SP_INCIDENTS,
	SP_UNRESOLVED,
	SP_MAINT,
	SP_UPCOMING,
	SP_ACTIVE,
	SP_CURRENT_MAINT
};

static bool
sp_match(const struct render_ctx *c, const struct event_group *g, enum sp_filter f)
{
	bool up = g->status == GS_SCHEDULED && (g->ends == 0 || g->ends > c->v->generated);
	bool act = g->status == GS_IN_PROGRESS;

	if (!g->incident)
		return false;
	switch (f) {
	case SP_INCIDENTS: return !g->maintenance;
	case SP_UNRESOLVED:
		return !g->maintenance && g->status != GS_RESOLVED &&
		       g->status != GS_POSTMORTEM;
	case SP_MAINT: return g->maintenance;
	case SP_UPCOMING: return g->maintenance && up;
	case SP_ACTIVE: return g->maintenance && act;
	case SP_CURRENT_MAINT: return g->maintenance && (up || act);
	}
	return false;
}

/* Up to 50 matching groups, most recently active first, as Statuspage. */
static json_t *
sp_list(const struct render_ctx *c, enum sp_filter f)
{
	json_t *a = json_array();
	size_t n = 0;

	for (size_t g = 0; a != NULL && g < c->ngroups && n < 50; g++) {
		if (!sp_match(c, &c->groups[g], f))
			continue;
		n++;
		if (json_array_append_new(a, sp_incident(c, &c->groups[g])) != 0) {
			json_decref(a);
			return NULL;
		}
	}
	return a;
}

static json_t *
sp_status(const struct render_ctx *c)
{
	const struct overall *o = &c->overall;

	return json_pack("{s:s, s:s}", "indicator", o->indicator, "description",
	                 o->description);
}

static int
sp_file(struct render_ctx *c, const char *path, const char *key, json_t *val)
{
	return jwrite(c, path, json_pack("{s:o, s:o}", "page", sp_page(c), key, val));
}

static int
json_statuspage(struct render_ctx *c)
{
	if (sp_file(c, "api/v2/status.json", "status", sp_status(c)) != 0 ||
	    sp_file(c, "api/v2/components.json", "components", sp_components(c)) != 0 ||
	    sp_file(c, "api/v2/incidents.json", "incidents", sp_list(c, SP_INCIDENTS)) != 0 ||
	    sp_file(c, "api/v2/incidents/unresolved.json", "incidents",
	            sp_list(c, SP_UNRESOLVED)) != 0 ||
	    sp_file(c, "api/v2/scheduled-maintenances.json", "scheduled_maintenances",
	            sp_list(c, SP_MAINT)) != 0 ||
	    sp_file(c, "api/v2/scheduled-maintenances/upcoming.json", "scheduled_maintenances",
	            sp_list(c, SP_UPCOMING)) != 0 ||
	    sp_file(c, "api/v2/scheduled-maintenances/active.json", "scheduled_maintenances",
	            sp_list(c, SP_ACTIVE)) != 0)
		return -1;
	return jwrite(c, "api/v2/summary.json",
	              json_pack("{s:o, s:o, s:o, s:o, s:o}", "page", sp_page(c), "components",
	                        sp_components(c), "incidents", sp_list(c, SP_UNRESOLVED),
	                        "scheduled_maintenances", sp_list(c, SP_CURRENT_MAINT),
	                        "status", sp_status(c)));
}

int
render_json(struct render_ctx *c)
{
	return json_status(c) != 0 || json_statuspage(c) != 0 ? -1 : 0;
}

/* A scripted history, end to end: a table of check states over four
 * hours is fed to a real store as glance's scheduler would record it
 * (every 60 s, SOFT attempts every 30 s, three attempts to HARD), a derive
 * pass runs every minute, and the site is rendered. Every notice's title,
 * text, start, end, status and incident, and every system's status,
 * "since" and uptime on the page and in the JSON are the figures worked
 * out by hand below.
 *
 * The story (times after 02:30:00 UTC, 2 September 2021):
 *   600-1020    NC036's ping fails (SOFT at 600 and 630, HARD at 660)
 *   1800-1920,  NC036's SMTP flaps twice, 180 s apart: one incident
 *   2100-2220
 *   3600-4200   GW1 (the London gateway) is down, and with it the pings of
 *               NC023 and NC027, which are reached through it
 *   5400-6600   NC036's SMTP fails; at 5500 an operator posts "Mail
 *               delayed" (identified) before the automatic notice is due
 *   7200-7800   a maintenance window on NC023 (scheduled at 6000, as
 *               `glance maintenance schedule` does: its notice opens the
 *               window's incident)
 *   7500-8400   NC023's ping fails, inside the window and after it
 *   9000-12600  no results after 9000 and before 12600: the collector
 *               was stopped
 *   all along   NC036's certificate is a WARNING (expires soon: impact none)
 */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "derive.h"
#include "render.h"
#include "feed.h"
#include "tap.h"

#define T0 1630549800 /* 2021-09-02 02:30:00 UTC */
#define T_END (T0 + 14400)
#define GAP_FROM 9000
#define GAP_TO 12600

static const char conf[] = "[site]\n"
                           "title = Status\n"
                           "base_url = https://status.example.net/\n"
                           "flap_min = 300\n"
                           "[defaults]\n"
                           "interval = 60\n"
                           "retry = 30\n"
                           "attempts = 3\n"
                           "timeout = 10\n"
                           "[system GW1]\n"
                           "name = London gateway\n"
                           "location = London, United Kingdom\n"
                           "ping = PING\n"
                           "[check GW1/PING]\n"
                           "command = check_ping\n"
                           "[system NC023]\n"
                           "name = Server NC023\n"
                           "parent = GW1\n"
                           "ping = PING\n"
                           "[check NC023/PING]\n"
                           "command = check_ping\n"
                           "[check NC023/SMTP]\n"
                           "command = check_smtp\n"
                           "[system NC027]\n"
                           "name = Server NC027\n"
                           "parent = GW1\n"
                           "ping = PING\n"
                           "[check NC027/PING]\n"
                           "command = check_ping\n"
                           "[system NC036]\n"
                           "name = Server NC036\n"
                           "ping = PING\n"
                           "[check NC036/PING]\n"
                           "command = check_ping\n"
                           "[check NC036/SMTP]\n"
                           "command = check_smtp\n"
                           "[check NC036/TLS]\n"
                           "command = /usr/lib/glance/plugins/check_tls_cert -w 30\n";

/* The script: what each check really reports over [from, to). */
static const struct {
	const char *sys, *svc;
	int from, to;
	enum gl_state state;
} script[] = {
        {"NC036", "PING", 600, 1020, GL_CRITICAL},  {"NC036", "SMTP", 1800, 1900, GL_CRITICAL},
        {"NC036", "SMTP", 2100, 2200, GL_CRITICAL}, {"GW1", "PING", 3600, 4200, GL_CRITICAL},
        {"NC023", "PING", 3600, 4200, GL_CRITICAL}, {"NC027", "PING", 3600, 4200, GL_CRITICAL},
        {"NC036", "SMTP", 5400, 6600, GL_CRITICAL}, {"NC023", "PING", 7500, 8400, GL_CRITICAL},
        {"NC036", "TLS", 0, 1 << 30, GL_WARNING},
};

static enum gl_state
script_state(const char *sys, const char *svc, int t)
{
	for (size_t i = 0; i < sizeof script / sizeof script[0]; i++)
		if (strcmp(script[i].sys, sys) == 0 && strcmp(script[i].svc, svc) == 0 &&
		    t >= script[i].from && t < script[i].to)
			return script[i].state;
	return GL_OK;
}

struct world {
	struct config cfg;
	struct store *st;
	char dir[200];
	time_t next[16]; /* per check: when it runs next */
};

/* One result of check i at t, as the scheduler records it; returns when
 * it runs next (the retry interval while a problem is SOFT). */
static time_t
feed(struct world *w, const struct cfg_check *c, time_t t)
{
	enum gl_state st = script_state(c->system, c->service, (int)(t - T0));
	bool ping = strcmp(c->service, "PING") == 0;
	struct svc_state after =
	        feed_result(w->st, c->system, c->service, st, c->attempts, t,
	                    st == GL_OK        ? "OK - fine"
	                    : st == GL_WARNING ? "TLS WARNING - expires in 20 days"
	                                       : "CRITICAL - no answer",
	                    ping && st == GL_OK ? "rta=0.5ms;100;200;0 pl=0%" : "");

	return t + softhard_next_delay(&after, c->interval, c->retry);
}

/* The operator's notice and the window, at the moment the story has them. */
static void
story_events(struct world *w, time_t t)
{
	if (t == T0 + 5520) {
		char *tags[] = {"mail server"};
		struct notice_view n = {.system_id = "NC036",
		                        .title = "NC036: Mail delayed",
		                        .kind = NOTICE_OPERATOR,
		                        .state = INC_IDENTIFIED,
		                        .impact = IMPACT_PARTIAL,
		                        .body = "Mail is queued; we are on it.",
		                        .posted = T0 + 5500,
		                        .tags = tags,
		                        .ntags = 1};
		if (store_notice_add(w->st, &n, NULL) <= 0)
			printf("# operator notice: %s\n", store_error(w->st));
	}
	if (t == T0 + 6000) {
		char *tags[] = {"maintenance"};
		struct downtime d = {.system = "NC023",
		                     .start = T0 + 7200,
		                     .end = T0 + 7800,
		                     .reason = "disks",
		                     .created = T0 + 6000};
		struct notice_view n = {.system_id = "NC023",
		                        .title = "NC023: Server maintenance",
		                        .kind = NOTICE_MAINT_SCHEDULED,
		                        .maint = MAINT_SCHEDULED,
		                        .body = "Disks.",
		                        .posted = T0 + 6000,
		                        .starts = T0 + 7200,
		                        .ends = T0 + 7800,
		                        .tags = tags,
		                        .ntags = 1};
		int64_t id = store_downtime_add(w->st, &d),
		        nid = store_notice_add(w->st, &n, NULL);
		if (id <= 0 || nid <= 0 || store_downtime_set_incident(w->st, id, nid) != 0)
			printf("# window: %s\n", store_error(w->st));
	}
}

/* The story over [from, to], in 30 s steps, a derive pass every 60 s. */
static void
simulate(struct world *w, time_t from, time_t to)
{
	char err[256];

	for (time_t t = from; t <= to; t += 30) {
		bool gap = t - T0 > GAP_FROM && t - T0 < GAP_TO;
		for (size_t i = 0; i < w->cfg.nchecks; i++) {
			if (w->next[i] > t)
				continue;
			/* the collector is stopped: the checks wait for it */
			w->next[i] = gap ? t + 30 : feed(w, &w->cfg.checks[i], t);
		}
		story_events(w, t);
		if ((t - T0) % 60 == 0 && !gap &&
		    derive_update(w->st, &w->cfg, t, err, sizeof err) != 0)
			printf("# derive_update: %s\n", err);
	}
}

/* A rendered page as text: tags dropped, blanks collapsed. */
static char *
page_text(const char *dir, const char *file)
{
	char path[512], buf[8192];
	struct strbuf sb = STRBUF_INIT;
	FILE *f;
	size_t n;
	bool tag = false, blank = false;

	snprintf(path, sizeof path, "%s/%s", dir, file);
	f = fopen(path, "r");
	while (f != NULL && (n = fread(buf, 1, sizeof buf, f)) > 0)
		for (size_t i = 0; i < n; i++) {
			char ch = buf[i];
			if (ch == '<' || ch == '>') {
				tag = ch == '<';
				ch = ' ';
			} else if (tag) {
				continue;
			}
			if (ch == ' ' || ch == '\n' || ch == '\t') {
				if (!blank)
					sb_appendc(&sb, ' ');
				blank = true;
				continue;
			}
			blank = false;
			sb_appendc(&sb, ch);
		}
	if (f != NULL)
		fclose(f);
	sb_append(&sb, "");
	return sb_detach(&sb);
}

static void
has(const char *text, const char *want, const char *name)
{
	ok(strstr(text, want) != NULL, "%s", name);
	if (strstr(text, want) == NULL)
		printf("#   wanted: %s\n", want);
}

/* Every notice the story posts, oldest first: title, posted, start and
 * end (after T0, -1 for none), state, and the title of the first notice
 * of its incident. */
static const struct {
	const char *title;
	int posted, starts, ends;
	enum incident_state state;
	const char *incident;
	const char *body;
} notices[] = {
        {"NC036: Server down", 900, 600, -1, INC_INVESTIGATING, "NC036: Server down",
         "Server NC036 has been down since 02:40 UTC. We are looking into it and will post "
         "an update here."},
        {"NC036: Server back online", 1320, 600, 1020, INC_RESOLVED, "NC036: Server down",
         "Server NC036 is back online. It was down for 7 minutes between 02:40 and 02:47 "
         "UTC."},
        /* two flaps 180 s apart: one incident, from the first failure */
        {"NC036: Service disruption", 2100, 2100, -1, INC_INVESTIGATING,
         "NC036: Service disruption",
         "Server NC036 is up, but SMTP has been failing since 03:05 UTC. We are looking into "
         "it and will post an update here."},
        {"NC036: Service restored", 2520, 1800, 2220, INC_RESOLVED, "NC036: Service disruption",
         "All services on Server NC036 are working again. They were disrupted for 7 minutes "
         "between 03:00 and 03:07 UTC."},
        /* the gateway's outage names the systems behind it; they post nothing */
        {"GW1: Server down", 3900, 3600, -1, INC_INVESTIGATING, "GW1: Server down",
         "London gateway has been down since 03:30 UTC. Server NC023 and Server NC027, "
         "reached through it, are unreachable. We are looking into it and will post an update "
         "here."},
        {"GW1: Server back online", 4500, 3600, 4200, INC_RESOLVED, "GW1: Server down",
         "London gateway is back online. It was down for 10 minutes between 03:30 and 03:40 "
         "UTC. Server NC023 and Server NC027, reached through it, were unreachable "
         "meanwhile."},
        /* the automatic notices join the operator's incident, identified */
        {"NC036: Mail delayed", 5500, -1, -1, INC_IDENTIFIED, "NC036: Mail delayed",
         "Mail is queued; we are on it."},
        {"NC036: Service disruption", 5700, 5400, -1, INC_IDENTIFIED, "NC036: Mail delayed",
         "Server NC036 is up, but SMTP has been failing since 04:00 UTC. We are looking into "
         "it and will post an update here."},
        {"NC023: Server maintenance", 6000, 7200, 7800, INC_NONE, "NC023: Server maintenance",
         "Disks."},
        {"NC036: Service restored", 6900, 5400, 6600, INC_RESOLVED, "NC036: Mail delayed",
         "All services on Server NC036 are working again. They were disrupted for 20 minutes "
         "between 04:00 and 04:20 UTC."},
        {"NC023: Maintenance underway", 7200, 7200, 7800, INC_NONE, "NC023: Server maintenance",
         "Server NC023 went down for maintenance at 04:30 UTC. It may be up and down until "
         "the window closes at 04:40 UTC."},
        {"NC023: Maintenance complete", 7800, 7200, 7800, INC_NONE, "NC023: Server maintenance",
         "The maintenance on Server NC023 began at 04:30 UTC and was completed at 04:40 UTC, "
         "after 10 minutes."},
        /* down inside the window and after it: an outage from the window's end */
        {"NC023: Server down", 8100, 7800, -1, INC_INVESTIGATING, "NC023: Server down",
         "Server NC023 has been down since 04:40 UTC. We are looking into it and will post "
         "an update here."},
        {"NC023: Server back online", 8700, 7800, 8400, INC_RESOLVED, "NC023: Server down",
         "Server NC023 is back online. It was down for 10 minutes between 04:40 and 04:50 "
         "UTC."},
};
#define NNOTICES (sizeof notices / sizeof notices[0])

static void
test_notices(struct world *w)
{
	struct notice_view *n;
	size_t count;

	store_notices(w->st, false, &n, &count, NULL);
	is_int(count, NNOTICES, "the story posts %zu notices", NNOTICES);
	for (size_t i = 0; i < count && i < NNOTICES; i++) {
		const struct notice_view *got = &n[count - 1 - i];
		const char *inc = "?";
		for (size_t j = 0; j < count; j++)
			if (n[j].id == got->incident_id)
				inc = n[j].title;
		is_str(got->title, notices[i].title, "notice %zu: title", i + 1);
		is_int(got->posted - T0, notices[i].posted, "%s: posted", notices[i].title);
		is_int(got->starts ? got->starts - T0 : -1, notices[i].starts, "%s: start",
		       notices[i].title);
		is_int(got->ends ? got->ends - T0 : -1, notices[i].ends, "%s: end",
		       notices[i].title);
		is_int(got->state, notices[i].state, "%s: state", notices[i].title);
		is_str(inc, notices[i].incident, "%s: its incident", notices[i].title);
		is_str(got->body, notices[i].body, "%s: text", notices[i].title);
	}
	for (size_t i = 0; i < count; i++)
		notice_view_free(&n[i]);
	free(n);
}

/* The plan is a function of the snapshot and the clock: planned twice
 * from one snapshot it is the same, and once the story is posted a pass
 * plans nothing new. */
static void
test_replan(struct world *w)
{
	struct derive_snapshot snap;
	struct derive_plan a, b;

	if (derive_snapshot_load(w->st, &w->cfg, T_END, &snap) != 0) {
		ok(0, "snapshot: %s", store_error(w->st));
		return;
	}
	is_int(snap.nnotices, NNOTICES, "the snapshot holds every stored notice");
	derive_plan_make(&snap, &w->cfg, T_END, &a);
	derive_plan_make(&snap, &w->cfg, T_END, &b);
	is_int(a.n, 0, "a pass after the story plans no new notice");
	is_int(b.n, a.n, "and planning again from the snapshot gives the same");
	derive_plan_free(&a);
	derive_plan_free(&b);
	snap.nnotices = 2; /* as if only the first outage's two had been posted */
	derive_plan_make(&snap, &w->cfg, T_END, &a);
	is_int(a.n, NNOTICES - 2 - 2,
	       "from a snapshot of only the first two, the rest is planned again (but the "
	       "operator's notice and the window's announcement, which people post)");
	ok(a.n > 0 && a.notices[0].posted == T0 + 3900 &&
	           strcmp(a.notices[0].title, "GW1: Server down") == 0,
	   "system by system, in config order");
	derive_plan_free(&a);
	snap.nnotices = NNOTICES;
	derive_snapshot_free(&snap);
}

/* Each system at the end: status, since, 24 h uptime as the page prints
 * it. Unknown time is the gap: from the last result (9000) gone stale
 * at 9130 (2 x 60 + 10 s) to 12600, 3470 s; 14400 - 3470 = 10930 s with
 * data.
 *   GW1, NC027: major 600 s: 1 - 600/10930 = 94.51 %
 *   NC023: major 600 + 600 s, window 600 s left out: 1 - 1200/10330 = 88.38 %
 *   NC036: major 420 s, partial 120 + 120 + 1200 s at 30 %: 1 - 852/10930
 *   = 92.20 %
 * "Since" spans the gap: the status before it is the status after it. */
static const struct {
	const char *id, *status, *since, *uptime;
	double exact;
	const char *loc, *maint; /* as the index's text shows them */
} systems[] = {
        {"GW1", "Operational", "2 September 2021 03:40:00 +0000", "94.51%", 10330.0 / 10930,
         "London, United Kingdom", " "},
        {"NC023", "Operational", "2 September 2021 04:50:00 +0000", "88.38%", 9130.0 / 10330,
         "", " maint. 10\xC2\xA0minutes "},
        {"NC027", "Operational", "2 September 2021 03:40:00 +0000", "94.51%", 10330.0 / 10930,
         "", " "},
        {"NC036", "Operational", "2 September 2021 04:20:00 +0000", "92.20%", 10078.0 / 10930,
         "", " "},
};

static void
test_view(const struct site_view *v)
{
	for (size_t i = 0; i < v->nsystems && i < 4; i++) {
		const struct system_view *s = &v->systems[i];
		ok(fabs(s->uptime[UPTIME_24H] - systems[i].exact) < 1e-9,
		   "%s: 24 h uptime %.9f", s->id, systems[i].exact);
		ok(s->ndaily == 90 && s->daily_uptime[89] == s->uptime[UPTIME_24H],
		   "%s: today's bar is the same figure", s->id);
	}
	ok(!v->stale && v->last_result == T_END - (T_END - T0) % 60,
	   "at the end the collector is reporting again");
}

static void
test_site(const char *dir)
{
	char *text = page_text(dir, "index.html");
	char buf[512];

	has(text, "\xE2\x9C\x94 All systems operational", "headline: all systems operational");
	for (size_t i = 0; i < 4; i++) {
		/* The id cell also carries the location (shown on phones); the
		 * uptime cells the maintenance time left out of each figure. */
		const char *loc = systems[i].loc, *m = systems[i].maint;
		snprintf(buf, sizeof buf, "%s %s%s\xE2\x9C\x94 %s", systems[i].id, loc,
		         *loc ? " " : "", systems[i].status);
		has(text, buf, buf);
		snprintf(buf, sizeof buf, "%s %s%s%s%s%s%s%s%s", systems[i].id,
		         systems[i].uptime, m, systems[i].uptime, m, systems[i].uptime, m,
		         systems[i].uptime, *m ? m : " ");
		has(text, buf, buf);
	}
	has(text,
	    "a major outage counts as down time, a partial outage as 30\xC2\xA0% down time,"
	    " degraded performance as up time",
	    "the uptime formula is written on the page");
	has(text,
	    "NC023: Server back online 2 September 2021 04:55:00 +0000 Resolved From 2 "
	    "September 2021 04:40:00 +0000 to 2 September 2021 04:50:00 +0000 (10 minutes)",
	    "a recovery's posted time, status, span and duration");
	has(text,
	    "NC036: Service disruption 2 September 2021 04:05:00 +0000 Identified Since 2 "
	    "September 2021 04:00:00 +0000",
	    "the automatic update joined the operator's incident, identified, not back to "
	    "investigating");
	has(text, "GW1: Server down 2 September 2021 03:35:00 +0000 Investigating",
	    "the gateway's outage");
	for (size_t i = 0; i < NNOTICES; i++)
		has(text, notices[i].body, notices[i].title);
	free(text);
	for (size_t i = 0; i < 4; i++) {
		snprintf(buf, sizeof buf, "systems/%s/index.html", systems[i].id);
		text = page_text(dir, buf);
		snprintf(buf, sizeof buf, "%s: \xE2\x9C\x94 %s", systems[i].id,
		         systems[i].status);
		has(text, buf + strlen(systems[i].id) + 2, buf);
		snprintf(buf, sizeof buf, "%s: Since %s", systems[i].id, systems[i].since);
		has(text, buf + strlen(systems[i].id) + 2, buf);
		free(text);
	}
	text = page_text(dir, "systems/NC036/index.html");
	has(text, "TLS WARNING", "the certificate reminder shows on the system's own page");
	free(text);
}

static json_t *
load(const char *dir, const char *file)
{
	char path[512];
	json_error_t e;
	json_t *j;

	snprintf(path, sizeof path, "%s/%s", dir, file);
	j = json_load_file(path, 0, &e);
	if (j == NULL)
		printf("# %s: %s\n", path, e.text);
	return j;
}

/* The incidents of api/v2/incidents.json, oldest first, one line each:
 * name, status, impact, components, number of updates. */
static char *
incidents_line(json_t *j)
{
	struct strbuf sb = STRBUF_INIT;
	json_t *a = json_object_get(j, "incidents");

	for (size_t k = json_array_size(a); k-- > 0;) {
		json_t *i = json_array_get(a, k), *c;
		size_t x;
		sb_appendf(&sb, "%s|%s|%s|", json_string_value(json_object_get(i, "name")),
		           json_string_value(json_object_get(i, "status")),
		           json_string_value(json_object_get(i, "impact")));
		json_array_foreach(json_object_get(i, "components"), x, c)
		        sb_appendf(&sb, "%s%s", x ? "," : "",
		                   json_string_value(json_object_get(c, "name")));
		sb_appendf(&sb, "|%zu\n",
		           json_array_size(json_object_get(i, "incident_updates")));
	}
	sb_append(&sb, "");
	return sb_detach(&sb);
}

static void
test_json(const char *dir)
{
	json_t *j = load(dir, "api/v2/incidents.json");
	char *got = incidents_line(j);

	is_str(got,
	       "NC036: Server down|resolved|critical|Server NC036|2\n"
	       "NC036: Service disruption|resolved|major|Server NC036|2\n"
	       "GW1: Server down|resolved|critical|London gateway,Server NC023,Server NC027|2\n"
	       "NC036: Mail delayed|resolved|major|Server NC036|3\n"
	       "NC023: Server down|resolved|critical|Server NC023|2\n",
	       "incidents: one per cause, their impacts and the systems they name");
	free(got);
	json_decref(j);
	j = load(dir, "api/v2/summary.json");
	is_str(json_string_value(json_object_get(json_object_get(j, "status"), "indicator")),
	       "none", "summary: indicator none");
	json_t *c = json_array_get(json_object_get(j, "components"), 3);
	is_str(json_string_value(json_object_get(c, "created_at")), "2021-09-02T02:30:00Z",
	       "a component was created when the system was first seen");
	is_str(json_string_value(json_object_get(c, "updated_at")), "2021-09-02T04:20:00Z",
	       "and updated at its last status change");
	json_decref(j);
	j = load(dir, "api/v2/scheduled-maintenances.json");
	is_str(json_string_value(json_object_get(
	               json_array_get(json_object_get(j, "scheduled_maintenances"), 0),
	               "status")),
	       "completed", "a window in the past is completed");
	json_decref(j);
}

/* During the gap: the page says the data is stale, not the systems down. */
static void
test_stale(struct world *w, const char *dir)
{
	struct site_view v;
	char err[256], *text;
	json_t *j;

	if (derive_view(w->st, &w->cfg, T0 + 10800, &v, err, sizeof err) != 0 ||
	    render_site(&v, dir, err, sizeof err) != 0)
		printf("# %s\n", err);
	ok(v.stale && v.last_result == T0 + 9000, "every check stale: the collector stopped");
	site_view_free(&v);
	text = page_text(dir, "index.html");
	has(text, "The data is stale since 05:00 UTC: the collector has stopped reporting.",
	    "the headline says since when the data is stale");
	has(text, "NC036 ? No data", "a system without fresh data: No data");
	free(text);
	j = load(dir, "api/v2/status.json");
	is_str(json_string_value(json_object_get(json_object_get(j, "status"), "indicator")),
	       "minor", "stale: indicator minor");
	json_decref(j);
}

static int
world_open(struct world *w)
{
	char err[256];
	const char *tmp = getenv("TMPDIR");

	snprintf(w->dir, sizeof w->dir, "%s/glance-story.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (mkdtemp(w->dir) == NULL ||
	    config_parse(conf, "t.conf", w->dir, &w->cfg, err, sizeof err) != 0 ||
	    store_open(w->cfg.site.state, false, &w->st, err, sizeof err) != 0) {
		printf("# setup: %s\n", err);
		return -1;
	}
	for (size_t i = 0; i < w->cfg.nchecks; i++)
		w->next[i] = T0;
	return 0;
}

/* rm -r of what the test wrote: the store and the site's generations. */
static void
world_close(struct world *w)
{
	char *argv[] = {"rm", "-rf", w->dir, NULL};
	pid_t pid;

	store_close(w->st);
	config_free(&w->cfg);
	if (getenv("KEEP") != NULL)
		return;
	pid = fork();
	if (pid == 0) {
		execvp("rm", argv);
		_exit(127);
	}
	if (pid > 0)
		waitpid(pid, NULL, 0);
}

int
main(void)
{
	struct world w;
	struct site_view v;
	char err[256], site[256], stale[256];

	if (world_open(&w) != 0)
		return 1;
	snprintf(site, sizeof site, "%s/site", w.dir);
	snprintf(stale, sizeof stale, "%s/stale", w.dir);
	simulate(&w, T0, T0 + 10800);
	test_stale(&w, stale);
	simulate(&w, T0 + 10830, T_END);
	test_notices(&w);
	test_replan(&w);
	if (derive_view(w.st, &w.cfg, T_END, &v, err, sizeof err) != 0 ||
	    render_site(&v, site, err, sizeof err) != 0)
		printf("# %s\n", err);
	test_view(&v);
	site_view_free(&v);
	test_site(site);
	test_json(site);
	world_close(&w);
	return done_testing();
}

/* derive through a real store: results go in every 30 seconds as the
 * scheduler would record them (soft/hard machine, store_record), a
 * derive pass runs after each, and the notices and uptime that come out
 * are checked with exact times and durations. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "derive.h"
#include "feed.h"
#include "tap.h"

#define T0 1630549800 /* 2021-09-02 02:30:00 UTC */

static const char conf[] = "[site]\n"
                           "title = Status\n"
                           "flap_min = 300\n"
                           "[defaults]\n"
                           "interval = 60\n"
                           "retry = 30\n"
                           "attempts = 2\n"
                           "[system NC036]\n"
                           "name = Server NC036\n"
                           "ping = PING\n"
                           "[check NC036/PING]\n"
                           "command = check_ping\n"
                           "[check NC036/SMTP]\n"
                           "command = check_smtp\n"
                           "[system NC040]\n"
                           "name = Server NC040\n"
                           "visibility = internal\n"
                           "ping = PING\n"
                           "[check NC040/PING]\n"
                           "command = check_ping\n";

struct world {
	struct config cfg;
	struct store *st;
	char dir[200];
	/* the state each check reports, as a function of time */
	enum gl_state (*ping36)(time_t t);
	enum gl_state (*ping40)(time_t t);
	enum gl_state (*smtp)(time_t t); /* NULL: smtp36 */
	int every; /* seconds between derive passes; 0: none while feeding */
	int step;  /* seconds between results; 0: 30 */
};

static void
feed(struct world *w, const char *sys, const char *svc, enum gl_state st, time_t t)
{
	const struct cfg_check *c = config_check(&w->cfg, sys, svc);

	feed_result(w->st, sys, svc, st, c->attempts, t,
	            st == GL_OK ? "PING OK - RTA = 0.50 ms" : "PING CRITICAL",
	            st == GL_OK ? "rta=0.5ms;100;200;0 pl=0%" : "pl=100%");
}

/* After the maintenance: SMTP WARNING for 1000 s (degraded), then
 * CRITICAL for 1000 s with the host down 400 s in the middle. */
static enum gl_state
smtp36(time_t t)
{
	time_t d = t - T0;
	if (d >= 6000 && d < 7000)
		return GL_WARNING;
	return d >= 8000 && d < 9000 ? GL_CRITICAL : GL_OK;
}

/* Results every 30 s over [from, to) and a derive pass every w->every. */
static void
simulate(struct world *w, time_t from, time_t to)
{
	char err[256];

	for (time_t t = from; t < to; t += w->step ? w->step : 30) {
		feed(w, "NC036", "PING", w->ping36(t), t);
		feed(w, "NC036", "SMTP", w->smtp ? w->smtp(t) : smtp36(t), t);
		feed(w, "NC040", "PING", w->ping40(t), t);
		if (w->every != 0 && (t - T0) % w->every == 0 &&
		    derive_update(w->st, &w->cfg, t, err, sizeof err) != 0)
			printf("# derive_update: %s\n", err);
	}
}

/* NC036: down 02:31:00-02:37:00 (HARD 02:31:30-02:37:00), two short
 * flaps from T0+1000 and T0+1200, and down inside a maintenance window;
 * NC040 (internal) down for an hour. */
static enum gl_state
ping36(time_t t)
{
	time_t d = t - T0;
	if ((d >= 60 && d < 420) || (d >= 1000 && d < 1100) || (d >= 1200 && d < 1260) ||
	    (d >= 3100 && d < 3400) || (d >= 8400 && d < 8800))
		return GL_CRITICAL;
	return GL_OK;
}

static enum gl_state
ping40(time_t t)
{
	return t - T0 >= 600 && t - T0 < 4200 ? GL_CRITICAL : GL_OK;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
notices_are(struct world *w, const char *const *want, size_t nwant, const char *name)
{
	struct notice_view *n;
	size_t count;

	store_notices(w->st, false, &n, &count, NULL);
	is_int(count, nwant, "%s: notice count", name);
	/* oldest first here, for readability */
	for (size_t i = 0; i < count && i < nwant; i++)
		is_str(n[count - 1 - i].title, want[i], "%s: notice %zu", name, i + 1);
	for (size_t i = 0; i < count; i++)
		notice_view_free(&n[i]);
	free(n);
}

static struct notice_view
notice(struct world *w, const char *key)
{
	struct notice_view n = {0};
	int64_t id = store_notice_by_key(w->st, key);
	if (id <= 0 || store_notice_get(w->st, id, &n, NULL) != 1)
		printf("# no notice with key %s\n", key);
	return n;
}

static void
test_outage(struct world *w)
{
	static const char *const one[] = {"NC036: Server down"};
	static const char *const two[] = {"NC036: Server down", "NC036: Server back online"};
	struct notice_view n;

	simulate(w, T0, T0 + 390);
	notices_are(w, NULL, 0, "down 300 s at the last pass, not yet past it: nothing yet");
	simulate(w, T0 + 390, T0 + 450);
	notices_are(w, one, 1, "the next pass posts it");
	n = notice(w, "down:NC036:1630549860");
	is_int(n.posted, T0 + 360, "posted when it had lasted flap_min: 02:31:00 + 300 s");
	is_int(n.starts, T0 + 60,
	       "outage began at the first failed check (SOFT), 02:31:00, not when it was "
	       "confirmed HARD at 02:31:30");
	is_str(n.body,
	       "Server NC036 has been down since 02:31 UTC. We are looking into it and will "
	       "post an update here.",
	       "down notice body");
	is_int(n.state, INC_INVESTIGATING, "investigating");
	notice_view_free(&n);
	simulate(w, T0 + 450, T0 + 720);
	notices_are(w, one, 1, "up 270 s: recovery not yet posted");
	simulate(w, T0 + 720, T0 + 750);
	notices_are(w, two, 2, "up 300 s: recovery posted");
	n = notice(w, "up:NC036:1630549860");
	is_str(n.body,
	       "Server NC036 is back online. It was down for 6 minutes between 02:31 and 02:37 "
	       "UTC.",
	       "exact duration: 02:31:00 (first failure) to 02:37:00 (first OK) is 6 minutes");
	ok(n.starts == T0 + 60 && n.ends == T0 + 420, "starts and ends");
	is_int(n.posted, T0 + 720, "posted when it had been up flap_min: 02:37:00 + 300 s");
	is_int(n.incident_id, store_notice_by_key(w->st, "down:NC036:1630549860"),
	       "recovery joins the down notice's incident");
	is_int(n.kind, NOTICE_RECOVERY, "kind recovery");
	notice_view_free(&n);
}

static void
test_flaps(struct world *w)
{
	static const char *const two[] = {"NC036: Server down", "NC036: Server back online"};

	simulate(w, T0 + 750, T0 + 3000);
	notices_are(w, two, 2, "two flaps within flap_min and an internal outage post nothing");
}

static void
test_maintenance(struct world *w)
{
	static const char *const four[] = {"NC036: Server down", "NC036: Server back online",
	                                   "NC036: Maintenance underway",
	                                   "NC036: Maintenance complete"};
	struct downtime d = {.system = "NC036",
	                     .start = T0 + 3000,
	                     .end = T0 + 6600,
	                     .reason = "disks",
	                     .created = T0 + 2000};
	int64_t id = store_downtime_add(w->st, &d);
	struct notice_view n;
	struct site_view v;
	char err[256];

	simulate(w, T0 + 3000, T0 + 3300);
	if (derive_view(w->st, &w->cfg, T0 + 3290, &v, err, sizeof err) != 0)
		printf("# %s\n", err);
	ok(v.nsystems > 0 && v.systems[0].status == SYS_MAINTENANCE &&
	           v.systems[0].status_since == T0 + 3000,
	   "ping down inside the window: Maintenance since its start");
	site_view_free(&v);
	store_downtime_finish(w->st, id, T0 + 4320, false);
	simulate(w, T0 + 3300, T0 + 5000);
	notices_are(w, four, 4, "no outage notice in a window; underway and complete");
	n = notice(w, "maint-complete:1");
	is_str(n.body,
	       "The maintenance on Server NC036 began at 03:20 UTC and was completed at 03:42 "
	       "UTC, after 22 minutes.",
	       "actual duration of a window ended early");
	is_int(n.maint, MAINT_COMPLETED, "maint state completed");
	notice_view_free(&n);
	n = notice(w, "maint-underway:1");
	is_int(n.posted, T0 + 3000, "underway posted when the window began");
	notice_view_free(&n);
}

static void
test_view(struct world *w)
{
	struct site_view v;
	char err[256];
	const struct system_view *s;

	if (derive_view(w->st, &w->cfg, T0 + 5000, &v, err, sizeof err) != 0) {
		printf("# %s\n", err);
		return;
	}
	s = &v.systems[0];
	is_int(s->status, SYS_OPERATIONAL, "NC036 operational");
	is_int(s->ping, PING_UP, "ping up");
	ok(s->rtt_ms == 0.5, "rtt from the rta perfdata");
	/* results come at T0 + 30k: down from the first failure to the first
	 * OK 60-420 (360 s), 1020-1110 (90 s), 1200-1260 (60 s) = 510 s;
	 * maintenance 3000-4320 (1320 s); the rest of the 5000 s is up */
	ok(fabs(s->uptime[UPTIME_24H] - (5000.0 - 1320 - 510) / (5000.0 - 1320)) < 1e-9,
	   "24h uptime = 3170/3680 (got %.6f)", s->uptime[UPTIME_24H]);
	ok(s->maint_seconds[UPTIME_24H] == 1320.0, "maintenance seconds 1320");
	ok(s->uptime[UPTIME_90D] == s->uptime[UPTIME_24H],
	   "90 d equals 24 h with 5000 s of data");
	is_int(s->ndaily, 90, "90 daily uptimes");
	ok(s->ndaily == 90 && s->daily_uptime[89] == s->uptime[UPTIME_24H],
	   "today's (all data is from today) equals the 24 h figure");
	ok(s->ndaily == 90 && isnan(s->daily_uptime[88]) && isnan(s->daily_uptime[0]),
	   "days without data are NaN, not 100%%");
	is_int(s->nservices, 1, "one public service");
	is_str(s->services[0].name, "SMTP", "SMTP listed");
	s = &v.systems[1];
	is_int(s->status, SYS_INTERNAL, "internal system shows Internal");
	is_int(s->ping, PING_UP, "internal: the Ping column's Up");
	ok(s->nservices == 0 && isnan(s->rtt_ms) && isnan(s->uptime[UPTIME_24H]) &&
	           s->daily_uptime == NULL,
	   "internal: no services, rtt or uptime");
	is_int(v.nnotices, 4, "view carries the notices");
	is_str(v.notices[0].title, "NC036: Maintenance complete", "newest first");
	site_view_free(&v);
}

static void
test_degraded(struct world *w)
{
	static const char *const six[] = {
	        "NC036: Server down",          "NC036: Server back online",
	        "NC036: Maintenance underway", "NC036: Maintenance complete",
	        "NC036: Degraded service",     "NC036: Service back to normal"};
	struct notice_view n;

	/* results on the same 30 s grid as before 02:30 + 5000 s */
	simulate(w, T0 + 5010, T0 + 6330);
	notices_are(w, six, 4,
	            "SMTP WARNING (from 04:10:00) for 300 s at the last pass: nothing yet");
	simulate(w, T0 + 6330, T0 + 7330);
	notices_are(w, six, 6, "a WARNING is degraded service, and then back to normal");
	n = notice(w, "down:NC036:1630555800");
	is_str(n.body,
	       "Server NC036 is up and its services are working, but SMTP has reported a "
	       "warning since 04:10 UTC (degraded performance). We will post an update here "
	       "if it gets worse.",
	       "degraded: no disruption, no investigating");
	ok(n.kind == NOTICE_DISRUPTION && n.state == INC_IDENTIFIED && n.posted == T0 + 6300 &&
	           n.impact == IMPACT_DEGRADED,
	   "degraded: degraded impact, identified, posted 300 s after the first WARNING");
	ok(n.ntags == 1 && strcmp(n.tags[0], "degraded performance") == 0, "degraded: tag");
	notice_view_free(&n);
	n = notice(w, "up:NC036:1630555800");
	is_str(n.body,
	       "All services on Server NC036 are working normally again. They were degraded "
	       "for 17 minutes between 04:10 and 04:27 UTC.",
	       "back to normal: how long it was degraded");
	is_int(n.posted, T0 + 7320, "posted 300 s after the WARNING ended (04:27:00)");
	notice_view_free(&n);
}

static void
test_escalation(struct world *w)
{
	static const char *const ten[] = {
	        "NC036: Server down",          "NC036: Server back online",
	        "NC036: Maintenance underway", "NC036: Maintenance complete",
	        "NC036: Degraded service",     "NC036: Service back to normal",
	        "NC036: Service disruption",   "NC036: Server down",
	        "NC036: Server back online"};
	struct notice_view n;
	int64_t first;

	simulate(w, T0 + 7350, T0 + 9700);
	notices_are(w, ten, 9, "a disruption that escalates to the host down");
	first = store_notice_by_key(w->st, "down:NC036:1630557810");
	n = notice(w, "down:NC036:1630557810");
	is_str(n.body,
	       "Server NC036 is up, but SMTP has been failing since 04:43 UTC. We are looking "
	       "into it and will post an update here.",
	       "disruption body");
	ok(n.kind == NOTICE_DISRUPTION && n.state == INC_INVESTIGATING &&
	           n.posted == T0 + 8310 && n.impact == IMPACT_PARTIAL,
	   "disruption: investigating, partial, posted 300 s after the first CRITICAL");
	notice_view_free(&n);
	n = notice(w, "hostdown:NC036:1630557810");
	is_str(n.body,
	       "Server NC036 has been down since 04:50 UTC. We are looking into it and will "
	       "post an update here.",
	       "escalation: the host's own down time");
	ok(n.kind == NOTICE_OUTAGE && n.posted == T0 + 8700 && n.incident_id == first &&
	           n.impact == IMPACT_MAJOR,
	   "escalation: a major outage in the same incident, 300 s after the ping first "
	   "failed");
	notice_view_free(&n);
	n = notice(w, "up:NC036:1630557810");
	is_str(n.body,
	       "Server NC036 is back online. It was down for 7 minutes between 04:50 and 04:57 "
	       "UTC.",
	       "its recovery gives how long the host was down");
	ok(n.starts == T0 + 8400 && n.ends == T0 + 8820 && n.posted == T0 + 9300 &&
	           n.incident_id == first,
	   "recovery: the host's down span, posted 300 s after all was good");
	notice_view_free(&n);
}

/* Every notice of a store, one line each, sorted: what a reader sees,
 * with the incident named by its first notice's time. */
static char *
all_notices(struct world *w)
{
	struct notice_view *n;
	size_t count;
	struct strbuf sb = STRBUF_INIT;
	char **lines;

	store_notices(w->st, false, &n, &count, NULL);
	lines = xcalloc(count + 1, sizeof *lines);
	for (size_t i = 0; i < count; i++) {
		time_t inc = 0;
		for (size_t j = 0; j < count; j++)
			if (n[j].id == n[i].incident_id)
				inc = n[j].posted;
		sb_appendf(&sb, "%lld %lld %lld %d %d %lld %s / %s\n", (long long)n[i].posted,
		           (long long)n[i].starts, (long long)n[i].ends, n[i].kind, n[i].state,
		           (long long)inc, n[i].title, n[i].body);
		lines[i] = sb_detach(&sb);
	}
	qsort(lines, count, sizeof *lines, cmp_str);
	for (size_t i = 0; i < count; i++) {
		sb_append(&sb, lines[i]);
		free(lines[i]);
		notice_view_free(&n[i]);
	}
	free(lines);
	free(n);
	sb_append(&sb, "");
	return sb_detach(&sb);
}

/* Every field of every system of the view at now that comes from the
 * history, as text. */
static char *
view_fields(struct world *w, time_t now)
{
	struct strbuf sb = STRBUF_INIT;
	struct site_view v;
	char err[256];

	if (derive_view(w->st, &w->cfg, now, &v, err, sizeof err) != 0) {
		printf("# %s\n", err);
		return sb_detach(&sb);
	}
	for (size_t i = 0; i < v.nsystems; i++) {
		const struct system_view *s = &v.systems[i];
		sb_appendf(&sb, "%s %s since %lld ping %s up", s->id,
		           sys_status_name(s->status), (long long)s->status_since,
		           ping_status_name(s->ping));
		for (int k = 0; k < UPTIME_NWIN; k++)
			sb_appendf(&sb, " %.12g/%.0f", s->uptime[k], s->maint_seconds[k]);
		sb_append(&sb, " days");
		for (size_t d = 0; d < s->ndaily; d++)
			sb_appendf(&sb, " %.12g", s->daily_uptime[d]);
		sb_appendc(&sb, '\n');
	}
	site_view_free(&v);
	return sb_detach(&sb);
}

/* The same history, derived at other moments, posts the same notices
 * and draws the same systems. */
static void
test_invariance(struct world *w1, struct world *w, int every)
{
	struct downtime d = {.system = "NC036",
	                     .start = T0 + 3000,
	                     .end = T0 + 6600,
	                     .reason = "disks",
	                     .created = T0 + 2000};
	char err[256];
	char *a, *b;

	w->every = every;
	store_downtime_add(w->st, &d);
	simulate(w, T0, T0 + 4320);
	store_downtime_finish(w->st, 1, T0 + 4320, false);
	simulate(w, T0 + 4320, T0 + 5000);
	simulate(w, T0 + 5010, T0 + 9700);
	if (derive_update(w->st, &w->cfg, T0 + 9670, err, sizeof err) != 0)
		printf("# derive_update: %s\n", err);
	a = all_notices(w1);
	b = all_notices(w);
	is_str(b, a, "derive passes every %d s post what passes every 30 s posted", every);
	ok(strlen(a) > 0 && strchr(a, '\n') != NULL, "and that is not nothing");
	free(a);
	free(b);
	a = view_fields(w1, T0 + 9700);
	b = view_fields(w, T0 + 9700);
	is_str(b, a, "passes every %d s: the same status, since, ping, uptime and day bars",
	       every);
	/* SMTP back to OK at T0 + 9000. Over the 9700 s: a major outage
	 * 60-420, 1020-1110, 1200-1260 and 8400-8820 = 930 s; SMTP alone
	 * CRITICAL (partial) 8010-8400 and 8820-9000 = 570 s, counting 171 s;
	 * the window 3000-4320 (1320 s) is left out: 1 - 1101/8380 */
	const char *want = "NC036 operational since 1630558800 ping up up 0.86861575179/1320 ";
	ok(strncmp(a, want, strlen(want)) == 0 && fabs(7279.0 / 8380 - 0.86861575179) < 1e-12,
	   "NC036 operational since SMTP recovered at T0 + 9000, uptime 7279/8380, 1320 s "
	   "maintenance (got %.40s)",
	   a + strlen("NC036 operational since 1630558800 ping up up "));
	free(a);
	free(b);
}

static int
world_open(struct world *w, const char *name)
{
	char err[256];
	const char *tmp = getenv("TMPDIR");

	snprintf(w->dir, sizeof w->dir, "%s/glance-%s.XXXXXX", tmp && *tmp ? tmp : "/tmp",
	         name);
	if (mkdtemp(w->dir) == NULL ||
	    config_parse(conf, "t.conf", w->dir, &w->cfg, err, sizeof err) != 0 ||
	    store_open(w->cfg.site.state, false, &w->st, err, sizeof err) != 0) {
		printf("# setup: %s\n", err);
		return -1;
	}
	return 0;
}

static void
world_close(struct world *w)
{
	char path[256];

	store_close(w->st);
	for (const char *sfx = ""; sfx != NULL; sfx = *sfx == '\0'                   ? "-wal"
	                                              : *sfx == '-' && sfx[1] == 'w' ? "-shm"
	                                                                             : NULL) {
		snprintf(path, sizeof path, "%s%s", w->cfg.site.state, sfx);
		if (getenv("KEEP") == NULL)
			unlink(path);
	}
	if (getenv("KEEP") == NULL)
		rmdir(w->dir);
	config_free(&w->cfg);
}

/* SMTP CRITICAL from 02:31 to 02:45; the host down 02:35-02:37 only. */
static enum gl_state
smtp_long(time_t t)
{
	return t - T0 >= 60 && t - T0 < 900 ? GL_CRITICAL : GL_OK;
}

static enum gl_state
ping_short(time_t t)
{
	return t - T0 >= 300 && t - T0 < 450 ? GL_CRITICAL : GL_OK;
}

/* The host down when the first notice is due, but not for flap_min. */
static void
test_down_at_due(struct world *every, struct world *once)
{
	char err[256], *a, *b;
	struct notice_view n;

	/* a window scheduled at 02:53:30 to have begun at 02:33:20 */
	struct downtime late = {.system = "NC036",
	                        .start = T0 + 200,
	                        .end = T0 + 1600,
	                        .reason = "late",
	                        .created = T0 + 1410};

	simulate(every, T0, T0 + 1410);
	store_downtime_add(every->st, &late);
	simulate(every, T0 + 1410, T0 + 1500);
	store_downtime_add(once->st, &late);
	simulate(once, T0, T0 + 1500);
	if (derive_update(once->st, &once->cfg, T0 + 1470, err, sizeof err) != 0)
		printf("# derive_update: %s\n", err);
	a = all_notices(every);
	b = all_notices(once);
	is_str(b, a,
	       "down at the due time, and a window scheduled late over it: a single pass "
	       "posts what passes every 30 s posted");
	free(a);
	free(b);
	n = notice(once, "maint-underway:1");
	is_int(n.posted, T0 + 1410, "underway dated when the late window was scheduled");
	notice_view_free(&n);
	n = notice(every, "down:NC036:1630549860");
	ok(n.kind == NOTICE_OUTAGE && n.posted == T0 + 360 && n.starts == T0 + 300,
	   "Server down, since the ping's first failure, dated flap_min after SMTP's");
	notice_view_free(&n);
	n = notice(every, "up:NC036:1630549860");
	is_str(n.body,
	       "Server NC036 is back online. It was down for 2 minutes between 02:35 and 02:37 "
	       "UTC.",
	       "its recovery: how long the host was down");
	notice_view_free(&n);
}

/* Down 10 minutes, up 10 minutes, 300 times. */
static enum gl_state
ping_flaps(time_t t)
{
	return (t - T0) % 1200 < 600 ? GL_CRITICAL : GL_OK;
}

/* More incidents than any fixed table would hold, in one pass. */
static void
test_many(struct world *w)
{
	char err[256];
	struct notice_view n;

	simulate(w, T0, T0 + 300 * 1200);
	if (derive_update(w->st, &w->cfg, T0 + 300 * 1200, err, sizeof err) != 0)
		printf("# derive_update: %s\n", err);
	is_int(store_notice_by_key(w->st, "up:NC036:1630908600") > 0, 1,
	       "the 300th outage's recovery is posted");
	n = notice(w, "up:NC036:1630908600");
	is_str(n.body,
	       "Server NC036 is back online. It was down for 10 minutes between 06:10 and "
	       "06:20 "
	       "UTC.",
	       "and says how long the host was down");
	notice_view_free(&n);
	n = notice(w, "down:NC036:1630908600");
	is_int(n.posted, 1630908600 + 300, "the 300th outage's first notice");
	notice_view_free(&n);
}

/* The view of NC036 at now. */
static struct system_view *
nc036_at(struct world *w, time_t now, struct site_view *v)
{
	char err[256];

	if (derive_view(w->st, &w->cfg, now, v, err, sizeof err) != 0) {
		printf("# %s\n", err);
		memset(v, 0, sizeof *v);
		return NULL;
	}
	return &v->systems[0];
}

/* A ping that stops reporting while SMTP goes on: after 2 x 60 + 10 s
 * the system is Unknown, and that time counts neither up nor down. */
static void
test_stale(struct world *w)
{
	struct site_view v;
	struct system_view *s;
	char err[256];

	s = nc036_at(w, T0, &v);
	ok(s && s->status == SYS_UNKNOWN && s->status_since == 0,
	   "never checked: no data, and no start claimed for it");
	site_view_free(&v);
	/* ping CRITICAL 600-900 (SOFT at 600, HARD at 630), last at 1170 */
	for (time_t t = T0; t < T0 + 1200; t += 30)
		feed(w, "NC036", "PING", t - T0 >= 600 && t - T0 < 900 ? GL_CRITICAL : GL_OK,
		     t);
	for (time_t t = T0; t < T0 + 3000; t += 30)
		feed(w, "NC036", "SMTP", GL_OK, t);
	s = nc036_at(w, T0 + 1299, &v);
	ok(s && s->status == SYS_OPERATIONAL && s->status_since == T0 + 900 &&
	           s->ping == PING_UP,
	   "129 s after the last ping result: still fresh, operational since 900");
	site_view_free(&v);
	s = nc036_at(w, T0 + 1300, &v);
	ok(s && s->status == SYS_UNKNOWN && s->status_since == T0 + 1300 &&
	           s->ping == PING_UNKNOWN,
	   "130 s after it (2 x interval + timeout): Unknown since then, ping unknown");
	site_view_free(&v);
	s = nc036_at(w, T0 + 3000, &v);
	ok(s && s->status == SYS_UNKNOWN && s->status_since == T0 + 1300,
	   "SMTP still reporting does not make it known: the ping decides");
	/* up 0-600 and 900-1300, down 600-900, no data after */
	ok(s && fabs(s->uptime[UPTIME_24H] - 1000.0 / 1300) < 1e-12 &&
	           s->maint_seconds[UPTIME_24H] == 0,
	   "uptime 1000/1300: the stale 1700 s are no data (got %.9f)",
	   s ? s->uptime[UPTIME_24H] : 0);
	ok(s && s->ndaily == 90 && s->daily_uptime[89] == s->uptime[UPTIME_24H],
	   "today's bar says the same");
	site_view_free(&v);
	s = nc036_at(w, T0 + 4900, &v);
	ok(s && fabs(s->uptime[UPTIME_24H] - 1000.0 / 1300) < 1e-12,
	   "more silence changes nothing");
	site_view_free(&v);
	for (time_t t = T0 + 5000; t < T0 + 5300; t += 30) {
		feed(w, "NC036", "PING", GL_OK, t);
		feed(w, "NC036", "SMTP", GL_OK, t);
	}
	s = nc036_at(w, T0 + 5290, &v);
	ok(s && s->status == SYS_OPERATIONAL && s->status_since == T0 + 900 &&
	           fabs(s->uptime[UPTIME_24H] - 1290.0 / 1590) < 1e-12,
	   "results again: operational since 900, as before the gap; uptime 1290/1590");
	site_view_free(&v);
	if (derive_update(w->st, &w->cfg, T0 + 5290, err, sizeof err) != 0)
		printf("# derive_update: %s\n", err);
	notices_are(w, NULL, 0, "a check going silent posts nothing");
}

int
main(void)
{
	struct world w = {.ping36 = ping36, .ping40 = ping40, .every = 30};
	struct world once = {.ping36 = ping36, .ping40 = ping40};
	struct world odd = {.ping36 = ping36, .ping40 = ping40};
	struct world m1 = {
	        .ping36 = ping_short, .ping40 = ping40, .smtp = smtp_long, .every = 30};
	struct world m2 = {.ping36 = ping_short, .ping40 = ping40, .smtp = smtp_long};
	struct world many = {.ping36 = ping_flaps, .ping40 = ping40, .step = 120};
	struct world stale = {0};

	if (world_open(&w, "derive") != 0 || world_open(&once, "once") != 0 ||
	    world_open(&odd, "odd") != 0 || world_open(&m1, "m1") != 0 ||
	    world_open(&m2, "m2") != 0 || world_open(&many, "many") != 0 ||
	    world_open(&stale, "stale") != 0)
		return 1;
	test_outage(&w);
	test_flaps(&w);
	test_maintenance(&w);
	test_view(&w);
	test_degraded(&w);
	test_escalation(&w);
	test_invariance(&w, &once, 0);
	test_invariance(&w, &odd, 420);
	world_close(&w);
	world_close(&once);
	test_down_at_due(&m1, &m2);
	world_close(&odd);
	world_close(&m1);
	world_close(&m2);
	test_many(&many);
	world_close(&many);
	test_stale(&stale);
	world_close(&stale);
	return done_testing();
}

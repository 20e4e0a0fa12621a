/* derive through a real store: results go in every 30 seconds as the
 * scheduler would record them (soft/hard machine, store_record), a
 * derive pass runs after each, and the notices and uptime that come out
 * are checked with exact times and durations. */
#include <math.h>
#include <stdlib.h>
#include <unistd.h>

#include "derive.h"
#include "softhard.h"
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
};

static void
feed(struct world *w, const char *sys, const char *svc, enum gl_state st, time_t t)
{
	struct svc_row row;
	const struct cfg_check *c = config_check(&w->cfg, sys, svc);

	store_get_service(w->st, sys, svc, &row);
	softhard_apply(&row.st, st, c->attempts, t);
	struct gl_result r = {.system = sys,
	                      .service = svc,
	                      .state = st,
	                      .hard = row.st.hard,
	                      .attempt = row.st.attempt,
	                      .output =
	                              st == GL_OK ? "PING OK - RTA = 0.50 ms" : "PING CRITICAL",
	                      .long_output = "",
	                      .perfdata = st == GL_OK ? "rta=0.5ms;100;200;0 pl=0%" : "pl=100%",
	                      .t = t};
	if (store_record(w->st, &r) < 0)
		printf("# store_record: %s\n", store_error(w->st));
	svc_row_free(&row);
}

/* Results and a derive pass every 30 s over [from, to). */
static void
simulate(struct world *w, time_t from, time_t to)
{
	char err[256];

	for (time_t t = from; t < to; t += 30) {
		feed(w, "NC036", "PING", w->ping36(t), t);
		feed(w, "NC036", "SMTP", GL_OK, t);
		feed(w, "NC040", "PING", w->ping40(t), t);
		if (derive_update(w->st, &w->cfg, t, err, sizeof err) != 0)
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
	    (d >= 3100 && d < 3400))
		return GL_CRITICAL;
	return GL_OK;
}

static enum gl_state
ping40(time_t t)
{
	return t - T0 >= 600 && t - T0 < 4200 ? GL_CRITICAL : GL_OK;
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
		notice_free(&n[i]);
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
	notices_are(w, NULL, 0, "down 270 s, flap_min 300: nothing yet");
	simulate(w, T0 + 390, T0 + 420);
	notices_are(w, one, 1, "down 300 s");
	n = notice(w, "down:NC036:1630549890");
	is_int(n.posted, T0 + 390, "posted by the pass that saw 300 s");
	is_int(n.starts, T0 + 90, "outage began at the HARD change, 02:31:30");
	is_str(n.body,
	       "Server NC036 has been down since 02:31 UTC. We are looking into it and will "
	       "post an update here.",
	       "down notice body");
	is_int(n.state, INC_INVESTIGATING, "investigating");
	notice_free(&n);
	simulate(w, T0 + 420, T0 + 720);
	notices_are(w, one, 1, "up 270 s: recovery not yet posted");
	simulate(w, T0 + 720, T0 + 750);
	notices_are(w, two, 2, "up 300 s: recovery posted");
	n = notice(w, "up:NC036:1630549890");
	is_str(n.body,
	       "Server NC036 is back online. It was down for 5 minutes between 02:31 and 02:37 "
	       "UTC.",
	       "exact duration: 02:31:30 to 02:37:00 is 5 minutes 30 s");
	ok(n.starts == T0 + 90 && n.ends == T0 + 420, "starts and ends");
	is_int(n.incident_id, store_notice_by_key(w->st, "down:NC036:1630549890"),
	       "recovery joins the down notice's incident");
	is_int(n.kind, NOTICE_RECOVERY, "kind recovery");
	notice_free(&n);
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
	struct interval cur;

	simulate(w, T0 + 3000, T0 + 3300);
	store_sys_current(w->st, "NC036", &cur);
	ok(cur.status == SYS_MAINTENANCE && cur.start == T0 + 3000,
	   "ping down inside the window: Maintenance since its start");
	store_downtime_finish(w->st, id, T0 + 4320, false);
	simulate(w, T0 + 3300, T0 + 5000);
	notices_are(w, four, 4, "no outage notice in a window; underway and complete");
	n = notice(w, "maint-complete:1");
	is_str(n.body,
	       "The maintenance on Server NC036 began at 03:20 UTC and was completed at 03:42 "
	       "UTC, after 22 minutes.",
	       "actual duration of a window ended early");
	is_int(n.maint, MAINT_COMPLETED, "maint state completed");
	notice_free(&n);
	n = notice(w, "maint-underway:1");
	is_int(n.posted, T0 + 3000, "underway posted when the window began");
	notice_free(&n);
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
	/* results come at T0 + 30k: down (HARD) 90-420 (330 s), 1050-1110
	 * (60 s), 1230-1260 (30 s) = 420 s; maintenance 3000-4320 (1320 s);
	 * the rest of the 5000 s is up */
	ok(fabs(s->uptime[UPTIME_24H] - (5000.0 - 1320 - 420) / (5000.0 - 1320)) < 1e-9,
	   "24h uptime = 3260/3680 (got %.6f)", s->uptime[UPTIME_24H]);
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

int
main(void)
{
	struct world w = {.ping36 = ping36, .ping40 = ping40};
	char err[256], path[256];
	const char *tmp = getenv("TMPDIR");

	snprintf(w.dir, sizeof w.dir, "%s/glance-derive.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (mkdtemp(w.dir) == NULL ||
	    config_parse(conf, "t.conf", w.dir, &w.cfg, err, sizeof err) != 0 ||
	    store_open(w.cfg.site.state, false, &w.st, err, sizeof err) != 0) {
		printf("# setup: %s\n", err);
		return 1;
	}
	test_outage(&w);
	test_flaps(&w);
	test_maintenance(&w);
	test_view(&w);
	store_close(w.st);
	for (const char *sfx = ""; sfx != NULL; sfx = *sfx == '\0'                   ? "-wal"
	                                              : *sfx == '-' && sfx[1] == 'w' ? "-shm"
	                                                                             : NULL) {
		snprintf(path, sizeof path, "%s%s", w.cfg.site.state, sfx);
		if (getenv("KEEP") == NULL)
			unlink(path);
	}
	if (getenv("KEEP") == NULL)
		rmdir(w.dir);
	config_free(&w.cfg);
	return done_testing();
}

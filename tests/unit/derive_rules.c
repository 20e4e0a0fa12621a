/* derive's rules without a store: the Nagios soft/hard state machine,
 * system status, outage episodes and flap coalescing, uptime arithmetic,
 * duration texts and the rta parser. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "derive.h"
#include "softhard.h"
#include "tap.h"

#define T0 1630549800 /* 2021-09-02 02:30:00 UTC */

/* Feeds states one per minute; returns a string of what each did:
 * S = soft, H = hard, and '!' after a HARD state change. */
static void
seq_is(const char *states, int max, const char *want, const char *name)
{
	struct svc_state s = {0};
	char got[64] = "";
	size_t k = 0;

	for (size_t i = 0; states[i] != '\0' && k + 3 < sizeof got; i++) {
		enum gl_state st = states[i] == 'O'   ? GL_OK
		                   : states[i] == 'W' ? GL_WARNING
		                   : states[i] == 'C' ? GL_CRITICAL
		                                      : GL_UNKNOWN;
		bool changed = softhard_apply(&s, st, max, T0 + 60 * (time_t)i);
		got[k++] = s.hard ? 'H' : 'S';
		if (changed)
			got[k++] = '!';
	}
	got[k] = '\0';
	is_str(got, want, "%s", name);
}

static void
test_softhard(void)
{
	struct svc_state s = {0};

	seq_is("OOO", 3, "H!HH", "first OK is the first HARD state, then nothing changes");
	seq_is("OCCCC", 3, "H!SSH!H", "a problem is SOFT for attempts 1-2, HARD at 3");
	seq_is("OCCOCC", 3, "H!SSHSS", "a soft recovery resets the attempts, no HARD change");
	seq_is("OCCCWO", 3, "H!SSH!H!H!",
	       "HARD CRITICAL to WARNING is a HARD change at once; OK recovers at once");
	seq_is("OCWC", 3, "H!SSH!", "SOFT WARNING and CRITICAL count as one problem");
	seq_is("OC", 1, "H!H!", "max_attempts 1: HARD at once");
	seq_is("C", 3, "S", "a first problem result is SOFT: no HARD state yet");
	seq_is("CCC", 3, "SSH!", "the first HARD state may be a problem");
	seq_is("OUUU", 3, "H!SSH!", "UNKNOWN follows the same rule");

	softhard_apply(&s, GL_OK, 3, T0);
	softhard_apply(&s, GL_CRITICAL, 3, T0 + 60);
	is_int(s.attempt, 1, "attempt 1 after the first problem result");
	is_int(softhard_next_delay(&s, 300, 30), 30, "SOFT problem: retry interval");
	softhard_apply(&s, GL_CRITICAL, 3, T0 + 90);
	softhard_apply(&s, GL_CRITICAL, 3, T0 + 120);
	is_int(s.attempt, 3, "attempt 3 when HARD");
	is_int(s.hard_since, T0 + 120, "hard_since is the third attempt's time");
	is_int(softhard_next_delay(&s, 300, 30), 300, "HARD problem: normal interval");
	softhard_apply(&s, GL_CRITICAL, 3, T0 + 420);
	is_int(s.attempt, 3, "attempt stays at max while HARD");
	is_int(s.hard_since, T0 + 120, "no change, hard_since kept");
}

#define IV(st, a, b)                                                                           \
	{                                                                                      \
		(int)(st), T0 + (a), (b) ? T0 + (b) : 0                                        \
	}

/* A check's history with the default impacts of a ping check and of
 * another service. */
#define PING(iv, n, st, ns)                                                                    \
	(struct check_hist)                                                                    \
	{                                                                                      \
		iv, n, st, ns, IMPACT_DEGRADED, IMPACT_MAJOR                                   \
	}
#define SVC(iv, n, st, ns)                                                                     \
	(struct check_hist)                                                                    \
	{                                                                                      \
		iv, n, st, ns, IMPACT_DEGRADED, IMPACT_PARTIAL                                 \
	}

/* The status now and since when, from a status timeline of in. */
static int
status_now(const struct timeline_input *in, time_t now, time_t *since)
{
	struct interval *tl;
	size_t n = derive_status_timeline(in, now, &tl);
	int st = n ? tl[n - 1].status : -1;

	*since = n ? tl[n - 1].start : 0;
	free(tl);
	return st;
}

static void
test_status(void)
{
	time_t now = T0 + 1000, since;
	struct interval up[] = {IV(GL_OK, 0, 0)},
	                down[] = {IV(GL_OK, 0, 500), IV(GL_CRITICAL, 500, 0)},
	                s0[] = {IV(GL_OK, 100, 0)}, s1[] = {IV(GL_CRITICAL, 700, 0)},
	                win[] = {IV(0, 400, 2000)}, stale_p[] = {IV(0, 925, 0)},
	                stale0[] = {IV(0, 825, 0)}, gap[] = {IV(0, 300, 400)};
	struct check_hist ping = PING(up, 1, NULL, 0);
	struct check_hist svcs[2] = {SVC(s0, 1, NULL, 0), SVC(s1, 1, NULL, 0)};
	struct timeline_input in = {.ping = &ping, .svcs = svcs, .nsvcs = 1};

	is_int(status_now(&in, now, &since), SYS_OPERATIONAL, "all OK: operational");
	is_int(since, T0, "since the ping's first OK: the status began then");
	in.nsvcs = 2;
	is_int(status_now(&in, now, &since), SYS_PARTIAL,
	       "a service CRITICAL, host up: partial outage");
	is_int(since, T0 + 700, "partial outage since the service's problem began");
	svcs[1].critical = IMPACT_MAJOR;
	is_int(status_now(&in, now, &since), SYS_MAJOR,
	       "a service whose CRITICAL is configured major: major outage");
	svcs[1].critical = IMPACT_NONE;
	is_int(status_now(&in, now, &since), SYS_OPERATIONAL, "impact none: operational");
	svcs[1].critical = IMPACT_PARTIAL;
	s1[0].status = GL_WARNING;
	is_int(status_now(&in, now, &since), SYS_DEGRADED,
	       "a service WARNING: degraded performance");
	svcs[1].warning = IMPACT_NONE;
	is_int(status_now(&in, now, &since), SYS_OPERATIONAL,
	       "a WARNING of impact none (a certificate reminder): operational");
	svcs[1].warning = IMPACT_DEGRADED;
	s1[0].status = GL_UNKNOWN;
	is_int(status_now(&in, now, &since), SYS_OPERATIONAL,
	       "a service UNKNOWN does not degrade");
	is_int(since, T0, "and leaves no trace in since");
	ping.iv = down;
	ping.n = 2;
	is_int(status_now(&in, now, &since), SYS_MAJOR, "ping CRITICAL: major outage");
	is_int(since, T0 + 500, "major outage since the ping's problem began");
	in.maint = win;
	in.nmaint = 1;
	is_int(status_now(&in, now, &since), SYS_MAINTENANCE, "a window beats an outage");
	is_int(since, T0 + 400, "maintenance since the window start");
	is_int(status_now(&in, T0 + 2500, &since), SYS_MAJOR, "after the window: major outage");
	is_int(since, T0 + 2000, "again since the window ended");
	in.nmaint = 0;
	down[1].status = GL_UNKNOWN;
	is_int(status_now(&in, now, &since), SYS_UNKNOWN, "ping UNKNOWN: unknown, not outage");
	ping = PING(up, 1, stale_p, 1);
	is_int(status_now(&in, now, &since), SYS_UNKNOWN, "stale ping: unknown");
	is_int(since, T0 + 925, "unknown since the last result went stale");
	is_int(status_now(&in, T0 + 924, &since), SYS_OPERATIONAL,
	       "one second before: still operational");
	in.ping = NULL;
	is_int(status_now(&in, now, &since), SYS_OPERATIONAL, "no ping: services decide");
	svcs[0].stale = stale0;
	svcs[0].nstale = 1;
	svcs[1].stale = stale_p;
	svcs[1].nstale = 1;
	is_int(status_now(&in, now, &since), SYS_UNKNOWN, "no ping, services stale: unknown");
	is_int(since, T0 + 925, "since the freshest result went stale");
	in.nsvcs = 0;
	is_int(status_now(&in, now, &since), -1, "no check at all: no timeline");
	in.ping = &ping;
	ping = PING(up, 1, gap, 1);
	struct interval *tl;
	size_t n = derive_status_timeline(&in, now, &tl);
	ok(n == 3 && tl[0].status == SYS_OPERATIONAL && tl[1].status == SYS_UNKNOWN &&
	           tl[1].start == T0 + 300 && tl[1].end == T0 + 400 &&
	           tl[2].status == SYS_OPERATIONAL && tl[2].start == T0 + 400 && tl[2].end == 0,
	   "a gap in the results: unknown from stale to the next result");
	is_int(derive_since(tl, n), T0,
	       "since: the same status before and after the gap keeps its start");
	tl[0].status = SYS_DEGRADED;
	is_int(derive_since(tl, n), T0 + 400, "a different status before the gap: not");
	is_int(derive_since(NULL, 0), 0, "no timeline: no start known");
	free(tl);
}

static void
test_episodes(void)
{
	struct episode e[8];
	/* down 02:31-02:37, then up for good */
	struct interval one[] = {IV(LVL_GOOD, 0, 60), IV(LVL_MAJOR, 60, 420),
	                         IV(LVL_GOOD, 420, 0)};
	/* three flaps of 1 min with 2 min up between: one episode */
	struct interval flaps[] = {IV(LVL_GOOD, 0, 60),    IV(LVL_MAJOR, 60, 120),
	                           IV(LVL_GOOD, 120, 240), IV(LVL_MAJOR, 240, 300),
	                           IV(LVL_GOOD, 300, 420), IV(LVL_DEGRADED, 420, 480),
	                           IV(LVL_GOOD, 480, 0)};
	size_t n;

	n = derive_episodes(one, 3, LVL_DEGRADED, 300, T0 + 600, e, 8);
	is_int(n, 1, "one outage, one episode");
	ok(e[0].closes == 0, "up for 180 s < flap_min: recovery not yet due");
	is_int(e[0].due, T0 + 360, "its first notice is due flap_min after it began");
	n = derive_episodes(one, 3, LVL_DEGRADED, 300, T0 + 720, e, 8);
	is_int(e[0].closes, T0 + 720, "recovery due flap_min after the first good second");
	is_int(e[0].start, T0 + 60, "episode start");
	is_int(e[0].end, T0 + 420, "episode end");
	n = derive_episodes(one, 3, LVL_DEGRADED, 300, T0 + 1e6, e, 8);
	ok(e[0].due == T0 + 360 && e[0].closes == T0 + 720,
	   "due and closes do not depend on when they are read");
	struct interval open[] = {IV(LVL_GOOD, 0, 60), IV(LVL_MAJOR, 60, 0)};
	n = derive_episodes(open, 2, LVL_MAJOR, 300, T0 + 200, e, 8);
	ok(n == 1 && e[0].end == 0 && e[0].closes == 0 && e[0].due == 0,
	   "down 140 s at 02:33:20: open, no notice due");
	n = derive_episodes(open, 2, LVL_MAJOR, 300, T0 + 360, e, 8);
	is_int(e[0].due, 0, "down 300 s: a result in this second could still end it");
	n = derive_episodes(open, 2, LVL_MAJOR, 300, T0 + 361, e, 8);
	is_int(e[0].due, T0 + 360, "a second later: due, dated at 300 s");
	struct interval back[] = {IV(LVL_MAJOR, 0, 100), IV(LVL_GOOD, 100, 350),
	                          IV(LVL_MAJOR, 350, 0)};
	n = derive_episodes(back, 3, LVL_MAJOR, 300, T0 + 350, e, 8);
	is_int(e[0].due, T0 + 350, "bad again after 300 s: due in the very second it fell");

	n = derive_episodes(flaps, 7, LVL_DEGRADED, 300, T0 + 900, e, 8);
	is_int(n, 1, "flaps closer than flap_min coalesce into one episode");
	is_int(e[0].end - e[0].start, 420, "the episode spans first fall to last problem");
	is_int(e[0].due, T0 + 420,
	       "due at the first bad second 300 s after the start (in the "
	       "WARNING, not in the gap before it)");
	n = derive_episodes(flaps, 7, LVL_MAJOR, 300, T0 + 900, e, 8);
	ok(n == 1 && e[0].end == T0 + 300 && e[0].due == 0 && e[0].closes == T0 + 600,
	   "at level DOWN: the WARNING is good time; down 240 s in all, never due");
	n = derive_episodes(flaps, 7, LVL_DEGRADED, 60, T0 + 900, e, 8);
	is_int(n, 3, "with flap_min 60 they are three episodes");
	ok(e[0].due == 0 && e[2].due == 0, "none lasted 60 s past its start: no notice due");
	struct interval gap[] = {IV(LVL_MAJOR, 0, 100), IV(LVL_UNKNOWN, 100, 1000),
	                         IV(LVL_MAJOR, 1000, 1100), IV(LVL_GOOD, 1100, 0)};
	n = derive_episodes(gap, 4, LVL_DEGRADED, 300, T0 + 1500, e, 8);
	is_int(n, 1, "unknown time neither ends nor splits an episode");
	is_int(e[0].due, T0 + 1000, "due when the problem is seen again after the unknown");
	struct interval broken[] = {IV(LVL_MAJOR, 0, 100), IV(LVL_GOOD, 100, 250),
	                            IV(LVL_UNKNOWN, 250, 260), IV(LVL_GOOD, 260, 0)};
	n = derive_episodes(broken, 4, LVL_DEGRADED, 300, T0 + 410, e, 8);
	ok(n == 1 && e[0].closes == 0, "unknown time restarts the count of good time");
}

static void
test_timeline(void)
{
	struct interval ping[] = {IV(GL_OK, 0, 100), IV(GL_CRITICAL, 100, 400),
	                          IV(GL_OK, 400, 0)};
	struct interval smtp[] = {IV(GL_OK, 10, 50), IV(GL_WARNING, 50, 200),
	                          IV(GL_CRITICAL, 200, 500), IV(GL_UNKNOWN, 500, 0)};
	struct interval win[] = {IV(0, 300, 350), IV(0, 2000, 3000)};
	/* a stale span: it plays no part in the levels */
	struct interval stale[] = {IV(0, 600, 700)};
	struct check_hist p = PING(ping, 3, stale, 1), s = SVC(smtp, 4, NULL, 0);
	struct timeline_input in = {
	        .ping = &p, .svcs = &s, .nsvcs = 1, .maint = win, .nmaint = 2};
	struct interval *tl;
	size_t n = derive_timeline(&in, T0 + 1000, &tl);
	static const int want[][2] = {{LVL_GOOD, 0},   {LVL_DEGRADED, 50}, {LVL_MAJOR, 100},
	                              {LVL_GOOD, 300}, {LVL_MAJOR, 350},   {LVL_PARTIAL, 400},
	                              {LVL_GOOD, 500}};
	char got[128] = "", exp[128] = "";

	for (size_t i = 0; i < n; i++)
		snprintf(got + strlen(got), sizeof got - strlen(got), "%d@%lld%s", tl[i].status,
		         (long long)(tl[i].start - T0), tl[i].end ? "," : ".");
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
		snprintf(exp + strlen(exp), sizeof exp - strlen(exp), "%d@%d%s", want[i][0],
		         want[i][1], i + 1 < sizeof want / sizeof want[0] ? "," : ".");
	is_str(got, exp,
	       "levels: ping CRITICAL is DOWN, a window is GOOD, service WARNING and CRITICAL, "
	       "UNKNOWN counts as OK; a window after now is left out; staleness is no level");
	is_int(derive_level_at(tl, n, T0 + 450), LVL_PARTIAL, "level at 450");
	is_int(derive_level_at(tl, n, T0 - 1), LVL_UNKNOWN, "before any result: unknown");
	free(tl);
	struct check_hist late = PING(ping + 1, 2, NULL, 0);
	in.ping = &late;
	in.nmaint = 0;
	n = derive_timeline(&in, T0 + 1000, &tl);
	ok(n > 1 && tl[0].status == LVL_UNKNOWN && tl[0].start == T0 + 10 &&
	           tl[1].status == LVL_MAJOR && tl[1].start == T0 + 100,
	   "no ping result yet: unknown whatever the services say");
	free(tl);
	/* the parent's ping down 600-800: the child is unreachable, not down */
	struct interval pp[] = {IV(GL_OK, 0, 600), IV(GL_CRITICAL, 600, 800),
	                        IV(GL_OK, 800, 0)};
	struct interval cp[] = {IV(GL_OK, 0, 610), IV(GL_CRITICAL, 610, 790),
	                        IV(GL_OK, 790, 0)};
	struct check_hist par = PING(pp, 3, NULL, 0), child = PING(cp, 3, NULL, 0);
	struct timeline_input cin = {.ping = &child, .parent_ping = &par};
	n = derive_timeline(&cin, T0 + 1000, &tl);
	ok(n == 3 && tl[0].status == LVL_GOOD && tl[1].status == LVL_UNKNOWN &&
	           tl[1].start == T0 + 600 && tl[1].end == T0 + 800 && tl[2].status == LVL_GOOD,
	   "a child whose parent is down is unreachable (unknown), not down of its own");
	free(tl);
	is_int(derive_state_at(&s, T0 + 5), -1, "a check before its first result: -1");
	is_int(derive_state_at(&s, T0 + 200), GL_CRITICAL, "a check's state at a boundary");
}

static void
test_uptime(void)
{
	double up, m;
	/* 90 s outage, 30 s maintenance, 60 s unknown in a 600 s window */
	struct interval iv[] = {IV(SYS_OPERATIONAL, -1000, 100), IV(SYS_MAJOR, 100, 190),
	                        IV(SYS_MAINTENANCE, 190, 220),   IV(SYS_UNKNOWN, 220, 280),
	                        IV(SYS_DEGRADED, 280, 300),      IV(SYS_OPERATIONAL, 300, 0)};

	derive_uptime(iv, 6, T0, T0 + 600, &up, &m);
	ok(fabs(up - 420.0 / 510.0) < 1e-12, "uptime = (600-90-30-60) / (600-30-60) = 420/510");
	ok(m == 30.0, "maintenance seconds counted apart: 30");
	derive_uptime(iv, 6, T0 + 300, T0 + 600, &up, &m);
	ok(up == 1.0 && m == 0.0, "a window after the outage: 100%%");
	derive_uptime(iv, 6, T0 + 100, T0 + 190, &up, &m);
	ok(up == 0.0, "a window inside the outage: 0%%");
	derive_uptime(iv + 3, 1, T0 + 220, T0 + 280, &up, &m);
	ok(isnan(up), "only unknown time: NaN, not 100%%");
	derive_uptime(NULL, 0, T0, T0 + 600, &up, &m);
	ok(isnan(up) && m == 0.0, "no intervals: NaN");
	/* 100 s of partial outage count as 30 s down, degraded as up */
	struct interval part[] = {IV(SYS_OPERATIONAL, 0, 100), IV(SYS_PARTIAL, 100, 200),
	                          IV(SYS_DEGRADED, 200, 300), IV(SYS_OPERATIONAL, 300, 0)};
	derive_uptime(part, 4, T0, T0 + 1000, &up, &m);
	ok(fabs(up - 0.97) < 1e-12, "a partial outage counts 30 %%: 1 - 30/1000 = 97 %%");
	struct interval day[] = {IV(SYS_OPERATIONAL, -86400 * 2, 0)};
	derive_uptime(day, 1, T0 - 86400, T0, &up, &m);
	ok(up == 1.0, "an interval begun before the window is clipped");
}

/* Uptime of a status timeline built from a ping's history over the 24 h
 * before T0, as the page prints it: "99.5833%". */
static void
day_is(const struct timeline_input *in, const char *want, double maint, const char *name)
{
	struct interval *tl;
	size_t n = derive_status_timeline(in, T0, &tl);
	double up, m;
	char got[32];

	derive_uptime(tl, n, T0 - 86400, T0, &up, &m);
	snprintf(got, sizeof got, "%.4f%%", up * 100);
	is_str(got, want, "%s", name);
	ok(m == maint, "%s: maintenance %.0f s", name, maint);
	free(tl);
}

static void
test_uptime_day(void)
{
	/* the ping OK since two days back, HARD CRITICAL 6 minutes at noon */
	struct interval ping[] = {IV(GL_OK, -2 * 86400, -43200),
	                          IV(GL_CRITICAL, -43200, -42840), IV(GL_OK, -42840, 0)};
	struct interval stale[] = {IV(0, -7200, -3600)}, win[] = {IV(0, -20000, -12800)};
	struct check_hist p = PING(ping, 3, NULL, 0);
	struct timeline_input in = {.ping = &p};

	day_is(&in, "99.5833%", 0, "6 minutes down in 24 h: 86040/86400");
	p.stale = stale;
	p.nstale = 1;
	day_is(&in, "99.5652%", 0, "and 1 h without a fresh result: 82440/82800");
	in.maint = win;
	in.nmaint = 1;
	day_is(&in, "99.5238%", 7200, "and a 2 h window: 75240/75600, 7200 s apart");
	ping[1].start = T0 - 19000; /* the outage inside the window */
	ping[1].end = T0 - 18640;
	ping[2].start = T0 - 18640;
	ping[0].end = T0 - 19000;
	day_is(&in, "100.0000%", 7200, "down inside a window: scheduled, not downtime");
}

static void
text_is(long secs, const char *want)
{
	char b[FMT_TIME_MAX];
	fmt_duration(b, sizeof b, secs);
	is_str(b, want, "duration %ld s", secs);
}

static void
test_text(void)
{
	char b[2 * FMT_TIME_MAX];

	text_is(0, "0 seconds");
	text_is(1, "1 second");
	text_is(59, "59 seconds");
	text_is(60, "1 minute");
	text_is(370, "6 minutes");
	text_is(3600, "1 hour");
	text_is(3720, "1 hour 2 minutes");
	text_is(7260, "2 hours 1 minute");
	text_is(86400 + 3 * 3600 + 59, "1 day 3 hours");
	fmt_between(b, sizeof b, T0 + 60, T0 + 420);
	is_str(b, "between 02:31 and 02:37 UTC", "same-day span");
	fmt_between(b, sizeof b, T0 - 3 * 3600, T0);
	is_str(b, "between 1 September 2021 23:30 and 2 September 2021 02:30 UTC",
	       "a span over midnight has dates");
	fmt_date(b, sizeof b, 1446344400);
	is_str(b, "1 November 2015", "date");
	fmt_when(b, sizeof b, T0 + 60, T0);
	is_str(b, "02:31 UTC", "a time on the reference's day");
	fmt_when(b, sizeof b, T0 + 86400, T0);
	is_str(b, "3 September 2021 02:30 UTC", "on another day, with its date");
	fmt_range(b, sizeof b, T0, T0 + 3600);
	is_str(b, "from 02:30 to 03:30 UTC on 2 September 2021", "a range in one day");
	fmt_range(b, sizeof b, T0 - 3 * 3600, T0);
	is_str(b, "from 1 September 2021 23:30 to 2 September 2021 02:30 UTC",
	       "a range over midnight");

	ok(derive_rta_ms("rta=0.222000ms;100.000000;500.000000;0.000000 pl=0%;20;60;0;") ==
	           0.222,
	   "check_ping rta in ms");
	ok(derive_rta_ms("pl=0%;20;60;0; 'rta'=0.0015s") == 1.5, "quoted label in seconds");
	ok(derive_rta_ms("rtmax=3ms rta=2") == 2.0, "rtmax is not rta; no unit means ms");
	ok(isnan(derive_rta_ms("pl=100%;20;60;0;")), "no rta: NaN");
	ok(isnan(derive_rta_ms("rta=U")), "unknown value: NaN");
	ok(isnan(derive_rta_ms("")), "empty perfdata: NaN");
}

int
main(void)
{
	test_softhard();
	test_status();
	test_episodes();
	test_timeline();
	test_uptime();
	test_uptime_day();
	test_text();
	return done_testing();
}

/* The scheduler loop (schedule.h). Times in the loop are monotonic
 * nanoseconds; only results carry wall-clock seconds. */
#include "schedule.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "deadline.h"
#include "exec.h"
#include "softhard.h"

#define NS 1000000000LL

struct slot {
	bool busy;
	size_t item;            /* index into cfg->checks when started */
	char *system, *service; /* copies: a reload may free the config */
	int attempts;
	struct exec_job job;
};

struct sched {
	struct config *cfg;
	struct store *st;
	const struct sched_ctl *ctl;
	int64_t mono0;
	int64_t *due; /* per check: next run; INT64_MAX when done (once) */
	bool *running;
	struct slot *slots;
	size_t nslots;
	bool changed; /* a HARD state changed since the last pass */
	int rc;
	/* the schedule report: checks started since the last one and how
	 * late each started after it was due */
	uint64_t rep_started;
	int64_t rep_lag_sum, rep_lag_max, rep_last;
};

time_t
sched_now(const struct sched_ctl *ctl, int64_t mono0)
{
	if (ctl->now_base != 0)
		return ctl->now_base + (time_t)((mono_ns() - mono0) / NS);
	return time(NULL);
}

/* First runs are spread over a minute (or the interval, if shorter): check
 * i of n starts at i/n of it, so a hundred checks do not start together,
 * and an hourly check still has a result within a minute of start-up. */
#define SPREAD_MAX 60

static void
plan(struct sched *s)
{
	size_t n = s->cfg->nchecks;
	int64_t now = mono_ns();

	free(s->due);
	free(s->running);
	s->due = xcalloc(n ? n : 1, sizeof *s->due);
	s->running = xcalloc(n ? n : 1, sizeof *s->running);
	for (size_t i = 0; i < n; i++) {
		int64_t spread = s->cfg->checks[i].interval < SPREAD_MAX
		                         ? s->cfg->checks[i].interval
		                         : SPREAD_MAX;
		s->due[i] = s->ctl->once ? now : now + spread * NS * (int64_t)i / (int64_t)n;
	}
}

static void
record(struct sched *s, struct slot *sl, const struct exec_outcome *o)
{
	struct svc_row row;
	time_t now = sched_now(s->ctl, s->mono0);
	/* the check it started as, unless a reload came in between */
	const struct cfg_check *c =
	        sl->item < s->cfg->nchecks ? &s->cfg->checks[sl->item] : NULL;
	int r;

	if (c == NULL || strcmp(c->system, sl->system) != 0 ||
	    strcmp(c->service, sl->service) != 0)
		c = config_check(s->cfg, sl->system, sl->service);
	r = store_get_service(s->st, sl->system, sl->service, &row);
	if (r >= 0) {
		softhard_apply(&row.st, o->state, sl->attempts, now);
		struct gl_result res = {
		        .system = sl->system,
		        .service = sl->service,
		        .state = o->state,
		        .hard = row.st.hard,
		        .attempt = row.st.attempt,
		        .output = o->output,
		        .long_output = o->long_output,
		        .perfdata = o->perfdata,
		        .t = now,
		        .duration_ms = o->duration_ms,
		};
		r = store_record(s->st, &res);
	}
	if (r < 0) {
		fprintf(stderr, "glance: %s/%s: %s\n", sl->system, sl->service,
		        store_error(s->st));
		s->rc = 1;
	} else if (r > 0) {
		s->changed = true;
	}
	if (s->ctl->verbose >= 2)
		fprintf(stderr, "glance: %s/%s: %s %s %d/%d: %s\n", sl->system, sl->service,
		        state_name(o->state), row.st.hard ? "HARD" : "SOFT", row.st.attempt,
		        sl->attempts, o->output);
	else if (s->ctl->verbose == 1 && r > 0)
		fprintf(stderr, "glance: %s/%s: now %s (HARD): %s\n", sl->system, sl->service,
		        state_name(o->state), o->output);
	/* the next run, if the check still exists after a reload */
	if (c != NULL && sl->item < s->cfg->nchecks && &s->cfg->checks[sl->item] == c) {
		int delay = softhard_next_delay(&row.st, c->interval, c->retry);
		s->running[sl->item] = false;
		s->due[sl->item] = s->ctl->once ? INT64_MAX : mono_ns() + (int64_t)delay * NS;
	}
	svc_row_free(&row);
}

static void
slot_free(struct slot *sl)
{
	exec_cleanup(&sl->job);
	free(sl->system);
	free(sl->service);
	memset(sl, 0, sizeof *sl);
	sl->job.fd[0] = sl->job.fd[1] = -1;
}

static void
finish(struct sched *s, struct slot *sl)
{
	struct exec_outcome o;

	exec_outcome(&sl->job, &o);
	record(s, sl, &o);
	exec_outcome_free(&o);
	slot_free(sl);
}

/* Starts check i in a free slot; a check that cannot even start (not
 * found, fork failed) is recorded as UNKNOWN with the reason. */
static void
start(struct sched *s, size_t i, struct slot *sl)
{
	const struct cfg_check *c = &s->cfg->checks[i];
	char err[256];

	sl->busy = true;
	sl->item = i;
	sl->system = xstrdup(c->system);
	sl->service = xstrdup(c->service);
	sl->attempts = c->attempts;
	s->running[i] = true;
	s->due[i] = INT64_MAX;
	if (exec_start(&sl->job, c->argv, s->cfg->site.path, c->timeout, err, sizeof err) !=
	    0) {
		struct exec_outcome o = {
		        .state = GL_UNKNOWN, .long_output = "", .perfdata = ""};
		struct strbuf sb = STRBUF_INIT;
		sb_appendf(&sb, "UNKNOWN - %s", err);
		o.output = sb_detach(&sb);
		record(s, sl, &o);
		free(o.output);
		slot_free(sl);
	}
}

static void
start_due(struct sched *s, int64_t now)
{
	for (size_t i = 0; i < s->cfg->nchecks; i++) {
		if (s->running[i] || s->due[i] > now)
			continue;
		size_t k = 0;
		while (k < s->nslots && s->slots[k].busy)
			k++;
		if (k == s->nslots)
			return;
		int64_t lag = now - s->due[i];
		s->rep_started++;
		s->rep_lag_sum += lag;
		if (lag > s->rep_lag_max)
			s->rep_lag_max = lag;
		start(s, i, &s->slots[k]);
	}
}

/* Every render_every seconds (at most a minute), one line on whether the
 * schedule keeps up: the checks started, how late they started after
 * they were due (mean, max), and how many are due now but wait for a
 * slot. A lag or a backlog that grows is a machine (or a 'parallel') too
 * small for the checks. */
#define REPORT_MAX 60

static void
report(struct sched *s, int64_t now)
{
	int64_t every =
	        (int64_t)(s->cfg->site.render_every < REPORT_MAX ? s->cfg->site.render_every
	                                                         : REPORT_MAX) *
	        NS;
	size_t waiting = 0;

	if (now - s->rep_last < every)
		return;
	for (size_t i = 0; i < s->cfg->nchecks; i++)
		waiting += !s->running[i] && s->due[i] <= now;
	if (s->ctl->verbose >= 1)
		fprintf(stderr,
		        "glance: schedule: %llu checks started in %.1f s, lag mean %.3f s, "
		        "max %.3f s, %zu waiting\n",
		        (unsigned long long)s->rep_started, (double)(now - s->rep_last) / NS,
		        s->rep_started ? (double)s->rep_lag_sum / (double)s->rep_started / NS
		                       : 0.0,
		        (double)s->rep_lag_max / NS, waiting);
	s->rep_started = 0;
	s->rep_lag_sum = s->rep_lag_max = 0;
	s->rep_last = now;
}

static bool
idle(const struct sched *s)
{
	for (size_t k = 0; k < s->nslots; k++)
		if (s->slots[k].busy)
			return false;
	for (size_t i = 0; i < s->cfg->nchecks; i++)
		if (s->due[i] != INT64_MAX)
			return false;
	return true;
}

/* One poll over every running job's pipes, for at most wait_ns. */
static void
wait_io(struct sched *s, int64_t wait_ns)
{
	struct pollfd *pfd = xcalloc(s->nslots * 2 + 1, sizeof *pfd);
	struct exec_job **owner = xcalloc(s->nslots * 2 + 1, sizeof *owner);
	nfds_t n = 0;
	int ms = (int)((wait_ns + 999999) / 1000000);

	for (size_t k = 0; k < s->nslots; k++)
		for (int i = 0; s->slots[k].busy && i < 2; i++)
			if (s->slots[k].job.fd[i] >= 0) {
				pfd[n].fd = s->slots[k].job.fd[i];
				pfd[n].events = POLLIN;
				owner[n++] = &s->slots[k].job;
			}
	if (poll(pfd, n, ms < 0 ? 0 : ms) > 0)
		for (nfds_t i = 0; i < n; i++)
			if (pfd[i].revents != 0)
				exec_read(owner[i], pfd[i].fd);
	free(pfd);
	free(owner);
}

/* How long the loop may sleep: until the next due check (if a slot is
 * free), the nearest job deadline, or the next periodic pass. */
static int64_t
next_wake(const struct sched *s, int64_t now, int64_t next_pass)
{
	int64_t w = next_pass - now, free_slots = 0;

	if (w > NS)
		w = NS; /* signals are seen within a second at worst */
	for (size_t k = 0; k < s->nslots; k++) {
		if (!s->slots[k].busy) {
			free_slots++;
			continue;
		}
		int64_t j = exec_wait_ns(&s->slots[k].job, now);
		if (j < w)
			w = j;
	}
	for (size_t i = 0; free_slots > 0 && i < s->cfg->nchecks; i++)
		if (!s->running[i] && s->due[i] - now < w)
			w = s->due[i] - now;
	return w < 0 ? 0 : w;
}

static void
reload(struct sched *s)
{
	struct config *n = s->ctl->on_reload ? s->ctl->on_reload(s->ctl->ctx) : NULL;

	if (n == NULL)
		return;
	config_free(s->cfg);
	free(s->cfg);
	s->cfg = n;
	/* running jobs finish and are recorded by name; their item index is
	 * meaningless in the new config */
	for (size_t k = 0; k < s->nslots; k++)
		s->slots[k].item = SIZE_MAX;
	if ((size_t)n->site.parallel > s->nslots) {
		s->slots = xrealloc(s->slots, (size_t)n->site.parallel * sizeof *s->slots);
		for (size_t k = s->nslots; k < (size_t)n->site.parallel; k++) {
			memset(&s->slots[k], 0, sizeof s->slots[k]);
			s->slots[k].job.fd[0] = s->slots[k].job.fd[1] = -1;
		}
		s->nslots = (size_t)n->site.parallel;
	}
	plan(s);
	s->changed = true;
}

static void
pass(struct sched *s)
{
	if (s->ctl->on_pass != NULL &&
	    s->ctl->on_pass(s->ctl->ctx, s->cfg, sched_now(s->ctl, s->mono0)) != 0)
		s->rc = 1;
	s->changed = false;
}

static void
loop(struct sched *s)
{
	int64_t every = (int64_t)s->cfg->site.render_every * NS;
	int64_t next_pass = s->mono0 + every, last_pass = s->mono0, pass_ns = 0;

	while (!*s->ctl->stop) {
		int64_t now = mono_ns();
		if (*s->ctl->reload) {
			*s->ctl->reload = 0;
			reload(s);
			every = (int64_t)s->cfg->site.render_every * NS;
		}
		start_due(s, now);
		wait_io(s, next_wake(s, now, s->ctl->once ? INT64_MAX : next_pass));
		now = mono_ns();
		for (size_t k = 0; k < s->nslots; k++)
			if (s->slots[k].busy && exec_step(&s->slots[k].job, now))
				finish(s, &s->slots[k]);
		if (s->ctl->once) {
			if (idle(s))
				break;
			continue;
		}
		/* a HARD change renders soon, but at most once a second, so a
		 * burst of changes costs one render, and not sooner than ten
		 * times the last pass took after it: passes get at most a tenth
		 * of the time, the checks the rest (the first minute of a large
		 * site changes every check's state) */
		int64_t soon = last_pass + (10 * pass_ns > NS ? 10 * pass_ns : NS);
		if (s->changed && next_pass > soon)
			next_pass = soon;
		if (now >= next_pass) {
			pass(s);
			last_pass = mono_ns();
			pass_ns = last_pass - now;
			next_pass = last_pass + every;
		}
		report(s, now);
	}
}

int
schedule_run(struct config **cfgp, struct store *st, const struct sched_ctl *ctl)
{
	struct sched s = {.cfg = *cfgp, .st = st, .ctl = ctl, .mono0 = mono_ns()};

	s.rep_last = s.mono0;
	s.nslots = (size_t)s.cfg->site.parallel;
	s.slots = xcalloc(s.nslots, sizeof *s.slots);
	for (size_t k = 0; k < s.nslots; k++)
		s.slots[k].job.fd[0] = s.slots[k].job.fd[1] = -1;
	plan(&s);
	loop(&s);
	/* on stop, running checks are killed and not recorded: a half-run
	 * check says nothing about the service */
	for (size_t k = 0; k < s.nslots; k++)
		if (s.slots[k].busy)
			slot_free(&s.slots[k]);
	if (ctl->once || *ctl->stop == 0 || s.changed)
		pass(&s);
	free(s.slots);
	free(s.due);
	free(s.running);
	*cfgp = s.cfg;
	return s.rc;
}

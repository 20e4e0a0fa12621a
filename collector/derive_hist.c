/* Everything derive reads from and writes to the store (derive.h): one
 * system's history (derive_hist_load), shared by the pass (notices) and
 * the view (status, uptime); a pass's snapshot, and the writing of its
 * plan. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "derive.h"

static int
check_cmp(const void *a, const void *b)
{
	const struct cfg_check *x = *(const struct cfg_check *const *)a;
	const struct cfg_check *y = *(const struct cfg_check *const *)b;
	int c = strcmp(x->system, y->system);

	if (c == 0)
		c = strcmp(x->service, y->service);
	/* config_check finds the first one declared */
	return c != 0 ? c : (x > y) - (x < y);
}

const struct cfg_check *
derive_reader_check(const struct derive_reader *r, const char *system, const char *service)
{
	size_t lo = 0, hi = r->cfg->nchecks;

	/* the first index whose check is not before (system, service) */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct cfg_check *c = r->checks[mid];
		int d = strcmp(c->system, system);
		if (d == 0)
			d = strcmp(c->service, service);
		if (d < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < r->cfg->nchecks && strcmp(r->checks[lo]->system, system) == 0 &&
	    strcmp(r->checks[lo]->service, service) == 0)
		return r->checks[lo];
	return NULL;
}

/* Orders windows by system; one system's keep their order in the array
 * (by start, then id, as store_downtimes gave them). */
static int
win_cmp(const void *a, const void *b)
{
	const struct downtime *x = *(const struct downtime *const *)a;
	const struct downtime *y = *(const struct downtime *const *)b;
	int c = strcmp(x->system, y->system);

	return c != 0 ? c : (x > y) - (x < y);
}

/* The gap after which a check's result is stale; -1 for a service no
 * check names (derive wants no gaps of it). */
static int
stale_gap(void *arg, const char *system, const char *service)
{
	const struct cfg_check *c = derive_reader_check(arg, system, service);

	return c != NULL ? derive_stale_after(c) : -1;
}

int
derive_reader_load(struct store *st, const struct config *cfg, time_t from, bool status,
                   struct derive_reader *r)
{
	memset(r, 0, sizeof *r);
	r->cfg = cfg;
	r->from = from;
	r->status = status;
	r->checks = xcalloc(cfg->nchecks + 1, sizeof *r->checks);
	for (size_t i = 0; i < cfg->nchecks; i++)
		r->checks[i] = &cfg->checks[i];
	if (cfg->nchecks > 1)
		qsort(r->checks, cfg->nchecks, sizeof *r->checks, check_cmp);
	if (store_bulk_load(st, from, status ? STORE_BULK_ROWS | STORE_BULK_GAPS : 0, stale_gap,
	                    r, &r->bulk) != 0 ||
	    store_downtimes(st, NULL, from, &r->windows, &r->nwindows) != 0) {
		derive_reader_free(r);
		return -1;
	}
	r->win_by_sys = xcalloc(r->nwindows + 1, sizeof *r->win_by_sys);
	for (size_t i = 0; i < r->nwindows; i++)
		r->win_by_sys[i] = &r->windows[i];
	if (r->nwindows > 1)
		qsort(r->win_by_sys, r->nwindows, sizeof *r->win_by_sys, win_cmp);
	return 0;
}

void
derive_reader_free(struct derive_reader *r)
{
	store_bulk_free(&r->bulk);
	free(r->checks);
	downtimes_free(r->windows, r->nwindows);
	free(r->win_by_sys);
	memset(r, 0, sizeof *r);
}

/* The spans with no fresh result: after each gap's earlier result has
 * gone stale until the next result (the reader read the gaps longer
 * than the check's staleness, stale_gap), and after the last result. */
static void
stale_spans(const struct svc_bulk *e, int stale_after, struct check_hist *h)
{
	size_t n = e != NULL ? e->ngaps : 0, k = 0;
	struct interval *out = xcalloc(n + 1, sizeof *out);
	time_t last = e != NULL && e->has_row && e->row.st.checked ? e->row.st.last_check : 0;

	for (size_t i = 0; i < n; i++)
		out[k++] = (struct interval){.start = e->gaps[i].start + stale_after,
		                             .end = e->gaps[i].end};
	if (last != 0)
		out[k++] = (struct interval){.start = last + stale_after};
	h->stale = out;
	h->nstale = k;
}

static void
read_check(const struct derive_reader *r, const char *system, const char *service, bool status,
           struct check_hist *out)
{
	const struct cfg_check *cc = derive_reader_check(r, system, service);
	const struct svc_bulk *e = store_bulk_find(&r->bulk, system, service);
	struct interval *iv = NULL;
	size_t n = e != NULL ? e->niv : 0;

	if (n > 0) {
		iv = xcalloc(n, sizeof *iv);
		memcpy(iv, e->iv, n * sizeof *iv);
	}
	out->iv = iv;
	out->n = n;
	out->warning = cc ? (enum impact)cc->impact_warning : IMPACT_DEGRADED;
	out->critical = cc ? (enum impact)cc->impact_critical : IMPACT_PARTIAL;
	if (status && cc != NULL)
		stale_spans(e, derive_stale_after(cc), out);
}

/* The windows of system from the reader, by start (store_downtimes). */
static void
read_windows(const struct derive_reader *r, const char *system, struct sys_hist *h)
{
	size_t lo = 0, hi = r->nwindows;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(r->win_by_sys[mid]->system, system) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	h->maint = xcalloc(r->nwindows - lo + 1, sizeof *h->maint);
	/* a window hides problems only from when it was scheduled: one
	 * scheduled late must not unpost what earlier passes posted, nor
	 * turn an outage already shown into maintenance */
	for (size_t i = lo; i < r->nwindows; i++) {
		const struct downtime *d = r->win_by_sys[i];
		if (strcmp(d->system, system) != 0)
			break;
		h->maint[h->nmaint++] = (struct interval){
		        .start = d->start > d->created ? d->start : d->created,
		        .end = d->ended ? d->ended : d->end};
	}
}

void
derive_hist_load(const struct derive_reader *r, const struct cfg_system *sys, time_t now,
                 bool status, struct sys_hist *h)
{
	struct timeline_input in = {.nsvcs = sys->nservices};
	const struct cfg_system *parent =
	        sys->parent ? config_system(r->cfg, sys->parent) : NULL;

	memset(h, 0, sizeof *h);
	h->sys = sys;
	h->svcs = xcalloc(sys->nservices + 1, sizeof *h->svcs);
	status = status && r->status;
	if (sys->ping)
		read_check(r, sys->id, sys->ping, status, &h->ping);
	if (parent != NULL && parent->ping != NULL) {
		h->has_parent_ping = true;
		read_check(r, parent->id, parent->ping, false, &h->parent_ping);
	}
	for (size_t i = 0; i < sys->nservices; i++)
		read_check(r, sys->id, sys->services[i], status, &h->svcs[i]);
	read_windows(r, sys->id, h);
	in.ping = sys->ping ? &h->ping : NULL;
	in.svcs = h->svcs;
	in.maint = h->maint;
	in.nmaint = h->nmaint;
	in.parent_ping = h->has_parent_ping ? &h->parent_ping : NULL;
	h->ntl = derive_timeline(&in, now, &h->tl);
	if (status)
		h->nstatus = derive_status_timeline(&in, now, &h->status);
}

static void
check_free(struct check_hist *c)
{
	free((void *)c->iv);
	free((void *)c->stale);
}

void
derive_hist_free(struct sys_hist *h)
{
	check_free(&h->ping);
	check_free(&h->parent_ping);
	for (size_t i = 0; h->svcs != NULL && i < h->sys->nservices; i++)
		check_free(&h->svcs[i]);
	free(h->svcs);
	free(h->maint);
	free(h->tl);
	free(h->status);
	memset(h, 0, sizeof *h);
}

int
derive_snapshot_from(const struct derive_reader *r, struct store *st, time_t now,
                     struct derive_snapshot *s)
{
	const struct config *cfg = r->cfg;

	memset(s, 0, sizeof *s);
	s->hist = xcalloc(cfg->nsystems + 1, sizeof *s->hist);
	for (size_t i = 0; i < cfg->nsystems; i++, s->nhist++)
		derive_hist_load(r, &cfg->systems[i], now, false, &s->hist[i]);
	/* the plan wants every window, in the store's order */
	s->windows = r->windows;
	s->nwindows = r->nwindows;
	if (store_notice_refs(st, &s->notices, &s->nnotices) != 0) {
		derive_snapshot_free(s);
		return -1;
	}
	return 0;
}

int
derive_snapshot_load(struct store *st, const struct config *cfg, time_t now,
                     struct derive_snapshot *s)
{
	struct derive_reader *r = xcalloc(1, sizeof *r);

	memset(s, 0, sizeof *s);
	if (derive_reader_load(st, cfg, now - DERIVE_HISTORY, false, r) != 0 ||
	    derive_snapshot_from(r, st, now, s) != 0) {
		derive_reader_free(r);
		free(r);
		return -1;
	}
	s->own = r;
	return 0;
}

void
derive_snapshot_free(struct derive_snapshot *s)
{
	for (size_t i = 0; i < s->nhist; i++)
		derive_hist_free(&s->hist[i]);
	free(s->hist);
	notice_refs_free(s->notices, s->nnotices);
	if (s->own != NULL)
		derive_reader_free(s->own);
	free(s->own);
	memset(s, 0, sizeof *s);
}

int
derive_plan_write(struct store *st, const struct derive_plan *p)
{
	int64_t *ids = xcalloc(p->n + 1, sizeof *ids);
	int rc = 0;

	for (size_t i = 0; rc == 0 && i < p->n; i++) {
		struct notice_view n = p->notices[i];
		/* a planned incident is its first notice's, written before */
		if (n.incident_id < 0)
			n.incident_id = ids[-n.incident_id - 1];
		ids[i] = store_notice_add(st, &n, p->keys[i]);
		rc = ids[i] > 0 ? 0 : -1;
	}
	free(ids);
	return rc;
}

int
derive_update_from(const struct derive_reader *r, struct store *st, time_t now)
{
	struct derive_snapshot snap;
	struct derive_plan plan = {0};
	int rc = derive_snapshot_from(r, st, now, &snap);

	if (rc == 0) {
		derive_plan_make(&snap, r->cfg, now, &plan);
		derive_snapshot_free(&snap);
		rc = derive_plan_write(st, &plan);
		derive_plan_free(&plan);
	}
	return rc;
}

int
derive_update(struct store *st, const struct config *cfg, time_t now, char *err, size_t errlen)
{
	struct derive_reader r;
	int rc = store_begin(st);

	if (rc == 0)
		rc = derive_reader_load(st, cfg, now - DERIVE_HISTORY, false, &r);
	if (rc == 0) {
		rc = derive_update_from(&r, st, now);
		derive_reader_free(&r);
	}
	if (rc == 0)
		rc = store_commit(st);
	if (rc != 0) {
		snprintf(err, errlen, "derive: %s", store_error(st));
		store_rollback(st);
	}
	return rc;
}

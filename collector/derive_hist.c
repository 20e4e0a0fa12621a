/* Everything derive reads from and writes to the store (derive.h): one
 * system's history (derive_hist_load), shared by the pass (notices) and
 * the view (status, uptime); a pass's snapshot, and the writing of its
 * plan. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "derive.h"

/* The spans with no fresh result: after each gap's earlier result has
 * gone stale until the next result, and after the last result. */
static void
stale_spans(const struct interval *gaps, size_t n, time_t last, int stale_after,
            struct check_hist *h)
{
	struct interval *out = xcalloc(n + 1, sizeof *out);
	size_t k = 0;

	for (size_t i = 0; i < n; i++)
		out[k++] = (struct interval){.start = gaps[i].start + stale_after,
		                             .end = gaps[i].end};
	if (last != 0)
		out[k++] = (struct interval){.start = last + stale_after};
	h->stale = out;
	h->nstale = k;
}

static int
read_check(struct store *st, const struct config *cfg, const char *system, const char *service,
           time_t from, bool status, struct check_hist *out)
{
	const struct cfg_check *cc = config_check(cfg, system, service);
	const struct cfg_check *c = status ? cc : NULL;
	int stale_after = c ? derive_stale_after(c) : 0;
	struct interval *iv = NULL, *gaps = NULL;
	size_t n = 0, ngaps = 0;
	struct svc_row row;
	int rc = store_get_service(st, system, service, &row);

	if (rc >= 0)
		rc = store_svc_intervals(st, system, service, from, &iv, &n);
	if (rc >= 0 && c != NULL)
		rc = store_svc_gaps(st, system, service, from, stale_after, &gaps, &ngaps);
	out->iv = iv;
	out->n = n;
	out->warning = cc ? (enum impact)cc->impact_warning : IMPACT_DEGRADED;
	out->critical = cc ? (enum impact)cc->impact_critical : IMPACT_PARTIAL;
	if (rc >= 0 && c != NULL)
		stale_spans(gaps, ngaps, row.st.checked ? row.st.last_check : 0, stale_after,
		            out);
	free(gaps);
	svc_row_free(&row);
	return rc < 0 ? -1 : 0;
}

static int
read_windows(struct store *st, const char *system, time_t from, struct sys_hist *h)
{
	struct downtime *d;
	size_t n;

	if (store_downtimes(st, system, from, &d, &n) != 0)
		return -1;
	h->maint = xcalloc(n + 1, sizeof *h->maint);
	/* a window hides problems only from when it was scheduled: one
	 * scheduled late must not unpost what earlier passes posted, nor
	 * turn an outage already shown into maintenance */
	for (size_t i = 0; i < n; i++)
		h->maint[h->nmaint++] = (struct interval){
		        .start = d[i].start > d[i].created ? d[i].start : d[i].created,
		        .end = d[i].ended ? d[i].ended : d[i].end};
	downtimes_free(d, n);
	return 0;
}

int
derive_hist_load(struct store *st, const struct config *cfg, const struct cfg_system *sys,
                 time_t from, time_t now, bool status, struct sys_hist *h)
{
	struct timeline_input in = {.nsvcs = sys->nservices};
	const struct cfg_system *parent = sys->parent ? config_system(cfg, sys->parent) : NULL;
	int rc;

	memset(h, 0, sizeof *h);
	h->sys = sys;
	h->svcs = xcalloc(sys->nservices + 1, sizeof *h->svcs);
	rc = sys->ping ? read_check(st, cfg, sys->id, sys->ping, from, status, &h->ping) : 0;
	if (rc == 0 && parent != NULL && parent->ping != NULL) {
		h->has_parent_ping = true;
		rc = read_check(st, cfg, parent->id, parent->ping, from, false,
		                &h->parent_ping);
	}
	for (size_t i = 0; rc == 0 && i < sys->nservices; i++)
		rc = read_check(st, cfg, sys->id, sys->services[i], from, status, &h->svcs[i]);
	if (rc == 0)
		rc = read_windows(st, sys->id, from, h);
	if (rc != 0)
		return -1;
	in.ping = sys->ping ? &h->ping : NULL;
	in.svcs = h->svcs;
	in.maint = h->maint;
	in.nmaint = h->nmaint;
	in.parent_ping = h->has_parent_ping ? &h->parent_ping : NULL;
	h->ntl = derive_timeline(&in, now, &h->tl);
	if (status)
		h->nstatus = derive_status_timeline(&in, now, &h->status);
	return 0;
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
derive_snapshot_load(struct store *st, const struct config *cfg, time_t now,
                     struct derive_snapshot *s)
{
	time_t from = now - DERIVE_HISTORY;
	int rc = 0;

	memset(s, 0, sizeof *s);
	s->hist = xcalloc(cfg->nsystems + 1, sizeof *s->hist);
	for (size_t i = 0; rc == 0 && i < cfg->nsystems; i++, s->nhist++)
		rc = derive_hist_load(st, cfg, &cfg->systems[i], from, now, false, &s->hist[i]);
	if (rc == 0)
		rc = store_downtimes(st, NULL, from, &s->windows, &s->nwindows);
	if (rc == 0)
		rc = store_notice_refs(st, &s->notices, &s->nnotices);
	if (rc != 0)
		derive_snapshot_free(s);
	return rc;
}

void
derive_snapshot_free(struct derive_snapshot *s)
{
	for (size_t i = 0; i < s->nhist; i++)
		derive_hist_free(&s->hist[i]);
	free(s->hist);
	downtimes_free(s->windows, s->nwindows);
	notice_refs_free(s->notices, s->nnotices);
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
derive_update(struct store *st, const struct config *cfg, time_t now, char *err, size_t errlen)
{
	struct derive_snapshot snap;
	struct derive_plan plan = {0};
	int rc = store_begin(st);

	if (rc == 0)
		rc = derive_snapshot_load(st, cfg, now, &snap);
	if (rc == 0) {
		derive_plan_make(&snap, cfg, now, &plan);
		derive_snapshot_free(&snap);
		rc = derive_plan_write(st, &plan);
		derive_plan_free(&plan);
	}
	if (rc == 0)
		rc = store_commit(st);
	if (rc != 0) {
		snprintf(err, errlen, "derive: %s", store_error(st));
		store_rollback(st);
	}
	return rc;
}

/* derive_view: the struct site_view for render, read from the store
 * after derive_update (derive.h). A system's status, its "since", its
 * uptime and its day bars all come from one status timeline rebuilt from
 * the history (derive_status_timeline). Internal systems get their Ping
 * column's Up or Down and nothing more: no services, output, round trip
 * or uptime; the page shows "Internal". */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "derive.h"

static const long windows[UPTIME_NWIN] = {86400, 7 * 86400, 30 * 86400, 90 * 86400};

static char *
dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

static void
copy_site(const struct site_info *in, struct site_info *out)
{
	out->title = dup_or_null(in->title);
	out->name = dup_or_null(in->name);
	out->base_url = dup_or_null(in->base_url);
	out->description = dup_or_null(in->description);
	out->tz_note = dup_or_null(in->tz_note);
	out->nfooter = in->nfooter;
	out->footer = xcalloc(in->nfooter ? in->nfooter : 1, sizeof *out->footer);
	for (size_t i = 0; i < in->nfooter; i++) {
		out->footer[i].text = xstrdup(in->footer[i].text);
		out->footer[i].url = xstrdup(in->footer[i].url);
	}
}

/* The service's row in the reader, NULL when it has no result yet. */
static const struct svc_row *
view_row(const struct derive_reader *r, const char *system, const char *service)
{
	const struct svc_bulk *e = store_bulk_find(&r->bulk, system, service);

	return e != NULL && e->has_row ? &e->row : NULL;
}

static void
view_ping(const struct derive_reader *r, const struct cfg_system *sys, time_t now,
          struct system_view *v)
{
	const struct svc_row *row;

	v->ping = PING_UNKNOWN;
	v->rtt_ms = NAN;
	if (sys->ping == NULL || (row = view_row(r, sys->id, sys->ping)) == NULL)
		return;
	const struct cfg_check *c = derive_reader_check(r, sys->id, sys->ping);
	bool fresh = c != NULL && now - row->st.last_check < derive_stale_after(c);
	v->ping_checked = row->st.last_check;
	if (fresh && row->st.has_hard && row->st.hard_state == GL_CRITICAL)
		v->ping = PING_DOWN;
	else if (fresh && row->st.has_hard && row->st.hard_state != GL_UNKNOWN)
		v->ping = PING_UP;
	if (v->ping == PING_UP)
		v->rtt_ms = derive_rta_ms(row->perfdata ? row->perfdata : "");
}

static void
view_services(const struct derive_reader *r, const struct cfg_system *sys,
              struct system_view *v)
{
	v->services = xcalloc(sys->nservices ? sys->nservices : 1, sizeof *v->services);
	for (size_t i = 0; i < sys->nservices; i++) {
		struct service_view *s = &v->services[v->nservices++];
		const struct svc_row *row = view_row(r, sys->id, sys->services[i]);
		s->name = xstrdup(sys->services[i]);
		s->state = row != NULL && row->st.has_hard ? row->st.hard_state : GL_UNKNOWN;
		s->since = row != NULL && row->st.has_hard ? row->st.hard_since : 0;
		s->output =
		        xstrdup(row != NULL && row->output ? row->output : "(no result yet)");
	}
}

#define NDAYS 90

/* Uptime over the four windows, and per UTC day for the last NDAYS days
 * (the last one being today so far), from the status timeline. */
static void
view_uptime(const struct interval *iv, size_t n, time_t now, struct system_view *v)
{
	time_t today = now - now % 86400, first = today - (NDAYS - 1) * 86400;
	double m;

	for (int w = 0; w < UPTIME_NWIN; w++)
		derive_uptime(iv, n, now - windows[w], now, &v->uptime[w],
		              &v->maint_seconds[w]);
	v->daily_uptime = xcalloc(NDAYS, sizeof *v->daily_uptime);
	v->ndaily = NDAYS;
	for (size_t d = 0; d < NDAYS; d++) {
		time_t a = first + (time_t)d * 86400;
		derive_uptime(iv, n, a, a + 86400 < now ? a + 86400 : now, &v->daily_uptime[d],
		              &m);
	}
}

/* The history from the oldest of the 90-day window and the first day bar. */
static time_t
view_from(time_t now)
{
	time_t first = now - now % 86400 - (NDAYS - 1) * 86400;
	time_t from = now - windows[UPTIME_NWIN - 1];

	return first < from ? first : from;
}

static void
view_system(const struct derive_reader *r, const struct cfg_system *sys, time_t now,
            struct system_view *v)
{
	struct sys_hist h;

	v->id = xstrdup(sys->id);
	v->name = xstrdup(sys->name);
	v->location = xstrdup(sys->location ? sys->location : "");
	v->role = xstrdup(sys->role ? sys->role : "");
	v->internal = sys->internal;
	v->ping = PING_UNKNOWN;
	v->rtt_ms = NAN;
	for (int w = 0; w < UPTIME_NWIN; w++)
		v->uptime[w] = NAN;
	derive_hist_load(r, sys, now, true, &h);
	/* no history at all: unknown from now on */
	v->status = h.nstatus ? (enum sys_status)h.status[h.nstatus - 1].status : SYS_UNKNOWN;
	v->status_since = derive_since(h.status, h.nstatus);
	v->first_seen = store_bulk_first_seen(&r->bulk, sys->id);
	if (sys->internal) {
		/* Up or Down only: no round trip, no output, no uptime */
		v->status = SYS_INTERNAL;
		view_ping(r, sys, now, v);
		v->rtt_ms = NAN;
	} else {
		view_uptime(h.status, h.nstatus, now, v);
		view_ping(r, sys, now, v);
		view_services(r, sys, v);
	}
	derive_hist_free(&h);
}

/* The newest result of any check, and whether every check is stale at
 * now: then it is the collector that has stopped, not the systems. */
static void
view_freshness(const struct derive_reader *r, const struct config *cfg, time_t now,
               struct site_view *v)
{
	bool fresh = false;

	for (size_t i = 0; i < cfg->nchecks; i++) {
		const struct cfg_check *c = &cfg->checks[i];
		const struct svc_row *row = view_row(r, c->system, c->service);
		if (row == NULL)
			continue;
		if (row->st.last_check > v->last_result)
			v->last_result = row->st.last_check;
		fresh |= now - row->st.last_check < derive_stale_after(c);
	}
	v->stale = v->last_result != 0 && !fresh;
}

/* The view from a loaded reader: the systems, the freshness, and the
 * notices as the store has them now. */
static int
view_fill(const struct derive_reader *r, struct store *st, time_t now, struct site_view *v)
{
	const struct config *cfg = r->cfg;

	copy_site(&cfg->site.info, &v->site);
	v->generated = now;
	v->systems = xcalloc(cfg->nsystems ? cfg->nsystems : 1, sizeof *v->systems);
	for (size_t i = 0; i < cfg->nsystems; i++, v->nsystems++)
		view_system(r, &cfg->systems[i], now, &v->systems[i]);
	view_freshness(r, cfg, now, v);
	return store_notices(st, false, &v->notices, &v->nnotices, NULL);
}

/* Ends a view's transaction: committed, or rolled back with v freed and
 * the reason in err. */
static int
view_end(struct store *st, int rc, struct site_view *v, const char *what, char *err,
         size_t errlen)
{
	if (rc == 0 && store_commit(st) == 0)
		return 0;
	snprintf(err, errlen, "%s: %s", what, store_error(st));
	store_rollback(st);
	site_view_free(v);
	return -1;
}

/* One read transaction: the systems, the freshness and the notices are
 * of one moment of the store. */
int
derive_view(struct store *st, const struct config *cfg, time_t now, struct site_view *v,
            char *err, size_t errlen)
{
	struct derive_reader r;
	int rc;

	memset(v, 0, sizeof *v);
	rc = store_begin_read(st);
	if (rc == 0 && (rc = derive_reader_load(st, cfg, view_from(now), true, &r)) == 0) {
		rc = view_fill(&r, st, now, v);
		derive_reader_free(&r);
	}
	return view_end(st, rc, v, "building the view", err, errlen);
}

int
derive_update_view(struct store *st, const struct config *cfg, time_t now, struct site_view *v,
                   char *err, size_t errlen)
{
	struct derive_reader r;
	int rc;

	/* one read serves both when both read from the same time */
	if (view_from(now) != now - DERIVE_HISTORY)
		return derive_update(st, cfg, now, err, errlen) != 0 ||
		                       derive_view(st, cfg, now, v, err, errlen) != 0
		               ? -1
		               : 0;
	memset(v, 0, sizeof *v);
	rc = store_begin(st);
	if (rc == 0 && (rc = derive_reader_load(st, cfg, view_from(now), true, &r)) == 0) {
		rc = derive_update_from(&r, st, now);
		if (rc == 0)
			rc = view_fill(&r, st, now, v);
		derive_reader_free(&r);
	}
	return view_end(st, rc, v, "derive", err, errlen);
}

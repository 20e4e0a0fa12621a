/* derive_update: one pass over the store (derive.h). */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "derive.h"

#define HISTORY (90 * 86400)
#define MAX_EPISODES 256

struct pass {
	struct store *st;
	const struct config *cfg;
	time_t now;
};

static void
input_from(const struct svc_row *row, const struct cfg_check *c, struct check_input *in)
{
	in->known = row->st.checked && row->st.has_hard;
	in->hard = row->st.hard_state;
	in->hard_since = row->st.hard_since;
	in->last_check = row->st.last_check;
	in->stale_after = derive_stale_after(c);
}

/* The active maintenance window of a system at now, if any, and when its
 * last finished window ended (no status after it can begin earlier). */
static int
active_window(struct pass *p, const char *system, time_t *start, time_t *last_end)
{
	struct downtime *d;
	size_t n;
	int found = 0;

	*last_end = 0;
	if (store_downtimes(p->st, system, p->now - 7 * 86400, &d, &n) != 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		time_t end = d[i].ended ? d[i].ended : d[i].end;
		if (d[i].start <= p->now && p->now < end) {
			*start = d[i].start;
			found = 1;
		} else if (end <= p->now && end > *last_end) {
			*last_end = end;
		}
	}
	downtimes_free(d, n);
	return found;
}

/* The status of one system now, from the store's HARD states. */
static int
system_status(struct pass *p, const struct cfg_system *sys, enum sys_status *status,
              time_t *since)
{
	struct status_input in = {0};
	struct check_input ping, *svcs = xcalloc(sys->nservices + 1, sizeof *svcs);
	struct svc_row row;
	time_t maint_end;
	int rc = active_window(p, sys->id, &in.maint_start, &maint_end);

	in.maintenance = rc > 0;
	if (rc >= 0 && sys->ping != NULL) {
		rc = store_get_service(p->st, sys->id, sys->ping, &row);
		input_from(&row, config_check(p->cfg, sys->id, sys->ping), &ping);
		svc_row_free(&row);
		in.ping = &ping;
	}
	for (size_t i = 0; rc >= 0 && i < sys->nservices; i++) {
		rc = store_get_service(p->st, sys->id, sys->services[i], &row);
		input_from(&row, config_check(p->cfg, sys->id, sys->services[i]), &svcs[i]);
		svc_row_free(&row);
	}
	in.svcs = svcs;
	in.nsvcs = sys->nservices;
	if (rc >= 0) {
		*status = derive_status(&in, p->now, since);
		if (*since < maint_end)
			*since = maint_end;
	}
	free(svcs);
	return rc < 0 ? -1 : 0;
}

static char **
one_tag(const char *t)
{
	char **tags = xmalloc(sizeof *tags);
	tags[0] = xstrdup(t);
	return tags;
}

/* Posts one automatic notice unless its key exists. */
static int
post(struct pass *p, const char *key, struct notice_view *n)
{
	int rc = store_notice_has_key(p->st, key);

	if (rc == 0) {
		n->posted = p->now;
		rc = store_notice_add(p->st, n, key) < 0 ? -1 : 0;
	}
	notice_free(n);
	return rc < 0 ? -1 : 0;
}

__attribute__((format(printf, 2, 3))) static char *
fmt(struct strbuf *sb, const char *f, ...)
{
	va_list ap;

	va_start(ap, f);
	sb_vappendf(sb, f, ap);
	va_end(ap);
	return sb_detach(sb);
}

/* The public services of sys in a HARD problem state: "SMTP and IMAP". */
static size_t
failing_services(struct pass *p, const struct cfg_system *sys, struct strbuf *sb)
{
	size_t k = 0;

	for (size_t i = 0; i < sys->nservices; i++) {
		struct svc_row row;
		if (store_get_service(p->st, sys->id, sys->services[i], &row) > 0 &&
		    row.st.has_hard &&
		    (row.st.hard_state == GL_WARNING || row.st.hard_state == GL_CRITICAL))
			sb_appendf(sb, "%s%s", k++ ? ", " : "", sys->services[i]);
		svc_row_free(&row);
	}
	if (k == 0)
		sb_append(sb, "some services");
	return k;
}

static int
post_down(struct pass *p, const struct cfg_system *sys, const struct episode *e,
          enum sys_status now_status)
{
	struct strbuf sb = STRBUF_INIT, when = STRBUF_INIT;
	struct notice_view n = {.system_id = xstrdup(sys->id),
	                        .state = INC_INVESTIGATING,
	                        .starts = e->start,
	                        .ntags = 1};
	char key[128];

	derive_hhmm(&when, e->start);
	if (now_status == SYS_OUTAGE) {
		n.kind = NOTICE_OUTAGE;
		n.title = fmt(&sb, "%s: Server down", sys->id);
		n.body = fmt(&sb,
		             "%s has been down since %s. We are looking into it and will post "
		             "an update here.",
		             sys->name, sb_str(&when));
		n.tags = one_tag("down time");
	} else {
		n.kind = NOTICE_DISRUPTION;
		n.title = fmt(&sb, "%s: Service disruption", sys->id);
		sb_appendf(&sb, "%s is up, but ", sys->name);
		size_t k = failing_services(p, sys, &sb);
		n.body = fmt(&sb,
		             " %s been failing since %s. We are looking into it and will post "
		             "an update here.",
		             k == 1 ? "has" : "have", sb_str(&when));
		n.tags = one_tag("service disruption");
	}
	sb_free(&when);
	snprintf(key, sizeof key, "down:%s:%lld", sys->id, (long long)e->start);
	return post(p, key, &n);
}

static int
post_recovery(struct pass *p, const struct cfg_system *sys, const struct episode *e)
{
	struct strbuf sb = STRBUF_INIT, dur = STRBUF_INIT, span = STRBUF_INIT;
	struct notice_view n = {.system_id = xstrdup(sys->id),
	                        .state = INC_RESOLVED,
	                        .kind = NOTICE_RECOVERY,
	                        .starts = e->start,
	                        .ends = e->end,
	                        .ntags = 1};
	char key[128];
	int64_t incident;

	snprintf(key, sizeof key, "down:%s:%lld", sys->id, (long long)e->start);
	incident = store_notice_by_key(p->st, key);
	n.incident_id = incident > 0 ? incident : 0;
	derive_duration(&dur, (long)(e->end - e->start));
	derive_between(&span, e->start, e->end);
	if (e->outage) {
		n.title = fmt(&sb, "%s: Server back online", sys->id);
		n.body = fmt(&sb, "%s is back online. It was down for %s %s.", sys->name,
		             sb_str(&dur), sb_str(&span));
		n.tags = one_tag("down time");
	} else {
		n.title = fmt(&sb, "%s: Service restored", sys->id);
		n.body = fmt(
		        &sb,
		        "All services on %s are working again. They were disrupted for %s %s.",
		        sys->name, sb_str(&dur), sb_str(&span));
		n.tags = one_tag("service disruption");
	}
	sb_free(&dur);
	sb_free(&span);
	snprintf(key, sizeof key, "up:%s:%lld", sys->id, (long long)e->start);
	if (incident < 0) {
		notice_free(&n);
		return -1;
	}
	return post(p, key, &n);
}

/* Outage notices of one public system, from its status intervals. */
static int
outage_notices(struct pass *p, const struct cfg_system *sys, enum sys_status status)
{
	struct interval *iv;
	size_t n, ne;
	struct episode *ep = xcalloc(MAX_EPISODES, sizeof *ep);
	int rc = store_sys_intervals(p->st, sys->id, p->now - HISTORY, &iv, &n);
	int flap = p->cfg->site.flap_min;

	ne = rc == 0 ? derive_episodes(iv, n, flap, p->now, ep, MAX_EPISODES) : 0;
	for (size_t i = 0; rc == 0 && i < ne; i++) {
		if (!ep[i].closed && ep[i].end == 0 && p->now - ep[i].start >= flap)
			rc = post_down(p, sys, &ep[i], status);
		else if (ep[i].closed && ep[i].end - ep[i].start >= flap)
			rc = post_recovery(p, sys, &ep[i]);
	}
	free(iv);
	free(ep);
	return rc;
}

static int
update_system(struct pass *p, const struct cfg_system *sys)
{
	enum sys_status status;
	time_t since;
	struct interval cur;
	int found;

	if (system_status(p, sys, &status, &since) != 0)
		return -1;
	found = store_sys_current(p->st, sys->id, &cur);
	if (found < 0)
		return -1;
	/* leaving Unknown: the first fresh result came after the last pass */
	if (found && cur.status == SYS_UNKNOWN && status != SYS_UNKNOWN)
		since = p->now;
	if (since > p->now)
		since = p->now;
	if ((!found || cur.status != (int)status) &&
	    store_sys_set(p->st, sys->id, (int)status, since) != 0)
		return -1;
	/* internal systems never post notices from their checks */
	return sys->internal ? 0 : outage_notices(p, sys, status);
}

/* "02:20 UTC", or "2 November 2015 02:20 UTC" when t is not on ref's day. */
static void
when(struct strbuf *sb, time_t t, time_t ref)
{
	struct tm a, b;

	gmtime_r(&t, &a);
	gmtime_r(&ref, &b);
	if (a.tm_year != b.tm_year || a.tm_yday != b.tm_yday) {
		derive_date(sb, t);
		sb_appendc(sb, ' ');
	}
	derive_hhmm(sb, t);
}

static int
maint_notice(struct pass *p, const struct downtime *d, bool complete)
{
	const struct cfg_system *sys = config_system(p->cfg, d->system);
	const char *name = sys ? sys->name : d->system;
	time_t end = d->ended ? d->ended : d->end;
	/* "Emergency maintenance complete" after "Emergency maintenance" */
	const char *what = d->title && *d->title ? d->title : "Maintenance";
	struct strbuf sb = STRBUF_INIT, a = STRBUF_INIT, b = STRBUF_INIT;
	struct notice_view n = {.system_id = xstrdup(d->system),
	                        .incident_id = d->incident,
	                        .starts = d->start,
	                        .ends = end,
	                        .ntags = 1,
	                        .tags = one_tag("maintenance")};
	char key[64];

	derive_hhmm(&a, d->start);
	if (complete) {
		struct strbuf dur = STRBUF_INIT;
		when(&b, end, d->start);
		derive_duration(&dur, (long)(end - d->start));
		n.kind = NOTICE_MAINT_COMPLETE;
		n.maint = MAINT_COMPLETED;
		n.title = fmt(&sb, "%s: %s complete", d->system, what);
		n.body = fmt(
		        &sb,
		        "The maintenance on %s began at %s and was completed at %s, after %s.",
		        name, sb_str(&a), sb_str(&b), sb_str(&dur));
		sb_free(&dur);
	} else {
		when(&b, end, d->start);
		n.kind = NOTICE_MAINT_UNDERWAY;
		n.maint = MAINT_IN_PROGRESS;
		n.title = fmt(&sb, "%s: %s underway", d->system, what);
		n.body = fmt(&sb,
		             "%s went down for maintenance at %s. It may be up and down until "
		             "the window closes at %s.",
		             name, sb_str(&a), sb_str(&b));
	}
	sb_free(&a);
	sb_free(&b);
	snprintf(key, sizeof key, "maint-%s:%lld", complete ? "complete" : "underway",
	         (long long)d->id);
	return post(p, key, &n);
}

static int
maintenance_notices(struct pass *p)
{
	struct downtime *d;
	size_t n;
	int rc = store_downtimes(p->st, NULL, p->now - HISTORY, &d, &n);

	for (size_t i = 0; rc == 0 && i < n; i++) {
		time_t end = d[i].ended ? d[i].ended : d[i].end;
		if (p->now >= end && end > d[i].start)
			rc = maint_notice(p, &d[i], true);
		else if (p->now >= d[i].start && p->now < end)
			rc = maint_notice(p, &d[i], false);
	}
	downtimes_free(d, n);
	return rc;
}

int
derive_update(struct store *st, const struct config *cfg, time_t now, char *err, size_t errlen)
{
	struct pass p = {.st = st, .cfg = cfg, .now = now};
	int rc = store_begin(st);

	for (size_t i = 0; rc == 0 && i < cfg->nsystems; i++)
		rc = update_system(&p, &cfg->systems[i]);
	if (rc == 0)
		rc = maintenance_notices(&p);
	if (rc == 0)
		rc = store_commit(st);
	if (rc != 0) {
		snprintf(err, errlen, "derive: %s", store_error(st));
		store_rollback(st);
	}
	return rc;
}

/* The engine adapters' shared half (ingest.h): warnings, results for
 * configured checks, and downtimes as maintenance windows. */
#include "ingest.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "strbuf.h"

/* Windows that ended more than this long ago are not matched again: an
 * engine forgets a downtime once it is over. */
#define INGEST_WINDOW_MEMORY (30L * 86400)
/* Nagios runs a downtime's start event up to a second before its start
 * time (observed: scheduled for :49, STARTED logged at :48). */
#define INGEST_EARLY 2

void
ingest_warn(struct ingest_log *l, const char *file, long line, const char *fmt, ...)
{
	va_list ap;

	if (l->warnings++ >= l->max)
		return;
	if (line > 0)
		fprintf(stderr, "glance: %s:%ld: ", file, line);
	else
		fprintf(stderr, "glance: %s: ", file);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (l->warnings == l->max)
		fprintf(stderr, "glance: further warnings are only counted\n");
}

int
ingest_begin(struct ingest_ctx *c)
{
	return store_iwin_list(c->st, c->source, c->now - INGEST_WINDOW_MEMORY, &c->open,
	                       &c->nopen);
}

void
ingest_end(struct ingest_ctx *c)
{
	iwins_free(c->open, c->nopen);
	c->open = NULL;
	c->nopen = 0;
	ingest_index_free(&c->checks);
}

/* Inserts check number pos (its slot holds pos + 1). */
static void
index_put(struct ingest_index *x, const struct config *cfg, size_t pos)
{
	const struct cfg_check *k = &cfg->checks[pos];
	size_t j = store_key_hash(k->system, k->service) & (x->cap - 1);

	while (x->slot[j] != 0)
		j = (j + 1) & (x->cap - 1);
	x->slot[j] = pos + 1;
}

/* Takes in the checks added since the last call, and grows the table
 * to stay at most half full. Positions stay valid while checks are only
 * added (realloc moves the array, not the order); fewer checks than
 * indexed means the config was cut back, and everything is read again. */
static void
index_sync(struct ingest_index *x, const struct config *cfg)
{
	if (cfg->nchecks < x->n || cfg->nchecks * 2 >= x->cap) {
		free(x->slot);
		x->cap = x->cap ? x->cap : 16;
		while (x->cap <= cfg->nchecks * 2)
			x->cap *= 2;
		x->slot = xcalloc(x->cap, sizeof *x->slot);
		x->n = 0;
	}
	for (; x->n < cfg->nchecks; x->n++)
		index_put(x, cfg, x->n);
}

const struct cfg_check *
ingest_index_find(struct ingest_index *x, const struct config *cfg, const char *system,
                  const char *service)
{
	size_t j;

	index_sync(x, cfg);
	for (j = store_key_hash(system, service) & (x->cap - 1); x->slot[j] != 0;
	     j = (j + 1) & (x->cap - 1)) {
		const struct cfg_check *k = &cfg->checks[x->slot[j] - 1];
		if (strcmp(k->system, system) == 0 && strcmp(k->service, service) == 0)
			return k;
	}
	return NULL;
}

struct cfg_check *
ingest_add_check(struct ingest_index *x, struct config *cfg, const char *system,
                 const char *service, int interval, int retry, int attempts)
{
	const struct cfg_check *k = ingest_index_find(x, cfg, system, service);

	if (k != NULL)
		return (struct cfg_check *)k;
	return config_new_check(cfg, system, service, interval, retry, attempts);
}

void
ingest_index_free(struct ingest_index *x)
{
	free(x->slot);
	*x = (struct ingest_index){0};
}

const struct cfg_check *
ingest_check(struct ingest_ctx *c, const char *system, const char *service)
{
	return ingest_index_find(&c->checks, c->cfg, system, service);
}

/* Certificate checks: glance's own (also as installed for an engine),
 * Matteo Corti's check_ssl_cert and the Icinga Template Library's
 * CheckCommand for it. */
static const char *const tls_plugins[] = {"check_tls_cert", "glance_check_tls_cert",
                                          "check_ssl_cert", "ssl_cert"};

static void
impact_set(struct ingest_log *log, const struct ingest_impacts *im, const char *what,
           const char *v, int *out)
{
	char low[16];
	size_t n = 0;
	int i;

	if (v == NULL)
		return;
	for (; v[n] != '\0' && n + 1 < sizeof low; n++)
		low[n] = (char)tolower((unsigned char)v[n]);
	low[n] = '\0';
	i = v[n] == '\0' ? impact_parse(low) : -1;
	if (i < 0)
		ingest_warn(log, im->file, im->line,
		            "%s must be none, degraded, partial or major, not '%s': ignored",
		            what, v);
	else
		*out = i;
}

void
ingest_check_impacts(struct ingest_log *log, struct cfg_check *k,
                     const struct ingest_impacts *im)
{
	const char *p = im->plugin ? im->plugin : "";
	const char *base = strrchr(p, '/') ? strrchr(p, '/') + 1 : p;

	for (size_t i = 0; i < sizeof tls_plugins / sizeof tls_plugins[0]; i++)
		if (strcmp(base, tls_plugins[i]) == 0)
			k->impact_warning = IMPACT_NONE;
	impact_set(log, im, "impact_warning", im->warning, &k->impact_warning);
	impact_set(log, im, "impact_critical", im->critical, &k->impact_critical);
}

bool
ingest_parent(struct config *cfg, struct cfg_system *s, const char *parent,
              struct ingest_log *log, const char *file)
{
	const struct cfg_system *q = config_system(cfg, parent);

	if (q == NULL || q == s || s->parent != NULL || s < cfg->systems + cfg->declared)
		return false;
	for (size_t hops = 0; q != NULL && q->parent != NULL; hops++) {
		q = config_system(cfg, q->parent);
		if (q == s || hops > cfg->nsystems) {
			ingest_warn(log, file, 0,
			            "host %s: parent %s would make a loop: ignored", s->id,
			            parent);
			return false;
		}
	}
	s->parent = xstrdup(parent);
	return true;
}

enum gl_state
ingest_host_state(int core_state)
{
	return core_state == 0 ? GL_OK : GL_CRITICAL;
}

int
ingest_result(struct ingest_ctx *c, const struct gl_result *r)
{
	if (ingest_check(c, r->system, r->service) == NULL)
		return 0;
	c->results++;
	return store_record(c->st, r) < 0 ? -1 : 0;
}

struct ingest_window *
ingest_window_find(struct ingest_ctx *c, const struct ingest_window_args *a)
{
	bool by_id = a->ext_id != NULL && *a->ext_id != '\0';

	for (size_t i = 0; by_id && i < c->nopen; i++)
		if (strcmp(c->open[i].ext_id, a->ext_id) == 0 &&
		    strcmp(c->open[i].host, a->host) == 0)
			return &c->open[i];
	/* not linked to an id yet: the log's SCHEDULE line carries none */
	for (size_t i = 0; i < c->nopen; i++) {
		struct ingest_window *w = &c->open[i];
		if (strcmp(w->host, a->host) == 0 && w->start == a->start && w->end == a->end &&
		    strcmp(w->comment, a->comment ? a->comment : "") == 0 &&
		    (!by_id || *w->ext_id == '\0'))
			return w;
	}
	return NULL;
}

static int
window_add(struct ingest_ctx *c, const struct cfg_system *sys,
           const struct ingest_window_args *a, struct ingest_window **out)
{
	struct downtime d = {.system = (char *)a->host,
	                     .start = a->start,
	                     .end = a->fixed ? a->end : a->start + a->duration,
	                     .reason = (char *)(a->comment ? a->comment : ""),
	                     .created = a->entry ? a->entry : a->start,
	                     .title = (char *)""};
	struct ingest_window w = {.host = (char *)a->host,
	                          .ext_id = (char *)(a->ext_id ? a->ext_id : ""),
	                          .start = a->start,
	                          .end = a->end,
	                          .comment = d.reason,
	                          .fixed = a->fixed,
	                          .duration = a->duration,
	                          .entry = d.created};

	/* a flexible window shows its scheduled length from its earliest
	 * start until it is triggered; its real start moves it then */
	if (d.end > a->end || d.end <= d.start)
		d.end = a->end;
	if ((d.id = store_downtime_add(c->st, &d)) < 0 ||
	    maint_post_scheduled(c->st, sys, &d, d.created) < 0)
		return -1;
	w.downtime = d.id;
	if (store_iwin_add(c->st, c->source, &w) != 0)
		return -1;
	c->open = xrealloc(c->open, (c->nopen + 1) * sizeof *c->open);
	c->open[c->nopen] = w;
	c->open[c->nopen].host = xstrdup(w.host);
	c->open[c->nopen].ext_id = xstrdup(w.ext_id);
	c->open[c->nopen].comment = xstrdup(w.comment);
	*out = &c->open[c->nopen++];
	c->windows++;
	return 0;
}

int
ingest_window_schedule(struct ingest_ctx *c, const struct ingest_window_args *a,
                       struct ingest_window **out)
{
	const struct cfg_system *sys = config_system(c->cfg, a->host);
	struct ingest_window *w = ingest_window_find(c, a);

	*out = w;
	if (w != NULL) {
		if (a->ext_id == NULL || *a->ext_id == '\0' || *w->ext_id != '\0')
			return 0;
		free(w->ext_id);
		w->ext_id = xstrdup(a->ext_id);
		return store_iwin_set(c->st, w);
	}
	if (sys == NULL || a->end <= a->start)
		return 0;
	return window_add(c, sys, a, out);
}

int
ingest_window_begin(struct ingest_ctx *c, struct ingest_window *w, time_t t)
{
	time_t end = w->fixed ? w->end : t + w->duration;

	if (w->state != IW_SCHEDULED)
		return 0;
	w->state = IW_IN_EFFECT;
	if (end <= t)
		end = t + 1;
	return store_downtime_set_window(c->st, w->downtime, t, end) != 0 ||
	                       store_iwin_set(c->st, w) != 0
	               ? -1
	               : 0;
}

int
ingest_window_started(struct ingest_ctx *c, const char *host, time_t t)
{
	bool any = false;

	for (size_t i = 0; i < c->nopen; i++) {
		struct ingest_window *w = &c->open[i];
		if (w->state == IW_SCHEDULED && w->fixed && strcmp(w->host, host) == 0 &&
		    w->start <= t + INGEST_EARLY && t < w->end) {
			if (ingest_window_begin(c, w, t) != 0)
				return -1;
			any = true;
		}
	}
	/* a flexible downtime starts when its host goes down in its window */
	for (size_t i = 0; !any && i < c->nopen; i++) {
		struct ingest_window *w = &c->open[i];
		if (w->state == IW_SCHEDULED && !w->fixed && strcmp(w->host, host) == 0 &&
		    w->start <= t && t <= w->end)
			return ingest_window_begin(c, w, t);
	}
	return 0;
}

int
ingest_window_end(struct ingest_ctx *c, struct ingest_window *w, time_t t)
{
	if (w->state == IW_DONE)
		return 0;
	w->state = IW_DONE;
	return store_downtime_finish(c->st, w->downtime, t, false) != 0 ||
	                       store_iwin_set(c->st, w) != 0
	               ? -1
	               : 0;
}

int
ingest_window_stopped(struct ingest_ctx *c, const char *host, time_t t)
{
	for (size_t i = 0; i < c->nopen; i++) {
		struct ingest_window *w = &c->open[i];
		bool began = w->state == IW_IN_EFFECT ||
		             (w->state == IW_SCHEDULED && w->fixed && w->start <= t);
		if (began && strcmp(w->host, host) == 0 && ingest_window_end(c, w, t) != 0)
			return -1;
	}
	return 0;
}

int
ingest_window_cancel(struct ingest_ctx *c, struct ingest_window *w, time_t t)
{
	struct downtime d;
	int rc;

	if (w->state != IW_SCHEDULED)
		return 0;
	w->state = IW_DONE;
	if (store_downtime_finish(c->st, w->downtime, t, true) != 0 ||
	    store_iwin_set(c->st, w) != 0 || store_downtime_get(c->st, w->downtime, &d) <= 0)
		return -1;
	rc = maint_post_cancelled(c->st, &d, t) < 0 ? -1 : 0;
	downtime_free(&d);
	return rc;
}

int
ingest_window_vanished(struct ingest_ctx *c, const int64_t *seen, size_t nseen, time_t t)
{
	for (size_t i = 0; i < c->nopen; i++) {
		struct ingest_window *w = &c->open[i];
		bool found = false;
		int rc = 0;
		for (size_t k = 0; k < nseen && !found; k++)
			found = seen[k] == w->downtime;
		if (found || w->state == IW_DONE || w->entry >= t)
			continue;
		if (w->end > t)
			rc = w->state == IW_SCHEDULED ? ingest_window_cancel(c, w, t)
			                              : ingest_window_end(c, w, t);
		else
			rc = ingest_window_end(c, w, w->end);
		if (rc != 0)
			return -1;
	}
	return 0;
}

int
ingest_commit(struct ingest_ctx *c, int rc)
{
	if (rc == 0 && store_commit(c->st) == 0)
		return 0;
	store_rollback(c->st);
	return -1;
}

/* Icinga 2 through its REST API (ingest_icinga2.h): libcurl for HTTPS,
 * jansson for JSON. */
#include "ingest_icinga2.h"

#include <curl/curl.h>
#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <math.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "strbuf.h"

#define IC_SOURCE "icinga2"
#define IC_BODY_MAX (256L << 20) /* an objects answer larger than this is refused */
#define IC_EVENT_MAX (1L << 20)  /* one event line */
#define IC_TIMEOUT 30            /* seconds for an objects request */
#define IC_RECONNECT_MAX 30      /* seconds between stream reconnects, at most */

struct ic_conn {
	const struct cfg_source *src;
	char password[512];
	char err[CURL_ERROR_SIZE];
};

/* The first line of the password file. */
static int
read_password(struct ic_conn *k, char *err, size_t errlen)
{
	FILE *f = fopen(k->src->password_file, "r");

	if (f == NULL) {
		snprintf(err, errlen, "%s: %s", k->src->password_file, strerror(errno));
		return -1;
	}
	if (fgets(k->password, sizeof k->password, f) == NULL)
		k->password[0] = '\0';
	fclose(f);
	k->password[strcspn(k->password, "\r\n")] = '\0';
	if (k->password[0] == '\0') {
		snprintf(err, errlen, "%s: no password in its first line",
		         k->src->password_file);
		return -1;
	}
	return 0;
}

static size_t
body_write(char *p, size_t size, size_t n, void *arg)
{
	struct strbuf *sb = arg;

	if ((long)(sb->len + size * n) > IC_BODY_MAX)
		return 0; /* aborts the transfer */
	sb_appendn(sb, p, size * n);
	return size * n;
}

/* A handle for path on the API: TLS verified, basic auth, JSON. */
static CURL *
ic_handle(struct ic_conn *k, const char *path, struct curl_slist **hdr)
{
	CURL *h = curl_easy_init();
	struct strbuf url = STRBUF_INIT;
	const char *base = k->src->url;
	size_t bl = strlen(base);

	if (h == NULL)
		return NULL;
	sb_appendf(&url, "%.*s%s", (int)(bl && base[bl - 1] == '/' ? bl - 1 : bl), base, path);
	*hdr = curl_slist_append(NULL, "Accept: application/json");
	if (curl_easy_setopt(h, CURLOPT_URL, sb_str(&url)) != CURLE_OK ||
	    curl_easy_setopt(h, CURLOPT_USERNAME, k->src->user) != CURLE_OK ||
	    curl_easy_setopt(h, CURLOPT_PASSWORD, k->password) != CURLE_OK ||
	    curl_easy_setopt(h, CURLOPT_HTTPHEADER, *hdr) != CURLE_OK ||
	    curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L) != CURLE_OK ||
	    curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L) != CURLE_OK ||
	    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "https") != CURLE_OK ||
	    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, k->err) != CURLE_OK ||
	    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L) != CURLE_OK ||
	    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 10L) != CURLE_OK ||
	    (k->src->ca != NULL &&
	     curl_easy_setopt(h, CURLOPT_CAINFO, k->src->ca) != CURLE_OK)) {
		curl_easy_cleanup(h);
		curl_slist_free_all(*hdr);
		*hdr = NULL;
		h = NULL;
	}
	sb_free(&url);
	return h;
}

/* GET path; the parsed JSON answer, or NULL with err. */
static json_t *
ic_get(struct ic_conn *k, const char *path, char *err, size_t errlen)
{
	struct curl_slist *hdr = NULL;
	struct strbuf body = STRBUF_INIT;
	CURL *h = ic_handle(k, path, &hdr);
	json_t *j = NULL;
	json_error_t je;
	long code = 0;
	CURLcode rc;

	k->err[0] = '\0';
	if (h == NULL) {
		snprintf(err, errlen, "%s: cannot set up the request", k->src->url);
		return NULL;
	}
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, body_write);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &body);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, (long)IC_TIMEOUT);
	rc = curl_easy_perform(h);
	if (rc == CURLE_OK)
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
	if (rc != CURLE_OK)
		snprintf(err, errlen, "%s%s: %s", k->src->url, path,
		         k->err[0] ? k->err : curl_easy_strerror(rc));
	else if (code != 200)
		snprintf(err, errlen, "%s%s: HTTP %ld%s", k->src->url, path, code,
		         code == 401 ? " (user or password wrong)" : "");
	else if ((j = json_loadb(sb_str(&body), body.len, 0, &je)) == NULL)
		snprintf(err, errlen, "%s%s: line %d: %s", k->src->url, path, je.line, je.text);
	curl_easy_cleanup(h);
	curl_slist_free_all(hdr);
	sb_free(&body);
	return j;
}

static const char *
jstr(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

/* A number, bounded so that converting it to time_t is defined (an
 * engine's 1e308 is no time at all). */
static double
jnum(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	double d = json_is_number(v) ? json_number_value(v) : 0;
	return d > 1e15 ? 1e15 : d < -1e15 ? -1e15 : d;
}

/* The same as an int (states, attempts, intervals), clamped to its range. */
static int
jint(json_t *o, const char *key)
{
	double d = jnum(o, key);
	return d > INT_MAX ? INT_MAX : d < INT_MIN ? INT_MIN : (int)d;
}

/* A variable in any case ("location", "Location"). */
static const char *
jvar(json_t *attrs, const char *name)
{
	json_t *vars = json_object_get(attrs, "vars"), *v;
	const char *k;

	json_object_foreach(vars, k, v) if (strcasecmp(k, name) == 0 &&
	                                    json_is_string(v)) return json_string_value(v);
	return NULL;
}

/* One check's last result as the store's result; 0 when it has none. */
static int
ic_result(json_t *attrs, json_t *cr, bool host, struct gl_result *r, struct strbuf *out,
          struct strbuf *perf)
{
	json_t *after = json_object_get(cr, "vars_after"), *p;
	const char *o = jstr(cr, "output"), *nl = strchr(o, '\n');
	size_t i;
	double t = jnum(cr, "execution_end");
	int st = jint(after ? after : attrs, "state");

	if (!json_is_object(cr) || t <= 0)
		return 0;
	sb_reset(out);
	sb_reset(perf);
	sb_appendn(out, o, nl ? (size_t)(nl - o) : strlen(o));
	sb_appendc(out, '\0');
	sb_append(out, nl ? nl + 1 : "");
	json_array_foreach(json_object_get(cr, "performance_data"), i, p) if (json_is_string(p))
	        sb_appendf(perf, "%s%s", perf->len ? " " : "", json_string_value(p));
	r->state = host ? ingest_host_state(st) : (enum gl_state)(st >= 0 && st <= 3 ? st : 3);
	r->hard = jint(after ? after : attrs, "state_type") == 1;
	r->attempt = after ? jint(after, "attempt") : jint(attrs, "check_attempt");
	if (r->attempt < 1)
		r->attempt = 1;
	r->output = sb_str(out);
	r->long_output = r->output + strlen(r->output) + 1;
	r->perfdata = sb_str(perf);
	r->t = (time_t)t;
	return 1;
}

/* Records a result unless the store has it: the objects, a CheckResult
 * and its StateChange all carry the same result, and it must count
 * once. Times are whole seconds there, so a result of the same second
 * counts when it says something else (SOFT 1 then HARD in one second).
 * Returns 1 when recorded. */
static int
record_newer(struct ingest_ctx *c, const struct gl_result *r)
{
	struct svc_row row;
	int has = store_get_service(c->st, r->system, r->service, &row);
	bool same;

	if (has < 0)
		return -1;
	svc_row_free(&row);
	same = has && row.st.state == r->state && row.st.hard == r->hard &&
	       row.st.attempt == r->attempt;
	if (has && (r->t < row.st.last_check || (r->t == row.st.last_check && same)))
		return 0;
	if (ingest_check(c, r->system, r->service) == NULL)
		return 0;
	return ingest_result(c, r) != 0 ? -1 : 1;
}

static int
ic_check_result(struct ingest_ctx *c, json_t *attrs, const char *host, const char *service)
{
	struct strbuf out = STRBUF_INIT, perf = STRBUF_INIT;
	struct gl_result r = {.system = host,
	                      .service = service ? service : INGEST_HOST_SERVICE};
	int rc = 0;

	if (ic_result(attrs, json_object_get(attrs, "last_check_result"), service == NULL, &r,
	              &out, &perf) == 1)
		rc = record_newer(c, &r) < 0 ? -1 : 0;
	sb_free(&out);
	sb_free(&perf);
	return rc;
}

/* The executable a CheckCommand runs: the first word of its command
 * (an array, or a string), else the command's own name. */
static const char *
ic_plugin(json_t *cmds, const char *name, char *buf, size_t len)
{
	json_t *o;
	size_t i;

	snprintf(buf, len, "%s", name);
	json_array_foreach(json_object_get(cmds, "results"), i, o)
	{
		json_t *cmd = json_object_get(json_object_get(o, "attrs"), "command");
		const char *first;
		if (strcmp(jstr(o, "name"), name) != 0)
			continue;
		first = json_is_array(cmd) ? json_string_value(json_array_get(cmd, 0))
		                           : json_string_value(cmd);
		if (first != NULL && *first != '\0')
			snprintf(buf, len, "%.*s", (int)strcspn(first, " "), first);
		break;
	}
	return buf;
}

/* The check's impacts from its CheckCommand and vars.impact_warning,
 * vars.impact_critical. */
static void
ic_impacts(struct ingest_ctx *c, struct cfg_check *k, json_t *attrs, json_t *cmds,
           const char *where)
{
	char buf[256];

	if (k->command != NULL)
		return; /* declared in the file: the file wins */
	ingest_check_impacts(
	        c->log, k,
	        &(struct ingest_impacts){
	                ic_plugin(cmds, jstr(attrs, "check_command"), buf, sizeof buf),
	                jvar(attrs, "impact_warning"), jvar(attrs, "impact_critical"), where,
	                0});
}

static void
ic_host_system(struct ingest_ctx *c, json_t *attrs, const char *name, json_t *cmds)
{
	const char *display = jvar(attrs, "display"), *dn = jstr(attrs, "display_name");
	const char *loc = jvar(attrs, "location"), *role = jvar(attrs, "role");
	const char *vis = jvar(attrs, "visibility"), *zone = jstr(attrs, "zone");
	const char *group =
	        json_string_value(json_array_get(json_object_get(attrs, "groups"), 0));
	struct cfg_system *s;

	s = config_add_system(c->cfg, name,
	                      display                        ? display
	                      : *dn && strcmp(dn, name) != 0 ? dn
	                                                     : name,
	                      loc ? loc : zone, role ? role : group,
	                      vis != NULL && strcasecmp(vis, "internal") == 0);
	if (s->ping == NULL)
		s->ping = xstrdup(c->cfg->source.ping ? c->cfg->source.ping
		                                      : INGEST_HOST_SERVICE);
	ic_impacts(c,
	           ingest_add_check(&c->checks, c->cfg, name, INGEST_HOST_SERVICE,
	                            jint(attrs, "check_interval"),
	                            jint(attrs, "retry_interval"),
	                            jint(attrs, "max_check_attempts")),
	           attrs, cmds, "/v1/objects/hosts");
}

static void
ic_service_check(struct ingest_ctx *c, json_t *attrs, const char *host, const char *svc,
                 json_t *cmds)
{
	struct cfg_system *s = (struct cfg_system *)config_system(c->cfg, host);

	if (s == NULL)
		return;
	ic_impacts(c,
	           ingest_add_check(&c->checks, c->cfg, host, svc,
	                            jint(attrs, "check_interval"),
	                            jint(attrs, "retry_interval"),
	                            jint(attrs, "max_check_attempts")),
	           attrs, cmds, "/v1/objects/services");
	if (s->ping != NULL && strcmp(svc, s->ping) == 0)
		return;
	for (size_t i = 0; i < s->nservices; i++)
		if (strcmp(s->services[i], svc) == 0)
			return;
	s->services = xrealloc(s->services, (s->nservices + 1) * sizeof *s->services);
	s->services[s->nservices++] = xstrdup(svc);
}

/* A host's parent: its vars.parent, else the parent host of the first
 * of its host Dependency objects (child_service_name empty) whose
 * parent is a known host. Icinga 2 itself uses Dependencies to tell a
 * host unreachable; vars.parent is for a layout that has none. */
static void
ic_parents(struct ingest_ctx *c, json_t *hosts, json_t *deps)
{
	json_t *o;
	size_t i;

	json_array_foreach(json_object_get(hosts, "results"), i, o)
	{
		struct cfg_system *s =
		        (struct cfg_system *)config_system(c->cfg, jstr(o, "name"));
		const char *p = jvar(json_object_get(o, "attrs"), "parent");
		if (s != NULL && p != NULL)
			ingest_parent(c->cfg, s, p, c->log, "/v1/objects/hosts");
	}
	json_array_foreach(json_object_get(deps, "results"), i, o)
	{
		json_t *a = json_object_get(o, "attrs");
		struct cfg_system *s =
		        (struct cfg_system *)config_system(c->cfg, jstr(a, "child_host_name"));
		if (s != NULL && *jstr(a, "child_service_name") == '\0')
			ingest_parent(c->cfg, s, jstr(a, "parent_host_name"), c->log,
			              "/v1/objects/dependencies");
	}
}

/* Hosts first (they make the systems), then services. */
struct ic_objs {
	json_t *hosts, *svcs, *dts, *deps, *cmds;
};

static int
ic_objects(struct ingest_ctx *c, const struct ic_objs *j)
{
	json_t *hosts = j->hosts, *svcs = j->svcs;
	json_t *o;
	size_t i;
	int rc = 0;

	json_array_foreach(json_object_get(hosts, "results"), i, o)
	{
		json_t *a = json_object_get(o, "attrs");
		const char *name = jstr(o, "name");
		if (!json_is_object(a) || *name == '\0' || strchr(name, '/') != NULL) {
			ingest_warn(c->log, "/v1/objects/hosts", (long)i + 1,
			            "not a host: skipped");
			continue;
		}
		ic_host_system(c, a, name, j->cmds);
	}
	json_array_foreach(json_object_get(svcs, "results"), i, o)
	{
		json_t *a = json_object_get(o, "attrs");
		if (!json_is_object(a) || !json_is_string(json_object_get(a, "host_name")) ||
		    !json_is_string(json_object_get(a, "name"))) {
			ingest_warn(c->log, "/v1/objects/services", (long)i + 1,
			            "not a service: skipped");
			continue;
		}
		ic_service_check(c, a, jstr(a, "host_name"), jstr(a, "name"), j->cmds);
	}
	ic_parents(c, hosts, j->deps);
	if (store_ingest_systems_put(c->st, IC_SOURCE, c->cfg, c->cfg->declared) != 0)
		return -1;
	json_array_foreach(json_object_get(hosts, "results"), i, o) if (rc == 0) rc =
	        ic_check_result(c, json_object_get(o, "attrs"), jstr(o, "name"), NULL);
	json_array_foreach(json_object_get(svcs, "results"), i, o)
	{
		json_t *a = json_object_get(o, "attrs");
		if (rc == 0 && json_is_object(a))
			rc = ic_check_result(c, a, jstr(a, "host_name"), jstr(a, "name"));
	}
	return rc;
}

static struct ingest_window_args
dt_args(json_t *d)
{
	bool fixed = json_is_true(json_object_get(d, "fixed"));
	return (struct ingest_window_args){.host = jstr(d, "host_name"),
	                                   .ext_id = jstr(d, "__name"),
	                                   .comment = jstr(d, "comment"),
	                                   .entry = (time_t)jnum(d, "entry_time"),
	                                   .start = (time_t)jnum(d, "start_time"),
	                                   .end = (time_t)jnum(d, "end_time"),
	                                   .fixed = fixed,
	                                   .duration = jint(d, "duration")};
}

/* A host downtime (service ones do not make a system's window). */
static bool
host_downtime(json_t *d)
{
	return json_is_object(d) && *jstr(d, "host_name") != '\0' &&
	       *jstr(d, "__name") != '\0' && *jstr(d, "service_name") == '\0';
}

static int
dt_schedule(struct ingest_ctx *c, json_t *d, struct ingest_window **w)
{
	struct ingest_window_args a = dt_args(d);
	double trig = jnum(d, "trigger_time");

	*w = NULL;
	if (ingest_window_schedule(c, &a, w) != 0)
		return -1;
	if (*w != NULL && trig > 0 && (*w)->state == IW_SCHEDULED)
		return ingest_window_begin(c, *w, (time_t)trig);
	return 0;
}

static int
ic_downtimes(struct ingest_ctx *c, json_t *dts)
{
	json_t *arr = json_object_get(dts, "results"), *o;
	int64_t *seen = xcalloc(json_array_size(arr) + 1, sizeof *seen);
	size_t i, nseen = 0;
	int rc = 0;

	json_array_foreach(arr, i, o)
	{
		json_t *d = json_object_get(o, "attrs");
		struct ingest_window *w;
		if (rc != 0 || !host_downtime(d))
			continue;
		rc = dt_schedule(c, d, &w);
		if (rc == 0 && w != NULL)
			seen[nseen++] = w->downtime;
	}
	if (rc == 0)
		rc = ingest_window_vanished(c, seen, nseen, c->now);
	free(seen);
	return rc;
}

/* GET of an optional list (dependencies, check commands): an API user
 * without the permission still gets the rest, with a warning. */
static json_t *
ic_get_optional(struct ingest_ctx *c, struct ic_conn *k, const char *path)
{
	char err[512];
	json_t *j = ic_get(k, path, err, sizeof err);

	if (j == NULL)
		ingest_warn(c->log, path, 0, "%s: read without it", err);
	return j;
}

static int
ic_reconcile(struct ingest_ctx *c, struct ic_conn *k, char *err, size_t errlen)
{
	struct ic_objs j = {.hosts = ic_get(k, "/v1/objects/hosts", err, errlen)};
	int rc = -1;

	if (j.hosts != NULL)
		j.svcs = ic_get(k, "/v1/objects/services", err, errlen);
	if (j.svcs != NULL)
		j.dts = ic_get(k, "/v1/objects/downtimes", err, errlen);
	if (j.dts != NULL) {
		j.deps = ic_get_optional(c, k, "/v1/objects/dependencies");
		j.cmds = ic_get_optional(c, k, "/v1/objects/checkcommands?attrs=command");
	}
	if (j.dts != NULL && store_begin(c->st) == 0) {
		rc = ingest_commit(c, ic_objects(c, &j) != 0 || ic_downtimes(c, j.dts) != 0);
		if (rc != 0)
			snprintf(err, errlen, "store: %s", store_error(c->st));
	}
	json_decref(j.hosts);
	json_decref(j.svcs);
	json_decref(j.dts);
	json_decref(j.deps);
	json_decref(j.cmds);
	return rc;
}

int
ic_ingest_pass(struct ingest_ctx *c, const struct cfg_source *src, char *err, size_t errlen)
{
	struct ic_conn k = {.src = src};
	int rc;

	if (read_password(&k, err, errlen) != 0)
		return -1;
	c->results = c->windows = 0;
	if (ingest_begin(c) != 0) {
		snprintf(err, errlen, "store: %s", store_error(c->st));
		return -1;
	}
	rc = ic_reconcile(c, &k, err, errlen);
	ingest_end(c);
	return rc;
}

int
ic_apply_objects(struct ingest_ctx *c, const char *const body[IC_OBJ_N],
                 const size_t len[IC_OBJ_N], char *err, size_t errlen)
{
	json_t *j[IC_OBJ_N] = {NULL};
	json_error_t je;
	int rc = -1, i;

	for (i = 0; i < IC_OBJ_N; i++) {
		if (body[i] != NULL)
			j[i] = json_loadb(body[i], len[i], 0, &je);
		if (j[i] == NULL && (body[i] != NULL || i < 3)) {
			snprintf(err, errlen, "answer %d: line %d: %s", i + 1,
			         body[i] ? je.line : 0, body[i] ? je.text : "missing");
			break;
		}
	}
	struct ic_objs o = {j[0], j[1], j[2], j[3], j[4]};
	c->results = c->windows = 0;
	if (i == IC_OBJ_N) {
		if (ingest_begin(c) == 0 && store_begin(c->st) == 0)
			rc = ingest_commit(c, ic_objects(c, &o) != 0 ||
			                              ic_downtimes(c, o.dts) != 0);
		if (rc != 0)
			snprintf(err, errlen, "store: %s", store_error(c->st));
		ingest_end(c);
	}
	for (i = 0; i < IC_OBJ_N; i++)
		json_decref(j[i]);
	return rc;
}

/* CheckResult and StateChange: the result they carry. */
static int
ev_result(struct ingest_ctx *c, json_t *ev)
{
	struct strbuf out = STRBUF_INIT, perf = STRBUF_INIT;
	const char *svc = jstr(ev, "service");
	struct gl_result r = {.system = jstr(ev, "host"),
	                      .service = *svc ? svc : INGEST_HOST_SERVICE};
	int rc = 0;

	if (ic_result(ev, json_object_get(ev, "check_result"), *svc == '\0', &r, &out, &perf) ==
	    1)
		rc = record_newer(c, &r);
	sb_free(&out);
	sb_free(&perf);
	return rc;
}

static struct ingest_window *
ev_window(struct ingest_ctx *c, json_t *d)
{
	struct ingest_window_args a = dt_args(d);
	return ingest_window_find(c, &a);
}

/* DowntimeRemoved: remove_time > 0 is a deletion (cancelled before it
 * began, ended early after), 0 is expiry at its end. */
static int
ev_removed(struct ingest_ctx *c, json_t *d)
{
	struct ingest_window *w = ev_window(c, d);
	double removed = jnum(d, "remove_time"), trig = jnum(d, "trigger_time");
	time_t end = (time_t)jnum(d, "end_time");

	if (w == NULL || w->state == IW_DONE)
		return 0;
	if (!json_is_true(json_object_get(d, "fixed")) && trig > 0)
		end = (time_t)trig + (time_t)jnum(d, "duration");
	if (removed > 0)
		return w->state == IW_SCHEDULED ? ingest_window_cancel(c, w, (time_t)removed)
		                                : ingest_window_end(c, w, (time_t)removed);
	return w->state == IW_SCHEDULED ? ingest_window_cancel(c, w, end)
	                                : ingest_window_end(c, w, end);
}

/* Returns 1 when the event was applied, 0 when it is not a host
 * downtime's, -1 on a store error. */
static int
ev_downtime(struct ingest_ctx *c, const char *type, json_t *ev)
{
	json_t *d = json_object_get(ev, "downtime");
	struct ingest_window *w;
	double trig;

	if (!host_downtime(d))
		return 0;
	if (strcmp(type, "DowntimeAdded") == 0)
		return dt_schedule(c, d, &w) != 0 ? -1 : 1;
	if (strcmp(type, "DowntimeRemoved") == 0)
		return ev_removed(c, d) != 0 ? -1 : 1;
	/* DowntimeStarted (trigger_time still 0 for a fixed one) or
	 * Triggered: Icinga 2 triggers a fixed downtime at the later of its
	 * start and entry times, whenever its timer gets to it */
	if (dt_schedule(c, d, &w) != 0)
		return -1;
	trig = jnum(d, "trigger_time");
	if (trig <= 0 && json_is_true(json_object_get(d, "fixed")))
		trig = fmax(jnum(d, "start_time"), jnum(d, "entry_time"));
	if (w == NULL)
		return 0;
	return ingest_window_begin(c, w, (time_t)(trig > 0 ? trig : jnum(ev, "timestamp"))) != 0
	               ? -1
	               : 1;
}

int
ic_apply_event(struct ingest_ctx *c, const char *json, size_t len, long number)
{
	json_error_t je;
	json_t *ev = json_loadb(json, len, 0, &je);
	const char *type;
	int rc = 0;

	if (!json_is_object(ev)) {
		ingest_warn(c->log, "icinga2 events", number, "not a JSON object (%s): skipped",
		            ev ? "wrong type" : je.text);
		json_decref(ev);
		return 0;
	}
	type = jstr(ev, "type");
	if (c->log->verbose > 1)
		fprintf(stderr, "glance: icinga2: event %ld: %s\n", number, type);
	if (strcmp(type, "CheckResult") == 0 || strcmp(type, "StateChange") == 0)
		rc = ev_result(c, ev);
	else if (strncmp(type, "Downtime", 8) == 0)
		rc = ev_downtime(c, type, ev);
	else if (strcmp(type, "AcknowledgementSet") == 0 && c->log->verbose)
		fprintf(stderr, "glance: icinga2: %s%s%s acknowledged by %s: %s\n",
		        jstr(ev, "host"), *jstr(ev, "service") ? "!" : "", jstr(ev, "service"),
		        jstr(ev, "author"), jstr(ev, "comment"));
	json_decref(ev);
	return rc;
}

/* Events per transaction in a replay: one commit each would make the
 * disk, not the parsing, the limit. */
#define IC_REPLAY_BATCH 1000

static int
replay_lines(struct ingest_ctx *c, FILE *f, const char *path, char *err, size_t errlen)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	long number = 0;
	int rc = 0;

	while (rc == 0 && (n = getline(&line, &cap, f)) >= 0) {
		number++;
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		if (n == 0)
			continue;
		if (n > IC_EVENT_MAX)
			ingest_warn(c->log, path, number,
			            "event longer than %ld bytes: skipped", IC_EVENT_MAX);
		else if (ic_apply_event(c, line, (size_t)n, number) < 0)
			rc = -1;
		if (rc == 0 && number % IC_REPLAY_BATCH == 0 &&
		    (store_commit(c->st) != 0 || store_begin(c->st) != 0))
			rc = -1;
	}
	free(line);
	if (rc != 0)
		snprintf(err, errlen, "store: %s", store_error(c->st));
	return rc;
}

int
ic_replay(struct ingest_ctx *c, const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	int rc;

	if (f == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (ingest_begin(c) != 0 || store_begin(c->st) != 0) {
		snprintf(err, errlen, "store: %s", store_error(c->st));
		fclose(f);
		ingest_end(c);
		return -1;
	}
	rc = replay_lines(c, f, path, err, errlen);
	if (rc == 0 && store_commit(c->st) != 0) {
		snprintf(err, errlen, "store: %s", store_error(c->st));
		rc = -1;
	}
	if (rc != 0)
		store_rollback(c->st);
	fclose(f);
	ingest_end(c);
	return rc;
}

/* The event stream of one connection. */
struct stream {
	struct ic_follow *f;
	struct ic_conn *k;
	CURL *h;
	struct strbuf line;
	bool skipping; /* inside a line longer than IC_EVENT_MAX */
	bool connected;
	long events;
	int changed;
	time_t rendered;
};

static void
stream_render(struct stream *s)
{
	if (s->f->render(s->f->arg) != 0)
		fprintf(stderr, "glance: icinga2: render failed\n");
	s->changed = 0;
	s->rendered = time(NULL);
}

/* The whole state again, while the new stream's events wait in its
 * socket: the engine sends none of what happened while we were away. */
static void
stream_reconcile(struct stream *s)
{
	struct ingest_ctx *c = s->f->c;
	char err[512];

	c->now = time(NULL);
	ingest_end(c);
	if (ingest_begin(c) != 0 || ic_reconcile(c, s->k, err, sizeof err) != 0)
		fprintf(stderr, "glance: icinga2: %s\n", err);
	else if (c->log->verbose)
		fprintf(stderr, "glance: icinga2: connected; objects read again\n");
	stream_render(s);
}

static size_t
stream_header(char *p, size_t size, size_t n, void *arg)
{
	struct stream *s = arg;
	long code = 0;

	if (size * n <= 2 && (p[0] == '\r' || p[0] == '\n')) {
		curl_easy_getinfo(s->h, CURLINFO_RESPONSE_CODE, &code);
		if (code == 200 && !s->connected) {
			s->connected = true;
			stream_reconcile(s);
		}
	}
	return size * n;
}

static void
stream_event(struct stream *s, const char *json, size_t len)
{
	struct ingest_ctx *c = s->f->c;
	int rc;

	if (len == 0)
		return;
	s->events++;
	if (store_begin(c->st) != 0) {
		fprintf(stderr, "glance: icinga2: store: %s\n", store_error(c->st));
		return;
	}
	rc = ic_apply_event(c, json, len, s->events);
	if (rc < 0 || store_commit(c->st) != 0) {
		fprintf(stderr, "glance: icinga2: store: %s\n", store_error(c->st));
		store_rollback(c->st);
	} else if (rc > 0) {
		s->changed = 1;
	}
}

static size_t
stream_write(char *p, size_t size, size_t n, void *arg)
{
	struct stream *s = arg;
	size_t len = size * n;

	for (size_t off = 0; off < len;) {
		const char *nl = memchr(p + off, '\n', len - off);
		size_t k = nl ? (size_t)(nl - (p + off)) : len - off;
		if (!s->skipping)
			sb_appendn(&s->line, p + off, k);
		if ((long)s->line.len > IC_EVENT_MAX) {
			ingest_warn(s->f->c->log, "icinga2 events", s->events + 1,
			            "event longer than %ld bytes: skipped", IC_EVENT_MAX);
			s->skipping = true;
			sb_reset(&s->line);
		}
		if (nl != NULL) {
			if (!s->skipping)
				stream_event(s, sb_str(&s->line), s->line.len);
			else
				s->events++;
			s->skipping = false;
			sb_reset(&s->line);
		}
		off += k + (nl != NULL);
	}
	return len;
}

/* About once a second while the stream is open: stop when asked,
 * render changes at most every poll seconds, and the page every
 * render_every seconds. */
static int
stream_progress(void *arg, curl_off_t a, curl_off_t b, curl_off_t c, curl_off_t d)
{
	struct stream *s = arg;

	(void)a, (void)b, (void)c, (void)d;
	if (*s->f->stop)
		return 1;
	time_t since = time(NULL) - s->rendered;
	if ((s->changed && since >= s->f->src->poll) || since >= s->f->render_every)
		stream_render(s);
	return 0;
}

static const char stream_body[] =
        "{\"queue\":\"glance\",\"types\":[\"CheckResult\",\"StateChange\",\"DowntimeAdded\","
        "\"DowntimeStarted\",\"DowntimeTriggered\",\"DowntimeRemoved\","
        "\"AcknowledgementSet\"]}";

/* One connection of the stream, until it drops or *stop. Returns
 * whether it got as far as a connected stream. */
static bool
stream_once(struct ic_follow *f, struct ic_conn *k)
{
	struct stream s = {.f = f, .k = k};
	struct curl_slist *hdr = NULL;
	CURLcode rc;

	s.h = ic_handle(k, "/v1/events", &hdr);
	if (s.h == NULL)
		return false;
	hdr = curl_slist_append(hdr, "Content-Type: application/json");
	curl_easy_setopt(s.h, CURLOPT_HTTPHEADER, hdr);
	curl_easy_setopt(s.h, CURLOPT_POSTFIELDS, stream_body);
	curl_easy_setopt(s.h, CURLOPT_HEADERFUNCTION, stream_header);
	curl_easy_setopt(s.h, CURLOPT_HEADERDATA, &s);
	curl_easy_setopt(s.h, CURLOPT_WRITEFUNCTION, stream_write);
	curl_easy_setopt(s.h, CURLOPT_WRITEDATA, &s);
	curl_easy_setopt(s.h, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(s.h, CURLOPT_XFERINFOFUNCTION, stream_progress);
	curl_easy_setopt(s.h, CURLOPT_XFERINFODATA, &s);
	curl_easy_setopt(s.h, CURLOPT_TCP_KEEPALIVE, 1L);
	rc = curl_easy_perform(s.h);
	if (!*f->stop)
		fprintf(stderr, "glance: icinga2: event stream %s: %s\n",
		        s.connected ? "dropped" : "not connected",
		        k->err[0] ? k->err : curl_easy_strerror(rc));
	if (s.changed)
		stream_render(&s);
	curl_easy_cleanup(s.h);
	curl_slist_free_all(hdr);
	sb_free(&s.line);
	return s.connected;
}

int
ic_follow(struct ic_follow *f)
{
	struct ic_conn k = {.src = f->src};
	char err[512];
	int backoff = 1;

	if (read_password(&k, err, sizeof err) != 0) {
		fprintf(stderr, "glance: %s\n", err);
		return -1;
	}
	while (!*f->stop) {
		k.err[0] = '\0';
		if (stream_once(f, &k))
			backoff = 1;
		/* the one place the loop sleeps; a signal ends it */
		for (int left = backoff * 10; left > 0 && !*f->stop; left--)
			if (poll(NULL, 0, 100) < 0 && errno != EINTR)
				break;
		backoff = backoff * 2 > IC_RECONNECT_MAX ? IC_RECONNECT_MAX : backoff * 2;
	}
	ingest_end(f->c);
	return 0;
}

/* The configuration parser (the format is in config.h and the README).
 * One pass over the lines fills the structs; a second pass resolves the
 * references between systems and checks, so declarations may come in
 * any order. */
#include "config.h"
#include "fmt.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"

enum sect { SECT_NONE, SECT_SITE, SECT_DEFAULTS, SECT_SYSTEM, SECT_CHECK, SECT_SOURCE };

/* The names declared so far, hashed: a check's duplicate test and the
 * references resolved at the end would each scan every check otherwise,
 * and a config of 10k checks took half a second to parse. Entries point
 * at the config's own strings, which stay put when its arrays grow. */
struct name_slot {
	const char *a, *b; /* system id, and service (NULL for a system) */
};
struct name_index {
	struct name_slot *slot;
	size_t cap, n; /* cap 0 or a power of two, at most half full */
};

struct parser {
	const char *name; /* file name for messages */
	const char *dir;
	struct config *cfg;
	enum sect sect;
	int line;
	int kcol; /* column of the current key */
	struct cfg_check defaults;
	char *err;
	size_t errlen;
	struct name_index systems, checks;
};

/* FNV-1a over a, a separator and b. */
static size_t
name_hash(const char *a, const char *b)
{
	uint64_t h = 14695981039346656037ULL;

	for (const char *s = a; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	h = (h ^ '/') * 1099511628211ULL;
	for (const char *s = b ? b : ""; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return (size_t)h;
}

/* The slot holding (a, b), or the empty one where it would go. */
static struct name_slot *
name_slot(const struct name_index *ix, const char *a, const char *b)
{
	size_t mask = ix->cap - 1, i = name_hash(a, b) & mask;

	for (;; i = (i + 1) & mask) {
		struct name_slot *e = &ix->slot[i];
		if (e->a == NULL || (strcmp(e->a, a) == 0 && (b == NULL) == (e->b == NULL) &&
		                     (b == NULL || strcmp(e->b, b) == 0)))
			return e;
	}
}

static bool
name_known(const struct name_index *ix, const char *a, const char *b)
{
	return ix->cap > 0 && name_slot(ix, a, b)->a != NULL;
}

static void
name_add(struct name_index *ix, const char *a, const char *b)
{
	if (2 * (ix->n + 1) > ix->cap) {
		struct name_index big = {xcalloc(ix->cap ? 2 * ix->cap : 64, sizeof *big.slot),
		                         ix->cap ? 2 * ix->cap : 64, ix->n};
		for (size_t i = 0; i < ix->cap; i++)
			if (ix->slot[i].a != NULL)
				*name_slot(&big, ix->slot[i].a, ix->slot[i].b) = ix->slot[i];
		free(ix->slot);
		*ix = big;
	}
	*name_slot(ix, a, b) = (struct name_slot){a, b};
	ix->n++;
}

__attribute__((format(printf, 3, 4))) static int
perr(struct parser *p, int col, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	snprintf(p->err, p->errlen, "%s:%d:%d: %s", p->name, p->line, col, msg);
	return -1;
}

long
config_duration(const char *s)
{
	char *end;
	long mult = 1, v;

	if (!isdigit((unsigned char)s[0]))
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || v > INT_MAX / 86400)
		return -1;
	if (*end == 's')
		end++;
	else if (*end == 'm')
		mult = 60, end++;
	else if (*end == 'h')
		mult = 3600, end++;
	else if (*end == 'd')
		mult = 86400, end++;
	return *end == '\0' ? v * mult : -1;
}

static int
parse_int(struct parser *p, const char *v, int col, long lo, long hi, bool duration, int *out)
{
	long n;
	char *end;

	if (duration) {
		n = config_duration(v);
	} else {
		errno = 0;
		n = strtol(v, &end, 10);
		if (errno != 0 || end == v || *end != '\0')
			n = -1;
	}
	if (n < lo || n > hi)
		return perr(p, col, "'%s' is not a %s from %ld to %ld", v,
		            duration ? "duration in seconds" : "number", lo, hi);
	*out = (int)n;
	return 0;
}

static void
set_str(char **dst, const char *v)
{
	free(*dst);
	*dst = xstrdup(v);
}

/* "Text | URL" */
static int
site_footer(struct parser *p, const char *v, int col)
{
	struct site_info *si = &p->cfg->site.info;
	const char *bar = strchr(v, '|');
	size_t tl;

	if (bar == NULL)
		return perr(p, col, "footer needs 'text | url'");
	tl = (size_t)(bar - v);
	while (tl > 0 && (v[tl - 1] == ' ' || v[tl - 1] == '\t'))
		tl--;
	bar++;
	while (*bar == ' ' || *bar == '\t')
		bar++;
	if (tl == 0 || *bar == '\0')
		return perr(p, col, "footer needs 'text | url'");
	si->footer = xrealloc(si->footer, (si->nfooter + 1) * sizeof *si->footer);
	si->footer[si->nfooter].text = strndup(v, tl);
	si->footer[si->nfooter].url = xstrdup(bar);
	if (si->footer[si->nfooter].text == NULL)
		return perr(p, col, "out of memory");
	si->nfooter++;
	return 0;
}

static int
site_key(struct parser *p, const char *k, const char *v, int vcol)
{
	struct cfg_site *s = &p->cfg->site;
	struct site_info *si = &s->info;

	if (strcmp(k, "title") == 0)
		set_str(&si->title, v);
	else if (strcmp(k, "name") == 0)
		set_str(&si->name, v);
	else if (strcmp(k, "description") == 0)
		set_str(&si->description, v);
	else if (strcmp(k, "tz_note") == 0)
		set_str(&si->tz_note, v);
	else if (strcmp(k, "base_url") == 0) {
		if (strncmp(v, "https://", 8) != 0 && strncmp(v, "http://", 7) != 0)
			return perr(p, vcol, "base_url must start with http:// or https://");
		free(si->base_url);
		si->base_url = xmalloc(strlen(v) + 2);
		snprintf(si->base_url, strlen(v) + 2, "%s%s", v,
		         v[strlen(v) - 1] == '/' ? "" : "/");
	} else if (strcmp(k, "footer") == 0)
		return site_footer(p, v, vcol);
	else if (strcmp(k, "output") == 0)
		set_str(&s->output, v);
	else if (strcmp(k, "state") == 0)
		set_str(&s->state, v);
	else if (strcmp(k, "path") == 0)
		set_str(&s->path, v);
	else if (strcmp(k, "timezone") == 0) {
		if (!fmt_zone_valid(v))
			return perr(p, vcol, "timezone: '%s' is not a zone this system knows",
			            v);
		set_str(&s->timezone, v);
	} else if (strcmp(k, "parallel") == 0)
		return parse_int(p, v, vcol, 1, 256, false, &s->parallel);
	else if (strcmp(k, "render_every") == 0)
		return parse_int(p, v, vcol, 1, 86400, true, &s->render_every);
	else if (strcmp(k, "flap_min") == 0)
		return parse_int(p, v, vcol, 0, 86400, true, &s->flap_min);
	else if (strcmp(k, "keep_days") == 0)
		return parse_int(p, v, vcol, 1, 3650, false, &s->keep_days);
	else if (strcmp(k, "sync") == 0) {
		if (strcmp(v, "full") != 0 && strcmp(v, "normal") != 0)
			return perr(p, vcol, "sync must be normal or full");
		s->sync_full = strcmp(v, "full") == 0;
	} else
		return perr(p, p->kcol, "unknown key '%s' in [site]", k);
	return 0;
}

/* Keys shared by [defaults] and [check]. Returns 1 when k is not one. */
static int
timing_key(struct parser *p, struct cfg_check *c, const char *k, const char *v, int vcol)
{
	if (strcmp(k, "interval") == 0)
		return parse_int(p, v, vcol, 1, 86400, true, &c->interval);
	if (strcmp(k, "retry") == 0)
		return parse_int(p, v, vcol, 1, 86400, true, &c->retry);
	if (strcmp(k, "attempts") == 0)
		return parse_int(p, v, vcol, 1, 100, false, &c->attempts);
	if (strcmp(k, "timeout") == 0)
		return parse_int(p, v, vcol, 1, 3600, true, &c->timeout);
	return 1;
}

static int
check_key(struct parser *p, const char *k, const char *v, int vcol)
{
	struct cfg_check *c = &p->cfg->checks[p->cfg->nchecks - 1];
	int r = timing_key(p, c, k, v, vcol);
	char msg[128];
	int col;

	if (r <= 0)
		return r;
	if (strcmp(k, "impact_warning") == 0 || strcmp(k, "impact_critical") == 0) {
		int i = impact_parse(v);
		if (i < 0)
			return perr(p, vcol,
			            "%s must be none, degraded, partial or major, not '%s'", k,
			            v);
		*(k[7] == 'w' ? &c->impact_warning : &c->impact_critical) = i;
		return 0;
	}
	if (strcmp(k, "command") != 0)
		return perr(p, p->kcol, "unknown key '%s' in [check %s/%s]", k, c->system,
		            c->service);
	cmdline_free(c->argv);
	free(c->command);
	c->command = xstrdup(v);
	c->argv = cmdline_split(v, &col, msg, sizeof msg);
	if (c->argv == NULL)
		return perr(p, vcol + col - 1, "%s", msg);
	return 0;
}

/* "a, b, c" into a list of trimmed names. */
static int
split_list(struct parser *p, const char *v, int vcol, char ***out, size_t *n)
{
	const char *s = v;

	for (size_t i = 0; i < *n; i++)
		free((*out)[i]);
	*n = 0;
	while (*s != '\0') {
		const char *e = strchr(s, ',');
		size_t len = e ? (size_t)(e - s) : strlen(s);
		size_t b = 0;
		while (b < len && (s[b] == ' ' || s[b] == '\t'))
			b++;
		while (len > b && (s[len - 1] == ' ' || s[len - 1] == '\t'))
			len--;
		if (len == b)
			return perr(p, vcol + (int)(s - v), "empty name in list");
		*out = xrealloc(*out, (*n + 1) * sizeof **out);
		(*out)[(*n)++] = strndup(s + b, len - b);
		s = e ? e + 1 : s + strlen(s);
	}
	return 0;
}

static int
system_key(struct parser *p, const char *k, const char *v, int vcol)
{
	struct cfg_system *s = &p->cfg->systems[p->cfg->nsystems - 1];

	if (strcmp(k, "name") == 0)
		set_str(&s->name, v);
	else if (strcmp(k, "location") == 0)
		set_str(&s->location, v);
	else if (strcmp(k, "role") == 0)
		set_str(&s->role, v);
	else if (strcmp(k, "parent") == 0) {
		set_str(&s->parent, v);
		s->parent_line = p->line, s->parent_col = vcol;
	} else if (strcmp(k, "ping") == 0) {
		set_str(&s->ping, v);
		s->ping_line = p->line, s->ping_col = vcol;
	} else if (strcmp(k, "services") == 0) {
		s->svc_line = p->line, s->svc_col = vcol;
		return split_list(p, v, vcol, &s->services, &s->nservices);
	} else if (strcmp(k, "visibility") == 0) {
		if (strcmp(v, "public") != 0 && strcmp(v, "internal") != 0)
			return perr(p, vcol, "visibility must be public or internal, not '%s'",
			            v);
		s->internal = strcmp(v, "internal") == 0;
	} else
		return perr(p, p->kcol, "unknown key '%s' in [system %s]", k, s->id);
	return 0;
}

/* [source nagios] and [source icinga2]: paths are kept as written here
 * and made absolute in site_defaults. */
static int
source_key(struct parser *p, const char *k, const char *v, int vcol)
{
	struct cfg_source *s = &p->cfg->source;
	bool ng = s->kind == SOURCE_NAGIOS;
	char **dst = NULL;

	if (strcmp(k, "ping") == 0)
		dst = &s->ping;
	else if (strcmp(k, "poll") == 0)
		return parse_int(p, v, vcol, 1, 3600, true, &s->poll);
	else if (strcmp(k, "timeout") == 0)
		return parse_int(p, v, vcol, 1, 3600, true, &s->timeout);
	else if (ng && strcmp(k, "status_dat") == 0)
		dst = &s->status_dat;
	else if (ng && strcmp(k, "objects_cache") == 0)
		dst = &s->objects_cache;
	else if (ng && strcmp(k, "log") == 0)
		dst = &s->log;
	else if (ng && strcmp(k, "archives") == 0)
		dst = &s->archives;
	else if (!ng && strcmp(k, "url") == 0)
		dst = &s->url;
	else if (!ng && strcmp(k, "user") == 0)
		dst = &s->user;
	else if (!ng && strcmp(k, "password_file") == 0)
		dst = &s->password_file;
	else if (!ng && strcmp(k, "ca") == 0)
		dst = &s->ca;
	if (dst == NULL)
		return perr(p, p->kcol, "unknown key '%s' in [source %s]", k,
		            ng ? "nagios" : "icinga2");
	set_str(dst, v);
	return 0;
}

static int
open_source(struct parser *p, const char *kind, int col)
{
	struct cfg_source *s = &p->cfg->source;

	if (s->kind != SOURCE_NONE)
		return perr(p, col, "only one [source] per config");
	if (strcmp(kind, "nagios") == 0)
		s->kind = SOURCE_NAGIOS;
	else if (strcmp(kind, "icinga2") == 0)
		s->kind = SOURCE_ICINGA2;
	else
		return perr(p, col, "unknown source '%s' (nagios or icinga2)", kind);
	p->sect = SECT_SOURCE;
	return 0;
}

/* System ids and service names go into file names and URLs. */
static bool
valid_name(const char *s)
{
	if (*s == '\0' || strlen(s) > 64)
		return false;
	for (; *s != '\0'; s++)
		if (!isalnum((unsigned char)*s) && strchr("-_.", *s) == NULL)
			return false;
	return true;
}

static int
open_system(struct parser *p, const char *id, int col)
{
	struct config *cfg = p->cfg;
	struct cfg_system *s;

	if (!valid_name(id))
		return perr(p, col, "system id '%s' must be letters, digits, '-', '_' or '.'",
		            id);
	if (name_known(&p->systems, id, NULL))
		return perr(p, col, "system '%s' is declared twice", id);
	cfg->systems = xrealloc(cfg->systems, (cfg->nsystems + 1) * sizeof *cfg->systems);
	s = &cfg->systems[cfg->nsystems++];
	memset(s, 0, sizeof *s);
	s->id = xstrdup(id);
	name_add(&p->systems, s->id, NULL);
	s->line = p->line;
	p->sect = SECT_SYSTEM;
	return 0;
}

static int
open_check(struct parser *p, const char *arg, int col)
{
	struct config *cfg = p->cfg;
	const char *slash = strchr(arg, '/');
	struct cfg_check *c;
	char *sys;

	if (slash == NULL)
		return perr(p, col, "a check is named SYSTEM/SERVICE, not '%s'", arg);
	sys = strndup(arg, (size_t)(slash - arg));
	if (sys == NULL || !valid_name(sys) || !valid_name(slash + 1)) {
		free(sys);
		return perr(p, col,
		            "check '%s': names must be letters, digits, '-', '_' or '.'", arg);
	}
	if (name_known(&p->checks, sys, slash + 1)) {
		free(sys);
		return perr(p, col, "check '%s' is declared twice", arg);
	}
	cfg->checks = xrealloc(cfg->checks, (cfg->nchecks + 1) * sizeof *cfg->checks);
	c = &cfg->checks[cfg->nchecks++];
	*c = p->defaults;
	c->system = sys;
	c->service = xstrdup(slash + 1);
	name_add(&p->checks, c->system, c->service);
	c->command = NULL;
	c->argv = NULL;
	c->line = p->line;
	p->sect = SECT_CHECK;
	return 0;
}

/* "[site]", "[defaults]", "[system ID]", "[check SYS/SVC]". */
static int
parse_section(struct parser *p, char *s, int col)
{
	char *end = strchr(s, ']'), *arg;
	size_t i;

	if (end == NULL)
		return perr(p, col, "missing ']'");
	for (i = 1; end[i] == ' ' || end[i] == '\t'; i++)
		;
	if (end[i] != '\0')
		return perr(p, col + (int)(end - s) + (int)i, "text after ']'");
	*end = '\0';
	s++;
	arg = s + strcspn(s, " \t");
	if (*arg != '\0') {
		*arg++ = '\0';
		arg += strspn(arg, " \t");
	}
	int acol = col + (int)(arg - s) + 1;
	if (strcmp(s, "site") == 0 || strcmp(s, "defaults") == 0) {
		if (*arg != '\0')
			return perr(p, acol, "[%s] takes no name", s);
		if (strcmp(s, "defaults") == 0 && p->cfg->nchecks > 0)
			return perr(p, col, "[defaults] must come before the first [check]");
		p->sect = s[0] == 's' ? SECT_SITE : SECT_DEFAULTS;
		return 0;
	}
	if (strcmp(s, "source") == 0) {
		if (*arg == '\0')
			return perr(p, acol, "[source] needs a kind (nagios or icinga2)");
		return open_source(p, arg, acol);
	}
	if (strcmp(s, "system") == 0 || strcmp(s, "check") == 0) {
		while (*arg != '\0' && strchr(" \t", arg[strlen(arg) - 1]) != NULL)
			arg[strlen(arg) - 1] = '\0';
		if (*arg == '\0')
			return perr(p, acol, "[%s] needs a name", s);
		return s[0] == 's' ? open_system(p, arg, acol) : open_check(p, arg, acol);
	}
	return perr(p, col + 1,
	            "unknown section '%s' (site, defaults, system, check or source)", s);
}

static int
parse_keyval(struct parser *p, char *s, int col)
{
	char *eq = strchr(s, '='), *k = s, *v;
	size_t kl;
	int vcol;

	if (eq == NULL)
		return perr(p, col, "expected 'key = value' or '[section]'");
	kl = (size_t)(eq - s);
	while (kl > 0 && (s[kl - 1] == ' ' || s[kl - 1] == '\t'))
		kl--;
	if (kl == 0)
		return perr(p, col, "missing key before '='");
	k[kl] = '\0';
	v = eq + 1;
	v += strspn(v, " \t");
	vcol = col + (int)(v - s);
	for (size_t n = strlen(v); n > 0 && (v[n - 1] == ' ' || v[n - 1] == '\t'); n--)
		v[n - 1] = '\0';
	p->kcol = col;
	if (*v == '\0')
		return perr(p, vcol, "'%s' has no value", k);
	switch (p->sect) {
	case SECT_SITE: return site_key(p, k, v, vcol);
	case SECT_DEFAULTS: {
		int r = timing_key(p, &p->defaults, k, v, vcol);
		return r > 0 ? perr(p, p->kcol, "unknown key '%s' in [defaults]", k) : r;
	}
	case SECT_SYSTEM: return system_key(p, k, v, vcol);
	case SECT_CHECK: return check_key(p, k, v, vcol);
	case SECT_SOURCE: return source_key(p, k, v, vcol);
	case SECT_NONE: break;
	}
	return perr(p, col, "'%s' outside any section", k);
}

static int
parse_line(struct parser *p, char *line)
{
	size_t lead = strspn(line, " \t");
	char *s = line + lead;
	int col = (int)lead + 1;

	for (const char *c = s; *c != '\0'; c++)
		if ((unsigned char)*c < 0x20 && *c != '\t')
			return perr(p, col + (int)(c - s), "control character in line");
	if (*s == '\0' || *s == '#' || *s == ';')
		return 0;
	if (*s == '[')
		return parse_section(p, s, col);
	return parse_keyval(p, s, col);
}

/* The impacts left to their defaults (config.h). */
static void
default_impacts(struct config *cfg, struct cfg_check *c)
{
	const struct cfg_system *s = config_system(cfg, c->system);
	bool ping = s != NULL && s->ping != NULL && strcmp(s->ping, c->service) == 0;
	const char *cmd = c->argv != NULL && c->argv[0] != NULL ? c->argv[0] : "";
	const char *base = strrchr(cmd, '/') ? strrchr(cmd, '/') + 1 : cmd;

	if (c->impact_critical < 0)
		c->impact_critical = ping ? IMPACT_MAJOR : IMPACT_PARTIAL;
	if (c->impact_warning < 0)
		c->impact_warning =
		        strcmp(base, "check_tls_cert") == 0 ? IMPACT_NONE : IMPACT_DEGRADED;
}

/* A parent is another declared system, and no chain of parents comes
 * back to where it began. */
static int
resolve_parent(struct parser *p, const struct cfg_system *s)
{
	const struct cfg_system *q = s;

	if (s->parent == NULL)
		return 0;
	p->line = s->parent_line;
	for (size_t hops = 0; q != NULL && q->parent != NULL; hops++) {
		q = config_system(p->cfg, q->parent);
		if (q == NULL)
			return perr(p, s->parent_col, "system %s: parent '%s' is not declared",
			            s->id, s->parent);
		if (q == s || hops > p->cfg->nsystems)
			return perr(p, s->parent_col, "system %s: its parents form a loop",
			            s->id);
	}
	return 0;
}

/* Checks every reference and fills what was left to defaults. */
static int
resolve(struct parser *p)
{
	struct config *cfg = p->cfg;

	for (size_t i = 0; i < cfg->nchecks; i++) {
		struct cfg_check *c = &cfg->checks[i];
		p->line = c->line;
		if (c->command == NULL)
			return perr(p, 1, "check %s/%s has no command", c->system, c->service);
		if (!name_known(&p->systems, c->system, NULL))
			return perr(p, 8, "check %s/%s: no [system %s]", c->system, c->service,
			            c->system);
		if (c->timeout >= c->interval)
			return perr(p, 1,
			            "check %s/%s: timeout (%ds) must be shorter than interval "
			            "(%ds)",
			            c->system, c->service, c->timeout, c->interval);
	}
	for (size_t i = 0; i < cfg->nsystems; i++) {
		struct cfg_system *s = &cfg->systems[i];
		if (s->ping != NULL && !name_known(&p->checks, s->id, s->ping)) {
			p->line = s->ping_line;
			return perr(
			        p, s->ping_col,
			        "system %s: ping check '%s' is not declared as [check %s/%s]",
			        s->id, s->ping, s->id, s->ping);
		}
		for (size_t j = 0; j < s->nservices; j++)
			if (!name_known(&p->checks, s->id, s->services[j])) {
				p->line = s->svc_line;
				return perr(p, s->svc_col,
				            "system %s: service '%s' is not declared as [check "
				            "%s/%s]",
				            s->id, s->services[j], s->id, s->services[j]);
			}
		if (resolve_parent(p, s) != 0)
			return -1;
		if (s->name == NULL)
			s->name = xstrdup(s->id);
		if (s->nservices == 0)
			for (size_t j = 0; j < cfg->nchecks; j++) {
				const struct cfg_check *c = &cfg->checks[j];
				if (strcmp(c->system, s->id) != 0 ||
				    (s->ping != NULL && strcmp(c->service, s->ping) == 0))
					continue;
				s->services = xrealloc(s->services,
				                       (s->nservices + 1) * sizeof(char *));
				s->services[s->nservices++] = xstrdup(c->service);
			}
	}
	for (size_t i = 0; i < cfg->nchecks; i++)
		default_impacts(cfg, &cfg->checks[i]);
	return 0;
}

/* Relative paths are taken from the config file's directory. */
static char *
abs_path(const char *dir, const char *v)
{
	struct strbuf sb = STRBUF_INIT;

	if (v[0] == '/' || dir == NULL || dir[0] == '\0')
		return xstrdup(v);
	sb_appendf(&sb, "%s/%s", dir, v);
	return sb_detach(&sb);
}

static void
site_defaults(struct parser *p)
{
	struct cfg_site *s = &p->cfg->site;
	char *o;

	if (s->info.title == NULL)
		s->info.title = xstrdup("Server and System Status");
	if (s->info.name == NULL)
		s->info.name = xstrdup(s->info.title);
	if (s->info.base_url == NULL)
		s->info.base_url = xstrdup("http://localhost/");
	o = abs_path(p->dir, s->output ? s->output : "public");
	free(s->output);
	s->output = o;
	o = abs_path(p->dir, s->state ? s->state : "glance.db");
	free(s->state);
	s->state = o;
	struct cfg_source *src = &p->cfg->source;
	char **paths[] = {&src->status_dat, &src->objects_cache, &src->log,
	                  &src->archives,   &src->password_file, &src->ca};
	for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++)
		if (*paths[i] != NULL) {
			o = abs_path(p->dir, *paths[i]);
			free(*paths[i]);
			*paths[i] = o;
		}
	if (src->ping == NULL)
		src->ping = xstrdup("host");
}

int
config_parse(const char *text, const char *name, const char *dir, struct config *cfg, char *err,
             size_t errlen)
{
	struct parser p = {.name = name, .dir = dir, .cfg = cfg, .err = err, .errlen = errlen};
	const char *s = text;
	int rc = 0;

	memset(cfg, 0, sizeof *cfg);
	cfg->file = xstrdup(name);
	cfg->site.parallel = 4;
	cfg->site.render_every = 60;
	cfg->site.flap_min = 300;
	cfg->site.keep_days = 14;
	cfg->source.poll = 10;
	cfg->source.timeout = 60;
	p.defaults = (struct cfg_check){.interval = 60,
	                                .retry = 30,
	                                .attempts = 3,
	                                .timeout = 10,
	                                .impact_warning = -1,
	                                .impact_critical = -1};
	while (rc == 0 && *s != '\0') {
		size_t n = strcspn(s, "\n");
		char *line = strndup(s, n);
		if (line == NULL) {
			rc = perr(&p, 1, "out of memory");
			break;
		}
		if (n > 0 && line[n - 1] == '\r')
			line[n - 1] = '\0';
		p.line++;
		rc = parse_line(&p, line);
		free(line);
		s += n + (s[n] == '\n');
	}
	if (rc == 0)
		rc = resolve(&p);
	if (rc == 0)
		site_defaults(&p);
	cfg->declared = cfg->nsystems;
	free(p.systems.slot);
	free(p.checks.slot);
	if (rc != 0)
		config_free(cfg);
	return rc;
}

int
config_load(const char *path, struct config *cfg, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	struct strbuf text = STRBUF_INIT, dir = STRBUF_INIT;
	char buf[4096];
	size_t n;
	const char *slash = strrchr(path, '/');
	int rc;

	memset(cfg, 0, sizeof *cfg);
	if (f == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	while ((n = fread(buf, 1, sizeof buf, f)) > 0 && text.len < (1u << 22))
		sb_appendn(&text, buf, n);
	if (ferror(f) || memchr(sb_str(&text), '\0', text.len) != NULL) {
		snprintf(err, errlen, "%s: %s", path,
		         ferror(f) ? strerror(errno) : "binary file");
		fclose(f);
		sb_free(&text);
		return -1;
	}
	fclose(f);
	if (slash != NULL)
		sb_appendn(&dir, path, slash == path ? 1 : (size_t)(slash - path));
	rc = config_parse(sb_str(&text), path, sb_str(&dir), cfg, err, errlen);
	sb_free(&text);
	sb_free(&dir);
	return rc;
}

static void
system_free(struct cfg_system *s)
{
	free(s->id);
	free(s->name);
	free(s->location);
	free(s->role);
	free(s->ping);
	free(s->parent);
	for (size_t j = 0; j < s->nservices; j++)
		free(s->services[j]);
	free(s->services);
}

static void
check_free(struct cfg_check *c)
{
	free(c->system);
	free(c->service);
	free(c->command);
	cmdline_free(c->argv);
}

void
config_drop_engine(struct config *cfg)
{
	size_t k = 0;

	for (size_t i = cfg->declared; i < cfg->nsystems; i++)
		system_free(&cfg->systems[i]);
	cfg->nsystems = cfg->declared;
	/* the file's checks all have a command; an engine's have none */
	for (size_t i = 0; i < cfg->nchecks; i++) {
		if (cfg->checks[i].command == NULL)
			check_free(&cfg->checks[i]);
		else
			cfg->checks[k++] = cfg->checks[i];
	}
	cfg->nchecks = k;
}

void
config_free(struct config *cfg)
{
	struct site_view v = {.site = cfg->site.info};

	site_view_free(&v); /* frees the site_info strings */
	free(cfg->file);
	free(cfg->site.output);
	free(cfg->site.state);
	free(cfg->site.path);
	free(cfg->site.timezone);
	for (size_t i = 0; i < cfg->nsystems; i++)
		system_free(&cfg->systems[i]);
	free(cfg->systems);
	for (size_t i = 0; i < cfg->nchecks; i++)
		check_free(&cfg->checks[i]);
	free(cfg->checks);
	free(cfg->source.status_dat);
	free(cfg->source.objects_cache);
	free(cfg->source.log);
	free(cfg->source.archives);
	free(cfg->source.url);
	free(cfg->source.user);
	free(cfg->source.password_file);
	free(cfg->source.ca);
	free(cfg->source.ping);
	memset(cfg, 0, sizeof *cfg);
}

struct cfg_system *
config_add_system(struct config *cfg, const char *id, const char *name, const char *location,
                  const char *role, bool internal)
{
	struct cfg_system *s = (struct cfg_system *)config_system(cfg, id);

	if (s != NULL)
		return s;
	cfg->systems = xrealloc(cfg->systems, (cfg->nsystems + 1) * sizeof *cfg->systems);
	s = &cfg->systems[cfg->nsystems++];
	memset(s, 0, sizeof *s);
	s->id = xstrdup(id);
	s->name = xstrdup(name && *name ? name : id);
	s->location = location && *location ? xstrdup(location) : NULL;
	s->role = role && *role ? xstrdup(role) : NULL;
	s->internal = internal;
	return s;
}

struct cfg_check *
config_add_check(struct config *cfg, const char *system, const char *service, int interval,
                 int retry, int attempts)
{
	struct cfg_check *c = (struct cfg_check *)config_check(cfg, system, service);

	return c != NULL ? c
	                 : config_new_check(cfg, system, service, interval, retry, attempts);
}

struct cfg_check *
config_new_check(struct config *cfg, const char *system, const char *service, int interval,
                 int retry, int attempts)
{
	struct cfg_check *c;

	cfg->checks = xrealloc(cfg->checks, (cfg->nchecks + 1) * sizeof *cfg->checks);
	c = &cfg->checks[cfg->nchecks++];
	memset(c, 0, sizeof *c);
	c->system = xstrdup(system);
	c->service = xstrdup(service);
	c->interval = interval > 0 ? interval : 60;
	c->retry = retry > 0 ? retry : c->interval;
	c->attempts = attempts > 0 ? attempts : 1;
	c->timeout = cfg->source.timeout;
	c->impact_warning = c->impact_critical = -1;
	default_impacts(cfg, c);
	return c;
}

const struct cfg_system *
config_system(const struct config *cfg, const char *id)
{
	for (size_t i = 0; i < cfg->nsystems; i++)
		if (strcmp(cfg->systems[i].id, id) == 0)
			return &cfg->systems[i];
	return NULL;
}

const struct cfg_check *
config_check(const struct config *cfg, const char *system, const char *service)
{
	for (size_t i = 0; i < cfg->nchecks; i++)
		if (strcmp(cfg->checks[i].system, system) == 0 &&
		    strcmp(cfg->checks[i].service, service) == 0)
			return &cfg->checks[i];
	return NULL;
}

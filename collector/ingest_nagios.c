/* Parsers for Nagios 4's objects.cache, status.dat and nagios.log
 * (ingest_nagios.h). Both block files are read whole (status.dat is
 * rewritten atomically by rename, so one read sees one snapshot) and cut
 * into blocks "type {" ... "}" of "key=value" (status.dat) or
 * "key<TAB>value" (objects.cache) lines. */
#include "ingest_nagios.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "strbuf.h"

/* A block file larger than this is refused, not read into memory. */
#define NG_FILE_MAX (512L << 20)
#define NG_KEYS_MAX 256

struct ng_block {
	const char *type; /* "hoststatus", "host" (after "define ") */
	const char *key[NG_KEYS_MAX];
	char *val[NG_KEYS_MAX];
	size_t n;
	long line; /* of its opening line */
};

typedef void (*ng_block_fn)(void *ctx, const struct ng_block *b);

static int
read_file(const char *path, struct strbuf *sb, char *err, size_t errlen)
{
	char buf[65536];
	ssize_t r;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return errno == ENOENT ? 1 : -1;
	}
	while ((r = read(fd, buf, sizeof buf)) > 0 && (long)sb->len < NG_FILE_MAX)
		sb_appendn(sb, buf, (size_t)r);
	close(fd);
	if (r < 0 || (long)sb->len >= NG_FILE_MAX) {
		snprintf(err, errlen, "%s: %s", path,
		         r < 0 ? strerror(errno) : "file too large");
		return -1;
	}
	return 0;
}

/* Walks the blocks of text; sep is '=' or '\t'. A block left open by
 * the next "type {" or by the end of the file is truncated: it is
 * skipped with a warning, and so is a line that is not "key SEP value". */
static void
ng_blocks(char *text, const char *path, char sep, struct ingest_log *log, ng_block_fn fn,
          void *ctx)
{
	struct ng_block b = {0};
	bool open = false;
	long line = 0;

	for (char *s = text, *next; s != NULL && *s != '\0'; s = next) {
		char *nl = strchr(s, '\n');
		next = nl ? nl + 1 : NULL;
		if (nl)
			*nl = '\0';
		line++;
		s += strspn(s, " \t");
		size_t len = strlen(s);
		if (len == 0 || *s == '#')
			continue;
		if (len >= 2 && strcmp(s + len - 2, " {") == 0) {
			if (open)
				ingest_warn(log, path, b.line,
				            "block '%s' has no closing '}': skipped", b.type);
			s[len - 2] = '\0';
			b = (struct ng_block){.type = strncmp(s, "define ", 7) == 0 ? s + 7 : s,
			                      .line = line};
			open = true;
		} else if (strcmp(s, "}") == 0) {
			if (open)
				fn(ctx, &b);
			else
				ingest_warn(log, path, line, "'}' outside a block: skipped");
			open = false;
		} else if (!open) {
			ingest_warn(log, path, line, "text outside a block: skipped");
		} else {
			char *v = strchr(s, sep);
			if (v == NULL || v == s) {
				ingest_warn(log, path, line, "not a 'key%svalue' line: skipped",
				            sep == '=' ? "=" : " ");
				continue;
			}
			*v++ = '\0';
			if (sep == '\t')
				v += strspn(v, "\t ");
			if (b.n < NG_KEYS_MAX) {
				b.key[b.n] = s;
				b.val[b.n++] = v;
			}
		}
	}
	if (open)
		ingest_warn(log, path, b.line, "block '%s' is truncated (end of file): skipped",
		            b.type);
}

static char *
bget(const struct ng_block *b, const char *key)
{
	for (size_t i = 0; i < b->n; i++)
		if (strcmp(b->key[i], key) == 0)
			return b->val[i];
	return NULL;
}

/* A custom variable in any case; status.dat writes "_NAME=0;value". */
static char *
bvar(const struct ng_block *b, const char *name, bool status)
{
	for (size_t i = 0; i < b->n; i++)
		if (b->key[i][0] == '_' && strcasecmp(b->key[i] + 1, name) == 0) {
			char *v = b->val[i];
			if (status && (v[0] == '0' || v[0] == '1') && v[1] == ';')
				v += 2;
			return v;
		}
	return NULL;
}

static char *
dup_or_null(const char *s)
{
	return s != NULL && *s != '\0' ? xstrdup(s) : NULL;
}

static long
bnum(const struct ng_block *b, const char *key, long dflt)
{
	const char *v = bget(b, key);
	char *end;
	long n;

	if (v == NULL)
		return dflt;
	errno = 0;
	n = strtol(v, &end, 10);
	/* Icinga 2's status.dat writes fractional times: take the seconds */
	if (errno != 0 || end == v || (*end != '\0' && *end != '.'))
		return dflt;
	return n;
}

struct objects_ctx {
	struct ng_objects *o;
	int interval_length;
	/* hostgroups: alias and members, resolved after the walk */
	char **group_alias, **group_members;
	size_t ngroups;
};

/* The plugin of a command_line: its first word's last path component
 * ("$USER1$/check_tls_cert -H ..." runs check_tls_cert). */
static void
objects_command(struct ng_objects *o, const char *name, const char *line)
{
	size_t n, skip;
	char *plugin;

	if (name == NULL || line == NULL)
		return;
	line += strspn(line, " \t");
	n = strcspn(line, " \t");
	for (skip = n; skip > 0 && line[skip - 1] != '/'; skip--)
		;
	plugin = xmalloc(n - skip + 1);
	memcpy(plugin, line + skip, n - skip);
	plugin[n - skip] = '\0';
	o->commands = xrealloc(o->commands, (o->ncommands + 1) * sizeof *o->commands);
	o->commands[o->ncommands].name = xstrdup(name);
	o->commands[o->ncommands++].plugin = plugin;
}

static void
objects_block(void *ctx, const struct ng_block *b)
{
	struct objects_ctx *c = ctx;
	struct ng_objects *o = c->o;
	const char *name;

	if (strcmp(b->type, "host") == 0 && (name = bget(b, "host_name")) != NULL) {
		o->hosts = xrealloc(o->hosts, (o->nhosts + 1) * sizeof *o->hosts);
		o->hosts[o->nhosts++] = (struct ng_host){
		        .name = xstrdup(name),
		        .alias = dup_or_null(bget(b, "alias")),
		        .display_name = dup_or_null(bget(b, "display_name")),
		        .location = dup_or_null(bvar(b, "LOCATION", false)),
		        .role = dup_or_null(bvar(b, "ROLE", false)),
		        .visibility = dup_or_null(bvar(b, "VISIBILITY", false)),
		        .display = dup_or_null(bvar(b, "DISPLAY", false)),
		        .parents = dup_or_null(bget(b, "parents")),
		        .check_command = dup_or_null(bget(b, "check_command")),
		        .impact_warning = dup_or_null(bvar(b, "IMPACT_WARNING", false)),
		        .impact_critical = dup_or_null(bvar(b, "IMPACT_CRITICAL", false)),
		        .check_interval = (int)bnum(b, "check_interval", 5),
		        .retry_interval = (int)bnum(b, "retry_interval", 1),
		        .max_attempts = (int)bnum(b, "max_check_attempts", 3),
		        .line = b->line};
	} else if (strcmp(b->type, "service") == 0 && (name = bget(b, "host_name")) != NULL &&
	           bget(b, "service_description") != NULL) {
		o->services = xrealloc(o->services, (o->nservices + 1) * sizeof *o->services);
		o->services[o->nservices++] = (struct ng_service){
		        .host = xstrdup(name),
		        .description = xstrdup(bget(b, "service_description")),
		        .check_command = dup_or_null(bget(b, "check_command")),
		        .impact_warning = dup_or_null(bvar(b, "IMPACT_WARNING", false)),
		        .impact_critical = dup_or_null(bvar(b, "IMPACT_CRITICAL", false)),
		        .check_interval = (int)bnum(b, "check_interval", 5),
		        .retry_interval = (int)bnum(b, "retry_interval", 1),
		        .max_attempts = (int)bnum(b, "max_check_attempts", 3),
		        .line = b->line};
	} else if (strcmp(b->type, "command") == 0) {
		objects_command(o, bget(b, "command_name"), bget(b, "command_line"));
	} else if (strcmp(b->type, "hostgroup") == 0 && bget(b, "hostgroup_name") != NULL) {
		c->group_alias = xrealloc(c->group_alias, (c->ngroups + 1) * sizeof(char *));
		c->group_members =
		        xrealloc(c->group_members, (c->ngroups + 1) * sizeof(char *));
		name = bget(b, "alias");
		c->group_alias[c->ngroups] = xstrdup(name ? name : bget(b, "hostgroup_name"));
		name = bget(b, "members");
		c->group_members[c->ngroups++] = xstrdup(name ? name : "");
	}
}

/* Whether host is in the comma-separated list. */
static bool
in_list(const char *list, const char *host)
{
	size_t hl = strlen(host);

	for (const char *s = list; *s != '\0';) {
		size_t n = strcspn(s, ",");
		if (n == hl && strncmp(s, host, n) == 0)
			return true;
		s += n + (s[n] == ',');
	}
	return false;
}

static void
objects_groups(struct objects_ctx *c)
{
	for (size_t i = 0; i < c->o->nhosts; i++)
		for (size_t g = 0; g < c->ngroups && c->o->hosts[i].group == NULL; g++)
			if (in_list(c->group_members[g], c->o->hosts[i].name))
				c->o->hosts[i].group = xstrdup(c->group_alias[g]);
	for (size_t g = 0; g < c->ngroups; g++) {
		free(c->group_alias[g]);
		free(c->group_members[g]);
	}
	free(c->group_alias);
	free(c->group_members);
}

int
ng_objects_load(const char *path, struct ng_objects *o, struct ingest_log *log, char *err,
                size_t errlen)
{
	struct strbuf sb = STRBUF_INIT;
	struct objects_ctx c = {.o = o};
	int rc;

	memset(o, 0, sizeof *o);
	rc = read_file(path, &sb, err, errlen);
	if (rc == 0) {
		ng_blocks(sb.buf ? sb.buf : (char *)"", path, '\t', log, objects_block, &c);
		objects_groups(&c);
	}
	sb_free(&sb);
	return rc == 0 ? 0 : -1;
}

void
ng_objects_free(struct ng_objects *o)
{
	for (size_t i = 0; i < o->nhosts; i++) {
		struct ng_host *h = &o->hosts[i];
		free(h->name);
		free(h->alias);
		free(h->display_name);
		free(h->location);
		free(h->role);
		free(h->visibility);
		free(h->display);
		free(h->group);
		free(h->parents);
		free(h->check_command);
		free(h->impact_warning);
		free(h->impact_critical);
	}
	free(o->hosts);
	for (size_t i = 0; i < o->nservices; i++) {
		struct ng_service *v = &o->services[i];
		free(v->host);
		free(v->description);
		free(v->check_command);
		free(v->impact_warning);
		free(v->impact_critical);
	}
	free(o->services);
	for (size_t i = 0; i < o->ncommands; i++) {
		free(o->commands[i].name);
		free(o->commands[i].plugin);
	}
	free(o->commands);
	memset(o, 0, sizeof *o);
}

static void
system_add_service(struct cfg_system *s, const char *service)
{
	for (size_t i = 0; i < s->nservices; i++)
		if (strcmp(s->services[i], service) == 0)
			return;
	s->services = xrealloc(s->services, (s->nservices + 1) * sizeof *s->services);
	s->services[s->nservices++] = xstrdup(service);
}

/* Nagios intervals are in units of interval_length, 60 s by default
 * (the unit objects.cache does not record). */
#define NG_UNIT 60

/* An interval in units as seconds, within what a config allows (a day):
 * a huge value in objects.cache must not overflow. 0 for none. */
static int
ng_seconds(int units)
{
	return units <= 0 ? 0 : units >= 86400 / NG_UNIT ? 86400 : units * NG_UNIT;
}

/* The plugin a check_command ("name!arg1!arg2") runs, or its name when
 * objects.cache has no such command. */
static const char *
objects_plugin(const struct ng_objects *o, const char *check_command, char *buf, size_t len)
{
	size_t n = check_command ? strcspn(check_command, "!") : 0;

	snprintf(buf, len, "%.*s", (int)n, n ? check_command : "");
	for (size_t i = 0; i < o->ncommands; i++)
		if (strcmp(o->commands[i].name, buf) == 0)
			return o->commands[i].plugin;
	return buf;
}

static void
objects_host(const struct ng_objects *o, const struct ng_host *h, const char *ping,
             struct config *cfg, struct ingest_index *x, struct ingest_log *log)
{
	const char *name = h->display ? h->display
	                   : h->display_name && strcmp(h->display_name, h->name) != 0
	                           ? h->display_name
	                           : h->alias;
	bool internal = h->visibility && strcasecmp(h->visibility, "internal") == 0;
	char buf[256];
	struct cfg_system *s;
	struct cfg_check *k;

	if (strchr(h->name, '/') != NULL || strlen(h->name) > 64) {
		ingest_warn(log, "objects.cache", h->line,
		            "host '%s' cannot be a system id (a '/' or too long): skipped",
		            h->name);
		return;
	}
	s = config_add_system(cfg, h->name, name, h->location, h->role ? h->role : h->group,
	                      internal);
	if (s->ping == NULL)
		s->ping = xstrdup(ping);
	k = ingest_add_check(x, cfg, h->name, INGEST_HOST_SERVICE, ng_seconds(h->check_interval),
	                     ng_seconds(h->retry_interval), h->max_attempts);
	if (k->command == NULL)
		ingest_check_impacts(
		        log, k,
		        &(struct ingest_impacts){
		                objects_plugin(o, h->check_command, buf, sizeof buf),
		                h->impact_warning, h->impact_critical, "objects.cache",
		                h->line});
}

/* A host's parent is the first of its parents that is a host here
 * (Nagios allows several; one is enough to tell "unreachable"). */
static void
objects_parent(const struct ng_host *h, struct config *cfg, struct ingest_log *log)
{
	struct cfg_system *s = (struct cfg_system *)config_system(cfg, h->name);
	char buf[256];

	for (const char *p = h->parents; s != NULL && p != NULL && *p != '\0';) {
		size_t n = strcspn(p, ",");
		snprintf(buf, sizeof buf, "%.*s", (int)n, p);
		if (ingest_parent(cfg, s, buf, log, "objects.cache"))
			return;
		p += n + (p[n] == ',');
	}
}

void
ng_objects_to_config(const struct ng_objects *o, const char *ping, struct config *cfg,
                     struct ingest_log *log)
{
	struct ingest_index x = {0};
	char buf[256];

	for (size_t i = 0; i < o->nhosts; i++)
		objects_host(o, &o->hosts[i], ping, cfg, &x, log);
	for (size_t i = 0; i < o->nhosts; i++)
		objects_parent(&o->hosts[i], cfg, log);
	for (size_t i = 0; i < o->nservices; i++) {
		const struct ng_service *v = &o->services[i];
		struct cfg_system *s = (struct cfg_system *)config_system(cfg, v->host);
		struct cfg_check *k;
		if (s == NULL)
			continue;
		k = ingest_add_check(&x, cfg, v->host, v->description,
		                     ng_seconds(v->check_interval),
		                     ng_seconds(v->retry_interval), v->max_attempts);
		if (k->command == NULL)
			ingest_check_impacts(
			        log, k,
			        &(struct ingest_impacts){
			                objects_plugin(o, v->check_command, buf, sizeof buf),
			                v->impact_warning, v->impact_critical, "objects.cache",
			                v->line});
		if (strcmp(v->description, s->ping) != 0)
			system_add_service(s, v->description);
	}
	ingest_index_free(&x);
}

void
ng_unescape(char *s)
{
	char *w = s;

	for (; *s != '\0'; s++) {
		if (*s == '\\' && s[1] == 'n') {
			*w++ = '\n';
			s++;
		} else if (*s == '\\' && s[1] == '\\') {
			*w++ = '\\';
			s++;
		} else {
			*w++ = *s;
		}
	}
	*w = '\0';
}

static char *
unescaped(const char *v)
{
	char *s = xstrdup(v ? v : "");
	ng_unescape(s);
	return s;
}

static void
status_entry(struct ng_status *s, const struct ng_block *b, bool service)
{
	const char *host = bget(b, "host_name"), *svc = bget(b, "service_description");
	struct ng_status_entry *e;

	if (host == NULL || (service && svc == NULL))
		return;
	s->entries = xrealloc(s->entries, (s->nentries + 1) * sizeof *s->entries);
	e = &s->entries[s->nentries++];
	*e = (struct ng_status_entry){.host = xstrdup(host),
	                              .service = service ? xstrdup(svc) : NULL,
	                              .state = (int)bnum(b, "current_state", 3),
	                              .hard = bnum(b, "state_type", 1) == 1,
	                              .checked = bnum(b, "has_been_checked", 0) == 1,
	                              .attempt = (int)bnum(b, "current_attempt", 1),
	                              .output = unescaped(bget(b, "plugin_output")),
	                              .long_output = unescaped(bget(b, "long_plugin_output")),
	                              .perfdata = unescaped(bget(b, "performance_data")),
	                              .last_check = (time_t)bnum(b, "last_check", 0)};
}

static void
status_downtime(struct ng_status *s, const struct ng_block *b, bool service)
{
	const char *host = bget(b, "host_name"), *id = bget(b, "downtime_id");
	struct ng_downtime *d;

	if (host == NULL || id == NULL)
		return;
	s->downtimes = xrealloc(s->downtimes, (s->ndowntimes + 1) * sizeof *s->downtimes);
	d = &s->downtimes[s->ndowntimes++];
	*d = (struct ng_downtime){
	        .host = xstrdup(host),
	        .service = service ? dup_or_null(bget(b, "service_description")) : NULL,
	        .id = xstrdup(id),
	        .author = xstrdup(bget(b, "author") ? bget(b, "author") : ""),
	        .comment = xstrdup(bget(b, "comment") ? bget(b, "comment") : ""),
	        .entry = (time_t)bnum(b, "entry_time", 0),
	        .start = (time_t)bnum(b, "start_time", 0),
	        .end = (time_t)bnum(b, "end_time", 0),
	        .flex_start = (time_t)bnum(b, "flex_downtime_start", 0),
	        .fixed = bnum(b, "fixed", 1) == 1,
	        .in_effect = bnum(b, "is_in_effect", 0) == 1,
	        .duration = (int)bnum(b, "duration", 0)};
}

static void
status_block(void *ctx, const struct ng_block *b)
{
	struct ng_status *s = ctx;

	if (strcmp(b->type, "info") == 0)
		s->created = (time_t)bnum(b, "created", 0);
	else if (strcmp(b->type, "hoststatus") == 0)
		status_entry(s, b, false);
	else if (strcmp(b->type, "servicestatus") == 0)
		status_entry(s, b, true);
	else if (strcmp(b->type, "hostdowntime") == 0)
		status_downtime(s, b, false);
	else if (strcmp(b->type, "servicedowntime") == 0)
		status_downtime(s, b, true);
}

int
ng_status_load(const char *path, struct ng_status *s, struct ingest_log *log, char *err,
               size_t errlen)
{
	struct strbuf sb = STRBUF_INIT;
	int rc;

	memset(s, 0, sizeof *s);
	rc = read_file(path, &sb, err, errlen);
	if (rc == 0)
		ng_blocks(sb.buf ? sb.buf : (char *)"", path, '=', log, status_block, s);
	sb_free(&sb);
	return rc;
}

void
ng_status_free(struct ng_status *s)
{
	for (size_t i = 0; i < s->nentries; i++) {
		struct ng_status_entry *e = &s->entries[i];
		free(e->host);
		free(e->service);
		free(e->output);
		free(e->long_output);
		free(e->perfdata);
	}
	free(s->entries);
	for (size_t i = 0; i < s->ndowntimes; i++) {
		struct ng_downtime *d = &s->downtimes[i];
		free(d->host);
		free(d->service);
		free(d->id);
		free(d->author);
		free(d->comment);
	}
	free(s->downtimes);
	memset(s, 0, sizeof *s);
}

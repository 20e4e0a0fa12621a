#include "snmp.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "deadline.h"
#include "module.h"
#include "opts.h"
#include "output.h"
#include "range.h"
#include "snmpmod.h"
#include "strbuf.h"

static const char *const snmpc_errors[] = {
        [SNMPC_OK] = "ok",
        [SNMPC_ERR_CONFIG] = "bad SNMP settings",
        [SNMPC_ERR_OPEN] = "cannot open SNMP session",
        [SNMPC_ERR_TIMEOUT] = "timeout",
        [SNMPC_ERR_AUTH] = "authentication failure",
        [SNMPC_ERR_NOSUCH] = "no such object",
        [SNMPC_ERR_AGENT] = "agent error",
        [SNMPC_ERR_PROTO] = "SNMP error",
        [SNMPC_ERR_MODULE] = "SNMP module unavailable",
};

const char *
snmpc_strerror(enum snmpc_status st)
{
	if ((unsigned)st < sizeof snmpc_errors / sizeof snmpc_errors[0])
		return snmpc_errors[st];
	return "SNMP error";
}

/* ---- the net-snmp module (snmpmod.h) ---- */

static const struct snmpmod_host snmpc_host = {
        .remaining_ms = deadline_remaining_ms,
        .seconds = deadline_seconds,
        .debug = output_debug,
};

/* Loaded once per process and never unloaded: net-snmp's exit handler
 * lives in it. */
static const struct snmpmod_ops *snmpc_mod;

static enum snmpc_status
snmpc_load(char *err, size_t errlen)
{
	struct module m;

	if (snmpc_mod != NULL)
		return SNMPC_OK;
	if (!module_load(&m, "snmp.so", "GLANCE_SNMP_MODULE", "SNMP", SNMPMOD_ENTRY, err,
	                 errlen))
		return SNMPC_ERR_MODULE;
	const struct snmpmod_ops *ops = ((snmpmod_entry_fn *)m.entry)(SNMPMOD_ABI, &snmpc_host);
	if (ops == NULL || ops->abi != SNMPMOD_ABI) {
		snprintf(err, errlen, "the SNMP module %s is not this glance's (%s)", m.path,
		         "another interface version");
		module_close(&m);
		return SNMPC_ERR_MODULE;
	}
	snmpc_mod = ops;
	return SNMPC_OK;
}

/* A session exists only once the module is loaded, so the calls that
 * take one go straight through the table. */
enum snmpc_status
snmpc_open(struct snmpc_session **out, const struct snmpc_opts *o, char *err, size_t errlen)
{
	*out = NULL;
	enum snmpc_status st = snmpc_load(err, errlen);
	return st == SNMPC_OK ? snmpc_mod->open(out, o, err, errlen) : st;
}

enum snmpc_status
snmpc_get(struct snmpc_session *s, const char *oid, struct snmpc_value *v, char *err,
          size_t errlen)
{
	return snmpc_mod->get(s, oid, v, err, errlen);
}

enum snmpc_status
snmpc_walk(struct snmpc_session *s, const char *column, size_t max_rows,
           struct snmpc_column *out, char *err, size_t errlen)
{
	enum snmpc_status st = snmpc_mod->walk(s, column, max_rows, out, err, errlen);
	if (st != SNMPC_OK)
		snmpc_column_free(out);
	return st;
}

void
snmpc_close(struct snmpc_session *s)
{
	if (s != NULL)
		snmpc_mod->close(s);
}

const struct snmpc_value *
snmpc_column_find(const struct snmpc_column *col, const uint32_t *index, size_t len)
{
	for (size_t i = 0; i < col->n; i++)
		if (col->v[i].index_len == len &&
		    memcmp(col->v[i].index, index, len * sizeof *index) == 0)
			return &col->v[i];
	return NULL;
}

void
snmpc_opts_set(char **field, const char *value)
{
	if (*field) {
		explicit_bzero(*field, strlen(*field));
		free(*field);
	}
	*field = value ? xstrdup(value) : NULL;
}

/* One "key = value" line of an auth file into o. */
static int
snmpc_auth_line(char *line, struct snmpc_opts *o, char *err, size_t errlen)
{
	static const char *const keys[] = {"community",     "user",          "auth-protocol",
	                                   "auth-password", "priv-protocol", "priv-password",
	                                   "context"};
	char **fields[] = {&o->community,  &o->user,      &o->auth_proto, &o->auth_pass,
	                   &o->priv_proto, &o->priv_pass, &o->context};
	char *eq = strchr(line, '=');

	if (eq == NULL)
		return -1;
	char *k = line, *v = eq + 1, *e = eq;
	while (*k == ' ' || *k == '\t')
		k++;
	while (e > k && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	*e = '\0';
	while (*v == ' ' || *v == '\t')
		v++;
	for (e = v + strlen(v); e > v && (e[-1] == ' ' || e[-1] == '\t');)
		*--e = '\0';
	if (strcmp(k, "version") == 0) {
		if (strcmp(v, "2c") != 0 && strcmp(v, "2") != 0 && strcmp(v, "3") != 0)
			return -1;
		o->version = v[0] - '0';
		return 0;
	}
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		if (strcmp(k, keys[i]) == 0) {
			snmpc_opts_set(fields[i], v);
			return 0;
		}
	snprintf(err, errlen, "unknown key '%s'", k);
	return -1;
}

static int
snmpc_auth_parse(char *text, const char *path, struct snmpc_opts *o, char *err, size_t errlen)
{
	int lineno = 0;
	char *save = NULL;

	for (char *line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char why[120] = "expected key = value";
		lineno++;
		line[strcspn(line, "\r")] = '\0';
		size_t skip = strspn(line, " \t");
		if (line[skip] == '\0' || line[skip] == '#')
			continue;
		if (snmpc_auth_line(line, o, why, sizeof why) != 0) {
			snprintf(err, errlen, "%s line %d: %s", path, lineno, why);
			return -1;
		}
	}
	return 0;
}

int
snmpc_read_auth_file(const char *path, struct snmpc_opts *o, char *err, size_t errlen)
{
	struct stat st;
	char buf[8192];
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);

	if (fd < 0) {
		snprintf(err, errlen, "cannot open '%s': %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
	    (st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
		close(fd);
		snprintf(err, errlen,
		         "'%s' is not a regular file readable only by its owner; "
		         "chmod 600 it",
		         path);
		return -1;
	}
	ssize_t n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n < 0 || (size_t)n == sizeof buf - 1) {
		snprintf(err, errlen, "cannot read '%s': %s", path,
		         n < 0 ? strerror(errno) : "file too large");
		return -1;
	}
	buf[n] = '\0';
	int rc = snmpc_auth_parse(buf, path, o, err, errlen);
	explicit_bzero(buf, sizeof buf);
	return rc;
}

void
snmpc_opts_free(struct snmpc_opts *o)
{
	char **fields[] = {&o->host,      &o->community,  &o->user,      &o->auth_proto,
	                   &o->auth_pass, &o->priv_proto, &o->priv_pass, &o->context};
	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
		snmpc_opts_set(fields[i], NULL);
}

void
snmpc_value_free(struct snmpc_value *v)
{
	free(v->str);
	v->str = NULL;
}

void
snmpc_column_free(struct snmpc_column *c)
{
	for (size_t i = 0; i < c->n; i++)
		snmpc_value_free(&c->v[i]);
	free(c->v);
	memset(c, 0, sizeof *c);
}

/* ---- shared options ---- */

/* "env:NAME", "file:PATH" or a literal, through the shared secret reader. */
static void
snmpc_opt_secret(const struct opts *o, char **field, const char *spec)
{
	char *v = opts_secret(o, spec);
	snmpc_opts_set(field, v);
	explicit_bzero(v, strlen(v));
	free(v);
}

bool
snmpc_option(const struct opts *o, struct snmpc_opts *so, int key, const char *arg)
{
	char err[300];

	switch (key) {
	case SNMPC_OPT_PORT: so->port = opts_port(o, arg); break;
	case SNMPC_OPT_COMMUNITY: snmpc_opt_secret(o, &so->community, arg); break;
	case SNMPC_OPT_USER: snmpc_opts_set(&so->user, arg); break;
	case SNMPC_OPT_AUTH_PROTO: snmpc_opts_set(&so->auth_proto, arg); break;
	case SNMPC_OPT_AUTH_PASS: snmpc_opt_secret(o, &so->auth_pass, arg); break;
	case SNMPC_OPT_PRIV_PROTO: snmpc_opts_set(&so->priv_proto, arg); break;
	case SNMPC_OPT_PRIV_PASS: snmpc_opt_secret(o, &so->priv_pass, arg); break;
	case SNMPC_OPT_CONTEXT: snmpc_opts_set(&so->context, arg); break;
	case SNMPC_OPT_VERSION:
		if (strcmp(arg, "2c") != 0 && strcmp(arg, "2") != 0 && strcmp(arg, "3") != 0)
			opts_usage_error(o, "%s: version must be 2c or 3", o->current);
		so->version = arg[0] - '0';
		break;
	case SNMPC_OPT_AUTH_FILE:
		if (snmpc_read_auth_file(arg, so, err, sizeof err) != 0)
			opts_usage_error(o, "%s: %s", o->current, err);
		break;
	default: return false;
	}
	return true;
}

void
snmpc_opts_env(struct snmpc_opts *so)
{
	static const char *const names[] = {"GLANCE_SNMP_COMMUNITY", "GLANCE_SNMP_AUTH_PASS",
	                                    "GLANCE_SNMP_PRIV_PASS"};
	char **fields[] = {&so->community, &so->auth_pass, &so->priv_pass};
	for (size_t i = 0; i < 3; i++) {
		const char *v = getenv(names[i]);
		if (*fields[i] == NULL && v != NULL && *v != '\0')
			snmpc_opts_set(fields[i], v);
	}
}

enum gl_state
snmpc_fail_state(enum snmpc_status st)
{
	if (st != SNMPC_ERR_TIMEOUT)
		return GL_UNKNOWN;
	return deadline_state() == GL_OK ? GL_UNKNOWN : deadline_state();
}

/* ---- NET-SNMP-EXTEND-MIB ---- */

#define SNMPC_EXTEND_OUT "1.3.6.1.4.1.8072.1.3.2.3.1"
#define SNMPC_EXTEND_NAME_MAX 100

/* The table index of an extend name: its length, then one sub-identifier
 * per byte (the MIB's "IMPLIED"-less DisplayString index). */
static int
snmpc_extend_oid(struct strbuf *sb, int column, const char *name, char *err, size_t errlen)
{
	size_t n = strlen(name);
	if (n == 0 || n > SNMPC_EXTEND_NAME_MAX) {
		snprintf(err, errlen, "extend name must be 1 to %d characters",
		         SNMPC_EXTEND_NAME_MAX);
		return -1;
	}
	sb_appendf(sb, "%s.%d.%zu", SNMPC_EXTEND_OUT, column, n);
	for (size_t i = 0; i < n; i++)
		sb_appendf(sb, ".%u", (unsigned char)name[i]);
	return 0;
}

static enum snmpc_status
snmpc_extend_column(struct snmpc_session *s, const char *name, int column,
                    struct snmpc_value *v, char *err, size_t errlen)
{
	struct strbuf oidt = STRBUF_INIT;
	enum snmpc_status st = SNMPC_ERR_CONFIG;

	memset(v, 0, sizeof *v);
	if (snmpc_extend_oid(&oidt, column, name, err, errlen) == 0)
		st = snmpc_get(s, sb_str(&oidt), v, err, errlen);
	sb_free(&oidt);
	if (st == SNMPC_ERR_NOSUCH)
		snprintf(err, errlen,
		         "%s has no extend named '%s' (snmpd.conf needs "
		         "'extend %s COMMAND', and the view must include "
		         "NET-SNMP-EXTEND-MIB)",
		         snmpc_mod->peer(s), name, name);
	return st;
}

enum snmpc_status
snmpc_extend_get(struct snmpc_session *s, const char *name, struct snmpc_extend *x, char *err,
                 size_t errlen)
{
	struct snmpc_value out = {0}, res = {0};

	*x = (struct snmpc_extend){0};
	enum snmpc_status st = snmpc_extend_column(s, name, 2, &out, err, errlen);
	if (st == SNMPC_OK)
		st = snmpc_extend_column(s, name, 4, &res, err, errlen);
	if (st == SNMPC_OK && (out.type != SNMPC_STRING || res.type != SNMPC_INT)) {
		snprintf(err, errlen,
		         "%s: extend '%s' has an output or result of the wrong type",
		         snmpc_mod->peer(s), name);
		st = SNMPC_ERR_PROTO;
	}
	if (st == SNMPC_OK) {
		x->output = out.str;
		out.str = NULL;
		x->result = (int)res.i;
	}
	snmpc_value_free(&res);
	snmpc_value_free(&out);
	return st;
}

/* One perfdata item: a label (quoted with '' for a quote, or up to '='),
 * '=', a number or U, a unit, then up to four ';' fields of range
 * characters. Returns the bytes used, 0 when it is not one. */
static size_t
snmpc_perf_item(const char *s)
{
	const char *p = s;
	if (*p == '\'') {
		for (p++; *p && !(*p == '\'' && p[1] != '\''); p += *p == '\'' ? 2 : 1)
			;
		if (*p++ != '\'')
			return 0;
	} else {
		p += strcspn(p, "= \t\n");
	}
	if (p == s || *p++ != '=')
		return 0;
	double v;
	size_t n = *p == 'U' ? 1 : range_scan_number(p, &v);
	if (n == 0)
		return 0;
	p += n;
	p += strspn(p, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ%");
	for (int f = 0; f < 4 && *p == ';'; f++)
		p += 1 + strspn(p + 1, "0123456789.-~:@U");
	return *p == '\0' || *p == ' ' || *p == '\t' || *p == '\n' ? (size_t)(p - s) : 0;
}

/* Perfdata text: items separated by white space. */
static bool
snmpc_perf_ok(const char *s, size_t n)
{
	char *copy = xmalloc(n + 1);
	memcpy(copy, s, n);
	copy[n] = '\0';
	bool ok = true;
	for (const char *p = copy; ok && *p;) {
		p += strspn(p, " \t\n");
		if (*p == '\0')
			break;
		size_t used = snmpc_perf_item(p);
		ok = used > 0;
		p += used;
	}
	free(copy);
	return ok;
}

/* The plugin API's shape (exit status 0..3, a first line of text,
 * perfdata after '|' on the first line and after the first '|' of the
 * long output); anything else would reach the monitoring core as a
 * result it can only misread. */
int
snmpc_extend_check(const struct snmpc_extend *x, char *err, size_t errlen)
{
	const char *out = x->output ? x->output : "";
	size_t first = strcspn(out, "\n");
	const char *bar = memchr(out, '|', first);

	if (x->result < 0 || x->result > 3) {
		snprintf(err, errlen,
		         "the remote command exited %d, not a plugin exit code (0..3): %.*s",
		         x->result, (int)(first > 200 ? 200 : first), out);
		return -1;
	}
	if (strspn(out, " \t") >= first || bar == out) {
		snprintf(err, errlen,
		         "the remote command printed no status line (exit %d; can the "
		         "agent's user run it?)",
		         x->result);
		return -1;
	}
	const char *lbar = out[first] ? strchr(out + first + 1, '|') : NULL;
	if ((bar && !snmpc_perf_ok(bar + 1, (size_t)(out + first - bar - 1))) ||
	    (lbar && !snmpc_perf_ok(lbar + 1, strlen(lbar + 1)))) {
		snprintf(err, errlen,
		         "the remote command's perfdata is not in the "
		         "'label'=value[UOM];warn;crit;min;max grammar: %.*s",
		         (int)(first > 200 ? 200 : first), out);
		return -1;
	}
	return 0;
}

enum gl_state
snmpc_extend_fetch(const struct snmpc_opts *so, const char *name, struct snmpc_extend *x,
                   char *err, size_t errlen)
{
	struct snmpc_session *s;
	enum snmpc_status st = snmpc_open(&s, so, err, errlen);

	*x = (struct snmpc_extend){0};
	if (st != SNMPC_OK)
		return snmpc_fail_state(st);
	st = snmpc_extend_get(s, name, x, err, errlen);
	snmpc_close(s);
	if (st != SNMPC_OK)
		return snmpc_fail_state(st);
	if (snmpc_extend_check(x, err, errlen) != 0) {
		snmpc_extend_free(x);
		return GL_UNKNOWN;
	}
	return GL_OK;
}

void
snmpc_extend_free(struct snmpc_extend *x)
{
	free(x->output);
	x->output = NULL;
}

#include "opts.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "deadline.h"
#include "output.h"
#include "range.h"
#include "strbuf.h"

#ifndef GLANCE_VERSION
#define GLANCE_VERSION "0"
#endif

static const struct opt_spec common_opts[] = {
	{'h', "help", no_argument, NULL, "Print this help and exit (UNKNOWN)."},
	{'V', "version", no_argument, NULL, "Print the version and exit (UNKNOWN)."},
	{'v', "verbose", no_argument, NULL,
	 "More detail; repeat for debug output on stderr."},
	{'t', "timeout", required_argument, "SECONDS[:STATE]",
	 "Hard deadline for the whole check (default %g s); the state on\n"
	 "timeout is ok, warning, critical or unknown (default critical)."},
	OPT_END,
};

static size_t
opts_count(const struct opt_spec *s)
{
	size_t n = 0;
	while (s[n].help != NULL)
		n++;
	return n;
}

static void
opts_add(struct opts *o, size_t *nl, const struct opt_spec *s)
{
	if (s->key < 256) {
		size_t len = strlen(o->shortopts);
		if (len + 3 < sizeof o->shortopts) {
			o->shortopts[len++] = (char)s->key;
			if (s->has_arg == required_argument)
				o->shortopts[len++] = ':';
			o->shortopts[len] = '\0';
		}
	}
	if (s->name != NULL) {
		o->longopts[*nl] = (struct option){s->name, s->has_arg, NULL, s->key};
		(*nl)++;
	}
}

void
opts_init(struct opts *o, const struct plugin_desc *pd, int argc, char **argv)
{
	size_t n = opts_count(common_opts) + opts_count(pd->opts);
	size_t nl = 0;

	memset(o, 0, sizeof *o);
	o->pd = pd;
	o->argc = argc;
	o->argv = argv;
	o->family = AF_UNSPEC;
	o->timeout = pd->default_timeout > 0 ? pd->default_timeout : 10;
	o->timeout_state = pd->default_timeout_state != GL_OK ? pd->default_timeout_state
							     : GL_CRITICAL;
	o->longopts = xcalloc(n + 1, sizeof *o->longopts);
	o->shortopts[0] = ':';  /* report a missing argument as ':' */
	for (const struct opt_spec *s = common_opts; s->help; s++)
		opts_add(o, &nl, s);
	for (const struct opt_spec *s = pd->opts; s->help; s++)
		opts_add(o, &nl, s);
	opterr = 0;
	optind = 1;
}

static void
opts_help_entry(struct strbuf *sb, const struct opts *o, const struct opt_spec *s)
{
	sb_append(sb, " ");
	if (s->key < 256)
		sb_appendf(sb, "-%c%s", s->key, s->name ? ", " : "");
	if (s->name)
		sb_appendf(sb, "--%s", s->name);
	if (s->arg)
		sb_appendf(sb, s->name ? "=%s" : " %s", s->arg);
	sb_append(sb, "\n    ");
	for (const char *p = s->help; *p; p++) {
		if (*p == '\n')
			sb_append(sb, "\n    ");
		else if (*p == '%' && p[1] == 'g' && s->key == 't')
			sb_append_number(sb, o->timeout), p++;
		else
			sb_appendc(sb, *p);
	}
	sb_appendc(sb, '\n');
}

static noreturn void
opts_help(const struct opts *o)
{
	struct strbuf sb = STRBUF_INIT;
	const struct plugin_desc *pd = o->pd;

	sb_appendf(&sb, "%s v%s (glance %s)\n%s\n\nUsage: %s %s\n\nOptions:\n", pd->name,
		   GLANCE_VERSION, GLANCE_VERSION, pd->purpose, pd->name, pd->usage);
	for (const struct opt_spec *s = common_opts; s->help; s++)
		opts_help_entry(&sb, o, s);
	for (const struct opt_spec *s = pd->opts; s->help; s++)
		opts_help_entry(&sb, o, s);
	if (pd->notes)
		sb_appendf(&sb, "\n%s\n", pd->notes);
	sb_append(&sb, "\nExit codes: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.\n");
	fputs(sb_str(&sb), stdout);
	sb_free(&sb);
	exit(GL_UNKNOWN);
}

noreturn void
opts_usage_error(const struct opts *o, const char *fmt, ...)
{
	va_list ap;

	printf("%s UNKNOWN - ", o->pd->service);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\nUsage: %s %s\nTry '%s --help' for more.\n", o->pd->name, o->pd->usage,
	       o->pd->name);
	exit(GL_UNKNOWN);
}

/* The option as the user typed it, for messages: "-p" or "--port". */
static const char *
opts_current_name(const struct opts *o)
{
	return o->current ? o->current : "argument";
}

static int
opts_common(struct opts *o, int c, const char *arg)
{
	char err[200];

	switch (c) {
	case 'h':
		opts_help(o);
	case 'V':
		printf("%s v%s (glance %s)\n", o->pd->name, GLANCE_VERSION, GLANCE_VERSION);
		exit(GL_UNKNOWN);
	case 'v':
		o->verbose++;
		output_verbosity = o->verbose;
		return 1;
	case 't':
		if (deadline_parse(arg, &o->timeout, &o->timeout_state, err, sizeof err) != 0)
			opts_usage_error(o, "%s: %s", opts_current_name(o), err);
		return 1;
	case '4':
		o->family = AF_INET;
		return 1;
	case '6':
		o->family = AF_INET6;
		return 1;
	}
	return 0;
}

/* The argument names (as --help shows them) of options whose value is a
 * host, an address, a name or a path. Such a value is never empty (an
 * empty -N would silently turn a name check off) and never longer than a
 * DNS name (RFC 1035 2.3.4: 255 octets on the wire, 253 as text) or an
 * address (RFC 5321 4.5.3.1.3: a 256-octet path). */
static const struct {
	const char *kind;
	size_t max; /* a list or NAME=ADDR pair may hold a few */
} name_args[] = {
	{"HOST", 254}, {"NAME", 254}, {"ADDR", 254}, {"ADDRESS", 254}, {"SERVER", 254},
	{"ZONE", 254}, {"USER", 254}, {"MTA", 254},
	/* a path may be longer than a name, not than the kernel takes */
	{"FILE", 4095}, {"DIR", 4095}, {"PATH", 4095}, {"CMD", 4095}, {NULL, 0},
};

static const struct opt_spec *
opts_spec_of(const struct opts *o, int key)
{
	for (const struct opt_spec *s = o->pd->opts; s->help != NULL; s++)
		if (s->key == key)
			return s;
	return NULL;
}

/* Ends the run UNKNOWN when ARG is empty or overlong for its kind. */
static void
opts_check_name(const struct opts *o, int key, const char *arg)
{
	const struct opt_spec *s = opts_spec_of(o, key);
	size_t kind, max;

	if (s == NULL || s->arg == NULL || arg == NULL)
		return;
	kind = strcspn(s->arg, "[,=@");
	for (size_t i = 0; name_args[i].kind != NULL; i++) {
		const char *k = name_args[i].kind;
		if (strlen(k) != kind || strncmp(k, s->arg, kind) != 0)
			continue;
		if (*arg == '\0')
			opts_usage_error(o, "%s: an empty %s is not allowed", o->current, s->arg);
		/* a list ("HOST[,HOST...]") may be as long as it likes; a pair
		 * or a name with a port is a few names long */
		max = name_args[i].max * (s->arg[kind] != '\0' ? 4 : 1);
		if (strchr(s->arg, ',') == NULL && strlen(arg) > max)
			opts_usage_error(o, "%s: the %s is longer than %zu characters", o->current,
			                 s->arg, max);
		return;
	}
}

int
opts_next(struct opts *o, const char **arg)
{
	static char name[64];

	for (;;) {
		int prev = optind;
		int c = getopt_long(o->argc, o->argv, o->shortopts, o->longopts, NULL);
		if (c == -1)
			return -1;
		/* Remember how the option was spelled for error messages. */
		const char *word = o->argv[prev < o->argc ? prev : o->argc - 1];
		snprintf(name, sizeof name, "%s", word);
		char *eq = strchr(name, '=');
		if (eq && name[1] == '-')
			*eq = '\0';
		else if (name[0] == '-' && name[1] != '-' && name[1] != '\0')
			name[2] = '\0';
		o->current = name;
		if (c == '?')
			opts_usage_error(o, "unknown option '%s'", word);
		if (c == ':')
			opts_usage_error(o, "option '%s' needs an argument", word);
		if (opts_common(o, c, optarg))
			continue;
		opts_check_name(o, c, optarg);
		*arg = optarg;
		return c;
	}
}

void
opts_done(struct opts *o)
{
	if (optind < o->argc)
		opts_usage_error(o, "unexpected argument '%s'", o->argv[optind]);
	free(o->longopts);
	o->longopts = NULL;
	o->current = NULL;
	/* A peer that closes early must give EPIPE, not kill the check. */
	char err[160];
	if (signal(SIGPIPE, SIG_IGN) == SIG_ERR)
		output_die(o->pd->service, GL_UNKNOWN, "cannot ignore SIGPIPE");
	if (deadline_arm(o->pd->service, o->timeout, o->timeout_state, err, sizeof err) != 0)
		output_die(o->pd->service, GL_UNKNOWN, "%s", err);
}

long
opts_long(const struct opts *o, const char *arg, long min, long max)
{
	char *end;
	errno = 0;
	long v = strtol(arg, &end, 10);
	if (arg[0] == '\0' || *end != '\0' || errno != 0 || v < min || v > max)
		opts_usage_error(o, "%s: '%s' is not an integer in %ld..%ld",
				 opts_current_name(o), arg, min, max);
	return v;
}

double
opts_double(const struct opts *o, const char *arg, double min, double max)
{
	double v;
	size_t n = range_scan_number(arg, &v);
	if (n == 0 || arg[n] != '\0' || v < min || v > max)
		opts_usage_error(o, "%s: '%s' is not a number in %g..%g",
				 opts_current_name(o), arg, min, max);
	return v;
}

unsigned
opts_port(const struct opts *o, const char *arg)
{
	return (unsigned)opts_long(o, arg, 1, 65535);
}

void
opts_require(const struct opts *o, int rc, const char *err)
{
	if (rc != 0)
		opts_usage_error(o, "%s: %s", opts_current_name(o), err);
}

void
opts_range(const struct opts *o, const char *arg, enum opts_bare bare, struct range *r)
{
	char err[200];
	opts_require(o, range_parse_bare(arg, bare == OPTS_BELOW, r, err, sizeof err), err);
}

void
opts_thresholds(const struct opts *o, const char *arg, enum opts_bare bare,
                struct thresholds *t)
{
	char err[200];
	opts_require(o, thresholds_parse(arg, bare == OPTS_BELOW, t, err, sizeof err), err);
}

enum gl_state
opts_state(const struct opts *o, const char *arg)
{
	enum gl_state st = GL_UNKNOWN;
	if (state_parse(arg, &st) != 0)
		opts_usage_error(o, "%s: '%s' is not ok, warning, critical or unknown",
		                 opts_current_name(o), arg);
	return st;
}

static char *
opts_read_secret_file(const struct opts *o, const char *path)
{
	struct stat st;
	char buf[4096];
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);

	if (fd < 0)
		opts_usage_error(o, "%s: cannot open '%s': %s", opts_current_name(o), path,
				 strerror(errno));
	if (fstat(fd, &st) != 0 || (st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
		close(fd);
		opts_usage_error(o, "%s: '%s' is readable by group or others; chmod 600 it",
				 opts_current_name(o), path);
	}
	ssize_t n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n < 0)
		opts_usage_error(o, "%s: cannot read '%s'", opts_current_name(o), path);
	buf[n] = '\0';
	buf[strcspn(buf, "\r\n")] = '\0';
	char *secret = xstrdup(buf);
	/* The copy is the caller's to wipe; the stack must not keep one. */
	explicit_bzero(buf, sizeof buf);
	return secret;
}

char *
opts_secret(const struct opts *o, const char *spec)
{
	if (strncmp(spec, "env:", 4) == 0) {
		const char *v = getenv(spec + 4);
		if (v == NULL)
			opts_usage_error(o, "%s: environment variable %s is not set",
					 opts_current_name(o), spec + 4);
		return xstrdup(v);
	}
	if (strncmp(spec, "file:", 5) == 0)
		return opts_read_secret_file(o, spec + 5);
	return xstrdup(spec);
}

/* The option layer every plugin shares. A plugin describes its options
 * once, in a table; from it come the getopt tables, --help, and the
 * handling of the options every plugin has in common:
 *   -h/--help, -V/--version   print, exit UNKNOWN (the plugin API's rule)
 *   -v/--verbose              repeatable, sets output_verbosity
 *   -t/--timeout SECS[:STATE] the hard deadline for the whole run
 *   -4/-6                     when the table lists OPT_IPV4/OPT_IPV6
 * Bad options and bad values end the run UNKNOWN with a one-line reason
 * naming the option, then a usage line. */
#ifndef GLANCE_OPTS_H
#define GLANCE_OPTS_H

#include <getopt.h>
#include <stdbool.h>
#include <stdnoreturn.h>

#include "range.h"
#include "state.h"

struct opt_spec {
	int key;           /* the short letter, or >= 256 for long-only options */
	const char *name;  /* long name, or NULL */
	int has_arg;       /* no_argument or required_argument */
	const char *arg;   /* argument name shown in --help, or NULL */
	const char *help;  /* help text; '\n' starts a new help line */
};

#define OPT_END {0, NULL, 0, NULL, NULL}
#define OPT_IPV4 {'4', "use-ipv4", no_argument, NULL, "Use IPv4 only."}
#define OPT_IPV6 {'6', "use-ipv6", no_argument, NULL, "Use IPv6 only."}

struct plugin_desc {
	const char *name;      /* "check_disk" */
	const char *service;   /* "DISK": the first word of the status line */
	const char *purpose;   /* one sentence for --help */
	const char *usage;     /* synopsis after the program name */
	const char *notes;     /* text after the option list, or NULL */
	const struct opt_spec *opts;  /* ends with OPT_END */
	double default_timeout;       /* seconds; 0 means 10 */
	enum gl_state default_timeout_state;  /* GL_OK (0) means CRITICAL */
};

struct opts {
	const struct plugin_desc *pd;
	int argc;
	char **argv;
	struct option *longopts;
	char shortopts[160];
	int verbose;
	int family;              /* AF_UNSPEC, AF_INET or AF_INET6 */
	double timeout;
	enum gl_state timeout_state;
	const char *current;     /* the option being handled, for messages */
};

void opts_init(struct opts *o, const struct plugin_desc *pd, int argc, char **argv);

/* Returns the next plugin-specific option's key with its argument in
 * *arg, or -1 when all are read. Common options are handled inside. */
int opts_next(struct opts *o, const char **arg);

/* Ends parsing: rejects positional arguments and arms the deadline; a
 * backstop that cannot be armed ends the run UNKNOWN. */
void opts_done(struct opts *o);

noreturn void opts_usage_error(const struct opts *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Range-checked numbers; a bad value is a usage error naming the option. */
long opts_long(const struct opts *o, const char *arg, long min, long max);
double opts_double(const struct opts *o, const char *arg, double min, double max);
/* A TCP/UDP port, 1..65535. */
unsigned opts_port(const struct opts *o, const char *arg);

/* Thresholds: the one way a plugin reads -w/-c and every other
 * threshold option, so all of them take the same grammar.
 *   opts_range(o, arg, OPTS_ABOVE, &t.warn)       -w 10, -w @1:5, -w 10:
 *   opts_thresholds(o, arg, OPTS_BELOW, &days)    --days 30,14 ("30:,14:")
 * OPTS_ABOVE reads a bare number N as the plugin API does: alert outside
 * 0..N. OPTS_BELOW reads it as "N:", alert below N, for what runs out
 * (days left). A pair is "WARN[,CRIT]" with either side empty but not
 * both; a pair whose warning could never be reported (5,2) is refused. */
enum opts_bare { OPTS_ABOVE, OPTS_BELOW };
void opts_range(const struct opts *o, const char *arg, enum opts_bare bare, struct range *r);
void opts_thresholds(const struct opts *o, const char *arg, enum opts_bare bare,
                     struct thresholds *t);
/* A state name, letter or digit, as state_parse() reads them. */
enum gl_state opts_state(const struct opts *o, const char *arg);

/* Turns a parser's "-1 and a reason in err" into the usage error naming
 * the option being read. */
void opts_require(const struct opts *o, int rc, const char *err);

/* Reads a secret (password, community) from "env:NAME" or "file:PATH" or
 * returns the literal. A file that group or others can read is refused,
 * since ps and /proc must never show a secret. Trailing newline dropped.
 * The result is malloc'd. Usage error on failure. */
char *opts_secret(const struct opts *o, const char *spec);

#endif

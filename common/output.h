/* The one place a plugin prints and exits. A plugin fills a struct
 * gl_output as it works and calls output_exit() once, which prints
 *   SERVICE STATE - summary|perfdata
 *   long output line 1
 *   ...
 * to stdout and exits with the state. Nothing goes to stderr unless -v. */
#ifndef GLANCE_OUTPUT_H
#define GLANCE_OUTPUT_H

#include <stdnoreturn.h>

#include "state.h"
#include "strbuf.h"

struct gl_output {
	const char *service;    /* "DISK", "SMTP", ... */
	enum gl_state state;
	struct strbuf summary;
	struct strbuf longout;  /* lines, each ending in '\n' */
	struct strbuf perf;     /* built with perfdata_append() */
};

void output_init(struct gl_output *o, const char *service);

/* Raises o->state to s if s is worse (see state_worst()). */
void output_state(struct gl_output *o, enum gl_state s);

/* The summary is one line: a newline in the text is printed as a space. */
void output_summary(struct gl_output *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

void output_long(struct gl_output *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Writes the whole result to the given buffer (used by tests and by
 * output_exit); '|' in text becomes ' ' and newlines in the summary become
 * spaces, so text can never be mistaken for perfdata. */
void output_render(const struct gl_output *o, struct strbuf *out);

noreturn void output_exit(struct gl_output *o);

/* Prints "SERVICE STATE - message" and exits with state: for errors that
 * end a check before it has a result (bad arguments, no memory, ...). */
noreturn void output_die(const char *service, enum gl_state st, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Verbose diagnostics (stderr) when the verbosity is at least level. */
extern int output_verbosity;
void output_debug(int level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif

#include "output.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "deadline.h"

int output_verbosity;

void
output_init(struct gl_output *o, const char *service)
{
	memset(o, 0, sizeof *o);
	o->service = service;
	o->state = GL_OK;
}

void
output_state(struct gl_output *o, enum gl_state s)
{
	o->state = state_worst(o->state, s);
}

void
output_summary(struct gl_output *o, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	sb_vappendf(&o->summary, fmt, ap);
	va_end(ap);
}

void
output_long(struct gl_output *o, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	sb_vappendf(&o->longout, fmt, ap);
	va_end(ap);
	sb_appendc(&o->longout, '\n');
}

/* Copies text, replacing '|' (the perfdata separator for every core) and,
 * unless multiline, line breaks; control characters become '?'. */
static void
output_clean(struct strbuf *out, const char *s, int multiline)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '|')
			c = ' ';
		else if (c == '\n')
			c = multiline ? '\n' : ' ';
		else if (c == '\r' || c == '\t')
			c = ' ';
		else if (c < 0x20 || c == 0x7f)
			c = '?';
		sb_appendc(out, (char)c);
	}
}

void
output_render(const struct gl_output *o, struct strbuf *out)
{
	sb_appendf(out, "%s %s", o->service, state_name(o->state));
	if (o->summary.len > 0) {
		sb_append(out, " - ");
		output_clean(out, sb_str(&o->summary), 0);
	}
	if (o->perf.len > 0) {
		sb_appendc(out, '|');
		sb_append(out, sb_str(&o->perf));
	}
	sb_appendc(out, '\n');
	if (o->longout.len > 0)
		output_clean(out, sb_str(&o->longout), 1);
}

noreturn void
output_exit(struct gl_output *o)
{
	struct strbuf out = STRBUF_INIT;
	enum gl_state st = o->state;

	/* From here on this is the run's one status line: the backstop must
	 * not fire half-way through it and print a second one. */
	deadline_disarm();
	output_render(o, &out);
	fwrite(out.buf, 1, out.len, stdout);
	fflush(stdout);
	sb_free(&out);
	sb_free(&o->summary);
	sb_free(&o->longout);
	sb_free(&o->perf);
	exit((int)st);
}

noreturn void
output_die(const char *service, enum gl_state st, const char *fmt, ...)
{
	struct gl_output o;
	va_list ap;

	output_init(&o, service);
	o.state = st;
	va_start(ap, fmt);
	sb_vappendf(&o.summary, fmt, ap);
	va_end(ap);
	output_exit(&o);
}

void
output_debug(int level, const char *fmt, ...)
{
	va_list ap;

	if (output_verbosity < level)
		return;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* Plugin states and their names: the Nagios plugin API exit codes. */
#ifndef GLANCE_STATE_H
#define GLANCE_STATE_H

enum gl_state {
	GL_OK = 0,
	GL_WARNING = 1,
	GL_CRITICAL = 2,
	GL_UNKNOWN = 3,
};

/* "OK", "WARNING", "CRITICAL", "UNKNOWN". */
const char *state_name(enum gl_state s);

/* The more severe of two states: CRITICAL > WARNING > UNKNOWN > OK, the
 * order Nagios uses when it folds several results into one. */
enum gl_state state_worst(enum gl_state a, enum gl_state b);

/* Parses "ok|warning|critical|unknown" (any case) or their first letters,
 * or the digits 0-3. Returns 0 on success, -1 if s names no state. */
int state_parse(const char *s, enum gl_state *out);

#endif

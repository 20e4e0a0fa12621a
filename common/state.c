#include "state.h"

#include <stddef.h>
#include <string.h>
#include <strings.h>

static const char *const state_names[] = {"OK", "WARNING", "CRITICAL", "UNKNOWN"};

const char *
state_name(enum gl_state s)
{
	if ((unsigned)s > GL_UNKNOWN)
		return "UNKNOWN";
	return state_names[s];
}

/* Severity rank, as monitoring-plugins' max_state(): CRITICAL above WARNING
 * above UNKNOWN above OK. */
static int
state_rank(enum gl_state s)
{
	switch (s) {
	case GL_OK: return 0;
	case GL_UNKNOWN: return 1;
	case GL_WARNING: return 2;
	case GL_CRITICAL: return 3;
	}
	return 1;
}

enum gl_state
state_worst(enum gl_state a, enum gl_state b)
{
	return state_rank(a) >= state_rank(b) ? a : b;
}

int
state_parse(const char *s, enum gl_state *out)
{
	static const char *const names[] = {"ok", "warning", "critical", "unknown"};

	if (s == NULL || *s == '\0')
		return -1;
	for (int i = 0; i < 4; i++) {
		if (strcasecmp(s, names[i]) == 0 ||
		    (s[1] == '\0' && (s[0] == names[i][0] || s[0] == names[i][0] - 32 ||
				      s[0] == '0' + i))) {
			*out = (enum gl_state)i;
			return 0;
		}
	}
	return -1;
}

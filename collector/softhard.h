/* Nagios soft/hard state logic for services, engine-independent: a
 * problem is SOFT until it has been seen max_attempts times in a row,
 * then HARD; a change between problem states while HARD is a new HARD
 * state at once; any OK result is HARD at once (a recovery from a HARD
 * problem, or a soft recovery that never changed the HARD state). */
#ifndef GLANCE_SOFTHARD_H
#define GLANCE_SOFTHARD_H

#include <stdbool.h>
#include <time.h>

#include "state.h"

struct svc_state {
	bool checked;        /* false until the first result */
	enum gl_state state; /* the last result */
	bool hard;           /* the last result was HARD */
	int attempt;         /* 1..max_attempts */
	bool has_hard;       /* false until the first HARD state */
	enum gl_state hard_state;
	time_t hard_since; /* when hard_state began */
	time_t last_check;
};

/* Applies one result seen at time t. Returns true when the HARD state
 * changed (including the first HARD state ever). */
bool softhard_apply(struct svc_state *s, enum gl_state st, int max_attempts, time_t t);

/* Seconds until the next check: the retry interval while a problem is
 * SOFT, the normal interval otherwise. */
int softhard_next_delay(const struct svc_state *s, int interval, int retry);

#endif

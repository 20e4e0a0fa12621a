/* The normalised check result: what every engine hands to the store.
 * glance's own scheduler fills it after running a plugin; an ingest of
 * Nagios status.dat or the Icinga 2 API would fill the same struct from
 * the core's own soft/hard bookkeeping. The store neither knows nor
 * cares which engine produced it. */
#ifndef GLANCE_RESULT_H
#define GLANCE_RESULT_H

#include <stdbool.h>
#include <time.h>

#include "state.h"

struct gl_result {
	const char *system;  /* "NC036" */
	const char *service; /* "SMTP" */
	enum gl_state state;
	bool hard;               /* a HARD state (Nagios state_type 1) */
	int attempt;             /* current attempt, 1..max */
	const char *output;      /* the first line, before any '|' */
	const char *long_output; /* later lines, or "" */
	const char *perfdata;    /* every perfdata item, space-separated, or "" */
	time_t t;                /* when the check finished */
	int duration_ms;
};

#endif

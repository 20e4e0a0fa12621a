/* For the tests that replay a history through a real store: one result
 * recorded as glance's scheduler records it (the soft/hard machine on
 * the service's stored state, then store_record). */
#ifndef GLANCE_TEST_FEED_H
#define GLANCE_TEST_FEED_H

#include <stdio.h>

#include "softhard.h"
#include "store.h"

/* Records state for system/service at t after attempts-to-HARD; returns
 * the service's state after it (for the next check's delay). */
static inline struct svc_state
feed_result(struct store *st, const char *sys, const char *svc, enum gl_state state,
            int attempts, time_t t, const char *output, const char *perfdata)
{
	struct svc_row row;
	struct svc_state after;

	store_get_service(st, sys, svc, &row);
	softhard_apply(&row.st, state, attempts, t);
	struct gl_result r = {.system = sys,
	                      .service = svc,
	                      .state = state,
	                      .hard = row.st.hard,
	                      .attempt = row.st.attempt,
	                      .output = output,
	                      .long_output = "",
	                      .perfdata = perfdata,
	                      .t = t};
	if (store_record(st, &r) < 0)
		printf("# store_record: %s\n", store_error(st));
	after = row.st;
	svc_row_free(&row);
	return after;
}

#endif

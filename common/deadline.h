/* One monotonic deadline for the whole run (-t SECONDS[:STATE]).
 *
 * Every wait in the plugin (poll on a socket, a child's exit, ...) asks
 * deadline_remaining_ms() and waits no longer, so retries can never
 * stretch the budget. A timer signal is the backstop for the calls no
 * wait can bound (getaddrinfo, a statvfs on a dead NFS server): its
 * handler writes a status line prepared in advance and _exit()s, which
 * are both async-signal-safe. */
#ifndef GLANCE_DEADLINE_H
#define GLANCE_DEADLINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "state.h"

/* Monotonic clock in nanoseconds; the only clock used to measure time. */
int64_t mono_ns(void);

/* Parses "10", "2.5" or "10:unknown" (state names as state_parse()).
 * Seconds must be > 0 and at most one day. */
int deadline_parse(const char *arg, double *seconds, enum gl_state *st,
		   char *err, size_t errlen);

/* Starts the clock: the run must end within seconds. When it does not,
 * the backstop prints "SERVICE STATE - Timeout after N seconds" and exits
 * with st. Calling it again re-arms from now. Returns -1 with the reason
 * in err when the backstop cannot be installed: a run without one could
 * hang past its deadline, so the caller ends it UNKNOWN. */
int deadline_arm(const char *service, double seconds, enum gl_state st, char *err,
                 size_t errlen);

/* Milliseconds left for waits, at least 0; INT32_MAX when no deadline is
 * armed. Waits end min(0.25 s, 10%) before the backstop fires, leaving the
 * plugin time to report what timed out. */
int deadline_remaining_ms(void);
bool deadline_expired(void);

/* The state and the seconds given to deadline_arm(), for messages such as
 * "Socket timeout after 10 seconds" when a wait runs out first. */
enum gl_state deadline_state(void);
double deadline_seconds(void);

/* Stops the backstop; output_exit() does so before it prints, so the
 * timeout line can never interleave with the status line. */
void deadline_disarm(void);

#endif

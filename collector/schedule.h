/* The embedded engine behind `glance run`: runs every configured check
 * at its interval (its retry interval while a problem is SOFT), at most
 * site.parallel at once, first runs spread over the first minute;
 * applies the Nagios soft/hard logic and hands each normalised result
 * to the store. One poll() loop, one place that sleeps; no check can
 * block it (exec.h).
 *
 * After results have changed a HARD state, and every site.render_every
 * seconds, it calls on_pass (derive and render) so the page follows the
 * checks. Signals only set the flags in struct sched_ctl, read at the top
 * of the loop: stop ends the loop after killing running checks; reload
 * asks for a new config through on_reload. */
#ifndef GLANCE_SCHEDULE_H
#define GLANCE_SCHEDULE_H

#include <signal.h>
#include <stdbool.h>
#include <time.h>

#include "config.h"
#include "store.h"

struct sched_ctl {
	volatile sig_atomic_t *stop;
	volatile sig_atomic_t *reload;
	bool once;       /* every check once, then one pass, then return */
	time_t now_base; /* if not 0, the wall clock starts here (tests) */
	int verbose;     /* on stderr: 0 nothing, 1 HARD changes, 2 every result */
	void *ctx;
	/* Derive and render; returns 0 or -1 (logged, the loop goes on). */
	int (*on_pass)(void *ctx, const struct config *cfg, time_t now);
	/* Returns a new config to switch to, or NULL to keep the old one. */
	struct config *(*on_reload)(void *ctx);
};

/* Runs until *stop (or one pass with once). cfg may be replaced through
 * on_reload; the caller owns whichever config *cfgp points to at the end.
 * Returns 0, or 1 when a check result or a pass could not be stored. */
int schedule_run(struct config **cfgp, struct store *st, const struct sched_ctl *ctl);

/* The wall clock as the scheduler sees it (now_base shifted by elapsed
 * monotonic time when set). */
time_t sched_now(const struct sched_ctl *ctl, int64_t mono0);

#endif

/* Reading a running Icinga 2 through its REST API (HTTPS, basic auth,
 * the server verified against the given CA; the password is read from a
 * file, never taken from argv).
 *
 * A pass reads /v1/objects/hosts, services and downtimes: hosts become
 * systems (vars.location, else the zone, which is the satellite zone of
 * a location in the usual layout; vars.role, else the first group;
 * vars.visibility; vars.display, else display_name), their checks
 * become checks, and the last result of each is recorded when it is
 * newer than the store's. Downtimes become maintenance windows; one the
 * engine no longer lists was removed (its end still ahead) or expired.
 *
 * Following (glance run) adds the /v1/events stream: every CheckResult
 * and StateChange with its own time, DowntimeAdded / Started / Triggered
 * / Removed (remove_time > 0: cancelled or ended early; 0: expired),
 * AcknowledgementSet (logged). The stream has no replay: after every
 * (re)connect the objects are read again while the new stream's events
 * wait in the socket, and an event older than what the store holds
 * counts once only, so nothing is lost or doubled. */
#ifndef GLANCE_INGEST_ICINGA2_H
#define GLANCE_INGEST_ICINGA2_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

#include "config.h"
#include "ingest.h"

/* One pass over the objects. Returns 0, or -1 with err. */
int ic_ingest_pass(struct ingest_ctx *c, const struct cfg_source *src, char *err,
                   size_t errlen);

/* The objects pass on answers already read, without HTTP (the fuzz
 * target's entry point): body[] holds the JSON of /v1/objects/hosts,
 * services, downtimes, dependencies and checkcommands, len[] their
 * lengths; the last two may be NULL. Returns 0, or -1 with err. */
#define IC_OBJ_N 5
int ic_apply_objects(struct ingest_ctx *c, const char *const body[IC_OBJ_N],
                     const size_t len[IC_OBJ_N], char *err, size_t errlen);

/* Applies one event (a JSON object as text). Returns 1 when it changed
 * the store, 0 when it did not, -1 on a store error; malformed JSON is a
 * warning naming the event's number. */
int ic_apply_event(struct ingest_ctx *c, const char *json, size_t len, long number);

/* Applies a saved event stream, one JSON object a line, in order.
 * Returns 0, or -1 with err. */
int ic_replay(struct ingest_ctx *c, const char *path, char *err, size_t errlen);

/* glance run: the stream, reconnecting until *stop; render(arg) runs
 * at most every poll seconds after a change, after each reconnect, and
 * every render_every seconds anyway (freshness moves with the clock). */
struct ic_follow {
	struct ingest_ctx *c;
	const struct cfg_source *src;
	int render_every;
	volatile sig_atomic_t *stop;
	int (*render)(void *arg);
	void *arg;
};
int ic_follow(struct ic_follow *f);

#endif

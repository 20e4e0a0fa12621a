/* The plain structs that flow from the collector's derive stage to its
 * render stage. derive builds a struct site_view from the store and the
 * config; render writes the site from it and from nothing else, so the
 * renderer can be tested on a view built in memory, and the view is the
 * same whichever engine (glance's scheduler, Nagios, Icinga 2) produced
 * the results.
 *
 * Ownership: every pointer in a site_view is owned by it (malloc'd) and
 * freed by site_view_free(). Times are UTC seconds since the epoch. Text
 * is raw (unescaped): render escapes it for HTML, XML or JSON. */
#ifndef GLANCE_MODEL_H
#define GLANCE_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "state.h"

/* What a failing check means for the people using the system, least
 * first: none (shown on the system's own page only), degraded
 * performance, a partial outage (a service down, the host up), a major
 * outage (the system is down). */
enum impact { IMPACT_NONE, IMPACT_DEGRADED, IMPACT_PARTIAL, IMPACT_MAJOR };

/* A system's public status: the worst impact of its failing checks
 * (the first four, in the order of enum impact), or one of the states
 * that are not an impact. */
enum sys_status {
	SYS_OPERATIONAL, /* no check fails with an impact */
	SYS_DEGRADED,    /* "Degraded performance" */
	SYS_PARTIAL,     /* "Partial outage" */
	SYS_MAJOR,       /* "Major outage" */
	SYS_MAINTENANCE, /* inside a maintenance window */
	SYS_INTERNAL,    /* visibility internal: nothing more is shown */
	SYS_UNKNOWN,     /* "No data": no fresh HARD result */
};

enum ping_status { PING_UNKNOWN, PING_UP, PING_DOWN };

enum notice_kind {
	NOTICE_MAINT_SCHEDULED, /* "NC023: Server maintenance" */
	NOTICE_MAINT_UNDERWAY,  /* "NC023: Maintenance underway" */
	NOTICE_MAINT_COMPLETE,  /* "NC023: Maintenance complete" */
	NOTICE_OUTAGE,          /* "NC036: Server down" (a major outage) */
	NOTICE_DISRUPTION,      /* a public service failing, host up */
	NOTICE_RECOVERY,        /* "NC036: Server back online" */
	NOTICE_OPERATOR,        /* written by a person: "NC036: Update 3" */
};

/* Statuspage's incident states; NONE for notices that are not part of an
 * incident (maintenance notices have their own states below). */
enum incident_state {
	INC_NONE,
	INC_INVESTIGATING,
	INC_IDENTIFIED,
	INC_MONITORING,
	INC_RESOLVED,
	INC_POSTMORTEM,
};

enum maint_state { MAINT_NONE, MAINT_SCHEDULED, MAINT_IN_PROGRESS, MAINT_COMPLETED };

struct link {
	char *text;
	char *url;
};

struct site_info {
	char *title;       /* "Server and System Status" */
	char *name;        /* the organisation: "NinerNet Communications" */
	char *base_url;    /* "https://status.example.net/" (ends in '/') */
	char *description; /* one paragraph under the title, or NULL */
	char *tz_note;     /* "All times are UTC." or NULL */
	struct link *footer;
	size_t nfooter;
};

struct service_view {
	char *name;          /* "SMTP" */
	enum gl_state state; /* the last HARD state */
	char *output;        /* the plugin's first line; NULL when internal */
	time_t since;        /* when that HARD state began */
};

/* Fractions of time up over a window; NaN when there is no data. */
enum { UPTIME_24H, UPTIME_7D, UPTIME_30D, UPTIME_90D, UPTIME_NWIN };

struct system_view {
	char *id;       /* "NC036": also the per-system feed's name */
	char *name;     /* "Server NC036" */
	char *location; /* "Amsterdam, Netherlands" */
	char *role;     /* "Mail server" */
	bool internal;
	enum sys_status status;
	time_t status_since;
	enum ping_status ping;
	double rtt_ms;       /* last ping round trip; NaN when unknown */
	time_t ping_checked; /* 0 when never */
	time_t first_seen;   /* its first result; 0 when none */
	double uptime[UPTIME_NWIN];
	double maint_seconds[UPTIME_NWIN]; /* maintenance time in each window */
	struct service_view *services;     /* none for internal systems */
	size_t nservices;
	/* Fraction up per UTC day, oldest first, the last entry being today
	 * so far; NaN for a day without data. Optional: NULL and 0 draw no
	 * day bars. Ignored for internal systems. */
	double *daily_uptime;
	size_t ndaily;
};

struct notice_view {
	int64_t id;          /* unique and stable: the notice page's name */
	int64_t incident_id; /* notices of one incident or maintenance share it; 0: none */
	char *system_id;     /* NULL for a page-wide notice */
	char *affected;      /* the other systems it names ("NC023,NC027"), or NULL */
	char *title;         /* "NC036: Server back online" */
	enum notice_kind kind;
	enum incident_state state;
	enum maint_state maint;
	enum impact impact; /* of the incident when this notice was posted */
	char *body;         /* Markdown (a small subset; render converts it) */
	time_t posted;      /* the time shown: "13 June 2025 01:23:56 +0000" */
	time_t starts;      /* window or outage start; 0 when none */
	time_t ends;        /* window or outage end; 0 when open or none */
	char **tags;        /* "mail server", "down time" */
	size_t ntags;
};

struct site_view {
	struct site_info site;
	time_t generated;
	struct system_view *systems; /* in config order */
	size_t nsystems;
	struct notice_view *notices; /* newest first; retracted ones left out */
	size_t nnotices;
	/* The newest result of any check, and whether it is so old that the
	 * collector itself has stopped reporting (every check is stale). */
	time_t last_result;
	bool stale;
};

void site_view_free(struct site_view *v);

/* Frees what one notice owns and zeroes it (for notices held alone, as
 * the store hands them out). */
void notice_view_free(struct notice_view *n);

/* Stable names for the enums, used in JSON and CSS classes:
 * "operational", "degraded", "partial", "major", "maintenance", "internal",
 * "unknown";
 * "up", "down", "unknown"; "investigating", ...; "scheduled", ... */
const char *sys_status_name(enum sys_status s);
const char *ping_status_name(enum ping_status p);
const char *incident_state_name(enum incident_state s);
const char *maint_state_name(enum maint_state s);
const char *notice_kind_name(enum notice_kind k);
/* "none", "degraded", "partial", "major" (config and --impact words), and
 * back; impact_parse returns -1 for another word. */
const char *impact_name(enum impact i);
int impact_parse(const char *s);

#endif

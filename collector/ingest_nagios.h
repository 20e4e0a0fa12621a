/* Reading a running Nagios 4 (or Naemon, the same files): objects.cache
 * for the systems, status.dat for the current states and downtimes,
 * nagios.log and its archives for the history. The parsers here are
 * pure (text in, structs out); ingest_nlog.c follows the files and feeds
 * the store.
 *
 * Bad input is never fatal: a malformed or truncated block or line is
 * skipped with a warning naming the file and line, and everything else
 * in the file is still read. */
#ifndef GLANCE_INGEST_NAGIOS_H
#define GLANCE_INGEST_NAGIOS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "config.h"
#include "ingest.h"

/* Host custom variables that describe a system, matched in any case
 * (Nagios upper-cases them, and status.dat prefixes "modified;"). */
struct ng_host {
	char *name, *alias, *display_name;
	char *location, *role, *visibility, *display; /* _LOCATION ... or NULL */
	char *group;                                  /* the first hostgroup's alias, or NULL */
	char *parents;                                /* "router1,router2" or NULL */
	char *check_command;                          /* "check_ping!100,20%" or NULL */
	char *impact_warning, *impact_critical;       /* _IMPACT_WARNING ... or NULL */
	int check_interval, retry_interval, max_attempts; /* seconds, seconds, count */
	long line;                                        /* of its "define host {" */
};
struct ng_service {
	char *host, *description;
	char *check_command, *impact_warning, *impact_critical;
	int check_interval, retry_interval, max_attempts;
	long line;
};
/* A command definition: its name and the plugin its command_line runs
 * (the first word's last path component, "check_tls_cert"). */
struct ng_command {
	char *name, *plugin;
};
struct ng_objects {
	struct ng_host *hosts;
	size_t nhosts;
	struct ng_service *services;
	size_t nservices;
	struct ng_command *commands;
	size_t ncommands;
};

/* Reads objects.cache. Returns 0, or -1 with a reason in err when the
 * file cannot be read at all. */
int ng_objects_load(const char *path, struct ng_objects *o, struct ingest_log *log, char *err,
                    size_t errlen);
void ng_objects_free(struct ng_objects *o);

/* Adds every host as a system and its host check and services as checks
 * to cfg; ping names the Ping column's check ("host": the host check).
 * The system's name is _DISPLAY, else display_name, else alias; its role
 * _ROLE, else its first hostgroup's alias; location _LOCATION; an
 * _VISIBILITY of "internal" hides it. Its parent is the first of its
 * parents that is a host here. A check's impacts are the defaults for
 * the plugin its check_command runs (a certificate check's WARNING has
 * none), then _IMPACT_WARNING and _IMPACT_CRITICAL of the service (of
 * the host for the host check). */
void ng_objects_to_config(const struct ng_objects *o, const char *ping, struct config *cfg,
                          struct ingest_log *log);

/* One object's current state in status.dat, or one downtime. */
struct ng_status_entry {
	char *host, *service; /* service NULL for a host */
	int state;            /* the core's own code: host 0 UP 1 DOWN 2 UNREACHABLE */
	bool hard, checked;
	int attempt;
	char *output, *long_output, *perfdata; /* unescaped */
	time_t last_check;
};
struct ng_downtime {
	char *host, *service, *id, *author, *comment;
	time_t entry, start, end, flex_start;
	bool fixed, in_effect;
	int duration;
};
struct ng_status {
	time_t created;
	struct ng_status_entry *entries;
	size_t nentries;
	struct ng_downtime *downtimes;
	size_t ndowntimes;
};
/* Reads status.dat. A missing file (Nagios deletes it when it stops)
 * returns 1: the core is down, not empty. */
int ng_status_load(const char *path, struct ng_status *s, struct ingest_log *log, char *err,
                   size_t errlen);
void ng_status_free(struct ng_status *s);

/* One interesting nagios.log line. Strings point into the line. */
enum ng_kind {
	NG_NONE,       /* a line of no interest (program start, notifications...) */
	NG_ALERT,      /* HOST/SERVICE ALERT */
	NG_STATE,      /* INITIAL/CURRENT HOST/SERVICE STATE */
	NG_DT_STARTED, /* HOST DOWNTIME ALERT: ...;STARTED */
	NG_DT_STOPPED,
	NG_DT_CANCELLED,
	NG_DT_SCHEDULE, /* EXTERNAL COMMAND: SCHEDULE_HOST_DOWNTIME */
	NG_DT_DELETE,   /* EXTERNAL COMMAND: DEL_HOST_DOWNTIME */
	NG_DT_DELETE_BY_HOST,
};
struct ng_event {
	enum ng_kind kind;
	time_t t;
	const char *host, *service; /* service NULL for a host */
	int state;
	bool hard;
	int attempt;
	const char *output;
	/* downtimes */
	time_t start, end;
	bool fixed;
	int duration;
	const char *author, *comment, *id;
};
/* Parses one line (without its newline; it is cut up in place).
 * Returns 1 for an event, 0 for a line of no interest, -1 when the line
 * is malformed, with the reason in *why. */
int ng_log_parse(char *line, struct ng_event *ev, const char **why);

/* One ingest pass over a Nagios: status.dat, the log and archives from
 * where the last pass stopped, then the snapshot reconciled (the order
 * and why are in ingest_nfile.c). Returns 0, or -1 with err. */
struct ng_pass_stats {
	uint64_t lines;
	unsigned results, windows;
	int core_down; /* status.dat is missing: Nagios is not running */
};
int ng_ingest_pass(struct ingest_ctx *c, const struct cfg_source *src,
                   struct ng_pass_stats *stats, char *err, size_t errlen);

/* "UP" and "OK" style names to the core's codes; -1 when unknown. */
int ng_host_state(const char *s);
int ng_service_state(const char *s);

/* Undoes status.dat's escaping of plugin output in place: \n newline,
 * \\ backslash. */
void ng_unescape(char *s);

#endif

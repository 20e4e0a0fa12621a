/* nagios.log lines (the grammar is in ingest_nagios.h): "[EPOCH] TYPE:
 * field;field;...". Only the first output line is logged, so an ALERT's
 * last field is the rest of the line, semicolons and all. The parser
 * cuts the line in place and allocates nothing: the bench reads a
 * million lines a second through it. */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "ingest_nagios.h"

int
ng_host_state(const char *s)
{
	if (strcmp(s, "UP") == 0)
		return 0;
	if (strcmp(s, "DOWN") == 0)
		return 1;
	if (strcmp(s, "UNREACHABLE") == 0)
		return 2;
	return -1;
}

int
ng_service_state(const char *s)
{
	static const char *const names[] = {"OK", "WARNING", "CRITICAL", "UNKNOWN"};

	for (int i = 0; i < 4; i++)
		if (strcmp(s, names[i]) == 0)
			return i;
	return -1;
}

/* Splits s at ';' into at most n fields, the last one taking the rest.
 * Returns how many were found. */
static size_t
split(char *s, char **f, size_t n)
{
	size_t k = 0;

	while (k + 1 < n) {
		char *semi = strchr(s, ';');
		if (semi == NULL)
			break;
		*semi = '\0';
		f[k++] = s;
		s = semi + 1;
	}
	f[k++] = s;
	return k;
}

/* Plain digits, at most 18 of them (no overflow), as every number in a
 * line Nagios writes is: *end after them. Anything else (a sign,
 * blanks, more digits) returns false and is left to strtol, so the
 * grammar is strtol's either way; strtol was a third of the parse. */
static bool
digits(const char *s, const char **end, long long *out)
{
	long long v = 0;
	int n = 0;

	for (; n < 18 && s[n] >= '0' && s[n] <= '9'; n++)
		v = v * 10 + (s[n] - '0');
	if (n == 0 || (s[n] >= '0' && s[n] <= '9'))
		return false;
	*end = s + n;
	*out = v;
	return true;
}

static int
number(const char *s, long lo, long hi, long *out)
{
	const char *fast;
	long long q;
	char *end;
	long v;

	if (digits(s, &fast, &q) && *fast == '\0') {
		if (q < lo || q > hi)
			return -1;
		*out = (long)q;
		return 0;
	}
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

/* host;[service;]STATE;SOFT|HARD;attempt;output */
static int
parse_state(char *rest, bool service, struct ng_event *ev, const char **why)
{
	char *f[6];
	size_t want = service ? 6 : 5, k = split(rest, f, want);
	size_t i = service ? 2 : 1;
	long attempt;

	if (k < want - 1) {
		*why = "too few fields";
		return -1;
	}
	ev->host = f[0];
	ev->service = service ? f[1] : NULL;
	ev->state = service ? ng_service_state(f[i]) : ng_host_state(f[i]);
	if (ev->state < 0) {
		*why = "unknown state";
		return -1;
	}
	if (strcmp(f[i + 1], "HARD") != 0 && strcmp(f[i + 1], "SOFT") != 0) {
		*why = "state type is neither SOFT nor HARD";
		return -1;
	}
	ev->hard = f[i + 1][0] == 'H';
	if (number(f[i + 2], 1, 1000, &attempt) != 0) {
		*why = "attempt is not a number";
		return -1;
	}
	ev->attempt = (int)attempt;
	ev->output = k == want ? f[want - 1] : "";
	if (*ev->host == '\0') {
		*why = "empty host name";
		return -1;
	}
	return 1;
}

static int
parse_dt_alert(char *rest, struct ng_event *ev, const char **why)
{
	char *f[3];

	if (split(rest, f, 3) < 2 || *f[0] == '\0') {
		*why = "too few fields";
		return -1;
	}
	ev->host = f[0];
	if (strcmp(f[1], "STARTED") == 0)
		ev->kind = NG_DT_STARTED;
	else if (strcmp(f[1], "STOPPED") == 0)
		ev->kind = NG_DT_STOPPED;
	else if (strcmp(f[1], "CANCELLED") == 0)
		ev->kind = NG_DT_CANCELLED;
	else {
		*why = "downtime alert is not STARTED, STOPPED or CANCELLED";
		return -1;
	}
	return 1;
}

/* SCHEDULE_HOST_DOWNTIME;host;start;end;fixed;trigger;duration;author;comment */
static int
parse_schedule(char *args, struct ng_event *ev, const char **why)
{
	char *f[8];
	long start, end, fixed, trigger, duration;

	if (split(args, f, 8) < 8 || *f[0] == '\0' || number(f[1], 0, LONG_MAX, &start) != 0 ||
	    number(f[2], 0, LONG_MAX, &end) != 0 || number(f[3], 0, 1, &fixed) != 0 ||
	    number(f[4], 0, LONG_MAX, &trigger) != 0 ||
	    number(f[5], 0, 100L * 366 * 86400, &duration) != 0 || end < start) {
		*why = "malformed SCHEDULE_HOST_DOWNTIME";
		return -1;
	}
	ev->kind = NG_DT_SCHEDULE;
	ev->host = f[0];
	ev->start = (time_t)start;
	ev->end = (time_t)end;
	ev->fixed = fixed == 1;
	ev->duration = fixed == 1 ? (int)(end - start) : (int)duration;
	ev->author = f[6];
	ev->comment = f[7];
	return 1;
}

static int
parse_command(char *cmd, struct ng_event *ev, const char **why)
{
	char *args = strchr(cmd, ';');

	if (args == NULL)
		return 0;
	*args++ = '\0';
	/* the propagating variants schedule the same window on the host */
	if (strcmp(cmd, "SCHEDULE_HOST_DOWNTIME") == 0 ||
	    strcmp(cmd, "SCHEDULE_AND_PROPAGATE_HOST_DOWNTIME") == 0 ||
	    strcmp(cmd, "SCHEDULE_AND_PROPAGATE_TRIGGERED_HOST_DOWNTIME") == 0)
		return parse_schedule(args, ev, why);
	if (strcmp(cmd, "DEL_HOST_DOWNTIME") == 0) {
		long id;
		if (number(args, 1, LONG_MAX, &id) != 0) {
			*why = "malformed DEL_HOST_DOWNTIME";
			return -1;
		}
		ev->kind = NG_DT_DELETE;
		ev->id = args;
		return 1;
	}
	if (strcmp(cmd, "DEL_DOWNTIME_BY_HOST_NAME") == 0) {
		char *f[4];
		size_t k = split(args, f, 4);
		/* with a service it deletes service downtimes only */
		if (*f[0] == '\0' || (k > 1 && *f[1] != '\0'))
			return 0;
		ev->kind = NG_DT_DELETE_BY_HOST;
		ev->host = f[0];
		ev->comment = k > 3 ? f[3] : NULL;
		return 1;
	}
	return 0;
}

static int
parse_type(const char *type, char *rest, struct ng_event *ev, const char **why)
{
	bool initial = strncmp(type, "INITIAL ", 8) == 0,
	     current = strncmp(type, "CURRENT ", 8) == 0;

	if (strcmp(type, "SERVICE ALERT") == 0 || strcmp(type, "HOST ALERT") == 0) {
		ev->kind = NG_ALERT;
		return parse_state(rest, type[0] == 'S', ev, why);
	}
	if (initial || current) {
		if (strcmp(type + 8, "HOST STATE") != 0 &&
		    strcmp(type + 8, "SERVICE STATE") != 0)
			return 0;
		ev->kind = NG_STATE;
		return parse_state(rest, type[8] == 'S', ev, why);
	}
	if (strcmp(type, "HOST DOWNTIME ALERT") == 0)
		return parse_dt_alert(rest, ev, why);
	if (strcmp(type, "EXTERNAL COMMAND") == 0)
		return parse_command(rest, ev, why);
	return 0;
}

int
ng_log_parse(char *line, struct ng_event *ev, const char **why)
{
	const char *fast;
	char *end, *colon;
	long long t;

	memset(ev, 0, sizeof *ev);
	*why = NULL;
	if (line[0] != '[') {
		*why = "no [timestamp]";
		return -1;
	}
	errno = 0;
	if (digits(line + 1, &fast, &t))
		end = line + (fast - line);
	else
		t = strtoll(line + 1, &end, 10);
	if (errno != 0 || end == line + 1 || *end != ']' || t <= 0 || end[1] != ' ') {
		*why = "malformed [timestamp]";
		return -1;
	}
	ev->t = (time_t)t;
	line = end + 2;
	colon = strstr(line, ": ");
	/* "Nagios 4.4.6 starting..." has no type */
	if (colon == NULL)
		return 0;
	*colon = '\0';
	return parse_type(line, colon + 2, ev, why);
}

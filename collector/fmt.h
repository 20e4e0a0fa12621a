/* Formatting of times, durations and numbers, for the notices derive
 * writes, the site render writes and the operator commands alike: one
 * set of rules, on strftime in the C locale: month and day names are English
 * whatever LC_TIME says, and numbers use a '.' decimal point. All times
 * are UTC. */
#ifndef GLANCE_FMT_H
#define GLANCE_FMT_H

#include <stddef.h>
#include <stdbool.h>
#include <time.h>

/* Enough for every format below. */
#define FMT_TIME_MAX 96

/* "13 June 2025 01:23:56 +0000": the long, unambiguous date people read. */
void fmt_time_human(char *buf, size_t len, time_t t);
/* "2025-06-13T01:23:56Z" (ISO 8601 / RFC 3339) for datetime= and Atom. */
void fmt_time_iso(char *buf, size_t len, time_t t);
/* "Fri, 13 Jun 2025 01:23:56 +0000" (RFC 822 as updated by RFC 1123) for
 * RSS. */
void fmt_time_rfc822(char *buf, size_t len, time_t t);
/* "13 June 2025", a day. */
void fmt_date(char *buf, size_t len, time_t t);
/* "02:31 UTC". */
void fmt_hhmm(char *buf, size_t len, time_t t);
/* "02:31 UTC", or "2 November 2015 02:31 UTC" when t is not on ref's day. */
void fmt_when(char *buf, size_t len, time_t t, time_t ref);
/* "between 02:31 and 02:37 UTC", or with both dates when the days
 * differ: "between 1 November 2015 23:58 and 2 November 2015 00:04 UTC". */
void fmt_between(char *buf, size_t len, time_t a, time_t b);
/* "13 June 2025 01:00 UTC". */
void fmt_date_hhmm(char *buf, size_t len, time_t t);
/* "from 01:00 to 02:00 UTC on 13 June 2025", or with both dates when the
 * days differ: "from 13 June 2025 23:00 to 14 June 2025 01:00 UTC". */
void fmt_range(char *buf, size_t len, time_t a, time_t b);
/* "June 2025" for archive headings. */
void fmt_month(char *buf, size_t len, int year, int month);
/* "6 minutes", "1 hour 5 minutes", "2 days 3 hours", "45 seconds". */
void fmt_duration(char *buf, size_t len, long long seconds);
/* An uptime fraction as a percentage: "99.95%", "100%", and "—" for NaN.
 * Rounded down, so a system that was down at all never shows 100%. */
void fmt_uptime(char *buf, size_t len, double fraction);
/* A round-trip time: "12.3 ms", "0.42 ms", "" for NaN. */
void fmt_rtt(char *buf, size_t len, double ms);

/* An operator's time (--start, --end): epoch seconds; "now"; ISO 8601
 * with a zone ("2026-12-10T02:00Z", "2026-12-10T02:00+01:00", "... UTC")
 * or without one ("2026-12-10 02:00", in zone); "+2h", "+30m", "+90s",
 * "+1d" from now; "today 02:00", "tomorrow 02:00" in zone. zone is an
 * IANA name, NULL for UTC. Returns 0, or -1 for anything else. */
int fmt_parse_time(const char *s, time_t now, const char *zone, time_t *out);
/* The accepted forms, for an error message. */
#define FMT_TIME_FORMS                                                                         \
	"epoch seconds, now, 2026-12-10T02:00Z, 2026-12-10T02:00+01:00, \"2026-12-10 "         \
	"02:00\" (configured zone), +2h, +30m, \"today 02:00\", \"tomorrow 02:00\""
/* True for NULL, "UTC" or an IANA zone name the system knows. */
bool fmt_zone_valid(const char *zone);

#endif

#include "fmt.h"

#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The C locale for strftime_l: English month and day names whatever
 * the environment's LC_TIME says. Made once and kept for the process (it
 * never changes); should newlocale fail, the process's own locale is
 * used, which is C as glance never calls setlocale. */
static locale_t
c_time(void)
{
	static locale_t c;

	if (c == (locale_t)0)
		c = newlocale(LC_TIME_MASK, "C", (locale_t)0);
	return c != (locale_t)0 ? c : LC_GLOBAL_LOCALE;
}

/* strftime in the C locale into buf (empty when it does not fit);
 * "%e" pads the day with a blank, which is dropped: "2 June", not
 * " 2 June". */
__attribute__((format(strftime, 3, 0))) static void
utc_strftime(char *buf, size_t len, const char *f, const struct tm *tm)
{
	if (len == 0)
		return;
	if (strftime_l(buf, len, f, tm, c_time()) == 0)
		buf[0] = '\0';
	if (buf[0] == ' ')
		memmove(buf, buf + 1, strlen(buf));
}

/* gmtime_r fails only for years that do not fit an int; such a time is
 * shown as the epoch rather than as garbage. */
static struct tm
utc(time_t t)
{
	struct tm tm;
	time_t zero = 0;

	if (gmtime_r(&t, &tm) == NULL)
		gmtime_r(&zero, &tm);
	return tm;
}

void
fmt_time_human(char *buf, size_t len, time_t t)
{
	struct tm tm = utc(t);

	utc_strftime(buf, len, "%e %B %Y %H:%M:%S +0000", &tm);
}

void
fmt_time_iso(char *buf, size_t len, time_t t)
{
	struct tm tm = utc(t);

	utc_strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void
fmt_time_rfc822(char *buf, size_t len, time_t t)
{
	struct tm tm = utc(t);

	utc_strftime(buf, len, "%a, %d %b %Y %H:%M:%S +0000", &tm);
}

void
fmt_date(char *buf, size_t len, time_t t)
{
	struct tm tm = utc(t);

	utc_strftime(buf, len, "%e %B %Y", &tm);
}

static bool
same_day(const struct tm *a, const struct tm *b)
{
	return a->tm_year == b->tm_year && a->tm_yday == b->tm_yday;
}

void
fmt_hhmm(char *buf, size_t len, time_t t)
{
	struct tm tm = utc(t);

	utc_strftime(buf, len, "%H:%M UTC", &tm);
}

/* "2 November 2015 02:31", the date only when with_date. */
static void
day_hhmm(char *buf, size_t len, const struct tm *tm, bool with_date)
{
	if (with_date)
		utc_strftime(buf, len, "%e %B %Y %H:%M", tm);
	else
		utc_strftime(buf, len, "%H:%M", tm);
}

void
fmt_when(char *buf, size_t len, time_t t, time_t ref)
{
	struct tm a = utc(t), b = utc(ref);
	char s[FMT_TIME_MAX];

	day_hhmm(s, sizeof s, &a, !same_day(&a, &b));
	snprintf(buf, len, "%s UTC", s);
}

void
fmt_between(char *buf, size_t len, time_t a, time_t b)
{
	struct tm ta = utc(a), tb = utc(b);
	bool dates = !same_day(&ta, &tb);
	char x[FMT_TIME_MAX], y[FMT_TIME_MAX];

	day_hhmm(x, sizeof x, &ta, dates);
	day_hhmm(y, sizeof y, &tb, dates);
	snprintf(buf, len, "between %s and %s UTC", x, y);
}

void
fmt_date_hhmm(char *buf, size_t len, time_t t)
{
	struct tm tm = utc(t);
	char s[FMT_TIME_MAX];

	day_hhmm(s, sizeof s, &tm, true);
	snprintf(buf, len, "%s UTC", s);
}

void
fmt_range(char *buf, size_t len, time_t a, time_t b)
{
	struct tm ta = utc(a), tb = utc(b);
	bool dates = !same_day(&ta, &tb);
	char x[FMT_TIME_MAX], y[FMT_TIME_MAX], day[FMT_TIME_MAX];

	day_hhmm(x, sizeof x, &ta, dates);
	day_hhmm(y, sizeof y, &tb, dates);
	fmt_date(day, sizeof day, a);
	if (dates)
		snprintf(buf, len, "from %s to %s UTC", x, y);
	else
		snprintf(buf, len, "from %s to %s UTC on %s", x, y, day);
}

void
fmt_month(char *buf, size_t len, int year, int month)
{
	struct tm tm = {.tm_year = year - 1900, .tm_mon = month - 1, .tm_mday = 1};

	if (month < 1 || month > 12)
		tm.tm_mon = 0;
	utc_strftime(buf, len, "%B %Y", &tm);
}

/* Appends "N unit" or "N units" at buf+*off. */
static void
dur_part(char *buf, size_t len, size_t *off, long long n, const char *unit)
{
	int w;

	if (*off >= len)
		return;
	w = snprintf(buf + *off, len - *off, "%s%lld %s%s", *off ? " " : "", n, unit,
	             n == 1 ? "" : "s");
	if (w > 0)
		*off += (size_t)w;
}

void
fmt_duration(char *buf, size_t len, long long s)
{
	size_t off = 0;
	long long d, h, m;

	if (len == 0)
		return;
	buf[0] = '\0';
	if (s < 0)
		s = 0;
	d = s / 86400, h = s % 86400 / 3600, m = s % 3600 / 60;
	if (s < 60) {
		dur_part(buf, len, &off, s, "second");
		return;
	}
	/* Two units at most: "2 days 3 hours", never "2 days 3 hours 1 minute". */
	if (d > 0) {
		dur_part(buf, len, &off, d, "day");
		if (h > 0)
			dur_part(buf, len, &off, h, "hour");
	} else if (h > 0) {
		dur_part(buf, len, &off, h, "hour");
		if (m > 0)
			dur_part(buf, len, &off, m, "minute");
	} else {
		dur_part(buf, len, &off, m, "minute");
	}
}

void
fmt_uptime(char *buf, size_t len, double f)
{
	double pct;

	if (isnan(f)) {
		snprintf(buf, len, "\xE2\x80\x94");
		return;
	}
	if (f >= 1.0) {
		snprintf(buf, len, "100%%");
		return;
	}
	if (f < 0.0)
		f = 0.0;
	/* The epsilon keeps 0.9995 (9994.9999... after scaling) at 99.95. */
	pct = floor(f * 10000.0 + 1e-6) / 100.0;
	snprintf(buf, len, "%.2f%%", pct);
}

void
fmt_rtt(char *buf, size_t len, double ms)
{
	if (isnan(ms) || ms < 0) {
		snprintf(buf, len, "%s", "");
		return;
	}
	snprintf(buf, len, ms < 10 ? "%.2f ms" : ms < 100 ? "%.1f ms" : "%.0f ms", ms);
}

/* mktime or localtime_r in the IANA zone named zone (NULL or "UTC": UTC).
 * The C library knows one zone at a time, through TZ: it is set for the
 * call and put back after, so the rest of the process stays on UTC. */
static int
zone_convert(const char *zone, struct tm *tm, time_t *t, bool to_epoch)
{
	const char *old = getenv("TZ");
	char *saved = old ? strdup(old) : NULL;
	int rc = 0;

	if (zone == NULL || strcmp(zone, "UTC") == 0) {
		if (to_epoch)
			*t = timegm(tm);
		else
			rc = gmtime_r(t, tm) ? 0 : -1;
		free(saved);
		return to_epoch && *t == (time_t)-1 ? -1 : rc;
	}
	if ((old != NULL && saved == NULL) || setenv("TZ", zone, 1) != 0) {
		free(saved);
		return -1;
	}
	tzset();
	if (to_epoch) {
		tm->tm_isdst = -1;
		*t = mktime(tm);
		rc = *t == (time_t)-1 ? -1 : 0;
	} else {
		rc = localtime_r(t, tm) ? 0 : -1;
	}
	if (saved != NULL)
		setenv("TZ", saved, 1);
	else
		unsetenv("TZ");
	tzset();
	free(saved);
	return rc;
}

/* The zone part of an ISO 8601 time: "" (none), "Z", " UTC", "+01:00",
 * "-0530", "+01". Sets *has when one is given. */
static int
parse_offset(const char *s, long *off, bool *has)
{
	int hh = 0, mm = 0, n = 0;

	*off = 0;
	*has = *s != '\0';
	if (*s == '\0' || strcmp(s, "Z") == 0 || strcmp(s, " UTC") == 0)
		return 0;
	if ((s[0] != '+' && s[0] != '-') || strspn(s + 1, "0123456789:") != strlen(s + 1))
		return -1;
	if (sscanf(s + 1, "%2d%n", &hh, &n) != 1 || n != 2)
		return -1;
	if (s[1 + n] == ':')
		n++;
	if (s[1 + n] != '\0' && (sscanf(s + 1 + n, "%2d", &mm) != 1 || strlen(s + 1 + n) != 2))
		return -1;
	if (hh > 14 || mm > 59)
		return -1;
	*off = (s[0] == '-' ? -1 : 1) * (hh * 3600L + mm * 60L);
	return 0;
}

/* "2026-12-10T02:00Z", "2026-12-10 02:00:30", "2026-12-10T02:00+01:00". */
static int
parse_iso(const char *s, const char *zone, time_t *out)
{
	struct tm tm;
	const char *p;
	long off;
	bool has;

	memset(&tm, 0, sizeof tm);
	p = strptime(s, "%Y-%m-%d", &tm);
	if (p == NULL || (*p != 'T' && *p != ' ') || p[1] < '0' || p[1] > '9')
		return -1;
	p = strptime(p + 1, "%H:%M", &tm);
	if (p != NULL && *p == ':' && p[1] >= '0' && p[1] <= '9')
		p = strptime(p + 1, "%S", &tm);
	if (p == NULL || parse_offset(p, &off, &has) != 0)
		return -1;
	if (has) {
		*out = timegm(&tm) - off;
		return 0;
	}
	return zone_convert(zone, &tm, out, true);
}

/* "+2h", "+30m", "+90s", "+1d": from now. */
static int
parse_relative(const char *s, time_t now, time_t *out)
{
	static const char units[] = "smhd";
	static const long secs[] = {1, 60, 3600, 86400};
	char *end;
	long long n;

	if (s[0] != '+' || s[1] < '0' || s[1] > '9')
		return -1;
	errno = 0;
	n = strtoll(s + 1, &end, 10);
	if (errno != 0 || end[0] == '\0' || end[1] != '\0' || strchr(units, end[0]) == NULL ||
	    n > 3660LL * 86400)
		return -1;
	*out = now + (time_t)(n * secs[strchr(units, end[0]) - units]);
	return 0;
}

/* "today 02:00", "tomorrow 02:00": a wall-clock time in zone. */
static int
parse_day(const char *s, time_t now, const char *zone, time_t *out)
{
	int days = strncmp(s, "today ", 6) == 0 ? 0 : strncmp(s, "tomorrow ", 9) == 0 ? 1 : -1;
	struct tm tm, hm;
	const char *p;

	if (days < 0)
		return -1;
	memset(&hm, 0, sizeof hm);
	p = strptime(s + (days ? 9 : 6), "%H:%M", &hm);
	if (p == NULL || *p != '\0' || zone_convert(zone, &tm, &now, false) != 0)
		return -1;
	tm.tm_mday += days;
	tm.tm_hour = hm.tm_hour;
	tm.tm_min = hm.tm_min;
	tm.tm_sec = 0;
	return zone_convert(zone, &tm, out, true);
}

int
fmt_parse_time(const char *s, time_t now, const char *zone, time_t *out)
{
	char *end;

	if (s == NULL || *s == '\0')
		return -1;
	if (strspn(s, "0123456789") == strlen(s)) {
		errno = 0;
		long long v = strtoll(s, &end, 10);
		if (errno != 0 || v <= 0)
			return -1;
		*out = (time_t)v;
		return 0;
	}
	if (strcmp(s, "now") == 0) {
		*out = now;
		return 0;
	}
	if (parse_relative(s, now, out) == 0 || parse_day(s, now, zone, out) == 0)
		return 0;
	return parse_iso(s, zone, out);
}

bool
fmt_zone_valid(const char *zone)
{
	time_t t = 0;
	struct tm tm;

	if (zone == NULL || strcmp(zone, "UTC") == 0)
		return true;
	/* An IANA name: letters, digits, '_', '-', '+' and '/' between
	 * parts, never ".." (the C library would read any file). */
	if (zone[0] == '/' || strstr(zone, "..") != NULL ||
	    strspn(zone,
	           "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-+/") !=
	            strlen(zone))
		return false;
	char path[512];
	snprintf(path, sizeof path, "/usr/share/zoneinfo/%s", zone);
	FILE *f = fopen(path, "rb");
	char magic[4] = {0};
	bool ok = f != NULL && fread(magic, 1, 4, f) == 4 && memcmp(magic, "TZif", 4) == 0;
	if (f != NULL)
		fclose(f);
	return ok && zone_convert(zone, &tm, &t, false) == 0;
}

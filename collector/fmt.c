#include "fmt.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>

static const char *const month_long[] = {"January",   "February", "March",    "April",
                                         "May",       "June",     "July",     "August",
                                         "September", "October",  "November", "December"};
static const char *const month_short[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
static const char *const wday_short[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};

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

	snprintf(buf, len, "%d %s %d %02d:%02d:%02d +0000", tm.tm_mday, month_long[tm.tm_mon],
	         tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

void
fmt_time_iso(char *buf, size_t len, time_t t)
{
	struct tm tm = utc(t);

	snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900, tm.tm_mon + 1,
	         tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

void
fmt_time_rfc822(char *buf, size_t len, time_t t)
{
	struct tm tm = utc(t);

	snprintf(buf, len, "%s, %02d %s %04d %02d:%02d:%02d +0000", wday_short[tm.tm_wday],
	         tm.tm_mday, month_short[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
	         tm.tm_sec);
}

void
fmt_date(char *buf, size_t len, time_t t)
{
	struct tm tm = utc(t);

	snprintf(buf, len, "%d %s %d", tm.tm_mday, month_long[tm.tm_mon], tm.tm_year + 1900);
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

	snprintf(buf, len, "%02d:%02d UTC", tm.tm_hour, tm.tm_min);
}

/* "2 November 2015 02:31", the date only when with_date. */
static void
day_hhmm(char *buf, size_t len, const struct tm *tm, bool with_date)
{
	if (with_date)
		snprintf(buf, len, "%d %s %d %02d:%02d", tm->tm_mday, month_long[tm->tm_mon],
		         tm->tm_year + 1900, tm->tm_hour, tm->tm_min);
	else
		snprintf(buf, len, "%02d:%02d", tm->tm_hour, tm->tm_min);
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
	if (month < 1 || month > 12)
		month = 1;
	snprintf(buf, len, "%s %d", month_long[month - 1], year);
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

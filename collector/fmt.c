#include "fmt.h"

#include <locale.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
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

/* The rules of derive (derive.h), free of any I/O so they can be tested
 * with exact times. */
#include "derive.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int
derive_stale_after(const struct cfg_check *c)
{
	return 2 * c->interval + c->timeout;
}

void
derive_uptime(const struct interval *iv, size_t n, time_t from, time_t now, double *uptime,
              double *maint)
{
	double up = 0, down = 0, m = 0;

	for (size_t i = 0; i < n; i++) {
		time_t a = iv[i].start > from ? iv[i].start : from;
		time_t b = iv[i].end ? iv[i].end : now;
		if (b > now)
			b = now;
		if (b <= a)
			continue;
		if (iv[i].status == SYS_OPERATIONAL || iv[i].status == SYS_DEGRADED)
			up += (double)(b - a);
		else if (iv[i].status == SYS_OUTAGE)
			down += (double)(b - a);
		else if (iv[i].status == SYS_MAINTENANCE)
			m += (double)(b - a);
	}
	*uptime = up + down > 0 ? up / (up + down) : NAN;
	*maint = m;
}

static void
unit(struct strbuf *sb, long v, const char *name)
{
	sb_appendf(sb, "%ld %s%s", v, name, v == 1 ? "" : "s");
}

void
derive_duration(struct strbuf *sb, long s)
{
	if (s < 0)
		s = 0;
	if (s < 60) {
		unit(sb, s, "second");
	} else if (s < 3600) {
		unit(sb, s / 60, "minute");
	} else if (s < 86400) {
		unit(sb, s / 3600, "hour");
		if (s % 3600 / 60 != 0) {
			sb_appendc(sb, ' ');
			unit(sb, s % 3600 / 60, "minute");
		}
	} else {
		unit(sb, s / 86400, "day");
		if (s % 86400 / 3600 != 0) {
			sb_appendc(sb, ' ');
			unit(sb, s % 86400 / 3600, "hour");
		}
	}
}

void
derive_hhmm(struct strbuf *sb, time_t t)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	sb_appendf(sb, "%02d:%02d UTC", tm.tm_hour, tm.tm_min);
}

void
derive_date(struct strbuf *sb, time_t t)
{
	static const char *const months[] = {"January",   "February", "March",    "April",
	                                     "May",       "June",     "July",     "August",
	                                     "September", "October",  "November", "December"};
	struct tm tm;

	gmtime_r(&t, &tm);
	sb_appendf(sb, "%d %s %d", tm.tm_mday, months[tm.tm_mon], tm.tm_year + 1900);
}

void
derive_between(struct strbuf *sb, time_t a, time_t b)
{
	struct tm ta, tb;

	gmtime_r(&a, &ta);
	gmtime_r(&b, &tb);
	if (ta.tm_year == tb.tm_year && ta.tm_yday == tb.tm_yday) {
		sb_appendf(sb, "between %02d:%02d and %02d:%02d UTC", ta.tm_hour, ta.tm_min,
		           tb.tm_hour, tb.tm_min);
		return;
	}
	sb_append(sb, "between ");
	derive_date(sb, a);
	sb_appendf(sb, " %02d:%02d and ", ta.tm_hour, ta.tm_min);
	derive_date(sb, b);
	sb_appendf(sb, " %02d:%02d UTC", tb.tm_hour, tb.tm_min);
}

/* The value of the perfdata item labelled rta (quoted or not), in ms:
 * check_ping, check_icmp and glance's check_ping write "rta=0.22ms". */
double
derive_rta_ms(const char *pd)
{
	const char *p = pd;

	while (*p != '\0') {
		p += strspn(p, " ");
		bool quoted = *p == '\'';
		const char *label = p + quoted;
		const char *eq = quoted ? strstr(label, "'=") : strchr(label, '=');
		if (eq == NULL)
			break;
		size_t ll = (size_t)(eq - label);
		const char *val = eq + (quoted ? 2 : 1);
		if (ll == 3 && strncmp(label, "rta", 3) == 0) {
			char *end;
			double v = strtod(val, &end);
			if (end == val)
				return NAN;
			if (strncmp(end, "us", 2) == 0)
				return v / 1000.0;
			if (*end == 's')
				return v * 1000.0;
			return v; /* "ms", or no unit: check_ping and fping mean ms */
		}
		p = val + strcspn(val, " ");
	}
	return NAN;
}

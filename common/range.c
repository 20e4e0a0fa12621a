#include "range.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Copies the plain decimal at s (sign, digits, at most one '.') into buf
 * without the integer part's leading zeros, which change nothing and are
 * the one part of a number whose length has no bound. Returns the length
 * read from s, 0 if it is no number or longer than cap allows. */
static size_t
range_copy_number(const char *s, char *buf, size_t cap)
{
	size_t i = 0, o = 0, digits = 0;

	if (s[i] == '-' || s[i] == '+')
		buf[o++] = s[i++];
	while (s[i] == '0' && isdigit((unsigned char)s[i + 1])) {
		i++;
		digits++;
	}
	for (int frac = 0; frac < 2; frac++) {
		while (isdigit((unsigned char)s[i])) {
			if (o + 1 >= cap)
				return 0;
			buf[o++] = s[i++];
			digits++;
		}
		if (frac == 1 || s[i] != '.')
			break;
		if (o + 1 >= cap)
			return 0;
		buf[o++] = s[i++];
	}
	buf[o] = '\0';
	return digits == 0 ? 0 : i;
}

size_t
range_scan_number(const char *s, double *out)
{
	char tmp[RANGE_NUMBER_MAX + 1];
	/* strtod also accepts exponents, hex and "inf"; the extent is fixed
	 * to plain decimal digits first, and only that is converted. */
	size_t n = range_copy_number(s, tmp, sizeof tmp);

	if (n == 0)
		return 0;
	double v = strtod(tmp, NULL);
	/* Beyond 1e300 a number cannot be printed back (perfdata shows 'U'). */
	if (!isfinite(v) || fabs(v) > 1e300)
		return 0;
	*out = v;
	return n;
}

static int
range_fail(char *err, size_t errlen, const char *s, const char *why)
{
	snprintf(err, errlen, "'%s': %s", s, why);
	return -1;
}

int
range_parse(const char *s, struct range *r, char *err, size_t errlen)
{
	const char *p = s;
	size_t n;

	memset(r, 0, sizeof *r);
	if (s == NULL || *s == '\0')
		return range_fail(err, errlen, s ? s : "", "empty range");
	if (*p == '@') {
		r->inside = true;
		p++;
	}
	if (*p == '\0')
		return range_fail(err, errlen, s, "no bounds after '@'");

	const char *colon = strchr(p, ':');
	if (colon != NULL) {
		if (*p == '~') {
			if (p + 1 != colon)
				return range_fail(err, errlen, s, "'~' must be followed by ':'");
			r->start_inf = true;
		} else if (p != colon) {
			n = range_scan_number(p, &r->start);
			if (n == 0 || p + n != colon)
				return range_fail(err, errlen, s, "start is not a number");
		}
		p = colon + 1;
		if (*p == '\0') {
			r->end_inf = true;
		} else {
			n = range_scan_number(p, &r->end);
			if (n == 0 || p[n] != '\0')
				return range_fail(err, errlen, s, "end is not a number");
		}
	} else {
		n = range_scan_number(p, &r->end);
		if (n == 0 || p[n] != '\0')
			return range_fail(err, errlen, s, "not a number or range");
	}
	if (!r->start_inf && !r->end_inf && r->start > r->end) {
		char why[128];
		snprintf(why, sizeof why, "start %g is greater than end %g", r->start, r->end);
		return range_fail(err, errlen, s, why);
	}
	r->set = true;
	return 0;
}

int
range_parse_bare(const char *s, bool below, struct range *r, char *err, size_t errlen)
{
	double v;
	size_t n = s ? range_scan_number(s, &v) : 0;

	if (!below || n == 0 || s[n] != '\0')
		return range_parse(s, r, err, errlen);
	memset(r, 0, sizeof *r);
	r->start = v;
	r->end_inf = true;
	r->set = true;
	return 0;
}

bool
range_alerts(const struct range *r, double v)
{
	if (!r->set)
		return false;
	bool within = (r->start_inf || v >= r->start) && (r->end_inf || v <= r->end);
	return r->inside ? within : !within;
}

/* The shortest fixed-point text that reads back as exactly v, so a
 * threshold prints as it compares: "0.0000002" stays itself instead of
 * rounding to "0". A value range_scan_number() accepted always has one
 * within RANGE_NUMBER_MAX characters. */
static void
range_append_number(struct strbuf *sb, double v)
{
	char tmp[RANGE_NUMBER_MAX + 1];

	for (int prec = 0; prec < RANGE_NUMBER_MAX; prec++) {
		double back;
		int n = snprintf(tmp, sizeof tmp, "%.*f", prec, v);
		if (n <= 0 || (size_t)n >= sizeof tmp)
			break;
		if (range_scan_number(tmp, &back) == (size_t)n && back == v) {
			sb_append(sb, strcmp(tmp, "-0") == 0 ? "0" : tmp);
			return;
		}
	}
	sb_append_number(sb, v);
}

void
range_format(struct strbuf *sb, const struct range *r)
{
	if (!r->set)
		return;
	if (r->inside)
		sb_appendc(sb, '@');
	if (r->start_inf) {
		sb_append(sb, "~:");
	} else if (r->start != 0 || r->end_inf) {
		range_append_number(sb, r->start);
		sb_appendc(sb, ':');
	}
	if (!r->end_inf)
		range_append_number(sb, r->end);
}

enum gl_state
thresholds_eval(const struct thresholds *t, double v)
{
	if (range_alerts(&t->crit, v))
		return GL_CRITICAL;
	if (range_alerts(&t->warn, v))
		return GL_WARNING;
	return GL_OK;
}

int
thresholds_parse(const char *s, bool below, struct thresholds *t, char *err, size_t errlen)
{
	char side[2][2 * RANGE_NUMBER_MAX + 8]; /* "@START:END" */
	const char *comma = strchr(s, ',');
	size_t wlen = comma ? (size_t)(comma - s) : strlen(s);

	memset(t, 0, sizeof *t);
	if (wlen >= sizeof side[0] || (comma && strlen(comma + 1) >= sizeof side[1]) ||
	    (comma && strchr(comma + 1, ',') != NULL) || (wlen == 0 && (!comma || !comma[1])))
		return range_fail(err, errlen, s, "not WARN[,CRIT]");
	memcpy(side[0], s, wlen);
	side[0][wlen] = '\0';
	snprintf(side[1], sizeof side[1], "%s", comma ? comma + 1 : "");
	struct range *r[2] = {&t->warn, &t->crit};
	for (int i = 0; i < 2; i++) {
		if (side[i][0] != '\0' &&
		    range_parse_bare(side[i], below, r[i], err, errlen) != 0) {
			memset(t, 0, sizeof *t);
			return -1;
		}
	}
	if (thresholds_check(t, err, errlen) != 0) {
		memset(t, 0, sizeof *t);
		return -1;
	}
	return 0;
}

int
thresholds_check(const struct thresholds *t, char *err, size_t errlen)
{
	const struct range *w = &t->warn, *c = &t->crit;

	if (!w->set || !c->set || w->inside || c->inside)
		return 0;
	double ws = w->start_inf ? -INFINITY : w->start, we = w->end_inf ? INFINITY : w->end;
	double cs = c->start_inf ? -INFINITY : c->start, ce = c->end_inf ? INFINITY : c->end;
	if (cs < ws || ce > we || (cs == ws && ce == we))
		return 0;
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT;
	range_format(&a, w);
	range_format(&b, c);
	snprintf(err, errlen, "warning '%s' could never be reported: critical '%s' covers it",
	         sb_str(&a), sb_str(&b));
	sb_free(&a);
	sb_free(&b);
	return -1;
}

#include "range.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

size_t
range_scan_number(const char *s, double *out)
{
	size_t i = 0, digits = 0;
	char tmp[64];

	if (s[i] == '-' || s[i] == '+')
		i++;
	while (isdigit((unsigned char)s[i])) {
		i++;
		digits++;
	}
	if (s[i] == '.') {
		i++;
		while (isdigit((unsigned char)s[i])) {
			i++;
			digits++;
		}
	}
	if (digits == 0 || i >= sizeof tmp)
		return 0;
	/* strtod also accepts exponents, hex and "inf"; we have already
	 * fixed the extent to plain decimal digits, so copy exactly that. */
	memcpy(tmp, s, i);
	tmp[i] = '\0';
	*out = strtod(tmp, NULL);
	return i;
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

bool
range_alerts(const struct range *r, double v)
{
	if (!r->set)
		return false;
	bool within = (r->start_inf || v >= r->start) && (r->end_inf || v <= r->end);
	return r->inside ? within : !within;
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
		sb_append_number(sb, r->start);
		sb_appendc(sb, ':');
	}
	if (!r->end_inf)
		sb_append_number(sb, r->end);
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

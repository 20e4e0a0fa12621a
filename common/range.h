/* Threshold ranges in the Nagios plugin grammar: [@][start:][end], with
 * "~" for minus infinity and a missing end for plus infinity. A range
 * alerts when the value lies outside [start, end] (endpoints inclusive),
 * or inside it when the range starts with "@". */
#ifndef GLANCE_RANGE_H
#define GLANCE_RANGE_H

#include <stdbool.h>
#include <stddef.h>

#include "state.h"
#include "strbuf.h"

struct range {
	double start, end;
	bool start_inf;  /* start is -infinity ("~") */
	bool end_inf;    /* end is +infinity (nothing after ':') */
	bool inside;     /* "@": alert inside the range */
	bool set;        /* false for an absent threshold */
};

/* Parses s into r. Rejects the empty string, "@" alone, exponents, hex,
 * "inf"/"nan", a "~" not followed by ':', trailing junk, and start > end
 * (so "-10" and "20:10" are errors, as in monitoring-plugins). On error
 * returns -1 and writes a reason such as "'20:10': start 20 is greater
 * than end 10" into err. */
int range_parse(const char *s, struct range *r, char *err, size_t errlen);

/* True if v is in the alert zone of r; an unset range never alerts. */
bool range_alerts(const struct range *r, double v);

/* Appends r in canonical text form ("10", "10:", "~:10", "@10:20"); an
 * unset range appends nothing. */
void range_format(struct strbuf *sb, const struct range *r);

/* A warning/critical pair, evaluated critical first. */
struct thresholds {
	struct range warn, crit;
};

enum gl_state thresholds_eval(const struct thresholds *t, double v);

/* Strictly parses a decimal number in C notation ("-1.5", ".5", "10."),
 * no exponent, no hex, no inf/nan, no surrounding spaces. Returns the
 * number of characters consumed (0 if none form a number). */
size_t range_scan_number(const char *s, double *out);

#endif

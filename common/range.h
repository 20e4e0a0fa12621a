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

/* The longest number text range_scan_number() reads, leading zeros of
 * the integer part not counted: enough for every double up to 1e300 in
 * fixed-point form, so whatever is accepted can be printed back. */
#define RANGE_NUMBER_MAX 340

/* Parses s into r. Rejects the empty string, "@" alone, exponents, hex,
 * "inf"/"nan", a "~" not followed by ':', trailing junk, and start > end
 * (so "-10" and "20:10" are errors, as in monitoring-plugins). On error
 * returns -1 and writes a reason such as "'20:10': start 20 is greater
 * than end 10" into err. */
int range_parse(const char *s, struct range *r, char *err, size_t errlen);

/* range_parse(), except that with below set a bare number N (nothing but
 * the number) reads as "N:", alert below N: the natural reading for what
 * runs out, such as days left before a certificate expires. */
int range_parse_bare(const char *s, bool below, struct range *r, char *err, size_t errlen);

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

/* Parses the one pair syntax "WARN[,CRIT]": either side may be empty
 * (",50", "10,") but not both, each is a range as range_parse_bare()
 * reads it, and the pair must pass thresholds_check(). Sides not given
 * are left unset. Returns -1 with the reason in err. */
int thresholds_parse(const char *s, bool below, struct thresholds *t, char *err, size_t errlen);

/* Rejects a pair whose WARNING could never be reported because the
 * critical alert zone strictly contains the warning one (-w 5 -c 2, or
 * days -w 3 -c 7); alerting "inside" ranges are not compared. */
int thresholds_check(const struct thresholds *t, char *err, size_t errlen);

/* Strictly parses a decimal number in C notation ("-1.5", ".5", "10."),
 * no exponent, no hex, no inf/nan, no surrounding spaces. Returns the
 * number of characters consumed (0 if none form a number). */
size_t range_scan_number(const char *s, double *out);

#endif

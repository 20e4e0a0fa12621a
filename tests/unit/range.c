/* The threshold range grammar and its evaluation, as a table of cases. */
#include <math.h>

#include "range.h"
#include "tap.h"

struct eval_case {
	const char *range;
	double value;
	int alerts;
};

static const struct eval_case evals[] = {
	/* "10": alert outside 0..10 */
	{"10", -0.5, 1}, {"10", 0, 0}, {"10", 5, 0}, {"10", 10, 0}, {"10", 10.001, 1},
	/* "10:": alert below 10 */
	{"10:", 9.99, 1}, {"10:", 10, 0}, {"10:", 1e9, 0},
	/* "~:10": alert above 10 */
	{"~:10", -1e9, 0}, {"~:10", 10, 0}, {"~:10", 10.5, 1},
	/* "10:20": alert outside, endpoints inclusive */
	{"10:20", 9, 1}, {"10:20", 10, 0}, {"10:20", 20, 0}, {"10:20", 21, 1},
	/* "@10:20": alert inside, endpoints inclusive */
	{"@10:20", 9.9, 0}, {"@10:20", 10, 1}, {"@10:20", 15, 1}, {"@10:20", 20, 1},
	{"@10:20", 20.1, 0},
	/* "@10": alert inside 0..10 */
	{"@10", -1, 0}, {"@10", 0, 1}, {"@10", 10, 1}, {"@10", 11, 0},
	/* negatives and decimals */
	{"-10:-5", -7, 0}, {"-10:-5", -4.9, 1}, {"-10:-5", -10.1, 1},
	{"~:-1.5", -1.5, 0}, {"~:-1.5", -1.4, 1}, {"0.5:1.5", 0.49, 1},
	{".5:", 0.5, 0}, {"-10:", -11, 1}, {"5:5", 5, 0}, {"5:5", 5.01, 1},
	/* unbounded both ways */
	{"~:", -1e300, 0}, {"~:", 1e300, 0}, {"@~:", 0, 1}, {"@~:", -5, 1},
	/* leading '+' and a trailing '.' are plain numbers */
	{"+10", 10, 0}, {"10.", 10.5, 1}, {":10", 11, 1}, {":10", 0, 0},
};

static const struct {
	const char *range;
	const char *why;  /* a substring of the error */
} bad[] = {
	{"", "empty"},
	{"@", "no bounds"},
	{"-10", "greater than end"},
	{"20:10", "greater than end"},
	{"abc", "not a number"},
	{"1e3", "not a number"},
	{"1e3:", "start is not"},
	{"10:1e3", "end is not"},
	{"0x10", "not a number"},
	{"inf", "not a number"},
	{"nan", "not a number"},
	{"~5:", "'~' must be followed"},
	{"~", "not a number"},
	{"10:20:30", "end is not"},
	{" 10", "not a number"},
	{"10 ", "not a number"},
	{"@@10", "not a number"},
	{"--1", "not a number"},
	{"1..2", "not a number"},
	{"-", "not a number"},
};

static const struct {
	const char *in, *out;
} canon[] = {
	{"10", "10"}, {"10:", "10:"}, {"~:10", "~:10"}, {"10:20", "10:20"},
	{"@10:20", "@10:20"}, {"0:5", "5"}, {"-1.50:", "-1.5:"}, {"~:", "~:"},
	{"0:", "0:"}, {"@0.25", "@0.25"},
};

int
main(void)
{
	struct range r;
	char err[256];

	for (size_t i = 0; i < sizeof evals / sizeof evals[0]; i++) {
		const struct eval_case *c = &evals[i];
		int rc = range_parse(c->range, &r, err, sizeof err);
		ok(rc == 0 && range_alerts(&r, c->value) == c->alerts,
		   "'%s' %s at %g", c->range, c->alerts ? "alerts" : "does not alert", c->value);
	}
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		err[0] = '\0';
		int rc = range_parse(bad[i].range, &r, err, sizeof err);
		ok(rc == -1 && strstr(err, bad[i].why) != NULL && !r.set,
		   "'%s' is rejected (%s)", bad[i].range, err);
	}
	for (size_t i = 0; i < sizeof canon / sizeof canon[0]; i++) {
		struct strbuf sb = STRBUF_INIT;
		range_parse(canon[i].in, &r, err, sizeof err);
		range_format(&sb, &r);
		is_str(sb_str(&sb), canon[i].out, "'%s' formats as '%s'", canon[i].in, canon[i].out);
		sb_free(&sb);
	}

	struct thresholds t = {0};
	range_parse("10", &t.warn, err, sizeof err);
	range_parse("20", &t.crit, err, sizeof err);
	is_int(thresholds_eval(&t, 5), GL_OK, "5 with -w 10 -c 20 is OK");
	is_int(thresholds_eval(&t, 15), GL_WARNING, "15 with -w 10 -c 20 is WARNING");
	is_int(thresholds_eval(&t, 25), GL_CRITICAL, "25 with -w 10 -c 20 is CRITICAL");
	is_int(thresholds_eval(&t, -1), GL_CRITICAL, "-1 with -w 10 -c 20 is CRITICAL (crit first)");
	struct thresholds none = {0};
	is_int(thresholds_eval(&none, 1e9), GL_OK, "unset thresholds never alert");
	r.set = false;
	ok(!range_alerts(&r, NAN) && !range_alerts(&r, 1), "an unset range never alerts");

	is_int(range_scan_number("12.5x", &(double){0}), 4, "scan stops at the first non-digit");
	is_int(range_scan_number("1e5", &(double){0}), 1, "scan does not take exponents");
	return done_testing();
}

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

/* The one "WARN[,CRIT]" parser: what each side becomes, in canonical
 * form ("" for a side left unset), or the substring of the error. */
static const struct {
	const char *in;
	int below;
	const char *warn, *crit, *why;
} pairs[] = {
        {"10,50", 0, "10", "50", NULL},
        {",50", 0, "", "50", NULL},
        {"2.5,", 0, "2.5", "", NULL},
        {"10", 0, "10", "", NULL},
        {"@1:5,~:9", 0, "@1:5", "~:9", NULL},
        {"10,10", 0, "10", "10", NULL},
        {"7,3", 1, "7:", "3:", NULL},
        {"30", 1, "30:", "", NULL},
        {"-5,", 1, "-5:", "", NULL},
        {"@0:7,~:2", 1, "@7", "~:2", NULL},
        {"10:,5:", 1, "10:", "5:", NULL},
        {"5,2", 0, NULL, NULL, "could never be reported"},
        {"3,7", 1, NULL, NULL, "could never be reported"},
        {"1:9,2:8", 0, NULL, NULL, "could never be reported"},
        {",", 0, NULL, NULL, "not WARN[,CRIT]"},
        {"", 0, NULL, NULL, "not WARN[,CRIT]"},
        {"1,2,3", 0, NULL, NULL, "not WARN[,CRIT]"},
        {"x,5", 0, NULL, NULL, "not a number"},
        {"5,20:10", 0, NULL, NULL, "greater than end"},
        {"1e3", 1, NULL, NULL, "not a number"},
};

static void
test_pairs(void)
{
	char err[256];

	for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
		struct thresholds t;
		struct strbuf w = STRBUF_INIT, c = STRBUF_INIT;
		err[0] = '\0';
		int rc = thresholds_parse(pairs[i].in, pairs[i].below, &t, err, sizeof err);
		range_format(&w, &t.warn);
		range_format(&c, &t.crit);
		if (pairs[i].why == NULL)
			ok(rc == 0 && strcmp(sb_str(&w), pairs[i].warn) == 0 &&
			           strcmp(sb_str(&c), pairs[i].crit) == 0,
			   "pair '%s'%s is warn '%s' crit '%s' (got '%s' '%s' %s)", pairs[i].in,
			   pairs[i].below ? " (below)" : "", pairs[i].warn, pairs[i].crit,
			   sb_str(&w), sb_str(&c), err);
		else
			ok(rc == -1 && strstr(err, pairs[i].why) != NULL && !t.warn.set &&
			           !t.crit.set,
			   "pair '%s' is rejected (%s)", pairs[i].in, err);
		sb_free(&w);
		sb_free(&c);
	}
}

/* Whatever range_parse accepts prints back to text it accepts again and
 * that compares the same: tiny, long and many-digit numbers included. */
static const char *const roundtrip[] = {
        "0.0000002",
        "-0.0000002:0.0000003",
        "999999999999999999999999999999999999999999999999999999999999999",
        "@0.1:1000000000000000000000000000000000000000000000000000000000000.5",
        "0.30000000000000004",
        "123456789.123456789",
        "~:-0.000000000000000000000000000001",
        "000000000000000000000000000000000000000000000000000000000000000000000000001",
};

static void
test_roundtrip(void)
{
	char err[256];

	for (size_t i = 0; i < sizeof roundtrip / sizeof roundtrip[0]; i++) {
		struct range a, b;
		struct strbuf sb = STRBUF_INIT;
		int rc = range_parse(roundtrip[i], &a, err, sizeof err);
		range_format(&sb, &a);
		int rc2 = range_parse(sb_str(&sb), &b, err, sizeof err);
		ok(rc == 0 && rc2 == 0 && a.start == b.start && a.end == b.end &&
		           a.start_inf == b.start_inf && a.end_inf == b.end_inf &&
		           a.inside == b.inside,
		   "'%.40s' prints as '%.40s' and reads back the same", roundtrip[i],
		   sb_str(&sb));
		sb_free(&sb);
	}
	struct strbuf sb = STRBUF_INIT;
	struct range r;
	range_parse("0.0000002", &r, err, sizeof err);
	range_format(&sb, &r);
	is_str(sb_str(&sb), "0.0000002", "-c 0.0000002 does not print as 0");
	sb_free(&sb);
	char big[400];
	memset(big, '9', 320);
	big[320] = '\0';
	ok(range_parse(big, &r, err, sizeof err) == -1, "a number beyond 1e300 is rejected");

	/* "@1e299:1e299,1e299" written out in full: 904 characters. */
	char num[301], pair[1000];
	struct thresholds t;
	memset(num, '0', 300);
	num[0] = '1';
	num[300] = '\0';
	snprintf(pair, sizeof pair, "@%s:%s,%s", num, num, num);
	err[0] = '\0';
	ok(thresholds_parse(pair, false, &t, err, sizeof err) == 0 && t.warn.inside &&
	           t.warn.start == 1e299 && t.crit.end == 1e299,
	   "a pair of two 300-digit numbers in one range is read (%s)", err);
}

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

	test_pairs();
	test_roundtrip();
	is_int(range_scan_number("12.5x", &(double){0}), 4, "scan stops at the first non-digit");
	is_int(range_scan_number("1e5", &(double){0}), 1, "scan does not take exponents");
	return done_testing();
}

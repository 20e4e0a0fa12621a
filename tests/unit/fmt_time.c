/* fmt_parse_time: the times an operator types for a maintenance window,
 * checked against the epoch each must mean. */
#include <stdlib.h>
#include <time.h>

#include "fmt.h"
#include "tap.h"

#define NOW 1796000000 /* Monday 30 November 2026 00:53:20 UTC */

struct time_case {
	const char *in, *zone;
	long long want; /* -1: refused */
	const char *name;
};

static const struct time_case cases[] = {
        {"1796003600", NULL, 1796003600, "epoch seconds"},
        {"now", NULL, NOW, "now"},
        {"2026-12-10T02:00Z", NULL, 1796868000, "ISO 8601 in UTC (Z)"},
        {"2026-12-10T02:00:30Z", NULL, 1796868030, "with seconds"},
        {"2026-12-10 02:00", NULL, 1796868000, "no zone, none configured: UTC"},
        {"2026-12-10 02:00 UTC", NULL, 1796868000, "\" UTC\" spelt out"},
        {"2026-12-10T02:00+01:00", NULL, 1796864400, "an explicit offset"},
        {"2026-12-10T02:00-0530", NULL, 1796887800, "a negative offset without a colon"},
        {"2026-12-10T02:00+01", NULL, 1796864400, "an offset in hours"},
        {"2026-12-10 02:00", "Europe/Amsterdam", 1796864400,
         "no zone: the configured zone (CET, UTC+1)"},
        {"2026-07-10 02:00", "Europe/Amsterdam", 1783641600,
         "the configured zone in summer (CEST, UTC+2)"},
        {"2026-12-10T02:00Z", "Europe/Amsterdam", 1796868000,
         "an explicit zone wins over the configured one"},
        {"+2h", NULL, NOW + 7200, "+2h from now"},
        {"+30m", NULL, NOW + 1800, "+30m"},
        {"+1d", NULL, NOW + 86400, "+1d"},
        {"tomorrow 02:00", NULL, 1796090400, "tomorrow 02:00 UTC"},
        {"today 23:00", NULL, 1796079600, "today 23:00 UTC"},
        {"tomorrow 02:00", "Europe/Amsterdam", 1796086800,
         "tomorrow 02:00 in the configured zone"},
        {"tomorrow 02:00", "America/Vancouver", 1796032800,
         "tomorrow in a zone where it is still the day before"},
        {"", NULL, -1, "empty"},
        {"tomorrow", NULL, -1, "tomorrow without a time"},
        {"tomorrow 25:00", NULL, -1, "an hour out of range"},
        {"2026-13-10 02:00", NULL, -1, "a month out of range"},
        {"2026-12-10", NULL, -1, "a date without a time"},
        {"2026-12-10T02:00+1:00", NULL, -1, "a one-digit offset"},
        {"2026-12-10T02:00+15:00", NULL, -1, "an offset beyond 14 hours"},
        {"2026-12-10T02:00 CET", NULL, -1, "a zone abbreviation"},
        {"+2", NULL, -1, "+2 without a unit"},
        {"+2w", NULL, -1, "an unknown unit"},
        {"-2h", NULL, -1, "a time in the past by offset"},
        {"next tuesday", NULL, -1, "words"},
        {"99999999999999999999", NULL, -1, "epoch out of range"},
};

static void
test_zone_valid(void)
{
	ok(fmt_zone_valid(NULL) && fmt_zone_valid("UTC"), "UTC and no zone are valid");
	ok(fmt_zone_valid("Europe/Amsterdam"), "an IANA name is valid");
	ok(!fmt_zone_valid("Europe/Nowhere"), "an unknown name is not");
	ok(!fmt_zone_valid("../../etc/passwd"), "a path out of the zone directory is not");
	ok(!fmt_zone_valid("/etc/localtime"), "an absolute path is not");
}

int
main(void)
{
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		time_t t = 0;
		int rc = fmt_parse_time(cases[i].in, NOW, cases[i].zone, &t);
		if (cases[i].want < 0)
			ok(rc == -1, "refused: %s ('%s')", cases[i].name, cases[i].in);
		else
			ok(rc == 0 && (long long)t == cases[i].want,
			   "%s: '%s' is %lld (got rc %d, %lld)", cases[i].name, cases[i].in,
			   cases[i].want, rc, (long long)t);
	}
	ok(getenv("TZ") == NULL, "the process's TZ is put back");
	test_zone_valid();
	return done_testing();
}

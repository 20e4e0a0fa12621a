/* Plugin output split by Nagios 4's rules, and cleaned to text. */
#include <stdlib.h>

#include "exec.h"
#include "tap.h"

static void
split_is(const char *in, const char *out, const char *lng, const char *perf, const char *name)
{
	struct exec_outcome o = {0};

	exec_parse_output(in, &o);
	is_str(o.output, out, "%s: output", name);
	is_str(o.long_output, lng, "%s: long output", name);
	is_str(o.perfdata, perf, "%s: perfdata", name);
	exec_outcome_free(&o);
}

int
main(void)
{
	split_is("PING OK - RTA = 0.22 ms|rta=0.222ms;100;500;0 pl=0%;20;60;0;\n",
	         "PING OK - RTA = 0.22 ms", "", "rta=0.222ms;100;500;0 pl=0%;20;60;0;",
	         "one line with perfdata");
	split_is("DISK OK", "DISK OK", "", "", "no newline, no perfdata");
	split_is("TLS WARNING - 21 days|days=21;30;14;0;\nchain: leaf\nchain: R3|'chain "
	         "depth'=2;;;0;\n",
	         "TLS WARNING - 21 days", "chain: leaf\nchain: R3",
	         "days=21;30;14;0; 'chain depth'=2;;;0;",
	         "the reference's three-line example, as Nagios 4 stores it");
	split_is("A\nB|x=1\nC=2\nD=3\n", "A", "B", "x=1 C=2 D=3",
	         "every line after a long-output '|' is perfdata");
	split_is("  padded  | a=1 \r\n", "padded", "", "a=1", "blanks and CR trimmed");
	split_is("OK\n\nsecond\n", "OK", "\nsecond", "", "an empty long-output line is kept");
	split_is("caf\xc3\xa9 \xff\x01\x1b[0m\n", "caf\xc3\xa9 ?  [0m", "", "",
	         "invalid UTF-8 becomes ?, control characters blanks");
	split_is("\xe2\x82\n", "??", "", "", "a truncated UTF-8 sequence is two ?");
	split_is("", "", "", "", "empty");
	return done_testing();
}

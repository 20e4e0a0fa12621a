/* The plugin-shape check on an SNMP extend's result (common/snmp.c,
 * snmpc_extend_check): a table of remote outputs and exit codes, each
 * passed on unchanged or refused with its reason. */
#include <stdio.h>
#include <string.h>

#include "snmp.h"
#include "tap.h"

static const struct {
	int result;
	const char *output;
	const char *want; /* NULL: passes; else the start of the reason */
} cases[] = {
        {0, "DISK OK - fine", NULL},
        {2, "DISK CRITICAL - / 3% free|/=97%;80;90;0;100 inodes=12", NULL},
        {1, "LOAD WARNING|'load 1'=7.1;5;10;0 load5=U", NULL},
        {0, "X OK|'it''s'=1c 'a b'=-0.5ms;~:1;@2:3;;", NULL},
        {3, "X UNKNOWN - first\nsecond line\nthird|x=1 y=2B\nz=3s", NULL},
        {0, "X OK - a|b=1", NULL},
        {0, "X OK - no perfdata, long output with a pipe later\nnot|x=1", NULL},
        {4, "X OK - fine", "the remote command exited 4, not a plugin exit code (0..3): X OK"},
        {-1, "", "the remote command exited -1"},
        {127, "sh: 1: check_x: not found", "the remote command exited 127"},
        {0, "", "the remote command printed no status line (exit 0"},
        {0, "   \nsecond", "the remote command printed no status line"},
        {0, "|x=1", "the remote command printed no status line"},
        {0, "X OK|not perfdata", "the remote command's perfdata is not in the"},
        {0, "X OK|x=", "the remote command's perfdata is not in the"},
        {0, "X OK|=1", "the remote command's perfdata is not in the"},
        {0, "X OK|x=1;2;3;4;5;6", "the remote command's perfdata is not in the"},
        {0, "X OK|'open=1", "the remote command's perfdata is not in the"},
        {0, "X OK|x=1e5", "the remote command's perfdata is not in the"},
        {0, "X OK\nlong|x=one", "the remote command's perfdata is not in the"},
};

/* The output on one line, for the test's name. */
static const char *
flat(const char *s)
{
	static char buf[200];
	size_t n = 0;
	for (; *s && n + 2 < sizeof buf; s++) {
		if (*s == '\n')
			buf[n++] = '\\', buf[n++] = 'n';
		else
			buf[n++] = *s;
	}
	buf[n] = '\0';
	return buf;
}

int
main(void)
{
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct snmpc_extend x = {cases[i].result, (char *)cases[i].output};
		char err[300] = "";
		int rc = snmpc_extend_check(&x, err, sizeof err);
		if (cases[i].want == NULL)
			ok(rc == 0, "passes: %d '%s'%s%s", cases[i].result,
			   flat(cases[i].output), err[0] ? " -- " : "", err);
		else
			ok(rc == -1 && strncmp(err, cases[i].want, strlen(cases[i].want)) == 0,
			   "refused: %d '%s' -- %s", cases[i].result, flat(cases[i].output),
			   err);
	}
	return done_testing();
}

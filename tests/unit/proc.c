/* Running a tool (common/proc.c) with real programs: lines streamed to the
 * callback, the exit status, a missing program, the output and line caps,
 * a callback that stops the run, and a tool that outlives the deadline
 * (killed with what it started). */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "deadline.h"
#include "proc.h"
#include "strbuf.h"
#include "tap.h"

struct seen {
	struct strbuf text;
	int lines;
	int stop_at; /* reject this line (1-based), 0: never */
};

static int
collect(void *ctx, const char *line, size_t len, char *err, size_t errlen)
{
	struct seen *s = ctx;
	s->lines++;
	if (s->stop_at == s->lines) {
		snprintf(err, errlen, "line %d rejected", s->lines);
		return -1;
	}
	sb_appendn(&s->text, line, len);
	sb_appendc(&s->text, '/');
	return 0;
}

static enum proc_status
sh(const char *script, size_t max_out, size_t max_line, struct seen *s, struct proc_result *r,
   char *err, size_t errlen)
{
	char *argv[] = {"/bin/sh", "-c", (char *)script, NULL};
	struct proc_limits lim = {.max_output = max_out, .max_line = max_line};
	sb_reset(&s->text);
	s->lines = 0;
	return proc_run(argv, &lim, collect, s, r, err, errlen);
}

int
main(void)
{
	struct seen s = {STRBUF_INIT, 0, 0};
	struct proc_result r;
	char err[300] = "", line[100];

	signal(SIGPIPE, SIG_IGN);
	is_int(sh("printf 'a\\nbb\\n\\nlast'; echo warning >&2; echo oops >&2; exit 3", 1000,
	          100, &s, &r, err, sizeof err),
	       PROC_OK, "a tool that exits 3 ran (%s)", err);
	is_str(sb_str(&s.text), "a/bb//last/", "every line, the unterminated last one too");
	ok(r.exited && r.status == 3, "exit status 3");
	proc_stderr_line(&r, line, sizeof line);
	is_str(line, "oops", "last stderr line kept: the fatal one");

	char *missing[] = {"/nonexistent/postqueue", "-j", NULL};
	struct proc_limits lim = {1000, 100};
	is_int(proc_run(missing, &lim, collect, &s, &r, err, sizeof err), PROC_ERR_EXEC,
	       "a missing tool cannot be run");
	is_str(err, "cannot run /nonexistent/postqueue: No such file or directory",
	       "missing tool: the message names it");

	is_int(sh("yes 0123456789", 5000, 100, &s, &r, err, sizeof err), PROC_ERR_TOOBIG,
	       "endless output stops at the cap");
	is_str(err, "/bin/sh printed more than 5000 bytes", "output cap: message");
	is_int(sh("head -c 300 /dev/zero", 5000, 100, &s, &r, err, sizeof err), PROC_ERR_TOOBIG,
	       "a line over the line cap");
	is_str(err, "/bin/sh printed a line longer than 100 bytes", "line cap: message");

	s.stop_at = 2;
	is_int(sh("printf '1\\n2\\n3\\n'", 5000, 100, &s, &r, err, sizeof err), PROC_ERR_LINE,
	       "the callback stops the run");
	is_str(err, "line 2 rejected", "callback: its message");
	s.stop_at = 0;

	deadline_arm("TEST", 1.0, GL_CRITICAL, NULL, 0);
	int64_t t0 = mono_ns();
	is_int(sh("sleep 20 & sleep 20", 5000, 100, &s, &r, err, sizeof err), PROC_ERR_TIMEOUT,
	       "a tool that outlives the deadline");
	int64_t ms = (mono_ns() - t0) / 1000000;
	ok(ms >= 500 && ms < 1000, "timeout within the deadline (%lld ms)", (long long)ms);
	is_str(err, "/bin/sh did not finish within 1 s", "timeout: message");
	deadline_disarm();
	sb_free(&s.text);
	return done_testing();
}

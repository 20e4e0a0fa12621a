/* Running one plugin without a shell and without ever blocking on it:
 * exec_start forks and execve()s argv in a process group of its own with
 * a minimal environment, stdout and stderr on non-blocking pipes; the
 * caller polls the fds exec_fds() names, calls exec_read() when they are
 * readable and exec_step() on every turn of its loop; exec_step() kills
 * the whole group at the deadline and reaps the child. When it reports
 * done, exec_outcome() turns what was seen into a plugin result: a plugin
 * that timed out, crashed, exited outside 0..3 or printed no text is
 * UNKNOWN with the reason as its output. */
#ifndef GLANCE_EXEC_H
#define GLANCE_EXEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "state.h"
#include "strbuf.h"

#define EXEC_OUT_MAX 8192 /* Nagios 4's MAX_PLUGIN_OUTPUT_LENGTH */
#define EXEC_ERR_MAX 1024

struct exec_job {
	pid_t pid; /* 0 once reaped */
	int fd[2]; /* stdout, stderr; -1 once closed */
	struct strbuf buf[2];
	bool truncated;
	int64_t start_ns, deadline_ns;
	int timeout_s;
	bool timed_out;
	int status; /* from waitpid */
	char *path; /* the program actually run */
};

struct exec_outcome {
	enum gl_state state;
	char *output;      /* first line before '|' */
	char *long_output; /* later text lines, '\n'-separated, or "" */
	char *perfdata;    /* all perfdata, space-separated, or "" */
	int duration_ms;
};

/* Appends the directories a bare command name is looked for in, in order
 * and ':'-separated: the config's search path, glance's own plugins (the
 * build tree's plugins/ beside the program, else PREFIX/lib/glance/plugins
 * beside PREFIX/bin), then /usr/lib/nagios/plugins. */
void exec_search_path(const char *search, struct strbuf *sb);

/* Finds argv0: as given when it contains '/', else in exec_search_path's
 * directories. Returns a malloc'd path, or NULL with a reason. */
char *exec_resolve(const char *argv0, const char *search, char *err, size_t errlen);

/* Returns 0, or -1 with a reason (the check is then UNKNOWN). */
int exec_start(struct exec_job *j, char *const argv[], const char *search, int timeout_s,
               char *err, size_t errlen);
/* Drains whatever is readable on fd (one of j->fd). */
void exec_read(struct exec_job *j, int fd);
/* Enforces the deadline and reaps; returns true when the job is over. */
bool exec_step(struct exec_job *j, int64_t now_ns);
/* Nanoseconds until this job needs exec_step again (its deadline, or a
 * short interval while waiting for the exit after EOF). */
int64_t exec_wait_ns(const struct exec_job *j, int64_t now_ns);
void exec_outcome(const struct exec_job *j, struct exec_outcome *o);
void exec_outcome_free(struct exec_outcome *o);
/* Kills (if still running) and frees; safe on a finished job. */
void exec_cleanup(struct exec_job *j);

/* Splits plugin output by Nagios 4's rules (the first line up to '|' is
 * the output, after it the perfdata; later lines are long output, and
 * a '|' in them begins perfdata that runs to the end) and cleans it to printable
 * UTF-8. state is the exit-code state. */
void exec_parse_output(const char *text, struct exec_outcome *o);

#endif

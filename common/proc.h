/* Running a local tool (postqueue, exim, mailq) from a plugin: execve of
 * an absolute path with an argv array, no shell, stdin from /dev/null,
 * inside the run's deadline (deadline.h) and with its output capped.
 *
 * stdout is handed to a callback one line at a time as it arrives, so a
 * tool that prints a million lines is parsed in constant memory; the
 * start of stderr is kept for the error message. A tool that outlives the
 * deadline, prints more than the cap or whose line the callback rejects
 * is killed (SIGKILL, with its process group) and reaped before proc_run() returns. */
#ifndef GLANCE_PROC_H
#define GLANCE_PROC_H

#include <stdbool.h>
#include <stddef.h>

enum proc_status {
	PROC_OK = 0,      /* the tool ran to its end (any exit status) */
	PROC_ERR_EXEC,    /* it could not be started (missing, not executable) */
	PROC_ERR_TIMEOUT, /* still running at the deadline */
	PROC_ERR_TOOBIG,  /* more output than the cap, or a line over the cap */
	PROC_ERR_LINE,    /* the callback rejected a line (its message in err) */
	PROC_ERR_SYS,     /* pipe, fork or poll failed */
};

/* Returns 0 to go on; non-zero stops the run with PROC_ERR_LINE, the
 * callback having written its reason into err. */
typedef int (*proc_line_fn)(void *ctx, const char *line, size_t len, char *err, size_t errlen);

struct proc_limits {
	size_t max_output; /* bytes of stdout in all */
	size_t max_line;   /* bytes of one line */
};

struct proc_result {
	bool exited;           /* normal exit: status holds the exit code */
	int status;            /* exit code, or the signal number when !exited */
	char stderr_head[512]; /* the first bytes of stderr, NUL-terminated */
	size_t out_bytes;      /* bytes read from stdout */
};

/* Runs argv[0] (an absolute path) with argv and the caller's environment.
 * On PROC_OK r says how the tool ended; otherwise err says what went
 * wrong, naming the tool. */
enum proc_status proc_run(char *const argv[], const struct proc_limits *lim, proc_line_fn fn,
                          void *ctx, struct proc_result *r, char *err, size_t errlen);

/* The last non-empty line of r->stderr_head (where tools put the fatal
 * error, after their warnings), for one-line messages. */
void proc_stderr_line(const struct proc_result *r, char *buf, size_t len);

#endif

#include "proc.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "deadline.h"
#include "strbuf.h"

extern char **environ;

enum { FD_OUT, FD_ERR, FD_EXEC, FD_N };

struct proc_run {
	char *const *argv;
	const struct proc_limits *lim;
	proc_line_fn fn;
	void *ctx;
	struct proc_result *r;
	pid_t pid;
	int fd[FD_N];
	struct strbuf line; /* the incomplete last line of stdout */
	size_t scanned;     /* bytes of line known to hold no newline */
	size_t err_len;
	int exec_errno;
	char *err;
	size_t errlen;
};

/* The child: its end of the pipes on 0/1/2, then execve. An execve that
 * fails sends errno back on the close-on-exec pipe, so the parent can tell
 * "not installed" from "ran and failed". */
static void
proc_child(char *const argv[], const int out[2], const int errp[2], const int ex[2])
{
	int null = open("/dev/null", O_RDONLY);
	/* A group of its own, so a kill reaches what the tool started too. */
	if (setpgid(0, 0) != 0 || null < 0 || dup2(null, STDIN_FILENO) < 0 ||
	    dup2(out[1], STDOUT_FILENO) < 0 || dup2(errp[1], STDERR_FILENO) < 0)
		_exit(127);
	signal(SIGPIPE, SIG_DFL);
	execve(argv[0], argv, environ);
	int e = errno;
	ssize_t w = write(ex[1], &e, sizeof e);
	(void)w;
	_exit(127);
}

static void
proc_close_pair(int p[2])
{
	for (int i = 0; i < 2; i++)
		if (p[i] >= 0)
			close(p[i]);
}

static enum proc_status
proc_spawn(struct proc_run *pr)
{
	int out[2] = {-1, -1}, errp[2] = {-1, -1}, ex[2] = {-1, -1};

	if (pipe2(out, O_CLOEXEC) != 0 || pipe2(errp, O_CLOEXEC) != 0 ||
	    pipe2(ex, O_CLOEXEC) != 0) {
		snprintf(pr->err, pr->errlen, "cannot run %s: pipe: %s", pr->argv[0],
		         strerror(errno));
		proc_close_pair(out), proc_close_pair(errp), proc_close_pair(ex);
		return PROC_ERR_SYS;
	}
	pr->pid = fork();
	if (pr->pid == 0)
		proc_child(pr->argv, out, errp, ex);
	if (pr->pid > 0)
		setpgid(pr->pid, pr->pid); /* also here: a kill may come before the child's */
	close(out[1]), close(errp[1]), close(ex[1]);
	pr->fd[FD_OUT] = out[0], pr->fd[FD_ERR] = errp[0], pr->fd[FD_EXEC] = ex[0];
	if (pr->pid < 0) {
		snprintf(pr->err, pr->errlen, "cannot run %s: fork: %s", pr->argv[0],
		         strerror(errno));
		return PROC_ERR_SYS;
	}
	return PROC_OK;
}

/* Hands every complete line in pr->line to the callback and keeps the
 * rest; at EOF (last) the rest is a line too. Only bytes not yet scanned
 * are searched, so a long line arriving in many reads costs linear time. */
static enum proc_status
proc_lines(struct proc_run *pr, bool last)
{
	char *s = pr->line.buf;
	size_t len = pr->line.len, start = 0;
	const char *nl;

	if (s == NULL)
		return PROC_OK; /* nothing read yet */
	while ((nl = memchr(s + pr->scanned, '\n', len - pr->scanned)) != NULL) {
		size_t i = (size_t)(nl - s);
		if (pr->fn(pr->ctx, s + start, i - start, pr->err, pr->errlen) != 0)
			return PROC_ERR_LINE;
		start = i + 1;
		pr->scanned = start;
	}
	if (last && start < len) {
		if (pr->fn(pr->ctx, s + start, len - start, pr->err, pr->errlen) != 0)
			return PROC_ERR_LINE;
		start = len;
	}
	if (start > 0) {
		memmove(s, s + start, len - start);
		pr->line.len = len - start;
		s[pr->line.len] = '\0';
	}
	pr->scanned = pr->line.len;
	if (pr->line.len > pr->lim->max_line) {
		snprintf(pr->err, pr->errlen, "%s printed a line longer than %zu bytes",
		         pr->argv[0], pr->lim->max_line);
		return PROC_ERR_TOOBIG;
	}
	return PROC_OK;
}

static enum proc_status
proc_read_out(struct proc_run *pr, const char *buf, size_t n)
{
	pr->r->out_bytes += n;
	if (pr->r->out_bytes > pr->lim->max_output) {
		snprintf(pr->err, pr->errlen, "%s printed more than %zu bytes", pr->argv[0],
		         pr->lim->max_output);
		return PROC_ERR_TOOBIG;
	}
	sb_appendn(&pr->line, buf, n);
	return proc_lines(pr, false);
}

static void
proc_read_side(struct proc_run *pr, int which, const char *buf, size_t n)
{
	if (which == FD_EXEC) {
		if (n >= sizeof pr->exec_errno)
			memcpy(&pr->exec_errno, buf, sizeof pr->exec_errno);
		return;
	}
	size_t room = sizeof pr->r->stderr_head - 1 - pr->err_len;
	if (n > room)
		n = room;
	memcpy(pr->r->stderr_head + pr->err_len, buf, n);
	pr->err_len += n;
	pr->r->stderr_head[pr->err_len] = '\0';
}

/* One read from a readable fd; EOF closes it. */
static enum proc_status
proc_read(struct proc_run *pr, int which)
{
	char buf[65536];
	ssize_t n = read(pr->fd[which], buf, sizeof buf);

	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return PROC_OK;
	if (n <= 0) {
		close(pr->fd[which]);
		pr->fd[which] = -1;
		return which == FD_OUT ? proc_lines(pr, true) : PROC_OK;
	}
	if (which == FD_OUT)
		return proc_read_out(pr, buf, (size_t)n);
	proc_read_side(pr, which, buf, (size_t)n);
	return PROC_OK;
}

static enum proc_status
proc_timeout(struct proc_run *pr)
{
	snprintf(pr->err, pr->errlen, "%s did not finish within %g s", pr->argv[0],
	         deadline_seconds());
	return PROC_ERR_TIMEOUT;
}

/* Reads all three pipes until each is closed or the deadline passes. */
static enum proc_status
proc_pump(struct proc_run *pr)
{
	for (;;) {
		struct pollfd p[FD_N];
		int map[FD_N], n = 0;
		for (int i = 0; i < FD_N; i++)
			if (pr->fd[i] >= 0)
				p[n] = (struct pollfd){.fd = pr->fd[i], .events = POLLIN},
				map[n++] = i;
		if (n == 0)
			return PROC_OK;
		int rc = poll(p, (nfds_t)n, deadline_remaining_ms());
		if (rc < 0 && errno == EINTR)
			continue;
		if (rc < 0) {
			snprintf(pr->err, pr->errlen, "poll: %s", strerror(errno));
			return PROC_ERR_SYS;
		}
		if (rc == 0)
			return proc_timeout(pr);
		for (int i = 0; i < n; i++) {
			if (!(p[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			enum proc_status st = proc_read(pr, map[i]);
			if (st != PROC_OK)
				return st;
		}
	}
}

/* Waits for the exit within the deadline (a pidfd becomes readable when
 * the child ends); a child that closed its pipes but lingers is killed. */
static enum proc_status
proc_reap(struct proc_run *pr, bool kill_it)
{
	int status = 0;
	bool lingers = false;
	int pfd = kill_it ? -1 : (int)syscall(SYS_pidfd_open, pr->pid, 0);

	if (pfd >= 0) {
		struct pollfd p = {.fd = pfd, .events = POLLIN};
		int rc;
		while ((rc = poll(&p, 1, deadline_remaining_ms())) < 0 && errno == EINTR)
			;
		lingers = rc == 0;
		close(pfd);
	}
	if (kill_it || lingers)
		kill(-pr->pid, SIGKILL);
	while (waitpid(pr->pid, &status, 0) < 0 && errno == EINTR)
		;
	pr->pid = -1;
	pr->r->exited = WIFEXITED(status);
	pr->r->status = WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status);
	return lingers ? proc_timeout(pr) : PROC_OK;
}

enum proc_status
proc_run(char *const argv[], const struct proc_limits *lim, proc_line_fn fn, void *ctx,
         struct proc_result *r, char *err, size_t errlen)
{
	struct proc_run pr = {.argv = argv,
	                      .lim = lim,
	                      .fn = fn,
	                      .ctx = ctx,
	                      .r = r,
	                      .pid = -1,
	                      .fd = {-1, -1, -1},
	                      .err = err,
	                      .errlen = errlen};

	memset(r, 0, sizeof *r);
	enum proc_status st = proc_spawn(&pr);
	if (st == PROC_OK)
		st = proc_pump(&pr);
	if (pr.pid > 0) {
		enum proc_status rs = proc_reap(&pr, st != PROC_OK);
		if (st == PROC_OK)
			st = rs;
	}
	for (int i = 0; i < FD_N; i++)
		if (pr.fd[i] >= 0)
			close(pr.fd[i]);
	sb_free(&pr.line);
	if (st == PROC_OK && pr.exec_errno != 0) {
		snprintf(err, errlen, "cannot run %s: %s", argv[0], strerror(pr.exec_errno));
		st = PROC_ERR_EXEC;
	}
	return st;
}

void
proc_stderr_line(const struct proc_result *r, char *buf, size_t len)
{
	const char *s = r->stderr_head, *best = s;
	size_t best_n = 0;

	while (*s) {
		size_t n = strcspn(s, "\r\n");
		if (n > 0)
			best = s, best_n = n;
		s += n;
		s += strspn(s, "\r\n");
	}
	snprintf(buf, len, "%.*s", (int)best_n, best);
}

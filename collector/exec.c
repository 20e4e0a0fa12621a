/* One plugin run (the contract is in exec.h). */
#include "exec.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdnoreturn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "deadline.h"

#define EXEC_FAILED_TAG "\001glance-exec-failed:"
#define NS 1000000000LL

static const char *const plugin_env[] = {
        "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
        "LC_ALL=C", /* C-locale numbers in perfdata, as Icinga does */
        "TZ=UTC",
        NULL,
};

static char *
try_dir(const char *dir, size_t dlen, const char *argv0)
{
	struct strbuf sb = STRBUF_INIT;

	sb_appendn(&sb, dir, dlen);
	sb_appendf(&sb, "/%s", argv0);
	if (access(sb_str(&sb), X_OK) == 0)
		return sb_detach(&sb);
	sb_free(&sb);
	return NULL;
}

/* Appends DIR to a ':'-separated list. */
static void
path_add(struct strbuf *sb, const char *dir)
{
	if (*dir == '\0')
		return;
	if (sb->len > 0)
		sb_appendc(sb, ':');
	sb_append(sb, dir);
}

/* glance's own plugins: beside the program in a build tree (build/glance
 * and build/plugins/), else where `make install` puts them relative to it
 * (PREFIX/bin/glance and PREFIX/lib/glance/plugins/). Adds nothing if the
 * program's path cannot be read. */
static void
own_plugin_dir(struct strbuf *sb)
{
	char exe[4096];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	struct strbuf dir = STRBUF_INIT;
	char *slash;

	if (n <= 0)
		return;
	exe[n] = '\0';
	slash = strrchr(exe, '/');
	if (slash == NULL)
		return;
	*slash = '\0';
	sb_appendf(&dir, "%s/plugins", exe);
	if (access(sb_str(&dir), X_OK) != 0) {
		sb_reset(&dir);
		sb_appendf(&dir, "%s/../lib/glance/plugins", exe);
	}
	char *real = realpath(sb_str(&dir), NULL);
	path_add(sb, real != NULL ? real : sb_str(&dir));
	free(real);
	sb_free(&dir);
}

void
exec_search_path(const char *search, struct strbuf *sb)
{
	path_add(sb, search != NULL ? search : "");
	own_plugin_dir(sb);
	path_add(sb, "/usr/lib/nagios/plugins");
}

char *
exec_resolve(const char *argv0, const char *search, char *err, size_t errlen)
{
	struct strbuf dirs = STRBUF_INIT;
	char *found = NULL;

	if (strchr(argv0, '/') != NULL) {
		if (access(argv0, X_OK) == 0)
			return xstrdup(argv0);
		snprintf(err, errlen, "cannot execute %s: %s", argv0, strerror(errno));
		return NULL;
	}
	exec_search_path(search, &dirs);
	for (const char *p = sb_str(&dirs); found == NULL && *p != '\0';) {
		size_t n = strcspn(p, ":");
		found = n > 0 ? try_dir(p, n, argv0) : NULL;
		p += n + (p[n] == ':');
	}
	sb_free(&dirs);
	if (found == NULL)
		snprintf(err, errlen, "command %s not found in the plugin path", argv0);
	return found;
}

/* The guard: PR_SET_PDEATHSIG reaches only a plugin itself, not the
 * children it forks into its process group, and a collector killed with
 * -9 cannot kill those groups itself. So one helper process, forked from
 * the collector without exec, holds the other end of a SOCK_SEQPACKET
 * pair: every plugin registers its group (from the child, before execve,
 * so no group runs unregistered) and the collector unregisters it once
 * reaped and killed. When the last descriptor of the collector's end is
 * gone, whatever way the collector died, recv() returns 0 and the guard
 * kills every group still registered. A grandchild that leaves its group
 * (setsid) escapes this; the systemd unit's cgroup catches it. */
static int guard_fd = -1; /* the collector's end; O_CLOEXEC */
static pid_t guard_pid;

static noreturn void
guard_main(int fd)
{
	pid_t *live = NULL, rec;
	size_t n = 0, cap = 0;
	int nul = open("/dev/null", O_RDWR);

	for (int sig = 1; sig < NSIG; sig++)
		if (sig != SIGKILL && sig != SIGSTOP && sig != SIGCHLD)
			signal(sig, SIG_IGN); /* only the end of the collector ends it */
	if (nul >= 0)
		dup2(nul, 0), dup2(nul, 1), dup2(nul, 2);
	if (dup2(fd, 3) != 3)
		_exit(1);
	close_range(4, ~0U, 0); /* never hold the store's lock or a plugin's pipe */
	prctl(PR_SET_NAME, "glance-guard");
	for (;;) {
		ssize_t r = recv(3, &rec, sizeof rec, 0);
		if (r == 0 || (r < 0 && errno != EINTR))
			break;
		if (r != (ssize_t)sizeof rec || rec == 0)
			continue;
		if (rec > 0 && n == cap) {
			pid_t *bigger =
			        realloc(live, (cap = cap ? 2 * cap : 64) * sizeof *live);
			if (bigger == NULL)
				break; /* out of memory: kill what is known now */
			live = bigger;
		}
		if (rec > 0)
			live[n++] = rec;
		for (size_t i = 0; rec < 0 && i < n; i++)
			if (live[i] == -rec) {
				live[i] = live[--n];
				break;
			}
	}
	for (size_t i = 0; i < n; i++)
		kill(-live[i], SIGKILL);
	_exit(0);
}

/* Starts the guard once (again if it died). Returns 0 or -1 with errno. */
static int
guard_start(void)
{
	int sv[2];

	if (guard_fd >= 0 && waitpid(guard_pid, NULL, WNOHANG) == 0)
		return 0;
	if (guard_fd >= 0)
		close(guard_fd);
	guard_fd = -1;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0)
		return -1;
	guard_pid = fork();
	if (guard_pid == 0) {
		close(sv[0]);
		guard_main(sv[1]);
	}
	close(sv[1]);
	if (guard_pid < 0) {
		close(sv[0]);
		return -1;
	}
	guard_fd = sv[0];
	return 0;
}

/* Registers (pgid > 0) or unregisters (pgid < 0) a group; safe in the
 * child between fork and execve (send is async-signal-safe). */
static void
guard_note(pid_t pgid)
{
	if (guard_fd >= 0)
		(void)send(guard_fd, &pgid, sizeof pgid, MSG_NOSIGNAL);
}

/* In the child, between vfork and execve: only async-signal-safe calls,
 * and nothing written to memory but this frame (the parent's memory is
 * shared until execve; a failing call may set its errno, which the parent
 * does not read). The parent blocked every signal around vfork; the
 * collector's handlers are put back to the default before the mask is
 * cleared, so none can run here and set the collector's flags. */
static void
child(int out, int errfd, const char *path, char *const argv[], pid_t parent)
{
	char msg[64] = EXEC_FAILED_TAG;
	size_t n = strlen(msg);
	int e, nul = open("/dev/null", O_RDONLY);
	struct sigaction dfl;
	sigset_t none;

	memset(&dfl, 0, sizeof dfl);
	dfl.sa_handler = SIG_DFL;
	for (int sig = 1; sig < NSIG; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			sigaction(sig, &dfl, NULL);
	setpgid(0, 0);
	/* a collector killed with -9 takes its running plugins with it */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(127);
	guard_note(getpid());
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	if (nul >= 0)
		dup2(nul, 0);
	dup2(out, 1);
	dup2(errfd, 2);
	close_range(3, ~0U, 0);
	execve(path, argv, (char *const *)plugin_env);
	e = errno;
	/* the errno in decimal, by hand: snprintf is not async-signal-safe */
	char digits[12];
	int d = 0;
	do {
		digits[d++] = (char)('0' + e % 10);
		e /= 10;
	} while (e > 0 && d < 11);
	while (d > 0 && n < sizeof msg - 1)
		msg[n++] = digits[--d];
	if (write(1, msg, n) < 0)
		_exit(127);
	_exit(127);
}

int
exec_start(struct exec_job *j, char *const argv[], const char *search, int timeout_s, char *err,
           size_t errlen)
{
	int out[2], errp[2];

	memset(j, 0, sizeof *j);
	j->fd[0] = j->fd[1] = -1;
	j->timeout_s = timeout_s;
	j->path = exec_resolve(argv[0], search, err, errlen);
	if (j->path == NULL)
		return -1;
	if (pipe2(out, O_CLOEXEC) != 0) {
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		return -1;
	}
	if (pipe2(errp, O_CLOEXEC) != 0) {
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		close(out[0]), close(out[1]);
		return -1;
	}
	/* The read ends only: the plugin's stdout and stderr stay blocking. */
	if (fcntl(out[0], F_SETFL, O_NONBLOCK) != 0 ||
	    fcntl(errp[0], F_SETFL, O_NONBLOCK) != 0) {
		snprintf(err, errlen, "pipe O_NONBLOCK: %s", strerror(errno));
		close(out[0]), close(out[1]), close(errp[0]), close(errp[1]);
		return -1;
	}
	if (guard_start() != 0) {
		snprintf(err, errlen, "cannot start the plugin guard: %s", strerror(errno));
		close(out[0]), close(out[1]), close(errp[0]), close(errp[1]);
		return -1;
	}
	j->start_ns = mono_ns();
	j->deadline_ns = j->start_ns + (int64_t)timeout_s * NS;
	pid_t parent = getpid();
	sigset_t all, old;
	sigfillset(&all);
	sigprocmask(SIG_SETMASK, &all, &old);
	/* vfork, not fork: copying the collector's page tables for a
	 * process that execs at once was most of its CPU per check */
	j->pid = vfork();
	if (j->pid == 0)
		child(out[1], errp[1], j->path, argv, parent);
	int fork_errno = errno;
	sigprocmask(SIG_SETMASK, &old, NULL);
	close(out[1]);
	close(errp[1]);
	if (j->pid < 0) {
		snprintf(err, errlen, "vfork: %s", strerror(fork_errno));
		close(out[0]), close(errp[0]);
		j->pid = 0;
		return -1;
	}
	setpgid(j->pid, j->pid); /* also here: no race with an early kill */
	j->fd[0] = out[0];
	j->fd[1] = errp[0];
	return 0;
}

void
exec_read(struct exec_job *j, int fd)
{
	int i = fd == j->fd[0] ? 0 : 1;
	size_t cap = i == 0 ? EXEC_OUT_MAX : EXEC_ERR_MAX;
	char buf[4096];
	ssize_t n = 0;

	if (fd < 0 || (fd != j->fd[0] && fd != j->fd[1]))
		return;
	/* a bounded number of reads per call: a plugin that writes without
	 * end must not keep the scheduler away from its other jobs */
	for (int k = 0; k < 16 && (n = read(fd, buf, sizeof buf)) > 0; k++) {
		size_t room = j->buf[i].len < cap ? cap - j->buf[i].len : 0;
		size_t take = (size_t)n < room ? (size_t)n : room;
		if (take > 0)
			sb_appendn(&j->buf[i], buf, take);
		if (take < (size_t)n && i == 0)
			j->truncated = true; /* the rest is drained and dropped */
	}
	if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
		close(fd);
		j->fd[i] = -1;
	}
}

static void
close_fds(struct exec_job *j)
{
	for (int i = 0; i < 2; i++)
		if (j->fd[i] >= 0) {
			close(j->fd[i]);
			j->fd[i] = -1;
		}
}

static void
reap(struct exec_job *j)
{
	pid_t pid = j->pid, r = waitpid(pid, &j->status, WNOHANG);

	if (r == pid || (r < 0 && errno == ECHILD)) {
		j->pid = 0;
		if (r < 0)
			j->status = W_EXITCODE(127, 0);
		if (!j->timed_out)
			kill(-pid, SIGKILL); /* leftovers of the group */
		guard_note(-pid);
	}
}

bool
exec_step(struct exec_job *j, int64_t now_ns)
{
	/* Reaped before the deadline is looked at: a plugin that has exited
	 * by the time the collector's loop comes round (a long render can
	 * hold it up) gave its result and was not killed. */
	if (j->pid > 0)
		reap(j);
	if (j->pid > 0 && now_ns >= j->deadline_ns && !j->timed_out) {
		j->timed_out = true;
		kill(-j->pid, SIGKILL);
		kill(j->pid, SIGKILL);
		/* a grandchild that left the group may hold the pipes: stop
		 * listening rather than wait for it */
		close_fds(j);
		reap(j);
	}
	if (j->pid == 0 && (j->fd[0] >= 0 || j->fd[1] >= 0)) {
		/* exited: read what is left; a daemonised grandchild may keep
		 * the pipe open, so do not wait for EOF past the deadline */
		for (int i = 0; i < 2; i++)
			if (j->fd[i] >= 0)
				exec_read(j, j->fd[i]);
		if (now_ns >= j->deadline_ns)
			close_fds(j);
	}
	return j->pid == 0 && j->fd[0] < 0 && j->fd[1] < 0;
}

int64_t
exec_wait_ns(const struct exec_job *j, int64_t now_ns)
{
	int64_t left = j->deadline_ns - now_ns;

	if (left < 0)
		left = 0;
	/* after EOF the exit is a matter of microseconds: look again soon */
	if (j->fd[0] < 0 && j->fd[1] < 0 && left > 10000000)
		return 10000000;
	if (j->pid > 0 && left > 200000000)
		return 200000000; /* an exit with the pipes still open */
	return left;
}

void
exec_cleanup(struct exec_job *j)
{
	if (j->pid > 0) {
		kill(-j->pid, SIGKILL);
		kill(j->pid, SIGKILL);
		waitpid(j->pid, NULL, 0);
		guard_note(-j->pid);
		j->pid = 0;
	}
	close_fds(j);
	sb_free(&j->buf[0]);
	sb_free(&j->buf[1]);
	free(j->path);
	j->path = NULL;
}

/* Copies s[0..n) as printable UTF-8: control characters other than tab
 * become ' ', invalid UTF-8 bytes become '?'. */
static void
clean_append(struct strbuf *sb, const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;

	for (size_t i = 0; i < n;) {
		size_t len = u[i] < 0x80             ? 1
		             : (u[i] & 0xE0) == 0xC0 ? 2
		             : (u[i] & 0xF0) == 0xE0 ? 3
		             : (u[i] & 0xF8) == 0xF0 ? 4
		                                     : 0;
		bool valid = len > 0 && i + len <= n && !(len == 2 && u[i] < 0xC2);
		for (size_t k = 1; valid && k < len; k++)
			valid = (u[i + k] & 0xC0) == 0x80;
		if (!valid) {
			sb_appendc(sb, '?');
			i++;
		} else if (len == 1) {
			sb_appendc(sb, u[i] < 0x20 || u[i] == 0x7f ? ' ' : (char)u[i]);
			i++;
		} else {
			sb_appendn(sb, s + i, len);
			i += len;
		}
	}
}

static void
trim_append(struct strbuf *sb, const char *s, size_t n)
{
	while (n > 0 && (*s == ' ' || *s == '\t'))
		s++, n--;
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		n--;
	clean_append(sb, s, n);
}

void
exec_parse_output(const char *text, struct exec_outcome *o)
{
	struct strbuf out = STRBUF_INIT, lng = STRBUF_INIT, perf = STRBUF_INIT;
	bool in_perf = false;

	for (int line = 0; *text != '\0'; line++) {
		size_t n = strcspn(text, "\n");
		const char *bar = memchr(text, '|', n);
		size_t tn = bar ? (size_t)(bar - text) : n;
		if (in_perf) {
			sb_append(&perf, perf.len ? " " : "");
			trim_append(&perf, text, n);
		} else {
			struct strbuf *dst = line == 0 ? &out : &lng;
			if (line > 1)
				sb_appendc(&lng, '\n');
			trim_append(dst, text, tn);
			if (bar != NULL) {
				sb_append(&perf, perf.len ? " " : "");
				trim_append(&perf, bar + 1, n - tn - 1);
				in_perf = line > 0; /* Nagios: after a long-output '|', all is
				                       perfdata */
			}
		}
		text += n + (text[n] == '\n');
	}
	sb_append(&out, "");
	sb_append(&lng, "");
	sb_append(&perf, "");
	o->output = sb_detach(&out);
	o->long_output = sb_detach(&lng);
	o->perfdata = sb_detach(&perf);
}

/* The reason a run gives no usable result, or NULL when it does. */
static const char *
failure(const struct exec_job *j, const char *out, char *buf, size_t len)
{
	int st = j->status;

	if (j->timed_out) {
		snprintf(buf, len, "UNKNOWN - plugin timed out after %d seconds and was killed",
		         j->timeout_s);
	} else if (WIFSIGNALED(st)) {
		snprintf(buf, len, "UNKNOWN - plugin killed by signal %d (%s)", WTERMSIG(st),
		         strsignal(WTERMSIG(st)));
	} else if (strncmp(out, EXEC_FAILED_TAG, strlen(EXEC_FAILED_TAG)) == 0) {
		snprintf(buf, len, "UNKNOWN - cannot execute %s: %s", j->path,
		         strerror(atoi(out + strlen(EXEC_FAILED_TAG))));
	} else if (!WIFEXITED(st) || WEXITSTATUS(st) > 3) {
		snprintf(buf, len, "UNKNOWN - plugin exit code %d is out of bounds (0-3)",
		         WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	} else if (j->buf[0].len > 0 && memchr(out, '\0', j->buf[0].len) != NULL) {
		snprintf(buf, len, "UNKNOWN - plugin output is not text");
	} else if (out[strspn(out, " \t\r\n")] == '\0') {
		snprintf(buf, len, "UNKNOWN - plugin printed nothing on stdout");
	} else {
		return NULL;
	}
	return buf;
}

void
exec_outcome(const struct exec_job *j, struct exec_outcome *o)
{
	const char *out = sb_str(&j->buf[0]);
	char why[256];
	const char *reason = failure(j, out, why, sizeof why);

	memset(o, 0, sizeof *o);
	o->duration_ms = (int)((mono_ns() - j->start_ns) / 1000000);
	if (reason == NULL) {
		o->state = (enum gl_state)WEXITSTATUS(j->status);
		exec_parse_output(out, o);
		if (j->truncated) {
			struct strbuf sb = STRBUF_INIT;
			sb_appendf(&sb, "%s%s(output truncated at %d bytes)", o->long_output,
			           *o->long_output ? "\n" : "", EXEC_OUT_MAX);
			free(o->long_output);
			o->long_output = sb_detach(&sb);
		}
		return;
	}
	/* keep what the plugin said as long output: it explains the failure */
	struct strbuf lng = STRBUF_INIT;
	o->state = GL_UNKNOWN;
	o->output = xstrdup(reason);
	if (j->buf[0].len > 0 && memchr(out, '\0', j->buf[0].len) == NULL &&
	    strncmp(out, EXEC_FAILED_TAG, strlen(EXEC_FAILED_TAG)) != 0)
		clean_append(&lng, out, strcspn(out, "\n"));
	if (j->buf[1].len > 0) {
		sb_append(&lng, lng.len ? "\nstderr: " : "stderr: ");
		clean_append(&lng, sb_str(&j->buf[1]), strcspn(sb_str(&j->buf[1]), "\n"));
	}
	sb_append(&lng, "");
	o->long_output = sb_detach(&lng);
	o->perfdata = xstrdup("");
}

void
exec_outcome_free(struct exec_outcome *o)
{
	free(o->output);
	free(o->long_output);
	free(o->perfdata);
	o->output = o->long_output = o->perfdata = NULL;
}

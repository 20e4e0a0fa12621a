/* The timing loop of `make bench`, driven by tests/bench/measure.py:
 *
 *   runner TIMEOUT RUNS WARMUP -- CMD... [:: CMD...]...
 *
 * Runs every command WARMUP times untimed, then RUNS rounds in which each
 * command runs once, the order reversed every other round so outside load
 * falls on all of them alike. Prints one line per timed run:
 * "TOOL WALL_NS CPU_NS MAXRSS_KB STATUS", STATUS being the exit code, or
 * 128 + the signal, or -1 when the run passed TIMEOUT seconds and was
 * killed.
 *
 * It is C, not Python, because a child's peak RSS counts the memory of
 * the process it was forked from (the kernel carries the high-water mark
 * across execve): forked from a small program, the figure is the tool's. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define RUNNER_MAX_TOOLS 16

static volatile sig_atomic_t runner_child;

static void
runner_on_alarm(int sig)
{
	(void)sig;
	if (runner_child > 0)
		kill((pid_t)runner_child, SIGKILL);
}

static long long
runner_ns(struct timespec t)
{
	return (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
}

static long long
runner_tv_ns(struct timeval t)
{
	return (long long)t.tv_sec * 1000000000LL + (long long)t.tv_usec * 1000LL;
}

static void
runner_child_exec(char **argv)
{
	int fd = open("/dev/null", O_RDWR);

	if (fd < 0 || dup2(fd, 0) < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0)
		_exit(126);
	execvp(argv[0], argv);
	_exit(127);
}

/* One run of argv; prints its line when tool >= 0. Returns 0, or -1 when
 * the process could not be started or reaped. */
static int
runner_once(int tool, char **argv, unsigned timeout)
{
	struct timespec t0, t1;
	struct rusage ru;
	int status, st;
	pid_t pid;

	if (clock_gettime(CLOCK_MONOTONIC, &t0) != 0)
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0)
		runner_child_exec(argv);
	runner_child = pid;
	alarm(timeout);
	while (wait4(pid, &status, 0, &ru) < 0) {
		if (errno != EINTR)
			return -1;
	}
	alarm(0);
	runner_child = 0;
	if (clock_gettime(CLOCK_MONOTONIC, &t1) != 0)
		return -1;
	if (WIFEXITED(status))
		st = WEXITSTATUS(status);
	else
		st = WTERMSIG(status) == SIGKILL ? -1 : 128 + WTERMSIG(status);
	if (tool >= 0)
		printf("%d %lld %lld %ld %d\n", tool, runner_ns(t1) - runner_ns(t0),
		       runner_tv_ns(ru.ru_utime) + runner_tv_ns(ru.ru_stime), ru.ru_maxrss, st);
	return 0;
}

/* Splits argv at "::" in place; returns the number of commands, 0 on a
 * bad command line. */
static int
runner_split(int argc, char **argv, char **cmds[RUNNER_MAX_TOOLS])
{
	int n = 0, i;

	cmds[n++] = argv;
	for (i = 0; i < argc; i++) {
		if (strcmp(argv[i], "::") != 0)
			continue;
		argv[i] = NULL;
		if (n == RUNNER_MAX_TOOLS || i + 1 >= argc)
			return 0;
		cmds[n++] = argv + i + 1;
	}
	for (i = 0; i < n; i++)
		if (cmds[i][0] == NULL)
			return 0;
	return n;
}

static int
runner_loop(char **cmds[], int n, long runs, long warmup, unsigned timeout)
{
	long r;
	int i;

	for (r = 0; r < warmup; r++)
		for (i = 0; i < n; i++)
			if (runner_once(-1, cmds[i], timeout) != 0)
				return -1;
	for (r = 0; r < runs; r++)
		for (i = 0; i < n; i++) {
			int t = r % 2 ? n - 1 - i : i;

			if (runner_once(t, cmds[t], timeout) != 0)
				return -1;
		}
	return 0;
}

static long
runner_num(const char *s, long lo, long hi)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < lo || v > hi)
		return -1;
	return v;
}

int
main(int argc, char **argv)
{
	char **cmds[RUNNER_MAX_TOOLS];
	struct sigaction sa;
	long timeout, runs, warmup;
	int n;

	if (argc < 6 || strcmp(argv[4], "--") != 0) {
		fprintf(stderr, "usage: runner TIMEOUT RUNS WARMUP -- CMD... [:: CMD...]...\n");
		return 2;
	}
	timeout = runner_num(argv[1], 1, 86400);
	runs = runner_num(argv[2], 1, 1000000);
	warmup = runner_num(argv[3], 0, 1000000);
	n = runner_split(argc - 5, argv + 5, cmds);
	if (timeout < 0 || runs < 0 || warmup < 0 || n == 0) {
		fprintf(stderr, "runner: bad TIMEOUT, RUNS, WARMUP or command list\n");
		return 2;
	}
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = runner_on_alarm;
	if (sigaction(SIGALRM, &sa, NULL) != 0) {
		perror("runner: sigaction");
		return 2;
	}
	if (runner_loop(cmds, n, runs, warmup, (unsigned)timeout) != 0) {
		perror("runner: a run could not be started or reaped");
		return 1;
	}
	return fflush(stdout) == 0 ? 0 : 1;
}

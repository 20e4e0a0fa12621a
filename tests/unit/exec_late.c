/* A plugin that exited before its deadline keeps its result however late
 * the collector looks at it; one still running at the deadline is killed. */
#include <signal.h>
#include <time.h>
#include <sys/wait.h>

#include "exec.h"
#include "state.h"
#include "tap.h"

/* Blocks until the job's process has exited, without reaping it. */
static int
exited(const struct exec_job *j)
{
	siginfo_t si;

	return waitid(P_PID, (id_t)j->pid, &si, WEXITED | WNOWAIT);
}

static void
run(char *const argv[], int64_t late_ns, const char *want_state, const char *want_out,
    const char *name)
{
	struct exec_job j;
	struct exec_outcome o = {0};
	char err[256];

	if (exec_start(&j, argv, NULL, 1, err, sizeof err) != 0) {
		ok(0, "%s: exec_start: %s", name, err);
		return;
	}
	if (late_ns > 0)
		ok(exited(&j) == 0, "%s: the plugin exited on its own", name);
	int64_t now = j.deadline_ns + late_ns;
	while (!exec_step(&j, now)) {
		int64_t wait_ns = exec_wait_ns(&j, now);
		struct timespec ts = {0, wait_ns > 1000000 ? 1000000 : wait_ns};
		nanosleep(&ts, NULL);
		for (int i = 0; i < 2; i++)
			if (j.fd[i] >= 0)
				exec_read(&j, j.fd[i]);
	}
	exec_outcome(&j, &o);
	is_str(state_name(o.state), want_state, "%s: state", name);
	is_str(o.output, want_out, "%s: output", name);
	exec_outcome_free(&o);
	exec_cleanup(&j);
}

int
main(void)
{
	char *const quick[] = {"/bin/sh", "-c", "echo 'OK - done|t=1'; exit 0", NULL};
	char *const warn[] = {"/bin/sh", "-c", "echo 'WARNING - late look'; exit 1", NULL};
	char *const hang[] = {"/bin/sh", "-c", "exec sleep 30", NULL};

	run(quick, 5 * 1000000000LL, "OK", "OK - done", "looked at 5 s after the deadline");
	run(warn, 1, "WARNING", "WARNING - late look", "looked at just after the deadline");
	run(hang, 0, "UNKNOWN", "UNKNOWN - plugin timed out after 1 seconds and was killed",
	    "still running at the deadline");
	return done_testing();
}

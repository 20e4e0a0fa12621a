#include "deadline.h"

#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "range.h"

/* Process-wide by nature: there is one run and one deadline. */
static struct {
	bool armed;
	int64_t end_ns;
	double seconds;
	enum gl_state state;
	char msg[160];
	size_t msglen;
} dl;

int64_t
mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int
deadline_parse(const char *arg, double *seconds, enum gl_state *st,
	       char *err, size_t errlen)
{
	double v;
	size_t n = range_scan_number(arg, &v);

	if (n == 0 || (arg[n] != '\0' && arg[n] != ':') || v <= 0 || v > 86400) {
		snprintf(err, errlen, "timeout '%s' is not a number of seconds in (0, 86400]", arg);
		return -1;
	}
	*seconds = v;
	if (arg[n] == ':' && state_parse(arg + n + 1, st) != 0) {
		snprintf(err, errlen, "timeout state '%s' is not ok, warning, critical or unknown",
			 arg + n + 1);
		return -1;
	}
	return 0;
}

static void
deadline_fire(int sig)
{
	(void)sig;
	ssize_t r = write(STDOUT_FILENO, dl.msg, dl.msglen);
	(void)r;
	_exit((int)dl.state);
}

int
deadline_arm(const char *service, double seconds, enum gl_state st, char *err, size_t errlen)
{
	struct sigaction sa;
	struct itimerval it;

	dl.armed = true;
	dl.seconds = seconds;
	dl.state = st;
	/* Waits end a little before the backstop fires, so a plugin whose
	 * socket times out still has time to say which one and print its
	 * partial results; the signal is only for calls no wait bounds. */
	double margin = seconds * 0.1 < 0.25 ? seconds * 0.1 : 0.25;
	dl.end_ns = mono_ns() + (int64_t)((seconds - margin) * 1e9);
	int n = snprintf(dl.msg, sizeof dl.msg, "%s %s - Timeout after %g seconds\n",
			 service, state_name(st), seconds);
	dl.msglen = n > 0 && (size_t)n < sizeof dl.msg ? (size_t)n : 0;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = deadline_fire;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGALRM, &sa, NULL) != 0) {
		snprintf(err, errlen, "cannot install the timeout handler: %s",
		         strerror(errno));
		dl.armed = false;
		return -1;
	}

	memset(&it, 0, sizeof it);
	it.it_value.tv_sec = (time_t)seconds;
	it.it_value.tv_usec = (suseconds_t)((seconds - (double)(time_t)seconds) * 1e6);
	if (it.it_value.tv_sec == 0 && it.it_value.tv_usec == 0)
		it.it_value.tv_usec = 1;
	if (setitimer(ITIMER_REAL, &it, NULL) != 0) {
		snprintf(err, errlen, "cannot start the timeout timer: %s", strerror(errno));
		dl.armed = false;
		return -1;
	}
	return 0;
}

void
deadline_disarm(void)
{
	struct itimerval it;
	memset(&it, 0, sizeof it);
	/* Zero values cannot be refused (EINVAL is for out-of-range ones). */
	(void)setitimer(ITIMER_REAL, &it, NULL);
	dl.armed = false;
}

int
deadline_remaining_ms(void)
{
	if (!dl.armed)
		return INT32_MAX;
	int64_t left = dl.end_ns - mono_ns();
	if (left <= 0)
		return 0;
	/* Round up so a wait never ends a hair before the deadline only to
	 * find 0 ms left and report a timeout that has not happened. */
	int64_t ms = (left + 999999) / 1000000;
	return ms > INT32_MAX ? INT32_MAX : (int)ms;
}

bool
deadline_expired(void)
{
	return dl.armed && mono_ns() >= dl.end_ns;
}

enum gl_state
deadline_state(void)
{
	return dl.state;
}

double
deadline_seconds(void)
{
	return dl.seconds;
}

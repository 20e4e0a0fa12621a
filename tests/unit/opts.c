/* The shared option layer: common options, number checks, usage errors.
 * Each case runs opts in a child (it exits on -h and on errors) and
 * checks the child's exit code and first line of output. */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "deadline.h"
#include "opts.h"
#include "tap.h"

static const struct opt_spec specs[] = {
        {'H', "hostname", required_argument, "HOST", "Host to check."},
        {'p', "port", required_argument, "PORT", "Port."},
        {'w', "warning", required_argument, "SECONDS", "Warning threshold."},
        {'D', "days", required_argument, "WARN[,CRIT]", "Days left."},
        {'S', "state", required_argument, "STATE", "A state."},
        {300, "secret", required_argument, "SPEC", "A secret."},
        OPT_IPV4,
        OPT_IPV6,
        OPT_END,
};

static const struct plugin_desc desc = {
	.name = "check_test",
	.service = "TEST",
	.purpose = "Exercises the option layer.",
	.usage = "-H HOST [-p PORT]",
	.opts = specs,
};

/* The child: parse, then print what was parsed. */
static void
child(int argc, char **argv)
{
	struct opts o;
	const char *arg;
	int c;
	unsigned port = 0;
	char *secret = NULL;
	struct thresholds days = {0};
	struct strbuf sb = STRBUF_INIT;
	enum gl_state st = GL_OK;

	opts_init(&o, &desc, argc, argv);
	while ((c = opts_next(&o, &arg)) != -1) {
		switch (c) {
		case 'p': port = opts_port(&o, arg); break;
		case 'w': opts_double(&o, arg, 0, 100); break;
		case 300: secret = opts_secret(&o, arg); break;
		case 'D': opts_thresholds(&o, arg, OPTS_BELOW, &days); break;
		case 'S': st = opts_state(&o, arg); break;
		}
	}
	opts_done(&o);
	range_format(&sb, &days.warn);
	sb_appendc(&sb, ',');
	range_format(&sb, &days.crit);
	printf("port=%u family=%d verbose=%d timeout=%g state=%d secret=%s", port, o.family,
	       o.verbose, o.timeout, o.timeout_state, secret ? secret : "-");
	printf(days.warn.set || days.crit.set ? " days=%s" : "", sb_str(&sb));
	printf(st != GL_OK ? " S=%d\n" : "\n", st);
	sb_free(&sb);
	free(secret);
	exit(0);
}

/* Runs argv in a child; returns its exit code and first output line. */
static int
try(char *line, size_t cap, char **argv)
{
	int fds[2], status;
	int argc = 0;

	while (argv[argc])
		argc++;
	if (pipe(fds) != 0)
		return -1;
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		dup2(fds[1], 1);
		close(fds[0]);
		child(argc, argv);
	}
	close(fds[1]);
	ssize_t n = read(fds[0], line, cap - 1);
	close(fds[0]);
	line[n > 0 ? n : 0] = '\0';
	line[strcspn(line, "\n")] = '\0';
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

#define TRY(...) try(line, sizeof line, (char *[]){"check_test", __VA_ARGS__, NULL})

int
main(void)
{
	char line[4096];
	char path[] = "/tmp/glance-opts-XXXXXX";

	is_int(TRY("-p", "25"), 0, "-p 25 parses");
	is_str(line, "port=25 family=0 verbose=0 timeout=10 state=2 secret=-",
	       "defaults: 10 s timeout, CRITICAL on timeout");
	is_int(TRY("-6", "-vv", "-t", "3:unknown", "--port=587"), 0, "common options");
	is_str(line, "port=587 family=10 verbose=2 timeout=3 state=3 secret=-",
	       "-6, -vv, -t 3:unknown and --port=587 are applied");
	is_int(TRY("-p", "70000"), 3, "out-of-range port is UNKNOWN");
	is_str(line, "TEST UNKNOWN - -p: '70000' is not an integer in 1..65535",
	       "the message names the option and the range");
	is_int(TRY("--port", "x"), 3, "non-numeric port");
	is_str(line, "TEST UNKNOWN - --port: 'x' is not an integer in 1..65535",
	       "long option spelled as typed");
	is_int(TRY("-w", "1e3"), 3, "exponent is not a number");
	is_int(TRY("-t", "0"), 3, "zero timeout");
	is_str(line, "TEST UNKNOWN - -t: timeout '0' is not a number of seconds in (0, 86400]",
	       "timeout message");
	is_int(TRY("-t", "5:bogus"), 3, "bad timeout state");
	is_int(TRY("--bogus"), 3, "unknown option");
	is_str(line, "TEST UNKNOWN - unknown option '--bogus'", "unknown option message");
	is_int(TRY("-p"), 3, "missing argument");
	is_str(line, "TEST UNKNOWN - option '-p' needs an argument", "missing argument message");
	is_int(TRY("extra"), 3, "positional arguments are refused");
	is_int(TRY("-h"), 3, "--help exits UNKNOWN");
	is_str(line, "check_test v" GLANCE_VERSION " (glance " GLANCE_VERSION ")",
	       "help starts with the version");
	is_int(TRY("-V"), 3, "--version exits UNKNOWN");

	is_int(TRY("-D", "30,14"), 0, "-D 30,14 parses");
	is_str(line, "port=0 family=0 verbose=0 timeout=10 state=2 secret=- days=30:,14:",
	       "a bare number of days reads as 'N:' (alert below N)");
	is_int(TRY("--days=,@0:3"), 0, "-D with only a critical range");
	ok(strstr(line, " days=,@3") != NULL, "an empty side stays unset (%s)", line);
	is_int(TRY("-D", "14,30"), 3, "a warning that could never fire is UNKNOWN");
	is_str(line,
	       "TEST UNKNOWN - -D: warning '14:' could never be reported: critical '30:' "
	       "covers it",
	       "and names both ranges");
	is_int(TRY("-D", ","), 3, "an empty pair is UNKNOWN");
	is_str(line, "TEST UNKNOWN - -D: ',': not WARN[,CRIT]", "empty pair message");
	is_int(TRY("-S", "w"), 0, "-S w parses");
	ok(strstr(line, " S=1") != NULL, "opts_state reads a letter (%s)", line);
	is_int(TRY("--state=maybe"), 3, "a state that is none is UNKNOWN");
	is_str(line, "TEST UNKNOWN - --state: 'maybe' is not ok, warning, critical or unknown",
	       "state message");

	setenv("GLANCE_TEST_SECRET", "s3cret", 1);
	is_int(TRY("--secret", "env:GLANCE_TEST_SECRET"), 0, "secret from the environment");
	ok(strstr(line, "secret=s3cret") != NULL, "env: secret read");
	int fd = mkstemp(path);
	ok(fd >= 0 && write(fd, "filepass\n", 9) == 9, "secret file written");
	close(fd);
	chmod(path, 0600);
	char spec[64];
	snprintf(spec, sizeof spec, "file:%s", path);
	is_int(TRY("--secret", spec), 0, "secret from a private file");
	ok(strstr(line, "secret=filepass") != NULL, "file: secret read, newline dropped");
	chmod(path, 0644);
	is_int(TRY("--secret", spec), 3, "a world-readable secret file is refused");
	ok(strstr(line, "readable by group or others") != NULL, "and says why");
	unlink(path);
	return done_testing();
}

/* Perfdata and status-line formatting, byte for byte. */
#include <locale.h>
#include <stdlib.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "deadline.h"

#include "output.h"
#include "perfdata.h"
#include "tap.h"

static struct range
R(const char *s)
{
	struct range r;
	char err[128];
	if (range_parse(s, &r, err, sizeof err) != 0)
		printf("# bad range in test: %s\n", err);
	return r;
}

#define PD(want, name, ...)                                               \
	do {                                                              \
		struct strbuf sb_ = STRBUF_INIT;                          \
		perfdata_append(&sb_, &(struct pd_item){__VA_ARGS__});    \
		is_str(sb_str(&sb_), want, name);                         \
		sb_free(&sb_);                                            \
	} while (0)

/* Runs after output_exit()'s exit(): the backstop must already be off,
 * or its line could follow (or split) the status line just printed. */
static void
report_timer(void)
{
	struct itimerval it;
	if (getitimer(ITIMER_REAL, &it) == 0)
		printf("timer %s\n",
		       it.it_value.tv_sec || it.it_value.tv_usec ? "armed" : "off");
}

/* A child arms a 30 s deadline and ends through output_exit(). */
static void
test_exit_disarms(void)
{
	char buf[256] = "";
	int fds[2], status = 0;

	if (pipe(fds) != 0) {
		ok(0, "pipe for the output_exit child");
		return;
	}
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		struct gl_output o;
		dup2(fds[1], 1);
		close(fds[0]);
		if (deadline_arm("TEST", 30, GL_CRITICAL, NULL, 0) != 0)
			_exit(99);
		atexit(report_timer);
		output_init(&o, "TEST");
		output_summary(&o, "done");
		output_exit(&o);
	}
	close(fds[1]);
	size_t got = 0;
	ssize_t n;
	while ((n = read(fds[0], buf + got, sizeof buf - 1 - got)) > 0)
		got += (size_t)n;
	buf[got] = '\0';
	close(fds[0]);
	waitpid(pid, &status, 0);
	is_int(WIFEXITED(status) ? WEXITSTATUS(status) : -1, 0,
	       "output_exit exits with the state");
	is_str(buf, "TEST OK - done\ntimer off\n",
	       "output_exit disarms the deadline before it prints");
}

int
main(void)
{
	struct range w = R("100"), c = R("500"), wl = R("10:"), at = R("@1:2");

	PD("time=0.000292s", "seconds, no thresholds, trailing fields dropped",
	   .label = "time", .value = 0.000292, .uom = "s");
	PD("time=0.5s;;;0", "min only keeps the empty separators before it",
	   .label = "time", .value = 0.5, .uom = "s", .has_min = 1, .min = 0);
	PD("rta=0.222ms;100;500;0", "warn, crit and min",
	   .label = "rta", .value = 0.222, .uom = "ms", .warn = &w, .crit = &c, .has_min = 1);
	PD("'/var lib'=17133731840B;;;0;270552530944", "label with a space is quoted, bytes exact",
	   .label = "/var lib", .value = 17133731840.0, .uom = "B", .has_min = 1, .has_max = 1,
	   .max = 270552530944.0);
	PD("a_b_c=1", "quote and equals in labels become underscores",
	   .label = "a'b=c", .value = 1);
	PD("pl=100%;10:;@1:2", "ranges are written in canonical form",
	   .label = "pl", .value = 100, .uom = "%", .warn = &wl, .crit = &at);
	PD("big=1152921504606846976", "no exponent for large values",
	   .label = "big", .value = 1152921504606846976.0);
	PD("tiny=0.000001", "six decimals for small values",
	   .label = "tiny", .value = 0.0000012);
	PD("neg=-3.25", "negative decimals", .label = "neg", .value = -3.25);
	PD("zero=0", "negative zero prints as 0", .label = "zero", .value = -0.0000001);
	PD("x=U;;;0", "unknown value is U, without the unit",
	   .label = "x", .unknown = 1, .uom = "s", .has_min = 1);
	PD("''=1", "an empty label is quoted", .label = "", .value = 1);

	struct strbuf two = STRBUF_INIT;
	perfdata_append(&two, &(struct pd_item){.label = "a", .value = 1});
	perfdata_append(&two, &(struct pd_item){.label = "b", .value = 2, .uom = "c"});
	is_str(sb_str(&two), "a=1 b=2c", "items are separated by one space");
	sb_free(&two);

	/* A locale with a decimal comma must not leak into the output: the
	 * library never calls setlocale(), and even if a caller did for
	 * LC_NUMERIC the formatter must keep '.'. We check the first. */
	PD("v=1.5", "decimal point is '.'", .label = "v", .value = 1.5);

	struct gl_output o;
	struct strbuf out = STRBUF_INIT;
	output_init(&o, "DISK");
	output_state(&o, GL_WARNING);
	output_state(&o, GL_OK);
	output_summary(&o, "free space: / %d%%", 17);
	perfdata_append(&o.perf, &(struct pd_item){.label = "/", .value = 10, .uom = "B"});
	output_long(&o, "mount / ok");
	output_render(&o, &out);
	is_str(sb_str(&out), "DISK WARNING - free space: / 17%|/=10B\nmount / ok\n",
	       "status line, perfdata, long output; state only rises");
	sb_free(&out);
	sb_free(&o.summary);
	sb_free(&o.perf);
	sb_free(&o.longout);

	output_init(&o, "SMTP");
	output_state(&o, GL_CRITICAL);
	output_summary(&o, "banner 'evil | x\r\ny'");
	output_long(&o, "a|b");
	output_render(&o, &out);
	is_str(sb_str(&out), "SMTP CRITICAL - banner 'evil   x  y'\na b\n",
	       "'|' and line breaks in text cannot fake perfdata or lines");
	sb_free(&out);
	sb_free(&o.summary);
	sb_free(&o.longout);

	output_init(&o, "PING");
	output_render(&o, &out);
	is_str(sb_str(&out), "PING OK\n", "no summary: just service and state");
	sb_free(&out);

	is_int(state_worst(GL_UNKNOWN, GL_WARNING), GL_WARNING, "WARNING outranks UNKNOWN");
	is_int(state_worst(GL_CRITICAL, GL_UNKNOWN), GL_CRITICAL, "CRITICAL outranks UNKNOWN");
	is_int(state_worst(GL_OK, GL_UNKNOWN), GL_UNKNOWN, "UNKNOWN outranks OK");
	enum gl_state s = GL_OK;
	ok(state_parse("Critical", &s) == 0 && s == GL_CRITICAL, "state_parse takes names");
	ok(state_parse("u", &s) == 0 && s == GL_UNKNOWN, "state_parse takes letters");
	ok(state_parse("2", &s) == 0 && s == GL_CRITICAL, "state_parse takes digits");
	ok(state_parse("x", &s) == -1 && state_parse("", &s) == -1, "state_parse rejects junk");
	test_exit_disarms();
	return done_testing();
}

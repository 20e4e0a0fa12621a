/* The collector's config parser: a good file read field by field, broken
 * files with their exact error positions, command-line splitting and
 * durations. */
#include <stdlib.h>

#include "config.h"
#include "tap.h"

static const char good[] = "# an ISP\n"
                           "[site]\n"
                           "title = Server and System Status\n"
                           "name = NinerNet Communications\n"
                           "base_url = https://status.example.net\n"
                           "output = public\n"
                           "state = /var/lib/glance/glance.db\n"
                           "footer = Home page | https://example.net/\n"
                           "footer = RSS|feed.rss\n"
                           "flap_min = 5m\n"
                           "parallel = 8\n"
                           "sync = full\n"
                           "\n"
                           "[defaults]\n"
                           "interval = 2m\n"
                           "attempts = 4\n"
                           "\n"
                           "[check NC036/SMTP]\n"
                           "command = check_smtp -H 127.0.0.1 -e 'ESMTP ready'\n"
                           "retry = 15\n"
                           "[system NC036]\n"
                           "  name = Server NC036\n"
                           "location = Amsterdam, Netherlands\n"
                           "role = Mail server\n"
                           "ping = PING\n"
                           "[check NC036/PING]\n"
                           "command = check_ping -H 127.0.0.1 -w 100,20% -c 200,50%\n"
                           "attempts = 1\n"
                           "timeout = 30s\n"
                           "[system NC040]\n"
                           "visibility = internal\n"
                           "services = disk , load\n"
                           "[check NC040/disk]\n"
                           "command = check_disk -w 10%\n"
                           "[check NC040/load]\n"
                           "command = check_load\n"
                           "[check NC040/extra]\n"
                           "command = check_users\n";

static void
test_good(void)
{
	struct config c;
	char err[256] = "";
	int rc = config_parse(good, "isp.conf", "/etc/glance", &c, err, sizeof err);

	is_int(rc, 0, "good config parses");
	if (rc != 0) {
		printf("# %s\n", err);
		return;
	}
	is_str(c.site.info.title, "Server and System Status", "site title");
	is_str(c.site.info.base_url, "https://status.example.net/", "base_url gains its '/'");
	is_str(c.site.output, "/etc/glance/public",
	       "relative output is under the config's dir");
	is_str(c.site.state, "/var/lib/glance/glance.db", "absolute state kept");
	is_int(c.site.info.nfooter, 2, "two footer links");
	is_str(c.site.info.footer[1].text, "RSS", "footer text without blanks");
	is_str(c.site.info.footer[1].url, "feed.rss", "footer url");
	is_int(c.site.flap_min, 300, "flap_min 5m = 300 s");
	is_int(c.site.parallel, 8, "parallel");
	ok(c.site.sync_full, "sync = full");
	is_int(c.site.render_every, 60, "render_every default");
	is_int(c.nsystems, 2, "two systems");
	is_int(c.nchecks, 5, "five checks");

	const struct cfg_check *smtp = config_check(&c, "NC036", "SMTP");
	ok(smtp != NULL, "check declared before its system is found");
	if (smtp != NULL) {
		is_int(smtp->interval, 120, "interval from [defaults]");
		is_int(smtp->attempts, 4, "attempts from [defaults]");
		is_int(smtp->retry, 15, "own retry");
		is_int(smtp->timeout, 10, "timeout default");
		is_str(smtp->argv[4], "ESMTP ready", "single quotes keep the blank");
		ok(smtp->argv[5] == NULL, "argv ends after 5 words");
	}
	const struct cfg_system *s = config_system(&c, "NC036");
	is_str(s->name, "Server NC036", "indented key");
	is_str(s->location, "Amsterdam, Netherlands", "location with a comma");
	is_int(s->nservices, 1, "services default to every non-ping check");
	is_str(s->services[0], "SMTP", "the SMTP service");
	ok(!s->internal, "public by default");
	s = config_system(&c, "NC040");
	ok(s->internal, "visibility internal");
	is_str(s->name, "NC040", "name defaults to the id");
	is_int(s->nservices, 2, "explicit service list");
	is_str(s->services[1], "load", "list items trimmed");
	ok(s->ping == NULL, "no ping");
	config_free(&c);
}

struct bad {
	const char *text;
	const char *err;
};

static const struct bad bad[] = {
        {"[site]\ntitel = x\n", "t.conf:2:1: unknown key 'titel' in [site]"},
        {"[site]\n  colour = x\n", "t.conf:2:3: unknown key 'colour' in [site]"},
        {"title = x\n", "t.conf:1:1: 'title' outside any section"},
        {"[site\n", "t.conf:1:1: missing ']'"},
        {"[site] x\n", "t.conf:1:8: text after ']'"},
        {"[host a]\n",
         "t.conf:1:2: unknown section 'host' (site, defaults, system, check or source)"},
        {"[system]\n", "t.conf:1:8: [system] needs a name"},
        {"[system a/b]\n",
         "t.conf:1:9: system id 'a/b' must be letters, digits, '-', '_' or '.'"},
        {"[system a]\n[system a]\n", "t.conf:2:9: system 'a' is declared twice"},
        {"[check a]\n", "t.conf:1:8: a check is named SYSTEM/SERVICE, not 'a'"},
        {"[system a]\nvisibility = secret\n",
         "t.conf:2:14: visibility must be public or internal, not 'secret'"},
        {"[defaults]\ninterval = 5x\n",
         "t.conf:2:12: '5x' is not a duration in seconds from 1 to 86400"},
        {"[site]\nparallel = 0\n", "t.conf:2:12: '0' is not a number from 1 to 256"},
        {"[site]\nbase_url = ftp://x\n",
         "t.conf:2:12: base_url must start with http:// or https://"},
        {"[site]\nfooter = nothing\n", "t.conf:2:10: footer needs 'text | url'"},
        {"[site]\ntitle =\n", "t.conf:2:8: 'title' has no value"},
        {"[site]\njust words\n", "t.conf:2:1: expected 'key = value' or '[section]'"},
        {"[system a]\n[check a/b]\ncommand = check_x 'open\n",
         "t.conf:3:19: unterminated ' quote"},
        {"[system a]\n[check a/b]\ninterval = 60\n", "t.conf:2:1: check a/b has no command"},
        {"[check a/b]\ncommand = x\n", "t.conf:1:8: check a/b: no [system a]"},
        {"[system a]\nping = P\n",
         "t.conf:2:8: system a: ping check 'P' is not declared as [check a/P]"},
        {"[system a]\nservices = x,,y\n", "t.conf:2:14: empty name in list"},
        {"[system a]\n[check a/b]\ncommand = x\ntimeout = 90\n",
         "t.conf:2:1: check a/b: timeout (90s) must be shorter than interval (60s)"},
        {"[check a/b]\ncommand = x\n[defaults]\n",
         "t.conf:3:1: [defaults] must come before the first [check]"},
        {"[site]\ntitle = a\tb\x01\n", "t.conf:2:12: control character in line"},
        {"[system a]\n[check a/b]\ncommand = x\nimpact_critical = total\n",
         "t.conf:4:19: impact_critical must be none, degraded, partial or major, not 'total'"},
        {"[system a]\nparent = gw\n", "t.conf:2:10: system a: parent 'gw' is not declared"},
        {"[system a]\nparent = b\n[system b]\nparent = a\n",
         "t.conf:2:10: system a: its parents form a loop"},
        {"[system a]\nparent = a\n", "t.conf:2:10: system a: its parents form a loop"},
};

/* Impacts: the defaults by role and plugin, and what the file says. */
static void
test_impacts(void)
{
	static const char text[] = "[system a]\nparent = gw\nping = PING\n"
	                           "[check a/PING]\ncommand = check_ping\n"
	                           "[check a/SMTP]\ncommand = check_smtp\n"
	                           "[check a/TLS]\ncommand = /opt/x/check_tls_cert -w 30\n"
	                           "[check a/DNS]\ncommand = check_dns\n"
	                           "impact_warning = none\nimpact_critical = major\n"
	                           "[system gw]\n";
	static const struct {
		const char *svc;
		int warning, critical;
	} want[] = {
	        {"PING", IMPACT_DEGRADED, IMPACT_MAJOR},
	        {"SMTP", IMPACT_DEGRADED, IMPACT_PARTIAL},
	        {"TLS", IMPACT_NONE, IMPACT_PARTIAL},
	        {"DNS", IMPACT_NONE, IMPACT_MAJOR},
	};
	struct config c;
	char err[256] = "";

	if (config_parse(text, "t.conf", ".", &c, err, sizeof err) != 0) {
		ok(0, "impacts config parses: %s", err);
		return;
	}
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		const struct cfg_check *k = config_check(&c, "a", want[i].svc);
		ok(k != NULL && k->impact_warning == want[i].warning &&
		           k->impact_critical == want[i].critical,
		   "%s: WARNING %s, CRITICAL %s", want[i].svc, impact_name(want[i].warning),
		   impact_name(want[i].critical));
	}
	is_str(config_system(&c, "a")->parent, "gw", "a system's parent");
	config_free(&c);
}

static void
test_bad(void)
{
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct config c;
		char err[256] = "";
		int rc = config_parse(bad[i].text, "t.conf", ".", &c, err, sizeof err);
		ok(rc == -1, "broken config %zu is refused", i);
		is_str(err, bad[i].err, "error position and text for broken config %zu", i);
	}
}

static void
split_is(const char *line, const char *want)
{
	int col;
	char err[64];
	char **av = cmdline_split(line, &col, err, sizeof err);
	char got[256] = "";

	for (size_t i = 0; av != NULL && av[i] != NULL; i++) {
		strncat(got, "<", sizeof got - strlen(got) - 1);
		strncat(got, av[i], sizeof got - strlen(got) - 1);
		strncat(got, ">", sizeof got - strlen(got) - 1);
	}
	is_str(av ? got : err, want, "split [%s]", line);
	cmdline_free(av);
}

static void
test_split(void)
{
	int col;
	char err[64];

	split_is("check_tcp -H 127.0.0.1  -p 25", "<check_tcp><-H><127.0.0.1><-p><25>");
	split_is("a 'b c' \"d e\"", "<a><b c><d e>");
	split_is("a 'it''s'", "<a><its>");
	split_is("a \"say \\\"hi\\\" \\\\ \\n\"", "<a><say \"hi\" \\ \\n>");
	split_is("a b\\ c", "<a><b c>");
	split_is("a ''", "<a><>");
	split_is("a $HOME `x` | y > z", "<a><$HOME><`x`><|><y><>><z>");
	ok(cmdline_split("   ", &col, err, sizeof err) == NULL && col == 1,
	   "blank line is refused");
	ok(cmdline_split("a \"b", &col, err, sizeof err) == NULL && col == 3,
	   "unterminated double quote at column 3");
}

static void
test_duration(void)
{
	is_int(config_duration("90"), 90, "bare seconds");
	is_int(config_duration("90s"), 90, "seconds");
	is_int(config_duration("5m"), 300, "minutes");
	is_int(config_duration("2h"), 7200, "hours");
	is_int(config_duration("1d"), 86400, "days");
	is_int(config_duration("1.5h"), -1, "no fractions");
	is_int(config_duration("-5"), -1, "no negatives");
	is_int(config_duration("5 m"), -1, "no blank before the unit");
	is_int(config_duration(""), -1, "empty");
}

int
main(void)
{
	test_impacts();
	test_good();
	test_bad();
	test_split();
	test_duration();
	return done_testing();
}

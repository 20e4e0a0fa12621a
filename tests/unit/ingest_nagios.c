/* The Nagios parsers: nagios.log lines (a table of good and bad ones),
 * status.dat blocks (escaped output, custom variables, truncated and
 * unclosed blocks) and objects.cache into systems and checks, with
 * parents and impacts. */
#include <stdlib.h>
#include <unistd.h>

#include "ingest_nagios.h"
#include "strbuf.h"
#include "tap.h"

static const struct {
	const char *line;
	int rc;
	enum ng_kind kind;
	const char *host, *service, *output;
	int state, hard, attempt;
} lines[] = {
        {"[1795556086] SERVICE ALERT: mail1;SMTP;CRITICAL;SOFT;1;refused; port 25", 1, NG_ALERT,
         "mail1", "SMTP", "refused; port 25", 2, 0, 1},
        {"[1795556091] HOST ALERT: web1;DOWN;HARD;3;CRITICAL - down", 1, NG_ALERT, "web1", NULL,
         "CRITICAL - down", 1, 1, 3},
        {"[1795556091] HOST ALERT: web1;UNREACHABLE;HARD;1;x", 1, NG_ALERT, "web1", NULL, "x",
         2, 1, 1},
        {"[1795556086] INITIAL HOST STATE: mail1;UP;HARD;1;", 1, NG_STATE, "mail1", NULL, "", 0,
         1, 1},
        {"[1795556086] CURRENT SERVICE STATE: mail1;SMTP;OK;HARD;1;SMTP OK", 1, NG_STATE,
         "mail1", "SMTP", "SMTP OK", 0, 1, 1},
        {"[1795556173] HOST DOWNTIME ALERT: mail1;STARTED; Host has entered", 1, NG_DT_STARTED,
         "mail1", NULL, NULL, 0, 0, 0},
        {"[1795556212] HOST DOWNTIME ALERT: mail1;STOPPED; Host has exited", 1, NG_DT_STOPPED,
         "mail1", NULL, NULL, 0, 0, 0},
        {"[1795556238] HOST DOWNTIME ALERT: web1;CANCELLED; cancelled.", 1, NG_DT_CANCELLED,
         "web1", NULL, NULL, 0, 0, 0},
        {"[1795556086] Nagios 4.4.6 starting... (PID=9281)", 0, NG_NONE, NULL, NULL, NULL, 0, 0,
         0},
        {"[1795556086] LOG ROTATION: DAILY", 0, NG_NONE, NULL, NULL, NULL, 0, 0, 0},
        {"[1795556238] SERVICE DOWNTIME ALERT: mail1;SMTP;STARTED; x", 0, NG_NONE, NULL, NULL,
         NULL, 0, 0, 0},
        {"[1795556188] EXTERNAL COMMAND: PROCESS_HOST_CHECK_RESULT;web1;1;CRITICAL", 0, NG_NONE,
         NULL, NULL, NULL, 0, 0, 0},
        {"", -1, NG_NONE, NULL, NULL, NULL, 0, 0, 0},
        {"garbage", -1, NG_NONE, NULL, NULL, NULL, 0, 0, 0},
        {"[12x] HOST ALERT: a;UP;HARD;1;x", -1, NG_NONE, NULL, NULL, NULL, 0, 0, 0},
        {"[1795556086]HOST ALERT: a;UP;HARD;1;x", -1, NG_NONE, NULL, NULL, NULL, 0, 0, 0},
        {"[1795556086] HOST ALERT: a;SIDEWAYS;HARD;1;x", -1, NG_NONE, NULL, NULL, NULL, 0, 0,
         0},
        {"[1795556086] HOST ALERT: a;UP;MAYBE;1;x", -1, NG_NONE, NULL, NULL, NULL, 0, 0, 0},
        {"[1795556086] HOST ALERT: a;UP;HARD;one;x", -1, NG_NONE, NULL, NULL, NULL, 0, 0, 0},
        {"[1795556086] SERVICE ALERT: a;SMTP", -1, NG_NONE, NULL, NULL, NULL, 0, 0, 0},
        {"[1795556086] SERVICE ALERT: ;SMTP;OK;HARD;1;x", -1, NG_NONE, NULL, NULL, NULL, 0, 0,
         0},
        {"[1795556086] HOST DOWNTIME ALERT: a;PAUSED; x", -1, NG_NONE, NULL, NULL, NULL, 0, 0,
         0},
        {"[1795556086] EXTERNAL COMMAND: SCHEDULE_HOST_DOWNTIME;a;10;5;1;0;0;x;y", -1, NG_NONE,
         NULL, NULL, NULL, 0, 0, 0},
        {"[1795556086] EXTERNAL COMMAND: DEL_HOST_DOWNTIME;x", -1, NG_NONE, NULL, NULL, NULL, 0,
         0, 0},
        /* numbers past the plain-digits fast path: strtol's grammar */
        {"[1795556086] HOST ALERT: a;UP;HARD;+2;x", 1, NG_ALERT, "a", NULL, "x", 0, 1, 2},
        {"[1795556086] HOST ALERT: a;UP;HARD;1001;x", -1, NG_NONE, NULL, NULL, NULL, 0, 0, 0},
        {"[1795556086] HOST ALERT: a;UP;HARD;0000000000000000003;x", 1, NG_ALERT, "a", NULL,
         "x", 0, 1, 3},
        {"[ 1795556086] HOST ALERT: a;UP;HARD;1;x", 1, NG_ALERT, "a", NULL, "x", 0, 1, 1},
        {"[99999999999999999999] HOST ALERT: a;UP;HARD;1;x", -1, NG_NONE, NULL, NULL, NULL, 0,
         0, 0},
        {"[000000000000000001795556086] HOST ALERT: a;UP;HARD;1;x", 1, NG_ALERT, "a", NULL, "x",
         0, 1, 1},
};

static void
test_log_lines(void)
{
	for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
		char *l = xstrdup(lines[i].line);
		struct ng_event ev;
		const char *why;
		int rc = ng_log_parse(l, &ev, &why);
		bool good = rc == lines[i].rc;
		if (good && rc == 1) {
			good = ev.kind == lines[i].kind &&
			       strcmp(ev.host, lines[i].host) == 0 &&
			       ((ev.service == NULL && lines[i].service == NULL) ||
			        (ev.service && lines[i].service &&
			         strcmp(ev.service, lines[i].service) == 0));
			if (good && (ev.kind == NG_ALERT || ev.kind == NG_STATE))
				good = strcmp(ev.output, lines[i].output) == 0 &&
				       ev.state == lines[i].state && ev.hard == lines[i].hard &&
				       ev.attempt == lines[i].attempt;
		}
		if (rc < 0)
			good = good && why != NULL && *why != '\0';
		ok(good, "log line %zu: '%s' -> %d%s%s", i, lines[i].line, rc,
		   rc < 0 ? ": " : "", rc < 0 ? why : "");
		free(l);
	}
}

static void
test_log_downtime_commands(void)
{
	char l[] = "[1795556173] EXTERNAL COMMAND: SCHEDULE_HOST_DOWNTIME;mail1;1795556173;"
	           "1795556213;0;0;600;alice;Planned; MTA upgrade";
	char d[] = "[1795556180] EXTERNAL COMMAND: DEL_HOST_DOWNTIME;17";
	char b[] = "[1795556180] EXTERNAL COMMAND: DEL_DOWNTIME_BY_HOST_NAME;mail1";
	struct ng_event ev;
	const char *why;

	ok(ng_log_parse(l, &ev, &why) == 1 && ev.kind == NG_DT_SCHEDULE && ev.t == 1795556173 &&
	           ev.start == 1795556173 && ev.end == 1795556213 && !ev.fixed &&
	           ev.duration == 600 && strcmp(ev.author, "alice") == 0 &&
	           strcmp(ev.comment, "Planned; MTA upgrade") == 0,
	   "SCHEDULE_HOST_DOWNTIME: window, flexible duration, author, comment with ';'");
	ok(ng_log_parse(d, &ev, &why) == 1 && ev.kind == NG_DT_DELETE &&
	           strcmp(ev.id, "17") == 0,
	   "DEL_HOST_DOWNTIME gives the downtime id");
	ok(ng_log_parse(b, &ev, &why) == 1 && ev.kind == NG_DT_DELETE_BY_HOST &&
	           strcmp(ev.host, "mail1") == 0 && ev.comment == NULL,
	   "DEL_DOWNTIME_BY_HOST_NAME gives the host");
}

static char dir[128];

static const char *
write_file(const char *name, const char *text)
{
	static char path[256];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	f = fopen(path, "w");
	fputs(text, f);
	fclose(f);
	return path;
}

static void
test_status(void)
{
	const char *p = write_file(
	        "status.dat",
	        "info {\n\tcreated=1795556200\n\tversion=4.4.6\n\t}\n\n"
	        "hoststatus {\n\thost_name=mail1\n\tcurrent_state=1\n\tstate_type=0\n"
	        "\thas_been_checked=1\n\tcurrent_attempt=2\n\tlast_check=1795556190\n"
	        "\tplugin_output=PING CRITICAL - 100% loss\n"
	        "\tlong_plugin_output=line one\\nback\\\\slash\n"
	        "\tperformance_data=pl=100%;20;60;0\n\t_LOCATION=0;Berlin DC1\n\t}\n\n"
	        "servicestatus {\n\thost_name=mail1\n\tservice_description=SMTP\n"
	        "hostdowntime {\n\thost_name=mail1\n\tdowntime_id=4\n\tentry_time=1795556173\n"
	        "\tstart_time=1795556173\n\tflex_downtime_start=0\n\tend_time=1795556213\n"
	        "\tfixed=1\n\tduration=40\n\tis_in_effect=1\n\tauthor=alice\n"
	        "\tcomment=Planned MTA upgrade\n\t}\n"
	        "servicestatus {\n\thost_name=mail1\n\tservice_description=HTTP\n\tcurrent_");
	struct ingest_log log = {.max = 0};
	struct ng_status s;
	char err[256];

	is_int(ng_status_load(p, &s, &log, err, sizeof err), 0, "status.dat loads");
	is_int(s.created, 1795556200, "its creation time");
	is_int(s.nentries, 1,
	       "the unclosed and the truncated servicestatus blocks are skipped");
	is_int(log.warnings, 3, "with a warning each, and one for the cut line");
	ok(s.nentries == 1 && s.entries[0].service == NULL && s.entries[0].state == 1 &&
	           !s.entries[0].hard && s.entries[0].attempt == 2 &&
	           s.entries[0].last_check == 1795556190,
	   "the host's state, SOFT, attempt and last check");
	is_str(s.nentries ? s.entries[0].long_output : NULL, "line one\nback\\slash",
	       "long output unescaped");
	ok(s.ndowntimes == 1 && strcmp(s.downtimes[0].id, "4") == 0 &&
	           s.downtimes[0].in_effect && s.downtimes[0].end == 1795556213 &&
	           strcmp(s.downtimes[0].comment, "Planned MTA upgrade") == 0,
	   "the host downtime after the broken block is kept");
	ng_status_free(&s);
	snprintf(err, sizeof err, "%s/nothing", dir);
	is_int(ng_status_load(err, &s, &log, err, sizeof err), 1,
	       "a missing status.dat says the core is down");
}

static void
test_objects(void)
{
	const char *p = write_file(
	        "objects.cache",
	        "define hostgroup {\n\thostgroup_name\tmail\n\talias\tMail servers\n"
	        "\tmembers\tweb1,mail1\n\t}\n"
	        "define host {\n\thost_name\tmail1\n\talias\tMail server 1\n"
	        "\t_location\tBerlin "
	        "DC1\n\tcheck_interval\t2.000000\n\tmax_check_attempts\t4\n\t}\n"
	        "define host {\n\thost_name\tdb1\n\talias\tDatabase\n\tdisplay_name\tDB "
	        "(Paris)\n"
	        "\t_VISIBILITY\tInternal\n\t_ROLE\tDatabase server\n\t_DISPLAY\tDB one\n\t}\n"
	        "define service {\n\thost_name\tmail1\n\tservice_description\tPING\n\t}\n"
	        "define service {\n\thost_name\tmail1\n\tservice_description\tSMTP\n"
	        "\tcheck_interval\t5\n\t}\n"
	        "define service {\n\thost_name\tghost\n\tservice_description\tX\n\t}\n");
	struct ingest_log log = {.max = 0};
	struct ng_objects o;
	struct config cfg;
	char err[256];
	const struct cfg_system *m, *d;
	const struct cfg_check *c;

	is_int(ng_objects_load(p, &o, &log, err, sizeof err), 0, "objects.cache loads");
	config_parse("", "t.conf", dir, &cfg, err, sizeof err);
	ng_objects_to_config(&o, "PING", &cfg, &log);
	m = config_system(&cfg, "mail1");
	d = config_system(&cfg, "db1");
	ok(m && strcmp(m->name, "Mail server 1") == 0 &&
	           strcmp(m->location, "Berlin DC1") == 0 &&
	           strcmp(m->role, "Mail servers") == 0 && !m->internal,
	   "alias as name, _location in lower case, the hostgroup's alias as role");
	ok(d && strcmp(d->name, "DB one") == 0 && strcmp(d->role, "Database server") == 0 &&
	           d->internal && d->location == NULL,
	   "_DISPLAY before display_name, _ROLE, _VISIBILITY internal in any case");
	ok(m && strcmp(m->ping, "PING") == 0 && m->nservices == 1 &&
	           strcmp(m->services[0], "SMTP") == 0,
	   "the PING service is the Ping column, SMTP a service");
	c = config_check(&cfg, "mail1", "host");
	ok(c && c->interval == 120 && c->attempts == 4,
	   "the host check: interval and attempts");
	c = config_check(&cfg, "mail1", "SMTP");
	ok(c && c->interval == 300 && c->timeout == 60,
	   "a service check: interval and timeout");
	ok(config_system(&cfg, "ghost") == NULL, "a service of an unknown host adds no system");
	config_drop_engine(&cfg);
	ok(cfg.nsystems == 0 && cfg.nchecks == 0,
	   "the engine's systems and checks can be dropped");
	ng_objects_to_config(&o, "host", &cfg, &log);
	m = config_system(&cfg, "mail1");
	ok(m && m->nservices == 2 && strcmp(m->ping, "host") == 0,
	   "and added afresh: with ping = host both services decide the status");
	config_free(&cfg);
	ng_objects_free(&o);
}

/* Parents: the first that is a host, never the host itself nor a loop;
 * impacts: the plugin behind check_command, then _IMPACT_* in any case,
 * a bad value warned about and ignored. */
static void
test_parents_impacts(void)
{
	const char *p = write_file(
	        "objects.cache",
	        "define command {\n\tcommand_name\tcert\n"
	        "\tcommand_line\t$USER1$/glance_check_tls_cert -H $HOSTADDRESS$\n\t}\n"
	        "define command {\n\tcommand_name\tsmtp\n"
	        "\tcommand_line\t/usr/lib/nagios/plugins/check_smtp -H x\n\t}\n"
	        "define host {\n\thost_name\tcore\n\tparents\tedge\n\t}\n"
	        "define host {\n\thost_name\tedge\n\tparents\tcore\n"
	        "\t_Impact_Critical\tpartial\n\t}\n"
	        "define host {\n\thost_name\tweb1\n\tparents\tnone,web1,edge,core\n\t}\n"
	        "define service {\n\thost_name\tweb1\n\tservice_description\tTLS\n"
	        "\tcheck_command\tcert!443\n\t}\n"
	        "define service {\n\thost_name\tweb1\n\tservice_description\tSMTP\n"
	        "\tcheck_command\tsmtp\n\t_IMPACT_WARNING\tPartial\n"
	        "\t_impact_critical\tsevere\n\t}\n");
	struct ingest_log log = {.max = 0};
	struct ng_objects o;
	struct config cfg;
	char err[256];
	const struct cfg_system *s;
	const struct cfg_check *c;

	is_int(ng_objects_load(p, &o, &log, err, sizeof err), 0,
	       "objects.cache with parents loads");
	config_parse("[system web1]\nname = Web\n", "t.conf", dir, &cfg, err, sizeof err);
	ng_objects_to_config(&o, "host", &cfg, &log);
	s = config_system(&cfg, "web1");
	ok(s && s->parent == NULL, "a system the file declares keeps its own parent (none)");
	s = config_system(&cfg, "core");
	ok(s && s->parent && strcmp(s->parent, "edge") == 0, "core's parent is edge");
	s = config_system(&cfg, "edge");
	ok(s && s->parent == NULL, "edge -> core -> edge would be a loop: not taken");
	c = config_check(&cfg, "web1", "TLS");
	ok(c && c->impact_warning == IMPACT_NONE && c->impact_critical == IMPACT_PARTIAL,
	   "glance_check_tls_cert behind check_command: WARNING impact none");
	c = config_check(&cfg, "web1", "SMTP");
	ok(c && c->impact_warning == IMPACT_PARTIAL && c->impact_critical == IMPACT_PARTIAL,
	   "_IMPACT_WARNING in any case overrides; a bad _IMPACT_CRITICAL is ignored");
	c = config_check(&cfg, "edge", "host");
	ok(c && c->impact_critical == IMPACT_PARTIAL && c->impact_warning == IMPACT_DEGRADED,
	   "a host's _IMPACT_CRITICAL sets its host check's");
	ok(log.warnings == 2, "the loop and the bad impact are warned about (%u)",
	   log.warnings);
	config_drop_engine(&cfg);
	config_free(&cfg);
	config_parse("", "t.conf", dir, &cfg, err, sizeof err);
	ng_objects_to_config(&o, "host", &cfg, &log);
	s = config_system(&cfg, "web1");
	ok(s && s->parent && strcmp(s->parent, "edge") == 0,
	   "the first of the parents that is another host here: 'none' is not, web1 is itself");
	config_free(&cfg);
	ng_objects_free(&o);
}

int
main(void)
{
	snprintf(dir, sizeof dir, "/tmp/glance-ingest.XXXXXX");
	if (mkdtemp(dir) == NULL)
		return 1;
	test_log_lines();
	test_log_downtime_commands();
	test_status();
	test_objects();
	test_parents_impacts();
	char cmd[200];
	snprintf(cmd, sizeof cmd, "%s/status.dat", dir);
	unlink(cmd);
	snprintf(cmd, sizeof cmd, "%s/objects.cache", dir);
	unlink(cmd);
	rmdir(dir);
	return done_testing();
}

/* Icinga 2 events into the store: results counted once (CheckResult and
 * StateChange carry the same one), a SOFT and a HARD result of one
 * second both kept, downtimes added, triggered, removed (cancelled) and
 * expired (ended at their end), and malformed JSON skipped with a
 * warning while everything before it stays. */
#include <stdlib.h>
#include <unistd.h>

#include "ingest_icinga2.h"
#include "strbuf.h"
#include "tap.h"

static char dir[128];

static int
ev(struct ingest_ctx *c, const char *json, long n)
{
	return ic_apply_event(c, json, strlen(json), n);
}

static char *
q(struct store *st, const char *system, const char *service)
{
	struct svc_row row;
	struct strbuf sb = STRBUF_INIT;

	if (store_get_service(st, system, service, &row) == 1)
		sb_appendf(&sb, "%d %d %d %lld %s", (int)row.st.state, (int)row.st.hard,
		           row.st.attempt, (long long)row.st.last_check, row.output);
	svc_row_free(&row);
	sb_append(&sb, "");
	return sb_detach(&sb);
}

static const char cr_soft[] =
        "{\"type\":\"CheckResult\",\"host\":\"web1\",\"service\":\"smtp\",\"timestamp\":100.5,"
        "\"check_result\":{\"execution_end\":100.2,\"output\":\"SMTP CRITICAL - "
        "refused\\nlong\","
        "\"performance_data\":[\"time=0.1s\"],"
        "\"vars_after\":{\"attempt\":1,\"state\":2,\"state_type\":0}}}";
static const char sc_soft[] =
        "{\"type\":\"StateChange\",\"host\":\"web1\",\"service\":\"smtp\",\"state\":2,"
        "\"state_type\":0,\"check_result\":{\"execution_end\":100.2,\"output\":\"SMTP "
        "CRITICAL - refused\",\"vars_after\":{\"attempt\":1,\"state\":2,\"state_type\":0}}}";
static const char cr_hard[] =
        "{\"type\":\"CheckResult\",\"host\":\"web1\",\"service\":\"smtp\","
        "\"check_result\":{\"execution_end\":100.9,\"output\":\"SMTP CRITICAL - refused\","
        "\"vars_after\":{\"attempt\":1,\"state\":2,\"state_type\":1}}}";
static const char host_down[] =
        "{\"type\":\"CheckResult\",\"host\":\"web1\",\"check_result\":{\"execution_end\":101,"
        "\"output\":\"PING CRITICAL\",\"vars_after\":{\"attempt\":1,\"state\":1,"
        "\"state_type\":1}}}";

static void
test_results(struct ingest_ctx *c)
{
	char *s;

	is_int(ev(c, cr_soft, 1), 1, "a CheckResult is recorded");
	is_int(ev(c, sc_soft, 2), 0, "its StateChange (the same result) is not");
	is_int(ev(c, cr_hard, 3), 1, "the HARD result of the same second is");
	s = q(c->st, "web1", "smtp");
	is_str(s, "2 1 1 100 SMTP CRITICAL - refused", "smtp: CRITICAL HARD at 100");
	free(s);
	ev(c, host_down, 4);
	s = q(c->st, "web1", "host");
	is_str(s, "2 1 1 101 PING CRITICAL", "a host DOWN is the host check CRITICAL");
	free(s);
	is_int(ev(c,
	          "{\"type\":\"CheckResult\",\"host\":\"ghost\",\"service\":\"x\","
	          "\"check_result\":{\"execution_end\":5,\"output\":\"\"}}",
	          5),
	       0, "a check glance does not know is left out");
}

static void
test_malformed(struct ingest_ctx *c)
{
	unsigned w = c->log->warnings;
	char *s;

	is_int(ev(c, "{\"type\":\"CheckResult\",\"host\":", 6), 0, "truncated JSON: skipped");
	is_int(ev(c, "[1,2]", 7), 0, "an array, not an event: skipped");
	is_int(ev(c, "\xff\xfe", 8), 0, "not UTF-8: skipped");
	is_int(c->log->warnings - w, 3, "each with a warning");
	is_int(ev(c, "{\"type\":\"CheckResult\",\"host\":\"web1\",\"service\":\"smtp\"}", 9), 0,
	       "no check_result: nothing to record");
	is_int(ev(c, "{\"type\":\"DowntimeAdded\",\"downtime\":\"x\"}", 10), 0,
	       "a downtime that is not an object: nothing");
	s = q(c->st, "web1", "smtp");
	is_str(s, "2 1 1 100 SMTP CRITICAL - refused", "and the earlier result is still there");
	free(s);
}

#define DT(type, name, start, end, trig, removed)                                              \
	"{\"type\":\"" type "\",\"timestamp\":200,\"downtime\":{\"__name\":\"web1!" name       \
	"\",\"host_name\":\"web1\",\"service_name\":\"\",\"comment\":\"Upgrade\","             \
	"\"entry_time\":150.5,\"start_time\":" start ",\"end_time\":" end ",\"fixed\":true,"   \
	"\"duration\":0,\"trigger_time\":" trig ",\"remove_time\":" removed "}}"

static void
test_downtimes(struct ingest_ctx *c)
{
	struct downtime *d;
	size_t n;

	ingest_begin(c);
	is_int(ev(c, DT("DowntimeAdded", "a", "200", "260", "0", "0"), 11), 1, "DowntimeAdded");
	is_int(ev(c, DT("DowntimeAdded", "b", "900", "960", "0", "0"), 12), 1, "another one");
	ev(c, DT("DowntimeAdded", "a", "200", "260", "0", "0"), 13);
	ev(c, DT("DowntimeStarted", "a", "200", "260", "0", "0"), 14);
	ev(c, DT("DowntimeTriggered", "a", "200", "260", "200", "0"), 15);
	ev(c, DT("DowntimeRemoved", "b", "900", "960", "0", "300.7"), 16);
	ev(c, DT("DowntimeRemoved", "a", "200", "260", "200", "0"), 17);
	store_downtimes(c->st, NULL, 0, &d, &n);
	ok(n == 1 && d[0].start == 200 && d[0].end == 260 && d[0].ended == 260 &&
	           !d[0].cancelled && d[0].created == 150,
	   "the expired one (remove_time 0) ran 200-260, added once");
	downtimes_free(d, n);
	struct downtime b;
	ok(store_downtime_get(c->st, 2, &b) == 1 && b.cancelled && b.ended == 300,
	   "the removed one (remove_time > 0) is cancelled at its remove_time");
	downtime_free(&b);
	ingest_end(c);
}

int
main(void)
{
	struct ingest_log log = {.max = 0};
	struct config cfg;
	struct store *st;
	char err[256], path[200];
	struct ingest_ctx c = {.log = &log, .source = "icinga2", .now = 1000};

	snprintf(dir, sizeof dir, "/tmp/glance-ic.XXXXXX");
	if (mkdtemp(dir) == NULL)
		return 1;
	snprintf(path, sizeof path, "%s/g.db", dir);
	if (config_parse("", "t.conf", dir, &cfg, err, sizeof err) != 0 ||
	    store_open(path, false, &st, err, sizeof err) != 0)
		return 1;
	config_add_system(&cfg, "web1", "Web 1", NULL, NULL, false);
	config_add_check(&cfg, "web1", "host", 60, 60, 1);
	config_add_check(&cfg, "web1", "smtp", 60, 60, 2);
	c.st = st;
	c.cfg = &cfg;
	test_results(&c);
	test_malformed(&c);
	test_downtimes(&c);
	store_close(st);
	config_free(&cfg);
	for (size_t i = 0; i < 3; i++) {
		static const char *const sfx[] = {"", "-wal", "-shm"};
		snprintf(path, sizeof path, "%s/g.db%s", dir, sfx[i]);
		unlink(path);
	}
	rmdir(dir);
	return done_testing();
}

/* The SQLite store: schema and migrations, results and HARD intervals,
 * system intervals, downtimes, notices with idempotent keys, pruning,
 * and that everything survives closing and reopening. */
#include <sqlite3.h>
#include <stdlib.h>
#include <unistd.h>

#include "store.h"
#include "store_tmp.h"
#include "strbuf.h"
#include "tap.h"

#define T0 1630549800

static int
result(struct store *s, const char *svc, enum gl_state st, bool hard, time_t t)
{
	struct gl_result r = {.system = "NC036",
	                      .service = svc,
	                      .state = st,
	                      .hard = hard,
	                      .attempt = 1,
	                      .output = "SMTP OK - 0.01 sec",
	                      .long_output = "",
	                      .perfdata = "time=0.01s",
	                      .t = t};
	return store_record(s, &r);
}

static char *
pragma(const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	char *v = NULL;

	if (sqlite3_open(path, &db) != SQLITE_OK)
		return NULL;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		v = xstrdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

static void
test_schema(struct store *s)
{
	char *v;

	is_int(store_schema_version(s), STORE_SCHEMA_VERSION, "schema at the current version");
	v = pragma("PRAGMA journal_mode");
	is_str(v, "wal", "WAL mode persists in the file");
	free(v);
}

static void
test_results(struct store *s)
{
	struct svc_row row;
	struct interval *iv;
	size_t n;

	is_int(store_get_service(s, "NC036", "SMTP", &row), 0, "no result yet");
	is_int(result(s, "SMTP", GL_OK, true, T0), 1, "first HARD OK is a change");
	is_int(result(s, "SMTP", GL_OK, true, T0 + 60), 0, "same HARD state: no change");
	is_int(result(s, "SMTP", GL_CRITICAL, false, T0 + 120), 0, "SOFT problem: no change");
	is_int(store_get_service(s, "NC036", "SMTP", &row), 1, "service row exists");
	ok(row.st.state == GL_CRITICAL && !row.st.hard && row.st.hard_state == GL_OK,
	   "soft CRITICAL over HARD OK");
	is_int(row.st.hard_since, T0, "hard_since unchanged by a SOFT result");
	is_int(row.st.last_check, T0 + 120, "last_check moves");
	is_str(row.perfdata, "time=0.01s", "perfdata kept");
	svc_row_free(&row);
	is_int(result(s, "SMTP", GL_CRITICAL, true, T0 + 180), 1, "HARD CRITICAL is a change");
	is_int(store_get_service(s, "NC036", "SMTP", &row), 1, "service row read");
	is_int(row.st.hard_since, T0 + 120, "the HARD problem's since is its first failure");
	svc_row_free(&row);
	is_int(result(s, "SMTP", GL_OK, true, T0 + 300), 1, "recovery is a change");
	is_int(store_svc_intervals(s, "NC036", "SMTP", 0, &iv, &n), 0,
	       "service intervals read");
	is_int(n, 3, "three HARD intervals");
	ok(n == 3 && iv[0].status == GL_OK && iv[0].start == T0 && iv[0].end == T0 + 120,
	   "OK from T0 to T0+120, when the first failed check came");
	ok(n == 3 && iv[1].status == GL_CRITICAL && iv[1].start == T0 + 120 &&
	           iv[1].end == T0 + 300,
	   "CRITICAL from the SOFT attempt at T0+120 (not the HARD one at T0+180) to T0+300");
	ok(n == 3 && iv[2].end == 0, "the last one is open");
	free(iv);
	is_int(store_prune(s, T0 + 150), 0, "prune");
	char *c = pragma("SELECT count(*) FROM results");
	is_str(c, "2", "results before the cut are gone, later ones kept");
	free(c);
}

/* The gaps between results, from which derive finds stale time. */
static void
test_gaps(struct store *s)
{
	static const int at[] = {0, 60, 400, 460, 1000};
	struct interval *iv;
	size_t n;

	for (size_t i = 0; i < sizeof at / sizeof at[0]; i++)
		result(s, "IMAP", GL_OK, true, T0 + at[i]);
	is_int(store_svc_gaps(s, "NC036", "IMAP", T0, 60, &iv, &n), 0, "gaps read");
	ok(n == 2 && iv[0].start == T0 + 60 && iv[0].end == T0 + 400 &&
	           iv[1].start == T0 + 460 && iv[1].end == T0 + 1000,
	   "gaps longer than 60 s, from the earlier result to the later; 60 s is none");
	free(iv);
	store_svc_gaps(s, "NC036", "IMAP", T0 + 400, 60, &iv, &n);
	ok(n == 1 && iv[0].start == T0 + 460, "a gap ending at 'from' is left out");
	free(iv);
	store_svc_gaps(s, "NC036", "IMAP", T0 + 990, 100, &iv, &n);
	ok(n == 1 && iv[0].start == T0 + 460 && iv[0].end == T0 + 1000,
	   "a result long before 'from' still opens the gap that ends after it");
	free(iv);
	store_svc_gaps(s, "NC036", "IMAP", T0, 600, &iv, &n);
	is_int(n, 0, "none longer than 600 s");
	free(iv);
}

static void
test_downtimes(struct store *s)
{
	struct downtime d = {.system = "NC023",
	                     .start = T0,
	                     .end = T0 + 3600,
	                     .reason = "disks",
	                     .created = T0 - 600},
	                got, *all;
	int64_t id = store_downtime_add(s, &d);
	size_t n;

	ok(id > 0, "downtime added");
	is_int(store_downtime_get(s, id, &got), 1, "downtime read back");
	ok(got.start == T0 && got.end == T0 + 3600 && got.ended == 0 && !got.cancelled,
	   "window as written");
	is_str(got.reason, "disks", "reason");
	downtime_free(&got);
	is_int(store_downtime_finish(s, id, T0 + 1320, false), 0, "ended early");
	store_downtime_get(s, id, &got);
	is_int(got.ended, T0 + 1320, "actual end kept");
	downtime_free(&got);
	store_downtimes(s, NULL, T0 + 1400, &all, &n);
	is_int(n, 0, "a window that ended before 'from' is not listed");
	downtimes_free(all, n);
	store_downtimes(s, "NC023", T0, &all, &n);
	is_int(n, 1, "listed by system");
	downtimes_free(all, n);
	ok(store_downtime_finish(s, 999, T0, true) == -1, "finishing an unknown window fails");
}

static void
test_notices(struct store *s)
{
	char *tags[] = {"mail server", "down time"};
	struct notice_view n = {.system_id = "NC036",
	                        .title = "NC036: Update 3",
	                        .body = "It will be *hours*.",
	                        .state = INC_IDENTIFIED,
	                        .kind = NOTICE_OPERATOR,
	                        .posted = T0 + 100,
	                        .tags = tags,
	                        .ntags = 2};
	struct notice_view got, *list;
	size_t count;
	bool retracted;
	int64_t a = store_notice_add(s, &n, NULL), b;

	ok(a > 0, "notice added");
	n.title = "NC036: Server down";
	n.posted = T0 + 50;
	b = store_notice_add(s, &n, "down:NC036:1");
	ok(b > a, "keyed notice added");
	is_int(store_notice_add(s, &n, "down:NC036:1"), 0, "same key again: nothing added");
	is_int(store_notice_by_key(s, "down:NC036:1"), b, "found by key");
	is_int(store_notice_get(s, a, &got, &retracted), 1, "read back");
	is_int(got.incident_id, a, "a new notice starts its own incident");
	is_int(got.ntags, 2, "two tags");
	is_str(got.tags[1], "down time", "tag with a blank");
	is_int(got.state, INC_IDENTIFIED, "state");
	free(got.body);
	got.body = xstrdup("Resolved.");
	got.state = INC_RESOLVED;
	is_int(store_notice_update(s, &got), 0, "edited");
	notice_view_free(&got);
	store_notice_get(s, a, &got, &retracted);
	ok(got.state == INC_RESOLVED && strcmp(got.body, "Resolved.") == 0, "edit stored");
	notice_view_free(&got);
	store_notices(s, false, &list, &count, NULL);
	ok(count == 2 && list[0].id == a, "newest posted first");
	for (size_t i = 0; i < count; i++)
		notice_view_free(&list[i]);
	free(list);
	is_int(store_notice_retract(s, a), 0, "retracted");
	store_notices(s, false, &list, &count, NULL);
	ok(count == 1 && list[0].id == b, "retracted notices are left out");
	for (size_t i = 0; i < count; i++)
		notice_view_free(&list[i]);
	free(list);
}

/* A version 1 database (no downtimes.title) is upgraded in place and
 * keeps its rows. */
static void
test_migration(void)
{
	sqlite3 *db;
	struct store *s;
	struct downtime d;
	char err[256] = "", *v;

	sqlite3_open(path, &db);
	sqlite3_exec(db,
	             "CREATE TABLE sys_intervals (id INTEGER PRIMARY KEY, system TEXT NOT NULL,"
	             " status INTEGER NOT NULL, start INTEGER NOT NULL, end INTEGER);"
	             "ALTER TABLE downtimes DROP COLUMN title;"
	             "ALTER TABLE notices DROP COLUMN impact;"
	             "ALTER TABLE notices DROP COLUMN affected; DROP TABLE ingest_pos;"
	             " DROP TABLE ingest_windows; DROP TABLE ingest_systems;"
	             " DROP TABLE ingest_checks; CREATE INDEX results_t ON results(t);"
	             " ALTER TABLE services DROP COLUMN fail_since;"
	             " ALTER TABLE services DROP COLUMN open_iv;"
	             " PRAGMA user_version = 1",
	             NULL, NULL, NULL);
	sqlite3_close(db);
	v = pragma("PRAGMA user_version");
	is_str(v, "1", "database set back to version 1");
	free(v);
	ok(store_open(path, false, &s, err, sizeof err) == 0, "a version 1 database opens");
	is_int(store_schema_version(s), STORE_SCHEMA_VERSION,
	       "and is migrated to the current version");
	v = pragma("SELECT count(*) FROM sqlite_master WHERE name = 'sys_intervals'");
	is_str(v, "0", "the system status intervals no passes write any more are dropped");
	free(v);
	is_int(store_downtime_get(s, 1, &d), 1, "its downtime is still there");
	ok(d.title != NULL && strcmp(d.title, "") == 0 && strcmp(d.reason, "disks") == 0,
	   "with the new column empty and the old ones intact");
	downtime_free(&d);
	store_close(s);
}

static void
test_versions(void)
{
	sqlite3 *db;
	struct store *s;
	char err[256] = "", want[80];

	snprintf(want, sizeof want, "schema version 99 is newer than this glance (%d)",
	         STORE_SCHEMA_VERSION);
	sqlite3_open(path, &db);
	sqlite3_exec(db, "PRAGMA user_version = 99", NULL, NULL, NULL);
	sqlite3_close(db);
	ok(store_open(path, false, &s, err, sizeof err) == -1, "a newer schema is refused");
	ok(strstr(err, want) != NULL, "and says why: %s", err);
}

int
main(void)
{
	struct store *s;

	if (tmp_store_init() != 0)
		return 1;
	s = open_store();
	ok(s != NULL, "store created");
	if (s == NULL)
		return done_testing();
	test_schema(s);
	test_results(s);
	test_gaps(s);
	test_downtimes(s);
	test_notices(s);
	store_close(s);
	s = open_store();
	struct svc_row row;
	is_int(store_get_service(s, "NC036", "SMTP", &row), 1,
	       "reopened: the service is there");
	is_int(row.st.hard_since, T0 + 300, "and its HARD state");
	svc_row_free(&row);
	store_close(s);
	test_migration();
	test_versions();
	tmp_store_remove();
	return done_testing();
}

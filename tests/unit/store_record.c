/* store_record's write path: a schema 5 store migrates to 6 and keeps
 * its data (each services row gets its problem's first failure and its
 * open interval from the history); rows kept in memory during a
 * transaction are seen by store_get_service, written at commit and
 * forgotten at rollback; a result older than the service's last one
 * still dates the outage from its first failure; pruning works without
 * the results' index by time. */
#include <sqlite3.h>
#include <stdlib.h>
#include <unistd.h>

#include "store.h"
#include "store_tmp.h"
#include "strbuf.h"
#include "tap.h"

#define T0 1790000000

static int
result(struct store *s, const char *svc, enum gl_state st, bool hard, time_t t)
{
	struct gl_result r = {.system = "mail1",
	                      .service = svc,
	                      .state = st,
	                      .hard = hard,
	                      .attempt = hard ? 3 : 1,
	                      .output = st == GL_OK ? "SMTP OK" : "SMTP CRITICAL",
	                      .long_output = "",
	                      .perfdata = "time=0.01s",
	                      .t = t};
	return store_record(s, &r);
}

/* The first row of a query on its own connection, as text. */
static char *
query(const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	struct strbuf sb = STRBUF_INIT;

	if (sqlite3_open(path, &db) != SQLITE_OK)
		return NULL;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) {
		while (sqlite3_step(st) == SQLITE_ROW) {
			for (int i = 0; i < sqlite3_column_count(st); i++) {
				const unsigned char *v = sqlite3_column_text(st, i);
				sb_appendf(&sb, "%s%s",
				           i        ? "|"
				           : sb.len ? "\n"
				                    : "",
				           v ? (const char *)v : "");
			}
		}
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	sb_append(&sb, "");
	return sb_detach(&sb);
}

static void
is_query(const char *sql, const char *want, const char *name)
{
	char *v = query(sql);
	is_str(v, want, "%s", name);
	free(v);
}

static int
exec(const char *sql)
{
	sqlite3 *db;
	char *msg = NULL;
	int rc;

	if (sqlite3_open(path, &db) != SQLITE_OK)
		return -1;
	rc = sqlite3_exec(db, sql, NULL, NULL, &msg);
	if (rc != SQLITE_OK)
		printf("# %s\n", msg ? msg : "sqlite3_exec failed");
	sqlite3_free(msg);
	sqlite3_close(db);
	return rc == SQLITE_OK ? 0 : -1;
}

/* Version 5 had neither services column and two more indexes; the rows
 * are those glance 5 wrote (its record path made the same ones). */
static const char to_v5[] = "ALTER TABLE services DROP COLUMN fail_since;"
                            "ALTER TABLE services DROP COLUMN open_iv;"
                            "CREATE INDEX results_t ON results(t);"
                            "CREATE INDEX svc_intervals_open ON svc_intervals(system, service)"
                            " WHERE end IS NULL;"
                            "PRAGMA user_version = 5;";

static void
test_migration_v5(void)
{
	struct store *s = open_store();

	if (!ok(s != NULL, "a new store"))
		return;
	result(s, "SMTP", GL_OK, true, T0);
	result(s, "SMTP", GL_CRITICAL, false, T0 + 60);
	result(s, "SMTP", GL_CRITICAL, false, T0 + 120);
	result(s, "SMTP", GL_CRITICAL, true, T0 + 180);
	result(s, "IMAP", GL_OK, true, T0);
	result(s, "IMAP", GL_CRITICAL, false, T0 + 90); /* SOFT, not yet HARD */
	result(s, "POP3", GL_OK, true, T0);
	store_close(s);
	ok(exec(to_v5) == 0, "the store set back to schema 5");
	is_query("PRAGMA user_version", "5", "at version 5");
	s = open_store();
	if (!ok(s != NULL, "a schema 5 store opens"))
		return;
	is_int(store_schema_version(s), 6, "and is migrated to 6");
	is_query("SELECT service, fail_since FROM services ORDER BY service",
	         "IMAP|1790000090\nPOP3|0\nSMTP|1790000060",
	         "each problem's first failure comes from its results; 0 for OK");
	is_query("SELECT s.service FROM services s JOIN svc_intervals i ON i.id = s.open_iv"
	         " WHERE i.end IS NULL AND i.system = s.system AND i.service = s.service"
	         " ORDER BY 1",
	         "IMAP\nPOP3\nSMTP", "each row names its open interval");
	is_query("SELECT count(*) FROM sqlite_master WHERE name IN ('results_t',"
	         " 'svc_intervals_open')",
	         "0", "the two indexes are gone");
	is_query("SELECT count(*), min(t), max(t) FROM results", "7|1790000000|1790000180",
	         "every result kept");
	is_query("SELECT state, start, coalesce(end, '-') FROM svc_intervals"
	         " WHERE service = 'SMTP' ORDER BY start",
	         "0|1790000000|1790000060\n2|1790000060|-", "the intervals kept");
	/* the migrated rows carry on */
	is_int(result(s, "SMTP", GL_OK, true, T0 + 300), 1, "a recovery after the migration");
	is_int(result(s, "IMAP", GL_CRITICAL, true, T0 + 150), 1,
	       "a SOFT problem becomes HARD");
	store_close(s);
	is_query("SELECT state, start, coalesce(end, '-') FROM svc_intervals"
	         " WHERE service = 'SMTP' ORDER BY start",
	         "0|1790000000|1790000060\n2|1790000060|1790000300\n0|1790000300|-",
	         "the open interval of before is the one closed");
	is_query("SELECT state, start, coalesce(end, '-') FROM svc_intervals"
	         " WHERE service = 'IMAP' ORDER BY start",
	         "0|1790000000|1790000090\n2|1790000090|-",
	         "the outage dates from the first failure before the migration");
}

/* Rows kept during a transaction: read through, written at commit,
 * gone with a rollback. */
static void
test_pending(void)
{
	struct store *s = open_store();
	struct svc_row row;

	if (!ok(s != NULL, "store reopened"))
		return;
	ok(store_begin(s) == 0, "a transaction");
	is_int(result(s, "POP3", GL_CRITICAL, false, T0 + 400), 0, "a SOFT result in it");
	is_int(store_get_service(s, "mail1", "POP3", &row), 1, "the service read in it");
	ok(row.st.state == GL_CRITICAL && !row.st.hard && row.st.last_check == T0 + 400,
	   "shows the result not yet committed");
	is_str(row.output, "SMTP CRITICAL", "with its output");
	svc_row_free(&row);
	is_query("SELECT state FROM services WHERE service = 'POP3'", "0",
	         "another connection sees the row as committed");
	store_rollback(s);
	is_int(store_get_service(s, "mail1", "POP3", &row), 1, "after a rollback");
	ok(row.st.state == GL_OK && row.st.last_check == T0, "the committed state again");
	svc_row_free(&row);
	ok(store_begin(s) == 0, "another transaction");
	result(s, "POP3", GL_CRITICAL, false, T0 + 400);
	result(s, "POP3", GL_CRITICAL, true, T0 + 460);
	ok(store_commit(s) == 0, "committed");
	is_query("SELECT state, hard, hard_state, hard_since, last_check, fail_since"
	         " FROM services WHERE service = 'POP3'",
	         "2|1|2|1790000400|1790000460|1790000400",
	         "the row written once at commit, with its problem's start");
	is_query("SELECT count(*) FROM results WHERE service = 'POP3'", "3",
	         "the rolled back result is not there, the others are");
	store_close(s);
}

/* A result older than the service's last one (an engine's late
 * result): the run of failures is read from the results. */
static void
test_out_of_order(void)
{
	struct store *s = open_store();

	if (!ok(s != NULL, "store reopened"))
		return;
	result(s, "HTTP", GL_OK, true, T0);
	result(s, "HTTP", GL_CRITICAL, false, T0 + 300);
	result(s, "HTTP", GL_CRITICAL, false, T0 + 200); /* late */
	is_int(result(s, "HTTP", GL_CRITICAL, true, T0 + 400), 1, "HARD after a late result");
	store_close(s);
	is_query("SELECT state, start FROM svc_intervals WHERE service = 'HTTP'"
	         " AND end IS NULL",
	         "2|1790000200", "the outage starts at the earliest failure after the OK");
}

/* More results in one transaction than wait at once for their insert
 * (a batch of the Nagios log): every one lands, in its service's time
 * order, and their HARD changes still date from the first failure. */
static void
test_long_batch(void)
{
	struct store *s = open_store();
	int changes = 0;

	if (!ok(s != NULL, "store reopened"))
		return;
	ok(store_begin(s) == 0, "one transaction");
	for (int i = 0; i < 20000; i++) {
		/* IMAPS and POP3S alternate; every 100th of them fails for 3 */
		int k = i / 2 % 100;
		enum gl_state st = k < 3 ? GL_CRITICAL : GL_OK;
		changes += result(s, i % 2 ? "POP3S" : "IMAPS", st, k != 0 && k != 1,
		                  T0 + 1000 + i / 2 * 10);
	}
	ok(store_commit(s) == 0, "committed");
	store_close(s);
	is_int(changes, 2 * 100 * 2,
	       "every HARD change reported: 100 outages and recoveries each");
	is_query("SELECT count(*), count(DISTINCT t) FROM results WHERE service = 'IMAPS'",
	         "10000|10000", "all 10000 results of a service stored");
	is_query("SELECT count(*) FROM (SELECT id, t, lag(t) OVER (ORDER BY id) AS p"
	         " FROM results WHERE service = 'POP3S') WHERE t <= p",
	         "0", "a service's results are stored in time order");
	/* the first failure of each outage is at a multiple of 1000 s */
	is_query("SELECT count(*), sum((start - 1790001000) % 1000 = 0),"
	         " sum(end - start = 30) FROM svc_intervals WHERE service = 'POP3S'"
	         " AND state = 2",
	         "100|100|100", "each outage runs from its first SOFT failure to the recovery");
}

static void
test_prune(void)
{
	struct store *s = open_store();

	if (!ok(s != NULL, "store reopened"))
		return;
	ok(store_prune(s, T0 + 100) == 0, "pruned");
	store_close(s);
	is_query("SELECT count(*) FROM results WHERE t < 1790000100", "0",
	         "no result before the cut is left");
	is_query("SELECT count(*) FROM results", "9", "the later ones stay");
}

int
main(void)
{
	if (tmp_store_init() != 0)
		return 1;
	test_migration_v5();
	test_pending();
	test_out_of_order();
	test_prune();
	test_long_batch();
	tmp_store_remove();
	return done_testing();
}

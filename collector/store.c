/* SQLite history store (the design is in store.h). Statements are
 * prepared per call, except those an ingest runs over and over (the
 * Q_ ones): it records hundreds of thousands of results in a row, and
 * preparing them each time cost more than the writes. Those stay
 * prepared for the life of the handle (SQLite recompiles a prepared
 * statement itself when the schema changes). */
#include "store.h"

#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "strbuf.h"

/* The statements kept prepared: store_record's, and those an ingest
 * runs for every window and every batch of the engine's log. */
enum {
	Q_GET_SERVICE,
	Q_GET_STATE,
	Q_ADD_RESULT,
	Q_PUT_SERVICE,
	Q_CLOSE_IV,
	Q_CLOSE_IV_ANY,
	Q_OPEN_IV,
	Q_ADD_IV,
	Q_PROBLEM,
	Q_PUT_SYSTEM,
	Q_PUT_CHECK,
	Q_DT_ADD,
	Q_DT_FINISH,
	Q_DT_INCIDENT,
	Q_DT_WINDOW,
	Q_NOTICE_ADD,
	Q_NOTICE_INCIDENT,
	Q_POS_SET,
	Q_IWIN_ADD,
	Q_IWIN_SET,
	Q_N
};

/* A services row as store_record left it in the open transaction: the
 * row is written once, when the transaction commits, not once per
 * result (an ingest records thousands of results of each service in
 * one transaction, and the upsert of the row was half its work). */
struct svc_ent {
	char *system, *service; /* NULL: a free slot */
	struct svc_state st;
	time_t fail_since; /* the first failed result since the last OK; 0 while OK */
	int64_t open_iv;   /* the open HARD interval's id; 0: none known */
	/* an interval opened in this transaction is written when it closes
	 * (one insert, not an insert and an update) or at commit */
	bool iv_pending;
	int iv_state;
	time_t iv_start;
	char *output, *perfdata;
	size_t output_cap, perfdata_cap;
};

/* The rows of the open transaction by (system, service): open
 * addressing, at most half full. Emptied at commit and rollback, so it
 * never outlives the write lock that keeps other writers out, and holds
 * at most one entry per service. */
struct svc_cache {
	struct svc_ent *slot;
	size_t cap, n;
};

/* A result of the open transaction not inserted yet. */
struct res_row {
	const char *system, *service; /* its svc_ent's, kept until commit */
	char *output, *long_output, *perfdata;
	size_t output_cap, long_output_cap, perfdata_cap;
	time_t t;
	int state, hard, attempt, duration_ms;
	size_t seq; /* arrival, so results of one second keep their order */
};

/* Results wait here and go in RES_BATCH at a time ordered by service and
 * time: one after the other in arrival order, each lands on another
 * service's index page, and those page searches were the largest cost
 * of an ingest. Inserted before commit and before any query of results;
 * dropped by rollback. The rows and their buffers are reused. */
#define RES_BATCH 16384
struct res_buf {
	struct res_row *v, **ord;
	size_t n, seq;
};

struct store {
	sqlite3 *db;
	sqlite3_stmt *q[Q_N];
	int depth; /* store_begin nesting */
	struct svc_cache svc;
	struct res_buf res;
	char err[256];
};

static int svc_flush(struct store *s);
static void svc_clear(struct svc_cache *c);
static int res_flush(struct store *s);
static void res_free(struct res_buf *b);

/* One entry per schema version: migrations[i] upgrades version i to i+1. */
static const char *const migrations[] = {
        "CREATE TABLE results ("
        "  id INTEGER PRIMARY KEY, system TEXT NOT NULL, service TEXT NOT NULL,"
        "  t INTEGER NOT NULL, state INTEGER NOT NULL, hard INTEGER NOT NULL,"
        "  attempt INTEGER NOT NULL, output TEXT NOT NULL, long_output TEXT NOT NULL,"
        "  perfdata TEXT NOT NULL, duration_ms INTEGER NOT NULL);"
        "CREATE INDEX results_t ON results(t);"
        "CREATE INDEX results_svc ON results(system, service, t);"
        "CREATE TABLE services ("
        "  system TEXT NOT NULL, service TEXT NOT NULL, state INTEGER NOT NULL,"
        "  hard INTEGER NOT NULL, attempt INTEGER NOT NULL, has_hard INTEGER NOT NULL,"
        "  hard_state INTEGER NOT NULL, hard_since INTEGER NOT NULL,"
        "  last_check INTEGER NOT NULL, output TEXT NOT NULL, perfdata TEXT NOT NULL,"
        "  PRIMARY KEY (system, service));"
        "CREATE TABLE svc_intervals ("
        "  id INTEGER PRIMARY KEY, system TEXT NOT NULL, service TEXT NOT NULL,"
        "  state INTEGER NOT NULL, start INTEGER NOT NULL, end INTEGER);"
        "CREATE INDEX svc_intervals_k ON svc_intervals(system, service, start);"
        "CREATE TABLE sys_intervals ("
        "  id INTEGER PRIMARY KEY, system TEXT NOT NULL,"
        "  status INTEGER NOT NULL, start INTEGER NOT NULL, end INTEGER);"
        "CREATE INDEX sys_intervals_k ON sys_intervals(system, start);"
        "CREATE TABLE downtimes ("
        "  id INTEGER PRIMARY KEY, system TEXT NOT NULL, start INTEGER NOT NULL,"
        "  end INTEGER NOT NULL, ended INTEGER NOT NULL DEFAULT 0,"
        "  cancelled INTEGER NOT NULL DEFAULT 0, reason TEXT NOT NULL,"
        "  created INTEGER NOT NULL, incident INTEGER NOT NULL DEFAULT 0);"
        "CREATE TABLE notices ("
        "  id INTEGER PRIMARY KEY, incident INTEGER NOT NULL, system TEXT,"
        "  kind INTEGER NOT NULL, state INTEGER NOT NULL, maint INTEGER NOT NULL,"
        "  title TEXT NOT NULL, body TEXT NOT NULL, posted INTEGER NOT NULL,"
        "  starts INTEGER NOT NULL, ends INTEGER NOT NULL, tags TEXT NOT NULL,"
        "  retracted INTEGER NOT NULL DEFAULT 0, key TEXT UNIQUE);",
        /* 2: a window's own title ("Emergency maintenance") for its notices */
        "ALTER TABLE downtimes ADD COLUMN title TEXT NOT NULL DEFAULT '';",
        /* 3: a system's status is rebuilt from its checks' history on
         * every pass, so passes no longer record it */
        "DROP TABLE IF EXISTS sys_intervals;",
        /* 4: an incident's impact (none, degraded, partial, major) and the
         * other systems one incident names (a parent's outage) */
        "ALTER TABLE notices ADD COLUMN impact INTEGER NOT NULL DEFAULT 0;"
        "ALTER TABLE notices ADD COLUMN affected TEXT;",
        /* 5: ingest from Nagios or Icinga 2: how far each source's log was
         * read, the engine's downtime behind each maintenance window, and
         * the systems it described; and the open HARD interval of a
         * service found without visiting its closed ones (an ingest closes
         * one per HARD change, and a long history made that quadratic) */
        "CREATE TABLE ingest_pos ("
        "  source TEXT PRIMARY KEY, inode INTEGER NOT NULL, offset INTEGER NOT NULL,"
        "  line INTEGER NOT NULL, head TEXT NOT NULL, last_t INTEGER NOT NULL);"
        "CREATE TABLE ingest_windows ("
        "  downtime INTEGER PRIMARY KEY, source TEXT NOT NULL, host TEXT NOT NULL,"
        "  ext_id TEXT NOT NULL, start INTEGER NOT NULL, end INTEGER NOT NULL,"
        "  comment TEXT NOT NULL, fixed INTEGER NOT NULL, duration INTEGER NOT NULL,"
        "  entry INTEGER NOT NULL, state INTEGER NOT NULL);"
        "CREATE INDEX ingest_windows_open ON ingest_windows(source, state);"
        "CREATE INDEX svc_intervals_open ON svc_intervals(system, service)"
        "  WHERE end IS NULL;"
        "CREATE TABLE ingest_systems ("
        "  ord INTEGER PRIMARY KEY, source TEXT NOT NULL, id TEXT NOT NULL UNIQUE,"
        "  name TEXT NOT NULL, location TEXT, role TEXT, internal INTEGER NOT NULL,"
        "  ping TEXT, services TEXT NOT NULL, parent TEXT);"
        "CREATE TABLE ingest_checks ("
        "  source TEXT NOT NULL, system TEXT NOT NULL, service TEXT NOT NULL,"
        "  interval INTEGER NOT NULL, retry INTEGER NOT NULL, attempts INTEGER NOT NULL,"
        "  timeout INTEGER NOT NULL, impact_warning INTEGER NOT NULL,"
        "  impact_critical INTEGER NOT NULL, PRIMARY KEY (system, service));",
        /* 6: a service's row keeps when its current problem began and
         * which HARD interval is open, so recording a result needs no
         * search of its results or intervals; the partial index that
         * found the open interval goes, */
        "ALTER TABLE services ADD COLUMN fail_since INTEGER NOT NULL DEFAULT 0;"
        "ALTER TABLE services ADD COLUMN open_iv INTEGER NOT NULL DEFAULT 0;"
        "UPDATE services SET open_iv = coalesce((SELECT max(i.id) FROM svc_intervals i"
        "  WHERE i.system = services.system AND i.service = services.service"
        "  AND i.end IS NULL), 0),"
        " fail_since = CASE WHEN state = 0 THEN 0 ELSE (SELECT coalesce(min(r.t),"
        "  services.last_check) FROM results r WHERE r.system = services.system"
        "  AND r.service = services.service AND r.t <= services.last_check"
        "  AND r.t > coalesce((SELECT max(o.t) FROM results o"
        "  WHERE o.system = services.system AND o.service = services.service"
        "  AND o.state = 0 AND o.t <= services.last_check), -1)) END;"
        "DROP INDEX svc_intervals_open;"
        /* and the results' index by time goes: only pruning read it, and
         * it cost every result an index insert */
        "DROP INDEX results_t;",
};

__attribute__((format(printf, 2, 3))) static int
fail(struct store *s, const char *fmt, ...)
{
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	vsnprintf(s->err, sizeof s->err, fmt, ap);
	va_end(ap);
	n = strlen(s->err);
	if (s->db != NULL && n + 3 < sizeof s->err)
		snprintf(s->err + n, sizeof s->err - n, ": %s", sqlite3_errmsg(s->db));
	return -1;
}

static int
exec_sql(struct store *s, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		snprintf(s->err, sizeof s->err, "%s", msg ? msg : "sqlite3_exec failed");
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

/* Binds the arguments described by types: 'i' int64, 't' time_t,
 * 's' text (NULL binds NULL), 'd' int. Texts are copied unless keep:
 * a kept statement is stepped and reset (done) before its caller's
 * strings go, so SQLite may read them where they are. */
static int
bind_args(sqlite3_stmt *st, bool keep, const char *types, va_list ap)
{
	int rc = SQLITE_OK;

	for (int i = 0; types[i] != '\0' && rc == SQLITE_OK; i++) {
		switch (types[i]) {
		case 'i': rc = sqlite3_bind_int64(st, i + 1, va_arg(ap, int64_t)); break;
		case 't':
			rc = sqlite3_bind_int64(st, i + 1, (int64_t)va_arg(ap, time_t));
			break;
		case 'd': rc = sqlite3_bind_int(st, i + 1, va_arg(ap, int)); break;
		default:
			rc = sqlite3_bind_text(st, i + 1, va_arg(ap, const char *), -1,
			                       keep ? SQLITE_STATIC : SQLITE_TRANSIENT);
			break;
		}
	}
	return rc;
}

/* Prepares sql and binds the arguments (bind_args). */
static sqlite3_stmt *
prep(struct store *s, const char *sql, const char *types, ...)
{
	sqlite3_stmt *st;
	va_list ap;
	int rc;

	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) {
		fail(s, "prepare");
		return NULL;
	}
	va_start(ap, types);
	rc = bind_args(st, false, types, ap);
	va_end(ap);
	if (rc != SQLITE_OK) {
		fail(s, "bind");
		sqlite3_finalize(st);
		return NULL;
	}
	return st;
}

/* The same for a kept statement q: prepared on first use, then reset
 * and bound again. Give it back with done(). */
static sqlite3_stmt *
prepq(struct store *s, int q, const char *sql, const char *types, ...)
{
	va_list ap;
	int rc;

	if (s->q[q] == NULL && sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT,
	                                          &s->q[q], NULL) != SQLITE_OK) {
		s->q[q] = NULL;
		fail(s, "prepare");
		return NULL;
	}
	va_start(ap, types);
	rc = bind_args(s->q[q], true, types, ap);
	va_end(ap);
	if (rc != SQLITE_OK) {
		fail(s, "bind");
		sqlite3_reset(s->q[q]);
		return NULL;
	}
	return s->q[q];
}

/* Finalizes a statement of prep(), resets one of prepq(). */
static void
done(struct store *s, sqlite3_stmt *st)
{
	for (int i = 0; i < Q_N; i++)
		if (s->q[i] == st) {
			sqlite3_reset(st);
			sqlite3_clear_bindings(st);
			return;
		}
	sqlite3_finalize(st);
}

/* Steps a statement that returns no rows, and gives it back (done). */
static int
run(struct store *s, sqlite3_stmt *st)
{
	int rc;

	if (st == NULL)
		return -1;
	rc = sqlite3_step(st);
	done(s, st);
	return rc == SQLITE_DONE ? 0 : fail(s, "step");
}

static char *
col_text(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	return t ? xstrdup((const char *)t) : NULL;
}

static int
migrate(struct store *s)
{
	int v = store_schema_version(s);
	int n = (int)(sizeof migrations / sizeof migrations[0]);
	char sql[64];

	if (v < 0)
		return -1;
	if (v > n) {
		snprintf(s->err, sizeof s->err,
		         "database schema version %d is newer than this glance (%d)", v, n);
		return -1;
	}
	for (; v < n; v++) {
		if (exec_sql(s, "BEGIN IMMEDIATE") != 0)
			return -1;
		snprintf(sql, sizeof sql, "PRAGMA user_version = %d", v + 1);
		if (exec_sql(s, migrations[v]) != 0 || exec_sql(s, sql) != 0) {
			exec_sql(s, "ROLLBACK");
			return -1;
		}
		if (exec_sql(s, "COMMIT") != 0)
			return -1;
	}
	return 0;
}

int
store_open(const char *path, bool sync_full, struct store **out, char *err, size_t errlen)
{
	struct store *s = xcalloc(1, sizeof *s);
	/* no mutexes: a handle is used by one thread, and taking them around
	 * every call was a twentieth of an ingest's time */
	int rc = sqlite3_open_v2(
	        path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
	        NULL);

	*out = NULL;
	if (rc != SQLITE_OK) {
		snprintf(err, errlen, "%s: %s", path,
		         s->db ? sqlite3_errmsg(s->db) : "cannot open");
		store_close(s);
		return -1;
	}
	sqlite3_busy_timeout(s->db, 10000);
	if (exec_sql(s, "PRAGMA journal_mode = WAL") != 0 ||
	    exec_sql(s, sync_full ? "PRAGMA synchronous = FULL"
	                          : "PRAGMA synchronous = NORMAL") != 0 ||
	    /* 16 MiB of page cache (the default is 2): an ingest's inserts
	     * touch index pages all over a large history, and re-reading
	     * them from the file cost more than the writes */
	    exec_sql(s, "PRAGMA cache_size = -16384") != 0 || migrate(s) != 0) {
		snprintf(err, errlen, "%s: %s", path, s->err);
		store_close(s);
		return -1;
	}
	*out = s;
	return 0;
}

void
store_close(struct store *s)
{
	if (s == NULL)
		return;
	for (int i = 0; i < Q_N; i++)
		sqlite3_finalize(s->q[i]);
	res_free(&s->res);
	svc_clear(&s->svc);
	free(s->svc.slot);
	sqlite3_close(s->db);
	free(s);
}

const char *
store_error(const struct store *s)
{
	return s->err;
}

int
store_schema_version(struct store *s)
{
	sqlite3_stmt *st = prep(s, "PRAGMA user_version", "");
	int v = -1;

	if (st == NULL)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

int
store_begin(struct store *s)
{
	if (s->depth++ > 0)
		return 0;
	if (exec_sql(s, "BEGIN IMMEDIATE") != 0) {
		s->depth = 0;
		return -1;
	}
	return 0;
}

/* The services rows store_record kept go in before COMMIT. On failure
 * the transaction stays open for store_rollback. */
int
store_commit(struct store *s)
{
	if (s->depth == 0 || --s->depth > 0)
		return 0;
	if (svc_flush(s) != 0 || exec_sql(s, "COMMIT") != 0) {
		s->depth = sqlite3_get_autocommit(s->db) ? 0 : 1;
		return -1;
	}
	svc_clear(&s->svc);
	return 0;
}

void
store_rollback(struct store *s)
{
	s->res.n = 0; /* its rows name the services svc_clear frees */
	svc_clear(&s->svc);
	if (s->depth == 0)
		return;
	s->depth = 0;
	exec_sql(s, "ROLLBACK");
}

/* The state columns of a services row, first in both selects. */
static void
state_read(sqlite3_stmt *st, struct svc_row *row)
{
	row->st.checked = true;
	row->st.state = (enum gl_state)sqlite3_column_int(st, 0);
	row->st.hard = sqlite3_column_int(st, 1) != 0;
	row->st.attempt = sqlite3_column_int(st, 2);
	row->st.has_hard = sqlite3_column_int(st, 3) != 0;
	row->st.hard_state = (enum gl_state)sqlite3_column_int(st, 4);
	row->st.hard_since = (time_t)sqlite3_column_int64(st, 5);
	row->st.last_check = (time_t)sqlite3_column_int64(st, 6);
}

static int
service_row_read(struct store *s, const char *system, const char *service, struct svc_row *row)
{
	sqlite3_stmt *st =
	        prepq(s, Q_GET_SERVICE,
	              "SELECT state, hard, attempt, has_hard, hard_state, hard_since,"
	              " last_check, output, perfdata FROM services"
	              " WHERE system = ? AND service = ?",
	              "ss", system, service);
	int rc;

	memset(row, 0, sizeof *row);
	if (st == NULL)
		return -1;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		state_read(st, row);
		row->output = col_text(st, 7);
		row->perfdata = col_text(st, 8);
	}
	done(s, st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return fail(s, "reading service %s/%s", system, service);
	return rc == SQLITE_ROW;
}

void
svc_row_free(struct svc_row *row)
{
	free(row->output);
	free(row->perfdata);
	row->output = row->perfdata = NULL;
}

size_t
store_key_hash(const char *system, const char *service)
{
	uint64_t h = 1469598103934665603ULL; /* FNV-1a over "system\0service" */

	for (const char *p = system; *p != '\0'; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	h *= 1099511628211ULL;
	for (const char *p = service; *p != '\0'; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	return (size_t)h;
}

/* The slot of (system, service): its entry, or the free slot where it
 * goes. The table has a free slot: svc_grow keeps it half empty. */
static struct svc_ent *
svc_slot(const struct svc_cache *c, const char *system, const char *service)
{
	size_t j = store_key_hash(system, service) & (c->cap - 1);

	while (c->slot[j].system != NULL && (strcmp(c->slot[j].system, system) != 0 ||
	                                     strcmp(c->slot[j].service, service) != 0))
		j = (j + 1) & (c->cap - 1);
	return &c->slot[j];
}

static struct svc_ent *
svc_find(const struct svc_cache *c, const char *system, const char *service)
{
	struct svc_ent *e = c->n > 0 ? svc_slot(c, system, service) : NULL;

	return e != NULL && e->system != NULL ? e : NULL;
}

static void
svc_grow(struct svc_cache *c)
{
	struct svc_cache old = *c;

	if ((c->n + 1) * 2 <= c->cap)
		return;
	c->cap = c->cap ? c->cap * 2 : 64;
	c->slot = xcalloc(c->cap, sizeof *c->slot);
	for (size_t i = 0; i < old.cap; i++)
		if (old.slot[i].system != NULL)
			*svc_slot(c, old.slot[i].system, old.slot[i].service) = old.slot[i];
	free(old.slot);
}

/* Forgets the transaction's rows; the table keeps its size. */
static void
svc_clear(struct svc_cache *c)
{
	for (size_t i = 0; c->n > 0 && i < c->cap; i++) {
		struct svc_ent *e = &c->slot[i];
		if (e->system == NULL)
			continue;
		free(e->system);
		free(e->service);
		free(e->output);
		free(e->perfdata);
		memset(e, 0, sizeof *e);
		c->n--;
	}
}

/* Copies v into a buffer of *cap bytes kept from result to result. */
static void
text_set(char **p, size_t *cap, const char *v)
{
	size_t n = strlen(v) + 1;

	if (n > *cap) {
		*p = xrealloc(*p, n);
		*cap = n;
	}
	memcpy(*p, v, n);
}

/* Writes the interval a service opened in this transaction, still open. */
static int
iv_flush(struct store *s, struct svc_ent *e)
{
	if (!e->iv_pending)
		return 0;
	if (run(s, prepq(s, Q_OPEN_IV,
	                 "INSERT INTO svc_intervals (system, service, state, start)"
	                 " VALUES (?, ?, ?, ?)",
	                 "ssdt", e->system, e->service, e->iv_state, e->iv_start)) != 0)
		return -1;
	e->open_iv = sqlite3_last_insert_rowid(s->db);
	e->iv_pending = false;
	return 0;
}

/* Writes the transaction's waiting results, then its services rows and
 * open intervals: an upsert, as REPLACE would delete the row and insert
 * it again. The entries stay (pruning flushes in the middle of a
 * transaction). */
static int
svc_flush(struct store *s)
{
	const struct svc_cache *c = &s->svc;
	int rc = res_flush(s);

	for (size_t i = 0; rc == 0 && c->n > 0 && i < c->cap; i++) {
		struct svc_ent *e = &c->slot[i];
		if (e->system == NULL || (rc = iv_flush(s, e)) != 0)
			continue;
		rc = run(
		        s,
		        prepq(s, Q_PUT_SERVICE,
		              "INSERT INTO services (system, service, state, hard, attempt,"
		              " has_hard, hard_state, hard_since, last_check, output,"
		              " perfdata, fail_since, open_iv)"
		              " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
		              " ON CONFLICT (system, service) DO UPDATE SET"
		              " state = excluded.state, hard = excluded.hard,"
		              " attempt = excluded.attempt, has_hard = excluded.has_hard,"
		              " hard_state = excluded.hard_state,"
		              " hard_since = excluded.hard_since,"
		              " last_check = excluded.last_check, output = excluded.output,"
		              " perfdata = excluded.perfdata, fail_since = excluded.fail_since,"
		              " open_iv = excluded.open_iv",
		              "ssddddddtssti", e->system, e->service, (int)e->st.state,
		              (int)e->st.hard, e->st.attempt, (int)e->st.has_hard,
		              (int)e->st.hard_state, e->st.hard_since, e->st.last_check,
		              e->output, e->perfdata, e->fail_since, e->open_iv));
	}
	return rc;
}

/* A service's state as stored, into a new entry: all store_record
 * needs, without the texts (copying them per result was a tenth of an
 * ingest's time). A service with no row yet has no state. */
static int
svc_load(struct store *s, struct svc_ent *e, const char *system, const char *service)
{
	sqlite3_stmt *st =
	        prepq(s, Q_GET_STATE,
	              "SELECT state, hard, attempt, has_hard, hard_state, hard_since,"
	              " last_check, fail_since, open_iv FROM services"
	              " WHERE system = ? AND service = ?",
	              "ss", system, service);
	struct svc_row row = {0};
	int rc;

	memset(e, 0, sizeof *e); /* a free slot, maybe from a failed load */
	if (st == NULL)
		return -1;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		state_read(st, &row);
		e->fail_since = (time_t)sqlite3_column_int64(st, 7);
		e->open_iv = sqlite3_column_int64(st, 8);
	}
	done(s, st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return fail(s, "reading service %s/%s", system, service);
	e->st = row.st;
	e->system = xstrdup(system);
	e->service = xstrdup(service);
	text_set(&e->output, &e->output_cap, "");
	text_set(&e->perfdata, &e->perfdata_cap, "");
	return 0;
}

/* The entry of r's service, read from the store on first use in the
 * transaction. */
static struct svc_ent *
svc_get(struct store *s, const struct gl_result *r)
{
	struct svc_ent *e = svc_find(&s->svc, r->system, r->service);

	if (e != NULL)
		return e;
	svc_grow(&s->svc);
	e = svc_slot(&s->svc, r->system, r->service);
	if (svc_load(s, e, r->system, r->service) != 0)
		return NULL;
	s->svc.n++;
	return e;
}

/* The pending row of a service for store_get_service: 1 and row filled
 * when the open transaction recorded a result of it, else 0. */
static int
svc_pending_row(struct store *s, const char *system, const char *service, struct svc_row *row)
{
	const struct svc_ent *e = svc_find(&s->svc, system, service);

	if (e == NULL || !e->st.checked)
		return 0;
	row->st = e->st;
	row->output = xstrdup(e->output);
	row->perfdata = xstrdup(e->perfdata);
	return 1;
}

int
store_get_service(struct store *s, const char *system, const char *service, struct svc_row *row)
{
	if (svc_pending_row(s, system, service, row))
		return 1;
	return service_row_read(s, system, service, row);
}

/* When the run of failures that r belongs to began, from the results
 * themselves: its first failed result after the last OK one up to r
 * (the index results_svc serves both the max and the min). Only for a
 * result older than the service's last one; in order, the row's
 * fail_since follows along. */
static int
fail_since_query(struct store *s, const struct gl_result *r, time_t *since)
{
	int64_t v = (int64_t)r->t;
	sqlite3_stmt *st =
	        res_flush(s) != 0
	                ? NULL
	                : prepq(s, Q_PROBLEM,
	                        "SELECT coalesce(min(t), ?3) FROM results WHERE system = ?1"
	                        " AND service = ?2 AND t <= ?3 AND t > coalesce((SELECT max(t)"
	                        " FROM results WHERE system = ?1 AND service = ?2 AND state = 0"
	                        " AND t <= ?3), -1)",
	                        "sst", r->system, r->service, r->t);
	int rc;

	if (st == NULL)
		return -1;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	done(s, st);
	if (rc != SQLITE_ROW)
		return fail(s, "reading results");
	*since = (time_t)v;
	return 0;
}

/* fail_since after r (recorded already): 0 when r is OK, else the first
 * failed result of its run, SOFT attempts included ("an outage starts
 * at the first failed check"). */
static int
fail_since_next(struct store *s, const struct svc_ent *e, const struct gl_result *r,
                time_t *since)
{
	*since = e->fail_since;
	if (r->state == GL_OK)
		*since = 0;
	else if (e->st.checked && r->t < e->st.last_check)
		return fail_since_query(s, r, since);
	else if (e->fail_since == 0)
		*since = r->t;
	return 0;
}

/* Closes the open HARD state interval of a service and opens the next
 * (written when it closes, or at commit). One opened in this transaction
 * is written closed; a service whose row names no open interval (its
 * first HARD state, or a row written by other means) has it looked up
 * by service. */
static int
interval_switch(struct store *s, struct svc_ent *e, int state, time_t t)
{
	int rc;

	if (e->iv_pending)
		rc = run(s,
		         prepq(s, Q_ADD_IV,
		               "INSERT INTO svc_intervals (system, service, state, start, end)"
		               " VALUES (?, ?, ?, ?, max(?4, ?5))",
		               "ssdtt", e->system, e->service, e->iv_state, e->iv_start, t));
	else if (e->open_iv > 0)
		rc = run(s, prepq(s, Q_CLOSE_IV,
		                  "UPDATE svc_intervals SET end = max(start, ?)"
		                  " WHERE id = ? AND end IS NULL",
		                  "ti", t, e->open_iv));
	else
		rc = run(s, prepq(s, Q_CLOSE_IV_ANY,
		                  "UPDATE svc_intervals SET end = max(start, ?)"
		                  " WHERE system = ? AND service = ? AND end IS NULL",
		                  "tss", t, e->system, e->service));
	if (rc != 0)
		return -1;
	e->iv_pending = true;
	e->iv_state = state;
	e->iv_start = t;
	e->open_iv = 0;
	return 0;
}

static int
res_cmp(const void *a, const void *b)
{
	const struct res_row *x = *(const struct res_row *const *)a,
	                     *y = *(const struct res_row *const *)b;
	/* one service's rows share its entry's copy of the names */
	int c = x->system == y->system ? 0 : strcmp(x->system, y->system);

	if (c == 0 && x->service != y->service)
		c = strcmp(x->service, y->service);
	if (c == 0)
		c = (x->t > y->t) - (x->t < y->t);
	return c != 0 ? c : (x->seq > y->seq) - (x->seq < y->seq);
}

/* Inserts the waiting results, by service and time. */
static int
res_flush(struct store *s)
{
	struct res_buf *b = &s->res;
	int rc = 0;

	if (b->n == 0)
		return 0;
	for (size_t i = 0; i < b->n; i++)
		b->ord[i] = &b->v[i];
	qsort(b->ord, b->n, sizeof *b->ord, res_cmp);
	for (size_t i = 0; rc == 0 && i < b->n; i++) {
		const struct res_row *w = b->ord[i];
		rc = run(s,
		         prepq(s, Q_ADD_RESULT,
		               "INSERT INTO results (system, service, t, state, hard, attempt,"
		               " output, long_output, perfdata, duration_ms)"
		               " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		               "sstdddsssd", w->system, w->service, w->t, w->state, w->hard,
		               w->attempt, w->output, w->long_output, w->perfdata,
		               w->duration_ms));
	}
	b->n = 0;
	return rc;
}

static void
res_free(struct res_buf *b)
{
	for (size_t i = 0; b->v != NULL && i < RES_BATCH; i++) {
		free(b->v[i].output);
		free(b->v[i].long_output);
		free(b->v[i].perfdata);
	}
	free(b->v);
	free(b->ord);
	*b = (struct res_buf){0};
}

/* Queues r, a result of e's service; a full queue goes in. */
static int
add_result(struct store *s, const struct svc_ent *e, const struct gl_result *r)
{
	struct res_buf *b = &s->res;
	struct res_row *w;

	if (b->v == NULL) {
		b->v = xcalloc(RES_BATCH, sizeof *b->v);
		b->ord = xcalloc(RES_BATCH, sizeof *b->ord);
	}
	if (b->n == RES_BATCH && res_flush(s) != 0)
		return -1;
	w = &b->v[b->n++];
	w->system = e->system;
	w->service = e->service;
	text_set(&w->output, &w->output_cap, r->output ? r->output : "");
	text_set(&w->long_output, &w->long_output_cap, r->long_output ? r->long_output : "");
	text_set(&w->perfdata, &w->perfdata_cap, r->perfdata ? r->perfdata : "");
	w->t = r->t;
	w->state = (int)r->state;
	w->hard = (int)r->hard;
	w->attempt = r->attempt;
	w->duration_ms = r->duration_ms;
	w->seq = b->seq++;
	return 0;
}

/* The entry after r, a HARD change beginning at start. */
static void
svc_update(struct svc_ent *e, const struct gl_result *r, bool changed, time_t start,
           time_t fail_since)
{
	e->st.checked = true;
	e->st.state = r->state;
	e->st.hard = r->hard;
	e->st.attempt = r->attempt;
	e->st.last_check = r->t;
	if (changed) {
		e->st.has_hard = true;
		e->st.hard_state = r->state;
		e->st.hard_since = start;
	}
	e->fail_since = fail_since;
	text_set(&e->output, &e->output_cap, r->output ? r->output : "");
	text_set(&e->perfdata, &e->perfdata_cap, r->perfdata ? r->perfdata : "");
}

int
store_record(struct store *s, const struct gl_result *r)
{
	struct svc_ent *e;
	bool changed, from_ok;
	time_t start = r->t, since;

	if (store_begin(s) != 0)
		return -1;
	if ((e = svc_get(s, r)) == NULL || add_result(s, e, r) != 0 ||
	    fail_since_next(s, e, r, &since) != 0)
		goto fail;
	changed = r->hard && (!e->st.has_hard || e->st.hard_state != r->state);
	/* a HARD problem after an OK state began at its first failure; a
	 * change between problem states, or to OK, begins at r */
	from_ok = !e->st.has_hard || e->st.hard_state == GL_OK;
	if (changed && r->state != GL_OK && from_ok)
		start = since;
	if (changed && interval_switch(s, e, (int)r->state, start) != 0)
		goto fail;
	svc_update(e, r, changed, start, since);
	if (store_commit(s) != 0)
		goto fail;
	return changed;
fail:
	store_rollback(s);
	return -1;
}

/* Service by service through results_svc: the results have no index by
 * time alone (schema 6), which would cost every result one more index
 * insert. Every result has its services row: store_record writes both,
 * and the pending rows go in first. CROSS JOIN keeps services outside. */
int
store_prune(struct store *s, time_t before)
{
	if (svc_flush(s) != 0)
		return -1;
	return run(s, prep(s,
	                   "DELETE FROM results WHERE id IN (SELECT r.id FROM services v"
	                   " CROSS JOIN results r ON r.system = v.system"
	                   " AND r.service = v.service AND r.t < ?)",
	                   "t", before));
}

static int
read_intervals(struct store *s, sqlite3_stmt *st, struct interval **out, size_t *n)
{
	int rc;

	*out = NULL;
	*n = 0;
	if (st == NULL)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*out = xrealloc(*out, (*n + 1) * sizeof **out);
		(*out)[*n].status = sqlite3_column_int(st, 0);
		(*out)[*n].start = (time_t)sqlite3_column_int64(st, 1);
		(*out)[*n].end = (time_t)sqlite3_column_int64(st, 2);
		(*n)++;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		free(*out);
		*out = NULL;
		*n = 0;
		return fail(s, "reading intervals");
	}
	return 0;
}

int
store_svc_intervals(struct store *s, const char *system, const char *service, time_t from,
                    struct interval **out, size_t *n)
{
	return read_intervals(
	        s,
	        prep(s,
	             "SELECT state, start, coalesce(end, 0) FROM svc_intervals"
	             " WHERE system = ? AND service = ? AND (end IS NULL OR end > ?)"
	             " ORDER BY start, id",
	             "sst", system, service, from),
	        out, n);
}

static const char downtime_cols[] =
        "SELECT id, system, start, end, ended, cancelled, reason, created, incident,"
        " title FROM downtimes";

static void
downtime_read(sqlite3_stmt *st, struct downtime *d)
{
	d->id = sqlite3_column_int64(st, 0);
	d->system = col_text(st, 1);
	d->start = (time_t)sqlite3_column_int64(st, 2);
	d->end = (time_t)sqlite3_column_int64(st, 3);
	d->ended = (time_t)sqlite3_column_int64(st, 4);
	d->cancelled = sqlite3_column_int(st, 5) != 0;
	d->reason = col_text(st, 6);
	d->created = (time_t)sqlite3_column_int64(st, 7);
	d->incident = sqlite3_column_int64(st, 8);
	d->title = col_text(st, 9);
}

int64_t
store_downtime_add(struct store *s, const struct downtime *d)
{
	if (run(s, prepq(s, Q_DT_ADD,
	                 "INSERT INTO downtimes (system, start, end, reason, created, title)"
	                 " VALUES (?, ?, ?, ?, ?, ?)",
	                 "sttsts", d->system, d->start, d->end, d->reason ? d->reason : "",
	                 d->created, d->title ? d->title : "")) != 0)
		return -1;
	return sqlite3_last_insert_rowid(s->db);
}

/* Selects cols for one id: 1 with *out on the row (the caller reads it
 * and finalizes *out), 0 when there is no such row, -1 on error. */
static int
row_by_id(struct store *s, const char *cols, const char *what, int64_t id, sqlite3_stmt **out)
{
	struct strbuf sql = STRBUF_INIT;
	sqlite3_stmt *st;
	int rc;

	*out = NULL;
	sb_appendf(&sql, "%s WHERE id = ?", cols);
	st = prep(s, sb_str(&sql), "i", id);
	sb_free(&sql);
	if (st == NULL)
		return -1;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*out = st;
		return 1;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : fail(s, "reading %s %lld", what, (long long)id);
}

int
store_downtime_get(struct store *s, int64_t id, struct downtime *d)
{
	sqlite3_stmt *st;
	int rc = row_by_id(s, downtime_cols, "downtime", id, &st);

	memset(d, 0, sizeof *d);
	if (rc == 1) {
		downtime_read(st, d);
		sqlite3_finalize(st);
	}
	return rc;
}

int
store_downtimes(struct store *s, const char *system, time_t from, struct downtime **out,
                size_t *n)
{
	struct strbuf sql = STRBUF_INIT;
	sqlite3_stmt *st;
	int rc;

	*out = NULL;
	*n = 0;
	sb_appendf(
	        &sql,
	        "%s WHERE cancelled = 0 AND (CASE WHEN ended > 0 THEN ended ELSE end END) >= ?"
	        " AND (?2 IS NULL OR system = ?2) ORDER BY start, id",
	        downtime_cols);
	st = prep(s, sb_str(&sql), "ts", from, system);
	sb_free(&sql);
	if (st == NULL)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*out = xrealloc(*out, (*n + 1) * sizeof **out);
		downtime_read(st, &(*out)[(*n)++]);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		downtimes_free(*out, *n);
		*out = NULL;
		*n = 0;
		return fail(s, "reading downtimes");
	}
	return 0;
}

int
store_downtime_finish(struct store *s, int64_t id, time_t ended, bool cancelled)
{
	if (run(s, prepq(s, Q_DT_FINISH,
	                 "UPDATE downtimes SET ended = ?, cancelled = ? WHERE id = ?", "tdi",
	                 ended, (int)cancelled, id)) != 0)
		return -1;
	return sqlite3_changes(s->db) == 1 ? 0 : fail(s, "no downtime %lld", (long long)id);
}

int
store_downtime_set_incident(struct store *s, int64_t id, int64_t incident)
{
	return run(s, prepq(s, Q_DT_INCIDENT, "UPDATE downtimes SET incident = ? WHERE id = ?",
	                    "ii", incident, id));
}

void
downtime_free(struct downtime *d)
{
	free(d->system);
	free(d->reason);
	free(d->title);
	d->system = d->reason = d->title = NULL;
}

void
downtimes_free(struct downtime *d, size_t n)
{
	for (size_t i = 0; i < n; i++)
		downtime_free(&d[i]);
	free(d);
}

/* Tags are stored one per line. */
static char *
tags_join(const struct notice_view *n)
{
	struct strbuf sb = STRBUF_INIT;

	for (size_t i = 0; i < n->ntags; i++)
		sb_appendf(&sb, "%s%s", i ? "\n" : "", n->tags[i]);
	sb_append(&sb, "");
	return sb_detach(&sb);
}

static void
tags_split(const char *t, struct notice_view *n)
{
	n->tags = NULL;
	n->ntags = 0;
	while (t != NULL && *t != '\0') {
		size_t len = strcspn(t, "\n");
		n->tags = xrealloc(n->tags, (n->ntags + 1) * sizeof *n->tags);
		n->tags[n->ntags] = xmalloc(len + 1);
		memcpy(n->tags[n->ntags], t, len);
		n->tags[n->ntags++][len] = '\0';
		t += len + (t[len] == '\n');
	}
}

int64_t
store_notice_add(struct store *s, const struct notice_view *n, const char *key)
{
	char *tags = tags_join(n);
	int64_t id;
	int rc = run(
	        s,
	        prepq(s, Q_NOTICE_ADD,
	              "INSERT OR IGNORE INTO notices (incident, system, kind, state, maint,"
	              " title, body, posted, starts, ends, tags, key, impact, affected)"
	              " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	              "isdddsstttssds", n->incident_id, n->system_id, (int)n->kind,
	              (int)n->state, (int)n->maint, n->title, n->body ? n->body : "", n->posted,
	              n->starts, n->ends, tags, key, (int)n->impact, n->affected));

	free(tags);
	if (rc != 0)
		return -1;
	if (sqlite3_changes(s->db) == 0)
		return 0;
	id = sqlite3_last_insert_rowid(s->db);
	if (n->incident_id == 0 &&
	    run(s, prepq(s, Q_NOTICE_INCIDENT, "UPDATE notices SET incident = id WHERE id = ?",
	                 "i", id)) != 0)
		return -1;
	return id;
}

int64_t
store_notice_by_key(struct store *s, const char *key)
{
	sqlite3_stmt *st = prep(s, "SELECT id FROM notices WHERE key = ?", "s", key);
	int64_t id = 0;
	int rc;

	if (st == NULL)
		return -1;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		id = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return fail(s, "reading notices");
	return id;
}

int
store_notice_has_key(struct store *s, const char *key)
{
	int64_t id = store_notice_by_key(s, key);
	return id < 0 ? -1 : id > 0;
}

static const char notice_cols[] =
        "SELECT id, incident, system, kind, state, maint, title, body, posted, starts,"
        " ends, tags, retracted, impact, affected FROM notices";

static void
notice_read(sqlite3_stmt *st, struct notice_view *n, bool *retracted)
{
	memset(n, 0, sizeof *n);
	n->id = sqlite3_column_int64(st, 0);
	n->incident_id = sqlite3_column_int64(st, 1);
	n->system_id = col_text(st, 2);
	n->kind = (enum notice_kind)sqlite3_column_int(st, 3);
	n->state = (enum incident_state)sqlite3_column_int(st, 4);
	n->maint = (enum maint_state)sqlite3_column_int(st, 5);
	n->title = col_text(st, 6);
	n->body = col_text(st, 7);
	n->posted = (time_t)sqlite3_column_int64(st, 8);
	n->starts = (time_t)sqlite3_column_int64(st, 9);
	n->ends = (time_t)sqlite3_column_int64(st, 10);
	tags_split((const char *)sqlite3_column_text(st, 11), n);
	if (retracted != NULL)
		*retracted = sqlite3_column_int(st, 12) != 0;
	n->impact = (enum impact)sqlite3_column_int(st, 13);
	n->affected = col_text(st, 14);
}

int
store_notice_get(struct store *s, int64_t id, struct notice_view *n, bool *retracted)
{
	sqlite3_stmt *st;
	int rc = row_by_id(s, notice_cols, "notice", id, &st);

	memset(n, 0, sizeof *n);
	if (rc == 1) {
		notice_read(st, n, retracted);
		sqlite3_finalize(st);
	}
	return rc;
}

int
store_notice_update(struct store *s, const struct notice_view *n)
{
	char *tags = tags_join(n);
	int rc = run(s,
	             prep(s,
	                  "UPDATE notices SET incident = ?, system = ?, state = ?, title = ?,"
	                  " body = ?, tags = ?, starts = ?, ends = ?, impact = ? WHERE id = ?",
	                  "isdsssttdi", n->incident_id, n->system_id, (int)n->state, n->title,
	                  n->body ? n->body : "", tags, n->starts, n->ends, (int)n->impact,
	                  n->id));
	free(tags);
	return rc;
}

int
store_notice_retract(struct store *s, int64_t id)
{
	if (run(s, prep(s, "UPDATE notices SET retracted = 1 WHERE id = ?", "i", id)) != 0)
		return -1;
	return sqlite3_changes(s->db) == 1 ? 0 : fail(s, "no notice %lld", (long long)id);
}

int
store_notices(struct store *s, bool with_retracted, struct notice_view **out, size_t *n,
              bool **retracted)
{
	struct strbuf sql = STRBUF_INIT;
	sqlite3_stmt *st;
	int rc;

	*out = NULL;
	*n = 0;
	if (retracted != NULL)
		*retracted = NULL;
	sb_appendf(&sql, "%s%s ORDER BY posted DESC, id DESC", notice_cols,
	           with_retracted ? "" : " WHERE retracted = 0");
	st = prep(s, sb_str(&sql), "");
	sb_free(&sql);
	if (st == NULL)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		bool r;
		*out = xrealloc(*out, (*n + 1) * sizeof **out);
		notice_read(st, &(*out)[*n], &r);
		if (retracted != NULL) {
			*retracted = xrealloc(*retracted, (*n + 1) * sizeof **retracted);
			(*retracted)[*n] = r;
		}
		(*n)++;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		for (size_t i = 0; i < *n; i++)
			notice_view_free(&(*out)[i]);
		free(*out);
		*out = NULL;
		*n = 0;
		if (retracted != NULL) {
			free(*retracted);
			*retracted = NULL;
		}
		return fail(s, "reading notices");
	}
	return 0;
}

int
store_svc_gaps(struct store *s, const char *system, const char *service, time_t from, int gap,
               struct interval **out, size_t *n)
{
	return read_intervals(
	        s,
	        prep(s,
	             "SELECT 0, prev, t FROM (SELECT t, lag(t) OVER (ORDER BY t) AS prev"
	             " FROM results WHERE system = ? AND service = ?)"
	             " WHERE prev IS NOT NULL AND t > ? AND t - prev > ? ORDER BY t",
	             "ssti", system, service, from, (int64_t)gap),
	        out, n);
}

/* Steps st for one row of int64 columns into v (ncol of them); 1 with
 * a row, 0 without, -1 on error. Finalizes st. */
static int
row_ints(struct store *s, sqlite3_stmt *st, int64_t *v, int ncol, const char *what)
{
	int rc;

	if (st == NULL)
		return -1;
	rc = sqlite3_step(st);
	for (int i = 0; rc == SQLITE_ROW && i < ncol; i++)
		v[i] = sqlite3_column_int64(st, i);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return fail(s, "reading %s", what);
	return rc == SQLITE_ROW;
}

int
store_first_seen(struct store *s, const char *system, time_t *t)
{
	int64_t v = 0;
	int rc = row_ints(s,
	                  prep(s,
	                       "SELECT coalesce(min(start), 0) FROM svc_intervals"
	                       " WHERE system = ?",
	                       "s", system),
	                  &v, 1, "intervals");

	*t = (time_t)v;
	return rc < 0 ? -1 : 0;
}

int
store_notice_refs(struct store *s, struct notice_ref **out, size_t *n)
{
	sqlite3_stmt *st = prep(s,
	                        "SELECT id, incident, system, kind, state, impact, posted,"
	                        " retracted, key FROM notices ORDER BY id",
	                        "");
	int rc;

	*out = NULL;
	*n = 0;
	if (st == NULL)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct notice_ref *r;
		*out = xrealloc(*out, (*n + 1) * sizeof **out);
		r = &(*out)[(*n)++];
		r->id = sqlite3_column_int64(st, 0);
		r->incident = sqlite3_column_int64(st, 1);
		r->system = col_text(st, 2);
		r->kind = (enum notice_kind)sqlite3_column_int(st, 3);
		r->state = (enum incident_state)sqlite3_column_int(st, 4);
		r->impact = (enum impact)sqlite3_column_int(st, 5);
		r->posted = (time_t)sqlite3_column_int64(st, 6);
		r->retracted = sqlite3_column_int(st, 7) != 0;
		r->key = col_text(st, 8);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		notice_refs_free(*out, *n);
		*out = NULL;
		*n = 0;
		return fail(s, "reading notices");
	}
	return 0;
}

void
notice_refs_free(struct notice_ref *r, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(r[i].system);
		free(r[i].key);
	}
	free(r);
}

int
store_downtime_set_window(struct store *s, int64_t id, time_t start, time_t end)
{
	return run(s,
	           prepq(s, Q_DT_WINDOW, "UPDATE downtimes SET start = ?, end = ? WHERE id = ?",
	                 "tti", start, end, id));
}

int
store_ingest_bulk(struct store *s, bool on)
{
	/* 16384 pages of 4 KiB; 1000 is SQLite's default */
	return exec_sql(s, on ? "PRAGMA wal_autocheckpoint = 16384"
	                      : "PRAGMA wal_autocheckpoint = 1000");
}

int
store_ingest_pos_get(struct store *s, const char *source, struct ingest_pos *p)
{
	sqlite3_stmt *st = prep(s,
	                        "SELECT inode, offset, line, head, last_t FROM ingest_pos"
	                        " WHERE source = ?",
	                        "s", source);
	int rc;

	memset(p, 0, sizeof *p);
	if (st == NULL)
		return -1;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		p->inode = sqlite3_column_int64(st, 0);
		p->offset = sqlite3_column_int64(st, 1);
		p->line = sqlite3_column_int64(st, 2);
		snprintf(p->head, sizeof p->head, "%s",
		         (const char *)sqlite3_column_text(st, 3));
		p->last_t = (time_t)sqlite3_column_int64(st, 4);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return fail(s, "reading the ingest position of %s", source);
	return rc == SQLITE_ROW;
}

int
store_ingest_pos_set(struct store *s, const char *source, const struct ingest_pos *p)
{
	return run(s,
	           prepq(s, Q_POS_SET,
	                 "INSERT OR REPLACE INTO ingest_pos (source, inode, offset, line, head,"
	                 " last_t) VALUES (?, ?, ?, ?, ?, ?)",
	                 "siiist", source, p->inode, p->offset, p->line, p->head, p->last_t));
}

int
store_iwin_add(struct store *s, const char *source, const struct ingest_window *w)
{
	return run(s,
	           prepq(s, Q_IWIN_ADD,
	                 "INSERT INTO ingest_windows (downtime, source, host, ext_id, start,"
	                 " end, comment, fixed, duration, entry, state)"
	                 " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	                 "isssttsddtd", w->downtime, source, w->host, w->ext_id, w->start,
	                 w->end, w->comment, (int)w->fixed, w->duration, w->entry, w->state));
}

int
store_iwin_set(struct store *s, const struct ingest_window *w)
{
	return run(s,
	           prepq(s, Q_IWIN_SET,
	                 "UPDATE ingest_windows SET ext_id = ?, state = ? WHERE downtime = ?",
	                 "sdi", w->ext_id, w->state, w->downtime));
}

int
store_iwin_list(struct store *s, const char *source, time_t since, struct ingest_window **out,
                size_t *n)
{
	sqlite3_stmt *st = prep(s,
	                        "SELECT downtime, host, ext_id, start, end, comment, fixed,"
	                        " duration, state, entry FROM ingest_windows"
	                        " WHERE source = ? AND (state < ? OR end >= ?)"
	                        " ORDER BY start, downtime",
	                        "sdt", source, IW_DONE, since);
	int rc;

	*out = NULL;
	*n = 0;
	if (st == NULL)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct ingest_window *w;
		*out = xrealloc(*out, (*n + 1) * sizeof **out);
		w = &(*out)[(*n)++];
		w->downtime = sqlite3_column_int64(st, 0);
		w->host = col_text(st, 1);
		w->ext_id = col_text(st, 2);
		w->start = (time_t)sqlite3_column_int64(st, 3);
		w->end = (time_t)sqlite3_column_int64(st, 4);
		w->comment = col_text(st, 5);
		w->fixed = sqlite3_column_int(st, 6) != 0;
		w->duration = sqlite3_column_int(st, 7);
		w->state = sqlite3_column_int(st, 8);
		w->entry = (time_t)sqlite3_column_int64(st, 9);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		iwins_free(*out, *n);
		*out = NULL;
		*n = 0;
		return fail(s, "reading ingest windows");
	}
	return 0;
}

void
iwins_free(struct ingest_window *w, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(w[i].host);
		free(w[i].ext_id);
		free(w[i].comment);
	}
	free(w);
}

/* Services are stored one per line, like tags. */
static char *
lines_join(char *const *v, size_t n)
{
	struct strbuf sb = STRBUF_INIT;

	for (size_t i = 0; i < n; i++)
		sb_appendf(&sb, "%s%s", i ? "\n" : "", v[i]);
	sb_append(&sb, "");
	return sb_detach(&sb);
}

/* Checks by system, then in the config's order. */
static int
check_by_system(const void *a, const void *b)
{
	const struct cfg_check *x = *(const struct cfg_check *const *)a,
	                       *y = *(const struct cfg_check *const *)b;
	int c = strcmp(x->system, y->system);

	return c != 0 ? c : (x > y) - (x < y);
}

/* The first of the sorted checks of system id (n when none). */
static size_t
checks_of(const struct cfg_check **by, size_t n, const char *id)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(by[mid]->system, id) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int
check_put(struct store *s, const char *source, const struct cfg_check *c)
{
	return run(s, prepq(s, Q_PUT_CHECK,
	                    "INSERT OR REPLACE INTO ingest_checks (source, system, service,"
	                    " interval, retry, attempts, timeout, impact_warning,"
	                    " impact_critical) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
	                    "sssdddddd", source, c->system, c->service, c->interval, c->retry,
	                    c->attempts, c->timeout, c->impact_warning, c->impact_critical));
}

/* Each system, then its checks: an engine describes thousands, so the
 * statements stay prepared and the checks are found by binary search. */
static int
systems_put(struct store *s, const char *source, const struct config *cfg, size_t from)
{
	const struct cfg_check **by = xcalloc(cfg->nchecks + 1, sizeof *by);
	int rc = 0;

	for (size_t j = 0; j < cfg->nchecks; j++)
		by[j] = &cfg->checks[j];
	qsort(by, cfg->nchecks, sizeof *by, check_by_system);
	for (size_t i = from; rc == 0 && i < cfg->nsystems; i++) {
		const struct cfg_system *y = &cfg->systems[i];
		char *svcs = lines_join(y->services, y->nservices);
		rc = run(s,
		         prepq(s, Q_PUT_SYSTEM,
		               "INSERT INTO ingest_systems (source, id, name, location, role,"
		               " internal, ping, services, parent)"
		               " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
		               "sssssdsss", source, y->id, y->name, y->location, y->role,
		               (int)y->internal, y->ping, svcs, y->parent));
		free(svcs);
		for (size_t j = checks_of(by, cfg->nchecks, y->id);
		     rc == 0 && j < cfg->nchecks && strcmp(by[j]->system, y->id) == 0; j++)
			rc = check_put(s, source, by[j]);
	}
	free(by);
	return rc;
}

int
store_ingest_systems_put(struct store *s, const char *source, const struct config *cfg,
                         size_t from)
{
	if (store_begin(s) != 0)
		return -1;
	if (run(s, prep(s, "DELETE FROM ingest_systems WHERE source = ?", "s", source)) != 0 ||
	    run(s, prep(s, "DELETE FROM ingest_checks WHERE source = ?", "s", source)) != 0 ||
	    systems_put(s, source, cfg, from) != 0) {
		store_rollback(s);
		return -1;
	}
	return store_commit(s);
}

static int
checks_get(struct store *s, struct config *cfg)
{
	sqlite3_stmt *st = prep(s,
	                        "SELECT system, service, interval, retry, attempts, timeout,"
	                        " impact_warning, impact_critical FROM ingest_checks"
	                        " ORDER BY rowid",
	                        "");
	int rc;

	if (st == NULL)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *sys = (const char *)sqlite3_column_text(st, 0);
		const char *svc = (const char *)sqlite3_column_text(st, 1);
		struct cfg_check *c;
		if (config_system(cfg, sys) == NULL)
			continue;
		c = config_add_check(cfg, sys, svc, sqlite3_column_int(st, 2),
		                     sqlite3_column_int(st, 3), sqlite3_column_int(st, 4));
		c->timeout = sqlite3_column_int(st, 5);
		c->impact_warning = sqlite3_column_int(st, 6);
		c->impact_critical = sqlite3_column_int(st, 7);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : fail(s, "reading ingested checks");
}

int
store_ingest_systems_get(struct store *s, struct config *cfg)
{
	sqlite3_stmt *st = prep(s,
	                        "SELECT id, name, location, role, internal, ping, services,"
	                        " parent FROM ingest_systems ORDER BY ord",
	                        "");
	int rc;

	if (st == NULL)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *id = (const char *)sqlite3_column_text(st, 0);
		const char *svcs = (const char *)sqlite3_column_text(st, 6);
		struct cfg_system *y;
		if (config_system(cfg, id) != NULL)
			continue; /* the config file declares it: the file wins */
		y = config_add_system(cfg, id, (const char *)sqlite3_column_text(st, 1),
		                      (const char *)sqlite3_column_text(st, 2),
		                      (const char *)sqlite3_column_text(st, 3),
		                      sqlite3_column_int(st, 4) != 0);
		y->ping = col_text(st, 5);
		y->parent = col_text(st, 7);
		for (const char *t = svcs; t != NULL && *t != '\0';) {
			size_t len = strcspn(t, "\n");
			y->services =
			        xrealloc(y->services, (y->nservices + 1) * sizeof(char *));
			y->services[y->nservices] = xmalloc(len + 1);
			memcpy(y->services[y->nservices], t, len);
			y->services[y->nservices++][len] = '\0';
			t += len + (t[len] == '\n');
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return fail(s, "reading ingested systems");
	return checks_get(s, cfg);
}

int
store_begin_read(struct store *s)
{
	if (s->depth++ > 0)
		return 0;
	if (exec_sql(s, "BEGIN") != 0) {
		s->depth = 0;
		return -1;
	}
	return 0;
}

/* Room for one more of n elements of size: the capacity doubles at each
 * power of two, so it needs no field of its own. */
static void *
grow(void *p, size_t n, size_t size)
{
	if (n == 0 || (n & (n - 1)) == 0)
		p = xrealloc(p, (n ? 2 * n : 1) * size);
	return p;
}

static int
bulk_cmp(const void *a, const void *b)
{
	const struct svc_bulk *x = a, *y = b;
	int c = strcmp(x->system, y->system);

	return c != 0 ? c : strcmp(x->service, y->service);
}

/* The entry for the service in columns kcol, kcol + 1 of st's row: the
 * last one when the query (ordered by service) is still on it, else a
 * new one. Entries of different queries for one service are merged by
 * bulk_merge. NULL when SQLite has no text for the key (out of memory). */
static struct svc_bulk *
bulk_entry(struct store_bulk *b, sqlite3_stmt *st, int kcol)
{
	const char *sys = (const char *)sqlite3_column_text(st, kcol);
	const char *svc = (const char *)sqlite3_column_text(st, kcol + 1);
	struct svc_bulk *e = b->n > 0 ? &b->svc[b->n - 1] : NULL;

	if (sys == NULL || svc == NULL)
		return NULL;
	if (e != NULL && strcmp(e->system, sys) == 0 && strcmp(e->service, svc) == 0)
		return e;
	b->svc = grow(b->svc, b->n, sizeof *b->svc);
	e = &b->svc[b->n++];
	memset(e, 0, sizeof *e);
	e->system = xstrdup(sys);
	e->service = xstrdup(svc);
	return e;
}

/* Steps st to its end, handing each row to add; finalizes st. */
static int
bulk_rows(struct store *s, sqlite3_stmt *st, const char *what,
          int (*add)(struct store_bulk *, sqlite3_stmt *, void *), struct store_bulk *b,
          void *arg)
{
	int rc;

	if (st == NULL)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (add(b, st, arg) != 0)
			break;
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return fail(s, "reading %s", what);
	return 0;
}

static int
add_row(struct store_bulk *b, sqlite3_stmt *st, void *arg)
{
	struct svc_bulk *e = bulk_entry(b, st, 9);

	(void)arg;
	if (e == NULL)
		return -1;
	e->has_row = true;
	state_read(st, &e->row);
	e->row.output = col_text(st, 7);
	e->row.perfdata = col_text(st, 8);
	return 0;
}

static int
add_interval(struct store_bulk *b, sqlite3_stmt *st, void *arg)
{
	struct svc_bulk *e = bulk_entry(b, st, 3);

	(void)arg;
	if (e == NULL)
		return -1;
	e->iv = grow(e->iv, e->niv, sizeof *e->iv);
	e->iv[e->niv++] = (struct interval){.status = sqlite3_column_int(st, 0),
	                                    .start = (time_t)sqlite3_column_int64(st, 1),
	                                    .end = (time_t)sqlite3_column_int64(st, 2)};
	return 0;
}

static int
add_first_seen(struct store_bulk *b, sqlite3_stmt *st, void *arg)
{
	(void)arg;
	b->first = grow(b->first, b->nfirst, sizeof *b->first);
	b->first[b->nfirst++] = (struct sys_first_seen){
	        .system = col_text(st, 0), .t = (time_t)sqlite3_column_int64(st, 1)};
	return b->first[b->nfirst - 1].system != NULL ? 0 : -1;
}

/* The results scan's state: the service it is on, the gap wanted for it
 * (-1: none) and its last result. */
struct gap_scan {
	struct strbuf system, service;
	bool on; /* on a service yet */
	time_t prev, from;
	int64_t gap;
	store_gap_fn *gap_of;
	void *arg;
};

/* store_svc_gaps's rule on one result: a gap when the service's previous
 * result is more than min_gap before it and it is after from. */
static int
bulk_add_result(struct store_bulk *b, sqlite3_stmt *st, void *arg)
{
	struct gap_scan *g = arg;
	time_t t = (time_t)sqlite3_column_int64(st, 0);
	const char *sys = (const char *)sqlite3_column_text(st, 1);
	const char *svc = (const char *)sqlite3_column_text(st, 2);
	struct svc_bulk *e;

	if (sys == NULL || svc == NULL)
		return -1;
	if (!g->on || strcmp(sys, sb_str(&g->system)) != 0 ||
	    strcmp(svc, sb_str(&g->service)) != 0) {
		g->on = true;
		sb_reset(&g->system);
		sb_reset(&g->service);
		sb_append(&g->system, sys);
		sb_append(&g->service, svc);
		g->gap = g->gap_of(g->arg, sys, svc);
		g->prev = t;
		return 0;
	}
	if (g->gap >= 0 && t > g->from && t - g->prev > g->gap) {
		if ((e = bulk_entry(b, st, 1)) == NULL)
			return -1;
		e->gaps = grow(e->gaps, e->ngaps, sizeof *e->gaps);
		e->gaps[e->ngaps++] = (struct interval){.start = g->prev, .end = t};
	}
	g->prev = t;
	return 0;
}

static int
first_cmp(const void *a, const void *b)
{
	return strcmp(((const struct sys_first_seen *)a)->system,
	              ((const struct sys_first_seen *)b)->system);
}

/* Sorts the entries and folds each service's entries (one a query) into
 * one. */
static void
bulk_merge(struct store_bulk *b)
{
	size_t k = 0;

	if (b->n > 1)
		qsort(b->svc, b->n, sizeof *b->svc, bulk_cmp);
	for (size_t i = 0; i < b->n; i++) {
		struct svc_bulk *e = &b->svc[i], *d = k > 0 ? &b->svc[k - 1] : NULL;
		if (d == NULL || bulk_cmp(d, e) != 0) {
			b->svc[k++] = *e;
			continue;
		}
		if (e->has_row)
			d->has_row = true, d->row = e->row;
		if (e->iv != NULL)
			d->iv = e->iv, d->niv = e->niv;
		if (e->gaps != NULL)
			d->gaps = e->gaps, d->ngaps = e->ngaps;
		free(e->system);
		free(e->service);
	}
	b->n = k;
	if (b->nfirst > 1)
		qsort(b->first, b->nfirst, sizeof *b->first, first_cmp);
}

static int
bulk_gaps(struct store *s, time_t from, store_gap_fn *gap_of, void *arg, struct store_bulk *b)
{
	struct gap_scan g = {STRBUF_INIT, STRBUF_INIT, false, 0, from, -1, gap_of, arg};
	int rc = bulk_rows(s,
	                   prep(s,
	                        "SELECT t, system, service FROM results"
	                        " ORDER BY system, service, t",
	                        ""),
	                   "results", bulk_add_result, b, &g);

	sb_free(&g.system);
	sb_free(&g.service);
	return rc;
}

int
store_bulk_load(struct store *s, time_t from, int what, store_gap_fn *gap_of, void *arg,
                struct store_bulk *b)
{
	int rc;

	memset(b, 0, sizeof *b);
	rc = store_begin_read(s);
	if (rc == 0 && (what & STORE_BULK_ROWS))
		rc = bulk_rows(s,
		               prep(s,
		                    "SELECT state, hard, attempt, has_hard, hard_state,"
		                    " hard_since, last_check, output, perfdata, system, service"
		                    " FROM services ORDER BY system, service",
		                    ""),
		               "services", add_row, b, NULL);
	if (rc == 0)
		rc = bulk_rows(s,
		               prep(s,
		                    "SELECT state, start, coalesce(end, 0), system, service"
		                    " FROM svc_intervals WHERE end IS NULL OR end > ?"
		                    " ORDER BY system, service, start, id",
		                    "t", from),
		               "intervals", add_interval, b, NULL);
	if (rc == 0)
		rc = bulk_rows(s,
		               prep(s,
		                    "SELECT system, min(start) FROM svc_intervals"
		                    " GROUP BY system ORDER BY system",
		                    ""),
		               "intervals", add_first_seen, b, NULL);
	if (rc == 0 && (what & STORE_BULK_GAPS) && gap_of != NULL)
		rc = bulk_gaps(s, from, gap_of, arg, b);
	bulk_merge(b);
	if (rc == 0)
		return store_commit(s);
	store_rollback(s);
	store_bulk_free(b);
	return -1;
}

const struct svc_bulk *
store_bulk_find(const struct store_bulk *b, const char *system, const char *service)
{
	struct svc_bulk key = {.system = (char *)system, .service = (char *)service};

	return b->n ? bsearch(&key, b->svc, b->n, sizeof *b->svc, bulk_cmp) : NULL;
}

time_t
store_bulk_first_seen(const struct store_bulk *b, const char *system)
{
	struct sys_first_seen key = {.system = (char *)system};
	const struct sys_first_seen *f =
	        b->nfirst ? bsearch(&key, b->first, b->nfirst, sizeof *b->first, first_cmp)
	                  : NULL;

	return f != NULL ? f->t : 0;
}

void
store_bulk_free(struct store_bulk *b)
{
	for (size_t i = 0; i < b->n; i++) {
		free(b->svc[i].system);
		free(b->svc[i].service);
		svc_row_free(&b->svc[i].row);
		free(b->svc[i].iv);
		free(b->svc[i].gaps);
	}
	free(b->svc);
	for (size_t i = 0; i < b->nfirst; i++)
		free(b->first[i].system);
	free(b->first);
	memset(b, 0, sizeof *b);
}

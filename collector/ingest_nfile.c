/* Following a running Nagios (ng_ingest_pass in ingest_nagios.h): the
 * status.dat snapshot first, then nagios.log and its archives from where
 * the last pass stopped, then the snapshot reconciled with what the log
 * said.
 *
 * Why in that order: Nagios writes a log line when it handles a result
 * and status.dat only every status_update_interval, so once the log has
 * been read to its end after the snapshot was taken, every change the
 * snapshot shows is in the log already. The log gives the real times of
 * changes; the snapshot adds the newer results of unchanged states (the
 * log records no result that changes nothing) and perfdata, and the
 * downtime ids.
 *
 * The log position (inode, offset) is stored in the transaction that
 * records the lines before it, so a kill at any moment neither loses nor
 * repeats a line. Rotation renames nagios.log into the archive directory
 * (same inode) and starts a new one: the pass finishes the archived file
 * from its offset and goes on with the new log. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ingest_nagios.h"
#include "strbuf.h"

#define NG_SOURCE "nagios"
#define NG_LINE_MAX 65536
/* Lines per transaction. A commit writes every page its batch touched,
 * and each service's last index page gets only a few entries per batch:
 * at 20k lines a million-line log wrote 950 MB for a 40 MB store, at
 * 200k it writes 200 MB. A crash loses at most the batch under way,
 * which the next pass reads again from the committed position. */
#define NG_BATCH 200000

struct nfile {
	char *path;
	int64_t inode;
	time_t mtime;
	bool current; /* the live nagios.log: its last line may be unfinished */
};

struct nread {
	struct ingest_ctx *c;
	struct ingest_pos pos;
	time_t skip_until; /* lines at or before this were read from a lost file */
	unsigned lines, batch;
	uint64_t bytes;
};

static int
nfile_cmp(const void *a, const void *b)
{
	const struct nfile *x = a, *y = b;

	if (x->current != y->current)
		return x->current ? 1 : -1;
	if (x->mtime != y->mtime)
		return x->mtime < y->mtime ? -1 : 1;
	return strcmp(x->path, y->path);
}

static void
nfile_add(struct nfile **f, size_t *n, const char *path, bool current)
{
	struct stat st;

	if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
		return;
	for (size_t i = 0; i < *n; i++)
		if ((*f)[i].inode == (int64_t)st.st_ino)
			return;
	*f = xrealloc(*f, (*n + 1) * sizeof **f);
	(*f)[(*n)++] = (struct nfile){.path = xstrdup(path),
	                              .inode = (int64_t)st.st_ino,
	                              .mtime = st.st_mtime,
	                              .current = current};
}

/* The archives, oldest first by modification time (a rotated file is
 * not written again), then the live log. Compressed archives are left
 * out. */
static void
nfile_list(const struct cfg_source *src, struct nfile **f, size_t *n)
{
	DIR *d = src->archives ? opendir(src->archives) : NULL;
	struct dirent *e;

	*f = NULL;
	*n = 0;
	if (src->log != NULL)
		nfile_add(f, n, src->log, true);
	while (d != NULL && (e = readdir(d)) != NULL) {
		size_t len = strlen(e->d_name);
		if (e->d_name[0] == '.' || (len > 3 && strcmp(e->d_name + len - 3, ".gz") == 0))
			continue;
		struct strbuf p = STRBUF_INIT;
		sb_appendf(&p, "%s/%s", src->archives, e->d_name);
		nfile_add(f, n, sb_str(&p), false);
		sb_free(&p);
	}
	if (d != NULL)
		closedir(d);
	/* no log and no archives: *f is NULL, which qsort must not get */
	if (*n > 1)
		qsort(*f, *n, sizeof **f, nfile_cmp);
}

static void
nfiles_free(struct nfile *f, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(f[i].path);
	free(f);
}

/* The start of the file's first line, which tells a file from another
 * one that got its inode later. */
static void
file_head(int fd, char *head, size_t len)
{
	ssize_t r = pread(fd, head, len - 1, 0);

	head[r > 0 ? r : 0] = '\0';
	head[strcspn(head, "\n")] = '\0';
}

/* Nagios logs INITIAL STATE lines for objects never checked yet too,
 * as UP or OK with no output: those say nothing. */
static bool
pending_state(const struct ng_event *ev)
{
	return ev->kind == NG_STATE &&
	       (*ev->output == '\0' || strcmp(ev->output, "(null)") == 0);
}

static int
apply_state(struct ingest_ctx *c, const struct ng_event *ev)
{
	struct gl_result r = {.system = ev->host,
	                      .service = ev->service ? ev->service : INGEST_HOST_SERVICE,
	                      .state = ev->service ? (enum gl_state)ev->state
	                                           : ingest_host_state(ev->state),
	                      .hard = ev->hard,
	                      .attempt = ev->attempt,
	                      .output = ev->output,
	                      .long_output = "",
	                      .perfdata = "",
	                      .t = ev->t};
	return pending_state(ev) ? 0 : ingest_result(c, &r);
}

/* DEL_HOST_DOWNTIME;id and DEL_DOWNTIME_BY_HOST_NAME: a downtime that
 * had not begun is cancelled (one in effect logs CANCELLED itself). */
static int
apply_delete(struct ingest_ctx *c, const struct ng_event *ev)
{
	for (size_t i = 0; i < c->nopen; i++) {
		struct ingest_window *w = &c->open[i];
		bool match = ev->kind == NG_DT_DELETE
		                     ? strcmp(w->ext_id, ev->id) == 0
		                     : strcmp(w->host, ev->host) == 0 &&
		                               (ev->comment == NULL || *ev->comment == '\0' ||
		                                strcmp(w->comment, ev->comment) == 0);
		if (match && w->state == IW_SCHEDULED && w->entry <= ev->t &&
		    ingest_window_cancel(c, w, ev->t) != 0)
			return -1;
	}
	return 0;
}

static int
apply_event(struct ingest_ctx *c, const struct ng_event *ev)
{
	struct ingest_window *w;

	switch (ev->kind) {
	case NG_ALERT:
	case NG_STATE: return apply_state(c, ev);
	case NG_DT_STARTED: return ingest_window_started(c, ev->host, ev->t);
	case NG_DT_STOPPED:
	case NG_DT_CANCELLED: return ingest_window_stopped(c, ev->host, ev->t);
	case NG_DT_SCHEDULE: {
		struct ingest_window_args a = {.host = ev->host,
		                               .ext_id = "",
		                               .comment = ev->comment,
		                               .entry = ev->t,
		                               .start = ev->start,
		                               .end = ev->end,
		                               .fixed = ev->fixed,
		                               .duration = ev->duration};
		return ingest_window_schedule(c, &a, &w);
	}
	case NG_DT_DELETE:
	case NG_DT_DELETE_BY_HOST: return apply_delete(c, ev);
	case NG_NONE: break;
	}
	return 0;
}

static int
read_line(struct nread *r, char *line, const char *path)
{
	struct ng_event ev;
	const char *why;
	int k;

	r->pos.line++;
	r->lines++;
	k = ng_log_parse(line, &ev, &why);
	if (k < 0) {
		ingest_warn(r->c->log, path, (long)r->pos.line, "%s: line skipped", why);
		return 0;
	}
	if (ev.t > r->pos.last_t)
		r->pos.last_t = ev.t;
	if (k == 0 || ev.t <= r->skip_until)
		return 0;
	return apply_event(r->c, &ev);
}

/* Commits the lines so far with the position after them. */
static int
checkpoint(struct nread *r, bool reopen)
{
	struct store *st = r->c->st;

	if (store_ingest_pos_set(st, NG_SOURCE, &r->pos) != 0 || store_commit(st) != 0)
		return -1;
	r->batch = 0;
	return reopen ? store_begin(st) : 0;
}

/* Reads complete lines of buf[0..len); returns the bytes consumed. */
static long
read_lines(struct nread *r, char *buf, size_t len, bool last, const char *path)
{
	size_t off = 0;

	while (off < len) {
		char *nl = memchr(buf + off, '\n', len - off);
		size_t n = nl ? (size_t)(nl - (buf + off)) : len - off;
		if (nl == NULL && !last)
			break;
		buf[off + n] = '\0';
		if (memchr(buf + off, '\0', n) != NULL)
			ingest_warn(r->c->log, path, (long)r->pos.line + 1,
			            "NUL byte in line: line skipped"),
			        r->pos.line++;
		else if (read_line(r, buf + off, path) != 0)
			return -1;
		off += n + (nl != NULL);
		r->pos.offset += (int64_t)(n + (nl != NULL));
		if (++r->batch >= NG_BATCH && checkpoint(r, true) != 0)
			return -1;
	}
	return (long)off;
}

/* Drops the rest of a line too long to be a Nagios line, up to its
 * newline; returns whether the newline was found. */
static bool
skip_rest(struct nread *r, char *buf, size_t *have)
{
	char *nl = memchr(buf, '\n', *have);
	size_t drop = nl ? (size_t)(nl - buf) + 1 : *have;

	r->pos.offset += (int64_t)drop;
	memmove(buf, buf + drop, *have - drop);
	*have -= drop;
	if (nl != NULL)
		r->pos.line++;
	return nl != NULL;
}

static int
read_file_from(struct nread *r, const struct nfile *f, int fd)
{
	char *buf = xmalloc(NG_LINE_MAX + 1);
	size_t have = 0;
	bool skipping = false;
	int rc = 0;

	for (;;) {
		ssize_t got = read(fd, buf + have, NG_LINE_MAX - have);
		long used;
		if (got < 0) {
			ingest_warn(r->c->log, f->path, 0, "%s", strerror(errno));
			break;
		}
		have += (size_t)got;
		r->bytes += (uint64_t)got;
		if (skipping && skip_rest(r, buf, &have))
			skipping = false;
		used = skipping ? 0
		                : read_lines(r, buf, have, got == 0 && !f->current, f->path);
		if (used < 0) {
			rc = -1;
			break;
		}
		memmove(buf, buf + used, have - (size_t)used);
		have -= (size_t)used;
		if (have == NG_LINE_MAX) {
			ingest_warn(r->c->log, f->path, (long)r->pos.line + 1,
			            "line longer than %d bytes: skipped", NG_LINE_MAX);
			skipping = !skip_rest(r, buf, &have);
		}
		if (got == 0)
			break;
	}
	free(buf);
	return rc;
}

/* Reads one file from the position when it is the position's file, else
 * from its start. */
static int
read_nfile(struct nread *r, const struct nfile *f, bool resume)
{
	int fd = open(f->path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	int rc;

	if (fd < 0) {
		ingest_warn(r->c->log, f->path, 0, "%s", strerror(errno));
		return 0;
	}
	if (fstat(fd, &st) != 0 || (int64_t)st.st_ino != f->inode) {
		close(fd); /* replaced since it was listed: the next pass reads it */
		return 0;
	}
	if (!resume || r->pos.offset > (int64_t)st.st_size) {
		if (resume)
			ingest_warn(r->c->log, f->path, 0,
			            "shorter than when last read: read again");
		r->pos = (struct ingest_pos){.inode = f->inode, .last_t = r->pos.last_t};
	}
	file_head(fd, r->pos.head, sizeof r->pos.head);
	if (lseek(fd, (off_t)r->pos.offset, SEEK_SET) < 0) {
		close(fd);
		return 0;
	}
	rc = read_file_from(r, f, fd);
	close(fd);
	return rc != 0 ? -1 : checkpoint(r, true);
}

/* Where to go on: the file the position names, found by inode and by
 * its first line; -1 when it is gone (then every file is read, but no
 * line older than the last one read counts twice). */
static long
find_position(struct nread *r, const struct nfile *f, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char head[sizeof r->pos.head];
		int fd;
		if (f[i].inode != r->pos.inode || (fd = open(f[i].path, O_RDONLY)) < 0)
			continue;
		file_head(fd, head, sizeof head);
		close(fd);
		if (strncmp(head, r->pos.head, strlen(r->pos.head)) == 0)
			return (long)i;
	}
	return -1;
}

static int
read_log(struct ingest_ctx *c, const struct cfg_source *src, uint64_t *lines)
{
	struct nread r = {.c = c};
	struct nfile *f;
	size_t n;
	long at = 0;
	int has = store_ingest_pos_get(c->st, NG_SOURCE, &r.pos), rc = 0;

	if (has < 0)
		return -1;
	nfile_list(src, &f, &n);
	if (has == 1 && (at = find_position(&r, f, n)) < 0) {
		r.skip_until = r.pos.last_t;
		at = 0;
	}
	if (store_ingest_bulk(c->st, true) != 0 || store_begin(c->st) != 0) {
		nfiles_free(f, n);
		return -1;
	}
	for (size_t i = (size_t)at; rc == 0 && i < n; i++)
		rc = read_nfile(&r, &f[i], has == 1 && (long)i == at && r.skip_until == 0);
	if (rc == 0)
		rc = store_commit(c->st);
	else
		store_rollback(c->st);
	if (store_ingest_bulk(c->st, false) != 0)
		rc = -1;
	nfiles_free(f, n);
	*lines = r.lines;
	return rc;
}

/* A newer result than the store has: the state the log did not need to
 * mention, with the perfdata the log does not carry. */
static int
snapshot_results(struct ingest_ctx *c, const struct ng_status *s)
{
	for (size_t i = 0; i < s->nentries; i++) {
		const struct ng_status_entry *e = &s->entries[i];
		const char *svc = e->service ? e->service : INGEST_HOST_SERVICE;
		struct svc_row row;
		int has;

		if (!e->checked || ingest_check(c, e->host, svc) == NULL)
			continue;
		if ((has = store_get_service(c->st, e->host, svc, &row)) < 0)
			return -1;
		svc_row_free(&row);
		if (has && e->last_check <= row.st.last_check)
			continue;
		struct gl_result r = {.system = e->host,
		                      .service = svc,
		                      .state = e->service ? (enum gl_state)e->state
		                                          : ingest_host_state(e->state),
		                      .hard = e->hard,
		                      .attempt = e->attempt,
		                      .output = e->output,
		                      .long_output = e->long_output,
		                      .perfdata = e->perfdata,
		                      .t = e->last_check};
		if (ingest_result(c, &r) != 0)
			return -1;
	}
	return 0;
}

/* The log, when it is read, has said already with the exact time what
 * became of a downtime the snapshot no longer lists; the snapshot's own
 * time serves a Nagios whose log is not followed. */
static int
snapshot_downtimes(struct ingest_ctx *c, const struct ng_status *s)
{
	int64_t *seen = xcalloc(s->ndowntimes + 1, sizeof *seen);
	size_t nseen = 0;
	int rc = 0;

	for (size_t i = 0; rc == 0 && i < s->ndowntimes; i++) {
		const struct ng_downtime *d = &s->downtimes[i];
		struct ingest_window_args a = {.host = d->host,
		                               .ext_id = d->id,
		                               .comment = d->comment,
		                               .entry = d->entry,
		                               .start = d->start,
		                               .end = d->end,
		                               .fixed = d->fixed,
		                               .duration = d->duration};
		struct ingest_window *w;
		if (d->service != NULL)
			continue; /* a window is a whole system's: host downtimes only */
		rc = ingest_window_schedule(c, &a, &w);
		if (rc != 0 || w == NULL)
			continue;
		seen[nseen++] = w->downtime;
		if (d->in_effect && w->state == IW_SCHEDULED)
			rc = ingest_window_begin(
			        c, w, !d->fixed && d->flex_start ? d->flex_start : d->start);
	}
	if (rc == 0)
		rc = ingest_window_vanished(c, seen, nseen, s->created);
	free(seen);
	return rc;
}

int
ng_ingest_pass(struct ingest_ctx *c, const struct cfg_source *src, struct ng_pass_stats *stats,
               char *err, size_t errlen)
{
	struct ng_status s;
	int has = -1, rc;

	memset(stats, 0, sizeof *stats);
	if (src->status_dat != NULL) {
		has = ng_status_load(src->status_dat, &s, c->log, err, errlen);
		if (has < 0)
			return -1;
		stats->core_down = has == 1;
	}
	c->results = c->windows = 0;
	rc = ingest_begin(c);
	if (rc == 0)
		rc = read_log(c, src, &stats->lines);
	if (rc == 0 && has == 0 && store_begin(c->st) == 0) {
		rc = ingest_commit(c, snapshot_results(c, &s) != 0 ||
		                              snapshot_downtimes(c, &s) != 0);
	}
	if (rc != 0)
		snprintf(err, errlen, "store: %s", store_error(c->st));
	stats->results = c->results;
	stats->windows = c->windows;
	ingest_end(c);
	if (has == 0)
		ng_status_free(&s);
	return rc;
}

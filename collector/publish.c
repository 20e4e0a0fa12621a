#include "publish.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "strbuf.h"

__attribute__((format(printf, 3, 4))) static int
pub_fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

static char *
path_join(const char *a, const char *b)
{
	struct strbuf sb = STRBUF_INIT;

	sb_appendf(&sb, "%s/%s", a, b);
	return sb_detach(&sb);
}

/* Removes name under dfd, a directory with all it holds, without
 * following a symbolic link below it; best effort. */
static void
rm_at(int dfd, const char *name)
{
	int fd;
	DIR *d;
	struct dirent *de;

	if (unlinkat(dfd, name, 0) == 0 || (errno != EISDIR && errno != EPERM))
		return;
	fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	d = fd < 0 ? NULL : fdopendir(fd);
	if (d == NULL) {
		if (fd >= 0)
			close(fd);
		return;
	}
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
			rm_at(fd, de->d_name);
	closedir(d);
	unlinkat(dfd, name, AT_REMOVEDIR);
}

/* rm -rf without following symbolic links; best effort. */
static void
rm_tree(const char *path)
{
	rm_at(AT_FDCWD, path);
}

static void
pub_release(struct publish *p)
{
	if (p->lock_fd >= 0)
		close(p->lock_fd);
	if (p->gen_fd >= 0)
		close(p->gen_fd);
	if (p->cur_fd >= 0)
		close(p->cur_fd);
	for (size_t i = 0; i < p->ndirs; i++)
		free(p->dirs[i]);
	free(p->dirs);
	for (size_t i = 0; i < p->nfiles; i++)
		free(p->files[i]);
	free(p->files);
	free(p->out_dir);
	free(p->parent);
	free(p->base);
	free(p->gen_name);
	free(p->gen_path);
	memset(p, 0, sizeof *p);
	p->lock_fd = p->gen_fd = p->cur_fd = -1;
}

/* Splits out_dir into parent and base, refusing names that cannot be a
 * sibling-swapped directory ("", "/", ".", ".."). */
static int
pub_split(struct publish *p, const char *out_dir, char *err, size_t errlen)
{
	size_t len = strlen(out_dir);
	char *slash;

	while (len > 1 && out_dir[len - 1] == '/')
		len--;
	p->out_dir = xstrdup(out_dir);
	p->out_dir[len] = '\0';
	slash = strrchr(p->out_dir, '/');
	p->base = xstrdup(slash ? slash + 1 : p->out_dir);
	if (slash == NULL)
		p->parent = xstrdup(".");
	else if (slash == p->out_dir)
		p->parent = xstrdup("/");
	else
		p->parent = strndup(p->out_dir, (size_t)(slash - p->out_dir));
	if (p->parent == NULL)
		return pub_fail(err, errlen, "out of memory");
	if (p->base[0] == '\0' || strcmp(p->base, ".") == 0 || strcmp(p->base, "..") == 0)
		return pub_fail(err, errlen, "%s: not usable as a site directory", out_dir);
	return 0;
}

static int
pub_lock(struct publish *p, char *err, size_t errlen)
{
	struct strbuf name = STRBUF_INIT;
	char *path;

	sb_appendf(&name, ".%s.lock", p->base);
	path = path_join(p->parent, sb_str(&name));
	/* Created beside the site, where others may write: opened relative to
	 * the directory and never through a symlink, so a planted link cannot
	 * make glance create or truncate a file elsewhere. */
	int dfd = open(p->parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	p->lock_fd = dfd < 0 ? -1
	                     : openat(dfd, sb_str(&name),
	                              O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (dfd >= 0) {
		int e = errno;
		close(dfd);
		errno = e;
	}
	sb_free(&name);
	if (p->lock_fd < 0) {
		pub_fail(err, errlen, "%s: %s", path, strerror(errno));
		free(path);
		return -1;
	}
	if (flock(p->lock_fd, LOCK_EX | LOCK_NB) != 0) {
		pub_fail(err, errlen, "%s: %s", path,
		         errno == EWOULDBLOCK ? "another render of this site is running"
		                              : strerror(errno));
		free(path);
		return -1;
	}
	free(path);
	return 0;
}

/* A generation directory beside out_dir that out_dir does not name: the
 * previous one, or one a crashed render left (any of them will do; the
 * others go at the next cleanup). NULL when there is none. */
static char *
pub_previous(const struct publish *p)
{
	struct strbuf gen = STRBUF_INIT;
	char live[4096], *found = NULL;
	ssize_t n = readlink(p->out_dir, live, sizeof live - 1);
	const char *cur = "";
	struct dirent *de;
	DIR *d = opendir(p->parent);

	if (n > 0) {
		live[n] = '\0';
		cur = strrchr(live, '/') ? strrchr(live, '/') + 1 : live;
	}
	sb_appendf(&gen, "%s.gen-", p->base);
	while (d != NULL && found == NULL && (de = readdir(d)) != NULL)
		if ((de->d_type == DT_DIR || de->d_type == DT_UNKNOWN) &&
		    strncmp(de->d_name, gen.buf, gen.len) == 0 && strcmp(de->d_name, cur) != 0)
			found = xstrdup(de->d_name);
	if (d != NULL)
		closedir(d);
	sb_free(&gen);
	return found;
}

/* Takes the previous generation as the new one, when it is a directory
 * of this program's that nobody else can write to. */
static bool
pub_recycle(struct publish *p)
{
	char *prev = pub_previous(p);
	struct stat st;

	if (prev == NULL)
		return false;
	p->gen_path = path_join(p->parent, prev);
	free(prev);
	p->gen_fd = open(p->gen_path, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	if (p->gen_fd >= 0 && fstat(p->gen_fd, &st) == 0 && st.st_uid == geteuid() &&
	    (st.st_mode & 07777) == 0755)
		return true;
	if (p->gen_fd >= 0)
		close(p->gen_fd);
	p->gen_fd = -1;
	free(p->gen_path);
	p->gen_path = NULL;
	return false;
}

int
publish_begin(struct publish *p, const char *out_dir, char *err, size_t errlen)
{
	struct strbuf tmpl = STRBUF_INIT;

	memset(p, 0, sizeof *p);
	p->lock_fd = p->gen_fd = p->cur_fd = -1;
	if (pub_split(p, out_dir, err, errlen) != 0 || pub_lock(p, err, errlen) != 0) {
		pub_release(p);
		return -1;
	}
	p->recycled = pub_recycle(p);
	if (!p->recycled) {
		sb_appendf(&tmpl, "%s/%s.gen-XXXXXX", p->parent, p->base);
		p->gen_path = sb_detach(&tmpl);
		if (mkdtemp(p->gen_path) == NULL) {
			pub_fail(err, errlen, "%s: %s", p->gen_path, strerror(errno));
			pub_release(p);
			return -1;
		}
		p->gen_fd = open(p->gen_path, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	}
	p->gen_name = xstrdup(strrchr(p->gen_path, '/') + 1);
	/* mkdtemp makes it 0700; the web server must be able to read it. */
	if (p->gen_fd < 0 || fchmod(p->gen_fd, 0755) != 0) {
		pub_fail(err, errlen, "%s: %s", p->gen_path, strerror(errno));
		publish_abort(p);
		return -1;
	}
	/* what out_dir shows now, a generation or a plain directory; without
	 * one, every file is written */
	p->cur_fd = open(p->out_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	mode_t mask = umask(0);
	umask(mask);
	p->file_mode = 0644 & ~mask;
	return 0;
}

static int
relpath_ok(const char *rel)
{
	const char *s = rel;

	if (rel[0] == '/')
		return 0;
	for (;;) {
		size_t n = strcspn(s, "/");
		if (n == 0 || (n == 1 && s[0] == '.') || (n == 2 && s[0] == '.' && s[1] == '.'))
			return 0;
		if (s[n] == '\0')
			return 1;
		s += n + 1;
	}
}

/* The directories made so far, sorted: the back-ends write one
 * system's files at different times, and asking the file system again
 * for each one cost a system call a file. */
static bool
dir_made(struct publish *p, const char *dir, size_t *at)
{
	size_t lo = 0, hi = p->ndirs;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(p->dirs[mid], dir);
		if (c == 0)
			return true;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*at = lo;
	return false;
}

/* mkdir -p in the new generation for the directories leading to rel's
 * last component. */
static int
make_parents(struct publish *p, const char *rel, char *err, size_t errlen)
{
	const char *slash = strrchr(rel, '/');
	char *dir = slash ? strndup(rel, (size_t)(slash - rel)) : NULL;
	size_t at;

	if (slash == NULL)
		return 0;
	if (dir == NULL)
		return pub_fail(err, errlen, "out of memory");
	for (char *s = dir;; s++) {
		s = strchr(s, '/');
		if (s != NULL)
			*s = '\0';
		if (!dir_made(p, dir, &at)) {
			struct stat st;
			/* a recycled generation may hold a file where a directory
			 * is now wanted */
			if (p->recycled &&
			    fstatat(p->gen_fd, dir, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
			    !S_ISDIR(st.st_mode))
				unlinkat(p->gen_fd, dir, 0);
			if (mkdirat(p->gen_fd, dir, 0755) != 0 && errno != EEXIST) {
				pub_fail(err, errlen, "%s/%s: %s", p->gen_path, dir,
				         strerror(errno));
				free(dir);
				return -1;
			}
			p->dirs = xrealloc(p->dirs, (p->ndirs + 1) * sizeof *p->dirs);
			memmove(p->dirs + at + 1, p->dirs + at,
			        (p->ndirs - at) * sizeof *p->dirs);
			p->dirs[at] = xstrdup(dir);
			p->ndirs++;
		}
		if (s == NULL)
			break;
		*s = '/';
	}
	free(dir);
	return 0;
}

static int
write_all(int fd, const char *data, size_t len)
{
	while (len > 0) {
		ssize_t w = write(fd, data, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		data += w;
		len -= (size_t)w;
	}
	return 0;
}

/* Whether fd holds exactly the len bytes at data (its size is len). */
static bool
same_bytes(int fd, const char *data, size_t len)
{
	char buf[16384];

	while (len > 0) {
		ssize_t r = read(fd, buf, len < sizeof buf ? len : sizeof buf);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0 || memcmp(buf, data, (size_t)r) != 0)
			return false;
		data += r;
		len -= (size_t)r;
	}
	return true;
}

/* Opens rel under dfd when it is what this program would have made: a
 * regular file of its owner with the mode a new file gets (a file changed
 * by hand is written afresh); -1 otherwise. */
static int
pub_open_own(const struct publish *p, int dfd, const char *rel, int flags, struct stat *st)
{
	int fd = dfd < 0 ? -1 : openat(dfd, rel, flags | O_CLOEXEC | O_NOFOLLOW);

	if (fd >= 0 && (fstat(fd, st) != 0 || !S_ISREG(st->st_mode) ||
	                st->st_uid != geteuid() || (st->st_mode & 07777) != p->file_mode)) {
		close(fd);
		fd = -1;
	}
	return fd;
}

/* Whether fd, opened by pub_open_own, holds exactly these bytes. */
static bool
pub_same(int fd, const struct stat *st, const char *data, size_t len)
{
	return fd >= 0 && st->st_size == (off_t)len && same_bytes(fd, data, len);
}

/* Writes the len bytes at data over the file fd holds, from its start,
 * cutting off what is left of the old bytes. */
static int
write_over(int fd, const char *data, size_t len)
{
	if (lseek(fd, 0, SEEK_SET) != 0 || write_all(fd, data, len) != 0 ||
	    ftruncate(fd, (off_t)len) != 0)
		return -1;
	return 0;
}

/* Links rel from the current generation when that holds the same bytes
 * (publish.h), replacing what the new one has there. Any failure just
 * means the file is written. */
static bool
pub_link_current(struct publish *p, const char *rel, const char *data, size_t len)
{
	struct stat st;
	int fd = pub_open_own(p, p->cur_fd, rel, O_RDONLY, &st);
	bool same = pub_same(fd, &st, data, len);

	if (fd >= 0)
		close(fd);
	if (!same)
		return false;
	if (linkat(p->cur_fd, rel, p->gen_fd, rel, 0) == 0)
		return true;
	return errno == EEXIST && unlinkat(p->gen_fd, rel, 0) == 0 &&
	       linkat(p->cur_fd, rel, p->gen_fd, rel, 0) == 0;
}

/* A new file rel in the new generation, open for writing; -1 with errno
 * set when it cannot be made. */
static int
pub_create(struct publish *p, const char *rel)
{
	int fd = openat(p->gen_fd, rel, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW,
	                0644);

	/* a name written twice gets a new inode: the one there may be a link
	 * shared with the live site */
	if (fd < 0 && errno == EEXIST && unlinkat(p->gen_fd, rel, 0) == 0)
		fd = openat(p->gen_fd, rel,
		            O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644);
	return fd;
}

int
publish_write(struct publish *p, const char *relpath, const char *data, size_t len, char *err,
              size_t errlen)
{
	struct stat st;
	int fd = -1;

	if (!relpath_ok(relpath))
		return pub_fail(err, errlen, "refusing to write %s", relpath);
	if (make_parents(p, relpath, err, errlen) != 0)
		return -1;
	if (p->recycled) {
		p->files = xrealloc(p->files, (p->nfiles + 1) * sizeof *p->files);
		p->files[p->nfiles++] = xstrdup(relpath);
		/* the recycled generation's own file: kept when it holds these
		 * bytes already */
		fd = pub_open_own(p, p->gen_fd, relpath, O_RDWR, &st);
		if (pub_same(fd, &st, data, len)) {
			close(fd);
			return 0;
		}
	}
	if (pub_link_current(p, relpath, data, len)) {
		if (fd >= 0)
			close(fd);
		return 0;
	}
	/* A file no other generation links to is written over where it is:
	 * no reader is left in this generation, and a new inode would cost
	 * the file system one to allocate now and one to free later. One
	 * with other links (shared with the live site) is replaced by a new
	 * file. */
	if (fd >= 0 && st.st_nlink != 1) {
		close(fd);
		fd = -1;
	}
	if (fd < 0)
		fd = pub_create(p, relpath);
	if (fd < 0)
		return pub_fail(err, errlen, "%s/%s: %s", p->gen_path, relpath,
		                strerror(errno));
	if (write_over(fd, data, len) != 0) {
		pub_fail(err, errlen, "writing %s/%s: %s", p->gen_path, relpath,
		         strerror(errno));
		close(fd);
		return -1;
	}
	if (close(fd) != 0)
		return pub_fail(err, errlen, "writing %s/%s: %s", p->gen_path, relpath,
		                strerror(errno));
	return 0;
}

void
publish_abort(struct publish *p)
{
	if (p->gen_path != NULL && !p->recycled)
		rm_tree(p->gen_path);
	pub_release(p);
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool
listed(char **v, size_t n, const char *s)
{
	return n > 0 && bsearch(&s, v, n, sizeof *v, cmp_str) != NULL;
}

/* Removes from the recycled generation, below the directory dfd (rel
 * under the generation), every file and directory this render did not
 * write, so that it holds exactly the new site. */
static void
pub_prune(struct publish *p, int dfd, struct strbuf *rel)
{
	int fd = dup(dfd);
	DIR *d = fd < 0 ? NULL : fdopendir(fd);
	size_t at = rel->len;
	struct dirent *de;

	if (d == NULL) {
		if (fd >= 0)
			close(fd);
		return;
	}
	while ((de = readdir(d)) != NULL) {
		struct stat st;
		bool dir;
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		rel->len = at;
		if (rel->buf != NULL)
			rel->buf[at] = '\0';
		sb_appendf(rel, "%s%s", at ? "/" : "", de->d_name);
		dir = de->d_type == DT_DIR ||
		      (de->d_type == DT_UNKNOWN &&
		       fstatat(dfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
		       S_ISDIR(st.st_mode));
		if (!listed(dir ? p->dirs : p->files, dir ? p->ndirs : p->nfiles, rel->buf)) {
			rm_at(dfd, de->d_name);
		} else if (dir) {
			int sub = openat(dfd, de->d_name,
			                 O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
			if (sub >= 0) {
				pub_prune(p, sub, rel);
				close(sub);
			}
		}
	}
	closedir(d);
	rel->len = at;
	if (rel->buf != NULL)
		rel->buf[at] = '\0';
}

/* fsync on a directory makes its entries (a rename, a new link) durable. */
static int
sync_path(const char *path, int whole_fs)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC), rc;

	if (fd < 0)
		return -1;
	rc = whole_fs ? syncfs(fd) : fsync(fd);
	close(fd);
	return rc;
}

enum old_kind { OLD_NONE, OLD_LINK, OLD_DIR };

/* What is at out_dir now; for a link, the name of its target in prev. */
static int
pub_inspect(struct publish *p, enum old_kind *kind, char **prev, char *err, size_t errlen)
{
	struct stat st;
	char buf[4096];
	ssize_t n;

	*prev = NULL;
	if (lstat(p->out_dir, &st) != 0) {
		if (errno != ENOENT)
			return pub_fail(err, errlen, "%s: %s", p->out_dir, strerror(errno));
		*kind = OLD_NONE;
		return 0;
	}
	if (S_ISDIR(st.st_mode)) {
		*kind = OLD_DIR;
		return 0;
	}
	if (!S_ISLNK(st.st_mode))
		return pub_fail(err, errlen, "%s: exists and is neither a directory nor a link",
		                p->out_dir);
	n = readlink(p->out_dir, buf, sizeof buf - 1);
	if (n < 0)
		return pub_fail(err, errlen, "%s: %s", p->out_dir, strerror(errno));
	buf[n] = '\0';
	*kind = OLD_LINK;
	*prev = xstrdup(strrchr(buf, '/') ? strrchr(buf, '/') + 1 : buf);
	return 0;
}

/* Puts a link to the new generation at out_dir in one rename. A plain
 * directory there is exchanged atomically and kept as the previous
 * generation under a name the next cleanup will recognise. */
static int
pub_swap(struct publish *p, enum old_kind kind, char **prev, char *err, size_t errlen)
{
	const char *suffix = p->gen_name + strlen(p->base) + strlen(".gen-");
	struct strbuf sb = STRBUF_INIT;
	char *lnk, *aside = NULL;
	int rc = -1;

	sb_appendf(&sb, "%s/.%s.lnk-%s", p->parent, p->base, suffix);
	lnk = sb_detach(&sb);
	unlink(lnk);
	if (symlink(p->gen_name, lnk) != 0) {
		pub_fail(err, errlen, "%s: %s", lnk, strerror(errno));
		goto out;
	}
	if (kind != OLD_DIR ? rename(lnk, p->out_dir)
	                    : renameat2(AT_FDCWD, lnk, AT_FDCWD, p->out_dir, RENAME_EXCHANGE)) {
		pub_fail(err, errlen, "%s: %s", p->out_dir, strerror(errno));
		unlink(lnk);
		goto out;
	}
	rc = 0;
	if (kind == OLD_DIR) {
		sb_appendf(&sb, "%s.gen-old%s", p->base, suffix);
		*prev = sb_detach(&sb);
		aside = path_join(p->parent, *prev);
		if (rename(lnk, aside) != 0)
			rm_tree(lnk);
	}
out:
	free(aside);
	free(lnk);
	return rc;
}

/* Removes generations other than the new and the previous one, and links
 * left by a crash between symlink() and rename(). Best effort: the new
 * site is already live. */
static void
pub_cleanup(struct publish *p, const char *prev)
{
	struct strbuf gen = STRBUF_INIT, lnk = STRBUF_INIT;
	struct dirent *de;
	DIR *d = opendir(p->parent);

	if (d == NULL)
		return;
	sb_appendf(&gen, "%s.gen-", p->base);
	sb_appendf(&lnk, ".%s.lnk-", p->base);
	while ((de = readdir(d)) != NULL) {
		char *path;
		int is_gen = strncmp(de->d_name, gen.buf, gen.len) == 0;
		if (!is_gen && strncmp(de->d_name, lnk.buf, lnk.len) != 0)
			continue;
		if (is_gen && (strcmp(de->d_name, p->gen_name) == 0 ||
		               (prev != NULL && strcmp(de->d_name, prev) == 0)))
			continue;
		path = path_join(p->parent, de->d_name);
		rm_tree(path);
		free(path);
	}
	closedir(d);
	sb_free(&gen);
	sb_free(&lnk);
}

int
publish_commit(struct publish *p, char *err, size_t errlen)
{
	enum old_kind kind;
	char *prev = NULL;

	if (p->recycled) {
		struct strbuf rel = STRBUF_INIT;
		qsort(p->files, p->nfiles, sizeof *p->files, cmp_str);
		pub_prune(p, p->gen_fd, &rel);
		sb_free(&rel);
	}
	if (sync_path(p->gen_path, 1) != 0) {
		pub_fail(err, errlen, "flushing %s: %s", p->gen_path, strerror(errno));
		publish_abort(p);
		return -1;
	}
	if (pub_inspect(p, &kind, &prev, err, errlen) != 0 ||
	    pub_swap(p, kind, &prev, err, errlen) != 0) {
		free(prev);
		publish_abort(p);
		return -1;
	}
	/* The swap has happened; a failed fsync here only risks that a crash
	 * in the next moments brings back the previous, complete site. */
	sync_path(p->parent, 0);
	pub_cleanup(p, prev);
	free(prev);
	pub_release(p);
	return 0;
}

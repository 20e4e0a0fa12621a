/* Atomic publication of a generated site.
 *
 * out_dir is a symbolic link to the current generation, a sibling
 * directory named "<out_dir>.gen-XXXXXX". A new generation is written into
 * a fresh sibling, flushed to disk (syncfs), and then a new symbolic link
 * is renamed over out_dir: rename(2) is atomic, so a reader (a web server
 * resolving out_dir per request) sees the whole old site or the whole new
 * one, and a crash at any point leaves out_dir naming a complete site. The
 * previous generation is kept, so requests that resolved the old link a
 * moment before the swap still complete; older ones and the leftovers of
 * crashed runs are removed after the swap.
 *
 * The next render writes into that previous generation (a render ago, no
 * reader is left in it) instead of a fresh directory: a file it already
 * holds with the right bytes stays, one the current generation holds is
 * linked, one of its own files (no other link) is written over in place,
 * any other is a new file; what this render did not write is removed
 * before the swap. Most of a site is the same from one render to the
 * next, so a render writes only the files that changed, and creates no
 * directories and, once the site settles, no inodes.
 *
 * A plain directory already at out_dir (a site from before) is swapped out
 * the same way, atomically, with renameat2(RENAME_EXCHANGE).
 *
 * A lock file ".<name>.lock" beside out_dir keeps two renders from
 * interleaving. */
#ifndef GLANCE_PUBLISH_H
#define GLANCE_PUBLISH_H

#include <stddef.h>

struct publish {
	char *out_dir;  /* as given, without trailing '/' */
	char *parent;   /* the directory that holds out_dir */
	char *base;     /* out_dir's last component */
	char *gen_name; /* "<base>.gen-XXXXXX", relative to parent */
	char *gen_path; /* parent/gen_name */
	int lock_fd;
	int gen_fd;         /* the new generation's directory */
	int cur_fd;         /* the current generation's (-1: none yet) */
	unsigned file_mode; /* a new file's, after the umask */
	char **dirs;        /* the directories made in it, relative, sorted */
	size_t ndirs;
	int recycled;       /* gen is the previous generation, written over */
	char **files;       /* the files written in it, relative (recycled only) */
	size_t nfiles;
};

/* Takes the lock and finds or creates the new generation's directory. On
 * failure nothing is left behind and p needs no publish_abort. */
int publish_begin(struct publish *p, const char *out_dir, char *err, size_t errlen);

/* Writes one file of the new generation; relpath ("a/b/c.html") must not
 * start with '/' nor contain "..". Missing directories are created. A
 * file the current generation has with the same bytes becomes a hard
 * link to it instead: a file with more than one link is never written
 * again (it is replaced by a new inode), so sharing it is safe, and it
 * saves the file system an inode to allocate now and one to free later. */
int publish_write(struct publish *p, const char *relpath, const char *data, size_t len,
                  char *err, size_t errlen);

/* Flushes the new generation, swaps it in and removes stale generations.
 * On failure the new generation is removed and out_dir is untouched.
 * Releases p either way. */
int publish_commit(struct publish *p, char *err, size_t errlen);

/* Removes the new generation and releases p; out_dir is untouched. A
 * previous generation that was being written over is left for the next
 * render to finish. */
void publish_abort(struct publish *p);

#endif

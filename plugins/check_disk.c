/* check_disk: free space and inodes of local file systems, or of a remote
 * host's disks over SNMP (HOST-RESOURCES-MIB hrStorageTable, falling back
 * to UCD-SNMP-MIB dskTable). Thresholds and output follow monitoring-plugins'
 * check_disk (see common/disk.h for the exact semantics).
 *
 * Local mode never calls statfs() in the main process: a dead NFS server
 * or a wedged FUSE daemon blocks statfs() for ever. Each file system is
 * probed by a child that writes its numbers to a pipe; the parent waits
 * for all of them within the deadline, and a child that has not answered
 * by then is killed and its mount reported as not responding, while the
 * others are still checked.
 *
 * The child is a process, not a thread: a FUSE request the daemon has
 * already read is waited for uninterruptibly even after SIGKILL, and a
 * process whose thread sleeps so can neither exit nor be reaped, so its
 * caller would hang with it. But it is cloned with CLONE_VM, sharing our
 * memory, because copying the address space for a fork() (page tables,
 * then a copy-on-write fault for each page we touch after) cost about
 * 0.2 ms a probe, a fifth of a one-mount run. Sharing memory without
 * a thread's TLS of its own is safe only for code that neither allocates
 * nor uses stdio, so the child runs probe_child() alone: plain system
 * calls, its own stack, a pipe. errno is the one thread variable both
 * write (the child's failing calls set it): we read it only right after
 * a failed call of our own, so a collision could at worst change the
 * reason an error names. The stack of a child that never answered stays
 * mapped, since it may still wake up; the process ends soon anyway. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <regex.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/statfs.h>
#include <sys/types.h>
#include <unistd.h>

#include "deadline.h"
#include "disk.h"
#include "opts.h"
#include "output.h"
#include "perfdata.h"
#include "snmp.h"
#include "strbuf.h"

enum {
	OPT_SNMP = 256,
	OPT_TABLE,
	OPT_STALE_STATE,
	OPT_STAT_TIMEOUT,
};

enum disk_table { TABLE_AUTO, TABLE_HR, TABLE_DSK };

struct strlist {
	char **v;
	size_t n;
};

struct relist {
	regex_t *v;
	size_t n;
};

struct disk_cfg {
	struct disk_limits lim; /* for mounts no -p names */
	struct strlist paths, excl_paths, excl_types, incl_types;
	/* Per -p, as check_disk: the thresholds and -g group in effect when
	 * it was given ("-w 10% -p /a -C -w 5% -p /b"). */
	struct disk_limits *path_lim;
	char **path_group;
	const char *group;       /* -g: for the -p paths that follow */
	bool cleared_bare;       /* a -C came before any -p: all mounts too */
	struct disk_limits bare; /* the thresholds that -C cleared then */
	size_t paths_since_clear;
	bool ignore_reserved, stat_remote;
	struct relist incl_re, excl_re;
	bool local_only, all, errors_only, exact, show_device, inode_perf;
	enum gl_state stale_state;
	double stat_timeout; /* seconds; 0: until the run's deadline */
	bool snmp;
	struct snmpc_opts so;
	enum disk_table table;
};

/* One file system in the report. */
struct disk_fs {
	char *name; /* mount point, or the path asked for when it failed */
	char *device;
	char *type;
	struct disk_usage u;
	char *error; /* set when there are no numbers */
	char *note;  /* the agent's own complaint (dskErrorMsg), or NULL */
	enum gl_state state;
	bool inode_alert;
	size_t order;
	const struct disk_limits *lim; /* its -p's thresholds, or NULL: the run's */
	const char *group;             /* -g name, or NULL */
};

struct disk_check {
	const struct disk_cfg *cfg;
	struct disk_fs *fs;
	size_t n, cap;
	struct gl_output out;
};

/* What a probe child sends back through its pipe. */
struct probe_result {
	int err; /* errno of statfs() or of resolving the path, 0 on success */
	uint64_t frsize, blocks, bfree, bavail, files, ffree;
	char real[PATH_MAX];
};

struct probe {
	const char *path;
	bool want_real; /* also resolve the path (for -p inside a mount) */
	pid_t pid;
	int fd, child_fd; /* our end of the pipe, and the child's */
	void *stack;      /* the child's; unmapped once it has exited */
	size_t got;
	bool started, done, hung;
	struct probe_result r;
};

/* Children at once: enough for any real host, few enough that a machine
 * with thousands of mounts cannot run us out of processes or fds. */
#define PROBE_MAX 64
/* A probe child's stack, above one guard page; it needs a few KiB (the
 * sanitizer build's interceptors included). */
#define PROBE_STACK (64 * 1024)
#define PROBE_GUARD 4096

/* A mount table entry. */
struct mount {
	char *mount, *type, *source;
	bool whole; /* the file system's root is mounted here (not a bind of a subtree) */
	unsigned major, minor;
	bool selected, explicit;
};

struct mtab {
	struct mount *m;
	size_t n, cap;
};

static const struct opt_spec disk_opts[] = {
        {'w', "warning", required_argument, "FREE",
         "Warning when free space is at or below FREE: a percentage (20%) or a\n"
         "size (500 in -u units, or 500MB); may be given once of each kind."},
        {'c', "critical", required_argument, "FREE", "Critical, as -w."},
        {'W', "iwarning", required_argument, "PERCENT",
         "Warning when free inodes are at or below PERCENT (10%)."},
        {'K', "icritical", required_argument, "PERCENT", "Critical, as -W."},
        {'u', "units", required_argument, "UNIT",
         "Unit for sizes without one and for output: B, KiB, MiB (default),\n"
         "GiB, TiB, PiB (KB, MB... are accepted and count in 1024s)."},
        {'k', "kilobytes", no_argument, NULL, "Same as -u KiB."},
        {'m', "megabytes", no_argument, NULL, "Same as -u MiB."},
        {'p', "path", required_argument, "PATH",
         "Check the file system mounted at PATH, or holding PATH; repeatable.\n"
         "A PATH that does not exist is CRITICAL."},
        {'x', "exclude-device", required_argument, "PATH",
         "Skip the mount point (or device) PATH; repeatable."},
        {'X', "exclude-type", required_argument, "TYPE", "Skip file systems of TYPE."},
        {'N', "include-type", required_argument, "TYPE",
         "Check only file systems of TYPE (also pseudo types such as tmpfs)."},
        {'l', "local", no_argument, NULL, "Skip network file systems (nfs, cifs, ...)."},
        {'A', "all", no_argument, NULL,
         "Check every mount that has a size, pseudo file systems (tmpfs,\n"
         "overlay...) included."},
        {'r', "eregi-path", required_argument, "REGEX",
         "Check mounts whose mount point or device matches REGEX."},
        {'R', "eregi-partition", required_argument, "REGEX", "As -r, ignoring case."},
        {'i', "ignore-ereg-path", required_argument, "REGEX", "Skip mounts matching REGEX."},
        {'I', "ignore-eregi-path", required_argument, "REGEX", "As -i, ignoring case."},
        {'E', "exact-match", no_argument, NULL, "-p must name mount points exactly."},
        {'e', "errors-only", no_argument, NULL,
         "List only file systems in WARNING or CRITICAL in the summary."},
        {'M', "mountpoint", no_argument, NULL, "Name file systems by device, not mount point."},
        {'P', "inode-perfdata", no_argument, NULL, "Inode perfdata even without -W/-K."},
        {'C', "clear", no_argument, NULL,
         "Clear the thresholds: -w/-c/-W/-K given before a -p apply to that\n"
         "path, so \"-w 10% -c 5% -p /tmp -C -w 5% -c 2% -p /srv\" gives each\n"
         "its own. A -C before any -p also checks all mounts with the\n"
         "thresholds it cleared, as check_disk."},
        {'g', "group", required_argument, "NAME",
         "The -p paths that follow form one group, reported and judged as one\n"
         "file system of their summed space (until the next -C)."},
        {'f', "freespace-ignore-reserved", no_argument, NULL,
         "Perfdata counts the root reserve as used (used = size - free for\n"
         "users), as check_disk -f."},
        {'L', "stat-remote-fs", no_argument, NULL,
         "Remote file systems are only checked for answering (statvfs); the\n"
         "thresholds apply to local ones."},
        {OPT_STALE_STATE, "stale-state", required_argument, "STATE",
         "State of a mount that does not answer statvfs() in time (default\n"
         "critical); the other mounts are still checked."},
        {OPT_STAT_TIMEOUT, "stat-timeout", required_argument, "SECONDS",
         "How long a mount may take to answer (default: the rest of -t)."},
        {'H', "hostname", required_argument, "HOST", "Check HOST's disks over SNMP."},
        {OPT_SNMP, "snmp", no_argument, NULL, "SNMP mode (implied by -H)."},
        SNMPC_OPT_SPECS,
        {OPT_TABLE, "snmp-table", required_argument, "auto|hrstorage|dsk",
         "Which table to read (auto: hrStorageTable, else dskTable)."},
        OPT_END,
};

static const struct plugin_desc disk_desc = {
        .name = "check_disk",
        .service = "DISK",
        .purpose = "Checks free space and inodes of local file systems, or of a host's\n"
                   "disks over SNMP, against percent or size thresholds.",
        .usage = "-w FREE -c FREE [-W PCT -K PCT] [-p PATH]... [-x PATH] [-X TYPE] [-N TYPE]\n"
                 "       [-C -w FREE -c FREE [-g GROUP] -p PATH...]... [-f] [-L]\n"
                 "       [-u UNIT] [-l] [-A] [-e] [-M] [-r REGEX] [-t SECS[:STATE]]\n"
                 "       [-H HOST [--snmp-version 2c|3] [--snmp-auth-file FILE] ...]",
        .notes =
                "Free space is what an unprivileged user can still write (f_bavail): blocks\n"
                "reserved for root count as used. A threshold alerts when free space is AT or\n"
                "below it; percentages are whole numbers (used share rounded up, as df).\n"
                "Skipped unless named by -p, -N or -A: proc, sysfs, tmpfs, devtmpfs, overlay,\n"
                "squashfs, cgroup and other pseudo file systems.\n"
                "Perfdata: 'MOUNT'=USEDB;WARN;CRIT;0;TOTAL in bytes (the used levels at which\n"
                "the thresholds alert), and 'MOUNT (inodes)'=USED;WARN;CRIT;0;TOTAL with "
                "-W/-K/-P.\n"
                "SNMP mode reads hrStorageTable fixed disks (size x allocation units, 32-bit\n"
                "wrap corrected) or dskTable (64-bit pairs, inode percent). No answer within\n"
                "-t is the -t state (critical; never OK), refused v3 credentials "
                "UNKNOWN.\n" SNMPC_HELP_MODULE "Examples:\n"
                "  check_disk -w 20% -c 10% -p / -p /var\n"
                "  check_disk -w 10% -c 5% -p /tmp -C -w 5% -c 2% -p /srv\n"
                "  check_disk -w 1000 -c 500 -g data -p /srv/a -p /srv/b\n"
                "  check_disk -u GiB -w 5 -c 2 -W 10% -K 5% -p /var -L\n"
                "  check_disk -H nas.example.test --community file:/etc/glance/community",
        .opts = disk_opts,
};

static void
strlist_add(struct strlist *l, const char *s)
{
	l->v = xrealloc(l->v, (l->n + 1) * sizeof *l->v);
	l->v[l->n++] = xstrdup(s);
}

static bool
strlist_has(const struct strlist *l, const char *s)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i], s) == 0)
			return true;
	return false;
}

static void
strlist_free(struct strlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
}

static void
relist_add(const struct opts *o, struct relist *l, const char *re, bool icase)
{
	l->v = xrealloc(l->v, (l->n + 1) * sizeof *l->v);
	int rc = regcomp(&l->v[l->n], re, REG_EXTENDED | REG_NOSUB | (icase ? REG_ICASE : 0));
	if (rc != 0) {
		char msg[160];
		regerror(rc, &l->v[l->n], msg, sizeof msg);
		opts_usage_error(o, "%s: bad regular expression '%s': %s", o->current, re, msg);
	}
	l->n++;
}

static bool
relist_match(const struct relist *l, const char *a, const char *b)
{
	for (size_t i = 0; i < l->n; i++)
		if (regexec(&l->v[i], a, 0, NULL, 0) == 0 ||
		    (b && regexec(&l->v[i], b, 0, NULL, 0) == 0))
			return true;
	return false;
}

static void
relist_free(struct relist *l)
{
	for (size_t i = 0; i < l->n; i++)
		regfree(&l->v[i]);
	free(l->v);
}

static void
cfg_units(const struct opts *o, struct disk_cfg *c, const char *arg)
{
	if (disk_unit_parse(arg, &c->lim.unit, &c->lim.unit_name) != 0)
		opts_usage_error(o, "%s: unknown unit '%s' (B, KiB, MiB, GiB, TiB, PiB)",
		                 o->current, arg);
}

static bool
cfg_snmp_option(const struct opts *o, struct disk_cfg *c, int key, const char *arg)
{
	switch (key) {
	case 'H':
		snmpc_opts_set(&c->so.host, arg);
		c->snmp = true;
		break;
	case OPT_SNMP: c->snmp = true; break;
	case OPT_TABLE:
		if (strcmp(arg, "auto") == 0)
			c->table = TABLE_AUTO;
		else if (strcmp(arg, "hrstorage") == 0)
			c->table = TABLE_HR;
		else if (strcmp(arg, "dsk") == 0)
			c->table = TABLE_DSK;
		else
			opts_usage_error(o, "%s: expected auto, hrstorage or dsk", o->current);
		break;
	default: return snmpc_option(o, &c->so, key, arg);
	}
	return true;
}

/* A -p takes the thresholds and group in effect now. */
static void
cfg_path(struct disk_cfg *c, const char *arg)
{
	size_t n = c->paths.n;

	strlist_add(&c->paths, arg);
	c->path_lim = xrealloc(c->path_lim, (n + 1) * sizeof *c->path_lim);
	c->path_group = xrealloc(c->path_group, (n + 1) * sizeof *c->path_group);
	c->path_lim[n] = c->lim;
	c->path_group[n] = (char *)c->group;
	c->paths_since_clear++;
}

/* check_disk -C: thresholds start again; the unit stays. A -C before any
 * -p keeps what it cleared for all the other mounts. */
static void
cfg_clear(struct disk_cfg *c)
{
	struct disk_limits fresh = {.unit = c->lim.unit, .unit_name = c->lim.unit_name};

	if (c->paths.n == 0 && !c->cleared_bare) {
		c->cleared_bare = true;
		c->bare = c->lim;
	}
	c->lim = fresh;
	c->group = NULL;
	c->paths_since_clear = 0;
}

static void
cfg_option(const struct opts *o, struct disk_cfg *c, int key, const char *arg)
{
	char err[200];

	switch (key) {
	case 'w':
	case 'c':
	case 'W':
	case 'K':
		opts_require(o, disk_limits_parse(&c->lim, key, arg, err, sizeof err), err);
		break;
	case 'u': cfg_units(o, c, arg); break;
	case 'k': cfg_units(o, c, "KiB"); break;
	case 'm': cfg_units(o, c, "MiB"); break;
	case 'p': cfg_path(c, arg); break;
	case 'C': cfg_clear(c); break;
	case 'g': c->group = arg; break;
	case 'f': c->ignore_reserved = true; break;
	case 'L': c->stat_remote = true; break;
	case 'x': strlist_add(&c->excl_paths, arg); break;
	case 'X': strlist_add(&c->excl_types, arg); break;
	case 'N': strlist_add(&c->incl_types, arg); break;
	case 'l': c->local_only = true; break;
	case 'A': c->all = true; break;
	case 'r':
	case 'R': relist_add(o, &c->incl_re, arg, key == 'R'); break;
	case 'i':
	case 'I': relist_add(o, &c->excl_re, arg, key == 'I'); break;
	case 'E': c->exact = true; break;
	case 'e': c->errors_only = true; break;
	case 'M': c->show_device = true; break;
	case 'P': c->inode_perf = true; break;
	case OPT_STALE_STATE: c->stale_state = opts_state(o, arg); break;
	case OPT_STAT_TIMEOUT: c->stat_timeout = opts_double(o, arg, 0.01, 86400); break;
	default:
		if (!cfg_snmp_option(o, c, key, arg))
			opts_usage_error(o, "unhandled option %s", o->current);
	}
}

static void
cfg_parse(struct disk_cfg *c, int argc, char **argv)
{
	struct opts o;
	const char *arg;
	int key;

	memset(c, 0, sizeof *c);
	c->lim.unit = (uint64_t)1 << 20;
	c->lim.unit_name = "MiB";
	c->stale_state = GL_CRITICAL;
	c->so.retries = -1;
	opts_init(&o, &disk_desc, argc, argv);
	while ((key = opts_next(&o, &arg)) != -1)
		cfg_option(&o, c, key, arg);
	if (c->snmp && (c->so.host == NULL || c->so.host[0] == '\0'))
		opts_usage_error(&o, "SNMP mode needs -H HOST");
	if (c->snmp && (c->excl_types.n || c->incl_types.n || c->local_only))
		opts_usage_error(&o, "-X, -N and -l select by file system type, which SNMP "
		                     "does not report");
	if (c->snmp)
		snmpc_opts_env(&c->so);
	/* After the last -p, thresholds given with no path of their own are
	 * the ones for the other mounts; without them, those a bare -C kept. */
	bool trailing = c->lim.warn_pct.set || c->lim.crit_pct.set || c->lim.warn_abs.set ||
	                c->lim.crit_abs.set || c->lim.warn_inode.set || c->lim.crit_inode.set;
	if (c->cleared_bare && !trailing)
		c->lim = c->bare;
	opts_done(&o);
}

static void
cfg_free(struct disk_cfg *c)
{
	strlist_free(&c->paths);
	free(c->path_lim);
	free(c->path_group);
	strlist_free(&c->excl_paths);
	strlist_free(&c->excl_types);
	strlist_free(&c->incl_types);
	relist_free(&c->incl_re);
	relist_free(&c->excl_re);
	snmpc_opts_free(&c->so);
}

/* ---- the report ---- */

static struct disk_fs *
check_add(struct disk_check *ck, const char *name, const char *device, const char *type)
{
	if (ck->n == ck->cap) {
		ck->cap = ck->cap ? ck->cap * 2 : 16;
		ck->fs = xrealloc(ck->fs, ck->cap * sizeof *ck->fs);
	}
	struct disk_fs *f = &ck->fs[ck->n];
	memset(f, 0, sizeof *f);
	f->name = xstrdup(name);
	f->device = xstrdup(device ? device : name);
	f->type = xstrdup(type ? type : "");
	f->u.inode_free_pct = -1;
	f->order = ck->n++;
	return f;
}

static bool
check_has(const struct disk_check *ck, const char *name)
{
	for (size_t i = 0; i < ck->n; i++)
		if (strcmp(ck->fs[i].name, name) == 0)
			return true;
	return false;
}

/* Marks f as having no numbers, with a message that names it. */
__attribute__((format(printf, 3, 4))) static void
fs_error(struct disk_fs *f, enum gl_state st, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	sb_vappendf(&sb, fmt, ap);
	va_end(ap);
	f->error = sb_detach(&sb);
	f->state = st;
}

/* ---- local mode: the mount table ---- */

static void
mtab_read(struct mtab *t, char *err, size_t errlen)
{
	FILE *fp = fopen("/proc/self/mountinfo", "re");
	char *line = NULL;
	size_t cap = 0;
	struct disk_mountinfo mi;

	memset(t, 0, sizeof *t);
	if (fp == NULL) {
		snprintf(err, errlen, "cannot read /proc/self/mountinfo: %s", strerror(errno));
		return;
	}
	while (getline(&line, &cap, fp) > 0) {
		if (disk_mountinfo_parse(line, &mi) != 0)
			continue;
		/* A later mount on the same point hides the earlier one. */
		for (size_t i = 0; i < t->n; i++)
			if (t->m[i].mount && strcmp(t->m[i].mount, mi.mount) == 0) {
				free(t->m[i].mount), free(t->m[i].type), free(t->m[i].source);
				t->m[i].mount = t->m[i].type = t->m[i].source = NULL;
			}
		if (t->n == t->cap) {
			t->cap = t->cap ? t->cap * 2 : 64;
			t->m = xrealloc(t->m, t->cap * sizeof *t->m);
		}
		t->m[t->n++] = (struct mount){.mount = xstrdup(mi.mount),
		                              .type = xstrdup(mi.type),
		                              .source = xstrdup(mi.source),
		                              .whole = strcmp(mi.root, "/") == 0,
		                              .major = mi.major,
		                              .minor = mi.minor};
	}
	free(line);
	fclose(fp);
}

static void
mtab_free(struct mtab *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->m[i].mount), free(t->m[i].type), free(t->m[i].source);
	free(t->m);
}

/* The mount whose mount point is the longest prefix of path. */
static struct mount *
mtab_holding(struct mtab *t, const char *path)
{
	struct mount *best = NULL;
	size_t best_len = 0;

	for (size_t i = 0; i < t->n; i++) {
		const char *mp = t->m[i].mount;
		size_t l = mp ? strlen(mp) : 0;
		if (l == 0 || strncmp(path, mp, l) != 0)
			continue;
		if (!(l == 1 || path[l] == '\0' || path[l] == '/'))
			continue;
		if (l >= best_len)
			best = &t->m[i], best_len = l;
	}
	return best;
}

static struct mount *
mtab_find(struct mtab *t, const char *mp)
{
	for (size_t i = 0; i < t->n; i++)
		if (t->m[i].mount && strcmp(t->m[i].mount, mp) == 0)
			return &t->m[i];
	return NULL;
}

/* Filters that apply to every mount, named or found. */
static bool
mount_excluded(const struct disk_cfg *c, const struct mount *m)
{
	return strlist_has(&c->excl_paths, m->mount) ||
	       strlist_has(&c->excl_paths, m->source) || strlist_has(&c->excl_types, m->type) ||
	       (c->local_only && disk_type_is_remote(m->type)) ||
	       relist_match(&c->excl_re, m->mount, m->source);
}

/* Whether a mount is checked without being named by -p. */
static bool
mount_auto(const struct disk_cfg *c, const struct mount *m)
{
	if (c->incl_types.n > 0 && !strlist_has(&c->incl_types, m->type))
		return false;
	if (c->incl_types.n == 0 && disk_type_is_sizeless(m->type))
		return false;
	if (c->incl_re.n > 0)
		return relist_match(&c->incl_re, m->mount, m->source);
	if (c->paths.n > 0 && !c->cleared_bare)
		return false;
	return c->all || c->incl_types.n > 0 || !disk_type_is_pseudo(m->type);
}

/* ---- local mode: probes ---- */

/* "/proc/self/fd/N" into buf (at least 32 bytes), without stdio. */
static void
probe_fd_link(char *buf, int fd)
{
	static const char pre[] = "/proc/self/fd/";
	char digits[12];
	size_t nd = 0, n = sizeof pre - 1;

	do
		digits[nd++] = (char)('0' + fd % 10);
	while ((fd /= 10) > 0 && nd < sizeof digits);
	memcpy(buf, pre, n);
	while (nd > 0)
		buf[n++] = digits[--nd];
	buf[n] = '\0';
}

/* The canonical name of path, as the kernel resolved it on opening it:
 * realpath() may allocate, which the child must not. */
static int
probe_resolve(const char *path, char *real, size_t len)
{
	char link[32];
	int fd = open(path, O_PATH | O_CLOEXEC);

	if (fd < 0)
		return errno;
	probe_fd_link(link, fd);
	ssize_t got = readlink(link, real, len - 1);
	int e = got < 0 ? errno : 0;
	close(fd);
	real[got < 0 ? 0 : got] = '\0';
	return e;
}

/* The child: statfs() and, for a -p path, its canonical name, sent whole
 * through the pipe. Not instrumented: the sanitizers' runtime keeps
 * per-thread state, and this process has no thread of its own. */
__attribute__((no_sanitize("address", "undefined"))) static int
probe_child(void *arg)
{
	const struct probe *p = arg;
	struct probe_result r;
	struct statfs sf;

	/* A child stuck in the kernel on a hard mount cannot even be killed;
	 * it must not hold the plugin's stdout open, or whoever reads our
	 * output (Nagios, the shell) would wait for it too. */
	int null = open("/dev/null", O_RDWR | O_CLOEXEC);
	for (int i = 0; i <= 2; i++)
		if (null < 0 || dup2(null, i) < 0)
			close(i);
	memset(&r, 0, sizeof r);
	if (statfs(p->path, &sf) != 0) {
		r.err = errno;
	} else {
		r.frsize = (uint64_t)(sf.f_frsize ? sf.f_frsize : sf.f_bsize);
		r.blocks = sf.f_blocks, r.bfree = sf.f_bfree, r.bavail = sf.f_bavail;
		r.files = sf.f_files, r.ffree = sf.f_ffree;
		if (p->want_real)
			r.err = probe_resolve(p->path, r.real, sizeof r.real);
	}
	const char *b = (const char *)&r;
	for (size_t off = 0; off < sizeof r;) {
		ssize_t w = write(p->child_fd, b + off, sizeof r - off);
		if (w <= 0)
			break;
		off += (size_t)w;
	}
	_exit(0);
}

/* A stack for one child, with a guard page below it; NULL on failure. */
static void *
probe_stack(void)
{
	void *s = mmap(NULL, PROBE_STACK + PROBE_GUARD, PROT_READ | PROT_WRITE,
	               MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
	if (s == MAP_FAILED)
		return NULL;
	if (mprotect(s, PROBE_GUARD, PROT_NONE) != 0) {
		munmap(s, PROBE_STACK + PROBE_GUARD);
		return NULL;
	}
	return s;
}

static void
probe_start(struct probe *p)
{
	int fds[2];

	p->fd = -1;
	p->stack = probe_stack();
	if (p->stack == NULL || pipe2(fds, O_CLOEXEC) != 0) {
		p->r.err = errno, p->done = true;
		return;
	}
	p->child_fd = fds[1];
	/* CLONE_VM without CLONE_FILES or CLONE_SIGHAND: our memory, its own
	 * descriptors and signal dispositions; SIGCHLD, ignored, reaps it. */
	p->pid = clone(probe_child, (char *)p->stack + PROBE_GUARD + PROBE_STACK,
	               CLONE_VM | SIGCHLD, p);
	int e = errno;
	close(fds[1]);
	if (p->pid < 0) {
		p->r.err = e, p->done = true;
		close(fds[0]);
		return;
	}
	p->fd = fds[0];
}

/* Reads what a child sent; done at EOF, which comes only once the child
 * has left our memory for good (the kernel releases a dying process's
 * address space before its descriptors), so its stack can go. */
static void
probe_read(struct probe *p)
{
	char *dst = p->got < sizeof p->r ? (char *)&p->r + p->got : NULL;
	char sink[1];
	ssize_t n = dst ? read(p->fd, dst, sizeof p->r - p->got) : read(p->fd, sink, 1);

	if (n > 0) {
		p->got += dst ? (size_t)n : 0;
		return;
	}
	if (n < 0 && errno == EINTR)
		return;
	if (p->got < sizeof p->r) {
		memset(&p->r, 0, sizeof p->r);
		p->r.err = EIO; /* the child died without an answer */
	}
	p->done = true;
	close(p->fd);
	p->fd = -1;
	if (n == 0) {
		munmap(p->stack, PROBE_STACK + PROBE_GUARD);
		p->stack = NULL;
	}
}

static int
probe_wait_ms(int64_t stat_end)
{
	int ms = deadline_remaining_ms();
	if (stat_end > 0) {
		int64_t left = (stat_end - mono_ns()) / 1000000;
		if (left < ms)
			ms = left > 0 ? (int)left : 0;
	}
	return ms;
}

/* Starts probes until PROBE_MAX are in flight; returns how many are. */
static size_t
probes_fill(struct probe *ps, size_t n, size_t *next)
{
	size_t active = 0;
	for (size_t i = 0; i < *next; i++)
		active += !ps[i].done;
	while (*next < n && active < PROBE_MAX) {
		struct probe *p = &ps[(*next)++];
		p->started = true;
		probe_start(p);
		active += !p->done;
	}
	return active;
}

/* Runs the probes in parallel and waits for them within the time
 * allowed; the ones still blocked are killed and marked hung (and any
 * never started, behind PROBE_MAX hung ones, too). */
static void
probes_run(struct probe *ps, size_t n, double stat_timeout)
{
	struct pollfd *pfd = xcalloc(PROBE_MAX, sizeof *pfd);
	int64_t stat_end = stat_timeout > 0 ? mono_ns() + (int64_t)(stat_timeout * 1e9) : 0;
	size_t next = 0;

	signal(SIGCHLD, SIG_IGN); /* children are reaped by the kernel */
	while (probes_fill(ps, n, &next) > 0) {
		size_t np = 0;
		for (size_t i = 0; i < next; i++)
			if (!ps[i].done)
				pfd[np++] = (struct pollfd){.fd = ps[i].fd, .events = POLLIN};
		int ms = probe_wait_ms(stat_end);
		if (ms <= 0 || (poll(pfd, np, ms) < 0 && errno != EINTR))
			break;
		for (size_t i = 0, k = 0; i < next; i++)
			if (!ps[i].done && pfd[k++].revents)
				probe_read(&ps[i]);
	}
	for (size_t i = 0; i < n; i++)
		if (!ps[i].done) {
			ps[i].hung = true;
			if (ps[i].started) {
				kill(ps[i].pid, SIGKILL);
				close(ps[i].fd);
			}
		}
	free(pfd);
}

static void
fs_from_probe(struct disk_fs *f, const struct probe *p, const struct disk_cfg *c)
{
	if (p->hung && !p->started) {
		fs_error(f, c->stale_state, "%s not checked: too many mounts not responding",
		         f->name);
		return;
	}
	if (p->hung) {
		char secs[32];
		snprintf(secs, sizeof secs, "%g",
		         c->stat_timeout > 0 ? c->stat_timeout : deadline_seconds());
		fs_error(f, c->stale_state, "%s not responding (statvfs blocked for %s s)",
		         f->name, secs);
		return;
	}
	if (p->r.err != 0) {
		fs_error(f, GL_CRITICAL, "%s is not accessible: %s", f->name,
		         strerror(p->r.err));
		return;
	}
	f->u.total = p->r.blocks * p->r.frsize;
	f->u.free = p->r.bfree * p->r.frsize;
	f->u.avail = p->r.bavail * p->r.frsize;
	f->u.files = p->r.files;
	f->u.ffree = p->r.ffree;
}

/* Adds the -p paths: a mount point directly, any other path through its
 * probe's realpath() and the longest mount point prefix. */
static void
local_add_path(struct disk_check *ck, struct mtab *t, const struct probe *p)
{
	const struct disk_cfg *c = ck->cfg;
	struct mount *m = p->want_real ? NULL : mtab_find(t, p->path);

	if (p->want_real && !p->hung && p->r.err == 0)
		m = mtab_holding(t, p->r.real);
	if (m != NULL && check_has(ck, m->mount))
		return;
	if (m != NULL && mount_excluded(c, m)) {
		output_long(&ck->out, "%s is excluded by -x/-X/-l/-i", p->path);
		return;
	}
	if (p->want_real && c->exact && p->r.err == 0 && !p->hung) {
		struct disk_fs *f = check_add(ck, p->path, NULL, NULL);
		fs_error(f, GL_CRITICAL, "%s is not a mount point (-E)", f->name);
		return;
	}
	struct disk_fs *f =
	        check_add(ck, m ? m->mount : p->path, m ? m->source : NULL, m ? m->type : NULL);
	fs_from_probe(f, p, c);
	for (size_t i = 0; i < c->paths.n; i++)
		if (c->paths.v[i] == p->path)
			f->lim = &c->path_lim[i], f->group = c->path_group[i];
}

static void
local_strip_slash(char *p)
{
	size_t l = strlen(p);
	while (l > 1 && p[l - 1] == '/')
		p[--l] = '\0';
}

/* Whether b, selected too, shows the same file system as a and is the
 * better place to report it: where its root is mounted, else the first. */
static bool
mount_shadows(const struct mount *a, size_t ia, const struct mount *b, size_t ib)
{
	if (!b->selected || a->major != b->major || a->minor != b->minor)
		return false;
	return b->whole != a->whole ? b->whole : ib < ia;
}

/* A file system mounted at several places (bind mounts, btrfs subvolumes)
 * is checked and graphed once; -p can still name any of its mounts. */
static void
mtab_drop_duplicates(struct mtab *t)
{
	for (size_t i = 0; i < t->n; i++)
		for (size_t j = 0; t->m[i].selected && j < t->n; j++)
			if (j != i && mount_shadows(&t->m[i], i, &t->m[j], j))
				t->m[i].selected = false;
}

/* Builds one probe per selected mount, then one per -p path. */
static size_t
local_plan(struct disk_check *ck, struct mtab *t, struct probe **out)
{
	const struct disk_cfg *c = ck->cfg;
	struct probe *ps = xcalloc(t->n + c->paths.n + 1, sizeof *ps);
	size_t n = 0;

	for (size_t i = 0; i < t->n; i++) {
		struct mount *m = &t->m[i];
		m->selected = m->mount && mount_auto(c, m) && !mount_excluded(c, m);
	}
	mtab_drop_duplicates(t);
	for (size_t i = 0; i < t->n; i++)
		if (t->m[i].selected)
			ps[n++] = (struct probe){.path = t->m[i].mount};
	for (size_t i = 0; i < c->paths.n; i++) {
		local_strip_slash(c->paths.v[i]);
		struct mount *m = mtab_find(t, c->paths.v[i]);
		if (m != NULL && m->selected)
			continue;
		if (m != NULL)
			m->selected = m->explicit = true;
		ps[n++] = (struct probe){.path = c->paths.v[i], .want_real = (m == NULL)};
	}
	*out = ps;
	return n;
}

static void
local_collect(struct disk_check *ck, char *err, size_t errlen)
{
	struct mtab t;
	struct probe *ps;

	mtab_read(&t, err, errlen);
	if (err[0] != '\0')
		return;
	size_t n = local_plan(ck, &t, &ps);
	probes_run(ps, n, ck->cfg->stat_timeout);
	for (size_t i = 0; i < n; i++) {
		struct mount *m = ps[i].want_real ? NULL : mtab_find(&t, ps[i].path);
		if (m != NULL && !m->explicit) {
			if (check_has(ck, m->mount))
				continue;
			/* size-0 mounts (proc, cgroup...) not named by -p are noise */
			if (!ps[i].hung && ps[i].r.err == 0 && ps[i].r.blocks == 0)
				continue;
			struct disk_fs *f = check_add(ck, m->mount, m->source, m->type);
			fs_from_probe(f, &ps[i], ck->cfg);
		} else {
			local_add_path(ck, &t, &ps[i]);
		}
	}
	free(ps);
	mtab_free(&t);
}

/* ---- SNMP mode ---- */

#define HR_STORAGE "1.3.6.1.2.1.25.2.3.1"
#define HR_TYPES "1.3.6.1.2.1.25.2.1."
#define DSK_ENTRY "1.3.6.1.4.1.2021.9.1"
#define SNMP_MAX_VALUES 65536
#define SNMP_MAX_COL 128 /* dskTable's columns go up to 101 */

/* A conceptual table read in one walk of its entry OID: values sorted by
 * column number, each with its row index (the OID after the column). */
struct snmp_table {
	struct snmpc_column col[SNMP_MAX_COL];
};

/* A counter as a plain number: Integer32 keeps its sign (disk_hr_bytes
 * corrects it), unsigned types their value. */
static int64_t
snmp_num(const struct snmpc_value *v)
{
	if (v == NULL)
		return 0;
	if (v->type == SNMPC_INT)
		return v->i;
	return v->type == SNMPC_UINT || v->type == SNMPC_COUNTER64 ? (int64_t)v->u : 0;
}

static uint64_t
snmp_u32(const struct snmpc_value *v)
{
	return (uint64_t)snmp_num(v) & 0xffffffffu;
}

static const char *
snmp_str(const struct snmpc_value *v)
{
	return v && v->str ? v->str : "";
}

static void
snmp_table_put(struct snmp_table *t, struct snmpc_value *v)
{
	struct snmpc_column *c = &t->col[v->index[0]];

	memmove(v->index, v->index + 1, (v->index_len - 1) * sizeof *v->index);
	v->index_len--;
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 16;
		c->v = xrealloc(c->v, c->cap * sizeof *c->v);
	}
	c->v[c->n++] = *v;
}

/* One GETBULK walk for the whole table instead of one per column: a
 * dskTable of 20 columns costs a round trip or two, not twenty. */
static enum snmpc_status
snmp_table_read(struct snmpc_session *s, const char *entry, struct snmp_table *t, char *err,
                size_t errlen)
{
	struct snmpc_column all;
	enum snmpc_status st = snmpc_walk(s, entry, SNMP_MAX_VALUES, &all, err, errlen);

	memset(t, 0, sizeof *t);
	if (st != SNMPC_OK)
		return st;
	for (size_t i = 0; i < all.n; i++) {
		struct snmpc_value *v = &all.v[i];
		if (v->index_len >= 2 && v->index[0] < SNMP_MAX_COL)
			snmp_table_put(t, v);
		else
			snmpc_value_free(v);
	}
	free(all.v);
	return SNMPC_OK;
}

static void
snmp_table_free(struct snmp_table *t)
{
	for (size_t i = 0; i < SNMP_MAX_COL; i++)
		snmpc_column_free(&t->col[i]);
}

/* The value in column col of the row that row (a value of another
 * column) belongs to, or NULL. */
static const struct snmpc_value *
snmp_cell(const struct snmp_table *t, unsigned col, const struct snmpc_value *row)
{
	return snmpc_column_find(&t->col[col], row->index, row->index_len);
}

/* hrStorageEntry: 3 Descr, 4 AllocationUnits, 5 Size, 6 Used. */
static void
snmp_add_hr_row(struct disk_check *ck, const struct snmp_table *t,
                const struct snmpc_value *type)
{
	const struct snmpc_value *units = snmp_cell(t, 4, type);
	const struct snmpc_value *size = snmp_cell(t, 5, type);
	struct disk_fs *f =
	        check_add(ck, snmp_str(snmp_cell(t, 3, type)), NULL, "hrStorageFixedDisk");
	uint64_t usedb = 0;

	if (size == NULL || !disk_hr_bytes(snmp_num(units), snmp_num(size), &f->u.total) ||
	    !disk_hr_bytes(snmp_num(units), snmp_num(snmp_cell(t, 6, type)), &usedb)) {
		fs_error(f, GL_UNKNOWN, "%s: the agent sent no usable size", f->name);
		return;
	}
	f->u.free = f->u.avail = f->u.total > usedb ? f->u.total - usedb : 0;
}

/* hrStorageFixedDisk (.4); with -A also removable (.5), flash (.9) and
 * network disks (.10). Memory rows are never disks. */
static bool
snmp_hr_wanted(const struct disk_cfg *c, const struct snmpc_value *type)
{
	size_t n = strlen(HR_TYPES);
	if (type->type != SNMPC_OID || strncmp(type->str, HR_TYPES, n) != 0)
		return false;
	const char *t = type->str + n;
	if (strcmp(t, "4") == 0)
		return true;
	return c->all && (strcmp(t, "5") == 0 || strcmp(t, "9") == 0 || strcmp(t, "10") == 0);
}

/* hrStorageTable: fixed disks, sizes in allocation units read each poll. */
static enum snmpc_status
snmp_hr(struct disk_check *ck, struct snmpc_session *s, char *err, size_t errlen)
{
	struct snmp_table *t = xmalloc(sizeof *t);
	size_t found = 0;
	enum snmpc_status st = snmp_table_read(s, HR_STORAGE, t, err, errlen);

	for (size_t i = 0; st == SNMPC_OK && i < t->col[2].n; i++) {
		const struct snmpc_value *type = &t->col[2].v[i];
		if (!snmp_hr_wanted(ck->cfg, type))
			continue;
		snmp_add_hr_row(ck, t, type);
		found++;
	}
	snmp_table_free(t);
	free(t);
	if (st == SNMPC_OK && found == 0) {
		snprintf(err, errlen, "hrStorageTable has no fixed disks");
		st = SNMPC_ERR_NOSUCH;
	}
	return st;
}

/* A dskTable kB count in bytes: the 64-bit High/Low pair (Gauge32
 * columns lo and lo + 1) when the agent has it, else the 32-bit column.
 * False when the pair names more kB than 64 bits of bytes can hold: a
 * broken agent, whose row must not wrap around into a small disk. */
static bool
snmp_dsk_bytes(const struct snmp_table *t, unsigned c32, unsigned lo,
               const struct snmpc_value *row, uint64_t *bytes)
{
	const struct snmpc_value *l = snmp_cell(t, lo, row), *h = snmp_cell(t, lo + 1, row);
	uint64_t kb =
	        l && h ? (snmp_u32(h) << 32) | snmp_u32(l) : snmp_u32(snmp_cell(t, c32, row));

	if (kb > UINT64_MAX / 1024)
		return false;
	*bytes = kb * 1024;
	return true;
}

/* dskEntry: 2 Path, 3 Device, 6 Total, 7 Avail, 8 Used (kB), 10
 * PercentNode, 11-16 Total/Avail/Used Low-High, 100 ErrorFlag, 101
 * ErrorMsg. Used is total minus the root's free space, as statvfs. */
static void
snmp_add_dsk_row(struct disk_check *ck, const struct snmp_table *t,
                 const struct snmpc_value *path)
{
	const struct snmpc_value *node = snmp_cell(t, 10, path);
	const struct snmpc_value *flag = snmp_cell(t, 100, path);
	struct disk_fs *f =
	        check_add(ck, snmp_str(path), snmp_str(snmp_cell(t, 3, path)), "dskTable");
	uint64_t used = 0;

	if (!snmp_dsk_bytes(t, 8, 15, path, &used) ||
	    !snmp_dsk_bytes(t, 6, 11, path, &f->u.total) ||
	    !snmp_dsk_bytes(t, 7, 13, path, &f->u.avail)) {
		fs_error(f, GL_UNKNOWN, "%s: the agent sent a size beyond 16 EiB", f->name);
		return;
	}
	f->u.free = f->u.total > used ? f->u.total - used : 0;
	if (f->u.free < f->u.avail)
		f->u.free = f->u.avail;
	if (node && node->type == SNMPC_INT && node->i >= 0 && node->i <= 100)
		f->u.inode_free_pct = 100 - (int)node->i;
	if (flag && snmp_num(flag) == 1 && snmp_str(snmp_cell(t, 101, path))[0])
		f->note = xstrdup(snmp_str(snmp_cell(t, 101, path)));
}

/* dskTable: only the paths the agent's "disk" lines (or includeAllDisks)
 * name; 64-bit kB pairs and inode percent. */
static enum snmpc_status
snmp_dsk(struct disk_check *ck, struct snmpc_session *s, char *err, size_t errlen)
{
	struct snmp_table *t = xmalloc(sizeof *t);
	enum snmpc_status st = snmp_table_read(s, DSK_ENTRY, t, err, errlen);

	for (size_t i = 0; st == SNMPC_OK && i < t->col[2].n; i++)
		snmp_add_dsk_row(ck, t, &t->col[2].v[i]);
	if (st == SNMPC_OK && t->col[2].n == 0) {
		snprintf(err, errlen, "dskTable has no rows");
		st = SNMPC_ERR_NOSUCH;
	}
	snmp_table_free(t);
	free(t);
	return st;
}

/* The row for a -p: the same name, or (without -E) the row whose name is
 * the longest path prefix, as a local path inside a mount. -1 if none. */
static long
snmp_row_holding(const struct disk_check *ck, const char *path)
{
	long best = -1;
	size_t best_len = 0;

	for (size_t i = 0; i < ck->n; i++) {
		const char *name = ck->fs[i].name;
		size_t l = strlen(name);
		if (strcmp(name, path) == 0)
			return (long)i;
		if (ck->cfg->exact || l == 0 || strncmp(path, name, l) != 0)
			continue;
		if ((name[l - 1] == '/' || path[l] == '/') && l > best_len)
			best = (long)i, best_len = l;
	}
	return best;
}

/* Applies -p/-x/-r/-i to what the agent listed. A -p that names no row
 * is CRITICAL, like a missing local path. */
static void
snmp_select(struct disk_check *ck)
{
	const struct disk_cfg *c = ck->cfg;
	bool *want = xcalloc(ck->n + 1, sizeof *want);
	struct strlist missing = {0};
	size_t keep = 0;

	for (size_t i = 0; i < ck->n; i++)
		want[i] = (c->paths.n == 0 && c->incl_re.n == 0) ||
		          relist_match(&c->incl_re, ck->fs[i].name, ck->fs[i].device);
	for (size_t i = 0; i < c->paths.n; i++) {
		long row = snmp_row_holding(ck, c->paths.v[i]);
		if (row >= 0)
			want[row] = true;
		else
			strlist_add(&missing, c->paths.v[i]);
	}
	for (size_t i = 0; i < ck->n; i++) {
		struct disk_fs *f = &ck->fs[i];
		if (strlist_has(&c->excl_paths, f->name) ||
		    relist_match(&c->excl_re, f->name, f->device))
			want[i] = false;
		if (want[i]) {
			ck->fs[keep] = *f;
			ck->fs[keep].order = keep;
			keep++;
		} else {
			free(f->name), free(f->device), free(f->type), free(f->error),
			        free(f->note);
		}
	}
	ck->n = keep;
	for (size_t i = 0; i < missing.n; i++) {
		struct disk_fs *f = check_add(ck, missing.v[i], NULL, NULL);
		fs_error(f, GL_CRITICAL, "%s is not in the agent's disk table", f->name);
	}
	strlist_free(&missing);
	free(want);
}

/* hrStorageTable first (every net-snmp agent has it); dskTable when the
 * agent shows no fixed disks there, or when asked for. */
static enum gl_state
snmp_collect(struct disk_check *ck, char *err, size_t errlen)
{
	struct snmpc_session *s;
	const struct disk_cfg *c = ck->cfg;
	enum snmpc_status st = snmpc_open(&s, &c->so, err, errlen);

	if (st != SNMPC_OK)
		return snmpc_fail_state(st);
	st = SNMPC_ERR_NOSUCH;
	if (c->table != TABLE_DSK)
		st = snmp_hr(ck, s, err, errlen);
	if (st == SNMPC_ERR_NOSUCH && c->table != TABLE_HR) {
		output_debug(1, "hrStorageTable: %s; trying dskTable", err);
		err[0] = '\0';
		st = snmp_dsk(ck, s, err, errlen);
		if (st == SNMPC_ERR_NOSUCH)
			snprintf(err, errlen,
			         "the agent shows neither hrStorageTable fixed disks "
			         "nor dskTable rows");
	}
	snmpc_close(s);
	if (st == SNMPC_OK) {
		snmp_select(ck);
		return GL_OK;
	}
	return snmpc_fail_state(st);
}

/* ---- evaluation and output ---- */

static int
state_rank(enum gl_state s)
{
	static const int rank[] = {
	        [GL_OK] = 0, [GL_WARNING] = 2, [GL_CRITICAL] = 3, [GL_UNKNOWN] = 1};
	return rank[s];
}

static int
fs_cmp(const void *a, const void *b)
{
	const struct disk_fs *x = a, *y = b;
	int d = state_rank(y->state) - state_rank(x->state);
	if (d != 0)
		return d;
	return x->order < y->order ? -1 : x->order > y->order;
}

static void
fs_summary(struct disk_check *ck, const struct disk_fs *f, bool *first)
{
	const struct disk_cfg *c = ck->cfg;
	const char *name = c->show_device ? f->device : f->name;

	if (c->errors_only && f->state == GL_OK)
		return;
	output_summary(&ck->out, "%s", *first ? "free space: " : ", ");
	*first = false;
	if (f->error) {
		output_summary(&ck->out, "%s", f->error);
		return;
	}
	int ip = disk_inode_free_pct(&f->u);
	output_summary(&ck->out, "%s %llu%s (%d%% inode=", name,
	               (unsigned long long)(f->u.avail / c->lim.unit), c->lim.unit_name,
	               disk_free_pct(&f->u));
	if (ip < 0)
		output_summary(&ck->out, "-)");
	else
		output_summary(&ck->out, "%d%%)", ip);
}

static void
fs_human(struct strbuf *sb, uint64_t bytes)
{
	static const char *const u[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
	double v = (double)bytes;
	size_t i = 0;
	while (v >= 1024 && i < 6)
		v /= 1024, i++;
	sb_appendf(sb, i ? "%.1f %s" : "%.0f %s", v, u[i]);
}

static void
fs_long(struct disk_check *ck, const struct disk_fs *f)
{
	struct strbuf sb = STRBUF_INIT;

	if (f->error) {
		output_long(&ck->out, "%s: %s", state_name(f->state), f->error);
		return;
	}
	sb_appendf(&sb, "%s: %s", state_name(f->state), f->name);
	if (strcmp(f->device, f->name) != 0 || f->type[0])
		sb_appendf(&sb, " (%s%s%s)", f->type, f->type[0] ? " on " : "", f->device);
	sb_append(&sb, ": ");
	fs_human(&sb, f->u.avail);
	sb_append(&sb, " free of ");
	fs_human(&sb, f->u.total);
	sb_appendf(&sb, " (%d%%)", disk_free_pct(&f->u));
	if (f->u.free > f->u.avail) {
		sb_append(&sb, ", ");
		fs_human(&sb, f->u.free - f->u.avail);
		sb_append(&sb, " reserved for root");
	}
	if (disk_inode_free_pct(&f->u) >= 0)
		sb_appendf(&sb, ", inodes %d%% free%s", disk_inode_free_pct(&f->u),
		           f->inode_alert ? " (alert)" : "");
	if (f->note)
		sb_appendf(&sb, ", agent: %s", f->note);
	output_long(&ck->out, "%s", sb_str(&sb));
	sb_free(&sb);
}

static void
fs_perfdata(struct disk_check *ck, const struct disk_fs *f)
{
	const struct disk_cfg *c = ck->cfg;
	struct range w = {0}, cr = {0};
	double lv;
	struct strbuf label = STRBUF_INIT;
	const char *name = c->show_device ? f->device : f->name;

	if (f->error)
		return;
	/* -f: the root reserve counts as used, so used = size - avail. */
	struct disk_usage u = f->u;
	if (c->ignore_reserved)
		u.free = u.avail;
	if (disk_used_level(f->lim, false, &u, &lv))
		w.set = true, w.end = lv;
	if (disk_used_level(f->lim, true, &u, &lv))
		cr.set = true, cr.end = lv;
	struct pd_item it = {.label = name,
	                     .value = (double)disk_used(&u),
	                     .uom = "B",
	                     .warn = &w,
	                     .crit = &cr,
	                     .has_min = true,
	                     .has_max = true,
	                     .max = (double)f->u.total};
	perfdata_append(&ck->out.perf, &it);
	bool want = c->inode_perf || f->lim->warn_inode.set || f->lim->crit_inode.set;
	if (!want || f->u.files == 0)
		return;
	w = (struct range){0}, cr = (struct range){0};
	if (disk_inode_level(f->lim, false, &f->u, &lv))
		w.set = true, w.end = lv;
	if (disk_inode_level(f->lim, true, &f->u, &lv))
		cr.set = true, cr.end = lv;
	/* check_disk's label, so graphs keyed on it carry over. */
	sb_appendf(&label, "%s (inodes)", name);
	uint64_t ffree = f->u.ffree < f->u.files ? f->u.ffree : f->u.files;
	it = (struct pd_item){.label = sb_str(&label),
	                      .value = (double)(f->u.files - ffree),
	                      .warn = &w,
	                      .crit = &cr,
	                      .has_min = true,
	                      .has_max = true,
	                      .max = (double)f->u.files};
	perfdata_append(&ck->out.perf, &it);
	sb_free(&label);
}

/* The thresholds of a file system: its -p's (also when the mount was
 * selected on its own), else the run's; none for a remote one under -L. */
static void
fs_limits(struct disk_check *ck, struct disk_fs *f)
{
	const struct disk_cfg *c = ck->cfg;
	static const struct disk_limits none;

	for (size_t i = 0; f->lim == NULL && i < c->paths.n; i++)
		if (strcmp(c->paths.v[i], f->name) == 0 ||
		    (f->device != NULL && strcmp(c->paths.v[i], f->device) == 0))
			f->lim = &c->path_lim[i], f->group = c->path_group[i];
	if (f->lim == NULL)
		f->lim = &c->lim;
	if (c->stat_remote && f->type != NULL && disk_type_is_remote(f->type)) {
		f->lim = &none;
	}
}

/* -g: the members of a group become one entry named after it, with
 * their summed space; a member without numbers makes the group fail. */
static void
fs_merge_groups(struct disk_check *ck)
{
	size_t out = 0;

	for (size_t i = 0; i < ck->n; i++) {
		struct disk_fs *f = &ck->fs[i];
		struct disk_fs *g = NULL;
		for (size_t j = 0; f->group != NULL && j < out; j++)
			if (ck->fs[j].group != NULL && strcmp(ck->fs[j].group, f->group) == 0)
				g = &ck->fs[j];
		if (g == NULL) {
			ck->fs[out] = *f;
			if (f->group != NULL && f->error == NULL) {
				free(ck->fs[out].name);
				ck->fs[out].name = xstrdup(f->group);
			}
			out++;
			continue;
		}
		g->u.total += f->u.total, g->u.free += f->u.free, g->u.avail += f->u.avail;
		g->u.files += f->u.files, g->u.ffree += f->u.ffree;
		if (f->error != NULL && g->error == NULL)
			g->error = f->error, g->state = f->state, f->error = NULL;
		free(f->name), free(f->device), free(f->type), free(f->note), free(f->error);
	}
	ck->n = out;
}

static void
check_report(struct disk_check *ck)
{
	bool first = true;
	size_t bad = 0;

	for (size_t i = 0; i < ck->n; i++)
		fs_limits(ck, &ck->fs[i]);
	fs_merge_groups(ck);
	for (size_t i = 0; i < ck->n; i++) {
		struct disk_fs *f = &ck->fs[i];
		if (!f->error)
			f->state = disk_eval(f->lim, &f->u, &f->inode_alert);
		output_state(&ck->out, f->state);
		fs_perfdata(ck, f);
		bad += f->state != GL_OK;
	}
	if (ck->n > 1)
		qsort(ck->fs, ck->n, sizeof *ck->fs, fs_cmp);
	for (size_t i = 0; i < ck->n; i++) {
		fs_summary(ck, &ck->fs[i], &first);
		fs_long(ck, &ck->fs[i]);
	}
	if (ck->n == 0) {
		output_state(&ck->out, GL_UNKNOWN);
		output_summary(&ck->out, "no file system matches the selection");
	} else if (bad == 0 && ck->cfg->errors_only) {
		output_summary(&ck->out, "%zu file system%s above the thresholds", ck->n,
		               ck->n == 1 ? "" : "s");
	}
}

static void
check_free(struct disk_check *ck)
{
	for (size_t i = 0; i < ck->n; i++)
		free(ck->fs[i].name), free(ck->fs[i].device), free(ck->fs[i].type),
		        free(ck->fs[i].note), free(ck->fs[i].error);
	free(ck->fs);
}

int
main(int argc, char **argv)
{
	struct disk_cfg cfg;
	struct disk_check ck = {.cfg = &cfg};
	char err[512] = "";
	enum gl_state st = GL_OK;

	cfg_parse(&cfg, argc, argv);
	output_init(&ck.out, "DISK");
	if (cfg.snmp)
		st = snmp_collect(&ck, err, sizeof err);
	else
		local_collect(&ck, err, sizeof err);
	if (st != GL_OK || err[0] != '\0') {
		check_free(&ck);
		cfg_free(&cfg);
		output_die("DISK", st != GL_OK ? st : GL_UNKNOWN, "%s%s",
		           cfg.snmp ? "SNMP: " : "", err);
	}
	check_report(&ck);
	check_free(&ck);
	cfg_free(&cfg);
	deadline_disarm();
	output_exit(&ck.out);
}

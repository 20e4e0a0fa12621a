#include "disk.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "range.h"

static const struct {
	const char *name;
	int shift; /* bytes per unit = 1 << shift */
	const char *label;
} disk_units[] = {
        {"B", 0, "B"},      {"bytes", 0, "B"},  {"K", 10, "KiB"},   {"KB", 10, "KiB"},
        {"KiB", 10, "KiB"}, {"M", 20, "MiB"},   {"MB", 20, "MiB"},  {"MiB", 20, "MiB"},
        {"G", 30, "GiB"},   {"GB", 30, "GiB"},  {"GiB", 30, "GiB"}, {"T", 40, "TiB"},
        {"TB", 40, "TiB"},  {"TiB", 40, "TiB"}, {"P", 50, "PiB"},   {"PB", 50, "PiB"},
        {"PiB", 50, "PiB"},
};

int
disk_unit_parse(const char *s, uint64_t *mult, const char **label)
{
	for (size_t i = 0; i < sizeof disk_units / sizeof disk_units[0]; i++)
		if (strcasecmp(s, disk_units[i].name) == 0) {
			*mult = (uint64_t)1 << disk_units[i].shift;
			if (label)
				*label = disk_units[i].label;
			return 0;
		}
	return -1;
}

int
disk_threshold_parse(const char *s, bool inode_only, struct disk_threshold *t, char *err,
                     size_t errlen)
{
	double v;
	size_t n = range_scan_number(s, &v);

	memset(t, 0, sizeof *t);
	if (n == 0 || v < 0 || s[0] == '+') {
		snprintf(err, errlen, "'%s' is not a free-space threshold (20%%, 500, 500MB)",
		         s);
		return -1;
	}
	const char *suffix = s + n;
	if (strcmp(suffix, "%") == 0 || (inode_only && *suffix == '\0')) {
		if (v > 100) {
			snprintf(err, errlen, "'%s': a percentage is at most 100", s);
			return -1;
		}
		t->percent = true;
	} else if (inode_only) {
		snprintf(err, errlen,
		         "'%s' is not an inode threshold (a percentage such as 10%%)", s);
		return -1;
	} else if (*suffix != '\0' && disk_unit_parse(suffix, &t->mult, NULL) != 0) {
		snprintf(err, errlen, "'%s': unknown unit '%s' (B, KB, MB, GB, TB, PB or %%)",
		         s, suffix);
		return -1;
	}
	t->value = v;
	t->set = true;
	return 0;
}

int
disk_limits_parse(struct disk_limits *l, int key, const char *s, char *err, size_t errlen)
{
	struct disk_threshold t;
	bool inode = key == 'W' || key == 'K', critical = key == 'c' || key == 'K';

	if (disk_threshold_parse(s, inode, &t, err, errlen) != 0)
		return -1;
	if (inode)
		*(critical ? &l->crit_inode : &l->warn_inode) = t;
	else if (t.percent)
		*(critical ? &l->crit_pct : &l->warn_pct) = t;
	else
		*(critical ? &l->crit_abs : &l->warn_abs) = t;
	return 0;
}

uint64_t
disk_used(const struct disk_usage *u)
{
	return u->total > u->free ? u->total - u->free : 0;
}

/* ceil(part * 100 / whole) without overflow; whole > 0. */
static int
disk_pct_up(uint64_t part, uint64_t whole)
{
	if (part >= whole)
		return 100;
	if (part <= UINT64_MAX / 100) {
		uint64_t p100 = part * 100;
		return (int)(p100 / whole + (p100 % whole != 0));
	}
	return (int)ceill((long double)part * 100 / whole);
}

int
disk_free_pct(const struct disk_usage *u)
{
	uint64_t used = disk_used(u);
	uint64_t avail = u->avail < u->free ? u->avail : u->free;

	if (used + avail == 0)
		return 100; /* an empty filesystem of size 0 is not full */
	return 100 - disk_pct_up(used, used + avail);
}

int
disk_inode_free_pct(const struct disk_usage *u)
{
	if (u->inode_free_pct >= 0)
		return u->inode_free_pct;
	if (u->files == 0)
		return -1;
	uint64_t ffree = u->ffree < u->files ? u->ffree : u->files;
	return 100 - disk_pct_up(u->files - ffree, u->files);
}

static bool
disk_space_alerts(const struct disk_limits *l, const struct disk_threshold *pct,
                  const struct disk_threshold *abs, const struct disk_usage *u)
{
	if (pct->set && disk_free_pct(u) <= pct->value)
		return true;
	if (abs->set) {
		uint64_t mult = abs->mult ? abs->mult : l->unit;
		/* counted in whole units, as check_disk does */
		if ((double)(u->avail / mult) <= abs->value)
			return true;
	}
	return false;
}

static bool
disk_inode_alerts(const struct disk_threshold *t, const struct disk_usage *u)
{
	int pct = disk_inode_free_pct(u);
	return t->set && pct >= 0 && pct <= t->value;
}

enum gl_state
disk_eval(const struct disk_limits *l, const struct disk_usage *u, bool *inode_alert)
{
	*inode_alert = false;
	if (disk_space_alerts(l, &l->crit_pct, &l->crit_abs, u))
		return GL_CRITICAL;
	if (disk_inode_alerts(&l->crit_inode, u)) {
		*inode_alert = true;
		return GL_CRITICAL;
	}
	if (disk_space_alerts(l, &l->warn_pct, &l->warn_abs, u))
		return GL_WARNING;
	if (disk_inode_alerts(&l->warn_inode, u)) {
		*inode_alert = true;
		return GL_WARNING;
	}
	return GL_OK;
}

bool
disk_used_level(const struct disk_limits *l, bool critical, const struct disk_usage *u,
                double *level)
{
	const struct disk_threshold *pct = critical ? &l->crit_pct : &l->warn_pct;
	const struct disk_threshold *abs = critical ? &l->crit_abs : &l->warn_abs;
	double total = (double)u->total;
	bool have = false;

	if (abs->set) {
		/* disk_space_alerts() counts free space in whole units: it alerts
		 * once avail < (floor(v) + 1) units, so "-u GB -c 0" alerts below
		 * 1 GB free. The root reserve is used space that avail lacks. */
		double mult = (double)(abs->mult ? abs->mult : l->unit);
		double reserve = u->free > u->avail ? (double)(u->free - u->avail) : 0;
		*level = total - reserve - (floor(abs->value) + 1) * mult;
		have = true;
	}
	if (pct->set) {
		double lv = floor(total * (1.0 - pct->value / 100.0));
		*level = have && *level < lv ? *level : lv;
		have = true;
	}
	if (have && *level < 0)
		*level = 0;
	return have;
}

bool
disk_inode_level(const struct disk_limits *l, bool critical, const struct disk_usage *u,
                 double *level)
{
	const struct disk_threshold *t = critical ? &l->crit_inode : &l->warn_inode;
	if (!t->set || u->files == 0)
		return false;
	*level = floor((double)u->files * (1.0 - t->value / 100.0));
	return true;
}

bool
disk_hr_bytes(int64_t units, int64_t count, uint64_t *bytes)
{
	if (units <= 0 || count < INT32_MIN || count > UINT32_MAX)
		return false;
	uint64_t c = count < 0 ? (uint64_t)(count + ((int64_t)1 << 32)) : (uint64_t)count;
	*bytes = c * (uint64_t)units;
	return true;
}

/* Undoes the kernel's octal escapes (space, tab, newline, backslash). */
static void
disk_unescape(char *s)
{
	char *w = s;
	for (char *r = s; *r; r++) {
		if (r[0] == '\\' && r[1] >= '0' && r[1] <= '3' && r[2] >= '0' && r[2] <= '7' &&
		    r[3] >= '0' && r[3] <= '7') {
			*w++ = (char)((r[1] - '0') * 64 + (r[2] - '0') * 8 + (r[3] - '0'));
			r += 3;
		} else {
			*w++ = *r;
		}
	}
	*w = '\0';
}

/* Format (proc(5)): ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTS [OPTIONAL...] -
 * FSTYPE SOURCE SUPEROPTS; the optional fields end at a lone "-". */
int
disk_mountinfo_parse(char *line, struct disk_mountinfo *m)
{
	char *f[6], *save = NULL, *tok;
	int n = 0;

	memset(m, 0, sizeof *m);
	line[strcspn(line, "\n")] = '\0';
	for (tok = strtok_r(line, " ", &save); tok && n < 6; tok = strtok_r(NULL, " ", &save))
		f[n++] = tok;
	if (n < 6 || sscanf(f[2], "%u:%u", &m->major, &m->minor) != 2)
		return -1;
	while (tok && strcmp(tok, "-") != 0)
		tok = strtok_r(NULL, " ", &save);
	if (tok == NULL)
		return -1;
	m->type = strtok_r(NULL, " ", &save);
	m->source = strtok_r(NULL, " ", &save);
	if (m->type == NULL || m->source == NULL)
		return -1;
	m->root = f[3];
	m->mount = f[4];
	disk_unescape(m->root);
	disk_unescape(m->mount);
	disk_unescape(m->source);
	disk_unescape(m->type);
	return 0;
}

static bool
disk_type_in(const char *type, const char *const *list)
{
	for (; *list; list++)
		if (strcmp(type, *list) == 0)
			return true;
	return false;
}

bool
disk_type_is_pseudo(const char *type)
{
	static const char *const pseudo[] = {
	        "autofs",
	        "binfmt_misc",
	        "bpf",
	        "cgroup",
	        "cgroup2",
	        "configfs",
	        "debugfs",
	        "devfs",
	        "devpts",
	        "devtmpfs",
	        "efivarfs",
	        "fusectl",
	        "fuse.gvfsd-fuse",
	        "fuse.gvfs-fuse-daemon",
	        "fuse.lxcfs",
	        "fuse.portal",
	        "hugetlbfs",
	        "mqueue",
	        "none",
	        "nsfs",
	        "overlay",
	        "proc",
	        "pstore",
	        "ramfs",
	        "rpc_pipefs",
	        "securityfs",
	        "selinuxfs",
	        "squashfs",
	        "sysfs",
	        "tmpfs",
	        "tracefs",
	        "iso9660",
	        NULL,
	};
	return disk_type_in(type, pseudo);
}

bool
disk_type_is_sizeless(const char *type)
{
	static const char *const sizeless[] = {
	        "autofs",     "binfmt_misc", "bpf",    "cgroup",   "cgroup2",
	        "configfs",   "debugfs",     "devpts", "efivarfs", "fusectl",
	        "mqueue",     "nsfs",        "proc",   "pstore",   "rpc_pipefs",
	        "securityfs", "selinuxfs",   "sysfs",  "tracefs",  NULL,
	};
	return disk_type_in(type, sizeless);
}

bool
disk_type_is_remote(const char *type)
{
	static const char *const remote[] = {
	        "nfs",        "nfs4",      "cifs",        "smb3",      "smbfs",
	        "ncpfs",      "afs",       "ceph",        "glusterfs", "fuse.glusterfs",
	        "fuse.sshfs", "fuse.s3fs", "fuse.rclone", "9p",        "lustre",
	        "coda",       "davfs",     "fuse.davfs",  NULL,
	};
	return disk_type_in(type, remote);
}

/* Free-space arithmetic, threshold forms and mount table parsing for
 * check_disk, apart from the plugin so they can be unit-tested.
 *
 * The state semantics are monitoring-plugins check_disk's (2.x), which
 * existing Nagios configurations rely on:
 *   -w 20%    alert when the free share is at or below 20 percent, where the
 *             share is 100 minus the used share of (used + available),
 *             rounded up as df(1) does, so it is a whole number;
 *   -w 500    alert when the free space, counted in whole units (MiB by
 *             default, see -u), is at or below 500;
 *   -w 500MB  the same with the unit given (kB/KiB, MB/MiB, GB/GiB, TB/TiB,
 *             PB/PiB are all powers of 1024, as check_disk has always
 *             counted them; "B" is bytes).
 * Free space is what an unprivileged user can still write (f_bavail): the
 * root reserve counts as used. */
#ifndef GLANCE_DISK_H
#define GLANCE_DISK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "state.h"

/* One -w/-c (or -W/-K) value. */
struct disk_threshold {
	bool set;
	bool percent;  /* value is a percentage of free space (or inodes) */
	double value;  /* percent, or a count of units */
	uint64_t mult; /* bytes per unit; 0: the -u unit applies */
};

/* The thresholds of one run: space as percent and as size (either or
 * both), inodes as percent. */
struct disk_limits {
	struct disk_threshold warn_pct, crit_pct, warn_abs, crit_abs;
	struct disk_threshold warn_inode, crit_inode;
	uint64_t unit;         /* -u: bytes per unit for bare numbers, display */
	const char *unit_name; /* "MiB" */
};

/* One filesystem's numbers (from statvfs, or from an SNMP agent). */
struct disk_usage {
	uint64_t total; /* bytes */
	uint64_t free;  /* free bytes including the root reserve (f_bfree) */
	uint64_t avail; /* free bytes for unprivileged users (f_bavail) */
	uint64_t files; /* inodes; 0: unknown */
	uint64_t ffree;
	int inode_free_pct; /* -1: derive from files/ffree (or unknown) */
};

/* Parses a unit name for -u or a threshold suffix: "B", "bytes", "kB",
 * "KiB", "K", "MB", "MiB", "M", ... "PB" (any case). Sets the multiplier
 * and the label shown in output ("MiB"). Returns -1 if unknown. */
int disk_unit_parse(const char *s, uint64_t *mult, const char **label);

/* Parses a -w/-c value: "20%", "20.5%", "500", "500MB". inode_only:
 * for -W/-K, where a bare number is a percentage too. */
int disk_threshold_parse(const char *s, bool inode_only, struct disk_threshold *t, char *err,
                         size_t errlen);

/* Parses the value of option key ('w', 'c'; 'W', 'K' for inodes) into
 * its slot of l: a percentage and a size are kept apart, so both may be
 * given. Returns -1 with the reason in err. */
int disk_limits_parse(struct disk_limits *l, int key, const char *s, char *err, size_t errlen);

uint64_t disk_used(const struct disk_usage *u);

/* Whole-number free percentages as described above; inodes: -1 when the
 * filesystem does not report them (files == 0). */
int disk_free_pct(const struct disk_usage *u);
int disk_inode_free_pct(const struct disk_usage *u);

/* The state of one filesystem (critical checked first). inode_alert is
 * set when the inode thresholds caused it. */
enum gl_state disk_eval(const struct disk_limits *l, const struct disk_usage *u,
                        bool *inode_alert);

/* The used bytes at which the warning (critical) space thresholds start
 * to alert, for perfdata; false when none is set. With a percent and a
 * size threshold both set, the lower level. */
bool disk_used_level(const struct disk_limits *l, bool critical, const struct disk_usage *u,
                     double *level);
/* The same for inodes (used inodes). */
bool disk_inode_level(const struct disk_limits *l, bool critical, const struct disk_usage *u,
                      double *level);

/* hrStorageSize and hrStorageUsed are Integer32 counts of allocation
 * units; agents whose disks outgrow them send negative numbers, the low 32
 * bits of the real count (check_snmp_storage's 123 % bug). Sets the bytes;
 * false when units is not positive. */
bool disk_hr_bytes(int64_t units, int64_t count, uint64_t *bytes);

/* One line of /proc/self/mountinfo, split and unescaped in place
 * ("\040" -> ' '). The pointers point into the line. */
struct disk_mountinfo {
	char *mount;  /* mount point */
	char *type;   /* file system type: "ext4", "fuse.sshfs" */
	char *source; /* device or server:/export */
	char *root;   /* root of the mount within its filesystem */
	unsigned major, minor;
};
int disk_mountinfo_parse(char *line, struct disk_mountinfo *m);

/* Types skipped unless asked for by -N, -p or -A: kernel pseudo file
 * systems, RAM-backed ones (tmpfs), overlay roots, read-only images. */
bool disk_type_is_pseudo(const char *type);
/* Kernel interfaces that have no space to report (proc, sysfs, cgroup,
 * autofs...): never checked unless -N names them; statvfs() on an autofs
 * mount point would even trigger the mount. */
bool disk_type_is_sizeless(const char *type);
/* Network file systems, skipped with -l. */
bool disk_type_is_remote(const char *type);

#endif

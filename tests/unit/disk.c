/* check_disk's arithmetic (common/disk.c): threshold forms, the whole-number
 * free percentages monitoring-plugins computes, state evaluation, perfdata
 * levels, hrStorage wrap correction and mountinfo parsing. */
#include <stdint.h>
#include <string.h>

#include "disk.h"
#include "tap.h"

#define MiB ((uint64_t)1 << 20)

static const struct {
	const char *arg;
	int inode;
	int ok;
	int percent;
	double value;
	uint64_t mult;
} thr[] = {
        {"20%", 0, 1, 1, 20, 0},
        {"20.5%", 0, 1, 1, 20.5, 0},
        {"0%", 0, 1, 1, 0, 0},
        {"100%", 0, 1, 1, 100, 0},
        {"500", 0, 1, 0, 500, 0},
        {"1.5", 0, 1, 0, 1.5, 0},
        {"500MB", 0, 1, 0, 500, MiB},
        {"500MiB", 0, 1, 0, 500, MiB},
        {"500mb", 0, 1, 0, 500, MiB},
        {"2G", 0, 1, 0, 2, MiB << 10},
        {"10kB", 0, 1, 0, 10, 1024},
        {"1TB", 0, 1, 0, 1, MiB << 20},
        {"3PiB", 0, 1, 0, 3, MiB << 30},
        {"4096B", 0, 1, 0, 4096, 1},
        {"10", 1, 1, 1, 10, 0},
        {"10%", 1, 1, 1, 10, 0},
        {"", 0, 0, 0, 0, 0},
        {"abc", 0, 0, 0, 0, 0},
        {"-5%", 0, 0, 0, 0, 0},
        {"+5", 0, 0, 0, 0, 0},
        {"120%", 0, 0, 0, 0, 0},
        {"5XB", 0, 0, 0, 0, 0},
        {"%", 0, 0, 0, 0, 0},
        {"5 %", 0, 0, 0, 0, 0},
        {"5%%", 0, 0, 0, 0, 0},
        {"1e3", 0, 0, 0, 0, 0},
        {"10MB", 1, 0, 0, 0, 0},
        {"101", 1, 0, 0, 0, 0},
};

static void
test_thresholds(void)
{
	char err[200];
	for (size_t i = 0; i < sizeof thr / sizeof thr[0]; i++) {
		struct disk_threshold t;
		int rc = disk_threshold_parse(thr[i].arg, thr[i].inode, &t, err, sizeof err);
		if (!thr[i].ok) {
			ok(rc == -1 && err[0] != '\0', "'%s'%s is rejected (%s)", thr[i].arg,
			   thr[i].inode ? " as inodes" : "", err);
			continue;
		}
		ok(rc == 0 && t.set && t.percent == thr[i].percent && t.value == thr[i].value &&
		           t.mult == thr[i].mult,
		   "'%s'%s parses", thr[i].arg, thr[i].inode ? " as inodes" : "");
	}
}

static void
test_units(void)
{
	uint64_t m;
	const char *label;
	ok(disk_unit_parse("bytes", &m, &label) == 0 && m == 1 && strcmp(label, "B") == 0,
	   "-u bytes is B");
	ok(disk_unit_parse("MB", &m, &label) == 0 && m == MiB && strcmp(label, "MiB") == 0,
	   "-u MB counts in MiB, as check_disk 2.x");
	ok(disk_unit_parse("gib", &m, &label) == 0 && m == MiB << 10 &&
	           strcmp(label, "GiB") == 0,
	   "-u gib (any case)");
	ok(disk_unit_parse("XB", &m, &label) == -1, "-u XB is unknown");
}

static struct disk_usage
usage(uint64_t total, uint64_t free, uint64_t avail)
{
	struct disk_usage u = {total, free, avail, 0, 0, -1};
	return u;
}

static void
test_percent(void)
{
	struct disk_usage u = usage(100 * MiB, 15 * MiB, 15 * MiB);
	is_int(disk_free_pct(&u), 15, "85 of 100 used: 15%% free");
	u = usage(100 * MiB, 15 * MiB + MiB / 2, 15 * MiB + MiB / 2);
	is_int(disk_free_pct(&u), 15, "84.5%% used rounds up to 85: 15%% free");
	u = usage(100, 20, 10);
	is_int(disk_free_pct(&u), 11, "root reserve: 80 used, 10 available: 11%% free");
	u = usage(0, 0, 0);
	is_int(disk_free_pct(&u), 100, "a size-0 file system is not full");
	u = usage((uint64_t)1 << 62, (uint64_t)1 << 61, (uint64_t)1 << 61);
	is_int(disk_free_pct(&u), 50, "4 EiB: no overflow");
	u = usage(100, 0, 0);
	is_int(disk_free_pct(&u), 0, "full: 0%%");
	u.files = 1000, u.ffree = 100;
	is_int(disk_inode_free_pct(&u), 10, "900 of 1000 inodes used: 10%% free");
	u.ffree = 998;
	is_int(disk_inode_free_pct(&u), 99, "2 of 1000 inodes used rounds to 99%% free");
	u.files = 0;
	is_int(disk_inode_free_pct(&u), -1, "no inode counts: unknown");
	u.inode_free_pct = 42;
	is_int(disk_inode_free_pct(&u), 42, "an agent's inode percent is used as given");
}

static struct disk_limits
limits(const char *w, const char *c, const char *wi, const char *ci)
{
	struct disk_limits l;
	const char *arg[] = {w, c, wi, ci};
	char err[100];
	memset(&l, 0, sizeof l);
	l.unit = MiB;
	l.unit_name = "MiB";
	for (size_t i = 0; i < 4; i++)
		if (arg[i] != NULL)
			disk_limits_parse(&l, "wcWK"[i], arg[i], err, sizeof err);
	return l;
}

static void
test_eval(void)
{
	struct disk_usage u = usage(100 * MiB, 15 * MiB, 15 * MiB);
	struct disk_limits l = limits("20%", "10%", NULL, NULL);
	bool inode;

	is_int(disk_eval(&l, &u, &inode), GL_WARNING, "15%% free at -w 20%% -c 10%%: WARNING");
	l = limits("20%", "15%", NULL, NULL);
	is_int(disk_eval(&l, &u, &inode), GL_CRITICAL, "free equal to -c 15%% is CRITICAL");
	l = limits("14%", "10%", NULL, NULL);
	is_int(disk_eval(&l, &u, &inode), GL_OK, "15%% free at -w 14%%: OK");
	u = usage(100 * MiB, 15 * MiB + MiB / 2, 15 * MiB + MiB / 2);
	l = limits("15", "10", NULL, NULL);
	is_int(disk_eval(&l, &u, &inode), GL_WARNING,
	       "15.5 MiB counts as 15 whole MiB: -w 15 warns");
	l = limits("16MB", "14MB", NULL, NULL);
	l.unit = 1024;
	is_int(disk_eval(&l, &u, &inode), GL_WARNING, "a unit in the threshold beats -u");
	u.files = 1000, u.ffree = 50;
	l = limits("0%", "0%", "20%", "5%");
	is_int(disk_eval(&l, &u, &inode), GL_CRITICAL, "5%% free inodes at -K 5%%: CRITICAL");
	ok(inode, "the inode threshold is named as the cause");
	u.files = 0;
	is_int(disk_eval(&l, &u, &inode), GL_OK, "unknown inode counts never alert");
}

static void
test_levels(void)
{
	char err[100];
	struct disk_usage u = usage(100 * MiB, 15 * MiB, 15 * MiB);
	struct disk_limits l = limits("20%", "15", NULL, NULL);
	double lv;

	ok(disk_used_level(&l, false, &u, &lv) && lv == 80 * MiB, "-w 20%%: used level 80 MiB");
	/* Free space counts in whole MiB: -c 15 alerts below 16 MiB free. */
	ok(disk_used_level(&l, true, &u, &lv) && lv == 84 * MiB,
	   "-c 15 (MiB): used level 84 MiB, where the whole-MiB state turns");
	l = limits("10%", NULL, NULL, NULL);
	ok(!disk_used_level(&l, true, &u, &lv), "no -c: no level");
	l = limits("200", NULL, NULL, NULL);
	ok(disk_used_level(&l, false, &u, &lv) && lv == 0, "a size above the total: level 0");
	l = limits("10%", NULL, NULL, NULL);
	ok(disk_limits_parse(&l, 'w', "30MiB", err, sizeof err) == 0,
	   "-w 30MiB beside -w 10%%");
	ok(disk_used_level(&l, false, &u, &lv) && lv == 69 * MiB,
	   "percent and size: the lower level (69 MiB: below 31 MiB free)");
	struct disk_usage gb = usage(10 * MiB, 6 * MiB, 6 * MiB);
	l = limits(NULL, "0GB", NULL, NULL);
	bool ia;
	ok(disk_eval(&l, &gb, &ia) == GL_CRITICAL && disk_used_level(&l, true, &gb, &lv) &&
	           lv == 0 && (double)disk_used(&gb) > lv,
	   "-c 0GB with 6 MiB free: CRITICAL, and the perfdata level agrees");
	u = usage(10485760, 0, 0);
	l = limits("1%", NULL, NULL, NULL);
	ok(disk_used_level(&l, false, &u, &lv) && lv == 10380902,
	   "-w 1%% of 10 MiB rounds down");
	u.files = 1000;
	l = limits(NULL, NULL, "20%", NULL);
	ok(disk_inode_level(&l, false, &u, &lv) && lv == 800,
	   "-W 20%% of 1000 inodes: 800 used");
}

static void
test_hr(void)
{
	uint64_t b;
	ok(disk_hr_bytes(4096, 25600, &b) && b == 100 * MiB, "hrStorage 25600 x 4096");
	ok(disk_hr_bytes(4096, -1, &b) && b == (((uint64_t)1 << 32) - 1) * 4096,
	   "a negative Integer32 size is corrected to its unsigned value");
	ok(disk_hr_bytes(65536, INT32_MIN, &b) && b == ((uint64_t)1 << 31) * 65536,
	   "INT32_MIN is 2^31 units");
	ok(!disk_hr_bytes(0, 100, &b), "0 allocation units is unusable");
	ok(!disk_hr_bytes(-4096, 100, &b), "negative allocation units are unusable");
}

static void
test_mountinfo(void)
{
	char l1[] = "27 1 254:0 / / rw,relatime shared:1 - ext4 /dev/vda rw,discard\n";
	char l2[] = "40 27 0:50 /sub /mnt/my\\040disk rw - fuse.sshfs me@host:/x rw\n";
	char l3[] = "41 27 0:51 / /mnt/x rw master:3 shared:9";
	char l4[] = "garbage";
	struct disk_mountinfo m;

	ok(disk_mountinfo_parse(l1, &m) == 0 && strcmp(m.mount, "/") == 0 &&
	           strcmp(m.type, "ext4") == 0 && strcmp(m.source, "/dev/vda") == 0 &&
	           m.major == 254 && m.minor == 0,
	   "mountinfo: root mount with an optional field");
	ok(disk_mountinfo_parse(l2, &m) == 0 && strcmp(m.mount, "/mnt/my disk") == 0 &&
	           strcmp(m.root, "/sub") == 0 && strcmp(m.type, "fuse.sshfs") == 0,
	   "mountinfo: \\040 in a mount point is a space");
	ok(disk_mountinfo_parse(l3, &m) == -1, "mountinfo: a line without ' - ' is rejected");
	ok(disk_mountinfo_parse(l4, &m) == -1, "mountinfo: garbage is rejected");
	ok(disk_type_is_pseudo("tmpfs") && disk_type_is_pseudo("overlay") &&
	           disk_type_is_pseudo("proc") && !disk_type_is_pseudo("ext4") &&
	           !disk_type_is_pseudo("fuse.sshfs"),
	   "pseudo types: tmpfs, overlay, proc; not ext4 or sshfs");
	ok(disk_type_is_sizeless("proc") && disk_type_is_sizeless("autofs") &&
	           !disk_type_is_sizeless("tmpfs") && !disk_type_is_sizeless("ext4"),
	   "sizeless types: proc, autofs; not tmpfs or ext4");
	ok(disk_type_is_remote("nfs4") && disk_type_is_remote("cifs") &&
	           !disk_type_is_remote("xfs"),
	   "remote types: nfs4, cifs; not xfs");
}

int
main(void)
{
	test_thresholds();
	test_units();
	test_percent();
	test_eval();
	test_levels();
	test_hr();
	test_mountinfo();
	return done_testing();
}

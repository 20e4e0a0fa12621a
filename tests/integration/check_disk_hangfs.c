/* A FUSE file system whose statfs never answers: the stand-in for an NFS
 * mount whose server is gone, for tests/integration/check_disk.t.
 * Build: cc -o hangfs check_disk_hangfs.c $(pkg-config --cflags --libs fuse3)
 * Run:   hangfs -f -s MOUNTPOINT */
#define FUSE_USE_VERSION 31
#include <errno.h>
#include <fuse.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int
hang_getattr(const char *path, struct stat *st, struct fuse_file_info *fi)
{
	(void)fi;
	memset(st, 0, sizeof *st);
	if (strcmp(path, "/") != 0)
		return -ENOENT;
	st->st_mode = S_IFDIR | 0755;
	st->st_nlink = 2;
	return 0;
}

/* Blocks like a hard NFS mount; a signal (the test's cleanup) ends it. */
static int
hang_statfs(const char *path, struct statvfs *sv)
{
	(void)path, (void)sv;
	sleep(3600);
	return -EIO;
}

static const struct fuse_operations hang_ops = {
        .getattr = hang_getattr,
        .statfs = hang_statfs,
};

int
main(int argc, char **argv)
{
	return fuse_main(argc, argv, &hang_ops, NULL);
}

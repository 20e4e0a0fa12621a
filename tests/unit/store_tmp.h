/* A store in a temporary directory for the store tests: its path, a
 * handle on it, and its files removed at the end. */
#ifndef GLANCE_STORE_TMP_H
#define GLANCE_STORE_TMP_H

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "store.h"

static char dir[200];
static char path[256];

/* Makes the directory (under $TMPDIR); 0 or -1. */
static int
tmp_store_init(void)
{
	const char *tmp = getenv("TMPDIR");

	snprintf(dir, sizeof dir, "%s/glance-store.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (mkdtemp(dir) == NULL)
		return -1;
	snprintf(path, sizeof path, "%s/glance.db", dir);
	return 0;
}

static struct store *
open_store(void)
{
	struct store *s;
	char err[256];

	if (store_open(path, false, &s, err, sizeof err) != 0) {
		printf("# %s\n", err);
		return NULL;
	}
	return s;
}

/* The database, its WAL and shared-memory files, and the directory. */
static void
tmp_store_remove(void)
{
	static const char *const suffix[] = {"", "-wal", "-shm"};

	for (size_t i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
		char f[300];
		snprintf(f, sizeof f, "%s%s", path, suffix[i]);
		unlink(f);
	}
	rmdir(dir);
}

#endif

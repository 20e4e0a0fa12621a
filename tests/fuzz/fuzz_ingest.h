/* What the ingest targets share: a fresh in-memory store and a config
 * that knows web1's host check and its smtp service (the names the seed
 * corpora use, so their results reach the store), and inputs handed to
 * the path-taking readers as memfd files. Every input starts from
 * nothing, so a crash replays from its input alone. */
#ifndef GLANCE_FUZZ_INGEST_H
#define GLANCE_FUZZ_INGEST_H

#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fuzz.h"
#include "ingest.h"

struct fuzz_ingest {
	struct config cfg;
	struct store *st;
	struct ingest_log log; /* max 0: warnings are only counted */
	struct ingest_ctx c;
};

static inline int
fuzz_ingest_open(struct fuzz_ingest *f, const char *source)
{
	char err[512];

	memset(f, 0, sizeof *f);
	if (config_parse("", "fuzz.conf", "/nonexistent", &f->cfg, err, sizeof err) != 0)
		return -1;
	if (store_open(":memory:", false, &f->st, err, sizeof err) != 0) {
		config_free(&f->cfg);
		return -1;
	}
	config_add_system(&f->cfg, "web1", "Web server 1", NULL, NULL, false);
	config_add_check(&f->cfg, "web1", INGEST_HOST_SERVICE, 60, 60, 1);
	config_add_check(&f->cfg, "web1", "smtp", 60, 60, 2);
	/* now is the seeds' own time (they were captured then), so their
	 * downtimes are current and their results recent */
	f->c = (struct ingest_ctx){.st = f->st,
	                           .cfg = &f->cfg,
	                           .source = source,
	                           .log = &f->log,
	                           .now = 1796321900};
	return 0;
}

static inline void
fuzz_ingest_close(struct fuzz_ingest *f)
{
	ingest_end(&f->c);
	store_close(f->st);
	config_free(&f->cfg);
}

/* The bytes as a file only this process sees; its path goes in path.
 * Returns the descriptor (close it after), or -1. */
static inline int
fuzz_memfd(const uint8_t *data, size_t size, char *path, size_t len)
{
	int fd = memfd_create("fuzz", MFD_CLOEXEC);

	if (fd < 0)
		return -1;
	if (size > 0 && write(fd, data, size) != (ssize_t)size) {
		close(fd);
		return -1;
	}
	snprintf(path, len, "/proc/self/fd/%d", fd);
	return fd;
}

#endif

/* Nagios 4's status.dat through a whole ingest pass (ng_ingest_pass):
 * the block reader, the unescaping of plugin output, and the snapshot's
 * results and downtimes reconciled with the store. */
#include "fuzz_ingest.h"
#include "ingest_nagios.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_ingest f;
	struct ng_pass_stats stats;
	char path[64], err[512], host[] = INGEST_HOST_SERVICE;
	int fd = fuzz_memfd(data, size, path, sizeof path);

	if (fd < 0)
		return 0;
	if (fuzz_ingest_open(&f, "nagios") == 0) {
		struct cfg_source src = {
		        .kind = SOURCE_NAGIOS, .ping = host, .status_dat = path};
		(void)ng_ingest_pass(&f.c, &src, &stats, err, sizeof err);
		fuzz_ingest_close(&f);
	}
	close(fd);
	return 0;
}

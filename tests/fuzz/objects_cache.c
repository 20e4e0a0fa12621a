/* Nagios 4's objects.cache: hosts, services and commands read
 * (ng_objects_load), then turned into systems and checks of a config
 * (ng_objects_to_config), which must free cleanly. */
#include "fuzz_ingest.h"
#include "ingest_nagios.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ng_objects o;
	struct ingest_log log = {0};
	struct config cfg;
	char path[64], err[512];
	int fd = fuzz_memfd(data, size, path, sizeof path);

	if (fd < 0)
		return 0;
	if (ng_objects_load(path, &o, &log, err, sizeof err) == 0) {
		if (config_parse("", "fuzz.conf", "/nonexistent", &cfg, err, sizeof err) == 0) {
			ng_objects_to_config(&o, INGEST_HOST_SERVICE, &cfg, &log);
			config_free(&cfg);
		}
		ng_objects_free(&o);
	}
	close(fd);
	return 0;
}

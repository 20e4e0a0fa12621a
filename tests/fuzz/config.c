/* The collector's config file: any text is either a config (which is
 * then freed) or an error message; relative paths resolve in /nonexistent
 * so nothing on the machine is read. */
#include "config.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_str(data, size);
	struct config cfg;
	char err[512];

	if (s == NULL)
		return 0;
	if (config_parse(s, "fuzz.conf", "/nonexistent", &cfg, err, sizeof err) == 0)
		config_free(&cfg);
	free(s);
	return 0;
}

/* The collector's reader of plugin output (Nagios 4's split into output,
 * long output and perfdata): any bytes give three NUL-free strings of
 * printable UTF-8, none longer than the input allows. */
#include <stdio.h>

#include "exec.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_str(data, size);
	struct exec_outcome o = {0};

	if (s == NULL)
		return 0;
	exec_parse_output(s, &o);
	const char *parts[] = {o.output, o.long_output, o.perfdata};
	for (size_t i = 0; i < 3; i++)
		for (const unsigned char *p = (const unsigned char *)parts[i]; *p; p++)
			if ((*p < 0x20 && *p != '\t' && !(i == 1 && *p == '\n')) ||
			    *p == 0x7f) {
				fprintf(stderr, "control byte 0x%02x left in part %zu\n", *p,
				        i);
				abort();
			}
	exec_outcome_free(&o);
	free(s);
	return 0;
}

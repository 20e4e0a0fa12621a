/* libFuzzer targets: each file defines LLVMFuzzerTestOneInput. Built with
 * clang's -fsanitize=fuzzer by tests/fuzz/run; built with the ordinary
 * compiler and driver/replay.c's main() by the Makefile, so `make check`
 * replays every committed corpus without clang. */
#ifndef GLANCE_FUZZ_H
#define GLANCE_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A NUL-terminated copy of the input, which the caller frees. Inputs
 * with a NUL byte are cut there, as every C-string parser would be. */
static inline char *
fuzz_str(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (s != NULL) {
		memcpy(s, data, size);
		s[size] = '\0';
	}
	return s;
}

#endif

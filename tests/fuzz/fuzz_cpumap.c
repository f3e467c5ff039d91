/*
 * fuzz_cpumap.c - fuzz target for CPU lists (xvm_cpumap_parse): the first
 * byte picks the host's CPU count (1..256), the rest is the list.  A list
 * is refused with a message naming it, or gives a non-empty set within
 * the host whose printed form parses back to the same set.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "xvm/cpumap.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t map[32], again[32];
	struct xvm_buf b = XVM_BUF_INIT;
	struct xvm_err err;
	unsigned nr;
	char *s;

	if (size < 1 || size > 4096)
		return 0;
	nr = (unsigned)data[0] + 1;
	memset(map, 0, sizeof(map));
	s = xvm_strndup((const char *)data + 1, size - 1);
	xvm_err_clear(&err);
	if (xvm_cpumap_parse(s, nr, map, &err) == 0) {
		size_t i;
		unsigned c, n = 0;

		for (c = 0; c < 256; c++)
			if ((map[c / 8] >> (c % 8)) & 1) {
				if (c >= nr)
					abort();
				n++;
			}
		if (n == 0)
			abort();
		xvm_cpumap_format(map, nr, &b);
		if (xvm_cpumap_parse(xvm_buf_str(&b), nr, again, &err) < 0)
			abort();
		for (i = 0; i < XVM_CPUMAP_BYTES(nr); i++)
			if (map[i] != again[i])
				abort();
	} else if (err.code == XVM_ERR_OK || err.msg[0] == '\0') {
		abort();
	}
	xvm_buf_release(&b);
	free(s);
	return 0;
}

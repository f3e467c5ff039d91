/*
 * fuzz_size.c - fuzz target for scaled integers and plain numbers.
 * Invariants: a failure always sets an error code; a success is consistent
 * (a bare number with scale 1 reads back the same through xvm_parse_ull).
 */
#include <stdlib.h>
#include <string.h>

#include "xvm/size.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1), buf[64];
	struct xvm_err err;
	unsigned long long v, w;
	unsigned int u;
	int i;
	const char *unit;

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	xvm_err_clear(&err);
	if (xvm_size_parse(s, 1024, ~0ULL, &v, &err) < 0) {
		if (err.code == XVM_ERR_OK)
			abort();
	} else {
		xvm_size_pretty(v, &unit);
		xvm_size_format(v, buf, sizeof(buf));
	}
	xvm_err_clear(&err);
	if (xvm_size_parse(s, 1, ~0ULL, &v, &err) == 0 &&
	    xvm_parse_ull(s, &w) == 0 && v != w)
		abort();
	xvm_parse_uint(s, &u);
	xvm_parse_int(s, &i);
	free(s);
	return 0;
}

/*
 * fuzz_xspersist.c - fuzz target for the xenstore state loader.  Any bytes
 * either load or fail with an error message; a loaded store saves to bytes
 * that load back into an equal store and save to the same bytes.  Each
 * input is tried twice: as is, and with its last four bytes replaced by
 * the right CRC-32, so the fuzzer reaches the structure behind the check.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "xen/xs_store.h"
#include "fuzz.h"

static uint32_t
crc32_ieee(const uint8_t *p, size_t len)
{
	uint32_t crc = 0xffffffffu;
	int k;

	while (len--) {
		crc ^= *p++;
		for (k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
	}
	return ~crc;
}

static void
one(const uint8_t *data, size_t size)
{
	struct xvm_buf a = XVM_BUF_INIT, b = XVM_BUF_INIT;
	struct xs_store *st, *st2;
	struct xvm_err err;

	xvm_err_clear(&err);
	st = xs_store_load(data, size, &err);
	if (!st) {
		if (err.code == XVM_ERR_OK || !err.msg[0])
			abort();
		return;
	}
	xs_store_save(st, &a);
	xvm_err_clear(&err);
	st2 = xs_store_load(a.data, a.len, &err);
	if (!st2 || !xs_store_equal(st, st2))
		abort();
	xs_store_save(st2, &b);
	if (a.len != b.len || memcmp(a.data, b.data, a.len) != 0)
		abort();
	xs_store_free(st);
	xs_store_free(st2);
	xvm_buf_release(&a);
	xvm_buf_release(&b);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *fixed;
	uint32_t crc;
	int i;

	one(data, size);
	if (size < 4)
		return 0;
	fixed = malloc(size);
	if (!fixed)
		abort();
	memcpy(fixed, data, size);
	crc = crc32_ieee(fixed, size - 4);
	for (i = 0; i < 4; i++)
		fixed[size - 4 + i] = (uint8_t)(crc >> (8 * i));
	one(fixed, size);
	free(fixed);
	return 0;
}

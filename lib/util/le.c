/*
 * le.c - little-endian integers and CRC-32 for xvm's binary files.
 */
#include <zlib.h>

#include "xvm/le.h"

void
xvm_put_le32(struct xvm_buf *b, uint32_t v)
{
	unsigned char c[4];
	int i;

	for (i = 0; i < 4; i++)
		c[i] = (unsigned char)(v >> (8 * i));
	xvm_buf_add(b, c, 4);
}

void
xvm_put_le64(struct xvm_buf *b, uint64_t v)
{
	xvm_put_le32(b, (uint32_t)v);
	xvm_put_le32(b, (uint32_t)(v >> 32));
}

uint32_t
xvm_get_le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

uint64_t
xvm_get_le64(const unsigned char *p)
{
	return (uint64_t)xvm_get_le32(p) | (uint64_t)xvm_get_le32(p + 4) << 32;
}

/* zlib's: the same CRC-32 (IEEE 802.3), computed several bytes a step. */
uint32_t
xvm_crc32(const void *data, size_t len)
{
	return (uint32_t)crc32_z(0, data, len);
}

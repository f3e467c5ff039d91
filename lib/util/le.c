/*
 * le.c - little-endian integers and CRC-32 for xvm's binary files.
 */
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

uint32_t
xvm_crc32(const void *data, size_t len)
{
	const unsigned char *p = data;
	uint32_t tab[256], crc, c;
	int k;

	for (c = 0; c < 256; c++) {
		crc = c;
		for (k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
		tab[c] = crc;
	}
	crc = 0xffffffffu;
	while (len--)
		crc = (crc >> 8) ^ tab[(crc ^ *p++) & 0xffu];
	return ~crc;
}

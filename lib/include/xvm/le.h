/*
 * le.h - the little pieces of xvm's own binary files (the simulated host's
 * state, its xenstore image): little-endian integers and CRC-32.
 */
#ifndef XVM_LE_H
#define XVM_LE_H

#include <stddef.h>
#include <stdint.h>

#include "xvm/util.h"

void xvm_put_le32(struct xvm_buf *b, uint32_t v);
void xvm_put_le64(struct xvm_buf *b, uint64_t v);
uint32_t xvm_get_le32(const unsigned char *p);
uint64_t xvm_get_le64(const unsigned char *p);

/* CRC-32 (IEEE 802.3, as zlib's crc32) of len bytes. */
uint32_t xvm_crc32(const void *data, size_t len);

#endif

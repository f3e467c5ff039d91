/*
 * kimage_decomp.c - the decompressors of the kernel-image parser: gzip
 * (libdeflate when the size the gzip trailer gives is within the cap,
 * else zlib), xz (liblzma) and bzip2 (libbz2), each stopping as soon as
 * its output passes the caller's cap, and recognition of the other kernel
 * compressions (lzma, lzo, lz4, zstd) by magic so they can be refused by
 * name.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <bzlib.h>
#include <libdeflate.h>
#include <lzma.h>
#include <lz4.h>
#include <zlib.h>

#include "xvm/util.h"
#include "xen/kimage.h"

/* liblzma may use this much memory (the kernel's xz uses a 32 MiB dict). */
#define XZ_MEMLIMIT	((uint64_t)256 << 20)
/* first output buffer: 4 x the input, within these; it doubles to the cap */
#define OUT_MIN		((size_t)64 << 10)
#define OUT_MAX_FIRST	((size_t)4 << 20)

struct outbuf {
	unsigned char *p;
	size_t first;		/* the first allocation */
	size_t len;		/* bytes produced */
	size_t cap;		/* bytes allocated */
	size_t lim;		/* cap + 1: producing this many means "too big" */
};

/*
 * Make room after o->len.  Returns false once lim bytes exist: the stream
 * produced more than the cap allows.
 */
static bool
out_grow(struct outbuf *o)
{
	size_t ncap;

	if (o->cap >= o->lim)
		return false;
	if (o->cap == 0)
		ncap = o->first;
	else if (o->cap > SIZE_MAX / 2)
		ncap = o->lim;
	else
		ncap = o->cap * 2;
	if (ncap > o->lim)
		ncap = o->lim;
	o->p = xvm_realloc(o->p, ncap);
	o->cap = ncap;
	return true;
}

static bool
out_room(struct outbuf *o)
{
	return o->len < o->cap || out_grow(o);
}

/* Free space after len, clipped to what the library's counters hold. */
static size_t
out_avail(const struct outbuf *o, size_t clip)
{
	size_t n = o->cap - o->len;

	return n > clip ? clip : n;
}

static int
too_big(const char *name, const char *what, size_t max, struct xvm_err *err)
{
	return xvm_err_set(err, XVM_ERR_CONFIG,
	    "'%s': the %s data decompresses to more than the limit of "
	    "%zu bytes", name, what, max);
}

/*
 * A gzip file of one member, in one call into a buffer of the size its
 * trailer gives (libdeflate: the kernel's 60 MB in a third of zlib's
 * time).  0 when done; 1 when the general path must decide: a size over
 * the cap or that does not add up, more members, bad data (zlib then
 * says what is wrong, in its words).
 */
static int
gunzip_whole(const unsigned char *in, size_t inlen, size_t max,
    struct outbuf *o)
{
	struct libdeflate_decompressor *d;
	enum libdeflate_result r;
	size_t isize, used = 0, got = 0;
	unsigned char *buf;

	if (inlen < 18)
		return 1;
	isize = (size_t)in[inlen - 4] | (size_t)in[inlen - 3] << 8 |
	    (size_t)in[inlen - 2] << 16 | (size_t)in[inlen - 1] << 24;
	if (isize == 0 || isize > max)
		return 1;
	if ((d = libdeflate_alloc_decompressor()) == NULL)
		return 1;
	buf = xvm_malloc(isize);
	xvm_prefault(buf, isize);
	r = libdeflate_gzip_decompress_ex(d, in, inlen, buf, isize, &used,
	    &got);
	libdeflate_free_decompressor(d);
	if (r != LIBDEFLATE_SUCCESS || used != inlen || got != isize) {
		free(buf);
		return 1;
	}
	o->p = buf;
	o->len = o->cap = isize;
	return 0;
}

static int
gunzip(const char *name, const unsigned char *in, size_t inlen,
    size_t max, struct outbuf *o, struct xvm_err *err)
{
	z_stream zs;
	size_t left = inlen, chunk;
	uInt avail;
	int rc, ret = -1;

	memset(&zs, 0, sizeof(zs));
	if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK)
		return xvm_err_set(err, XVM_ERR_INTERNAL,
		    "cannot start the gzip decompressor");
	for (;;) {
		if (zs.avail_in == 0 && left > 0) {
			chunk = left > UINT_MAX ? UINT_MAX : left;
			zs.next_in = (Bytef *)(uintptr_t)(in + (inlen - left));
			zs.avail_in = (uInt)chunk;
			left -= chunk;
		}
		if (!out_room(o)) {
			too_big(name, "gzip", max, err);
			goto out;
		}
		avail = (uInt)out_avail(o, UINT_MAX);
		zs.next_out = o->p + o->len;
		zs.avail_out = avail;
		rc = inflate(&zs, Z_NO_FLUSH);
		o->len += avail - zs.avail_out;
		if (rc == Z_STREAM_END)
			break;
		if (rc == Z_OK || rc == Z_BUF_ERROR) {
			if (zs.avail_in == 0 && left == 0 && zs.avail_out > 0) {
				xvm_err_set(err, XVM_ERR_CONFIG,
				    "'%s': the gzip data is truncated", name);
				goto out;
			}
			continue;
		}
		xvm_err_set(err, XVM_ERR_CONFIG,
		    "'%s': the gzip data is corrupt%s%s", name,
		    zs.msg ? ": " : "", zs.msg ? zs.msg : "");
		goto out;
	}
	ret = 0;
out:
	inflateEnd(&zs);
	return ret;
}

static int
unxz(const char *name, const unsigned char *in, size_t inlen, size_t max,
    struct outbuf *o, struct xvm_err *err)
{
	lzma_stream xs = LZMA_STREAM_INIT;
	lzma_ret rc;
	size_t avail;
	int ret = -1;

	if (lzma_stream_decoder(&xs, XZ_MEMLIMIT, 0) != LZMA_OK)
		return xvm_err_set(err, XVM_ERR_INTERNAL,
		    "cannot start the xz decompressor");
	xs.next_in = in;
	xs.avail_in = inlen;
	for (;;) {
		if (!out_room(o)) {
			too_big(name, "xz", max, err);
			goto out;
		}
		avail = out_avail(o, SIZE_MAX);
		xs.next_out = o->p + o->len;
		xs.avail_out = avail;
		rc = lzma_code(&xs, LZMA_FINISH);
		o->len += avail - xs.avail_out;
		if (rc == LZMA_STREAM_END)
			break;
		if (rc == LZMA_OK)
			continue;
		switch (rc) {
		case LZMA_MEMLIMIT_ERROR:
			xvm_err_set(err, XVM_ERR_CONFIG,
			    "'%s': the xz data needs more than %llu MiB of "
			    "memory to decompress", name,
			    (unsigned long long)(XZ_MEMLIMIT >> 20));
			break;
		case LZMA_BUF_ERROR:
			xvm_err_set(err, XVM_ERR_CONFIG,
			    "'%s': the xz data is truncated", name);
			break;
		case LZMA_OPTIONS_ERROR:
			xvm_err_set(err, XVM_ERR_CONFIG,
			    "'%s': the xz data uses unsupported options", name);
			break;
		default:
			xvm_err_set(err, XVM_ERR_CONFIG,
			    "'%s': the xz data is corrupt", name);
			break;
		}
		goto out;
	}
	ret = 0;
out:
	lzma_end(&xs);
	return ret;
}

static int
bunzip2(const char *name, const unsigned char *in, size_t inlen,
    size_t max, struct outbuf *o, struct xvm_err *err)
{
	bz_stream bz;
	size_t left = inlen, chunk;
	unsigned avail;
	int rc, ret = -1;

	memset(&bz, 0, sizeof(bz));
	if (BZ2_bzDecompressInit(&bz, 0, 0) != BZ_OK)
		return xvm_err_set(err, XVM_ERR_INTERNAL,
		    "cannot start the bzip2 decompressor");
	for (;;) {
		if (bz.avail_in == 0 && left > 0) {
			chunk = left > UINT_MAX ? UINT_MAX : left;
			bz.next_in = (char *)(uintptr_t)(in + (inlen - left));
			bz.avail_in = (unsigned)chunk;
			left -= chunk;
		}
		if (!out_room(o)) {
			too_big(name, "bzip2", max, err);
			goto out;
		}
		avail = (unsigned)out_avail(o, UINT_MAX);
		bz.next_out = (char *)(o->p + o->len);
		bz.avail_out = avail;
		rc = BZ2_bzDecompress(&bz);
		o->len += avail - bz.avail_out;
		if (rc == BZ_STREAM_END)
			break;
		if (rc == BZ_OK) {
			if (bz.avail_in == 0 && left == 0 && bz.avail_out > 0) {
				xvm_err_set(err, XVM_ERR_CONFIG,
				    "'%s': the bzip2 data is truncated", name);
				goto out;
			}
			continue;
		}
		xvm_err_set(err, XVM_ERR_CONFIG,
		    "'%s': the bzip2 data is corrupt", name);
		goto out;
	}
	ret = 0;
out:
	BZ2_bzDecompressEnd(&bz);
	return ret;
}

int
xvm_kimage_comp_detect(const unsigned char *p, size_t len)
{
	static const struct {
		int comp;
		size_t len;
		const char *magic;
	} magics[] = {
		{ XVM_KIMAGE_COMP_GZIP, 2, "\037\213" },
		{ XVM_KIMAGE_COMP_BZIP2, 3, "BZh" },
		{ XVM_KIMAGE_COMP_XZ, 6, "\3757zXZ\0" },
		{ XVM_KIMAGE_COMP_ZSTD, 4, "\x28\xb5\x2f\xfd" },
		{ XVM_KIMAGE_COMP_LZMA, 3, "\x5d\0\0" },
		{ XVM_KIMAGE_COMP_LZO, 5, "\x89LZO\0" },
		{ XVM_KIMAGE_COMP_LZ4, 4, "\x02\x21\x4c\x18" },	/* legacy */
		{ XVM_KIMAGE_COMP_LZ4, 4, "\x04\x22\x4d\x18" },	/* frame */
	};
	size_t i;

	for (i = 0; i < XVM_ARRAY_SIZE(magics); i++)
		if (len >= magics[i].len &&
		    memcmp(p, magics[i].magic, magics[i].len) == 0)
			return magics[i].comp;
	return XVM_KIMAGE_COMP_NONE;
}

const char *
xvm_kimage_comp_name(int comp)
{
	switch (comp) {
	case XVM_KIMAGE_COMP_NONE:
		return "none";
	case XVM_KIMAGE_COMP_GZIP:
		return "gzip";
	case XVM_KIMAGE_COMP_XZ:
		return "xz";
	case XVM_KIMAGE_COMP_BZIP2:
		return "bzip2";
	case XVM_KIMAGE_COMP_LZMA:
		return "lzma";
	case XVM_KIMAGE_COMP_LZO:
		return "lzo";
	case XVM_KIMAGE_COMP_LZ4:
		return "lz4";
	case XVM_KIMAGE_COMP_ZSTD:
		return "zstd";
	default:
		return "unknown";
	}
}

/*
 * lz4's legacy format, as Linux compresses its kernels (Debian's among
 * them): the magic, then blocks of "4-byte little-endian size, data",
 * each at most 8 MiB when decompressed; the magic may appear again
 * between concatenated archives.  In a bzImage the payload ends with the
 * 4-byte decompressed size, which reads as a size larger than what is
 * left: that ends the stream.
 */
#define LZ4_LEGACY_MAGIC	0x184c2102u
#define LZ4_LEGACY_BLOCK	(8u << 20)

static int
unlz4(const char *name, const unsigned char *in, size_t inlen, size_t max,
    struct outbuf *o, struct xvm_err *err)
{
	size_t pos = 4;

	while (pos + 4 <= inlen) {
		uint32_t n = (uint32_t)in[pos] | (uint32_t)in[pos + 1] << 8 |
		    (uint32_t)in[pos + 2] << 16 | (uint32_t)in[pos + 3] << 24;
		size_t avail;
		int r;

		if (n == LZ4_LEGACY_MAGIC) {
			pos += 4;
			continue;
		}
		if (n == 0 || n > inlen - pos - 4) {
			if (o->len > 0)
				break;	/* trailing size of a bzImage */
			return xvm_err_set(err, XVM_ERR_CONFIG, "'%s': the "
			    "lz4 data is truncated or corrupt", name);
		}
		/* room for a whole block, or as much as the cap allows */
		while (o->cap - o->len < LZ4_LEGACY_BLOCK && out_grow(o))
			;
		avail = out_avail(o, INT32_MAX);
		r = LZ4_decompress_safe((const char *)in + pos + 4,
		    (char *)o->p + o->len, (int)n, (int)avail);
		if (r < 0) {
			if (avail < LZ4_LEGACY_BLOCK && o->cap >= o->lim)
				return too_big(name, "lz4", max, err);
			return xvm_err_set(err, XVM_ERR_CONFIG, "'%s': the "
			    "lz4 data is corrupt", name);
		}
		o->len += (size_t)r;
		pos += 4 + n;
	}
	if (o->len == 0)
		return xvm_err_set(err, XVM_ERR_CONFIG, "'%s': the lz4 data is "
		    "empty", name);
	return 0;
}

int
xvm_kimage_decompress(int comp, const char *name, const unsigned char *in,
    size_t inlen, size_t max, unsigned char **out_r, size_t *outlen_r,
    struct xvm_err *err)
{
	struct outbuf o = { NULL, 0, 0, 0, 0 };
	int rc;

	*out_r = NULL;
	*outlen_r = 0;
	if (max >= SIZE_MAX)
		max = SIZE_MAX - 1;
	o.lim = max + 1;
	o.first = inlen < OUT_MAX_FIRST / 4 ? inlen * 4 : OUT_MAX_FIRST;
	if (o.first < OUT_MIN)
		o.first = OUT_MIN;
	switch (comp) {
	case XVM_KIMAGE_COMP_GZIP:
		rc = gunzip_whole(in, inlen, max, &o) == 0 ? 0 :
		    gunzip(name, in, inlen, max, &o, err);
		break;
	case XVM_KIMAGE_COMP_XZ:
		rc = unxz(name, in, inlen, max, &o, err);
		break;
	case XVM_KIMAGE_COMP_BZIP2:
		rc = bunzip2(name, in, inlen, max, &o, err);
		break;
	case XVM_KIMAGE_COMP_LZ4:
		if (inlen >= 4 && in[0] == 0x02) {	/* legacy, not a frame */
			rc = unlz4(name, in, inlen, max, &o, err);
			break;
		}
		/* FALLTHROUGH */
	default:
		return xvm_err_set(err, XVM_ERR_CONFIG,
		    "'%s': compression %s is not supported (xvm reads gzip, xz, "
		    "bzip2 and legacy lz4 kernels)", name,
		    xvm_kimage_comp_name(comp));
	}
	if (rc == 0 && o.len > max)
		rc = too_big(name, xvm_kimage_comp_name(comp), max, err);
	if (rc < 0) {
		free(o.p);
		return -1;
	}
	*out_r = o.p;
	*outlen_r = o.len;
	return 0;
}

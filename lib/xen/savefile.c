/*
 * savefile.c - reading and writing the framing of Xen's save file and
 * migration stream (savefile.h); the checks a restore makes before it
 * creates anything.
 */
#define __XEN_TOOLS__ 1
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <limits.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include <xen/xen.h>

#include "xvm/le.h"
#include "xen/savefile.h"

#define FLUSH_AT	(1u << 20)
#define DIRECT_AT	(64u << 10)	/* written as it is from this size */
#define CONFIG_MAX	(1u << 20)
#define RECORD_MAX	(8u << 20)
#define LIBXL_IDENT	0x4c6962786c466d74ull	/* "LibxlFmt" */
#define LIBXC_ID	0x58454e46u		/* "XENF" */

void
xvm_sf_in_fd(struct xvm_sf_in *in, int fd, const char *name)
{
	memset(in, 0, sizeof(*in));
	in->fd = fd;
	in->name = name;
}

void
xvm_sf_in_mem(struct xvm_sf_in *in, const void *mem, size_t len,
    const char *name)
{
	memset(in, 0, sizeof(*in));
	in->fd = -1;
	in->mem = mem;
	in->memlen = len;
	in->name = name;
}

void
xvm_sf_out_init(struct xvm_sf_out *out, int fd, const char *name)
{
	memset(out, 0, sizeof(*out));
	out->fd = fd;
	out->name = name;
	xvm_buf_init(&out->buf);
}

void
xvm_sf_out_release(struct xvm_sf_out *out)
{
	xvm_buf_release(&out->buf);
}

static int
write_all(struct xvm_sf_out *out, const char *p, size_t len,
    struct xvm_err *err)
{
	size_t done = 0;

	while (done < len) {
		ssize_t w = write(out->fd, p + done, len - done);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return xvm_err_sys(err, w < 0 ? errno : EIO, "cannot "
			    "write '%s'", out->name);
		done += (size_t)w;
	}
	return 0;
}

int
xvm_sf_flush(struct xvm_sf_out *out, struct xvm_err *err)
{
	if (write_all(out, out->buf.data, out->buf.len, err) < 0)
		return -1;
	xvm_buf_reset(&out->buf);
	return 0;
}

int
xvm_sf_put(struct xvm_sf_out *out, const void *data, size_t len,
    struct xvm_err *err)
{
	/* a batch of pages goes from the guest's frames to the file in
	   one write: no copy through the buffer */
	if (len >= DIRECT_AT && out->fd >= 0) {
		if (xvm_sf_flush(out, err) < 0 ||
		    write_all(out, data, len, err) < 0)
			return -1;
		out->pos += len;
		return 0;
	}
	xvm_buf_add(&out->buf, data, len);
	out->pos += len;
	return out->buf.len >= FLUSH_AT ? xvm_sf_flush(out, err) : 0;
}

int
xvm_sf_get(struct xvm_sf_in *in, void *buf, size_t len, struct xvm_err *err)
{
	unsigned char *p = buf;
	size_t done = 0;

	if (in->fd < 0) {
		if (in->memlen - (size_t)in->pos < len)
			return xvm_err_set(err, XVM_ERR_INVALID_ARG, "%s: cut "
			    "short at byte %" PRIu64 " (%zu more bytes "
			    "expected)", in->name, in->memlen, len -
			    (in->memlen - (size_t)in->pos));
		memcpy(buf, in->mem + in->pos, len);
		in->pos += len;
		return 0;
	}
	while (done < len) {
		ssize_t r = read(in->fd, p + done, len - done);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return xvm_err_sys(err, errno, "cannot read '%s'",
			    in->name);
		if (r == 0)
			return xvm_err_set(err, XVM_ERR_INVALID_ARG, "%s: cut "
			    "short at byte %" PRIu64 " (%zu more bytes "
			    "expected)", in->name, in->pos + done,
			    len - done);
		done += (size_t)r;
	}
	in->pos += len;
	return 0;
}

static void
be32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

static uint32_t
get_be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

static void
le32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
	p[2] = (unsigned char)(v >> 16);
	p[3] = (unsigned char)(v >> 24);
}

static int
bad(struct xvm_sf_in *in, struct xvm_err *err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
bad(struct xvm_sf_in *in, struct xvm_err *err, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return xvm_err_set(err, XVM_ERR_INVALID_ARG, "%s: %s (at byte %"
	    PRIu64 ")", in->name, msg, in->pos);
}

/* ---- xl's header ---------------------------------------------------------- */

int
xvm_sf_put_xl_header(struct xvm_sf_out *out, const char *config,
    struct xvm_err *err)
{
	unsigned char h[48 + 4];
	uint32_t clen = (uint32_t)strlen(config) + 1;	/* with its NUL */

	memcpy(h, XVM_SF_XL_MAGIC, 32);
	le32(h + 32, 0x01020304);		/* the byte order */
	le32(h + 36, XVM_SF_XL_FLAG_STREAMV2);	/* mandatory: not JSON */
	le32(h + 40, 0);			/* optional */
	le32(h + 44, 4 + clen);			/* optional data */
	le32(h + 48, clen);
	if (xvm_sf_put(out, h, sizeof(h), err) < 0)
		return -1;
	return xvm_sf_put(out, config, clen, err);
}

int
xvm_sf_get_xl_header(struct xvm_sf_in *in, struct xvm_sf_xl *xl,
    struct xvm_err *err)
{
	unsigned char h[48], l[4];
	uint32_t optlen, clen;

	memset(xl, 0, sizeof(*xl));
	if (xvm_sf_get(in, h, sizeof(h), err) < 0)
		return -1;
	if (memcmp(h, XVM_SF_XL_MAGIC, 32) != 0)
		return bad(in, err, "not a save file of xl or xm (no \"Xen "
		    "saved domain, xl format\" header)");
	if (xvm_get_le32(h + 32) != 0x01020304)
		return bad(in, err, "written on a machine of the other byte "
		    "order");
	xl->mandatory = xvm_get_le32(h + 36);
	xl->optional = xvm_get_le32(h + 40);
	optlen = xvm_get_le32(h + 44);
	if (xl->mandatory & ~(XVM_SF_XL_FLAG_JSON | XVM_SF_XL_FLAG_STREAMV2))
		return bad(in, err, "mandatory flags 0x%" PRIx32 " that this "
		    "xvm does not know", xl->mandatory);
	if (!(xl->mandatory & XVM_SF_XL_FLAG_STREAMV2))
		return bad(in, err, "a stream of Xen 4.5 or older (legacy "
		    "format), which xvm does not read");
	if (optlen == 0)
		return bad(in, err, "no domain config in the file");
	if (optlen < 4 || optlen > CONFIG_MAX + 4)
		return bad(in, err, "optional data of %" PRIu32 " bytes",
		    optlen);
	if (xvm_sf_get(in, l, 4, err) < 0)
		return -1;
	clen = xvm_get_le32(l);
	if (clen > optlen - 4)
		return bad(in, err, "a config of %" PRIu32 " bytes in %" PRIu32
		    " bytes of optional data", clen, optlen - 4);
	xl->config = xvm_malloc((size_t)clen + 1);
	if (xvm_sf_get(in, xl->config, clen, err) < 0) {
		free(xl->config);
		xl->config = NULL;
		return -1;
	}
	xl->config[clen] = '\0';
	xl->config_len = strlen(xl->config);	/* without trailing NULs */
	/* what follows the config in the optional data is not ours */
	for (optlen -= 4 + clen; optlen > 0;) {
		unsigned char skip[256];
		uint32_t k = optlen < sizeof(skip) ? optlen : sizeof(skip);

		if (xvm_sf_get(in, skip, k, err) < 0) {
			free(xl->config);
			xl->config = NULL;
			return -1;
		}
		optlen -= k;
	}
	return 0;
}

/* ---- libxl and libxc headers ---------------------------------------------- */

int
xvm_sf_put_libxl_header(struct xvm_sf_out *out, struct xvm_err *err)
{
	unsigned char h[16];

	be32(h, (uint32_t)(LIBXL_IDENT >> 32));
	be32(h + 4, (uint32_t)LIBXL_IDENT);
	be32(h + 8, 2);				/* version */
	be32(h + 12, 0);			/* little-endian, not legacy */
	return xvm_sf_put(out, h, sizeof(h), err);
}

int
xvm_sf_get_libxl_header(struct xvm_sf_in *in, struct xvm_err *err)
{
	unsigned char h[16];
	uint64_t ident;

	if (xvm_sf_get(in, h, sizeof(h), err) < 0)
		return -1;
	ident = (uint64_t)get_be32(h) << 32 | get_be32(h + 4);
	if (ident != LIBXL_IDENT)
		return bad(in, err, "no libxl stream (\"LibxlFmt\") after "
		    "xl's header");
	if (get_be32(h + 8) != 2)
		return bad(in, err, "libxl stream version %" PRIu32 " (xvm "
		    "reads version 2)", get_be32(h + 8));
	if (get_be32(h + 12) & 1)
		return bad(in, err, "a big-endian libxl stream");
	return 0;
}

int
xvm_sf_put_libxc_headers(struct xvm_sf_out *out, unsigned xen_major,
    unsigned xen_minor, struct xvm_err *err)
{
	unsigned char h[24 + 16];

	memset(h, 0, sizeof(h));
	memset(h, 0xff, 8);			/* marker */
	be32(h + 8, LIBXC_ID);
	be32(h + 12, 3);			/* version */
	/* options 0: little-endian; 6 reserved bytes */
	le32(h + 24, 1);			/* x86 PV */
	h[28] = 12;				/* page shift */
	le32(h + 32, xen_major);
	le32(h + 36, xen_minor);
	return xvm_sf_put(out, h, sizeof(h), err);
}

int
xvm_sf_get_libxc_headers(struct xvm_sf_in *in, struct xvm_err *err)
{
	unsigned char h[24 + 16];
	uint32_t type;
	int i;

	if (xvm_sf_get(in, h, sizeof(h), err) < 0)
		return -1;
	for (i = 0; i < 8; i++)
		if (h[i] != 0xff)
			return bad(in, err, "a legacy (pre-Xen 4.6) libxc "
			    "image, which xvm does not read");
	if (get_be32(h + 8) != LIBXC_ID)
		return bad(in, err, "no libxc image (\"XENF\") where the "
		    "domain's memory should begin");
	if (get_be32(h + 12) != 2 && get_be32(h + 12) != 3)
		return bad(in, err, "libxc image version %" PRIu32 " (xvm "
		    "reads versions 2 and 3)", get_be32(h + 12));
	if (h[16] != 0 || h[17] != 0)
		return bad(in, err, "a big-endian libxc image");
	type = xvm_get_le32(h + 24);
	if (type != 1)
		return bad(in, err, "a%s domain (xvm restores x86 PV "
		    "domains)", type == 2 ? "n x86 HVM" : " non-x86");
	if (h[28] != 12 || h[29] != 0)
		return bad(in, err, "pages of 2^%u bytes", h[28]);
	return 0;
}

/* ---- records ---------------------------------------------------------- */

int
xvm_sf_put_record2(struct xvm_sf_out *out, uint32_t type, const void *head,
    size_t hlen, const void *data, size_t dlen, struct xvm_err *err)
{
	static const unsigned char zero[8];
	unsigned char h[8];
	size_t len = hlen + dlen;

	le32(h, type);
	le32(h + 4, (uint32_t)len);
	if (xvm_sf_put(out, h, 8, err) < 0 ||
	    (hlen && xvm_sf_put(out, head, hlen, err) < 0) ||
	    (dlen && xvm_sf_put(out, data, dlen, err) < 0))
		return -1;
	return (len & 7) ? xvm_sf_put(out, zero, 8 - (len & 7), err) : 0;
}

int
xvm_sf_put_record_iov(struct xvm_sf_out *out, uint32_t type,
    const void *head, size_t hlen, struct iovec *iov, int niov,
    struct xvm_err *err)
{
	static const unsigned char zero[8];
	unsigned char h[8];
	size_t len = hlen;
	int i;

	for (i = 0; i < niov; i++)
		len += iov[i].iov_len;
	le32(h, type);
	le32(h + 4, (uint32_t)len);
	if (xvm_sf_put(out, h, 8, err) < 0 ||
	    (hlen && xvm_sf_put(out, head, hlen, err) < 0))
		return -1;
	if (out->fd < 0) {
		for (i = 0; i < niov; i++)
			if (xvm_sf_put(out, iov[i].iov_base, iov[i].iov_len,
			    err) < 0)
				return -1;
	} else {
		if (xvm_sf_flush(out, err) < 0)
			return -1;
		while (niov > 0) {
			ssize_t w = writev(out->fd, iov, niov < IOV_MAX ?
			    niov : IOV_MAX);

			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0)
				return xvm_err_sys(err, w < 0 ? errno : EIO,
				    "cannot write '%s'", out->name);
			out->pos += (uint64_t)w;
			/* past what went: whole pieces, then part of one */
			while (niov > 0 && (size_t)w >= iov->iov_len) {
				w -= (ssize_t)iov->iov_len;
				iov++;
				niov--;
			}
			if (niov > 0) {
				iov->iov_base = (char *)iov->iov_base + w;
				iov->iov_len -= (size_t)w;
			}
		}
	}
	return (len & 7) ? xvm_sf_put(out, zero, 8 - (len & 7), err) : 0;
}

int
xvm_sf_put_record(struct xvm_sf_out *out, uint32_t type, const void *body,
    size_t len, struct xvm_err *err)
{
	return xvm_sf_put_record2(out, type, body, len, NULL, 0, err);
}

/* The rest of a record of len bytes whose first `have` are in body. */
static int
get_body(struct xvm_sf_in *in, struct xvm_buf *body, uint32_t len,
    struct xvm_err *err)
{
	unsigned char pad[8];
	size_t have = body->len;

	xvm_buf_pad(body, len - have, 0);
	if (xvm_sf_get(in, body->data + have, len - have, err) < 0)
		return -1;
	if ((len & 7) && xvm_sf_get(in, pad, 8 - (len & 7), err) < 0)
		return -1;
	return 0;
}

static int
get_record(struct xvm_sf_in *in, uint32_t *type, struct xvm_buf *body,
    size_t max, size_t *data_r, struct xvm_err *err)
{
	unsigned char h[8];
	uint32_t len, count;
	size_t hlen;

	if (data_r)
		*data_r = 0;
	if (xvm_sf_get(in, h, 8, err) < 0)
		return -1;
	*type = xvm_get_le32(h);
	len = xvm_get_le32(h + 4);
	if (len > max)
		return bad(in, err, "a record (type 0x%" PRIx32 ") of %" PRIu32
		    " bytes", *type, len);
	xvm_buf_reset(body);
	if (data_r == NULL || *type != XVM_REC_PAGE_DATA || len < 8)
		return get_body(in, body, len, err);
	/* the count, the entries; the pages stay for the caller */
	xvm_buf_pad(body, 8, 0);
	if (xvm_sf_get(in, body->data, 8, err) < 0)
		return -1;
	count = xvm_get_le32((const unsigned char *)body->data);
	hlen = 8 + (size_t)count * 8;
	if (count == 0 || count > XVM_PAGE_DATA_MAX || hlen > len ||
	    (len - hlen) % 4096 != 0)
		return get_body(in, body, len, err);	/* the parser says */
	xvm_buf_pad(body, hlen - 8, 0);
	if (xvm_sf_get(in, body->data + 8, hlen - 8, err) < 0)
		return -1;
	*data_r = len - hlen;
	return 0;
}

int
xvm_sf_get_record(struct xvm_sf_in *in, uint32_t *type, struct xvm_buf *body,
    size_t max, struct xvm_err *err)
{
	return get_record(in, type, body, max, NULL, err);
}

int
xvm_sf_get_record_lazy(struct xvm_sf_in *in, uint32_t *type,
    struct xvm_buf *body, size_t max, size_t *data_r, struct xvm_err *err)
{
	return get_record(in, type, body, max, data_r, err);
}

int
xvm_sf_skip(struct xvm_sf_in *in, uint64_t len, struct xvm_err *err)
{
	static unsigned char scratch[65536];
	struct stat st;
	off_t at;

	if (in->fd < 0) {
		if (in->memlen - (size_t)in->pos < len)
			return xvm_err_set(err, XVM_ERR_INVALID_ARG, "%s: cut "
			    "short at byte %zu (%" PRIu64 " more bytes "
			    "expected)", in->name, in->memlen, len -
			    (in->memlen - (size_t)in->pos));
		in->pos += len;
		return 0;
	}
	/* a file: past the bytes, if the file has them */
	if (fstat(in->fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    (at = lseek(in->fd, 0, SEEK_CUR)) >= 0) {
		if ((uint64_t)st.st_size - (uint64_t)at < len)
			return xvm_err_set(err, XVM_ERR_INVALID_ARG, "%s: cut "
			    "short at byte %" PRIu64 " (%" PRIu64 " more bytes "
			    "expected)", in->name, in->pos + ((uint64_t)
			    st.st_size - (uint64_t)at), len - ((uint64_t)
			    st.st_size - (uint64_t)at));
		if (lseek(in->fd, (off_t)len, SEEK_CUR) < 0)
			return xvm_err_sys(err, errno, "cannot read '%s'",
			    in->name);
		in->pos += len;
		return 0;
	}
	while (len > 0) {
		size_t k = len < sizeof(scratch) ? (size_t)len :
		    sizeof(scratch);

		if (xvm_sf_get(in, scratch, k, err) < 0)
			return -1;
		len -= k;
	}
	return 0;
}

bool
xvm_sf_type_has_data(uint32_t type)
{
	return type != XVM_PT_BROKEN && type != XVM_PT_XALLOC &&
	    type != XVM_PT_XTAB;
}

/* body: avail bytes of a PAGE_DATA record of len bytes */
static int
parse_pages(const unsigned char *body, size_t avail, size_t len,
    struct xvm_sf_pages *pg, struct xvm_err *err)
{
	size_t i, with_data = 0;

	if (len < 8 || avail < 8)
		return xvm_err_set(err, XVM_ERR_INVALID_ARG, "PAGE_DATA "
		    "record of %zu bytes", len);
	pg->count = xvm_get_le32(body);
	if (pg->count == 0 || pg->count > XVM_PAGE_DATA_MAX ||
	    len < 8 + (size_t)pg->count * 8 ||
	    avail < 8 + (size_t)pg->count * 8)
		return xvm_err_set(err, XVM_ERR_INVALID_ARG, "PAGE_DATA "
		    "record of %" PRIu32 " pages in %zu bytes", pg->count, len);
	pg->entries = body + 8;
	for (i = 0; i < pg->count; i++) {
		uint64_t e = xvm_get_le64(pg->entries + i * 8);
		uint32_t t = XVM_PFN_TYPE(e);

		if ((t & 7) > 4 && t < XVM_PT_BROKEN)
			return xvm_err_set(err, XVM_ERR_INVALID_ARG,
			    "PAGE_DATA: pfn %#" PRIx64 " has type %#x",
			    (uint64_t)XVM_PFN(e), t);
		if ((e >> 52) & 0xff)
			return xvm_err_set(err, XVM_ERR_INVALID_ARG,
			    "PAGE_DATA: reserved bits set in entry %zu", i);
		with_data += xvm_sf_type_has_data(t);
	}
	if (len != 8 + (size_t)pg->count * 8 + with_data * 4096)
		return xvm_err_set(err, XVM_ERR_INVALID_ARG, "PAGE_DATA "
		    "record of %zu bytes for %zu pages of data", len,
		    with_data);
	pg->data = avail == len ? pg->entries + (size_t)pg->count * 8 : NULL;
	return 0;
}

int
xvm_sf_parse_page_data(const unsigned char *body, size_t len,
    struct xvm_sf_pages *pg, struct xvm_err *err)
{
	return parse_pages(body, len, len, pg, err);
}

int
xvm_sf_parse_page_head(const unsigned char *head, size_t hlen,
    size_t reclen, struct xvm_sf_pages *pg, struct xvm_err *err)
{
	return parse_pages(head, hlen, reclen, pg, err);
}

int
xvm_sf_parse_p2m_frames(const unsigned char *body, size_t len,
    struct xvm_sf_p2m_frames *f, struct xvm_err *err)
{
	if (len < 8)
		return xvm_err_set(err, XVM_ERR_INVALID_ARG,
		    "X86_PV_P2M_FRAMES record of %zu bytes", len);
	f->start_pfn = xvm_get_le32(body);
	f->end_pfn = xvm_get_le32(body + 4);
	if (f->start_pfn > f->end_pfn)
		return xvm_err_set(err, XVM_ERR_INVALID_ARG,
		    "X86_PV_P2M_FRAMES: start pfn %#" PRIx32 " after end "
		    "%#" PRIx32, f->start_pfn, f->end_pfn);
	f->nframes = f->end_pfn / 512 + 1 - f->start_pfn / 512;
	if (len != 8 + (size_t)f->nframes * 8)
		return xvm_err_set(err, XVM_ERR_INVALID_ARG,
		    "X86_PV_P2M_FRAMES of %zu bytes for pfns %#" PRIx32
		    "..%#" PRIx32, len, f->start_pfn, f->end_pfn);
	f->frames = body + 8;
	return 0;
}

/* ---- the whole file ------------------------------------------------------- */

const char *
xvm_sf_rec_name(uint32_t t)
{
	static const char *const names[] = {
		"END", "PAGE_DATA", "X86_PV_INFO", "X86_PV_P2M_FRAMES",
		"X86_PV_VCPU_BASIC", "X86_PV_VCPU_EXTENDED",
		"X86_PV_VCPU_XSAVE", "SHARED_INFO", "X86_TSC_INFO",
		"HVM_CONTEXT", "HVM_PARAMS", "TOOLSTACK", "X86_PV_VCPU_MSRS",
		"VERIFY", "CHECKPOINT", "CHECKPOINT_DIRTY_PFN_LIST",
		"STATIC_DATA_END", "X86_CPUID_POLICY", "X86_MSR_POLICY",
	};

	return t < XVM_ARRAY_SIZE(names) ? names[t] : "unknown";
}

/* The libxc stream, from its headers to its END. */
static int
check_libxc(struct xvm_sf_in *in, struct xvm_buf *b, uint64_t *pages,
    struct xvm_err *err)
{
	bool pv_info = false, static_end = false, p2m = false, vcpu0 = false;
	bool shinfo = false;
	uint32_t type, end_pfn = 0;
	const unsigned char *d;
	uint64_t at;

	if (xvm_sf_get_libxc_headers(in, err) < 0)
		return -1;
	for (;;) {
		size_t data;

		at = in->pos;
		/* a PAGE_DATA record's pages are not read: only its head */
		if (xvm_sf_get_record_lazy(in, &type, b, RECORD_MAX, &data,
		    err) < 0)
			return -1;
		in->pos = at;		/* messages name the record's start */
		d = (const unsigned char *)b->data;
		switch (type) {
		case XVM_REC_END:
			if (!vcpu0 || !shinfo)
				return bad(in, err, "no %s record", !shinfo ?
				    "SHARED_INFO" : "X86_PV_VCPU_BASIC "
				    "for vcpu 0");
			in->pos = at + 8;
			return 0;
		case XVM_REC_X86_PV_INFO:
			if (pv_info)
				return bad(in, err, "a second X86_PV_INFO");
			if (b->len < 8)
				return bad(in, err, "X86_PV_INFO of %zu bytes",
				    b->len);
			if (d[0] != 8 || d[1] != 4)
				return bad(in, err, "a guest of %u-byte words "
				    "and %u page-table levels (xvm restores "
				    "64-bit guests)", d[0], d[1]);
			pv_info = true;
			break;
		case XVM_REC_STATIC_DATA_END:
			if (!pv_info || static_end)
				return bad(in, err, "STATIC_DATA_END out of "
				    "place");
			static_end = true;
			break;
		case XVM_REC_X86_PV_P2M_FRAMES: {
			struct xvm_sf_p2m_frames f;

			if (!pv_info)
				return bad(in, err, "X86_PV_P2M_FRAMES before "
				    "X86_PV_INFO");
			static_end = true;	/* a v2 stream: implied */
			if (xvm_sf_parse_p2m_frames(d, b->len, &f,
			    err) < 0)
				return bad(in, err, "%s", err->msg);
			if (f.start_pfn != 0 || p2m)
				return bad(in, err, "a p2m list in parts (xvm "
				    "restores saved domains, not live "
				    "migrations that grow)");
			end_pfn = f.end_pfn;
			p2m = true;
			break;
		}
		case XVM_REC_PAGE_DATA: {
			struct xvm_sf_pages pg;
			uint32_t i;

			if (!p2m)
				return bad(in, err, "PAGE_DATA before "
				    "X86_PV_P2M_FRAMES");
			if (xvm_sf_parse_page_head(d, b->len, b->len + data,
			    &pg, err) < 0)
				return bad(in, err, "%s", err->msg);
			for (i = 0; i < pg.count; i++) {
				uint64_t e = xvm_get_le64(pg.entries + i * 8);

				if (XVM_PFN(e) > end_pfn)
					return bad(in, err, "PAGE_DATA: pfn %#"
					    PRIx64 " beyond the p2m's %#" PRIx32,
					    (uint64_t)XVM_PFN(e), end_pfn);
				*pages += xvm_sf_type_has_data(
				    XVM_PFN_TYPE(e));
			}
			break;
		}
		case XVM_REC_X86_TSC_INFO:
			if (b->len != 24)
				return bad(in, err, "X86_TSC_INFO of %zu bytes",
				    b->len);
			break;
		case XVM_REC_SHARED_INFO:
			if (b->len != 4096 || shinfo)
				return bad(in, err, "SHARED_INFO of %zu bytes",
				    b->len);
			shinfo = true;
			break;
		case XVM_REC_X86_PV_VCPU_BASIC:
			if (!p2m)
				return bad(in, err, "vcpu state before the "
				    "memory");
			if (b->len != 8 + sizeof(vcpu_guest_context_t))
				return bad(in, err, "X86_PV_VCPU_BASIC of %zu "
				    "bytes", b->len);
			vcpu0 |= xvm_get_le32(d) == 0;
			break;
		case XVM_REC_X86_PV_VCPU_EXTENDED:
			/* vcpu header + a xen_domctl_ext_vcpucontext */
			if (b->len < 8 || b->len > 8 + 128)
				return bad(in, err, "X86_PV_VCPU_EXTENDED of %zu "
				    "bytes", b->len);
			break;
		case XVM_REC_X86_PV_VCPU_XSAVE:
			if (b->len < 8 || b->len % 8 != 0 ||
			    b->len > 8 + (1u << 20))
				return bad(in, err, "X86_PV_VCPU_XSAVE of %zu "
				    "bytes", b->len);
			break;
		case XVM_REC_X86_PV_VCPU_MSRS:
			/* vcpu header + xen_domctl_vcpu_msr_t entries */
			if (b->len < 8 || (b->len - 8) % 16 != 0 ||
			    b->len > 8 + 16 * 4096)
				return bad(in, err, "X86_PV_VCPU_MSRS of %zu bytes",
				    b->len);
			break;
		case XVM_REC_X86_CPUID_POLICY:
			/* xen_cpuid_leaf_t entries */
			if (b->len % 24 != 0 || b->len > 24 * 4096)
				return bad(in, err, "X86_CPUID_POLICY of %zu "
				    "bytes", b->len);
			break;
		case XVM_REC_X86_MSR_POLICY:
			/* xen_msr_entry_t entries */
			if (b->len % 16 != 0 || b->len > 16 * 4096)
				return bad(in, err, "X86_MSR_POLICY of %zu bytes",
				    b->len);
			break;
		default:
			if (type & (uint32_t)XVM_REC_OPTIONAL)
				break;	/* optional: skipped */
			return bad(in, err, "a %s record (type 0x%" PRIx32
			    "), which xvm cannot restore", xvm_sf_rec_name(type),
			    type);
		}
		in->pos = at + 8 + b->len + ((8 - (b->len & 7)) & 7);
		if (data > 0 && xvm_sf_skip(in, data, err) < 0)
			return -1;
	}
}

int
xvm_sf_check(struct xvm_sf_in *in, uint64_t *data_pages_r,
    struct xvm_err *err)
{
	struct xvm_buf b = XVM_BUF_INIT;
	struct xvm_sf_xl xl;
	uint64_t pages = 0, at;
	uint32_t type;
	bool libxc = false;
	unsigned char extra;
	int r = -1;

	if (xvm_sf_get_xl_header(in, &xl, err) < 0)
		return -1;
	free(xl.config);
	if (xvm_sf_get_libxl_header(in, err) < 0)
		goto out;
	for (;;) {
		at = in->pos;
		if (xvm_sf_get_record(in, &type, &b, RECORD_MAX, err) < 0)
			goto out;
		if (type == XVM_LREC_END)
			break;
		if (type == XVM_LREC_LIBXC_CONTEXT) {
			if (libxc) {
				in->pos = at;
				bad(in, err, "a second domain in one stream");
				goto out;
			}
			if (check_libxc(in, &b, &pages, err) < 0)
				goto out;
			libxc = true;
			continue;
		}
		if (type != XVM_LREC_EMULATOR_XENSTORE_DATA &&
		    type != XVM_LREC_EMULATOR_CONTEXT) {
			in->pos = at;
			bad(in, err, "a libxl record of type %" PRIu32 " (a "
			    "checkpoint stream?), which xvm cannot restore",
			    type);
			goto out;
		}
	}
	if (!libxc) {
		bad(in, err, "no domain (LIBXC_CONTEXT) in the stream");
		goto out;
	}
	if (in->fd < 0 ? in->pos < in->memlen :
	    read(in->fd, &extra, 1) == 1) {
		bad(in, err, "bytes after the stream's end");
		goto out;
	}
	if (data_pages_r)
		*data_pages_r = pages;
	r = 0;
out:
	xvm_buf_release(&b);
	return r;
}

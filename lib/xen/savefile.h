/*
 * savefile.h - the save file and migration stream of Xen 4.17, as xl
 * writes them (shared/docs/research/migration.md):
 *
 *   xl's header     "Xen saved domain, xl format\n \0 \r", byte order,
 *                   flags, and the domain's config (xl's syntax here)
 *   libxl stream    "LibxlFmt" v2 header, records; LIBXC_CONTEXT hands
 *                   over to
 *   libxc stream    the image ("XENF" v3) and domain headers, records:
 *                   X86_PV_INFO, STATIC_DATA_END, X86_PV_P2M_FRAMES,
 *                   PAGE_DATA..., X86_TSC_INFO, SHARED_INFO,
 *                   X86_PV_VCPU_BASIC..., END
 *   libxl END
 *
 * Records of both streams: uint32 type, uint32 body length, the body,
 * zeros to a multiple of 8.  Everything here reads and writes the format
 * only; pvsave.c moves a domain's state through it.
 */
#ifndef XVM_XEN_SAVEFILE_H
#define XVM_XEN_SAVEFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>

#include "xvm/err.h"
#include "xvm/util.h"

#define XVM_SF_XL_MAGIC		"Xen saved domain, xl format\n \0 \r"
#define XVM_SF_XL_FLAG_JSON	(1u << 0)	/* the config is JSON */
#define XVM_SF_XL_FLAG_STREAMV2	(1u << 1)	/* a libxl v2 stream follows */

/* libxl records */
enum {
	XVM_LREC_END = 0,
	XVM_LREC_LIBXC_CONTEXT = 1,
	XVM_LREC_EMULATOR_XENSTORE_DATA = 2,
	XVM_LREC_EMULATOR_CONTEXT = 3,
	XVM_LREC_CHECKPOINT_END = 4,
	XVM_LREC_CHECKPOINT_STATE = 5,
};

/* libxc records */
enum {
	XVM_REC_END = 0x00,
	XVM_REC_PAGE_DATA = 0x01,
	XVM_REC_X86_PV_INFO = 0x02,
	XVM_REC_X86_PV_P2M_FRAMES = 0x03,
	XVM_REC_X86_PV_VCPU_BASIC = 0x04,
	XVM_REC_X86_PV_VCPU_EXTENDED = 0x05,
	XVM_REC_X86_PV_VCPU_XSAVE = 0x06,
	XVM_REC_SHARED_INFO = 0x07,
	XVM_REC_X86_TSC_INFO = 0x08,
	XVM_REC_HVM_CONTEXT = 0x09,
	XVM_REC_HVM_PARAMS = 0x0a,
	XVM_REC_TOOLSTACK = 0x0b,
	XVM_REC_X86_PV_VCPU_MSRS = 0x0c,
	XVM_REC_VERIFY = 0x0d,
	XVM_REC_CHECKPOINT = 0x0e,
	XVM_REC_CHECKPOINT_DIRTY_PFN_LIST = 0x0f,
	XVM_REC_STATIC_DATA_END = 0x10,
	XVM_REC_X86_CPUID_POLICY = 0x11,
	XVM_REC_X86_MSR_POLICY = 0x12,
	XVM_REC_OPTIONAL = (int)0x80000000u,	/* bit 31: may be skipped */
};
/* A record type's name in libxc's stream format ("PAGE_DATA"). */
const char *xvm_sf_rec_name(uint32_t type);


/* PAGE_DATA: bits 63..60 of each pfn entry (XEN_DOMCTL_PFINFO_* >> 28) */
#define XVM_PFN_TYPE(e)		((uint32_t)((e) >> 60))
#define XVM_PFN(e)		((e) & ((1ull << 52) - 1))
enum {
	XVM_PT_NOTAB = 0x0, XVM_PT_L1 = 0x1, XVM_PT_L4 = 0x4,
	XVM_PT_PIN = 0x8, XVM_PT_BROKEN = 0xd, XVM_PT_XALLOC = 0xe,
	XVM_PT_XTAB = 0xf,
};
#define XVM_PAGE_DATA_MAX	1024	/* pfns per record, as libxc */

/* Where bytes come from: a file descriptor or memory (for fuzzing). */
struct xvm_sf_in {
	int fd;				/* -1: read from mem */
	const unsigned char *mem;
	size_t memlen;
	uint64_t pos;			/* bytes consumed */
	const char *name;		/* in messages */
};

/* Where they go: a file descriptor, through a buffer. */
struct xvm_sf_out {
	int fd;
	struct xvm_buf buf;
	uint64_t pos;			/* bytes written */
	const char *name;
};

void xvm_sf_in_fd(struct xvm_sf_in *in, int fd, const char *name);
void xvm_sf_in_mem(struct xvm_sf_in *in, const void *mem, size_t len,
    const char *name);
void xvm_sf_out_init(struct xvm_sf_out *out, int fd, const char *name);
int xvm_sf_flush(struct xvm_sf_out *out, struct xvm_err *err);
void xvm_sf_out_release(struct xvm_sf_out *out);

/* Exactly len bytes, or "NAME: cut short at byte N". */
int xvm_sf_get(struct xvm_sf_in *in, void *buf, size_t len,
    struct xvm_err *err);
int xvm_sf_put(struct xvm_sf_out *out, const void *data, size_t len,
    struct xvm_err *err);

/* xl's header and the config it carries (NUL-terminated, owned). */
struct xvm_sf_xl {
	uint32_t mandatory, optional;
	char *config;
	size_t config_len;
};
int xvm_sf_put_xl_header(struct xvm_sf_out *out, const char *config,
    struct xvm_err *err);
int xvm_sf_get_xl_header(struct xvm_sf_in *in, struct xvm_sf_xl *xl,
    struct xvm_err *err);

int xvm_sf_put_libxl_header(struct xvm_sf_out *out, struct xvm_err *err);
int xvm_sf_get_libxl_header(struct xvm_sf_in *in, struct xvm_err *err);

/* libxc's image and domain headers (x86 PV, 4 KiB pages). */
int xvm_sf_put_libxc_headers(struct xvm_sf_out *out, unsigned xen_major,
    unsigned xen_minor, struct xvm_err *err);
int xvm_sf_get_libxc_headers(struct xvm_sf_in *in, struct xvm_err *err);

/* One record (either stream); bodies larger than max are refused. */
int xvm_sf_put_record(struct xvm_sf_out *out, uint32_t type,
    const void *body, size_t len, struct xvm_err *err);
/* A record whose body is a head and data (PAGE_DATA, vcpu records). */
int xvm_sf_put_record2(struct xvm_sf_out *out, uint32_t type,
    const void *head, size_t hlen, const void *data, size_t dlen,
    struct xvm_err *err);
/*
 * A record of a head and scattered data (a batch of pages, most straight
 * from the guest's frames), written without a copy; iov is used up.
 */
int xvm_sf_put_record_iov(struct xvm_sf_out *out, uint32_t type,
    const void *head, size_t hlen, struct iovec *iov, int niov,
    struct xvm_err *err);
int xvm_sf_get_record(struct xvm_sf_in *in, uint32_t *type,
    struct xvm_buf *body, size_t max, struct xvm_err *err);
/*
 * The same, with a PAGE_DATA record's pages left in the stream: body
 * holds its head (the count and the pfn entries) and *data_r the bytes of
 * pages after it, for the caller to read where they go (xvm_sf_get
 * straight into the guest's memory) or to skip (xvm_sf_skip).  Other
 * records, and a PAGE_DATA head that does not add up, come whole
 * (*data_r 0).
 */
int xvm_sf_get_record_lazy(struct xvm_sf_in *in, uint32_t *type,
    struct xvm_buf *body, size_t max, size_t *data_r, struct xvm_err *err);
/* Pass len bytes of the stream (lseek on a file, else read). */
int xvm_sf_skip(struct xvm_sf_in *in, uint64_t len, struct xvm_err *err);

/*
 * A PAGE_DATA body: count pfn entries (type in bits 63..60) and the
 * pages of those that carry data, checked against the body's length.
 */
struct xvm_sf_pages {
	uint32_t count;
	const unsigned char *entries;	/* count little-endian uint64 */
	const unsigned char *data;	/* the pages, in entry order */
};
bool xvm_sf_type_has_data(uint32_t type);
int xvm_sf_parse_page_data(const unsigned char *body, size_t len,
    struct xvm_sf_pages *pg, struct xvm_err *err);
/* The head of a PAGE_DATA record of reclen bytes (pg->data NULL). */
int xvm_sf_parse_page_head(const unsigned char *head, size_t hlen,
    size_t reclen, struct xvm_sf_pages *pg, struct xvm_err *err);

/* X86_PV_P2M_FRAMES: pfns start..end, one frame pfn per 512 entries. */
struct xvm_sf_p2m_frames {
	uint32_t start_pfn, end_pfn;
	uint32_t nframes;
	const unsigned char *frames;	/* nframes little-endian uint64 */
};
int xvm_sf_parse_p2m_frames(const unsigned char *body, size_t len,
    struct xvm_sf_p2m_frames *f, struct xvm_err *err);

/*
 * Read a whole save file and check its structure without acting on it:
 * headers, every record's framing and the bodies xvm understands, the
 * order libxc requires, the END records.  *data_pages_r (may be NULL):
 * the pages it carries.  Errors name the file and the byte.
 */
int xvm_sf_check(struct xvm_sf_in *in, uint64_t *data_pages_r,
    struct xvm_err *err);

#endif

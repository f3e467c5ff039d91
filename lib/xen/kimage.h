/*
 * kimage.h - the kernel-image half of the PV domain builder (internal).
 *
 * xvm_kimage_parse() turns a guest kernel file into a description the
 * builder can load: an ELF64 x86_64 executable with Xen ELF notes (or the
 * legacy "__xen_guest" section string of old Linux and Solaris kernels),
 * that ELF compressed with gzip, xz or bzip2, or a Linux bzImage (boot
 * protocol 2.08 or later) whose payload is such an ELF.  Formats are told
 * apart by their magic numbers, never by file names.
 *
 * The rules are Xen's (libelf's elf_xen_parse, elf_xen_note_check and
 * elf_xen_addr_calc_check; the ELF and bzImage loaders of libxenguest):
 * segments are placed by p_paddr, virt_offset = virt_base - paddr_offset,
 * the kernel occupies [pstart + virt_offset, pend + virt_offset), and the
 * entry point must lie within it.  Images that break them are refused with
 * an XVM_ERR_CONFIG error naming the file.
 *
 * 32-bit (i386) kernels are refused: xvm builds x86_64 PV guests only.
 *
 * Every size and offset is checked before use; inputs and decompressed
 * images larger than opts->max_size are refused, and the decompressors stop
 * as soon as their output passes it.
 */
#ifndef XVM_XEN_KIMAGE_H
#define XVM_XEN_KIMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "xvm/err.h"

/* Default cap on the input and on any decompressed image: 1 GiB. */
#define XVM_KIMAGE_MAX_SIZE	((size_t)1 << 30)

enum xvm_kimage_format {
	XVM_KIMAGE_ELF = 1,		/* an ELF file, maybe compressed */
	XVM_KIMAGE_BZIMAGE,		/* a Linux bzImage */
};

enum xvm_kimage_comp {
	XVM_KIMAGE_COMP_NONE = 0,
	XVM_KIMAGE_COMP_GZIP,
	XVM_KIMAGE_COMP_XZ,
	XVM_KIMAGE_COMP_BZIP2,
	/* recognised by magic, refused */
	XVM_KIMAGE_COMP_LZMA,
	XVM_KIMAGE_COMP_LZO,
	XVM_KIMAGE_COMP_LZ4,
	XVM_KIMAGE_COMP_ZSTD,
};

/* XEN_ELFNOTE_PAE_MODE / PAE= (meaningful for 32-bit kernels only). */
enum xvm_kimage_pae {
	XVM_KIMAGE_PAE_NO = 0,
	XVM_KIMAGE_PAE_YES,		/* legacy "PAE=yes" */
	XVM_KIMAGE_PAE_EXTCR3,		/* note "yes", legacy "yes[extended-cr3]" */
	XVM_KIMAGE_PAE_BIMODAL,		/* note "...bimodal..." */
};

/* Xen features a kernel names (bit numbers of XENFEAT_*, <xen/features.h>) */
enum {
	XVM_KIMAGE_F_WRITABLE_PAGE_TABLES = 0,
	XVM_KIMAGE_F_WRITABLE_DESCRIPTOR_TABLES = 1,
	XVM_KIMAGE_F_AUTO_TRANSLATED_PHYSMAP = 2,
	XVM_KIMAGE_F_SUPERVISOR_MODE_KERNEL = 3,
	XVM_KIMAGE_F_PAE_PGDIR_ABOVE_4GB = 4,
	XVM_KIMAGE_F_HVM_CALLBACK_VECTOR = 8,
	XVM_KIMAGE_F_DOM0 = 11,
};
#define XVM_KIMAGE_FEAT(bit)	((uint32_t)1 << (bit))

/* Flags of struct xvm_kimage_opts. */
enum {
	/*
	 * Describe a kernel with Xen notes even when Xen would not boot it
	 * as a PV guest (e.g. a PVH-only kernel): ki->pv is then false,
	 * ki->not_pv says why, and the virtual layout (entry, kstart, kend,
	 * segment vaddrs) is not computed.  Without it such kernels are
	 * refused with that reason.
	 */
	XVM_KIMAGE_PROBE = 1 << 0,
};

struct xvm_kimage_opts {
	size_t max_size;		/* 0: XVM_KIMAGE_MAX_SIZE */
	unsigned flags;
};

/* One PT_LOAD segment, as the builder loads it. */
struct xvm_kimage_seg {
	uint64_t vaddr;			/* where it goes: paddr + virt_offset */
	uint64_t paddr;			/* p_paddr of the file */
	uint64_t memsz;			/* bytes it occupies (filesz..memsz: 0) */
	uint64_t filesz;		/* bytes of data */
	const unsigned char *data;	/* filesz bytes inside ki->image */
	uint32_t flags;			/* PF_X 1, PF_W 2, PF_R 4 */
};

struct xvm_kimage {
	char *name;			/* the name errors use */
	int format;			/* enum xvm_kimage_format */
	int comp;			/* compression of the ELF */
	unsigned boot_version;		/* bzImage: boot protocol, e.g. 0x20f */

	unsigned char *image;		/* the (decompressed) ELF, owned */
	size_t image_len;

	bool legacy;			/* metadata from __xen_guest, not notes */
	bool pv;			/* Xen would boot it as a PV guest */
	char *not_pv;			/* with XVM_KIMAGE_PROBE: why not */
	bool pvh;			/* has a PHYS32_ENTRY */

	/* the layout (computed when pv) */
	uint64_t entry;			/* ENTRY / VIRT_ENTRY, else e_entry */
	uint64_t virt_base;		/* VIRT_BASE, default 0 */
	uint64_t paddr_offset;		/* PADDR_OFFSET, default see .c */
	uint64_t virt_offset;		/* virt_base - paddr_offset (mod 2^64) */
	uint64_t pstart, pend;		/* extent of the PT_LOADs by p_paddr */
	uint64_t kstart, kend;		/* virtual extent [kstart, kend) */

	/* optional values; has_* says whether the kernel gave them */
	bool has_hypercall_page;
	uint64_t hypercall_page;	/* virtual address */
	bool has_p2m_base;
	uint64_t p2m_base;		/* INIT_P2M */
	bool has_hv_start_low;
	uint64_t hv_start_low;
	bool has_phys32_entry;
	uint64_t phys32_entry;
	bool has_l1_mfn_valid;
	uint64_t l1_mfn_mask, l1_mfn_value;
	bool suspend_cancel;		/* SUSPEND_CANCEL != 0 */
	bool mod_start_pfn;		/* MOD_START_PFN != 0 (unmapped initrd) */
	bool bsd_symtab;		/* BSD_SYMTAB "yes" (see .c) */

	/* strings: NULL when absent; printable ASCII */
	char *guest_os;			/* GUEST_OS */
	char *guest_version;		/* GUEST_VERSION / GUEST_VER */
	char *xen_version;		/* XEN_VERSION / XEN_VER */
	char *loader;			/* LOADER */
	char *features;			/* FEATURES, as written */

	int pae;			/* enum xvm_kimage_pae */
	uint32_t feat_supported;	/* XVM_KIMAGE_FEAT(bit) set */
	uint32_t feat_required;		/* "!name" features */

	struct xvm_kimage_seg *segs;	/* sorted by paddr */
	size_t nsegs;
};

void xvm_kimage_init(struct xvm_kimage *ki);
void xvm_kimage_release(struct xvm_kimage *ki);	/* idempotent */

/*
 * Parse len bytes at data (copied; the caller keeps data).  name is used
 * in error messages ("'NAME' is not a Xen PV kernel: ...").  opts may be
 * NULL.  On failure ki is left released (empty) and err is filled.
 */
int xvm_kimage_parse(struct xvm_kimage *ki, const char *name,
    const void *data, size_t len, const struct xvm_kimage_opts *opts,
    struct xvm_err *err);

/* Read the file at path (at most opts->max_size bytes) and parse it. */
int xvm_kimage_load(struct xvm_kimage *ki, const char *path,
    const struct xvm_kimage_opts *opts, struct xvm_err *err);

/* Xen's name of a feature bit ("writable_page_tables"); NULL if unknown. */
const char *xvm_kimage_feature_name(unsigned bit);

static inline bool
xvm_kimage_has_feature(const struct xvm_kimage *ki, unsigned bit)
{
	return bit < 32 && (ki->feat_supported & XVM_KIMAGE_FEAT(bit)) != 0;
}

/* "gzip", "xz", ... ("none" for COMP_NONE). */
const char *xvm_kimage_comp_name(int comp);

/*
 * Internals shared with kimage_decomp.c.
 */

/* What compression the bytes start with (COMP_NONE: none known). */
int xvm_kimage_comp_detect(const unsigned char *p, size_t len);

/*
 * Decompress one gzip, xz or bzip2 stream (bytes after its end are
 * ignored, as the Linux bzImage appends a size).  The output, at most max
 * bytes, is returned in *out_r (caller frees) and *outlen_r; more than max
 * fails without producing it.
 */
int xvm_kimage_decompress(int comp, const char *name,
    const unsigned char *in, size_t inlen, size_t max,
    unsigned char **out_r, size_t *outlen_r, struct xvm_err *err);

#endif

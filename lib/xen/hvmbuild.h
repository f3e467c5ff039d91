/*
 * hvmbuild.h - the x86 HVM domain builder (internal): guest RAM around
 * the VGA and MMIO holes, the special pages (xenstore, console, ioreq,
 * identity page table), the HVM parameters that name them, the
 * hvm_info_table, hvmloader and its firmware module with an
 * hvm_start_info, and vcpu 0 in flat 32-bit protected mode at
 * hvmloader's entry - as Xen 4.17's libxenguest and libxl build an HVM
 * guest for a device model.  The domain exists (createdomain with
 * CDF_hvm, max_vcpus, max_mem, its paging pool) and stays paused.
 */
#ifndef XVM_XEN_HVMBUILD_H
#define XVM_XEN_HVMBUILD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "xvm/err.h"
#include "xen/io/io.h"

/* Where libxenguest puts things (xg_dom_x86.c and the public hvm headers). */
#define XVM_HVM_MMIO_HOLE_START	0xF0000000ull	/* default 256 MiB hole */
#define XVM_HVM_SPECIAL_END	0xff000ull	/* X86_HVM_END_SPECIAL_REGION */
#define XVM_HVM_NR_SPECIAL	8u
#define XVM_HVM_NR_IOREQ_SERVER	8u
#define XVM_HVM_SPECIAL(x)	(XVM_HVM_SPECIAL_END - XVM_HVM_NR_SPECIAL + (x))
enum { XVM_HVM_SP_PAGING, XVM_HVM_SP_ACCESS, XVM_HVM_SP_SHARING,
    XVM_HVM_SP_BUFIOREQ, XVM_HVM_SP_XENSTORE, XVM_HVM_SP_IOREQ,
    XVM_HVM_SP_IDENT_PT, XVM_HVM_SP_CONSOLE };
#define XVM_HVM_INFO_PFN	0x9Full
#define XVM_HVM_INFO_OFFSET	0x800u

struct xvm_hvmb_in {
	uint32_t domid;
	const char *loader_name;	/* for messages */
	const unsigned char *loader;	/* hvmloader: an ELF32 executable */
	size_t loader_len;
	const unsigned char *bios;	/* its "firmware" module; NULL: none */
	size_t bios_len;
	uint64_t mem_kib;		/* the guest's RAM */
	uint32_t vcpus, vcpus_online;
	uint32_t store_port, console_port;
	bool viridian;
};

struct xvm_hvmb_out {
	uint64_t store_pfn, console_pfn;
	uint64_t lowmem_end, highmem_end;	/* pfns (exclusive) */
	uint64_t entry, start_info;		/* guest-physical */
	uint64_t nr_pages;
};

/* hvmloader's loadable segments (see hvmbuild.c); -1: not one. */
struct xvm_hvm_seg {
	uint64_t paddr, filesz, memsz, offset;
};
int xvm_hvm_loader_parse(const unsigned char *img, size_t len,
    const char *name, struct xvm_hvm_seg *segs, size_t nmax, size_t *n_r,
    uint64_t *entry_r, uint64_t *end_r, struct xvm_err *err);

int xvm_hvm_build(struct xvm_io *io, const struct xvm_hvmb_in *in,
    struct xvm_hvmb_out *out, struct xvm_err *err);

#endif

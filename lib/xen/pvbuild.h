/*
 * pvbuild.h - the x86_64 PV domain builder (internal): memory, the
 * kernel and ramdisk, the phys-to-machine list, start_info, the initial
 * page tables, the xenstore and console pages, the hypercall page, the
 * pinned L4, the shared info page, vcpu 0's context and the grant
 * entries of the console and xenstore, as Xen 4.17's libxenguest lays
 * them out (shared/docs/research/pv-builder.md).  The domain exists
 * (createdomain, max_vcpus, max_mem done) and stays paused.
 */
#ifndef XVM_XEN_PVBUILD_H
#define XVM_XEN_PVBUILD_H

#include <stddef.h>
#include <stdint.h>

#include "xvm/err.h"
#include "xen/io/io.h"
#include "xen/kimage.h"

struct xvm_pvb_in {
	uint32_t domid;
	const struct xvm_kimage *kernel;
	const unsigned char *ramdisk;	/* NULL: none */
	size_t ramdisk_len;
	const char *cmdline;		/* NULL: "" */
	uint64_t mem_kib;		/* the domain's memory (target) */
	uint32_t store_domid, console_domid;	/* the backends: 0 */
	uint32_t store_port, console_port;	/* unbound, for them */
};

/* What was built, for the toolstack and for tests. */
struct xvm_pvb_out {
	uint64_t nr_pages;
	uint64_t store_mfn, console_mfn;
	uint64_t shared_info_mfn;
	uint64_t virt_base, virt_entry;
	uint64_t start_info_va;
	uint64_t pt_base_va, nr_pt_frames;	/* the initial mapping's */
	uint64_t l4_mfn;
	uint64_t p2m_va;			/* mfn_list */
	uint64_t virt_pgtab_end;		/* end of the initial mapping */
	uint64_t stack_top;
};

int xvm_pv_build(struct xvm_io *io, const struct xvm_pvb_in *in,
    struct xvm_pvb_out *out, struct xvm_err *err);

#endif

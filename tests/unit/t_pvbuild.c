/*
 * t_pvbuild.c - unit tests of lib/xen/pvbuild: PV guests built on an
 * in-memory simulated host, then read back the way the guest kernel will
 * see them: its page tables walked from CR3, start_info at %rsi, the p2m
 * list, the kernel's bytes, the hypercall page, the shared info page and
 * the grant entries.  The kernels: the project's test guest, and
 * synthetic ones for the layouts it does not use (INIT_P2M, an initrd by
 * pfn, a kernel not at virt_base).
 */
#define __XEN_TOOLS__ 1

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include <xen/xen.h>
#include <xen/domctl.h>
#include <xen/grant_table.h>
#include <xen/sched.h>
#include <xen/io/console.h>

#include "xvm/file.h"
#include "xvm/util.h"
#include "xen/io/io.h"
#include "xen/kimage.h"
#include "xen/pvbuild.h"
#include "xen/xc.h"
#include "xvm/domain.h"
#include "xvm/toolstack.h"
#include "toolstack/ts_int.h"
#include "t.h"

#define GIB_KIB (1ull << 20)

static struct xvm_io *
host(void)
{
	struct xvm_sim_spec spec = { .cpus = 4, .memory_kib = 4 * GIB_KIB };
	struct xvm_io *io = NULL;
	struct xvm_err err;

	xvm_err_clear(&err);
	if (xvm_io_open_sim_mem(&io, &spec, &err) < 0)
		printf("# %s\n", err.msg);
	return io;
}

static uint32_t
mkdom(struct xvm_io *io, uint64_t mem_kib)
{
	unsigned char uuid[16] = { 1, 2, 3 };
	struct xvm_err err;
	uint32_t id = 0;

	xvm_err_clear(&err);
	if (xvm_xc_domain_create(io, uuid, false, false, 2, &id, &err) < 0 ||
	    xvm_xc_domain_max_mem(io, id, mem_kib + 1024, &err) < 0) {
		printf("# %s\n", err.msg);
		return 0;
	}
	return id;
}

/* Read len bytes at machine address maddr of domid. */
static int
peek(struct xvm_io *io, uint32_t domid, uint64_t maddr, void *buf, size_t len)
{
	uint64_t mfn = maddr >> 12;
	unsigned char *p;
	struct xvm_err err;

	if ((maddr & 4095) + len > 4096)
		return -1;
	p = xvm_xc_map(io, domid, PROT_READ, &mfn, 1, &err);
	if (p == NULL)
		return -1;
	memcpy(buf, p + (maddr & 4095), len);
	xvm_io_unmap_foreign(io, p, 1);
	return 0;
}

/* The guest's translation of va: the machine address, and the L1 flags. */
static int
walk(struct xvm_io *io, uint32_t domid, uint64_t cr3, uint64_t va,
    uint64_t *maddr_r, uint64_t *flags_r)
{
	uint64_t table = cr3 & ~4095ull, e = 0;
	int l;

	for (l = 4; l >= 1; l--) {
		unsigned idx = (unsigned)(va >> (12 + 9 * (l - 1))) & 511;

		if (peek(io, domid, table + idx * 8, &e, 8) < 0)
			return -1;
		if (!(e & 1))
			return 1;		/* not mapped */
		table = e & 0x000ffffffffff000ull;
	}
	*maddr_r = table | (va & 4095);
	*flags_r = e & 0xfff;
	return 0;
}

/* Read len bytes at the guest's virtual address va. */
static int
vpeek(struct xvm_io *io, uint32_t domid, uint64_t cr3, uint64_t va,
    void *buf, size_t len)
{
	uint64_t ma, fl;

	if (walk(io, domid, cr3, va, &ma, &fl) != 0)
		return -1;
	return peek(io, domid, ma, buf, len);
}

static void
t_test_guest(const char *guest)
{
	struct xvm_io *io = host();
	struct xvm_kimage ki;
	struct xvm_pvb_in in;
	struct xvm_pvb_out out;
	struct xvm_err err;
	start_info_t si;
	vcpu_guest_context_t *ctx = NULL;
	uint64_t cr3, va, ma, fl, mfn, pfn, bad = 0, ro = 0, rw = 0;
	uint64_t p2m_entry, nx = 0;
	uint32_t d, sport, cport;
	unsigned char hp[32], byte;
	grant_entry_v1_t g[2];
	size_t i;

	xvm_kimage_init(&ki);
	xvm_err_clear(&err);
	if (io == NULL || xvm_kimage_load(&ki, guest, NULL, &err) < 0) {
		T_OK(0, "the test guest and a host");
		printf("# %s\n", err.msg);
		xvm_io_close(io);
		return;
	}
	d = mkdom(io, 64 << 10);
	T_OK(d != 0, "a domain of 64 MiB");
	T_OK(xvm_xc_evtchn_alloc_unbound(io, d, 0, &sport, &err) == 0 &&
	    xvm_xc_evtchn_alloc_unbound(io, d, 0, &cport, &err) == 0,
	    "ports for xenstore and the console");
	memset(&in, 0, sizeof(in));
	in.domid = d;
	in.kernel = &ki;
	in.cmdline = "console=hvc0 marker=42";
	in.mem_kib = 64 << 10;
	in.store_port = sport;
	in.console_port = cport;
	if (!T_OK(xvm_pv_build(io, &in, &out, &err) == 0, "build it")) {
		printf("# %s\n", err.msg);
		goto out;
	}
	T_EQ(out.nr_pages, 16384, "64 MiB: 16384 pages");
	T_EQ(out.virt_base, ki.virt_base, "at the kernel's virt_base");
	T_EQ(out.virt_pgtab_end % (4 << 20), 0,
	    "the initial mapping ends on a 4 MiB boundary");
	T_OK(out.virt_pgtab_end - out.stack_top >= 512 << 10,
	    "with at least 512 KiB after the boot stack");

	/* the vcpu as Xen will start it */
	ctx = xvm_calloc(1, sizeof(*ctx));
	{
		struct xen_domctl *dc = xvm_io_buf_alloc(io, sizeof(*dc));
		void *b = xvm_io_buf_alloc(io, sizeof(*ctx));

		dc->cmd = XEN_DOMCTL_getvcpucontext;
		dc->interface_version = XEN_DOMCTL_INTERFACE_VERSION;
		dc->domain = (domid_t)d;
		dc->u.vcpucontext.vcpu = 0;
		set_xen_guest_handle(dc->u.vcpucontext.ctxt,
		    (vcpu_guest_context_t *)b);
		T_EQ(xvm_io_hypercall(io, __HYPERVISOR_domctl, (uintptr_t)dc,
		    0, 0, 0, 0), 0, "getvcpucontext");
		memcpy(ctx, b, sizeof(*ctx));
		xvm_io_buf_free(io, b, sizeof(*ctx));
		xvm_io_buf_free(io, dc, sizeof(*dc));
	}
	T_EQ(ctx->user_regs.rip, ki.entry, "rip: the entry point");
	T_EQ(ctx->user_regs.rsi, out.start_info_va, "rsi: start_info");
	T_EQ(ctx->user_regs.rsp, out.stack_top, "rsp: the boot stack's top");
	T_EQ(ctx->user_regs.cs, 0xe033, "cs FLAT_KERNEL_CS64");
	T_EQ(ctx->user_regs.ss, 0xe02b, "ss FLAT_KERNEL_SS64");
	T_EQ(ctx->kernel_ss, 0xe02b, "kernel_ss");
	T_EQ(ctx->kernel_sp, out.stack_top, "kernel_sp");
	T_EQ(ctx->user_regs.rflags, 0x200, "interrupts enabled");
	T_EQ(ctx->flags, VGCF_in_kernel | VGCF_online, "in kernel, online");
	T_EQ(ctx->ctrlreg[3], out.l4_mfn << 12, "cr3: the L4");
	T_OK(ctx->debugreg[6] == 0xffff0ff0 && ctx->debugreg[7] == 0x400,
	    "dr6, dr7 defaults");
	cr3 = ctx->ctrlreg[3];

	/* the page tables, from the guest's side */
	for (va = out.virt_base; va < out.virt_pgtab_end; va += 4096) {
		pfn = (va - out.virt_base) / 4096;
		if (walk(io, d, cr3, va, &ma, &fl) != 0) {
			bad++;
			continue;
		}
		if (vpeek(io, d, cr3, out.p2m_va + pfn * 8, &p2m_entry,
		    8) != 0 || p2m_entry != ma >> 12)
			bad++;
		if (pfn * 4096 + out.virt_base >= out.pt_base_va &&
		    pfn * 4096 + out.virt_base < out.pt_base_va +
		    out.nr_pt_frames * 4096)
			ro += fl == 0x021;
		else
			rw += fl == 0x023;
	}
	T_EQ(bad, 0, "every page of the initial mapping: va = virt_base + "
	    "pfn * 4096, and the p2m list says the same frame");
	T_EQ(ro, out.nr_pt_frames, "the page tables are mapped read-only");
	T_EQ(rw, (out.virt_pgtab_end - out.virt_base) / 4096 -
	    out.nr_pt_frames, "everything else read-write");
	T_OK(walk(io, d, cr3, out.virt_pgtab_end, &ma, &fl) == 1 &&
	    walk(io, d, cr3, out.virt_base - 4096, &ma, &fl) == 1,
	    "nothing mapped before or after it");
	for (pfn = (out.virt_pgtab_end - out.virt_base) / 4096;
	    pfn < out.nr_pages; pfn += 997)
		if (vpeek(io, d, cr3, out.p2m_va + pfn * 8, &p2m_entry, 8) != 0 ||
		    p2m_entry == 0 || p2m_entry == UINT64_MAX)
			nx++;
	T_EQ(nx, 0, "the p2m list covers the pages beyond the mapping too");

	/* start_info */
	T_EQ(vpeek(io, d, cr3, out.start_info_va, &si, sizeof(si) / 2), 0,
	    "start_info mapped");
	T_EQ(vpeek(io, d, cr3, out.start_info_va + sizeof(si) / 2,
	    (char *)&si + sizeof(si) / 2, sizeof(si) - sizeof(si) / 2), 0,
	    "all of it");
	T_STREQ(si.magic, "xen-3.0-x86_64", "magic");
	T_EQ(si.nr_pages, 16384, "nr_pages");
	T_EQ(si.shared_info, out.shared_info_mfn << 12,
	    "shared_info: a machine address");
	T_EQ(si.flags, 0, "flags 0, as libxl leaves them");
	T_EQ(si.store_mfn, out.store_mfn, "store_mfn");
	T_EQ(si.store_evtchn, sport, "store_evtchn");
	T_EQ(si.console.domU.mfn, out.console_mfn, "console mfn");
	T_EQ(si.console.domU.evtchn, cport, "console evtchn");
	T_EQ(si.pt_base, out.pt_base_va, "pt_base: the L4's va");
	T_EQ(si.nr_pt_frames, out.nr_pt_frames, "nr_pt_frames");
	T_EQ(si.mfn_list, out.p2m_va, "mfn_list");
	T_STREQ((char *)si.cmd_line, "console=hvc0 marker=42", "cmd_line");
	T_OK(vpeek(io, d, cr3, si.pt_base, &mfn, 8) == 0,
	    "the L4 is where pt_base says");
	{
		uint64_t e;

		T_OK(peek(io, d, out.l4_mfn << 12, &e, 8) == 0 &&
		    vpeek(io, d, cr3, si.pt_base, &mfn, 8) == 0 && e == mfn,
		    "pt_base maps the page CR3 names");
	}

	/* the kernel's bytes where its segments say */
	for (i = 0, bad = 0; i < ki.nsegs; i++) {
		const struct xvm_kimage_seg *s = &ki.segs[i];
		uint64_t k;

		for (k = 0; k < s->memsz; k += 61) {
			/* Xen writes the hypercall page (inside the image) */
			if (s->vaddr + k >= ki.hypercall_page &&
			    s->vaddr + k < ki.hypercall_page + 4096)
				continue;
			if (vpeek(io, d, cr3, s->vaddr + k, &byte, 1) != 0 ||
			    byte != (k < s->filesz ? s->data[k] : 0))
				bad++;
		}
	}
	T_EQ(bad, 0, "the kernel's segments loaded (and zero-filled)");

	/* hypercall page */
	T_OK(ki.has_hypercall_page, "the test guest names a hypercall page");
	T_OK(vpeek(io, d, cr3, ki.hypercall_page + 32 * 29, hp, 32) == 0 &&
	    hp[0] == 0x51 && hp[3] == 0xb8 && hp[4] == 29 && hp[8] == 0x0f,
	    "Xen filled it: slot 29 is mov $29, syscall");

	/* shared info: events masked on every legacy vcpu */
	{
		shared_info_t sh;
		int k, masked = 0;

		T_EQ(peek(io, d, out.shared_info_mfn << 12, &sh, 3136 < 4096 ?
		    sizeof(sh) : 0), 0, "shared info");
		for (k = 0; k < XEN_LEGACY_MAX_VCPUS; k++)
			masked += sh.vcpu_info[k].evtchn_upcall_mask == 1;
		T_EQ(masked, XEN_LEGACY_MAX_VCPUS, "upcalls masked");
	}

	/* the grant table seeds the console and xenstore pages to dom0 */
	{
		uint64_t gframe;

		T_EQ(xvm_xc_gnttab_frame0(io, d, &gframe, &err), 0,
		    "grant frame 0");
		T_EQ(peek(io, d, gframe << 12, g, sizeof(g)), 0, "entries");
		T_OK(g[0].flags == GTF_permit_access && g[0].domid == 0 &&
		    g[0].frame == out.console_mfn, "entry 0: the console");
		T_OK(g[1].flags == GTF_permit_access && g[1].domid == 0 &&
		    g[1].frame == out.store_mfn, "entry 1: xenstore");
	}

	/* the xenstore and console pages are empty rings */
	{
		unsigned char pg[4096];
		size_t k, nz = 0;

		(void)peek(io, d, out.store_mfn << 12, pg, sizeof(pg));
		for (k = 0; k < sizeof(pg); k++)
			nz += pg[k] != 0;
		(void)peek(io, d, out.console_mfn << 12, pg, sizeof(pg));
		for (k = 0; k < sizeof(pg); k++)
			nz += pg[k] != 0;
		T_EQ(nz, 0, "xenstore and console pages zeroed");
	}

	/* the host took the L4 as a valid tree (pinned) */
	{
		struct mmuext_op *op = xvm_io_buf_alloc(io, sizeof(*op));

		op->cmd = MMUEXT_PIN_L4_TABLE;
		op->arg1.mfn = out.l4_mfn;
		T_EQ(xvm_io_hypercall(io, __HYPERVISOR_mmuext_op, (uintptr_t)op,
		    1, 0, d, 0), -22, "the L4 is pinned already");
		xvm_io_buf_free(io, op, sizeof(*op));
	}

	/* too little memory for the initial mapping: a clear error */
	d = mkdom(io, 1 << 10);
	in.domid = d;
	in.mem_kib = 1 << 10;
	xvm_err_clear(&err);
	T_OK(xvm_pv_build(io, &in, &out, &err) < 0 &&
	    strstr(err.msg, "too little") != NULL, "1 MiB: too little");
	printf("# %s\n", err.msg);
out:
	free(ctx);
	xvm_kimage_release(&ki);
	xvm_io_close(io);
}

/* ---- synthetic kernels ----------------------------------------------------- */

#define VBASE	0xffffffff80000000ULL

static void
put(struct xvm_buf *b, uint64_t v, int n)
{
	int i;

	for (i = 0; i < n; i++)
		xvm_buf_putc(b, (char)(v >> (8 * i)));
}

static void
note(struct xvm_buf *b, uint32_t type, const void *desc, uint32_t len)
{
	put(b, 4, 4);
	put(b, len, 4);
	put(b, type, 4);
	xvm_buf_add(b, "Xen\0", 4);
	xvm_buf_add(b, desc, len);
	while (b->len % 4)
		xvm_buf_putc(b, 0);
}

static void
note_u64(struct xvm_buf *b, uint32_t type, uint64_t v)
{
	unsigned char d[8];
	int i;

	for (i = 0; i < 8; i++)
		d[i] = (unsigned char)(v >> (8 * i));
	note(b, type, d, 8);
}

/*
 * An ELF64 kernel of ksize bytes of pattern, loaded at paddr 0x1000000
 * (virtual VBASE + 16 MiB), with the notes given.
 */
static void
kernel(struct xvm_buf *out, uint64_t ksize, uint64_t p2m_base, bool by_pfn)
{
	struct xvm_buf n = XVM_BUF_INIT;
	uint64_t kva = VBASE + 0x1000000, i, data_off;
	unsigned char *p;

	note(&n, 6, "linux", 6);
	note(&n, 5, "xen-3.0", 8);
	note(&n, 8, "generic", 8);
	note_u64(&n, 3, VBASE);
	note_u64(&n, 4, 0);
	note_u64(&n, 1, kva + 64);
	if (p2m_base)
		note_u64(&n, 15, p2m_base);
	if (by_pfn)
		note_u64(&n, 16, 1);
	xvm_buf_init(out);
	xvm_buf_pad(out, 64 + 2 * 56, 0);
	put(out, 0, 0);
	i = out->len;
	xvm_buf_add(out, n.data, n.len);
	while (out->len % 4096)
		xvm_buf_putc(out, 0);
	data_off = out->len;
	for (uint64_t k = 0; k < ksize; k++)
		xvm_buf_putc(out, (char)(k * 13 + 1));
	p = (unsigned char *)out->data;
	memcpy(p, "\177ELF\2\1\1", 7);
	p[16] = 2;					/* ET_EXEC */
	p[18] = 62;					/* x86_64 */
	p[20] = 1;
	for (int k = 0; k < 8; k++) {
		p[24 + k] = (unsigned char)((kva + 64) >> (8 * k));
		p[32 + k] = (unsigned char)((uint64_t)64 >> (8 * k));
	}
	p[52] = 64;
	p[54] = 56;
	p[56] = 2;
	/* PT_LOAD */
	p[64] = 1;
	p[68] = 5;
	for (int k = 0; k < 8; k++) {
		p[64 + 8 + k] = (unsigned char)(data_off >> (8 * k));
		p[64 + 16 + k] = (unsigned char)(kva >> (8 * k));
		p[64 + 24 + k] = (unsigned char)(0x1000000ull >> (8 * k));
		p[64 + 32 + k] = (unsigned char)(ksize >> (8 * k));
		p[64 + 40 + k] = (unsigned char)(ksize >> (8 * k));
	}
	/* PT_NOTE */
	p[120] = 4;
	p[124] = 4;
	for (int k = 0; k < 8; k++) {
		p[120 + 8 + k] = (unsigned char)(i >> (8 * k));
		p[120 + 32 + k] = (unsigned char)(n.len >> (8 * k));
		p[120 + 40 + k] = (unsigned char)(n.len >> (8 * k));
	}
	xvm_buf_release(&n);
}

static void
t_layouts(void)
{
	struct xvm_io *io = host();
	struct xvm_buf img;
	struct xvm_kimage ki;
	struct xvm_pvb_in in;
	struct xvm_pvb_out out;
	struct xvm_err err;
	start_info_t si;
	unsigned char rd[10000], b;
	uint64_t cr3, ma, fl, pfn, mfn, e, bad = 0;
	uint32_t d;
	size_t k;

	if (io == NULL)
		return;
	for (k = 0; k < sizeof(rd); k++)
		rd[k] = (unsigned char)(k * 31 + 7);

	/* a kernel at virt_base + 16 MiB, INIT_P2M, initrd by pfn */
	kernel(&img, 3 << 20, 0x8000000000ull, true);
	xvm_kimage_init(&ki);
	xvm_err_clear(&err);
	if (!T_EQ(xvm_kimage_parse(&ki, "synthetic", img.data, img.len, NULL,
	    &err), 0, "a synthetic kernel with INIT_P2M and MOD_START_PFN"))
		printf("# %s\n", err.msg);
	d = mkdom(io, 256 << 10);
	memset(&in, 0, sizeof(in));
	in.domid = d;
	in.kernel = &ki;
	in.mem_kib = 256 << 10;
	in.ramdisk = rd;
	in.ramdisk_len = sizeof(rd);
	xvm_err_clear(&err);
	if (!T_OK(xvm_pv_build(io, &in, &out, &err) == 0, "built")) {
		printf("# %s\n", err.msg);
		goto out;
	}
	cr3 = out.l4_mfn << 12;
	T_EQ(out.p2m_va, 0x8000000000ull, "the p2m list at INIT_P2M");
	T_OK(vpeek(io, d, cr3, out.start_info_va, &si, 512) == 0 &&
	    vpeek(io, d, cr3, out.start_info_va + 512, (char *)&si + 512,
	    sizeof(si) - 512) == 0, "start_info");
	T_EQ(si.flags, SIF_MOD_START_PFN, "SIF_MOD_START_PFN");
	T_EQ(si.mod_len, 3 * 4096, "mod_len: whole pages, by pfn");
	T_OK(si.mod_start * 4096 + VBASE >= out.virt_pgtab_end,
	    "the initrd lies beyond the initial mapping");
	T_OK(walk(io, d, cr3, VBASE + si.mod_start * 4096, &ma, &fl) == 1,
	    "and is not mapped");
	for (k = 0, bad = 0; k < sizeof(rd); k += 97) {
		pfn = si.mod_start + k / 4096;
		if (vpeek(io, d, cr3, out.p2m_va + pfn * 8, &mfn, 8) != 0 ||
		    peek(io, d, mfn << 12 | (k % 4096), &b, 1) != 0 ||
		    b != rd[k])
			bad++;
	}
	T_EQ(bad, 0, "its bytes, found through the p2m list");
	T_OK(si.first_p2m_pfn != 0 && si.nr_p2m_frames > 128,
	    "first_p2m_pfn and nr_p2m_frames (list and its tables)");
	for (pfn = 0, bad = 0; pfn < out.nr_pages; pfn += 509)
		if (vpeek(io, d, cr3, out.p2m_va + pfn * 8, &mfn, 8) != 0 ||
		    (pfn < (out.virt_pgtab_end - VBASE) / 4096 &&
		    (walk(io, d, cr3, VBASE + pfn * 4096, &ma, &fl) != 0 ||
		    ma >> 12 != mfn)))
			bad++;
	T_EQ(bad, 0, "the list maps every pfn, as the tables do");
	T_OK(walk(io, d, cr3, out.p2m_va + out.nr_pages * 8 + 8192, &ma,
	    &fl) == 1, "nothing mapped past the list");
	T_OK(vpeek(io, d, cr3, VBASE + 0x1000000 + 4097, &b, 1) == 0 &&
	    b == (unsigned char)(4097 * 13 + 1), "the kernel at +16 MiB");
	T_OK(walk(io, d, cr3, VBASE, &ma, &fl) == 0 &&
	    peek(io, d, ma, &e, 8) == 0 && e == 0,
	    "the pages before it are mapped and zero");
	T_EQ(out.nr_pt_frames, 1 + 1 + 1 + 10, "tables for 20 MiB: 13");
	xvm_kimage_release(&ki);
	xvm_buf_release(&img);

	/* the same kernel with a ramdisk in the mapping */
	kernel(&img, 4096, 0, false);
	xvm_kimage_init(&ki);
	T_EQ(xvm_kimage_parse(&ki, "small", img.data, img.len, NULL, &err), 0,
	    "a small kernel");
	d = mkdom(io, 32 << 10);
	in.domid = d;
	in.mem_kib = 32 << 10;
	if (!T_OK(xvm_pv_build(io, &in, &out, &err) == 0, "built")) {
		printf("# %s\n", err.msg);
		goto out;
	}
	cr3 = out.l4_mfn << 12;
	T_OK(vpeek(io, d, cr3, out.start_info_va, &si, 512) == 0, "si");
	T_OK(si.mod_start > VBASE && si.mod_len == sizeof(rd),
	    "mod_start: a va; mod_len: the exact length");
	T_OK(vpeek(io, d, cr3, si.mod_start + 9999, &b, 1) == 0 &&
	    b == rd[9999], "the ramdisk's last byte where it says");
	T_OK(si.mfn_list > si.mod_start && si.mfn_list < out.pt_base_va,
	    "the p2m list after the ramdisk, before the tables");
out:
	xvm_kimage_release(&ki);
	xvm_buf_release(&img);
	xvm_io_close(io);
}

/* ---- the simulated guest kernel ---------------------------------------- */

static void
xsw(struct xvm_io *io, const char *path, const char *val)
{
	struct xvm_err err;

	if (xvm_xs_write(io, path, val, &err) < 0)
		printf("# %s\n", err.msg);
}

static char *
xsr(struct xvm_io *io, const char *path)
{
	struct xvm_err err;
	char *v = NULL;

	(void)xvm_xs_read(io, path, &v, &err);
	return v ? v : xvm_strdup("(none)");
}

static int
info(struct xvm_io *io, uint32_t d, struct xvm_dominfo *di)
{
	struct xvm_dominfo *list = NULL;
	struct xvm_err err;
	size_t n = 0, i;
	int r = -1;

	if (xvm_xc_domain_list(io, &list, &n, &err) < 0)
		return -1;
	for (i = 0; i < n; i++)
		if (list[i].domid == d) {
			*di = list[i];
			r = 0;
		}
	free(list);
	return r;
}

/* Poll until cond holds for domain d (up to 3 s of wall clock). */
#define WAIT_FOR(cond) do {						\
	int k_;								\
	for (k_ = 0; k_ < 300 && !(cond); k_++) {			\
		struct timespec ts_ = { 0, 10 * 1000 * 1000 };		\
		nanosleep(&ts_, NULL);					\
	}								\
} while (0)

/* Damage the start_info of paused domain d: at its unpause it crashes. */
static void
damage_start_info(struct xvm_conn *c, uint32_t d)
{
	vcpu_guest_context_t *ctx = xvm_calloc(1, sizeof(*ctx));
	struct xen_domctl *dc = xvm_io_buf_alloc(c->io, sizeof(*dc));
	void *b = xvm_io_buf_alloc(c->io, sizeof(*ctx));
	struct xvm_err err;
	uint64_t ma, fl;
	unsigned char *p;

	xvm_err_clear(&err);
	dc->cmd = XEN_DOMCTL_getvcpucontext;
	dc->interface_version = XEN_DOMCTL_INTERFACE_VERSION;
	dc->domain = (domid_t)d;
	set_xen_guest_handle(dc->u.vcpucontext.ctxt, (vcpu_guest_context_t *)b);
	(void)xvm_io_hypercall(c->io, __HYPERVISOR_domctl, (uintptr_t)dc, 0, 0,
	    0, 0);
	memcpy(ctx, b, sizeof(*ctx));
	if (walk(c->io, d, ctx->ctrlreg[3], ctx->user_regs.rsi, &ma, &fl) ==
	    0 && (p = xvm_xc_map(c->io, d, PROT_READ | PROT_WRITE,
	    (uint64_t[]){ ma >> 12 }, 1, &err)) != NULL) {
		p[ma & 4095] = 'X';	/* the magic */
		xvm_io_unmap_foreign(c->io, p, 1);
	}
	xvm_io_buf_free(c->io, b, sizeof(*ctx));
	xvm_io_buf_free(c->io, dc, sizeof(*dc));
	free(ctx);
}

static void
t_guest_kernel(const char *guest)
{
	char tmpl[] = "/tmp/t_pvbuild.XXXXXX", *uri = NULL, *cmd;
	struct xvm_conn *c = NULL;
	struct xvm_domain *dom = xvm_domain_new();
	struct xvm_dominfo di;
	struct xvm_err err;
	struct xencons_interface con;
	struct xvm_io *io;
	uint32_t d;
	char path[96], *v, text[2049];
	uint64_t ring;
	size_t k;

	xvm_err_clear(&err);
	if (mkdtemp(tmpl) == NULL)
		return;
	uri = xvm_asprintf("sim://%s/host?cpus=4&memory=4G", tmpl);
	if (!T_OK(xvm_connect(uri, 0, &c, NULL, &err) == 0, "a host")) {
		printf("# %s\n", err.msg);
		goto out;
	}
	io = c->io;
	dom->name = xvm_strdup("g1");
	dom->memory_kib = dom->current_kib = 64 << 10;
	dom->vcpus = 2;
	dom->os.type = XVM_OS_LINUX;
	dom->os.kernel = xvm_strdup(guest);
	dom->os.cmdline = xvm_strdup("root=/dev/xvda1 quiet");
	dom->cpu_weight = 512;
	dom->cpu_cap = 50;
	if (!T_OK(xvm_create(c, dom, 0, &d, &err) == 0,
	    "the toolstack builds it and unpauses it: it boots")) {
		printf("# %s\n", err.msg);
		goto out;
	}
	{
		uint16_t w = 0, cap = 0;

		T_OK(xvm_xc_sched_credit(io, d, 5 /* credit */, false, &w,
		    &cap, &err) == 0 && w == 512 && cap == 50,
		    "with the credit weight and cap it was given");
	}
	snprintf(path, sizeof(path), "/local/domain/%u/console/ring-ref", d);
	v = xsr(io, path);
	ring = strtoull(v, NULL, 10);
	free(v);
	T_OK(peek(io, d, ring << 12, &con, sizeof(con)) == 0,
	    "its console ring");
	for (k = 0; k < con.out_prod && k < 2048; k++)
		text[k] = con.out[k];
	text[k] = '\0';
	T_OK(strstr(text, "xvm simulated PV guest: booting on Xen 4.17") !=
	    NULL, "boot lines on its console");
	T_OK(strstr(text, "command line: root=/dev/xvda1 quiet\r\n") != NULL,
	    "with the command line start_info gave it");
	snprintf(path, sizeof(path),
	    "/local/domain/%u/control/feature-poweroff", d);
	v = xsr(io, path);
	T_STREQ(v, "1", "it says it can power off (its own key)");
	free(v);

	/* the balloon, toward memory/target */
	snprintf(path, sizeof(path), "/local/domain/%u/memory/target", d);
	xsw(io, path, "32768");
	WAIT_FOR(info(io, d, &di) == 0 && di.tot_pages == 8192);
	T_EQ(di.tot_pages, 8192, "memory/target 32 MiB: the balloon gives "
	    "half back");
	xsw(io, path, "49152");
	WAIT_FOR(info(io, d, &di) == 0 && di.tot_pages == 12288);
	T_EQ(di.tot_pages, 12288, "48 MiB: it takes some again");
	xsw(io, path, "1048576");
	WAIT_FOR(info(io, d, &di) == 0 && di.tot_pages >= 16384);
	T_EQ(di.tot_pages, (64 << 10) / 4, "1 GiB: only up to what its p2m "
	    "list covers (the 64 MiB it booted with)");

	/* vcpus */
	snprintf(path, sizeof(path), "/local/domain/%u/cpu/1/availability", d);
	xsw(io, path, "offline");
	WAIT_FOR(info(io, d, &di) == 0 && di.online_vcpus == 1);
	T_EQ(di.online_vcpus, 1, "vcpu 1 offline");
	xsw(io, path, "online");
	WAIT_FOR(info(io, d, &di) == 0 && di.online_vcpus == 2);
	T_EQ(di.online_vcpus, 2, "and online again");

	/* shutdown */
	snprintf(path, sizeof(path), "/local/domain/%u/control/shutdown", d);
	xsw(io, path, "reboot");
	WAIT_FOR(info(io, d, &di) == 0 && di.shutdown);
	T_OK(di.shutdown && di.shutdown_reason == SHUTDOWN_reboot,
	    "control/shutdown reboot: it shuts down for a reboot");
	v = xsr(io, path);
	T_STREQ(v, "", "having acknowledged the request");
	free(v);
	xvm_disconnect(c);
	c = NULL;

	/* all of that persisted: a new connection sees it */
	T_OK(xvm_connect(uri, 0, &c, NULL, &err) == 0 &&
	    info(c->io, d, &di) == 0 && di.shutdown &&
	    di.shutdown_reason == SHUTDOWN_reboot && di.online_vcpus == 2,
	    "another process sees the domain as it was left");
	T_EQ(xvm_destroy(c, d, &err), 0, "destroy it");

	/* a guest whose start_info is damaged crashes at boot */
	dom->cpu_weight = dom->cpu_cap = -1;
	if (!T_OK(xvm_create(c, dom, XVM_CREATE_PAUSED, &d, &err) == 0,
	    "another, paused")) {
		printf("# %s\n", err.msg);
		goto out;
	}
	damage_start_info(c, d);
	T_EQ(xvm_unpause(c, d, &err), 0, "unpause");
	T_OK(info(c->io, d, &di) == 0 && di.shutdown &&
	    di.shutdown_reason == SHUTDOWN_crash, "a bad start_info: crashed");
	/* its on_crash (unset: destroy) is carried out by the next listing */
	{
		struct xvm_domstat *l = NULL;
		size_t n = 0;

		T_EQ(xvm_list(c, &l, &n, &err), 0, "list");
		T_EQ(n, 1, "on_crash destroy: only Domain-0 is left");
		xvm_domstat_free(l, n);
	}
	T_OK(info(c->io, d, &di) != 0, "the crashed domain is gone");
	/* on_crash restart, but it crashed at once: kept, not restarted */
	dom->on_crash = XVM_LIFE_RESTART;
	if (!T_OK(xvm_create(c, dom, XVM_CREATE_PAUSED, &d, &err) == 0,
	    "a third, on_crash restart")) {
		printf("# %s\n", err.msg);
		goto out;
	}
	damage_start_info(c, d);
	T_EQ(xvm_unpause(c, d, &err), 0, "unpause");
	{
		struct xvm_domstat *l = NULL;
		size_t n = 0;
		struct xvm_domain *rc = NULL;

		T_EQ(xvm_list(c, &l, &n, &err), 0, "list");
		T_OK(n == 2 && l[1].id == d && strcmp(l[1].state, "----c-") ==
		    0, "a crash at its start is not restarted (no crash loop): "
		    "it stays crashed");
		xvm_domstat_free(l, n);
		T_OK(xvm_running_config(c, d, &rc, &err) < 0 &&
		    err.code == XVM_ERR_NOT_FOUND, "and is no longer the "
		    "toolstack's to act on");
		xvm_domain_free(rc);
	}
	T_EQ(xvm_destroy(c, d, &err), 0, "destroy it");
out:
	xvm_domain_free(dom);
	xvm_disconnect(c);
	free(uri);
	cmd = xvm_asprintf("rm -rf '%s'", tmpl);
	if (system(cmd) != 0)
		printf("# could not remove %s\n", tmpl);
	free(cmd);
}

int
main(int argc, char **argv)
{
	char *guest = t_guest_path(argv[0]);

	(void)argc;
	t_test_guest(guest);
	t_layouts();
	t_guest_kernel(guest);
	free(guest);
	return t_done();
}

/*
 * hvmbuild.c - the x86 HVM domain builder.
 *
 * What Xen 4.17's libxl and libxenguest do for an HVM guest with a
 * device model (libxl_dom.c, xg_dom_x86.c, xg_dom_hvmloader.c), so that
 * hvmloader finds what it would find under xl:
 *
 *   RAM from gfn 0 up to the MMIO hole below 4 GiB, less the VGA hole
 *   (0xA0000-0xBFFFF), the rest above 4 GiB, in 2 MiB extents where the
 *   layout allows; eight special pages ending at gfn 0xff000 (paging,
 *   access, sharing rings, buffered and synchronous ioreq, xenstore,
 *   the identity page table, console), zeroed and named by HVM
 *   parameters, and eight ioreq-server gfns below them left empty; the
 *   hvm_info_table at 0x9F800; hvmloader's segments at their physical
 *   addresses, its firmware module and an hvm_start_info after them;
 *   vcpu 0 in flat 32-bit protected mode at the entry with %ebx at the
 *   start info, loaded with sethvmcontext.
 *
 * Guest memory is written only through foreign mappings of gfns, as on a
 * real Xen; the domain stays paused.
 */
#define __XEN_TOOLS__ 1

#include <elf.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <xen/xen.h>
#include <xen/hvm/params.h>
#include <xen/hvm/save.h>
#include <xen/hvm/hvm_info_table.h>
#include <xen/arch-x86/hvm/start_info.h>

#include "xen/hvmbuild.h"
#include "xen/xc.h"

#define PAGE		4096ull
#define SUPERPAGE	512ull			/* 2 MiB in pages */
#define VGA_START	0xA0ull
#define VGA_END		0xC0ull
#define HIGH_START	0x100000ull		/* gfn of 4 GiB */
#define ROUNDUP(x)	(((x) + PAGE - 1) & ~(PAGE - 1))

/*
 * hvmloader's image: a 32-bit x86 ELF executable whose loadable
 * segments lie in low RAM above 1 MiB.  Fills segs (up to nmax) and the
 * image's end; -1 with err naming the file otherwise.
 */
int
xvm_hvm_loader_parse(const unsigned char *img, size_t len, const char *name,
    struct xvm_hvm_seg *segs, size_t nmax, size_t *n_r, uint64_t *entry_r,
    uint64_t *end_r, struct xvm_err *err)
{
	Elf32_Ehdr eh;
	Elf32_Phdr ph;
	uint64_t end = 0;
	size_t i, n = 0;

	if (len < sizeof(eh))
		return xvm_err_set(err, XVM_ERR_CONFIG, "%s: not an HVM "
		    "firmware image (too short for an ELF header)", name);
	memcpy(&eh, img, sizeof(eh));
	if (memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0 ||
	    eh.e_ident[EI_CLASS] != ELFCLASS32 ||
	    eh.e_ident[EI_DATA] != ELFDATA2LSB || eh.e_machine != EM_386 ||
	    eh.e_type != ET_EXEC)
		return xvm_err_set(err, XVM_ERR_CONFIG, "%s: not an HVM "
		    "firmware image (hvmloader is a 32-bit x86 ELF "
		    "executable)", name);
	if (eh.e_phentsize != sizeof(ph) || eh.e_phnum == 0 ||
	    eh.e_phoff > len ||
	    (uint64_t)eh.e_phnum * sizeof(ph) > len - eh.e_phoff)
		return xvm_err_set(err, XVM_ERR_CONFIG, "%s: its ELF program "
		    "headers are damaged", name);
	for (i = 0; i < eh.e_phnum; i++) {
		memcpy(&ph, img + eh.e_phoff + i * sizeof(ph), sizeof(ph));
		if (ph.p_type != PT_LOAD || ph.p_memsz == 0)
			continue;
		if (ph.p_filesz > ph.p_memsz || ph.p_offset > len ||
		    ph.p_filesz > len - ph.p_offset)
			return xvm_err_set(err, XVM_ERR_CONFIG, "%s: segment "
			    "%zu lies outside the file", name, i);
		if (ph.p_paddr < 0x100000 || (uint64_t)ph.p_paddr +
		    ph.p_memsz > (64ull << 20))
			return xvm_err_set(err, XVM_ERR_CONFIG, "%s: segment "
			    "%zu is not between 1 MiB and 64 MiB", name, i);
		if (n == nmax)
			return xvm_err_set(err, XVM_ERR_CONFIG, "%s: more than "
			    "%zu loadable segments", name, nmax);
		segs[n].paddr = ph.p_paddr;
		segs[n].filesz = ph.p_filesz;
		segs[n].memsz = ph.p_memsz;
		segs[n].offset = ph.p_offset;
		if (ph.p_paddr + (uint64_t)ph.p_memsz > end)
			end = ph.p_paddr + (uint64_t)ph.p_memsz;
		n++;
	}
	if (n == 0)
		return xvm_err_set(err, XVM_ERR_CONFIG, "%s: nothing to load "
		    "(no PT_LOAD segment)", name);
	for (i = 0; i < n; i++)
		if (eh.e_entry >= segs[i].paddr &&
		    eh.e_entry < segs[i].paddr + segs[i].memsz)
			break;
	if (i == n)
		return xvm_err_set(err, XVM_ERR_CONFIG, "%s: its entry point "
		    "0x%x is in no segment", name, eh.e_entry);
	*n_r = n;
	*entry_r = eh.e_entry;
	*end_r = end;
	return 0;
}

struct hb {
	struct xvm_io *io;
	const struct xvm_hvmb_in *in;
	struct xvm_err *err;
	uint32_t domid;
};

/* Populate [gfn, gfn + n): 2 MiB extents where aligned, else pages. */
static int
populate(struct hb *b, uint64_t gfn, uint64_t n)
{
	uint64_t *frames, end = gfn + n, g, k;
	size_t cnt = 0, done;
	int r;

	while (gfn < end) {
		/* 4 KiB pages up to a 2 MiB boundary, or to the end */
		if (gfn % SUPERPAGE != 0 || end - gfn < SUPERPAGE) {
			g = (gfn + SUPERPAGE) & ~(SUPERPAGE - 1);
			if (g > end)
				g = end;
			frames = xvm_calloc((size_t)(g - gfn), sizeof(*frames));
			for (k = 0; k < g - gfn; k++)
				frames[k] = gfn + k;
			r = xvm_xc_populate_frames(b->io, b->domid, 0, frames,
			    (size_t)(g - gfn), &done, b->err);
			free(frames);
			if (r < 0)
				return -1;
			if (done < g - gfn)
				goto short_;
			gfn = g;
			continue;
		}
		cnt = (size_t)((end - gfn) / SUPERPAGE);
		frames = xvm_calloc(cnt ? cnt : 1, sizeof(*frames));
		for (k = 0; k < cnt; k++)
			frames[k] = gfn + k * SUPERPAGE;
		r = xvm_xc_populate_frames(b->io, b->domid, 9, frames, cnt,
		    &done, b->err);
		free(frames);
		if (r < 0)
			return -1;
		gfn += done * SUPERPAGE;
		if (done < cnt) {
			/* no 2 MiB pieces left: the rest page by page */
			n = end - gfn;
			frames = xvm_calloc((size_t)n, sizeof(*frames));
			for (k = 0; k < n; k++)
				frames[k] = gfn + k;
			r = xvm_xc_populate_frames(b->io, b->domid, 0, frames,
			    (size_t)n, &done, b->err);
			free(frames);
			if (r < 0)
				return -1;
			if (done < n)
				goto short_;
			gfn = end;
		}
	}
	return 0;
short_:
	return xvm_err_set(b->err, XVM_ERR_SYSTEM, "not enough free memory "
	    "for domain %u", b->domid);
}

/* Write len bytes at guest-physical addr (through a foreign mapping). */
static int
put(struct hb *b, uint64_t addr, const void *data, size_t len, size_t zero)
{
	uint64_t first = addr / PAGE, last = (addr + len + zero + PAGE - 1) /
	    PAGE, *gfns, k;
	size_t n = (size_t)(last - first);
	unsigned char *m;

	if (len + zero == 0)
		return 0;
	gfns = xvm_calloc(n, sizeof(*gfns));
	for (k = 0; k < n; k++)
		gfns[k] = first + k;
	m = xvm_xc_map(b->io, b->domid, PROT_READ | PROT_WRITE, gfns, n,
	    b->err);
	free(gfns);
	if (m == NULL)
		return -1;
	if (len)
		memcpy(m + (addr % PAGE), data, len);
	if (zero)
		memset(m + (addr % PAGE) + len, 0, zero);
	xvm_io_unmap_foreign(b->io, m, n);
	return 0;
}

static int
param(struct hb *b, uint32_t index, uint64_t v)
{
	return xvm_xc_hvm_param(b->io, b->domid, true, index, &v, b->err);
}

/* The table hvmloader reads its vcpus and memory layout from. */
static int
hvm_info(struct hb *b, uint64_t lowmem_end, uint64_t highmem_end)
{
	struct hvm_info_table t;
	unsigned char *p = (unsigned char *)&t, sum = 0;
	uint32_t i;

	memset(&t, 0, sizeof(t));
	memcpy(t.signature, "HVM INFO", 8);
	t.length = sizeof(t);
	t.apic_mode = 1;
	t.nr_vcpus = b->in->vcpus;
	for (i = 0; i < b->in->vcpus_online && i < HVM_MAX_VCPUS; i++)
		t.vcpu_online[i / 8] |= (uint8_t)(1u << (i % 8));
	t.low_mem_pgend = (uint32_t)lowmem_end;
	t.reserved_mem_pgstart = (uint32_t)(XVM_HVM_SPECIAL(0) -
	    XVM_HVM_NR_IOREQ_SERVER);
	t.high_mem_pgend = (uint32_t)highmem_end;
	for (i = 0; i < sizeof(t); i++)
		sum += p[i];
	t.checksum = (uint8_t)-sum;
	return put(b, XVM_HVM_INFO_PFN * PAGE + XVM_HVM_INFO_OFFSET, &t,
	    sizeof(t), 0);
}

/* The special pages: populated, zeroed, named by their parameters. */
static int
special_pages(struct hb *b)
{
	static const uint32_t names[XVM_HVM_NR_SPECIAL] = {
		HVM_PARAM_PAGING_RING_PFN, HVM_PARAM_MONITOR_RING_PFN,
		HVM_PARAM_SHARING_RING_PFN, HVM_PARAM_BUFIOREQ_PFN,
		HVM_PARAM_STORE_PFN, HVM_PARAM_IOREQ_PFN, HVM_PARAM_IDENT_PT,
		HVM_PARAM_CONSOLE_PFN,
	};
	uint32_t ident[1024];
	unsigned i;

	if (populate(b, XVM_HVM_SPECIAL(0), XVM_HVM_NR_SPECIAL) < 0 ||
	    put(b, XVM_HVM_SPECIAL(0) * PAGE, NULL, 0, XVM_HVM_NR_SPECIAL *
	    PAGE) < 0)
		return -1;
	/* 4 MiB identity mappings (PSE), for unpaged real mode on VMX */
	for (i = 0; i < 1024; i++)
		ident[i] = (i << 22) | 0xE7u;	/* P RW US A D PSE */
	if (put(b, XVM_HVM_SPECIAL(XVM_HVM_SP_IDENT_PT) * PAGE, ident,
	    sizeof(ident), 0) < 0)
		return -1;
	for (i = 0; i < XVM_HVM_NR_SPECIAL; i++) {
		uint64_t gfn = XVM_HVM_SPECIAL(i);

		if (names[i] == HVM_PARAM_IDENT_PT)
			gfn *= PAGE;		/* an address, not a frame */
		if (param(b, names[i], gfn) < 0)
			return -1;
	}
	return param(b, HVM_PARAM_IOREQ_SERVER_PFN, XVM_HVM_SPECIAL(0) -
	    XVM_HVM_NR_IOREQ_SERVER) < 0 ||
	    param(b, HVM_PARAM_NR_IOREQ_SERVER_PAGES,
	    XVM_HVM_NR_IOREQ_SERVER) < 0 ||
	    param(b, HVM_PARAM_STORE_EVTCHN, b->in->store_port) < 0 ||
	    param(b, HVM_PARAM_CONSOLE_EVTCHN, b->in->console_port) < 0 ||
	    /* libxl's defaults: no_delay_for_missed_ticks, HPET, aligned */
	    param(b, HVM_PARAM_TIMER_MODE, HVMPTM_no_delay_for_missed_ticks) <
	    0 || param(b, HVM_PARAM_HPET_ENABLED, 1) < 0 ||
	    param(b, HVM_PARAM_VPT_ALIGN, 1) < 0 ||
	    param(b, HVM_PARAM_VIRIDIAN, b->in->viridian ?
	    HVMPV_base_freq : 0) < 0 ? -1 : 0;
}

/* One record of an HVM context: descriptor then body. */
static void
record(struct xvm_buf *out, uint16_t code, uint16_t inst, const void *body,
    uint32_t len)
{
	struct hvm_save_descriptor d = { code, inst, len };

	xvm_buf_add(out, &d, sizeof(d));
	if (len)
		xvm_buf_add(out, body, len);
}

/*
 * vcpu 0 at the entry: Xen's header record kept, a CPU record in flat
 * 32-bit protected mode (paging off) with %ebx at the start info, END.
 */
static int
boot_vcpu(struct hb *b, uint64_t entry, uint64_t start_info)
{
	struct hvm_save_descriptor d;
	struct hvm_hw_cpu cpu;
	struct xvm_buf out = XVM_BUF_INIT;
	unsigned char *ctx = NULL;
	size_t len = 0, off = 0;
	bool have_header = false;
	int r;

	if (xvm_xc_hvm_context_get(b->io, b->domid, (void **)&ctx, &len,
	    b->err) < 0)
		return -1;
	while (off + sizeof(d) <= len) {
		memcpy(&d, ctx + off, sizeof(d));
		if (d.length > len - off - sizeof(d))
			break;
		if (d.typecode == HVM_SAVE_CODE(HEADER) &&
		    d.length == HVM_SAVE_LENGTH(HEADER)) {
			record(&out, d.typecode, d.instance, ctx + off +
			    sizeof(d), d.length);
			have_header = true;
			break;
		}
		if (d.typecode == HVM_SAVE_CODE(END))
			break;
		off += sizeof(d) + d.length;
	}
	free(ctx);
	if (!have_header) {
		xvm_buf_release(&out);
		return xvm_err_set(b->err, XVM_ERR_SYSTEM, "domain %u: Xen's "
		    "HVM context has no header record", b->domid);
	}
	memset(&cpu, 0, sizeof(cpu));
	cpu.rip = entry;
	cpu.rbx = start_info;
	cpu.rflags = 0x2;			/* the reserved bit */
	cpu.cr0 = 0x11;				/* PE | ET */
	cpu.cs_limit = cpu.ds_limit = cpu.es_limit = cpu.fs_limit =
	    cpu.gs_limit = cpu.ss_limit = ~0u;
	cpu.cs_arbytes = 0xc9b;			/* 32-bit code, present */
	cpu.ds_arbytes = cpu.es_arbytes = cpu.fs_arbytes = cpu.gs_arbytes =
	    cpu.ss_arbytes = 0xc93;		/* 32-bit data, present */
	cpu.tr_limit = 0x67;
	cpu.tr_arbytes = 0x8b;			/* busy 32-bit TSS */
	record(&out, HVM_SAVE_CODE(CPU), 0, &cpu, sizeof(cpu));
	record(&out, HVM_SAVE_CODE(END), 0, NULL, 0);
	r = xvm_xc_hvm_context_set(b->io, b->domid, out.data, out.len, b->err);
	xvm_buf_release(&out);
	return r;
}

int
xvm_hvm_build(struct xvm_io *io, const struct xvm_hvmb_in *in,
    struct xvm_hvmb_out *out, struct xvm_err *err)
{
	struct hb b = { io, in, err, in->domid };
	struct xvm_hvm_seg segs[16];
	struct hvm_start_info si;
	struct hvm_modlist_entry mod;
	static const char modname[] = "firmware";
	uint64_t pages = in->mem_kib / 4, low, high, entry, end, at, sia;
	unsigned char page[PAGE];
	size_t nseg, i, used;

	memset(out, 0, sizeof(*out));
	if (xvm_hvm_loader_parse(in->loader, in->loader_len, in->loader_name,
	    segs, 16, &nseg, &entry, &end, err) < 0)
		return -1;
	low = pages < XVM_HVM_MMIO_HOLE_START / PAGE ? pages :
	    XVM_HVM_MMIO_HOLE_START / PAGE;
	high = pages - low;
	/* the image, its module and the start info must fit in low RAM */
	at = ROUNDUP(end);
	sia = at + (in->bios ? ROUNDUP(in->bios_len) : 0);
	if (low < 16384 || sia + PAGE > low * PAGE)
		return xvm_err_set(err, XVM_ERR_CONFIG, "domain %u: %" PRIu64
		    " MiB is too little memory for an HVM guest (at least 64 "
		    "MiB)", in->domid, in->mem_kib / 1024);

	/* RAM: below the VGA hole, above it, above 4 GiB */
	if (populate(&b, 0, VGA_START) < 0 ||
	    populate(&b, VGA_END, low - VGA_END) < 0 ||
	    (high && populate(&b, HIGH_START, high) < 0))
		return -1;
	if (special_pages(&b) < 0 || hvm_info(&b, low, high ? HIGH_START +
	    high : 0) < 0)
		return -1;

	/* hvmloader, as its segments ask */
	for (i = 0; i < nseg; i++)
		if (put(&b, segs[i].paddr, in->loader + segs[i].offset,
		    (size_t)segs[i].filesz, (size_t)(segs[i].memsz -
		    segs[i].filesz)) < 0)
			return -1;
	/* its firmware module, then the start info with the module list
	   and the module's name on one page */
	if (in->bios && put(&b, at, in->bios, in->bios_len, 0) < 0)
		return -1;
	memset(page, 0, sizeof(page));
	memset(&si, 0, sizeof(si));
	si.magic = XEN_HVM_START_MAGIC_VALUE;
	si.version = 1;
	used = sizeof(si);
	if (in->bios) {
		memset(&mod, 0, sizeof(mod));
		mod.paddr = at;
		mod.size = in->bios_len;
		mod.cmdline_paddr = sia + used + sizeof(mod);
		si.nr_modules = 1;
		si.modlist_paddr = sia + used;
		memcpy(page + used, &mod, sizeof(mod));
		used += sizeof(mod);
		memcpy(page + used, modname, sizeof(modname));
		used += sizeof(modname);
	}
	memcpy(page, &si, sizeof(si));
	if (put(&b, sia, page, used, 0) < 0 || boot_vcpu(&b, entry, sia) < 0)
		return -1;

	out->store_pfn = XVM_HVM_SPECIAL(XVM_HVM_SP_XENSTORE);
	out->console_pfn = XVM_HVM_SPECIAL(XVM_HVM_SP_CONSOLE);
	out->lowmem_end = low;
	out->highmem_end = high ? HIGH_START + high : 0;
	out->entry = entry;
	out->start_info = sia;
	out->nr_pages = pages - (VGA_END - VGA_START) + XVM_HVM_NR_SPECIAL;
	return 0;
}

/*
 * pvbuild.c - the x86_64 PV domain builder.
 *
 * Layout and contents follow Xen 4.17's libxenguest (xg_dom_core.c,
 * xg_dom_x86.c, xg_dom_boot.c; facts in shared/docs/research/
 * pv-builder.md), so that a kernel finds what it would find under xl:
 *
 *   virt_base ... kernel (at its virtual start), ramdisk, p2m list (unless
 *   the kernel asks for it elsewhere: INIT_P2M), start_info, xenstore
 *   page, console page, page tables (L4, L3s, L2s, L1s), boot stack,
 *   padding to virt_pgtab_end (>= 512 KiB after the stack, on a 4 MiB
 *   boundary); then an initrd the kernel takes by pfn (MOD_START_PFN) and
 *   the p2m list in its own region with its own tables (INIT_P2M).
 *
 * va = virt_base + pfn * 4096 throughout the initial mapping.  Tables map
 * with 0x067, pages with 0x023, page-table pages read-only (0x021).  The
 * builder writes guest memory only through foreign mappings, as on a
 * real Xen, and leaves the domain paused.  One difference: a gzipped
 * ramdisk is handed over as it is (libxenguest unzips it first when it
 * can); kernels unpack their initrd themselves.
 */
#define __XEN_TOOLS__ 1

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <xen/xen.h>
#include <xen/grant_table.h>

#include "xen/pvbuild.h"
#include "xen/xc.h"

#define PAGE		4096ull
#define PTE_TABLE	0x067ull	/* present, rw, user, accessed, dirty */
#define PTE_PAGE	0x023ull	/* present, rw, accessed */
#define PTE_RO		0x021ull	/* present, accessed */
#define VA_MASK		((1ull << 48) - 1)
#define EXTRA_PAGES	(1 + 128)	/* boot stack + 512 KiB */
#define GUEST_TYPE	"xen-3.0-x86_64"
#define SUPERPAGE	512u

/* A range of the guest's pseudo-physical and virtual space. */
struct seg {
	uint64_t vstart, vend;		/* vend: exclusive, page-rounded */
	uint64_t pfn, pages;
};

/* One mapping of the initial page tables (the kernel's, the p2m's). */
struct mapping {
	uint64_t from, to;		/* virtual, inclusive */
	uint64_t pfn0;			/* pfn mapped at from */
	uint64_t tab_pfn[4];		/* first table pfn per level 1..3 */
	uint64_t lo[4], hi[4];		/* block range per level (tables) */
	bool has_l4;			/* the first mapping owns the L4 */
	uint64_t ntables;
};

struct build {
	struct xvm_io *io;
	const struct xvm_pvb_in *in;
	struct xvm_err *err;
	uint32_t domid;
	uint64_t total;			/* pages */
	uint64_t *p2m;			/* pfn -> mfn */
	uint64_t va_end, pfn_end;	/* the allocation cursors */
	uint64_t virt_base;
	struct mapping map[2];
	int nmaps;
	uint64_t pt_pfn, nr_pt;		/* the initial mapping's tables */
	uint64_t p2m_tab_pfn, p2m_ntab;	/* the p2m mapping's tables */
};

static int
berr(struct build *b, const char *fmt, const char *detail)
{
	return xvm_err_set(b->err, XVM_ERR_CONFIG, fmt,
	    b->in->kernel->name, b->domid, detail);
}

/* ---- memory ------------------------------------------------------------ */

static int
populate(struct build *b)
{
	uint64_t n = b->total, chunks = n / SUPERPAGE, i, k, rest = 0;
	uint64_t *frames;
	size_t done = 0, got;

	b->p2m = xvm_malloc(n * sizeof(*b->p2m));
	for (i = 0; i < n; i++)
		b->p2m[i] = UINT64_MAX;
	frames = xvm_malloc((n ? n : 1) * sizeof(*frames));
	/* whole 2 MiB chunks first, at most 1 GiB a call */
	for (i = 0; i < chunks; i += got) {
		k = chunks - i < SUPERPAGE ? chunks - i : SUPERPAGE;
		for (got = 0; got < k; got++)
			frames[got] = (i + got) * SUPERPAGE;
		if (xvm_xc_populate_frames(b->io, b->domid, 9, frames, k,
		    &got, b->err) < 0)
			goto fail;
		for (k = 0; k < got; k++) {
			uint64_t m;

			for (m = 0; m < SUPERPAGE; m++)
				b->p2m[(i + k) * SUPERPAGE + m] =
				    frames[k] + m;
		}
		if (got == 0)
			break;		/* the rest in single pages */
	}
	/* whatever is left, page by page */
	for (i = 0; i < n; i++)
		if (b->p2m[i] == UINT64_MAX)
			frames[rest++] = i;
	if (rest > 0) {
		if (xvm_xc_populate_frames(b->io, b->domid, 0, frames, rest,
		    &done, b->err) < 0)
			goto fail;
		if (done < rest) {
			xvm_err_set(b->err, XVM_ERR_SYSTEM, "cannot allocate "
			    "%" PRIu64 " MiB for domain %u: the host has too "
			    "little free memory", b->total / 256, b->domid);
			goto fail;
		}
		for (k = 0, i = 0; i < n; i++)
			if (b->p2m[i] == UINT64_MAX)
				b->p2m[i] = frames[k++];
	}
	free(frames);
	return 0;
fail:
	free(frames);
	return -1;
}

/* Map pages pfn.. (count) of the guest, read-write. */
static unsigned char *
map_pfns(struct build *b, uint64_t pfn, uint64_t count)
{
	return xvm_xc_map(b->io, b->domid, PROT_READ | PROT_WRITE,
	    b->p2m + pfn, count, b->err);
}

static void
unmap(struct build *b, void *p, uint64_t count)
{
	xvm_io_unmap_foreign(b->io, p, count);
}

static int
write_pfns(struct build *b, uint64_t pfn, const void *data, size_t len)
{
	uint64_t count = (len + PAGE - 1) / PAGE;
	unsigned char *p;

	if (count == 0)
		return 0;
	if ((p = map_pfns(b, pfn, count)) == NULL)
		return -1;
	memcpy(p, data, len);
	memset(p + len, 0, count * PAGE - len);
	unmap(b, p, count);
	return 0;
}

/* ---- layout ------------------------------------------------------------ */

/* Allocate a segment of size bytes at start (0: the next free). */
static int
alloc_seg(struct build *b, struct seg *s, uint64_t start, uint64_t size)
{
	uint64_t pages = (size + PAGE - 1) / PAGE;

	if (start != 0) {
		if (start & (PAGE - 1) || start < b->va_end)
			return berr(b, "'%s' cannot be laid out in domain "
			    "%u: %s", "segment boundary isn't page aligned");
		b->pfn_end += (start - b->va_end) / PAGE;
		b->va_end = start;
	}
	s->vstart = b->va_end;
	s->pfn = b->pfn_end;
	s->pages = pages;
	b->va_end += pages * PAGE;
	b->pfn_end += pages;
	s->vend = b->va_end;
	if (b->pfn_end > b->total)
		return xvm_err_set(b->err, XVM_ERR_CONFIG, "domain %u: %" PRIu64
		    " MiB of memory is too little for '%s' and its initial "
		    "mapping (%" PRIu64 " MiB needed)", b->domid,
		    b->total / 256, b->in->kernel->name,
		    (b->pfn_end + 255) / 256);
	return 0;
}

static uint64_t
shift_of(int level)
{
	return 12 + 9 * (uint64_t)level;	/* bytes a level-N table maps */
}

/* Tables mapping [from, to] at levels 3..1 (and the L4 when first). */
static void
count_tables(struct build *b, struct mapping *m)
{
	uint64_t from = m->from & VA_MASK, to = m->to & VA_MASK, n;
	int l, i;

	m->ntables = m->has_l4 ? 1 : 0;
	for (l = 3; l >= 1; l--) {
		m->lo[l] = from >> shift_of(l);
		m->hi[l] = to >> shift_of(l);
		n = m->hi[l] - m->lo[l] + 1;
		/* blocks an earlier mapping's tables already cover */
		for (i = 0; i < b->nmaps && &b->map[i] != m; i++) {
			uint64_t lo = b->map[i].lo[l] > m->lo[l] ?
			    b->map[i].lo[l] : m->lo[l];
			uint64_t hi = b->map[i].hi[l] < m->hi[l] ?
			    b->map[i].hi[l] : m->hi[l];

			if (lo <= hi)
				n -= hi - lo + 1;
		}
		m->ntables += n;
	}
}

/*
 * libxenguest's loop: tables for everything up to a 4 MiB boundary that
 * leaves room for the tables themselves, the boot stack and 512 KiB.
 */
static void
size_initial_mapping(struct build *b, uint64_t *virt_end)
{
	struct mapping *m = &b->map[0];
	uint64_t pages = EXTRA_PAGES, try_end;

	for (;;) {
		try_end = (b->va_end + pages * PAGE) | 0x3fffff;
		m->from = b->virt_base;
		m->to = try_end;
		count_tables(b, m);
		pages = m->ntables + EXTRA_PAGES;
		if (b->va_end + pages * PAGE <= try_end + 1)
			break;
	}
	*virt_end = try_end + 1;
}

/* ---- page tables ------------------------------------------------------- */

static bool
is_table_pfn(const struct build *b, uint64_t pfn)
{
	return (pfn >= b->pt_pfn && pfn < b->pt_pfn + b->nr_pt) ||
	    (b->p2m_ntab && pfn >= b->p2m_tab_pfn &&
	    pfn < b->p2m_tab_pfn + b->p2m_ntab);
}

/* The pfn of the level-l table of m covering block blk (of that level). */
static uint64_t
table_pfn(const struct build *b, int l, uint64_t blk)
{
	int i;

	for (i = 0; i < b->nmaps; i++)
		if (blk >= b->map[i].lo[l] && blk <= b->map[i].hi[l])
			return b->map[i].tab_pfn[l] +
			    (blk - b->map[i].lo[l]);
	return UINT64_MAX;
}

/*
 * Fill the tables (all of them mapped at tabs, pfn tab0 + k at page k).
 * Entries at each level point to the tables below, L1 entries to the
 * pages; nothing else is mapped.
 */
static void
fill_tables(struct build *b, uint64_t *tabs, uint64_t tab0)
{
	uint64_t va, pfn, blk, t, idx, prot;
	int i, l;

	for (i = 0; i < b->nmaps; i++) {
		const struct mapping *m = &b->map[i];

		/* L1: every page of the mapping */
		for (va = m->from; va <= m->to && va >= m->from; va += PAGE) {
			pfn = m->pfn0 + (va - m->from) / PAGE;
			t = table_pfn(b, 1, (va & VA_MASK) >> shift_of(1));
			idx = (va >> 12) & 511;
			prot = is_table_pfn(b, pfn) ? PTE_RO : PTE_PAGE;
			tabs[(t - tab0) * 512 + idx] = b->p2m[pfn] << 12 | prot;
			if (va + PAGE == 0)
				break;
		}
		/* L2..L4: each table's block, in the table above */
		for (l = 1; l <= 3; l++) {
			for (blk = m->lo[l]; blk <= m->hi[l]; blk++) {
				t = table_pfn(b, l, blk);
				idx = blk & 511;
				if (l < 3)
					pfn = table_pfn(b, l + 1, blk >> 9);
				else
					pfn = b->pt_pfn;	/* the L4 */
				tabs[(pfn - tab0) * 512 + idx] =
				    b->p2m[t] << 12 | PTE_TABLE;
			}
		}
	}
}

static int
write_tables(struct build *b)
{
	uint64_t lo = b->pt_pfn, hi = b->pt_pfn + b->nr_pt, n;
	uint64_t *tabs;
	unsigned char *p;
	int r = 0;

	/* the tables of both mappings, as one range of pfns */
	if (b->p2m_ntab) {
		if (b->p2m_tab_pfn < lo)
			lo = b->p2m_tab_pfn;
		if (b->p2m_tab_pfn + b->p2m_ntab > hi)
			hi = b->p2m_tab_pfn + b->p2m_ntab;
	}
	n = hi - lo;
	tabs = xvm_calloc(n * 512, sizeof(*tabs));
	fill_tables(b, tabs, lo);
	/* write only the table pages, not what lies between */
	if ((p = map_pfns(b, b->pt_pfn, b->nr_pt)) == NULL) {
		r = -1;
		goto out;
	}
	memcpy(p, tabs + (b->pt_pfn - lo) * 512, b->nr_pt * PAGE);
	unmap(b, p, b->nr_pt);
	if (b->p2m_ntab) {
		if ((p = map_pfns(b, b->p2m_tab_pfn, b->p2m_ntab)) == NULL) {
			r = -1;
			goto out;
		}
		memcpy(p, tabs + (b->p2m_tab_pfn - lo) * 512,
		    b->p2m_ntab * PAGE);
		unmap(b, p, b->p2m_ntab);
	}
out:
	free(tabs);
	return r;
}

/* ---- the kernel -------------------------------------------------------- */

static int
load_kernel(struct build *b, const struct seg *k)
{
	const struct xvm_kimage *ki = b->in->kernel;
	unsigned char *p;
	size_t i;

	if ((p = map_pfns(b, k->pfn, k->pages)) == NULL)
		return -1;
	/* the frames come zeroed from Xen: each segment's data and its
	   zeroed tail (bss), as libxc's ELF loader writes them */
	for (i = 0; i < ki->nsegs; i++) {
		const struct xvm_kimage_seg *s = &ki->segs[i];
		uint64_t off = s->paddr - ki->pstart;

		if (off + s->memsz > k->pages * PAGE || s->filesz > s->memsz) {
			unmap(b, p, k->pages);
			return berr(b, "'%s' cannot be loaded in domain %u: "
			    "%s", "a segment lies outside the kernel");
		}
		memcpy(p + off, s->data, s->filesz);
		memset(p + off + s->filesz, 0, s->memsz - s->filesz);
	}
	unmap(b, p, k->pages);
	return 0;
}

/* ---- the build --------------------------------------------------------- */

static int
check_xen(struct build *b)
{
	struct xvm_xen_version v;
	const char *c;
	size_t n = strlen(GUEST_TYPE);

	if (xvm_xc_version(b->io, &v, b->err) < 0)
		return -1;
	for (c = v.capabilities; (c = strstr(c, GUEST_TYPE)) != NULL; c += n)
		if ((c == v.capabilities || c[-1] == ' ') &&
		    (c[n] == '\0' || c[n] == ' '))
			return 0;
	return xvm_err_set(b->err, XVM_ERR_NO_SUPPORT, "the hypervisor does "
	    "not run %s guests (it runs: %s)", GUEST_TYPE, v.capabilities);
}

static int
write_start_info(struct build *b, const struct seg *si, const struct seg *xs,
    const struct seg *con, const struct seg *p2m, const struct seg *rd,
    uint64_t shinfo, bool rd_by_pfn, bool p2m_own)
{
	start_info_t st;
	const char *cmd = b->in->cmdline ? b->in->cmdline : "";

	memset(&st, 0, sizeof(st));
	strncpy(st.magic, GUEST_TYPE, sizeof(st.magic) - 1);
	st.nr_pages = b->total;
	st.shared_info = shinfo << 12;
	st.flags = rd_by_pfn ? SIF_MOD_START_PFN : 0;
	st.store_mfn = b->p2m[xs->pfn];
	st.store_evtchn = b->in->store_port;
	st.console.domU.mfn = b->p2m[con->pfn];
	st.console.domU.evtchn = b->in->console_port;
	st.pt_base = b->virt_base + b->pt_pfn * PAGE;
	st.nr_pt_frames = b->nr_pt;
	st.mfn_list = p2m->vstart;
	if (rd != NULL) {
		st.mod_start = rd_by_pfn ? rd->pfn : rd->vstart;
		st.mod_len = rd_by_pfn ? rd->pages * PAGE :
		    b->in->ramdisk_len;
	}
	strncpy((char *)st.cmd_line, cmd, MAX_GUEST_CMDLINE - 1);
	if (p2m_own) {
		st.first_p2m_pfn = p2m->pfn;
		st.nr_p2m_frames = p2m->pages;
	}
	return write_pfns(b, si->pfn, &st, sizeof(st));
}

static int
init_shared_info(struct build *b, uint64_t mfn)
{
	shared_info_t *sh;
	int i;

	sh = xvm_xc_map(b->io, b->domid, PROT_READ | PROT_WRITE, &mfn, 1,
	    b->err);
	if (sh == NULL)
		return -1;
	memset(sh, 0, sizeof(*sh));
	for (i = 0; i < XEN_LEGACY_MAX_VCPUS; i++)
		sh->vcpu_info[i].evtchn_upcall_mask = 1;
	xvm_io_unmap_foreign(b->io, sh, 1);
	return 0;
}

static int
set_vcpu0(struct build *b, const struct seg *si, const struct seg *stack)
{
	vcpu_guest_context_t *c = xvm_calloc(1, sizeof(*c));
	int r;

	c->flags = VGCF_in_kernel | VGCF_online;
	c->user_regs.rip = b->in->kernel->entry;
	c->user_regs.rsp = b->virt_base + (stack->pfn + 1) * PAGE;
	c->user_regs.rsi = si->vstart;
	c->user_regs.rflags = 1u << 9;		/* IF */
	c->user_regs.cs = FLAT_KERNEL_CS;
	c->user_regs.ss = FLAT_KERNEL_SS;
	c->user_regs.ds = c->user_regs.es = FLAT_KERNEL_DS;
	c->user_regs.fs = c->user_regs.gs = FLAT_KERNEL_DS;
	c->kernel_ss = FLAT_KERNEL_SS;
	c->kernel_sp = c->user_regs.rsp;
	c->ctrlreg[3] = xen_pfn_to_cr3(b->p2m[b->pt_pfn]);
	c->debugreg[6] = 0xffff0ff0;
	c->debugreg[7] = 0x00000400;
	r = xvm_xc_vcpu_setcontext(b->io, b->domid, 0, c, sizeof(*c), b->err);
	free(c);
	return r;
}

int
xvm_pv_build(struct xvm_io *io, const struct xvm_pvb_in *in,
    struct xvm_pvb_out *out, struct xvm_err *err)
{
	const struct xvm_kimage *ki = in->kernel;
	struct build b;
	struct seg kseg, rd, p2m, si, xs, con, pt, stack, pad;
	uint64_t shinfo, virt_end, p2m_bytes, p2m_base = 0;
	unsigned char zero[PAGE];
	bool rd_by_pfn, p2m_own, have_rd;
	int ret = -1;

	memset(&b, 0, sizeof(b));
	memset(out, 0, sizeof(*out));
	memset(&rd, 0, sizeof(rd));
	memset(zero, 0, sizeof(zero));
	b.io = io;
	b.in = in;
	b.err = err;
	b.domid = in->domid;
	b.total = (in->mem_kib / 1024) << 8;	/* whole MiB, as libxl */
	b.virt_base = ki->virt_base;
	if (!ki->pv)
		return xvm_err_set(err, XVM_ERR_CONFIG, "'%s' is not a PV "
		    "kernel", ki->name);
	if (b.total == 0)
		return xvm_err_set(err, XVM_ERR_CONFIG, "domain %u: no memory "
		    "to build '%s' in", b.domid, ki->name);
	if (check_xen(&b) < 0 ||
	    xvm_xc_set_address_size(io, b.domid, 64, err) < 0 ||
	    populate(&b) < 0)
		goto out;

	/* the layout */
	have_rd = in->ramdisk != NULL;
	rd_by_pfn = have_rd && ki->mod_start_pfn;
	p2m_bytes = (b.total * 8 + PAGE - 1) & ~(PAGE - 1);
	p2m_own = ki->has_p2m_base && ki->p2m_base < b.virt_base &&
	    (ki->p2m_base & (PAGE - 1)) == 0;
	if (p2m_own)
		p2m_base = ki->p2m_base;
	b.va_end = b.virt_base;
	if (alloc_seg(&b, &kseg, ki->kstart, ki->kend - ki->kstart) < 0)
		goto out;
	if (have_rd && !rd_by_pfn &&
	    alloc_seg(&b, &rd, 0, in->ramdisk_len) < 0)
		goto out;
	if (!p2m_own && alloc_seg(&b, &p2m, 0, p2m_bytes) < 0)
		goto out;
	if (alloc_seg(&b, &si, 0, PAGE) < 0 ||
	    alloc_seg(&b, &xs, 0, PAGE) < 0 ||
	    alloc_seg(&b, &con, 0, PAGE) < 0)
		goto out;
	b.nmaps = 1;
	b.map[0].has_l4 = true;
	size_initial_mapping(&b, &virt_end);
	b.nr_pt = b.map[0].ntables;
	if (alloc_seg(&b, &pt, 0, b.nr_pt * PAGE) < 0 ||
	    alloc_seg(&b, &stack, 0, PAGE) < 0)
		goto out;
	b.pt_pfn = pt.pfn;
	b.map[0].from = b.virt_base;
	b.map[0].to = virt_end - 1;
	b.map[0].pfn0 = 0;
	/* tables top-down: L4, L3s, L2s, L1s */
	b.map[0].tab_pfn[3] = pt.pfn + 1;
	b.map[0].tab_pfn[2] = b.map[0].tab_pfn[3] +
	    (b.map[0].hi[3] - b.map[0].lo[3] + 1);
	b.map[0].tab_pfn[1] = b.map[0].tab_pfn[2] +
	    (b.map[0].hi[2] - b.map[0].lo[2] + 1);
	if (virt_end > b.va_end && alloc_seg(&b, &pad, 0, virt_end -
	    b.va_end) < 0)
		goto out;
	if (rd_by_pfn && alloc_seg(&b, &rd, 0, in->ramdisk_len) < 0)
		goto out;
	if (p2m_own) {
		struct mapping *m = &b.map[1];

		/* the list, then the tables of its own mapping */
		if (alloc_seg(&b, &p2m, 0, p2m_bytes) < 0)
			goto out;
		m->from = p2m_base;
		m->to = p2m_base + p2m_bytes - 1;
		m->pfn0 = p2m.pfn;
		m->has_l4 = false;
		b.nmaps = 2;
		count_tables(&b, m);
		if (m->lo[3] <= b.map[0].hi[3] && m->hi[3] >= b.map[0].lo[3]) {
			xvm_err_set(err, XVM_ERR_CONFIG, "'%s': its P->M table "
			    "base overlaps the kernel's mapping", ki->name);
			goto out;
		}
		b.p2m_ntab = m->ntables;
		if (alloc_seg(&b, &pt, 0, b.p2m_ntab * PAGE) < 0)
			goto out;
		b.p2m_tab_pfn = pt.pfn;
		m->tab_pfn[3] = pt.pfn;
		m->tab_pfn[2] = m->tab_pfn[3] + (m->hi[3] - m->lo[3] + 1);
		m->tab_pfn[1] = m->tab_pfn[2] + (m->hi[2] - m->lo[2] + 1);
		p2m.vstart = p2m_base;
		p2m.pages += b.p2m_ntab;	/* nr_p2m_frames counts them */
	}

	/* the contents */
	if (load_kernel(&b, &kseg) < 0)
		goto out;
	if (have_rd && write_pfns(&b, rd.pfn, in->ramdisk,
	    in->ramdisk_len) < 0)
		goto out;
	if (write_pfns(&b, p2m.pfn, b.p2m, b.total * 8) < 0 ||
	    write_pfns(&b, xs.pfn, zero, PAGE) < 0 ||
	    write_pfns(&b, con.pfn, zero, PAGE) < 0 ||
	    xvm_xc_shared_info_frame(io, b.domid, &shinfo, err) < 0 ||
	    write_tables(&b) < 0 ||
	    write_start_info(&b, &si, &xs, &con, &p2m, have_rd ? &rd : NULL,
	    shinfo, rd_by_pfn, p2m_own) < 0)
		goto out;
	if (ki->has_hypercall_page) {
		uint64_t hp = (ki->hypercall_page - b.virt_base) / PAGE;

		if (ki->hypercall_page < b.virt_base || hp >= b.total) {
			xvm_err_set(err, XVM_ERR_CONFIG, "'%s': its hypercall "
			    "page lies outside the domain", ki->name);
			goto out;
		}
		if (xvm_xc_hypercall_init(io, b.domid, b.p2m[hp], err) < 0)
			goto out;
	}
	if (xvm_xc_pin_l4(io, b.domid, b.p2m[b.pt_pfn], err) < 0 ||
	    init_shared_info(&b, shinfo) < 0 ||
	    set_vcpu0(&b, &si, &stack) < 0 ||
	    xvm_xc_gnttab_seed(io, b.domid, in->console_domid, b.p2m[con.pfn],
	    in->store_domid, b.p2m[xs.pfn], err) < 0)
		goto out;

	out->nr_pages = b.total;
	out->store_mfn = b.p2m[xs.pfn];
	out->console_mfn = b.p2m[con.pfn];
	out->shared_info_mfn = shinfo;
	out->virt_base = b.virt_base;
	out->virt_entry = ki->entry;
	out->start_info_va = si.vstart;
	out->pt_base_va = b.virt_base + b.pt_pfn * PAGE;
	out->nr_pt_frames = b.nr_pt;
	out->l4_mfn = b.p2m[b.pt_pfn];
	out->p2m_va = p2m.vstart;
	out->virt_pgtab_end = virt_end;
	out->stack_top = b.virt_base + (stack.pfn + 1) * PAGE;
	ret = 0;
out:
	free(b.p2m);
	return ret;
}

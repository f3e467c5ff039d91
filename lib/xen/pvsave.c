/*
 * pvsave.c - a suspended x86_64 PV domain into libxc's stream, and a new
 * domain from one, as Xen 4.17's xg_sr_save_x86_pv.c and
 * xg_sr_restore_x86_pv.c do (shared/docs/research/migration.md).
 *
 * Saving reads the guest's own p2m list (where shared_info says it is:
 * the linear list at arch.p2m_vaddr under arch.p2m_cr3, else the 3-level
 * frame list), sends every page it maps in PAGE_DATA records with Xen's
 * page types (page tables "normalised": their machine frames become
 * pfns, through the inverse of that p2m), then the TSC, the shared info
 * page and each online vcpu's registers (cr3, the start_info frame in
 * vcpu 0's %rdx and GDT frames as pfns).
 *
 * Restoring populates each pfn, writes the pages ("localising" page
 * tables: pfns back to the new machine frames), then fixes start_info
 * (xenstore and console frames and event channels), sets the vcpus,
 * pins the top-level tables, writes the new p2m into the guest's p2m
 * frames and seeds the grant table.
 */
#define __XEN_TOOLS__ 1
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <xen/xen.h>
#include <xen/domctl.h>

#include "xvm/le.h"
#include "xen/pvsave.h"
#include "xen/savefile.h"
#include "xen/xc.h"

#define PTE_P		0x1ull
#define PTE_PSE		0x80ull
#define PTE_ADDR	0x000ffffffffff000ull
#define INVALID		(~0ull)
#define PENDING		(~0ull - 1)	/* being made (restore) */
#define XEN_L4_FIRST	256		/* Xen's own L4 slots (x86_64 PV) */
#define XEN_L4_LAST	271
#define RECORD_MAX	(8u << 20)

struct inv {
	uint64_t mfn, pfn;
};

static int
by_mfn(const void *a, const void *b)
{
	const struct inv *x = a, *y = b;

	return x->mfn < y->mfn ? -1 : x->mfn > y->mfn;
}

/* pfn of mfn in the sorted inverse p2m, or INVALID. */
static uint64_t
inv_find(const struct inv *v, size_t n, uint64_t mfn)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (v[mid].mfn < mfn)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && v[lo].mfn == mfn ? v[lo].pfn : INVALID;
}

/* One 8-byte word of machine frame mfn of domid. */
static int
peek(struct xvm_io *io, uint32_t domid, uint64_t mfn, unsigned idx,
    uint64_t *v, struct xvm_err *err)
{
	uint64_t *p = xvm_xc_map(io, domid, PROT_READ, &mfn, 1, err);

	if (p == NULL)
		return -1;
	*v = p[idx];
	xvm_io_unmap_foreign(io, p, 1);
	return 0;
}

/* The machine frame va maps to under the L4 at l4 (4 KiB pages only). */
static int
va_to_mfn(struct xvm_io *io, uint32_t domid, uint64_t l4, uint64_t va,
    uint64_t *mfn_r, struct xvm_err *err)
{
	uint64_t t = l4, e = 0;
	int l;

	for (l = 4; l >= 1; l--) {
		unsigned idx = (unsigned)(va >> (12 + 9 * (l - 1))) & 511;

		if (peek(io, domid, t, idx, &e, err) < 0)
			return -1;
		if (!(e & PTE_P) || (l > 1 && (e & PTE_PSE)))
			return xvm_err_set(err, XVM_ERR_OPERATION_FAILED,
			    "domain %" PRIu32 ": its p2m list at %#" PRIx64
			    " is not mapped in 4 KiB pages", domid, va);
		t = (e & PTE_ADDR) >> 12;
	}
	*mfn_r = t;
	return 0;
}

/* ---- saving ----------------------------------------------------------- */

struct save {
	struct xvm_io *io;
	uint32_t domid;
	struct xvm_err *err;
	struct xvm_pv_p2m p;
	struct inv *inv;
	size_t ninv;
};

/* The guest's p2m list, where its shared_info says it keeps it. */
int
xvm_pv_p2m_read(struct xvm_io *io, uint32_t domid, struct xvm_pv_p2m *p,
    struct xvm_err *err)
{
	shared_info_t *sh;
	uint64_t k, shmfn, *m;
	int r = -1;

	memset(p, 0, sizeof(*p));
	if (xvm_xc_shared_info_frame(io, domid, &shmfn, err) < 0 ||
	    (sh = xvm_xc_map(io, domid, PROT_READ, &shmfn, 1, err)) == NULL)
		return -1;
	p->n = sh->arch.max_pfn;
	if (p->n == 0 || p->n > (1ull << 40)) {
		xvm_err_set(err, XVM_ERR_OPERATION_FAILED, "domain %" PRIu32
		    " has not published its p2m list (shared_info's "
		    "arch.max_pfn is %" PRIu64 ")", domid, p->n);
		goto out;
	}
	p->nframes = (p->n + 511) / 512;
	p->frames = xvm_calloc(p->nframes, sizeof(*p->frames));
	if (sh->arch.p2m_cr3 != 0) {
		/* the linear list (Linux's), under its own page tables */
		for (k = 0; k < p->nframes; k++)
			if (va_to_mfn(io, domid, sh->arch.p2m_cr3 >> 12,
			    sh->arch.p2m_vaddr + k * 4096, &p->frames[k],
			    err) < 0)
				goto out;
	} else if (sh->arch.pfn_to_mfn_frame_list_list != 0 &&
	    sh->arch.pfn_to_mfn_frame_list_list != INVALID) {
		/* the 3-level tree: a page of frame-list frames */
		uint64_t fll = sh->arch.pfn_to_mfn_frame_list_list, fl;

		for (k = 0; k < p->nframes; k++) {
			if (k / 512 >= 512) {
				xvm_err_set(err, XVM_ERR_OPERATION_FAILED,
				    "domain %" PRIu32 ": p2m too large for "
				    "its frame list", domid);
				goto out;
			}
			if (peek(io, domid, fll, (unsigned)(k / 512), &fl,
			    err) < 0 ||
			    peek(io, domid, fl, (unsigned)(k % 512),
			    &p->frames[k], err) < 0)
				goto out;
		}
	} else {
		xvm_err_set(err, XVM_ERR_OPERATION_FAILED, "domain %" PRIu32
		    " has not published its p2m list (shared_info's "
		    "arch.p2m_cr3 and pfn_to_mfn_frame_list_list)", domid);
		goto out;
	}
	if ((m = xvm_xc_map(io, domid, PROT_READ, p->frames, p->nframes,
	    err)) == NULL)
		goto out;
	p->p2m = xvm_malloc(p->n * sizeof(*p->p2m));
	memcpy(p->p2m, m, p->n * sizeof(*p->p2m));
	xvm_io_unmap_foreign(io, m, p->nframes);
	r = 0;
out:
	xvm_io_unmap_foreign(io, sh, 1);
	if (r < 0)
		xvm_pv_p2m_release(p);
	return r;
}

void
xvm_pv_p2m_release(struct xvm_pv_p2m *p)
{
	free(p->p2m);
	free(p->frames);
	memset(p, 0, sizeof(*p));
}

/* The inverse of the p2m, sorted by machine frame; one frame, one pfn. */
static int
invert(struct save *s)
{
	uint64_t i;

	s->inv = xvm_calloc(s->p.n, sizeof(*s->inv));
	for (i = 0; i < s->p.n; i++)
		if (s->p.p2m[i] != INVALID) {
			s->inv[s->ninv].mfn = s->p.p2m[i];
			s->inv[s->ninv++].pfn = i;
		}
	qsort(s->inv, s->ninv, sizeof(*s->inv), by_mfn);
	for (i = 1; i < s->ninv; i++)
		if (s->inv[i].mfn == s->inv[i - 1].mfn)
			return xvm_err_set(s->err, XVM_ERR_OPERATION_FAILED,
			    "domain %" PRIu32 ": its p2m maps pfns %#" PRIx64
			    " and %#" PRIx64 " to one frame", s->domid,
			    s->inv[i - 1].pfn, s->inv[i].pfn);
	return 0;
}

/* A page table's machine frames as pfns. */
static int
normalise(struct save *s, uint32_t type, uint64_t pfn, uint64_t *t)
{
	unsigned i;

	for (i = 0; i < 512; i++) {
		uint64_t m, p;

		if (!(t[i] & PTE_P))
			continue;
		if (type == XVM_PT_L4 && i >= XEN_L4_FIRST &&
		    i <= XEN_L4_LAST) {
			t[i] = 0;	/* Xen's; it writes them at the pin */
			continue;
		}
		m = (t[i] & PTE_ADDR) >> 12;
		if ((p = inv_find(s->inv, s->ninv, m)) == INVALID)
			return xvm_err_set(s->err, XVM_ERR_OPERATION_FAILED,
			    "domain %" PRIu32 ": the L%u table at pfn %#"
			    PRIx64 " maps frame %#" PRIx64 ", which is not "
			    "in its p2m", s->domid, type, pfn, m);
		t[i] = (t[i] & ~PTE_ADDR) | (p << 12);
	}
	return 0;
}

static int
save_pages(struct save *s, struct xvm_sf_out *out, const uint8_t *only,
    uint64_t *sent)
{
	uint64_t *pfns = xvm_malloc(XVM_PAGE_DATA_MAX * sizeof(*pfns));
	uint64_t *types = xvm_malloc(XVM_PAGE_DATA_MAX * sizeof(*types));
	struct iovec *iov = xvm_malloc(XVM_PAGE_DATA_MAX * sizeof(*iov));
	struct xvm_buf head = XVM_BUF_INIT, data = XVM_BUF_INIT;
	uint64_t i = 0, k, n;
	int r = -1, niov;

	while (i < s->p.n) {
		unsigned char *map;

		for (n = 0; i < s->p.n && n < XVM_PAGE_DATA_MAX; i++)
			if (s->p.p2m[i] != INVALID && (only == NULL ||
			    ((only[i / 8] >> (i % 8)) & 1)))
				pfns[n++] = i;
		if (n == 0)
			break;
		for (k = 0; k < n; k++)
			types[k] = s->p.p2m[pfns[k]];
		if (xvm_xc_pageframe_types(s->io, s->domid, types, n,
		    s->err) < 0)
			goto out;
		{
			uint64_t *mfns = xvm_malloc(n * sizeof(*mfns));

			for (k = 0; k < n; k++)
				mfns[k] = s->p.p2m[pfns[k]];
			map = xvm_xc_map(s->io, s->domid, PROT_READ, mfns, n,
			    s->err);
			free(mfns);
		}
		if (map == NULL)
			goto out;
		xvm_buf_reset(&head);
		xvm_buf_reset(&data);
		xvm_put_le32(&head, (uint32_t)n);
		xvm_put_le32(&head, 0);
		/* page tables go as the file has them (pfns, not the
		   guest's frames), from copies; the other pages straight
		   from the guest's frames */
		for (k = 0; k < n; k++) {
			uint32_t t = (uint32_t)(types[k] >> 28);

			xvm_put_le64(&head, pfns[k] | ((uint64_t)t << 60));
			if (!xvm_sf_type_has_data(t) || (t & 7) < 1 ||
			    (t & 7) > 4)
				continue;
			xvm_buf_add(&data, map + k * 4096, 4096);
			if (normalise(s, t & 7, pfns[k], (uint64_t *)(void *)
			    (data.data + data.len - 4096)) < 0) {
				xvm_io_unmap_foreign(s->io, map, n);
				goto out;
			}
		}
		niov = 0;
		for (k = 0, data.len = 0; k < n; k++) {
			uint32_t t = (uint32_t)(types[k] >> 28);
			char *p = (char *)map + k * 4096;

			if (!xvm_sf_type_has_data(t))
				continue;
			if ((t & 7) >= 1 && (t & 7) <= 4) {
				p = data.data + data.len;	/* its copy */
				data.len += 4096;
			}
			/* one piece for a run of neighbours */
			if (niov > 0 && (char *)iov[niov - 1].iov_base +
			    iov[niov - 1].iov_len == p)
				iov[niov - 1].iov_len += 4096;
			else
				iov[niov++] = (struct iovec){ p, 4096 };
			(*sent)++;
		}
		r = xvm_sf_put_record_iov(out, XVM_REC_PAGE_DATA, head.data,
		    head.len, iov, niov, s->err);
		xvm_io_unmap_foreign(s->io, map, n);
		if (r < 0)
			goto out;
		r = -1;
	}
	r = 0;
out:
	xvm_buf_release(&head);
	xvm_buf_release(&data);
	free(iov);
	free(pfns);
	free(types);
	return r;
}

/* Machine frame m in a vcpu context as its pfn. */
static int
ctx_pfn(struct save *s, uint64_t *v, const char *what)
{
	uint64_t p = inv_find(s->inv, s->ninv, *v);

	if (p == INVALID)
		return xvm_err_set(s->err, XVM_ERR_OPERATION_FAILED, "domain %"
		    PRIu32 ": its %s (frame %#" PRIx64 ") is not in its p2m",
		    s->domid, what, *v);
	*v = p;
	return 0;
}

static int
save_vcpus(struct save *s, struct xvm_sf_out *out, uint32_t max_vcpu_id)
{
	vcpu_guest_context_t *c = xvm_malloc(sizeof(*c));
	unsigned char hdr[8];
	uint32_t v;
	unsigned g;
	int r = -1;

	for (v = 0; v <= max_vcpu_id; v++) {
		uint64_t cr3;

		if (xvm_xc_vcpu_getcontext(s->io, s->domid, v, c, sizeof(*c),
		    s->err) < 0)
			goto out;
		if (!(c->flags & VGCF_online))
			continue;	/* as libxc: offline vcpus stay so */
		if (v == 0 && ctx_pfn(s, &c->user_regs.rdx,
		    "start_info (%rdx at its suspend)") < 0)
			goto out;
		cr3 = c->ctrlreg[3] >> 12;
		if (ctx_pfn(s, &cr3, "cr3") < 0)
			goto out;
		c->ctrlreg[3] = cr3 << 12;
		/*
		 * A 64-bit guest's user page table: Xen gives its machine
		 * frame as it is (no flag); the stream carries the pfn with
		 * bit 0 set, as libxc writes it and every restorer reads it.
		 */
		if (c->ctrlreg[1] != 0) {
			cr3 = c->ctrlreg[1] >> 12;
			if (ctx_pfn(s, &cr3, "user cr3") < 0)
				goto out;
			c->ctrlreg[1] = (cr3 << 12) | 1;
		}
		for (g = 0; g < (c->gdt_ents + 511) / 512 && g < 16; g++)
			if (ctx_pfn(s, (uint64_t *)&c->gdt_frames[g],
			    "GDT frame") < 0)
				goto out;
		memset(hdr, 0, sizeof(hdr));
		hdr[0] = (unsigned char)v;
		hdr[1] = (unsigned char)(v >> 8);
		hdr[2] = (unsigned char)(v >> 16);
		hdr[3] = (unsigned char)(v >> 24);
		if (xvm_sf_put_record2(out, XVM_REC_X86_PV_VCPU_BASIC, hdr, 8,
		    c, sizeof(*c), s->err) < 0)
			goto out;
	}
	r = 0;
out:
	free(c);
	return r;
}

/* The p2m, the headers and the static records (X86_PV_INFO to the p2m
   frames). */
static int
save_head(struct save *s, struct xvm_sf_out *out, struct xvm_dominfo *info)
{
	struct xvm_xen_version ver;
	struct xvm_buf f = XVM_BUF_INIT;
	unsigned char b[8];
	uint64_t k;
	int r = -1;

	if (xvm_xc_domain_info(s->io, s->domid, info, s->err) < 0 ||
	    xvm_xc_version(s->io, &ver, s->err) < 0)
		return -1;
	if (info->hvm)
		return xvm_err_set(s->err, XVM_ERR_NO_SUPPORT, "domain %" PRIu32
		    " is an HVM guest: xvm saves PV guests", s->domid);
	if (xvm_pv_p2m_read(s->io, s->domid, &s->p, s->err) < 0) {
		char why[sizeof(s->err->msg)];

		snprintf(why, sizeof(why), "%s", s->err->msg);
		return xvm_err_set(s->err, XVM_ERR_OPERATION_FAILED, "%s: it "
		    "cannot be saved", why);
	}
	if (invert(s) < 0)
		return -1;
	memset(b, 0, sizeof(b));
	b[0] = 8;				/* guest width */
	b[1] = 4;				/* page-table levels */
	if (xvm_sf_put_libxc_headers(out, (unsigned)ver.major,
	    (unsigned)ver.minor, s->err) < 0 ||
	    xvm_sf_put_record(out, XVM_REC_X86_PV_INFO, b, 8, s->err) < 0 ||
	    xvm_sf_put_record(out, XVM_REC_STATIC_DATA_END, NULL, 0,
	    s->err) < 0)
		return -1;
	xvm_put_le32(&f, 0);
	xvm_put_le32(&f, (uint32_t)(s->p.n - 1));
	for (k = 0; k < s->p.nframes; k++) {
		uint64_t p = inv_find(s->inv, s->ninv, s->p.frames[k]);

		if (p == INVALID) {
			xvm_err_set(s->err, XVM_ERR_OPERATION_FAILED, "domain %"
			    PRIu32 ": frame %" PRIu64 " of its p2m list is not "
			    "in its p2m", s->domid, k);
			goto out;
		}
		xvm_put_le64(&f, p);
	}
	r = xvm_sf_put_record(out, XVM_REC_X86_PV_P2M_FRAMES, f.data, f.len,
	    s->err);
out:
	xvm_buf_release(&f);
	return r;
}

/* The TSC, the shared info page, the vcpus and END (the guest stopped). */
static int
save_tail(struct save *s, struct xvm_sf_out *out,
    const struct xvm_dominfo *info)
{
	struct xvm_tsc_info tsc;
	struct xvm_buf t = XVM_BUF_INIT;
	shared_info_t *sh;
	uint64_t shmfn;
	int r = -1;

	if (xvm_xc_tsc_info(s->io, s->domid, false, &tsc, s->err) < 0 ||
	    xvm_xc_shared_info_frame(s->io, s->domid, &shmfn, s->err) < 0)
		return -1;
	xvm_put_le32(&t, tsc.mode);
	xvm_put_le32(&t, tsc.khz);
	xvm_put_le64(&t, tsc.nsec);
	xvm_put_le32(&t, tsc.incarnation);
	xvm_put_le32(&t, 0);
	r = xvm_sf_put_record(out, XVM_REC_X86_TSC_INFO, t.data, t.len, s->err);
	xvm_buf_release(&t);
	if (r < 0)
		return -1;
	if ((sh = xvm_xc_map(s->io, s->domid, PROT_READ, &shmfn, 1,
	    s->err)) == NULL)
		return -1;
	r = xvm_sf_put_record(out, XVM_REC_SHARED_INFO, sh, 4096, s->err);
	xvm_io_unmap_foreign(s->io, sh, 1);
	if (r < 0 || save_vcpus(s, out, info->max_vcpu_id) < 0 ||
	    xvm_sf_put_record(out, XVM_REC_END, NULL, 0, s->err) < 0)
		return -1;
	return 0;
}

static void
save_init(struct save *s, struct xvm_io *io, uint32_t domid,
    struct xvm_err *err)
{
	memset(s, 0, sizeof(*s));
	s->io = io;
	s->domid = domid;
	s->err = err;
}

static void
save_release(struct save *s)
{
	xvm_pv_p2m_release(&s->p);
	free(s->inv);
}

int
xvm_pv_save(struct xvm_io *io, uint32_t domid, struct xvm_sf_out *out,
    uint64_t *pages_r, struct xvm_err *err)
{
	struct save s;
	struct xvm_dominfo info;
	uint64_t sent = 0;
	int r = -1;

	save_init(&s, io, domid, err);
	if (save_head(&s, out, &info) < 0 ||
	    save_pages(&s, out, NULL, &sent) < 0 ||
	    save_tail(&s, out, &info) < 0)
		goto out;
	if (pages_r)
		*pages_r = sent;
	r = 0;
out:
	save_release(&s);
	return r;
}

int
xvm_pv_save_live(struct xvm_io *io, uint32_t domid, struct xvm_sf_out *out,
    struct xvm_pv_live *lv, struct xvm_err *err)
{
	struct save s;
	struct xvm_dominfo info;
	uint8_t *bm = NULL;
	uint64_t pages, sent;
	uint32_t count = 0;
	bool logging = false;
	int r = -1;

	save_init(&s, io, domid, err);
	lv->rounds = 0;
	lv->total = 0;
	if (save_head(&s, out, &info) < 0)
		goto out;
	if (xvm_xc_logdirty(io, domid, XEN_DOMCTL_SHADOW_OP_ENABLE_LOGDIRTY,
	    NULL, NULL, NULL, err) < 0)
		goto out;
	logging = true;
	bm = xvm_calloc((s.p.n + 7) / 8 + 1, 1);
	/* round 0 sends everything; each next one what was written since */
	for (;;) {
		sent = 0;
		if (save_pages(&s, out, lv->rounds ? bm : NULL, &sent) < 0)
			goto out;
		if (lv->rounds < XVM_PV_LIVE_ROUNDS)
			lv->sent[lv->rounds] = sent;
		lv->rounds++;
		lv->total += sent;
		pages = s.p.n;
		if (xvm_xc_logdirty(io, domid, XEN_DOMCTL_SHADOW_OP_CLEAN, bm,
		    &pages, &count, err) < 0)
			goto out;
		/* Xen 4.17's precopy policy: few pages left, or enough
		   rounds */
		if (count < lv->target_dirty || lv->rounds >= lv->max_rounds)
			break;
	}
	/* stop and copy */
	if (lv->suspend(lv->arg, err) < 0)
		goto out;
	lv->stopped = true;
	{
		/* what the last round left (bm) and what came since */
		size_t nb = (s.p.n + 7) / 8, k;
		uint8_t *more = xvm_calloc(nb + 1, 1);

		pages = s.p.n;
		r = xvm_xc_logdirty(io, domid, XEN_DOMCTL_SHADOW_OP_CLEAN,
		    more, &pages, &count, err);
		for (k = 0; k < nb; k++)
			bm[k] |= more[k];
		free(more);
		if (r < 0)
			goto out;
		r = -1;
	}
	sent = 0;
	if (save_pages(&s, out, bm, &sent) < 0 || save_tail(&s, out,
	    &info) < 0)
		goto out;
	lv->last = sent;
	lv->total += sent;
	r = 0;
out:
	if (logging)
		(void)xvm_xc_logdirty(io, domid, XEN_DOMCTL_SHADOW_OP_OFF, NULL,
		    NULL, NULL, NULL);
	free(bm);
	save_release(&s);
	return r;
}

/* ---- restoring -------------------------------------------------------- */

struct restore {
	struct xvm_io *io;
	uint32_t domid;
	struct xvm_err *err;
	const struct xvm_pvr_in *in;
	uint64_t n;
	uint64_t *p2m;
	uint8_t *types;
	uint64_t *frame_pfns;
	uint64_t nframes;
	unsigned char *shinfo;		/* the saved page */
	vcpu_guest_context_t **vcpus;
	uint32_t nvcpus;
	uint64_t pages;
	/* what libxc's streams add per vcpu (each without its 8-byte vcpu
	   header): the extended context, the xsave area, the MSRs */
	struct xvm_buf *ext, *xsave, *msrs;
	struct xvm_buf cpuid, msr_policy;	/* the CPU policy */
};

static int
rerr(struct restore *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int
rerr(struct restore *r, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return xvm_err_set(r->err, XVM_ERR_INVALID_ARG, "%s: %s",
	    r->in->name, msg);
}

/* Give the pfns machine frames (order-0 populate_physmap). */
static int
populate(struct restore *r, uint64_t *pfns, size_t n)
{
	uint64_t *f = xvm_malloc(n * sizeof(*f));
	size_t done = 0, i;
	int ret = 0;

	memcpy(f, pfns, n * sizeof(*f));
	if (xvm_xc_populate_frames(r->io, r->domid, 0, f, n, &done,
	    r->err) < 0)
		ret = -1;
	else if (done < n)
		ret = xvm_err_set(r->err, XVM_ERR_OPERATION_FAILED, "the host "
		    "ran out of memory restoring domain %" PRIu32 " (%zu of "
		    "%zu pages)", r->domid, done, n);
	for (i = 0; ret == 0 && i < n; i++)
		r->p2m[pfns[i]] = f[i];
	free(f);
	return ret;
}

static int
pfn_mfn(struct restore *r, uint64_t pfn, uint64_t *mfn)
{
	if (pfn >= r->n)
		return rerr(r, "pfn %#" PRIx64 " beyond the domain's %#" PRIx64
		    " pages", pfn, r->n);
	if (r->p2m[pfn] == INVALID && populate(r, &pfn, 1) < 0)
		return -1;
	*mfn = r->p2m[pfn];
	return 0;
}

/*
 * A page table's entries from pfns to the new frames.  The frames not
 * made yet are made first, in one call for the table (as libxc does):
 * an early table names most of the guest's memory.
 */
static int
localise(struct restore *r, uint64_t *t)
{
	uint64_t need[512];
	unsigned i, n = 0;

	for (i = 0; i < 512; i++) {
		uint64_t pfn = (t[i] & PTE_ADDR) >> 12;

		if (!(t[i] & PTE_P))
			continue;
		if (pfn >= r->n)
			return rerr(r, "pfn %#" PRIx64 " beyond the domain's %#"
			    PRIx64 " pages", pfn, r->n);
		if (r->p2m[pfn] == INVALID) {
			r->p2m[pfn] = PENDING;	/* once, if named twice */
			need[n++] = pfn;
		}
	}
	if (n > 0 && populate(r, need, n) < 0) {
		for (i = 0; i < n; i++)
			r->p2m[need[i]] = INVALID;
		return -1;
	}
	for (i = 0; i < 512; i++)
		if (t[i] & PTE_P)
			t[i] = (t[i] & ~PTE_ADDR) |
			    (r->p2m[(t[i] & PTE_ADDR) >> 12] << 12);
	return 0;
}

/*
 * A PAGE_DATA record: its head (hlen bytes) read, its pages (data bytes)
 * next in the stream, read straight into the guest's frames.
 */
static int
restore_pages(struct restore *r, struct xvm_sf_in *in,
    const unsigned char *head, size_t hlen, size_t data)
{
	struct xvm_sf_pages pg;
	uint64_t *need, *mfns;
	size_t nneed = 0, nd = 0, i, k;
	unsigned char *map;
	int ret = -1;

	if (xvm_sf_parse_page_head(head, hlen, hlen + data, &pg, r->err) < 0)
		return rerr(r, "%s", r->err->msg);
	need = xvm_malloc(pg.count * sizeof(*need));
	mfns = xvm_malloc(pg.count * sizeof(*mfns));
	for (i = 0; i < pg.count; i++) {
		uint64_t e = xvm_get_le64(pg.entries + i * 8);
		uint64_t pfn = XVM_PFN(e);
		uint32_t t = XVM_PFN_TYPE(e);

		if (pfn >= r->n) {
			rerr(r, "PAGE_DATA: pfn %#" PRIx64 " beyond the p2m",
			    pfn);
			goto out;
		}
		r->types[pfn] = (uint8_t)t;
		if (xvm_sf_type_has_data(t) && r->p2m[pfn] == INVALID)
			need[nneed++] = pfn;
	}
	if (nneed && populate(r, need, nneed) < 0)
		goto out;
	for (i = 0; i < pg.count; i++) {
		uint64_t e = xvm_get_le64(pg.entries + i * 8);

		if (xvm_sf_type_has_data(XVM_PFN_TYPE(e)))
			mfns[nd++] = r->p2m[XVM_PFN(e)];
	}
	if (nd == 0) {
		ret = 0;
		goto out;
	}
	map = xvm_xc_map(r->io, r->domid, PROT_READ | PROT_WRITE, mfns, nd,
	    r->err);
	if (map == NULL)
		goto out;
	/* the pages are in entry order, as the frames are mapped: one
	   read puts them in place (a copy through a buffer costs more
	   than the rest of a restore) */
	if (xvm_sf_get(in, map, nd * 4096, r->err) < 0) {
		xvm_io_unmap_foreign(r->io, map, nd);
		goto out;
	}
	for (i = k = 0; i < pg.count; i++) {
		uint64_t e = xvm_get_le64(pg.entries + i * 8);
		uint32_t t = XVM_PFN_TYPE(e);
		uint64_t *page = (uint64_t *)(void *)(map + k * 4096);

		if (!xvm_sf_type_has_data(t))
			continue;
		k++;
		if ((t & 7) >= 1 && (t & 7) <= 4 && localise(r, page) < 0) {
			xvm_io_unmap_foreign(r->io, map, nd);
			goto out;
		}
		r->pages++;
	}
	xvm_io_unmap_foreign(r->io, map, nd);
	ret = 0;
out:
	free(need);
	free(mfns);
	return ret;
}

/* process_start_info: vcpu 0's %rdx and what start_info points at. */
static int
fix_start_info(struct restore *r, vcpu_guest_context_t *c,
    uint64_t shinfo_mfn, struct xvm_pvr_out *o)
{
	start_info_t *si;
	uint64_t pfn = c->user_regs.rdx, mfn, sm, cm;

	if (pfn >= r->n || r->types[pfn] != XVM_PT_NOTAB)
		return rerr(r, "vcpu 0: start_info pfn %#" PRIx64 " is not a "
		    "page of the domain", pfn);
	if (pfn_mfn(r, pfn, &mfn) < 0)
		return -1;
	c->user_regs.rdx = mfn;
	si = xvm_xc_map(r->io, r->domid, PROT_READ | PROT_WRITE, &mfn, 1,
	    r->err);
	if (si == NULL)
		return -1;
	if (si->store_mfn >= r->n || si->console.domU.mfn >= r->n ||
	    pfn_mfn(r, si->store_mfn, &sm) < 0 ||
	    pfn_mfn(r, si->console.domU.mfn, &cm) < 0) {
		xvm_io_unmap_foreign(r->io, si, 1);
		return rerr(r, "start_info: its xenstore or console pfn is "
		    "not a page of the domain");
	}
	si->store_mfn = sm;
	si->store_evtchn = r->in->store_port;
	si->console.domU.mfn = cm;
	si->console.domU.evtchn = r->in->console_port;
	si->nr_pages = r->n;
	si->shared_info = shinfo_mfn << 12;
	si->flags = 0;
	xvm_io_unmap_foreign(r->io, si, 1);
	o->store_mfn = sm;
	o->console_mfn = cm;
	return 0;
}

static int
finish(struct restore *r, struct xvm_pvr_out *o)
{
	shared_info_t *sh, *old = (shared_info_t *)(void *)r->shinfo;
	uint64_t shmfn, k, pfn, mfn, *guest;
	uint64_t *fm;
	uint32_t v;
	unsigned g;

	if (r->shinfo == NULL || r->vcpus == NULL || r->vcpus[0] == NULL)
		return rerr(r, "no %s record", r->shinfo == NULL ?
		    "SHARED_INFO" : "X86_PV_VCPU_BASIC for vcpu 0");
	/* shared info: the vcpus' and the arch part, events masked */
	if (xvm_xc_shared_info_frame(r->io, r->domid, &shmfn, r->err) < 0)
		return -1;
	sh = xvm_xc_map(r->io, r->domid, PROT_READ | PROT_WRITE, &shmfn, 1,
	    r->err);
	if (sh == NULL)
		return -1;
	memcpy(sh->vcpu_info, old->vcpu_info, sizeof(sh->vcpu_info));
	memcpy(&sh->arch, &old->arch, sizeof(sh->arch));
	sh->arch.pfn_to_mfn_frame_list_list = 0;
	memset(sh->evtchn_pending, 0, sizeof(sh->evtchn_pending));
	for (v = 0; v < XEN_LEGACY_MAX_VCPUS; v++)
		sh->vcpu_info[v].evtchn_pending_sel = 0;
	memset(sh->evtchn_mask, 0xff, sizeof(sh->evtchn_mask));
	xvm_io_unmap_foreign(r->io, sh, 1);

	/* the vcpus */
	for (v = 0; v < r->nvcpus; v++) {
		vcpu_guest_context_t *c = r->vcpus[v];

		if (c == NULL)
			continue;
		if (v == 0 && fix_start_info(r, c, shmfn, o) < 0)
			return -1;
		c->flags |= VGCF_online;
		if (c->gdt_ents > 14 * 512)
			return rerr(r, "vcpu %u: %lu GDT entries", v,
			    (unsigned long)c->gdt_ents);
		for (g = 0; g < (c->gdt_ents + 511) / 512; g++) {
			pfn = c->gdt_frames[g];
			if (pfn >= r->n || r->types[pfn] != XVM_PT_NOTAB ||
			    pfn_mfn(r, pfn, &mfn) < 0)
				return rerr(r, "vcpu %u: GDT frame %u (pfn %#"
				    PRIx64 ") is not a page of the domain", v,
				    g, pfn);
			c->gdt_frames[g] = mfn;
		}
		pfn = c->ctrlreg[3] >> 12;
		if (pfn >= r->n || (r->types[pfn] & 7) != XVM_PT_L4)
			return rerr(r, "vcpu %u: cr3 (pfn %#" PRIx64 ") is not "
			    "an L4 table", v, pfn);
		if (pfn_mfn(r, pfn, &mfn) < 0)
			return -1;
		c->ctrlreg[3] = mfn << 12;
		if (c->ctrlreg[1] & 1) {
			pfn = c->ctrlreg[1] >> 12;
			if (pfn >= r->n || (r->types[pfn] & 7) != XVM_PT_L4 ||
			    pfn_mfn(r, pfn, &mfn) < 0)
				return rerr(r, "vcpu %u: its user cr3 is not "
				    "an L4 table", v);
			c->ctrlreg[1] = (mfn << 12) | 1;
		}
		if (xvm_xc_vcpu_setcontext(r->io, r->domid, v, c, sizeof(*c),
		    r->err) < 0)
			return -1;
		/* then what a libxc stream adds, in libxc's order */
		if ((r->ext[v].len && xvm_xc_vcpu_ext_context(r->io, r->domid,
		    v, r->ext[v].data, r->ext[v].len, r->err) < 0) ||
		    (r->xsave[v].len && xvm_xc_vcpu_xsave(r->io, r->domid, v,
		    r->xsave[v].data, r->xsave[v].len, r->err) < 0) ||
		    (r->msrs[v].len && xvm_xc_vcpu_msrs(r->io, r->domid, v,
		    r->msrs[v].data, (uint32_t)(r->msrs[v].len / 16),
		    r->err) < 0))
			return -1;
	}

	/*
	 * Pin the tables the guest had pinned, at their levels, as libxc's
	 * restore does: a Linux guest pins an L4 per address space (a user
	 * and a kernel one per process) and, with split page-table locks,
	 * its L1s and some L3s.
	 */
	for (pfn = 0; pfn < r->n; pfn++) {
		unsigned level = r->types[pfn] & 7;

		if (!(r->types[pfn] & XVM_PT_PIN) ||
		    !xvm_sf_type_has_data(r->types[pfn]))
			continue;
		if (level < 1 || level > 4)
			return rerr(r, "pfn %#" PRIx64 " is pinned but not a "
			    "page table (type %#x)", pfn, r->types[pfn]);
		if (xvm_xc_pin_table(r->io, r->domid, level, r->p2m[pfn],
		    r->err) < 0)
			return -1;
	}

	/* the new p2m into the guest's p2m frames */
	fm = xvm_malloc(r->nframes * sizeof(*fm));
	for (k = 0; k < r->nframes; k++) {
		pfn = r->frame_pfns[k];
		if (pfn >= r->n || r->types[pfn] != XVM_PT_NOTAB ||
		    pfn_mfn(r, pfn, &fm[k]) < 0) {
			free(fm);
			return rerr(r, "frame %" PRIu64 " of the p2m list (pfn %#"
			    PRIx64 ") is not a page of the domain", k, pfn);
		}
	}
	guest = xvm_xc_map(r->io, r->domid, PROT_READ | PROT_WRITE, fm,
	    r->nframes, r->err);
	free(fm);
	if (guest == NULL)
		return -1;
	memcpy(guest, r->p2m, r->n * sizeof(*r->p2m));
	xvm_io_unmap_foreign(r->io, guest, r->nframes);

	o->nr_pages = r->pages;
	return xvm_xc_gnttab_seed(r->io, r->domid, r->in->console_domid,
	    o->console_mfn, r->in->store_domid, o->store_mfn, r->err);
}

int
xvm_pv_restore(struct xvm_io *io, uint32_t domid, struct xvm_sf_in *in,
    const struct xvm_pvr_in *p, struct xvm_pvr_out *o, struct xvm_err *err)
{
	struct restore r;
	struct xvm_dominfo info;
	struct xvm_buf b = XVM_BUF_INIT;
	const unsigned char *d;
	uint32_t type, v;
	int ret = -1;

	memset(&r, 0, sizeof(r));
	memset(o, 0, sizeof(*o));
	r.io = io;
	r.domid = domid;
	r.err = err;
	r.in = p;
	if (xvm_xc_domain_info(io, domid, &info, err) < 0 ||
	    xvm_sf_get_libxc_headers(in, err) < 0)
		return -1;
	r.nvcpus = info.max_vcpu_id + 1;
	r.vcpus = xvm_calloc(r.nvcpus, sizeof(*r.vcpus));
	r.ext = xvm_calloc(r.nvcpus, sizeof(*r.ext));
	r.xsave = xvm_calloc(r.nvcpus, sizeof(*r.xsave));
	r.msrs = xvm_calloc(r.nvcpus, sizeof(*r.msrs));
	for (;;) {
		size_t data;

		if (xvm_sf_get_record_lazy(in, &type, &b, RECORD_MAX, &data,
		    err) < 0)
			goto out;
		d = (const unsigned char *)b.data;
		if (type == XVM_REC_END)
			break;
		switch (type) {
		case XVM_REC_X86_PV_INFO:
			if (b.len < 8 || d[0] != 8 || d[1] != 4) {
				rerr(&r, "not a 64-bit PV guest");
				goto out;
			}
			break;
		case XVM_REC_X86_PV_P2M_FRAMES: {
			struct xvm_sf_p2m_frames f;
			uint64_t k;

			if (xvm_sf_parse_p2m_frames(d, b.len, &f, err) < 0 ||
			    f.start_pfn != 0 || r.p2m != NULL) {
				rerr(&r, "X86_PV_P2M_FRAMES: %s", err->msg);
				goto out;
			}
			r.n = (uint64_t)f.end_pfn + 1;
			r.p2m = xvm_malloc(r.n * sizeof(*r.p2m));
			memset(r.p2m, 0xff, r.n * sizeof(*r.p2m));
			r.types = xvm_calloc(r.n, 1);
			r.nframes = f.nframes;
			r.frame_pfns = xvm_malloc(r.nframes *
			    sizeof(*r.frame_pfns));
			for (k = 0; k < r.nframes; k++)
				r.frame_pfns[k] = xvm_get_le64(f.frames + k * 8);
			break;
		}
		case XVM_REC_PAGE_DATA:
			if (r.p2m == NULL) {
				rerr(&r, "PAGE_DATA before the p2m frames");
				goto out;
			}
			if (restore_pages(&r, in, d, b.len, data) < 0)
				goto out;
			break;
		case XVM_REC_X86_TSC_INFO: {
			struct xvm_tsc_info t;

			if (b.len != 24) {
				rerr(&r, "X86_TSC_INFO of %zu bytes", b.len);
				goto out;
			}
			t.mode = xvm_get_le32(d);
			t.khz = xvm_get_le32(d + 4);
			t.nsec = xvm_get_le64(d + 8);
			t.incarnation = xvm_get_le32(d + 16);
			if (xvm_xc_tsc_info(io, domid, true, &t, err) < 0)
				goto out;
			break;
		}
		case XVM_REC_SHARED_INFO:
			if (b.len != 4096 || r.shinfo != NULL) {
				rerr(&r, "SHARED_INFO of %zu bytes", b.len);
				goto out;
			}
			r.shinfo = xvm_malloc(4096);
			memcpy(r.shinfo, d, 4096);
			break;
		case XVM_REC_X86_PV_VCPU_BASIC:
			if (b.len != 8 + sizeof(vcpu_guest_context_t) ||
			    (v = xvm_get_le32(d)) >= r.nvcpus ||
			    r.vcpus[v] != NULL) {
				rerr(&r, "X86_PV_VCPU_BASIC: not a vcpu of "
				    "the domain");
				goto out;
			}
			r.vcpus[v] = xvm_malloc(sizeof(vcpu_guest_context_t));
			memcpy(r.vcpus[v], d + 8, sizeof(vcpu_guest_context_t));
			break;
		case XVM_REC_X86_PV_VCPU_EXTENDED:
		case XVM_REC_X86_PV_VCPU_XSAVE:
		case XVM_REC_X86_PV_VCPU_MSRS: {
			struct xvm_buf *to = type == XVM_REC_X86_PV_VCPU_EXTENDED ?
			    r.ext : type == XVM_REC_X86_PV_VCPU_XSAVE ? r.xsave :
			    r.msrs;

			if (b.len < 8 || (v = xvm_get_le32(d)) >= r.nvcpus ||
			    to[v].len != 0) {
				rerr(&r, "%s: not a vcpu of the domain",
				    xvm_sf_rec_name(type));
				goto out;
			}
			xvm_buf_add(&to[v], d + 8, b.len - 8);
			break;
		}
		case XVM_REC_X86_CPUID_POLICY:
			xvm_buf_reset(&r.cpuid);
			xvm_buf_add(&r.cpuid, d, b.len);
			break;
		case XVM_REC_X86_MSR_POLICY:
			xvm_buf_reset(&r.msr_policy);
			xvm_buf_add(&r.msr_policy, d, b.len);
			break;
		case XVM_REC_STATIC_DATA_END:
			/* the saving host's CPU policy, as libxc sets it */
			if ((r.cpuid.len || r.msr_policy.len) &&
			    xvm_xc_set_cpu_policy(io, domid, r.cpuid.data,
			    (uint32_t)(r.cpuid.len / 24), r.msr_policy.data,
			    (uint32_t)(r.msr_policy.len / 16), err) < 0)
				goto out;
			break;
		default:
			/* empty vcpu/policy records and optional ones; what
			   else there is xvm_sf_check refused already */
			if (b.len != 0 && !(type & (uint32_t)XVM_REC_OPTIONAL)) {
				rerr(&r, "a record of type %#" PRIx32 " that xvm "
				    "cannot restore", type);
				goto out;
			}
			break;
		}
	}
	if (r.p2m == NULL) {
		rerr(&r, "no X86_PV_P2M_FRAMES record");
		goto out;
	}
	ret = finish(&r, o);
out:
	for (v = 0; r.vcpus && v < r.nvcpus; v++) {
		free(r.vcpus[v]);
		xvm_buf_release(&r.ext[v]);
		xvm_buf_release(&r.xsave[v]);
		xvm_buf_release(&r.msrs[v]);
	}
	free(r.vcpus);
	free(r.ext);
	free(r.xsave);
	free(r.msrs);
	xvm_buf_release(&r.cpuid);
	xvm_buf_release(&r.msr_policy);
	free(r.p2m);
	free(r.types);
	free(r.frame_pfns);
	free(r.shinfo);
	xvm_buf_release(&b);
	return ret;
}

/*
 * sim_pv.c - what building and running a PV domain asks of the simulated
 * Xen: event channels, grant tables, the MMU extended ops that pin a
 * page-table tree (with Xen's checks of the tree), the hypercall page,
 * saved vcpu contexts, and mapping a domain's frames into this process.
 *
 * Xen 4.17 facts followed (xen/common/event_channel.c, grant_table.c,
 * xen/arch/x86/mm.c, pv/hypercall.c, domctl.c; read for the facts):
 * - Event channels (2-level ABI): port 0 is reserved, a new port is the
 *   lowest free one up to min(max_evtchn_port, 4095) (-ENOSPC past it);
 *   alloc_unbound needs both domains (-ESRCH); bind_interdomain needs the
 *   remote port unbound for the caller (-EINVAL); closing one end of an
 *   interdomain channel leaves the other unbound for the closer; a dying
 *   domain closes all of its ports.
 * - Grant tables (v1): setup_table grows the table to nr_frames frames
 *   (GNTST_general_error past max_grant_frames) and returns their
 *   machine frames for a PV domain; query_size reports the sizes.
 * - Pinning an L4 table type-checks the whole tree: every table page and
 *   every page an entry names must belong to the domain, a page is a
 *   table of one level only, no page of the tree may be mapped writable
 *   by an L1 entry, no superpages (PSE) in L3/L2 entries, and the L4
 *   slots Xen keeps for itself (256-271) are not the guest's.  A failed
 *   pin is -EINVAL.
 * - The hypercall page of a 64-bit PV kernel: every 32-byte slot i is
 *   "push %rcx; push %r11; mov $i,%eax; syscall; pop %r11; pop %rcx;
 *   ret", except iret's (23) which pushes %rax too and does not return;
 *   the rest of the page is int3 (0xcc).
 * - setvcpucontext needs an existing vcpu (-EINVAL); a NULL context
 *   resets it; a 64-bit PV context's CR3 must name a page of the domain
 *   that is, or validates as, an L4 table (-EINVAL).
 */
#define __XEN_TOOLS__ 1

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <xen/xen.h>
#include <xen/domctl.h>
#include <xen/event_channel.h>
#include <xen/grant_table.h>

#include "xen/io/sim_int.h"

#define EVTCHN_2L_MAX	4095u		/* 64-bit guests, 2-level ABI */
#define PTE_P		0x001ull
#define PTE_RW		0x002ull
#define PTE_PSE		0x080ull
#define PTE_MFN(e)	(((e) >> 12) & ((1ull << 40) - 1))
#define XEN_L4_FIRST	256u
#define XEN_L4_LAST	271u
#define CTX_PAGES	((sizeof(vcpu_guest_context_t) + XVM_PAGE_SIZE - 1) / \
			    XVM_PAGE_SIZE)

static uint32_t
who(uint32_t domid)
{
	return domid == DOMID_SELF ? 0 : domid;	/* the caller is dom0 */
}

/* ---- event channels ------------------------------------------------------ */

static struct sim_port *
port_find(struct sim_dom *d, uint32_t port)
{
	uint32_t i;

	for (i = 0; i < d->nports; i++)
		if (d->ports[i].port == port)
			return &d->ports[i];
	return NULL;
}

/* The lowest free port of d, or 0 when none is left. */
static uint32_t
port_free(const struct sim_dom *d)
{
	uint32_t max = d->max_evtchn_port < EVTCHN_2L_MAX ?
	    d->max_evtchn_port : EVTCHN_2L_MAX, p = 1, i;

	/* ports are sorted: the first gap */
	for (i = 0; i < d->nports && d->ports[i].port == p; i++)
		p++;
	return p <= max ? p : 0;
}

static struct sim_port *
port_add(struct sim_dom *d, uint32_t port)
{
	uint32_t i = 0;

	while (i < d->nports && d->ports[i].port < port)
		i++;
	d->ports = xvm_realloc(d->ports, (d->nports + 1) * sizeof(*d->ports));
	memmove(&d->ports[i + 1], &d->ports[i],
	    (d->nports - i) * sizeof(*d->ports));
	d->nports++;
	memset(&d->ports[i], 0, sizeof(d->ports[i]));
	d->ports[i].port = port;
	return &d->ports[i];
}

static void
port_del(struct sim_dom *d, uint32_t port)
{
	uint32_t i;

	for (i = 0; i < d->nports; i++)
		if (d->ports[i].port == port) {
			memmove(&d->ports[i], &d->ports[i + 1],
			    (d->nports - i - 1) * sizeof(*d->ports));
			d->nports--;
			return;
		}
}

/* Close port of d; an interdomain peer is left unbound for d. */
static void
port_close(struct sim *s, struct sim_dom *d, uint32_t port)
{
	struct sim_port *p = port_find(d, port), *q;
	struct sim_dom *peer;

	if (p == NULL)
		return;
	if (p->state == SIM_EVTCHN_INTERDOMAIN &&
	    (peer = sim_dom_mut(&s->host, p->remote_dom)) != NULL &&
	    (q = port_find(peer, p->remote_port)) != NULL &&
	    q->state == SIM_EVTCHN_INTERDOMAIN) {
		q->state = SIM_EVTCHN_UNBOUND;
		q->remote_dom = d->domid;
		q->remote_port = 0;
	}
	port_del(d, port);
}

void
sim_evtchn_close_all(struct sim *s, struct sim_dom *d)
{
	while (d->nports > 0)
		port_close(s, d, d->ports[d->nports - 1].port);
}

long
sim_evtchn_op(struct sim *s, unsigned cmd, void *arg, bool *dirty)
{
	struct sim_host *h = &s->host;
	struct sim_dom *d, *r;
	struct sim_port *p, *q;
	uint32_t port;

	if (arg == NULL)
		return -EFAULT;
	switch (cmd) {
	case EVTCHNOP_alloc_unbound: {
		struct evtchn_alloc_unbound *a = arg;

		if (sim_dom_find(h, who(a->remote_dom)) == NULL)
			return -ESRCH;
		d = sim_dom_mut(h, who(a->dom));
		if (d == NULL)
			return -ESRCH;
		if ((port = port_free(d)) == 0)
			return -ENOSPC;
		p = port_add(d, port);
		p->state = SIM_EVTCHN_UNBOUND;
		p->remote_dom = (uint16_t)who(a->remote_dom);
		a->port = port;
		*dirty = true;
		return 0;
	}
	case EVTCHNOP_bind_interdomain: {
		struct evtchn_bind_interdomain *b = arg;

		r = sim_dom_mut(h, who(b->remote_dom));
		d = sim_dom_mut(h, 0);
		if (r == NULL || d == NULL)
			return -ESRCH;
		q = port_find(r, b->remote_port);
		if (q == NULL || q->state != SIM_EVTCHN_UNBOUND ||
		    q->remote_dom != 0)
			return -EINVAL;
		if ((port = port_free(d)) == 0)
			return -ENOSPC;
		p = port_add(d, port);
		q = port_find(r, b->remote_port);	/* r may be d */
		p->state = q->state = SIM_EVTCHN_INTERDOMAIN;
		p->remote_dom = r->domid;
		p->remote_port = q->port;
		q->remote_dom = 0;
		q->remote_port = port;
		b->local_port = port;
		*dirty = true;
		return 0;
	}
	case EVTCHNOP_close: {
		struct evtchn_close *c = arg;

		d = sim_dom_mut(h, 0);
		if (d == NULL || c->port == 0 || port_find(d, c->port) == NULL)
			return -EINVAL;
		port_close(s, d, c->port);
		*dirty = true;
		return 0;
	}
	case EVTCHNOP_send: {
		struct evtchn_send *sn = arg;
		const struct sim_dom *cd = sim_dom_find(h, 0);
		const struct sim_port *cp = NULL;
		uint32_t i, rdom, rport;

		for (i = 0; cd && i < cd->nports; i++)
			if (cd->ports[i].port == sn->port)
				cp = &cd->ports[i];
		if (cp == NULL || cp->state == SIM_EVTCHN_UNBOUND)
			return -EINVAL;		/* not bound: nowhere to go */
		rdom = cp->remote_dom;
		rport = cp->remote_port;
		/* the guest at the other end takes the event */
		sim_guest_event(s, rdom, rport);
		return 0;
	}
	case EVTCHNOP_status: {
		struct evtchn_status *st = arg;
		const struct sim_dom *cd = sim_dom_find(h, who(st->dom));
		const struct sim_port *cp = NULL;
		uint32_t i;

		if (cd == NULL)
			return -ESRCH;
		if (st->port > EVTCHN_2L_MAX)
			return -EINVAL;
		for (i = 0; i < cd->nports; i++)
			if (cd->ports[i].port == st->port)
				cp = &cd->ports[i];
		st->vcpu = 0;
		if (cp == NULL) {
			st->status = EVTCHNSTAT_closed;
		} else if (cp->state == SIM_EVTCHN_UNBOUND) {
			st->status = EVTCHNSTAT_unbound;
			st->u.unbound.dom = cp->remote_dom;
		} else {
			st->status = EVTCHNSTAT_interdomain;
			st->u.interdomain.dom = cp->remote_dom;
			st->u.interdomain.port = cp->remote_port;
		}
		return 0;
	}
	default:
		return -ENOSYS;
	}
}

/* ---- grant tables -------------------------------------------------------- */

long
sim_gnttab_op(struct sim *s, unsigned cmd, void *arg, unsigned count,
    bool *dirty)
{
	struct sim_host *h = &s->host;
	struct sim_dom *d;
	uint64_t mfn;
	unsigned i, f;

	if (arg == NULL)
		return -EFAULT;
	for (i = 0; i < count; i++) {
		switch (cmd) {
		case GNTTABOP_setup_table: {
			struct gnttab_setup_table *t =
			    (struct gnttab_setup_table *)arg + i;

			t->status = GNTST_okay;
			d = sim_dom_mut(h, who(t->dom));
			if (d == NULL) {
				t->status = GNTST_bad_domain;
				break;
			}
			if (t->nr_frames > (uint32_t)d->max_grant_frames) {
				t->status = GNTST_general_error;
				break;
			}
			for (f = 0; f < t->nr_frames; f++) {
				mfn = sim_mem_special(d, SIM_MEM_GRANT, f);
				if (mfn == 0) {
					if (sim_mem_alloc(h, d, SIM_MEM_GRANT,
					    f, 1, 1, &mfn) < 0) {
						t->status =
						    GNTST_general_error;
						break;
					}
					sim_mem_zero(s, mfn, 1);
					*dirty = true;
				}
				if (t->frame_list.p == NULL)
					return -EFAULT;
				t->frame_list.p[f] = mfn;
			}
			break;
		}
		case GNTTABOP_query_size: {
			struct gnttab_query_size *q =
			    (struct gnttab_query_size *)arg + i;
			const struct sim_dom *cd = sim_dom_find(h, who(q->dom));

			if (cd == NULL) {
				q->status = GNTST_bad_domain;
				break;
			}
			q->nr_frames = 0;
			while (sim_mem_special(cd, SIM_MEM_GRANT, q->nr_frames))
				q->nr_frames++;
			q->max_nr_frames = (uint32_t)cd->max_grant_frames;
			q->status = GNTST_okay;
			break;
		}
		default:
			return -ENOSYS;
		}
	}
	return 0;
}

/* ---- page tables --------------------------------------------------------- */

/* The level each page of a tree was found at (a small map). */
struct pt_seen {
	uint64_t *mfn;
	uint8_t *level;
	size_t n, c;
};

static int
seen_level(const struct pt_seen *v, uint64_t mfn)
{
	size_t i;

	for (i = 0; i < v->n; i++)
		if (v->mfn[i] == mfn)
			return v->level[i];
	return 0;
}

static void
seen_add(struct pt_seen *v, uint64_t mfn, int level)
{
	if (v->n == v->c) {
		v->c = v->c ? v->c * 2 : 16;
		v->mfn = xvm_realloc(v->mfn, v->c * sizeof(*v->mfn));
		v->level = xvm_realloc(v->level, v->c);
	}
	v->mfn[v->n] = mfn;
	v->level[v->n++] = (uint8_t)level;
}

static bool
owned(const struct sim_host *h, uint64_t mfn, uint16_t domid)
{
	const struct sim_m2p *m = sim_m2p_find(h, mfn);

	return m != NULL && m->domid == domid;
}

/* Walk the table at mfn (level 4..1), recording tables; false if bad. */
static bool
pt_walk(struct sim *s, uint16_t domid, uint64_t mfn, int level,
    struct pt_seen *v, uint64_t **leaf, size_t *nleaf)
{
	uint64_t e[512], t;
	unsigned i;
	int lv;

	if (!owned(&s->host, mfn, domid))
		return false;
	lv = seen_level(v, mfn);
	if (lv != 0)
		return lv == level;	/* shared at one level is fine */
	seen_add(v, mfn, level);
	if (v->n > 100000)
		return false;		/* no guest needs that many */
	if (sim_mem_read(s, mfn * XVM_PAGE_SIZE, e, sizeof(e), NULL) < 0)
		return false;
	for (i = 0; i < 512; i++) {
		if (!(e[i] & PTE_P))
			continue;
		if (level == 4 && i >= XEN_L4_FIRST && i <= XEN_L4_LAST)
			continue;	/* Xen's own slots */
		t = PTE_MFN(e[i]);
		if (level == 1) {
			if (!owned(&s->host, t, domid))
				return false;
			if (e[i] & PTE_RW) {
				*leaf = xvm_realloc(*leaf, (*nleaf + 1) *
				    sizeof(**leaf));
				(*leaf)[(*nleaf)++] = t;
			}
			continue;
		}
		if ((level == 3 || level == 2) && (e[i] & PTE_PSE))
			return false;
		if (!pt_walk(s, domid, t, level - 1, v, leaf, nleaf))
			return false;
	}
	return true;
}

/* The table pages and the writably mapped pages of the tree at l4. */
struct pt_tree {
	struct pt_seen tables;
	uint64_t *rw;
	size_t nrw;
};

static void
tree_free(struct pt_tree *t)
{
	free(t->tables.mfn);
	free(t->tables.level);
	free(t->rw);
}

static bool
in_list(const uint64_t *v, size_t n, uint64_t mfn)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (v[i] == mfn)
			return true;
	return false;
}

/*
 * Would Xen give the tree at l4 its page-table types?  Besides the tree's
 * own rules (pt_walk), a page cannot be a table while the domain's pinned
 * tree maps it writable, nor mapped writable while that tree uses it as
 * a table (Xen's type counts, for the two trees a PV build has).
 */
int
sim_pt_check(struct sim *s, uint16_t domid, uint64_t l4)
{
	const struct sim_dom *d = sim_dom_find(&s->host, domid);
	struct pt_tree t = { { NULL, NULL, 0, 0 }, NULL, 0 };
	struct pt_tree o = { { NULL, NULL, 0, 0 }, NULL, 0 };
	bool ok;
	size_t i;

	ok = pt_walk(s, domid, l4, 4, &t.tables, &t.rw, &t.nrw);
	for (i = 0; ok && i < t.nrw; i++)
		if (seen_level(&t.tables, t.rw[i]) != 0)
			ok = false;
	if (ok && d != NULL && d->pinned_l4 != 0 && d->pinned_l4 != l4 &&
	    pt_walk(s, domid, d->pinned_l4, 4, &o.tables, &o.rw, &o.nrw)) {
		for (i = 0; ok && i < t.tables.n; i++)
			if (in_list(o.rw, o.nrw, t.tables.mfn[i]))
				ok = false;
		for (i = 0; ok && i < t.nrw; i++)
			if (seen_level(&o.tables, t.rw[i]) != 0)
				ok = false;
	}
	tree_free(&t);
	tree_free(&o);
	return ok ? 0 : -EINVAL;
}

/*
 * XEN_DOMCTL_getpageframeinfo3: each mfn of arr replaced by its type: the
 * level at which the pinned tree uses it as a table (L1TAB..L4TAB, with
 * LPINTAB for the pinned L4 itself), NOTAB for other pages of the domain,
 * XTAB for a frame it does not own.
 */
long
sim_pageframe_types(struct sim *s, const struct sim_dom *d, uint64_t *arr,
    uint64_t num)
{
	struct pt_tree t = { { NULL, NULL, 0, 0 }, NULL, 0 };
	uint64_t i;

	if (num > 1024)
		return -E2BIG;
	if (num > 0 && arr == NULL)
		return -EFAULT;
	if (d->pinned_l4 != 0)
		(void)pt_walk(s, d->domid, d->pinned_l4, 4, &t.tables, &t.rw,
		    &t.nrw);
	for (i = 0; i < num; i++) {
		uint64_t mfn = arr[i], type;
		int lv;

		if (!owned(&s->host, mfn, d->domid)) {
			arr[i] = XEN_DOMCTL_PFINFO_XTAB;
			continue;
		}
		lv = seen_level(&t.tables, mfn);
		type = lv ? (uint64_t)lv << XEN_DOMCTL_PFINFO_LTAB_SHIFT :
		    XEN_DOMCTL_PFINFO_NOTAB;
		if (mfn == d->pinned_l4)
			type |= XEN_DOMCTL_PFINFO_LPINTAB;
		arr[i] = type;
	}
	tree_free(&t);
	return 0;
}

long
sim_mmuext_op(struct sim *s, struct mmuext_op *ops, unsigned count,
    unsigned *done, uint32_t foreigndom, bool *dirty)
{
	struct sim_dom *d;
	unsigned i;
	long r = 0;

	if (ops == NULL)
		return -EFAULT;
	d = sim_dom_mut(&s->host, who(foreigndom));
	if (d == NULL)
		return -ESRCH;
	for (i = 0; i < count && r == 0; i++) {
		switch (ops[i].cmd) {
		case MMUEXT_PIN_L4_TABLE:
			if (d->pinned_l4 == ops[i].arg1.mfn) {
				r = -EINVAL;	/* pinned already */
				break;
			}
			r = sim_pt_check(s, d->domid, ops[i].arg1.mfn);
			if (r == 0) {
				d->pinned_l4 = ops[i].arg1.mfn;
				*dirty = true;
			}
			break;
		case MMUEXT_UNPIN_TABLE:
			if (d->pinned_l4 != ops[i].arg1.mfn) {
				r = -EINVAL;
				break;
			}
			d->pinned_l4 = 0;
			*dirty = true;
			break;
		default:
			r = -ENOSYS;
			break;
		}
		if (r == 0 && done != NULL)
			*done = i + 1;
	}
	return r;
}

/* ---- the hypercall page, vcpu contexts ------------------------------------ */

long
sim_hypercall_init(struct sim *s, struct sim_dom *d, uint64_t gmfn)
{
	unsigned char page[XVM_PAGE_SIZE], *p;
	uint32_t i;
	int64_t t;

	if (!sim_dom_pv(d)) {
		t = sim_mem_pfn_to_mfn(d, gmfn);
		if (t < 0)
			return -EACCES;
		gmfn = (uint64_t)t;
	}
	if (!owned(&s->host, gmfn, d->domid) ||
	    sim_m2p_find(&s->host, gmfn) == NULL)
		return -EACCES;
	memset(page, 0xcc, sizeof(page));
	for (i = 0; i < XVM_PAGE_SIZE / 32; i++) {
		p = page + i * 32;
		p[0] = 0x51;				/* push %rcx */
		p[1] = 0x41;				/* push %r11 */
		p[2] = 0x53;
		if (i == __HYPERVISOR_iret) {
			p[3] = 0x50;			/* push %rax */
			p[4] = 0xb8;			/* mov $i,%eax */
			memcpy(p + 5, &i, 4);
			p[9] = 0x0f;			/* syscall */
			p[10] = 0x05;
			continue;
		}
		p[3] = 0xb8;				/* mov $i,%eax */
		memcpy(p + 4, &i, 4);
		p[8] = 0x0f;				/* syscall */
		p[9] = 0x05;
		p[10] = 0x41;				/* pop %r11 */
		p[11] = 0x5b;
		p[12] = 0x59;				/* pop %rcx */
		p[13] = 0xc3;				/* ret */
	}
	if (sim_mem_write(s, gmfn * XVM_PAGE_SIZE, page, sizeof(page),
	    &s->last_err) < 0)
		return -EIO;
	return 0;
}

long
sim_vcpucontext(struct sim *s, struct sim_dom *d,
    struct xen_domctl_vcpucontext *vc, bool set, bool *dirty)
{
	vcpu_guest_context_t ctx;
	uint64_t mfn, cr3;

	if (vc->vcpu >= d->max_vcpus || !(d->state & SIM_VCPUS) ||
	    d->domid == 0)
		return -EINVAL;
	mfn = sim_mem_special(d, SIM_MEM_VCPU, vc->vcpu);
	if (!set) {
		if (vc->ctxt.p == NULL)
			return -EFAULT;
		memset(&ctx, 0, sizeof(ctx));
		if (mfn != 0 && sim_mem_read(s, mfn * XVM_PAGE_SIZE, &ctx,
		    sizeof(ctx), &s->last_err) < 0)
			return -EIO;
		memcpy(vc->ctxt.p, &ctx, sizeof(ctx));
		return 0;
	}
	if (vc->ctxt.p == NULL) {		/* reset the vcpu */
		if (mfn != 0) {
			(void)sim_mem_free(&s->host, d, mfn, CTX_PAGES);
			sim_mem_zero(s, mfn, CTX_PAGES);
			*dirty = true;
		}
		return 0;
	}
	memcpy(&ctx, vc->ctxt.p, sizeof(ctx));
	if (sim_dom_pv(d)) {
		cr3 = ctx.ctrlreg[3] >> 12;	/* xen_cr3_to_pfn, 64-bit */
		if (cr3 == 0 || (cr3 != d->pinned_l4 &&
		    sim_pt_check(s, d->domid, cr3) < 0))
			return -EINVAL;
	}
	if (mfn == 0) {
		if (sim_mem_alloc(&s->host, d, SIM_MEM_VCPU, vc->vcpu,
		    CTX_PAGES, 1, &mfn) < 0)
			return -ENOMEM;
		*dirty = true;
	}
	if (sim_mem_write(s, mfn * XVM_PAGE_SIZE, &ctx, sizeof(ctx),
	    &s->last_err) < 0)
		return -EIO;
	/*
	 * As Xen's arch_set_info_guest: VGCF_online brings the vcpu up, so
	 * a domain built paused already has its boot vcpu online (xl list
	 * counts it).  The others come up when the guest first runs.
	 */
	if ((ctx.flags & VGCF_online) && vc->vcpu == 0 &&
	    d->online_vcpus == 0 && !(d->state & SIM_CREATED)) {
		d->online_vcpus = 1;
		*dirty = true;
	}
	return 0;
}

/* ---- mapping a domain's frames --------------------------------------------- */

void *
sim_map(struct sim *s, uint16_t domid, int prot, const uint64_t *gfns,
    int *errs, size_t n, struct xvm_err *err)
{
	const struct sim_dom *d = sim_dom_find(&s->host, who(domid));
	unsigned char *base;
	size_t i, j, ok = 0;
	uint64_t *mfn;
	int64_t t;

	if (d == NULL) {
		for (i = 0; errs && i < n; i++)
			errs[i] = -ESRCH;
		xvm_err_set(err, XVM_ERR_NO_DOMAIN, "domain %u does not "
		    "exist", domid);
		return NULL;
	}
	if (n == 0 || n > SIZE_MAX / XVM_PAGE_SIZE) {
		xvm_err_set(err, XVM_ERR_INVALID_ARG, "cannot map %zu frames",
		    n);
		return NULL;
	}
	base = mmap(NULL, n * XVM_PAGE_SIZE, PROT_NONE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (base == MAP_FAILED) {
		xvm_err_sys(err, errno, "cannot map %zu frames of domain %u",
		    n, domid);
		return NULL;
	}
	mfn = xvm_calloc(n, sizeof(*mfn));
	for (i = 0; i < n; i++) {
		mfn[i] = gfns[i];
		if (!sim_dom_pv(d)) {
			t = sim_mem_pfn_to_mfn(d, gfns[i]);
			mfn[i] = t < 0 ? 0 : (uint64_t)t;
		}
		if (errs)
			errs[i] = owned(&s->host, mfn[i], d->domid) ? 0 :
			    -EINVAL;
		if (!owned(&s->host, mfn[i], d->domid))
			mfn[i] = 0;
	}
	/* consecutive frames in one mapping each */
	for (i = 0; i < n; i = j) {
		for (j = i + 1; j < n && mfn[i] != 0 &&
		    mfn[j] == mfn[j - 1] + 1; j++)
			;
		if (mfn[i] == 0)
			continue;
		if (sim_mem_cover(s, mfn[j - 1] + 1, err) < 0 || mmap(base + i * XVM_PAGE_SIZE, (j - i) * XVM_PAGE_SIZE,
		    prot, MAP_SHARED | MAP_FIXED, s->memfd,
		    (off_t)(mfn[i] * XVM_PAGE_SIZE)) == MAP_FAILED) {
			for (; i < j; i++)
				if (errs)
					errs[i] = -errno;
			continue;
		}
		ok += j - i;
	}
	free(mfn);
	if (ok == 0) {
		munmap(base, n * XVM_PAGE_SIZE);
		xvm_err_set(err, XVM_ERR_INVALID_ARG, "none of the %zu frames "
		    "belongs to domain %u", n, domid);
		return NULL;
	}
	return base;
}

/*
 * xc_pv.c - the typed calls a PV domain build makes: memory by frame
 * lists, foreign mappings, event channels, the grant table's first frame,
 * pinning the page tables, the hypercall page, vcpu contexts.  Every
 * structure Xen reads or writes lies in a hypercall buffer.
 */
#define __XEN_TOOLS__ 1

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <xen/xen.h>
#include <xen/domctl.h>
#include <xen/event_channel.h>
#include <xen/grant_table.h>
#include <xen/memory.h>

#include "xen/xc.h"
#include "xen/xc_int.h"

static int
fail(struct xvm_err *err, long r, const char *what, uint32_t domid)
{
	return xc_dom_fail(err, r, what, domid);
}

static int
nobuf(struct xvm_err *err)
{
	return xvm_err_sys(err, errno ? errno : ENOMEM,
	    "cannot allocate a hypercall buffer");
}

int
xvm_xc_populate_frames(struct xvm_io *io, uint32_t domid, unsigned order,
    uint64_t *frames, size_t n, size_t *done_r, struct xvm_err *err)
{
	enum { BATCH = 65536 };
	struct xen_memory_reservation *res = xvm_io_buf_alloc(io,
	    sizeof(*res));
	xen_pfn_t *buf = xvm_io_buf_alloc(io, BATCH * sizeof(*buf));
	size_t done = 0, k, i;
	long r;
	int ret = -1;

	*done_r = 0;
	if (!res || !buf) {
		nobuf(err);
		goto out;
	}
	while (done < n) {
		k = n - done < BATCH ? n - done : BATCH;
		for (i = 0; i < k; i++)
			buf[i] = frames[done + i];
		memset(res, 0, sizeof(*res));
		set_xen_guest_handle(res->extent_start, buf);
		res->nr_extents = k;
		res->extent_order = order;
		res->domid = (domid_t)domid;
		r = xvm_io_hypercall(io, __HYPERVISOR_memory_op,
		    XENMEM_populate_physmap, (uintptr_t)res, 0, 0, 0);
		if (r < 0) {
			fail(err, r, "allocate memory for", domid);
			goto out;
		}
		for (i = 0; i < (size_t)r; i++)
			frames[done + i] = buf[i];
		done += (size_t)r;
		if ((size_t)r < k)
			break;		/* the caller decides what short means */
	}
	ret = 0;
out:
	*done_r = done;
	xvm_io_buf_free(io, res, sizeof(*res));
	xvm_io_buf_free(io, buf, BATCH * sizeof(*buf));
	return ret;
}

void *
xvm_xc_map(struct xvm_io *io, uint32_t domid, int prot, const uint64_t *mfns,
    size_t n, struct xvm_err *err)
{
	int *errs = xvm_calloc(n ? n : 1, sizeof(*errs));
	void *p;
	size_t i;

	p = xvm_io_map_foreign(io, (uint16_t)domid, prot, mfns, errs, n, err);
	for (i = 0; p != NULL && i < n; i++)
		if (errs[i] != 0) {
			xvm_err_set(err, XVM_ERR_SYSTEM, "cannot map frame "
			    "%llu of domain %u: %s", (unsigned long long)mfns[i],
			    domid, strerror(-errs[i]));
			xvm_io_unmap_foreign(io, p, n);
			p = NULL;
		}
	free(errs);
	return p;
}

int
xvm_xc_set_address_size(struct xvm_io *io, uint32_t domid, unsigned bits,
    struct xvm_err *err)
{
	struct xen_domctl dc;
	long r;

	memset(&dc, 0, sizeof(dc));
	dc.u.address_size.size = bits;
	r = xc_domctl(io, XEN_DOMCTL_set_address_size, domid, NULL, &dc);
	return r < 0 ? fail(err, r, "set the address size of", domid) : 0;
}

int
xvm_xc_shared_info_frame(struct xvm_io *io, uint32_t domid, uint64_t *mfn_r,
    struct xvm_err *err)
{
	struct xen_domctl dc;
	long r;

	r = xc_domctl(io, XEN_DOMCTL_getdomaininfo, domid, &dc, NULL);
	if (r < 0 || dc.domain != domid)
		return fail(err, r < 0 ? r : -ESRCH, "look up", domid);
	*mfn_r = dc.u.getdomaininfo.shared_info_frame;
	return 0;
}

int
xvm_xc_hypercall_init(struct xvm_io *io, uint32_t domid, uint64_t mfn,
    struct xvm_err *err)
{
	struct xen_domctl dc;
	long r;

	memset(&dc, 0, sizeof(dc));
	dc.u.hypercall_init.gmfn = mfn;
	r = xc_domctl(io, XEN_DOMCTL_hypercall_init, domid, NULL, &dc);
	return r < 0 ? fail(err, r, "set up the hypercall page of", domid) :
	    0;
}

int
xvm_xc_vcpu_setcontext(struct xvm_io *io, uint32_t domid, uint32_t vcpu,
    const void *ctx, size_t len, struct xvm_err *err)
{
	void *b = xvm_io_buf_alloc(io, len);
	struct xen_domctl dc;
	long r;

	if (!b)
		return nobuf(err);
	memcpy(b, ctx, len);
	memset(&dc, 0, sizeof(dc));
	dc.u.vcpucontext.vcpu = vcpu;
	set_xen_guest_handle(dc.u.vcpucontext.ctxt, b);
	r = xc_domctl(io, XEN_DOMCTL_setvcpucontext, domid, NULL, &dc);
	xvm_io_buf_free(io, b, len);
	return r < 0 ? fail(err, r, "set the vcpu context of", domid) : 0;
}

int
xvm_xc_evtchn_alloc_unbound(struct xvm_io *io, uint32_t domid,
    uint32_t remote, uint32_t *port_r, struct xvm_err *err)
{
	struct evtchn_alloc_unbound *a = xvm_io_buf_alloc(io, sizeof(*a));
	long r;

	if (!a)
		return nobuf(err);
	a->dom = (domid_t)domid;
	a->remote_dom = (domid_t)remote;
	r = xvm_io_hypercall(io, __HYPERVISOR_event_channel_op,
	    EVTCHNOP_alloc_unbound, (uintptr_t)a, 0, 0, 0);
	*port_r = a->port;
	xvm_io_buf_free(io, a, sizeof(*a));
	return r < 0 ? fail(err, r, "allocate an event channel for", domid) :
	    0;
}

int
xvm_xc_gnttab_frame0(struct xvm_io *io, uint32_t domid, uint64_t *mfn_r,
    struct xvm_err *err)
{
	struct gnttab_setup_table *t = xvm_io_buf_alloc(io, sizeof(*t) +
	    sizeof(xen_pfn_t));
	xen_pfn_t *frame;
	long r;
	int ret = 0;

	if (!t)
		return nobuf(err);
	frame = (xen_pfn_t *)(t + 1);
	t->dom = (domid_t)domid;
	t->nr_frames = 1;
	set_xen_guest_handle(t->frame_list, frame);
	r = xvm_io_hypercall(io, __HYPERVISOR_grant_table_op,
	    GNTTABOP_setup_table, (uintptr_t)t, 1, 0, 0);
	if (r < 0)
		ret = fail(err, r, "set up the grant table of", domid);
	else if (t->status != GNTST_okay)
		ret = fail(err, -EINVAL, "set up the grant table of", domid);
	else
		*mfn_r = *frame;
	xvm_io_buf_free(io, t, sizeof(*t) + sizeof(xen_pfn_t));
	return ret;
}

int
xvm_xc_pin_l4(struct xvm_io *io, uint32_t domid, uint64_t mfn,
    struct xvm_err *err)
{
	return xvm_xc_pin_table(io, domid, 4, mfn, err);
}

int
xvm_xc_pin_table(struct xvm_io *io, uint32_t domid, unsigned level,
    uint64_t mfn, struct xvm_err *err)
{
	static const unsigned cmds[] = { MMUEXT_PIN_L1_TABLE,
	    MMUEXT_PIN_L2_TABLE, MMUEXT_PIN_L3_TABLE, MMUEXT_PIN_L4_TABLE };
	struct mmuext_op *op;
	long r;

	if (level < 1 || level > 4)
		return xvm_err_set(err, XVM_ERR_INVALID_ARG, "no level %u page "
		    "tables to pin", level);
	if (!(op = xvm_io_buf_alloc(io, sizeof(*op))))
		return nobuf(err);
	memset(op, 0, sizeof(*op));
	op->cmd = cmds[level - 1];
	op->arg1.mfn = mfn;
	r = xvm_io_hypercall(io, __HYPERVISOR_mmuext_op, (uintptr_t)op, 1, 0,
	    domid, 0);
	xvm_io_buf_free(io, op, sizeof(*op));
	return r < 0 ? fail(err, r, "pin the page tables of", domid) : 0;
}

int
xvm_xc_sched_credit(struct xvm_io *io, uint32_t domid, uint32_t sched_id,
    bool set, uint16_t *weight, uint16_t *cap, struct xvm_err *err)
{
	struct xen_domctl dc;
	long r;

	memset(&dc, 0, sizeof(dc));
	dc.u.scheduler_op.sched_id = sched_id;
	dc.u.scheduler_op.cmd = set ? XEN_DOMCTL_SCHEDOP_putinfo :
	    XEN_DOMCTL_SCHEDOP_getinfo;
	dc.u.scheduler_op.u.credit.weight = *weight;
	dc.u.scheduler_op.u.credit.cap = *cap;
	r = xc_domctl(io, XEN_DOMCTL_scheduler_op, domid, &dc, &dc);
	if (r < 0)
		return fail(err, r, set ? "set the credit scheduler's weight "
		    "and cap of" : "read the credit scheduler's weight and cap "
		    "of", domid);
	*weight = dc.u.scheduler_op.u.credit.weight;
	*cap = dc.u.scheduler_op.u.credit.cap;
	return 0;
}

int
xvm_xc_gnttab_seed(struct xvm_io *io, uint32_t domid, uint32_t console_domid,
    uint64_t console_mfn, uint32_t store_domid, uint64_t store_mfn,
    struct xvm_err *err)
{
	grant_entry_v1_t *g;
	uint64_t mfn;

	if (xvm_xc_gnttab_frame0(io, domid, &mfn, err) < 0)
		return -1;
	g = xvm_xc_map(io, domid, PROT_READ | PROT_WRITE, &mfn, 1, err);
	if (g == NULL)
		return -1;
	if (console_domid != domid) {
		g[GNTTAB_RESERVED_CONSOLE].domid = (domid_t)console_domid;
		g[GNTTAB_RESERVED_CONSOLE].frame = (uint32_t)console_mfn;
		g[GNTTAB_RESERVED_CONSOLE].flags = GTF_permit_access;
	}
	if (store_domid != domid) {
		g[GNTTAB_RESERVED_XENSTORE].domid = (domid_t)store_domid;
		g[GNTTAB_RESERVED_XENSTORE].frame = (uint32_t)store_mfn;
		g[GNTTAB_RESERVED_XENSTORE].flags = GTF_permit_access;
	}
	xvm_io_unmap_foreign(io, g, 1);
	return 0;
}

int
xvm_xc_vcpu_getcontext(struct xvm_io *io, uint32_t domid, uint32_t vcpu,
    void *ctx, size_t len, struct xvm_err *err)
{
	void *b = xvm_io_buf_alloc(io, len);
	struct xen_domctl dc;
	long r;

	if (!b)
		return nobuf(err);
	memset(&dc, 0, sizeof(dc));
	dc.u.vcpucontext.vcpu = vcpu;
	set_xen_guest_handle(dc.u.vcpucontext.ctxt, b);
	r = xc_domctl(io, XEN_DOMCTL_getvcpucontext, domid, NULL, &dc);
	if (r == 0)
		memcpy(ctx, b, len);
	xvm_io_buf_free(io, b, len);
	return r < 0 ? fail(err, r, "get the vcpu context of", domid) : 0;
}

int
xvm_xc_pageframe_types(struct xvm_io *io, uint32_t domid, uint64_t *frames,
    size_t n, struct xvm_err *err)
{
	uint64_t *b = xvm_io_buf_alloc(io, n * sizeof(*b));
	struct xen_domctl dc;
	long r;

	if (!b)
		return nobuf(err);
	memcpy(b, frames, n * sizeof(*b));
	memset(&dc, 0, sizeof(dc));
	dc.u.getpageframeinfo3.num = n;
	set_xen_guest_handle(dc.u.getpageframeinfo3.array, b);
	r = xc_domctl(io, XEN_DOMCTL_getpageframeinfo3, domid, NULL, &dc);
	if (r == 0)
		memcpy(frames, b, n * sizeof(*b));
	xvm_io_buf_free(io, b, n * sizeof(*b));
	return r < 0 ? fail(err, r, "get the page types of", domid) : 0;
}

int
xvm_xc_tsc_info(struct xvm_io *io, uint32_t domid, bool set,
    struct xvm_tsc_info *t, struct xvm_err *err)
{
	struct xen_domctl dc, out;
	long r;

	memset(&dc, 0, sizeof(dc));
	if (set) {
		dc.u.tsc_info.tsc_mode = t->mode;
		dc.u.tsc_info.gtsc_khz = t->khz;
		dc.u.tsc_info.incarnation = t->incarnation;
		dc.u.tsc_info.elapsed_nsec = t->nsec;
	}
	r = xc_domctl(io, set ? XEN_DOMCTL_settscinfo : XEN_DOMCTL_gettscinfo,
	    domid, &out, &dc);
	if (r < 0)
		return fail(err, r, set ? "set the TSC of" : "get the TSC of",
		    domid);
	if (!set) {
		t->mode = out.u.tsc_info.tsc_mode;
		t->khz = out.u.tsc_info.gtsc_khz;
		t->incarnation = out.u.tsc_info.incarnation;
		t->nsec = out.u.tsc_info.elapsed_nsec;
	}
	return 0;
}

int
xvm_xc_domain_resume(struct xvm_io *io, uint32_t domid, struct xvm_err *err)
{
	long r = xc_domctl(io, XEN_DOMCTL_resumedomain, domid, NULL, NULL);

	return r < 0 ? fail(err, r, "resume", domid) : 0;
}

int
xvm_xc_vcpu_affinity(struct xvm_io *io, uint32_t domid, uint32_t vcpu,
    bool set, uint8_t *hard, uint8_t *soft, uint32_t nr_cpus,
    struct xvm_err *err)
{
	size_t nbytes = (nr_cpus + 7) / 8;
	uint8_t *bh = xvm_io_buf_alloc(io, nbytes), *bs;
	struct xen_domctl dc;
	long r;

	if (!bh)
		return nobuf(err);
	if ((bs = xvm_io_buf_alloc(io, nbytes)) == NULL) {
		xvm_io_buf_free(io, bh, nbytes);
		return nobuf(err);
	}
	memset(&dc, 0, sizeof(dc));
	dc.u.vcpuaffinity.vcpu = vcpu;
	if (hard) {
		dc.u.vcpuaffinity.flags |= XEN_VCPUAFFINITY_HARD;
		if (set)
			memcpy(bh, hard, nbytes);
	}
	if (soft) {
		dc.u.vcpuaffinity.flags |= XEN_VCPUAFFINITY_SOFT;
		if (set)
			memcpy(bs, soft, nbytes);
	}
	set_xen_guest_handle(dc.u.vcpuaffinity.cpumap_hard.bitmap, bh);
	dc.u.vcpuaffinity.cpumap_hard.nr_bits = nr_cpus;
	set_xen_guest_handle(dc.u.vcpuaffinity.cpumap_soft.bitmap, bs);
	dc.u.vcpuaffinity.cpumap_soft.nr_bits = nr_cpus;
	r = xc_domctl(io, set ? XEN_DOMCTL_setvcpuaffinity :
	    XEN_DOMCTL_getvcpuaffinity, domid, NULL, &dc);
	if (r == 0) {
		if (hard)
			memcpy(hard, bh, nbytes);
		if (soft)
			memcpy(soft, bs, nbytes);
	}
	xvm_io_buf_free(io, bh, nbytes);
	xvm_io_buf_free(io, bs, nbytes);
	return r < 0 ? fail(err, r, set ? "pin the vcpus of" :
	    "get the vcpu affinity of", domid) : 0;
}

int
xvm_xc_vcpu_info(struct xvm_io *io, uint32_t domid, uint32_t vcpu,
    struct xvm_vcpu_info *vi, struct xvm_err *err)
{
	struct xen_domctl in, out;
	long r;

	memset(&in, 0, sizeof(in));
	in.u.getvcpuinfo.vcpu = vcpu;
	r = xc_domctl(io, XEN_DOMCTL_getvcpuinfo, domid, &out, &in);
	if (r < 0)
		return fail(err, r, "get the vcpus of", domid);
	vi->online = out.u.getvcpuinfo.online;
	vi->blocked = out.u.getvcpuinfo.blocked;
	vi->running = out.u.getvcpuinfo.running;
	vi->cpu_time_ns = out.u.getvcpuinfo.cpu_time;
	vi->cpu = out.u.getvcpuinfo.cpu;
	return 0;
}

int
xvm_xc_logdirty(struct xvm_io *io, uint32_t domid, unsigned op,
    uint8_t *bitmap, uint64_t *pages, uint32_t *count, struct xvm_err *err)
{
	size_t nb = pages ? (size_t)((*pages + 7) / 8) : 0;
	uint8_t *b = nb ? xvm_io_buf_alloc(io, nb) : NULL;
	struct xen_domctl dc, out;
	long r;

	if (nb && !b)
		return nobuf(err);
	memset(&dc, 0, sizeof(dc));
	dc.u.shadow_op.op = op;
	if (b) {
		set_xen_guest_handle(dc.u.shadow_op.dirty_bitmap, b);
		dc.u.shadow_op.pages = *pages;
	}
	r = xc_domctl(io, XEN_DOMCTL_shadow_op, domid, &out, &dc);
	if (r == 0) {
		if (b && bitmap)
			memcpy(bitmap, b, nb);
		if (pages)
			*pages = out.u.shadow_op.pages;
		if (count)
			*count = out.u.shadow_op.stats.dirty_count;
	}
	if (b)
		xvm_io_buf_free(io, b, nb);
	return r < 0 ? fail(err, r, "change the log-dirty mode of", domid) :
	    0;
}

/* ---- what a libxc stream carries besides the basic vcpu state ---------- */

int
xvm_xc_set_cpu_policy(struct xvm_io *io, uint32_t domid, const void *leaves,
    uint32_t nr_leaves, const void *msrs, uint32_t nr_msrs,
    struct xvm_err *err)
{
	size_t ll = (size_t)nr_leaves * sizeof(xen_cpuid_leaf_t);
	size_t ml = (size_t)nr_msrs * sizeof(xen_msr_entry_t);
	void *lb = ll ? xvm_io_buf_alloc(io, ll) : NULL;
	void *mb = ml ? xvm_io_buf_alloc(io, ml) : NULL;
	struct xen_domctl dc, out;
	long r;

	if ((ll && !lb) || (ml && !mb)) {
		xvm_io_buf_free(io, lb, ll);
		xvm_io_buf_free(io, mb, ml);
		return nobuf(err);
	}
	if (ll)
		memcpy(lb, leaves, ll);
	if (ml)
		memcpy(mb, msrs, ml);
	memset(&dc, 0, sizeof(dc));
	dc.u.cpu_policy.nr_leaves = nr_leaves;
	dc.u.cpu_policy.nr_msrs = nr_msrs;
	set_xen_guest_handle(dc.u.cpu_policy.leaves, lb);
	set_xen_guest_handle(dc.u.cpu_policy.msrs, mb);
	r = xc_domctl(io, XEN_DOMCTL_set_cpu_policy, domid, &out, &dc);
	xvm_io_buf_free(io, lb, ll);
	xvm_io_buf_free(io, mb, ml);
	if (r < 0) {
		fail(err, r, "set the CPU policy of", domid);
		if (r == -EINVAL && err)
			snprintf(err->msg + strlen(err->msg), sizeof(err->msg) -
			    strlen(err->msg), " (Xen objects to CPUID leaf "
			    "%#x/%#x, MSR %#x: the saving host's CPU has "
			    "features this one lacks)", out.u.cpu_policy.err_leaf,
			    out.u.cpu_policy.err_subleaf,
			    out.u.cpu_policy.err_msr);
		return -1;
	}
	return 0;
}

int
xvm_xc_vcpu_ext_context(struct xvm_io *io, uint32_t domid, uint32_t vcpu,
    const void *ctx, size_t len, struct xvm_err *err)
{
	struct xen_domctl dc;
	long r;

	if (len > sizeof(dc.u.ext_vcpucontext))
		return xvm_err_set(err, XVM_ERR_INVALID_ARG, "an extended vcpu "
		    "context of %zu bytes", len);
	memset(&dc, 0, sizeof(dc));
	memcpy(&dc.u.ext_vcpucontext, ctx, len);
	dc.u.ext_vcpucontext.vcpu = vcpu;
	r = xc_domctl(io, XEN_DOMCTL_set_ext_vcpucontext, domid, NULL, &dc);
	return r < 0 ? fail(err, r, "set the extended vcpu state of", domid) :
	    0;
}

int
xvm_xc_vcpu_xsave(struct xvm_io *io, uint32_t domid, uint32_t vcpu,
    const void *area, size_t len, struct xvm_err *err)
{
	void *b = xvm_io_buf_alloc(io, len ? len : 1);
	struct xen_domctl dc;
	long r;

	if (!b)
		return nobuf(err);
	memcpy(b, area, len);
	memset(&dc, 0, sizeof(dc));
	dc.u.vcpuextstate.vcpu = vcpu;
	dc.u.vcpuextstate.size = len;
	set_xen_guest_handle(dc.u.vcpuextstate.buffer, (uint64_t *)b);
	r = xc_domctl(io, XEN_DOMCTL_setvcpuextstate, domid, NULL, &dc);
	xvm_io_buf_free(io, b, len ? len : 1);
	return r < 0 ? fail(err, r, "set the FPU/xsave state of", domid) : 0;
}

int
xvm_xc_vcpu_msrs(struct xvm_io *io, uint32_t domid, uint32_t vcpu,
    const void *msrs, uint32_t count, struct xvm_err *err)
{
	size_t len = (size_t)count * sizeof(xen_domctl_vcpu_msr_t);
	void *b = xvm_io_buf_alloc(io, len ? len : 1);
	struct xen_domctl dc;
	long r;

	if (!b)
		return nobuf(err);
	memcpy(b, msrs, len);
	memset(&dc, 0, sizeof(dc));
	dc.u.vcpu_msrs.vcpu = vcpu;
	dc.u.vcpu_msrs.msr_count = count;
	set_xen_guest_handle(dc.u.vcpu_msrs.msrs, (xen_domctl_vcpu_msr_t *)b);
	r = xc_domctl(io, XEN_DOMCTL_set_vcpu_msrs, domid, NULL, &dc);
	xvm_io_buf_free(io, b, len ? len : 1);
	return r < 0 ? fail(err, r, "set the MSRs of", domid) : 0;
}

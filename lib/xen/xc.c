/*
 * xc.c - typed hypercalls (sysctl physinfo, sched_id, getdomaininfolist,
 * numainfo, cputopoinfo)
 * and a xenstore client, over the io interface.
 */
#define __XEN_TOOLS__ 1

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xen/xen.h>
#include <xen/domctl.h>
#include <xen/memory.h>
#include <xen/sysctl.h>
#include <xen/version.h>
#include <xen/io/xs_wire.h>

#include "xen/xc.h"
#include "xen/xc_int.h"
#include "xen/xs_store.h"

static int
xen_fail(struct xvm_err *err, long r, const char *what)
{
	xvm_err_set(err, r == -EACCES ? XVM_ERR_OPERATION_DENIED :
	    XVM_ERR_SYSTEM, "%s: %s", what, strerror((int)-r));
	if (err)
		err->sys_errno = (int)-r;
	return -1;
}

static long
sysctl(struct xvm_io *io, struct xen_sysctl *sc)
{
	sc->interface_version = XEN_SYSCTL_INTERFACE_VERSION;
	return xvm_io_hypercall(io, __HYPERVISOR_sysctl, (uintptr_t)sc, 0, 0,
	    0, 0);
}

int
xvm_xc_physinfo(struct xvm_io *io, struct xvm_physinfo *pi,
    struct xvm_err *err)
{
	struct xen_sysctl *sc = xvm_io_buf_alloc(io, sizeof(*sc));
	long r;
	int ret = -1;

	if (!sc)
		return xvm_err_sys(err, errno, "cannot allocate a hypercall "
		    "buffer");
	memset(pi, 0, sizeof(*pi));
	sc->cmd = XEN_SYSCTL_physinfo;
	if ((r = sysctl(io, sc)) < 0) {
		xen_fail(err, r, "cannot read the host's figures");
		goto out;
	}
	pi->nr_cpus = sc->u.physinfo.nr_cpus;
	pi->max_cpu_id = sc->u.physinfo.max_cpu_id;
	pi->nr_nodes = sc->u.physinfo.nr_nodes;
	pi->threads_per_core = sc->u.physinfo.threads_per_core;
	pi->cores_per_socket = sc->u.physinfo.cores_per_socket;
	pi->cpu_khz = sc->u.physinfo.cpu_khz;
	pi->capabilities = sc->u.physinfo.capabilities;
	pi->total_pages = sc->u.physinfo.total_pages;
	pi->free_pages = sc->u.physinfo.free_pages;
	pi->outstanding_pages = sc->u.physinfo.outstanding_pages;
	memcpy(pi->hw_cap, sc->u.physinfo.hw_cap, sizeof(pi->hw_cap));
	memset(sc, 0, sizeof(*sc));
	sc->cmd = XEN_SYSCTL_sched_id;
	if ((r = sysctl(io, sc)) < 0) {
		xen_fail(err, r, "cannot read the scheduler");
		goto out;
	}
	pi->sched_id = sc->u.sched_id.sched_id;
	ret = 0;
out:
	xvm_io_buf_free(io, sc, sizeof(*sc));
	return ret;
}

/*
 * numainfo and cputopoinfo: asked first with NULL handles for the count,
 * then with buffers of that size.  Xen answers with what it wrote, which
 * is at most what the buffers hold.
 */
int
xvm_xc_numainfo(struct xvm_io *io, struct xvm_numa_node **nodes_r,
    uint32_t **dist_r, unsigned *n_r, struct xvm_err *err)
{
	struct xen_sysctl *sc = xvm_io_buf_alloc(io, sizeof(*sc));
	xen_sysctl_meminfo_t *mi = NULL;
	uint32_t *di = NULL, n = 0, got, i;
	long r;

	*nodes_r = NULL;
	*dist_r = NULL;
	*n_r = 0;
	if (!sc)
		return xvm_err_sys(err, errno, "cannot allocate a hypercall "
		    "buffer");
	memset(sc, 0, sizeof(*sc));	/* NULL handles: the count */
	sc->cmd = XEN_SYSCTL_numainfo;
	if ((r = sysctl(io, sc)) < 0)
		goto out;
	n = sc->u.numainfo.num_nodes;
	mi = n ? xvm_io_buf_alloc(io, n * sizeof(*mi)) : NULL;
	di = n ? xvm_io_buf_alloc(io, (size_t)n * n * sizeof(*di)) : NULL;
	if (!mi || !di) {
		r = n ? -ENOMEM : -ENODATA;
		goto out;
	}
	memset(sc, 0, sizeof(*sc));
	sc->cmd = XEN_SYSCTL_numainfo;
	sc->u.numainfo.num_nodes = n;
	set_xen_guest_handle(sc->u.numainfo.meminfo, mi);
	set_xen_guest_handle(sc->u.numainfo.distance, di);
	if ((r = sysctl(io, sc)) < 0)
		goto out;
	/* Xen packs the rows at the length it answers with */
	got = sc->u.numainfo.num_nodes < n ? sc->u.numainfo.num_nodes : n;
	*nodes_r = xvm_calloc(got ? got : 1, sizeof(**nodes_r));
	*dist_r = xvm_calloc(got ? (size_t)got * got : 1, sizeof(**dist_r));
	for (i = 0; i < got; i++) {
		(*nodes_r)[i].valid = mi[i].memsize != XEN_INVALID_MEM_SZ;
		(*nodes_r)[i].memsize = mi[i].memsize;
		(*nodes_r)[i].memfree = mi[i].memfree;
	}
	memcpy(*dist_r, di, (size_t)got * got * sizeof(*di));
	*n_r = got;
out:
	if (mi)
		xvm_io_buf_free(io, mi, n * sizeof(*mi));
	if (di)
		xvm_io_buf_free(io, di, (size_t)n * n * sizeof(*di));
	xvm_io_buf_free(io, sc, sizeof(*sc));
	return r < 0 ? xen_fail(err, r, "cannot read the host's NUMA "
	    "nodes") : 0;
}

int
xvm_xc_cputopo(struct xvm_io *io, struct xvm_cpu_topo **cpus_r,
    unsigned *n_r, struct xvm_err *err)
{
	struct xen_sysctl *sc = xvm_io_buf_alloc(io, sizeof(*sc));
	xen_sysctl_cputopo_t *ct = NULL;
	uint32_t n = 0, got, i;
	long r;

	*cpus_r = NULL;
	*n_r = 0;
	if (!sc)
		return xvm_err_sys(err, errno, "cannot allocate a hypercall "
		    "buffer");
	memset(sc, 0, sizeof(*sc));	/* NULL handles: the count */
	sc->cmd = XEN_SYSCTL_cputopoinfo;
	if ((r = sysctl(io, sc)) < 0)
		goto out;
	n = sc->u.cputopoinfo.num_cpus;
	if ((ct = n ? xvm_io_buf_alloc(io, n * sizeof(*ct)) : NULL) == NULL) {
		r = n ? -ENOMEM : -ENODATA;
		goto out;
	}
	memset(sc, 0, sizeof(*sc));
	sc->cmd = XEN_SYSCTL_cputopoinfo;
	sc->u.cputopoinfo.num_cpus = n;
	set_xen_guest_handle(sc->u.cputopoinfo.cputopo, ct);
	if ((r = sysctl(io, sc)) < 0)
		goto out;
	got = sc->u.cputopoinfo.num_cpus < n ? sc->u.cputopoinfo.num_cpus : n;
	*cpus_r = xvm_calloc(got ? got : 1, sizeof(**cpus_r));
	for (i = 0; i < got; i++) {
		(*cpus_r)[i].core = ct[i].core;
		(*cpus_r)[i].socket = ct[i].socket;
		(*cpus_r)[i].node = ct[i].node;
	}
	*n_r = got;
out:
	if (ct)
		xvm_io_buf_free(io, ct, n * sizeof(*ct));
	xvm_io_buf_free(io, sc, sizeof(*sc));
	return r < 0 ? xen_fail(err, r, "cannot read the host's CPU "
	    "topology") : 0;
}

/* One xen_version string query into dst (size bytes); "" if refused. */
static void
version_str(struct xvm_io *io, unsigned cmd, char *dst, size_t size)
{
	char *buf = xvm_io_buf_alloc(io, size);

	dst[0] = '\0';
	if (!buf)
		return;
	if (xvm_io_hypercall(io, __HYPERVISOR_xen_version, cmd,
	    (uintptr_t)buf, 0, 0, 0) == 0) {
		memcpy(dst, buf, size);
		dst[size - 1] = '\0';
	}
	xvm_io_buf_free(io, buf, size);
}

int
xvm_xc_version(struct xvm_io *io, struct xvm_xen_version *v,
    struct xvm_err *err)
{
	struct xen_compile_info *ci;
	struct xen_platform_parameters *pp;
	long r;

	memset(v, 0, sizeof(*v));
	r = xvm_io_hypercall(io, __HYPERVISOR_xen_version, XENVER_version, 0,
	    0, 0, 0);
	if (r < 0)
		return xen_fail(err, r, "cannot read the hypervisor's version");
	v->major = (int)(r >> 16);
	v->minor = (int)(r & 0xffff);
	v->pagesize = xvm_io_hypercall(io, __HYPERVISOR_xen_version,
	    XENVER_pagesize, 0, 0, 0, 0);
	version_str(io, XENVER_extraversion, v->extra, sizeof(v->extra));
	version_str(io, XENVER_capabilities, v->capabilities,
	    sizeof(v->capabilities));
	version_str(io, XENVER_changeset, v->changeset, sizeof(v->changeset));
	version_str(io, XENVER_commandline, v->commandline,
	    sizeof(v->commandline));
	if ((ci = xvm_io_buf_alloc(io, sizeof(*ci))) != NULL) {
		if (xvm_io_hypercall(io, __HYPERVISOR_xen_version,
		    XENVER_compile_info, (uintptr_t)ci, 0, 0, 0) == 0) {
			memcpy(v->compiler, ci->compiler, sizeof(v->compiler));
			memcpy(v->compile_by, ci->compile_by,
			    sizeof(v->compile_by));
			memcpy(v->compile_domain, ci->compile_domain,
			    sizeof(v->compile_domain));
			memcpy(v->compile_date, ci->compile_date,
			    sizeof(v->compile_date));
			v->compiler[sizeof(v->compiler) - 1] = '\0';
			v->compile_by[sizeof(v->compile_by) - 1] = '\0';
			v->compile_domain[sizeof(v->compile_domain) - 1] =
			    '\0';
			v->compile_date[sizeof(v->compile_date) - 1] = '\0';
		}
		xvm_io_buf_free(io, ci, sizeof(*ci));
	}
	{
		struct xen_build_id *bid = xvm_io_buf_alloc(io, XVM_PAGE_SIZE);
		long n;
		int i;

		if (bid) {
			bid->len = XVM_PAGE_SIZE - sizeof(*bid);
			n = xvm_io_hypercall(io, __HYPERVISOR_xen_version,
			    XENVER_build_id, (uintptr_t)bid, 0, 0, 0);
			for (i = 0; i < n && i < 64; i++)
				snprintf(v->build_id + 2 * i, 3, "%02x",
				    bid->buf[i]);
			xvm_io_buf_free(io, bid, XVM_PAGE_SIZE);
		}
	}
	if ((pp = xvm_io_buf_alloc(io, sizeof(*pp))) != NULL) {
		if (xvm_io_hypercall(io, __HYPERVISOR_xen_version,
		    XENVER_platform_parameters, (uintptr_t)pp, 0, 0, 0) == 0)
			v->virt_start = pp->virt_start;
		xvm_io_buf_free(io, pp, sizeof(*pp));
	}
	return 0;
}

static void
fill_info(struct xvm_dominfo *d, const struct xen_domctl_getdomaininfo *x)
{
	memset(d, 0, sizeof(*d));
	d->domid = x->domain;
	memcpy(d->handle, x->handle, sizeof(d->handle));
	d->tot_pages = x->tot_pages;
	d->max_pages = x->max_pages;
	d->cpu_time_ns = x->cpu_time;
	d->online_vcpus = x->nr_online_vcpus;
	d->max_vcpu_id = x->max_vcpu_id;
	d->hvm = x->flags & XEN_DOMINF_hvm_guest;
	d->paused = x->flags & XEN_DOMINF_paused;
	d->running = x->flags & XEN_DOMINF_running;
	d->blocked = x->flags & XEN_DOMINF_blocked;
	d->dying = x->flags & XEN_DOMINF_dying;
	d->shutdown = x->flags & XEN_DOMINF_shutdown;
	d->shutdown_reason = (int)((x->flags >> XEN_DOMINF_shutdownshift) &
	    XEN_DOMINF_shutdownmask);
}

int
xvm_xc_domain_list(struct xvm_io *io, struct xvm_dominfo **list_r,
    size_t *n_r, struct xvm_err *err)
{
	enum { BATCH = 256 };
	struct xen_sysctl *sc = xvm_io_buf_alloc(io, sizeof(*sc));
	struct xen_domctl_getdomaininfo *buf;
	struct xvm_dominfo *list = NULL;
	size_t n = 0, i;
	uint32_t next = 0;
	long r;

	*list_r = NULL;
	*n_r = 0;
	buf = xvm_io_buf_alloc(io, BATCH * sizeof(*buf));
	if (!sc || !buf) {
		xvm_io_buf_free(io, sc, sizeof(*sc));
		xvm_io_buf_free(io, buf, BATCH * sizeof(*buf));
		return xvm_err_sys(err, errno, "cannot allocate a hypercall "
		    "buffer");
	}
	for (;;) {
		memset(sc, 0, sizeof(*sc));
		sc->cmd = XEN_SYSCTL_getdomaininfolist;
		sc->u.getdomaininfolist.first_domain = (domid_t)next;
		sc->u.getdomaininfolist.max_domains = BATCH;
		set_xen_guest_handle(sc->u.getdomaininfolist.buffer, buf);
		if ((r = sysctl(io, sc)) < 0) {
			free(list);
			xvm_io_buf_free(io, sc, sizeof(*sc));
			xvm_io_buf_free(io, buf, BATCH * sizeof(*buf));
			return xen_fail(err, r, "cannot list the domains");
		}
		r = sc->u.getdomaininfolist.num_domains;
		list = xvm_realloc(list, (n + (size_t)r + 1) * sizeof(*list));
		for (i = 0; i < (size_t)r; i++)
			fill_info(&list[n++], &buf[i]);
		if (r < BATCH)
			break;
		next = buf[r - 1].domain + 1;
	}
	xvm_io_buf_free(io, sc, sizeof(*sc));
	xvm_io_buf_free(io, buf, BATCH * sizeof(*buf));
	*list_r = list;
	*n_r = n;
	return 0;
}

/* ---- domain control ------------------------------------------------------ */

long
xc_domctl(struct xvm_io *io, uint32_t cmd, uint32_t domid,
    struct xen_domctl *out, const struct xen_domctl *in)
{
	struct xen_domctl *d = xvm_io_buf_alloc(io, sizeof(*d));
	long r;

	if (!d)
		return -ENOMEM;
	if (in)
		memcpy(d, in, sizeof(*d));
	d->cmd = cmd;
	d->interface_version = XEN_DOMCTL_INTERFACE_VERSION;
	d->domain = (domid_t)domid;
	r = xvm_io_hypercall(io, __HYPERVISOR_domctl, (uintptr_t)d, 0, 0, 0,
	    0);
	if (out)
		memcpy(out, d, sizeof(*d));
	xvm_io_buf_free(io, d, sizeof(*d));
	return r;
}

int
xc_dom_fail(struct xvm_err *err, long r, const char *what, uint32_t domid)
{
	xvm_err_set(err, r == -ESRCH ? XVM_ERR_NO_DOMAIN : r == -EACCES ||
	    r == -EPERM ? XVM_ERR_OPERATION_DENIED : XVM_ERR_SYSTEM,
	    "cannot %s domain %u: %s", what, domid, strerror((int)-r));
	if (err)
		err->sys_errno = (int)-r;
	return -1;
}

int
xvm_xc_readconsole(struct xvm_io *io, bool clear, struct xvm_buf *out,
    struct xvm_err *err)
{
	enum { CHUNK = 16384 };
	struct xen_sysctl *sc = xvm_io_buf_alloc(io, sizeof(*sc));
	char *b = xvm_io_buf_alloc(io, CHUNK);
	uint32_t index = 0;
	long r = 0;

	if (!sc || !b) {
		if (sc)
			xvm_io_buf_free(io, sc, sizeof(*sc));
		if (b)
			xvm_io_buf_free(io, b, CHUNK);
		return xvm_err_sys(err, errno, "cannot allocate a hypercall "
		    "buffer");
	}
	for (;;) {
		memset(sc, 0, sizeof(*sc));
		sc->cmd = XEN_SYSCTL_readconsole;
		sc->u.readconsole.clear = clear;
		sc->u.readconsole.incremental = 1;
		sc->u.readconsole.index = index;
		sc->u.readconsole.count = CHUNK;
		set_xen_guest_handle(sc->u.readconsole.buffer, b);
		if ((r = sysctl(io, sc)) < 0)
			break;
		xvm_buf_add(out, b, sc->u.readconsole.count);
		index = sc->u.readconsole.index;
		if (sc->u.readconsole.count < CHUNK)
			break;
	}
	xvm_io_buf_free(io, sc, sizeof(*sc));
	xvm_io_buf_free(io, b, CHUNK);
	return r < 0 ? xen_fail(err, r, "cannot read the hypervisor's "
	    "console") : 0;
}

int
xvm_xc_credit_params(struct xvm_io *io, uint32_t sched_id,
    struct xvm_credit_params *p, struct xvm_err *err)
{
	struct xen_sysctl *sc = xvm_io_buf_alloc(io, sizeof(*sc));
	long r;

	if (!sc)
		return xvm_err_sys(err, errno, "cannot allocate a hypercall "
		    "buffer");
	sc->cmd = XEN_SYSCTL_scheduler_op;
	sc->u.scheduler_op.cpupool_id = 0;
	sc->u.scheduler_op.sched_id = sched_id;
	sc->u.scheduler_op.cmd = XEN_SYSCTL_SCHEDOP_getinfo;
	r = sysctl(io, sc);
	if (r == 0) {
		p->tslice_ms = sc->u.scheduler_op.u.sched_credit.tslice_ms;
		p->ratelimit_us = sc->u.scheduler_op.u.sched_credit.ratelimit_us;
		p->migr_delay_us =
		    sc->u.scheduler_op.u.sched_credit.vcpu_migr_delay_us;
	}
	xvm_io_buf_free(io, sc, sizeof(*sc));
	return r < 0 ? xen_fail(err, r, "cannot read the credit scheduler's "
	    "parameters") : 0;
}

int
xvm_xc_domain_info(struct xvm_io *io, uint32_t domid, struct xvm_dominfo *info,
    struct xvm_err *err)
{
	struct xen_domctl out;
	long r = xc_domctl(io, XEN_DOMCTL_getdomaininfo, domid, &out, NULL);

	/* Xen 4.17 answers with the next domain at or above domid */
	if (r == 0 && out.u.getdomaininfo.domain != domid)
		r = -ESRCH;
	if (r < 0)
		return xc_dom_fail(err, r, "get information on", domid);
	fill_info(info, &out.u.getdomaininfo);
	return 0;
}

int
xvm_xc_domain_sethandle(struct xvm_io *io, uint32_t domid,
    const unsigned char uuid[16], struct xvm_err *err)
{
	struct xen_domctl in;
	long r;

	memset(&in, 0, sizeof(in));
	memcpy(in.u.setdomainhandle.handle, uuid, 16);
	r = xc_domctl(io, XEN_DOMCTL_setdomainhandle, domid, NULL, &in);
	return r < 0 ? xc_dom_fail(err, r, "set the UUID of", domid) : 0;
}

int
xvm_xc_domain_pause(struct xvm_io *io, uint32_t domid, struct xvm_err *err)
{
	long r = xc_domctl(io, XEN_DOMCTL_pausedomain, domid, NULL, NULL);

	return r < 0 ? xc_dom_fail(err, r, "pause", domid) : 0;
}

int
xvm_xc_domain_unpause(struct xvm_io *io, uint32_t domid,
    struct xvm_err *err)
{
	long r = xc_domctl(io, XEN_DOMCTL_unpausedomain, domid, NULL, NULL);

	return r < 0 ? xc_dom_fail(err, r, "unpause", domid) : 0;
}

int
xvm_xc_domain_destroy(struct xvm_io *io, uint32_t domid,
    struct xvm_err *err)
{
	long r = xc_domctl(io, XEN_DOMCTL_destroydomain, domid, NULL, NULL);

	return r < 0 ? xc_dom_fail(err, r, "destroy", domid) : 0;
}

int
xvm_xc_domain_create(struct xvm_io *io, const unsigned char uuid[16],
    bool hvm, bool hap, uint32_t max_vcpus, uint32_t *domid_r,
    struct xvm_err *err)
{
	struct xen_domctl in, out;
	long r;

	memset(&in, 0, sizeof(in));
	memcpy(in.u.createdomain.handle, uuid, 16);
	in.u.createdomain.flags = hvm ? XEN_DOMCTL_CDF_hvm |
	    (hap ? XEN_DOMCTL_CDF_hap : 0) : 0;
	in.u.createdomain.max_vcpus = max_vcpus;
	in.u.createdomain.max_evtchn_port = 1023;
	in.u.createdomain.max_grant_frames = -1;
	in.u.createdomain.max_maptrack_frames = -1;
	in.u.createdomain.grant_opts = XEN_DOMCTL_GRANT_version(1);
	in.u.createdomain.cpupool_id = 0;
	/* libxl's emulation flags: none for PV, all but vPCI for HVM */
	in.u.createdomain.arch.emulation_flags = hvm ?
	    (XEN_X86_EMU_ALL & ~XEN_X86_EMU_VPCI) : 0;
	r = xc_domctl(io, XEN_DOMCTL_createdomain, *domid_r, &out, &in);
	if (r < 0) {
		xvm_err_set(err, XVM_ERR_SYSTEM, "cannot create a domain: %s",
		    strerror((int)-r));
		if (err)
			err->sys_errno = (int)-r;
		return -1;
	}
	*domid_r = out.domain;
	memset(&in, 0, sizeof(in));
	in.u.max_vcpus.max = max_vcpus;
	r = xc_domctl(io, XEN_DOMCTL_max_vcpus, *domid_r, NULL, &in);
	if (r < 0)
		return xc_dom_fail(err, r, "set the vcpus of", *domid_r);
	return 0;
}

int
xvm_xc_domain_max_mem(struct xvm_io *io, uint32_t domid, uint64_t max_kib,
    struct xvm_err *err)
{
	struct xen_domctl in;
	long r;

	memset(&in, 0, sizeof(in));
	in.u.max_mem.max_memkb = max_kib;
	r = xc_domctl(io, XEN_DOMCTL_max_mem, domid, NULL, &in);
	return r < 0 ? xc_dom_fail(err, r, "set the maximum memory of", domid) :
	    0;
}

int
xvm_xc_domain_populate(struct xvm_io *io, uint32_t domid, uint64_t pages,
    struct xvm_err *err)
{
	enum { BATCH = 512 };
	struct xen_memory_reservation *res = xvm_io_buf_alloc(io,
	    sizeof(*res));
	xen_pfn_t *gfns = xvm_io_buf_alloc(io, BATCH * sizeof(*gfns));
	uint64_t done = 0;
	long r = 0;
	int ret = -1;

	if (!res || !gfns) {
		xvm_err_sys(err, errno, "cannot allocate a hypercall buffer");
		goto out;
	}
	while (done < pages) {
		uint64_t n = pages - done < BATCH ? pages - done : BATCH, i;

		for (i = 0; i < n; i++)
			gfns[i] = done + i;
		memset(res, 0, sizeof(*res));
		set_xen_guest_handle(res->extent_start, gfns);
		res->nr_extents = n;
		res->extent_order = 0;
		res->domid = (domid_t)domid;
		r = xvm_io_hypercall(io, __HYPERVISOR_memory_op,
		    XENMEM_populate_physmap, (uintptr_t)res, 0, 0, 0);
		if (r < 0) {
			xc_dom_fail(err, r, "allocate memory for", domid);
			goto out;
		}
		done += (uint64_t)r;
		if ((uint64_t)r < n) {
			xvm_err_set(err, XVM_ERR_SYSTEM, "cannot allocate "
			    "%llu MiB for domain %u: only %llu MiB are free",
			    (unsigned long long)(pages / 256), domid,
			    (unsigned long long)(done / 256));
			goto out;
		}
	}
	ret = 0;
out:
	xvm_io_buf_free(io, res, sizeof(*res));
	xvm_io_buf_free(io, gfns, BATCH * sizeof(*gfns));
	return ret;
}

/* ---- xenstore ----------------------------------------------------------- */

int
xc_xs_call(struct xvm_io *io, uint32_t tx, uint32_t type,
    const char *const *strs, size_t n, const void *raw, size_t raw_len,
    struct xvm_buf *reply, struct xs_wire_msg *m, struct xvm_err *err)
{
	struct xvm_buf req = XVM_BUF_INIT;
	int r;

	xvm_buf_reset(reply);
	xs_wire_request_strs(&req, type, 1, tx, strs, n, raw, raw_len);
	r = xvm_io_xs_request(io, req.data, req.len, reply, err);
	xvm_buf_release(&req);
	if (r < 0)
		return -1;
	if (xs_wire_decode(reply->data, reply->len, m) < 0)
		return xvm_err_set(err, XVM_ERR_SYSTEM, "xenstore sent a "
		    "malformed reply");
	return 0;
}

int
xvm_xs_read(struct xvm_io *io, const char *path, char **val_r,
    struct xvm_err *err)
{
	struct xvm_buf reply = XVM_BUF_INIT;
	struct xs_wire_msg m;
	int ret = -1;

	*val_r = NULL;
	if (xc_xs_call(io, 0, XS_READ, &path, 1, NULL, 0, &reply, &m, err) < 0)
		goto out;
	if (m.err == ENOENT) {
		ret = 0;
	} else if (m.err) {
		xvm_err_set(err, XVM_ERR_SYSTEM, "cannot read '%s' from "
		    "xenstore: %s", path, strerror(m.err));
		if (err)
			err->sys_errno = m.err;
	} else {
		*val_r = xvm_strndup(m.payload, m.len);
		ret = 1;
	}
out:
	xvm_buf_release(&reply);
	return ret;
}

int
xvm_xs_write(struct xvm_io *io, const char *path, const char *val,
    struct xvm_err *err)
{
	return xvm_xs_twrite(io, 0, path, val, err);
}

int
xvm_xs_directory(struct xvm_io *io, const char *path, struct xvm_strv *names,
    struct xvm_err *err)
{
	struct xvm_buf reply = XVM_BUF_INIT;
	struct xs_wire_msg m;
	const char *p, *end;
	int ret = -1;

	if (xc_xs_call(io, 0, XS_DIRECTORY, &path, 1, NULL, 0, &reply, &m, err) < 0)
		goto out;
	if (m.err == ENOENT) {
		ret = 0;
		goto out;
	}
	if (m.err) {
		xvm_err_set(err, XVM_ERR_SYSTEM, "cannot list '%s' in "
		    "xenstore: %s", path, strerror(m.err));
		if (err)
			err->sys_errno = m.err;
		goto out;
	}
	/* the children's names, each ended by a NUL */
	for (p = m.payload, end = p + m.len; p < end; p += strlen(p) + 1) {
		if (memchr(p, '\0', (size_t)(end - p)) == NULL) {
			xvm_err_set(err, XVM_ERR_SYSTEM, "xenstore sent a "
			    "malformed directory of '%s'", path);
			goto out;
		}
		if (*p)
			xvm_strv_push(names, p);
	}
	ret = 1;
out:
	xvm_buf_release(&reply);
	return ret;
}

int
xvm_xs_rm(struct xvm_io *io, const char *path, struct xvm_err *err)
{
	return xvm_xs_trm(io, 0, path, err);
}

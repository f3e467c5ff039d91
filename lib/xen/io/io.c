/*
 * io.c - the entry points every hypercall and xenstore request passes:
 * tracing (XVM_TRACE=1 prints each call on stderr, named with the probe
 * names of the xpv DTrace provider of Solaris xVM) and USDT probes at the
 * same points, then the back end.
 */
#define __XEN_TOOLS__ 1

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sdt.h>
#include <time.h>

#include <xen/xen.h>
#include <xen/domctl.h>
#include <xen/memory.h>
#include <xen/sysctl.h>
#include <xen/event_channel.h>
#include <xen/io/xs_wire.h>
#include <xen/hvm/hvm_op.h>

#include "xen/io/io.h"

/* The probe name of a domctl (xpv's where it has one). */
static const char *
domctl_name(uint32_t cmd)
{
	switch (cmd) {
	case XEN_DOMCTL_createdomain:
		return "dom-create";
	case XEN_DOMCTL_destroydomain:
		return "dom-destroy";
	case XEN_DOMCTL_pausedomain:
		return "dom-pause";
	case XEN_DOMCTL_unpausedomain:
		return "dom-unpause";
	case XEN_DOMCTL_getdomaininfo:
		return "domctl-getdomaininfo";
	case XEN_DOMCTL_max_mem:
		return "set-max-mem";
	case XEN_DOMCTL_max_vcpus:
		return "max-vcpus";
	case XEN_DOMCTL_setvcpucontext:
		return "setvcpucontext";
	case XEN_DOMCTL_getvcpucontext:
		return "getvcpucontext";
	case XEN_DOMCTL_setvcpuaffinity:
		return "setvcpuaffinity";
	case XEN_DOMCTL_scheduler_op:
		return "scheduler-op";
	case XEN_DOMCTL_getvcpuinfo:
		return "getvcpuinfo";
	case XEN_DOMCTL_settimeoffset:
		return "settimeoffset";
	case XEN_DOMCTL_setdomainhandle:
		return "setdomainhandle";
	case XEN_DOMCTL_getpageframeinfo3:
		return "getpageframeinfo3";
	case XEN_DOMCTL_gettscinfo:
		return "gettscinfo";
	case XEN_DOMCTL_settscinfo:
		return "settscinfo";
	case XEN_DOMCTL_resumedomain:
		return "dom-resume";
	case XEN_DOMCTL_shadow_op:
		return "shadow-op";
	case XEN_DOMCTL_hypercall_init:
		return "hypercall-init";
	case XEN_DOMCTL_set_address_size:
		return "set-address-size";
	case XEN_DOMCTL_gethvmcontext:
		return "gethvmcontext";
	case XEN_DOMCTL_sethvmcontext:
		return "sethvmcontext";
	case XEN_DOMCTL_set_paging_mempool_size:
		return "set-paging-mempool-size";
	case XEN_DOMCTL_set_cpu_policy:
		return "set-cpu-policy";
	case XEN_DOMCTL_set_ext_vcpucontext:
		return "set-ext-vcpucontext";
	case XEN_DOMCTL_setvcpuextstate:
		return "setvcpuextstate";
	case XEN_DOMCTL_set_vcpu_msrs:
		return "set-vcpu-msrs";
	default:
		return "domctl";
	}
}

static const char *
sysctl_name(uint32_t cmd)
{
	switch (cmd) {
	case XEN_SYSCTL_physinfo:
		return "sysctl-physinfo";
	case XEN_SYSCTL_getdomaininfolist:
		return "sysctl-getdomaininfolist";
	case XEN_SYSCTL_sched_id:
		return "sysctl-sched-id";
	case XEN_SYSCTL_readconsole:
		return "sysctl-readconsole";
	case XEN_SYSCTL_numainfo:
		return "sysctl-numainfo";
	case XEN_SYSCTL_cputopoinfo:
		return "sysctl-cputopoinfo";
	default:
		return "sysctl";
	}
}

static const char *
memop_name(uint64_t cmd)
{
	switch (cmd) {
	case XENMEM_populate_physmap:
		return "populate-physmap";
	case XENMEM_decrease_reservation:
		return "decrease-reservation";
	case XENMEM_current_reservation:
		return "current-reservation";
	case XENMEM_maximum_reservation:
		return "maximum-reservation";
	default:
		return "memory-op";
	}
}

/* Name and domain of a call, for the trace. */
static void
describe(unsigned op, const uint64_t arg[5], const char **name, int *domid,
    unsigned *sub)
{
	*domid = -1;
	*sub = 0;
	switch (op) {
	case __HYPERVISOR_domctl: {
		const struct xen_domctl *d =
		    (const struct xen_domctl *)(uintptr_t)arg[0];

		*name = d ? domctl_name(d->cmd) : "domctl";
		if (d) {
			*domid = d->domain;
			*sub = d->cmd;
		}
		break;
	}
	case __HYPERVISOR_sysctl: {
		const struct xen_sysctl *s =
		    (const struct xen_sysctl *)(uintptr_t)arg[0];

		*name = s ? sysctl_name(s->cmd) : "sysctl";
		*sub = s ? s->cmd : 0;
		break;
	}
	case __HYPERVISOR_memory_op:
		*name = memop_name(arg[0]);
		*sub = (unsigned)arg[0];
		if ((arg[0] == XENMEM_populate_physmap ||
		    arg[0] == XENMEM_decrease_reservation) && arg[1])
			*domid = ((const struct xen_memory_reservation *)
			    (uintptr_t)arg[1])->domid;
		break;
	case __HYPERVISOR_event_channel_op:
		*name = arg[0] == EVTCHNOP_alloc_unbound ?
		    "evtchn-alloc-unbound" : "evtchn-op";
		*sub = (unsigned)arg[0];
		if (arg[0] == EVTCHNOP_alloc_unbound && arg[1])
			*domid = ((const struct evtchn_alloc_unbound *)
			    (uintptr_t)arg[1])->dom;
		break;
	case __HYPERVISOR_mmuext_op:
		*name = "mmuext-op";
		*sub = arg[0] ? ((const struct mmuext_op *)
		    (uintptr_t)arg[0])->cmd : 0;
		*domid = (int)arg[3];
		break;
	case __HYPERVISOR_grant_table_op:
		*name = "grant-table-op";
		*sub = (unsigned)arg[0];
		break;
	case __HYPERVISOR_xen_version:
		*name = "xen-version";
		*sub = (unsigned)arg[0];
		break;
	case __HYPERVISOR_hvm_op:
		*name = arg[0] == HVMOP_set_param ? "hvm-set-param" :
		    arg[0] == HVMOP_get_param ? "hvm-get-param" : "hvm-op";
		*sub = arg[1] && arg[0] <= HVMOP_get_param ?
		    ((const struct xen_hvm_param *)(uintptr_t)arg[1])->index :
		    (unsigned)arg[0];
		if (arg[1] && arg[0] <= HVMOP_get_param)
			*domid = ((const struct xen_hvm_param *)
			    (uintptr_t)arg[1])->domid;
		break;
	default:
		*name = "hypercall";
		*sub = op;
		break;
	}
}

long
xvm_io_hypercall(struct xvm_io *io, unsigned op, uint64_t a0, uint64_t a1,
    uint64_t a2, uint64_t a3, uint64_t a4)
{
	const uint64_t arg[5] = { a0, a1, a2, a3, a4 };
	const char *name;
	int domid, start_domid;
	unsigned sub;
	double t0 = 0;
	long r;

	describe(op, arg, &name, &domid, &sub);
	start_domid = domid;
	DTRACE_PROBE3(xpv, hypercall__start, op, sub, domid);
	if (io->trace)
		t0 = xvm_mono_ms();
	r = io->ops->hypercall(io, op, arg);
	DTRACE_PROBE4(xpv, hypercall__end, op, sub, domid, r);
	if (io->trace) {
		/* the op structure is read again: it carries outputs */
		describe(op, arg, &name, &domid, &sub);
		fprintf(stderr, "xvm: %s-start dom=%d (%s)\nxvm: %s-end "
		    "dom=%d -> %ld (%.3f ms)\n", name, start_domid,
		    io->ops->name, name, domid, r, xvm_mono_ms() - t0);
	}
	return r;
}

void *
xvm_io_buf_alloc(struct xvm_io *io, size_t bytes)
{
	size_t pages = (bytes + XVM_PAGE_SIZE - 1) / XVM_PAGE_SIZE;

	return io->ops->buf_alloc(io, pages ? pages : 1);
}

void
xvm_io_buf_free(struct xvm_io *io, void *p, size_t bytes)
{
	size_t pages = (bytes + XVM_PAGE_SIZE - 1) / XVM_PAGE_SIZE;

	if (p)
		io->ops->buf_free(io, p, pages ? pages : 1);
}

static const char *
xs_type_name(uint32_t type)
{
	static const char *const names[] = {
		"control", "directory", "read", "get-perms", "watch",
		"unwatch", "transaction-start", "transaction-end", "introduce",
		"release", "get-domain-path", "write", "mkdir", "rm",
		"set-perms", "watch-event", "error", "is-domain-introduced",
		"resume", "set-target", "restrict", "reset-watches",
		"directory-part",
	};

	return type < XVM_ARRAY_SIZE(names) ? names[type] : "unknown";
}

int
xvm_io_xs_request(struct xvm_io *io, const void *req, size_t len,
    struct xvm_buf *reply, struct xvm_err *err)
{
	struct xsd_sockmsg h;
	double t0 = 0;
	int r;

	memset(&h, 0, sizeof(h));
	if (len >= sizeof(h))
		memcpy(&h, req, sizeof(h));
	DTRACE_PROBE2(xpv, xenstore__start, h.type, h.tx_id);
	if (io->trace)
		t0 = xvm_mono_ms();
	r = io->ops->xs_request(io, req, len, reply, err);
	DTRACE_PROBE3(xpv, xenstore__end, h.type, h.tx_id, r);
	if (io->trace) {
		const char *path = (const char *)req + sizeof(h);
		size_t plen = len > sizeof(h) ? strnlen(path, len - sizeof(h))
		    : 0;

		fprintf(stderr, "xvm: xs-%s %.*s -> %s (%.3f ms)\n",
		    xs_type_name(h.type), (int)plen, path, r < 0 ? "error" :
		    "ok", xvm_mono_ms() - t0);
	}
	return r;
}

void *
xvm_io_map_foreign(struct xvm_io *io, uint16_t domid, int prot,
    const uint64_t *frames, int *errs, size_t n, struct xvm_err *err)
{
	double t0 = 0;
	void *p;

	DTRACE_PROBE2(xpv, mmap__start, domid, n);
	if (io->trace)
		t0 = xvm_mono_ms();
	p = io->ops->map_foreign(io, domid, prot, frames, errs, n, err);
	DTRACE_PROBE3(xpv, mmap__end, domid, n, p != NULL);
	if (io->trace)
		fprintf(stderr, "xvm: mmap dom=%u frames=%zu first=%#llx -> %s "
		    "(%.3f ms)\n", domid, n, n ? (unsigned long long)frames[0] :
		    0ull, p ? "ok" : "error", xvm_mono_ms() - t0);
	return p;
}

void
xvm_io_unmap_foreign(struct xvm_io *io, void *addr, size_t n)
{
	if (addr != NULL)
		io->ops->unmap_foreign(io, addr, n);
}

int
xvm_io_check_interface(struct xvm_io *io, struct xvm_err *err)
{
	struct xen_sysctl *sc = xvm_io_buf_alloc(io, sizeof(*sc));
	long r;

	if (sc == NULL)
		return xvm_err_sys(err, errno, "cannot allocate a hypercall "
		    "buffer");
	sc->cmd = XEN_SYSCTL_physinfo;
	sc->interface_version = XEN_SYSCTL_INTERFACE_VERSION;
	r = xvm_io_hypercall(io, __HYPERVISOR_sysctl, (uintptr_t)sc, 0, 0, 0,
	    0);
	xvm_io_buf_free(io, sc, sizeof(*sc));
	if (r == -EACCES)
		return xvm_err_set(err, XVM_ERR_CONNECT, "this hypervisor's "
		    "sysctl interface is not Xen 4.17's (0x%x); xvm supports "
		    "Xen 4.17", XEN_SYSCTL_INTERFACE_VERSION);
	if (r < 0)
		return xvm_err_sys(err, (int)-r, "the hypervisor refused a "
		    "query");
	return 0;
}

int
xvm_io_dm_start(struct xvm_io *io, uint32_t domid, char *const *argv,
    const char *log, long *pid_r, struct xvm_err *err)
{
	double t0 = 0;
	int r;

	DTRACE_PROBE1(xpv, dm__start__start, domid);
	if (io->trace)
		t0 = xvm_mono_ms();
	*pid_r = 0;
	r = io->ops->dm_start(io, domid, argv, log, pid_r, err);
	DTRACE_PROBE2(xpv, dm__start__end, domid, r);
	if (io->trace)
		fprintf(stderr, "xvm: dm-start dom=%u %s -> %s pid=%ld "
		    "(%.3f ms)\n", domid, argv[0], r < 0 ? "error" : "ok",
		    *pid_r, xvm_mono_ms() - t0);
	return r;
}

void
xvm_io_dm_stop(struct xvm_io *io, uint32_t domid, long pid)
{
	if (io->trace)
		fprintf(stderr, "xvm: dm-stop dom=%u pid=%ld\n", domid, pid);
	io->ops->dm_stop(io, domid, pid);
}

void
xvm_io_close(struct xvm_io *io)
{
	if (io)
		io->ops->close(io);
}

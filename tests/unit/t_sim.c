/*
 * t_sim.c - unit tests of the simulated Xen host (lib/xen/io/sim*.c),
 * driven through io->ops directly: domctl, sysctl and memory_op as Xen
 * 4.17 answers them, persistence and sharing between handles and
 * processes, corruption, and xenstore over the wire protocol.
 */
#define __XEN_TOOLS__ 1

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <xen/xen.h>
#include <xen/domctl.h>
#include <xen/sysctl.h>
#include <xen/memory.h>
#include <xen/event_channel.h>
#include <xen/grant_table.h>
#include <xen/io/xs_wire.h>

#include "xen/io/io.h"
#include "xen/io/sim_int.h"		/* sim_console_write */
#include "xen/xc.h"
#include "xen/xs_store.h"
#include "xvm/file.h"
#include "xvm/le.h"
#include "t.h"

#define GIB_KIB (1ull << 20)

static long
hcall(struct xvm_io *io, unsigned op, uint64_t a0, uint64_t a1)
{
	uint64_t a[5] = { a0, a1, 0, 0, 0 };

	return io->ops->hypercall(io, op, a);
}

/* One domctl through a hypercall buffer; *dc gets what came back. */
static long
domctl(struct xvm_io *io, struct xen_domctl *dc)
{
	struct xen_domctl *b = io->ops->buf_alloc(io, 1);
	long r;

	if (dc->interface_version == 0)
		dc->interface_version = XEN_DOMCTL_INTERFACE_VERSION;
	memcpy(b, dc, sizeof(*dc));
	r = hcall(io, __HYPERVISOR_domctl, (uintptr_t)b, 0);
	memcpy(dc, b, sizeof(*dc));
	io->ops->buf_free(io, b, 1);
	return r;
}

static long
simple(struct xvm_io *io, uint32_t cmd, uint32_t domid)
{
	struct xen_domctl dc;

	memset(&dc, 0, sizeof(dc));
	dc.cmd = cmd;
	dc.domain = (domid_t)domid;
	return domctl(io, &dc);
}

static long
create(struct xvm_io *io, uint32_t want, uint32_t flags, uint32_t vcpus,
    uint32_t emu, uint32_t *domid_r)
{
	struct xen_domctl dc;
	long r;
	int i;

	memset(&dc, 0, sizeof(dc));
	dc.cmd = XEN_DOMCTL_createdomain;
	dc.domain = (domid_t)want;
	dc.u.createdomain.flags = flags;
	dc.u.createdomain.max_vcpus = vcpus;
	dc.u.createdomain.max_evtchn_port = 1023;	/* libxl's default */
	dc.u.createdomain.max_grant_frames = -1;
	dc.u.createdomain.max_maptrack_frames = -1;
	dc.u.createdomain.arch.emulation_flags = emu;
	for (i = 0; i < 16; i++)
		dc.u.createdomain.handle[i] = (uint8_t)(0xa0 + i);
	r = domctl(io, &dc);
	if (domid_r)
		*domid_r = r == 0 ? dc.domain : 0xffff;
	return r;
}

static long
getinfo(struct xvm_io *io, uint32_t domid, struct xen_domctl_getdomaininfo *i)
{
	struct xen_domctl dc;
	long r;

	memset(&dc, 0, sizeof(dc));
	dc.cmd = XEN_DOMCTL_getdomaininfo;
	dc.domain = (domid_t)domid;
	r = domctl(io, &dc);
	memcpy(i, &dc.u.getdomaininfo, sizeof(*i));
	return r;
}

static long
setmax(struct xvm_io *io, uint32_t domid, uint64_t kib)
{
	struct xen_domctl dc;

	memset(&dc, 0, sizeof(dc));
	dc.cmd = XEN_DOMCTL_max_mem;
	dc.domain = (domid_t)domid;
	dc.u.max_mem.max_memkb = kib;
	return domctl(io, &dc);
}

static long
maxvcpus(struct xvm_io *io, uint32_t domid, uint32_t n)
{
	struct xen_domctl dc;

	memset(&dc, 0, sizeof(dc));
	dc.cmd = XEN_DOMCTL_max_vcpus;
	dc.domain = (domid_t)domid;
	dc.u.max_vcpus.max = n;
	return domctl(io, &dc);
}

static long
sysctl(struct xvm_io *io, struct xen_sysctl *sc)
{
	struct xen_sysctl *b = io->ops->buf_alloc(io, 1);
	long r;

	if (sc->interface_version == 0)
		sc->interface_version = XEN_SYSCTL_INTERFACE_VERSION;
	memcpy(b, sc, sizeof(*sc));
	r = hcall(io, __HYPERVISOR_sysctl, (uintptr_t)b, 0);
	memcpy(sc, b, sizeof(*sc));
	io->ops->buf_free(io, b, 1);
	return r;
}

static long
physinfo(struct xvm_io *io, struct xen_sysctl_physinfo *pi)
{
	struct xen_sysctl sc;
	long r;

	memset(&sc, 0, sizeof(sc));
	sc.cmd = XEN_SYSCTL_physinfo;
	r = sysctl(io, &sc);
	*pi = sc.u.physinfo;
	return r;
}

static uint64_t
free_pages(struct xvm_io *io)
{
	struct xen_sysctl_physinfo pi;

	if (physinfo(io, &pi) != 0)
		return 0;
	return pi.free_pages;
}

/* getdomaininfolist from first; ids into ids[], returns the count. */
static long
list(struct xvm_io *io, uint32_t first, uint32_t max,
    struct xen_domctl_getdomaininfo *out)
{
	size_t pages = (max * sizeof(*out) + XVM_PAGE_SIZE - 1) /
	    XVM_PAGE_SIZE;
	struct xen_domctl_getdomaininfo *b;
	struct xen_sysctl sc;
	long r;

	b = io->ops->buf_alloc(io, pages ? pages : 1);
	memset(&sc, 0, sizeof(sc));
	sc.cmd = XEN_SYSCTL_getdomaininfolist;
	sc.u.getdomaininfolist.first_domain = (domid_t)first;
	sc.u.getdomaininfolist.max_domains = max;
	set_xen_guest_handle(sc.u.getdomaininfolist.buffer, b);
	r = sysctl(io, &sc);
	if (r == 0) {
		r = sc.u.getdomaininfolist.num_domains;
		memcpy(out, b, (size_t)r * sizeof(*out));
	}
	io->ops->buf_free(io, b, pages ? pages : 1);
	return r;
}

static long
memop(struct xvm_io *io, unsigned op, uint32_t domid, unsigned long nr,
    unsigned order)
{
	struct xen_memory_reservation *r;
	xen_pfn_t *gfns;
	size_t pages = (nr * sizeof(*gfns) + XVM_PAGE_SIZE - 1) / XVM_PAGE_SIZE;
	unsigned long i;
	long ret;

	r = io->ops->buf_alloc(io, 1);
	gfns = io->ops->buf_alloc(io, pages ? pages : 1);
	for (i = 0; i < nr; i++)
		gfns[i] = i << order;
	set_xen_guest_handle(r->extent_start, gfns);
	r->nr_extents = nr;
	r->extent_order = order;
	r->domid = (domid_t)domid;
	ret = hcall(io, __HYPERVISOR_memory_op, op, (uintptr_t)r);
	io->ops->buf_free(io, gfns, pages ? pages : 1);
	io->ops->buf_free(io, r, 1);
	return ret;
}

/* Like memop, with the frames given (in) and Xen's answers (out). */
static long
memop_frames(struct xvm_io *io, unsigned op, uint32_t domid,
    unsigned long nr, unsigned order, xen_pfn_t *frames)
{
	struct xen_memory_reservation *r;
	xen_pfn_t *gfns;
	size_t pages = (nr * sizeof(*gfns) + XVM_PAGE_SIZE - 1) / XVM_PAGE_SIZE;
	long ret;

	r = io->ops->buf_alloc(io, 1);
	gfns = io->ops->buf_alloc(io, pages ? pages : 1);
	memcpy(gfns, frames, nr * sizeof(*gfns));
	set_xen_guest_handle(r->extent_start, gfns);
	r->nr_extents = nr;
	r->extent_order = order;
	r->domid = (domid_t)domid;
	ret = hcall(io, __HYPERVISOR_memory_op, op, (uintptr_t)r);
	memcpy(frames, gfns, nr * sizeof(*gfns));
	io->ops->buf_free(io, gfns, pages ? pages : 1);
	io->ops->buf_free(io, r, 1);
	return ret;
}

static long
reservation(struct xvm_io *io, unsigned op, uint32_t domid)
{
	domid_t *p = io->ops->buf_alloc(io, 1);
	long r;

	*p = (domid_t)domid;
	r = hcall(io, __HYPERVISOR_memory_op, op, (uintptr_t)p);
	io->ops->buf_free(io, p, 1);
	return r;
}

/* ---- xenstore over the wire ----------------------------------------- */

static uint32_t req_id;

/* Send strs (+raw); reply type and payload (NUL-terminated copy). */
static int
xsreq(struct xvm_io *io, uint32_t type, uint32_t tx, const char *a,
    const char *b, const char *raw, char *out, size_t outsz)
{
	struct xvm_buf req = XVM_BUF_INIT, rep = XVM_BUF_INIT;
	const char *strs[2] = { a, b };
	struct xs_wire_msg m;
	struct xvm_err err;
	int ret = -1;

	xvm_err_clear(&err);
	xs_wire_request_strs(&req, type, ++req_id, tx, strs, b ? 2 : a ? 1 : 0,
	    raw, raw ? strlen(raw) : 0);
	if (io->ops->xs_request(io, req.data, req.len, &rep, &err) < 0)
		goto out;
	if (xs_wire_decode(rep.data, rep.len, &m) < 0 || m.req_id != req_id)
		goto out;
	if (out) {
		size_t n = m.len < outsz - 1 ? m.len : outsz - 1;

		memcpy(out, m.payload, n);
		out[n] = '\0';
	}
	ret = (int)m.type;
out:
	xvm_buf_release(&req);
	xvm_buf_release(&rep);
	return ret;
}

static int
xswrite(struct xvm_io *io, const char *path, const char *val)
{
	return xsreq(io, XS_WRITE, 0, path, NULL, val, NULL, 0);
}

/* Next event; path and token into the buffers; 1, 0 none, -1 error. */
static int
xsev(struct xvm_io *io, char *path, char *token)
{
	struct xvm_buf ev = XVM_BUF_INIT;
	struct xs_wire_msg m;
	const char *p, *t;
	struct xvm_err err;
	int r;

	xvm_err_clear(&err);
	r = io->ops->xs_event(io, &ev, &err);
	if (r == 1) {
		if (xs_wire_decode(ev.data, ev.len, &m) < 0 ||
		    m.type != XS_WATCH_EVENT ||
		    xs_wire_decode_event(&m, &p, &t) < 0) {
			r = -1;
		} else {
			snprintf(path, 256, "%s", p);
			snprintf(token, 256, "%s", t);
		}
	}
	xvm_buf_release(&ev);
	return r;
}

static int
drain(struct xvm_io *io)
{
	char p[256], t[256];
	int n = 0;

	while (xsev(io, p, t) == 1)
		n++;
	return n;
}

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* ---- the tests -------------------------------------------------------- */

static void
t_open_args(const char *base)
{
	struct xvm_io *io = NULL;
	struct xvm_err err;
	char *dir = xvm_asprintf("%s/bad", base);

	xvm_err_clear(&err);
	T_OK(xvm_io_open_sim(&io, dir, 5000, 0, &err) < 0 && io == NULL,
	    "5000 CPUs refused");
	T_OK(strstr(err.msg, dir) != NULL, "the error names the directory");
	T_OK(xvm_io_open_sim(&io, dir, 2, 100 << 10, &err) < 0,
	    "100 MiB refused");
	T_OK(strstr(err.msg, "512 MiB") != NULL, "the error says the minimum");
	T_OK(xvm_io_open_sim(&io, "", 2, 0, &err) < 0, "empty dir refused");
	T_OK(access(dir, F_OK) != 0, "nothing created on refusal");
	free(dir);
}

static void
t_host(struct xvm_io *io, const char *dir)
{
	struct xen_sysctl_physinfo pi;
	struct xen_domctl_getdomaininfo di[4];
	struct xen_sysctl sc;
	struct stat sb;
	char *p;
	char val[256];

	T_OK(stat(dir, &sb) == 0 && (sb.st_mode & 0777) == 0700,
	    "host directory created 0700");
	p = xvm_asprintf("%s/state", dir);
	T_OK(stat(p, &sb) == 0 && (sb.st_mode & 0777) == 0600,
	    "state file is 0600");
	free(p);
	T_STREQ(io->ops->name, "sim", "ops name");

	T_EQ(physinfo(io, &pi), 0, "physinfo");
	T_EQ(pi.nr_cpus, 4, "physinfo nr_cpus");
	T_EQ(pi.nr_nodes, 1, "one NUMA node");
	T_EQ(pi.threads_per_core, 1, "threads_per_core");
	T_EQ(pi.cores_per_socket, 4, "cores_per_socket");
	T_EQ(pi.max_cpu_id, 3, "max_cpu_id");
	T_EQ(pi.cpu_khz, 2400000, "cpu_khz");
	T_EQ(pi.total_pages, 4ull * GIB_KIB / 4, "total_pages = 4 GiB");
	T_EQ(pi.free_pages, 2ull * GIB_KIB / 4, "free = total - dom0's 2 GiB");
	T_OK((pi.capabilities & (XEN_SYSCTL_PHYSCAP_pv |
	    XEN_SYSCTL_PHYSCAP_hvm | XEN_SYSCTL_PHYSCAP_hap)) ==
	    (XEN_SYSCTL_PHYSCAP_pv | XEN_SYSCTL_PHYSCAP_hvm |
	    XEN_SYSCTL_PHYSCAP_hap), "capabilities pv|hvm|hap");

	memset(&sc, 0, sizeof(sc));
	sc.cmd = XEN_SYSCTL_sched_id;
	T_EQ(sysctl(io, &sc), 0, "sched_id");
	T_EQ(sc.u.sched_id.sched_id, XEN_SCHEDULER_CREDIT, "credit scheduler");

	T_EQ(list(io, 0, 4, di), 1, "one domain at start");
	T_EQ(di[0].domain, 0, "it is Domain-0");
	T_OK(di[0].flags & XEN_DOMINF_running, "dom0 running");
	T_OK(!(di[0].flags & XEN_DOMINF_paused), "dom0 not paused");
	T_EQ(di[0].nr_online_vcpus, 4, "dom0 has one vcpu per CPU");
	T_EQ(di[0].max_vcpu_id, 3, "dom0 max_vcpu_id");
	T_EQ(di[0].tot_pages, 2ull * GIB_KIB / 4, "dom0 has 2 GiB");
	T_EQ(list(io, 1, 4, di), 0, "nothing from domid 1");

	T_EQ(xsreq(io, XS_READ, 0, "/local/domain/0/name", NULL, NULL, val,
	    sizeof(val)), XS_READ, "read dom0's name");
	T_STREQ(val, "Domain-0", "dom0 is named Domain-0");
	T_EQ(xsreq(io, XS_READ, 0, "/local/domain/0/domid", NULL, NULL, val,
	    sizeof(val)), XS_READ, "read dom0's domid");
	T_STREQ(val, "0", "dom0's domid node");
}

/* A host in memory: the figures asked for, no Domain-0, nothing on disk. */
static void
t_mem_host(const char *base)
{
	struct xvm_sim_spec spec = {
		.cpus = 16, .nodes = 2, .cores_per_socket = 2,
		.threads_per_core = 2, .mhz = 1400, .memory_kib = 3 * GIB_KIB,
		.without_dom0 = true,
	};
	struct xvm_sim_spec bad = { .cpus = 2, .nodes = 4 };
	struct xen_sysctl_physinfo pi;
	struct xen_domctl_getdomaininfo di[4];
	struct xvm_io *io = NULL, *io2 = NULL;
	uint32_t id = 0;
	struct xvm_err err;
	char val[64], *cwd = getcwd(NULL, 0), *scratch;

	scratch = xvm_asprintf("%s/mem", base);
	T_EQ(mkdir(scratch, 0700), 0, "an empty scratch directory");

	xvm_err_clear(&err);
	T_OK(xvm_io_open_sim_mem(&io, &bad, &err) < 0 && io == NULL,
	    "4 nodes on 2 CPUs refused");
	T_OK(strstr(err.msg, "4 NUMA nodes") != NULL, "the error says why");
	/* run from an empty directory: an in-memory host writes nothing */
	T_EQ(chdir(scratch), 0, "chdir to the scratch directory");
	T_EQ(xvm_io_open_sim_mem(&io, &spec, &err), 0, "open in memory");
	if (io == NULL) {
		printf("# %s\n", err.msg);
		free(cwd);
		free(scratch);
		return;
	}
	T_EQ(physinfo(io, &pi), 0, "physinfo");
	T_EQ(pi.nr_cpus, 16, "16 CPUs");
	T_EQ(pi.nr_nodes, 2, "2 nodes");
	T_EQ(pi.max_node_id, 1, "max_node_id");
	T_EQ(pi.cores_per_socket, 2, "2 cores per socket");
	T_EQ(pi.threads_per_core, 2, "2 threads per core");
	T_EQ(pi.cpu_khz, 1400000, "1400 MHz");
	T_EQ(pi.total_pages, 3ull * GIB_KIB / 4, "3 GiB");
	T_EQ(pi.free_pages, pi.total_pages, "all free: no Domain-0");
	T_EQ(list(io, 0, 4, di), 0, "no domains at all");
	T_EQ(xsreq(io, XS_READ, 0, "/local/domain/0/name", NULL, NULL, val,
	    sizeof(val)), XS_ERROR, "no Domain-0 nodes");

	T_EQ(create(io, 0, 0, 1, 0, &id), 0, "create a domain in memory");
	T_EQ(id, 1, "it is domain 1");
	T_EQ(xsreq(io, XS_WRITE, 0, "/local/domain/1/name", "m", NULL, val,
	    sizeof(val)), XS_WRITE, "write its name");
	T_EQ(list(io, 0, 4, di), 1, "one domain");

	/* a second in-memory host is its own */
	T_EQ(xvm_io_open_sim_mem(&io2, &spec, &err), 0, "open another");
	if (io2 != NULL) {
		T_EQ(list(io2, 0, 4, di), 0, "the other has no domain");
		io2->ops->close(io2);
	}
	io->ops->close(io);
	{
		DIR *d = opendir(".");
		struct dirent *e;
		int n = 0;

		while (d && (e = readdir(d)) != NULL)
			if (strcmp(e->d_name, ".") != 0 &&
			    strcmp(e->d_name, "..") != 0)
				n++;
		if (d)
			closedir(d);
		T_EQ(n, 0, "nothing written to the working directory");
	}
	if (cwd && chdir(cwd) != 0)
		printf("# cannot return to %s\n", cwd);
	free(cwd);
	free(scratch);
}

static void
t_domains(struct xvm_io *io)
{
	struct xen_domctl_getdomaininfo di;
	struct xen_domctl dc;
	uint64_t free0, f;
	uint32_t a, b, c;
	xen_pfn_t fr[256], first;
	long r;
	int i;

	free0 = free_pages(io);
	T_EQ(create(io, 0, 0, 2, 0, &a), 0, "create PV domain");
	T_EQ(free_pages(io), free0, "its shared info page is Xen's: the "
	    "free memory stays");
	T_EQ(a, 1, "first domain gets id 1");
	T_EQ(getinfo(io, a, &di), 0, "getdomaininfo");
	T_EQ(di.domain, 1, "info for domain 1");
	T_OK(di.flags & XEN_DOMINF_paused, "new domain paused");
	T_OK(!(di.flags & (XEN_DOMINF_running | XEN_DOMINF_hvm_guest)),
	    "not running, not HVM");
	T_EQ(di.tot_pages, 0, "new domain has 0 pages");
	T_EQ(di.max_vcpu_id, XEN_INVALID_MAX_VCPU_ID, "no vcpus yet");
	T_EQ(di.handle[0], 0xa0, "handle kept");
	T_EQ(di.handle[15], 0xaf, "handle kept (end)");

	T_EQ(create(io, 0, XEN_DOMCTL_CDF_hvm | XEN_DOMCTL_CDF_hap, 1,
	    XEN_X86_EMU_ALL & ~XEN_X86_EMU_VPCI, &b), 0, "create HVM domain");
	T_EQ(b, 2, "next id 2");
	T_EQ(getinfo(io, b, &di), 0, "getdomaininfo HVM");
	T_OK((di.flags & (XEN_DOMINF_hvm_guest | XEN_DOMINF_hap)) ==
	    (XEN_DOMINF_hvm_guest | XEN_DOMINF_hap), "hvm and hap flags");
	T_EQ(di.arch_config.emulation_flags,
	    XEN_X86_EMU_ALL & ~XEN_X86_EMU_VPCI, "emulation flags kept");

	T_EQ(create(io, 10, 0, 1, 0, &c), 0, "create with id 10");
	T_EQ(c, 10, "got id 10");
	T_EQ(create(io, 10, 0, 1, 0, NULL), -EEXIST, "id 10 again: EEXIST");
	T_EQ(create(io, 0, 0, 0, 0, NULL), -EINVAL, "0 vcpus: EINVAL");
	T_EQ(create(io, 0, XEN_DOMCTL_CDF_hap, 1, 0, NULL), -EINVAL,
	    "hap without hvm: EINVAL");
	T_EQ(create(io, 0, 1u << 20, 1, 0, NULL), -EINVAL,
	    "unknown flag: EINVAL");
	T_EQ(create(io, 0, 0, 1, XEN_X86_EMU_LAPIC, NULL), -EOPNOTSUPP,
	    "PV with LAPIC: EOPNOTSUPP");
	T_EQ(create(io, 0, XEN_DOMCTL_CDF_hvm, 129, XEN_X86_EMU_LAPIC, NULL),
	    -EINVAL, "HVM with 129 vcpus: EINVAL");

	/* getdomaininfo of a missing id: the next one up (Xen 4.17) */
	T_EQ(getinfo(io, 5, &di), 0, "getdomaininfo 5 answers");
	T_EQ(di.domain, 10, "with domain 10");
	T_EQ(getinfo(io, 11, &di), -ESRCH, "nothing above 10: ESRCH");
	T_EQ(getinfo(io, DOMID_SELF, &di), -EINVAL, "DOMID_SELF: EINVAL");

	/* vcpus */
	T_EQ(maxvcpus(io, a, 3), -EINVAL, "max_vcpus differing: EINVAL");
	T_EQ(maxvcpus(io, a, 2), 0, "max_vcpus as created");
	T_EQ(maxvcpus(io, 0, 4), -EINVAL, "max_vcpus on dom0: EINVAL");
	T_EQ(getinfo(io, a, &di), 0, "info after max_vcpus");
	T_EQ(di.max_vcpu_id, 1, "max_vcpu_id 1");

	/* memory */
	T_EQ(setmax(io, a, 512 << 10), 0, "max_mem 512 MiB");
	T_EQ(reservation(io, XENMEM_maximum_reservation, a), 131072,
	    "maximum_reservation in pages");
	free0 = free_pages(io);
	for (i = 0; i < 100; i++)
		fr[i] = (xen_pfn_t)i;
	T_EQ(memop_frames(io, XENMEM_populate_physmap, a, 100, 0, fr), 100,
	    "populate 100 pages");
	T_OK(fr[0] != 0 && fr[1] == fr[0] + 1 && fr[99] == fr[0] + 99,
	    "a PV domain gets the machine frames back (contiguous here)");
	T_EQ(getinfo(io, a, &di), 0, "info after populate");
	T_EQ(di.tot_pages, 100, "tot_pages 100");
	T_OK(di.shared_info_frame != 0 && (di.shared_info_frame < fr[0] ||
	    di.shared_info_frame > fr[99]), "its shared info frame apart");
	T_EQ(free_pages(io), free0 - 100, "host free memory down 100 pages");
	first = fr[0];
	for (i = 0; i < 256; i++)
		fr[i] = (xen_pfn_t)(1024 + i * 512);
	T_EQ(memop_frames(io, XENMEM_populate_physmap, a, 256, 9, fr), 255,
	    "2 MiB extents past max_pages: partial (255 of 256)");
	T_EQ(fr[0] % 512, 0, "a 2 MiB extent is 2 MiB aligned");
	T_EQ(reservation(io, XENMEM_current_reservation, a),
	    100 + 255 * 512, "current_reservation");
	T_EQ(memop(io, XENMEM_populate_physmap, a, 1, 13), 0,
	    "order 13 above dom0's max_order: nothing done");
	T_EQ(memop_frames(io, XENMEM_decrease_reservation, a, 255, 9, fr),
	    255, "decrease the 255 2 MiB extents by machine frame");
	T_EQ(memop(io, XENMEM_decrease_reservation, a, 1, 0), 0,
	    "frames the domain does not own: nothing done");
	T_EQ(reservation(io, XENMEM_current_reservation, a), 100,
	    "100 pages left");
	{
		xen_pfn_t more[101];

		for (i = 0; i < 100; i++)
			more[i] = first + (xen_pfn_t)i;
		more[100] = more[99];
		T_EQ(memop_frames(io, XENMEM_decrease_reservation, a, 101, 0,
		    more), 100, "decrease a frame twice: stops there");
	}
	T_EQ(reservation(io, XENMEM_current_reservation, a), 0,
	    "back to 0 pages");
	T_EQ(reservation(io, XENMEM_current_reservation, 77), -ESRCH,
	    "current_reservation of a missing domain: ESRCH");
	T_EQ(memop(io, XENMEM_populate_physmap, 77, 1, 0), 0,
	    "populate a missing domain: 0 done");
	T_EQ(reservation(io, XENMEM_current_reservation, DOMID_SELF),
	    2ull * GIB_KIB / 4, "DOMID_SELF is dom0");

	/* the host runs out before max_pages */
	T_EQ(setmax(io, c, 8 * GIB_KIB), 0, "max_mem 8 GiB on a 4 GiB host");
	f = free_pages(io);
	r = memop(io, XENMEM_populate_physmap, c, 600000, 0);
	T_EQ(r, (long)f, "populate stops at the host's free memory");
	T_EQ(free_pages(io), 0, "host memory exhausted");
	T_EQ(memop(io, XENMEM_populate_physmap, a, 1, 0), 0,
	    "no more for anyone");

	/* pause/unpause */
	T_EQ(simple(io, XEN_DOMCTL_unpausedomain, a), 0, "unpause");
	T_EQ(getinfo(io, a, &di), 0, "info after unpause");
	T_OK((di.flags & XEN_DOMINF_running) &&
	    !(di.flags & XEN_DOMINF_paused), "running, not paused");
	T_EQ(di.nr_online_vcpus, 2, "vcpus came online");
	T_EQ(simple(io, XEN_DOMCTL_unpausedomain, a), -EINVAL,
	    "unpause a running domain: EINVAL");
	T_EQ(simple(io, XEN_DOMCTL_pausedomain, a), 0, "pause");
	T_EQ(getinfo(io, a, &di), 0, "info after pause");
	T_OK((di.flags & XEN_DOMINF_paused) &&
	    !(di.flags & XEN_DOMINF_running), "paused");
	T_EQ(simple(io, XEN_DOMCTL_pausedomain, 0), -EINVAL,
	    "pausing dom0 (self): EINVAL");
	T_EQ(simple(io, XEN_DOMCTL_pausedomain, 99), -ESRCH,
	    "pausing a missing domain: ESRCH");

	memset(&dc, 0, sizeof(dc));
	dc.cmd = XEN_DOMCTL_settimeoffset;
	dc.domain = (domid_t)a;
	dc.u.settimeoffset.time_offset_seconds = -3600;
	T_EQ(domctl(io, &dc), 0, "settimeoffset");

	/* destroy */
	T_EQ(simple(io, XEN_DOMCTL_destroydomain, c), 0, "destroy 10");
	T_EQ(free_pages(io), f, "its memory is back");
	T_EQ(getinfo(io, c, &di), -ESRCH, "10 is gone");
	T_EQ(simple(io, XEN_DOMCTL_destroydomain, c), -ESRCH,
	    "destroy 10 again: ESRCH");
	T_EQ(simple(io, XEN_DOMCTL_destroydomain, 0), -EINVAL,
	    "destroy dom0: EINVAL");
	T_EQ(create(io, 0, 0, 1, 0, &c), 0, "create after 10");
	T_EQ(c, 3, "an explicit id leaves the rover alone (as Xen)");
	T_EQ(simple(io, XEN_DOMCTL_destroydomain, c), 0, "destroy 3");

	/* versions and unknown calls */
	memset(&dc, 0, sizeof(dc));
	dc.cmd = XEN_DOMCTL_getdomaininfo;
	dc.interface_version = 0x16;
	T_EQ(domctl(io, &dc), -EACCES, "domctl of 4.18: EACCES");
	{
		struct xen_sysctl sc;

		memset(&sc, 0, sizeof(sc));
		sc.cmd = XEN_SYSCTL_physinfo;
		sc.interface_version = 0x14;
		T_EQ(sysctl(io, &sc), -EACCES, "old sysctl: EACCES");
		memset(&sc, 0, sizeof(sc));
		sc.cmd = 999;
		T_EQ(sysctl(io, &sc), -ENOSYS, "unknown sysctl: ENOSYS");
	}
	T_EQ(simple(io, 999, a), -ENOSYS, "unknown domctl: ENOSYS");
	T_EQ(simple(io, 999, 500), -ESRCH, "unknown domctl, no domain: ESRCH");
	T_EQ(hcall(io, 9999, 0, 0), -ENOSYS, "unknown hypercall: ENOSYS");
	T_EQ(reservation(io, 63, a), -ENOSYS, "unknown memory op: ENOSYS");
	T_EQ(hcall(io, __HYPERVISOR_domctl, 0, 0), -EFAULT, "NULL: EFAULT");

	T_EQ(simple(io, XEN_DOMCTL_destroydomain, b), 0, "destroy 2");
}

static void
t_two_handles(struct xvm_io *io, const char *dir)
{
	struct xen_domctl_getdomaininfo di[8], one;
	struct xvm_io *io2 = NULL;
	struct xvm_err err;
	uint64_t t0;
	uint32_t d;
	char val[256], p[256], t[256];

	xvm_err_clear(&err);
	T_EQ(xvm_io_open_sim(&io2, dir, 0, 0, &err), 0, "second handle");
	T_EQ(list(io2, 0, 8, di), 2, "it sees dom0 and domain 1");
	T_EQ(di[1].domain, 1, "domain 1 there");
	T_EQ(create(io2, 0, 0, 1, 0, &d), 0, "create through handle 2");
	T_EQ(d, 4, "the rover is shared");
	T_EQ(getinfo(io, d, &one), 0, "handle 1 sees it");

	/* CPU time runs with the clock */
	getinfo(io, 0, &one);
	t0 = one.cpu_time;
	usleep(20000);
	getinfo(io2, 0, &one);
	T_OK(one.cpu_time > t0, "dom0's cpu_time advances");

	/* xenstore shared, watches across handles */
	T_EQ(xswrite(io, "/tool/x", "1"), XS_WRITE, "write through 1");
	T_EQ(xsreq(io2, XS_READ, 0, "/tool/x", NULL, NULL, val, sizeof(val)),
	    XS_READ, "read through 2");
	T_STREQ(val, "1", "value seen by 2");
	T_EQ(xsreq(io, XS_WATCH, 0, "/tool", "tok", NULL, NULL, 0), XS_WATCH,
	    "watch /tool on 1");
	T_EQ(xsev(io, p, t), 1, "a new watch fires at once");
	T_STREQ(p, "/tool", "with its path");
	T_EQ(xsev(io, p, t), 0, "then nothing");
	T_EQ(xswrite(io, "/tool/y", "2"), XS_WRITE, "write in 1");
	T_EQ(xsev(io, p, t), 1, "own write fires");
	T_STREQ(p, "/tool/y", "event path");
	T_EQ(xswrite(io2, "/tool/z", "3"), XS_WRITE, "write in 2");
	T_EQ(xsev(io, p, t), 1, "another handle's write fires too");
	T_STREQ(p, "/tool/z", "its path");
	T_STREQ(t, "tok", "its token");
	T_EQ(drain(io), 0, "nothing more");

	/* @releaseDomain when an introduced domain is destroyed */
	T_EQ(xsreq(io, XS_WATCH, 0, "@releaseDomain", "rel", NULL, NULL, 0),
	    XS_WATCH, "watch @releaseDomain");
	drain(io);
	{
		struct xvm_buf req = XVM_BUF_INIT, rep = XVM_BUF_INIT;
		char ids[16];
		const char *s3[3] = { ids, "1234", "5" };
		struct xs_wire_msg m;

		snprintf(ids, sizeof(ids), "%u", d);
		xs_wire_request_strs(&req, XS_INTRODUCE, 99, 0, s3, 3, NULL, 0);
		T_EQ(io2->ops->xs_request(io2, req.data, req.len, &rep, &err),
		    0, "introduce request");
		T_OK(xs_wire_decode(rep.data, rep.len, &m) == 0 &&
		    m.type == XS_INTRODUCE, "introduce accepted");
		xvm_buf_release(&req);
		xvm_buf_release(&rep);
	}
	drain(io);
	T_EQ(simple(io2, XEN_DOMCTL_destroydomain, d), 0, "destroy it in 2");
	T_EQ(xsev(io, p, t), 1, "handle 1 hears of it");
	T_STREQ(p, "@releaseDomain", "@releaseDomain fired");
	T_EQ(xsreq(io, XS_UNWATCH, 0, "@releaseDomain", "rel", NULL, NULL, 0),
	    XS_UNWATCH, "unwatch");
	T_EQ(xsreq(io, XS_UNWATCH, 0, "/tool", "tok", NULL, NULL, 0),
	    XS_UNWATCH, "unwatch /tool");
	drain(io);

	/* a transaction open while another process writes is lost */
	T_EQ(xsreq(io, XS_TRANSACTION_START, 0, "", NULL, NULL, val,
	    sizeof(val)), XS_TRANSACTION_START, "transaction start");
	{
		uint32_t tx = (uint32_t)strtoul(val, NULL, 10);

		T_EQ(xsreq(io, XS_WRITE, tx, "/tool/t", NULL, "a", NULL, 0),
		    XS_WRITE, "write in the transaction");
		T_EQ(xswrite(io2, "/tool/other", "b"), XS_WRITE,
		    "another process writes meanwhile");
		T_EQ(xsreq(io, XS_TRANSACTION_END, tx, "T", NULL, NULL, val,
		    sizeof(val)), XS_ERROR, "commit refused");
		T_STREQ(val, "EAGAIN", "with EAGAIN (retry)");
	}
	T_EQ(xsreq(io, XS_TRANSACTION_START, 0, "", NULL, NULL, val,
	    sizeof(val)), XS_TRANSACTION_START, "retry starts");
	{
		uint32_t tx = (uint32_t)strtoul(val, NULL, 10);

		T_EQ(xsreq(io, XS_WRITE, tx, "/tool/t", NULL, "a", NULL, 0),
		    XS_WRITE, "write again");
		T_EQ(xsreq(io, XS_TRANSACTION_END, tx, "T", NULL, NULL, NULL,
		    0), XS_TRANSACTION_END, "commit succeeds");
	}
	T_EQ(xsreq(io2, XS_READ, 0, "/tool/t", NULL, NULL, val, sizeof(val)),
	    XS_READ, "committed value visible to 2");
	io2->ops->close(io2);
}

static void
t_concurrent(struct xvm_io *io, const char *dir)
{
	struct xen_domctl_getdomaininfo di[16];
	uint64_t f0 = free_pages(io);
	long n0 = list(io, 0, 16, di);
	pid_t pid[2];
	int i, k, st, ok = 1;

	for (k = 0; k < 2; k++) {
		pid[k] = fork();
		if (pid[k] == 0) {
			struct xvm_io *c = NULL;
			struct xvm_err err;
			uint32_t d;
			int bad = 0;

			xvm_err_clear(&err);
			if (xvm_io_open_sim(&c, dir, 0, 0, &err) < 0)
				_exit(2);
			for (i = 0; i < 50; i++) {
				if (create(c, 0, 0, 1, 0, &d) != 0 ||
				    setmax(c, d, 4096) != 0 ||
				    memop(c, XENMEM_populate_physmap, d, 16,
				    0) != 16 ||
				    simple(c, XEN_DOMCTL_destroydomain, d) != 0)
					bad++;
			}
			c->ops->close(c);
			_exit(bad ? 1 : 0);
		}
	}
	for (k = 0; k < 2; k++) {
		if (waitpid(pid[k], &st, 0) != pid[k] || !WIFEXITED(st) ||
		    WEXITSTATUS(st) != 0)
			ok = 0;
	}
	T_OK(ok, "two processes created and destroyed 50 domains each");
	T_EQ(list(io, 0, 16, di), n0, "no domain left over");
	T_EQ(free_pages(io), f0, "free memory consistent");
}

static void
t_corrupt(const char *base)
{
	struct xvm_io *io = NULL;
	struct xvm_err err;
	char *dir = xvm_asprintf("%s/c", base);
	char *state = xvm_asprintf("%s/state", dir);
	char *data = NULL;
	size_t len = 0;
	uint32_t d;

	xvm_err_clear(&err);
	T_EQ(xvm_io_open_sim(&io, dir, 1, 1 * GIB_KIB, &err), 0,
	    "small host");
	{
		struct xen_domctl_getdomaininfo di;

		T_EQ(getinfo(io, 0, &di), 0, "dom0 on a 1 GiB host");
		T_EQ(di.tot_pages, GIB_KIB / 2 / 4, "gets half: 512 MiB");
	}
	T_EQ(create(io, 0, 0, 1, 0, &d), 0, "a domain");
	T_EQ(xvm_file_read(state, 1 << 20, &data, &len, &err), 0,
	    "read the state");
	data[len / 2] ^= 0x55;
	data[16]++;		/* a new generation, so readers look */
	T_EQ(xvm_file_write_atomic(state, data, len, 0600, &err), 0,
	    "flip a byte");
	T_EQ(simple(io, XEN_DOMCTL_pausedomain, d), -EIO,
	    "an open handle gets EIO");
	io->ops->close(io);
	io = NULL;
	xvm_err_clear(&err);
	T_OK(xvm_io_open_sim(&io, dir, 0, 0, &err) < 0 && io == NULL,
	    "opening a corrupt host fails");
	T_OK(strstr(err.msg, state) != NULL, "the error names the state file");
	T_OK(strstr(err.msg, "corrupt") != NULL, "and says it is corrupt");
	T_EQ(xvm_file_write_atomic(state, "garbage", 7, 0600, &err), 0,
	    "garbage state");
	T_OK(xvm_io_open_sim(&io, dir, 0, 0, &err) < 0, "garbage refused");
	T_OK(strstr(err.msg, "not a state file") != NULL,
	    "not a state file");
	free(data);
	free(state);
	free(dir);
}

static void
t_scale(const char *base)
{
	struct xen_domctl_getdomaininfo *di;
	struct xvm_io *io = NULL;
	struct xvm_err err;
	char *dir = xvm_asprintf("%s/big", base);
	double t0, t1, t2;
	uint32_t d;
	int i, bad = 0;

	xvm_err_clear(&err);
	T_EQ(xvm_io_open_sim(&io, dir, 64, 256 * GIB_KIB, &err), 0,
	    "a big host");
	t0 = now_s();
	for (i = 0; i < 1000; i++)
		if (create(io, 0, 0, 1, 0, &d) != 0)
			bad++;
	t1 = now_s();
	T_EQ(bad, 0, "1000 domains created");
	T_EQ(create(io, 0, 0, 1, 0, &d), 0, "the 1001st");
	t2 = now_s();
	di = calloc(1100, sizeof(*di));
	T_EQ(list(io, 0, 1100, di), 1002, "1002 domains listed");
	printf("# 1000 createdomain: %.3f s (%.2f ms each); the 1001st: "
	    "%.2f ms\n", t1 - t0, (t1 - t0), (t2 - t1) * 1e3);
	/* xenstore: a node for each of 1000 domains, then one write */
	t0 = now_s();
	for (i = 0, bad = 0; i < 1000; i++) {
		char path[64];

		snprintf(path, sizeof(path), "/local/domain/%d/k%d",
		    1 + i, 0);
		if (xswrite(io, path, "some value") != XS_WRITE)
			bad++;
	}
	t1 = now_s();
	T_EQ(bad, 0, "1000 xenstore writes");
	T_EQ(xswrite(io, "/local/domain/1/last", "x"), XS_WRITE,
	    "one more write");
	t2 = now_s();
	printf("# 1000 xenstore writes: %.3f s; one more with 1000 more nodes: "
	    "%.2f ms\n", t1 - t0, (t2 - t1) * 1e3);
	t0 = now_s();
	T_EQ(getinfo(io, 500, &di[0]), 0, "getdomaininfo with a big store");
	t1 = now_s();
	printf("# getdomaininfo: %.2f ms\n", (t1 - t0) * 1e3);
	/* a transaction saves once, at its end */
	{
		char val[64];
		uint32_t tx;

		t0 = now_s();
		T_EQ(xsreq(io, XS_TRANSACTION_START, 0, "", NULL, NULL, val,
		    sizeof(val)), XS_TRANSACTION_START, "big transaction");
		tx = (uint32_t)strtoul(val, NULL, 10);
		for (i = 0, bad = 0; i < 40; i++) {
			char path[64];

			snprintf(path, sizeof(path), "/local/domain/2/t%d", i);
			if (xsreq(io, XS_WRITE, tx, path, NULL, "v", NULL,
			    0) != XS_WRITE)
				bad++;
		}
		T_EQ(bad, 0, "40 writes in it");
		T_EQ(xsreq(io, XS_TRANSACTION_END, tx, "T", NULL, NULL, NULL,
		    0), XS_TRANSACTION_END, "committed");
		t1 = now_s();
		printf("# a 40-write transaction: %.2f ms\n", (t1 - t0) * 1e3);
	}
	t0 = now_s();
	T_EQ(getinfo(io, 501, &di[0]), 0, "getdomaininfo again");
	t1 = now_s();
	printf("# getdomaininfo: %.2f ms\n", (t1 - t0) * 1e3);
	free(di);
	io->ops->close(io);
	free(dir);
}

static long
sched(struct xvm_io *io, uint32_t domid, uint32_t sched_id, uint32_t cmd,
    uint16_t *weight, uint16_t *cap)
{
	struct xen_domctl dc;
	long r;

	memset(&dc, 0, sizeof(dc));
	dc.cmd = XEN_DOMCTL_scheduler_op;
	dc.domain = (domid_t)domid;
	dc.u.scheduler_op.sched_id = sched_id;
	dc.u.scheduler_op.cmd = cmd;
	dc.u.scheduler_op.u.credit.weight = *weight;
	dc.u.scheduler_op.u.credit.cap = *cap;
	r = domctl(io, &dc);
	*weight = dc.u.scheduler_op.u.credit.weight;
	*cap = dc.u.scheduler_op.u.credit.cap;
	return r;
}

static long
vcpuinfo(struct xvm_io *io, uint32_t domid, uint32_t vcpu,
    struct xen_domctl_getvcpuinfo *vi)
{
	struct xen_domctl dc;
	long r;

	memset(&dc, 0, sizeof(dc));
	dc.cmd = XEN_DOMCTL_getvcpuinfo;
	dc.domain = (domid_t)domid;
	dc.u.getvcpuinfo.vcpu = vcpu;
	r = domctl(io, &dc);
	*vi = dc.u.getvcpuinfo;
	return r;
}

/* Credit weight and cap, vcpu info, and a cap holding CPU time down. */
static void
t_sched(struct xvm_io *io, const char *dir)
{
	const uint32_t C = XEN_SCHEDULER_CREDIT;
	struct xen_domctl_getvcpuinfo vi;
	struct xen_domctl_getdomaininfo a0, b0, a1, b1;	/* b0 reused */
	struct xvm_io *io2 = NULL;
	struct xvm_err err;
	uint16_t w = 0, cap = 0;
	uint32_t a = 0, b = 0;
	struct timespec nap = { 0, 300 * 1000 * 1000 };
	double t0, t1;

	T_EQ(create(io, 0, 0, 4, 0, &a), 0, "create a");
	T_EQ(create(io, 0, 0, 4, 0, &b), 0, "create b");
	T_EQ(vcpuinfo(io, a, 0, &vi), -ESRCH, "no vcpu before max_vcpus");
	T_EQ(maxvcpus(io, a, 4), 0, "a: max_vcpus");
	T_EQ(maxvcpus(io, b, 4), 0, "b: max_vcpus");
	T_EQ(vcpuinfo(io, a, 4, &vi), -EINVAL, "vcpu 4 of 4: EINVAL");
	T_EQ(vcpuinfo(io, a, 1, &vi), 0, "vcpu 1 of a paused domain");
	T_OK(!vi.online && !vi.blocked && !vi.running,
	    "not online before it first runs");

	T_EQ(sched(io, a, C, XEN_DOMCTL_SCHEDOP_getinfo, &w, &cap), 0,
	    "getinfo");
	T_OK(w == 256 && cap == 0, "defaults: weight 256, no cap");
	T_EQ(sched(io, a, XEN_SCHEDULER_CREDIT2, XEN_DOMCTL_SCHEDOP_getinfo,
	    &w, &cap), -EINVAL, "another scheduler's op: EINVAL");
	T_EQ(sched(io, a, C, 7, &w, &cap), -EINVAL, "unknown op: EINVAL");
	w = 512;
	cap = (uint16_t)~0u;
	T_EQ(sched(io, a, C, XEN_DOMCTL_SCHEDOP_putinfo, &w, &cap), 0,
	    "putinfo weight 512");
	w = 0;
	cap = 1;
	T_EQ(sched(io, a, C, XEN_DOMCTL_SCHEDOP_putinfo, &w, &cap), 0,
	    "putinfo cap 1%");
	T_EQ(sched(io, a, C, XEN_DOMCTL_SCHEDOP_getinfo, &w, &cap), 0,
	    "getinfo again");
	T_OK(w == 512 && cap == 1, "weight 0 and cap 0xffff leave values");
	T_EQ(xvm_io_open_sim(&io2, dir, 0, 0, &err), 0, "a second handle");
	if (io2 != NULL) {
		w = cap = 0;
		T_EQ(sched(io2, a, C, XEN_DOMCTL_SCHEDOP_getinfo, &w, &cap),
		    0, "getinfo from the second handle");
		T_OK(w == 512 && cap == 1, "weight and cap were saved");
		io2->ops->close(io2);
	}

	T_EQ(simple(io, XEN_DOMCTL_unpausedomain, a), 0, "a runs");
	T_EQ(simple(io, XEN_DOMCTL_unpausedomain, b), 0, "b runs");
	T_EQ(vcpuinfo(io, a, 3, &vi), 0, "vcpu 3 of a running domain");
	T_OK(vi.online && vi.running && !vi.blocked, "online, no kernel to idle in: running");
	T_EQ(vi.cpu, 3, "vcpu 3 on CPU 3");
	t0 = now_s();
	T_EQ(getinfo(io, a, &a0), 0, "a's time before");
	T_EQ(getinfo(io, b, &b0), 0, "b's time before");
	nanosleep(&nap, NULL);
	T_EQ(getinfo(io, a, &a1), 0, "a's time after");
	T_EQ(getinfo(io, b, &b1), 0, "b's time after");
	t1 = now_s();
	/* b: 4 vcpus x 5% = 20% of a CPU; a: capped at 1% */
	T_OK(b1.cpu_time - b0.cpu_time > 10 * (a1.cpu_time - a0.cpu_time),
	    "the capped domain got far less CPU time");
	T_OK(a1.cpu_time - a0.cpu_time <= (t1 - t0) * 1e9 / 100 + 1e6,
	    "the capped domain stayed within its 1%");
	T_EQ(vcpuinfo(io, b, 0, &vi), 0, "vcpu 0 of b");
	T_EQ(getinfo(io, b, &b0), 0, "b's time once more");
	T_OK(vi.cpu_time >= b1.cpu_time / 4 && vi.cpu_time <= b0.cpu_time / 4,
	    "a vcpu has a quarter of the domain's time");
	T_EQ(simple(io, XEN_DOMCTL_destroydomain, a), 0, "destroy a");
	T_EQ(simple(io, XEN_DOMCTL_destroydomain, b), 0, "destroy b");
}

static long
readcon(struct xvm_io *io, char *buf, uint32_t size, int clear, int incr,
    uint32_t *index, uint32_t *count)
{
	struct xen_sysctl sc;
	long r;

	memset(&sc, 0, sizeof(sc));
	sc.cmd = XEN_SYSCTL_readconsole;
	sc.u.readconsole.clear = (uint8_t)clear;
	sc.u.readconsole.incremental = (uint8_t)incr;
	sc.u.readconsole.index = *index;
	sc.u.readconsole.buffer.p = buf;
	sc.u.readconsole.count = size;
	r = sysctl(io, &sc);
	*index = sc.u.readconsole.index;
	*count = sc.u.readconsole.count;
	return r;
}

/* Opening a host removes what a killed writer left, and nothing else. */
static void
t_sweep(const char *base)
{
	static const char *const stray[] = { ".state.Ab12Cd",
	    ".xenstore-7.Xy98Zz", ".console.Q1w2E3", "xenstore-999" };
	static const char *const keep[] = { "notes.txt", "xenstore-old",
	    ".statefile" };
	char *dir = xvm_asprintf("%s/sweep", base), *p;
	struct xvm_io *io = NULL;
	struct xvm_err err;
	size_t i;
	int gone = 0, kept = 0;

	xvm_err_clear(&err);
	T_EQ(xvm_io_open_sim(&io, dir, 1, 1 * GIB_KIB, &err), 0, "a host");
	if (io == NULL) {
		free(dir);
		return;
	}
	io->ops->close(io);
	for (i = 0; i < XVM_ARRAY_SIZE(stray) + XVM_ARRAY_SIZE(keep); i++) {
		p = xvm_asprintf("%s/%s", dir, i < XVM_ARRAY_SIZE(stray) ?
		    stray[i] : keep[i - XVM_ARRAY_SIZE(stray)]);
		xvm_file_write_atomic(p, "x", 1, 0600, &err);
		free(p);
	}
	io = NULL;
	T_EQ(xvm_io_open_sim(&io, dir, 0, 0, &err), 0, "reopen");
	for (i = 0; i < XVM_ARRAY_SIZE(stray); i++) {
		p = xvm_asprintf("%s/%s", dir, stray[i]);
		gone += access(p, F_OK) != 0;
		free(p);
	}
	for (i = 0; i < XVM_ARRAY_SIZE(keep); i++) {
		p = xvm_asprintf("%s/%s", dir, keep[i]);
		kept += access(p, F_OK) == 0;
		free(p);
	}
	T_EQ(gone, 4, "temporary files and a stale xenstore image removed");
	T_EQ(kept, 3, "other files left alone");
	if (io != NULL) {
		T_EQ(free_pages(io) > 0, 1, "the host still works");
		io->ops->close(io);
	}
	free(dir);
}

/* ---- what a PV build needs ----------------------------------------------- */

static long
evtchn(struct xvm_io *io, unsigned cmd, void *op, size_t len)
{
	void *b = io->ops->buf_alloc(io, 1);
	long r;

	memcpy(b, op, len);
	r = hcall(io, __HYPERVISOR_event_channel_op, cmd, (uintptr_t)b);
	memcpy(op, b, len);
	io->ops->buf_free(io, b, 1);
	return r;
}

static long
alloc_unbound(struct xvm_io *io, uint32_t dom, uint32_t remote)
{
	struct evtchn_alloc_unbound a = { (domid_t)dom, (domid_t)remote, 0 };
	long r = evtchn(io, EVTCHNOP_alloc_unbound, &a, sizeof(a));

	return r < 0 ? r : (long)a.port;
}

static long
evtchn_state(struct xvm_io *io, uint32_t dom, uint32_t port,
    struct evtchn_status *st)
{
	memset(st, 0, sizeof(*st));
	st->dom = (domid_t)dom;
	st->port = port;
	return evtchn(io, EVTCHNOP_status, st, sizeof(*st));
}

static long
mmuext(struct xvm_io *io, unsigned cmd, uint64_t mfn, uint32_t dom)
{
	struct mmuext_op *op = io->ops->buf_alloc(io, 1);
	unsigned *done = (unsigned *)(op + 1);
	uint64_t a[5];
	long r;

	op->cmd = cmd;
	op->arg1.mfn = mfn;
	a[0] = (uintptr_t)op;
	a[1] = 1;
	a[2] = (uintptr_t)done;
	a[3] = dom;
	a[4] = 0;
	r = io->ops->hypercall(io, __HYPERVISOR_mmuext_op, a);
	io->ops->buf_free(io, op, 1);
	return r;
}

static long
vcpuctx(struct xvm_io *io, uint32_t cmd, uint32_t dom, uint32_t vcpu,
    vcpu_guest_context_t *ctx)
{
	size_t pages = (sizeof(*ctx) + XVM_PAGE_SIZE - 1) / XVM_PAGE_SIZE;
	vcpu_guest_context_t *b = ctx ? io->ops->buf_alloc(io, pages) : NULL;
	struct xen_domctl dc;
	long r;

	if (b)
		memcpy(b, ctx, sizeof(*ctx));
	memset(&dc, 0, sizeof(dc));
	dc.cmd = cmd;
	dc.domain = (domid_t)dom;
	dc.u.vcpucontext.vcpu = vcpu;
	set_xen_guest_handle(dc.u.vcpucontext.ctxt, b);
	r = domctl(io, &dc);
	if (b) {
		memcpy(ctx, b, sizeof(*ctx));
		io->ops->buf_free(io, b, pages);
	}
	return r;
}

static void
t_pv(const char *base)
{
	char *dir = xvm_asprintf("%s/pv", base);
	struct xvm_io *io = NULL, *io2 = NULL;
	struct xen_domctl_getdomaininfo di;
	struct evtchn_status st;
	struct xen_domctl dc;
	vcpu_guest_context_t ctx;
	struct xvm_err err;
	xen_pfn_t fr[8], gnt[2];
	uint64_t *pt, l4, l3, l2, l1, page, hpg, mfns[2];
	int errs[2];
	unsigned char *m, *m2, hp[XVM_PAGE_SIZE];
	uint32_t d, d2, i;
	long p1, p2;

	xvm_err_clear(&err);
	if (xvm_io_open_sim(&io, dir, 2, 2 * GIB_KIB, &err) != 0) {
		T_OK(0, "a host for PV builds");
		free(dir);
		return;
	}
	T_EQ(create(io, 0, 0, 2, 0, &d), 0, "a PV domain");
	T_EQ(maxvcpus(io, d, 2), 0, "its vcpus");
	T_EQ(setmax(io, d, 64 << 10), 0, "64 MiB at most");
	for (i = 0; i < 8; i++)
		fr[i] = i;
	T_EQ(memop_frames(io, XENMEM_populate_physmap, d, 8, 0, fr), 8,
	    "8 pages");

	/* foreign mapping: written here, read through another process's
	   handle */
	xvm_err_clear(&err);
	m = io->ops->map_foreign(io, (uint16_t)d, PROT_READ | PROT_WRITE,
	    fr, NULL, 8, &err);
	T_OK(m != NULL, "map its 8 frames");
	if (m == NULL)
		goto out;
	T_OK(m[0] == 0 && m[8 * XVM_PAGE_SIZE - 1] == 0, "new frames are zero");
	memcpy(m + 3 * XVM_PAGE_SIZE, "written by the builder", 23);
	T_EQ(xvm_io_open_sim(&io2, dir, 0, 0, &err), 0, "a second handle");
	mfns[0] = fr[3];
	mfns[1] = 12345;
	m2 = io2 ? io2->ops->map_foreign(io2, (uint16_t)d, PROT_READ, mfns,
	    errs, 2, &err) : NULL;
	T_OK(m2 != NULL && strcmp((char *)m2, "written by the builder") == 0,
	    "the same frame through another mapping");
	T_OK(errs[0] == 0 && errs[1] == -EINVAL,
	    "a frame the domain does not own: -EINVAL in its slot");
	if (m2)
		io2->ops->unmap_foreign(io2, m2, 2);
	mfns[0] = 999999;
	xvm_err_clear(&err);
	T_OK(io->ops->map_foreign(io, (uint16_t)d, PROT_READ, mfns, errs, 1,
	    &err) == NULL && err.msg[0] != '\0', "none mapped: NULL, error");
	T_OK(io->ops->map_foreign(io, 77, PROT_READ, fr, errs, 1, &err) ==
	    NULL && errs[0] == -ESRCH, "a missing domain: -ESRCH");

	/* event channels */
	p1 = alloc_unbound(io, d, 0);
	p2 = alloc_unbound(io, d, 0);
	T_EQ(p1, 1, "alloc_unbound: port 1 (0 is reserved)");
	T_EQ(p2, 2, "then port 2");
	T_EQ(alloc_unbound(io, d, 99), -ESRCH, "for a missing domain: ESRCH");
	T_EQ(evtchn_state(io, d, 1, &st), 0, "status");
	T_OK(st.status == EVTCHNSTAT_unbound && st.u.unbound.dom == 0,
	    "unbound for dom0");
	{
		struct evtchn_bind_interdomain b = { (domid_t)d, 2, 0 };
		struct evtchn_close c;

		T_EQ(evtchn(io, EVTCHNOP_bind_interdomain, &b, sizeof(b)), 0,
		    "dom0 binds port 2");
		T_OK(b.local_port >= 1, "to a port of its own");
		T_OK(evtchn_state(io, d, 2, &st) == 0 &&
		    st.status == EVTCHNSTAT_interdomain &&
		    st.u.interdomain.dom == 0 &&
		    st.u.interdomain.port == b.local_port,
		    "both ends interdomain");
		T_EQ(evtchn(io, EVTCHNOP_bind_interdomain, &b, sizeof(b)),
		    -EINVAL, "binding it again: EINVAL");
		c.port = b.local_port;
		T_EQ(evtchn(io, EVTCHNOP_close, &c, sizeof(c)), 0,
		    "dom0 closes its end");
		T_OK(evtchn_state(io, d, 2, &st) == 0 &&
		    st.status == EVTCHNSTAT_unbound, "the other end unbound");
		T_OK(evtchn_state(io, 0, c.port, &st) == 0 &&
		    st.status == EVTCHNSTAT_closed, "dom0's end closed");
	}
	{
		struct xen_domctl_createdomain cd;

		memset(&dc, 0, sizeof(dc));
		dc.cmd = XEN_DOMCTL_createdomain;
		dc.interface_version = XEN_DOMCTL_INTERFACE_VERSION;
		memset(&cd, 0, sizeof(cd));
		cd.max_vcpus = 1;
		cd.max_evtchn_port = 3;
		cd.max_grant_frames = 2;
		cd.max_maptrack_frames = -1;
		dc.u.createdomain = cd;
		T_EQ(domctl(io, &dc), 0, "a domain with 3 event channels");
		d2 = dc.domain;
		T_OK(alloc_unbound(io, d2, 0) == 1 &&
		    alloc_unbound(io, d2, 0) == 2 &&
		    alloc_unbound(io, d2, 0) == 3, "three ports");
		T_EQ(alloc_unbound(io, d2, 0), -ENOSPC, "a fourth: ENOSPC");
	}

	/* grant tables */
	{
		struct gnttab_setup_table *t = io->ops->buf_alloc(io, 1);
		xen_pfn_t *fl = (xen_pfn_t *)(t + 1);
		uint64_t a[5] = { GNTTABOP_setup_table, 0, 1, 0, 0 };

		a[1] = (uintptr_t)t;
		t->dom = (domid_t)d2;
		t->nr_frames = 2;
		set_xen_guest_handle(t->frame_list, fl);
		T_EQ(io->ops->hypercall(io, __HYPERVISOR_grant_table_op, a), 0,
		    "setup_table");
		T_EQ(t->status, GNTST_okay, "2 frames: okay");
		gnt[0] = fl[0];
		gnt[1] = fl[1];
		T_OK(gnt[0] != 0 && gnt[1] != 0 && gnt[0] != gnt[1],
		    "two machine frames");
		t->nr_frames = 3;
		T_EQ(io->ops->hypercall(io, __HYPERVISOR_grant_table_op, a), 0,
		    "setup_table past the maximum");
		T_EQ(t->status, GNTST_general_error, "general error");
		t->nr_frames = 1;
		T_EQ(io->ops->hypercall(io, __HYPERVISOR_grant_table_op, a), 0,
		    "setup_table again");
		T_EQ(fl[0], gnt[0], "the same frame 0");
		io->ops->buf_free(io, t, 1);
		m2 = io->ops->map_foreign(io, (uint16_t)d2, PROT_READ |
		    PROT_WRITE, gnt, errs, 1, &err);
		T_OK(m2 != NULL, "the grant frame maps (to seed it)");
		if (m2)
			io->ops->unmap_foreign(io, m2, 1);
	}

	/* a page-table tree by hand: frames 0-3 the tables, 4 a page */
	pt = (uint64_t *)m;
	l4 = fr[0];
	l3 = fr[1];
	l2 = fr[2];
	l1 = fr[3];
	page = fr[4];
	hpg = fr[5];
	memset(m, 0, 4 * XVM_PAGE_SIZE);
	pt[0] = l3 << 12 | 0x067;			/* L4[0] -> L3 */
	pt[512 + 0] = l2 << 12 | 0x067;			/* L3[0] -> L2 */
	pt[1024 + 0] = l1 << 12 | 0x067;		/* L2[0] -> L1 */
	for (i = 0; i < 4; i++)				/* the tables: RO */
		pt[1536 + i] = fr[i] << 12 | 0x021;
	pt[1536 + 4] = page << 12 | 0x023;		/* a page: RW */
	pt[1536 + 5] = hpg << 12 | 0x023;
	T_EQ(mmuext(io, MMUEXT_PIN_L4_TABLE, l4, d), 0, "pin the L4");
	T_EQ(mmuext(io, MMUEXT_PIN_L4_TABLE, l4, d), -EINVAL, "pin it again");
	T_EQ(mmuext(io, MMUEXT_UNPIN_TABLE, l4, d), 0, "unpin");
	pt[1536 + 2] = fr[2] << 12 | 0x023;		/* L2 writable */
	T_EQ(mmuext(io, MMUEXT_PIN_L4_TABLE, l4, d), -EINVAL,
	    "a table mapped writable: EINVAL");
	pt[1536 + 2] = fr[2] << 12 | 0x021;
	pt[1536 + 6] = gnt[0] << 12 | 0x023;		/* another's page */
	T_EQ(mmuext(io, MMUEXT_PIN_L4_TABLE, l4, d), -EINVAL,
	    "a page of another domain: EINVAL");
	pt[1536 + 6] = 0;
	pt[1024 + 1] = page << 12 | 0x0e7;		/* a 2 MiB superpage */
	T_EQ(mmuext(io, MMUEXT_PIN_L4_TABLE, l4, d), -EINVAL,
	    "a superpage: EINVAL");
	pt[1024 + 1] = 0;
	pt[300] = fr[6] << 12 | 0x067;			/* Xen's slot 300 */
	T_EQ(mmuext(io, MMUEXT_PIN_L4_TABLE, l4, d), 0,
	    "Xen's own L4 slots are not the guest's: ignored");

	/* hypercall page */
	memset(&dc, 0, sizeof(dc));
	dc.cmd = XEN_DOMCTL_hypercall_init;
	dc.domain = (domid_t)d;
	dc.u.hypercall_init.gmfn = hpg;
	T_EQ(domctl(io, &dc), 0, "hypercall_init");
	memcpy(hp, m + 5 * XVM_PAGE_SIZE, sizeof(hp));
	T_OK(hp[0] == 0x51 && hp[3] == 0xb8 && hp[4] == 0 && hp[8] == 0x0f &&
	    hp[9] == 0x05 && hp[13] == 0xc3 && hp[14] == 0xcc,
	    "slot 0: push, mov $0, syscall, ret, then int3");
	T_OK(hp[32 * 29 + 4] == 29, "slot 29: mov $29");
	T_OK(hp[32 * 23 + 3] == 0x50 && hp[32 * 23 + 5] == 23,
	    "slot 23 (iret) pushes %rax");
	dc.u.hypercall_init.gmfn = gnt[0];
	T_EQ(domctl(io, &dc), -EACCES, "on another domain's frame: EACCES");

	/* vcpu contexts */
	memset(&ctx, 0, sizeof(ctx));
	ctx.flags = VGCF_in_kernel | VGCF_online;
	ctx.user_regs.rip = 0xffffffff80001000ull;
	ctx.ctrlreg[3] = l4 << 12;
	T_EQ(vcpuctx(io, XEN_DOMCTL_setvcpucontext, d, 0, &ctx), 0,
	    "setvcpucontext with the pinned L4");
	ctx.ctrlreg[3] = page << 12;
	T_EQ(vcpuctx(io, XEN_DOMCTL_setvcpucontext, d, 1, &ctx), -EINVAL,
	    "a CR3 that is no L4: EINVAL");
	T_EQ(vcpuctx(io, XEN_DOMCTL_setvcpucontext, d, 2, &ctx), -EINVAL,
	    "vcpu 2 of 2: EINVAL");
	memset(&ctx, 0, sizeof(ctx));
	T_EQ(vcpuctx(io, XEN_DOMCTL_getvcpucontext, d, 0, &ctx), 0,
	    "getvcpucontext");
	T_OK(ctx.user_regs.rip == 0xffffffff80001000ull &&
	    ctx.ctrlreg[3] == l4 << 12, "the context back");

	/* all of it survives a reopen */
	if (io2)
		io2->ops->close(io2);
	io2 = NULL;
	T_EQ(xvm_io_open_sim(&io2, dir, 0, 0, &err), 0, "reopen");
	memset(&ctx, 0, sizeof(ctx));
	T_OK(io2 && vcpuctx(io2, XEN_DOMCTL_getvcpucontext, d, 0, &ctx) == 0 &&
	    ctx.ctrlreg[3] == l4 << 12, "the context persisted");
	T_OK(io2 && evtchn_state(io2, d, 1, &st) == 0 &&
	    st.status == EVTCHNSTAT_unbound, "the ports persisted");
	T_OK(io2 && mmuext(io2, MMUEXT_PIN_L4_TABLE, l4, d) == -EINVAL,
	    "the pin persisted");
	T_OK(io2 && getinfo(io2, d, &di) == 0 && di.tot_pages == 8,
	    "the pages");
	{
		struct sim *sp = io2 ? io2->priv : io->priv;

		T_EQ(sim_used_pages(&sp->host), sim_count_pages(&sp->host),
		    "frames in use are the domains' frames");
	}

	/* destroyed, the frames are scrubbed for the next owner */
	io->ops->unmap_foreign(io, m, 8);
	T_EQ(simple(io, XEN_DOMCTL_destroydomain, d), 0, "destroy");
	T_EQ(create(io, 0, 0, 1, 0, &d), 0, "a new domain");
	T_EQ(setmax(io, d, 64 << 10), 0, "memory");
	{
		xen_pfn_t big[64];
		unsigned char *nm;
		size_t k, nz = 0;

		for (i = 0; i < 64; i++)
			big[i] = i;
		T_EQ(memop_frames(io, XENMEM_populate_physmap, d, 64, 0, big),
		    64, "64 pages, some the old domain's");
		nm = io->ops->map_foreign(io, (uint16_t)d, PROT_READ, big,
		    NULL, 64, &err);
		for (k = 0; nm && k < 64 * XVM_PAGE_SIZE; k++)
			nz += nm[k] != 0;
		T_OK(nm != NULL && nz == 0, "all of them read zero");
		if (nm)
			io->ops->unmap_foreign(io, nm, 64);
	}
out:
	if (io2)
		io2->ops->close(io2);
	io->ops->close(io);
	free(dir);
}

/* ---- the journal ------------------------------------------------------- */

static long
fsize(const char *p)
{
	struct stat sb;

	return stat(p, &sb) == 0 ? (long)sb.st_size : -1;
}

static void
append(const char *p, const void *bytes, size_t n)
{
	FILE *f = fopen(p, "ab");

	if (f) {
		fwrite(bytes, 1, n, f);
		fclose(f);
	}
}

static int
count_images(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	while (d && (e = readdir(d)) != NULL)
		n += strncmp(e->d_name, "xenstore-", 9) == 0;
	if (d)
		closedir(d);
	return n;
}

/* Create and destroy domains on io until its snapshot generation moves. */
static int
until_snapshot(struct xvm_io *io)
{
	struct sim *s = io->priv;
	uint64_t g = s->gen;
	uint32_t d;
	int i;

	/* stop right after the operation that folded: nothing follows it */
	for (i = 0; i < 500 && s->gen == g; i++) {
		if (create(io, 0, 0, 1, 0, &d) != 0)
			return -1;
		if (s->gen != g)
			break;
		xswrite(io, "/local/domain/9/padding",
		    "0123456789012345678901234567890123456789");
		if (s->gen != g)
			break;
		if (simple(io, XEN_DOMCTL_destroydomain, d) != 0)
			return -1;
	}
	return s->gen != g ? 0 : -1;
}

static void
t_journal(const char *base)
{
	static const char torn[] = { 'X', 'V', 'M', 'J', 0x40, 0, 0 };
	char *dir = xvm_asprintf("%s/j", base);
	char *jpath = xvm_asprintf("%s/journal", dir);
	char *state = xvm_asprintf("%s/state", dir);
	struct xen_domctl_getdomaininfo di[64], dj[64];
	struct xvm_io *a = NULL, *b = NULL, *c = NULL;
	struct xs_store *x0;
	struct xvm_err err;
	struct sim *sa, *sb, *sc;
	char *old = NULL, *data = NULL;
	size_t oldlen = 0, len = 0, i, n;
	uint64_t g0;
	uint32_t d;
	long sz, na;

	xvm_err_clear(&err);
	if (xvm_io_open_sim(&a, dir, 2, 2 * GIB_KIB, &err) != 0 ||
	    xvm_io_open_sim(&b, dir, 0, 0, &err) != 0) {
		T_OK(0, "two handles on a new host");
		goto out;
	}
	sa = a->priv;
	sb = b->priv;
	T_EQ(fsize(jpath), SIM_JOURNAL_HDR, "a new host: empty journal");
	g0 = sa->gen;
	T_EQ(list(b, 0, 64, di), 1, "Domain-0 only");
	x0 = sb->xs;
	T_EQ(create(a, 0, 0, 1, 0, &d), 0, "a domain");
	xswrite(a, "/local/domain/1/name", "j1");
	sz = fsize(jpath);
	T_OK(sz > SIM_JOURNAL_HDR && sz < 1024, "a change is a small record");
	T_EQ(sa->gen, g0, "no new snapshot for it");
	T_EQ(list(b, 0, 64, di), 2, "the other handle sees the new domain");
	T_OK(sb->xs == x0, "by applying the records, not by reloading");
	T_EQ(sb->jend, (uint64_t)sz, "up to the journal's end");

	/* a record cut short by a crash: the next writer cuts it off */
	append(jpath, torn, sizeof(torn));
	{
		char junk[4096];

		memset(junk, 0x5a, sizeof(junk));
		append(jpath, junk, sizeof(junk));
	}
	T_EQ(list(b, 0, 64, di), 2, "a record cut short is not applied");
	T_EQ(sb->jend, (uint64_t)sz, "and ends the journal");
	T_EQ(create(b, 0, 0, 1, 0, &d), 0, "a writer after it");
	T_EQ(fsize(jpath), (long)sb->jend, "cuts it off and appends its "
	    "record");
	T_EQ(xvm_io_open_sim(&c, dir, 0, 0, &err), 0, "a fresh handle");
	T_EQ(list(c, 0, 64, di), 3, "reads every record after the cut");
	T_EQ(list(a, 0, 64, dj), 3, "so does the first handle");
	if (c)
		c->ops->close(c);
	c = NULL;
	append(jpath, torn, sizeof(torn));
	sz = fsize(jpath);
	T_EQ(xvm_io_open_sim(&c, dir, 0, 0, &err), 0, "opening after a cut");
	T_EQ(fsize(jpath), sz - (long)sizeof(torn),
	    "removes the cut record");
	if (c)
		c->ops->close(c);
	c = NULL;

	/* folding the journal into a new snapshot */
	setenv("XVM_SIM_JOURNAL_MIN", "0", 1);
	T_EQ(xvm_io_open_sim(&c, dir, 0, 0, &err), 0, "a handle that folds");
	unsetenv("XVM_SIM_JOURNAL_MIN");
	if (c == NULL)
		goto out;
	sc = c->priv;
	g0 = sc->gen;
	T_EQ(until_snapshot(c), 0, "the journal is folded when it outgrows "
	    "the snapshot");
	T_OK(fsize(jpath) < 1024, "into a new journal (the records since)");
	T_EQ(count_images(dir), 1, "one xenstore image, the old one gone");
	na = list(a, 0, 64, di);
	T_OK(na == 3 || na == 4, "a handle from before the snapshot "
	    "reloads it");
	T_EQ(list(c, 0, 64, dj), na, "the same domains");
	n = (size_t)(na > 0 ? na : 0);
	for (i = 0; i < n && di[i].domain == dj[i].domain &&
	    di[i].tot_pages == dj[i].tot_pages; i++)
		;
	T_EQ(i, n, "with the same figures");

	/* killed between the new state and the new journal */
	T_EQ(create(c, 0, 0, 1, 0, &d), 0, "one more domain");
	T_EQ(xvm_file_read(jpath, 1 << 20, &old, &oldlen, &err), 0,
	    "keep the journal");
	T_EQ(until_snapshot(c), 0, "another snapshot");
	T_EQ(xvm_file_write_atomic(jpath, old, oldlen, 0600, &err), 0,
	    "put the old journal back, as a crash would leave it");
	na = list(c, 0, 64, dj);
	c->ops->close(c);
	c = NULL;
	T_EQ(xvm_io_open_sim(&c, dir, 0, 0, &err), 0, "open");
	T_EQ(list(c, 0, 64, di), na, "its records are in the state: ignored");
	T_EQ(list(a, 0, 64, di), na, "by an older handle too");
	T_EQ(create(a, 0, 0, 1, 0, &d), 0, "a writer after it");
	if (c)
		c->ops->close(c);
	c = NULL;
	T_EQ(xvm_io_open_sim(&c, dir, 0, 0, &err), 0, "open");
	T_EQ(list(c, 0, 64, di), na + 1, "sees that write (a new journal)");
	if (c)
		c->ops->close(c);
	c = NULL;

	/* a host saved by the first version: 120-byte records, no journal */
	T_EQ(xvm_file_read(state, 1 << 20, &data, &len, &err), 0, "state");
	if (data && len > 84) {
		const unsigned char *u = (const unsigned char *)data;
		uint32_t nd = xvm_get_le32(u + 76), crc;
		struct xvm_buf v1 = XVM_BUF_INIT;
		size_t off = 80;

		xvm_buf_add(&v1, data, 80);
		v1.data[8] = 1;
		/* 128 bytes and a variable part each: keep 120 */
		for (i = 0; i < nd && off + 132 <= len; i++) {
			xvm_buf_add(&v1, data + off, 120);
			off += 132 + xvm_get_le32(u + off + 128);
		}
		crc = xvm_crc32(v1.data, v1.len);
		xvm_put_le32(&v1, crc);
		unlink(jpath);
		T_EQ(xvm_file_write_atomic(state, v1.data, v1.len, 0600, &err),
		    0, "write a version-1 state");
		xvm_buf_release(&v1);
		T_EQ(xvm_io_open_sim(&c, dir, 0, 0, &err), 0,
		    "a version-1 host opens");
		T_EQ(list(c, 0, 64, di), nd, "with its domains");
		T_OK(c && ((struct sim *)c->priv)->host.nm2p >= 1,
		    "which get machine frames for their pages");
		T_EQ(create(c, 0, 0, 1, 0, &d), 0, "and takes changes");
		T_EQ(fsize(jpath) > SIM_JOURNAL_HDR, 1, "in a new journal");
	}
	{
		struct sim *s1 = a->priv, *s2 = c ? c->priv : a->priv;

		(void)free_pages(a);
		T_EQ(sim_used_pages(&s1->host), sim_count_pages(&s1->host),
		    "the pages in use, kept as domains change, are their sum "
		    "(a handle that applied records)");
		T_EQ(sim_used_pages(&s2->host), sim_count_pages(&s2->host),
		    "and one that loaded them");
	}
out:
	if (c)
		c->ops->close(c);
	if (b)
		b->ops->close(b);
	if (a)
		a->ops->close(a);
	free(old);
	free(data);
	free(state);
	free(jpath);
	free(dir);
}

/* XEN_SYSCTL_readconsole: the boot lines, incremental reads, clear. */
static void
t_console(const char *base)
{
	char *dir = xvm_asprintf("%s/con", base);
	char *path = xvm_asprintf("%s/console", dir);
	char all[20000], part[20000], *data = NULL;
	struct xvm_io *io = NULL, *io2 = NULL;
	struct xvm_err err;
	uint32_t idx = 0, n = 0, got = 0, total;
	struct stat sb;
	size_t len = 0;

	xvm_err_clear(&err);
	T_EQ(xvm_io_open_sim(&io, dir, 3, 2 * GIB_KIB, &err), 0, "a host");
	if (io == NULL) {
		free(dir);
		free(path);
		return;
	}
	T_EQ(readcon(io, all, sizeof(all) - 1, 0, 0, &idx, &n), 0,
	    "read the console");
	all[n] = '\0';
	total = n;
	T_OK(strncmp(all, "(XEN) Xen version 4.17 (xvm simulated host)\n",
	    44) == 0, "it starts with the version line");
	T_OK(strstr(all, "(XEN) Brought up 3 CPUs\n") != NULL &&
	    strstr(all, "(XEN) System RAM: 2048 MiB\n") != NULL &&
	    strstr(all, "*** Building a PV Dom0 ***") != NULL,
	    "it tells of this host");
	T_EQ(idx, total, "the index is where the read stopped");
	T_EQ(readcon(io, part, sizeof(part), 0, 1, &idx, &n), 0,
	    "an incremental read from there");
	T_EQ(n, 0, "has nothing new");
	/* 10 bytes at a time, incrementally, give the same text */
	idx = 0;
	T_EQ(readcon(io, part, 10, 0, 0, &idx, &n), 0, "the first 10");
	got = n;
	while (n > 0 && got < sizeof(part) - 10) {
		T_OK(readcon(io, part + got, 10, 0, 1, &idx, &n) == 0, "next");
		got += n;
	}
	T_OK(got == total && memcmp(part, all, total) == 0,
	    "read in pieces, the same text");
	T_EQ(stat(path, &sb), 0, "DIR/console exists");
	T_EQ(sb.st_mode & 0777, 0600, "mode 0600");

	T_EQ(readcon(io, part, 5, 1, 0, &idx, &n), 0, "read 5 and clear");
	T_EQ(xvm_io_open_sim(&io2, dir, 0, 0, &err), 0, "a second handle");
	if (io2 != NULL) {
		idx = 0;
		T_EQ(readcon(io2, part, sizeof(part), 0, 0, &idx, &n), 0,
		    "read from the other handle");
		T_OK(n == total - 5 && memcmp(part, all + 5, n) == 0,
		    "the clear was saved: all but the first 5 bytes");
		io2->ops->close(io2);
	}
	T_EQ(readcon(io, NULL, 16, 0, 0, &idx, &n), -EFAULT,
	    "no buffer: EFAULT");

	T_EQ(xvm_file_read(path, 1 << 20, &data, &len, &err), 0,
	    "read DIR/console");
	if (data != NULL) {
		data[100] ^= 0x20;
		T_EQ(xvm_file_write_atomic(path, data, len, 0600, &err), 0,
		    "flip a byte of it");
		T_EQ(readcon(io, part, sizeof(part), 0, 0, &idx, &n), -EIO,
		    "a corrupt console: EIO");
		T_EQ(xvm_file_write_atomic(path, "x", 1, 0600, &err), 0,
		    "a garbage console");
		T_EQ(readcon(io, part, sizeof(part), 0, 0, &idx, &n), -EIO,
		    "garbage: EIO");
		T_EQ(unlink(path), 0, "remove it");
		T_EQ(readcon(io, part, sizeof(part), 0, 0, &idx, &n), 0,
		    "no console file: an empty ring");
		T_EQ(n, 0, "nothing in it");
		free(data);
	}
	io->ops->close(io);
	free(dir);
	free(path);
}

/* The ring wraps: the oldest bytes go, the newest 16 KiB stay. */
static void
t_console_wrap(void)
{
	struct xvm_sim_spec spec = { .cpus = 2 };
	struct xvm_io *io = NULL;
	struct xvm_err err;
	static char buf[40000];
	char line[32];
	uint32_t idx = 0, n = 0, i;

	xvm_err_clear(&err);
	T_EQ(xvm_io_open_sim_mem(&io, &spec, &err), 0, "an in-memory host");
	if (io == NULL)
		return;
	T_EQ(readcon(io, buf, sizeof(buf), 0, 0, &idx, &n), 0,
	    "its boot lines");
	T_OK(n > 100 && strstr(buf, "Brought up 2 CPUs") != NULL,
	    "an in-memory host boots too");
	/* 2,000 lines of 11 bytes: 22,000 bytes through a 16 KiB ring */
	for (i = 0; i < 2000; i++) {
		snprintf(line, sizeof(line), "line %05u\n", i);
		if (sim_console_write(io->priv, line, &err) < 0)
			break;
	}
	T_EQ(i, 2000, "2,000 lines written");
	idx = 0;
	T_EQ(readcon(io, buf, sizeof(buf), 0, 0, &idx, &n), 0, "read it all");
	T_EQ(n, SIM_CONRING_SIZE, "a full ring: 16 KiB");
	buf[n] = '\0';
	T_OK(n >= 11 && strcmp(buf + n - 11, "line 01999\n") == 0,
	    "it ends with the newest line");
	T_OK(strstr(buf, "line 00509\n") == NULL &&
	    strstr(buf, "line 00511\n") != NULL,
	    "the oldest lines are gone (16,384 / 11: 1,489 lines kept)");
	T_OK(strstr(buf, "Xen version") == NULL, "the boot lines too");
	io->ops->close(io);
}

static void
t_misc(struct xvm_io *io)
{
	struct xvm_err err;
	void *p;

	xvm_err_clear(&err);
	p = io->ops->buf_alloc(io, 3);
	T_OK(p != NULL && ((uintptr_t)p & (XVM_PAGE_SIZE - 1)) == 0,
	    "buffers page-aligned");
	T_OK(((char *)p)[3 * XVM_PAGE_SIZE - 1] == 0, "and zeroed");
	io->ops->buf_free(io, p, 3);
}

/* numainfo and cputopoinfo: the layout asked for, memory by node */
static void
t_numa(const char *base)
{
	struct xvm_sim_spec spec = { .cpus = 12, .nodes = 2,
	    .cores_per_socket = 3, .threads_per_core = 2,
	    .memory_kib = 4 * GIB_KIB };
	struct xvm_numa_node *nodes = NULL;
	struct xvm_cpu_topo *cpus = NULL;
	struct xvm_physinfo pi;
	struct xen_sysctl *sc;
	xen_sysctl_cputopo_t raw[4];
	struct xvm_io *io = NULL;
	struct xvm_err err;
	uint32_t *dist = NULL;
	unsigned nn = 0, nc = 0;
	char *dir = xvm_asprintf("%s/numa", base);

	xvm_err_clear(&err);
	spec.nodes = 13;
	T_OK(xvm_io_open_sim_spec(&io, dir, &spec, &err) < 0 &&
	    strstr(err.msg, "13 NUMA nodes") != NULL, "13 nodes on 12 CPUs "
	    "refused");
	spec.nodes = 2;
	spec.cpus = 11;
	T_OK(xvm_io_open_sim_spec(&io, dir, &spec, &err) < 0 &&
	    strstr(err.msg, "whole cores") != NULL, "11 CPUs in 2-thread "
	    "cores refused");
	T_OK(access(dir, F_OK) != 0, "nothing created on refusal");
	spec.cpus = 12;
	T_EQ(xvm_io_open_sim_spec(&io, dir, &spec, &err), 0, "a 2-node host");
	if (io == NULL) {
		free(dir);
		return;
	}
	T_EQ(xvm_xc_numainfo(io, &nodes, &dist, &nn, &err), 0, "numainfo");
	T_EQ(xvm_xc_cputopo(io, &cpus, &nc, &err), 0, "cputopoinfo");
	T_EQ(xvm_xc_physinfo(io, &pi, &err), 0, "physinfo");
	T_EQ(nn, 2, "two nodes");
	T_EQ(nc, 12, "twelve CPUs");
	if (nn == 2 && nc == 12) {
		T_OK(nodes[0].valid && nodes[1].valid, "both known");
		T_EQ(nodes[0].memsize, 2 * GIB_KIB * 1024, "2 GiB in node 0");
		T_EQ(nodes[1].memsize, 2 * GIB_KIB * 1024, "and in node 1");
		T_EQ(nodes[1].memfree, nodes[1].memsize, "node 1 all free");
		T_OK(nodes[0].memfree < nodes[0].memsize, "Domain-0's memory "
		    "came from node 0");
		T_EQ(nodes[0].memfree + nodes[1].memfree, pi.free_pages * 4096,
		    "the nodes' free memory adds up to the host's");
		T_OK(dist[0] == 10 && dist[1] == 20 && dist[2] == 20 &&
		    dist[3] == 10, "distances 10 local, 20 remote");
		/* CPU 7: socket 1 (CPUs 6-11), core 0 (CPUs 6-7), node 1 */
		T_OK(cpus[7].socket == 1 && cpus[7].core == 0 &&
		    cpus[7].node == 1, "CPU 7's place");
		T_OK(cpus[5].socket == 0 && cpus[5].core == 2 &&
		    cpus[5].node == 0, "CPU 5's place");
	}
	/* the count alone, then a short buffer: Xen's partial answer */
	sc = io->ops->buf_alloc(io, 1);
	sc->cmd = XEN_SYSCTL_cputopoinfo;
	sc->interface_version = XEN_SYSCTL_INTERFACE_VERSION;
	T_EQ(hcall(io, __HYPERVISOR_sysctl, (uintptr_t)sc, 0), 0,
	    "cputopoinfo with a NULL handle");
	T_EQ(sc->u.cputopoinfo.num_cpus, 12, "gives the count");
	sc->u.cputopoinfo.num_cpus = 4;
	set_xen_guest_handle(sc->u.cputopoinfo.cputopo, raw);
	T_EQ(hcall(io, __HYPERVISOR_sysctl, (uintptr_t)sc, 0), 0,
	    "cputopoinfo into 4 entries");
	T_EQ(sc->u.cputopoinfo.num_cpus, 4, "fills 4");
	io->ops->buf_free(io, sc, 1);
	free(nodes);
	free(dist);
	free(cpus);
	io->ops->close(io);
	free(dir);
}

int
main(void)
{
	char tmpl[] = "/tmp/t_sim.XXXXXX";
	struct xvm_io *io = NULL;
	struct xvm_err err;
	char *dir, *cmd;

	if (mkdtemp(tmpl) == NULL)
		return 1;
	dir = xvm_asprintf("%s/a/host", tmpl);
	t_open_args(tmpl);
	t_mem_host(tmpl);
	t_numa(tmpl);
	xvm_err_clear(&err);
	T_EQ(xvm_io_open_sim(&io, dir, 4, 4 * GIB_KIB, &err), 0,
	    "create a host");
	if (io == NULL) {
		printf("# %s\n", err.msg);
		return t_done();
	}
	t_host(io, dir);
	t_domains(io);
	t_two_handles(io, dir);
	t_concurrent(io, dir);
	t_sched(io, dir);
	t_misc(io);
	io->ops->close(io);

	io = NULL;
	T_EQ(xvm_io_open_sim(&io, dir, 0, 0, &err), 0, "reopen");
	{
		struct xen_domctl_getdomaininfo di[4];

		T_EQ(list(io, 0, 4, di), 2, "domains persisted");
	}
	io->ops->close(io);

	t_corrupt(tmpl);
	t_console(tmpl);
	t_sweep(tmpl);
	t_journal(tmpl);
	t_pv(tmpl);
	t_console_wrap();
	t_scale(tmpl);

	cmd = xvm_asprintf("rm -rf '%s'", tmpl);
	if (system(cmd) != 0)
		printf("# could not remove %s\n", tmpl);
	free(cmd);
	free(dir);
	return t_done();
}

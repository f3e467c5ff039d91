/*
 * io.h - the one place xvm meets a hypervisor (DESIGN.md, lib/xen/io).
 *
 * Two back ends share this interface:
 *   privcmd  a real Xen: /dev/xen/privcmd ioctls, hypercall buffers from
 *            /dev/xen/hypercall, foreign mappings, /dev/xen/evtchn, and
 *            xenstore over /run/xenstored/socket (or /dev/xen/xenbus);
 *   sim      an in-process emulation of Xen 4.17 at the same interface,
 *            whose state persists under a directory (sim:///DIR).
 * The code above (lib/xen, lib/toolstack) builds the same Xen structures
 * (struct xen_domctl, xen_sysctl, ... from libxen-dev's public headers)
 * for both, so what the sim proves is the code that runs on real Xen.
 *
 * Every hypercall and xenstore request passes xvm_io_hypercall() /
 * xvm_io_xs_request(), where XVM_TRACE=1 prints it (see io.c).
 *
 * Nothing here prints (except the trace, on request) or exits.
 */
#ifndef XVM_XEN_IO_H
#define XVM_XEN_IO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "xvm/err.h"
#include "xvm/util.h"

#define XVM_PAGE_SIZE	4096

struct xvm_io;

struct xvm_io_ops {
	const char *name;		/* "privcmd", "sim" */

	/*
	 * Hypercall `op` (__HYPERVISOR_*) with up to five arguments.
	 * Every pointer Xen would dereference (the op structure and each
	 * guest handle inside it) must lie in memory from buf_alloc.
	 * Returns the hypercall's non-negative result, or a negative Xen
	 * errno (-EINVAL, -ESRCH, -EACCES, ...).
	 */
	long (*hypercall)(struct xvm_io *io, unsigned op,
	    const uint64_t arg[5]);

	/* Hypercall buffers: npages zeroed pages; NULL on failure. */
	void *(*buf_alloc)(struct xvm_io *io, size_t npages);
	void (*buf_free)(struct xvm_io *io, void *p, size_t npages);

	/*
	 * Map n frames (gfns) of domid; per-frame errors (negative Xen
	 * errnos, 0 = mapped) in errs.  Returns the address of the mapping
	 * or NULL (err set) when nothing could be mapped.
	 */
	void *(*map_foreign)(struct xvm_io *io, uint16_t domid, int prot,
	    const uint64_t *gfns, int *errs, size_t n, struct xvm_err *err);
	void (*unmap_foreign)(struct xvm_io *io, void *addr, size_t n);

	/*
	 * Xenstore: send one complete request message (struct xsd_sockmsg
	 * header + payload) and receive its reply into `reply`; watch
	 * events that arrive meanwhile are queued and read with xs_event.
	 */
	int (*xs_request)(struct xvm_io *io, const void *req, size_t len,
	    struct xvm_buf *reply, struct xvm_err *err);
	/* One queued watch event message: 1, 0 if none, -1 on error. */
	int (*xs_event)(struct xvm_io *io, struct xvm_buf *event,
	    struct xvm_err *err);

	/*
	 * The device model of an HVM domain: QEMU's job on a real host,
	 * played by the simulated host itself.  dm_start runs argv (argv[0]
	 * the program, its output appended to log) detached from this
	 * process and sets *pid_r (0: no process); it is ready when it has
	 * written "running" to /local/domain/0/device-model/ID/state.
	 * dm_stop ends domid's (pid: what dm_start said).
	 */
	int (*dm_start)(struct xvm_io *io, uint32_t domid, char *const *argv,
	    const char *log, long *pid_r, struct xvm_err *err);
	void (*dm_stop)(struct xvm_io *io, uint32_t domid, long pid);

	void (*close)(struct xvm_io *io);
};

struct xvm_io {
	const struct xvm_io_ops *ops;
	void *priv;			/* the back end's state */
	int trace;			/* XVM_TRACE: print each call */
};

/* The real hypervisor of this host; fails clearly without one. */
int xvm_io_open_privcmd(struct xvm_io **io_r, struct xvm_err *err);

/*
 * A simulated Xen host whose state lives in dir (created on first use,
 * with `cpus` CPUs and `memory_kib` KiB; 0 = defaults: 8 CPUs, 16 GiB,
 * Domain-0 with 2 GiB and one vcpu per CPU).  Opening an existing host
 * ignores cpus/memory.
 */
int xvm_io_open_sim(struct xvm_io **io_r, const char *dir, unsigned cpus,
    unsigned long long memory_kib, struct xvm_err *err);

/*
 * A simulated host that lives in this process only, gone at close:
 * what test:///default stands on.  Zero figures take the sim's defaults;
 * without_dom0 leaves the host with no domain at all (libvirt's test
 * driver has none).
 */
struct xvm_sim_spec {
	unsigned cpus;
	unsigned nodes;
	unsigned cores_per_socket;
	unsigned threads_per_core;
	unsigned mhz;
	unsigned long long memory_kib;
	bool without_dom0;
};
int xvm_io_open_sim_mem(struct xvm_io **io_r, const struct xvm_sim_spec *spec,
    struct xvm_err *err);
/* The simulated host in dir, made to spec when it does not exist yet. */
int xvm_io_open_sim_spec(struct xvm_io **io_r, const char *dir,
    const struct xvm_sim_spec *spec, struct xvm_err *err);

void xvm_io_close(struct xvm_io *io);		/* NULL-safe */

/*
 * What every open does, on either back end: the hypervisor must speak Xen
 * 4.17's sysctl interface (a physinfo; Xen refuses another version with
 * EACCES), so a trace of any command begins the same way on both.
 */
int xvm_io_check_interface(struct xvm_io *io, struct xvm_err *err);

/*
 * The entry points the layers above use (they trace, then call the back
 * end).  xvm_io_hypercall returns the result or a negative Xen errno.
 */
long xvm_io_hypercall(struct xvm_io *io, unsigned op, uint64_t a0,
    uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4);
void *xvm_io_buf_alloc(struct xvm_io *io, size_t bytes);
void xvm_io_buf_free(struct xvm_io *io, void *p, size_t bytes);
int xvm_io_xs_request(struct xvm_io *io, const void *req, size_t len,
    struct xvm_buf *reply, struct xvm_err *err);
void *xvm_io_map_foreign(struct xvm_io *io, uint16_t domid, int prot,
    const uint64_t *frames, int *errs, size_t n, struct xvm_err *err);
void xvm_io_unmap_foreign(struct xvm_io *io, void *addr, size_t n);
int xvm_io_dm_start(struct xvm_io *io, uint32_t domid, char *const *argv,
    const char *log, long *pid_r, struct xvm_err *err);
void xvm_io_dm_stop(struct xvm_io *io, uint32_t domid, long pid);

#endif

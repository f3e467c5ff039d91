/*
 * xc.h - typed calls to the hypervisor and xenstore, built on lib/xen/io:
 * they fill Xen's own structures (libxen-dev's public headers) in
 * hypercall buffers, exactly as a toolstack must on a real Xen.  Errors
 * name the operation and the domain; Xen's errno is kept in sys_errno.
 */
#ifndef XVM_XEN_XC_H
#define XVM_XEN_XC_H

#include <stdbool.h>
#include <stdint.h>

#include "xvm/err.h"
#include "xvm/util.h"
#include "xen/io/io.h"

struct xvm_physinfo {
	uint32_t nr_cpus, max_cpu_id, nr_nodes;
	uint32_t threads_per_core, cores_per_socket;
	uint32_t cpu_khz;
	uint32_t capabilities;		/* XEN_SYSCTL_PHYSCAP_* */
	uint64_t total_pages, free_pages, outstanding_pages;
	uint32_t hw_cap[8];
	uint32_t sched_id;		/* XEN_SCHEDULER_* */
};

/* One NUMA node (XEN_SYSCTL_numainfo); sizes in bytes. */
struct xvm_numa_node {
	bool valid;			/* Xen knows this node's memory */
	uint64_t memsize, memfree;
};
/* One CPU's place (XEN_SYSCTL_cputopoinfo); ~0U: an absent CPU. */
struct xvm_cpu_topo {
	uint32_t core, socket, node;
};
#define XVM_TOPO_INVALID	(~0U)

/*
 * The host's NUMA nodes and the distances between them (n x n, i*n + j;
 * XVM_TOPO_INVALID where unknown), and each CPU's core, socket and node.
 */
int xvm_xc_numainfo(struct xvm_io *io, struct xvm_numa_node **nodes_r,
    uint32_t **dist_r, unsigned *n_r, struct xvm_err *err);
int xvm_xc_cputopo(struct xvm_io *io, struct xvm_cpu_topo **cpus_r,
    unsigned *n_r, struct xvm_err *err);

/* What the hypervisor says of itself (__HYPERVISOR_xen_version). */
struct xvm_xen_version {
	int major, minor;
	char extra[16];
	char capabilities[1024];
	char changeset[64];
	char commandline[1024];
	char compiler[64], compile_by[16], compile_domain[32],
	    compile_date[32];
	uint64_t virt_start;
	long pagesize;
	char build_id[129];		/* hex; "" when Xen has none */
};

int xvm_xc_version(struct xvm_io *io, struct xvm_xen_version *v,
    struct xvm_err *err);

struct xvm_dominfo {
	uint32_t domid;
	unsigned char handle[16];	/* the UUID */
	uint64_t tot_pages, max_pages;
	uint64_t cpu_time_ns;
	uint32_t online_vcpus, max_vcpu_id;
	bool hvm, paused, running, blocked, dying, shutdown;
	int shutdown_reason;		/* SHUTDOWN_*, when shutdown */
};

int xvm_xc_physinfo(struct xvm_io *io, struct xvm_physinfo *pi,
    struct xvm_err *err);
/* Every domain, in id order. */
int xvm_xc_domain_list(struct xvm_io *io, struct xvm_dominfo **list_r,
    size_t *n_r, struct xvm_err *err);

/* The hypervisor's console ring (all of it; clear: then empty it). */
int xvm_xc_readconsole(struct xvm_io *io, bool clear, struct xvm_buf *out,
    struct xvm_err *err);

/* Pool-0's credit scheduler parameters (XEN_SYSCTL_scheduler_op). */
struct xvm_credit_params {
	uint32_t tslice_ms, ratelimit_us, migr_delay_us;
};
int xvm_xc_credit_params(struct xvm_io *io, uint32_t sched_id,
    struct xvm_credit_params *p, struct xvm_err *err);

/* Domain control (XEN_DOMCTL_*); errors name the domain. */
/* One domain's figures; XVM_ERR_NO_DOMAIN when there is no domain domid. */
int xvm_xc_domain_info(struct xvm_io *io, uint32_t domid,
    struct xvm_dominfo *info, struct xvm_err *err);
/* XEN_DOMCTL_setdomainhandle: the domain's UUID. */
int xvm_xc_domain_sethandle(struct xvm_io *io, uint32_t domid,
    const unsigned char uuid[16], struct xvm_err *err);
int xvm_xc_domain_pause(struct xvm_io *io, uint32_t domid,
    struct xvm_err *err);
int xvm_xc_domain_unpause(struct xvm_io *io, uint32_t domid,
    struct xvm_err *err);
int xvm_xc_domain_destroy(struct xvm_io *io, uint32_t domid,
    struct xvm_err *err);
/*
 * createdomain (+ max_vcpus); *domid_r in: 0 = pick one.  An HVM domain
 * with hardware-assisted paging (hap) or shadow paging.
 */
int xvm_xc_domain_create(struct xvm_io *io, const unsigned char uuid[16],
    bool hvm, bool hap, uint32_t max_vcpus, uint32_t *domid_r,
    struct xvm_err *err);
int xvm_xc_domain_max_mem(struct xvm_io *io, uint32_t domid,
    uint64_t max_kib, struct xvm_err *err);
/* populate_physmap of `pages` 4 KiB pages from gfn 0 on. */
int xvm_xc_domain_populate(struct xvm_io *io, uint32_t domid, uint64_t pages,
    struct xvm_err *err);

/* Xenstore: 1 and the value / 0 when absent / -1 on error. */
int xvm_xs_read(struct xvm_io *io, const char *path, char **val_r,
    struct xvm_err *err);
int xvm_xs_write(struct xvm_io *io, const char *path, const char *val,
    struct xvm_err *err);
int xvm_xs_rm(struct xvm_io *io, const char *path, struct xvm_err *err);
/* The names of path's children appended to names: 1 / 0 absent / -1. */
int xvm_xs_directory(struct xvm_io *io, const char *path,
    struct xvm_strv *names, struct xvm_err *err);

/* ---- what a PV build needs (xc_pv.c) ---------------------------------- */

/*
 * populate_physmap of n extents of 2^order pages: frames[] holds the
 * first pseudo-physical frame of each (in) and, for a PV domain, its
 * machine frame (out).  *done_r is how many were done; fewer than n is
 * not an error here (the host ran out, or order was refused).
 */
int xvm_xc_populate_frames(struct xvm_io *io, uint32_t domid, unsigned order,
    uint64_t *frames, size_t n, size_t *done_r, struct xvm_err *err);
/* Map n machine frames of domid here, all or none. */
void *xvm_xc_map(struct xvm_io *io, uint32_t domid, int prot,
    const uint64_t *mfns, size_t n, struct xvm_err *err);
int xvm_xc_set_address_size(struct xvm_io *io, uint32_t domid, unsigned bits,
    struct xvm_err *err);
int xvm_xc_shared_info_frame(struct xvm_io *io, uint32_t domid,
    uint64_t *mfn_r, struct xvm_err *err);
int xvm_xc_hypercall_init(struct xvm_io *io, uint32_t domid, uint64_t mfn,
    struct xvm_err *err);
/* ctx is a vcpu_guest_context_t of len bytes. */
int xvm_xc_vcpu_setcontext(struct xvm_io *io, uint32_t domid, uint32_t vcpu,
    const void *ctx, size_t len, struct xvm_err *err);
int xvm_xc_evtchn_alloc_unbound(struct xvm_io *io, uint32_t domid,
    uint32_t remote, uint32_t *port_r, struct xvm_err *err);
/* The machine frame of grant-table frame 0 (GNTTABOP_setup_table). */
int xvm_xc_gnttab_frame0(struct xvm_io *io, uint32_t domid, uint64_t *mfn_r,
    struct xvm_err *err);
/*
 * Grant entries 0 and 1 (libxc's gnttab seed): the console and xenstore
 * pages, to the domains that serve them (none when it is domid itself).
 */
int xvm_xc_gnttab_seed(struct xvm_io *io, uint32_t domid,
    uint32_t console_domid, uint64_t console_mfn, uint32_t store_domid,
    uint64_t store_mfn, struct xvm_err *err);
int xvm_xc_vcpu_getcontext(struct xvm_io *io, uint32_t domid, uint32_t vcpu,
    void *ctx, size_t len, struct xvm_err *err);
/*
 * XEN_DOMCTL_getpageframeinfo3: frames (n <= 1024 machine frames of a PV
 * domain) are replaced by their XEN_DOMCTL_PFINFO_* types.
 */
int xvm_xc_pageframe_types(struct xvm_io *io, uint32_t domid,
    uint64_t *frames, size_t n, struct xvm_err *err);
struct xvm_tsc_info {
	uint32_t mode, khz, incarnation;
	uint64_t nsec;
};
int xvm_xc_tsc_info(struct xvm_io *io, uint32_t domid, bool set,
    struct xvm_tsc_info *t, struct xvm_err *err);
/* XEN_DOMCTL_resumedomain: a suspended domain runs on. */
int xvm_xc_domain_resume(struct xvm_io *io, uint32_t domid,
    struct xvm_err *err);
/*
 * A vcpu's hard and soft affinity (maps of nr_cpus bits; a NULL map is
 * neither set nor read).  Set: *hard and *soft receive the effective
 * maps Xen answers with.
 */
int xvm_xc_vcpu_affinity(struct xvm_io *io, uint32_t domid, uint32_t vcpu,
    bool set, uint8_t *hard, uint8_t *soft, uint32_t nr_cpus,
    struct xvm_err *err);
struct xvm_vcpu_info {
	bool online, blocked, running;
	uint64_t cpu_time_ns;
	uint32_t cpu;
};
int xvm_xc_vcpu_info(struct xvm_io *io, uint32_t domid, uint32_t vcpu,
    struct xvm_vcpu_info *vi, struct xvm_err *err);
/* ---- what an HVM build needs (xc_hvm.c) -------------------------------- */

/* HVMOP_set_param / HVMOP_get_param (index: HVM_PARAM_*). */
int xvm_xc_hvm_param(struct xvm_io *io, uint32_t domid, bool set,
    uint32_t index, uint64_t *value, struct xvm_err *err);
/*
 * XEN_DOMCTL_gethvmcontext: the records (struct hvm_save_descriptor +
 * body, ..., END) in a malloc'ed copy; sethvmcontext loads them.
 */
int xvm_xc_hvm_context_get(struct xvm_io *io, uint32_t domid, void **ctx_r,
    size_t *len_r, struct xvm_err *err);
int xvm_xc_hvm_context_set(struct xvm_io *io, uint32_t domid, const void *ctx,
    size_t len, struct xvm_err *err);
/* XEN_DOMCTL_set_paging_mempool_size (Xen 4.17's shadow/HAP pool). */
int xvm_xc_paging_mempool(struct xvm_io *io, uint32_t domid, uint64_t bytes,
    struct xvm_err *err);

/*
 * XEN_DOMCTL_shadow_op for log-dirty: op is XEN_DOMCTL_SHADOW_OP_
 * ENABLE_LOGDIRTY, OFF, CLEAN (read and reset) or PEEK; for the last two
 * bitmap receives *pages bits by pfn, *pages the bits Xen has and *count
 * the pages dirtied.
 */
int xvm_xc_logdirty(struct xvm_io *io, uint32_t domid, unsigned op,
    uint8_t *bitmap, uint64_t *pages, uint32_t *count, struct xvm_err *err);
/*
 * What a libxc stream (xl save) carries besides a vcpu's basic state:
 * the CPUID and MSR policy (arrays of xen_cpuid_leaf_t and
 * xen_msr_entry_t), a vcpu's extended context (the saved
 * xen_domctl_ext_vcpucontext), its xsave area, its MSRs (array of
 * xen_domctl_vcpu_msr_t).
 */
int xvm_xc_set_cpu_policy(struct xvm_io *io, uint32_t domid,
    const void *leaves, uint32_t nr_leaves, const void *msrs,
    uint32_t nr_msrs, struct xvm_err *err);
int xvm_xc_vcpu_ext_context(struct xvm_io *io, uint32_t domid, uint32_t vcpu,
    const void *ctx, size_t len, struct xvm_err *err);
int xvm_xc_vcpu_xsave(struct xvm_io *io, uint32_t domid, uint32_t vcpu,
    const void *area, size_t len, struct xvm_err *err);
int xvm_xc_vcpu_msrs(struct xvm_io *io, uint32_t domid, uint32_t vcpu,
    const void *msrs, uint32_t count, struct xvm_err *err);
/* MMUEXT_PIN_L<level>_TABLE of machine frame mfn (a PV page table). */
int xvm_xc_pin_table(struct xvm_io *io, uint32_t domid, unsigned level,
    uint64_t mfn, struct xvm_err *err);
int xvm_xc_pin_l4(struct xvm_io *io, uint32_t domid, uint64_t mfn,
    struct xvm_err *err);
/*
 * The credit scheduler's weight and cap of domid (sched_id: the host's,
 * XEN_SCHEDULER_CREDIT); set: weight 0 and cap 0xffff leave that value
 * as it is.  *weight and *cap receive what the domain has.
 */
int xvm_xc_sched_credit(struct xvm_io *io, uint32_t domid, uint32_t sched_id,
    bool set, uint16_t *weight, uint16_t *cap, struct xvm_err *err);

/* ---- xenstore transactions (xc_xs.c) ----------------------------------- */

int xvm_xs_tx_start(struct xvm_io *io, uint32_t *tx_r, struct xvm_err *err);
/* *again_r (may be NULL) is set when xenstored says EAGAIN: retry. */
int xvm_xs_tx_end(struct xvm_io *io, uint32_t tx, bool commit, bool *again_r,
    struct xvm_err *err);
/* Requests in transaction tx (0: none). */
int xvm_xs_twrite(struct xvm_io *io, uint32_t tx, const char *path,
    const char *val, struct xvm_err *err);
int xvm_xs_tmkdir(struct xvm_io *io, uint32_t tx, const char *path,
    struct xvm_err *err);
int xvm_xs_trm(struct xvm_io *io, uint32_t tx, const char *path,
    struct xvm_err *err);		/* a missing path is fine */
/* perms as xenstored spells them: "n0", "r5", "b3", ... */
int xvm_xs_tset_perms(struct xvm_io *io, uint32_t tx, const char *path,
    const char *const *perms, size_t n, struct xvm_err *err);
int xvm_xs_introduce(struct xvm_io *io, uint32_t domid, uint64_t mfn,
    uint32_t port, struct xvm_err *err);

#endif

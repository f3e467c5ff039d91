/*
 * sim_int.h - the simulated Xen host's state, shared by sim.c (the
 * hypercalls and the xenstore transport) and sim_state.c (persistence,
 * locking, the clock).  Internal to lib/xen/io.
 *
 * The host lives in a directory DIR:
 *   DIR/lock            the lock taken around every change; its first
 *                       8 bytes count changes (shared memory: a reader
 *                       whose view is current knows without a syscall)
 *   DIR/state           a snapshot: host figures and the domain table
 *   DIR/xenstore-<seq>  the xenstore image (xs_store_save) of the snapshot
 *                       that DIR/state names; a new image gets a new name,
 *                       so a state file never points at a half-written one
 *   DIR/journal         what changed since the snapshot, one record per
 *                       operation, appended and synced (sim_state.c)
 *   DIR/console         the hypervisor's console ring (sim_console.c)
 *   DIR/memory          the host's machine memory, sparse, page N at
 *                       N * 4096 (sim_mem.c)
 * A host opened with xvm_io_open_sim_mem has no directory (dir == NULL):
 * it lives in the handle, and sim_begin/sim_end neither lock nor save.
 */
#ifndef XVM_XEN_IO_SIM_INT_H
#define XVM_XEN_IO_SIM_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "xvm/err.h"
#include "xvm/file.h"
#include "xvm/util.h"
#include "xen/io/io.h"

struct xs_store;
struct xs_conn;

/* sim_dom.state bits */
enum {
	SIM_DYING = 1u << 0,		/* destroyed (never persisted) */
	SIM_SHUTDOWN = 1u << 1,		/* shut down; code in shutdown_code */
	SIM_CREATED = 1u << 2,		/* creation finished (first unpause) */
	SIM_VCPUS = 1u << 3,		/* vcpus allocated (max_vcpus done) */
	SIM_BOOTED = 1u << 4,		/* the simulated guest kernel runs */
};

/* What a simulated guest kernel will do, and when (sim_guest.c). */
enum { SIM_G_SHUTDOWN = 1, SIM_G_BALLOON = 2, SIM_G_VCPUS = 3,
    SIM_G_DIRTY = 4, SIM_G_SYSRQ = 5, SIM_G_INSTALLED = 6 };
struct sim_pend {
	uint32_t kind;			/* SIM_G_* */
	uint32_t arg;			/* SHUTDOWN: the SHUTDOWN_* code */
	int64_t due_ns;			/* host clock */
};

/*
 * Frames of a domain: machine frames mfn .. mfn+count-1.  RAM runs are
 * its pseudo-physical frames pfn .. (Xen's M2P); the others are pages Xen
 * keeps for it, and pfn says which: the shared info page (0), grant
 * frame number pfn, the saved context of vcpu pfn (two pages), an HVM
 * domain's parameters (0) and HVM context (16, four pages).
 */
enum { SIM_MEM_RAM = 0, SIM_MEM_SHINFO = 1, SIM_MEM_GRANT = 2,
    SIM_MEM_VCPU = 3, SIM_MEM_HVM = 4 };
struct sim_run {
	uint64_t mfn, pfn;
	uint32_t count, kind;
};

/* An event channel port of a domain (2-level ABI). */
enum { SIM_EVTCHN_UNBOUND = 1, SIM_EVTCHN_INTERDOMAIN = 2 };
struct sim_port {
	uint32_t port;
	uint16_t state;			/* SIM_EVTCHN_* */
	uint16_t remote_dom;
	uint32_t remote_port;		/* interdomain */
};

/* One domain, as the hypervisor keeps it. */
struct sim_dom {
	uint16_t domid;
	uint8_t handle[16];		/* xen_domain_handle_t (UUID) */
	uint32_t cdf;			/* XEN_DOMCTL_CDF_* */
	uint32_t ssidref;
	uint32_t max_vcpus;
	uint32_t online_vcpus;
	uint32_t pause_count;		/* controller pause count */
	uint32_t state;			/* SIM_* */
	uint32_t shutdown_code;		/* SHUTDOWN_* */
	uint32_t max_evtchn_port;
	int32_t max_grant_frames;
	int32_t max_maptrack_frames;
	uint32_t grant_opts;
	uint32_t emulation_flags;	/* arch config */
	uint32_t misc_flags;
	uint32_t cpupool;
	uint16_t weight;		/* credit scheduler: 1..65535 */
	uint16_t cap;			/* % of one CPU, 0 = no cap */
	uint64_t tot_pages;
	uint64_t max_pages;
	uint64_t cpu_time;		/* ns, at cpu_stamp */
	int64_t cpu_stamp;		/* host clock when cpu_time was taken */
	int64_t time_offset;		/* seconds (settimeoffset) */
	int64_t created_ns;		/* CLOCK_REALTIME at createdomain */
	/* the variable part (owned; freed with the record) */
	struct sim_run *runs;		/* sorted by kind, then pfn */
	uint32_t nruns;
	struct sim_port *ports;		/* sorted by port */
	uint32_t nports;
	uint64_t pinned_l4;		/* MFN pinned as its L4 table, or 0 */
	struct sim_pend *pend;		/* the guest's pending actions */
	uint32_t npend;
	/* vcpu affinity: per vcpu a hard then a soft map of aff_bytes
	   bytes (bit i: CPU i); NULL while every vcpu may run anywhere */
	uint8_t *aff;
	uint32_t aff_bytes;
	/* the guest's writes to its memory (xvm.dirty=PAGES/s on its command
	   line) and the log-dirty bitmap by pfn while XEN_DOMCTL_shadow_op
	   has it on */
	uint32_t dirty_rate;
	bool logdirty;
	int64_t dirty_stamp;		/* host clock the writes are up to */
	uint64_t dirty_seq;		/* writes so far (picks the pages) */
	uint8_t *dirty;
	uint64_t dirty_bits;
	/* a busy guest (xvm.load=P on its command line): each online vcpu
	   wants P% of a CPU; 0: an idle guest's small load */
	uint32_t load_pm;
};

/* The machine-frame index: who owns which frames (sorted by mfn). */
struct sim_m2p {
	uint64_t mfn;
	uint32_t count;
	uint16_t domid;
};

/* The persistent host. */
struct sim_host {
	uint32_t nr_cpus;
	uint32_t nr_nodes;		/* NUMA nodes, CPUs spread evenly */
	uint32_t threads_per_core;
	uint32_t cores_per_socket;
	uint32_t cpu_khz;
	uint32_t capabilities;		/* XEN_SYSCTL_PHYSCAP_* */
	uint32_t sched_id;		/* XEN_SCHEDULER_* */
	uint64_t total_pages;
	uint64_t used_pages;		/* frames owned by domains (not saved) */
	int64_t clock_ns;		/* simulated up to (CLOCK_REALTIME) */
	uint32_t rover;			/* last domid handed out */
	uint64_t xs_seq;		/* DIR/xenstore-<xs_seq> */
	struct sim_dom *doms;		/* sorted by domid */
	size_t ndoms, cdoms;
	/* domains changed since the last journal record (not saved) */
	uint32_t *touched;
	size_t ntouched, ctouched;
	/* every domain's frames by mfn, derived from their runs */
	struct sim_m2p *m2p;
	size_t nm2p, cm2p;
	int64_t next_due;		/* earliest pending guest action, 0 */
	uint64_t mfn_rover;		/* where the next RAM allocation looks */
	uint64_t heap_rover;		/* and the next of Xen's pages */
};

/* One watch this io handle registered (re-armed when the store reloads). */
struct sim_watch {
	char *path;
	char *token;
};

/* The hypervisor's console ring (sim_console.c); Xen's default size. */
#define SIM_CONRING_SIZE 16384u
struct sim_conring {
	uint32_t prod, cons;		/* free-running byte counters */
	char buf[SIM_CONRING_SIZE];
};

/* An open transaction; lost when the store was reloaded under it. */
struct sim_tx {
	uint32_t id;
	bool lost;
};

/* The io handle's private state. */
struct sim {
	char *dir;
	char *state_path;
	char *lock_path;
	char *console_path;		/* DIR/console */
	int memfd;			/* machine memory: DIR/memory, or memfd */
	uint64_t memsize;		/* its size as last seen */
	struct xvm_lock lock;
	struct sim_conring con;		/* loaded under the lock when used */

	bool loaded;			/* host/xs mirror the disk */
	bool locked;			/* this operation holds DIR/lock */
	uint64_t gen;			/* generation of DIR/state loaded */
	char *journal_path;		/* DIR/journal */
	int jfd;			/* open on it (keeps its inode), or -1 */
	uint64_t jdev, jino;		/* its identity */
	uint64_t jbase;			/* the state generation it follows */
	uint32_t jver;			/* its version (1: no frames) */
	uint64_t jend;			/* bytes applied: a record boundary */
	uint64_t jsize;			/* its size when they were */
	uint64_t snap_bytes;		/* state + image at the last snapshot */
	uint64_t jmin;			/* SIM_JOURNAL_MIN or the environment's */
	uint64_t *seqp;			/* DIR/lock's change counter, mapped */
	uint64_t seq_seen;		/* its value when the view was current */
	struct sim_host host;
	struct xs_store *xs;
	struct xs_conn *conn;		/* dom0's connection of this handle */
	struct xs_conn *gconn;		/* the guests' watch on /local/domain */

	struct sim_watch *watches;
	size_t nwatches, cwatches;
	struct sim_tx *txs;		/* transactions this handle opened */
	size_t ntxs, ctxs;
	struct xvm_buf *events;		/* queued watch event messages */
	size_t nevents, cevents, event_head;

	struct xvm_err last_err;	/* why the last hypercall got -EIO */
};

/* ---- sim_state.c ------------------------------------------------------ */

/* Bytes of the state and journal files; exposed for tests of corruption. */
#define SIM_STATE_MAGIC "XVMSIMST"
#define SIM_STATE_VERSION 3u
#define SIM_JOURNAL_MAGIC "XVMSIMJL"
#define SIM_JOURNAL_HDR 24u
#define SIM_JOURNAL_VERSION 2u
/* Past this many journal bytes (and an eighth of the snapshot) it is folded
   into a new snapshot; XVM_SIM_JOURNAL_MIN=BYTES changes it (tests make
   snapshots frequent with it). */
#define SIM_JOURNAL_MIN (1u << 20)

/*
 * A new host from spec (zero figures = defaults: 8 CPUs on one node and
 * one socket, 2.4 GHz, 16 GiB) with Domain-0 unless spec says without.
 */
void sim_host_init(struct sim_host *h, const struct xvm_sim_spec *spec);
void sim_host_release(struct sim_host *h);	/* idempotent */

/*
 * Lookup in the sorted table; NULL when absent.  A domain is changed only
 * through sim_dom_mut, sim_dom_insert or sim_dom_remove, which note it for
 * the next journal record (so the record costs what changed, not the
 * table's size, and no change can miss the journal: the const makes the
 * compiler say so).
 */
const struct sim_dom *sim_dom_find(const struct sim_host *h, uint32_t domid);
struct sim_dom *sim_dom_mut(struct sim_host *h, uint32_t domid);
/* Insert a zeroed record for domid (which must be absent). */
struct sim_dom *sim_dom_insert(struct sim_host *h, uint32_t domid);
void sim_dom_remove(struct sim_host *h, uint32_t domid);
/* Frames of domains' RAM in use (Xen's pages for them are apart: see
   sim_mem.c); kept by sim_mem_alloc/free.  sim_count_pages is the slow
   sum (of tot_pages). */
uint64_t sim_used_pages(const struct sim_host *h);
uint64_t sim_count_pages(const struct sim_host *h);
/* A domain consuming CPU time now. */
bool sim_vcpu_busy(const struct sim_dom *d, uint32_t v);
bool sim_dom_running(const struct sim_dom *d);
/*
 * Before a change that alters a domain's CPU share (pause, shutdown,
 * vcpus, weight, cap, its load): take the CPU time up to now at the old
 * shares; for a busy guest, that of every busy guest (they share the
 * host's CPUs by weight).
 */
void sim_dom_changing(struct sim_host *h, struct sim_dom *d);
/* Every busy domain's CPU time up to now (before one becomes busy). */
void sim_busy_settle(struct sim_host *h);
/*
 * CPU time is kept lazily, so that time passing changes no record: a
 * domain's time at the host clock is cpu_time plus what its rate (online
 * vcpus, cap, running or not) gave since cpu_stamp.  Settle a domain
 * before changing anything its rate depends on.
 */
uint64_t sim_dom_cpu(const struct sim_host *h, const struct sim_dom *d);
void sim_dom_settle(struct sim_host *h, struct sim_dom *d);
/* The credit scheduler's default weight. */
#define SIM_DEF_WEIGHT 256u

/* Bring the host clock up to now. */
void sim_advance(struct sim_host *h);

/*
 * Begin an operation: make sim->host and sim->xs the state on disk
 * (applying what other processes appended to the journal, or reloading
 * after a new snapshot), then advance the clock.  A change takes
 * DIR/lock; a read-only operation (ro) whose view is current takes no
 * lock at all.  sim_end journals what changed and unlocks.
 */
int sim_begin(struct sim *s, bool ro, struct xvm_err *err);
int sim_end(struct sim *s, bool dirty, bool xs_dirty, struct xvm_err *err);
/* First open: create DIR and the host when missing, else load it. */
int sim_open_state(struct sim *s, const struct xvm_sim_spec *spec,
    struct xvm_err *err);
/* A host in memory only (s->dir == NULL). */
int sim_open_mem(struct sim *s, const struct xvm_sim_spec *spec,
    struct xvm_err *err);
void sim_release_state(struct sim *s);

/* ---- sim_mem.c ---------------------------------------------------------- */

/* Frames of Xen's heap, above the domains' RAM. */
#define SIM_XENHEAP_FRAMES (1ull << 24)
static inline uint64_t
sim_mem_end(const struct sim_host *h)
{
	return h->total_pages + 1 + SIM_XENHEAP_FRAMES;
}

/* Open (create) the machine memory of s's host; -1 with err. */
int sim_mem_open(struct sim *s, struct xvm_err *err);
/* Rebuild h->m2p (and used_pages) from the domains' runs (a load). */
void sim_m2p_rebuild(struct sim_host *h);
/* Enter or drop all of d's runs in h->m2p and used_pages. */
void sim_m2p_add(struct sim_host *h, const struct sim_dom *d);
bool sim_m2p_range_free(const struct sim_host *h, uint64_t mfn, uint64_t n);
void sim_m2p_drop(struct sim_host *h, const struct sim_dom *d);
/* The domain owning machine frame mfn; NULL when free. */
const struct sim_m2p *sim_m2p_find(const struct sim_host *h, uint64_t mfn);
/*
 * Give d n contiguous machine frames (aligned to align, a power of two)
 * as kind/pfn; *mfn_r is the first.  -ENOMEM when the host has no such
 * range.  The frames read as zero: the caller passes each new range to
 * sim_mem_zero once the operation is done.
 */
int sim_mem_alloc(struct sim_host *h, struct sim_dom *d, uint32_t kind,
    uint64_t pfn, uint64_t n, uint64_t align, uint64_t *mfn_r);
/* Take mfn .. mfn+n-1 back from d (they must be its); -EINVAL if not. */
int sim_mem_free(struct sim_host *h, struct sim_dom *d, uint64_t mfn,
    uint64_t n);
/* All of d's frames back to the host. */
void sim_mem_free_all(struct sim_host *h, struct sim_dom *d);
/* The first frame of d's run of kind/pfn (non-RAM kinds), or 0. */
uint64_t sim_mem_special(const struct sim_dom *d, uint32_t kind,
    uint64_t pfn);
/* The machine frame of pseudo-physical frame pfn of d (RAM), or -1. */
int64_t sim_mem_pfn_to_mfn(const struct sim_dom *d, uint64_t pfn);
/* The pseudo-physical frame of the domain's RAM frame mfn, or -1. */
int64_t sim_mem_mfn_to_pfn(const struct sim_dom *d, uint64_t mfn);
/* Make the memory file reach frame end_mfn (exclusive). */
int sim_mem_cover(struct sim *s, uint64_t end_mfn, struct xvm_err *err);
/* Zero machine frames (punch them out of the memory file). */
void sim_mem_zero(struct sim *s, uint64_t mfn, uint64_t n);
/* Read/write bytes of machine memory; -1 with err on failure. */
int sim_mem_read(struct sim *s, uint64_t maddr, void *buf, size_t len,
    struct xvm_err *err);
int sim_mem_write(struct sim *s, uint64_t maddr, const void *buf,
    size_t len, struct xvm_err *err);
/* Free a record's variable part. */
void sim_dom_release(struct sim_dom *d);

/* A PV (not translated) domain names its frames by machine number. */
static inline bool
sim_dom_pv(const struct sim_dom *d)
{
	return !(d->cdf & 1u);		/* XEN_DOMCTL_CDF_hvm */
}

/* ---- sim_pv.c ----------------------------------------------------------- */

struct mmuext_op;
struct xen_domctl_vcpucontext;
/* event_channel_op, grant_table_op, mmuext_op: Xen's results. */
long sim_evtchn_op(struct sim *s, unsigned cmd, void *arg, bool *dirty);
long sim_pageframe_types(struct sim *s, const struct sim_dom *d,
    uint64_t *arr, uint64_t num);
long sim_gnttab_op(struct sim *s, unsigned cmd, void *arg, unsigned count,
    bool *dirty);
long sim_mmuext_op(struct sim *s, struct mmuext_op *ops, unsigned count,
    unsigned *done, uint32_t foreigndom, bool *dirty);
/* Close every port of a dying domain. */
void sim_evtchn_close_all(struct sim *s, struct sim_dom *d);
/* Xen's type check of the page-table tree at l4 (0 or -EINVAL). */
int sim_pt_check(struct sim *s, uint16_t domid, uint64_t l4);
/* XEN_DOMCTL_hypercall_init, set/getvcpucontext. */
long sim_hypercall_init(struct sim *s, struct sim_dom *d, uint64_t gmfn);
long sim_vcpucontext(struct sim *s, struct sim_dom *d,
    struct xen_domctl_vcpucontext *vc, bool set, bool *dirty);
/* Map frames of domid here (io's map_foreign); under sim_begin. */
void *sim_map(struct sim *s, uint16_t domid, int prot, const uint64_t *gfns,
    int *errs, size_t n, struct xvm_err *err);

/* ---- sim_guest.c -------------------------------------------------------- */

/*
 * The simulated PV guest kernel.  sim_guest_boot runs at a domain's first
 * unpause; sim_guest_watch reads what dom0 wrote for guests (shutdown
 * requests, memory targets, vcpu availability) and schedules the guests'
 * answers; sim_guest_tick carries out the ones that are due (under the
 * lock, from sim_begin); sim_guest_rescan recomputes host.next_due.
 */
void sim_guest_boot(struct sim *s, struct sim_dom *d);
/*
 * The simulated installer (sim_install.c): the system in payload (a tar
 * or cpio archive) on a new ext2 file system filling the disk image;
 * the number of files written, or -1 with why filled.
 */
int sim_install_system(const char *disk, const void *payload, size_t len,
    char *why, size_t whylen);
/* XEN_DOMCTL_resumedomain of a suspended domain: the guest carries on. */
void sim_guest_resume(struct sim *s, struct sim_dom *d);
/* An event for port of domain domid (EVTCHNOP_send from dom0). */
void sim_guest_event(struct sim *s, uint32_t domid, uint32_t port);
/* Its memory writes up to now (before it stops running: a pause). */
void sim_guest_catch_up(struct sim *s, struct sim_dom *d);
/* XEN_DOMCTL_shadow_op (log-dirty) of a PV domain. */
struct xen_domctl_shadow_op;
long sim_shadow_op(struct sim *s, struct sim_dom *d,
    struct xen_domctl_shadow_op *op, bool *dirty);
void sim_guest_watch(struct sim *s);
void sim_guest_tick(struct sim *s);
void sim_guest_rescan(struct sim_host *h);
/* A new store: a new watch connection on it. */
void sim_guest_rebind(struct sim *s);

/* What sim_hvm.c has the guest do (sim_guest.c). */
void sim_guest_line(struct sim *s, struct sim_dom *d, const char *line);
void sim_guest_installed(struct sim *s, struct sim_dom *d, int n,
    const char *why, const char *disk);
void sim_guest_crash(struct sim *s, struct sim_dom *d, const char *why);
void sim_guest_installing(struct sim *s, struct sim_dom *d, double secs);
void sim_guest_up(struct sim *s, struct sim_dom *d, const char *banner);

/* ---- sim_hvm.c ---------------------------------------------------------- */

struct xen_domctl_hvmcontext;
/* hvm_op set/get_param, get/sethvmcontext, the paging pool: Xen's results */
long sim_hvm_op(struct sim *s, unsigned cmd, void *arg, bool *dirty);
long sim_hvmcontext(struct sim *s, struct sim_dom *d,
    struct xen_domctl_hvmcontext *hc, bool set, bool *dirty);
long sim_paging_mempool(struct sim *s, struct sim_dom *d, uint64_t bytes,
    bool *dirty);
uint64_t sim_hvm_param(struct sim *s, struct sim_dom *d, uint32_t index);
uint64_t sim_hvm_console_mfn(struct sim *s, struct sim_dom *d);
/* The device model QEMU would be (io's dm_start / dm_stop; locked). */
int sim_dm_start(struct sim *s, uint32_t domid, char *const *argv,
    struct xvm_err *err);
void sim_dm_stop(struct sim *s, uint32_t domid);
/* The firmware at an HVM domain's first unpause; its installer's work. */
void sim_hvm_boot(struct sim *s, struct sim_dom *d);
/* DIR/firmware/hvmloader and bios-256k.bin, written when missing. */
void sim_firmware_install(const char *dir);
void sim_hvm_install(struct sim *s, struct sim_dom *d);
/* Its PV drivers: up (the callback registered); the balloon's aim. */
void sim_hvm_pv_drivers(struct sim *s, struct sim_dom *d);
void sim_hvm_balloon(struct sim *s, struct sim_dom *d, uint64_t want);
/*
 * El Torito: with cat NULL, the boot record volume descriptor (sector 17)
 * gives the catalog's sector; with the catalog, the default entry's boot
 * image (offset and length in the image).  0, or -1 (no such record) /
 * -2 (not bootable).
 */
int sim_eltorito_parse(const unsigned char vd[2048],
    const unsigned char cat[2048], uint32_t *catalog_r, uint64_t *off_r,
    uint32_t *len_r);

/* ---- sim_console.c ---------------------------------------------------- */

struct xen_sysctl_readconsole;
/* Append text to the ring (and DIR/console); under the lock. */
int sim_console_write(struct sim *s, const char *text, struct xvm_err *err);
/* The boot lines of a new host. */
int sim_console_boot(struct sim *s, struct xvm_err *err);
/* XEN_SYSCTL_readconsole; -EIO with s->last_err when the file fails. */
long sim_console_read(struct sim *s, struct xen_sysctl_readconsole *op);

/* Re-arm this handle's watches on a (re)loaded store (sim.c). */
void sim_xs_rebind(struct sim *s, struct xs_store *old);
/* Fire this handle's watches for a path another process changed. */
void sim_xs_changed(void *sim, const char *path);

#endif

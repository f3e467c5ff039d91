/*
 * sim_int.h - the simulated Xen host's state, shared by sim.c (the
 * hypercalls and the xenstore transport) and sim_state.c (persistence,
 * locking, the clock).  Internal to lib/xen/io.
 *
 * The host lives in a directory DIR:
 *   DIR/lock            the lock taken around every operation
 *   DIR/state           host figures and the domain table (sim_state.c)
 *   DIR/xenstore-<seq>  the xenstore image (xs_store_save) that DIR/state
 *                       names; a new image gets a new name, so a state
 *                       file never points at a half-written store
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
	uint64_t cpu_time;		/* ns */
	int64_t time_offset;		/* seconds (settimeoffset) */
	int64_t created_ns;		/* CLOCK_REALTIME at createdomain */
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
	int64_t clock_ns;		/* simulated up to (CLOCK_REALTIME) */
	uint32_t rover;			/* last domid handed out */
	uint64_t xs_seq;		/* DIR/xenstore-<xs_seq> */
	struct sim_dom *doms;		/* sorted by domid */
	size_t ndoms, cdoms;
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
	struct xvm_lock lock;
	struct sim_conring con;		/* loaded under the lock when used */

	bool loaded;			/* host/xs mirror the disk at gen */
	uint64_t gen;			/* generation of DIR/state read */
	uint64_t xs_seq;		/* store image loaded */
	struct sim_host host;
	struct xs_store *xs;
	struct xs_conn *conn;		/* dom0's connection of this handle */

	struct sim_watch *watches;
	size_t nwatches, cwatches;
	struct sim_tx *txs;		/* transactions this handle opened */
	size_t ntxs, ctxs;
	struct xvm_buf *events;		/* queued watch event messages */
	size_t nevents, cevents, event_head;

	struct xvm_err last_err;	/* why the last hypercall got -EIO */
};

/* ---- sim_state.c ------------------------------------------------------ */

/* Bytes of the state file; exposed for tests of corruption. */
#define SIM_STATE_MAGIC "XVMSIMST"
#define SIM_STATE_VERSION 1u

/*
 * A new host from spec (zero figures = defaults: 8 CPUs on one node and
 * one socket, 2.4 GHz, 16 GiB) with Domain-0 unless spec says without.
 */
void sim_host_init(struct sim_host *h, const struct xvm_sim_spec *spec);
void sim_host_release(struct sim_host *h);	/* idempotent */

/* Lookup in the sorted table; NULL when absent. */
struct sim_dom *sim_dom_find(struct sim_host *h, uint32_t domid);
/* Insert a zeroed record for domid (which must be absent). */
struct sim_dom *sim_dom_insert(struct sim_host *h, uint32_t domid);
void sim_dom_remove(struct sim_host *h, uint32_t domid);
/* Pages all domains hold. */
uint64_t sim_used_pages(const struct sim_host *h);
/* A domain consuming CPU time now. */
bool sim_dom_running(const struct sim_dom *d);
/* The credit scheduler's default weight. */
#define SIM_DEF_WEIGHT 256u

/* Bring the CPU-time accounting up to now. */
void sim_advance(struct sim_host *h);

/*
 * Begin an operation: take DIR/lock and make sim->host and sim->xs the
 * state on disk (loading only when another process changed it), then
 * advance the clock.  sim_end saves when dirty and unlocks.
 */
int sim_begin(struct sim *s, struct xvm_err *err);
int sim_end(struct sim *s, bool dirty, bool xs_dirty, struct xvm_err *err);
/* First open: create DIR and the host when missing, else load it. */
int sim_open_state(struct sim *s, const struct xvm_sim_spec *spec,
    struct xvm_err *err);
/* A host in memory only (s->dir == NULL). */
int sim_open_mem(struct sim *s, const struct xvm_sim_spec *spec,
    struct xvm_err *err);
void sim_release_state(struct sim *s);

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

#endif

/*
 * toolstack.h - what an administrator asks of a host, whatever the host
 * is: a real Xen (xen:///system), a simulated one (sim:///DIR) ...
 * The commands use this API only; it is built on lib/xen.
 */
#ifndef XVM_TOOLSTACK_H
#define XVM_TOOLSTACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "xvm/err.h"
#include "xvm/util.h"

struct xvm_conn;

enum {
	XVM_CONNECT_VIRSH = 1 << 0,	/* also VIRSH_DEFAULT_CONNECT_URI and
					   LIBVIRT_DEFAULT_URI */
};

/*
 * Connect to `uri`, or when NULL to the default host (DESIGN.md: then
 * XVM_DEFAULT_URI, [virsh's variables], default_uri in /etc/xvm/xvm.conf,
 * xen:///system where Xen runs, else the user's simulated host).
 * *created_r (may be NULL) tells that a simulated host was just created,
 * for the command to announce it.
 */
int xvm_connect(const char *uri, unsigned flags, struct xvm_conn **conn_r,
    bool *created_r, struct xvm_err *err);
void xvm_disconnect(struct xvm_conn *conn);	/* NULL-safe */
const char *xvm_conn_uri(const struct xvm_conn *conn);	/* canonical */

/* The host as `xl info` shows it. */
struct xvm_hostinfo {
	char host[65], release[65], version[65], machine[65];	/* uname */
	unsigned nr_cpus, max_cpu_id, nr_nodes, cores_per_socket,
	    threads_per_core;
	unsigned cpu_khz;
	unsigned hw_cap[8];
	char virt_caps[128];
	unsigned long long total_mib, free_mib, outstanding_mib;
	unsigned long long free_kib;		/* exact */
	int xen_major, xen_minor;
	char xen_extra[16];
	char xen_caps[1024];
	char xen_scheduler[16];
	long xen_pagesize;
	unsigned long long virt_start;
	char xen_changeset[64], xen_commandline[1024];
	char cc_compiler[64], cc_compile_by[16], cc_compile_domain[32],
	    cc_compile_date[32];
	char build_id[129];
};

int xvm_host_info(struct xvm_conn *conn, struct xvm_hostinfo *hi,
    struct xvm_err *err);

/* The host's NUMA cells: their memory and free memory. */
struct xvm_cell_mem {
	unsigned id;
	unsigned long long mem_kib, free_kib;
};
int xvm_host_cells(struct xvm_conn *conn, struct xvm_cell_mem **cells_r,
    unsigned *n_r, struct xvm_err *err);

/*
 * The host's capabilities as libvirt's capabilities XML (caller frees):
 * the CPU, the NUMA cells with their CPUs, and the guest types the
 * hypervisor runs.
 */
int xvm_host_capabilities(struct xvm_conn *conn, char **xml_r,
    struct xvm_err *err);

/* One domain as `xl list` shows it. */
struct xvm_domstat {
	uint32_t id;
	char *name;
	unsigned char uuid[16];
	uint64_t mem_kib;		/* current allocation */
	uint64_t max_kib;		/* what Xen lets it have */
	uint32_t vcpus;			/* online */
	char state[7];			/* "r-----": r b p s c d */
	double cpu_seconds;
};

/*
 * The domains as libvirt shows them (vdom.c): running ones (Domain-0
 * included) and defined ones that do not run, with libvirt's state, the
 * reason for it ("booted", "unpaused", "user", "destroyed", "shutdown",
 * "crashed", "saved", "restored", "migrated", else "unknown"),
 * persistence (a definition exists) and autostart.
 */
enum xvm_vstate {
	XVM_VS_NOSTATE, XVM_VS_RUNNING, XVM_VS_BLOCKED, XVM_VS_PAUSED,
	XVM_VS_SHUTDOWN, XVM_VS_SHUTOFF, XVM_VS_CRASHED, XVM_VS_PMSUSPENDED,
};
struct xvm_vdom {
	long id;			/* -1: not running */
	char *name;
	unsigned char uuid[16];
	enum xvm_vstate state;
	char reason[32];
	bool persistent, autostart, hvm;
	uint64_t max_kib, cur_kib;
	unsigned vcpus;
	double cpu_seconds;
	const char *os_type;		/* "xen", "hvm" ("linux": test) */
	char *title;			/* NULL: none */
};
int xvm_vdom_list(struct xvm_conn *conn, struct xvm_vdom **list_r,
    size_t *n_r, struct xvm_err *err);
void xvm_vdom_free(struct xvm_vdom *list, size_t n);
/* "running", "idle", "paused", "in shutdown", "shut off", "crashed", ... */
const char *xvm_vstate_name(enum xvm_vstate s);
/*
 * One domain by virsh's rules: an id (of a running domain), then a UUID,
 * then a name, as `by` allows; XVM_ERR_NO_DOMAIN "failed to get domain
 * 'x'".  Free with xvm_vdom_free(v, 0) semantics: free(v->name), title.
 */
enum { XVM_BY_ID = 1, XVM_BY_UUID = 2, XVM_BY_NAME = 4, XVM_BY_ANY = 7 };
int xvm_vdom_find(struct xvm_conn *conn, const char *dom, unsigned by,
    struct xvm_vdom *v_r, struct xvm_err *err);
void xvm_vdom_clear(struct xvm_vdom *v);
/* Is this libvirt's test-driver host (test:///default)? */
bool xvm_conn_is_test(const struct xvm_conn *conn);

/*
 * A running domain by name, id or UUID: its id (and name when name_r is
 * not NULL, caller frees).  XVM_ERR_NO_DOMAIN "Domain 'x' does not
 * exist." when there is none.
 */
int xvm_lookup(struct xvm_conn *conn, const char *dom, uint32_t *id_r,
    char **name_r, struct xvm_err *err);

/* Lifecycle of a running domain. */
int xvm_pause(struct xvm_conn *conn, uint32_t id, struct xvm_err *err);
int xvm_unpause(struct xvm_conn *conn, uint32_t id, struct xvm_err *err);
/* Destroy at once, and remove what the toolstack wrote of it in xenstore. */
int xvm_destroy(struct xvm_conn *conn, uint32_t id, struct xvm_err *err);

/*
 * Start the PV domain dom describes (kernel, ramdisk, command line,
 * memory, vcpus, disks, nics; libxl's layout in xenstore): *id_r is its
 * id.  Paused with XVM_CREATE_PAUSED.  On failure nothing of it is left.
 */
struct xvm_domain;
enum { XVM_CREATE_PAUSED = 1 << 0 };
/*
 * A domain with a bootloader and no kernel boots what its first disk's
 * GRUB configuration says (bootloader.c, pygrub's job): the kernel and
 * ramdisk copied into dir (files the caller unlinks with
 * xvm_boot_pick_release), the command line, the entry's title.
 */
struct xvm_boot_pick {
	char *kernel, *initrd, *args, *title;
};
int xvm_bootloader(const char *disk, const char *dir,
    struct xvm_boot_pick *p, struct xvm_err *err);
void xvm_boot_pick_release(struct xvm_boot_pick *p);
int xvm_create(struct xvm_conn *conn, const struct xvm_domain *dom,
    unsigned flags, uint32_t *id_r, struct xvm_err *err);

/*
 * The store of defined domains, shared by xm and virsh (store.c).  A
 * domain is named by name or UUID.
 *
 * xvm_define adds d or replaces the definition with its UUID (d gets a
 * UUID when it has none; *replaced_r, may be NULL, tells which).  As
 * libvirt, a name and a UUID stay paired across the definitions and the
 * running domains: XVM_ERR_OPERATION_FAILED "domain 'x' already exists
 * with uuid U" / "domain 'x' is already defined with uuid U" otherwise.
 * Errors of a missing definition: XVM_ERR_NO_DOMAIN "Domain 'x' is not
 * defined."
 */
struct xvm_defined {
	struct xvm_domain *dom;
	bool autostart;
};
bool xvm_name_valid(const char *name, struct xvm_err *err);
int xvm_define(struct xvm_conn *conn, struct xvm_domain *d, bool *replaced_r,
    struct xvm_err *err);
/* Remove a definition (a running domain keeps running); *name_r its name. */
int xvm_undefine(struct xvm_conn *conn, const char *dom, char **name_r,
    struct xvm_err *err);
/* All definitions, by name. */
int xvm_defined_list(struct xvm_conn *conn, struct xvm_defined **list_r,
    size_t *n_r, struct xvm_err *err);
void xvm_defined_free(struct xvm_defined *list, size_t n);
int xvm_defined_get(struct xvm_conn *conn, const char *dom,
    struct xvm_domain **d_r, bool *autostart_r, struct xvm_err *err);
/* Rename a definition (of a domain that does not run: the caller checks). */
int xvm_rename_defined(struct xvm_conn *conn, const char *dom,
    const char *name, struct xvm_err *err);
int xvm_autostart(struct xvm_conn *conn, const char *dom, bool on,
    struct xvm_err *err);
/* Start a defined domain (XVM_CREATE_PAUSED); "already active" if it runs. */
int xvm_start(struct xvm_conn *conn, const char *dom, unsigned flags,
    uint32_t *id_r, struct xvm_err *err);
/* Is there a definition with this UUID? */
bool xvm_is_persistent(struct xvm_conn *conn, const unsigned char uuid[16]);
/*
 * The config running domain id was started from, with its id;
 * XVM_ERR_NOT_FOUND when xvm did not start it.
 */
int xvm_running_config(struct xvm_conn *conn, uint32_t id,
    struct xvm_domain **d_r, struct xvm_err *err);
/* Replace it (what a restart and a live dumpxml go by), e.g. its title. */
int xvm_set_running_config(struct xvm_conn *conn, uint32_t id,
    const struct xvm_domain *d, struct xvm_err *err);
/*
 * Reset running domain id at once: destroyed and started again from its
 * config (a new id), as a hard reset reboots a PV guest; on the test
 * host, in place as libvirt's test driver does it.
 */
int xvm_reset(struct xvm_conn *conn, uint32_t id, struct xvm_err *err);

/*
 * Ask a PV guest to power off, reboot or halt (control/shutdown).  When it
 * has, its config's on_poweroff/on_reboot/on_crash is carried out by the
 * next listing of the host (lifecycle.c).
 */
enum xvm_shutdown_how {
	XVM_SHUTDOWN_POWEROFF,
	XVM_SHUTDOWN_REBOOT,
	XVM_SHUTDOWN_HALT,
};
int xvm_shutdown(struct xvm_conn *conn, uint32_t id,
    enum xvm_shutdown_how how, struct xvm_err *err);
/*
 * Send a PV guest the magic SysRq key `key` (one printable character) by
 * control/sysrq; a Linux guest takes it and writes the node back empty.
 */
int xvm_sysrq(struct xvm_conn *conn, uint32_t id, const char *key,
    struct xvm_err *err);
/*
 * Wait until domain id (with this UUID) has stopped: gone (destroyed, or
 * restarted under a new id) or kept stopped ('s'/'c' in xm list).
 * XVM_ERR_OPERATION_FAILED after timeout_s seconds (0: no limit).
 */
int xvm_wait_stopped(struct xvm_conn *conn, uint32_t id,
    const unsigned char uuid[16], double timeout_s, struct xvm_err *err);
/* "poweroff", "reboot", "suspend", "crash", "watchdog", "soft_reset" */
const char *xvm_shutdown_reason_name(int reason);
/*
 * Rename running domain id (its definition, if any, follows); names stay
 * unique across running and defined domains.
 */
int xvm_rename(struct xvm_conn *conn, uint32_t id, const char *name,
    struct xvm_err *err);

/*
 * Save running PV domain id to file (Xen 4.17 xl's format; never over an
 * existing file) and destroy it; when the save fails the guest runs on.
 * Restore a domain from such a file (XVM_CREATE_PAUSED: left paused);
 * the whole file is checked before anything is created.
 */
int xvm_save(struct xvm_conn *conn, uint32_t id, const char *file,
    struct xvm_err *err);
int xvm_restore(struct xvm_conn *conn, const char *file, unsigned flags,
    uint32_t *id_r, struct xvm_err *err);

/*
 * The core of domain id's memory as Xen's dump-core ELF file (never over
 * an existing file).  The domain is paused meanwhile unless
 * XVM_DUMP_LIVE, and destroyed afterwards with XVM_DUMP_CRASH.
 * xvm_dump_path: xm's default file for it (DUMPDIR/DATE-NAME.ID.core;
 * /var/xen/dump on Xen, DIR/dump on a simulated host; NULL on the test
 * host, which keeps no files).
 */
enum { XVM_DUMP_LIVE = 1 << 0, XVM_DUMP_CRASH = 1 << 1 };
int xvm_dump_core(struct xvm_conn *conn, uint32_t id, const char *file,
    unsigned flags, uint64_t *pages_r, struct xvm_err *err);
char *xvm_dump_path(struct xvm_conn *conn, const char *name, uint32_t id);

/*
 * What a running domain is given (resources.c).  Memory in KiB: the
 * target the guest's balloon aims at (at most its maximum; Xen holds it
 * there), and the maximum (at least the target).  Online vcpus: 1 to its
 * maximum.  Affinity: vcpu (-1: all) may run on the CPUs of hard and
 * prefers soft (CPU lists as cpumap.h; NULL leaves one as it is).
 */
/* A running domain's maximum memory, as set (memory/static-max), KiB. */
int xvm_get_maxmem(struct xvm_conn *conn, uint32_t id, uint64_t *kib_r,
    struct xvm_err *err);
int xvm_set_memory(struct xvm_conn *conn, uint32_t id, uint64_t kib,
    struct xvm_err *err);
int xvm_set_maxmem(struct xvm_conn *conn, uint32_t id, uint64_t kib,
    struct xvm_err *err);
int xvm_set_vcpus(struct xvm_conn *conn, uint32_t id, unsigned n,
    struct xvm_err *err);
int xvm_vcpu_pin(struct xvm_conn *conn, uint32_t id, int vcpu,
    const char *hard, const char *soft, struct xvm_err *err);

/* One vcpu as xl vcpu-list shows it. */
struct xvm_vcpustat {
	uint32_t vcpu;
	int cpu;			/* -1 when offline */
	bool online, running, blocked;
	double cpu_seconds;
	char *hard, *soft;		/* "all", "0-3,6" */
};
int xvm_vcpu_list(struct xvm_conn *conn, uint32_t id,
    struct xvm_vcpustat **list_r, size_t *n_r, struct xvm_err *err);
void xvm_vcpustat_free(struct xvm_vcpustat *list, size_t n);

/*
 * The credit scheduler's weight (1..65535) and cap (% of one CPU, 0 none)
 * of domain id; with set, a negative value leaves that one as it is.
 * *out (may be NULL) receives what the domain has.
 */
struct xvm_credit {
	unsigned weight, cap;
};
int xvm_sched_credit(struct xvm_conn *conn, uint32_t id, bool set,
    int weight, int cap, struct xvm_credit *out, struct xvm_err *err);

/* Pool-0's credit scheduler: time slice, rate limit, migration delay. */
struct xvm_credit_params_ts {
	unsigned tslice_ms, ratelimit_us, migr_delay_us;
};
int xvm_credit_params(struct xvm_conn *conn, struct xvm_credit_params_ts *p,
    struct xvm_err *err);

/*
 * A domain's console (console.c): xenconsoled's pty on a real Xen host,
 * the guest's console ring on a simulated one.  Reads do not block (0
 * bytes when there is nothing); xvm_console_fd is the pty to poll, or -1
 * when the caller must poll by reading.
 */
struct xvm_console;
int xvm_console_open(struct xvm_conn *conn, uint32_t id,
    struct xvm_console **con_r, struct xvm_err *err);
int xvm_console_fd(const struct xvm_console *con);
int xvm_console_read(struct xvm_console *con, char *buf, size_t len,
    size_t *got, struct xvm_err *err);
int xvm_console_write(struct xvm_console *con, const char *buf, size_t len,
    struct xvm_err *err);
void xvm_console_close(struct xvm_console *con);	/* NULL-safe */

/*
 * The monitor of domain id (uuid in text) on this host's Xen, as xl keeps
 * one: it carries out the domain's lifecycle actions when the guest stops
 * and follows it across restarts; it returns when the domain is gone or
 * kept stopped.  The tools run it as their hidden command `__monitor ID
 * UUID`, which xvm starts for every domain it starts there (XVM_MONITOR=0
 * in the environment: none).
 */
int xvm_monitor_run(uint32_t id, const char *uuid, struct xvm_err *err);

/*
 * Move running PV domain id to the host of dest (a URI, or this host
 * named "localhost" or by its host name), live (XVM_MIGRATE_LIVE: Xen's
 * pre-copy rounds over the guest's log-dirty bitmap, then stop-and-copy)
 * or not (suspend, copy).  To the host it runs on only with
 * XVM_MIGRATE_SAME_HOST (xm's and xl's way: the copy arrives as
 * NAME--incoming, the source becomes NAME--migratedaway, then the copy
 * takes the name).  Until the copy runs there, nothing is destroyed; a
 * failure leaves the guest running here.  *mg: what it took.
 */
enum { XVM_MIGRATE_LIVE = 1 << 0, XVM_MIGRATE_SAME_HOST = 1 << 1 };
struct xvm_migration {
	unsigned rounds;		/* live rounds while it ran */
	uint64_t sent[16];		/* pages each round sent */
	uint64_t last;			/* pages sent once it stopped */
	uint64_t total;
	double downtime_ms;		/* stopped here to running there */
	uint32_t new_id;		/* its id there */
};
int xvm_migrate(struct xvm_conn *conn, uint32_t id, const char *dest,
    unsigned flags, struct xvm_migration *mg, struct xvm_err *err);

/* The hypervisor's console ring (clear: and empty it). */
int xvm_dmesg(struct xvm_conn *conn, bool clear, struct xvm_buf *out,
    struct xvm_err *err);
/* The toolstack log's file (NULL on the test host, which keeps none). */
const char *xvm_log_file(struct xvm_conn *conn);
/* How long domain id has been up, in seconds (Domain-0: this machine). */
int xvm_uptime(struct xvm_conn *conn, uint32_t id, double *secs,
    struct xvm_err *err);

/*
 * A running domain's disks ("vbd") and network interfaces ("vif"), as
 * xl block-list / network-list show them; attach (hot-plug) and detach
 * (force: do not wait for the guest to close it).  The config the domain
 * runs from follows.  A disk is named by its frontend name (xvdb) or
 * number; an interface by its index or MAC.
 */
struct xvm_devinfo {
	int devid, backend_id, frontend_id, state, evtch, rref;
	int rref_tx, rref_rx;
	char *backend;			/* its backend's path */
	char *mac;			/* vif */
	char *params;			/* vbd: what backs it */
};
int xvm_device_list(struct xvm_conn *conn, uint32_t id, const char *kind,
    struct xvm_devinfo **list_r, size_t *n_r, struct xvm_err *err);
void xvm_devlist_free(struct xvm_devinfo *list, size_t n);
struct xvm_disk;
struct xvm_net;
int xvm_block_attach(struct xvm_conn *conn, uint32_t id,
    const struct xvm_disk *disk, struct xvm_err *err);
int xvm_block_detach(struct xvm_conn *conn, uint32_t id, const char *dev,
    bool force, struct xvm_err *err);
int xvm_network_attach(struct xvm_conn *conn, uint32_t id, struct xvm_net *nic,
    struct xvm_err *err);
int xvm_network_detach(struct xvm_conn *conn, uint32_t id, const char *dev,
    bool force, struct xvm_err *err);

/* How many devices of kind ("vbd", "vif") domain id has (0: none known). */
long xvm_device_count(struct xvm_conn *conn, uint32_t id, const char *kind);

/* Running domains, in id order. */
int xvm_list(struct xvm_conn *conn, struct xvm_domstat **list_r,
    size_t *n_r, struct xvm_err *err);
void xvm_domstat_free(struct xvm_domstat *list, size_t n);

#endif

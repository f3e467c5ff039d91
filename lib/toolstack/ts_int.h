/*
 * ts_int.h - what the files of lib/toolstack share (not public).
 */
#ifndef XVM_TS_INT_H
#define XVM_TS_INT_H

#include "xvm/file.h"
#include "xvm/log.h"
#include "xvm/toolstack.h"
#include "xen/io/io.h"
#include "xen/xc.h"

struct ts_mem_entry;

struct xvm_conn {
	char *uri;		/* canonical */
	struct xvm_io *io;
	char *statedir;		/* the domain store's home (store.c); NULL:
				   kept in mem (test:///default) */
	char *rundir;		/* running domains' configs */
	struct ts_mem_entry *mem;
	size_t nmem;
	struct xvm_lock lock;	/* the store's, held while lock_depth > 0 */
	unsigned lock_depth;
	bool in_actions;	/* carrying out lifecycle actions */
	bool in_monitor;	/* a domain's monitor (monitor.c) */
	long *monitors;		/* the monitors this process started, to */
	size_t nmonitors;	/* reap when they end (monitor.c) */
	struct xvm_log log;	/* the toolstack log, opened on first use */
	bool log_failed;
	char *logpath;		/* NULL: statedir/xvm.log */
	char *dumpdir;		/* where cores go by default (NULL: none) */
};

/*
 * The areas of the store (store.c), each a set of entries keyed by UUID:
 * definitions, autostart marks, running domains' configs.
 */
enum { TS_DEFS, TS_AUTO, TS_RUN, TS_STATE };
int ts_area_put(struct xvm_conn *c, int area, const char *key,
    const char *data, size_t len, struct xvm_err *err);
/* 1 and *data_r (caller frees) when there, 0 when not, -1 on error. */
int ts_area_get(struct xvm_conn *c, int area, const char *key,
    char **data_r, struct xvm_err *err);
int ts_area_del(struct xvm_conn *c, int area, const char *key,
    struct xvm_err *err);
void ts_mem_free(struct xvm_conn *c);
/* The store's lock; nests within a connection. */
int ts_store_lock(struct xvm_conn *c, struct xvm_err *err);
void ts_store_unlock(struct xvm_conn *c);

/*
 * On a simulated host the toolstack is the guests' xenconsoled: dom0's
 * end of domain id's console channel (0: none), closed when it goes.
 */
uint32_t ts_console_port(struct xvm_conn *c, uint32_t id);
void ts_console_unbind(struct xvm_conn *c, uint32_t port);

/* A record in the toolstack log (`xm log`); nothing on the test host. */
void ts_log(struct xvm_conn *c, enum xvm_log_level level, const char *fmt,
    ...) __attribute__((format(printf, 3, 4)));
/*
 * Carry out the lifecycle actions of the stopped domains in info
 * (lifecycle.c); *acted_r tells that the host changed.  Failures go to
 * the log: the caller's listing goes on.
 */
struct xvm_dominfo;
int ts_actions(struct xvm_conn *c, const struct xvm_dominfo *info, size_t n,
    bool *acted_r);
/* Name domain id (and move its /vm entry to uuid's). */
int ts_set_name(struct xvm_conn *c, uint32_t id, const char *name,
    const unsigned char uuid[16], struct xvm_err *err);

/*
 * Writing xenstore for devices (xsdev.c): a set of writes and
 * directories with permissions, committed in one transaction (retried);
 * the nodes libxl writes for the console, a disk and a nic.
 */
struct ts_kv {
	char *path, *val;		/* val NULL: mkdir */
	const char *perms[3];
	size_t nperms;
};
struct ts_kvs {
	struct ts_kv *v;
	size_t n, c;
};
struct ts_kv *ts_kv_add(struct ts_kvs *k, char *path, char *val);
void ts_kv_perms(struct ts_kv *e, const char *a, const char *b);
void ts_kvs_release(struct ts_kvs *k);
int ts_kvs_commit(struct xvm_io *io, const struct ts_kvs *k,
    struct xvm_err *err);
/* Xen's virtual-device number of a disk name (xvda 51712), or -1. */
long ts_vdev_number(const char *name);
struct xvm_disk;
struct xvm_net;
void ts_dev_console(struct ts_kvs *k, uint32_t id, uint32_t con_port,
    uint64_t con_mfn, char *own, char *ro);
int ts_dev_disk(struct ts_kvs *k, uint32_t id, const struct xvm_disk *d,
    char *own, char *ro, struct xvm_err *err);
void ts_dev_nic(struct ts_kvs *k, uint32_t id, long handle,
    const struct xvm_net *nt, char *own, char *ro);

/*
 * Creating a PV domain (create.c): ts_prefilter checks what the config
 * alone tells (a name, PV, a kernel, vcpus and memory, the lifecycle
 * actions xvm can do); ts_create makes the domain with libxl's xenstore
 * layout around `build`, which fills its memory and vcpus (the PV builder,
 * or a restore) given the domain and its two event channels, and returns
 * the xenstore and console frames.  need_kib (0: the config's target) is
 * the memory checked free.  On failure nothing of it is left.
 */
struct ts_build_args {
	uint32_t id;
	uint64_t target_kib;
	uint32_t store_port, console_port;
	uint64_t store_mfn, console_mfn;	/* out */
};
typedef int (*ts_build_fn)(struct xvm_conn *c, struct ts_build_args *a,
    void *arg, struct xvm_err *err);
int ts_prefilter(struct xvm_conn *c, const struct xvm_domain *dom,
    struct xvm_err *err);
int ts_create(struct xvm_conn *c, const struct xvm_domain *dom,
    unsigned flags, uint64_t need_kib, ts_build_fn build, void *arg,
    uint32_t *id_r, struct xvm_err *err);

/*
 * A real host's backend hotplug scripts (hotplug.c): add/online one
 * (its hotplug-status must say connected), and remove/offline every one
 * of a domain that a script set up.  Nothing on the simulated host.
 */
int ts_hotplug(struct xvm_conn *c, const char *kind, uint32_t domid,
    long devid, bool add, struct xvm_err *err);
void ts_hotplug_remove_all(struct xvm_conn *c, uint32_t domid);

/*
 * A real host's monitor process for domain id (monitor.c), and the
 * reaping of those this process started that have ended.
 */
void ts_monitor_spawn(struct xvm_conn *c, uint32_t id,
    const unsigned char uuid[16]);
void ts_monitor_reap(struct xvm_conn *c);

/*
 * HVM guests (hvm.c): the firmware a build loads (hvmloader and its
 * SeaBIOS module), the video memory and paging pool libxl gives one, and
 * the device model: its command line, started (ready when it says so in
 * xenstore) and stopped (ts_forget does, for any domain that has one).
 */
struct ts_hvm_fw {
	char *loader_path, *bios_path;	/* bios_path NULL: none */
	char *loader, *bios;
	size_t loader_len, bios_len;
};
int ts_hvm_firmware(struct xvm_conn *c, const struct xvm_domain *dom,
    struct ts_hvm_fw *fw, struct xvm_err *err);
void ts_hvm_fw_release(struct ts_hvm_fw *fw);
uint64_t ts_hvm_videoram_kib(const struct xvm_domain *dom);
uint64_t ts_hvm_pool_bytes(uint64_t maxmem_kib, unsigned vcpus);
void ts_dm_argv(struct xvm_conn *c, uint32_t id, const struct xvm_domain *dom,
    uint64_t target_kib, struct xvm_strv *v);
int ts_dm_start(struct xvm_conn *c, uint32_t id, const struct xvm_domain *dom,
    uint64_t target_kib, struct xvm_err *err);
void ts_dm_stop(struct xvm_conn *c, uint32_t id);

/*
 * Saving and restoring (save.c), shared with migration: suspend a guest
 * (control/shutdown, waiting for Xen to say so), resume one whose suspend
 * is not carried through, the config to send in xl's syntax, and a domain
 * created from a stream.
 */
int ts_suspend(struct xvm_conn *c, uint32_t id, struct xvm_err *err);
void ts_resume(struct xvm_conn *c, uint32_t id);
int ts_config_text(struct xvm_conn *c, uint32_t id, struct xvm_buf *text,
    char **name_r, struct xvm_err *err);
int ts_restore_stream(struct xvm_conn *c, int fd, const char *name,
    uint64_t pages, unsigned flags, const char *as_name, uint32_t *id_r,
    struct xvm_err *err);

/*
 * A create flag beside XVM_CREATE_PAUSED: the domain arrives on the host
 * its source still runs on (a migration to this host, as xl's): another
 * domain of its UUID is allowed while the two change places.
 */
enum { TS_CREATE_TWIN = 1 << 8 };

/* Whether a domain other than id has uuid (the other of such a pair). */
bool ts_uuid_twin(struct xvm_conn *c, uint32_t id,
    const unsigned char uuid[16]);

/* Keep (drop) the config domain id was started from, under its UUID. */
/*
 * Why a domain is in the state it is in, as libvirt keeps it (vdom.c):
 * state "running", "paused" or "shutoff" and a reason ("booted",
 * "unpaused", "user", "destroyed", "shutdown", ...), by UUID.  Best
 * effort: a reason that cannot be kept is "unknown" later.
 */
/* test:///default's save, restore and dump (testdrv.c) */
int ts_test_save(struct xvm_conn *c, uint32_t id, const char *file,
    struct xvm_err *err);
int ts_test_restore(struct xvm_conn *c, const char *file, unsigned flags,
    uint32_t *id_r, struct xvm_err *err);
int ts_test_dump(struct xvm_conn *c, uint32_t id, const char *file,
    unsigned flags, struct xvm_err *err);
bool ts_test_image(const char *file);

void ts_reason_set(struct xvm_conn *c, const unsigned char uuid[16],
    const char *state, const char *reason);
void ts_reason_set_id(struct xvm_conn *c, uint32_t id, const char *state,
    const char *reason);

int ts_run_save(struct xvm_conn *c, const struct xvm_domain *d, uint32_t id,
    struct xvm_err *err);
int ts_run_drop(struct xvm_conn *c, const unsigned char uuid[16],
    struct xvm_err *err);

/*
 * A domain without a guest kernel (control.c): createdomain with uuid and
 * vcpus, max_mem max_kib, mem_kib populated, the xenstore nodes a
 * toolstack writes (/local/domain/N/{name,domid,vm}, /vm/UUID/{name,uuid}),
 * then unpaused unless paused.  The test:///default host's domain is one;
 * the test fixtures make theirs so until the PV builder lands.
 */
int ts_domain_make(struct xvm_conn *c, const char *name,
    const unsigned char uuid[16], unsigned vcpus, uint64_t max_kib,
    uint64_t mem_kib, bool paused, uint32_t *id_r, struct xvm_err *err);

/*
 * Remove what the toolstack wrote in xenstore for domain id: its home,
 * its backends under dom0, /libxl/ID and vm (its /vm/UUID; may be NULL).
 */
int ts_forget(struct xvm_conn *c, uint32_t id, const char *vm,
    struct xvm_err *err);

/*
 * The bootloader's parsers (bootloader.c), for their fuzz target: the
 * byte offsets of a disk's file systems (MBR, GPT, or 0), and the default
 * entry of a GRUB configuration (text is modified).
 */
size_t ts_disk_partitions(int fd, uint64_t *offs, size_t max);
bool ts_grub_pick(char *text, bool legacy, char **kernel_r, char **initrd_r,
    char **args_r);

#endif

/*
 * xs_store.h - an in-memory xenstore that behaves as xenstored 4.17 does,
 * its wire protocol, and its persistence.  Internal to libxvm: the
 * simulated Xen host serves it to xvm's own xenstore client, and the client
 * uses the encoding helpers at the bottom.
 *
 * No sockets, threads or event loop: every function runs to completion on
 * the objects it is given.  One store may be used by one thread at a time.
 *
 * Store operations return 0 on success or a positive errno value, the one
 * xenstored would send back (EINVAL, EACCES, ENOENT, ...); the wire layer
 * turns it into the name from xsd_errors[].  They never print or exit.
 *
 * Facts and deliberate deviations from xenstored 4.17 are listed at the top
 * of xs_store.c.
 */
#ifndef XVM_XEN_XS_STORE_H
#define XVM_XEN_XS_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <xen/io/xs_wire.h>

#include "xvm/err.h"
#include "xvm/util.h"

struct xs_store;
struct xs_conn;
struct xs_domain_info;

/* Permission bits of one entry (wire letters n, r, w, b). */
enum {
	XS_STORE_PERM_NONE = 0,
	XS_STORE_PERM_READ = 1,
	XS_STORE_PERM_WRITE = 2,
	XS_STORE_PERM_BOTH = 3,
};

/* One permission entry; the first of a node's list names its owner. */
struct xs_perm {
	uint32_t id;
	uint8_t perm;
};

/* xenstored's quotas; they bind unprivileged (non-dom0) callers only. */
struct xs_quota {
	unsigned int entries;		/* nodes owned per domain: 1000 */
	unsigned int entry_size;	/* node record bytes: 2048 */
	unsigned int watches;		/* watches per domain: 128 */
	unsigned int transactions;	/* open transactions per conn: 10 */
	unsigned int perms;		/* permission entries per node: 5 */
	unsigned int path_len;		/* relative path length: 2048 */
};

/*
 * A fresh store as xenstored starts it: "/", "/tool" and
 * "/tool/xenstored", all owned by dom0 with no access for others
 * ([n0]), and domain 0 introduced.  /local and /local/domain are not
 * there: dom0's tools (xen-init-dom0) write them.
 */
struct xs_store *xs_store_new(void);
void xs_store_free(struct xs_store *st);		/* NULL-safe */

/* The quota in force; change fields to taste (tests use small ones). */
struct xs_quota *xs_store_quota(struct xs_store *st);

/* The store-wide generation counter (bumped by every change). */
uint64_t xs_store_generation(const struct xs_store *st);

/* Number of nodes, "/" included. */
size_t xs_store_nodes(const struct xs_store *st);

/* True when both hold the same nodes, values, perms, generations,
   introduced domains and special-watch perms. */
bool xs_store_equal(const struct xs_store *a, const struct xs_store *b);

/*
 * A connection: one client of the store with its domid (0 = dom0, the
 * privileged one).  Watches, transactions and the queue of watch events
 * belong to it.  Free every connection before its store.
 */
struct xs_conn *xs_conn_new(struct xs_store *st, uint32_t domid);
void xs_conn_free(struct xs_conn *c);			/* NULL-safe */
uint32_t xs_conn_domid(const struct xs_conn *c);

/*
 * Watch events waiting on a connection, oldest first.  xs_conn_event_pop
 * hands over the path (relative when the watch was relative) and the
 * token, both caller-owned; it returns ENOENT when nothing waits.
 */
size_t xs_conn_events(const struct xs_conn *c);
int xs_conn_event_pop(struct xs_conn *c, char **path_r, char **token_r);

/*
 * Node operations.  tx is a transaction id from xs_tx_start, or 0;
 * unknown ids give ENOENT.  Paths are absolute or relative to
 * /local/domain/<caller's domid>.
 */
int xs_read(struct xs_conn *c, uint32_t tx, const char *path, char **val_r,
    size_t *len_r);		/* *val_r NUL-terminated, caller frees */
int xs_write(struct xs_conn *c, uint32_t tx, const char *path,
    const void *val, size_t len);
int xs_mkdir(struct xs_conn *c, uint32_t tx, const char *path);
int xs_rm(struct xs_conn *c, uint32_t tx, const char *path);
/* Children in creation order, appended to names; *gen_r (may be NULL)
   receives the node's generation, as XS_DIRECTORY_PART reports it. */
int xs_directory(struct xs_conn *c, uint32_t tx, const char *path,
    struct xvm_strv *names, uint64_t *gen_r);
int xs_get_perms(struct xs_conn *c, uint32_t tx, const char *path,
    struct xs_perm **perms_r, size_t *n_r);	/* *perms_r caller frees */
/* path may also be "@introduceDomain" or "@releaseDomain". */
int xs_set_perms(struct xs_conn *c, uint32_t tx, const char *path,
    const struct xs_perm *perms, size_t n);

/* Transactions: tx of the request must be 0 (else EBUSY). */
int xs_tx_start(struct xs_conn *c, uint32_t tx, uint32_t *id_r);
int xs_tx_end(struct xs_conn *c, uint32_t tx, bool commit);

/* Watches; a new watch fires once at once. */
int xs_watch(struct xs_conn *c, const char *path, const char *token);
int xs_unwatch(struct xs_conn *c, const char *path, const char *token);
int xs_reset_watches(struct xs_conn *c);

/* Domains (dom0 only, else EACCES, as xenstored's XS_FLAG_PRIV). */
int xs_introduce(struct xs_conn *c, uint32_t domid, uint64_t gfn,
    uint32_t evtchn);
int xs_release(struct xs_conn *c, uint32_t domid);
int xs_resume(struct xs_conn *c, uint32_t domid);
int xs_is_introduced(struct xs_conn *c, uint32_t domid, bool *r);
int xs_set_target(struct xs_conn *c, uint32_t domid, uint32_t target);
/* "/local/domain/<domid>", caller frees; needs no privilege. */
char *xs_domain_path(uint32_t domid);

/* What the host knows of an introduced domain (for the sim). */
bool xs_store_domain(const struct xs_store *st, uint32_t domid,
    uint64_t *gfn_r, uint32_t *evtchn_r);
/*
 * The sim tells the store a domain shut down or crashed: fires
 * @releaseDomain once (as xenstored's check_domains() does); XS_RESUME
 * re-arms it.  ENOENT when the domain is not introduced.
 */
int xs_store_domain_shutdown(struct xs_store *st, uint32_t domid);

/* ---- wire protocol (xs_wire.c) ------------------------------------ */

#define XS_WIRE_HDR 16u

/*
 * Framing: is a whole message at the front of buf?  Returns 1 and sets
 * *msg_len_r (header + payload) when it is, 0 when more bytes are needed,
 * -1 when the header announces a payload over XENSTORE_PAYLOAD_MAX (the
 * connection must be closed, as xenstored does).
 */
int xs_wire_frame(const void *buf, size_t len, size_t *msg_len_r);

/*
 * Serve one complete request (header + payload, exactly msg_len bytes)
 * from c: append the reply message to reply.  Returns 0, or -1 when the
 * message is not a well-framed request (the caller closes the connection).
 * Watch events the request caused are queued on the connections; fetch
 * them with xs_wire_event and send them after the reply (xenstored sends a
 * new watch's first event after the XS_WATCH reply).  Event queues are not
 * bounded here: the caller drains them.
 */
int xs_wire_handle(struct xs_conn *c, const void *msg, size_t msg_len,
    struct xvm_buf *reply);

/* Encode the oldest queued watch event of c; 1 if one was, 0 if none. */
int xs_wire_event(struct xs_conn *c, struct xvm_buf *out);

/* Client side: append a request message. */
void xs_wire_request(struct xvm_buf *out, uint32_t type, uint32_t req_id,
    uint32_t tx_id, const void *payload, size_t len);
/* Same, payload = each string with its NUL, then len bytes of raw. */
void xs_wire_request_strs(struct xvm_buf *out, uint32_t type,
    uint32_t req_id, uint32_t tx_id, const char *const *strs, size_t n,
    const void *raw, size_t raw_len);

struct xs_wire_msg {
	uint32_t type, req_id, tx_id, len;
	const char *payload;		/* borrowed from the message bytes */
	int err;			/* XS_ERROR: the errno, else 0 */
};

/* Decode one complete reply or event message; -1 if malformed. */
int xs_wire_decode(const void *msg, size_t msg_len, struct xs_wire_msg *m);
/* Split a watch event's payload; -1 if malformed. */
int xs_wire_decode_event(const struct xs_wire_msg *m, const char **path_r,
    const char **token_r);

/* errno <-> xsd_errors[] names ("EIO" for an errno it lacks; 0 unknown). */
const char *xs_errno_name(int err);
int xs_errno_from_name(const char *name);

/* ---- persistence (xs_persist.c) ----------------------------------- */

/*
 * The whole store (nodes, values, perms, generations, introduced domains,
 * special-watch perms; not connections, transactions or watches) as bytes,
 * appended to out: magic "XVMXSTOR", version, records, CRC-32.
 */
void xs_store_save(const struct xs_store *st, struct xvm_buf *out);

/* Load bytes written by xs_store_save; NULL with err set on any fault. */
struct xs_store *xs_store_load(const void *data, size_t len,
    struct xvm_err *err);

/*
 * Incremental persistence.  While journaling is on, the store records
 * which nodes and domains of its own tree changed (not a transaction's
 * snapshot until it commits); xs_store_delta appends those changes, as
 * they are now, to out and forgets them, and xs_store_apply replays such
 * a delta on a store that was equal to the writer's when its journaling
 * last started or its last delta was taken: after it the two are equal
 * again (xs_store_equal).  apply calls fn (may be NULL) with each path a
 * watch would fire for, as xenstored fires for another client's change:
 * nodes written, created or removed (a parent whose generation moved only
 * because children came or went does not), "@introduceDomain" and
 * "@releaseDomain".  It trusts nothing in data; on error the store is
 * half-changed and must be thrown away.
 *
 * Delta format (little-endian): u64 store generation, u8 special-perms
 * flag [then the two special perm lists as in the image], u32 entries,
 * each a u8 kind then:
 *   PUT  path, u64 gen, perms, value   (created or replaced)
 *   DEL  path                          (removed with its subtree)
 *   GEN  path, u64 gen                 (children came or went)
 *   DOM  u32 domid, u8 present [u64 gfn, u32 evtchn, u8 flags, u32 target]
 * where a path is u32 length + bytes and perms u32 n + n x (u32, u8).
 */
void xs_store_journal(struct xs_store *st, bool on);
void xs_store_delta(struct xs_store *st, struct xvm_buf *out);
typedef void (*xs_change_fn)(void *arg, const char *path);
int xs_store_apply(struct xs_store *st, const void *data, size_t len,
    xs_change_fn fn, void *arg, struct xvm_err *err);

/* ---- shared by the three files (not for other callers) ------------ */

bool xs_path_valid(const struct xs_quota *q, const char *path);
bool xs_conn_has_tx(const struct xs_conn *c, uint32_t tx);
const struct xs_quota *xs_conn_quota(const struct xs_conn *c);
/* Restore helpers for xs_persist.c; they do no permission checks. */
/*
 * A node under its existing parent.  lc (may be NULL) remembers the last
 * parent between calls that remove nothing in between, as a loader's do:
 * siblings then need no lookup of their parent.
 */
struct xs_load_cache {
	void *parent;			/* struct xs_node */
	size_t len;			/* of its path below */
	char path[XENSTORE_ABS_PATH_MAX + 1];
};
int xs_store_load_node(struct xs_store *st, struct xs_load_cache *lc,
    const char *path, const void *val, size_t len,
    const struct xs_perm *perms, size_t n, uint64_t gen);
int xs_store_load_domain(struct xs_store *st, uint32_t domid, uint64_t gfn,
    uint32_t evtchn, bool shutdown, bool has_target, uint32_t target);
void xs_store_load_special(struct xs_store *st, bool release,
    const struct xs_perm *perms, size_t n);
void xs_store_set_generation(struct xs_store *st, uint64_t gen);
struct xs_store *xs_store_new_empty(void);

/* The journal's entries, for xs_persist.c. */
enum { XS_J_PUT = 1, XS_J_DEL = 2, XS_J_GEN = 3, XS_J_DOM = 4 };
struct xs_jent {
	int kind;
	uint32_t domid;			/* XS_J_DOM */
	char *path;			/* the others */
};
size_t xs_store_jlog(const struct xs_store *st, const struct xs_jent **v_r,
    bool *special_r);
void xs_store_jlog_clear(struct xs_store *st);
/* A node as it is now; false when absent.  Borrowed pointers. */
bool xs_store_get_node(const struct xs_store *st, const char *path,
    const char **val_r, size_t *len_r, const struct xs_perm **perms_r,
    size_t *n_r, uint64_t *gen_r);
/* Replay primitives: no permission checks, no watch events. */
int xs_store_put_node(struct xs_store *st, const char *path,
    const void *val, size_t len, const struct xs_perm *perms, size_t n,
    uint64_t gen);			/* ENOENT: no parent */
int xs_store_set_node_gen(struct xs_store *st, const char *path,
    uint64_t gen);			/* ENOENT: no node */
/* Removes path and its subtree (absent: nothing); removed paths, deepest
   first, are appended to removed when it is not NULL.  EINVAL for "/". */
int xs_store_del_node(struct xs_store *st, const char *path,
    struct xvm_strv *removed);
bool xs_store_get_domain(const struct xs_store *st, uint32_t domid,
    struct xs_domain_info *r);
/* present false removes it; returns 1 when new (introduced), 2 when
   removed or newly shut down (released), else 0. */
int xs_store_put_domain(struct xs_store *st, const struct xs_domain_info *d,
    bool present);

/* Walking for the saver: pre-order, children in order. */
typedef void (*xs_walk_fn)(void *arg, const char *path, const char *val,
    size_t len, const struct xs_perm *perms, size_t n, uint64_t gen);
void xs_store_walk(const struct xs_store *st, xs_walk_fn fn, void *arg);
struct xs_domain_info {
	uint32_t domid;
	uint64_t gfn;
	uint32_t evtchn;
	bool shutdown;
	bool has_target;
	uint32_t target;
};
size_t xs_store_domains(const struct xs_store *st,
    struct xs_domain_info **info_r);	/* caller frees */
const struct xs_perm *xs_store_special(const struct xs_store *st,
    bool release, size_t *n_r);

#endif

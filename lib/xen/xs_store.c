/*
 * xs_store.c - the xenstore tree, permissions, transactions, watches and
 * domains, behaving as xenstored 4.17 does (tools/xenstore/xenstored_*.c
 * at RELEASE-4.17.x were read for the facts; this is our own code).
 *
 * Facts followed:
 * - At start the store holds "/", "/tool", "/tool/xenstored", perms [n0],
 *   and dom0 is introduced (setup_structure(), dom0_init()).
 * - Permissions: dom0 and the owner (first entry), or a domain whose
 *   target is the owner, get read+write+owner; otherwise the first entry
 *   naming the caller (or its target), else the owner entry's bits.
 * - A missing node, or one the caller may not access, answers ENOENT only
 *   if the nearest existing ancestor grants the caller the access asked
 *   for, else EACCES (errno_from_parents()).  Creating a node needs write
 *   access to the nearest existing ancestor; created nodes inherit the
 *   parent's perms, and an unprivileged creator becomes their owner.
 * - rm of a missing node is fine if its parent exists, else ENOENT; rm "/"
 *   is EINVAL.  Watch events go out post-order: removed descendants fire
 *   watches set exactly on them, the removed node fires its own and its
 *   ancestors' watches.
 * - Quotas, unprivileged callers only: entries owned >= 1000 -> ENOSPC;
 *   node record (24 + 8 * perms + value + child names) >= 2048 -> ENOSPC;
 *   perms per node > 5 -> ENOSPC; watches per domain > 128 -> E2BIG and
 *   open transactions per connection > 10 -> ENOSPC (both checks are ">",
 *   so one more fits, exactly as xenstored's); a transaction that created
 *   nodes is refused at commit with ENOSPC when the owner count would
 *   reach the quota.
 * - Transaction ids count from 1 per connection; a transaction-end with
 *   an unknown id is ENOENT; a transaction-start inside one is EBUSY.
 *   Watch events caused in a transaction fire at commit.
 * - Release removes the nodes the domain owns, drops its connections'
 *   watches and transactions, then fires @releaseDomain.  Introducing a
 *   new domain other than 0 fires @introduceDomain; introducing a known
 *   one only resets its connections.
 *
 * Deviations (chosen):
 * - Transactions work on a snapshot of the whole tree taken at start, so
 *   they never see concurrent writes; commit fails with EAGAIN if any node
 *   the transaction touched (read, wrote, listed or walked past) changed
 *   since.  xenstored 4.17 reads current data for nodes first touched
 *   late, so it may commit where we answer EAGAIN (clients retry anyway).
 * - No per-transaction node quota (1024), no memory quotas, no request
 *   rate limits, no XS_PERM_IGNORE for perms naming absent domains, no
 *   "@releaseDomain/<domid>" watches (newer than 4.17).
 * - A domain may have several connections (xs_conn); release/introduce act
 *   on all of them.  dom0's connections are never reset.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xen/io/xs_wire.h>

#include "xen/xs_store.h"

#define PERM_R		XS_STORE_PERM_READ
#define PERM_W		XS_STORE_PERM_WRITE
#define PERM_O		4u
#define DOMID_SELF_	0x7FF0u
#define REC_HDR		24u	/* sizeof(struct xs_tdb_record_hdr) */
#define REC_PERM	8u	/* sizeof(struct xs_permissions) */

/*
 * A node is one allocation with its name; a single permission entry (the
 * common case) lives in it too, and an empty value is no_val: loading a
 * store of 70,000 nodes makes two allocations per node, not six.
 */
struct xs_node {
	struct xs_node *parent;
	struct xs_node **kids;
	size_t nkids, ckids;
	char *val;			/* NUL-terminated; no_val when empty */
	size_t len;
	struct xs_perm *perms;		/* &perm1 when there is one */
	size_t nperms;
	uint64_t gen;
	/* kids by name (open addressing), once a node has KID_INDEX_MIN */
	struct xs_node **idx;
	size_t cidx, uidx;		/* slots, slots used (tombstones too) */
	struct xs_perm perm1;
	char name[];			/* last component, "" for "/" */
};

static char no_val[1];

#define KID_INDEX_MIN	16u
static struct xs_node idx_tomb_;
#define IDX_TOMB	(&idx_tomb_)

struct xs_count {
	uint32_t domid;
	long n;
};

struct xs_tree {
	struct xs_node *root;
	struct xs_count *cnt;
	size_t ncnt, ccnt;
};

/* An introduced domain is kept as xs_store.h's struct xs_domain_info. */

struct xs_acc {
	char *path;
	uint64_t gen;
	bool present;
	bool changed;
};

struct xs_qev {
	char *path;
	bool exact;
	struct xs_perm *perms;
	size_t n;
};

struct xs_tx {
	struct xs_tx *next;
	uint32_t id;
	struct xs_tree snap;
	struct xs_acc *acc;
	size_t nacc, cacc;
	struct xs_qev *ev;
	size_t nev, cev;
	bool created;
	long count_start;
};

struct xs_watch {
	char *path;			/* canonical */
	char *token;
	size_t rel;			/* prefix length to strip, 0: absolute */
};

struct xs_event {
	struct xs_event *next;
	char *path;
	char *token;
};

struct xs_conn {
	struct xs_store *st;
	struct xs_conn *prev, *next;
	uint32_t domid;
	struct xs_watch *w;
	size_t nw, cw;
	struct xs_tx *txs;
	unsigned int ntx;
	uint32_t next_tx;
	struct xs_event *ev_head, *ev_tail;
	size_t nev;
};

struct xs_store {
	struct xs_tree t;
	uint64_t gen;
	struct xs_quota q;
	struct xs_domain_info *dom;
	size_t ndom, cdom;
	struct xs_perm *sp[2];		/* @introduceDomain, @releaseDomain */
	size_t nsp[2];
	struct xs_conn *conns;
	/* what changed since the last xs_store_delta, when journaling */
	bool jon;
	bool jspecial;			/* special-watch perms changed */
	struct xs_jent *j;
	size_t nj, cj;
};

/* One operation: who asks, in which transaction, on which tree. */
struct op {
	struct xs_store *st;
	struct xs_conn *c;		/* NULL: the store itself */
	struct xs_tx *tx;
	struct xs_tree *t;
};

/* ---- the journal of changes ---------------------------------------- */

/*
 * Record that path (kind XS_J_PUT/DEL/GEN) or domain domid (XS_J_DOM)
 * changed in the store's own tree; a transaction's snapshot is not
 * recorded (its changes are, by sync_path, when it commits).  The
 * contents are taken when the delta is encoded, so a node written ten
 * times is recorded once when the writes follow each other.
 */
static void
jlog(struct xs_store *st, const struct xs_tree *t, int kind,
    const char *path, uint32_t domid)
{
	struct xs_jent *e;

	if (!st->jon || t != &st->t)
		return;
	if (st->nj > 0) {
		e = &st->j[st->nj - 1];
		if (e->kind == kind && (kind == XS_J_DOM ? e->domid == domid :
		    strcmp(e->path, path) == 0))
			return;
	}
	if (st->nj == st->cj) {
		st->cj = st->cj ? st->cj * 2 : 32;
		st->j = xvm_realloc(st->j, st->cj * sizeof(*st->j));
	}
	e = &st->j[st->nj++];
	e->kind = kind;
	e->domid = domid;
	e->path = path ? xvm_strdup(path) : NULL;
}

void
xs_store_jlog_clear(struct xs_store *st)
{
	size_t i;

	for (i = 0; i < st->nj; i++)
		free(st->j[i].path);
	st->nj = 0;
	st->jspecial = false;
}

void
xs_store_journal(struct xs_store *st, bool on)
{
	xs_store_jlog_clear(st);
	if (!on) {
		free(st->j);
		st->j = NULL;
		st->cj = 0;
	}
	st->jon = on;
}

size_t
xs_store_jlog(const struct xs_store *st, const struct xs_jent **v_r,
    bool *special_r)
{
	*v_r = st->j;
	*special_r = st->jspecial;
	return st->nj;
}

/* ---- nodes and trees ---------------------------------------------- */

static void
node_set_perms(struct xs_node *nd, const struct xs_perm *perms, size_t n)
{
	struct xs_perm *p = &nd->perm1;

	if (n != 1) {
		p = xvm_malloc(n * sizeof(*p));
		memcpy(p, perms, n * sizeof(*p));
	} else {
		nd->perm1 = perms[0];	/* perms may be &nd->perm1 */
	}
	if (nd->perms != &nd->perm1)
		free(nd->perms);
	nd->perms = p;
	nd->nperms = n;
}

/* A node; its first value (len bytes of val) may live in it too. */
static struct xs_node *
node_new_val(const char *name, size_t namelen, const struct xs_perm *perms,
    size_t n, const void *val, size_t len)
{
	struct xs_node *nd = xvm_malloc(sizeof(*nd) + namelen + 1 +
	    (len ? len + 1 : 0));

	memset(nd, 0, sizeof(*nd));
	memcpy(nd->name, name, namelen);
	nd->name[namelen] = '\0';
	nd->perms = &nd->perm1;
	node_set_perms(nd, perms, n);
	nd->val = no_val;
	if (len) {
		nd->val = nd->name + namelen + 1;
		memcpy(nd->val, val, len);
		nd->val[len] = '\0';
		nd->len = len;
	}
	return nd;
}

static struct xs_node *
node_new(const char *name, size_t namelen, const struct xs_perm *perms,
    size_t n)
{
	return node_new_val(name, namelen, perms, n, NULL, 0);
}

/* The value is a separate allocation (not no_val, not in the node). */
static bool
val_owned(const struct xs_node *nd)
{
	return nd->val != no_val &&
	    nd->val != nd->name + strlen(nd->name) + 1;
}

static void
node_free(struct xs_node *nd)
{
	size_t i;

	if (!nd)
		return;
	for (i = 0; i < nd->nkids; i++)
		node_free(nd->kids[i]);
	free(nd->kids);
	free(nd->idx);
	if (val_owned(nd))
		free(nd->val);
	if (nd->perms != &nd->perm1)
		free(nd->perms);
	free(nd);
}

/* ---- the kid index: a directory of 10,000 domains is one probe ---- */

static size_t
name_hash(const char *name, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ull;	/* FNV-1a */
	size_t i;

	for (i = 0; i < len; i++)
		h = (h ^ (unsigned char)name[i]) * 0x100000001b3ull;
	return (size_t)(h ^ (h >> 29));
}

static void
idx_put(struct xs_node *nd, struct xs_node *kid)
{
	size_t m = nd->cidx - 1;
	size_t i = name_hash(kid->name, strlen(kid->name)) & m;

	while (nd->idx[i] != NULL && nd->idx[i] != IDX_TOMB)
		i = (i + 1) & m;
	if (nd->idx[i] == NULL)
		nd->uidx++;
	nd->idx[i] = kid;
}

/* (Re)build with room for twice the kids, tombstones dropped. */
static void
idx_build(struct xs_node *nd)
{
	size_t c = 32, i;

	while (c < 4 * nd->nkids)
		c *= 2;
	free(nd->idx);
	nd->idx = xvm_calloc(c, sizeof(*nd->idx));
	nd->cidx = c;
	nd->uidx = 0;
	for (i = 0; i < nd->nkids; i++)
		idx_put(nd, nd->kids[i]);
}


static struct xs_node *
node_dup(const struct xs_node *src, struct xs_node *parent)
{
	struct xs_node *nd = node_new_val(src->name, strlen(src->name),
	    src->perms, src->nperms, src->val, src->len);
	size_t i;

	nd->parent = parent;
	nd->gen = src->gen;
	if (src->nkids) {
		nd->kids = xvm_malloc(src->nkids * sizeof(*nd->kids));
		nd->ckids = nd->nkids = src->nkids;
		for (i = 0; i < src->nkids; i++)
			nd->kids[i] = node_dup(src->kids[i], nd);
		if (src->idx)
			idx_build(nd);
	}
	return nd;
}

static void
node_set_val(struct xs_node *nd, const void *val, size_t len)
{
	char *v = no_val;

	if (len) {
		v = xvm_malloc(len + 1);
		memcpy(v, val, len);
		v[len] = '\0';
	}
	if (val_owned(nd))
		free(nd->val);
	nd->val = v;
	nd->len = len;
}

static void
node_add_kid(struct xs_node *parent, struct xs_node *kid)
{
	if (parent->nkids == parent->ckids) {
		parent->ckids = parent->ckids ? parent->ckids * 2 : 4;
		parent->kids = xvm_realloc(parent->kids,
		    parent->ckids * sizeof(*parent->kids));
	}
	parent->kids[parent->nkids++] = kid;
	kid->parent = parent;
	if (parent->idx == NULL && parent->nkids < KID_INDEX_MIN)
		return;
	if (parent->idx == NULL || 4 * (parent->uidx + 1) > 3 * parent->cidx)
		idx_build(parent);
	else
		idx_put(parent, kid);
}

static void
node_del_kid(struct xs_node *parent, struct xs_node *kid)
{
	size_t i, m;

	if (parent->idx) {
		m = parent->cidx - 1;
		i = name_hash(kid->name, strlen(kid->name)) & m;
		while (parent->idx[i] != NULL && parent->idx[i] != kid)
			i = (i + 1) & m;
		if (parent->idx[i] == kid)
			parent->idx[i] = IDX_TOMB;
	}
	/* the newest kids are the likeliest to go */
	for (i = parent->nkids; i-- > 0;) {
		if (parent->kids[i] == kid) {
			memmove(parent->kids + i, parent->kids + i + 1,
			    (parent->nkids - i - 1) * sizeof(*parent->kids));
			parent->nkids--;
			return;
		}
	}
}

static size_t
node_childlen(const struct xs_node *nd)
{
	size_t i, n = 0;

	for (i = 0; i < nd->nkids; i++)
		n += strlen(nd->kids[i]->name) + 1;
	return n;
}

/* The size xenstored's write_node() weighs against the entry quota. */
static size_t
node_size(size_t nperms, size_t len, size_t childlen)
{
	return REC_HDR + REC_PERM * nperms + len + childlen;
}

static struct xs_node *
node_kid(const struct xs_node *nd, const char *name, size_t len)
{
	const struct xs_node *k;
	size_t i, m;

	if (nd->idx) {
		m = nd->cidx - 1;
		for (i = name_hash(name, len) & m; (k = nd->idx[i]) != NULL;
		    i = (i + 1) & m)
			if (k != IDX_TOMB && strncmp(k->name, name, len) == 0 &&
			    k->name[len] == '\0')
				return nd->idx[i];
		return NULL;
	}
	for (i = 0; i < nd->nkids; i++)
		if (strncmp(nd->kids[i]->name, name, len) == 0 &&
		    nd->kids[i]->name[len] == '\0')
			return nd->kids[i];
	return NULL;
}

/* path must be a valid canonical path. */
static struct xs_node *
tree_lookup(const struct xs_tree *t, const char *path)
{
	struct xs_node *nd = t->root;
	const char *p = path + 1, *e;

	while (nd && *p) {
		e = strchr(p, '/');
		if (!e)
			e = p + strlen(p);
		nd = node_kid(nd, p, (size_t)(e - p));
		p = *e ? e + 1 : e;
	}
	return nd;
}

static long *
tree_count(struct xs_tree *t, uint32_t domid)
{
	size_t i;

	for (i = 0; i < t->ncnt; i++)
		if (t->cnt[i].domid == domid)
			return &t->cnt[i].n;
	if (t->ncnt == t->ccnt) {
		t->ccnt = t->ccnt ? t->ccnt * 2 : 8;
		t->cnt = xvm_realloc(t->cnt, t->ccnt * sizeof(*t->cnt));
	}
	t->cnt[t->ncnt].domid = domid;
	t->cnt[t->ncnt].n = 0;
	return &t->cnt[t->ncnt++].n;
}

static long
tree_count_get(const struct xs_tree *t, uint32_t domid)
{
	size_t i;

	for (i = 0; i < t->ncnt; i++)
		if (t->cnt[i].domid == domid)
			return t->cnt[i].n;
	return 0;
}

static void
tree_count_subtree(struct xs_tree *t, const struct xs_node *nd, long delta)
{
	size_t i;

	*tree_count(t, nd->perms[0].id) += delta;
	for (i = 0; i < nd->nkids; i++)
		tree_count_subtree(t, nd->kids[i], delta);
}

static void
tree_copy(struct xs_tree *dst, const struct xs_tree *src)
{
	dst->root = node_dup(src->root, NULL);
	dst->ncnt = dst->ccnt = src->ncnt;
	dst->cnt = NULL;
	if (src->ncnt) {
		dst->cnt = xvm_malloc(src->ncnt * sizeof(*dst->cnt));
		memcpy(dst->cnt, src->cnt, src->ncnt * sizeof(*dst->cnt));
	}
}

static void
tree_release(struct xs_tree *t)
{
	node_free(t->root);
	free(t->cnt);
	memset(t, 0, sizeof(*t));
}

/* ---- paths ------------------------------------------------------------ */

bool
xs_path_valid(const struct xs_quota *q, const char *path)
{
	static const char prefix[] = "/local/domain/";
	size_t len, off = 0, i, digits = 0;
	char c;

	if (path[0] != '/')
		return false;
	/* one pass: the characters xenstored allows, no "//" */
	for (len = 1; (c = path[len]) != '\0'; len++)
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '_' ||
		    c == '@' || (c == '/' && path[len - 1] != '/')))
			return false;
	if (len > 1 && path[len - 1] == '/')
		return false;
	/* sscanf("/local/domain/%5u/%n"): a domain home's prefix is free */
	if (strncmp(path, prefix, sizeof(prefix) - 1) == 0) {
		i = sizeof(prefix) - 1;
		while (digits < 5 && path[i + digits] >= '0' &&
		    path[i + digits] <= '9')
			digits++;
		if (digits && path[i + digits] == '/')
			off = i + digits + 1;
	}
	return len <= off + q->path_len;
}

static char *
canonicalize(const struct xs_conn *c, const char *path)
{
	if (path[0] == '/' || path[0] == '@')
		return xvm_strdup(path);
	return xvm_asprintf("/local/domain/%u/%s", c ? c->domid : 0, path);
}

static char *
parent_path(const char *path)
{
	const char *slash = strrchr(path + 1, '/');

	if (!slash)
		return xvm_strdup("/");
	return xvm_strndup(path, (size_t)(slash - path));
}

static char *
child_path(const char *parent, const char *name)
{
	if (strcmp(parent, "/") == 0)
		return xvm_asprintf("/%s", name);
	return xvm_asprintf("%s/%s", parent, name);
}

/* ---- permissions -------------------------------------------------- */

static struct xs_domain_info *
domain_find(const struct xs_store *st, uint32_t domid)
{
	size_t i;

	for (i = 0; i < st->ndom; i++)
		if (st->dom[i].domid == domid)
			return &st->dom[i];
	return NULL;
}

static bool
conn_priv(const struct xs_conn *c)
{
	return !c || c->domid == 0;
}

static unsigned int
perm_for(const struct xs_conn *c, const struct xs_perm *p, size_t n)
{
	const struct xs_domain_info *d;
	bool has_t = false;
	uint32_t t = 0;
	size_t i;

	if (conn_priv(c))
		return PERM_R | PERM_W | PERM_O;
	d = domain_find(c->st, c->domid);
	if (d && d->has_target) {
		has_t = true;
		t = d->target;
	}
	if (p[0].id == c->domid || (has_t && p[0].id == t))
		return PERM_R | PERM_W | PERM_O;
	for (i = 1; i < n; i++)
		if (p[i].id == c->domid || (has_t && p[i].id == t))
			return p[i].perm & (PERM_R | PERM_W);
	return p[0].perm & (PERM_R | PERM_W);
}

/* ---- transactions: access records ------------------------------------ */

static struct xs_acc *
acc_find(struct xs_tx *tx, const char *path)
{
	size_t i;

	for (i = 0; i < tx->nacc; i++)
		if (strcmp(tx->acc[i].path, path) == 0)
			return &tx->acc[i];
	return NULL;
}

/* Remember the state a transaction first saw a node in. */
static struct xs_acc *
touch(struct op *o, const char *path, const struct xs_node *nd)
{
	struct xs_acc *a;

	if (!o->tx)
		return NULL;
	a = acc_find(o->tx, path);
	if (a)
		return a;
	if (o->tx->nacc == o->tx->cacc) {
		o->tx->cacc = o->tx->cacc ? o->tx->cacc * 2 : 16;
		o->tx->acc = xvm_realloc(o->tx->acc,
		    o->tx->cacc * sizeof(*o->tx->acc));
	}
	a = &o->tx->acc[o->tx->nacc++];
	a->path = xvm_strdup(path);
	a->present = nd != NULL;
	a->gen = nd ? nd->gen : 0;
	a->changed = false;
	return a;
}

static void
changed(struct op *o, const char *path, const struct xs_node *nd)
{
	struct xs_acc *a = touch(o, path, nd);

	if (a)
		a->changed = true;
}

static void
tx_free(struct xs_tx *tx)
{
	size_t i;

	if (!tx)
		return;
	tree_release(&tx->snap);
	for (i = 0; i < tx->nacc; i++)
		free(tx->acc[i].path);
	free(tx->acc);
	for (i = 0; i < tx->nev; i++) {
		free(tx->ev[i].path);
		free(tx->ev[i].perms);
	}
	free(tx->ev);
	free(tx);
}

/* ---- watches and events ------------------------------------------- */

static void
event_push(struct xs_conn *c, const char *path, const char *token)
{
	struct xs_event *ev = xvm_calloc(1, sizeof(*ev));

	ev->path = xvm_strdup(path);
	ev->token = xvm_strdup(token);
	if (c->ev_tail)
		c->ev_tail->next = ev;
	else
		c->ev_head = ev;
	c->ev_tail = ev;
	c->nev++;
}

static const char *
watch_path(const struct xs_watch *w, const char *path)
{
	const char *p = path;

	if (w->rel) {
		p += w->rel;
		if (*p == '/')
			p++;
	}
	return p;
}

static bool
is_child(const char *child, const char *parent)
{
	size_t len = strlen(parent);

	if (strcmp(parent, "/") == 0)
		return true;
	if (strncmp(child, parent, len) != 0)
		return false;
	return child[len] == '/' || child[len] == '\0';
}

static int
special_index(const char *path)
{
	if (strcmp(path, "@introduceDomain") == 0)
		return 0;
	if (strcmp(path, "@releaseDomain") == 0)
		return 1;
	return -1;
}

static bool
watch_permitted(struct xs_store *st, struct xs_conn *c, const char *path,
    const struct xs_perm *perms, size_t n)
{
	const struct xs_node *nd;
	char *pp;
	bool ok;

	if (perms && (perm_for(c, perms, n) & PERM_R))
		return true;
	nd = tree_lookup(&st->t, path);
	if (nd && (perm_for(c, nd->perms, nd->nperms) & PERM_R))
		return true;
	if (!nd && !perms)
		return false;
	if (strcmp(path, "/") == 0)
		return false;
	pp = parent_path(path);
	nd = tree_lookup(&st->t, pp);
	free(pp);
	ok = nd && (perm_for(c, nd->perms, nd->nperms) & PERM_R);
	return ok;
}

static void
deliver(struct xs_store *st, const char *path, bool exact,
    const struct xs_perm *perms, size_t n)
{
	struct xs_conn *c;
	size_t i;
	int sp;

	for (c = st->conns; c; c = c->next) {
		if (!c->nw)
			continue;
		if (path[0] == '@') {
			sp = special_index(path);
			if (sp < 0 || !(perm_for(c, st->sp[sp], st->nsp[sp]) &
			    PERM_R))
				continue;
		} else if (!watch_permitted(st, c, path, perms, n)) {
			continue;
		}
		for (i = 0; i < c->nw; i++) {
			if (exact ? strcmp(path, c->w[i].path) == 0 :
			    is_child(path, c->w[i].path))
				event_push(c, watch_path(&c->w[i], path),
				    c->w[i].token);
		}
	}
}

/* Fire now, or at commit when inside a transaction. */
static void
fire(struct op *o, const char *path, bool exact, const struct xs_perm *perms,
    size_t n)
{
	struct xs_qev *q;

	if (!o->tx) {
		deliver(o->st, path, exact, perms, n);
		return;
	}
	if (o->tx->nev == o->tx->cev) {
		o->tx->cev = o->tx->cev ? o->tx->cev * 2 : 8;
		o->tx->ev = xvm_realloc(o->tx->ev,
		    o->tx->cev * sizeof(*o->tx->ev));
	}
	q = &o->tx->ev[o->tx->nev++];
	q->path = xvm_strdup(path);
	q->exact = exact;
	q->n = perms ? n : 0;
	q->perms = NULL;
	if (perms) {
		q->perms = xvm_malloc(n * sizeof(*perms));
		memcpy(q->perms, perms, n * sizeof(*perms));
	}
}

static void
conn_drop_watches(struct xs_conn *c)
{
	size_t i;

	for (i = 0; i < c->nw; i++) {
		free(c->w[i].path);
		free(c->w[i].token);
	}
	free(c->w);
	c->w = NULL;
	c->nw = c->cw = 0;
}

static void
conn_drop_txs(struct xs_conn *c)
{
	struct xs_tx *tx;

	while ((tx = c->txs) != NULL) {
		c->txs = tx->next;
		tx_free(tx);
	}
	c->ntx = 0;
}

/* ---- store and connections ---------------------------------------- */

static const struct xs_perm perm_dom0 = { 0, XS_STORE_PERM_NONE };

struct xs_store *
xs_store_new_empty(void)
{
	struct xs_store *st = xvm_calloc(1, sizeof(*st));
	int i;

	st->q.entries = 1000;
	st->q.entry_size = 2048;
	st->q.watches = 128;
	st->q.transactions = 10;
	st->q.perms = 5;
	st->q.path_len = XENSTORE_REL_PATH_MAX;
	for (i = 0; i < 2; i++) {
		st->sp[i] = xvm_malloc(sizeof(perm_dom0));
		st->sp[i][0] = perm_dom0;
		st->nsp[i] = 1;
	}
	return st;
}

struct xs_store *
xs_store_new(void)
{
	struct xs_store *st = xs_store_new_empty();
	struct xs_node *tool, *xsd;

	st->t.root = node_new("", 0, &perm_dom0, 1);
	tool = node_new("tool", 4, &perm_dom0, 1);
	xsd = node_new("xenstored", 9, &perm_dom0, 1);
	node_add_kid(st->t.root, tool);
	node_add_kid(tool, xsd);
	st->t.root->gen = ++st->gen;
	tool->gen = ++st->gen;
	xsd->gen = ++st->gen;
	*tree_count(&st->t, 0) = 3;
	xs_store_load_domain(st, 0, 0, 0, false, false, 0);
	return st;
}

void
xs_store_free(struct xs_store *st)
{
	struct xs_conn *c;

	if (!st)
		return;
	/* Connections left open lose their store. */
	while ((c = st->conns) != NULL) {
		st->conns = c->next;
		c->st = NULL;
		c->prev = c->next = NULL;
	}
	tree_release(&st->t);
	xs_store_journal(st, false);
	free(st->dom);
	free(st->sp[0]);
	free(st->sp[1]);
	free(st);
}

struct xs_quota *
xs_store_quota(struct xs_store *st)
{
	return &st->q;
}

uint64_t
xs_store_generation(const struct xs_store *st)
{
	return st->gen;
}

static size_t
count_nodes(const struct xs_node *nd)
{
	size_t i, n = 1;

	for (i = 0; i < nd->nkids; i++)
		n += count_nodes(nd->kids[i]);
	return n;
}

size_t
xs_store_nodes(const struct xs_store *st)
{
	return st->t.root ? count_nodes(st->t.root) : 0;
}

struct xs_conn *
xs_conn_new(struct xs_store *st, uint32_t domid)
{
	struct xs_conn *c = xvm_calloc(1, sizeof(*c));

	c->st = st;
	c->domid = domid;
	c->next = st->conns;
	if (st->conns)
		st->conns->prev = c;
	st->conns = c;
	return c;
}

void
xs_conn_free(struct xs_conn *c)
{
	struct xs_event *ev;

	if (!c)
		return;
	if (c->st) {
		if (c->prev)
			c->prev->next = c->next;
		else
			c->st->conns = c->next;
		if (c->next)
			c->next->prev = c->prev;
	}
	conn_drop_watches(c);
	conn_drop_txs(c);
	while ((ev = c->ev_head) != NULL) {
		c->ev_head = ev->next;
		free(ev->path);
		free(ev->token);
		free(ev);
	}
	free(c);
}

uint32_t
xs_conn_domid(const struct xs_conn *c)
{
	return c->domid;
}

size_t
xs_conn_events(const struct xs_conn *c)
{
	return c->nev;
}

int
xs_conn_event_pop(struct xs_conn *c, char **path_r, char **token_r)
{
	struct xs_event *ev = c->ev_head;

	if (!ev)
		return ENOENT;
	c->ev_head = ev->next;
	if (!c->ev_head)
		c->ev_tail = NULL;
	c->nev--;
	*path_r = ev->path;
	*token_r = ev->token;
	free(ev);
	return 0;
}

/* ---- operations ------------------------------------------------------ */

static struct xs_tx *
tx_find(const struct xs_conn *c, uint32_t id)
{
	struct xs_tx *tx;

	for (tx = c->txs; tx; tx = tx->next)
		if (tx->id == id)
			return tx;
	return NULL;
}

static int
op_init(struct op *o, struct xs_conn *c, uint32_t tx)
{
	o->st = c->st;
	o->c = c;
	o->tx = NULL;
	o->t = &c->st->t;
	if (tx == 0)
		return 0;
	o->tx = tx_find(c, tx);
	if (!o->tx)
		return ENOENT;
	o->t = &o->tx->snap;
	return 0;
}

/* What the parents say (xenstored's errno_from_parents()). */
static int
errno_from_parents(struct op *o, const char *path, int err, unsigned want)
{
	struct xs_node *nd = NULL;
	char *p = xvm_strdup(path), *q;
	unsigned int have = 0;

	while (strcmp(p, "/") != 0) {
		q = parent_path(p);
		free(p);
		p = q;
		nd = tree_lookup(o->t, p);
		touch(o, p, nd);
		if (nd)
			break;
	}
	free(p);
	if (nd)
		have = perm_for(o->c, nd->perms, nd->nperms);
	return (have & want) ? err : EACCES;
}

static int
get_node(struct op *o, const char *path, unsigned int want,
    struct xs_node **nd_r)
{
	struct xs_node *nd;
	int err;

	*nd_r = NULL;
	if (!xs_path_valid(&o->st->q, path))
		return EINVAL;
	nd = tree_lookup(o->t, path);
	touch(o, path, nd);
	if (nd) {
		if ((perm_for(o->c, nd->perms, nd->nperms) & want) == want) {
			*nd_r = nd;
			return 0;
		}
		err = EACCES;
	} else {
		err = ENOENT;
	}
	return errno_from_parents(o, path, err, want);
}

static bool
unpriv(const struct op *o)
{
	return !conn_priv(o->c);
}

/* Create path and its missing parents (xenstored's create_node()). */
static int
create(struct op *o, const char *path, const void *val, size_t len,
    struct xs_node **nd_r)
{
	struct xs_node *parent, *nd = NULL;
	struct xvm_strv missing = XVM_STRV_INIT;
	struct xs_perm *perms = NULL;
	char *p = xvm_strdup(path), *q;
	size_t levels, i, np;
	int err = 0;

	*nd_r = NULL;
	for (;;) {
		xvm_strv_push(&missing, p);
		q = parent_path(p);
		free(p);
		p = q;
		parent = tree_lookup(o->t, p);
		if (parent)
			break;
		if (strcmp(p, "/") == 0) {
			err = EIO;	/* no root: cannot happen */
			goto out;
		}
	}
	levels = missing.n;
	np = parent->nperms;
	perms = xvm_malloc(np * sizeof(*perms));
	memcpy(perms, parent->perms, np * sizeof(*perms));
	if (unpriv(o)) {
		perms[0].id = o->c->domid;
		if (tree_count_get(o->t, o->c->domid) + (long)levels >
		    (long)o->st->q.entries) {
			err = ENOSPC;
			goto out;
		}
		/* the existing parent gains a child name */
		q = strrchr(missing.v[levels - 1], '/') + 1;
		if (node_size(parent->nperms, parent->len,
		    node_childlen(parent) + strlen(q) + 1) >=
		    o->st->q.entry_size ||
		    node_size(np, len, 0) >= o->st->q.entry_size) {
			err = ENOSPC;
			goto out;
		}
	}
	touch(o, p, parent);
	parent->gen = ++o->st->gen;
	jlog(o->st, o->t, XS_J_GEN, p, 0);
	for (i = levels; i > 0; i--) {
		const char *full = missing.v[i - 1];
		const char *base = strrchr(full, '/') + 1;

		nd = node_new(base, strlen(base), perms, np);
		changed(o, full, NULL);
		jlog(o->st, o->t, XS_J_PUT, full, 0);
		node_add_kid(parent, nd);
		nd->gen = ++o->st->gen;
		*tree_count(o->t, np ? perms[0].id : 0) += 1;
		parent = nd;
	}
	node_set_val(nd, val, len);
	if (o->tx)
		o->tx->created = true;
	*nd_r = nd;
out:
	free(p);
	free(perms);
	xvm_strv_release(&missing);
	return err;
}

int
xs_read(struct xs_conn *c, uint32_t tx, const char *path, char **val_r,
    size_t *len_r)
{
	struct xs_node *nd;
	struct op o;
	char *name = NULL;
	int err;

	*val_r = NULL;
	*len_r = 0;
	if ((err = op_init(&o, c, tx)) != 0)
		goto out;
	name = canonicalize(c, path);
	if ((err = get_node(&o, name, PERM_R, &nd)) != 0)
		goto out;
	*val_r = xvm_malloc(nd->len + 1);
	memcpy(*val_r, nd->val, nd->len + 1);
	*len_r = nd->len;
out:
	free(name);
	return err;
}

int
xs_write(struct xs_conn *c, uint32_t tx, const char *path, const void *val,
    size_t len)
{
	struct xs_node *nd;
	struct op o;
	char *name = NULL;
	int err;

	if ((err = op_init(&o, c, tx)) != 0)
		goto out;
	name = canonicalize(c, path);
	err = get_node(&o, name, PERM_W, &nd);
	if (err == ENOENT) {
		err = create(&o, name, val, len, &nd);
	} else if (err == 0) {
		if (unpriv(&o) && node_size(nd->nperms, len,
		    node_childlen(nd)) >= o.st->q.entry_size) {
			err = ENOSPC;
			goto out;
		}
		changed(&o, name, nd);
		node_set_val(nd, val, len);
		nd->gen = ++o.st->gen;
		jlog(o.st, o.t, XS_J_PUT, name, 0);
	}
	if (err)
		goto out;
	fire(&o, name, false, NULL, 0);
out:
	free(name);
	return err;
}

int
xs_mkdir(struct xs_conn *c, uint32_t tx, const char *path)
{
	struct xs_node *nd;
	struct op o;
	char *name = NULL;
	int err;

	if ((err = op_init(&o, c, tx)) != 0)
		goto out;
	name = canonicalize(c, path);
	err = get_node(&o, name, PERM_W, &nd);
	if (err != ENOENT)
		goto out;
	if ((err = create(&o, name, NULL, 0, &nd)) != 0)
		goto out;
	fire(&o, name, false, NULL, 0);
out:
	free(name);
	return err;
}

/* Post-order: descendants fire exact watches, the top node all. */
static void
rm_walk(struct op *o, struct xs_node *nd, const char *path, bool top)
{
	size_t i;
	char *cp;

	for (i = 0; i < nd->nkids; i++) {
		cp = child_path(path, nd->kids[i]->name);
		rm_walk(o, nd->kids[i], cp, false);
		free(cp);
	}
	changed(o, path, nd);
	fire(o, path, !top, nd->perms, nd->nperms);
	*tree_count(o->t, nd->perms[0].id) -= 1;
}

static void
rm_node(struct op *o, struct xs_node *nd, const char *path)
{
	struct xs_node *parent = nd->parent;
	char *pp = parent_path(path);

	touch(o, pp, parent);
	rm_walk(o, nd, path, true);
	node_del_kid(parent, nd);
	parent->gen = ++o->st->gen;
	jlog(o->st, o->t, XS_J_DEL, path, 0);
	jlog(o->st, o->t, XS_J_GEN, pp, 0);
	node_free(nd);
	free(pp);
}

int
xs_rm(struct xs_conn *c, uint32_t tx, const char *path)
{
	struct xs_node *nd;
	struct op o;
	char *name = NULL, *pp = NULL;
	int err;

	if ((err = op_init(&o, c, tx)) != 0)
		goto out;
	name = canonicalize(c, path);
	err = get_node(&o, name, PERM_W, &nd);
	if (err == ENOENT) {
		pp = parent_path(name);
		nd = tree_lookup(o.t, pp);
		touch(&o, pp, nd);
		err = nd ? 0 : ENOENT;
		goto out;
	}
	if (err)
		goto out;
	if (strcmp(name, "/") == 0) {
		err = EINVAL;
		goto out;
	}
	rm_node(&o, nd, name);
out:
	free(pp);
	free(name);
	return err;
}

int
xs_directory(struct xs_conn *c, uint32_t tx, const char *path,
    struct xvm_strv *names, uint64_t *gen_r)
{
	struct xs_node *nd;
	struct op o;
	char *name = NULL;
	size_t i;
	int err;

	if ((err = op_init(&o, c, tx)) != 0)
		goto out;
	name = canonicalize(c, path);
	if ((err = get_node(&o, name, PERM_R, &nd)) != 0)
		goto out;
	for (i = 0; i < nd->nkids; i++)
		xvm_strv_push(names, nd->kids[i]->name);
	if (gen_r)
		*gen_r = nd->gen;
out:
	free(name);
	return err;
}

int
xs_get_perms(struct xs_conn *c, uint32_t tx, const char *path,
    struct xs_perm **perms_r, size_t *n_r)
{
	struct xs_node *nd;
	struct op o;
	char *name = NULL;
	int err;

	*perms_r = NULL;
	*n_r = 0;
	if ((err = op_init(&o, c, tx)) != 0)
		goto out;
	name = canonicalize(c, path);
	if ((err = get_node(&o, name, PERM_R, &nd)) != 0)
		goto out;
	*perms_r = xvm_malloc(nd->nperms * sizeof(**perms_r));
	memcpy(*perms_r, nd->perms, nd->nperms * sizeof(**perms_r));
	*n_r = nd->nperms;
out:
	free(name);
	return err;
}

int
xs_set_perms(struct xs_conn *c, uint32_t tx, const char *path,
    const struct xs_perm *perms, size_t n)
{
	struct xs_perm *old = NULL;
	struct xs_node *nd;
	struct op o;
	char *name = NULL;
	size_t i, nold;
	int err, sp;

	if ((err = op_init(&o, c, tx)) != 0)
		goto out;
	if (n < 1) {
		err = EINVAL;
		goto out;
	}
	for (i = 0; i < n; i++)
		if (perms[i].perm > XS_STORE_PERM_BOTH) {
			err = EINVAL;
			goto out;
		}
	if (unpriv(&o) && n > o.st->q.perms) {
		err = ENOSPC;
		goto out;
	}
	if (path[0] == '@') {
		sp = special_index(path);
		if (sp < 0) {
			err = EINVAL;
			goto out;
		}
		if ((perm_for(c, o.st->sp[sp], o.st->nsp[sp]) &
		    (PERM_W | PERM_O)) != (PERM_W | PERM_O)) {
			err = EACCES;
			goto out;
		}
		free(o.st->sp[sp]);
		o.st->sp[sp] = xvm_malloc(n * sizeof(*perms));
		memcpy(o.st->sp[sp], perms, n * sizeof(*perms));
		o.st->nsp[sp] = n;
		o.st->jspecial = o.st->jon;
		goto out;
	}
	name = canonicalize(c, path);
	if ((err = get_node(&o, name, PERM_W | PERM_O, &nd)) != 0)
		goto out;
	if (unpriv(&o) && perms[0].id != nd->perms[0].id) {
		err = EPERM;
		goto out;
	}
	if (unpriv(&o) && node_size(n, nd->len, node_childlen(nd)) >=
	    o.st->q.entry_size) {
		err = ENOSPC;
		goto out;
	}
	changed(&o, name, nd);
	nold = nd->nperms;
	old = xvm_malloc(nold * sizeof(*old));
	memcpy(old, nd->perms, nold * sizeof(*old));
	*tree_count(o.t, old[0].id) -= 1;
	node_set_perms(nd, perms, n);
	*tree_count(o.t, perms[0].id) += 1;
	nd->gen = ++o.st->gen;
	jlog(o.st, o.t, XS_J_PUT, name, 0);
	fire(&o, name, false, old, nold);
out:
	free(old);
	free(name);
	return err;
}

/* ---- transactions ----------------------------------------------------- */

int
xs_tx_start(struct xs_conn *c, uint32_t tx, uint32_t *id_r)
{
	struct xs_tx *t;

	*id_r = 0;
	if (tx)
		return tx_find(c, tx) ? EBUSY : ENOENT;
	if (c->domid != 0 && c->ntx > c->st->q.transactions)
		return ENOSPC;
	t = xvm_calloc(1, sizeof(*t));
	do {
		t->id = c->next_tx++;
	} while (t->id == 0 || tx_find(c, t->id));
	tree_copy(&t->snap, &c->st->t);
	t->count_start = tree_count_get(&t->snap, c->domid);
	c->st->gen++;
	t->next = c->txs;
	c->txs = t;
	c->ntx++;
	*id_r = t->id;
	return 0;
}

/* Make the store's copy of path what the snapshot holds. */
static void
sync_path(struct xs_store *st, struct xs_tx *tx, const char *path)
{
	struct xs_node *sn = tree_lookup(&tx->snap, path);
	struct xs_node *gn = tree_lookup(&st->t, path);
	struct xs_node *gp;
	char *pp;

	if (!sn) {
		if (!gn || !gn->parent)
			return;
		tree_count_subtree(&st->t, gn, -1);
		gp = gn->parent;
		node_del_kid(gp, gn);
		node_free(gn);
		gp->gen = ++st->gen;
		jlog(st, &st->t, XS_J_DEL, path, 0);
		pp = parent_path(path);
		jlog(st, &st->t, XS_J_GEN, pp, 0);
		free(pp);
		return;
	}
	if (!gn) {
		pp = parent_path(path);
		gp = tree_lookup(&st->t, pp);
		if (!gp) {
			sync_path(st, tx, pp);
			gp = tree_lookup(&st->t, pp);
		}
		if (!gp) {
			free(pp);
			return;		/* cannot happen */
		}
		gn = node_new(sn->name, strlen(sn->name), sn->perms,
		    sn->nperms);
		node_add_kid(gp, gn);
		gp->gen = ++st->gen;
		jlog(st, &st->t, XS_J_GEN, pp, 0);
		free(pp);
		*tree_count(&st->t, gn->perms[0].id) += 1;
	}
	*tree_count(&st->t, gn->perms[0].id) -= 1;
	node_set_perms(gn, sn->perms, sn->nperms);
	*tree_count(&st->t, gn->perms[0].id) += 1;
	node_set_val(gn, sn->val, sn->len);
	gn->gen = ++st->gen;
	jlog(st, &st->t, XS_J_PUT, path, 0);
}

int
xs_tx_end(struct xs_conn *c, uint32_t tx, bool commit)
{
	struct xs_store *st = c->st;
	struct xs_tx **pp, *t;
	struct xs_node *gn;
	long delta;
	size_t i;
	int err = 0;

	if (tx == 0)
		return ENOENT;
	for (pp = &c->txs; *pp && (*pp)->id != tx; pp = &(*pp)->next)
		;
	if (!*pp)
		return ENOENT;
	t = *pp;
	*pp = t->next;
	c->ntx--;
	if (!commit)
		goto out;
	if (t->created && c->domid != 0) {
		delta = tree_count_get(&t->snap, c->domid) - t->count_start;
		if (tree_count_get(&st->t, c->domid) + delta >=
		    (long)st->q.entries) {
			err = ENOSPC;
			goto out;
		}
	}
	for (i = 0; i < t->nacc; i++) {
		gn = tree_lookup(&st->t, t->acc[i].path);
		if ((gn != NULL) != t->acc[i].present ||
		    (gn && gn->gen != t->acc[i].gen)) {
			err = EAGAIN;
			goto out;
		}
	}
	for (i = 0; i < t->nacc; i++)
		if (t->acc[i].changed)
			sync_path(st, t, t->acc[i].path);
	for (i = 0; i < t->nev; i++)
		deliver(st, t->ev[i].path, t->ev[i].exact, t->ev[i].perms,
		    t->ev[i].n);
out:
	tx_free(t);
	return err;
}

/* ---- watches ------------------------------------------------------- */

int
xs_watch(struct xs_conn *c, const char *path, const char *token)
{
	struct xs_conn *i;
	struct xs_watch *w;
	size_t n = 0, rel = 0;
	char *name;

	if (path[0] == '@') {
		if (strlen(path) > XENSTORE_REL_PATH_MAX)
			return EINVAL;
	} else if (path[0] != '/') {
		rel = strlen("/local/domain/") +
		    (size_t)snprintf(NULL, 0, "%u", c->domid);
	}
	name = canonicalize(c, path);
	if (name[0] != '@' && !xs_path_valid(&c->st->q, name)) {
		free(name);
		return EINVAL;
	}
	for (n = 0; n < c->nw; n++) {
		if (strcmp(c->w[n].path, name) == 0 &&
		    strcmp(c->w[n].token, token) == 0) {
			free(name);
			return EEXIST;
		}
	}
	if (c->domid != 0) {
		n = 0;
		for (i = c->st->conns; i; i = i->next)
			if (i->domid == c->domid)
				n += i->nw;
		if (n > c->st->q.watches) {
			free(name);
			return E2BIG;
		}
	}
	if (c->nw == c->cw) {
		c->cw = c->cw ? c->cw * 2 : 4;
		c->w = xvm_realloc(c->w, c->cw * sizeof(*c->w));
	}
	w = &c->w[c->nw++];
	w->path = name;
	w->token = xvm_strdup(token);
	w->rel = rel;
	event_push(c, watch_path(w, w->path), w->token);
	return 0;
}

int
xs_unwatch(struct xs_conn *c, const char *path, const char *token)
{
	char *name = canonicalize(c, path);
	size_t i;
	int err = ENOENT;

	for (i = 0; i < c->nw; i++) {
		if (strcmp(c->w[i].path, name) == 0 &&
		    strcmp(c->w[i].token, token) == 0) {
			free(c->w[i].path);
			free(c->w[i].token);
			memmove(c->w + i, c->w + i + 1,
			    (c->nw - i - 1) * sizeof(*c->w));
			c->nw--;
			err = 0;
			break;
		}
	}
	free(name);
	return err;
}

int
xs_reset_watches(struct xs_conn *c)
{
	conn_drop_watches(c);
	conn_drop_txs(c);
	return 0;
}

/* ---- domains --------------------------------------------------------- */

/* A domain's connections lose watches and transactions (not dom0's). */
static void
domain_conns_reset(struct xs_store *st, uint32_t domid)
{
	struct xs_conn *c;

	if (domid == 0)
		return;
	for (c = st->conns; c; c = c->next) {
		if (c->domid == domid) {
			conn_drop_watches(c);
			conn_drop_txs(c);
		}
	}
}

int
xs_introduce(struct xs_conn *c, uint32_t domid, uint64_t gfn,
    uint32_t evtchn)
{
	struct xs_domain_info *d;
	struct op o = { c->st, NULL, NULL, &c->st->t };

	if (!conn_priv(c))
		return EACCES;
	if (evtchn == 0)
		return EINVAL;
	d = domain_find(c->st, domid);
	jlog(c->st, &c->st->t, XS_J_DOM, NULL, domid);
	if (d) {
		d->evtchn = evtchn;
		domain_conns_reset(c->st, domid);
		return 0;
	}
	xs_store_load_domain(c->st, domid, gfn, evtchn, false, false, 0);
	if (domid != 0)
		fire(&o, "@introduceDomain", true, NULL, 0);
	return 0;
}

static void
owned_paths(const struct xs_node *nd, const char *path, uint32_t domid,
    struct xvm_strv *out)
{
	size_t i;
	char *cp;

	if (nd->parent && nd->perms[0].id == domid) {
		xvm_strv_push(out, path);
		return;
	}
	for (i = 0; i < nd->nkids; i++) {
		cp = child_path(path, nd->kids[i]->name);
		owned_paths(nd->kids[i], cp, domid, out);
		free(cp);
	}
}

static void
perms_drop_domid(struct xs_perm *p, size_t *n, uint32_t domid)
{
	size_t i, j;

	for (i = j = 1; i < *n; i++)
		if (p[i].id != domid)
			p[j++] = p[i];
	*n = j;
}

int
xs_release(struct xs_conn *c, uint32_t domid)
{
	struct xs_store *st = c->st;
	struct op o = { st, NULL, NULL, &st->t };
	struct xvm_strv paths = XVM_STRV_INIT;
	struct xs_domain_info *d;
	struct xs_node *nd;
	size_t i;

	if (!conn_priv(c))
		return EACCES;
	if (domid == 0)
		return EINVAL;
	d = domain_find(st, domid);
	if (!d)
		return ENOENT;
	domain_conns_reset(st, domid);
	if (tree_count_get(&st->t, domid) > 0)
		owned_paths(st->t.root, "/", domid, &paths);
	for (i = 0; i < paths.n; i++) {
		nd = tree_lookup(&st->t, paths.v[i]);
		if (nd)
			rm_node(&o, nd, paths.v[i]);
	}
	xvm_strv_release(&paths);
	perms_drop_domid(st->sp[0], &st->nsp[0], domid);
	perms_drop_domid(st->sp[1], &st->nsp[1], domid);
	*d = st->dom[--st->ndom];
	st->jspecial = st->jon;
	jlog(st, &st->t, XS_J_DOM, NULL, domid);
	fire(&o, "@releaseDomain", true, NULL, 0);
	return 0;
}

int
xs_resume(struct xs_conn *c, uint32_t domid)
{
	struct xs_domain_info *d;

	if (!conn_priv(c))
		return EACCES;
	if (domid == 0)
		return EINVAL;
	d = domain_find(c->st, domid);
	if (!d)
		return ENOENT;
	d->shutdown = false;
	jlog(c->st, &c->st->t, XS_J_DOM, NULL, domid);
	return 0;
}

int
xs_is_introduced(struct xs_conn *c, uint32_t domid, bool *r)
{
	*r = false;
	if (!conn_priv(c))
		return EACCES;
	*r = domid == DOMID_SELF_ || domain_find(c->st, domid) != NULL;
	return 0;
}

int
xs_set_target(struct xs_conn *c, uint32_t domid, uint32_t target)
{
	struct xs_domain_info *d;

	if (!conn_priv(c))
		return EACCES;
	d = domain_find(c->st, domid);
	if (!d || !domain_find(c->st, target))
		return ENOENT;
	d->has_target = true;
	d->target = target;
	jlog(c->st, &c->st->t, XS_J_DOM, NULL, domid);
	return 0;
}

char *
xs_domain_path(uint32_t domid)
{
	return xvm_asprintf("/local/domain/%u", domid);
}

bool
xs_store_domain(const struct xs_store *st, uint32_t domid, uint64_t *gfn_r,
    uint32_t *evtchn_r)
{
	const struct xs_domain_info *d = domain_find(st, domid);

	if (!d)
		return false;
	if (gfn_r)
		*gfn_r = d->gfn;
	if (evtchn_r)
		*evtchn_r = d->evtchn;
	return true;
}

int
xs_store_domain_shutdown(struct xs_store *st, uint32_t domid)
{
	struct op o = { st, NULL, NULL, &st->t };
	struct xs_domain_info *d = domain_find(st, domid);

	if (!d)
		return ENOENT;
	if (!d->shutdown) {
		d->shutdown = true;
		jlog(st, &st->t, XS_J_DOM, NULL, domid);
		fire(&o, "@releaseDomain", true, NULL, 0);
	}
	return 0;
}

/* ---- helpers for xs_persist.c ---------------------------------------- */

int
xs_store_load_domain(struct xs_store *st, uint32_t domid, uint64_t gfn,
    uint32_t evtchn, bool shutdown, bool has_target, uint32_t target)
{
	struct xs_domain_info *d;

	if (domain_find(st, domid))
		return EEXIST;
	if (st->ndom == st->cdom) {
		st->cdom = st->cdom ? st->cdom * 2 : 8;
		st->dom = xvm_realloc(st->dom, st->cdom * sizeof(*st->dom));
	}
	d = &st->dom[st->ndom++];
	d->domid = domid;
	d->gfn = gfn;
	d->evtchn = evtchn;
	d->shutdown = shutdown;
	d->has_target = has_target;
	d->target = target;
	return 0;
}

int
xs_store_load_node(struct xs_store *st, struct xs_load_cache *lc,
    const char *path, const void *val, size_t len,
    const struct xs_perm *perms, size_t n, uint64_t gen)
{
	char buf[XENSTORE_ABS_PATH_MAX + 1];
	struct xs_node *parent = NULL, *nd;
	const char *base;
	char *pp = lc ? lc->path : buf;
	size_t plen;

	if (n < 1)
		return EINVAL;
	if (strcmp(path, "/") == 0) {
		if (st->t.root)
			return EEXIST;
		nd = node_new_val("", 0, perms, n, val, len);
		st->t.root = nd;
	} else {
		if (!st->t.root)
			return ENOENT;
		/* the parent (the last one again, or looked up), then the
		   name in it */
		base = strrchr(path, '/') + 1;
		plen = base - 1 == path ? 1 : (size_t)(base - 1 - path);
		if (plen > XENSTORE_ABS_PATH_MAX)
			return ENOENT;
		if (lc && lc->parent && lc->len == plen &&
		    memcmp(lc->path, path, plen) == 0) {
			parent = lc->parent;
		} else {
			memcpy(pp, path, plen);
			pp[plen] = '\0';
			parent = tree_lookup(&st->t, pp);
			if (lc) {
				lc->parent = parent;
				lc->len = parent ? plen : 0;
			}
		}
		if (!parent)
			return ENOENT;
		if (node_kid(parent, base, strlen(base)))
			return EEXIST;
		nd = node_new_val(base, strlen(base), perms, n, val, len);
		node_add_kid(parent, nd);
	}
	nd->gen = gen;
	*tree_count(&st->t, perms[0].id) += 1;
	return 0;
}

void
xs_store_load_special(struct xs_store *st, bool release,
    const struct xs_perm *perms, size_t n)
{
	int i = release ? 1 : 0;

	free(st->sp[i]);
	st->sp[i] = xvm_malloc(n * sizeof(*perms));
	memcpy(st->sp[i], perms, n * sizeof(*perms));
	st->nsp[i] = n;
}

/* ---- replaying a delta (xs_persist.c) -------------------------------- */

bool
xs_store_get_node(const struct xs_store *st, const char *path,
    const char **val_r, size_t *len_r, const struct xs_perm **perms_r,
    size_t *n_r, uint64_t *gen_r)
{
	const struct xs_node *nd = tree_lookup(&st->t, path);

	if (!nd)
		return false;
	*val_r = nd->val;
	*len_r = nd->len;
	*perms_r = nd->perms;
	*n_r = nd->nperms;
	*gen_r = nd->gen;
	return true;
}

int
xs_store_put_node(struct xs_store *st, const char *path, const void *val,
    size_t len, const struct xs_perm *perms, size_t n, uint64_t gen)
{
	struct xs_node *nd;
	int e;

	if (n < 1)
		return EINVAL;
	nd = tree_lookup(&st->t, path);
	if (!nd) {
		e = xs_store_load_node(st, NULL, path, val, len, perms, n, gen);
		return e == EEXIST ? EINVAL : e;
	}
	*tree_count(&st->t, nd->perms[0].id) -= 1;
	node_set_perms(nd, perms, n);
	*tree_count(&st->t, perms[0].id) += 1;
	node_set_val(nd, val, len);
	nd->gen = gen;
	return 0;
}

int
xs_store_set_node_gen(struct xs_store *st, const char *path, uint64_t gen)
{
	struct xs_node *nd = tree_lookup(&st->t, path);

	if (!nd)
		return ENOENT;
	nd->gen = gen;
	return 0;
}

static void
collect_post(const struct xs_node *nd, const char *path,
    struct xvm_strv *out)
{
	size_t i;
	char *cp;

	for (i = 0; i < nd->nkids; i++) {
		cp = child_path(path, nd->kids[i]->name);
		collect_post(nd->kids[i], cp, out);
		free(cp);
	}
	xvm_strv_push(out, path);
}

int
xs_store_del_node(struct xs_store *st, const char *path,
    struct xvm_strv *removed)
{
	struct xs_node *nd = tree_lookup(&st->t, path);

	if (!nd)
		return 0;
	if (!nd->parent)
		return EINVAL;
	if (removed)
		collect_post(nd, path, removed);
	tree_count_subtree(&st->t, nd, -1);
	node_del_kid(nd->parent, nd);
	node_free(nd);
	return 0;
}

bool
xs_store_get_domain(const struct xs_store *st, uint32_t domid,
    struct xs_domain_info *r)
{
	const struct xs_domain_info *d = domain_find(st, domid);

	if (!d)
		return false;
	*r = *d;
	return true;
}

int
xs_store_put_domain(struct xs_store *st, const struct xs_domain_info *in,
    bool present)
{
	struct xs_domain_info *d = domain_find(st, in->domid);
	int ev = 0;

	if (!present) {
		if (d) {
			*d = st->dom[--st->ndom];
			ev = 2;
		}
		return ev;
	}
	if (!d) {
		xs_store_load_domain(st, in->domid, 0, 0, false, false, 0);
		d = domain_find(st, in->domid);
		ev = in->domid != 0 ? 1 : 0;
	} else if (in->shutdown && !d->shutdown) {
		ev = 2;
	}
	*d = *in;
	return ev;
}

void
xs_store_set_generation(struct xs_store *st, uint64_t gen)
{
	st->gen = gen;
}

const struct xs_quota *
xs_conn_quota(const struct xs_conn *c)
{
	return &c->st->q;
}

bool
xs_conn_has_tx(const struct xs_conn *c, uint32_t tx)
{
	return tx_find(c, tx) != NULL;
}

static void
walk(const struct xs_node *nd, const char *path, xs_walk_fn fn, void *arg)
{
	size_t i;
	char *cp;

	fn(arg, path, nd->val, nd->len, nd->perms, nd->nperms, nd->gen);
	for (i = 0; i < nd->nkids; i++) {
		cp = child_path(path, nd->kids[i]->name);
		walk(nd->kids[i], cp, fn, arg);
		free(cp);
	}
}

void
xs_store_walk(const struct xs_store *st, xs_walk_fn fn, void *arg)
{
	if (st->t.root)
		walk(st->t.root, "/", fn, arg);
}

size_t
xs_store_domains(const struct xs_store *st, struct xs_domain_info **info_r)
{
	*info_r = xvm_calloc(st->ndom + 1, sizeof(**info_r));
	if (st->ndom)
		memcpy(*info_r, st->dom, st->ndom * sizeof(**info_r));
	return st->ndom;
}

const struct xs_perm *
xs_store_special(const struct xs_store *st, bool release, size_t *n_r)
{
	*n_r = st->nsp[release ? 1 : 0];
	return st->sp[release ? 1 : 0];
}

static bool
perms_equal(const struct xs_perm *a, size_t na, const struct xs_perm *b,
    size_t nb)
{
	size_t i;

	if (na != nb)
		return false;
	for (i = 0; i < na; i++)
		if (a[i].id != b[i].id || a[i].perm != b[i].perm)
			return false;
	return true;
}

static bool
node_equal(const struct xs_node *a, const struct xs_node *b)
{
	size_t i;

	if (strcmp(a->name, b->name) != 0 || a->len != b->len ||
	    memcmp(a->val, b->val, a->len) != 0 || a->gen != b->gen ||
	    a->nkids != b->nkids ||
	    !perms_equal(a->perms, a->nperms, b->perms, b->nperms))
		return false;
	for (i = 0; i < a->nkids; i++)
		if (!node_equal(a->kids[i], b->kids[i]))
			return false;
	return true;
}

bool
xs_store_equal(const struct xs_store *a, const struct xs_store *b)
{
	const struct xs_domain_info *d;
	size_t i;

	if (a->gen != b->gen || a->ndom != b->ndom ||
	    !perms_equal(a->sp[0], a->nsp[0], b->sp[0], b->nsp[0]) ||
	    !perms_equal(a->sp[1], a->nsp[1], b->sp[1], b->nsp[1]))
		return false;
	if (!a->t.root || !b->t.root)
		return a->t.root == b->t.root;
	if (!node_equal(a->t.root, b->t.root))
		return false;
	for (i = 0; i < a->ndom; i++) {
		d = domain_find(b, a->dom[i].domid);
		if (!d || d->gfn != a->dom[i].gfn ||
		    d->evtchn != a->dom[i].evtchn ||
		    d->shutdown != a->dom[i].shutdown ||
		    d->has_target != a->dom[i].has_target ||
		    d->target != a->dom[i].target)
			return false;
	}
	return true;
}

/*
 * xs_persist.c - the whole store as bytes and back, for atomic saving by
 * the simulated host (xvm_file_write_atomic).  Connections, transactions
 * and watches are not saved: a restarted host has no clients.
 *
 * Format, every integer little-endian:
 *   "XVMXSTOR"  u32 version (1)  u64 store generation
 *   u32 nodes, then per node (parents before children, children in
 *     order; the first node is "/"):
 *     u32 path length, path (no NUL), u64 generation,
 *     u32 perms, perms x (u32 domid, u8 n=0 r=1 w=2 b=3),
 *     u32 value length, value bytes
 *   u32 domains, then per domain: u32 domid, u64 gfn, u32 evtchn,
 *     u8 flags (1 shut down, 2 has target), u32 target
 *   @introduceDomain then @releaseDomain perms: u32 n, n x perm
 *   u32 CRC-32 (IEEE) of every byte before it
 * The loader trusts nothing: any fault gives an error, never a crash.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <xen/io/xs_wire.h>

#include "xvm/le.h"
#include "xen/xs_store.h"

#define XS_MAGIC	"XVMXSTOR"
#define XS_MAGIC_LEN	8u
#define XS_VERSION	1u
#define MAX_PERMS	65536u

static void
put_u8(struct xvm_buf *b, uint8_t v)
{
	xvm_buf_add(b, &v, 1);
}

static void
put_perms(struct xvm_buf *b, const struct xs_perm *p, size_t n)
{
	size_t i;

	xvm_put_le32(b, (uint32_t)n);
	for (i = 0; i < n; i++) {
		xvm_put_le32(b, p[i].id);
		put_u8(b, p[i].perm);
	}
}

static void
save_node(void *arg, const char *path, const char *val, size_t len,
    const struct xs_perm *perms, size_t n, uint64_t gen)
{
	struct xvm_buf *b = arg;

	xvm_put_le32(b, (uint32_t)strlen(path));
	xvm_buf_add(b, path, strlen(path));
	xvm_put_le64(b, gen);
	put_perms(b, perms, n);
	xvm_put_le32(b, (uint32_t)len);
	xvm_buf_add(b, val, len);
}

void
xs_store_save(const struct xs_store *st, struct xvm_buf *out)
{
	struct xvm_buf b = XVM_BUF_INIT;
	struct xs_domain_info *d;
	const struct xs_perm *sp;
	size_t n, i;

	xvm_buf_add(&b, XS_MAGIC, XS_MAGIC_LEN);
	xvm_put_le32(&b, XS_VERSION);
	xvm_put_le64(&b, xs_store_generation(st));
	xvm_put_le32(&b, (uint32_t)xs_store_nodes(st));
	xs_store_walk(st, save_node, &b);
	n = xs_store_domains(st, &d);
	xvm_put_le32(&b, (uint32_t)n);
	for (i = 0; i < n; i++) {
		xvm_put_le32(&b, d[i].domid);
		xvm_put_le64(&b, d[i].gfn);
		xvm_put_le32(&b, d[i].evtchn);
		put_u8(&b, (uint8_t)((d[i].shutdown ? 1 : 0) |
		    (d[i].has_target ? 2 : 0)));
		xvm_put_le32(&b, d[i].target);
	}
	free(d);
	sp = xs_store_special(st, false, &n);
	put_perms(&b, sp, n);
	sp = xs_store_special(st, true, &n);
	put_perms(&b, sp, n);
	xvm_put_le32(&b, xvm_crc32((const unsigned char *)b.data, b.len));
	xvm_buf_add(out, b.data, b.len);
	xvm_buf_release(&b);
}

/* A bounded reader: every get fails once the bytes run out. */
struct rd {
	const unsigned char *p;
	size_t left;
	const unsigned char *base;
};

static bool
get_bytes(struct rd *r, const unsigned char **p_r, size_t n)
{
	if (r->left < n)
		return false;
	*p_r = r->p;
	r->p += n;
	r->left -= n;
	return true;
}

static bool
get_u8(struct rd *r, uint8_t *v)
{
	const unsigned char *p;

	if (!get_bytes(r, &p, 1))
		return false;
	*v = p[0];
	return true;
}

static bool
get_u32(struct rd *r, uint32_t *v)
{
	const unsigned char *p;

	if (!get_bytes(r, &p, 4))
		return false;
	*v = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
	return true;
}

static bool
get_u64(struct rd *r, uint64_t *v)
{
	uint32_t lo, hi;

	if (!get_u32(r, &lo) || !get_u32(r, &hi))
		return false;
	*v = (uint64_t)hi << 32 | lo;
	return true;
}

/*
 * Read a perm list into buf when it has room (nbuf entries), else into
 * an allocation; *p_r is one or the other (the caller frees it when it
 * is not buf).  NULL, or an error message.
 */
static const char *
get_perms_in(struct rd *r, struct xs_perm *buf, size_t nbuf,
    struct xs_perm **p_r, size_t *n_r)
{
	const char *msg = NULL;
	struct xs_perm *p;
	uint32_t n, i;

	*p_r = NULL;
	*n_r = 0;
	if (!get_u32(r, &n))
		return "truncated";
	if (n < 1 || n > MAX_PERMS || n > r->left / 5)
		return "bad permission count";
	p = n <= nbuf ? buf : xvm_calloc(n, sizeof(*p));
	for (i = 0; i < n && !msg; i++) {
		if (!get_u32(r, &p[i].id) || !get_u8(r, &p[i].perm))
			msg = "truncated";
		else if (p[i].perm > XS_STORE_PERM_BOTH)
			msg = "bad permission";
	}
	if (msg) {
		if (p != buf)
			free(p);
		return msg;
	}
	*p_r = p;
	*n_r = n;
	return NULL;
}

/* Read a perm list; *p_r caller frees.  NULL or an error message. */
static const char *
get_perms(struct rd *r, struct xs_perm **p_r, size_t *n_r)
{
	return get_perms_in(r, NULL, 0, p_r, n_r);
}

/* The quota whose path rules a loaded path must pass. */
static const struct xs_quota load_q = { 1000, 2048, 128, 10, 5,
    XENSTORE_REL_PATH_MAX };

/*
 * A loaded node's path: its parent must be in the store already (the
 * loader checks), so the last component's characters, no NUL, no "//"
 * before it and the lengths are what is left to check; long paths get
 * the full check.
 */
static bool
path_ok(const char *path, size_t plen)
{
	const char *base = strrchr(path, '/');
	char c;

	if (strlen(path) != plen || path[0] != '/')
		return false;
	if (plen > XENSTORE_REL_PATH_MAX)
		return xs_path_valid(&load_q, path);
	if (plen == 1)
		return true;			/* "/" */
	/* "a//b" just before the name, or a trailing "/"; a "//" further up
	   names a parent no store can hold */
	if (base[1] == '\0' || (base > path && base[-1] == '/'))
		return false;
	for (base++; (c = *base) != '\0'; base++)
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '_' ||
		    c == '@'))
			return false;
	return true;
}

static const char *
load_nodes(struct rd *r, struct xs_store *st, uint64_t gen)
{
	struct xs_load_cache *lc = xvm_calloc(1, sizeof(*lc));
	char path[XENSTORE_ABS_PATH_MAX + 1];
	struct xs_perm pbuf[8];
	const unsigned char *bytes, *val;
	const char *msg = NULL;
	struct xs_perm *perms = NULL;
	uint32_t count, i, plen, vlen;
	uint64_t ngen;
	size_t np;
	int e;

	if (!get_u32(r, &count)) {
		msg = "truncated";
		goto out;
	}
	if (count < 1) {
		msg = "no root node";
		goto out;
	}
	for (i = 0; i < count; i++) {
		if (!get_u32(r, &plen)) {
			msg = "truncated";
			goto out;
		}
		if (plen < 1 || plen > XENSTORE_ABS_PATH_MAX) {
			msg = "bad path length";
			goto out;
		}
		if (!get_bytes(r, &bytes, plen)) {
			msg = "truncated";
			goto out;
		}
		memcpy(path, bytes, plen);
		path[plen] = '\0';
		if (!path_ok(path, plen)) {
			msg = "bad node path";
			goto out;
		}
		if (i == 0 && strcmp(path, "/") != 0) {
			msg = "first node is not \"/\"";
			goto out;
		}
		if (!get_u64(r, &ngen)) {
			msg = "truncated";
			goto out;
		}
		if (ngen > gen) {
			msg = "node generation beyond the store's";
			goto out;
		}
		if ((msg = get_perms_in(r, pbuf, XVM_ARRAY_SIZE(pbuf), &perms,
		    &np)) != NULL)
			goto out;
		if (!get_u32(r, &vlen) || !get_bytes(r, &val, vlen)) {
			msg = "truncated";
			goto out;
		}
		e = xs_store_load_node(st, lc, path, val, vlen, perms, np,
		    ngen);
		if (e == EEXIST)
			msg = "duplicate node";
		else if (e)
			msg = "node without parent";
		if (msg)
			goto out;
		if (perms != pbuf)
			free(perms);
		perms = NULL;
	}
out:
	if (perms != pbuf)
		free(perms);
	free(lc);
	return msg;
}

static const char *
load_rest(struct rd *r, struct xs_store *st)
{
	struct xs_perm *perms;
	const char *msg;
	uint32_t count, i, domid, evtchn, target;
	uint64_t gfn;
	uint8_t flags;
	size_t np;
	int k;

	if (!get_u32(r, &count))
		return "truncated";
	for (i = 0; i < count; i++) {
		if (!get_u32(r, &domid) || !get_u64(r, &gfn) ||
		    !get_u32(r, &evtchn) || !get_u8(r, &flags) ||
		    !get_u32(r, &target))
			return "truncated";
		if (flags & ~3u)
			return "bad domain flags";
		if (xs_store_load_domain(st, domid, gfn, evtchn, flags & 1,
		    (flags & 2) != 0, target))
			return "duplicate domain";
	}
	for (k = 0; k < 2; k++) {
		if ((msg = get_perms(r, &perms, &np)) != NULL)
			return msg;
		xs_store_load_special(st, k == 1, perms, np);
		free(perms);
	}
	return NULL;
}

struct xs_store *
xs_store_load(const void *data, size_t len, struct xvm_err *err)
{
	struct xs_store *st = NULL;
	const char *msg = NULL;
	struct rd r;
	uint32_t version, crc, want;
	uint64_t gen;

	r.base = r.p = data;
	r.left = len;
	if (len < XS_MAGIC_LEN || memcmp(data, XS_MAGIC, XS_MAGIC_LEN) != 0) {
		msg = "bad magic";
		goto out;
	}
	r.p += XS_MAGIC_LEN;
	r.left -= XS_MAGIC_LEN;
	if (!get_u32(&r, &version) || len < XS_MAGIC_LEN + 4 + 8 + 4) {
		msg = "truncated";
		goto out;
	}
	if (version != XS_VERSION) {
		msg = "unsupported version";
		goto out;
	}
	r.left -= 4;			/* the CRC is not content */
	crc = (uint32_t)r.base[len - 4] | (uint32_t)r.base[len - 3] << 8 |
	    (uint32_t)r.base[len - 2] << 16 | (uint32_t)r.base[len - 1] << 24;
	want = xvm_crc32(r.base, len - 4);
	if (crc != want) {
		msg = "bad checksum";
		goto out;
	}
	if (!get_u64(&r, &gen)) {
		msg = "truncated";
		goto out;
	}
	st = xs_store_new_empty();
	xs_store_set_generation(st, gen);
	if ((msg = load_nodes(&r, st, gen)) != NULL)
		goto out;
	if ((msg = load_rest(&r, st)) != NULL)
		goto out;
	if (r.left)
		msg = "trailing bytes";
out:
	if (msg) {
		xs_store_free(st);
		xvm_err_set(err, XVM_ERR_INVALID_ARG,
		    "xenstore state: %s", msg);
		return NULL;
	}
	return st;
}

/* ---- deltas ------------------------------------------------------------ */

static void
put_path(struct xvm_buf *b, const char *path)
{
	xvm_put_le32(b, (uint32_t)strlen(path));
	xvm_buf_add(b, path, strlen(path));
}

void
xs_store_delta(struct xs_store *st, struct xvm_buf *out)
{
	const struct xs_jent *v;
	const struct xs_perm *perms;
	struct xs_domain_info d;
	const char *val;
	size_t n, i, len, np, count_at;
	uint32_t count = 0;
	uint64_t gen;
	bool special;

	n = xs_store_jlog(st, &v, &special);
	xvm_put_le64(out, xs_store_generation(st));
	put_u8(out, special ? 1 : 0);
	if (special) {
		perms = xs_store_special(st, false, &np);
		put_perms(out, perms, np);
		perms = xs_store_special(st, true, &np);
		put_perms(out, perms, np);
	}
	count_at = out->len;
	xvm_put_le32(out, 0);
	for (i = 0; i < n; i++) {
		switch (v[i].kind) {
		case XS_J_PUT:
		case XS_J_GEN:
			/* gone since: its DEL, later in the log, says so */
			if (!xs_store_get_node(st, v[i].path, &val, &len,
			    &perms, &np, &gen))
				continue;
			put_u8(out, (uint8_t)v[i].kind);
			put_path(out, v[i].path);
			xvm_put_le64(out, gen);
			if (v[i].kind == XS_J_PUT) {
				put_perms(out, perms, np);
				xvm_put_le32(out, (uint32_t)len);
				xvm_buf_add(out, val, len);
			}
			break;
		case XS_J_DEL:
			put_u8(out, XS_J_DEL);
			put_path(out, v[i].path);
			break;
		default:
			put_u8(out, XS_J_DOM);
			xvm_put_le32(out, v[i].domid);
			if (!xs_store_get_domain(st, v[i].domid, &d)) {
				put_u8(out, 0);
				break;
			}
			put_u8(out, 1);
			xvm_put_le64(out, d.gfn);
			xvm_put_le32(out, d.evtchn);
			put_u8(out, (uint8_t)((d.shutdown ? 1 : 0) |
			    (d.has_target ? 2 : 0)));
			xvm_put_le32(out, d.target);
			break;
		}
		count++;
	}
	for (i = 0; i < 4; i++)
		out->data[count_at + i] = (char)(count >> (8 * i));
	xs_store_jlog_clear(st);
}

/* A path of a delta entry, NUL-terminated in *path_r; a message on error. */
static const char *
get_path(struct rd *r, char **path_r)
{
	const unsigned char *bytes;
	uint32_t plen;
	char *path;

	*path_r = NULL;
	if (!get_u32(r, &plen))
		return "truncated";
	if (plen < 1 || plen > XENSTORE_ABS_PATH_MAX)
		return "bad path length";
	if (!get_bytes(r, &bytes, plen))
		return "truncated";
	path = xvm_strndup((const char *)bytes, plen);
	if (strlen(path) != plen || !xs_path_valid(&load_q, path)) {
		free(path);
		return "bad node path";
	}
	*path_r = path;
	return NULL;
}

static const char *
apply_entry(struct rd *r, struct xs_store *st, uint64_t sgen,
    xs_change_fn fn, void *arg)
{
	struct xvm_strv removed = XVM_STRV_INIT;
	struct xs_domain_info d;
	struct xs_perm *perms = NULL;
	const unsigned char *val;
	const char *msg = NULL;
	char *path = NULL;
	uint32_t vlen;
	uint64_t gen;
	uint8_t kind, present, flags;
	size_t np, i;
	int e;

	if (!get_u8(r, &kind))
		return "truncated";
	if (kind == XS_J_DOM) {
		memset(&d, 0, sizeof(d));
		if (!get_u32(r, &d.domid) || !get_u8(r, &present) ||
		    present > 1)
			return "bad domain entry";
		if (present && (!get_u64(r, &d.gfn) ||
		    !get_u32(r, &d.evtchn) || !get_u8(r, &flags) ||
		    !get_u32(r, &d.target) || (flags & ~3u)))
			return "bad domain entry";
		if (present) {
			d.shutdown = flags & 1;
			d.has_target = (flags & 2) != 0;
		}
		e = xs_store_put_domain(st, &d, present);
		if (fn && e)
			fn(arg, e == 1 ? "@introduceDomain" : "@releaseDomain");
		return NULL;
	}
	if (kind != XS_J_PUT && kind != XS_J_DEL && kind != XS_J_GEN)
		return "bad entry kind";
	if ((msg = get_path(r, &path)) != NULL)
		return msg;
	if (kind == XS_J_DEL) {
		if (xs_store_del_node(st, path, &removed) != 0)
			msg = "removes \"/\"";
		for (i = 0; !msg && fn && i < removed.n; i++)
			fn(arg, removed.v[i]);
		goto out;
	}
	if (!get_u64(r, &gen)) {
		msg = "truncated";
		goto out;
	}
	if (gen > sgen) {
		msg = "node generation beyond the store's";
		goto out;
	}
	if (kind == XS_J_GEN) {
		if (xs_store_set_node_gen(st, path, gen) != 0)
			msg = "generation of a missing node";
		goto out;
	}
	if ((msg = get_perms(r, &perms, &np)) != NULL)
		goto out;
	if (!get_u32(r, &vlen) || !get_bytes(r, &val, vlen)) {
		msg = "truncated";
		goto out;
	}
	/* a write fires even when it left the value as it was */
	e = xs_store_put_node(st, path, val, vlen, perms, np, gen);
	if (e)
		msg = "node without parent";
	else if (fn)
		fn(arg, path);
out:
	xvm_strv_release(&removed);
	free(perms);
	free(path);
	return msg;
}

int
xs_store_apply(struct xs_store *st, const void *data, size_t len,
    xs_change_fn fn, void *arg, struct xvm_err *err)
{
	struct xs_perm *perms = NULL;
	const char *msg = NULL;
	struct rd r;
	uint64_t gen;
	uint32_t count, i;
	uint8_t special;
	size_t np;
	int k;

	r.base = r.p = data;
	r.left = len;
	if (!get_u64(&r, &gen) || !get_u8(&r, &special)) {
		msg = "truncated";
		goto out;
	}
	if (special > 1) {
		msg = "bad flags";
		goto out;
	}
	for (k = 0; special && k < 2; k++) {
		if ((msg = get_perms(&r, &perms, &np)) != NULL)
			goto out;
		xs_store_load_special(st, k == 1, perms, np);
		free(perms);
		perms = NULL;
	}
	if (!get_u32(&r, &count)) {
		msg = "truncated";
		goto out;
	}
	for (i = 0; i < count && !msg; i++)
		msg = apply_entry(&r, st, gen, fn, arg);
	if (!msg && r.left)
		msg = "trailing bytes";
	/* this process's own unsaved transaction starts may be ahead */
	if (!msg && gen > xs_store_generation(st))
		xs_store_set_generation(st, gen);
out:
	if (msg)
		return xvm_err_set(err, XVM_ERR_INVALID_ARG,
		    "xenstore delta: %s", msg);
	return 0;
}

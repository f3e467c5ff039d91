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

/* Read a perm list; *p_r caller frees.  0 or an error message. */
static const char *
get_perms(struct rd *r, struct xs_perm **p_r, size_t *n_r)
{
	struct xs_perm *p;
	uint32_t n, i;

	*p_r = NULL;
	*n_r = 0;
	if (!get_u32(r, &n))
		return "truncated";
	if (n < 1 || n > MAX_PERMS || n > r->left / 5)
		return "bad permission count";
	p = xvm_calloc(n, sizeof(*p));
	for (i = 0; i < n; i++) {
		if (!get_u32(r, &p[i].id) || !get_u8(r, &p[i].perm)) {
			free(p);
			return "truncated";
		}
		if (p[i].perm > XS_STORE_PERM_BOTH) {
			free(p);
			return "bad permission";
		}
	}
	*p_r = p;
	*n_r = n;
	return NULL;
}

static const char *
load_nodes(struct rd *r, struct xs_store *st, uint64_t gen)
{
	static const struct xs_quota q = { 1000, 2048, 128, 10, 5,
	    XENSTORE_REL_PATH_MAX };
	const unsigned char *bytes, *val;
	const char *msg = NULL;
	struct xs_perm *perms = NULL;
	uint32_t count, i, plen, vlen;
	uint64_t ngen;
	size_t np;
	char *path = NULL;
	int e;

	if (!get_u32(r, &count))
		return "truncated";
	if (count < 1)
		return "no root node";
	for (i = 0; i < count; i++) {
		if (!get_u32(r, &plen))
			return "truncated";
		if (plen < 1 || plen > XENSTORE_ABS_PATH_MAX)
			return "bad path length";
		if (!get_bytes(r, &bytes, plen))
			return "truncated";
		path = xvm_strndup((const char *)bytes, plen);
		if (strlen(path) != plen || !xs_path_valid(&q, path)) {
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
		if ((msg = get_perms(r, &perms, &np)) != NULL)
			goto out;
		if (!get_u32(r, &vlen) || !get_bytes(r, &val, vlen)) {
			msg = "truncated";
			goto out;
		}
		e = xs_store_load_node(st, path, val, vlen, perms, np, ngen);
		if (e == EEXIST)
			msg = "duplicate node";
		else if (e)
			msg = "node without parent";
		if (msg)
			goto out;
		free(path);
		free(perms);
		path = NULL;
		perms = NULL;
	}
out:
	free(path);
	free(perms);
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

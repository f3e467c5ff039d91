/*
 * xsdev.c - the xenstore side of a domain's devices, as libxl writes it:
 * a frontend under /local/domain/ID/device/KIND/DEVID (the console under
 * /local/domain/ID/console), its backend under
 * /local/domain/0/backend/KIND/ID/DEVID, libxl's record under
 * /libxl/ID/device/KIND/DEVID, with their permissions; written in one
 * transaction, retried as a whole when xenstored says EAGAIN.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xvm/domain.h"
#include "toolstack/ts_int.h"

/*
 * libxl retries a conflicting transaction for as long as it takes; we
 * give up after TX_TRIES, backing off a random while longer each time so
 * that writers busy on the same host do not keep colliding.
 */
#define TX_TRIES	100

/* Xen's virtual-device number of a disk name (xvda 51712, hda 768). */
long
ts_vdev_number(const char *name)
{
	const char *p;
	long disk = 0, part = 0;

	if (strncmp(name, "xvd", 3) == 0)
		p = name + 3;
	else if (strncmp(name, "hd", 2) == 0 || strncmp(name, "sd", 2) == 0)
		p = name + 2;
	else
		return -1;
	if (*p < 'a' || *p > 'z')
		return -1;
	while (*p >= 'a' && *p <= 'z')
		disk = disk * 26 + (*p++ - 'a') + (disk ? 1 : 0);
	if (*p) {
		char *end;

		part = strtol(p, &end, 10);
		if (*end || part < 1 || part > 255)
			return -1;
	}
	if (name[0] == 'h')
		return disk < 4 && part < 64 ?
		    ((disk < 2 ? 3 : 22) << 8) | ((disk & 1) << 6) | part : -1;
	if (name[0] == 's')
		return disk < 16 && part < 16 ? (8 << 8) | (disk << 4) | part :
		    -1;
	if (disk < 16 && part < 16)
		return (202 << 8) | (disk << 4) | part;
	return (1L << 28) | (disk << 8) | part;
}

struct ts_kv *
ts_kv_add(struct ts_kvs *k, char *path, char *val)
{
	struct ts_kv *e;

	if (k->n == k->c) {
		k->c = k->c ? k->c * 2 : 32;
		k->v = xvm_realloc(k->v, k->c * sizeof(*k->v));
	}
	e = &k->v[k->n++];
	memset(e, 0, sizeof(*e));
	e->path = path;
	e->val = val;
	return e;
}

void
ts_kvs_release(struct ts_kvs *k)
{
	size_t i;

	for (i = 0; i < k->n; i++) {
		free(k->v[i].path);
		free(k->v[i].val);
	}
	free(k->v);
	memset(k, 0, sizeof(*k));
}

int
ts_kvs_commit(struct xvm_io *io, const struct ts_kvs *k, struct xvm_err *err)
{
	uint32_t tx;
	bool again = true;
	size_t i;
	int tries;

	for (tries = 0; again && tries < TX_TRIES; tries++) {
		if (xvm_xs_tx_start(io, &tx, err) < 0)
			return -1;
		for (i = 0; i < k->n; i++) {
			const struct ts_kv *e = &k->v[i];

			if ((e->val ? xvm_xs_twrite(io, tx, e->path, e->val,
			    err) : xvm_xs_tmkdir(io, tx, e->path, err)) < 0 ||
			    (e->nperms && xvm_xs_tset_perms(io, tx, e->path,
			    e->perms, e->nperms, err) < 0))
				break;
		}
		if (i < k->n) {
			(void)xvm_xs_tx_end(io, tx, false, NULL, NULL);
			/* a transaction xenstored lost: start it again */
			if (err == NULL || err->sys_errno != EAGAIN)
				return -1;
			continue;
		}
		if (xvm_xs_tx_end(io, tx, true, &again, err) < 0)
			return -1;
		if (again) {
			/* a different while in each process */
			unsigned window = 200u * (unsigned)(tries < 50 ?
			    tries + 1 : 50);

			usleep((useconds_t)(((unsigned)getpid() * 7919u +
			    (unsigned)tries * 104729u) % window));
		}
	}
	if (again)
		return xvm_err_set(err, XVM_ERR_SYSTEM, "xenstore kept "
		    "refusing a transaction (%d tries)", TX_TRIES);
	return 0;
}

/* Set perms on the last entry added. */
void
ts_kv_perms(struct ts_kv *e, const char *a, const char *b)
{
	e->perms[0] = a;
	e->perms[1] = b;
	e->nperms = b ? 2 : 1;
}

/* A frontend/backend pair (libxl__device_generic_add). */
static void
device(struct ts_kvs *k, uint32_t id, const char *kind, long devid,
    const char *const *fkv, size_t nf, const char *const *bkv, size_t nb,
    char *own, char *ro)
{
	char *fe = strcmp(kind, "console") == 0 ?
	    xvm_asprintf("/local/domain/%" PRIu32 "/console", id) :
	    xvm_asprintf("/local/domain/%" PRIu32 "/device/%s/%ld", id, kind,
	    devid);
	char *be = xvm_asprintf("/local/domain/0/backend/%s/%" PRIu32 "/%ld",
	    kind, id, devid);
	char *lx = xvm_asprintf("/libxl/%" PRIu32 "/device/%s/%ld", id, kind,
	    devid);
	size_t i;

	ts_kv_perms(ts_kv_add(k, xvm_strdup(fe), NULL), strcmp(kind, "console") ?
	    own : "n0", ro);
	ts_kv_perms(ts_kv_add(k, xvm_strdup(be), NULL), "n0", ro);
	ts_kv_add(k, xvm_asprintf("%s/backend", fe), xvm_strdup(be));
	ts_kv_add(k, xvm_asprintf("%s/backend-id", fe), xvm_strdup("0"));
	for (i = 0; i + 1 < nf; i += 2)
		ts_kv_add(k, xvm_asprintf("%s/%s", fe, fkv[i]),
		    xvm_strdup(fkv[i + 1]));
	ts_kv_add(k, xvm_asprintf("%s/frontend", be), xvm_strdup(fe));
	ts_kv_add(k, xvm_asprintf("%s/frontend-id", be),
	    xvm_asprintf("%" PRIu32, id));
	ts_kv_add(k, xvm_asprintf("%s/online", be), xvm_strdup("1"));
	ts_kv_add(k, xvm_asprintf("%s/state", be), xvm_strdup("1"));
	for (i = 0; i + 1 < nb; i += 2) {
		ts_kv_add(k, xvm_asprintf("%s/%s", be, bkv[i]),
		    xvm_strdup(bkv[i + 1]));
		ts_kv_add(k, xvm_asprintf("%s/%s", lx, bkv[i]),
		    xvm_strdup(bkv[i + 1]));
	}
	ts_kv_add(k, xvm_asprintf("%s/frontend", lx), xvm_strdup(fe));
	ts_kv_add(k, xvm_asprintf("%s/backend", lx), xvm_strdup(be));
	free(fe);
	free(be);
	free(lx);
}

void
ts_dev_console(struct ts_kvs *k, uint32_t id, uint32_t con_port,
    uint64_t con_mfn, char *own, char *ro)
{
	char port[16], mfn[24];

	snprintf(port, sizeof(port), "%" PRIu32, con_port);
	snprintf(mfn, sizeof(mfn), "%" PRIu64, con_mfn);
	{
		const char *f[] = { "limit", "1048576", "type", "xenconsoled",
		    "output", "pty", "tty", "", "port", port, "ring-ref",
		    mfn };
		const char *b[] = { "protocol", "vt100" };

		device(k, id, "console", 0, f, XVM_ARRAY_SIZE(f), b,
		    XVM_ARRAY_SIZE(b), own, ro);
	}
}

int
ts_dev_disk(struct ts_kvs *k, uint32_t id, const struct xvm_disk *d,
    char *own, char *ro, struct xvm_err *err)
{
	bool cd = d->device == XVM_DEV_CDROM;
	bool phy = d->type == XVM_DISK_BLOCK;
	char vdev[24];
	long n;

	if (d->target == NULL || (n = ts_vdev_number(d->target)) < 0)
		return xvm_err_set(err, XVM_ERR_CONFIG, "'%s' is not a disk "
		    "name Xen knows (xvda, hda, sda ...)", d->target ?
		    d->target : "");
	snprintf(vdev, sizeof(vdev), "%ld", n);
	{
		const char *f[] = { "state", "1", "virtual-device", vdev,
		    "device-type", cd ? "cdrom" : "disk", "trusted", "1" };
		const char *b[] = { "params", d->src ? d->src : "", "script",
		    "/etc/xen/scripts/block", "removable", cd ? "1" : "0",
		    "bootable", "1", "dev", d->target, "type", phy ? "phy" :
		    "file", "mode", d->readonly ? "r" : "w", "device-type",
		    cd ? "cdrom" : "disk", "discard-enable", "0" };

		device(k, id, "vbd", n, f, XVM_ARRAY_SIZE(f), b,
		    XVM_ARRAY_SIZE(b), own, ro);
	}
	return 0;
}

void
ts_dev_nic(struct ts_kvs *k, uint32_t id, long handle,
    const struct xvm_net *nt, char *own, char *ro)
{
	unsigned char m[6] = { 0x00, 0x16, 0x3e, 0, 0, 0 };
	char mac[18], h[24], *script;

	/* a script by its name is one of Xen's (libxl's XEN_SCRIPT_DIR) */
	script = nt->script == NULL ? xvm_strdup("/etc/xen/scripts/vif-bridge") :
	    nt->script[0] == '/' ? xvm_strdup(nt->script) :
	    xvm_asprintf("/etc/xen/scripts/%s", nt->script);
	if (nt->has_mac) {
		memcpy(m, nt->mac, 6);
	} else {
		unsigned char r[16];

		/* Xen's range 00:16:3e, the rest random (libuuid) */
		xvm_uuid_generate(r);
		m[3] = r[0] & 0x7f;
		m[4] = r[1];
		m[5] = r[2];
	}
	xvm_mac_format(m, mac);
	snprintf(h, sizeof(h), "%ld", handle);
	{
		const char *f[] = { "state", "1", "handle", h, "mac", mac,
		    "trusted", "1" };
		const char *b[] = { "script", script, "mac", mac, "bridge",
		    nt->bridge ? nt->bridge : "xenbr0", "handle", h, "type",
		    "vif", "hotplug-status", "" };

		device(k, id, "vif", handle, f, XVM_ARRAY_SIZE(f), b,
		    XVM_ARRAY_SIZE(b), own, ro);
	}
	free(script);
}

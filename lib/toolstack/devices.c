/*
 * devices.c - disks and network interfaces of a running domain: listed
 * from xenstore, added (hot-plugged: libxl's frontend/backend nodes,
 * which the guest's frontend and dom0's backend connect), and removed
 * (the backend set offline and Closing, the frontend's Closed awaited,
 * then the nodes go).  The config the domain runs from follows, so a
 * restart keeps what was attached.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "xvm/domain.h"
#include "toolstack/ts_int.h"

#define DETACH_TIMEOUT_MS	10000	/* libxl's LIBXL_DESTROY_TIMEOUT */

static char *
xs_str(struct xvm_conn *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* A xenstore value, or NULL (absent or unreadable). */
static char *
xs_str(struct xvm_conn *c, const char *fmt, ...)
{
	struct xvm_err ignored = { 0 };
	char path[256], *v = NULL;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(path, sizeof(path), fmt, ap);
	va_end(ap);
	if (xvm_xs_read(c->io, path, &v, &ignored) <= 0)
		return NULL;
	return v;
}

static int
xs_int(struct xvm_conn *c, int dflt, const char *path)
{
	char *v = xs_str(c, "%s", path);
	int r = v ? atoi(v) : dflt;

	free(v);
	return r;
}

void
xvm_devlist_free(struct xvm_devinfo *l, size_t n)
{
	size_t i;

	for (i = 0; l && i < n; i++) {
		free(l[i].backend);
		free(l[i].mac);
		free(l[i].params);
	}
	free(l);
}

int
xvm_device_list(struct xvm_conn *c, uint32_t id, const char *kind,
    struct xvm_devinfo **list_r, size_t *n_r, struct xvm_err *err)
{
	struct xvm_strv ids = XVM_STRV_INIT;
	struct xvm_devinfo *l;
	char path[128];
	size_t i;

	*list_r = NULL;
	*n_r = 0;
	snprintf(path, sizeof(path), "/local/domain/%" PRIu32 "/device/%s",
	    id, kind);
	if (xvm_xs_directory(c->io, path, &ids, err) < 0)
		return -1;
	l = xvm_calloc(ids.n + 1, sizeof(*l));
	for (i = 0; i < ids.n; i++) {
		char fe[160];
		char *p;

		snprintf(fe, sizeof(fe), "%s/%s", path, ids.v[i]);
		l[i].devid = atoi(ids.v[i]);
		l[i].frontend_id = id;
		l[i].backend = xs_str(c, "%s/backend", fe);
		p = xvm_asprintf("%s/backend-id", fe);
		l[i].backend_id = xs_int(c, 0, p);
		free(p);
		p = xvm_asprintf("%s/state", fe);
		l[i].state = xs_int(c, -1, p);
		free(p);
		p = xvm_asprintf("%s/event-channel", fe);
		l[i].evtch = xs_int(c, -1, p);
		free(p);
		p = xvm_asprintf("%s/ring-ref", fe);
		l[i].rref = xs_int(c, -1, p);
		free(p);
		p = xvm_asprintf("%s/tx-ring-ref", fe);
		l[i].rref_tx = xs_int(c, -1, p);
		free(p);
		p = xvm_asprintf("%s/rx-ring-ref", fe);
		l[i].rref_rx = xs_int(c, -1, p);
		free(p);
		l[i].mac = xs_str(c, "%s/mac", fe);
		if (l[i].backend)
			l[i].params = xs_str(c, "%s/params", l[i].backend);
	}
	*list_r = l;
	*n_r = ids.n;
	xvm_strv_release(&ids);
	return 0;
}

/* The live config gains or loses a device (restarts keep it). */
static int
config_follows(struct xvm_conn *c, uint32_t id, const struct xvm_disk *add,
    const struct xvm_net *addn, const char *drop_disk, const char *drop_mac,
    struct xvm_err *err)
{
	struct xvm_domain *d = NULL;
	size_t i;
	int r;

	if (xvm_running_config(c, id, &d, err) < 0) {
		if (err->code != XVM_ERR_NOT_FOUND)
			return -1;
		xvm_err_clear(err);	/* not xvm's: nothing to follow */
		return 0;
	}
	if (add || addn) {
		/* deep copies, through a scratch domain */
		struct xvm_domain *tmp = xvm_domain_new(), *cp;

		tmp->disks = (struct xvm_disk *)(uintptr_t)add;
		tmp->ndisks = add ? 1 : 0;
		tmp->nets = (struct xvm_net *)(uintptr_t)addn;
		tmp->nnets = addn ? 1 : 0;
		cp = xvm_domain_copy(tmp);
		tmp->disks = NULL;
		tmp->nets = NULL;
		tmp->ndisks = tmp->nnets = 0;
		xvm_domain_free(tmp);
		if (add) {
			d->disks = xvm_realloc(d->disks, (d->ndisks + 1) *
			    sizeof(*d->disks));
			d->disks[d->ndisks++] = cp->disks[0];
			cp->ndisks = 0;
		}
		if (addn) {
			d->nets = xvm_realloc(d->nets, (d->nnets + 1) *
			    sizeof(*d->nets));
			d->nets[d->nnets++] = cp->nets[0];
			cp->nnets = 0;
		}
		xvm_domain_free(cp);
	}
	for (i = 0; drop_disk && i < d->ndisks; i++)
		if (d->disks[i].target &&
		    strcmp(d->disks[i].target, drop_disk) == 0) {
			struct xvm_domain *one = xvm_domain_new();

			/* free that one disk: give it to a scratch domain */
			one->disks = xvm_calloc(1, sizeof(*one->disks));
			one->disks[0] = d->disks[i];
			one->ndisks = 1;
			xvm_domain_free(one);
			d->disks[i] = d->disks[--d->ndisks];
			break;
		}
	for (i = 0; drop_mac && i < d->nnets; i++) {
		char m[18];

		xvm_mac_format(d->nets[i].mac, m);
		if (d->nets[i].has_mac && strcmp(m, drop_mac) == 0) {
			struct xvm_domain *one = xvm_domain_new();

			one->nets = xvm_calloc(1, sizeof(*one->nets));
			one->nets[0] = d->nets[i];
			one->nnets = 1;
			xvm_domain_free(one);
			d->nets[i] = d->nets[--d->nnets];
			break;
		}
	}
	r = ts_run_save(c, d, id, err);
	xvm_domain_free(d);
	return r;
}

int
xvm_block_attach(struct xvm_conn *c, uint32_t id, const struct xvm_disk *dk,
    struct xvm_err *err)
{
	struct ts_kvs k = { NULL, 0, 0 };
	struct xvm_dominfo info;
	char own[16], ro[16], *fe;
	long n;
	int r = -1;

	if (id == 0)
		return xvm_err_set(err, XVM_ERR_OPERATION_INVALID, "disks are "
		    "attached to guests, not to Domain-0");
	if (xvm_xc_domain_info(c->io, id, &info, err) < 0)
		return -1;
	if (dk->target == NULL || (n = ts_vdev_number(dk->target)) < 0)
		return xvm_err_set(err, XVM_ERR_INVALID_ARG, "'%s' is not a "
		    "disk name Xen knows (xvdb, hda, sdc ...)", dk->target ?
		    dk->target : "");
	fe = xs_str(c, "/local/domain/%" PRIu32 "/device/vbd/%ld", id, n);
	if (fe != NULL) {
		free(fe);
		return xvm_err_set(err, XVM_ERR_OPERATION_INVALID, "domain %"
		    PRIu32 " has a disk %s already", id, dk->target);
	}
	snprintf(own, sizeof(own), "n%" PRIu32, id);
	snprintf(ro, sizeof(ro), "r%" PRIu32, id);
	if (ts_dev_disk(&k, id, dk, own, ro, err) < 0 ||
	    ts_kvs_commit(c->io, &k, err) < 0 ||
	    config_follows(c, id, dk, NULL, NULL, NULL, err) < 0)
		goto out;
	ts_log(c, XVM_LOG_INFO, "domain %" PRIu32 ": disk %s attached (%s)",
	    id, dk->target, dk->src ? dk->src : "");
	r = 0;
out:
	ts_kvs_release(&k);
	return r;
}

int
xvm_network_attach(struct xvm_conn *c, uint32_t id, struct xvm_net *nt,
    struct xvm_err *err)
{
	struct ts_kvs k = { NULL, 0, 0 };
	struct xvm_devinfo *l = NULL;
	struct xvm_dominfo info;
	char own[16], ro[16];
	size_t n = 0, i;
	long handle = 0;
	int r = -1;

	if (id == 0)
		return xvm_err_set(err, XVM_ERR_OPERATION_INVALID, "network "
		    "interfaces are attached to guests, not to Domain-0");
	if (nt->has_mac && (nt->mac[0] & 1)) {
		char m[18];

		xvm_mac_format(nt->mac, m);
		return xvm_err_set(err, XVM_ERR_INVALID_ARG, "%s is a multicast "
		    "address: a network interface needs a unicast one", m);
	}
	if (xvm_xc_domain_info(c->io, id, &info, err) < 0 ||
	    xvm_device_list(c, id, "vif", &l, &n, err) < 0)
		return -1;
	for (i = 0; i < n; i++)
		if (l[i].devid >= handle)
			handle = l[i].devid + 1;
	if (!nt->has_mac) {
		unsigned char rb[16];

		/* Xen's range 00:16:3e, the rest random */
		xvm_uuid_generate(rb);
		nt->mac[0] = 0x00;
		nt->mac[1] = 0x16;
		nt->mac[2] = 0x3e;
		nt->mac[3] = rb[0] & 0x7f;
		nt->mac[4] = rb[1];
		nt->mac[5] = rb[2];
		nt->has_mac = true;
	}
	snprintf(own, sizeof(own), "n%" PRIu32, id);
	snprintf(ro, sizeof(ro), "r%" PRIu32, id);
	ts_dev_nic(&k, id, handle, nt, own, ro);
	if (ts_kvs_commit(c->io, &k, err) < 0 ||
	    config_follows(c, id, NULL, nt, NULL, NULL, err) < 0)
		goto out;
	ts_log(c, XVM_LOG_INFO, "domain %" PRIu32 ": network interface %ld "
	    "attached", id, handle);
	r = 0;
out:
	xvm_devlist_free(l, n);
	ts_kvs_release(&k);
	return r;
}

/* Close a device (backend offline, Closing; frontend Closed), then drop
   its nodes. */
static int
detach(struct xvm_conn *c, uint32_t id, const char *kind, int devid,
    bool force, struct xvm_err *err)
{
	char fe[128], be[128], lx[128], path[160];
	double end = xvm_mono_ms() + DETACH_TIMEOUT_MS;
	char *b;

	snprintf(fe, sizeof(fe), "/local/domain/%" PRIu32 "/device/%s/%d", id,
	    kind, devid);
	snprintf(lx, sizeof(lx), "/libxl/%" PRIu32 "/device/%s/%d", id, kind,
	    devid);
	b = xs_str(c, "%s/backend", fe);
	snprintf(be, sizeof(be), "%s", b ? b :
	    "/local/domain/0/backend/unknown");
	free(b);
	snprintf(path, sizeof(path), "%s/online", be);
	if (xvm_xs_write(c->io, path, "0", err) < 0)
		return -1;
	snprintf(path, sizeof(path), "%s/state", be);
	if (xvm_xs_write(c->io, path, "5", err) < 0)
		return -1;
	snprintf(path, sizeof(path), "%s/state", fe);
	while (!force) {
		int st = xs_int(c, 6, path);

		if (st == 6)
			break;		/* Closed */
		if (xvm_mono_ms() >= end)
			return xvm_err_set(err, XVM_ERR_OPERATION_FAILED,
			    "domain %" PRIu32 " did not close its %s %d within "
			    "%d seconds (-f removes it anyway)", id, kind,
			    devid, DETACH_TIMEOUT_MS / 1000);
		usleep(10 * 1000);
		{
			/* the simulated guest answers when the host is
			   touched: look at its domains */
			struct xvm_dominfo info;

			if (xvm_xc_domain_info(c->io, id, &info, err) < 0)
				return -1;
		}
	}
	if (xvm_xs_rm(c->io, fe, err) < 0 || xvm_xs_rm(c->io, be, err) < 0 ||
	    xvm_xs_rm(c->io, lx, err) < 0)
		return -1;
	return 0;
}

int
xvm_block_detach(struct xvm_conn *c, uint32_t id, const char *dev,
    bool force, struct xvm_err *err)
{
	struct xvm_devinfo *l = NULL;
	size_t n = 0, i;
	long want;
	char *name = NULL;
	int r = -1;

	/* a disk by name (xvdb) or by number (51728) */
	want = ts_vdev_number(dev);
	if (want < 0) {
		char *end;

		want = strtol(dev, &end, 10);
		if (*end != '\0' || end == dev)
			want = -1;
	}
	if (xvm_device_list(c, id, "vbd", &l, &n, err) < 0)
		return -1;
	for (i = 0; i < n; i++)
		if (l[i].devid == want)
			break;
	if (i == n || want < 0) {
		xvm_err_set(err, XVM_ERR_NOT_FOUND, "domain %" PRIu32 " has no "
		    "disk %s", id, dev);
		goto out;
	}
	name = l[i].backend ? xs_str(c, "%s/dev", l[i].backend) : NULL;
	if (detach(c, id, "vbd", l[i].devid, force, err) < 0 ||
	    config_follows(c, id, NULL, NULL, name ? name : dev, NULL,
	    err) < 0)
		goto out;
	ts_log(c, XVM_LOG_INFO, "domain %" PRIu32 ": disk %s detached", id,
	    dev);
	r = 0;
out:
	free(name);
	xvm_devlist_free(l, n);
	return r;
}

int
xvm_network_detach(struct xvm_conn *c, uint32_t id, const char *dev,
    bool force, struct xvm_err *err)
{
	struct xvm_devinfo *l = NULL;
	size_t n = 0, i;
	char *mac = NULL;
	int r = -1;

	if (xvm_device_list(c, id, "vif", &l, &n, err) < 0)
		return -1;
	/* an interface by index or by MAC */
	for (i = 0; i < n; i++) {
		char idx[16];

		snprintf(idx, sizeof(idx), "%d", l[i].devid);
		if (strcmp(idx, dev) == 0 ||
		    (l[i].mac && strcasecmp(l[i].mac, dev) == 0))
			break;
	}
	if (i == n) {
		xvm_err_set(err, XVM_ERR_NOT_FOUND, "domain %" PRIu32 " has no "
		    "network interface %s", id, dev);
		goto out;
	}
	mac = l[i].mac ? xvm_strdup(l[i].mac) : NULL;
	if (detach(c, id, "vif", l[i].devid, force, err) < 0 ||
	    config_follows(c, id, NULL, NULL, NULL, mac, err) < 0)
		goto out;
	ts_log(c, XVM_LOG_INFO, "domain %" PRIu32 ": network interface %s "
	    "detached", id, dev);
	r = 0;
out:
	free(mac);
	xvm_devlist_free(l, n);
	return r;
}

/*
 * control.c - finding a domain by name, id or UUID, and pausing,
 * unpausing and destroying it; a domain without a kernel (ts_int.h).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#include "xvm/domain.h"
#include "xvm/size.h"
#include "toolstack/ts_int.h"

int
xvm_lookup(struct xvm_conn *c, const char *dom, uint32_t *id_r,
    char **name_r, struct xvm_err *err)
{
	struct xvm_domstat *list = NULL;
	unsigned char uuid[16];
	bool is_uuid = xvm_uuid_parse(dom, uuid) == 0;
	unsigned id;
	bool is_id = xvm_parse_uint(dom, &id) == 0;
	size_t n = 0, i;
	int ret = -1;

	if (xvm_list(c, &list, &n, err) < 0)
		return -1;
	/* a name first, as xm did: a domain may be called "3" */
	for (i = 0; i < n && ret < 0; i++)
		if (strcmp(list[i].name, dom) == 0)
			ret = (int)i;
	for (i = 0; i < n && ret < 0; i++)
		if ((is_id && list[i].id == id) ||
		    (is_uuid && memcmp(list[i].uuid, uuid, 16) == 0))
			ret = (int)i;
	if (ret < 0) {
		xvm_err_set(err, XVM_ERR_NO_DOMAIN, "Domain '%s' does not "
		    "exist.", dom);
	} else {
		*id_r = list[ret].id;
		if (name_r)
			*name_r = xvm_strdup(list[ret].name);
		ret = 0;
	}
	xvm_domstat_free(list, n);
	return ret;
}

int
xvm_pause(struct xvm_conn *c, uint32_t id, struct xvm_err *err)
{
	if (xvm_xc_domain_pause(c->io, id, err) < 0)
		return -1;
	ts_reason_set_id(c, id, "paused", "user");
	return 0;
}

int
xvm_unpause(struct xvm_conn *c, uint32_t id, struct xvm_err *err)
{
	struct xvm_dominfo info;

	if (xvm_xc_domain_unpause(c->io, id, err) == 0) {
		/* pauses nest: it may still be paused */
		if (xvm_xc_domain_info(c->io, id, &info, err) == 0 &&
		    !info.paused)
			ts_reason_set(c, info.handle, "running", "unpaused");
		xvm_err_clear(err);
		return 0;
	}
	if (err->sys_errno == EINVAL)	/* Xen: not paused by us */
		xvm_err_set(err, XVM_ERR_USAGE, "domain %u is not paused", id);
	return -1;
}

bool
ts_uuid_twin(struct xvm_conn *c, uint32_t id, const unsigned char uuid[16])
{
	struct xvm_dominfo *l = NULL;
	size_t n = 0, i;
	bool twin = false;

	if (xvm_xc_domain_list(c->io, &l, &n, NULL) < 0)
		return false;
	for (i = 0; i < n; i++)
		if (l[i].domid != id && !l[i].dying &&
		    memcmp(l[i].handle, uuid, 16) == 0)
			twin = true;
	free(l);
	return twin;
}

int
xvm_destroy(struct xvm_conn *c, uint32_t id, struct xvm_err *err)
{
	bool twin;
	struct xvm_dominfo info;
	char path[64], *vm = NULL;
	uint32_t con;

	if (id == 0)
		return xvm_err_set(err, XVM_ERR_USAGE,
		    "Domain-0 cannot be destroyed");
	if (xvm_xc_domain_info(c->io, id, &info, err) < 0)
		return -1;
	con = ts_console_port(c, id);
	/* where the toolstack keeps the domain's /vm entry */
	snprintf(path, sizeof(path), "/local/domain/%u/vm", id);
	if (xvm_xs_read(c->io, path, &vm, err) < 0)
		return -1;
	/* the other of a migration on this host: what the two share by
	   UUID (/vm/UUID, the config, the state) is the other's now */
	if ((twin = ts_uuid_twin(c, id, info.handle))) {
		free(vm);
		vm = NULL;
	}
	if (xvm_xc_domain_destroy(c->io, id, err) < 0) {
		free(vm);
		return -1;
	}
	ts_console_unbind(c, con);
	if (ts_forget(c, id, vm, err) < 0) {
		free(vm);
		return -1;
	}
	free(vm);
	if (twin)
		return 0;
	ts_reason_set(c, info.handle, "shutoff", "destroyed");
	/* a config of this UUID was this domain's (one runs at a time) */
	return ts_run_drop(c, info.handle, err);
}

int
ts_forget(struct xvm_conn *c, uint32_t id, const char *vm,
    struct xvm_err *err)
{
	struct xvm_strv kinds = XVM_STRV_INIT;
	char path[96];
	size_t i;
	int ret = -1;

	ts_dm_stop(c, id);		/* an HVM guest's device model */
	ts_hotplug_remove_all(c, id);	/* loop devices, bridge ports */
	/* the backends dom0 serves it with (libxl__devices_destroy) */
	if (xvm_xs_directory(c->io, "/local/domain/0/backend", &kinds,
	    err) < 0)
		goto out;
	for (i = 0; i < kinds.n; i++) {
		snprintf(path, sizeof(path), "/local/domain/0/backend/%s/%u",
		    kinds.v[i], id);
		if (xvm_xs_rm(c->io, path, err) < 0)
			goto out;
	}
	snprintf(path, sizeof(path), "/libxl/%u", id);
	if (xvm_xs_rm(c->io, path, err) < 0)
		goto out;
	snprintf(path, sizeof(path), "/local/domain/%u", id);
	if (xvm_xs_rm(c->io, path, err) < 0 ||
	    (vm && *vm && xvm_xs_rm(c->io, vm, err) < 0))
		goto out;
	ret = 0;
out:
	xvm_strv_release(&kinds);
	return ret;
}

int
ts_domain_make(struct xvm_conn *c, const char *name,
    const unsigned char uuid[16], unsigned vcpus, uint64_t max_kib,
    uint64_t mem_kib, bool paused, uint32_t *id_r, struct xvm_err *err)
{
	char u[37], vm[48], dom[32], path[96], id[16];
	const char *nodes[][2] = {
		{ "name", name }, { "domid", id }, { "vm", vm },
	};
	size_t i;

	xvm_uuid_format(uuid, u);
	*id_r = 0;			/* any free id */
	if (xvm_xc_domain_create(c->io, uuid, false, false, vcpus, id_r,
	    err) < 0 ||
	    xvm_xc_domain_max_mem(c->io, *id_r, max_kib, err) < 0 ||
	    xvm_xc_domain_populate(c->io, *id_r, mem_kib / 4, err) < 0)
		return -1;
	snprintf(dom, sizeof(dom), "/local/domain/%" PRIu32, *id_r);
	snprintf(id, sizeof(id), "%" PRIu32, *id_r);
	snprintf(vm, sizeof(vm), "/vm/%s", u);
	for (i = 0; i < XVM_ARRAY_SIZE(nodes); i++) {
		snprintf(path, sizeof(path), "%s/%s", dom, nodes[i][0]);
		if (xvm_xs_write(c->io, path, nodes[i][1], err) < 0)
			return -1;
	}
	snprintf(path, sizeof(path), "%s/name", vm);
	if (xvm_xs_write(c->io, path, name, err) < 0)
		return -1;
	snprintf(path, sizeof(path), "%s/uuid", vm);
	if (xvm_xs_write(c->io, path, u, err) < 0)
		return -1;
	/* what libxl__build_post writes: mem-set and vcpu-set go by it */
	{
		struct timeval tv;
		char val[32];
		unsigned v;

		snprintf(path, sizeof(path), "%s/memory/static-max", dom);
		snprintf(val, sizeof(val), "%" PRIu64, max_kib);
		if (xvm_xs_write(c->io, path, val, err) < 0)
			return -1;
		snprintf(path, sizeof(path), "%s/memory/target", dom);
		snprintf(val, sizeof(val), "%" PRIu64, mem_kib);
		if (xvm_xs_write(c->io, path, val, err) < 0)
			return -1;
		for (v = 0; v < vcpus; v++) {
			snprintf(path, sizeof(path), "%s/cpu/%u/availability",
			    dom, v);
			if (xvm_xs_write(c->io, path, "online", err) < 0)
				return -1;
		}
		gettimeofday(&tv, NULL);
		snprintf(path, sizeof(path), "%s/start_time", vm);
		snprintf(val, sizeof(val), "%ld.%02ld", (long)tv.tv_sec,
		    (long)tv.tv_usec / 10000);
		if (xvm_xs_write(c->io, path, val, err) < 0)
			return -1;
	}
	return paused ? 0 : xvm_xc_domain_unpause(c->io, *id_r, err);
}

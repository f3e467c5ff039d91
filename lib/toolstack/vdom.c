/*
 * vdom.c - the domains as libvirt shows them (virsh): running and defined
 * ones in one list, each with libvirt's state and the reason for it,
 * persistence, autostart, memory, vcpus and CPU time; and virsh's rules
 * for finding one by id, UUID or name.
 *
 * Xen knows no reasons.  The toolstack records one whenever it changes a
 * domain's state (ts_reason_set: booted, unpaused, user, destroyed,
 * shutdown, crashed, saved, restored, migrated) in its run directory, as
 * libvirt's daemon keeps its status files; a reason recorded for another
 * state than the domain is in now reads as "unknown".
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xvm/domain.h"
#include "xvm/size.h"
#include "toolstack/ts_int.h"

void
ts_reason_set(struct xvm_conn *c, const unsigned char uuid[16],
    const char *state, const char *reason)
{
	struct xvm_err err = { 0 };
	char u[37], *text = xvm_asprintf("%s %s\n", state, reason);

	xvm_uuid_format(uuid, u);
	if (ts_area_put(c, TS_STATE, u, text, strlen(text), &err) < 0)
		ts_log(c, XVM_LOG_WARNING, "domain %s: its state's reason is "
		    "not kept: %s", u, err.msg);
	free(text);
}

void
ts_reason_set_id(struct xvm_conn *c, uint32_t id, const char *state,
    const char *reason)
{
	struct xvm_dominfo info;
	struct xvm_err err = { 0 };

	if (xvm_xc_domain_info(c->io, id, &info, &err) == 0)
		ts_reason_set(c, info.handle, state, reason);
}

const char *
xvm_vstate_name(enum xvm_vstate s)
{
	static const char *const names[] = {
		[XVM_VS_NOSTATE] = "no state", [XVM_VS_RUNNING] = "running",
		[XVM_VS_BLOCKED] = "idle", [XVM_VS_PAUSED] = "paused",
		[XVM_VS_SHUTDOWN] = "in shutdown",
		[XVM_VS_SHUTOFF] = "shut off", [XVM_VS_CRASHED] = "crashed",
		[XVM_VS_PMSUSPENDED] = "pmsuspended",
	};

	return s <= XVM_VS_PMSUSPENDED ? names[s] : "no state";
}

/* The word a reason is kept under for state s. */
static const char *
state_word(enum xvm_vstate s)
{
	switch (s) {
	case XVM_VS_RUNNING:
	case XVM_VS_BLOCKED:
		return "running";
	case XVM_VS_PAUSED:
		return "paused";
	case XVM_VS_SHUTOFF:
		return "shutoff";
	case XVM_VS_CRASHED:
		return "crashed";
	default:
		return "";
	}
}

static void
read_reason(struct xvm_conn *c, struct xvm_vdom *v)
{
	struct xvm_err err = { 0 };
	char u[37], *data = NULL, state[16], reason[32];

	snprintf(v->reason, sizeof(v->reason), "unknown");
	xvm_uuid_format(v->uuid, u);
	if (ts_area_get(c, TS_STATE, u, &data, &err) == 1 &&
	    sscanf(data, "%15s %31[^\n]", state, reason) == 2 &&
	    strcmp(state, state_word(v->state)) == 0)
		snprintf(v->reason, sizeof(v->reason), "%s", reason);
	free(data);
}

void
xvm_vdom_free(struct xvm_vdom *list, size_t n)
{
	size_t i;

	for (i = 0; list && i < n; i++) {
		free(list[i].name);
		free(list[i].title);
	}
	free(list);
}

static void
from_config(struct xvm_vdom *v, const struct xvm_domain *d)
{
	v->hvm = d->os.type == XVM_OS_HVM;
	free(v->title);
	v->title = d->title ? xvm_strdup(d->title) : NULL;
	v->os_type = d->virt_type && strcmp(d->virt_type, "test") == 0 ?
	    "linux" : v->hvm ? "hvm" : "xen";
}

/*
 * libvirt's test driver reports a domain's memory from its definition:
 * the maximum it was given and the balloon's target.
 */
static void
test_memory(struct xvm_conn *c, struct xvm_vdom *v,
    const struct xvm_domain *d)
{
	struct xvm_err err = { 0 };
	char path[64], *val = NULL;

	v->max_kib = d->memory_kib;
	snprintf(path, sizeof(path), "/local/domain/%ld/memory/target", v->id);
	if (xvm_xs_read(c->io, path, &val, &err) == 1 && val)
		v->cur_kib = strtoull(val, NULL, 10);
	free(val);
}

int
xvm_vdom_list(struct xvm_conn *c, struct xvm_vdom **list_r, size_t *n_r,
    struct xvm_err *err)
{
	struct xvm_domstat *run = NULL;
	struct xvm_defined *defs = NULL;
	struct xvm_vdom *out;
	size_t nrun = 0, ndefs = 0, n = 0, i, k;
	int ret = -1;

	*list_r = NULL;
	*n_r = 0;
	if (xvm_list(c, &run, &nrun, err) < 0 ||
	    xvm_defined_list(c, &defs, &ndefs, err) < 0)
		goto out;
	out = xvm_calloc(nrun + ndefs + 1, sizeof(*out));
	for (i = 0; i < nrun; i++) {
		struct xvm_vdom *v = &out[n];
		const struct xvm_domstat *s = &run[i];
		struct xvm_domain *d = NULL;
		struct xvm_err e2 = { 0 };

		n++;
		v->id = s->id;
		v->name = xvm_strdup(s->name);
		memcpy(v->uuid, s->uuid, 16);
		v->max_kib = s->max_kib;
		v->cur_kib = s->mem_kib;
		v->vcpus = s->vcpus;
		v->cpu_seconds = s->cpu_seconds;
		v->os_type = "xen";
		/* as libvirt's libxl driver keeps it: persistent */
		v->persistent = s->id == 0;
		if (s->state[2] == 'p')
			v->state = XVM_VS_PAUSED;
		else if (s->state[4] == 'c')
			v->state = XVM_VS_CRASHED;
		else if (s->state[3] == 's')
			v->state = XVM_VS_SHUTOFF;
		else if (s->state[5] == 'd')
			v->state = XVM_VS_SHUTDOWN;
		else
			v->state = XVM_VS_RUNNING;
		if (xvm_running_config(c, s->id, &d, &e2) == 0) {
			from_config(v, d);
			if (c->statedir == NULL)
				test_memory(c, v, d);
			xvm_domain_free(d);
		}
		for (k = 0; k < ndefs; k++)
			if (memcmp(defs[k].dom->uuid, v->uuid, 16) == 0) {
				v->persistent = true;
				v->autostart = defs[k].autostart;
				if (!v->title && defs[k].dom->title)
					v->title = xvm_strdup(
					    defs[k].dom->title);
			}
		read_reason(c, v);
	}
	for (k = 0; k < ndefs; k++) {
		const struct xvm_domain *d = defs[k].dom;
		struct xvm_vdom *v;

		for (i = 0; i < nrun; i++)
			if (memcmp(run[i].uuid, d->uuid, 16) == 0)
				break;
		if (i < nrun)
			continue;	/* running: listed above */
		v = &out[n++];
		v->id = -1;
		v->name = xvm_strdup(d->name);
		memcpy(v->uuid, d->uuid, 16);
		v->state = XVM_VS_SHUTOFF;
		v->persistent = true;
		v->autostart = defs[k].autostart;
		v->max_kib = d->memory_kib;
		v->cur_kib = d->current_kib ? d->current_kib : d->memory_kib;
		v->vcpus = d->vcpus;
		from_config(v, d);
		read_reason(c, v);
	}
	*list_r = out;
	*n_r = n;
	ret = 0;
out:
	xvm_domstat_free(run, nrun);
	xvm_defined_free(defs, ndefs);
	return ret;
}

/*
 * virsh's vshLookupDomainBy: a number that is a running domain's id, then
 * a UUID, then a name, each tried only when `by` allows it.
 */
int
xvm_vdom_find(struct xvm_conn *c, const char *dom, unsigned by,
    struct xvm_vdom *v_r, struct xvm_err *err)
{
	struct xvm_vdom *list = NULL;
	size_t n = 0, i, hit = (size_t)-1;
	unsigned char uuid[16];
	unsigned id;

	memset(v_r, 0, sizeof(*v_r));
	if (xvm_vdom_list(c, &list, &n, err) < 0)
		return -1;
	if ((by & XVM_BY_ID) && xvm_parse_uint(dom, &id) == 0 &&
	    id <= INT32_MAX)
		for (i = 0; i < n && hit == (size_t)-1; i++)
			if (list[i].id == (long)id)
				hit = i;
	if (hit == (size_t)-1 && (by & XVM_BY_UUID) && strlen(dom) == 36 &&
	    xvm_uuid_parse(dom, uuid) == 0)
		for (i = 0; i < n && hit == (size_t)-1; i++)
			if (memcmp(list[i].uuid, uuid, 16) == 0)
				hit = i;
	if (hit == (size_t)-1 && (by & XVM_BY_NAME))
		for (i = 0; i < n && hit == (size_t)-1; i++)
			if (strcmp(list[i].name, dom) == 0)
				hit = i;
	if (hit == (size_t)-1) {
		xvm_vdom_free(list, n);
		return xvm_err_set(err, XVM_ERR_NO_DOMAIN, "failed to get "
		    "domain '%s'", dom);
	}
	*v_r = list[hit];
	list[hit] = list[n - 1];
	xvm_vdom_free(list, n - 1);
	return 0;
}

void
xvm_vdom_clear(struct xvm_vdom *v)
{
	free(v->name);
	free(v->title);
	memset(v, 0, sizeof(*v));
}

bool
xvm_conn_is_test(const struct xvm_conn *c)
{
	return c->statedir == NULL;
}

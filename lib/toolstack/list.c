/*
 * list.c - the domains of a host with the figures `xl list` shows: name
 * (from xenstore), id, memory, online vcpus, state flags, CPU time.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "toolstack/ts_int.h"

void
xvm_domstat_free(struct xvm_domstat *list, size_t n)
{
	size_t i;

	for (i = 0; list && i < n; i++)
		free(list[i].name);
	free(list);
}

int
xvm_list(struct xvm_conn *c, struct xvm_domstat **list_r, size_t *n_r,
    struct xvm_err *err)
{
	struct xvm_dominfo *info = NULL;
	struct xvm_domstat *out;
	size_t n, i;
	bool acted;

	*list_r = NULL;
	*n_r = 0;
	if (xvm_xc_domain_list(c->io, &info, &n, err) < 0)
		return -1;
	/* stopped domains first get what their configs say (lifecycle.c) */
	if (ts_actions(c, info, n, &acted) == 0 && acted) {
		free(info);
		info = NULL;
		if (xvm_xc_domain_list(c->io, &info, &n, err) < 0)
			return -1;
	}
	out = xvm_calloc(n ? n : 1, sizeof(*out));
	for (i = 0; i < n; i++) {
		struct xvm_domstat *s = &out[i];
		const struct xvm_dominfo *d = &info[i];
		char path[64], *name = NULL;

		s->id = d->domid;
		memcpy(s->uuid, d->handle, sizeof(s->uuid));
		s->mem_kib = d->tot_pages * 4;
		s->max_kib = d->max_pages * 4;
		s->vcpus = d->online_vcpus;
		s->cpu_seconds = d->cpu_time_ns / 1e9;
		snprintf(s->state, sizeof(s->state), "%c%c%c%c%c%c",
		    d->running ? 'r' : '-', d->blocked ? 'b' : '-',
		    d->paused ? 'p' : '-',
		    d->shutdown && d->shutdown_reason != 3 ? 's' : '-',
		    d->shutdown && d->shutdown_reason == 3 ? 'c' : '-',
		    d->dying ? 'd' : '-');
		snprintf(path, sizeof(path), "/local/domain/%u/name",
		    d->domid);
		if (xvm_xs_read(c->io, path, &name, err) < 0) {
			xvm_domstat_free(out, i);
			free(info);
			return -1;
		}
		s->name = name ? name : (d->domid == 0 ?
		    xvm_strdup("Domain-0") : xvm_asprintf("(null)"));
	}
	free(info);
	*list_r = out;
	*n_r = n;
	return 0;
}

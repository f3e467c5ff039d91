/*
 * t_host.h - a simulated host in a fresh temporary directory, for the
 * unit tests that build guests on one; removed with everything in it.
 */
#ifndef XVM_T_HOST_H
#define XVM_T_HOST_H

#include <stdio.h>
#include <stdlib.h>

#include "xvm/toolstack.h"
#include "xvm/util.h"

struct t_host {
	char dir[32];
	char *uri;
	struct xvm_conn *c;
};

/* A host of 4 CPUs and 4 GiB (query: more settings, or NULL). */
static inline int
t_host_open(struct t_host *h, struct xvm_err *err)
{
	snprintf(h->dir, sizeof(h->dir), "/tmp/t_host.XXXXXX");
	h->c = NULL;
	h->uri = NULL;
	if (mkdtemp(h->dir) == NULL)
		return -1;
	h->uri = xvm_asprintf("sim://%s/host?cpus=4&memory=4G", h->dir);
	return xvm_connect(h->uri, 0, &h->c, NULL, err);
}

static inline void
t_host_close(struct t_host *h)
{
	char *cmd = xvm_asprintf("rm -rf '%s'", h->dir);

	xvm_disconnect(h->c);
	h->c = NULL;
	if (system(cmd) != 0)
		printf("# could not remove %s\n", h->dir);
	free(cmd);
	free(h->uri);
	h->uri = NULL;
}

#endif

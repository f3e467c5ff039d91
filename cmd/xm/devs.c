/*
 * devs.c - xm block-list/-attach/-detach and network-list/-attach/-detach
 * on a running domain, with xl's list layouts:
 *
 *   Vdev  BE  handle state evt-ch ring-ref BE-path
 *   51712 0   1      4     -1     -1       /local/domain/0/backend/vbd/1/51712
 *
 *   Idx BE Mac Addr.         handle state evt-ch   tx-/rx-ring-ref BE-path
 *   0   0  00:16:3e:01:02:03 0      4     -1       -1/-1    /local/domain/0/backend/vif/1/0
 *
 * A disk or interface to attach is written as in a config file ('file:
 * /img,xvdb,w'; 'mac=...,bridge=...') and read by the same parser.
 */
#include <stdlib.h>
#include <string.h>

#include "xvm/domain.h"
#include "xvm/toolstack.h"
#include "xvm/xenconfig.h"
#include "xm.h"

/* The one disk or vif a config line describes (what: "disk" or "vif"). */
static struct xvm_domain *
one_device(struct xvm_ctx *ctx, const char *cmd, const char *what,
    const char *spec)
{
	struct xvm_domain *d = NULL;
	char *q = strchr(spec, '\'') ? NULL : xvm_strdup(spec);
	char *text;

	if (q == NULL) {
		xvm_err_set(&ctx->err, XVM_ERR_USAGE, "'%s': a quote has no "
		    "place in a device", spec);
		return NULL;
	}
	text = xvm_asprintf("name = \"attach\"\nkernel = \"/\"\nmemory = 1\n"
	    "%s = [ '%s' ]\n", what, q);
	free(q);
	if (xvm_domain_load_cfg(text, strlen(text), cmd, XVM_DIALECT_XM,
	    XVM_CFG_PYTHON, NULL, xvm_xen_caps_test(), &d, &ctx->err) < 0)
		d = NULL;
	free(text);
	return d;
}

static int
lookup(struct xvm_ctx *ctx, const struct xvm_args *args, struct xvm_conn **c,
    uint32_t *id)
{
	*c = xm_connect(ctx);
	return *c && xvm_lookup(*c, xvm_args_get(args, "domain"), id, NULL,
	    &ctx->err) == 0 ? 0 : -1;
}

int
xm_cmd_block_list(struct xvm_ctx *ctx, const struct xvm_args *args)
{
	struct xvm_conn *c;
	struct xvm_devinfo *l = NULL;
	size_t n = 0, i;
	uint32_t id;

	if (lookup(ctx, args, &c, &id) < 0 ||
	    xvm_device_list(c, id, "vbd", &l, &n, &ctx->err) < 0)
		return -1;
	fprintf(ctx->out, "%-5s %-3s %-6s %-5s %-6s %-8s %-30s\n", "Vdev", "BE",
	    "handle", "state", "evt-ch", "ring-ref", "BE-path");
	for (i = 0; i < n; i++)
		fprintf(ctx->out, "%-5d %-3d %-6d %-5d %-6d %-8d %-30s\n",
		    l[i].devid, l[i].backend_id, l[i].frontend_id, l[i].state,
		    l[i].evtch, l[i].rref, l[i].backend ? l[i].backend : "");
	xvm_devlist_free(l, n);
	return 0;
}

int
xm_cmd_network_list(struct xvm_ctx *ctx, const struct xvm_args *args)
{
	struct xvm_conn *c;
	struct xvm_devinfo *l = NULL;
	size_t n = 0, i;
	uint32_t id;

	if (lookup(ctx, args, &c, &id) < 0 ||
	    xvm_device_list(c, id, "vif", &l, &n, &ctx->err) < 0)
		return -1;
	fprintf(ctx->out, "%-3s %-2s %-17s %-6s %-5s %-6s %5s/%-5s %-30s\n",
	    "Idx", "BE", "Mac Addr.", "handle", "state", "evt-ch", "tx-",
	    "rx-ring-ref", "BE-path");
	for (i = 0; i < n; i++)
		fprintf(ctx->out, "%-3d %-2d %-17s %-6d %-5d %-6d %5d/%-5d "
		    "%-30s\n", l[i].devid, l[i].backend_id,
		    l[i].mac ? l[i].mac : "", l[i].devid, l[i].state,
		    l[i].evtch, l[i].rref_tx, l[i].rref_rx,
		    l[i].backend ? l[i].backend : "");
	xvm_devlist_free(l, n);
	return 0;
}

int
xm_cmd_block_attach(struct xvm_ctx *ctx, const struct xvm_args *args)
{
	struct xvm_conn *c;
	struct xvm_domain *d;
	char *spec;
	uint32_t id;
	int r = -1;

	if (lookup(ctx, args, &c, &id) < 0)
		return -1;
	spec = xvm_asprintf("%s,%s,%s", xvm_args_get(args, "backdev"),
	    xvm_args_get(args, "frontdev"), xvm_args_get(args, "mode"));
	if ((d = one_device(ctx, "block-attach", "disk", spec)) != NULL) {
		if (d->ndisks != 1)
			xvm_err_set(&ctx->err, XVM_ERR_USAGE, "'%s' is not a "
			    "disk", spec);
		else
			r = xvm_block_attach(c, id, &d->disks[0], &ctx->err);
	}
	xvm_domain_free(d);
	free(spec);
	return r;
}

int
xm_cmd_network_attach(struct xvm_ctx *ctx, const struct xvm_args *args)
{
	struct xvm_strv kv = XVM_STRV_INIT;
	struct xvm_conn *c;
	struct xvm_domain *d;
	char *spec;
	uint32_t id;
	int r = -1;

	if (lookup(ctx, args, &c, &id) < 0)
		return -1;
	xvm_args_getv(args, "settings", &kv);
	spec = xvm_strv_join(&kv, ",");
	if ((d = one_device(ctx, "network-attach", "vif", spec)) != NULL) {
		if (d->nnets != 1)
			xvm_err_set(&ctx->err, XVM_ERR_USAGE, "'%s' is not a "
			    "network interface", spec);
		else
			r = xvm_network_attach(c, id, &d->nets[0], &ctx->err);
	}
	xvm_domain_free(d);
	xvm_strv_release(&kv);
	free(spec);
	return r;
}

int
xm_cmd_block_detach(struct xvm_ctx *ctx, const struct xvm_args *args)
{
	struct xvm_conn *c;
	uint32_t id;

	if (lookup(ctx, args, &c, &id) < 0)
		return -1;
	return xvm_block_detach(c, id, xvm_args_get(args, "device"),
	    xvm_args_has(args, "force"), &ctx->err);
}

int
xm_cmd_network_detach(struct xvm_ctx *ctx, const struct xvm_args *args)
{
	struct xvm_conn *c;
	uint32_t id;

	if (lookup(ctx, args, &c, &id) < 0)
		return -1;
	return xvm_network_detach(c, id, xvm_args_get(args, "device"),
	    xvm_args_has(args, "force"), &ctx->err);
}

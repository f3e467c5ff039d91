/*
 * dom.c - xm's lifecycle commands on a running domain: pause, unpause,
 * destroy.  The domain is named by name, id or UUID.
 */
#include <stdlib.h>

#include "xvm/toolstack.h"
#include "xm.h"

typedef int (*dom_op)(struct xvm_conn *, uint32_t, struct xvm_err *);

static int
on_domain(struct xvm_ctx *ctx, const struct xvm_args *args, dom_op op)
{
	struct xvm_conn *c = xm_connect(ctx);
	uint32_t id;

	if (!c || xvm_lookup(c, xvm_args_get(args, "domain"), &id, NULL,
	    &ctx->err) < 0)
		return -1;
	return op(c, id, &ctx->err);
}

int
xm_cmd_pause(struct xvm_ctx *ctx, const struct xvm_args *args)
{
	return on_domain(ctx, args, xvm_pause);
}

int
xm_cmd_unpause(struct xvm_ctx *ctx, const struct xvm_args *args)
{
	return on_domain(ctx, args, xvm_unpause);
}

int
xm_cmd_destroy(struct xvm_ctx *ctx, const struct xvm_args *args)
{
	return on_domain(ctx, args, xvm_destroy);
}

/*
 * opts.c - command lookup, the option list of a command, and typed access to
 * parsed arguments.
 */
#include <stdlib.h>
#include <string.h>

#include "xvm/cli.h"
#include "xvm/size.h"
#include "cli/cli_int.h"

const struct xvm_opt xvm_opt_json = {
	"json", 0, XVM_OPT_BOOL, XVM_OPT_NOHELP,
	"print the result as one JSON document", NULL, NULL, 0, 0,
};

void
xvm_ctx_init(struct xvm_ctx *ctx, const struct xvm_tool *tool)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->tool = tool;
	ctx->out = stdout;
	ctx->errout = stderr;
}

size_t
cli_cmd_opts(const struct xvm_cmd *cmd, const struct xvm_opt **list,
    size_t max)
{
	size_t n = 0;
	const struct xvm_opt *o;

	for (o = cmd->opts; o && o->name && n < max; o++)
		list[n++] = o;
	if ((cmd->flags & XVM_CMD_DATA) && n < max)
		list[n++] = &xvm_opt_json;
	return n;
}

const struct xvm_cmd *
xvm_cli_find(const struct xvm_tool *tool, const char *name)
{
	const struct xvm_cmd *c;

	for (c = tool->cmds; c->name; c++)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}

const struct xvm_group *
xvm_cli_group(const struct xvm_tool *tool, const char *kw)
{
	const struct xvm_group *g;

	for (g = tool->groups; g && g->keyword; g++)
		if (strcmp(g->keyword, kw) == 0 || strcmp(g->title, kw) == 0)
			return g;
	return NULL;
}

bool
cli_opt_is_data(const struct xvm_opt *o)
{
	return o->type == XVM_OPT_STRING || o->type == XVM_OPT_DOMAIN ||
	    o->type == XVM_OPT_FILE;
}

bool
cli_opt_is_number(const struct xvm_opt *o)
{
	return o->type == XVM_OPT_INT || o->type == XVM_OPT_SIZE;
}

/* The metavar: the table's, or the option name. */
const char *
cli_opt_arg(const struct xvm_opt *o)
{
	return o->arg ? o->arg : o->name;
}

void
xvm_args_release(struct xvm_args *a)
{
	free(a->v);
	a->v = NULL;
	a->n = 0;
	xvm_strv_release(&a->store);
}

static const struct xvm_argval *
args_find(const struct xvm_args *a, const char *name)
{
	size_t i;

	for (i = 0; i < a->n; i++)
		if (strcmp(a->v[i].opt->name, name) == 0)
			return &a->v[i];
	return NULL;
}

bool
xvm_args_has(const struct xvm_args *a, const char *name)
{
	return args_find(a, name) != NULL;
}

const char *
xvm_args_get(const struct xvm_args *a, const char *name)
{
	const struct xvm_argval *v = args_find(a, name);

	return v ? v->value : NULL;
}

size_t
xvm_args_getv(const struct xvm_args *a, const char *name,
    struct xvm_strv *out)
{
	size_t i, n = 0;

	for (i = 0; i < a->n; i++) {
		if (strcmp(a->v[i].opt->name, name) == 0 && a->v[i].value) {
			xvm_strv_push(out, a->v[i].value);
			n++;
		}
	}
	return n;
}

static int
bad_number(struct xvm_ctx *ctx, const char *val, const char *name)
{
	return xvm_err_set(&ctx->err, XVM_ERR_USAGE,
	    "Numeric value '%s' for <%s> option is malformed or out of range",
	    val, name);
}

int
xvm_args_int(struct xvm_ctx *ctx, const struct xvm_args *a, const char *name,
    int *out)
{
	const char *s = xvm_args_get(a, name);

	if (!s)
		return 0;
	if (xvm_parse_int(s, out) < 0)
		return bad_number(ctx, s, name);
	return 1;
}

int
xvm_args_uint(struct xvm_ctx *ctx, const struct xvm_args *a,
    const char *name, unsigned int *out)
{
	const char *s = xvm_args_get(a, name);

	if (!s)
		return 0;
	if (xvm_parse_uint(s, out) < 0)
		return bad_number(ctx, s, name);
	return 1;
}

int
xvm_args_size(struct xvm_ctx *ctx, const struct xvm_args *a,
    const char *name, unsigned long long *bytes)
{
	const struct xvm_argval *v = args_find(a, name);
	unsigned long long max;

	if (!v)
		return 0;
	max = v->opt->max ? v->opt->max : ~0ULL;
	if (xvm_size_parse(v->value, v->opt->scale ? v->opt->scale : 1, max,
	    bytes, &ctx->err) < 0) {
		/*
		 * virsh words the complaint about the option first, then the
		 * reason (if the size parser had one) on its own line.
		 */
		xvm_err_context(&ctx->err, "Scaled numeric value '%s' for <%s> "
		    "option is malformed or out of range", v->value, name);
		return -1;
	}
	return 1;
}

/*
 * dom.c - xm's commands on a running domain: pause, unpause, destroy,
 * rename, sysrq, save, restore (domains by name, id or UUID), and on
 * defined ones: start, delete (named by name or UUID).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xvm/domain.h"
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

typedef int (*dom_arg_op)(struct xvm_conn *, uint32_t, const char *,
    struct xvm_err *);

/* The same, for an operation that takes one more argument, named opt. */
static int
on_domain_with(struct xvm_ctx *ctx, const struct xvm_args *args,
    const char *opt, dom_arg_op op)
{
	struct xvm_conn *c = xm_connect(ctx);
	uint32_t id;

	if (!c || xvm_lookup(c, xvm_args_get(args, "domain"), &id, NULL,
	    &ctx->err) < 0)
		return -1;
	return op(c, id, xvm_args_get(args, opt), &ctx->err);
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

/*
 * xm start -a: every definition marked autostart that is not running, in
 * name order, each announced as create does; one that fails does not
 * stop the others.
 */
static int
start_all(struct xvm_ctx *ctx, struct xvm_conn *c, unsigned flags)
{
	struct xvm_defined *defs = NULL;
	struct xvm_domstat *run = NULL;
	size_t ndefs = 0, nrun = 0, i, k, failed = 0, tried = 0;
	int ret = -1;

	if (xvm_defined_list(c, &defs, &ndefs, &ctx->err) < 0 ||
	    xvm_list(c, &run, &nrun, &ctx->err) < 0)
		goto out;
	for (i = 0; i < ndefs; i++) {
		char u[37];
		uint32_t id;

		if (!defs[i].autostart)
			continue;
		for (k = 0; k < nrun; k++)
			if (memcmp(run[k].uuid, defs[i].dom->uuid, 16) == 0)
				break;
		if (k < nrun)
			continue;	/* running already (restored, say) */
		tried++;
		xvm_uuid_format(defs[i].dom->uuid, u);
		if (xvm_start(c, u, flags, &id, &ctx->err) < 0) {
			char line[1024];

			fflush(ctx->out);
			fprintf(ctx->errout, "Error: %s: %s\n",
			    defs[i].dom->name, xvm_err_format(&ctx->err, line,
			    sizeof(line)));
			failed++;
			continue;
		}
		fprintf(ctx->out, "Started domain %s (id=%u)\n",
		    defs[i].dom->name, id);
		fflush(ctx->out);
	}
	if (failed) {
		xvm_err_set(&ctx->err, XVM_ERR_OPERATION_FAILED, "%zu of %zu "
		    "domains did not start", failed, tried);
		goto out;
	}
	ret = 0;
out:
	xvm_defined_free(defs, ndefs);
	xvm_domstat_free(run, nrun);
	return ret;
}

int
xm_cmd_start(struct xvm_ctx *ctx, const struct xvm_args *args)
{
	struct xvm_conn *c;
	bool all = xvm_args_has(args, "all");
	unsigned flags = xvm_args_has(args, "paused") ? XVM_CREATE_PAUSED : 0;
	uint32_t id;

	if (all == (xvm_args_get(args, "domain") != NULL))
		return xvm_err_set(&ctx->err, XVM_ERR_USAGE, all ? "-a and a "
		    "domain exclude each other" : "a domain, or -a for all "
		    "marked to start with the host, is needed");
	if (all && xvm_args_has(args, "console"))
		return xvm_err_set(&ctx->err, XVM_ERR_USAGE, "-c attaches one "
		    "domain's console: not with -a");
	if ((c = xm_connect(ctx)) == NULL)
		return -1;
	if (all)
		return start_all(ctx, c, flags);
	if (xvm_start(c, xvm_args_get(args, "domain"),
	    flags, &id, &ctx->err) < 0)
		return -1;
	return xvm_args_has(args, "console") ? xvm_cli_console(ctx, c, id) :
	    0;
}

int
xm_cmd_delete(struct xvm_ctx *ctx, const struct xvm_args *args)
{
	struct xvm_conn *c = xm_connect(ctx);

	if (!c)
		return -1;
	return xvm_undefine(c, xvm_args_get(args, "domain"), NULL, &ctx->err);
}

/*
 * xm shutdown / reboot: ask the guests; with -w wait until each has
 * stopped, printing as xm did ("Domain NAME terminated", then "All
 * domains terminated"; "rebooted" for reboot).
 */
static int
shutdown_doms(struct xvm_ctx *ctx, const struct xvm_args *args,
    enum xvm_shutdown_how how)
{
	struct xvm_conn *c = xm_connect(ctx);
	struct xvm_domstat *list = NULL, *pick = NULL;
	const char *dom = xvm_args_get(args, "domain");
	const char *done = how == XVM_SHUTDOWN_REBOOT ? "rebooted" :
	    "terminated";
	bool all = xvm_args_has(args, "all");
	size_t n = 0, np = 0, i;
	int ret = -1;

	if (!c)
		return -1;
	if (all == (dom != NULL)) {
		xvm_err_set(&ctx->err, XVM_ERR_USAGE, all ? "-a and a domain "
		    "exclude each other" : "a domain, or -a for all, is "
		    "needed");
		return -1;
	}
	if (xvm_list(c, &list, &n, &ctx->err) < 0)
		return -1;
	pick = xvm_calloc(n + 1, sizeof(*pick));
	if (all) {
		for (i = 0; i < n; i++)
			if (list[i].id != 0 && list[i].state[3] != 's' &&
			    list[i].state[4] != 'c')
				pick[np++] = list[i];
	} else {
		uint32_t id;

		if (xvm_lookup(c, dom, &id, NULL, &ctx->err) < 0)
			goto out;
		for (i = 0; i < n; i++)
			if (list[i].id == id)
				pick[np++] = list[i];
	}
	for (i = 0; i < np; i++)
		if (xvm_shutdown(c, pick[i].id, how, &ctx->err) < 0)
			goto out;
	if (xvm_args_has(args, "wait")) {
		for (i = 0; i < np; i++) {
			if (xvm_wait_stopped(c, pick[i].id, pick[i].uuid, 0,
			    &ctx->err) < 0)
				goto out;
			fprintf(ctx->out, "Domain %s %s\n", pick[i].name,
			    done);
		}
		fprintf(ctx->out, "All domains %s\n", done);
	}
	ret = 0;
out:
	free(pick);
	xvm_domstat_free(list, n);
	return ret;
}

int
xm_cmd_shutdown(struct xvm_ctx *ctx, const struct xvm_args *args)
{
	bool r = xvm_args_has(args, "reboot"), h = xvm_args_has(args, "halt");

	if (r && h)
		return xvm_err_set(&ctx->err, XVM_ERR_USAGE, "-R and -H "
		    "exclude each other");
	return shutdown_doms(ctx, args, r ? XVM_SHUTDOWN_REBOOT :
	    h ? XVM_SHUTDOWN_HALT : XVM_SHUTDOWN_POWEROFF);
}

int
xm_cmd_reboot(struct xvm_ctx *ctx, const struct xvm_args *args)
{
	return shutdown_doms(ctx, args, XVM_SHUTDOWN_REBOOT);
}

int
xm_cmd_rename(struct xvm_ctx *ctx, const struct xvm_args *args)
{
	return on_domain_with(ctx, args, "name", xvm_rename);
}

int
xm_cmd_sysrq(struct xvm_ctx *ctx, const struct xvm_args *args)
{
	return on_domain_with(ctx, args, "key", xvm_sysrq);
}

int
xm_cmd_save(struct xvm_ctx *ctx, const struct xvm_args *args)
{
	return on_domain_with(ctx, args, "file", xvm_save);
}

int
xm_cmd_restore(struct xvm_ctx *ctx, const struct xvm_args *args)
{
	struct xvm_conn *c = xm_connect(ctx);
	uint32_t id;

	if (!c)
		return -1;
	return xvm_restore(c, xvm_args_get(args, "file"),
	    xvm_args_has(args, "paused") ? XVM_CREATE_PAUSED : 0, &id,
	    &ctx->err);
}

int
xm_cmd_dump_core(struct xvm_ctx *ctx, const struct xvm_args *args)
{
	struct xvm_conn *c = xm_connect(ctx);
	const char *file = xvm_args_get(args, "file");
	char *name = NULL, *path = NULL;
	uint32_t id;
	int r = -1;

	if (!c || xvm_lookup(c, xvm_args_get(args, "domain"), &id, &name,
	    &ctx->err) < 0)
		return -1;
	if (file == NULL && (path = xvm_dump_path(c, name, id)) == NULL) {
		xvm_err_set(&ctx->err, XVM_ERR_USAGE, "this host keeps no "
		    "files: name the core file");
		goto out;
	}
	/* as xm */
	fprintf(ctx->out, "Dumping core of domain: %s ...\n",
	    xvm_args_get(args, "domain"));
	r = xvm_dump_core(c, id, file ? file : path,
	    (xvm_args_has(args, "live") ? XVM_DUMP_LIVE : 0) |
	    (xvm_args_has(args, "crash") ? XVM_DUMP_CRASH : 0), NULL,
	    &ctx->err);
out:
	free(name);
	free(path);
	return r;
}

int
xm_cmd_migrate(struct xvm_ctx *ctx, const struct xvm_args *args)
{
	struct xvm_conn *c = xm_connect(ctx);
	const char *dest = xvm_args_get(args, "host");
	bool live = xvm_args_has(args, "live");
	struct xvm_migration mg;
	char *name = NULL;
	uint32_t id;
	unsigned k;
	int r;

	if (!c || xvm_lookup(c, xvm_args_get(args, "domain"), &id, &name,
	    &ctx->err) < 0)
		return -1;
	/* as xl: to this host too (localhost) */
	r = xvm_migrate(c, id, dest, (live ? XVM_MIGRATE_LIVE : 0) |
	    XVM_MIGRATE_SAME_HOST, &mg, &ctx->err);
	if (r == 0 && xvm_args_has(args, "verbose")) {
		fprintf(ctx->out, "Migrated %s (id %u) to %s (id %u), %s\n",
		    name, id, dest, mg.new_id, live ? "live" : "not live");
		for (k = 0; k < mg.rounds && k < 16; k++)
			fprintf(ctx->out, "  round %u: %llu pages%s\n", k + 1,
			    (unsigned long long)mg.sent[k],
			    k == 0 ? " (all of them, while it ran)" : "");
		fprintf(ctx->out, "  stopped: %llu pages\n",
		    (unsigned long long)mg.last);
		fprintf(ctx->out, "  %llu pages in all, %u round%s; downtime "
		    "%.0f ms\n", (unsigned long long)mg.total, mg.rounds + 1,
		    mg.rounds + 1 == 1 ? "" : "s", mg.downtime_ms);
	}
	free(name);
	return r;
}

/* xm console DOM: its console here until Ctrl-] (lib/cli/console.c). */
int
xm_cmd_console(struct xvm_ctx *ctx, const struct xvm_args *args)
{
	struct xvm_conn *c = xm_connect(ctx);
	uint32_t id;

	if (!c || xvm_lookup(c, xvm_args_get(args, "domain"), &id, NULL,
	    &ctx->err) < 0)
		return -1;
	return xvm_cli_console(ctx, c, id);
}

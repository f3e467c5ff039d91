/*
 * run.c - parse a whole command line or command string, then run it, and
 * print errors in the tool's own convention:
 *
 *   virsh         "error: ..." per line; a blank line on stdout after every
 *                 command that ran (not with -q); exit status of the last
 *   xm            "Error: ..." and, for usage errors, the command's usage
 *   virt-install  "usage: ..." + "virt-install: error: ..." (exit 2) for
 *                 option errors, "ERROR    ..." (exit 1) for failures
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "xvm/cli.h"
#include "cli/cli_int.h"

void
cli_flush(FILE *f, struct xvm_buf *b)
{
	if (b->len)
		fwrite(b->data, 1, b->len, f);
	fflush(f);
	xvm_buf_reset(b);
}

const struct xvm_cmd *
cli_find_prefix(const struct xvm_tool *tool, const char *name,
    struct xvm_strv *ambiguous)
{
	const struct xvm_cmd *c, *found = xvm_cli_find(tool, name);
	size_t len = strlen(name);

	if (found)
		return found;
	if (len < 2)
		return NULL;
	for (c = tool->cmds; c->name; c++) {
		if (c->flags & XVM_CMD_HIDDEN)
			continue;
		if (strncmp(c->name, name, len) == 0) {
			found = c;
			xvm_strv_push(ambiguous, c->name);
		}
	}
	return ambiguous->n == 1 ? found : NULL;
}

void
xvm_cli_print_err(struct xvm_ctx *ctx, const struct xvm_err *err)
{
	char line[2048];

	fflush(ctx->out);
	switch (ctx->tool->style) {
	case XVM_STYLE_VIRSH:
		if (err->what[0])
			fprintf(ctx->errout, "error: %s\n", err->what);
		if (err->msg[0] || !err->what[0])
			fprintf(ctx->errout, "error: %s\n",
			    err->msg[0] ? xvm_err_format(err, line,
			    sizeof(line)) : "unknown error");
		break;
	case XVM_STYLE_XM:
		if (err->what[0])
			fprintf(ctx->errout, "Error: %s\n", err->what);
		if (err->msg[0] || !err->what[0])
			fprintf(ctx->errout, "Error: %s\n",
			    xvm_err_format(err, line, sizeof(line)));
		break;
	case XVM_STYLE_ARGPARSE:
		if (err->what[0])
			fprintf(ctx->errout, "ERROR    %s\n", err->what);
		/* virt-install's own checks speak plainly; what comes from
		   the hypervisor keeps libvirt's prefix */
		if (err->msg[0] && err->code == XVM_ERR_INVALID_ARG)
			fprintf(ctx->errout, "ERROR    %s\n", err->msg);
		else if (err->msg[0] || !err->what[0])
			fprintf(ctx->errout, "ERROR    %s\n",
			    xvm_err_format(err, line, sizeof(line)));
		break;
	}
	fflush(ctx->errout);
}

void
xvm_cli_print_usage_errs(struct xvm_ctx *ctx, const struct xvm_cmd *cmd,
    const struct xvm_strv *errs)
{
	struct xvm_buf b = XVM_BUF_INIT;
	size_t i;

	fflush(ctx->out);
	switch (ctx->tool->style) {
	case XVM_STYLE_VIRSH:
		for (i = 0; i < errs->n; i++)
			fprintf(ctx->errout, "error: %s\n", errs->v[i]);
		break;
	case XVM_STYLE_XM:
		for (i = 0; i < errs->n; i++)
			fprintf(ctx->errout, "Error: %s\n", errs->v[i]);
		if (cmd) {
			xvm_buf_putc(&b, '\n');
			xvm_help_cmd(ctx, &b, cmd);
		} else {
			xvm_buf_puts(&b, "Usage: xm <subcommand> [args]\n\n"
			    "For a complete list of subcommands run "
			    "'xm help'.\n");
		}
		break;
	case XVM_STYLE_ARGPARSE:
		xvm_usage_line(ctx->tool, ctx->tool->cmds, &b);
		for (i = 0; i < errs->n; i++)
			xvm_buf_printf(&b, "%s: error: %s\n", ctx->tool->name,
			    errs->v[i]);
		break;
	}
	cli_flush(ctx->errout, &b);
	xvm_buf_release(&b);
}

/* One parsed command of a command string or line. */
struct job {
	const struct xvm_cmd *cmd;
	struct xvm_args args;
	char *help_for;		/* `CMD --help` became `help CMD` */
};

static const struct xvm_cmd *
lookup(struct xvm_ctx *ctx, const char *name, struct xvm_strv *errs)
{
	const struct xvm_tool *t = ctx->tool;
	const struct xvm_cmd *c;
	struct xvm_strv amb = XVM_STRV_INIT;

	if (t->style == XVM_STYLE_VIRSH) {
		c = xvm_cli_find(t, name);
		if (!c)
			xvm_strv_pushf(errs, "unknown command: '%s'", name);
		return c;
	}
	c = cli_find_prefix(t, name, &amb);
	if (!c && amb.n > 1) {
		char *all = xvm_strv_join(&amb, ", ");

		xvm_strv_pushf(errs, "Subcommand '%s' is ambiguous: %s",
		    name, all);
		free(all);
	} else if (!c) {
		xvm_strv_pushf(errs, "Subcommand %s not found!", name);
	}
	xvm_strv_release(&amb);
	return c;
}

static int
parse_job(struct xvm_ctx *ctx, int argc, char **argv, struct job *j,
    struct xvm_strv *errs)
{
	const struct xvm_cmd *help;
	int r;

	memset(j, 0, sizeof(*j));
	if (ctx->tool->style == XVM_STYLE_ARGPARSE) {
		j->cmd = ctx->tool->cmds;
	} else {
		j->cmd = lookup(ctx, argv[0], errs);
		if (!j->cmd)
			return -1;
		argc--;
		argv++;
	}
	r = xvm_cli_parse(ctx->tool, j->cmd, argc, argv, &j->args, errs);
	if (r < 0)
		return -1;
	if (r == 1) {
		/* --help given: run `help CMD` instead */
		help = xvm_cli_find(ctx->tool, "help");
		j->help_for = xvm_strdup(j->cmd->name);
		xvm_args_release(&j->args);
		if (help) {
			j->cmd = help;
			xvm_cli_parse(ctx->tool, help, 1, &j->help_for,
			    &j->args, errs);
		} else {
			j->args.cmd = j->cmd;
		}
	}
	return 0;
}

static void
job_release(struct job *j)
{
	xvm_args_release(&j->args);
	free(j->help_for);
}

/* Run one parsed command; returns its exit status. */
static int
run_job(struct xvm_ctx *ctx, struct job *j)
{
	const struct xvm_cmd *c = j->cmd;
	double t0 = xvm_mono_ms();
	int r;

	xvm_err_clear(&ctx->err);
	if (ctx->tool->style == XVM_STYLE_ARGPARSE && j->help_for) {
		struct xvm_buf b = XVM_BUF_INIT;

		xvm_help_cmd(ctx, &b, c);
		cli_flush(ctx->out, &b);
		xvm_buf_release(&b);
		return 0;
	}
	if ((c->flags & XVM_CMD_INTERACTIVE) && !ctx->interactive)
		r = xvm_err_set(&ctx->err, XVM_ERR_USAGE,
		    "%s: command valid only in interactive mode", c->name);
	else
		r = c->fn(ctx, &j->args);
	fflush(ctx->out);
	if (r < 0)
		xvm_cli_print_err(ctx, &ctx->err);
	if (ctx->tool->style == XVM_STYLE_VIRSH && !ctx->quit) {
		if (ctx->timing)
			fprintf(ctx->out, "\n(Time: %.3f ms)\n\n",
			    xvm_mono_ms() - t0);
		else if (!ctx->quiet)
			fputc('\n', ctx->out);
		fflush(ctx->out);
	}
	if (r > 0)
		return r;	/* the command printed its own usage error */
	return r < 0 ? 1 : 0;
}

static int
run_jobs(struct xvm_ctx *ctx, struct job *jobs, size_t n)
{
	int status = 0;
	size_t i;

	for (i = 0; i < n && !ctx->quit; i++)
		status = run_job(ctx, &jobs[i]);
	return status;
}

static int
usage_status(const struct xvm_ctx *ctx)
{
	return ctx->tool->style == XVM_STYLE_ARGPARSE ? 2 : 1;
}

int
xvm_cli_run_argv(struct xvm_ctx *ctx, int argc, char **argv)
{
	struct xvm_strv errs = XVM_STRV_INIT;
	struct job j;
	int status;

	if (parse_job(ctx, argc, argv, &j, &errs) < 0) {
		xvm_cli_print_usage_errs(ctx, ctx->tool->style ==
		    XVM_STYLE_XM ? j.cmd : NULL, &errs);
		job_release(&j);
		xvm_strv_release(&errs);
		return usage_status(ctx);
	}
	status = run_jobs(ctx, &j, 1);
	job_release(&j);
	xvm_strv_release(&errs);
	return status;
}

int
xvm_cli_run_string(struct xvm_ctx *ctx, const char *str)
{
	struct xvm_strv errs = XVM_STRV_INIT, *cmds = NULL;
	struct job *jobs = NULL;
	size_t n = 0, i, parsed = 0;
	int status = 1;

	if (xvm_cli_split(str, &cmds, &n, &errs) < 0)
		goto fail;
	jobs = xvm_calloc(n ? n : 1, sizeof(*jobs));
	for (i = 0; i < n; i++, parsed++) {
		if (parse_job(ctx, (int)cmds[i].n, cmds[i].v, &jobs[i],
		    &errs) < 0) {
			job_release(&jobs[i]);
			goto fail;
		}
	}
	status = run_jobs(ctx, jobs, n);
	goto out;
fail:
	xvm_cli_print_usage_errs(ctx, NULL, &errs);
	status = usage_status(ctx);
out:
	for (i = 0; i < parsed; i++)
		job_release(&jobs[i]);
	free(jobs);
	xvm_cli_split_free(cmds, n);
	xvm_strv_release(&errs);
	return status;
}

/*
 * main.c - virt-install: argparse-style options (abbreviations, "usage:" +
 * "virt-install: error: ..." with exit 2), "ERROR    ..." for failures.
 *
 * This build installs no guests yet: its table holds only the options that
 * work (--help, --version); anything else is an unrecognized argument.
 */
#include <string.h>

#include "xvm/cli.h"
#include "xvm/version.h"

static int vi_main(struct xvm_ctx *ctx, const struct xvm_args *args);

static const struct xvm_opt vi_opts[] = {
	{ "help", 'h', XVM_OPT_BOOL, 0, "show this help message and exit",
	  NULL, NULL, 0, 0 },
	{ "version", 0, XVM_OPT_BOOL, 0,
	  "show program's version number and exit", NULL, NULL, 0, 0 },
	{ NULL, 0, 0, 0, NULL, NULL, NULL, 0, 0 },
};

static const struct xvm_cmd vi_cmds[] = {
	{ "virt-install", vi_main, vi_opts,
	  "Create a new virtual machine from specified install media.",
	  NULL, NULL, XVM_CMD_NOCONNECT },
	{ NULL, NULL, NULL, NULL, NULL, NULL, 0 },
};

static const struct xvm_tool vi_tool = {
	"virt-install", XVM_STYLE_ARGPARSE, vi_cmds, NULL, NULL,
	"Create a new virtual machine from specified install media.", NULL,
};

static int
vi_main(struct xvm_ctx *ctx, const struct xvm_args *args)
{
	struct xvm_buf b = XVM_BUF_INIT;
	struct xvm_strv errs = XVM_STRV_INIT;

	if (xvm_args_has(args, "help")) {
		xvm_help_tool(ctx, &b, true);
		fputs(xvm_buf_str(&b), ctx->out);
		xvm_buf_release(&b);
		return 0;
	}
	if (xvm_args_has(args, "version")) {
		fprintf(ctx->out, "%s\n", XVM_VIRT_INSTALL_COMPAT_VERSION);
		return 0;
	}
	/* argparse's convention for a command line that asks for nothing */
	xvm_strv_push(&errs, "no installation requested (see --help)");
	xvm_cli_print_usage_errs(ctx, NULL, &errs);
	xvm_strv_release(&errs);
	return 2;
}

int
main(int argc, char **argv)
{
	struct xvm_ctx ctx;
	int status;

	xvm_ctx_init(&ctx, &vi_tool);
	status = xvm_cli_hidden(&ctx, argc - 1, argv + 1);
	if (status < 0)
		status = xvm_cli_run_argv(&ctx, argc - 1, argv + 1);
	if (fflush(stdout) != 0 || ferror(stdout))
		return 1;
	return status;
}

/*
 * main.c - xm: `xm <subcommand> [args]`, with xm's help and its
 * "Error: ..." convention.
 */
#include <string.h>

#include "xvm/toolstack.h"
#include "xm.h"

int
main(int argc, char **argv)
{
	struct xvm_ctx ctx;
	struct xvm_buf b = XVM_BUF_INIT;
	int status;

	xvm_ctx_init(&ctx, &xm_tool);
	if (argc < 2 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "--help") == 0) {
		/* bare `xm` shows the short help and fails, as xm did */
		xvm_help_tool(&ctx, &b, argc >= 2);
		fputs(xvm_buf_str(&b), stdout);
		xvm_buf_release(&b);
		return argc < 2 ? 1 : 0;
	}
	status = xvm_cli_hidden(&ctx, argc - 1, argv + 1);
	if (status < 0)
		status = xvm_cli_run_argv(&ctx, argc - 1, argv + 1);
	xvm_disconnect(ctx.data);
	if (fflush(stdout) != 0 || ferror(stdout))
		return 1;
	return status;
}

/*
 * bench_cli.c - how fast the command layer is: parsing virsh command
 * strings and rendering help, per operation.  Run with `make bench`.
 * Goals (a 2-core CI machine): splitting and parsing a 5-command string
 * well under 10 us; `help` rendering under 50 us.  This prints figures; it
 * never fails a build.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "xvm/cli.h"

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int
noop(struct xvm_ctx *ctx, const struct xvm_args *a)
{
	(void)ctx;
	(void)a;
	return 0;
}

static const struct xvm_opt opts[] = {
	{ "domain", 0, XVM_OPT_STRING, XVM_OPT_POSITIONAL | XVM_OPT_REQUIRED,
	  "domain", NULL, NULL, 0, 0 },
	{ "size", 0, XVM_OPT_SIZE, XVM_OPT_POSITIONAL | XVM_OPT_REQUIRED,
	  "size", NULL, NULL, 1024, 0 },
	{ "live", 0, XVM_OPT_BOOL, 0, "live", NULL, NULL, 0, 0 },
	{ "config", 0, XVM_OPT_BOOL, 0, "config", NULL, NULL, 0, 0 },
	{ NULL, 0, 0, 0, NULL, NULL, NULL, 0, 0 },
};

static const struct xvm_group groups[] = {
	{ "domain", "Domain Management" },
	{ NULL, NULL },
};

static const struct xvm_cmd cmds[] = {
	{ "setmem", noop, opts, "change memory allocation", "", "domain", 0 },
	{ "help", xvm_cmd_help, xvm_help_opts_virsh, "print help", "",
	  "domain", 0 },
	{ NULL, NULL, NULL, NULL, NULL, NULL, 0 },
};

static const struct xvm_tool tool = {
	"virsh", XVM_STYLE_VIRSH, cmds, groups, NULL, "bench", NULL,
};

int
main(void)
{
	const char *line = "setmem a 1G --live; setmem --domain b --size 512M; "
	    "setmem 'c d' 4096 --config; setmem e 2G; setmem f 3G --live";
	struct xvm_ctx ctx;
	struct xvm_buf b = XVM_BUF_INIT;
	int i, n = 200000;
	double t0, t1;
	FILE *null = fopen("/dev/null", "w");

	if (!null)
		return 1;
	xvm_ctx_init(&ctx, &tool);
	ctx.out = null;
	ctx.quiet = true;
	t0 = now();
	for (i = 0; i < n; i++)
		xvm_cli_run_string(&ctx, line);
	t1 = now();
	printf("parse+run 5-command string: %.2f us/op\n", (t1 - t0) / n * 1e6);

	t0 = now();
	for (i = 0; i < n; i++) {
		xvm_buf_reset(&b);
		xvm_help_tool(&ctx, &b, false);
	}
	t1 = now();
	printf("render `help`:              %.2f us/op\n", (t1 - t0) / n * 1e6);
	xvm_buf_release(&b);
	fclose(null);
	return 0;
}

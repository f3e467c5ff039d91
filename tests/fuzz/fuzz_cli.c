/*
 * fuzz_cli.c - fuzz target for command lines: virsh command strings (the
 * splitter), and option parsing and completion in the three conventions.
 * Invariants: no crash, no leak, and a parse either succeeds or reports at
 * least one error.
 */
#include <stdlib.h>
#include <string.h>

#include "xvm/cli.h"
#include "fuzz.h"

static int
noop(struct xvm_ctx *ctx, const struct xvm_args *a)
{
	(void)ctx;
	(void)a;
	return 0;
}

static const struct xvm_opt opts[] = {
	{ "domain", 'd', XVM_OPT_STRING, XVM_OPT_POSITIONAL | XVM_OPT_REQUIRED,
	  "domain", NULL, NULL, 0, 0 },
	{ "size", 's', XVM_OPT_SIZE, XVM_OPT_POSITIONAL, "size", NULL, NULL,
	  1024, 0 },
	{ "live", 'l', XVM_OPT_BOOL, 0, "live", NULL, NULL, 0, 0 },
	{ "lives", 0, XVM_OPT_BOOL, 0, "lives", NULL, NULL, 0, 0 },
	{ "mode", 'm', XVM_OPT_STRING, 0, "mode", NULL, NULL, 0, 0 },
	{ "file", 'f', XVM_OPT_FILE, XVM_OPT_MULTI, "file", NULL, NULL, 0, 0 },
	{ "rest", 0, XVM_OPT_STRING, XVM_OPT_POSITIONAL | XVM_OPT_MULTI, "rest",
	  NULL, NULL, 0, 0 },
	{ NULL, 0, 0, 0, NULL, NULL, NULL, 0, 0 },
};

static const struct xvm_group groups[] = {
	{ "g", "Group" },
	{ NULL, NULL },
};

static const struct xvm_cmd cmds[] = {
	{ "cmd", noop, opts, "a command", "", "g", XVM_CMD_DATA },
	{ "help", xvm_cmd_help, xvm_help_opts_virsh, "help", "", "g", 0 },
	{ NULL, NULL, NULL, NULL, NULL, NULL, 0 },
};

static const struct xvm_tool tools[3] = {
	{ "virsh", XVM_STYLE_VIRSH, cmds, groups, NULL, "t", NULL, NULL, NULL, NULL },
	{ "xm", XVM_STYLE_XM, cmds, NULL, NULL, "t", NULL, NULL, NULL, NULL },
	{ "virt-install", XVM_STYLE_ARGPARSE, cmds, NULL, NULL, "t", NULL, NULL, NULL, NULL },
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	struct xvm_strv *c = NULL, errs = XVM_STRV_INIT;
	size_t n = 0, i, t;

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	if (xvm_cli_split(s, &c, &n, &errs) < 0 && errs.n == 0)
		abort();
	for (i = 0; i < n; i++) {
		for (t = 0; t < 3; t++) {
			struct xvm_args a;
			struct xvm_strv e = XVM_STRV_INIT, out = XVM_STRV_INIT;
			struct xvm_ctx ctx;
			unsigned long long bytes;
			int r;

			r = xvm_cli_parse(&tools[t], &cmds[0], (int)c[i].n,
			    c[i].v, &a, &e);
			if (r < 0 && e.n == 0)
				abort();
			xvm_ctx_init(&ctx, &tools[t]);
			if (r == 0) {
				xvm_args_size(&ctx, &a, "size", &bytes);
				xvm_args_release(&a);
			} else if (r == 1) {
				xvm_args_release(&a);
			}
			xvm_complete(&ctx, (int)c[i].n, c[i].v, &out);
			xvm_strv_release(&out);
			xvm_strv_release(&e);
		}
	}
	xvm_cli_split_free(c, n);
	xvm_strv_release(&errs);
	free(s);
	return 0;
}

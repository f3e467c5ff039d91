/*
 * main.c - virsh: global options, then one command (argv), a command string
 * ("a; b; c"), or the interactive shell.  Output, errors and exit codes
 * follow virsh 9.0.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xvm/log.h"
#include "xvm/size.h"
#include "xvm/version.h"
#include "virsh.h"

static void
print_usage(struct xvm_ctx *ctx)
{
	const struct xvm_opt *o;
	struct xvm_buf b = XVM_BUF_INIT;

	xvm_buf_puts(&b, "\nvirsh [options]... [<command_string>]\n"
	    "virsh [options]... <command> [args...]\n\n  options:\n");
	for (o = virsh_tool.global_opts; o->name; o++) {
		char item[64];
		const char *a = o->arg;

		if (strlen(o->name) == 1)
			snprintf(item, sizeof(item), "-%c", o->short_name);
		else if (!o->short_name)
			snprintf(item, sizeof(item), "     --%s%s", o->name,
			    a ? a : "");
		else if (!a)
			snprintf(item, sizeof(item), "-%c | --%s",
			    o->short_name, o->name);
		else
			snprintf(item, sizeof(item), "-%c | --%s%s%s",
			    o->short_name, o->name, a[0] == '<' ? " " : "=",
			    a);
		if (strlen(item) < 24)
			xvm_buf_printf(&b, "    %-24s%s\n", item, o->help);
		else
			xvm_buf_printf(&b, "    %s\n%28s%s\n", item, "", o->help);
	}
	xvm_buf_puts(&b, "  commands (non interactive mode):\n\n");
	xvm_help_tool(ctx, &b, true);
	fwrite(b.data, 1, b.len, ctx->out);
	xvm_buf_release(&b);
}

static void
print_version(struct xvm_ctx *ctx, bool full)
{
	if (!full) {
		fprintf(ctx->out, "%s\n", XVM_VIRSH_COMPAT_VERSION);
		return;
	}
	fprintf(ctx->out, "Virsh command line tool of xvm %s (virsh %s "
	    "compatible)\n\nCompiled with support for:\n"
	    " Hypervisors: Xen %s (privcmd), simulated Xen, Test\n"
	    " Miscellaneous: Readline\n", XVM_VERSION,
	    XVM_VIRSH_COMPAT_VERSION, XVM_XEN_COMPAT_VERSION);
}

static void
global_error(struct xvm_ctx *ctx, const char *fmt, const char *a,
    const char *b)
{
	fprintf(ctx->errout, "error: ");
	fprintf(ctx->errout, fmt, a, b);
	fputc('\n', ctx->errout);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "connect", required_argument, NULL, 'c' },
		{ "debug", required_argument, NULL, 'd' },
		{ "escape", required_argument, NULL, 'e' },
		{ "help", no_argument, NULL, 'h' },
		{ "keepalive-interval", required_argument, NULL, 'k' },
		{ "keepalive-count", required_argument, NULL, 'K' },
		{ "log", required_argument, NULL, 'l' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "readonly", no_argument, NULL, 'r' },
		{ "timing", no_argument, NULL, 't' },
		{ "version", optional_argument, NULL, 'v' },
		{ NULL, 0, NULL, 0 },
	};
	struct xvm_ctx ctx;
	struct xvm_log log = XVM_LOG_INIT;
	int c, status, li;
	unsigned int u;

	xvm_ctx_init(&ctx, &virsh_tool);
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:c:d:e:hk:K:l:qrtvV", longopts,
	    &li)) != -1) {
		char sopt[3] = { '-', (char)optopt, 0 };

		switch (c) {
		case 'c':
			ctx.uri = optarg;
			break;
		case 'd':
			if (xvm_parse_int(optarg, &ctx.debug) < 0) {
				global_error(&ctx, "option %s takes a numeric "
				    "argument", "-d", NULL);
				return 1;
			}
			if (ctx.debug < 0 || ctx.debug > 4) {
				fprintf(ctx.errout, "error: ignoring debug level "
				    "%d out of range [0-4]\n", ctx.debug);
				ctx.debug = 0;
			}
			break;
		case 'e':
			if (!((optarg[0] == '^' && optarg[1] && !optarg[2]) ||
			    (optarg[0] && !optarg[1]))) {
				global_error(&ctx, "Invalid string '%s' for "
				    "escape sequence", optarg, NULL);
				return 1;
			}
			break;
		case 'h':
			print_usage(&ctx);
			return 0;
		case 'k':
		case 'K':
			if (xvm_parse_uint(optarg, &u) < 0 || u > 2147483647U) {
				fprintf(ctx.errout, "error: Invalid value for "
				    "option -%c\n", c);
				return 1;
			}
			break;
		case 'l':
			if (xvm_log_open(&log, optarg, &ctx.err) < 0) {
				xvm_cli_print_err(&ctx, &ctx.err);
				return 1;
			}
			break;
		case 'q':
			ctx.quiet = true;
			break;
		case 'r':
			ctx.readonly = true;
			break;
		case 't':
			ctx.timing = true;
			break;
		case 'v':
			print_version(&ctx, optarg && strcmp(optarg, "long") == 0);
			return 0;
		case 'V':
			print_version(&ctx, true);
			return 0;
		case ':': {
			const struct option *o;

			for (o = longopts; o->name; o++)
				if (o->val == optopt)
					break;
			fprintf(ctx.errout, "error: option '-%c'/'--%s' requires "
			    "an argument\n", optopt, o->name ? o->name : "?");
			return 1;
		}
		default:
			global_error(&ctx, "unsupported option '%s'. See --help.",
			    optopt ? sopt : argv[optind - 1], NULL);
			return 1;
		}
	}

	if (optind < argc) {
		status = xvm_cli_hidden(&ctx, argc - optind, argv + optind);
		if (status >= 0)
			return status;
		xvm_log_write(&log, XVM_LOG_INFO, "virsh", "command: %s",
		    argv[optind]);
		if (argc - optind == 1)
			status = xvm_cli_run_string(&ctx, argv[optind]);
		else
			status = xvm_cli_run_argv(&ctx, argc - optind,
			    argv + optind);
		xvm_log_write(&log, status ? XVM_LOG_ERROR : XVM_LOG_INFO,
		    "virsh", "exit status %d", status);
	} else {
		status = xvm_shell(&ctx, "virsh_history");
	}
	xvm_log_close(&log);
	if (fflush(stdout) != 0 || ferror(stdout))
		return 1;
	return status;
}

/*
 * save.c - virsh save, restore and dump: the toolstack's (Xen 4.17 xl's
 * save format, Xen's ELF core; the test driver's own files on
 * test:///default), with virsh 9.0's messages.  What a host's driver does
 * not take is refused as libvirt refuses unknown flags, naming the flag
 * bits and the driver's function.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xvm/toolstack.h"
#include "virsh.h"

/* libvirt's flag bits of the options given, as virCheckFlags shows them. */
static unsigned
flag_bits(const struct xvm_args *args, const char *const *names,
    const unsigned *bits)
{
	unsigned f = 0;

	for (; *names; names++, bits++)
		if (xvm_args_has(args, *names))
			f |= *bits;
	return f;
}

static int
bad_flags(struct xvm_ctx *ctx, unsigned bits, const char *fn)
{
	return xvm_err_set(&ctx->err, XVM_ERR_USAGE, "unsupported flags "
	    "(0x%x) in function %s", bits, fn);
}

/* file, made absolute against the current directory. */
static char *
absolute(const char *file)
{
	char cwd[4096];

	if (file[0] == '/' || getcwd(cwd, sizeof(cwd)) == NULL)
		return xvm_strdup(file);
	return xvm_asprintf("%s/%s", cwd, file);
}

int
virsh_cmd_save(struct xvm_ctx *ctx, const struct xvm_args *args)
{
	static const char *const names[] = { "bypass-cache", "running",
	    "paused", NULL };
	static const unsigned bits[] = { 1, 2, 4 };
	const char *name = xvm_args_get(args, "domain");
	const char *file = xvm_args_get(args, "file");
	struct xvm_conn *c;
	struct xvm_vdom v;
	unsigned f = flag_bits(args, names, bits);
	int r = -1;

	if (virsh_find(ctx, args, XVM_BY_ANY, &c, &v) < 0)
		return -1;
	if (virsh_ro(ctx, f || xvm_args_has(args, "xml") ?
	    "virDomainSaveFlags" : "virDomainSave") < 0)
		r = -1;
	else if (f)
		bad_flags(ctx, f, xvm_conn_is_test(c) ? "testDomainSaveFlags" :
		    "libxlDomainSaveFlags");
	else if (xvm_args_has(args, "xml"))
		xvm_err_set(&ctx->err, XVM_ERR_CONFIG_UNSUPPORTED, "xml "
		    "modification unsupported");
	else if (v.id < 0)
		xvm_err_set(&ctx->err, XVM_ERR_OPERATION_INVALID, "domain is "
		    "not running");
	else {
		char *abs = absolute(file);

		r = xvm_save(c, (uint32_t)v.id, abs, &ctx->err);
		free(abs);
	}
	xvm_vdom_clear(&v);
	if (r < 0) {
		xvm_err_context(&ctx->err, "Failed to save domain '%s' to %s",
		    name, file);
		return -1;
	}
	if (xvm_args_has(args, "verbose"))
		fprintf(ctx->errout, "\rSave: [100 %%]");
	if (!ctx->quiet)
		fprintf(ctx->out, "\nDomain '%s' saved to %s\n", name, file);
	return 0;
}

int
virsh_cmd_restore(struct xvm_ctx *ctx, const struct xvm_args *args)
{
	static const char *const names[] = { "bypass-cache", "running",
	    "reset-nvram", NULL };
	static const unsigned bits[] = { 1, 2, 8 };
	const char *file = xvm_args_get(args, "file");
	struct xvm_conn *c = virsh_conn(ctx);
	bool paused = xvm_args_has(args, "paused");
	unsigned f = flag_bits(args, names, bits);
	uint32_t id;
	int r = -1;

	if (c == NULL)
		return -1;
	if (virsh_ro(ctx, f || paused || xvm_args_has(args, "xml") ?
	    "virDomainRestoreFlags" : "virDomainRestore") < 0)
		r = -1;
	else if (f || (paused && xvm_conn_is_test(c)))
		bad_flags(ctx, f | (paused ? 4 : 0), xvm_conn_is_test(c) ?
		    "testDomainRestoreFlags" : "libxlDomainRestoreFlags");
	else if (xvm_args_has(args, "xml"))
		xvm_err_set(&ctx->err, XVM_ERR_CONFIG_UNSUPPORTED, "xml "
		    "modification unsupported");
	else {
		/* libvirt's API makes the path absolute for its drivers */
		char *abs = absolute(file);

		r = xvm_restore(c, abs, paused ? XVM_CREATE_PAUSED : 0, &id,
		    &ctx->err);
		free(abs);
	}
	if (r < 0) {
		xvm_err_context(&ctx->err, "Failed to restore domain from %s",
		    file);
		return -1;
	}
	if (!ctx->quiet)
		fprintf(ctx->out, "Domain restored from %s\n", file);
	return 0;
}

int
virsh_cmd_dump(struct xvm_ctx *ctx, const struct xvm_args *args)
{
	static const char *const names[] = { "crash", "live",
	    "bypass-cache", "reset", "memory-only", NULL };
	static const unsigned bits[] = { 1, 2, 4, 8, 16 };
	const char *name = xvm_args_get(args, "domain");
	const char *file = xvm_args_get(args, "file");
	const char *format = xvm_args_get(args, "format");
	struct xvm_conn *c;
	struct xvm_vdom v;
	unsigned f = flag_bits(args, names, bits), ok;
	int r = -1;

	if (format && !xvm_args_has(args, "memory-only"))
		return xvm_err_set(&ctx->err, XVM_ERR_USAGE, "--format only "
		    "works with --memory-only");
	if (virsh_find(ctx, args, XVM_BY_ANY, &c, &v) < 0)
		return -1;
	/* Xen's core is what --live and --crash ask for; the test driver
	   only takes --crash */
	ok = xvm_conn_is_test(c) ? 1 : 3;
	if (virsh_ro(ctx, format ? "virDomainCoreDumpWithFormat" :
	    "virDomainCoreDump") < 0)
		r = -1;
	else if (f & ~ok)
		bad_flags(ctx, f & ~ok, xvm_conn_is_test(c) ?
		    "testDomainCoreDumpWithFormat" : "libxlDomainCoreDump");
	else if (v.id < 0)
		xvm_err_set(&ctx->err, XVM_ERR_OPERATION_INVALID, "domain is "
		    "not running");
	else {
		char *abs = absolute(file);

		r = xvm_dump_core(c, (uint32_t)v.id, abs,
		    ((f & 1) ? XVM_DUMP_CRASH : 0) |
		    ((f & 2) ? XVM_DUMP_LIVE : 0), NULL, &ctx->err);
		free(abs);
	}
	xvm_vdom_clear(&v);
	if (r < 0) {
		xvm_err_context(&ctx->err, "Failed to core dump domain '%s' to "
		    "%s", name, file);
		return -1;
	}
	if (xvm_args_has(args, "verbose"))
		fprintf(ctx->errout, "\rDump: [100 %%]");
	if (!ctx->quiet)
		fprintf(ctx->out, "\nDomain '%s' dumped to %s\n", name, file);
	return 0;
}

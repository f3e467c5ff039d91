/*
 * create.c - xm create: find the config (the path as given, then along
 * --path, default ".:/etc/xen"), read it with xm's reader (harmless Python
 * included), apply name=value settings from the command line, and convert.
 * With --dryrun the resulting domain is printed (XML, or --json) and
 * nothing is started; otherwise the toolstack starts it (-p: paused).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "xvm/domxml.h"
#include "xvm/file.h"
#include "xvm/toolstack.h"
#include "xvm/xenconfig.h"
#include "xm.h"

#define MAX_CFG (1024 * 1024)

/* The first existing file among NAME and DIR/NAME for DIR in path. */
static char *
find_config(const char *name, const char *path)
{
	struct stat st;
	char *dirs, *dir, *save = NULL;

	if (strchr(name, '/') || stat(name, &st) == 0)
		return xvm_strdup(name);
	dirs = xvm_strdup(path);
	for (dir = strtok_r(dirs, ":", &save); dir;
	    dir = strtok_r(NULL, ":", &save)) {
		char *p = xvm_asprintf("%s/%s", dir, name);

		if (stat(p, &st) == 0 && S_ISREG(st.st_mode)) {
			free(dirs);
			return p;
		}
		free(p);
	}
	free(dirs);
	return xvm_strdup(name);
}

int
xm_cmd_create(struct xvm_ctx *ctx, const struct xvm_args *args)
{
	const char *search = xvm_args_get(args, "path");
	struct xvm_strv vars = XVM_STRV_INIT;
	struct xvm_domain *d = NULL;
	struct xvm_buf b = XVM_BUF_INIT;
	char *file, *data = NULL;
	size_t len;
	unsigned flags = XVM_CFG_PYTHON;
	int ret = -1;

	file = find_config(xvm_args_get(args, "config"),
	    search ? search : ".:/etc/xen");
	if (xvm_file_read(file, MAX_CFG, &data, &len, &ctx->err) < 0) {
		int e = ctx->err.sys_errno;

		xvm_err_set(&ctx->err, XVM_ERR_SYSTEM, "cannot open config "
		    "file '%s': %s", file, e ? strerror(e) : ctx->err.msg);
		goto out;
	}
	if (len > 0 && data[0] == '<') {
		xvm_err_set(&ctx->err, XVM_ERR_CONFIG, "'%s' is domain XML, "
		    "not an xm config: use virsh define", file);
		goto out;
	}
	xvm_args_getv(args, "vars", &vars);
	if (xvm_args_has(args, "strict"))
		flags |= XVM_LOAD_STRICT;
	if (xvm_domain_load_cfg(data, len, file, XVM_DIALECT_XM, flags, &vars,
	    xvm_xen_caps_test(), &d, &ctx->err) < 0)
		goto out;
	if (xvm_args_has(args, "validate")) {
		char *dir = xvm_schema_dir();
		int bad;

		xvm_domain_format_xml(d, XVM_XML_INACTIVE, &b);
		bad = xvm_domain_validate_xml(xvm_buf_str(&b), b.len,
		    "(domain XML)", dir, &ctx->err) < 0;
		free(dir);
		if (bad)
			goto out;
		xvm_buf_reset(&b);
	}
	if (!xvm_args_has(args, "dryrun")) {
		struct xvm_conn *c = xm_connect(ctx);
		uint32_t id;

		/* as xm: which file, then the domain started */
		fprintf(ctx->out, "Using config file \"%s\".\n", file);
		if (c == NULL || xvm_create(c, d, xvm_args_has(args, "paused") ?
		    XVM_CREATE_PAUSED : 0, &id, &ctx->err) < 0)
			goto out;
		fprintf(ctx->out, "Started domain %s (id=%u)\n", d->name, id);
		ret = 0;
		goto out;
	}
	if (args->json) {
		/* as in the XML, which is not SECURE: no passwords */
		xvm_domain_hide_secrets(d);
		xvm_domain_format_json(d, &b);
	}
	else {
		xvm_domain_format_xml(d, XVM_XML_INACTIVE, &b);
	}
	fputs(xvm_buf_str(&b), ctx->out);
	ret = 0;
out:
	xvm_domain_free(d);
	xvm_buf_release(&b);
	xvm_strv_release(&vars);
	free(data);
	free(file);
	return ret;
}

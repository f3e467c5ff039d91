/*
 * create.c - xm create: find the config (the path as given, then along
 * --path, default ".:/etc/xen"), read it with xm's reader (harmless Python
 * included), apply name=value settings from the command line, and convert.
 * With --dryrun the resulting domain is printed (XML, or --json) and
 * nothing is started; otherwise the toolstack starts it (-p: paused).
 * xm new reads the config the same way and defines the domain (xend's
 * on_xend_start = "start" marks it to start with the host).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "xvm/cfg.h"
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

/*
 * Read the config args names (after the search) with xm's reader and
 * name=value settings; *file_r is the file found.
 */
static int
load_config(struct xvm_ctx *ctx, const struct xvm_args *args, char **file_r,
    struct xvm_domain **d_r)
{
	const char *search = xvm_args_get(args, "path");
	struct xvm_strv vars = XVM_STRV_INIT;
	struct xvm_buf b = XVM_BUF_INIT;
	char *file, *data = NULL;
	size_t len;
	unsigned flags = XVM_CFG_PYTHON;
	int ret = -1;

	*d_r = NULL;
	file = find_config(xvm_args_get(args, "config"),
	    search ? search : ".:/etc/xen");
	*file_r = file;
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
	    xvm_xen_caps_test(), d_r, &ctx->err) < 0)
		goto out;
	if (xvm_args_has(args, "validate")) {
		char *dir = xvm_schema_dir();
		int bad;

		xvm_domain_format_xml(*d_r, XVM_XML_INACTIVE, &b);
		bad = xvm_domain_validate_xml(xvm_buf_str(&b), b.len,
		    "(domain XML)", dir, &ctx->err) < 0;
		free(dir);
		if (bad)
			goto out;
	}
	ret = 0;
out:
	if (ret < 0) {
		xvm_domain_free(*d_r);
		*d_r = NULL;
	}
	xvm_buf_release(&b);
	xvm_strv_release(&vars);
	free(data);
	return ret;
}

int
xm_cmd_create(struct xvm_ctx *ctx, const struct xvm_args *args)
{
	struct xvm_domain *d = NULL;
	struct xvm_buf b = XVM_BUF_INIT;
	char *file = NULL;
	int ret = -1;

	if (load_config(ctx, args, &file, &d) < 0)
		goto out;
	if (!xvm_args_has(args, "dryrun")) {
		struct xvm_conn *c = xm_connect(ctx);
		uint32_t id;

		/* as xm: which file, then the domain started */
		fprintf(ctx->out, "Using config file \"%s\".\n", file);
		if (c == NULL || xvm_create(c, d, xvm_args_has(args, "paused") ?
		    XVM_CREATE_PAUSED : 0, &id, &ctx->err) < 0)
			goto out;
		fprintf(ctx->out, "Started domain %s (id=%u)\n", d->name, id);
		fflush(ctx->out);
		ret = xvm_args_has(args, "console") ?
		    xvm_cli_console(ctx, c, id) : 0;
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
	free(file);
	return ret;
}

/*
 * xend's managed-domain setting on_xend_start: "start" (the domain starts
 * with the host: xm start -a, the xvm-domains service), "ignore" (it does
 * not); *mark_r is -1 when the config does not say.
 */
static int
xend_start(struct xvm_ctx *ctx, const struct xvm_args *args,
    const char *file, int *mark_r)
{
	struct xvm_strv vars = XVM_STRV_INIT;
	struct xvm_cfg cfg;
	const char *v = NULL;
	int ret = -1, r;

	*mark_r = -1;
	xvm_cfg_init(&cfg, file);
	xvm_args_getv(args, "vars", &vars);
	if (xvm_cfg_parse_file(&cfg, file, XVM_CFG_PYTHON, &vars,
	    &ctx->err) < 0 ||
	    (r = xvm_cfg_get_string(&cfg, "on_xend_start", &v,
	    &ctx->err)) < 0)
		goto out;
	if (r == 1) {
		const struct xvm_cfg_value *val = xvm_cfg_get(&cfg,
		    "on_xend_start");

		if (strcmp(v, "start") != 0 && strcmp(v, "ignore") != 0) {
			xvm_err_at(&ctx->err, val->line ? file :
			    "<command line>", val->line, val->column,
			    "on_xend_start must be 'start' or 'ignore', not "
			    "'%s'", v);
			goto out;
		}
		*mark_r = strcmp(v, "start") == 0;
	}
	ret = 0;
out:
	xvm_cfg_release(&cfg);
	xvm_strv_release(&vars);
	return ret;
}

/*
 * xm new: the config becomes a defined domain (silent, as xm was); its
 * on_xend_start, when it has one, sets whether it starts with the host.
 */
int
xm_cmd_new(struct xvm_ctx *ctx, const struct xvm_args *args)
{
	struct xvm_domain *d = NULL;
	struct xvm_conn *c;
	char *file = NULL;
	int ret = -1, mark;

	if (load_config(ctx, args, &file, &d) < 0 ||
	    xend_start(ctx, args, file, &mark) < 0)
		goto out;
	if ((c = xm_connect(ctx)) == NULL ||
	    xvm_define(c, d, NULL, &ctx->err) < 0)
		goto out;
	if (mark >= 0) {
		char u[37];

		xvm_uuid_format(d->uuid, u);
		if (xvm_autostart(c, u, mark == 1, &ctx->err) < 0)
			goto out;
	}
	ret = 0;
out:
	xvm_domain_free(d);
	free(file);
	return ret;
}

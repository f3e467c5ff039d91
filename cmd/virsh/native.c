/*
 * native.c - domxml-from-native and domxml-to-native: xm/xl configs and
 * domain XML, converted offline (no hypervisor needed, unlike libvirt's).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "xvm/domxml.h"
#include "xvm/file.h"
#include "xvm/xenconfig.h"
#include "xvm/toolstack.h"
#include "virsh.h"

#define MAX_FILE (10 * 1024 * 1024)	/* virsh's limit for XML files */

/* Read FILE ("-": standard input) with virsh's wording for failures. */
static int
read_input(struct xvm_ctx *ctx, const char *path, char **data, size_t *len)
{
	const char *real = strcmp(path, "-") == 0 ? "/dev/stdin" : path;

	if (xvm_file_read(real, MAX_FILE, data, len, &ctx->err) < 0) {
		int e = ctx->err.sys_errno;

		return xvm_err_set(&ctx->err, XVM_ERR_SYSTEM,
		    "Failed to open file '%s': %s", path,
		    e ? strerror(e) : ctx->err.msg);
	}
	return 0;
}

static int
format_of(struct xvm_ctx *ctx, const char *format)
{
	int dialect = xvm_cfg_dialect_parse(format);

	if (dialect < 0)
		xvm_err_set(&ctx->err, XVM_ERR_INVALID_ARG,
		    "unsupported config type %s", format);
	return dialect;
}

int
virsh_cmd_from_native(struct xvm_ctx *ctx, const struct xvm_args *args)
{
	const char *path = xvm_args_get(args, "config");
	struct xvm_domain *d = NULL;
	struct xvm_buf b = XVM_BUF_INIT;
	char *data = NULL;
	size_t len;
	int dialect, ret = -1;

	if ((dialect = format_of(ctx, xvm_args_get(args, "format"))) < 0)
		return -1;
	if (read_input(ctx, path, &data, &len) < 0)
		return -1;
	if (xvm_domain_load_cfg(data, len, strcmp(path, "-") ? path :
	    "(standard input)", dialect, 0, NULL, xvm_xen_caps_test(), &d,
	    &ctx->err) < 0)
		goto out;
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
	free(data);
	return ret;
}

int
virsh_cmd_to_native(struct xvm_ctx *ctx, const struct xvm_args *args)
{
	const char *path = xvm_args_get(args, "xml");
	const char *dom = xvm_args_get(args, "domain");
	struct xvm_domain *d = NULL;
	struct xvm_cfg cfg;
	struct xvm_buf b = XVM_BUF_INIT;
	char *data = NULL;
	size_t len;
	int dialect, ret = -1;

	if (dom && path)
		return xvm_err_set(&ctx->err, XVM_ERR_USAGE, "Options --domain "
		    "and --xml are mutually exclusive");
	if (!dom && !path)
		return xvm_err_set(&ctx->err, XVM_ERR_USAGE, "need either "
		    "domain or domain XML");
	xvm_cfg_init(&cfg, path ? path : dom);
	if ((dialect = format_of(ctx, xvm_args_get(args, "format"))) < 0)
		goto out;
	if (dom) {
		/* the config of a domain: the one it runs, else its
		   definition */
		struct xvm_conn *c = virsh_conn(ctx);
		struct xvm_vdom v;
		char u[37];

		if (!c || xvm_vdom_find(c, dom, XVM_BY_ANY, &v, &ctx->err) < 0)
			goto out;
		xvm_uuid_format(v.uuid, u);
		if ((v.id >= 0 ? xvm_running_config(c, (uint32_t)v.id, &d,
		    &ctx->err) : xvm_defined_get(c, u, &d, NULL,
		    &ctx->err)) < 0) {
			xvm_vdom_clear(&v);
			goto out;
		}
		xvm_vdom_clear(&v);
		goto convert;
	}
	if (read_input(ctx, path, &data, &len) < 0)
		goto out;
	if (xvm_args_has(args, "validate")) {
		char *dir = xvm_schema_dir();
		int bad = xvm_domain_validate_xml(data, len, strcmp(path, "-") ?
		    path : "(standard input)", dir, &ctx->err) < 0;

		free(dir);
		if (bad)
			goto out;
	}
	if (xvm_domain_parse_xml(data, len, strcmp(path, "-") ? path :
	    "(standard input)", XVM_XML_INACTIVE, &d, &ctx->err) < 0)
		goto out;
convert:
	if (xvm_domain_to_cfg(d, dialect, &cfg, &ctx->err) < 0)
		goto out;
	xvm_cfg_write(&cfg, &b);
	fputs(xvm_buf_str(&b), ctx->out);
	ret = 0;
out:
	xvm_cfg_release(&cfg);
	xvm_domain_free(d);
	xvm_buf_release(&b);
	free(data);
	return ret;
}

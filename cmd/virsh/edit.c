/*
 * edit.c - virsh edit (the definition in $VISUAL or $EDITOR, checked and
 * defined again; the old one stays when the new one is refused) and
 * virsh migrate (the toolstack's migration, the same as xm's).
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xvm/domxml.h"
#include "xvm/toolstack.h"
#include "virsh.h"

/* The edited document against libvirt's domain schema. */
static bool
valid(struct xvm_ctx *ctx, const char *xml)
{
	char *dir = xvm_schema_dir();
	bool ok = xvm_domain_validate_xml(xml, strlen(xml),
	    "(domain_definition)", dir, &ctx->err) == 0;

	free(dir);
	return ok;
}

int
virsh_cmd_edit(struct xvm_ctx *ctx, const struct xvm_args *args)
{
	struct xvm_conn *c;
	struct xvm_vdom v;
	struct xvm_domain *d = NULL, *nd = NULL;
	struct xvm_buf b = XVM_BUF_INIT;
	char u[37], *edited = NULL;
	int r = -1;

	if (virsh_find(ctx, args, XVM_BY_ANY, &c, &v) < 0)
		return -1;
	xvm_uuid_format(v.uuid, u);
	/* passwords are not for read-only connections */
	if (ctx->readonly) {
		xvm_err_set(&ctx->err, XVM_ERR_OPERATION_DENIED,
		    "virDomainGetXMLDesc with secure flag");
		goto out;
	}
	if ((v.persistent ? xvm_defined_get(c, u, &d, NULL, &ctx->err) :
	    xvm_running_config(c, (uint32_t)v.id, &d, &ctx->err)) < 0)
		goto out;
	xvm_domain_format_xml(d, XVM_XML_INACTIVE | XVM_XML_SECURE, &b);
	for (;;) {
		size_t len = b.len;

		/* what comes back has lost its last newline */
		while (len > 0 && b.data[len - 1] == '\n')
			len--;
		free(edited);
		edited = NULL;
		if (virsh_edit_text(ctx, xvm_buf_str(&b), &edited) < 0)
			goto out;
		if (strlen(edited) == len && memcmp(edited, b.data, len) == 0) {
			if (!ctx->quiet)
				fprintf(ctx->out, "Domain '%s' XML "
				    "configuration not changed.\n", v.name);
			r = 0;
			goto out;
		}
		xvm_domain_free(nd);
		nd = NULL;
		if ((xvm_args_has(args, "skip-validate") ||
		    valid(ctx, edited)) &&
		    xvm_domain_parse_xml(edited, strlen(edited),
		    "(domain_definition)", 0, &nd, &ctx->err) == 0 &&
		    virsh_ro(ctx, "virDomainDefineXMLFlags") == 0 &&
		    xvm_define(c, nd, NULL, &ctx->err) == 0)
			break;
		/* refused: the old definition stays; at a terminal, again */
		xvm_cli_print_err(ctx, &ctx->err);
		if (!isatty(0))
			goto failed;
		fprintf(ctx->out, "Failed. Try again? [y,n]: ");
		fflush(ctx->out);
		{
			char line[16];

			if (!fgets(line, sizeof(line), stdin) ||
			    (line[0] != 'y' && line[0] != 'Y'))
				goto failed;
		}
		xvm_buf_reset(&b);
		xvm_buf_puts(&b, edited);
		xvm_buf_putc(&b, '\n');
	}
	if (!ctx->quiet)
		fprintf(ctx->out, "Domain '%s' XML configuration edited.\n",
		    nd->name);
	r = 0;
	goto out;
failed:
	xvm_err_clear(&ctx->err);
	xvm_err_set(&ctx->err, XVM_ERR_USAGE, "Domain '%s' XML "
	    "configuration not changed: the definition was refused", v.name);
out:
	free(edited);
	xvm_domain_free(d);
	xvm_domain_free(nd);
	xvm_buf_release(&b);
	xvm_vdom_clear(&v);
	return r;
}

int
virsh_cmd_migrate(struct xvm_ctx *ctx, const struct xvm_args *args)
{
	static const char *const no[] = { "p2p", "direct", "tunnelled",
	    "copy-storage-all", "copy-storage-inc",
	    "copy-storage-synchronous-writes", "compressed", "auto-converge",
	    "rdma-pin-all", "postcopy", "postcopy-after-precopy",
	    "postcopy-resume", "zerocopy", "migrateuri", "graphicsuri",
	    "listen-address", "dname", "timeout", "timeout-suspend",
	    "timeout-postcopy", "xml", "migrate-disks", "disks-port",
	    "disks-uri", "comp-methods", "comp-mt-level", "comp-mt-threads",
	    "comp-mt-dthreads", "comp-xbzrle-cache", "auto-converge-initial",
	    "auto-converge-increment", "persistent-xml", "tls",
	    "postcopy-bandwidth", "parallel", "parallel-connections",
	    "bandwidth", "tls-destination", "offline", NULL };
	const char *dest = xvm_args_get(args, "desturi");
	const char *const *o;
	struct xvm_conn *c, *dc = NULL;
	struct xvm_vdom v;
	struct xvm_migration mg;
	struct xvm_domain *def = NULL;
	char u[37];
	int r = -1;

	for (o = no; *o; o++)
		if (xvm_args_has(args, *o))
			return xvm_err_set(&ctx->err, XVM_ERR_CONFIG_UNSUPPORTED,
			    "--%s is not supported by Xen's migration", *o);
	if (virsh_find(ctx, args, XVM_BY_ANY, &c, &v) < 0)
		return -1;
	xvm_uuid_format(v.uuid, u);
	if (virsh_ro(ctx, "virDomainMigrate3") < 0)
		goto out;
	if (xvm_conn_is_test(c)) {
		xvm_err_set(&ctx->err, XVM_ERR_NO_SUPPORT, "virDomainMigrate3");
		goto out;
	}
	if (v.id < 0) {
		xvm_err_set(&ctx->err, XVM_ERR_OPERATION_INVALID, "domain is "
		    "not running");
		goto out;
	}
	if (xvm_args_has(args, "persistent") &&
	    xvm_running_config(c, (uint32_t)v.id, &def, &ctx->err) < 0)
		goto out;
	memset(&mg, 0, sizeof(mg));
	if (xvm_migrate(c, (uint32_t)v.id, dest, xvm_args_has(args, "live") ?
	    XVM_MIGRATE_LIVE : 0, &mg, &ctx->err) < 0)
		goto out;
	if (xvm_args_has(args, "verbose"))
		fprintf(ctx->errout, "\rMigration: [100 %%]");
	/* what the other host keeps of it, and what this one does */
	if (def || xvm_args_has(args, "suspend")) {
		if (xvm_connect(dest, XVM_CONNECT_VIRSH, &dc, NULL,
		    &ctx->err) < 0)
			goto out;
		if (def && xvm_define(dc, def, NULL, &ctx->err) < 0)
			goto out;
		if (xvm_args_has(args, "suspend") &&
		    xvm_pause(dc, mg.new_id, &ctx->err) < 0)
			goto out;
	}
	if (xvm_args_has(args, "undefinesource") && v.persistent &&
	    xvm_undefine(c, u, NULL, &ctx->err) < 0)
		goto out;
	r = 0;
out:
	xvm_disconnect(dc);
	xvm_domain_free(def);
	xvm_vdom_clear(&v);
	return r;
}

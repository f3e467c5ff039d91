/*
 * devs.c - virsh's commands on a domain's config: domblklist, domiflist,
 * domblkinfo, desc, domrename, reset.  The running domain's config is
 * the one it was started from (kept by the toolstack); --inactive or
 * --config is its definition.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "xvm/domain.h"
#include "xvm/file.h"
#include "xvm/toolstack.h"
#include "virsh.h"

/* The config a domain runs with, or its definition (inactive). */
static struct xvm_domain *
config_of(struct xvm_ctx *ctx, struct xvm_conn *c, const struct xvm_vdom *v,
    bool inactive)
{
	struct xvm_domain *d = NULL;
	char u[37];

	xvm_uuid_format(v->uuid, u);
	if (v->id >= 0 && !(inactive && v->persistent)) {
		if (xvm_running_config(c, (uint32_t)v->id, &d, &ctx->err) < 0)
			return NULL;
	} else if (xvm_defined_get(c, u, &d, NULL, &ctx->err) < 0) {
		return NULL;
	}
	return d;
}

int
virsh_cmd_domblklist(struct xvm_ctx *ctx, const struct xvm_args *args)
{
	bool details = xvm_args_has(args, "details");
	struct xvm_conn *c;
	struct xvm_vdom v;
	struct xvm_domain *d;
	struct xvm_table t;
	struct xvm_buf b = XVM_BUF_INIT;
	size_t i;

	if (virsh_find(ctx, args, XVM_BY_ANY, &c, &v) < 0)
		return -1;
	d = config_of(ctx, c, &v, xvm_args_has(args, "inactive"));
	xvm_vdom_clear(&v);
	if (d == NULL)
		return -1;
	if (details)
		xvm_table_init(&t, 4, "Type", "Device", "Target", "Source");
	else
		xvm_table_init(&t, 2, "Target", "Source");
	for (i = 0; i < d->ndisks; i++) {
		const struct xvm_disk *k = &d->disks[i];
		const char *src = k->src ? k->src : "-";

		if (details)
			xvm_table_row(&t, xvm_disk_type_name(k->type),
			    xvm_disk_device_name(k->device), k->target, src);
		else
			xvm_table_row(&t, k->target, src);
	}
	if (args->json) {
		struct xvm_json j;

		xvm_json_init(&j, &b);
		xvm_json_begin_array(&j, NULL);
		for (i = 0; i < d->ndisks; i++) {
			xvm_json_begin_object(&j, NULL);
			xvm_json_string(&j, "type",
			    xvm_disk_type_name(d->disks[i].type));
			xvm_json_string(&j, "device",
			    xvm_disk_device_name(d->disks[i].device));
			xvm_json_string(&j, "target", d->disks[i].target);
			if (d->disks[i].src)
				xvm_json_string(&j, "source", d->disks[i].src);
			else
				xvm_json_null(&j, "source");
			xvm_json_end_object(&j);
		}
		xvm_json_end_array(&j);
		xvm_json_finish(&j);
	} else {
		xvm_table_print(&t, ctx->quiet, &b);
	}
	fputs(xvm_buf_str(&b), ctx->out);
	xvm_buf_release(&b);
	xvm_table_release(&t);
	xvm_domain_free(d);
	return 0;
}

int
virsh_cmd_domiflist(struct xvm_ctx *ctx, const struct xvm_args *args)
{
	struct xvm_conn *c;
	struct xvm_vdom v;
	struct xvm_domain *d;
	struct xvm_table t;
	struct xvm_buf b = XVM_BUF_INIT;
	struct xvm_json j;
	size_t i;

	if (virsh_find(ctx, args, XVM_BY_ANY, &c, &v) < 0)
		return -1;
	d = config_of(ctx, c, &v, xvm_args_has(args, "inactive"));
	xvm_vdom_clear(&v);
	if (d == NULL)
		return -1;
	xvm_table_init(&t, 5, "Interface", "Type", "Source", "Model", "MAC");
	if (args->json) {
		xvm_json_init(&j, &b);
		xvm_json_begin_array(&j, NULL);
	}
	for (i = 0; i < d->nnets; i++) {
		const struct xvm_net *n = &d->nets[i];
		char mac[18] = "-";
		const char *type = xvm_net_type_name(n->type);

		if (n->has_mac)
			xvm_mac_format(n->mac, mac);
		if (args->json) {
			xvm_json_begin_object(&j, NULL);
			xvm_json_string(&j, "interface", n->ifname ? n->ifname :
			    "-");
			xvm_json_string(&j, "type", type ? type : "bridge");
			xvm_json_string(&j, "source", n->bridge ? n->bridge :
			    "-");
			xvm_json_string(&j, "model", n->model ? n->model : "-");
			xvm_json_string(&j, "mac", mac);
			xvm_json_end_object(&j);
		} else {
			xvm_table_row(&t, n->ifname ? n->ifname : "-",
			    type ? type : "bridge", n->bridge ? n->bridge : "-",
			    n->model ? n->model : "-", mac);
		}
	}
	if (args->json) {
		xvm_json_end_array(&j);
		xvm_json_finish(&j);
	} else {
		xvm_table_print(&t, ctx->quiet, &b);
	}
	fputs(xvm_buf_str(&b), ctx->out);
	xvm_buf_release(&b);
	xvm_table_release(&t);
	xvm_domain_free(d);
	return 0;
}

/* ---- domblkinfo ---------------------------------------------------------- */

struct blkinfo {
	unsigned long long capacity, allocation, physical;
};

static int
disk_info(struct xvm_ctx *ctx, struct xvm_conn *c,
    const struct xvm_disk *k, struct blkinfo *bi)
{
	struct stat st;

	if (xvm_conn_is_test(c)) {
		/* the figures libvirt's test driver gives every disk */
		bi->capacity = 1099506450432ull;
		bi->allocation = bi->physical = 1099511627776ull;
		return 0;
	}
	if (k->src == NULL || stat(k->src, &st) < 0)
		return xvm_err_sys(&ctx->err, k->src ? errno : ENOENT,
		    "cannot stat file '%s'", k->src ? k->src : "");
	bi->capacity = bi->physical = (unsigned long long)st.st_size;
	bi->allocation = (unsigned long long)st.st_blocks * 512;
	return 0;
}

/* A size as virsh --human prints it: "1023.995 GiB". */
static const char *
human(unsigned long long v, char *buf, size_t len)
{
	static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB",
	    "PiB", "EiB" };
	double d = (double)v;
	size_t u = 0;

	while (d >= 1024 && u + 1 < sizeof(units) / sizeof(units[0])) {
		d /= 1024;
		u++;
	}
	snprintf(buf, len, "%.3f %s", d, units[u]);
	return buf;
}

int
virsh_cmd_domblkinfo(struct xvm_ctx *ctx, const struct xvm_args *args)
{
	const char *dev = xvm_args_get(args, "device");
	bool all = xvm_args_has(args, "all"), hum = xvm_args_has(args, "human");
	struct xvm_conn *c;
	struct xvm_vdom v;
	struct xvm_domain *d;
	struct xvm_buf b = XVM_BUF_INIT;
	struct blkinfo bi;
	size_t i;
	int r = -1;

	if (!dev && !all)
		return xvm_err_set(&ctx->err, XVM_ERR_USAGE, "command "
		    "'domblkinfo' requires <device> option");
	if (virsh_find(ctx, args, XVM_BY_ANY, &c, &v) < 0)
		return -1;
	d = config_of(ctx, c, &v, false);
	xvm_vdom_clear(&v);
	if (d == NULL)
		return -1;
	if (all) {
		struct xvm_table t;

		xvm_table_init(&t, 4, "Target", "Capacity", "Allocation",
		    "Physical");
		for (i = 0; i < d->ndisks; i++) {
			char x[3][48];

			if (disk_info(ctx, c, &d->disks[i], &bi) < 0) {
				snprintf(x[0], sizeof(x[0]), "-");
				snprintf(x[1], sizeof(x[1]), "-");
				snprintf(x[2], sizeof(x[2]), "-");
				xvm_err_clear(&ctx->err);
			} else if (hum) {
				human(bi.capacity, x[0], sizeof(x[0]));
				human(bi.allocation, x[1], sizeof(x[1]));
				human(bi.physical, x[2], sizeof(x[2]));
			} else {
				snprintf(x[0], sizeof(x[0]), "%llu",
				    bi.capacity);
				snprintf(x[1], sizeof(x[1]), "%llu",
				    bi.allocation);
				snprintf(x[2], sizeof(x[2]), "%llu",
				    bi.physical);
			}
			xvm_table_row(&t, d->disks[i].target, x[0], x[1],
			    x[2]);
		}
		xvm_table_print(&t, ctx->quiet, &b);
		xvm_table_release(&t);
		r = 0;
		goto out;
	}
	for (i = 0; i < d->ndisks; i++)
		if (strcmp(d->disks[i].target, dev) == 0 ||
		    (d->disks[i].src && strcmp(d->disks[i].src, dev) == 0))
			break;
	if (i == d->ndisks) {
		xvm_err_set(&ctx->err, XVM_ERR_INVALID_ARG, "invalid path %s "
		    "not assigned to domain", dev);
		goto out;
	}
	if (disk_info(ctx, c, &d->disks[i], &bi) < 0)
		goto out;
	if (hum) {
		char x[48];

		xvm_field(&b, 16, "Capacity:", "%s", human(bi.capacity, x,
		    sizeof(x)));
		xvm_field(&b, 16, "Allocation:", "%s", human(bi.allocation, x,
		    sizeof(x)));
		xvm_field(&b, 16, "Physical:", "%s", human(bi.physical, x,
		    sizeof(x)));
	} else {
		xvm_field(&b, 16, "Capacity:", "%llu", bi.capacity);
		xvm_field(&b, 16, "Allocation:", "%llu", bi.allocation);
		xvm_field(&b, 16, "Physical:", "%llu", bi.physical);
	}
	r = 0;
out:
	fputs(xvm_buf_str(&b), ctx->out);
	xvm_buf_release(&b);
	xvm_domain_free(d);
	return r;
}

/* ---- desc ---------------------------------------------------------------- */

/* Set the title or description in the running config and/or definition. */
static int
set_text(struct xvm_ctx *ctx, struct xvm_conn *c, const struct xvm_vdom *v,
    bool live, bool config, bool title, const char *text)
{
	struct xvm_domain *d;

	if (live) {
		if ((d = config_of(ctx, c, v, false)) == NULL)
			return -1;
		free(title ? d->title : d->description);
		if (title)
			d->title = *text ? xvm_strdup(text) : NULL;
		else
			d->description = *text ? xvm_strdup(text) : NULL;
		if (xvm_set_running_config(c, (uint32_t)v->id, d,
		    &ctx->err) < 0) {
			xvm_domain_free(d);
			return -1;
		}
		xvm_domain_free(d);
	}
	if (config) {
		if ((d = config_of(ctx, c, v, true)) == NULL)
			return -1;
		free(title ? d->title : d->description);
		if (title)
			d->title = *text ? xvm_strdup(text) : NULL;
		else
			d->description = *text ? xvm_strdup(text) : NULL;
		if (xvm_define(c, d, NULL, &ctx->err) < 0) {
			xvm_domain_free(d);
			return -1;
		}
		xvm_domain_free(d);
	}
	return 0;
}

int
virsh_cmd_desc(struct xvm_ctx *ctx, const struct xvm_args *args)
{
	bool title = xvm_args_has(args, "title");
	bool edit = xvm_args_has(args, "edit");
	bool live = xvm_args_has(args, "live");
	bool config = xvm_args_has(args, "config");
	struct xvm_strv words = XVM_STRV_INIT;
	struct xvm_buf text = XVM_BUF_INIT;
	struct xvm_conn *c;
	struct xvm_vdom v;
	struct xvm_domain *d = NULL;
	size_t i;
	int r = -1;

	if (xvm_args_has(args, "current") && (live || config))
		return xvm_err_set(&ctx->err, XVM_ERR_USAGE, "Options "
		    "--current and --%s are mutually exclusive", live ?
		    "live" : "config");
	if (virsh_find(ctx, args, XVM_BY_ANY, &c, &v) < 0)
		return -1;
	if (!live && !config) {
		live = v.id >= 0;
		config = v.id < 0;
	}
	xvm_args_getv(args, "new-desc", &words);
	/* a change of the running domain needs one; a look does not */
	if (live && v.id < 0 && (words.n || edit)) {
		xvm_err_set(&ctx->err, XVM_ERR_OPERATION_INVALID, "domain is "
		    "not running");
		goto out;
	}
	for (i = 0; i < words.n; i++)
		xvm_buf_printf(&text, "%s%s", i ? " " : "", words.v[i]);
	if (words.n == 0 && !edit) {
		const char *s;

		if ((d = config_of(ctx, c, &v, config)) == NULL)
			goto out;
		s = title ? d->title : d->description;
		if (s && *s)
			fputs(s, ctx->out);
		else
			fprintf(ctx->out, "No %s for domain: %s", title ?
			    "title" : "description", v.name);
		r = 0;
		goto out;
	}
	if (edit) {
		char *edited = NULL;

		if (words.n == 0) {
			if ((d = config_of(ctx, c, &v, config)) == NULL)
				goto out;
			xvm_buf_puts(&text, (title ? d->title :
			    d->description) ? (title ? d->title :
			    d->description) : "");
		}
		if (virsh_edit_text(ctx, xvm_buf_str(&text), &edited) < 0)
			goto out;
		xvm_buf_reset(&text);
		xvm_buf_puts(&text, edited);
		free(edited);
	}
	if (virsh_ro(ctx, "virDomainSetMetadata") < 0)
		goto out;
	if (set_text(ctx, c, &v, live, config, title, xvm_buf_str(&text)) < 0)
		goto out;
	if (!ctx->quiet)
		fprintf(ctx->out, "Domain %s updated successfully", title ?
		    "title" : "description");
	r = 0;
out:
	if (r < 0 && (words.n || edit))
		xvm_err_context(&ctx->err, "Failed to set new domain %s",
		    title ? "title" : "description");
	xvm_domain_free(d);
	xvm_buf_release(&text);
	xvm_strv_release(&words);
	xvm_vdom_clear(&v);
	return r;
}

/* ---- domrename, reset ---------------------------------------------------- */

int
virsh_cmd_domrename(struct xvm_ctx *ctx, const struct xvm_args *args)
{
	const char *name = xvm_args_get(args, "new-name");
	struct xvm_conn *c;
	struct xvm_vdom v;
	int r = -1;

	if (virsh_find(ctx, args, XVM_BY_ANY, &c, &v) < 0)
		return -1;
	if (virsh_ro(ctx, "virDomainRename") < 0)
		r = -1;
	else if (v.id >= 0)
		xvm_err_set(&ctx->err, XVM_ERR_OPERATION_INVALID, "cannot "
		    "rename active domain");
	else if (strcmp(v.name, name) == 0)
		xvm_err_set(&ctx->err, XVM_ERR_OPERATION_INVALID, "Can't "
		    "rename domain to itself");
	else {
		char u[37];

		xvm_uuid_format(v.uuid, u);
		r = xvm_rename_defined(c, u, name, &ctx->err);
	}
	xvm_vdom_clear(&v);
	if (r == 0 && !ctx->quiet)
		fprintf(ctx->out, "Domain successfully renamed\n");
	return r;
}

int
virsh_cmd_reset(struct xvm_ctx *ctx, const struct xvm_args *args)
{
	const char *name = xvm_args_get(args, "domain");
	struct xvm_conn *c;
	struct xvm_vdom v;
	int r = -1;

	if (virsh_find(ctx, args, XVM_BY_ANY, &c, &v) < 0)
		return -1;
	if (virsh_ro(ctx, "virDomainReset") < 0)
		r = -1;
	else if (v.id < 0)
		xvm_err_set(&ctx->err, XVM_ERR_OPERATION_INVALID, "domain is "
		    "not running");
	else
		r = xvm_reset(c, (uint32_t)v.id, &ctx->err);
	xvm_vdom_clear(&v);
	if (r < 0) {
		xvm_err_context(&ctx->err, "Failed to reset domain '%s'", name);
		return -1;
	}
	if (!ctx->quiet)
		fprintf(ctx->out, "Domain '%s' was reset\n", name);
	return 0;
}

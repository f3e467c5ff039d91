/*
 * attach.c - virsh attach-disk, detach-disk, attach-interface and
 * detach-interface: hot-plug on the running domain (--live), the
 * definition (--config), or both (--persistent on a running domain), as
 * libvirt's flags say; --print-xml prints the device as virsh builds it.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "xvm/domain.h"
#include "xvm/domxml.h"
#include "xvm/toolstack.h"
#include "virsh.h"

struct target {
	bool live, config;
	const char *api;	/* libvirt's call, for read-only refusals */
};

/* Where the change goes, as virsh picks libvirt's flags. */
static int
target_of(struct xvm_ctx *ctx, const struct xvm_args *args,
    const struct xvm_vdom *v, const char *verb, struct target *t)
{
	bool persistent = xvm_args_has(args, "persistent");
	bool cur = xvm_args_has(args, "current");

	t->live = xvm_args_has(args, "live");
	t->config = xvm_args_has(args, "config");
	if (cur && (t->live || t->config))
		return xvm_err_set(&ctx->err, XVM_ERR_USAGE, "Options "
		    "--current and --%s are mutually exclusive", t->live ?
		    "live" : "config");
	if (persistent && (t->live || t->config || cur))
		return xvm_err_set(&ctx->err, XVM_ERR_USAGE, "Options "
		    "--persistent and --%s are mutually exclusive", cur ?
		    "current" : t->live ? "live" : "config");
	t->api = persistent || t->live || t->config || cur ? (strcmp(verb,
	    "attach") == 0 ? "virDomainAttachDeviceFlags" :
	    "virDomainDetachDeviceFlags") : strcmp(verb, "attach") == 0 ?
	    "virDomainAttachDevice" : "virDomainDetachDevice";
	if (persistent) {
		t->config = true;
		t->live = v->id >= 0;
	} else if (!t->live && !t->config) {
		t->live = v->id >= 0;
		t->config = v->id < 0;
	}
	if (t->live && v->id < 0)
		return xvm_err_set(&ctx->err, XVM_ERR_OPERATION_INVALID,
		    "domain is not running");
	return 0;
}

/*
 * Before a change: where it goes, a read-only connection, the options of
 * other hypervisors' devices (no: NULL-terminated; kind names them), and
 * the test driver, which attaches and detaches nothing.
 */
static int
prepare(struct xvm_ctx *ctx, const struct xvm_args *args,
    struct xvm_conn *c, const struct xvm_vdom *v, const char *verb,
    const char *const *no, const char *kind, struct target *t)
{
	if (target_of(ctx, args, v, verb, t) < 0 || virsh_ro(ctx, t->api) < 0)
		return -1;
	for (; no && *no; no++)
		if (xvm_args_has(args, *no))
			return xvm_err_set(&ctx->err,
			    XVM_ERR_CONFIG_UNSUPPORTED, "--%s is not supported "
			    "for Xen PV %s", *no, kind);
	if (xvm_conn_is_test(c))
		return xvm_err_set(&ctx->err, XVM_ERR_NO_SUPPORT, "%s", t->api);
	return 0;
}

/* The definition of v, changed by fn(arg), stored again. */
static int
change_def(struct xvm_ctx *ctx, struct xvm_conn *c, const struct xvm_vdom *v,
    int (*fn)(struct xvm_ctx *, struct xvm_domain *, const void *),
    const void *arg)
{
	struct xvm_domain *d = NULL;
	char u[37];
	int r;

	if (!v->persistent)
		return xvm_err_set(&ctx->err, XVM_ERR_OPERATION_INVALID,
		    "cannot change persistent config of a transient domain");
	xvm_uuid_format(v->uuid, u);
	if (xvm_defined_get(c, u, &d, NULL, &ctx->err) < 0)
		return -1;
	r = fn(ctx, d, arg) < 0 ? -1 : xvm_define(c, d, NULL, &ctx->err);
	xvm_domain_free(d);
	return r;
}

/* ---- disks --------------------------------------------------------------- */

static void
disk_xml(const struct xvm_disk *k, const char *device, const char *subdrv,
    struct xvm_buf *b)
{
	bool block = k->type == XVM_DISK_BLOCK;

	xvm_buf_printf(b, "<disk type='%s'", block ? "block" : "file");
	if (device)
		xvm_buf_printf(b, " device='%s'", device);
	xvm_buf_puts(b, ">\n");
	if (k->driver_name || subdrv) {
		xvm_buf_puts(b, "  <driver");
		if (k->driver_name)
			xvm_buf_printf(b, " name='%s'", k->driver_name);
		if (subdrv)
			xvm_buf_printf(b, " type='%s'", subdrv);
		xvm_buf_puts(b, "/>\n");
	}
	xvm_buf_printf(b, "  <source %s='%s'/>\n", block ? "dev" : "file",
	    k->src);
	xvm_buf_printf(b, "  <target dev='%s'", k->target);
	if (k->bus != XVM_BUS_NONE && xvm_disk_bus_name(k->bus))
		xvm_buf_printf(b, " bus='%s'", xvm_disk_bus_name(k->bus));
	xvm_buf_puts(b, "/>\n");
	if (k->readonly)
		xvm_buf_puts(b, "  <readonly/>\n");
	if (k->shareable)
		xvm_buf_puts(b, "  <shareable/>\n");
	xvm_buf_puts(b, "</disk>\n");
}

static int
def_add_disk(struct xvm_ctx *ctx, struct xvm_domain *d, const void *arg)
{
	const struct xvm_disk *k = arg;
	struct xvm_disk *n;
	size_t i;

	for (i = 0; i < d->ndisks; i++)
		if (strcmp(d->disks[i].target, k->target) == 0)
			return xvm_err_set(&ctx->err, XVM_ERR_OPERATION_FAILED,
			    "target %s already exists", k->target);
	n = xvm_domain_add_disk(d);
	n->type = k->type;
	n->device = k->device;
	n->driver_name = k->driver_name ? xvm_strdup(k->driver_name) : NULL;
	n->driver_type = k->driver_type ? xvm_strdup(k->driver_type) : NULL;
	n->src = xvm_strdup(k->src);
	n->target = xvm_strdup(k->target);
	n->bus = k->bus;
	n->readonly = k->readonly;
	n->shareable = k->shareable;
	return 0;
}

int
virsh_cmd_attach_disk(struct xvm_ctx *ctx, const struct xvm_args *args)
{
	static const char *const no[] = { "iothread", "cache", "io", "serial",
	    "wwn", "alias", "rawio", "address", "multifunction",
	    "source-protocol", "source-host-name", "source-host-transport",
	    "source-host-socket", NULL };
	const char *st = xvm_args_get(args, "sourcetype");
	const char *type = xvm_args_get(args, "type");
	const char *mode = xvm_args_get(args, "mode");
	const char *bus = xvm_args_get(args, "targetbus");
	struct xvm_disk k;
	struct xvm_conn *c;
	struct xvm_vdom v;
	struct target t;
	struct stat sb;
	int r = -1;

	memset(&k, 0, sizeof(k));
	k.src = (char *)xvm_args_get(args, "source");
	k.target = (char *)xvm_args_get(args, "target");
	k.driver_name = (char *)xvm_args_get(args, "driver");
	k.driver_type = (char *)xvm_args_get(args, "subdriver");
	if (st && strcmp(st, "file") != 0 && strcmp(st, "block") != 0)
		return xvm_err_set(&ctx->err, XVM_ERR_USAGE, "Unknown source "
		    "type: '%s'", st);
	k.type = (st ? strcmp(st, "block") == 0 : stat(k.src, &sb) == 0 &&
	    S_ISBLK(sb.st_mode)) ? XVM_DISK_BLOCK : XVM_DISK_FILE;
	if (type && xvm_disk_device_parse(type) < 0)
		return xvm_err_set(&ctx->err, XVM_ERR_USAGE, "Unknown disk "
		    "type: '%s'", type);
	k.device = type ? xvm_disk_device_parse(type) : XVM_DEV_DISK;
	if (mode && strcmp(mode, "readonly") != 0 &&
	    strcmp(mode, "shareable") != 0)
		return xvm_err_set(&ctx->err, XVM_ERR_USAGE, "No support for "
		    "%s in command 'attach-disk'", mode);
	k.readonly = mode && strcmp(mode, "readonly") == 0;
	k.shareable = mode && strcmp(mode, "shareable") == 0;
	if (bus && xvm_disk_bus_parse(bus) < 0)
		return xvm_err_set(&ctx->err, XVM_ERR_USAGE, "Unknown target "
		    "bus: '%s'", bus);
	k.bus = bus ? xvm_disk_bus_parse(bus) : XVM_BUS_NONE;
	if (virsh_find(ctx, args, XVM_BY_ANY, &c, &v) < 0)
		return -1;
	if (xvm_args_has(args, "print-xml")) {
		struct xvm_buf b = XVM_BUF_INIT;

		disk_xml(&k, type, k.driver_type, &b);
		fputs(xvm_buf_str(&b), ctx->out);
		xvm_buf_release(&b);
		xvm_vdom_clear(&v);
		return 0;
	}
	if (prepare(ctx, args, c, &v, "attach", no, "disks", &t) < 0)
		goto out;
	if (t.live && xvm_block_attach(c, (uint32_t)v.id, &k, &ctx->err) < 0)
		goto out;
	if (t.config && change_def(ctx, c, &v, def_add_disk, &k) < 0)
		goto out;
	r = 0;
out:
	xvm_vdom_clear(&v);
	if (r < 0) {
		xvm_err_context(&ctx->err, "Failed to attach disk");
		return -1;
	}
	if (!ctx->quiet)
		fprintf(ctx->out, "Disk attached successfully\n");
	return 0;
}

/* The disk a detach means: its target or source. */
static long
find_disk(const struct xvm_domain *d, const char *dev)
{
	size_t i;

	for (i = 0; i < d->ndisks; i++)
		if (strcmp(d->disks[i].target, dev) == 0 ||
		    (d->disks[i].src && strcmp(d->disks[i].src, dev) == 0))
			return (long)i;
	return -1;
}

static int
def_del_disk(struct xvm_ctx *ctx, struct xvm_domain *d, const void *arg)
{
	long i = find_disk(d, arg);

	if (i < 0)
		return xvm_err_set(&ctx->err, XVM_ERR_USAGE, "No disk found "
		    "whose source path or target is %s", (const char *)arg);
	xvm_domain_remove_disk(d, (size_t)i);
	return 0;
}

/*
 * What virsh does before it asks libvirt to detach: the device in the
 * domain's XML (live, or with --config the definition), printed as it is
 * there with --print-xml.  1 when it printed, 0 to go on, -1 on error.
 */
static int
detach_lookup(struct xvm_ctx *ctx, struct xvm_conn *c,
    const struct xvm_args *args, const struct xvm_vdom *v, const char *kind,
    long (*find)(struct xvm_ctx *, const struct xvm_domain *, const void *),
    const void *arg)
{
	bool config = xvm_args_has(args, "config") || v->id < 0;
	struct xvm_domain *d = NULL;
	struct xvm_buf b = XVM_BUF_INIT, x = XVM_BUF_INIT;
	char u[37], *path;
	long i;
	int r = -1;

	xvm_uuid_format(v->uuid, u);
	if ((config && v->persistent ? xvm_defined_get(c, u, &d, NULL,
	    &ctx->err) : xvm_running_config(c, (uint32_t)v->id, &d,
	    &ctx->err)) < 0)
		return -1;
	if ((i = find(ctx, d, arg)) < 0)
		goto out;
	r = 0;
	if (xvm_args_has(args, "print-xml")) {
		xvm_domain_format_xml(d, config ? XVM_XML_INACTIVE : 0, &b);
		path = xvm_asprintf("/domain/devices/%s[%ld]", kind, i + 1);
		r = xvm_xml_xpath(b.data, b.len, path, XVM_XPATH_RAW, &x,
		    &ctx->err) < 0 ? -1 : 1;
		free(path);
		if (r == 1)
			fputs(xvm_buf_str(&x), ctx->out);
	}
out:
	xvm_buf_release(&b);
	xvm_buf_release(&x);
	xvm_domain_free(d);
	return r;
}

static long
disk_of(struct xvm_ctx *ctx, const struct xvm_domain *d, const void *arg)
{
	long i = find_disk(d, arg);

	if (i < 0)
		return xvm_err_set(&ctx->err, XVM_ERR_USAGE, "No disk found "
		    "whose source path or target is %s", (const char *)arg);
	return i;
}

int
virsh_cmd_detach_disk(struct xvm_ctx *ctx, const struct xvm_args *args)
{
	const char *dev = xvm_args_get(args, "target");
	struct xvm_conn *c;
	struct xvm_vdom v;
	struct target t;
	int r = -1, found;

	if (virsh_find(ctx, args, XVM_BY_ANY, &c, &v) < 0)
		return -1;
	if (target_of(ctx, args, &v, "detach", &t) < 0 ||
	    (found = detach_lookup(ctx, c, args, &v, "disk", disk_of,
	    dev)) < 0) {
		xvm_vdom_clear(&v);
		return -1;		/* virsh's own complaint, alone */
	}
	if (found == 1) {
		xvm_vdom_clear(&v);
		return 0;
	}
	if (prepare(ctx, args, c, &v, "detach", NULL, NULL, &t) < 0)
		goto out;
	if (t.live && xvm_block_detach(c, (uint32_t)v.id, dev, false,
	    &ctx->err) < 0)
		goto out;
	if (t.config && change_def(ctx, c, &v, def_del_disk, dev) < 0)
		goto out;
	r = 0;
out:
	xvm_vdom_clear(&v);
	if (r < 0) {
		xvm_err_context(&ctx->err, "Failed to detach disk");
		return -1;
	}
	if (!ctx->quiet)
		fprintf(ctx->out, "Disk detached successfully\n");
	return 0;
}

/* ---- interfaces ----------------------------------------------------------- */

static int
def_add_net(struct xvm_ctx *ctx, struct xvm_domain *d, const void *arg)
{
	const struct xvm_net *n = arg;
	struct xvm_net *m = xvm_domain_add_net(d);

	(void)ctx;
	m->type = n->type;
	memcpy(m->mac, n->mac, 6);
	m->has_mac = n->has_mac;
	m->bridge = n->bridge ? xvm_strdup(n->bridge) : NULL;
	m->script = n->script ? xvm_strdup(n->script) : NULL;
	m->ifname = n->ifname ? xvm_strdup(n->ifname) : NULL;
	m->model = n->model ? xvm_strdup(n->model) : NULL;
	return 0;
}

int
virsh_cmd_attach_interface(struct xvm_ctx *ctx, const struct xvm_args *args)
{
	static const char *const no[] = { "alias", "inbound", "outbound",
	    "managed", "source-mode", NULL };
	const char *type = xvm_args_get(args, "type");
	const char *mac = xvm_args_get(args, "mac");
	struct xvm_net n;
	struct xvm_conn *c;
	struct xvm_vdom v;
	struct target t;
	int r = -1, ty;

	memset(&n, 0, sizeof(n));
	if ((ty = xvm_net_type_parse(type)) < 0 || ty == XVM_NET_USER)
		return xvm_err_set(&ctx->err, XVM_ERR_USAGE, "No support for "
		    "%s in command 'attach-interface'", type);
	n.type = ty;
	n.bridge = (char *)xvm_args_get(args, "source");
	n.ifname = (char *)xvm_args_get(args, "target");
	n.script = (char *)xvm_args_get(args, "script");
	n.model = (char *)xvm_args_get(args, "model");
	if (virsh_find(ctx, args, XVM_BY_ANY, &c, &v) < 0)
		return -1;
	if (xvm_args_has(args, "print-xml")) {
		struct xvm_buf b = XVM_BUF_INIT;

		xvm_buf_printf(&b, "<interface type='%s'>\n", type);
		xvm_buf_printf(&b, "  <source %s='%s'/>\n", ty ==
		    XVM_NET_NETWORK ? "network" : ty == XVM_NET_ETHERNET ?
		    "dev" : "bridge", n.bridge);
		if (n.ifname)
			xvm_buf_printf(&b, "  <target dev='%s'/>\n", n.ifname);
		if (mac)
			xvm_buf_printf(&b, "  <mac address='%s'/>\n", mac);
		if (n.script)
			xvm_buf_printf(&b, "  <script path='%s'/>\n", n.script);
		if (n.model)
			xvm_buf_printf(&b, "  <model type='%s'/>\n", n.model);
		xvm_buf_puts(&b, "</interface>\n");
		fputs(xvm_buf_str(&b), ctx->out);
		xvm_buf_release(&b);
		xvm_vdom_clear(&v);
		return 0;
	}
	if (prepare(ctx, args, c, &v, "attach", no, "interfaces", &t) < 0)
		goto out;
	if (mac) {
		if (xvm_mac_parse(mac, n.mac) < 0) {
			xvm_err_set(&ctx->err, XVM_ERR_CONFIG, "unable to parse "
			    "mac address '%s'", mac);
			goto out;
		}
		n.has_mac = true;
	}
	if (t.live && xvm_network_attach(c, (uint32_t)v.id, &n,
	    &ctx->err) < 0)
		goto out;
	if (t.config && change_def(ctx, c, &v, def_add_net, &n) < 0)
		goto out;
	r = 0;
out:
	xvm_vdom_clear(&v);
	if (r < 0) {
		xvm_err_context(&ctx->err, "Failed to attach interface");
		return -1;
	}
	if (!ctx->quiet)
		fprintf(ctx->out, "Interface attached successfully\n");
	return 0;
}

/* The interface of type (and MAC) a detach means, in d. */
static long
find_net(struct xvm_ctx *ctx, const struct xvm_domain *d, int type,
    const char *tname, const char *mac)
{
	unsigned char want[6];
	size_t i, hits = 0;
	long at = -1;

	if (mac && xvm_mac_parse(mac, want) < 0)
		return xvm_err_set(&ctx->err, XVM_ERR_USAGE, "unable to parse "
		    "mac address '%s'", mac);
	for (i = 0; i < d->nnets; i++)
		if ((int)d->nets[i].type == type && (!mac ||
		    (d->nets[i].has_mac && memcmp(d->nets[i].mac, want,
		    6) == 0))) {
			hits++;
			at = (long)i;
		}
	if (hits == 0)
		return mac ? xvm_err_set(&ctx->err, XVM_ERR_USAGE, "No "
		    "interface with MAC address %s was found", mac) :
		    xvm_err_set(&ctx->err, XVM_ERR_USAGE, "No interface found "
		    "whose type is %s", tname);
	if (hits > 1)
		return xvm_err_set(&ctx->err, XVM_ERR_USAGE, "Domain has %zu "
		    "interfaces. Please specify which one to detach using "
		    "--mac", hits);
	return at;
}

struct net_sel {
	int type;
	const char *tname, *mac;
};

static int
def_del_net(struct xvm_ctx *ctx, struct xvm_domain *d, const void *arg)
{
	const struct net_sel *s = arg;
	long i = find_net(ctx, d, s->type, s->tname, s->mac);

	if (i < 0)
		return -1;
	xvm_domain_remove_net(d, (size_t)i);
	return 0;
}

static long
net_of(struct xvm_ctx *ctx, const struct xvm_domain *d, const void *arg)
{
	const struct net_sel *s = arg;

	return find_net(ctx, d, s->type, s->tname, s->mac);
}

int
virsh_cmd_detach_interface(struct xvm_ctx *ctx, const struct xvm_args *args)
{
	struct net_sel sel;
	struct xvm_conn *c;
	struct xvm_vdom v;
	struct target t;
	int r = -1, found = 0;

	sel.tname = xvm_args_get(args, "type");
	sel.mac = xvm_args_get(args, "mac");
	/* an unknown type is one no interface has */
	sel.type = xvm_net_type_parse(sel.tname);
	if (virsh_find(ctx, args, XVM_BY_ANY, &c, &v) < 0)
		return -1;
	if (target_of(ctx, args, &v, "detach", &t) < 0)
		goto out;
	if ((found = detach_lookup(ctx, c, args, &v, "interface", net_of,
	    &sel)) < 0) {
		/* virsh says what it did not find, then that it failed */
		xvm_cli_print_err(ctx, &ctx->err);
		xvm_err_clear(&ctx->err);
		xvm_err_set(&ctx->err, XVM_ERR_USAGE, "Failed to detach "
		    "interface");
		xvm_vdom_clear(&v);
		return -1;
	}
	if (found == 1) {
		xvm_vdom_clear(&v);
		return 0;
	}
	if (prepare(ctx, args, c, &v, "detach", NULL, NULL, &t) < 0)
		goto out;
	if (t.live) {
		struct xvm_domain *d = NULL;
		long i;
		char idx[24];

		if (xvm_running_config(c, (uint32_t)v.id, &d, &ctx->err) < 0)
			goto out;
		i = find_net(ctx, d, sel.type, sel.tname, sel.mac);
		/* by its MAC, which the toolstack matches, else its index */
		if (i >= 0 && d->nets[i].has_mac)
			xvm_mac_format(d->nets[i].mac, idx);
		else
			snprintf(idx, sizeof(idx), "%ld", i);
		xvm_domain_free(d);
		if (i < 0 || xvm_network_detach(c, (uint32_t)v.id, idx, false,
		    &ctx->err) < 0)
			goto out;
	}
	if (t.config && change_def(ctx, c, &v, def_del_net, &sel) < 0)
		goto out;
	r = 0;
out:
	xvm_vdom_clear(&v);
	if (r < 0) {
		xvm_err_context(&ctx->err, "Failed to detach interface");
		return -1;
	}
	if (!ctx->quiet)
		fprintf(ctx->out, "Interface detached successfully\n");
	return 0;
}

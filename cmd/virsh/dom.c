/*
 * dom.c - virsh's domain commands: list, dominfo, domstate, domid,
 * domname, domuuid, and the lifecycle (start, shutdown, reboot, destroy,
 * suspend, resume, create, define, undefine, autostart), with virsh 9.0's
 * messages.  Domains are found as virsh finds them (an id, then a UUID,
 * then a name), and messages name a domain as the user did.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xvm/domain.h"
#include "xvm/domxml.h"
#include "xvm/file.h"
#include "xvm/toolstack.h"
#include "virsh.h"

#define XML_MAX (4 * 1024 * 1024)

/* Did the operation fail?  Then say which, as virsh does. */
static int
failed(struct xvm_ctx *ctx, const char *what, const char *name)
{
	xvm_err_context(&ctx->err, "Failed to %s domain '%s'", what, name);
	return -1;
}

/* What virsh says after a change: not with -q. */
static void __attribute__((format(printf, 2, 3)))
say(struct xvm_ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	if (ctx->quiet)
		return;
	va_start(ap, fmt);
	vfprintf(ctx->out, fmt, ap);
	va_end(ap);
}

static int attach(struct xvm_ctx *ctx, struct xvm_conn *c, uint32_t id,
    const char *name);

/* ---- list ---------------------------------------------------------------- */

static bool
wanted(const struct xvm_args *args, const struct xvm_vdom *v)
{
	bool all = xvm_args_has(args, "all");
	bool inact = xvm_args_has(args, "inactive");
	bool sr = xvm_args_has(args, "state-running");
	bool sp = xvm_args_has(args, "state-paused");
	bool ss = xvm_args_has(args, "state-shutoff");
	bool so = xvm_args_has(args, "state-other");
	bool active = v->id >= 0;

	/*
	 * Active domains unless --inactive or --all; as virsh 9.0 asks
	 * libvirt, --state-shutoff without --all means the inactive ones.
	 */
	if (!all && ((inact || ss) ? active : !active))
		return false;
	if (sr || sp || ss || so) {
		bool running = v->state == XVM_VS_RUNNING ||
		    v->state == XVM_VS_BLOCKED;
		bool paused = v->state == XVM_VS_PAUSED;
		bool off = v->state == XVM_VS_SHUTOFF;

		if (!((sr && running) || (sp && paused) || (ss && off) ||
		    (so && !running && !paused && !off)))
			return false;
	}
	if (xvm_args_has(args, "persistent") !=
	    xvm_args_has(args, "transient") &&
	    v->persistent != xvm_args_has(args, "persistent"))
		return false;
	if (xvm_args_has(args, "autostart") !=
	    xvm_args_has(args, "no-autostart") &&
	    v->autostart != xvm_args_has(args, "autostart"))
		return false;
	/* no snapshots, checkpoints or managed saves here */
	if (xvm_args_has(args, "with-snapshot") &&
	    !xvm_args_has(args, "without-snapshot"))
		return false;
	if (xvm_args_has(args, "with-checkpoint") &&
	    !xvm_args_has(args, "without-checkpoint"))
		return false;
	if (xvm_args_has(args, "with-managed-save") &&
	    !xvm_args_has(args, "without-managed-save"))
		return false;
	return true;
}

/* virsh lists active domains by id, then the others by name */
static int
by_id_then_name(const void *a, const void *b)
{
	const struct xvm_vdom *x = a, *y = b;

	if ((x->id >= 0) != (y->id >= 0))
		return x->id >= 0 ? -1 : 1;
	if (x->id >= 0)
		return x->id < y->id ? -1 : x->id > y->id;
	return strcmp(x->name, y->name);
}

int
virsh_cmd_list(struct xvm_ctx *ctx, const struct xvm_args *args)
{
	static const char *const excl[] = { "name", "uuid", "id" };
	struct xvm_conn *c;
	struct xvm_vdom *list = NULL;
	struct xvm_buf b = XVM_BUF_INIT;
	bool o_name = xvm_args_has(args, "name");
	bool o_uuid = xvm_args_has(args, "uuid");
	bool o_id = xvm_args_has(args, "id");
	bool title = xvm_args_has(args, "title");
	size_t n = 0, i;

	for (i = 0; i < 3; i++)
		if (xvm_args_has(args, "table") && xvm_args_has(args, excl[i]))
			return xvm_err_set(&ctx->err, XVM_ERR_USAGE, "Options "
			    "--table and --%s are mutually exclusive",
			    excl[i]);
	if ((c = virsh_conn(ctx)) == NULL ||
	    xvm_vdom_list(c, &list, &n, &ctx->err) < 0)
		return -1;
	qsort(list, n, sizeof(*list), by_id_then_name);
	if (args->json) {
		struct xvm_json j;

		xvm_json_init(&j, &b);
		xvm_json_begin_array(&j, NULL);
		for (i = 0; i < n; i++) {
			char u[37];

			if (!wanted(args, &list[i]))
				continue;
			xvm_uuid_format(list[i].uuid, u);
			xvm_json_begin_object(&j, NULL);
			if (list[i].id >= 0)
				xvm_json_int(&j, "id", list[i].id);
			else
				xvm_json_null(&j, "id");
			xvm_json_string(&j, "name", list[i].name);
			xvm_json_string(&j, "uuid", u);
			xvm_json_string(&j, "state",
			    xvm_vstate_name(list[i].state));
			xvm_json_bool(&j, "persistent", list[i].persistent);
			xvm_json_bool(&j, "autostart", list[i].autostart);
			if (list[i].title)
				xvm_json_string(&j, "title", list[i].title);
			xvm_json_end_object(&j);
		}
		xvm_json_end_array(&j);
		xvm_json_finish(&j);
	} else if (o_name || o_uuid || o_id) {
		for (i = 0; i < n; i++) {
			char u[37], id[24];

			if (!wanted(args, &list[i]))
				continue;
			if (o_id && !o_name && !o_uuid) {
				/* ids only: of the domains that have one */
				if (list[i].id >= 0)
					xvm_buf_printf(&b, "%ld\n",
					    list[i].id);
				continue;
			}
			xvm_uuid_format(list[i].uuid, u);
			if (list[i].id >= 0)
				snprintf(id, sizeof(id), "%ld", list[i].id);
			else
				snprintf(id, sizeof(id), "-");
			xvm_buf_printf(&b, "%s%s%s%s%s\n", o_uuid ? u : "",
			    o_uuid && (o_id || o_name) ? " " : "",
			    o_id ? id : "", o_id && o_name ? " " : "",
			    o_name ? list[i].name : "");
		}
	} else {
		struct xvm_table t;

		if (title)
			xvm_table_init(&t, 4, "Id", "Name", "State", "Title");
		else
			xvm_table_init(&t, 3, "Id", "Name", "State");
		for (i = 0; i < n; i++) {
			char id[24];

			if (!wanted(args, &list[i]))
				continue;
			if (list[i].id >= 0)
				snprintf(id, sizeof(id), "%ld", list[i].id);
			else
				snprintf(id, sizeof(id), "-");
			if (title)
				xvm_table_row(&t, id, list[i].name,
				    xvm_vstate_name(list[i].state),
				    list[i].title ? list[i].title : "");
			else
				xvm_table_row(&t, id, list[i].name,
				    xvm_vstate_name(list[i].state));
		}
		xvm_table_print(&t, ctx->quiet, &b);
		xvm_table_release(&t);
	}
	fputs(xvm_buf_str(&b), ctx->out);
	xvm_buf_release(&b);
	xvm_vdom_free(list, n);
	return 0;
}

/* ---- one domain's facts ------------------------------------------------- */

int
virsh_cmd_dominfo(struct xvm_ctx *ctx, const struct xvm_args *args)
{
	struct xvm_conn *c;
	struct xvm_vdom v;
	struct xvm_buf b = XVM_BUF_INIT;
	char u[37];
	bool test;

	if (virsh_find(ctx, args, XVM_BY_ANY, &c, &v) < 0)
		return -1;
	test = xvm_conn_is_test(c);
	xvm_uuid_format(v.uuid, u);
	if (args->json) {
		struct xvm_json j;

		xvm_json_init(&j, &b);
		xvm_json_begin_object(&j, NULL);
		if (v.id >= 0)
			xvm_json_int(&j, "id", v.id);
		else
			xvm_json_null(&j, "id");
		xvm_json_string(&j, "name", v.name);
		xvm_json_string(&j, "uuid", u);
		xvm_json_string(&j, "os_type", v.os_type);
		xvm_json_string(&j, "state", xvm_vstate_name(v.state));
		xvm_json_uint(&j, "cpus", v.vcpus);
		xvm_json_double(&j, "cpu_time", v.cpu_seconds, 1);
		xvm_json_uint(&j, "max_memory_kib", v.max_kib);
		xvm_json_uint(&j, "used_memory_kib", v.cur_kib);
		xvm_json_bool(&j, "persistent", v.persistent);
		xvm_json_bool(&j, "autostart", v.autostart);
		xvm_json_bool(&j, "managed_save", false);
		xvm_json_end_object(&j);
		xvm_json_finish(&j);
	} else {
		if (v.id >= 0)
			xvm_field(&b, 16, "Id:", "%ld", v.id);
		else
			xvm_field(&b, 16, "Id:", "-");
		xvm_field(&b, 16, "Name:", "%s", v.name);
		xvm_field(&b, 16, "UUID:", "%s", u);
		xvm_field(&b, 16, "OS Type:", "%s", v.os_type);
		xvm_field(&b, 16, "State:", "%s", xvm_vstate_name(v.state));
		xvm_field(&b, 16, "CPU(s):", "%u", v.vcpus);
		if (v.id >= 0 || test)
			xvm_field(&b, 16, "CPU time:", "%.1fs", v.cpu_seconds);
		xvm_field(&b, 16, "Max memory:", "%llu KiB",
		    (unsigned long long)v.max_kib);
		xvm_field(&b, 16, "Used memory:", "%llu KiB",
		    (unsigned long long)v.cur_kib);
		xvm_field(&b, 16, "Persistent:", "%s", v.persistent ? "yes" :
		    "no");
		xvm_field(&b, 16, "Autostart:", "%s", v.autostart ? "enable" :
		    "disable");
		xvm_field(&b, 16, "Managed save:", "no");
		/* the test driver's security model; Xen hosts have none */
		if (test) {
			xvm_field(&b, 16, "Security model:", "testSecurity");
			xvm_field(&b, 16, "Security DOI:", "%s", "");
			if (v.id >= 0)
				xvm_field(&b, 16, "Security label:",
				    "libvirt-test (enforcing)");
		}
	}
	fputs(xvm_buf_str(&b), ctx->out);
	xvm_buf_release(&b);
	xvm_vdom_clear(&v);
	return 0;
}

int
virsh_cmd_domstate(struct xvm_ctx *ctx, const struct xvm_args *args)
{
	struct xvm_conn *c;
	struct xvm_vdom v;

	if (virsh_find(ctx, args, XVM_BY_ANY, &c, &v) < 0)
		return -1;
	if (args->json) {
		fprintf(ctx->out, "{\n  \"state\": \"%s\",\n  \"reason\": "
		    "\"%s\"\n}\n", xvm_vstate_name(v.state), v.reason);
	} else if (xvm_args_has(args, "reason")) {
		fprintf(ctx->out, "%s (%s)\n", xvm_vstate_name(v.state),
		    v.reason);
	} else {
		fprintf(ctx->out, "%s\n", xvm_vstate_name(v.state));
	}
	xvm_vdom_clear(&v);
	return 0;
}

/* domid (name or UUID), domname (id or UUID), domuuid (id or name) */
static int
convert(struct xvm_ctx *ctx, const struct xvm_args *args, unsigned by,
    const char *key)
{
	struct xvm_conn *c;
	struct xvm_vdom v;
	char val[64];

	if (virsh_find(ctx, args, by, &c, &v) < 0)
		return -1;
	if (strcmp(key, "id") == 0) {
		if (v.id >= 0)
			snprintf(val, sizeof(val), "%ld", v.id);
		else
			snprintf(val, sizeof(val), "-");
	} else if (strcmp(key, "name") == 0) {
		snprintf(val, sizeof(val), "%.63s", v.name);
	} else {
		xvm_uuid_format(v.uuid, val);
	}
	if (args->json)
		fprintf(ctx->out, "{\n  \"%s\": \"%s\"\n}\n", key, val);
	else if (strcmp(key, "name") == 0)
		fprintf(ctx->out, "%s\n", v.name);
	else
		fprintf(ctx->out, "%s\n", val);
	xvm_vdom_clear(&v);
	return 0;
}

int
virsh_cmd_domid(struct xvm_ctx *ctx, const struct xvm_args *args)
{
	return convert(ctx, args, XVM_BY_NAME | XVM_BY_UUID, "id");
}

int
virsh_cmd_domname(struct xvm_ctx *ctx, const struct xvm_args *args)
{
	return convert(ctx, args, XVM_BY_ID | XVM_BY_UUID, "name");
}

int
virsh_cmd_domuuid(struct xvm_ctx *ctx, const struct xvm_args *args)
{
	return convert(ctx, args, XVM_BY_ID | XVM_BY_NAME, "uuid");
}

/* ---- the lifecycle ------------------------------------------------------ */

/* The running domain v is, or "domain is not running" in libvirt's words. */
static int
running_id(struct xvm_ctx *ctx, const struct xvm_vdom *v, uint32_t *id)
{
	if (v->id < 0)
		return xvm_err_set(&ctx->err, XVM_ERR_OPERATION_INVALID,
		    "domain is not running");
	*id = (uint32_t)v->id;
	return 0;
}

int
virsh_cmd_destroy(struct xvm_ctx *ctx, const struct xvm_args *args)
{
	const char *name = xvm_args_get(args, "domain");
	struct xvm_conn *c;
	struct xvm_vdom v;
	uint32_t id = 0;
	int r;

	if (virsh_find(ctx, args, XVM_BY_ANY, &c, &v) < 0)
		return -1;
	r = virsh_ro(ctx, xvm_args_has(args, "graceful") ? "virDomainDestroyFlags" :
	    "virDomainDestroy") < 0 || running_id(ctx, &v, &id) < 0 ||
	    xvm_destroy(c, id, &ctx->err) < 0 ? failed(ctx, "destroy", name) :
	    0;
	xvm_vdom_clear(&v);
	if (r == 0)
		say(ctx, "Domain '%s' destroyed\n", name);
	return r;
}

/* suspend and resume: libvirt's messages for a domain in the other state */
static int
pause_op(struct xvm_ctx *ctx, const struct xvm_args *args, bool resume)
{
	const char *name = xvm_args_get(args, "domain");
	const char *what = resume ? "resume" : "suspend";
	struct xvm_conn *c;
	struct xvm_vdom v;
	uint32_t id = 0;
	bool paused;
	int r = 0;

	if (virsh_find(ctx, args, XVM_BY_ANY, &c, &v) < 0)
		return -1;
	paused = v.state == XVM_VS_PAUSED;
	if (virsh_ro(ctx, resume ? "virDomainResume" : "virDomainSuspend") < 0)
		r = -1;
	else if (v.id >= 0 && (resume ? !paused : paused ||
	    (v.state != XVM_VS_RUNNING && v.state != XVM_VS_BLOCKED)))
		r = xvm_err_set(&ctx->err, XVM_ERR_INTERNAL, "domain '%s' not "
		    "%s", v.name, resume ? "paused" : "running");
	if (r < 0 || running_id(ctx, &v, &id) < 0 ||
	    (resume ? xvm_unpause(c, id, &ctx->err) :
	    xvm_pause(c, id, &ctx->err)) < 0)
		r = failed(ctx, what, name);
	xvm_vdom_clear(&v);
	if (r == 0)
		say(ctx, "Domain '%s' %s\n", name, resume ? "resumed" :
		    "suspended");
	return r;
}

int
virsh_cmd_suspend(struct xvm_ctx *ctx, const struct xvm_args *args)
{
	return pause_op(ctx, args, false);
}

int
virsh_cmd_resume(struct xvm_ctx *ctx, const struct xvm_args *args)
{
	return pause_op(ctx, args, true);
}

/* shutdown and reboot: --mode paravirt is what Xen's PV guests take */
static int
ask(struct xvm_ctx *ctx, const struct xvm_args *args,
    enum xvm_shutdown_how how)
{
	const char *name = xvm_args_get(args, "domain");
	const char *mode = xvm_args_get(args, "mode");
	const char *what = how == XVM_SHUTDOWN_REBOOT ? "reboot" : "shutdown";
	struct xvm_conn *c;
	struct xvm_vdom v;
	uint32_t id = 0;
	int r = 0;

	if (virsh_find(ctx, args, XVM_BY_ANY, &c, &v) < 0)
		return -1;
	if (virsh_ro(ctx, how == XVM_SHUTDOWN_REBOOT ? "virDomainReboot" : mode ?
	    "virDomainShutdownFlags" : "virDomainShutdown") < 0) {
		xvm_vdom_clear(&v);
		return failed(ctx, what, name);
	}
	if (mode && strcmp(mode, "paravirt") != 0) {
		static const char *const known[] = { "acpi", "agent",
		    "initctl", "signal" };
		size_t i;

		for (i = 0; i < 4 && strcmp(mode, known[i]) != 0; i++)
			;
		xvm_vdom_clear(&v);
		if (i == 4)
			return xvm_err_set(&ctx->err, XVM_ERR_USAGE, "Unknown "
			    "mode %s value, expecting 'acpi', 'agent', "
			    "'initctl', 'signal', or 'paravirt'", mode);
		xvm_err_set(&ctx->err, XVM_ERR_CONFIG_UNSUPPORTED, "%s mode "
		    "%s is not supported for Xen PV domains: use paravirt",
		    what, mode);
		return failed(ctx, what, name);
	}
	if (running_id(ctx, &v, &id) < 0 || xvm_shutdown(c, id, how,
	    &ctx->err) < 0)
		r = failed(ctx, what, name);
	xvm_vdom_clear(&v);
	if (r == 0)
		say(ctx, "Domain '%s' is being %s\n", name,
		    how == XVM_SHUTDOWN_REBOOT ? "rebooted" : "shutdown");
	return r;
}

int
virsh_cmd_shutdown(struct xvm_ctx *ctx, const struct xvm_args *args)
{
	return ask(ctx, args, XVM_SHUTDOWN_POWEROFF);
}

int
virsh_cmd_reboot(struct xvm_ctx *ctx, const struct xvm_args *args)
{
	return ask(ctx, args, XVM_SHUTDOWN_REBOOT);
}

/* Options that ask for what this host does not have. */
static int
unsupported(struct xvm_ctx *ctx, const struct xvm_args *args,
    const char *const *opts)
{
	for (; *opts; opts++)
		if (xvm_args_has(args, *opts))
			return xvm_err_set(&ctx->err, XVM_ERR_NO_SUPPORT, "--%s "
			    "is not supported on Xen", *opts);
	return 0;
}

/* What libvirt's test driver says of --paused, which it does not take. */
static int
test_flags(struct xvm_ctx *ctx, const char *fn)
{
	return xvm_err_set(&ctx->err, XVM_ERR_USAGE, "unsupported flags "
	    "(0x1) in function %s", fn);
}

int
virsh_cmd_start(struct xvm_ctx *ctx, const struct xvm_args *args)
{
	static const char *const no[] = { "autodestroy", "pass-fds",
	    "reset-nvram", "bypass-cache", NULL };
	const char *name = xvm_args_get(args, "domain");
	struct xvm_conn *c;
	struct xvm_vdom v;
	char u[37];
	uint32_t id = 0;
	int r;

	if (virsh_find(ctx, args, XVM_BY_ANY, &c, &v) < 0)
		return -1;
	xvm_uuid_format(v.uuid, u);
	if (v.id >= 0)
		r = xvm_err_set(&ctx->err, XVM_ERR_USAGE, "Domain is already "
		    "active");
	else if (virsh_ro(ctx, xvm_args_has(args, "paused") ||
	    xvm_args_has(args, "autodestroy") ||
	    xvm_args_has(args, "bypass-cache") ||
	    xvm_args_has(args, "force-boot") ? "virDomainCreateWithFlags" :
	    "virDomainCreate") < 0)
		r = failed(ctx, "start", name);
	else if (xvm_conn_is_test(c) && xvm_args_has(args, "paused"))
		r = test_flags(ctx, "testDomainCreateWithFlags") < 0 ?
		    failed(ctx, "start", name) : 0;
	else
		r = unsupported(ctx, args, no) < 0 || xvm_start(c, u,
		    xvm_args_has(args, "paused") ? XVM_CREATE_PAUSED : 0, &id,
		    &ctx->err) < 0 ? failed(ctx, "start", name) : 0;
	if (r == 0)
		say(ctx, "Domain '%s' started\n", v.name);
	/* unlike create, start fails when its console cannot attach */
	if (r == 0 && xvm_args_has(args, "console"))
		r = attach(ctx, c, id, v.name);
	xvm_vdom_clear(&v);
	return r;
}

int
virsh_cmd_autostart(struct xvm_ctx *ctx, const struct xvm_args *args)
{
	const char *name = xvm_args_get(args, "domain");
	bool off = xvm_args_has(args, "disable");
	struct xvm_conn *c;
	struct xvm_vdom v;
	char u[37];
	int r;

	if (virsh_find(ctx, args, XVM_BY_ANY, &c, &v) < 0)
		return -1;
	xvm_uuid_format(v.uuid, u);
	if (virsh_ro(ctx, "virDomainSetAutostart") < 0) {
		r = -1;
	} else if (!v.persistent) {
		xvm_err_set(&ctx->err, XVM_ERR_OPERATION_INVALID, "cannot set "
		    "autostart for transient domain");
		r = -1;
	} else {
		r = xvm_autostart(c, u, !off, &ctx->err);
	}
	xvm_vdom_clear(&v);
	if (r < 0) {
		xvm_err_context(&ctx->err, off ? "Failed to unmark domain "
		    "'%s' as autostarted" : "Failed to mark domain '%s' as "
		    "autostarted", name);
		return -1;
	}
	say(ctx, "Domain '%s' %s as autostarted\n", name,
	    off ? "unmarked" : "marked");
	return 0;
}

/* The domain of an XML file, for create and define. */
static struct xvm_domain *
read_xml(struct xvm_ctx *ctx, const struct xvm_args *args, const char *what)
{
	const char *file = xvm_args_get(args, "file");
	struct xvm_domain *d = NULL;
	char *data = NULL;
	size_t len;

	if (xvm_file_read(file, XML_MAX, &data, &len, &ctx->err) < 0) {
		int e = ctx->err.sys_errno;

		xvm_err_set(&ctx->err, XVM_ERR_SYSTEM, "Failed to open file "
		    "'%s': %s", file, e ? strerror(e) : ctx->err.msg);
		return NULL;
	}
	if (virsh_ro(ctx, strcmp(what, "create") == 0 ? "virDomainCreateXML" :
	    xvm_args_has(args, "validate") ? "virDomainDefineXMLFlags" :
	    "virDomainDefineXML") < 0) {
		free(data);
		xvm_err_context(&ctx->err, "Failed to %s domain from %s", what,
		    file);
		return NULL;
	}
	if (xvm_args_has(args, "validate")) {
		char *dir = xvm_schema_dir();
		int bad = xvm_domain_validate_xml(data, len, file, dir,
		    &ctx->err) < 0;

		free(dir);
		if (bad) {
			free(data);
			xvm_err_context(&ctx->err, "Failed to %s domain from "
			    "%s", what, file);
			return NULL;
		}
	}
	if (xvm_domain_parse_xml(data, len, "(domain_definition)", 0, &d,
	    &ctx->err) < 0) {
		xvm_err_context(&ctx->err, "Failed to %s domain from %s", what,
		    file);
		d = NULL;
	}
	free(data);
	return d;
}

int
virsh_cmd_define(struct xvm_ctx *ctx, const struct xvm_args *args)
{
	struct xvm_conn *c;
	struct xvm_domain *d;
	int r;

	if ((c = virsh_conn(ctx)) == NULL ||
	    (d = read_xml(ctx, args, "define")) == NULL)
		return -1;
	r = xvm_define(c, d, NULL, &ctx->err);
	if (r < 0)
		xvm_err_context(&ctx->err, "Failed to define domain from %s",
		    xvm_args_get(args, "file"));
	else
		say(ctx, "Domain '%s' defined from %s\n", d->name,
		    xvm_args_get(args, "file"));
	xvm_domain_free(d);
	return r;
}

/* Does a running domain have this name?  (libvirt refuses a second.) */
static bool
active_named(struct xvm_ctx *ctx, struct xvm_conn *c, const char *name)
{
	struct xvm_vdom v;
	struct xvm_err err = { 0 };
	bool yes;

	(void)ctx;
	if (xvm_vdom_find(c, name, XVM_BY_NAME, &v, &err) < 0)
		return false;
	yes = v.id >= 0;
	xvm_vdom_clear(&v);
	return yes;
}

int
virsh_cmd_create(struct xvm_ctx *ctx, const struct xvm_args *args)
{
	static const char *const no[] = { "autodestroy", "pass-fds",
	    "reset-nvram", NULL };
	struct xvm_conn *c;
	struct xvm_domain *d;
	uint32_t id = 0;
	int r;

	if ((c = virsh_conn(ctx)) == NULL ||
	    (d = read_xml(ctx, args, "create")) == NULL)
		return -1;
	if (xvm_conn_is_test(c) && xvm_args_has(args, "paused")) {
		r = test_flags(ctx, "testDomainCreateXML");
	} else if (active_named(ctx, c, d->name)) {
		r = xvm_err_set(&ctx->err, XVM_ERR_OPERATION_INVALID, "domain "
		    "'%s' is already active", d->name);
	} else
		r = unsupported(ctx, args, no) < 0 ? -1 : xvm_create(c, d,
	    xvm_args_has(args, "paused") ? XVM_CREATE_PAUSED : 0, &id,
	    &ctx->err);
	if (r < 0) {
		xvm_err_context(&ctx->err, "Failed to create domain from %s",
		    xvm_args_get(args, "file"));
	} else {
		say(ctx, "Domain '%s' created from %s\n", d->name,
		    xvm_args_get(args, "file"));
		/* virsh reports a console it cannot attach, and goes on */
		if (xvm_args_has(args, "console") &&
		    attach(ctx, c, id, d->name) < 0)
			xvm_cli_print_err(ctx, &ctx->err);
	}
	xvm_domain_free(d);
	return r;
}

int
virsh_cmd_undefine(struct xvm_ctx *ctx, const struct xvm_args *args)
{
	static const char *const no[] = { "storage", "remove-all-storage",
	    "delete-storage-volume-snapshots", "wipe-storage", "tpm", NULL };
	const char *name = xvm_args_get(args, "domain");
	struct xvm_conn *c;
	struct xvm_vdom v;
	char u[37];
	int r;

	if (virsh_find(ctx, args, XVM_BY_ANY, &c, &v) < 0)
		return -1;
	xvm_uuid_format(v.uuid, u);
	if (virsh_ro(ctx, "virDomainUndefineFlags") < 0)
		r = -1;
	else if (!v.persistent && xvm_conn_is_test(c))
		r = 0;		/* the test driver lets it be */
	else if (!v.persistent)
		r = xvm_err_set(&ctx->err, XVM_ERR_OPERATION_INVALID, "cannot "
		    "undefine transient domain");
	else
		r = unsupported(ctx, args, no) < 0 ? -1 :
		    xvm_undefine(c, u, NULL, &ctx->err);
	xvm_vdom_clear(&v);
	if (r < 0) {
		xvm_err_context(&ctx->err, "Failed to undefine domain '%s'",
		    name);
		return -1;
	}
	say(ctx, "Domain '%s' has been undefined\n", name);
	return 0;
}

/* ---- the domain's XML --------------------------------------------------- */

/*
 * Domain-0 has no config of ours: what libvirt's libxl driver shows of it,
 * from what Xen says.
 */
static struct xvm_domain *
dom0_config(const struct xvm_vdom *v, struct xvm_err *err)
{
	struct xvm_domain *d = NULL;
	char *xml = xvm_asprintf("<domain type='xen'>\n"
	    "  <name>%s</name>\n"
	    "  <uuid>00000000-0000-0000-0000-000000000000</uuid>\n"
	    "  <memory unit='KiB'>%llu</memory>\n"
	    "  <currentMemory unit='KiB'>%llu</currentMemory>\n"
	    "  <vcpu placement='static'>%u</vcpu>\n"
	    "  <os>\n    <type arch='x86_64' machine='xenpv'>linux</type>\n"
	    "  </os>\n"
	    "  <on_poweroff>destroy</on_poweroff>\n"
	    "  <on_reboot>restart</on_reboot>\n"
	    "  <on_crash>restart</on_crash>\n"
	    "</domain>\n", v->name, (unsigned long long)v->max_kib,
	    (unsigned long long)v->cur_kib, v->vcpus);

	if (xvm_domain_parse_xml(xml, strlen(xml), "(Domain-0)", 0, &d,
	    err) < 0)
		d = NULL;
	free(xml);
	return d;
}

int
virsh_cmd_dumpxml(struct xvm_ctx *ctx, const struct xvm_args *args)
{
	const char *xpath = xvm_args_get(args, "xpath");
	bool inactive = xvm_args_has(args, "inactive");
	struct xvm_conn *c;
	struct xvm_vdom v;
	struct xvm_domain *d = NULL;
	struct xvm_buf b = XVM_BUF_INIT, x = XVM_BUF_INIT;
	unsigned flags = 0;
	char u[37];
	int r = -1;

	if (virsh_find(ctx, args, XVM_BY_ANY, &c, &v) < 0)
		return -1;
	xvm_uuid_format(v.uuid, u);
	if (v.id >= 0 && !(inactive && v.persistent)) {
		if (xvm_running_config(c, (uint32_t)v.id, &d, &ctx->err) < 0) {
			if (ctx->err.code != XVM_ERR_NOT_FOUND)
				goto out;
			xvm_err_clear(&ctx->err);
			if ((d = dom0_config(&v, &ctx->err)) == NULL)
				goto out;
		}
		d->id = (int)v.id;
		if (inactive)
			flags |= XVM_XML_INACTIVE;
	} else {
		if (xvm_defined_get(c, u, &d, NULL, &ctx->err) < 0)
			goto out;
		flags |= XVM_XML_INACTIVE;
	}
	if (xvm_args_has(args, "security-info")) {
		if (ctx->readonly) {
			xvm_err_set(&ctx->err, XVM_ERR_OPERATION_DENIED,
			    "virDomainGetXMLDesc with secure flag");
			goto out;
		}
		flags |= XVM_XML_SECURE;
	}
	xvm_domain_format_xml(d, flags, &b);
	if (xpath) {
		if (xvm_xml_xpath(b.data, b.len, xpath,
		    xvm_args_has(args, "wrap") ? XVM_XPATH_WRAP : 0, &x,
		    &ctx->err) < 0)
			goto out;
		fputs(xvm_buf_str(&x), ctx->out);
	} else {
		fputs(xvm_buf_str(&b), ctx->out);
	}
	r = 0;
out:
	xvm_domain_free(d);
	xvm_buf_release(&b);
	xvm_buf_release(&x);
	xvm_vdom_clear(&v);
	return r;
}

/* ---- the console --------------------------------------------------------- */

/* Attach the terminal to running domain id's console, as virsh does. */
static int
attach(struct xvm_ctx *ctx, struct xvm_conn *c, uint32_t id,
    const char *name)
{
	if (!isatty(0))
		return xvm_err_set(&ctx->err, XVM_ERR_USAGE, "Cannot run "
		    "interactive console without a controlling TTY");
	say(ctx, "Connected to domain '%s'\nEscape character is ^] "
	    "(Ctrl + ])\n", name);
	fflush(ctx->out);
	if (xvm_cli_console(ctx, c, id) < 0)
		return -1;
	fputc('\n', ctx->out);
	return 0;
}

int
virsh_cmd_console(struct xvm_ctx *ctx, const struct xvm_args *args)
{
	const char *dev = xvm_args_get(args, "devname");
	struct xvm_conn *c;
	struct xvm_vdom v;
	int r;

	if (virsh_find(ctx, args, XVM_BY_ANY, &c, &v) < 0)
		return -1;
	if (v.id < 0)
		r = xvm_err_set(&ctx->err, XVM_ERR_USAGE, "The domain is not "
		    "running");
	else if (!isatty(0))
		r = xvm_err_set(&ctx->err, XVM_ERR_USAGE, "Cannot run "
		    "interactive console without a controlling TTY");
	else if (dev && strcmp(dev, "console0") != 0 &&
	    strcmp(dev, "serial0") != 0)
		r = xvm_err_set(&ctx->err, XVM_ERR_INTERNAL, "cannot find "
		    "character device %s", dev);
	else
		r = attach(ctx, c, (uint32_t)v.id, v.name);
	xvm_vdom_clear(&v);
	return r;
}

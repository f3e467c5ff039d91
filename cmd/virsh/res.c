/*
 * res.c - virsh's commands on what a domain is given: vcpucount,
 * maxvcpus, setvcpus, vcpuinfo, vcpupin, setmem, setmaxmem, schedinfo.
 * --live acts on the running domain, --config on its definition (the next
 * boot), --current on whichever it has now, as libvirt's flags do.
 */
#include <stdlib.h>
#include <string.h>

#include "xvm/cpumap.h"
#include "xvm/size.h"
#include "xvm/domain.h"
#include "xvm/toolstack.h"
#include "virsh.h"

/* Where a change goes: the running domain, the definition, or both. */
struct where {
	bool live, config;
};

/*
 * No flag: the running domain when live_default (virsh calls the API
 * without flags, which libvirt takes as live), else the current state.
 */
static int
where_of(struct xvm_ctx *ctx, const struct xvm_args *args,
    const struct xvm_vdom *v, struct where *w, bool live_default)
{
	bool cur = xvm_args_has(args, "current");

	w->live = xvm_args_has(args, "live");
	w->config = xvm_args_has(args, "config");
	if (cur && (w->live || w->config))
		return xvm_err_set(&ctx->err, XVM_ERR_USAGE, "Options "
		    "--current and --%s are mutually exclusive", w->live ?
		    "live" : "config");
	if (!w->live && !w->config && !cur && live_default)
		w->live = true;
	else if (!w->live && !w->config) {
		w->live = v->id >= 0;
		w->config = v->id < 0;
	}
	if (w->live && v->id < 0)
		return xvm_err_set(&ctx->err, XVM_ERR_OPERATION_INVALID,
		    "domain is not running");
	if (w->config && !v->persistent)
		return xvm_err_set(&ctx->err, XVM_ERR_OPERATION_INVALID,
		    "transient domains do not have any persistent config");
	return 0;
}

/* The definition of v, changed by fn and stored again. */
static int
change_definition(struct xvm_ctx *ctx, struct xvm_conn *c,
    const struct xvm_vdom *v,
    int (*fn)(struct xvm_ctx *, struct xvm_domain *, unsigned long long),
    unsigned long long val)
{
	struct xvm_domain *d = NULL;
	char u[37];
	int r;

	xvm_uuid_format(v->uuid, u);
	if (xvm_defined_get(c, u, &d, NULL, &ctx->err) < 0)
		return -1;
	r = fn(ctx, d, val) < 0 ? -1 : xvm_define(c, d, NULL, &ctx->err);
	xvm_domain_free(d);
	return r;
}

/* ---- vcpus --------------------------------------------------------------- */

/* What the running domain was started with, else its definition. */
static unsigned
config_vcpus(struct xvm_conn *c, const struct xvm_vdom *v, bool maximum)
{
	struct xvm_domain *d = NULL;
	struct xvm_err err = { 0 };
	char u[37];
	unsigned n = v->vcpus;

	xvm_uuid_format(v->uuid, u);
	if ((v->persistent && xvm_defined_get(c, u, &d, NULL, &err) == 0) ||
	    (v->id >= 0 && xvm_running_config(c, (uint32_t)v->id, &d,
	    &err) == 0)) {
		n = maximum || !d->vcpus_current ? d->vcpus : d->vcpus_current;
		xvm_domain_free(d);
	}
	return n;
}

static unsigned
live_vcpus(struct xvm_conn *c, const struct xvm_vdom *v, bool maximum)
{
	struct xvm_vcpustat *list = NULL;
	struct xvm_err err = { 0 };
	size_t n = 0, i;
	unsigned on = 0;

	if (xvm_vcpu_list(c, (uint32_t)v->id, &list, &n, &err) < 0)
		return v->vcpus;
	for (i = 0; i < n; i++)
		on += list[i].online;
	xvm_vcpustat_free(list, n);
	return maximum ? (unsigned)n : on;
}

int
virsh_cmd_vcpucount(struct xvm_ctx *ctx, const struct xvm_args *args)
{
	bool max = xvm_args_has(args, "maximum");
	bool act = xvm_args_has(args, "active");
	bool live = xvm_args_has(args, "live");
	bool config = xvm_args_has(args, "config");
	bool cur = xvm_args_has(args, "current");
	struct xvm_conn *c;
	struct xvm_vdom v;

	if (max && act)
		return xvm_err_set(&ctx->err, XVM_ERR_USAGE, "Options "
		    "--active and --maximum are mutually exclusive");
	if (live && config)
		return xvm_err_set(&ctx->err, XVM_ERR_USAGE, "Options --live "
		    "and --config are mutually exclusive");
	if (cur && (live || config))
		return xvm_err_set(&ctx->err, XVM_ERR_USAGE, "Options "
		    "--current and --%s are mutually exclusive", live ?
		    "live" : "config");
	if (xvm_args_has(args, "guest"))
		return xvm_err_set(&ctx->err, XVM_ERR_NO_SUPPORT, "--guest "
		    "needs a guest agent, which Xen PV guests do not have");
	if (virsh_find(ctx, args, XVM_BY_ANY, &c, &v) < 0)
		return -1;
	if (args->json) {
		struct xvm_buf b = XVM_BUF_INIT;
		struct xvm_json j;

		xvm_json_init(&j, &b);
		xvm_json_begin_object(&j, NULL);
		xvm_json_uint(&j, "maximum_config", config_vcpus(c, &v, true));
		xvm_json_uint(&j, "current_config", config_vcpus(c, &v, false));
		if (v.id >= 0) {
			xvm_json_uint(&j, "maximum_live", live_vcpus(c, &v,
			    true));
			xvm_json_uint(&j, "current_live", live_vcpus(c, &v,
			    false));
		}
		xvm_json_end_object(&j);
		xvm_json_finish(&j);
		fputs(xvm_buf_str(&b), ctx->out);
		xvm_buf_release(&b);
	} else if (max || act || live || config || cur) {
		bool from_live = live || (!config && v.id >= 0);

		if (from_live && v.id < 0) {
			xvm_vdom_clear(&v);
			return xvm_err_set(&ctx->err,
			    XVM_ERR_OPERATION_INVALID, "domain is not "
			    "running");
		}
		fprintf(ctx->out, "%u\n", from_live ? live_vcpus(c, &v, max) :
		    config_vcpus(c, &v, max));
	} else {
		fprintf(ctx->out, "%-12s %-12s %3u\n", "maximum", "config",
		    config_vcpus(c, &v, true));
		if (v.id >= 0)
			fprintf(ctx->out, "%-12s %-12s %3u\n", "maximum",
			    "live", live_vcpus(c, &v, true));
		fprintf(ctx->out, "%-12s %-12s %3u\n", "current", "config",
		    config_vcpus(c, &v, false));
		if (v.id >= 0)
			fprintf(ctx->out, "%-12s %-12s %3u\n", "current",
			    "live", live_vcpus(c, &v, false));
	}
	xvm_vdom_clear(&v);
	return 0;
}

int
virsh_cmd_maxvcpus(struct xvm_ctx *ctx, const struct xvm_args *args)
{
	const char *type = xvm_args_get(args, "type");
	struct xvm_conn *c = virsh_conn(ctx);

	if (c == NULL)
		return -1;
	if (type && strcmp(type, xvm_conn_is_test(c) ? "test" : "xen") != 0 &&
	    !xvm_conn_is_test(c))
		return xvm_err_set(&ctx->err, XVM_ERR_INVALID_ARG, "unknown "
		    "type '%s'", type);
	/* libvirt's test driver says 32; Xen's PV domains take 512 */
	if (args->json)
		fprintf(ctx->out, "{\n  \"maxvcpus\": %u\n}\n",
		    xvm_conn_is_test(c) ? 32 : 512);
	else
		fprintf(ctx->out, "%u\n", xvm_conn_is_test(c) ? 32 : 512);
	return 0;
}

static int
def_vcpus(struct xvm_ctx *ctx, struct xvm_domain *d, unsigned long long n)
{
	if (n & (1ull << 63)) {		/* --maximum */
		n &= ~(1ull << 63);
		if (d->vcpus_current == 0)	/* the current count stays */
			d->vcpus_current = d->vcpus;
		d->vcpus = (unsigned)n;
		if (d->vcpus_current == d->vcpus)
			d->vcpus_current = 0;
		if (d->vcpus_current > d->vcpus)
			d->vcpus_current = d->vcpus;
		return 0;
	}
	if (n > d->vcpus)
		return xvm_err_set(&ctx->err, XVM_ERR_INVALID_ARG, "requested "
		    "vcpus is greater than max allowable vcpus for the "
		    "persistent domain: %llu > %u", n, d->vcpus);
	d->vcpus_current = n == d->vcpus ? 0 : (unsigned)n;
	return 0;
}

int
virsh_cmd_setvcpus(struct xvm_ctx *ctx, const struct xvm_args *args)
{
	bool max = xvm_args_has(args, "maximum");
	struct xvm_conn *c;
	struct xvm_vdom v;
	struct where w;
	unsigned n;
	int r = -1;

	if (xvm_args_uint(ctx, args, "count", &n) < 0)
		return -1;
	if (n == 0)
		return xvm_err_set(&ctx->err, XVM_ERR_USAGE, "Can't set 0 "
		    "processors for a VM");
	if (max && !xvm_args_has(args, "config"))
		return xvm_err_set(&ctx->err, XVM_ERR_USAGE, "Option --config "
		    "is required by option --maximum");
	if (xvm_args_has(args, "guest") || xvm_args_has(args, "hotpluggable"))
		return xvm_err_set(&ctx->err, XVM_ERR_NO_SUPPORT, "--%s is not "
		    "supported for Xen PV domains", xvm_args_has(args,
		    "guest") ? "guest" : "hotpluggable");
	if (virsh_find(ctx, args, XVM_BY_ANY, &c, &v) < 0)
		return -1;
	if (virsh_ro(ctx, "virDomainSetVcpusFlags") < 0)
		r = -1;
	else if (where_of(ctx, args, &v, &w, true) == 0) {
		r = 0;
		if (w.live && !max) {
			unsigned most = live_vcpus(c, &v, true);

			if (n > most)
				r = xvm_err_set(&ctx->err, XVM_ERR_INVALID_ARG,
				    "requested cpu amount exceeds maximum "
				    "(%u > %u)", n, most);
			else
				r = xvm_set_vcpus(c, (uint32_t)v.id, n,
				    &ctx->err);
		}
		if (r == 0 && w.config)
			r = change_definition(ctx, c, &v, def_vcpus, n |
			    (max ? 1ull << 63 : 0));
	}
	xvm_vdom_clear(&v);
	return r;
}

/* A CPU set as libvirt writes it: "0-7", "1-3,6". */
static const char *
affinity(const uint8_t *map, unsigned ncpu)
{
	static char text[4096];
	struct xvm_buf r = XVM_BUF_INIT;

	xvm_cpumap_format(map, ncpu, &r);
	if (strcmp(xvm_buf_str(&r), "all") == 0) {
		if (ncpu == 1)
			snprintf(text, sizeof(text), "0");
		else
			snprintf(text, sizeof(text), "0-%u", ncpu - 1);
	} else {
		snprintf(text, sizeof(text), "%s", xvm_buf_str(&r));
	}
	xvm_buf_release(&r);
	return text;
}

/* The host's CPU count, for affinity maps. */
static unsigned
host_cpus(struct xvm_conn *c)
{
	struct xvm_hostinfo hi;
	struct xvm_err err = { 0 };

	return xvm_host_info(c, &hi, &err) == 0 && hi.nr_cpus ? hi.nr_cpus : 1;
}

int
virsh_cmd_vcpuinfo(struct xvm_ctx *ctx, const struct xvm_args *args)
{
	bool pretty = xvm_args_has(args, "pretty");
	struct xvm_conn *c;
	struct xvm_vdom v;
	struct xvm_vcpustat *list = NULL;
	struct xvm_buf b = XVM_BUF_INIT;
	size_t n = 0, i;
	unsigned ncpu, k;
	uint8_t *map;

	if (virsh_find(ctx, args, XVM_BY_ANY, &c, &v) < 0)
		return -1;
	if (v.id < 0) {
		xvm_vdom_clear(&v);
		return xvm_err_set(&ctx->err, XVM_ERR_OPERATION_INVALID,
		    "domain is not running");
	}
	if (xvm_vcpu_list(c, (uint32_t)v.id, &list, &n, &ctx->err) < 0) {
		xvm_vdom_clear(&v);
		return -1;
	}
	ncpu = host_cpus(c);
	map = xvm_calloc(XVM_CPUMAP_BYTES(ncpu) + 1, 1);
	if (args->json) {
		struct xvm_json j;

		xvm_json_init(&j, &b);
		xvm_json_begin_array(&j, NULL);
		for (i = 0; i < n; i++) {
			struct xvm_err e2 = { 0 };

			if (xvm_cpumap_parse(list[i].hard ? list[i].hard :
			    "all", ncpu, map, &e2) < 0)
				memset(map, 0xff, XVM_CPUMAP_BYTES(ncpu));
			xvm_json_begin_object(&j, NULL);
			xvm_json_uint(&j, "vcpu", list[i].vcpu);
			if (list[i].online)
				xvm_json_int(&j, "cpu", list[i].cpu);
			else
				xvm_json_null(&j, "cpu");
			xvm_json_string(&j, "state", !list[i].online ?
			    "offline" : list[i].running ? "running" :
			    "blocked");
			xvm_json_double(&j, "cpu_time", list[i].cpu_seconds,
			    1);
			xvm_json_string(&j, "affinity", affinity(map, ncpu));
			xvm_json_end_object(&j);
		}
		xvm_json_end_array(&j);
		xvm_json_finish(&j);
	}
	for (i = 0; !args->json && i < n; i++) {
		struct xvm_err e2 = { 0 };

		xvm_field(&b, 16, "VCPU:", "%u", list[i].vcpu);
		if (list[i].online)
			xvm_field(&b, 16, "CPU:", "%d", list[i].cpu);
		else
			xvm_field(&b, 16, "CPU:", "N/A");
		xvm_field(&b, 16, "State:", "%s", !list[i].online ?
		    "offline" : list[i].running ? "running" : "blocked");
		if (list[i].online)
			xvm_field(&b, 16, "CPU time:", "%.1fs",
			    list[i].cpu_seconds);
		if (xvm_cpumap_parse(list[i].hard ? list[i].hard : "all", ncpu,
		    map, &e2) < 0)
			memset(map, 0xff, XVM_CPUMAP_BYTES(ncpu));
		xvm_buf_printf(&b, "%-16s", "CPU Affinity:");
		if (pretty) {
			xvm_buf_printf(&b, "%s (out of %u)\n",
			    affinity(map, ncpu), ncpu);
		} else {
			for (k = 0; k < ncpu; k++)
				xvm_buf_putc(&b, (map[k / 8] >> (k % 8)) & 1 ?
				    'y' : '-');
			xvm_buf_putc(&b, '\n');
		}
		if (i + 1 < n)
			xvm_buf_putc(&b, '\n');
	}
	fputs(xvm_buf_str(&b), ctx->out);
	xvm_buf_release(&b);
	free(map);
	xvm_vcpustat_free(list, n);
	xvm_vdom_clear(&v);
	return 0;
}

/* A CPU list as virsh checks it before libvirt sees it. */
static int
check_cpulist(struct xvm_ctx *ctx, const char *list, unsigned ncpu,
    uint8_t *map)
{
	struct xvm_err e2 = { 0 };
	const char *p = list;
	bool any_cpu = false;

	for (; *p; p++) {
		if (*p >= '0' && *p <= '9' && (p == list || p[-1] < '0' ||
		    p[-1] > '9')) {
			unsigned long cpu = strtoul(p, NULL, 10);

			if (p == list || p[-1] != '^')
				any_cpu = true;
			if (cpu >= ncpu)
				return xvm_err_set(&ctx->err, XVM_ERR_USAGE, "CPU "
				    "%lu in cpulist '%s' exceed the maxcpu %u",
				    cpu, list, ncpu);
		}
	}
	if ((!any_cpu && strcmp(list, "r") != 0) ||
	    xvm_cpumap_parse(strcmp(list, "r") == 0 ? "all" : list, ncpu,
	    map, &e2) < 0)
		return xvm_err_set(&ctx->err, XVM_ERR_USAGE, "Invalid cpulist "
		    "'%s'", list);
	return 0;
}

int
virsh_cmd_vcpupin(struct xvm_ctx *ctx, const struct xvm_args *args)
{
	const char *list = xvm_args_get(args, "cpulist");
	struct xvm_conn *c;
	struct xvm_vdom v;
	struct xvm_vcpustat *st = NULL;
	size_t n = 0, i;
	unsigned ncpu, vcpu = 0;
	int has_vcpu, r = -1;
	uint8_t *map;

	if ((has_vcpu = xvm_args_uint(ctx, args, "vcpu", &vcpu)) < 0)
		return -1;
	if (list && !has_vcpu)
		return xvm_err_set(&ctx->err, XVM_ERR_USAGE, "vcpupin: "
		    "Missing vCPU number in pin mode.");
	if (virsh_find(ctx, args, XVM_BY_ANY, &c, &v) < 0)
		return -1;
	ncpu = host_cpus(c);
	map = xvm_calloc(XVM_CPUMAP_BYTES(ncpu) + 1, 1);
	if (v.id < 0) {
		xvm_err_set(&ctx->err, XVM_ERR_OPERATION_INVALID, "domain is "
		    "not running");
		goto out;
	}
	if (xvm_vcpu_list(c, (uint32_t)v.id, &st, &n, &ctx->err) < 0)
		goto out;
	if (has_vcpu && vcpu >= n) {
		xvm_err_set(&ctx->err, XVM_ERR_INVALID_ARG, "requested vcpu "
		    "'%u' is not present in the domain", vcpu);
		goto out;
	}
	if (list) {
		if (virsh_ro(ctx, "virDomainPinVcpuFlags") < 0)
			goto out;
		if (check_cpulist(ctx, list, ncpu, map) < 0 ||
		    xvm_vcpu_pin(c, (uint32_t)v.id, (int)vcpu,
		    strcmp(list, "r") == 0 ? "all" : list, NULL,
		    &ctx->err) < 0)
			goto out;
	} else if (args->json) {
		struct xvm_buf b = XVM_BUF_INIT;
		struct xvm_json j;

		xvm_json_init(&j, &b);
		xvm_json_begin_array(&j, NULL);
		for (i = 0; i < n; i++) {
			struct xvm_err e2 = { 0 };

			if (has_vcpu && st[i].vcpu != vcpu)
				continue;
			if (xvm_cpumap_parse(st[i].hard ? st[i].hard : "all",
			    ncpu, map, &e2) < 0)
				memset(map, 0xff, XVM_CPUMAP_BYTES(ncpu));
			xvm_json_begin_object(&j, NULL);
			xvm_json_uint(&j, "vcpu", st[i].vcpu);
			xvm_json_string(&j, "affinity", affinity(map, ncpu));
			xvm_json_end_object(&j);
		}
		xvm_json_end_array(&j);
		xvm_json_finish(&j);
		fputs(xvm_buf_str(&b), ctx->out);
		xvm_buf_release(&b);
	} else {
		struct xvm_table t;
		struct xvm_buf b = XVM_BUF_INIT;

		xvm_table_init(&t, 2, "VCPU", "CPU Affinity");
		for (i = 0; i < n; i++) {
			char num[16];
			struct xvm_err e2 = { 0 };

			if (has_vcpu && st[i].vcpu != vcpu)
				continue;
			if (xvm_cpumap_parse(st[i].hard ? st[i].hard : "all",
			    ncpu, map, &e2) < 0)
				memset(map, 0xff, XVM_CPUMAP_BYTES(ncpu));
			snprintf(num, sizeof(num), "%u", st[i].vcpu);
			xvm_table_row(&t, num, affinity(map, ncpu));
		}
		xvm_table_print(&t, ctx->quiet, &b);
		fputs(xvm_buf_str(&b), ctx->out);
		xvm_buf_release(&b);
		xvm_table_release(&t);
	}
	r = 0;
out:
	free(map);
	xvm_vcpustat_free(st, n);
	xvm_vdom_clear(&v);
	return r;
}

/* ---- memory -------------------------------------------------------------- */

static int
def_mem(struct xvm_ctx *ctx, struct xvm_domain *d, unsigned long long kib)
{
	if (kib > d->memory_kib)
		return xvm_err_set(&ctx->err, XVM_ERR_INVALID_ARG, "cannot set "
		    "memory higher than max memory");
	d->current_kib = kib == d->memory_kib ? 0 : kib;
	return 0;
}

static int
def_maxmem(struct xvm_ctx *ctx, struct xvm_domain *d, unsigned long long kib)
{
	(void)ctx;
	d->memory_kib = kib;
	if (d->current_kib > kib || d->current_kib == 0)
		d->current_kib = 0;
	return 0;
}

/* setmem and setmaxmem: a scaled size, KiB by default. */
/*
 * The most a running domain may be given: its maximum as set (libvirt's
 * libxl driver: the definition's total memory), not what Xen holds it
 * to now (a lower mem-set lowers that too); the test host's as it says.
 */
static unsigned long long
live_max(struct xvm_conn *c, const struct xvm_vdom *v)
{
	struct xvm_err e = { 0 };
	uint64_t kib;

	if (xvm_conn_is_test(c) || v->id <= 0 ||
	    xvm_get_maxmem(c, (uint32_t)v->id, &kib, &e) < 0)
		return v->max_kib;
	return kib;
}

static int
set_memory(struct xvm_ctx *ctx, const struct xvm_args *args, bool maximum)
{
	struct xvm_conn *c;
	struct xvm_vdom v;
	struct where w;
	unsigned long long bytes, kib;
	int r = -1;

	if (xvm_args_size(ctx, args, "size", &bytes) < 0)
		return -1;
	kib = bytes / 1024;
	if (kib == 0)
		return xvm_err_set(&ctx->err, XVM_ERR_USAGE, "memory in "
		    "virDomainSetMemoryFlags must not be zero");
	if (virsh_find(ctx, args, XVM_BY_ANY, &c, &v) < 0)
		return -1;
	if (virsh_ro(ctx, "virDomainSetMemoryFlags") < 0) {
		r = -1;
	} else if (where_of(ctx, args, &v, &w, !maximum) == 0) {
		r = 0;
		if (w.live && maximum && xvm_conn_is_test(c))
			r = xvm_err_set(&ctx->err, XVM_ERR_OPERATION_INVALID,
			    "cannot resize the maximum memory on an active "
			    "domain");
		else if (w.live && !maximum && kib > live_max(c, &v))
			r = xvm_err_set(&ctx->err, XVM_ERR_INVALID_ARG,
			    "cannot set memory higher than max memory");
		else if (w.live)
			r = maximum ? xvm_set_maxmem(c, (uint32_t)v.id, kib,
			    &ctx->err) : xvm_set_memory(c, (uint32_t)v.id, kib,
			    &ctx->err);
		if (r == 0 && w.config)
			r = change_definition(ctx, c, &v, maximum ? def_maxmem :
			    def_mem, kib);
	}
	if (r < 0 && maximum)
		xvm_err_context(&ctx->err, "Unable to change MaxMemorySize");
	xvm_vdom_clear(&v);
	return r;
}

int
virsh_cmd_setmem(struct xvm_ctx *ctx, const struct xvm_args *args)
{
	return set_memory(ctx, args, false);
}

int
virsh_cmd_setmaxmem(struct xvm_ctx *ctx, const struct xvm_args *args)
{
	return set_memory(ctx, args, true);
}

/* ---- the credit scheduler ------------------------------------------------ */

int
virsh_cmd_schedinfo(struct xvm_ctx *ctx, const struct xvm_args *args)
{
	struct xvm_strv sets = XVM_STRV_INIT;
	struct xvm_conn *c;
	struct xvm_vdom v;
	struct xvm_credit cr;
	unsigned w = 0, cap = 0;
	int weight = -1, capv = -1, hw, hc, r = -1;
	size_t i;

	if ((hw = xvm_args_uint(ctx, args, "weight", &w)) < 0 ||
	    (hc = xvm_args_uint(ctx, args, "cap", &cap)) < 0)
		return -1;
	if (hw)
		weight = (int)w;
	if (hc)
		capv = (int)cap;
	xvm_args_getv(args, "set", &sets);
	for (i = 0; i < sets.n; i++) {
		char *eq = strchr(sets.v[i], '=');
		unsigned val;

		if (eq == NULL || xvm_parse_uint(eq + 1, &val) < 0) {
			xvm_err_set(&ctx->err, XVM_ERR_USAGE, "Invalid syntax "
			    "for --set, expecting name=value");
			goto out0;
		}
		if (strncmp(sets.v[i], "weight=", 7) == 0)
			weight = (int)val;
		else if (strncmp(sets.v[i], "cap=", 4) == 0)
			capv = (int)val;
		else {
			*eq = '\0';
			xvm_err_set(&ctx->err, XVM_ERR_USAGE, "invalid "
			    "scheduler option: %s", sets.v[i]);
			goto out0;
		}
	}
	if (virsh_find(ctx, args, XVM_BY_ANY, &c, &v) < 0)
		goto out0;
	if (v.id < 0) {
		xvm_err_set(&ctx->err, XVM_ERR_OPERATION_INVALID, "domain is "
		    "not running");
		goto out;
	}
	if ((weight >= 0 || capv >= 0) &&
	    virsh_ro(ctx, "virDomainSetSchedulerParametersFlags") < 0)
		goto out;
	if (weight == 0 || weight > 65535) {
		xvm_err_set(&ctx->err, XVM_ERR_INVALID_ARG, "weight %d: it is "
		    "1 to 65535", weight);
		goto out;
	}
	if (xvm_sched_credit(c, (uint32_t)v.id, weight >= 0 || capv >= 0,
	    weight, capv, &cr, &ctx->err) < 0)
		goto out;
	if (args->json)
		fprintf(ctx->out, "{\n  \"scheduler\": \"credit\",\n  "
		    "\"weight\": %u,\n  \"cap\": %u\n}\n", cr.weight, cr.cap);
	else
		fprintf(ctx->out, "%-15s: %s\n%-15s: %u\n%-15s: %u\n",
		    "Scheduler", "credit", "weight", cr.weight, "cap", cr.cap);
	r = 0;
out:
	xvm_vdom_clear(&v);
out0:
	xvm_strv_release(&sets);
	return r;
}

/*
 * res.c - xm's commands on what a running domain is given: mem-set,
 * mem-max, vcpu-set, vcpu-pin, vcpu-list and sched-credit, with xl's
 * output layouts:
 *
 *   Name                                ID  VCPU   CPU State   Time(s) Affinity (Hard / Soft)
 *   Domain-0                             0     0    0   -b-       7.1  all / all
 *
 *   Cpupool Pool-0: tslice=30ms ratelimit=1000us migration-delay=0us
 *   Name                                ID Weight  Cap
 *   Domain-0                             0    256    0
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "xvm/domain.h"
#include "xvm/json.h"
#include "xvm/size.h"
#include "xvm/toolstack.h"
#include "xm.h"

/* SIZE with MiB as the unit when none is given (xl mem-set's rule). */
static int
size_kib(struct xvm_ctx *ctx, const char *s, uint64_t *kib)
{
	unsigned long long bytes;

	if (xvm_size_parse(s, 1024 * 1024, 1ull << 50, &bytes, &ctx->err) < 0)
		return -1;
	*kib = bytes / 1024;
	return 0;
}

typedef int (*mem_op)(struct xvm_conn *, uint32_t, uint64_t,
    struct xvm_err *);

static int
mem(struct xvm_ctx *ctx, const struct xvm_args *args, mem_op op)
{
	struct xvm_conn *c = xm_connect(ctx);
	uint64_t kib;
	uint32_t id;

	if (!c || xvm_lookup(c, xvm_args_get(args, "domain"), &id, NULL,
	    &ctx->err) < 0 || size_kib(ctx, xvm_args_get(args, "size"),
	    &kib) < 0)
		return -1;
	return op(c, id, kib, &ctx->err);
}

int
xm_cmd_mem_set(struct xvm_ctx *ctx, const struct xvm_args *args)
{
	return mem(ctx, args, xvm_set_memory);
}

int
xm_cmd_mem_max(struct xvm_ctx *ctx, const struct xvm_args *args)
{
	return mem(ctx, args, xvm_set_maxmem);
}

int
xm_cmd_vcpu_set(struct xvm_ctx *ctx, const struct xvm_args *args)
{
	struct xvm_conn *c = xm_connect(ctx);
	unsigned n;
	uint32_t id;

	if (!c || xvm_lookup(c, xvm_args_get(args, "domain"), &id, NULL,
	    &ctx->err) < 0)
		return -1;
	if (xvm_parse_uint(xvm_args_get(args, "count"), &n) < 0)
		return xvm_err_set(&ctx->err, XVM_ERR_USAGE, "'%s' is not a "
		    "number of vcpus", xvm_args_get(args, "count"));
	return xvm_set_vcpus(c, id, n, &ctx->err);
}

int
xm_cmd_vcpu_pin(struct xvm_ctx *ctx, const struct xvm_args *args)
{
	struct xvm_conn *c = xm_connect(ctx);
	const char *vcpu = xvm_args_get(args, "vcpu");
	const char *hard = xvm_args_get(args, "hard");
	const char *soft = xvm_args_get(args, "soft");
	unsigned v = 0;
	uint32_t id;

	if (!c || xvm_lookup(c, xvm_args_get(args, "domain"), &id, NULL,
	    &ctx->err) < 0)
		return -1;
	if (strcmp(vcpu, "all") != 0 && xvm_parse_uint(vcpu, &v) < 0)
		return xvm_err_set(&ctx->err, XVM_ERR_USAGE, "'%s' is not a "
		    "vcpu number or 'all'", vcpu);
	/* as xl: "-" leaves that affinity as it is */
	return xvm_vcpu_pin(c, id, strcmp(vcpu, "all") == 0 ? -1 : (int)v,
	    strcmp(hard, "-") == 0 ? NULL : hard,
	    soft == NULL || strcmp(soft, "-") == 0 ? NULL : soft, &ctx->err);
}

/* The domains named in args (all when none), or NULL on error. */
static struct xvm_domstat *
chosen(struct xvm_ctx *ctx, const struct xvm_args *args, struct xvm_conn *c,
    const char *opt, size_t *n_r)
{
	struct xvm_strv doms = XVM_STRV_INIT;
	struct xvm_domstat *list = NULL, *out;
	size_t n = 0, i, k, m = 0;

	*n_r = 0;
	if (xvm_list(c, &list, &n, &ctx->err) < 0)
		return NULL;
	xvm_args_getv(args, opt, &doms);
	if (doms.n == 0) {
		xvm_strv_release(&doms);
		*n_r = n;
		return list;
	}
	out = xvm_calloc(doms.n + 1, sizeof(*out));
	for (k = 0; k < doms.n; k++) {
		uint32_t id;

		if (xvm_lookup(c, doms.v[k], &id, NULL, &ctx->err) < 0)
			goto fail;
		for (i = 0; i < n; i++)
			if (list[i].id == id) {
				out[m] = list[i];
				out[m++].name = xvm_strdup(list[i].name);
			}
	}
	xvm_domstat_free(list, n);
	xvm_strv_release(&doms);
	*n_r = m;
	return out;
fail:
	xvm_domstat_free(out, m);
	xvm_domstat_free(list, n);
	xvm_strv_release(&doms);
	return NULL;
}

int
xm_cmd_vcpu_list(struct xvm_ctx *ctx, const struct xvm_args *args)
{
	struct xvm_conn *c = xm_connect(ctx);
	struct xvm_domstat *doms;
	struct xvm_buf b = XVM_BUF_INIT;
	struct xvm_json j;
	size_t n, i, k;
	int ret = -1;

	if (!c || (doms = chosen(ctx, args, c, "domains", &n)) == NULL)
		return -1;
	if (args->json) {
		xvm_json_init(&j, &b);
		xvm_json_begin_array(&j, NULL);
	} else {
		xvm_buf_printf(&b, "%-32s %5s %5s %5s %5s %9s %s\n", "Name",
		    "ID", "VCPU", "CPU", "State", "Time(s)",
		    "Affinity (Hard / Soft)");
	}
	for (i = 0; i < n; i++) {
		struct xvm_vcpustat *v = NULL;
		size_t nv = 0;

		if (xvm_vcpu_list(c, doms[i].id, &v, &nv, &ctx->err) < 0)
			goto out;
		for (k = 0; k < nv; k++) {
			if (args->json) {
				xvm_json_begin_object(&j, NULL);
				xvm_json_string(&j, "name", doms[i].name);
				xvm_json_uint(&j, "id", doms[i].id);
				xvm_json_uint(&j, "vcpu", v[k].vcpu);
				if (v[k].online)
					xvm_json_uint(&j, "cpu",
					    (unsigned)v[k].cpu);
				else
					xvm_json_null(&j, "cpu");
				xvm_json_bool(&j, "online", v[k].online);
				xvm_json_bool(&j, "running", v[k].running);
				xvm_json_bool(&j, "blocked", v[k].blocked);
				xvm_buf_printf(&b, ",\n    \"cpu_seconds\": "
				    "%.1f", v[k].cpu_seconds);
				xvm_json_string(&j, "hard_affinity",
				    v[k].hard);
				xvm_json_string(&j, "soft_affinity",
				    v[k].soft);
				xvm_json_end_object(&j);
				continue;
			}
			xvm_buf_printf(&b, "%-32s %5" PRIu32 " %5" PRIu32,
			    doms[i].name, doms[i].id, v[k].vcpu);
			if (v[k].online)
				xvm_buf_printf(&b, "%5d %3c%c- ", v[k].cpu,
				    v[k].running ? 'r' : '-',
				    v[k].blocked ? 'b' : '-');
			else
				xvm_buf_printf(&b, "%5c %3c%cp ", '-', '-',
				    '-');
			xvm_buf_printf(&b, "%9.1f  %s / %s\n",
			    v[k].cpu_seconds, v[k].hard, v[k].soft);
		}
		xvm_vcpustat_free(v, nv);
	}
	if (args->json) {
		xvm_json_end_array(&j);
		xvm_json_finish(&j);
	}
	fputs(xvm_buf_str(&b), ctx->out);
	ret = 0;
out:
	xvm_domstat_free(doms, n);
	xvm_buf_release(&b);
	return ret;
}

int
xm_cmd_sched_credit(struct xvm_ctx *ctx, const struct xvm_args *args)
{
	struct xvm_conn *c = xm_connect(ctx);
	const char *dom = xvm_args_get(args, "domain");
	const char *ws = xvm_args_get(args, "weight");
	const char *cs = xvm_args_get(args, "cap");
	struct xvm_domstat *list = NULL;
	struct xvm_buf b = XVM_BUF_INIT;
	size_t n = 0, i;
	unsigned w = 0, cap = 0;
	uint32_t id;
	int ret = -1;

	if (!c)
		return -1;
	if ((ws || cs) && dom == NULL)
		return xvm_err_set(&ctx->err, XVM_ERR_USAGE, "-w and -c need "
		    "a domain (-d)");
	if ((ws && xvm_parse_uint(ws, &w) < 0) ||
	    (cs && xvm_parse_uint(cs, &cap) < 0))
		return xvm_err_set(&ctx->err, XVM_ERR_USAGE, "'%s' is not a "
		    "number", ws && xvm_parse_uint(ws, &w) < 0 ? ws : cs);
	if (dom != NULL) {
		struct xvm_credit cr;
		char *name = NULL;

		if (xvm_lookup(c, dom, &id, &name, &ctx->err) < 0)
			return -1;
		if (ws || cs) {
			ret = xvm_sched_credit(c, id, true, ws ? (int)w : -1,
			    cs ? (int)cap : -1, NULL, &ctx->err);
			free(name);
			return ret;
		}
		if (xvm_sched_credit(c, id, false, -1, -1, &cr,
		    &ctx->err) == 0) {
			fprintf(ctx->out, "%-33s %4s %6s %4s\n%-33s %4" PRIu32
			    " %6u %4u\n", "Name", "ID", "Weight", "Cap", name,
			    id, cr.weight, cr.cap);
			ret = 0;
		}
		free(name);
		return ret;
	}
	{
		struct xvm_credit_params_ts p;

		if (xvm_credit_params(c, &p, &ctx->err) < 0 ||
		    xvm_list(c, &list, &n, &ctx->err) < 0)
			goto out;
		xvm_buf_printf(&b, "Cpupool Pool-0: tslice=%ums ratelimit=%uus "
		    "migration-delay=%uus\n", p.tslice_ms, p.ratelimit_us,
		    p.migr_delay_us);
	}
	xvm_buf_printf(&b, "%-33s %4s %6s %4s\n", "Name", "ID", "Weight",
	    "Cap");
	for (i = 0; i < n; i++) {
		struct xvm_credit cr;

		if (xvm_sched_credit(c, list[i].id, false, -1, -1, &cr,
		    &ctx->err) < 0)
			goto out;
		xvm_buf_printf(&b, "%-33s %4" PRIu32 " %6u %4u\n", list[i].name,
		    list[i].id, cr.weight, cr.cap);
	}
	fputs(xvm_buf_str(&b), ctx->out);
	ret = 0;
out:
	xvm_domstat_free(list, n);
	xvm_buf_release(&b);
	return ret;
}

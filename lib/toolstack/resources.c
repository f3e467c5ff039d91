/*
 * resources.c - what a running domain is given: its memory target (the
 * balloon's aim) and maximum, its online vcpus, where its vcpus may run
 * (affinity), and its credit scheduler weight and cap; and the figures of
 * its vcpus.  As libxl does them: memory/target and cpu/N/availability in
 * xenstore for the guest to act on, max_mem and vcpu affinity and the
 * scheduler through domctls.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xvm/cpumap.h"
#include "toolstack/ts_int.h"

#define MAXMEM_SLACK_KIB	1024	/* libxl's LIBXL_MAXMEM_CONSTANT */

static int
not_dom0(uint32_t id, const char *what, struct xvm_err *err)
{
	if (id == 0)
		return xvm_err_set(err, XVM_ERR_OPERATION_INVALID, "Domain-0's "
		    "%s is the host's own: xvm does not change it", what);
	return 0;
}

/* A number under /local/domain/ID, or -1 (and err set) when absent. */
static int
xs_num(struct xvm_conn *c, uint32_t id, const char *rel, uint64_t *v,
    struct xvm_err *err)
{
	char path[96], *s = NULL, *end;
	int r;

	snprintf(path, sizeof(path), "/local/domain/%" PRIu32 "/%s", id, rel);
	if ((r = xvm_xs_read(c->io, path, &s, err)) <= 0)
		return r < 0 ? -1 : xvm_err_set(err, XVM_ERR_OPERATION_FAILED,
		    "domain %" PRIu32 " has no %s in xenstore (was it started "
		    "by a toolstack?)", id, path);
	*v = strtoull(s, &end, 10);
	r = *end == '\0' && end != s ? 0 : xvm_err_set(err,
	    XVM_ERR_OPERATION_FAILED, "%s is '%s', not a number", path, s);
	free(s);
	return r;
}

static int
xs_put_num(struct xvm_conn *c, uint32_t id, const char *rel, uint64_t v,
    struct xvm_err *err)
{
	char path[96], val[32];

	snprintf(path, sizeof(path), "/local/domain/%" PRIu32 "/%s", id, rel);
	snprintf(val, sizeof(val), "%" PRIu64, v);
	return xvm_xs_write(c->io, path, val, err);
}

int
xvm_get_maxmem(struct xvm_conn *c, uint32_t id, uint64_t *kib_r,
    struct xvm_err *err)
{
	return xs_num(c, id, "memory/static-max", kib_r, err);
}

int
xvm_set_memory(struct xvm_conn *c, uint32_t id, uint64_t kib,
    struct xvm_err *err)
{
	struct xvm_dominfo info;
	uint64_t max, video = 0;

	if (not_dom0(id, "memory", err) < 0 ||
	    xvm_xc_domain_info(c->io, id, &info, err) < 0 ||
	    xs_num(c, id, "memory/static-max", &max, err) < 0)
		return -1;
	if (kib > max)
		return xvm_err_set(err, XVM_ERR_INVALID_ARG, "memory_dynamic_max "
		    "must be less than or equal to memory_static_max: %" PRIu64
		    " MiB is more than the domain's maximum, %" PRIu64 " MiB "
		    "(raise it with mem-max)", kib / 1024, max / 1024);
	if (kib < 1024)
		return xvm_err_set(err, XVM_ERR_INVALID_ARG, "%" PRIu64 " KiB "
		    "is too little memory for a domain", kib);
	/* as libxl (enforced): Xen holds it to the target, the guest aims;
	   an HVM guest's video memory is part of it, not the guest's */
	if (info.hvm && xs_num(c, id, "memory/videoram", &video, NULL) < 0)
		video = 0;
	if (video >= kib)
		video = 0;
	if (xvm_xc_domain_max_mem(c->io, id, kib + MAXMEM_SLACK_KIB, err) < 0 ||
	    xs_put_num(c, id, "memory/target", kib - video, err) < 0)
		return -1;
	ts_log(c, XVM_LOG_INFO, "domain %" PRIu32 ": memory target %" PRIu64
	    " KiB", id, kib);
	return 0;
}

int
xvm_set_maxmem(struct xvm_conn *c, uint32_t id, uint64_t kib,
    struct xvm_err *err)
{
	struct xvm_dominfo info;
	uint64_t target;

	if (not_dom0(id, "maximum memory", err) < 0 ||
	    xvm_xc_domain_info(c->io, id, &info, err) < 0 ||
	    xs_num(c, id, "memory/target", &target, err) < 0)
		return -1;
	if (kib < target)
		return xvm_err_set(err, XVM_ERR_INVALID_ARG, "memory_static_max "
		    "must be greater than or equal to memory_dynamic_max: "
		    "%" PRIu64 " MiB is less than the domain's target, %" PRIu64
		    " MiB (lower it with mem-set)", kib / 1024, target / 1024);
	if (xvm_xc_domain_max_mem(c->io, id, kib + MAXMEM_SLACK_KIB, err) < 0 ||
	    xs_put_num(c, id, "memory/static-max", kib, err) < 0)
		return -1;
	ts_log(c, XVM_LOG_INFO, "domain %" PRIu32 ": maximum memory %" PRIu64
	    " KiB", id, kib);
	return 0;
}

int
xvm_set_vcpus(struct xvm_conn *c, uint32_t id, unsigned n,
    struct xvm_err *err)
{
	struct xvm_dominfo info;
	unsigned i, max;
	int tries;

	if (not_dom0(id, "vcpus", err) < 0 ||
	    xvm_xc_domain_info(c->io, id, &info, err) < 0)
		return -1;
	max = info.max_vcpu_id + 1;
	if (n < 1 || n > max)
		return xvm_err_set(err, XVM_ERR_INVALID_ARG, "%u vcpus: domain %"
		    PRIu32 " has 1 to %u (its maximum)", n, id, max);
	/* one transaction: the guest sees the whole request at once */
	for (tries = 0; tries < 16; tries++) {
		uint32_t tx;
		bool again = false;
		int r = 0;

		if (xvm_xs_tx_start(c->io, &tx, err) < 0)
			return -1;
		for (i = 0; i < max && r == 0; i++) {
			char path[96];

			snprintf(path, sizeof(path), "/local/domain/%" PRIu32
			    "/cpu/%u/availability", id, i);
			r = xvm_xs_twrite(c->io, tx, path, i < n ? "online" :
			    "offline", err);
		}
		if (r < 0) {
			(void)xvm_xs_tx_end(c->io, tx, false, NULL, NULL);
			return -1;
		}
		if (xvm_xs_tx_end(c->io, tx, true, &again, err) < 0)
			return -1;
		if (!again) {
			ts_log(c, XVM_LOG_INFO, "domain %" PRIu32 ": %u vcpus "
			    "online", id, n);
			return 0;
		}
	}
	return xvm_err_set(err, XVM_ERR_OPERATION_FAILED, "xenstore kept "
	    "changing while the vcpus of domain %" PRIu32 " were set", id);
}

int
xvm_vcpu_pin(struct xvm_conn *c, uint32_t id, int vcpu, const char *hard,
    const char *soft, struct xvm_err *err)
{
	struct xvm_physinfo pi;
	struct xvm_dominfo info;
	uint8_t *h = NULL, *s = NULL, *hh = NULL, *ss = NULL;
	uint32_t v, first, last;
	size_t nb;
	int r = -1;

	if (xvm_xc_physinfo(c->io, &pi, err) < 0 ||
	    xvm_xc_domain_info(c->io, id, &info, err) < 0)
		return -1;
	if (vcpu >= 0 && (uint32_t)vcpu > info.max_vcpu_id)
		return xvm_err_set(err, XVM_ERR_INVALID_ARG, "vcpu %d: domain %"
		    PRIu32 " has vcpus 0 to %" PRIu32, vcpu, id,
		    info.max_vcpu_id);
	nb = XVM_CPUMAP_BYTES(pi.nr_cpus);
	if (hard) {
		h = xvm_malloc(nb);
		hh = xvm_malloc(nb);
		if (xvm_cpumap_parse(hard, pi.nr_cpus, h, err) < 0)
			goto out;
	}
	if (soft) {
		s = xvm_malloc(nb);
		ss = xvm_malloc(nb);
		if (xvm_cpumap_parse(soft, pi.nr_cpus, s, err) < 0)
			goto out;
	}
	if (!h && !s) {
		r = 0;
		goto out;
	}
	first = vcpu < 0 ? 0 : (uint32_t)vcpu;
	last = vcpu < 0 ? info.max_vcpu_id : (uint32_t)vcpu;
	for (v = first; v <= last; v++) {
		if (h)
			memcpy(hh, h, nb);
		if (s)
			memcpy(ss, s, nb);
		if (xvm_xc_vcpu_affinity(c->io, id, v, true, hh, ss, pi.nr_cpus,
		    err) < 0)
			goto out;
	}
	ts_log(c, XVM_LOG_INFO, "domain %" PRIu32 ": vcpu %s pinned to %s / %s",
	    id, vcpu < 0 ? "all" : "", hard ? hard : "-", soft ? soft : "-");
	r = 0;
out:
	free(h);
	free(s);
	free(hh);
	free(ss);
	return r;
}

void
xvm_vcpustat_free(struct xvm_vcpustat *list, size_t n)
{
	size_t i;

	for (i = 0; list && i < n; i++) {
		free(list[i].hard);
		free(list[i].soft);
	}
	free(list);
}

int
xvm_vcpu_list(struct xvm_conn *c, uint32_t id, struct xvm_vcpustat **list_r,
    size_t *n_r, struct xvm_err *err)
{
	struct xvm_physinfo pi;
	struct xvm_dominfo info;
	struct xvm_vcpustat *l;
	uint8_t *h = NULL, *s = NULL;
	size_t n, nb;
	uint32_t v;

	*list_r = NULL;
	*n_r = 0;
	if (xvm_xc_physinfo(c->io, &pi, err) < 0 ||
	    xvm_xc_domain_info(c->io, id, &info, err) < 0)
		return -1;
	n = info.max_vcpu_id + 1;
	nb = XVM_CPUMAP_BYTES(pi.nr_cpus);
	h = xvm_malloc(nb);
	s = xvm_malloc(nb);
	l = xvm_calloc(n, sizeof(*l));
	for (v = 0; v < n; v++) {
		struct xvm_vcpu_info vi;
		struct xvm_buf b = XVM_BUF_INIT;

		if (xvm_xc_vcpu_info(c->io, id, v, &vi, err) < 0 ||
		    xvm_xc_vcpu_affinity(c->io, id, v, false, h, s, pi.nr_cpus,
		    err) < 0) {
			if (err->sys_errno == ESRCH && info.max_vcpu_id == 0 &&
			    v == 0) {
				/* a domain without vcpus yet (being built) */
				n = 0;
				break;
			}
			xvm_vcpustat_free(l, v);
			free(h);
			free(s);
			return -1;
		}
		l[v].vcpu = v;
		l[v].online = vi.online;
		l[v].running = vi.running;
		l[v].blocked = vi.blocked;
		l[v].cpu = vi.online ? (int)vi.cpu : -1;
		l[v].cpu_seconds = vi.cpu_time_ns / 1e9;
		xvm_cpumap_format(h, pi.nr_cpus, &b);
		l[v].hard = xvm_buf_steal(&b);
		xvm_cpumap_format(s, pi.nr_cpus, &b);
		l[v].soft = xvm_buf_steal(&b);
	}
	free(h);
	free(s);
	*list_r = l;
	*n_r = n;
	return 0;
}

int
xvm_sched_credit(struct xvm_conn *c, uint32_t id, bool set, int weight,
    int cap, struct xvm_credit *out, struct xvm_err *err)
{
	struct xvm_physinfo pi;
	uint16_t w = 0, cp = 0xffff;

	if (set && weight >= 0 && (weight < 1 || weight > 65535))
		return xvm_err_set(err, XVM_ERR_INVALID_ARG, "weight %d: it is "
		    "1 to 65535", weight);
	if (set && cap >= 0 && cap > 65534)
		return xvm_err_set(err, XVM_ERR_INVALID_ARG, "cap %d: it is 0 "
		    "(none) to 65534 (%% of one CPU)", cap);
	if (xvm_xc_physinfo(c->io, &pi, err) < 0)
		return -1;
	if (set) {
		w = weight >= 0 ? (uint16_t)weight : 0;	/* 0: keep */
		cp = cap >= 0 ? (uint16_t)cap : 0xffff;	/* 0xffff: keep */
	}
	if (xvm_xc_sched_credit(c->io, id, pi.sched_id, set, &w, &cp,
	    err) < 0)
		return -1;
	if (out) {
		out->weight = w;
		out->cap = cp;
	}
	if (set)
		ts_log(c, XVM_LOG_INFO, "domain %" PRIu32 ": credit weight %u, "
		    "cap %u", id, w, cp);
	return 0;
}

int
xvm_credit_params(struct xvm_conn *c, struct xvm_credit_params_ts *p,
    struct xvm_err *err)
{
	struct xvm_physinfo pi;
	struct xvm_credit_params cp;

	if (xvm_xc_physinfo(c->io, &pi, err) < 0)
		return -1;
	if (pi.sched_id != 5)		/* XEN_SCHEDULER_CREDIT */
		return xvm_err_set(err, XVM_ERR_NO_SUPPORT, "the host's "
		    "scheduler is not credit");
	if (xvm_xc_credit_params(c->io, pi.sched_id, &cp, err) < 0)
		return -1;
	p->tslice_ms = cp.tslice_ms;
	p->ratelimit_us = cp.ratelimit_us;
	p->migr_delay_us = cp.migr_delay_us;
	return 0;
}

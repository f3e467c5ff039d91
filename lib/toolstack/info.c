/*
 * info.c - the host's figures, as `xl info` gathers them: the dom0
 * kernel's uname, the hypervisor's physinfo, scheduler and version.
 */
#define __XEN_TOOLS__ 1

#include <stdint.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/time.h>
#include <string.h>
#include <sys/utsname.h>

#include <xen/xen.h>
#include <xen/sysctl.h>

#include "toolstack/ts_int.h"

static const char *
sched_name(uint32_t id)
{
	switch (id) {
	case XEN_SCHEDULER_CREDIT:
		return "credit";
	case XEN_SCHEDULER_CREDIT2:
		return "credit2";
	case XEN_SCHEDULER_ARINC653:
		return "arinc653";
	case XEN_SCHEDULER_RTDS:
		return "rtds";
	case XEN_SCHEDULER_NULL:
		return "null";
	default:
		return "unknown";
	}
}

int
xvm_host_info(struct xvm_conn *c, struct xvm_hostinfo *hi,
    struct xvm_err *err)
{
	static const struct {
		uint32_t bit;
		const char *name;
	} caps[] = {
		{ XEN_SYSCTL_PHYSCAP_pv, " pv" },
		{ XEN_SYSCTL_PHYSCAP_hvm, " hvm" },
		{ XEN_SYSCTL_PHYSCAP_directio, " hvm_directio pv_directio" },
		{ XEN_SYSCTL_PHYSCAP_hap, " hap" },
		{ XEN_SYSCTL_PHYSCAP_shadow, " shadow" },
		{ XEN_SYSCTL_PHYSCAP_iommu_hap_pt_share, " iommu_hap_pt_share" },
		{ XEN_SYSCTL_PHYSCAP_vmtrace, " vmtrace" },
		{ XEN_SYSCTL_PHYSCAP_vpmu, " vpmu" },
		{ XEN_SYSCTL_PHYSCAP_gnttab_v1, " gnttab-v1" },
		{ XEN_SYSCTL_PHYSCAP_gnttab_v2, " gnttab-v2" },
	};
	struct xvm_physinfo pi;
	struct xvm_xen_version v;
	struct utsname u;
	size_t i;

	memset(hi, 0, sizeof(*hi));
	if (xvm_xc_physinfo(c->io, &pi, err) < 0 ||
	    xvm_xc_version(c->io, &v, err) < 0)
		return -1;
	if (uname(&u) == 0) {
		snprintf(hi->host, sizeof(hi->host), "%s", u.nodename);
		snprintf(hi->release, sizeof(hi->release), "%s", u.release);
		snprintf(hi->version, sizeof(hi->version), "%s", u.version);
		snprintf(hi->machine, sizeof(hi->machine), "%s", u.machine);
	}
	hi->nr_cpus = pi.nr_cpus;
	hi->max_cpu_id = pi.max_cpu_id;
	hi->nr_nodes = pi.nr_nodes;
	hi->cores_per_socket = pi.cores_per_socket;
	hi->threads_per_core = pi.threads_per_core;
	hi->cpu_khz = pi.cpu_khz;
	memcpy(hi->hw_cap, pi.hw_cap, sizeof(hi->hw_cap));
	for (i = 0; i < XVM_ARRAY_SIZE(caps); i++)
		if (pi.capabilities & caps[i].bit)
			strncat(hi->virt_caps, caps[i].name,
			    sizeof(hi->virt_caps) - strlen(hi->virt_caps) - 1);
	hi->total_mib = pi.total_pages / 256;
	hi->free_mib = pi.free_pages / 256;
	hi->free_kib = pi.free_pages * 4;
	hi->outstanding_mib = pi.outstanding_pages / 256;
	hi->xen_major = v.major;
	hi->xen_minor = v.minor;
	memcpy(hi->xen_extra, v.extra, sizeof(hi->xen_extra));
	memcpy(hi->xen_caps, v.capabilities, sizeof(hi->xen_caps));
	snprintf(hi->xen_scheduler, sizeof(hi->xen_scheduler), "%s",
	    sched_name(pi.sched_id));
	hi->xen_pagesize = v.pagesize;
	hi->virt_start = v.virt_start;
	memcpy(hi->xen_changeset, v.changeset, sizeof(hi->xen_changeset));
	memcpy(hi->xen_commandline, v.commandline,
	    sizeof(hi->xen_commandline));
	memcpy(hi->cc_compiler, v.compiler, sizeof(hi->cc_compiler));
	memcpy(hi->cc_compile_by, v.compile_by, sizeof(hi->cc_compile_by));
	memcpy(hi->cc_compile_domain, v.compile_domain,
	    sizeof(hi->cc_compile_domain));
	memcpy(hi->cc_compile_date, v.compile_date,
	    sizeof(hi->cc_compile_date));
	memcpy(hi->build_id, v.build_id, sizeof(hi->build_id));
	return 0;
}

int
xvm_dmesg(struct xvm_conn *c, bool clear, struct xvm_buf *out,
    struct xvm_err *err)
{
	return xvm_xc_readconsole(c->io, clear, out, err);
}

const char *
xvm_log_file(struct xvm_conn *c)
{
	if (c->statedir == NULL)
		return NULL;
	if (c->logpath == NULL)
		c->logpath = xvm_asprintf("%s/xvm.log", c->statedir);
	return c->logpath;
}

/* Seconds since this machine booted (/proc/uptime), or -1. */
static double
machine_uptime(void)
{
	FILE *f = fopen("/proc/uptime", "r");
	double up = -1;

	if (f != NULL) {
		if (fscanf(f, "%lf", &up) != 1)
			up = -1;
		fclose(f);
	}
	return up;
}

int
xvm_uptime(struct xvm_conn *c, uint32_t id, double *secs, struct xvm_err *err)
{
	char path[64], *vm = NULL, *st = NULL;
	struct timeval tv;
	int r = -1;

	if (id == 0) {
		/* as xl: Domain-0 has been up as long as this machine */
		if ((*secs = machine_uptime()) < 0)
			return xvm_err_sys(err, errno, "cannot read "
			    "/proc/uptime");
		return 0;
	}
	snprintf(path, sizeof(path), "/local/domain/%" PRIu32 "/vm", id);
	if (xvm_xs_read(c->io, path, &vm, err) < 0)
		return -1;
	if (vm != NULL) {
		char *p = xvm_asprintf("%s/start_time", vm);

		r = xvm_xs_read(c->io, p, &st, err);
		free(p);
	}
	if (r <= 0 || st == NULL) {
		r = xvm_err_set(err, XVM_ERR_NOT_FOUND, "domain %" PRIu32 " has "
		    "no start time (was it started by a toolstack?)", id);
	} else {
		gettimeofday(&tv, NULL);
		*secs = (double)tv.tv_sec + tv.tv_usec / 1e6 -
		    strtod(st, NULL);
		if (*secs < 0)
			*secs = 0;
		r = 0;
	}
	free(vm);
	free(st);
	return r;
}

long
xvm_device_count(struct xvm_conn *c, uint32_t id, const char *kind)
{
	struct xvm_strv kids = XVM_STRV_INIT;
	struct xvm_err ignored = { 0 };
	char path[96];
	long n;

	snprintf(path, sizeof(path), "/local/domain/%" PRIu32 "/device/%s", id,
	    kind);
	if (xvm_xs_directory(c->io, path, &kids, &ignored) < 0)
		n = 0;
	else
		n = (long)kids.n;
	xvm_strv_release(&kids);
	return n;
}

/*
 * info.c - xm info, in xl's layout: "key" padded to 23 columns, ": ",
 * value.
 */
#include "xvm/toolstack.h"
#include "xm.h"

static void
kv(struct xvm_buf *b, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
kv(struct xvm_buf *b, const char *key, const char *fmt, ...)
{
	va_list ap;

	xvm_buf_printf(b, "%-23s: ", key);
	va_start(ap, fmt);
	xvm_buf_vprintf(b, fmt, ap);
	va_end(ap);
	xvm_buf_putc(b, '\n');
}

int
xm_cmd_info(struct xvm_ctx *ctx, const struct xvm_args *args)
{
	struct xvm_conn *c = xm_connect(ctx);
	struct xvm_hostinfo h;
	struct xvm_buf b = XVM_BUF_INIT;
	char caps[128];
	int i;

	if (!c || xvm_host_info(c, &h, &ctx->err) < 0)
		return -1;
	for (i = 0; i < 8; i++)		/* 8 words, as xl prints them */
		snprintf(caps + (i ? i * 9 - 1 : 0), sizeof(caps) -
		    (size_t)(i ? i * 9 - 1 : 0), "%s%08x", i ? ":" : "",
		    h.hw_cap[i]);
	if (args->json) {
		struct xvm_json j;

		xvm_json_init(&j, &b);
		xvm_json_begin_object(&j, NULL);
		xvm_json_string(&j, "host", h.host);
		xvm_json_string(&j, "release", h.release);
		xvm_json_string(&j, "machine", h.machine);
		xvm_json_uint(&j, "nr_cpus", h.nr_cpus);
		xvm_json_uint(&j, "nr_nodes", h.nr_nodes);
		xvm_json_uint(&j, "cores_per_socket", h.cores_per_socket);
		xvm_json_uint(&j, "threads_per_core", h.threads_per_core);
		xvm_json_uint(&j, "cpu_khz", h.cpu_khz);
		xvm_json_string(&j, "virt_caps", h.virt_caps[0] ?
		    h.virt_caps + 1 : "");
		xvm_json_uint(&j, "total_memory_mib", h.total_mib);
		xvm_json_uint(&j, "free_memory_mib", h.free_mib);
		xvm_json_int(&j, "xen_major", h.xen_major);
		xvm_json_int(&j, "xen_minor", h.xen_minor);
		xvm_json_string(&j, "xen_extra", h.xen_extra);
		xvm_json_string(&j, "xen_caps", h.xen_caps);
		xvm_json_string(&j, "xen_scheduler", h.xen_scheduler);
		xvm_json_string(&j, "xen_commandline", h.xen_commandline);
		xvm_json_end_object(&j);
		xvm_json_finish(&j);
		goto print;
	}
	kv(&b, "host", "%s", h.host);
	kv(&b, "release", "%s", h.release);
	kv(&b, "version", "%s", h.version);
	kv(&b, "machine", "%s", h.machine);
	kv(&b, "nr_cpus", "%u", h.nr_cpus);
	kv(&b, "max_cpu_id", "%u", h.max_cpu_id);
	kv(&b, "nr_nodes", "%u", h.nr_nodes);
	kv(&b, "cores_per_socket", "%u", h.cores_per_socket);
	kv(&b, "threads_per_core", "%u", h.threads_per_core);
	kv(&b, "cpu_mhz", "%u.%03u", h.cpu_khz / 1000, h.cpu_khz % 1000);
	kv(&b, "hw_caps", "%s", caps);
	kv(&b, "virt_caps", "%s", h.virt_caps[0] ? h.virt_caps + 1 : "");
	kv(&b, "total_memory", "%llu", h.total_mib);
	kv(&b, "free_memory", "%llu", h.free_mib);
	kv(&b, "sharing_freed_memory", "0");
	kv(&b, "sharing_used_memory", "0");
	kv(&b, "outstanding_claims", "%llu", h.outstanding_mib);
	kv(&b, "free_cpus", "0");
	kv(&b, "xen_major", "%d", h.xen_major);
	kv(&b, "xen_minor", "%d", h.xen_minor);
	kv(&b, "xen_extra", "%s", h.xen_extra);
	kv(&b, "xen_version", "%d.%d%s", h.xen_major, h.xen_minor,
	    h.xen_extra);
	kv(&b, "xen_caps", "%s", h.xen_caps);
	kv(&b, "xen_scheduler", "%s", h.xen_scheduler);
	kv(&b, "xen_pagesize", "%ld", h.xen_pagesize);
	kv(&b, "platform_params", "virt_start=0x%llx", h.virt_start);
	kv(&b, "xen_changeset", "%s", h.xen_changeset);
	kv(&b, "xen_commandline", "%s", h.xen_commandline);
	kv(&b, "cc_compiler", "%s", h.cc_compiler);
	kv(&b, "cc_compile_by", "%s", h.cc_compile_by);
	kv(&b, "cc_compile_domain", "%s", h.cc_compile_domain);
	kv(&b, "cc_compile_date", "%s", h.cc_compile_date);
	kv(&b, "build_id", "%s", h.build_id);
	kv(&b, "xend_config_format", "4");
print:
	fputs(xvm_buf_str(&b), ctx->out);
	xvm_buf_release(&b);
	return 0;
}

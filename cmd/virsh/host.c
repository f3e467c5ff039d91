/*
 * host.c - virsh's connection and its host commands: connect, uri,
 * hostname, version, nodeinfo.  The connection is opened on the first
 * command that needs one and kept for the session, as virsh does.
 */
#include <errno.h>
#include <sys/wait.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xvm/file.h"
#include "xvm/toolstack.h"
#include "xvm/version.h"
#include "virsh.h"

struct xvm_conn *
virsh_conn(struct xvm_ctx *ctx)
{
	if (ctx->data)
		return ctx->data;
	if (xvm_connect(ctx->uri, XVM_CONNECT_VIRSH,
	    (struct xvm_conn **)&ctx->data, NULL, &ctx->err) < 0) {
		xvm_err_context(&ctx->err, "failed to connect to the "
		    "hypervisor");
		return NULL;
	}
	return ctx->data;
}

int
virsh_find(struct xvm_ctx *ctx, const struct xvm_args *args, unsigned by,
    struct xvm_conn **c_r, struct xvm_vdom *v)
{
	if ((*c_r = virsh_conn(ctx)) == NULL)
		return -1;
	return xvm_vdom_find(*c_r, xvm_args_get(args, "domain"), by, v,
	    &ctx->err);
}

int
virsh_ro(struct xvm_ctx *ctx, const char *api)
{
	if (!ctx->readonly)
		return 0;
	return xvm_err_set(&ctx->err, XVM_ERR_OPERATION_DENIED, "read only "
	    "access prevents %s", api);
}

/* connect [--name URI] [--readonly]: a new connection replaces the old. */
int
virsh_cmd_connect(struct xvm_ctx *ctx, const struct xvm_args *args)
{
	const char *uri = xvm_args_get(args, "name");
	struct xvm_conn *c = NULL;

	if (xvm_connect(uri ? uri : ctx->uri, XVM_CONNECT_VIRSH, &c, NULL,
	    &ctx->err) < 0) {
		xvm_err_context(&ctx->err, "failed to connect to the "
		    "hypervisor");
		return -1;
	}
	xvm_disconnect(ctx->data);
	ctx->data = c;
	if (uri)
		ctx->uri = xvm_conn_uri(c);
	if (xvm_args_has(args, "readonly"))
		ctx->readonly = true;
	return 0;
}

static int
print_one(struct xvm_ctx *ctx, const struct xvm_args *args, const char *key,
    const char *val)
{
	if (args->json) {
		struct xvm_buf b = XVM_BUF_INIT;
		struct xvm_json j;

		xvm_json_init(&j, &b);
		xvm_json_begin_object(&j, NULL);
		xvm_json_string(&j, key, val);
		xvm_json_end_object(&j);
		xvm_json_finish(&j);
		fputs(xvm_buf_str(&b), ctx->out);
		xvm_buf_release(&b);
	} else {
		fprintf(ctx->out, "%s\n", val);
	}
	return 0;
}

int
virsh_cmd_uri(struct xvm_ctx *ctx, const struct xvm_args *args)
{
	struct xvm_conn *c = virsh_conn(ctx);

	return c ? print_one(ctx, args, "uri", xvm_conn_uri(c)) : -1;
}

int
virsh_cmd_hostname(struct xvm_ctx *ctx, const struct xvm_args *args)
{
	char host[256];

	if (virsh_conn(ctx) == NULL)
		return -1;
	if (gethostname(host, sizeof(host)) < 0)
		return xvm_err_sys(&ctx->err, errno, "failed to get hostname");
	host[sizeof(host) - 1] = '\0';
	return print_one(ctx, args, "hostname", host);
}

int
virsh_cmd_version(struct xvm_ctx *ctx, const struct xvm_args *args)
{
	struct xvm_conn *c = virsh_conn(ctx);
	struct xvm_hostinfo hi;
	bool test;
	char api[32], hv[48];

	if (c == NULL || xvm_host_info(c, &hi, &ctx->err) < 0)
		return -1;
	test = xvm_conn_is_test(c);
	/* libvirt's drivers: TEST 0.0.2; Xen's own version for Xen */
	snprintf(api, sizeof(api), "%s %s", test ? "TEST" : "Xen",
	    XVM_VIRSH_COMPAT_VERSION);
	if (test)
		snprintf(hv, sizeof(hv), "TEST 0.0.2");
	else
		snprintf(hv, sizeof(hv), "Xen %d.%d.%d", hi.xen_major,
		    hi.xen_minor, atoi(hi.xen_extra[0] == '.' ?
		    hi.xen_extra + 1 : hi.xen_extra));
	if (args->json) {
		struct xvm_buf b = XVM_BUF_INIT;
		struct xvm_json j;

		xvm_json_init(&j, &b);
		xvm_json_begin_object(&j, NULL);
		xvm_json_string(&j, "library", "libvirt "
		    XVM_VIRSH_COMPAT_VERSION);
		xvm_json_string(&j, "api", api);
		xvm_json_string(&j, "hypervisor", hv);
		xvm_json_end_object(&j);
		xvm_json_finish(&j);
		fputs(xvm_buf_str(&b), ctx->out);
		xvm_buf_release(&b);
		return 0;
	}
	fprintf(ctx->out, "Compiled against library: libvirt %s\n"
	    "Using library: libvirt %s\nUsing API: %s\n"
	    "Running hypervisor: %s\n", XVM_VIRSH_COMPAT_VERSION,
	    XVM_VIRSH_COMPAT_VERSION, api, hv);
	/* no daemon between us and the hypervisor: the library answers */
	if (xvm_args_has(args, "daemon"))
		fprintf(ctx->out, "Running against daemon: %s\n",
		    XVM_VIRSH_COMPAT_VERSION);
	return 0;
}

int
virsh_cmd_nodeinfo(struct xvm_ctx *ctx, const struct xvm_args *args)
{
	struct xvm_conn *c = virsh_conn(ctx);
	struct xvm_hostinfo hi;
	struct xvm_buf b = XVM_BUF_INIT;
	unsigned per = 1, sockets;
	const char *model;

	if (c == NULL || xvm_host_info(c, &hi, &ctx->err) < 0)
		return -1;
	model = xvm_conn_is_test(c) ? "i686" : hi.machine;
	if (hi.cores_per_socket && hi.threads_per_core && hi.nr_nodes)
		per = hi.cores_per_socket * hi.threads_per_core * hi.nr_nodes;
	/* libvirt's sockets are per NUMA node */
	sockets = hi.nr_cpus / per ? hi.nr_cpus / per : 1;
	if (args->json) {
		struct xvm_json j;

		xvm_json_init(&j, &b);
		xvm_json_begin_object(&j, NULL);
		xvm_json_string(&j, "cpu_model", model);
		xvm_json_uint(&j, "cpus", hi.nr_cpus);
		xvm_json_uint(&j, "mhz", hi.cpu_khz / 1000);
		xvm_json_uint(&j, "sockets", sockets);
		xvm_json_uint(&j, "cores_per_socket", hi.cores_per_socket);
		xvm_json_uint(&j, "threads_per_core", hi.threads_per_core);
		xvm_json_uint(&j, "numa_cells", hi.nr_nodes);
		xvm_json_uint(&j, "memory_kib", hi.total_mib * 1024);
		xvm_json_end_object(&j);
		xvm_json_finish(&j);
	} else {
		xvm_field(&b, 21, "CPU model:", "%s", model);
		xvm_field(&b, 21, "CPU(s):", "%u", hi.nr_cpus);
		xvm_field(&b, 21, "CPU frequency:", "%u MHz",
		    hi.cpu_khz / 1000);
		xvm_field(&b, 21, "CPU socket(s):", "%u", sockets);
		xvm_field(&b, 21, "Core(s) per socket:", "%u",
		    hi.cores_per_socket);
		xvm_field(&b, 21, "Thread(s) per core:", "%u",
		    hi.threads_per_core);
		xvm_field(&b, 21, "NUMA cell(s):", "%u", hi.nr_nodes);
		xvm_field(&b, 21, "Memory size:", "%llu KiB",
		    hi.total_mib * 1024);
	}
	fputs(xvm_buf_str(&b), ctx->out);
	xvm_buf_release(&b);
	return 0;
}

/* The text, edited in $VISUAL or $EDITOR (vi) from a temporary file. */
int
virsh_edit_text(struct xvm_ctx *ctx, const char *text, char **out_r)
{
	char tmpl[] = "/tmp/virshXXXXXX.xml";
	const char *ed = getenv("VISUAL");
	char *cmd;
	int fd = mkstemps(tmpl, 4), status = 0;
	size_t len;
	pid_t pid;

	*out_r = NULL;
	if (fd < 0)
		return xvm_err_sys(&ctx->err, errno, "cannot create a "
		    "temporary file");
	if (text && write(fd, text, strlen(text)) < 0) {
		close(fd);
		unlink(tmpl);
		return xvm_err_sys(&ctx->err, errno, "cannot write '%s'",
		    tmpl);
	}
	close(fd);
	if (!ed || !*ed)
		ed = getenv("EDITOR");
	if (!ed || !*ed)
		ed = "vi";
	fflush(ctx->out);
	/* as virsh: the editor's words, then the file, through the shell */
	cmd = xvm_asprintf("%s %s", ed, tmpl);
	if ((pid = fork()) == 0) {
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0) {
		xvm_err_set(&ctx->err, XVM_ERR_INTERNAL, "Child process (sh -c "
		    "'%s') unexpected exit status %d", cmd, pid > 0 &&
		    WIFEXITED(status) ? WEXITSTATUS(status) : -1);
		free(cmd);
		unlink(tmpl);
		return -1;
	}
	free(cmd);
	if (xvm_file_read(tmpl, 1024 * 1024, out_r, &len, &ctx->err) < 0) {
		unlink(tmpl);
		return -1;
	}
	unlink(tmpl);
	while (len > 0 && ((*out_r)[len - 1] == '\n'))
		(*out_r)[--len] = '\0';
	return 0;
}


/*
 * freecell: the host's free memory, as a whole or by NUMA cell (Xen's
 * numainfo; on test:///default, the test driver's figures).
 */
int
virsh_cmd_freecell(struct xvm_ctx *ctx, const struct xvm_args *args)
{
	struct xvm_conn *c;
	struct xvm_hostinfo hi;
	struct xvm_cell_mem *cells = NULL;
	bool all = xvm_args_has(args, "all");
	unsigned long long total = 0;
	unsigned cell = 0, ncells = 0, i, pick = 0;
	int has, sgn = 0;

	/* virsh takes any int; the API refuses a negative one */
	if ((has = xvm_args_int(ctx, args, "cellno", &sgn)) < 0)
		return -1;
	if (has && sgn < 0)
		return xvm_err_set(&ctx->err, XVM_ERR_USAGE, "startCell "
		    "in virNodeGetCellsFreeMemory must be zero or greater");
	cell = (unsigned)sgn;
	if (all && has)
		return xvm_err_set(&ctx->err, XVM_ERR_USAGE, "Options --all "
		    "and --cellno are mutually exclusive");
	if ((c = virsh_conn(ctx)) == NULL ||
	    xvm_host_info(c, &hi, &ctx->err) < 0 ||
	    xvm_host_cells(c, &cells, &ncells, &ctx->err) < 0)
		return -1;
	if (has) {
		for (pick = 0; pick < ncells && cells[pick].id != cell; pick++)
			;
		if (pick == ncells) {
			free(cells);
			return xvm_err_set(&ctx->err, XVM_ERR_INVALID_ARG,
			    "Range exceeds available cells");
		}
	}
	if (all)
		for (i = 0; i < ncells; i++)
			total += cells[i].free_kib;
	else if (xvm_conn_is_test(c))
		total = 3072;		/* what the test driver answers */
	else
		total = hi.free_kib;
	if (args->json) {
		fprintf(ctx->out, "{\n  \"cells\": [");
		for (i = 0; i < ncells; i++)
			if (!has || i == pick)
				fprintf(ctx->out, "%s\n    { \"cell\": %u, "
				    "\"free_kib\": %llu }", i && !has ? "," : "",
				    cells[i].id, cells[i].free_kib);
		fprintf(ctx->out, "\n  ],\n  \"total_kib\": %llu\n}\n",
		    has ? cells[pick].free_kib : total);
	} else if (all) {
		for (i = 0; i < ncells; i++)
			fprintf(ctx->out, "%5u: %10llu KiB\n", cells[i].id,
			    cells[i].free_kib);
		fprintf(ctx->out, "--------------------\n%-5s: %10llu KiB\n",
		    "Total", total);
	} else if (has) {
		fprintf(ctx->out, "%u: %llu KiB\n", cell, cells[pick].free_kib);
	} else {
		fprintf(ctx->out, "Total: %llu KiB\n", total);
	}
	free(cells);
	return 0;
}

/* One line of /sys/class/dmi/id, or NULL. */
static char *
dmi(const char *name)
{
	char path[4096], *data = NULL;
	struct xvm_err err = { 0 };
	size_t len;
	const char *dir = getenv("XVM_DMI_DIR");

	snprintf(path, sizeof(path), "%s/%s", dir && *dir ? dir :
	    "/sys/class/dmi/id", name);
	if (xvm_file_read(path, 4096, &data, &len, &err) < 0)
		return NULL;
	while (len > 0 && (data[len - 1] == '\n' || data[len - 1] == ' '))
		data[--len] = '\0';
	if (len == 0) {
		free(data);
		return NULL;
	}
	return data;
}

static void
xml_text(struct xvm_buf *b, const char *s)
{
	for (; *s; s++)
		switch (*s) {
		case '<': xvm_buf_puts(b, "&lt;"); break;
		case '>': xvm_buf_puts(b, "&gt;"); break;
		case '&': xvm_buf_puts(b, "&amp;"); break;
		default: xvm_buf_putc(b, *s);
		}
}

/* capabilities: what the host and its hypervisor offer guests */
int
virsh_cmd_capabilities(struct xvm_ctx *ctx, const struct xvm_args *args)
{
	struct xvm_conn *c = virsh_conn(ctx);
	char *xml;

	(void)args;
	if (c == NULL || xvm_host_capabilities(c, &xml, &ctx->err) < 0)
		return -1;
	/* virsh ends the document with a newline of its own */
	fprintf(ctx->out, "%s\n", xml);
	free(xml);
	return 0;
}

/*
 * sysinfo: the host's SMBIOS tables (BIOS and system) as libvirt writes
 * them, from the kernel's copy in /sys/class/dmi/id; on test:///default,
 * the test driver's machine.
 */
int
virsh_cmd_sysinfo(struct xvm_ctx *ctx, const struct xvm_args *args)
{
	static const char *const bios[][2] = {
		{ "vendor", "bios_vendor" }, { "version", "bios_version" },
		{ "date", "bios_date" }, { "release", "bios_release" },
	};
	static const char *const sys[][2] = {
		{ "manufacturer", "sys_vendor" }, { "product", "product_name" },
		{ "version", "product_version" }, { "serial", "product_serial" },
		{ "uuid", "product_uuid" }, { "sku", "product_sku" },
		{ "family", "product_family" },
	};
	struct xvm_conn *c = virsh_conn(ctx);
	struct xvm_buf b = XVM_BUF_INIT;
	size_t i, any = 0;

	(void)args;
	if (c == NULL)
		return -1;
	xvm_buf_puts(&b, "<sysinfo type='smbios'>\n");
	if (xvm_conn_is_test(c)) {
		xvm_buf_puts(&b, "  <bios>\n"
		    "    <entry name='vendor'>LENOVO</entry>\n"
		    "    <entry name='version'>G4ETA1WW (2.61 )</entry>\n"
		    "    <entry name='date'>05/07/2014</entry>\n"
		    "    <entry name='release'>2.61</entry>\n"
		    "  </bios>\n");
		any = 1;
	} else {
		const char *const (*tab)[2];
		size_t n, k;

		for (k = 0; k < 2; k++) {
			struct xvm_buf part = XVM_BUF_INIT;
			size_t got = 0;

			tab = k == 0 ? bios : sys;
			n = k == 0 ? sizeof(bios) / sizeof(bios[0]) :
			    sizeof(sys) / sizeof(sys[0]);
			for (i = 0; i < n; i++) {
				char *v = dmi(tab[i][1]);

				if (v == NULL)
					continue;
				xvm_buf_printf(&part, "    <entry name='%s'>",
				    tab[i][0]);
				xml_text(&part, v);
				xvm_buf_puts(&part, "</entry>\n");
				free(v);
				got++;
			}
			if (got)
				xvm_buf_printf(&b, "  <%s>\n%s  </%s>\n",
				    k == 0 ? "bios" : "system",
				    xvm_buf_str(&part), k == 0 ? "bios" :
				    "system");
			any += got;
			xvm_buf_release(&part);
		}
	}
	xvm_buf_puts(&b, "</sysinfo>\n");
	if (!any) {
		xvm_buf_release(&b);
		return xvm_err_set(&ctx->err, XVM_ERR_INTERNAL, "Host SMBIOS "
		    "information is not available");
	}
	fputs(xvm_buf_str(&b), ctx->out);
	xvm_buf_release(&b);
	return 0;
}

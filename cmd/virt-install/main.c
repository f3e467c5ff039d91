/*
 * main.c - virt-install: argparse-style options (abbreviations, "usage:" +
 * "virt-install: error: ..." with exit 2), "ERROR    ..." for failures
 * (exit 1), "WARNING  ..." for warnings.
 *
 * Options come in the Sun xVM guide's spellings (-n, -r/--ram, -f/--file,
 * -s/--file-size, -p/--paravirt, -v/--hvm, --vnc, -m/--mac, -b/--bridge,
 * ...) and in today's (--name, --memory, --disk, --network, --graphics,
 * --boot); both fill one request (lib/install), whose plan is the install
 * phase and the final domain.
 *
 * This step installs from --import and prints the plan (--print-xml,
 * --dry-run) for --cdrom; install media (-l/--location with -x and
 * --autocf, the install run of --cdrom) come with lib/media.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <readline/readline.h>

#include "xvm/cli.h"
#include "xvm/domxml.h"
#include "xvm/file.h"
#include "xvm/install.h"
#include "xvm/media.h"
#include "xvm/size.h"
#include "xvm/toolstack.h"
#include "xvm/version.h"
#include "xvm/xenconfig.h"

static int vi_main(struct xvm_ctx *ctx, const struct xvm_args *args);

#define S XVM_OPT_STRING
#define B XVM_OPT_BOOL
#define M XVM_OPT_MULTI
#define H XVM_OPT_HIDDEN

static const struct xvm_opt vi_opts[] = {
	{ "help", 'h', B, 0, "show this help message and exit", NULL, NULL,
	  0, 0 },
	{ "version", 0, B, 0, "show program's version number and exit", NULL,
	  NULL, 0, 0 },
	{ "connect", 0, S, 0, "Connect to hypervisor with libvirt URI",
	  "URI", NULL, 0, 0 },
	/* General Options */
	{ "name", 'n', S, 0, "Name of the guest instance", "NAME", NULL, 0,
	  0 },
	{ "memory", 0, S, 0, "Configure guest memory allocation. Ex:\n"
	  "--memory 1024 (in MiB)\n--memory memory=1024,currentMemory=512",
	  "MEMORY", NULL, 0, 0 },
	{ "ram", 'r', S, H, "Memory to allocate for guest instance in MiB",
	  "RAM", NULL, 0, 0 },
	{ "vcpus", 0, S, 0, "Number of vCPUs to configure for your guest. "
	  "Ex:\n--vcpus 5\n--vcpus 5,maxvcpus=10,cpuset=1-4,6,8", "VCPUS",
	  NULL, 0, 0 },
	{ "check-cpu", 0, B, H, "Refuse more vCPUs than the host has CPUs",
	  NULL, NULL, 0, 0 },
	{ "uuid", 'u', S, H, "UUID for the guest", "UUID", NULL, 0, 0 },
	/* Installation Method Options */
	{ "cdrom", 0, S, 0, "CD-ROM installation media", "CDROM", NULL, 0, 0 },
	{ "location", 'l', S, 0, "Distro install URL, eg. https://host/path. "
	  "See man page for specific distro examples.", "LOCATION", NULL, 0,
	  0 },
	{ "import", 0, B, 0, "Build guest around an existing disk image",
	  NULL, NULL, 0, 0 },
	{ "extra-args", 'x', S, 0, "Additional arguments to pass to the "
	  "install kernel booted from --location", "EXTRA_ARGS", NULL, 0, 0 },
	{ "autocf", 0, S, 0, "JumpStart or kickstart profile for the "
	  "installer booted from --location", "AUTOCF", NULL, 0, 0 },
	{ "insecure", 0, B, 0, "Do not verify the certificate of an https "
	  "--location", NULL, NULL, 0, 0 },
	{ "boot", 0, S, 0, "Configure guest boot settings. Ex:\n"
	  "--boot hd,cdrom\n--boot kernel=KERNEL,initrd=INITRD,"
	  "kernel_args=ARGS", "BOOT", NULL, 0, 0 },
	/* OS options */
	/* OS options */
	{ "os-variant", 0, S, 0, "The OS being installed in the guest.\n"
	  "This is used for deciding optimal defaults.\nExample values: "
	  "solaris11, debian12, winxp, ...\nUse '--osinfo list' to see a "
	  "full list.", "OS_VARIANT", NULL, 0, 0 },
	{ "osinfo", 0, S, H, "The OS being installed in the guest.",
	  "OS_VARIANT", NULL, 0, 0 },
	{ "os-type", 0, S, H, "The OS type being installed: solaris, "
	  "linux, windows, ...", "OS_TYPE", NULL, 0, 0 },
	/* Device Options */
	{ "disk", 0, S, M, "Specify storage with various options. Ex.\n"
	  "--disk path=/my/disk.img,size=10 (new 10GiB image)\n"
	  "--disk /my/existing/disk\n--disk /my/image.iso,device=cdrom",
	  "DISK", NULL, 0, 0 },
	{ "file", 'f', S, M | H, "File to use as the disk image", "DISK_PATH",
	  NULL, 0, 0 },
	{ "file-size", 's', S, M | H, "Size of the disk image in GiB",
	  "DISK_SIZE", NULL, 0, 0 },
	{ "nonsparse", 0, B, H, "Allocate all of the disk images' space",
	  NULL, NULL, 0, 0 },
	{ "network", 'w', S, M, "Configure a guest network interface. Ex:\n"
	  "--network bridge=mybr0\n--network network=my_libvirt_virtual_net\n"
	  "--network bridge=xenbr0,model=e1000,mac=00:16:3e:...\n"
	  "--network none", "NETWORK", NULL, 0, 0 },
	{ "bridge", 'b', S, M | H, "Bridge to connect a guest NIC to",
	  "BRIDGE", NULL, 0, 0 },
	{ "mac", 'm', S, M | H, "MAC address of a guest NIC", "MAC", NULL, 0,
	  0 },
	{ "graphics", 0, S, 0, "Configure guest display settings. Ex:\n"
	  "--graphics vnc,port=5901,listen=0.0.0.0\n--graphics none",
	  "GRAPHICS", NULL, 0, 0 },
	{ "vnc", 0, B, H, "Use VNC for graphics support", NULL, NULL, 0, 0 },
	{ "vncport", 0, S, H, "Port to use for VNC", "VNCPORT", NULL, 0, 0 },
	{ "vnclisten", 0, S, H, "Address to listen on for VNC connections",
	  "VNCLISTEN", NULL, 0, 0 },
	{ "sdl", 0, B, H, "Use SDL for graphics support", NULL, NULL, 0, 0 },
	{ "nographics", 0, B, H, "Don't set up a graphical console for the "
	  "guest", NULL, NULL, 0, 0 },
	{ "keymap", 'k', S, H, "Set up keymap for the graphical console",
	  "KEYMAP", NULL, 0, 0 },
	/* Virtualization Platform Options */
	{ "hvm", 'v', B, 0, "This guest should be a fully virtualized guest",
	  NULL, NULL, 0, 0 },
	{ "paravirt", 'p', B, 0, "This guest should be a paravirtualized "
	  "guest", NULL, NULL, 0, 0 },
	{ "arch", 0, S, 0, "The CPU architecture to simulate", "ARCH", NULL,
	  0, 0 },
	{ "noacpi", 0, B, H, "Disables ACPI for fully virtualized guest",
	  NULL, NULL, 0, 0 },
	{ "noapic", 0, B, H, "Disables APIC for fully virtualized guest",
	  NULL, NULL, 0, 0 },
	{ "accelerate", 0, B, H, "Use hardware-assisted virtualization: "
	  "Xen's HVM guests always are", NULL, NULL, 0, 0 },
	/* Miscellaneous Options */
	{ "noautoconsole", 0, B, 0, "Don't automatically try to connect to "
	  "the guest console", NULL, NULL, 0, 0 },
	{ "noconsole", 0, B, H, "Don't automatically try to connect to the "
	  "guest console", NULL, NULL, 0, 0 },
	{ "wait", 0, S, XVM_OPT_OPTVAL, "Minutes to wait for install to "
	  "complete.", "WAIT", NULL, 0, 0 },
	{ "noreboot", 0, B, 0, "Don't boot guest after completing install.",
	  NULL, NULL, 0, 0 },
	{ "print-xml", 0, S, XVM_OPT_OPTVAL, "Print the generated domain XML "
	  "rather than create the guest.", "XMLONLY", NULL, 0, 0 },
	{ "dry-run", 0, B, 0, "Run through install process, but do not "
	  "create devices or define the guest.", NULL, NULL, 0, 0 },
	{ "quiet", 'q', B, 0, "Suppress non-error output", NULL, NULL, 0, 0 },
	{ "debug", 'd', B, 0, "Print debugging information", NULL, NULL, 0,
	  0 },
	{ NULL, 0, 0, 0, NULL, NULL, NULL, 0, 0 },
};

#undef S
#undef B
#undef M
#undef H

static const struct xvm_section vi_sections[] = {
	{ "General Options", "name" },
	{ "Installation Method Options", "cdrom" },
	{ "OS options", "os-variant" },
	{ "Device Options", "disk" },
	{ "Virtualization Platform Options", "hvm" },
	{ "Miscellaneous Options", "noautoconsole" },
	{ NULL, NULL },
};

static const struct xvm_cmd vi_cmds[] = {
	{ "virt-install", vi_main, vi_opts,
	  "Create a new virtual machine from specified install media.",
	  NULL, NULL, XVM_CMD_NOCONNECT },
	{ NULL, NULL, NULL, NULL, NULL, NULL, 0 },
};

static const struct xvm_tool vi_tool = {
	"virt-install", XVM_STYLE_ARGPARSE, vi_cmds, NULL, NULL,
	"Create a new virtual machine from specified install media.", NULL,
	"virt-install --name NAME --memory MB STORAGE INSTALL [options]",
	"See man page for examples and full option syntax.\n", vi_sections,
};

/* ---- messages ------------------------------------------------------------ */

static void
vi_warn(struct xvm_ctx *ctx, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
vi_warn(struct xvm_ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	fflush(ctx->out);
	fputs("WARNING  ", ctx->errout);
	va_start(ap, fmt);
	vfprintf(ctx->errout, fmt, ap);
	va_end(ap);
	fputc('\n', ctx->errout);
}

/* -d: what virt-install does, step by step, on stderr */
static bool debugging;

static void dbg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void
dbg(const char *fmt, ...)
{
	char when[64];
	time_t now = time(NULL);
	va_list ap;

	if (!debugging)
		return;
	fflush(stdout);
	strftime(when, sizeof(when), "%a, %d %b %Y %H:%M:%S",
	    localtime(&now));
	fprintf(stderr, "[%s virt-install %d] DEBUG ", when, (int)getpid());
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* ---- sub-options: "a,k=v,k=v" --------------------------------------------- */

struct kv {
	char *key, *val;
};

struct kvlist {
	struct kv *v;
	size_t n;
};

static void
kv_release(struct kvlist *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->v[i].key);
		free(l->v[i].val);
	}
	free(l->v);
	memset(l, 0, sizeof(*l));
}

/*
 * virt-install's grammar: comma-separated key=value pairs, a first bare
 * value under first_key, and a bare item after a pair continuing that
 * pair's value (cpuset=1-4,6,8).
 */
static void
kv_parse(const char *text, const char *first_key, struct kvlist *l)
{
	char *s = xvm_strdup(text), *tok, *save = NULL, *eq;

	memset(l, 0, sizeof(*l));
	for (tok = strtok_r(s, ",", &save); tok;
	    tok = strtok_r(NULL, ",", &save)) {
		eq = strchr(tok, '=');
		if (!eq && l->n > 0 && l->v[l->n - 1].val &&
		    (l->n > 1 || strcmp(l->v[0].key, first_key) != 0)) {
			char *j = xvm_asprintf("%s,%s", l->v[l->n - 1].val,
			    tok);

			free(l->v[l->n - 1].val);
			l->v[l->n - 1].val = j;
			continue;
		}
		l->v = xvm_realloc(l->v, (l->n + 1) * sizeof(*l->v));
		if (eq) {
			l->v[l->n].key = xvm_strndup(tok, (size_t)(eq - tok));
			l->v[l->n].val = xvm_strdup(eq + 1);
		} else {
			l->v[l->n].key = xvm_strdup(l->n == 0 ? first_key :
			    tok);
			l->v[l->n].val = l->n == 0 ? xvm_strdup(tok) : NULL;
		}
		l->n++;
	}
	free(s);
}

/* a string option's value; the last one given counts */
static void
set(char **dst, const char *v)
{
	free(*dst);
	*dst = xvm_strdup(v);
}

static int
bad_sub(struct xvm_err *err, const char *opt, const char *text,
    const char *key)
{
	return xvm_err_set(err, XVM_ERR_INVALID_ARG, "Unknown %s options: "
	    "['%s'] (in '%s')", opt, key, text);
}

static int
parse_uint(const char *opt, const char *what, const char *v, unsigned *out,
    struct xvm_err *err)
{
	char *end;
	unsigned long n;

	errno = 0;
	n = v ? strtoul(v, &end, 10) : 0;
	if (!v || !*v || *end || errno || n == 0 || n > 4096 ||
	    !isdigit((unsigned char)v[0]))
		return xvm_err_set(err, XVM_ERR_INVALID_ARG, "%s: %s '%s' is "
		    "not a number from 1 to 4096", opt, what, v ? v : "");
	*out = (unsigned)n;
	return 0;
}

static int
parse_mib(const char *opt, const char *v, unsigned long long *out,
    struct xvm_err *err)
{
	unsigned long long bytes;

	if (!v || xvm_size_parse(v, 1024 * 1024, 1ull << 50, &bytes,
	    err) < 0 || bytes < 1024 * 1024)
		return xvm_err_set(err, XVM_ERR_INVALID_ARG, "%s: '%s' is not "
		    "an amount of memory in MiB", opt, v ? v : "");
	*out = bytes / (1024 * 1024);
	return 0;
}

/* "10", "1.5": GiB; as virt-install's size= */
static int
parse_gib(const char *opt, const char *v, unsigned long long *out,
    struct xvm_err *err)
{
	char *end;
	double g;

	errno = 0;
	g = v ? strtod(v, &end) : 0;
	if (!v || !*v || *end || errno || !(g > 0) || g > 1048576)
		return xvm_err_set(err, XVM_ERR_INVALID_ARG, "%s: size '%s' "
		    "is not a number of GiB", opt, v ? v : "");
	*out = (unsigned long long)(g * 1024 * 1024 * 1024);
	*out &= ~511ull;	/* whole sectors */
	return 0;
}

static int
parse_tri(const char *opt, const char *key, const char *v,
    enum xvm_tristate *out, struct xvm_err *err)
{
	if (v && (!strcmp(v, "yes") || !strcmp(v, "on") || !strcmp(v, "1") ||
	    !strcmp(v, "true")))
		*out = XVM_TRI_YES;
	else if (v && (!strcmp(v, "no") || !strcmp(v, "off") ||
	    !strcmp(v, "0") || !strcmp(v, "false")))
		*out = XVM_TRI_NO;
	else
		return xvm_err_set(err, XVM_ERR_INVALID_ARG, "%s: %s='%s' is "
		    "not yes or no", opt, key, v ? v : "");
	return 0;
}

/* ---- the request ------------------------------------------------------------- */

/*
 * Each key=value of a sub-option list through fn: 0 taken, -1 a bad value
 * (err set), 1 a key fn does not know (then virt-install's message).
 */
typedef int sub_fn(const char *k, const char *v, void *arg,
    struct xvm_err *err);

static int
each_sub(const char *text, const char *first_key, const char *opt,
    sub_fn *fn, void *arg, struct xvm_err *err)
{
	struct kvlist l;
	size_t i;
	int r = 0;

	kv_parse(text, first_key, &l);
	for (i = 0; i < l.n && r == 0; i++)
		if ((r = fn(l.v[i].key, l.v[i].val, arg, err)) > 0)
			r = bad_sub(err, opt, text, l.v[i].key);
	kv_release(&l);
	return r < 0 ? -1 : 0;
}

static int
disk_sub(const char *k, const char *v, void *arg, struct xvm_err *err)
{
	static const struct {
		const char *n;
		enum xvm_disk_bus b;
	} buses[] = { { "xen", XVM_BUS_XEN }, { "ide", XVM_BUS_IDE },
	    { "scsi", XVM_BUS_SCSI }, { "sata", XVM_BUS_SATA },
	    { "usb", XVM_BUS_USB }, { "virtio", XVM_BUS_VIRTIO } };
	struct xvm_inst_disk *d = arg;
	enum xvm_tristate t = XVM_TRI_YES;
	size_t j;

	if (!strcmp(k, "path") && v) {
		set(&d->path, v);
	} else if (!strcmp(k, "size")) {
		if (parse_gib("--disk", v, &d->size_bytes, err) < 0)
			return -1;
		d->has_size = true;
	} else if (!strcmp(k, "sparse")) {
		return parse_tri("--disk", k, v, &d->sparse, err);
	} else if (!strcmp(k, "format") && v) {
		set(&d->format, v);
	} else if (!strcmp(k, "bus") && v) {
		for (j = 0; j < XVM_ARRAY_SIZE(buses); j++)
			if (!strcmp(v, buses[j].n))
				d->bus = buses[j].b;
		if (!d->bus)
			return xvm_err_set(err, XVM_ERR_INVALID_ARG, "--disk: "
			    "unknown bus '%s' (xen, ide, scsi, sata, usb or "
			    "virtio)", v);
	} else if (!strcmp(k, "device") && v) {
		if (!strcmp(v, "disk"))
			d->device = XVM_DEV_DISK;
		else if (!strcmp(v, "cdrom"))
			d->device = XVM_DEV_CDROM;
		else if (!strcmp(v, "floppy"))
			d->device = XVM_DEV_FLOPPY;
		else
			return xvm_err_set(err, XVM_ERR_INVALID_ARG, "--disk: "
			    "unknown device '%s' (disk, cdrom or floppy)", v);
	} else if (!strcmp(k, "readonly") || !strcmp(k, "shareable")) {
		if (v && parse_tri("--disk", k, v, &t, err) < 0)
			return -1;
		if (k[0] == 'r')
			d->readonly = t == XVM_TRI_YES;
		else
			d->shareable = t == XVM_TRI_YES;
	} else {
		return 1;
	}
	return 0;
}

static int
req_disk(struct xvm_inst_req *r, const char *text, bool nonsparse,
    struct xvm_err *err)
{
	struct xvm_inst_disk *d;

	if (strcmp(text, "none") == 0 || strcmp(text, "path=none") == 0) {
		r->nodisk = true;
		return 0;
	}
	d = xvm_inst_req_add_disk(r);
	d->sparse = nonsparse ? XVM_TRI_NO : XVM_TRI_DEFAULT;
	return each_sub(text, "path", "--disk", disk_sub, d, err);
}

static int
network_sub(const char *k, const char *v, void *arg, struct xvm_err *err)
{
	struct xvm_inst_nic *n = arg;

	(void)err;
	if (!strcmp(k, "type") && v && !strcmp(v, "none")) {
		n->none = true;
	} else if (!strcmp(k, "type") && v && !strcmp(v, "user")) {
		n->type = XVM_NET_USER;
	} else if ((!strcmp(k, "bridge") || !strcmp(k, "network")) && v) {
		n->type = k[0] == 'b' ? XVM_NET_BRIDGE : XVM_NET_NETWORK;
		set(&n->source, v);
	} else if (!strcmp(k, "type") && v && (!strcmp(v, "bridge") ||
	    !strcmp(v, "network"))) {
		n->type = v[0] == 'b' ? XVM_NET_BRIDGE : XVM_NET_NETWORK;
	} else if (!strcmp(k, "mac") && v) {
		set(&n->mac, v);
	} else if (!strcmp(k, "model") && v) {
		set(&n->model, v);
	} else {
		return 1;
	}
	return 0;
}

static int
req_network(struct xvm_inst_req *r, const char *text, struct xvm_err *err)
{
	struct xvm_inst_nic *n = xvm_inst_req_add_nic(r);

	n->type = XVM_NET_BRIDGE;
	return each_sub(text, "type", "--network", network_sub, n, err);
}

static int
graphics_sub(const char *k, const char *v, void *arg, struct xvm_err *err)
{
	struct xvm_inst_graphics *g = arg;
	char *end;
	long port;

	if (!strcmp(k, "type") && v) {
		if (!strcmp(v, "none"))
			g->none = true;
		else if (!strcmp(v, "vnc"))
			g->type = XVM_GFX_VNC;
		else if (!strcmp(v, "sdl"))
			g->type = XVM_GFX_SDL;
		else if (!strcmp(v, "spice"))
			g->type = XVM_GFX_SPICE;
		else
			return xvm_err_set(err, XVM_ERR_INVALID_ARG, "Unknown "
			    "graphics type '%s' (vnc, sdl, spice or none)", v);
	} else if (!strcmp(k, "port") && v) {
		port = strtol(v, &end, 10);
		if (*end || !*v || port < -1 || port > 65535)
			return xvm_err_set(err, XVM_ERR_INVALID_ARG,
			    "--graphics: port '%s' is not a TCP port", v);
		g->port = (int)port;
	} else if (!strcmp(k, "listen") && v) {
		set(&g->listen, v);
	} else if (!strcmp(k, "keymap") && v) {
		set(&g->keymap, v);
	} else if (!strcmp(k, "password") && v) {
		set(&g->passwd, v);
	} else {
		return 1;
	}
	return 0;
}

static int
req_graphics(struct xvm_inst_req *r, const char *text, struct xvm_err *err)
{
	r->gfx.given = true;
	return each_sub(text, "type", "--graphics", graphics_sub, &r->gfx,
	    err);
}

static int
boot_sub(const char *k, const char *v, void *arg, struct xvm_err *err)
{
	struct xvm_inst_req *r = arg;
	const char *dev = v && !*k ? v : !v ? k : NULL;
	enum xvm_boot_dev b;

	if (dev) {
		b = !strcmp(dev, "hd") ? XVM_BOOT_HD : !strcmp(dev, "cdrom") ?
		    XVM_BOOT_CDROM : !strcmp(dev, "network") ?
		    XVM_BOOT_NETWORK : !strcmp(dev, "fd") ? XVM_BOOT_FD :
		    XVM_BOOT_NONE;
		if (b == XVM_BOOT_NONE || r->nboot == 4)
			return xvm_err_set(err, XVM_ERR_INVALID_ARG, "--boot: "
			    "'%s' is not a boot device (hd, cdrom, network, "
			    "fd)", dev);
		r->boot[r->nboot++] = b;
	} else if (!strcmp(k, "kernel")) {
		set(&r->boot_kernel, v);
	} else if (!strcmp(k, "initrd")) {
		set(&r->boot_initrd, v);
	} else if (!strcmp(k, "kernel_args") || !strcmp(k, "cmdline")) {
		set(&r->boot_args, v);
	} else {
		return 1;
	}
	return 0;
}

static int
req_boot(struct xvm_inst_req *r, const char *text, struct xvm_err *err)
{
	return each_sub(text, "", "--boot", boot_sub, r, err);
}

static int
memory_sub(const char *k, const char *v, void *arg, struct xvm_err *err)
{
	struct xvm_inst_req *r = arg;

	if (!strcmp(k, "memory") || !strcmp(k, "maxmemory"))
		return parse_mib("--memory", v, &r->memory_mib, err);
	if (!strcmp(k, "currentMemory"))
		return parse_mib("--memory", v, &r->current_mib, err);
	return 1;
}

static int
vcpus_sub(const char *k, const char *v, void *arg, struct xvm_err *err)
{
	struct xvm_inst_req *r = arg;

	if (!strcmp(k, "vcpus"))
		return parse_uint("--vcpus", "count", v, &r->vcpus, err);
	if (!strcmp(k, "maxvcpus"))
		return parse_uint("--vcpus", "maxvcpus", v, &r->maxvcpus, err);
	if (!strcmp(k, "cpuset") && v) {
		set(&r->cpuset, v);
		return 0;
	}
	return 1;
}

/* The old graphical options beside --graphics, as virt-install mixes them */
static int
req_old_graphics(struct xvm_ctx *ctx, const struct xvm_args *a,
    struct xvm_inst_req *r)
{
	bool vnc = xvm_args_has(a, "vnc"), sdl = xvm_args_has(a, "sdl");
	bool none = xvm_args_has(a, "nographics");
	bool gfx = xvm_args_has(a, "graphics");
	const char *port = xvm_args_get(a, "vncport");
	const char *listen = xvm_args_get(a, "vnclisten");
	const char *keymap = xvm_args_get(a, "keymap");

	if ((vnc || sdl || none || port || listen) && gfx)
		return xvm_err_set(&ctx->err, XVM_ERR_INVALID_ARG, "Cannot mix "
		    "--graphics and old style graphical options");
	if ((vnc || port || listen) + sdl + none > 1)
		return xvm_err_set(&ctx->err, XVM_ERR_INVALID_ARG, "Can't "
		    "specify more than one of VNC, SDL, --graphics or "
		    "--nographics");
	if (gfx && req_graphics(r, xvm_args_get(a, "graphics"),
	    &ctx->err) < 0)
		return -1;
	if (vnc || port || listen || sdl || none) {
		r->gfx.given = true;
		r->gfx.none = none;
		r->gfx.type = sdl ? XVM_GFX_SDL : XVM_GFX_VNC;
		if (port) {
			char *end;
			long p = strtol(port, &end, 10);

			if (*end || !*port || p < 0 || p > 65535)
				return xvm_err_set(&ctx->err,
				    XVM_ERR_INVALID_ARG, "--vncport '%s' is "
				    "not a TCP port", port);
			r->gfx.port = (int)p;
		}
		if (listen)
			r->gfx.listen = xvm_strdup(listen);
	}
	if (keymap) {
		set(&r->gfx.keymap, keymap);
	}
	return 0;
}

static int
build_request(struct xvm_ctx *ctx, const struct xvm_args *a,
    struct xvm_inst_req *r)
{
	struct xvm_strv v = XVM_STRV_INIT, sizes = XVM_STRV_INIT;
	struct xvm_err *err = &ctx->err;
	const char *s;
	size_t i;
	int methods, rc = -1;
	bool nonsparse = xvm_args_has(a, "nonsparse");

	memset(r, 0, sizeof(*r));
	r->gfx.port = -1;
	if ((s = xvm_args_get(a, "name")))
		r->name = xvm_strdup(s);
	if (xvm_args_has(a, "memory") && xvm_args_has(a, "ram"))
		return xvm_err_set(err, XVM_ERR_INVALID_ARG, "Cannot use "
		    "--memory and -r/--ram together");
	if ((s = xvm_args_get(a, "ram"))) {
		/* argparse's type=int */
		const char *p = s + (*s == '-' || *s == '+');

		if (!*p || strspn(p, "0123456789") != strlen(p))
			return xvm_err_set(err, XVM_ERR_USAGE, "argument "
			    "-r/--ram: invalid int value: '%s'", s);
		if (parse_mib("-r/--ram", s, &r->memory_mib, err) < 0)
			return -1;
	}
	if ((s = xvm_args_get(a, "memory")) &&
	    each_sub(s, "memory", "--memory", memory_sub, r, err) < 0)
		return -1;
	if ((s = xvm_args_get(a, "vcpus")) &&
	    each_sub(s, "vcpus", "--vcpus", vcpus_sub, r, err) < 0)
		return -1;
	if (xvm_args_has(a, "hvm") && xvm_args_has(a, "paravirt")) {
		/* argparse's mutually exclusive group */
		return xvm_err_set(err, XVM_ERR_USAGE, "argument -p/--paravirt:"
		    " not allowed with argument -v/--hvm");
	}
	r->virt = xvm_args_has(a, "hvm") ? XVM_VIRT_HVM :
	    xvm_args_has(a, "paravirt") ? XVM_VIRT_PV : XVM_VIRT_DEFAULT;
	if ((s = xvm_args_get(a, "arch")))
		r->arch = xvm_strdup(s);
	if ((s = xvm_args_get(a, "os-variant")) ||
	    (s = xvm_args_get(a, "osinfo")))
		r->os_variant = xvm_strdup(s);
	if ((s = xvm_args_get(a, "os-type")))
		r->os_type = xvm_strdup(s);
	if ((s = xvm_args_get(a, "uuid")))
		r->uuid = xvm_strdup(s);
	r->noacpi = xvm_args_has(a, "noacpi");
	r->noapic = xvm_args_has(a, "noapic");

	methods = xvm_args_has(a, "location") + xvm_args_has(a, "cdrom") +
	    xvm_args_has(a, "import");
	if (methods > 1)
		return xvm_err_set(err, XVM_ERR_INVALID_ARG, "Only one install "
		    "method can be used (--location URL, --cdrom CD/ISO, "
		    "--import)");
	if ((s = xvm_args_get(a, "location"))) {
		/* URL[,kernel=PATH,initrd=PATH]: the paths in the tree */
		const char *c = strstr(s, ",kernel="), *c2 = strstr(s,
		    ",initrd=");
		const char *end = c && (!c2 || c < c2) ? c : c2;

		r->method = XVM_INST_LOCATION;
		r->location = end ? xvm_strndup(s, (size_t)(end - s)) :
		    xvm_strdup(s);
		if (end) {
			struct kvlist l;

			kv_parse(end + 1, "kernel", &l);
			for (i = 0; i < l.n; i++) {
				if (!strcmp(l.v[i].key, "kernel") && l.v[i].val)
					set(&r->kernel, l.v[i].val);
				else if (!strcmp(l.v[i].key, "initrd") &&
				    l.v[i].val)
					set(&r->initrd, l.v[i].val);
				else
					bad_sub(err, "--location", s,
					    l.v[i].key);
			}
			kv_release(&l);
			if (err->code)
				return -1;
		}
	} else if ((s = xvm_args_get(a, "cdrom"))) {
		r->method = XVM_INST_CDROM;
		r->cdrom = xvm_strdup(s);
	} else if (xvm_args_has(a, "import")) {
		r->method = XVM_INST_IMPORT;
	}
	if ((s = xvm_args_get(a, "extra-args")))
		r->extra_args = xvm_strdup(s);
	if ((s = xvm_args_get(a, "autocf")))
		r->autocf = xvm_strdup(s);
	if ((s = xvm_args_get(a, "boot")) && req_boot(r, s, err) < 0)
		return -1;

	/* disks: --disk, and the guide's -f PATH with -s GiB in order */
	xvm_args_getv(a, "disk", &v);
	for (i = 0; i < v.n; i++)
		if (req_disk(r, v.v[i], nonsparse, err) < 0)
			goto out;
	xvm_strv_release(&v);
	xvm_args_getv(a, "file", &v);
	xvm_args_getv(a, "file-size", &sizes);
	if (sizes.n > v.n) {
		xvm_err_set(err, XVM_ERR_INVALID_ARG, "Need a -f/--file for "
		    "each -s/--file-size");
		goto out;
	}
	for (i = 0; i < v.n; i++) {
		struct xvm_inst_disk *d = xvm_inst_req_add_disk(r);

		d->path = xvm_strdup(v.v[i]);
		d->sparse = nonsparse ? XVM_TRI_NO : XVM_TRI_DEFAULT;
		if (i < sizes.n) {
			if (parse_gib("-s/--file-size", sizes.v[i],
			    &d->size_bytes, err) < 0)
				goto out;
			d->has_size = true;
		}
	}
	xvm_strv_release(&v);
	xvm_strv_release(&sizes);

	/* nics: --network, and the guide's -b BRIDGE / -m MAC in order */
	xvm_args_getv(a, "network", &v);
	for (i = 0; i < v.n; i++)
		if (req_network(r, v.v[i], err) < 0)
			goto out;
	xvm_strv_release(&v);
	{
		struct xvm_strv br = XVM_STRV_INIT, mac = XVM_STRV_INIT;
		size_t n;

		xvm_args_getv(a, "bridge", &br);
		xvm_args_getv(a, "mac", &mac);
		if ((br.n || mac.n) && xvm_args_has(a, "network")) {
			xvm_strv_release(&br);
			xvm_strv_release(&mac);
			xvm_err_set(err, XVM_ERR_INVALID_ARG, "Cannot mix both "
			    "--bridge/--mac and --network arguments");
			goto out;
		}
		n = br.n > mac.n ? br.n : mac.n;
		for (i = 0; i < n; i++) {
			struct xvm_inst_nic *nic = xvm_inst_req_add_nic(r);

			nic->type = XVM_NET_BRIDGE;
			if (i < br.n)
				nic->source = xvm_strdup(br.v[i]);
			if (i < mac.n)
				nic->mac = xvm_strdup(mac.v[i]);
		}
		xvm_strv_release(&br);
		xvm_strv_release(&mac);
	}
	if (req_old_graphics(ctx, a, r) < 0)
		goto out;
	rc = 0;
out:
	xvm_strv_release(&v);
	xvm_strv_release(&sizes);
	return rc;
}

/* ---- asking ---------------------------------------------------------------------- */

/* One answer, asked again until check takes it; NULL at the end of input. */
static char *
ask(struct xvm_ctx *ctx, const char *prompt,
    int (*check)(const char *answer, void *arg, struct xvm_err *err),
    void *arg)
{
	struct xvm_err err;
	char *line;

	for (;;) {
		fflush(ctx->out);
		if ((line = readline(prompt)) == NULL)
			return NULL;
		xvm_err_clear(&err);
		if (check(line, arg, &err) == 0)
			return line;
		fprintf(ctx->errout, "ERROR    %s\n", err.msg);
		free(line);
	}
}

static int
check_name(const char *a, void *arg, struct xvm_err *err)
{
	(void)arg;
	return xvm_inst_check_name(a, err);
}

static int
check_ram(const char *a, void *arg, struct xvm_err *err)
{
	unsigned long long *mib = arg;

	if (!*a || strspn(a, "0123456789") != strlen(a) || strlen(a) > 9 ||
	    (*mib = strtoull(a, NULL, 10)) == 0)
		return xvm_err_set(err, XVM_ERR_INVALID_ARG, "'%s' is not an "
		    "amount of memory in megabytes", a);
	return 0;
}

static int
check_path(const char *a, void *arg, struct xvm_err *err)
{
	(void)arg;
	if (a[0] != '/')
		return xvm_err_set(err, XVM_ERR_INVALID_ARG, "'%s' is not an "
		    "absolute path", a);
	return 0;
}

static int
check_gib(const char *a, void *arg, struct xvm_err *err)
{
	return parse_gib("the disk size", a, arg, err);
}

static int
check_location(const char *a, void *arg, struct xvm_err *err)
{
	(void)arg;
	if (!*a)
		return xvm_err_set(err, XVM_ERR_INVALID_ARG, "an install "
		    "location is needed");
	if (a[0] == '/' && access(a, R_OK) < 0)
		return xvm_err_sys(err, errno, "'%s'", a);
	if (a[0] != '/' && !strstr(a, "://") && strncmp(a, "nfs:", 4) != 0)
		return xvm_err_set(err, XVM_ERR_INVALID_ARG, "'%s' is neither a "
		    "path nor an http://, https://, ftp:// or nfs: location",
		    a);
	return 0;
}

/*
 * What the guide's interactive virt-install asked for when it was not
 * given: the name, the memory, a disk (path and, for a new one, size) and
 * the install location.  On a terminal each is asked for and checked;
 * otherwise each missing one is an error.
 */
static int
ask_missing(struct xvm_ctx *ctx, struct xvm_inst_req *r)
{
	bool tty = isatty(0) && isatty(1);
	struct xvm_strv missing = XVM_STRV_INIT;
	char *a, *q;
	size_t i;

	if (!r->name)
		xvm_strv_push(&missing, "--name is required");
	if (!r->memory_mib)
		xvm_strv_push(&missing, "--memory amount in MiB is required");
	if (!r->ndisks && !r->nodisk && r->method != XVM_INST_IMPORT)
		xvm_strv_push(&missing, "--disk storage must be specified "
		    "(override with --disk none)");
	if (r->method == XVM_INST_NONE)
		xvm_strv_push(&missing, "An install method must be specified "
		    "(--location URL, --cdrom CD/ISO, --import)");
	if (missing.n == 0)
		return 0;
	if (!tty) {
		fflush(ctx->out);
		for (i = 0; i + 1 < missing.n; i++)
			fprintf(ctx->errout, "ERROR    %s\n", missing.v[i]);
		xvm_err_set(&ctx->err, XVM_ERR_INVALID_ARG, "%s",
		    missing.v[missing.n - 1]);
		xvm_strv_release(&missing);
		return -1;
	}
	xvm_strv_release(&missing);
	if (!r->name) {
		if (!(a = ask(ctx, "What is the name of your virtual machine? ",
		    check_name, NULL)))
			goto eof;
		r->name = a;
	}
	if (!r->memory_mib) {
		if (!(a = ask(ctx, "How much RAM should be allocated (in "
		    "megabytes)? ", check_ram, &r->memory_mib)))
			goto eof;
		free(a);
	}
	if (!r->ndisks && !r->nodisk && r->method != XVM_INST_IMPORT) {
		struct xvm_inst_disk *d;

		if (!(a = ask(ctx, "What would you like to use as the disk "
		    "(file path)? ", check_path, NULL)))
			goto eof;
		d = xvm_inst_req_add_disk(r);
		d->path = a;
		if (access(a, F_OK) < 0) {
			q = xvm_asprintf("How large would you like the disk "
			    "(%s) to be (in gigabytes)? ", a);
			a = ask(ctx, q, check_gib, &d->size_bytes);
			free(q);
			if (!a)
				goto eof;
			free(a);
			d->has_size = true;
		}
	}
	if (r->method == XVM_INST_NONE) {
		struct stat st;

		if (!(a = ask(ctx, r->virt == XVM_VIRT_HVM ? "What is the "
		    "virtual CD image, CD device or install location? " :
		    "What is the install URL? ", check_location, NULL)))
			goto eof;
		/* an HVM guest boots an ISO image; the rest is a tree */
		if (r->virt == XVM_VIRT_HVM && stat(a, &st) == 0 &&
		    S_ISREG(st.st_mode)) {
			r->method = XVM_INST_CDROM;
			r->cdrom = a;
		} else {
			r->method = XVM_INST_LOCATION;
			r->location = a;
		}
	}
	return 0;
eof:
	return xvm_err_set(&ctx->err, XVM_ERR_INVALID_ARG, "no answer: the "
	    "input ended");
}

/* ---- the host ------------------------------------------------------------------ */

static int
host_facts(struct xvm_ctx *ctx, struct xvm_conn *c, struct xvm_inst_host *h)
{
	static struct xvm_hostinfo hi;
	const struct xvm_xen_caps *paths = xvm_xen_caps_test();

	memset(h, 0, sizeof(*h));
	if (xvm_host_info(c, &hi, &ctx->err) < 0)
		return -1;
	h->cpus = hi.nr_cpus;
	h->hvm_loader = paths->hvm_loader;
	h->emulator = paths->emulator;
	if (xvm_conn_is_test(c)) {
		/* libvirt's test driver: i686 guests, PV and HVM */
		h->virt_type = "test";
		h->arch = "i686";
		h->pv = h->hvm = true;
		return 0;
	}
	h->virt_type = "xen";
	h->arch = hi.machine[0] ? hi.machine : "x86_64";
	h->pv = strstr(hi.virt_caps, " pv") != NULL;
	h->hvm = strstr(hi.virt_caps, " hvm") != NULL;
	return 0;
}

/* ---- the run ------------------------------------------------------------------- */

static void
print_xml(struct xvm_ctx *ctx, const struct xvm_domain *d)
{
	struct xvm_buf b = XVM_BUF_INIT;

	xvm_domain_format_xml(d, 0, &b);
	fputs(xvm_buf_str(&b), ctx->out);
	xvm_buf_release(&b);
}

static const char *
base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

/* virt-install's meter line for a step that is over */
static void
meter(struct xvm_ctx *ctx, const char *label, unsigned long long bytes)
{
	char size[32];

	if (bytes >= 1ull << 30)
		snprintf(size, sizeof(size), "%.1f GB", bytes / 1073741824.0);
	else if (bytes >= 1ull << 20)
		snprintf(size, sizeof(size), "%.1f MB", bytes / 1048576.0);
	else
		snprintf(size, sizeof(size), "%llu B", bytes);
	fprintf(ctx->out, "%-60s| %7s  00:00:00\n", label, size);
}

/* ---- install media --------------------------------------------------------- */

/* Where fetched kernels wait for their domain: ~/.cache/xvm/boot */
static char *
boot_cache(struct xvm_err *err)
{
	const char *x = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
	char *dir;

	if (x && *x)
		dir = xvm_asprintf("%s/xvm/boot", x);
	else if (home && *home)
		dir = xvm_asprintf("%s/.cache/xvm/boot", home);
	else
		dir = xvm_strdup("/var/cache/xvm/boot");
	if (xvm_mkdir_p(dir, 0700, err) < 0) {
		free(dir);
		return NULL;
	}
	return dir;
}

struct meter_state {
	FILE *tty;		/* NULL: not a terminal, nothing shown */
	struct timespec t0;
};

static double
since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) +
	    (t.tv_nsec - t0->tv_nsec) / 1e9;
}

static void
human(char *buf, size_t size, double bytes)
{
	static const char *const units[] = { "B", "kB", "MB", "GB", "TB" };
	unsigned u = 0;

	while (bytes >= 1000 && u + 1 < XVM_ARRAY_SIZE(units)) {
		bytes /= 1000;
		u++;
	}
	snprintf(buf, size, u ? "%.1f %s" : "%.0f %s", bytes, units[u]);
}

/*
 * "Retrieving file vmlinuz...  42% |=====    | 4.1 MB/s | 9.7 MB 00:02 ETA"
 * redrawn on a terminal; the last state stays: size and time taken.
 */
static void
meter_cb(void *arg, const char *name, uint64_t done, uint64_t total)
{
	struct meter_state *m = arg;
	char label[64], size[32], rate[32];
	double t, r;

	if (!m->tty)
		return;
	if (done == 0)
		clock_gettime(CLOCK_MONOTONIC, &m->t0);
	t = since(&m->t0);
	r = t > 0 ? done / t : 0;
	snprintf(label, sizeof(label), "Retrieving file %s...", name);
	human(size, sizeof(size), (double)(total ? total : done));
	human(rate, sizeof(rate), r);
	if (total && done == total && done != 0) {
		fprintf(m->tty, "\r%-40s | %9s  %02d:%02d:%02d\n", label, size,
		    (int)t / 3600, (int)t / 60 % 60, (int)t % 60);
	} else if (total) {
		double eta = r > 0 ? (total - done) / r : 0;

		fprintf(m->tty, "\r%-40s %3d%% %9s/s | %9s %02d:%02d ETA ",
		    label, (int)(done * 100 / total), rate, size,
		    (int)eta / 60, (int)eta % 60);
	} else {
		fprintf(m->tty, "\r%-40s %9s/s | %9s ", label, rate, size);
	}
	fflush(m->tty);
}

/* A free name in dir for a copy of path: virtinst-XXXXXX-BASE */
static char *
cache_name(const char *dir, const char *path, struct xvm_err *err)
{
	char *tmpl = xvm_asprintf("%s/virtinst-XXXXXX-%s", dir,
	    base_name(path));
	int fd = mkstemps(tmpl, (int)strlen(base_name(path)) + 1);

	if (fd < 0) {
		xvm_err_sys(err, errno, "cannot create a file in '%s'", dir);
		free(tmpl);
		return NULL;
	}
	close(fd);
	return tmpl;
}

/*
 * The installer's kernel and ramdisk: the media opened (--location, or
 * the ISO of a PV --cdrom install), the tree detected, both files fetched
 * into the boot cache, the install phase pointed at them.  The OS found
 * (or named) is checked against the guest's resources.
 */
static int
fetch_boot(struct xvm_ctx *ctx, const struct xvm_args *args,
    struct xvm_inst_req *req, struct xvm_inst_plan *plan,
    struct xvm_os_info *os)
{
	struct meter_state ms = { isatty(2) && !xvm_args_has(args, "quiet") ?
	    stderr : NULL, { 0, 0 } };
	struct xvm_media_opts o = { 0 };
	struct xvm_media *m = NULL;
	struct xvm_inst_tree t;
	const char *src = req->location ? req->location : req->cdrom;
	char *dir = NULL, *k = NULL, *i = NULL;
	bool deb;
	int rc = -1;

	memset(&t, 0, sizeof(t));
	o.insecure = xvm_args_has(args, "insecure");
	o.progress = meter_cb;
	o.progress_arg = &ms;
	if (xvm_media_open(src, &o, &m, &ctx->err) < 0) {
		if (ctx->err.code == XVM_ERR_NOT_FOUND)
			xvm_err_set(&ctx->err, XVM_ERR_INVALID_ARG, "Validating "
			    "install media '%s' failed: no such file or "
			    "directory", src);
		goto out;
	}
	if (xvm_inst_detect(m, plan->install->os.type == XVM_OS_XEN,
	    plan->install->os.arch, &t, &ctx->err) < 0)
		goto out;
	if (req->kernel) {
		free(t.kernel);
		t.kernel = xvm_strdup(req->kernel);
	}
	if (req->initrd) {
		free(t.initrd);
		t.initrd = xvm_strdup(req->initrd);
	}
	if (!os->short_id && t.os.short_id) {
		*os = t.os;
		memset(&t.os, 0, sizeof(t.os));
	}
	/* the profile, in the words this installer reads */
	deb = t.layout && (!strcmp(t.layout, "debian") ||
	    !strcmp(t.layout, "ubuntu"));
	xvm_inst_add_autocf(plan, req->autocf, os->family ? os->family :
	    req->os_type, os->distro ? os->distro : deb ? t.layout : NULL,
	    t.layout && !strcmp(t.layout, "solaris"));
	dbg("install tree: %s layout, kernel %s, ramdisk %s, OS %s",
	    t.layout ? t.layout : "?", t.kernel, t.initrd ? t.initrd : "none",
	    os->short_id ? os->short_id : "not known");
	if ((dir = boot_cache(&ctx->err)) == NULL ||
	    (k = cache_name(dir, t.kernel, &ctx->err)) == NULL)
		goto out;
	if (xvm_media_fetch(m, t.kernel, k, &ctx->err) < 0)
		goto out;
	if (t.initrd) {
		if ((i = cache_name(dir, t.initrd, &ctx->err)) == NULL ||
		    xvm_media_fetch(m, t.initrd, i, &ctx->err) < 0)
			goto out;
	}
	free(plan->install->os.kernel);
	free(plan->install->os.initrd);
	plan->install->os.kernel = k;
	plan->install->os.initrd = i;
	k = i = NULL;
	rc = 0;
out:
	if (k)
		unlink(k);
	if (i)
		unlink(i);
	free(k);
	free(i);
	free(dir);
	xvm_inst_tree_release(&t);
	xvm_media_close(m);
	return rc;
}

/* ---- installing ---------------------------------------------------------------- */

static bool
still_running(struct xvm_conn *c, uint32_t id, const unsigned char *uuid)
{
	struct xvm_err e;

	xvm_err_clear(&e);
	return xvm_wait_stopped(c, id, uuid, 0.001, &e) < 0;
}

static void
in_progress(struct xvm_ctx *ctx, bool quiet)
{
	if (!quiet)
		fputs("\nDomain is still running. Installation may be in "
		    "progress.\nYou can reconnect to the console to complete "
		    "the installation process.\n", ctx->out);
}

static int
attach_console(struct xvm_ctx *ctx, struct xvm_conn *c, uint32_t id,
    const char *name, bool quiet)
{
	if (!quiet)
		fprintf(ctx->out, "Running text console command: virsh "
		    "--connect %s console %s\n", xvm_conn_uri(c), name);
	fflush(ctx->out);
	if (xvm_cli_console(ctx, c, id) < 0) {
		vi_warn(ctx, "Console command returned failure: %s",
		    ctx->err.msg);
		xvm_err_clear(&ctx->err);
	}
	return 0;
}

/* Is prog an executable on PATH? */
static bool
on_path(const char *prog)
{
	const char *path = getenv("PATH");
	char *copy, *dir, *save = NULL, *p;
	bool found = false;

	if (path == NULL || *path == '\0')
		return false;
	copy = xvm_strdup(path);
	for (dir = strtok_r(copy, ":", &save); dir && !found;
	    dir = strtok_r(NULL, ":", &save)) {
		p = xvm_asprintf("%s/%s", *dir ? dir : ".", prog);
		found = access(p, X_OK) == 0;
		free(p);
	}
	free(copy);
	return found;
}

/*
 * A guest with a display has no text console to attach: virt-install
 * would start virt-viewer, which needs libvirtd; xvm says so and, as
 * virt-install does without a viewer, waits for the guest instead.
 */
static bool
graphical(struct xvm_ctx *ctx, const struct xvm_domain *dom)
{
	const struct xvm_graphics *g = dom->ngraphics ? &dom->graphics[0] :
	    NULL;

	if (g == NULL || (g->type != XVM_GFX_VNC && g->type != XVM_GFX_SDL))
		return false;
	if (!on_path("virt-viewer"))
		vi_warn(ctx, "Unable to connect to graphical console: "
		    "virt-viewer not installed. Please install the "
		    "'virt-viewer' package.");
	else
		vi_warn(ctx, "Unable to connect to graphical console: "
		    "virt-viewer connects through libvirtd, which xvm does not "
		    "use; point a VNC viewer at the display of '%s'",
		    dom->name);
	vi_warn(ctx, "No console to launch for the guest, defaulting to "
	    "--wait -1");
	return true;
}

/*
 * Create the disks, define the final domain, run the install phase (or,
 * for --import, the domain itself), follow it on the console or wait
 * for it, then start the installed guest.  A failure before the guest
 * runs takes back what this run made: the definition and the images it
 * created (never an image that was there before).
 */
static int
run_install(struct xvm_ctx *ctx, struct xvm_conn *c,
    const struct xvm_args *args, const struct xvm_inst_req *req,
    struct xvm_inst_plan *plan)
{
	bool quiet = xvm_args_has(args, "quiet");
	bool noreboot = xvm_args_has(args, "noreboot");
	bool console = !xvm_args_has(args, "noautoconsole") &&
	    !xvm_args_has(args, "noconsole");
	const char *waitv = xvm_args_get(args, "wait");
	bool *made = xvm_calloc(req->ndisks + 1, sizeof(*made));
	bool defined = false, started = false, show_wait = false;
	const char *name = plan->final->name;
	double wait_s = 0;
	size_t i;
	uint32_t id;
	char *label;
	int rc = -1;

	/* a display and no viewer: wait for the guest instead */
	if (console && plan->final->ngraphics > 0 &&
	    (plan->final->graphics[0].type == XVM_GFX_VNC ||
	    plan->final->graphics[0].type == XVM_GFX_SDL)) {
		console = false;
		show_wait = true;
		waitv = "-1";
	}
	if (waitv && *waitv) {
		char *end;
		long mins = strtol(waitv, &end, 10);

		if (*end || mins < -1) {
			xvm_err_set(&ctx->err, XVM_ERR_INVALID_ARG, "--wait "
			    "'%s' is not a number of minutes (-1: no limit)",
			    waitv);
			goto out;
		}
		wait_s = mins < 0 ? 0 : mins * 60.0;
		if (mins == 0)
			wait_s = -1;	/* do not wait at all */
	}
	if (!quiet)
		fputs("\nStarting install...\n", ctx->out);
	for (i = 0; i < req->ndisks; i++) {
		const struct xvm_inst_disk *d = &req->disks[i];

		if (d->exists || !d->has_size)
			continue;
		if (xvm_inst_disk_create(d, &ctx->err) < 0)
			goto out;
		made[i] = true;
		if (!quiet) {
			label = xvm_asprintf("Allocating '%s'",
			    base_name(d->path));
			meter(ctx, label, d->size_bytes);
			free(label);
		}
	}
	/* as virt-install: the guest is defined as it will be once
	   installed; the install phase runs over that definition */
	if (xvm_define(c, plan->final, NULL, &ctx->err) < 0)
		goto out;
	defined = true;
	dbg("defined %s", name);
	if (plan->install) {
		if (xvm_create(c, plan->install, 0, &id, &ctx->err) < 0)
			goto out;
		dbg("install phase running as domain %u", id);
	} else if (noreboot) {
		if (!quiet)
			fprintf(ctx->out, "Domain creation completed.\nYou "
			    "can restart your domain by running:\n  virsh "
			    "--connect %s start %s\n", xvm_conn_uri(c), name);
		rc = 0;
		goto out;
	} else if (xvm_start(c, name, 0, &id, &ctx->err) < 0) {
		goto out;
	}
	started = true;
	rc = 0;
	if (!quiet)
		meter(ctx, "Creating domain...", 0);
	if (show_wait)
		(void)graphical(ctx, plan->final);
	/* the kernel is in the guest's memory now */
	if (plan->install) {
		if (plan->install->os.kernel)
			unlink(plan->install->os.kernel);
		if (plan->install->os.initrd)
			unlink(plan->install->os.initrd);
	}
	if (console)
		attach_console(ctx, c, id, name, quiet);
	if (!plan->install && show_wait) {
		/* what virt-install's --wait -1 does for an imported guest */
		if (!quiet)
			fputs("\nDomain is still running. Installation may be in "
			    "progress.\nWaiting for the installation to "
			    "complete.\n", ctx->out);
		fflush(ctx->out);
		if (xvm_wait_stopped(c, id, plan->final->uuid, 0,
		    &ctx->err) < 0) {
			rc = -1;
			goto out;
		}
	}
	if (!plan->install) {
		if (!quiet)
			fputs("Domain creation completed.\n", ctx->out);
		goto out;
	}
	/* the install phase: wait for the installer to power off */
	if (wait_s < 0 || (!waitv && (!console || still_running(c, id,
	    plan->final->uuid)))) {
		if (!console || still_running(c, id, plan->final->uuid)) {
			in_progress(ctx, quiet);
			goto out;
		}
	}
	if (waitv && still_running(c, id, plan->final->uuid)) {
		if (!quiet)
			fprintf(ctx->out, "%sWaiting for the installation to "
			    "complete.\n", show_wait ? "\nDomain is still "
			    "running. Installation may be in progress.\n" : "");
		fflush(ctx->out);
		if (xvm_wait_stopped(c, id, plan->final->uuid, wait_s,
		    &ctx->err) < 0) {
			xvm_err_clear(&ctx->err);
			if (!quiet)
				fputs("Installation has exceeded specified "
				    "time limit. Exiting application.\n",
				    ctx->out);
			rc = 1;
			goto out;
		}
	}
	if (noreboot) {
		if (!quiet)
			fprintf(ctx->out, "Domain creation completed.\nYou "
			    "can restart your domain by running:\n  virsh "
			    "--connect %s start %s\n", xvm_conn_uri(c), name);
		goto out;
	}
	if (!quiet)
		fputs("Domain has shutdown. Continuing.\n", ctx->out);
	if (xvm_start(c, name, 0, &id, &ctx->err) < 0) {
		rc = -1;
		goto out;
	}
	if (console)
		attach_console(ctx, c, id, name, quiet);
	if (!quiet)
		fputs("Domain creation completed.\n", ctx->out);
out:
	if (rc < 0 && !started) {
		struct xvm_err ignore;

		xvm_err_clear(&ignore);
		if (defined)
			xvm_undefine(c, name, NULL, &ignore);
		for (i = 0; i < req->ndisks; i++)
			if (made[i])
				unlink(req->disks[i].path);
	}
	free(made);
	return rc;
}

/* The OS named or found: known to osinfo-db, and the guest big enough */
static int
check_os(struct xvm_ctx *ctx, const struct xvm_inst_req *req,
    const struct xvm_inst_plan *plan, struct xvm_os_info *os)
{
	unsigned long long disk = 0;
	size_t i;

	if (req->os_variant && !os->short_id &&
	    xvm_osinfo_find(req->os_variant, os, &ctx->err) < 0)
		return -1;
	if (!os->short_id)
		return 0;
	if (os->min_ram_mib && req->memory_mib < os->min_ram_mib)
		vi_warn(ctx, "Requested memory %llu MiB is less than the "
		    "minimum %llu MiB for %s", req->memory_mib,
		    os->min_ram_mib, os->name);
	for (i = 0; i < req->ndisks; i++)
		if (req->disks[i].device == XVM_DEV_DISK)
			disk += req->disks[i].has_size && !req->disks[i].exists ?
			    req->disks[i].size_bytes :
			    req->disks[i].existing_bytes;
	if (os->min_disk_bytes && req->ndisks && disk < os->min_disk_bytes)
		vi_warn(ctx, "Disk space %.1f GiB is less than the minimum "
		    "%.1f GiB for %s", disk / 1073741824.0,
		    os->min_disk_bytes / 1073741824.0, os->name);
	(void)plan;
	return 0;
}

static int
vi_main(struct xvm_ctx *ctx, const struct xvm_args *args)
{
	struct xvm_buf b = XVM_BUF_INIT;
	struct xvm_inst_req req;
	struct xvm_inst_host host;
	struct xvm_inst_plan *plan = NULL;
	struct xvm_os_info os;
	struct xvm_conn *c = NULL;
	const char *step = xvm_args_get(args, "print-xml");
	const char *osv = xvm_args_get(args, "os-variant");
	int step_n = 0, rc = -1;
	size_t i;

	memset(&os, 0, sizeof(os));
	debugging = xvm_args_has(args, "debug");
	if (xvm_args_has(args, "help")) {
		xvm_help_tool(ctx, &b, true);
		fputs(xvm_buf_str(&b), ctx->out);
		xvm_buf_release(&b);
		return 0;
	}
	if (xvm_args_has(args, "version")) {
		fprintf(ctx->out, "%s\n", XVM_VIRT_INSTALL_COMPAT_VERSION);
		return 0;
	}
	if (!osv)
		osv = xvm_args_get(args, "osinfo");
	if (osv && strcmp(osv, "list") == 0) {
		struct xvm_strv ids = XVM_STRV_INIT;

		if (xvm_osinfo_list(&ids, &ctx->err) < 0)
			return -1;
		for (i = 0; i < ids.n; i++)
			fprintf(ctx->out, "%s\n", ids.v[i]);
		xvm_strv_release(&ids);
		return 0;
	}
	if (step) {
		if (!*step || !strcmp(step, "all"))
			step_n = 3;
		else if (!strcmp(step, "1") || !strcmp(step, "2"))
			step_n = step[0] - '0';
		else
			return xvm_err_set(&ctx->err, XVM_ERR_INVALID_ARG,
			    "Unknown XML step request '%s', must be 1, 2, or "
			    "all", step);
	}
	if (build_request(ctx, args, &req) < 0) {
		xvm_inst_req_release(&req);
		if (ctx->err.code == XVM_ERR_USAGE) {
			struct xvm_strv errs = XVM_STRV_INIT;

			xvm_strv_push(&errs, ctx->err.msg);
			xvm_cli_print_usage_errs(ctx, NULL, &errs);
			xvm_strv_release(&errs);
			xvm_err_clear(&ctx->err);
			return 2;
		}
		return -1;
	}
	if (ask_missing(ctx, &req) < 0)
		goto out;
	dbg("request: name %s, %llu MiB, %s, install %s", req.name,
	    req.memory_mib, req.virt == XVM_VIRT_HVM ? "HVM" : req.virt ==
	    XVM_VIRT_PV ? "PV" : "PV or HVM", req.location ? req.location :
	    req.cdrom ? req.cdrom : "(import)");
	if (xvm_connect(ctx->uri ? ctx->uri : xvm_args_get(args, "connect"),
	    0, &c, NULL, &ctx->err) < 0 || host_facts(ctx, c, &host) < 0)
		goto out;
	dbg("connected to %s: %s guests, %u CPUs", xvm_conn_uri(c),
	    host.pv && host.hvm ? "PV and HVM" : host.pv ? "PV" : "HVM",
	    host.cpus);
	if (xvm_args_has(args, "check-cpu") && host.cpus &&
	    (req.vcpus > host.cpus || req.maxvcpus > host.cpus)) {
		xvm_err_set(&ctx->err, XVM_ERR_INVALID_ARG, "Requested %u "
		    "vCPUs, but the host has only %u CPUs (--check-cpu)",
		    req.maxvcpus ? req.maxvcpus : req.vcpus, host.cpus);
		goto out;
	}
	if (xvm_inst_plan_make(&req, &host, &plan, &ctx->err) < 0)
		goto out;
	for (i = 0; i < plan->nwarnings; i++)
		vi_warn(ctx, "%s", plan->warnings[i]);
	dbg("plan: %s guest; install phase %s; final domain boots %s",
	    plan->final->os.type == XVM_OS_HVM ? "an HVM" : "a PV",
	    plan->install ? "from the media" : "none (import)",
	    plan->final->os.kernel ? plan->final->os.kernel :
	    plan->final->os.bootloader ? "its disk (bootloader)" : "its disk");
	/* an OS named is checked before anything is fetched */
	if (req.os_variant && check_os(ctx, &req, plan, &os) < 0)
		goto out;
	/* the installer's kernel: from -l, or a PV guest's --cdrom */
	if (plan->install && (req.method == XVM_INST_LOCATION ||
	    (req.method == XVM_INST_CDROM &&
	    plan->install->os.type == XVM_OS_XEN))) {
		if (fetch_boot(ctx, args, &req, plan, &os) < 0)
			goto out;
		if (!req.os_variant && check_os(ctx, &req, plan, &os) < 0)
			goto out;
	}
	if (step) {
		if (plan->install && step_n != 2)
			print_xml(ctx, plan->install);
		if (step_n != 1 || !plan->install)
			print_xml(ctx, plan->final);
		rc = 0;
		goto out;
	}
	if (xvm_args_has(args, "dry-run")) {
		if (!xvm_args_has(args, "quiet"))
			fputs("Dry run completed successfully\n", ctx->out);
		rc = 0;
		goto out;
	}
	rc = run_install(ctx, c, args, &req, plan);
out:
	/* the fetched kernel and ramdisk are kept only for the XML that
	   names them (--print-xml); an install has loaded them already */
	if (plan && plan->install && req.method != XVM_INST_IMPORT &&
	    !(step && rc == 0) && (req.method == XVM_INST_LOCATION ||
	    plan->install->os.type == XVM_OS_XEN)) {
		if (plan->install->os.kernel)
			unlink(plan->install->os.kernel);
		if (plan->install->os.initrd)
			unlink(plan->install->os.initrd);
	}
	xvm_os_info_release(&os);
	xvm_inst_plan_free(plan);
	xvm_inst_req_release(&req);
	xvm_disconnect(c);
	return rc;
}

int
main(int argc, char **argv)
{
	struct xvm_ctx ctx;
	int status;

	xvm_ctx_init(&ctx, &vi_tool);
	status = xvm_cli_hidden(&ctx, argc - 1, argv + 1);
	if (status < 0)
		status = xvm_cli_run_argv(&ctx, argc - 1, argv + 1);
	if (fflush(stdout) != 0 || ferror(stdout))
		return 1;
	return status;
}

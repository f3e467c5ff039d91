/*
 * plan.c - virt-install's plan: a request checked against the host and
 * turned into the install-phase domain and the final one.
 *
 * The defaults are the Sun xVM guide's: a guest installed from an install
 * tree or ISO with -l is paravirtualized (its kernel and ramdisk come from
 * the media), one installed from --cdrom is HVM unless -p says otherwise;
 * PV disks are xvda, xvdb ... on the xen bus, HVM ones hda, hdb ... on IDE;
 * the install phase is destroyed rather than rebooted when the installer
 * ends (on_reboot=destroy), so the final domain can be started from its
 * disk.  Facts on virt-install's own defaults (MACs in 00:16:3e, the CD-ROM
 * kept empty in the final domain, vnc port -1) follow virt-install 4.1 as
 * recorded in shared/reference/virt-install.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>
#include <linux/fs.h>

#include <uuid/uuid.h>

#include "xvm/install.h"
#include "xvm/util.h"

/* ---- the request ----------------------------------------------------------- */

void
xvm_inst_req_release(struct xvm_inst_req *r)
{
	size_t i;

	free(r->name);
	free(r->cpuset);
	free(r->arch);
	free(r->os_variant);
	free(r->os_type);
	free(r->location);
	free(r->kernel);
	free(r->initrd);
	free(r->cdrom);
	free(r->extra_args);
	free(r->boot_kernel);
	free(r->boot_initrd);
	free(r->boot_args);
	free(r->autocf);
	for (i = 0; i < r->ndisks; i++) {
		free(r->disks[i].path);
		free(r->disks[i].format);
	}
	free(r->disks);
	for (i = 0; i < r->nnics; i++) {
		free(r->nics[i].source);
		free(r->nics[i].mac);
		free(r->nics[i].model);
	}
	free(r->nics);
	free(r->gfx.listen);
	free(r->gfx.keymap);
	free(r->gfx.passwd);
	free(r->uuid);
	memset(r, 0, sizeof(*r));
}

struct xvm_inst_disk *
xvm_inst_req_add_disk(struct xvm_inst_req *r)
{
	struct xvm_inst_disk *d;

	r->disks = xvm_realloc(r->disks, (r->ndisks + 1) * sizeof(*d));
	d = &r->disks[r->ndisks++];
	memset(d, 0, sizeof(*d));
	return d;
}

struct xvm_inst_nic *
xvm_inst_req_add_nic(struct xvm_inst_req *r)
{
	struct xvm_inst_nic *n;

	r->nics = xvm_realloc(r->nics, (r->nnics + 1) * sizeof(*n));
	n = &r->nics[r->nnics++];
	memset(n, 0, sizeof(*n));
	return n;
}

/* ---- MACs ---------------------------------------------------------------- */

int
xvm_inst_parse_mac(const char *text, unsigned char mac[6],
    struct xvm_err *err)
{
	const char *p = text;
	unsigned i;

	for (i = 0; i < 6; i++) {
		if (!isxdigit((unsigned char)p[0]) ||
		    !isxdigit((unsigned char)p[1]) ||
		    (i < 5 && p[2] != ':') || (i == 5 && p[2] != '\0'))
			return xvm_err_set(err, XVM_ERR_INVALID_ARG, "MAC "
			    "address '%s' must be six hex pairs separated by "
			    "':', like 00:16:3e:12:34:56", text);
		mac[i] = (unsigned char)strtoul((char[3]){ p[0], p[1], 0 },
		    NULL, 16);
		p += 3;
	}
	if (mac[0] & 1)
		return xvm_err_set(err, XVM_ERR_INVALID_ARG, "MAC address "
		    "'%s' is a multicast address (the low bit of its first "
		    "byte is set): a guest's MAC must be unicast", text);
	return 0;
}

void
xvm_inst_random_mac(unsigned char mac[6])
{
	unsigned char r[3] = { 0, 0, 0 };
	uuid_t u;

	/* getrandom, else libuuid's random bytes */
	if (getrandom(r, sizeof(r), 0) != (ssize_t)sizeof(r)) {
		uuid_generate_random(u);
		memcpy(r, u, sizeof(r));
	}
	mac[0] = 0x00;
	mac[1] = 0x16;
	mac[2] = 0x3e;
	/* Xen's own tools keep the fourth byte below 0x80 */
	mac[3] = r[0] & 0x7f;
	mac[4] = r[1];
	mac[5] = r[2];
}

/* ---- checks ---------------------------------------------------------------- */

int
xvm_inst_check_name(const char *name, struct xvm_err *err)
{
	const char *p;

	if (name == NULL || name[0] == '\0')
		return xvm_err_set(err, XVM_ERR_INVALID_ARG, "--name is "
		    "required");
	if (strlen(name) > 64)
		return xvm_err_set(err, XVM_ERR_INVALID_ARG, "Guest name '%s' "
		    "is longer than 64 characters", name);
	for (p = name; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr("-_.+", *p))
			return xvm_err_set(err, XVM_ERR_INVALID_ARG, "Guest "
			    "name '%s' may hold only letters, digits and "
			    "'-', '_', '.', '+'", name);
	return 0;
}

/* Size of a block device, or -1 (err set). */
static int
block_size(const char *path, unsigned long long *bytes, struct xvm_err *err)
{
	uint64_t n = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return xvm_err_sys(err, errno, "cannot open disk '%s'", path);
	if (ioctl(fd, BLKGETSIZE64, &n) < 0) {
		xvm_err_sys(err, errno, "cannot read the size of '%s'", path);
		close(fd);
		return -1;
	}
	close(fd);
	*bytes = n;
	return 0;
}

static void
warn(struct xvm_inst_plan *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
warn(struct xvm_inst_plan *p, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		s = NULL;
	va_end(ap);
	if (!s)
		return;
	p->warnings = xvm_realloc(p->warnings, (p->nwarnings + 1) *
	    sizeof(*p->warnings));
	p->warnings[p->nwarnings++] = s;
}

/*
 * Look at each disk: an existing path is used as it is (its size kept);
 * a missing one needs a size and a parent directory.
 */
static int
check_disks(struct xvm_inst_req *req, struct xvm_inst_plan *p,
    struct xvm_err *err)
{
	size_t i, j;

	for (i = 0; i < req->ndisks; i++) {
		struct xvm_inst_disk *d = &req->disks[i];
		struct stat st;
		char *dir, *slash;
		const char *base;

		if (d->path == NULL || d->path[0] == '\0')
			return xvm_err_set(err, XVM_ERR_INVALID_ARG, "--disk: "
			    "a path is required (path=/PATH)");
		if (d->path[0] != '/')
			return xvm_err_set(err, XVM_ERR_INVALID_ARG, "--disk "
			    "path=%s: the path must be absolute", d->path);
		for (j = 0; j < i; j++)
			if (strcmp(req->disks[j].path, d->path) == 0)
				return xvm_err_set(err, XVM_ERR_INVALID_ARG,
				    "--disk path=%s is given twice", d->path);
		if (d->format && strcmp(d->format, "raw") != 0)
			return xvm_err_set(err, XVM_ERR_CONFIG_UNSUPPORTED,
			    "--disk path=%s: format '%s' is not supported "
			    "(raw images only)", d->path, d->format);
		if (stat(d->path, &st) == 0) {
			d->exists = true;
			if (S_ISBLK(st.st_mode)) {
				d->is_block = true;
				if (block_size(d->path, &d->existing_bytes,
				    err) < 0)
					return -1;
			} else if (S_ISREG(st.st_mode)) {
				d->existing_bytes = (unsigned long long)
				    st.st_size;
			} else {
				return xvm_err_set(err, XVM_ERR_INVALID_ARG,
				    "--disk path=%s is neither a file nor a "
				    "block device", d->path);
			}
			/* the backend opens it as this user (root) does */
			if (access(d->path, d->readonly || d->device !=
			    XVM_DEV_DISK ? R_OK : R_OK | W_OK) < 0)
				warn(p, "The disk %s cannot be %s here (%s): "
				    "the guest's disk backend may fail to open "
				    "it", d->path, d->readonly || d->device !=
				    XVM_DEV_DISK ? "read" : "read and written",
				    strerror(errno));
			if (d->has_size && d->size_bytes != d->existing_bytes &&
			    d->device == XVM_DEV_DISK)
				warn(p, "Disk %s already exists: it is used as "
				    "it is (%llu bytes), the size given is "
				    "ignored", d->path, d->existing_bytes);
			continue;
		}
		if (errno != ENOENT)
			return xvm_err_sys(err, errno, "--disk path=%s",
			    d->path);
		base = strrchr(d->path, '/') + 1;
		if (!d->has_size || d->size_bytes == 0)
			return xvm_err_set(err, XVM_ERR_INVALID_ARG, "Error: "
			    "--disk path=%s: Size must be specified for non "
			    "existent volume '%s'", d->path, base);
		if (d->device != XVM_DEV_DISK)
			return xvm_err_set(err, XVM_ERR_INVALID_ARG, "--disk "
			    "path=%s: a %s must exist", d->path, d->device ==
			    XVM_DEV_CDROM ? "CD-ROM image" : "floppy image");
		dir = xvm_strdup(d->path);
		slash = strrchr(dir, '/');
		if (slash == dir)
			slash[1] = '\0';
		else
			*slash = '\0';
		if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode)) {
			xvm_err_set(err, XVM_ERR_INVALID_ARG, "--disk path=%s: "
			    "the directory '%s' does not exist", d->path,
			    dir);
			free(dir);
			return -1;
		}
		free(dir);
	}
	return 0;
}

/* ---- the domains ------------------------------------------------------------ */

static char *
target_name(bool pv, unsigned n)
{
	char buf[16];
	const char *pfx = pv ? "xvd" : "hd";

	/* xvda .. xvdz, xvdaa ...; hda .. hdd are IDE's four */
	if (n < 26)
		snprintf(buf, sizeof(buf), "%s%c", pfx, 'a' + n);
	else
		snprintf(buf, sizeof(buf), "%s%c%c", pfx, 'a' + n / 26 - 1,
		    'a' + n % 26);
	return xvm_strdup(buf);
}

static void
add_disk(struct xvm_domain *dom, bool pv, const struct xvm_inst_disk *d,
    const char *src, enum xvm_disk_device device, bool readonly,
    unsigned *next)
{
	struct xvm_disk *x = xvm_domain_add_disk(dom);

	x->type = d && d->is_block ? XVM_DISK_BLOCK : XVM_DISK_FILE;
	x->device = device;
	x->src = src ? xvm_strdup(src) : NULL;
	x->bus = d && d->bus ? d->bus : pv ? XVM_BUS_XEN : XVM_BUS_IDE;
	x->target = target_name(pv, (*next)++);
	x->readonly = readonly;
	x->shareable = d && d->shareable;
	if (src && device == XVM_DEV_DISK)
		x->driver_type = xvm_strdup("raw");
}

static int
add_nics(const struct xvm_inst_req *req, const struct xvm_inst_host *host,
    struct xvm_domain *dom, struct xvm_err *err)
{
	size_t i;
	bool none = false;

	for (i = 0; i < req->nnics; i++)
		none |= req->nics[i].none;
	if (none && req->nnics > 1)
		return xvm_err_set(err, XVM_ERR_INVALID_ARG, "Cannot specify "
		    "--network none with other networks");
	if (none)
		return 0;
	for (i = 0; i < req->nnics; i++) {
		const struct xvm_inst_nic *n = &req->nics[i];
		struct xvm_net *x = xvm_domain_add_net(dom);

		x->type = n->type;
		if (n->source)
			x->bridge = xvm_strdup(n->source);
		else if (n->type == XVM_NET_BRIDGE)
			x->bridge = xvm_strdup("xenbr0");
		if (n->model)
			x->model = xvm_strdup(n->model);
		if (n->mac) {
			if (xvm_inst_parse_mac(n->mac, x->mac, err) < 0)
				return -1;
		} else {
			xvm_inst_random_mac(x->mac);
		}
		x->has_mac = true;
	}
	/* one nic when none was asked for: user networking on the test
	   host, as virt-install; Xen's default bridge on a Xen host */
	if (req->nnics == 0) {
		struct xvm_net *x = xvm_domain_add_net(dom);

		if (strcmp(host->virt_type, "test") == 0) {
			x->type = XVM_NET_USER;
		} else {
			x->type = XVM_NET_BRIDGE;
			x->bridge = xvm_strdup("xenbr0");
		}
		xvm_inst_random_mac(x->mac);
		x->has_mac = true;
	}
	return 0;
}

static void
add_graphics(const struct xvm_inst_req *req, bool pv, struct xvm_domain *dom)
{
	const struct xvm_inst_graphics *g = &req->gfx;
	struct xvm_graphics *x;
	struct xvm_chr *c;

	/* a text console always: PV's xen console, HVM's serial line */
	if (!pv) {
		c = xvm_domain_add_serial(dom);
		c->type = XVM_CHR_PTY;
		c->port = 0;
	}
	c = xvm_domain_add_console(dom);
	c->type = XVM_CHR_PTY;
	c->target_type = xvm_strdup(pv ? "xen" : "serial");
	c->port = 0;
	/* graphics: asked for, or HVM's VNC by default */
	if (g->none || (!g->given && pv))
		return;
	x = xvm_domain_add_graphics(dom);
	x->type = g->given ? g->type : XVM_GFX_VNC;
	x->port = g->port;
	x->autoport = g->port == -1;
	x->has_autoport = true;
	if (g->listen)
		x->listen = xvm_strdup(g->listen);
	if (g->keymap)
		x->keymap = xvm_strdup(g->keymap);
	if (g->passwd)
		x->passwd = xvm_strdup(g->passwd);
}

static struct xvm_domain *
base_domain(const struct xvm_inst_req *req, const struct xvm_inst_host *host,
    bool pv, const unsigned char uuid[16])
{
	struct xvm_domain *d = xvm_domain_new();

	d->virt_type = xvm_strdup(host->virt_type);
	d->name = xvm_strdup(req->name);
	memcpy(d->uuid, uuid, 16);
	d->has_uuid = true;
	d->memory_kib = req->memory_mib * 1024;
	d->current_kib = (req->current_mib ? req->current_mib :
	    req->memory_mib) * 1024;
	d->vcpus = req->maxvcpus ? req->maxvcpus : req->vcpus ? req->vcpus :
	    1;
	d->vcpus_current = req->maxvcpus && req->vcpus ? req->vcpus : 0;
	if (req->cpuset)
		d->cpuset = xvm_strdup(req->cpuset);
	d->os.type = pv ? XVM_OS_XEN : XVM_OS_HVM;
	d->os.arch = xvm_strdup(req->arch ? req->arch : host->arch);
	d->os.machine = xvm_strdup(pv ? "xenpv" : "xenfv");
	if (!pv) {
		if (host->hvm_loader)
			d->os.loader = xvm_strdup(host->hvm_loader);
		d->features.acpi = !req->noacpi;
		d->features.apic = !req->noapic;
		d->features.pae = true;
		if (host->emulator)
			d->emulator = xvm_strdup(host->emulator);
	}
	d->on_poweroff = XVM_LIFE_DESTROY;
	d->on_reboot = XVM_LIFE_RESTART;
	d->on_crash = XVM_LIFE_DESTROY;
	return d;
}

/* The guest's disks, in order; the CD-ROM (if any) after them. */
static void
add_disks(const struct xvm_inst_req *req, bool pv, struct xvm_domain *dom,
    const char *cdrom)
{
	unsigned next = 0;
	size_t i;

	for (i = 0; i < req->ndisks; i++) {
		const struct xvm_inst_disk *d = &req->disks[i];

		add_disk(dom, pv, d, d->path, d->device, d->readonly ||
		    d->device == XVM_DEV_CDROM, &next);
	}
	if (req->method == XVM_INST_CDROM)
		add_disk(dom, pv, NULL, cdrom, XVM_DEV_CDROM, true, &next);
}

/*
 * --autocf: the profile's location in the words the installer reads it
 * from - a Solaris installer from its boot properties (install_config,
 * as the Sun xVM guide's virt-install gave it), Debian's and Ubuntu's
 * from url= (preseed), the others' (Fedora, RHEL, SUSE ...) from
 * inst.ks= (kickstart).  family/distro: the OS's, as osinfo-db or the
 * media say (NULL: not known; then Solaris when the tree was one).
 */
void
xvm_inst_add_autocf(struct xvm_inst_plan *p, const char *autocf,
    const char *family, const char *distro, bool solaris_tree)
{
	struct xvm_buf b = XVM_BUF_INIT;
	char *old;

	if (!p->install || !autocf)
		return;
	old = p->install->os.cmdline;
	if (old && *old)
		xvm_buf_printf(&b, "%s ", old);
	if ((family && strcmp(family, "solaris") == 0) ||
	    (!family && solaris_tree))
		xvm_buf_printf(&b, "-B install_config=%s", autocf);
	else if (distro && (strcmp(distro, "debian") == 0 ||
	    strcmp(distro, "ubuntu") == 0))
		xvm_buf_printf(&b, "auto=true url=%s", autocf);
	else
		xvm_buf_printf(&b, "inst.ks=%s", autocf);
	free(old);
	p->install->os.cmdline = xvm_buf_steal(&b);
}

void
xvm_inst_plan_free(struct xvm_inst_plan *p)
{
	size_t i;

	if (!p)
		return;
	xvm_domain_free(p->install);
	xvm_domain_free(p->final);
	free(p->tree_kernel);
	free(p->tree_initrd);
	for (i = 0; i < p->nwarnings; i++)
		free(p->warnings[i]);
	free(p->warnings);
	free(p);
}

int
xvm_inst_plan_make(struct xvm_inst_req *req,
    const struct xvm_inst_host *host, struct xvm_inst_plan **plan_r,
    struct xvm_err *err)
{
	struct xvm_inst_plan *p = xvm_calloc(1, sizeof(*p));
	unsigned char uuid[16];
	bool pv;
	size_t i;

	*plan_r = NULL;
	if (xvm_inst_check_name(req->name, err) < 0)
		goto fail;
	if (req->memory_mib == 0) {
		xvm_err_set(err, XVM_ERR_INVALID_ARG, "--memory amount in MiB "
		    "is required");
		goto fail;
	}
	if (req->current_mib > req->memory_mib) {
		xvm_err_set(err, XVM_ERR_INVALID_ARG, "--memory: "
		    "currentMemory %llu MiB is more than memory %llu MiB",
		    req->current_mib, req->memory_mib);
		goto fail;
	}
	if (req->maxvcpus && req->vcpus > req->maxvcpus) {
		xvm_err_set(err, XVM_ERR_INVALID_ARG, "--vcpus: %u vcpus is "
		    "more than maxvcpus=%u", req->vcpus, req->maxvcpus);
		goto fail;
	}
	if (host->cpus && (req->vcpus > host->cpus ||
	    req->maxvcpus > host->cpus))
		warn(p, "Requested %u vCPUs exceeds the %u the host has: the "
		    "guest may run slowly", req->maxvcpus ? req->maxvcpus :
		    req->vcpus, host->cpus);
	if (req->uuid) {
		if (uuid_parse(req->uuid, uuid) != 0) {
			xvm_err_set(err, XVM_ERR_INVALID_ARG, "--uuid '%s' is "
			    "not a UUID (like 8e1e4b7a-4d9c-4a3e-9f3c-"
			    "1c2d3e4f5a6b)", req->uuid);
			goto fail;
		}
	} else {
		uuid_generate_random(uuid);
	}
	if (req->method == XVM_INST_NONE) {
		xvm_err_set(err, XVM_ERR_INVALID_ARG, "An install method must "
		    "be specified\n(--location URL, --cdrom CD/ISO, --import)");
		goto fail;
	}
	/* xVM: -l installs are PV, --cdrom ones HVM, unless told */
	if (req->virt == XVM_VIRT_PV)
		pv = true;
	else if (req->virt == XVM_VIRT_HVM)
		pv = false;
	else
		pv = req->method != XVM_INST_CDROM || !host->hvm;
	if (pv && !host->pv) {
		xvm_err_set(err, XVM_ERR_CONFIG_UNSUPPORTED, "Host does not "
		    "support paravirtualized guests");
		goto fail;
	}
	if (!pv && !host->hvm) {
		xvm_err_set(err, XVM_ERR_CONFIG_UNSUPPORTED, "Host does not "
		    "support HVM guests: this CPU lacks VT-x or AMD-V, or it "
		    "is off in the firmware");
		goto fail;
	}
	if (req->method == XVM_INST_CDROM) {
		struct stat st;

		if (stat(req->cdrom, &st) < 0 || !S_ISREG(st.st_mode)) {
			xvm_err_set(err, XVM_ERR_INVALID_ARG, "Validating "
			    "install media '%s' failed: %s", req->cdrom,
			    errno == ENOENT ? "no such file" :
			    "not a file");
			goto fail;
		}
	}
	if ((req->boot_initrd || req->boot_args) && !req->boot_kernel) {
		xvm_err_set(err, XVM_ERR_INVALID_ARG, "--boot: initrd= and "
		    "kernel_args= need kernel=");
		goto fail;
	}
	if (req->method == XVM_INST_IMPORT && req->ndisks == 0) {
		xvm_err_set(err, XVM_ERR_INVALID_ARG, "A disk device must be "
		    "specified with --import.");
		goto fail;
	}
	if ((req->extra_args || req->autocf) &&
	    req->method != XVM_INST_LOCATION) {
		xvm_err_set(err, XVM_ERR_INVALID_ARG, "--%s only works if "
		    "specified with --location.", req->autocf ? "autocf" :
		    "extra-args");
		goto fail;
	}
	for (i = 0; i < req->nnics; i++) {
		unsigned char mac[6];

		if (req->nics[i].mac && xvm_inst_parse_mac(req->nics[i].mac,
		    mac, err) < 0)
			goto fail;
	}
	if (check_disks(req, p, err) < 0)
		goto fail;

	/* the final domain: boots from its first disk */
	p->final = base_domain(req, host, pv, uuid);
	add_disks(req, pv, p->final, NULL);
	if (add_nics(req, host, p->final, err) < 0)
		goto fail;
	add_graphics(req, pv, p->final);
	if (req->nboot) {
		memcpy(p->final->os.boot, req->boot, sizeof(req->boot));
		p->final->os.nboot = req->nboot;
	} else if (!pv) {
		p->final->os.boot[0] = XVM_BOOT_HD;
		p->final->os.nboot = 1;
	}
	if (req->boot_kernel) {
		/* direct kernel boot from this host's files */
		p->final->os.kernel = xvm_strdup(req->boot_kernel);
		if (req->boot_initrd)
			p->final->os.initrd = xvm_strdup(req->boot_initrd);
		if (req->boot_args)
			p->final->os.cmdline = xvm_strdup(req->boot_args);
	} else if (pv) {
		/* a PV guest boots the kernel on its disk through a
		   bootloader, as xVM's PV guests did */
		p->final->os.bootloader = xvm_strdup("pygrub");
	}

	if (req->method == XVM_INST_IMPORT) {
		*plan_r = p;
		return 0;
	}
	/* the install phase: the same guest, booting the installer */
	p->install = xvm_domain_copy(p->final);
	p->install->on_reboot = XVM_LIFE_DESTROY;
	free(p->install->os.bootloader);
	p->install->os.bootloader = NULL;
	if (req->method == XVM_INST_CDROM) {
		/* the ISO in the install phase, an empty drive after */
		while (p->install->ndisks)
			xvm_domain_remove_disk(p->install,
			    p->install->ndisks - 1);
		add_disks(req, pv, p->install, req->cdrom);
		if (!pv) {
			p->install->os.boot[0] = XVM_BOOT_CDROM;
			p->install->os.boot[1] = XVM_BOOT_HD;
			p->install->os.nboot = 2;
		}
	}
	if (req->method == XVM_INST_LOCATION || (pv &&
	    req->method == XVM_INST_CDROM)) {
		/* the installer's kernel and ramdisk, from the media */
		p->install->os.nboot = 0;
		p->install->os.cmdline = req->extra_args ?
		    xvm_strdup(req->extra_args) : NULL;
		p->tree_kernel = req->kernel ? xvm_strdup(req->kernel) : NULL;
		p->tree_initrd = req->initrd ? xvm_strdup(req->initrd) : NULL;
	}
	*plan_r = p;
	return 0;
fail:
	xvm_inst_plan_free(p);
	return -1;
}

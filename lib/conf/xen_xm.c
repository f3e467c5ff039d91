/*
 * xen_xm.c - the xm dialect ("xen-xm", xmdomain.cfg(5)): the boot
 * settings, "phy:/dev/x,xvda,w" disks and USB input devices, on top of
 * what xen_common.c reads and writes.  Follows libvirt 9.0's
 * src/libxl/xen_xm.c.
 */
#include <stdlib.h>
#include <string.h>

#include "conf/xen_int.h"

static int
parse_os(struct xen_parse *p)
{
	struct xvm_os *os = &p->d->os;
	const char *s, *root = NULL, *extra = NULL;
	int rc;

	if (p->hvm) {
		/* xm's kernel is the HVM firmware */
		if ((rc = xen_get_str(p, "kernel", &s, NULL)) < 0)
			return -1;
		os->loader = xvm_strdup(rc == 1 && *s ? s :
		    p->caps->hvm_loader);
		os->loader_type = xvm_strdup("rom");
		return xen_parse_boot(p);
	}
	if ((rc = xen_get_str(p, "bootloader", &s, NULL)) < 0)
		return -1;
	if (rc == 1)
		os->bootloader = xvm_strdup(s);
	if ((rc = xen_get_str(p, "bootargs", &s, NULL)) < 0)
		return -1;
	if (rc == 1)
		os->bootloader_args = xvm_strdup(s);
	if ((rc = xen_get_str(p, "kernel", &s, NULL)) < 0)
		return -1;
	if (rc == 1)
		os->kernel = xvm_strdup(s);
	if ((rc = xen_get_str(p, "ramdisk", &s, NULL)) < 0)
		return -1;
	if (rc == 1)
		os->initrd = xvm_strdup(s);
	if (xen_get_str(p, "extra", &extra, NULL) < 0 ||
	    xen_get_str(p, "root", &root, NULL) < 0)
		return -1;
	if (root && extra)
		os->cmdline = xvm_asprintf("root=%s %s", root, extra);
	else if (root)
		os->cmdline = xvm_asprintf("root=%s", root);
	else if (extra)
		os->cmdline = xvm_strdup(extra);
	return 0;
}

static int
disk_bad(struct xen_parse *p, const struct xvm_cfg_value *v, const char *why)
{
	return xen_bad(p, v, "disk '%s' %s", xen_text(v), why);
}

/* SOURCE,[ioemu:]TARGET[:cdrom],MODE  e.g. phy:/dev/vg/g1,xvda,w */
static int
parse_disk(struct xen_parse *p, const struct xvm_cfg_value *v)
{
	const char *spec = xen_text(v), *c1, *c2, *t, *mode, *colon;
	struct xvm_disk *disk;
	char *src = NULL, *dst = NULL, *sub;
	size_t modelen;
	int rc = -1;

	if (strchr(spec, '=') != NULL)
		return disk_bad(p, v, "is an xl disk specification; read the "
		    "config as xl");
	if ((c1 = strchr(spec, ',')) == NULL)
		return disk_bad(p, v, "has no target device");
	t = c1 + 1;
	if (xvm_has_prefix(t, "ioemu:"))
		t += 6;
	if ((c2 = strchr(t, ',')) == NULL)
		return *t ? disk_bad(p, v, "has no access mode (r or w)") :
		    disk_bad(p, v, "has no target device");
	if (c2 == t)
		return disk_bad(p, v, "has no target device");
	mode = c2 + 1;
	modelen = strcspn(mode, ",");

	disk = xvm_domain_add_disk(p->d);
	dst = xvm_strndup(t, (size_t)(c2 - t));
	if (c1 != spec)
		src = xvm_strndup(spec, (size_t)(c1 - spec));

	/* the driver: phy:, file:, tap:aio:, tap2:qcow2: ... */
	if (src && (colon = strchr(src, ':')) != NULL) {
		disk->driver_name = xvm_strndup(src, (size_t)(colon - src));
		sub = xvm_strdup(colon + 1);
		free(src);
		src = sub;
		if (strcmp(disk->driver_name, "tap") == 0 ||
		    strcmp(disk->driver_name, "tap2") == 0) {
			static const char *const fmts[] = { "raw", "qcow",
			    "qcow2", "vhd", "qed", "vmdk", "cow", "bochs",
			    "cloop", "dmg", "iso", "vpc", "vdi", "ploop" };
			size_t i;

			if ((colon = strchr(src, ':')) == NULL) {
				disk_bad(p, v, "has no tap disk type (such as "
				    "tap:aio:PATH)");
				goto out;
			}
			sub = xvm_strndup(src, (size_t)(colon - src));
			if (strcmp(sub, "aio") == 0) {
				disk->driver_type = xvm_strdup("raw");
			} else {
				for (i = 0; i < XVM_ARRAY_SIZE(fmts); i++)
					if (strcmp(sub, fmts[i]) == 0)
						break;
				if (i == XVM_ARRAY_SIZE(fmts)) {
					xen_bad(p, v, "disk '%s' has an "
					    "unknown tap disk type '%s'", spec,
					    sub);
					free(sub);
					goto out;
				}
				disk->driver_type = sub;
				sub = NULL;
			}
			free(sub);
			sub = xvm_strdup(colon + 1);
			free(src);
			src = sub;
		}
		if (disk->driver_name[0] == '\0') {
			disk_bad(p, v, "has an empty driver name");
			goto out;
		}
	}
	if (src && *src == '\0') {
		disk_bad(p, v, "has an empty source path");
		goto out;
	}
	disk->src = src;
	src = NULL;
	if (disk->driver_name == NULL)
		disk->driver_name = xvm_strdup("phy");
	disk->type = strcmp(disk->driver_name, "phy") == 0 ? XVM_DISK_BLOCK :
	    XVM_DISK_FILE;

	disk->device = XVM_DEV_DISK;
	if ((sub = strchr(dst, ':')) != NULL) {
		if (strcmp(sub, ":cdrom") == 0) {
			disk->device = XVM_DEV_CDROM;
		} else if (strcmp(sub, ":disk") != 0) {
			xen_bad(p, v, "disk '%s': unknown device type '%s' "
			    "(want cdrom or disk)", spec, sub + 1);
			goto out;
		}
		*sub = '\0';
	}
	if (!xen_disk_target_ok(dst, !p->hvm)) {
		xen_bad(p, v, "disk '%s' has an invalid target device '%s'",
		    spec, dst);
		goto out;
	}
	{
		char *name = xen_disk_target_name(dst);

		free(dst);
		dst = name;
	}
	if (xen_disk_target_dup(p, v, dst) < 0)
		goto out;
	if (mode[modelen] == ',') {
		disk_bad(p, v, "names a backend domain; that is not "
		    "supported");
		goto out;
	}
	disk->target = dst;
	dst = NULL;
	if (xvm_has_prefix(disk->target, "xvd") || !p->hvm)
		disk->bus = XVM_BUS_XEN;
	else if (xvm_has_prefix(disk->target, "sd"))
		disk->bus = XVM_BUS_SCSI;
	else
		disk->bus = XVM_BUS_IDE;

	if (modelen == 1 && (mode[0] == 'r')) {
		disk->readonly = true;
	} else if (strncmp(mode, "ro", modelen) == 0 && modelen == 2) {
		disk->readonly = true;
	} else if ((modelen == 2 && strncmp(mode, "w!", 2) == 0) ||
	    (modelen == 1 && mode[0] == '!')) {
		disk->shareable = true;
	} else if (!(modelen == 1 && mode[0] == 'w') &&
	    !(modelen == 2 && strncmp(mode, "rw", 2) == 0)) {
		xen_bad(p, v, "disk '%s' has an invalid access mode '%.*s' "
		    "(want r, w or w!)", spec, (int)modelen, mode);
		goto out;
	}
	rc = 0;
out:
	free(src);
	free(dst);
	return rc;
}

int
xen_xm_parse(struct xen_parse *p)
{
	if (parse_os(p) < 0 || xen_parse_each(p, "disk", parse_disk) < 0 ||
	    xen_parse_usbdevice(p, false) < 0)
		return -1;
	return 0;
}

static int
format_os(struct xen_format *f)
{
	const struct xvm_os *os = &f->d->os;

	if (f->hvm) {
		xen_set_str(f->cfg, "builder", "hvm");
		if (os->loader)
			xen_set_str(f->cfg, "kernel", os->loader);
		return xen_format_boot(f);
	}
	if (os->type == XVM_OS_XENPVH)
		return xen_fail(f, XVM_ERR_CONFIG_UNSUPPORTED, "xm configs cannot "
		    "describe PVH guests; use the xl dialect");
	if (os->bootloader)
		xen_set_str(f->cfg, "bootloader", os->bootloader);
	if (os->bootloader_args)
		xen_set_str(f->cfg, "bootargs", os->bootloader_args);
	if (os->kernel)
		xen_set_str(f->cfg, "kernel", os->kernel);
	if (os->initrd)
		xen_set_str(f->cfg, "ramdisk", os->initrd);
	if (os->cmdline)
		xen_set_str(f->cfg, "extra", os->cmdline);
	return 0;
}

static int
format_disk(struct xen_format *f, const struct xvm_disk *disk,
    struct xvm_buf *b)
{
	/* libvirt's post-parse makes every format at least raw */
	const char *fmt = disk->driver_type ? disk->driver_type : "raw";
	const char *drv = disk->driver_name;

	if (disk->transient)
		return xen_fail(f, XVM_ERR_CONFIG_UNSUPPORTED, "transient disks not "
		    "supported yet");
	if (disk->type == XVM_DISK_NETWORK)
		return xen_fail(f, XVM_ERR_CONFIG_UNSUPPORTED, "xm configs cannot "
		    "describe network disks ('%s')", disk->target ?
		    disk->target : "");
	if (disk->src) {
		if (drv) {
			xvm_buf_printf(b, "%s:", drv);
			if (strcmp(drv, "tap") == 0 ||
			    strcmp(drv, "tap2") == 0)
				xvm_buf_printf(b, "%s:", strcmp(fmt, "raw") ?
				    fmt : "aio");
		}
		xvm_buf_puts(b, disk->src);
	}
	xvm_buf_printf(b, ",%s", disk->target ? disk->target : "");
	if (disk->device == XVM_DEV_CDROM)
		xvm_buf_puts(b, ":cdrom");
	if (disk->readonly)
		xvm_buf_puts(b, ",r");
	else if (disk->shareable)
		xvm_buf_puts(b, ",!");
	else
		xvm_buf_puts(b, ",w");
	return 0;
}

static void
format_inputs(struct xen_format *f)
{
	size_t i;

	if (!f->hvm)
		return;
	for (i = 0; i < f->d->ninputs; i++) {
		const struct xvm_input *in = &f->d->inputs[i];

		if (!xvm_streq(in->bus, "usb"))
			continue;
		xen_set_int(f->cfg, "usb", 1);
		if (xvm_streq(in->type, "mouse") ||
		    xvm_streq(in->type, "tablet") ||
		    xvm_streq(in->type, "keyboard")) {
			xen_set_str(f->cfg, "usbdevice", in->type);
			break;
		}
	}
}

static int
no_xm(struct xen_format *f, const char *what)
{
	return xen_fail(f, XVM_ERR_CONFIG_UNSUPPORTED, "%s cannot be written to an "
	    "xm config; use the xl dialect", what);
}

int
xen_xm_check(struct xen_format *f)
{
	const struct xvm_domain *d = f->d;
	size_t i, usb = 0;

	if (d->os.type == XVM_OS_XENPVH)
		return no_xm(f, "a PVH guest");
	if (f->hvm && (d->os.kernel || d->os.initrd || d->os.cmdline))
		return no_xm(f, "direct kernel boot of an HVM guest");
	if (xvm_streq(d->os.loader_type, "pflash"))
		return no_xm(f, "UEFI firmware");
	if (d->os.acpi_slic)
		return no_xm(f, "an ACPI SLIC table");
	if (d->cpu.mode || d->cpu.nfeatures || d->cpu.ncells)
		return no_xm(f, "a CPU model, cpuid or vNUMA");
	if (d->nchannels)
		return no_xm(f, "a channel");
	if (d->nemulator_args)
		return no_xm(f, "device model arguments");
	for (i = 0; i < d->ngraphics; i++)
		if (d->graphics[i].type == XVM_GFX_SPICE)
			return no_xm(f, "SPICE graphics");
	for (i = 0; i < d->ncontrollers; i++) {
		const struct xvm_controller *c = &d->controllers[i];

		if (c->type == XVM_CTRL_USB)
			return no_xm(f, "a USB controller");
		if (c->type == XVM_CTRL_XENBUS && (c->max_grant_frames > 0 ||
		    c->max_event_channels > 0))
			return no_xm(f, "a grant frame or event channel limit");
	}
	for (i = 0; i < d->nhostdevs; i++)
		if (!xvm_streq(d->hostdevs[i].type, "pci"))
			return no_xm(f, "a USB host device");
	for (i = 0; i < d->ninputs; i++)
		if (xvm_streq(d->inputs[i].bus, "usb"))
			usb++;
	if (f->hvm && usb > 1)
		return no_xm(f, "more than one USB input device");
	return 0;
}

int
xen_xm_format(struct xen_format *f)
{
	if (format_os(f) < 0 || xen_format_each_disk(f, format_disk) < 0)
		return -1;
	format_inputs(f);
	return 0;
}

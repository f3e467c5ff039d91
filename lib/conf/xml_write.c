/*
 * xml_write.c - struct xvm_domain to libvirt domain XML, written the way
 * libvirt 9.0's formatter writes it: two-space indent, single-quoted
 * attributes, libvirt's element and attribute order, devices grouped by
 * kind in libvirt's order (emulator, disks, controllers, interfaces,
 * serials, parallels, consoles, channels, inputs, graphics, sounds,
 * videos, hostdevs, memballoon), and <xen:commandline> after </devices>.
 *
 * Text and attribute values are escaped as libvirt escapes them (< > & ' "
 * as entities, other control characters dropped), except that a tab,
 * newline or carriage return in an attribute, and a carriage return in
 * text, are written as character references so that they read back
 * unchanged (libvirt writes them raw and loses them on the next read).
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "xvm/domxml.h"
#include "xml_int.h"

/* Append s escaped for XML; attr: for an attribute value. */
static void
esc(struct xvm_buf *b, const char *s, bool attr)
{
	const char *run = s;

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		const char *rep = NULL;

		switch (c) {
		case '<':
			rep = "&lt;";
			break;
		case '>':
			rep = "&gt;";
			break;
		case '&':
			rep = "&amp;";
			break;
		case '\'':
			rep = "&apos;";
			break;
		case '"':
			rep = "&quot;";
			break;
		case '\t':
			rep = attr ? "&#9;" : NULL;
			break;
		case '\n':
			rep = attr ? "&#10;" : NULL;
			break;
		case '\r':
			rep = "&#13;";
			break;
		default:
			if (c < 0x20)
				rep = "";	/* dropped, as libvirt does */
			break;
		}
		if (rep == NULL)
			continue;
		xvm_buf_add(b, run, (size_t)(s - run));
		xvm_buf_puts(b, rep);
		run = s + 1;
	}
	xvm_buf_add(b, run, (size_t)(s - run));
}

static void
ind(struct xvm_buf *b, int level)
{
	xvm_buf_pad(b, (size_t)level * 2, ' ');
}

/* " name='value'" when value is set. */
static void
attr(struct xvm_buf *b, const char *name, const char *value)
{
	if (value == NULL)
		return;
	xvm_buf_printf(b, " %s='", name);
	esc(b, value, true);
	xvm_buf_putc(b, '\'');
}

static void
attr_u(struct xvm_buf *b, const char *name, unsigned long long v)
{
	xvm_buf_printf(b, " %s='%llu'", name, v);
}

static void
attr_yesno(struct xvm_buf *b, const char *name, bool v)
{
	xvm_buf_printf(b, " %s='%s'", name, v ? "yes" : "no");
}

/* "<name>value</name>" on its own line, when value is set. */
static void
text_elem(struct xvm_buf *b, int level, const char *name, const char *value)
{
	if (value == NULL)
		return;
	ind(b, level);
	xvm_buf_printf(b, "<%s>", name);
	esc(b, value, false);
	xvm_buf_printf(b, "</%s>\n", name);
}

static const char *
tri_state(enum xvm_tristate t)
{
	return t == XVM_TRI_YES ? "on" : t == XVM_TRI_NO ? "off" : NULL;
}

static const char *
tri_yesno(enum xvm_tristate t)
{
	return t == XVM_TRI_YES ? "yes" : t == XVM_TRI_NO ? "no" : NULL;
}

static const char *
life_name(enum xvm_lifecycle l, enum xvm_lifecycle def)
{
	const char *n = xvm_lifecycle_name(l);

	return n ? n : xvm_lifecycle_name(def);
}

static void
write_memory_vcpu(struct xvm_buf *b, const struct xvm_domain *d)
{
	unsigned vcpus = d->vcpus ? d->vcpus : 1;

	xvm_buf_printf(b, "  <memory unit='KiB'>%llu</memory>\n",
	    d->memory_kib);
	xvm_buf_printf(b, "  <currentMemory unit='KiB'>%llu</currentMemory>\n",
	    d->current_kib ? d->current_kib : d->memory_kib);
	xvm_buf_puts(b, "  <vcpu placement='static'");
	attr(b, "cpuset", d->cpuset);
	if (d->vcpus_current && d->vcpus_current != vcpus)
		attr_u(b, "current", d->vcpus_current);
	xvm_buf_printf(b, ">%u</vcpu>\n", vcpus);
	if (d->cpu_weight >= 0)
		xvm_buf_printf(b, "  <cputune>\n    <shares>%lld</shares>\n"
		    "  </cputune>\n", d->cpu_weight);
}

static void
write_os(struct xvm_buf *b, const struct xvm_os *os)
{
	size_t i;

	text_elem(b, 1, "bootloader", os->bootloader);
	text_elem(b, 1, "bootloader_args", os->bootloader_args);
	xvm_buf_puts(b, "  <os>\n");
	if (os->type != XVM_OS_NONE) {
		xvm_buf_puts(b, "    <type");
		attr(b, "arch", os->arch);
		attr(b, "machine", os->machine);
		xvm_buf_printf(b, ">%s</type>\n", xvm_os_type_name(os->type));
	}
	if (os->loader || os->loader_type ||
	    os->loader_readonly != XVM_TRI_DEFAULT) {
		xvm_buf_puts(b, "    <loader");
		attr(b, "readonly", tri_yesno(os->loader_readonly));
		attr(b, "type", os->loader_type);
		if (os->loader) {
			xvm_buf_putc(b, '>');
			esc(b, os->loader, false);
			xvm_buf_puts(b, "</loader>\n");
		} else {
			xvm_buf_puts(b, "/>\n");
		}
	}
	text_elem(b, 2, "nvram", os->nvram);
	text_elem(b, 2, "kernel", os->kernel);
	text_elem(b, 2, "initrd", os->initrd);
	text_elem(b, 2, "cmdline", os->cmdline);
	text_elem(b, 2, "root", os->root);
	if (os->acpi_slic) {
		xvm_buf_puts(b, "    <acpi>\n      <table type='slic'>");
		esc(b, os->acpi_slic, false);
		xvm_buf_puts(b, "</table>\n    </acpi>\n");
	}
	for (i = 0; i < os->nboot && i < XVM_ARRAY_SIZE(os->boot); i++) {
		const char *n = xvm_boot_dev_name(os->boot[i]);

		if (n)
			xvm_buf_printf(b, "    <boot dev='%s'/>\n", n);
	}
	xvm_buf_puts(b, "  </os>\n");
}

static void
write_features(struct xvm_buf *b, const struct xvm_features *f)
{
	bool xen = f->e820_host != XVM_TRI_DEFAULT ||
	    f->passthrough != XVM_TRI_DEFAULT;

	if (!f->acpi && !f->apic && !f->pae && f->hap == XVM_TRI_DEFAULT &&
	    f->viridian != XVM_TRI_YES && !xen)
		return;
	xvm_buf_puts(b, "  <features>\n");
	if (f->acpi)
		xvm_buf_puts(b, "    <acpi/>\n");
	if (f->apic)
		xvm_buf_puts(b, "    <apic/>\n");
	if (f->pae)
		xvm_buf_puts(b, "    <pae/>\n");
	if (f->hap != XVM_TRI_DEFAULT)
		xvm_buf_printf(b, "    <hap state='%s'/>\n", tri_state(f->hap));
	if (f->viridian == XVM_TRI_YES)
		xvm_buf_puts(b, "    <viridian/>\n");
	if (xen) {
		xvm_buf_puts(b, "    <xen>\n");
		if (f->e820_host != XVM_TRI_DEFAULT)
			xvm_buf_printf(b, "      <e820_host state='%s'/>\n",
			    tri_state(f->e820_host));
		if (f->passthrough != XVM_TRI_DEFAULT) {
			xvm_buf_printf(b, "      <passthrough state='%s'",
			    tri_state(f->passthrough));
			attr(b, "mode", f->passthrough_mode);
			xvm_buf_puts(b, "/>\n");
		}
		xvm_buf_puts(b, "    </xen>\n");
	}
	xvm_buf_puts(b, "  </features>\n");
}

static void
write_numa(struct xvm_buf *b, const struct xvm_cpu *cpu)
{
	size_t i, k;

	xvm_buf_puts(b, "    <numa>\n");
	for (i = 0; i < cpu->ncells; i++) {
		const struct xvm_numa_cell *c = &cpu->cells[i];
		bool any = false;

		xvm_buf_printf(b, "      <cell id='%u'", c->id);
		attr(b, "cpus", c->cpus);
		xvm_buf_printf(b, " memory='%llu' unit='KiB'", c->memory_kib);
		for (k = 0; k < c->ndistances; k++)
			any = any || c->distances[k] != 0;
		if (!any) {
			xvm_buf_puts(b, "/>\n");
			continue;
		}
		xvm_buf_puts(b, ">\n        <distances>\n");
		for (k = 0; k < c->ndistances; k++)
			if (c->distances[k] != 0)
				xvm_buf_printf(b, "          <sibling id='%zu' "
				    "value='%u'/>\n", k, c->distances[k]);
		xvm_buf_puts(b, "        </distances>\n      </cell>\n");
	}
	xvm_buf_puts(b, "    </numa>\n");
}

static void
write_cpu(struct xvm_buf *b, const struct xvm_cpu *cpu)
{
	size_t i;

	if (!cpu->mode && !cpu->match && !cpu->check && !cpu->model &&
	    !cpu->nfeatures && !cpu->ncells)
		return;
	xvm_buf_puts(b, "  <cpu");
	attr(b, "mode", cpu->mode);
	attr(b, "match", cpu->match);
	attr(b, "check", cpu->check);
	if (!cpu->model && !cpu->nfeatures && !cpu->ncells) {
		xvm_buf_puts(b, "/>\n");
		return;
	}
	xvm_buf_puts(b, ">\n");
	if (cpu->model) {
		xvm_buf_puts(b, "    <model fallback='allow'>");
		esc(b, cpu->model, false);
		xvm_buf_puts(b, "</model>\n");
	}
	for (i = 0; i < cpu->nfeatures; i++) {
		xvm_buf_puts(b, "    <feature");
		attr(b, "policy", cpu->features[i].policy);
		attr(b, "name", cpu->features[i].name);
		xvm_buf_puts(b, "/>\n");
	}
	if (cpu->ncells)
		write_numa(b, cpu);
	xvm_buf_puts(b, "  </cpu>\n");
}

static void
write_clock(struct xvm_buf *b, const struct xvm_clock *c)
{
	size_t i;

	xvm_buf_printf(b, "  <clock offset='%s'",
	    xvm_clock_offset_name(c->offset) ?
	    xvm_clock_offset_name(c->offset) : "utc");
	switch (c->offset) {
	case XVM_CLOCK_VARIABLE:
		xvm_buf_printf(b, " adjustment='%lld'", c->adjustment);
		attr(b, "basis", c->basis ? c->basis : "utc");
		break;
	case XVM_CLOCK_TIMEZONE:
		attr(b, "timezone", c->timezone);
		break;
	default:
		if (c->adjustment_reset)
			xvm_buf_puts(b, " adjustment='reset'");
		break;
	}
	if (c->ntimers == 0) {
		xvm_buf_puts(b, "/>\n");
		return;
	}
	xvm_buf_puts(b, ">\n");
	for (i = 0; i < c->ntimers; i++) {
		const struct xvm_timer *t = &c->timers[i];

		xvm_buf_puts(b, "    <timer");
		attr(b, "name", t->name);
		attr(b, "present", tri_yesno(t->present));
		attr(b, "tickpolicy", t->tickpolicy);
		attr(b, "mode", t->mode);
		xvm_buf_puts(b, "/>\n");
	}
	xvm_buf_puts(b, "  </clock>\n");
}

static void
write_addr(struct xvm_buf *b, int level, const struct xvm_addr *a)
{
	switch (a->type) {
	case XVM_ADDR_DRIVE:
		ind(b, level);
		xvm_buf_printf(b, "<address type='drive' controller='%u' "
		    "bus='%u' target='%u' unit='%u'/>\n", a->controller,
		    a->bus, a->target, a->unit);
		break;
	case XVM_ADDR_PCI:
		ind(b, level);
		xvm_buf_printf(b, "<address type='pci' domain='0x%04x' "
		    "bus='0x%02x' slot='0x%02x' function='0x%x'/>\n",
		    a->domain, a->bus, a->slot, a->function);
		break;
	case XVM_ADDR_USB:
		ind(b, level);
		xvm_buf_printf(b, "<address type='usb' bus='%u'", a->bus);
		attr(b, "port", a->port);
		xvm_buf_puts(b, "/>\n");
		break;
	default:
		break;
	}
}

static void
write_disk_source(struct xvm_buf *b, const struct xvm_disk *disk)
{
	size_t i;

	switch (disk->type) {
	case XVM_DISK_NETWORK:
		if (!disk->protocol && !disk->src && !disk->nhosts)
			return;
		xvm_buf_puts(b, "      <source");
		attr(b, "protocol", disk->protocol);
		attr(b, "name", disk->src);
		if (!disk->nhosts) {
			xvm_buf_puts(b, "/>\n");
			return;
		}
		xvm_buf_puts(b, ">\n");
		for (i = 0; i < disk->nhosts; i++) {
			xvm_buf_puts(b, "        <host");
			attr(b, "name", disk->hosts[i].name);
			attr(b, "port", disk->hosts[i].port);
			xvm_buf_puts(b, "/>\n");
		}
		xvm_buf_puts(b, "      </source>\n");
		return;
	case XVM_DISK_VOLUME: {
		/* kept as "pool/volume" */
		const char *slash;
		char *pool;

		if (!disk->src)
			return;
		slash = strchr(disk->src, '/');
		xvm_buf_puts(b, "      <source");
		if (slash) {
			pool = xvm_strndup(disk->src,
			    (size_t)(slash - disk->src));
			attr(b, "pool", pool);
			free(pool);
			attr(b, "volume", slash + 1);
		} else {
			attr(b, "volume", disk->src);
		}
		xvm_buf_puts(b, "/>\n");
		return;
	}
	default:
		break;
	}
	if (!disk->src)
		return;
	xvm_buf_puts(b, "      <source");
	attr(b, disk->type == XVM_DISK_BLOCK ? "dev" :
	    disk->type == XVM_DISK_DIR ? "dir" : "file", disk->src);
	xvm_buf_puts(b, "/>\n");
}

static void
write_disk(struct xvm_buf *b, const struct xvm_disk *disk)
{
	xvm_buf_printf(b, "    <disk type='%s' device='%s'>\n",
	    xvm_disk_type_name(disk->type) ?
	    xvm_disk_type_name(disk->type) : "file",
	    xvm_disk_device_name(disk->device) ?
	    xvm_disk_device_name(disk->device) : "disk");
	if (disk->driver_name || disk->driver_type) {
		xvm_buf_puts(b, "      <driver");
		attr(b, "name", disk->driver_name);
		attr(b, "type", disk->driver_type);
		xvm_buf_puts(b, "/>\n");
	}
	write_disk_source(b, disk);
	xvm_buf_puts(b, "      <target");
	attr(b, "dev", disk->target);
	attr(b, "bus", xvm_disk_bus_name(disk->bus));
	xvm_buf_puts(b, "/>\n");
	if (disk->readonly)
		xvm_buf_puts(b, "      <readonly/>\n");
	if (disk->shareable)
		xvm_buf_puts(b, "      <shareable/>\n");
	if (disk->transient)
		xvm_buf_puts(b, "      <transient/>\n");
	write_addr(b, 3, &disk->addr);
	xvm_buf_puts(b, "    </disk>\n");
}

static void
write_controller(struct xvm_buf *b, const struct xvm_controller *c)
{
	xvm_buf_printf(b, "    <controller type='%s' index='%d'",
	    xvm_ctrl_type_name(c->type) ? xvm_ctrl_type_name(c->type) :
	    "xenbus", c->index);
	attr(b, "model", c->model);
	if (c->ports)
		xvm_buf_printf(b, " ports='%d'", c->ports);
	if (c->max_grant_frames)
		xvm_buf_printf(b, " maxGrantFrames='%d'", c->max_grant_frames);
	if (c->max_event_channels)
		xvm_buf_printf(b, " maxEventChannels='%d'",
		    c->max_event_channels);
	xvm_buf_puts(b, "/>\n");
}

static void
write_net(struct xvm_buf *b, const struct xvm_net *n)
{
	char mac[18];
	size_t i;

	xvm_buf_printf(b, "    <interface type='%s'>\n",
	    xvm_net_type_name(n->type) ? xvm_net_type_name(n->type) :
	    "bridge");
	if (n->has_mac) {
		xvm_mac_format(n->mac, mac);
		xvm_buf_printf(b, "      <mac address='%s'/>\n", mac);
	}
	if (n->bridge && (n->type == XVM_NET_BRIDGE ||
	    n->type == XVM_NET_NETWORK)) {
		xvm_buf_puts(b, "      <source");
		attr(b, n->type == XVM_NET_BRIDGE ? "bridge" : "network",
		    n->bridge);
		xvm_buf_puts(b, "/>\n");
	}
	if (n->nvlan_tags) {
		xvm_buf_puts(b, "      <vlan");
		if (n->vlan_trunk)
			xvm_buf_puts(b, " trunk='yes'");
		xvm_buf_puts(b, ">\n");
		for (i = 0; i < n->nvlan_tags; i++)
			xvm_buf_printf(b, "        <tag id='%u'/>\n",
			    n->vlan_tags[i]);
		xvm_buf_puts(b, "      </vlan>\n");
	}
	if (n->virtualport) {
		xvm_buf_puts(b, "      <virtualport");
		attr(b, "type", n->virtualport);
		xvm_buf_puts(b, "/>\n");
	}
	if (n->has_rate)
		xvm_buf_printf(b, "      <bandwidth>\n        <outbound "
		    "average='%llu'/>\n      </bandwidth>\n", n->rate_kbps);
	for (i = 0; i < n->nips; i++) {
		xvm_buf_puts(b, "      <ip");
		attr(b, "address", n->ips[i].address);
		attr(b, "family", n->ips[i].family);
		if (n->ips[i].prefix)
			attr_u(b, "prefix", n->ips[i].prefix);
		xvm_buf_puts(b, "/>\n");
	}
	if (n->script) {
		xvm_buf_puts(b, "      <script");
		attr(b, "path", n->script);
		xvm_buf_puts(b, "/>\n");
	}
	if (n->backend_domain) {
		xvm_buf_puts(b, "      <backenddomain");
		attr(b, "name", n->backend_domain);
		xvm_buf_puts(b, "/>\n");
	}
	if (n->ifname) {
		xvm_buf_puts(b, "      <target");
		attr(b, "dev", n->ifname);
		xvm_buf_puts(b, "/>\n");
	}
	if (n->model) {
		xvm_buf_puts(b, "      <model");
		attr(b, "type", n->model);
		xvm_buf_puts(b, "/>\n");
	}
	write_addr(b, 3, &n->addr);
	xvm_buf_puts(b, "    </interface>\n");
}

static void
write_chr_host(struct xvm_buf *b, const char *mode, const char *host,
    const char *service)
{
	xvm_buf_printf(b, "      <source mode='%s'", mode);
	attr(b, "host", host);
	attr(b, "service", service);
	xvm_buf_puts(b, "/>\n");
}

static void
write_chr_source(struct xvm_buf *b, const struct xvm_chr *c, unsigned flags)
{
	switch (c->type) {
	case XVM_CHR_PTY:
		if (!c->path || (flags & XVM_XML_INACTIVE))
			break;
		/* FALLTHROUGH */
	case XVM_CHR_DEV:
	case XVM_CHR_FILE:
	case XVM_CHR_PIPE:
		if (!c->path)
			break;
		xvm_buf_puts(b, "      <source");
		attr(b, "path", c->path);
		xvm_buf_puts(b, "/>\n");
		break;
	case XVM_CHR_UDP:
		if (c->bind_host || c->bind_service)
			write_chr_host(b, "bind", c->bind_host,
			    c->bind_service);
		if (c->host || c->service)
			write_chr_host(b, "connect", c->host, c->service);
		break;
	case XVM_CHR_TCP:
		write_chr_host(b, c->listen ? "bind" : "connect", c->host,
		    c->service);
		xvm_buf_puts(b, "      <protocol");
		attr(b, "type", c->protocol ? c->protocol : "raw");
		xvm_buf_puts(b, "/>\n");
		break;
	case XVM_CHR_UNIX:
		xvm_buf_printf(b, "      <source mode='%s'",
		    c->listen ? "bind" : "connect");
		attr(b, "path", c->path);
		xvm_buf_puts(b, "/>\n");
		break;
	default:
		break;
	}
}

/* A <serial>, <parallel>, <console> or <channel>. */
static void
write_chr(struct xvm_buf *b, const char *elem, const struct xvm_chr *c,
    unsigned flags)
{
	const char *type = xvm_chr_type_name(c->type);

	xvm_buf_printf(b, "    <%s type='%s'", elem, type ? type : "null");
	if (strcmp(elem, "console") == 0 && c->type == XVM_CHR_PTY &&
	    c->path && !(flags & XVM_XML_INACTIVE))
		attr(b, "tty", c->path);
	xvm_buf_puts(b, ">\n");
	write_chr_source(b, c, flags);
	if (c->target_type || c->target_name || c->port >= 0) {
		xvm_buf_puts(b, "      <target");
		attr(b, "type", c->target_type);
		attr(b, "name", c->target_name);
		if (c->port >= 0)
			xvm_buf_printf(b, " port='%d'", c->port);
		xvm_buf_puts(b, "/>\n");
	}
	xvm_buf_printf(b, "    </%s>\n", elem);
}

static void
write_graphics(struct xvm_buf *b, const struct xvm_graphics *g,
    unsigned flags)
{
	bool inactive = (flags & XVM_XML_INACTIVE) != 0;

	switch (g->type) {
	case XVM_GFX_SDL:
		xvm_buf_puts(b, "    <graphics type='sdl'");
		attr(b, "display", g->display);
		attr(b, "xauth", g->xauth);
		if (g->fullscreen)
			xvm_buf_puts(b, " fullscreen='yes'");
		xvm_buf_puts(b, "/>\n");
		return;
	case XVM_GFX_VNC:
		xvm_buf_puts(b, "    <graphics type='vnc'");
		if (g->port > 0 && (!g->autoport || !inactive))
			xvm_buf_printf(b, " port='%d'", g->port);
		else if (g->autoport || g->port == -1)
			xvm_buf_puts(b, " port='-1'");
		break;
	case XVM_GFX_SPICE:
		xvm_buf_puts(b, "    <graphics type='spice'");
		if (g->port)
			xvm_buf_printf(b, " port='%d'", g->port);
		if (g->tls_port)
			xvm_buf_printf(b, " tlsPort='%d'", g->tls_port);
		break;
	default:
		return;
	}
	if (g->has_autoport)
		attr_yesno(b, "autoport", g->autoport);
	attr(b, "listen", g->listen);
	attr(b, "keymap", g->keymap);
	if (flags & XVM_XML_SECURE)
		attr(b, "passwd", g->passwd);
	xvm_buf_puts(b, ">\n      <listen type='address'");
	attr(b, "address", g->listen);
	xvm_buf_puts(b, "/>\n");
	if (g->type == XVM_GFX_SPICE) {
		if (g->mouse_mode) {
			xvm_buf_puts(b, "      <mouse");
			attr(b, "mode", g->mouse_mode);
			xvm_buf_puts(b, "/>\n");
		}
		if (g->clipboard != XVM_TRI_DEFAULT)
			xvm_buf_printf(b, "      <clipboard copypaste='%s'/>\n",
			    tri_yesno(g->clipboard));
	}
	xvm_buf_puts(b, "    </graphics>\n");
}

static void
write_video(struct xvm_buf *b, const struct xvm_video *v)
{
	if (!v->model && !v->vram_kib && !v->heads && !v->primary) {
		xvm_buf_puts(b, "    <video/>\n");
		return;
	}
	xvm_buf_puts(b, "    <video>\n      <model");
	attr(b, "type", v->model);
	if (v->vram_kib)
		attr_u(b, "vram", v->vram_kib);
	if (v->heads)
		attr_u(b, "heads", v->heads);
	if (v->primary)
		xvm_buf_puts(b, " primary='yes'");
	xvm_buf_puts(b, "/>\n    </video>\n");
}

static void
write_hostdev(struct xvm_buf *b, const struct xvm_domain *d,
    const struct xvm_hostdev *h)
{
	bool pci = xvm_streq(h->type, "pci");

	xvm_buf_puts(b, "    <hostdev mode='subsystem'");
	attr(b, "type", h->type);
	attr_yesno(b, "managed", h->managed);
	xvm_buf_puts(b, ">\n");
	if (pci && (!d->virt_type || strcmp(d->virt_type, "xen") == 0))
		xvm_buf_puts(b, "      <driver name='xen'/>\n");
	xvm_buf_puts(b, "      <source");
	/* writeFiltering='no' is what makes a device permissive */
	if (h->permissive != XVM_TRI_DEFAULT)
		attr_yesno(b, "writeFiltering", h->permissive == XVM_TRI_NO);
	xvm_buf_puts(b, ">\n");
	if (pci) {
		xvm_buf_printf(b, "        <address domain='0x%04x' "
		    "bus='0x%02x' slot='0x%02x' function='0x%x'/>\n",
		    h->domain, h->bus, h->slot, h->function);
	} else {
		if (h->vendor) {
			xvm_buf_puts(b, "        <vendor");
			attr(b, "id", h->vendor);
			xvm_buf_puts(b, "/>\n");
		}
		if (h->product) {
			xvm_buf_puts(b, "        <product");
			attr(b, "id", h->product);
			xvm_buf_puts(b, "/>\n");
		}
		if (h->usb_bus || h->usb_device)
			xvm_buf_printf(b, "        <address bus='%u' "
			    "device='%u'/>\n", h->usb_bus, h->usb_device);
	}
	xvm_buf_puts(b, "      </source>\n    </hostdev>\n");
}

static void
write_devices(struct xvm_buf *b, const struct xvm_domain *d, unsigned flags)
{
	size_t i;

	xvm_buf_puts(b, "  <devices>\n");
	text_elem(b, 2, "emulator", d->emulator);
	for (i = 0; i < d->ndisks; i++)
		write_disk(b, &d->disks[i]);
	for (i = 0; i < d->ncontrollers; i++)
		write_controller(b, &d->controllers[i]);
	for (i = 0; i < d->nnets; i++)
		write_net(b, &d->nets[i]);
	for (i = 0; i < d->nserials; i++)
		write_chr(b, "serial", &d->serials[i], flags);
	for (i = 0; i < d->nparallels; i++)
		write_chr(b, "parallel", &d->parallels[i], flags);
	for (i = 0; i < d->nconsoles; i++)
		write_chr(b, "console", &d->consoles[i], flags);
	for (i = 0; i < d->nchannels; i++)
		write_chr(b, "channel", &d->channels[i], flags);
	for (i = 0; i < d->ninputs; i++) {
		xvm_buf_puts(b, "    <input");
		attr(b, "type", d->inputs[i].type);
		attr(b, "bus", d->inputs[i].bus);
		xvm_buf_puts(b, "/>\n");
	}
	for (i = 0; i < d->ngraphics; i++)
		write_graphics(b, &d->graphics[i], flags);
	for (i = 0; i < d->nsounds; i++) {
		xvm_buf_puts(b, "    <sound");
		attr(b, "model", d->sounds[i].model);
		xvm_buf_puts(b, "/>\n");
	}
	for (i = 0; i < d->nvideos; i++)
		write_video(b, &d->videos[i]);
	for (i = 0; i < d->nhostdevs; i++)
		write_hostdev(b, d, &d->hostdevs[i]);
	if (d->memballoon) {
		xvm_buf_puts(b, "    <memballoon");
		attr(b, "model", d->memballoon);
		if (d->memballoon_addr.type == XVM_ADDR_NONE) {
			xvm_buf_puts(b, "/>\n");
		} else {
			xvm_buf_puts(b, ">\n");
			write_addr(b, 3, &d->memballoon_addr);
			xvm_buf_puts(b, "    </memballoon>\n");
		}
	}
	xvm_buf_puts(b, "  </devices>\n");
}

void
xvm_domain_format_xml(const struct xvm_domain *d, unsigned flags,
    struct xvm_buf *b)
{
	char uuid[37];
	size_t i;

	xvm_buf_puts(b, "<domain");
	attr(b, "type", d->virt_type ? d->virt_type : "xen");
	if (!(flags & XVM_XML_INACTIVE) && d->id >= 0)
		xvm_buf_printf(b, " id='%d'", d->id);
	if (d->nemulator_args)
		attr(b, "xmlns:xen", XVM_XML_XEN_NS);
	xvm_buf_puts(b, ">\n");
	text_elem(b, 1, "name", d->name);
	if (d->has_uuid) {
		xvm_uuid_format(d->uuid, uuid);
		xvm_buf_printf(b, "  <uuid>%s</uuid>\n", uuid);
	}
	text_elem(b, 1, "title", d->title);
	text_elem(b, 1, "description", d->description);
	write_memory_vcpu(b, d);
	write_os(b, &d->os);
	write_features(b, &d->features);
	write_cpu(b, &d->cpu);
	write_clock(b, &d->clock);
	xvm_buf_printf(b, "  <on_poweroff>%s</on_poweroff>\n",
	    life_name(d->on_poweroff, XVM_LIFE_DESTROY));
	xvm_buf_printf(b, "  <on_reboot>%s</on_reboot>\n",
	    life_name(d->on_reboot, XVM_LIFE_RESTART));
	xvm_buf_printf(b, "  <on_crash>%s</on_crash>\n",
	    life_name(d->on_crash, XVM_LIFE_DESTROY));
	write_devices(b, d, flags);
	if (d->nemulator_args) {
		xvm_buf_puts(b, "  <xen:commandline>\n");
		for (i = 0; i < d->nemulator_args; i++) {
			xvm_buf_puts(b, "    <xen:arg");
			attr(b, "value", d->emulator_args[i]);
			xvm_buf_puts(b, "/>\n");
		}
		xvm_buf_puts(b, "  </xen:commandline>\n");
	}
	xvm_buf_puts(b, "</domain>\n");
}

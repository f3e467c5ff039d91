/*
 * xen_xl.c - the xl dialect ("xen-xl", xl.cfg(5)): direct kernel boot and
 * OVMF for HVM, PVH, cpuid, vNUMA, xenbus limits, xl disk specifications
 * (xl-disk-configuration(5), as libxlutil's xlu_disk_parse reads them),
 * SPICE, USB devices and controllers, channels and device-model
 * arguments.  Follows libvirt 9.0's src/libxl/xen_xl.c.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf/xen_int.h"

/*
 * In an rbd target, ':' and ';' inside mon_host are escaped with a
 * backslash for qemu.  libvirt's reader takes no escapes, so its files
 * double the backslash; our reader undoes xl's escapes, so one backslash
 * in the value is two in the file.
 */
#define RBD_ESC	"\\"

static bool
cpu_exists(const struct xvm_cpu *c)
{
	return c->mode || c->ncells || c->nfeatures || c->model;
}

static void
add_feature(struct xvm_cpu *c, const char *name, const char *policy)
{
	struct xvm_cpu_feature *f;

	c->features = xvm_realloc(c->features, (c->nfeatures + 1) *
	    sizeof(*f));
	f = &c->features[c->nfeatures++];
	f->name = xvm_strdup(name);
	f->policy = xvm_strdup(policy);
}

static int
parse_cmdline(struct xen_parse *p)
{
	const char *cmdline = NULL, *root = NULL, *extra = NULL;
	struct xvm_os *os = &p->d->os;

	if (xen_get_str(p, "cmdline", &cmdline, NULL) < 0 ||
	    xen_get_str(p, "root", &root, NULL) < 0 ||
	    xen_get_str(p, "extra", &extra, NULL) < 0)
		return -1;
	/* cmdline wins over root= and extra=, as xl has it */
	if (cmdline)
		os->cmdline = xvm_strdup(cmdline);
	else if (root && extra)
		os->cmdline = xvm_asprintf("root=%s %s", root, extra);
	else if (root)
		os->cmdline = xvm_asprintf("root=%s", root);
	else if (extra)
		os->cmdline = xvm_strdup(extra);
	return 0;
}

static int
copy_str(struct xen_parse *p, const char *name, char **out)
{
	const char *s = NULL;
	int rc;

	if ((rc = xen_get_str(p, name, &s, NULL)) == 1)
		*out = xvm_strdup(s);
	return rc < 0 ? -1 : 0;
}

static int
parse_os(struct xen_parse *p)
{
	struct xvm_os *os = &p->d->os;
	const struct xvm_cfg_value *v;
	const char *bios = NULL, *path = NULL;
	int rc, val;

	if (!p->hvm) {
		if (copy_str(p, "bootloader", &os->bootloader) < 0 ||
		    copy_str(p, "bootargs", &os->bootloader_args) < 0 ||
		    copy_str(p, "kernel", &os->kernel) < 0 ||
		    copy_str(p, "ramdisk", &os->initrd) < 0)
			return -1;
		return parse_cmdline(p);
	}

	if (xen_get_str(p, "bios", &bios, &v) < 0 ||
	    xen_get_str(p, "bios_path_override", &path, NULL) < 0)
		return -1;
	if (bios && strcmp(bios, "ovmf") == 0) {
		os->loader = path ? xvm_strdup(path) :
		    xvm_asprintf("%s/ovmf.bin", p->caps->firmware_dir);
		os->loader_type = xvm_strdup("pflash");
		os->loader_readonly = XVM_TRI_YES;
	} else {
		if (bios && strcmp(bios, "rombios") != 0 &&
		    strcmp(bios, "seabios") != 0)
			return xen_bad(p, v, "bios must be rombios, seabios "
			    "or ovmf, not '%s'", bios);
		/* the default firmware; keep the settings as they were */
		if (bios)
			xen_keep(p, "bios");
		if (path)
			xen_keep(p, "bios_path_override");
		os->loader = xvm_strdup(p->caps->hvm_loader);
		os->loader_type = xvm_strdup("rom");
	}
	if (copy_str(p, "acpi_firmware", &os->acpi_slic) < 0 ||
	    copy_str(p, "kernel", &os->kernel) < 0 ||
	    copy_str(p, "ramdisk", &os->initrd) < 0 ||
	    parse_cmdline(p) < 0 || xen_parse_boot(p) < 0)
		return -1;

	if ((rc = xen_get_bool(p, "nestedhvm", -1, &val)) < 0)
		return -1;
	if (rc == 1) {
		if (!cpu_exists(&p->d->cpu))
			p->d->cpu.mode = xvm_strdup("host-passthrough");
		if (val == 0)
			add_feature(&p->d->cpu, "vmx", "disable");
	}
	return 0;
}

/* ---- cpuid ----------------------------------------------------------- */

/* libvirt's CPU feature names and libxl's */
static const char *const cpu_names[][2] = {
	{ "cx16", "cmpxchg16" }, { "cid", "cntxid" }, { "ds_cpl", "dscpl" },
	{ "pclmuldq", "pclmulqdq" }, { "pni", "sse3" }, { "ht", "htt" },
	{ "pn", "psn" }, { "clflush", "clfsh" }, { "sep", "sysenter" },
	{ "cx8", "cmpxchg8" }, { "nodeid_msr", "nodeid" },
	{ "cr8legacy", "altmovcr8" }, { "lahf_lm", "lahfsahf" },
	{ "cmp_legacy", "cmplegacy" }, { "fxsr_opt", "ffxsr" },
	{ "pdpe1gb", "page1gb" }, { "spec-ctrl", "ibrsb" },
};

static const char *
translate_feature(const char *name, bool from_libxl)
{
	size_t i;

	for (i = 0; i < XVM_ARRAY_SIZE(cpu_names); i++)
		if (strcmp(cpu_names[i][from_libxl], name) == 0)
			return cpu_names[i][!from_libxl];
	return name;
}

static int
parse_cpuid(struct xen_parse *p)
{
	struct xvm_strv pairs = XVM_STRV_INIT;
	const struct xvm_cfg_value *v;
	const char *s = NULL;
	size_t i;
	int rc;

	if ((rc = xen_get_str(p, "cpuid", &s, &v)) <= 0) {
		if (rc < 0 && v && v->type == XVM_CFG_LIST) {
			xvm_err_clear(p->err);
			return xen_bad(p, v, "cpuid must be in libxl form "
			    "('host,FEATURE=VALUE,...'); the list form is not "
			    "supported");
		}
		return rc;
	}
	if (!cpu_exists(&p->d->cpu))
		p->d->cpu.mode = xvm_strdup("host-passthrough");
	xvm_strv_split(&pairs, s, ",");
	rc = -1;
	if ((pairs.n > 1 || pairs.v[0][0] != '\0') &&
	    strcmp(pairs.v[0], "host") != 0) {
		xen_bad(p, v, "cpuid starting with '%s' is not supported, "
		    "only libxl's 'host,FEATURE=VALUE,...' is", pairs.v[0]);
		goto out;
	}
	for (i = 1; i < pairs.n; i++) {
		char *eq = strchr(pairs.v[i], '=');
		const char *policy;

		if (eq == NULL || eq == pairs.v[i]) {
			xen_bad(p, v, "invalid cpuid element '%s' (want "
			    "FEATURE=VALUE)", pairs.v[i]);
			goto out;
		}
		*eq++ = '\0';
		if (strcmp(eq, "1") == 0)
			policy = "force";
		else if (strcmp(eq, "0") == 0)
			policy = "disable";
		else if (strcmp(eq, "x") == 0 || strcmp(eq, "k") == 0 ||
		    strcmp(eq, "s") == 0)
			policy = "optional";
		else {
			xen_bad(p, v, "invalid cpuid value '%s=%s' (want 0, 1, "
			    "x, k or s)", pairs.v[i], eq);
			goto out;
		}
		add_feature(&p->d->cpu, translate_feature(pairs.v[i], true),
		    policy);
	}
	rc = 0;
out:
	xvm_strv_release(&pairs);
	return rc;
}

/* ---- vNUMA ----------------------------------------------------------- */

/* vdistances=D,D,...: one distance per vnode; -1 if not */
static int
parse_distances(struct xvm_numa_cell *cell, const char *data, size_t nnodes)
{
	struct xvm_strv d = XVM_STRV_INIT;
	unsigned long long n;
	size_t k;
	int rc = 0;

	xvm_strv_split(&d, data, ",");
	if (d.n != nnodes)
		rc = -1;
	free(cell->distances);
	cell->distances = xvm_calloc(nnodes, sizeof(unsigned));
	cell->ndistances = nnodes;
	for (k = 0; k < nnodes && rc == 0; k++) {
		if (xen_parse_ull(d.v[k], &n) < 0 || n < 10 || n > 255)
			rc = -1;
		else
			cell->distances[k] = (unsigned)n;
	}
	xvm_strv_release(&d);
	return rc;
}

/* [ "pnode=N", "size=MIB", "vcpus=LIST", "vdistances=D,D,..." ] */
static int
parse_vnode(struct xen_parse *p, const struct xvm_cfg_value *node,
    size_t idx, size_t nnodes, size_t *nvcpus)
{
	struct xvm_numa_cell *cell = &p->d->cpu.cells[idx];
	unsigned char bits[XEN_CPUMASK_LEN];
	unsigned long long n;
	bool have_pnode = false;
	size_t i, k;

	cell->id = (unsigned)idx;
	for (i = 0; i < node->nitems; i++) {
		const struct xvm_cfg_value *it = &node->items[i];
		const char *str = xen_text(it), *data = strrchr(str, '=');

		if (it->type == XVM_CFG_LIST || data == NULL)
			return xen_bad(p, it, "vnuma vnode %zu: invalid "
			    "setting '%s' (want KEY=VALUE)", idx, str);
		if (*++data == '\0')
			continue;
		if (xvm_has_prefix(str, "pnode")) {
			if (xen_parse_ull(data, &n) < 0 || n >= nnodes)
				return xen_bad(p, it, "vnuma vnode %zu "
				    "contains invalid pnode value '%s'", idx,
				    data);
			have_pnode = true;
		} else if (xvm_has_prefix(str, "size")) {
			if (xen_parse_ull(data, &n) < 0 || n == 0 ||
			    n > XEN_MAX_MEM_MIB)
				return xen_bad(p, it, "vnuma vnode %zu: size "
				    "must be a number of MiB, not '%s'", idx,
				    data);
			cell->memory_kib = n * 1024;
		} else if (xvm_has_prefix(str, "vcpus")) {
			if (xen_bitmap_parse(data, bits, sizeof(bits)) < 0)
				return xen_bad(p, it, "vnuma vnode %zu: "
				    "invalid vcpus '%s'", idx, data);
			free(cell->cpus);
			cell->cpus = xen_bitmap_format(bits, sizeof(bits));
			for (k = 0; k < sizeof(bits); k++)
				*nvcpus += bits[k];
		} else if (xvm_has_prefix(str, "vdistances")) {
			if (parse_distances(cell, data, nnodes) < 0)
				return xen_bad(p, it, "vnuma vnode %zu: "
				    "vdistances '%s' needs one distance from 10 "
				    "to 255 per vnode (%zu)", idx, data,
				    nnodes);
		} else {
			return xen_bad(p, it, "invalid vnuma configuration "
			    "for vnode %zu: unknown setting '%s'", idx, str);
		}
	}
	if (!have_pnode || cell->cpus == NULL || cell->memory_kib == 0)
		return xen_bad(p, node, "incomplete vnuma configuration for "
		    "vnode %zu (it needs pnode, size and vcpus)", idx);
	return 0;
}

static int
parse_vnuma(struct xen_parse *p)
{
	const struct xvm_cfg_value *v = xen_get(p, "vnuma");
	size_t i, nvcpus = 0;

	if (v == NULL)
		return 0;
	if (v->type != XVM_CFG_LIST)
		return xen_bad(p, v, "vnuma must be a list of vnodes, each a "
		    "list of KEY=VALUE settings");
	for (i = 0; i < v->nitems; i++)
		if (v->items[i].type != XVM_CFG_LIST)
			return xen_bad(p, &v->items[i], "vnuma vnode %zu must "
			    "be a list of KEY=VALUE settings", i);
	if (v->nitems == 0)
		return 0;
	p->d->cpu.cells = xvm_calloc(v->nitems, sizeof(struct xvm_numa_cell));
	p->d->cpu.ncells = v->nitems;
	for (i = 0; i < v->nitems; i++)
		if (parse_vnode(p, &v->items[i], i, v->nitems, &nvcpus) < 0)
			return -1;
	if (nvcpus > p->d->vcpus)
		return xen_bad(p, v, "vnuma configuration contains %zu vcpus, "
		    "which is greater than %u maxvcpus", nvcpus, p->d->vcpus);
	return 0;
}

static int
parse_xenbus(struct xen_parse *p)
{
	struct xvm_controller *c = NULL;
	unsigned long long n;
	const struct xvm_cfg_value *v;
	size_t i;

	for (i = 0; i < p->d->ncontrollers; i++)
		if (p->d->controllers[i].type == XVM_CTRL_XENBUS)
			c = &p->d->controllers[i];
	if (c == NULL) {
		c = xvm_domain_add_controller(p->d);
		c->type = XVM_CTRL_XENBUS;
		c->index = 0;
	}
	if ((v = xen_get(p, "max_event_channels")) != NULL) {
		if (xen_value_ull(v, &n) < 0 || n > 0x7fffffff)
			return xen_bad(p, v, "max_event_channels must be a "
			    "number, not '%s'", xen_text(v));
		c->max_event_channels = (int)n;
	}
	if ((v = xen_get(p, "max_grant_frames")) != NULL) {
		if (xen_value_ull(v, &n) < 0 || n > 0x7fffffff)
			return xen_bad(p, v, "max_grant_frames must be a "
			    "number, not '%s'", xen_text(v));
		c->max_grant_frames = (int)n;
	}
	return 0;
}

/* ---- xl disk specifications (xl-disk-configuration(5)) --------------- */

enum xl_fmt { FMT_UNKNOWN, FMT_RAW, FMT_QCOW, FMT_QCOW2, FMT_VHD, FMT_EMPTY,
    FMT_QED };
enum xl_backend { BE_UNKNOWN, BE_PHY, BE_TAP, BE_QDISK, BE_STANDALONE };

struct xl_disk {
	const char *spec;
	char *target;		/* pdev_path */
	char *vdev;
	char *script;
	char *backend;
	enum xl_fmt format;
	enum xl_backend backendtype;
	bool is_cdrom, readwrite, removable, had_depr_prefix, access_set;
	char msg[256];		/* the first error */
};

static void
xl_disk_release(struct xl_disk *x)
{
	free(x->target);
	free(x->vdev);
	free(x->script);
	free(x->backend);
}

static void
xl_err(struct xl_disk *x, const char *what, const char *near)
{
	if (x->msg[0])
		return;
	if (near)
		snprintf(x->msg, sizeof(x->msg), "%s '%s'", what, near);
	else
		snprintf(x->msg, sizeof(x->msg), "%s", what);
}

static void
save_str(struct xl_disk *x, const char *what, char **where, const char *val)
{
	char msg[64];

	if (*where && **where) {
		snprintf(msg, sizeof(msg), "%s respecified", what);
		xl_err(x, msg, val);
		return;
	}
	free(*where);
	*where = xvm_strdup(val);
}

static void
set_format(struct xl_disk *x, const char *s)
{
	static const struct { const char *name; enum xl_fmt f; } fmts[] = {
		{ "", FMT_RAW }, { "raw", FMT_RAW }, { "qcow", FMT_QCOW },
		{ "qcow2", FMT_QCOW2 }, { "vhd", FMT_VHD },
		{ "empty", FMT_EMPTY }, { "qed", FMT_QED },
	};
	size_t i;

	for (i = 0; i < XVM_ARRAY_SIZE(fmts); i++)
		if (strcmp(s, fmts[i].name) == 0)
			break;
	if (i == XVM_ARRAY_SIZE(fmts)) {
		xl_err(x, "unknown value for format", s);
		return;
	}
	if (x->format != FMT_UNKNOWN && x->format != fmts[i].f) {
		xl_err(x, "format respecified", s);
		return;
	}
	x->format = fmts[i].f;
}

static void
set_access(struct xl_disk *x, const char *s)
{
	if (strcmp(s, "r") == 0 || strcmp(s, "ro") == 0)
		x->readwrite = false;
	else if (strcmp(s, "rw") == 0 || strcmp(s, "w") == 0 || *s == '\0')
		x->readwrite = true;
	else
		xl_err(x, "unknown value for access", s);
}

static void
set_backendtype(struct xl_disk *x, const char *s)
{
	enum xl_backend b;

	if (strcmp(s, "phy") == 0)
		b = BE_PHY;
	else if (strcmp(s, "tap") == 0)
		b = BE_TAP;
	else if (strcmp(s, "qdisk") == 0)
		b = BE_QDISK;
	else if (strcmp(s, "standalone") == 0)
		b = BE_STANDALONE;
	else {
		xl_err(x, "unknown value for backendtype", s);
		return;
	}
	if (x->backendtype != BE_UNKNOWN && x->backendtype != b) {
		xl_err(x, "backendtype respecified", s);
		return;
	}
	x->backendtype = b;
}

/* "hdc:cdrom" - a vdev with a device type; 1 when it was one */
static int
vdev_and_devtype(struct xl_disk *x, char *s)
{
	char *colon = strrchr(s, ':');

	if (colon == NULL)
		return 0;
	*colon++ = '\0';
	save_str(x, "vdev", &x->vdev, s);
	if (strcmp(colon, "cdrom") == 0)
		x->is_cdrom = true;
	else if (strcmp(colon, "disk") == 0)
		x->is_cdrom = false;
	else
		xl_err(x, "unknown deprecated type", colon);
	return 1;
}

static void
positional(struct xl_disk *x, char *s)
{
	if (x->target == NULL) {
		save_str(x, "target", &x->target, s);
	} else if (!x->had_depr_prefix && x->format == FMT_UNKNOWN) {
		if (x->target[0] == '\0' && vdev_and_devtype(x, s))
			x->format = FMT_EMPTY;
		else
			set_format(x, s);
	} else if (x->vdev == NULL) {
		if (!vdev_and_devtype(x, s))
			save_str(x, "vdev", &x->vdev, s);
	} else if (!x->access_set) {
		x->access_set = true;
		set_access(x, s);
	} else {
		xl_err(x, "too many positional parameters", s);
	}
}

static bool
prefix_is(const char *s, const char *const *names, size_t n, size_t *len)
{
	size_t i, l;

	for (i = 0; i < n; i++) {
		l = strlen(names[i]);
		if (strncmp(s, names[i], l) == 0 && s[l] == ':') {
			*len = l;
			return true;
		}
	}
	return false;
}

/* libxlutil's disk lexer: keywords, flags, deprecated prefixes and
   positional parameters, the longest match winning. */
static int
xl_disk_parse(struct xl_disk *x, const char *spec)
{
	static const char *const keys[] = { "format", "devtype", "access",
	    "backend", "backendtype", "specification", "vdev", "script",
	    "colo-host", "colo-port", "colo-export", "active-disk",
	    "hidden-disk", "grant_usage" };
	static const char *const flags[] = { "cdrom", "direct-io-safe",
	    "discard", "no-discard", "colo", "no-colo", "trusted",
	    "untrusted" };
	static const char *const depr_fmt[] = { "raw", "qcow2", "qcow", "vhd" };
	static const char *const depr_script[] = { "iscsi", "nbd", "enbd",
	    "drbd" };
	static const char *const depr_other[] = { "tapdisk", "tap2", "tap",
	    "aio", "ioemu", "file", "phy" };
	const char *s = spec;
	char *tok = NULL;
	size_t i, l, len;

	x->spec = spec;
	x->readwrite = true;
	while (*s && !x->msg[0]) {
		free(tok);
		tok = NULL;
		if (*s == ' ' || *s == '\t' || *s == '\n') {
			s++;
			continue;
		}
		if (strncmp(s, "target=", 7) == 0) {
			/* eats the rest of the string */
			tok = xvm_strdup(s + 7);
			l = strlen(tok);
			if (l && tok[l - 1] == ',')
				tok[l - 1] = '\0';
			save_str(x, "target", &x->target, tok);
			break;
		}
		if (prefix_is(s, depr_fmt, XVM_ARRAY_SIZE(depr_fmt), &l)) {
			tok = xvm_strndup(s, l);
			x->had_depr_prefix = true;
			set_format(x, tok);
			s += l + 1;
			continue;
		}
		if (prefix_is(s, depr_script, XVM_ARRAY_SIZE(depr_script),
		    &l)) {
			tok = xvm_strndup(s, l + 1);
			xl_err(x, "block scripts are not supported: prefix",
			    tok);
			break;
		}
		if (prefix_is(s, depr_other, XVM_ARRAY_SIZE(depr_other), &l)) {
			x->had_depr_prefix = true;
			s += l + 1;
			continue;
		}
		if (islower((unsigned char)*s)) {
			for (l = 1; islower((unsigned char)s[l]) ||
			    isdigit((unsigned char)s[l]); l++)
				;
			if (s[l] == ':' && (s[l + 1] == '\0' ||
			    !isalnum((unsigned char)s[l + 1]))) {
				tok = xvm_strndup(s, l + 1);
				xl_err(x, "unknown deprecated disk prefix",
				    tok);
				break;
			}
		}

		/* KEY=VALUE */
		for (i = 0; i < XVM_ARRAY_SIZE(keys); i++) {
			l = strlen(keys[i]);
			if (strncmp(s, keys[i], l) == 0 && s[l] == '=')
				break;
		}
		if (i < XVM_ARRAY_SIZE(keys)) {
			const char *val = s + l + 1;

			len = strcspn(val, ",");
			tok = xvm_strndup(val, len);
			s = val + len + (val[len] == ',');
			if (strcmp(keys[i], "format") == 0) {
				set_format(x, tok);
			} else if (strcmp(keys[i], "devtype") == 0) {
				if (strcmp(tok, "cdrom") == 0)
					x->is_cdrom = true;
				else if (strcmp(tok, "disk") == 0)
					x->is_cdrom = false;
				else
					xl_err(x, "unknown value for devtype",
					    tok);
			} else if (strcmp(keys[i], "access") == 0) {
				set_access(x, tok);
			} else if (strcmp(keys[i], "backend") == 0) {
				save_str(x, "backend", &x->backend, tok);
			} else if (strcmp(keys[i], "backendtype") == 0) {
				set_backendtype(x, tok);
			} else if (strcmp(keys[i], "vdev") == 0) {
				save_str(x, "vdev", &x->vdev, tok);
			} else if (strcmp(keys[i], "script") == 0) {
				save_str(x, "script", &x->script, tok);
			} else if (strcmp(keys[i], "specification") == 0) {
				if (strcmp(tok, "xen") != 0 &&
				    strcmp(tok, "virtio") != 0)
					xl_err(x, "unknown value for "
					    "specification", tok);
			} else if (strcmp(keys[i], "grant_usage") == 0) {
				if (strcmp(tok, "0") != 0 &&
				    strcmp(tok, "1") != 0)
					xl_err(x, "unknown value for "
					    "grant_usage", tok);
			} else {
				/* COLO replication */
				xl_err(x, "COLO settings are not supported",
				    keys[i]);
			}
			continue;
		}
		/* flags */
		for (i = 0; i < XVM_ARRAY_SIZE(flags); i++) {
			l = strlen(flags[i]);
			if (strncmp(s, flags[i], l) == 0 &&
			    (s[l] == ',' || s[l] == '\0'))
				break;
		}
		if (i < XVM_ARRAY_SIZE(flags)) {
			if (strcmp(flags[i], "cdrom") == 0)
				x->is_cdrom = true;
			else if (strcmp(flags[i], "colo") == 0)
				xl_err(x, "COLO settings are not supported",
				    flags[i]);
			s += l + (s[l] == ',');
			continue;
		}
		/* an unknown NAME=V */
		if (islower((unsigned char)*s)) {
			for (l = 1; islower((unsigned char)s[l]) ||
			    isdigit((unsigned char)s[l]) || s[l] == '-'; l++)
				;
			if (s[l] == '=' && s[l + 1] != ',' && s[l + 1]) {
				len = strcspn(s, ",");
				tok = xvm_strndup(s, len);
				xl_err(x, "unknown parameter", tok);
				break;
			}
		}
		/* a positional parameter */
		len = strcspn(s, "=,");
		if (len == 0 && s[0] != ',') {
			xl_err(x, "bad disk syntax", s);
			break;
		}
		tok = xvm_strndup(s, len);
		s += len + (s[len] == ',');
		positional(x, tok);
	}
	free(tok);
	if (x->msg[0])
		return -1;
	if (x->format == FMT_UNKNOWN)
		x->format = FMT_RAW;
	if (x->is_cdrom) {
		x->removable = true;
		x->readwrite = false;
		if (x->target == NULL || x->target[0] == '\0')
			x->format = FMT_EMPTY;
	}
	if (x->vdev == NULL) {
		xl_err(x, "no vdev specified", NULL);
		return -1;
	}
	if (x->target == NULL && !x->removable) {
		xl_err(x, "no target specified (and device not removable)",
		    NULL);
		return -1;
	}
	return 0;
}

/* rbd:POOL/IMAGE[:OPTION=VALUE...] */
static int
parse_rbd(struct xen_parse *p, const struct xvm_cfg_value *v,
    struct xvm_disk *disk, const char *target)
{
	char *s, *opts, *o, *e, *next;
	int rc = -1;

	/* libvirt's reader kept xl's doubled backslashes */
	s = xvm_strdup(target + 4);
	for (o = e = s; *o; o++) {
		*e++ = *o;
		if (o[0] == '\\' && o[1] == '\\')
			o++;
	}
	*e = '\0';
	disk->type = XVM_DISK_NETWORK;
	disk->protocol = xvm_strdup("rbd");
	if ((opts = strchr(s, ':')) != NULL)
		*opts++ = '\0';
	if (*s == '\0') {
		xen_bad(p, v, "disk '%s' has no rbd image name", xen_text(v));
		goto out;
	}
	disk->src = xvm_strdup(s);
	for (o = opts; o && *o; o = next) {
		for (e = o; *e && *e != ':'; e++)
			if (*e == '\\' && e[1])
				e++;
		next = *e ? e + 1 : e;
		*e = '\0';
		if (strcmp(o, "auth_supported=none") == 0)
			continue;
		if (!xvm_has_prefix(o, "mon_host=")) {
			xen_bad(p, v, "disk '%s': rbd option '%s' is not "
			    "supported", xen_text(v), o);
			goto out;
		}
		for (o += 9; *o; o = next) {
			struct xvm_net_host *h;
			char *sep, *port, *w, *r;

			for (sep = o; *sep; sep++)
				if (sep[0] == '\\' && (sep[1] == ',' ||
				    sep[1] == ';' || sep[1] == ' '))
					break;
			next = *sep ? sep + 2 : sep;
			*sep = '\0';
			disk->hosts = xvm_realloc(disk->hosts,
			    (disk->nhosts + 1) * sizeof(*h));
			h = &disk->hosts[disk->nhosts++];
			memset(h, 0, sizeof(*h));
			if (*o == '[' && (port = strchr(o, ']')) != NULL) {
				o++;
				*port = '\0';
				port = port[1] == '\\' && port[2] == ':' ?
				    port + 3 : NULL;
			} else if ((port = strstr(o, "\\:")) != NULL) {
				*port = '\0';
				port += 2;
			}
			/* unescape "\:" in the name */
			for (r = w = o; *r; r++) {
				if (r[0] == '\\' && r[1] == ':')
					r++;
				*w++ = *r;
			}
			*w = '\0';
			h->name = xvm_strdup(o);
			if (port) {
				unsigned long long n;

				if (xen_parse_ull(port, &n) < 0 || n > 65535) {
					xen_bad(p, v, "disk '%s': invalid rbd "
					    "port '%s'", xen_text(v), port);
					goto out;
				}
				h->port = xvm_strdup(port);
			}
		}
	}
	rc = 0;
out:
	free(s);
	return rc;
}

static int
parse_disk(struct xen_parse *p, const struct xvm_cfg_value *v)
{
	static const char *const fmt_names[] = { NULL, "raw", "qcow", "qcow2",
	    "vhd", NULL, "qed" };
	const char *spec = xen_text(v);
	struct xl_disk x;
	struct xvm_disk *disk;
	char *vdev = NULL;
	int rc = -1;

	memset(&x, 0, sizeof(x));
	if (xl_disk_parse(&x, spec) < 0) {
		xen_bad(p, v, "disk '%s': %s", spec, x.msg);
		goto out;
	}
	if (x.script || (x.backend && *x.backend)) {
		xen_bad(p, v, "disk '%s': %s= is not supported", spec,
		    x.script ? "script" : "backend");
		goto out;
	}
	if (!xen_disk_target_ok(x.vdev, !p->hvm)) {
		xen_bad(p, v, "disk '%s' has an invalid vdev '%s'", spec,
		    x.vdev);
		goto out;
	}
	vdev = xen_disk_target_name(x.vdev);
	if (xen_disk_target_dup(p, v, vdev) < 0)
		goto out;
	if (!x.is_cdrom && x.backendtype == BE_STANDALONE) {
		xen_bad(p, v, "disk '%s': backendtype 'standalone' is not "
		    "supported", spec);
		goto out;
	}

	disk = xvm_domain_add_disk(p->d);
	if (x.target && xvm_has_prefix(x.target, "rbd:")) {
		if (parse_rbd(p, v, disk, x.target) < 0)
			goto out;
	} else if (x.target && *x.target) {
		disk->src = xvm_strdup(x.target);
	}
	disk->target = xvm_strdup(vdev);
	disk->readonly = !x.readwrite;
	if (x.is_cdrom) {
		disk->driver_name = xvm_strdup("qemu");
		disk->type = XVM_DISK_FILE;
		disk->device = XVM_DEV_CDROM;
		disk->driver_type = xvm_strdup("raw");
	} else {
		if (fmt_names[x.format])
			disk->driver_type = xvm_strdup(fmt_names[x.format]);
		switch (x.backendtype) {
		case BE_PHY:
			disk->driver_name = xvm_strdup("phy");
			disk->type = XVM_DISK_BLOCK;
			break;
		case BE_TAP:
			disk->driver_name = xvm_strdup("tap");
			disk->type = XVM_DISK_FILE;
			break;
		default:
			disk->driver_name = xvm_strdup("qemu");
			if (disk->type != XVM_DISK_NETWORK)
				disk->type = XVM_DISK_FILE;
			break;
		}
	}
	if (xvm_has_prefix(vdev, "xvd") || !p->hvm)
		disk->bus = XVM_BUS_XEN;
	else if (xvm_has_prefix(vdev, "sd"))
		disk->bus = XVM_BUS_SCSI;
	else
		disk->bus = XVM_BUS_IDE;
	rc = 0;
out:
	free(vdev);
	xl_disk_release(&x);
	return rc;
}

/* ---- SPICE, USB, channels, device-model arguments -------------------- */

static int
parse_spice(struct xen_parse *p)
{
	struct xvm_graphics *g;
	const struct xvm_cfg_value *v;
	unsigned long long n;
	const char *s = NULL;
	int val, rc;

	if (!p->hvm)
		return 0;
	if (xen_get_bool(p, "spice", 0, &val) < 0)
		return -1;
	if (!val)
		return 0;
	g = xvm_domain_add_graphics(p->d);
	g->type = XVM_GFX_SPICE;
	g->has_autoport = true;
	if (copy_str(p, "spicehost", &g->listen) < 0)
		return -1;
	if ((v = xen_get(p, "spicetls_port")) != NULL) {
		if (xen_value_ull(v, &n) < 0 || n > 65535)
			return xen_bad(p, v, "spicetls_port must be a port "
			    "number, not '%s'", xen_text(v));
		g->tls_port = (int)n;
	}
	if ((v = xen_get(p, "spiceport")) != NULL) {
		if (xen_value_ull(v, &n) < 0 || n > 65535)
			return xen_bad(p, v, "spiceport must be a port "
			    "number, not '%s'", xen_text(v));
		g->port = (int)n;
	}
	if (g->tls_port == 0 && g->port == 0)
		g->autoport = true;
	if (xen_get_bool(p, "spicedisable_ticketing", 0, &val) < 0)
		return -1;
	if (!val) {
		if ((rc = xen_get_str(p, "spicepasswd", &s, NULL)) < 0)
			return -1;
		if (rc == 0)
			return xvm_err_at(p->err, p->cfg->file ? p->cfg->file :
			    "", 0, 0, "spice ticketing is enabled but "
			    "spicepasswd is missing (or set "
			    "spicedisable_ticketing = 1)");
		g->passwd = xvm_strdup(s);
	}
	if (xen_get_bool(p, "spiceagent_mouse", 0, &val) < 0)
		return -1;
	g->mouse_mode = xvm_strdup(val ? "client" : "server");
	if (xen_get_bool(p, "spice_clipboard_sharing", 0, &val) < 0)
		return -1;
	g->clipboard = val ? XVM_TRI_YES : XVM_TRI_NO;
	/* written back from the two above */
	(void)xen_get(p, "spicevdagent");
	return 0;
}

/* "key=value,key=value": the value of key, or NULL */
static char *
kv_get(const char *spec, const char *key)
{
	size_t kl = strlen(key);
	const char *s = spec;

	while (*s) {
		while (*s == ' ' || *s == '\t' || *s == ',')
			s++;
		if (strncmp(s, key, kl) == 0 && s[kl] == '=')
			return xvm_strndup(s + kl + 1, strcspn(s + kl + 1,
			    ","));
		s += strcspn(s, ",");
	}
	return NULL;
}

/* Every key of spec is one of keys; else the first stranger. */
static char *
kv_check(const char *spec, const char *const *keys, size_t n)
{
	const char *s = spec;
	size_t i, l;

	while (*s) {
		while (*s == ' ' || *s == '\t' || *s == ',')
			s++;
		if (*s == '\0')
			break;
		l = strcspn(s, ",");
		for (i = 0; i < n; i++)
			if (strncmp(s, keys[i], strlen(keys[i])) == 0 &&
			    s[strlen(keys[i])] == '=')
				break;
		if (i == n)
			return xvm_strndup(s, l);
		s += l;
	}
	return NULL;
}

static int
hex_int(const char *s, unsigned max, unsigned *out)
{
	char *end;
	unsigned long n;

	if (s == NULL || *s == '\0' || !isxdigit((unsigned char)*s))
		return -1;
	n = strtoul(s, &end, 16);
	if (*end || n > max)
		return -1;
	*out = (unsigned)n;
	return 0;
}

static int
parse_usbdevs(struct xen_parse *p)
{
	static const char *const keys[] = { "hostbus", "hostaddr", "type",
	    "controller", "port" };
	const struct xvm_cfg_value *items;
	size_t i, n;

	if (xen_get_strlist(p, "usbdev", &items, &n) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		const char *spec = xen_text(&items[i]);
		char *bus = kv_get(spec, "hostbus"), *addr = kv_get(spec,
		    "hostaddr"), *bad = kv_check(spec, keys,
		    XVM_ARRAY_SIZE(keys)), *type = kv_get(spec, "type");
		struct xvm_hostdev *h;
		unsigned b = 0, a = 0;
		int rc = 0;

		if (bad)
			rc = xen_bad(p, &items[i], "usbdev '%s': unknown "
			    "setting '%s'", spec, bad);
		else if (type && strcmp(type, "hostdev") != 0)
			rc = xen_bad(p, &items[i], "usbdev '%s': type must be "
			    "'hostdev', not '%s'", spec, type);
		else if (hex_int(bus, 0xffff, &b) < 0 ||
		    hex_int(addr, 0xffff, &a) < 0)
			rc = xen_bad(p, &items[i], "usbdev '%s' needs "
			    "hostbus=BUS,hostaddr=ADDR (hexadecimal)", spec);
		free(bus);
		free(addr);
		free(bad);
		free(type);
		if (rc < 0)
			return -1;
		h = xvm_domain_add_hostdev(p->d);
		h->type = xvm_strdup("usb");
		h->managed = false;
		h->usb_bus = b;
		h->usb_device = a;
	}
	return 0;
}

static int
parse_usbctrls(struct xen_parse *p)
{
	static const char *const keys[] = { "type", "version", "ports" };
	const struct xvm_cfg_value *items;
	size_t i, n;

	if (xen_get_strlist(p, "usbctrl", &items, &n) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		const char *spec = xen_text(&items[i]);
		char *type = kv_get(spec, "type"), *ver = kv_get(spec,
		    "version"), *ports = kv_get(spec, "ports"),
		    *bad = kv_check(spec, keys, XVM_ARRAY_SIZE(keys));
		unsigned version = 2, nports = 8;
		struct xvm_controller *c;
		int rc = 0, idx = 0;
		size_t k;

		if (bad)
			rc = xen_bad(p, &items[i], "usbctrl '%s': unknown "
			    "setting '%s'", spec, bad);
		else if (type && !xvm_has_prefix(type, "qusb"))
			rc = xen_bad(p, &items[i], "usbctrl '%s': type must "
			    "be 'qusb', not '%s'", spec, type);
		else if (ver && (hex_int(ver, 0xff, &version) < 0 ||
		    (version != 1 && version != 2 && version != 3)))
			rc = xen_bad(p, &items[i], "usbctrl '%s': invalid "
			    "version '%s'", spec, ver);
		else if (ports && (hex_int(ports, 0xff, &nports) < 0 ||
		    nports == 0))
			rc = xen_bad(p, &items[i], "usbctrl '%s': invalid "
			    "ports '%s'", spec, ports);
		free(type);
		free(ver);
		free(ports);
		free(bad);
		if (rc < 0)
			return -1;
		for (k = 0; k < p->d->ncontrollers; k++)
			if (p->d->controllers[k].type == XVM_CTRL_USB)
				idx++;
		c = xvm_domain_add_controller(p->d);
		c->type = XVM_CTRL_USB;
		c->index = idx;
		c->model = xvm_strdup(version == 1 ? "qusb1" : "qusb2");
		c->ports = (int)nports;
	}
	return 0;
}

static int
parse_channels(struct xen_parse *p)
{
	static const char *const keys[] = { "connection", "name", "path",
	    "backend", "devid" };
	const struct xvm_cfg_value *items;
	size_t i, n;

	if (xen_get_strlist(p, "channel", &items, &n) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		const char *spec = xen_text(&items[i]);
		char *type = kv_get(spec, "connection"), *name = kv_get(spec,
		    "name"), *path = kv_get(spec, "path"), *bad = kv_check(spec,
		    keys, XVM_ARRAY_SIZE(keys));
		struct xvm_chr *c;
		int rc = 0;

		if (bad)
			rc = xen_bad(p, &items[i], "channel '%s': unknown "
			    "setting '%s'", spec, bad);
		else if (type == NULL || (strcmp(type, "pty") != 0 &&
		    strcmp(type, "socket") != 0))
			rc = xen_bad(p, &items[i], "channel '%s': connection "
			    "must be 'pty' or 'socket'", spec);
		else if (strcmp(type, "socket") == 0 && (path == NULL ||
		    *path == '\0'))
			rc = xen_bad(p, &items[i], "channel '%s': a socket "
			    "needs a path", spec);
		if (rc == 0) {
			c = xvm_domain_add_channel(p->d);
			c->port = -1;
			c->target_type = xvm_strdup("xen");
			c->target_name = name;
			name = NULL;
			if (strcmp(type, "socket") == 0) {
				c->type = XVM_CHR_UNIX;
				c->listen = true;
				c->path = path;
				path = NULL;
			} else {
				c->type = XVM_CHR_PTY;
			}
		}
		free(type);
		free(name);
		free(path);
		free(bad);
		if (rc < 0)
			return -1;
	}
	return 0;
}

static int
parse_dm_args(struct xen_parse *p)
{
	const struct xvm_cfg_value *v = xen_get(p, "device_model_args"), *it;
	size_t i;

	if (v == NULL)
		return 0;
	if (v->type != XVM_CFG_LIST)
		return xen_bad(p, v, "device_model_args must be a list of "
		    "strings");
	for (i = 0; i < v->nitems; i++) {
		it = &v->items[i];
		if (it->type == XVM_CFG_LIST)
			return xen_bad(p, it, "device_model_args entries must "
			    "be strings");
		p->d->emulator_args = xvm_realloc(p->d->emulator_args,
		    (p->d->nemulator_args + 1) * sizeof(char *));
		p->d->emulator_args[p->d->nemulator_args++] =
		    xvm_strdup(xen_text(it));
	}
	return 0;
}

int
xen_xl_parse(struct xen_parse *p)
{
	if (parse_os(p) < 0 || parse_vnuma(p) < 0 || parse_xenbus(p) < 0 ||
	    parse_cpuid(p) < 0 || xen_parse_each(p, "disk", parse_disk) < 0 ||
	    parse_spice(p) < 0 ||
	    xen_parse_usbdevice(p, true) < 0 || parse_usbdevs(p) < 0 ||
	    parse_usbctrls(p) < 0 || parse_channels(p) < 0 ||
	    parse_dm_args(p) < 0)
		return -1;
	return 0;
}

/* ---- from a domain to an xl config ----------------------------------- */

static int
format_os(struct xen_format *f)
{
	const struct xvm_domain *d = f->d;
	const struct xvm_os *os = &d->os;
	size_t i;

	if (!f->hvm) {
		if (os->type == XVM_OS_XENPVH)
			xen_set_str(f->cfg, "type", "pvh");
		if (os->bootloader)
			xen_set_str(f->cfg, "bootloader", os->bootloader);
		if (os->bootloader_args)
			xen_set_str(f->cfg, "bootargs", os->bootloader_args);
		if (os->kernel)
			xen_set_str(f->cfg, "kernel", os->kernel);
		if (os->initrd)
			xen_set_str(f->cfg, "ramdisk", os->initrd);
		if (os->cmdline)
			xen_set_str(f->cfg, "cmdline", os->cmdline);
		return 0;
	}
	xen_set_str(f->cfg, "builder", "hvm");
	if (xvm_streq(os->loader_type, "pflash")) {
		size_t l = os->loader ? strlen(os->loader) : 0;

		xen_set_str(f->cfg, "bios", "ovmf");
		/* a firmware other than the host's ovmf.bin */
		if (l && !(l >= 9 && strcmp(os->loader + l - 9,
		    "/ovmf.bin") == 0))
			xen_set_str(f->cfg, "bios_path_override", os->loader);
	}
	if (os->acpi_slic)
		xen_set_str(f->cfg, "acpi_firmware", os->acpi_slic);
	if (os->kernel)
		xen_set_str(f->cfg, "kernel", os->kernel);
	if (os->initrd)
		xen_set_str(f->cfg, "ramdisk", os->initrd);
	if (os->cmdline)
		xen_set_str(f->cfg, "cmdline", os->cmdline);
	xen_format_boot(f);
	if (xvm_streq(d->cpu.mode, "host-passthrough")) {
		int hw_virt = 1;

		for (i = 0; i < d->cpu.nfeatures; i++) {
			const struct xvm_cpu_feature *ft = &d->cpu.features[i];

			if ((xvm_streq(ft->policy, "disable") ||
			    xvm_streq(ft->policy, "forbid")) &&
			    (xvm_streq(ft->name, "vmx") ||
			    xvm_streq(ft->name, "svm")))
				hw_virt = 0;
		}
		xen_set_int(f->cfg, "nestedhvm", hw_virt);
	}
	return 0;
}

static void
format_cpuid(struct xen_format *f)
{
	const struct xvm_cpu *c = &f->d->cpu;
	struct xvm_buf b = XVM_BUF_INIT;
	bool any = false;
	size_t i;

	if (!xvm_streq(c->mode, "host-passthrough"))
		return;
	xvm_buf_puts(&b, "host");
	for (i = 0; i < c->nfeatures; i++) {
		const char *name = translate_feature(c->features[i].name ?
		    c->features[i].name : "", false);
		const char *pol = c->features[i].policy, *v;

		/* vmx and svm are nestedhvm */
		if (strcmp(name, "vmx") == 0 || strcmp(name, "svm") == 0)
			continue;
		if (xvm_streq(pol, "optional"))
			v = "x";
		else if (xvm_streq(pol, "disable") || xvm_streq(pol, "forbid"))
			v = "0";
		else
			v = "1";
		xvm_buf_printf(&b, ",%s=%s", name, v);
		any = true;
	}
	if (any)
		xen_set_str(f->cfg, "cpuid", xvm_buf_str(&b));
	xvm_buf_release(&b);
}

static unsigned
node_distance(const struct xvm_cpu *c, size_t from, size_t to)
{
	const struct xvm_numa_cell *a = &c->cells[from], *b = &c->cells[to];

	if (to < a->ndistances && a->distances[to])
		return a->distances[to];
	/* the distance is symmetric when only one side gives it */
	if (from < b->ndistances && b->distances[from])
		return b->distances[from];
	return from == to ? 10 : 20;
}

static int
format_vnuma(struct xen_format *f)
{
	const struct xvm_cpu *c = &f->d->cpu;
	struct xvm_cfg_value *list, *node;
	struct xvm_buf b = XVM_BUF_INIT;
	char *cpus;
	size_t i, k;

	if (c->ncells == 0)
		return 0;
	list = xvm_cfg_set_list(f->cfg, "vnuma");
	for (i = 0; i < c->ncells; i++) {
		node = xvm_cfg_list_add_list(list);
		cpus = c->cells[i].cpus ? xen_cpuset_normalize(c->cells[i].cpus,
		    XEN_CPUMASK_LEN) : NULL;
		if (cpus == NULL) {
			xvm_buf_release(&b);
			return xen_fail(f, XVM_ERR_INVALID_ARG, "NUMA cell %zu "
			    "has no valid cpus", i);
		}
		xvm_buf_reset(&b);
		xvm_buf_printf(&b, "pnode=%zu", i);
		xvm_cfg_list_add_string(node, xvm_buf_str(&b));
		xvm_buf_reset(&b);
		xvm_buf_printf(&b, "size=%llu", c->cells[i].memory_kib / 1024);
		xvm_cfg_list_add_string(node, xvm_buf_str(&b));
		xvm_buf_reset(&b);
		xvm_buf_printf(&b, "vcpus=%s", cpus);
		xvm_cfg_list_add_string(node, xvm_buf_str(&b));
		free(cpus);
		xvm_buf_reset(&b);
		xvm_buf_puts(&b, "vdistances=");
		for (k = 0; k < c->ncells; k++)
			xvm_buf_printf(&b, "%s%u", k ? "," : "",
			    node_distance(c, i, k));
		xvm_cfg_list_add_string(node, xvm_buf_str(&b));
	}
	xvm_buf_release(&b);
	return 0;
}

static void
format_xenbus(struct xen_format *f)
{
	size_t i;

	for (i = 0; i < f->d->ncontrollers; i++) {
		const struct xvm_controller *c = &f->d->controllers[i];

		if (c->type != XVM_CTRL_XENBUS)
			continue;
		if (c->max_event_channels > 0)
			xen_set_int(f->cfg, "max_event_channels",
			    c->max_event_channels);
		if (c->max_grant_frames > 0)
			xen_set_int(f->cfg, "max_grant_frames",
			    c->max_grant_frames);
	}
}

static int
format_rbd(struct xen_format *f, const struct xvm_disk *disk,
    struct xvm_buf *b)
{
	const char *p;
	size_t i;

	if (disk->src == NULL || strchr(disk->src, ':'))
		return xen_fail(f, XVM_ERR_CONFIG_UNSUPPORTED, "':' not allowed in "
		    "RBD source volume name '%s'", disk->src ? disk->src : "");
	xvm_buf_printf(b, "rbd:%s:auth_supported=none", disk->src);
	if (disk->nhosts > 0)
		xvm_buf_puts(b, ":mon_host=");
	for (i = 0; i < disk->nhosts; i++) {
		const struct xvm_net_host *h = &disk->hosts[i];

		if (i)
			xvm_buf_puts(b, RBD_ESC ";");
		if (h->name && strchr(h->name, ':')) {
			/* IPv6 */
			xvm_buf_putc(b, '[');
			for (p = h->name; *p; p++) {
				if (*p == ':')
					xvm_buf_putc(b, '\\');
				xvm_buf_putc(b, *p);
			}
			xvm_buf_putc(b, ']');
		} else {
			xvm_buf_puts(b, h->name ? h->name : "");
		}
		if (h->port && *h->port && strcmp(h->port, "0") != 0)
			xvm_buf_printf(b, RBD_ESC ":%s", h->port);
	}
	return 0;
}

static int
format_disk(struct xen_format *f, const struct xvm_disk *disk,
    struct xvm_buf *b)
{
	const char *fmt = disk->driver_type, *drv = disk->driver_name;

	if (xvm_streq(fmt, "qcow") || xvm_streq(fmt, "qcow2") ||
	    xvm_streq(fmt, "qed") || xvm_streq(fmt, "vhd"))
		xvm_buf_printf(b, "format=%s", fmt);
	else
		xvm_buf_puts(b, "format=raw");
	xvm_buf_printf(b, ",vdev=%s", disk->target ? disk->target : "");
	xvm_buf_printf(b, ",access=%s", disk->readonly ? "ro" :
	    disk->shareable ? "!" : "rw");
	if (disk->transient)
		return xen_fail(f, XVM_ERR_CONFIG_UNSUPPORTED, "transient disks not "
		    "supported yet");
	if (drv) {
		if (strcmp(drv, "qemu") == 0 || strcmp(drv, "file") == 0)
			xvm_buf_puts(b, ",backendtype=qdisk");
		else if (strcmp(drv, "tap") == 0 || strcmp(drv, "tap2") == 0)
			xvm_buf_puts(b, ",backendtype=tap");
		else if (strcmp(drv, "phy") == 0)
			xvm_buf_puts(b, ",backendtype=phy");
		else
			return xen_fail(f, XVM_ERR_CONFIG_UNSUPPORTED, "disk driver "
			    "'%s' has no xl backendtype", drv);
	}
	if (disk->device == XVM_DEV_CDROM)
		xvm_buf_puts(b, ",devtype=cdrom");
	/* target= eats the rest of the specification: it comes last */
	switch (disk->type) {
	case XVM_DISK_FILE:
	case XVM_DISK_BLOCK:
	case XVM_DISK_DIR:
		if (disk->src && *disk->src)
			xvm_buf_printf(b, ",target=%s", disk->src);
		break;
	case XVM_DISK_NETWORK:
		if (!xvm_streq(disk->protocol, "rbd"))
			return xen_fail(f, XVM_ERR_CONFIG_UNSUPPORTED, "Unsupported "
			    "network block protocol '%s'", disk->protocol ?
			    disk->protocol : "");
		xvm_buf_puts(b, ",target=");
		return format_rbd(f, disk, b);
	default:
		return xen_fail(f, XVM_ERR_CONFIG_UNSUPPORTED, "unsupported storage "
		    "type for this code path");
	}
	return 0;
}

static void
format_spice(struct xen_format *f)
{
	const struct xvm_graphics *g = NULL;
	size_t i;

	if (!f->hvm)
		return;
	for (i = 0; i < f->d->ngraphics && g == NULL; i++)
		if (f->d->graphics[i].type == XVM_GFX_SPICE)
			g = &f->d->graphics[i];
	if (g == NULL)
		return;
	/* with VNC or SDL beside SPICE, those keys are written already */
	for (i = 0; i < f->d->ngraphics; i++)
		if (f->d->graphics[i].type != XVM_GFX_SPICE)
			break;
	if (i == f->d->ngraphics) {
		xen_set_int(f->cfg, "sdl", 0);
		xen_set_int(f->cfg, "vnc", 0);
	}
	xen_set_int(f->cfg, "spice", 1);
	if (g->listen)
		xen_set_str(f->cfg, "spicehost", g->listen);
	xen_set_int(f->cfg, "spiceport", g->port > 0 ? g->port : 0);
	xen_set_int(f->cfg, "spicetls_port", g->tls_port > 0 ? g->tls_port :
	    0);
	if (g->passwd) {
		xen_set_int(f->cfg, "spicedisable_ticketing", 0);
		xen_set_str(f->cfg, "spicepasswd", g->passwd);
	} else {
		xen_set_int(f->cfg, "spicedisable_ticketing", 1);
	}
	if (xvm_streq(g->mouse_mode, "server")) {
		xen_set_int(f->cfg, "spiceagent_mouse", 0);
	} else if (xvm_streq(g->mouse_mode, "client")) {
		xen_set_int(f->cfg, "spiceagent_mouse", 1);
		/* client mouse mode needs the agent */
		xen_set_int(f->cfg, "spicevdagent", 1);
	}
	if (g->clipboard == XVM_TRI_YES) {
		xen_set_int(f->cfg, "spice_clipboard_sharing", 1);
		xen_set_int(f->cfg, "spicevdagent", 1);
	}
}

static void
format_inputs(struct xen_format *f)
{
	struct xvm_strv devs = XVM_STRV_INIT;
	struct xvm_cfg_value *list;
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
		    xvm_streq(in->type, "keyboard"))
			xvm_strv_push(&devs, in->type);
	}
	if (devs.n == 1) {
		/* the old single-device form, for Xen <= 4.2 */
		xen_set_str(f->cfg, "usbdevice", devs.v[0]);
	} else if (devs.n > 1) {
		list = xvm_cfg_set_list(f->cfg, "usbdevice");
		for (i = 0; i < devs.n; i++)
			xvm_cfg_list_add_string(list, devs.v[i]);
	}
	xvm_strv_release(&devs);
}

static void
format_usbdevs(struct xen_format *f)
{
	struct xvm_cfg_value *list = NULL;
	size_t i;

	for (i = 0; i < f->d->nhostdevs; i++) {
		const struct xvm_hostdev *h = &f->d->hostdevs[i];
		char *s;

		if (!xvm_streq(h->type, "usb"))
			continue;
		if (list == NULL)
			list = xvm_cfg_set_list(f->cfg, "usbdev");
		s = xvm_asprintf("hostbus=%x,hostaddr=%x", h->usb_bus,
		    h->usb_device);
		xvm_cfg_list_add_string(list, s);
		free(s);
	}
}

static int
format_usbctrls(struct xen_format *f)
{
	struct xvm_cfg_value *list = NULL;
	struct xvm_buf b = XVM_BUF_INIT;
	size_t i;

	for (i = 0; i < f->d->ncontrollers; i++) {
		const struct xvm_controller *c = &f->d->controllers[i];

		if (c->type != XVM_CTRL_USB)
			continue;
		xvm_buf_reset(&b);
		xvm_buf_puts(&b, "");
		if (xvm_streq(c->model, "qusb1")) {
			xvm_buf_puts(&b, "type=qusb,version=1,");
		} else if (xvm_streq(c->model, "qusb2")) {
			xvm_buf_puts(&b, "type=qusb,version=2,");
		} else if (c->model) {
			xvm_buf_release(&b);
			return xen_fail(f, XVM_ERR_CONFIG_UNSUPPORTED, "USB controller "
			    "model '%s' is not supported by xl", c->model);
		}
		if (c->ports > 0)
			xvm_buf_printf(&b, "ports=%x", (unsigned)c->ports);
		if (list == NULL)
			list = xvm_cfg_set_list(f->cfg, "usbctrl");
		xvm_cfg_list_add_string(list, xvm_buf_str(&b));
	}
	xvm_buf_release(&b);
	return 0;
}

static int
format_channels(struct xen_format *f)
{
	struct xvm_cfg_value *list = NULL;
	struct xvm_buf b = XVM_BUF_INIT;
	size_t i;

	for (i = 0; i < f->d->nchannels; i++) {
		const struct xvm_chr *c = &f->d->channels[i];

		if (!xvm_streq(c->target_type, "xen"))
			continue;
		xvm_buf_reset(&b);
		xvm_buf_puts(&b, "connection=");
		if (c->type == XVM_CHR_PTY) {
			xvm_buf_puts(&b, "pty,");
		} else if (c->type == XVM_CHR_UNIX) {
			xvm_buf_puts(&b, "socket,");
			if (c->path)
				xvm_buf_printf(&b, "path=%s,", c->path);
		} else {
			xvm_buf_release(&b);
			return xen_fail(f, XVM_ERR_CONFIG_UNSUPPORTED, "channel type "
			    "'%s' is not supported by xl",
			    xvm_chr_type_name(c->type) ?
			    xvm_chr_type_name(c->type) : "");
		}
		xvm_buf_printf(&b, "name=%s", c->target_name ?
		    c->target_name : "");
		if (list == NULL)
			list = xvm_cfg_set_list(f->cfg, "channel");
		xvm_cfg_list_add_string(list, xvm_buf_str(&b));
	}
	xvm_buf_release(&b);
	return 0;
}

static void
format_dm_args(struct xen_format *f)
{
	struct xvm_cfg_value *list;
	size_t i;

	if (f->d->nemulator_args == 0)
		return;
	list = xvm_cfg_set_list(f->cfg, "device_model_args");
	for (i = 0; i < f->d->nemulator_args; i++)
		xvm_cfg_list_add_string(list, f->d->emulator_args[i] ?
		    f->d->emulator_args[i] : "");
}

int
xen_xl_format(struct xen_format *f)
{
	if (format_os(f) < 0)
		return -1;
	format_cpuid(f);
	if (format_vnuma(f) < 0)
		return -1;
	format_xenbus(f);
	if (xen_format_each_disk(f, format_disk) < 0)
		return -1;
	format_spice(f);
	format_inputs(f);
	format_usbdevs(f);
	if (format_usbctrls(f) < 0 || format_channels(f) < 0)
		return -1;
	format_dm_args(f);
	return 0;
}

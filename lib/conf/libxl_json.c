/*
 * libxl_json.c - the domain config xl keeps in a save file's header (and
 * prints with `xl list -l`): libxl 4.17's libxl_domain_config as JSON,
 * the form its generated *_gen_json functions write (libxl_types.idl,
 * gentypes.py, libxl_json.c).  Read with jansson.
 *
 * What a guest needs is handed to the xl converter as the xl.cfg settings
 * it stands for, so a restored domain gets the same rules and checks as
 * one created from a file; the figures xl.cfg cannot carry exactly
 * (memory in KiB, the credit weight and cap) are set on the domain after.
 *
 * The forms: a field at its default is left out; an enumeration is its
 * lower-case name ("pv", "restart_rename", "qdisk"); a defbool is "True",
 * "False" or "<default>"; a bitmap is the array of its set bits; a keyed
 * union is "KEY": "member" beside "KEY.member": { ... }.  Fields xvm has
 * no use for are passed over; a device it cannot give the guest (PCI
 * passthrough, vTPM, 9pfs, USB ...) is refused, never dropped silently.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "xvm/cpumap.h"
#include "xvm/xenconfig.h"

#define MAX_CPUS	4096		/* bits of a bitmap xvm takes */

struct lj {
	const char *name;		/* the file, in messages */
	struct xvm_cfg *cfg;
	struct xvm_err *err;
};

static int
bad(struct lj *j, const char *path, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* "NAME: libxl config, PATH.KEY: what" */
static int
bad(struct lj *j, const char *path, const char *key, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return xvm_err_at(j->err, j->name, 0, 0, "libxl config, %s%s%s: %s",
	    path, *path && key ? "." : "", key ? key : "", msg);
}

/* A field of object o; NULL when absent, null, or o is not an object. */
static json_t *
field(json_t *o, const char *key)
{
	json_t *v = json_is_object(o) ? json_object_get(o, key) : NULL;

	return json_is_null(v) ? NULL : v;
}

/* 1 and *out when set, 0 when absent, -1 when not a string. */
static int
get_str(struct lj *j, json_t *o, const char *path, const char *key,
    const char **out)
{
	json_t *v = field(o, key);

	*out = NULL;
	if (v == NULL)
		return 0;
	if (!json_is_string(v))
		return bad(j, path, key, "a string is expected");
	*out = json_string_value(v);
	return 1;
}

static int
get_int(struct lj *j, json_t *o, const char *path, const char *key,
    long long min, long long max, long long *out)
{
	json_t *v = field(o, key);

	if (v == NULL)
		return 0;
	if (!json_is_integer(v))
		return bad(j, path, key, "an integer is expected");
	if (json_integer_value(v) < min || json_integer_value(v) > max)
		return bad(j, path, key, "%" JSON_INTEGER_FORMAT " is out of "
		    "range (%lld to %lld)", json_integer_value(v), min, max);
	*out = json_integer_value(v);
	return 1;
}

static int
get_obj(struct lj *j, json_t *o, const char *path, const char *key,
    json_t **out)
{
	json_t *v = field(o, key);

	*out = NULL;
	if (v == NULL)
		return 0;
	if (!json_is_object(v))
		return bad(j, path, key, "an object is expected");
	*out = v;
	return 1;
}

static int
get_arr(struct lj *j, json_t *o, const char *path, const char *key,
    json_t **out)
{
	json_t *v = field(o, key);

	*out = NULL;
	if (v == NULL)
		return 0;
	if (!json_is_array(v))
		return bad(j, path, key, "an array is expected");
	*out = v;
	return 1;
}

/* A defbool: 1 "True", 0 "False", -1 "<default>" or absent; -2 bad. */
static int
get_defbool(struct lj *j, json_t *o, const char *path, const char *key,
    int *out)
{
	const char *s;
	int rc = get_str(j, o, path, key, &s);

	*out = -1;
	if (rc <= 0)
		return rc < 0 ? -2 : 0;
	if (strcmp(s, "True") == 0)
		*out = 1;
	else if (strcmp(s, "False") == 0)
		*out = 0;
	else if (strcmp(s, "<default>") != 0)
		return bad(j, path, key, "'%s' is not True, False or "
		    "<default>", s), -2;
	return 0;
}

/* A bitmap (the array of its set bits) into map; the number set. */
static int
get_bitmap(struct lj *j, json_t *v, const char *path, const char *key,
    uint8_t *map)
{
	size_t i;
	int n = 0;

	memset(map, 0, XVM_CPUMAP_BYTES(MAX_CPUS));
	if (!json_is_array(v))
		return bad(j, path, key, "an array of bit numbers is "
		    "expected");
	for (i = 0; i < json_array_size(v); i++) {
		json_t *b = json_array_get(v, i);
		json_int_t bit;

		if (!json_is_integer(b) || (bit = json_integer_value(b)) < 0 ||
		    bit >= MAX_CPUS)
			return bad(j, path, key, "item %zu is not a bit number "
			    "(0 to %d)", i, MAX_CPUS - 1);
		if (!(map[bit / 8] & (1u << (bit % 8))))
			n++;
		map[bit / 8] |= (uint8_t)(1u << (bit % 8));
	}
	return n;
}

static void
set_str(struct lj *j, const char *name, const char *val)
{
	if (val)
		xvm_cfg_set_string(j->cfg, name, val);
}

/* A string field copied to the xl.cfg setting of that name. */
static int
copy_str(struct lj *j, json_t *o, const char *path, const char *key,
    const char *setting)
{
	const char *s;
	int rc = get_str(j, o, path, key, &s);

	if (rc > 0)
		set_str(j, setting, s);
	return rc < 0 ? -1 : 0;
}

/* A defbool field copied as 0/1 when it is not the default. */
static int
copy_defbool(struct lj *j, json_t *o, const char *path, const char *key,
    const char *setting)
{
	int b;

	if (get_defbool(j, o, path, key, &b) < 0)
		return -1;
	if (b >= 0)
		xvm_cfg_set_long(j->cfg, setting, b);
	return 0;
}

/* MiB, rounded up, for a KiB figure */
static long long
mib(long long kib)
{
	return (kib + 1023) / 1024;
}

/* ---- what to do when the guest stops ------------------------------------ */

static int
action(struct lj *j, json_t *top, const char *key)
{
	static const char *const names[][2] = {
		{ "destroy", "destroy" }, { "restart", "restart" },
		{ "restart_rename", "rename-restart" },
		{ "preserve", "preserve" },
		{ "coredump_destroy", "coredump-destroy" },
		{ "coredump_restart", "coredump-restart" },
	};
	const char *s;
	size_t i;
	int rc = get_str(j, top, "", key, &s);

	if (rc <= 0)
		return rc;
	for (i = 0; i < XVM_ARRAY_SIZE(names); i++)
		if (strcmp(s, names[i][0]) == 0) {
			xvm_cfg_set_string(j->cfg, key, names[i][1]);
			return 0;
		}
	return bad(j, "", key, "'%s' is not an action xvm takes (destroy, "
	    "restart, restart_rename, preserve, coredump_destroy, "
	    "coredump_restart)", s);
}

/* ---- c_info and b_info --------------------------------------------------- */

static int
read_cinfo(struct lj *j, json_t *top, const char **type)
{
	json_t *ci;
	const char *name;

	int rc = get_obj(j, top, "", "c_info", &ci);

	if (rc <= 0)
		return rc < 0 ? -1 : bad(j, "", "c_info", "missing");
	if (get_str(j, ci, "c_info", "name", &name) < 0)
		return -1;
	if (name == NULL || *name == '\0')
		return bad(j, "c_info", "name", "missing: the domain has no "
		    "name");
	xvm_cfg_set_string(j->cfg, "name", name);
	if (copy_str(j, ci, "c_info", "uuid", "uuid") < 0 ||
	    get_str(j, ci, "c_info", "type", type) < 0)
		return -1;
	if (*type == NULL)
		*type = "pv";		/* libxl's default when unset */
	if (strcmp(*type, "pv") != 0 && strcmp(*type, "hvm") != 0 &&
	    strcmp(*type, "pvh") != 0)
		return bad(j, "c_info", "type", "'%s' is not pv, hvm or pvh",
		    *type);
	xvm_cfg_set_string(j->cfg, "type", *type);
	return copy_defbool(j, ci, "c_info", "hap", "hap");
}

/* vcpus, maxvcpus and cpus (the CPUs every vcpu may run on) */
static int
read_vcpus(struct lj *j, json_t *bi)
{
	uint8_t map[XVM_CPUMAP_BYTES(MAX_CPUS)], all[XVM_CPUMAP_BYTES(MAX_CPUS)];
	struct xvm_buf b = XVM_BUF_INIT;
	json_t *v, *aff;
	long long max = 0;
	int n, any = 0;
	size_t i, k;

	if (get_int(j, bi, "b_info", "max_vcpus", 1, MAX_CPUS, &max) < 0)
		return -1;
	if (max > 0)
		xvm_cfg_set_long(j->cfg, "maxvcpus", max);
	if ((v = field(bi, "avail_vcpus")) != NULL) {
		if ((n = get_bitmap(j, v, "b_info", "avail_vcpus", map)) < 0)
			return -1;
		if (n > 0)
			xvm_cfg_set_long(j->cfg, "vcpus", n);
	} else if (max > 0) {
		xvm_cfg_set_long(j->cfg, "vcpus", max);
	}
	/* one set for all vcpus: the union of their hard affinities, so
	   that no vcpu loses a CPU it could run on */
	memset(all, 0, sizeof(all));
	if ((v = field(bi, "cpumap")) != NULL) {
		if ((n = get_bitmap(j, v, "b_info", "cpumap", map)) < 0)
			return -1;
		for (k = 0; k < sizeof(all); k++)
			all[k] |= map[k];
		any |= n > 0;
	}
	if (get_arr(j, bi, "b_info", "vcpu_hard_affinity", &aff) < 0)
		return -1;
	for (i = 0; aff && i < json_array_size(aff); i++) {
		if ((n = get_bitmap(j, json_array_get(aff, i), "b_info",
		    "vcpu_hard_affinity", map)) < 0)
			return -1;
		for (k = 0; k < sizeof(all); k++)
			all[k] |= map[k];
		any |= n > 0;
	}
	if (any) {
		xvm_cpumap_format(all, MAX_CPUS, &b);
		xvm_cfg_set_string(j->cfg, "cpus", xvm_buf_str(&b));
		xvm_buf_release(&b);
	}
	return 0;
}

/* the display of an HVM guest (QEMU's) or a PV guest's vfb */
struct display {
	int vnc, vncunused, sdl;
	long long display;
	const char *listen, *passwd, *keymap;
};

static int
read_display(struct lj *j, json_t *o, const char *path, struct display *d)
{
	char p[64];
	json_t *vnc, *sdl;

	memset(d, 0, sizeof(*d));
	d->display = -1;
	snprintf(p, sizeof(p), "%s.vnc", path);
	if (get_obj(j, o, path, "vnc", &vnc) < 0 ||
	    get_obj(j, o, path, "sdl", &sdl) < 0 ||
	    get_defbool(j, vnc, p, "enable", &d->vnc) < -1 ||
	    get_defbool(j, vnc, p, "findunused", &d->vncunused) < -1 ||
	    get_str(j, vnc, p, "listen", &d->listen) < 0 ||
	    get_str(j, vnc, p, "passwd", &d->passwd) < 0 ||
	    get_int(j, vnc, p, "display", 0, 59635, &d->display) < 0 ||
	    get_str(j, o, path, "keymap", &d->keymap) < 0)
		return -1;
	snprintf(p, sizeof(p), "%s.sdl", path);
	return get_defbool(j, sdl, p, "enable", &d->sdl) < -1 ? -1 : 0;
}

static int
read_hvm(struct lj *j, json_t *bi, json_t *hvm)
{
	static const char *const bools[] = { "pae", "acpi", "apic", "viridian",
	    "hpet" };
	struct display dp;
	size_t i;

	for (i = 0; i < XVM_ARRAY_SIZE(bools); i++)
		if (copy_defbool(j, hvm, "b_info.type.hvm", bools[i],
		    bools[i]) < 0)
			return -1;
	/* the unified fields of b_info win over the deprecated ones */
	if (copy_defbool(j, bi, "b_info", "acpi", "acpi") < 0 ||
	    copy_defbool(j, bi, "b_info", "apic", "apic") < 0 ||
	    copy_str(j, hvm, "b_info.type.hvm", "boot", "boot") < 0 ||
	    copy_str(j, hvm, "b_info.type.hvm", "serial", "serial") < 0 ||
	    copy_str(j, hvm, "b_info.type.hvm", "usbdevice", "usbdevice") < 0 ||
	    copy_str(j, hvm, "b_info.type.hvm", "soundhw", "soundhw") < 0 ||
	    read_display(j, hvm, "b_info.type.hvm", &dp) < 0)
		return -1;
	if (dp.vnc >= 0)
		xvm_cfg_set_long(j->cfg, "vnc", dp.vnc);
	if (dp.vncunused >= 0)
		xvm_cfg_set_long(j->cfg, "vncunused", dp.vncunused);
	if (dp.display >= 0)
		xvm_cfg_set_long(j->cfg, "vncdisplay", dp.display);
	set_str(j, "vnclisten", dp.listen);
	set_str(j, "vncpasswd", dp.passwd);
	set_str(j, "keymap", dp.keymap);
	if (dp.sdl >= 0)
		xvm_cfg_set_long(j->cfg, "sdl", dp.sdl);
	return 0;
}

static int
read_binfo(struct lj *j, json_t *top, const char *type, json_t **bi_r)
{
	static const char *const boot[] = { "kernel", "ramdisk", "cmdline",
	    "bootloader" };
	char member[16];
	json_t *bi, *u, *args;
	const char *s;
	size_t i;

	int rc = get_obj(j, top, "", "b_info", bi_r);

	if (rc <= 0)
		return rc < 0 ? -1 : bad(j, "", "b_info", "missing");
	bi = *bi_r;
	snprintf(member, sizeof(member), "type.%s", type);
	if (get_obj(j, bi, "b_info", member, &u) < 0 || read_vcpus(j, bi) < 0)
		return -1;
	/* 4.17 writes these in b_info; older ones kept them in type.pv */
	for (i = 0; i < XVM_ARRAY_SIZE(boot); i++) {
		if (get_str(j, bi, "b_info", boot[i], &s) < 0 ||
		    (s == NULL && strcmp(type, "pv") == 0 &&
		    get_str(j, u, "b_info.type.pv", boot[i], &s) < 0))
			return -1;
		set_str(j, boot[i], s);
	}
	if (get_arr(j, bi, "b_info", "bootloader_args", &args) < 0 ||
	    (args == NULL && strcmp(type, "pv") == 0 &&
	    get_arr(j, u, "b_info.type.pv", "bootloader_args", &args) < 0))
		return -1;
	if (args && json_array_size(args) > 0) {
		struct xvm_cfg_value *l = xvm_cfg_set_list(j->cfg,
		    "bootloader_args");

		for (i = 0; i < json_array_size(args); i++) {
			if (!json_is_string(json_array_get(args, i)))
				return bad(j, "b_info", "bootloader_args",
				    "item %zu is not a string", i);
			xvm_cfg_list_add_string(l, json_string_value(
			    json_array_get(args, i)));
		}
	}
	if (strcmp(type, "pv") == 0 &&
	    copy_defbool(j, u, "b_info.type.pv", "e820_host", "e820_host") < 0)
		return -1;
	if (strcmp(type, "hvm") == 0 && read_hvm(j, bi, u) < 0)
		return -1;
	return 0;
}

/* ---- devices ------------------------------------------------------------- */

/* Each item of array KEY of top, an object, to fn as "KEY[i]". */
static int
each(struct lj *j, json_t *top, const char *key,
    int (*fn)(struct lj *, json_t *, const char *, struct xvm_cfg_value *),
    const char *setting)
{
	struct xvm_cfg_value *list = NULL;
	char path[48];
	json_t *arr;
	size_t i;

	if (get_arr(j, top, "", key, &arr) <= 0)
		return j->err->code ? -1 : 0;
	for (i = 0; i < json_array_size(arr); i++) {
		snprintf(path, sizeof(path), "%s[%zu]", key, i);
		if (!json_is_object(json_array_get(arr, i)))
			return bad(j, path, NULL, "an object is expected");
		if (list == NULL && json_array_size(arr) > 0)
			list = xvm_cfg_set_list(j->cfg, setting);
		if (fn(j, json_array_get(arr, i), path, list) < 0)
			return -1;
	}
	return 0;
}

static int
disk(struct lj *j, json_t *o, const char *path, struct xvm_cfg_value *list)
{
	struct xvm_buf b = XVM_BUF_INIT;
	const char *pdev, *vdev, *format, *backend, *script;
	long long rw = 0, cdrom = 0;

	if (get_str(j, o, path, "pdev_path", &pdev) < 0 ||
	    get_str(j, o, path, "vdev", &vdev) < 0 ||
	    get_str(j, o, path, "format", &format) < 0 ||
	    get_str(j, o, path, "backend", &backend) < 0 ||
	    get_str(j, o, path, "script", &script) < 0 ||
	    get_int(j, o, path, "readwrite", 0, 1, &rw) < 0 ||
	    get_int(j, o, path, "is_cdrom", 0, 1, &cdrom) < 0)
		return -1;
	if (vdev == NULL || *vdev == '\0')
		return bad(j, path, "vdev", "missing: the disk has no name in "
		    "the guest");
	if (format && strcmp(format, "unknown") != 0)
		xvm_buf_printf(&b, "format=%s, ", format);
	xvm_buf_printf(&b, "vdev=%s, access=%s", vdev, rw ? "rw" : "ro");
	if (cdrom)
		xvm_buf_puts(&b, ", devtype=cdrom");
	if (backend && strcmp(backend, "unknown") != 0) {
		if (strcmp(backend, "phy") != 0 &&
		    strcmp(backend, "qdisk") != 0 && strcmp(backend, "tap") != 0) {
			xvm_buf_release(&b);
			return bad(j, path, "backend", "'%s' is not a disk "
			    "backend xvm has (phy, qdisk, tap)", backend);
		}
		xvm_buf_printf(&b, ", backendtype=%s", backend);
	}
	if (script)
		xvm_buf_printf(&b, ", script=%s", script);
	/* last: the path may hold commas */
	if (pdev && *pdev)
		xvm_buf_printf(&b, ", target=%s", pdev);
	xvm_cfg_list_add_string(list, xvm_buf_str(&b));
	xvm_buf_release(&b);
	return 0;
}

static int
nic(struct lj *j, json_t *o, const char *path, struct xvm_cfg_value *list)
{
	static const char *const keys[][2] = {
		{ "mac", "mac" }, { "bridge", "bridge" }, { "script", "script" },
		{ "ifname", "vifname" }, { "model", "model" }, { "ip", "ip" },
		{ "backend_domname", "backend" },
	};
	struct xvm_buf b = XVM_BUF_INIT;
	const char *s, *type;
	long long bytes = 0, usecs = 0;
	size_t i;
	int r = -1;

	for (i = 0; i < XVM_ARRAY_SIZE(keys); i++) {
		if (get_str(j, o, path, keys[i][0], &s) < 0)
			goto out;
		if (s == NULL)
			continue;
		if (strchr(s, ',') || strchr(s, '=')) {
			bad(j, path, keys[i][0], "'%s' cannot be written in a "
			    "vif setting (it holds ',' or '=')", s);
			goto out;
		}
		xvm_buf_printf(&b, "%s%s=%s", b.len ? "," : "", keys[i][1], s);
	}
	if (get_str(j, o, path, "nictype", &type) < 0 ||
	    get_int(j, o, path, "rate_bytes_per_interval", 0, 1LL << 50,
	    &bytes) < 0 ||
	    get_int(j, o, path, "rate_interval_usecs", 0, UINT32_MAX,
	    &usecs) < 0)
		goto out;
	if (type && strcmp(type, "vif_ioemu") == 0)
		xvm_buf_printf(&b, "%stype=ioemu", b.len ? "," : "");
	/* the average rate, in whole KB/s (at least 1) */
	if (bytes > 0 && usecs > 0) {
		long long kbps = (long long)((double)bytes * 1e6 /
		    (double)usecs / 1024.0);

		xvm_buf_printf(&b, "%srate=%lldKB/s", b.len ? "," : "",
		    kbps > 0 ? kbps : 1);
	}
	xvm_cfg_list_add_string(list, xvm_buf_str(&b));
	r = 0;
out:
	xvm_buf_release(&b);
	return r;
}

static int
vfb(struct lj *j, json_t *o, const char *path, struct xvm_cfg_value *list)
{
	struct xvm_buf b = XVM_BUF_INIT;
	struct display dp;

	if (read_display(j, o, path, &dp) < 0)
		return -1;
	if (dp.sdl == 1)
		xvm_buf_puts(&b, "type=sdl");
	else
		xvm_buf_puts(&b, "type=vnc");
	if (dp.vncunused >= 0)
		xvm_buf_printf(&b, ",vncunused=%d", dp.vncunused);
	if (dp.display >= 0)
		xvm_buf_printf(&b, ",vncdisplay=%lld", dp.display);
	if (dp.listen)
		xvm_buf_printf(&b, ",vnclisten=%s", dp.listen);
	if (dp.passwd)
		xvm_buf_printf(&b, ",vncpasswd=%s", dp.passwd);
	if (dp.keymap)
		xvm_buf_printf(&b, ",keymap=%s", dp.keymap);
	xvm_cfg_list_add_string(list, xvm_buf_str(&b));
	xvm_buf_release(&b);
	return 0;
}

/* Devices xvm cannot give a guest: a restore must not lose one quietly. */
static int
refuse_devices(struct lj *j, json_t *top)
{
	static const char *const kinds[][2] = {
		{ "pcidevs", "PCI passthrough" }, { "rdms", "reserved memory" },
		{ "dtdevs", "device tree passthrough" }, { "vtpms", "vTPM" },
		{ "p9s", "9pfs share" }, { "pvcallsifs", "PV calls" },
		{ "vdispls", "PV display" }, { "vsnds", "PV sound" },
		{ "channels", "channel" }, { "usbctrls", "USB controller" },
		{ "usbdevs", "USB passthrough" },
	};
	json_t *arr;
	size_t i;

	for (i = 0; i < XVM_ARRAY_SIZE(kinds); i++) {
		if (get_arr(j, top, "", kinds[i][0], &arr) < 0)
			return -1;
		if (arr && json_array_size(arr) > 0)
			return bad(j, "", kinds[i][0], "the domain has %zu %s "
			    "device(s), which xvm cannot give it",
			    json_array_size(arr), kinds[i][1]);
	}
	return 0;
}

/* ---- the whole config ---------------------------------------------------- */

/* What xl.cfg carries only in MiB, or not at all, set on d exactly. */
static int
exact(struct lj *j, json_t *top, struct xvm_domain *d)
{
	json_t *bi = field(top, "b_info"), *sp, *vga;
	long long max = 0, target = 0, w = -1, cap = -1, video = 0;
	const char *kind = NULL;
	size_t i;

	if (get_int(j, bi, "b_info", "max_memkb", 1, 1LL << 42, &max) < 0 ||
	    get_int(j, bi, "b_info", "target_memkb", 1, 1LL << 42,
	    &target) < 0 ||
	    get_obj(j, bi, "b_info", "sched_params", &sp) < 0 ||
	    get_int(j, sp, "b_info.sched_params", "weight", -1, 65535,
	    &w) < 0 ||
	    get_int(j, sp, "b_info.sched_params", "cap", -1, 100 * MAX_CPUS,
	    &cap) < 0 ||
	    get_int(j, bi, "b_info", "video_memkb", 0, 1LL << 30, &video) < 0 ||
	    get_obj(j, field(bi, "type.hvm"), "b_info.type.hvm", "vga",
	    &vga) < 0 ||
	    get_str(j, vga, "b_info.type.hvm.vga", "kind", &kind) < 0)
		return -1;
	/* an HVM guest's card: libxl's kind and video memory */
	for (i = 0; i < d->nvideos && d->os.type == XVM_OS_HVM; i++) {
		if (kind && (strcmp(kind, "std") == 0 ||
		    strcmp(kind, "cirrus") == 0)) {
			free(d->videos[i].model);
			d->videos[i].model = xvm_strdup(strcmp(kind, "std") ==
			    0 ? "vga" : "cirrus");
		}
		if (video > 0)
			d->videos[i].vram_kib = (unsigned)video;
	}
	if (max > 0)
		d->memory_kib = (unsigned long long)max;
	if (target > 0)
		d->current_kib = (unsigned long long)target;
	if (d->current_kib > d->memory_kib)
		d->memory_kib = d->current_kib;
	if (w > 0)
		d->cpu_weight = w;
	if (cap >= 0)
		d->cpu_cap = cap;
	return 0;
}

static int
to_cfg(struct lj *j, json_t *top)
{
	json_t *bi;
	const char *type;
	long long max = 0, target = 0;

	if (!json_is_object(top))
		return bad(j, "", NULL, "the config is not a JSON object");
	if (read_cinfo(j, top, &type) < 0 || read_binfo(j, top, type, &bi) < 0)
		return -1;
	if (get_int(j, bi, "b_info", "max_memkb", 1, 1LL << 42, &max) < 0 ||
	    get_int(j, bi, "b_info", "target_memkb", 1, 1LL << 42,
	    &target) < 0)
		return -1;
	if (target > 0)
		xvm_cfg_set_long(j->cfg, "memory", mib(target));
	if (max > 0)
		xvm_cfg_set_long(j->cfg, "maxmem", mib(max > target ? max :
		    target));
	if (refuse_devices(j, top) < 0 ||
	    each(j, top, "disks", disk, "disk") < 0 ||
	    each(j, top, "nics", nic, "vif") < 0 ||
	    (strcmp(type, "hvm") != 0 && each(j, top, "vfbs", vfb,
	    "vfb") < 0) ||
	    action(j, top, "on_poweroff") < 0 ||
	    action(j, top, "on_reboot") < 0 ||
	    action(j, top, "on_crash") < 0)
		return -1;
	return 0;
}

int
xvm_domain_from_libxl_json(const char *data, size_t len, const char *name,
    const struct xvm_xen_caps *caps, struct xvm_domain **out,
    struct xvm_err *err)
{
	struct xvm_domain *d = NULL;
	struct xvm_cfg cfg;
	struct lj j = { name, &cfg, err };
	json_error_t je;
	json_t *top;
	int r = -1;

	*out = NULL;
	/* xl writes the text with its NUL */
	while (len > 0 && data[len - 1] == '\0')
		len--;
	if ((top = json_loadb(data, len, JSON_REJECT_DUPLICATES, &je)) ==
	    NULL)
		return xvm_err_at(err, name, je.line > 0 ? je.line : 0,
		    je.column > 0 ? je.column : 0, "libxl config: %s", je.text);
	xvm_cfg_init(&cfg, name);
	if (to_cfg(&j, top) < 0)
		goto out;
	if (xvm_domain_from_cfg(&cfg, XVM_DIALECT_XL, caps, &d, err) < 0) {
		/* the settings have no place in a file: name the file */
		if (err->line == 0) {
			char msg[sizeof(err->msg)];

			snprintf(msg, sizeof(msg), "libxl config: %.1000s",
			    err->msg);
			xvm_err_at(err, name, 0, 0, "%s", msg);
		}
		goto out;
	}
	if (exact(&j, top, d) < 0)
		goto out;
	*out = d;
	d = NULL;
	r = 0;
out:
	xvm_domain_free(d);
	xvm_cfg_release(&cfg);
	json_decref(top);
	return r;
}

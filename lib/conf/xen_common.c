/*
 * xen_common.c - what the xm and xl converters share: the settings both
 * dialects read (libvirt's xenParseConfigCommon) and write
 * (xenFormatConfigCommon), the defaults libvirt's post-parse fills in, and
 * the extras: settings no converter knows, kept so nothing is lost.
 *
 * Facts (keys, defaults, key order) follow libvirt 9.0's
 * src/libxl/xen_common.c and libxl_domain.c; the code is ours.  Where
 * libvirt ignores a bad value or drops a device, we report an error at the
 * value's file:line:column naming the offending text.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "conf/xen_int.h"

const struct xvm_xen_caps *
xvm_xen_caps_test(void)
{
	/* libvirt's tests/testutilsxen.c and the libxl mock */
	static const struct xvm_xen_caps caps = {
		"x86_64",
		"/usr/lib/xen/boot/hvmloader",
		"/usr/lib/xen/bin/qemu-system-i386",
		"/usr/lib/xen/boot",
	};

	return &caps;
}

/* ---- reading settings ------------------------------------------------ */

const struct xvm_cfg_value *
xen_get(struct xen_parse *p, const char *name)
{
	return xvm_cfg_get(p->cfg, name);
}

int
xen_bad(struct xen_parse *p, const struct xvm_cfg_value *v,
    const char *fmt, ...)
{
	char msg[768];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* a value without a position came from the command line */
	if (v && v->line == 0)
		return xvm_err_at(p->err, "<command line>", 0, 0, "%s", msg);
	return xvm_err_at(p->err, p->cfg->file ? p->cfg->file : "",
	    v ? v->line : 0, v ? v->column : 0, "%s", msg);
}

const char *
xen_text(const struct xvm_cfg_value *v)
{
	if (v == NULL)
		return "";
	if (v->type == XVM_CFG_LIST)
		return "a list";
	return v->str ? v->str : "";
}

int
xen_parse_ull(const char *s, unsigned long long *out)
{
	unsigned long long n = 0;

	if (s == NULL || *s == '\0')
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		if (n > (~0ULL - (unsigned)(*s - '0')) / 10)
			return -1;
		n = n * 10 + (unsigned)(*s - '0');
	}
	*out = n;
	return 0;
}

static int
parse_ll(const char *s, long long *out)
{
	unsigned long long n;
	bool neg = false;

	if (s == NULL)
		return -1;
	if (*s == '-' || *s == '+')
		neg = *s++ == '-';
	if (xen_parse_ull(s, &n) < 0 || n > (unsigned long long)1 << 62)
		return -1;
	*out = neg ? -(long long)n : (long long)n;
	return 0;
}

int
xen_value_ull(const struct xvm_cfg_value *v, unsigned long long *out)
{
	if (v->type == XVM_CFG_NUMBER) {
		if (v->num < 0)
			return -1;
		*out = (unsigned long long)v->num;
		return 0;
	}
	if (v->type == XVM_CFG_STRING)
		return xen_parse_ull(v->str, out);
	return -1;
}

int
xen_get_str(struct xen_parse *p, const char *name, const char **out,
    const struct xvm_cfg_value **vp)
{
	const struct xvm_cfg_value *v = xen_get(p, name);

	if (vp)
		*vp = v;
	if (v == NULL)
		return 0;
	if (v->type == XVM_CFG_LIST)
		return xen_bad(p, v, "%s must be a string, not a list", name);
	*out = v->str ? v->str : "";
	return 1;
}

int
xen_get_bool(struct xen_parse *p, const char *name, int def, int *out)
{
	const struct xvm_cfg_value *v = xen_get(p, name);
	bool b;

	*out = def;
	if (v == NULL)
		return 0;
	if (xvm_cfg_value_bool(v, &b) == 0) {
		*out = b;
		return 1;
	}
	if (v->type == XVM_CFG_LIST)
		return xen_bad(p, v, "%s must be 0 or 1, not a list", name);
	return xen_bad(p, v, "%s must be 0 or 1, not '%s'", name, v->str);
}

int
xen_get_strlist(struct xen_parse *p, const char *name,
    const struct xvm_cfg_value **items, size_t *n)
{
	const struct xvm_cfg_value *v = xen_get(p, name);
	size_t i;

	*items = NULL;
	*n = 0;
	if (v == NULL)
		return 0;
	if (v->type != XVM_CFG_LIST) {
		*items = v;
		*n = 1;
		return 1;
	}
	for (i = 0; i < v->nitems; i++)
		if (v->items[i].type == XVM_CFG_LIST)
			return xen_bad(p, &v->items[i],
			    "%s entries must be strings, not lists", name);
	*items = v->items;
	*n = v->nitems;
	return 1;
}

int
xen_parse_each(struct xen_parse *p, const char *name,
    int (*one)(struct xen_parse *p, const struct xvm_cfg_value *v))
{
	const struct xvm_cfg_value *items;
	size_t i, n;

	if (xen_get_strlist(p, name, &items, &n) < 0)
		return -1;
	for (i = 0; i < n; i++)
		if (one(p, &items[i]) < 0)
			return -1;
	return 0;
}

int
xen_format_each_disk(struct xen_format *f,
    int (*one)(struct xen_format *f, const struct xvm_disk *disk,
    struct xvm_buf *b))
{
	struct xvm_cfg_value *list = NULL;
	struct xvm_buf b = XVM_BUF_INIT;
	size_t i;
	int rc = -1;

	for (i = 0; i < f->d->ndisks; i++) {
		if (f->d->disks[i].device == XVM_DEV_FLOPPY)
			continue;
		xvm_buf_reset(&b);
		xvm_buf_puts(&b, "");
		if (one(f, &f->d->disks[i], &b) < 0)
			goto out;
		if (list == NULL)
			list = xvm_cfg_set_list(f->cfg, "disk");
		xvm_cfg_list_add_string(list, xvm_buf_str(&b));
	}
	rc = 0;
out:
	xvm_buf_release(&b);
	return rc;
}

/* An unsigned setting within [min, max]; 0 absent, 1 set, -1 bad. */
static int
get_ull(struct xen_parse *p, const char *name, unsigned long long min,
    unsigned long long max, const char *what, unsigned long long *out)
{
	const struct xvm_cfg_value *v = xen_get(p, name);
	unsigned long long n;

	if (v == NULL)
		return 0;
	if (xen_value_ull(v, &n) < 0 || n < min || n > max)
		return xen_bad(p, v, "%s must be %s, not '%s'", name, what,
		    xen_text(v));
	*out = n;
	return 1;
}

/* ---- cpu bitmaps ----------------------------------------------------- */

static void
skip_spaces(const char **s)
{
	while (**s == ' ' || **s == '\t' || **s == '\n')
		(*s)++;
}

static int
read_num(const char **s, size_t *out)
{
	size_t n = 0;

	if (!isdigit((unsigned char)**s))
		return -1;
	while (isdigit((unsigned char)**s)) {
		n = n * 10 + (size_t)(**s - '0');
		if (n > 1000000)
			return -1;
		(*s)++;
	}
	*out = n;
	return 0;
}

int
xen_bitmap_parse(const char *s, unsigned char *bits, size_t nbits)
{
	size_t start, last, i;
	bool neg;

	memset(bits, 0, nbits);
	skip_spaces(&s);
	if (*s == '\0')
		return -1;
	while (*s) {
		neg = false;
		if (*s == '^') {
			neg = true;
			s++;
		}
		if (read_num(&s, &start) < 0 || start >= nbits)
			return -1;
		skip_spaces(&s);
		if (*s == ',' || *s == '\0') {
			bits[start] = !neg;
		} else if (*s == '-' && !neg) {
			s++;
			skip_spaces(&s);
			if (read_num(&s, &last) < 0 || last < start ||
			    last >= nbits)
				return -1;
			for (i = start; i <= last; i++)
				bits[i] = 1;
			skip_spaces(&s);
		} else {
			return -1;
		}
		if (*s == ',') {
			s++;
			skip_spaces(&s);
			if (*s == '\0')
				return -1;
		} else if (*s != '\0') {
			return -1;
		}
	}
	return 0;
}

char *
xen_bitmap_format(const unsigned char *bits, size_t nbits)
{
	struct xvm_buf b = XVM_BUF_INIT;
	size_t i = 0, j;

	xvm_buf_puts(&b, "");
	while (i < nbits) {
		if (!bits[i]) {
			i++;
			continue;
		}
		for (j = i; j + 1 < nbits && bits[j + 1]; j++)
			;
		if (b.len)
			xvm_buf_putc(&b, ',');
		if (j == i)
			xvm_buf_printf(&b, "%zu", i);
		else
			xvm_buf_printf(&b, "%zu-%zu", i, j);
		i = j + 1;
	}
	return xvm_buf_steal(&b);
}

char *
xen_cpuset_normalize(const char *s, size_t nbits)
{
	unsigned char *bits = xvm_calloc(nbits, 1);
	char *r = NULL;
	size_t i;

	if (xen_bitmap_parse(s, bits, nbits) == 0) {
		for (i = 0; i < nbits && !bits[i]; i++)
			;
		if (i < nbits)
			r = xen_bitmap_format(bits, nbits);
	}
	free(bits);
	return r;
}

/* ---- general settings ------------------------------------------------ */

static int
parse_meta(struct xen_parse *p)
{
	const struct xvm_cfg_value *v, *tv;
	struct xvm_domain *d = p->d;
	const char *s = "";
	int rc;

	if ((rc = xen_get_str(p, "name", &s, &v)) < 0)
		return -1;
	if (rc == 0)
		return xvm_err_at(p->err, p->cfg->file ? p->cfg->file : "",
		    0, 0, "no 'name' setting: a domain needs a name");
	if (*s == '\0')
		return xen_bad(p, v, "name must not be empty");
	d->name = xvm_strdup(s);

	if ((rc = xen_get_str(p, "uuid", &s, &v)) < 0)
		return -1;
	if (rc == 1) {
		if (*s == '\0')
			return xen_bad(p, v, "uuid must not be empty");
		if (xvm_uuid_parse(s, d->uuid) < 0)
			return xen_bad(p, v, "invalid UUID '%s'", s);
	} else {
		xvm_uuid_generate(d->uuid);
	}
	d->has_uuid = true;

	d->os.type = XVM_OS_LINUX;
	if ((rc = xen_get_str(p, "type", &s, &tv)) < 0)
		return -1;
	if (rc == 1) {
		(void)xen_get(p, "builder");	/* type wins */
		if (strcmp(s, "pv") == 0)
			d->os.type = XVM_OS_LINUX;
		else if (strcmp(s, "pvh") == 0)
			d->os.type = XVM_OS_XENPVH;
		else if (strcmp(s, "hvm") == 0)
			d->os.type = XVM_OS_HVM;
		else
			return xen_bad(p, tv, "type must be 'pv', 'pvh' or "
			    "'hvm', not '%s'", s);
	} else {
		if ((rc = xen_get_str(p, "builder", &s, &v)) < 0)
			return -1;
		if (rc == 1) {
			if (strcmp(s, "hvm") == 0)
				d->os.type = XVM_OS_HVM;
			else if (strcmp(s, "linux") != 0)
				return xen_bad(p, v, "builder must be 'linux' "
				    "or 'hvm', not '%s'", s);
		}
	}
	p->hvm = d->os.type == XVM_OS_HVM;
	d->os.arch = xvm_strdup(p->caps->arch);
	d->os.machine = xvm_strdup(p->hvm ? "xenfv" :
	    d->os.type == XVM_OS_XENPVH ? "xenpvh" : "xenpv");
	return 0;
}

static int
parse_mem(struct xen_parse *p)
{
	const char *what = "a number of MiB from 1 to 1073741824";
	unsigned long long cur = XEN_MIN_GUEST_MIB * 2, max;
	const struct xvm_cfg_value *mv;
	int rc;

	if (get_ull(p, "memory", 1, XEN_MAX_MEM_MIB, what, &cur) < 0)
		return -1;
	max = cur;
	mv = xen_get(p, "maxmem");
	if ((rc = get_ull(p, "maxmem", 1, XEN_MAX_MEM_MIB, what, &max)) < 0)
		return -1;
	if (rc == 1 && max < cur)
		return xen_bad(p, mv, "maxmem (%llu MiB) must not be less "
		    "than memory (%llu MiB)", max, cur);
	p->d->current_kib = cur * 1024;
	p->d->memory_kib = max * 1024;
	return 0;
}

static int
get_action(struct xen_parse *p, const char *name, const char *alias,
    enum xvm_lifecycle def, enum xvm_lifecycle *out)
{
	const struct xvm_cfg_value *v;
	const char *s = NULL, *which = name;
	int rc, a;

	*out = def;
	if ((rc = xen_get_str(p, name, &s, &v)) < 0)
		return -1;
	if (alias) {
		if (rc == 0) {
			which = alias;
			if ((rc = xen_get_str(p, alias, &s, &v)) < 0)
				return -1;
		} else {
			(void)xen_get(p, alias);
		}
	}
	if (rc == 0)
		return 0;
	if ((a = xvm_lifecycle_parse(s)) <= 0)
		return xen_bad(p, v, "%s must be one of destroy, restart, "
		    "rename-restart, preserve, coredump-destroy, "
		    "coredump-restart, not '%s'", which, s);
	*out = (enum xvm_lifecycle)a;
	return 0;
}

static int
parse_actions(struct xen_parse *p)
{
	/* xm configs of the Sun xVM era also say on_shutdown */
	if (get_action(p, "on_poweroff", p->dialect == XVM_DIALECT_XM ?
	    "on_shutdown" : NULL, XVM_LIFE_DESTROY, &p->d->on_poweroff) < 0 ||
	    get_action(p, "on_reboot", NULL, XVM_LIFE_RESTART,
	    &p->d->on_reboot) < 0 ||
	    get_action(p, "on_crash", NULL, XVM_LIFE_RESTART,
	    &p->d->on_crash) < 0)
		return -1;
	return 0;
}

static int
parse_cpus_setting(struct xen_parse *p)
{
	const struct xvm_cfg_value *v = xen_get(p, "cpus");
	struct xvm_buf b = XVM_BUF_INIT;
	bool ok = true;
	size_t i;
	int rc = 0;

	if (v == NULL)
		return 0;
	/* xl also takes a list of ranges */
	xvm_buf_puts(&b, "");
	if (v->type == XVM_CFG_LIST) {
		for (i = 0; i < v->nitems; i++) {
			if (v->items[i].type == XVM_CFG_LIST)
				ok = false;
			xvm_buf_printf(&b, "%s%s", i ? "," : "",
			    xen_text(&v->items[i]));
		}
	} else {
		xvm_buf_puts(&b, xen_text(v));
	}
	if (ok)
		p->d->cpuset = xen_cpuset_normalize(xvm_buf_str(&b),
		    XEN_CPUMASK_LEN);
	if (p->d->cpuset == NULL)
		rc = xen_bad(p, v, "cpus must be a list of CPUs such as "
		    "'0-3,^2', not '%s'", xvm_buf_str(&b));
	xvm_buf_release(&b);
	return rc;
}

static int
parse_cpu(struct xen_parse *p)
{
	const char *what = "a number from 1 to 4096";
	unsigned long long n = 1, max;
	const struct xvm_cfg_value *mv;
	int rc;

	if (get_ull(p, "vcpus", 1, XEN_MAX_VCPUS, what, &n) < 0)
		return -1;
	p->d->vcpus = (unsigned)n;
	mv = xen_get(p, "maxvcpus");
	if ((rc = get_ull(p, "maxvcpus", 1, XEN_MAX_VCPUS, what, &max)) < 0)
		return -1;
	if (rc == 1) {
		if (max < n)
			return xen_bad(p, mv, "maxvcpus (%llu) must not be "
			    "less than vcpus (%llu)", max, n);
		p->d->vcpus = (unsigned)max;
		if (max > n)
			p->d->vcpus_current = (unsigned)n;
	}
	return parse_cpus_setting(p);
}

static struct xvm_timer *
add_timer(struct xvm_domain *d, const char *name)
{
	struct xvm_timer *t;

	d->clock.timers = xvm_realloc(d->clock.timers,
	    (d->clock.ntimers + 1) * sizeof(*t));
	t = &d->clock.timers[d->clock.ntimers++];
	memset(t, 0, sizeof(*t));
	t->name = xvm_strdup(name);
	return t;
}

static int
parse_features(struct xen_parse *p)
{
	struct xvm_domain *d = p->d;
	const struct xvm_cfg_value *v;
	const char *s = NULL;
	int rc, val;

	if ((rc = xen_get_str(p, "tsc_mode", &s, &v)) < 0)
		return -1;
	if (rc == 1) {
		const char *mode;
		struct xvm_timer *t;

		if (strcmp(s, "always_emulate") == 0)
			mode = "emulate";
		else if (strcmp(s, "native") == 0)
			mode = "native";
		else if (strcmp(s, "native_paravirt") == 0)
			mode = "paravirt";
		else if (strcmp(s, "default") == 0)
			mode = "auto";
		else
			return xen_bad(p, v, "tsc_mode must be one of default, "
			    "always_emulate, native, native_paravirt, not "
			    "'%s'", s);
		t = add_timer(d, "tsc");
		t->present = XVM_TRI_YES;
		t->mode = xvm_strdup(mode);
	}

	if ((rc = xen_get_str(p, "passthrough", &s, &v)) < 0)
		return -1;
	if (rc == 1) {
		if (strcmp(s, "disabled") == 0) {
			d->features.passthrough = XVM_TRI_NO;
		} else if (strcmp(s, "enabled") == 0) {
			d->features.passthrough = XVM_TRI_YES;
		} else if (strcmp(s, "sync_pt") == 0 ||
		    strcmp(s, "share_pt") == 0) {
			d->features.passthrough = XVM_TRI_YES;
			d->features.passthrough_mode = xvm_strdup(s);
		} else {
			return xen_bad(p, v, "passthrough must be one of "
			    "disabled, enabled, sync_pt, share_pt, not '%s'",
			    s);
		}
	}

	if (!p->hvm) {
		if (xen_get_bool(p, "e820_host", 0, &val) < 0)
			return -1;
		if (val)
			d->features.e820_host = XVM_TRI_YES;
		return 0;
	}
	if (xen_get_bool(p, "pae", 1, &val) < 0)
		return -1;
	d->features.pae = val;
	if (xen_get_bool(p, "acpi", 1, &val) < 0)
		return -1;
	d->features.acpi = val;
	if (xen_get_bool(p, "apic", 1, &val) < 0)
		return -1;
	d->features.apic = val;
	if (xen_get_bool(p, "hap", 1, &val) < 0)
		return -1;
	if (!val)
		d->features.hap = XVM_TRI_NO;
	if (xen_get_bool(p, "viridian", 0, &val) < 0)
		return -1;
	if (val)
		d->features.viridian = XVM_TRI_YES;
	if ((rc = xen_get_bool(p, "hpet", -1, &val)) < 0)
		return -1;
	if (rc == 1)
		add_timer(d, "hpet")->present = val ? XVM_TRI_YES : XVM_TRI_NO;
	return 0;
}

static int
parse_time(struct xen_parse *p)
{
	struct xvm_clock *c = &p->d->clock;
	const struct xvm_cfg_value *v;
	long long off = 0;
	int localtime;

	if (xen_get_bool(p, "localtime", 0, &localtime) < 0)
		return -1;
	if (!p->hvm) {
		/* PV guests have no emulated RTC: the offset is fixed */
		c->offset = localtime ? XVM_CLOCK_LOCALTIME : XVM_CLOCK_UTC;
		c->adjustment_reset = true;
		return 0;
	}
	if ((v = xen_get(p, "rtc_timeoffset")) != NULL) {
		if (v->type == XVM_CFG_NUMBER)
			off = v->num;
		else if (v->type != XVM_CFG_STRING || parse_ll(v->str, &off))
			return xen_bad(p, v, "rtc_timeoffset must be a number "
			    "of seconds, not '%s'", xen_text(v));
		if (off > 2147483647LL || off < -2147483647LL)
			return xen_bad(p, v, "rtc_timeoffset must be a number "
			    "of seconds, not '%s'", xen_text(v));
	}
	c->offset = XVM_CLOCK_VARIABLE;
	c->has_adjustment = true;
	c->adjustment = off;
	c->basis = xvm_strdup(localtime ? "localtime" : "utc");
	return 0;
}

static int
parse_emulator(struct xen_parse *p)
{
	const char *s = NULL;
	int rc;

	if ((rc = xen_get_str(p, "device_model_override", &s, NULL)) < 0)
		return -1;
	/* xm's name for it (Sun xVM, Xen 3.x configs) */
	if (rc == 0 && (rc = xen_get_str(p, "device_model", &s, NULL)) < 0)
		return -1;
	if (rc == 1 && *s)
		p->d->emulator = xvm_strdup(s);
	else
		(void)xen_get(p, "device_model");
	return 0;
}

/* ---- network interfaces ---------------------------------------------- */

/* A VLAN tag list "42" or "42:43"; -1 when one is not a tag. */
static int
parse_tags(struct xvm_net *net, const char *tags, char sep)
{
	struct xvm_strv parts = XVM_STRV_INIT;
	unsigned long long tag;
	char seps[2] = { sep, '\0' };
	size_t i;
	int rc = 0;

	xvm_strv_split(&parts, tags, seps);
	net->vlan_tags = xvm_calloc(parts.n, sizeof(unsigned));
	for (i = 0; i < parts.n && rc == 0; i++) {
		if (xen_parse_ull(parts.v[i], &tag) < 0 || tag > 4095)
			rc = -1;
		else
			net->vlan_tags[net->nvlan_tags++] = (unsigned)tag;
	}
	xvm_strv_release(&parts);
	return rc;
}

/* BRIDGE, BRIDGE.VLAN or BRIDGE:TRUNK:TRUNK... (Open vSwitch) */
static int
parse_vif_bridge(struct xen_parse *p, const struct xvm_cfg_value *v,
    struct xvm_net *net, const char *bridge)
{
	/* a '.' anywhere makes a tag, as libvirt reads it */
	char sep = strchr(bridge, '.') ? '.' : ':';
	size_t len = strcspn(bridge, sep == '.' ? "." : ":");

	net->bridge = xvm_strndup(bridge, len);
	if (bridge[len] == '\0')
		return 0;
	if (parse_tags(net, bridge + len + 1, sep) < 0 ||
	    (sep == '.' && net->nvlan_tags != 1))
		return xen_bad(p, v, "invalid VLAN tag in bridge '%s'",
		    bridge);
	net->vlan_trunk = sep == ':';
	net->virtualport = xvm_strdup("openvswitch");
	return 0;
}

/* ^[0-9]+[GMK]?[Bb]/s$ before any "@interval", in KB/s; -1 if not */
static int
rate_kbps(const char *rate, unsigned long long *out)
{
	unsigned long long n = 0;
	const char *s = rate;
	size_t len = strcspn(rate, "@");
	char unit = 0;

	if (!isdigit((unsigned char)*s))
		return -1;
	while (isdigit((unsigned char)*s)) {
		if (n > 1ULL << 50)
			return -1;
		n = n * 10 + (unsigned)(*s++ - '0');
	}
	if (*s == 'G' || *s == 'M' || *s == 'K')
		unit = *s++;
	if ((*s != 'B' && *s != 'b') || s[1] != '/' || s[2] != 's' ||
	    (size_t)(s + 3 - rate) != len)
		return -1;
	if (unit == 'G') {
		if (n > (~0ULL >> 20))
			return -1;
		n *= 1024 * 1024;
	} else if (unit == 'M') {
		n *= 1024;
	}
	if (*s == 'b')
		n /= 8;
	*out = n;
	return 0;
}

/* One "ADDR[/PREFIX]" into net; -1 when it is not an address. */
static int
add_ip(struct xvm_net *net, const char *text)
{
	unsigned char bin[16];
	char addr[64], canon[64], *slash;
	unsigned long long prefix = 0;
	struct xvm_net_ip *ip;
	int af;

	if (strlen(text) >= sizeof(addr))
		return -1;
	strcpy(addr, text);
	if ((slash = strchr(addr, '/')) != NULL) {
		*slash = '\0';
		if (xen_parse_ull(slash + 1, &prefix) < 0 || prefix == 0)
			return -1;
	}
	af = strchr(addr, ':') ? AF_INET6 : AF_INET;
	if (inet_pton(af, addr, bin) != 1 ||
	    prefix > (af == AF_INET ? 32u : 128u) ||
	    inet_ntop(af, bin, canon, sizeof(canon)) == NULL)
		return -1;
	net->ips = xvm_realloc(net->ips, (net->nips + 1) * sizeof(*net->ips));
	ip = &net->ips[net->nips++];
	memset(ip, 0, sizeof(*ip));
	ip->address = xvm_strdup(canon);
	ip->family = xvm_strdup(af == AF_INET ? "ipv4" : "ipv6");
	ip->prefix = (unsigned)prefix;
	return 0;
}

/* ip=ADDR ADDR ... */
static int
parse_vif_ips(struct xen_parse *p, const struct xvm_cfg_value *v,
    struct xvm_net *net, const char *ips)
{
	struct xvm_strv list = XVM_STRV_INIT;
	size_t i;
	int rc = 0;

	xvm_strv_split(&list, ips, " ");
	for (i = 0; i < list.n && rc == 0; i++)
		if (list.v[i][0] && add_ip(net, list.v[i]) < 0)
			rc = xen_bad(p, v, "invalid IP address '%s'",
			    list.v[i]);
	xvm_strv_release(&list);
	return rc;
}

static bool
model_name_ok(const char *s)
{
	if (*s == '\0')
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '-' && *s != '_')
			return false;
	return true;
}

static int
parse_vif(struct xen_parse *p, const struct xvm_cfg_value *v)
{
	static const char *const ignored[] = {
		"accel", "gatewaydev", "devid", "mtu", "forwarddev", "trusted",
		"untrusted", "sec_label", "uuid", "netdev", "powerup",
	};
	const char *typename = p->dialect == XVM_DIALECT_XL ? "vif" :
	    "netfront";
	const char *mac = NULL, *bridge = NULL, *script = NULL, *model = NULL,
	    *type = NULL, *vifname = NULL, *ip = NULL, *rate = NULL,
	    *backend = NULL;
	struct xvm_strv keys = XVM_STRV_INIT;
	struct xvm_net *net;
	size_t i, k;
	int rc = -1;

	xvm_strv_split(&keys, xen_text(v), ",");
	for (i = 0; i < keys.n; i++) {
		char *key = keys.v[i], *val;

		while (*key == ' ' || *key == '\t')
			key++;
		if (*key == '\0')
			continue;
		if ((val = strchr(key, '=')) == NULL) {
			xen_bad(p, v, "vif '%s': '%s' is not a key=value "
			    "setting", xen_text(v), key);
			goto out;
		}
		*val++ = '\0';
		if (strcmp(key, "mac") == 0)
			mac = val;
		else if (strcmp(key, "bridge") == 0)
			bridge = val;
		else if (strcmp(key, "script") == 0)
			script = val;
		else if (strcmp(key, "model") == 0)
			model = val;
		else if (strcmp(key, "type") == 0)
			type = val;
		else if (strcmp(key, "vifname") == 0)
			vifname = val;
		else if (strcmp(key, "ip") == 0)
			ip = val;
		else if (strcmp(key, "rate") == 0)
			rate = val;
		else if (strcmp(key, "backend") == 0)
			backend = val;
		else {
			for (k = 0; k < XVM_ARRAY_SIZE(ignored); k++)
				if (strcmp(key, ignored[k]) == 0)
					break;
			if (k == XVM_ARRAY_SIZE(ignored)) {
				xen_bad(p, v, "vif '%s': unknown setting '%s'",
				    xen_text(v), key);
				goto out;
			}
		}
	}

	net = xvm_domain_add_net(p->d);
	if (mac) {
		if (xvm_mac_parse(mac, net->mac) < 0) {
			xen_bad(p, v, "invalid MAC address '%s'", mac);
			goto out;
		}
		net->has_mac = true;
	}
	if (bridge || xvm_streq(script, "vif-bridge") ||
	    xvm_streq(script, "vif-vnic"))
		net->type = XVM_NET_BRIDGE;
	else
		net->type = XVM_NET_ETHERNET;
	if (net->type == XVM_NET_BRIDGE && bridge &&
	    parse_vif_bridge(p, v, net, bridge) < 0)
		goto out;
	if (ip && parse_vif_ips(p, v, net, ip) < 0)
		goto out;
	if (script && *script)
		net->script = xvm_strdup(script);
	if (type && strcmp(type, "ioemu") != 0 &&
	    strcmp(type, "netfront") != 0 && strcmp(type, "vif") != 0) {
		xen_bad(p, v, "vif type must be 'ioemu' or '%s', not '%s'",
		    typename, type);
		goto out;
	}
	if (model) {
		if (!model_name_ok(model)) {
			xen_bad(p, v, "invalid NIC model '%s'", model);
			goto out;
		}
		net->model = xvm_strdup(model);
	} else if (xvm_streq(type, typename)) {
		net->model = xvm_strdup("netfront");
	}
	if (vifname && *vifname)
		net->ifname = xvm_strdup(vifname);
	if (rate) {
		if (rate_kbps(rate, &net->rate_kbps) < 0) {
			xen_bad(p, v, "invalid rate '%s' (want e.g. '10MB/s')",
			    rate);
			goto out;
		}
		net->has_rate = true;
	}
	if (backend && *backend)
		net->backend_domain = xvm_strdup(backend);
	rc = 0;
out:
	xvm_strv_release(&keys);
	return rc;
}

/* ---- PCI passthrough ------------------------------------------------- */

static int
hex_field(const char *s, size_t len, unsigned max, unsigned *out)
{
	unsigned long n = 0;
	size_t i;

	if (len == 0 || len > 8)
		return -1;
	for (i = 0; i < len; i++) {
		int c = tolower((unsigned char)s[i]);

		if (c >= '0' && c <= '9')
			n = n * 16 + (unsigned long)(c - '0');
		else if (c >= 'a' && c <= 'f')
			n = n * 16 + (unsigned long)(c - 'a' + 10);
		else
			return -1;
	}
	if (n > max)
		return -1;
	*out = (unsigned)n;
	return 0;
}

/* [DDDD:]BB:SS.F[@VSLOT]; *rest at what follows; -1 when malformed */
static int
pci_address(const char *spec, struct xvm_hostdev *h, const char **rest)
{
	const char *s = spec, *end = s + strcspn(s, ",@"), *c1, *c2, *dot;
	unsigned vslot;

	if ((c1 = memchr(s, ':', (size_t)(end - s))) == NULL)
		return -1;
	if ((c2 = memchr(c1 + 1, ':', (size_t)(end - c1 - 1))) != NULL) {
		if (hex_field(s, (size_t)(c1 - s), 0xffff, &h->domain) < 0)
			return -1;
		s = c1 + 1;
		c1 = c2;
	}
	if (hex_field(s, (size_t)(c1 - s), 0xff, &h->bus) < 0)
		return -1;
	s = c1 + 1;
	if ((dot = memchr(s, '.', (size_t)(end - s))) == NULL ||
	    hex_field(s, (size_t)(dot - s), 0x1f, &h->slot) < 0 ||
	    hex_field(dot + 1, (size_t)(end - dot - 1), 7, &h->function) < 0)
		return -1;
	if (*end == '@') {
		/* xm's virtual slot: the guest's choice, not kept */
		s = end + 1;
		end = s + strcspn(s, ",");
		if (hex_field(s, (size_t)(end - s), 0x1f, &vslot) < 0)
			return -1;
	}
	if (*end != '\0' && *end != ',')
		return -1;
	*rest = end;
	return 0;
}

static int
parse_pci(struct xen_parse *p, const struct xvm_cfg_value *v)
{
	static const char *const ignored[] = {
		"msitranslate", "power_mgmt", "seize", "rdm_policy", "vslot",
		"name",
	};
	const char *spec = xen_text(v), *rest;
	struct xvm_strv opts = XVM_STRV_INIT;
	struct xvm_hostdev h;
	size_t i, k;
	long long n;
	int rc = -1;

	memset(&h, 0, sizeof(h));
	if (pci_address(spec, &h, &rest) < 0) {
		xen_bad(p, v, "invalid PCI device '%s' (want "
		    "[DDDD:]BB:SS.F)", spec);
		goto out;
	}
	if (*rest == ',')
		xvm_strv_split(&opts, rest + 1, ",");
	for (i = 0; i < opts.n; i++) {
		char *o = opts.v[i], *val = strchr(o, '=');

		if (val == NULL) {
			xen_bad(p, v, "PCI device '%s': option '%s' is not "
			    "key=value", spec, o);
			goto out;
		}
		*val++ = '\0';
		if (strcmp(o, "permissive") == 0) {
			if (parse_ll(val, &n) < 0) {
				xen_bad(p, v, "PCI device '%s': permissive "
				    "must be 0 or 1, not '%s'", spec, val);
				goto out;
			}
			/* permissive: no write filtering */
			h.permissive = n ? XVM_TRI_YES : XVM_TRI_NO;
			continue;
		}
		for (k = 0; k < XVM_ARRAY_SIZE(ignored); k++)
			if (strcmp(o, ignored[k]) == 0)
				break;
		if (k == XVM_ARRAY_SIZE(ignored)) {
			xen_bad(p, v, "PCI device '%s': unknown option '%s'",
			    spec, o);
			goto out;
		}
	}
	h.type = xvm_strdup("pci");
	h.managed = false;
	*xvm_domain_add_hostdev(p->d) = h;
	rc = 0;
out:
	xvm_strv_release(&opts);
	return rc;
}

/* ---- sound, graphics ------------------------------------------------- */

static int
parse_sound(struct xen_parse *p)
{
	static const char *const models[] = {
		"sb16", "es1370", "pcspk", "ac97", "ich6", "ich9", "usb",
		"ich7", "virtio",
	};
	const struct xvm_cfg_value *v;
	struct xvm_strv list = XVM_STRV_INIT;
	const char *s = NULL;
	size_t i, k;
	int rc;

	if (!p->hvm)
		return 0;
	if ((rc = xen_get_str(p, "soundhw", &s, &v)) <= 0)
		return rc;
	if (strcmp(s, "all") == 0) {
		/* the two models Xen's old qemu had */
		xvm_domain_add_sound(p->d)->model = xvm_strdup("sb16");
		xvm_domain_add_sound(p->d)->model = xvm_strdup("es1370");
		return 0;
	}
	xvm_strv_split(&list, s, ",");
	for (i = 0; i < list.n; i++) {
		for (k = 0; k < XVM_ARRAY_SIZE(models); k++)
			if (strcmp(list.v[i], models[k]) == 0)
				break;
		if (k == XVM_ARRAY_SIZE(models)) {
			xen_bad(p, v, "unknown sound model '%s' in soundhw "
			    "'%s'", list.v[i], s);
			xvm_strv_release(&list);
			return -1;
		}
		xvm_domain_add_sound(p->d)->model = xvm_strdup(list.v[i]);
	}
	xvm_strv_release(&list);
	return 0;
}

static int
copy_opt(struct xen_parse *p, const char *name, char **out)
{
	const char *s = NULL;
	int rc;

	if ((rc = xen_get_str(p, name, &s, NULL)) == 1)
		*out = xvm_strdup(s);
	return rc < 0 ? -1 : 0;
}

static int
parse_hvm_graphics(struct xen_parse *p)
{
	struct xvm_graphics *g;
	unsigned long long disp = 0;
	int val;

	if (xen_get_bool(p, "vnc", 0, &val) < 0)
		return -1;
	if (val) {
		(void)xen_get(p, "sdl");
		g = xvm_domain_add_graphics(p->d);
		g->type = XVM_GFX_VNC;
		g->has_autoport = true;
		g->port = -1;
		if (xen_get_bool(p, "vncunused", 1, &val) < 0)
			return -1;
		g->autoport = val;
		if (!g->autoport) {
			if (get_ull(p, "vncdisplay", 0, 59635,
			    "a display number from 0 to 59635", &disp) < 0)
				return -1;
			g->port = (int)disp + 5900;
		}
		if (copy_opt(p, "vnclisten", &g->listen) < 0 ||
		    copy_opt(p, "vncpasswd", &g->passwd) < 0 ||
		    copy_opt(p, "keymap", &g->keymap) < 0)
			return -1;
		return 0;
	}
	if (xen_get_bool(p, "sdl", 0, &val) < 0)
		return -1;
	if (val) {
		g = xvm_domain_add_graphics(p->d);
		g->type = XVM_GFX_SDL;
		g->port = -1;
		if (copy_opt(p, "display", &g->display) < 0 ||
		    copy_opt(p, "xauthority", &g->xauth) < 0)
			return -1;
	}
	return 0;
}

/* One KEY=VALUE of a PV vfb; -1 with the error set. */
static int
vfb_key(struct xen_parse *p, const struct xvm_cfg_value *v,
    struct xvm_graphics *g, const char *key, const char *val)
{
	unsigned long long num;
	char **str = NULL;

	if (strcmp(key, "type") == 0 && strcmp(val, "vnc") != 0 &&
	    strcmp(val, "sdl") != 0)
		return xen_bad(p, v, "vfb type must be 'vnc' or 'sdl', not "
		    "'%s'", val);
	if (g->type == XVM_GFX_SDL) {
		if (strcmp(key, "display") == 0)
			str = &g->display;
		else if (strcmp(key, "xauthority") == 0)
			str = &g->xauth;
	} else if (strcmp(key, "vncunused") == 0) {
		if (strcmp(val, "1") == 0) {
			g->autoport = true;
			g->port = -1;
		}
	} else if (strcmp(key, "vncdisplay") == 0) {
		if (xen_parse_ull(val, &num) < 0 || num > 59635)
			return xen_bad(p, v, "invalid vncdisplay '%s'", val);
		if (!g->autoport)
			g->port = (int)num + 5900;
	} else if (strcmp(key, "vnclisten") == 0) {
		str = &g->listen;
	} else if (strcmp(key, "vncpasswd") == 0) {
		str = &g->passwd;
	} else if (strcmp(key, "keymap") == 0) {
		str = &g->keymap;
	}
	if (str) {
		free(*str);
		*str = xvm_strdup(val);
	}
	return 0;
}

/* vfb = [ "type=vnc,vncunused=1,vnclisten=...,vncpasswd=..." ] (PV) */
static int
parse_vfb(struct xen_parse *p)
{
	const struct xvm_cfg_value *items;
	struct xvm_strv keys = XVM_STRV_INIT;
	struct xvm_graphics *g;
	const char *spec;
	size_t i, n;
	int rc = 0;

	if (p->hvm)
		return parse_hvm_graphics(p);
	if (xen_get_strlist(p, "vfb", &items, &n) < 0)
		return -1;
	if (n == 0)
		return 0;
	if (n > 1)
		return xen_bad(p, &items[1], "only one vfb is supported");
	spec = xen_text(&items[0]);
	g = xvm_domain_add_graphics(p->d);
	/* xl also says sdl=1 */
	g->type = strstr(spec, "type=sdl") || strstr(spec, "sdl=1") ?
	    XVM_GFX_SDL : XVM_GFX_VNC;
	g->port = g->type == XVM_GFX_VNC ? 0 : -1;
	g->has_autoport = g->type == XVM_GFX_VNC;
	xvm_strv_split(&keys, spec, ",");
	for (i = 0; i < keys.n && rc == 0; i++) {
		char *key = keys.v[i], *val;

		while (*key == ' ' || *key == '\t')
			key++;
		if (*key == '\0')
			continue;
		if ((val = strchr(key, '=')) == NULL) {
			rc = xen_bad(p, &items[0], "vfb '%s': '%s' is not a "
			    "key=value setting", spec, key);
			break;
		}
		*val++ = '\0';
		rc = vfb_key(p, &items[0], g, key, val);
	}
	xvm_strv_release(&keys);
	return rc;
}

/* ---- serial and parallel ports --------------------------------------- */

static int
chr_bad(struct xen_parse *p, const struct xvm_cfg_value *v, const char *what,
    const char *spec)
{
	return xen_bad(p, v, "%s '%s': %s", "character device", spec, what);
}

/* libvirt's xenParseSxprChar */
static int
parse_chr(struct xen_parse *p, const struct xvm_cfg_value *v,
    const char *spec, struct xvm_chr *chr)
{
	const char *colon, *value, *comma, *at, *c3;
	char prefix[32];
	int t;

	chr->port = -1;
	if (spec[0] == '/') {
		chr->type = XVM_CHR_DEV;
		chr->path = xvm_strdup(spec);
		return 0;
	}
	colon = strchr(spec, ':');
	value = colon ? colon + 1 : NULL;
	if ((colon ? (size_t)(colon - spec) : strlen(spec)) >= sizeof(prefix))
		return chr_bad(p, v, "unknown device type", spec);
	snprintf(prefix, sizeof(prefix), "%.*s", colon ? (int)(colon - spec) :
	    (int)strlen(spec), spec);
	if (strncmp(prefix, "telnet", 6) == 0) {
		chr->type = XVM_CHR_TCP;
		chr->protocol = xvm_strdup("telnet");
	} else if ((t = xvm_chr_type_parse(prefix)) < 0) {
		return xen_bad(p, v, "unknown character device type '%s' in "
		    "'%s'", prefix, spec);
	} else {
		chr->type = (enum xvm_chr_type)t;
		if (chr->type == XVM_CHR_TCP)
			chr->protocol = xvm_strdup("raw");
	}

	switch (chr->type) {
	case XVM_CHR_NULL:
	case XVM_CHR_VC:
	case XVM_CHR_PTY:
	case XVM_CHR_STDIO:
		break;
	case XVM_CHR_DEV:
	case XVM_CHR_FILE:
	case XVM_CHR_PIPE:
		if (value == NULL || *value == '\0')
			return chr_bad(p, v, "no path given", spec);
		chr->path = xvm_strdup(value);
		break;
	case XVM_CHR_TCP:
		/* tcp:HOST:PORT[,server[,nowait]] */
		if (value == NULL || (colon = strchr(value, ':')) == NULL)
			return chr_bad(p, v, "want HOST:PORT", spec);
		if (colon != value)
			chr->host = xvm_strndup(value, (size_t)(colon - value));
		comma = strchr(colon, ',');
		chr->service = comma ? xvm_strndup(colon + 1,
		    (size_t)(comma - colon - 1)) : xvm_strdup(colon + 1);
		if (*chr->service == '\0')
			return chr_bad(p, v, "no port given", spec);
		if (comma && strstr(comma, ",server"))
			chr->listen = true;
		break;
	case XVM_CHR_UDP:
		/* udp:[HOST]:PORT[@[BINDHOST]:BINDPORT] */
		if (value == NULL || (colon = strchr(value, ':')) == NULL)
			return chr_bad(p, v, "want HOST:PORT", spec);
		if (colon != value)
			chr->host = xvm_strndup(value, (size_t)(colon - value));
		if ((at = strchr(colon, '@')) != NULL) {
			chr->service = xvm_strndup(colon + 1,
			    (size_t)(at - colon - 1));
			if ((c3 = strchr(at, ':')) == NULL)
				return chr_bad(p, v, "want "
				    "HOST:PORT@BINDHOST:BINDPORT", spec);
			if (c3 > at + 1)
				chr->bind_host = xvm_strndup(at + 1,
				    (size_t)(c3 - at - 1));
			chr->bind_service = xvm_strdup(c3 + 1);
		} else {
			chr->service = xvm_strdup(colon + 1);
		}
		break;
	case XVM_CHR_UNIX:
		/* unix:PATH[,server[,nowait]] */
		if (value == NULL || *value == '\0' || *value == ',')
			return chr_bad(p, v, "no path given", spec);
		comma = strchr(value, ',');
		chr->path = comma ? xvm_strndup(value,
		    (size_t)(comma - value)) : xvm_strdup(value);
		if (comma && strstr(comma, ",server"))
			chr->listen = true;
		break;
	}
	return 0;
}

static int
parse_serials(struct xen_parse *p)
{
	const struct xvm_cfg_value *v = xen_get(p, "serial"), *items;
	size_t i, n;

	if (v == NULL)
		return 0;
	if (v->type == XVM_CFG_LIST) {
		if (xen_get_strlist(p, "serial", &items, &n) < 0)
			return -1;
		if (p->dialect == XVM_DIALECT_XM && n > 1)
			return xen_bad(p, v, "xm configs take one serial "
			    "port; more need the xl dialect");
	} else {
		items = v;
		n = 1;
	}
	for (i = 0; i < n; i++) {
		const char *s = xen_text(&items[i]);

		if (strcmp(s, "none") == 0)
			continue;
		if (parse_chr(p, &items[i], s, xvm_domain_add_serial(p->d)) < 0)
			return -1;
		p->d->serials[p->d->nserials - 1].port = (int)i;
	}
	return 0;
}

static int
parse_chardevs(struct xen_parse *p)
{
	struct xvm_chr *c;
	const struct xvm_cfg_value *v;
	const char *s = NULL;
	int rc;

	if (!p->hvm) {
		c = xvm_domain_add_console(p->d);
		c->type = XVM_CHR_PTY;
		c->target_type = xvm_strdup("xen");
		c->port = 0;
		return 0;
	}
	if ((rc = xen_get_str(p, "parallel", &s, &v)) < 0)
		return -1;
	if (rc == 1 && strcmp(s, "none") != 0) {
		c = xvm_domain_add_parallel(p->d);
		if (parse_chr(p, v, s, c) < 0)
			return -1;
		c->port = 0;
	}
	return parse_serials(p);
}

static int
xen_parse_common(struct xen_parse *p)
{
	if (parse_meta(p) < 0 || parse_mem(p) < 0 || parse_actions(p) < 0 ||
	    parse_cpu(p) < 0 || parse_features(p) < 0 || parse_time(p) < 0 ||
	    parse_emulator(p) < 0 ||
	    xen_parse_each(p, "vif", parse_vif) < 0 ||
	    xen_parse_each(p, "pci", parse_pci) < 0 ||
	    parse_sound(p) < 0 || parse_vfb(p) < 0 || parse_chardevs(p) < 0)
		return -1;
	return 0;
}

int
xen_parse_boot(struct xen_parse *p)
{
	const struct xvm_cfg_value *v;
	const char *s = "c";
	size_t i;
	int rc;

	if ((rc = xen_get_str(p, "boot", &s, &v)) < 0)
		return -1;
	if (rc == 1 && (*s == '\0' || strlen(s) > 4))
		return xen_bad(p, v, "boot must be up to 4 of the letters "
		    "a (floppy), c (disk), d (cdrom), n (network), not '%s'",
		    s);
	for (i = 0; s[i]; i++) {
		enum xvm_boot_dev b;

		switch (s[i]) {
		case 'a':
			b = XVM_BOOT_FD;
			break;
		case 'c':
			b = XVM_BOOT_HD;
			break;
		case 'd':
			b = XVM_BOOT_CDROM;
			break;
		case 'n':
			b = XVM_BOOT_NETWORK;
			break;
		default:
			return xen_bad(p, v, "boot must be up to 4 of the "
			    "letters a (floppy), c (disk), d (cdrom), "
			    "n (network), not '%s'", s);
		}
		p->d->os.boot[p->d->os.nboot++] = b;
	}
	return 0;
}

int
xen_parse_usbdevice(struct xen_parse *p, bool list_ok)
{
	const struct xvm_cfg_value *v = xen_get(p, "usbdevice"), *items;
	size_t i, n;

	if (!p->hvm)
		return 0;
	(void)xen_get(p, "usb");	/* written back from the inputs */
	if (v == NULL)
		return 0;
	if (v->type == XVM_CFG_LIST && !list_ok && v->nitems > 1)
		return xen_bad(p, v, "usbdevice must be a single device in "
		    "xm configs");
	if (xen_get_strlist(p, "usbdevice", &items, &n) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		const char *s = xen_text(&items[i]);
		struct xvm_input *in;

		if (strcmp(s, "tablet") != 0 && strcmp(s, "mouse") != 0 &&
		    strcmp(s, "keyboard") != 0)
			return xen_bad(p, &items[i], "usbdevice must be "
			    "'tablet', 'mouse' or 'keyboard', not '%s'", s);
		in = xvm_domain_add_input(p->d);
		in->type = xvm_strdup(s);
		in->bus = xvm_strdup("usb");
	}
	return 0;
}

/* ---- disk names ------------------------------------------------------ */

/* libvirt's virDiskNameParse: index of "hda", "sdb", "xvdaa1"...; -1 */
static int
disk_index(const char *name)
{
	static const char *const prefixes[] = { "fd", "hd", "vd", "sd", "xvd",
	    "ubd" };
	const char *s = NULL;
	size_t i;
	int idx = 0;

	for (i = 0; i < XVM_ARRAY_SIZE(prefixes); i++)
		if (xvm_has_prefix(name, prefixes[i])) {
			s = name + strlen(prefixes[i]);
			break;
		}
	if (s == NULL || !islower((unsigned char)*s))
		return -1;
	for (i = 0; islower((unsigned char)*s); i++, s++) {
		idx = (idx + (i < 1 ? 0 : 1)) * 26 + (*s - 'a');
		if (idx > 1000000)
			return -1;
	}
	if (*s) {
		/* a partition number */
		for (; *s; s++)
			if (!isdigit((unsigned char)*s))
				return -1;
	}
	return idx;
}

int
xen_disk_target_dup(struct xen_parse *p, const struct xvm_cfg_value *v,
    const char *dst)
{
	size_t i;

	for (i = 0; i < p->d->ndisks; i++)
		if (xvm_streq(p->d->disks[i].target, dst))
			return xen_bad(p, v, "disk target '%s' is used by two "
			    "disks", dst);
	return 0;
}

int
xen_disk_target_ok(const char *dst, bool numeric_ok)
{
	const char *s = dst;

	if (disk_index(dst) >= 0)
		return 1;
	if (!numeric_ok || *s == '\0')
		return 0;
	/* a raw Xen virtual-device number, as old xm (and Solaris) took */
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X') && s[2]) {
		for (s += 2; *s; s++)
			if (!isxdigit((unsigned char)*s))
				return 0;
		return 1;
	}
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return 0;
	return 1;
}

/* "xvd" + the letters of disk index idx: 0 xvda, 25 xvdz, 26 xvdaa. */
static char *
indexed_name(const char *prefix, unsigned long idx, unsigned part)
{
	char letters[16];
	int n = (int)sizeof(letters) - 1;

	letters[n] = '\0';
	do {
		letters[--n] = (char)('a' + idx % 26);
		idx = idx / 26;
	} while (idx-- > 0 && n > 0);
	return part ? xvm_asprintf("%s%s%u", prefix, letters + n, part) :
	    xvm_asprintf("%s%s", prefix, letters + n);
}

char *
xen_disk_target_name(const char *dst)
{
	unsigned long long v;
	char *end;

	if (disk_index(dst) >= 0)
		return xvm_strdup(dst);
	v = strtoull(dst, &end, 0);
	if (*end != '\0')
		return xvm_strdup(dst);
	/*
	 * A Xen virtual-device number (docs/misc/vbd-interface): decode the
	 * usual encodings; a small number (below any encoding) is the index
	 * of the disk, as Sun xVM's Solaris configs use it ('file:/x,0,w').
	 */
	if (v < 256)
		return indexed_name("xvd", (unsigned long)v, 0);
	if (v & (1ULL << 28))
		return indexed_name("xvd", (unsigned long)((v >> 8) & 0xfffff),
		    (unsigned)(v & 0xff));
	switch (v >> 8) {
	case 202:
		return indexed_name("xvd", (v >> 4) & 0xf, v & 0xf);
	case 3:
	case 22:
		return indexed_name("hd", ((v >> 8) == 22 ? 2 : 0) +
		    ((v >> 6) & 1), v & 0x3f);
	case 8:
		return indexed_name("sd", (v >> 4) & 0xf, v & 0xf);
	default:
		return xvm_strdup(dst);
	}
}

/* ---- libvirt's post-parse defaults ----------------------------------- */

static bool
has_input(const struct xvm_domain *d, const char *type, const char *bus)
{
	size_t i;

	for (i = 0; i < d->ninputs; i++)
		if (xvm_streq(d->inputs[i].type, type) &&
		    xvm_streq(d->inputs[i].bus, bus))
			return true;
	return false;
}

static void
maybe_add_input(struct xvm_domain *d, const char *type, const char *bus)
{
	struct xvm_input *in;

	if (has_input(d, type, bus))
		return;
	in = xvm_domain_add_input(d);
	in->type = xvm_strdup(type);
	in->bus = xvm_strdup(bus);
}

static bool
has_controller(const struct xvm_domain *d, enum xvm_ctrl_type t, int idx)
{
	size_t i;

	for (i = 0; i < d->ncontrollers; i++)
		if (d->controllers[i].type == t &&
		    (idx < 0 || d->controllers[i].index == idx))
			return true;
	return false;
}

static void
add_disk_controllers(struct xvm_domain *d, enum xvm_ctrl_type t,
    enum xvm_disk_bus bus)
{
	struct xvm_controller *c;
	int max = -1, i;
	size_t k;

	for (k = 0; k < d->ndisks; k++)
		if (d->disks[k].bus == bus &&
		    d->disks[k].addr.type == XVM_ADDR_DRIVE &&
		    (int)d->disks[k].addr.controller > max)
			max = (int)d->disks[k].addr.controller;
	for (i = 0; i <= max; i++) {
		if (has_controller(d, t, i))
			continue;
		c = xvm_domain_add_controller(d);
		c->type = t;
		c->index = i;
	}
}

/* libvirt's virDomainDiskDefAssignAddress */
static int
assign_address(struct xen_parse *p, struct xvm_disk *disk)
{
	int idx;

	if (disk->addr.type != XVM_ADDR_NONE)
		return 0;
	if (disk->bus != XVM_BUS_IDE && disk->bus != XVM_BUS_SCSI &&
	    disk->bus != XVM_BUS_SATA && disk->bus != XVM_BUS_FDC)
		return 0;
	if ((idx = disk_index(disk->target)) < 0)
		return xvm_err_at(p->err, p->cfg->file ? p->cfg->file : "",
		    0, 0, "invalid disk target '%s'", disk->target);
	disk->addr.type = XVM_ADDR_DRIVE;
	switch (disk->bus) {
	case XVM_BUS_IDE:
		disk->addr.controller = (unsigned)idx / 4;
		disk->addr.bus = ((unsigned)idx % 4) / 2;
		disk->addr.unit = (unsigned)idx % 2;
		break;
	case XVM_BUS_SCSI:
		disk->addr.controller = (unsigned)idx / 7;
		disk->addr.unit = (unsigned)idx % 7;
		break;
	case XVM_BUS_SATA:
		disk->addr.controller = (unsigned)idx / 6;
		disk->addr.unit = (unsigned)idx % 6;
		break;
	case XVM_BUS_FDC:
		disk->addr.unit = (unsigned)idx;
		break;
	default:
		break;
	}
	/* each controller is a device of the guest: keep their number sane */
	if (disk->addr.controller >= XEN_MAX_DISK_CTRLS)
		return xvm_err_at(p->err, p->cfg->file ? p->cfg->file : "",
		    0, 0, "disk target '%s' would need %s controller %u; at "
		    "most %d are supported", disk->target,
		    xvm_disk_bus_name(disk->bus), disk->addr.controller,
		    XEN_MAX_DISK_CTRLS);
	return 0;
}

static int
xen_add_defaults(struct xen_parse *p)
{
	struct xvm_domain *d = p->d;
	const char *bus = p->hvm ? "ps2" : "xen";
	struct xvm_controller *c;
	struct xvm_chr *con;
	struct xvm_video *vid;
	size_t i;

	if (!p->hvm && d->nconsoles == 0) {
		con = xvm_domain_add_console(d);
		con->type = XVM_CHR_PTY;
		con->target_type = xvm_strdup("xen");
		con->port = 0;
	}
	maybe_add_input(d, "mouse", bus);
	maybe_add_input(d, "keyboard", bus);
	if (p->hvm && xvm_streq(d->os.arch, "x86_64")) {
		d->features.pae = true;
		if (d->cpu.ncells > 0)
			d->features.acpi = true;
	}
	if (d->memballoon == NULL)
		d->memballoon = xvm_strdup("xen");
	if (!has_controller(d, XVM_CTRL_XENBUS, -1)) {
		c = xvm_domain_add_controller(d);
		c->type = XVM_CTRL_XENBUS;
		c->index = 0;
	}

	for (i = 0; i < d->ndisks; i++) {
		struct xvm_disk *disk = &d->disks[i];
		size_t k;

		if (disk->type == XVM_DISK_NETWORK && disk->driver_name == NULL)
			disk->driver_name = xvm_strdup("qemu");
		if (disk->driver_type == NULL)
			disk->driver_type = xvm_strdup("raw");
		for (k = 0; k < i; k++)
			if (xvm_streq(d->disks[k].target, disk->target))
				return xvm_err_at(p->err, p->cfg->file ?
				    p->cfg->file : "", 0, 0, "disk target "
				    "'%s' is used by two disks", disk->target);
		if (assign_address(p, disk) < 0)
			return -1;
	}
	add_disk_controllers(d, XVM_CTRL_SCSI, XVM_BUS_SCSI);
	add_disk_controllers(d, XVM_CTRL_FDC, XVM_BUS_FDC);
	add_disk_controllers(d, XVM_CTRL_IDE, XVM_BUS_IDE);

	if (d->ngraphics > 0 && d->nvideos == 0) {
		vid = xvm_domain_add_video(d);
		if (p->hvm) {
			vid->model = xvm_strdup("cirrus");
			vid->vram_kib = 8192;
		} else if (d->os.type == XVM_OS_XENPVH) {
			vid->model = xvm_strdup("cirrus");
			vid->vram_kib = 16384;
		} else {
			vid->model = xvm_strdup("xen");
			vid->vram_kib = 4096;
		}
		vid->heads = 1;
		vid->primary = true;
	}

	/* an HVM guest's console is its first serial port */
	if (p->hvm && d->nserials > 0 && d->nconsoles == 0) {
		const struct xvm_chr *s;

		con = xvm_domain_add_console(d);
		s = &d->serials[0];
		con->type = s->type;
		con->path = xvm_strdup(s->path);
		con->host = xvm_strdup(s->host);
		con->service = xvm_strdup(s->service);
		con->bind_host = xvm_strdup(s->bind_host);
		con->bind_service = xvm_strdup(s->bind_service);
		con->listen = s->listen;
		con->protocol = xvm_strdup(s->protocol);
		con->target_type = xvm_strdup("serial");
		con->port = 0;
	}
	return 0;
}

/* ---- extras: settings no converter read ------------------------------ */

static void copy_value(struct xvm_cfg *cfg, const char *name,
    const struct xvm_cfg_value *v);

static void
copy_items(struct xvm_cfg_value *list, const struct xvm_cfg_value *v)
{
	struct xvm_cfg_value *it;
	size_t i;

	for (i = 0; i < v->nitems; i++) {
		const struct xvm_cfg_value *src = &v->items[i];

		switch (src->type) {
		case XVM_CFG_LIST:
			copy_items(xvm_cfg_list_add_list(list), src);
			break;
		case XVM_CFG_NUMBER:
			xvm_cfg_list_add_string(list, xen_text(src));
			it = &list->items[list->nitems - 1];
			it->type = XVM_CFG_NUMBER;
			it->num = src->num;
			break;
		case XVM_CFG_STRING:
			xvm_cfg_list_add_string(list, xen_text(src));
			break;
		}
	}
}

static void
copy_value(struct xvm_cfg *cfg, const char *name,
    const struct xvm_cfg_value *v)
{
	switch (v->type) {
	case XVM_CFG_STRING:
		xvm_cfg_set_string(cfg, name, xen_text(v));
		break;
	case XVM_CFG_NUMBER:
		xvm_cfg_set_long(cfg, name, v->num);
		break;
	case XVM_CFG_LIST:
		copy_items(xvm_cfg_set_list(cfg, name), v);
		break;
	}
}

/* The value in config syntax, as the writer puts it. */
static char *
value_text(const char *name, const struct xvm_cfg_value *v)
{
	struct xvm_cfg tmp;
	struct xvm_buf b = XVM_BUF_INIT;
	const char *s, *eq;
	char *r;
	size_t len;

	xvm_cfg_init(&tmp, "extra");
	copy_value(&tmp, name, v);
	xvm_cfg_write(&tmp, &b);
	s = xvm_buf_str(&b);
	eq = strstr(s, " = ");
	s = eq ? eq + 3 : s;
	len = strlen(s);
	while (len > 0 && s[len - 1] == '\n')
		len--;
	r = xvm_strndup(s, len);
	xvm_buf_release(&b);
	xvm_cfg_release(&tmp);
	return r;
}

void
xen_keep(struct xen_parse *p, const char *name)
{
	const struct xvm_cfg_value *v = xen_get(p, name);
	char *text;

	if (v == NULL)
		return;
	text = value_text(name, v);
	xvm_domain_add_extra(p->d, name, text);
	free(text);
}

static void
xen_collect_extras(struct xen_parse *p)
{
	size_t i;

	for (i = 0; i < p->cfg->n; i++) {
		const struct xvm_cfg_entry *e = &p->cfg->entries[i];
		char *text;

		if (e->used || e->referenced)
			continue;	/* read, or a helper of the file */
		text = value_text(e->name, &e->value);
		xvm_domain_add_extra(p->d, e->name, text);
		free(text);
	}
}

static void
xen_format_extras(struct xen_format *f)
{
	size_t i;

	for (i = 0; i < f->d->nextras; i++) {
		const struct xvm_extra *x = &f->d->extras[i];
		struct xvm_cfg tmp;
		struct xvm_err err;
		char *text;

		if (x->name == NULL || x->value == NULL)
			continue;
		text = xvm_asprintf("%s = %s\n", x->name, x->value);
		xvm_cfg_init(&tmp, "extra");
		xvm_err_clear(&err);
		if (xvm_cfg_parse(&tmp, text, strlen(text), 0, NULL,
		    &err) == 0 && tmp.n == 1)
			copy_value(f->cfg, x->name, &tmp.entries[0].value);
		else
			xvm_cfg_set_string(f->cfg, x->name, x->value);
		xvm_cfg_release(&tmp);
		free(text);
	}
}

/* ---- from a domain to a config --------------------------------------- */

int
xen_fail(struct xen_format *f, int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	xvm_err_vset(f->err, code, fmt, ap);
	va_end(ap);
	return -1;
}

void
xen_set_str(struct xvm_cfg *cfg, const char *name, const char *val)
{
	xvm_cfg_set_string(cfg, name, val);
}

void
xen_set_int(struct xvm_cfg *cfg, const char *name, long long val)
{
	xvm_cfg_set_long(cfg, name, val);
}

static int
format_meta(struct xen_format *f)
{
	char uuid[37];

	if (f->d->name == NULL || *f->d->name == '\0')
		return xen_fail(f, XVM_ERR_INVALID_ARG, "the domain has no "
		    "name");
	xen_set_str(f->cfg, "name", f->d->name);
	if (f->d->has_uuid) {
		xvm_uuid_format(f->d->uuid, uuid);
		xen_set_str(f->cfg, "uuid", uuid);
	}
	return 0;
}

static void
format_mem(struct xen_format *f)
{
	unsigned long long max = f->d->memory_kib, cur = f->d->current_kib;

	if (cur == 0 || cur > max)
		cur = max;
	xen_set_int(f->cfg, "maxmem", (long long)((max + 1023) / 1024));
	xen_set_int(f->cfg, "memory", (long long)((cur + 1023) / 1024));
}

static int
format_cpu(struct xen_format *f)
{
	const struct xvm_domain *d = f->d;
	unsigned cur = d->vcpus_current ? d->vcpus_current : d->vcpus;
	char *cpus;

	if (cur < d->vcpus)
		xen_set_int(f->cfg, "maxvcpus", d->vcpus);
	xen_set_int(f->cfg, "vcpus", cur);
	if (d->cpuset && *d->cpuset) {
		if ((cpus = xen_cpuset_normalize(d->cpuset,
		    XEN_CPUMASK_LEN)) == NULL)
			return xen_fail(f, XVM_ERR_INVALID_ARG, "invalid "
			    "cpuset '%s'", d->cpuset);
		xen_set_str(f->cfg, "cpus", cpus);
		free(cpus);
	}
	return 0;
}

static int
format_features(struct xen_format *f)
{
	const struct xvm_domain *d = f->d;
	const struct xvm_features *ft = &d->features;
	size_t i;

	if (f->hvm) {
		xen_set_int(f->cfg, "pae", ft->pae);
		xen_set_int(f->cfg, "acpi", ft->acpi);
		xen_set_int(f->cfg, "apic", ft->apic);
		if (ft->hap == XVM_TRI_NO)
			xen_set_int(f->cfg, "hap", 0);
		xen_set_int(f->cfg, "viridian", ft->viridian == XVM_TRI_YES);
	} else if (ft->e820_host == XVM_TRI_YES) {
		xen_set_int(f->cfg, "e820_host", 1);
	}
	if (ft->passthrough == XVM_TRI_YES) {
		if (xvm_streq(ft->passthrough_mode, "sync_pt") ||
		    xvm_streq(ft->passthrough_mode, "share_pt"))
			xen_set_str(f->cfg, "passthrough",
			    ft->passthrough_mode);
		else
			xen_set_str(f->cfg, "passthrough", "enabled");
	}

	for (i = 0; i < d->clock.ntimers; i++) {
		const struct xvm_timer *t = &d->clock.timers[i];

		if (xvm_streq(t->name, "tsc")) {
			const char *m = t->mode;

			if (xvm_streq(m, "native"))
				xen_set_str(f->cfg, "tsc_mode", "native");
			else if (xvm_streq(m, "paravirt"))
				xen_set_str(f->cfg, "tsc_mode",
				    "native_paravirt");
			else if (xvm_streq(m, "emulate"))
				xen_set_str(f->cfg, "tsc_mode",
				    "always_emulate");
			else
				xen_set_str(f->cfg, "tsc_mode", "default");
		} else if (xvm_streq(t->name, "hpet") && f->hvm) {
			xen_set_int(f->cfg, "hpet", t->present != XVM_TRI_NO);
		} else {
			return xen_fail(f, XVM_ERR_CONFIG_UNSUPPORTED, "unsupported "
			    "timer type (name) '%s'", t->name ? t->name : "");
		}
	}
	return 0;
}

static int
format_time(struct xen_format *f)
{
	const struct xvm_clock *c = &f->d->clock;
	long long off = 0;
	int localtime = 0;
	bool ok = true;

	switch (c->offset) {
	case XVM_CLOCK_VARIABLE:
		ok = f->hvm;
		localtime = xvm_streq(c->basis, "localtime");
		off = c->adjustment;
		break;
	case XVM_CLOCK_UTC:
	case XVM_CLOCK_LOCALTIME:
		if (f->hvm && c->adjustment_reset)
			return xen_fail(f, XVM_ERR_CONFIG_UNSUPPORTED, "unsupported "
			    "clock adjustment='reset'");
		localtime = c->offset == XVM_CLOCK_LOCALTIME;
		break;
	default:
		ok = false;
		break;
	}
	if (!ok)
		return xen_fail(f, XVM_ERR_CONFIG_UNSUPPORTED, "unsupported clock "
		    "offset='%s'", xvm_clock_offset_name(c->offset) ?
		    xvm_clock_offset_name(c->offset) : "");
	if (f->hvm)
		xen_set_int(f->cfg, "rtc_timeoffset", off);
	xen_set_int(f->cfg, "localtime", localtime);
	return 0;
}

static void
format_actions(struct xen_format *f)
{
	const struct xvm_domain *d = f->d;

	/* absent in the XML: libvirt's defaults */
	xen_set_str(f->cfg, "on_poweroff", xvm_lifecycle_name(d->on_poweroff ?
	    d->on_poweroff : XVM_LIFE_DESTROY));
	xen_set_str(f->cfg, "on_reboot", xvm_lifecycle_name(d->on_reboot ?
	    d->on_reboot : XVM_LIFE_RESTART));
	xen_set_str(f->cfg, "on_crash", xvm_lifecycle_name(d->on_crash ?
	    d->on_crash : XVM_LIFE_DESTROY));
}

static const struct xvm_graphics *
first_graphics(const struct xvm_domain *d, bool spice)
{
	size_t i;

	for (i = 0; i < d->ngraphics; i++)
		if ((d->graphics[i].type == XVM_GFX_SPICE) == spice)
			return &d->graphics[i];
	return NULL;
}

static void
format_vfb(struct xen_format *f)
{
	const struct xvm_graphics *g = first_graphics(f->d, false);
	struct xvm_buf b = XVM_BUF_INIT;
	struct xvm_cfg_value *list;

	if (g == NULL)
		return;
	if (f->hvm) {
		if (g->type == XVM_GFX_SDL) {
			xen_set_int(f->cfg, "sdl", 1);
			xen_set_int(f->cfg, "vnc", 0);
			if (g->display)
				xen_set_str(f->cfg, "display", g->display);
			if (g->xauth)
				xen_set_str(f->cfg, "xauthority", g->xauth);
			return;
		}
		xen_set_int(f->cfg, "sdl", 0);
		xen_set_int(f->cfg, "vnc", 1);
		xen_set_int(f->cfg, "vncunused", g->autoport);
		if (!g->autoport)
			xen_set_int(f->cfg, "vncdisplay", g->port - 5900);
		if (g->listen)
			xen_set_str(f->cfg, "vnclisten", g->listen);
		if (g->passwd)
			xen_set_str(f->cfg, "vncpasswd", g->passwd);
		if (g->keymap)
			xen_set_str(f->cfg, "keymap", g->keymap);
		return;
	}
	if (g->type == XVM_GFX_SDL) {
		xvm_buf_puts(&b, "type=sdl");
		if (g->display)
			xvm_buf_printf(&b, ",display=%s", g->display);
		if (g->xauth)
			xvm_buf_printf(&b, ",xauthority=%s", g->xauth);
	} else {
		xvm_buf_printf(&b, "type=vnc,vncunused=%d", g->autoport);
		if (!g->autoport)
			xvm_buf_printf(&b, ",vncdisplay=%d", g->port - 5900);
		if (g->listen)
			xvm_buf_printf(&b, ",vnclisten=%s", g->listen);
		if (g->passwd)
			xvm_buf_printf(&b, ",vncpasswd=%s", g->passwd);
		if (g->keymap)
			xvm_buf_printf(&b, ",keymap=%s", g->keymap);
	}
	list = xvm_cfg_set_list(f->cfg, "vfb");
	xvm_cfg_list_add_string(list, xvm_buf_str(&b));
	xvm_buf_release(&b);
}

static int
format_net(struct xen_format *f, const struct xvm_net *n, struct xvm_buf *b)
{
	const char *typename = f->dialect == XVM_DIALECT_XL ? "vif" :
	    "netfront";
	char mac[18];
	size_t i;

	if (n->has_mac) {
		xvm_mac_format(n->mac, mac);
		xvm_buf_printf(b, "mac=%s", mac);
	}
#define SEP (b->len ? "," : "")
	switch (n->type) {
	case XVM_NET_BRIDGE: {
		const char *script = n->script;

		xvm_buf_printf(b, "%sbridge=%s", SEP, n->bridge ? n->bridge :
		    "");
		if (xvm_streq(n->virtualport, "openvswitch")) {
			if (script == NULL)
				script = "vif-openvswitch";
			if (n->nvlan_tags > 0 && n->vlan_trunk)
				for (i = 0; i < n->nvlan_tags; i++)
					xvm_buf_printf(b, ":%u",
					    n->vlan_tags[i]);
			else if (n->nvlan_tags > 0)
				xvm_buf_printf(b, ".%u", n->vlan_tags[0]);
		}
		if (n->nips > 0) {
			xvm_buf_printf(b, "%sip=", SEP);
			for (i = 0; i < n->nips; i++) {
				xvm_buf_printf(b, "%s%s", i ? " " : "",
				    n->ips[i].address);
				if (n->ips[i].prefix)
					xvm_buf_printf(b, "/%u",
					    n->ips[i].prefix);
			}
		}
		/* libvirt writes the default script; xl has the same
		   default, and leaving it out keeps a round trip exact */
		if (script)
			xvm_buf_printf(b, "%sscript=%s", SEP, script);
		break;
	}
	case XVM_NET_ETHERNET:
		if (n->script)
			xvm_buf_printf(b, "%sscript=%s", SEP, n->script);
		if (n->nips > 0) {
			xvm_buf_printf(b, "%sip=", SEP);
			for (i = 0; i < n->nips; i++) {
				xvm_buf_printf(b, "%s%s", i ? " " : "",
				    n->ips[i].address);
				if (n->ips[i].prefix)
					xvm_buf_printf(b, "/%u",
					    n->ips[i].prefix);
			}
		}
		break;
	default:
		return xen_fail(f, XVM_ERR_CONFIG_UNSUPPORTED, "unsupported net type "
		    "'%s'", xvm_net_type_name(n->type) ?
		    xvm_net_type_name(n->type) : "");
	}
	if (n->model) {
		if (f->hvm && strcmp(n->model, "netfront") == 0)
			xvm_buf_printf(b, "%stype=%s", SEP, typename);
		else
			xvm_buf_printf(b, "%smodel=%s", SEP, n->model);
	}
	if (n->ifname)
		xvm_buf_printf(b, "%svifname=%s", SEP, n->ifname);
	if (n->has_rate && n->rate_kbps)
		xvm_buf_printf(b, "%srate=%lluKB/s", SEP, n->rate_kbps);
	if (n->backend_domain)
		xvm_buf_printf(b, "%sbackend=%s", SEP, n->backend_domain);
#undef SEP
	return 0;
}

static int
format_vifs(struct xen_format *f)
{
	struct xvm_cfg_value *list;
	struct xvm_buf b = XVM_BUF_INIT;
	size_t i;

	if (f->d->nnets == 0)
		return 0;
	list = xvm_cfg_set_list(f->cfg, "vif");
	for (i = 0; i < f->d->nnets; i++) {
		xvm_buf_reset(&b);
		xvm_buf_puts(&b, "");
		if (format_net(f, &f->d->nets[i], &b) < 0) {
			xvm_buf_release(&b);
			return -1;
		}
		xvm_cfg_list_add_string(list, xvm_buf_str(&b));
	}
	xvm_buf_release(&b);
	return 0;
}

static void
format_pcis(struct xen_format *f)
{
	struct xvm_cfg_value *list = NULL;
	size_t i;

	for (i = 0; i < f->d->nhostdevs; i++) {
		const struct xvm_hostdev *h = &f->d->hostdevs[i];
		char *s;

		if (!xvm_streq(h->type, "pci"))
			continue;
		if (list == NULL)
			list = xvm_cfg_set_list(f->cfg, "pci");
		s = xvm_asprintf("%04x:%02x:%02x.%x%s", h->domain, h->bus,
		    h->slot, h->function, h->permissive == XVM_TRI_YES ?
		    ",permissive=1" : h->permissive == XVM_TRI_NO ?
		    ",permissive=0" : "");
		xvm_cfg_list_add_string(list, s);
		free(s);
	}
}

static void
escape_sexpr(struct xvm_buf *b, const char *s)
{
	for (; s && *s; s++) {
		if (*s == '\\' || *s == '\'')
			xvm_buf_putc(b, '\\');
		xvm_buf_putc(b, *s);
	}
}

static int
format_chr(struct xen_format *f, const struct xvm_chr *c, struct xvm_buf *b)
{
	const char *type = xvm_chr_type_name(c->type);

	switch (c->type) {
	case XVM_CHR_NULL:
	case XVM_CHR_STDIO:
	case XVM_CHR_VC:
	case XVM_CHR_PTY:
		xvm_buf_puts(b, type);
		break;
	case XVM_CHR_FILE:
	case XVM_CHR_PIPE:
		xvm_buf_printf(b, "%s:", type);
		escape_sexpr(b, c->path);
		break;
	case XVM_CHR_DEV:
		escape_sexpr(b, c->path);
		break;
	case XVM_CHR_TCP:
		xvm_buf_printf(b, "%s:%s:%s%s", xvm_streq(c->protocol,
		    "telnet") ? "telnet" : "tcp", c->host ? c->host : "",
		    c->service ? c->service : "", c->listen ?
		    ",server,nowait" : "");
		break;
	case XVM_CHR_UDP:
		xvm_buf_printf(b, "udp:%s:%s@%s:%s", c->host ? c->host : "",
		    c->service ? c->service : "", c->bind_host ?
		    c->bind_host : "", c->bind_service ? c->bind_service : "");
		break;
	case XVM_CHR_UNIX:
		xvm_buf_puts(b, "unix:");
		escape_sexpr(b, c->path);
		if (c->listen)
			xvm_buf_puts(b, ",server,nowait");
		break;
	default:
		return xen_fail(f, XVM_ERR_CONFIG_UNSUPPORTED, "unsupported chr "
		    "device type '%s'", type ? type : "");
	}
	return 0;
}

static int
format_chardevs(struct xen_format *f)
{
	const struct xvm_domain *d = f->d;
	struct xvm_buf b = XVM_BUF_INIT;
	struct xvm_cfg_value *list;
	int maxport = -1, port, rc = -1;
	size_t i;

	if (!f->hvm)
		return 0;
	xvm_buf_puts(&b, "");
	if (d->nparallels) {
		if (format_chr(f, &d->parallels[0], &b) < 0)
			goto out;
		xen_set_str(f->cfg, "parallel", xvm_buf_str(&b));
	} else {
		xen_set_str(f->cfg, "parallel", "none");
	}
	if (d->nserials == 0) {
		xen_set_str(f->cfg, "serial", "none");
	} else if (d->nserials == 1 && d->serials[0].port <= 0) {
		xvm_buf_reset(&b);
		xvm_buf_puts(&b, "");
		if (format_chr(f, &d->serials[0], &b) < 0)
			goto out;
		xen_set_str(f->cfg, "serial", xvm_buf_str(&b));
	} else {
		if (f->dialect == XVM_DIALECT_XM) {
			xen_fail(f, XVM_ERR_CONFIG_UNSUPPORTED, "Multiple serial "
			    "devices are not supported by xen-xm");
			goto out;
		}
		for (i = 0; i < d->nserials; i++)
			if (d->serials[i].port > maxport)
				maxport = d->serials[i].port;
		list = xvm_cfg_set_list(f->cfg, "serial");
		for (port = 0; port <= maxport; port++) {
			const struct xvm_chr *c = NULL;

			for (i = 0; i < d->nserials; i++)
				if (d->serials[i].port == port) {
					c = &d->serials[i];
					break;
				}
			xvm_buf_reset(&b);
			xvm_buf_puts(&b, "");
			if (c == NULL)
				xvm_buf_puts(&b, "none");
			else if (format_chr(f, c, &b) < 0)
				goto out;
			xvm_cfg_list_add_string(list, xvm_buf_str(&b));
		}
	}
	rc = 0;
out:
	xvm_buf_release(&b);
	return rc;
}

static void
format_sound(struct xen_format *f)
{
	struct xvm_buf b = XVM_BUF_INIT;
	size_t i;

	if (!f->hvm || f->d->nsounds == 0)
		return;
	xvm_buf_puts(&b, "");
	for (i = 0; i < f->d->nsounds; i++) {
		if (i)
			xvm_buf_putc(&b, ',');
		escape_sexpr(&b, f->d->sounds[i].model);
	}
	xen_set_str(f->cfg, "soundhw", xvm_buf_str(&b));
	xvm_buf_release(&b);
}

static int
xen_format_common(struct xen_format *f)
{
	if (format_meta(f) < 0)
		return -1;
	format_mem(f);
	if (format_cpu(f) < 0 || format_features(f) < 0 ||
	    format_time(f) < 0)
		return -1;
	format_actions(f);
	if (f->d->emulator)
		xen_set_str(f->cfg, "device_model_override", f->d->emulator);
	format_vfb(f);
	if (format_vifs(f) < 0)
		return -1;
	format_pcis(f);
	if (format_chardevs(f) < 0)
		return -1;
	format_sound(f);
	return 0;
}

int
xen_format_boot(struct xen_format *f)
{
	char boot[5];
	size_t i;

	for (i = 0; i < f->d->os.nboot && i < 4; i++) {
		switch (f->d->os.boot[i]) {
		case XVM_BOOT_FD:
			boot[i] = 'a';
			break;
		case XVM_BOOT_CDROM:
			boot[i] = 'd';
			break;
		case XVM_BOOT_NETWORK:
			boot[i] = 'n';
			break;
		default:
			boot[i] = 'c';
			break;
		}
	}
	if (i == 0)
		boot[i++] = 'c';
	boot[i] = '\0';
	xen_set_str(f->cfg, "boot", boot);
	return 0;
}

/* ---- the public API -------------------------------------------------- */

/*
 * Every string must be text that domain XML (and JSON) can carry: valid
 * UTF-8 without control characters other than tab, newline and carriage
 * return.  Returns the offset of the first bad byte, or -1.
 */
static long
bad_text(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	while (p[i]) {
		unsigned c = p[i], need, cp, k;

		if (c < 0x80) {
			if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
				return (long)i;
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf)
			need = 1, cp = c & 0x1f;
		else if (c >= 0xe0 && c <= 0xef)
			need = 2, cp = c & 0x0f;
		else if (c >= 0xf0 && c <= 0xf4)
			need = 3, cp = c & 0x07;
		else
			return (long)i;
		for (k = 1; k <= need; k++) {
			if ((p[i + k] & 0xc0) != 0x80)
				return (long)i;
			cp = cp << 6 | (p[i + k] & 0x3f);
		}
		/* no overlong forms, surrogates or code points past U+10FFFF */
		if ((need == 2 && cp < 0x800) || (need == 3 && cp < 0x10000) ||
		    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
			return (long)i;
		i += need + 1;
	}
	return -1;
}

static int
check_value_text(struct xen_parse *p, const char *name,
    const struct xvm_cfg_value *v)
{
	size_t i;
	long at;

	if (v->type == XVM_CFG_LIST) {
		for (i = 0; i < v->nitems; i++)
			if (check_value_text(p, name, &v->items[i]) < 0)
				return -1;
		return 0;
	}
	if (v->str == NULL || (at = bad_text(v->str)) < 0)
		return 0;
	if ((unsigned char)v->str[at] < 0x20)
		return xen_bad(p, v, "the value of '%s' contains the control "
		    "character 0x%02x", name, (unsigned char)v->str[at]);
	return xen_bad(p, v, "the value of '%s' is not valid UTF-8 (byte "
	    "0x%02x at offset %ld)", name, (unsigned char)v->str[at], at);
}

int
xvm_domain_from_cfg(struct xvm_cfg *cfg, enum xvm_cfg_dialect dialect,
    const struct xvm_xen_caps *caps, struct xvm_domain **out,
    struct xvm_err *err)
{
	struct xen_parse p;
	size_t i;
	int rc = -1;

	*out = NULL;
	memset(&p, 0, sizeof(p));
	p.cfg = cfg;
	p.dialect = dialect;
	p.caps = caps ? caps : xvm_xen_caps_test();
	p.err = err;
	p.d = xvm_domain_new();
	p.d->virt_type = xvm_strdup("xen");
	p.d->id = -1;
	/* what this conversion reads decides what becomes an extra */
	for (i = 0; i < cfg->n; i++) {
		cfg->entries[i].used = false;
		if (check_value_text(&p, cfg->entries[i].name,
		    &cfg->entries[i].value) < 0)
			goto out;
	}

	if (xen_parse_common(&p) < 0)
		goto out;
	if ((dialect == XVM_DIALECT_XL ? xen_xl_parse(&p) :
	    xen_xm_parse(&p)) < 0)
		goto out;
	if (xen_add_defaults(&p) < 0)
		goto out;
	xen_collect_extras(&p);
	*out = p.d;
	p.d = NULL;
	rc = 0;
out:
	xvm_domain_free(p.d);
	return rc;
}

int
xvm_domain_to_cfg(const struct xvm_domain *d, enum xvm_cfg_dialect dialect,
    struct xvm_cfg *cfg, struct xvm_err *err)
{
	struct xen_format f;

	memset(&f, 0, sizeof(f));
	f.d = d;
	f.dialect = dialect;
	f.cfg = cfg;
	f.err = err;
	f.hvm = d->os.type == XVM_OS_HVM;
	if (dialect == XVM_DIALECT_XM && xen_xm_check(&f) < 0)
		return -1;
	if (xen_format_common(&f) < 0)
		return -1;
	if ((dialect == XVM_DIALECT_XL ? xen_xl_format(&f) :
	    xen_xm_format(&f)) < 0)
		return -1;
	xen_format_extras(&f);
	return 0;
}

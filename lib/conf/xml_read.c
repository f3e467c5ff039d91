/*
 * xml_read.c - libvirt domain XML to struct xvm_domain.
 *
 * The document is read with libxml2 (xml_load.c), then walked by hand.
 * As libvirt does, elements we do not know are ignored, and the first of
 * repeated single elements wins; but a bad value in an element we know
 * (a number that is none, an unknown enum name, a missing required
 * attribute) fails with "name:line: message".
 *
 * What libvirt fills in when a document leaves it out is filled in here
 * too (lifecycle actions, the current memory, one vcpu, the variable
 * clock's basis, the tcp protocol, ...), so that a document written by
 * xml_write.c from what we read reads back to the same domain.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include "xvm/domxml.h"
#include "xvm/size.h"
#include "xml_int.h"

struct rd {
	const char *name;	/* the document, for messages */
	unsigned flags;		/* XVM_XML_* */
	struct xvm_err *err;
};

static int
fail(struct rd *r, xmlNode *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
fail(struct rd *r, xmlNode *n, const char *fmt, ...)
{
	char msg[768];
	va_list ap;
	long line = n ? xmlGetLineNo(n) : 0;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return xvm_err_at(r->err, r->name, line > 0 && line < INT_MAX ?
	    (int)line : 0, 0, "%s", msg);
}

/* ---- tree access ------------------------------------------------------ */

static bool
is_el(const xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && n->ns == NULL &&
	    strcmp((const char *)n->name, name) == 0;
}

static bool
is_xen_el(const xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && n->ns != NULL &&
	    n->ns->href != NULL &&
	    strcmp((const char *)n->ns->href, XVM_XML_XEN_NS) == 0 &&
	    strcmp((const char *)n->name, name) == 0;
}

static xmlNode *
first_el(const xmlNode *parent, const char *name)
{
	xmlNode *c;

	if (parent == NULL)
		return NULL;
	for (c = parent->children; c != NULL; c = c->next)
		if (is_el(c, name))
			return c;
	return NULL;
}

/* The text of n (its text and CDATA children); NULL when empty. */
static char *
text_of(const xmlNode *n)
{
	struct xvm_buf b = XVM_BUF_INIT;
	const xmlNode *c;

	if (n == NULL)
		return NULL;
	for (c = n->children; c != NULL; c = c->next)
		if ((c->type == XML_TEXT_NODE ||
		    c->type == XML_CDATA_SECTION_NODE) && c->content)
			xvm_buf_puts(&b, (const char *)c->content);
	if (b.len == 0) {
		xvm_buf_release(&b);
		return NULL;
	}
	return xvm_buf_steal(&b);
}

static void
set_str(char **dst, char *v)
{
	free(*dst);
	*dst = v;
}

/* Replace *dst with the text of parent's first <name>, when there is one. */
static void
get_text(const xmlNode *parent, const char *name, char **dst)
{
	xmlNode *n = first_el(parent, name);

	if (n)
		set_str(dst, text_of(n));
}

static char *
prop(xmlNode *n, const char *name)
{
	xmlChar *v;
	char *s;

	if (n == NULL)
		return NULL;
	v = xmlGetNoNsProp(n, (const xmlChar *)name);
	if (v == NULL)
		return NULL;
	s = xvm_strdup((const char *)v);
	xmlFree(v);
	return s;
}

/* Replace *dst with attribute name of n, when n has it. */
static void
get_prop(xmlNode *n, const char *name, char **dst)
{
	char *v = prop(n, name);

	if (v)
		set_str(dst, v);
}

/* ---- values ----------------------------------------------------------- */

/* An unsigned number: digits only (base 10), or C syntax (base 0). */
static int
num_u(const char *s, int base, unsigned long long *out)
{
	char *end;
	unsigned long long v;

	if (s == NULL || *s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoull(s, &end, base);
	if (errno != 0 || *end != '\0')
		return -1;
	*out = v;
	return 0;
}

static int
num_s(const char *s, long long *out)
{
	char *end;
	long long v;
	const char *p = s;

	if (p == NULL)
		return -1;
	if (*p == '-')
		p++;
	if (*p < '0' || *p > '9')
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0')
		return -1;
	*out = v;
	return 0;
}

/*
 * Attribute attr of n as an unsigned number no larger than max.  Absent:
 * 0 and *out untouched.  Returns 1 when present, 0 absent, -1 invalid.
 */
static int
prop_u(struct rd *r, xmlNode *n, const char *attr, int base,
    unsigned long long max, unsigned long long *out)
{
	char *v = prop(n, attr);
	unsigned long long u;
	int ret = 1;

	if (v == NULL)
		return 0;
	if (num_u(v, base, &u) < 0 || u > max)
		ret = fail(r, n, "invalid %s '%s' in <%s>", attr, v,
		    (const char *)n->name);
	else
		*out = u;
	free(v);
	return ret;
}

static int
prop_uint(struct rd *r, xmlNode *n, const char *attr, int base,
    unsigned max, unsigned *out)
{
	unsigned long long u;
	int ret = prop_u(r, n, attr, base, max, &u);

	if (ret == 1)
		*out = (unsigned)u;
	return ret;
}

/* A signed int in [min, INT_MAX]; same returns as prop_u. */
static int
prop_int(struct rd *r, xmlNode *n, const char *attr, int min, int *out)
{
	char *v = prop(n, attr);
	long long s;
	int ret = 1;

	if (v == NULL)
		return 0;
	if (num_s(v, &s) < 0 || s < min || s > INT_MAX)
		ret = fail(r, n, "invalid %s '%s' in <%s>", attr, v,
		    (const char *)n->name);
	else
		*out = (int)s;
	free(v);
	return ret;
}

/* Attribute attr of n, one of choices (NULL-terminated), into *dst. */
static int
prop_choice(struct rd *r, xmlNode *n, const char *attr,
    const char *const *choices, const char *what, char **dst)
{
	char *v = prop(n, attr);
	size_t i;

	if (v == NULL)
		return 0;
	for (i = 0; choices[i]; i++)
		if (strcmp(choices[i], v) == 0) {
			set_str(dst, v);
			return 1;
		}
	fail(r, n, "unknown %s '%s'", what, v);
	free(v);
	return -1;
}

/* Attribute attr of n through an enum parser; same returns as prop_u. */
static int
prop_enum(struct rd *r, xmlNode *n, const char *attr, int (*parse)(const
    char *), const char *what, int *out)
{
	char *v = prop(n, attr);
	int e;

	if (v == NULL)
		return 0;
	e = parse(v);
	if (e < 0) {
		fail(r, n, "unknown %s '%s'", what, v);
		free(v);
		return -1;
	}
	free(v);
	*out = e;
	return 1;
}

/* prop_choice for a required attribute: 0, or -1 when absent or bad. */
static int
req_choice(struct rd *r, xmlNode *n, const char *attr,
    const char *const *choices, const char *what, char **dst)
{
	int ret = prop_choice(r, n, attr, choices, what, dst);

	if (ret == 0)
		return fail(r, n, "missing %s in <%s>", attr,
		    (const char *)n->name);
	return ret < 0 ? -1 : 0;
}

/* prop_enum for a required attribute: 0, or -1 when absent or bad. */
static int
req_enum(struct rd *r, xmlNode *n, const char *attr, int (*parse)(const
    char *), const char *what, int *out)
{
	int ret = prop_enum(r, n, attr, parse, what, out);

	if (ret == 0)
		return fail(r, n, "missing %s in <%s>", attr,
		    (const char *)n->name);
	return ret < 0 ? -1 : 0;
}

/* yes/no (or on/off when onoff) into a tristate; same returns. */
static int
prop_tri(struct rd *r, xmlNode *n, const char *attr, bool onoff,
    enum xvm_tristate *out)
{
	char *v = prop(n, attr);
	int ret = 1;

	if (v == NULL)
		return 0;
	if (strcmp(v, onoff ? "on" : "yes") == 0)
		*out = XVM_TRI_YES;
	else if (strcmp(v, onoff ? "off" : "no") == 0)
		*out = XVM_TRI_NO;
	else
		ret = fail(r, n, "invalid %s '%s' in <%s>", attr, v,
		    (const char *)n->name);
	free(v);
	return ret;
}

static int
prop_bool(struct rd *r, xmlNode *n, const char *attr, bool *out)
{
	enum xvm_tristate t = XVM_TRI_DEFAULT;
	int ret = prop_tri(r, n, attr, false, &t);

	if (ret == 1)
		*out = t == XVM_TRI_YES;
	return ret;
}

/* A memory size: value with an optional unit (default KiB), into KiB. */
static int
parse_size(struct rd *r, xmlNode *n, const char *what, const char *value,
    const char *unit, unsigned long long *kib)
{
	struct xvm_err e;
	unsigned long long v;

	if (num_u(value, 10, &v) < 0)
		return fail(r, n, "invalid memory size '%s' in <%s>",
		    value ? value : "", what);
	xvm_err_clear(&e);
	if (xvm_size_scale(&v, unit, 1024, ULLONG_MAX, &e) < 0) {
		if (e.code == XVM_ERR_OVERFLOW)
			return fail(r, n, "memory size '%s' is too large in "
			    "<%s>", value, what);
		return fail(r, n, "unknown memory unit '%s' in <%s>", unit,
		    what);
	}
	*kib = v / 1024 + (v % 1024 != 0);
	return 0;
}

static int
parse_mem_el(struct rd *r, xmlNode *n, unsigned long long *kib)
{
	char *value = text_of(n), *unit = prop(n, "unit");
	int ret = parse_size(r, n, (const char *)n->name, value, unit, kib);

	free(value);
	free(unit);
	return ret;
}

static void
push_str(char ***v, size_t *n, const char *s)
{
	*v = xvm_realloc(*v, (*n + 1) * sizeof(**v));
	(*v)[(*n)++] = xvm_strdup(s);
}

/* ---- the general part ------------------------------------------------- */

static const char *const virt_types[] = {
	"none", "qemu", "kqemu", "kvm", "xen", "lxc", "uml", "openvz", "test",
	"vmware", "hyperv", "vbox", "phyp", "parallels", "bhyve", "vz", NULL
};

static int
parse_head(struct rd *r, xmlNode *root, struct xvm_domain *d)
{
	xmlNode *n;
	char *s = NULL;
	int ret = -1;

	if (prop_choice(r, root, "type", virt_types, "domain type",
	    &d->virt_type) == 0)
		return fail(r, root, "missing domain type in <domain>");
	if (d->virt_type == NULL)
		return -1;
	if (!(r->flags & XVM_XML_INACTIVE) &&
	    prop_int(r, root, "id", -1, &d->id) < 0)
		return -1;
	get_text(root, "name", &d->name);
	if (d->name == NULL)
		return fail(r, root, "missing <name>");
	n = first_el(root, "uuid");
	if (n && (s = text_of(n)) != NULL) {
		if (xvm_uuid_parse(s, d->uuid) < 0) {
			fail(r, n, "invalid uuid '%s'", s);
			goto out;
		}
	} else {
		xvm_uuid_generate(d->uuid);
	}
	d->has_uuid = true;
	get_text(root, "title", &d->title);
	get_text(root, "description", &d->description);
	ret = 0;
out:
	free(s);
	return ret;
}

static int
parse_vcpu(struct rd *r, xmlNode *root, struct xvm_domain *d)
{
	static const char *const placements[] = { "static", "auto", NULL };
	xmlNode *n = first_el(root, "vcpu");
	char *placement = NULL, *s = NULL;
	unsigned long long v;
	unsigned current = 0;
	int ret = -1, has_current;

	d->vcpus = 1;
	if (n == NULL)
		return 0;
	if (prop_choice(r, n, "placement", placements, "vcpu placement",
	    &placement) < 0)
		goto out;
	s = text_of(n);
	if (s != NULL) {
		if (num_u(s, 10, &v) < 0 || v == 0 || v > UINT_MAX) {
			fail(r, n, "invalid vcpu count '%s' in <vcpu>", s);
			goto out;
		}
		d->vcpus = (unsigned)v;
	}
	has_current = prop_uint(r, n, "current", 10, UINT_MAX, &current);
	if (has_current < 0)
		goto out;
	if (has_current && (current == 0 || current > d->vcpus)) {
		fail(r, n, "current vcpu count %u must be between 1 and %u",
		    current, d->vcpus);
		goto out;
	}
	d->vcpus_current = current == d->vcpus ? 0 : current;
	get_prop(n, "cpuset", &d->cpuset);
	ret = 0;
out:
	free(placement);
	free(s);
	return ret;
}

static int
parse_memory(struct rd *r, xmlNode *root, struct xvm_domain *d)
{
	xmlNode *n = first_el(root, "memory");
	unsigned long long sum = 0;
	size_t i;

	if (n != NULL) {
		if (parse_mem_el(r, n, &d->memory_kib) < 0)
			return -1;
	} else {
		for (i = 0; i < d->cpu.ncells; i++)
			sum += d->cpu.cells[i].memory_kib;
		if (d->cpu.ncells == 0)
			return fail(r, root, "missing <memory>");
		d->memory_kib = sum;
	}
	n = first_el(root, "currentMemory");
	if (n != NULL && parse_mem_el(r, n, &d->current_kib) < 0)
		return -1;
	if (d->current_kib == 0 || d->current_kib > d->memory_kib)
		d->current_kib = d->memory_kib;
	n = first_el(first_el(root, "cputune"), "shares");
	if (n != NULL) {
		char *s = text_of(n);
		unsigned long long v;

		if (num_u(s, 10, &v) < 0 || v > LLONG_MAX) {
			fail(r, n, "invalid cpu shares '%s' in <shares>",
			    s ? s : "");
			free(s);
			return -1;
		}
		free(s);
		d->cpu_weight = (long long)v;
	}
	return 0;
}

static int
parse_os(struct rd *r, xmlNode *root, struct xvm_os *os)
{
	static const char *const loader_types[] = { "rom", "pflash", NULL };
	xmlNode *n = first_el(root, "os"), *c;
	char *s;
	int t;

	get_text(root, "bootloader", &os->bootloader);
	get_text(root, "bootloader_args", &os->bootloader_args);
	c = first_el(n, "type");
	s = text_of(c);
	if (s == NULL) {
		fail(r, n ? n : root, "missing <os> <type>");
		return -1;
	}
	t = xvm_os_type_parse(s);
	if (t < 0) {
		fail(r, c, "unknown OS type '%s'", s);
		free(s);
		return -1;
	}
	free(s);
	os->type = t;
	get_prop(c, "arch", &os->arch);
	get_prop(c, "machine", &os->machine);
	c = first_el(n, "loader");
	if (c != NULL) {
		os->loader = text_of(c);
		if (prop_tri(r, c, "readonly", false,
		    &os->loader_readonly) < 0 ||
		    prop_choice(r, c, "type", loader_types, "loader type",
		    &os->loader_type) < 0)
			return -1;
	}
	get_text(n, "nvram", &os->nvram);
	get_text(n, "kernel", &os->kernel);
	get_text(n, "initrd", &os->initrd);
	get_text(n, "cmdline", &os->cmdline);
	get_text(n, "root", &os->root);
	for (c = first_el(n, "acpi") ? first_el(n, "acpi")->children : NULL;
	    c != NULL; c = c->next) {
		if (!is_el(c, "table"))
			continue;
		s = prop(c, "type");
		if (!xvm_streq(s, "slic")) {
			fail(r, c, "unknown ACPI table type '%s'", s ? s : "");
			free(s);
			return -1;
		}
		free(s);
		if (os->acpi_slic == NULL)
			os->acpi_slic = text_of(c);
	}
	for (c = n ? n->children : NULL; c != NULL; c = c->next) {
		if (!is_el(c, "boot"))
			continue;
		s = prop(c, "dev");
		t = xvm_boot_dev_parse(s);
		if (t <= 0) {
			fail(r, c, "unknown boot device '%s'", s ? s : "");
			free(s);
			return -1;
		}
		free(s);
		if (os->nboot < XVM_ARRAY_SIZE(os->boot))
			os->boot[os->nboot++] = t;
	}
	return 0;
}

/* The required state='on|off' of a feature. */
static int
req_state(struct rd *r, xmlNode *n, enum xvm_tristate *out)
{
	int ret = prop_tri(r, n, "state", true, out);

	if (ret == 0)
		return fail(r, n, "missing state in <%s>",
		    (const char *)n->name);
	return ret < 0 ? -1 : 0;
}

static int
parse_features(struct rd *r, xmlNode *root, struct xvm_features *f)
{
	static const char *const pt_modes[] = { "sync_pt", "share_pt", NULL };
	xmlNode *n = first_el(root, "features"), *c, *x;

	for (c = n ? n->children : NULL; c != NULL; c = c->next) {
		if (is_el(c, "acpi")) {
			f->acpi = true;
		} else if (is_el(c, "apic")) {
			f->apic = true;
		} else if (is_el(c, "pae")) {
			f->pae = true;
		} else if (is_el(c, "hap")) {
			f->hap = XVM_TRI_YES;
			if (prop_tri(r, c, "state", true, &f->hap) < 0)
				return -1;
		} else if (is_el(c, "viridian")) {
			f->viridian = XVM_TRI_YES;
		} else if (is_el(c, "xen")) {
			x = first_el(c, "e820_host");
			if (x && req_state(r, x, &f->e820_host) < 0)
				return -1;
			x = first_el(c, "passthrough");
			if (x && (req_state(r, x, &f->passthrough) < 0 ||
			    prop_choice(r, x, "mode", pt_modes,
			    "passthrough mode", &f->passthrough_mode) < 0))
				return -1;
		}
	}
	return 0;
}

/* A required attribute of <sibling> in [min, max]. */
static int
sibling(struct rd *r, xmlNode *s, const char *attr, unsigned min,
    unsigned max, unsigned *out)
{
	int ret = prop_uint(r, s, attr, 10, UINT_MAX, out);
	char *v;

	if (ret < 0)
		return -1;
	if (ret == 0)
		return fail(r, s, "missing %s in <sibling>", attr);
	if (*out >= min && *out <= max)
		return 0;
	v = prop(s, attr);
	fail(r, s, "invalid %s '%s' in <sibling>, expected %u to %u", attr, v,
	    min, max);
	free(v);
	return -1;
}

static int
parse_numa(struct rd *r, xmlNode *numa, struct xvm_cpu *cpu)
{
	xmlNode *c, *s;
	size_t total = 0;

	for (c = numa->children; c != NULL; c = c->next)
		total += is_el(c, "cell");
	if (total == 0)
		return 0;
	cpu->cells = xvm_calloc(total, sizeof(*cpu->cells));
	for (c = numa->children; c != NULL; c = c->next) {
		struct xvm_numa_cell *cell;
		char *mem, *unit;
		int ret;

		if (!is_el(c, "cell"))
			continue;
		cell = &cpu->cells[cpu->ncells++];
		ret = prop_uint(r, c, "id", 10, UINT_MAX, &cell->id);
		if (ret <= 0)
			return ret < 0 ? -1 : fail(r, c, "missing id in <cell>");
		get_prop(c, "cpus", &cell->cpus);
		mem = prop(c, "memory");
		unit = prop(c, "unit");
		ret = parse_size(r, c, "cell", mem, unit, &cell->memory_kib);
		free(mem);
		free(unit);
		if (ret < 0)
			return -1;
		for (s = first_el(c, "distances") ?
		    first_el(c, "distances")->children : NULL; s != NULL;
		    s = s->next) {
			unsigned id = 0, value = 0;

			if (!is_el(s, "sibling"))
				continue;
			if (sibling(r, s, "id", 0, (unsigned)total - 1,
			    &id) < 0 ||
			    sibling(r, s, "value", 10, 255, &value) < 0)
				return -1;
			if (cell->distances == NULL)
				cell->distances = xvm_calloc(total,
				    sizeof(*cell->distances));
			cell->distances[id] = value;
			if (id >= cell->ndistances)
				cell->ndistances = id + 1;
		}
	}
	return 0;
}

static int
parse_cpu(struct rd *r, xmlNode *root, struct xvm_cpu *cpu)
{
	static const char *const modes[] = { "custom", "host-model",
	    "host-passthrough", "maximum", NULL };
	static const char *const matches[] = { "minimum", "exact", "strict",
	    NULL };
	static const char *const checks[] = { "none", "partial", "full",
	    NULL };
	static const char *const policies[] = { "force", "require",
	    "optional", "disable", "forbid", NULL };
	xmlNode *n = first_el(root, "cpu"), *c;
	size_t total = 0;

	if (n == NULL)
		return 0;
	if (prop_choice(r, n, "mode", modes, "cpu mode", &cpu->mode) < 0 ||
	    prop_choice(r, n, "match", matches, "cpu match",
	    &cpu->match) < 0 ||
	    prop_choice(r, n, "check", checks, "cpu check", &cpu->check) < 0)
		return -1;
	get_text(n, "model", &cpu->model);
	for (c = n->children; c != NULL; c = c->next)
		total += is_el(c, "feature");
	if (total)
		cpu->features = xvm_calloc(total, sizeof(*cpu->features));
	for (c = n->children; c != NULL; c = c->next) {
		struct xvm_cpu_feature *f;

		if (!is_el(c, "feature"))
			continue;
		f = &cpu->features[cpu->nfeatures++];
		f->name = prop(c, "name");
		if (f->name == NULL)
			return fail(r, c, "missing name in <feature>");
		if (prop_choice(r, c, "policy", policies,
		    "cpu feature policy", &f->policy) < 0)
			return -1;
	}
	c = first_el(n, "numa");
	return c ? parse_numa(r, c, cpu) : 0;
}

static int
parse_clock(struct rd *r, xmlNode *root, struct xvm_clock *clk)
{
	static const char *const bases[] = { "utc", "localtime", NULL };
	static const char *const names[] = { "platform", "pit", "rtc", "hpet",
	    "tsc", "kvmclock", "hypervclock", "armvtimer", NULL };
	static const char *const ticks[] = { "delay", "catchup", "merge",
	    "discard", NULL };
	static const char *const tmodes[] = { "auto", "native", "emulate",
	    "paravirt", "smpsafe", NULL };
	xmlNode *n = first_el(root, "clock"), *c;
	char *adj = NULL;
	long long v;
	int off = XVM_CLOCK_UTC, ret = -1;
	size_t total = 0;

	if (n == NULL)
		return 0;
	if (prop_enum(r, n, "offset", xvm_clock_offset_parse, "clock offset",
	    &off) < 0)
		return -1;
	clk->offset = off;
	adj = prop(n, "adjustment");
	switch (clk->offset) {
	case XVM_CLOCK_UTC:
	case XVM_CLOCK_LOCALTIME:
		if (adj == NULL)
			break;
		if (strcmp(adj, "reset") == 0) {
			clk->adjustment_reset = true;
			break;
		}
		if (num_s(adj, &v) < 0) {
			fail(r, n, "invalid clock adjustment '%s'", adj);
			goto out;
		}
		/* a fixed adjustment makes the clock variable (libvirt) */
		clk->basis = xvm_strdup(clk->offset == XVM_CLOCK_UTC ? "utc" :
		    "localtime");
		clk->offset = XVM_CLOCK_VARIABLE;
		clk->has_adjustment = true;
		clk->adjustment = v;
		break;
	case XVM_CLOCK_VARIABLE:
		if (adj != NULL && num_s(adj, &clk->adjustment) < 0) {
			fail(r, n, "invalid clock adjustment '%s'", adj);
			goto out;
		}
		clk->has_adjustment = true;
		if (prop_choice(r, n, "basis", bases, "clock basis",
		    &clk->basis) < 0)
			goto out;
		if (clk->basis == NULL)
			clk->basis = xvm_strdup("utc");
		break;
	case XVM_CLOCK_TIMEZONE:
		get_prop(n, "timezone", &clk->timezone);
		if (clk->timezone == NULL) {
			fail(r, n, "missing timezone in <clock>");
			goto out;
		}
		break;
	}
	for (c = n->children; c != NULL; c = c->next)
		total += is_el(c, "timer");
	if (total)
		clk->timers = xvm_calloc(total, sizeof(*clk->timers));
	for (c = n->children; c != NULL; c = c->next) {
		struct xvm_timer *t;

		if (!is_el(c, "timer"))
			continue;
		t = &clk->timers[clk->ntimers++];
		if (req_choice(r, c, "name", names, "timer", &t->name) < 0 ||
		    prop_tri(r, c, "present", false, &t->present) < 0 ||
		    prop_choice(r, c, "tickpolicy", ticks, "timer tickpolicy",
		    &t->tickpolicy) < 0 ||
		    prop_choice(r, c, "mode", tmodes, "timer mode",
		    &t->mode) < 0)
			goto out;
	}
	ret = 0;
out:
	free(adj);
	return ret;
}

static int
parse_lifecycle(struct rd *r, xmlNode *root, const char *name,
    enum xvm_lifecycle def, enum xvm_lifecycle *out)
{
	xmlNode *n = first_el(root, name);
	char *s = text_of(n);
	int l;

	*out = def;
	if (s == NULL)
		return 0;
	l = xvm_lifecycle_parse(s);
	if (l <= 0) {
		fail(r, n, "unknown %s action '%s'", name, s);
		free(s);
		return -1;
	}
	free(s);
	*out = l;
	return 0;
}

static int
parse_commandline(struct rd *r, xmlNode *root, struct xvm_domain *d)
{
	xmlNode *n, *a;
	char *v;

	for (n = root->children; n != NULL; n = n->next) {
		if (!is_xen_el(n, "commandline"))
			continue;
		for (a = n->children; a != NULL; a = a->next) {
			if (!is_xen_el(a, "arg"))
				continue;
			v = prop(a, "value");
			if (v == NULL)
				return fail(r, a, "missing value in "
				    "<xen:arg>");
			push_str(&d->emulator_args, &d->nemulator_args, v);
			free(v);
		}
	}
	return 0;
}

/* ---- devices ---------------------------------------------------------- */

static int
parse_addr(struct rd *r, xmlNode *n, struct xvm_addr *a)
{
	static const char *const known[] = { "virtio-serial", "ccid",
	    "spapr-vio", "virtio-s390", "ccw", "virtio-mmio", "isa", "dimm",
	    "unassigned", NULL };
	char *type = prop(n, "type");
	size_t i;
	int ret = -1;

	if (type == NULL) {
		fail(r, n, "missing type in <address>");
		goto out;
	}
	if (strcmp(type, "drive") == 0) {
		a->type = XVM_ADDR_DRIVE;
		if (prop_uint(r, n, "controller", 10, UINT_MAX,
		    &a->controller) < 0 ||
		    prop_uint(r, n, "bus", 10, UINT_MAX, &a->bus) < 0 ||
		    prop_uint(r, n, "target", 10, UINT_MAX, &a->target) < 0 ||
		    prop_uint(r, n, "unit", 10, UINT_MAX, &a->unit) < 0)
			goto out;
	} else if (strcmp(type, "pci") == 0) {
		a->type = XVM_ADDR_PCI;
		if (prop_uint(r, n, "domain", 0, 0xffff, &a->domain) < 0 ||
		    prop_uint(r, n, "bus", 0, 0xff, &a->bus) < 0 ||
		    prop_uint(r, n, "slot", 0, 0x1f, &a->slot) < 0 ||
		    prop_uint(r, n, "function", 0, 7, &a->function) < 0)
			goto out;
	} else if (strcmp(type, "usb") == 0) {
		a->type = XVM_ADDR_USB;
		if (prop_uint(r, n, "bus", 10, UINT_MAX, &a->bus) < 0)
			goto out;
		get_prop(n, "port", &a->port);
	} else {
		for (i = 0; known[i]; i++)
			if (strcmp(known[i], type) == 0)
				break;
		if (known[i] == NULL) {
			fail(r, n, "unknown address type '%s'", type);
			goto out;
		}
	}
	ret = 0;
out:
	free(type);
	return ret;
}

static int
parse_disk(struct rd *r, xmlNode *n, struct xvm_domain *d)
{
	static const char *const protocols[] = { "nbd", "rbd", "sheepdog",
	    "gluster", "iscsi", "http", "https", "ftp", "ftps", "tftp", "ssh",
	    "vxhs", "nfs", NULL };
	struct xvm_disk *disk = xvm_domain_add_disk(d);
	xmlNode *c, *h;
	int t = XVM_DISK_FILE, dev = XVM_DEV_DISK, bus = XVM_BUS_NONE;
	size_t nh = 0;

	if (prop_enum(r, n, "type", xvm_disk_type_parse, "disk type",
	    &t) < 0 || prop_enum(r, n, "device", xvm_disk_device_parse,
	    "disk device", &dev) < 0)
		return -1;
	disk->type = t;
	disk->device = dev;
	c = first_el(n, "driver");
	get_prop(c, "name", &disk->driver_name);
	get_prop(c, "type", &disk->driver_type);
	c = first_el(n, "source");
	switch (disk->type) {
	case XVM_DISK_FILE:
		get_prop(c, "file", &disk->src);
		break;
	case XVM_DISK_BLOCK:
		get_prop(c, "dev", &disk->src);
		break;
	case XVM_DISK_DIR:
		get_prop(c, "dir", &disk->src);
		break;
	case XVM_DISK_VOLUME: {
		char *pool = prop(c, "pool"), *vol = prop(c, "volume");

		if (vol)
			disk->src = pool ? xvm_asprintf("%s/%s", pool, vol) :
			    xvm_strdup(vol);
		free(pool);
		free(vol);
		break;
	}
	case XVM_DISK_NETWORK:
		if (c == NULL)
			break;
		if (req_choice(r, c, "protocol", protocols, "disk protocol",
		    &disk->protocol) < 0)
			return -1;
		get_prop(c, "name", &disk->src);
		for (h = c->children; h != NULL; h = h->next)
			nh += is_el(h, "host");
		if (nh)
			disk->hosts = xvm_calloc(nh, sizeof(*disk->hosts));
		for (h = c->children; h != NULL; h = h->next) {
			if (!is_el(h, "host"))
				continue;
			disk->hosts[disk->nhosts].name = prop(h, "name");
			disk->hosts[disk->nhosts++].port = prop(h, "port");
		}
		break;
	}
	c = first_el(n, "target");
	disk->target = prop(c, "dev");
	if (disk->target == NULL)
		return fail(r, n, "missing <target dev> in <disk>");
	if (prop_enum(r, c, "bus", xvm_disk_bus_parse, "disk bus", &bus) < 0)
		return -1;
	disk->bus = bus;
	disk->readonly = first_el(n, "readonly") != NULL;
	disk->shareable = first_el(n, "shareable") != NULL;
	disk->transient = first_el(n, "transient") != NULL;
	c = first_el(n, "address");
	return c ? parse_addr(r, c, &disk->addr) : 0;
}

static int
parse_controller(struct rd *r, xmlNode *n, struct xvm_domain *d)
{
	struct xvm_controller *c;
	int t = -1, index = -1;
	size_t i;

	if (req_enum(r, n, "type", xvm_ctrl_type_parse, "controller type",
	    &t) < 0)
		return -1;
	if (prop_int(r, n, "index", 0, &index) < 0)
		return -1;
	if (index < 0) {
		/* as libvirt: one past the highest of this type */
		index = 0;
		for (i = 0; i < d->ncontrollers; i++)
			if ((int)d->controllers[i].type == t &&
			    d->controllers[i].index >= index &&
			    d->controllers[i].index < INT_MAX)
				index = d->controllers[i].index + 1;
	}
	c = xvm_domain_add_controller(d);
	c->type = t;
	c->index = index;
	get_prop(n, "model", &c->model);
	if (prop_int(r, n, "ports", 0, &c->ports) < 0 ||
	    prop_int(r, n, "maxGrantFrames", 0, &c->max_grant_frames) < 0 ||
	    prop_int(r, n, "maxEventChannels", 0,
	    &c->max_event_channels) < 0)
		return -1;
	return 0;
}

static int
parse_net(struct rd *r, xmlNode *n, struct xvm_domain *d)
{
	static const char *const families[] = { "ipv4", "ipv6", NULL };
	struct xvm_net *net;
	xmlNode *c, *t;
	char *s;
	int type = -1, ret;
	size_t count;

	if (req_enum(r, n, "type", xvm_net_type_parse, "interface type",
	    &type) < 0)
		return -1;
	net = xvm_domain_add_net(d);
	net->type = type;
	c = first_el(n, "mac");
	if (c && (s = prop(c, "address")) != NULL) {
		if (xvm_mac_parse(s, net->mac) < 0) {
			fail(r, c, "invalid mac address '%s'", s);
			free(s);
			return -1;
		}
		free(s);
		net->has_mac = true;
	}
	c = first_el(n, "source");
	if (type == XVM_NET_BRIDGE)
		get_prop(c, "bridge", &net->bridge);
	else if (type == XVM_NET_NETWORK)
		get_prop(c, "network", &net->bridge);
	c = first_el(n, "vlan");
	if (c) {
		if (prop_bool(r, c, "trunk", &net->vlan_trunk) < 0)
			return -1;
		count = 0;
		for (t = c->children; t != NULL; t = t->next)
			count += is_el(t, "tag");
		if (count)
			net->vlan_tags = xvm_calloc(count,
			    sizeof(*net->vlan_tags));
		for (t = c->children; t != NULL; t = t->next) {
			if (!is_el(t, "tag"))
				continue;
			ret = prop_uint(r, t, "id", 10, 4095,
			    &net->vlan_tags[net->nvlan_tags++]);
			if (ret <= 0)
				return ret < 0 ? -1 :
				    fail(r, t, "missing id in <tag>");
		}
		if (net->nvlan_tags == 0)
			net->vlan_trunk = false;
	}
	get_prop(first_el(n, "virtualport"), "type", &net->virtualport);
	c = first_el(first_el(n, "bandwidth"), "outbound");
	if (c) {
		ret = prop_u(r, c, "average", 10, ULLONG_MAX,
		    &net->rate_kbps);
		if (ret < 0)
			return -1;
		net->has_rate = ret == 1;
	}
	count = 0;
	for (c = n->children; c != NULL; c = c->next)
		count += is_el(c, "ip");
	if (count)
		net->ips = xvm_calloc(count, sizeof(*net->ips));
	for (c = n->children; c != NULL; c = c->next) {
		struct xvm_net_ip *ip;

		if (!is_el(c, "ip"))
			continue;
		ip = &net->ips[net->nips++];
		ip->address = prop(c, "address");
		if (ip->address == NULL)
			return fail(r, c, "missing address in <ip>");
		if (prop_choice(r, c, "family", families, "address family",
		    &ip->family) < 0 ||
		    prop_uint(r, c, "prefix", 10, 128, &ip->prefix) < 0)
			return -1;
		if (ip->family == NULL)
			ip->family = xvm_strdup(strchr(ip->address, ':') ?
			    "ipv6" : "ipv4");
	}
	get_prop(first_el(n, "script"), "path", &net->script);
	get_prop(first_el(n, "backenddomain"), "name", &net->backend_domain);
	get_prop(first_el(n, "target"), "dev", &net->ifname);
	get_prop(first_el(n, "model"), "type", &net->model);
	c = first_el(n, "address");
	return c ? parse_addr(r, c, &net->addr) : 0;
}

enum chr_kind { CHR_SERIAL, CHR_PARALLEL, CHR_CONSOLE, CHR_CHANNEL };

static const char *const serial_targets[] = { "isa-serial", "usb-serial",
    "pci-serial", "spapr-vio-serial", "system-serial", "sclp-serial",
    "isa-debug", NULL };
static const char *const console_targets[] = { "serial", "xen", "uml",
    "virtio", "lxc", "openvz", "sclp", "sclplm", NULL };
static const char *const channel_targets[] = { "guestfwd", "virtio", "xen",
    NULL };
static const char *const no_targets[] = { NULL };

static int
parse_chr_sources(struct rd *r, xmlNode *n, struct xvm_chr *c)
{
	xmlNode *s;
	char *mode;
	bool bind;

	for (s = n->children; s != NULL; s = s->next) {
		if (!is_el(s, "source"))
			continue;
		mode = prop(s, "mode");
		if (mode && strcmp(mode, "bind") != 0 &&
		    strcmp(mode, "connect") != 0) {
			fail(r, s, "unknown source mode '%s'", mode);
			free(mode);
			return -1;
		}
		bind = xvm_streq(mode, "bind");
		free(mode);
		switch (c->type) {
		case XVM_CHR_PTY:
			if (r->flags & XVM_XML_INACTIVE)
				break;
			/* FALLTHROUGH */
		case XVM_CHR_DEV:
		case XVM_CHR_FILE:
		case XVM_CHR_PIPE:
			if (c->path == NULL)
				c->path = prop(s, "path");
			break;
		case XVM_CHR_UNIX:
			if (c->path == NULL) {
				c->path = prop(s, "path");
				c->listen = bind;
			}
			break;
		case XVM_CHR_TCP:
			if (c->host == NULL && c->service == NULL) {
				c->host = prop(s, "host");
				c->service = prop(s, "service");
				c->listen = bind;
			}
			break;
		case XVM_CHR_UDP:
			if (bind && !c->bind_host && !c->bind_service) {
				c->bind_host = prop(s, "host");
				c->bind_service = prop(s, "service");
			} else if (!bind && !c->host && !c->service) {
				c->host = prop(s, "host");
				c->service = prop(s, "service");
			}
			break;
		default:
			break;
		}
	}
	return 0;
}

static int
parse_chr(struct rd *r, xmlNode *n, struct xvm_chr *c, enum chr_kind kind)
{
	static const char *const protocols[] = { "raw", "telnet", "telnets",
	    "tls", NULL };
	const char *const *targets = kind == CHR_SERIAL ? serial_targets :
	    kind == CHR_CONSOLE ? console_targets :
	    kind == CHR_CHANNEL ? channel_targets : no_targets;
	xmlNode *t;
	int type = XVM_CHR_PTY;

	if (prop_enum(r, n, "type", xvm_chr_type_parse,
	    "character device type", &type) < 0)
		return -1;
	c->type = type;
	if (parse_chr_sources(r, n, c) < 0)
		return -1;
	if (c->type == XVM_CHR_TCP) {
		if (prop_choice(r, first_el(n, "protocol"), "type", protocols,
		    "character device protocol", &c->protocol) < 0)
			return -1;
		if (c->protocol == NULL)
			c->protocol = xvm_strdup("raw");
	}
	t = first_el(n, "target");
	if (t == NULL)
		return 0;
	if (prop_choice(r, t, "type", targets, "target type",
	    &c->target_type) < 0 ||
	    prop_int(r, t, "port", 0, &c->port) < 0)
		return -1;
	if (kind == CHR_CHANNEL)
		get_prop(t, "name", &c->target_name);
	return 0;
}

static int
parse_input(struct rd *r, xmlNode *n, struct xvm_domain *d)
{
	static const char *const types[] = { "mouse", "tablet", "keyboard",
	    "passthrough", "evdev", NULL };
	static const char *const buses[] = { "ps2", "usb", "xen", "parallels",
	    "virtio", "none", NULL };
	struct xvm_input *in = xvm_domain_add_input(d);

	if (req_choice(r, n, "type", types, "input type", &in->type) < 0)
		return -1;
	return prop_choice(r, n, "bus", buses, "input bus", &in->bus) < 0 ?
	    -1 : 0;
}

static int
parse_graphics(struct rd *r, xmlNode *n, struct xvm_domain *d)
{
	static const char *const mouse_modes[] = { "client", "server", NULL };
	struct xvm_graphics *g;
	xmlNode *c;
	int type = -1;
	bool inactive = (r->flags & XVM_XML_INACTIVE) != 0;

	if (req_enum(r, n, "type", xvm_gfx_type_parse, "graphics type",
	    &type) < 0)
		return -1;
	g = xvm_domain_add_graphics(d);
	g->type = type;
	if (type == XVM_GFX_SDL) {
		get_prop(n, "display", &g->display);
		get_prop(n, "xauth", &g->xauth);
		return prop_bool(r, n, "fullscreen", &g->fullscreen) < 0 ?
		    -1 : 0;
	}
	if (prop_int(r, n, "port", -1, &g->port) < 0 ||
	    (type == XVM_GFX_SPICE &&
	    prop_int(r, n, "tlsPort", -1, &g->tls_port) < 0) ||
	    prop_bool(r, n, "autoport", &g->autoport) < 0)
		return -1;
	g->has_autoport = true;
	get_prop(n, "listen", &g->listen);
	for (c = n->children; c != NULL && g->listen == NULL; c = c->next)
		if (is_el(c, "listen"))
			get_prop(c, "address", &g->listen);
	get_prop(n, "keymap", &g->keymap);
	get_prop(n, "passwd", &g->passwd);
	if (type == XVM_GFX_VNC) {
		/* as libvirt: port -1 asks for autoport */
		if (g->port == -1)
			g->autoport = true;
		if (g->autoport && (inactive || g->port <= 0))
			g->port = -1;
		return 0;
	}
	if (g->port == -1 && g->tls_port == -1)
		g->autoport = true;
	if (g->autoport && inactive) {
		g->port = 0;
		g->tls_port = 0;
	}
	if (prop_choice(r, first_el(n, "mouse"), "mode", mouse_modes,
	    "mouse mode", &g->mouse_mode) < 0 ||
	    prop_tri(r, first_el(n, "clipboard"), "copypaste", false,
	    &g->clipboard) < 0)
		return -1;
	return 0;
}

static int
parse_video(struct rd *r, xmlNode *n, struct xvm_domain *d)
{
	static const char *const models[] = { "vga", "cirrus", "vmvga", "xen",
	    "vbox", "qxl", "parallels", "virtio", "gop", "none", "bochs",
	    "ramfb", NULL };
	struct xvm_video *v = xvm_domain_add_video(d);
	xmlNode *m = first_el(n, "model");

	if (m == NULL)
		return 0;
	if (prop_choice(r, m, "type", models, "video model", &v->model) < 0 ||
	    prop_uint(r, m, "vram", 10, UINT_MAX, &v->vram_kib) < 0 ||
	    prop_uint(r, m, "heads", 10, UINT_MAX, &v->heads) < 0 ||
	    prop_bool(r, m, "primary", &v->primary) < 0)
		return -1;
	return 0;
}

static int
parse_hostdev(struct rd *r, xmlNode *n, struct xvm_domain *d)
{
	static const char *const types[] = { "pci", "usb", NULL };
	struct xvm_hostdev *h;
	xmlNode *src, *a;
	char *mode = prop(n, "mode");
	enum xvm_tristate wf = XVM_TRI_DEFAULT;

	if (mode && strcmp(mode, "subsystem") != 0) {
		fail(r, n, "unsupported hostdev mode '%s'", mode);
		free(mode);
		return -1;
	}
	free(mode);
	h = xvm_domain_add_hostdev(d);
	if (req_choice(r, n, "type", types, "hostdev type", &h->type) < 0)
		return -1;
	if (prop_bool(r, n, "managed", &h->managed) < 0)
		return -1;
	src = first_el(n, "source");
	if (prop_tri(r, src, "writeFiltering", false, &wf) < 0)
		return -1;
	h->permissive = wf == XVM_TRI_YES ? XVM_TRI_NO :
	    wf == XVM_TRI_NO ? XVM_TRI_YES : XVM_TRI_DEFAULT;
	a = first_el(src, "address");
	if (strcmp(h->type, "pci") == 0) {
		if (a == NULL)
			return fail(r, n, "missing PCI address in <hostdev>");
		if (prop_uint(r, a, "domain", 0, 0xffff, &h->domain) < 0 ||
		    prop_uint(r, a, "bus", 0, 0xff, &h->bus) < 0 ||
		    prop_uint(r, a, "slot", 0, 0x1f, &h->slot) < 0 ||
		    prop_uint(r, a, "function", 0, 7, &h->function) < 0)
			return -1;
		return 0;
	}
	get_prop(first_el(src, "vendor"), "id", &h->vendor);
	get_prop(first_el(src, "product"), "id", &h->product);
	if (a && (prop_uint(r, a, "bus", 0, INT_MAX, &h->usb_bus) < 0 ||
	    prop_uint(r, a, "device", 0, INT_MAX, &h->usb_device) < 0))
		return -1;
	return 0;
}

static int
parse_device(struct rd *r, xmlNode *n, struct xvm_domain *d)
{
	static const char *const sounds[] = { "sb16", "es1370", "pcspk",
	    "ac97", "ich6", "ich9", "usb", "ich7", NULL };
	static const char *const balloons[] = { "virtio", "xen", "none",
	    "virtio-transitional", "virtio-non-transitional", NULL };
	xmlNode *c;

	if (is_el(n, "disk"))
		return parse_disk(r, n, d);
	if (is_el(n, "controller"))
		return parse_controller(r, n, d);
	if (is_el(n, "interface"))
		return parse_net(r, n, d);
	if (is_el(n, "serial"))
		return parse_chr(r, n, xvm_domain_add_serial(d), CHR_SERIAL);
	if (is_el(n, "parallel"))
		return parse_chr(r, n, xvm_domain_add_parallel(d),
		    CHR_PARALLEL);
	if (is_el(n, "console"))
		return parse_chr(r, n, xvm_domain_add_console(d),
		    CHR_CONSOLE);
	if (is_el(n, "channel"))
		return parse_chr(r, n, xvm_domain_add_channel(d),
		    CHR_CHANNEL);
	if (is_el(n, "input"))
		return parse_input(r, n, d);
	if (is_el(n, "graphics"))
		return parse_graphics(r, n, d);
	if (is_el(n, "video"))
		return parse_video(r, n, d);
	if (is_el(n, "hostdev"))
		return parse_hostdev(r, n, d);
	if (is_el(n, "sound")) {
		struct xvm_sound *s = xvm_domain_add_sound(d);

		return req_choice(r, n, "model", sounds, "sound model",
		    &s->model);
	}
	if (is_el(n, "memballoon")) {
		if (d->memballoon != NULL)
			return fail(r, n, "only one <memballoon> is "
			    "supported");
		if (req_choice(r, n, "model", balloons, "memballoon model",
		    &d->memballoon) < 0)
			return -1;
		c = first_el(n, "address");
		return c ? parse_addr(r, c, &d->memballoon_addr) : 0;
	}
	return 0;	/* a device we do not know */
}

static int
parse_devices(struct rd *r, xmlNode *root, struct xvm_domain *d)
{
	xmlNode *devs, *n;

	for (devs = root->children; devs != NULL; devs = devs->next) {
		if (!is_el(devs, "devices"))
			continue;
		if (d->emulator == NULL)
			get_text(devs, "emulator", &d->emulator);
		for (n = devs->children; n != NULL; n = n->next)
			if (n->type == XML_ELEMENT_NODE &&
			    parse_device(r, n, d) < 0)
				return -1;
	}
	return 0;
}

/* ---- entry point ------------------------------------------------------ */

int
xvm_domain_parse_xml(const char *data, size_t len, const char *name,
    unsigned flags, struct xvm_domain **out, struct xvm_err *err)
{
	struct xvm_err scratch;
	struct rd r;
	struct xvm_domain *d = NULL;
	xmlDoc *doc = NULL;
	xmlNode *root;
	int ret = -1;

	if (err == NULL)
		err = &scratch;
	xvm_err_clear(err);
	*out = NULL;
	r.name = name ? name : "(domain_definition)";
	r.flags = flags;
	r.err = err;
	doc = xvm_xml_load(data, len, r.name, err);
	if (doc == NULL)
		goto out;
	root = xmlDocGetRootElement(doc);
	if (root == NULL || !is_el(root, "domain")) {
		fail(&r, root, "expecting root element of 'domain', not '%s'",
		    root ? (const char *)root->name : "");
		goto out;
	}
	d = xvm_domain_new();
	if (parse_head(&r, root, d) < 0 ||
	    parse_cpu(&r, root, &d->cpu) < 0 ||
	    parse_memory(&r, root, d) < 0 ||
	    parse_vcpu(&r, root, d) < 0 ||
	    parse_os(&r, root, &d->os) < 0 ||
	    parse_features(&r, root, &d->features) < 0 ||
	    parse_clock(&r, root, &d->clock) < 0 ||
	    parse_lifecycle(&r, root, "on_poweroff", XVM_LIFE_DESTROY,
	    &d->on_poweroff) < 0 ||
	    parse_lifecycle(&r, root, "on_reboot", XVM_LIFE_RESTART,
	    &d->on_reboot) < 0 ||
	    parse_lifecycle(&r, root, "on_crash", XVM_LIFE_DESTROY,
	    &d->on_crash) < 0 ||
	    parse_devices(&r, root, d) < 0 ||
	    parse_commandline(&r, root, d) < 0)
		goto out;
	*out = d;
	d = NULL;
	ret = 0;
out:
	xvm_domain_free(d);
	xmlFreeDoc(doc);
	return ret;
}

/*
 * domain.c - the domain model's life cycle (new, free, copy, equal), the
 * device array helpers, names of enums as libvirt spells them, and UUIDs
 * and MAC addresses.
 *
 * free, copy and equal are driven by one description of every struct's
 * fields (the tables below), so a field added to domain.h is handled by
 * adding one line here.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <uuid/uuid.h>

#include "xvm/domain.h"
#include "xvm/json.h"
#include "xvm/util.h"

/* ---- field descriptions ---------------------------------------------- */

enum fkind {
	F_END = 0,
	F_STR,		/* char * */
	F_VAL,		/* plain value of `size` bytes: F_INT ... F_BOOTS */
	F_INT,		/* signed integer of `size` bytes */
	F_UINT,		/* unsigned integer of `size` bytes */
	F_BOOL,		/* bool */
	F_ENUM,		/* enum, named by `namer` */
	F_UUID,		/* unsigned char[16] */
	F_MAC,		/* unsigned char[6] */
	F_BOOTS,	/* enum xvm_boot_dev[4], with a size_t count */
	F_ARRAY,	/* T *, with a size_t count at `count_off` */
	F_STRV,		/* char **, with a size_t count at `count_off` */
	F_STRUCT,	/* an embedded struct described by `sub` */
};

struct field {
	enum fkind kind;
	const char *name;	/* JSON field name */
	const char *(*namer)(int);	/* F_ENUM */
	size_t off;
	size_t size;		/* F_VAL: bytes; F_ARRAY: element size */
	size_t count_off;	/* F_ARRAY, F_STRV */
	const struct field *sub;	/* F_ARRAY (NULL: plain values), F_STRUCT */
};

#define FLD(k, T, f, nm, sz, cnt, sub) \
	{ k, #f, nm, offsetof(T, f), sz, cnt, sub }
#define STR(T, f)	FLD(F_STR, T, f, NULL, 0, 0, NULL)
#define TYPED(k, T, f)	FLD(k, T, f, NULL, sizeof(((T *)0)->f), 0, NULL)
#define INT(T, f)	TYPED(F_INT, T, f)
#define UINT(T, f)	TYPED(F_UINT, T, f)
#define BOOL(T, f)	TYPED(F_BOOL, T, f)
#define UUID(T, f)	TYPED(F_UUID, T, f)
#define MAC(T, f)	TYPED(F_MAC, T, f)
#define ENUM(T, f, nm)	FLD(F_ENUM, T, f, (const char *(*)(int))nm, \
	sizeof(((T *)0)->f), 0, NULL)
#define TRI(T, f)	ENUM(T, f, tristate_name)
#define BOOTS(T, f, n)	FLD(F_BOOTS, T, f, NULL, sizeof(((T *)0)->f), \
	offsetof(T, n), NULL)
#define ARR(T, f, n, sub) FLD(F_ARRAY, T, f, NULL, sizeof(*((T *)0)->f), \
	offsetof(T, n), sub)
#define STRV(T, f, n)	FLD(F_STRV, T, f, NULL, 0, offsetof(T, n), NULL)
#define SUB(T, f, sub)	FLD(F_STRUCT, T, f, NULL, sizeof(((T *)0)->f), 0, sub)
#define END		{ F_END, NULL, NULL, 0, 0, 0, NULL }

static const char *
tristate_name(int v)
{
	return v == XVM_TRI_YES ? "yes" : v == XVM_TRI_NO ? "no" : NULL;
}

static const struct field timer_f[] = {
	STR(struct xvm_timer, name), TRI(struct xvm_timer, present),
	STR(struct xvm_timer, mode), STR(struct xvm_timer, tickpolicy), END,
};

static const struct field clock_f[] = {
	ENUM(struct xvm_clock, offset, xvm_clock_offset_name),
	BOOL(struct xvm_clock, adjustment_reset),
	BOOL(struct xvm_clock, has_adjustment),
	INT(struct xvm_clock, adjustment), STR(struct xvm_clock, basis),
	STR(struct xvm_clock, timezone),
	ARR(struct xvm_clock, timers, ntimers, timer_f), END,
};

static const struct field cell_f[] = {
	UINT(struct xvm_numa_cell, id), STR(struct xvm_numa_cell, cpus),
	UINT(struct xvm_numa_cell, memory_kib),
	ARR(struct xvm_numa_cell, distances, ndistances, NULL), END,
};

static const struct field feature_f[] = {
	STR(struct xvm_cpu_feature, name), STR(struct xvm_cpu_feature, policy),
	END,
};

static const struct field cpu_f[] = {
	STR(struct xvm_cpu, mode), STR(struct xvm_cpu, match),
	STR(struct xvm_cpu, check), STR(struct xvm_cpu, model),
	ARR(struct xvm_cpu, features, nfeatures, feature_f),
	ARR(struct xvm_cpu, cells, ncells, cell_f), END,
};

static const struct field os_f[] = {
	ENUM(struct xvm_os, type, xvm_os_type_name), STR(struct xvm_os, arch),
	STR(struct xvm_os, machine), STR(struct xvm_os, loader),
	STR(struct xvm_os, loader_type), TRI(struct xvm_os, loader_readonly),
	STR(struct xvm_os, nvram), STR(struct xvm_os, kernel),
	STR(struct xvm_os, initrd), STR(struct xvm_os, cmdline),
	STR(struct xvm_os, root), STR(struct xvm_os, bootloader),
	STR(struct xvm_os, bootloader_args), BOOTS(struct xvm_os, boot, nboot),
	STR(struct xvm_os, acpi_slic), END,
};

static const struct field features_f[] = {
	BOOL(struct xvm_features, acpi), BOOL(struct xvm_features, apic),
	BOOL(struct xvm_features, pae), TRI(struct xvm_features, hap),
	TRI(struct xvm_features, viridian), TRI(struct xvm_features, e820_host),
	TRI(struct xvm_features, passthrough),
	STR(struct xvm_features, passthrough_mode), END,
};

static const struct field host_f[] = {
	STR(struct xvm_net_host, name), STR(struct xvm_net_host, port), END,
};

static const char *
addr_type_name(int t)
{
	static const char *const names[] = { NULL, "drive", "pci", "usb" };

	return t >= 0 && t < 4 ? names[t] : NULL;
}

static const struct field addr_f[] = {
	ENUM(struct xvm_addr, type, addr_type_name),
	UINT(struct xvm_addr, controller), UINT(struct xvm_addr, bus),
	UINT(struct xvm_addr, target), UINT(struct xvm_addr, unit),
	UINT(struct xvm_addr, domain), UINT(struct xvm_addr, slot),
	UINT(struct xvm_addr, function), STR(struct xvm_addr, port), END,
};

static const struct field disk_f[] = {
	ENUM(struct xvm_disk, type, xvm_disk_type_name),
	ENUM(struct xvm_disk, device, xvm_disk_device_name),
	STR(struct xvm_disk, driver_name), STR(struct xvm_disk, driver_type),
	STR(struct xvm_disk, src), STR(struct xvm_disk, protocol),
	ARR(struct xvm_disk, hosts, nhosts, host_f),
	STR(struct xvm_disk, target),
	ENUM(struct xvm_disk, bus, xvm_disk_bus_name),
	BOOL(struct xvm_disk, readonly), BOOL(struct xvm_disk, shareable),
	BOOL(struct xvm_disk, transient), SUB(struct xvm_disk, addr, addr_f),
	END,
};

static const struct field ctrl_f[] = {
	ENUM(struct xvm_controller, type, xvm_ctrl_type_name),
	INT(struct xvm_controller, index), STR(struct xvm_controller, model),
	INT(struct xvm_controller, ports),
	INT(struct xvm_controller, max_grant_frames),
	INT(struct xvm_controller, max_event_channels), END,
};

static const struct field ip_f[] = {
	STR(struct xvm_net_ip, address), STR(struct xvm_net_ip, family),
	UINT(struct xvm_net_ip, prefix), END,
};

static const struct field net_f[] = {
	ENUM(struct xvm_net, type, xvm_net_type_name),
	MAC(struct xvm_net, mac), BOOL(struct xvm_net, has_mac),
	STR(struct xvm_net, bridge), STR(struct xvm_net, script),
	STR(struct xvm_net, ifname), STR(struct xvm_net, model),
	STR(struct xvm_net, backend_domain),
	ARR(struct xvm_net, ips, nips, ip_f), UINT(struct xvm_net, rate_kbps),
	BOOL(struct xvm_net, has_rate), STR(struct xvm_net, virtualport),
	ARR(struct xvm_net, vlan_tags, nvlan_tags, NULL),
	BOOL(struct xvm_net, vlan_trunk), SUB(struct xvm_net, addr, addr_f),
	END,
};

static const struct field chr_f[] = {
	ENUM(struct xvm_chr, type, xvm_chr_type_name),
	STR(struct xvm_chr, path), STR(struct xvm_chr, host),
	STR(struct xvm_chr, service), STR(struct xvm_chr, bind_host),
	STR(struct xvm_chr, bind_service), BOOL(struct xvm_chr, listen),
	STR(struct xvm_chr, protocol), STR(struct xvm_chr, target_type),
	STR(struct xvm_chr, target_name), INT(struct xvm_chr, port), END,
};

static const struct field gfx_f[] = {
	ENUM(struct xvm_graphics, type, xvm_gfx_type_name),
	INT(struct xvm_graphics, port), INT(struct xvm_graphics, tls_port),
	BOOL(struct xvm_graphics, autoport),
	BOOL(struct xvm_graphics, has_autoport),
	STR(struct xvm_graphics, listen), STR(struct xvm_graphics, passwd),
	STR(struct xvm_graphics, keymap), STR(struct xvm_graphics, display),
	STR(struct xvm_graphics, xauth), BOOL(struct xvm_graphics, fullscreen),
	STR(struct xvm_graphics, mouse_mode),
	TRI(struct xvm_graphics, clipboard), END,
};

static const struct field input_f[] = {
	STR(struct xvm_input, type), STR(struct xvm_input, bus), END,
};

static const struct field video_f[] = {
	STR(struct xvm_video, model), UINT(struct xvm_video, vram_kib),
	UINT(struct xvm_video, heads), BOOL(struct xvm_video, primary), END,
};

static const struct field sound_f[] = {
	STR(struct xvm_sound, model), END,
};

static const struct field hostdev_f[] = {
	STR(struct xvm_hostdev, type), BOOL(struct xvm_hostdev, managed),
	UINT(struct xvm_hostdev, domain), UINT(struct xvm_hostdev, bus),
	UINT(struct xvm_hostdev, slot), UINT(struct xvm_hostdev, function),
	UINT(struct xvm_hostdev, usb_bus), UINT(struct xvm_hostdev, usb_device),
	STR(struct xvm_hostdev, vendor), STR(struct xvm_hostdev, product),
	TRI(struct xvm_hostdev, permissive), END,
};

static const struct field extra_f[] = {
	STR(struct xvm_extra, name), STR(struct xvm_extra, value), END,
};

#define D struct xvm_domain
static const struct field domain_f[] = {
	STR(D, virt_type), INT(D, id), STR(D, name), UUID(D, uuid),
	BOOL(D, has_uuid), STR(D, title), STR(D, description),
	UINT(D, memory_kib), UINT(D, current_kib), UINT(D, vcpus),
	UINT(D, vcpus_current), STR(D, cpuset), INT(D, cpu_weight),
	INT(D, cpu_cap),
	SUB(D, os, os_f), SUB(D, features, features_f), SUB(D, cpu, cpu_f),
	SUB(D, clock, clock_f),
	ENUM(D, on_poweroff, xvm_lifecycle_name),
	ENUM(D, on_reboot, xvm_lifecycle_name),
	ENUM(D, on_crash, xvm_lifecycle_name),
	STR(D, emulator), STRV(D, emulator_args, nemulator_args),
	ARR(D, disks, ndisks, disk_f),
	ARR(D, controllers, ncontrollers, ctrl_f),
	ARR(D, nets, nnets, net_f),
	ARR(D, serials, nserials, chr_f),
	ARR(D, parallels, nparallels, chr_f),
	ARR(D, consoles, nconsoles, chr_f),
	ARR(D, channels, nchannels, chr_f),
	ARR(D, inputs, ninputs, input_f),
	ARR(D, graphics, ngraphics, gfx_f),
	ARR(D, videos, nvideos, video_f),
	ARR(D, sounds, nsounds, sound_f),
	ARR(D, hostdevs, nhostdevs, hostdev_f),
	STR(D, memballoon), SUB(D, memballoon_addr, addr_f),
	ARR(D, extras, nextras, extra_f),
	END,
};
#undef D

#define AT(base, off) ((char *)(base) + (off))
#define CAT(base, off) ((const char *)(base) + (off))

static void
release_fields(void *obj, const struct field *f)
{
	for (; f->kind != F_END; f++) {
		switch (f->kind) {
		case F_STR:
			free(*(char **)AT(obj, f->off));
			break;
		case F_ARRAY: {
			char *arr = *(char **)AT(obj, f->off);
			size_t n = *(size_t *)AT(obj, f->count_off), i;

			if (f->sub)
				for (i = 0; i < n; i++)
					release_fields(arr + i * f->size,
					    f->sub);
			free(arr);
			break;
		}
		case F_STRV: {
			char **v = *(char ***)AT(obj, f->off);
			size_t n = *(size_t *)AT(obj, f->count_off), i;

			for (i = 0; i < n; i++)
				free(v[i]);
			free(v);
			break;
		}
		case F_STRUCT:
			release_fields(AT(obj, f->off), f->sub);
			break;
		default:
			break;
		}
	}
}

/* dst is a byte copy of src: replace every pointer with a deep copy. */
static void
deepen_fields(void *dst, const struct field *f)
{
	for (; f->kind != F_END; f++) {
		switch (f->kind) {
		case F_STR: {
			char **p = (char **)AT(dst, f->off);

			*p = xvm_strdup(*p);
			break;
		}
		case F_ARRAY: {
			char **p = (char **)AT(dst, f->off);
			size_t n = *(size_t *)AT(dst, f->count_off), i;
			char *copy;

			if (!*p || !n) {
				*p = NULL;
				*(size_t *)AT(dst, f->count_off) = 0;
				break;
			}
			copy = xvm_malloc(n * f->size);
			memcpy(copy, *p, n * f->size);
			if (f->sub)
				for (i = 0; i < n; i++)
					deepen_fields(copy + i * f->size,
					    f->sub);
			*p = copy;
			break;
		}
		case F_STRV: {
			char ***p = (char ***)AT(dst, f->off);
			size_t n = *(size_t *)AT(dst, f->count_off), i;
			char **copy;

			if (!*p || !n) {
				*p = NULL;
				*(size_t *)AT(dst, f->count_off) = 0;
				break;
			}
			copy = xvm_calloc(n, sizeof(*copy));
			for (i = 0; i < n; i++)
				copy[i] = xvm_strdup((*p)[i]);
			*p = copy;
			break;
		}
		case F_STRUCT:
			deepen_fields(AT(dst, f->off), f->sub);
			break;
		default:
			break;
		}
	}
}

static bool
equal_fields(const void *a, const void *b, const struct field *f)
{
	for (; f->kind != F_END; f++) {
		switch (f->kind) {
		case F_STR:
			if (!xvm_streq(*(char *const *)CAT(a, f->off),
			    *(char *const *)CAT(b, f->off)))
				return false;
			break;
		case F_VAL:
		case F_INT:
		case F_UINT:
		case F_BOOL:
		case F_ENUM:
		case F_UUID:
		case F_MAC:
		case F_BOOTS:
			if (memcmp(CAT(a, f->off), CAT(b, f->off), f->size))
				return false;
			break;
		case F_ARRAY: {
			const char *pa = *(char *const *)CAT(a, f->off);
			const char *pb = *(char *const *)CAT(b, f->off);
			size_t n = *(const size_t *)CAT(a, f->count_off), i;

			if (n != *(const size_t *)CAT(b, f->count_off))
				return false;
			for (i = 0; i < n; i++) {
				if (f->sub ? !equal_fields(pa + i * f->size,
				    pb + i * f->size, f->sub) :
				    memcmp(pa + i * f->size, pb + i * f->size,
				    f->size))
					return false;
			}
			break;
		}
		case F_STRV: {
			char *const *va = *(char **const *)CAT(a, f->off);
			char *const *vb = *(char **const *)CAT(b, f->off);
			size_t n = *(const size_t *)CAT(a, f->count_off), i;

			if (n != *(const size_t *)CAT(b, f->count_off))
				return false;
			for (i = 0; i < n; i++)
				if (!xvm_streq(va[i], vb[i]))
					return false;
			break;
		}
		case F_STRUCT:
			if (!equal_fields(CAT(a, f->off), CAT(b, f->off),
			    f->sub))
				return false;
			break;
		default:
			break;
		}
	}
	return true;
}

struct xvm_domain *
xvm_domain_new(void)
{
	struct xvm_domain *d = xvm_calloc(1, sizeof(*d));

	d->id = -1;
	d->cpu_weight = -1;
	d->cpu_cap = -1;
	return d;
}

void
xvm_domain_free(struct xvm_domain *d)
{
	if (!d)
		return;
	release_fields(d, domain_f);
	free(d);
}

struct xvm_domain *
xvm_domain_copy(const struct xvm_domain *d)
{
	struct xvm_domain *c = xvm_malloc(sizeof(*c));

	memcpy(c, d, sizeof(*c));
	deepen_fields(c, domain_f);
	return c;
}

bool
xvm_domain_equal(const struct xvm_domain *a, const struct xvm_domain *b)
{
	return equal_fields(a, b, domain_f);
}

/* ---- JSON -------------------------------------------------------------- */

static long long
read_int(const void *p, size_t size)
{
	switch (size) {
	case 1:
		return *(const signed char *)p;
	case 2:
		return *(const short *)p;
	case 4:
		return *(const int *)p;
	default:
		return *(const long long *)p;
	}
}

static unsigned long long
read_uint(const void *p, size_t size)
{
	switch (size) {
	case 1:
		return *(const unsigned char *)p;
	case 2:
		return *(const unsigned short *)p;
	case 4:
		return *(const unsigned *)p;
	default:
		return *(const unsigned long long *)p;
	}
}

static void
json_fields(struct xvm_json *j, const char *key, const void *obj,
    const struct field *f)
{
	xvm_json_begin_object(j, key);
	for (; f->kind != F_END; f++) {
		const void *p = CAT(obj, f->off);

		switch (f->kind) {
		case F_STR:
			if (*(char *const *)p)
				xvm_json_string(j, f->name, *(char *const *)p);
			else
				xvm_json_null(j, f->name);
			break;
		case F_INT:
			xvm_json_int(j, f->name, read_int(p, f->size));
			break;
		case F_UINT:
			xvm_json_uint(j, f->name, read_uint(p, f->size));
			break;
		case F_BOOL:
			xvm_json_bool(j, f->name, *(const bool *)p);
			break;
		case F_ENUM: {
			const char *n = f->namer((int)read_int(p, f->size));

			if (n)
				xvm_json_string(j, f->name, n);
			else
				xvm_json_null(j, f->name);
			break;
		}
		case F_UUID: {
			char u[37];

			xvm_uuid_format(p, u);
			xvm_json_string(j, f->name, u);
			break;
		}
		case F_MAC: {
			char m[18];

			xvm_mac_format(p, m);
			xvm_json_string(j, f->name, m);
			break;
		}
		case F_BOOTS: {
			size_t n = *(const size_t *)CAT(obj, f->count_off), i;
			const enum xvm_boot_dev *b = p;

			xvm_json_begin_array(j, f->name);
			for (i = 0; i < n && i < 4; i++)
				xvm_json_string(j, NULL,
				    xvm_boot_dev_name(b[i]) ?
				    xvm_boot_dev_name(b[i]) : "");
			xvm_json_end_array(j);
			break;
		}
		case F_ARRAY: {
			const char *arr = *(char *const *)p;
			size_t n = *(const size_t *)CAT(obj, f->count_off), i;

			xvm_json_begin_array(j, f->name);
			for (i = 0; i < n; i++) {
				if (f->sub)
					json_fields(j, NULL, arr + i * f->size,
					    f->sub);
				else
					xvm_json_uint(j, NULL, read_uint(arr +
					    i * f->size, f->size));
			}
			xvm_json_end_array(j);
			break;
		}
		case F_STRV: {
			char *const *v = *(char **const *)p;
			size_t n = *(const size_t *)CAT(obj, f->count_off), i;

			xvm_json_begin_array(j, f->name);
			for (i = 0; i < n; i++)
				xvm_json_string(j, NULL, v[i]);
			xvm_json_end_array(j);
			break;
		}
		case F_STRUCT:
			json_fields(j, f->name, p, f->sub);
			break;
		default:
			break;
		}
	}
	xvm_json_end_object(j);
}

void
xvm_domain_format_json(const struct xvm_domain *d, struct xvm_buf *b)
{
	struct xvm_json j;

	xvm_json_init(&j, b);
	json_fields(&j, NULL, d, domain_f);
	xvm_json_finish(&j);
}

void
xvm_domain_hide_secrets(struct xvm_domain *d)
{
	size_t i;

	for (i = 0; i < d->ngraphics; i++) {
		free(d->graphics[i].passwd);
		d->graphics[i].passwd = NULL;
	}
}

/* ---- device arrays ---------------------------------------------------- */

static void *
grow(void *arrp, size_t *n, size_t size)
{
	char **arr = arrp;

	*arr = xvm_realloc(*arr, (*n + 1) * size);
	memset(*arr + *n * size, 0, size);
	return *arr + (*n)++ * size;
}

#define ADDER(fn, type, arr, n) \
type *fn(struct xvm_domain *d) { return grow(&d->arr, &d->n, sizeof(type)); }

ADDER(xvm_domain_add_disk, struct xvm_disk, disks, ndisks)
ADDER(xvm_domain_add_controller, struct xvm_controller, controllers,
    ncontrollers)
ADDER(xvm_domain_add_net, struct xvm_net, nets, nnets)
ADDER(xvm_domain_add_input, struct xvm_input, inputs, ninputs)
ADDER(xvm_domain_add_graphics, struct xvm_graphics, graphics, ngraphics)
ADDER(xvm_domain_add_video, struct xvm_video, videos, nvideos)
ADDER(xvm_domain_add_sound, struct xvm_sound, sounds, nsounds)
ADDER(xvm_domain_add_hostdev, struct xvm_hostdev, hostdevs, nhostdevs)

/* Remove element i of an array of n, releasing what it holds. */
static void
drop(void *arrp, size_t *n, size_t size, size_t i, const struct field *f)
{
	char *arr = *(char **)arrp;

	release_fields(arr + i * size, f);
	memmove(arr + i * size, arr + (i + 1) * size, (*n - i - 1) * size);
	(*n)--;
}

void
xvm_domain_remove_disk(struct xvm_domain *d, size_t i)
{
	if (i < d->ndisks)
		drop(&d->disks, &d->ndisks, sizeof(*d->disks), i, disk_f);
}

void
xvm_domain_remove_net(struct xvm_domain *d, size_t i)
{
	if (i < d->nnets)
		drop(&d->nets, &d->nnets, sizeof(*d->nets), i, net_f);
}

static struct xvm_chr *
add_chr(struct xvm_chr **arr, size_t *n)
{
	struct xvm_chr *c = grow(arr, n, sizeof(**arr));

	c->port = -1;
	return c;
}

struct xvm_chr *
xvm_domain_add_serial(struct xvm_domain *d)
{
	return add_chr(&d->serials, &d->nserials);
}

struct xvm_chr *
xvm_domain_add_parallel(struct xvm_domain *d)
{
	return add_chr(&d->parallels, &d->nparallels);
}

struct xvm_chr *
xvm_domain_add_console(struct xvm_domain *d)
{
	return add_chr(&d->consoles, &d->nconsoles);
}

struct xvm_chr *
xvm_domain_add_channel(struct xvm_domain *d)
{
	return add_chr(&d->channels, &d->nchannels);
}

void
xvm_domain_add_extra(struct xvm_domain *d, const char *name,
    const char *value)
{
	struct xvm_extra *e = grow(&d->extras, &d->nextras, sizeof(*e));

	e->name = xvm_strdup(name);
	e->value = xvm_strdup(value);
}

/* ---- names ------------------------------------------------------------ */

static const char *
name_of(const char *const *names, size_t n, int v)
{
	return v >= 0 && (size_t)v < n ? names[v] : NULL;
}

static int
parse_name(const char *const *names, size_t n, const char *s)
{
	size_t i;

	if (!s)
		return -1;
	for (i = 0; i < n; i++)
		if (names[i] && strcmp(names[i], s) == 0)
			return (int)i;
	return -1;
}

#define NAMES(kind, type, ...) \
static const char *const kind##_names[] = { __VA_ARGS__ }; \
const char *xvm_##kind##_name(type v) \
{ return name_of(kind##_names, XVM_ARRAY_SIZE(kind##_names), (int)v); } \
int xvm_##kind##_parse(const char *s) \
{ return parse_name(kind##_names, XVM_ARRAY_SIZE(kind##_names), s); }

NAMES(os_type, enum xvm_os_type, NULL, "linux", "xen", "hvm", "xenpvh")
NAMES(boot_dev, enum xvm_boot_dev, NULL, "fd", "hd", "cdrom", "network")
NAMES(lifecycle, enum xvm_lifecycle, NULL, "destroy", "restart",
    "rename-restart", "preserve", "coredump-destroy", "coredump-restart")
NAMES(disk_type, enum xvm_disk_type, "file", "block", "network", "dir",
    "volume")
NAMES(disk_device, enum xvm_disk_device, "disk", "cdrom", "floppy", "lun")
NAMES(disk_bus, enum xvm_disk_bus, NULL, "ide", "scsi", "xen", "usb", "sata",
    "fdc", "virtio")
NAMES(ctrl_type, enum xvm_ctrl_type, "xenbus", "ide", "scsi", "usb", "fdc",
    "pci", "virtio-serial")
NAMES(net_type, enum xvm_net_type, "bridge", "ethernet", "network", "user")
NAMES(chr_type, enum xvm_chr_type, "null", "vc", "pty", "dev", "file", "pipe",
    "stdio", "udp", "tcp", "unix")
NAMES(gfx_type, enum xvm_gfx_type, "vnc", "sdl", "spice")
NAMES(clock_offset, enum xvm_clock_offset, "utc", "localtime", "variable",
    "timezone")

/* ---- UUIDs and MACs --------------------------------------------------- */

int
xvm_uuid_parse(const char *s, unsigned char uuid[16])
{
	unsigned char tmp[16];
	size_t i = 0;
	int hi = -1;

	if (!s)
		return -1;
	/* 32 hex digits, with or without the usual dashes (as libvirt) */
	for (; *s; s++) {
		int v;

		if (*s == '-' && hi < 0)
			continue;
		if (*s >= '0' && *s <= '9')
			v = *s - '0';
		else if (*s >= 'a' && *s <= 'f')
			v = *s - 'a' + 10;
		else if (*s >= 'A' && *s <= 'F')
			v = *s - 'A' + 10;
		else
			return -1;
		if (i == 16)
			return -1;
		if (hi < 0) {
			hi = v;
		} else {
			tmp[i++] = (unsigned char)(hi << 4 | v);
			hi = -1;
		}
	}
	if (i != 16 || hi >= 0)
		return -1;
	memcpy(uuid, tmp, 16);
	return 0;
}

void
xvm_uuid_format(const unsigned char u[16], char out[37])
{
	snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
	    "%02x%02x%02x%02x%02x%02x", u[0], u[1], u[2], u[3], u[4], u[5],
	    u[6], u[7], u[8], u[9], u[10], u[11], u[12], u[13], u[14], u[15]);
}

void
xvm_uuid_generate(unsigned char uuid[16])
{
	uuid_generate(uuid);
}

int
xvm_mac_parse(const char *s, unsigned char mac[6])
{
	unsigned char tmp[6];
	int i;

	if (!s)
		return -1;
	for (i = 0; i < 6; i++) {
		int k, v = 0;

		/* one or two hex digits per byte, ':' or '-' between */
		for (k = 0; k < 2; k++, s++) {
			int c = *s;

			if (c >= '0' && c <= '9')
				v = v * 16 + c - '0';
			else if (c >= 'a' && c <= 'f')
				v = v * 16 + c - 'a' + 10;
			else if (c >= 'A' && c <= 'F')
				v = v * 16 + c - 'A' + 10;
			else if (k == 0)
				return -1;
			else
				break;
		}
		tmp[i] = (unsigned char)v;
		if (i < 5) {
			if (*s != ':' && *s != '-')
				return -1;
			s++;
		}
	}
	if (*s)
		return -1;
	memcpy(mac, tmp, 6);
	return 0;
}

void
xvm_mac_format(const unsigned char m[6], char out[18])
{
	snprintf(out, 18, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2],
	    m[3], m[4], m[5]);
}

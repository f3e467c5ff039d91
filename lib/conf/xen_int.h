/*
 * xen_int.h - what xen_common.c shares with the two dialects, xen_xm.c and
 * xen_xl.c.  The converters follow libvirt 9.0's xen_common.c, xen_xm.c
 * and xen_xl.c: the same settings, defaults and key order, so the same
 * configs give the same domain XML and back.  Unlike libvirt, a bad value
 * is an error at its file:line:column, never a silently dropped device,
 * and a setting no converter reads is kept in d->extras and written back
 * after the others.
 *
 * Where we part from libvirt on purpose (none of it shows in its corpus):
 *   - xm: device_model is taken for device_model_override, on_shutdown for
 *     on_poweroff, an HVM guest without kernel= gets the host's
 *     hvmloader, and a bare number is a disk target: a Xen virtual-device
 *     number, written as the name it encodes, or below 256 the index of
 *     the disk, as Solaris guests under Sun xVM used ('file:/img,0,w' is
 *     xvda);
 *   - a bridged vif without a script is written without one (libvirt adds
 *     script=vif-bridge, xl's default anyway), so round trips are exact;
 *   - both graphics are kept when an xl config enables VNC and SPICE;
 *   - xl: bios = "seabios" (or "rombios") stays as an extra; a UEFI
 *     loader other than .../ovmf.bin is written as bios_path_override;
 *     vhd disks are written format=vhd (libvirt writes "xvhd");
 *   - xl vfb = [ "sdl=1,..." ] is SDL (libvirt only knows "type=sdl").
 */
#ifndef XVM_XEN_INT_H
#define XVM_XEN_INT_H

#include <stdbool.h>

#include "xvm/cfg.h"
#include "xvm/domain.h"
#include "xvm/err.h"
#include "xvm/util.h"
#include "xvm/xenconfig.h"

#define XEN_MIN_GUEST_MIB	64	/* memory defaults to twice this */
#define XEN_MAX_VCPUS		4096
#define XEN_MAX_MEM_MIB		(1ULL << 30)	/* 1 PiB */
#define XEN_CPUMASK_LEN		4096
#define XEN_MAX_DISK_CTRLS	16	/* IDE/SCSI/SATA controllers */

/* One conversion from config to domain. */
struct xen_parse {
	struct xvm_cfg *cfg;
	enum xvm_cfg_dialect dialect;
	const struct xvm_xen_caps *caps;
	struct xvm_domain *d;
	struct xvm_err *err;
	bool hvm;		/* os.type == HVM */
};

/* One conversion from domain to config. */
struct xen_format {
	const struct xvm_domain *d;
	enum xvm_cfg_dialect dialect;
	struct xvm_cfg *cfg;
	struct xvm_err *err;
	bool hvm;
};

/* ---- reading settings (xen_common.c) ---- */

/* The setting's value, marking it read; NULL when absent. */
const struct xvm_cfg_value *xen_get(struct xen_parse *p, const char *name);
/* An XVM_ERR_CONFIG at v's position (file only when v is NULL). */
int xen_bad(struct xen_parse *p, const struct xvm_cfg_value *v,
    const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* 0 absent, 1 set (*out borrowed from cfg), -1 not a single value. */
int xen_get_str(struct xen_parse *p, const char *name, const char **out,
    const struct xvm_cfg_value **vp);
/* 0 absent (*out = def), 1 set, -1 not a boolean. */
int xen_get_bool(struct xen_parse *p, const char *name, int def, int *out);
/* A string list: one string counts as a one-item list.  Items must be
   strings (numbers are taken as their text). */
int xen_get_strlist(struct xen_parse *p, const char *name,
    const struct xvm_cfg_value **items, size_t *n);
/* Read the list setting `name` and convert each item with `one`. */
int xen_parse_each(struct xen_parse *p, const char *name,
    int (*one)(struct xen_parse *p, const struct xvm_cfg_value *v));
/* Write the "disk" list, one item per non-floppy disk, by `one`. */
int xen_format_each_disk(struct xen_format *f,
    int (*one)(struct xen_format *f, const struct xvm_disk *disk,
    struct xvm_buf *b));
/* A known setting the domain cannot hold: keep it among the extras. */
void xen_keep(struct xen_parse *p, const char *name);
/* The text of a value for messages ("a list" for lists). */
const char *xen_text(const struct xvm_cfg_value *v);
/* Decimal digits only, no sign; -1 when s is not such a number. */
int xen_parse_ull(const char *s, unsigned long long *out);
/* An unsigned number from a value; -1 when it is not one. */
int xen_value_ull(const struct xvm_cfg_value *v, unsigned long long *out);

/* ---- pieces both dialects use (xen_common.c) ---- */

/* HVM boot = "dc" (default "c") into d->os.boot */
int xen_parse_boot(struct xen_parse *p);
/* HVM usbdevice = "tablet" (xl: also a list) into USB inputs */
int xen_parse_usbdevice(struct xen_parse *p, bool list_ok);
/* 1 when dst names a disk ("xvda", "hdc", "sdb1") or, with numeric_ok,
   is a raw Xen virtual-device number as old xm took ("0", "0x300") */
int xen_disk_target_ok(const char *dst, bool numeric_ok);
/* The disk name a target means: a Xen virtual-device number becomes the
   name it encodes ("51712" -> "xvda"); a small number is a disk index
   ("0" -> "xvda", as Sun xVM's Solaris configs wrote it). */
char *xen_disk_target_name(const char *dst);
/* -1 with an error at v when another disk has target dst */
int xen_disk_target_dup(struct xen_parse *p, const struct xvm_cfg_value *v,
    const char *dst);
/* boot = "dc" from d->os.boot ("c" when none) */
int xen_format_boot(struct xen_format *f);
/* Set the error (code, message); returns -1. */
int xen_fail(struct xen_format *f, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* cpu bitmaps ("0-3,^2") as libvirt parses and formats them */
int xen_bitmap_parse(const char *s, unsigned char *bits, size_t nbits);
char *xen_bitmap_format(const unsigned char *bits, size_t nbits);
/* Canonical form of a cpu list; NULL when it is not one. */
char *xen_cpuset_normalize(const char *s, size_t nbits);

void xen_set_str(struct xvm_cfg *cfg, const char *name, const char *val);
void xen_set_int(struct xvm_cfg *cfg, const char *name, long long val);

/* ---- the dialects ---- */

int xen_xm_parse(struct xen_parse *p);
int xen_xm_format(struct xen_format *f);
/* What an xm config cannot say: XVM_ERR_NO_SUPPORT before writing. */
int xen_xm_check(struct xen_format *f);
int xen_xl_parse(struct xen_parse *p);
int xen_xl_format(struct xen_format *f);

#endif

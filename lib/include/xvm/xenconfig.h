/*
 * xenconfig.h - xm and xl domain configs <-> struct xvm_domain, exactly as
 * libvirt 9.0's xen-xm and xen-xl converters do (virsh domxml-from-native
 * / domxml-to-native), so the same configs give the same XML.
 */
#ifndef XVM_XENCONFIG_H
#define XVM_XENCONFIG_H

#include "xvm/cfg.h"
#include "xvm/domain.h"
#include "xvm/err.h"

enum xvm_cfg_dialect {
	XVM_DIALECT_XM,		/* "xen-xm": xm(1) / xmdomain.cfg(5) */
	XVM_DIALECT_XL,		/* "xen-xl": xl.cfg(5) */
};

/*
 * What the host offers, for the defaults a converter fills in: the guest
 * architecture, HVM firmware and device model.  The values libvirt's tests
 * assume are xvm_xen_caps_test(); the host's own come from lib/xen.
 */
struct xvm_xen_caps {
	const char *arch;		/* "x86_64" */
	const char *hvm_loader;		/* "/usr/lib/xen/boot/hvmloader" */
	const char *emulator;		/* "/usr/lib/xen/bin/qemu-system-i386" */
	const char *firmware_dir;	/* where ovmf.bin lives */
};

const struct xvm_xen_caps *xvm_xen_caps_test(void);

/* Parse name/value errors are XVM_ERR_CONFIG at the setting's position. */
int xvm_domain_from_cfg(struct xvm_cfg *cfg, enum xvm_cfg_dialect dialect,
    const struct xvm_xen_caps *caps, struct xvm_domain **out,
    struct xvm_err *err);

/*
 * Fill cfg (initialised, empty) with the settings of d, in libvirt's key
 * order.  Fails (XVM_ERR_CONFIG_UNSUPPORTED) for what the
 * dialect cannot express.
 */
int xvm_domain_to_cfg(const struct xvm_domain *d, enum xvm_cfg_dialect dialect,
    struct xvm_cfg *cfg, struct xvm_err *err);

/*
 * The whole path from config text to a domain, for the commands: parse
 * `data` (named `name` in messages) with the command-line settings `vars`,
 * then convert.  Flags: XVM_CFG_PYTHON (xm's reader), and
 * XVM_LOAD_STRICT: a setting the converter does not know is an error
 * ("NAME:LINE:COL: unknown setting 'foo'") instead of being kept.
 */
enum {
	XVM_LOAD_STRICT = 1 << 8,
};

int xvm_domain_load_cfg(const char *data, size_t len, const char *name,
    enum xvm_cfg_dialect dialect, unsigned flags, const struct xvm_strv *vars,
    const struct xvm_xen_caps *caps, struct xvm_domain **out,
    struct xvm_err *err);

/*
 * libxl's JSON domain config, as xl writes it in a save file's header and
 * prints with `xl list -l` (data: len bytes, named `name` in messages) ->
 * a domain, through the xl converter.  Errors: bad JSON at NAME:LINE:COL;
 * a field of the wrong type, or a device xvm cannot give the guest
 * (PCI passthrough, vTPM ...), as "NAME: libxl config, FIELD: ...".
 */
int xvm_domain_from_libxl_json(const char *data, size_t len, const char *name,
    const struct xvm_xen_caps *caps, struct xvm_domain **out,
    struct xvm_err *err);

/* "xen-xm" / "xen-xl" <-> dialect; -1 when unknown. */
int xvm_cfg_dialect_parse(const char *format);

#endif

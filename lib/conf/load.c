/*
 * load.c - from config text to a domain in one call, for the commands
 * (virsh domxml-from-native, xm create --dryrun).
 */
#include <string.h>

#include "xvm/xenconfig.h"

int
xvm_cfg_dialect_parse(const char *format)
{
	if (strcmp(format, "xen-xm") == 0)
		return XVM_DIALECT_XM;
	if (strcmp(format, "xen-xl") == 0)
		return XVM_DIALECT_XL;
	return -1;
}

int
xvm_domain_load_cfg(const char *data, size_t len, const char *name,
    enum xvm_cfg_dialect dialect, unsigned flags, const struct xvm_strv *vars,
    const struct xvm_xen_caps *caps, struct xvm_domain **out,
    struct xvm_err *err)
{
	struct xvm_cfg cfg;
	struct xvm_strv unused = XVM_STRV_INIT;
	struct xvm_domain *d = NULL;
	int ret = -1;
	size_t i;

	*out = NULL;
	xvm_cfg_init(&cfg, name);
	if (xvm_cfg_parse(&cfg, data, len, flags & XVM_CFG_PYTHON, vars,
	    err) < 0)
		goto out;
	if (xvm_domain_from_cfg(&cfg, dialect, caps, &d, err) < 0)
		goto out;
	if (flags & XVM_LOAD_STRICT) {
		xvm_cfg_unused(&cfg, &unused);
		for (i = 0; i < unused.n; i++) {
			size_t k;

			for (k = 0; k < cfg.n; k++) {
				if (strcmp(cfg.entries[k].name,
				    unused.v[i]) != 0)
					continue;
				xvm_err_at(err, name, cfg.entries[k].line,
				    cfg.entries[k].column,
				    "unknown setting '%s'", unused.v[i]);
				goto out;
			}
		}
	}
	*out = d;
	d = NULL;
	ret = 0;
out:
	xvm_domain_free(d);
	xvm_strv_release(&unused);
	xvm_cfg_release(&cfg);
	return ret;
}

/*
 * fuzz_native.c - fuzz target for the whole config path: the config reader
 * (plain and Python modes), both converters to a domain, the XML writer and
 * reader, and the converters back.  Invariants: no crash or leak; every
 * domain a config gives formats to XML that the reader accepts and that
 * reads back equal; a failure always carries an error.
 */
#include <stdlib.h>
#include <string.h>

#include "xvm/cfg.h"
#include "xvm/domxml.h"
#include "xvm/xenconfig.h"
#include "fuzz.h"

static void
one(const char *s, size_t len, unsigned flags, enum xvm_cfg_dialect dialect)
{
	struct xvm_cfg cfg, out;
	struct xvm_domain *d = NULL, *back = NULL;
	struct xvm_buf b = XVM_BUF_INIT;
	struct xvm_err err;

	xvm_err_clear(&err);
	xvm_cfg_init(&cfg, "fuzz.cfg");
	xvm_cfg_init(&out, "fuzz.cfg");
	if (xvm_cfg_parse(&cfg, s, len, flags, NULL, &err) < 0 ||
	    xvm_domain_from_cfg(&cfg, dialect, xvm_xen_caps_test(), &d,
	    &err) < 0) {
		if (err.code == XVM_ERR_OK)
			abort();
		goto out;
	}
	xvm_domain_format_xml(d, XVM_XML_INACTIVE | XVM_XML_SECURE, &b);
	if (xvm_domain_parse_xml(xvm_buf_str(&b), b.len, "fuzz.xml",
	    XVM_XML_INACTIVE, &back, &err) < 0)
		abort();
	if (xvm_domain_to_cfg(back, dialect, &out, &err) == 0) {
		xvm_buf_reset(&b);
		xvm_cfg_write(&out, &b);
	} else if (err.code == XVM_ERR_OK) {
		abort();
	}
out:
	xvm_domain_free(d);
	xvm_domain_free(back);
	xvm_cfg_release(&cfg);
	xvm_cfg_release(&out);
	xvm_buf_release(&b);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;

	one(s, size, 0, XVM_DIALECT_XM);
	one(s, size, 0, XVM_DIALECT_XL);
	one(s, size, XVM_CFG_PYTHON, XVM_DIALECT_XM);
	return 0;
}

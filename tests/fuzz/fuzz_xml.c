/*
 * fuzz_xml.c - fuzz target for the domain XML reader and writer.
 * Invariants, for the persistent and the live form: a failure always sets
 * a config error; a document that reads writes out as one that reads back
 * to an equal domain and writes out identically.
 */
#include <stdlib.h>
#include <string.h>

#include "xvm/domxml.h"
#include "fuzz.h"

static void
round_trip(const uint8_t *data, size_t size, unsigned flags)
{
	struct xvm_domain *d = NULL, *d2 = NULL;
	struct xvm_buf b1 = XVM_BUF_INIT, b2 = XVM_BUF_INIT;
	struct xvm_err err;

	xvm_err_clear(&err);
	if (xvm_domain_parse_xml((const char *)data, size, "fuzz", flags, &d,
	    &err) < 0) {
		if (err.code == XVM_ERR_OK || d != NULL)
			abort();
		return;
	}
	xvm_domain_format_xml(d, flags | XVM_XML_SECURE, &b1);
	if (xvm_domain_parse_xml(b1.data, b1.len, "out", flags, &d2,
	    &err) < 0)
		abort();
	xvm_domain_format_xml(d2, flags | XVM_XML_SECURE, &b2);
	if (b1.len != b2.len || memcmp(b1.data, b2.data, b1.len) != 0)
		abort();
	if (!xvm_domain_equal(d, d2))
		abort();
	xvm_buf_release(&b1);
	xvm_buf_release(&b2);
	xvm_domain_free(d);
	xvm_domain_free(d2);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	round_trip(data, size, XVM_XML_INACTIVE);
	round_trip(data, size, 0);
	return 0;
}

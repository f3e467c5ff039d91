/*
 * fuzz_libxljson.c - fuzz target for libxl's JSON domain config, the
 * header of a save file xl wrote (xvm_domain_from_libxl_json).
 * Invariants:
 *   - a failure is a config error naming the input, with a message;
 *   - a success is a domain with a name, which xvm can write as an xl
 *     config that reads back to a domain (the settings made sense).
 */
#include <stdlib.h>
#include <string.h>

#include "xvm/cfg.h"
#include "xvm/domain.h"
#include "xvm/err.h"
#include "xvm/xenconfig.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct xvm_domain *d = NULL, *back = NULL;
	struct xvm_err err = { 0 };
	struct xvm_cfg cfg;

	if (xvm_domain_from_libxl_json((const char *)data, size, "in.json",
	    xvm_xen_caps_test(), &d, &err) < 0) {
		if (d != NULL || err.msg[0] == '\0' ||
		    strcmp(err.file, "in.json") != 0)
			abort();
		return 0;
	}
	if (d == NULL || d->name == NULL || d->name[0] == '\0')
		abort();
	xvm_cfg_init(&cfg, "out.cfg");
	memset(&err, 0, sizeof(err));
	/* what the xl dialect cannot write is refused, never a crash */
	if (xvm_domain_to_cfg(d, XVM_DIALECT_XL, &cfg, &err) == 0 &&
	    xvm_domain_from_cfg(&cfg, XVM_DIALECT_XL, xvm_xen_caps_test(),
	    &back, &err) == 0 && (back == NULL || back->name == NULL))
		abort();
	xvm_domain_free(back);
	xvm_cfg_release(&cfg);
	xvm_domain_free(d);
	return 0;
}

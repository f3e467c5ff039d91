/*
 * fuzz_savefile.c - fuzz target for the reader of save files and
 * migration streams (xvm_sf_check: xl's header, the libxl and libxc
 * streams, every record's framing and the bodies xvm parses).  Any bytes
 * are either accepted or refused with a message naming the stream and the
 * byte; nothing crashes, reads past the input or leaks.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "xen/savefile.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct xvm_sf_in in;
	struct xvm_err err;
	uint64_t pages = 0;

	xvm_err_clear(&err);
	xvm_sf_in_mem(&in, data, size, "fuzz.save");
	if (xvm_sf_check(&in, &pages, &err) == 0) {
		/* accepted: whole, and the pages fit in what was read */
		if (in.pos != size || pages * 4096 > size)
			abort();
	} else if (err.code == XVM_ERR_OK ||
	    strncmp(err.msg, "fuzz.save: ", 11) != 0) {
		abort();
	}
	return 0;
}

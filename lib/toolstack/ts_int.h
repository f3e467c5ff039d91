/*
 * ts_int.h - what the files of lib/toolstack share (not public).
 */
#ifndef XVM_TS_INT_H
#define XVM_TS_INT_H

#include "xvm/toolstack.h"
#include "xen/io/io.h"
#include "xen/xc.h"

struct xvm_conn {
	char *uri;		/* canonical */
	struct xvm_io *io;
};

#endif

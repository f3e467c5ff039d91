/*
 * dumpcore.h - a PV domain's memory as Xen's dump-core ELF file
 * (dumpcore.c).
 */
#ifndef XVM_XEN_DUMPCORE_H
#define XVM_XEN_DUMPCORE_H

#include <stdint.h>

#include "xvm/err.h"
#include "xen/io/io.h"
#include "xen/savefile.h"

/*
 * Write the core of domain domid (best paused) to out; *pages_r (may be
 * NULL): the pages written.  The guest must have published its p2m list.
 */
int xvm_pv_dump_core(struct xvm_io *io, uint32_t domid,
    struct xvm_sf_out *out, uint64_t *pages_r, struct xvm_err *err);

#endif

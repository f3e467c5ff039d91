/*
 * xc_int.h - what the typed-call files of lib/xen (xc.c, xc_pv.c,
 * xc_xs.c) share; not for other callers.
 */
#ifndef XVM_XEN_XC_INT_H
#define XVM_XEN_XC_INT_H

#include <stdint.h>

#include "xvm/err.h"
#include "xvm/util.h"
#include "xen/io/io.h"
#include "xen/xs_store.h"

struct xen_domctl;

/* One domctl: in (may be NULL) copied to a hypercall buffer with cmd and
   domid set, the result copied to out (may be NULL).  Xen's result. */
long xc_domctl(struct xvm_io *io, uint32_t cmd, uint32_t domid,
    struct xen_domctl *out, const struct xen_domctl *in);
/* "cannot WHAT domain N: ..." with Xen's errno r; -1. */
int xc_dom_fail(struct xvm_err *err, long r, const char *what,
    uint32_t domid);
/* One xenstore request in transaction tx (0: none), its reply decoded
   into *m (xenstored's errno in m->err). */
int xc_xs_call(struct xvm_io *io, uint32_t tx, uint32_t type,
    const char *const *strs, size_t n, const void *raw, size_t raw_len,
    struct xvm_buf *reply, struct xs_wire_msg *m, struct xvm_err *err);

#endif

/*
 * xc_hvm.c - the typed calls an HVM domain build makes: HVM parameters
 * (hvm_op), the domain's HVM context (the saved-state records Xen keeps
 * for its vcpus and platform), and the paging pool Xen 4.17 sizes per
 * domain.  Every structure Xen reads or writes lies in a hypercall buffer.
 */
#define __XEN_TOOLS__ 1

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <xen/xen.h>
#include <xen/domctl.h>
#include <xen/hvm/hvm_op.h>

#include "xen/xc.h"
#include "xen/xc_int.h"

int
xvm_xc_hvm_param(struct xvm_io *io, uint32_t domid, bool set, uint32_t index,
    uint64_t *value, struct xvm_err *err)
{
	struct xen_hvm_param *p = xvm_io_buf_alloc(io, sizeof(*p));
	long r;

	if (p == NULL)
		return xvm_err_sys(err, errno ? errno : ENOMEM, "cannot "
		    "allocate a hypercall buffer");
	p->domid = (domid_t)domid;
	p->index = index;
	p->value = set ? *value : 0;
	r = xvm_io_hypercall(io, __HYPERVISOR_hvm_op, set ? HVMOP_set_param :
	    HVMOP_get_param, (uintptr_t)p, 0, 0, 0);
	if (r == 0 && !set)
		*value = p->value;
	xvm_io_buf_free(io, p, sizeof(*p));
	if (r < 0) {
		xvm_err_set(err, r == -ESRCH ? XVM_ERR_NO_DOMAIN :
		    XVM_ERR_SYSTEM, "cannot %s HVM parameter %u of domain %u: "
		    "%s", set ? "set" : "read", index, domid,
		    strerror((int)-r));
		if (err)
			err->sys_errno = (int)-r;
		return -1;
	}
	return 0;
}

int
xvm_xc_hvm_context_get(struct xvm_io *io, uint32_t domid, void **ctx_r,
    size_t *len_r, struct xvm_err *err)
{
	struct xen_domctl dc, out;
	uint8_t *b;
	uint32_t size;
	long r;

	*ctx_r = NULL;
	*len_r = 0;
	memset(&dc, 0, sizeof(dc));	/* a NULL buffer asks for the size */
	r = xc_domctl(io, XEN_DOMCTL_gethvmcontext, domid, &out, &dc);
	if (r < 0)
		return xc_dom_fail(err, r, "read the HVM context of", domid);
	size = out.u.hvmcontext.size;
	if (size == 0 || size > (16u << 20))
		return xvm_err_set(err, XVM_ERR_SYSTEM, "domain %u: Xen "
		    "reports an HVM context of %u bytes", domid, size);
	if ((b = xvm_io_buf_alloc(io, size)) == NULL)
		return xvm_err_sys(err, errno ? errno : ENOMEM, "cannot "
		    "allocate a hypercall buffer");
	memset(&dc, 0, sizeof(dc));
	dc.u.hvmcontext.size = size;
	set_xen_guest_handle(dc.u.hvmcontext.buffer, b);
	r = xc_domctl(io, XEN_DOMCTL_gethvmcontext, domid, &out, &dc);
	if (r < 0) {
		xvm_io_buf_free(io, b, size);
		return xc_dom_fail(err, r, "read the HVM context of", domid);
	}
	if (out.u.hvmcontext.size > size)
		out.u.hvmcontext.size = size;
	*len_r = out.u.hvmcontext.size;
	*ctx_r = xvm_malloc(*len_r ? *len_r : 1);
	memcpy(*ctx_r, b, *len_r);
	xvm_io_buf_free(io, b, size);
	return 0;
}

int
xvm_xc_hvm_context_set(struct xvm_io *io, uint32_t domid, const void *ctx,
    size_t len, struct xvm_err *err)
{
	struct xen_domctl dc;
	uint8_t *b;
	long r;

	if (len == 0 || len > UINT32_MAX)
		return xvm_err_set(err, XVM_ERR_INVALID_ARG, "an HVM context "
		    "of %zu bytes", len);
	if ((b = xvm_io_buf_alloc(io, len)) == NULL)
		return xvm_err_sys(err, errno ? errno : ENOMEM, "cannot "
		    "allocate a hypercall buffer");
	memcpy(b, ctx, len);
	memset(&dc, 0, sizeof(dc));
	dc.u.hvmcontext.size = (uint32_t)len;
	set_xen_guest_handle(dc.u.hvmcontext.buffer, b);
	r = xc_domctl(io, XEN_DOMCTL_sethvmcontext, domid, NULL, &dc);
	xvm_io_buf_free(io, b, len);
	return r < 0 ? xc_dom_fail(err, r, "set the HVM context of", domid) :
	    0;
}

int
xvm_xc_paging_mempool(struct xvm_io *io, uint32_t domid, uint64_t bytes,
    struct xvm_err *err)
{
	struct xen_domctl dc;
	long r;

	memset(&dc, 0, sizeof(dc));
	dc.u.paging_mempool.size = bytes;
	r = xc_domctl(io, XEN_DOMCTL_set_paging_mempool_size, domid, NULL, &dc);
	return r < 0 ? xc_dom_fail(err, r, "size the paging pool of", domid) :
	    0;
}

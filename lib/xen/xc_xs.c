/*
 * xc_xs.c - the xenstore requests a domain build makes: transactions,
 * writes, directories and permissions inside them, and introducing a
 * domain to xenstored.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xen/io/xs_wire.h>

#include "xen/xc.h"
#include "xen/xc_int.h"
#include "xen/xs_store.h"

/* "cannot WHAT 'PATH' PREP xenstore: ..." with xenstored's errno e. */
static int
refused(struct xvm_err *err, int e, const char *what, const char *path,
    const char *prep)
{
	xvm_err_set(err, XVM_ERR_SYSTEM, "cannot %s '%s' %s xenstore: %s",
	    what, path, prep, strerror(e));
	if (err)
		err->sys_errno = e;
	return -1;
}

int
xvm_xs_tx_start(struct xvm_io *io, uint32_t *tx_r, struct xvm_err *err)
{
	struct xvm_buf reply = XVM_BUF_INIT;
	struct xs_wire_msg m;
	const char *empty = "";
	char num[16];
	int ret = -1;

	*tx_r = 0;
	if (xc_xs_call(io, 0, XS_TRANSACTION_START, &empty, 1, NULL, 0, &reply, &m,
	    err) < 0)
		goto out;
	if (m.err) {
		refused(err, m.err, "start a transaction at", "/", "in");
		goto out;
	}
	snprintf(num, sizeof(num), "%.*s", (int)(m.len < 15 ? m.len : 15),
	    m.payload);
	*tx_r = (uint32_t)strtoul(num, NULL, 10);
	ret = *tx_r ? 0 : xvm_err_set(err, XVM_ERR_SYSTEM, "xenstore gave "
	    "no transaction id");
out:
	xvm_buf_release(&reply);
	return ret;
}

int
xvm_xs_tx_end(struct xvm_io *io, uint32_t tx, bool commit, bool *again_r,
    struct xvm_err *err)
{
	struct xvm_buf reply = XVM_BUF_INIT;
	struct xs_wire_msg m;
	const char *how = commit ? "T" : "F";
	int ret = -1;

	if (again_r)
		*again_r = false;
	if (xc_xs_call(io, tx, XS_TRANSACTION_END, &how, 1, NULL, 0, &reply, &m,
	    err) < 0)
		goto out;
	if (m.err == EAGAIN && again_r) {
		*again_r = true;
		ret = 0;
	} else if (m.err) {
		refused(err, m.err, "end a transaction at", "/", "in");
	} else {
		ret = 0;
	}
out:
	xvm_buf_release(&reply);
	return ret;
}

int
xvm_xs_twrite(struct xvm_io *io, uint32_t tx, const char *path,
    const char *val, struct xvm_err *err)
{
	struct xvm_buf reply = XVM_BUF_INIT;
	struct xs_wire_msg m;
	int ret = -1;

	if (xc_xs_call(io, tx, XS_WRITE, &path, 1, val, strlen(val), &reply, &m,
	    err) == 0)
		ret = m.err ? refused(err, m.err, "write", path, "to") : 0;
	xvm_buf_release(&reply);
	return ret;
}

int
xvm_xs_tmkdir(struct xvm_io *io, uint32_t tx, const char *path,
    struct xvm_err *err)
{
	struct xvm_buf reply = XVM_BUF_INIT;
	struct xs_wire_msg m;
	int ret = -1;

	if (xc_xs_call(io, tx, XS_MKDIR, &path, 1, NULL, 0, &reply, &m, err) == 0)
		ret = m.err ? refused(err, m.err, "make", path, "in") : 0;
	xvm_buf_release(&reply);
	return ret;
}

int
xvm_xs_trm(struct xvm_io *io, uint32_t tx, const char *path,
    struct xvm_err *err)
{
	struct xvm_buf reply = XVM_BUF_INIT;
	struct xs_wire_msg m;
	int ret = -1;

	if (xc_xs_call(io, tx, XS_RM, &path, 1, NULL, 0, &reply, &m, err) == 0)
		ret = m.err && m.err != ENOENT ?
		    refused(err, m.err, "remove", path, "from") : 0;
	xvm_buf_release(&reply);
	return ret;
}

int
xvm_xs_tset_perms(struct xvm_io *io, uint32_t tx, const char *path,
    const char *const *perms, size_t n, struct xvm_err *err)
{
	struct xvm_buf reply = XVM_BUF_INIT;
	struct xs_wire_msg m;
	const char **v = xvm_calloc(n + 1, sizeof(*v));
	size_t i;
	int ret = -1;

	v[0] = path;
	for (i = 0; i < n; i++)
		v[i + 1] = perms[i];
	if (xc_xs_call(io, tx, XS_SET_PERMS, v, n + 1, NULL, 0, &reply, &m,
	    err) == 0)
		ret = m.err ? refused(err, m.err, "set the permissions of",
		    path, "in") : 0;
	free(v);
	xvm_buf_release(&reply);
	return ret;
}

int
xvm_xs_introduce(struct xvm_io *io, uint32_t domid, uint64_t mfn,
    uint32_t port, struct xvm_err *err)
{
	struct xvm_buf reply = XVM_BUF_INIT;
	struct xs_wire_msg m;
	char d[16], f[24], p[16];
	const char *v[3] = { d, f, p };
	int ret = -1;

	snprintf(d, sizeof(d), "%" PRIu32, domid);
	snprintf(f, sizeof(f), "%" PRIu64, mfn);
	snprintf(p, sizeof(p), "%" PRIu32, port);
	if (xc_xs_call(io, 0, XS_INTRODUCE, v, 3, NULL, 0, &reply, &m, err) == 0)
		ret = m.err ? refused(err, m.err, "introduce domain", d,
		    "in") : 0;
	xvm_buf_release(&reply);
	return ret;
}

/*
 * console.c - a domain's console.  On a real Xen host xenconsoled serves
 * each guest's console ring and publishes a pty for it in xenstore
 * (/local/domain/N/console/tty): the console is that pty.  A simulated
 * host has no xenconsoled, so the toolstack does its part itself: it maps
 * the guest's console ring (console/ring-ref), binds an event channel to
 * the guest's (console/port), takes output from the ring and puts input
 * in it, signalling the guest as xenconsoled does.
 */
#define __XEN_TOOLS__ 1
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <xen/xen.h>
#include <xen/event_channel.h>
#include <xen/io/console.h>

#include "toolstack/ts_int.h"

struct xvm_console {
	struct xvm_conn *c;
	uint32_t id;
	int fd;				/* the pty; -1 on a simulated host */
	uint64_t mfn;			/* the ring (simulated host) */
	uint32_t port;			/* our end of its event channel */
};

static int
evtchn(struct xvm_conn *c, unsigned cmd, void *arg, size_t len,
    struct xvm_err *err)
{
	void *b = xvm_io_buf_alloc(c->io, len);
	long r;

	if (b == NULL)
		return xvm_err_sys(err, ENOMEM, "cannot allocate a hypercall "
		    "buffer");
	memcpy(b, arg, len);
	r = xvm_io_hypercall(c->io, __HYPERVISOR_event_channel_op, cmd,
	    (uintptr_t)b, 0, 0, 0);
	memcpy(arg, b, len);
	xvm_io_buf_free(c->io, b, len);
	if (r < 0) {
		xvm_err_set(err, XVM_ERR_SYSTEM, "event channel operation %u: "
		    "%s", cmd, strerror((int)-r));
		err->sys_errno = (int)-r;
		return -1;
	}
	return 0;
}

static int
xs_num(struct xvm_conn *c, uint32_t id, const char *rel, uint64_t *v,
    struct xvm_err *err)
{
	char path[96], *s = NULL;
	int r;

	snprintf(path, sizeof(path), "/local/domain/%" PRIu32 "/%s", id, rel);
	if ((r = xvm_xs_read(c->io, path, &s, err)) <= 0)
		return r < 0 ? -1 : xvm_err_set(err, XVM_ERR_NOT_FOUND,
		    "domain %" PRIu32 " has no console (no %s)", id, path);
	*v = strtoull(s, NULL, 10);
	free(s);
	return 0;
}

int
xvm_console_open(struct xvm_conn *c, uint32_t id, struct xvm_console **con_r,
    struct xvm_err *err)
{
	struct xvm_console *con;
	char path[96], *tty = NULL;
	uint64_t port;
	int r;

	*con_r = NULL;
	if (id == 0)
		return xvm_err_set(err, XVM_ERR_OPERATION_INVALID, "Domain-0's "
		    "console is this host's own");
	snprintf(path, sizeof(path), "/local/domain/%" PRIu32 "/console/tty",
	    id);
	if ((r = xvm_xs_read(c->io, path, &tty, err)) < 0)
		return -1;
	con = xvm_calloc(1, sizeof(*con));
	con->c = c;
	con->id = id;
	con->fd = -1;
	if (r > 0 && tty[0] != '\0') {
		/* xenconsoled's pty */
		con->fd = open(tty, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
		if (con->fd < 0) {
			xvm_err_sys(err, errno, "cannot open the console of "
			    "domain %" PRIu32 " (%s)", id, tty);
			free(tty);
			free(con);
			return -1;
		}
		free(tty);
		*con_r = con;
		return 0;
	}
	free(tty);
	if (strcmp(c->io->ops->name, "sim") != 0) {
		free(con);
		return xvm_err_set(err, XVM_ERR_OPERATION_FAILED, "domain %"
		    PRIu32 " has no console pty (%s): is xenconsoled running?",
		    id, path);
	}
	/* no xenconsoled: the ring itself */
	if (xs_num(c, id, "console/ring-ref", &con->mfn, err) < 0 ||
	    xs_num(c, id, "console/port", &port, err) < 0) {
		free(con);
		return -1;
	}
	{
		struct evtchn_status st = {
			.dom = (domid_t)id,
			.port = (evtchn_port_t)port,
		};
		struct evtchn_bind_interdomain b = {
			.remote_dom = (domid_t)id,
			.remote_port = (evtchn_port_t)port,
		};

		if (evtchn(c, EVTCHNOP_status, &st, sizeof(st), err) < 0) {
			free(con);
			return -1;
		}
		if (st.status == EVTCHNSTAT_interdomain &&
		    st.u.interdomain.dom == 0) {
			con->port = st.u.interdomain.port;  /* bound before */
		} else if (evtchn(c, EVTCHNOP_bind_interdomain, &b, sizeof(b),
		    err) < 0) {
			free(con);
			return -1;
		} else {
			con->port = b.local_port;
		}
	}
	*con_r = con;
	return 0;
}

int
xvm_console_fd(const struct xvm_console *con)
{
	return con->fd;
}

int
xvm_console_read(struct xvm_console *con, char *buf, size_t len,
    size_t *got, struct xvm_err *err)
{
	struct xencons_interface *r;
	size_t n = 0;

	*got = 0;
	if (con->fd >= 0) {
		ssize_t k = read(con->fd, buf, len);

		if (k < 0 && (errno == EAGAIN || errno == EINTR))
			return 0;
		if (k < 0)
			return xvm_err_sys(err, errno, "cannot read the "
			    "console of domain %" PRIu32, con->id);
		*got = (size_t)k;
		return 0;
	}
	r = xvm_xc_map(con->c->io, con->id, PROT_READ | PROT_WRITE, &con->mfn,
	    1, err);
	if (r == NULL)
		return -1;
	while (n < len && r->out_cons != r->out_prod) {
		buf[n++] = r->out[MASK_XENCONS_IDX(r->out_cons, r->out)];
		r->out_cons++;
	}
	xvm_io_unmap_foreign(con->c->io, r, 1);
	*got = n;
	return 0;
}

int
xvm_console_write(struct xvm_console *con, const char *buf, size_t len,
    struct xvm_err *err)
{
	struct xencons_interface *r;
	size_t n = 0;

	if (con->fd >= 0) {
		while (n < len) {
			ssize_t k = write(con->fd, buf + n, len - n);

			if (k < 0 && (errno == EAGAIN || errno == EINTR))
				continue;
			if (k < 0)
				return xvm_err_sys(err, errno, "cannot write "
				    "to the console of domain %" PRIu32,
				    con->id);
			n += (size_t)k;
		}
		return 0;
	}
	while (n < len) {
		struct evtchn_send s = { .port = con->port };
		size_t put = 0;

		r = xvm_xc_map(con->c->io, con->id, PROT_READ | PROT_WRITE,
		    &con->mfn, 1, err);
		if (r == NULL)
			return -1;
		while (n < len && r->in_prod - r->in_cons < sizeof(r->in)) {
			r->in[MASK_XENCONS_IDX(r->in_prod, r->in)] = buf[n++];
			r->in_prod++;
			put++;
		}
		xvm_io_unmap_foreign(con->c->io, r, 1);
		if (evtchn(con->c, EVTCHNOP_send, &s, sizeof(s), err) < 0)
			return -1;
		if (put == 0)
			return xvm_err_set(err, XVM_ERR_OPERATION_FAILED, "the "
			    "console of domain %" PRIu32 " takes no input",
			    con->id);
	}
	return 0;
}

void
xvm_console_close(struct xvm_console *con)
{
	if (con == NULL)
		return;
	/* (the ring's event channel stays bound: see above) */
	if (con->fd >= 0)
		close(con->fd);
	free(con);
}

uint32_t
ts_console_port(struct xvm_conn *c, uint32_t id)
{
	struct xvm_err ignored = { 0 };
	uint64_t port;
	struct evtchn_status st;

	if (strcmp(c->io->ops->name, "sim") != 0 ||
	    xs_num(c, id, "console/port", &port, &ignored) < 0)
		return 0;
	memset(&st, 0, sizeof(st));
	st.dom = (domid_t)id;
	st.port = (evtchn_port_t)port;
	if (evtchn(c, EVTCHNOP_status, &st, sizeof(st), &ignored) < 0 ||
	    st.status != EVTCHNSTAT_interdomain || st.u.interdomain.dom != 0)
		return 0;
	return st.u.interdomain.port;
}

void
ts_console_unbind(struct xvm_conn *c, uint32_t port)
{
	struct xvm_err ignored = { 0 };
	struct evtchn_close cl;

	if (port == 0)
		return;
	cl.port = port;
	(void)evtchn(c, EVTCHNOP_close, &cl, sizeof(cl), &ignored);
}

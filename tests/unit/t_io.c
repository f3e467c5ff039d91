/*
 * t_io.c - the hypervisor interface's entry points: the trace XVM_TRACE
 * prints for each hypercall and xenstore request (over a fake back end),
 * hypercall buffers, and the privcmd back end failing clearly on a
 * machine without Xen.
 */
#define __XEN_TOOLS__ 1

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xen/xen.h>
#include <xen/domctl.h>
#include <xen/memory.h>
#include <xen/sysctl.h>
#include <xen/io/xs_wire.h>

#include "xen/io/io.h"
#include "t.h"

static long
fake_hypercall(struct xvm_io *io, unsigned op, const uint64_t arg[5])
{
	(void)io;
	if (op == __HYPERVISOR_domctl) {
		struct xen_domctl *d = (struct xen_domctl *)(uintptr_t)arg[0];

		if (d->cmd == XEN_DOMCTL_createdomain)
			d->domain = 7;	/* an output the trace shows */
		return 0;
	}
	return -ENOSYS;
}

static void *
fake_alloc(struct xvm_io *io, size_t npages)
{
	(void)io;
	return calloc(npages, XVM_PAGE_SIZE);
}

static void
fake_free(struct xvm_io *io, void *p, size_t npages)
{
	(void)io;
	(void)npages;
	free(p);
}

static int
fake_xs(struct xvm_io *io, const void *req, size_t len, struct xvm_buf *reply,
    struct xvm_err *err)
{
	(void)io;
	(void)err;
	xvm_buf_add(reply, req, len);
	return 0;
}

static const struct xvm_io_ops fake_ops = {
	"fake", fake_hypercall, fake_alloc, fake_free, NULL, NULL, fake_xs,
	NULL, NULL, NULL, NULL,
};

/* Run f with stderr captured into buf. */
static void
capture(void (*f)(struct xvm_io *), struct xvm_io *io, char *buf, size_t size)
{
	char path[] = "/tmp/t_io.XXXXXX";
	int fd = mkstemp(path), saved = dup(2);
	ssize_t n;

	fflush(stderr);
	dup2(fd, 2);
	f(io);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	n = pread(fd, buf, size - 1, 0);
	buf[n > 0 ? n : 0] = '\0';
	close(fd);
	unlink(path);
}

static void
do_create(struct xvm_io *io)
{
	struct xen_domctl *d = xvm_io_buf_alloc(io, sizeof(*d));

	d->cmd = XEN_DOMCTL_createdomain;
	d->interface_version = XEN_DOMCTL_INTERFACE_VERSION;
	d->domain = 0;
	xvm_io_hypercall(io, __HYPERVISOR_domctl, (uintptr_t)d, 0, 0, 0, 0);
	xvm_io_buf_free(io, d, sizeof(*d));
}

static void
do_memop(struct xvm_io *io)
{
	struct xen_memory_reservation *r = xvm_io_buf_alloc(io, sizeof(*r));

	r->domid = 3;
	xvm_io_hypercall(io, __HYPERVISOR_memory_op, XENMEM_populate_physmap,
	    (uintptr_t)r, 0, 0, 0);
	xvm_io_buf_free(io, r, sizeof(*r));
}

static void
do_xs(struct xvm_io *io)
{
	char msg[sizeof(struct xsd_sockmsg) + 32];
	struct xsd_sockmsg h = { XS_READ, 1, 0, 0 };
	struct xvm_buf reply = XVM_BUF_INIT;
	struct xvm_err err;
	const char *path = "/local/domain/0/name";

	h.len = (uint32_t)strlen(path) + 1;
	memcpy(msg, &h, sizeof(h));
	memcpy(msg + sizeof(h), path, h.len);
	xvm_io_xs_request(io, msg, sizeof(h) + h.len, &reply, &err);
	xvm_buf_release(&reply);
}

int
main(void)
{
	struct xvm_io io = { &fake_ops, NULL, 1 };
	struct xvm_io *pc = NULL;
	struct xvm_err err;
	char out[2048];
	void *p;

	capture(do_create, &io, out, sizeof(out));
	T_OK(strstr(out, "xvm: dom-create-start dom=0 (fake)\n") != NULL,
	    "trace: start of a createdomain");
	T_OK(strstr(out, "xvm: dom-create-end dom=7 -> 0 (") != NULL,
	    "trace: end, with the id Xen filled in");
	capture(do_memop, &io, out, sizeof(out));
	T_OK(strstr(out, "xvm: populate-physmap-start dom=3 (fake)") != NULL,
	    "trace: memory_op names the domain");
	T_OK(strstr(out, "-> -38 (") != NULL, "trace: a negative Xen errno");
	capture(do_xs, &io, out, sizeof(out));
	T_OK(strstr(out, "xvm: xs-read /local/domain/0/name -> ok (") != NULL,
	    "trace: a xenstore request");
	io.trace = 0;
	capture(do_create, &io, out, sizeof(out));
	T_STREQ(out, "", "no trace unless asked");

	p = xvm_io_buf_alloc(&io, 5000);
	T_OK(p != NULL, "a two-page buffer");
	memset(p, 1, 8192);
	xvm_io_buf_free(&io, p, 5000);

	xvm_err_clear(&err);
	if (access("/dev/xen/privcmd", F_OK) == 0 ||
	    access("/proc/xen/privcmd", F_OK) == 0) {
		printf("ok 9 # skip this machine has a hypervisor\n");
		printf("ok 10 # skip\n");
		t_n += 2;
	} else {
		T_EQ(xvm_io_open_privcmd(&pc, &err), -1,
		    "no hypervisor: privcmd fails");
		T_STREQ(err.msg, "cannot open the hypervisor "
		    "(/dev/xen/privcmd): No such file or directory",
		    "and says why");
	}
	xvm_io_close(pc);
	return t_done();
}

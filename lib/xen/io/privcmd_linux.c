/*
 * privcmd_linux.c - the real hypervisor, on a Linux dom0: hypercalls
 * through /dev/xen/privcmd (fallback /proc/xen/privcmd), hypercall buffers
 * from /dev/xen/hypercall (fallback: locked anonymous memory), foreign
 * mappings with MMAPBATCH_V2, and xenstore over xenstored's socket
 * (fallback /dev/xen/xenbus).  The only file that issues these ioctls; an
 * illumos back end would sit beside it.
 */
#define __XEN_TOOLS__ 1

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <xen/xen.h>
#include <xen/sysctl.h>
#include <xen/io/xs_wire.h>
#include <xen/sys/privcmd.h>

#include "xen/io/io.h"
#include "xen/io/io_int.h"

struct privcmd {
	int fd;			/* privcmd */
	int buf_fd;		/* /dev/xen/hypercall, or -1 */
	int xs_fd;		/* xenstore connection, or -1 */
	struct xvm_buf in;	/* bytes read from xenstore, not yet used */
	struct xvm_buf *events;	/* queued watch events (raw messages) */
	size_t nevents;
};

static int
open_first(const char *const *paths, size_t n, int flags)
{
	size_t i;
	int fd = -1;

	for (i = 0; i < n && fd < 0; i++)
		fd = open(paths[i], flags | O_CLOEXEC);
	return fd;
}

static long
pc_hypercall(struct xvm_io *io, unsigned op, const uint64_t arg[5])
{
	struct privcmd *pc = io->priv;
	privcmd_hypercall_t h;
	long r;

	h.op = op;
	memcpy(h.arg, arg, sizeof(h.arg));
	do {
		r = ioctl(pc->fd, IOCTL_PRIVCMD_HYPERCALL, &h);
	} while (r < 0 && errno == EINTR);
	return r < 0 ? -errno : r;
}

static void *
pc_buf_alloc(struct xvm_io *io, size_t npages)
{
	struct privcmd *pc = io->priv;
	size_t len = npages * XVM_PAGE_SIZE;
	void *p;

	if (pc->buf_fd >= 0) {
		p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED,
		    pc->buf_fd, 0);
		return p == MAP_FAILED ? NULL : p;
	}
	/* old kernels: locked, never forked, every page touched */
	p = mmap(NULL, len, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS | MAP_LOCKED, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	madvise(p, len, MADV_DONTFORK);
	memset(p, 0, len);
	return p;
}

static void
pc_buf_free(struct xvm_io *io, void *p, size_t npages)
{
	(void)io;
	munmap(p, npages * XVM_PAGE_SIZE);
}

static void *
pc_map_foreign(struct xvm_io *io, uint16_t domid, int prot,
    const uint64_t *gfns, int *errs, size_t n, struct xvm_err *err)
{
	struct privcmd *pc = io->priv;
	privcmd_mmapbatch_v2_t m;
	xen_pfn_t *arr;
	void *addr;
	size_t i;
	int r;

	addr = mmap(NULL, n * XVM_PAGE_SIZE, prot, MAP_SHARED, pc->fd, 0);
	if (addr == MAP_FAILED) {
		xvm_err_sys(err, errno, "cannot reserve %zu pages to map "
		    "domain %u's memory", n, domid);
		return NULL;
	}
	arr = xvm_calloc(n, sizeof(*arr));
	for (i = 0; i < n; i++)
		arr[i] = (xen_pfn_t)gfns[i];
	memset(&m, 0, sizeof(m));
	m.num = (unsigned)n;
	m.dom = domid;
	m.addr = (uintptr_t)addr;
	m.arr = arr;
	m.err = errs;
	do {
		r = ioctl(pc->fd, IOCTL_PRIVCMD_MMAPBATCH_V2, &m);
	} while (r < 0 && errno == EINTR);
	free(arr);
	if (r < 0 && errno != ENOENT) {
		xvm_err_sys(err, errno, "cannot map domain %u's memory", domid);
		munmap(addr, n * XVM_PAGE_SIZE);
		return NULL;
	}
	return addr;
}

static void
pc_unmap_foreign(struct xvm_io *io, void *addr, size_t n)
{
	(void)io;
	munmap(addr, n * XVM_PAGE_SIZE);
}

static int
write_all(int fd, const void *data, size_t len)
{
	const char *p = data;

	while (len > 0) {
		ssize_t w = write(fd, p, len);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

/* The next whole message from xenstore into out (1), or -1. */
static int
read_msg(struct privcmd *pc, struct xvm_buf *out, struct xvm_err *err)
{
	char chunk[4096];
	struct xsd_sockmsg h;

	for (;;) {
		if (pc->in.len >= sizeof(h)) {
			memcpy(&h, pc->in.data, sizeof(h));
			if (h.len > XENSTORE_PAYLOAD_MAX)
				return xvm_err_set(err, XVM_ERR_SYSTEM,
				    "xenstore sent a %u-byte message", h.len);
			if (pc->in.len >= sizeof(h) + h.len) {
				size_t n = sizeof(h) + h.len;

				xvm_buf_reset(out);
				xvm_buf_add(out, pc->in.data, n);
				memmove(pc->in.data, pc->in.data + n,
				    pc->in.len - n);
				pc->in.len -= n;
				return 1;
			}
		}
		ssize_t r = read(pc->xs_fd, chunk, sizeof(chunk));

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return xvm_err_sys(err, r < 0 ? errno : EPIPE,
			    "cannot read from xenstore");
		xvm_buf_add(&pc->in, chunk, (size_t)r);
	}
}

static int
xs_connect(struct privcmd *pc, struct xvm_err *err)
{
	static const char *const sockets[] = {
		"/run/xenstored/socket", "/var/run/xenstored/socket",
	};
	static const char *const devices[] = {
		"/dev/xen/xenbus", "/proc/xen/xenbus",
	};
	const char *env = getenv("XENSTORED_PATH");
	size_t i;

	if (pc->xs_fd >= 0)
		return 0;
	for (i = 0; i < XVM_ARRAY_SIZE(sockets) && pc->xs_fd < 0; i++) {
		struct sockaddr_un sa;
		int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

		memset(&sa, 0, sizeof(sa));
		sa.sun_family = AF_UNIX;
		strncpy(sa.sun_path, env && *env ? env : sockets[i],
		    sizeof(sa.sun_path) - 1);
		if (fd >= 0 && connect(fd, (struct sockaddr *)&sa,
		    sizeof(sa)) == 0)
			pc->xs_fd = fd;
		else if (fd >= 0)
			close(fd);
	}
	if (pc->xs_fd < 0)
		pc->xs_fd = open_first(devices, XVM_ARRAY_SIZE(devices),
		    O_RDWR);
	if (pc->xs_fd < 0)
		return xvm_err_sys(err, errno, "cannot connect to xenstore "
		    "(/run/xenstored/socket or /dev/xen/xenbus)");
	return 0;
}

static int
pc_xs_request(struct xvm_io *io, const void *req, size_t len,
    struct xvm_buf *reply, struct xvm_err *err)
{
	struct privcmd *pc = io->priv;
	struct xsd_sockmsg h;

	if (xs_connect(pc, err) < 0)
		return -1;
	if (write_all(pc->xs_fd, req, len) < 0)
		return xvm_err_sys(err, errno, "cannot write to xenstore");
	for (;;) {
		if (read_msg(pc, reply, err) < 0)
			return -1;
		memcpy(&h, reply->data, sizeof(h));
		if (h.type != XS_WATCH_EVENT)
			return 0;
		/* an event before our reply: keep it for xs_event */
		pc->events = xvm_realloc(pc->events,
		    (pc->nevents + 1) * sizeof(*pc->events));
		xvm_buf_init(&pc->events[pc->nevents]);
		xvm_buf_add(&pc->events[pc->nevents++], reply->data,
		    reply->len);
	}
}

static int
pc_xs_event(struct xvm_io *io, struct xvm_buf *event, struct xvm_err *err)
{
	struct privcmd *pc = io->priv;
	size_t i;

	(void)err;
	if (pc->nevents == 0)
		return 0;
	xvm_buf_release(event);
	*event = pc->events[0];
	for (i = 1; i < pc->nevents; i++)
		pc->events[i - 1] = pc->events[i];
	pc->nevents--;
	return 1;
}

static void
pc_close(struct xvm_io *io)
{
	struct privcmd *pc = io->priv;

	if (pc->fd >= 0)
		close(pc->fd);
	if (pc->buf_fd >= 0)
		close(pc->buf_fd);
	if (pc->xs_fd >= 0)
		close(pc->xs_fd);
	xvm_buf_release(&pc->in);
	while (pc->nevents > 0)
		xvm_buf_release(&pc->events[--pc->nevents]);
	free(pc->events);
	free(pc);
	free(io);
}

static int
pc_dm_start(struct xvm_io *io, uint32_t domid, char *const *argv,
    const char *log, long *pid_r, struct xvm_err *err)
{
	(void)io;
	(void)domid;
	return xvm_dm_spawn(argv, log, pid_r, err);
}

static void
pc_dm_stop(struct xvm_io *io, uint32_t domid, long pid)
{
	(void)io;
	xvm_dm_kill(domid, pid);
}

static const struct xvm_io_ops privcmd_ops = {
	"privcmd", pc_hypercall, pc_buf_alloc, pc_buf_free, pc_map_foreign,
	pc_unmap_foreign, pc_xs_request, pc_xs_event, pc_dm_start, pc_dm_stop,
	pc_close,
};

int
xvm_io_open_privcmd(struct xvm_io **io_r, struct xvm_err *err)
{
	static const char *const privcmd[] = {
		"/dev/xen/privcmd", "/proc/xen/privcmd",
	};
	struct xvm_io *io;
	struct privcmd *pc;
	const char *t = getenv("XVM_TRACE");
	int fd;

	*io_r = NULL;
	fd = open_first(privcmd, XVM_ARRAY_SIZE(privcmd), O_RDWR);
	if (fd < 0)
		return xvm_err_sys(err, errno, "cannot open the hypervisor "
		    "(/dev/xen/privcmd)");
	pc = xvm_calloc(1, sizeof(*pc));
	pc->fd = fd;
	pc->buf_fd = open("/dev/xen/hypercall", O_RDWR | O_CLOEXEC);
	pc->xs_fd = -1;
	io = xvm_calloc(1, sizeof(*io));
	io->ops = &privcmd_ops;
	io->priv = pc;
	io->trace = t && strcmp(t, "0") != 0 && *t;

	if (xvm_io_check_interface(io, err) < 0)
		goto fail;
	*io_r = io;
	return 0;
fail:
	pc_close(io);
	return -1;
}

/*
 * disk.c - the disk images of an install: a new image is created with
 * O_EXCL (a path that appeared since the plan is never overwritten),
 * sparse by default (its size set, no block written) or, non-sparse,
 * allocated with posix_fallocate - or by writing zeros where the file
 * system cannot allocate.  A failed creation removes the half-made file;
 * an existing path is never touched.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "xvm/install.h"
#include "xvm/util.h"

static int
write_zeros(int fd, unsigned long long size, struct xvm_err *err,
    const char *path)
{
	static const char zero[1 << 16];
	unsigned long long done = 0;
	ssize_t n;

	while (done < size) {
		size_t len = size - done < sizeof(zero) ? (size_t)(size - done) :
		    sizeof(zero);

		n = pwrite(fd, zero, len, (off_t)done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return xvm_err_sys(err, n < 0 ? errno : ENOSPC,
			    "cannot allocate '%s'", path);
		done += (unsigned long long)n;
	}
	return 0;
}

int
xvm_inst_disk_create(const struct xvm_inst_disk *d, struct xvm_err *err)
{
	int fd, r;
	bool sparse = d->sparse != XVM_TRI_NO;

	if (d->exists || !d->has_size)
		return 0;
	fd = open(d->path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		if (errno == EEXIST)
			return xvm_err_set(err, XVM_ERR_OPERATION_INVALID,
			    "'%s' appeared while the install was being "
			    "prepared: it is left as it is", d->path);
		return xvm_err_sys(err, errno, "cannot create disk image '%s'",
		    d->path);
	}
	if (sparse) {
		r = ftruncate(fd, (off_t)d->size_bytes) < 0 ?
		    xvm_err_sys(err, errno, "cannot size '%s'", d->path) : 0;
	} else {
		r = posix_fallocate(fd, 0, (off_t)d->size_bytes);
		if (r == EOPNOTSUPP || r == EINVAL)
			r = write_zeros(fd, d->size_bytes, err, d->path);
		else if (r != 0)
			r = xvm_err_sys(err, r, "cannot allocate '%s'",
			    d->path);
	}
	if (r == 0 && fsync(fd) < 0)
		r = xvm_err_sys(err, errno, "cannot write '%s'", d->path);
	close(fd);
	if (r < 0)
		unlink(d->path);
	return r;
}

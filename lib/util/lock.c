/*
 * lock.c - advisory whole-file locks on a lock file.
 *
 * Open file description locks (F_OFD_SETLK) are used where the kernel has
 * them: they belong to the open file, not the process, so two acquisitions
 * in one process conflict just as two processes do, and closing some other
 * descriptor of the same file does not drop the lock.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "xvm/file.h"

#ifdef F_OFD_SETLK
#define LOCK_SET	F_OFD_SETLK
#define LOCK_SETW	F_OFD_SETLKW
#else
#define LOCK_SET	F_SETLK
#define LOCK_SETW	F_SETLKW
#endif

int
xvm_lock_acquire(struct xvm_lock *lk, const char *path, int flags,
    struct xvm_err *err)
{
	struct flock fl;
	int fd = -1, ret = -1;

	if (lk->fd >= 0) {
		xvm_err_set(err, XVM_ERR_INTERNAL, "lock on '%s' already held",
		    path);
		goto out;
	}
	do {
		fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	} while (fd < 0 && errno == EINTR);
	if (fd < 0) {
		xvm_err_sys(err, errno, "cannot open lock file '%s'", path);
		goto out;
	}

	memset(&fl, 0, sizeof(fl));	/* l_pid must be 0 for OFD locks */
	fl.l_type = (flags & XVM_LOCK_SHARED) ? F_RDLCK : F_WRLCK;
	fl.l_whence = SEEK_SET;
	fl.l_start = 0;
	fl.l_len = 0;			/* the whole file */
	while (fcntl(fd, (flags & XVM_LOCK_NOWAIT) ? LOCK_SET : LOCK_SETW,
	    &fl) < 0) {
		if (errno == EINTR)
			continue;
		if (errno == EAGAIN || errno == EACCES) {
			xvm_err_set(err, XVM_ERR_SYSTEM,
			    "'%s' is locked by another process", path);
			if (err != NULL)
				err->sys_errno = EAGAIN;
		} else {
			xvm_err_sys(err, errno, "cannot lock '%s'", path);
		}
		goto out;
	}
	lk->fd = fd;
	fd = -1;
	ret = 0;
out:
	if (fd >= 0)
		close(fd);
	return ret;
}

void
xvm_lock_release(struct xvm_lock *lk)
{
	if (lk->fd >= 0)
		close(lk->fd);
	lk->fd = -1;
}

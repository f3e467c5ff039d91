/*
 * file.h - files written so that nothing a user has is ever half-written,
 * advisory locks, and reading whole files.
 */
#ifndef XVM_FILE_H
#define XVM_FILE_H

#include <stddef.h>
#include <sys/types.h>

#include "xvm/err.h"

/*
 * Replace path with data atomically: write a temporary file in the same
 * directory (created with mode), fsync it, rename it over path, fsync the
 * directory.  On any failure the old file is untouched and the temporary
 * file is removed.
 */
int xvm_file_write_atomic(const char *path, const void *data, size_t len,
    mode_t mode, struct xvm_err *err);

/*
 * Read a whole file (at most max bytes; larger fails with EFBIG).  *data_r
 * is NUL-terminated and owned by the caller.  "-" is not special.
 */
int xvm_file_read(const char *path, size_t max, char **data_r, size_t *len_r,
    struct xvm_err *err);

/*
 * A new file that appears only when whole: written unnamed in path's
 * directory (O_TMPFILE; where the file system lacks it, as a hidden
 * temporary file there), it becomes path at commit (synced, and only if
 * path still does not exist: nothing is ever replaced).  Opening fails
 * when path exists.  A process killed meanwhile leaves nothing behind
 * (with O_TMPFILE).
 */
struct xvm_newfile {
	int fd;
	char *path, *tmp;
};
int xvm_newfile_open(struct xvm_newfile *nf, const char *path, mode_t mode,
    struct xvm_err *err);
int xvm_newfile_commit(struct xvm_newfile *nf, struct xvm_err *err);
void xvm_newfile_abort(struct xvm_newfile *nf);		/* idempotent */

/* mkdir -p with mode for the directories it creates. */
int xvm_mkdir_p(const char *path, mode_t mode, struct xvm_err *err);

/* Advisory lock on a lock file (created 0600 if missing), fcntl based. */
struct xvm_lock {
	int fd;			/* -1 when not held */
};
#define XVM_LOCK_INIT { -1 }

enum {
	XVM_LOCK_SHARED = 1 << 0,	/* read lock instead of write lock */
	XVM_LOCK_NOWAIT = 1 << 1,	/* fail with EAGAIN instead of waiting */
};

int xvm_lock_acquire(struct xvm_lock *lk, const char *path, int flags,
    struct xvm_err *err);
void xvm_lock_release(struct xvm_lock *lk);	/* idempotent */

#endif

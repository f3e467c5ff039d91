/*
 * file.c - atomic whole-file replacement, files that appear only when
 * whole, whole-file reads and mkdir -p.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "xvm/file.h"
#include "xvm/util.h"

/* write(2) all of data, retrying short writes and EINTR. */
static int
write_all(int fd, const void *data, size_t len)
{
	const char *p = data;
	ssize_t n;

	while (len > 0) {
		n = write(fd, p, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (n == 0) {
			errno = EIO;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int
xvm_file_write_atomic(const char *path, const void *data, size_t len,
    mode_t mode, struct xvm_err *err)
{
	const char *slash, *base;
	char *dir = NULL, *tmp = NULL;
	int fd = -1, dfd = -1, ret = -1, e;

	if (path == NULL || *path == '\0') {
		xvm_err_sys(err, ENOENT, "cannot write '%s'", path ? path : "");
		goto out;
	}
	slash = strrchr(path, '/');
	if (slash == NULL) {
		dir = xvm_strdup(".");
		base = path;
	} else {
		dir = slash == path ? xvm_strdup("/") :
		    xvm_strndup(path, (size_t)(slash - path));
		base = slash + 1;
	}
	if (*base == '\0') {
		xvm_err_sys(err, EISDIR, "cannot write '%s'", path);
		goto out;
	}
	tmp = xvm_asprintf("%s/.%s.XXXXXX", dir, base);

	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0) {
		xvm_err_sys(err, errno, "cannot write '%s'", path);
		goto out;
	}
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0) {
		xvm_err_sys(err, errno, "cannot write '%s'", path);
		free(tmp);
		tmp = NULL;	/* nothing was created: nothing to unlink */
		goto out;
	}
	if (fchmod(fd, mode) < 0 || write_all(fd, data, len) < 0 ||
	    fsync(fd) < 0) {
		xvm_err_sys(err, errno, "cannot write '%s'", path);
		goto out;
	}
	e = close(fd);
	fd = -1;
	if (e < 0) {
		xvm_err_sys(err, errno, "cannot write '%s'", path);
		goto out;
	}
	if (rename(tmp, path) < 0) {
		xvm_err_sys(err, errno, "cannot rename '%s' to '%s'", tmp,
		    path);
		goto out;
	}
	free(tmp);
	tmp = NULL;	/* renamed: it is path now */
	/* Some file systems cannot sync a directory; that is no failure. */
	if (fsync(dfd) < 0 && errno != EINVAL && errno != ENOTSUP) {
		xvm_err_sys(err, errno, "cannot sync directory '%s'", dir);
		goto out;
	}
	ret = 0;
out:
	if (fd >= 0)
		close(fd);
	if (tmp != NULL)
		unlink(tmp);
	if (dfd >= 0)
		close(dfd);
	free(tmp);
	free(dir);
	return ret;
}

int
xvm_file_read(const char *path, size_t max, char **data_r, size_t *len_r,
    struct xvm_err *err)
{
	struct stat st;
	char *data = NULL;
	size_t len = 0, cap;
	ssize_t n;
	int fd, ret = -1;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		xvm_err_sys(err, errno, "cannot open '%s'", path);
		goto out;
	}
	if (fstat(fd, &st) < 0) {
		xvm_err_sys(err, errno, "cannot stat '%s'", path);
		goto out;
	}
	if (S_ISDIR(st.st_mode)) {
		xvm_err_sys(err, EISDIR, "cannot read '%s'", path);
		goto out;
	}
	/* st_size is a hint only: /proc files say 0, files grow. */
	cap = 4096;
	if (S_ISREG(st.st_mode) && st.st_size > 0 &&
	    (unsigned long long)st.st_size < SIZE_MAX - 2)
		cap = (size_t)st.st_size + 2;
	if (max < SIZE_MAX - 2 && cap > max + 2)
		cap = max + 2;
	data = xvm_malloc(cap);
	xvm_prefault(data, cap);
	for (;;) {
		if (cap - len < 2) {
			if (cap > SIZE_MAX / 2)
				abort();
			cap *= 2;
			if (max < SIZE_MAX - 2 && cap > max + 2)
				cap = max + 2;
			data = xvm_realloc(data, cap);
		}
		n = read(fd, data + len, cap - len - 1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			xvm_err_sys(err, errno, "cannot read '%s'", path);
			goto out;
		}
		if (n == 0)
			break;
		len += (size_t)n;
		if (len > max) {
			xvm_err_set(err, XVM_ERR_SYSTEM,
			    "'%s' is larger than %zu bytes", path, max);
			if (err != NULL)
				err->sys_errno = EFBIG;
			goto out;
		}
	}
	data[len] = '\0';
	*data_r = data;
	data = NULL;
	if (len_r != NULL)
		*len_r = len;
	ret = 0;
out:
	if (fd >= 0)
		close(fd);
	free(data);
	return ret;
}

/* mkdir one directory; an existing directory is fine. */
static int
mkdir_one(const char *dir, mode_t mode)
{
	struct stat st;

	if (mkdir(dir, mode) == 0)
		return 0;
	if (errno != EEXIST)
		return -1;
	if (stat(dir, &st) < 0)
		return -1;
	if (!S_ISDIR(st.st_mode)) {
		errno = ENOTDIR;
		return -1;
	}
	return 0;
}

int
xvm_mkdir_p(const char *path, mode_t mode, struct xvm_err *err)
{
	char *copy = NULL, *p, c;
	int ret = -1;

	if (path == NULL || *path == '\0') {
		xvm_err_sys(err, ENOENT, "cannot create directory '%s'",
		    path ? path : "");
		goto out;
	}
	copy = xvm_strdup(path);
	for (p = copy;;) {
		while (*p == '/')
			p++;
		if (*p == '\0')
			break;
		p += strcspn(p, "/");
		c = *p;
		*p = '\0';
		if (mkdir_one(copy, mode) < 0) {
			xvm_err_sys(err, errno, "cannot create directory '%s'",
			    path);
			goto out;
		}
		*p = c;
	}
	ret = 0;
out:
	free(copy);
	return ret;
}

/* ---- files that appear whole -------------------------------------------- */

int
xvm_newfile_open(struct xvm_newfile *nf, const char *path, mode_t mode,
    struct xvm_err *err)
{
	char *dup = xvm_strdup(path), *dir = dirname(dup);

	nf->fd = -1;
	nf->tmp = NULL;
	nf->path = xvm_strdup(path);
	if (access(path, F_OK) == 0) {
		xvm_err_set(err, XVM_ERR_OPERATION_INVALID, "'%s' exists: it "
		    "is not written over", path);
		goto fail;
	}
	nf->fd = open(dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, mode);
	if (nf->fd < 0 && (errno == EOPNOTSUPP || errno == EISDIR ||
	    errno == EINVAL)) {
		nf->tmp = xvm_asprintf("%s/.xvm-new.XXXXXX", dir);
		if ((nf->fd = mkostemp(nf->tmp, O_CLOEXEC)) < 0) {
			free(nf->tmp);
			nf->tmp = NULL;
		}
	}
	if (nf->fd < 0) {
		xvm_err_sys(err, errno, "cannot create a file in '%s'", dir);
		goto fail;
	}
	(void)fchmod(nf->fd, mode);
	free(dup);
	return 0;
fail:
	free(dup);
	xvm_newfile_abort(nf);
	return -1;
}

int
xvm_newfile_commit(struct xvm_newfile *nf, struct xvm_err *err)
{
	char proc[64], *dup, *dir;
	int r, dfd;

	if (fsync(nf->fd) < 0) {
		xvm_err_sys(err, errno, "cannot write '%s'", nf->path);
		xvm_newfile_abort(nf);
		return -1;
	}
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", nf->fd);
	r = nf->tmp ? link(nf->tmp, nf->path) :
	    linkat(AT_FDCWD, proc, AT_FDCWD, nf->path, AT_SYMLINK_FOLLOW);
	if (r < 0) {
		xvm_err_sys(err, errno, "cannot create '%s'", nf->path);
		xvm_newfile_abort(nf);
		return -1;
	}
	dup = xvm_strdup(nf->path);
	dir = dirname(dup);
	if ((dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
		(void)fsync(dfd);
		close(dfd);
	}
	free(dup);
	xvm_newfile_abort(nf);		/* the temporary name and the fd go */
	return 0;
}

void
xvm_newfile_abort(struct xvm_newfile *nf)
{
	if (nf->tmp != NULL)
		(void)unlink(nf->tmp);
	free(nf->tmp);
	nf->tmp = NULL;
	if (nf->fd >= 0)
		close(nf->fd);
	nf->fd = -1;
	free(nf->path);
	nf->path = NULL;
}

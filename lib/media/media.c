/*
 * media.c - the media core: a location opened with the back end its
 * scheme (or, for a local path, its content) calls for; files read into
 * memory or written atomically to local files, with transfers that were
 * cut short resumed, and progress reported to the caller.
 *
 * The local-directory back end lives here too: an install tree on this
 * host, read with plain file I/O.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "media/media_int.h"
#include "xvm/file.h"

/* ---- paths ------------------------------------------------------------- */

char *
media_clean_path(const char *path, struct xvm_err *err)
{
	struct xvm_buf b = XVM_BUF_INIT;
	const char *p = path, *e;
	size_t n;

	while (*p) {
		while (*p == '/')
			p++;
		if (!*p)
			break;
		e = strchr(p, '/');
		n = e ? (size_t)(e - p) : strlen(p);
		if (n == 2 && p[0] == '.' && p[1] == '.') {
			xvm_buf_release(&b);
			xvm_err_set(err, XVM_ERR_INVALID_ARG, "'%s' is outside "
			    "the install tree", path);
			return NULL;
		}
		if (!(n == 1 && p[0] == '.')) {
			if (b.len)
				xvm_buf_putc(&b, '/');
			xvm_buf_add(&b, p, n);
		}
		p += n;
	}
	return xvm_buf_steal(&b);
}

/* ---- the local directory --------------------------------------------------- */

struct dir_priv {
	char *root;
};

static char *
dir_file(struct xvm_media *m, const char *path, struct xvm_err *err)
{
	struct dir_priv *d = m->priv;
	char *rel = media_clean_path(path, err), *full;

	if (!rel)
		return NULL;
	full = xvm_asprintf("%s/%s", d->root, rel);
	free(rel);
	return full;
}

static int
dir_exists(struct xvm_media *m, const char *path, struct xvm_err *err)
{
	char *f = dir_file(m, path, err);
	struct stat st;
	int r;

	if (!f)
		return -1;
	if (stat(f, &st) == 0)
		r = 1;
	else if (errno == ENOENT || errno == ENOTDIR)
		r = 0;
	else
		r = xvm_err_sys(err, errno, "cannot look at '%s'", f);
	free(f);
	return r;
}

static int
dir_get(struct xvm_media *m, const char *path, struct media_sink *sink,
    struct xvm_err *err)
{
	char *f = dir_file(m, path, err), buf[65536];
	struct stat st;
	ssize_t n;
	int fd, r = -1;

	if (!f)
		return -1;
	if ((fd = open(f, O_RDONLY | O_CLOEXEC)) < 0) {
		xvm_err_sys(err, errno, "cannot open '%s'", f);
		if (errno == ENOENT || errno == ENOTDIR)
			err->code = XVM_ERR_NOT_FOUND;
		free(f);
		return -1;
	}
	if (fstat(fd, &st) == 0 && !S_ISREG(st.st_mode)) {
		xvm_err_set(err, XVM_ERR_INVALID_ARG, "'%s' is not a file", f);
		goto out;
	}
	sink->total = (uint64_t)st.st_size;
	if (sink->offset && lseek(fd, (off_t)sink->offset, SEEK_SET) < 0) {
		xvm_err_sys(err, errno, "cannot seek in '%s'", f);
		goto out;
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		if (sink->write(sink, buf, (size_t)n, err) < 0)
			goto out;
	if (n < 0) {
		xvm_err_sys(err, errno, "cannot read '%s'", f);
		goto out;
	}
	r = 0;
out:
	close(fd);
	free(f);
	return r;
}

static void
dir_close(struct xvm_media *m)
{
	struct dir_priv *d = m->priv;

	if (d)
		free(d->root);
	free(d);
}

static const struct media_ops dir_ops = {
	dir_exists, dir_get, dir_close,
};

int
media_open_dir(struct xvm_media *m, const char *dir, struct xvm_err *err)
{
	struct dir_priv *d = xvm_calloc(1, sizeof(*d));
	size_t n = strlen(dir);

	(void)err;
	while (n > 1 && dir[n - 1] == '/')
		n--;
	d->root = xvm_strndup(dir, n);
	m->ops = &dir_ops;
	m->kind = XVM_MEDIA_DIR;
	m->priv = d;
	return 0;
}

/* ---- opening ------------------------------------------------------------- */

/* ISO 9660 ("CD001") or UDF ("BEA01", "NSR02/3") at sector 16 */
static int
looks_like_iso(const char *file, struct xvm_err *err)
{
	char id[6] = "";
	int fd = open(file, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return xvm_err_sys(err, errno, "cannot open '%s'", file);
	n = pread(fd, id, 5, 16 * 2048 + 1);
	close(fd);
	if (n < 0)
		return xvm_err_sys(err, errno, "cannot read '%s'", file);
	return n == 5 && (memcmp(id, "CD001", 5) == 0 ||
	    memcmp(id, "BEA01", 5) == 0 || memcmp(id, "NSR02", 5) == 0 ||
	    memcmp(id, "NSR03", 5) == 0);
}

/* a location naming an ISO image rather than a tree: "....iso[?args]" */
static bool
names_iso(const char *loc)
{
	size_t n = strcspn(loc, "?");

	return n > 4 && strncasecmp(loc + n - 4, ".iso", 4) == 0;
}

/*
 * A remote ISO image: fetched whole (with resume, timeouts, progress)
 * into a private temporary file, then read as a local one; the copy goes
 * at close.  The parent directory is opened as the tree it sits in.
 */
static int
open_remote_iso(struct xvm_media *m, const char *url, struct xvm_err *err)
{
	size_t q = strcspn(url, "?");
	const char *slash = url + q;
	struct xvm_media *dir = NULL;
	char *parent, *base, *tmp;
	const char *t = getenv("TMPDIR");
	int fd, iso, r = -1;

	while (slash > url && *slash != '/')
		slash--;
	base = xvm_strndup(slash + 1, (size_t)(url + q - slash - 1));
	parent = xvm_asprintf("%.*s%s", (int)(slash - url), url, url + q);
	tmp = xvm_asprintf("%s/xvm-iso-XXXXXX", t && *t ? t : "/tmp");
	if ((fd = mkstemp(tmp)) < 0) {
		xvm_err_sys(err, errno, "cannot create a file for a copy of "
		    "'%s'", url);
		goto out;
	}
	close(fd);
	if (xvm_media_open(parent, &m->opts, &dir, err) < 0 ||
	    xvm_media_fetch(dir, base, tmp, err) < 0)
		goto out;
	if ((iso = looks_like_iso(tmp, err)) <= 0) {
		if (iso == 0)
			xvm_err_set(err, XVM_ERR_INVALID_ARG, "install location "
			    "'%s' is not an ISO image", url);
		goto out;
	}
	if (media_open_iso(m, tmp, err) < 0)
		goto out;
	m->tmpfile = tmp;
	tmp = NULL;
	r = 0;
out:
	xvm_media_close(dir);
	if (tmp) {
		unlink(tmp);
		free(tmp);
	}
	free(parent);
	free(base);
	return r;
}

static bool
has_scheme(const char *loc, const char *scheme)
{
	size_t n = strlen(scheme);

	return strncasecmp(loc, scheme, n) == 0;
}

int
xvm_media_open(const char *location, const struct xvm_media_opts *opts,
    struct xvm_media **m_r, struct xvm_err *err)
{
	struct xvm_media *m;
	const char *local = NULL;
	struct stat st;
	int r, iso;

	*m_r = NULL;
	if (location == NULL || location[0] == '\0')
		return xvm_err_set(err, XVM_ERR_INVALID_ARG, "no install "
		    "location given");
	m = xvm_calloc(1, sizeof(*m));
	if (opts)
		m->opts = *opts;
	if (m->opts.connect_timeout_s == 0)
		m->opts.connect_timeout_s = 10;
	if (m->opts.stall_timeout_s == 0)
		m->opts.stall_timeout_s = 20;
	if (m->opts.retries == 0)
		m->opts.retries = 3;

	if ((has_scheme(location, "http://") || has_scheme(location,
	    "https://") || has_scheme(location, "ftp://")) &&
	    names_iso(location)) {
		m->location = xvm_strdup(location);
		r = open_remote_iso(m, m->location, err);
	} else if (has_scheme(location, "http://") || has_scheme(location,
	    "https://") || has_scheme(location, "ftp://")) {
		m->location = xvm_strdup(location);
		r = media_open_curl(m, m->location, err);
	} else if (has_scheme(location, "nfs://")) {
		m->location = xvm_strdup(location);
		r = names_iso(location) ? open_remote_iso(m, m->location,
		    err) : media_open_nfs(m, m->location, err);
	} else if (has_scheme(location, "nfs:")) {
		/* the guide's nfs:HOST:/PATH */
		const char *host = location + 4, *colon = strchr(host, ':');

		if (!colon || colon == host || colon[1] != '/') {
			free(m);
			return xvm_err_set(err, XVM_ERR_INVALID_ARG, "NFS "
			    "location '%s' is not nfs:HOST:/PATH or "
			    "nfs://HOST/PATH", location);
		}
		m->location = xvm_asprintf("nfs://%.*s%s", (int)(colon - host),
		    host, colon + 1);
		r = names_iso(m->location) ? open_remote_iso(m, m->location,
		    err) : media_open_nfs(m, m->location, err);
	} else if (strstr(location, "://") != NULL && !has_scheme(location,
	    "file://")) {
		xvm_err_set(err, XVM_ERR_INVALID_ARG, "install location '%s': "
		    "unsupported URL scheme (want a path, http://, https://, "
		    "ftp://, nfs:HOST:/PATH or nfs://HOST/PATH)", location);
		free(m);
		return -1;
	} else {
		local = has_scheme(location, "file://") ? location + 7 :
		    location;
		m->location = xvm_strdup(local);
		if (stat(local, &st) < 0) {
			xvm_err_sys(err, errno, "cannot open install location "
			    "'%s'", local);
			if (errno == ENOENT)
				err->code = XVM_ERR_NOT_FOUND;
			r = -1;
		} else if (S_ISDIR(st.st_mode)) {
			r = media_open_dir(m, local, err);
		} else if ((iso = looks_like_iso(local, err)) < 0) {
			r = -1;
		} else if (iso) {
			r = media_open_iso(m, local, err);
		} else {
			r = xvm_err_set(err, XVM_ERR_INVALID_ARG, "install "
			    "location '%s' is neither a directory nor an ISO "
			    "image", local);
		}
	}
	if (r < 0) {
		free(m->location);
		free(m);
		return -1;
	}
	*m_r = m;
	return 0;
}

void
xvm_media_close(struct xvm_media *m)
{
	if (m == NULL)
		return;
	if (m->ops && m->ops->close)
		m->ops->close(m);
	if (m->tmpfile) {
		unlink(m->tmpfile);
		free(m->tmpfile);
	}
	free(m->location);
	free(m);
}

const char *
xvm_media_iso_file(const struct xvm_media *m)
{
	if (m->kind != XVM_MEDIA_ISO)
		return NULL;
	return m->tmpfile ? m->tmpfile : m->location;
}

enum xvm_media_kind
xvm_media_kind(const struct xvm_media *m)
{
	return m->kind;
}

const char *
xvm_media_location(const struct xvm_media *m)
{
	return m->location;
}

int
xvm_media_exists(struct xvm_media *m, const char *path, struct xvm_err *err)
{
	return m->ops->exists(m, path, err);
}

/* ---- transfers --------------------------------------------------------------- */

struct xfer {
	struct xvm_media *m;
	const char *name;		/* for progress: the file's last part */
	uint64_t reported;		/* progress last told at */
	struct xvm_buf *mem;		/* into memory ... */
	size_t max;
	int fd;				/* ... or into a file */
};

static void
progress(struct xfer *x, struct media_sink *s, bool final)
{
	uint64_t done = s->offset;

	if (!x->m->opts.progress)
		return;
	/* every 256 KiB at most, and always the start and the end */
	if (!final && done != 0 && done - x->reported < 256 * 1024)
		return;
	x->reported = done;
	x->m->opts.progress(x->m->opts.progress_arg, x->name, done,
	    final && s->total == 0 ? done : s->total);
}

static int
xfer_write(struct media_sink *s, const void *data, size_t len,
    struct xvm_err *err)
{
	struct xfer *x = s->arg;
	const char *p = data;
	ssize_t n;

	if (x->mem) {
		if (x->mem->len + len > x->max)
			return xvm_err_set(err, XVM_ERR_INVALID_ARG, "'%s' on "
			    "%s is larger than %zu bytes", x->name,
			    x->m->location, x->max);
		xvm_buf_add(x->mem, data, len);
	} else {
		while (len > 0) {
			n = write(x->fd, p, len);
			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0)
				return xvm_err_sys(err, errno, "cannot write "
				    "'%s'", x->name);
			p += n;
			len -= (size_t)n;
			s->offset += (uint64_t)n;
		}
		progress(x, s, false);
		return 0;
	}
	s->offset += len;
	progress(x, s, false);
	return 0;
}

/* The file through the back end, resumed after drops. */
static int
xfer_run(struct xfer *x, const char *path, struct xvm_err *err)
{
	struct media_sink s = { xfer_write, 0, 0, x };
	unsigned tries = 0;
	uint64_t before;
	int r;

	progress(x, &s, false);
	for (;;) {
		before = s.offset;
		r = x->m->ops->get(x->m, path, &s, err);
		if (r != MEDIA_RESUMABLE)
			break;
		/* a drop with nothing new counts against the retries */
		if (s.offset == before && ++tries > x->m->opts.retries)
			return -1;
		if (s.offset != before)
			tries = 0;
		xvm_err_clear(err);
	}
	if (r < 0)
		return -1;
	progress(x, &s, true);
	return 0;
}

static const char *
base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s && s[1] ? s + 1 : path;
}

int
xvm_media_read(struct xvm_media *m, const char *path, size_t max,
    char **data_r, size_t *len_r, struct xvm_err *err)
{
	struct xvm_buf b = XVM_BUF_INIT;
	struct xfer x = { m, base_name(path), 0, &b, max, -1 };

	*data_r = NULL;
	*len_r = 0;
	if (xfer_run(&x, path, err) < 0) {
		xvm_buf_release(&b);
		return -1;
	}
	*len_r = b.len;
	*data_r = xvm_buf_steal(&b);
	return 0;
}

int
xvm_media_fetch(struct xvm_media *m, const char *path, const char *dest,
    struct xvm_err *err)
{
	struct xfer x = { m, base_name(path), 0, NULL, 0, -1 };
	char *tmp = xvm_asprintf("%s.partXXXXXX", dest);
	int r = -1;

	if ((x.fd = mkostemp(tmp, O_CLOEXEC)) < 0) {
		xvm_err_sys(err, errno, "cannot create a file beside '%s'",
		    dest);
		free(tmp);
		return -1;
	}
	if (fchmod(x.fd, 0644) < 0 || xfer_run(&x, path, err) < 0)
		goto out;
	/*
	 * Complete before it is renamed into place, but not forced to the
	 * disk: what is fetched is a copy of the media, fetched again
	 * after a crash (and a gigabyte's fsync costs more than its fetch).
	 */
	if (rename(tmp, dest) < 0) {
		xvm_err_sys(err, errno, "cannot rename '%s' to '%s'", tmp,
		    dest);
		goto out;
	}
	r = 0;
out:
	close(x.fd);
	if (r < 0)
		unlink(tmp);
	free(tmp);
	return r;
}

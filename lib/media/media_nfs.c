/*
 * media_nfs.c - install trees on NFS servers, read with libnfs: nothing is
 * mounted on this host and no privilege is needed.
 *
 * The location is nfs://HOST/PATH[?ARGS] (media.c has already turned the
 * guide's nfs:HOST:/PATH into that).  ARGS are libnfs's URL arguments
 * (version=3|4, nfsport=N, mountport=N, uid=N, ...) and keep working.
 * The server is first asked on the first request.  Without version=, NFSv3
 * is tried first, as libnfs does, and NFSv4 after it unless the server
 * could not be reached in time.  For NFSv3, PATH may be an export followed
 * by a directory in it: when the server will not mount PATH itself, its
 * parents are mounted, the longest first, and the rest is looked up.
 *
 * libnfs is driven through its asynchronous interface from a loop of our
 * own, so that every wait is bounded: the mount by the connect timeout, and
 * every other request by the stall timeout, counted from the last byte the
 * server sent.  libnfs reconnects by itself forever by default; here it
 * does not: a lost connection ends the request, and the core asks again
 * (MEDIA_RESUMABLE) on a new one.
 */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <nfsc/libnfs.h>

#include "media/media_int.h"

#define NFS_CHUNK_DEFAULT	(256 * 1024)
#define NFS_CHUNK_MAX		(1024 * 1024)

struct nfs_priv {
	char *url;		/* the location, with its arguments */
	char *base;		/* nfs://HOST/PATH without them, for messages */
	char *server;
	char *path;		/* "/export/tree" */
	int version;		/* version= of the URL, else 0 (3, then 4) */

	struct nfs_context *nfs;	/* NULL: not connected */
	int mounted;		/* the version mounted; reconnects use it */
	char *export;		/* what was mounted ... */
	char *sub;		/* ... and path below it ("" or "/tree") */
	size_t chunk;		/* bytes per READ */
	struct nfsfh *fh;	/* the file open now */
};

/* One request to libnfs and how it ended. */
enum call_op { CALL_MOUNT, CALL_STAT, CALL_OPEN, CALL_READ, CALL_CLOSE };

struct call {
	enum call_op op;
	bool done;
	int status;		/* libnfs's: >= 0 done, -errno failed */
	bool lost;		/* the connection broke (or never came) */
	bool timed_out;		/* the server said nothing for too long */
	int sock_errno;		/* the socket's error, when there was one */
	char detail[256];	/* libnfs's text for a failure */
	struct nfs_stat_64 st;	/* CALL_STAT */
	struct nfsfh *fh;	/* CALL_OPEN */
	char *buf;		/* CALL_READ: where the bytes go ... */
	size_t len;		/* ... and how many fit */
};

static void
call_init(struct call *c, enum call_op op)
{
	memset(c, 0, sizeof(*c));
	c->op = op;
}

static void
call_done(int status, struct nfs_context *nfs, void *data, void *arg)
{
	struct call *c = arg;
	const char *e;
	size_t n;

	c->done = true;
	c->status = status;
	if (status < 0) {
		/* data is not always a string here: take libnfs's own */
		e = nfs ? nfs_get_error(nfs) : NULL;
		snprintf(c->detail, sizeof(c->detail), "%s", e ? e : "");
		return;
	}
	switch (c->op) {
	case CALL_STAT:
		memcpy(&c->st, data, sizeof(c->st));
		break;
	case CALL_OPEN:
		c->fh = data;
		break;
	case CALL_READ:
		n = (size_t)status;
		if (n > c->len)
			n = c->len;
		if (n > 0)
			memcpy(c->buf, data, n);
		c->status = (int)n;
		break;
	default:
		break;
	}
}

static void
ignore_done(int status, struct nfs_context *nfs, void *data, void *arg)
{
	(void)status;
	(void)nfs;
	(void)data;
	(void)arg;
}

/*
 * Forget the connection: the file open on it is closed (freed, since the
 * close is cancelled with everything else still queued), and every request
 * still waiting is called back with an error before this returns.
 */
static void
nfs_drop(struct nfs_priv *p)
{
	if (p->nfs == NULL)
		return;
	if (p->fh)
		nfs_close_async(p->nfs, p->fh, ignore_done, NULL);
	p->fh = NULL;
	nfs_destroy_context(p->nfs);
	p->nfs = NULL;
}

/*
 * Serve the connection until c is done, allowing limit_s seconds without a
 * byte from the server.  On a timeout or a broken connection the
 * connection is dropped.  0 when c succeeded, else -1.
 */
static int
nfs_wait(struct nfs_priv *p, struct call *c, unsigned limit_s)
{
	double last = xvm_mono_ms(), now;
	struct pollfd pfd;
	socklen_t sl;
	int e, n;

	while (!c->done) {
		now = xvm_mono_ms();
		if (now - last >= limit_s * 1000.0) {
			nfs_drop(p);
			c->done = true;
			c->timed_out = true;
			c->status = -ETIMEDOUT;
			break;
		}
		pfd.fd = nfs_get_fd(p->nfs);
		pfd.events = (short)nfs_which_events(p->nfs);
		pfd.revents = 0;
		n = poll(&pfd, 1, 100);
		if (n < 0 && errno != EINTR) {
			c->lost = true;
			nfs_drop(p);
			break;
		}
		if (pfd.revents & POLLIN)
			last = xvm_mono_ms();
		if ((pfd.revents & POLLERR) && pfd.fd >= 0) {
			e = 0;
			sl = sizeof(e);
			if (getsockopt(pfd.fd, SOL_SOCKET, SO_ERROR, &e,
			    &sl) == 0 && e != 0)
				c->sock_errno = e;
		}
		if (nfs_service(p->nfs, pfd.revents) < 0) {
			/* libnfs has failed what was waiting, or will */
			c->lost = true;
			nfs_drop(p);
			break;
		}
	}
	if (!c->done) {
		c->done = true;
		c->status = -EIO;
	}
	if (c->lost || c->timed_out)
		c->status = c->status < 0 ? c->status : -EIO;
	return c->status < 0 ? -1 : 0;
}

/* ---- messages ------------------------------------------------------------ */

/* libnfs's text on one line, for what we have no words of our own */
static const char *
one_line(char *s)
{
	char *q;

	for (q = s; *q; q++)
		if (*q == '\n' || *q == '\r' || *q == '\t')
			*q = ' ';
	return s;
}

static const char *
errno_words(int e)
{
	switch (e) {
	case ENOENT:
		return "no such file or directory";
	case EACCES:
	case EPERM:
		return "permission denied";
	case ENOTDIR:
		return "not a directory";
	case EISDIR:
		return "is a directory";
	case ECONNREFUSED:
		return "connection refused";
	case ECONNRESET:
		return "connection reset by the server";
	case EHOSTUNREACH:
		return "no route to host";
	case ENETUNREACH:
		return "network is unreachable";
	case ETIMEDOUT:
		return "timed out";
	case EPROTONOSUPPORT:
		return "the server does not offer this NFS version";
	default:
		return NULL;
	}
}

/* Why c failed, in words; limit_s is the time it was allowed. */
static const char *
why(struct call *c, unsigned limit_s, char *buf, size_t size)
{
	const char *w;

	if (c->timed_out) {
		if (c->op == CALL_READ)
			snprintf(buf, size, "no data for %u s", limit_s);
		else
			snprintf(buf, size, "timed out after %u s", limit_s);
		return buf;
	}
	if (c->sock_errno && (w = errno_words(c->sock_errno)))
		return w;
	if (c->lost)
		return "the connection to the server was lost";
	if (c->status < 0 && (w = errno_words(-c->status)))
		return w;
	if (c->detail[0]) {
		snprintf(buf, size, "%s", one_line(c->detail));
		return buf;
	}
	snprintf(buf, size, "%s", strerror(-c->status));
	return buf;
}

/* The URL of path in the tree, for messages. */
static char *
file_url(struct nfs_priv *p, const char *rel)
{
	return xvm_asprintf("%s%s%s", p->base, *rel ? "/" : "", rel);
}

/* ---- mounting ------------------------------------------------------------ */

/* The value of URL argument name ("version"), or NULL. */
static char *
url_arg(const char *url, const char *name)
{
	const char *q = strchr(url, '?'), *e;
	size_t n = strlen(name);

	while (q && *q) {
		q++;
		e = strchr(q, '&');
		if (strncmp(q, name, n) == 0 && q[n] == '=')
			return e ? xvm_strndup(q + n + 1, (size_t)(e - q - n -
			    1)) : xvm_strdup(q + n + 1);
		q = e;
	}
	return NULL;
}

/* A new context with our settings and then the URL's. */
static struct nfs_context *
nfs_new(struct nfs_priv *p, struct nfs_url **url_r)
{
	struct nfs_context *nfs = nfs_init_context();
	struct nfs_url *u;

	if (nfs == NULL)
		return NULL;
	/* a broken connection fails the request: the core resumes */
	nfs_set_autoreconnect(nfs, 0);
	u = nfs_parse_url_dir(nfs, p->url);
	if (url_r)
		*url_r = u;
	else
		nfs_destroy_url(u);
	return nfs;
}

/* Mount export with version on a new connection: c tells how it went. */
static int
mount_once(struct xvm_media *m, int version, const char *export,
    struct call *c)
{
	struct nfs_priv *p = m->priv;
	const char *e;

	call_init(c, CALL_MOUNT);
	if ((p->nfs = nfs_new(p, NULL)) == NULL) {
		c->status = -ENOMEM;
		return -1;
	}
	nfs_set_version(p->nfs, version);
	if (nfs_mount_async(p->nfs, p->server, export, call_done, c) != 0) {
		e = nfs_get_error(p->nfs);
		snprintf(c->detail, sizeof(c->detail), "%s", e ? e : "");
		c->status = -EIO;
		c->lost = true;
		nfs_drop(p);
		return -1;
	}
	if (nfs_wait(p, c, m->opts.connect_timeout_s) < 0) {
		nfs_drop(p);
		return -1;
	}
	return 0;
}

/* The server answered, and would not mount that path. */
static bool
refused(const struct call *c)
{
	int e = -c->status;

	return !c->lost && !c->timed_out && (e == EACCES || e == EPERM ||
	    e == ENOENT || e == ENOTDIR || e == EINVAL);
}

/* NFSv3: path, else its longest parent the server will mount. */
static int
mount_v3(struct xvm_media *m, struct call *first)
{
	struct nfs_priv *p = m->priv;
	char *exp = xvm_strdup(p->path), *s;
	struct call c;
	int r;

	for (;;) {
		r = mount_once(m, 3, exp, &c);
		if (r == 0)
			break;
		if (strcmp(exp, p->path) == 0)
			*first = c;
		else if (!refused(&c))
			*first = c;	/* a parent could not even be asked */
		if (!refused(&c) || strcmp(exp, "/") == 0)
			break;
		s = strrchr(exp, '/');
		s[s == exp] = '\0';
	}
	if (r == 0) {
		free(p->export);
		p->export = exp;
		free(p->sub);
		p->sub = xvm_strdup(p->path + (strcmp(exp, "/") == 0 ? 0 :
		    strlen(exp)));
		return 0;
	}
	free(exp);
	return -1;
}

/* Connected and mounted, or err set; *conn_r: failed for the connection. */
static int
nfs_connect(struct xvm_media *m, bool *conn_r, struct xvm_err *err)
{
	struct nfs_priv *p = m->priv;
	struct addrinfo hints, *ai;
	struct call c, c3;
	char buf[300];
	uint64_t rmax;
	int r, gai;

	*conn_r = false;
	if (p->nfs)
		return 0;
	if (p->mounted) {
		/* again, after a drop: what worked before */
		if (mount_once(m, p->mounted, p->export, &c) == 0)
			return 0;
		*conn_r = c.lost || c.timed_out;
		return xvm_err_set(err, XVM_ERR_OPERATION_FAILED, "cannot "
		    "mount '%s' again: %s", p->base,
		    why(&c, m->opts.connect_timeout_s, buf, sizeof(buf)));
	}

	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = SOCK_STREAM;
	if ((gai = getaddrinfo(p->server, NULL, &hints, &ai)) != 0) {
		*conn_r = gai == EAI_AGAIN;
		return xvm_err_set(err, XVM_ERR_OPERATION_FAILED, "cannot "
		    "mount '%s': unknown host '%s'", p->base, p->server);
	}
	freeaddrinfo(ai);

	/*
	 * NFSv3 first, as libnfs and the install servers of the Sun xVM
	 * guide's day: an install tree is read, never locked, and v3 reads
	 * it faster; then NFSv4 unless v3 was asked for or the server did
	 * not answer in time.
	 */
	call_init(&c3, CALL_MOUNT);
	r = -1;
	if (p->version != 4) {
		r = mount_v3(m, &c3);
		c = c3;
		if (r == 0)
			p->mounted = 3;
	}
	if (r < 0 && p->version != 3 && !c3.timed_out) {
		r = mount_once(m, 4, p->path, &c);
		if (r == 0) {
			p->mounted = 4;
			free(p->export);
			p->export = xvm_strdup(p->path);
			free(p->sub);
			p->sub = xvm_strdup("");
		} else if (p->version == 0 && c.lost && !c3.lost) {
			c = c3;	/* no v4 there at all: v3's answer says more */
		}
	}
	if (r < 0) {
		*conn_r = c.lost || c.timed_out;
		if (refused(&c) && (c.status == -ENOENT ||
		    c.status == -ENOTDIR))
			return xvm_err_set(err, XVM_ERR_NOT_FOUND, "cannot "
			    "mount '%s': no such directory on the server",
			    p->base);
		return xvm_err_set(err, XVM_ERR_OPERATION_FAILED, "cannot "
		    "mount '%s': %s%s", p->base, refused(&c) ? "server "
		    "refused the mount: " : "", why(&c,
		    m->opts.connect_timeout_s, buf, sizeof(buf)));
	}

	rmax = nfs_get_readmax(p->nfs);
	p->chunk = rmax == 0 ? NFS_CHUNK_DEFAULT : rmax > NFS_CHUNK_MAX ?
	    NFS_CHUNK_MAX : rmax < 4096 ? 4096 : (size_t)rmax;

	/* the tree: a directory below the export mounted, or the export */
	call_init(&c, CALL_STAT);
	if (nfs_stat64_async(p->nfs, p->sub[0] ? p->sub : "/", call_done,
	    &c) != 0 || nfs_wait(p, &c, m->opts.stall_timeout_s) < 0) {
		*conn_r = c.lost || c.timed_out;
		nfs_drop(p);
		p->mounted = 0;
		if (c.status == -ENOENT || c.status == -ENOTDIR)
			return xvm_err_set(err, XVM_ERR_NOT_FOUND, "cannot "
			    "mount '%s': no such directory on the server",
			    p->base);
		return xvm_err_set(err, XVM_ERR_OPERATION_FAILED, "cannot "
		    "mount '%s': %s", p->base, why(&c, m->opts.stall_timeout_s,
		    buf, sizeof(buf)));
	}
	if (!S_ISDIR(c.st.nfs_mode)) {
		nfs_drop(p);
		p->mounted = 0;
		return xvm_err_set(err, XVM_ERR_INVALID_ARG, "cannot mount "
		    "'%s': not a directory", p->base);
	}
	return 0;
}

/* ---- requests ------------------------------------------------------------ */

/*
 * Ask for what c needs about rel (by start) and wait for it: on a
 * connection of an earlier request that turns out to be dead, once more on
 * a new one.  -1 with c->done false: no connection (err set).
 */
typedef int nfs_start_fn(struct nfs_context *nfs, const char *file,
    struct call *c);

static int
start_stat(struct nfs_context *nfs, const char *file, struct call *c)
{
	return nfs_stat64_async(nfs, file, call_done, c);
}

static int
start_open(struct nfs_context *nfs, const char *file, struct call *c)
{
	return nfs_open_async(nfs, file, O_RDONLY, call_done, c);
}

static int
nfs_ask(struct xvm_media *m, nfs_start_fn *start, enum call_op op,
    const char *rel, struct call *c, bool *conn_r, struct xvm_err *err)
{
	struct nfs_priv *p = m->priv;
	const char *e;
	char *file;
	bool fresh;
	int tries, r;

	call_init(c, op);
	for (tries = 0; tries < 2; tries++) {
		fresh = p->nfs == NULL;
		if (nfs_connect(m, conn_r, err) < 0)
			return -1;
		call_init(c, op);
		file = *rel ? xvm_asprintf("%s/%s", p->sub, rel) :
		    xvm_strdup(p->sub[0] ? p->sub : "/");
		r = start(p->nfs, file, c);
		free(file);
		if (r != 0) {
			e = nfs_get_error(p->nfs);
			snprintf(c->detail, sizeof(c->detail), "%s",
			    e ? e : "");
			c->done = true;
			c->status = -EIO;
			return -1;
		}
		if (nfs_wait(p, c, m->opts.stall_timeout_s) == 0)
			return 0;
		/* a connection left from before may have been closed */
		if (!(c->lost && !fresh))
			break;
	}
	*conn_r = c->lost || c->timed_out;
	return -1;
}

static int
nfs_exists(struct xvm_media *m, const char *path, struct xvm_err *err)
{
	struct nfs_priv *p = m->priv;
	char *rel = media_clean_path(path, err), *url, buf[300];
	struct call c;
	bool conn;
	int r;

	if (rel == NULL)
		return -1;
	if (nfs_ask(m, start_stat, CALL_STAT, rel, &c, &conn, err) == 0)
		r = 1;
	else if (!c.done)
		r = -1;		/* err set: no connection */
	else if (!c.lost && !c.timed_out && (c.status == -ENOENT ||
	    c.status == -ENOTDIR))
		r = 0;
	else {
		url = file_url(p, rel);
		r = xvm_err_set(err, XVM_ERR_OPERATION_FAILED, "cannot look "
		    "at '%s': %s", url, why(&c, m->opts.stall_timeout_s, buf,
		    sizeof(buf)));
		free(url);
	}
	free(rel);
	return r;
}

/*
 * The file's bytes from sink->offset: 0, -1 or MEDIA_RESUMABLE.  Up to
 * NFS_DEPTH READs are in flight at once (the server and the network
 * stay busy while the last one is written out), their data written in
 * order.  On a failure the connection is dropped before the buffers go,
 * so no answer still coming can land in them.
 */
#define NFS_DEPTH	8

static int
nfs_read_file(struct xvm_media *m, const char *url, struct media_sink *sink,
    struct xvm_err *err)
{
	struct nfs_priv *p = m->priv;
	struct call *cs = xvm_calloc(NFS_DEPTH, sizeof(*cs));
	uint64_t off[NFS_DEPTH], next = sink->offset, want;
	char *bufs = xvm_malloc(NFS_DEPTH * p->chunk), buf[300];
	unsigned head = 0, inflight = 0, slot;
	const char *e;
	int r = -1;

	while (sink->offset < sink->total) {
		/* keep the pipe full */
		while (inflight < NFS_DEPTH && next < sink->total) {
			slot = (head + inflight) % NFS_DEPTH;
			want = sink->total - next;
			if (want > p->chunk)
				want = p->chunk;
			call_init(&cs[slot], CALL_READ);
			cs[slot].buf = bufs + (size_t)slot * p->chunk;
			cs[slot].len = (size_t)want;
			off[slot] = next;
			if (nfs_pread_async(p->nfs, p->fh, next, want,
			    call_done, &cs[slot]) != 0) {
				e = nfs_get_error(p->nfs);
				snprintf(buf, sizeof(buf), "%s", e ? e : "");
				xvm_err_set(err, XVM_ERR_OPERATION_FAILED,
				    "cannot read '%s': %s", url,
				    one_line(buf));
				goto out;
			}
			next += want;
			inflight++;
		}
		slot = head;
		if (nfs_wait(p, &cs[slot], m->opts.stall_timeout_s) < 0) {
			xvm_err_set(err, XVM_ERR_OPERATION_FAILED, "cannot "
			    "read '%s': %s", url, why(&cs[slot],
			    m->opts.stall_timeout_s, buf, sizeof(buf)));
			if (cs[slot].lost || cs[slot].timed_out)
				r = MEDIA_RESUMABLE;
			goto out;
		}
		head = (head + 1) % NFS_DEPTH;
		inflight--;
		if (cs[slot].status == 0) {
			xvm_err_set(err, XVM_ERR_OPERATION_FAILED, "cannot "
			    "read '%s': it ended at %llu of its %llu bytes "
			    "(changed on the server?)", url,
			    (unsigned long long)sink->offset,
			    (unsigned long long)sink->total);
			goto out;
		}
		if (off[slot] != sink->offset)
			continue;	/* after a short read: asked again */
		if (sink->write(sink, cs[slot].buf, (size_t)cs[slot].status,
		    err) < 0)
			goto out;
		/* a short READ: the rest of that range is asked again, and
		   what was asked beyond it is taken when it comes back */
		if ((size_t)cs[slot].status < cs[slot].len &&
		    next > sink->offset) {
			unsigned k;

			for (k = 0; k < inflight; k++)
				off[(head + k) % NFS_DEPTH] = UINT64_MAX;
			next = sink->offset;
		}
	}
	r = 0;
out:
	/* answers still coming would land in the buffers: drop them */
	if (r != 0 || inflight > 0)
		nfs_drop(p);
	free(bufs);
	free(cs);
	return r;
}

static int
nfs_get(struct xvm_media *m, const char *path, struct media_sink *sink,
    struct xvm_err *err)
{
	struct nfs_priv *p = m->priv;
	char *rel = media_clean_path(path, err), *url, buf[300];
	struct call c;
	bool conn;
	int r = -1;

	if (rel == NULL)
		return -1;
	url = file_url(p, rel);
	if (nfs_ask(m, start_stat, CALL_STAT, rel, &c, &conn, err) < 0) {
		if (c.done && !c.lost && !c.timed_out &&
		    (c.status == -ENOENT || c.status == -ENOTDIR))
			xvm_err_set(err, XVM_ERR_NOT_FOUND, "cannot read "
			    "'%s': no such file", url);
		else if (c.done)
			xvm_err_set(err, XVM_ERR_OPERATION_FAILED, "cannot "
			    "read '%s': %s", url, why(&c,
			    m->opts.stall_timeout_s, buf, sizeof(buf)));
		/* cut short before: the core tries again */
		if (conn && sink->offset > 0)
			r = MEDIA_RESUMABLE;
		goto out;
	}
	if (!S_ISREG(c.st.nfs_mode)) {
		xvm_err_set(err, XVM_ERR_INVALID_ARG, "'%s' is not a file",
		    url);
		goto out;
	}
	if (sink->offset > c.st.nfs_size) {
		xvm_err_set(err, XVM_ERR_OPERATION_FAILED, "cannot read '%s': "
		    "it shrank on the server", url);
		goto out;
	}
	sink->total = c.st.nfs_size;

	if (nfs_ask(m, start_open, CALL_OPEN, rel, &c, &conn, err) < 0) {
		if (c.done)
			xvm_err_set(err, c.status == -ENOENT ?
			    XVM_ERR_NOT_FOUND : XVM_ERR_OPERATION_FAILED,
			    "cannot read '%s': %s", url, c.status == -ENOENT &&
			    !c.lost ? "no such file" : why(&c,
			    m->opts.stall_timeout_s, buf, sizeof(buf)));
		if (conn && sink->offset > 0)
			r = MEDIA_RESUMABLE;
		goto out;
	}
	p->fh = c.fh;
	r = nfs_read_file(m, url, sink, err);

	if (p->nfs && p->fh) {
		/* v4 forgets the open on the server; errors do not matter */
		call_init(&c, CALL_CLOSE);
		if (nfs_close_async(p->nfs, p->fh, call_done, &c) == 0) {
			p->fh = NULL;
			nfs_wait(p, &c, m->opts.stall_timeout_s);
		} else {
			nfs_drop(p);
		}
	}
out:
	free(url);
	free(rel);
	return r;
}

static void
nfs_close_media(struct xvm_media *m)
{
	struct nfs_priv *p = m->priv;

	if (p == NULL)
		return;
	nfs_drop(p);
	free(p->url);
	free(p->base);
	free(p->server);
	free(p->path);
	free(p->export);
	free(p->sub);
	free(p);
}

static const struct media_ops nfs_ops = {
	nfs_exists, nfs_get, nfs_close_media,
};

int
media_open_nfs(struct xvm_media *m, const char *url, struct xvm_err *err)
{
	struct nfs_context *nfs;
	struct nfs_url *u = NULL;
	struct nfs_priv *p;
	char *v = url_arg(url, "version"), *path;
	struct xvm_err ignore;
	int r = -1;

	if (v && strcmp(v, "3") != 0 && strcmp(v, "4") != 0) {
		xvm_err_set(err, XVM_ERR_INVALID_ARG, "NFS location '%s': "
		    "version=%s is not 3 or 4", url, v);
		free(v);
		return -1;
	}
	p = xvm_calloc(1, sizeof(*p));
	p->url = xvm_strdup(url);
	p->version = v ? atoi(v) : 0;
	free(v);
	if ((nfs = nfs_new(p, &u)) == NULL) {
		xvm_err_set(err, XVM_ERR_INTERNAL, "cannot set up libnfs");
		goto out;
	}
	if (u == NULL || u->server == NULL || u->path == NULL) {
		xvm_err_set(err, XVM_ERR_INVALID_ARG, "NFS location '%s' is "
		    "not nfs://HOST/PATH", url);
		goto out;
	}
	if ((path = media_clean_path(u->path, &ignore)) == NULL) {
		xvm_err_set(err, XVM_ERR_INVALID_ARG, "NFS location '%s': "
		    "'..' in the path", url);
		goto out;
	}
	p->server = xvm_strdup(u->server);
	p->path = xvm_asprintf("/%s", path);
	p->base = xvm_asprintf("nfs://%s%s", p->server, strcmp(p->path,
	    "/") == 0 ? "" : p->path);
	free(path);
	m->ops = &nfs_ops;
	m->kind = XVM_MEDIA_NFS;
	m->priv = p;
	p = NULL;
	r = 0;
out:
	nfs_destroy_url(u);
	if (nfs)
		nfs_destroy_context(nfs);
	if (p) {
		m->priv = p;
		nfs_close_media(m);
		m->priv = NULL;
	}
	return r;
}

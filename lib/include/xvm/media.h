/*
 * media.h - install media: a location virt-install is given (a local
 * directory or ISO image, http://, https://, ftp://, nfs:HOST:/PATH or
 * nfs://HOST/PATH) opened as a tree of files that can be tested, read
 * into memory and fetched to local files.
 *
 * Network reads are bounded: a connection that cannot be made within the
 * connect timeout, or a transfer that moves no byte for the stall
 * timeout, fails with one error naming the URL; a transfer cut short is
 * resumed where it stopped (up to `retries` times) before it fails.
 * Nothing here prints: progress goes to the caller's callback.
 */
#ifndef XVM_MEDIA_H
#define XVM_MEDIA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "xvm/err.h"

enum xvm_media_kind {
	XVM_MEDIA_DIR,		/* a local directory (an install tree) */
	XVM_MEDIA_ISO,		/* a local ISO 9660 / UDF image (libarchive) */
	XVM_MEDIA_HTTP,		/* http:// and https:// (libcurl) */
	XVM_MEDIA_FTP,		/* ftp:// (libcurl) */
	XVM_MEDIA_NFS,		/* nfs:HOST:/PATH, nfs://HOST/PATH (libnfs) */
};

/*
 * Progress of one file: done of total bytes (total 0: not known);
 * called at the start (done 0), now and then, and once at the end with
 * done == total.
 */
typedef void xvm_media_progress_fn(void *arg, const char *name,
    uint64_t done, uint64_t total);

struct xvm_media_opts {
	bool insecure;			/* https: do not verify certificates */
	unsigned connect_timeout_s;	/* 0: 10 s */
	unsigned stall_timeout_s;	/* 0: 20 s without a byte */
	unsigned retries;		/* resumes after a drop; 0: 3 */
	xvm_media_progress_fn *progress;	/* NULL: none */
	void *progress_arg;
};

struct xvm_media;

/*
 * Open a location.  A local path is a directory or an ISO image (told by
 * its content, not its name); a URL's scheme picks the rest.  A remote
 * location is not contacted here beyond what naming it needs: the first
 * read reports an unreachable server.
 */
int xvm_media_open(const char *location, const struct xvm_media_opts *opts,
    struct xvm_media **m_r, struct xvm_err *err);
void xvm_media_close(struct xvm_media *m);		/* NULL-safe */

enum xvm_media_kind xvm_media_kind(const struct xvm_media *m);
/* The location as given, normalised (nfs:HOST:/P becomes nfs://HOST/P). */
const char *xvm_media_location(const struct xvm_media *m);
/*
 * An ISO location's image on this host: the file itself, or the local
 * copy of a remote one (http://, ftp:// or NFS URL ending in .iso, fetched
 * whole when opened and removed at close).  NULL for a tree.
 */
const char *xvm_media_iso_file(const struct xvm_media *m);

/*
 * path is relative to the tree's root ("images/pxeboot/vmlinuz"; a
 * leading '/' is allowed).  exists: 1 yes, 0 no, -1 error (the server
 * could not be asked).
 */
int xvm_media_exists(struct xvm_media *m, const char *path,
    struct xvm_err *err);
/* The whole file into memory (caller frees; NUL-terminated); at most max. */
int xvm_media_read(struct xvm_media *m, const char *path, size_t max,
    char **data_r, size_t *len_r, struct xvm_err *err);
/*
 * The file written to dest: through a temporary file beside it, renamed
 * into place when complete; dest is never left half-written, and an
 * existing dest is only replaced by a complete copy.
 */
int xvm_media_fetch(struct xvm_media *m, const char *path, const char *dest,
    struct xvm_err *err);

#endif

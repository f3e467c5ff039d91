/*
 * media_int.h - what the media back ends (dir, iso, curl, nfs) give the
 * core (media.c): a test for a file and a stream of its bytes.
 *
 * The core owns everything else: choosing the back end, reading into
 * memory, writing a file atomically, resuming a transfer that was cut
 * short, and reporting progress.
 */
#ifndef XVM_MEDIA_INT_H
#define XVM_MEDIA_INT_H

#include "xvm/media.h"
#include "xvm/util.h"

/* Where a back end's bytes go. */
struct media_sink {
	/* a chunk of the file; -1 (err set) stops the transfer */
	int (*write)(struct media_sink *s, const void *data, size_t len,
	    struct xvm_err *err);
	uint64_t offset;	/* bytes already there: start from here */
	uint64_t total;		/* the file's size once known, else 0 */
	void *arg;		/* the core's */
};

/* get's result besides 0 and -1: cut short, worth resuming */
#define MEDIA_RESUMABLE	(-2)

struct media_ops {
	/* 1 there, 0 not there (a 404, ENOENT), -1 error (err set) */
	int (*exists)(struct xvm_media *m, const char *path,
	    struct xvm_err *err);
	/*
	 * Stream the file from sink->offset to its end into sink->write,
	 * setting sink->total when the size is known (before the first
	 * write if it can).  0 done; -1 failed (err set, XVM_ERR_NOT_FOUND
	 * when there is no such file); MEDIA_RESUMABLE when the connection
	 * dropped or stalled after some bytes came (err set): the core asks
	 * again from the new offset.
	 */
	int (*get)(struct xvm_media *m, const char *path,
	    struct media_sink *sink, struct xvm_err *err);
	void (*close)(struct xvm_media *m);	/* frees m->priv */
};

struct xvm_media {
	const struct media_ops *ops;
	enum xvm_media_kind kind;
	char *location;		/* normalised */
	struct xvm_media_opts opts;	/* with the defaults filled in */
	void *priv;		/* the back end's */
	char *tmpfile;		/* a remote ISO's local copy, removed at
				   close */
};

/* A path inside the tree, without leading '/', "" for the root itself;
   NULL (err set) when it climbs out with "..". */
char *media_clean_path(const char *path, struct xvm_err *err);

/* Each back end: fill m->ops, m->kind and m->priv for location. */
int media_open_dir(struct xvm_media *m, const char *dir, struct xvm_err *err);
int media_open_iso(struct xvm_media *m, const char *file,
    struct xvm_err *err);
int media_open_curl(struct xvm_media *m, const char *url,
    struct xvm_err *err);
int media_open_nfs(struct xvm_media *m, const char *url,
    struct xvm_err *err);

#endif

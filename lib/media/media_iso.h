/*
 * media_iso.h - the inside of the ISO back end (media_iso.c), open to its
 * fuzz target: an ISO 9660 image, in a file or in memory, indexed by one
 * pass over its directory, then looked up and read by path.
 *
 * media_open_iso() is these functions over a file; the fuzz target calls
 * the same ones over a buffer, so it runs the code real images run.
 */
#ifndef XVM_MEDIA_ISO_H
#define XVM_MEDIA_ISO_H

#include <stddef.h>

#include "media/media_int.h"

/* What an index holds at most; a hostile image is refused beyond. */
#define MEDIA_ISO_MAX_ENTRIES	1000000		/* entries in the image */
#define MEDIA_ISO_MAX_PATH	4096		/* bytes in one path */
#define MEDIA_ISO_MAX_NAMES	(64u << 20)	/* bytes of all names */

struct media_iso;

/*
 * Index the image of len bytes at data, which must stay there until
 * media_iso_free.  name stands for the image in messages.  A corrupt,
 * truncated or UDF-only image fails with a one-line message naming it.
 */
int media_iso_index_mem(const void *data, size_t len, const char *name,
    struct media_iso **iso_r, struct xvm_err *err);
/* The same over an open file descriptor, which the index then owns. */
int media_iso_index_fd(int fd, const char *name, struct media_iso **iso_r,
    struct xvm_err *err);
void media_iso_free(struct media_iso *iso);		/* NULL-safe */

/*
 * The index's entries, the root ("") included: entry i's path (caller
 * frees), for walking an image in tests.
 */
size_t media_iso_count(const struct media_iso *iso);
char *media_iso_path(const struct media_iso *iso, size_t i);

/* As media_ops' exists and get (media_int.h), symbolic links followed. */
int media_iso_exists(struct media_iso *iso, const char *path,
    struct xvm_err *err);
int media_iso_get(struct media_iso *iso, const char *path,
    struct media_sink *sink, struct xvm_err *err);

#endif

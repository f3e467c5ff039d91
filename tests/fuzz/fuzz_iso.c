/*
 * fuzz_iso.c - fuzz target for the ISO back end (lib/media/media_iso.h):
 * an image indexed from memory, then every entry of the index looked up
 * and read, with the code media_open_iso runs over a file.
 *
 * The input is an image from sector 16 on: the target puts the 32 KiB
 * system area (boot code, which ISO 9660 does not read) in front of it,
 * so the seeds stay small.  Reads stop at 1 MiB a file and 16 MiB an
 * input (a zisofs file can claim 4 GiB).
 *
 * Invariants:
 *   - every failure has a code and a one-line message naming the image;
 *   - the root exists, a path with ".." is refused;
 *   - a read that succeeds delivers exactly total - offset bytes, one
 *     that fails never more than that;
 *   - a read from the middle of a file ends where a whole read ends.
 */
#include <stdlib.h>
#include <string.h>

#include "media/media_iso.h"
#include "fuzz.h"

#define SYSTEM_AREA	(16 * 2048)
#define FILE_CAP	((uint64_t)1 << 20)
#define INPUT_CAP	((uint64_t)16 << 20)
#define NAME		"fuzz.iso"

struct count {
	uint64_t bytes;		/* delivered by this read */
	uint64_t cap;		/* when the sink says stop */
};

static int
count_write(struct media_sink *s, const void *data, size_t len,
    struct xvm_err *err)
{
	struct count *c = s->arg;
	volatile const unsigned char *p = data;

	if (len == 0)
		abort();
	/* touch the bytes: ASan checks they are there */
	(void)p[0];
	(void)p[len - 1];
	c->bytes += len;
	s->offset += len;
	if (c->bytes > c->cap)
		return xvm_err_set(err, XVM_ERR_INTERNAL, "fuzz cap");
	return 0;
}

static void
check_err(const struct xvm_err *err)
{
	if (err->code == XVM_ERR_OK || err->msg[0] == '\0' ||
	    strchr(err->msg, '\n') != NULL)
		abort();
	if (err->code != XVM_ERR_INTERNAL &&
	    strstr(err->msg, "'" NAME "'") == NULL)
		abort();
}

/* One read of path from offset on; the bytes it delivered. */
static uint64_t
read_one(struct media_iso *iso, const char *path, uint64_t offset,
    uint64_t *total_r, int *r_r)
{
	struct count c = { 0, FILE_CAP };
	struct media_sink s = { count_write, offset, 0, &c };
	struct xvm_err err;
	int r;

	xvm_err_clear(&err);
	r = media_iso_get(iso, path, &s, &err);
	if (r != 0 && r != -1)
		abort();
	if (r < 0)
		check_err(&err);
	else if (c.bytes + offset != s.total)
		abort();
	/* never past the end */
	if (s.offset != offset + c.bytes ||
	    (c.bytes > 0 && c.bytes + offset > s.total))
		abort();
	*total_r = s.total;
	*r_r = r;
	return c.bytes;
}

static void
walk(struct media_iso *iso)
{
	uint64_t spent = 0, total, half, n;
	struct xvm_err err;
	size_t i, count = media_iso_count(iso);
	char *path;
	int r, r2;

	xvm_err_clear(&err);
	if (count == 0 || media_iso_exists(iso, "/", &err) != 1)
		abort();
	if (media_iso_exists(iso, "a/../b", &err) != -1 ||
	    err.code != XVM_ERR_INVALID_ARG)
		abort();
	for (i = 0; i < count; i++) {
		path = media_iso_path(iso, i);
		if (path == NULL || (i == 0) != (path[0] == '\0'))
			abort();
		xvm_err_clear(&err);
		r = media_iso_exists(iso, path, &err);
		if (r < -1 || r > 1)
			abort();
		if (r < 0)
			check_err(&err);
		if (spent < INPUT_CAP) {
			spent += read_one(iso, path, 0, &total, &r);
			/* again from the middle: the same end */
			if (r == 0 && total > 1 && total <= FILE_CAP) {
				half = total / 2;
				n = read_one(iso, path, half, &total, &r2);
				spent += n;
				if (r2 == 0 && half + n != total)
					abort();
			}
		}
		free(path);
	}
	if (media_iso_path(iso, count) != NULL)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned char *img;
	struct media_iso *iso;
	struct xvm_err err;

	if (size > ((size_t)64 << 20))
		return 0;
	img = calloc(1, SYSTEM_AREA + size);
	if (img == NULL)
		return 0;
	if (size > 0)
		memcpy(img + SYSTEM_AREA, data, size);
	xvm_err_clear(&err);
	if (media_iso_index_mem(img, SYSTEM_AREA + size, NAME, &iso,
	    &err) < 0) {
		check_err(&err);
		if (iso != NULL)
			abort();
	} else {
		walk(iso);
		media_iso_free(iso);
	}
	free(img);
	return 0;
}

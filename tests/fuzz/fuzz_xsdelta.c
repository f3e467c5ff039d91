/*
 * fuzz_xsdelta.c - fuzz target for the replay of xenstore deltas (what a
 * simulated host's journal records carry).  Any bytes applied to a small
 * store either fail with a message or leave a store that saves, loads
 * back equal and takes further changes; nothing crashes or leaks.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "xen/xs_store.h"
#include "fuzz.h"

static struct xs_store *
base(void)
{
	struct xs_store *st = xs_store_new();
	struct xs_conn *c = xs_conn_new(st, 0);
	static const char *const paths[] = {
		"/local/domain/1/name", "/local/domain/1/device/vbd/51712",
		"/vm/u/name", "/a/b/c",
	};
	size_t i;

	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
		(void)xs_write(c, 0, paths[i], "v", 1);
	(void)xs_introduce(c, 1, 5, 2);
	xs_conn_free(c);
	return st;
}

static void
fired(void *arg, const char *path)
{
	if (path == NULL || (path[0] != '/' && path[0] != '@'))
		abort();
	++*(size_t *)arg;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct xvm_buf a = XVM_BUF_INIT;
	struct xs_store *st = base(), *st2;
	struct xs_conn *c;
	struct xvm_err err;
	size_t n = 0;

	xvm_err_clear(&err);
	if (xs_store_apply(st, data, size, fired, &n, &err) != 0) {
		if (err.code == XVM_ERR_OK || !err.msg[0])
			abort();
		xs_store_free(st);
		return 0;
	}
	xs_store_save(st, &a);
	st2 = xs_store_load(a.data, a.len, &err);
	if (!st2 || !xs_store_equal(st, st2))
		abort();
	c = xs_conn_new(st, 0);
	(void)xs_write(c, 0, "/after/x", "y", 1);
	(void)xs_rm(c, 0, "/local");
	xs_conn_free(c);
	xs_store_free(st2);
	xs_store_free(st);
	xvm_buf_release(&a);
	return 0;
}

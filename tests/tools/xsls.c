/*
 * xsls.c - a test fixture: the xenstore of the host of XVM_DEFAULT_URI
 * under PATH, one node a line as xenstore-ls -f prints it
 * (path = "value"), parents before children.  Not installed.
 *
 *   xsls [PATH]        (default /)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xvm/toolstack.h"
#include "toolstack/ts_int.h"

static int
walk(struct xvm_io *io, const char *path, struct xvm_err *err)
{
	struct xvm_strv kids = XVM_STRV_INIT;
	char *val = NULL, *child;
	size_t i;
	int r;

	if (xvm_xs_read(io, path, &val, err) < 0)
		return -1;
	if (strcmp(path, "/") != 0)
		printf("%s = \"%s\"\n", path, val ? val : "");
	free(val);
	if ((r = xvm_xs_directory(io, path, &kids, err)) < 0)
		return -1;
	for (i = 0; i < kids.n; i++) {
		child = strcmp(path, "/") == 0 ?
		    xvm_asprintf("/%s", kids.v[i]) :
		    xvm_asprintf("%s/%s", path, kids.v[i]);
		r = walk(io, child, err);
		free(child);
		if (r < 0)
			break;
	}
	xvm_strv_release(&kids);
	return r < 0 ? -1 : 0;
}

int
main(int argc, char **argv)
{
	struct xvm_conn *c = NULL;
	struct xvm_err err;
	int r;

	xvm_err_clear(&err);
	if (xvm_connect(NULL, 0, &c, NULL, &err) < 0) {
		fprintf(stderr, "xsls: %s\n", err.msg);
		return 1;
	}
	r = walk(c->io, argc > 1 ? argv[1] : "/", &err);
	if (r < 0)
		fprintf(stderr, "xsls: %s\n", err.msg);
	xvm_disconnect(c);
	return r < 0 ? 1 : 0;
}

/*
 * mediaget - lib/media from the command line, for the media tests:
 *
 *   mediaget [OPTIONS] LOCATION exists PATH     prints "yes" or "no"
 *   mediaget [OPTIONS] LOCATION cat PATH        the file on stdout
 *   mediaget [OPTIONS] LOCATION fetch PATH DEST the file written to DEST
 *   mediaget [OPTIONS] LOCATION kind            dir, iso, http, ftp or nfs
 *
 * OPTIONS: --insecure, --connect-timeout S, --stall-timeout S,
 * --retries N, --progress (each progress report on stderr as
 * "progress NAME DONE TOTAL").
 *
 * An error is printed as "mediaget: MESSAGE" on stderr with exit 1; a
 * missing file (XVM_ERR_NOT_FOUND) exits 3.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xvm/media.h"
#include "xvm/util.h"

static void
report(void *arg, const char *name, uint64_t done, uint64_t total)
{
	(void)arg;
	fprintf(stderr, "progress %s %llu %llu\n", name,
	    (unsigned long long)done, (unsigned long long)total);
}

static int
usage(void)
{
	fputs("usage: mediaget [--insecure] [--connect-timeout S] "
	    "[--stall-timeout S] [--retries N] [--progress] LOCATION "
	    "exists|cat|fetch|kind [PATH [DEST]]\n", stderr);
	return 2;
}

int
main(int argc, char **argv)
{
	static const char *const kinds[] = { "dir", "iso", "http", "ftp",
	    "nfs" };
	struct xvm_media_opts o;
	struct xvm_media *m = NULL;
	struct xvm_err err;
	const char *loc, *op;
	char *data;
	size_t len;
	int i = 1, r = -1;

	memset(&o, 0, sizeof(o));
	xvm_err_clear(&err);
	for (; i < argc && strncmp(argv[i], "--", 2) == 0; i++) {
		if (strcmp(argv[i], "--insecure") == 0)
			o.insecure = true;
		else if (strcmp(argv[i], "--progress") == 0)
			o.progress = report;
		else if (i + 1 < argc &&
		    strcmp(argv[i], "--connect-timeout") == 0)
			o.connect_timeout_s = (unsigned)atoi(argv[++i]);
		else if (i + 1 < argc &&
		    strcmp(argv[i], "--stall-timeout") == 0)
			o.stall_timeout_s = (unsigned)atoi(argv[++i]);
		else if (i + 1 < argc && strcmp(argv[i], "--retries") == 0)
			o.retries = (unsigned)atoi(argv[++i]);
		else
			return usage();
	}
	if (argc - i < 2)
		return usage();
	loc = argv[i];
	op = argv[i + 1];
	if (xvm_media_open(loc, &o, &m, &err) < 0)
		goto out;
	if (strcmp(op, "kind") == 0 && argc - i == 2) {
		puts(kinds[xvm_media_kind(m)]);
		r = 0;
	} else if (strcmp(op, "exists") == 0 && argc - i == 3) {
		if ((r = xvm_media_exists(m, argv[i + 2], &err)) >= 0) {
			puts(r ? "yes" : "no");
			r = 0;
		}
	} else if (strcmp(op, "cat") == 0 && argc - i == 3) {
		r = xvm_media_read(m, argv[i + 2], 1u << 30, &data, &len,
		    &err);
		if (r == 0) {
			fwrite(data, 1, len, stdout);
			free(data);
		}
	} else if (strcmp(op, "fetch") == 0 && argc - i == 4) {
		r = xvm_media_fetch(m, argv[i + 2], argv[i + 3], &err);
	} else {
		xvm_media_close(m);
		return usage();
	}
out:
	xvm_media_close(m);
	if (r < 0) {
		fprintf(stderr, "mediaget: %s\n", err.msg);
		return err.code == XVM_ERR_NOT_FOUND ? 3 : 1;
	}
	return fflush(stdout) == 0 ? 0 : 1;
}

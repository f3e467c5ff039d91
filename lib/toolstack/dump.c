/*
 * dump.c - the core of a domain's memory as a file (xm dump-core, and
 * the coredump-destroy / coredump-restart lifecycle actions): Xen's
 * dump-core ELF format (lib/xen/dumpcore.c), written as a file that
 * appears only when whole and never over an existing one.  The domain is
 * paused while its memory is read (unless live), and destroyed afterwards
 * when asked (crash).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "xvm/file.h"
#include "xen/dumpcore.h"
#include "toolstack/ts_int.h"

char *
xvm_dump_path(struct xvm_conn *c, const char *name, uint32_t id)
{
	char stamp[32];
	time_t now = time(NULL);
	struct tm tm;

	if (c->dumpdir == NULL)
		return NULL;
	localtime_r(&now, &tm);
	/* xm's name: /var/xen/dump/2026-1126-0612.05-guest.3.core */
	strftime(stamp, sizeof(stamp), "%Y-%m%d-%H%M.%S", &tm);
	return xvm_asprintf("%s/%s-%s.%" PRIu32 ".core", c->dumpdir, stamp,
	    name, id);
}

int
xvm_dump_core(struct xvm_conn *c, uint32_t id, const char *file,
    unsigned flags, uint64_t *pages_r, struct xvm_err *err)
{
	struct xvm_dominfo info;
	struct xvm_newfile nf = { -1, NULL, NULL };
	struct xvm_sf_out out;
	bool paused = false;
	uint64_t pages = 0;
	int r = -1;

	xvm_sf_out_init(&out, -1, file);
	if (xvm_conn_is_test(c) && id != 0) {
		if (pages_r)
			*pages_r = 0;
		return ts_test_dump(c, id, file, flags, err);
	}
	if (id == 0)
		return xvm_err_set(err, XVM_ERR_OPERATION_INVALID, "Domain-0's "
		    "core cannot be dumped from here");
	if (xvm_xc_domain_info(c->io, id, &info, err) < 0)
		return -1;
	if (c->dumpdir != NULL && strncmp(file, c->dumpdir,
	    strlen(c->dumpdir)) == 0 &&
	    xvm_mkdir_p(c->dumpdir, 0700, err) < 0)
		return -1;
	if (xvm_newfile_open(&nf, file, 0600, err) < 0)
		goto out;
	out.fd = nf.fd;
	/* a consistent picture: it does not run while it is read */
	if (!(flags & XVM_DUMP_LIVE) && !info.paused && !info.shutdown) {
		if (xvm_pause(c, id, err) < 0)
			goto out;
		paused = true;
	}
	if (xvm_pv_dump_core(c->io, id, &out, &pages, err) < 0 ||
	    xvm_sf_flush(&out, err) < 0 ||
	    xvm_newfile_commit(&nf, err) < 0)
		goto out;
	ts_log(c, XVM_LOG_INFO, "domain %" PRIu32 ": core dumped to %s (%"
	    PRIu64 " pages)", id, file, pages);
	if (pages_r)
		*pages_r = pages;
	r = 0;
out:
	xvm_newfile_abort(&nf);
	xvm_sf_out_release(&out);
	if (paused) {
		struct xvm_err ignored = { 0 };

		(void)xvm_unpause(c, id, &ignored);
	}
	if (r == 0 && (flags & XVM_DUMP_CRASH)) {
		r = xvm_destroy(c, id, err);
		if (r == 0)
			ts_reason_set(c, info.handle, "shutoff", "crashed");
	}
	return r;
}

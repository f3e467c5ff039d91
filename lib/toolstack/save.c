/*
 * save.c - saving a running PV domain to a file and restoring it, in the
 * file format of Xen 4.17's xl (savefile.h): xl's header with the
 * domain's config in xl's syntax, the libxl stream, the libxc stream of
 * its memory and registers (pvsave.c).
 *
 * Save: the guest is asked to suspend (control/shutdown = "suspend"); once
 * Xen says it has, its state goes to a file that appears as FILE only when
 * whole (xvm_newfile: never over an existing file); then the domain is
 * destroyed.  If anything fails after the suspend, the guest
 * is resumed where it was ("fast resume": its suspend hypercall returns 1,
 * it is cancelled), and no file is left.
 *
 * Restore: the whole file is checked first (xvm_sf_check), so a truncated
 * or damaged file is refused before anything exists; then a domain is
 * created from the saved config (ts_create) with the stream as its
 * builder, and unpaused: the guest carries on from its suspend.
 */
#define __XEN_TOOLS__ 1
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <xen/xen.h>
#include <xen/sched.h>

#include "xvm/cfg.h"
#include "xvm/file.h"
#include "xvm/xenconfig.h"
#include "xen/pvsave.h"
#include "xen/savefile.h"
#include "toolstack/ts_int.h"

#define SUSPEND_TIMEOUT_MS	60000	/* libxl's pvcontrol timeout */

/* Ask the guest to suspend and wait until Xen says it has. */
int
ts_suspend(struct xvm_conn *c, uint32_t id, struct xvm_err *err)
{
	struct xvm_dominfo info;
	char path[64];
	double end = xvm_mono_ms() + SUSPEND_TIMEOUT_MS;

	snprintf(path, sizeof(path), "/local/domain/%" PRIu32
	    "/control/shutdown", id);
	if (xvm_xs_write(c->io, path, "suspend", err) < 0)
		return -1;
	for (;;) {
		if (xvm_xc_domain_info(c->io, id, &info, err) < 0)
			return -1;
		if (info.shutdown && info.shutdown_reason == SHUTDOWN_suspend)
			return 0;
		if (info.shutdown || info.dying)
			return xvm_err_set(err, XVM_ERR_OPERATION_FAILED,
			    "domain %" PRIu32 " shut down (%s) instead of "
			    "suspending", id,
			    xvm_shutdown_reason_name(info.shutdown_reason));
		if (xvm_mono_ms() >= end) {
			(void)xvm_xs_write(c->io, path, "", NULL);
			return xvm_err_set(err, XVM_ERR_OPERATION_FAILED,
			    "domain %" PRIu32 " did not suspend within %d "
			    "seconds (does its kernel have PV drivers?)", id,
			    SUSPEND_TIMEOUT_MS / 1000);
		}
		usleep(10 * 1000);
	}
}

/* A suspend that is not carried through: the guest runs on. */
void
ts_resume(struct xvm_conn *c, uint32_t id)
{
	vcpu_guest_context_t ctx;
	struct xvm_err ignored = { 0 };

	/* libxc's fast resume: the suspend hypercall returns 1 */
	if (xvm_xc_vcpu_getcontext(c->io, id, 0, &ctx, sizeof(ctx),
	    &ignored) == 0) {
		ctx.user_regs.rax = 1;
		(void)xvm_xc_vcpu_setcontext(c->io, id, 0, &ctx, sizeof(ctx),
		    &ignored);
	}
	(void)xvm_xc_domain_resume(c->io, id, &ignored);
}

/*
 * The config to send: the one it runs from, with its memory target and
 * online vcpus as they are now.
 */
int
ts_config_text(struct xvm_conn *c, uint32_t id, struct xvm_buf *text,
    char **name_r, struct xvm_err *err)
{
	struct xvm_domain *d = NULL;
	struct xvm_cfg cfg;
	char path[64], *target = NULL;
	int r = -1;

	if (xvm_running_config(c, id, &d, err) < 0) {
		if (err->code == XVM_ERR_NOT_FOUND)
			xvm_err_set(err, XVM_ERR_OPERATION_INVALID, "domain %"
			    PRIu32 " was not started by xvm: without its "
			    "config it cannot be saved", id);
		return -1;
	}
	snprintf(path, sizeof(path), "/local/domain/%" PRIu32
	    "/memory/target", id);
	if (xvm_xs_read(c->io, path, &target, err) < 0)
		goto out;
	if (target != NULL && strtoull(target, NULL, 10) > 0)
		d->current_kib = strtoull(target, NULL, 10);
	{
		/* the vcpus it has online now (cpu/N/availability) */
		unsigned i, on = 0;

		for (i = 0; i < d->vcpus; i++) {
			char *v = NULL;

			snprintf(path, sizeof(path), "/local/domain/%" PRIu32
			    "/cpu/%u/availability", id, i);
			if (xvm_xs_read(c->io, path, &v, err) > 0 &&
			    strcmp(v, "online") == 0)
				on++;
			free(v);
		}
		if (on > 0 && on < d->vcpus)
			d->vcpus_current = on;
	}
	d->id = -1;
	xvm_cfg_init(&cfg, NULL);
	r = xvm_domain_to_cfg(d, XVM_DIALECT_XL, &cfg, err);
	if (r == 0)
		xvm_cfg_write(&cfg, text);
	xvm_cfg_release(&cfg);
	*name_r = xvm_strdup(d->name);
out:
	free(target);
	xvm_domain_free(d);
	return r;
}

int
xvm_save(struct xvm_conn *c, uint32_t id, const char *file,
    struct xvm_err *err)
{
	struct xvm_buf cfg = XVM_BUF_INIT;
	struct xvm_dominfo info;
	struct xvm_newfile nf = { -1, NULL, NULL };
	struct xvm_sf_out out;
	char *name = NULL;
	uint64_t pages = 0;
	bool suspended = false;
	int r = -1;

	xvm_sf_out_init(&out, -1, file);
	if (xvm_conn_is_test(c) && id != 0)
		return ts_test_save(c, id, file, err);
	if (id == 0) {
		xvm_err_set(err, XVM_ERR_OPERATION_INVALID, "Domain-0 cannot "
		    "be saved");
		goto out;
	}
	if (xvm_xc_domain_info(c->io, id, &info, err) < 0)
		goto out;
	if (info.shutdown || info.dying) {
		xvm_err_set(err, XVM_ERR_OPERATION_INVALID, "domain %" PRIu32
		    " has shut down: there is nothing to save", id);
		goto out;
	}
	if (info.hvm) {
		xvm_err_set(err, XVM_ERR_NO_SUPPORT, "domain %" PRIu32 " is an "
		    "HVM guest: xvm saves PV guests", id);
		goto out;
	}
	if (info.paused) {
		/* it could not answer the suspend request */
		xvm_err_set(err, XVM_ERR_OPERATION_INVALID, "domain %" PRIu32
		    " is paused: a paused guest cannot suspend itself (unpause "
		    "it first)", id);
		goto out;
	}
	if (ts_config_text(c, id, &cfg, &name, err) < 0 ||
	    xvm_newfile_open(&nf, file, 0600, err) < 0)
		goto out;
	out.fd = nf.fd;
	if (ts_suspend(c, id, err) < 0)
		goto out;
	suspended = true;
	if (xvm_sf_put_xl_header(&out, xvm_buf_str(&cfg), err) < 0 ||
	    xvm_sf_put_libxl_header(&out, err) < 0 ||
	    xvm_sf_put_record(&out, XVM_LREC_LIBXC_CONTEXT, NULL, 0, err) < 0 ||
	    xvm_pv_save(c->io, id, &out, &pages, err) < 0 ||
	    xvm_sf_put_record(&out, XVM_LREC_END, NULL, 0, err) < 0 ||
	    xvm_sf_flush(&out, err) < 0 ||
	    xvm_newfile_commit(&nf, err) < 0)
		goto out;
	suspended = false;
	ts_log(c, XVM_LOG_INFO, "domain %" PRIu32 " (%s) saved to %s (%"
	    PRIu64 " pages)", id, name, file, pages);
	/* the state is in the file: the domain goes */
	r = xvm_destroy(c, id, err);
	if (r == 0)
		ts_reason_set(c, info.handle, "shutoff", "saved");
out:
	if (suspended) {
		ts_resume(c, id);
		ts_log(c, XVM_LOG_WARNING, "domain %" PRIu32 " not saved (%s): "
		    "resumed", id, err->msg);
	}
	xvm_newfile_abort(&nf);
	xvm_sf_out_release(&out);
	xvm_buf_release(&cfg);
	free(name);
	return r;
}

/* ---- restore ----------------------------------------------------------- */

struct restoring {
	struct xvm_sf_in *in;
	const char *file;
	uint64_t pages;
};

static int
restore_build(struct xvm_conn *c, struct ts_build_args *a, void *arg,
    struct xvm_err *err)
{
	struct restoring *rs = arg;
	struct xvm_pvr_in p;
	struct xvm_pvr_out o;

	memset(&p, 0, sizeof(p));
	p.name = rs->file;
	p.store_port = a->store_port;
	p.console_port = a->console_port;
	if (xvm_pv_restore(c->io, a->id, rs->in, &p, &o, err) < 0)
		return -1;
	a->store_mfn = o.store_mfn;
	a->console_mfn = o.console_mfn;
	rs->pages = o.nr_pages;
	return 0;
}

/*
 * A domain from the stream in fd (named name in messages), from xl's
 * header on; pages (0: unknown) sizes the memory check.  The libxl END
 * after the libxc stream is read too.
 */
int
ts_restore_stream(struct xvm_conn *c, int fd, const char *name,
    uint64_t pages, unsigned flags, const char *as_name, uint32_t *id_r,
    struct xvm_err *err)
{
	struct xvm_domain *d = NULL;
	struct xvm_sf_in in;
	struct xvm_sf_xl xl = { 0, 0, NULL, 0 };
	struct xvm_buf b = XVM_BUF_INIT;
	struct restoring rs;
	uint32_t type;
	int r = -1;

	*id_r = 0;
	xvm_sf_in_fd(&in, fd, name);
	if (xvm_sf_get_xl_header(&in, &xl, err) < 0)
		goto out;
	/* xl writes libxl's JSON; xvm (and xl before 4.x) the config file */
	if (((xl.mandatory & XVM_SF_XL_FLAG_JSON) ?
	    xvm_domain_from_libxl_json(xl.config, xl.config_len, name,
	    xvm_xen_caps_test(), &d, err) :
	    xvm_domain_load_cfg(xl.config, xl.config_len, name,
	    XVM_DIALECT_XL, 0, NULL, xvm_xen_caps_test(), &d, err)) < 0)
		goto out;
	if (as_name) {
		free(d->name);
		d->name = xvm_strdup(as_name);
	}
	if (ts_prefilter(c, d, err) < 0 ||
	    xvm_sf_get_libxl_header(&in, err) < 0 ||
	    xvm_sf_get_record(&in, &type, &b, 0, err) < 0)
		goto out;
	if (type != XVM_LREC_LIBXC_CONTEXT) {
		xvm_err_set(err, XVM_ERR_INVALID_ARG, "%s: no domain "
		    "(LIBXC_CONTEXT) where it should begin", name);
		goto out;
	}
	memset(&rs, 0, sizeof(rs));
	rs.in = &in;
	rs.file = name;
	if (ts_create(c, d, flags, pages * 4, restore_build, &rs, id_r,
	    err) < 0)
		goto out;
	ts_log(c, XVM_LOG_INFO, "domain %" PRIu32 " (%s) restored from %s (%"
	    PRIu64 " pages)", *id_r, d->name, name, rs.pages);
	if (!(flags & XVM_CREATE_PAUSED))
		ts_reason_set_id(c, *id_r, "running", "restored");
	r = 0;
out:
	free(xl.config);
	xvm_buf_release(&b);
	xvm_domain_free(d);
	return r;
}

int
xvm_restore(struct xvm_conn *c, const char *file, unsigned flags,
    uint32_t *id_r, struct xvm_err *err)
{
	struct xvm_sf_in in;
	uint64_t pages = 0;
	int fd, r = -1;

	*id_r = 0;
	if (xvm_conn_is_test(c))
		return ts_test_restore(c, file, flags, id_r, err);
	if (ts_test_image(file))
		return xvm_err_set(err, XVM_ERR_INVALID_ARG, "'%s' is a save "
		    "image of libvirt's test driver: it restores on "
		    "test:///default only", file);
	if ((fd = open(file, O_RDONLY | O_CLOEXEC)) < 0)
		return xvm_err_sys(err, errno, "cannot open '%s'", file);
	/* the whole file first: a bad one is refused before anything */
	xvm_sf_in_fd(&in, fd, file);
	if (xvm_sf_check(&in, &pages, err) < 0)
		goto out;
	if (lseek(fd, 0, SEEK_SET) != 0) {
		xvm_err_sys(err, errno, "cannot read '%s'", file);
		goto out;
	}
	r = ts_restore_stream(c, fd, file, pages, flags, NULL, id_r, err);
out:
	close(fd);
	return r;
}

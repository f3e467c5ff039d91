/*
 * migrate.c - moving a running PV domain to another host, over the same
 * stream a save writes (xl's header, libxl and libxc streams).
 *
 * The receiving side runs in a child process connected to the other host
 * (both ends of a pipe are here: the hosts reachable are the simulated
 * ones, sim:///DIR; remote hosts over ssh use the same stream and the
 * same exchange).  As xl's migrate-receive: the child creates the domain
 * from the stream, paused, and says so ("domain received"); the sender
 * destroys nothing until the child, told to go on, has unpaused it ("the
 * domain is yours"); then the sender destroys its copy.  If anything
 * fails before that, the child destroys what it made and the sender
 * resumes the guest where it was.
 *
 * To the host the domain runs on (`xm migrate DOM localhost`, the host's
 * name, or its own URI), as xl does it: the copy arrives under the name
 * NAME--incoming beside the running one, which becomes NAME--migratedaway
 * once the copy is in; the copy takes NAME, runs, and the old one goes.
 * The two share a UUID meanwhile; what the toolstack keeps by UUID (the
 * run config, /vm/UUID, the state) passes to the copy, and back to the
 * source if the move fails.
 *
 * Live (--live): Xen's pre-copy (pvsave.c xvm_pv_save_live): every page
 * while the guest runs, then rounds of the pages it wrote meanwhile (its
 * log-dirty bitmap), then a short stop-and-copy.  Otherwise the guest is
 * suspended first and its memory sent once.  The downtime is the time
 * from the suspend to the other copy running.
 */
#define __XEN_TOOLS__ 1
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "xvm/domain.h"

#include "xen/pvsave.h"
#include "xen/savefile.h"
#include "toolstack/ts_int.h"

/* Exactly len bytes of fd, or -1. */
static int
read_full(int fd, void *buf, size_t len)
{
	char *p = buf;
	size_t got = 0;

	while (got < len) {
		ssize_t r = read(fd, p + got, len - got);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		got += (size_t)r;
	}
	return 0;
}

/*
 * What the child says: a status byte ('R' received, 'U' unpaused, 'E'
 * error), a domain id, and a message (empty unless 'E').
 */
struct reply {
	char what;
	uint32_t id;
	char msg[1024];
};

static void
say(int fd, char what, uint32_t id, const char *msg)
{
	struct reply r;

	memset(&r, 0, sizeof(r));
	r.what = what;
	r.id = id;
	snprintf(r.msg, sizeof(r.msg), "%s", msg ? msg : "");
	if (write(fd, &r, sizeof(r)) != (ssize_t)sizeof(r))
		_exit(3);
}

#define INCOMING	"--incoming"
#define AWAY		"--migratedaway"

/*
 * The receiving side: never returns.  name: the domain's name when it
 * arrives on its own host (it comes in as NAME--incoming), else NULL.
 */
static void
receiver(const char *uri, int in, int to_parent, int from_parent,
    const char *name)
{
	struct xvm_conn *d = NULL;
	struct xvm_err err;
	uint32_t id = 0;
	char go = 0, *tmp = name ? xvm_asprintf("%s" INCOMING, name) : NULL;

	xvm_err_clear(&err);
	if (xvm_connect(uri, 0, &d, NULL, &err) < 0 ||
	    ts_restore_stream(d, in, "the migration stream", 0,
	    XVM_CREATE_PAUSED | (name ? TS_CREATE_TWIN : 0), tmp, &id,
	    &err) < 0) {
		say(to_parent, 'E', 0, err.msg);
		xvm_disconnect(d);
		_exit(1);
	}
	say(to_parent, 'R', id, NULL);
	if (read_full(from_parent, &go, 1) < 0 || go != 'g') {
		/* the sender gave up: what was made goes */
		(void)xvm_destroy(d, id, &err);
		xvm_disconnect(d);
		_exit(1);
	}
	/* the source is NAME--migratedaway now: the name is free */
	if (name && xvm_rename(d, id, name, &err) < 0) {
		say(to_parent, 'E', id, err.msg);
		(void)xvm_destroy(d, id, &err);
		xvm_disconnect(d);
		_exit(1);
	}
	if (xvm_unpause(d, id, &err) < 0) {
		say(to_parent, 'E', id, err.msg);
		(void)xvm_destroy(d, id, &err);
		xvm_disconnect(d);
		_exit(1);
	}
	ts_log(d, XVM_LOG_INFO, "domain %" PRIu32 " migrated in", id);
	ts_reason_set_id(d, id, "running", "migrated");
	say(to_parent, 'U', id, NULL);
	xvm_disconnect(d);
	_exit(0);
}

struct stopping {
	struct xvm_conn *c;
	uint32_t id;
	double t0;			/* when it was stopped */
};

static int
stop_guest(void *arg, struct xvm_err *err)
{
	struct stopping *st = arg;

	st->t0 = xvm_mono_ms();
	return ts_suspend(st->c, st->id, err);
}

/* dest named as a host, not a URI: this machine? */
static bool
this_host(const char *dest)
{
	char hn[256];

	if (strcmp(dest, "localhost") == 0 || strcmp(dest, "127.0.0.1") == 0 ||
	    strcmp(dest, "::1") == 0 || strcmp(dest, "localhost.localdomain") ==
	    0)
		return true;
	if (gethostname(hn, sizeof(hn)) < 0)
		return false;
	hn[sizeof(hn) - 1] = '\0';
	return strcmp(dest, hn) == 0;
}

/*
 * Where dest is: its URI in *uri_r (this host's own for a host name of
 * this machine), *same_r when it is the host the domain runs on.  The
 * other host must take the domain (no domain of its name there).
 */
static int
check_dest(struct xvm_conn *c, const char *dest, const char *name,
    char **uri_r, bool *same_r, struct xvm_err *err)
{
	struct xvm_conn *d = NULL;
	struct xvm_domstat *l = NULL;
	size_t n = 0, i;
	int r = -1;

	*uri_r = NULL;
	*same_r = false;
	if (strstr(dest, ":/") == NULL) {
		if (!this_host(dest))
			return xvm_err_set(err, XVM_ERR_OPERATION_INVALID,
			    "cannot migrate to '%s': xvm migrates to this host "
			    "(localhost) or to a host named by its URI "
			    "(sim:///DIR)", dest);
		*uri_r = xvm_strdup(xvm_conn_uri(c));
		*same_r = true;
		return 0;
	}
	if (xvm_connect(dest, 0, &d, NULL, err) < 0)
		return -1;
	*uri_r = xvm_strdup(xvm_conn_uri(d));
	if (strcmp(xvm_conn_uri(d), xvm_conn_uri(c)) == 0) {
		*same_r = true;
		r = 0;
		goto out;
	}
	if (xvm_list(d, &l, &n, err) < 0)
		goto out;
	for (i = 0; i < n; i++)
		if (strcmp(l[i].name, name) == 0) {
			xvm_err_set(err, XVM_ERR_OPERATION_INVALID, "a domain "
			    "'%s' runs on %s already (ID %" PRIu32 ")", name,
			    dest, l[i].id);
			goto out;
		}
	r = 0;
out:
	xvm_domstat_free(l, n);
	xvm_disconnect(d);
	if (r < 0) {
		free(*uri_r);
		*uri_r = NULL;
	}
	return r;
}

int
xvm_migrate(struct xvm_conn *c, uint32_t id, const char *dest, unsigned flags,
    struct xvm_migration *mg, struct xvm_err *err)
{
	struct xvm_buf cfg = XVM_BUF_INIT;
	struct xvm_dominfo info;
	struct xvm_sf_out out;
	struct xvm_pv_live lv;
	struct stopping st = { c, id, 0 };
	struct reply rep;
	struct xvm_domain *mine = NULL;
	char *name = NULL, *to = NULL, *away = NULL, go;
	bool same = false;
	int data[2] = { -1, -1 }, up[2] = { -1, -1 }, down[2] = { -1, -1 };
	pid_t child = -1;
	bool received = false;
	int r = -1, status;
	unsigned k;
	void (*old_pipe)(int) = SIG_DFL;

	memset(mg, 0, sizeof(*mg));
	xvm_sf_out_init(&out, -1, "the migration stream");
	if (id == 0)
		return xvm_err_set(err, XVM_ERR_OPERATION_INVALID, "Domain-0 "
		    "cannot be migrated");
	if (xvm_xc_domain_info(c->io, id, &info, err) < 0)
		return -1;
	if (info.shutdown || info.dying || info.paused)
		return xvm_err_set(err, XVM_ERR_OPERATION_INVALID, "domain %"
		    PRIu32 " is %s: only a running guest can be migrated", id,
		    info.paused ? "paused" : "shut down");
	if (ts_config_text(c, id, &cfg, &name, err) < 0 ||
	    check_dest(c, dest, name, &to, &same, err) < 0)
		goto out;
	/* on this host the copy takes over what is kept by UUID: what
	   the source gets back if the move fails */
	if (same && !(flags & XVM_MIGRATE_SAME_HOST)) {
		xvm_err_set(err, XVM_ERR_OPERATION_INVALID, "%s is the host "
		    "the domain runs on: migrate to another one", dest);
		goto out;
	}
	if (same && xvm_running_config(c, id, &mine, err) < 0)
		goto out;
	if (pipe(data) < 0 || pipe(up) < 0 || pipe(down) < 0) {
		xvm_err_sys(err, errno, "cannot make a pipe");
		goto out;
	}
	fflush(NULL);
	if ((child = fork()) < 0) {
		xvm_err_sys(err, errno, "cannot fork");
		goto out;
	}
	if (child == 0) {
		close(data[1]);
		close(up[0]);
		close(down[1]);
		signal(SIGPIPE, SIG_DFL);
		receiver(to, data[0], up[1], down[0], same ? name : NULL);
	}
	close(data[0]);
	close(up[1]);
	close(down[0]);
	data[0] = up[1] = down[0] = -1;
	/* a receiver that fails: EPIPE, not death */
	old_pipe = signal(SIGPIPE, SIG_IGN);
	out.fd = data[1];

	memset(&lv, 0, sizeof(lv));
	if (xvm_sf_put_xl_header(&out, xvm_buf_str(&cfg), err) < 0 ||
	    xvm_sf_put_libxl_header(&out, err) < 0 ||
	    xvm_sf_put_record(&out, XVM_LREC_LIBXC_CONTEXT, NULL, 0, err) < 0)
		goto fail;
	if (flags & XVM_MIGRATE_LIVE) {
		lv.max_rounds = 5;		/* Xen 4.17's policy */
		lv.target_dirty = 50;
		lv.suspend = stop_guest;
		lv.arg = &st;
		if (xvm_pv_save_live(c->io, id, &out, &lv, err) < 0)
			goto fail;
		mg->rounds = lv.rounds;
		for (k = 0; k < lv.rounds && k < XVM_PV_LIVE_ROUNDS; k++)
			mg->sent[k] = lv.sent[k];
		mg->last = lv.last;
		mg->total = lv.total;
	} else {
		if (stop_guest(&st, err) < 0)
			goto fail;
		lv.stopped = true;
		if (xvm_pv_save(c->io, id, &out, &mg->last, err) < 0)
			goto fail;
		mg->total = mg->last;
	}
	if (xvm_sf_put_record(&out, XVM_LREC_END, NULL, 0, err) < 0 ||
	    xvm_sf_flush(&out, err) < 0)
		goto fail;
	close(data[1]);
	data[1] = -1;
	/* "domain received, ready to unpause" */
	if (read_full(up[0], &rep, sizeof(rep)) < 0) {
		xvm_err_set(err, XVM_ERR_OPERATION_FAILED, "the receiving side "
		    "on %s ended without a word", dest);
		goto fail;
	}
	if (rep.what != 'R') {
		xvm_err_set(err, XVM_ERR_OPERATION_FAILED, "%s", rep.msg);
		goto fail;
	}
	received = true;
	if (same) {
		/* its name goes to the copy */
		away = xvm_asprintf("%s" AWAY, name);
		if (ts_set_name(c, id, away, info.handle, err) < 0)
			goto fail;
	}
	/* "the domain is yours, you are cleared to unpause" */
	go = 'g';
	if (write(down[1], &go, 1) != 1 ||
	    read_full(up[0], &rep, sizeof(rep)) < 0 || rep.what != 'U') {
		xvm_err_set(err, XVM_ERR_OPERATION_FAILED, "the domain did not "
		    "start on %s%s%s", dest, rep.what == 'E' ? ": " : "",
		    rep.what == 'E' ? rep.msg : "");
		goto fail;
	}
	mg->downtime_ms = xvm_mono_ms() - st.t0;
	mg->new_id = rep.id;
	lv.stopped = false;
	ts_log(c, XVM_LOG_INFO, "domain %" PRIu32 " (%s) migrated to %s (id %"
	    PRIu32 ", %s, %" PRIu64 " pages, downtime %.0f ms)", id, name,
	    dest, rep.id, (flags & XVM_MIGRATE_LIVE) ? "live" : "not live",
	    mg->total, mg->downtime_ms);
	/* it runs there: this copy goes */
	r = xvm_destroy(c, id, err);
	if (r == 0 && !same)
		ts_reason_set(c, info.handle, "shutoff", "migrated");
	goto out;
fail:
	if (data[1] >= 0) {
		close(data[1]);	/* the receiver sees the stream end */
		data[1] = -1;
	}
	if (!received && up[0] >= 0) {
		struct reply why;

		/* a receiver that refused says why before it ends */
		if (read_full(up[0], &why, sizeof(why)) == 0 &&
		    why.what == 'E')
			xvm_err_set(err, XVM_ERR_OPERATION_FAILED, "%s: %s",
			    dest, why.msg);
	}
	if (down[1] >= 0) {
		go = 'a';
		(void)!write(down[1], &go, 1);
	}
	if (lv.stopped) {
		ts_resume(c, id);
		ts_log(c, XVM_LOG_WARNING, "domain %" PRIu32 " not migrated "
		    "(%s): resumed here", id, err->msg);
	}
out:
	if (data[1] >= 0)
		close(data[1]);
	if (up[0] >= 0)
		close(up[0]);
	if (down[1] >= 0)
		close(down[1]);
	if (child > 0) {
		(void)waitpid(child, &status, 0);
		signal(SIGPIPE, old_pipe);
	}
	if (r < 0 && same && mine && child > 0) {
		struct xvm_err ignored = { 0 };

		/* the copy is gone: what it took by UUID is the source's */
		(void)ts_set_name(c, id, name, info.handle, &ignored);
		(void)ts_run_save(c, mine, id, &ignored);
		ts_reason_set(c, info.handle, "running", "migration canceled");
	}
	xvm_sf_out_release(&out);
	xvm_buf_release(&cfg);
	xvm_domain_free(mine);
	free(name);
	free(to);
	free(away);
	return r;
}

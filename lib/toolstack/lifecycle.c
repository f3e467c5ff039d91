/*
 * lifecycle.c - what happens when a guest stops, and asking it to.
 *
 * When a guest shuts down, Xen keeps the domain (state 's' or 'c') until a
 * toolstack destroys it; the config's on_poweroff / on_reboot / on_crash
 * say what to do then (xl.cfg(5)): destroy, restart (destroy, start the
 * same config again: same name and UUID, a new id), rename-restart (keep
 * the stopped domain under NAME-YYYYMMDDTHHMMZ with a new UUID, start the
 * config again), preserve (leave it for a look), and the coredump forms.
 *
 * xl keeps a process per domain waiting for that moment; xvm has one
 * (monitor.c, off until its restarts are right on real Xen); the next
 * xvm process that lists the host's domains carries out the actions of
 * those that have stopped (ts_actions, called by xvm_list), so anything
 * that looks at the host sees it settled - the simulated host's only way,
 * as its guests act when a process looks - and `xm shutdown -w` waits by
 * listing.  Only domains xvm started are touched (those with a
 * config in the run area, store.c); a domain another toolstack made is
 * left to it.  The store's lock is held while an action runs, so two
 * processes never both restart a domain; the action is decided again
 * under the lock.
 */
#define __XEN_TOOLS__ 1
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <xen/xen.h>
#include <xen/sched.h>
#include <xen/hvm/params.h>

#include "xvm/domxml.h"
#include "xvm/file.h"

#include "toolstack/ts_int.h"

/* A guest that crashes sooner than this after its start is not restarted
   (it would crash again at once, for ever), but kept for a look. */
#define CRASH_LOOP_SECONDS	10

void
ts_log(struct xvm_conn *c, enum xvm_log_level level, const char *fmt, ...)
{
	struct xvm_err ignored = { 0 };
	char line[1024];
	va_list ap;

	if (c->statedir == NULL)
		return;			/* the test host keeps no log */
	if (c->log.fd < 0 && !c->log_failed) {
		char *path = c->logpath ? xvm_strdup(c->logpath) :
		    xvm_asprintf("%s/xvm.log", c->statedir);

		c->log_failed = xvm_log_open(&c->log, path, &ignored) < 0;
		free(path);
	}
	if (c->log.fd < 0)
		return;			/* only the record is lost */
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	(void)xvm_log_write(&c->log, level, "toolstack", "%s", line);
}

const char *
xvm_shutdown_reason_name(int reason)
{
	switch (reason) {
	case SHUTDOWN_poweroff:
		return "poweroff";
	case SHUTDOWN_reboot:
		return "reboot";
	case SHUTDOWN_suspend:
		return "suspend";
	case SHUTDOWN_crash:
		return "crash";
	case SHUTDOWN_watchdog:
		return "watchdog";
	case SHUTDOWN_soft_reset:
		return "soft_reset";
	default:
		return "unknown";
	}
}

/* The action for a stop with this reason (xl's defaults where unset). */
static enum xvm_lifecycle
action_for(const struct xvm_domain *d, int reason)
{
	enum xvm_lifecycle a;

	switch (reason) {
	case SHUTDOWN_poweroff:
		a = d->on_poweroff;
		break;
	case SHUTDOWN_reboot:
		a = d->on_reboot;
		if (a == XVM_LIFE_NONE)
			a = XVM_LIFE_RESTART;
		break;
	case SHUTDOWN_crash:
	case SHUTDOWN_watchdog:
		a = d->on_crash;
		break;
	default:
		a = XVM_LIFE_DESTROY;	/* as xl, for a reason it does not
					   know */
	}
	return a == XVM_LIFE_NONE ? XVM_LIFE_DESTROY : a;
}

/* Seconds since the domain started (from /vm/UUID/start_time), or -1. */
static double
age_of(struct xvm_conn *c, uint32_t id)
{
	struct xvm_err ignored = { 0 };
	char path[64], *vm = NULL, *st = NULL, *p;
	struct timeval tv;
	double age = -1;

	snprintf(path, sizeof(path), "/local/domain/%" PRIu32 "/vm", id);
	if (xvm_xs_read(c->io, path, &vm, &ignored) <= 0)
		return -1;
	p = xvm_asprintf("%s/start_time", vm);
	if (xvm_xs_read(c->io, p, &st, &ignored) > 0) {
		gettimeofday(&tv, NULL);
		age = (double)tv.tv_sec + tv.tv_usec / 1e6 - strtod(st, NULL);
	}
	free(p);
	free(st);
	free(vm);
	return age;
}

/*
 * Keep stopped domain id under NAME-YYYYMMDDTHHMMZ and a new UUID, as
 * xl's preserve does for rename-restart: the config's name and UUID are
 * free for the new start.
 */
static int
preserve_renamed(struct xvm_conn *c, uint32_t id, const struct xvm_domain *d,
    struct xvm_err *err)
{
	struct xvm_domstat *list = NULL;
	unsigned char nu[16];
	char u[37], stamp[24], *name = NULL;
	time_t now = time(NULL);
	struct tm tm;
	size_t n = 0, i;
	unsigned k;
	int r;

	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "-%Y%m%dT%H%MZ", &tm);
	/* twice in a minute: -2, -3, ... (names stay unique) */
	if (xvm_list(c, &list, &n, err) < 0)
		return -1;
	for (k = 1; name == NULL; k++) {
		name = k == 1 ? xvm_asprintf("%s%s", d->name, stamp) :
		    xvm_asprintf("%s%s-%u", d->name, stamp, k);
		for (i = 0; i < n; i++)
			if (strcmp(list[i].name, name) == 0) {
				free(name);
				name = NULL;
				break;
			}
	}
	xvm_domstat_free(list, n);
	xvm_uuid_generate(nu);
	xvm_uuid_format(nu, u);
	r = xvm_xc_domain_sethandle(c->io, id, nu, err);
	if (r == 0)
		r = ts_set_name(c, id, name, nu, err);
	if (r == 0) {
		ts_log(c, XVM_LOG_INFO, "domain %" PRIu32 " (%s) kept as "
		    "'%s', UUID %s", id, d->name, name, u);
	}
	free(name);
	return r;
}

/* Carry out the action for stopped domain id (under the store's lock). */
static int
act(struct xvm_conn *c, uint32_t id, struct xvm_err *err)
{
	struct xvm_dominfo info;
	struct xvm_domain *d = NULL;
	enum xvm_lifecycle a;
	uint32_t nid;
	int r = 0;

	/* decided again under the lock: another process may have acted */
	if (xvm_xc_domain_info(c->io, id, &info, err) < 0)
		return err->code == XVM_ERR_NO_DOMAIN ? 0 : -1;
	if (!info.shutdown || info.dying ||
	    info.shutdown_reason == SHUTDOWN_suspend)
		return 0;
	if (xvm_running_config(c, id, &d, err) < 0)
		return err->code == XVM_ERR_NOT_FOUND ? 0 : -1;
	a = action_for(d, info.shutdown_reason);
	if ((info.shutdown_reason == SHUTDOWN_crash ||
	    info.shutdown_reason == SHUTDOWN_watchdog) &&
	    (a == XVM_LIFE_RESTART || a == XVM_LIFE_RENAME_RESTART)) {
		double age = age_of(c, id);

		if (age >= 0 && age < CRASH_LOOP_SECONDS) {
			ts_log(c, XVM_LOG_WARNING, "domain %" PRIu32 " (%s) "
			    "crashed %.1f s after its start: not restarted, "
			    "kept as it is", id, d->name, age);
			a = XVM_LIFE_PRESERVE;
		}
	}
	ts_log(c, XVM_LOG_INFO, "domain %" PRIu32 " (%s) has shut down "
	    "(%s): %s", id, d->name,
	    xvm_shutdown_reason_name(info.shutdown_reason),
	    xvm_lifecycle_name(a));
	if (a == XVM_LIFE_COREDUMP_DESTROY || a == XVM_LIFE_COREDUMP_RESTART) {
		/* as xl: a core that cannot be written does not stop the
		   rest (the failure is in the log) */
		char *core = xvm_dump_path(c, d->name, id);
		struct xvm_err derr = { 0 };

		if (core && xvm_dump_core(c, id, core, XVM_DUMP_LIVE, NULL,
		    &derr) < 0)
			ts_log(c, XVM_LOG_ERROR, "domain %" PRIu32 ": no core "
			    "dumped: %s", id, derr.msg);
		free(core);
	}
	switch (a) {
	case XVM_LIFE_PRESERVE:
		/* no longer the toolstack's concern: its config goes */
		r = ts_run_drop(c, info.handle, err);
		break;
	case XVM_LIFE_RENAME_RESTART:
		if ((r = preserve_renamed(c, id, d, err)) < 0 ||
		    (r = ts_run_drop(c, d->uuid, err)) < 0)
			break;
		r = xvm_create(c, d, 0, &nid, err);
		break;
	case XVM_LIFE_RESTART:
	case XVM_LIFE_COREDUMP_RESTART:
		if ((r = xvm_destroy(c, id, err)) < 0)
			break;
		r = xvm_create(c, d, 0, &nid, err);
		break;
	default:
		r = xvm_destroy(c, id, err);
		break;
	}
	/* why it went (a restart's create said "booted") */
	if (r == 0 && a != XVM_LIFE_RESTART && a != XVM_LIFE_RENAME_RESTART &&
	    a != XVM_LIFE_COREDUMP_RESTART)
		ts_reason_set(c, info.handle, info.shutdown_reason ==
		    SHUTDOWN_crash ? "crashed" : "shutoff", info.shutdown_reason
		    == SHUTDOWN_crash ? "panicked" : "shutdown");
	if (r == 0 && (a == XVM_LIFE_RESTART ||
	    a == XVM_LIFE_RENAME_RESTART || a == XVM_LIFE_COREDUMP_RESTART))
		ts_log(c, XVM_LOG_INFO, "domain '%s' restarted as %" PRIu32,
		    d->name, nid);
	else if (r < 0)
		ts_log(c, XVM_LOG_ERROR, "domain %" PRIu32 " (%s): %s failed: "
		    "%s", id, d->name, xvm_lifecycle_name(a), err->msg);
	xvm_domain_free(d);
	return r;
}

int
ts_actions(struct xvm_conn *c, const struct xvm_dominfo *info, size_t n,
    bool *acted_r)
{
	struct xvm_err err = { 0 };
	size_t i;

	*acted_r = false;
	if (c->in_actions)
		return 0;		/* a restart's create lists too */
	for (i = 0; i < n; i++)
		if (info[i].domid != 0 && info[i].shutdown && !info[i].dying &&
		    info[i].shutdown_reason != SHUTDOWN_suspend)
			break;
	if (i == n)
		return 0;
	if (ts_store_lock(c, &err) < 0)
		return 0;		/* the next lister tries again */
	c->in_actions = true;
	for (; i < n; i++) {
		if (info[i].domid == 0 || !info[i].shutdown || info[i].dying ||
		    info[i].shutdown_reason == SHUTDOWN_suspend)
			continue;
		xvm_err_clear(&err);
		/* a failure is logged; the listing goes on */
		(void)act(c, info[i].domid, &err);
		*acted_r = true;
	}
	c->in_actions = false;
	ts_store_unlock(c);
	return 0;
}

/* ---- asking a guest ------------------------------------------------------ */

/*
 * Write val to control/NODE of guest id, which must be a PV domain that
 * runs: Domain-0 (dom0_why) and HVM guests (hvm_why) cannot be asked.
 */
static int
ask_guest(struct xvm_conn *c, uint32_t id, const char *node, const char *val,
    const char *dom0_why, const char *hvm_why, struct xvm_err *err)
{
	struct xvm_dominfo info;
	char path[64];

	if (id == 0)
		return xvm_err_set(err, XVM_ERR_OPERATION_INVALID, "%s",
		    dom0_why);
	if (xvm_xc_domain_info(c->io, id, &info, err) < 0)
		return -1;
	if (info.shutdown || info.dying)
		return xvm_err_set(err, XVM_ERR_OPERATION_INVALID, "domain "
		    "%" PRIu32 " has already shut down", id);
	/* an HVM guest hears requests once its PV drivers are up: they set
	   the callback Xen signals them with (libxl's pvcontrol check) */
	if (info.hvm) {
		uint64_t cb = 0;

		if (xvm_xc_hvm_param(c->io, id, false, HVM_PARAM_CALLBACK_IRQ,
		    &cb, err) < 0)
			return -1;
		if (cb == 0)
			return xvm_err_set(err, XVM_ERR_NO_SUPPORT, "domain %"
			    PRIu32 " is an HVM guest: %s", id, hvm_why);
	}
	snprintf(path, sizeof(path), "/local/domain/%" PRIu32 "/control/%s",
	    id, node);
	return xvm_xs_write(c->io, path, val, err);
}

int
xvm_shutdown(struct xvm_conn *c, uint32_t id, enum xvm_shutdown_how how,
    struct xvm_err *err)
{
	static const char *const req[] = {
		[XVM_SHUTDOWN_POWEROFF] = "poweroff",
		[XVM_SHUTDOWN_REBOOT] = "reboot",
		[XVM_SHUTDOWN_HALT] = "halt",
	};

	if (xvm_conn_is_test(c) && how == XVM_SHUTDOWN_REBOOT && id != 0) {
		/* libvirt's test driver reboots a domain in place, at once */
		struct xvm_dominfo info;

		if (xvm_xc_domain_info(c->io, id, &info, err) < 0)
			return -1;
		ts_reason_set(c, info.handle, "running", "booted");
		return 0;
	}
	if (ask_guest(c, id, "shutdown", req[how], "Domain-0 cannot be shut "
	    "down from here: shut down the host", "without PV drivers it "
	    "cannot be asked to shut down (use destroy)", err) < 0)
		return -1;
	ts_log(c, XVM_LOG_INFO, "domain %" PRIu32 " asked to %s", id,
	    req[how]);
	return 0;
}

int
xvm_reset(struct xvm_conn *c, uint32_t id, struct xvm_err *err)
{
	struct xvm_domain *d = NULL;
	uint32_t nid;
	int r = -1;

	if (id == 0)
		return xvm_err_set(err, XVM_ERR_OPERATION_INVALID, "Domain-0 "
		    "is reset with the host");
	if (xvm_running_config(c, id, &d, err) < 0)
		return -1;
	if (xvm_conn_is_test(c)) {
		r = 0;		/* the test driver's reset changes nothing */
	} else if (xvm_destroy(c, id, err) == 0 &&
	    xvm_create(c, d, 0, &nid, err) == 0) {
		ts_log(c, XVM_LOG_INFO, "domain %" PRIu32 " (%s) reset: now %"
		    PRIu32, id, d->name, nid);
		r = 0;
	}
	xvm_domain_free(d);
	return r;
}

int
xvm_sysrq(struct xvm_conn *c, uint32_t id, const char *key,
    struct xvm_err *err)
{
	if (key[0] == '\0' || key[1] != '\0' || key[0] <= ' ' ||
	    key[0] > '~')
		return xvm_err_set(err, XVM_ERR_INVALID_ARG, "a sysrq key is "
		    "one printable character, not '%s'", key);
	if (ask_guest(c, id, "sysrq", key, "Domain-0 takes its sysrq keys "
	    "from /proc/sysrq-trigger", "sysrq needs a PV kernel", err) < 0)
		return -1;
	ts_log(c, XVM_LOG_INFO, "domain %" PRIu32 " sent sysrq '%s'", id,
	    key);
	return 0;
}

int
xvm_wait_stopped(struct xvm_conn *c, uint32_t id, const unsigned char uuid[16],
    double timeout_s, struct xvm_err *err)
{
	double end = xvm_mono_ms() + timeout_s * 1000;

	for (;;) {
		struct xvm_domstat *list = NULL;
		size_t n = 0, i;
		bool there = false, stopped = false;

		/* listing carries out the actions of stopped domains */
		if (xvm_list(c, &list, &n, err) < 0)
			return -1;
		for (i = 0; i < n; i++)
			if (list[i].id == id &&
			    memcmp(list[i].uuid, uuid, 16) == 0) {
				there = true;
				stopped = list[i].state[3] == 's' ||
				    list[i].state[4] == 'c';
			}
		xvm_domstat_free(list, n);
		/* gone (destroyed or restarted under a new id), or kept; on
		   the test host requests take effect at once (a reboot in
		   place) */
		if (!there || stopped || xvm_conn_is_test(c))
			return 0;
		if (timeout_s > 0 && xvm_mono_ms() >= end)
			return xvm_err_set(err, XVM_ERR_OPERATION_FAILED,
			    "domain %" PRIu32 " did not shut down within %.0f "
			    "seconds", id, timeout_s);
		usleep(20 * 1000);
	}
}

/* ---- names --------------------------------------------------------------- */

int
ts_set_name(struct xvm_conn *c, uint32_t id, const char *name,
    const unsigned char uuid[16], struct xvm_err *err)
{
	char path[64], u[37], *vm = NULL, *old = NULL, *p;
	uint32_t tx;
	bool again;
	int tries, r = -1;

	xvm_uuid_format(uuid, u);
	snprintf(path, sizeof(path), "/local/domain/%" PRIu32 "/vm", id);
	if (xvm_xs_read(c->io, path, &old, err) < 0)
		return -1;
	vm = xvm_asprintf("/vm/%s", u);
	for (tries = 0; tries < 16; tries++) {
		if (xvm_xs_tx_start(c->io, &tx, err) < 0)
			goto out;
		snprintf(path, sizeof(path), "/local/domain/%" PRIu32 "/name",
		    id);
		if (xvm_xs_twrite(c->io, tx, path, name, err) < 0)
			goto abort;
		p = xvm_asprintf("%s/name", vm);
		r = xvm_xs_twrite(c->io, tx, p, name, err);
		free(p);
		if (r < 0)
			goto abort;
		if (old && strcmp(old, vm) != 0) {
			/* a new UUID: its /vm entry moves */
			p = xvm_asprintf("%s/uuid", vm);
			r = xvm_xs_twrite(c->io, tx, p, u, err);
			free(p);
			snprintf(path, sizeof(path), "/local/domain/%" PRIu32
			    "/vm", id);
			if (r < 0 ||
			    xvm_xs_twrite(c->io, tx, path, vm, err) < 0 ||
			    xvm_xs_trm(c->io, tx, old, err) < 0)
				goto abort;
		}
		if (xvm_xs_tx_end(c->io, tx, true, &again, err) < 0) {
			r = -1;
			goto out;
		}
		if (!again) {
			r = 0;
			goto out;
		}
	}
	r = xvm_err_set(err, XVM_ERR_OPERATION_FAILED, "xenstore kept "
	    "changing while domain %" PRIu32 " was renamed", id);
	goto out;
abort:
	(void)xvm_xs_tx_end(c->io, tx, false, &again, NULL);
	r = -1;
out:
	free(old);
	free(vm);
	return r;
}

int
xvm_rename(struct xvm_conn *c, uint32_t id, const char *name,
    struct xvm_err *err)
{
	struct xvm_domstat *list = NULL;
	struct xvm_defined *defs = NULL;
	struct xvm_domain *live = NULL;
	struct xvm_dominfo info;
	size_t n = 0, ndefs = 0, i;
	char u[37];
	int r = -1;

	if (!xvm_name_valid(name, err))
		return -1;
	if (id == 0)
		return xvm_err_set(err, XVM_ERR_OPERATION_INVALID, "Domain-0 "
		    "keeps its name");
	if (ts_store_lock(c, err) < 0 ||
	    xvm_xc_domain_info(c->io, id, &info, err) < 0 ||
	    xvm_list(c, &list, &n, err) < 0 ||
	    xvm_defined_list(c, &defs, &ndefs, err) < 0)
		goto out;
	xvm_uuid_format(info.handle, u);
	for (i = 0; i < n; i++)
		if (list[i].id != id && strcmp(list[i].name, name) == 0) {
			xvm_err_set(err, XVM_ERR_OPERATION_FAILED, "domain "
			    "'%s' already exists (ID %" PRIu32 ")", name,
			    list[i].id);
			goto out;
		}
	for (i = 0; i < ndefs; i++)
		if (memcmp(defs[i].dom->uuid, info.handle, 16) != 0 &&
		    strcmp(defs[i].dom->name, name) == 0) {
			char du[37];

			xvm_uuid_format(defs[i].dom->uuid, du);
			xvm_err_set(err, XVM_ERR_OPERATION_FAILED, "domain "
			    "'%s' already exists with uuid %s", name, du);
			goto out;
		}
	if (ts_set_name(c, id, name, info.handle, err) < 0)
		goto out;
	/* its configs follow: the one it runs from, its definition */
	if (xvm_running_config(c, id, &live, err) == 0) {
		free(live->name);
		live->name = xvm_strdup(name);
		if (ts_run_save(c, live, id, err) < 0)
			goto out;
	} else if (err->code != XVM_ERR_NOT_FOUND) {
		goto out;		/* (not started by xvm: none) */
	}
	for (i = 0; i < ndefs; i++)
		if (memcmp(defs[i].dom->uuid, info.handle, 16) == 0) {
			struct xvm_buf b = XVM_BUF_INIT;

			free(defs[i].dom->name);
			defs[i].dom->name = xvm_strdup(name);
			xvm_domain_format_xml(defs[i].dom, XVM_XML_INACTIVE |
			    XVM_XML_SECURE, &b);
			r = ts_area_put(c, TS_DEFS, u, xvm_buf_str(&b), b.len,
			    err);
			xvm_buf_release(&b);
			if (r < 0)
				goto out;
		}
	xvm_err_clear(err);
	ts_log(c, XVM_LOG_INFO, "domain %" PRIu32 " renamed '%s'", id, name);
	r = 0;
out:
	ts_store_unlock(c);
	xvm_domain_free(live);
	xvm_domstat_free(list, n);
	xvm_defined_free(defs, ndefs);
	return r;
}

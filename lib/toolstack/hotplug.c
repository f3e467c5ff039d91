/*
 * hotplug.c - a real host's backend hotplug scripts, run by the
 * toolstack as libxl runs them (run_hotplug_scripts=1, libxl_linux.c):
 * /etc/xen/scripts/block sets up a disk's device (a loop device for a
 * file, xend's "file:") and writes physical-device, which blkback waits
 * for; vif-bridge puts the vif on its bridge.  Each says how it went in
 * the backend's hotplug-status.  "add"/"online" before the guest runs,
 * "remove"/"offline" when its domain goes.
 *
 * The simulated host's dom0 serves its backends itself: nothing to run.
 */
#define _GNU_SOURCE 1

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "xvm/file.h"
#include "toolstack/ts_int.h"

#define HOTPLUG_TIMEOUT_MS	40000	/* LIBXL_HOTPLUG_TIMEOUT */
#define DESTROY_TIMEOUT_MS	10000	/* LIBXL_DESTROY_TIMEOUT */
#define HOTPLUG_LOG		"/var/log/xen/xen-hotplug.log"

static bool
real_host(const struct xvm_conn *c)
{
	return strcmp(c->uri, "xen:///system") == 0;
}

/* Run argv with env added; its exit status, or -1 (timeout, no exec). */
static int
run(char *const *argv, char *const *env, const char *log)
{
	struct timespec ts = { 0, 10 * 1000 * 1000 };
	pid_t pid;
	int st, fd, waited;
	size_t i;

	if ((pid = fork()) < 0)
		return -1;
	if (pid == 0) {
		(void)close_range(3, ~0u, 0);
		if ((fd = open("/dev/null", O_RDONLY)) >= 0)
			(void)dup2(fd, 0);
		if ((fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0644)) >= 0) {
			(void)dup2(fd, 1);
			(void)dup2(fd, 2);
		}
		for (i = 0; env[i] && env[i + 1]; i += 2)
			(void)setenv(env[i], env[i + 1], 1);
		(void)setenv("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:"
		    "/usr/bin:/sbin:/bin", 0);
		execv(argv[0], argv);
		dprintf(2, "cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	for (waited = 0; waited < HOTPLUG_TIMEOUT_MS; waited += 10) {
		pid_t r = waitpid(pid, &st, WNOHANG);

		if (r == pid)
			return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
		if (r < 0 && errno != EINTR)
			return -1;
		nanosleep(&ts, NULL);
	}
	(void)kill(pid, SIGKILL);
	(void)waitpid(pid, &st, 0);
	return -1;
}

int
ts_hotplug(struct xvm_conn *c, const char *kind, uint32_t domid, long devid,
    bool add, struct xvm_err *err)
{
	char be[96], path[128], vif[32], *script = NULL, *status = NULL;
	char *why = NULL;
	const char *action;
	int rc, ret = 0;

	if (!real_host(c))
		return 0;
	snprintf(be, sizeof(be), "backend/%s/%" PRIu32 "/%ld", kind, domid,
	    devid);
	snprintf(path, sizeof(path), "/local/domain/0/%s/script", be);
	if (xvm_xs_read(c->io, path, &script, err) < 0)
		return -1;
	if (script == NULL || *script == '\0') {
		free(script);
		return 0;			/* none to run */
	}
	action = strcmp(kind, "vif") == 0 ? (add ? "online" : "offline") :
	    (add ? "add" : "remove");
	snprintf(vif, sizeof(vif), "vif%" PRIu32 ".%ld", domid, devid);
	{
		char *argv[] = { script, (char *)action, NULL };
		char *env[] = { "script", script, "XENBUS_TYPE", (char *)kind,
		    "XENBUS_PATH", be, "XENBUS_BASE_PATH", "backend",
		    strcmp(kind, "vif") == 0 ? "vif" : NULL, vif, NULL, NULL };

		(void)xvm_mkdir_p("/var/log/xen", 0755, NULL);
		rc = run(argv, env, HOTPLUG_LOG);
	}
	if (!add) {
		free(script);
		return 0;			/* going anyway */
	}
	snprintf(path, sizeof(path), "/local/domain/0/%s/hotplug-status", be);
	(void)xvm_xs_read(c->io, path, &status, NULL);
	if (rc != 0 || status == NULL || strcmp(status, "connected") != 0) {
		snprintf(path, sizeof(path), "/local/domain/0/%s/hotplug-error",
		    be);
		(void)xvm_xs_read(c->io, path, &why, NULL);
		ret = xvm_err_set(err, XVM_ERR_OPERATION_FAILED, "%s %ld of "
		    "domain %" PRIu32 ": %s %s %s (see %s)", kind, devid, domid,
		    script, action, why && *why ? why : rc < 0 ? "did not "
		    "finish" : rc != 0 ? "failed" : "did not say connected",
		    HOTPLUG_LOG);
	}
	free(why);
	free(status);
	free(script);
	return ret;
}

/* The backend of kind/devid of domid is Closed (6), or gone. */
static bool
backend_closed(struct xvm_conn *c, const char *kind, uint32_t domid,
    const char *devid)
{
	char path[128], *st = NULL;
	bool closed;

	snprintf(path, sizeof(path), "/local/domain/0/backend/%s/%" PRIu32
	    "/%s/state", kind, domid, devid);
	if (xvm_xs_read(c->io, path, &st, NULL) <= 0 || st == NULL)
		return true;
	closed = strcmp(st, "6") == 0;
	free(st);
	return closed;
}

void
ts_hotplug_remove_all(struct xvm_conn *c, uint32_t domid)
{
	static const char *const kinds[] = { "vbd", "vif" };
	struct xvm_strv ids[2] = { XVM_STRV_INIT, XVM_STRV_INIT };
	struct timespec ts = { 0, 20 * 1000 * 1000 };
	char path[128], *st;
	size_t i, k;
	bool open;
	int waited;

	if (!real_host(c))
		return;
	/*
	 * As libxl's forced removal: each backend goes offline and loses its
	 * frontend, so that its driver lets go of what it holds (blkback
	 * the loop device of a file) and says Closed; then the scripts
	 * undo what they set up.  Without the wait, a restart's add of the
	 * same file could find it still attached and be refused.
	 */
	for (i = 0; i < XVM_ARRAY_SIZE(kinds); i++) {
		snprintf(path, sizeof(path), "/local/domain/0/backend/%s/%"
		    PRIu32, kinds[i], domid);
		if (xvm_xs_directory(c->io, path, &ids[i], NULL) <= 0)
			continue;
		for (k = 0; k < ids[i].n; k++) {
			snprintf(path, sizeof(path), "/local/domain/0/backend/"
			    "%s/%" PRIu32 "/%s/online", kinds[i], domid,
			    ids[i].v[k]);
			(void)xvm_xs_write(c->io, path, "0", NULL);
			snprintf(path, sizeof(path), "/local/domain/%" PRIu32
			    "/device/%s/%s", domid, kinds[i], ids[i].v[k]);
			(void)xvm_xs_rm(c->io, path, NULL);
		}
	}
	for (waited = 0; waited < DESTROY_TIMEOUT_MS; waited += 20) {
		open = false;
		for (i = 0; i < XVM_ARRAY_SIZE(kinds) && !open; i++)
			for (k = 0; k < ids[i].n && !open; k++)
				open = !backend_closed(c, kinds[i], domid,
				    ids[i].v[k]);
		if (!open)
			break;
		nanosleep(&ts, NULL);
	}
	for (i = 0; i < XVM_ARRAY_SIZE(kinds); i++) {
		for (k = 0; k < ids[i].n; k++) {
			/* only what a script set up */
			snprintf(path, sizeof(path), "/local/domain/0/backend/"
			    "%s/%" PRIu32 "/%s/hotplug-status", kinds[i], domid,
			    ids[i].v[k]);
			st = NULL;
			if (xvm_xs_read(c->io, path, &st, NULL) > 0 && st &&
			    strcmp(st, "connected") == 0)
				(void)ts_hotplug(c, kinds[i], domid,
				    strtol(ids[i].v[k], NULL, 10), false, NULL);
			free(st);
		}
		xvm_strv_release(&ids[i]);
	}
}

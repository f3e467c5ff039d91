/*
 * monitor.c - on a real Xen host, a process per domain xvm starts, as xl
 * keeps one: it watches the domain and, when the guest shuts down,
 * carries out its lifecycle action at once (lifecycle.c: a restart gets
 * a new id, and the same process follows it), so that `xm reboot` and a
 * guest's own reboot take effect without waiting for the next xvm
 * command - what xend did on Sun xVM.  It ends when the domain is gone
 * or kept stopped (preserve).
 *
 * The simulated host keeps time itself: its guests act when a process
 * looks, and every look settles the host (ts_actions), so it needs none.
 *
 * XVM_MONITOR=0 in the environment of the command that starts a domain
 * leaves it without one: then the next xvm command carries out the
 * action, as on the simulated host.
 */
#define _GNU_SOURCE 1

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "xvm/domain.h"
#include "xvm/file.h"
#include "xvm/toolstack.h"
#include "toolstack/ts_int.h"

#define POLL_MS		200

/* The id the domain of uuid has now (it changes on a restart), or -1. */
static long
find(struct xvm_conn *c, const unsigned char uuid[16])
{
	struct xvm_domstat *list = NULL;
	struct xvm_err err = { 0 };
	size_t n = 0, i;
	long id = -1;

	/* listing carries out the actions of domains that have stopped */
	if (xvm_list(c, &list, &n, &err) < 0)
		return -2;
	for (i = 0; i < n; i++)
		if (memcmp(list[i].uuid, uuid, 16) == 0 &&
		    list[i].state[5] != 'd')
			id = list[i].id;
	xvm_domstat_free(list, n);
	return id;
}

int
xvm_monitor_run(uint32_t id, const char *uuid_text, struct xvm_err *err)
{
	struct timespec ts = { 0, POLL_MS * 1000000L };
	struct xvm_conn *c = NULL;
	struct xvm_dominfo info;
	unsigned char uuid[16];
	char name[16], *lock;
	long now;
	int gone = 0, lfd;

	if (xvm_uuid_parse(uuid_text, uuid) < 0)
		return xvm_err_set(err, XVM_ERR_USAGE, "'%s' is not a UUID",
		    uuid_text);
	if (xvm_connect("xen:///system", 0, &c, NULL, err) < 0)
		return -1;
	c->in_monitor = true;
	/* one monitor a domain (a migration to this host makes a second) */
	(void)xvm_mkdir_p(c->rundir, 0700, NULL);
	lock = xvm_asprintf("%s/monitor-%s.lock", c->rundir, uuid_text);
	lfd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	free(lock);
	if (lfd < 0 || flock(lfd, LOCK_EX | LOCK_NB) < 0) {
		if (lfd >= 0)
			close(lfd);
		xvm_disconnect(c);
		return 0;
	}
	for (;;) {
		snprintf(name, sizeof(name), "xvm-mon-%" PRIu32, id);
		(void)prctl(PR_SET_NAME, name, 0, 0, 0);
		nanosleep(&ts, NULL);
		xvm_err_clear(err);
		if (xvm_xc_domain_info(c->io, id, &info, err) == 0 &&
		    memcmp(info.handle, uuid, 16) == 0 && !info.shutdown &&
		    !info.dying)
			continue;		/* it runs: the common case */
		/* stopped, dying or gone: what the lifecycle says, then
		   the domain it left (a restart's new id) */
		if ((now = find(c, uuid)) == -2) {
			if (++gone > 25)
				break;		/* the host does not answer */
			continue;
		}
		gone = 0;
		if (now < 0)
			break;			/* destroyed */
		if ((uint32_t)now == id && xvm_xc_domain_info(c->io, id, &info,
		    err) == 0 && info.shutdown && info.shutdown_reason != 2)
			break;	/* kept stopped (preserve); 2: a suspend (save) */
		id = (uint32_t)now;
	}
	xvm_err_clear(err);
	close(lfd);
	xvm_disconnect(c);
	return 0;
}

void
ts_monitor_reap(struct xvm_conn *c)
{
	size_t i = 0;
	int st;

	while (i < c->nmonitors)
		if (waitpid((pid_t)c->monitors[i], &st, WNOHANG) != 0)
			c->monitors[i] = c->monitors[--c->nmonitors];
		else
			i++;
}

void
ts_monitor_spawn(struct xvm_conn *c, uint32_t id, const unsigned char uuid[16])
{
	const char *on = getenv("XVM_MONITOR");
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	sigset_t none, dfl;
	char ids[16], u[37];
	char *argv[] = { (char *)"xvm-monitor", (char *)"__monitor", ids, u,
	    NULL };
	pid_t pid;
	int e;

	if (c->in_monitor || strcmp(c->uri, "xen:///system") != 0 ||
	    (on != NULL && strcmp(on, "0") == 0))
		return;
	ts_monitor_reap(c);
	snprintf(ids, sizeof(ids), "%" PRIu32, id);
	xvm_uuid_format(uuid, u);
	/*
	 * This program again, as `__monitor ID UUID`, in a session of its
	 * own, with none of this process's files: posix_spawn, not fork,
	 * which would copy this process's page tables (a PV dom0 has Xen
	 * check each one).  It outlives this process; those that end
	 * before are reaped here.
	 */
	sigemptyset(&none);
	sigemptyset(&dfl);
	sigaddset(&dfl, SIGPIPE);
	sigaddset(&dfl, SIGINT);
	sigaddset(&dfl, SIGHUP);
	posix_spawnattr_init(&at);
	posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSID |
	    POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
	posix_spawnattr_setsigmask(&at, &none);
	posix_spawnattr_setsigdefault(&at, &dfl);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDWR, 0);
	posix_spawn_file_actions_adddup2(&fa, 0, 1);
	posix_spawn_file_actions_adddup2(&fa, 0, 2);
	posix_spawn_file_actions_addclosefrom_np(&fa, 3);
	if ((e = posix_spawn(&pid, "/proc/self/exe", &fa, &at, argv,
	    environ)) == 0) {
		c->monitors = xvm_realloc(c->monitors, (c->nmonitors + 1) *
		    sizeof(*c->monitors));
		c->monitors[c->nmonitors++] = (long)pid;
	} else {
		ts_log(c, XVM_LOG_WARNING, "domain %" PRIu32 ": no monitor "
		    "process (%s): its lifecycle actions wait for the next "
		    "xvm command", id, strerror(e));
	}
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&at);
}

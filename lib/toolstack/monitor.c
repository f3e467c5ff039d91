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
 * Off unless XVM_MONITOR=1: on the real-Xen test bed a guest with a vbd
 * and a vif that the monitor restarted got its new id but stayed paused
 * (the same restart from `xm reboot -w` completes); until that is found,
 * the next xvm command carries out the action, as on the simulated host.
 */
#define _GNU_SOURCE 1

#include <errno.h>
#include <fcntl.h>
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

static void
follow(uint32_t id, const unsigned char uuid[16])
{
	struct timespec ts = { 0, POLL_MS * 1000000L };
	struct xvm_conn *c = NULL;
	struct xvm_dominfo info;
	struct xvm_err err = { 0 };
	char name[16];
	long now;
	int gone = 0;

	char u[37], *lock;
	int lfd;

	if (xvm_connect("xen:///system", 0, &c, NULL, &err) < 0)
		return;
	c->in_monitor = true;
	/* one monitor a domain (a migration to this host makes a second) */
	xvm_uuid_format(uuid, u);
	(void)xvm_mkdir_p(c->rundir, 0700, NULL);
	lock = xvm_asprintf("%s/monitor-%s.lock", c->rundir, u);
	lfd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	free(lock);
	if (lfd < 0 || flock(lfd, LOCK_EX | LOCK_NB) < 0) {
		if (lfd >= 0)
			close(lfd);
		xvm_disconnect(c);
		return;
	}
	for (;;) {
		snprintf(name, sizeof(name), "xvm-mon-%" PRIu32, id);
		(void)prctl(PR_SET_NAME, name, 0, 0, 0);
		nanosleep(&ts, NULL);
		xvm_err_clear(&err);
		if (xvm_xc_domain_info(c->io, id, &info, &err) == 0 &&
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
		    &err) == 0 && info.shutdown && info.shutdown_reason != 2)
			break;	/* kept stopped (preserve); 2: a suspend (save) */
		id = (uint32_t)now;
	}
	close(lfd);
	xvm_disconnect(c);
}

void
ts_monitor_spawn(struct xvm_conn *c, uint32_t id, const unsigned char uuid[16])
{
	const char *on = getenv("XVM_MONITOR");
	pid_t pid, gc;
	int st, fd;

	if (c->in_monitor || strcmp(c->uri, "xen:///system") != 0 ||
	    on == NULL || *on == '\0' || strcmp(on, "0") == 0)
		return;
	if ((pid = fork()) < 0)
		return;
	if (pid == 0) {
		/* detached: a session of its own, reparented to init, with
		   none of this process's files (the store's lock above all) */
		(void)setsid();
		if ((gc = fork()) != 0)
			_exit(gc < 0);
		(void)close_range(3, ~0u, 0);
		if ((fd = open("/dev/null", O_RDWR)) >= 0) {
			(void)dup2(fd, 0);
			(void)dup2(fd, 1);
			(void)dup2(fd, 2);
			if (fd > 2)
				close(fd);
		}
		follow(id, uuid);
		_exit(0);
	}
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
}

/*
 * dm_proc.c - a real host's device model: QEMU started as a process of
 * its own (detached: a new session, reparented to init, its output
 * appended to a log), as libxl's spawner does, and stopped by its pid -
 * once the pid is seen still to be that domain's device model.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "xen/io/io_int.h"

int
xvm_dm_spawn(char *const *argv, const char *log, long *pid_r,
    struct xvm_err *err)
{
	int pfd[2], fd, e = 0, st;
	pid_t child, gc = -1;
	ssize_t n;

	if (access(argv[0], X_OK) < 0)
		return xvm_err_sys(err, errno, "cannot run the device model "
		    "'%s'", argv[0]);
	if (pipe2(pfd, O_CLOEXEC) < 0)
		return xvm_err_sys(err, errno, "cannot start the device model");
	if ((child = fork()) < 0) {
		e = errno;
		close(pfd[0]);
		close(pfd[1]);
		return xvm_err_sys(err, e, "cannot start the device model");
	}
	if (child == 0) {
		(void)setsid();
		gc = fork();
		if (gc != 0) {
			long v = gc;

			(void)!write(pfd[1], &v, sizeof(v));
			_exit(gc < 0);
		}
		if ((fd = open("/dev/null", O_RDONLY)) >= 0)
			(void)dup2(fd, 0);
		if ((fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0644)) >= 0) {
			(void)dup2(fd, 1);
			(void)dup2(fd, 2);
		}
		execv(argv[0], argv);
		dprintf(2, "cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	close(pfd[1]);
	{
		long v = -1;

		do
			n = read(pfd[0], &v, sizeof(v));
		while (n < 0 && errno == EINTR);
		close(pfd[0]);
		while (waitpid(child, &st, 0) < 0 && errno == EINTR)
			;
		if (n != (ssize_t)sizeof(v) || v <= 0)
			return xvm_err_set(err, XVM_ERR_SYSTEM, "cannot start "
			    "the device model '%s'", argv[0]);
		*pid_r = v;
	}
	return 0;
}

/* Is pid the device model of domid (its command line says so)? */
static int
is_dm_of(long pid, uint32_t domid)
{
	char path[64], buf[8192], want[16];
	size_t len, i;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%ld/cmdline", pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	len = (size_t)n;
	snprintf(want, sizeof(want), "%u", domid);
	for (i = 0; i < len; i += strlen(buf + i) + 1)
		if (strcmp(buf + i, "-xen-domid") == 0 &&
		    i + 11 < len && strcmp(buf + i + 11, want) == 0)
			return 1;
	return 0;
}

void
xvm_dm_kill(uint32_t domid, long pid)
{
	struct timespec ts = { 0, 20 * 1000 * 1000 };
	int i;

	if (pid <= 1 || !is_dm_of(pid, domid))
		return;
	(void)kill((pid_t)pid, SIGTERM);
	for (i = 0; i < 250 && kill((pid_t)pid, 0) == 0 &&
	    is_dm_of(pid, domid); i++)
		nanosleep(&ts, NULL);
	if (kill((pid_t)pid, 0) == 0 && is_dm_of(pid, domid))
		(void)kill((pid_t)pid, SIGKILL);
}

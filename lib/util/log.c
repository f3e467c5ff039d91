/*
 * log.c - the toolstack log: one line per record, one write(2) per record
 * on an O_APPEND descriptor, so concurrent writers never interleave.
 *
 *   [2026-11-26 00:28:25.123 4242] INFO (toolstack) domain 'a' created
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "xvm/file.h"
#include "xvm/log.h"
#include "xvm/util.h"

int
xvm_log_open(struct xvm_log *log, const char *path, struct xvm_err *err)
{
	const char *slash;
	char *dir = NULL;
	int fd, ret = -1;

	slash = strrchr(path, '/');
	if (slash != NULL && slash != path) {
		dir = xvm_strndup(path, (size_t)(slash - path));
		if (xvm_mkdir_p(dir, 0755, err) < 0)
			goto out;
	}
	do {
		fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC,
		    0640);
	} while (fd < 0 && errno == EINTR);
	if (fd < 0) {
		xvm_err_sys(err, errno, "cannot open log file '%s'", path);
		goto out;
	}
	xvm_log_close(log);
	log->fd = fd;
	ret = 0;
out:
	free(dir);
	return ret;
}

const char *
xvm_log_level_name(enum xvm_log_level level)
{
	switch (level) {
	case XVM_LOG_DEBUG:
		return "DEBUG";
	case XVM_LOG_INFO:
		return "INFO";
	case XVM_LOG_WARNING:
		return "WARNING";
	case XVM_LOG_ERROR:
		return "ERROR";
	}
	return "UNKNOWN";
}

int
xvm_log_write(struct xvm_log *log, enum xvm_log_level level,
    const char *component, const char *fmt, ...)
{
	struct xvm_buf b = XVM_BUF_INIT;
	struct timespec ts;
	struct tm tm;
	char stamp[32];
	const char *p;
	size_t start, off, len;
	ssize_t n;
	va_list ap;
	int ret = -1;

	if (log == NULL || log->fd < 0 || (int)level < log->min_level)
		return 0;

	if (clock_gettime(CLOCK_REALTIME, &ts) < 0 ||
	    gmtime_r(&ts.tv_sec, &tm) == NULL ||
	    strftime(stamp, sizeof(stamp), "%Y-%m-%d %H:%M:%S", &tm) == 0)
		goto out;
	xvm_buf_printf(&b, "[%s.%03ld %ld] %s (%s) ", stamp,
	    ts.tv_nsec / 1000000, (long)getpid(), xvm_log_level_name(level),
	    component != NULL ? component : "xvm");

	start = b.len;
	va_start(ap, fmt);
	xvm_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	/* One record, one line: drop trailing newlines, flatten the rest. */
	while (b.len > start && b.data[b.len - 1] == '\n')
		b.data[--b.len] = '\0';
	for (p = b.data + start; (p = strchr(p, '\n')) != NULL; p++)
		b.data[p - b.data] = ' ';
	xvm_buf_putc(&b, '\n');

	/* O_APPEND: a regular file takes the record whole unless it fails. */
	for (off = 0, len = b.len; off < len; off += (size_t)n) {
		n = write(log->fd, b.data + off, len - off);
		if (n < 0) {
			if (errno == EINTR) {
				n = 0;
				continue;
			}
			goto out;
		}
		if (n == 0) {
			errno = EIO;
			goto out;
		}
	}
	ret = 0;
out:
	xvm_buf_release(&b);
	return ret;
}

void
xvm_log_close(struct xvm_log *log)
{
	if (log->fd >= 0)
		close(log->fd);
	log->fd = -1;
}

/*
 * log.h - the toolstack log (/var/log/xvm/xvm.log, or DIR/xvm.log for a
 * simulated host) that `xm log` prints.  One line per record:
 *
 *   [2026-11-26 00:28:25.123 4242] INFO (toolstack) domain 'a' created
 *
 * Each record is a single write(2) on an O_APPEND descriptor, so records of
 * concurrent processes never interleave.
 */
#ifndef XVM_LOG_H
#define XVM_LOG_H

#include "xvm/err.h"

enum xvm_log_level {
	XVM_LOG_DEBUG,
	XVM_LOG_INFO,
	XVM_LOG_WARNING,
	XVM_LOG_ERROR,
};

struct xvm_log {
	int fd;			/* -1 when closed */
	int min_level;		/* records below it are dropped */
};
#define XVM_LOG_INIT { -1, XVM_LOG_INFO }

/* Open (creating the file 0640 and its directory 0755) for appending. */
int xvm_log_open(struct xvm_log *log, const char *path, struct xvm_err *err);
int xvm_log_write(struct xvm_log *log, enum xvm_log_level level,
    const char *component, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void xvm_log_close(struct xvm_log *log);		/* idempotent */
const char *xvm_log_level_name(enum xvm_log_level level);	/* "INFO" ... */

#endif

/*
 * err.h - the error type every libxvm function fills instead of printing.
 *
 * Library functions return 0 (or a value) on success and -1 on failure,
 * filling a caller-owned struct xvm_err.  They never print and never exit;
 * only cmd/<tool>/main.c prints an error, once, in its tool's convention.
 */
#ifndef XVM_ERR_H
#define XVM_ERR_H

#include <stdarg.h>

enum xvm_err_code {
	XVM_ERR_OK = 0,
	XVM_ERR_INTERNAL,		/* "internal error: ..." */
	XVM_ERR_SYSTEM,			/* an OS call failed; sys_errno is set */
	XVM_ERR_INVALID_ARG,		/* "invalid argument: ..." */
	XVM_ERR_OVERFLOW,		/* "numerical overflow: ..." */
	XVM_ERR_CONFIG,			/* a config file is wrong; file/line set */
	XVM_ERR_NO_DOMAIN,		/* no such domain */
	XVM_ERR_OPERATION_INVALID,	/* "Requested operation is not valid: ..." */
	XVM_ERR_OPERATION_DENIED,	/* "operation forbidden: ..." */
	XVM_ERR_NO_SUPPORT,		/* not supported by this connection */
	XVM_ERR_USAGE,			/* bad command line */
	XVM_ERR_CONNECT,		/* cannot reach the hypervisor */
	XVM_ERR_NOT_FOUND,		/* a file, command or object does not exist */
	XVM_ERR_CONFIG_UNSUPPORTED,	/* "unsupported configuration: ..." */
	XVM_ERR_OPERATION_FAILED,	/* "operation failed: ..." */
};

struct xvm_err {
	int code;		/* enum xvm_err_code */
	int sys_errno;		/* errno of a failed OS call, else 0 */
	char file[256];		/* config errors: the file ... */
	int line;		/* ... its 1-based line (0: none) ... */
	int column;		/* ... and 1-based column (0: none) */
	char what[512];		/* optional context line printed first,
				   e.g. "Failed to destroy domain 'x'" */
	char msg[1024];		/* the message, without code prefix */
};

void xvm_err_clear(struct xvm_err *err);

/* Set code and message; returns -1 so callers can `return xvm_err_set(...)`. */
int xvm_err_set(struct xvm_err *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int xvm_err_vset(struct xvm_err *err, int code, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));

/* XVM_ERR_SYSTEM with errnum; message becomes "<fmt>: <strerror(errnum)>". */
int xvm_err_sys(struct xvm_err *err, int errnum, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* XVM_ERR_CONFIG at file:line:column (line/column 0 = unknown). */
int xvm_err_at(struct xvm_err *err, const char *file, int line, int column,
    const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Set the context line ("what") kept beside the message. */
void xvm_err_context(struct xvm_err *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* libvirt-style prefix for a code ("invalid argument: ", "" for none). */
const char *xvm_err_prefix(int code);

/*
 * Render the message as one line: "file:line:col: msg" for config errors,
 * prefix+msg otherwise.  Returns buf.
 */
char *xvm_err_format(const struct xvm_err *err, char *buf, unsigned long size);

#endif

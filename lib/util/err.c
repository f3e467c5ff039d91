/*
 * err.c - filling and rendering struct xvm_err.
 *
 * Every setter truncates safely to the array sizes and returns -1 so that a
 * caller can write `return xvm_err_set(err, ...)`.  A NULL err is accepted
 * and ignored, for callers that do not care why something failed.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "xvm/err.h"

/* Copy src into dst (size bytes), always NUL-terminated, truncating. */
static void
copy_trunc(char *dst, size_t size, const char *src)
{
	size_t n;

	if (size == 0)
		return;
	if (src == NULL)
		src = "";
	n = strnlen(src, size - 1);
	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* Append src to the NUL-terminated dst (size bytes), truncating. */
static void
append_trunc(char *dst, size_t size, const char *src)
{
	size_t len = strnlen(dst, size);

	if (len >= size)
		return;
	copy_trunc(dst + len, size - len, src);
}

/* A thread-safe strerror, whichever strerror_r the C library provides. */
static const char *
err_strerror(int errnum, char *buf, size_t size)
{
#if defined(__GLIBC__) && defined(_GNU_SOURCE)
	return strerror_r(errnum, buf, size);
#else
	if (strerror_r(errnum, buf, size) != 0)
		snprintf(buf, size, "Unknown error %d", errnum);
	return buf;
#endif
}

static void
err_reset(struct xvm_err *err, int code)
{
	err->code = code;
	err->sys_errno = 0;
	err->file[0] = '\0';
	err->line = 0;
	err->column = 0;
	err->what[0] = '\0';
	err->msg[0] = '\0';
}

void
xvm_err_clear(struct xvm_err *err)
{
	if (err != NULL)
		err_reset(err, XVM_ERR_OK);
}

int
xvm_err_vset(struct xvm_err *err, int code, const char *fmt, va_list ap)
{
	if (err == NULL)
		return -1;
	err_reset(err, code);
	if (fmt != NULL)
		vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	return -1;
}

int
xvm_err_set(struct xvm_err *err, int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	xvm_err_vset(err, code, fmt, ap);
	va_end(ap);
	return -1;
}

int
xvm_err_sys(struct xvm_err *err, int errnum, const char *fmt, ...)
{
	char ebuf[256];
	va_list ap;

	if (err == NULL)
		return -1;
	va_start(ap, fmt);
	xvm_err_vset(err, XVM_ERR_SYSTEM, fmt, ap);
	va_end(ap);
	err->sys_errno = errnum;
	append_trunc(err->msg, sizeof(err->msg), ": ");
	append_trunc(err->msg, sizeof(err->msg),
	    err_strerror(errnum, ebuf, sizeof(ebuf)));
	return -1;
}

int
xvm_err_at(struct xvm_err *err, const char *file, int line, int column,
    const char *fmt, ...)
{
	va_list ap;

	if (err == NULL)
		return -1;
	va_start(ap, fmt);
	xvm_err_vset(err, XVM_ERR_CONFIG, fmt, ap);
	va_end(ap);
	copy_trunc(err->file, sizeof(err->file), file);
	err->line = line > 0 ? line : 0;
	err->column = column > 0 ? column : 0;
	return -1;
}

void
xvm_err_context(struct xvm_err *err, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL)
		return;
	err->what[0] = '\0';
	if (fmt == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(err->what, sizeof(err->what), fmt, ap);
	va_end(ap);
}

const char *
xvm_err_prefix(int code)
{
	switch (code) {
	case XVM_ERR_INTERNAL:
		return "internal error: ";
	case XVM_ERR_INVALID_ARG:
		return "invalid argument: ";
	case XVM_ERR_OVERFLOW:
		return "numerical overflow: ";
	case XVM_ERR_OPERATION_INVALID:
		return "Requested operation is not valid: ";
	case XVM_ERR_OPERATION_DENIED:
		return "operation forbidden: ";
	case XVM_ERR_NO_SUPPORT:
		return "this function is not supported by the connection "
		    "driver: ";
	case XVM_ERR_CONFIG_UNSUPPORTED:
		return "unsupported configuration: ";
	case XVM_ERR_OPERATION_FAILED:
		return "operation failed: ";
	default:
		return "";
	}
}

char *
xvm_err_format(const struct xvm_err *err, char *buf, unsigned long size)
{
	char num[32];
	int any = 0;

	if (buf == NULL || size == 0)
		return buf;
	buf[0] = '\0';
	if (err == NULL)
		return buf;
	if (err->code == XVM_ERR_CONFIG) {
		if (err->file[0] != '\0') {
			append_trunc(buf, size, err->file);
			any = 1;
		}
		if (err->line > 0) {
			snprintf(num, sizeof(num), "%s%d", any ? ":" : "",
			    err->line);
			append_trunc(buf, size, num);
			any = 1;
			if (err->column > 0) {
				snprintf(num, sizeof(num), ":%d",
				    err->column);
				append_trunc(buf, size, num);
			}
		}
		if (any)
			append_trunc(buf, size, ": ");
	} else {
		append_trunc(buf, size, xvm_err_prefix(err->code));
	}
	append_trunc(buf, size, err->msg);
	return buf;
}

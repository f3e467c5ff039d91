/*
 * buf.c - a growable byte buffer, NUL-terminated once anything was added.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xvm/util.h"

/* Make room for extra more bytes plus the terminating NUL. */
static void
buf_grow(struct xvm_buf *b, size_t extra)
{
	size_t need, cap;

	if (extra > SIZE_MAX - b->len - 1)
		abort();
	need = b->len + extra + 1;
	if (need <= b->cap)
		return;
	cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	b->data = xvm_realloc(b->data, cap);
	b->cap = cap;
}

void
xvm_buf_init(struct xvm_buf *b)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
}

void
xvm_buf_release(struct xvm_buf *b)
{
	free(b->data);
	xvm_buf_init(b);
}

void
xvm_buf_reset(struct xvm_buf *b)
{
	b->len = 0;
	if (b->data != NULL)
		b->data[0] = '\0';
}

void
xvm_buf_add(struct xvm_buf *b, const void *data, size_t len)
{
	buf_grow(b, len);
	if (len > 0)
		memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
}

void
xvm_buf_puts(struct xvm_buf *b, const char *s)
{
	xvm_buf_add(b, s, strlen(s));
}

void
xvm_buf_putc(struct xvm_buf *b, char c)
{
	xvm_buf_add(b, &c, 1);
}

void
xvm_buf_pad(struct xvm_buf *b, size_t n, char c)
{
	buf_grow(b, n);
	memset(b->data + b->len, c, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void
xvm_buf_vprintf(struct xvm_buf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	int n;

	buf_grow(b, 0);
	va_copy(ap2, ap);
	n = vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		abort();
	if ((size_t)n >= b->cap - b->len) {
		buf_grow(b, (size_t)n);
		n = vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap);
		if (n < 0)
			abort();
	}
	b->len += (size_t)n;
}

void
xvm_buf_printf(struct xvm_buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	xvm_buf_vprintf(b, fmt, ap);
	va_end(ap);
}

const char *
xvm_buf_str(const struct xvm_buf *b)
{
	return b->data != NULL ? b->data : "";
}

char *
xvm_buf_steal(struct xvm_buf *b)
{
	char *s = b->data;

	if (s == NULL)
		s = xvm_strdup("");
	xvm_buf_init(b);
	return s;
}

/*
 * mem.c - allocation wrappers that abort on exhaustion, and small string
 * helpers.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "xvm/util.h"

static void *
check_alloc(void *p)
{
	if (p == NULL)
		abort();
	return p;
}

void *
xvm_malloc(size_t size)
{
	return check_alloc(malloc(size ? size : 1));
}

void *
xvm_calloc(size_t n, size_t size)
{
	if (n == 0 || size == 0)
		n = size = 1;
	return check_alloc(calloc(n, size));
}

void *
xvm_realloc(void *p, size_t size)
{
	return check_alloc(realloc(p, size ? size : 1));
}

char *
xvm_strdup(const char *s)
{
	if (s == NULL)
		return NULL;
	return check_alloc(strdup(s));
}

char *
xvm_strndup(const char *s, size_t n)
{
	if (s == NULL)
		return NULL;
	return check_alloc(strndup(s, n));
}

char *
xvm_vasprintf(const char *fmt, va_list ap)
{
	char *s = NULL;

	if (vasprintf(&s, fmt, ap) < 0)
		abort();
	return s;
}

char *
xvm_asprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = xvm_vasprintf(fmt, ap);
	va_end(ap);
	return s;
}

bool
xvm_streq(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

bool
xvm_has_prefix(const char *s, const char *prefix)
{
	if (s == NULL || prefix == NULL)
		return false;
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

double
xvm_mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

void
xvm_prefault(void *p, size_t len)
{
#ifdef MADV_POPULATE_WRITE
	uintptr_t pg = (uintptr_t)sysconf(_SC_PAGESIZE);
	uintptr_t a = ((uintptr_t)p + pg - 1) & ~(pg - 1);
	uintptr_t e = ((uintptr_t)p + len) & ~(pg - 1);

	if (len >= (1u << 20) && e > a)
		(void)madvise((void *)a, e - a, MADV_POPULATE_WRITE);
#else
	(void)p;
	(void)len;
#endif
}

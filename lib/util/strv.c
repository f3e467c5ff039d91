/*
 * strv.c - NULL-terminated vectors of owned strings.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "xvm/util.h"

void
xvm_strv_init(struct xvm_strv *s)
{
	s->v = NULL;
	s->n = 0;
	s->cap = 0;
}

void
xvm_strv_release(struct xvm_strv *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	xvm_strv_init(s);
}

void
xvm_strv_push_take(struct xvm_strv *s, char *str)
{
	size_t cap;

	/* Room for the new string and the NULL after it. */
	if (s->n + 2 > s->cap) {
		cap = s->cap ? s->cap * 2 : 8;
		if (cap < s->cap || cap > SIZE_MAX / sizeof(*s->v))
			abort();
		s->v = xvm_realloc(s->v, cap * sizeof(*s->v));
		s->cap = cap;
	}
	s->v[s->n++] = str;
	s->v[s->n] = NULL;
}

void
xvm_strv_push(struct xvm_strv *s, const char *str)
{
	xvm_strv_push_take(s, xvm_strdup(str));
}

void
xvm_strv_pushf(struct xvm_strv *s, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	xvm_strv_push_take(s, xvm_vasprintf(fmt, ap));
	va_end(ap);
}

bool
xvm_strv_contains(const struct xvm_strv *s, const char *str)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (xvm_streq(s->v[i], str))
			return true;
	return false;
}

static int
strv_cmp(const void *a, const void *b)
{
	const char *sa = *(char *const *)a;
	const char *sb = *(char *const *)b;

	if (sa == NULL || sb == NULL)
		return (sa != NULL) - (sb != NULL);
	return strcmp(sa, sb);
}

void
xvm_strv_sort(struct xvm_strv *s)
{
	if (s->n > 1)
		qsort(s->v, s->n, sizeof(*s->v), strv_cmp);
}

void
xvm_strv_uniq(struct xvm_strv *s)
{
	size_t i, j;

	if (s->n < 2)
		return;
	for (i = 1, j = 1; i < s->n; i++) {
		if (xvm_streq(s->v[i], s->v[j - 1]))
			free(s->v[i]);
		else
			s->v[j++] = s->v[i];
	}
	s->n = j;
	s->v[s->n] = NULL;
}

char *
xvm_strv_join(const struct xvm_strv *s, const char *sep)
{
	struct xvm_buf b = XVM_BUF_INIT;
	size_t i;

	if (sep == NULL)
		sep = "";
	for (i = 0; i < s->n; i++) {
		if (i > 0)
			xvm_buf_puts(&b, sep);
		if (s->v[i] != NULL)
			xvm_buf_puts(&b, s->v[i]);
	}
	return xvm_buf_steal(&b);
}

void
xvm_strv_split(struct xvm_strv *s, const char *str, const char *seps)
{
	size_t len;

	if (str == NULL)
		return;
	if (seps == NULL)
		seps = "";
	for (;;) {
		len = strcspn(str, seps);
		xvm_strv_push_take(s, xvm_strndup(str, len));
		if (str[len] == '\0')
			break;
		str += len + 1;
	}
}

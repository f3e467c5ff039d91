/*
 * util.h - memory, strings, buffers and string vectors.
 *
 * Allocation failure aborts the process (as glib and git's x* wrappers do):
 * no caller can do anything useful without memory, and it keeps every other
 * path honest.
 */
#ifndef XVM_UTIL_H
#define XVM_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#define XVM_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

void *xvm_malloc(size_t size);
void *xvm_calloc(size_t n, size_t size);
void *xvm_realloc(void *p, size_t size);
/*
 * Make the pages of a large buffer about to be written (len bytes at p)
 * in one call, not one fault each (MADV_POPULATE_WRITE, Linux 5.14; a
 * no-op elsewhere): a fault costs most in a Xen PV dom0, where each goes
 * through the hypervisor.
 */
void xvm_prefault(void *p, size_t len);
char *xvm_strdup(const char *s);			/* NULL -> NULL */
char *xvm_strndup(const char *s, size_t n);
char *xvm_asprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *xvm_vasprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

bool xvm_streq(const char *a, const char *b);		/* NULL-safe */
bool xvm_has_prefix(const char *s, const char *prefix);

/* Milliseconds of the monotonic clock (for durations and deadlines). */
double xvm_mono_ms(void);

/* Growable byte buffer, always NUL-terminated once anything was added. */
struct xvm_buf {
	char *data;
	size_t len;
	size_t cap;
};
#define XVM_BUF_INIT { NULL, 0, 0 }

void xvm_buf_init(struct xvm_buf *b);
void xvm_buf_release(struct xvm_buf *b);		/* idempotent */
void xvm_buf_reset(struct xvm_buf *b);			/* len = 0, keeps memory */
void xvm_buf_add(struct xvm_buf *b, const void *data, size_t len);
void xvm_buf_puts(struct xvm_buf *b, const char *s);
void xvm_buf_putc(struct xvm_buf *b, char c);
void xvm_buf_pad(struct xvm_buf *b, size_t n, char c);	/* n copies of c */
void xvm_buf_printf(struct xvm_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void xvm_buf_vprintf(struct xvm_buf *b, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));
const char *xvm_buf_str(const struct xvm_buf *b);	/* never NULL */
char *xvm_buf_steal(struct xvm_buf *b);			/* caller frees; never NULL */

/* Vector of owned strings, NULL-terminated (v[n] == NULL once non-empty). */
struct xvm_strv {
	char **v;
	size_t n;
	size_t cap;
};
#define XVM_STRV_INIT { NULL, 0, 0 }

void xvm_strv_init(struct xvm_strv *s);
void xvm_strv_release(struct xvm_strv *s);		/* idempotent */
void xvm_strv_push(struct xvm_strv *s, const char *str);	/* copies */
void xvm_strv_push_take(struct xvm_strv *s, char *str);	/* takes ownership */
void xvm_strv_pushf(struct xvm_strv *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
bool xvm_strv_contains(const struct xvm_strv *s, const char *str);
void xvm_strv_sort(struct xvm_strv *s);			/* strcmp order */
void xvm_strv_uniq(struct xvm_strv *s);			/* drop adjacent dups */
char *xvm_strv_join(const struct xvm_strv *s, const char *sep);	/* caller frees */
/* Append the fields of str separated by any char of seps; empty fields kept. */
void xvm_strv_split(struct xvm_strv *s, const char *str, const char *seps);

#endif

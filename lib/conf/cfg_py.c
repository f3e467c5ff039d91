/*
 * cfg_py.c - config values, number literals, and the harmless Python that
 * xm configs contain: + on strings, lists and numbers, integer arithmetic
 * with Python's (floor) semantics, and "fmt" % args.
 *
 * Every operation is checked: integer overflow and division by zero are
 * errors, and nothing grows without bound (see CFG_MAX_WORK/WIDTH).
 *
 * Item arrays of lists always have room for a power of two of items (the
 * smallest that holds nitems), so cfg_list_push can grow them without a
 * capacity field in the public struct.
 */
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xvm/err.h"
#include "xvm/util.h"
#include "cfg_int.h"

/* Room for n items: 0 or the smallest power of two >= n. */
static size_t
items_cap(size_t n)
{
	size_t cap = 1;

	if (n == 0)
		return 0;
	while (cap < n) {
		if (cap > SIZE_MAX / 2 / sizeof(struct xvm_cfg_value))
			abort();
		cap *= 2;
	}
	return cap;
}

static void
items_reserve(struct xvm_cfg_value *list, size_t n)
{
	size_t cap = items_cap(n);

	if (cap == 0)
		return;
	if (cap > items_cap(list->nitems) || list->items == NULL)
		list->items = xvm_realloc(list->items,
		    cap * sizeof(*list->items));
}

void
cfg_val_release(struct xvm_cfg_value *v)
{
	size_t i;

	if (v == NULL)
		return;
	free(v->str);
	for (i = 0; i < v->nitems; i++)
		cfg_val_release(&v->items[i]);
	free(v->items);
	memset(v, 0, sizeof(*v));
}

void
cfg_val_copy(struct xvm_cfg_value *dst, const struct xvm_cfg_value *src)
{
	size_t i;

	*dst = *src;
	dst->str = xvm_strdup(src->str);
	dst->items = NULL;
	dst->nitems = 0;
	if (src->type != XVM_CFG_LIST)
		return;
	items_reserve(dst, src->nitems);
	for (i = 0; i < src->nitems; i++)
		cfg_val_copy(&dst->items[i], &src->items[i]);
	dst->nitems = src->nitems;
}

size_t
cfg_val_size(const struct xvm_cfg_value *v)
{
	size_t n = sizeof(*v), i;

	if (v->str != NULL)
		n += strlen(v->str) + 1;
	for (i = 0; i < v->nitems; i++)
		n += cfg_val_size(&v->items[i]);
	return n;
}

int
cfg_val_depth(const struct xvm_cfg_value *v)
{
	int d = 0, e;
	size_t i;

	if (v->type != XVM_CFG_LIST)
		return 0;
	for (i = 0; i < v->nitems; i++) {
		e = cfg_val_depth(&v->items[i]);
		if (e > d)
			d = e;
	}
	return d + 1;
}

void
cfg_val_string(struct xvm_cfg_value *v, char *s)
{
	int line = v->line, column = v->column;

	cfg_val_release(v);
	v->type = XVM_CFG_STRING;
	v->str = s;
	v->line = line;
	v->column = column;
}

void
cfg_val_number(struct xvm_cfg_value *v, long long n)
{
	cfg_val_string(v, xvm_asprintf("%lld", n));
	v->type = XVM_CFG_NUMBER;
	v->num = n;
}

void
cfg_list_push(struct xvm_cfg_value *list, struct xvm_cfg_value *item)
{
	items_reserve(list, list->nitems + 1);
	list->items[list->nitems++] = *item;
	memset(item, 0, sizeof(*item));
}

const char *
cfg_type_name(enum xvm_cfg_type type)
{
	switch (type) {
	case XVM_CFG_NUMBER:
		return "a number";
	case XVM_CFG_LIST:
		return "a list";
	default:
		return "a string";
	}
}

static int
digit_val(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 10;
	return 99;
}

int
cfg_number(const char *s, size_t len, long long *out, const char **why)
{
	unsigned long long v = 0, max = LLONG_MAX;
	size_t i = 0, j;
	unsigned base = 10;
	bool neg = false, exp = false;
	int d;

	if (len > 0 && (s[0] == '+' || s[0] == '-')) {
		neg = s[0] == '-';
		if (neg)
			max = (unsigned long long)LLONG_MAX + 1;
		i++;
	}
	if (memchr(s + i, '.', len - i) != NULL) {
		*why = "is not an integer";
		return -1;
	}
	/* 1e3 */
	for (j = i; j < len && s[j] >= '0' && s[j] <= '9'; j++)
		;
	if (j > i && j + 1 < len && (s[j] == 'e' || s[j] == 'E')) {
		exp = true;
		for (j++; j < len; j++)
			if (s[j] < '0' || s[j] > '9')
				exp = false;
	}
	if (exp) {
		*why = "is not an integer";
		return -1;
	}
	*why = "is not a valid number";
	if (i >= len)
		return -1;
	if (len - i > 2 && s[i] == '0' && (s[i + 1] == 'x' ||
	    s[i + 1] == 'X')) {
		base = 16;
		i += 2;
	} else if (len - i > 1 && s[i] == '0') {
		base = 8;
		i++;
	}
	for (; i < len; i++) {
		d = digit_val(s[i]);
		if (d >= (int)base)
			return -1;
		if (v > (max - (unsigned)d) / base) {
			*why = "is out of range";
			return -1;
		}
		v = v * base + (unsigned)d;
	}
	if (neg)
		*out = v == (unsigned long long)LLONG_MAX + 1 ? LLONG_MIN :
		    -(long long)v;
	else
		*out = (long long)v;
	*why = NULL;
	return 0;
}

static int __attribute__((format(printf, 2, 3)))
py_err(const struct cfg_where *w, const char *fmt, ...)
{
	char msg[900];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return xvm_err_at(w->err, w->file, w->line, w->column, "%s", msg);
}

static int
fail(struct xvm_cfg_value *l, struct xvm_cfg_value *r)
{
	cfg_val_release(l);
	cfg_val_release(r);
	return -1;
}

int
cfg_py_add(struct xvm_cfg_value *l, struct xvm_cfg_value *r,
    bool numbers, bool pluseq, const struct cfg_where *w)
{
	size_t a, b, i;

	if (l->type == XVM_CFG_STRING && r->type == XVM_CFG_STRING) {
		a = strlen(l->str);
		b = strlen(r->str);
		l->str = xvm_realloc(l->str, a + b + 1);
		memcpy(l->str + a, r->str, b + 1);
		cfg_val_release(r);
		return 0;
	}
	if (l->type == XVM_CFG_LIST && r->type == XVM_CFG_LIST) {
		items_reserve(l, l->nitems + r->nitems);
		for (i = 0; i < r->nitems; i++)
			l->items[l->nitems++] = r->items[i];
		r->nitems = 0;
		cfg_val_release(r);
		return 0;
	}
	if (l->type == XVM_CFG_NUMBER && r->type == XVM_CFG_NUMBER) {
		if (numbers)
			return cfg_py_arith('+', l, r, NULL, w);
		py_err(w, "can't use '%s' with numbers", pluseq ? "+=" : "+");
		return fail(l, r);
	}
	py_err(w, "can't add %s to %s", cfg_type_name(r->type),
	    cfg_type_name(l->type));
	return fail(l, r);
}

int
cfg_py_arith(int op, struct xvm_cfg_value *l, struct xvm_cfg_value *r,
    const char *expr, const struct cfg_where *w)
{
	char ops[3] = { (char)op, '\0', '\0' };
	long long a, b, v = 0;
	bool over = false;

	if (op == 'f')
		memcpy(ops, "//", 3);
	if (l->type != XVM_CFG_NUMBER || r->type != XVM_CFG_NUMBER) {
		py_err(w, "can't apply '%s' to %s", ops,
		    cfg_type_name(l->type != XVM_CFG_NUMBER ? l->type :
		    r->type));
		return fail(l, r);
	}
	a = l->num;
	b = r->num;
	switch (op) {
	case '+':
		over = __builtin_add_overflow(a, b, &v);
		break;
	case '-':
		over = __builtin_sub_overflow(a, b, &v);
		break;
	case '*':
		over = __builtin_mul_overflow(a, b, &v);
		break;
	case '/':
	case 'f':
	case '%':
		if (b == 0) {
			if (expr != NULL)
				py_err(w, "division by zero in %s", expr);
			else
				py_err(w, "division by zero");
			return fail(l, r);
		}
		if (b == -1) {
			/* LLONG_MIN / -1 overflows; x % -1 is 0 */
			if (op == '%')
				v = 0;
			else
				over = __builtin_sub_overflow(0, a, &v);
			break;
		}
		if (op == '%') {
			v = a % b;
			if (v != 0 && (v < 0) != (b < 0))
				v += b;
		} else {
			v = a / b;
			if (a % b != 0 && (a < 0) != (b < 0))
				v--;
		}
		break;
	default:
		py_err(w, "unsupported operator '%s'", ops);
		return fail(l, r);
	}
	if (over) {
		if (expr != NULL)
			py_err(w, "integer overflow in %s", expr);
		else
			py_err(w, "integer overflow in '%s'", ops);
		return fail(l, r);
	}
	cfg_val_number(l, v);
	cfg_val_release(r);
	return 0;
}

/* One integer conversion of "fmt" % args, as Python (and C) print it. */
static void
fmt_int(struct xvm_buf *b, long long v, char conv, const char *flags,
    int width, int prec)
{
	const char *dig = conv == 'X' ? "0123456789ABCDEF" :
	    "0123456789abcdef";
	unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v :
	    (unsigned long long)v;
	unsigned base = conv == 'o' ? 8 : (conv == 'x' || conv == 'X') ?
	    16 : 10;
	char tmp[80], sign[2] = "";
	int n = 0, len, zeros;

	do {
		tmp[n++] = dig[u % base];
		u /= base;
	} while (u != 0);
	if (v < 0)
		sign[0] = '-';
	else if (strchr(flags, '+') != NULL)
		sign[0] = '+';
	else if (strchr(flags, ' ') != NULL)
		sign[0] = ' ';
	zeros = prec > n ? prec - n : 0;
	len = (int)strlen(sign) + zeros + n;
	if (width > len && strchr(flags, '-') == NULL) {
		if (strchr(flags, '0') != NULL && prec < 0)
			zeros += width - len;
		else
			xvm_buf_pad(b, (size_t)(width - len), ' ');
	}
	xvm_buf_puts(b, sign);
	xvm_buf_pad(b, (size_t)zeros, '0');
	while (n > 0)
		xvm_buf_putc(b, tmp[--n]);
	if (width > len && strchr(flags, '-') != NULL)
		xvm_buf_pad(b, (size_t)(width - len), ' ');
}

static void
fmt_str(struct xvm_buf *b, const char *s, const char *flags, int width,
    int prec)
{
	size_t n = strlen(s);

	if (prec >= 0 && n > (size_t)prec)
		n = (size_t)prec;
	if ((size_t)width > n && strchr(flags, '-') == NULL)
		xvm_buf_pad(b, (size_t)width - n, ' ');
	xvm_buf_add(b, s, n);
	if ((size_t)width > n && strchr(flags, '-') != NULL)
		xvm_buf_pad(b, (size_t)width - n, ' ');
}

/* A width or precision: digits, at most CFG_MAX_WIDTH. */
static int
fmt_num(const char **p)
{
	int n = 0;

	while (**p >= '0' && **p <= '9') {
		if (n <= CFG_MAX_WIDTH)
			n = n * 10 + (**p - '0');
		(*p)++;
	}
	return n;
}

int
cfg_py_format(struct xvm_cfg_value *l, struct xvm_cfg_value *r,
    const struct cfg_where *w)
{
	struct xvm_buf b = XVM_BUF_INIT;
	const struct xvm_cfg_value *args = r, *a;
	const char *p = l->str, *spec;
	char fq[64], sq[64], flags[8];
	size_t nargs = 1, next = 0, nf;
	int width, prec, ret = -1;
	char conv;

	if (r->type == XVM_CFG_LIST) {
		args = r->items;
		nargs = r->nitems;
	}
	cfg_quote(fq, sizeof(fq), l->str, strlen(l->str));
	while (*p != '\0') {
		if (*p != '%') {
			spec = strchr(p, '%');
			nf = spec != NULL ? (size_t)(spec - p) : strlen(p);
			xvm_buf_add(&b, p, nf);
			p += nf;
			continue;
		}
		spec = p++;
		if (*p == '%') {
			xvm_buf_putc(&b, '%');
			p++;
			continue;
		}
		if (*p == '(') {
			py_err(w, "format %s uses a mapping key, which needs "
			    "a Python dict", fq);
			goto out;
		}
		nf = 0;
		while (*p != '\0' && strchr("-+ 0", *p) != NULL) {
			if (nf + 1 < sizeof(flags))
				flags[nf++] = *p;
			p++;
		}
		flags[nf] = '\0';
		width = fmt_num(&p);
		prec = -1;
		if (*p == '.') {
			p++;
			prec = fmt_num(&p);
		}
		while (*p == 'l' || *p == 'h' || *p == 'L')
			p++;
		conv = *p;
		if (conv == '\0') {
			py_err(w, "incomplete format %s", fq);
			goto out;
		}
		p++;
		cfg_quote(sq, sizeof(sq), spec, (size_t)(p - spec));
		if (strchr("sdiuxXo", conv) == NULL) {
			py_err(w, "unsupported conversion %s in format %s", sq,
			    fq);
			goto out;
		}
		if (width > CFG_MAX_WIDTH || prec > CFG_MAX_WIDTH) {
			py_err(w, "width of %s in format %s is over %d", sq,
			    fq, CFG_MAX_WIDTH);
			goto out;
		}
		if (next >= nargs) {
			py_err(w, "not enough values for format %s", fq);
			goto out;
		}
		a = &args[next++];
		if (a->type == XVM_CFG_LIST) {
			py_err(w, "can't format a list with %s", sq);
			goto out;
		}
		if (conv == 's') {
			if (a->type == XVM_CFG_NUMBER) {
				char num[32];

				snprintf(num, sizeof(num), "%lld", a->num);
				fmt_str(&b, num, flags, width, prec);
			} else {
				fmt_str(&b, a->str, flags, width, prec);
			}
		} else {
			if (a->type != XVM_CFG_NUMBER) {
				cfg_quote(fq, sizeof(fq), a->str,
				    strlen(a->str));
				py_err(w, "%s needs a number, not the string "
				    "%s", sq, fq);
				goto out;
			}
			fmt_int(&b, a->num, conv == 'i' || conv == 'u' ?
			    'd' : conv, flags, width, prec);
		}
		if (b.len > CFG_MAX_WORK) {
			py_err(w, "format %s makes a string over %u bytes",
			    fq, CFG_MAX_WORK);
			goto out;
		}
	}
	if (next < nargs) {
		py_err(w, "too many values for format %s", fq);
		goto out;
	}
	cfg_val_string(l, xvm_buf_steal(&b));
	cfg_val_release(r);
	ret = 0;
out:
	xvm_buf_release(&b);
	if (ret < 0)
		fail(l, r);
	return ret;
}

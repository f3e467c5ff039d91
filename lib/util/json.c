/*
 * json.c - a small streaming JSON writer for --json output: two-space
 * indentation, keys in the order written, strings escaped per RFC 8259.
 */
#include <string.h>

#include "xvm/json.h"

void
xvm_json_init(struct xvm_json *j, struct xvm_buf *b)
{
	memset(j, 0, sizeof(*j));
	j->b = b;
	j->first[0] = true;
}

static void
escape(struct xvm_buf *b, const char *s)
{
	xvm_buf_putc(b, '"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		switch (c) {
		case '"':
			xvm_buf_puts(b, "\\\"");
			break;
		case '\\':
			xvm_buf_puts(b, "\\\\");
			break;
		case '\n':
			xvm_buf_puts(b, "\\n");
			break;
		case '\t':
			xvm_buf_puts(b, "\\t");
			break;
		case '\r':
			xvm_buf_puts(b, "\\r");
			break;
		default:
			if (c < 0x20)
				xvm_buf_printf(b, "\\u%04x", c);
			else
				xvm_buf_putc(b, (char)c);
		}
	}
	xvm_buf_putc(b, '"');
}

/* Comma, newline and indentation before a member, then its key. */
static void
member(struct xvm_json *j, const char *key)
{
	int d = j->depth;

	if (d > 0) {
		if (!j->first[d])
			xvm_buf_putc(j->b, ',');
		xvm_buf_putc(j->b, '\n');
		xvm_buf_pad(j->b, (size_t)d * 2, ' ');
	}
	j->first[d] = false;
	if (key && d > 0) {
		escape(j->b, key);
		xvm_buf_puts(j->b, ": ");
	}
}

static void
open_(struct xvm_json *j, const char *key, char c)
{
	member(j, key);
	xvm_buf_putc(j->b, c);
	if (j->depth + 1 < (int)XVM_ARRAY_SIZE(j->first))
		j->depth++;
	j->first[j->depth] = true;
}

static void
close_(struct xvm_json *j, char c)
{
	bool empty = j->first[j->depth];

	if (j->depth > 0)
		j->depth--;
	if (!empty) {
		xvm_buf_putc(j->b, '\n');
		xvm_buf_pad(j->b, (size_t)j->depth * 2, ' ');
	}
	xvm_buf_putc(j->b, c);
}

void
xvm_json_begin_object(struct xvm_json *j, const char *key)
{
	open_(j, key, '{');
}

void
xvm_json_end_object(struct xvm_json *j)
{
	close_(j, '}');
}

void
xvm_json_begin_array(struct xvm_json *j, const char *key)
{
	open_(j, key, '[');
}

void
xvm_json_end_array(struct xvm_json *j)
{
	close_(j, ']');
}

void
xvm_json_string(struct xvm_json *j, const char *key, const char *val)
{
	member(j, key);
	escape(j->b, val ? val : "");
}

void
xvm_json_int(struct xvm_json *j, const char *key, long long val)
{
	member(j, key);
	xvm_buf_printf(j->b, "%lld", val);
}

void
xvm_json_double(struct xvm_json *j, const char *key, double val, int prec)
{
	member(j, key);
	xvm_buf_printf(j->b, "%.*f", prec, val);
}

void
xvm_json_uint(struct xvm_json *j, const char *key, unsigned long long val)
{
	member(j, key);
	xvm_buf_printf(j->b, "%llu", val);
}

void
xvm_json_bool(struct xvm_json *j, const char *key, bool val)
{
	member(j, key);
	xvm_buf_puts(j->b, val ? "true" : "false");
}

void
xvm_json_null(struct xvm_json *j, const char *key)
{
	member(j, key);
	xvm_buf_puts(j->b, "null");
}

void
xvm_json_finish(struct xvm_json *j)
{
	xvm_buf_putc(j->b, '\n');
}

/*
 * table.c - tables laid out as virsh lays them out: every line starts with
 * one space, columns are left-aligned and separated by three spaces, every
 * column but the last is padded to its widest cell (header included), the
 * dash line is two characters longer than the longest line (the blank
 * line after it is the one virsh prints after every command).  Quiet mode
 * drops the header and the dashes, and widths then come from the data
 * alone.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "xvm/cli.h"

void
xvm_table_init(struct xvm_table *t, size_t ncols, ...)
{
	va_list ap;
	size_t i;

	t->ncols = ncols;
	xvm_strv_init(&t->cells);
	va_start(ap, ncols);
	for (i = 0; i < ncols; i++)
		xvm_strv_push(&t->cells, va_arg(ap, const char *));
	va_end(ap);
}

void
xvm_table_row(struct xvm_table *t, ...)
{
	va_list ap;
	size_t i;

	va_start(ap, t);
	for (i = 0; i < t->ncols; i++) {
		const char *s = va_arg(ap, const char *);

		xvm_strv_push(&t->cells, s ? s : "");
	}
	va_end(ap);
}

void
xvm_table_release(struct xvm_table *t)
{
	xvm_strv_release(&t->cells);
	t->ncols = 0;
}

/* Display width of a UTF-8 string (code points, not bytes). */
static size_t
width(const char *s)
{
	size_t w = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			w++;
	return w;
}

void
xvm_table_print(const struct xvm_table *t, bool quiet, struct xvm_buf *b)
{
	size_t nrows = t->ncols ? t->cells.n / t->ncols : 0;
	size_t first = quiet ? 1 : 0;
	size_t *w, r, c, longest = 0;
	struct xvm_buf line = XVM_BUF_INIT, body = XVM_BUF_INIT;

	if (!t->ncols)
		return;
	w = xvm_calloc(t->ncols, sizeof(*w));
	for (r = first; r < nrows; r++)
		for (c = 0; c < t->ncols; c++) {
			size_t cw = width(t->cells.v[r * t->ncols + c]);

			if (cw > w[c])
				w[c] = cw;
		}
	for (r = first; r < nrows; r++) {
		xvm_buf_reset(&line);
		for (c = 0; c < t->ncols; c++) {
			const char *cell = t->cells.v[r * t->ncols + c];

			xvm_buf_puts(&line, c ? "   " : " ");
			xvm_buf_puts(&line, cell);
			if (c + 1 < t->ncols)
				xvm_buf_pad(&line, w[c] - width(cell), ' ');
		}
		if (width(xvm_buf_str(&line)) > longest)
			longest = width(xvm_buf_str(&line));
		xvm_buf_puts(&body, xvm_buf_str(&line));
		xvm_buf_putc(&body, '\n');
		if (r == 0 && !quiet)
			xvm_buf_puts(&body, "\x01\n");	/* dash placeholder */
	}
	/* the dash line depends on the longest line, known only now */
	for (r = 0; r < body.len; r++) {
		if (body.data[r] == '\x01')
			xvm_buf_pad(b, longest + 2, '-');
		else
			xvm_buf_putc(b, body.data[r]);
	}
	free(w);
	xvm_buf_release(&line);
	xvm_buf_release(&body);
}

void
xvm_field(struct xvm_buf *b, int width, const char *label, const char *fmt,
    ...)
{
	va_list ap;

	xvm_buf_printf(b, "%-*s", width, label);
	va_start(ap, fmt);
	xvm_buf_vprintf(b, fmt, ap);
	va_end(ap);
	xvm_buf_putc(b, '\n');
}

/*
 * cfg_write.c - a config as text, in libvirt's canonical form
 * (virConfWriteMem): "name = value\n" per setting.
 *
 * Strings are quoted so that reading the text back (either mode) gives the
 * same bytes, and libvirt's own output reads back as it was written:
 *
 *   no '"' and no newline           "..."
 *   a '"' but no '\'' nor newline   '...'
 *       in both, '\' is written "\\" and CR "\r" (the reader decodes both)
 *   both quotes, or a newline       """...""" (raw: no escapes); '''...'''
 *       when the text holds """ or ends in '"'; only for text without
 *       '\' and CR, as a triple-quoted string takes no escapes
 *   anything else                   "..." with \\ \" \n \r escapes
 */
#include <stdio.h>
#include <string.h>

#include "xvm/cfg.h"
#include "xvm/util.h"
#include "cfg_int.h"

/* s between quote characters; all: also escape the quote and LF. */
static void
write_quoted(struct xvm_buf *b, const char *s, char quote, bool all)
{
	size_t n;

	xvm_buf_putc(b, quote);
	while (*s != '\0') {
		n = strcspn(s, all ? "\\\r\n\"" : "\\\r");
		xvm_buf_add(b, s, n);
		s += n;
		switch (*s) {
		case '\0':
			continue;
		case '\\':
			xvm_buf_puts(b, "\\\\");
			break;
		case '\r':
			xvm_buf_puts(b, "\\r");
			break;
		case '\n':
			xvm_buf_puts(b, "\\n");
			break;
		default:
			xvm_buf_putc(b, '\\');
			xvm_buf_putc(b, *s);
			break;
		}
		s++;
	}
	xvm_buf_putc(b, quote);
}

/* Can s go between triple quotes q without ending early? */
static bool
triple_ok(const char *s, char q)
{
	char t[4] = { q, q, q, '\0' };
	size_t n = strlen(s);

	return strstr(s, t) == NULL && (n == 0 || s[n - 1] != q);
}

static void
write_string(struct xvm_buf *b, const char *s)
{
	bool dq = strchr(s, '"') != NULL, sq = strchr(s, '\'') != NULL;
	bool nl = strchr(s, '\n') != NULL;

	if (!nl && !dq) {
		write_quoted(b, s, '"', false);
		return;
	}
	if (!nl && !sq) {
		write_quoted(b, s, '\'', false);
		return;
	}
	if (strchr(s, '\\') == NULL && strchr(s, '\r') == NULL) {
		if (triple_ok(s, '"')) {
			xvm_buf_printf(b, "\"\"\"%s\"\"\"", s);
			return;
		}
		if (triple_ok(s, '\'')) {
			xvm_buf_printf(b, "'''%s'''", s);
			return;
		}
	}
	write_quoted(b, s, '"', true);
}

static void
write_value(struct xvm_buf *b, const struct xvm_cfg_value *v)
{
	size_t i;

	switch (v->type) {
	case XVM_CFG_NUMBER:
		xvm_buf_printf(b, "%lld", v->num);
		break;
	case XVM_CFG_LIST:
		xvm_buf_puts(b, "[ ");
		for (i = 0; i < v->nitems; i++) {
			if (i > 0)
				xvm_buf_puts(b, ", ");
			write_value(b, &v->items[i]);
		}
		xvm_buf_puts(b, " ]");
		break;
	default:
		write_string(b, v->str != NULL ? v->str : "");
		break;
	}
}

void
xvm_cfg_write(const struct xvm_cfg *cfg, struct xvm_buf *b)
{
	size_t i;

	for (i = 0; i < cfg->n; i++) {
		xvm_buf_printf(b, "%s = ", cfg->entries[i].name);
		write_value(b, &cfg->entries[i].value);
		xvm_buf_putc(b, '\n');
	}
}

/*
 * cfg_lex.c - the tokens of the xm/xl config language.
 *
 * Strings take xl's backslash escapes in '...' and "..." (which end at the
 * line's end) and none in '''...''' and """...""" (which may span lines;
 * a CRLF inside becomes LF).  A newline, or a comment with its newline, is
 * one token, except inside '[' or '(' where it is a blank.  CRLF is a
 * newline; a UTF-8 byte order mark at the start is skipped.  Names and
 * numbers are taken greedily here and judged by the parser, so that a
 * message can quote them whole ("'1.5' is not an integer").
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "xvm/err.h"
#include "xvm/util.h"
#include "cfg_int.h"

void
cfg_lex_init(struct cfg_lexer *lx, const char *data, size_t len,
    bool python, const char *file, struct xvm_err *err)
{
	/* a UTF-8 byte order mark, as editors on Windows write */
	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0) {
		data += 3;
		len -= 3;
	}
	lx->p = data;
	lx->end = data + len;
	lx->line_start = data;
	lx->line = 1;
	lx->nest = 0;
	lx->python = python;
	lx->file = file;
	lx->err = err;
}

void
cfg_quote(char *buf, size_t size, const char *s, size_t len)
{
	struct xvm_buf b = XVM_BUF_INIT;
	const char *q = "'";
	size_t i, shown = 0;

	if (memchr(s, '\'', len) != NULL)
		q = "\"";
	xvm_buf_puts(&b, q);
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '\n' || (c == '\r' && i + 1 < len &&
		    s[i + 1] == '\n'))
			break;
		if (shown >= 40) {
			xvm_buf_puts(&b, "...");
			break;
		}
		if (c == '\t')
			xvm_buf_puts(&b, "\\t");
		else if (c == '\r')
			xvm_buf_puts(&b, "\\r");
		else if (c < 0x20 || c == 0x7f)
			xvm_buf_printf(&b, "\\x%02x", c);
		else
			xvm_buf_putc(&b, (char)c);
		shown++;
	}
	xvm_buf_puts(&b, q);
	snprintf(buf, size, "%s", xvm_buf_str(&b));
	xvm_buf_release(&b);
}

static int
col(const struct cfg_lexer *lx, const char *at)
{
	return (int)(at - lx->line_start) + 1;
}

static int __attribute__((format(printf, 4, 5)))
lex_err(struct cfg_lexer *lx, int line, int column, const char *fmt, ...)
{
	char msg[900];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return xvm_err_at(lx->err, lx->file, line, column, "%s", msg);
}

/* Is p at a line end (LF, CRLF, or a CR that ends the input)? */
static size_t
eol_len(const struct cfg_lexer *lx, const char *p)
{
	if (p >= lx->end)
		return 0;
	if (*p == '\n')
		return 1;
	if (*p == '\r' && p + 1 == lx->end)
		return 1;
	if (*p == '\r' && p[1] == '\n')
		return 2;
	return 0;
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int
unterminated(struct cfg_lexer *lx, const char *start, int line, int column)
{
	char q[64];
	const char *e = start;

	while (e < lx->end && eol_len(lx, e) == 0)
		e++;
	cfg_quote(q, sizeof(q), start, (size_t)(e - start));
	return lex_err(lx, line, column, "unterminated string starting at %s",
	    q);
}

/* One backslash escape at lx->p (the backslash) into b. */
static int
lex_escape(struct cfg_lexer *lx, struct xvm_buf *b, char quote,
    const char *start, int line, int column)
{
	const char *e = lx->p, *p = lx->p + 1;
	unsigned v = 0;
	char q[32];
	int n, d;

	if (p >= lx->end || eol_len(lx, p) > 0)
		return unterminated(lx, start, line, column);
	switch (*p) {
	case '"': case '\'': case '\\':
		v = (unsigned char)*p++;
		break;
	case 'a': v = '\a'; p++; break;
	case 'b': v = '\b'; p++; break;
	case 'f': v = '\f'; p++; break;
	case 'n': v = '\n'; p++; break;
	case 'r': v = '\r'; p++; break;
	case 't': v = '\t'; p++; break;
	case 'v': v = '\v'; p++; break;
	case 'x':
		p++;
		for (n = 0; n < 2; n++, p++) {
			d = p < lx->end ? hexval(*p) : -1;
			if (d < 0)
				break;
			v = v * 16 + (unsigned)d;
		}
		if (n < 2) {
			if (p < lx->end && *p != quote &&
			    eol_len(lx, p) == 0)
				p++;
			cfg_quote(q, sizeof(q), e, (size_t)(p - e));
			return lex_err(lx, lx->line, col(lx, e),
			    "invalid escape %s in string: \\x takes two "
			    "hex digits", q);
		}
		break;
	case '0': case '1': case '2': case '3':
	case '4': case '5': case '6': case '7':
		for (n = 0; n < 3 && p < lx->end && *p >= '0' && *p <= '7';
		    n++, p++)
			v = v * 8 + (unsigned)(*p - '0');
		if (v > 255) {
			cfg_quote(q, sizeof(q), e, (size_t)(p - e));
			return lex_err(lx, lx->line, col(lx, e),
			    "invalid escape %s in string: more than 255", q);
		}
		break;
	default:
		cfg_quote(q, sizeof(q), e, 2);
		return lex_err(lx, lx->line, col(lx, e),
		    "invalid escape %s in string", q);
	}
	if (v == 0) {
		cfg_quote(q, sizeof(q), e, (size_t)(p - e));
		return lex_err(lx, lx->line, col(lx, e),
		    "escape %s would put a NUL byte in a string", q);
	}
	xvm_buf_putc(b, (char)v);
	lx->p = p;
	return 0;
}

static int
lex_string(struct cfg_lexer *lx, struct cfg_token *tok)
{
	const char *start = lx->p;
	struct xvm_buf b = XVM_BUF_INIT;
	char quote = *start;
	int line = lx->line, column = col(lx, start), ret = -1;
	size_t n;

	if (lx->end - start >= 3 && start[1] == quote && start[2] == quote) {
		/* '''...''' or """...""": raw, may span lines */
		lx->p += 3;
		for (;;) {
			if (lx->p >= lx->end) {
				unterminated(lx, start, line, column);
				goto out;
			}
			if (lx->end - lx->p >= 3 && lx->p[0] == quote &&
			    lx->p[1] == quote && lx->p[2] == quote)
				break;
			if (*lx->p == '\0') {
				lex_err(lx, lx->line, col(lx, lx->p),
				    "NUL byte in string");
				goto out;
			}
			if (*lx->p == '\r' && lx->p + 1 < lx->end &&
			    lx->p[1] == '\n')
				lx->p++;
			if (*lx->p == '\n') {
				lx->line++;
				lx->line_start = lx->p + 1;
			}
			xvm_buf_putc(&b, *lx->p++);
		}
		lx->p += 3;
	} else {
		lx->p++;
		for (;;) {
			if (lx->p >= lx->end || eol_len(lx, lx->p) > 0) {
				unterminated(lx, start, line, column);
				goto out;
			}
			if (*lx->p == quote)
				break;
			if (*lx->p == '\0') {
				lex_err(lx, lx->line, col(lx, lx->p),
				    "NUL byte in string");
				goto out;
			}
			if (*lx->p == '\\') {
				if (lex_escape(lx, &b, quote, start, line,
				    column) < 0)
					goto out;
				continue;
			}
			/* a long run of plain bytes at once */
			n = 1;
			while (lx->p + n < lx->end && lx->p[n] != quote &&
			    lx->p[n] != '\\' && lx->p[n] != '\n' &&
			    lx->p[n] != '\r' && lx->p[n] != '\0')
				n++;
			xvm_buf_add(&b, lx->p, n);
			lx->p += n;
		}
		lx->p++;
	}
	tok->type = TOK_STR;
	tok->start = start;
	tok->len = (size_t)(lx->p - start);
	tok->line = line;
	tok->column = column;
	tok->slen = b.len;
	tok->str = xvm_buf_steal(&b);
	ret = 0;
out:
	xvm_buf_release(&b);
	return ret;
}

static bool
is_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_' || c == '.';
}

/* Length of the punctuation token at p, and its type. */
static size_t
lex_punct(const char *p, const char *end, enum cfg_tok *type)
{
	char c = p[0], d = p + 1 < end ? p[1] : '\0';
	char e = p + 2 < end ? p[2] : '\0';

	*type = TOK_PY;
	switch (c) {
	case ';': *type = TOK_SEMI; return 1;
	case '[': *type = TOK_LBRACK; return 1;
	case ']': *type = TOK_RBRACK; return 1;
	case ',': *type = TOK_COMMA; return 1;
	case '(': *type = TOK_LPAREN; return 1;
	case ')': *type = TOK_RPAREN; return 1;
	case '=':
		if (d == '=')
			return 2;
		*type = TOK_EQ;
		return 1;
	case '+':
		if (d == '=') {
			*type = TOK_PLUSEQ;
			return 2;
		}
		*type = TOK_PLUS;
		return 1;
	case '-':
		if (d == '=' || d == '>')
			return 2;
		*type = TOK_MINUS;
		return 1;
	case '%':
		if (d == '=')
			return 2;
		*type = TOK_PERCENT;
		return 1;
	case '*':
	case '/':
		if (d == c) {
			if (e == '=')
				return 3;
			if (c == '/')
				*type = TOK_DSLASH;
			return 2;	/* '**' stays Python */
		}
		if (d == '=')
			return 2;
		*type = c == '*' ? TOK_STAR : TOK_SLASH;
		return 1;
	case '<':
	case '>':
		if (d == c)
			return e == '=' ? 3 : 2;
		return d == '=' || (c == '<' && d == '>') ? 2 : 1;
	case '!':
		if (d == '=')
			return 2;
		*type = TOK_OTHER;
		return 1;
	case '&': case '|': case '^': case '@':
		return d == '=' ? 2 : 1;
	case '{': case '}': case '.': case ':': case '~': case '`':
		return 1;
	default:
		*type = TOK_OTHER;
		return 1;
	}
}

int
cfg_lex(struct cfg_lexer *lx, struct cfg_token *tok)
{
	const char *s;
	size_t n;
	char c;

	tok->str = NULL;
	tok->slen = 0;
again:
	while (lx->p < lx->end && (*lx->p == ' ' || *lx->p == '\t' ||
	    *lx->p == '\f'))
		lx->p++;
	s = lx->p;
	tok->start = s;
	tok->len = 0;
	tok->line = lx->line;
	tok->column = col(lx, s);
	if (s >= lx->end) {
		tok->type = TOK_EOF;
		return 0;
	}
	c = *s;
	if (c == '#' || eol_len(lx, s) > 0) {
		while (lx->p < lx->end && eol_len(lx, lx->p) == 0)
			lx->p++;
		n = eol_len(lx, lx->p);
		tok->len = (size_t)(lx->p - s);
		lx->p += n;
		if (n > 0) {
			lx->line++;
			lx->line_start = lx->p;
		}
		if (lx->nest > 0)
			goto again;
		tok->type = TOK_NL;
		return 0;
	}
	if (c == '\\') {
		n = eol_len(lx, s + 1);
		if (lx->python && n > 0) {
			lx->p = s + 1 + n;
			lx->line++;
			lx->line_start = lx->p;
			goto again;
		}
		tok->type = TOK_BACKSLASH;
		tok->len = 1;
		lx->p++;
		return 0;
	}
	if (c == '"' || c == '\'')
		return lex_string(lx, tok);
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_') {
		while (lx->p < lx->end && is_name_char(*lx->p))
			lx->p++;
		tok->type = TOK_NAME;
	} else if ((c >= '0' && c <= '9') || (c == '.' && s + 1 < lx->end &&
	    s[1] >= '0' && s[1] <= '9')) {
		while (lx->p < lx->end && is_name_char(*lx->p))
			lx->p++;
		tok->type = TOK_NUM;
	} else {
		lx->p += lex_punct(s, lx->end, &tok->type);
	}
	tok->len = (size_t)(lx->p - s);
	return 0;
}

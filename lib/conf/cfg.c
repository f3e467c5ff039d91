/*
 * cfg.c - the xm/xl domain config language: the parser and the API of
 * xvm/cfg.h (settings, typed getters, building a config to write).
 *
 * A recursive-descent parser over the tokens of cfg_lex.c:
 *
 *   file       := { NL | ';' | assignment ( NL | ';' | EOF ) }
 *   assignment := NAME ( '=' | '+=' ) value
 *   value      := STRING | [sign] NUMBER
 *               | '[' [ value { ',' value } [','] ] ']'
 *
 * and with XVM_CFG_PYTHON, value is an expression of Python's grammar
 * restricted to what cannot run code (see cfg.h):
 *
 *   expr  := term { ('+' | '-') term }
 *   term  := unary { ('*' | '/' | '//' | '%') unary }
 *   unary := ('-' | '+') unary | primary
 *   primary := STRING | NUMBER | list | '(' [ expr { ',' expr } [','] ] ')'
 *           | True | False | NAME (an earlier setting or command-line value)
 *   and None as a whole value (the setting is unset).
 *
 * Everything is evaluated while it is parsed, into the values of cfg.
 * Python the reader cannot allow (keywords, calls, attributes, dicts, ...)
 * is refused in both modes with "'X' is Python code; ..."; the harmless
 * kind is refused in plain mode with a hint to use xm's reader.
 *
 * `x += v` in plain mode joins strings and lists as xl does; on numbers it
 * is an error here (xl joins their text, and then cannot read a number); in
 * Python mode it adds numbers, as Python does.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "xvm/cfg.h"
#include "xvm/err.h"
#include "xvm/file.h"
#include "xvm/util.h"
#include "cfg_int.h"

#define CMDLINE		"<command line>"
#define CFG_MAX_FILE	(16u << 20)

struct parser {
	struct cfg_lexer lx;
	struct cfg_token tok;		/* the current token */
	const char *prev_end;		/* end of the last token consumed */
	struct xvm_cfg *cfg;
	const char *file;		/* for messages */
	bool python;
	char **vnames;			/* command-line settings */
	struct xvm_cfg_value *vvals;
	bool *vref;			/* ... read as variables */
	size_t nvars;
	size_t work;			/* bytes of computed values */
	int depth;			/* open lists and parentheses */
	const char *setting;		/* the name being assigned */
	struct xvm_err *err;
};

static int parse_expr(struct parser *p, struct xvm_cfg_value *v);

static const char *const py_keywords[] = {
	"and", "as", "assert", "async", "await", "break", "class",
	"continue", "def", "del", "elif", "else", "except", "exec",
	"finally", "for", "from", "global", "if", "import", "in", "is",
	"lambda", "nonlocal", "not", "or", "pass", "print", "raise",
	"return", "try", "while", "with", "yield",
};

static bool
tok_is(const struct cfg_token *t, const char *word)
{
	return t->type == TOK_NAME && t->len == strlen(word) &&
	    memcmp(t->start, word, t->len) == 0;
}

static bool
is_keyword(const struct cfg_token *t)
{
	size_t i;

	for (i = 0; i < XVM_ARRAY_SIZE(py_keywords); i++)
		if (tok_is(t, py_keywords[i]))
			return true;
	return false;
}

static bool
valid_name(const char *s, size_t len)
{
	size_t i;

	if (len == 0 || !((s[0] >= 'a' && s[0] <= 'z') ||
	    (s[0] >= 'A' && s[0] <= 'Z')))
		return false;
	for (i = 1; i < len; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= 'A' && s[i] <= 'Z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '_' ||
		    s[i] == '.'))
			return false;
	return true;
}

static int __attribute__((format(printf, 4, 5)))
perr(struct parser *p, int line, int column, const char *fmt, ...)
{
	char msg[900];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return xvm_err_at(p->err, p->file, line, column, "%s", msg);
}

static int
advance(struct parser *p)
{
	free(p->tok.str);
	p->tok.str = NULL;
	p->prev_end = p->tok.start + p->tok.len;
	return cfg_lex(&p->lx, &p->tok);
}

static bool
at_stmt_end(const struct parser *p)
{
	return p->tok.type == TOK_NL || p->tok.type == TOK_SEMI ||
	    p->tok.type == TOK_EOF;
}

/* How a message names a token: "end of line", "end of file" or 'text'. */
static void
describe(const struct cfg_token *t, char *buf, size_t size)
{
	if (t->type == TOK_EOF)
		snprintf(buf, size, "end of file");
	else if (t->type == TOK_NL)
		snprintf(buf, size, "end of line");
	else
		cfg_quote(buf, size, t->start, t->len);
}

/* "'X' is Python code; ..." for the token t (".attr" taken whole). */
static int
py_code(struct parser *p, const struct cfg_token *t)
{
	size_t len = t->len;
	char q[64];

	if (t->start[0] == '.')
		while (t->start + len < p->lx.end &&
		    (t->start[len] == '_' || t->start[len] == '.' ||
		    (t->start[len] >= 'a' && t->start[len] <= 'z') ||
		    (t->start[len] >= 'A' && t->start[len] <= 'Z') ||
		    (t->start[len] >= '0' && t->start[len] <= '9')))
			len++;
	cfg_quote(q, sizeof(q), t->start, len);
	return perr(p, t->line, t->column, "%s " CFG_PY_CODE, q);
}

/* "'text(...)' is Python code; ..." for a call or subscript. */
static int
py_code_span(struct parser *p, int line, int column, const char *start,
    size_t len, const char *suffix)
{
	char *s = xvm_asprintf("%.*s%s", (int)(len > 60 ? 60 : len), start,
	    suffix);
	char q[96];

	cfg_quote(q, sizeof(q), s, strlen(s));
	free(s);
	return perr(p, line, column, "%s " CFG_PY_CODE, q);
}

static int
py_hint(struct parser *p, const struct cfg_token *t)
{
	char q[64];

	cfg_quote(q, sizeof(q), t->start, t->len);
	return perr(p, t->line, t->column, "unexpected %s" CFG_PY_HINT, q);
}

/* Is t harmless Python, which plain mode refuses with a hint? */
static bool
py_harmless(const struct parser *p, const struct cfg_token *t)
{
	switch (t->type) {
	case TOK_PLUS: case TOK_MINUS: case TOK_STAR: case TOK_SLASH:
	case TOK_DSLASH: case TOK_PERCENT: case TOK_LPAREN: case TOK_RPAREN:
		return true;
	case TOK_NAME:
		return tok_is(t, "True") || tok_is(t, "False") ||
		    tok_is(t, "None");
	case TOK_BACKSLASH:
		return t->start + 1 < p->lx.end && (t->start[1] == '\n' ||
		    t->start[1] == '\r');
	default:
		return false;
	}
}

/* The current token is not what `expected` says. */
static int
unexpected(struct parser *p, const char *expected)
{
	char q[64];

	if (p->tok.type == TOK_PY || is_keyword(&p->tok))
		return py_code(p, &p->tok);
	if (!p->python && py_harmless(p, &p->tok))
		return py_hint(p, &p->tok);
	describe(&p->tok, q, sizeof(q));
	return perr(p, p->tok.line, p->tok.column, "%s, found %s", expected,
	    q);
}

static int
expected_value(struct parser *p)
{
	char what[128];

	snprintf(what, sizeof(what), "expected a value for '%s'",
	    p->setting);
	return unexpected(p, what);
}

/* Account for bytes a config computes; refuse beyond CFG_MAX_WORK. */
static int
spend(struct parser *p, size_t n, int line, int column)
{
	if (n > CFG_MAX_WORK || p->work + n > CFG_MAX_WORK)
		return perr(p, line, column, "values computed by this config "
		    "exceed %u MiB", CFG_MAX_WORK >> 20);
	p->work += n;
	return 0;
}

static int
enter(struct parser *p, const struct cfg_token *open)
{
	if (p->depth >= CFG_MAX_DEPTH)
		return perr(p, open->line, open->column, "lists nested deeper "
		    "than %d levels", CFG_MAX_DEPTH);
	p->depth++;
	return 0;
}

/* Push item onto list, refusing a list nested too deep. */
static int
push_item(struct parser *p, struct xvm_cfg_value *list,
    struct xvm_cfg_value *item)
{
	if (item->type == XVM_CFG_LIST &&
	    cfg_val_depth(item) >= CFG_MAX_DEPTH) {
		perr(p, item->line, item->column, "lists nested deeper than "
		    "%d levels", CFG_MAX_DEPTH);
		cfg_val_release(item);
		return -1;
	}
	cfg_list_push(list, item);
	return 0;
}

/* [ v, ... ] (close TOK_RBRACK) or Python's ( v, ... ) (TOK_RPAREN). */
static int
parse_seq(struct parser *p, struct xvm_cfg_value *v)
{
	struct cfg_token open = p->tok;
	enum cfg_tok close = open.type == TOK_LBRACK ? TOK_RBRACK :
	    TOK_RPAREN;
	struct xvm_cfg_value item;
	bool tuple = close == TOK_RPAREN, comma = false;
	int ret = -1;

	memset(v, 0, sizeof(*v));
	memset(&item, 0, sizeof(item));
	v->type = XVM_CFG_LIST;
	v->line = open.line;
	v->column = open.column;
	if (enter(p, &open) < 0)
		return -1;
	p->lx.nest++;
	if (advance(p) < 0)
		goto out;
	while (p->tok.type != close) {
		if (p->tok.type == TOK_EOF) {
			perr(p, open.line, open.column, "'%c' is not closed",
			    open.start[0]);
			goto out;
		}
		if (parse_expr(p, &item) < 0 || push_item(p, v, &item) < 0)
			goto out;
		if (p->tok.type == TOK_COMMA) {
			comma = true;
			if (advance(p) < 0)
				goto out;
			continue;
		}
		if (p->tok.type != close && p->tok.type != TOK_EOF) {
			unexpected(p, tuple ? "expected ',' or ')'" :
			    "expected ',' or ']' in list");
			goto out;
		}
	}
	/* (v) is v, not a tuple */
	if (tuple && v->nitems == 1 && !comma) {
		item = v->items[0];
		v->nitems = 0;
		cfg_val_release(v);
		*v = item;
		memset(&item, 0, sizeof(item));
	}
	p->lx.nest--;
	p->depth--;
	ret = advance(p);
out:
	cfg_val_release(&item);
	if (ret < 0)
		cfg_val_release(v);
	return ret;
}

/* Command-line settings in the order given; the last one of a name wins. */
static const struct xvm_cfg_value *
find_var(const struct parser *p, const char *name)
{
	size_t i;

	for (i = p->nvars; i > 0; i--) {
		if (strcmp(p->vnames[i - 1], name) == 0) {
			p->vref[i - 1] = true;
			return &p->vvals[i - 1];
		}
	}
	return NULL;
}

static struct xvm_cfg_entry *
find_entry(const struct xvm_cfg *cfg, const char *name)
{
	size_t i;

	for (i = 0; i < cfg->n; i++)
		if (strcmp(cfg->entries[i].name, name) == 0)
			return &cfg->entries[i];
	return NULL;
}

/* A NAME in a value: True, False, or a setting's value (Python). */
static int
parse_name(struct parser *p, struct xvm_cfg_value *v)
{
	struct cfg_token t = p->tok;
	struct xvm_cfg_entry *e;
	const struct xvm_cfg_value *src;
	char *name = xvm_strndup(t.start, t.len);
	char q[64];
	int ret = -1;

	memset(v, 0, sizeof(*v));
	if (is_keyword(&t)) {
		py_code(p, &t);
		goto out;
	}
	if (advance(p) < 0)
		goto out;
	if (p->tok.type == TOK_LPAREN) {
		py_code_span(p, t.line, t.column, t.start, t.len, "(...)");
		goto out;
	}
	if (!p->python) {
		cfg_quote(q, sizeof(q), t.start, t.len);
		if (py_harmless(p, &t))
			py_hint(p, &t);
		else
			perr(p, t.line, t.column, "expected a value for '%s', "
			    "found %s", p->setting, q);
		goto out;
	}
	if (strcmp(name, "True") == 0 || strcmp(name, "False") == 0) {
		cfg_val_number(v, name[0] == 'T');
	} else if (strcmp(name, "None") == 0) {
		perr(p, t.line, t.column, "'None' can only be the whole value "
		    "of a setting");
		goto out;
	} else {
		e = find_entry(p->cfg, name);
		if (e != NULL)
			e->referenced = true;
		src = e != NULL ? &e->value : find_var(p, name);
		if (src == NULL) {
			cfg_quote(q, sizeof(q), t.start, t.len);
			if (strchr(name, '.') != NULL)
				perr(p, t.line, t.column, "%s " CFG_PY_CODE,
				    q);
			else
				perr(p, t.line, t.column, "%s is not defined",
				    q);
			goto out;
		}
		if (spend(p, cfg_val_size(src), t.line, t.column) < 0)
			goto out;
		cfg_val_copy(v, src);
	}
	v->line = t.line;
	v->column = t.column;
	ret = 0;
out:
	free(name);
	return ret;
}

static int
parse_primary(struct parser *p, struct xvm_cfg_value *v)
{
	struct cfg_token t = p->tok;
	const char *why;
	char q[64];
	long long n;
	int ret = -1;

	memset(v, 0, sizeof(*v));
	switch (t.type) {
	case TOK_STR:
		cfg_val_string(v, p->tok.str);
		p->tok.str = NULL;
		if (advance(p) < 0)
			goto out;
		break;
	case TOK_NUM:
		if (cfg_number(t.start, t.len, &n, &why) < 0) {
			cfg_quote(q, sizeof(q), t.start, t.len);
			perr(p, t.line, t.column, "%s %s", q, why);
			goto out;
		}
		cfg_val_number(v, n);
		free(v->str);
		v->str = xvm_strndup(t.start, t.len);
		if (advance(p) < 0)
			goto out;
		break;
	case TOK_LPAREN:
	case TOK_LBRACK:
		if (t.type == TOK_LPAREN && !p->python) {
			py_hint(p, &t);
			goto out;
		}
		if (parse_seq(p, v) < 0)
			goto out;
		break;
	case TOK_NAME:
		if (parse_name(p, v) < 0)
			goto out;
		break;
	default:
		expected_value(p);
		goto out;
	}
	v->line = t.line;
	v->column = t.column;
	/* calls, subscripts and attributes of any value */
	switch (p->tok.type) {
	case TOK_LPAREN:
		py_code_span(p, t.line, t.column, t.start,
		    (size_t)(p->prev_end - t.start), "(...)");
		goto out;
	case TOK_LBRACK:
		py_code_span(p, t.line, t.column, t.start,
		    (size_t)(p->prev_end - t.start), "[...]");
		goto out;
	case TOK_PY:
		if (p->tok.start[0] == '.') {
			py_code(p, &p->tok);
			goto out;
		}
		break;
	default:
		break;
	}
	ret = 0;
out:
	if (ret < 0)
		cfg_val_release(v);
	return ret;
}

/* A signed number literal: -9223372036854775808 fits. */
static int
signed_number(struct parser *p, const struct cfg_token *sign,
    struct xvm_cfg_value *v)
{
	char *text = xvm_asprintf("%c%.*s", sign->start[0],
	    (int)p->tok.len, p->tok.start), q[64];
	const char *why;
	long long n;

	if (cfg_number(text, strlen(text), &n, &why) < 0) {
		cfg_quote(q, sizeof(q), text, strlen(text));
		free(text);
		return perr(p, sign->line, sign->column, "%s %s", q, why);
	}
	cfg_val_number(v, n);
	free(v->str);
	v->str = text;
	return advance(p);
}

static int
parse_unary(struct parser *p, struct xvm_cfg_value *v)
{
	struct cfg_token sign = p->tok;
	struct xvm_cfg_value zero;
	struct cfg_where w;
	char q[64], what[64];
	int ret = -1;

	if (sign.type != TOK_MINUS && sign.type != TOK_PLUS)
		return parse_primary(p, v);
	memset(v, 0, sizeof(*v));
	if (advance(p) < 0)
		goto out;
	if (p->tok.type == TOK_NUM) {
		if (signed_number(p, &sign, v) < 0)
			goto out;
	} else if (!p->python) {
		switch (p->tok.type) {
		case TOK_STR: case TOK_NAME: case TOK_LBRACK: case TOK_LPAREN:
		case TOK_PLUS: case TOK_MINUS:
			py_hint(p, &sign);
			break;
		default:
			snprintf(what, sizeof(what), "expected a number after "
			    "'%c'", sign.start[0]);
			unexpected(p, what);
			break;
		}
		goto out;
	} else {
		if (enter(p, &sign) < 0 || parse_unary(p, v) < 0)
			goto out;
		p->depth--;
		if (v->type != XVM_CFG_NUMBER) {
			perr(p, sign.line, sign.column, "can't apply '%c' to "
			    "%s", sign.start[0], cfg_type_name(v->type));
			goto out;
		}
		if (sign.type == TOK_MINUS) {
			/* 0 - v, checked for overflow */
			w.file = p->file;
			w.line = sign.line;
			w.column = sign.column;
			w.err = p->err;
			cfg_quote(q, sizeof(q), sign.start,
			    (size_t)(p->prev_end - sign.start));
			memset(&zero, 0, sizeof(zero));
			cfg_val_number(&zero, 0);
			if (cfg_py_arith('-', &zero, v, q, &w) < 0)
				goto out;
			*v = zero;
		}
	}
	v->line = sign.line;
	v->column = sign.column;
	ret = 0;
out:
	if (ret < 0)
		cfg_val_release(v);
	return ret;
}

/* v = v OP operand, for the operator at the current token. */
static int
binary(struct parser *p, struct xvm_cfg_value *v, const char *start,
    int (*operand)(struct parser *, struct xvm_cfg_value *))
{
	struct cfg_token op = p->tok;
	struct xvm_cfg_value r;
	struct cfg_where w;
	char q[64];
	int ret = -1;

	if (!p->python) {
		py_hint(p, &op);
		goto out;
	}
	if (advance(p) < 0 || operand(p, &r) < 0)
		goto out;
	cfg_quote(q, sizeof(q), start, (size_t)(p->prev_end - start));
	w.file = p->file;
	w.line = op.line;
	w.column = op.column;
	w.err = p->err;
	/* each cfg_py_* consumes r, and v too when it fails */
	switch (op.type) {
	case TOK_PLUS:
		if (v->type == XVM_CFG_NUMBER && r.type == XVM_CFG_NUMBER)
			ret = cfg_py_arith('+', v, &r, q, &w);
		else
			ret = cfg_py_add(v, &r, true, false, &w);
		if (ret == 0 && v->type == XVM_CFG_STRING)
			ret = spend(p, strlen(v->str), op.line, op.column);
		break;
	case TOK_PERCENT:
		if (v->type != XVM_CFG_STRING) {
			ret = cfg_py_arith('%', v, &r, q, &w);
			break;
		}
		ret = cfg_py_format(v, &r, &w);
		if (ret == 0)
			ret = spend(p, strlen(v->str), op.line, op.column);
		break;
	case TOK_MINUS:
		ret = cfg_py_arith('-', v, &r, q, &w);
		break;
	case TOK_STAR:
		ret = cfg_py_arith('*', v, &r, q, &w);
		break;
	case TOK_SLASH:
		ret = cfg_py_arith('/', v, &r, q, &w);
		break;
	default:
		ret = cfg_py_arith('f', v, &r, q, &w);
		break;
	}
out:
	if (ret < 0)
		cfg_val_release(v);
	return ret;
}

static int
parse_term(struct parser *p, struct xvm_cfg_value *v)
{
	const char *start = p->tok.start;

	if (parse_unary(p, v) < 0)
		return -1;
	while (p->tok.type == TOK_STAR || p->tok.type == TOK_SLASH ||
	    p->tok.type == TOK_DSLASH || p->tok.type == TOK_PERCENT)
		if (binary(p, v, start, parse_unary) < 0)
			return -1;
	return 0;
}

static int
parse_expr(struct parser *p, struct xvm_cfg_value *v)
{
	const char *start = p->tok.start;
	int line = p->tok.line, column = p->tok.column;

	if (parse_term(p, v) < 0)
		return -1;
	while (p->tok.type == TOK_PLUS || p->tok.type == TOK_MINUS)
		if (binary(p, v, start, parse_term) < 0)
			return -1;
	v->line = line;
	v->column = column;
	return 0;
}

/* Room for n entries: 0 or the smallest power of two >= n. */
static void
entries_reserve(struct xvm_cfg *cfg, size_t n)
{
	size_t cap = 1, old = 1;

	while (cap < n)
		cap *= 2;
	while (cfg->n > 0 && old < cfg->n)
		old *= 2;
	if (cfg->entries == NULL || cap > old)
		cfg->entries = xvm_realloc(cfg->entries,
		    cap * sizeof(*cfg->entries));
}

/* The entry for name, appended (with an empty value) when missing. */
static struct xvm_cfg_entry *
entry(struct xvm_cfg *cfg, const char *name)
{
	struct xvm_cfg_entry *e = find_entry(cfg, name);

	if (e != NULL)
		return e;
	entries_reserve(cfg, cfg->n + 1);
	e = &cfg->entries[cfg->n++];
	memset(e, 0, sizeof(*e));
	e->name = xvm_strdup(name);
	e->value.type = XVM_CFG_STRING;
	return e;
}

static void
remove_entry(struct xvm_cfg *cfg, struct xvm_cfg_entry *e)
{
	size_t i = (size_t)(e - cfg->entries);

	free(e->name);
	cfg_val_release(&e->value);
	memmove(e, e + 1, (cfg->n - i - 1) * sizeof(*e));
	cfg->n--;
}

/* name = v (moved), or name += v; unset is None. */
static int
assign(struct parser *p, const char *name, bool append,
    struct xvm_cfg_value *v, bool unset, int line, int column)
{
	struct xvm_cfg_entry *e = find_entry(p->cfg, name);
	struct cfg_where w;

	if (unset) {
		if (e != NULL)
			remove_entry(p->cfg, e);
		return 0;
	}
	if (append && e != NULL) {
		w.file = p->file;
		w.line = v->line;
		w.column = v->column;
		w.err = p->err;
		if (cfg_py_add(&e->value, v, p->python, true, &w) < 0)
			return -1;
		/* joining strings copies them: bound the total */
		if (e->value.type == XVM_CFG_STRING &&
		    spend(p, strlen(e->value.str), w.line, w.column) < 0)
			return -1;
	} else {
		e = entry(p->cfg, name);
		cfg_val_release(&e->value);
		e->value = *v;
		memset(v, 0, sizeof(*v));
	}
	e->line = line;
	e->column = column;
	return 0;
}

static int
parse_assignment(struct parser *p)
{
	struct cfg_token t = p->tok;
	struct xvm_cfg_value v;
	char *name = xvm_strndup(t.start, t.len), q[64];
	bool append, unset = false;
	int ret = -1;

	memset(&v, 0, sizeof(v));
	cfg_quote(q, sizeof(q), t.start, t.len);
	if (advance(p) < 0)
		goto out;
	if (p->tok.type != TOK_EQ && p->tok.type != TOK_PLUSEQ) {
		if (is_keyword(&t))
			py_code(p, &t);
		else if (p->tok.type == TOK_LPAREN)
			py_code_span(p, t.line, t.column, t.start, t.len,
			    "(...)");
		else if (p->tok.type == TOK_LBRACK)
			py_code_span(p, t.line, t.column, t.start, t.len,
			    "[...]");
		else if (p->tok.type == TOK_PY)
			py_code(p, &p->tok);
		else
			perr(p, t.line, t.column, "expected '=' after %s", q);
		goto out;
	}
	if (!valid_name(t.start, t.len)) {
		perr(p, t.line, t.column, "%s is not a valid setting name", q);
		goto out;
	}
	append = p->tok.type == TOK_PLUSEQ;
	if (advance(p) < 0)
		goto out;
	p->setting = name;
	if (p->python && !append && tok_is(&p->tok, "None")) {
		struct cfg_token none = p->tok;

		if (advance(p) < 0)
			goto out;
		if (!at_stmt_end(p)) {
			perr(p, none.line, none.column, "'None' can only be "
			    "the whole value of a setting");
			goto out;
		}
		unset = true;
	} else if (parse_expr(p, &v) < 0) {
		goto out;
	}
	if (!at_stmt_end(p)) {
		char what[128];

		snprintf(what, sizeof(what), "expected end of line after the "
		    "value of '%s'", name);
		unexpected(p, what);
		goto out;
	}
	ret = assign(p, name, append, &v, unset, t.line, t.column);
out:
	p->setting = NULL;
	cfg_val_release(&v);
	free(name);
	return ret;
}

static int
parse_file(struct parser *p)
{
	for (;;) {
		switch (p->tok.type) {
		case TOK_EOF:
			return 0;
		case TOK_NL:
		case TOK_SEMI:
			if (advance(p) < 0)
				return -1;
			break;
		case TOK_NAME:
			if (parse_assignment(p) < 0)
				return -1;
			break;
		default:
			return unexpected(p, "expected a setting name");
		}
	}
}

static void
clear_positions(struct xvm_cfg_value *v)
{
	size_t i;

	v->line = 0;
	v->column = 0;
	for (i = 0; i < v->nitems; i++)
		clear_positions(&v->items[i]);
}

/* A command-line value: a config value when it is one, else the text. */
static void
cmdline_value(const char *text, struct xvm_cfg_value *v)
{
	struct parser q;
	struct xvm_err err;
	int ok = 0;

	memset(&q, 0, sizeof(q));
	memset(v, 0, sizeof(*v));
	q.file = CMDLINE;
	q.err = &err;
	q.setting = "";
	cfg_lex_init(&q.lx, text, strlen(text), false, CMDLINE, &err);
	q.prev_end = text;
	q.tok.start = text;
	if (advance(&q) == 0 && parse_expr(&q, v) == 0) {
		ok = q.tok.type == TOK_EOF;
		if (!ok)
			cfg_val_release(v);
	}
	free(q.tok.str);
	if (!ok)
		cfg_val_string(v, xvm_strdup(text));
	clear_positions(v);
}

static int
parse_vars(struct parser *p, const struct xvm_strv *vars)
{
	const char *s, *eq;
	char q[64];
	size_t i;

	if (vars == NULL || vars->n == 0)
		return 0;
	p->vnames = xvm_calloc(vars->n, sizeof(*p->vnames));
	p->vvals = xvm_calloc(vars->n, sizeof(*p->vvals));
	p->vref = xvm_calloc(vars->n, sizeof(*p->vref));
	for (i = 0; i < vars->n; i++) {
		s = vars->v[i];
		eq = strchr(s, '=');
		if (eq == NULL) {
			cfg_quote(q, sizeof(q), s, strlen(s));
			return xvm_err_at(p->err, CMDLINE, 0, 0,
			    "expected name=value, found %s", q);
		}
		if (!valid_name(s, (size_t)(eq - s))) {
			cfg_quote(q, sizeof(q), s, (size_t)(eq - s));
			return xvm_err_at(p->err, CMDLINE, 0, 0,
			    "%s is not a valid setting name", q);
		}
		p->vnames[i] = xvm_strndup(s, (size_t)(eq - s));
		cmdline_value(eq + 1, &p->vvals[i]);
		p->nvars = i + 1;
	}
	return 0;
}

void
xvm_cfg_init(struct xvm_cfg *cfg, const char *file)
{
	cfg->file = xvm_strdup(file);
	cfg->entries = NULL;
	cfg->n = 0;
}

void
xvm_cfg_release(struct xvm_cfg *cfg)
{
	size_t i;

	if (cfg == NULL)
		return;
	for (i = 0; i < cfg->n; i++) {
		free(cfg->entries[i].name);
		cfg_val_release(&cfg->entries[i].value);
	}
	free(cfg->entries);
	free(cfg->file);
	cfg->file = NULL;
	cfg->entries = NULL;
	cfg->n = 0;
}

int
xvm_cfg_parse(struct xvm_cfg *cfg, const char *data, size_t len,
    unsigned flags, const struct xvm_strv *vars, struct xvm_err *err)
{
	struct parser p;
	struct xvm_cfg_value v;
	size_t i;
	int ret = -1;

	memset(&p, 0, sizeof(p));
	p.cfg = cfg;
	p.file = cfg->file != NULL ? cfg->file : "";
	p.python = (flags & XVM_CFG_PYTHON) != 0;
	p.err = err;
	if (data == NULL)
		data = "";
	if (parse_vars(&p, vars) < 0)
		goto out;
	cfg_lex_init(&p.lx, data, len, p.python, p.file, err);
	p.tok.start = data;
	if (advance(&p) < 0 || parse_file(&p) < 0)
		goto out;
	for (i = 0; i < p.nvars; i++) {
		struct xvm_cfg_entry *e;

		cfg_val_copy(&v, &p.vvals[i]);
		assign(&p, p.vnames[i], false, &v, false, 0, 0);
		if (p.vref[i] && (e = find_entry(cfg, p.vnames[i])) != NULL)
			e->referenced = true;
	}
	ret = 0;
out:
	free(p.tok.str);
	for (i = 0; i < p.nvars; i++) {
		free(p.vnames[i]);
		cfg_val_release(&p.vvals[i]);
	}
	free(p.vnames);
	free(p.vvals);
	free(p.vref);
	if (ret < 0)
		xvm_cfg_release(cfg);
	return ret;
}

int
xvm_cfg_parse_file(struct xvm_cfg *cfg, const char *path, unsigned flags,
    const struct xvm_strv *vars, struct xvm_err *err)
{
	char *data = NULL;
	size_t len = 0;
	int ret = -1;

	if (cfg->file == NULL)
		cfg->file = xvm_strdup(path);
	if (xvm_file_read(path, CFG_MAX_FILE, &data, &len, err) < 0) {
		xvm_cfg_release(cfg);
		goto out;
	}
	ret = xvm_cfg_parse(cfg, data, len, flags, vars, err);
out:
	free(data);
	return ret;
}

const struct xvm_cfg_value *
xvm_cfg_get(struct xvm_cfg *cfg, const char *name)
{
	struct xvm_cfg_entry *e = find_entry(cfg, name);

	if (e == NULL)
		return NULL;
	e->used = true;
	return &e->value;
}

/* "'name' should be WANT, not FOUND" at the value. */
static int
type_err(const struct xvm_cfg *cfg, const char *name,
    const struct xvm_cfg_value *v, const char *want, struct xvm_err *err)
{
	char q[64];
	const char *found = q;

	if (v->type == XVM_CFG_LIST)
		found = "a list";
	else
		cfg_quote(q, sizeof(q), v->str, strlen(v->str));
	return xvm_err_at(err, v->line > 0 ? cfg->file : CMDLINE, v->line,
	    v->column, "'%s' should be %s, not %s", name, want, found);
}

int
xvm_cfg_get_string(struct xvm_cfg *cfg, const char *name, const char **out,
    struct xvm_err *err)
{
	const struct xvm_cfg_value *v = xvm_cfg_get(cfg, name);

	if (v == NULL)
		return 0;
	if (v->type == XVM_CFG_LIST)
		return type_err(cfg, name, v, "a string", err);
	*out = v->str;
	return 1;
}

int
xvm_cfg_get_long(struct xvm_cfg *cfg, const char *name, long long *out,
    struct xvm_err *err)
{
	const struct xvm_cfg_value *v = xvm_cfg_get(cfg, name);
	const char *why;
	long long n;

	if (v == NULL)
		return 0;
	if (v->type == XVM_CFG_NUMBER) {
		*out = v->num;
		return 1;
	}
	if (v->type == XVM_CFG_LIST ||
	    cfg_number(v->str, strlen(v->str), &n, &why) < 0)
		return type_err(cfg, name, v, "a number", err);
	*out = n;
	return 1;
}

int
xvm_cfg_value_bool(const struct xvm_cfg_value *v, bool *out)
{
	static const char *const yes[] = { "1", "yes", "true", "on" };
	static const char *const no[] = { "0", "no", "false", "off" };
	size_t i;

	if (v->type == XVM_CFG_NUMBER) {
		*out = v->num != 0;
		return 0;
	}
	if (v->type != XVM_CFG_STRING)
		return -1;
	for (i = 0; i < XVM_ARRAY_SIZE(yes); i++) {
		if (strcasecmp(v->str, yes[i]) == 0) {
			*out = true;
			return 0;
		}
		if (strcasecmp(v->str, no[i]) == 0) {
			*out = false;
			return 0;
		}
	}
	return -1;
}

int
xvm_cfg_get_bool(struct xvm_cfg *cfg, const char *name, bool *out,
    struct xvm_err *err)
{
	const struct xvm_cfg_value *v = xvm_cfg_get(cfg, name);

	if (v == NULL)
		return 0;
	if (xvm_cfg_value_bool(v, out) == 0)
		return 1;
	return type_err(cfg, name, v, "a boolean", err);
}

int
xvm_cfg_get_list(struct xvm_cfg *cfg, const char *name,
    const struct xvm_cfg_value **items, size_t *n, struct xvm_err *err)
{
	const struct xvm_cfg_value *v = xvm_cfg_get(cfg, name);

	(void)err;
	if (v == NULL)
		return 0;
	if (v->type == XVM_CFG_LIST) {
		*items = v->items;
		*n = v->nitems;
	} else {
		*items = v;
		*n = 1;
	}
	return 1;
}

static struct xvm_cfg_value *
set_value(struct xvm_cfg *cfg, const char *name)
{
	struct xvm_cfg_entry *e = entry(cfg, name);

	cfg_val_release(&e->value);
	e->line = 0;
	e->column = 0;
	return &e->value;
}

void
xvm_cfg_set_string(struct xvm_cfg *cfg, const char *name, const char *val)
{
	cfg_val_string(set_value(cfg, name), xvm_strdup(val != NULL ? val :
	    ""));
}

void
xvm_cfg_set_long(struct xvm_cfg *cfg, const char *name, long long val)
{
	cfg_val_number(set_value(cfg, name), val);
}

struct xvm_cfg_value *
xvm_cfg_set_list(struct xvm_cfg *cfg, const char *name)
{
	struct xvm_cfg_value *v = set_value(cfg, name);

	v->type = XVM_CFG_LIST;
	return v;
}

void
xvm_cfg_list_add_string(struct xvm_cfg_value *list, const char *val)
{
	struct xvm_cfg_value item;

	memset(&item, 0, sizeof(item));
	cfg_val_string(&item, xvm_strdup(val != NULL ? val : ""));
	cfg_list_push(list, &item);
}

struct xvm_cfg_value *
xvm_cfg_list_add_list(struct xvm_cfg_value *list)
{
	struct xvm_cfg_value item;

	memset(&item, 0, sizeof(item));
	item.type = XVM_CFG_LIST;
	cfg_list_push(list, &item);
	return &list->items[list->nitems - 1];
}

void
xvm_cfg_unset(struct xvm_cfg *cfg, const char *name)
{
	struct xvm_cfg_entry *e = find_entry(cfg, name);

	if (e != NULL)
		remove_entry(cfg, e);
}

void
xvm_cfg_unused(const struct xvm_cfg *cfg, struct xvm_strv *out)
{
	size_t i;

	for (i = 0; i < cfg->n; i++)
		if (!cfg->entries[i].used && !cfg->entries[i].referenced)
			xvm_strv_push(out, cfg->entries[i].name);
}

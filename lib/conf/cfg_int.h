/*
 * cfg_int.h - shared by the files of the config language (lib/conf/cfg*.c),
 * not public: the lexer, value helpers and xm's harmless Python operators.
 */
#ifndef XVM_CFG_INT_H
#define XVM_CFG_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "xvm/cfg.h"

/* Lists nested deeper than this are refused (also bounds recursion). */
#define CFG_MAX_DEPTH	64
/* Bytes of values a config may compute (copies of settings, formatting,
   joined strings): bounds the memory and time of `x = x + x` or of
   `s += '...'` repeated. */
#define CFG_MAX_WORK	(16u << 20)
/* Largest width or precision of a % conversion. */
#define CFG_MAX_WIDTH	4096

#define CFG_PY_HINT \
	"; this looks like Python, which xm configs may contain: " \
	"use xm's reader"
#define CFG_PY_CODE	"is Python code; a domain config cannot run it"

enum cfg_tok {
	TOK_EOF,
	TOK_NL,		/* a newline, or a comment and its newline */
	TOK_SEMI,
	TOK_NAME,
	TOK_NUM,	/* raw text: [0-9.][0-9A-Za-z_.]* (checked later) */
	TOK_STR,
	TOK_EQ,
	TOK_PLUSEQ,
	TOK_LBRACK,
	TOK_RBRACK,
	TOK_COMMA,
	TOK_LPAREN,
	TOK_RPAREN,
	TOK_PLUS,
	TOK_MINUS,
	TOK_STAR,
	TOK_SLASH,
	TOK_DSLASH,
	TOK_PERCENT,
	TOK_PY,		/* other Python punctuation: { } . : ** == -= ... */
	TOK_BACKSLASH,	/* '\' outside a string */
	TOK_OTHER,	/* any other byte */
};

struct cfg_token {
	enum cfg_tok type;
	const char *start;	/* raw text in the input */
	size_t len;
	int line, column;
	char *str;		/* TOK_STR: the decoded text (owned) */
	size_t slen;
};

struct cfg_lexer {
	const char *p, *end;
	const char *line_start;
	int line;
	int nest;		/* open '[' or '(': newlines are blanks */
	bool python;		/* '\' + newline continues a line */
	const char *file;	/* for messages */
	struct xvm_err *err;
};

/* Where a message points, and the error to fill. */
struct cfg_where {
	const char *file;
	int line, column;
	struct xvm_err *err;
};

void cfg_lex_init(struct cfg_lexer *lx, const char *data, size_t len,
    bool python, const char *file, struct xvm_err *err);
/* The next token into *tok (whose old str the caller freed): 0, or -1
   with a located error. */
int cfg_lex(struct cfg_lexer *lx, struct cfg_token *tok);

/*
 * Quote text for a message: at most ~40 bytes of one line, control bytes
 * escaped, in '...' (or "..." when it holds a single quote).
 */
void cfg_quote(char *buf, size_t size, const char *s, size_t len);

/* Values. */
void cfg_val_release(struct xvm_cfg_value *v);		/* idempotent */
void cfg_val_copy(struct xvm_cfg_value *dst, const struct xvm_cfg_value *src);
size_t cfg_val_size(const struct xvm_cfg_value *v);	/* bytes, roughly */
int cfg_val_depth(const struct xvm_cfg_value *v);	/* 0 for atoms */
void cfg_val_string(struct xvm_cfg_value *v, char *s);	/* takes s */
void cfg_val_number(struct xvm_cfg_value *v, long long n);
/* Append item (moved; *item is left empty) to list. */
void cfg_list_push(struct xvm_cfg_value *list, struct xvm_cfg_value *item);
const char *cfg_type_name(enum xvm_cfg_type type);	/* "a string" ... */

/*
 * Number literals: optional sign, then decimal, 0x hex or 0 octal.
 * Returns 0, or -1 with *why set to "is not an integer", "is not a valid
 * number" or "is out of range".
 */
int cfg_number(const char *s, size_t len, long long *out, const char **why);

/*
 * xm's harmless Python.  Each consumes *r and leaves the result in *l;
 * on failure both are released and the error is located at w.
 *   cfg_py_add:    '+' (or '+=' with pluseq): string+string, list+list;
 *                  number+number when numbers is set
 *   cfg_py_arith:  op is '+', '-', '*', '/', 'f' (//) or '%' on numbers
 *   cfg_py_format: "fmt" % value, "fmt" % (v, ...) (a list)
 * expr is the source of the whole expression, for messages.
 */
int cfg_py_add(struct xvm_cfg_value *l, struct xvm_cfg_value *r,
    bool numbers, bool pluseq, const struct cfg_where *w);
int cfg_py_arith(int op, struct xvm_cfg_value *l, struct xvm_cfg_value *r,
    const char *expr, const struct cfg_where *w);
int cfg_py_format(struct xvm_cfg_value *l, struct xvm_cfg_value *r,
    const struct cfg_where *w);

#endif

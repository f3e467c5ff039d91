/*
 * cfg.h - the xm/xl domain config language, as text: settings `name = value`
 * where a value is a string, a number or a (nested) list.  This layer knows
 * the syntax only; lib/conf/xen_*.c give the settings their meaning.
 *
 * Accepted syntax (the union of what xl 4.17, libvirt 9.0 and real xm
 * configs use, see shared/docs/research/config-language.md):
 *   - names: a letter, then letters, digits, '_' and '.' (upper case too);
 *   - strings in '...' or "..." on one line, with xl's backslash escapes
 *     (\" \' \\ \a \b \f \n \r \t \v, \xHH, \OOO); """...""" and '''...'''
 *     may span lines and take no escapes;
 *   - numbers: decimal, 0x hex, 0 octal, with an optional sign;
 *   - lists [ v, v, ] over several lines, nested, with comments inside;
 *   - ';' or newline between settings; '#' comments; CRLF line ends;
 *   - `name += value` appends to an earlier string or list (xl); on
 *     numbers it is an error (xl would join their text), except with
 *     XVM_CFG_PYTHON, where it adds them;
 *   - later assignment wins;
 * and, with XVM_CFG_PYTHON (xm configs), the harmless Python that xm
 * configs contain: True/False (1/0), None (the setting is unset), tuples
 * ( a, b ) as lists, string + string, list + list, integer arithmetic
 * (+ - * / // % and parentheses), "fmt" % value and "fmt" % (v, ...)
 * with %s %d %i %x %o %% and widths, and names of earlier settings or of
 * command-line variables used as values.
 *
 * Anything else -- import, def, if, calls, attribute access, dicts -- is
 * never executed: it is an error at FILE:LINE:COL saying that the file
 * contains Python code that a domain config cannot run.
 */
#ifndef XVM_CFG_H
#define XVM_CFG_H

#include <stdbool.h>
#include <stddef.h>

#include "xvm/err.h"
#include "xvm/util.h"

enum xvm_cfg_type {
	XVM_CFG_STRING,
	XVM_CFG_NUMBER,
	XVM_CFG_LIST,
};

struct xvm_cfg_value {
	enum xvm_cfg_type type;
	char *str;		/* STRING: the text; NUMBER: as written ("0x10") */
	long long num;		/* NUMBER: its value */
	struct xvm_cfg_value *items;	/* LIST: the items */
	size_t nitems;
	int line, column;	/* where the value starts (1-based; 0: none) */
};

struct xvm_cfg_entry {
	char *name;
	struct xvm_cfg_value value;
	int line, column;	/* of the name, for messages */
	bool used;		/* read by a getter (for --strict) */
	bool referenced;	/* read as a variable by an expression: a
				   helper of the file, not a setting */
};

/* Settings in order of first assignment; one entry per name. */
struct xvm_cfg {
	char *file;		/* the name used in messages */
	struct xvm_cfg_entry *entries;
	size_t n;
};

enum {
	XVM_CFG_PYTHON = 1 << 0,	/* accept xm's harmless Python */
};

void xvm_cfg_init(struct xvm_cfg *cfg, const char *file);
void xvm_cfg_release(struct xvm_cfg *cfg);	/* idempotent */

/*
 * Parse data (len bytes, need not be NUL-terminated) into cfg, which
 * xvm_cfg_init() prepared; `file` of cfg names it in messages.
 * `vars` are command-line settings "name=value" (xm create CFG name=value):
 * they are visible to the file as variables (XVM_CFG_PYTHON) and are
 * assigned after the file, so they win.  A value of a command-line setting
 * is read as a config value when it is one (512, "x", [ 'a' ]), else taken
 * as a plain string (name=guest1).
 *
 * Errors: XVM_ERR_CONFIG with err->file/line/column set and a message
 * naming the offending text, e.g.
 *   "unterminated string starting at '\"abc'"
 *   "'import' is Python code; a domain config cannot run it"
 * Command-line settings report file "<command line>" and line 0.
 * On error cfg holds nothing (it is released).
 */
int xvm_cfg_parse(struct xvm_cfg *cfg, const char *data, size_t len,
    unsigned flags, const struct xvm_strv *vars, struct xvm_err *err);

/*
 * Read a file ("-" is not special here) and parse it; errors name it
 * (cfg->file, set to path when xvm_cfg_init() was given NULL).
 */
int xvm_cfg_parse_file(struct xvm_cfg *cfg, const char *path, unsigned flags,
    const struct xvm_strv *vars, struct xvm_err *err);

/* The value of a setting, or NULL; marks it used. */
const struct xvm_cfg_value *xvm_cfg_get(struct xvm_cfg *cfg,
    const char *name);

/*
 * Typed getters: 0 when the setting is absent (out untouched), 1 when set,
 * -1 with XVM_ERR_CONFIG at the value's position when it has the wrong
 * type.  A number is a string too (its text); a string of digits is a
 * number; get_bool takes numbers (0 = false) and the strings
 * "0"/"1"/"yes"/"no"/"true"/"false"/"on"/"off" (any case).  A value with
 * no position (line 0: a command-line setting) is reported at
 * "<command line>".
 */
int xvm_cfg_get_string(struct xvm_cfg *cfg, const char *name,
    const char **out, struct xvm_err *err);
int xvm_cfg_get_long(struct xvm_cfg *cfg, const char *name, long long *out,
    struct xvm_err *err);
int xvm_cfg_get_bool(struct xvm_cfg *cfg, const char *name, bool *out,
    struct xvm_err *err);
/* A value read as a boolean, by get_bool's rules: 0, or -1 if it is none. */
int xvm_cfg_value_bool(const struct xvm_cfg_value *v, bool *out);

/* A list; a single value is taken as a one-item list (xm's habit). */
int xvm_cfg_get_list(struct xvm_cfg *cfg, const char *name,
    const struct xvm_cfg_value **items, size_t *n,
    struct xvm_err *err);

/*
 * Building a config to write.  Setting a name again replaces its value.
 * A pointer from set_list/list_add_list stays valid until the next set or
 * unset on cfg, or the next add to the same list.
 */
void xvm_cfg_set_string(struct xvm_cfg *cfg, const char *name,
    const char *val);
void xvm_cfg_set_long(struct xvm_cfg *cfg, const char *name, long long val);
/* An empty list to fill with xvm_cfg_list_*; owned by cfg. */
struct xvm_cfg_value *xvm_cfg_set_list(struct xvm_cfg *cfg, const char *name);
void xvm_cfg_list_add_string(struct xvm_cfg_value *list, const char *val);
struct xvm_cfg_value *xvm_cfg_list_add_list(struct xvm_cfg_value *list);
void xvm_cfg_unset(struct xvm_cfg *cfg, const char *name);

/*
 * Write in libvirt's canonical form (virConfWriteMem): "name = value\n" in
 * entry order; numbers as decimal; lists "[ a, b ]" ("[  ]" when empty),
 * nested the same way; strings so that parsing gives them back exactly:
 *   - in "..." unless they contain '"', then '...' -- when they have no
 *     newline and not both quotes -- with '\' written "\\" and CR "\r";
 *   - else raw in """...""" (or '''...''' when the text holds """ or ends
 *     in '"'), as libvirt does, if the text has no '\' and no CR (raw
 *     text cannot carry them);
 *   - else in "..." with the escapes \\ \" \n \r.
 */
void xvm_cfg_write(const struct xvm_cfg *cfg, struct xvm_buf *b);

/*
 * Names of settings no getter read (for --strict), in file order; helper
 * variables (entries other settings used in expressions) are not listed.
 */
void xvm_cfg_unused(const struct xvm_cfg *cfg, struct xvm_strv *out);

#endif

/*
 * parse.c - turn the words of one command into struct xvm_args, in the
 * conventions of the tool: virsh's (named or positional options, "--opt=v",
 * "--" ends options, its exact error texts), xm's (GNU getopt with
 * permutation and abbreviations, errors counted in arguments) and
 * argparse's (virt-install).  Also splits virsh command strings.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "xvm/cli.h"
#include "cli/cli_int.h"

struct parser {
	const struct xvm_tool *tool;
	const struct xvm_cmd *cmd;
	const struct xvm_opt *opts[CLI_MAX_OPTS];
	size_t nopts;
	bool seen[CLI_MAX_OPTS];
	size_t npos;		/* positional values taken so far */
	struct xvm_args *a;
	struct xvm_strv *errs;
};

static void
add_val(struct parser *p, const struct xvm_opt *o, const char *val)
{
	struct xvm_argval *v;

	p->a->v = xvm_realloc(p->a->v, (p->a->n + 1) * sizeof(*p->a->v));
	v = &p->a->v[p->a->n++];
	v->opt = o;
	v->value = NULL;
	if (o->type != XVM_OPT_BOOL) {
		xvm_strv_push(&p->a->store, val ? val : "");
		v->value = p->a->store.v[p->a->store.n - 1];
	}
	if (o == &xvm_opt_json)
		p->a->json = true;
}

static int
opt_index(const struct parser *p, const struct xvm_opt *o)
{
	size_t i;

	for (i = 0; i < p->nopts; i++)
		if (p->opts[i] == o)
			return (int)i;
	return -1;
}

static const struct xvm_opt *
find_long(const struct parser *p, const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < p->nopts; i++)
		if (strlen(p->opts[i]->name) == len &&
		    strncmp(p->opts[i]->name, name, len) == 0)
			return p->opts[i];
	return NULL;
}

/* Unique abbreviation of a long option (getopt_long, argparse). */
static const struct xvm_opt *
find_long_prefix(const struct parser *p, const char *name, size_t len,
    struct xvm_strv *matches)
{
	const struct xvm_opt *found = find_long(p, name, len);
	size_t i;

	if (found)
		return found;
	for (i = 0; i < p->nopts; i++) {
		if (strncmp(p->opts[i]->name, name, len) == 0 &&
		    !(p->opts[i]->flags & XVM_OPT_HIDDEN)) {
			xvm_strv_push(matches, p->opts[i]->name);
			found = p->opts[i];
		}
	}
	return matches->n == 1 ? found : NULL;
}

static const struct xvm_opt *
find_short(const struct parser *p, char c)
{
	size_t i;

	for (i = 0; i < p->nopts; i++)
		if (p->opts[i]->short_name == c)
			return p->opts[i];
	return NULL;
}

/* The next option that takes a value by position, or NULL. */
static const struct xvm_opt *
next_positional(struct parser *p)
{
	size_t i;

	for (i = 0; i < p->nopts; i++) {
		const struct xvm_opt *o = p->opts[i];

		if (!(o->flags & XVM_OPT_POSITIONAL) || o->type == XVM_OPT_BOOL)
			continue;
		if (p->seen[i] && !(o->flags & XVM_OPT_MULTI))
			continue;
		return o;
	}
	return NULL;
}

static void
errf(struct parser *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
errf(struct parser *p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	xvm_strv_push_take(p->errs, xvm_vasprintf(fmt, ap));
	va_end(ap);
}

/* ---- virsh ---------------------------------------------------------- */

static int
parse_virsh(struct parser *p, int argc, char **argv)
{
	bool data_only = false;
	int i;
	size_t k;
	bool is_help = strcmp(p->cmd->name, "help") == 0;

	for (i = 0; i < argc; i++) {
		const char *tok = argv[i];
		const struct xvm_opt *o;

		if (!data_only && tok[0] == '-' && tok[1] == '-' &&
		    isalnum((unsigned char)tok[2])) {
			const char *name = tok + 2;
			const char *eq = strchr(name, '=');
			size_t len = eq ? (size_t)(eq - name) : strlen(name);
			const char *val = eq ? eq + 1 : NULL;
			int idx;

			if (len == 4 && strncmp(name, "help", 4) == 0 &&
			    !is_help) {
				p->a->cmd = NULL;	/* becomes `help CMD` */
				return 1;
			}
			o = find_long(p, name, len);
			if (!o) {
				if (is_help)
					continue;
				errf(p, "command '%s' doesn't support option "
				    "--%.*s", p->cmd->name, (int)len, name);
				return -1;
			}
			idx = opt_index(p, o);
			if (p->seen[idx] && !(o->flags & XVM_OPT_MULTI)) {
				errf(p, "option --%s already seen", o->name);
				return -1;
			}
			if (o->type == XVM_OPT_BOOL) {
				if (val) {
					errf(p, "invalid '=' after option --%s",
					    o->name);
					return -1;
				}
			} else if (!val) {
				if (i + 1 >= argc) {
					errf(p, "expected syntax: --%s <%s>",
					    o->name, cli_opt_is_number(o) ?
					    "number" : "string");
					return -1;
				}
				val = argv[++i];
			}
			p->seen[idx] = true;
			add_val(p, o, val);
			continue;
		}
		if (!data_only && strcmp(tok, "--") == 0) {
			data_only = true;
			continue;
		}
		o = next_positional(p);
		if (!o) {
			if (is_help)
				continue;
			errf(p, "unexpected data '%s'", tok);
			return -1;
		}
		p->seen[opt_index(p, o)] = true;
		add_val(p, o, tok);
	}
	for (k = 0; k < p->nopts; k++) {
		const struct xvm_opt *o = p->opts[k];

		if (!(o->flags & XVM_OPT_REQUIRED) || p->seen[k])
			continue;
		if ((o->flags & XVM_OPT_POSITIONAL) &&
		    (cli_opt_is_data(o) || (o->flags & XVM_OPT_MULTI)))
			errf(p, "command '%s' requires <%s> option",
			    p->cmd->name, o->name);
		else
			errf(p, "command '%s' requires --%s option",
			    p->cmd->name, o->name);
	}
	return p->errs->n ? -1 : 0;
}

/* ---- xm: GNU getopt with permutation -------------------------------- */

static void
count_positionals(const struct parser *p, size_t *lo, size_t *hi, bool *multi)
{
	size_t i;

	*lo = *hi = 0;
	*multi = false;
	for (i = 0; i < p->nopts; i++) {
		const struct xvm_opt *o = p->opts[i];

		if (!(o->flags & XVM_OPT_POSITIONAL) || o->type == XVM_OPT_BOOL)
			continue;
		(*hi)++;
		if (o->flags & XVM_OPT_REQUIRED)
			(*lo)++;
		if (o->flags & XVM_OPT_MULTI)
			*multi = true;
	}
}

static void
xm_count_error(struct parser *p)
{
	size_t lo, hi;
	bool multi;

	count_positionals(p, &lo, &hi, &multi);
	if (multi)
		errf(p, "'xm %s' requires at least %zu argument%s.",
		    p->cmd->name, lo, lo == 1 ? "" : "s");
	else if (lo == hi)
		errf(p, "'xm %s' requires %zu argument%s.", p->cmd->name,
		    lo, lo == 1 ? "" : "s");
	else if (lo == 0)
		errf(p, "'xm %s' requires at most %zu argument%s.",
		    p->cmd->name, hi, hi == 1 ? "" : "s");
	else
		errf(p, "'xm %s' requires between %zu and %zu arguments.",
		    p->cmd->name, lo, hi);
}

static int
take_value(struct parser *p, const struct xvm_opt *o, const char *val)
{
	int idx = opt_index(p, o);

	p->seen[idx] = true;
	add_val(p, o, val);
	return 0;
}

static int
parse_getopt(struct parser *p, int argc, char **argv, bool argparse)
{
	struct xvm_strv pos = XVM_STRV_INIT, unknown = XVM_STRV_INIT;
	bool opts_done = false;
	int i, ret = -1;
	size_t k;

	for (i = 0; i < argc; i++) {
		const char *tok = argv[i];
		const struct xvm_opt *o;

		if (opts_done || tok[0] != '-' || tok[1] == '\0' ||
		    (argparse && isdigit((unsigned char)tok[1]))) {
			xvm_strv_push(&pos, tok);
			continue;
		}
		if (strcmp(tok, "--") == 0) {
			opts_done = true;
			continue;
		}
		if (tok[1] == '-') {
			struct xvm_strv m = XVM_STRV_INIT;
			const char *name = tok + 2;
			const char *eq = strchr(name, '=');
			size_t len = eq ? (size_t)(eq - name) : strlen(name);
			const char *val = eq ? eq + 1 : NULL;

			o = find_long_prefix(p, name, len, &m);
			if (!o && m.n > 1) {
				char *all = xvm_strv_join(&m, argparse ?
				    ", --" : " --");
				if (argparse)
					errf(p, "ambiguous option: --%.*s could "
					    "match --%s", (int)len, name, all);
				else
					errf(p, "option --%.*s not a unique "
					    "prefix (--%s)", (int)len, name,
					    all);
				free(all);
				xvm_strv_release(&m);
				goto out;
			}
			xvm_strv_release(&m);
			if (!o) {
				if (argparse) {
					xvm_strv_push(&unknown, tok);
					continue;
				}
				errf(p, "option --%.*s not recognized",
				    (int)len, name);
				goto out;
			}
			if (o->type == XVM_OPT_BOOL) {
				if (val) {
					if (argparse && o->short_name)
						errf(p, "argument -%c/--%s: "
						    "ignored explicit argument "
						    "'%s'", o->short_name,
						    o->name, val);
					else if (argparse)
						errf(p, "argument --%s: ignored "
						    "explicit argument '%s'",
						    o->name, val);
					else
						errf(p, "option --%s must not "
						    "have an argument", o->name);
					goto out;
				}
			} else if (!val && (o->flags & XVM_OPT_OPTVAL) &&
			    (i + 1 >= argc || argv[i + 1][0] == '-')) {
				val = "";
			} else if (!val) {
				if (i + 1 >= argc || (argparse &&
				    argv[i + 1][0] == '-' &&
				    !isdigit((unsigned char)argv[i + 1][1]))) {
					if (argparse && o->short_name)
						errf(p, "argument -%c/--%s: "
						    "expected one argument",
						    o->short_name, o->name);
					else if (argparse)
						errf(p, "argument --%s: expected "
						    "one argument", o->name);
					else
						errf(p, "option --%s requires "
						    "argument", o->name);
					goto out;
				}
				val = argv[++i];
			}
			take_value(p, o, val);
			continue;
		}
		/* a cluster of short options: -cp, -nNAME, -n NAME */
		for (k = 1; tok[k]; k++) {
			o = find_short(p, tok[k]);
			if (!o) {
				if (argparse) {
					xvm_strv_push(&unknown, tok);
					break;
				}
				errf(p, "option -%c not recognized", tok[k]);
				goto out;
			}
			if (o->type == XVM_OPT_BOOL) {
				take_value(p, o, NULL);
				continue;
			}
			if (tok[k + 1]) {
				take_value(p, o, tok + k + 1 +
				    (argparse && tok[k + 1] == '='));
			} else if (i + 1 < argc) {
				take_value(p, o, argv[++i]);
			} else {
				if (argparse)
					errf(p, "argument -%c/--%s: expected "
					    "one argument", o->short_name,
					    o->name);
				else
					errf(p, "option -%c requires argument",
					    o->short_name);
				goto out;
			}
			break;
		}
	}

	for (k = 0; k < pos.n; k++) {
		const struct xvm_opt *o = next_positional(p);

		if (!o) {
			if (argparse) {
				xvm_strv_push(&unknown, pos.v[k]);
				continue;
			}
			xm_count_error(p);
			goto out;
		}
		take_value(p, o, pos.v[k]);
	}
	if (unknown.n) {
		char *all = xvm_strv_join(&unknown, " ");

		errf(p, "unrecognized arguments: %s", all);
		free(all);
		goto out;
	}
	for (k = 0; k < p->nopts; k++) {
		const struct xvm_opt *o = p->opts[k];

		if (!(o->flags & XVM_OPT_REQUIRED) || p->seen[k])
			continue;
		if (!argparse && (o->flags & XVM_OPT_POSITIONAL)) {
			xm_count_error(p);
			goto out;
		}
		if (argparse)
			errf(p, "the following arguments are required: --%s",
			    o->name);
		else
			errf(p, "option --%s is required", o->name);
		goto out;
	}
	ret = 0;
out:
	xvm_strv_release(&pos);
	xvm_strv_release(&unknown);
	return ret;
}

int
xvm_cli_parse(const struct xvm_tool *tool, const struct xvm_cmd *cmd,
    int argc, char **argv, struct xvm_args *a, struct xvm_strv *errs)
{
	struct parser p;
	int r;
	size_t nerr = errs->n;

	memset(&p, 0, sizeof(p));
	memset(a, 0, sizeof(*a));
	p.tool = tool;
	p.cmd = cmd;
	p.a = a;
	p.errs = errs;
	p.nopts = cli_cmd_opts(cmd, p.opts, CLI_MAX_OPTS);
	a->cmd = cmd;

	/* -h/--help on any xm or argparse command asks for its help */
	if (tool->style != XVM_STYLE_VIRSH) {
		int i;

		for (i = 0; i < argc && strcmp(argv[i], "--") != 0; i++) {
			if ((strcmp(argv[i], "-h") == 0 ||
			    strcmp(argv[i], "--help") == 0) &&
			    !find_short(&p, 'h')) {
				a->cmd = NULL;
				return 1;
			}
		}
	}
	switch (tool->style) {
	case XVM_STYLE_VIRSH:
		r = parse_virsh(&p, argc, argv);
		break;
	case XVM_STYLE_XM:
		r = parse_getopt(&p, argc, argv, false);
		break;
	default:
		r = parse_getopt(&p, argc, argv, true);
		break;
	}
	if (r < 0 && errs->n == nerr)
		xvm_strv_push(errs, "internal error: bad command line");
	if (r < 0)
		xvm_args_release(a);
	return r;
}

/* ---- virsh command strings ------------------------------------------ */

/*
 * Split one command string into commands (at ';' and newlines) made of
 * words, with the shell's quoting: '...' literal, "..." with backslash
 * escapes, backslash outside quotes, # comments at the start of a word.
 */
int
xvm_cli_split(const char *str, struct xvm_strv **cmds_r, size_t *n_r,
    struct xvm_strv *errs)
{
	struct xvm_strv *cmds = NULL;
	size_t n = 0;
	const char *p = str;
	struct xvm_buf w = XVM_BUF_INIT;
	struct xvm_strv cur = XVM_STRV_INIT;

	for (;;) {
		bool sq = false, dq = false, have = false;

		while (*p == ' ' || *p == '\t' || (*p == '\\' && p[1] == '\n'))
			p += (*p == '\\') ? 2 : 1;
		if (*p == '\0' || *p == ';' || *p == '\n' || *p == '#') {
			if (*p == '#')
				while (*p && *p != '\n')
					p++;
			if (cur.n) {
				cmds = xvm_realloc(cmds, (n + 1) * sizeof(*cmds));
				cmds[n++] = cur;
				xvm_strv_init(&cur);
			}
			if (*p == '\0')
				break;
			p++;
			continue;
		}
		xvm_buf_reset(&w);
		while (*p) {
			if (!sq && !dq && (*p == ' ' || *p == '\t' ||
			    *p == ';' || *p == '\n'))
				break;
			if (!dq && *p == '\'') {
				sq = !sq;
				have = true;
				p++;
				continue;
			}
			if (!sq && *p == '\\') {
				p++;
				if (*p == '\0') {
					xvm_strv_push(errs, "dangling \\");
					goto fail;
				}
				if (*p == '\n') {
					p++;
					continue;
				}
			} else if (!sq && *p == '"') {
				dq = !dq;
				have = true;
				p++;
				continue;
			}
			xvm_buf_putc(&w, *p++);
			have = true;
		}
		if (dq) {
			xvm_strv_push(errs, "missing \"");
			goto fail;
		}
		if (sq) {
			xvm_strv_push(errs, "missing '");
			goto fail;
		}
		if (have)
			xvm_strv_push(&cur, xvm_buf_str(&w));
	}
	xvm_buf_release(&w);
	*cmds_r = cmds;
	*n_r = n;
	return 0;
fail:
	xvm_buf_release(&w);
	xvm_strv_release(&cur);
	xvm_cli_split_free(cmds, n);
	*cmds_r = NULL;
	*n_r = 0;
	return -1;
}

void
xvm_cli_split_free(struct xvm_strv *cmds, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		xvm_strv_release(&cmds[i]);
	free(cmds);
}

/*
 * complete.c - completion from the command tables: the engine behind the
 * hidden `__complete` command and the readline shell, the generated bash
 * completion scripts, and the synopsis lines the man page test compares.
 */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "xvm/cli.h"
#include "cli/cli_int.h"

void
xvm_complete_commands(struct xvm_ctx *ctx, const char *prefix,
    struct xvm_strv *out)
{
	const struct xvm_cmd *c;

	for (c = ctx->tool->cmds; c->name; c++)
		if (!(c->flags & XVM_CMD_HIDDEN) &&
		    xvm_has_prefix(c->name, prefix))
			xvm_strv_push(out, c->name);
}

void
xvm_complete_files(struct xvm_ctx *ctx, const char *prefix,
    struct xvm_strv *out)
{
	const char *slash = strrchr(prefix, '/');
	char *dir, *base;
	DIR *d;
	struct dirent *de;

	(void)ctx;
	if (slash) {
		dir = xvm_strndup(prefix, (size_t)(slash - prefix) + 1);
		base = xvm_strdup(slash + 1);
	} else {
		dir = xvm_strdup("");
		base = xvm_strdup(prefix);
	}
	d = opendir(dir[0] ? dir : ".");
	while (d && (de = readdir(d)) != NULL) {
		struct stat st;
		char *path;

		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		if (de->d_name[0] == '.' && base[0] != '.')
			continue;
		if (!xvm_has_prefix(de->d_name, base))
			continue;
		path = xvm_asprintf("%s%s", dir, de->d_name);
		if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
			xvm_strv_pushf(out, "%s/", path);
		else
			xvm_strv_push(out, path);
		free(path);
	}
	if (d)
		closedir(d);
	free(dir);
	free(base);
}

static void
complete_values(struct xvm_ctx *ctx, const struct xvm_opt *o,
    const char *cur, struct xvm_strv *out)
{
	if (o->complete)
		o->complete(ctx, cur, out);
	else if (o->type == XVM_OPT_DOMAIN && ctx->tool->list_domains)
		ctx->tool->list_domains(ctx, cur, out);
	else if (o->type == XVM_OPT_FILE)
		xvm_complete_files(ctx, cur, out);
}

static const struct xvm_opt *
opt_by_word(const struct xvm_opt **opts, size_t n, const char *w,
    bool getopt_style, bool *valued_next)
{
	size_t i, len;
	const char *eq;

	*valued_next = false;
	if (w[0] != '-' || w[1] == '\0')
		return NULL;
	if (w[1] == '-') {
		eq = strchr(w + 2, '=');
		len = eq ? (size_t)(eq - w - 2) : strlen(w + 2);
		for (i = 0; i < n; i++) {
			if (strlen(opts[i]->name) == len &&
			    strncmp(opts[i]->name, w + 2, len) == 0) {
				*valued_next = !eq &&
				    opts[i]->type != XVM_OPT_BOOL;
				return opts[i];
			}
		}
		return NULL;
	}
	if (!getopt_style)
		return NULL;
	/* a short cluster: the last option may take the next word */
	for (i = 0; i < n; i++) {
		size_t k;

		for (k = 1; w[k]; k++) {
			if (opts[i]->short_name != w[k])
				continue;
			if (opts[i]->type != XVM_OPT_BOOL && w[k + 1] == '\0')
				*valued_next = true;
			return opts[i];
		}
	}
	return NULL;
}

void
xvm_complete(struct xvm_ctx *ctx, int nwords, char **words,
    struct xvm_strv *out)
{
	const struct xvm_tool *t = ctx->tool;
	const struct xvm_cmd *cmd;
	const struct xvm_opt *opts[CLI_MAX_OPTS], *pending = NULL;
	bool seen[CLI_MAX_OPTS] = { false };
	bool getopt_style = t->style != XVM_STYLE_VIRSH;
	bool data_only = false;
	const char *cur;
	size_t n, i;
	int w = 0;

	if (nwords < 1)
		return;
	cur = words[nwords - 1];
	if (t->style == XVM_STYLE_ARGPARSE) {
		cmd = t->cmds;
	} else {
		struct xvm_strv amb = XVM_STRV_INIT;

		if (nwords == 1) {
			xvm_complete_commands(ctx, cur, out);
			goto out;
		}
		cmd = t->style == XVM_STYLE_VIRSH ? xvm_cli_find(t, words[0]) :
		    cli_find_prefix(t, words[0], &amb);
		xvm_strv_release(&amb);
		if (!cmd)
			return;
		w = 1;
	}
	n = cli_cmd_opts(cmd, opts, CLI_MAX_OPTS);

	for (; w < nwords - 1; w++) {
		const struct xvm_opt *o;
		bool valued;

		if (pending) {
			pending = NULL;
			continue;
		}
		if (!data_only && strcmp(words[w], "--") == 0) {
			data_only = true;
			continue;
		}
		o = data_only ? NULL : opt_by_word(opts, n, words[w],
		    getopt_style, &valued);
		if (o) {
			for (i = 0; i < n; i++)
				if (opts[i] == o)
					seen[i] = true;
			if (valued)
				pending = o;
			continue;
		}
		/* a positional word fills the next free positional option */
		for (i = 0; i < n; i++) {
			if (!(opts[i]->flags & XVM_OPT_POSITIONAL) ||
			    opts[i]->type == XVM_OPT_BOOL ||
			    (seen[i] && !(opts[i]->flags & XVM_OPT_MULTI)))
				continue;
			seen[i] = true;
			break;
		}
	}
	if (pending) {
		complete_values(ctx, pending, cur, out);
		goto out;
	}
	if (!data_only && (cur[0] == '-' ||
	    (cur[0] == '\0' && t->style == XVM_STYLE_VIRSH))) {
		for (i = 0; i < n; i++) {
			const struct xvm_opt *o = opts[i];

			if ((o->flags & XVM_OPT_HIDDEN) ||
			    (seen[i] && !(o->flags & XVM_OPT_MULTI)))
				continue;
			if (xvm_has_prefix(o->name, cur[0] ? cur + 2 - (cur[1]
			    != '-') : ""))
				xvm_strv_pushf(out, "--%s", o->name);
			if (getopt_style && o->short_name &&
			    strcmp(cur, "-") == 0)
				xvm_strv_pushf(out, "-%c", o->short_name);
		}
		goto out;
	}
	/* the next positional option, counting those already given by name */
	for (i = 0; i < n; i++) {
		const struct xvm_opt *o = opts[i];

		if (!(o->flags & XVM_OPT_POSITIONAL) || o->type == XVM_OPT_BOOL)
			continue;
		if (seen[i] && !(o->flags & XVM_OPT_MULTI))
			continue;
		complete_values(ctx, o, cur, out);
		break;
	}
out:
	xvm_strv_sort(out);
	xvm_strv_uniq(out);
}

/* ---- generated bash completion -------------------------------------- */

static void
opt_words(const struct xvm_cmd *cmd, struct xvm_buf *b)
{
	const struct xvm_opt *opts[CLI_MAX_OPTS];
	size_t n = cli_cmd_opts(cmd, opts, CLI_MAX_OPTS), i;
	bool sp = false;

	for (i = 0; i < n; i++) {
		if (opts[i]->flags & XVM_OPT_HIDDEN)
			continue;
		if (opts[i]->short_name) {
			xvm_buf_printf(b, "%s-%c", sp ? " " : "",
			    opts[i]->short_name);
			sp = true;
		}
		xvm_buf_printf(b, "%s--%s", sp ? " " : "", opts[i]->name);
		sp = true;
	}
}

static void
valued_words(const struct xvm_opt *o, struct xvm_buf *b)
{
	for (; o && o->name; o++) {
		/* "[=TYPE]": an optional value, attached with '=' only */
		if (o->type == XVM_OPT_BOOL || (o->arg && o->arg[0] == '['))
			continue;
		if (o->short_name)
			xvm_buf_printf(b, " -%c", o->short_name);
		xvm_buf_printf(b, " --%s", o->name);
	}
}

static void
fn_name(const struct xvm_tool *t, struct xvm_buf *b)
{
	const char *p;

	xvm_buf_puts(b, "_xvm_");
	for (p = t->name; *p; p++)
		xvm_buf_putc(b, *p == '-' ? '_' : *p);
}

void
xvm_bash_completion(const struct xvm_tool *t, struct xvm_buf *b)
{
	const struct xvm_cmd *c;
	struct xvm_buf fn = XVM_BUF_INIT;
	const char *f;

	fn_name(t, &fn);
	f = xvm_buf_str(&fn);
	xvm_buf_printf(b,
	    "# bash completion for %s -*- shell-script -*-\n"
	    "# Generated by `make completions` from the command table of %s;\n"
	    "# do not edit.  Values (domain names, files) come from\n"
	    "# `%s __complete -- WORDS...` at run time.\n\n", t->name, t->name,
	    t->name);

	xvm_buf_printf(b, "%s_global_opts='", f);
	{
		const struct xvm_opt *o;
		bool sp = false;

		for (o = t->global_opts; o && o->name; o++) {
			if (o->flags & XVM_OPT_HIDDEN)
				continue;
			if (o->short_name) {
				xvm_buf_printf(b, "%s-%c", sp ? " " : "",
				    o->short_name);
				sp = true;
			}
			if (strlen(o->name) > 1) {
				xvm_buf_printf(b, "%s--%s", sp ? " " : "",
				    o->name);
				sp = true;
			}
		}
	}
	xvm_buf_printf(b, "'\n%s_global_valued='", f);
	valued_words(t->global_opts, b);
	xvm_buf_puts(b, " '\n");

	if (t->style != XVM_STYLE_ARGPARSE) {
		xvm_buf_printf(b, "%s_cmds='", f);
		for (c = t->cmds; c->name; c++)
			if (!(c->flags & XVM_CMD_HIDDEN))
				xvm_buf_printf(b, "%s%s", c == t->cmds ? "" :
				    " ", c->name);
		xvm_buf_puts(b, "'\n\n");
	}
	xvm_buf_printf(b, "%s_opts()\n{\n    case $1 in\n", f);
	for (c = t->cmds; c->name; c++) {
		if (c->flags & XVM_CMD_HIDDEN)
			continue;
		xvm_buf_printf(b, "    %s) echo '", t->style ==
		    XVM_STYLE_ARGPARSE ? "''" : c->name);
		opt_words(c, b);
		xvm_buf_puts(b, "' ;;\n");
	}
	xvm_buf_puts(b, "    esac\n}\n\n");

	xvm_buf_printf(b,
	    "%s()\n"
	    "{\n"
	    "    local cur words cword i cmd='' start\n"
	    "    if declare -F _get_comp_words_by_ref >/dev/null 2>&1; then\n"
	    "        _get_comp_words_by_ref -n =: cur words cword\n"
	    "    else\n"
	    "        words=(\"${COMP_WORDS[@]}\"); cword=$COMP_CWORD\n"
	    "        cur=${COMP_WORDS[COMP_CWORD]}\n"
	    "    fi\n"
	    "    COMPREPLY=()\n"
	    "    # skip the global options to find the command word\n"
	    "    i=1\n"
	    "    while [ \"$i\" -lt \"$cword\" ]; do\n"
	    "        case \" ${%s_global_valued} \" in\n"
	    "        *\" ${words[i]} \"*) i=$((i + 2)); continue ;;\n"
	    "        esac\n"
	    "        case ${words[i]} in\n"
	    "        -*) i=$((i + 1)); continue ;;\n"
	    "        esac\n"
	    "        break\n"
	    "    done\n", f, f);
	if (t->style == XVM_STYLE_ARGPARSE) {
		xvm_buf_printf(b,
		    "    start=$i\n"
		    "    if [ \"$i\" -ge \"$cword\" ] && [ \"${cur#-}\" != \"$cur\" ]; then\n"
		    "        COMPREPLY=($(compgen -W \"$(%s_opts '')\" -- \"$cur\"))\n"
		    "        return 0\n"
		    "    fi\n", f);
	} else {
		xvm_buf_printf(b,
		    "    if [ \"$i\" -ge \"$cword\" ]; then\n"
		    "        case $cur in\n"
		    "        -*) COMPREPLY=($(compgen -W \"${%s_global_opts}\" -- \"$cur\")) ;;\n"
		    "        *) COMPREPLY=($(compgen -W \"${%s_cmds}\" -- \"$cur\")) ;;\n"
		    "        esac\n"
		    "        return 0\n"
		    "    fi\n"
		    "    cmd=${words[i]}\n"
		    "    start=$i\n"
		    "    case $cur in\n"
		    "    -*) COMPREPLY=($(compgen -W \"$(%s_opts \"$cmd\")\" -- \"$cur\"))\n"
		    "        [ ${#COMPREPLY[@]} -gt 0 ] && return 0 ;;\n"
		    "    esac\n", f, f, f);
	}
	xvm_buf_printf(b,
	    "    # option values and positional arguments: ask the tool itself\n"
	    "    local IFS=$'\\n'\n"
	    "    COMPREPLY=($(\"${words[0]}\" \"${words[@]:1:start-1}\" __complete -- \\\n"
	    "        \"${words[@]:start:cword-start}\" \"$cur\" 2>/dev/null))\n"
	    "    if [ ${#COMPREPLY[@]} -eq 1 ] && [ \"${COMPREPLY[0]%%/}\" != \"${COMPREPLY[0]}\" ]; then\n"
	    "        compopt -o nospace 2>/dev/null\n"
	    "    fi\n"
	    "    return 0\n"
	    "}\n"
	    "complete -F %s %s\n", f, t->name);
	xvm_buf_release(&fn);
}

/* ---- synopsis lines for the man page check --------------------------- */

static void
syn_opt(const struct xvm_opt *o, bool prefer_short, struct xvm_buf *b)
{
	bool req = o->flags & XVM_OPT_REQUIRED;
	const char *meta = cli_opt_arg(o);

	if (o->flags & XVM_OPT_POSITIONAL) {
		if (o->flags & XVM_OPT_MULTI)
			xvm_buf_printf(b, req ? " %s ..." : " [%s ...]", meta);
		else
			xvm_buf_printf(b, req ? " %s" : " [%s]", meta);
		return;
	}
	xvm_buf_puts(b, req ? " " : " [");
	if (prefer_short && o->short_name)
		xvm_buf_printf(b, "-%c", o->short_name);
	else
		xvm_buf_printf(b, "--%s", o->name);
	if (o->type != XVM_OPT_BOOL)
		xvm_buf_printf(b, meta[0] == '[' ? "%s" : " %s", meta);
	if (!req)
		xvm_buf_putc(b, ']');
}

void
xvm_cli_synopsis(const struct xvm_tool *t, struct xvm_buf *b)
{
	const struct xvm_opt *o, *opts[CLI_MAX_OPTS];
	const struct xvm_cmd *c;
	size_t n, i;

	xvm_buf_puts(b, t->name);
	for (o = t->global_opts; o && o->name; o++)
		if (!(o->flags & XVM_OPT_HIDDEN))
			syn_opt(o, true, b);
	switch (t->style) {
	case XVM_STYLE_VIRSH:
		xvm_buf_puts(b, " [command_string | command [arg ...]]\n");
		break;
	case XVM_STYLE_XM:
		xvm_buf_puts(b, " subcommand [arg ...]\n");
		break;
	case XVM_STYLE_ARGPARSE:
		xvm_buf_puts(b, " [option ...]\n");
		n = cli_cmd_opts(t->cmds, opts, CLI_MAX_OPTS);
		for (i = 0; i < n; i++) {
			o = opts[i];
			if (o->flags & XVM_OPT_HIDDEN)
				continue;
			if (o->short_name)
				xvm_buf_printf(b, "-%c, ", o->short_name);
			xvm_buf_printf(b, "--%s", o->name);
			if (o->type != XVM_OPT_BOOL)
				xvm_buf_printf(b, o->flags & XVM_OPT_OPTVAL ?
				    " [%s]" : " %s", cli_opt_arg(o));
			xvm_buf_putc(b, '\n');
		}
		return;
	}
	for (c = t->cmds; c->name; c++) {
		if (c->flags & XVM_CMD_HIDDEN)
			continue;
		xvm_buf_puts(b, c->name);
		n = cli_cmd_opts(c, opts, CLI_MAX_OPTS);
		for (i = 0; i < n; i++)
			if (!(opts[i]->flags & XVM_OPT_HIDDEN))
				syn_opt(opts[i], t->style == XVM_STYLE_XM, b);
		xvm_buf_putc(b, '\n');
	}
}

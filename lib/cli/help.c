/*
 * help.c - help derived from the command tables, in each tool's layout:
 * virsh's grouped listing and NAME/SYNOPSIS/DESCRIPTION/OPTIONS blocks
 * (byte for byte with virsh 9.0), xm's listing and "Usage: xm CMD ..."
 * (xl's column layout), and argparse's help for virt-install.
 */
#include <string.h>

#include "xvm/cli.h"
#include "cli/cli_int.h"

static bool
cmd_visible(const struct xvm_cmd *c)
{
	return !(c->flags & XVM_CMD_HIDDEN);
}

static bool
opt_visible(const struct xvm_opt *o, enum xvm_style style)
{
	if (o->flags & XVM_OPT_HIDDEN)
		return false;
	if (style == XVM_STYLE_VIRSH && (o->flags & XVM_OPT_NOHELP))
		return false;
	return true;
}

/* ---- virsh ---------------------------------------------------------- */

static void
virsh_group_list(const struct xvm_tool *t, struct xvm_buf *b, bool colon,
    const struct xvm_group *only)
{
	const struct xvm_group *g;
	const struct xvm_cmd *c;

	for (g = t->groups; g && g->keyword; g++) {
		bool any = false;

		if (only && g != only)
			continue;
		for (c = t->cmds; c->name; c++) {
			if (!cmd_visible(c) || !c->group ||
			    strcmp(c->group, g->keyword) != 0)
				continue;
			if (!any)
				xvm_buf_printf(b, " %s (help keyword '%s')%s\n",
				    g->title, g->keyword, colon ? ":" : "");
			any = true;
			xvm_buf_printf(b, "    %-30s %s\n", c->name, c->help);
		}
		if (any && !only)
			xvm_buf_putc(b, '\n');
	}
}

static void
virsh_help_cmd(const struct xvm_cmd *cmd, struct xvm_buf *b)
{
	const struct xvm_opt *opts[CLI_MAX_OPTS];
	size_t n = cli_cmd_opts(cmd, opts, CLI_MAX_OPTS), i, shown = 0;
	bool shortopt = false;

	xvm_buf_printf(b, "  NAME\n    %s - %s\n", cmd->name, cmd->help);
	xvm_buf_printf(b, "\n  SYNOPSIS\n    %s", cmd->name);
	for (i = 0; i < n; i++) {
		const struct xvm_opt *o = opts[i];
		bool req = o->flags & XVM_OPT_REQUIRED;
		bool pos = o->flags & XVM_OPT_POSITIONAL;

		if (!opt_visible(o, XVM_STYLE_VIRSH))
			continue;
		shown++;
		if (o->type == XVM_OPT_BOOL) {
			xvm_buf_printf(b, " [--%s]", o->name);
		} else if (pos && (o->flags & XVM_OPT_MULTI)) {
			if (shortopt)
				xvm_buf_printf(b, req ? " {[--%s] <string>}..." :
				    " [[--%s] <string>]...", o->name);
			else
				xvm_buf_printf(b, req ? " <%s>..." :
				    " [<%s>]...", o->name);
		} else if (cli_opt_is_number(o)) {
			if (req && pos)
				xvm_buf_printf(b, " <%s>", o->name);
			else if (req)
				xvm_buf_printf(b, " --%s <number>", o->name);
			else
				xvm_buf_printf(b, " [--%s <number>]", o->name);
			if (pos)
				shortopt = true;
		} else if (pos && !(o->flags & XVM_OPT_SHOWNAMED)) {
			xvm_buf_printf(b, req ? " <%s>" : " [<%s>]", o->name);
			shortopt = true;
		} else {
			if (pos)
				shortopt = true;
			xvm_buf_printf(b, req ? " --%s <string>" :
			    " [--%s <string>]", o->name);
		}
	}
	xvm_buf_putc(b, '\n');
	if (cmd->desc && cmd->desc[0])
		xvm_buf_printf(b, "\n  DESCRIPTION\n    %s\n", cmd->desc);
	if (shown) {
		xvm_buf_puts(b, "\n  OPTIONS\n");
		shortopt = false;
		for (i = 0; i < n; i++) {
			const struct xvm_opt *o = opts[i];
			bool pos = o->flags & XVM_OPT_POSITIONAL;
			char item[128];

			if (!opt_visible(o, XVM_STYLE_VIRSH))
				continue;
			if (o->type == XVM_OPT_BOOL)
				snprintf(item, sizeof(item), "--%s", o->name);
			else if (pos && (o->flags & XVM_OPT_MULTI))
				snprintf(item, sizeof(item), shortopt ?
				    "[--%s] <string>" : "<%s>", o->name);
			else if (cli_opt_is_number(o))
				snprintf(item, sizeof(item), pos &&
				    (o->flags & XVM_OPT_REQUIRED) ?
				    "[--%s] <number>" : "--%s <number>",
				    o->name);
			else
				snprintf(item, sizeof(item), pos &&
				    !(o->flags & XVM_OPT_SHOWNAMED) ?
				    "[--%s] <string>" : "--%s <string>",
				    o->name);
			if (pos && o->type != XVM_OPT_BOOL)
				shortopt = true;
			xvm_buf_printf(b, "    %-15s  %s\n", item, o->help);
		}
	}
	xvm_buf_putc(b, '\n');
}

/* ---- xm (xl's layout) ----------------------------------------------- */

static void
xm_list_line(struct xvm_buf *b, const char *name, const char *help)
{
	if (strlen(name) <= 19)
		xvm_buf_printf(b, " %-19s %s\n", name, help);
	else
		xvm_buf_printf(b, " %s \n%21s%s\n", name, "", help);
}

static void
xm_help_tool(const struct xvm_tool *t, struct xvm_buf *b, bool full)
{
	const struct xvm_cmd *c;

	xvm_buf_printf(b, "Usage: %s <subcommand> [args]\n\n%s\n\n", t->name,
	    t->summary);
	if (full)
		xvm_buf_printf(b, "%s full list of subcommands:\n\n", t->name);
	else
		xvm_buf_printf(b, "Common '%s' commands:\n\n", t->name);
	for (c = t->cmds; c->name; c++)
		if (cmd_visible(c) && (full || (c->flags & XVM_CMD_COMMON)))
			xm_list_line(b, c->name, c->help);
	xvm_buf_puts(b, "\n<Domain> can either be the Domain Name, Id or UUID.\n"
	    "For more help on 'xm' see the xm(1) man page.\n");
	if (!full)
		xvm_buf_puts(b, "\nFor a complete list of subcommands run "
		    "'xm help'.\n");
}

static void
opt_item(const struct xvm_opt *o, char *item, size_t size, bool argparse)
{
	const char *meta = cli_opt_arg(o);

	if (o->type == XVM_OPT_BOOL) {
		if (o->short_name)
			snprintf(item, size, "-%c, --%s", o->short_name,
			    o->name);
		else
			snprintf(item, size, "--%s", o->name);
	} else if (argparse) {
		char m[40];

		/* nargs='?': the value in brackets */
		snprintf(m, sizeof(m), o->flags & XVM_OPT_OPTVAL ? "[%.36s]" :
		    "%.36s", meta);
		if (o->short_name)
			snprintf(item, size, "-%c %s, --%.32s %s",
			    o->short_name, m, o->name, m);
		else
			snprintf(item, size, "--%.32s %s", o->name, m);
	} else {
		if (o->short_name)
			snprintf(item, size, "-%c, --%s=%s", o->short_name,
			    o->name, meta);
		else
			snprintf(item, size, "--%s=%s", o->name, meta);
	}
}

void
xvm_usage_line(const struct xvm_tool *t, const struct xvm_cmd *cmd,
    struct xvm_buf *b)
{
	const struct xvm_opt *opts[CLI_MAX_OPTS];
	size_t n = cli_cmd_opts(cmd, opts, CLI_MAX_OPTS), i;
	bool named = false;

	if (t->style == XVM_STYLE_ARGPARSE && t->usage) {
		xvm_buf_printf(b, "usage: %s\n", t->usage);
		return;
	}
	if (t->style == XVM_STYLE_ARGPARSE) {
		xvm_buf_printf(b, "usage: %s", t->name);
		for (i = 0; i < n; i++) {
			const struct xvm_opt *o = opts[i];
			bool req = o->flags & XVM_OPT_REQUIRED;

			if (!opt_visible(o, t->style))
				continue;
			xvm_buf_puts(b, req ? " " : " [");
			if (o->short_name)
				xvm_buf_printf(b, "-%c", o->short_name);
			else
				xvm_buf_printf(b, "--%s", o->name);
			if (o->type != XVM_OPT_BOOL)
				xvm_buf_printf(b, " %s", cli_opt_arg(o));
			if (!req)
				xvm_buf_putc(b, ']');
		}
		xvm_buf_putc(b, '\n');
		return;
	}
	xvm_buf_printf(b, "Usage: %s %s", t->name, cmd->name);
	for (i = 0; i < n; i++)
		if (opt_visible(opts[i], t->style) &&
		    !(opts[i]->flags & XVM_OPT_POSITIONAL))
			named = true;
	if (named)
		xvm_buf_puts(b, " [options]");
	for (i = 0; i < n; i++) {
		const struct xvm_opt *o = opts[i];
		bool req = o->flags & XVM_OPT_REQUIRED;

		if (!(o->flags & XVM_OPT_POSITIONAL) ||
		    !opt_visible(o, t->style))
			continue;
		if (o->flags & XVM_OPT_MULTI)
			xvm_buf_printf(b, req ? " <%s> ..." : " [%s ...]",
			    cli_opt_arg(o));
		else
			xvm_buf_printf(b, req ? " <%s>" : " [%s]",
			    cli_opt_arg(o));
	}
	xvm_buf_putc(b, '\n');
}

/*
 * An option's help in argparse's column (24 on, 54 wide): text with its
 * own line breaks keeps them (virt-install's examples), other text is
 * wrapped at word boundaries as argparse wraps it.
 */
static void
argparse_text(struct xvm_buf *b, const char *help)
{
	const char *p = help, *nl = strchr(help, '\n');
	size_t col = 0, w;

	if (nl) {
		for (; (nl = strchr(p, '\n')) != NULL; p = nl + 1)
			xvm_buf_printf(b, "%.*s\n%24s", (int)(nl - p), p, "");
		xvm_buf_printf(b, "%s\n", p);
		return;
	}
	while (*p) {
		while (*p == ' ')
			p++;
		w = strcspn(p, " ");
		if (w == 0)
			break;
		if (col && col + 1 + w > 54) {
			xvm_buf_printf(b, "\n%24s", "");
			col = 0;
		}
		if (col) {
			xvm_buf_putc(b, ' ');
			col++;
		}
		xvm_buf_add(b, p, w);
		col += w;
		p += w;
	}
	xvm_buf_putc(b, '\n');
}

static void
opt_lines(const struct xvm_opt **opts, size_t n, enum xvm_style style,
    struct xvm_buf *b)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const struct xvm_opt *o = opts[i];
		char item[160];

		if (!opt_visible(o, style) ||
		    ((o->flags & XVM_OPT_POSITIONAL) &&
		    style != XVM_STYLE_ARGPARSE))
			continue;
		opt_item(o, item, sizeof(item), style == XVM_STYLE_ARGPARSE);
		if (style == XVM_STYLE_ARGPARSE) {
			if (strlen(item) <= 20)
				xvm_buf_printf(b, "  %-20s  ", item);
			else
				xvm_buf_printf(b, "  %s\n%24s", item, "");
			argparse_text(b, o->help);
		} else {
			xvm_buf_printf(b, "  %-30s %s\n", item, o->help);
		}
	}
}

static void
xm_help_cmd(const struct xvm_tool *t, const struct xvm_cmd *cmd,
    struct xvm_buf *b)
{
	const struct xvm_opt *opts[CLI_MAX_OPTS];
	size_t n = cli_cmd_opts(cmd, opts, CLI_MAX_OPTS), i;
	bool any = false;

	xvm_usage_line(t, cmd, b);
	xvm_buf_printf(b, "\n%s\n", cmd->desc && cmd->desc[0] ? cmd->desc :
	    cmd->help);
	for (i = 0; i < n; i++)
		if (opt_visible(opts[i], t->style) &&
		    !(opts[i]->flags & XVM_OPT_POSITIONAL))
			any = true;
	if (any) {
		xvm_buf_puts(b, "\nOptions:\n\n");
		opt_lines(opts, n, t->style, b);
	}
}

static void
argparse_help(const struct xvm_tool *t, struct xvm_buf *b)
{
	const struct xvm_opt *opts[CLI_MAX_OPTS];
	size_t n = cli_cmd_opts(t->cmds, opts, CLI_MAX_OPTS);

	const struct xvm_section *sec = t->sections;
	size_t i, from = 0;
	bool starts;

	xvm_usage_line(t, t->cmds, b);
	xvm_buf_printf(b, "\n%s\n\noptions:\n", t->summary);
	/* the options before the first section, then each section's */
	for (i = 0; i <= n; i++) {
		starts = i < n && sec && sec->title &&
		    strcmp(opts[i]->name, sec->first) == 0;
		if (i < n && !starts)
			continue;
		opt_lines(opts + from, i - from, t->style, b);
		if (starts) {
			xvm_buf_printf(b, "\n%s:\n", sec->title);
			sec++;
			from = i;
		}
	}
	if (t->epilog)
		xvm_buf_printf(b, "\n%s", t->epilog);
}

/* ---- entry points --------------------------------------------------- */

void
xvm_help_tool(struct xvm_ctx *ctx, struct xvm_buf *b, bool full)
{
	const struct xvm_tool *t = ctx->tool;

	switch (t->style) {
	case XVM_STYLE_VIRSH:
		if (full) {
			/* `virsh --help`: groups without colons, then hints */
			virsh_group_list(t, b, false, NULL);
			xvm_buf_puts(b, "\n  (specify help <group> for details "
			    "about the commands in the group)\n\n  (specify "
			    "help <command> for details about the command)\n\n");
		} else {
			xvm_buf_puts(b, "Grouped commands:\n\n");
			virsh_group_list(t, b, true, NULL);
		}
		break;
	case XVM_STYLE_XM:
		xm_help_tool(t, b, full);
		break;
	case XVM_STYLE_ARGPARSE:
		argparse_help(t, b);
		break;
	}
}

int
xvm_help_group(struct xvm_ctx *ctx, struct xvm_buf *b, const char *kw)
{
	const struct xvm_group *g = xvm_cli_group(ctx->tool, kw);

	if (!g)
		return -1;
	virsh_group_list(ctx->tool, b, true, g);
	return 0;
}

void
xvm_help_cmd(struct xvm_ctx *ctx, struct xvm_buf *b, const struct xvm_cmd *cmd)
{
	switch (ctx->tool->style) {
	case XVM_STYLE_VIRSH:
		virsh_help_cmd(cmd, b);
		break;
	case XVM_STYLE_XM:
		xm_help_cmd(ctx->tool, cmd, b);
		break;
	case XVM_STYLE_ARGPARSE:
		argparse_help(ctx->tool, b);
		break;
	}
}

/* ---- the shared `help` command -------------------------------------- */

static void complete_help_topic(struct xvm_ctx *ctx, const char *prefix,
    struct xvm_strv *out);

const struct xvm_opt xvm_help_opts_virsh[] = {
	{ "command", 0, XVM_OPT_STRING, XVM_OPT_POSITIONAL | XVM_OPT_SHOWNAMED,
	  "Prints global help, command specific help, or help for a group of "
	  "related commands", NULL, complete_help_topic, 0, 0 },
	{ NULL, 0, 0, 0, NULL, NULL, NULL, 0, 0 },
};

const struct xvm_opt xvm_help_opts_xm[] = {
	{ "long", 'l', XVM_OPT_BOOL, 0,
	  "also list every command's options", NULL, NULL, 0, 0 },
	{ "command", 0, XVM_OPT_STRING, XVM_OPT_POSITIONAL,
	  "the command to describe", "Command", complete_help_topic, 0, 0 },
	{ NULL, 0, 0, 0, NULL, NULL, NULL, 0, 0 },
};

static void
complete_help_topic(struct xvm_ctx *ctx, const char *prefix,
    struct xvm_strv *out)
{
	const struct xvm_group *g;

	xvm_complete_commands(ctx, prefix, out);
	for (g = ctx->tool->groups; g && g->keyword; g++)
		if (xvm_has_prefix(g->keyword, prefix) &&
		    !xvm_strv_contains(out, g->keyword))
			xvm_strv_push(out, g->keyword);
}

static void
json_opt(struct xvm_json *j, const struct xvm_opt *o)
{
	static const char *const types[] = {
		"bool", "string", "int", "size", "domain", "file",
	};
	char s[2] = { o->short_name, 0 };

	xvm_json_begin_object(j, NULL);
	xvm_json_string(j, "name", o->name);
	if (o->short_name)
		xvm_json_string(j, "short", s);
	else
		xvm_json_null(j, "short");
	xvm_json_string(j, "type", types[o->type]);
	xvm_json_bool(j, "required", o->flags & XVM_OPT_REQUIRED);
	xvm_json_bool(j, "positional", o->flags & XVM_OPT_POSITIONAL);
	xvm_json_bool(j, "multiple", o->flags & XVM_OPT_MULTI);
	xvm_json_string(j, "help", o->help);
	xvm_json_end_object(j);
}

static void
json_cmd(struct xvm_json *j, const struct xvm_cmd *c, bool detail)
{
	const struct xvm_opt *opts[CLI_MAX_OPTS];
	size_t n, i;

	xvm_json_begin_object(j, NULL);
	xvm_json_string(j, "name", c->name);
	xvm_json_string(j, "help", c->help);
	if (detail) {
		xvm_json_string(j, "description", c->desc ? c->desc : "");
		xvm_json_begin_array(j, "options");
		n = cli_cmd_opts(c, opts, CLI_MAX_OPTS);
		for (i = 0; i < n; i++)
			if (!(opts[i]->flags & XVM_OPT_HIDDEN))
				json_opt(j, opts[i]);
		xvm_json_end_array(j);
	}
	xvm_json_end_object(j);
}

static void
help_json(struct xvm_ctx *ctx, const struct xvm_cmd *cmd,
    const struct xvm_group *grp, struct xvm_buf *b)
{
	const struct xvm_tool *t = ctx->tool;
	const struct xvm_cmd *c;
	struct xvm_json j;

	xvm_json_init(&j, b);
	if (cmd) {
		json_cmd(&j, cmd, true);
	} else {
		xvm_json_begin_object(&j, NULL);
		xvm_json_string(&j, "tool", t->name);
		xvm_json_begin_array(&j, "commands");
		for (c = t->cmds; c->name; c++) {
			if (!cmd_visible(c))
				continue;
			if (grp && (!c->group ||
			    strcmp(c->group, grp->keyword) != 0))
				continue;
			json_cmd(&j, c, false);
		}
		xvm_json_end_array(&j);
		xvm_json_end_object(&j);
	}
	xvm_json_finish(&j);
}

int
xvm_cmd_help(struct xvm_ctx *ctx, const struct xvm_args *args)
{
	const struct xvm_tool *t = ctx->tool;
	const char *topic = xvm_args_get(args, "command");
	const struct xvm_cmd *cmd = NULL;
	const struct xvm_group *grp = NULL;
	struct xvm_buf b = XVM_BUF_INIT;
	struct xvm_strv amb = XVM_STRV_INIT;

	if (topic) {
		if (t->style == XVM_STYLE_XM)
			cmd = cli_find_prefix(t, topic, &amb);
		else
			cmd = xvm_cli_find(t, topic);
		if (cmd && (cmd->flags & XVM_CMD_HIDDEN) &&
		    strcmp(cmd->name, topic) != 0)
			cmd = NULL;
		if (!cmd)
			grp = xvm_cli_group(t, topic);
		if (!cmd && !grp) {
			xvm_strv_release(&amb);
			if (t->style == XVM_STYLE_VIRSH)
				return xvm_err_set(&ctx->err, XVM_ERR_NOT_FOUND,
				    "command or command group '%s' doesn't "
				    "exist", topic);
			return xvm_err_set(&ctx->err, XVM_ERR_NOT_FOUND,
			    "Subcommand %s not found!", topic);
		}
	}
	xvm_strv_release(&amb);
	if (args->json)
		help_json(ctx, cmd, grp, &b);
	else if (cmd)
		xvm_help_cmd(ctx, &b, cmd);
	else if (grp)
		xvm_help_group(ctx, &b, grp->keyword);
	else if (t->style == XVM_STYLE_XM && xvm_args_has(args, "long")) {
		const struct xvm_cmd *c;

		xm_help_tool(t, &b, true);
		for (c = t->cmds; c->name; c++) {
			if (!cmd_visible(c))
				continue;
			xvm_buf_putc(&b, '\n');
			xm_help_cmd(t, c, &b);
		}
	} else
		xvm_help_tool(ctx, &b, t->style == XVM_STYLE_XM);
	cli_flush(ctx->out, &b);
	xvm_buf_release(&b);
	return 0;
}

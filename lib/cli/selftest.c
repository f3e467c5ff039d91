/*
 * selftest.c - checks every command table the way vsh's self-test does, and
 * the hidden developer commands that expose the tables (__complete,
 * __selftest, __synopsis, __bash-completion).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "xvm/cli.h"
#include "xvm/toolstack.h"
#include "cli/cli_int.h"

static void
check_cmd(const struct xvm_tool *t, const struct xvm_cmd *c,
    struct xvm_strv *errs)
{
	const struct xvm_opt *opts[CLI_MAX_OPTS + 1];
	size_t n = cli_cmd_opts(c, opts, CLI_MAX_OPTS + 1), i, j;
	bool optional_pos = false, multi = false;

	if (n > CLI_MAX_OPTS)
		xvm_strv_pushf(errs, "%s: more than %d options", c->name,
		    CLI_MAX_OPTS);
	if (!c->fn)
		xvm_strv_pushf(errs, "%s: no handler", c->name);
	if ((c->flags & XVM_CMD_HIDDEN) && strncmp(c->name, "__", 2) != 0)
		xvm_strv_pushf(errs, "%s: hidden commands are named __*",
		    c->name);
	if (!(c->flags & XVM_CMD_HIDDEN) && (!c->help || !c->help[0]))
		xvm_strv_pushf(errs, "%s: no help text", c->name);
	if (t->style == XVM_STYLE_VIRSH && !(c->flags & XVM_CMD_HIDDEN) &&
	    (!c->group || !xvm_cli_group(t, c->group)))
		xvm_strv_pushf(errs, "%s: no such group '%s'", c->name,
		    c->group ? c->group : "(none)");
	for (i = 0; i < n && i < CLI_MAX_OPTS; i++) {
		const struct xvm_opt *o = opts[i];
		bool pos = o->flags & XVM_OPT_POSITIONAL;

		if (!o->help || !o->help[0])
			xvm_strv_pushf(errs, "%s --%s: no help text", c->name,
			    o->name);
		if (!o->name[0] || strchr(o->name, ' ') || o->name[0] == '-')
			xvm_strv_pushf(errs, "%s: bad option name '%s'",
			    c->name, o->name);
		for (j = 0; j < i; j++) {
			if (strcmp(opts[j]->name, o->name) == 0)
				xvm_strv_pushf(errs, "%s: option --%s twice",
				    c->name, o->name);
			if (o->short_name && opts[j]->short_name ==
			    o->short_name)
				xvm_strv_pushf(errs, "%s: short option -%c "
				    "twice", c->name, o->short_name);
		}
		if (o->type == XVM_OPT_BOOL &&
		    (o->flags & (XVM_OPT_POSITIONAL | XVM_OPT_REQUIRED)))
			xvm_strv_pushf(errs, "%s --%s: a switch cannot be "
			    "positional or required", c->name, o->name);
		if (o->type == XVM_OPT_SIZE && !o->scale)
			xvm_strv_pushf(errs, "%s --%s: size without a default "
			    "unit", c->name, o->name);
		if (o->type == XVM_OPT_DOMAIN && !o->complete &&
		    !t->list_domains && !(c->flags & XVM_CMD_HIDDEN))
			xvm_strv_pushf(errs, "%s --%s: no domain completer",
			    c->name, o->name);
		if (!pos || o->type == XVM_OPT_BOOL)
			continue;
		if (multi)
			xvm_strv_pushf(errs, "%s --%s: positional after the "
			    "variadic one", c->name, o->name);
		if (o->flags & XVM_OPT_MULTI)
			multi = true;
		if (!(o->flags & XVM_OPT_REQUIRED))
			optional_pos = true;
		else if (optional_pos)
			xvm_strv_pushf(errs, "%s --%s: required positional "
			    "after an optional one", c->name, o->name);
	}
}

int
xvm_cli_selftest(const struct xvm_tool *t, struct xvm_strv *errs)
{
	const struct xvm_cmd *c, *d;
	const struct xvm_group *g;
	size_t before = errs->n, ncmds = 0;

	if (t->style == XVM_STYLE_ARGPARSE &&
	    (!t->cmds[0].name || t->cmds[1].name))
		xvm_strv_push(errs, "an argparse tool has exactly one command");
	for (c = t->cmds; c->name; c++) {
		ncmds++;
		for (d = t->cmds; d < c; d++)
			if (strcmp(d->name, c->name) == 0)
				xvm_strv_pushf(errs, "command %s twice",
				    c->name);
		check_cmd(t, c, errs);
	}
	for (g = t->groups; g && g->keyword; g++) {
		bool used = false;

		for (c = t->cmds; c->name; c++)
			if (c->group && strcmp(c->group, g->keyword) == 0)
				used = true;
		if (!used)
			xvm_strv_pushf(errs, "group '%s' has no command",
			    g->keyword);
	}
	if (!ncmds)
		xvm_strv_push(errs, "no commands");
	return errs->n == before ? 0 : -1;
}

int
xvm_cli_hidden(struct xvm_ctx *ctx, int argc, char **argv)
{
	struct xvm_buf b = XVM_BUF_INIT;
	struct xvm_strv v = XVM_STRV_INIT;
	size_t i;
	int status = 0;

	if (argc < 1)
		return -1;
	if (strcmp(argv[0], "__complete") == 0) {
		int first = 1;

		if (argc > 1 && strcmp(argv[1], "--") == 0)
			first = 2;
		if (argc - first < 1) {
			char *empty = (char *)"";

			xvm_complete(ctx, 1, &empty, &v);
		} else {
			xvm_complete(ctx, argc - first, argv + first, &v);
		}
		for (i = 0; i < v.n; i++)
			xvm_buf_printf(&b, "%s\n", v.v[i]);
	} else if (strcmp(argv[0], "__selftest") == 0) {
		const struct xvm_cmd *c;
		size_t ncmd = 0;

		status = xvm_cli_selftest(ctx->tool, &v) < 0 ? 1 : 0;
		for (c = ctx->tool->cmds; c->name; c++)
			ncmd++;
		for (i = 0; i < v.n; i++)
			xvm_buf_printf(&b, "%s: selftest: %s\n",
			    ctx->tool->name, v.v[i]);
		xvm_buf_printf(&b, "%s: selftest: %zu commands, %s\n",
		    ctx->tool->name, ncmd, status ? "FAILED" : "ok");
	} else if (strcmp(argv[0], "__monitor") == 0) {
		/* a domain's monitor, which xvm starts (monitor.c) */
		struct xvm_err err = { 0 };
		unsigned long id;
		char *end;

		if (argc != 3 || (id = strtoul(argv[1], &end, 10), *end) ||
		    id > UINT32_MAX)
			return 2;
		status = xvm_monitor_run((uint32_t)id, argv[2], &err) < 0;
	} else if (strcmp(argv[0], "__synopsis") == 0) {
		xvm_cli_synopsis(ctx->tool, &b);
	} else if (strcmp(argv[0], "__bash-completion") == 0) {
		xvm_bash_completion(ctx->tool, &b);
	} else {
		return -1;
	}
	cli_flush(ctx->out, &b);
	xvm_buf_release(&b);
	xvm_strv_release(&v);
	return status;
}

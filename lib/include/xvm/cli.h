/*
 * cli.h - command tables shared by xm, virsh and virt-install.
 *
 * Each command is one row of its tool's table and declares its options once.
 * Everything else is derived from that declaration: argument parsing in the
 * tool's own conventions, `help` and `help CMD`, the usage line, the man page
 * synopsis check (`__synopsis`), bash completion (`__bash-completion`, and
 * `__complete` at run time) and the table self-test (`__selftest`).
 *
 * lib/cli is the presentation layer: it writes only to the streams in
 * struct xvm_ctx (never to stdout/stderr directly) and never exits.
 */
#ifndef XVM_CLI_H
#define XVM_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "xvm/err.h"
#include "xvm/json.h"
#include "xvm/util.h"

struct xvm_ctx;
struct xvm_args;

enum xvm_opt_type {
	XVM_OPT_BOOL,		/* a switch */
	XVM_OPT_STRING,		/* free text */
	XVM_OPT_INT,		/* a number (virsh <number>) */
	XVM_OPT_SIZE,		/* a scaled integer: 512M, 2G, ... */
	XVM_OPT_DOMAIN,		/* a domain name, id or UUID */
	XVM_OPT_FILE,		/* a path */
};

enum {
	XVM_OPT_REQUIRED   = 1 << 0,	/* must be given */
	XVM_OPT_POSITIONAL = 1 << 1,	/* may be given by position */
	XVM_OPT_MULTI      = 1 << 2,	/* positional: takes all the rest;
					   named: may repeat */
	XVM_OPT_HIDDEN     = 1 << 3,	/* accepted, never shown or completed */
	XVM_OPT_NOHELP     = 1 << 4,	/* accepted and completed, not in
					   virsh-style help (keeps its
					   layout byte-identical) */
	XVM_OPT_SHOWNAMED  = 1 << 5,	/* positional, but virsh-style help
					   shows it as [--name <string>]
					   (virsh's STRING options) */
	XVM_OPT_OPTVAL     = 1 << 6,	/* argparse nargs='?': the value may
					   be left out (then "") */
};

/* A completer appends candidates starting with prefix to out. */
typedef void (*xvm_completer)(struct xvm_ctx *ctx, const char *prefix,
    struct xvm_strv *out);

struct xvm_opt {
	const char *name;	/* long name, without dashes; NULL ends a list */
	char short_name;	/* 0 for none */
	enum xvm_opt_type type;
	unsigned flags;
	const char *help;	/* one line */
	const char *arg;	/* metavar in usage ("Domain", "NAME"); NULL:
				   derived from name and type */
	xvm_completer complete;	/* NULL: derived from type */
	unsigned long long scale;	/* XVM_OPT_SIZE: unit of a bare number */
	unsigned long long max;		/* XVM_OPT_SIZE: largest value in bytes
					   (0: no limit) */
};

enum {
	XVM_CMD_HIDDEN      = 1 << 0,	/* internal: not listed or completed */
	XVM_CMD_NOCONNECT   = 1 << 1,	/* needs no hypervisor connection */
	XVM_CMD_INTERACTIVE = 1 << 2,	/* only inside the interactive shell */
	XVM_CMD_MODIFIES    = 1 << 3,	/* changes state: refused with -r */
	XVM_CMD_DATA        = 1 << 4,	/* prints data: takes --json */
	XVM_CMD_COMMON      = 1 << 5,	/* xm: listed in the short help */
};

/*
 * A command returns 0 on success, -1 on failure with ctx->err filled (the
 * runner prints it), or a positive exit status when it has already printed
 * a usage error of its own.
 */
typedef int (*xvm_cmd_fn)(struct xvm_ctx *ctx, const struct xvm_args *args);

struct xvm_cmd {
	const char *name;	/* NULL ends a table */
	xvm_cmd_fn fn;
	const struct xvm_opt *opts;	/* NULL or a {NULL}-terminated list */
	const char *help;	/* one line, for listings */
	const char *desc;	/* longer text for `help CMD` */
	const char *group;	/* keyword of its group (virsh) */
	unsigned flags;
};

/* argparse help: a section title and the option it starts with */
struct xvm_section {
	const char *title;	/* NULL ends a list */
	const char *first;	/* long name */
};

struct xvm_group {
	const char *keyword;	/* NULL ends a list */
	const char *title;
};

enum xvm_style {
	XVM_STYLE_VIRSH,	/* virsh: --opt value, positional filling */
	XVM_STYLE_XM,		/* xm: GNU getopt, Error: ... + Usage: */
	XVM_STYLE_ARGPARSE,	/* virt-install: one command, argparse */
};

struct xvm_tool {
	const char *name;
	enum xvm_style style;
	const struct xvm_cmd *cmds;	/* ARGPARSE: exactly one, the tool */
	const struct xvm_group *groups;	/* VIRSH: listing order */
	const struct xvm_opt *global_opts;	/* documented global options */
	const char *summary;		/* one line: what the tool is */
	/* Names of domains for completion; NULL when no connection exists. */
	void (*list_domains)(struct xvm_ctx *ctx, const char *prefix,
	    struct xvm_strv *out);
	const char *usage;	/* argparse: the usage line's text after
				   "usage: " (NULL: derived) */
	const char *epilog;	/* argparse: the help's last lines */
	/* argparse: the help's sections, each from its first option on */
	const struct xvm_section *sections;
};

/* One command invocation, parsed. */
struct xvm_argval {
	const struct xvm_opt *opt;
	const char *value;	/* NULL for a bool */
};

struct xvm_args {
	const struct xvm_cmd *cmd;
	struct xvm_argval *v;
	size_t n;
	struct xvm_strv store;	/* owns the values */
	bool json;		/* --json given (XVM_CMD_DATA commands) */
};

/* What a tool's main() sets up and every command receives. */
struct xvm_ctx {
	const struct xvm_tool *tool;
	FILE *out;		/* command output */
	FILE *errout;		/* error messages */
	struct xvm_err err;	/* the failing command's error */
	bool quiet;		/* virsh -q */
	bool readonly;		/* virsh -r */
	bool timing;		/* virsh -t */
	bool interactive;	/* inside the shell */
	bool quit;		/* set by quit/exit */
	int debug;
	const char *uri;	/* -c/--connect, or NULL */
	void *data;		/* the tool's own state */
};

void xvm_ctx_init(struct xvm_ctx *ctx, const struct xvm_tool *tool);

/* Argument access.  Names are long option names. */
void xvm_args_release(struct xvm_args *a);
bool xvm_args_has(const struct xvm_args *a, const char *name);
const char *xvm_args_get(const struct xvm_args *a, const char *name);
/* All values of a MULTI option, in order; returns the count. */
size_t xvm_args_getv(const struct xvm_args *a, const char *name,
    struct xvm_strv *out);
/*
 * Numbers and sizes: 0 when absent, 1 when set, -1 (ctx->err set with
 * virsh's wording) when malformed.
 */
int xvm_args_int(struct xvm_ctx *ctx, const struct xvm_args *a,
    const char *name, int *out);
int xvm_args_uint(struct xvm_ctx *ctx, const struct xvm_args *a,
    const char *name, unsigned int *out);
int xvm_args_size(struct xvm_ctx *ctx, const struct xvm_args *a,
    const char *name, unsigned long long *bytes);

/* Lookup. */
const struct xvm_cmd *xvm_cli_find(const struct xvm_tool *tool,
    const char *name);
const struct xvm_group *xvm_cli_group(const struct xvm_tool *tool,
    const char *keyword_or_title);
/* The implicit --json option of XVM_CMD_DATA commands. */
extern const struct xvm_opt xvm_opt_json;

/*
 * Parsing.  A parse error appends one message per problem to errs (the text
 * after the tool's "error: " / "Error: " prefix) and returns -1.
 */
int xvm_cli_parse(const struct xvm_tool *tool, const struct xvm_cmd *cmd,
    int argc, char **argv, struct xvm_args *a, struct xvm_strv *errs);
/* virsh command strings: split "a b; c 'd e'" into commands of words. */
int xvm_cli_split(const char *str, struct xvm_strv **cmds_r, size_t *n_r,
    struct xvm_strv *errs);
void xvm_cli_split_free(struct xvm_strv *cmds, size_t n);

/*
 * Running.  Both parse everything first (nothing runs when any part is
 * wrong), then run each command, printing errors in the tool's convention.
 * They return the exit status of the last command (0 or 1; 2 for argparse
 * usage errors).
 */
int xvm_cli_run_argv(struct xvm_ctx *ctx, int argc, char **argv);
int xvm_cli_run_string(struct xvm_ctx *ctx, const char *str);

/* Print an error of a command, or a list of parse errors, tool style. */
void xvm_cli_print_err(struct xvm_ctx *ctx, const struct xvm_err *err);
void xvm_cli_print_usage_errs(struct xvm_ctx *ctx, const struct xvm_cmd *cmd,
    const struct xvm_strv *errs);

/* Help in the tool's layout. */
void xvm_help_tool(struct xvm_ctx *ctx, struct xvm_buf *b, bool full);
int xvm_help_group(struct xvm_ctx *ctx, struct xvm_buf *b, const char *kw);
void xvm_help_cmd(struct xvm_ctx *ctx, struct xvm_buf *b,
    const struct xvm_cmd *cmd);
void xvm_usage_line(const struct xvm_tool *tool, const struct xvm_cmd *cmd,
    struct xvm_buf *b);
/* Shared `help` command (virsh and xm); its option table. */
int xvm_cmd_help(struct xvm_ctx *ctx, const struct xvm_args *args);
extern const struct xvm_opt xvm_help_opts_virsh[];
extern const struct xvm_opt xvm_help_opts_xm[];

/* Tables printed the way virsh prints them. */
struct xvm_table {
	size_t ncols;
	struct xvm_strv cells;	/* header cells, then rows, row-major */
};
void xvm_table_init(struct xvm_table *t, size_t ncols, ...);	/* headers */
void xvm_table_row(struct xvm_table *t, ...);	/* ncols strings */
void xvm_table_release(struct xvm_table *t);
/* quiet: no header or dash line. */
void xvm_table_print(const struct xvm_table *t, bool quiet,
    struct xvm_buf *b);

/*
 * Fixed "label value" layouts: the label padded to width, then the value.
 * virsh dominfo:  xvm_field(b, 16, "Id:", "%d", 1)    -> "Id:             1"
 * xl info:        xvm_field(b, 23, "host", ": %s", h) -> "host                   : h"
 */
void xvm_field(struct xvm_buf *b, int width, const char *label,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));


/*
 * The console of domain id on this terminal until Ctrl-] or until the
 * domain goes (console.c); piped input is sent, then what follows shown.
 */
struct xvm_conn;
int xvm_cli_console(struct xvm_ctx *ctx, struct xvm_conn *c, uint32_t id);

/* Completion (the engine behind __complete and the readline shell). */
void xvm_complete(struct xvm_ctx *ctx, int nwords, char **words,
    struct xvm_strv *out);
void xvm_complete_files(struct xvm_ctx *ctx, const char *prefix,
    struct xvm_strv *out);
void xvm_complete_commands(struct xvm_ctx *ctx, const char *prefix,
    struct xvm_strv *out);
/* The generated bash completion script. */
void xvm_bash_completion(const struct xvm_tool *tool, struct xvm_buf *b);

/* Table checks (vsh's self-test); each problem appended to errs. */
int xvm_cli_selftest(const struct xvm_tool *tool, struct xvm_strv *errs);
/* Synopsis lines for the man page check. */
void xvm_cli_synopsis(const struct xvm_tool *tool, struct xvm_buf *b);

/*
 * Hidden developer commands common to all tools: __complete, __selftest,
 * __synopsis, __bash-completion.  Returns -1 when argv[0] is none of them,
 * else the exit status.
 */
int xvm_cli_hidden(struct xvm_ctx *ctx, int argc, char **argv);

/* The interactive shell (virsh). Returns the exit status. */
int xvm_shell(struct xvm_ctx *ctx, const char *history_name);

#endif

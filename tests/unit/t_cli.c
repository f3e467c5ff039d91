/*
 * t_cli.c - unit tests of lib/cli: parsing in the three conventions,
 * command strings, virsh's table layout, JSON, help layout, completion and
 * the table self-test.
 */
#include <stdlib.h>
#include <string.h>

#include "xvm/cli.h"
#include "t.h"

#define END { NULL, 0, 0, 0, NULL, NULL, NULL, 0, 0 }

static int fn_ok(struct xvm_ctx *ctx, const struct xvm_args *a)
{
	(void)ctx;
	(void)a;
	return 0;
}

static void
doms(struct xvm_ctx *ctx, const char *prefix, struct xvm_strv *out)
{
	static const char *const names[] = { "test", "domU-pv", "tiny" };
	size_t i;

	(void)ctx;
	for (i = 0; i < 3; i++)
		if (strncmp(names[i], prefix, strlen(prefix)) == 0)
			xvm_strv_push(out, names[i]);
}

static const struct xvm_opt setmem_opts[] = {
	{ "domain", 0, XVM_OPT_DOMAIN, XVM_OPT_POSITIONAL | XVM_OPT_REQUIRED,
	  "domain name, id or uuid", NULL, NULL, 0, 0 },
	{ "size", 0, XVM_OPT_SIZE, XVM_OPT_POSITIONAL | XVM_OPT_REQUIRED,
	  "new memory size, as scaled integer (default KiB)", NULL, NULL,
	  1024, 0 },
	{ "config", 0, XVM_OPT_BOOL, 0, "affect next boot", NULL, NULL, 0, 0 },
	{ "live", 0, XVM_OPT_BOOL, 0, "affect running domain", NULL, NULL, 0,
	  0 },
	{ "current", 0, XVM_OPT_BOOL, 0, "affect current domain", NULL, NULL,
	  0, 0 },
	END,
};

static const struct xvm_opt sched_opts[] = {
	{ "domain", 0, XVM_OPT_DOMAIN, XVM_OPT_POSITIONAL | XVM_OPT_REQUIRED,
	  "domain name, id or uuid", NULL, NULL, 0, 0 },
	{ "weight", 0, XVM_OPT_INT, XVM_OPT_POSITIONAL, "weight for XEN_CREDIT",
	  NULL, NULL, 0, 0 },
	{ "cap", 0, XVM_OPT_INT, XVM_OPT_POSITIONAL, "cap for XEN_CREDIT", NULL,
	  NULL, 0, 0 },
	{ "current", 0, XVM_OPT_BOOL, 0, "get/set current scheduler info", NULL,
	  NULL, 0, 0 },
	{ "config", 0, XVM_OPT_BOOL, 0,
	  "get/set value to be used on next boot", NULL, NULL, 0, 0 },
	{ "live", 0, XVM_OPT_BOOL, 0, "get/set value from running domain", NULL,
	  NULL, 0, 0 },
	{ "set", 0, XVM_OPT_STRING, XVM_OPT_POSITIONAL | XVM_OPT_MULTI,
	  "parameter=value", NULL, NULL, 0, 0 },
	END,
};

static const struct xvm_opt dominfo_opts[] = {
	{ "domain", 0, XVM_OPT_DOMAIN, XVM_OPT_POSITIONAL | XVM_OPT_REQUIRED,
	  "domain name, id or uuid", NULL, NULL, 0, 0 },
	END,
};

static const struct xvm_opt shutdown_opts[] = {
	{ "mode", 0, XVM_OPT_STRING, 0,
	  "shutdown mode: acpi|agent|initctl|signal|paravirt", NULL, NULL, 0,
	  0 },
	END,
};

static const struct xvm_group groups[] = {
	{ "domain", "Domain Management" },
	{ "monitor", "Domain Monitoring" },
	{ NULL, NULL },
};

static const struct xvm_cmd vcmds[] = {
	{ "setmem", fn_ok, setmem_opts, "change memory allocation",
	  "Change the current memory allocation in the guest domain.",
	  "domain", 0 },
	{ "schedinfo", fn_ok, sched_opts, "show/set scheduler parameters",
	  "Show/Set scheduler parameters.", "domain", 0 },
	{ "shutdown", fn_ok, shutdown_opts, "gracefully shutdown a domain",
	  "Run shutdown in the target domain.", "domain", 0 },
	{ "dominfo", fn_ok, dominfo_opts, "domain information",
	  "Returns basic information about the domain.", "monitor",
	  XVM_CMD_DATA },
	{ "help", xvm_cmd_help, xvm_help_opts_virsh, "print help", "",
	  "monitor", 0 },
	{ NULL, NULL, NULL, NULL, NULL, NULL, 0 },
};

static const struct xvm_tool vtool = {
	"virsh", XVM_STYLE_VIRSH, vcmds, groups, NULL, "test tool", doms, NULL, NULL, NULL,
};

static const struct xvm_opt create_opts[] = {
	{ "console", 'c', XVM_OPT_BOOL, 0, "attach the console", NULL, NULL, 0,
	  0 },
	{ "paused", 'p', XVM_OPT_BOOL, 0, "leave it paused", NULL, NULL, 0, 0 },
	{ "dryrun", 'n', XVM_OPT_BOOL, 0, "only print the config", NULL, NULL,
	  0, 0 },
	{ "path", 0, XVM_OPT_STRING, 0, "search path", "PATH", NULL, 0, 0 },
	{ "config", 0, XVM_OPT_FILE, XVM_OPT_POSITIONAL | XVM_OPT_REQUIRED,
	  "the config file", "ConfigFile", NULL, 0, 0 },
	{ "vars", 0, XVM_OPT_STRING, XVM_OPT_POSITIONAL | XVM_OPT_MULTI,
	  "name=value overrides", "vars", NULL, 0, 0 },
	END,
};

static const struct xvm_cmd xcmds[] = {
	{ "create", fn_ok, create_opts, "Create a domain.", NULL, NULL, 0 },
	{ "destroy", fn_ok, dominfo_opts, "Terminate a domain.", NULL, NULL,
	  0 },
	{ "delete", fn_ok, dominfo_opts, "Remove a domain.", NULL, NULL, 0 },
	{ NULL, NULL, NULL, NULL, NULL, NULL, 0 },
};

static const struct xvm_tool xtool = {
	"xm", XVM_STYLE_XM, xcmds, NULL, NULL, "test", doms, NULL, NULL, NULL,
};

static const struct xvm_opt vi_opts[] = {
	{ "name", 'n', XVM_OPT_STRING, 0, "Name of the guest instance",
	  "NAME", NULL, 0, 0 },
	{ "network", 'w', XVM_OPT_STRING, XVM_OPT_MULTI, "a network",
	  "NETWORK", NULL, 0, 0 },
	{ "noautoconsole", 0, XVM_OPT_BOOL, 0, "no console", NULL, NULL, 0,
	  0 },
	{ "noreboot", 0, XVM_OPT_BOOL, 0, "no reboot", NULL, NULL, 0, 0 },
	END,
};

static const struct xvm_cmd vicmds[] = {
	{ "virt-install", fn_ok, vi_opts, "install", NULL, NULL, 0 },
	{ NULL, NULL, NULL, NULL, NULL, NULL, 0 },
};

static const struct xvm_tool vitool = {
	"virt-install", XVM_STYLE_ARGPARSE, vicmds, NULL, NULL, "test", NULL,
	NULL, NULL, NULL,
};

/* Parse a whitespace-separated command line; returns the joined errors. */
static int
parse(const struct xvm_tool *t, const char *name, const char *line,
    struct xvm_args *a, char *errbuf, size_t size)
{
	struct xvm_strv w = XVM_STRV_INIT, errs = XVM_STRV_INIT;
	const struct xvm_cmd *cmd = t->style == XVM_STYLE_ARGPARSE ? t->cmds :
	    xvm_cli_find(t, name);
	char *j;
	int r;

	if (line[0])
		xvm_strv_split(&w, line, " ");
	r = xvm_cli_parse(t, cmd, (int)w.n, w.v, a, &errs);
	j = xvm_strv_join(&errs, "|");
	snprintf(errbuf, size, "%s", j);
	free(j);
	xvm_strv_release(&w);
	xvm_strv_release(&errs);
	return r;
}

static void
test_virsh_parse(void)
{
	struct xvm_args a;
	char e[512];
	struct xvm_strv v = XVM_STRV_INIT;

	T_EQ(parse(&vtool, "setmem", "test 1G", &a, e, sizeof(e)), 0,
	    "setmem by position");
	T_STREQ(xvm_args_get(&a, "domain"), "test", "domain by position");
	T_STREQ(xvm_args_get(&a, "size"), "1G", "size by position");
	xvm_args_release(&a);

	T_EQ(parse(&vtool, "setmem", "--size=512M --domain test --live", &a, e,
	    sizeof(e)), 0, "named options and --opt=value");
	T_STREQ(xvm_args_get(&a, "size"), "512M", "--size=512M");
	T_OK(xvm_args_has(&a, "live"), "bool set");
	T_OK(!xvm_args_has(&a, "config"), "bool unset");
	xvm_args_release(&a);

	T_EQ(parse(&vtool, "setmem", "--size 5 test", &a, e, sizeof(e)), 0,
	    "positional fills the first free slot");
	T_STREQ(xvm_args_get(&a, "domain"), "test", "domain after --size");
	xvm_args_release(&a);

	T_EQ(parse(&vtool, "setmem", "", &a, e, sizeof(e)), -1, "none given");
	T_STREQ(e, "command 'setmem' requires <domain> option|command 'setmem' "
	    "requires --size option", "both missing, virsh's wording");
	T_EQ(parse(&vtool, "setmem", "test", &a, e, sizeof(e)), -1, "size missing");
	T_STREQ(e, "command 'setmem' requires --size option", "size missing text");
	T_EQ(parse(&vtool, "dominfo", "test extra", &a, e, sizeof(e)), -1,
	    "extra data");
	T_STREQ(e, "unexpected data 'extra'", "unexpected data text");
	T_EQ(parse(&vtool, "dominfo", "test -x", &a, e, sizeof(e)), -1,
	    "a single-dash word is data");
	T_STREQ(e, "unexpected data '-x'", "-x is unexpected data");
	T_EQ(parse(&vtool, "dominfo", "test --bogus", &a, e, sizeof(e)), -1,
	    "unknown option");
	T_STREQ(e, "command 'dominfo' doesn't support option --bogus",
	    "unknown option text");
	T_EQ(parse(&vtool, "dominfo", "--domain test --domain test", &a, e,
	    sizeof(e)), -1, "repeated option");
	T_STREQ(e, "option --domain already seen", "repeated option text");
	T_EQ(parse(&vtool, "setmem", "test --size", &a, e, sizeof(e)), -1,
	    "value missing");
	T_STREQ(e, "expected syntax: --size <number>", "value missing text");
	T_EQ(parse(&vtool, "setmem", "test 1 --live=yes", &a, e, sizeof(e)),
	    -1, "bool with =");
	T_STREQ(e, "invalid '=' after option --live", "bool with = text");
	T_EQ(parse(&vtool, "dominfo", "-- --domain", &a, e, sizeof(e)), 0,
	    "-- ends options");
	T_STREQ(xvm_args_get(&a, "domain"), "--domain", "data after --");
	xvm_args_release(&a);
	T_EQ(parse(&vtool, "dominfo", "test --help", &a, e, sizeof(e)), 1,
	    "--help asks for help");
	xvm_args_release(&a);
	T_EQ(parse(&vtool, "dominfo", "test --json", &a, e, sizeof(e)), 0,
	    "implicit --json on data commands");
	T_OK(a.json, "json flag");
	xvm_args_release(&a);
	T_EQ(parse(&vtool, "setmem", "test 1 --json", &a, e, sizeof(e)), -1,
	    "no --json on other commands");

	T_EQ(parse(&vtool, "schedinfo", "test 10 20 a=1 b=2 --set c=3", &a, e,
	    sizeof(e)), 0, "int positionals then variadic");
	T_STREQ(xvm_args_get(&a, "weight"), "10", "weight by position");
	T_STREQ(xvm_args_get(&a, "cap"), "20", "cap by position");
	T_EQ(xvm_args_getv(&a, "set", &v), 3, "three --set values");
	T_STREQ(v.v[2], "c=3", "named value of a variadic option");
	xvm_strv_release(&v);
	xvm_args_release(&a);

	T_EQ(parse(&vtool, "help", "nosuch extra --bogus", &a, e, sizeof(e)),
	    0, "help ignores spurious data and options");
	T_STREQ(xvm_args_get(&a, "command"), "nosuch", "help's topic");
	xvm_args_release(&a);
}

static void
test_args_values(void)
{
	struct xvm_ctx ctx;
	struct xvm_args a;
	char e[256], line[1200];
	unsigned long long bytes = 0;
	unsigned int u = 0;

	xvm_ctx_init(&ctx, &vtool);
	parse(&vtool, "setmem", "test 12abc", &a, e, sizeof(e));
	T_EQ(xvm_args_size(&ctx, &a, "size", &bytes), -1, "12abc refused");
	T_STREQ(ctx.err.what, "Scaled numeric value '12abc' for <size> option "
	    "is malformed or out of range", "size complaint line");
	T_STREQ(xvm_err_format(&ctx.err, line, sizeof(line)),
	    "invalid argument: unknown suffix 'abc'", "size reason line");
	xvm_args_release(&a);

	xvm_err_clear(&ctx.err);
	parse(&vtool, "setmem", "test -5", &a, e, sizeof(e));
	T_EQ(xvm_args_size(&ctx, &a, "size", &bytes), -1, "-5 refused");
	T_STREQ(ctx.err.msg, "", "no second line for -5");
	xvm_args_release(&a);

	parse(&vtool, "setmem", "test 2", &a, e, sizeof(e));
	T_EQ(xvm_args_size(&ctx, &a, "size", &bytes), 1, "2 accepted");
	T_EQ(bytes, 2048, "default unit KiB");
	T_EQ(xvm_args_size(&ctx, &a, "nosuch", &bytes), 0, "absent option");
	xvm_args_release(&a);

	parse(&vtool, "schedinfo", "test abc", &a, e, sizeof(e));
	T_EQ(xvm_args_uint(&ctx, &a, "weight", &u), -1, "weight abc");
	T_STREQ(ctx.err.msg, "Numeric value 'abc' for <weight> option is "
	    "malformed or out of range", "number complaint");
	xvm_args_release(&a);
}

static void
test_xm_parse(void)
{
	struct xvm_args a;
	char e[512];
	struct xvm_strv v = XVM_STRV_INIT;

	T_EQ(parse(&xtool, "create", "-cp dom.cfg memory=512 vcpus=2", &a, e,
	    sizeof(e)), 0, "xm create with a short cluster and vars");
	T_OK(xvm_args_has(&a, "console") && xvm_args_has(&a, "paused"),
	    "-cp sets both");
	T_STREQ(xvm_args_get(&a, "config"), "dom.cfg", "config file");
	T_EQ(xvm_args_getv(&a, "vars", &v), 2, "two vars");
	xvm_strv_release(&v);
	xvm_args_release(&a);

	T_EQ(parse(&xtool, "create", "dom.cfg --dry --path=/etc/xen", &a, e,
	    sizeof(e)), 0, "permutation and abbreviation");
	T_OK(xvm_args_has(&a, "dryrun"), "--dry abbreviates --dryrun");
	T_STREQ(xvm_args_get(&a, "path"), "/etc/xen", "--path=");
	xvm_args_release(&a);

	T_EQ(parse(&xtool, "create", "", &a, e, sizeof(e)), -1, "no config");
	T_STREQ(e, "'xm create' requires at least 1 argument.", "count text");
	T_EQ(parse(&xtool, "destroy", "a b", &a, e, sizeof(e)), -1,
	    "too many");
	T_STREQ(e, "'xm destroy' requires 1 argument.", "exact count text");
	T_EQ(parse(&xtool, "create", "-x d", &a, e, sizeof(e)), -1,
	    "unknown short");
	T_STREQ(e, "option -x not recognized", "unknown short text");
	T_EQ(parse(&xtool, "create", "d --path", &a, e, sizeof(e)), -1,
	    "missing value");
	T_STREQ(e, "option --path requires argument", "missing value text");
	T_EQ(parse(&xtool, "create", "d --console=1", &a, e, sizeof(e)), -1,
	    "bool with value");
	T_EQ(parse(&xtool, "create", "-- -c", &a, e, sizeof(e)), 0,
	    "-- ends options");
	T_STREQ(xvm_args_get(&a, "config"), "-c", "-c as a file name");
	xvm_args_release(&a);
	T_EQ(parse(&xtool, "create", "d -h", &a, e, sizeof(e)), 1,
	    "-h asks for the command's help");
	xvm_args_release(&a);
}

static void
test_argparse(void)
{
	struct xvm_args a;
	char e[512];
	struct xvm_strv v = XVM_STRV_INIT;

	T_EQ(parse(&vitool, NULL, "-n g1 --net br0 -w=x --noauto", &a, e,
	    sizeof(e)), 0, "argparse forms");
	T_STREQ(xvm_args_get(&a, "name"), "g1", "-n NAME");
	T_EQ(xvm_args_getv(&a, "network", &v), 2, "repeated --network");
	T_STREQ(v.v[1], "x", "-w=x");
	T_OK(xvm_args_has(&a, "noautoconsole"), "--noauto abbreviation");
	xvm_strv_release(&v);
	xvm_args_release(&a);
	T_EQ(parse(&vitool, NULL, "--no", &a, e, sizeof(e)), -1, "ambiguous");
	T_STREQ(e, "ambiguous option: --no could match --noautoconsole, "
	    "--noreboot", "ambiguous text");
	T_EQ(parse(&vitool, NULL, "--autocf x -n y z", &a, e, sizeof(e)), -1,
	    "unrecognized");
	T_STREQ(e, "unrecognized arguments: --autocf x z", "unrecognized text");
	T_EQ(parse(&vitool, NULL, "--name", &a, e, sizeof(e)), -1,
	    "missing value");
	T_STREQ(e, "argument -n/--name: expected one argument", "argparse text");
	T_EQ(parse(&vitool, NULL, "-nfoo", &a, e, sizeof(e)), 0, "-nNAME");
	T_STREQ(xvm_args_get(&a, "name"), "foo", "attached short value");
	xvm_args_release(&a);
}

static void
test_split(void)
{
	struct xvm_strv *c = NULL, errs = XVM_STRV_INIT;
	size_t n = 0;

	T_EQ(xvm_cli_split("list --all; dominfo 'my dom' ;echo \"a \\\"b\\\"\"",
	    &c, &n, &errs), 0, "split a command string");
	T_EQ(n, 3, "three commands");
	T_STREQ(c[1].v[1], "my dom", "single quotes");
	T_STREQ(c[2].v[1], "a \"b\"", "double quotes and escapes");
	xvm_cli_split_free(c, n);
	T_EQ(xvm_cli_split("  # comment only\n  list", &c, &n, &errs), 0,
	    "comments");
	T_EQ(n, 1, "comment skipped");
	T_STREQ(c[0].v[0], "list", "command after a comment");
	xvm_cli_split_free(c, n);
	T_EQ(xvm_cli_split("echo ''", &c, &n, &errs), 0, "empty word");
	T_EQ(c[0].n, 2, "empty quoted word kept");
	xvm_cli_split_free(c, n);
	T_EQ(xvm_cli_split("echo \"open", &c, &n, &errs), -1, "unterminated");
	T_STREQ(errs.v[0], "missing \"", "unterminated text");
	T_EQ(xvm_cli_split("echo a\\", &c, &n, &errs), -1, "dangling");
	T_STREQ(errs.v[1], "dangling \\", "dangling text");
	xvm_strv_release(&errs);
}

static void
test_table(void)
{
	struct xvm_table t;
	struct xvm_buf b = XVM_BUF_INIT;

	xvm_table_init(&t, 3, "Id", "Name", "State");
	xvm_table_row(&t, "1", "test", "running");
	xvm_table_print(&t, false, &b);
	T_STREQ(xvm_buf_str(&b), " Id   Name   State\n----------------------\n"
	    " 1    test   running\n", "virsh list with one domain");
	xvm_buf_reset(&b);
	xvm_table_print(&t, true, &b);
	T_STREQ(xvm_buf_str(&b), " 1   test   running\n", "quiet: data widths");
	xvm_table_row(&t, "-", "windowsxp-guest-HVM", "shut off");
	xvm_buf_reset(&b);
	xvm_table_print(&t, false, &b);
	T_STREQ(xvm_buf_str(&b),
	    " Id   Name                  State\n"
	    "--------------------------------------\n"
	    " 1    test                  running\n"
	    " -    windowsxp-guest-HVM   shut off\n",
	    "dash line is the longest line plus two");
	xvm_table_release(&t);
	xvm_table_init(&t, 3, "Id", "Name", "State");
	xvm_buf_reset(&b);
	xvm_table_print(&t, false, &b);
	T_STREQ(xvm_buf_str(&b), " Id   Name   State\n--------------------\n",
	    "empty table: 20 dashes");
	xvm_table_release(&t);
	xvm_buf_reset(&b);
	xvm_field(&b, 16, "Id:", "%d", 1);
	xvm_field(&b, 16, "Security DOI:", "%s", "");
	xvm_field(&b, 21, "CPU model:", "%s", "x86_64");
	xvm_field(&b, 23, "host", ": %s", "dom0");
	T_STREQ(xvm_buf_str(&b), "Id:             1\nSecurity DOI:   \n"
	    "CPU model:           x86_64\nhost                   : dom0\n",
	    "fixed label layouts (dominfo, nodeinfo, xl info)");
	xvm_buf_release(&b);
}

static void
test_json(void)
{
	struct xvm_buf b = XVM_BUF_INIT;
	struct xvm_json j;

	xvm_json_init(&j, &b);
	xvm_json_begin_object(&j, NULL);
	xvm_json_string(&j, "name", "a\"b\\c\n");
	xvm_json_int(&j, "id", -1);
	xvm_json_begin_array(&j, "empty");
	xvm_json_end_array(&j);
	xvm_json_begin_array(&j, "list");
	xvm_json_uint(&j, NULL, 18446744073709551615ULL);
	xvm_json_bool(&j, NULL, true);
	xvm_json_null(&j, NULL);
	xvm_json_end_array(&j);
	xvm_json_end_object(&j);
	xvm_json_finish(&j);
	T_STREQ(xvm_buf_str(&b), "{\n  \"name\": \"a\\\"b\\\\c\\n\",\n"
	    "  \"id\": -1,\n  \"empty\": [],\n  \"list\": [\n"
	    "    18446744073709551615,\n    true,\n    null\n  ]\n}\n",
	    "json document");
	xvm_buf_release(&b);
}

static void
test_help(void)
{
	struct xvm_ctx ctx;
	struct xvm_buf b = XVM_BUF_INIT;

	xvm_ctx_init(&ctx, &vtool);
	xvm_help_cmd(&ctx, &b, xvm_cli_find(&vtool, "setmem"));
	T_STREQ(xvm_buf_str(&b),
	    "  NAME\n    setmem - change memory allocation\n\n"
	    "  SYNOPSIS\n    setmem <domain> <size> [--config] [--live] "
	    "[--current]\n\n  DESCRIPTION\n    Change the current memory "
	    "allocation in the guest domain.\n\n  OPTIONS\n"
	    "    [--domain] <string>  domain name, id or uuid\n"
	    "    [--size] <number>  new memory size, as scaled integer "
	    "(default KiB)\n"
	    "    --config         affect next boot\n"
	    "    --live           affect running domain\n"
	    "    --current        affect current domain\n\n",
	    "virsh help setmem, as virsh 9.0 prints it");
	xvm_buf_reset(&b);
	xvm_help_cmd(&ctx, &b, xvm_cli_find(&vtool, "schedinfo"));
	T_OK(strstr(xvm_buf_str(&b), "    schedinfo <domain> [--weight <number>] "
	    "[--cap <number>] [--current] [--config] [--live] "
	    "[[--set] <string>]...\n") != NULL, "schedinfo synopsis");
	T_OK(strstr(xvm_buf_str(&b), "    --weight <number>  weight for "
	    "XEN_CREDIT\n") != NULL, "optional number option line");
	T_OK(strstr(xvm_buf_str(&b), "    [--set] <string>  parameter=value\n")
	    != NULL, "variadic option line");
	xvm_buf_reset(&b);
	xvm_help_cmd(&ctx, &b, xvm_cli_find(&vtool, "shutdown"));
	T_OK(strstr(xvm_buf_str(&b), "    shutdown [--mode <string>]\n") != NULL,
	    "named string synopsis");
	xvm_buf_reset(&b);
	xvm_help_cmd(&ctx, &b, xvm_cli_find(&vtool, "dominfo"));
	T_OK(strstr(xvm_buf_str(&b), "json") == NULL,
	    "--json stays out of virsh's help layout");
	xvm_buf_reset(&b);
	T_EQ(xvm_help_group(&ctx, &b, "monitor"), 0, "help by group keyword");
	T_STREQ(xvm_buf_str(&b), " Domain Monitoring (help keyword "
	    "'monitor'):\n    dominfo                        domain information\n"
	    "    help                           print help\n", "group listing");
	T_EQ(xvm_help_group(&ctx, &b, "nosuch"), -1, "unknown group");
	xvm_buf_release(&b);
}

/* Complete the space-separated words of line (the last may be empty). */
static void
check_complete(const struct xvm_tool *t, const char *line, const char *want,
    const char *what)
{
	struct xvm_ctx ctx;
	struct xvm_strv w = XVM_STRV_INIT, out = XVM_STRV_INIT;
	char *got;

	xvm_ctx_init(&ctx, t);
	xvm_strv_split(&w, line, " ");
	xvm_complete(&ctx, (int)w.n, w.v, &out);
	got = xvm_strv_join(&out, " ");
	T_STREQ(got, want, what);
	free(got);
	xvm_strv_release(&w);
	xvm_strv_release(&out);
}

static void
test_complete(void)
{
	check_complete(&vtool, "s", "schedinfo setmem shutdown",
	    "command names");
	check_complete(&vtool, "dominfo ", "--domain --json",
	    "empty word: option names (as virsh)");
	check_complete(&vtool, "dominfo t", "test tiny",
	    "positional domain names");
	check_complete(&vtool, "dominfo --domain d", "domU-pv",
	    "value of --domain");
	check_complete(&vtool, "setmem test --",
	    "--config --current --live --size", "options not yet given");
	check_complete(&xtool, "create -",
	    "--config --console --dryrun --path --paused --vars -c -n -p",
	    "xm options with short forms");
	check_complete(&xtool, "de t", "", "ambiguous xm prefix completes "
	    "nothing");
	check_complete(&xtool, "destroy ", "domU-pv test tiny",
	    "xm: an empty word completes the positional");
}

static const struct xvm_opt bad_opts[] = {
	{ "a", 'x', XVM_OPT_STRING, XVM_OPT_POSITIONAL, "optional", NULL, NULL,
	  0, 0 },
	{ "b", 'x', XVM_OPT_STRING, XVM_OPT_POSITIONAL | XVM_OPT_REQUIRED,
	  "required after optional", NULL, NULL, 0, 0 },
	{ "c", 0, XVM_OPT_BOOL, XVM_OPT_POSITIONAL, "", NULL, NULL, 0, 0 },
	{ "d", 0, XVM_OPT_SIZE, 0, "no scale", NULL, NULL, 0, 0 },
	{ "a", 0, XVM_OPT_DOMAIN, 0, "twice, and no completer", NULL, NULL, 0,
	  0 },
	END,
};

static const struct xvm_cmd bad_cmds[] = {
	{ "bad", fn_ok, bad_opts, "", NULL, "nogroup", 0 },
	{ "bad", fn_ok, NULL, "twice", NULL, "domain", 0 },
	{ NULL, NULL, NULL, NULL, NULL, NULL, 0 },
};

static const struct xvm_tool bad_tool = {
	"bad", XVM_STYLE_VIRSH, bad_cmds, groups, NULL, "", NULL, NULL, NULL, NULL,
};

static void
test_selftest(void)
{
	struct xvm_strv errs = XVM_STRV_INIT;
	char *j;

	T_EQ(xvm_cli_selftest(&vtool, &errs), 0, "a good table passes");
	T_EQ(errs.n, 0, "no complaints");
	T_EQ(xvm_cli_selftest(&bad_tool, &errs), -1, "a bad table fails");
	j = xvm_strv_join(&errs, "\n");
	T_OK(strstr(j, "bad: no help text"), "missing help found");
	T_OK(strstr(j, "no such group 'nogroup'"), "bad group found");
	T_OK(strstr(j, "short option -x twice"), "short clash found");
	T_OK(strstr(j, "option --a twice"), "name clash found");
	T_OK(strstr(j, "required positional after an optional"),
	    "positional order found");
	T_OK(strstr(j, "a switch cannot be positional"), "bool positional");
	T_OK(strstr(j, "size without a default unit"), "size scale");
	T_OK(strstr(j, "no domain completer"), "domain completer");
	T_OK(strstr(j, "command bad twice"), "duplicate command found");
	T_OK(strstr(j, "group 'monitor' has no command"), "empty group found");
	free(j);
	xvm_strv_release(&errs);
}

int
main(void)
{
	test_virsh_parse();
	test_args_values();
	test_xm_parse();
	test_argparse();
	test_split();
	test_table();
	test_json();
	test_help();
	test_complete();
	test_selftest();
	return t_done();
}

/*
 * cmds.c - virsh's command table: one row per command, options declared
 * once.  Help texts follow virsh 9.0 word for word, so `virsh help` output
 * is byte-identical for the commands xvm has.
 */
#include "virsh.h"

#define END { NULL, 0, 0, 0, NULL, NULL, NULL, 0, 0 }

static void
complete_native_format(struct xvm_ctx *ctx, const char *prefix,
    struct xvm_strv *out)
{
	static const char *const formats[] = { "xen-xl", "xen-xm" };
	size_t i;

	(void)ctx;
	for (i = 0; i < XVM_ARRAY_SIZE(formats); i++)
		if (xvm_has_prefix(formats[i], prefix))
			xvm_strv_push(out, formats[i]);
}

static const struct xvm_group virsh_groups[] = {
	{ "domain", "Domain Management" },
	{ "virsh", "Virsh itself" },
	{ NULL, NULL },
};

static const struct xvm_opt cd_opts[] = {
	{ "dir", 0, XVM_OPT_FILE, XVM_OPT_POSITIONAL | XVM_OPT_SHOWNAMED,
	  "directory to switch to (default: home or else root)", NULL, NULL,
	  0, 0 },
	END,
};

static const struct xvm_opt echo_opts[] = {
	{ "shell", 0, XVM_OPT_BOOL, 0, "escape for shell use", NULL, NULL, 0,
	  0 },
	{ "xml", 0, XVM_OPT_BOOL, 0, "escape for XML use", NULL, NULL, 0, 0 },
	{ "split", 0, XVM_OPT_BOOL, 0,
	  "split each argument on ','; ',,' is an escape sequence", NULL,
	  NULL, 0, 0 },
	{ "err", 0, XVM_OPT_BOOL, 0, "output to stderr", NULL, NULL, 0, 0 },
	{ "string", 0, XVM_OPT_STRING, XVM_OPT_POSITIONAL | XVM_OPT_MULTI,
	  "arguments to echo", NULL, NULL, 0, 0 },
	END,
};

static const struct xvm_opt from_native_opts[] = {
	{ "format", 0, XVM_OPT_STRING, XVM_OPT_POSITIONAL | XVM_OPT_REQUIRED,
	  "source config data format", NULL, complete_native_format, 0, 0 },
	{ "config", 0, XVM_OPT_FILE, XVM_OPT_POSITIONAL | XVM_OPT_REQUIRED,
	  "config data file to import from", NULL, NULL, 0, 0 },
	END,
};

static const struct xvm_opt to_native_opts[] = {
	{ "format", 0, XVM_OPT_STRING, XVM_OPT_POSITIONAL | XVM_OPT_REQUIRED,
	  "target config data type format", NULL, complete_native_format, 0,
	  0 },
	{ "xml", 0, XVM_OPT_FILE, XVM_OPT_POSITIONAL | XVM_OPT_REQUIRED,
	  "xml data file to export from", NULL, NULL, 0, 0 },
	{ "validate", 0, XVM_OPT_BOOL, XVM_OPT_NOHELP,
	  "validate the XML against the schema", NULL, NULL, 0, 0 },
	END,
};

static const struct xvm_cmd virsh_cmds[] = {
	{ "domxml-from-native", virsh_cmd_from_native, from_native_opts,
	  "Convert native config to domain XML",
	  "Convert native guest configuration format to domain XML format.",
	  "domain", XVM_CMD_NOCONNECT | XVM_CMD_DATA },
	{ "domxml-to-native", virsh_cmd_to_native, to_native_opts,
	  "Convert domain XML to native config",
	  "Convert domain XML config to a native guest configuration format.",
	  "domain", XVM_CMD_NOCONNECT },
	{ "cd", virsh_cmd_cd, cd_opts, "change the current directory",
	  "Change the current directory.", "virsh",
	  XVM_CMD_NOCONNECT | XVM_CMD_INTERACTIVE },
	{ "echo", virsh_cmd_echo, echo_opts,
	  "echo arguments. Used for internal testing.",
	  "Echo back arguments, possibly with quoting. Used for internal "
	  "testing.", "virsh", XVM_CMD_NOCONNECT },
	{ "exit", virsh_cmd_quit, NULL, "quit this interactive terminal", "",
	  "virsh", XVM_CMD_NOCONNECT },
	{ "help", xvm_cmd_help, xvm_help_opts_virsh, "print help",
	  "Prints global help, command specific help, or help for a\n"
	  "    group of related commands", "virsh",
	  XVM_CMD_NOCONNECT | XVM_CMD_DATA },
	{ "pwd", virsh_cmd_pwd, NULL, "print the current directory",
	  "Print the current directory.", "virsh",
	  XVM_CMD_NOCONNECT | XVM_CMD_DATA },
	{ "quit", virsh_cmd_quit, NULL, "quit this interactive terminal", "",
	  "virsh", XVM_CMD_NOCONNECT },
	{ NULL, NULL, NULL, NULL, NULL, NULL, 0 },
};

/* Global options, for `virsh --help`, the man page check and completion. */
static const struct xvm_opt virsh_global_opts[] = {
	{ "connect", 'c', XVM_OPT_STRING, 0, "hypervisor connection URI",
	  "URI", NULL, 0, 0 },
	{ "debug", 'd', XVM_OPT_INT, 0, "debug level [0-4]", "NUM", NULL, 0,
	  0 },
	{ "escape", 'e', XVM_OPT_STRING, 0, "set escape sequence for console",
	  "<char>", NULL, 0, 0 },
	{ "help", 'h', XVM_OPT_BOOL, 0, "this help", NULL, NULL, 0, 0 },
	{ "keepalive-interval", 'k', XVM_OPT_INT, 0,
	  "keepalive interval in seconds, 0 for disable", "NUM", NULL, 0, 0 },
	{ "keepalive-count", 'K', XVM_OPT_INT, 0,
	  "number of possible missed keepalive messages", "NUM", NULL, 0, 0 },
	{ "log", 'l', XVM_OPT_FILE, 0, "output logging to file", "FILE", NULL,
	  0, 0 },
	{ "quiet", 'q', XVM_OPT_BOOL, 0, "quiet mode", NULL, NULL, 0, 0 },
	{ "readonly", 'r', XVM_OPT_BOOL, 0, "connect readonly", NULL, NULL, 0,
	  0 },
	{ "timing", 't', XVM_OPT_BOOL, 0, "print timing information", NULL,
	  NULL, 0, 0 },
	{ "v", 'v', XVM_OPT_BOOL, 0, "short version", NULL, NULL, 0, 0 },
	{ "V", 'V', XVM_OPT_BOOL, 0, "long version", NULL, NULL, 0, 0 },
	{ "version", 0, XVM_OPT_STRING, 0,
	  "version, TYPE is short or long (default short)", "[=TYPE]", NULL,
	  0, 0 },
	END,
};

const struct xvm_tool virsh_tool = {
	"virsh", XVM_STYLE_VIRSH, virsh_cmds, virsh_groups, virsh_global_opts,
	"the virtualization interactive terminal", NULL,
};

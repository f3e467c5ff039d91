/*
 * cmds.c - xm's command table: one row per command, options declared once.
 * Commands join this table as they are implemented; nothing is listed that
 * does not work.
 */
#include "xm.h"

static const struct xvm_cmd xm_cmds[] = {
	{ "help", xvm_cmd_help, xvm_help_opts_xm, "Display this message.",
	  "Display the list of subcommands, or the usage of one.", NULL,
	  XVM_CMD_NOCONNECT | XVM_CMD_COMMON | XVM_CMD_DATA },
	{ NULL, NULL, NULL, NULL, NULL, NULL, 0 },
};

const struct xvm_tool xm_tool = {
	"xm", XVM_STYLE_XM, xm_cmds, NULL, NULL,
	"Control, list, and manipulate Xen guest instances.", NULL,
};

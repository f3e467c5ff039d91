/*
 * cli_int.h - helpers shared by the files of lib/cli (not public).
 */
#ifndef XVM_CLI_INT_H
#define XVM_CLI_INT_H

#include "xvm/cli.h"

#define CLI_MAX_OPTS 64

/* The options a command accepts: its table plus implicit ones (--json). */
size_t cli_cmd_opts(const struct xvm_cmd *cmd, const struct xvm_opt **list,
    size_t max);
bool cli_opt_is_data(const struct xvm_opt *o);
bool cli_opt_is_number(const struct xvm_opt *o);
const char *cli_opt_arg(const struct xvm_opt *o);

/* xm-style command lookup: exact, else a unique prefix of 2+ chars. */
const struct xvm_cmd *cli_find_prefix(const struct xvm_tool *tool,
    const char *name, struct xvm_strv *ambiguous);

/* Flush a buffer to a stream. */
void cli_flush(FILE *f, struct xvm_buf *b);

#endif

/*
 * virsh.h - the virsh tool: its command table and command functions.
 */
#ifndef XVM_VIRSH_H
#define XVM_VIRSH_H

#include "xvm/cli.h"

extern const struct xvm_tool virsh_tool;

int virsh_cmd_cd(struct xvm_ctx *ctx, const struct xvm_args *args);
int virsh_cmd_echo(struct xvm_ctx *ctx, const struct xvm_args *args);
int virsh_cmd_pwd(struct xvm_ctx *ctx, const struct xvm_args *args);
int virsh_cmd_quit(struct xvm_ctx *ctx, const struct xvm_args *args);
int virsh_cmd_from_native(struct xvm_ctx *ctx, const struct xvm_args *args);
int virsh_cmd_to_native(struct xvm_ctx *ctx, const struct xvm_args *args);

#endif

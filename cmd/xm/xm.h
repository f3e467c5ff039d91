/*
 * xm.h - the xm tool: its command table.
 */
#ifndef XVM_XM_H
#define XVM_XM_H

#include "xvm/cli.h"

extern const struct xvm_tool xm_tool;

int xm_cmd_create(struct xvm_ctx *ctx, const struct xvm_args *args);

#endif

/*
 * xm.h - the xm tool: its command table.
 */
#ifndef XVM_XM_H
#define XVM_XM_H

#include "xvm/cli.h"

extern const struct xvm_tool xm_tool;

int xm_cmd_create(struct xvm_ctx *ctx, const struct xvm_args *args);
int xm_cmd_list(struct xvm_ctx *ctx, const struct xvm_args *args);
int xm_cmd_info(struct xvm_ctx *ctx, const struct xvm_args *args);
int xm_cmd_pause(struct xvm_ctx *ctx, const struct xvm_args *args);
int xm_cmd_unpause(struct xvm_ctx *ctx, const struct xvm_args *args);
int xm_cmd_destroy(struct xvm_ctx *ctx, const struct xvm_args *args);
int xm_cmd_new(struct xvm_ctx *ctx, const struct xvm_args *args);
int xm_cmd_start(struct xvm_ctx *ctx, const struct xvm_args *args);
int xm_cmd_delete(struct xvm_ctx *ctx, const struct xvm_args *args);
int xm_cmd_shutdown(struct xvm_ctx *ctx, const struct xvm_args *args);
int xm_cmd_reboot(struct xvm_ctx *ctx, const struct xvm_args *args);
int xm_cmd_rename(struct xvm_ctx *ctx, const struct xvm_args *args);
int xm_cmd_sysrq(struct xvm_ctx *ctx, const struct xvm_args *args);
int xm_cmd_save(struct xvm_ctx *ctx, const struct xvm_args *args);
int xm_cmd_dump_core(struct xvm_ctx *ctx, const struct xvm_args *args);
int xm_cmd_mem_set(struct xvm_ctx *ctx, const struct xvm_args *args);
int xm_cmd_mem_max(struct xvm_ctx *ctx, const struct xvm_args *args);
int xm_cmd_vcpu_set(struct xvm_ctx *ctx, const struct xvm_args *args);
int xm_cmd_vcpu_pin(struct xvm_ctx *ctx, const struct xvm_args *args);
int xm_cmd_vcpu_list(struct xvm_ctx *ctx, const struct xvm_args *args);
int xm_cmd_sched_credit(struct xvm_ctx *ctx, const struct xvm_args *args);
int xm_cmd_console(struct xvm_ctx *ctx, const struct xvm_args *args);
int xm_cmd_migrate(struct xvm_ctx *ctx, const struct xvm_args *args);
int xm_cmd_uptime(struct xvm_ctx *ctx, const struct xvm_args *args);
int xm_cmd_domid(struct xvm_ctx *ctx, const struct xvm_args *args);
int xm_cmd_domname(struct xvm_ctx *ctx, const struct xvm_args *args);
int xm_cmd_dmesg(struct xvm_ctx *ctx, const struct xvm_args *args);
int xm_cmd_log(struct xvm_ctx *ctx, const struct xvm_args *args);
int xm_cmd_top(struct xvm_ctx *ctx, const struct xvm_args *args);
int xm_cmd_block_list(struct xvm_ctx *ctx, const struct xvm_args *args);
int xm_cmd_block_attach(struct xvm_ctx *ctx, const struct xvm_args *args);
int xm_cmd_block_detach(struct xvm_ctx *ctx, const struct xvm_args *args);
int xm_cmd_network_list(struct xvm_ctx *ctx, const struct xvm_args *args);
int xm_cmd_network_attach(struct xvm_ctx *ctx, const struct xvm_args *args);
int xm_cmd_network_detach(struct xvm_ctx *ctx, const struct xvm_args *args);
int xm_cmd_restore(struct xvm_ctx *ctx, const struct xvm_args *args);

struct xvm_conn;
/* The host this run of xm manages, connected on first use. */
struct xvm_conn *xm_connect(struct xvm_ctx *ctx);

#endif

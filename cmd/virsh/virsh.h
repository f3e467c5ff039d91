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

/* The session's connection, opened on first use (host.c). */
struct xvm_conn *virsh_conn(struct xvm_ctx *ctx);
struct xvm_vdom;
/* The --domain option's domain, found as `by` allows (XVM_BY_*). */
int virsh_find(struct xvm_ctx *ctx, const struct xvm_args *args, unsigned by,
    struct xvm_conn **c_r, struct xvm_vdom *v);
/* text edited in $VISUAL or $EDITOR (vi); *out_r: the result (free). */
int virsh_edit_text(struct xvm_ctx *ctx, const char *text, char **out_r);
/* -1 with libvirt's refusal when the connection is read-only. */
int virsh_ro(struct xvm_ctx *ctx, const char *api);

#define VIRSH_CMD(n) \
	int virsh_cmd_##n(struct xvm_ctx *ctx, const struct xvm_args *args)
VIRSH_CMD(connect);
VIRSH_CMD(uri);
VIRSH_CMD(hostname);
VIRSH_CMD(version);
VIRSH_CMD(nodeinfo);
VIRSH_CMD(list);
VIRSH_CMD(dominfo);
VIRSH_CMD(domstate);
VIRSH_CMD(domid);
VIRSH_CMD(domname);
VIRSH_CMD(domuuid);
VIRSH_CMD(destroy);
VIRSH_CMD(suspend);
VIRSH_CMD(resume);
VIRSH_CMD(shutdown);
VIRSH_CMD(reboot);
VIRSH_CMD(start);
VIRSH_CMD(autostart);
VIRSH_CMD(define);
VIRSH_CMD(create);
VIRSH_CMD(undefine);
VIRSH_CMD(dumpxml);
VIRSH_CMD(vcpucount);
VIRSH_CMD(maxvcpus);
VIRSH_CMD(setvcpus);
VIRSH_CMD(vcpuinfo);
VIRSH_CMD(vcpupin);
VIRSH_CMD(setmem);
VIRSH_CMD(setmaxmem);
VIRSH_CMD(schedinfo);
VIRSH_CMD(save);
VIRSH_CMD(restore);
VIRSH_CMD(dump);
VIRSH_CMD(domblklist);
VIRSH_CMD(domiflist);
VIRSH_CMD(domblkinfo);
VIRSH_CMD(desc);
VIRSH_CMD(domrename);
VIRSH_CMD(reset);
VIRSH_CMD(console);
VIRSH_CMD(edit);
VIRSH_CMD(migrate);
VIRSH_CMD(freecell);
VIRSH_CMD(sysinfo);
VIRSH_CMD(capabilities);
VIRSH_CMD(attach_disk);
VIRSH_CMD(detach_disk);
VIRSH_CMD(attach_interface);
VIRSH_CMD(detach_interface);

#endif

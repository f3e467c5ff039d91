/*
 * io_int.h - what the back ends of lib/xen/io share; not for other
 * callers.
 */
#ifndef XVM_XEN_IO_INT_H
#define XVM_XEN_IO_INT_H

#include <stdint.h>

#include "xvm/err.h"

/* A real device model process (dm_proc.c): started detached; stopped. */
int xvm_dm_spawn(char *const *argv, const char *log, long *pid_r,
    struct xvm_err *err);
void xvm_dm_kill(uint32_t domid, long pid);

#endif

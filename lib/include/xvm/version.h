/*
 * version.h - the version of xvm, and the versions of the tools whose
 * interfaces it reproduces (scripts compare these).
 */
#ifndef XVM_VERSION_H
#define XVM_VERSION_H

#define XVM_VERSION			"0.1.0"
#define XVM_VIRSH_COMPAT_VERSION	"9.0.0"	/* virsh --version */
#define XVM_VIRT_INSTALL_COMPAT_VERSION	"4.1.0"	/* virt-install --version */
#define XVM_XEN_COMPAT_VERSION		"4.17"	/* the hypervisor interface */

#endif

/*
 * install.h - virt-install's plan: from what the user asked for (a
 * request: name, memory, vcpus, disks, nics, graphics, the install
 * method) to the two domains of an install - the install phase (booting
 * the installer: its kernel from the media, or the ISO as a CD-ROM,
 * on_reboot=destroy) and the final domain (booting from its disk) - and
 * the disk images to create.  Nothing here prints, and nothing here
 * touches a disk or a host: lib/install's disk.c does the creating, the
 * command the installing.
 */
#ifndef XVM_INSTALL_H
#define XVM_INSTALL_H

#include <stdbool.h>
#include <stddef.h>

#include "xvm/domain.h"
#include "xvm/err.h"

enum xvm_inst_method {
	XVM_INST_NONE = 0,
	XVM_INST_LOCATION,	/* -l: kernel and ramdisk from an install tree */
	XVM_INST_CDROM,		/* --cdrom: boot the ISO */
	XVM_INST_IMPORT,	/* --import: the disk is installed already */
};

enum xvm_inst_virt {
	XVM_VIRT_DEFAULT = 0,	/* PV for -l, HVM for --cdrom (as xVM) */
	XVM_VIRT_PV,
	XVM_VIRT_HVM,
};

/* One --disk (or -f/-s). */
struct xvm_inst_disk {
	char *path;
	unsigned long long size_bytes;	/* create this size; 0: use the path */
	bool has_size;
	enum xvm_tristate sparse;	/* default: sparse */
	char *format;			/* "raw" (the only one created) */
	enum xvm_disk_bus bus;		/* NONE: xen for PV, ide for HVM */
	enum xvm_disk_device device;
	bool readonly, shareable;
	/* filled by the plan: what the path is on this host */
	bool exists, is_block;
	unsigned long long existing_bytes;
};

/* One --network (or -w/-b/-m). */
struct xvm_inst_nic {
	enum xvm_net_type type;		/* bridge, network, user */
	char *source;			/* bridge or network name */
	char *mac;			/* NULL: generated in 00:16:3e */
	char *model;
	bool none;			/* --network none */
};

struct xvm_inst_graphics {
	bool given;
	bool none;			/* --nographics / --graphics none */
	enum xvm_gfx_type type;
	int port;			/* -1: automatic */
	char *listen;
	char *keymap;
	char *passwd;
};

struct xvm_inst_req {
	char *name;
	unsigned long long memory_mib;
	unsigned long long current_mib;	/* 0: = memory */
	unsigned vcpus;			/* 0: 1 */
	unsigned maxvcpus;		/* 0: = vcpus */
	char *cpuset;
	enum xvm_inst_virt virt;
	char *arch;			/* NULL: the host's */
	char *os_variant;		/* an osinfo short id */
	char *os_type;			/* the guide's --os-type: "solaris",
					   "linux", "windows" ... */
	enum xvm_inst_method method;
	char *location;			/* -l */
	char *kernel, *initrd;		/* paths inside the tree (override) */
	char *cdrom;			/* --cdrom (a path) */
	char *extra_args;		/* -x */
	/* --boot kernel=,initrd=,kernel_args=: the final domain boots
	   this host's kernel directly (no bootloader) */
	char *boot_kernel, *boot_initrd, *boot_args;
	char *autocf;			/* --autocf: a JumpStart/kickstart URL */
	struct xvm_inst_disk *disks;
	size_t ndisks;
	bool nodisk;			/* --disk none: diskless on purpose */
	struct xvm_inst_nic *nics;
	size_t nnics;
	struct xvm_inst_graphics gfx;
	char *uuid;
	bool noacpi, noapic;
	enum xvm_boot_dev boot[4];	/* --boot; none: from the method */
	size_t nboot;
};

void xvm_inst_req_release(struct xvm_inst_req *r);
/* A guest name virt-install takes: 0, or -1 with err set. */
int xvm_inst_check_name(const char *name, struct xvm_err *err);
struct xvm_inst_disk *xvm_inst_req_add_disk(struct xvm_inst_req *r);
struct xvm_inst_nic *xvm_inst_req_add_nic(struct xvm_inst_req *r);

/* What the plan needs to know of the host (lib/toolstack fills it). */
struct xvm_inst_host {
	const char *virt_type;		/* "xen", or "test" for test:///default */
	bool pv, hvm;			/* guest types the hypervisor runs */
	const char *arch;		/* "x86_64" */
	unsigned cpus;
	const char *hvm_loader, *emulator;
};

struct xvm_inst_plan {
	struct xvm_domain *install;	/* NULL: nothing to install (import) */
	struct xvm_domain *final;
	/* where the install kernel and ramdisk are fetched from, in the
	   tree (set for XVM_INST_LOCATION); the command fetches them and
	   puts the local paths in install->os.kernel / initrd */
	char *tree_kernel, *tree_initrd;
	char **warnings;		/* "WARNING  ..." texts, for the command */
	size_t nwarnings;
};

void xvm_inst_plan_free(struct xvm_inst_plan *p);	/* NULL-safe */

/*
 * Check the request and make the plan: names, sizes, MACs (unicast,
 * 00:16:3e generated) and UUIDs (libuuid) validated; every disk looked
 * at (an existing path is used as it is and never truncated: a size that
 * would shrink it is refused; a block device is used as it is; a missing
 * path needs a size); the install and final domains.  Errors carry
 * virt-install's wording where it has one.
 */
int xvm_inst_plan_make(struct xvm_inst_req *req,
    const struct xvm_inst_host *host, struct xvm_inst_plan **plan_r,
    struct xvm_err *err);

/*
 * Add --autocf's profile to the install phase's kernel arguments in the
 * form the installer reads: Solaris "-B install_config=URL", Debian and
 * Ubuntu "auto=true url=URL" (preseed), the others "inst.ks=URL"
 * (kickstart).  family/distro are osinfo-db's (NULL: not known).
 */
struct xvm_inst_plan;
void xvm_inst_add_autocf(struct xvm_inst_plan *p, const char *autocf,
    const char *family, const char *distro, bool solaris_tree);

/* What osinfo-db says of an OS (osinfo.c). */
struct xvm_os_info {
	char *short_id;			/* "debian12", "solaris11" */
	char *name;			/* "Debian 12", "Oracle Solaris 11" */
	char *family, *distro;		/* "linux"/"debian", "solaris" */
	unsigned long long min_ram_mib;	/* 0: not known */
	unsigned long long min_disk_bytes;
};
void xvm_os_info_release(struct xvm_os_info *oi);
/* An --os-variant name; XVM_ERR_INVALID_ARG "Unknown OS name ..." */
int xvm_osinfo_find(const char *short_id, struct xvm_os_info *oi,
    struct xvm_err *err);
/* Every OS short id, sorted (--osinfo list). */
int xvm_osinfo_list(struct xvm_strv *ids, struct xvm_err *err);
/*
 * The OS of a tree from its .treeinfo text, and its installer's kernel
 * and ramdisk in the tree: 1 identified, 0 not (the paths may still be
 * set), -1 the database could not be loaded.
 */
int xvm_osinfo_identify_tree(const char *treeinfo, const char *location,
    struct xvm_os_info *oi, char **kernel_r, char **initrd_r,
    struct xvm_err *err);
/* The same for a local ISO image, by its volume descriptor. */
int xvm_osinfo_identify_iso(const char *path, struct xvm_os_info *oi,
    char **kernel_r, char **initrd_r, char **volume_r, struct xvm_err *err);

/* An install tree's installer and OS (detect.c). */
struct xvm_inst_tree {
	char *kernel, *initrd;		/* paths in the tree */
	char *volume;			/* an ISO's volume id, when read */
	const char *layout;		/* "treeinfo", "debian", "ubuntu",
					   "solaris", "osinfo" */
	struct xvm_os_info os;		/* os.short_id NULL: not known */
};
struct xvm_media;
/*
 * Find the kernel and ramdisk that boot the tree's installer for a PV
 * (pv) or HVM guest of arch, and its OS.  Not found: XVM_ERR_INVALID_ARG
 * with virt-install's "Error validating install location: Could not find
 * an installable distribution at URL ..." text.
 */
int xvm_inst_detect(struct xvm_media *m, bool pv, const char *arch,
    struct xvm_inst_tree *t, struct xvm_err *err);
void xvm_inst_tree_release(struct xvm_inst_tree *t);

/*
 * Create the disk's image when the plan found none (sparse unless
 * d->sparse is NO); an existing path is left alone.  Never overwrites:
 * a path that appeared since the plan is an error.
 */
int xvm_inst_disk_create(const struct xvm_inst_disk *d, struct xvm_err *err);

/*
 * A MAC as virt-install takes it: six hex pairs separated by ':', not a
 * multicast address.  0 and the bytes, or -1 with err set.
 */
int xvm_inst_parse_mac(const char *text, unsigned char mac[6],
    struct xvm_err *err);
/* A fresh MAC in Xen's range, 00:16:3e:xx:xx:xx. */
void xvm_inst_random_mac(unsigned char mac[6]);

#endif

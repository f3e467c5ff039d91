/*
 * domain.h - the domain model: what a Xen guest is, independent of any
 * hypervisor and of the two formats (xm/xl config, libvirt domain XML) that
 * read into it and are written from it (lib/conf).
 *
 * It holds what the Sun xVM guide's configs use and what libvirt's xm/xl
 * converter corpus exercises.  Conventions:
 *   - every string is owned by the domain (malloc'd) or NULL for "unset";
 *   - sizes are in KiB, as libvirt keeps them;
 *   - enum value 0 means "not given / default" unless noted;
 *   - device arrays are `T *x; size_t nx;`, in document order;
 *   - tristate fields are enum xvm_tristate.
 * Functions never print or exit; none keeps global state.
 */
#ifndef XVM_DOMAIN_H
#define XVM_DOMAIN_H

#include <stdbool.h>
#include <stddef.h>

#include "xvm/err.h"
#include "xvm/util.h"

enum xvm_tristate {
	XVM_TRI_DEFAULT = 0,
	XVM_TRI_YES,
	XVM_TRI_NO,
};

enum xvm_os_type {
	XVM_OS_NONE = 0,
	XVM_OS_LINUX,		/* PV, written "linux" (libvirt's name) */
	XVM_OS_XEN,		/* PV, written "xen" */
	XVM_OS_HVM,
	XVM_OS_XENPVH,
};

enum xvm_boot_dev {
	XVM_BOOT_NONE = 0,
	XVM_BOOT_FD,		/* "fd" (xm 'a') */
	XVM_BOOT_HD,		/* "hd" ('c') */
	XVM_BOOT_CDROM,		/* "cdrom" ('d') */
	XVM_BOOT_NETWORK,	/* "network" ('n') */
};

enum xvm_lifecycle {
	XVM_LIFE_NONE = 0,
	XVM_LIFE_DESTROY,
	XVM_LIFE_RESTART,
	XVM_LIFE_RENAME_RESTART,
	XVM_LIFE_PRESERVE,
	XVM_LIFE_COREDUMP_DESTROY,
	XVM_LIFE_COREDUMP_RESTART,
};

enum xvm_clock_offset {
	XVM_CLOCK_UTC = 0,
	XVM_CLOCK_LOCALTIME,
	XVM_CLOCK_VARIABLE,
	XVM_CLOCK_TIMEZONE,
};

struct xvm_timer {
	char *name;		/* "hpet", "tsc", "rtc", "pit", ... */
	enum xvm_tristate present;
	char *mode;		/* tsc: "native", "emulate", "paravirt", ... */
	char *tickpolicy;
};

struct xvm_clock {
	enum xvm_clock_offset offset;
	bool adjustment_reset;	/* adjustment='reset' (utc/localtime) */
	bool has_adjustment;	/* variable: adjustment given */
	long long adjustment;	/* variable: seconds (rtc_timeoffset) */
	char *basis;		/* variable: "utc" or "localtime" */
	char *timezone;
	struct xvm_timer *timers;
	size_t ntimers;
};

struct xvm_numa_cell {
	unsigned id;
	char *cpus;		/* "0-1" */
	unsigned long long memory_kib;
	unsigned *distances;	/* sibling values, index = sibling id */
	size_t ndistances;
};

struct xvm_cpu_feature {
	char *name;		/* libvirt's name: "pni", "pdpe1gb", "vmx" */
	char *policy;		/* "force", "require", "optional", "disable",
				   "forbid" */
};

struct xvm_cpu {
	char *mode;		/* "host-passthrough", "custom", NULL */
	char *match;
	char *check;
	char *model;
	struct xvm_cpu_feature *features;
	size_t nfeatures;
	struct xvm_numa_cell *cells;
	size_t ncells;
};

struct xvm_os {
	enum xvm_os_type type;
	char *arch;		/* "x86_64", "i686" */
	char *machine;		/* "xenpv", "xenfv", "xenpvh" */
	char *loader;		/* HVM firmware path */
	char *loader_type;	/* "rom", "pflash" */
	enum xvm_tristate loader_readonly;
	char *nvram;
	char *kernel;
	char *initrd;
	char *cmdline;
	char *root;		/* xm's root=, when kept apart from cmdline */
	char *bootloader;
	char *bootloader_args;
	enum xvm_boot_dev boot[4];
	size_t nboot;
	char *acpi_slic;	/* <acpi><table type='slic'> */
};

struct xvm_features {
	bool acpi, apic, pae;
	enum xvm_tristate hap;
	enum xvm_tristate viridian;
	enum xvm_tristate e820_host;	/* <xen><e820_host state=...> */
	enum xvm_tristate passthrough;	/* <xen><passthrough state=...> */
	char *passthrough_mode;		/* "sync_pt", "share_pt" */
};

enum xvm_disk_type {
	XVM_DISK_FILE = 0,
	XVM_DISK_BLOCK,
	XVM_DISK_NETWORK,
	XVM_DISK_DIR,
	XVM_DISK_VOLUME,
};

enum xvm_disk_device {
	XVM_DEV_DISK = 0,
	XVM_DEV_CDROM,
	XVM_DEV_FLOPPY,
	XVM_DEV_LUN,
};

enum xvm_disk_bus {
	XVM_BUS_NONE = 0,
	XVM_BUS_IDE,
	XVM_BUS_SCSI,
	XVM_BUS_XEN,
	XVM_BUS_USB,
	XVM_BUS_SATA,
	XVM_BUS_FDC,
	XVM_BUS_VIRTIO,
};

struct xvm_net_host {
	char *name;
	char *port;		/* kept as text, as written */
};

/* Device addresses, as libvirt writes them. */
enum xvm_addr_type {
	XVM_ADDR_NONE = 0,
	XVM_ADDR_DRIVE,		/* controller, bus, target, unit */
	XVM_ADDR_PCI,		/* domain, bus, slot, function */
	XVM_ADDR_USB,		/* bus, port */
};

struct xvm_addr {
	enum xvm_addr_type type;
	unsigned controller, bus, target, unit;		/* drive */
	unsigned domain, slot, function;		/* pci (bus above) */
	char *port;					/* usb */
};

struct xvm_disk {
	enum xvm_disk_type type;
	enum xvm_disk_device device;
	char *driver_name;	/* "phy", "file", "tap", "tap2", "qemu" */
	char *driver_type;	/* "raw", "qcow2", "qed", "vhd", "aio" */
	char *src;		/* path, or network image name */
	char *protocol;		/* network: "rbd", "nbd", ... */
	struct xvm_net_host *hosts;
	size_t nhosts;
	char *target;		/* "xvda", "hda" */
	enum xvm_disk_bus bus;
	bool readonly;
	bool shareable;
	bool transient;
	struct xvm_addr addr;
};

enum xvm_ctrl_type {
	XVM_CTRL_XENBUS = 0,
	XVM_CTRL_IDE,
	XVM_CTRL_SCSI,
	XVM_CTRL_USB,
	XVM_CTRL_FDC,
	XVM_CTRL_PCI,
	XVM_CTRL_VIRTIO_SERIAL,
};

struct xvm_controller {
	enum xvm_ctrl_type type;
	int index;
	char *model;		/* usb: "qusb1", "qusb2" */
	int ports;		/* usb: 0 = not given */
	int max_grant_frames;	/* xenbus: 0 = not given */
	int max_event_channels;	/* xenbus: 0 = not given */
};

enum xvm_net_type {
	XVM_NET_BRIDGE = 0,
	XVM_NET_ETHERNET,
	XVM_NET_NETWORK,
	XVM_NET_USER,
};

struct xvm_net_ip {
	char *address;
	char *family;		/* "ipv4", "ipv6" */
	unsigned prefix;	/* 0 = not given */
};

struct xvm_net {
	enum xvm_net_type type;
	unsigned char mac[6];
	bool has_mac;
	char *bridge;		/* bridge, or network name for NETWORK */
	char *script;
	char *ifname;		/* vifname */
	char *model;		/* "e1000", "netfront", ... */
	char *backend_domain;	/* backend= */
	struct xvm_net_ip *ips;
	size_t nips;
	unsigned long long rate_kbps;	/* <bandwidth><outbound average> */
	bool has_rate;
	char *virtualport;	/* "openvswitch" */
	unsigned *vlan_tags;
	size_t nvlan_tags;
	bool vlan_trunk;
	struct xvm_addr addr;
};

enum xvm_chr_type {
	XVM_CHR_NULL = 0,
	XVM_CHR_VC,
	XVM_CHR_PTY,
	XVM_CHR_DEV,
	XVM_CHR_FILE,
	XVM_CHR_PIPE,
	XVM_CHR_STDIO,
	XVM_CHR_UDP,
	XVM_CHR_TCP,
	XVM_CHR_UNIX,
};

/* A serial or parallel port, a console, or a channel. */
struct xvm_chr {
	enum xvm_chr_type type;
	char *path;		/* dev/file/pipe/unix path */
	char *host;		/* tcp/udp: host (connect host for udp) */
	char *service;		/* tcp/udp: port */
	char *bind_host;	/* udp: local side */
	char *bind_service;
	bool listen;		/* tcp/unix: mode='bind' */
	char *protocol;		/* tcp: "raw" or "telnet" */
	char *target_type;	/* console: "xen", "serial"; channel: "xen" */
	char *target_name;	/* channel: "org.qemu.guest_agent.0" */
	int port;		/* target port; -1 = not given */
};

enum xvm_gfx_type {
	XVM_GFX_VNC = 0,
	XVM_GFX_SDL,
	XVM_GFX_SPICE,
};

struct xvm_graphics {
	enum xvm_gfx_type type;
	int port;		/* -1 = automatic */
	int tls_port;		/* spice; 0 = not given */
	bool autoport;
	bool has_autoport;
	char *listen;		/* address */
	char *passwd;
	char *keymap;
	char *display;		/* sdl */
	char *xauth;		/* sdl */
	bool fullscreen;	/* sdl */
	char *mouse_mode;	/* spice: "client", "server" */
	enum xvm_tristate clipboard;	/* spice copypaste */
};

struct xvm_input {
	char *type;		/* "mouse", "keyboard", "tablet" */
	char *bus;		/* "xen", "ps2", "usb" */
};

struct xvm_video {
	char *model;		/* "xen", "cirrus", "vga" */
	unsigned vram_kib;
	unsigned heads;
	bool primary;
};

struct xvm_sound {
	char *model;		/* "sb16", "es1370", "ac97", "ich6" */
};

struct xvm_hostdev {
	char *type;		/* "pci", "usb" */
	bool managed;
	unsigned domain, bus, slot, function;	/* pci */
	unsigned usb_bus, usb_device;		/* usb */
	char *vendor, *product;			/* usb by id */
	enum xvm_tristate permissive;
};

/* Any setting lib/conf does not know, kept so nothing is lost on rewrite. */
struct xvm_extra {
	char *name;
	char *value;		/* the value in config syntax, as read */
};

struct xvm_domain {
	char *virt_type;	/* <domain type=...>: "xen" */
	int id;			/* live domain id; -1 when not running */
	char *name;
	unsigned char uuid[16];
	bool has_uuid;
	char *title;
	char *description;

	unsigned long long memory_kib;		/* <memory>: maximum */
	unsigned long long current_kib;		/* <currentMemory> */
	unsigned vcpus;				/* <vcpu>: maximum */
	unsigned vcpus_current;			/* current= (0: = vcpus) */
	char *cpuset;				/* cpuset= ("0-3,^2") */
	long long cpu_weight;			/* credit weight; -1 unset */
	long long cpu_cap;			/* credit cap; -1 unset */

	struct xvm_os os;
	struct xvm_features features;
	struct xvm_cpu cpu;
	struct xvm_clock clock;
	enum xvm_lifecycle on_poweroff, on_reboot, on_crash;

	char *emulator;		/* device model binary */
	char **emulator_args;	/* <xen:commandline>, device_model_args */
	size_t nemulator_args;

	struct xvm_disk *disks;
	size_t ndisks;
	struct xvm_controller *controllers;
	size_t ncontrollers;
	struct xvm_net *nets;
	size_t nnets;
	struct xvm_chr *serials;
	size_t nserials;
	struct xvm_chr *parallels;
	size_t nparallels;
	struct xvm_chr *consoles;
	size_t nconsoles;
	struct xvm_chr *channels;
	size_t nchannels;
	struct xvm_input *inputs;
	size_t ninputs;
	struct xvm_graphics *graphics;
	size_t ngraphics;
	struct xvm_video *videos;
	size_t nvideos;
	struct xvm_sound *sounds;
	size_t nsounds;
	struct xvm_hostdev *hostdevs;
	size_t nhostdevs;
	char *memballoon;	/* model: "xen"; NULL = none */
	struct xvm_addr memballoon_addr;

	struct xvm_extra *extras;	/* unknown config settings */
	size_t nextras;
};

struct xvm_domain *xvm_domain_new(void);	/* zeroed, id -1, weights -1 */
void xvm_domain_free(struct xvm_domain *d);	/* NULL-safe */
struct xvm_domain *xvm_domain_copy(const struct xvm_domain *d);
/* true when every field is equal (for round-trip checks) */
bool xvm_domain_equal(const struct xvm_domain *a, const struct xvm_domain *b);

/*
 * The domain as one JSON document (--json): every field under its name in
 * domain.h, enums as libvirt names them, unset strings as null.
 */
void xvm_domain_format_json(const struct xvm_domain *d, struct xvm_buf *b);

/* Drop what only a SECURE view shows (graphics passwords). */
void xvm_domain_hide_secrets(struct xvm_domain *d);

/* Grow a device array by one zeroed element and return it. */
struct xvm_disk *xvm_domain_add_disk(struct xvm_domain *d);
struct xvm_controller *xvm_domain_add_controller(struct xvm_domain *d);
struct xvm_net *xvm_domain_add_net(struct xvm_domain *d);
/* Remove disk or interface i (what it holds is freed). */
void xvm_domain_remove_disk(struct xvm_domain *d, size_t i);
void xvm_domain_remove_net(struct xvm_domain *d, size_t i);
struct xvm_chr *xvm_domain_add_serial(struct xvm_domain *d);
struct xvm_chr *xvm_domain_add_parallel(struct xvm_domain *d);
struct xvm_chr *xvm_domain_add_console(struct xvm_domain *d);
struct xvm_chr *xvm_domain_add_channel(struct xvm_domain *d);
struct xvm_input *xvm_domain_add_input(struct xvm_domain *d);
struct xvm_graphics *xvm_domain_add_graphics(struct xvm_domain *d);
struct xvm_video *xvm_domain_add_video(struct xvm_domain *d);
struct xvm_sound *xvm_domain_add_sound(struct xvm_domain *d);
struct xvm_hostdev *xvm_domain_add_hostdev(struct xvm_domain *d);
void xvm_domain_add_extra(struct xvm_domain *d, const char *name,
    const char *value);

/* Names <-> enums, as libvirt spells them; NULL / -1 when unknown. */
const char *xvm_os_type_name(enum xvm_os_type t);
int xvm_os_type_parse(const char *s);
const char *xvm_boot_dev_name(enum xvm_boot_dev b);
int xvm_boot_dev_parse(const char *s);
const char *xvm_lifecycle_name(enum xvm_lifecycle l);
int xvm_lifecycle_parse(const char *s);
const char *xvm_disk_type_name(enum xvm_disk_type t);
int xvm_disk_type_parse(const char *s);
const char *xvm_disk_device_name(enum xvm_disk_device t);
int xvm_disk_device_parse(const char *s);
const char *xvm_disk_bus_name(enum xvm_disk_bus b);
int xvm_disk_bus_parse(const char *s);
const char *xvm_ctrl_type_name(enum xvm_ctrl_type t);
int xvm_ctrl_type_parse(const char *s);
const char *xvm_net_type_name(enum xvm_net_type t);
int xvm_net_type_parse(const char *s);
const char *xvm_chr_type_name(enum xvm_chr_type t);
int xvm_chr_type_parse(const char *s);
const char *xvm_gfx_type_name(enum xvm_gfx_type t);
int xvm_gfx_type_parse(const char *s);
const char *xvm_clock_offset_name(enum xvm_clock_offset o);
int xvm_clock_offset_parse(const char *s);

/* UUIDs and MACs in their usual text forms. */
int xvm_uuid_parse(const char *s, unsigned char uuid[16]);
void xvm_uuid_format(const unsigned char uuid[16], char out[37]);
void xvm_uuid_generate(unsigned char uuid[16]);		/* libuuid */
int xvm_mac_parse(const char *s, unsigned char mac[6]);
void xvm_mac_format(const unsigned char mac[6], char out[18]);

#endif

/*
 * t_libxl_json.c - libxl's JSON domain config (lib/conf/libxl_json.c), the
 * form xl 4.17 writes in a save file's header: a PV guest as xl keeps it
 * (defaults left out, enums by name, defbools as strings, bitmaps as
 * bit lists), a ballooned one, an HVM one, the older form with the boot
 * fields in type.pv, and bad input of each kind with its message.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xvm/domain.h"
#include "xvm/util.h"
#include "xvm/xenconfig.h"
#include "t.h"

/* what `xl save` of a PV guest with a file disk and a vif wrote on the
 * test bed (Xen 4.17.7): its header's config, as it is */
static const char pv[] =
"{\n"
"    \"c_info\": {\n"
"        \"type\": \"pv\",\n"
"        \"name\": \"xls\",\n"
"        \"uuid\": \"df5c02bb-ce54-4dec-9a09-4e0bc16539d0\",\n"
"        \"run_hotplug_scripts\": \"True\"\n"
"    },\n"
"    \"b_info\": {\n"
"        \"max_vcpus\": 2,\n"
"        \"avail_vcpus\": [\n"
"            0,\n"
"            1\n"
"        ],\n"
"        \"max_memkb\": 131072,\n"
"        \"target_memkb\": 131072,\n"
"        \"video_memkb\": 0,\n"
"        \"sched_params\": {\n"
"            \"sched\": \"credit\",\n"
"            \"weight\": 256,\n"
"            \"cap\": 0\n"
"        },\n"
"        \"claim_mode\": \"True\",\n"
"        \"kernel\": \"/guest/vmlinux.gz\",\n"
"        \"cmdline\": \"console=hvc0 rdinit=/init\",\n"
"        \"ramdisk\": \"/guest/domu.cpio\",\n"
"        \"type.pv\": {\n"
"\n"
"        },\n"
"        \"arch_arm\": {\n"
"\n"
"        },\n"
"        \"arch_x86\": {\n"
"            \"msr_relaxed\": \"False\"\n"
"        }\n"
"    },\n"
"    \"disks\": [\n"
"        {\n"
"            \"pdev_path\": \"/root/d-xls.img\",\n"
"            \"vdev\": \"xvda\",\n"
"            \"format\": \"raw\",\n"
"            \"readwrite\": 1,\n"
"            \"colo_restore_enable\": \"False\"\n"
"        }\n"
"    ],\n"
"    \"nics\": [\n"
"        {\n"
"            \"devid\": 0,\n"
"            \"mac\": \"00:16:3e:07:79:64\",\n"
"            \"bridge\": \"xenbr0\",\n"
"            \"nictype\": \"vif\"\n"
"        }\n"
"    ],\n"
"    \"on_reboot\": \"restart\",\n"
"    \"on_crash\": \"preserve\",\n"
"    \"on_soft_reset\": \"soft_reset\"\n"
"}\n";

static const char hvm[] =
"{ \"c_info\": { \"type\": \"hvm\", \"name\": \"win\", \"hap\": \"True\" },\n"
"  \"b_info\": { \"max_vcpus\": 1, \"max_memkb\": 1048576,\n"
"    \"target_memkb\": 1048576, \"video_memkb\": 16384,\n"
"    \"acpi\": \"True\", \"type.hvm\": { \"boot\": \"dc\",\n"
"      \"vga\": { \"kind\": \"std\" },\n"
"      \"vnc\": { \"enable\": \"True\", \"listen\": \"127.0.0.1\",\n"
"        \"findunused\": \"True\" } } },\n"
"  \"disks\": [ { \"pdev_path\": \"/dev/vg0/win\", \"vdev\": \"hda\",\n"
"      \"backend\": \"phy\", \"format\": \"raw\", \"readwrite\": 1 },\n"
"    { \"pdev_path\": \"/iso/win.iso\", \"vdev\": \"hdc\",\n"
"      \"format\": \"raw\", \"is_cdrom\": 1 } ] }";

static struct xvm_domain *
load(const char *json, size_t len, struct xvm_err *err)
{
	struct xvm_domain *d = NULL;

	memset(err, 0, sizeof(*err));
	if (xvm_domain_from_libxl_json(json, len, "g.save", xvm_xen_caps_test(),
	    &d, err) < 0)
		return NULL;
	return d;
}

static void
test_pv(void)
{
	struct xvm_err err;
	char mac[18], u[37];
	struct xvm_domain *d = load(pv, sizeof(pv), &err);	/* with NUL */

	if (!T_OK(d != NULL, "xl's PV config reads"))
		printf("#   %s: %s\n", err.file, err.msg);
	if (d == NULL)
		return;
	xvm_uuid_format(d->uuid, u);
	T_STREQ(d->name, "xls", "name");
	T_STREQ(u, "df5c02bb-ce54-4dec-9a09-4e0bc16539d0", "uuid");
	T_EQ(d->memory_kib, 131072, "max_memkb -> memory");
	T_EQ(d->current_kib, 131072, "target_memkb -> current memory");
	T_EQ(d->vcpus, 2, "max_vcpus");
	T_EQ(d->vcpus_current == 0 ? d->vcpus : d->vcpus_current, 2,
	    "avail_vcpus [0, 1]: 2 online");
	T_EQ(d->cpu_weight, 256, "sched_params.weight");
	T_EQ(d->cpu_cap, 0, "sched_params.cap");
	T_STREQ(d->os.kernel, "/guest/vmlinux.gz", "kernel");
	T_STREQ(d->os.initrd, "/guest/domu.cpio", "ramdisk");
	T_STREQ(d->os.cmdline, "console=hvc0 rdinit=/init", "cmdline");
	T_OK(d->os.type == XVM_OS_LINUX || d->os.type == XVM_OS_XEN,
	    "a PV guest");
	T_EQ(d->on_poweroff, XVM_LIFE_DESTROY, "on_poweroff: default destroy");
	T_EQ(d->on_reboot, XVM_LIFE_RESTART, "on_reboot restart");
	T_EQ(d->on_crash, XVM_LIFE_PRESERVE, "on_crash preserve");
	if (T_EQ(d->ndisks, 1, "one disk")) {
		T_STREQ(d->disks[0].src, "/root/d-xls.img", "disk path");
		T_STREQ(d->disks[0].target, "xvda", "disk vdev");
		T_OK(!d->disks[0].readonly, "disk writable");
		T_STREQ(d->disks[0].driver_type, "raw", "disk format");
	}
	if (T_EQ(d->nnets, 1, "one nic")) {
		xvm_mac_format(d->nets[0].mac, mac);
		T_OK(d->nets[0].has_mac, "nic has its MAC");
		T_STREQ(mac, "00:16:3e:07:79:64", "nic MAC");
		T_STREQ(d->nets[0].bridge, "xenbr0", "nic bridge");
	}
	xvm_domain_free(d);
}

/* what xl writes beside that: a weight and cap, a disk backend, a script */
static void
test_fields(void)
{
	const char *j = "{\"c_info\":{\"name\":\"f\"},\"b_info\":{"
	    "\"max_memkb\":65536,\"target_memkb\":65536,\"sched_params\":{"
	    "\"weight\":512,\"cap\":50},\"kernel\":\"/k\"},\"disks\":[{"
	    "\"pdev_path\":\"/img/a,b.img\",\"vdev\":\"xvdb\",\"backend\":"
	    "\"qdisk\",\"format\":\"qcow2\"}],\"nics\":[{\"script\":"
	    "\"vif-bridge\",\"ifname\":\"f0\",\"nictype\":\"vif_ioemu\","
	    "\"model\":\"e1000\",\"rate_bytes_per_interval\":51200,"
	    "\"rate_interval_usecs\":50000}],\"on_poweroff\":\"preserve\","
	    "\"on_reboot\":\"restart_rename\",\"on_crash\":"
	    "\"coredump_restart\"}";
	struct xvm_err err;
	struct xvm_domain *d = load(j, strlen(j), &err);

	if (!T_OK(d != NULL, "weights, backends, scripts read"))
		printf("#   %s\n", err.msg);
	if (d == NULL)
		return;
	T_EQ(d->cpu_weight, 512, "sched_params.weight");
	T_EQ(d->cpu_cap, 50, "sched_params.cap");
	T_EQ(d->vcpus, 1, "no max_vcpus: one");
	if (T_EQ(d->ndisks, 1, "one disk")) {
		T_STREQ(d->disks[0].src, "/img/a,b.img", "a path with a comma");
		T_STREQ(d->disks[0].driver_type, "qcow2", "format qcow2");
		T_STREQ(d->disks[0].driver_name, "qemu", "backend qdisk: qemu");
		T_OK(d->disks[0].readonly, "no readwrite: read-only");
	}
	if (T_EQ(d->nnets, 1, "one nic")) {
		T_STREQ(d->nets[0].script, "vif-bridge", "nic script");
		T_STREQ(d->nets[0].ifname, "f0", "ifname -> vifname");
		T_STREQ(d->nets[0].model, "e1000", "model");
		T_EQ(d->nets[0].rate_kbps, 1000, "51200 B per 50 ms: 1000 KB/s");
	}
	T_EQ(d->on_poweroff, XVM_LIFE_PRESERVE, "on_poweroff preserve");
	T_EQ(d->on_reboot, XVM_LIFE_RENAME_RESTART, "restart_rename");
	T_EQ(d->on_crash, XVM_LIFE_COREDUMP_RESTART, "coredump_restart");
	xvm_domain_free(d);
}

/* a guest that ballooned: the target in KiB, not whole MiB */
static void
test_ballooned(void)
{
	const char *j = "{\"c_info\":{\"name\":\"b\"},\"b_info\":{"
	    "\"max_vcpus\":4,\"avail_vcpus\":[0,2],\"max_memkb\":262144,"
	    "\"target_memkb\":200001,\"vcpu_hard_affinity\":[[0],[1,2]],"
	    "\"type.pv\":{\"kernel\":\"/k\",\"cmdline\":\"ro\","
	    "\"bootloader_args\":[\"-q\"]}}}";
	struct xvm_err err;
	struct xvm_domain *d = load(j, strlen(j), &err);

	if (!T_OK(d != NULL, "a ballooned guest in the older form reads"))
		printf("#   %s\n", err.msg);
	if (d == NULL)
		return;
	T_EQ(d->memory_kib, 262144, "max 256 MiB");
	T_EQ(d->current_kib, 200001, "target kept to the KiB");
	T_EQ(d->vcpus, 4, "4 vcpus at most");
	T_EQ(d->vcpus_current, 2, "2 of them online");
	T_STREQ(d->cpuset, "0-2", "the vcpus' affinities joined");
	T_STREQ(d->os.kernel, "/k", "kernel from type.pv");
	T_STREQ(d->os.cmdline, "ro", "cmdline from type.pv");
	T_EQ(d->cpu_weight, -1, "no weight: unset");
	xvm_domain_free(d);
}

static void
test_hvm(void)
{
	struct xvm_err err;
	struct xvm_domain *d = load(hvm, strlen(hvm), &err);

	if (!T_OK(d != NULL, "an HVM config reads"))
		printf("#   %s\n", err.msg);
	if (d == NULL)
		return;
	T_EQ(d->os.type, XVM_OS_HVM, "HVM");
	T_EQ(d->memory_kib, 1048576, "1 GiB");
	T_OK(d->os.nboot == 2 && d->os.boot[0] == XVM_BOOT_CDROM &&
	    d->os.boot[1] == XVM_BOOT_HD, "boot dc: cdrom, then disk");
	T_OK(d->features.acpi, "acpi");
	if (T_EQ(d->ngraphics, 1, "a VNC display")) {
		T_EQ(d->graphics[0].type, XVM_GFX_VNC, "VNC");
		T_STREQ(d->graphics[0].listen, "127.0.0.1", "vnclisten");
		T_OK(d->graphics[0].autoport, "findunused: autoport");
	}
	if (T_EQ(d->nvideos, 1, "a video card")) {
		T_STREQ(d->videos[0].model, "vga", "std vga");
		T_EQ(d->videos[0].vram_kib, 16384, "video_memkb");
	}
	if (T_EQ(d->ndisks, 2, "two disks")) {
		T_EQ(d->disks[1].device, XVM_DEV_CDROM, "is_cdrom");
		T_OK(d->disks[1].readonly, "the CD read-only");
		T_EQ(d->disks[0].type, XVM_DISK_BLOCK, "backend phy: a "
		    "block device");
		T_STREQ(d->disks[0].src, "/dev/vg0/win", "its path");
	}
	xvm_domain_free(d);
}

static void
bad(const char *json, const char *want, int line, const char *what)
{
	struct xvm_err err;
	struct xvm_domain *d = load(json, strlen(json), &err);

	T_OK(d == NULL && err.code == XVM_ERR_CONFIG &&
	    strcmp(err.file, "g.save") == 0, what);
	if (!T_OK(strstr(err.msg, want) != NULL, want))
		printf("#   got: %s\n", err.msg);
	if (line >= 0)
		T_EQ(err.line, line, "the line of the fault");
	xvm_domain_free(d);
}

static void
test_bad(void)
{
	bad("{\n \"c_info\": {\n  \"name\": \"x\",\n }\n}", "libxl config: ",
	    4, "bad JSON: at its line");
	bad("[1, 2]", "the config is not a JSON object", 0, "not an object");
	bad("{\"b_info\":{}}", "libxl config, c_info: missing", 0,
	    "no c_info");
	bad("{\"c_info\":{\"name\":7},\"b_info\":{}}",
	    "c_info.name: a string is expected", 0, "name not a string");
	bad("{\"c_info\":{\"name\":\"x\"}}", "b_info: missing", 0,
	    "no b_info");
	bad("{\"c_info\":{\"name\":\"x\",\"type\":\"arm\"},\"b_info\":{}}",
	    "c_info.type: 'arm' is not pv, hvm or pvh", 0, "bad type");
	bad("{\"c_info\":{\"name\":\"x\",\"hap\":\"yes\"},\"b_info\":{}}",
	    "c_info.hap: 'yes' is not True, False or <default>", 0,
	    "bad defbool");
	bad("{\"c_info\":{\"name\":\"x\"},\"b_info\":{\"avail_vcpus\":[-1]}}",
	    "b_info.avail_vcpus: item 0 is not a bit number", 0,
	    "bad bitmap");
	bad("{\"c_info\":{\"name\":\"x\"},\"b_info\":{\"max_memkb\":\"1\"}}",
	    "b_info.max_memkb: an integer is expected", 0, "memory a string");
	bad("{\"c_info\":{\"name\":\"x\"},\"b_info\":{},\"pcidevs\":[{}]}",
	    "pcidevs: the domain has 1 PCI passthrough device(s), which xvm "
	    "cannot give it", 0, "PCI passthrough refused");
	bad("{\"c_info\":{\"name\":\"x\"},\"b_info\":{},\"on_crash\":\"x\"}",
	    "on_crash: 'x' is not an action xvm takes", 0, "bad action");
	bad("{\"c_info\":{\"name\":\"x\"},\"b_info\":{},\"disks\":[{}]}",
	    "disks[0].vdev: missing", 0, "a disk without vdev");
	bad("{\"c_info\":{\"name\":\"x\"},\"b_info\":{},\"nics\":[{\"mac\":"
	    "\"zz\"}]}", "invalid MAC address 'zz'", 0,
	    "a bad MAC (the converter's check)");
	bad("{\"c_info\":{\"name\":\"x\"},\"b_info\":{},\"nics\":[{\"bridge\":"
	    "\"a,b\"}]}", "nics[0].bridge: 'a,b' cannot be written", 0,
	    "a bridge with a comma");
	bad("{\"c_info\":{\"name\":\"x\",\"name\":\"y\"},\"b_info\":{}}",
	    "duplicate object key", -1, "a key twice");
	bad("", "libxl config: ", -1, "empty");
}

int
main(void)
{
	test_pv();
	test_fields();
	test_ballooned();
	test_hvm();
	test_bad();
	return t_done();
}

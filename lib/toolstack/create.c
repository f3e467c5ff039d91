/*
 * create.c - starting a PV domain from its configuration, in the order
 * and with the xenstore layout of libxl 4.17 (shared/docs/research/
 * pv-builder.md §1 and §7, xenstore.md §4): createdomain and max_vcpus,
 * the domain's xenstore skeleton, max_mem, event channels for xenstore
 * and the console, the PV build, the post-build keys, XS_INTRODUCE, the
 * console and the disk and network devices, unpause.
 *
 * Everything that can be checked before a domain exists is checked first
 * (the kernel, the ramdisk, the name, the memory), and a build that fails
 * half-way destroys what it made: no half-made domain and no xenstore
 * leftovers stay behind.
 */
#define __XEN_TOOLS__ 1

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/time.h>

#include <xen/xen.h>
#include <xen/sysctl.h>

#include "xvm/domain.h"
#include "xvm/file.h"
#include "xen/kimage.h"
#include "xen/hvmbuild.h"
#include "xen/pvbuild.h"
#include "toolstack/ts_int.h"

#define MAXMEM_SLACK_KIB 1024	/* LIBXL_MAXMEM_CONSTANT */
#define RAMDISK_MAX	((size_t)1 << 30)

/* The skeleton libxl__domain_make writes. */
static void
skeleton(struct ts_kvs *k, uint32_t id, const char *vm, const char *name,
    const char *uuid, char *ro, char *rw, bool hvm)
{
	static const char *const ro_dirs[] = { "cpu", "memory", "device",
	    "control" };
	static const char *const rw_dirs[] = { "device/suspend/event-channel",
	    "control/shutdown", "control/feature-poweroff",
	    "control/feature-reboot", "control/feature-suspend",
	    "control/sysrq", "data", "drivers", "feature", "attr", "error" };
	char *d = xvm_asprintf("/local/domain/%" PRIu32, id);
	size_t i;

	ts_kv_perms(ts_kv_add(k, xvm_strdup(d), NULL), "n0", ro);
	ts_kv_perms(ts_kv_add(k, xvm_strdup(vm), NULL), "n0", ro);
	ts_kv_perms(ts_kv_add(k, xvm_asprintf("/libxl/%" PRIu32, id), NULL), "n0",
	    NULL);
	ts_kv_perms(ts_kv_add(k, xvm_asprintf("/libxl/%" PRIu32 "/device", id), NULL),
	    "n0", NULL);
	ts_kv_add(k, xvm_asprintf("%s/vm", d), xvm_strdup(vm));
	ts_kv_add(k, xvm_asprintf("%s/name", d), xvm_strdup(name));
	ts_kv_add(k, xvm_asprintf("%s/name", vm), xvm_strdup(name));
	for (i = 0; i < XVM_ARRAY_SIZE(ro_dirs); i++)
		ts_kv_perms(ts_kv_add(k, xvm_asprintf("%s/%s", d, ro_dirs[i]), NULL),
		    "n0", ro);
	for (i = 0; i < XVM_ARRAY_SIZE(rw_dirs); i++)
		ts_kv_perms(ts_kv_add(k, xvm_asprintf("%s/%s", d, rw_dirs[i]),
		    xvm_strdup("")), rw, NULL);
	ts_kv_add(k, xvm_asprintf("%s/uuid", vm), xvm_strdup(uuid));
	ts_kv_add(k, xvm_asprintf("%s/control/platform-feature-multiprocessor-"
	    "suspend", d), xvm_strdup("1"));
	ts_kv_add(k, xvm_asprintf("%s/control/platform-feature-xs_reset_watches",
	    d), xvm_strdup("1"));
	ts_kv_add(k, xvm_asprintf("/libxl/%" PRIu32 "/type", id),
	    xvm_strdup(hvm ? "hvm" : "pv"));
	free(d);
}

/* Undo a create that failed: the domain and what was written of it. */
static void
reap(struct xvm_conn *c, uint32_t id, const char *vm,
    const unsigned char uuid[16])
{
	struct xvm_err ignored = { 0 };

	bool twin = ts_uuid_twin(c, id, uuid);

	(void)xvm_xc_domain_destroy(c->io, id, NULL);
	(void)ts_forget(c, id, twin ? NULL : vm, NULL);
	if (!twin)
		(void)ts_run_drop(c, uuid, &ignored);
}

/*
 * An HVM guest's paging, as libxl picks it: what its config says (hap=),
 * else hardware-assisted when the host has it (ts_prefilter checked that
 * the host offers what is asked).
 */
static bool
hvm_hap(struct xvm_conn *c, const struct xvm_domain *dom)
{
	struct xvm_physinfo pi;

	if (dom->features.hap != XVM_TRI_DEFAULT)
		return dom->features.hap == XVM_TRI_YES;
	return xvm_xc_physinfo(c->io, &pi, NULL) < 0 ||
	    (pi.capabilities & XEN_SYSCTL_PHYSCAP_hap);
}

int
ts_prefilter(struct xvm_conn *c, const struct xvm_domain *dom,
    struct xvm_err *err)
{
	uint64_t target_kib = dom->current_kib ? dom->current_kib :
	    dom->memory_kib;

	if (dom->name == NULL || dom->name[0] == '\0')
		return xvm_err_set(err, XVM_ERR_CONFIG, "the domain has no "
		    "name");
	if (dom->os.type == XVM_OS_XENPVH)
		return xvm_err_set(err, XVM_ERR_NO_SUPPORT, "PVH guests cannot "
		    "be started yet: only PV and HVM guests");
	if (dom->os.type == XVM_OS_HVM) {
		struct xvm_physinfo pi;
		uint32_t caps;

		if (xvm_xc_physinfo(c->io, &pi, err) < 0)
			return -1;
		caps = pi.capabilities;
		if (!(caps & XEN_SYSCTL_PHYSCAP_hvm))
			return xvm_err_set(err, XVM_ERR_NO_SUPPORT, "this host "
			    "cannot run HVM guests: Xen reports no hardware "
			    "virtualization (VT-x or AMD-V)");
		if (!(caps & (XEN_SYSCTL_PHYSCAP_hap |
		    XEN_SYSCTL_PHYSCAP_shadow)))
			return xvm_err_set(err, XVM_ERR_NO_SUPPORT, "this host "
			    "cannot run HVM guests: Xen offers neither "
			    "hardware-assisted paging (HAP) nor shadow paging");
		if (dom->features.hap == XVM_TRI_YES &&
		    !(caps & XEN_SYSCTL_PHYSCAP_hap))
			return xvm_err_set(err, XVM_ERR_CONFIG, "domain '%s' "
			    "asks for hardware-assisted paging (hap=1), which "
			    "this host does not offer", dom->name);
		if (dom->features.hap == XVM_TRI_NO &&
		    !(caps & XEN_SYSCTL_PHYSCAP_shadow))
			return xvm_err_set(err, XVM_ERR_CONFIG, "domain '%s' "
			    "asks for shadow paging (hap=0), which this host's "
			    "Xen is built without", dom->name);
	} else if (dom->os.kernel == NULL && dom->os.bootloader == NULL)
		return xvm_err_set(err, XVM_ERR_CONFIG, "domain '%s' has no "
		    "kernel and no bootloader", dom->name);
	if (dom->vcpus == 0 || target_kib == 0)
		return xvm_err_set(err, XVM_ERR_CONFIG, "domain '%s' needs at "
		    "least one vcpu and some memory", dom->name);
	return 0;
}

/*
 * What the host says: the name and UUID free (as the store pairs them),
 * memory for target_kib.  uuid receives the domain's UUID.
 */
static int
precheck(struct xvm_conn *c, const struct xvm_domain *dom, unsigned flags,
    uint64_t target_kib, unsigned char uuid[16], struct xvm_err *err)
{
	struct xvm_domstat *list = NULL;
	struct xvm_defined *defs = NULL;
	struct xvm_physinfo pi;
	size_t n = 0, ndefs = 0, i;
	char u[37];
	int ret = 0;

	if (xvm_list(c, &list, &n, err) < 0)
		return -1;
	/*
	 * A name and a UUID stay paired, as the store keeps them (store.c):
	 * a defined domain starts under its own UUID only.
	 */
	if (xvm_defined_list(c, &defs, &ndefs, err) < 0) {
		xvm_domstat_free(list, n);
		return -1;
	}
	memcpy(uuid, dom->uuid, 16);
	if (!dom->has_uuid)
		xvm_uuid_generate(uuid);
	xvm_uuid_format(uuid, u);
	for (i = 0; i < ndefs && ret == 0; i++) {
		bool same_uuid = memcmp(defs[i].dom->uuid, uuid, 16) == 0;
		bool same_name = strcmp(defs[i].dom->name, dom->name) == 0;
		char du[37];

		xvm_uuid_format(defs[i].dom->uuid, du);
		if (same_uuid && !same_name && !(flags & TS_CREATE_TWIN))
			ret = xvm_err_set(err, XVM_ERR_OPERATION_FAILED,
			    "domain '%s' is already defined with uuid %s",
			    defs[i].dom->name, u);
		else if (same_name && !same_uuid)
			ret = xvm_err_set(err, XVM_ERR_OPERATION_FAILED,
			    "domain '%s' already exists with uuid %s",
			    dom->name, du);
	}
	for (i = 0; i < n && ret == 0; i++)
		if (strcmp(list[i].name, dom->name) == 0)
			ret = xvm_err_set(err, XVM_ERR_CONFIG, "Domain '%s' "
			    "already exists with ID '%" PRIu32 "'", dom->name,
			    list[i].id);
		else if (memcmp(list[i].uuid, uuid, 16) == 0 &&
		    !(flags & TS_CREATE_TWIN))
			ret = xvm_err_set(err, XVM_ERR_CONFIG, "Domain '%s' "
			    "(ID '%" PRIu32 "') already runs with UUID %s",
			    list[i].name, list[i].id, u);
	xvm_domstat_free(list, n);
	xvm_defined_free(defs, ndefs);
	if (ret < 0)
		return -1;
	if (xvm_xc_physinfo(c->io, &pi, err) < 0)
		return -1;
	if (target_kib / 4 > pi.free_pages)
		return xvm_err_set(err, XVM_ERR_CONFIG, "domain '%s' needs %"
		    PRIu64 " MiB of memory, but the host has %" PRIu64 " MiB "
		    "free", dom->name, target_kib / 1024,
		    pi.free_pages / 256);
	return 0;
}

int
ts_create(struct xvm_conn *c, const struct xvm_domain *dom, unsigned flags,
    uint64_t need_kib, ts_build_fn build, void *arg, uint32_t *id_r,
    struct xvm_err *err)
{
	uint64_t target = dom->current_kib ? dom->current_kib :
	    dom->memory_kib;
	uint64_t maxmem = dom->memory_kib > target ? dom->memory_kib : target;
	bool hvm = dom->os.type == XVM_OS_HVM;
	/* an HVM guest's video memory comes out of its memory (libxl) */
	uint64_t video = hvm ? ts_hvm_videoram_kib(dom) : 0;
	unsigned vcpus_on = dom->vcpus_current ? dom->vcpus_current :
	    dom->vcpus;
	struct ts_build_args a;
	struct ts_kvs k = { NULL, 0, 0 };
	struct xvm_domain *live = NULL;
	unsigned char uuid[16];
	char u[37], *vm = NULL, ro[16], rw[16], *d = NULL;
	uint32_t id = 0, sport, cport;
	struct timeval tv;
	unsigned i;
	int ret = -1;
	bool made = false;

	*id_r = 0;
	if (precheck(c, dom, flags, need_kib ? need_kib : target, uuid,
	    err) < 0)
		goto out;

	xvm_uuid_format(uuid, u);
	vm = xvm_asprintf("/vm/%s", u);
	if (xvm_xc_domain_create(c->io, uuid, hvm, hvm && hvm_hap(c, dom),
	    dom->vcpus, &id, err) < 0) {
		if (id != 0)
			made = true;
		goto out;
	}
	made = true;
	snprintf(ro, sizeof(ro), "r%" PRIu32, id);
	snprintf(rw, sizeof(rw), "n%" PRIu32, id);
	skeleton(&k, id, vm, dom->name, u, ro, rw, hvm);
	if (ts_kvs_commit(c->io, &k, err) < 0)
		goto out;
	ts_kvs_release(&k);
	if (xvm_xc_domain_max_mem(c->io, id, maxmem + MAXMEM_SLACK_KIB,
	    err) < 0 || (hvm && xvm_xc_paging_mempool(c->io, id,
	    ts_hvm_pool_bytes(maxmem, dom->vcpus), err) < 0) ||
	    xvm_xc_evtchn_alloc_unbound(c->io, id, 0, &sport, err) < 0 ||
	    xvm_xc_evtchn_alloc_unbound(c->io, id, 0, &cport, err) < 0)
		goto out;

	memset(&a, 0, sizeof(a));
	a.id = id;
	a.target_kib = target > video + 1024 ? target - video : target;
	a.store_port = sport;
	a.console_port = cport;
	if (build(c, &a, arg, err) < 0)
		goto out;
	/* libxl__build_post, then the introduction */
	d = xvm_asprintf("/local/domain/%" PRIu32, id);
	ts_kv_add(&k, xvm_asprintf("%s/memory/static-max", d),
	    xvm_asprintf("%" PRIu64, maxmem));
	/* what the guest itself has: its video memory left out (libxl) */
	ts_kv_add(&k, xvm_asprintf("%s/memory/target", d),
	    xvm_asprintf("%" PRIu64, a.target_kib));
	ts_kv_add(&k, xvm_asprintf("%s/memory/videoram", d),
	    xvm_asprintf("%" PRIu64, video));
	ts_kv_add(&k, xvm_asprintf("%s/domid", d), xvm_asprintf("%" PRIu32, id));
	ts_kv_add(&k, xvm_asprintf("%s/store/port", d),
	    xvm_asprintf("%" PRIu32, sport));
	ts_kv_add(&k, xvm_asprintf("%s/store/ring-ref", d),
	    xvm_asprintf("%" PRIu64, a.store_mfn));
	for (i = 0; i < dom->vcpus; i++)
		ts_kv_add(&k, xvm_asprintf("%s/cpu/%u/availability", d, i),
		    xvm_strdup(i < vcpus_on ? "online" : "offline"));
	ts_kv_add(&k, xvm_asprintf("%s/image/ostype", vm),
	    xvm_strdup(hvm ? "hvm" : "linux"));
	if (hvm) {
		/* what hvmloader reads (libxl__build_hvm's keys) */
		ts_kv_add(&k, xvm_asprintf("%s/hvmloader/bios", d),
		    xvm_strdup("seabios"));
		ts_kv_add(&k, xvm_asprintf("%s/hvmloader/allow-memory-"
		    "relocate", d), xvm_strdup("1"));
		ts_kv_add(&k, xvm_asprintf("%s/platform/acpi", d),
		    xvm_strdup(dom->features.acpi ? "1" : "0"));
		ts_kv_add(&k, xvm_asprintf("%s/platform/device-model", d),
		    xvm_strdup("qemu_xen"));
	} else if (dom->os.kernel)
		/* a guest its bootloader booted: the bootloader (pygrub's) */
		ts_kv_add(&k, xvm_asprintf("%s/image/kernel", vm),
		    xvm_strdup(dom->os.kernel));
	else if (dom->os.bootloader)
		ts_kv_add(&k, xvm_asprintf("%s/image/bootloader", vm),
		    xvm_strdup(dom->os.bootloader));
	if (dom->os.initrd && !hvm)
		ts_kv_add(&k, xvm_asprintf("%s/image/ramdisk", vm),
		    xvm_strdup(dom->os.initrd));
	if (dom->os.cmdline && !hvm)
		ts_kv_add(&k, xvm_asprintf("%s/image/cmdline", vm),
		    xvm_strdup(dom->os.cmdline));
	gettimeofday(&tv, NULL);
	ts_kv_add(&k, xvm_asprintf("%s/start_time", vm),
	    xvm_asprintf("%ld.%02ld", (long)tv.tv_sec,
	    (long)tv.tv_usec / 10000));
	if (ts_kvs_commit(c->io, &k, err) < 0 ||
	    xvm_xs_introduce(c->io, id, a.store_mfn, sport, err) < 0)
		goto out;
	ts_kvs_release(&k);
	ts_dev_console(&k, id, cport, a.console_mfn, rw, ro);
	for (i = 0; i < dom->ndisks; i++)
		if (ts_dev_disk(&k, id, &dom->disks[i], rw, ro, err) < 0) {
			char why[sizeof(err->msg)];

			snprintf(why, sizeof(why), "%s", err->msg);
			xvm_err_set(err, XVM_ERR_CONFIG, "disk %u: %s", i + 1,
			    why);
			goto out;
		}
	for (i = 0; i < dom->nnets; i++)
		ts_dev_nic(&k, id, (long)i, &dom->nets[i], rw, ro);
	if (ts_kvs_commit(c->io, &k, err) < 0)
		goto out;
	/* a real dom0's backends: their hotplug scripts, as libxl runs them */
	for (i = 0; i < dom->ndisks; i++)
		if (dom->disks[i].src && *dom->disks[i].src &&
		    ts_hotplug(c, "vbd", id, ts_vdev_number(dom->disks[i].target),
		    true, err) < 0)
			goto out;
	for (i = 0; i < dom->nnets; i++)
		if (ts_hotplug(c, "vif", id, (long)i, true, err) < 0)
			goto out;
	/* the device model, with the devices it emulates */
	if (hvm && ts_dm_start(c, id, dom, a.target_kib, err) < 0)
		goto out;
	/* the credit scheduler's weight and cap (libxl_domain_sched_params) */
	if (dom->cpu_weight >= 0 || dom->cpu_cap >= 0) {
		struct xvm_physinfo pi;
		uint16_t w = dom->cpu_weight >= 0 ?
		    (uint16_t)dom->cpu_weight : 0;
		uint16_t cap = dom->cpu_cap >= 0 ? (uint16_t)dom->cpu_cap :
		    0xffff;

		if (xvm_xc_physinfo(c->io, &pi, err) < 0 ||
		    xvm_xc_sched_credit(c->io, id, pi.sched_id, true, &w, &cap,
		    err) < 0)
			goto out;
	}
	/* what its lifecycle actions and a live dumpxml go by */
	live = xvm_domain_copy(dom);
	memcpy(live->uuid, uuid, 16);
	live->has_uuid = true;
	if (ts_run_save(c, live, id, err) < 0)
		goto out;
	if (!(flags & XVM_CREATE_PAUSED) &&
	    xvm_xc_domain_unpause(c->io, id, err) < 0)
		goto out;
	ts_reason_set(c, uuid, (flags & XVM_CREATE_PAUSED) ? "paused" :
	    "running", (flags & XVM_CREATE_PAUSED) ? "user" : "booted");
	ts_monitor_spawn(c, id, uuid);	/* a real host's, as xl's */
	*id_r = id;
	ret = 0;
out:
	if (ret < 0 && made)
		reap(c, id, vm, uuid);
	xvm_domain_free(live);
	ts_kvs_release(&k);
	free(vm);
	free(d);
	return ret;
}

/* The PV builder: the kernel, ramdisk and command line of the config. */
struct pv_images {
	struct xvm_kimage ki;
	char *ramdisk;
	size_t rdlen;
	const struct xvm_domain *dom;
};

static int
pv_build(struct xvm_conn *c, struct ts_build_args *a, void *arg,
    struct xvm_err *err)
{
	struct pv_images *im = arg;
	struct xvm_pvb_in in;
	struct xvm_pvb_out out;

	memset(&in, 0, sizeof(in));
	in.domid = a->id;
	in.kernel = &im->ki;
	in.ramdisk = (unsigned char *)im->ramdisk;
	in.ramdisk_len = im->rdlen;
	in.cmdline = im->dom->os.cmdline;
	in.mem_kib = a->target_kib;
	in.store_port = a->store_port;
	in.console_port = a->console_port;
	if (xvm_pv_build(c->io, &in, &out, err) < 0)
		return -1;
	a->store_mfn = out.store_mfn;
	a->console_mfn = out.console_mfn;
	return 0;
}

/* The HVM builder: hvmloader and its firmware module. */
struct hvm_images {
	struct ts_hvm_fw fw;
	const struct xvm_domain *dom;
};

static int
hvm_build(struct xvm_conn *c, struct ts_build_args *a, void *arg,
    struct xvm_err *err)
{
	struct hvm_images *im = arg;
	struct xvm_hvmb_in in;
	struct xvm_hvmb_out out;

	memset(&in, 0, sizeof(in));
	in.domid = a->id;
	in.loader_name = im->fw.loader_path;
	in.loader = (unsigned char *)im->fw.loader;
	in.loader_len = im->fw.loader_len;
	in.bios = (unsigned char *)im->fw.bios;
	in.bios_len = im->fw.bios_len;
	in.mem_kib = a->target_kib;
	in.vcpus = im->dom->vcpus;
	in.vcpus_online = im->dom->vcpus_current ? im->dom->vcpus_current :
	    im->dom->vcpus;
	in.store_port = a->store_port;
	in.console_port = a->console_port;
	in.viridian = im->dom->features.viridian == XVM_TRI_YES;
	if (xvm_hvm_build(c->io, &in, &out, err) < 0)
		return -1;
	a->store_mfn = out.store_pfn;		/* gfns: HVM */
	a->console_mfn = out.console_pfn;
	return 0;
}

static int
create_hvm(struct xvm_conn *c, const struct xvm_domain *dom, unsigned flags,
    uint32_t *id_r, struct xvm_err *err)
{
	struct hvm_images im;
	int r;

	memset(&im, 0, sizeof(im));
	im.dom = dom;
	if (ts_hvm_firmware(c, dom, &im.fw, err) < 0)
		return -1;
	r = ts_create(c, dom, flags, 0, hvm_build, &im, id_r, err);
	ts_hvm_fw_release(&im.fw);
	return r;
}

/*
 * A domain of libvirt's test driver (<domain type='test'>): on the test
 * host only, made as that host's own domain is, without a kernel.
 */
static int
create_test(struct xvm_conn *c, const struct xvm_domain *dom, unsigned flags,
    uint32_t *id_r, struct xvm_err *err)
{
	struct xvm_domain *live;
	unsigned char uuid[16];
	uint64_t cur = dom->current_kib ? dom->current_kib : dom->memory_kib;
	int r;

	if (!xvm_conn_is_test(c))
		return xvm_err_set(err, XVM_ERR_CONFIG_UNSUPPORTED, "a domain "
		    "of type 'test' runs on test:///default only");
	if (precheck(c, dom, flags, cur, uuid, err) < 0 ||
	    ts_domain_make(c, dom->name, uuid, dom->vcpus, dom->memory_kib,
	    cur, (flags & XVM_CREATE_PAUSED) != 0, id_r, err) < 0)
		return -1;
	live = xvm_domain_copy(dom);
	memcpy(live->uuid, uuid, 16);
	live->has_uuid = true;
	r = ts_run_save(c, live, *id_r, err);
	xvm_domain_free(live);
	if (r == 0)
		ts_reason_set(c, uuid, (flags & XVM_CREATE_PAUSED) ? "paused" :
		    "running", (flags & XVM_CREATE_PAUSED) ? "user" : "booted");
	return r;
}

/* The disk a bootloader reads: the first one that is not a CD-ROM. */
static const struct xvm_disk *
boot_disk(const struct xvm_domain *dom)
{
	size_t i;

	for (i = 0; i < dom->ndisks; i++)
		if (dom->disks[i].device == XVM_DEV_DISK && dom->disks[i].src)
			return &dom->disks[i];
	return NULL;
}

int
xvm_create(struct xvm_conn *c, const struct xvm_domain *dom, unsigned flags,
    uint32_t *id_r, struct xvm_err *err)
{
	struct xvm_boot_pick pick;
	struct xvm_domain *booted = NULL;
	char *bootdir = NULL;
	const char *tmp;
	const struct xvm_disk *disk;
	struct pv_images im;
	int r = -1;

	*id_r = 0;
	if (dom->virt_type && strcmp(dom->virt_type, "test") == 0)
		return create_test(c, dom, flags, id_r, err);
	memset(&im, 0, sizeof(im));
	memset(&pick, 0, sizeof(pick));
	im.dom = dom;
	xvm_kimage_init(&im.ki);
	if (ts_prefilter(c, dom, err) < 0)
		goto out;
	if (dom->os.type == XVM_OS_HVM) {
		r = create_hvm(c, dom, flags, id_r, err);
		goto out;
	}
	if (dom->os.kernel == NULL) {
		/* pygrub's job: the kernel the guest's disk boots */
		if ((disk = boot_disk(dom)) == NULL) {
			xvm_err_set(err, XVM_ERR_CONFIG, "domain '%s' has a "
			    "bootloader but no disk to boot from", dom->name);
			goto out;
		}
		/* a private directory for the copies, as pygrub's */
		tmp = getenv("TMPDIR");
		bootdir = xvm_asprintf("%s/xvm-boot-XXXXXX", tmp && *tmp ? tmp :
		    "/tmp");
		if (mkdtemp(bootdir) == NULL) {
			xvm_err_sys(err, errno, "cannot create '%s'", bootdir);
			free(bootdir);
			bootdir = NULL;
			goto out;
		}
		if (xvm_bootloader(disk->src, bootdir, &pick, err) < 0)
			goto out;
		/* the images and command line from the disk; the config
		   kept (and reused on reboot) names the bootloader */
		booted = xvm_domain_copy(dom);
		booted->os.kernel = xvm_strdup(pick.kernel);
		booted->os.initrd = pick.initrd ? xvm_strdup(pick.initrd) :
		    NULL;
		free(booted->os.cmdline);
		booted->os.cmdline = pick.args ? xvm_strdup(pick.args) : NULL;
		im.dom = booted;
	}
	/* the images, before anything exists */
	if (xvm_kimage_load(&im.ki, im.dom->os.kernel, NULL, err) < 0)
		goto out;
	if (im.dom->os.initrd && xvm_file_read(im.dom->os.initrd, RAMDISK_MAX,
	    &im.ramdisk, &im.rdlen, err) < 0)
		goto out;
	r = ts_create(c, dom, flags, 0, pv_build, &im, id_r, err);
out:
	xvm_kimage_release(&im.ki);
	free(im.ramdisk);
	xvm_boot_pick_release(&pick);
	if (bootdir)
		rmdir(bootdir);
	free(bootdir);
	xvm_domain_free(booted);
	return r;
}

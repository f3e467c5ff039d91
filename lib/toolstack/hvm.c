/*
 * hvm.c - HVM guests: hvmloader and its SeaBIOS module from the host's
 * firmware directory, the HVM build (lib/xen/hvmbuild.c) inside
 * ts_create, and the device model - QEMU in Xen mode with the guest's
 * disks, CD-ROMs, NICs, display and boot order on its command line, in
 * the form libxl 4.17 gives qemu-xen - started before the guest runs
 * and stopped when the domain goes.
 *
 * On the simulated host the firmware files are the simulated host's own
 * (DIR/firmware) and the device model is played by the host itself
 * (lib/xen/io); the command line is the same.
 */
#include <errno.h>
#include <inttypes.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/types.h>
#include <signal.h>

#include "xvm/domain.h"
#include "xvm/file.h"
#include "xen/hvmbuild.h"
#include "toolstack/ts_int.h"

#define FIRMWARE_MAX	((size_t)16 << 20)
#define VIDEORAM_KIB	8192u		/* cirrus, libxl's default */
#define DM_TIMEOUT_MS	60000		/* LIBXL_DEVICE_MODEL_START_TIMEOUT */

static const char *const fw_dirs[] = {
	"/usr/lib/xen-4.17/boot", "/usr/lib/xen/boot", "/usr/libexec/xen/boot",
};
static const char *const bios_paths[] = {
	"/usr/share/seabios/bios-256k.bin", "/usr/share/seabios/bios.bin",
};
static const char *const dm_paths[] = {
	"/usr/lib/xen-4.17/bin/qemu-system-i386",
	"/usr/lib/xen/bin/qemu-system-i386",
	"/usr/libexec/xen/bin/qemu-system-i386", "/usr/bin/qemu-system-i386",
};

static bool
is_sim(const struct xvm_conn *c)
{
	return strncmp(c->uri, "sim://", 6) == 0;
}

uint64_t
ts_hvm_videoram_kib(const struct xvm_domain *dom)
{
	if (dom->nvideos > 0 && dom->videos[0].vram_kib > 0)
		return dom->videos[0].vram_kib;
	return VIDEORAM_KIB;
}

/* The paging pool libxl sizes (libxl_get_required_shadow_memory), bytes */
uint64_t
ts_hvm_pool_bytes(uint64_t maxmem_kib, unsigned vcpus)
{
	return 4 * (256ull * vcpus + 2 * (maxmem_kib / 1024)) * 1024;
}

/* ---- the firmware ---------------------------------------------------------- */

static char *
first_readable(const char *const *paths, size_t n, const char *leaf)
{
	size_t i;
	char *p;

	for (i = 0; i < n; i++) {
		p = leaf ? xvm_asprintf("%s/%s", paths[i], leaf) :
		    xvm_strdup(paths[i]);
		if (access(p, R_OK) == 0)
			return p;
		free(p);
	}
	return NULL;
}

int
ts_hvm_firmware(struct xvm_conn *c, const struct xvm_domain *dom,
    struct ts_hvm_fw *fw, struct xvm_err *err)
{
	const char *l = dom->os.loader;
	char *tmp;

	memset(fw, 0, sizeof(*fw));
	/* xm's kernel = ".../hvmloader" names the host's own, as xl takes it;
	   another path is a firmware override */
	if (l && *l) {
		tmp = xvm_strdup(l);
		if (strcmp(basename(tmp), "hvmloader") != 0)
			fw->loader_path = xvm_strdup(l);
		free(tmp);
	}
	if (fw->loader_path == NULL && is_sim(c)) {
		fw->loader_path = xvm_asprintf("%s/firmware/hvmloader",
		    c->statedir);
		fw->bios_path = xvm_asprintf("%s/firmware/bios-256k.bin",
		    c->statedir);
	} else if (fw->loader_path == NULL) {
		fw->loader_path = first_readable(fw_dirs,
		    XVM_ARRAY_SIZE(fw_dirs), "hvmloader");
		fw->bios_path = first_readable(bios_paths,
		    XVM_ARRAY_SIZE(bios_paths), NULL);
		if (fw->loader_path == NULL)
			return xvm_err_set(err, XVM_ERR_CONFIG, "HVM guests "
			    "need Xen's hvmloader, and it is not in %s, %s or "
			    "%s", fw_dirs[0], fw_dirs[1], fw_dirs[2]);
	}
	if (xvm_file_read(fw->loader_path, FIRMWARE_MAX, &fw->loader,
	    &fw->loader_len, err) < 0 ||
	    (fw->bios_path && xvm_file_read(fw->bios_path, FIRMWARE_MAX,
	    &fw->bios, &fw->bios_len, err) < 0)) {
		ts_hvm_fw_release(fw);
		return -1;
	}
	return 0;
}

void
ts_hvm_fw_release(struct ts_hvm_fw *fw)
{
	free(fw->loader_path);
	free(fw->bios_path);
	free(fw->loader);
	free(fw->bios);
	memset(fw, 0, sizeof(*fw));
}

/* ---- the device model's command line ----------------------------------- */

/* A QEMU option value: commas doubled. */
static char *
qesc(const char *s)
{
	struct xvm_buf b = XVM_BUF_INIT;

	for (; *s; s++) {
		if (*s == ',')
			xvm_buf_putc(&b, ',');
		xvm_buf_putc(&b, *s);
	}
	return xvm_buf_steal(&b);
}

/* IDE index of a disk: hda..hdd (sda.., xvda..) 0..3, else its order. */
static int
ide_index(const struct xvm_disk *d, size_t order)
{
	const char *t = d->target;

	if (t && strlen(t) == 3 && (t[0] == 'h' || t[0] == 's') &&
	    t[1] == 'd' && t[2] >= 'a' && t[2] <= 'd')
		return t[2] - 'a';
	if (t && strlen(t) == 4 && strncmp(t, "xvd", 3) == 0 &&
	    t[3] >= 'a' && t[3] <= 'd')
		return t[3] - 'a';
	return (int)order;
}

void
ts_dm_argv(struct xvm_conn *c, uint32_t id, const struct xvm_domain *dom,
    uint64_t target_kib, struct xvm_strv *v)
{
	const struct xvm_graphics *g = dom->ngraphics ? &dom->graphics[0] :
	    NULL;
	char *path, *e;
	size_t i;
	unsigned vcpus_on = dom->vcpus_current ? dom->vcpus_current :
	    dom->vcpus;

	path = dom->emulator && *dom->emulator ? xvm_strdup(dom->emulator) :
	    first_readable(dm_paths, XVM_ARRAY_SIZE(dm_paths), NULL);
	xvm_strv_push_take(v, path ? path : xvm_strdup(
	    dm_paths[XVM_ARRAY_SIZE(dm_paths) - 1]));
	(void)c;
	xvm_strv_push(v, "-xen-domid");
	xvm_strv_pushf(v, "%" PRIu32, id);
	xvm_strv_push(v, "-no-shutdown");
	xvm_strv_push(v, "-chardev");
	xvm_strv_pushf(v, "socket,id=libxl-cmd,path=/run/xen/qmp-libxl-%"
	    PRIu32 ",server=on,wait=off", id);
	xvm_strv_push(v, "-mon");
	xvm_strv_push(v, "chardev=libxl-cmd,mode=control");
	xvm_strv_push(v, "-nodefaults");
	xvm_strv_push(v, "-no-user-config");
	xvm_strv_push(v, "-name");
	xvm_strv_push_take(v, qesc(dom->name));
	if (g && g->type == XVM_GFX_VNC) {
		const char *listen = g->listen && *g->listen ? g->listen :
		    "127.0.0.1";

		xvm_strv_push(v, "-vnc");
		if (g->port >= 5900 && !g->autoport)
			xvm_strv_pushf(v, "%s:%d", listen, g->port - 5900);
		else
			xvm_strv_pushf(v, "%s:0,to=99", listen);
		if (g->keymap && *g->keymap) {
			xvm_strv_push(v, "-k");
			xvm_strv_push(v, g->keymap);
		}
	} else if (g && g->type == XVM_GFX_SDL) {
		xvm_strv_push(v, "-display");
		xvm_strv_push(v, "sdl");
	}
	if (g) {
		xvm_strv_push(v, "-device");
		if (dom->nvideos && dom->videos[0].model &&
		    strcmp(dom->videos[0].model, "vga") == 0)
			xvm_strv_pushf(v, "VGA,vgamem_mb=%" PRIu64,
			    ts_hvm_videoram_kib(dom) / 1024);
		else
			xvm_strv_pushf(v, "cirrus-vga,vgamem_mb=%" PRIu64,
			    ts_hvm_videoram_kib(dom) / 1024);
	} else {
		xvm_strv_push(v, "-nographic");
	}
	if (dom->nserials) {
		xvm_strv_push(v, "-serial");
		xvm_strv_push(v, "pty");
	}
	{
		char order[8];
		size_t n = 0;

		for (i = 0; i < dom->os.nboot && n < sizeof(order) - 1; i++)
			order[n++] = dom->os.boot[i] == XVM_BOOT_CDROM ? 'd' :
			    dom->os.boot[i] == XVM_BOOT_NETWORK ? 'n' :
			    dom->os.boot[i] == XVM_BOOT_FD ? 'a' : 'c';
		if (n == 0)
			order[n++] = 'c';
		order[n] = '\0';
		xvm_strv_push(v, "-boot");
		xvm_strv_pushf(v, "order=%s", order);
	}
	xvm_strv_push(v, "-smp");
	xvm_strv_pushf(v, "%u,maxcpus=%u", vcpus_on, dom->vcpus);
	for (i = 0; i < dom->nnets; i++) {
		const struct xvm_net *n = &dom->nets[i];

		xvm_strv_push(v, "-device");
		xvm_strv_pushf(v, "%s,id=nic%zu,netdev=net%zu,mac=%02x:%02x:"
		    "%02x:%02x:%02x:%02x", n->model && *n->model &&
		    strcmp(n->model, "netfront") != 0 ? n->model : "rtl8139",
		    i, i, n->mac[0], n->mac[1], n->mac[2], n->mac[3], n->mac[4],
		    n->mac[5]);
		xvm_strv_push(v, "-netdev");
		xvm_strv_pushf(v, "type=tap,id=net%zu,ifname=vif%" PRIu32
		    ".%zu-emu,script=no,downscript=no", i, id, i);
	}
	if (dom->nnets == 0) {
		xvm_strv_push(v, "-net");
		xvm_strv_push(v, "none");
	}
	xvm_strv_push(v, "-machine");
	xvm_strv_push(v, "xenfv");
	xvm_strv_push(v, "-m");
	xvm_strv_pushf(v, "%" PRIu64, target_kib / 1024);
	for (i = 0; i < dom->ndisks; i++) {
		const struct xvm_disk *d = &dom->disks[i];
		bool cd = d->device == XVM_DEV_CDROM;
		int idx = ide_index(d, i);

		if (d->device != XVM_DEV_DISK && !cd)
			continue;
		e = d->src && *d->src ? qesc(d->src) : NULL;
		xvm_strv_push(v, "-drive");
		/* libxl's form; an empty drive has no file */
		if (cd && e)
			xvm_strv_pushf(v, "file=%s,if=ide,index=%d,readonly=on,"
			    "media=cdrom,format=raw,cache=writeback,id=ide-%d",
			    e, idx, (idx < 2 ? 3 * 256 : 22 * 256) +
			    (idx % 2) * 64);
		else if (cd)
			xvm_strv_pushf(v, "if=ide,index=%d,readonly=on,"
			    "media=cdrom,id=ide-%d", idx, (idx < 2 ? 3 * 256 :
			    22 * 256) + (idx % 2) * 64);
		else
			xvm_strv_pushf(v, "file=%s,if=ide,index=%d,media=disk,"
			    "format=%s,cache=writeback", e ? e : "", idx,
			    d->driver_type && *d->driver_type ?
			    d->driver_type : "raw");
		free(e);
	}
}

/* ---- starting and stopping it ---------------------------------------------- */

static char *
log_path(struct xvm_conn *c, const struct xvm_domain *dom)
{
	char *dir = c->logpath ? xvm_strdup(c->logpath) :
	    xvm_asprintf("%s/xvm.log", c->statedir);
	char *p = xvm_asprintf("%s/qemu-dm-%s.log", dirname(dir), dom->name);

	free(dir);
	return p;
}

/* The last line of a log (what a failing QEMU said), or NULL. */
static char *
last_line(const char *path)
{
	char *data = NULL, *end, *start;
	size_t len = 0;

	if (xvm_file_read(path, 1 << 20, &data, &len, NULL) < 0 || len == 0) {
		free(data);
		return NULL;
	}
	end = data + len;
	while (end > data && (end[-1] == '\n' || end[-1] == '\r'))
		end--;
	*end = '\0';
	start = strrchr(data, '\n');
	start = xvm_strdup(start ? start + 1 : data);
	free(data);
	return start;
}

int
ts_dm_start(struct xvm_conn *c, uint32_t id, const struct xvm_domain *dom,
    uint64_t target_kib, struct xvm_err *err)
{
	struct xvm_strv v = XVM_STRV_INIT;
	struct timespec ts = { 0, 20 * 1000 * 1000 };
	char path[96], *state = NULL, *log = log_path(c, dom), *why, *dir;
	long pid = 0;
	int r = -1, waited;

	ts_dm_argv(c, id, dom, target_kib, &v);	/* NULL-terminated */
	dir = xvm_strdup(log);
	(void)xvm_mkdir_p(dirname(dir), 0755, NULL);
	free(dir);
	if (xvm_io_dm_start(c->io, id, v.v, log, &pid, err) < 0)
		goto out;
	if (pid > 0) {
		char num[24];

		snprintf(path, sizeof(path), "/local/domain/%" PRIu32
		    "/image/device-model-pid", id);
		snprintf(num, sizeof(num), "%ld", pid);
		if (xvm_xs_write(c->io, path, num, err) < 0)
			goto out;
	}
	/* ready when it says so (QEMU's xenstore_record_dm_state) */
	snprintf(path, sizeof(path), "/local/domain/0/device-model/%" PRIu32
	    "/state", id);
	for (waited = 0; waited < DM_TIMEOUT_MS; waited += 20) {
		free(state);
		state = NULL;
		if (xvm_xs_read(c->io, path, &state, err) < 0)
			goto out;
		if (state && strcmp(state, "running") == 0) {
			r = 0;
			goto out;
		}
		if (pid > 0 && kill((pid_t)pid, 0) < 0)
			break;			/* it exited */
		nanosleep(&ts, NULL);
	}
	why = last_line(log);
	xvm_err_set(err, XVM_ERR_SYSTEM, "the device model of domain %" PRIu32
	    " %s%s%s (its log: %s)", id, pid > 0 && kill((pid_t)pid, 0) < 0 ?
	    "exited" : "did not start in time", why ? ": " : "",
	    why ? why : "", log);
	free(why);
	xvm_io_dm_stop(c->io, id, pid);
out:
	free(state);
	free(log);
	xvm_strv_release(&v);
	return r;
}

void
ts_dm_stop(struct xvm_conn *c, uint32_t id)
{
	char path[96], *pid = NULL, *state = NULL;

	snprintf(path, sizeof(path), "/local/domain/%" PRIu32
	    "/image/device-model-pid", id);
	(void)xvm_xs_read(c->io, path, &pid, NULL);
	snprintf(path, sizeof(path), "/local/domain/0/device-model/%" PRIu32,
	    id);
	(void)xvm_xs_read(c->io, path, &state, NULL);
	if (pid || state)
		xvm_io_dm_stop(c->io, id, pid ? strtol(pid, NULL, 10) : 0);
	(void)xvm_xs_rm(c->io, path, NULL);
	free(pid);
	free(state);
}

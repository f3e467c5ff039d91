/*
 * sim_hvm.c - the simulated host's HVM side: HVM parameters (hvm_op),
 * a domain's HVM context (get/sethvmcontext), its paging pool, the
 * device model QEMU would be (its command line kept where the simulated
 * firmware reads it), and that firmware: hvmloader and SeaBIOS booting
 * the guest from its emulated CD-ROM or disk, in the device model's boot
 * order.
 *
 * What the firmware can run is what the simulated PV guest can: the
 * simulated installer (an El Torito boot image holding the
 * "xvm-sim-installer poweroff-after=S" line and a tar archive), which
 * puts that system on the first disk and a boot sector before it, and
 * the system it installed, which boots from that disk.  Anything else
 * is reported on the console and the guest stays in its firmware, as a
 * machine without a bootable device does.
 *
 * HVM parameters and the context are pages Xen keeps for the domain
 * (SIM_MEM_HVM runs), so they persist with the host like vcpu contexts.
 */
#define __XEN_TOOLS__ 1

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xen/xen.h>
#include <xen/domctl.h>
#include <xen/hvm/hvm_op.h>
#include <xen/hvm/params.h>
#include <xen/hvm/save.h>
#include <xen/hvm/hvm_info_table.h>
#include <xen/arch-x86/hvm/start_info.h>

#include "xen/io/sim_int.h"
#include "xvm/file.h"
#include "xen/xs_store.h"

#define PARAMS_PFN	0u		/* SIM_MEM_HVM page: u64 params[] */
#define CTX_PFN		16u		/* SIM_MEM_HVM pages: u32 len, records
					   (apart: runs that continue merge) */
#define CTX_PAGES	4u
#define CTX_MAX		(CTX_PAGES * XVM_PAGE_SIZE - 8)
#define POOL_SLOT	511u		/* the paging pool's size, in params */
#define INSTALLER	"xvm-sim-installer"
#define BOOT_MARK	"XVMSIMBOOT"
#define MAX_IMAGE	(64u << 20)
#define VRAM_GFN	0xF0000ull	/* where hvmloader puts the VGA BAR */

/* ---- parameters and the paging pool ------------------------------------ */

static int
params_io(struct sim *s, struct sim_dom *d, uint64_t p[512], bool put,
    bool *dirty)
{
	uint64_t mfn = sim_mem_special(d, SIM_MEM_HVM, PARAMS_PFN);

	if (!put) {
		memset(p, 0, 512 * sizeof(*p));
		return mfn == 0 ? 0 : sim_mem_read(s, mfn * XVM_PAGE_SIZE, p,
		    512 * sizeof(*p), &s->last_err);
	}
	if (mfn == 0) {
		if (sim_mem_alloc(&s->host, d, SIM_MEM_HVM, PARAMS_PFN, 1, 1,
		    &mfn) < 0)
			return -ENOMEM;
		*dirty = true;
	}
	return sim_mem_write(s, mfn * XVM_PAGE_SIZE, p, 512 * sizeof(*p),
	    &s->last_err);
}

uint64_t
sim_hvm_param(struct sim *s, struct sim_dom *d, uint32_t index)
{
	uint64_t p[512];

	if (index >= 512 || params_io(s, d, p, false, NULL) < 0)
		return 0;
	return p[index];
}

long
sim_hvm_op(struct sim *s, unsigned cmd, void *arg, bool *dirty)
{
	struct xen_hvm_param *hp = arg;
	struct sim_dom *d;
	uint64_t p[512];

	if (cmd != HVMOP_set_param && cmd != HVMOP_get_param)
		return -ENOSYS;
	if (hp == NULL)
		return -EFAULT;
	if (hp->domid == DOMID_SELF || sim_dom_find(&s->host, hp->domid) ==
	    NULL)
		return -ESRCH;
	if (hp->index >= HVM_NR_PARAMS)
		return -EINVAL;
	/* reading changes nothing (it runs without the host lock) */
	d = (struct sim_dom *)sim_dom_find(&s->host, hp->domid);
	if (!(d->cdf & XEN_DOMCTL_CDF_hvm))
		return -EINVAL;
	if (params_io(s, d, p, false, NULL) < 0)
		return -EIO;
	if (cmd == HVMOP_get_param) {
		hp->value = p[hp->index];
		return 0;
	}
	d = sim_dom_mut(&s->host, hp->domid);
	/* what Xen checks of the ones a toolstack sets */
	if ((hp->index == HVM_PARAM_STORE_EVTCHN ||
	    hp->index == HVM_PARAM_CONSOLE_EVTCHN) &&
	    hp->value >= d->max_evtchn_port + 1ull)
		return -EINVAL;
	if (hp->index == HVM_PARAM_TIMER_MODE && hp->value > 3)
		return -EINVAL;
	p[hp->index] = hp->value;
	return params_io(s, d, p, true, dirty) < 0 ? -EIO : 0;
}

long
sim_paging_mempool(struct sim *s, struct sim_dom *d, uint64_t bytes,
    bool *dirty)
{
	uint64_t p[512];

	if (d->domid == 0 || !(d->cdf & XEN_DOMCTL_CDF_hvm))
		return -EINVAL;
	if (bytes % XVM_PAGE_SIZE)
		return -EINVAL;
	if (bytes / XVM_PAGE_SIZE > s->host.total_pages -
	    sim_used_pages(&s->host))
		return -ENOMEM;
	if (params_io(s, d, p, false, NULL) < 0)
		return -EIO;
	p[POOL_SLOT] = bytes;
	return params_io(s, d, p, true, dirty) < 0 ? -EIO : 0;
}

/* ---- the HVM context ---------------------------------------------------- */

static void
rec(struct xvm_buf *b, uint16_t code, uint16_t inst, const void *body,
    uint32_t len)
{
	struct hvm_save_descriptor h = { code, inst, len };

	xvm_buf_add(b, &h, sizeof(h));
	if (len)
		xvm_buf_add(b, body, len);
}

/* What Xen holds for a new domain: the header, each vcpu at reset. */
static void
ctx_default(struct sim *s, const struct sim_dom *d, struct xvm_buf *b)
{
	struct hvm_save_header hd;
	struct hvm_hw_cpu c;
	uint32_t v;

	memset(&hd, 0, sizeof(hd));
	hd.magic = HVM_FILE_MAGIC;
	hd.version = HVM_FILE_VERSION;
	hd.cpuid = 0x663;		/* qemu64, as the test bed's CPU */
	hd.gtsc_khz = s->host.cpu_khz;
	rec(b, HVM_SAVE_CODE(HEADER), 0, &hd, sizeof(hd));
	for (v = 0; v < d->max_vcpus; v++) {
		memset(&c, 0, sizeof(c));
		c.rip = 0xfff0;
		c.rflags = 0x2;
		c.cr0 = 0x60000010;
		c.cs_sel = 0xf000;
		c.cs_base = 0xffff0000;
		c.cs_limit = c.ds_limit = c.es_limit = c.fs_limit =
		    c.gs_limit = c.ss_limit = 0xffff;
		c.cs_arbytes = 0x9b;
		c.ds_arbytes = c.es_arbytes = c.fs_arbytes = c.gs_arbytes =
		    c.ss_arbytes = 0x93;
		c.tr_limit = 0xffff;
		c.tr_arbytes = 0x8b;
		c.idtr_limit = c.gdtr_limit = 0xffff;
		rec(b, HVM_SAVE_CODE(CPU), (uint16_t)v, &c, sizeof(c));
	}
	rec(b, HVM_SAVE_CODE(END), 0, NULL, 0);
}

/* The records a domain has (its own, or the defaults), into b. */
static int
ctx_load(struct sim *s, const struct sim_dom *d, struct xvm_buf *b)
{
	uint64_t mfn = sim_mem_special(d, SIM_MEM_HVM, CTX_PFN);
	uint32_t len;

	if (mfn == 0) {
		ctx_default(s, d, b);
		return 0;
	}
	if (sim_mem_read(s, mfn * XVM_PAGE_SIZE, &len, sizeof(len),
	    &s->last_err) < 0 || len > CTX_MAX)
		return -1;
	{
		char *t = xvm_malloc(len ? len : 1);
		int r = sim_mem_read(s, mfn * XVM_PAGE_SIZE + 8, t, len,
		    &s->last_err);

		if (r == 0)
			xvm_buf_add(b, t, len);
		free(t);
		return r;
	}
}

/* The CPU record of vcpu v in a context; false if it has none. */
static bool
ctx_cpu(const struct xvm_buf *b, uint16_t v, struct hvm_hw_cpu *c)
{
	struct hvm_save_descriptor h;
	size_t off = 0;

	while (off + sizeof(h) <= b->len) {
		memcpy(&h, b->data + off, sizeof(h));
		if (h.length > b->len - off - sizeof(h))
			return false;
		if (h.typecode == HVM_SAVE_CODE(CPU) && h.instance == v &&
		    h.length == sizeof(*c)) {
			memcpy(c, b->data + off + sizeof(h), sizeof(*c));
			return true;
		}
		if (h.typecode == HVM_SAVE_CODE(END))
			return false;
		off += sizeof(h) + h.length;
	}
	return false;
}

/* Xen's hvm_load checks: a header of this host, whole records, END. */
static int
ctx_check(const struct sim_dom *d, const uint8_t *p, size_t len)
{
	struct hvm_save_descriptor h;
	struct hvm_save_header hd;
	size_t off = 0;
	bool first = true;

	while (off + sizeof(h) <= len) {
		memcpy(&h, p + off, sizeof(h));
		off += sizeof(h);
		if (h.length > len - off)
			return -EINVAL;
		if (first) {
			if (h.typecode != HVM_SAVE_CODE(HEADER) ||
			    h.length != sizeof(hd))
				return -EINVAL;
			memcpy(&hd, p + off, sizeof(hd));
			if (hd.magic != HVM_FILE_MAGIC ||
			    hd.version != HVM_FILE_VERSION)
				return -EINVAL;
			first = false;
		} else if (h.typecode == HVM_SAVE_CODE(END)) {
			return 0;
		} else if (h.typecode == HVM_SAVE_CODE(CPU) &&
		    (h.instance >= d->max_vcpus ||
		    h.length != sizeof(struct hvm_hw_cpu))) {
			return -EINVAL;
		}
		off += h.length;
	}
	return -EINVAL;				/* no END record */
}

long
sim_hvmcontext(struct sim *s, struct sim_dom *d,
    struct xen_domctl_hvmcontext *hc, bool set, bool *dirty)
{
	struct xvm_buf b = XVM_BUF_INIT;
	uint64_t mfn;
	uint32_t len;
	long r = 0;

	if (!(d->cdf & XEN_DOMCTL_CDF_hvm) || d->domid == 0)
		return -EINVAL;
	if (!set) {
		if (ctx_load(s, d, &b) < 0) {
			r = -EIO;
		} else if (hc->buffer.p == NULL) {
			hc->size = (uint32_t)b.len;
		} else if (hc->size < b.len) {
			r = -ENOSPC;
		} else {
			memcpy(hc->buffer.p, b.data, b.len);
			hc->size = (uint32_t)b.len;
		}
		xvm_buf_release(&b);
		return r;
	}
	if (hc->buffer.p == NULL)
		return -EFAULT;
	if (hc->size > CTX_MAX)
		return -ENOMEM;
	if ((r = ctx_check(d, hc->buffer.p, hc->size)) < 0)
		return r;
	mfn = sim_mem_special(d, SIM_MEM_HVM, CTX_PFN);
	if (mfn == 0) {
		if (sim_mem_alloc(&s->host, d, SIM_MEM_HVM, CTX_PFN, CTX_PAGES,
		    1, &mfn) < 0)
			return -ENOMEM;
		*dirty = true;
	}
	len = hc->size;
	if (sim_mem_write(s, mfn * XVM_PAGE_SIZE, &len, sizeof(len),
	    &s->last_err) < 0 || sim_mem_write(s, mfn * XVM_PAGE_SIZE + 8,
	    hc->buffer.p, len, &s->last_err) < 0)
		return -EIO;
	return 0;
}

/* ---- the device model --------------------------------------------------- */

static char *
dm_path(uint32_t domid, const char *leaf)
{
	return xvm_asprintf("/local/domain/0/device-model/%" PRIu32 "/%s",
	    domid, leaf);
}

/* The value of a QEMU option "-drive a=b,c=d" key (",," is a comma). */
static char *
opt_get(const char *spec, const char *key)
{
	size_t kl = strlen(key);
	const char *p = spec;
	struct xvm_buf v = XVM_BUF_INIT;
	char nul = '\0';

	while (*p) {
		bool match = strncmp(p, key, kl) == 0 && p[kl] == '=';

		if (match)
			p += kl + 1;
		for (; *p; p++) {
			if (*p == ',' && p[1] == ',') {
				if (match)
					xvm_buf_add(&v, p, 1);
				p++;
				continue;
			}
			if (*p == ',')
				break;
			if (match)
				xvm_buf_add(&v, p, 1);
		}
		if (match) {
			xvm_buf_add(&v, &nul, 1);
			return v.data;
		}
		if (*p == ',')
			p++;
	}
	return NULL;
}

int
sim_dm_start(struct sim *s, uint32_t domid, char *const *argv,
    struct xvm_err *err)
{
	const struct sim_dom *d = sim_dom_find(&s->host, domid);
	struct xvm_buf all = XVM_BUF_INIT;
	struct xs_conn *c;
	bool has_dom = false, xenfv = false;
	char *path, *file, nl = '\n';
	size_t i;
	int r = 0;

	if (d == NULL || !(d->cdf & XEN_DOMCTL_CDF_hvm) ||
	    (d->state & SIM_DYING))
		return xvm_err_set(err, XVM_ERR_SYSTEM, "qemu-system-i386: "
		    "failed to map ioreq server pages: domain %u is not an "
		    "HVM guest of this host", domid);
	for (i = 1; argv[i]; i++) {
		if (strchr(argv[i], '\n'))
			r = xvm_err_set(err, XVM_ERR_SYSTEM, "qemu-system-i386:"
			    " an argument holds a newline");
		if (argv[i + 1] == NULL)
			continue;
		if (strcmp(argv[i], "-xen-domid") == 0)
			has_dom = strtoul(argv[i + 1], NULL, 10) == domid;
		else if (strcmp(argv[i], "-machine") == 0)
			xenfv = strncmp(argv[i + 1], "xenfv", 5) == 0;
		else if (strcmp(argv[i], "-drive") == 0 &&
		    (file = opt_get(argv[i + 1], "file")) != NULL) {
			if (r == 0 && access(file, R_OK) < 0)
				r = xvm_err_sys(err, errno, "qemu-system-i386: "
				    "-drive file=%s: Could not open '%s'",
				    file, file);
			free(file);
		}
	}
	/* its video memory, which it populates itself (xen_ram_alloc) */
	for (i = 1; r == 0 && argv[i] && argv[i + 1]; i++) {
		char *mb;
		uint64_t pages, mfn;
		struct sim_dom *m;

		if (strcmp(argv[i], "-device") != 0 ||
		    (mb = opt_get(argv[i + 1], "vgamem_mb")) == NULL)
			continue;
		pages = strtoull(mb, NULL, 10) * 256;
		free(mb);
		m = sim_dom_mut(&s->host, domid);
		if (pages == 0 || sim_mem_pfn_to_mfn(m, VRAM_GFN) >= 0)
			continue;
		if (m->tot_pages + pages > m->max_pages ||
		    sim_mem_alloc(&s->host, m, SIM_MEM_RAM, VRAM_GFN, pages, 1,
		    &mfn) < 0)
			r = xvm_err_set(err, XVM_ERR_SYSTEM, "qemu-system-i386: "
			    "xen: failed to populate ram at %llx",
			    (unsigned long long)VRAM_GFN * XVM_PAGE_SIZE);
		else
			sim_mem_zero(s, mfn, pages);
	}
	if (r == 0 && (!has_dom || !xenfv))
		r = xvm_err_set(err, XVM_ERR_SYSTEM, "qemu-system-i386: not a "
		    "Xen device model command line (-xen-domid %u and "
		    "-machine xenfv wanted)", domid);
	if (r < 0)
		return -1;
	for (i = 0; argv[i]; i++) {
		xvm_buf_add(&all, argv[i], strlen(argv[i]));
		xvm_buf_add(&all, &nl, 1);
	}
	c = xs_conn_new(s->xs, 0);
	path = dm_path(domid, "xvm-sim-argv");
	(void)xs_write(c, 0, path, all.data, all.len);
	free(path);
	path = dm_path(domid, "state");
	(void)xs_write(c, 0, path, "running", 7);
	free(path);
	xs_conn_free(c);
	xvm_buf_release(&all);
	return 0;
}

void
sim_dm_stop(struct sim *s, uint32_t domid)
{
	struct xs_conn *c = xs_conn_new(s->xs, 0);
	char *path = xvm_asprintf("/local/domain/0/device-model/%" PRIu32,
	    domid);

	(void)xs_rm(c, 0, path);
	free(path);
	xs_conn_free(c);
}

/* The device model's command line, one argument a string. */
static int
dm_argv(struct sim *s, uint32_t domid, struct xvm_strv *v)
{
	char *path = dm_path(domid, "xvm-sim-argv"), *all = NULL, *p, *nl;
	size_t len;
	int r = -1;

	if (xs_read(s->gconn, 0, path, &all, &len) == 0) {
		for (p = all; (nl = strchr(p, '\n')) != NULL; p = nl + 1) {
			*nl = '\0';
			xvm_strv_push(v, p);
		}
		r = 0;
	}
	free(all);
	free(path);
	return r;
}

/* The file of the first -drive of that media ("cdrom", "disk"). */
static char *
dm_drive(const struct xvm_strv *v, const char *media)
{
	char *m, *f;
	size_t i;

	for (i = 0; i + 1 < v->n; i++) {
		if (strcmp(v->v[i], "-drive") != 0)
			continue;
		m = opt_get(v->v[i + 1], "media");
		f = opt_get(v->v[i + 1], "file");
		if (m && f && strcmp(m, media) == 0) {
			free(m);
			return f;
		}
		free(m);
		free(f);
	}
	return NULL;
}

/* ---- what the firmware reads from its drives ----------------------------- */

static int
pread_all(int fd, void *buf, size_t len, uint64_t off)
{
	ssize_t n;
	size_t got = 0;

	while (got < len) {
		n = pread(fd, (char *)buf + got, len - got, (off_t)(off + got));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		got += (size_t)n;
	}
	return 0;
}

int
sim_eltorito_parse(const unsigned char vd[2048], const unsigned char cat[2048],
    uint32_t *catalog_r, uint64_t *off_r, uint32_t *len_r)
{
	static const char spec[] = "EL TORITO SPECIFICATION";
	const unsigned char *e;
	uint32_t lba, count;
	unsigned sum = 0, i;

	if (cat == NULL) {
		if (vd[0] != 0 || memcmp(vd + 1, "CD001", 5) != 0 ||
		    vd[6] != 1 || memcmp(vd + 7, spec, sizeof(spec) - 1) != 0)
			return -1;
		*catalog_r = (uint32_t)vd[0x47] | (uint32_t)vd[0x48] << 8 |
		    (uint32_t)vd[0x49] << 16 | (uint32_t)vd[0x4a] << 24;
		return 0;
	}
	/* the validation entry: header 1, key 55 AA, words summing to 0 */
	if (cat[0] != 1 || cat[30] != 0x55 || cat[31] != 0xAA)
		return -1;
	for (i = 0; i < 32; i += 2)
		sum += (unsigned)cat[i] | (unsigned)cat[i + 1] << 8;
	if ((sum & 0xffff) != 0)
		return -1;
	e = cat + 32;			/* the initial (default) entry */
	if (e[0] != 0x88)
		return -2;		/* not bootable */
	count = (uint32_t)e[6] | (uint32_t)e[7] << 8;
	lba = (uint32_t)e[8] | (uint32_t)e[9] << 8 | (uint32_t)e[10] << 16 |
	    (uint32_t)e[11] << 24;
	*off_r = (uint64_t)lba * 2048;
	/* no emulation: count 512-byte sectors; an emulated disk: 1 */
	*len_r = e[1] == 0 ? (count ? count : 1) * 512u : 512u;
	return 0;
}

/*
 * The boot image of the CD-ROM at path: 0 and a malloc'ed copy, 1 when
 * the disc does not boot (no El Torito record), -1 on a read error.
 */
static int
cd_boot_image(const char *path, unsigned char **img_r, size_t *len_r)
{
	unsigned char vd[2048], cat[2048];
	uint32_t catalog, len;
	uint64_t off;
	int fd, r = 1;

	*img_r = NULL;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	if (pread_all(fd, vd, sizeof(vd), 17 * 2048) == 0 &&
	    sim_eltorito_parse(vd, NULL, &catalog, NULL, NULL) == 0 &&
	    pread_all(fd, cat, sizeof(cat), (uint64_t)catalog * 2048) == 0 &&
	    sim_eltorito_parse(vd, cat, &catalog, &off, &len) == 0 &&
	    len <= MAX_IMAGE) {
		*img_r = xvm_malloc(len);
		r = pread_all(fd, *img_r, len, off) == 0 ? 0 : -1;
		*len_r = len;
		if (r < 0) {
			free(*img_r);
			*img_r = NULL;
		}
	}
	close(fd);
	return r;
}

/* The simulated installer's line at the start of a boot image. */
static bool
installer(const unsigned char *img, size_t len, double *secs_r)
{
	char head[128], *p;
	size_t n = len < sizeof(head) - 1 ? len : sizeof(head) - 1;

	memcpy(head, img, n);
	head[n] = '\0';
	if (strncmp(head, INSTALLER, sizeof(INSTALLER) - 1) != 0 ||
	    (p = strstr(head, "poweroff-after=")) == NULL)
		return false;
	*secs_r = strtod(p + 15, NULL);
	return *secs_r >= 0 && *secs_r <= 86400;
}

/* ---- the firmware -------------------------------------------------------- */

static int
gpa_read(struct sim *s, struct sim_dom *d, uint64_t gpa, void *buf,
    size_t len)
{
	size_t chunk;
	int64_t mfn;

	while (len > 0) {
		chunk = XVM_PAGE_SIZE - (size_t)(gpa % XVM_PAGE_SIZE);
		if (chunk > len)
			chunk = len;
		if ((mfn = sim_mem_pfn_to_mfn(d, gpa / XVM_PAGE_SIZE)) < 0 ||
		    sim_mem_read(s, (uint64_t)mfn * XVM_PAGE_SIZE + gpa %
		    XVM_PAGE_SIZE, buf, chunk, NULL) < 0)
			return -1;
		gpa += chunk;
		buf = (char *)buf + chunk;
		len -= chunk;
	}
	return 0;
}

/* What hvmloader checks before it runs SeaBIOS; NULL when all is there. */
static const char *
loaded(struct sim *s, struct sim_dom *d, const struct hvm_hw_cpu *c)
{
	struct hvm_start_info si;
	struct hvm_modlist_entry m;
	struct hvm_info_table t;
	unsigned char code[16], sum = 0, *p = (unsigned char *)&t;
	char name[16];
	uint32_t i;
	bool fw = false;

	if (!(c->cr0 & 1) || gpa_read(s, d, c->rip, code, sizeof(code)) < 0)
		return "vcpu 0 does not start in protected mode in its RAM";
	for (i = 0; i < sizeof(code) && code[i] == 0; i++)
		;
	if (i == sizeof(code))
		return "nothing is loaded at its entry point";
	if (gpa_read(s, d, c->rbx, &si, sizeof(si)) < 0 ||
	    si.magic != XEN_HVM_START_MAGIC_VALUE)
		return "%ebx does not point at an hvm_start_info";
	for (i = 0; i < si.nr_modules && i < 16; i++) {
		if (gpa_read(s, d, si.modlist_paddr + i * sizeof(m), &m,
		    sizeof(m)) < 0 || gpa_read(s, d, m.cmdline_paddr, name,
		    sizeof(name)) < 0)
			return "its module list is not in its RAM";
		name[sizeof(name) - 1] = '\0';
		if (strcmp(name, "firmware") == 0 && m.size > 0)
			fw = true;
	}
	if (!fw)
		return "hvmloader has no firmware module (SeaBIOS)";
	if (gpa_read(s, d, 0x9F800, &t, sizeof(t)) < 0 ||
	    memcmp(t.signature, "HVM INFO", 8) != 0)
		return "there is no hvm_info_table";
	for (i = 0; i < sizeof(t); i++)
		sum += p[i];
	if (sum != 0 || t.nr_vcpus != d->max_vcpus)
		return "its hvm_info_table is damaged";
	return NULL;
}

/* The pfn of the console ring (HVM_PARAM_CONSOLE_PFN), as a machine frame */
uint64_t
sim_hvm_console_mfn(struct sim *s, struct sim_dom *d)
{
	int64_t m = sim_mem_pfn_to_mfn(d, sim_hvm_param(s, d,
	    HVM_PARAM_CONSOLE_PFN));

	return m < 0 ? 0 : (uint64_t)m;
}

void
sim_hvm_boot(struct sim *s, struct sim_dom *d)
{
	struct xvm_strv argv = XVM_STRV_INIT;
	struct xvm_buf ctx = XVM_BUF_INIT;
	struct hvm_hw_cpu cpu;
	const char *why, *order = "cd";
	unsigned char *img = NULL, mbr[512];
	char line[600], *file = NULL;
	size_t i, len = 0;
	double secs;
	int fd, r;

	if (ctx_load(s, d, &ctx) < 0 || !ctx_cpu(&ctx, 0, &cpu)) {
		xvm_buf_release(&ctx);
		sim_guest_crash(s, d, "simulated HVM guest crashed: vcpu 0 "
		    "has no context");
		return;
	}
	xvm_buf_release(&ctx);
	if ((why = loaded(s, d, &cpu)) != NULL) {
		snprintf(line, sizeof(line), "simulated HVM guest crashed: %s",
		    why);
		sim_guest_crash(s, d, line);
		return;
	}
	if (dm_argv(s, d->domid, &argv) < 0) {
		sim_guest_crash(s, d, "simulated HVM guest crashed: hvmloader "
		    "found no device model (no ioreq server)");
		return;
	}
	for (i = 0; i + 1 < argv.n; i++)
		if (strcmp(argv.v[i], "-boot") == 0 &&
		    strncmp(argv.v[i + 1], "order=", 6) == 0)
			order = argv.v[i + 1] + 6;
	snprintf(line, sizeof(line), "xvm simulated hvmloader: HVM Loader "
	    "(domain %u, %u vcpus)\r\nxvm simulated SeaBIOS: boot order "
	    "%s\r\n", d->domid, d->max_vcpus, order);
	sim_guest_line(s, d, line);
	for (; *order; order++) {
		free(file);
		free(img);
		img = NULL;
		file = NULL;
		if (*order == 'd') {
			if ((file = dm_drive(&argv, "cdrom")) == NULL)
				continue;
			snprintf(line, sizeof(line), "Booting from DVD/CD "
			    "(%s)...\r\n", file);
			sim_guest_line(s, d, line);
			r = cd_boot_image(file, &img, &len);
			if (r != 0) {
				sim_guest_line(s, d, r > 0 ? "Boot failed: "
				    "not a bootable disc\r\n" : "Boot failed: "
				    "could not read from CDROM (code 0003)\r\n");
				continue;
			}
			if (!installer(img, len, &secs)) {
				sim_guest_line(s, d, "xvm simulated SeaBIOS: "
				    "the disc's boot image is not the simulated"
				    " installer; it cannot run here\r\n");
				goto out;
			}
			sim_guest_line(s, d, "xvm simulated installer: "
			    "installing the system\r\n");
			sim_guest_installing(s, d, secs);
			goto out;
		}
		if (*order == 'c') {
			if ((file = dm_drive(&argv, "disk")) == NULL)
				continue;
			snprintf(line, sizeof(line), "Booting from Hard Disk "
			    "(%s)...\r\n", file);
			sim_guest_line(s, d, line);
			fd = open(file, O_RDONLY | O_CLOEXEC);
			r = fd >= 0 ? pread_all(fd, mbr, sizeof(mbr), 0) : -1;
			if (fd >= 0)
				close(fd);
			if (r < 0 || mbr[510] != 0x55 || mbr[511] != 0xAA) {
				sim_guest_line(s, d, "Boot failed: not a "
				    "bootable disk\r\n");
				continue;
			}
			if (memcmp(mbr + 3, BOOT_MARK, sizeof(BOOT_MARK) - 1)) {
				sim_guest_line(s, d, "xvm simulated SeaBIOS: "
				    "the disk's boot sector is not the simulated"
				    " system's; it cannot run here\r\n");
				goto out;
			}
			snprintf(line, sizeof(line), "xvm simulated HVM guest: "
			    "booted from %s (domain %u)\r\n", file, d->domid);
			sim_guest_up(s, d, line);
			goto out;
		}
		if (*order == 'n')
			sim_guest_line(s, d, "xvm simulated SeaBIOS: no "
			    "network boot on the simulated host\r\n");
	}
	sim_guest_line(s, d, "No bootable device.\r\n");
out:
	free(file);
	free(img);
	xvm_strv_release(&argv);
}

/*
 * The installer at work: the system after the boot image's first line
 * put on the first disk, with a boot sector the firmware boots.
 */
void
sim_hvm_install(struct sim *s, struct sim_dom *d)
{
	struct xvm_strv argv = XVM_STRV_INIT;
	unsigned char *img = NULL, *nl, mbr[512];
	char *cd = NULL, *disk = NULL, why[400];
	size_t len = 0;
	int n, fd;

	if (dm_argv(s, d->domid, &argv) < 0 ||
	    (cd = dm_drive(&argv, "cdrom")) == NULL ||
	    cd_boot_image(cd, &img, &len) != 0 ||
	    (nl = memchr(img, '\n', len)) == NULL || nl + 1 == img + len) {
		sim_guest_line(s, d, "xvm simulated installer: no system to "
		    "install\r\n");
		goto out;
	}
	if ((disk = dm_drive(&argv, "disk")) == NULL) {
		sim_guest_line(s, d, "xvm simulated installer: no disk to "
		    "install to\r\n");
		goto out;
	}
	n = sim_install_system(disk, nl + 1, len - (size_t)(nl + 1 - img), why,
	    sizeof(why));
	if (n >= 0) {
		/* a boot loader in the first sector, which ext2 leaves free */
		memset(mbr, 0, sizeof(mbr));
		mbr[0] = 0xEB;
		mbr[1] = 0x3C;
		mbr[2] = 0x90;
		memcpy(mbr + 3, BOOT_MARK, sizeof(BOOT_MARK) - 1);
		snprintf((char *)mbr + 16, 64, "xvm simulated boot loader");
		mbr[510] = 0x55;
		mbr[511] = 0xAA;
		fd = open(disk, O_WRONLY | O_CLOEXEC);
		if (fd < 0 || pwrite(fd, mbr, sizeof(mbr), 0) !=
		    (ssize_t)sizeof(mbr)) {
			n = -1;
			snprintf(why, sizeof(why), "cannot write its boot "
			    "sector: %s", strerror(errno));
		}
		if (fd >= 0)
			close(fd);
	}
	sim_guest_installed(s, d, n, why, disk);
out:
	free(cd);
	free(disk);
	free(img);
	xvm_strv_release(&argv);
}

/* ---- the firmware files of the simulated host ----------------------------- */

/*
 * What the simulated host has installed where a Xen host has hvmloader
 * and SeaBIOS (DIR/firmware): a 32-bit ELF executable loaded at 1 MiB
 * whose code halts, and a BIOS image; the toolstack loads them as it
 * loads the real ones, and the simulated firmware above stands for what
 * they do.  Written once, when missing.
 */
void
sim_firmware_install(const char *dir)
{
	static const unsigned char code[] = { 0xfa, 0xf4, 0xeb, 0xfd };
	static const char text[] = "xvm simulated hvmloader";
	char *fw = xvm_asprintf("%s/firmware", dir);
	char *loader = xvm_asprintf("%s/hvmloader", fw);
	char *bios = xvm_asprintf("%s/bios-256k.bin", fw);
	unsigned char elf[sizeof(Elf32_Ehdr) + sizeof(Elf32_Phdr) +
	    sizeof(code) + sizeof(text)];
	Elf32_Ehdr eh;
	Elf32_Phdr ph;
	unsigned char *b;
	size_t off = sizeof(eh) + sizeof(ph);

	if (access(loader, R_OK) == 0 && access(bios, R_OK) == 0)
		goto out;
	if (xvm_mkdir_p(fw, 0755, NULL) < 0)
		goto out;
	memset(&eh, 0, sizeof(eh));
	memcpy(eh.e_ident, ELFMAG, SELFMAG);
	eh.e_ident[EI_CLASS] = ELFCLASS32;
	eh.e_ident[EI_DATA] = ELFDATA2LSB;
	eh.e_ident[EI_VERSION] = EV_CURRENT;
	eh.e_type = ET_EXEC;
	eh.e_machine = EM_386;
	eh.e_version = EV_CURRENT;
	eh.e_entry = 0x100000 + (uint32_t)off;
	eh.e_phoff = sizeof(eh);
	eh.e_ehsize = sizeof(eh);
	eh.e_phentsize = sizeof(ph);
	eh.e_phnum = 1;
	memset(&ph, 0, sizeof(ph));
	ph.p_type = PT_LOAD;
	ph.p_offset = 0;
	ph.p_vaddr = ph.p_paddr = 0x100000;
	ph.p_filesz = (uint32_t)sizeof(elf);
	ph.p_memsz = (uint32_t)sizeof(elf) + 4096;	/* and its bss */
	ph.p_flags = PF_R | PF_X;
	ph.p_align = 4096;
	memcpy(elf, &eh, sizeof(eh));
	memcpy(elf + sizeof(eh), &ph, sizeof(ph));
	memcpy(elf + off, code, sizeof(code));
	memcpy(elf + off + sizeof(code), text, sizeof(text));
	(void)xvm_file_write_atomic(loader, elf, sizeof(elf), 0644, NULL);
	b = xvm_calloc(1, 65536);
	snprintf((char *)b, 64, "xvm simulated SeaBIOS");
	b[65536 - 16] = 0xea;		/* the reset vector: a far jump */
	(void)xvm_file_write_atomic(bios, b, 65536, 0644, NULL);
	free(b);
out:
	free(fw);
	free(loader);
	free(bios);
}

/* ---- what its PV drivers do -------------------------------------------------- */

/* They register the callback Xen signals them with (a vector, type 2). */
void
sim_hvm_pv_drivers(struct sim *s, struct sim_dom *d)
{
	uint64_t p[512];
	bool dirty = false;

	if (params_io(s, d, p, false, NULL) < 0)
		return;
	p[HVM_PARAM_CALLBACK_IRQ] = (2ull << 56) | 0xf3;
	(void)params_io(s, d, p, true, &dirty);
}

/* Is gfn guest RAM (not the video memory or the special pages)? */
static bool
ram_gfn(uint64_t gfn)
{
	return gfn < VRAM_GFN || gfn >= 0x100000;
}

/*
 * The balloon driver of an HVM guest: its RAM (below the MMIO hole and
 * above 4 GiB) toward want pages - frames given back from the top of low
 * RAM down to 16 MiB, taken again into the holes it left, up to the end
 * of low RAM hvmloader was told of.
 */
void
sim_hvm_balloon(struct sim *s, struct sim_dom *d, uint64_t want)
{
	struct hvm_info_table t;
	uint64_t ram = 0, gfn, mfn, floor = 0x1000;
	int64_t m;
	uint32_t i;

	if (gpa_read(s, d, 0x9F800, &t, sizeof(t)) < 0 ||
	    memcmp(t.signature, "HVM INFO", 8) != 0)
		return;
	for (i = 0; i < d->nruns; i++)
		if (d->runs[i].kind == SIM_MEM_RAM && ram_gfn(d->runs[i].pfn))
			ram += d->runs[i].count;
	for (gfn = t.low_mem_pgend; ram > want && gfn-- > floor;) {
		if ((m = sim_mem_pfn_to_mfn(d, gfn)) < 0 ||
		    sim_mem_free(&s->host, d, (uint64_t)m, 1) < 0)
			continue;
		sim_mem_zero(s, (uint64_t)m, 1);
		ram--;
	}
	for (gfn = floor; ram < want && gfn < t.low_mem_pgend; gfn++) {
		if (sim_mem_pfn_to_mfn(d, gfn) >= 0)
			continue;
		if (d->tot_pages + 1 > d->max_pages ||
		    sim_mem_alloc(&s->host, d, SIM_MEM_RAM, gfn, 1, 1, &mfn) < 0)
			break;
		sim_mem_zero(s, mfn, 1);
		ram++;
	}
}

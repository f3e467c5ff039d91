/*
 * t_save.c - save and restore of a PV domain through Xen's stream format
 * on a simulated host: the test guest is built, a marker is written into
 * its memory, it is saved (suspended, streamed, destroyed) and restored
 * (its memory, its page tables, its p2m and start_info made right for new
 * machine frames), twice; the restored guest says "resumed" and still
 * answers a shutdown request.  A save that fails after the suspend leaves
 * the guest running (fast resume); damaged and truncated files are refused
 * before anything is created.
 */
#define __XEN_TOOLS__ 1
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <elf.h>
#include <xen/xen.h>
#include <xen/domctl.h>
#include <xen/io/console.h>

#include "xvm/domain.h"
#include "xvm/file.h"
#include "xvm/toolstack.h"
#include "xen/io/io.h"
#include "xen/pvsave.h"
#include "xen/savefile.h"
#include "xen/xc.h"
#include "toolstack/ts_int.h"
#include "t.h"
#include "t_host.h"

#define MARKER_PFN	12000
static const char marker[] = "xvm save/restore marker";

static int
word(struct xvm_io *io, uint32_t d, uint64_t mfn, unsigned idx, uint64_t *v)
{
	struct xvm_err err;
	uint64_t *p = xvm_xc_map(io, d, PROT_READ, &mfn, 1, &err);

	if (p == NULL)
		return -1;
	*v = p[idx];
	xvm_io_unmap_foreign(io, p, 1);
	return 0;
}

/* The guest's own p2m entry for pfn, through what shared_info says. */
static int
guest_mfn(struct xvm_io *io, uint32_t d, uint64_t pfn, uint64_t *mfn)
{
	struct xvm_err err;
	uint64_t sh, t, e = 0, va;
	shared_info_t *s;
	int l;

	if (xvm_xc_shared_info_frame(io, d, &sh, &err) < 0 ||
	    (s = xvm_xc_map(io, d, PROT_READ, &sh, 1, &err)) == NULL)
		return -1;
	t = s->arch.p2m_cr3 >> 12;
	va = s->arch.p2m_vaddr + pfn * 8;
	xvm_io_unmap_foreign(io, s, 1);
	if (t == 0)
		return -1;
	for (l = 4; l >= 1; l--) {
		if (word(io, d, t, (unsigned)(va >> (12 + 9 * (l - 1))) & 511,
		    &e) < 0 || !(e & 1))
			return -1;
		t = (e & 0x000ffffffffff000ull) >> 12;
	}
	return word(io, d, t, (unsigned)(va & 4095) / 8, mfn);
}

static int
page_io(struct xvm_io *io, uint32_t d, uint64_t mfn, void *buf, size_t len,
    bool put)
{
	struct xvm_err err;
	unsigned char *p = xvm_xc_map(io, d, PROT_READ | PROT_WRITE, &mfn, 1,
	    &err);

	if (p == NULL)
		return -1;
	if (put)
		memcpy(p, buf, len);
	else
		memcpy(buf, p, len);
	xvm_io_unmap_foreign(io, p, 1);
	return 0;
}

static bool
has_marker(struct xvm_io *io, uint32_t d)
{
	char buf[sizeof(marker)];
	uint64_t mfn;

	return guest_mfn(io, d, MARKER_PFN, &mfn) == 0 &&
	    page_io(io, d, mfn, buf, sizeof(buf), false) == 0 &&
	    memcmp(buf, marker, sizeof(marker)) == 0;
}

/* The text of the guest's console ring. */
static char *
console(struct xvm_conn *c, uint32_t d)
{
	struct xencons_interface r;
	struct xvm_err err;
	char path[64], *v = NULL, *text;
	uint64_t mfn;
	uint32_t k;

	snprintf(path, sizeof(path), "/local/domain/%u/console/ring-ref", d);
	if (xvm_xs_read(c->io, path, &v, &err) <= 0)
		return xvm_strdup("");
	mfn = strtoull(v, NULL, 10);
	free(v);
	if (page_io(c->io, d, mfn, &r, sizeof(r), false) < 0)
		return xvm_strdup("");
	text = xvm_malloc(sizeof(r.out) + 1);
	for (k = 0; k < r.out_prod && k < sizeof(r.out); k++)
		text[k] = r.out[k];
	text[k] = '\0';
	return text;
}

static uint64_t
free_pages(struct xvm_conn *c)
{
	struct xvm_physinfo pi;
	struct xvm_err err;

	return xvm_xc_physinfo(c->io, &pi, &err) == 0 ? pi.free_pages : 0;
}

static int
dominfo(struct xvm_conn *c, uint32_t d, struct xvm_dominfo *di)
{
	struct xvm_err err;

	return xvm_xc_domain_info(c->io, d, di, &err);
}

static size_t
ndomains(struct xvm_conn *c)
{
	struct xvm_domstat *l = NULL;
	struct xvm_err err;
	size_t n = 0;

	if (xvm_list(c, &l, &n, &err) < 0)
		return 0;
	xvm_domstat_free(l, n);
	return n;
}

#define WAIT_FOR(cond) do {						\
	int k_;								\
	for (k_ = 0; k_ < 300 && !(cond); k_++) {			\
		struct timespec ts_ = { 0, 10 * 1000 * 1000 };		\
		nanosleep(&ts_, NULL);					\
	}								\
} while (0)

/*
 * A dump-core file read as a tool would: its sections by name, the page
 * the .xen_p2m section gives for pfn, and the header note's figures.
 */
static bool
core_has_marker(const char *file, uint64_t pfn, uint64_t *pages_r)
{
	char *data = NULL;
	size_t len = 0, i;
	struct xvm_err err;
	const Elf64_Ehdr *eh;
	const Elf64_Shdr *sh, *p2m = NULL, *pages = NULL, *note = NULL;
	bool found = false;

	if (xvm_file_read(file, 1ull << 30, &data, &len, &err) < 0)
		return false;
	eh = (const Elf64_Ehdr *)(void *)data;
	if (len < sizeof(*eh) || memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0 ||
	    eh->e_type != ET_CORE || eh->e_shoff + eh->e_shnum * 64 > len)
		goto out;
	sh = (const Elf64_Shdr *)(void *)(data + eh->e_shoff);
	for (i = 0; i < eh->e_shnum; i++) {
		const char *name = data + sh[eh->e_shstrndx].sh_offset +
		    sh[i].sh_name;

		if (strcmp(name, ".xen_p2m") == 0)
			p2m = &sh[i];
		else if (strcmp(name, ".xen_pages") == 0)
			pages = &sh[i];
		else if (strcmp(name, ".note.Xen") == 0)
			note = &sh[i];
	}
	if (!p2m || !pages || !note || pages->sh_offset % 4096 != 0)
		goto out;
	/* the second note is the header: magic, vcpus, pages, page size */
	{
		const uint64_t *hd = (const uint64_t *)(void *)(data +
		    note->sh_offset + 16 + 16);

		if (hd[0] != 0xF00FEBEDull || hd[3] != 4096 ||
		    hd[2] != p2m->sh_size / 16)
			goto out;
		*pages_r = hd[2];
	}
	for (i = 0; i < p2m->sh_size / 16; i++) {
		const uint64_t *e = (const uint64_t *)(void *)(data +
		    p2m->sh_offset + i * 16);

		if (e[0] == pfn)
			found = memcmp(data + pages->sh_offset + i * 4096,
			    marker, sizeof(marker)) == 0;
	}
out:
	free(data);
	return found;
}

/* Damaged copies of a good file are refused and leave nothing behind. */
static void
t_damaged(struct xvm_conn *c, const char *good, const char *dir)
{
	char *data = NULL, *bad = xvm_asprintf("%s/bad", dir);
	size_t len = 0, i;
	struct xvm_err err;
	uint64_t before = free_pages(c);
	size_t doms = ndomains(c);
	uint32_t id;
	bool all = true, named = true;

	if (!T_OK(xvm_file_read(good, 1ull << 30, &data, &len, &err) == 0,
	    "read the save file"))
		return;
	{
		const size_t cuts[] = { 0, 10, 47, 52, 60, 100, len / 3,
		    len / 2, len - 4096, len - 9, len - 1 };

		for (i = 0; i < XVM_ARRAY_SIZE(cuts); i++) {
			xvm_err_clear(&err);
			(void)unlink(bad);
			if (xvm_file_write_atomic(bad, data, cuts[i], 0600,
			    &err) < 0 ||
			    xvm_restore(c, bad, 0, &id, &err) == 0)
				all = false;
			else if (strstr(err.msg, bad) == NULL)
				named = false;
		}
	}
	T_OK(all, "a file cut short anywhere is refused");
	T_OK(named, "and the error names the file");
	{
		/*
		 * flipped bytes: the magic, the flags, the config's length,
		 * the libxl header, its LIBXC_CONTEXT record, the libxc
		 * image header, the two END records
		 */
		size_t h = 52 + (size_t)((unsigned char)data[48] |
		    (unsigned char)data[49] << 8);
		const size_t at[] = { 3, 36, 49, h + 2, h + 16, h + 24 + 9,
		    len - 16, len - 8 };

		all = true;
		for (i = 0; i < XVM_ARRAY_SIZE(at); i++) {
			data[at[i]] ^= 0x5a;
			(void)unlink(bad);
			if (xvm_file_write_atomic(bad, data, len, 0600,
			    &err) < 0 ||
			    xvm_restore(c, bad, 0, &id, &err) == 0)
				all = false;
			data[at[i]] ^= 0x5a;
		}
		T_OK(all, "damaged headers, records and ends are refused");
	}
	(void)unlink(bad);
	if (xvm_file_write_atomic(bad, data, len, 0600, &err) == 0) {
		int fd = open(bad, O_WRONLY | O_APPEND);

		if (fd >= 0) {
			T_OK(write(fd, "junk", 4) == 4, "junk appended");
			close(fd);
		}
		T_OK(xvm_restore(c, bad, 0, &id, &err) < 0 &&
		    strstr(err.msg, "after the stream's end") != NULL,
		    "bytes after the end are refused");
	}
	T_EQ(ndomains(c), doms, "no domain was left by the refusals");
	T_EQ(free_pages(c), before, "and no memory");
	(void)unlink(bad);
	free(bad);
	free(data);
}

static void
t_save_restore(const char *guest)
{
	struct t_host h;
	char *file = NULL, *file2 = NULL, *text;
	struct xvm_conn *c;
	struct xvm_domain *dom = xvm_domain_new();
	struct xvm_dominfo di;
	struct xvm_err err;
	struct stat st;
	uint64_t mfn, free0;
	uint32_t d, d2;
	unsigned char uuid[16];

	xvm_err_clear(&err);
	if (!T_OK(t_host_open(&h, &err) == 0, "a host"))
		goto out;
	c = h.c;
	file = xvm_asprintf("%s/g1.save", h.dir);
	file2 = xvm_asprintf("%s/g1.save2", h.dir);
	free0 = free_pages(c);
	dom->name = xvm_strdup("g1");
	dom->memory_kib = dom->current_kib = 64 << 10;
	dom->vcpus = 2;
	dom->os.type = XVM_OS_LINUX;
	dom->os.kernel = xvm_strdup(guest);
	dom->os.cmdline = xvm_strdup("console=hvc0");
	if (!T_OK(xvm_create(c, dom, 0, &d, &err) == 0, "the test guest")) {
		printf("# %s\n", err.msg);
		goto out;
	}
	T_OK(dominfo(c, d, &di) == 0, "runs");
	memcpy(uuid, di.handle, 16);
	T_OK(guest_mfn(c->io, d, MARKER_PFN, &mfn) == 0 &&
	    page_io(c->io, d, mfn, (void *)marker, sizeof(marker), true) == 0,
	    "a marker in its memory, found through its own p2m");

	/* a save that fails after the suspend: the guest runs on */
	{
		uint64_t sh, max = 0;
		shared_info_t *s;

		T_OK(xvm_xc_shared_info_frame(c->io, d, &sh, &err) == 0 &&
		    (s = xvm_xc_map(c->io, d, PROT_READ | PROT_WRITE, &sh, 1,
		    &err)) != NULL, "its shared info");
		if (s != NULL) {
			max = s->arch.max_pfn;
			s->arch.max_pfn = 0;	/* as if it had no p2m */
			xvm_io_unmap_foreign(c->io, s, 1);
		}
		T_EQ(xvm_save(c, d, file, &err), -1,
		    "a guest without a published p2m cannot be saved");
		T_OK(strstr(err.msg, "has not published its p2m") != NULL,
		    "said so");
		T_OK(access(file, F_OK) != 0, "no file");
		T_OK(dominfo(c, d, &di) == 0 && !di.shutdown,
		    "the guest was resumed");
		text = console(c, d);
		T_OK(strstr(text, "suspend cancelled") != NULL,
		    "its suspend cancelled (fast resume)");
		free(text);
		if ((s = xvm_xc_map(c->io, d, PROT_READ | PROT_WRITE, &sh, 1,
		    &err)) != NULL) {
			s->arch.max_pfn = max;
			xvm_io_unmap_foreign(c->io, s, 1);
		}
	}

	/* its core, as xm dump-core writes it */
	{
		char *core = xvm_asprintf("%s/g1.core", h.dir);
		uint64_t pages = 0, n = 0;

		T_EQ(xvm_dump_core(c, d, core, 0, &pages, &err), 0,
		    "dump its core");
		T_OK(core_has_marker(core, MARKER_PFN, &n) && n == pages &&
		    pages == 16384, "an ELF core whose .xen_p2m and "
		    ".xen_pages hold the marker at its pfn, 16384 pages");
		T_OK(dominfo(c, d, &di) == 0 && !di.paused && !di.shutdown,
		    "the domain runs on (unpaused after the dump)");
		T_EQ(xvm_dump_core(c, d, core, 0, NULL, &err), -1,
		    "not over an existing core");
		free(core);
	}

	/* a paused guest cannot answer the suspend */
	T_EQ(xvm_pause(c, d, &err), 0, "pause it");
	T_EQ(xvm_save(c, d, file, &err), -1, "a paused domain is not saved");
	T_OK(strstr(err.msg, "is paused") != NULL, "said so");
	T_EQ(xvm_unpause(c, d, &err), 0, "unpause it");

	/* ballooned down: the pages it gave back are not saved */
	{
		char path[64];

		snprintf(path, sizeof(path), "/local/domain/%u/memory/target",
		    d);
		T_EQ(xvm_xs_write(c->io, path, "49152", &err), 0,
		    "balloon it to 48 MiB");
		WAIT_FOR(dominfo(c, d, &di) == 0 && di.tot_pages == 12288);
		T_EQ(di.tot_pages, 12288, "it did");
		T_OK(has_marker(c->io, d), "the marker kept");
	}

	/* save */
	if (!T_EQ(xvm_save(c, d, file, &err), 0, "save it")) {
		printf("# %s\n", err.msg);
		goto out;
	}
	T_OK(stat(file, &st) == 0 && (st.st_mode & 0777) == 0600 &&
	    st.st_size > (48 << 20) && st.st_size < (49 << 20),
	    "a file of its 48 MiB, mode 0600");
	T_OK(dominfo(c, d, &di) < 0, "the domain is gone");
	T_EQ(free_pages(c), free0, "its memory back to the host");
	{
		int fd = open(file, O_RDONLY);
		struct xvm_sf_in in;
		uint64_t pages = 0;

		xvm_sf_in_fd(&in, fd, file);
		T_OK(fd >= 0 && xvm_sf_check(&in, &pages, &err) == 0 &&
		    pages == 12288, "the file checks: 12288 pages");
		if (fd >= 0)
			close(fd);
	}
	t_damaged(c, file, h.dir);

	/* restore */
	if (!T_EQ(xvm_restore(c, file, 0, &d2, &err), 0, "restore it")) {
		printf("# %s\n", err.msg);
		goto out;
	}
	T_OK(dominfo(c, d2, &di) == 0 && !di.shutdown &&
	    memcmp(di.handle, uuid, 16) == 0 && di.tot_pages == 12288,
	    "the same domain (UUID, its 48 MiB), running");
	{
		char path[64], *v = NULL;

		snprintf(path, sizeof(path), "/local/domain/%u/memory/target",
		    d2);
		T_OK(xvm_xs_read(c->io, path, &v, &err) > 0 &&
		    strcmp(v, "49152") == 0, "its memory target as it was");
		free(v);
		T_EQ(xvm_xs_write(c->io, path, "65536", &err), 0,
		    "balloon it up again");
		WAIT_FOR(dominfo(c, d2, &di) == 0 && di.tot_pages == 16384);
		T_EQ(di.tot_pages, 16384, "its p2m took the pages back");
	}
	T_OK(has_marker(c->io, d2), "its memory came back: the marker, "
	    "through the p2m the guest published again");
	text = console(c, d2);
	T_OK(strstr(text, "resumed (domain") != NULL,
	    "the guest says it resumed");
	free(text);

	/* once more from the restored one */
	T_EQ(xvm_save(c, d2, file, &err), -1, "not over an existing file");
	T_OK(dominfo(c, d2, &di) == 0 && !di.shutdown, "which changes "
	    "nothing");
	if (!T_EQ(xvm_save(c, d2, file2, &err), 0, "save the restored one")) {
		printf("# %s\n", err.msg);
		goto out;
	}
	T_EQ(xvm_restore(c, file2, XVM_CREATE_PAUSED, &d, &err), 0,
	    "and restore it, paused");
	T_OK(dominfo(c, d, &di) == 0 && di.paused, "paused");
	T_EQ(xvm_unpause(c, d, &err), 0, "unpause");
	T_OK(has_marker(c->io, d), "the marker still there");

	/* it still does what it is asked */
	{
		char path[64];

		snprintf(path, sizeof(path), "/local/domain/%u/control/"
		    "shutdown", d);
		T_EQ(xvm_xs_write(c->io, path, "poweroff", &err), 0,
		    "ask it to power off");
		WAIT_FOR(dominfo(c, d, &di) == 0 && di.shutdown);
		T_OK(di.shutdown, "it does");
	}
	T_EQ(xvm_destroy(c, d, &err), 0, "destroy it");
	T_EQ(free_pages(c), free0, "all memory back");
out:
	xvm_domain_free(dom);
	t_host_close(&h);
	free(file);
	free(file2);
}

/* A guest that writes to its memory, and Xen's log of what it wrote. */
static void
t_logdirty(const char *guest)
{
	struct t_host h;
	struct xvm_conn *c;
	struct xvm_domain *dom = xvm_domain_new();
	struct xvm_dominfo di;
	struct xvm_err err;
	uint8_t *bm = xvm_calloc(16384 / 8 + 1, 1);
	uint64_t pages;
	uint32_t d, n = 0, n2 = 0;
	struct timespec ts = { 0, 100 * 1000 * 1000 };

	xvm_err_clear(&err);
	if (!T_OK(t_host_open(&h, &err) == 0, "a host"))
		goto out;
	c = h.c;
	dom->name = xvm_strdup("busy");
	dom->memory_kib = dom->current_kib = 64 << 10;
	dom->vcpus = 1;
	dom->os.type = XVM_OS_LINUX;
	dom->os.kernel = xvm_strdup(guest);
	dom->os.cmdline = xvm_strdup("xvm.dirty=4000");
	if (!T_OK(xvm_create(c, dom, 0, &d, &err) == 0, "a busy guest")) {
		printf("# %s\n", err.msg);
		goto out;
	}
	T_EQ(xvm_xc_logdirty(c->io, d, XEN_DOMCTL_SHADOW_OP_CLEAN, bm,
	    &(uint64_t){ 16384 }, &n, &err), -1, "no log before it is on");
	T_EQ(xvm_xc_logdirty(c->io, d, XEN_DOMCTL_SHADOW_OP_ENABLE_LOGDIRTY,
	    NULL, NULL, NULL, &err), 0, "log-dirty on");
	T_EQ(xvm_xc_logdirty(c->io, d, XEN_DOMCTL_SHADOW_OP_ENABLE_LOGDIRTY,
	    NULL, NULL, NULL, &err), -1, "not twice");
	nanosleep(&ts, NULL);
	pages = 16384;
	T_EQ(xvm_xc_logdirty(c->io, d, XEN_DOMCTL_SHADOW_OP_PEEK, bm, &pages,
	    &n, &err), 0, "peek");
	T_OK(n >= 150 && n <= 2000 && pages == 16384, "some hundreds of "
	    "pages written in 0.1 s at 4000 a second (of a working set of "
	    "2000)");
	{
		uint64_t i, k = 0;

		for (i = 0; i < 16384; i++)
			k += (bm[i / 8] >> (i % 8)) & 1;
		T_EQ(k, n, "the bitmap has as many as it counts");
	}
	T_EQ(xvm_xc_logdirty(c->io, d, XEN_DOMCTL_SHADOW_OP_CLEAN, bm, &pages,
	    &n2, &err), 0, "clean");
	T_OK(n2 >= n, "at least what peek saw");
	T_EQ(xvm_pause(c, d, &err), 0, "pause it");
	(void)xvm_xc_logdirty(c->io, d, XEN_DOMCTL_SHADOW_OP_CLEAN, bm,
	    &pages, &n, &err);
	nanosleep(&ts, NULL);
	T_EQ(xvm_xc_logdirty(c->io, d, XEN_DOMCTL_SHADOW_OP_CLEAN, bm, &pages,
	    &n, &err), 0, "clean again");
	T_EQ(n, 0, "a paused guest writes nothing");
	T_EQ(xvm_unpause(c, d, &err), 0, "unpause it");
	xvm_disconnect(c);
	c = h.c = NULL;
	nanosleep(&ts, NULL);
	/* another process carries on: the log persists */
	T_OK(xvm_connect(h.uri, 0, &c, NULL, &err) == 0, "another connection");
	h.c = c;
	T_OK(c && xvm_xc_logdirty(c->io, d, XEN_DOMCTL_SHADOW_OP_CLEAN, bm,
	    &pages, &n, &err) == 0 && n > 50, "sees the pages written since");
	T_OK(c && xvm_xc_logdirty(c->io, d, XEN_DOMCTL_SHADOW_OP_OFF, NULL,
	    NULL, NULL, &err) == 0, "log-dirty off");
	T_OK(c && xvm_xc_logdirty(c->io, d, XEN_DOMCTL_SHADOW_OP_CLEAN, bm,
	    &pages, &n, &err) < 0, "nothing to clean then");
	T_OK(c && dominfo(c, d, &di) == 0 && !di.shutdown, "it runs on");
out:
	xvm_domain_free(dom);
	t_host_close(&h);
	free(bm);
}

/* CPU time of domain d, seconds. */
static double
cpu_of(struct xvm_conn *c, uint32_t d)
{
	struct xvm_dominfo di;

	return dominfo(c, d, &di) == 0 ? di.cpu_time_ns / 1e9 : -1;
}

/* Busy guests share the host's CPUs by their credit weights. */
static void
t_weights(const char *guest)
{
	struct t_host h;
	struct xvm_conn *c;
	struct xvm_domain *dom = xvm_domain_new();
	struct xvm_err err;
	uint32_t a = 0, b = 0, idle = 0;
	double a0, b0, i0, a1, b1, i1;
	struct timespec ts = { 0, 300 * 1000 * 1000 };

	xvm_err_clear(&err);
	if (!T_OK(t_host_open(&h, &err) == 0, "a 4-CPU host"))
		goto out;
	c = h.c;
	dom->memory_kib = dom->current_kib = 16 << 10;
	dom->vcpus = 4;
	dom->os.type = XVM_OS_LINUX;
	dom->os.kernel = xvm_strdup(guest);
	dom->os.cmdline = xvm_strdup("xvm.load=100");
	dom->name = xvm_strdup("a");
	dom->cpu_weight = 256;
	T_EQ(xvm_create(c, dom, 0, &a, &err), 0, "a, busy, weight 256");
	free(dom->name);
	dom->name = xvm_strdup("b");
	dom->cpu_weight = 768;
	T_EQ(xvm_create(c, dom, 0, &b, &err), 0, "b, busy, weight 768");
	free(dom->name);
	dom->name = xvm_strdup("idle");
	free(dom->os.cmdline);
	dom->os.cmdline = xvm_strdup("quiet");
	T_EQ(xvm_create(c, dom, 0, &idle, &err), 0, "an idle one");
	a0 = cpu_of(c, a);
	b0 = cpu_of(c, b);
	i0 = cpu_of(c, idle);
	nanosleep(&ts, NULL);
	a1 = cpu_of(c, a) - a0;
	b1 = cpu_of(c, b) - b0;
	i1 = cpu_of(c, idle) - i0;
	printf("# a %.3f s, b %.3f s, idle %.3f s of CPU in 0.3 s\n", a1, b1,
	    i1);
	T_OK(b1 > 2.4 * a1 && b1 < 3.6 * a1, "wanting all 8 vcpus of the 4 "
	    "CPUs, b gets 3 times what a gets (768 : 256)");
	T_OK(a1 + b1 > 0.28 * 4 && a1 + b1 < 0.4 * 4, "together about the 4 "
	    "CPUs");
	T_OK(i1 < 0.3 * a1, "the idle guest uses its little (5% a vcpu)");
	/* b paused: a has them all */
	T_EQ(xvm_pause(c, b, &err), 0, "pause b");
	a0 = cpu_of(c, a);
	nanosleep(&ts, NULL);
	a1 = cpu_of(c, a) - a0;
	T_OK(a1 > 0.28 * 4 && a1 < 0.4 * 4, "alone, a runs its 4 vcpus on "
	    "the 4 CPUs");
	T_EQ(xvm_unpause(c, b, &err), 0, "unpause b");
	/* a capped at 50% of a CPU: b takes what a leaves */
	T_EQ(xvm_sched_credit(c, a, true, -1, 50, NULL, &err), 0, "cap a");
	a0 = cpu_of(c, a);
	b0 = cpu_of(c, b);
	nanosleep(&ts, NULL);
	a1 = cpu_of(c, a) - a0;
	b1 = cpu_of(c, b) - b0;
	T_OK(a1 < 0.3 * 0.5 * 1.3 && a1 > 0.3 * 0.5 * 0.7, "a at its cap, "
	    "half a CPU");
	T_OK(b1 > 0.3 * 3.5 * 0.9, "b the other three and a half");
out:
	xvm_domain_free(dom);
	t_host_close(&h);
}

struct susp {
	struct xvm_conn *c;
	uint32_t id;
};

static int
susp_cb(void *arg, struct xvm_err *err)
{
	struct susp *sp = arg;

	return ts_suspend(sp->c, sp->id, err);
}

/*
 * Live pre-copy is right: a guest writing 3000 pages a second is saved
 * live (its pages sent while it writes, then rounds of what it wrote),
 * its suspended self kept; the copy restored on another host has, page
 * for page, the memory the original has after its suspend (page tables,
 * start_info and the p2m list aside: they hold machine frames).
 */
static void
t_precopy(const char *guest)
{
	struct t_host h1, h2;
	struct xvm_domain *dom = xvm_domain_new();
	struct xvm_err err;
	struct xvm_buf cfg = XVM_BUF_INIT;
	struct xvm_pv_live lv;
	struct xvm_pv_p2m p1, p2;
	struct xvm_sf_out out;
	struct susp sp;
	char *file = NULL, *name = NULL;
	uint32_t d = 0, e = 0;
	uint64_t pfn, same = 0, differ = 0, skipped = 0;
	int fd;
	struct timespec ts = { 0, 100 * 1000 * 1000 };

	memset(&p1, 0, sizeof(p1));
	memset(&p2, 0, sizeof(p2));
	xvm_err_clear(&err);
	if (!T_OK(t_host_open(&h1, &err) == 0 && t_host_open(&h2, &err) == 0,
	    "two hosts"))
		goto out;
	dom->name = xvm_strdup("w");
	dom->memory_kib = dom->current_kib = 64 << 10;
	dom->vcpus = 1;
	dom->os.type = XVM_OS_LINUX;
	dom->os.kernel = xvm_strdup(guest);
	dom->os.cmdline = xvm_strdup("xvm.dirty=3000");
	if (!T_OK(xvm_create(h1.c, dom, 0, &d, &err) == 0, "a writing guest"))
		goto out;
	nanosleep(&ts, NULL);
	file = xvm_asprintf("%s/live.save", h1.dir);
	fd = open(file, O_WRONLY | O_CREAT | O_EXCL, 0600);
	xvm_sf_out_init(&out, fd, file);
	memset(&lv, 0, sizeof(lv));
	lv.max_rounds = 5;
	lv.target_dirty = 50;
	lv.suspend = susp_cb;
	sp.c = h1.c;
	sp.id = d;
	lv.arg = &sp;
	T_OK(fd >= 0 && ts_config_text(h1.c, d, &cfg, &name, &err) == 0 &&
	    xvm_sf_put_xl_header(&out, xvm_buf_str(&cfg), &err) == 0 &&
	    xvm_sf_put_libxl_header(&out, &err) == 0 &&
	    xvm_sf_put_record(&out, XVM_LREC_LIBXC_CONTEXT, NULL, 0, &err) ==
	    0 && xvm_pv_save_live(h1.c->io, d, &out, &lv, &err) == 0 &&
	    xvm_sf_put_record(&out, XVM_LREC_END, NULL, 0, &err) == 0 &&
	    xvm_sf_flush(&out, &err) == 0, "saved live");
	if (fd >= 0)
		close(fd);
	xvm_sf_out_release(&out);
	printf("# rounds %u: %llu, %llu ...; stopped: %llu\n", lv.rounds,
	    (unsigned long long)lv.sent[0], (unsigned long long)lv.sent[1],
	    (unsigned long long)lv.last);
	T_OK(lv.rounds >= 2 && lv.sent[0] == 16384 && lv.stopped,
	    "all pages, then at least one round of written ones, then stop");
	if (!T_EQ(xvm_restore(h2.c, file, XVM_CREATE_PAUSED, &e, &err), 0,
	    "restored on the other host, paused")) {
		printf("# %s\n", err.msg);
		goto out;
	}
	/* the copy's p2m: its list under its new page tables */
	{
		vcpu_guest_context_t ctx;
		uint64_t sh;
		shared_info_t *s2;

		if (xvm_xc_vcpu_getcontext(h2.c->io, e, 0, &ctx, sizeof(ctx),
		    &err) == 0 && xvm_xc_shared_info_frame(h2.c->io, e, &sh,
		    &err) == 0 && (s2 = xvm_xc_map(h2.c->io, e, PROT_READ |
		    PROT_WRITE, &sh, 1, &err)) != NULL) {
			s2->arch.p2m_cr3 = ctx.ctrlreg[3];
			xvm_io_unmap_foreign(h2.c->io, s2, 1);
		}
	}
	if (!T_OK(xvm_pv_p2m_read(h1.c->io, d, &p1, &err) == 0 &&
	    xvm_pv_p2m_read(h2.c->io, e, &p2, &err) == 0 && p1.n == p2.n,
	    "both p2m lists"))
		goto out;
	for (pfn = 0; pfn < p1.n; pfn++) {
		uint64_t t = p1.p2m[pfn], k;
		unsigned char a[4096], b[4096];
		bool frame = false;

		for (k = 0; k < p1.nframes; k++)
			frame |= p1.frames[k] == p1.p2m[pfn];
		if (t == ~0ull || p2.p2m[pfn] == ~0ull || frame ||
		    xvm_xc_pageframe_types(h1.c->io, d, &t, 1, &err) < 0 ||
		    t != 0) {
			skipped++;
			continue;
		}
		if (page_io(h1.c->io, d, p1.p2m[pfn], a, sizeof(a), false) <
		    0 || page_io(h2.c->io, e, p2.p2m[pfn], b, sizeof(b),
		    false) < 0)
			continue;
		if (memcmp(a, b, sizeof(a)) == 0)
			same++;
		else
			differ++;
	}
	printf("# %llu pages equal, %llu differ, %llu skipped\n",
	    (unsigned long long)same, (unsigned long long)differ,
	    (unsigned long long)skipped);
	T_OK(same > 16000 && differ <= 1, "every data page came over as it "
	    "is at the end (start_info aside)");
out:
	xvm_pv_p2m_release(&p1);
	xvm_pv_p2m_release(&p2);
	xvm_buf_release(&cfg);
	free(name);
	free(file);
	xvm_domain_free(dom);
	t_host_close(&h1);
	t_host_close(&h2);
}

int
main(int argc, char **argv)
{
	char *guest = t_guest_path(argv[0]);

	(void)argc;
	t_save_restore(guest);
	t_logdirty(guest);
	t_weights(guest);
	t_precopy(guest);
	free(guest);
	return t_done();
}

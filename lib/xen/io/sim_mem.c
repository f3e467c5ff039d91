/*
 * sim_mem.c - the simulated host's machine memory: which domain owns
 * which machine frames (each domain's runs, and the host's index of them
 * by frame number), the allocator Xen's page allocator stands for, and
 * the contents of every frame in one sparse file, DIR/memory, where
 * frame N is the 4 KiB at N * 4096 (a memfd for a host kept in memory).
 *
 * Domains' RAM has frames 1 .. total_pages (frame 0 is never handed out,
 * so 0 can mean "none"); the pages Xen keeps for a domain (its shared
 * info page, grant frames, saved vcpu contexts) come from Xen's own heap
 * above that, SIM_XENHEAP_FRAMES of them, so they leave the memory the
 * host reports free to domains alone (libvirt's test host has 1024 MiB
 * free beside its 2 GiB domain, not a page less).  New frames read as
 * zero: the file
 * is punched out where they lie, as Xen scrubs pages before a domain
 * gets them.  Contents are not journaled: they are the domains' memory,
 * shared by every process through the file, as RAM is.
 */
#define _GNU_SOURCE 1

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "xen/io/sim_int.h"

/* ---- a domain's runs ---------------------------------------------------- */

void
sim_dom_release(struct sim_dom *d)
{
	free(d->runs);
	free(d->ports);
	free(d->pend);
	free(d->aff);
	free(d->dirty);
	d->dirty = NULL;
	d->dirty_bits = 0;
	d->runs = NULL;
	d->ports = NULL;
	d->pend = NULL;
	d->aff = NULL;
	d->aff_bytes = 0;
	d->nruns = d->nports = d->npend = 0;
}

static int
run_cmp(const struct sim_run *a, const struct sim_run *b)
{
	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	if (a->pfn != b->pfn)
		return a->pfn < b->pfn ? -1 : 1;
	return a->mfn < b->mfn ? -1 : a->mfn > b->mfn;
}

/* Add a run to d, merged with the one before when they continue. */
static void
run_add(struct sim_dom *d, uint32_t kind, uint64_t pfn, uint64_t mfn,
    uint32_t n)
{
	struct sim_run r = { mfn, pfn, n, kind };
	uint32_t i = d->nruns;
	struct sim_run *p;

	while (i > 0 && run_cmp(&d->runs[i - 1], &r) > 0)
		i--;
	if (i > 0) {
		p = &d->runs[i - 1];
		if (p->kind == kind && p->pfn + p->count == pfn &&
		    p->mfn + p->count == mfn &&
		    (uint64_t)p->count + n <= UINT32_MAX) {
			p->count += n;
			return;
		}
	}
	d->runs = xvm_realloc(d->runs, (d->nruns + 1) * sizeof(*d->runs));
	memmove(&d->runs[i + 1], &d->runs[i],
	    (d->nruns - i) * sizeof(*d->runs));
	d->runs[i] = r;
	d->nruns++;
}

uint64_t
sim_mem_special(const struct sim_dom *d, uint32_t kind, uint64_t pfn)
{
	uint32_t i;

	for (i = 0; i < d->nruns; i++)
		if (d->runs[i].kind == kind && d->runs[i].pfn == pfn)
			return d->runs[i].mfn;
	return 0;
}

int64_t
sim_mem_mfn_to_pfn(const struct sim_dom *d, uint64_t mfn)
{
	uint32_t i;

	for (i = 0; i < d->nruns; i++) {
		const struct sim_run *r = &d->runs[i];

		if (r->kind == SIM_MEM_RAM && mfn >= r->mfn &&
		    mfn < r->mfn + r->count)
			return (int64_t)(r->pfn + (mfn - r->mfn));
	}
	return -1;
}

int64_t
sim_mem_pfn_to_mfn(const struct sim_dom *d, uint64_t pfn)
{
	uint32_t lo = 0, hi = d->nruns, mid;
	const struct sim_run *r;

	/* RAM runs come first, sorted by pfn */
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		r = &d->runs[mid];
		if (r->kind != SIM_MEM_RAM || r->pfn > pfn)
			hi = mid;
		else
			lo = mid + 1;
	}
	if (lo == 0)
		return -1;
	r = &d->runs[lo - 1];
	if (pfn >= r->pfn + r->count)
		return -1;
	return (int64_t)(r->mfn + (pfn - r->pfn));
}

/* ---- the host's index by machine frame --------------------------------- */

static size_t
m2p_pos(const struct sim_host *h, uint64_t mfn)
{
	size_t lo = 0, hi = h->nm2p, mid;

	/* the first entry ending after mfn */
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (h->m2p[mid].mfn + h->m2p[mid].count <= mfn)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

const struct sim_m2p *
sim_m2p_find(const struct sim_host *h, uint64_t mfn)
{
	size_t i = m2p_pos(h, mfn);

	if (i < h->nm2p && h->m2p[i].mfn <= mfn)
		return &h->m2p[i];
	return NULL;
}

static void
m2p_insert(struct sim_host *h, uint64_t mfn, uint64_t n, uint16_t domid)
{
	size_t i = m2p_pos(h, mfn);
	struct sim_m2p *p;

	if (i > 0) {
		p = &h->m2p[i - 1];
		if (p->domid == domid && p->mfn + p->count == mfn &&
		    p->count + n <= UINT32_MAX) {
			p->count += (uint32_t)n;
			if (i < h->nm2p && h->m2p[i].domid == domid &&
			    h->m2p[i].mfn == mfn + n &&
			    (uint64_t)p->count + h->m2p[i].count <= UINT32_MAX) {
				p->count += h->m2p[i].count;
				memmove(&h->m2p[i], &h->m2p[i + 1],
				    (h->nm2p - i - 1) * sizeof(*h->m2p));
				h->nm2p--;
			}
			return;
		}
	}
	if (h->nm2p == h->cm2p) {
		h->cm2p = h->cm2p ? h->cm2p * 2 : 64;
		h->m2p = xvm_realloc(h->m2p, h->cm2p * sizeof(*h->m2p));
	}
	memmove(&h->m2p[i + 1], &h->m2p[i], (h->nm2p - i) * sizeof(*h->m2p));
	h->m2p[i].mfn = mfn;
	h->m2p[i].count = (uint32_t)n;
	h->m2p[i].domid = domid;
	h->nm2p++;
}

/* Drop mfn .. mfn+n-1 from the index (they lie in one entry). */
static void
m2p_remove(struct sim_host *h, uint64_t mfn, uint64_t n)
{
	size_t i = m2p_pos(h, mfn);
	struct sim_m2p *e, tail;

	if (i >= h->nm2p)
		return;
	e = &h->m2p[i];
	if (e->mfn > mfn || mfn + n > e->mfn + e->count)
		return;
	tail.mfn = mfn + n;
	tail.count = (uint32_t)(e->mfn + e->count - (mfn + n));
	tail.domid = e->domid;
	e->count = (uint32_t)(mfn - e->mfn);
	if (e->count == 0) {
		memmove(&h->m2p[i], &h->m2p[i + 1],
		    (h->nm2p - i - 1) * sizeof(*h->m2p));
		h->nm2p--;
	}
	if (tail.count > 0)
		m2p_insert(h, tail.mfn, tail.count, tail.domid);
}

static int
m2p_cmp(const void *a, const void *b)
{
	const struct sim_m2p *x = a, *y = b;

	return x->mfn < y->mfn ? -1 : x->mfn > y->mfn;
}

void
sim_m2p_rebuild(struct sim_host *h)
{
	size_t i, n = 0, k;
	uint32_t j;

	for (i = 0; i < h->ndoms; i++)
		n += h->doms[i].nruns;
	free(h->m2p);
	h->cm2p = n ? n : 1;
	h->m2p = xvm_malloc(h->cm2p * sizeof(*h->m2p));
	h->nm2p = 0;
	h->used_pages = 0;
	for (i = 0; i < h->ndoms; i++)
		for (j = 0; j < h->doms[i].nruns; j++) {
			k = h->nm2p++;
			h->m2p[k].mfn = h->doms[i].runs[j].mfn;
			h->m2p[k].count = h->doms[i].runs[j].count;
			h->m2p[k].domid = h->doms[i].domid;
			if (h->doms[i].runs[j].kind == SIM_MEM_RAM)
				h->used_pages += h->doms[i].runs[j].count;
		}
	qsort(h->m2p, h->nm2p, sizeof(*h->m2p), m2p_cmp);
}

bool
sim_m2p_range_free(const struct sim_host *h, uint64_t mfn, uint64_t n)
{
	size_t i = m2p_pos(h, mfn);

	if (mfn == 0 || mfn + n > sim_mem_end(h) || mfn + n < mfn)
		return false;
	return i >= h->nm2p || h->m2p[i].mfn >= mfn + n;
}

void
sim_m2p_add(struct sim_host *h, const struct sim_dom *d)
{
	uint32_t j;

	for (j = 0; j < d->nruns; j++) {
		m2p_insert(h, d->runs[j].mfn, d->runs[j].count, d->domid);
		if (d->runs[j].kind == SIM_MEM_RAM)
			h->used_pages += d->runs[j].count;
	}
}

void
sim_m2p_drop(struct sim_host *h, const struct sim_dom *d)
{
	uint32_t j;

	for (j = 0; j < d->nruns; j++) {
		m2p_remove(h, d->runs[j].mfn, d->runs[j].count);
		if (d->runs[j].kind == SIM_MEM_RAM)
			h->used_pages -= d->runs[j].count;
	}
}

/* ---- allocation --------------------------------------------------------- */

static uint64_t
align_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) & ~(a - 1);
}

/* The first free range of n frames at or after from (aligned); 0: none. */
static uint64_t
find_free(const struct sim_host *h, uint64_t from, uint64_t end, uint64_t n,
    uint64_t align)
{
	uint64_t start = align_up(from, align);
	size_t i = m2p_pos(h, start);

	while (start + n <= end) {
		if (i >= h->nm2p || h->m2p[i].mfn >= start + n)
			return start;
		start = align_up(h->m2p[i].mfn + h->m2p[i].count, align);
		i++;
	}
	return 0;
}

int
sim_mem_alloc(struct sim_host *h, struct sim_dom *d, uint32_t kind,
    uint64_t pfn, uint64_t n, uint64_t align, uint64_t *mfn_r)
{
	bool ram = kind == SIM_MEM_RAM;
	uint64_t lo = ram ? 1 : h->total_pages + 1;
	uint64_t end = ram ? h->total_pages + 1 : sim_mem_end(h), mfn;
	uint64_t rover = ram ? h->mfn_rover : h->heap_rover;

	if (n == 0 || n > UINT32_MAX ||
	    (ram && h->used_pages + n > h->total_pages))
		return -ENOMEM;
	mfn = find_free(h, rover > lo ? rover : lo, end, n, align);
	if (mfn == 0)
		mfn = find_free(h, lo, end, n, align);
	if (mfn == 0)
		return -ENOMEM;
	m2p_insert(h, mfn, n, d->domid);
	run_add(d, kind, pfn, mfn, (uint32_t)n);
	if (ram) {
		h->used_pages += n;
		d->tot_pages += n;
		h->mfn_rover = mfn + n;
	} else {
		h->heap_rover = mfn + n;
	}
	*mfn_r = mfn;
	return 0;
}

int
sim_mem_free(struct sim_host *h, struct sim_dom *d, uint64_t mfn, uint64_t n)
{
	struct sim_run *r, tail;
	uint32_t i;

	for (i = 0; i < d->nruns; i++) {
		r = &d->runs[i];
		if (mfn < r->mfn || mfn + n > r->mfn + r->count)
			continue;
		tail = *r;
		tail.mfn = mfn + n;
		tail.pfn = r->pfn + (mfn + n - r->mfn);
		tail.count = (uint32_t)(r->mfn + r->count - (mfn + n));
		r->count = (uint32_t)(mfn - r->mfn);
		if (tail.kind == SIM_MEM_RAM) {
			d->tot_pages -= n;
			h->used_pages -= n;
		}
		if (r->count == 0) {
			memmove(r, r + 1, (d->nruns - i - 1) * sizeof(*r));
			d->nruns--;
		}
		if (tail.count > 0)
			run_add(d, tail.kind, tail.pfn, tail.mfn, tail.count);
		m2p_remove(h, mfn, n);
		return 0;
	}
	return -EINVAL;
}

void
sim_mem_free_all(struct sim_host *h, struct sim_dom *d)
{
	while (d->nruns > 0)
		(void)sim_mem_free(h, d, d->runs[0].mfn, d->runs[0].count);
}

/* ---- contents ----------------------------------------------------------- */

int
sim_mem_open(struct sim *s, struct xvm_err *err)
{
	struct stat sb;
	char *path;
	int fd;

	if (s->memfd >= 0)
		return 0;
	if (s->dir == NULL) {
		fd = memfd_create("xvm-sim-memory", MFD_CLOEXEC);
		if (fd < 0)
			return xvm_err_sys(err, errno, "cannot make the memory "
			    "of a simulated host");
	} else {
		path = xvm_asprintf("%s/memory", s->dir);
		fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
		if (fd < 0) {
			xvm_err_sys(err, errno, "cannot open '%s'", path);
			free(path);
			return -1;
		}
		free(path);
	}
	if (fstat(fd, &sb) < 0) {
		xvm_err_sys(err, errno, "cannot open the memory of simulated "
		    "host '%s'", s->dir ? s->dir : "(in memory)");
		close(fd);
		return -1;
	}
	s->memfd = fd;
	s->memsize = (uint64_t)sb.st_size;
	return 0;
}

int
sim_mem_cover(struct sim *s, uint64_t end_mfn, struct xvm_err *err)
{
	struct stat sb;
	uint64_t want = end_mfn * XVM_PAGE_SIZE;

	if (s->memfd < 0 && sim_mem_open(s, err) < 0)
		return -1;
	if (want <= s->memsize)
		return 0;
	/* another process may have grown it; never shrink it */
	if (fstat(s->memfd, &sb) == 0 && (uint64_t)sb.st_size >= want) {
		s->memsize = (uint64_t)sb.st_size;
		return 0;
	}
	/* sparse: only the pages guests write take room */
	if (ftruncate(s->memfd, (off_t)want) < 0)
		return xvm_err_sys(err, errno, "cannot grow the memory of "
		    "simulated host '%s'", s->dir ? s->dir : "(in memory)");
	s->memsize = want;
	return 0;
}

void
sim_mem_zero(struct sim *s, uint64_t mfn, uint64_t n)
{
	if (n == 0 || sim_mem_cover(s, mfn + n, NULL) < 0)
		return;
	/* a file system without holes keeps old bytes: write zeros */
	if (fallocate(s->memfd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
	    (off_t)(mfn * XVM_PAGE_SIZE), (off_t)(n * XVM_PAGE_SIZE)) < 0) {
		static const char zero[XVM_PAGE_SIZE];
		uint64_t i;

		for (i = 0; i < n; i++)
			(void)!pwrite(s->memfd, zero, sizeof(zero),
			    (off_t)((mfn + i) * XVM_PAGE_SIZE));
	}
}

static int
mem_io(struct sim *s, bool wr, uint64_t maddr, void *buf, size_t len,
    struct xvm_err *err)
{
	size_t done = 0;
	ssize_t r;

	if (sim_mem_cover(s, (maddr + len + XVM_PAGE_SIZE - 1) /
	    XVM_PAGE_SIZE, err) < 0)
		return -1;
	while (done < len) {
		r = wr ? pwrite(s->memfd, (char *)buf + done, len - done,
		    (off_t)(maddr + done)) : pread(s->memfd, (char *)buf +
		    done, len - done, (off_t)(maddr + done));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return xvm_err_sys(err, r < 0 ? errno : EIO, "cannot "
			    "%s the memory of the simulated host",
			    wr ? "write" : "read");
		done += (size_t)r;
	}
	return 0;
}

int
sim_mem_read(struct sim *s, uint64_t maddr, void *buf, size_t len,
    struct xvm_err *err)
{
	return mem_io(s, false, maddr, buf, len, err);
}

int
sim_mem_write(struct sim *s, uint64_t maddr, const void *buf, size_t len,
    struct xvm_err *err)
{
	return mem_io(s, true, maddr, (void *)buf, len, err);
}

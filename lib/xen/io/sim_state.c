/*
 * sim_state.c - the simulated Xen host's persistent state: host figures,
 * the domain table and the xenstore image, kept in a directory and shared
 * by every process that opens it.
 *
 * Every operation runs between sim_begin() and sim_end(): take DIR/lock,
 * reload only if DIR/state's generation moved since this handle last read
 * it (24 bytes read: the cheap check), bring the CPU-time accounting up
 * to now, apply, save when something changed, unlock.
 *
 * DIR/state (all integers little-endian):
 *   "XVMSIMST"  u32 version  u32 0  u64 generation
 *   u32 nr_cpus, threads_per_core, cores_per_socket, cpu_khz,
 *       capabilities, sched_id  u64 total_pages  i64 clock_ns
 *   u32 rover  u64 xs_seq  u32 ndoms  ndoms * domain record (see enc_dom)
 *   u32 CRC-32 (IEEE) of everything before it
 * DIR/xenstore-<xs_seq> is written (atomically) before the state that
 * names it, and the previous image is removed after, so a crash at any
 * point leaves a consistent pair.
 */
#define __XEN_TOOLS__ 1

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <xen/xen.h>
#include <xen/domctl.h>
#include <xen/sysctl.h>

#include "xvm/le.h"
#include "xen/io/sim_int.h"
#include "xen/xs_store.h"

#define HDR_LEN		24u		/* magic, version, nodes, generation */
#define DOM_REC_LEN	120u
#define STATE_MAX	(256u << 20)
#define XS_MAX		(1024u << 20)
#define DEF_CPUS	8u
#define DEF_MEM_KIB	(16ull << 20)	/* 16 GiB */
#define DOM0_MEM_KIB	(2ull << 20)	/* 2 GiB */
/* Share of each online vcpu a running domain consumes, per mille. */
#define CPU_LOAD_PERMILLE 50u

static int64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* ---- the domain table ------------------------------------------------ */

static size_t
dom_pos(const struct sim_host *h, uint32_t domid)
{
	size_t lo = 0, hi = h->ndoms, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (h->doms[mid].domid < domid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

struct sim_dom *
sim_dom_find(struct sim_host *h, uint32_t domid)
{
	size_t i = dom_pos(h, domid);

	if (i < h->ndoms && h->doms[i].domid == domid)
		return &h->doms[i];
	return NULL;
}

struct sim_dom *
sim_dom_insert(struct sim_host *h, uint32_t domid)
{
	size_t i = dom_pos(h, domid);

	if (h->ndoms == h->cdoms) {
		h->cdoms = h->cdoms ? h->cdoms * 2 : 16;
		h->doms = xvm_realloc(h->doms, h->cdoms * sizeof(*h->doms));
	}
	memmove(&h->doms[i + 1], &h->doms[i],
	    (h->ndoms - i) * sizeof(*h->doms));
	h->ndoms++;
	memset(&h->doms[i], 0, sizeof(h->doms[i]));
	h->doms[i].domid = (uint16_t)domid;
	return &h->doms[i];
}

void
sim_dom_remove(struct sim_host *h, uint32_t domid)
{
	size_t i = dom_pos(h, domid);

	if (i >= h->ndoms || h->doms[i].domid != domid)
		return;
	memmove(&h->doms[i], &h->doms[i + 1],
	    (h->ndoms - i - 1) * sizeof(*h->doms));
	h->ndoms--;
}

uint64_t
sim_used_pages(const struct sim_host *h)
{
	uint64_t n = 0;
	size_t i;

	for (i = 0; i < h->ndoms; i++)
		n += h->doms[i].tot_pages;
	return n;
}

bool
sim_dom_running(const struct sim_dom *d)
{
	return d->pause_count == 0 && d->online_vcpus > 0 &&
	    !(d->state & (SIM_DYING | SIM_SHUTDOWN));
}

void
sim_advance(struct sim_host *h)
{
	int64_t now = now_ns(), dt;
	uint64_t per;
	size_t i;

	dt = now - h->clock_ns;
	if (dt <= 0)
		return;			/* the clock went back: wait for it */
	if (dt > (int64_t)10 * 366 * 86400 * 1000000000)
		dt = (int64_t)10 * 366 * 86400 * 1000000000;
	/* ns of one vcpu's share; /1000 first keeps it inside 64 bits */
	per = (uint64_t)dt / 1000u * CPU_LOAD_PERMILLE;
	for (i = 0; i < h->ndoms; i++) {
		struct sim_dom *d = &h->doms[i];
		uint64_t t;

		if (!sim_dom_running(d))
			continue;
		t = per * d->online_vcpus;
		/* a cap holds the whole domain to cap% of one CPU */
		if (d->cap != 0 && t > (uint64_t)dt / 100u * d->cap)
			t = (uint64_t)dt / 100u * d->cap;
		d->cpu_time += t;
	}
	h->clock_ns = now;
}

void
sim_host_init(struct sim_host *h, const struct xvm_sim_spec *spec)
{
	unsigned long long dom0_kib, mem_kib = spec->memory_kib;
	unsigned cpus = spec->cpus;
	struct sim_dom *d;

	memset(h, 0, sizeof(*h));
	if (cpus == 0)
		cpus = DEF_CPUS;
	if (mem_kib == 0)
		mem_kib = DEF_MEM_KIB;
	h->nr_cpus = cpus;
	h->nr_nodes = spec->nodes ? spec->nodes : 1;
	h->threads_per_core = spec->threads_per_core ?
	    spec->threads_per_core : 1;
	h->cores_per_socket = spec->cores_per_socket ?
	    spec->cores_per_socket : cpus / h->threads_per_core;
	h->cpu_khz = spec->mhz ? spec->mhz * 1000u : 2400000u;
	h->capabilities = XEN_SYSCTL_PHYSCAP_hvm | XEN_SYSCTL_PHYSCAP_pv |
	    XEN_SYSCTL_PHYSCAP_hap | XEN_SYSCTL_PHYSCAP_shadow |
	    XEN_SYSCTL_PHYSCAP_gnttab_v1 | XEN_SYSCTL_PHYSCAP_gnttab_v2;
	h->sched_id = XEN_SCHEDULER_CREDIT;
	h->total_pages = mem_kib / 4;
	h->clock_ns = now_ns();
	h->rover = 0;
	if (spec->without_dom0)
		return;

	/* Domain-0: running, one vcpu per CPU, 2 GiB or half a small host */
	dom0_kib = mem_kib / 2 < DOM0_MEM_KIB ? mem_kib / 2 : DOM0_MEM_KIB;
	d = sim_dom_insert(h, 0);
	d->max_vcpus = cpus;
	d->online_vcpus = cpus;
	d->state = SIM_CREATED | SIM_VCPUS;
	d->tot_pages = dom0_kib / 4;
	d->max_pages = UINT32_MAX;	/* PV dom0 builder: max_pages = ~0U */
	d->max_evtchn_port = UINT32_MAX;
	d->max_grant_frames = 64;
	d->max_maptrack_frames = 1024;
	d->weight = SIM_DEF_WEIGHT;
	d->created_ns = h->clock_ns;
}

void
sim_host_release(struct sim_host *h)
{
	free(h->doms);
	h->doms = NULL;
	h->ndoms = h->cdoms = 0;
}

/* ---- encoding -------------------------------------------------------- */

struct dec {
	const unsigned char *p;
	size_t len, off;
	bool bad;
};

static uint32_t
get32(struct dec *d)
{
	uint32_t v = 0;
	int i;

	if (d->bad || d->len - d->off < 4) {
		d->bad = true;
		return 0;
	}
	for (i = 0; i < 4; i++)
		v |= (uint32_t)d->p[d->off + i] << (8 * i);
	d->off += 4;
	return v;
}

static uint64_t
get64(struct dec *d)
{
	uint64_t lo = get32(d);

	return lo | (uint64_t)get32(d) << 32;
}

static void
enc_dom(struct xvm_buf *b, const struct sim_dom *d)
{
	size_t start = b->len;

	xvm_put_le32(b, d->domid);
	xvm_buf_add(b, d->handle, 16);
	xvm_put_le32(b, d->cdf);
	xvm_put_le32(b, d->ssidref);
	xvm_put_le32(b, d->max_vcpus);
	xvm_put_le32(b, d->online_vcpus);
	xvm_put_le32(b, d->pause_count);
	xvm_put_le32(b, d->state);
	xvm_put_le32(b, d->shutdown_code);
	xvm_put_le32(b, d->max_evtchn_port);
	xvm_put_le32(b, (uint32_t)d->max_grant_frames);
	xvm_put_le32(b, (uint32_t)d->max_maptrack_frames);
	xvm_put_le32(b, d->grant_opts);
	xvm_put_le32(b, d->emulation_flags);
	xvm_put_le32(b, d->misc_flags);
	xvm_put_le32(b, d->cpupool);
	xvm_put_le64(b, d->tot_pages);
	xvm_put_le64(b, d->max_pages);
	xvm_put_le64(b, d->cpu_time);
	xvm_put_le64(b, (uint64_t)d->time_offset);
	xvm_put_le64(b, (uint64_t)d->created_ns);
	xvm_put_le32(b, (uint32_t)d->weight | (uint32_t)d->cap << 16);
	xvm_buf_pad(b, DOM_REC_LEN - (b->len - start), '\0');
}

static void
dec_dom(struct dec *dc, struct sim_dom *d)
{
	size_t start = dc->off;
	uint32_t sched;

	memset(d, 0, sizeof(*d));
	d->domid = (uint16_t)get32(dc);
	if (!dc->bad && dc->len - dc->off >= 16) {
		memcpy(d->handle, dc->p + dc->off, 16);
		dc->off += 16;
	} else {
		dc->bad = true;
	}
	d->cdf = get32(dc);
	d->ssidref = get32(dc);
	d->max_vcpus = get32(dc);
	d->online_vcpus = get32(dc);
	d->pause_count = get32(dc);
	d->state = get32(dc);
	d->shutdown_code = get32(dc);
	d->max_evtchn_port = get32(dc);
	d->max_grant_frames = (int32_t)get32(dc);
	d->max_maptrack_frames = (int32_t)get32(dc);
	d->grant_opts = get32(dc);
	d->emulation_flags = get32(dc);
	d->misc_flags = get32(dc);
	d->cpupool = get32(dc);
	d->tot_pages = get64(dc);
	d->max_pages = get64(dc);
	d->cpu_time = get64(dc);
	d->time_offset = (int64_t)get64(dc);
	d->created_ns = (int64_t)get64(dc);
	sched = get32(dc);		/* 0 in the first hosts: defaults */
	d->weight = (uint16_t)(sched & 0xffff);
	d->cap = (uint16_t)(sched >> 16);
	if (d->weight == 0)
		d->weight = SIM_DEF_WEIGHT;
	if (!dc->bad && dc->off - start <= DOM_REC_LEN &&
	    dc->len - start >= DOM_REC_LEN)
		dc->off = start + DOM_REC_LEN;
	else
		dc->bad = true;
}

static void
enc_state(struct xvm_buf *b, const struct sim_host *h, uint64_t gen)
{
	size_t i;

	xvm_buf_add(b, SIM_STATE_MAGIC, 8);
	xvm_put_le32(b, SIM_STATE_VERSION);
	xvm_put_le32(b, h->nr_nodes);
	xvm_put_le64(b, gen);
	xvm_put_le32(b, h->nr_cpus);
	xvm_put_le32(b, h->threads_per_core);
	xvm_put_le32(b, h->cores_per_socket);
	xvm_put_le32(b, h->cpu_khz);
	xvm_put_le32(b, h->capabilities);
	xvm_put_le32(b, h->sched_id);
	xvm_put_le64(b, h->total_pages);
	xvm_put_le64(b, (uint64_t)h->clock_ns);
	xvm_put_le32(b, h->rover);
	xvm_put_le64(b, h->xs_seq);
	xvm_put_le32(b, (uint32_t)h->ndoms);
	for (i = 0; i < h->ndoms; i++)
		enc_dom(b, &h->doms[i]);
	xvm_put_le32(b, xvm_crc32((const unsigned char *)b->data, b->len));
}

static int
corrupt(struct xvm_err *err, const char *path, const char *why)
{
	return xvm_err_set(err, XVM_ERR_INTERNAL,
	    "simulated host state '%s' is corrupt: %s", path, why);
}

static int
dec_state(const char *path, const unsigned char *p, size_t len,
    struct sim_host *h, uint64_t *gen_r, struct xvm_err *err)
{
	struct dec dc = { p, len, 0, false };
	uint32_t version, n, i, prev = 0;
	struct sim_dom *d;

	memset(h, 0, sizeof(*h));
	if (len < HDR_LEN + 4 || memcmp(p, SIM_STATE_MAGIC, 8) != 0)
		return corrupt(err, path, "not a state file");
	dc.off = 8;
	version = get32(&dc);
	if (version != SIM_STATE_VERSION)
		return xvm_err_set(err, XVM_ERR_INTERNAL,
		    "simulated host state '%s' has version %" PRIu32
		    ", expected %u", path, version, SIM_STATE_VERSION);
	if (xvm_crc32(p, len - 4) !=
	    (uint32_t)(p[len - 4] | p[len - 3] << 8 | p[len - 2] << 16 |
	    (uint32_t)p[len - 1] << 24))
		return corrupt(err, path, "bad checksum");
	dc.len = len - 4;
	h->nr_nodes = get32(&dc);	/* 0 in the first hosts: one node */
	if (h->nr_nodes == 0)
		h->nr_nodes = 1;
	*gen_r = get64(&dc);
	h->nr_cpus = get32(&dc);
	h->threads_per_core = get32(&dc);
	h->cores_per_socket = get32(&dc);
	h->cpu_khz = get32(&dc);
	h->capabilities = get32(&dc);
	h->sched_id = get32(&dc);
	h->total_pages = get64(&dc);
	h->clock_ns = (int64_t)get64(&dc);
	h->rover = get32(&dc);
	h->xs_seq = get64(&dc);
	n = get32(&dc);
	if (dc.bad || n > DOMID_FIRST_RESERVED ||
	    (size_t)n * DOM_REC_LEN != dc.len - dc.off)
		return corrupt(err, path, "bad domain table");
	if (h->nr_cpus == 0 || h->nr_cpus > 4096 || h->total_pages == 0 ||
	    h->nr_nodes > h->nr_cpus || h->threads_per_core == 0 ||
	    h->cores_per_socket == 0)
		return corrupt(err, path, "bad host figures");
	h->doms = xvm_calloc(n ? n : 1, sizeof(*h->doms));
	h->cdoms = n ? n : 1;
	for (i = 0; i < n; i++) {
		d = &h->doms[i];
		dec_dom(&dc, d);
		if (dc.bad || d->domid >= DOMID_FIRST_RESERVED ||
		    (i > 0 && d->domid <= prev)) {
			sim_host_release(h);
			return corrupt(err, path, "bad domain record");
		}
		prev = d->domid;
		h->ndoms++;
	}
	if (!sim_dom_find(h, 0)) {
		sim_host_release(h);
		return corrupt(err, path, "no Domain-0");
	}
	return 0;
}

/* ---- files ----------------------------------------------------------- */

static char *
xs_path(const struct sim *s, uint64_t seq)
{
	return xvm_asprintf("%s/xenstore-%" PRIu64, s->dir, seq);
}

/*
 * The generation in DIR/state's header; 1 with *gen_r when read, 0 when
 * the file does not exist, -1 on error.
 */
static int
read_gen(const struct sim *s, uint64_t *gen_r, struct xvm_err *err)
{
	unsigned char hdr[HDR_LEN];
	ssize_t n;
	int fd, i, ret = -1;

	fd = open(s->state_path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT)
			return 0;
		return xvm_err_sys(err, errno, "cannot open '%s'",
		    s->state_path);
	}
	do {
		n = pread(fd, hdr, sizeof(hdr), 0);
	} while (n < 0 && errno == EINTR);
	if (n < 0) {
		xvm_err_sys(err, errno, "cannot read '%s'", s->state_path);
		goto out;
	}
	if ((size_t)n < sizeof(hdr) || memcmp(hdr, SIM_STATE_MAGIC, 8) != 0) {
		corrupt(err, s->state_path, "not a state file");
		goto out;
	}
	*gen_r = 0;
	for (i = 0; i < 8; i++)
		*gen_r |= (uint64_t)hdr[16 + i] << (8 * i);
	ret = 1;
out:
	close(fd);
	return ret;
}

/* Replace s->xs with a new store; re-arm this handle's connection. */
static void
set_store(struct sim *s, struct xs_store *st)
{
	struct xs_store *old = s->xs;

	s->xs = st;
	sim_xs_rebind(s, old);
}

static int
load_all(struct sim *s, struct xvm_err *err)
{
	struct sim_host h;
	struct xvm_err xerr;
	struct xs_store *st = NULL;
	char *data = NULL, *xdata = NULL, *xpath = NULL;
	size_t len, xlen;
	uint64_t gen = 0;
	int ret = -1;

	memset(&h, 0, sizeof(h));
	if (xvm_file_read(s->state_path, STATE_MAX, &data, &len, err) < 0)
		goto out;
	if (dec_state(s->state_path, (unsigned char *)data, len, &h, &gen,
	    err) < 0)
		goto out;
	if (s->xs == NULL || h.xs_seq != s->xs_seq) {
		xpath = xs_path(s, h.xs_seq);
		if (xvm_file_read(xpath, XS_MAX, &xdata, &xlen, err) < 0)
			goto out;
		xvm_err_clear(&xerr);
		st = xs_store_load(xdata, xlen, &xerr);
		if (st == NULL) {
			xvm_err_set(err, XVM_ERR_INTERNAL, "simulated host "
			    "xenstore '%s' is corrupt: %s", xpath, xerr.msg);
			goto out;
		}
		set_store(s, st);
		st = NULL;
		s->xs_seq = h.xs_seq;
	}
	sim_host_release(&s->host);
	s->host = h;
	memset(&h, 0, sizeof(h));
	s->gen = gen;
	s->loaded = true;
	ret = 0;
out:
	sim_host_release(&h);
	xs_store_free(st);
	free(data);
	free(xdata);
	free(xpath);
	return ret;
}

static int
save_all(struct sim *s, bool xs_dirty, struct xvm_err *err)
{
	struct xvm_buf b = XVM_BUF_INIT;
	char *xpath = NULL, *oldpath = NULL;
	uint64_t old_seq = s->host.xs_seq;
	int ret = -1;

	if (xs_dirty) {
		s->host.xs_seq = old_seq + 1;
		xpath = xs_path(s, s->host.xs_seq);
		xs_store_save(s->xs, &b);
		if (xvm_file_write_atomic(xpath, b.data, b.len, 0600,
		    err) < 0) {
			s->host.xs_seq = old_seq;
			goto out;
		}
		xvm_buf_reset(&b);
	}
	enc_state(&b, &s->host, s->gen + 1);
	if (xvm_file_write_atomic(s->state_path, b.data, b.len, 0600,
	    err) < 0) {
		if (xs_dirty) {
			unlink(xpath);
			s->host.xs_seq = old_seq;
		}
		goto out;
	}
	s->gen++;
	if (xs_dirty) {
		s->xs_seq = s->host.xs_seq;
		oldpath = xs_path(s, old_seq);
		unlink(oldpath);	/* a leftover is harmless */
	}
	ret = 0;
out:
	xvm_buf_release(&b);
	free(xpath);
	free(oldpath);
	return ret;
}

int
sim_begin(struct sim *s, struct xvm_err *err)
{
	uint64_t gen = 0;
	int r;

	if (s->dir == NULL) {
		sim_advance(&s->host);
		return 0;
	}
	if (xvm_lock_acquire(&s->lock, s->lock_path, 0, err) < 0)
		return -1;
	r = read_gen(s, &gen, err);
	if (r == 0)
		r = xvm_err_set(err, XVM_ERR_NOT_FOUND, "simulated host state "
		    "'%s' has disappeared", s->state_path);
	if (r < 0)
		goto out;
	r = 0;
	if (!s->loaded || gen != s->gen) {
		s->loaded = false;
		r = load_all(s, err);
	}
	if (r == 0)
		sim_advance(&s->host);
out:
	if (r < 0)
		xvm_lock_release(&s->lock);
	return r < 0 ? -1 : 0;
}

int
sim_end(struct sim *s, bool dirty, bool xs_dirty, struct xvm_err *err)
{
	int ret = 0;

	if (s->dir == NULL)
		return 0;
	if (dirty || xs_dirty) {
		ret = save_all(s, xs_dirty, err);
		if (ret < 0) {
			/* disk wins next time, the store included */
			s->loaded = false;
			s->xs_seq = UINT64_MAX;
		}
	}
	xvm_lock_release(&s->lock);
	return ret;
}

/* What xen-init-dom0 writes at boot (tools/helpers/xen-init-dom0.c). */
static int
dom0_nodes(struct sim *s, struct xvm_err *err)
{
	static const char *const kv[][2] = {
		{ "/local/domain/0/domid", "0" },
		{ "/local/domain/0/name", "Domain-0" },
		{ "/local/pool/0/name", "Pool-0" },
	};
	size_t i;
	int e;

	for (i = 0; i < XVM_ARRAY_SIZE(kv); i++) {
		e = xs_write(s->conn, 0, kv[i][0], kv[i][1], strlen(kv[i][1]));
		if (e != 0)
			return xvm_err_sys(err, e, "cannot write '%s' in the "
			    "xenstore of the simulated host", kv[i][0]);
	}
	return 0;
}

/*
 * Under the lock, what a writer killed mid-save left behind: the
 * temporary files of xvm_file_write_atomic (".state.XXXXXX",
 * ".xenstore-N.XXXXXX", ".console.XXXXXX") and xenstore images other
 * than the one DIR/state names.  Nothing else in DIR is touched.
 */
static void
sweep(struct sim *s)
{
	DIR *d = opendir(s->dir);
	struct dirent *e;
	unsigned long long seq;
	char tail;

	if (d == NULL)
		return;			/* only tidiness is lost */
	while ((e = readdir(d)) != NULL) {
		const char *n = e->d_name;
		bool stale = false;

		if (strncmp(n, ".state.", 7) == 0 ||
		    strncmp(n, ".xenstore-", 10) == 0 ||
		    strncmp(n, ".console.", 9) == 0)
			stale = true;
		else if (sscanf(n, "xenstore-%llu%c", &seq, &tail) == 1 &&
		    n[9] >= '0' && n[9] <= '9' && seq != s->host.xs_seq)
			stale = true;
		if (stale)
			(void)unlinkat(dirfd(d), n, 0);
	}
	closedir(d);
}

int
sim_open_state(struct sim *s, const struct xvm_sim_spec *spec,
    struct xvm_err *err)
{
	struct stat sb;
	uint64_t gen = 0;
	int r;

	if (xvm_mkdir_p(s->dir, 0700, err) < 0)
		return -1;
	if (stat(s->dir, &sb) < 0)
		return xvm_err_sys(err, errno, "cannot open simulated host "
		    "'%s'", s->dir);
	if (!S_ISDIR(sb.st_mode))
		return xvm_err_set(err, XVM_ERR_INVALID_ARG, "simulated host "
		    "'%s' is not a directory", s->dir);
	if (xvm_lock_acquire(&s->lock, s->lock_path, 0, err) < 0)
		return -1;
	r = read_gen(s, &gen, err);
	if (r < 0)
		goto out;
	if (r == 1) {
		r = load_all(s, err);
		if (r == 0) {
			sweep(s);
			sim_advance(&s->host);
		}
		goto out;
	}
	/* a new host; its first store image is DIR/xenstore-1 */
	sim_host_init(&s->host, spec);
	set_store(s, xs_store_new());
	r = dom0_nodes(s, err);
	if (r == 0)
		r = sim_console_boot(s, err);
	if (r < 0)
		goto out;
	s->gen = 0;
	s->host.xs_seq = 0;
	s->loaded = true;
	return sim_end(s, true, true, err);	/* saves and unlocks */
out:
	xvm_lock_release(&s->lock);
	return r < 0 ? -1 : 0;
}

int
sim_open_mem(struct sim *s, const struct xvm_sim_spec *spec,
    struct xvm_err *err)
{
	sim_host_init(&s->host, spec);
	set_store(s, xs_store_new());
	s->loaded = true;
	if (!spec->without_dom0 && dom0_nodes(s, err) < 0)
		return -1;
	return sim_console_boot(s, err);
}

void
sim_release_state(struct sim *s)
{
	xvm_lock_release(&s->lock);
	sim_host_release(&s->host);
}

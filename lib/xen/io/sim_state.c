/*
 * sim_state.c - the simulated Xen host's persistent state: host figures,
 * the domain table and the xenstore, kept in a directory and shared by
 * every process that opens it.
 *
 * A snapshot (DIR/state naming DIR/xenstore-<seq>) plus a journal
 * (DIR/journal) of what changed since.  Every change runs between
 * sim_begin() and sim_end() under DIR/lock: catch up with what others
 * appended (or reload after a new snapshot), apply, append one record,
 * unlock.  So an operation costs the same with ten domains as with ten
 * thousand; when the journal outgrows an eighth of the snapshot (and
 * SIM_JOURNAL_MIN) the two are folded into a new snapshot, written with
 * fsync and rename: loading replays little, and folding costs a few
 * microseconds per operation spread over the operations before it.
 * Records are not synced one by one: a process killed at any point loses
 * nothing it was told was done (the data is in the kernel), and a crash
 * of the machine itself loses at most the newest records, never the
 * host, as a real host's hypervisor state and xenstored's database (kept
 * on tmpfs) do not survive it at all.
 * Read-only operations take no lock and make no system call: a writer
 * bumps a counter in shared memory (the first bytes of DIR/lock, mapped)
 * before it changes anything, so a reader that sees the value it saw
 * when its view was last current reads that view.  Without the mapping
 * the journal's inode and size tell the same (every process keeps the
 * journal open, so its inode number cannot be reused).
 *
 * DIR/state (all integers little-endian):
 *   "XVMSIMST"  u32 version (3; 1 and 2 are read)  u32 nr_nodes
 *   u64 generation  u32 nr_cpus, threads_per_core, cores_per_socket,
 *   cpu_khz, capabilities, sched_id  u64 total_pages  i64 clock_ns
 *   u32 rover  u64 xs_seq  u32 ndoms  ndoms * domain record (enc_dom:
 *   128 bytes and the variable part (enc_var) in version 3; 128 bytes
 *   in version 2, 120 in version 1, both without machine frames)
 *   u32 CRC-32 (IEEE) of everything before it
 * DIR/journal:
 *   "XVMSIMJL"  u32 version (2; 1 has records of 128-byte domains)  u32 0
 *   u64 generation of the snapshot
 *   it follows (a journal following another one is stale: ignored);
 *   then records: u32 "XVMJ", u32 payload length, payload, u32 CRC-32 of
 *   the length and payload.  Payload: i64 clock_ns, u32 rover, u32 n,
 *   n domain records (new or changed), u32 m, m u32 domids (gone),
 *   u32 length + an xenstore delta (xs_store_delta).  A record cut short
 *   by a crash ends the journal; the next writer cuts it off.
 * A snapshot is written in this order: the xenstore image, the state
 * that names it, a new empty journal, and only then is the old image
 * removed; the journal it replaces was complete, so a crash at any point
 * leaves files that load to the same host.
 */
#define __XEN_TOOLS__ 1

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
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
#define DOM_REC_LEN	128u
#define DOM_REC_LEN_V1	120u
#define JREC_MAGIC	0x4a4d5658u	/* "XVMJ" */
#define JREC_MAX	(64u << 20)
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

const struct sim_dom *
sim_dom_find(const struct sim_host *h, uint32_t domid)
{
	size_t i = dom_pos(h, domid);

	if (i < h->ndoms && h->doms[i].domid == domid)
		return &h->doms[i];
	return NULL;
}

static void
touch(struct sim_host *h, uint32_t domid)
{
	if (h->ntouched > 0 && h->touched[h->ntouched - 1] == domid)
		return;
	if (h->ntouched == h->ctouched) {
		h->ctouched = h->ctouched ? h->ctouched * 2 : 16;
		h->touched = xvm_realloc(h->touched,
		    h->ctouched * sizeof(*h->touched));
	}
	h->touched[h->ntouched++] = domid;
}

struct sim_dom *
sim_dom_mut(struct sim_host *h, uint32_t domid)
{
	size_t i = dom_pos(h, domid);

	if (i >= h->ndoms || h->doms[i].domid != domid)
		return NULL;
	touch(h, domid);
	return &h->doms[i];
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
	touch(h, domid);
	return &h->doms[i];
}

void
sim_dom_remove(struct sim_host *h, uint32_t domid)
{
	size_t i = dom_pos(h, domid);

	if (i >= h->ndoms || h->doms[i].domid != domid)
		return;
	sim_m2p_drop(h, &h->doms[i]);
	sim_dom_release(&h->doms[i]);
	memmove(&h->doms[i], &h->doms[i + 1],
	    (h->ndoms - i - 1) * sizeof(*h->doms));
	h->ndoms--;
	touch(h, domid);
}

uint64_t
sim_count_pages(const struct sim_host *h)
{
	uint64_t n = 0;
	size_t i;
	uint32_t j;

	for (i = 0; i < h->ndoms; i++)
		for (j = 0; j < h->doms[i].nruns; j++)
			if (h->doms[i].runs[j].kind == SIM_MEM_RAM)
				n += h->doms[i].runs[j].count;
	return n;
}

uint64_t
sim_used_pages(const struct sim_host *h)
{
	return h->used_pages;
}

/*
 * Is vcpu v of a running domain on a CPU (else blocked)?  Domain-0's
 * first vcpu runs the toolstack; a guest kernel that booted is busy only
 * under a load (xvm.load); a domain without a kernel (the test driver's,
 * or one a test made) is shown running, as it always was.
 */
bool
sim_vcpu_busy(const struct sim_dom *d, uint32_t v)
{
	if (d->domid == 0)
		return v == 0;
	return d->load_pm > 0 || !(d->state & SIM_BOOTED);
}

bool
sim_dom_running(const struct sim_dom *d)
{
	return d->pause_count == 0 && d->online_vcpus > 0 &&
	    !(d->state & (SIM_DYING | SIM_SHUTDOWN));
}

/* What busy domain d wants, in per-mille of one CPU (its cap applied). */
static uint64_t
demand_pm(const struct sim_dom *d)
{
	uint64_t want = (uint64_t)d->load_pm * d->online_vcpus;

	if (d->cap != 0 && want > (uint64_t)d->cap * 10)
		want = (uint64_t)d->cap * 10;
	return want;
}

/*
 * The share of the host's CPUs busy domain d gets, per mille of one CPU,
 * as the credit scheduler gives it: the running busy domains share the
 * CPUs in proportion to their weights, none getting more than it wants
 * (what one leaves goes to the others).  Idle guests' small loads are
 * left out.
 */
static uint64_t
busy_share_pm(const struct sim_host *h, const struct sim_dom *d)
{
	uint64_t left = (uint64_t)h->nr_cpus * 1000, share = 0;
	size_t n = 0, i, cap = 16;
	const struct sim_dom **b = xvm_malloc(cap * sizeof(*b));
	bool *done;

	for (i = 0; i < h->ndoms; i++)
		if (h->doms[i].load_pm && sim_dom_running(&h->doms[i])) {
			if (n == cap)
				b = xvm_realloc(b, (cap *= 2) * sizeof(*b));
			b[n++] = &h->doms[i];
		}
	done = xvm_calloc(n + 1, sizeof(*done));
	for (;;) {
		uint64_t wsum = 0;
		bool settled = false;

		for (i = 0; i < n; i++)
			if (!done[i])
				wsum += b[i]->weight;
		if (wsum == 0)
			break;
		/* those who want less than their part get what they want */
		for (i = 0; i < n; i++)
			if (!done[i] && demand_pm(b[i]) * wsum <=
			    left * b[i]->weight) {
				done[i] = true;
				left -= demand_pm(b[i]);
				if (b[i] == d)
					share = demand_pm(b[i]);
				settled = true;
			}
		if (settled)
			continue;
		/* the rest share what is left by weight */
		for (i = 0; i < n; i++)
			if (!done[i] && b[i] == d)
				share = left * b[i]->weight / wsum;
		break;
	}
	free(done);
	free(b);
	return share;
}

uint64_t
sim_dom_cpu(const struct sim_host *h, const struct sim_dom *d)
{
	int64_t dt = h->clock_ns - d->cpu_stamp;
	uint64_t t;

	if (dt <= 0 || !sim_dom_running(d))
		return d->cpu_time;
	if (dt > (int64_t)10 * 366 * 86400 * 1000000000)
		dt = (int64_t)10 * 366 * 86400 * 1000000000;
	if (d->load_pm)		/* a busy guest: its share of the CPUs */
		return d->cpu_time + (uint64_t)dt / 1000u *
		    busy_share_pm(h, d);
	/* ns of one vcpu's share; /1000 first keeps it inside 64 bits */
	t = (uint64_t)dt / 1000u * CPU_LOAD_PERMILLE * d->online_vcpus;
	/* a cap holds the whole domain to cap% of one CPU */
	if (d->cap != 0 && t > (uint64_t)dt / 100u * d->cap)
		t = (uint64_t)dt / 100u * d->cap;
	return d->cpu_time + t;
}

void
sim_dom_settle(struct sim_host *h, struct sim_dom *d)
{
	d->cpu_time = sim_dom_cpu(h, d);
	d->cpu_stamp = h->clock_ns;
}

void
sim_busy_settle(struct sim_host *h)
{
	size_t i;
	uint64_t *t = xvm_calloc(h->ndoms + 1, sizeof(*t));

	/* every busy domain's time at the shares as they are, then set */
	for (i = 0; i < h->ndoms; i++)
		if (h->doms[i].load_pm)
			t[i] = sim_dom_cpu(h, &h->doms[i]);
	for (i = 0; i < h->ndoms; i++)
		if (h->doms[i].load_pm) {
			struct sim_dom *x = sim_dom_mut(h, h->doms[i].domid);

			x->cpu_time = t[i];
			x->cpu_stamp = h->clock_ns;
		}
	free(t);
}

void
sim_dom_changing(struct sim_host *h, struct sim_dom *d)
{
	if (d->load_pm)
		sim_busy_settle(h);
	sim_dom_settle(h, d);
}

void
sim_advance(struct sim_host *h)
{
	int64_t now = now_ns();

	if (now > h->clock_ns)
		h->clock_ns = now;	/* the clock went back: wait for it */
}

void
sim_host_init(struct sim_host *h, const struct xvm_sim_spec *spec)
{
	unsigned long long dom0_kib, mem_kib = spec->memory_kib;
	uint64_t mfn;
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
	(void)sim_mem_alloc(h, d, SIM_MEM_RAM, 0, dom0_kib / 4, 1, &mfn);
	d->max_pages = UINT32_MAX;	/* PV dom0 builder: max_pages = ~0U */
	d->max_evtchn_port = UINT32_MAX;
	d->max_grant_frames = 64;
	d->max_maptrack_frames = 1024;
	d->weight = SIM_DEF_WEIGHT;
	d->created_ns = h->clock_ns;
	d->cpu_stamp = h->clock_ns;
	h->ntouched = 0;		/* all of it goes into a snapshot */
}

void
sim_host_release(struct sim_host *h)
{
	size_t i;

	for (i = 0; i < h->ndoms; i++)
		sim_dom_release(&h->doms[i]);
	free(h->m2p);
	h->m2p = NULL;
	h->nm2p = h->cm2p = 0;
	free(h->doms);
	h->doms = NULL;
	h->ndoms = h->cdoms = 0;
	free(h->touched);
	h->touched = NULL;
	h->ntouched = h->ctouched = 0;
	h->used_pages = 0;
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

/*
 * The variable part of a domain record (layout 3): u32 length, then
 * tagged items, u32 tag + u32 length + bytes, in any order; a reader
 * skips tags it does not know.
 *   1 runs:   per run u64 mfn, u64 pfn, u32 count, u32 kind
 *   2 ports:  per port u32 port, u16 state, u16 remote domain,
 *             u32 remote port
 *   3 the MFN pinned as the domain's L4 table (u64)
 *   4 pending guest actions: per action u32 kind, u32 arg, i64 due
 *   5 vcpu affinity: u32 bytes per map, then per vcpu (max_vcpus) its
 *     hard and its soft map
 *   6 the guest's memory writes: u32 pages/s, u32 log-dirty on, i64 the
 *     clock they are up to, u64 writes so far, u64 bitmap bits, the
 *     log-dirty bitmap
 *   7 a busy guest's load: u32 per mille of a CPU per vcpu
 */
enum { VAR_RUNS = 1, VAR_PORTS = 2, VAR_PIN = 3, VAR_PEND = 4, VAR_AFF = 5,
    VAR_DIRTY = 6, VAR_LOAD = 7 };

static void
enc_var(struct xvm_buf *b, const struct sim_dom *d)
{
	size_t at = b->len, i;
	uint32_t k;

	xvm_put_le32(b, 0);
	if (d->nruns) {
		xvm_put_le32(b, VAR_RUNS);
		xvm_put_le32(b, d->nruns * 24u);
		for (k = 0; k < d->nruns; k++) {
			xvm_put_le64(b, d->runs[k].mfn);
			xvm_put_le64(b, d->runs[k].pfn);
			xvm_put_le32(b, d->runs[k].count);
			xvm_put_le32(b, d->runs[k].kind);
		}
	}
	if (d->nports) {
		xvm_put_le32(b, VAR_PORTS);
		xvm_put_le32(b, d->nports * 12u);
		for (k = 0; k < d->nports; k++) {
			xvm_put_le32(b, d->ports[k].port);
			xvm_put_le32(b, d->ports[k].state |
			    (uint32_t)d->ports[k].remote_dom << 16);
			xvm_put_le32(b, d->ports[k].remote_port);
		}
	}
	if (d->pinned_l4) {
		xvm_put_le32(b, VAR_PIN);
		xvm_put_le32(b, 8);
		xvm_put_le64(b, d->pinned_l4);
	}
	if (d->npend) {
		xvm_put_le32(b, VAR_PEND);
		xvm_put_le32(b, d->npend * 16u);
		for (k = 0; k < d->npend; k++) {
			xvm_put_le32(b, d->pend[k].kind);
			xvm_put_le32(b, d->pend[k].arg);
			xvm_put_le64(b, (uint64_t)d->pend[k].due_ns);
		}
	}
	if (d->aff) {
		xvm_put_le32(b, VAR_AFF);
		xvm_put_le32(b, 4 + d->max_vcpus * 2 * d->aff_bytes);
		xvm_put_le32(b, d->aff_bytes);
		xvm_buf_add(b, d->aff, (size_t)d->max_vcpus * 2 *
		    d->aff_bytes);
	}
	if (d->dirty_rate || d->logdirty) {
		uint64_t nb = (d->dirty_bits + 7) / 8;

		xvm_put_le32(b, VAR_DIRTY);
		xvm_put_le32(b, (uint32_t)(32 + nb));
		xvm_put_le32(b, d->dirty_rate);
		xvm_put_le32(b, d->logdirty);
		xvm_put_le64(b, (uint64_t)d->dirty_stamp);
		xvm_put_le64(b, d->dirty_seq);
		xvm_put_le64(b, d->dirty_bits);
		if (nb)
			xvm_buf_add(b, d->dirty, nb);
	}
	if (d->load_pm) {
		xvm_put_le32(b, VAR_LOAD);
		xvm_put_le32(b, 4);
		xvm_put_le32(b, d->load_pm);
	}
	for (i = 0; i < 4; i++)
		b->data[at + i] = (char)((b->len - at - 4) >> (8 * i));
}

/* Runs in order, RAM summing to tot_pages; ports sorted and sane. */
static bool
var_sane(const struct sim_dom *d)
{
	uint64_t ram = 0;
	uint32_t k;

	for (k = 0; k < d->nruns; k++) {
		const struct sim_run *r = &d->runs[k];

		if (r->count == 0 || r->kind > SIM_MEM_HVM || r->mfn == 0 ||
		    r->mfn + r->count < r->mfn || r->pfn + r->count < r->pfn)
			return false;
		if (k > 0 && (r->kind < d->runs[k - 1].kind ||
		    (r->kind == d->runs[k - 1].kind &&
		    r->pfn < d->runs[k - 1].pfn)))
			return false;
		if (r->kind == SIM_MEM_RAM)
			ram += r->count;
	}
	if (ram != d->tot_pages)
		return false;
	for (k = 0; k < d->nports; k++) {
		const struct sim_port *p = &d->ports[k];

		if (p->port == 0 || p->state < SIM_EVTCHN_UNBOUND ||
		    p->state > SIM_EVTCHN_INTERDOMAIN ||
		    (k > 0 && p->port <= d->ports[k - 1].port))
			return false;
	}
	for (k = 0; k < d->npend; k++)
		if (d->pend[k].kind < SIM_G_SHUTDOWN ||
		    d->pend[k].kind > SIM_G_INSTALLED || d->pend[k].arg > 5)
			return false;
	return true;
}

static void
dec_var(struct dec *dc, struct sim_dom *d)
{
	uint32_t len = get32(dc), tag, tlen, k, v;
	size_t end;

	if (dc->bad || len > dc->len - dc->off) {
		dc->bad = true;
		return;
	}
	end = dc->off + len;
	while (!dc->bad && dc->off < end) {
		tag = get32(dc);
		tlen = get32(dc);
		if (dc->bad || tlen > end - dc->off) {
			dc->bad = true;
			return;
		}
		if (tag == VAR_RUNS && d->runs == NULL && tlen % 24 == 0 &&
		    tlen > 0) {
			d->nruns = tlen / 24;
			d->runs = xvm_calloc(d->nruns, sizeof(*d->runs));
			for (k = 0; k < d->nruns; k++) {
				d->runs[k].mfn = get64(dc);
				d->runs[k].pfn = get64(dc);
				d->runs[k].count = get32(dc);
				d->runs[k].kind = get32(dc);
			}
		} else if (tag == VAR_PORTS && d->ports == NULL &&
		    tlen % 12 == 0 && tlen > 0) {
			d->nports = tlen / 12;
			d->ports = xvm_calloc(d->nports, sizeof(*d->ports));
			for (k = 0; k < d->nports; k++) {
				d->ports[k].port = get32(dc);
				v = get32(dc);
				d->ports[k].state = (uint16_t)(v & 0xffff);
				d->ports[k].remote_dom = (uint16_t)(v >> 16);
				d->ports[k].remote_port = get32(dc);
			}
		} else if (tag == VAR_PIN && tlen == 8) {
			d->pinned_l4 = get64(dc);
		} else if (tag == VAR_PEND && d->pend == NULL &&
		    tlen % 16 == 0 && tlen > 0) {
			d->npend = tlen / 16;
			d->pend = xvm_calloc(d->npend, sizeof(*d->pend));
			for (k = 0; k < d->npend; k++) {
				d->pend[k].kind = get32(dc);
				d->pend[k].arg = get32(dc);
				d->pend[k].due_ns = (int64_t)get64(dc);
			}
		} else if (tag == VAR_AFF && d->aff == NULL && tlen >= 4 &&
		    (v = get32(dc)) > 0 && v <= 512 &&
		    tlen == 4 + (uint64_t)d->max_vcpus * 2 * v) {
			d->aff_bytes = v;
			d->aff = xvm_malloc(tlen - 4);
			memcpy(d->aff, dc->p + dc->off, tlen - 4);
			dc->off += tlen - 4;
		} else if (tag == VAR_DIRTY && d->dirty == NULL &&
		    tlen >= 32) {
			uint64_t nbits, nb;

			d->dirty_rate = get32(dc);
			d->logdirty = get32(dc) != 0;
			d->dirty_stamp = (int64_t)get64(dc);
			d->dirty_seq = get64(dc);
			nbits = get64(dc);
			nb = (nbits + 7) / 8;
			if (nbits > (1ull << 36) || tlen != 32 + nb) {
				dc->bad = true;
				return;
			}
			d->dirty_bits = nbits;
			if (nb) {
				d->dirty = xvm_malloc(nb);
				memcpy(d->dirty, dc->p + dc->off, nb);
				dc->off += nb;
			}
		} else if (tag == VAR_LOAD && tlen == 4) {
			d->load_pm = get32(dc);
			if (d->load_pm > 1000)
				dc->bad = true;
		} else if (tag >= 1 && tag <= VAR_LOAD) {
			dc->bad = true;		/* known, but malformed */
		} else {
			dc->off += tlen;	/* a later version's: skip */
		}
	}
	if (dc->off != end || !var_sane(d))
		dc->bad = true;
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
	xvm_put_le64(b, (uint64_t)d->cpu_stamp);
	xvm_buf_pad(b, DOM_REC_LEN - (b->len - start), '\0');
	enc_var(b, d);
}

/*
 * One record in layout 3 (DOM_REC_LEN, then the variable part), 2
 * (DOM_REC_LEN alone) or 1 (DOM_REC_LEN_V1, without cpu_stamp: then
 * stamp, the clock the file was saved at).  Layouts 1 and 2 carry no
 * frames: load_fixup gives their domains some.  On failure dc->bad is
 * set and d's variable part freed.
 */
static void
dec_dom(struct dec *dc, struct sim_dom *d, int layout, int64_t stamp)
{
	size_t rec_len = layout == 1 ? DOM_REC_LEN_V1 : DOM_REC_LEN;
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
	d->cpu_stamp = layout != 1 ? (int64_t)get64(dc) : stamp;
	if (!dc->bad && dc->off - start <= rec_len &&
	    dc->len - start >= rec_len)
		dc->off = start + rec_len;
	else
		dc->bad = true;
	if (layout == 3 && !dc->bad)
		dec_var(dc, d);
	if (dc->bad)
		sim_dom_release(d);
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

/* No frame owned twice, none outside the host. */
static bool
m2p_sane(const struct sim_host *h)
{
	size_t i;

	for (i = 0; i < h->nm2p; i++) {
		if (h->m2p[i].mfn == 0 ||
		    h->m2p[i].mfn + h->m2p[i].count > sim_mem_end(h))
			return false;
		if (i > 0 && h->m2p[i - 1].mfn + h->m2p[i - 1].count >
		    h->m2p[i].mfn)
			return false;
	}
	return h->used_pages <= h->total_pages;
}

/*
 * Domains from a host saved before machine frames were kept (state
 * versions 1 and 2, journal version 1) get frames for their pages.
 */
static void
load_fixup(struct sim_host *h)
{
	struct sim_dom *d;
	uint64_t n, mfn;
	size_t i;

	for (i = 0; i < h->ndoms; i++) {
		d = &h->doms[i];
		if (d->nruns > 0 || d->tot_pages == 0)
			continue;
		n = d->tot_pages;
		d->tot_pages = 0;
		if (sim_mem_alloc(h, d, SIM_MEM_RAM, 0, n, 1, &mfn) < 0)
			d->tot_pages = n;	/* keep the figure at least */
	}
	h->ntouched = 0;
}

static int
dec_state(const char *path, const unsigned char *p, size_t len,
    struct sim_host *h, uint64_t *gen_r, struct xvm_err *err)
{
	struct dec dc = { p, len, 0, false };
	uint32_t version, n, i, prev = 0;
	struct sim_dom *d;
	int layout;

	memset(h, 0, sizeof(*h));
	if (len < HDR_LEN + 4 || memcmp(p, SIM_STATE_MAGIC, 8) != 0)
		return corrupt(err, path, "not a state file");
	dc.off = 8;
	version = get32(&dc);
	if (version < 1 || version > SIM_STATE_VERSION)
		return xvm_err_set(err, XVM_ERR_INTERNAL,
		    "simulated host state '%s' has version %" PRIu32
		    ", expected %u", path, version, SIM_STATE_VERSION);
	layout = (int)version;		/* the record layout follows it */
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
	    (layout == 1 && (size_t)n * DOM_REC_LEN_V1 != dc.len - dc.off) ||
	    (layout == 2 && (size_t)n * DOM_REC_LEN != dc.len - dc.off) ||
	    (size_t)n * DOM_REC_LEN_V1 > dc.len - dc.off)
		return corrupt(err, path, "bad domain table");
	if (h->nr_cpus == 0 || h->nr_cpus > 4096 || h->total_pages == 0 ||
	    h->nr_nodes > h->nr_cpus || h->threads_per_core == 0 ||
	    h->cores_per_socket == 0)
		return corrupt(err, path, "bad host figures");
	h->doms = xvm_calloc(n ? n : 1, sizeof(*h->doms));
	h->cdoms = n ? n : 1;
	for (i = 0; i < n; i++) {
		d = &h->doms[i];
		dec_dom(&dc, d, layout, h->clock_ns);
		if (dc.bad || d->domid >= DOMID_FIRST_RESERVED ||
		    (i > 0 && d->domid <= prev)) {
			sim_host_release(h);
			return corrupt(err, path, "bad domain record");
		}
		prev = d->domid;
		h->ndoms++;
	}
	if (dc.off != dc.len) {
		sim_host_release(h);
		return corrupt(err, path, "bad domain table");
	}
	if (!sim_dom_find(h, 0)) {
		sim_host_release(h);
		return corrupt(err, path, "no Domain-0");
	}
	sim_m2p_rebuild(h);
	if (!m2p_sane(h)) {
		sim_host_release(h);
		return corrupt(err, path, "domains share machine frames");
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
	xs_store_journal(st, s->dir != NULL);
	sim_xs_rebind(s, old);
	sim_guest_rebind(s);
}

/* ---- the journal ------------------------------------------------------- */

static int
jcorrupt(struct xvm_err *err, const struct sim *s, uint64_t off,
    const char *why)
{
	return xvm_err_set(err, XVM_ERR_INTERNAL, "simulated host journal "
	    "'%s' is corrupt at byte %" PRIu64 ": %s", s->journal_path, off,
	    why);
}

static void
jclose(struct sim *s)
{
	if (s->jfd >= 0)
		close(s->jfd);
	s->jfd = -1;
	s->jdev = s->jino = 0;
	s->jbase = s->jend = s->jsize = 0;
}

/*
 * Apply one record's payload to h and st; fn fires watches for the
 * xenstore part.  In bulk (a load) the frame index is left for the
 * caller to rebuild.  -1 when it does not make sense (the caller throws
 * h and st away).
 */
static int
apply_payload(struct sim *s, struct sim_host *h, bool bulk,
    struct xs_store *st,
    xs_change_fn fn, const unsigned char *p, size_t len, uint64_t off,
    struct xvm_err *err)
{
	struct dec dc = { p, len, 0, false };
	struct sim_dom rec, *d;
	struct xvm_err xerr;
	uint32_t n, i, k, domid, xlen;
	bool same;

	h->clock_ns = (int64_t)get64(&dc);
	h->rover = get32(&dc);
	n = get32(&dc);
	if (dc.bad || n > DOMID_FIRST_RESERVED ||
	    (size_t)n * DOM_REC_LEN > dc.len - dc.off)
		return jcorrupt(err, s, off, "bad domain records");
	for (i = 0; i < n; i++) {
		dec_dom(&dc, &rec, s->jver == 1 ? 2 : 3, 0);
		if (dc.bad || rec.domid >= DOMID_FIRST_RESERVED)
			return jcorrupt(err, s, off, "bad domain record");
		d = sim_dom_mut(h, rec.domid);
		same = bulk || (d != NULL && d->nruns == rec.nruns &&
		    (d->nruns == 0 || memcmp(d->runs, rec.runs,
		    d->nruns * sizeof(*d->runs)) == 0));
		if (d == NULL) {
			d = sim_dom_insert(h, rec.domid);
		} else {
			if (!same)
				sim_m2p_drop(h, d);
			sim_dom_release(d);
		}
		*d = rec;		/* its variable part with it */
		for (k = 0; k < d->npend; k++)
			if (h->next_due == 0 || d->pend[k].due_ns < h->next_due)
				h->next_due = d->pend[k].due_ns;
		if (same)
			continue;	/* the same frames, or rebuilt after */
		for (k = 0; k < d->nruns; k++)
			if (!sim_m2p_range_free(h, d->runs[k].mfn,
			    d->runs[k].count))
				return jcorrupt(err, s, off, "machine frames "
				    "owned twice");
		sim_m2p_add(h, d);
	}
	n = get32(&dc);
	if (dc.bad || n > DOMID_FIRST_RESERVED)
		return jcorrupt(err, s, off, "bad removals");
	for (i = 0; i < n; i++) {
		domid = get32(&dc);
		if (dc.bad || domid == 0 || !sim_dom_find(h, domid))
			return jcorrupt(err, s, off, "bad removal");
		sim_dom_remove(h, domid);
	}
	xlen = get32(&dc);
	if (dc.bad || xlen != dc.len - dc.off)
		return jcorrupt(err, s, off, "bad xenstore part");
	xvm_err_clear(&xerr);
	if (xs_store_apply(st, p + dc.off, xlen, fn, s, &xerr) < 0)
		return jcorrupt(err, s, off, xerr.msg);
	return 0;
}

/*
 * Apply the records of data[0..len) (the journal from byte base on);
 * *used_r is how many bytes were whole records.  A record cut short or
 * failing its checksum ends the journal there.
 */
static int
apply_records(struct sim *s, struct sim_host *h, bool bulk,
    struct xs_store *st,
    xs_change_fn fn, const unsigned char *data, size_t len, uint64_t base,
    size_t *used_r, struct xvm_err *err)
{
	size_t off = 0;
	uint32_t plen, crc;

	*used_r = 0;
	while (len - off >= 12) {
		struct dec dc = { data + off, len - off, 0, false };

		if (get32(&dc) != JREC_MAGIC)
			break;
		plen = get32(&dc);
		if (plen > JREC_MAX || plen > len - off - 12)
			break;
		dc.off += plen;
		crc = get32(&dc);
		if (crc != xvm_crc32(data + off + 4, 4 + (size_t)plen))
			break;
		if (apply_payload(s, h, bulk, st, fn, data + off + 8, plen,
		    base + off, err) < 0)
			return -1;
		off += 12 + (size_t)plen;
	}
	h->ntouched = 0;		/* on disk already */
	*used_r = off;
	return 0;
}

/* Read the journal from byte from to its end (size at most max). */
static int
jread(struct sim *s, uint64_t from, uint64_t size, char **data_r,
    size_t *len_r, struct xvm_err *err)
{
	size_t len = (size_t)(size - from), got = 0;
	char *data = xvm_malloc(len ? len : 1);
	ssize_t n;

	while (got < len) {
		n = pread(s->jfd, data + got, len - got, (off_t)(from + got));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			free(data);
			return xvm_err_sys(err, errno, "cannot read '%s'",
			    s->journal_path);
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	*data_r = data;
	*len_r = got;
	return 0;
}

/*
 * Open DIR/journal into s (jfd, identity, base); 0 when it does not
 * exist (jfd stays -1), -1 on error.
 */
static int
jopen(struct sim *s, struct xvm_err *err)
{
	unsigned char hdr[SIM_JOURNAL_HDR];
	struct dec dc = { hdr, sizeof(hdr), 8, false };
	struct stat sb;
	ssize_t n;
	int fd;

	jclose(s);
	fd = open(s->journal_path, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT)
			return 0;
		return xvm_err_sys(err, errno, "cannot open '%s'",
		    s->journal_path);
	}
	if (fstat(fd, &sb) < 0) {
		close(fd);
		return xvm_err_sys(err, errno, "cannot open '%s'",
		    s->journal_path);
	}
	do {
		n = pread(fd, hdr, sizeof(hdr), 0);
	} while (n < 0 && errno == EINTR);
	if (n != (ssize_t)sizeof(hdr) ||
	    memcmp(hdr, SIM_JOURNAL_MAGIC, 8) != 0) {
		close(fd);
		return jcorrupt(err, s, 0, "not a journal");
	}
	s->jver = get32(&dc);
	if (s->jver < 1 || s->jver > SIM_JOURNAL_VERSION) {
		close(fd);
		return jcorrupt(err, s, 8, "unknown version");
	}
	(void)get32(&dc);
	s->jfd = fd;
	s->jdev = (uint64_t)sb.st_dev;
	s->jino = (uint64_t)sb.st_ino;
	s->jbase = get64(&dc);
	s->jend = SIM_JOURNAL_HDR;
	s->jsize = (uint64_t)sb.st_size;
	return 0;
}

/* A new empty journal following snapshot generation base. */
static int
jcreate(struct sim *s, uint64_t base, struct xvm_err *err)
{
	struct xvm_buf b = XVM_BUF_INIT;
	int r;

	xvm_buf_add(&b, SIM_JOURNAL_MAGIC, 8);
	xvm_put_le32(&b, SIM_JOURNAL_VERSION);
	xvm_put_le32(&b, 0);
	xvm_put_le64(&b, base);
	r = xvm_file_write_atomic(s->journal_path, b.data, b.len, 0600, err);
	xvm_buf_release(&b);
	if (r < 0)
		return -1;
	if (jopen(s, err) < 0)
		return -1;
	if (s->jfd < 0)
		return xvm_err_set(err, XVM_ERR_NOT_FOUND, "simulated host "
		    "journal '%s' has disappeared", s->journal_path);
	return 0;
}

/* ---- loading ----------------------------------------------------------- */

/*
 * A snapshot file, mapped: they are replaced by rename, never changed in
 * place, so the mapping stays what was read (no copy of megabytes).
 */
static int
map_file(const char *path, size_t max, void **p_r, size_t *len_r,
    struct xvm_err *err)
{
	struct stat sb;
	void *p = NULL;
	int fd;

	*p_r = NULL;
	*len_r = 0;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return xvm_err_sys(err, errno, "cannot open '%s'", path);
	if (fstat(fd, &sb) < 0) {
		xvm_err_sys(err, errno, "cannot read '%s'", path);
		close(fd);
		return -1;
	}
	if (!S_ISREG(sb.st_mode) || (uint64_t)sb.st_size > max) {
		close(fd);
		return xvm_err_set(err, XVM_ERR_SYSTEM, "'%s' is not a "
		    "snapshot file of at most %zu bytes", path, max);
	}
	if (sb.st_size > 0) {
		p = mmap(NULL, (size_t)sb.st_size, PROT_READ,
		    MAP_PRIVATE | MAP_POPULATE, fd, 0);
		if (p == MAP_FAILED) {
			xvm_err_sys(err, errno, "cannot read '%s'", path);
			close(fd);
			return -1;
		}
	}
	close(fd);
	*p_r = p;
	*len_r = (size_t)sb.st_size;
	return 0;
}

static void
unmap_file(void *p, size_t len)
{
	if (p != NULL)
		munmap(p, len);
}

/* Everything from disk: the snapshot, then the journal that follows it. */
static int
load_all(struct sim *s, struct xvm_err *err)
{
	struct sim_host h;
	struct xvm_err xerr;
	struct xs_store *st = NULL;
	void *data = NULL, *xdata = NULL;
	char *xpath = NULL, *jdata = NULL;
	size_t len = 0, xlen = 0, jlen, used;
	uint64_t gen = 0;
	int ret = -1;

	memset(&h, 0, sizeof(h));
	s->loaded = false;
	if (map_file(s->state_path, STATE_MAX, &data, &len, err) < 0)
		goto out;
	if (dec_state(s->state_path, (unsigned char *)data, len, &h, &gen,
	    err) < 0)
		goto out;
	xpath = xs_path(s, h.xs_seq);
	if (map_file(xpath, XS_MAX, &xdata, &xlen, err) < 0)
		goto out;
	xvm_err_clear(&xerr);
	st = xs_store_load(xdata, xlen, &xerr);
	if (st == NULL) {
		xvm_err_set(err, XVM_ERR_INTERNAL, "simulated host "
		    "xenstore '%s' is corrupt: %s", xpath, xerr.msg);
		goto out;
	}
	if (jopen(s, err) < 0)
		goto out;
	if (s->jfd >= 0 && s->jbase == gen) {
		if (jread(s, SIM_JOURNAL_HDR, s->jsize, &jdata, &jlen,
		    err) < 0)
			goto out;
		if (apply_records(s, &h, true, st, NULL,
		    (unsigned char *)jdata, jlen, SIM_JOURNAL_HDR, &used,
		    err) < 0)
			goto out;
		s->jend = SIM_JOURNAL_HDR + used;
		/* the frame index, once, for all the records */
		sim_m2p_rebuild(&h);
		if (!m2p_sane(&h)) {
			jcorrupt(err, s, SIM_JOURNAL_HDR, "machine frames "
			    "owned twice");
			goto out;
		}
	} else {
		s->jend = s->jsize;	/* stale: the next writer replaces it */
	}
	load_fixup(&h);
	sim_guest_rescan(&h);
	set_store(s, st);
	st = NULL;
	sim_host_release(&s->host);
	s->host = h;
	memset(&h, 0, sizeof(h));
	s->gen = gen;
	s->snap_bytes = len + xlen;
	s->loaded = true;
	ret = 0;
out:
	if (ret < 0)
		jclose(s);
	sim_host_release(&h);
	xs_store_free(st);
	unmap_file(data, len);
	unmap_file(xdata, xlen);
	free(xpath);
	free(jdata);
	return ret;
}

/* Is this process's view what the journal says?  (No lock needed.) */
static bool
current(const struct sim *s, struct stat *sb)
{
	if (!s->loaded || s->jfd < 0 || stat(s->journal_path, sb) < 0)
		return false;
	return (uint64_t)sb->st_ino == s->jino &&
	    (uint64_t)sb->st_dev == s->jdev &&
	    (uint64_t)sb->st_size == s->jsize;
}

/*
 * Under the lock: catch up with the disk.  The state's generation is
 * checked too: a writer killed between a new state and its journal left
 * the old journal (stale now, its contents in the state), and a state
 * replaced by anything else must not be written on blindly.
 */
static int
sync_disk(struct sim *s, struct xvm_err *err)
{
	struct stat sb;
	char *data = NULL;
	uint64_t gen = 0;
	size_t len, used;
	int r;

	r = read_gen(s, &gen, err);
	if (r == 0)
		return xvm_err_set(err, XVM_ERR_NOT_FOUND, "simulated host "
		    "state '%s' has disappeared", s->state_path);
	if (r < 0)
		return -1;
	if (gen != s->gen)
		return load_all(s, err);
	if (current(s, &sb))
		return 0;
	if (!s->loaded || s->jfd < 0 || stat(s->journal_path, &sb) < 0 ||
	    (uint64_t)sb.st_ino != s->jino ||
	    (uint64_t)sb.st_dev != s->jdev ||
	    (uint64_t)sb.st_size < s->jend || s->jbase != s->gen)
		return load_all(s, err);
	/* others appended: apply their records, firing our watches */
	if (jread(s, s->jend, (uint64_t)sb.st_size, &data, &len, err) < 0)
		return -1;
	r = apply_records(s, &s->host, false, s->xs,
	    s->nwatches ? sim_xs_changed : NULL, (unsigned char *)data, len,
	    s->jend, &used, err);
	free(data);
	if (r < 0) {
		s->loaded = false;
		return -1;
	}
	s->jend += used;
	s->jsize = (uint64_t)sb.st_size;
	return 0;
}

/* ---- saving ------------------------------------------------------------ */

/*
 * A new snapshot of the host as it is, with a new empty journal; the old
 * image goes last.
 */
static int
snapshot(struct sim *s, struct xvm_err *err)
{
	struct xvm_buf b = XVM_BUF_INIT;
	char *xpath = NULL, *oldpath = NULL;
	uint64_t old_seq = s->host.xs_seq;
	size_t xlen;
	int ret = -1;

	s->host.xs_seq = old_seq + 1;
	xpath = xs_path(s, s->host.xs_seq);
	xs_store_save(s->xs, &b);
	xlen = b.len;
	if (xvm_file_write_atomic(xpath, b.data, b.len, 0600, err) < 0)
		goto fail;
	xvm_buf_reset(&b);
	enc_state(&b, &s->host, s->gen + 1);
	if (xvm_file_write_atomic(s->state_path, b.data, b.len, 0600,
	    err) < 0) {
		unlink(xpath);
		goto fail;
	}
	s->gen++;
	s->snap_bytes = xlen + b.len;
	if (jcreate(s, s->gen, err) < 0)
		goto out;		/* a stale journal is replaced later */
	oldpath = xs_path(s, old_seq);
	unlink(oldpath);		/* a leftover is swept */
	ret = 0;
	goto out;
fail:
	s->host.xs_seq = old_seq;
out:
	xvm_buf_release(&b);
	free(xpath);
	free(oldpath);
	return ret;
}

static int
u32_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* One journal record for what changed since the last one. */
static void
encode_record(struct sim *s, struct xvm_buf *b)
{
	struct xvm_buf gone = XVM_BUF_INIT, xs = XVM_BUF_INIT;
	struct sim_host *h = &s->host;
	const struct sim_dom *d;
	size_t i, nup_at, start;
	uint32_t nup = 0, ngone = 0;
	uint32_t crc;

	start = b->len;
	xvm_put_le32(b, JREC_MAGIC);
	xvm_put_le32(b, 0);			/* length, below */
	xvm_put_le64(b, (uint64_t)s->host.clock_ns);
	xvm_put_le32(b, s->host.rover);
	nup_at = b->len;
	xvm_put_le32(b, 0);
	qsort(h->touched, h->ntouched, sizeof(*h->touched), u32_cmp);
	for (i = 0; i < h->ntouched; i++) {
		if (i > 0 && h->touched[i] == h->touched[i - 1])
			continue;
		d = sim_dom_find(h, h->touched[i]);
		if (d != NULL) {
			enc_dom(b, d);
			nup++;
		} else {
			xvm_put_le32(&gone, h->touched[i]);
			ngone++;
		}
	}
	h->ntouched = 0;
	for (i = 0; i < 4; i++)
		b->data[nup_at + i] = (char)(nup >> (8 * i));
	xvm_put_le32(b, ngone);
	xvm_buf_add(b, gone.data, gone.len);
	xs_store_delta(s->xs, &xs);
	xvm_put_le32(b, (uint32_t)xs.len);
	xvm_buf_add(b, xs.data, xs.len);
	for (i = 0; i < 4; i++)
		b->data[start + 4 + i] =
		    (char)((b->len - start - 8) >> (8 * i));
	crc = xvm_crc32((unsigned char *)b->data + start + 4,
	    b->len - start - 4);
	xvm_put_le32(b, crc);
	xvm_buf_release(&gone);
	xvm_buf_release(&xs);
}

/* Append what this operation changed; fold into a snapshot when due. */
static int
commit(struct sim *s, struct xvm_err *err)
{
	struct xvm_buf b = XVM_BUF_INIT;
	size_t off = 0;
	ssize_t n;

	/* the journal of an older host (records without frames): fold it
	   and this operation into a snapshot, which starts a new one */
	if (s->jfd >= 0 && s->jbase == s->gen && s->jver < SIM_JOURNAL_VERSION) {
		encode_record(s, &b);	/* consumes what changed */
		xvm_buf_release(&b);
		return snapshot(s, err);
	}
	/* none yet (an older host), or a stale one (sync_disk) */
	if (s->jfd < 0 || s->jbase != s->gen) {
		if (jcreate(s, s->gen, err) < 0)
			return -1;
	} else if (s->jsize != s->jend) {
		/* the tail a killed writer left */
		if (ftruncate(s->jfd, (off_t)s->jend) < 0)
			return xvm_err_sys(err, errno, "cannot write '%s'",
			    s->journal_path);
		s->jsize = s->jend;
	}
	encode_record(s, &b);
	while (off < b.len) {
		n = pwrite(s->jfd, b.data + off, b.len - off,
		    (off_t)(s->jend + off));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			xvm_err_sys(err, errno, "cannot write '%s'",
			    s->journal_path);
			goto fail;
		}
		off += (size_t)n;
	}
	s->jend += b.len;
	s->jsize = s->jend;
	xvm_buf_release(&b);
	if (s->jend - SIM_JOURNAL_HDR > s->jmin &&
	    s->jend - SIM_JOURNAL_HDR > s->snap_bytes / 8) {
		struct xvm_err serr;

		/* the record is safe: a failed fold only costs a reload */
		xvm_err_clear(&serr);
		if (snapshot(s, &serr) < 0)
			s->loaded = false;
	}
	return 0;
fail:
	xvm_buf_release(&b);
	/* whatever reached the file is cut off by the next writer */
	s->jsize = UINT64_MAX;
	return -1;
}

/* The change counter, or 0 without the mapping. */
static uint64_t
seq_get(const struct sim *s)
{
	return s->seqp ? __atomic_load_n(s->seqp, __ATOMIC_ACQUIRE) : 0;
}

/* Map DIR/lock's counter (under the lock); without it, stat is used. */
static void
seq_map(struct sim *s)
{
	struct stat sb;
	void *p;
	int fd;

	if (s->seqp)
		return;
	fd = open(s->lock_path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return;
	if (fstat(fd, &sb) == 0 &&
	    (sb.st_size >= 4096 || ftruncate(fd, 4096) == 0)) {
		p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		if (p != MAP_FAILED)
			s->seqp = p;
	}
	close(fd);
}

int
sim_begin(struct sim *s, bool ro, struct xvm_err *err)
{
	struct stat sb;

	s->locked = false;
	if (s->dir == NULL) {
		sim_advance(&s->host);
		sim_guest_tick(s);
		return 0;
	}
	if (ro && s->loaded && (s->seqp ? seq_get(s) == s->seq_seen :
	    current(s, &sb))) {
		sim_advance(&s->host);
		/* a guest's action is due: it needs the lock */
		if (s->host.next_due == 0 ||
		    s->host.clock_ns < s->host.next_due)
			return 0;
	}
	if (xvm_lock_acquire(&s->lock, s->lock_path, 0, err) < 0)
		return -1;
	if (sync_disk(s, err) < 0) {
		xvm_lock_release(&s->lock);
		return -1;
	}
	s->seq_seen = seq_get(s);
	s->locked = true;
	sim_advance(&s->host);
	sim_guest_tick(s);
	return 0;
}

int
sim_end(struct sim *s, bool dirty, bool xs_dirty, struct xvm_err *err)
{
	const struct xs_jent *v;
	bool special;
	int ret = 0;

	if (s->dir == NULL)
		return 0;
	if (xs_store_jlog(s->xs, &v, &special) > 0 || special ||
	    s->host.ntouched > 0)
		xs_dirty = true;	/* whatever changed is journaled */
	if (!s->locked) {
		if (!dirty && !xs_dirty)
			return 0;
		/* a read-only operation changed the host: a bug, not saved */
		s->loaded = false;
		return xvm_err_set(err, XVM_ERR_INTERNAL, "simulated host: a "
		    "read-only operation changed the state");
	}
	if (dirty || xs_dirty) {
		/* readers look before anything changes on disk */
		if (s->seqp)
			__atomic_fetch_add(s->seqp, 1, __ATOMIC_SEQ_CST);
		ret = commit(s, err);
		if (ret < 0)
			s->loaded = false;	/* disk wins next time */
		s->seq_seen = seq_get(s);
	}
	s->locked = false;
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
 * ".xenstore-N.XXXXXX", ".journal.XXXXXX", ".console.XXXXXX"),
 * xenstore images other than the one DIR/state names, and a record cut
 * short at the journal's end.  Nothing else in DIR is touched.
 */
static void
sweep(struct sim *s)
{
	DIR *d = opendir(s->dir);
	struct dirent *e;
	unsigned long long seq;
	char tail;

	if (s->jfd >= 0 && s->jbase == s->gen && s->jsize > s->jend &&
	    ftruncate(s->jfd, (off_t)s->jend) == 0)
		s->jsize = s->jend;
	if (d == NULL)
		return;			/* only tidiness is lost */
	while ((e = readdir(d)) != NULL) {
		const char *n = e->d_name;
		bool stale = false;

		if (strncmp(n, ".state.", 7) == 0 ||
		    strncmp(n, ".xenstore-", 10) == 0 ||
		    strncmp(n, ".journal.", 9) == 0 ||
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
	const char *jmin = getenv("XVM_SIM_JOURNAL_MIN");
	struct stat sb;
	uint64_t gen = 0;
	int r;

	s->jfd = -1;
	s->jmin = SIM_JOURNAL_MIN;
	if (jmin != NULL && jmin[0] >= '0' && jmin[0] <= '9')
		s->jmin = strtoull(jmin, NULL, 10);
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
	seq_map(s);
	s->seq_seen = seq_get(s);
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
	/* a new host: snapshot 1 with DIR/xenstore-1 */
	sim_host_init(&s->host, spec);
	set_store(s, xs_store_new());
	r = dom0_nodes(s, err);
	if (r == 0)
		r = sim_console_boot(s, err);
	if (r < 0)
		goto out;
	xs_store_journal(s->xs, true);	/* the snapshot holds all that */
	s->gen = 0;
	s->host.xs_seq = 0;
	r = snapshot(s, err);
	if (r == 0)
		s->loaded = true;
out:
	xvm_lock_release(&s->lock);
	return r < 0 ? -1 : 0;
}

int
sim_open_mem(struct sim *s, const struct xvm_sim_spec *spec,
    struct xvm_err *err)
{
	s->jfd = -1;
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
	jclose(s);
	if (s->seqp)
		munmap(s->seqp, 4096);
	s->seqp = NULL;
	sim_host_release(&s->host);
}

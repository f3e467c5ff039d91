/*
 * sim.c - the simulated Xen host behind struct xvm_io: Xen 4.17's domctl,
 * sysctl and memory_op answered in-process from the state kept by
 * sim_state.c, and xenstore requests served by xs_store/xs_wire on a dom0
 * connection that lives as long as the io handle.
 *
 * Xen 4.17 facts followed (xen/common/{domctl,sysctl,domain,memory}.c at
 * RELEASE-4.17.0, read for the facts; this is our own code):
 * - interface_version must equal XEN_DOMCTL/SYSCTL_INTERFACE_VERSION,
 *   else -EACCES, before anything else; a domctl naming a missing domain
 *   gets -ESRCH before its sub-op is looked at (getdomaininfo excepted);
 *   unknown sub-ops -ENOSYS.
 * - createdomain: sanitise_domain_config() (unknown CDF flags, grant
 *   options, max_vcpus < 1, hap without hvm, iommu, vmtrace, vpmu ->
 *   -EINVAL), vcpu limits 128 (HVM) / 8192 (PV), emulation flags as
 *   emulation_flags_ok() (-EOPNOTSUPP); a requested id 1..0x7FEF must be
 *   free (-EEXIST), else ids are allocated by a rover from the last one
 *   handed out, wrapping below DOMID_FIRST_RESERVED (-ENOMEM when full);
 *   the new domain has no vcpus, 0 pages, max_pages 0 and a controller
 *   pause count of 1.
 * - destroydomain/pausedomain/max_vcpus on dom0 (the caller) -> -EINVAL;
 *   pause counts to 255 (-EOVERFLOW), unpause below 0 -> -EINVAL.
 * - getdomaininfo of a missing id returns the next existing higher one
 *   (-ESRCH when none, -EINVAL for ids >= DOMID_FIRST_RESERVED).
 * - max_mem: max_pages = max_memkb >> 2 (may ratchet below tot_pages).
 * - populate_physmap/increase_reservation: extents past max_pages or past
 *   the host's free memory are refused and the number done is returned;
 *   extent_order above 12 (dom0's max_order) does nothing.
 *   current/maximum_reservation: -ESRCH for a missing domain.
 *
 * Simulation choices (no real guest runs yet):
 * - A domain's vcpus come online at its first unpause (all of max_vcpus,
 *   as a guest kernel brings them up); a running domain burns 5 % of each
 *   online vcpu (sim_state.c).  Domains are "running", never "blocked".
 * - Destroying a domain removes it at once (no zombie) and releases it in
 *   xenstore when it was introduced (fires @releaseDomain).
 * - What other processes changed reaches this handle as their journal
 *   records (sim_state.c), applied in place: watches fire path by path as
 *   xenstored fires them for another client, and an open transaction
 *   fails at its end only if it touched what changed.  After a new
 *   snapshot the store is reloaded instead: the difference fires the
 *   watches, and a transaction open across it is lost (its requests
 *   answer EAGAIN, so the client retries it).
 * - Read-only requests (getdomaininfo, physinfo, xenstore reads, ...)
 *   take no lock and make no system call while this handle's view is
 *   current (sim_state.c).
 */
#define __XEN_TOOLS__ 1

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <xen/xen.h>
#include <xen/domctl.h>
#include <xen/hvm/hvm_op.h>
#include <xen/sysctl.h>
#include <xen/version.h>
#include <xen/memory.h>
#include <xen/sched.h>
#include <xen/event_channel.h>
#include <xen/grant_table.h>
#include <xen/io/xs_wire.h>

#include "xen/io/io.h"
#include "xen/io/sim_int.h"
#include "xen/xs_store.h"

_Static_assert(sizeof(struct xen_domctl) == 144, "xen_domctl size");
_Static_assert(sizeof(struct xen_sysctl) == 136, "xen_sysctl size");
_Static_assert(sizeof(struct xen_domctl_createdomain) == 64,
    "createdomain size");
_Static_assert(sizeof(struct xen_domctl_getdomaininfo) == 112,
    "getdomaininfo size");
_Static_assert(sizeof(struct xen_sysctl_physinfo) == 112, "physinfo size");
_Static_assert(sizeof(struct xen_sysctl_getdomaininfolist) == 24,
    "getdomaininfolist size");
_Static_assert(sizeof(struct xen_memory_reservation) == 32,
    "memory_reservation size");
_Static_assert(sizeof(struct xsd_sockmsg) == XS_WIRE_HDR, "xsd_sockmsg");
_Static_assert(XEN_DOMCTL_INTERFACE_VERSION == 0x15, "Xen 4.17 domctl");
_Static_assert(XEN_SYSCTL_INTERFACE_VERSION == 0x15, "Xen 4.17 sysctl");

#define MEMOP_EXTENT_SHIFT	6	/* cmd >> 6 = start extent */
#define MEMOP_CMD_MASK		((1u << MEMOP_EXTENT_SHIFT) - 1)
#define CTLDOM_MAX_ORDER	12u
#define HVM_MAX_VCPUS		128u
#define PV_MAX_VCPUS		8192u
#define MAX_PAUSE_COUNT		255u
#define MIN_MEM_KIB		(512ull << 10)
#define MAX_CPUS		4096u
#define DEF_GRANT_FRAMES	64
#define DEF_MAPTRACK_FRAMES	1024

static struct sim *
sim_of(struct xvm_io *io)
{
	return io->priv;
}

/* ---- watch events ---------------------------------------------------- */

static void
ev_push(struct sim *s, const void *msg, size_t len)
{
	struct xvm_buf *b;

	if (s->event_head > 0 && s->event_head == s->nevents) {
		s->event_head = s->nevents = 0;	/* drained: start over */
	}
	if (s->nevents == s->cevents) {
		s->cevents = s->cevents ? s->cevents * 2 : 8;
		s->events = xvm_realloc(s->events,
		    s->cevents * sizeof(*s->events));
	}
	b = &s->events[s->nevents++];
	xvm_buf_init(b);
	xvm_buf_add(b, msg, len);
}

static void
ev_push_watch(struct sim *s, const char *path, const char *token)
{
	struct xvm_buf b = XVM_BUF_INIT;
	const char *strs[2] = { path, token };

	xs_wire_request_strs(&b, XS_WATCH_EVENT, 0, 0, strs, 2, NULL, 0);
	ev_push(s, b.data, b.len);
	xvm_buf_release(&b);
}

/* Move the events queued on the store connection to this handle's queue. */
static void
drain_conn(struct sim *s)
{
	struct xvm_buf b = XVM_BUF_INIT;

	if (s->conn == NULL)
		return;
	while (xs_wire_event(s->conn, &b) == 1) {
		ev_push(s, b.data, b.len);
		xvm_buf_reset(&b);
	}
	xvm_buf_release(&b);
}

/* ---- this handle's watches and transactions -------------------------- */

static void
watch_add(struct sim *s, const char *path, const char *token)
{
	if (s->nwatches == s->cwatches) {
		s->cwatches = s->cwatches ? s->cwatches * 2 : 8;
		s->watches = xvm_realloc(s->watches,
		    s->cwatches * sizeof(*s->watches));
	}
	s->watches[s->nwatches].path = xvm_strdup(path);
	s->watches[s->nwatches].token = xvm_strdup(token);
	s->nwatches++;
}

static void
watch_del(struct sim *s, const char *path, const char *token)
{
	size_t i;

	for (i = 0; i < s->nwatches; i++) {
		if (strcmp(s->watches[i].path, path) != 0 ||
		    strcmp(s->watches[i].token, token) != 0)
			continue;
		free(s->watches[i].path);
		free(s->watches[i].token);
		s->watches[i] = s->watches[--s->nwatches];
		return;
	}
}

static void
watch_clear(struct sim *s)
{
	while (s->nwatches > 0) {
		s->nwatches--;
		free(s->watches[s->nwatches].path);
		free(s->watches[s->nwatches].token);
	}
}

static struct sim_tx *
tx_find(struct sim *s, uint32_t id)
{
	size_t i;

	for (i = 0; i < s->ntxs; i++)
		if (s->txs[i].id == id)
			return &s->txs[i];
	return NULL;
}

static void
tx_del(struct sim *s, uint32_t id)
{
	struct sim_tx *t = tx_find(s, id);

	if (t)
		*t = s->txs[--s->ntxs];
}

/* ---- store reloads ----------------------------------------------------- */

struct snap_ent {
	char *path;
	uint64_t gen;
	uint64_t hash;			/* of value and perms */
};

struct snap {
	struct snap_ent *e;
	size_t n, c;
};

static void
snap_fn(void *arg, const char *path, const char *val, size_t len,
    const struct xs_perm *perms, size_t n, uint64_t gen)
{
	struct snap *sn = arg;

	uint64_t h = 0xcbf29ce484222325ull;	/* FNV-1a */
	size_t i;

	for (i = 0; i < len; i++)
		h = (h ^ (unsigned char)val[i]) * 0x100000001b3ull;
	for (i = 0; i < n; i++)
		h = (h ^ ((uint64_t)perms[i].id << 8 | perms[i].perm)) *
		    0x100000001b3ull;
	if (sn->n == sn->c) {
		sn->c = sn->c ? sn->c * 2 : 64;
		sn->e = xvm_realloc(sn->e, sn->c * sizeof(*sn->e));
	}
	sn->e[sn->n].path = xvm_strdup(path);
	sn->e[sn->n].gen = gen;
	sn->e[sn->n].hash = h ^ len;
	sn->n++;
}

static int
snap_cmp(const void *a, const void *b)
{
	return strcmp(((const struct snap_ent *)a)->path,
	    ((const struct snap_ent *)b)->path);
}

static void
snap_take(struct snap *sn, const struct xs_store *st)
{
	xs_store_walk(st, snap_fn, sn);
	qsort(sn->e, sn->n, sizeof(*sn->e), snap_cmp);
}

static void
snap_release(struct snap *sn)
{
	size_t i;

	for (i = 0; i < sn->n; i++)
		free(sn->e[i].path);
	free(sn->e);
	memset(sn, 0, sizeof(*sn));
}

/* Fire this handle's watches that cover path (changed or removed). */
static void
fire_path(struct sim *s, const char *path)
{
	const char *w, *rel;
	char *full;
	size_t i, n;

	for (i = 0; i < s->nwatches; i++) {
		w = s->watches[i].path;
		if (w[0] == '@')
			continue;
		full = w[0] == '/' ? xvm_strdup(w) :
		    xvm_asprintf("/local/domain/0/%s", w);
		n = strlen(full);
		if (strncmp(path, full, n) == 0 &&
		    (path[n] == '\0' || path[n] == '/' || n == 1)) {
			rel = path;
			if (w[0] != '/')
				rel = path + strlen("/local/domain/0/");
			ev_push_watch(s, rel, s->watches[i].token);
		}
		free(full);
	}
}

static void
fire_special(struct sim *s, const char *name)
{
	size_t i;

	for (i = 0; i < s->nwatches; i++)
		if (strcmp(s->watches[i].path, name) == 0)
			ev_push_watch(s, name, s->watches[i].token);
}

void
sim_xs_changed(void *sim, const char *path)
{
	struct sim *s = sim;

	if (path[0] == '@')
		fire_special(s, path);
	else
		fire_path(s, path);
}

static bool
dom_in(const struct xs_domain_info *v, size_t n, uint32_t domid,
    const struct xs_domain_info **r)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (v[i].domid == domid) {
			*r = &v[i];
			return true;
		}
	return false;
}

static int
str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
add_parent(struct xvm_strv *v, const char *path)
{
	const char *sl = strrchr(path, '/');

	if (sl != NULL)
		xvm_strv_push_take(v, xvm_strndup(path, sl == path ? 1 :
		    (size_t)(sl - path)));
}

/*
 * What another process changed between two images fires our watches as
 * xenstored would have: each node written, created or removed fires with
 * its own path.  A node whose generation moved only because children came
 * or went (same value and perms) does not fire itself.
 */
static void
fire_changes(struct sim *s, const struct xs_store *old,
    const struct xs_store *st)
{
	struct snap a = { NULL, 0, 0 }, b = { NULL, 0, 0 };
	struct xvm_strv parents = XVM_STRV_INIT, fired = XVM_STRV_INIT;
	struct xs_domain_info *da = NULL, *db = NULL;
	const struct xs_domain_info *x;
	size_t i = 0, j = 0, na, nb;
	bool intro = false, rel = false;
	int c;

	snap_take(&a, old);
	snap_take(&b, st);
	while (i < a.n || j < b.n) {
		c = i == a.n ? 1 : j == b.n ? -1 :
		    strcmp(a.e[i].path, b.e[j].path);
		if (c < 0) {
			add_parent(&parents, a.e[i].path);
			xvm_strv_push(&fired, a.e[i++].path);	/* removed */
		} else if (c > 0) {
			add_parent(&parents, b.e[j].path);
			xvm_strv_push(&fired, b.e[j++].path);	/* created */
		} else {
			if (a.e[i].gen != b.e[j].gen)
				xvm_strv_push(&fired, b.e[j].path);
			i++;
			j++;
		}
	}
	xvm_strv_sort(&parents);
	for (i = 0, j = 0; i < fired.n; i++) {
		/* skip a changed parent whose value and perms stayed */
		if (parents.n > 0 && bsearch(&fired.v[i], parents.v,
		    parents.n, sizeof(*parents.v), str_cmp) != NULL) {
			while (j < a.n && strcmp(a.e[j].path, fired.v[i]) < 0)
				j++;
			if (j < a.n && strcmp(a.e[j].path, fired.v[i]) == 0) {
				struct snap_ent key = { fired.v[i], 0, 0 };
				struct snap_ent *e = bsearch(&key, b.e, b.n,
				    sizeof(*b.e), snap_cmp);

				if (e != NULL && e->hash == a.e[j].hash)
					continue;
			}
		}
		fire_path(s, fired.v[i]);
	}
	na = xs_store_domains(old, &da);
	nb = xs_store_domains(st, &db);
	for (i = 0; i < nb; i++)
		if (db[i].domid != 0 && !dom_in(da, na, db[i].domid, &x))
			intro = true;
	for (i = 0; i < na; i++)
		if (!dom_in(db, nb, da[i].domid, &x) ||
		    (x->shutdown && !da[i].shutdown))
			rel = true;
	if (intro)
		fire_special(s, "@introduceDomain");
	if (rel)
		fire_special(s, "@releaseDomain");
	free(da);
	free(db);
	xvm_strv_release(&parents);
	xvm_strv_release(&fired);
	snap_release(&a);
	snap_release(&b);
}

/*
 * s->xs was replaced (old is the store it replaced, or NULL): keep the
 * events already queued, re-arm this handle's watches on a new connection
 * (swallowing the event each new watch fires at once), fire what changed,
 * and mark open transactions lost.
 */
void
sim_xs_rebind(struct sim *s, struct xs_store *old)
{
	struct xvm_buf b = XVM_BUF_INIT;
	uint32_t maxid = 0, id;
	size_t i;

	drain_conn(s);
	xs_conn_free(s->conn);
	s->conn = xs_conn_new(s->xs, 0);
	for (i = 0; i < s->nwatches; i++)
		(void)xs_watch(s->conn, s->watches[i].path,
		    s->watches[i].token);
	while (xs_wire_event(s->conn, &b) == 1)
		xvm_buf_reset(&b);
	xvm_buf_release(&b);
	if (old != NULL && s->nwatches > 0)
		fire_changes(s, old, s->xs);
	xs_store_free(old);

	/* transaction ids must not repeat a lost one still in use */
	for (i = 0; i < s->ntxs; i++) {
		s->txs[i].lost = true;
		if (s->txs[i].id > maxid)
			maxid = s->txs[i].id;
	}
	do {
		if (maxid == 0 || xs_tx_start(s->conn, 0, &id) != 0)
			break;
		(void)xs_tx_end(s->conn, id, false);
	} while (id < maxid);
}

/* ---- domctl ------------------------------------------------------------ */

static void
fill_info(const struct sim_host *h, const struct sim_dom *d,
    struct xen_domctl_getdomaininfo *info)
{
	uint32_t flags = 0;

	memset(info, 0, sizeof(*info));
	info->domain = d->domid;
	info->max_vcpu_id = (d->state & SIM_VCPUS) ? d->max_vcpus - 1 :
	    XEN_INVALID_MAX_VCPU_ID;
	info->nr_online_vcpus = d->online_vcpus;
	/*
	 * As Xen sees it at any moment: Domain-0 is running (the toolstack
	 * asking runs on it), a busy guest (xvm.load) is on a CPU, an idle
	 * one waits in its event loop: blocked.
	 */
	if (sim_dom_running(d))
		flags |= sim_vcpu_busy(d, 0) ? XEN_DOMINF_running :
		    XEN_DOMINF_blocked;
	if (d->state & SIM_DYING)
		flags |= XEN_DOMINF_dying;
	if (d->state & SIM_SHUTDOWN)
		flags |= XEN_DOMINF_shutdown;
	if (d->pause_count > 0)
		flags |= XEN_DOMINF_paused;
	if (d->cdf & XEN_DOMCTL_CDF_xs_domain)
		flags |= XEN_DOMINF_xs_domain;
	if (d->cdf & XEN_DOMCTL_CDF_hvm)
		flags |= XEN_DOMINF_hvm_guest;
	if (d->cdf & XEN_DOMCTL_CDF_hap)
		flags |= XEN_DOMINF_hap;
	flags |= (d->shutdown_code & XEN_DOMINF_shutdownmask) <<
	    XEN_DOMINF_shutdownshift;
	info->flags = flags;
	info->tot_pages = d->tot_pages;
	info->max_pages = d->max_pages;
	info->cpu_time = sim_dom_cpu(h, d);
	info->shared_info_frame = sim_mem_special(d, SIM_MEM_SHINFO, 0);
	info->ssidref = d->ssidref;
	memcpy(info->handle, d->handle, sizeof(info->handle));
	info->cpupool = d->cpupool;
	info->gpaddr_bits = (d->cdf & XEN_DOMCTL_CDF_hap) ? 52 : 44;
	info->arch_config.emulation_flags = d->emulation_flags;
	info->arch_config.misc_flags = d->misc_flags;
}

static long
sanitise(const struct xen_domctl_createdomain *c)
{
	bool hvm = c->flags & XEN_DOMCTL_CDF_hvm;
	uint32_t em = c->arch.emulation_flags;

	if (c->flags & ~(XEN_DOMCTL_CDF_hvm | XEN_DOMCTL_CDF_hap |
	    XEN_DOMCTL_CDF_s3_integrity | XEN_DOMCTL_CDF_oos_off |
	    XEN_DOMCTL_CDF_xs_domain | XEN_DOMCTL_CDF_iommu |
	    XEN_DOMCTL_CDF_nested_virt | XEN_DOMCTL_CDF_vpmu))
		return -EINVAL;
	if (c->grant_opts & ~XEN_DOMCTL_GRANT_version_mask)
		return -EINVAL;
	if (c->max_vcpus < 1)
		return -EINVAL;
	if ((c->flags & XEN_DOMCTL_CDF_hap) && !hvm)
		return -EINVAL;
	/* the simulated host has no IOMMU, vmtrace or vPMU */
	if ((c->flags & (XEN_DOMCTL_CDF_iommu | XEN_DOMCTL_CDF_vpmu)) ||
	    c->iommu_opts || c->vmtrace_size)
		return -EINVAL;
	if (c->max_vcpus > (hvm ? HVM_MAX_VCPUS : PV_MAX_VCPUS))
		return -EINVAL;
	if (hvm ? (em != (XEN_X86_EMU_ALL & ~XEN_X86_EMU_VPCI) &&
	    em != XEN_X86_EMU_LAPIC) : (em != 0 && em != XEN_X86_EMU_PIT))
		return -EOPNOTSUPP;
	if (c->cpupool_id != 0)
		return -ENOENT;			/* only Pool-0 exists */
	return 0;
}

static long
dom_create(struct sim *s, struct xen_domctl *op, bool *dirty)
{
	const struct xen_domctl_createdomain *c = &op->u.createdomain;
	struct sim_host *h = &s->host;
	struct sim_dom *d;
	uint32_t dom = op->domain, n;
	struct timespec ts;
	uint64_t mfn;
	long r;

	r = sanitise(c);
	if (r < 0)
		return r;
	if (dom > 0 && dom < DOMID_FIRST_RESERVED) {
		if (sim_dom_find(h, dom))
			return -EEXIST;
	} else {
		dom = h->rover;
		for (n = 1; n < DOMID_FIRST_RESERVED; n++) {
			dom++;
			if (dom >= DOMID_FIRST_RESERVED)
				dom = 1;
			if (!sim_dom_find(h, dom))
				break;
		}
		if (n == DOMID_FIRST_RESERVED)
			return -ENOMEM;
		h->rover = dom;
	}
	d = sim_dom_insert(h, dom);
	memcpy(d->handle, c->handle, sizeof(d->handle));
	d->cdf = c->flags;
	d->ssidref = c->ssidref;
	d->max_vcpus = c->max_vcpus;
	d->pause_count = 1;
	d->max_evtchn_port = c->max_evtchn_port;
	d->max_grant_frames = c->max_grant_frames < 0 ? DEF_GRANT_FRAMES :
	    c->max_grant_frames;
	d->max_maptrack_frames = c->max_maptrack_frames < 0 ?
	    DEF_MAPTRACK_FRAMES : c->max_maptrack_frames;
	d->grant_opts = c->grant_opts;
	d->emulation_flags = c->arch.emulation_flags;
	d->misc_flags = c->arch.misc_flags;
	d->cpupool = c->cpupool_id;
	clock_gettime(CLOCK_REALTIME, &ts);
	d->created_ns = (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
	d->cpu_stamp = h->clock_ns;
	d->weight = SIM_DEF_WEIGHT;
	/* Xen's page for the domain's shared info (shared_info_frame) */
	if (sim_mem_alloc(h, d, SIM_MEM_SHINFO, 0, 1, 1, &mfn) < 0) {
		sim_dom_remove(h, dom);
		return -ENOMEM;
	}
	sim_mem_zero(s, mfn, 1);
	op->domain = (domid_t)dom;
	*dirty = true;
	return 0;
}

static long
dom_destroy(struct sim *s, struct sim_dom *d, bool *dirty, bool *xs_dirty)
{
	uint32_t domid = d->domid, i;

	if (domid == 0)
		return -EINVAL;		/* domain_kill(current->domain) */
	if (xs_store_domain(s->xs, domid, NULL, NULL)) {
		(void)xs_release(s->conn, domid);
		drain_conn(s);
		*xs_dirty = true;
	}
	sim_evtchn_close_all(s, d);
	/* the simulated QEMU ends with its domain */
	if (d->cdf & XEN_DOMCTL_CDF_hvm) {
		sim_dm_stop(s, domid);
		*xs_dirty = true;
	}
	/* its memory is scrubbed and goes back to the host */
	for (i = 0; i < d->nruns; i++)
		sim_mem_zero(s, d->runs[i].mfn, d->runs[i].count);
	sim_dom_remove(&s->host, domid);
	*dirty = true;
	return 0;
}

static long
dom_getinfo(struct sim *s, struct xen_domctl *op)
{
	struct sim_host *h = &s->host;
	const struct sim_dom *d = sim_dom_find(h, op->domain);
	size_t i;

	if (d == NULL) {
		if (op->domain >= DOMID_FIRST_RESERVED)
			return -EINVAL;
		for (i = 0; i < h->ndoms; i++)
			if (h->doms[i].domid >= op->domain) {
				d = &h->doms[i];
				break;
			}
		if (d == NULL)
			return -ESRCH;
	}
	fill_info(h, d, &op->u.getdomaininfo);
	op->domain = d->domid;
	return 0;
}

/* The credit scheduler's per-domain parameters (sched_adjust + csched). */
static long
sched_getinfo(struct sim *s, const struct sim_dom *d,
    struct xen_domctl_scheduler_op *op)
{
	if (op->sched_id != s->host.sched_id)
		return -EINVAL;
	op->u.credit.weight = d->weight;
	op->u.credit.cap = d->cap;
	return 0;
}

static long
dom_sched(struct sim *s, struct sim_dom *d,
    struct xen_domctl_scheduler_op *op, bool *dirty)
{
	if (op->sched_id != s->host.sched_id)
		return -EINVAL;
	switch (op->cmd) {
	case XEN_DOMCTL_SCHEDOP_putinfo:
		/* weight 0 and cap 0xffff leave the value as it is */
		if (op->u.credit.weight != 0)
			d->weight = op->u.credit.weight;
		if (op->u.credit.cap != (uint16_t)~0u)
			d->cap = op->u.credit.cap;
		*dirty = true;
		return 0;
	default:
		return -EINVAL;
	}
}

/*
 * One vcpu's state.  A simulated guest idles: the online vcpus of a
 * running domain are blocked (as an idle PV guest's are), never caught
 * running; their CPU time is the domain's, shared evenly; vcpu N sits
 * on CPU N modulo the host's CPUs.
 */
/* vcpu v's hard (soft) affinity map in d, or NULL: every CPU. */
static const uint8_t *
aff_map(const struct sim_dom *d, uint32_t v, bool soft)
{
	if (d->aff == NULL)
		return NULL;
	return d->aff + ((size_t)v * 2 + soft) * d->aff_bytes;
}

static bool
aff_has(const uint8_t *map, uint32_t cpu)
{
	return map == NULL || ((map[cpu / 8] >> (cpu % 8)) & 1);
}

/* Copy a map to a xenctl_bitmap of nr_bits (CPUs beyond the host: 0). */
static long
aff_out(const struct sim *s, const uint8_t *map, struct xenctl_bitmap *b)
{
	uint32_t c, nbytes = (b->nr_bits + 7) / 8;

	if (b->bitmap.p == NULL)
		return -EFAULT;
	memset(b->bitmap.p, 0, nbytes);
	for (c = 0; c < b->nr_bits && c < s->host.nr_cpus; c++)
		if (aff_has(map, c))
			b->bitmap.p[c / 8] |= (uint8_t)(1u << (c % 8));
	return 0;
}

/*
 * XEN_DOMCTL_setvcpuaffinity / getvcpuaffinity (hard and soft).  Set
 * keeps what is given within the host's CPUs (a hard map left empty is
 * EINVAL) and answers with the effective maps: hard within the host,
 * soft within hard.
 */
static long
aff_check(const struct sim_dom *d, const struct xen_domctl_vcpuaffinity *va)
{
	if (va->vcpu >= d->max_vcpus || !(va->flags &
	    (XEN_VCPUAFFINITY_HARD | XEN_VCPUAFFINITY_SOFT)))
		return -EINVAL;
	return (d->state & SIM_VCPUS) ? 0 : -ESRCH;
}

static long
aff_get(struct sim *s, const struct sim_dom *d,
    struct xen_domctl_vcpuaffinity *va)
{
	long r = aff_check(d, va);

	if (r < 0)
		return r;
	if ((va->flags & XEN_VCPUAFFINITY_HARD) &&
	    aff_out(s, aff_map(d, va->vcpu, false), &va->cpumap_hard) < 0)
		return -EFAULT;
	if ((va->flags & XEN_VCPUAFFINITY_SOFT) &&
	    aff_out(s, aff_map(d, va->vcpu, true), &va->cpumap_soft) < 0)
		return -EFAULT;
	return 0;
}

static long
aff_set(struct sim *s, struct sim_dom *d, struct xen_domctl_vcpuaffinity *va,
    bool *dirty)
{
	uint32_t nbytes = (s->host.nr_cpus + 7) / 8, c, k;
	uint8_t *hard, *soft;
	uint32_t flags = va->flags;
	long r = aff_check(d, va);

	if (r < 0)
		return r;
	if (d->aff == NULL) {
		d->aff_bytes = nbytes;
		d->aff = xvm_malloc((size_t)d->max_vcpus * 2 * nbytes);
		memset(d->aff, 0xff, (size_t)d->max_vcpus * 2 * nbytes);
		for (k = 0; k < d->max_vcpus * 2; k++)	/* host CPUs only */
			for (c = s->host.nr_cpus; c < nbytes * 8; c++)
				d->aff[k * nbytes + c / 8] &=
				    (uint8_t)~(1u << (c % 8));
	}
	hard = d->aff + (size_t)va->vcpu * 2 * nbytes;
	soft = hard + nbytes;
	if (flags & XEN_VCPUAFFINITY_HARD) {
		const struct xenctl_bitmap *b = &va->cpumap_hard;
		uint8_t m[512];
		bool any = false;

		if (b->bitmap.p == NULL)
			return -EFAULT;
		memset(m, 0, sizeof(m));
		for (c = 0; c < s->host.nr_cpus && c < b->nr_bits; c++)
			if ((b->bitmap.p[c / 8] >> (c % 8)) & 1) {
				m[c / 8] |= (uint8_t)(1u << (c % 8));
				any = true;
			}
		if (!any)
			return -EINVAL;
		memcpy(hard, m, nbytes);
	}
	if (flags & XEN_VCPUAFFINITY_SOFT) {
		const struct xenctl_bitmap *b = &va->cpumap_soft;

		if (b->bitmap.p == NULL)
			return -EFAULT;
		memset(soft, 0, nbytes);
		for (c = 0; c < s->host.nr_cpus && c < b->nr_bits; c++)
			if ((b->bitmap.p[c / 8] >> (c % 8)) & 1)
				soft[c / 8] |= (uint8_t)(1u << (c % 8));
	}
	*dirty = true;
	/* the effective maps */
	if ((flags & XEN_VCPUAFFINITY_HARD) &&
	    aff_out(s, hard, &va->cpumap_hard) < 0)
		return -EFAULT;
	if (flags & XEN_VCPUAFFINITY_SOFT) {
		uint8_t m[512];

		for (k = 0; k < nbytes; k++)
			m[k] = soft[k] & hard[k];
		if (aff_out(s, m, &va->cpumap_soft) < 0)
			return -EFAULT;
	}
	return 0;
}

static long
dom_vcpuinfo(struct sim *s, const struct sim_dom *d,
    struct xen_domctl_getvcpuinfo *vi)
{
	uint32_t v = vi->vcpu;
	bool online;

	if (v >= d->max_vcpus)
		return -EINVAL;
	if (!(d->state & SIM_VCPUS))
		return -ESRCH;		/* max_vcpus not done: no vcpu yet */
	online = v < d->online_vcpus;
	vi->online = online;
	/* as the domain's flags: Domain-0's first vcpu runs the toolstack */
	{
		bool up = online && sim_dom_running(d);
		bool busy = sim_vcpu_busy(d, v);

		vi->running = up && busy;
		vi->blocked = up && !busy;
	}
	vi->cpu_time = online && d->online_vcpus ?
	    sim_dom_cpu(&s->host, d) / d->online_vcpus : 0;
	{
		/* the (v mod n)-th of the n CPUs its hard affinity allows */
		const uint8_t *hard = aff_map(d, v, false);
		uint32_t c, n = 0, want;

		for (c = 0; c < s->host.nr_cpus; c++)
			n += aff_has(hard, c);
		want = n ? v % n : 0;
		vi->cpu = 0;
		for (c = 0; c < s->host.nr_cpus; c++)
			if (aff_has(hard, c) && want-- == 0) {
				vi->cpu = c;
				break;
			}
	}
	return 0;
}

/* A domctl that reads only (it runs without the host lock). */
static bool
domctl_ro(const struct xen_domctl *op)
{
	return op->cmd == XEN_DOMCTL_getdomaininfo ||
	    op->cmd == XEN_DOMCTL_getvcpuinfo ||
	    op->cmd == XEN_DOMCTL_getpageframeinfo3 ||
	    op->cmd == XEN_DOMCTL_gettscinfo ||
	    op->cmd == XEN_DOMCTL_getvcpuaffinity ||
	    (op->cmd == XEN_DOMCTL_scheduler_op &&
	    op->u.scheduler_op.cmd == XEN_DOMCTL_SCHEDOP_getinfo);
}

static bool
sysctl_ro(const struct xen_sysctl *op)
{
	return op->cmd == XEN_SYSCTL_physinfo ||
	    op->cmd == XEN_SYSCTL_sched_id ||
	    (op->cmd == XEN_SYSCTL_scheduler_op &&
	    op->u.scheduler_op.cmd == XEN_SYSCTL_SCHEDOP_getinfo) ||
	    op->cmd == XEN_SYSCTL_getdomaininfolist ||
	    op->cmd == XEN_SYSCTL_numainfo ||
	    op->cmd == XEN_SYSCTL_cputopoinfo;
}

static long
do_domctl(struct sim *s, struct xen_domctl *op, bool *dirty, bool *xs_dirty)
{
	const struct sim_dom *cd;
	struct sim_dom *d;
	uint64_t max;

	if (op->cmd == XEN_DOMCTL_createdomain)
		return dom_create(s, op, dirty);
	if (op->cmd == XEN_DOMCTL_getdomaininfo)
		return dom_getinfo(s, op);
	cd = sim_dom_find(&s->host, op->domain);
	if (cd == NULL)
		return -ESRCH;
	if (op->cmd == XEN_DOMCTL_getvcpuinfo)
		return dom_vcpuinfo(s, cd, &op->u.getvcpuinfo);
	if (op->cmd == XEN_DOMCTL_getpageframeinfo3)
		return sim_pageframe_types(s, cd,
		    op->u.getpageframeinfo3.array.p,
		    op->u.getpageframeinfo3.num);
	if (op->cmd == XEN_DOMCTL_getvcpuaffinity)
		return aff_get(s, cd, &op->u.vcpuaffinity);
	if (op->cmd == XEN_DOMCTL_gettscinfo) {
		/* the sim has no TSC of its own: Xen's defaults */
		op->u.tsc_info.tsc_mode = 0;		/* TSC_MODE_DEFAULT */
		op->u.tsc_info.gtsc_khz = s->host.cpu_khz;
		op->u.tsc_info.incarnation = 0;
		op->u.tsc_info.elapsed_nsec = (uint64_t)(s->host.clock_ns -
		    cd->created_ns);
		return 0;
	}
	if (op->cmd == XEN_DOMCTL_scheduler_op &&
	    op->u.scheduler_op.cmd == XEN_DOMCTL_SCHEDOP_getinfo)
		return sched_getinfo(s, cd, &op->u.scheduler_op);
	/* what may change the rate of its CPU time first takes the time */
	d = sim_dom_mut(&s->host, op->domain);
	sim_dom_changing(&s->host, d);

	switch (op->cmd) {
	case XEN_DOMCTL_destroydomain:
		return dom_destroy(s, d, dirty, xs_dirty);
	case XEN_DOMCTL_pausedomain:
		if (d->domid == 0)
			return -EINVAL;
		if (d->pause_count + 1 > MAX_PAUSE_COUNT)
			return -EOVERFLOW;
		sim_guest_catch_up(s, d);
		d->pause_count++;
		*dirty = true;
		return 0;
	case XEN_DOMCTL_unpausedomain:
		if (d->pause_count == 0)
			return -EINVAL;
		d->pause_count--;
		if (d->pause_count == 0)
			d->dirty_stamp = s->host.clock_ns;	/* runs again */
		if (d->pause_count == 0 && !(d->state & SIM_CREATED)) {
			d->state |= SIM_CREATED;
			/* the guest brings its vcpus up */
			if ((d->state & SIM_VCPUS) && d->online_vcpus <= 1)
				d->online_vcpus = d->max_vcpus;
			sim_guest_boot(s, d);
			*xs_dirty = true;
		}
		*dirty = true;
		return 0;
	case XEN_DOMCTL_max_vcpus:
		if (d->domid == 0 || op->u.max_vcpus.max != d->max_vcpus)
			return -EINVAL;
		d->state |= SIM_VCPUS;
		*dirty = true;
		return 0;
	case XEN_DOMCTL_max_mem:
		max = op->u.max_mem.max_memkb >> (12 - 10);
		d->max_pages = max > UINT32_MAX ? UINT32_MAX : max;
		*dirty = true;
		return 0;
	case XEN_DOMCTL_settimeoffset:
		d->time_offset = op->u.settimeoffset.time_offset_seconds;
		*dirty = true;
		return 0;
	case XEN_DOMCTL_setvcpuaffinity:
		return aff_set(s, d, &op->u.vcpuaffinity, dirty);
	case XEN_DOMCTL_shadow_op:
		if (!sim_dom_pv(d) || d->domid == 0)
			return -EINVAL;
		return sim_shadow_op(s, d, &op->u.shadow_op, dirty);
	case XEN_DOMCTL_settscinfo:
		/* the modes 4.17 knows: default, always / never emulate */
		return op->u.tsc_info.tsc_mode <= 2 ? 0 : -EINVAL;
	case XEN_DOMCTL_resumedomain:
		if (d->domid == 0)
			return -EINVAL;
		if (d->state & SIM_SHUTDOWN) {
			d->state &= ~SIM_SHUTDOWN;
			d->shutdown_code = 0;
			sim_guest_resume(s, d);
			*xs_dirty = true;
		}
		*dirty = true;
		return 0;
	case XEN_DOMCTL_setdomainhandle:
		memcpy(d->handle, op->u.setdomainhandle.handle,
		    sizeof(d->handle));
		*dirty = true;
		return 0;
	case XEN_DOMCTL_scheduler_op:
		return dom_sched(s, d, &op->u.scheduler_op, dirty);
	case XEN_DOMCTL_hypercall_init:
		return sim_hypercall_init(s, d, op->u.hypercall_init.gmfn);
	case XEN_DOMCTL_set_address_size:
		/* 64-bit PV only: the sim runs no 32-bit (compat) guests */
		if (!sim_dom_pv(d) || op->u.address_size.size != 64)
			return -EINVAL;
		return 0;
	case XEN_DOMCTL_setvcpucontext:
		return sim_vcpucontext(s, d, &op->u.vcpucontext, true, dirty);
	case XEN_DOMCTL_getvcpucontext:
		return sim_vcpucontext(s, d, &op->u.vcpucontext, false, dirty);
	/*
	 * What a libxc stream restores besides a vcpu's basic context: the
	 * CPU policy, the extended context, the xsave area, the MSRs.  The
	 * simulated CPU has no state of that kind to change: these are
	 * checked as Xen checks their shape and taken.
	 */
	case XEN_DOMCTL_set_cpu_policy:
		if (d->domid == 0 || op->u.cpu_policy.nr_leaves > 4096 ||
		    op->u.cpu_policy.nr_msrs > 4096 ||
		    (op->u.cpu_policy.nr_leaves &&
		    op->u.cpu_policy.leaves.p == NULL) ||
		    (op->u.cpu_policy.nr_msrs && op->u.cpu_policy.msrs.p == NULL))
			return -EINVAL;
		return 0;
	case XEN_DOMCTL_set_ext_vcpucontext:
		if (!sim_dom_pv(d) || op->u.ext_vcpucontext.vcpu >= d->max_vcpus ||
		    op->u.ext_vcpucontext.size > sizeof(op->u.ext_vcpucontext))
			return -EINVAL;
		return 0;
	case XEN_DOMCTL_setvcpuextstate:
		/* the legacy FXSAVE area and the xsave header, at least */
		if (op->u.vcpuextstate.vcpu >= d->max_vcpus ||
		    op->u.vcpuextstate.size < 512 + 64 + 16 ||
		    op->u.vcpuextstate.buffer.p == NULL)
			return -EINVAL;
		return 0;
	case XEN_DOMCTL_set_vcpu_msrs:
		if (op->u.vcpu_msrs.vcpu >= d->max_vcpus ||
		    (op->u.vcpu_msrs.msr_count && op->u.vcpu_msrs.msrs.p == NULL))
			return -EINVAL;
		return 0;
	case XEN_DOMCTL_gethvmcontext:
		return sim_hvmcontext(s, d, &op->u.hvmcontext, false, dirty);
	case XEN_DOMCTL_sethvmcontext:
		return sim_hvmcontext(s, d, &op->u.hvmcontext, true, dirty);
	case XEN_DOMCTL_set_paging_mempool_size:
		return sim_paging_mempool(s, d, op->u.paging_mempool.size,
		    dirty);
	default:
		return -ENOSYS;
	}
}

/* ---- sysctl ------------------------------------------------------------ */

/*
 * The CPU features the simulated host reports: those of the CPU the real
 * Xen 4.17 test bed runs on (QEMU's qemu64 under TCG), as its xl info
 * shows them - PAE, long mode, SSE3 and the rest of that model.
 */
static const uint32_t sim_hw_cap[8] = {
	0x178bf3fd, 0xc0002001, 0x20100800, 0x00000007,
};

static void
fill_physinfo(const struct sim_host *h, struct xen_sysctl_physinfo *pi)
{
	uint64_t used = sim_used_pages(h);

	memset(pi, 0, sizeof(*pi));
	pi->threads_per_core = h->threads_per_core;
	pi->cores_per_socket = h->cores_per_socket;
	pi->nr_cpus = h->nr_cpus;
	pi->max_cpu_id = h->nr_cpus - 1;
	pi->nr_nodes = h->nr_nodes;
	pi->max_node_id = h->nr_nodes - 1;
	pi->cpu_khz = h->cpu_khz;
	pi->capabilities = h->capabilities;
	pi->total_pages = h->total_pages;
	pi->free_pages = used < h->total_pages ? h->total_pages - used : 0;
	pi->max_mfn = h->total_pages - 1;
	memcpy(pi->hw_cap, sim_hw_cap, sizeof(pi->hw_cap));
}

/*
 * The host's layout: CPUs numbered thread by thread, core by core, socket
 * by socket; the nodes take equal runs of CPUs and of RAM frames (RAM is
 * mfns 1 .. total_pages); Xen's distances without an ACPI SLIT: 10 to
 * itself, 20 to any other node.
 */
static void
cpu_place(const struct sim_host *h, uint32_t cpu, xen_sysctl_cputopo_t *t)
{
	t->core = (cpu / h->threads_per_core) % h->cores_per_socket;
	t->socket = cpu / (h->threads_per_core * h->cores_per_socket);
	t->node = (uint32_t)((uint64_t)cpu * h->nr_nodes / h->nr_cpus);
}

static void
node_mem(const struct sim_host *h, uint32_t node, xen_sysctl_meminfo_t *m)
{
	uint64_t lo = 1 + h->total_pages * node / h->nr_nodes;
	uint64_t hi = 1 + h->total_pages * (node + 1) / h->nr_nodes;
	uint64_t used = 0, a, b;
	size_t i;

	for (i = 0; i < h->nm2p; i++) {
		a = h->m2p[i].mfn;
		b = a + h->m2p[i].count;
		if (a < lo)
			a = lo;
		if (b > hi)
			b = hi;
		if (a < b)
			used += b - a;
	}
	m->memsize = (hi - lo) << 12;
	m->memfree = (hi - lo - used) << 12;
}

static long
sim_numainfo(const struct sim_host *h, struct xen_sysctl_numainfo *ni)
{
	xen_sysctl_meminfo_t *mi = ni->meminfo.p;
	uint32_t *di = ni->distance.p, n = h->nr_nodes, i, j;

	if (mi || di) {
		if (n > ni->num_nodes)
			n = ni->num_nodes;
		for (i = 0; i < n; i++) {
			if (mi)
				node_mem(h, i, &mi[i]);
			for (j = 0; di && j < n; j++)
				di[i * n + j] = i == j ? 10 : 20;
		}
	}
	ni->num_nodes = n;
	return 0;
}

static long
sim_cputopo(const struct sim_host *h, struct xen_sysctl_cputopoinfo *ti)
{
	xen_sysctl_cputopo_t *t = ti->cputopo.p;
	uint32_t n = h->nr_cpus, i;

	if (t) {
		if (n > ti->num_cpus)
			n = ti->num_cpus;
		for (i = 0; i < n; i++)
			cpu_place(h, i, &t[i]);
	}
	ti->num_cpus = n;
	return 0;
}

static long
do_sysctl(struct sim *s, struct xen_sysctl *op)
{
	struct xen_sysctl_getdomaininfolist *l;
	struct xen_domctl_getdomaininfo *buf;
	struct sim_host *h = &s->host;
	uint32_t n = 0;
	size_t i;

	switch (op->cmd) {
	case XEN_SYSCTL_physinfo:
		fill_physinfo(h, &op->u.physinfo);
		return 0;
	case XEN_SYSCTL_sched_id:
		op->u.sched_id.sched_id = h->sched_id;
		return 0;
	case XEN_SYSCTL_getdomaininfolist:
		l = &op->u.getdomaininfolist;
		buf = l->buffer.p;
		for (i = 0; i < h->ndoms; i++) {
			if (h->doms[i].domid < l->first_domain)
				continue;
			if (n == l->max_domains)
				break;
			if (buf == NULL)
				return -EFAULT;
			fill_info(h, &h->doms[i], &buf[n]);
			n++;
		}
		l->num_domains = n;
		return 0;
	case XEN_SYSCTL_readconsole:
		return sim_console_read(s, &op->u.readconsole);
	case XEN_SYSCTL_numainfo:
		return sim_numainfo(h, &op->u.numainfo);
	case XEN_SYSCTL_cputopoinfo:
		return sim_cputopo(h, &op->u.cputopoinfo);
	case XEN_SYSCTL_scheduler_op:
		/* Pool-0's credit scheduler, with Xen's default parameters */
		if (op->u.scheduler_op.cpupool_id != 0)
			return -ENOENT;
		if (op->u.scheduler_op.sched_id != h->sched_id ||
		    op->u.scheduler_op.cmd != XEN_SYSCTL_SCHEDOP_getinfo)
			return -EINVAL;
		op->u.scheduler_op.u.sched_credit.tslice_ms = 30;
		op->u.scheduler_op.u.sched_credit.ratelimit_us = 1000;
		op->u.scheduler_op.u.sched_credit.vcpu_migr_delay_us = 0;
		return 0;
	default:
		return -ENOSYS;
	}
}

/* ---- memory_op --------------------------------------------------------- */

static const struct sim_dom *
dom_any(struct sim *s, domid_t domid)
{
	if (domid == DOMID_SELF)
		domid = 0;
	return sim_dom_find(&s->host, domid);
}

/*
 * populate_physmap / increase_reservation / decrease_reservation, as
 * xen/common/memory.c: extents of 2^order frames, allocated naturally
 * aligned; a PV domain gets the machine frame of each back in
 * extent_start (Xen's M2P records the pfn it gave); freeing takes a PV
 * domain's machine frames or an HVM domain's guest frames.  Returns the
 * number of extents done.
 */
static long
do_reservation(struct sim *s, unsigned op, unsigned long start,
    struct xen_memory_reservation *r, bool *dirty)
{
	struct sim_host *h = &s->host;
	xen_pfn_t *list = r->extent_start.p;
	uint64_t pages, mfn, zero_at = 0, zero_n = 0, pfn;
	const struct sim_m2p *m;
	struct sim_dom *d;
	unsigned long i, j, k;
	uint64_t avail;
	int64_t t;
	int e;

	if (r->nr_extents > (UINT32_MAX >> MEMOP_EXTENT_SHIFT) ||
	    start >= r->nr_extents)
		return (long)start;
	if (dom_any(s, r->domid) == NULL ||
	    r->extent_order > CTLDOM_MAX_ORDER)
		return (long)start;
	if (op != XENMEM_increase_reservation && list == NULL)
		return (long)start;
	d = sim_dom_mut(h, r->domid == DOMID_SELF ? 0 : r->domid);
	pages = 1ull << r->extent_order;
	for (i = start; i < r->nr_extents; i++) {
		if (op == XENMEM_decrease_reservation) {
			mfn = list[i];
			if (!sim_dom_pv(d)) {
				t = sim_mem_pfn_to_mfn(d, list[i]);
				if (t < 0)
					break;
				mfn = (uint64_t)t;
			}
			m = sim_m2p_find(h, mfn);
			if (m == NULL || m->domid != d->domid ||
			    sim_mem_free(h, d, mfn, pages) < 0)
				break;
			sim_mem_zero(s, mfn, pages);
		} else {
			pfn = list ? list[i] : 0;
			if ((d->state & SIM_DYING) ||
			    d->tot_pages + pages > d->max_pages)
				break;
			if (!sim_dom_pv(d) && sim_mem_pfn_to_mfn(d, pfn) >= 0)
				break;	/* already there (no replacing) */
			/*
			 * Extents for consecutive frames in one allocation, as
			 * many as the domain may have and the host has free;
			 * halved while the free memory is not in one piece.
			 */
			avail = (h->total_pages - sim_used_pages(h)) / pages;
			for (k = 1; k < avail && i + k < r->nr_extents &&
			    (list == NULL || list[i + k] == pfn + k * pages) &&
			    d->tot_pages + (k + 1) * pages <= d->max_pages &&
			    sim_dom_pv(d); k++)
				;
			while ((e = sim_mem_alloc(h, d, SIM_MEM_RAM, pfn,
			    k * pages, pages, &mfn)) < 0 && k > 1)
				k /= 2;
			if (e < 0)
				break;
			for (j = 0; list && sim_dom_pv(d) && j < k; j++)
				list[i + j] = mfn + j * pages;
			/* new frames read as zero: punch them out, in runs */
			if (zero_n && zero_at + zero_n == mfn) {
				zero_n += k * pages;
			} else {
				sim_mem_zero(s, zero_at, zero_n);
				zero_at = mfn;
				zero_n = k * pages;
			}
			i += k - 1;
		}
		*dirty = true;
	}
	sim_mem_zero(s, zero_at, zero_n);
	return (long)i;
}

static long
do_memory_op(struct sim *s, uint64_t cmd, void *arg, bool *dirty)
{
	unsigned op = (unsigned)(cmd & MEMOP_CMD_MASK);
	unsigned long start = (unsigned long)(cmd >> MEMOP_EXTENT_SHIFT);
	const struct sim_dom *d;
	domid_t domid;

	switch (op) {
	case XENMEM_increase_reservation:
	case XENMEM_decrease_reservation:
	case XENMEM_populate_physmap:
		if (arg == NULL)
			return (long)start;
		return do_reservation(s, op, start, arg, dirty);
	case XENMEM_maximum_ram_page:
		if (start)
			return -EINVAL;
		return (long)s->host.total_pages;
	case XENMEM_current_reservation:
	case XENMEM_maximum_reservation:
		if (start)
			return -EINVAL;
		if (arg == NULL)
			return -EFAULT;
		memcpy(&domid, arg, sizeof(domid));
		d = dom_any(s, domid);
		if (d == NULL)
			return -ESRCH;
		return (long)(op == XENMEM_current_reservation ? d->tot_pages :
		    d->max_pages);
	default:
		return -ENOSYS;
	}
}

/* ---- xen_version: the identity of the simulated hypervisor ------------ */

/*
 * Xen 4.17 as the simulated host reports itself.  The extra version and
 * the command line say it is simulated, so `xm info` cannot be mistaken
 * for a real hypervisor's.
 */
static long
do_xen_version(uint64_t cmd, void *arg)
{
	switch (cmd) {
	case XENVER_version:
		return (4 << 16) | 17;
	case XENVER_pagesize:
		return XVM_PAGE_SIZE;
	case XENVER_extraversion:
		if (!arg)
			return -EFAULT;
		snprintf(arg, sizeof(xen_extraversion_t), ".0-sim");
		return 0;
	case XENVER_compile_info: {
		struct xen_compile_info *ci = arg;

		if (!ci)
			return -EFAULT;
		memset(ci, 0, sizeof(*ci));
		snprintf(ci->compiler, sizeof(ci->compiler),
		    "xvm simulated Xen host");
		snprintf(ci->compile_by, sizeof(ci->compile_by), "xvm");
		snprintf(ci->compile_domain, sizeof(ci->compile_domain),
		    "sim");
		return 0;
	}
	case XENVER_capabilities:
		if (!arg)
			return -EFAULT;
		/* as Xen writes it: each one followed by a space */
		snprintf(arg, sizeof(xen_capabilities_info_t), "xen-3.0-x86_64 "
		    "hvm-3.0-x86_32 hvm-3.0-x86_32p hvm-3.0-x86_64 ");
		return 0;
	case XENVER_changeset:
		if (!arg)
			return -EFAULT;
		memset(arg, 0, sizeof(xen_changeset_info_t));
		return 0;
	case XENVER_platform_parameters:
		if (!arg)
			return -EFAULT;
		((struct xen_platform_parameters *)arg)->virt_start =
		    0xffff800000000000ULL;
		return 0;
	case XENVER_commandline:
		if (!arg)
			return -EFAULT;
		snprintf(arg, sizeof(xen_commandline_t), "xvm-sim");
		return 0;
	default:
		return -ENOSYS;
	}
}

/* ---- the ops ------------------------------------------------------------ */

static long
sim_hypercall(struct xvm_io *io, unsigned op, const uint64_t arg[5])
{
	struct sim *s = sim_of(io);
	struct xen_domctl dc;
	struct xen_sysctl sc;
	void *p = (void *)(uintptr_t)arg[0];
	bool dirty = false, xs_dirty = false, ro;
	long r;

	/* what Xen checks before it takes any lock */
	switch (op) {
	case __HYPERVISOR_domctl:
		if (p == NULL)
			return -EFAULT;
		memcpy(&dc, p, sizeof(dc));
		if (dc.interface_version != XEN_DOMCTL_INTERFACE_VERSION)
			return -EACCES;
		break;
	case __HYPERVISOR_sysctl:
		if (p == NULL)
			return -EFAULT;
		memcpy(&sc, p, sizeof(sc));
		if (sc.interface_version != XEN_SYSCTL_INTERFACE_VERSION)
			return -EACCES;
		break;
	case __HYPERVISOR_memory_op:
	case __HYPERVISOR_event_channel_op:
	case __HYPERVISOR_grant_table_op:
	case __HYPERVISOR_mmuext_op:
	case __HYPERVISOR_hvm_op:
		break;
	case __HYPERVISOR_xen_version:
		return do_xen_version(arg[0], (void *)(uintptr_t)arg[1]);
	default:
		return -ENOSYS;
	}

	xvm_err_clear(&s->last_err);
	ro = (op == __HYPERVISOR_domctl && domctl_ro(&dc)) ||
	    (op == __HYPERVISOR_sysctl && sysctl_ro(&sc)) ||
	    (op == __HYPERVISOR_event_channel_op &&
	    arg[0] == EVTCHNOP_status) ||
	    (op == __HYPERVISOR_grant_table_op &&
	    arg[0] == GNTTABOP_query_size) ||
	    (op == __HYPERVISOR_hvm_op && arg[0] == HVMOP_get_param) ||
	    (op == __HYPERVISOR_memory_op &&
	    ((arg[0] & MEMOP_CMD_MASK) == XENMEM_current_reservation ||
	    (arg[0] & MEMOP_CMD_MASK) == XENMEM_maximum_reservation ||
	    (arg[0] & MEMOP_CMD_MASK) == XENMEM_maximum_ram_page));
	if (sim_begin(s, ro, &s->last_err) < 0)
		return -EIO;
	switch (op) {
	case __HYPERVISOR_domctl:
		r = do_domctl(s, &dc, &dirty, &xs_dirty);
		if (r == 0)
			memcpy(p, &dc, sizeof(dc));
		break;
	case __HYPERVISOR_sysctl:
		r = do_sysctl(s, &sc);
		if (r == 0)
			memcpy(p, &sc, sizeof(sc));
		break;
	case __HYPERVISOR_event_channel_op:
		r = sim_evtchn_op(s, (unsigned)arg[0],
		    (void *)(uintptr_t)arg[1], &dirty);
		break;
	case __HYPERVISOR_grant_table_op:
		r = sim_gnttab_op(s, (unsigned)arg[0],
		    (void *)(uintptr_t)arg[1], (unsigned)arg[2], &dirty);
		break;
	case __HYPERVISOR_mmuext_op:
		r = sim_mmuext_op(s, p, (unsigned)arg[1],
		    (unsigned *)(uintptr_t)arg[2], (uint32_t)arg[3], &dirty);
		break;
	case __HYPERVISOR_hvm_op:
		r = sim_hvm_op(s, (unsigned)arg[0], (void *)(uintptr_t)arg[1],
		    &dirty);
		break;
	default:
		r = do_memory_op(s, arg[0], (void *)(uintptr_t)arg[1],
		    &dirty);
		break;
	}
	if (sim_end(s, dirty, xs_dirty, &s->last_err) < 0)
		return -EIO;
	return r;
}

static void *
sim_buf_alloc(struct xvm_io *io, size_t npages)
{
	void *p = NULL;

	(void)io;
	if (npages == 0 || npages > SIZE_MAX / XVM_PAGE_SIZE)
		return NULL;
	if (posix_memalign(&p, XVM_PAGE_SIZE, npages * XVM_PAGE_SIZE) != 0)
		return NULL;
	memset(p, 0, npages * XVM_PAGE_SIZE);
	return p;
}

static void
sim_buf_free(struct xvm_io *io, void *p, size_t npages)
{
	(void)io;
	(void)npages;
	free(p);
}

static void *
sim_map_foreign(struct xvm_io *io, uint16_t domid, int prot,
    const uint64_t *gfns, int *errs, size_t n, struct xvm_err *err)
{
	struct sim *s = sim_of(io);
	void *p;

	if (gfns == NULL) {
		xvm_err_set(err, XVM_ERR_INVALID_ARG, "no frames to map");
		return NULL;
	}
	if (sim_begin(s, true, err) < 0)
		return NULL;
	p = sim_map(s, domid, prot, gfns, errs, n, err);
	(void)sim_end(s, false, false, NULL);
	return p;
}

static int
sim_dm_start_op(struct xvm_io *io, uint32_t domid, char *const *argv,
    const char *log, long *pid_r, struct xvm_err *err)
{
	struct sim *s = sim_of(io);
	int r;

	(void)log;
	*pid_r = 0;			/* the simulated QEMU is no process */
	if (sim_begin(s, false, err) < 0)
		return -1;
	r = sim_dm_start(s, domid, argv, err);
	if (sim_end(s, false, r == 0, r == 0 ? err : NULL) < 0)
		return -1;
	return r;
}

static void
sim_dm_stop_op(struct xvm_io *io, uint32_t domid, long pid)
{
	struct sim *s = sim_of(io);

	(void)pid;
	if (sim_begin(s, false, NULL) < 0)
		return;
	sim_dm_stop(s, domid);
	(void)sim_end(s, false, true, NULL);
}

static void
sim_unmap_foreign(struct xvm_io *io, void *addr, size_t n)
{
	(void)io;
	if (addr != NULL && n > 0)
		munmap(addr, n * XVM_PAGE_SIZE);
}

/* An XS_ERROR reply built here (for a transaction lost to a reload). */
static void
xs_error_reply(struct xvm_buf *reply, const struct xsd_sockmsg *req,
    const char *name)
{
	struct xsd_sockmsg h;

	h.type = XS_ERROR;
	h.req_id = req->req_id;
	h.tx_id = req->tx_id;
	h.len = (uint32_t)strlen(name) + 1;
	xvm_buf_add(reply, &h, sizeof(h));
	xvm_buf_add(reply, name, h.len);
}

static bool
xs_ok(const struct xvm_buf *reply)
{
	struct xs_wire_msg m;

	return xs_wire_decode(reply->data, reply->len, &m) == 0 &&
	    m.type != XS_ERROR;
}

/* Track watches and transactions from a request and its reply. */
static void
xs_track(struct sim *s, const struct xsd_sockmsg *req, const char *payload,
    const struct xvm_buf *reply)
{
	struct xs_wire_msg m;
	const char *path, *token;
	char *end;
	unsigned long id;
	size_t plen;

	if (xs_wire_decode(reply->data, reply->len, &m) < 0)
		return;
	if (req->type == XS_TRANSACTION_END) {
		tx_del(s, req->tx_id);
		return;
	}
	if (m.type == XS_ERROR)
		return;
	switch (req->type) {
	case XS_WATCH:
	case XS_UNWATCH:
		path = payload;
		plen = strnlen(path, req->len);
		if (plen + 1 >= req->len)
			return;
		token = path + plen + 1;
		if (strnlen(token, req->len - plen - 1) == req->len - plen - 1)
			return;
		if (req->type == XS_WATCH)
			watch_add(s, path, token);
		else
			watch_del(s, path, token);
		break;
	case XS_RESET_WATCHES:
		watch_clear(s);
		break;
	case XS_TRANSACTION_START:
		if (m.len == 0 || m.payload[m.len - 1] != '\0')
			return;
		id = strtoul(m.payload, &end, 10);
		if (*end != '\0' || id == 0 || id > UINT32_MAX)
			return;
		if (s->ntxs == s->ctxs) {
			s->ctxs = s->ctxs ? s->ctxs * 2 : 4;
			s->txs = xvm_realloc(s->txs, s->ctxs * sizeof(*s->txs));
		}
		s->txs[s->ntxs].id = (uint32_t)id;
		s->txs[s->ntxs].lost = false;
		s->ntxs++;
		break;
	default:
		break;
	}
}

/* Requests that change nothing a process shares (no host lock). */
static bool
xs_ro(uint32_t type)
{
	return type == XS_READ || type == XS_DIRECTORY ||
	    type == XS_DIRECTORY_PART || type == XS_GET_PERMS ||
	    type == XS_GET_DOMAIN_PATH || type == XS_IS_DOMAIN_INTRODUCED ||
	    type == XS_CONTROL;
}

static int
sim_xs_request(struct xvm_io *io, const void *req, size_t len,
    struct xvm_buf *reply, struct xvm_err *err)
{
	struct sim *s = sim_of(io);
	struct xsd_sockmsg h;
	struct sim_tx *t;
	size_t mlen = 0;
	uint64_t g0;
	bool xs_dirty = false;
	int ret = -1;

	xvm_buf_reset(reply);
	if (req == NULL || xs_wire_frame(req, len, &mlen) != 1 || mlen != len)
		return xvm_err_set(err, XVM_ERR_INVALID_ARG,
		    "malformed xenstore request (%zu bytes)", len);
	memcpy(&h, req, sizeof(h));
	if (sim_begin(s, xs_ro(h.type), err) < 0)
		return -1;
	t = h.tx_id ? tx_find(s, h.tx_id) : NULL;
	if (t != NULL && t->lost) {
		xs_error_reply(reply, &h, "EAGAIN");
		if (h.type == XS_TRANSACTION_END)
			tx_del(s, h.tx_id);
		ret = 0;
		goto out;
	}
	g0 = xs_store_generation(s->xs);
	if (xs_wire_handle(s->conn, req, len, reply) < 0) {
		xvm_err_set(err, XVM_ERR_INVALID_ARG,
		    "malformed xenstore request (type %" PRIu32 ")", h.type);
		xvm_buf_reset(reply);
		goto out;
	}
	xs_track(s, &h, (const char *)req + sizeof(h), reply);
	drain_conn(s);
	sim_guest_watch(s);	/* what dom0 asked of guests */
	/*
	 * Save what others must see: not a transaction's own work before
	 * its end (only its snapshot changed); domain records and
	 * special-watch perms leave the generation be.
	 */
	xs_dirty = (xs_store_generation(s->xs) != g0 &&
	    ((h.tx_id == 0 && h.type != XS_TRANSACTION_START) ||
	    h.type == XS_TRANSACTION_END)) ||
	    (xs_ok(reply) && (h.type == XS_INTRODUCE ||
	    h.type == XS_RELEASE || h.type == XS_RESUME ||
	    h.type == XS_SET_TARGET || h.type == XS_SET_PERMS));
	ret = 0;
out:
	if (sim_end(s, false, xs_dirty, err) < 0) {
		xvm_buf_reset(reply);	/* not done after all */
		ret = -1;
	}
	return ret;
}

static int
sim_xs_event(struct xvm_io *io, struct xvm_buf *event, struct xvm_err *err)
{
	struct sim *s = sim_of(io);
	struct xvm_buf *b;

	if (s->event_head == s->nevents) {
		/* nothing here: look for what other processes changed */
		if (sim_begin(s, true, err) < 0)
			return -1;
		if (sim_end(s, false, false, err) < 0)
			return -1;
		if (s->event_head == s->nevents)
			return 0;
	}
	b = &s->events[s->event_head++];
	xvm_buf_reset(event);
	xvm_buf_add(event, b->data, b->len);
	xvm_buf_release(b);
	return 1;
}

static void
sim_close(struct xvm_io *io)
{
	struct sim *s;
	size_t i;

	if (io == NULL)
		return;
	s = sim_of(io);
	if (s != NULL) {
		xs_conn_free(s->conn);
		xs_conn_free(s->gconn);
		xs_store_free(s->xs);
		sim_release_state(s);
		if (s->memfd >= 0)
			close(s->memfd);
		watch_clear(s);
		free(s->watches);
		free(s->txs);
		for (i = s->event_head; i < s->nevents; i++)
			xvm_buf_release(&s->events[i]);
		free(s->events);
		free(s->dir);
		free(s->state_path);
		free(s->lock_path);
		free(s->console_path);
		free(s->journal_path);
		free(s);
	}
	free(io);
}

static const struct xvm_io_ops sim_ops = {
	.name = "sim",
	.hypercall = sim_hypercall,
	.buf_alloc = sim_buf_alloc,
	.buf_free = sim_buf_free,
	.map_foreign = sim_map_foreign,
	.unmap_foreign = sim_unmap_foreign,
	.xs_request = sim_xs_request,
	.xs_event = sim_xs_event,
	.dm_start = sim_dm_start_op,
	.dm_stop = sim_dm_stop_op,
	.close = sim_close,
};

static int
check_figures(const char *what, unsigned cpus, unsigned long long memory_kib,
    struct xvm_err *err)
{
	if (cpus > MAX_CPUS)
		return xvm_err_set(err, XVM_ERR_INVALID_ARG, "simulated host "
		    "'%s': %u CPUs requested, at most %u", what, cpus,
		    MAX_CPUS);
	if (memory_kib != 0 && memory_kib < MIN_MEM_KIB)
		return xvm_err_set(err, XVM_ERR_INVALID_ARG, "simulated host "
		    "'%s': memory %llu KiB is below the minimum of 512 MiB",
		    what, memory_kib);
	if (memory_kib > (1ull << 40))
		return xvm_err_set(err, XVM_ERR_INVALID_ARG, "simulated host "
		    "'%s': memory %llu KiB is above the maximum of 1 PiB",
		    what, memory_kib);
	return 0;
}

static struct xvm_io *
new_handle(struct sim *s)
{
	struct xvm_io *io = xvm_calloc(1, sizeof(*io));
	const char *t = getenv("XVM_TRACE");

	io->ops = &sim_ops;
	io->priv = s;
	io->trace = t != NULL && t[0] != '\0' && strcmp(t, "0") != 0;
	return io;
}

/* The CPUs' layout must fit in them (0: the default). */
static int
check_layout(const char *what, const struct xvm_sim_spec *spec,
    struct xvm_err *err)
{
	unsigned cpus = spec->cpus ? spec->cpus : 8;
	unsigned tpc = spec->threads_per_core ? spec->threads_per_core : 1;
	unsigned cps = spec->cores_per_socket;

	if (spec->nodes > cpus)
		return xvm_err_set(err, XVM_ERR_INVALID_ARG, "simulated host "
		    "'%s': %u NUMA nodes need at least as many CPUs, not %u",
		    what, spec->nodes, cpus);
	if (cpus % tpc != 0)
		return xvm_err_set(err, XVM_ERR_INVALID_ARG, "simulated host "
		    "'%s': %u CPUs do not make whole cores of %u threads",
		    what, cpus, tpc);
	if (cps && (unsigned long long)cps * tpc > cpus)
		return xvm_err_set(err, XVM_ERR_INVALID_ARG, "simulated host "
		    "'%s': a socket of %u cores of %u threads needs more than "
		    "%u CPUs", what, cps, tpc, cpus);
	return 0;
}

int
xvm_io_open_sim(struct xvm_io **io_r, const char *dir, unsigned cpus,
    unsigned long long memory_kib, struct xvm_err *err)
{
	struct xvm_sim_spec spec = { .cpus = cpus, .memory_kib = memory_kib };

	return xvm_io_open_sim_spec(io_r, dir, &spec, err);
}

int
xvm_io_open_sim_spec(struct xvm_io **io_r, const char *dir,
    const struct xvm_sim_spec *spec, struct xvm_err *err)
{
	struct xvm_io *io;
	struct sim *s;
	size_t n;

	*io_r = NULL;
	if (dir == NULL || dir[0] == '\0')
		return xvm_err_set(err, XVM_ERR_INVALID_ARG,
		    "simulated host: no directory given");
	if (check_figures(dir, spec->cpus, spec->memory_kib, err) < 0 ||
	    check_layout(dir, spec, err) < 0)
		return -1;

	s = xvm_calloc(1, sizeof(*s));
	n = strlen(dir);
	while (n > 1 && dir[n - 1] == '/')
		n--;
	s->dir = xvm_strndup(dir, n);
	s->state_path = xvm_asprintf("%s/state", s->dir);
	s->lock_path = xvm_asprintf("%s/lock", s->dir);
	s->console_path = xvm_asprintf("%s/console", s->dir);
	s->journal_path = xvm_asprintf("%s/journal", s->dir);
	s->lock.fd = -1;
	s->jfd = -1;
	s->memfd = -1;
	io = new_handle(s);
	if (sim_open_state(s, spec, err) < 0) {
		sim_close(io);
		return -1;
	}
	sim_firmware_install(s->dir);
	if (xvm_io_check_interface(io, err) < 0) {
		sim_close(io);
		return -1;
	}
	*io_r = io;
	return 0;
}

int
xvm_io_open_sim_mem(struct xvm_io **io_r, const struct xvm_sim_spec *spec,
    struct xvm_err *err)
{
	struct xvm_io *io;
	struct sim *s;

	*io_r = NULL;
	if (check_figures("(in memory)", spec->cpus, spec->memory_kib,
	    err) < 0 || check_layout("(in memory)", spec, err) < 0)
		return -1;
	s = xvm_calloc(1, sizeof(*s));
	s->lock.fd = -1;
	s->jfd = -1;
	s->memfd = -1;
	io = new_handle(s);
	if (sim_open_mem(s, spec, err) < 0 ||
	    xvm_io_check_interface(io, err) < 0) {
		sim_close(io);
		return -1;
	}
	*io_r = io;
	return 0;
}

/*
 * sim_guest.c - the simulated PV guest kernel: what a domain built by the
 * PV builder does once it runs, as a Linux or Solaris PV kernel would,
 * without executing its code.
 *
 * - Boot (first unpause): the guest starts from vcpu 0's context the way
 *   the CPU would: CR3's page tables must map the entry point and
 *   start_info at %rsi, start_info must carry the magic of a 64-bit PV
 *   guest, and its console and xenstore pages must be the domain's.  A
 *   guest that cannot boot crashes (SHUTDOWN_crash, a line on the
 *   hypervisor's console).  One that boots writes its boot lines to its
 *   console ring and announces control/feature-poweroff, -reboot and
 *   -suspend as a PV kernel's xenbus driver does.  A domain without a
 *   vcpu context (no kernel) just idles, as on Xen.
 *   Like Linux it publishes its p2m list in shared_info (arch.max_pfn,
 *   p2m_cr3, p2m_vaddr: the list the builder left at start_info.mfn_list)
 *   and keeps it true as its memory changes.
 * - control/shutdown: "poweroff", "halt", "reboot" or "suspend" is
 *   acknowledged (the key written back empty) and, after SHUTDOWN_DELAY
 *   (SUSPEND_DELAY for a suspend), the domain shuts down with that reason
 *   (halt: poweroff).  Before it
 *   suspends, the guest does what Linux's xen_pre_suspend does: the
 *   xenstore and console frames in its start_info become pfns, and it
 *   makes the suspend hypercall with its start_info's mfn in %rdx.  When
 *   the domain runs again it is either a restored copy (a new domain whose
 *   start_info the restorer rewrote: "resumed") or the same domain whose
 *   suspend was cancelled (%rax = 1: it takes its frames back).
 * - memory/target (KiB): after BALLOON_DELAY the balloon gives pages back
 *   (decrease_reservation) or takes more (up to max_pages and what the
 *   host has free), as the balloon driver does.
 * - cpu/N/availability: after VCPU_DELAY the vcpus marked "online" are
 *   up (vcpus 0 .. k-1: the simulated guest onlines them in order).
 * - Its console: what is put in the input ring and signalled on the
 *   console's event channel is echoed to the output ring (a carriage
 *   return or newline as "\r\n"), as a shell at a prompt would.
 * - control/sysrq: a key is taken (the node written back empty) after
 *   SYSRQ_DELAY and handled as Linux's magic SysRq handler does: its
 *   line on the console, and for b (reboot), o (power off) and c (crash)
 *   the domain shuts down for that reason at once; an unknown key prints
 *   the help line.
 * - An installer: a ramdisk that begins with the line
 *   "xvm-sim-installer poweroff-after=SECONDS" makes the guest an OS
 *   installer that, SECONDS after it booted, puts the system the rest of
 *   the ramdisk holds (a tar archive) on a new ext2 file system on its
 *   first disk (sim_install.c), says so on its console and powers the
 *   domain off - what virt-install waits for between the install phase
 *   and the installed guest, which the toolstack's bootloader then boots
 *   from that disk.
 * - xvm.dirty=N on its command line: it writes N pages a second (a word
 *   in each) within a working set of its memory beyond its boot-time
 *   structures, as a busy guest does; pages written while log-dirty is on
 *   (XEN_DOMCTL_shadow_op) are marked in the bitmap live migration reads.
 * The delays are wall-clock time: the work is done by the first
 * operation on the host after it is due, and not while the domain is
 * paused (a paused guest does nothing; it answers once unpaused).
 */
#define __XEN_TOOLS__ 1

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xen/xen.h>
#include <xen/domctl.h>
#include <xen/sched.h>
#include <xen/io/console.h>

#include "xen/io/sim_int.h"
#include "xen/xs_store.h"

#define MS		1000000ll
#define SHUTDOWN_DELAY	(100 * MS)
#define SUSPEND_DELAY	(5 * MS)	/* a suspend is quick */
#define BALLOON_DELAY	(50 * MS)
#define VCPU_DELAY	(20 * MS)
#define SYSRQ_DELAY	(10 * MS)
#define DIRTY_PERIOD	(10 * MS)	/* how often its writes are caught up */
#define PTE_P		0x1ull
#define PTE_ADDR	0x000ffffffffff000ull
#define P2M_INVALID	(~0ull)
/*
 * What the model keeps in vcpu 0's registers, as a kernel keeps its state
 * in its own memory: %r12 the virtual address of its start_info, %rbp
 * SUSPENDED while it sits in its suspend hypercall.
 */
#define SUSPENDED	0x53555350454e4445ull	/* "SUSPENDE" */

static int gwrite(struct sim *s, struct sim_dom *d, uint64_t maddr,
    const void *buf, size_t len);

/* ---- reading the guest ------------------------------------------------- */

/* The machine address va maps to under cr3; -1 when unmapped/foreign. */
static int64_t
translate(struct sim *s, uint16_t domid, uint64_t cr3, uint64_t va)
{
	uint64_t table = cr3 & PTE_ADDR, e = 0;
	const struct sim_m2p *m;
	int l;

	for (l = 4; l >= 1; l--) {
		unsigned idx = (unsigned)(va >> (12 + 9 * (l - 1))) & 511;

		m = sim_m2p_find(&s->host, table >> 12);
		if (m == NULL || m->domid != domid ||
		    sim_mem_read(s, table + idx * 8, &e, 8, NULL) < 0 ||
		    !(e & PTE_P))
			return -1;
		table = e & PTE_ADDR;
	}
	m = sim_m2p_find(&s->host, table >> 12);
	if (m == NULL || m->domid != domid)
		return -1;
	return (int64_t)(table | (va & 4095));
}

static bool
owns(struct sim *s, uint16_t domid, uint64_t mfn)
{
	const struct sim_m2p *m = sim_m2p_find(&s->host, mfn);

	return m != NULL && m->domid == domid;
}

/* Append text to the console ring of the page at mfn (what fits). */
static void
console_put(struct sim *s, struct sim_dom *d, uint64_t mfn, const char *text)
{
	struct xencons_interface r;
	uint64_t base = mfn * XVM_PAGE_SIZE;
	size_t i, n = strlen(text);

	if (sim_mem_read(s, base, &r, sizeof(r), NULL) < 0)
		return;
	for (i = 0; i < n && r.out_prod - r.out_cons < sizeof(r.out); i++)
		r.out[r.out_prod++ % sizeof(r.out)] = text[i];
	(void)gwrite(s, d, base, &r, sizeof(r));
}

/* The guest writes its own key (domid's connection: its permissions). */
static void
guest_write(struct sim *s, uint32_t domid, const char *rel, const char *val)
{
	struct xs_conn *c = xs_conn_new(s->xs, domid);
	char *path = xvm_asprintf("/local/domain/%" PRIu32 "/%s", domid, rel);

	(void)xs_write(c, 0, path, val, strlen(val));
	xs_conn_free(c);
	free(path);
}

static char *
store_read(struct sim *s, uint32_t domid, const char *rel)
{
	char *path = xvm_asprintf("/local/domain/%" PRIu32 "/%s", domid, rel);
	char *val = NULL;
	size_t len;

	if (xs_read(s->gconn, 0, path, &val, &len) != 0)
		val = NULL;
	free(path);
	return val;
}

static int
ctx_io(struct sim *s, struct sim_dom *d, vcpu_guest_context_t *ctx, bool put)
{
	uint64_t mfn = sim_mem_special(d, SIM_MEM_VCPU, 0);

	if (mfn == 0)
		return -1;
	return put ? sim_mem_write(s, mfn * XVM_PAGE_SIZE, ctx, sizeof(*ctx),
	    NULL) : sim_mem_read(s, mfn * XVM_PAGE_SIZE, ctx, sizeof(*ctx),
	    NULL);
}

/* ---- its p2m list --------------------------------------------------------- */

/* Where the guest said its p2m list is (shared_info's arch fields). */
struct gp2m {
	uint64_t cr3, va, n;
};

static int
shinfo_arch(struct sim *s, struct sim_dom *d, struct arch_shared_info *a,
    bool put)
{
	uint64_t mfn = sim_mem_special(d, SIM_MEM_SHINFO, 0);
	uint64_t at = mfn * XVM_PAGE_SIZE + offsetof(shared_info_t, arch);

	if (mfn == 0)
		return -1;
	return put ? sim_mem_write(s, at, a, sizeof(*a), NULL) :
	    sim_mem_read(s, at, a, sizeof(*a), NULL);
}

static bool
p2m_of(struct sim *s, struct sim_dom *d, struct gp2m *p)
{
	struct arch_shared_info a;

	if (shinfo_arch(s, d, &a, false) < 0 || a.p2m_cr3 == 0 ||
	    a.p2m_vaddr == 0 || a.max_pfn == 0)
		return false;
	p->cr3 = a.p2m_cr3;
	p->va = a.p2m_vaddr;
	p->n = a.max_pfn;
	return true;
}

/* As Linux's xen_setup_mfn_list_list: the linear list, no 3-level tree. */
static void
publish_p2m(struct sim *s, struct sim_dom *d, uint64_t cr3,
    const start_info_t *si)
{
	struct arch_shared_info a;

	if (shinfo_arch(s, d, &a, false) < 0)
		return;
	a.max_pfn = si->nr_pages;
	a.pfn_to_mfn_frame_list_list = ~0ull;	/* use the linear list */
	a.p2m_cr3 = cr3;
	a.p2m_vaddr = si->mfn_list;
	a.p2m_generation += 2;
	(void)shinfo_arch(s, d, &a, true);
}

/* ---- its console -------------------------------------------------------- */

void
sim_guest_event(struct sim *s, uint32_t domid, uint32_t port)
{
	const struct sim_dom *cd = sim_dom_find(&s->host, domid);
	struct sim_dom *d;
	struct xencons_interface r;
	char *v;
	uint64_t mfn = 0;
	uint32_t cport = 0;

	if (cd == NULL || !(cd->state & SIM_BOOTED) ||
	    (cd->state & SIM_SHUTDOWN) || cd->pause_count > 0)
		return;			/* it runs nothing */
	/* (its writes change its log-dirty bitmap when that is on) */
	d = (struct sim_dom *)(uintptr_t)cd;
	if (cd->logdirty)
		d = sim_dom_mut(&s->host, domid);
	if ((v = store_read(s, domid, "console/port")) != NULL)
		cport = (uint32_t)strtoul(v, NULL, 10);
	free(v);
	if (cport == 0 || port != cport)
		return;
	if ((v = store_read(s, domid, "console/ring-ref")) != NULL)
		mfn = strtoull(v, NULL, 10);
	free(v);
	if (mfn == 0 || !owns(s, domid, mfn) ||
	    sim_mem_read(s, mfn * XVM_PAGE_SIZE, &r, sizeof(r), NULL) < 0)
		return;
	while (r.in_cons != r.in_prod) {
		char ch = r.in[MASK_XENCONS_IDX(r.in_cons, r.in)];
		const char *echo = (ch == '\r' || ch == '\n') ? "\r\n" : NULL;
		size_t k, n = echo ? 2 : 1;

		if (sizeof(r.out) - (r.out_prod - r.out_cons) < n)
			break;		/* no room: the rest waits */
		r.in_cons++;
		for (k = 0; k < n; k++)
			r.out[MASK_XENCONS_IDX(r.out_prod++, r.out)] =
			    echo ? echo[k] : ch;
	}
	(void)gwrite(s, d, mfn * XVM_PAGE_SIZE, &r, sizeof(r));
}

/* ---- its writes to its memory, and log-dirty --------------------------- */

static uint64_t balloon_floor(struct sim *s, struct sim_dom *d,
    const struct gp2m *p);

static void
dirty_mark(struct sim_dom *d, uint64_t pfn)
{
	if (d->logdirty && pfn < d->dirty_bits)
		d->dirty[pfn / 8] |= (uint8_t)(1u << (pfn % 8));
}

/* A write of the guest's to its own memory: logged while log-dirty is on. */
static int
gwrite(struct sim *s, struct sim_dom *d, uint64_t maddr, const void *buf,
    size_t len)
{
	int r = sim_mem_write(s, maddr, buf, len, NULL);
	int64_t pfn;

	if (r == 0 && d->logdirty &&
	    (pfn = sim_mem_mfn_to_pfn(d, maddr >> 12)) >= 0)
		dirty_mark(d, (uint64_t)pfn);
	return r;
}

/*
 * The writes due since dirty_stamp: pages of its working set (the first
 * max(64, rate/2) pages after its boot-time structures), picked in turn by
 * a hash of a counter, each gets a word written.  At most every page once
 * per catch-up.
 */
static void
guest_writes(struct sim *s, struct sim_dom *d)
{
	struct gp2m p;
	uint64_t due, floor, hot, k;
	int64_t ns = s->host.clock_ns - d->dirty_stamp;

	if (d->dirty_rate == 0 || ns <= 0)
		return;
	if (d->pause_count > 0 || (d->state & SIM_SHUTDOWN)) {
		d->dirty_stamp = s->host.clock_ns;	/* it does not run */
		return;
	}
	if (!p2m_of(s, d, &p))
		return;
	due = (uint64_t)((double)ns * d->dirty_rate / 1e9);
	if (due == 0)
		return;
	d->dirty_stamp += (int64_t)((double)due * 1e9 / d->dirty_rate);
	floor = balloon_floor(s, d, &p);
	if (floor >= p.n)
		return;
	hot = d->dirty_rate / 2 > 64 ? d->dirty_rate / 2 : 64;
	if (hot > p.n - floor)
		hot = p.n - floor;
	if (due > hot)
		due = hot;
	for (k = 0; k < due; k++) {
		uint64_t seq = d->dirty_seq++, h = seq * 0x9e3779b97f4a7c15ull;
		uint64_t pfn = floor + (h >> 20) % hot, mfn;
		int64_t ma = translate(s, d->domid, p.cr3, p.va + pfn * 8);

		if (ma < 0 || sim_mem_read(s, (uint64_t)ma, &mfn, 8, NULL) < 0 ||
		    mfn == P2M_INVALID || !owns(s, d->domid, mfn))
			continue;	/* ballooned out */
		(void)sim_mem_write(s, mfn * XVM_PAGE_SIZE + (seq % 512) * 8,
		    &seq, 8, NULL);
		dirty_mark(d, pfn);
	}
}

void
sim_guest_catch_up(struct sim *s, struct sim_dom *d)
{
	guest_writes(s, d);
}

long
sim_shadow_op(struct sim *s, struct sim_dom *d,
    struct xen_domctl_shadow_op *op, bool *dirty)
{
	uint64_t nb, i, k, count = 0;
	uint32_t r;

	switch (op->op) {
	case XEN_DOMCTL_SHADOW_OP_OFF:
		free(d->dirty);
		d->dirty = NULL;
		d->dirty_bits = 0;
		d->logdirty = false;
		*dirty = true;
		return 0;
	case XEN_DOMCTL_SHADOW_OP_ENABLE_LOGDIRTY:
	case XEN_DOMCTL_SHADOW_OP_ENABLE:
		if (op->op == XEN_DOMCTL_SHADOW_OP_ENABLE &&
		    op->mode != XEN_DOMCTL_SHADOW_ENABLE_LOG_DIRTY)
			return -EINVAL;	/* the sim has log-dirty only */
		if (d->logdirty)
			return -EINVAL;	/* on already */
		guest_writes(s, d);	/* the writes before it, unlogged */
		d->dirty_bits = 0;
		for (r = 0; r < d->nruns; r++)
			if (d->runs[r].kind == SIM_MEM_RAM &&
			    d->runs[r].pfn + d->runs[r].count > d->dirty_bits)
				d->dirty_bits = d->runs[r].pfn +
				    d->runs[r].count;
		d->dirty = xvm_calloc((d->dirty_bits + 7) / 8 + 1, 1);
		d->logdirty = true;
		*dirty = true;
		return 0;
	case XEN_DOMCTL_SHADOW_OP_CLEAN:
	case XEN_DOMCTL_SHADOW_OP_PEEK:
		if (!d->logdirty)
			return -EINVAL;
		guest_writes(s, d);	/* up to now */
		nb = (d->dirty_bits + 7) / 8;
		if (op->dirty_bitmap.p != NULL) {
			uint64_t want = (op->pages + 7) / 8;

			memset(op->dirty_bitmap.p, 0, want);
			memcpy(op->dirty_bitmap.p, d->dirty,
			    want < nb ? want : nb);
		}
		for (i = 0; i < nb; i++)
			for (k = 0; k < 8; k++)
				count += (d->dirty[i] >> k) & 1;
		op->stats.dirty_count = (uint32_t)count;
		op->stats.fault_count = (uint32_t)count;
		op->pages = op->pages < d->dirty_bits ? op->pages :
		    d->dirty_bits;
		if (op->op == XEN_DOMCTL_SHADOW_OP_CLEAN) {
			memset(d->dirty, 0, nb);
			*dirty = true;
		}
		return 0;
	case XEN_DOMCTL_SHADOW_OP_GET_ALLOCATION:
		op->mb = 0;
		return 0;
	default:
		return -EINVAL;
	}
}

/* ---- stopping --------------------------------------------------------- */

static void
shut_down(struct sim *s, struct sim_dom *d, uint32_t code, const char *why)
{
	char line[160];

	sim_dom_changing(&s->host, d);
	d->state |= SIM_SHUTDOWN;
	d->shutdown_code = code;
	if (why != NULL) {
		snprintf(line, sizeof(line), "(XEN) d%u: %s\n", d->domid, why);
		(void)sim_console_write(s, line, NULL);
	}
	/* xenstored hears of it (VIRQ_DOM_EXC): @releaseDomain */
	(void)xs_store_domain_shutdown(s->xs, d->domid);
}

static void vcpus(struct sim *s, struct sim_dom *d);

static void schedule(struct sim *s, struct sim_dom *d, uint32_t kind,
    uint32_t arg, int64_t delay);
static void devices_connect(struct sim *s, uint32_t domid);

/*
 * Its workload, from its command line: xvm.load=P (each vcpu busy P% of
 * the time) and xvm.dirty=N (it writes N pages a second).
 */
static void
start_writing(struct sim *s, struct sim_dom *d, const start_info_t *si)
{
	const char *c = strstr((const char *)si->cmd_line, "xvm.dirty=");
	const char *l = strstr((const char *)si->cmd_line, "xvm.load=");
	unsigned long v;

	if (l != NULL && d->load_pm == 0) {
		v = strtoul(l + 9, NULL, 10);
		/* the busy ones' time so far, at the shares without it */
		sim_busy_settle(&s->host);
		sim_dom_settle(&s->host, d);
		d->load_pm = v > 100 ? 1000 : (uint32_t)v * 10;
	}
	if (c == NULL)
		return;
	v = strtoul(c + 10, NULL, 10);
	d->dirty_rate = v > 1000000 ? 1000000 : (uint32_t)v;
	d->dirty_stamp = s->host.clock_ns;
	if (d->dirty_rate)
		schedule(s, d, SIM_G_DIRTY, 0, DIRTY_PERIOD);
}

/*
 * The installer in its ramdisk (the module start_info points at: a
 * virtual address, or a pfn with SIF_MOD_START_PFN), if there is one.
 */
#define INSTALLER	"xvm-sim-installer"

static void console_line(struct sim *s, struct sim_dom *d, const char *line);
static void drivers_up(struct sim *s, struct sim_dom *d, bool suspend);

static void
start_installer(struct sim *s, struct sim_dom *d, uint64_t cr3,
    const start_info_t *si)
{
	char head[128], *p;
	uint64_t va = si->mod_start;
	int64_t ma;
	size_t len;
	double secs;

	if (si->mod_len < sizeof(INSTALLER) - 1)
		return;
	if (si->flags & SIF_MOD_START_PFN)
		return;		/* the PV builder maps it; see pvbuild.c */
	if ((ma = translate(s, d->domid, cr3, va)) < 0)
		return;
	len = XVM_PAGE_SIZE - (size_t)(ma & 4095);
	if (len > sizeof(head) - 1)
		len = sizeof(head) - 1;
	if (len > si->mod_len)
		len = (size_t)si->mod_len;
	if (sim_mem_read(s, (uint64_t)ma, head, len, NULL) < 0)
		return;
	head[len] = '\0';
	if (strncmp(head, INSTALLER, sizeof(INSTALLER) - 1) != 0 ||
	    (p = strstr(head, "poweroff-after=")) == NULL)
		return;
	secs = strtod(p + 15, NULL);
	if (!(secs >= 0) || secs > 86400)
		return;
	console_line(s, d, "xvm simulated installer: installing the system"
	    "\r\n");
	schedule(s, d, SIM_G_INSTALLED, 0, (int64_t)(secs * 1e9));
}

/* The guest's first disk (the lowest vbd), as its backend names it. */
static char *
first_disk(struct sim *s, uint32_t domid)
{
	char *p = xvm_asprintf("/local/domain/0/backend/vbd/%u", domid), *v;
	struct xvm_strv ids = XVM_STRV_INIT;
	unsigned long best = ~0ul, id;
	char *path = NULL;
	size_t k, len;

	if (xs_directory(s->gconn, 0, p, &ids, NULL) == 0)
		for (k = 0; k < ids.n; k++)
			if ((id = strtoul(ids.v[k], NULL, 10)) < best)
				best = id;
	if (best != ~0ul) {
		v = xvm_asprintf("%s/%lu/params", p, best);
		if (xs_read(s->gconn, 0, v, &path, &len) != 0)
			path = NULL;
		free(v);
	}
	xvm_strv_release(&ids);
	free(p);
	return path;
}

/*
 * The installer at work: the system after the ramdisk's first line put
 * on the first disk (sim_install.c), its progress on the console.
 */
static void
install_system(struct sim *s, struct sim_dom *d)
{
	vcpu_guest_context_t ctx;
	start_info_t si;
	char why[400], *img = NULL, *disk = NULL, *nl;
	uint64_t off;
	int64_t ma;
	size_t chunk;
	int n;

	if (ctx_io(s, d, &ctx, false) < 0 ||
	    (ma = translate(s, d->domid, ctx.ctrlreg[3],
	    ctx.user_regs.r12)) < 0 ||
	    sim_mem_read(s, (uint64_t)ma, &si, sizeof(si), NULL) < 0 ||
	    si.mod_len == 0 || si.mod_len > (64u << 20))
		return;
	img = xvm_malloc((size_t)si.mod_len);
	for (off = 0; off < si.mod_len; off += chunk) {
		chunk = XVM_PAGE_SIZE - (size_t)((si.mod_start + off) & 4095);
		if (chunk > si.mod_len - off)
			chunk = (size_t)(si.mod_len - off);
		if ((ma = translate(s, d->domid, ctx.ctrlreg[3],
		    si.mod_start + off)) < 0 || sim_mem_read(s, (uint64_t)ma,
		    img + off, chunk, NULL) < 0)
			goto out;
	}
	nl = memchr(img, '\n', (size_t)si.mod_len);
	if (nl == NULL || (size_t)(nl + 1 - img) == si.mod_len) {
		console_line(s, d, "xvm simulated installer: no system to "
		    "install\r\n");
		goto out;
	}
	if ((disk = first_disk(s, d->domid)) == NULL) {
		console_line(s, d, "xvm simulated installer: no disk to "
		    "install to\r\n");
		goto out;
	}
	n = sim_install_system(disk, nl + 1, (size_t)si.mod_len -
	    (size_t)(nl + 1 - img), why, sizeof(why));
	sim_guest_installed(s, d, n, why, disk);
out:
	free(disk);
	free(img);
}

/* ---- suspending and resuming ---------------------------------------------- */

/*
 * xen_pre_suspend: the start_info's xenstore and console frames become
 * pfns, and the suspend hypercall is made with start_info's mfn in %rdx.
 */
static bool
pre_suspend(struct sim *s, struct sim_dom *d)
{
	vcpu_guest_context_t ctx;
	start_info_t si;
	int64_t ma, sp, cp;
	uint64_t va;

	if (ctx_io(s, d, &ctx, false) < 0)
		return false;
	va = ctx.user_regs.r12 ? ctx.user_regs.r12 : ctx.user_regs.rsi;
	ma = translate(s, d->domid, ctx.ctrlreg[3], va);
	if (ma < 0 || sim_mem_read(s, (uint64_t)ma, &si, sizeof(si), NULL) < 0)
		return false;
	sp = sim_mem_mfn_to_pfn(d, si.store_mfn);
	cp = sim_mem_mfn_to_pfn(d, si.console.domU.mfn);
	if (sp < 0 || cp < 0)
		return false;
	si.store_mfn = (uint64_t)sp;
	si.console.domU.mfn = (uint64_t)cp;
	if (gwrite(s, d, (uint64_t)ma, &si, sizeof(si)) < 0)
		return false;
	ctx.user_regs.r12 = va;
	ctx.user_regs.rdx = (uint64_t)ma >> 12;
	ctx.user_regs.rbp = SUSPENDED;
	ctx.user_regs.rax = 0;
	return ctx_io(s, d, &ctx, true) == 0;
}

/* A restored copy: the restorer made start_info (at %rdx) right again. */
static void
resumed(struct sim *s, struct sim_dom *d, vcpu_guest_context_t *ctx)
{
	start_info_t si;
	char line[128];

	if (!owns(s, d->domid, ctx->user_regs.rdx) ||
	    sim_mem_read(s, ctx->user_regs.rdx * XVM_PAGE_SIZE, &si,
	    sizeof(si), NULL) < 0 ||
	    strncmp(si.magic, "xen-3.0-x86_64", sizeof(si.magic)) != 0 ||
	    !owns(s, d->domid, si.console.domU.mfn) ||
	    !owns(s, d->domid, si.store_mfn)) {
		shut_down(s, d, SHUTDOWN_crash, "simulated guest crashed on "
		    "resume: its start_info (%rdx) is not right");
		return;
	}
	ctx->user_regs.rbp = 0;
	(void)ctx_io(s, d, ctx, true);
	d->state |= SIM_BOOTED;
	vcpus(s, d);
	publish_p2m(s, d, ctx->ctrlreg[3], &si);
	start_writing(s, d, &si);
	devices_connect(s, d->domid);
	snprintf(line, sizeof(line), "xvm simulated PV guest: resumed (domain "
	    "%u)\r\n", d->domid);
	console_put(s, d, si.console.domU.mfn, line);
	guest_write(s, d->domid, "control/feature-poweroff", "1");
	guest_write(s, d->domid, "control/feature-reboot", "1");
	guest_write(s, d->domid, "control/feature-suspend", "1");
}

void
sim_guest_resume(struct sim *s, struct sim_dom *d)
{
	vcpu_guest_context_t ctx;
	start_info_t si;
	int64_t sm, cm;
	uint64_t at;

	if (ctx_io(s, d, &ctx, false) < 0 || ctx.user_regs.rbp != SUSPENDED)
		return;
	if (ctx.user_regs.rax != 1) {
		resumed(s, d, &ctx);	/* it believes it moved */
		return;
	}
	/* cancelled (the toolstack's "fast resume"): its frames back */
	at = ctx.user_regs.rdx * XVM_PAGE_SIZE;
	if (sim_mem_read(s, at, &si, sizeof(si), NULL) < 0)
		return;
	sm = sim_mem_pfn_to_mfn(d, si.store_mfn);
	cm = sim_mem_pfn_to_mfn(d, si.console.domU.mfn);
	if (sm < 0 || cm < 0) {
		shut_down(s, d, SHUTDOWN_crash, "simulated guest crashed: its "
		    "suspend was cancelled, but its frames are gone");
		return;
	}
	si.store_mfn = (uint64_t)sm;
	si.console.domU.mfn = (uint64_t)cm;
	(void)gwrite(s, d, at, &si, sizeof(si));
	ctx.user_regs.rbp = 0;
	(void)ctx_io(s, d, &ctx, true);
	console_put(s, d, (uint64_t)cm, "xvm simulated PV guest: suspend "
	    "cancelled\r\n");
}

/* ---- booting ------------------------------------------------------------ */

void
sim_guest_boot(struct sim *s, struct sim_dom *d)
{
	vcpu_guest_context_t ctx;
	start_info_t si;
	uint64_t mfn = sim_mem_special(d, SIM_MEM_VCPU, 0), con;
	int64_t ma;
	char line[1400];
	size_t i;

	if (!sim_dom_pv(d) && d->domid != 0 &&
	    (d->cdf & XEN_DOMCTL_CDF_hvm)) {
		sim_hvm_boot(s, d);	/* its firmware runs */
		return;
	}
	if (!sim_dom_pv(d) || mfn == 0 || sim_mem_read(s, mfn * XVM_PAGE_SIZE,
	    &ctx, sizeof(ctx), NULL) < 0)
		return;			/* no kernel: it idles */
	if (ctx.user_regs.rbp == SUSPENDED) {
		resumed(s, d, &ctx);	/* a restored copy runs on */
		return;
	}
	if (translate(s, d->domid, ctx.ctrlreg[3], ctx.user_regs.rip) < 0) {
		shut_down(s, d, SHUTDOWN_crash, "simulated guest crashed: its "
		    "entry point is not mapped");
		return;
	}
	ma = translate(s, d->domid, ctx.ctrlreg[3], ctx.user_regs.rsi);
	if (ma < 0 || (ma & 4095) + sizeof(si) > 2 * XVM_PAGE_SIZE ||
	    sim_mem_read(s, (uint64_t)ma, &si, sizeof(si), NULL) < 0) {
		shut_down(s, d, SHUTDOWN_crash, "simulated guest crashed: "
		    "start_info (%rsi) is not mapped");
		return;
	}
	if (strncmp(si.magic, "xen-3.0-x86_64", sizeof(si.magic)) != 0 ||
	    !owns(s, d->domid, si.console.domU.mfn) ||
	    !owns(s, d->domid, si.store_mfn)) {
		shut_down(s, d, SHUTDOWN_crash, "simulated guest crashed: "
		    "start_info is not a 64-bit PV guest's");
		return;
	}
	d->state |= SIM_BOOTED;
	vcpus(s, d);			/* it brings up the vcpus it may */
	ctx.user_regs.r12 = ctx.user_regs.rsi;	/* where its start_info is */
	(void)ctx_io(s, d, &ctx, true);
	publish_p2m(s, d, ctx.ctrlreg[3], &si);
	start_writing(s, d, &si);
	devices_connect(s, d->domid);
	con = si.console.domU.mfn;
	si.cmd_line[MAX_GUEST_CMDLINE - 1] = 0;
	for (i = 0; si.cmd_line[i]; i++)
		if ((unsigned char)si.cmd_line[i] < ' ')
			si.cmd_line[i] = ' ';
	snprintf(line, sizeof(line), "xvm simulated PV guest: booting on Xen "
	    "4.17 (domain %u)\r\nxvm simulated PV guest: command line: "
	    "%s\r\nxvm simulated PV guest: %lu MiB, %u vcpus, xenstore port "
	    "%u, console port %u\r\n", d->domid, (char *)si.cmd_line,
	    (unsigned long)(si.nr_pages / 256), d->max_vcpus,
	    si.store_evtchn, si.console.domU.evtchn);
	console_put(s, d, con, line);
	start_installer(s, d, ctx.ctrlreg[3], &si);
	drivers_up(s, d, true);
}

/* ---- what dom0 asks ----------------------------------------------------- */

static void
schedule(struct sim *s, struct sim_dom *d, uint32_t kind, uint32_t arg,
    int64_t delay)
{
	struct sim_pend *p = NULL;
	uint32_t i;

	for (i = 0; i < d->npend; i++)
		if (d->pend[i].kind == kind)
			p = &d->pend[i];
	if (p == NULL) {
		d->pend = xvm_realloc(d->pend, (d->npend + 1) *
		    sizeof(*d->pend));
		p = &d->pend[d->npend++];
	}
	p->kind = kind;
	p->arg = arg;
	p->due_ns = s->host.clock_ns + delay;
	if (s->host.next_due == 0 || p->due_ns < s->host.next_due)
		s->host.next_due = p->due_ns;
}

/*
 * Its devices (blkfront, netfront) and dom0's backends (blkback,
 * netback), as one: a backend that is online connects (both ends
 * state 4) once the guest runs; one set Closing (5) by the toolstack is
 * closed at both ends (6).
 */
static void
device_changed(struct sim *s, const char *kind, uint32_t domid,
    unsigned devid)
{
	const struct sim_dom *d = sim_dom_find(&s->host, domid);
	char be[128], fe[128], *bs = NULL, *on = NULL, *v = NULL;
	size_t len;
	const char *to = NULL;

	if (d == NULL || !(d->state & SIM_BOOTED) ||
	    (d->state & SIM_SHUTDOWN) ||
	    (strcmp(kind, "vbd") != 0 && strcmp(kind, "vif") != 0))
		return;
	snprintf(be, sizeof(be), "/local/domain/0/backend/%s/%u/%u", kind,
	    domid, devid);
	snprintf(fe, sizeof(fe), "device/%s/%u", kind, devid);
	v = xvm_asprintf("%s/state", be);
	if (xs_read(s->gconn, 0, v, &bs, &len) != 0)
		bs = NULL;
	free(v);
	v = xvm_asprintf("%s/online", be);
	if (xs_read(s->gconn, 0, v, &on, &len) != 0)
		on = NULL;
	free(v);
	if (bs && on && strcmp(on, "1") == 0 && (strcmp(bs, "1") == 0 ||
	    strcmp(bs, "2") == 0 || strcmp(bs, "3") == 0))
		to = "4";		/* connected */
	else if (bs && strcmp(bs, "5") == 0)
		to = "6";		/* closed */
	if (to) {
		char *frel = xvm_asprintf("%s/state", fe);

		guest_write(s, domid, frel, to);
		v = xvm_asprintf("%s/state", be);
		(void)xs_write(s->gconn, 0, v, to, 1);
		free(v);
		free(frel);
	}
	free(bs);
	free(on);
}

/* At its boot: the devices it was given connect. */
static void
devices_connect(struct sim *s, uint32_t domid)
{
	static const char *const kinds[] = { "vbd", "vif" };
	size_t i;

	for (i = 0; i < 2; i++) {
		char *p = xvm_asprintf("/local/domain/0/backend/%s/%u",
		    kinds[i], domid);
		struct xvm_strv ids = XVM_STRV_INIT;
		size_t k;

		if (xs_directory(s->gconn, 0, p, &ids, NULL) == 0)
			for (k = 0; k < ids.n; k++)
				device_changed(s, kinds[i], domid,
				    (unsigned)strtoul(ids.v[k], NULL, 10));
		xvm_strv_release(&ids);
		free(p);
	}
}

/*
 * Does the domain take requests from control/?  A guest kernel that
 * booted does; so does the domain of libvirt's test-driver host (the one
 * without a Domain-0), which has no kernel but, as in libvirt's test
 * driver, shuts down and reboots when asked.
 */
static bool
answers(struct sim *s, const struct sim_dom *d)
{
	return (d->state & SIM_BOOTED) || sim_dom_find(&s->host, 0) == NULL;
}

static void
asked(struct sim *s, const char *path)
{
	unsigned domid, cpu;
	char rest[64], *val;
	struct sim_dom *d;
	int n = 0;
	{
		char kind[16], key[32];
		unsigned fdom, devid;

		if (sscanf(path, "/local/domain/0/backend/%15[^/]/%u/%u/%31s%n",
		    kind, &fdom, &devid, key, &n) == 4 && path[n] == '\0' &&
		    (strcmp(key, "state") == 0 || strcmp(key, "online") == 0)) {
			device_changed(s, kind, fdom, devid);
			return;
		}
		n = 0;
	}

	if (sscanf(path, "/local/domain/%u/%63s%n", &domid, rest, &n) != 2 ||
	    path[n] != '\0' || domid == 0)
		return;
	if (sim_dom_find(&s->host, domid) == NULL)
		return;
	if (strcmp(rest, "control/shutdown") == 0) {
		const char *const names[] = { "poweroff", "halt", "reboot",
		    "suspend" };
		const uint32_t codes[] = { SHUTDOWN_poweroff,
		    SHUTDOWN_poweroff, SHUTDOWN_reboot, SHUTDOWN_suspend };
		size_t i;

		val = store_read(s, domid, "control/shutdown");
		for (i = 0; val && i < 4; i++)
			if (strcmp(val, names[i]) == 0)
				break;
		if (val && i < 4) {
			d = sim_dom_mut(&s->host, domid);
			/* the test driver's domain: at once */
			if (answers(s, d) && !(d->state & SIM_SHUTDOWN))
				schedule(s, d, SIM_G_SHUTDOWN, codes[i],
				    !(d->state & SIM_BOOTED) ? 0 :
				    codes[i] == SHUTDOWN_suspend ?
				    SUSPEND_DELAY : SHUTDOWN_DELAY);
		}
		free(val);
	} else if (strcmp(rest, "control/sysrq") == 0) {
		const struct sim_dom *g = sim_dom_find(&s->host, domid);

		val = store_read(s, domid, "control/sysrq");
		/* its own clearing write comes back here: nothing to do */
		if (val && val[0] != '\0' && answers(s, g) &&
		    !(g->state & SIM_SHUTDOWN))
			schedule(s, sim_dom_mut(&s->host, domid), SIM_G_SYSRQ,
			    0, SYSRQ_DELAY);
		free(val);
	} else if (strcmp(rest, "memory/target") == 0) {
		d = sim_dom_mut(&s->host, domid);
		if (d->state & SIM_BOOTED)
			schedule(s, d, SIM_G_BALLOON, 0, BALLOON_DELAY);
	} else if (sscanf(rest, "cpu/%u/availability%n", &cpu, &n) == 1 &&
	    rest[n] == '\0') {
		d = sim_dom_mut(&s->host, domid);
		/* the test driver's domain: at once */
		if (answers(s, d))
			schedule(s, d, SIM_G_VCPUS, 0,
			    (d->state & SIM_BOOTED) ? VCPU_DELAY : 0);
	}
}

void
sim_guest_watch(struct sim *s)
{
	char *path = NULL, *token = NULL;

	if (s->gconn == NULL)
		return;
	while (xs_conn_event_pop(s->gconn, &path, &token) == 0) {
		if (strcmp(token, "guests") == 0)
			asked(s, path);
		free(path);
		free(token);
	}
}

void
sim_guest_rebind(struct sim *s)
{
	char *path, *token;

	xs_conn_free(s->gconn);
	s->gconn = NULL;
	if (s->xs == NULL)
		return;
	s->gconn = xs_conn_new(s->xs, 0);
	(void)xs_watch(s->gconn, "/local/domain", "guests");
	/* the event a new watch fires at once */
	while (xs_conn_event_pop(s->gconn, &path, &token) == 0) {
		free(path);
		free(token);
	}
}

/* ---- doing it ----------------------------------------------------------- */

/*
 * The first pfn the balloon may take: after the boot-time structures
 * (page tables and stack), the p2m list and a ramdisk given by pfn.
 */
static uint64_t
balloon_floor(struct sim *s, struct sim_dom *d, const struct gp2m *p)
{
	vcpu_guest_context_t ctx;
	start_info_t si;
	uint64_t floor = 0, va;
	int64_t ma, pfn;

	if (ctx_io(s, d, &ctx, false) < 0)
		return p->n;
	va = ctx.user_regs.r12 ? ctx.user_regs.r12 : ctx.user_regs.rsi;
	ma = translate(s, d->domid, ctx.ctrlreg[3], va);
	if (ma < 0 || sim_mem_read(s, (uint64_t)ma, &si, sizeof(si), NULL) < 0)
		return p->n;
	ma = translate(s, d->domid, ctx.ctrlreg[3], si.pt_base);
	if (ma < 0 || (pfn = sim_mem_mfn_to_pfn(d, (uint64_t)ma >> 12)) < 0)
		return p->n;
	floor = (uint64_t)pfn + si.nr_pt_frames + 1;	/* + the stack */
	ma = translate(s, d->domid, p->cr3, p->va + (p->n - 1) * 8);
	if (ma < 0 || (pfn = sim_mem_mfn_to_pfn(d, (uint64_t)ma >> 12)) < 0)
		return p->n;
	if ((uint64_t)pfn + 1 > floor)
		floor = (uint64_t)pfn + 1;
	if ((si.flags & SIF_MOD_START_PFN) &&
	    si.mod_start + (si.mod_len + 4095) / 4096 > floor)
		floor = si.mod_start + (si.mod_len + 4095) / 4096;
	return floor;
}

/*
 * The balloon driver: toward memory/target, within max and the host, as
 * Linux's does: pages given back leave its p2m (INVALID), pages taken fill
 * its holes; its p2m list bounds it (it covers the memory it booted with).
 * The list is read and written a page (512 entries) at a time.
 */
static void
balloon(struct sim *s, struct sim_dom *d)
{
	char *val = store_read(s, d->domid, "memory/target");
	uint64_t want, floor, e[512], mfn, pg, npg, i;
	struct gp2m p;
	char *end;

	if (val == NULL)
		return;
	want = strtoull(val, &end, 10) / 4;
	if (*end != '\0' || end == val) {
		free(val);
		return;
	}
	free(val);
	if (want > d->max_pages)
		want = d->max_pages;
	if (!sim_dom_pv(d)) {
		sim_hvm_balloon(s, d, want);
		return;
	}
	if (!p2m_of(s, d, &p))
		return;			/* no list to keep true */
	floor = balloon_floor(s, d, &p);
	npg = (p.n + 511) / 512;
	for (pg = npg; d->tot_pages > want && pg-- > floor / 512;) {
		int64_t ma = translate(s, d->domid, p.cr3, p.va + pg * 4096);
		bool changed = false;

		if (ma < 0 || sim_mem_read(s, (uint64_t)ma, e, sizeof(e),
		    NULL) < 0)
			return;
		for (i = 512; d->tot_pages > want && i-- > 0;) {
			uint64_t pfn = pg * 512 + i;

			if (pfn >= p.n || pfn < floor || e[i] == P2M_INVALID)
				continue;
			if (sim_mem_free(&s->host, d, e[i], 1) < 0)
				continue;
			sim_mem_zero(s, e[i], 1);
			e[i] = P2M_INVALID;
			changed = true;
		}
		if (changed)
			(void)gwrite(s, d, (uint64_t)ma, e, sizeof(e));
	}
	for (pg = floor / 512; d->tot_pages < want && pg < npg; pg++) {
		int64_t ma = translate(s, d->domid, p.cr3, p.va + pg * 4096);
		bool changed = false, full = false;

		if (ma < 0 || sim_mem_read(s, (uint64_t)ma, e, sizeof(e),
		    NULL) < 0)
			return;
		for (i = 0; d->tot_pages < want && i < 512 && !full; i++) {
			uint64_t pfn = pg * 512 + i;

			if (pfn >= p.n || pfn < floor || e[i] != P2M_INVALID)
				continue;
			if (sim_mem_alloc(&s->host, d, SIM_MEM_RAM, pfn, 1, 1,
			    &mfn) < 0) {
				full = true;	/* the host has no more */
				break;
			}
			sim_mem_zero(s, mfn, 1);
			e[i] = mfn;
			changed = true;
		}
		if (changed)
			(void)gwrite(s, d, (uint64_t)ma, e, sizeof(e));
		if (full)
			break;
	}
}

/* A line on the guest's console, if it has one. */
static void
console_line(struct sim *s, struct sim_dom *d, const char *line)
{
	uint64_t con = 0;
	char *v = store_read(s, d->domid, "console/ring-ref");

	if (v)
		con = strtoull(v, NULL, 10);
	free(v);
	if (!sim_dom_pv(d))
		con = sim_hvm_console_mfn(s, d);	/* ring-ref: a gfn */
	if (con && owns(s, d->domid, con))
		console_put(s, d, con, line);
}

/* ---- what the simulated firmware (sim_hvm.c) does through the guest ---- */

void
sim_guest_line(struct sim *s, struct sim_dom *d, const char *line)
{
	console_line(s, d, line);
}

/* What the installer says when it is done: n files on disk, or why not. */
void
sim_guest_installed(struct sim *s, struct sim_dom *d, int n, const char *why,
    const char *disk)
{
	char line[600];

	if (n < 0)
		snprintf(line, sizeof(line), "xvm simulated installer: "
		    "failed: %s\r\n", why);
	else
		snprintf(line, sizeof(line), "xvm simulated installer: %d "
		    "files installed on %s\r\n", n, disk);
	console_line(s, d, line);
}

/*
 * Its drivers answer control/: the features it has; a SysRq key sent
 * before it ran (a watch fires once, when it is set) is taken now.
 */
static void
drivers_up(struct sim *s, struct sim_dom *d, bool suspend)
{
	char *key;

	guest_write(s, d->domid, "control/feature-poweroff", "1");
	guest_write(s, d->domid, "control/feature-reboot", "1");
	if (suspend)
		guest_write(s, d->domid, "control/feature-suspend", "1");
	key = store_read(s, d->domid, "control/sysrq");
	if (key != NULL && key[0] != '\0')
		schedule(s, d, SIM_G_SYSRQ, 0, SYSRQ_DELAY);
	free(key);
}

void
sim_guest_crash(struct sim *s, struct sim_dom *d, const char *why)
{
	shut_down(s, d, SHUTDOWN_crash, why);
}

void
sim_guest_installing(struct sim *s, struct sim_dom *d, double secs)
{
	schedule(s, d, SIM_G_INSTALLED, 0, (int64_t)(secs * 1e9));
}

/* A system the firmware booted, up with its PV drivers. */
void
sim_guest_up(struct sim *s, struct sim_dom *d, const char *banner)
{
	d->state |= SIM_BOOTED;
	vcpus(s, d);
	devices_connect(s, d->domid);
	sim_hvm_pv_drivers(s, d);
	console_line(s, d, banner);
	drivers_up(s, d, false);
}

/*
 * Linux's magic SysRq keys, as its Xen handler takes them from
 * control/sysrq: the key is cleared, the action's name logged, and the
 * actions that end the kernel end the domain.
 */
static void
sysrq(struct sim *s, struct sim_dom *d)
{
	static const struct {
		char key;
		const char *name;
		uint32_t shutdown;	/* SHUTDOWN_* + 1, or 0 */
	} keys[] = {
		{ 'b', "Resetting", SHUTDOWN_reboot + 1 },
		{ 'c', "Trigger a crash", SHUTDOWN_crash + 1 },
		{ 'e', "Terminate All Tasks", 0 },
		{ 'f', "Manual OOM execution", 0 },
		{ 'i', "Kill All Tasks", 0 },
		{ 'j', "Emergency Thaw of all frozen filesystems", 0 },
		{ 'k', "SAK", 0 },
		{ 'l', "Show backtrace of all active CPUs", 0 },
		{ 'm', "Show Memory", 0 },
		{ 'n', "Nice All RT Tasks", 0 },
		{ 'o', "Power Off", SHUTDOWN_poweroff + 1 },
		{ 'p', "Show Regs", 0 },
		{ 'q', "Show clockevent devices & pending hrtimers (no "
		    "others)", 0 },
		{ 's', "Emergency Sync", 0 },
		{ 't', "Show State", 0 },
		{ 'u', "Emergency Remount R/O", 0 },
		{ 'w', "Show Blocked State", 0 },
	};
	char *val = store_read(s, d->domid, "control/sysrq");
	char line[320];
	size_t i;

	if (val == NULL || val[0] == '\0') {
		free(val);
		return;
	}
	guest_write(s, d->domid, "control/sysrq", "");
	if (val[0] >= '0' && val[0] <= '9') {
		snprintf(line, sizeof(line), "sysrq: Changing Loglevel\r\n"
		    "sysrq: Loglevel set to %c\r\n", val[0]);
		console_line(s, d, line);
		free(val);
		return;
	}
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (keys[i].key == val[0])
			break;
	free(val);
	if (i == sizeof(keys) / sizeof(keys[0])) {
		console_line(s, d, "sysrq: HELP : loglevel(0-9) reboot(b) "
		    "crash(c) terminate-all-tasks(e) memory-full-oom-kill(f) "
		    "kill-all-tasks(i) thaw-filesystems(j) sak(k) "
		    "show-backtrace-all-active-cpus(l) show-memory-usage(m) "
		    "nice-all-RT-tasks(n) poweroff(o) show-registers(p) "
		    "show-all-timers(q) sync(s) show-task-states(t) "
		    "unmount(u) show-blocked-tasks(w)\r\n");
		return;
	}
	snprintf(line, sizeof(line), "sysrq: %s\r\n", keys[i].name);
	console_line(s, d, line);
	if (keys[i].shutdown == SHUTDOWN_crash + 1) {
		console_line(s, d, "Kernel panic - not syncing: sysrq "
		    "triggered crash\r\n");
		shut_down(s, d, SHUTDOWN_crash, NULL);
	} else if (keys[i].shutdown)
		shut_down(s, d, keys[i].shutdown - 1, NULL);
}

static void
vcpus(struct sim *s, struct sim_dom *d)
{
	uint32_t i, online = 0, known = 0;
	char rel[48], *val;

	for (i = 0; i < d->max_vcpus && i < 8192; i++) {
		snprintf(rel, sizeof(rel), "cpu/%u/availability", i);
		val = store_read(s, d->domid, rel);
		known += val != NULL;
		online += val != NULL && strcmp(val, "online") == 0;
		free(val);
	}
	if (known == 0)
		online = d->max_vcpus;	/* no toolstack said: all */
	if (online == 0)
		online = 1;		/* the boot vcpu stays */
	sim_dom_changing(&s->host, d);
	d->online_vcpus = online;
}

void
sim_guest_tick(struct sim *s)
{
	struct sim_host *h = &s->host;
	const char *what;
	char line[96];
	size_t k;
	uint32_t i;

	if (h->next_due == 0 || h->clock_ns < h->next_due)
		return;
	for (k = 0; k < h->ndoms; k++) {
		struct sim_dom *d = &h->doms[k];
		bool due = false;

		for (i = 0; i < d->npend; i++)
			due |= d->pend[i].due_ns <= h->clock_ns;
		/* a paused guest runs nothing: its answers wait */
		if (!due || d->pause_count > 0)
			continue;
		d = sim_dom_mut(h, d->domid);
		for (i = 0; i < d->npend;) {
			struct sim_pend p = d->pend[i];

			if (p.due_ns > h->clock_ns) {
				i++;
				continue;
			}
			d->pend[i] = d->pend[--d->npend];
			if (d->state & SIM_SHUTDOWN)
				continue;
			switch (p.kind) {
			case SIM_G_SHUTDOWN:
				what = p.arg == SHUTDOWN_reboot ? "reboot" :
				    p.arg == SHUTDOWN_suspend ? "suspend" :
				    "poweroff";
				guest_write(s, d->domid, "control/shutdown", "");
				snprintf(line, sizeof(line), "xvm simulated %s "
				    "guest: %s\r\n", sim_dom_pv(d) ? "PV" :
				    "HVM", what);
				console_line(s, d, line);
				if (p.arg == SHUTDOWN_suspend &&
				    !pre_suspend(s, d)) {
					shut_down(s, d, SHUTDOWN_crash,
					    "simulated guest crashed: it could "
					    "not prepare its suspend");
					break;
				}
				shut_down(s, d, p.arg, NULL);
				break;
			case SIM_G_SYSRQ:
				sysrq(s, d);
				break;
			case SIM_G_BALLOON:
				balloon(s, d);
				break;
			case SIM_G_VCPUS:
				vcpus(s, d);
				break;
			case SIM_G_DIRTY:
				guest_writes(s, d);
				schedule(s, d, SIM_G_DIRTY, 0, DIRTY_PERIOD);
				break;
			case SIM_G_INSTALLED:
				if (sim_dom_pv(d))
					install_system(s, d);
				else
					sim_hvm_install(s, d);
				console_line(s, d, "xvm simulated installer: "
				    "installation complete, powering off\r\n");
				shut_down(s, d, SHUTDOWN_poweroff, NULL);
				break;
			}
		}
	}
	sim_guest_rescan(h);
}

void
sim_guest_rescan(struct sim_host *h)
{
	size_t k;
	uint32_t i;

	h->next_due = 0;
	for (k = 0; k < h->ndoms; k++)
		for (i = 0; i < h->doms[k].npend; i++)
			if (h->next_due == 0 ||
			    h->doms[k].pend[i].due_ns < h->next_due)
				h->next_due = h->doms[k].pend[i].due_ns;
}

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
 * - control/shutdown: "poweroff", "halt", "reboot" or "suspend" is
 *   acknowledged (the key written back empty) and, after SHUTDOWN_DELAY,
 *   the domain shuts down with that reason (halt: poweroff).
 * - memory/target (KiB): after BALLOON_DELAY the balloon gives pages back
 *   (decrease_reservation) or takes more (up to max_pages and what the
 *   host has free), as the balloon driver does.
 * - cpu/N/availability: after VCPU_DELAY the vcpus marked "online" are
 *   up (vcpus 0 .. k-1: the simulated guest onlines them in order).
 * The delays are wall-clock time: the work is done by the first
 * operation on the host after it is due.
 */
#define __XEN_TOOLS__ 1

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xen/xen.h>
#include <xen/sched.h>
#include <xen/io/console.h>

#include "xen/io/sim_int.h"
#include "xen/xs_store.h"

#define MS		1000000ll
#define SHUTDOWN_DELAY	(100 * MS)
#define BALLOON_DELAY	(50 * MS)
#define VCPU_DELAY	(20 * MS)
#define PTE_P		0x1ull
#define PTE_ADDR	0x000ffffffffff000ull

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
console_put(struct sim *s, uint64_t mfn, const char *text)
{
	struct xencons_interface r;
	uint64_t base = mfn * XVM_PAGE_SIZE;
	size_t i, n = strlen(text);

	if (sim_mem_read(s, base, &r, sizeof(r), NULL) < 0)
		return;
	for (i = 0; i < n && r.out_prod - r.out_cons < sizeof(r.out); i++)
		r.out[r.out_prod++ % sizeof(r.out)] = text[i];
	(void)sim_mem_write(s, base, &r, sizeof(r), NULL);
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

/* ---- stopping --------------------------------------------------------- */

static void
shut_down(struct sim *s, struct sim_dom *d, uint32_t code, const char *why)
{
	char line[160];

	sim_dom_settle(&s->host, d);
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

	if (!sim_dom_pv(d) || mfn == 0 || sim_mem_read(s, mfn * XVM_PAGE_SIZE,
	    &ctx, sizeof(ctx), NULL) < 0)
		return;			/* no kernel: it idles */
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
	console_put(s, con, line);
	guest_write(s, d->domid, "control/feature-poweroff", "1");
	guest_write(s, d->domid, "control/feature-reboot", "1");
	guest_write(s, d->domid, "control/feature-suspend", "1");
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

static void
asked(struct sim *s, const char *path)
{
	unsigned domid, cpu;
	char rest[64], *val;
	struct sim_dom *d;
	int n = 0;

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
			if ((d->state & SIM_BOOTED) &&
			    !(d->state & SIM_SHUTDOWN))
				schedule(s, d, SIM_G_SHUTDOWN, codes[i],
				    SHUTDOWN_DELAY);
		}
		free(val);
	} else if (strcmp(rest, "memory/target") == 0) {
		d = sim_dom_mut(&s->host, domid);
		if (d->state & SIM_BOOTED)
			schedule(s, d, SIM_G_BALLOON, 0, BALLOON_DELAY);
	} else if (sscanf(rest, "cpu/%u/availability%n", &cpu, &n) == 1 &&
	    rest[n] == '\0') {
		d = sim_dom_mut(&s->host, domid);
		if (d->state & SIM_BOOTED)
			schedule(s, d, SIM_G_VCPUS, 0, VCPU_DELAY);
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

/* The balloon driver: toward memory/target, within max and the host. */
static void
balloon(struct sim *s, struct sim_dom *d)
{
	char *val = store_read(s, d->domid, "memory/target");
	uint64_t want, mfn, pfn = 0;
	struct sim_run *r;
	uint32_t i;
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
	while (d->tot_pages > want) {
		/* give back the highest frames first */
		r = NULL;
		for (i = 0; i < d->nruns; i++)
			if (d->runs[i].kind == SIM_MEM_RAM)
				r = &d->runs[i];
		if (r == NULL)
			break;
		mfn = r->mfn + r->count - 1;
		if (sim_mem_free(&s->host, d, mfn, 1) < 0)
			break;
		sim_mem_zero(s, mfn, 1);
	}
	for (i = 0; i < d->nruns; i++)
		if (d->runs[i].kind == SIM_MEM_RAM &&
		    d->runs[i].pfn + d->runs[i].count > pfn)
			pfn = d->runs[i].pfn + d->runs[i].count;
	while (d->tot_pages < want) {
		if (sim_mem_alloc(&s->host, d, SIM_MEM_RAM, pfn++, 1, 1,
		    &mfn) < 0)
			break;		/* the host has no more */
		sim_mem_zero(s, mfn, 1);
	}
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
	sim_dom_settle(&s->host, d);
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
		if (!due)
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
				snprintf(line, sizeof(line), "xvm simulated PV "
				    "guest: %s\r\n", what);
				{
					uint64_t con = 0;
					char *v = store_read(s, d->domid,
					    "console/ring-ref");

					if (v)
						con = strtoull(v, NULL, 10);
					free(v);
					if (con && owns(s, d->domid, con))
						console_put(s, con, line);
				}
				shut_down(s, d, p.arg, NULL);
				break;
			case SIM_G_BALLOON:
				balloon(s, d);
				break;
			case SIM_G_VCPUS:
				vcpus(s, d);
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

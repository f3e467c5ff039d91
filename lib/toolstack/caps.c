/*
 * caps.c - the host's capabilities as libvirt writes them (virsh
 * capabilities), and its NUMA cells' memory (virsh freecell).
 *
 * On a Xen host (real or simulated) everything comes from the
 * hypervisor: the CPU's long-mode and PAE bits from physinfo's hw_cap,
 * its topology from physinfo, the cells from numainfo and cputopoinfo,
 * and the guest types from the capabilities string Xen reports
 * ("xen-3.0-x86_64 hvm-3.0-x86_32 ..."), read as libvirt's libxl driver
 * reads it: one guest per (type, arch), "p" adding PAE, a PVH guest after
 * each new HVM arch.  What libvirt adds from elsewhere is not reported:
 * the CPU model and features it decodes with its own CPU map.
 *
 * test:///default describes libvirt's test-driver node instead: its two
 * cells of 8 CPUs, its page sizes and security model, and i686 guests of
 * domain type 'test'.
 */
#define __XEN_TOOLS__ 1

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xen/xen.h>
#include <xen/sysctl.h>

#include "toolstack/ts_int.h"
#include "xen/xc.h"
#include "xvm/xenconfig.h"

/* ---- the model ----------------------------------------------------------- */

enum {
	GF_PAE = 1 << 0, GF_NONPAE = 1 << 1, GF_IA64_BE = 1 << 2,
	GF_ACPI = 1 << 3, GF_APIC = 1 << 4, GF_HAP = 1 << 5,
};

struct cap_cpu {
	unsigned id, socket, core;
	char *siblings;			/* "0-1,4" */
};

struct cap_cell {
	unsigned id;
	unsigned long long mem_kib, free_kib;
	unsigned npages;		/* (size KiB, count) pairs */
	unsigned long long pages[3][2];
	unsigned ndist;
	unsigned *dist;			/* to cell 0 .. ndist-1 */
	unsigned ncpus;
	struct cap_cpu *cpus;
};

struct cap_guest {
	const char *ostype, *arch, *emulator, *loader, *machine, *domtype;
	unsigned wordsize, features;
};

struct caps {
	const char *arch;
	bool pae, nonpae;		/* host features */
	unsigned sockets, cores, threads;	/* 0: not known */
	unsigned npagesize, pagesize[4];
	bool iommu, migrate, live;
	const char *netprefix;
	const char *secmodel, *secdoi;
	unsigned ncells;
	struct cap_cell *cells;
	unsigned nguests;
	struct cap_guest guests[32];
};

static void
caps_release(struct caps *c)
{
	unsigned i, j;

	for (i = 0; i < c->ncells; i++) {
		for (j = 0; j < c->cells[i].ncpus; j++)
			free(c->cells[i].cpus[j].siblings);
		free(c->cells[i].cpus);
		free(c->cells[i].dist);
	}
	free(c->cells);
	memset(c, 0, sizeof(*c));
}

/* A set of CPU ids as libvirt writes a bitmap: "0-3,8,10-11". */
static char *
cpuset_str(const bool *set, unsigned n)
{
	struct xvm_buf b = XVM_BUF_INIT;
	unsigned i = 0, j;

	while (i < n) {
		if (!set[i]) {
			i++;
			continue;
		}
		for (j = i; j + 1 < n && set[j + 1]; j++)
			;
		if (b.len)
			xvm_buf_putc(&b, ',');
		if (j > i)
			xvm_buf_printf(&b, "%u-%u", i, j);
		else
			xvm_buf_printf(&b, "%u", i);
		i = j + 1;
	}
	return xvm_buf_steal(&b);
}

/* ---- the XML ------------------------------------------------------------- */

static void
format_cell(struct xvm_buf *b, const struct cap_cell *cell)
{
	unsigned i;

	xvm_buf_printf(b, "        <cell id='%u'>\n", cell->id);
	if (cell->mem_kib)
		xvm_buf_printf(b, "          <memory unit='KiB'>%llu</memory>\n",
		    cell->mem_kib);
	for (i = 0; i < cell->npages; i++)
		xvm_buf_printf(b, "          <pages unit='KiB' size='%llu'>%llu"
		    "</pages>\n", cell->pages[i][0], cell->pages[i][1]);
	if (cell->ndist) {
		xvm_buf_puts(b, "          <distances>\n");
		for (i = 0; i < cell->ndist; i++)
			if (cell->dist[i] != XVM_TOPO_INVALID)
				xvm_buf_printf(b, "            <sibling id='%u' "
				    "value='%u'/>\n", i, cell->dist[i]);
		xvm_buf_puts(b, "          </distances>\n");
	}
	if (cell->ncpus == 0) {
		xvm_buf_puts(b, "          <cpus num='0'/>\n");
	} else {
		xvm_buf_printf(b, "          <cpus num='%u'>\n", cell->ncpus);
		for (i = 0; i < cell->ncpus; i++)
			xvm_buf_printf(b, "            <cpu id='%u' socket_id='%u'"
			    " die_id='0' core_id='%u' siblings='%s'/>\n",
			    cell->cpus[i].id, cell->cpus[i].socket,
			    cell->cpus[i].core, cell->cpus[i].siblings);
		xvm_buf_puts(b, "          </cpus>\n");
	}
	xvm_buf_puts(b, "        </cell>\n");
}

static void
format_guest(struct xvm_buf *b, const struct cap_guest *g)
{
	static const struct {
		unsigned bit;
		const char *text;
	} feats[] = {
		{ GF_PAE, "<pae/>" },
		{ GF_NONPAE, "<nonpae/>" },
		{ GF_IA64_BE, "<ia64_be/>" },
		{ GF_ACPI, "<acpi default='on' toggle='yes'/>" },
		{ GF_APIC, "<apic default='on' toggle='no'/>" },
		{ GF_HAP, "<hap default='on' toggle='yes'/>" },
	};
	size_t i;

	xvm_buf_printf(b, "  <guest>\n    <os_type>%s</os_type>\n"
	    "    <arch name='%s'>\n      <wordsize>%u</wordsize>\n",
	    g->ostype, g->arch, g->wordsize);
	if (g->emulator)
		xvm_buf_printf(b, "      <emulator>%s</emulator>\n",
		    g->emulator);
	if (g->loader)
		xvm_buf_printf(b, "      <loader>%s</loader>\n", g->loader);
	if (g->machine)
		xvm_buf_printf(b, "      <machine>%s</machine>\n", g->machine);
	xvm_buf_printf(b, "      <domain type='%s'/>\n    </arch>\n",
	    g->domtype);
	if (g->features) {
		xvm_buf_puts(b, "    <features>\n");
		for (i = 0; i < XVM_ARRAY_SIZE(feats); i++)
			if (g->features & feats[i].bit)
				xvm_buf_printf(b, "      %s\n", feats[i].text);
		xvm_buf_puts(b, "    </features>\n");
	}
	xvm_buf_puts(b, "  </guest>\n\n");
}

static char *
caps_format(const struct caps *c)
{
	struct xvm_buf b = XVM_BUF_INIT;
	unsigned i;

	xvm_buf_puts(&b, "<capabilities>\n\n  <host>\n    <cpu>\n");
	xvm_buf_printf(&b, "      <arch>%s</arch>\n", c->arch);
	if (c->pae || c->nonpae)
		xvm_buf_printf(&b, "      <features>\n%s%s      </features>\n",
		    c->pae ? "        <pae/>\n" : "",
		    c->nonpae ? "        <nonpae/>\n" : "");
	if (c->sockets && c->cores && c->threads)
		xvm_buf_printf(&b, "      <topology sockets='%u' dies='1' "
		    "cores='%u' threads='%u'/>\n", c->sockets, c->cores,
		    c->threads);
	for (i = 0; i < c->npagesize; i++)
		xvm_buf_printf(&b, "      <pages unit='KiB' size='%u'/>\n",
		    c->pagesize[i]);
	xvm_buf_puts(&b, "    </cpu>\n    <power_management/>\n");
	xvm_buf_printf(&b, "    <iommu support='%s'/>\n",
	    c->iommu ? "yes" : "no");
	if (c->migrate)
		xvm_buf_printf(&b, "    <migration_features>\n%s"
		    "    </migration_features>\n", c->live ?
		    "      <live/>\n" : "");
	if (c->netprefix)
		xvm_buf_printf(&b, "    <netprefix>%s</netprefix>\n",
		    c->netprefix);
	if (c->ncells) {
		xvm_buf_printf(&b, "    <topology>\n      <cells num='%u'>\n",
		    c->ncells);
		for (i = 0; i < c->ncells; i++)
			format_cell(&b, &c->cells[i]);
		xvm_buf_puts(&b, "      </cells>\n    </topology>\n");
	}
	if (c->secmodel)
		xvm_buf_printf(&b, "    <secmodel>\n      <model>%s</model>\n"
		    "      <doi>%s</doi>\n    </secmodel>\n", c->secmodel,
		    c->secdoi);
	xvm_buf_puts(&b, "  </host>\n\n");
	for (i = 0; i < c->nguests; i++)
		format_guest(&b, &c->guests[i]);
	xvm_buf_puts(&b, "</capabilities>\n");
	return xvm_buf_steal(&b);
}

/* ---- libvirt's test driver ------------------------------------------------ */

/*
 * Its node: two cells of 8 CPUs (socket = cell, core = CPU within it, no
 * threads), 2 and 4 GiB, of which 2 and 4 MiB are free, the first in
 * 4 KiB pages, the second in 8 KiB ones.
 */
static const struct {
	unsigned long long mem_kib, free_kib;
	unsigned page_kib;
} test_cells[] = {
	{ 2097152, 2048, 4 },
	{ 4194304, 4096, 8 },
};
enum { TEST_CELL_CPUS = 8 };

static void
test_caps(struct caps *c)
{
	static const unsigned sizes[] = { 4, 8, 2048, 1048576 };
	unsigned i, j, id;
	bool *one;
	size_t k;

	c->arch = "i686";
	c->pae = c->nonpae = true;
	c->npagesize = XVM_ARRAY_SIZE(sizes);
	memcpy(c->pagesize, sizes, sizeof(sizes));
	c->secmodel = "testSecurity";
	c->secdoi = "";
	c->ncells = XVM_ARRAY_SIZE(test_cells);
	c->cells = xvm_calloc(c->ncells, sizeof(*c->cells));
	one = xvm_calloc(c->ncells * TEST_CELL_CPUS, sizeof(*one));
	for (i = 0; i < c->ncells; i++) {
		struct cap_cell *cell = &c->cells[i];

		cell->id = i;
		cell->mem_kib = test_cells[i].mem_kib;
		cell->npages = 3;
		cell->pages[0][0] = test_cells[i].page_kib;
		cell->pages[0][1] = test_cells[i].mem_kib /
		    test_cells[i].page_kib;
		cell->pages[1][0] = sizes[2];
		cell->pages[2][0] = sizes[3];
		cell->ncpus = TEST_CELL_CPUS;
		cell->cpus = xvm_calloc(TEST_CELL_CPUS, sizeof(*cell->cpus));
		for (j = 0; j < TEST_CELL_CPUS; j++) {
			id = i * TEST_CELL_CPUS + j;
			cell->cpus[j].id = id;
			cell->cpus[j].socket = i;
			cell->cpus[j].core = j;
			one[id] = true;
			cell->cpus[j].siblings = cpuset_str(one,
			    c->ncells * TEST_CELL_CPUS);
			one[id] = false;
		}
	}
	free(one);
	for (k = 0; k < 2; k++) {
		struct cap_guest *g = &c->guests[c->nguests++];

		g->ostype = k == 0 ? "hvm" : "xen";
		g->arch = "i686";
		g->wordsize = 32;
		g->emulator = "/usr/bin/test-hv";
		g->domtype = "test";
		g->features = GF_PAE | GF_NONPAE;
	}
}

/* ---- a Xen host ----------------------------------------------------------- */

#define X86_PAE		(1u << 6)	/* word 0: CPUID 1 EDX */
#define X86_LM		(1u << 29)	/* word 2: CPUID 0x80000001 EDX */

/* "TYPE-VER-ARCH[SUFFIX]" as libvirt reads it; false if not a guest type */
static bool
parse_xen_cap(const char *tok, bool *hvm, const char **arch, unsigned *bits,
    unsigned *feat)
{
	const char *p;
	size_t n;

	if (strncmp(tok, "xen-", 4) == 0)
		*hvm = false;
	else if (strncmp(tok, "hvm-", 4) == 0)
		*hvm = true;
	else
		return false;
	/* the version: digits '.' digits */
	p = tok + 4;
	if (!(n = strspn(p, "0123456789")) || p[n] != '.')
		return false;
	p += n + 1;
	if (!(n = strspn(p, "0123456789")) || p[n] != '-')
		return false;
	p += n + 1;
	*feat = 0;
	if (strncmp(p, "x86_32", 6) == 0) {
		*arch = "i686";
		*bits = 32;
		*feat = p[6] == 'p' ? GF_PAE : GF_NONPAE;
	} else if (strncmp(p, "x86_64", 6) == 0) {
		*arch = "x86_64";
		*bits = 64;
	} else if (strncmp(p, "ia64", 4) == 0) {
		*arch = "ia64";
		*bits = 64;
		if (strncmp(p + 4, "be", 2) == 0)
			*feat = GF_IA64_BE;
	} else if (strncmp(p, "powerpc64", 9) == 0) {
		*arch = "ppc64";
		*bits = 64;
	} else if (strncmp(p, "armv7l", 6) == 0) {
		*arch = "armv7l";
		*bits = 32;
	} else if (strncmp(p, "aarch64", 7) == 0) {
		*arch = "aarch64";
		*bits = 64;
	} else {
		return false;
	}
	return true;
}

static void
xen_guests(struct caps *c, const char *xen_caps,
    const struct xvm_xen_caps *paths)
{
	char *s = xvm_strdup(xen_caps), *save = NULL, *tok;
	const char *arch;
	unsigned bits, feat, i;
	bool hvm;

	for (tok = strtok_r(s, " ", &save); tok && c->nguests <
	    XVM_ARRAY_SIZE(c->guests); tok = strtok_r(NULL, " ", &save)) {
		struct cap_guest *g;

		if (!parse_xen_cap(tok, &hvm, &arch, &bits, &feat))
			continue;
		for (i = 0; i < c->nguests; i++)
			if (strcmp(c->guests[i].arch, arch) == 0 &&
			    strcmp(c->guests[i].ostype, hvm ? "hvm" : "xen") ==
			    0)
				break;
		g = &c->guests[i];
		g->features |= feat;
		if (i < c->nguests)
			continue;
		c->nguests++;
		g->ostype = hvm ? "hvm" : "xen";
		g->arch = arch;
		g->wordsize = bits;
		g->emulator = paths->emulator;
		g->loader = hvm ? paths->hvm_loader : NULL;
		g->machine = hvm ? "xenfv" : "xenpv";
		g->domtype = "xen";
		if (hvm)
			g->features |= GF_ACPI | GF_APIC | GF_HAP;
		/* Xen 4.10 and later run PVH guests wherever HVM ones run */
		if (hvm && c->nguests < XVM_ARRAY_SIZE(c->guests)) {
			g = &c->guests[c->nguests++];
			g->ostype = "xenpvh";
			g->arch = arch;
			g->wordsize = bits;
			g->emulator = paths->emulator;
			g->machine = "xenpvh";
			g->domtype = "xen";
			g->features = GF_HAP;
		}
	}
	free(s);
}

static int
xen_cells(struct xvm_conn *conn, struct caps *c, struct xvm_err *err)
{
	struct xvm_numa_node *nodes = NULL;
	struct xvm_cpu_topo *cpus = NULL;
	uint32_t *dist = NULL;
	unsigned nn = 0, nc = 0, i, j, k, m;
	bool *set;

	if (xvm_xc_numainfo(conn->io, &nodes, &dist, &nn, err) < 0 ||
	    xvm_xc_cputopo(conn->io, &cpus, &nc, err) < 0) {
		free(nodes);
		free(dist);
		return -1;
	}
	c->cells = xvm_calloc(nn ? nn : 1, sizeof(*c->cells));
	set = xvm_calloc(nc ? nc : 1, sizeof(*set));
	for (i = 0; i < nn; i++) {
		struct cap_cell *cell;

		if (!nodes[i].valid)
			continue;
		cell = &c->cells[c->ncells++];
		cell->id = i;
		cell->mem_kib = nodes[i].memsize / 1024;
		cell->free_kib = nodes[i].memfree / 1024;
		cell->ndist = nn;
		cell->dist = xvm_calloc(nn, sizeof(*cell->dist));
		memcpy(cell->dist, dist + (size_t)i * nn, nn * sizeof(*dist));
		for (j = 0; j < nc; j++)
			if (cpus[j].node == i && cpus[j].core != XVM_TOPO_INVALID)
				cell->ncpus++;
		cell->cpus = xvm_calloc(cell->ncpus ? cell->ncpus : 1,
		    sizeof(*cell->cpus));
		for (j = 0, k = 0; j < nc; j++) {
			if (cpus[j].node != i || cpus[j].core == XVM_TOPO_INVALID)
				continue;
			cell->cpus[k].id = j;
			cell->cpus[k].socket = cpus[j].socket;
			cell->cpus[k].core = cpus[j].core;
			/* threads of the same core in this node */
			for (m = 0; m < nc; m++)
				set[m] = cpus[m].node == i &&
				    cpus[m].socket == cpus[j].socket &&
				    cpus[m].core == cpus[j].core;
			cell->cpus[k++].siblings = cpuset_str(set, nc);
		}
	}
	free(set);
	free(nodes);
	free(dist);
	free(cpus);
	return 0;
}

static int
xen_caps(struct xvm_conn *conn, struct caps *c, struct xvm_err *err)
{
	struct xvm_physinfo pi;
	struct xvm_xen_version v;

	if (xvm_xc_physinfo(conn->io, &pi, err) < 0 ||
	    xvm_xc_version(conn->io, &v, err) < 0)
		return -1;
	c->arch = "x86_64";
	/* an x86 CPU shows its features; others (ARM) leave hw_cap zero */
	if (pi.hw_cap[0]) {
		c->pae = pi.hw_cap[0] & X86_PAE;
		c->arch = pi.hw_cap[2] & X86_LM ? "x86_64" : "i686";
		c->cores = pi.cores_per_socket;
		c->threads = pi.threads_per_core;
		if (c->cores && c->threads)
			c->sockets = pi.nr_cpus / (c->cores * c->threads);
	}
	c->iommu = pi.capabilities & XEN_SYSCTL_PHYSCAP_directio;
	c->migrate = c->live = true;
	c->netprefix = "vif";
	if (xen_cells(conn, c, err) < 0)
		return -1;
	xen_guests(c, v.capabilities, xvm_xen_caps_test());
	return 0;
}

/* ---- the API --------------------------------------------------------------- */

int
xvm_host_capabilities(struct xvm_conn *conn, char **xml_r,
    struct xvm_err *err)
{
	struct caps c;

	memset(&c, 0, sizeof(c));
	*xml_r = NULL;
	if (xvm_conn_is_test(conn))
		test_caps(&c);
	else if (xen_caps(conn, &c, err) < 0) {
		caps_release(&c);
		return -1;
	}
	*xml_r = caps_format(&c);
	caps_release(&c);
	return 0;
}

int
xvm_host_cells(struct xvm_conn *conn, struct xvm_cell_mem **cells_r,
    unsigned *n_r, struct xvm_err *err)
{
	struct xvm_numa_node *nodes = NULL;
	uint32_t *dist = NULL;
	unsigned n = 0, i;

	*cells_r = NULL;
	*n_r = 0;
	if (xvm_conn_is_test(conn)) {
		n = XVM_ARRAY_SIZE(test_cells);
		*cells_r = xvm_calloc(n, sizeof(**cells_r));
		for (i = 0; i < n; i++) {
			(*cells_r)[i].id = i;
			(*cells_r)[i].mem_kib = test_cells[i].mem_kib;
			(*cells_r)[i].free_kib = test_cells[i].free_kib;
		}
		*n_r = n;
		return 0;
	}
	if (xvm_xc_numainfo(conn->io, &nodes, &dist, &n, err) < 0)
		return -1;
	*cells_r = xvm_calloc(n ? n : 1, sizeof(**cells_r));
	for (i = 0; i < n; i++) {
		if (!nodes[i].valid)
			continue;
		(*cells_r)[*n_r].id = i;
		(*cells_r)[*n_r].mem_kib = nodes[i].memsize / 1024;
		(*cells_r)[(*n_r)++].free_kib = nodes[i].memfree / 1024;
	}
	free(nodes);
	free(dist);
	return 0;
}

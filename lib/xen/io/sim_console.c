/*
 * sim_console.c - the simulated hypervisor's console ring: what
 * XEN_SYSCTL_readconsole returns (`xm dmesg`, `xl dmesg`).
 *
 * Like Xen's conring it is a ring of bytes with a producer and a consumer
 * counter (free-running, 32 bits): writing advances the producer and, when
 * the ring is full, drags the consumer along; a read with `clear` moves
 * the consumer up to where the read stopped.  The host's boot lines are
 * its first contents.
 *
 * A host with a directory keeps it in DIR/console, rewritten atomically
 * when it changes (rarely: at boot and on a clearing read):
 *   "XVMCONRG" u32 version (1) u32 size u32 producer u32 consumer
 *   size bytes of ring, u32 CRC-32 of every byte before it
 * all little-endian.  Read and written under the host's lock.
 */
#define __XEN_TOOLS__ 1

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xen/xen.h>
#include <xen/sysctl.h>

#include "xvm/le.h"
#include "xen/io/sim_int.h"

#define CON_MAGIC	"XVMCONRG"
#define CON_VERSION	1u
#define CON_HDR		24u

static int
con_corrupt(struct xvm_err *err, const char *path, const char *why)
{
	return xvm_err_set(err, XVM_ERR_INTERNAL, "simulated host console "
	    "'%s' is corrupt: %s", path, why);
}

/* The ring from DIR/console (or empty when there is none yet). */
static int
con_load(struct sim *s, struct xvm_err *err)
{
	struct sim_conring *r = &s->con;
	char *data = NULL;
	size_t len = 0;
	const unsigned char *p;
	int ret = -1;

	if (s->dir == NULL)
		return 0;		/* in memory: the ring is the truth */
	memset(r, 0, sizeof(*r));
	if (xvm_file_read(s->console_path, CON_HDR + SIM_CONRING_SIZE + 4,
	    &data, &len, err) < 0) {
		if (err->sys_errno != ENOENT)
			return -1;
		xvm_err_clear(err);	/* none yet: an empty ring */
		return 0;
	}
	p = (const unsigned char *)data;
	if (len != CON_HDR + SIM_CONRING_SIZE + 4 ||
	    memcmp(p, CON_MAGIC, 8) != 0)
		con_corrupt(err, s->console_path, "not a console ring");
	else if (xvm_get_le32(p + 8) != CON_VERSION)
		con_corrupt(err, s->console_path, "unknown version");
	else if (xvm_get_le32(p + 12) != SIM_CONRING_SIZE)
		con_corrupt(err, s->console_path, "wrong ring size");
	else if (xvm_crc32(p, len - 4) != xvm_get_le32(p + len - 4))
		con_corrupt(err, s->console_path, "bad checksum");
	else if (xvm_get_le32(p + 16) - xvm_get_le32(p + 20) >
	    SIM_CONRING_SIZE)
		con_corrupt(err, s->console_path, "consumer beyond the ring");
	else {
		r->prod = xvm_get_le32(p + 16);
		r->cons = xvm_get_le32(p + 20);
		memcpy(r->buf, p + CON_HDR, SIM_CONRING_SIZE);
		ret = 0;
	}
	free(data);
	return ret;
}

static int
con_save(struct sim *s, struct xvm_err *err)
{
	const struct sim_conring *r = &s->con;
	struct xvm_buf b = XVM_BUF_INIT;
	int ret;

	if (s->dir == NULL)
		return 0;
	xvm_buf_add(&b, CON_MAGIC, 8);
	xvm_put_le32(&b, CON_VERSION);
	xvm_put_le32(&b, SIM_CONRING_SIZE);
	xvm_put_le32(&b, r->prod);
	xvm_put_le32(&b, r->cons);
	xvm_buf_add(&b, r->buf, SIM_CONRING_SIZE);
	xvm_put_le32(&b, xvm_crc32((const unsigned char *)b.data, b.len));
	ret = xvm_file_write_atomic(s->console_path, b.data, b.len, 0600, err);
	xvm_buf_release(&b);
	return ret;
}

static void
con_put(struct sim_conring *r, const char *text, size_t n)
{
	while (n-- > 0) {
		r->buf[r->prod % SIM_CONRING_SIZE] = *text++;
		r->prod++;
		if (r->prod - r->cons > SIM_CONRING_SIZE)
			r->cons = r->prod - SIM_CONRING_SIZE;
	}
}

int
sim_console_write(struct sim *s, const char *text, struct xvm_err *err)
{
	if (con_load(s, err) < 0)
		return -1;
	con_put(&s->con, text, strlen(text));
	return con_save(s, err);
}

int
sim_console_boot(struct sim *s, struct xvm_err *err)
{
	struct sim_host *h = &s->host;
	char *t = xvm_asprintf(
	    "(XEN) Xen version 4.17 (xvm simulated host)\n"
	    "(XEN) Simulated machine: %u CPUs on %u NUMA node(s), %u MHz\n"
	    "(XEN) System RAM: %llu MiB\n"
	    "(XEN) Using scheduler: SMP Credit Scheduler (credit)\n"
	    "(XEN) Brought up %u CPUs\n"
	    "%s",
	    h->nr_cpus, h->nr_nodes, h->cpu_khz / 1000,
	    (unsigned long long)(h->total_pages / 256), h->nr_cpus,
	    sim_dom_find(h, 0) ?
	    "(XEN) *** Building a PV Dom0 ***\n" : "");
	int r = sim_console_write(s, t, err);

	free(t);
	return r;
}

/* Xen's read_console_ring, over the simulated ring. */
long
sim_console_read(struct sim *s, struct xen_sysctl_readconsole *op)
{
	struct sim_conring *r = &s->con;
	char *out = op->buffer.p;
	uint32_t c, p, sofar = 0, max = op->count, idx, len;

	if (con_load(s, &s->last_err) < 0)
		return -EIO;
	c = r->cons;
	p = r->prod;
	if (op->incremental &&
	    (c <= p ? (c < op->index && op->index <= p) :
	    (c < op->index || op->index <= p)))
		c = op->index;
	if (max > 0 && out == NULL)
		return -EFAULT;
	while (c != p && sofar < max) {
		idx = c % SIM_CONRING_SIZE;
		len = p - c;
		if (idx + len > SIM_CONRING_SIZE)
			len = SIM_CONRING_SIZE - idx;
		if (sofar + len > max)
			len = max - sofar;
		memcpy(out + sofar, r->buf + idx, len);
		sofar += len;
		c += len;
	}
	if (op->clear) {
		r->cons = p - c > SIM_CONRING_SIZE ? p - SIM_CONRING_SIZE : c;
		if (con_save(s, &s->last_err) < 0)
			return -EIO;
	}
	op->count = sofar;
	op->index = c;
	return 0;
}

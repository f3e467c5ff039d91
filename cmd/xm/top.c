/*
 * top.c - xm top: the domains' use of the host, refreshed, as xentop
 * shows it: full screen (curses) with q to quit, d to set the delay,
 * s to sort by the next column and r to reverse; or in batch mode (-b)
 * frames on the standard output for scripts, -i of them, -d seconds
 * apart.
 *
 *   xentop - 06:47:01   Xen 4.17 (xvm simulated host)
 *   2 domains: 1 running, 1 blocked, 0 paused, 0 crashed, 0 dying, 0 shutdown
 *   Mem: 16777216k total, 2162688k used, 14614528k free    CPUs: 8 @ 2400MHz
 *         NAME  STATE   CPU(sec) CPU(%)     MEM(k) MEM(%)  MAXMEM(k) ...
 *     Domain-0 -----r          0    0.4    2097152   12.5   no limit ...
 *
 * CPU(%) is the CPU time a domain used since the last frame over the time
 * between them.  The network and block counters are those of the host's
 * backends where it has them (sysfs of a real dom0's netback and
 * blkback); a simulated host has none, so they stay 0.
 */
#include <errno.h>
#include <inttypes.h>
#include <ncurses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "xvm/size.h"
#include "xvm/toolstack.h"
#include "xm.h"

struct row {
	char *name;
	uint32_t id;
	char state[7];
	double cpu_s, cpu_pct;
	uint64_t mem, max;
	unsigned vcpus, nets, vbds;
	uint64_t nettx, netrx, vbd_oo, vbd_rd, vbd_wr, rsect, wsect;
};

struct frame {
	struct row *rows;
	size_t n;
	double at;			/* monotonic ms */
	struct xvm_hostinfo hi;
};

/* sysfs counter of a real dom0's backend, or 0. */
static uint64_t
sysfs(const char *fmt, uint32_t id, unsigned dev, const char *what)
{
	char path[256];
	unsigned long long v = 0;
	FILE *f;

	snprintf(path, sizeof(path), fmt, id, dev, what);
	if ((f = fopen(path, "r")) != NULL) {
		if (fscanf(f, "%llu", &v) != 1)
			v = 0;
		fclose(f);
	}
	return v;
}

/* How many devices of a kind the domain has (its frontends in xenstore). */
static unsigned
devices(struct xvm_conn *c, uint32_t id, const char *kind)
{
	return (unsigned)xvm_device_count(c, id, kind);
}

static void
frame_free(struct frame *f)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		free(f->rows[i].name);
	free(f->rows);
	memset(f, 0, sizeof(*f));
}

static int
take(struct xvm_ctx *ctx, struct xvm_conn *c, const struct frame *prev,
    struct frame *f)
{
	struct xvm_domstat *l = NULL;
	size_t n = 0, i, k;

	memset(f, 0, sizeof(*f));
	if (xvm_host_info(c, &f->hi, &ctx->err) < 0 ||
	    xvm_list(c, &l, &n, &ctx->err) < 0)
		return -1;
	f->at = xvm_mono_ms();
	f->rows = xvm_calloc(n + 1, sizeof(*f->rows));
	f->n = n;
	for (i = 0; i < n; i++) {
		struct row *r = &f->rows[i];
		unsigned d;

		r->name = xvm_strdup(l[i].name);
		r->id = l[i].id;
		/* xentop's order: d s b c p r */
		snprintf(r->state, sizeof(r->state), "%c%c%c%c%c%c",
		    l[i].state[5], l[i].state[3], l[i].state[1],
		    l[i].state[4], l[i].state[2], l[i].state[0]);
		r->cpu_s = l[i].cpu_seconds;
		r->mem = l[i].mem_kib;
		r->max = l[i].max_kib;
		r->vcpus = l[i].vcpus;
		r->nets = devices(c, l[i].id, "vif");
		r->vbds = devices(c, l[i].id, "vbd");
		for (d = 0; d < r->nets; d++) {
			/* netback counts from dom0's side: its tx is the
			   guest's rx */
			r->nettx += sysfs("/sys/devices/xen-backend/vif-%u-%u/"
			    "statistics/%s", l[i].id, d, "rx_bytes") / 1024;
			r->netrx += sysfs("/sys/devices/xen-backend/vif-%u-%u/"
			    "statistics/%s", l[i].id, d, "tx_bytes") / 1024;
		}
		for (d = 0; d < r->vbds; d++) {
			r->vbd_oo += sysfs("/sys/devices/xen-backend/vbd-%u-%u/"
			    "statistics/%s", l[i].id, d, "oo_req");
			r->vbd_rd += sysfs("/sys/devices/xen-backend/vbd-%u-%u/"
			    "statistics/%s", l[i].id, d, "rd_req");
			r->vbd_wr += sysfs("/sys/devices/xen-backend/vbd-%u-%u/"
			    "statistics/%s", l[i].id, d, "wr_req");
			r->rsect += sysfs("/sys/devices/xen-backend/vbd-%u-%u/"
			    "statistics/%s", l[i].id, d, "rd_sect");
			r->wsect += sysfs("/sys/devices/xen-backend/vbd-%u-%u/"
			    "statistics/%s", l[i].id, d, "wr_sect");
		}
		if (prev && prev->at < f->at)
			for (k = 0; k < prev->n; k++)
				if (prev->rows[k].id == r->id)
					r->cpu_pct = (r->cpu_s -
					    prev->rows[k].cpu_s) * 1e5 /
					    (f->at - prev->at);
	}
	xvm_domstat_free(l, n);
	return 0;
}

/* sorting: a column (0 name .. 5 vcpus), reversed or not */
static int sort_col, sort_rev;

static int
by_col(const void *a, const void *b)
{
	const struct row *x = a, *y = b;
	int c;

	switch (sort_col) {
	case 1:
		c = strcmp(x->state, y->state);
		break;
	case 2:
		c = (x->cpu_s > y->cpu_s) - (x->cpu_s < y->cpu_s);
		break;
	case 3:
		c = (x->cpu_pct > y->cpu_pct) - (x->cpu_pct < y->cpu_pct);
		break;
	case 4:
		c = (x->mem > y->mem) - (x->mem < y->mem);
		break;
	case 5:
		c = (x->vcpus > y->vcpus) - (x->vcpus < y->vcpus);
		break;
	default:
		c = strcmp(x->name, y->name);
	}
	return sort_rev ? -c : c;
}

static const char *const sort_names[] = { "NAME", "STATE", "CPU(sec)",
    "CPU(%)", "MEM(k)", "VCPUS" };

static const char header[] = "      NAME  STATE   CPU(sec) CPU(%)     "
    "MEM(k) MEM(%)  MAXMEM(k) MAXMEM(%) VCPUS NETS NETTX(k) NETRX(k) VBDS"
    "   VBD_OO   VBD_RD   VBD_WR  VBD_RSECT  VBD_WSECT SSID";

static void
line(struct xvm_buf *b, const struct frame *f, const struct row *r)
{
	uint64_t total = f->hi.total_mib * 1024;
	char max[32], maxp[32];

	if (r->max == 0 || r->max >= total) {
		snprintf(max, sizeof(max), "no limit");
		snprintf(maxp, sizeof(maxp), "n/a");
	} else {
		snprintf(max, sizeof(max), "%" PRIu64, r->max);
		snprintf(maxp, sizeof(maxp), "%.1f", total ?
		    r->max * 100.0 / total : 0.0);
	}
	xvm_buf_printf(b, "%10.10s %6s %10.0f %6.1f %10" PRIu64 " %6.1f %10s "
	    "%9s %5u %4u %8" PRIu64 " %8" PRIu64 " %4u %8" PRIu64 " %8" PRIu64
	    " %8" PRIu64 " %10" PRIu64 " %10" PRIu64 " %4u\n", r->name,
	    r->state, r->cpu_s, r->cpu_pct, r->mem, total ? r->mem * 100.0 /
	    total : 0.0, max, maxp, r->vcpus, r->nets, r->nettx, r->netrx,
	    r->vbds, r->vbd_oo, r->vbd_rd, r->vbd_wr, r->rsect, r->wsect, 0u);
}

/* The summary lines above the table (the full-screen view). */
static void
summary(struct xvm_buf *b, const struct frame *f)
{
	unsigned cnt[6] = { 0 };	/* r b p c d s */
	uint64_t total = f->hi.total_mib * 1024, fr = f->hi.free_mib * 1024;
	char now[16];
	time_t t = time(NULL);
	struct tm tm;
	size_t i;

	localtime_r(&t, &tm);
	strftime(now, sizeof(now), "%H:%M:%S", &tm);
	for (i = 0; i < f->n; i++) {
		const char *s = f->rows[i].state;	/* d s b c p r */

		cnt[0] += s[5] == 'r';
		cnt[1] += s[2] == 'b';
		cnt[2] += s[4] == 'p';
		cnt[3] += s[3] == 'c';
		cnt[4] += s[0] == 'd';
		cnt[5] += s[1] == 's';
	}
	xvm_buf_printf(b, "xentop - %s   Xen %d.%d%s\n", now, f->hi.xen_major,
	    f->hi.xen_minor, f->hi.xen_extra);
	xvm_buf_printf(b, "%zu domains: %u running, %u blocked, %u paused, %u "
	    "crashed, %u dying, %u shutdown \n", f->n, cnt[0], cnt[1], cnt[2],
	    cnt[3], cnt[4], cnt[5]);
	xvm_buf_printf(b, "Mem: %" PRIu64 "k total, %" PRIu64 "k used, %" PRIu64
	    "k free    CPUs: %u @ %uMHz\n", total, total - fr, fr,
	    f->hi.nr_cpus, f->hi.cpu_khz / 1000);
}

static void
table(struct xvm_buf *b, struct frame *f)
{
	size_t i;

	qsort(f->rows, f->n, sizeof(*f->rows), by_col);
	xvm_buf_printf(b, "%s\n", header);
	for (i = 0; i < f->n; i++)
		line(b, f, &f->rows[i]);
}

static int
batch(struct xvm_ctx *ctx, struct xvm_conn *c, long iters, double delay)
{
	struct frame prev, cur;
	long i;
	int ret = 0;

	memset(&prev, 0, sizeof(prev));
	for (i = 0; iters <= 0 || i < iters; i++) {
		struct xvm_buf b = XVM_BUF_INIT;

		if (i > 0)
			usleep((useconds_t)(delay * 1e6));
		if (take(ctx, c, i ? &prev : NULL, &cur) < 0) {
			ret = -1;
			break;
		}
		table(&b, &cur);
		fputs(xvm_buf_str(&b), ctx->out);
		fflush(ctx->out);
		xvm_buf_release(&b);
		frame_free(&prev);
		prev = cur;
	}
	frame_free(&prev);
	return ret;
}

static int
screen(struct xvm_ctx *ctx, struct xvm_conn *c, double delay)
{
	struct frame prev, cur;
	bool first = true;
	char msg[128] = "";
	int ret = 0;

	memset(&prev, 0, sizeof(prev));
	if (initscr() == NULL)
		return xvm_err_set(&ctx->err, XVM_ERR_SYSTEM, "cannot start "
		    "the full screen (TERM=%s?)", getenv("TERM") ?
		    getenv("TERM") : "");
	cbreak();
	noecho();
	keypad(stdscr, TRUE);
	for (;;) {
		struct xvm_buf b = XVM_BUF_INIT;
		int ch;

		if (take(ctx, c, first ? NULL : &prev, &cur) < 0) {
			ret = -1;
			break;
		}
		first = false;
		summary(&b, &cur);
		table(&b, &cur);
		erase();
		mvaddstr(0, 0, xvm_buf_str(&b));
		mvprintw(LINES - 1, 0, "%s", msg[0] ? msg :
		    "q quit  d delay  s sort  r reverse");
		refresh();
		xvm_buf_release(&b);
		frame_free(&prev);
		prev = cur;
		timeout((int)(delay * 1000));
		ch = getch();
		msg[0] = '\0';
		if (ch == 'q' || ch == 'Q')
			break;
		if (ch == 's' || ch == 'S') {
			sort_col = (sort_col + 1) % 6;
			snprintf(msg, sizeof(msg), "sorted by %s",
			    sort_names[sort_col]);
		} else if (ch == 'r' || ch == 'R') {
			sort_rev = !sort_rev;
		} else if (ch == 'd' || ch == 'D') {
			char in[32] = "";
			unsigned v;

			mvprintw(LINES - 1, 0, "Delay (s): ");
			clrtoeol();
			echo();
			timeout(-1);
			getnstr(in, sizeof(in) - 1);
			noecho();
			if (xvm_parse_uint(in, &v) == 0 && v >= 1 &&
			    v <= 3600)
				delay = (double)v;
			else
				snprintf(msg, sizeof(msg), "'%s' is not a delay "
				    "(1 to 3600 s)", in);
		}
	}
	endwin();
	frame_free(&prev);
	return ret;
}

int
xm_cmd_top(struct xvm_ctx *ctx, const struct xvm_args *args)
{
	struct xvm_conn *c = xm_connect(ctx);
	const char *ds = xvm_args_get(args, "delay");
	const char *is = xvm_args_get(args, "iterations");
	double delay = 3;
	long iters = 0;

	if (!c)
		return -1;
	if (ds) {
		char *end;

		delay = strtod(ds, &end);
		if (*end != '\0' || end == ds || delay < 0.05 ||
		    delay > 3600)
			return xvm_err_set(&ctx->err, XVM_ERR_USAGE, "-d %s: a "
			    "delay is 0.05 to 3600 seconds", ds);
	}
	if (is) {
		unsigned v;

		if (xvm_parse_uint(is, &v) < 0 || v == 0)
			return xvm_err_set(&ctx->err, XVM_ERR_USAGE, "-i %s: "
			    "iterations are a number from 1", is);
		iters = (long)v;
	}
	if (xvm_args_has(args, "batch"))
		return batch(ctx, c, iters, delay);
	return screen(ctx, c, delay);
}

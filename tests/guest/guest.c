/*
 * guest.c - the xvm test guest: a minimal x86_64 PV kernel built from the
 * project's own sources, used as a fixture of the PV domain builder and
 * booted on a real Xen by the test bed.
 *
 * It prints one line, the marker
 *
 *   xvm-test-guest: up (domain console) cmdline="..."
 *
 * through the hypervisor's console (console_io, which Xen shows with
 * guest_loglvl=all and always for Domain-0) and, as a domU, through its
 * console ring (what xenconsoled and `xl console` read), then blocks
 * for good: it polls with events masked, so it never takes an upcall and
 * never spins.  It does not honour control/shutdown; destroy ends it.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <xen/xen.h>
#include <xen/sched.h>
#include <xen/event_channel.h>
#include <xen/io/console.h>

#define MARKER		"xvm-test-guest: up"
#define M2P		((const unsigned long *)0xFFFF800000000000UL)

extern char _text[], hypercall_page[];

void guest_main(start_info_t *si);

/* hypercall nr through the hypercall page: args in rdi, rsi, rdx */
static long
hypercall3(unsigned nr, unsigned long a1, unsigned long a2, unsigned long a3)
{
	register unsigned long rdi __asm__("rdi") = a1;
	register unsigned long rsi __asm__("rsi") = a2;
	register unsigned long rdx __asm__("rdx") = a3;
	long ret;

	__asm__ volatile("call *%[fn]"
	    : "=a"(ret), "+r"(rdi), "+r"(rsi), "+r"(rdx)
	    : [fn] "r"(hypercall_page + nr * 32)
	    : "rcx", "r8", "r9", "r10", "r11", "memory");
	return ret;
}

static size_t
len(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

static size_t
append(char *buf, size_t at, size_t cap, const char *s, size_t n)
{
	while (n-- > 0 && at + 1 < cap) {
		char c = *s++;

		/* keep the line one printable line */
		buf[at++] = (c >= 0x20 && c < 0x7f) ? c : '?';
	}
	buf[at] = '\0';
	return at;
}

/* The domU console ring: out[] is ours to fill, xenconsoled drains it. */
static void
ring_write(start_info_t *si, const char *s, size_t n)
{
	unsigned long pfn = M2P[si->console.domU.mfn];
	struct xencons_interface *intf =
	    (struct xencons_interface *)(_text + (pfn << 12));
	XENCONS_RING_IDX prod = intf->out_prod;
	evtchn_send_t send = { .port = si->console.domU.evtchn };

	while (n > 0) {
		if (prod - intf->out_cons >= sizeof(intf->out)) {
			/* full: let xenconsoled in and wait for it */
			hypercall3(__HYPERVISOR_event_channel_op, EVTCHNOP_send,
			    (unsigned long)&send, 0);
			hypercall3(__HYPERVISOR_sched_op, SCHEDOP_yield, 0, 0);
			continue;
		}
		intf->out[MASK_XENCONS_IDX(prod, intf->out)] = *s++;
		prod++;
		n--;
	}
	__asm__ volatile("sfence" ::: "memory");
	intf->out_prod = prod;
	hypercall3(__HYPERVISOR_event_channel_op, EVTCHNOP_send,
	    (unsigned long)&send, 0);
}

void
guest_main(start_info_t *si)
{
	static char line[sizeof(si->cmd_line) + 128];
	const char *cmd = (const char *)si->cmd_line;
	bool dom0 = (si->flags & SIF_INITDOMAIN) != 0;
	const char *kind = dom0 ? " (Domain-0)" : " (domain console)";
	struct sched_poll poll = { .nr_ports = 0, .timeout = 0 };
	size_t n = 0, clen = 0;

	while (clen < sizeof(si->cmd_line) && cmd[clen])
		clen++;
	n = append(line, n, sizeof(line), MARKER, len(MARKER));
	n = append(line, n, sizeof(line), kind, len(kind));
	n = append(line, n, sizeof(line), " cmdline=\"", 10);
	n = append(line, n, sizeof(line), cmd, clen);
	n = append(line, n, sizeof(line), "\"", 1);
	line[n++] = '\n';
	line[n] = '\0';

	hypercall3(__HYPERVISOR_console_io, CONSOLEIO_write, n,
	    (unsigned long)line);
	if (!dom0) {
		line[n - 1] = '\r';
		line[n++] = '\n';
		ring_write(si, line, n);
	}

	/*
	 * Block: a poll of no ports with events masked (the builder masks
	 * them) sleeps until some event arrives, and then sleeps again.
	 */
	for (;;)
		hypercall3(__HYPERVISOR_sched_op, SCHEDOP_poll,
		    (unsigned long)&poll, 0);
}

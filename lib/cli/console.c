/*
 * console.c - a domain's console on this terminal until Ctrl-] (xm
 * console, virsh console, create -c).  In raw mode when the standard
 * input is a terminal; otherwise what the standard input holds is sent
 * and the output that follows is shown until the input ends and the
 * console has been quiet for a moment, so scripts can talk to a guest.
 * It ends too when the domain goes.  The terminal's input is read from
 * descriptor 0 and the output goes to ctx->out.
 */
#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "xvm/cli.h"
#include "xvm/toolstack.h"

#define DETACH		0x1d		/* Ctrl-] */
#define QUIET_MS	300		/* after the input ends */

/* Has domain id gone (destroyed, or restarted under another id)? */
static bool
gone(struct xvm_conn *c, uint32_t id)
{
	struct xvm_domstat *l = NULL;
	struct xvm_err err;
	size_t n = 0, i;
	bool there = false;

	if (xvm_list(c, &l, &n, &err) < 0)
		return false;
	for (i = 0; i < n; i++)
		there |= l[i].id == id;
	xvm_domstat_free(l, n);
	return !there;
}

int
xvm_cli_console(struct xvm_ctx *ctx, struct xvm_conn *c, uint32_t id)
{
	struct xvm_console *con = NULL;
	struct termios saved, raw;
	bool tty = isatty(0), eof = false;
	double quiet_until = 0, next_check = 0;
	int ret = -1;

	if (xvm_console_open(c, id, &con, &ctx->err) < 0)
		return -1;
	if (tty && tcgetattr(0, &saved) == 0) {
		raw = saved;
		cfmakeraw(&raw);
		(void)tcsetattr(0, TCSANOW, &raw);
	} else {
		tty = false;
	}
	for (;;) {
		struct pollfd p[2];
		char buf[4096];
		size_t got;
		int np = 0, cfd = xvm_console_fd(con);
		double now = xvm_mono_ms();

		if (!eof) {
			p[np].fd = 0;
			p[np++].events = POLLIN;
		}
		if (cfd >= 0) {
			p[np].fd = cfd;
			p[np++].events = POLLIN;
		}
		/* the ring has no descriptor: look every 20 ms */
		(void)poll(p, (nfds_t)np, cfd >= 0 ? 250 : 20);
		do {
			if (xvm_console_read(con, buf, sizeof(buf), &got,
			    &ctx->err) < 0) {
				if (gone(c, id))
					goto done;	/* it went meanwhile */
				goto out;
			}
			if (got) {
				fwrite(buf, 1, got, ctx->out);
				fflush(ctx->out);
				if (eof)
					quiet_until = xvm_mono_ms() + QUIET_MS;
			}
		} while (got == sizeof(buf));
		if (!eof && np > 0 && (p[0].revents & (POLLIN | POLLHUP))) {
			ssize_t k = read(0, buf, sizeof(buf));
			char *d;

			if (k <= 0) {
				eof = true;
				quiet_until = xvm_mono_ms() + QUIET_MS;
			} else if (tty && (d = memchr(buf, DETACH,
			    (size_t)k)) != NULL) {
				if (d > buf && xvm_console_write(con, buf,
				    (size_t)(d - buf), &ctx->err) < 0)
					goto out;
				break;
			} else if (xvm_console_write(con, buf, (size_t)k,
			    &ctx->err) < 0) {
				goto out;
			}
		}
		if (eof && xvm_mono_ms() >= quiet_until)
			break;
		if (now >= next_check) {
			next_check = now + 250;
			if (gone(c, id))
				break;
		}
	}
done:
	ret = 0;
out:
	if (tty)
		(void)tcsetattr(0, TCSANOW, &saved);
	xvm_console_close(con);
	return ret;
}

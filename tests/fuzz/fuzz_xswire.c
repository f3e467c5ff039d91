/*
 * fuzz_xswire.c - fuzz target for the xenstore wire protocol.  The input
 * is a byte stream of requests; bit 0 of each request's req_id picks the
 * connection (dom0 or the domU 1).  Invariants: nothing crashes or leaks,
 * every reply and watch event is one well-formed message echoing the
 * request's req_id and tx_id, and the store survives a persistence round
 * trip unchanged at the end.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <xen/io/xs_wire.h>

#include "xen/xs_store.h"
#include "fuzz.h"

static void
check_reply(const struct xvm_buf *r, uint32_t type, uint32_t req_id,
    uint32_t tx_id)
{
	struct xs_wire_msg m;
	size_t ml;

	if (xs_wire_frame(r->data, r->len, &ml) != 1 || ml != r->len ||
	    xs_wire_decode(r->data, r->len, &m) != 0)
		abort();
	if (m.req_id != req_id || m.tx_id != tx_id)
		abort();
	if (m.type != type && m.type != XS_ERROR)
		abort();
	if (m.type == XS_ERROR && m.err == 0)
		abort();
}

static void
drain(struct xs_conn *c)
{
	struct xvm_buf ev = XVM_BUF_INIT;
	struct xs_wire_msg m;
	const char *p, *t;
	size_t ml;

	while (xs_wire_event(c, &ev) == 1) {
		if (xs_wire_frame(ev.data, ev.len, &ml) != 1 ||
		    ml != ev.len || xs_wire_decode(ev.data, ev.len, &m) != 0 ||
		    xs_wire_decode_event(&m, &p, &t) != 0)
			abort();
		xvm_buf_reset(&ev);
	}
	xvm_buf_release(&ev);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct xs_store *st = xs_store_new(), *st2;
	struct xs_conn *c[2];
	struct xvm_buf reply = XVM_BUF_INIT, saved = XVM_BUF_INIT;
	struct xsd_sockmsg h;
	struct xvm_err err;
	size_t pos = 0, ml;
	int r, i;

	c[0] = xs_conn_new(st, 0);
	c[1] = xs_conn_new(st, 1);
	xs_introduce(c[0], 1, 1, 1);
	while (pos < size) {
		r = xs_wire_frame(data + pos, size - pos, &ml);
		if (r == 0)
			break;
		if (r < 0) {
			/* xenstored drops the connection: start a new one */
			memcpy(&h, data + pos, sizeof(h));
			i = h.req_id & 1;
			xs_conn_free(c[i]);
			c[i] = xs_conn_new(st, (uint32_t)i);
			pos += sizeof(h);
			continue;
		}
		memcpy(&h, data + pos, sizeof(h));
		i = h.req_id & 1;
		xvm_buf_reset(&reply);
		if (xs_wire_handle(c[i], data + pos, ml, &reply) != 0)
			abort();
		check_reply(&reply, h.type, h.req_id, h.tx_id);
		drain(c[0]);
		drain(c[1]);
		pos += ml;
	}
	xs_store_domain_shutdown(st, 1);
	drain(c[0]);
	drain(c[1]);

	xs_store_save(st, &saved);
	xvm_err_clear(&err);
	st2 = xs_store_load(saved.data, saved.len, &err);
	if (!st2 || !xs_store_equal(st, st2))
		abort();
	xs_store_free(st2);

	xs_conn_free(c[0]);
	xs_conn_free(c[1]);
	xs_store_free(st);
	xvm_buf_release(&reply);
	xvm_buf_release(&saved);
	return 0;
}

/*
 * xs_wire.c - xenstore's wire protocol over the store: framing, request
 * decoding, reply encoding, and the client-side helpers.  Payloads are
 * those of docs/misc/xenstore.txt; argument checks and their errnos follow
 * xenstored 4.17's handlers (process_message() and the do_* functions).
 *
 * - Unknown types, XS_WATCH_EVENT and XS_ERROR as requests: ENOSYS.
 * - Privileged types (CONTROL, INTRODUCE, RELEASE, IS_DOMAIN_INTRODUCED,
 *   RESUME, SET_TARGET) from a domU: EACCES before anything else.
 * - A non-zero tx_id naming no open transaction: ENOENT (except WATCH and
 *   UNWATCH, which ignore tx_id).
 * - A reply payload over XENSTORE_PAYLOAD_MAX becomes E2BIG.
 * - XS_CONTROL knows "check", "log on|off", "print <string>" and "help";
 *   they do nothing but answer (no log here); other commands are EINVAL,
 *   as xenstored answers a command it lacks.
 * - A watch event whose payload would exceed XENSTORE_PAYLOAD_MAX is
 *   dropped (xvm's choice: the client could not read it).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xen/io/xs_wire.h>

#include "xen/xs_store.h"

const char *
xs_errno_name(int err)
{
	size_t i;

	for (i = 0; i < XVM_ARRAY_SIZE(xsd_errors); i++)
		if (xsd_errors[i].errnum == err)
			return xsd_errors[i].errstring;
	return "EINVAL";
}

int
xs_errno_from_name(const char *name)
{
	size_t i;

	for (i = 0; i < XVM_ARRAY_SIZE(xsd_errors); i++)
		if (strcmp(xsd_errors[i].errstring, name) == 0)
			return xsd_errors[i].errnum;
	return 0;
}

static void
put_msg(struct xvm_buf *out, uint32_t type, uint32_t req_id, uint32_t tx_id,
    const void *payload, size_t len)
{
	struct xsd_sockmsg h;

	h.type = type;
	h.req_id = req_id;
	h.tx_id = tx_id;
	h.len = (uint32_t)len;
	xvm_buf_add(out, &h, sizeof(h));
	if (len)
		xvm_buf_add(out, payload, len);
}

int
xs_wire_frame(const void *buf, size_t len, size_t *msg_len_r)
{
	struct xsd_sockmsg h;

	*msg_len_r = 0;
	if (len < sizeof(h))
		return 0;
	memcpy(&h, buf, sizeof(h));
	if (h.len > XENSTORE_PAYLOAD_MAX)
		return -1;
	if (len < sizeof(h) + h.len)
		return 0;
	*msg_len_r = sizeof(h) + h.len;
	return 1;
}

/* The request being served: header, payload (NUL added after it). */
struct req {
	struct xsd_sockmsg h;
	char *in;
	size_t used;
};

/* Number of NUL-terminated strings (xenstored's get_strings()). */
static unsigned int
count_strings(const struct req *r)
{
	unsigned int n = 0;
	size_t i;

	for (i = 0; i < r->used; i++)
		if (r->in[i] == '\0')
			n++;
	return n;
}

/* The i-th string; only call with i < count_strings(). */
static const char *
nth(const struct req *r, unsigned int i)
{
	const char *p = r->in;

	while (i--)
		p += strlen(p) + 1;
	return p;
}

/* Exactly one string, NUL at the end (xenstored's onearg()). */
static const char *
onearg(const struct req *r)
{
	if (!r->used || strlen(r->in) + 1 != r->used)
		return NULL;
	return r->in;
}

static int
xatoi(const char *s)
{
	return (int)strtol(s, NULL, 10);
}

static int
parse_perms(const struct req *r, unsigned int n, struct xs_perm *p)
{
	const char *s;
	char *end;
	unsigned int i;

	for (i = 0; i < n; i++) {
		s = nth(r, i + 1);
		switch (s[0]) {
		case 'n':
			p[i].perm = XS_STORE_PERM_NONE;
			break;
		case 'r':
			p[i].perm = XS_STORE_PERM_READ;
			break;
		case 'w':
			p[i].perm = XS_STORE_PERM_WRITE;
			break;
		case 'b':
			p[i].perm = XS_STORE_PERM_BOTH;
			break;
		default:
			return EINVAL;
		}
		if (!s[1])
			return EINVAL;
		p[i].id = (uint32_t)strtol(s + 1, &end, 0);
		if (*end)
			return EINVAL;
	}
	return 0;
}

static void
directory_part(struct xvm_buf *out, const struct xvm_strv *names,
    uint64_t gen, const char *offstr)
{
	struct xvm_buf kids = XVM_BUF_INIT;
	unsigned int off, len = 0, maxlen, genlen;
	const char *child;
	char g[24];
	size_t i;

	for (i = 0; i < names->n; i++)
		xvm_buf_add(&kids, names->v[i], strlen(names->v[i]) + 1);
	off = (unsigned int)xatoi(offstr);
	genlen = (unsigned int)snprintf(g, sizeof(g), "%llu",
	    (unsigned long long)gen) + 1;
	xvm_buf_add(out, g, genlen);
	if (off >= kids.len) {
		xvm_buf_putc(out, '\0');
		goto out;
	}
	maxlen = XENSTORE_PAYLOAD_MAX - genlen - 1;
	child = kids.data + off;
	while (len + strlen(child) < maxlen) {
		len += (unsigned int)strlen(child) + 1;
		child += strlen(child) + 1;
		if (off + len == kids.len)
			break;
	}
	xvm_buf_add(out, kids.data + off, len);
	if (off + len == kids.len)
		xvm_buf_putc(out, '\0');
out:
	xvm_buf_release(&kids);
}

static int
control(const struct req *r, struct xvm_buf *out)
{
	static const char help[] = "check\t\nlog\ton|off\n"
	    "print\t<string>\nhelp\t\n";
	unsigned int n = count_strings(r);
	const char *cmd;

	if (n < 1)
		return EINVAL;
	cmd = r->in;
	n--;
	if (strcmp(cmd, "check") == 0 || strcmp(cmd, "help") == 0) {
		if (n)
			return EINVAL;
		if (cmd[0] == 'h')
			xvm_buf_add(out, help, sizeof(help));
		return 0;
	}
	if (strcmp(cmd, "print") == 0)
		return n == 1 ? 0 : EINVAL;
	if (strcmp(cmd, "log") == 0) {
		if (n != 1)
			return EINVAL;
		cmd = nth(r, 1);
		return strcmp(cmd, "on") == 0 || strcmp(cmd, "off") == 0 ?
		    0 : EINVAL;
	}
	return EINVAL;
}

/* Serve r; the reply payload goes to out, "OK" when left empty. */
static int
dispatch(struct xs_conn *c, const struct req *r, struct xvm_buf *out,
    bool *ack)
{
	uint32_t tx = r->h.tx_id, id;
	struct xvm_strv names = XVM_STRV_INIT;
	struct xs_perm *perms = NULL;
	const char *a;
	uint64_t gen;
	size_t n;
	char *s;
	bool b;
	int err = 0;

	*ack = false;
	switch (r->h.type) {
	case XS_READ:
		if (!(a = onearg(r)))
			return EINVAL;
		if ((err = xs_read(c, tx, a, &s, &n)) == 0) {
			xvm_buf_add(out, s, n);
			free(s);
		}
		return err;
	case XS_WRITE:
		if (count_strings(r) < 1)
			return EINVAL;
		n = strlen(r->in) + 1;
		*ack = true;
		return xs_write(c, tx, r->in, r->in + n, r->used - n);
	case XS_MKDIR:
	case XS_RM:
		if (!(a = onearg(r)))
			return EINVAL;
		*ack = true;
		if (r->h.type == XS_MKDIR)
			return xs_mkdir(c, tx, a);
		return xs_rm(c, tx, a);
	case XS_DIRECTORY:
	case XS_DIRECTORY_PART:
		if (r->h.type == XS_DIRECTORY ? !(a = onearg(r)) :
		    count_strings(r) != 2)
			return EINVAL;
		a = r->in;
		err = xs_directory(c, tx, a, &names, &gen);
		if (err)
			goto out;
		if (r->h.type == XS_DIRECTORY_PART) {
			directory_part(out, &names, gen, nth(r, 1));
			goto out;
		}
		for (n = 0; n < names.n; n++)
			xvm_buf_add(out, names.v[n], strlen(names.v[n]) + 1);
		goto out;
	case XS_GET_PERMS:
		if (!(a = onearg(r)))
			return EINVAL;
		if ((err = xs_get_perms(c, tx, a, &perms, &n)) != 0)
			return err;
		for (id = 0; id < n; id++) {
			xvm_buf_printf(out, "%c%i", "nrwb"[perms[id].perm & 3],
			    (int)perms[id].id);
			xvm_buf_putc(out, '\0');
		}
		goto out;
	case XS_SET_PERMS:
		n = count_strings(r);
		if (n < 2)
			return EINVAL;
		n--;
		if (xs_conn_domid(c) != 0 && n > xs_conn_quota(c)->perms)
			return ENOSPC;
		perms = xvm_calloc(n, sizeof(*perms));
		if ((err = parse_perms(r, (unsigned int)n, perms)) != 0)
			goto out;
		*ack = true;
		err = xs_set_perms(c, tx, r->in, perms, n);
		goto out;
	case XS_WATCH:
	case XS_UNWATCH:
		if (count_strings(r) != 2)
			return EINVAL;
		*ack = true;
		if (r->h.type == XS_WATCH)
			return xs_watch(c, r->in, nth(r, 1));
		return xs_unwatch(c, r->in, nth(r, 1));
	case XS_TRANSACTION_START:
		if ((err = xs_tx_start(c, tx, &id)) == 0) {
			xvm_buf_printf(out, "%u", id);
			xvm_buf_putc(out, '\0');
		}
		return err;
	case XS_TRANSACTION_END:
		a = onearg(r);
		if (!a || (strcmp(a, "T") != 0 && strcmp(a, "F") != 0))
			return EINVAL;
		*ack = true;
		return xs_tx_end(c, tx, a[0] == 'T');
	case XS_INTRODUCE:
		if (count_strings(r) < 3)
			return EINVAL;
		*ack = true;
		return xs_introduce(c, (uint32_t)xatoi(r->in),
		    (uint64_t)strtoll(nth(r, 1), NULL, 10),
		    (uint32_t)xatoi(nth(r, 2)));
	case XS_RELEASE:
	case XS_RESUME:
		if (!(a = onearg(r)))
			return EINVAL;
		*ack = true;
		if (r->h.type == XS_RELEASE)
			return xs_release(c, (uint32_t)xatoi(a));
		return xs_resume(c, (uint32_t)xatoi(a));
	case XS_GET_DOMAIN_PATH:
		if (!(a = onearg(r)))
			return EINVAL;
		s = xs_domain_path((uint32_t)xatoi(a));
		xvm_buf_add(out, s, strlen(s) + 1);
		free(s);
		return 0;
	case XS_IS_DOMAIN_INTRODUCED:
		if (!(a = onearg(r)))
			return EINVAL;
		if ((err = xs_is_introduced(c, (uint32_t)xatoi(a), &b)) == 0)
			xvm_buf_add(out, b ? "T" : "F", 2);
		return err;
	case XS_SET_TARGET:
		if (count_strings(r) < 2)
			return EINVAL;
		*ack = true;
		return xs_set_target(c, (uint32_t)xatoi(r->in),
		    (uint32_t)xatoi(nth(r, 1)));
	case XS_RESET_WATCHES:
		*ack = true;
		return xs_reset_watches(c);
	case XS_CONTROL:
		if ((err = control(r, out)) == 0 && !out->len)
			*ack = true;
		return err;
	default:
		return ENOSYS;
	}
out:
	free(perms);
	xvm_strv_release(&names);
	return err;
}

static bool
privileged_type(uint32_t type)
{
	return type == XS_CONTROL || type == XS_INTRODUCE ||
	    type == XS_RELEASE || type == XS_IS_DOMAIN_INTRODUCED ||
	    type == XS_RESUME || type == XS_SET_TARGET;
}

int
xs_wire_handle(struct xs_conn *c, const void *msg, size_t msg_len,
    struct xvm_buf *reply)
{
	struct xvm_buf out = XVM_BUF_INIT;
	struct req r;
	const char *name;
	bool ack = false;
	int err;

	if (msg_len < sizeof(r.h))
		return -1;
	memcpy(&r.h, msg, sizeof(r.h));
	if (r.h.len > XENSTORE_PAYLOAD_MAX || msg_len != sizeof(r.h) + r.h.len)
		return -1;
	r.used = r.h.len;
	r.in = xvm_malloc(r.used + 1);
	memcpy(r.in, (const char *)msg + sizeof(r.h), r.used);
	r.in[r.used] = '\0';

	if (r.h.type >= XS_TYPE_COUNT || r.h.type == XS_WATCH_EVENT ||
	    r.h.type == XS_ERROR || r.h.type == XS_SET_TARGET + 1)
		err = ENOSYS;
	else if (privileged_type(r.h.type) && xs_conn_domid(c) != 0)
		err = EACCES;
	else if (r.h.type != XS_WATCH && r.h.type != XS_UNWATCH &&
	    r.h.tx_id != 0 && !xs_conn_has_tx(c, r.h.tx_id))
		err = ENOENT;
	else
		err = dispatch(c, &r, &out, &ack);
	if (!err && out.len > XENSTORE_PAYLOAD_MAX)
		err = E2BIG;
	if (err) {
		name = xs_errno_name(err);
		put_msg(reply, XS_ERROR, r.h.req_id, r.h.tx_id, name,
		    strlen(name) + 1);
	} else if (ack) {
		put_msg(reply, r.h.type, r.h.req_id, r.h.tx_id, "OK", 3);
	} else {
		put_msg(reply, r.h.type, r.h.req_id, r.h.tx_id, out.data,
		    out.len);
	}
	xvm_buf_release(&out);
	free(r.in);
	return 0;
}

int
xs_wire_event(struct xs_conn *c, struct xvm_buf *out)
{
	struct xvm_buf p = XVM_BUF_INIT;
	char *path, *token;
	int found = 0;

	while (!found && xs_conn_event_pop(c, &path, &token) == 0) {
		xvm_buf_reset(&p);
		xvm_buf_add(&p, path, strlen(path) + 1);
		xvm_buf_add(&p, token, strlen(token) + 1);
		if (p.len <= XENSTORE_PAYLOAD_MAX) {
			put_msg(out, XS_WATCH_EVENT, 0, 0, p.data, p.len);
			found = 1;
		}
		free(path);
		free(token);
	}
	xvm_buf_release(&p);
	return found;
}

void
xs_wire_request(struct xvm_buf *out, uint32_t type, uint32_t req_id,
    uint32_t tx_id, const void *payload, size_t len)
{
	put_msg(out, type, req_id, tx_id, payload, len);
}

void
xs_wire_request_strs(struct xvm_buf *out, uint32_t type, uint32_t req_id,
    uint32_t tx_id, const char *const *strs, size_t n, const void *raw,
    size_t raw_len)
{
	struct xvm_buf p = XVM_BUF_INIT;
	size_t i;

	for (i = 0; i < n; i++)
		xvm_buf_add(&p, strs[i], strlen(strs[i]) + 1);
	if (raw_len)
		xvm_buf_add(&p, raw, raw_len);
	put_msg(out, type, req_id, tx_id, p.data, p.len);
	xvm_buf_release(&p);
}

int
xs_wire_decode(const void *msg, size_t msg_len, struct xs_wire_msg *m)
{
	struct xsd_sockmsg h;
	int e;

	memset(m, 0, sizeof(*m));
	if (msg_len < sizeof(h))
		return -1;
	memcpy(&h, msg, sizeof(h));
	if (h.len > XENSTORE_PAYLOAD_MAX || msg_len != sizeof(h) + h.len)
		return -1;
	m->type = h.type;
	m->req_id = h.req_id;
	m->tx_id = h.tx_id;
	m->len = h.len;
	m->payload = (const char *)msg + sizeof(h);
	if (h.type == XS_ERROR) {
		if (!h.len || memchr(m->payload, '\0', h.len) !=
		    m->payload + h.len - 1)
			return -1;
		e = xs_errno_from_name(m->payload);
		m->err = e ? e : EINVAL;
	}
	return 0;
}

int
xs_wire_decode_event(const struct xs_wire_msg *m, const char **path_r,
    const char **token_r)
{
	const char *nul;

	if (m->type != XS_WATCH_EVENT || !m->len)
		return -1;
	nul = memchr(m->payload, '\0', m->len);
	if (!nul || !memchr(nul + 1, '\0',
	    m->len - (size_t)(nul + 1 - m->payload)))
		return -1;
	*path_r = m->payload;
	*token_r = nul + 1;
	return 0;
}

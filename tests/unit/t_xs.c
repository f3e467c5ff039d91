/*
 * t_xs.c - unit tests of lib/xen/xs_*: the xenstore store (nodes, perms,
 * transactions, watches, quotas, domains), its wire protocol and its
 * persistence.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <xen/io/xs_wire.h>

#include "xvm/le.h"
#include "xen/xs_store.h"
#include "t.h"

#define D1 "/local/domain/1"

/* Read as a string; "" on error. */
static char rbuf[8192];

static const char *
rd(struct xs_conn *c, uint32_t tx, const char *path)
{
	char *v;
	size_t n;

	rbuf[0] = '\0';
	if (xs_read(c, tx, path, &v, &n) == 0) {
		snprintf(rbuf, sizeof(rbuf), "%s", v);
		free(v);
	} else {
		snprintf(rbuf, sizeof(rbuf), "<err>");
	}
	return rbuf;
}

static int
wr(struct xs_conn *c, uint32_t tx, const char *path, const char *val)
{
	return xs_write(c, tx, path, val, strlen(val));
}

/* Children joined by ",". */
static const char *
dir(struct xs_conn *c, uint32_t tx, const char *path)
{
	struct xvm_strv v = XVM_STRV_INIT;
	char *j;

	if (xs_directory(c, tx, path, &v, NULL) != 0) {
		snprintf(rbuf, sizeof(rbuf), "<err>");
	} else {
		j = xvm_strv_join(&v, ",");
		snprintf(rbuf, sizeof(rbuf), "%s", j ? j : "");
		free(j);
	}
	xvm_strv_release(&v);
	return rbuf;
}

/* Perms as "n0,r1". */
static const char *
perms(struct xs_conn *c, const char *path)
{
	struct xs_perm *p;
	size_t n, i, o = 0;

	rbuf[0] = '\0';
	if (xs_get_perms(c, 0, path, &p, &n) != 0)
		return "<err>";
	for (i = 0; i < n; i++)
		o += (size_t)snprintf(rbuf + o, sizeof(rbuf) - o, "%s%c%u",
		    i ? "," : "", "nrwb"[p[i].perm], p[i].id);
	free(p);
	return rbuf;
}

static int
setp(struct xs_conn *c, const char *path, const char *spec)
{
	struct xs_perm p[16];
	size_t n = 0;
	const char *s = spec;
	char *end;

	while (*s && n < 16) {
		p[n].perm = (uint8_t)(strchr("nrwb", *s) - "nrwb");
		p[n].id = (uint32_t)strtoul(s + 1, &end, 10);
		n++;
		s = *end ? end + 1 : end;
	}
	return xs_set_perms(c, 0, path, p, n);
}

/* Pop all events as "path|token;..." */
static const char *
events(struct xs_conn *c)
{
	char *p, *t;
	size_t o = 0;

	rbuf[0] = '\0';
	while (xs_conn_event_pop(c, &p, &t) == 0) {
		o += (size_t)snprintf(rbuf + o, sizeof(rbuf) - o, "%s|%s;", p,
		    t);
		free(p);
		free(t);
	}
	return rbuf;
}

static void
test_fresh(void)
{
	struct xs_store *st = xs_store_new();
	struct xs_conn *c0 = xs_conn_new(st, 0);

	T_EQ(xs_store_nodes(st), 3, "fresh store has 3 nodes");
	T_STREQ(dir(c0, 0, "/"), "tool", "root lists tool");
	T_STREQ(dir(c0, 0, "/tool"), "xenstored", "/tool lists xenstored");
	T_STREQ(perms(c0, "/"), "n0", "root perms n0");
	T_STREQ(perms(c0, "/tool/xenstored"), "n0", "xenstored perms n0");
	T_OK(xs_store_domain(st, 0, NULL, NULL), "dom0 introduced at start");
	T_STREQ(rd(c0, 0, "/"), "", "root value empty");
	xs_conn_free(c0);
	xs_store_free(st);
}

static void
test_basic(void)
{
	struct xs_store *st = xs_store_new();
	struct xs_conn *c0 = xs_conn_new(st, 0), *c1 = xs_conn_new(st, 1);
	struct xs_conn *c2 = xs_conn_new(st, 2);
	char *v;
	size_t n;

	T_EQ(wr(c0, 0, D1 "/name", "vm1"), 0, "dom0 write creates parents");
	T_STREQ(rd(c0, 0, D1 "/name"), "vm1", "read back");
	T_STREQ(dir(c0, 0, "/local/domain"), "1", "parents created");
	T_STREQ(rd(c0, 0, D1), "", "created parent empty");
	T_STREQ(perms(c0, D1), "n0", "created parent inherits n0");
	T_EQ(xs_write(c0, 0, "/bin", "a\0b", 3), 0, "value with NUL");
	T_EQ(xs_read(c0, 0, "/bin", &v, &n), 0, "read binary");
	T_OK(n == 3 && memcmp(v, "a\0b", 3) == 0, "binary value intact");
	free(v);
	T_EQ(wr(c0, 0, "/bin", "longer value"), 0, "overwrite");
	T_STREQ(rd(c0, 0, "/bin"), "longer value", "overwritten");
	T_EQ(wr(c0, 0, "x", "rel"), 0, "dom0 relative write");
	T_STREQ(rd(c0, 0, "/local/domain/0/x"), "rel", "relative to dom0 home");
	T_EQ(xs_mkdir(c0, 0, "/a/b/c"), 0, "mkdir creates parents");
	T_EQ(xs_mkdir(c0, 0, "/a/b/c"), 0, "mkdir existing is fine");
	T_STREQ(dir(c0, 0, "/a/b"), "c", "mkdir node listed");
	T_EQ(xs_mkdir(c0, 0, "/a/b/d"), 0, "mkdir sibling");
	T_EQ(wr(c0, 0, "/a/b/c/e", "x"), 0, "write under");
	T_STREQ(dir(c0, 0, "/a/b"), "c,d", "children in creation order");
	T_EQ(xs_rm(c0, 0, "/a/b"), 0, "rm recursive");
	T_EQ(xs_read(c0, 0, "/a/b/c/e", &v, &n), ENOENT, "rm removed leaf");
	T_STREQ(dir(c0, 0, "/a"), "", "rm removed child entry");
	T_EQ(xs_rm(c0, 0, "/a/nothere"), 0, "rm absent, parent present: ok");
	T_EQ(xs_rm(c0, 0, "/a/no/there"), ENOENT, "rm absent parent: ENOENT");
	T_EQ(xs_rm(c0, 0, "/"), EINVAL, "rm / is EINVAL");
	T_EQ(xs_read(c0, 0, "/nope", &v, &n), ENOENT, "dom0 read absent");

	/* permissions */
	T_EQ(xs_read(c1, 0, D1 "/name", &v, &n), EACCES,
	    "domU reads dom0 node: EACCES");
	T_EQ(xs_read(c1, 0, "/tool/none", &v, &n), EACCES,
	    "absent under unreadable parent: EACCES");
	T_EQ(setp(c0, D1, "n0,r1"), 0, "dom0 set_perms roperm");
	T_STREQ(perms(c0, D1), "n0,r1", "perms set");
	T_STREQ(rd(c1, 0, D1), "", "domU reads its home");
	T_EQ(xs_read(c1, 0, D1 "/absent", &v, &n), ENOENT,
	    "absent under readable parent: ENOENT");
	T_EQ(xs_rm(c1, 0, D1 "/absent"), EACCES,
	    "rm absent under read-only parent: EACCES");
	T_EQ(wr(c1, 0, D1 "/foo", "x"), EACCES, "domU write under r: EACCES");
	T_EQ(xs_mkdir(c0, 0, D1 "/data"), 0, "mkdir data");
	T_EQ(setp(c0, D1 "/data", "n1"), 0, "data owned by domU");
	T_EQ(wr(c1, 0, "data/x", "1"), 0, "domU relative write");
	T_STREQ(rd(c0, 0, D1 "/data/x"), "1", "relative path landed");
	T_STREQ(perms(c0, D1 "/data/x"), "n1", "created node owned by domU");
	T_EQ(xs_read(c1, 0, "data/absent", &v, &n), ENOENT,
	    "absent under writable parent: ENOENT");
	T_EQ(wr(c0, 0, D1 "/data/y", "0"), 0, "dom0 writes in domU dir");
	T_STREQ(perms(c0, D1 "/data/y"), "n1", "dom0 creation inherits owner");
	T_EQ(setp(c1, "data/x", "n1,r2"), 0, "owner set_perms");
	T_STREQ(rd(c2, 0, D1 "/data/x"), "1", "dom2 reads with r2");
	T_EQ(wr(c2, 0, D1 "/data/x", "2"), EACCES, "dom2 cannot write");
	T_EQ(setp(c2, D1 "/data/x", "n2"), EACCES, "non-owner set_perms");
	T_EQ(setp(c1, "data/x", "n2"), EPERM, "domU cannot give away");
	T_EQ(setp(c0, D1 "/data/x", "n2,b1"), 0, "dom0 changes owner");
	T_STREQ(perms(c1, D1 "/data/x"), "n2,b1", "new owner");
	T_EQ(wr(c1, 0, D1 "/data/x", "3"), 0, "b1 may write");
	T_EQ(setp(c1, "data/x", "n1"), EACCES, "b is not owner");
	T_EQ(setp(c0, "/nope/x", "n0"), ENOENT, "set_perms absent");
	T_EQ(setp(c0, "@foo", "n0"), EINVAL, "set_perms bad special");
	T_EQ(setp(c1, "@releaseDomain", "n1"), EACCES,
	    "domU set_perms special");
	T_EQ(setp(c0, "@releaseDomain", "n0,r1"), 0, "dom0 special perms");
	T_EQ(xs_get_perms(c0, 0, "@releaseDomain", (struct xs_perm **)&v,
	    &n), EINVAL, "get_perms special: EINVAL");

	/* path validation */
	T_EQ(wr(c0, 0, "//a", "x"), EINVAL, "double slash");
	T_EQ(wr(c0, 0, "/a/", "x"), EINVAL, "trailing slash");
	T_EQ(wr(c0, 0, "/a b", "x"), EINVAL, "space");
	T_EQ(wr(c0, 0, "/a*", "x"), EINVAL, "star");
	T_EQ(wr(c0, 0, "", "x"), EINVAL, "empty relative");
	T_EQ(wr(c0, 0, "/A-z_0@9", "x"), 0, "all allowed chars");
	{
		char p[2100 + 20];

		p[0] = '/';
		memset(p + 1, 'a', 2047);
		p[2048] = '\0';
		T_EQ(wr(c0, 0, p, "x"), 0, "2048-char path ok");
		memset(p + 1, 'a', 2048);
		p[2049] = '\0';
		T_EQ(wr(c0, 0, p, "x"), EINVAL, "2049-char path too long");
		strcpy(p, D1 "/");
		memset(p + 16, 'b', 2048);
		p[16 + 2048] = '\0';
		T_EQ(wr(c0, 0, p, "x"), 0, "domain home prefix is free");
	}
	xs_conn_free(c0);
	xs_conn_free(c1);
	xs_conn_free(c2);
	xs_store_free(st);
}

static void
test_tx(void)
{
	struct xs_store *st = xs_store_new();
	struct xs_conn *a = xs_conn_new(st, 0), *b = xs_conn_new(st, 0);
	uint32_t t, t2, t3;
	char *v;
	size_t n;

	wr(a, 0, "/k", "0");
	T_EQ(xs_tx_start(a, 0, &t), 0, "tx start");
	T_EQ(t, 1, "first tx id is 1");
	T_EQ(xs_tx_start(a, t, &t2), EBUSY, "nested start: EBUSY");
	T_EQ(xs_tx_start(a, 99, &t2), ENOENT, "start with bad tx: ENOENT");
	T_EQ(wr(a, t, "/k", "1"), 0, "write in tx");
	T_STREQ(rd(a, t, "/k"), "1", "tx sees own write");
	T_STREQ(rd(b, 0, "/k"), "0", "others do not");
	T_EQ(wr(a, t, "/new/deep", "n"), 0, "create in tx");
	T_EQ(xs_read(b, 0, "/new/deep", &v, &n), ENOENT, "not visible yet");
	T_EQ(xs_tx_end(a, t, true), 0, "commit");
	T_STREQ(rd(b, 0, "/k"), "1", "committed write visible");
	T_STREQ(rd(b, 0, "/new/deep"), "n", "committed create visible");
	T_EQ(xs_tx_end(a, t, true), ENOENT, "end twice: ENOENT");
	T_EQ(xs_tx_end(a, 0, true), ENOENT, "end tx 0: ENOENT");
	T_EQ(wr(a, 42, "/k", "x"), ENOENT, "write with bad tx: ENOENT");

	/* isolation and conflict */
	T_EQ(xs_tx_start(a, 0, &t), 0, "tx 2");
	T_EQ(t, 2, "second tx id is 2");
	T_STREQ(rd(a, t, "/k"), "1", "tx reads");
	T_EQ(wr(b, 0, "/k", "other"), 0, "concurrent write");
	T_STREQ(rd(a, t, "/k"), "1", "tx does not see concurrent write");
	T_EQ(wr(a, t, "/k2", "x"), 0, "tx writes");
	T_EQ(xs_tx_end(a, t, true), EAGAIN, "conflict: EAGAIN");
	T_EQ(xs_read(b, 0, "/k2", &v, &n), ENOENT, "failed tx discarded");

	/* untouched concurrent writes do not conflict */
	T_EQ(xs_tx_start(a, 0, &t), 0, "tx 3");
	T_EQ(wr(a, t, "/k", "mine"), 0, "tx write");
	T_EQ(wr(b, 0, "/elsewhere", "x"), 0, "unrelated concurrent write");
	T_EQ(xs_tx_end(a, t, true), 0, "no conflict commit");
	T_STREQ(rd(b, 0, "/k"), "mine", "committed");

	/* abort */
	T_EQ(xs_tx_start(a, 0, &t), 0, "tx 4");
	T_EQ(xs_rm(a, t, "/new"), 0, "rm in tx");
	T_EQ(xs_read(a, t, "/new/deep", &v, &n), ENOENT, "gone in tx");
	T_STREQ(rd(b, 0, "/new/deep"), "n", "still there outside");
	T_EQ(xs_tx_end(a, t, false), 0, "abort");
	T_STREQ(rd(b, 0, "/new/deep"), "n", "abort discarded rm");

	/* rm + recreate committed */
	wr(b, 0, "/new/other", "o");
	T_EQ(xs_tx_start(a, 0, &t), 0, "tx 5");
	T_EQ(xs_tx_start(b, 0, &t2), 0, "tx on b");
	T_EQ(xs_tx_start(b, 0, &t3), 0, "second tx on b");
	T_OK(t2 != t3, "distinct tx ids");
	T_EQ(xs_rm(a, t, "/new"), 0, "rm in tx");
	T_EQ(wr(a, t, "/new/fresh", "f"), 0, "recreate in tx");
	T_EQ(xs_tx_end(a, t, true), 0, "commit rm+recreate");
	T_STREQ(dir(b, 0, "/new"), "fresh", "old children gone");
	T_EQ(wr(b, t2, "/new/fresh", "g"), 0, "b tx write");
	T_EQ(xs_tx_end(b, t2, true), EAGAIN, "b's snapshot is stale: EAGAIN");
	T_EQ(xs_tx_end(b, t3, false), 0, "b aborts the other");
	xs_conn_free(a);
	xs_conn_free(b);
	xs_store_free(st);
}

static void
test_watch(void)
{
	struct xs_store *st = xs_store_new();
	struct xs_conn *c0 = xs_conn_new(st, 0), *c1 = xs_conn_new(st, 1);
	uint32_t t;

	T_EQ(xs_watch(c0, "/w", "tok"), 0, "watch");
	T_STREQ(events(c0), "/w|tok;", "fires once at once");
	T_EQ(xs_watch(c0, "/w", "tok"), EEXIST, "duplicate watch: EEXIST");
	T_EQ(xs_watch(c0, "/w", "tok2"), 0, "same path other token");
	events(c0);
	T_EQ(wr(c0, 0, "/w/a/b", "x"), 0, "write descendant");
	T_STREQ(events(c0), "/w/a/b|tok;/w/a/b|tok2;", "descendant fires");
	T_EQ(wr(c0, 0, "/wx", "x"), 0, "write sibling prefix");
	T_STREQ(events(c0), "", "/wx is not under /w");
	T_EQ(xs_unwatch(c0, "/w", "tok2"), 0, "unwatch");
	T_EQ(xs_unwatch(c0, "/w", "tok2"), ENOENT, "unwatch twice");
	T_EQ(xs_watch(c0, "/w/a/b", "leaf"), 0, "watch leaf");
	events(c0);
	T_EQ(xs_rm(c0, 0, "/w/a"), 0, "rm subtree");
	T_STREQ(events(c0), "/w/a/b|leaf;/w/a|tok;",
	    "rm: exact on removed child, then the node");
	T_EQ(xs_mkdir(c0, 0, "/w/m"), 0, "mkdir");
	T_STREQ(events(c0), "/w/m|tok;", "mkdir fires");
	T_EQ(setp(c0, "/w/m", "n0,r1"), 0, "set_perms");
	T_STREQ(events(c0), "/w/m|tok;", "set_perms fires");
	T_EQ(xs_mkdir(c0, 0, "/w/m"), 0, "mkdir existing");
	T_STREQ(events(c0), "", "mkdir existing does not fire");

	/* relative and permission filtered */
	T_EQ(xs_watch(c1, "/w", "u"), 0, "domU watches dom0 path");
	T_STREQ(events(c1), "/w|u;", "initial event regardless of perms");
	T_EQ(wr(c0, 0, "/w/secret", "s"), 0, "dom0 writes n0 node");
	T_STREQ(events(c1), "", "domU not told of unreadable node");
	T_EQ(wr(c0, 0, "/w/m/pub", "p"), 0, "write readable node");
	T_STREQ(events(c1), "/w/m/pub|u;", "domU told of readable node");
	events(c0);
	wr(c0, 0, D1 "/data", "");
	setp(c0, D1 "/data", "n1");
	T_EQ(xs_watch(c1, "data", "rel"), 0, "relative watch");
	T_STREQ(events(c1), "data|rel;", "initial relative event");
	T_EQ(wr(c1, 0, "data/q", "1"), 0, "domU write");
	T_STREQ(events(c1), "data/q|rel;", "event path relative");
	T_STREQ(events(c0), "", "dom0 watches nothing there");

	/* transactions fire at commit */
	T_EQ(xs_tx_start(c0, 0, &t), 0, "tx");
	T_EQ(wr(c0, t, "/w/t", "1"), 0, "write in tx");
	T_STREQ(events(c0), "", "no event before commit");
	T_EQ(xs_tx_end(c0, t, true), 0, "commit");
	T_STREQ(events(c0), "/w/t|tok;", "event at commit");
	T_EQ(xs_tx_start(c0, 0, &t), 0, "tx");
	T_EQ(wr(c0, t, "/w/t", "2"), 0, "write in tx");
	T_EQ(xs_tx_end(c0, t, false), 0, "abort");
	T_STREQ(events(c0), "", "no event on abort");

	/* special watches */
	T_EQ(xs_watch(c0, "@introduceDomain", "i"), 0, "watch @introduce");
	T_EQ(xs_watch(c0, "@releaseDomain", "r"), 0, "watch @release");
	T_STREQ(events(c0), "@introduceDomain|i;@releaseDomain|r;",
	    "special initial events");
	T_EQ(xs_watch(c1, "@releaseDomain", "r1"), 0, "domU watch @release");
	events(c1);
	T_EQ(xs_introduce(c0, 1, 0x1234, 5), 0, "introduce 1");
	T_STREQ(events(c0), "@introduceDomain|i;", "@introduceDomain fired");
	T_EQ(xs_introduce(c0, 1, 0x1234, 5), 0, "introduce again");
	T_STREQ(events(c0), "", "re-introduce does not fire");
	T_EQ(xs_store_domain_shutdown(st, 1), 0, "shutdown");
	T_STREQ(events(c0), "@releaseDomain|r;", "shutdown fires release");
	T_EQ(xs_store_domain_shutdown(st, 1), 0, "shutdown again");
	T_STREQ(events(c0), "", "only once");
	T_EQ(xs_resume(c0, 1), 0, "resume");
	T_EQ(xs_store_domain_shutdown(st, 1), 0, "shutdown after resume");
	T_STREQ(events(c0), "@releaseDomain|r;", "fires again");
	T_EQ(xs_introduce(c0, 2, 1, 6), 0, "introduce 2");
	events(c0);
	T_EQ(xs_release(c0, 2), 0, "release 2");
	T_STREQ(events(c0), "@releaseDomain|r;", "release fires");
	T_STREQ(events(c1), "", "domU without perm not told");
	T_EQ(xs_reset_watches(c0), 0, "reset watches");
	T_EQ(wr(c0, 0, "/w/z", "1"), 0, "write");
	T_STREQ(events(c0), "", "no watches left");
	xs_conn_free(c0);
	xs_conn_free(c1);
	xs_store_free(st);
}

static void
test_domains(void)
{
	struct xs_store *st = xs_store_new();
	struct xs_conn *c0 = xs_conn_new(st, 0), *c1 = xs_conn_new(st, 1);
	struct xs_conn *c3 = xs_conn_new(st, 3);
	uint64_t gfn;
	uint32_t ev, t;
	char *p;
	bool b;

	T_EQ(xs_introduce(c1, 1, 1, 1), EACCES, "domU introduce: EACCES");
	T_EQ(xs_introduce(c0, 1, 77, 0), EINVAL, "evtchn 0: EINVAL");
	T_EQ(xs_introduce(c0, 1, 77, 9), 0, "introduce");
	T_OK(xs_store_domain(st, 1, &gfn, &ev) && gfn == 77 && ev == 9,
	    "gfn and evtchn recorded");
	T_EQ(xs_is_introduced(c0, 1, &b), 0, "is_introduced");
	T_OK(b, "1 is introduced");
	xs_is_introduced(c0, 5, &b);
	T_OK(!b, "5 is not");
	xs_is_introduced(c0, 0x7FF0, &b);
	T_OK(b, "DOMID_SELF is");
	T_EQ(xs_is_introduced(c1, 1, &b), EACCES, "domU asks: EACCES");
	p = xs_domain_path(7);
	T_STREQ(p, "/local/domain/7", "domain path");
	free(p);
	T_EQ(xs_release(c0, 0), EINVAL, "release 0: EINVAL");
	T_EQ(xs_release(c0, 5), ENOENT, "release unknown: ENOENT");
	T_EQ(xs_resume(c0, 5), ENOENT, "resume unknown: ENOENT");
	T_EQ(xs_set_target(c0, 3, 1), ENOENT, "target needs both");
	T_EQ(xs_introduce(c0, 3, 1, 3), 0, "introduce 3");
	wr(c0, 0, D1 "/priv", "p");
	setp(c0, D1 "/priv", "n1");
	T_EQ(xs_read(c3, 0, D1 "/priv", &p, &gfn), EACCES, "3 cannot read");
	T_EQ(xs_set_target(c0, 3, 1), 0, "set_target 3 -> 1");
	T_STREQ(rd(c3, 0, D1 "/priv"), "p", "target's nodes readable");
	T_EQ(wr(c3, 0, D1 "/priv", "q"), 0, "and writable");

	/* release removes owned nodes and resets the connection */
	T_EQ(wr(c1, 0, D1 "/priv/own", "o"), 0, "domU creates");
	T_EQ(xs_watch(c1, D1, "w"), 0, "domU watch");
	T_EQ(xs_tx_start(c1, 0, &t), 0, "domU tx");
	T_EQ(xs_release(c0, 1), 0, "release 1");
	T_EQ(xs_read(c0, 0, D1 "/priv", &p, &gfn), ENOENT,
	    "owned node removed");
	T_STREQ(rd(c0, 0, D1), "", "dom0-owned parent kept");
	T_EQ(xs_tx_end(c1, t, true), ENOENT, "domU tx dropped");
	T_OK(!xs_store_domain(st, 1, NULL, NULL), "1 gone");
	xs_conn_free(c0);
	xs_conn_free(c1);
	xs_conn_free(c3);
	xs_store_free(st);
}

static void
test_quota(void)
{
	struct xs_store *st = xs_store_new();
	struct xs_conn *c0 = xs_conn_new(st, 0), *c1 = xs_conn_new(st, 1);
	struct xs_quota *q = xs_store_quota(st);
	struct xs_perm p[7];
	char big[2100], path[64];
	uint32_t t;
	int i, err = 0;

	T_EQ(q->entries, 1000, "default entries 1000");
	T_EQ(q->entry_size, 2048, "default node size 2048");
	T_EQ(q->watches, 128, "default watches 128");
	T_EQ(q->transactions, 10, "default transactions 10");
	wr(c0, 0, D1 "/data", "");
	setp(c0, D1 "/data", "n1");
	q->entries = 50;
	for (i = 0; i < 49 && !err; i++) {
		snprintf(path, sizeof(path), "data/n%d", i);
		err = wr(c1, 0, path, "");
	}
	T_EQ(err, 0, "49 more nodes fit (50 owned)");
	T_EQ(wr(c1, 0, "data/over", ""), ENOSPC, "51st node: ENOSPC");
	T_EQ(xs_tx_start(c1, 0, &t), 0, "tx at quota");
	T_EQ(xs_rm(c1, t, "data/n5"), 0, "rm in tx");
	T_EQ(wr(c1, t, "data/n5x", ""), 0, "create in tx");
	T_EQ(xs_tx_end(c1, t, true), ENOSPC,
	    "commit reaching the quota: ENOSPC (xenstored's >=)");
	T_EQ(wr(c0, 0, D1 "/data/dom0", ""), 0, "dom0 is not limited");
	T_EQ(xs_rm(c1, 0, "data/n0"), 0, "free one");
	T_EQ(xs_rm(c1, 0, "data/n1"), 0, "free two");
	T_EQ(xs_rm(c1, 0, "data/n2"), 0, "free three (dom0's node counts)");
	T_EQ(wr(c1, 0, "data/a/b", ""), 0, "two new nodes fit");
	T_EQ(wr(c1, 0, "data/a/c", ""), ENOSPC, "then full again");
	xs_rm(c0, 0, D1 "/data");
	wr(c0, 0, D1 "/data", "");
	setp(c0, D1 "/data", "n1");
	memset(big, 'v', sizeof(big));
	T_EQ(xs_write(c1, 0, "data/big", big, 2048 - 24 - 8), ENOSPC,
	    "record of 2048 bytes: ENOSPC");
	T_EQ(xs_write(c1, 0, "data/big", big, 2048 - 24 - 8 - 1), 0,
	    "2047 bytes fit");
	T_EQ(xs_write(c0, 0, D1 "/data/big0", big, 2100), 0,
	    "dom0 writes big values");
	for (i = 0; i < 7; i++) {
		p[i].id = 1;
		p[i].perm = 1;
	}
	T_EQ(wr(c1, 0, "data/small", ""), 0, "small node");
	T_EQ(xs_set_perms(c1, 0, "data/small", p, 6), ENOSPC,
	    "6 perms: ENOSPC");
	T_EQ(xs_set_perms(c1, 0, "data/small", p, 5), 0, "5 perms ok");
	T_EQ(xs_set_perms(c1, 0, "data/big", p, 5), ENOSPC,
	    "perms growing a node past 2048: ENOSPC");
	q->entries = 1000;
	for (i = 0, err = 0; i < 500 && !err; i++) {
		snprintf(path, sizeof(path), "data/dir/child%d", i);
		err = wr(c1, 0, path, "");
	}
	T_EQ(err, ENOSPC, "parent's child list counts in its size");
	T_OK(i > 100 && i < 300, "after ~200 children");
	q->watches = 2;
	for (i = 0, err = 0; i < 3 && !err; i++) {
		snprintf(path, sizeof(path), "/w%d", i);
		err = xs_watch(c1, path, "t");
	}
	T_EQ(err, 0, "quota+1 watches (xenstored checks >)");
	T_EQ(xs_watch(c1, "/w9", "t"), E2BIG, "then E2BIG");
	T_EQ(xs_watch(c0, "/w9", "t"), 0, "dom0 unlimited watches");
	q->transactions = 1;
	T_EQ(xs_tx_start(c1, 0, &t), 0, "tx 1");
	T_EQ(xs_tx_start(c1, 0, &t), 0, "tx 2 (quota+1)");
	T_EQ(xs_tx_start(c1, 0, &t), ENOSPC, "tx 3: ENOSPC");
	xs_conn_free(c0);
	xs_conn_free(c1);
	xs_store_free(st);
}

/* ---- wire ------------------------------------------------------------ */

static struct xs_wire_msg wm;
static struct xvm_buf wreply;
static uint32_t wreq_id;

/* Send one request, return the reply's errno (0 ok); payload in wm. */
static int
req(struct xs_conn *c, uint32_t type, uint32_t tx, const void *payload,
    size_t len)
{
	struct xvm_buf b = XVM_BUF_INIT;
	size_t ml;

	xvm_buf_reset(&wreply);
	xs_wire_request(&b, type, ++wreq_id, tx, payload, len);
	if (xs_wire_frame(b.data, b.len, &ml) != 1 || ml != b.len ||
	    xs_wire_handle(c, b.data, b.len, &wreply) != 0 ||
	    xs_wire_frame(wreply.data, wreply.len, &ml) != 1 ||
	    ml != wreply.len ||
	    xs_wire_decode(wreply.data, wreply.len, &wm) != 0 ||
	    wm.req_id != wreq_id || wm.tx_id != tx ||
	    (wm.type != type && wm.type != XS_ERROR)) {
		xvm_buf_release(&b);
		return -1;
	}
	xvm_buf_release(&b);
	return wm.err;
}

static int
reqs(struct xs_conn *c, uint32_t type, uint32_t tx, const char *s)
{
	return req(c, type, tx, s, strlen(s) + 1);
}

static bool
is_payload(const char *want, size_t len)
{
	return wm.len == len && memcmp(wm.payload, want, len) == 0;
}

static void
test_wire(void)
{
	struct xs_store *st = xs_store_new();
	struct xs_conn *c0 = xs_conn_new(st, 0), *c1 = xs_conn_new(st, 1);
	struct xvm_buf b = XVM_BUF_INIT, ev = XVM_BUF_INIT;
	const char *strs[3], *path, *tok;
	struct xs_wire_msg m;
	char tid[16], big[5000];
	size_t ml, i;
	int r;

	T_STREQ(xs_errno_name(ENOENT), "ENOENT", "errno name");
	T_EQ(xs_errno_from_name("EAGAIN"), EAGAIN, "errno from name");
	T_STREQ(xs_errno_name(EFAULT), "EINVAL", "untranslatable -> EINVAL");

	strs[0] = "/x";
	xs_wire_request_strs(&b, XS_WRITE, 1, 0, strs, 1, "val", 3);
	T_EQ(b.len, 16 + 6, "write request length");
	T_EQ(xs_wire_frame(b.data, 10, &ml), 0, "partial header: wait");
	T_EQ(xs_wire_frame(b.data, 20, &ml), 0, "partial payload: wait");
	xvm_buf_add(&b, b.data, 8);
	T_EQ(xs_wire_frame(b.data, b.len, &ml), 1, "complete + more");
	T_EQ(ml, 22, "message length");
	T_EQ(xs_wire_handle(c0, b.data, ml, &wreply), 0, "handled");
	T_EQ(xs_wire_decode(wreply.data, wreply.len, &wm), 0, "decoded");
	T_OK(wm.type == XS_WRITE && is_payload("OK", 3), "write acked OK");
	T_EQ(xs_wire_handle(c0, b.data, ml - 1, &wreply), -1,
	    "length mismatch: -1");
	xvm_buf_reset(&b);
	xs_wire_request(&b, XS_WRITE, 1, 0, NULL, 0);
	((uint32_t *)(void *)b.data)[3] = XENSTORE_PAYLOAD_MAX + 1;
	T_EQ(xs_wire_frame(b.data, b.len, &ml), -1, "oversize: close");
	((uint32_t *)(void *)b.data)[3] = XENSTORE_PAYLOAD_MAX;
	T_EQ(xs_wire_frame(b.data, b.len, &ml), 0, "max size: wait");

	T_EQ(reqs(c0, XS_READ, 0, "/x"), 0, "READ");
	T_OK(is_payload("val", 3), "READ value without NUL");
	T_EQ(reqs(c0, XS_READ, 0, "/nope"), ENOENT, "READ absent: ENOENT");
	T_OK(is_payload("ENOENT", 7), "error payload is the name");
	T_EQ(req(c0, XS_READ, 0, "/x\0/y", 6), EINVAL, "READ two args");
	T_EQ(req(c0, XS_READ, 0, "/x", 2), EINVAL, "READ without NUL");
	T_EQ(req(c0, XS_WRITE, 0, "/x", 2), EINVAL, "WRITE without NUL");
	T_EQ(req(c0, XS_WRITE, 0, "/e\0", 3), 0, "WRITE empty value");
	T_EQ(reqs(c0, XS_MKDIR, 0, "/d/e"), 0, "MKDIR");
	T_OK(is_payload("OK", 3), "MKDIR OK");
	T_EQ(reqs(c0, XS_DIRECTORY, 0, "/d"), 0, "DIRECTORY");
	T_OK(is_payload("e", 2), "DIRECTORY payload");
	T_EQ(reqs(c0, XS_DIRECTORY, 0, "/d/e"), 0, "DIRECTORY empty");
	T_EQ(wm.len, 0, "empty list, empty payload");
	T_EQ(req(c0, XS_DIRECTORY_PART, 0, "/d\0" "0", 5), 0,
	    "DIRECTORY_PART");
	snprintf(tid, sizeof(tid), "%s", wm.payload);
	T_OK(wm.len == strlen(tid) + 1 + 3 &&
	    memcmp(wm.payload + strlen(tid) + 1, "e\0", 3) == 0,
	    "DIRECTORY_PART: gen, child, end mark");
	T_EQ(req(c0, XS_DIRECTORY_PART, 0, "/d\0" "9", 5), 0,
	    "DIRECTORY_PART past end");
	T_EQ(wm.len, strlen(tid) + 2, "past end: gen and empty string");
	T_EQ(reqs(c0, XS_DIRECTORY_PART, 0, "/d"), EINVAL,
	    "DIRECTORY_PART one arg");
	for (i = 0; i < 300; i++) {
		snprintf(big, sizeof(big), "/many/child-number-%03zu", i);
		xs_mkdir(c0, 0, big);
	}
	T_EQ(reqs(c0, XS_DIRECTORY, 0, "/many"), E2BIG,
	    "DIRECTORY over payload max: E2BIG");
	{
		size_t off = 0, total = 0, parts = 0, gl;
		char offs[32];
		bool done = false;

		while (!done && parts < 10) {
			snprintf(offs, sizeof(offs), "/many%c%zu", '\0', off);
			if (req(c0, XS_DIRECTORY_PART, 0, offs,
			    strlen(offs) + 1 + strlen(offs + 6) + 1) != 0)
				break;
			gl = strlen(wm.payload) + 1;
			parts++;
			for (i = gl; i < wm.len; i += strlen(wm.payload + i) + 1) {
				if (wm.payload[i] == '\0') {
					done = true;
					break;
				}
				total++;
				off += strlen(wm.payload + i) + 1;
			}
		}
		T_OK(done && parts == 2, "DIRECTORY_PART in two parts");
		T_EQ(total, 300, "all 300 children listed");
	}
	T_EQ(reqs(c0, XS_RM, 0, "/d"), 0, "RM");
	T_EQ(reqs(c0, XS_GET_PERMS, 0, "/x"), 0, "GET_PERMS");
	T_OK(is_payload("n0", 3), "GET_PERMS payload");
	T_EQ(req(c0, XS_SET_PERMS, 0, "/x\0n0\0r1\0b2\0w0x10", 18), 0,
	    "SET_PERMS");
	T_EQ(reqs(c0, XS_GET_PERMS, 0, "/x"), 0, "GET_PERMS again");
	T_OK(is_payload("n0\0r1\0b2\0w16", 13), "perms with hex domid");
	T_EQ(req(c0, XS_SET_PERMS, 0, "/x\0x1", 6), EINVAL, "bad letter");
	T_EQ(req(c0, XS_SET_PERMS, 0, "/x\0r", 5), EINVAL, "no domid");
	T_EQ(req(c0, XS_SET_PERMS, 0, "/x\0r1z", 7), EINVAL, "junk domid");
	T_EQ(reqs(c0, XS_SET_PERMS, 0, "/x"), EINVAL, "no perms");
	T_EQ(req(c1, XS_SET_PERMS, 0, "/x\0r1\0r1\0r1\0r1\0r1\0r1", 21),
	    ENOSPC, "domU 6 perms: ENOSPC");

	T_EQ(req(c0, XS_WATCH, 0, "/x\0tk", 6), 0, "WATCH");
	T_EQ(xs_wire_event(c0, &ev), 1, "event encoded");
	T_EQ(xs_wire_decode(ev.data, ev.len, &m), 0, "event decodes");
	T_EQ(xs_wire_decode_event(&m, &path, &tok), 0, "event splits");
	T_OK(m.type == XS_WATCH_EVENT && m.req_id == 0 &&
	    strcmp(path, "/x") == 0 && strcmp(tok, "tk") == 0,
	    "event is /x tk");
	T_EQ(xs_wire_event(c0, &ev), 0, "no more events");
	T_EQ(req(c0, XS_WATCH, 0, "/x\0tk", 6), EEXIST, "WATCH dup");
	T_EQ(req(c0, XS_WATCH, 0, "/x\0tk\0" "1", 8), EINVAL,
	    "WATCH with depth (not in 4.17)");
	T_EQ(req(c0, XS_WATCH, 7, "/x\0tk2", 7), 0, "WATCH ignores tx_id");
	T_EQ(req(c0, XS_UNWATCH, 0, "/x\0tk2", 7), 0, "UNWATCH");
	T_EQ(req(c0, XS_UNWATCH, 0, "/x\0tk2", 7), ENOENT, "UNWATCH again");
	T_EQ(req(c0, XS_TRANSACTION_START, 0, "", 1), 0, "TRANSACTION_START");
	snprintf(tid, sizeof(tid), "%s", wm.payload);
	T_STREQ(tid, "1", "tx id 1");
	T_EQ(wm.len, 2, "id with NUL");
	T_EQ(req(c0, XS_WRITE, 1, "/x\0in-tx", 8), 0, "WRITE in tx");
	T_EQ(req(c0, XS_TRANSACTION_START, 1, "", 1), EBUSY, "start in tx");
	T_EQ(reqs(c0, XS_TRANSACTION_END, 1, "X"), EINVAL, "END bad arg");
	T_EQ(reqs(c0, XS_TRANSACTION_END, 9, "T"), ENOENT, "END bad tx");
	T_EQ(reqs(c0, XS_TRANSACTION_END, 0, "T"), ENOENT, "END tx 0");
	T_EQ(reqs(c0, XS_TRANSACTION_END, 1, "T"), 0, "END commit");
	T_EQ(reqs(c0, XS_READ, 0, "/x"), 0, "read committed");
	T_OK(is_payload("in-tx", 5), "committed over the wire");
	T_EQ(req(c0, XS_INTRODUCE, 0, "4\0" "100\0" "7", 8), 0, "INTRODUCE");
	T_EQ(req(c0, XS_INTRODUCE, 0, "4\0" "100", 6), EINVAL,
	    "INTRODUCE 2 args");
	T_EQ(req(c1, XS_INTRODUCE, 0, "4\0" "100\0" "7", 8), EACCES,
	    "INTRODUCE from domU");
	T_EQ(reqs(c0, XS_IS_DOMAIN_INTRODUCED, 0, "4"), 0, "IS_INTRODUCED");
	T_OK(is_payload("T", 2), "T");
	T_EQ(reqs(c0, XS_IS_DOMAIN_INTRODUCED, 0, "5"), 0, "IS_INTRODUCED 5");
	T_OK(is_payload("F", 2), "F");
	T_EQ(reqs(c0, XS_GET_DOMAIN_PATH, 0, "4"), 0, "GET_DOMAIN_PATH");
	T_OK(is_payload("/local/domain/4", 16), "domain path");
	T_EQ(reqs(c1, XS_GET_DOMAIN_PATH, 0, "9"), 0, "domU GET_DOMAIN_PATH");
	T_EQ(req(c0, XS_SET_TARGET, 0, "4\0" "0", 4), 0, "SET_TARGET");
	T_EQ(reqs(c0, XS_RESUME, 0, "4"), 0, "RESUME");
	T_EQ(reqs(c0, XS_RELEASE, 0, "4"), 0, "RELEASE");
	T_EQ(reqs(c0, XS_RELEASE, 0, "4"), ENOENT, "RELEASE again");
	T_EQ(reqs(c0, XS_RELEASE, 0, "0"), EINVAL, "RELEASE 0");
	T_EQ(req(c0, XS_RESET_WATCHES, 0, "", 1), 0, "RESET_WATCHES");
	T_EQ(reqs(c0, XS_CONTROL, 0, "check"), 0, "CONTROL check");
	T_OK(is_payload("OK", 3), "CONTROL check OK");
	T_EQ(reqs(c0, XS_CONTROL, 0, "help"), 0, "CONTROL help");
	T_OK(wm.len > 10 && wm.payload[wm.len - 1] == '\0', "help text");
	T_EQ(req(c0, XS_CONTROL, 0, "print\0hi", 9), 0, "CONTROL print");
	T_EQ(reqs(c0, XS_CONTROL, 0, "live-update"), EINVAL,
	    "CONTROL unknown: EINVAL");
	T_EQ(reqs(c1, XS_CONTROL, 0, "check"), EACCES, "CONTROL domU");
	T_EQ(reqs(c0, XS_WATCH_EVENT, 0, "x"), ENOSYS, "WATCH_EVENT: ENOSYS");
	T_EQ(reqs(c0, XS_ERROR, 0, "x"), ENOSYS, "ERROR: ENOSYS");
	T_EQ(reqs(c0, 20, 0, "x"), ENOSYS, "removed RESTRICT: ENOSYS");
	T_EQ(reqs(c0, 999, 0, "x"), ENOSYS, "unknown type: ENOSYS");
	T_EQ(reqs(c0, XS_GET_DOMAIN_PATH, 5, "4"), ENOENT,
	    "bad tx_id on GET_DOMAIN_PATH: ENOENT");
	memset(big, 'a', sizeof(big));
	big[0] = '/';
	big[4000] = '\0';
	r = req(c0, XS_WRITE, 0, big, 4096);
	T_EQ(r, EINVAL, "4096-byte payload served (path too long)");

	/* a stream split into single bytes */
	{
		struct xvm_buf s = XVM_BUF_INIT, in = XVM_BUF_INIT;
		size_t pos, done = 0, got = 0;

		strs[0] = "/s";
		xs_wire_request_strs(&s, XS_WRITE, 1, 0, strs, 1, "1", 1);
		xs_wire_request_strs(&s, XS_READ, 2, 0, strs, 1, NULL, 0);
		xs_wire_request_strs(&s, XS_RM, 3, 0, strs, 1, NULL, 0);
		xvm_buf_reset(&wreply);
		for (pos = 0; pos < s.len; pos++) {
			xvm_buf_add(&in, s.data + pos, 1);
			while (xs_wire_frame(in.data + done, in.len - done,
			    &ml) == 1) {
				xs_wire_handle(c0, in.data + done, ml, &wreply);
				done += ml;
				got++;
			}
		}
		T_EQ(got, 3, "three messages from a byte-wise stream");
		T_EQ(done, s.len, "all bytes consumed");
		pos = 0;
		for (i = 0; i < 3; i++) {
			xs_wire_frame(wreply.data + pos, wreply.len - pos, &ml);
			xs_wire_decode(wreply.data + pos, ml, &m);
			T_EQ(m.req_id, i + 1, "replies in order");
			pos += ml;
		}
		xvm_buf_release(&s);
		xvm_buf_release(&in);
	}
	xvm_buf_release(&b);
	xvm_buf_release(&ev);
	xvm_buf_release(&wreply);
	xs_conn_free(c0);
	xs_conn_free(c1);
	xs_store_free(st);
}

/* ---- persistence ------------------------------------------------------ */

static void
test_persist(void)
{
	struct xs_store *st = xs_store_new(), *st2;
	struct xs_conn *c0 = xs_conn_new(st, 0);
	struct xvm_buf b = XVM_BUF_INIT, b2 = XVM_BUF_INIT;
	struct xvm_err err;
	size_t i, bad = 0, flipbad = 0;
	char *copy;

	wr(c0, 0, D1 "/name", "vm1");
	xs_write(c0, 0, "/bin", "\0\1\2", 3);
	setp(c0, D1, "n0,r1");
	xs_introduce(c0, 1, 0xfeedULL, 3);
	xs_set_target(c0, 0, 1);
	xs_store_domain_shutdown(st, 1);
	setp(c0, "@introduceDomain", "n0,r1");
	xs_store_save(st, &b);
	T_OK(b.len > 16 && memcmp(b.data, "XVMXSTOR", 8) == 0, "magic");
	xvm_err_clear(&err);
	st2 = xs_store_load(b.data, b.len, &err);
	T_OK(st2 != NULL, "load");
	T_OK(st2 && xs_store_equal(st, st2), "round trip equal");
	if (st2) {
		xs_store_save(st2, &b2);
		T_OK(b2.len == b.len && memcmp(b.data, b2.data, b.len) == 0,
		    "save(load(save)) identical bytes");
		T_EQ(xs_store_generation(st2), xs_store_generation(st),
		    "generation kept");
	}
	xs_store_free(st2);
	wr(c0, 0, "/more", "x");
	st2 = xs_store_load(b.data, b.len, &err);
	T_OK(st2 && !xs_store_equal(st, st2), "changed store differs");
	xs_store_free(st2);

	for (i = 0; i < b.len; i++) {
		xvm_err_clear(&err);
		st2 = xs_store_load(b.data, i, &err);
		if (st2 || err.code == XVM_ERR_OK)
			bad++;
		xs_store_free(st2);
	}
	T_EQ(bad, 0, "every truncation fails with an error");
	copy = xvm_malloc(b.len);
	for (i = 0; i < b.len; i++) {
		memcpy(copy, b.data, b.len);
		copy[i] ^= 0x5a;
		xvm_err_clear(&err);
		st2 = xs_store_load(copy, b.len, &err);
		if (st2 || err.code == XVM_ERR_OK)
			flipbad++;
		xs_store_free(st2);
	}
	T_EQ(flipbad, 0, "every flipped byte fails with an error");
	memcpy(copy, b.data, b.len);
	copy[0] = 'Y';
	st2 = xs_store_load(copy, b.len, &err);
	T_OK(!st2 && strstr(err.msg, "bad magic"), "bad magic message");
	memcpy(copy, b.data, b.len);
	copy[b.len - 1] ^= 1;
	st2 = xs_store_load(copy, b.len, &err);
	T_OK(!st2 && strstr(err.msg, "checksum"), "bad checksum message");
	free(copy);
	xvm_buf_release(&b);
	xvm_buf_release(&b2);
	xs_conn_free(c0);
	xs_store_free(st);
}

/* Hand-built images: structure errors behind a valid checksum. */
static uint32_t
crc(const unsigned char *p, size_t len)
{
	uint32_t c = 0xffffffffu;
	int k;

	while (len--) {
		c ^= *p++;
		for (k = 0; k < 8; k++)
			c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1u)));
	}
	return ~c;
}

static void
u32(struct xvm_buf *b, uint32_t v)
{
	unsigned char c[4] = { (unsigned char)v, (unsigned char)(v >> 8),
	    (unsigned char)(v >> 16), (unsigned char)(v >> 24) };

	xvm_buf_add(b, c, 4);
}

static void
node(struct xvm_buf *b, const char *path, uint64_t gen)
{
	u32(b, (uint32_t)strlen(path));
	xvm_buf_add(b, path, strlen(path));
	u32(b, (uint32_t)gen);
	u32(b, 0);
	u32(b, 1);
	u32(b, 0);
	xvm_buf_putc(b, 0);
	u32(b, 0);
}

static const char *
load_image(const char *const *paths, size_t n, uint64_t gen)
{
	static char msg[1024];
	struct xvm_buf b = XVM_BUF_INIT;
	struct xs_store *st;
	struct xvm_err err;
	size_t i;

	xvm_buf_add(&b, "XVMXSTOR", 8);
	u32(&b, 1);
	u32(&b, (uint32_t)gen);
	u32(&b, 0);
	u32(&b, (uint32_t)n);
	for (i = 0; i < n; i++)
		node(&b, paths[i], 1);
	u32(&b, 0);
	for (i = 0; i < 2; i++) {
		u32(&b, 1);
		u32(&b, 0);
		xvm_buf_putc(&b, 0);
	}
	u32(&b, crc((const unsigned char *)b.data, b.len));
	xvm_err_clear(&err);
	st = xs_store_load(b.data, b.len, &err);
	snprintf(msg, sizeof(msg), "%s", st ? "ok" : err.msg);
	xs_store_free(st);
	xvm_buf_release(&b);
	return msg;
}

static void
test_persist_structure(void)
{
	const char *good[] = { "/", "/a", "/a/b" };
	const char *dup[] = { "/", "/a", "/a" };
	const char *orphan[] = { "/", "/a/b" };
	const char *noroot[] = { "/a" };
	const char *badpath[] = { "/", "/a//b" };
	const char *badch[] = { "/", "/a b" };

	T_STREQ(load_image(good, 3, 5), "ok", "hand-built image loads");
	T_STREQ(load_image(dup, 3, 5), "xenstore state: duplicate node",
	    "duplicate node");
	T_STREQ(load_image(orphan, 2, 5),
	    "xenstore state: node without parent", "missing parent");
	T_STREQ(load_image(noroot, 1, 5),
	    "xenstore state: first node is not \"/\"", "no root");
	T_STREQ(load_image(badpath, 2, 5), "xenstore state: bad node path",
	    "bad path");
	T_STREQ(load_image(badch, 2, 5), "xenstore state: bad node path",
	    "bad char");
	T_STREQ(load_image(good, 3, 0),
	    "xenstore state: node generation beyond the store's",
	    "generation beyond store");
}

/* ---- deltas (incremental persistence) --------------------------------- */

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static unsigned
rnd(unsigned n)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (unsigned)(rng_state % n);
}

static const char *const dpaths[] = {
	"/a", "/a/b", "/a/b/c", "/a/d", "/e", "/e/f/g", "/local/domain/5",
	"/local/domain/5/x", "/local/domain/5/y/z", "/local/domain/6/w",
	"/vm/u/name",
};

struct fired {
	struct xvm_strv v;
};

static void
collect(void *arg, const char *path)
{
	xvm_strv_push(&((struct fired *)arg)->v, path);
}

/* One random change through a dom0 or a domain-5 connection. */
static void
random_op(struct xs_store *st, struct xs_conn *c0, struct xs_conn *c5,
    uint32_t *tx0)
{
	struct xs_conn *c = rnd(4) ? c0 : c5;
	const char *p = dpaths[rnd(XVM_ARRAY_SIZE(dpaths))];
	uint32_t tx = (c == c0) ? *tx0 : 0;
	char val[32];

	switch (rnd(12)) {
	case 0: case 1: case 2: case 3:
		snprintf(val, sizeof(val), "v%u", rnd(5));
		(void)wr(c, tx, p, val);
		break;
	case 4:
		(void)xs_mkdir(c, tx, p);
		break;
	case 5: case 6:
		(void)xs_rm(c, tx, p);
		break;
	case 7:
		(void)setp(c, p, rnd(2) ? "n0,r5" : "b5,w6");
		break;
	case 8:
		if (*tx0 == 0)
			(void)xs_tx_start(c0, 0, tx0);
		else {
			(void)xs_tx_end(c0, *tx0, rnd(3) != 0);
			*tx0 = 0;
		}
		break;
	case 9:
		switch (rnd(5)) {
		case 0: (void)xs_introduce(c0, 5 + rnd(2), rnd(9), 1 + rnd(3));
			break;
		case 1: (void)xs_release(c0, 5 + rnd(2)); break;
		case 2: (void)xs_resume(c0, 5 + rnd(2)); break;
		case 3: (void)xs_set_target(c0, 6, 5); break;
		default: (void)xs_store_domain_shutdown(st, 5 + rnd(2));
		}
		break;
	case 10:
		(void)setp(c0, rnd(2) ? "@introduceDomain" : "@releaseDomain",
		    rnd(2) ? "n0,r5" : "n0");
		break;
	default:
		(void)wr(c0, 0, "/local/domain/5/bulk", "0123456789");
	}
}

static void
test_delta_random(void)
{
	struct xs_store *a = xs_store_new(), *b;
	struct xs_conn *c0 = xs_conn_new(a, 0), *c5;
	struct xvm_buf img = XVM_BUF_INIT, d = XVM_BUF_INIT;
	struct xvm_err err;
	size_t step, rounds = 0, unequal = 0, failed = 0, bytes = 0;
	uint32_t tx0 = 0;
	unsigned k;

	xs_introduce(c0, 5, 1, 1);
	c5 = xs_conn_new(a, 5);
	wr(c0, 0, "/local/domain/5/x", "base");
	setp(c0, "/local/domain/5", "n5");
	xs_store_save(a, &img);
	xvm_err_clear(&err);
	b = xs_store_load(img.data, img.len, &err);
	xs_store_journal(a, true);
	for (step = 0; b && step < 4000; step += k) {
		for (k = 1 + rnd(6); k > 0; k--)
			random_op(a, c0, c5, &tx0);
		k = 1;
		xvm_buf_reset(&d);
		xs_store_delta(a, &d);
		bytes += d.len;
		xvm_err_clear(&err);
		if (xs_store_apply(b, d.data, d.len, NULL, NULL, &err) != 0)
			failed++;
		else if (!xs_store_equal(a, b))
			unequal++;
		rounds++;
	}
	T_OK(b != NULL, "delta base loads");
	T_OK(rounds > 500, "delta: many rounds of random changes");
	T_EQ(failed, 0, "delta: every delta applies");
	T_EQ(unequal, 0, "delta: the replica equals the store after every "
	    "delta (nodes, order, perms, generations, domains, specials)");
	T_OK(bytes / (rounds ? rounds : 1) < 400, "delta: small records");
	xvm_buf_release(&img);
	xvm_buf_release(&d);
	xs_conn_free(c5);
	xs_conn_free(c0);
	xs_store_free(a);
	xs_store_free(b);
}

static void
test_delta_events(void)
{
	struct xs_store *a = xs_store_new(), *b, *b2;
	struct xs_conn *c0 = xs_conn_new(a, 0);
	struct xvm_buf img = XVM_BUF_INIT, d = XVM_BUF_INIT;
	struct fired f = { XVM_STRV_INIT };
	struct xvm_err err;
	char *j;
	size_t i, bad = 0;

	wr(c0, 0, "/t/old/x", "1");
	wr(c0, 0, "/t/keep", "k");
	xs_store_save(a, &img);
	b = xs_store_load(img.data, img.len, &err);
	xs_store_journal(a, true);
	xvm_buf_reset(&d);
	xs_store_delta(a, &d);
	T_OK(xs_store_apply(b, d.data, d.len, collect, &f, &err) == 0 &&
	    f.v.n == 0, "an empty delta fires nothing");
	wr(c0, 0, "/t/new", "n");
	wr(c0, 0, "/t/keep", "k");
	xs_rm(c0, 0, "/t/old");
	xs_introduce(c0, 7, 0, 1);
	wr(c0, 0, "/t/gone", "g");
	xs_rm(c0, 0, "/t/gone");
	xvm_buf_reset(&d);
	xs_store_delta(a, &d);
	T_OK(xs_store_apply(b, d.data, d.len, collect, &f, &err) == 0,
	    "delta applies");
	T_OK(xs_store_equal(a, b), "replica equal");
	j = xvm_strv_join(&f.v, ",");
	T_STREQ(j, "/t/new,/t/keep,/t/old/x,/t/old,@introduceDomain",
	    "events: written, rewritten, removed subtree deepest first, "
	    "introduced; not the parent whose children changed, not a node "
	    "made and removed between deltas");
	free(j);
	xvm_strv_release(&f.v);
	xs_release(c0, 7);
	xvm_buf_reset(&d);
	xs_store_delta(a, &d);
	T_OK(xs_store_apply(b, d.data, d.len, collect, &f, &err) == 0 &&
	    f.v.n == 1 && strcmp(f.v.v[0], "@releaseDomain") == 0,
	    "release fires @releaseDomain");
	xvm_strv_release(&f.v);

	/* every strict prefix and every flipped byte: error or equal */
	wr(c0, 0, "/t/p", "q");
	setp(c0, "/t/p", "n0,r3");
	xs_introduce(c0, 8, 2, 2);
	setp(c0, "@releaseDomain", "n0,r8");
	xs_rm(c0, 0, "/t/keep");
	xvm_buf_reset(&d);
	xs_store_delta(a, &d);
	xvm_buf_reset(&img);
	xs_store_save(b, &img);
	for (i = 0; i < d.len; i++) {
		b2 = xs_store_load(img.data, img.len, &err);
		xvm_err_clear(&err);
		if (xs_store_apply(b2, d.data, i, NULL, NULL, &err) == 0 ||
		    err.code == XVM_ERR_OK || !err.msg[0])
			bad++;
		xs_store_free(b2);
	}
	T_EQ(bad, 0, "every truncated delta fails with a message");
	xvm_err_clear(&err);
	T_OK(xs_store_apply(b, d.data, d.len, NULL, NULL, &err) == 0 &&
	    xs_store_equal(a, b), "the whole delta applies");
	xvm_buf_reset(&d);
	xvm_put_le64(&d, 1);
	xvm_buf_putc(&d, 0);
	xvm_put_le32(&d, 1);
	xvm_buf_putc(&d, XS_J_PUT);
	xvm_put_le32(&d, 9);
	xvm_buf_add(&d, "/no/such/", 9);
	xvm_err_clear(&err);
	T_OK(xs_store_apply(b, d.data, d.len, NULL, NULL, &err) != 0 &&
	    strstr(err.msg, "bad node path"), "a bad path is refused");
	xvm_buf_release(&img);
	xvm_buf_release(&d);
	xs_conn_free(c0);
	xs_store_free(a);
	xs_store_free(b);
}

/* A directory of thousands: order kept, lookups and removals right. */
static void
test_big_dir(void)
{
	struct xs_store *st = xs_store_new();
	struct xs_conn *c0 = xs_conn_new(st, 0);
	struct xvm_strv v = XVM_STRV_INIT;
	char path[64];
	size_t i, wrong = 0;

	for (i = 0; i < 3000; i++) {
		snprintf(path, sizeof(path), "/big/%zu", i);
		if (wr(c0, 0, path, "x") != 0)
			wrong++;
	}
	for (i = 0; i < 3000; i += 2) {
		snprintf(path, sizeof(path), "/big/%zu", i);
		if (xs_rm(c0, 0, path) != 0)
			wrong++;
	}
	for (i = 0; i < 3000; i++) {
		snprintf(path, sizeof(path), "/big/%zu", i);
		if ((strcmp(rd(c0, 0, path), "x") == 0) != (i % 2 == 1))
			wrong++;
	}
	wr(c0, 0, "/big/0", "again");
	xs_directory(c0, 0, "/big", &v, NULL);
	T_EQ(v.n, 1501, "big directory: count after removals");
	T_OK(v.n == 1501 && strcmp(v.v[0], "1") == 0 &&
	    strcmp(v.v[1499], "2999") == 0 && strcmp(v.v[1500], "0") == 0,
	    "big directory: creation order kept");
	T_EQ(wrong, 0, "big directory: every write, rm and read right");
	xvm_strv_release(&v);
	xs_conn_free(c0);
	xs_store_free(st);
}

int
main(void)
{
	test_fresh();
	test_basic();
	test_tx();
	test_watch();
	test_domains();
	test_quota();
	test_wire();
	test_persist();
	test_persist_structure();
	test_delta_random();
	test_delta_events();
	test_big_dir();
	return t_done();
}

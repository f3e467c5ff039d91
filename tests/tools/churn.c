/*
 * churn - the concurrency check of one host (issue 4, Robustness):
 *
 *   churn PROCS ITERS [MEMORY_MIB [KERNEL]]
 *
 * forks PROCS processes that each create ITERS domains on the host of
 * XVM_DEFAULT_URI and destroy them again, one behind the other, so that
 * the processes' creates and destroys interleave under the host's lock.
 * Every process checks each domain it made: found by its name, with the
 * id it was given and the UUID it was made with.  The parent then checks
 * the host against what it was before: the same domains, the same
 * xenstore children of /local/domain and /vm, the same free memory, and
 * every domain id handed out exactly once.
 *
 * Prints "churn: N domains created and destroyed by P processes" and
 * exits 0, or names the first fault and exits 1.
 *
 * With KERNEL, domains are built by the toolstack's create (xm create's
 * path: the PV builder boots KERNEL); without, by ts_domain_make (no
 * kernel), as tests/tools/mkdom makes them.  The parent also checks that
 * no backend or /libxl entry outlives its domain.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "xvm/domain.h"
#include "xvm/size.h"
#include "xvm/toolstack.h"
#include "toolstack/ts_int.h"

#define MAX_PROCS	64
#define MAX_ITERS	10000

static int
fail(const char *who, const struct xvm_err *err)
{
	fprintf(stderr, "churn: %s: %s\n", who, err->msg);
	return 1;
}

/* Is domain id the one made with uuid, and does its name find it? */
static int
verify(struct xvm_conn *c, const char *name, const unsigned char uuid[16],
    uint32_t id, struct xvm_err *err)
{
	struct xvm_dominfo *list = NULL;
	size_t n = 0, i;
	uint32_t found = 0;
	int ret = -1;

	if (xvm_lookup(c, name, &found, NULL, err) < 0)
		return -1;
	if (found != id)
		return xvm_err_set(err, XVM_ERR_INTERNAL, "'%s' was made as "
		    "domain %" PRIu32 " but is found as %" PRIu32, name, id,
		    found);
	if (xvm_xc_domain_list(c->io, &list, &n, err) < 0)
		return -1;
	for (i = 0; i < n; i++)
		if (list[i].domid == id)
			break;
	if (i == n)
		xvm_err_set(err, XVM_ERR_INTERNAL, "domain %" PRIu32 " (%s) "
		    "is not in the list", id, name);
	else if (memcmp(list[i].handle, uuid, 16) != 0)
		xvm_err_set(err, XVM_ERR_INTERNAL, "domain %" PRIu32 " (%s) "
		    "has another domain's UUID", id, name);
	else
		ret = 0;
	free(list);
	return ret;
}

/* One domain: built from kernel when given, else without a kernel. */
static int
make(struct xvm_conn *c, const char *name, const unsigned char uuid[16],
    unsigned mib, const char *kernel, uint32_t *id_r, struct xvm_err *err)
{
	struct xvm_domain *d;
	int r;

	if (kernel == NULL)
		return ts_domain_make(c, name, uuid, 1, mib * 1024ull,
		    mib * 1024ull, false, id_r, err);
	d = xvm_domain_new();
	d->name = xvm_strdup(name);
	memcpy(d->uuid, uuid, 16);
	d->has_uuid = true;
	d->memory_kib = d->current_kib = mib * 1024ull;
	d->vcpus = 1;
	d->os.type = XVM_OS_LINUX;
	d->os.kernel = xvm_strdup(kernel);
	d->os.cmdline = xvm_strdup("churn");
	r = xvm_create(c, d, 0, id_r, err);
	xvm_domain_free(d);
	return r;
}

/* Child p: ITERS domains, each destroyed after the next is made. */
static int
child(unsigned p, unsigned iters, unsigned mib, const char *kernel, int out)
{
	struct xvm_conn *c = NULL;
	struct xvm_err err;
	unsigned char uuid[16];
	char name[64], who[96];
	uint32_t id = 0, prev = 0;
	bool have_prev = false;
	unsigned i;

	xvm_err_clear(&err);
	if (xvm_connect(NULL, 0, &c, NULL, &err) < 0)
		return fail("connect", &err);
	for (i = 0; i < iters; i++) {
		char line[32];
		int len;

		snprintf(name, sizeof(name), "churn-%u-%u", p, i);
		snprintf(who, sizeof(who), "process %u, %s", p, name);
		xvm_uuid_generate(uuid);
		if (make(c, name, uuid, mib, kernel, &id, &err) < 0 ||
		    verify(c, name, uuid, id, &err) < 0) {
			xvm_disconnect(c);
			return fail(who, &err);
		}
		len = snprintf(line, sizeof(line), "%" PRIu32 "\n", id);
		if (write(out, line, (size_t)len) != len) {
			perror("churn: pipe");
			xvm_disconnect(c);
			return 1;
		}
		if (have_prev && xvm_destroy(c, prev, &err) < 0) {
			xvm_disconnect(c);
			return fail(who, &err);
		}
		prev = id;
		have_prev = true;
	}
	if (have_prev && xvm_destroy(c, prev, &err) < 0) {
		xvm_disconnect(c);
		return fail(who, &err);
	}
	xvm_disconnect(c);
	return 0;
}

/* The host's figures the run must leave as they were. */
struct snap {
	struct xvm_strv doms, local, vm, libxl, backends;
	uint64_t free_pages;
};

static int
snapshot(struct snap *s, struct xvm_err *err)
{
	struct xvm_conn *c = NULL;
	struct xvm_dominfo *list = NULL;
	struct xvm_physinfo pi;
	size_t n = 0, i;
	int ret = -1;

	struct xvm_strv kinds = XVM_STRV_INIT;
	size_t k;

	xvm_strv_init(&s->doms);
	xvm_strv_init(&s->local);
	xvm_strv_init(&s->vm);
	xvm_strv_init(&s->libxl);
	xvm_strv_init(&s->backends);
	if (xvm_connect(NULL, 0, &c, NULL, err) < 0)
		return -1;
	if (xvm_xc_domain_list(c->io, &list, &n, err) < 0 ||
	    xvm_xs_directory(c->io, "/local/domain", &s->local, err) < 0 ||
	    xvm_xs_directory(c->io, "/vm", &s->vm, err) < 0 ||
	    xvm_xs_directory(c->io, "/libxl", &s->libxl, err) < 0 ||
	    xvm_xs_directory(c->io, "/local/domain/0/backend", &kinds,
	    err) < 0 ||
	    xvm_xc_physinfo(c->io, &pi, err) < 0)
		goto out;
	/* the domains each kind of backend serves */
	for (k = 0; k < kinds.n; k++) {
		struct xvm_strv ids = XVM_STRV_INIT;
		char *path = xvm_asprintf("/local/domain/0/backend/%s",
		    kinds.v[k]);

		if (xvm_xs_directory(c->io, path, &ids, err) < 0) {
			free(path);
			xvm_strv_release(&ids);
			goto out;
		}
		for (i = 0; i < ids.n; i++)
			xvm_strv_pushf(&s->backends, "%s/%s", kinds.v[k],
			    ids.v[i]);
		free(path);
		xvm_strv_release(&ids);
	}
	xvm_strv_sort(&s->libxl);
	xvm_strv_sort(&s->backends);
	for (i = 0; i < n; i++)
		xvm_strv_pushf(&s->doms, "%" PRIu32, list[i].domid);
	xvm_strv_sort(&s->local);
	xvm_strv_sort(&s->vm);
	s->free_pages = pi.free_pages;
	ret = 0;
out:
	xvm_strv_release(&kinds);
	free(list);
	xvm_disconnect(c);
	return ret;
}

static void
snap_release(struct snap *s)
{
	xvm_strv_release(&s->doms);
	xvm_strv_release(&s->local);
	xvm_strv_release(&s->vm);
	xvm_strv_release(&s->libxl);
	xvm_strv_release(&s->backends);
}

static int
same(const char *what, const struct xvm_strv *a, const struct xvm_strv *b)
{
	char *x = xvm_strv_join(a, " "), *y = xvm_strv_join(b, " ");
	int r = strcmp(x, y) == 0 ? 0 : -1;

	if (r < 0)
		fprintf(stderr, "churn: %s were [%s], now [%s]\n", what, x, y);
	free(x);
	free(y);
	return r;
}

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

int
main(int argc, char **argv)
{
	unsigned procs, iters, mib = 1, p, nids = 0, i;
	const char *kernel;
	struct snap before, after;
	struct xvm_err err;
	uint32_t *ids;
	pid_t pids[MAX_PROCS];
	int fds[2], bad = 0, st;
	FILE *in;
	char line[32];

	if (argc < 3 || argc > 5 ||
	    xvm_parse_uint(argv[1], &procs) < 0 || procs < 1 ||
	    procs > MAX_PROCS || xvm_parse_uint(argv[2], &iters) < 0 ||
	    iters < 1 || iters > MAX_ITERS ||
	    (argc >= 4 && (xvm_parse_uint(argv[3], &mib) < 0 || mib < 1))) {
		fprintf(stderr, "usage: churn PROCS(1-%d) ITERS(1-%d) "
		    "[MEMORY_MIB [KERNEL]]\n", MAX_PROCS, MAX_ITERS);
		return 2;
	}
	kernel = argc == 5 ? argv[4] : NULL;
	xvm_err_clear(&err);
	if (snapshot(&before, &err) < 0)
		return fail("before", &err);
	if (pipe(fds) < 0) {
		perror("churn: pipe");
		return 1;
	}
	for (p = 0; p < procs; p++) {
		pids[p] = fork();
		if (pids[p] < 0) {
			perror("churn: fork");
			return 1;
		}
		if (pids[p] == 0) {
			close(fds[0]);
			_exit(child(p, iters, mib, kernel, fds[1]));
		}
	}
	close(fds[1]);

	/* every id the children were given, to check none came twice */
	ids = xvm_calloc((size_t)procs * iters, sizeof(*ids));
	in = fdopen(fds[0], "r");
	while (in && fgets(line, sizeof(line), in))
		if (nids < procs * iters)
			ids[nids++] = (uint32_t)strtoul(line, NULL, 10);
	if (in)
		fclose(in);
	for (p = 0; p < procs; p++) {
		if (waitpid(pids[p], &st, 0) < 0 || !WIFEXITED(st) ||
		    WEXITSTATUS(st) != 0) {
			fprintf(stderr, "churn: process %u failed\n", p);
			bad = 1;
		}
	}
	qsort(ids, nids, sizeof(*ids), cmp_u32);
	for (i = 1; i < nids; i++)
		if (ids[i] == ids[i - 1]) {
			fprintf(stderr, "churn: domain id %" PRIu32 " was "
			    "handed out twice\n", ids[i]);
			bad = 1;
			break;
		}
	if (!bad && nids != procs * iters) {
		fprintf(stderr, "churn: %u domains made, %u expected\n", nids,
		    procs * iters);
		bad = 1;
	}
	free(ids);

	if (snapshot(&after, &err) < 0) {
		snap_release(&before);
		return fail("after", &err);
	}
	if (same("domains", &before.doms, &after.doms) < 0 ||
	    same("/local/domain entries", &before.local, &after.local) < 0 ||
	    same("/vm entries", &before.vm, &after.vm) < 0 ||
	    same("/libxl entries", &before.libxl, &after.libxl) < 0 ||
	    same("backends", &before.backends, &after.backends) < 0)
		bad = 1;
	if (before.free_pages != after.free_pages) {
		fprintf(stderr, "churn: free memory was %" PRIu64 " pages, "
		    "now %" PRIu64 "\n", before.free_pages, after.free_pages);
		bad = 1;
	}
	snap_release(&before);
	snap_release(&after);
	if (bad)
		return 1;
	printf("churn: %u domains created and destroyed by %u processes\n",
	    nids, procs);
	return 0;
}

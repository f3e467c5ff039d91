/*
 * bench_sim.c - how the simulated Xen host and the toolstack scale: a
 * host with N domains (10,000 by default), each made the way the
 * toolstack makes one (createdomain, max_mem, populate_physmap, the
 * xenstore nodes, unpause; every change journaled and synced).
 *
 *   bench_sim XM_BINARY [N]     (BENCH_KEEP=1 keeps the host directory)
 *
 * Goals (issue 4; a 2-core machine): `xm list` of 10,000 domains in a
 * fresh process under 100 ms; creating the 10,000th domain costs at most
 * twice the 10th (medians of the ten creations around each).  It prints
 * figures and whether each goal holds; it never fails a build.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "xvm/domain.h"
#include "xvm/toolstack.h"
#include "toolstack/ts_int.h"

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int
dbl_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* The median of v[from .. from+n) (n <= 64). */
static double
median(const double *v, size_t from, size_t n)
{
	double w[64];

	memcpy(w, v + from, n * sizeof(*w));
	qsort(w, n, sizeof(*w), dbl_cmp);
	return n % 2 ? w[n / 2] : (w[n / 2 - 1] + w[n / 2]) / 2;
}

/* Seconds one run of argv takes, stdout to /dev/null; < 0 on failure. */
static double
run(char *const argv[])
{
	double t0;
	pid_t pid;
	int st;

	fflush(NULL);
	t0 = now();
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		if (freopen("/dev/null", "w", stdout) == NULL)
			_exit(127);
		execv(argv[0], argv);
		_exit(127);
	}
	if (waitpid(pid, &st, 0) < 0 || !WIFEXITED(st) ||
	    WEXITSTATUS(st) != 0)
		return -1;
	return now() - t0;
}

int
main(int argc, char **argv)
{
	char tmpl[] = "/tmp/bench_sim.XXXXXX", name[32], *uri, *cmd;
	struct xvm_conn *c = NULL;
	struct xvm_domstat *list = NULL;
	struct xvm_err err;
	unsigned char uuid[16];
	size_t n = 10000, i, nl = 0;
	double *t, t0, first, last, lt[5], open_t;
	char *xm_argv[3];
	uint32_t id;
	int ret = 1;

	if (argc < 2) {
		fprintf(stderr, "usage: bench_sim XM_BINARY [N]\n");
		return 2;
	}
	if (argc > 2)
		n = strtoul(argv[2], NULL, 10);
	if (n < 20)
		n = 20;
	if (mkdtemp(tmpl) == NULL)
		return 1;
	uri = xvm_asprintf("sim://%s/host?cpus=64&memory=1T", tmpl);
	xvm_err_clear(&err);
	if (xvm_connect(uri, 0, &c, NULL, &err) < 0) {
		fprintf(stderr, "bench_sim: %s\n", err.msg);
		goto out;
	}
	t = xvm_calloc(n, sizeof(*t));
	t0 = now();
	for (i = 0; i < n; i++) {
		double a = now();

		snprintf(name, sizeof(name), "bench-%zu", i + 1);
		xvm_uuid_generate(uuid);
		if (ts_domain_make(c, name, uuid, 1, 65536, 65536, false,
		    &id, &err) < 0) {
			fprintf(stderr, "bench_sim: domain %zu: %s\n", i + 1,
			    err.msg);
			free(t);
			goto out;
		}
		t[i] = now() - a;
	}
	printf("created %zu domains in %.1f s (%.2f ms each)\n", n,
	    now() - t0, (now() - t0) / (double)n * 1e3);
	first = median(t, 5, 10);
	last = median(t, n - 10, 10);
	printf("create the 10th: %.3f ms, the %zuth: %.3f ms (medians of "
	    "ten): %.2fx  [goal <= 2x: %s]\n", first * 1e3, n, last * 1e3,
	    last / first, last <= 2 * first ? "met" : "NOT met");
	free(t);

	t0 = now();
	if (xvm_list(c, &list, &nl, &err) < 0) {
		fprintf(stderr, "bench_sim: list: %s\n", err.msg);
		goto out;
	}
	printf("list %zu domains in this process: %.1f ms\n", nl,
	    (now() - t0) * 1e3);
	xvm_domstat_free(list, nl);
	xvm_disconnect(c);
	c = NULL;

	t0 = now();
	if (xvm_connect(uri, 0, &c, NULL, &err) < 0) {
		fprintf(stderr, "bench_sim: %s\n", err.msg);
		goto out;
	}
	open_t = now() - t0;
	printf("open the host in a new connection: %.1f ms\n", open_t * 1e3);

	setenv("XVM_DEFAULT_URI", uri, 1);
	xm_argv[0] = argv[1];
	xm_argv[1] = "list";
	xm_argv[2] = NULL;
	for (i = 0; i < 5; i++) {
		lt[i] = run(xm_argv);
		if (lt[i] < 0) {
			fprintf(stderr, "bench_sim: %s list failed\n", argv[1]);
			goto out;
		}
	}
	last = median(lt, 0, 5);
	printf("`xm list` of %zu domains (a new process, median of 5): "
	    "%.1f ms  [goal < 100 ms: %s]\n", nl, last * 1e3,
	    last < 0.1 ? "met" : "NOT met");
	ret = 0;
out:
	xvm_disconnect(c);
	if (getenv("BENCH_KEEP") != NULL) {
		printf("host kept: %s\n", uri);
	} else {
		cmd = xvm_asprintf("rm -rf '%s'", tmpl);
		if (system(cmd) != 0)
			fprintf(stderr, "bench_sim: could not remove %s\n",
			    tmpl);
		free(cmd);
	}
	free(uri);
	return ret;
}

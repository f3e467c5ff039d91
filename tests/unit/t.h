/*
 * t.h - a tiny TAP producer for the C unit tests.
 *
 * Each t_<module>.c defines `int main(void)` that calls T_OK/T_STREQ/... and
 * ends with `return t_done();`.  Every check prints one TAP line
 * ("ok N - what" / "not ok N - what"), and t_done() prints the plan; the
 * test runner counts the lines.
 */
#ifndef XVM_T_H
#define XVM_T_H

#include <stdio.h>
#include <string.h>

#include "xvm/util.h"

static int t_n, t_failed;

static inline int t_check(int cond, const char *file, int line,
    const char *what)
{
	t_n++;
	if (cond) {
		printf("ok %d - %s\n", t_n, what);
	} else {
		t_failed++;
		printf("not ok %d - %s\n#   at %s:%d\n", t_n, what, file, line);
	}
	fflush(stdout);
	return cond;
}

static inline int t_check_str(const char *got, const char *want,
    const char *file, int line, const char *what)
{
	int ok = (got == NULL && want == NULL) ||
	    (got != NULL && want != NULL && strcmp(got, want) == 0);

	if (!t_check(ok, file, line, what))
		printf("#   got:  \"%s\"\n#   want: \"%s\"\n",
		    got ? got : "(null)", want ? want : "(null)");
	return ok;
}

static inline int t_check_ll(long long got, long long want, const char *file,
    int line, const char *what)
{
	int ok = got == want;

	if (!t_check(ok, file, line, what))
		printf("#   got:  %lld\n#   want: %lld\n", got, want);
	return ok;
}

#define T_OK(cond, what) t_check(!!(cond), __FILE__, __LINE__, (what))
#define T_STREQ(got, want, what) \
	t_check_str((got), (want), __FILE__, __LINE__, (what))
#define T_EQ(got, want, what) \
	t_check_ll((long long)(got), (long long)(want), __FILE__, __LINE__, (what))

/* The test guest (tests/guest), built beside the test that runs. */
static inline char *t_guest_path(const char *argv0)
{
	const char *slash = strrchr(argv0, '/');

	return slash ? xvm_asprintf("%.*s/xvm-test-guest",
	    (int)(slash - argv0), argv0) : xvm_strdup("xvm-test-guest");
}

static inline int t_done(void)
{
	printf("1..%d\n", t_n);
	return t_failed ? 1 : 0;
}

#endif

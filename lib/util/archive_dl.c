/*
 * archive_dl.c - libarchive, loaded on first use (archive_dl.h says why).
 */
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>

#define XVM_ARCHIVE_DL_IMPL	/* the list only, no renaming */
#include "util/archive_dl.h"

#define DEFINE(f) __typeof__(f) *xvm_p_##f;
XVM_ARCHIVE_FUNCS(DEFINE)
#undef DEFINE

static pthread_once_t once = PTHREAD_ONCE_INIT;
static char load_error[256];

static void
load(void)
{
	void *lib = dlopen("libarchive.so.13", RTLD_NOW | RTLD_LOCAL);
	const char *missing = NULL;

	if (lib == NULL) {
		snprintf(load_error, sizeof(load_error), "cannot load "
		    "libarchive (libarchive13): %s", dlerror());
		return;
	}
#define RESOLVE(f) \
	if (!missing && !(xvm_p_##f = (__typeof__(xvm_p_##f))dlsym(lib, #f))) \
		missing = #f;
	XVM_ARCHIVE_FUNCS(RESOLVE)
#undef RESOLVE
	if (missing)
		snprintf(load_error, sizeof(load_error), "libarchive lacks %s",
		    missing);
}

int
xvm_archive_dl(struct xvm_err *err)
{
	(void)pthread_once(&once, load);
	if (load_error[0])
		return xvm_err_set(err, XVM_ERR_INTERNAL, "%s", load_error);
	return 0;
}

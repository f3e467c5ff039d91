/*
 * xml_dl.c - libxml2, loaded on first use (xml_dl.h says why).
 */
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>

#define XVM_XML_DL_IMPL		/* the list only, no renaming */
#include "conf/xml_dl.h"

#define DEFINE(f) __typeof__(f) *xvm_p_##f;
#define FUNCS XVM_XML_FUNCS
FUNCS(DEFINE)
#undef DEFINE
__typeof__(xmlFree) *xvm_p_xmlFree;

static pthread_once_t once = PTHREAD_ONCE_INIT;
static char load_error[256];

static void
load(void)
{
	void *lib = dlopen("libxml2.so.2", RTLD_NOW | RTLD_LOCAL);
	const char *missing = NULL;

	if (lib == NULL) {
		snprintf(load_error, sizeof(load_error), "cannot load libxml2 "
		    "(libxml2): %s", dlerror());
		return;
	}
#define RESOLVE(f) \
	if (!missing && !(xvm_p_##f = (__typeof__(xvm_p_##f))dlsym(lib, #f))) \
		missing = #f;
	FUNCS(RESOLVE)
	RESOLVE(xmlFree)
#undef RESOLVE
	if (missing)
		snprintf(load_error, sizeof(load_error), "libxml2 lacks %s",
		    missing);
}

int
xvm_xml_dl(struct xvm_err *err)
{
	(void)pthread_once(&once, load);
	if (load_error[0])
		return xvm_err_set(err, XVM_ERR_INTERNAL, "%s", load_error);
	return 0;
}

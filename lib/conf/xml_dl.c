/*
 * xml_dl.c - libxml2, loaded on first use (xml_dl.h says why).
 */
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>

#define XVM_XML_DL_IMPL		/* the list only, no renaming */
#include "conf/xml_dl.h"

/*
 * Until libxml2 is loaded (or when it cannot be) the functions that free
 * do nothing, so that the cleanup after a failed load (a NULL document)
 * is safe; nothing else is called before a load succeeds.
 */
static void stub_xmlBufferFree(xmlBufferPtr p) { (void)p; }
static void stub_xmlCleanupParser(void) { }
static void stub_xmlFreeDoc(xmlDocPtr p) { (void)p; }
static void stub_xmlFreeNode(xmlNodePtr p) { (void)p; }
static void stub_xmlFreeParserCtxt(xmlParserCtxtPtr p) { (void)p; }
static void stub_xmlRelaxNGFree(xmlRelaxNGPtr p) { (void)p; }
static void stub_xmlRelaxNGFreeParserCtxt(xmlRelaxNGParserCtxtPtr p)
{ (void)p; }
static void stub_xmlRelaxNGFreeValidCtxt(xmlRelaxNGValidCtxtPtr p)
{ (void)p; }
static void stub_xmlXPathFreeContext(xmlXPathContextPtr p) { (void)p; }
static void stub_xmlXPathFreeObject(xmlXPathObjectPtr p) { (void)p; }
static void stub_free(void *p) { (void)p; }
static xmlFreeFunc stub_xmlFree = stub_free;

#define DEFINE(f) __typeof__(f) *xvm_p_##f;
#define DEFINE_FREE(f) __typeof__(f) *xvm_p_##f = stub_##f;
XVM_XML_FUNCS(DEFINE)
XVM_XML_FREES(DEFINE_FREE)
#undef DEFINE
#undef DEFINE_FREE
__typeof__(xmlFree) *xvm_p_xmlFree = &stub_xmlFree;

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
	XVM_XML_FUNCS(RESOLVE)
	XVM_XML_FREES(RESOLVE)
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

/*
 * xml_int.h - what the domain XML files of lib/conf share: loading a
 * document with libxml2 while collecting its errors (never printing them),
 * and the namespace of <xen:commandline>.
 */
#ifndef XVM_XML_INT_H
#define XVM_XML_INT_H

#include <stddef.h>

#include <libxml/tree.h>
#include <libxml/xmlerror.h>

#include "xvm/err.h"
#include "conf/xml_dl.h"	/* libxml2 through dlopen: last */

#define XVM_XML_XEN_NS	"http://libvirt.org/schemas/domain/xen/1.0"

/*
 * The first libxml2 error of an operation, kept instead of printed: its
 * message, and the first place (line, element) any of the errors named.
 */
struct xvm_xml_errs {
	int count;
	int line;		/* 0: unknown */
	char node[64];		/* element ("" unknown) */
	char msg[512];		/* libxml2's message, without the newline */
};

/*
 * Route every libxml2 error of the calling thread to errs until
 * xvm_xml_errs_end() puts the previous handlers back.
 */
struct xvm_xml_errs_saved {
	void *generic_ctx;
	xmlGenericErrorFunc generic_fn;
	void *structured_ctx;
	xmlStructuredErrorFunc structured_fn;
};

void xvm_xml_errs_begin(struct xvm_xml_errs *errs,
    struct xvm_xml_errs_saved *saved);
void xvm_xml_errs_end(const struct xvm_xml_errs_saved *saved);
/* The structured-error callback itself (data is a struct xvm_xml_errs). */
void xvm_xml_errs_collect(void *data, xmlErrorPtr error);

/*
 * Parse data as an XML document: no network, no DTD loading, no entity
 * substitution, and documents that declare entities are refused.  Errors
 * become "name:line: message" in err.
 */
xmlDoc *xvm_xml_load(const char *data, size_t len, const char *name,
    struct xvm_err *err);

#endif

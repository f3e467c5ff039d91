/*
 * xml_dl.h - libxml2 is loaded with dlopen when a command first reads XML
 * (xvm_xml_load), not linked, as libcurl and libosinfo are: it brings ICU
 * and the C++ runtime, which cost a command that reads no XML (xm list,
 * xm create of a config file) a third of its start-up time.
 *
 * Included after the libxml2 headers, it turns the calls of the functions
 * xvm uses into calls through pointers that xvm_xml_dl() fills.
 */
#ifndef XVM_XML_DL_H
#define XVM_XML_DL_H

#include <libxml/parser.h>
#include <libxml/relaxng.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xpath.h>

#include "xvm/err.h"

#define XVM_XML_FUNCS(X) \
	X(__xmlGenericError) X(__xmlGenericErrorContext) \
	X(__xmlStructuredError) X(__xmlStructuredErrorContext) X(xmlAddChild) \
	X(xmlBufferContent) X(xmlBufferCreate) X(xmlBufferEmpty) \
	X(xmlBufferLength) X(xmlCtxtReadMemory) X(xmlDocCopyNode) \
	X(xmlDocGetRootElement) X(xmlDocSetRootElement) X(xmlGetLineNo) \
	X(xmlGetNoNsProp) X(xmlInitParser) X(xmlIsBlankNode) X(xmlNewDoc) \
	X(xmlNewNode) X(xmlNewParserCtxt) X(xmlNodeDump) \
	X(xmlRelaxNGNewParserCtxt) X(xmlRelaxNGNewValidCtxt) \
	X(xmlRelaxNGParse) X(xmlRelaxNGSetParserStructuredErrors) \
	X(xmlRelaxNGSetValidStructuredErrors) X(xmlRelaxNGValidateDoc) \
	X(xmlSetGenericErrorFunc) X(xmlSetStructuredErrorFunc) \
	X(xmlStopParser) X(xmlUnlinkNode) X(xmlXPathEvalExpression) \
	X(xmlXPathNewContext)
/* the functions that free: safe (they do nothing) before a load */
#define XVM_XML_FREES(X) \
	X(xmlBufferFree) X(xmlCleanupParser) X(xmlFreeDoc) X(xmlFreeNode) \
	X(xmlFreeParserCtxt) X(xmlRelaxNGFree) X(xmlRelaxNGFreeParserCtxt) \
	X(xmlRelaxNGFreeValidCtxt) X(xmlXPathFreeContext) \
	X(xmlXPathFreeObject)

#ifndef XVM_XML_DL_IMPL
#define XVM_XML_DECLARE(f) extern __typeof__(f) *xvm_p_##f;
XVM_XML_FUNCS(XVM_XML_DECLARE)
XVM_XML_FREES(XVM_XML_DECLARE)
#undef XVM_XML_DECLARE
extern __typeof__(xmlFree) *xvm_p_xmlFree;	/* a variable of libxml2's */

#define __xmlGenericError xvm_p___xmlGenericError
#define __xmlGenericErrorContext xvm_p___xmlGenericErrorContext
#define __xmlStructuredError xvm_p___xmlStructuredError
#define __xmlStructuredErrorContext xvm_p___xmlStructuredErrorContext
#define xmlAddChild xvm_p_xmlAddChild
#define xmlBufferContent xvm_p_xmlBufferContent
#define xmlBufferCreate xvm_p_xmlBufferCreate
#define xmlBufferEmpty xvm_p_xmlBufferEmpty
#define xmlBufferFree xvm_p_xmlBufferFree
#define xmlBufferLength xvm_p_xmlBufferLength
#define xmlCleanupParser xvm_p_xmlCleanupParser
#define xmlCtxtReadMemory xvm_p_xmlCtxtReadMemory
#define xmlDocCopyNode xvm_p_xmlDocCopyNode
#define xmlDocGetRootElement xvm_p_xmlDocGetRootElement
#define xmlDocSetRootElement xvm_p_xmlDocSetRootElement
#define xmlFreeDoc xvm_p_xmlFreeDoc
#define xmlFreeNode xvm_p_xmlFreeNode
#define xmlFreeParserCtxt xvm_p_xmlFreeParserCtxt
#define xmlGetLineNo xvm_p_xmlGetLineNo
#define xmlGetNoNsProp xvm_p_xmlGetNoNsProp
#define xmlInitParser xvm_p_xmlInitParser
#define xmlIsBlankNode xvm_p_xmlIsBlankNode
#define xmlNewDoc xvm_p_xmlNewDoc
#define xmlNewNode xvm_p_xmlNewNode
#define xmlNewParserCtxt xvm_p_xmlNewParserCtxt
#define xmlNodeDump xvm_p_xmlNodeDump
#define xmlRelaxNGFree xvm_p_xmlRelaxNGFree
#define xmlRelaxNGFreeParserCtxt xvm_p_xmlRelaxNGFreeParserCtxt
#define xmlRelaxNGFreeValidCtxt xvm_p_xmlRelaxNGFreeValidCtxt
#define xmlRelaxNGNewParserCtxt xvm_p_xmlRelaxNGNewParserCtxt
#define xmlRelaxNGNewValidCtxt xvm_p_xmlRelaxNGNewValidCtxt
#define xmlRelaxNGParse xvm_p_xmlRelaxNGParse
#define xmlRelaxNGSetParserStructuredErrors xvm_p_xmlRelaxNGSetParserStructuredErrors
#define xmlRelaxNGSetValidStructuredErrors xvm_p_xmlRelaxNGSetValidStructuredErrors
#define xmlRelaxNGValidateDoc xvm_p_xmlRelaxNGValidateDoc
#define xmlSetGenericErrorFunc xvm_p_xmlSetGenericErrorFunc
#define xmlSetStructuredErrorFunc xvm_p_xmlSetStructuredErrorFunc
#define xmlStopParser xvm_p_xmlStopParser
#define xmlUnlinkNode xvm_p_xmlUnlinkNode
#define xmlXPathEvalExpression xvm_p_xmlXPathEvalExpression
#define xmlXPathFreeContext xvm_p_xmlXPathFreeContext
#define xmlXPathFreeObject xvm_p_xmlXPathFreeObject
#define xmlXPathNewContext xvm_p_xmlXPathNewContext
#undef xmlFree
#define xmlFree (*xvm_p_xmlFree)

#endif /* XVM_XML_DL_IMPL */

/* Load libxml2 once; XVM_ERR_INTERNAL when it cannot be. */
int xvm_xml_dl(struct xvm_err *err);

#endif

/*
 * xml_xpath.c - `virsh dumpxml --xpath`: the nodes an XPath expression
 * selects in a document, each serialized as libxml2 writes a node (so
 * attributes come out in double quotes, as virsh prints them), one per
 * line, or wrapped together in a <nodes> element.
 */
#include <stdio.h>
#include <string.h>

#include <libxml/tree.h>
#include <libxml/xpath.h>

#include "xvm/domxml.h"
#include "xml_int.h"

/* Drop the text nodes that are only indentation, so nodes re-indent. */
static void
strip_blanks(xmlNode *n)
{
	xmlNode *c = n->children, *next;

	for (; c != NULL; c = next) {
		next = c->next;
		if (c->type == XML_TEXT_NODE && xmlIsBlankNode(c)) {
			xmlUnlinkNode(c);
			xmlFreeNode(c);
		} else if (c->type == XML_ELEMENT_NODE) {
			strip_blanks(c);
		}
	}
}

int
xvm_xml_xpath(const char *xml, size_t len, const char *expr, unsigned flags,
    struct xvm_buf *out, struct xvm_err *err)
{
	bool wrap = flags & XVM_XPATH_WRAP, raw = flags & XVM_XPATH_RAW;
	struct xvm_xml_errs errs;
	struct xvm_xml_errs_saved saved;
	xmlDoc *doc, *wdoc = NULL;
	xmlXPathContext *ctx = NULL;
	xmlXPathObject *res = NULL;
	xmlBuffer *xb = NULL;
	xmlNode *root = NULL;
	int i, n, ret = -1;

	if ((doc = xvm_xml_load(xml, len, "(domain_definition)", err)) == NULL)
		return -1;
	if (!raw)
		strip_blanks(xmlDocGetRootElement(doc));
	xvm_xml_errs_begin(&errs, &saved);
	ctx = xmlXPathNewContext(doc);
	if (ctx != NULL)
		res = xmlXPathEvalExpression((const xmlChar *)expr, ctx);
	xvm_xml_errs_end(&saved);
	if (res == NULL) {
		xvm_err_set(err, XVM_ERR_INVALID_ARG, "invalid XPath "
		    "expression '%s': %s", expr, errs.count ? errs.msg :
		    "cannot be evaluated");
		goto out;
	}
	if (res->type != XPATH_NODESET) {
		xvm_err_set(err, XVM_ERR_INTERNAL, "Incorrect xpath '%s'",
		    expr);
		goto out;
	}
	n = res->nodesetval ? res->nodesetval->nodeNr : 0;
	xb = xmlBufferCreate();
	if (wrap) {
		wdoc = xmlNewDoc((const xmlChar *)"1.0");
		root = xmlNewNode(NULL, (const xmlChar *)"nodes");
		xmlDocSetRootElement(wdoc, root);
		for (i = 0; i < n; i++)
			xmlAddChild(root, xmlDocCopyNode(
			    res->nodesetval->nodeTab[i], wdoc, 1));
		xmlNodeDump(xb, wdoc, root, 0, 1);
		xvm_buf_add(out, (const char *)xmlBufferContent(xb),
		    (size_t)xmlBufferLength(xb));
		xvm_buf_putc(out, '\n');
	} else {
		for (i = 0; i < n; i++) {
			xmlBufferEmpty(xb);
			xmlNodeDump(xb, doc, res->nodesetval->nodeTab[i], 0,
			    raw ? 0 : 1);
			xvm_buf_add(out, (const char *)xmlBufferContent(xb),
			    (size_t)xmlBufferLength(xb));
			if (!raw)
				xvm_buf_putc(out, '\n');
		}
	}
	ret = 0;
out:
	if (xb)
		xmlBufferFree(xb);
	if (wdoc)
		xmlFreeDoc(wdoc);
	xmlXPathFreeObject(res);
	xmlXPathFreeContext(ctx);
	xmlFreeDoc(doc);
	return ret;
}

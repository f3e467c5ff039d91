/*
 * xml_load.c - reading an XML document with libxml2 without letting
 * libxml2 print anything: its errors are collected through a structured
 * error handler installed for the duration of the call (libxml2 keeps its
 * handlers per thread), and the first one becomes our error, as
 * "name:line: message".
 *
 * The parser never touches the network, never loads a DTD and never
 * substitutes entities; a document that declares an entity is refused as
 * soon as the declaration is read, so that no text we read can be an
 * entity expansion.
 */
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/xmlerror.h>

#include "xvm/util.h"
#include "xml_int.h"

void
xvm_xml_errs_collect(void *data, xmlErrorPtr e)
{
	struct xvm_xml_errs *errs = data;
	const xmlNode *node;
	size_t n;

	if (errs == NULL || e == NULL || e->level < XML_ERR_ERROR)
		return;
	node = e->node;
	if (node != NULL && node->type != XML_ELEMENT_NODE)
		node = NULL;
	/*
	 * The message is the first error's; the place is the first that
	 * has one (RelaxNG's most telling complaint often has none).
	 */
	if (errs->line == 0 && errs->node[0] == '\0' &&
	    (e->line > 0 || node != NULL)) {
		errs->line = e->line;
		if (node != NULL && node->name != NULL)
			snprintf(errs->node, sizeof(errs->node), "%s",
			    (const char *)node->name);
	}
	if (errs->count++ > 0)
		return;
	snprintf(errs->msg, sizeof(errs->msg), "%s",
	    e->message ? e->message : "unknown XML error");
	n = strlen(errs->msg);
	while (n > 0 && (errs->msg[n - 1] == '\n' ||
	    errs->msg[n - 1] == ' '))
		errs->msg[--n] = '\0';
}

static void
generic_quiet(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

void
xvm_xml_errs_begin(struct xvm_xml_errs *errs,
    struct xvm_xml_errs_saved *saved)
{
	memset(errs, 0, sizeof(*errs));
	saved->generic_fn = xmlGenericError;
	saved->generic_ctx = xmlGenericErrorContext;
	saved->structured_fn = xmlStructuredError;
	saved->structured_ctx = xmlStructuredErrorContext;
	xmlSetGenericErrorFunc(NULL, generic_quiet);
	xmlSetStructuredErrorFunc(errs, xvm_xml_errs_collect);
}

void
xvm_xml_errs_end(const struct xvm_xml_errs_saved *saved)
{
	xmlSetGenericErrorFunc(saved->generic_ctx, saved->generic_fn);
	xmlSetStructuredErrorFunc(saved->structured_ctx,
	    saved->structured_fn);
}

/*
 * The SAX handler of entity declarations: note where the first one is and
 * stop reading, so that no entity is ever expanded or even kept.
 */
static void
refuse_entity(void *ctx, const xmlChar *name, int type,
    const xmlChar *public_id, const xmlChar *system_id, xmlChar *content)
{
	xmlParserCtxt *ctxt = ctx;
	int *line = ctxt->_private;

	(void)name;
	(void)type;
	(void)public_id;
	(void)system_id;
	(void)content;
	if (*line == 0)
		*line = ctxt->input ? ctxt->input->line : 1;
	xmlStopParser(ctxt);
}

xmlDoc *
xvm_xml_load(const char *data, size_t len, const char *name,
    struct xvm_err *err)
{
	struct xvm_xml_errs errs;
	struct xvm_xml_errs_saved saved;
	xmlParserCtxt *ctxt = NULL;
	xmlDoc *doc = NULL;
	int entity_line = 0;

	if (name == NULL)
		name = "(domain_definition)";
	if (len > INT_MAX) {
		xvm_err_at(err, name, 0, 0, "document too large");
		return NULL;
	}
	if (xvm_xml_dl(err) < 0)
		return NULL;
	xmlInitParser();
	xvm_xml_errs_begin(&errs, &saved);
	ctxt = xmlNewParserCtxt();
	if (ctxt == NULL) {
		xvm_err_set(err, XVM_ERR_INTERNAL,
		    "cannot create an XML parser");
		goto out;
	}
	ctxt->_private = &entity_line;
	ctxt->sax->entityDecl = refuse_entity;
	doc = xmlCtxtReadMemory(ctxt, data, (int)len, name, NULL,
	    XML_PARSE_NONET | XML_PARSE_NOWARNING | XML_PARSE_BIG_LINES);
	if (entity_line > 0) {
		xvm_err_at(err, name, entity_line, 0,
		    "entity declarations are not allowed");
		xmlFreeDoc(doc);
		doc = NULL;
		goto out;
	}
	if (errs.count > 0 || doc == NULL) {
		if (errs.count > 0)
			xvm_err_at(err, name, errs.line, 0, "%s", errs.msg);
		else
			xvm_err_at(err, name, 0, 0,
			    "failed to parse the document");
		xmlFreeDoc(doc);
		doc = NULL;
		goto out;
	}
out:
	xmlFreeParserCtxt(ctxt);
	xvm_xml_errs_end(&saved);
	return doc;
}

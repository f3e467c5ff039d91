/*
 * xml_validate.c - checking a domain document against libvirt's RelaxNG
 * schema (schema_dir/domain.rng and the files it includes), with libxml2.
 * Nothing is printed: the first complaint becomes the error, as
 * "name:line: element X: what libxml2 says".
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxml/relaxng.h>

#include "xvm/domxml.h"
#include "xml_int.h"

#ifndef XVM_DATADIR
#define XVM_DATADIR "/usr/local/share/xvm"
#endif

static int
has_schema(const char *dir)
{
	char *p = xvm_asprintf("%s/domain.rng", dir);
	int ok = access(p, R_OK) == 0;

	free(p);
	return ok;
}

char *
xvm_schema_dir(void)
{
	const char *env = getenv("XVM_SCHEMA_DIR");
	char exe[PATH_MAX], *slash;
	ssize_t n;
	int up;

	if (env && *env)
		return xvm_strdup(env);
	if (has_schema(XVM_DATADIR "/schemas"))
		return xvm_strdup(XVM_DATADIR "/schemas");
	/* build/bin/TOOL or build/tests/NAME -> the tree's data/schemas */
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0)
		return NULL;
	exe[n] = '\0';
	for (up = 0; up < 3 && (slash = strrchr(exe, '/')) != NULL; up++)
		*slash = '\0';
	if (up == 3) {
		char *dir = xvm_asprintf("%s/data/schemas", exe);

		if (has_schema(dir))
			return dir;
		free(dir);
	}
	return NULL;
}

int
xvm_domain_validate_xml(const char *data, size_t len, const char *name,
    const char *schema_dir, struct xvm_err *err)
{
	struct xvm_xml_errs errs;
	struct xvm_xml_errs_saved saved;
	xmlRelaxNGParserCtxt *pctxt = NULL;
	xmlRelaxNG *schema = NULL;
	xmlRelaxNGValidCtxt *vctxt = NULL;
	xmlDoc *doc = NULL;
	char *path = NULL;
	int ret = -1, rc;

	if (name == NULL)
		name = "(domain_definition)";
	doc = xvm_xml_load(data, len, name, err);
	if (doc == NULL)
		return -1;
	path = xvm_asprintf("%s/domain.rng", schema_dir ? schema_dir : ".");
	xvm_xml_errs_begin(&errs, &saved);
	pctxt = xmlRelaxNGNewParserCtxt(path);
	if (pctxt == NULL) {
		xvm_err_set(err, XVM_ERR_INTERNAL,
		    "cannot create a RelaxNG parser for '%s'", path);
		goto out;
	}
	xmlRelaxNGSetParserStructuredErrors(pctxt, xvm_xml_errs_collect,
	    &errs);
	schema = xmlRelaxNGParse(pctxt);
	if (schema == NULL) {
		xvm_err_set(err, XVM_ERR_NOT_FOUND,
		    "cannot load the domain schema '%s'%s%s", path,
		    errs.count ? ": " : "", errs.count ? errs.msg : "");
		goto out;
	}
	vctxt = xmlRelaxNGNewValidCtxt(schema);
	if (vctxt == NULL) {
		xvm_err_set(err, XVM_ERR_INTERNAL,
		    "cannot create a RelaxNG validator");
		goto out;
	}
	memset(&errs, 0, sizeof(errs));
	xmlRelaxNGSetValidStructuredErrors(vctxt, xvm_xml_errs_collect,
	    &errs);
	rc = xmlRelaxNGValidateDoc(vctxt, doc);
	if (rc != 0) {
		if (errs.count == 0)
			xvm_err_at(err, name, 0, 0, "%s",
			    "the document does not match the domain schema");
		else if (errs.node[0] != '\0')
			xvm_err_at(err, name, errs.line, 0, "element %s: %s",
			    errs.node, errs.msg);
		else
			xvm_err_at(err, name, errs.line, 0, "%s", errs.msg);
		goto out;
	}
	ret = 0;
out:
	xmlRelaxNGFreeValidCtxt(vctxt);
	xmlRelaxNGFree(schema);
	xmlRelaxNGFreeParserCtxt(pctxt);
	xvm_xml_errs_end(&saved);
	free(path);
	xmlFreeDoc(doc);
	return ret;
}

/*
 * domxml.h - libvirt domain XML, read into struct xvm_domain and written
 * from it byte for byte as libvirt 9.0 writes it (libxml2 for reading).
 */
#ifndef XVM_DOMXML_H
#define XVM_DOMXML_H

#include <stdbool.h>
#include <stddef.h>

#include "xvm/domain.h"
#include "xvm/err.h"
#include "xvm/util.h"

enum {
	XVM_XML_INACTIVE = 1 << 0,	/* the persistent form: no id, no
					   live-only state */
	XVM_XML_SECURE   = 1 << 1,	/* include passwords (passwd=) */
};

/*
 * Parse a <domain> document.  `name` names the document in messages
 * (a file name, or "(domain_definition)" as libvirt says for strings).
 * Errors: XVM_ERR_CONFIG with file/line set, e.g.
 *   "dom.xml:2: Premature end of data in tag domain line 1"
 *   "dom.xml:7: invalid memory size 'abc' in <memory>"
 *   "dom.xml:12: unknown disk bus 'floppy9'"
 * A missing <uuid> gets a fresh one (libuuid).
 */
int xvm_domain_parse_xml(const char *data, size_t len, const char *name,
    unsigned flags, struct xvm_domain **out, struct xvm_err *err);

/* Write the document as libvirt formats it (2-space indent, '...'). */
void xvm_domain_format_xml(const struct xvm_domain *d, unsigned flags,
    struct xvm_buf *b);

/*
 * The nodes the XPath expression selects in the XML document, each
 * serialized on a line of out (wrap: all in one <nodes> element), as
 * `virsh dumpxml --xpath` prints them.  An expression that does not give
 * nodes is XVM_ERR_INTERNAL "Incorrect xpath 'expr'".
 */
enum {
	XVM_XPATH_WRAP = 1 << 0,	/* all in one <nodes> element */
	XVM_XPATH_RAW  = 1 << 1,	/* as in the document: its own
					   indentation, no newline after */
};
int xvm_xml_xpath(const char *xml, size_t len, const char *expr,
    unsigned flags, struct xvm_buf *out, struct xvm_err *err);

/*
 * Validate a document against libvirt's RelaxNG domain schema
 * (schema_dir/domain.rng, installed with xvm).  Errors name the line and
 * what the schema expected.
 */
int xvm_domain_validate_xml(const char *data, size_t len, const char *name,
    const char *schema_dir, struct xvm_err *err);

/*
 * Where the schema lives: $XVM_SCHEMA_DIR, else the installed
 * DATADIR/xvm/schemas, else data/schemas of the source tree the running
 * binary was built in (so build/bin/... works before `make install`).
 * Returns NULL when none has domain.rng.  The string is malloc'd.
 */
char *xvm_schema_dir(void);

#endif

/*
 * conformance.c - libvirt's xm/xl config <-> domain XML corpus, run the way
 * libvirt's own tests run it (tests/conformance/cases), byte for byte:
 *   cfg -> XML: plain config reader, convert, format the XML (xm: SECURE,
 *               xl: INACTIVE|SECURE);
 *   XML -> cfg: parse the XML (INACTIVE), convert, write the config.
 * Prints TAP; every produced XML is also saved under OUTDIR for the schema
 * check that run.sh does with xmllint.
 *
 *   conformance CORPUS_DIR CASES_FILE OUTDIR
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xvm/cfg.h"
#include "xvm/domxml.h"
#include "xvm/file.h"
#include "xvm/xenconfig.h"

#define FW_PLACEHOLDER "/LIBXL_FIRMWARE_DIR"

static int n_tests, n_failed;

static char *
slurp(const char *path, size_t *len)
{
	struct xvm_err err;
	char *data = NULL;

	xvm_err_clear(&err);
	if (xvm_file_read(path, 1 << 24, &data, len, &err) < 0) {
		printf("# %s\n", err.msg);
		return NULL;
	}
	return data;
}

/* Replace every occurrence of from with to (firmware directory). */
static char *
replace_all(const char *s, const char *from, const char *to)
{
	struct xvm_buf b = XVM_BUF_INIT;
	const char *p;

	while ((p = strstr(s, from)) != NULL) {
		xvm_buf_add(&b, s, (size_t)(p - s));
		xvm_buf_puts(&b, to);
		s = p + strlen(from);
	}
	xvm_buf_puts(&b, s);
	return xvm_buf_steal(&b);
}

/* Report the first line where got and want differ. */
static void
show_diff(const char *got, const char *want)
{
	int line = 1;
	const char *g = got, *w = want;

	while (*g && *g == *w) {
		if (*g == '\n')
			line++;
		g++;
		w++;
	}
	while (g > got && g[-1] != '\n') {
		g--;
		w--;
	}
	printf("#   first difference at line %d\n#   got:  %.*s\n"
	    "#   want: %.*s\n", line, (int)strcspn(g, "\n"), g,
	    (int)strcspn(w, "\n"), w);
}

static void
result(bool ok, const char *what, const char *why)
{
	n_tests++;
	if (!ok)
		n_failed++;
	printf("%s %d - %s\n", ok ? "ok" : "not ok", n_tests, what);
	if (!ok && why)
		printf("#   %s\n", why);
	fflush(stdout);
}

static void
cfg_to_xml(const char *dir, const char *name, enum xvm_cfg_dialect dialect,
    bool fw, const char *outdir, const char *what)
{
	const struct xvm_xen_caps *caps = xvm_xen_caps_test();
	char *cfgpath = xvm_asprintf("%s/test-%s.cfg", dir, name);
	char *xmlpath = xvm_asprintf("%s/test-%s.xml", dir, name);
	char *cfgdata = NULL, *want = NULL, *raw = NULL, *out;
	struct xvm_cfg cfg;
	struct xvm_domain *d = NULL;
	struct xvm_err err;
	struct xvm_buf b = XVM_BUF_INIT;
	size_t len, wlen;
	char line[2048];
	FILE *f;

	xvm_err_clear(&err);
	xvm_cfg_init(&cfg, cfgpath);
	if (!(cfgdata = slurp(cfgpath, &len)) || !(raw = slurp(xmlpath, &wlen))) {
		result(false, what, "cannot read the case's files");
		goto out;
	}
	want = fw ? replace_all(raw, FW_PLACEHOLDER, caps->firmware_dir) :
	    xvm_strdup(raw);
	if (xvm_cfg_parse(&cfg, cfgdata, len, 0, NULL, &err) < 0 ||
	    xvm_domain_from_cfg(&cfg, dialect, caps, &d, &err) < 0) {
		result(false, what, xvm_err_format(&err, line, sizeof(line)));
		goto out;
	}
	xvm_domain_format_xml(d, dialect == XVM_DIALECT_XM ? XVM_XML_SECURE :
	    XVM_XML_INACTIVE | XVM_XML_SECURE, &b);
	result(strcmp(xvm_buf_str(&b), want) == 0, what, NULL);
	if (strcmp(xvm_buf_str(&b), want) != 0)
		show_diff(xvm_buf_str(&b), want);
	out = xvm_asprintf("%s/%s-%s.xml", outdir, dialect == XVM_DIALECT_XM ?
	    "xm" : "xl", name);
	if ((f = fopen(out, "w")) != NULL) {
		fputs(xvm_buf_str(&b), f);
		fclose(f);
	}
	free(out);
out:
	xvm_cfg_release(&cfg);
	xvm_domain_free(d);
	xvm_buf_release(&b);
	free(cfgpath);
	free(xmlpath);
	free(cfgdata);
	free(raw);
	free(want);
}

static void
xml_to_cfg(const char *dir, const char *name, enum xvm_cfg_dialect dialect,
    bool fw, const char *what)
{
	const struct xvm_xen_caps *caps = xvm_xen_caps_test();
	char *cfgpath = xvm_asprintf("%s/test-%s.cfg", dir, name);
	char *xmlpath = xvm_asprintf("%s/test-%s.xml", dir, name);
	char *want = NULL, *raw = NULL, *xml = NULL;
	struct xvm_cfg cfg;
	struct xvm_domain *d = NULL;
	struct xvm_err err;
	struct xvm_buf b = XVM_BUF_INIT;
	size_t len, wlen;
	char line[2048];

	xvm_err_clear(&err);
	xvm_cfg_init(&cfg, cfgpath);
	if (!(want = slurp(cfgpath, &wlen)) || !(raw = slurp(xmlpath, &len))) {
		result(false, what, "cannot read the case's files");
		goto out;
	}
	xml = fw ? replace_all(raw, FW_PLACEHOLDER, caps->firmware_dir) :
	    xvm_strdup(raw);
	if (xvm_domain_parse_xml(xml, strlen(xml), xmlpath, XVM_XML_INACTIVE,
	    &d, &err) < 0 || xvm_domain_to_cfg(d, dialect, &cfg, &err) < 0) {
		result(false, what, xvm_err_format(&err, line, sizeof(line)));
		goto out;
	}
	xvm_cfg_write(&cfg, &b);
	result(strcmp(xvm_buf_str(&b), want) == 0, what, NULL);
	if (strcmp(xvm_buf_str(&b), want) != 0)
		show_diff(xvm_buf_str(&b), want);
out:
	xvm_cfg_release(&cfg);
	xvm_domain_free(d);
	xvm_buf_release(&b);
	free(cfgpath);
	free(xmlpath);
	free(want);
	free(raw);
	free(xml);
}

int
main(int argc, char **argv)
{
	char line[512], dialect_s[8], mode[16], name[256], what[320];
	FILE *cases;

	if (argc != 4) {
		fprintf(stderr, "usage: conformance CORPUS_DIR CASES OUTDIR\n");
		return 2;
	}
	if (!(cases = fopen(argv[2], "r"))) {
		perror(argv[2]);
		return 2;
	}
	while (fgets(line, sizeof(line), cases)) {
		enum xvm_cfg_dialect dialect;
		char *dir;
		bool fw;

		if (line[0] == '#' || sscanf(line, "%7s %15s %255s", dialect_s,
		    mode, name) != 3)
			continue;
		dialect = strcmp(dialect_s, "xm") == 0 ? XVM_DIALECT_XM :
		    XVM_DIALECT_XL;
		dir = xvm_asprintf("%s/tests/%sconfigdata", argv[1], dialect_s);
		fw = strcmp(mode, "both-fw") == 0;
		if (strcmp(mode, "parse") != 0) {
			snprintf(what, sizeof(what), "%s cfg->xml %s",
			    dialect_s, name);
			cfg_to_xml(dir, name, dialect, fw, argv[3], what);
		}
		if (strcmp(mode, "format") != 0) {
			snprintf(what, sizeof(what), "%s xml->cfg %s",
			    dialect_s, name);
			xml_to_cfg(dir, name, dialect, fw, what);
		}
		free(dir);
	}
	fclose(cases);
	printf("1..%d\n", n_tests);
	printf("# conversions: %d/%d passed\n", n_tests - n_failed, n_tests);
	return n_failed ? 1 : 0;
}

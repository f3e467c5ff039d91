/*
 * t_xml.c - unit tests of the domain XML reader and writer (lib/conf/xml_*).
 *
 * The main test is the libvirt corpus (../shared/conformance/libvirt, or
 * $XVM_SHARED/conformance/libvirt): every XML file of tests/xmconfigdata
 * and tests/xlconfigdata must read and write back byte for byte, read
 * back to an equal domain, and validate against the project's copy of the
 * schema (data/schemas).
 * Then: malformed documents and their exact messages, passwords only with
 * XVM_XML_SECURE, the id only without XVM_XML_INACTIVE, escaping, and a
 * fresh UUID when the document has none.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include "conf/xml_dl.h"

#include "xvm/domxml.h"
#include "xvm/file.h"
#include "t.h"

#define SCHEMAS "data/schemas"
#define XEN_NS "http://libvirt.org/schemas/domain/xen/1.0"

/* libvirt's own formatter does not write this one: see check_corpus(). */
#define NOT_CANONICAL "test-fullvirt-usbtablet-no-bus.xml"

static int
by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The *.xml files of dir, sorted, into files. */
static void
list_xml(const char *dir, struct xvm_strv *files)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	size_t n;

	if (d == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		n = strlen(de->d_name);
		if (n > 4 && strcmp(de->d_name + n - 4, ".xml") == 0)
			xvm_strv_pushf(files, "%s/%s", dir, de->d_name);
	}
	closedir(d);
	if (files->n)
		qsort(files->v, files->n, sizeof(*files->v), by_name);
}

/* The lines of s, sorted: the same lines in another order compare equal. */
static char *
sorted_lines(const char *s)
{
	struct xvm_strv lines = XVM_STRV_INIT;
	char *joined;

	xvm_strv_split(&lines, s, "\n");
	xvm_strv_sort(&lines);
	joined = xvm_strv_join(&lines, "\n");
	xvm_strv_release(&lines);
	return joined;
}

static char *
format(const struct xvm_domain *d, unsigned flags)
{
	struct xvm_buf b = XVM_BUF_INIT;

	xvm_domain_format_xml(d, flags, &b);
	return xvm_buf_steal(&b);
}

/*
 * One corpus file: read, write, compare; read the output again and
 * compare the domains; validate.  The file with a live id is read and
 * written in the live form.  The one file libvirt's formatter did not
 * write (its elements are out of libvirt's order and it leaves out
 * autoport) must come back as the same lines in libvirt's order, and
 * what we write of it must be a fixed point.
 */
static void
check_file(const char *path, int *identical)
{
	char *data = NULL, *out = NULL, *out2 = NULL, *a = NULL, *b = NULL;
	char what[512], msg[1200];
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	struct xvm_domain *d = NULL, *d2 = NULL;
	struct xvm_err err;
	size_t len;
	unsigned flags = XVM_XML_INACTIVE;

	xvm_err_clear(&err);
	if (xvm_file_read(path, 1 << 20, &data, &len, &err) < 0) {
		T_OK(0, path);
		return;
	}
	if (strstr(data, "<domain type='xen' id=") != NULL)
		flags = 0;
	snprintf(what, sizeof(what), "parse %s", base);
	if (!T_OK(xvm_domain_parse_xml(data, len, path, flags, &d, &err) == 0,
	    what)) {
		printf("#   %s\n", xvm_err_format(&err, msg, sizeof(msg)));
		goto out;
	}
	out = format(d, flags | XVM_XML_SECURE);
	if (strcmp(base, NOT_CANONICAL) == 0) {
		/* port='-1' means autoport, which libvirt then writes */
		char *fixed = xvm_strdup(data), *p = strstr(fixed,
		    "port='-1' listen=");
		struct xvm_buf fb = XVM_BUF_INIT;

		if (p != NULL) {
			xvm_buf_add(&fb, fixed, (size_t)(p - fixed));
			xvm_buf_puts(&fb, "port='-1' autoport='yes' listen=");
			xvm_buf_puts(&fb, p + strlen("port='-1' listen="));
			free(fixed);
			fixed = xvm_buf_steal(&fb);
		}
		a = sorted_lines(fixed);
		free(fixed);
		b = sorted_lines(out);
		snprintf(what, sizeof(what), "%s: same lines, libvirt's order",
		    base);
		T_STREQ(b, a, what);
	} else {
		snprintf(what, sizeof(what), "%s: byte for byte", base);
		if (T_STREQ(out, data, what))
			(*identical)++;
	}
	snprintf(what, sizeof(what), "%s: reads back equal", base);
	if (xvm_domain_parse_xml(out, strlen(out), "out", flags, &d2,
	    &err) < 0) {
		T_OK(0, what);
		printf("#   %s\n", xvm_err_format(&err, msg, sizeof(msg)));
	} else {
		T_OK(xvm_domain_equal(d, d2), what);
		out2 = format(d2, flags | XVM_XML_SECURE);
		snprintf(what, sizeof(what), "%s: writes back the same", base);
		T_STREQ(out2, out, what);
	}
	snprintf(what, sizeof(what), "%s: valid against " SCHEMAS, base);
	if (!T_OK(xvm_domain_validate_xml(data, len, path, SCHEMAS,
	    &err) == 0, what))
		printf("#   %s\n", xvm_err_format(&err, msg, sizeof(msg)));
out:
	xvm_domain_free(d);
	xvm_domain_free(d2);
	free(data);
	free(out);
	free(out2);
	free(a);
	free(b);
}

static void
check_corpus(void)
{
	const char *shared = getenv("XVM_SHARED");
	struct xvm_strv files = XVM_STRV_INIT;
	char *dir;
	int identical = 0;
	size_t i;

	if (shared == NULL || *shared == '\0')
		shared = "../shared";
	dir = xvm_asprintf("%s/conformance/libvirt/tests/xmconfigdata",
	    shared);
	list_xml(dir, &files);
	free(dir);
	dir = xvm_asprintf("%s/conformance/libvirt/tests/xlconfigdata",
	    shared);
	list_xml(dir, &files);
	free(dir);
	if (files.n == 0) {
		t_n++;
		printf("ok %d # skip no corpus\n", t_n);
		return;
	}
	for (i = 0; i < files.n; i++)
		check_file(files.v[i], &identical);
	printf("# corpus: %d/%zu byte-identical (%s: libvirt order)\n",
	    identical, files.n, NOT_CANONICAL);
	T_EQ(files.n, 86, "the corpus has 86 documents");
	T_EQ(identical, files.n - 1, "all but " NOT_CANONICAL
	    " byte-identical");
	xvm_strv_release(&files);
}

/* ---- malformed documents ---------------------------------------------- */

/* four lines of a valid start; what a case adds starts on line 5 */
#define HEAD "<domain type='xen'>\n  <name>t</name>\n" \
	"  <memory>1024</memory>\n  <os><type>hvm</type></os>\n"
#define TAIL "</domain>\n"
#define DEV(x) HEAD "  <devices>\n" x "  </devices>\n" TAIL

static const struct bad {
	const char *doc;
	const char *msg;
} bad[] = {
	{ "", "t.xml:1: Document is empty" },
	{ "<domain type='xen'>\n  <name>t</name>\n",
	  "t.xml:3: Premature end of data in tag domain line 1" },
	{ "<domain type='xen'>\n  <name>t</nam>\n</domain>\n",
	  "t.xml:2: Opening and ending tag mismatch: name line 2 and nam" },
	{ HEAD "  <title>&bogus;</title>\n" TAIL,
	  "t.xml:5: Entity 'bogus' not defined" },
	{ "<!DOCTYPE domain [\n<!ENTITY a \"aaaa\">\n]>\n" HEAD TAIL,
	  "t.xml:2: entity declarations are not allowed" },
	{ "<!DOCTYPE domain [\n\n<!ENTITY % p \"x\">\n]>\n" HEAD TAIL,
	  "t.xml:3: entity declarations are not allowed" },
	{ HEAD "  <xen:commandline/>\n" TAIL,
	  "t.xml:5: Namespace prefix xen on commandline is not defined" },
	{ "<dom type='xen'>\n  <name>t</name>\n</dom>\n",
	  "t.xml:1: expecting root element of 'domain', not 'dom'" },
	{ "<domain>\n  <name>t</name>\n</domain>\n",
	  "t.xml:1: missing domain type in <domain>" },
	{ "<domain type='foo'>\n  <name>t</name>\n</domain>\n",
	  "t.xml:1: unknown domain type 'foo'" },
	{ "<domain type='xen'>\n  <memory>1</memory>\n</domain>\n",
	  "t.xml:1: missing <name>" },
	{ HEAD "  <uuid>c7a5fdb2-cdaf-9455</uuid>\n" TAIL,
	  "t.xml:5: invalid uuid 'c7a5fdb2-cdaf-9455'" },
	{ "<domain type='xen'>\n  <name>t</name>\n  <memory>abc</memory>\n"
	  TAIL, "t.xml:3: invalid memory size 'abc' in <memory>" },
	{ "<domain type='xen'>\n  <name>t</name>\n"
	  "  <memory unit='XB'>1</memory>\n" TAIL,
	  "t.xml:3: unknown memory unit 'XB' in <memory>" },
	{ "<domain type='xen'>\n  <name>t</name>\n  <os/>\n" TAIL,
	  "t.xml:1: missing <memory>" },
	{ HEAD "  <currentMemory>-5</currentMemory>\n" TAIL,
	  "t.xml:5: invalid memory size '-5' in <currentMemory>" },
	{ HEAD "  <vcpu>two</vcpu>\n" TAIL,
	  "t.xml:5: invalid vcpu count 'two' in <vcpu>" },
	{ HEAD "  <vcpu current='9'>2</vcpu>\n" TAIL,
	  "t.xml:5: current vcpu count 9 must be between 1 and 2" },
	{ "<domain type='xen'>\n  <name>t</name>\n  <memory>1</memory>\n"
	  "  <os>\n  </os>\n" TAIL, "t.xml:4: missing <os> <type>" },
	{ "<domain type='xen'>\n  <name>t</name>\n  <memory>1</memory>\n"
	  "  <os><type>exe</type></os>\n" TAIL,
	  "t.xml:4: unknown OS type 'exe'" },
	{ "<domain type='xen'>\n  <name>t</name>\n  <memory>1</memory>\n"
	  "  <os>\n    <type>hvm</type>\n    <boot dev='usb'/>\n  </os>\n"
	  TAIL, "t.xml:6: unknown boot device 'usb'" },
	{ HEAD "  <features>\n    <hap state='maybe'/>\n  </features>\n"
	  TAIL, "t.xml:6: invalid state 'maybe' in <hap>" },
	{ HEAD "  <clock offset='gmt'/>\n" TAIL,
	  "t.xml:5: unknown clock offset 'gmt'" },
	{ HEAD "  <cpu>\n    <numa>\n      <cell id='0' memory='1'>\n"
	  "        <distances>\n          <sibling id='0' value='5'/>\n"
	  "        </distances>\n      </cell>\n    </numa>\n  </cpu>\n" TAIL,
	  "t.xml:9: invalid value '5' in <sibling>, expected 10 to 255" },
	{ HEAD "  <on_crash>boom</on_crash>\n" TAIL,
	  "t.xml:5: unknown on_crash action 'boom'" },
	{ DEV("    <disk type='file'>\n      <source file='/a'/>\n"
	  "      <target dev='hda' bus='floppy9'/>\n    </disk>\n"),
	  "t.xml:8: unknown disk bus 'floppy9'" },
	{ DEV("    <disk type='file'>\n      <source file='/a'/>\n"
	  "    </disk>\n"), "t.xml:6: missing <target dev> in <disk>" },
	{ DEV("    <disk type='tape'>\n    </disk>\n"),
	  "t.xml:6: unknown disk type 'tape'" },
	{ DEV("    <controller type='xenbus' index='-1'/>\n"),
	  "t.xml:6: invalid index '-1' in <controller>" },
	{ DEV("    <interface type='bridge'>\n"
	  "      <mac address='00:16:3e:zz:00:01'/>\n    </interface>\n"),
	  "t.xml:7: invalid mac address '00:16:3e:zz:00:01'" },
	{ DEV("    <interface type='direct'/>\n"),
	  "t.xml:6: unknown interface type 'direct'" },
	{ DEV("    <serial type='tcp'>\n"
	  "      <source mode='listen' host='a' service='1'/>\n"
	  "    </serial>\n"), "t.xml:7: unknown source mode 'listen'" },
	{ DEV("    <console type='pty'>\n"
	  "      <target type='xen' port='zero'/>\n    </console>\n"),
	  "t.xml:7: invalid port 'zero' in <target>" },
	{ DEV("    <input bus='usb'/>\n"), "t.xml:6: missing type in <input>" },
	{ DEV("    <graphics type='vnc' port='59o1'/>\n"),
	  "t.xml:6: invalid port '59o1' in <graphics>" },
	{ DEV("    <graphics type='rdp'/>\n"),
	  "t.xml:6: unknown graphics type 'rdp'" },
	{ DEV("    <video>\n      <model type='fancy'/>\n    </video>\n"),
	  "t.xml:7: unknown video model 'fancy'" },
	{ DEV("    <hostdev mode='subsystem' type='pci'>\n      <source>\n"
	  "        <address domain='0' bus='0' slot='0x20' function='0'/>\n"
	  "      </source>\n    </hostdev>\n"),
	  "t.xml:8: invalid slot '0x20' in <address>" },
	{ DEV("    <hostdev mode='subsystem' type='pci'>\n"
	  "    </hostdev>\n"), "t.xml:6: missing PCI address in <hostdev>" },
	{ DEV("    <memballoon model='xen'/>\n    <memballoon model='xen'/>\n"),
	  "t.xml:7: only one <memballoon> is supported" },
	{ "<domain type='xen' xmlns:xen='" XEN_NS "'>\n"
	  "  <name>t</name>\n  <memory>1024</memory>\n"
	  "  <os><type>hvm</type></os>\n  <xen:commandline>\n"
	  "    <xen:arg val='-x'/>\n  </xen:commandline>\n" TAIL,
	  "t.xml:6: missing value in <xen:arg>" },
};

static void
check_bad(void)
{
	struct xvm_domain *d;
	struct xvm_err err;
	char msg[1200], what[64];
	size_t i;

	for (i = 0; i < XVM_ARRAY_SIZE(bad); i++) {
		snprintf(what, sizeof(what), "malformed document %zu", i + 1);
		d = NULL;
		if (xvm_domain_parse_xml(bad[i].doc, strlen(bad[i].doc),
		    "t.xml", XVM_XML_INACTIVE, &d, &err) == 0) {
			T_OK(0, what);
			xvm_domain_free(d);
			continue;
		}
		T_OK(d == NULL && err.code == XVM_ERR_CONFIG, what);
		T_STREQ(xvm_err_format(&err, msg, sizeof(msg)), bad[i].msg,
		    what);
	}
}

/* ---- the rest --------------------------------------------------------- */

static struct xvm_domain *
parse(const char *doc, unsigned flags)
{
	struct xvm_domain *d = NULL;
	struct xvm_err err;
	char msg[1200];

	if (xvm_domain_parse_xml(doc, strlen(doc), "t.xml", flags, &d,
	    &err) < 0)
		printf("# parse: %s\n", xvm_err_format(&err, msg,
		    sizeof(msg)));
	return d;
}

static void
check_flags(void)
{
	static const char doc[] =
	    "<domain type='xen' id='7'>\n  <name>live</name>\n"
	    "  <memory>1024</memory>\n  <os><type>linux</type></os>\n"
	    "  <devices>\n    <console type='pty'>\n"
	    "      <source path='/dev/pts/3'/>\n"
	    "      <target type='xen' port='0'/>\n    </console>\n"
	    "    <graphics type='vnc' port='5901' autoport='yes' "
	    "passwd='s3cret'/>\n  </devices>\n</domain>\n";
	struct xvm_domain *d = parse(doc, 0), *di = parse(doc,
	    XVM_XML_INACTIVE);
	char *s;

	if (!T_OK(d && di, "live document reads"))
		goto out;
	T_EQ(d->id, 7, "id read without INACTIVE");
	T_EQ(di->id, -1, "id ignored with INACTIVE");
	T_STREQ(d->consoles[0].path, "/dev/pts/3", "pty path read when live");
	T_OK(di->consoles[0].path == NULL, "pty path ignored with INACTIVE");
	s = format(d, XVM_XML_SECURE);
	T_OK(strstr(s, "<domain type='xen' id='7'>\n") != NULL,
	    "id written without INACTIVE");
	T_OK(strstr(s, "<console type='pty' tty='/dev/pts/3'>\n"
	    "      <source path='/dev/pts/3'/>\n") != NULL,
	    "live pty console written with its path");
	T_OK(strstr(s, "port='5901' autoport='yes'") != NULL,
	    "live vnc port kept");
	free(s);
	s = format(d, XVM_XML_INACTIVE | XVM_XML_SECURE);
	T_OK(strstr(s, "<domain type='xen'>\n") != NULL,
	    "no id with INACTIVE");
	T_OK(strstr(s, "/dev/pts/3") == NULL, "no pty path with INACTIVE");
	T_OK(strstr(s, "<graphics type='vnc' port='-1' autoport='yes' "
	    "passwd='s3cret'>") != NULL, "autoport: port -1 with INACTIVE");
	free(s);
	s = format(d, XVM_XML_INACTIVE);
	T_OK(strstr(s, "s3cret") == NULL && strstr(s, "passwd") == NULL,
	    "no password without SECURE");
	free(s);
out:
	xvm_domain_free(d);
	xvm_domain_free(di);
}

static void
check_escaping(void)
{
	static const char doc[] =
	    "<domain type='xen'>\n  <name>a&lt;b&gt;&amp;c'd\"e</name>\n"
	    "  <description>line 1\nline 2\rx\ty</description>\n"
	    "  <memory>1024</memory>\n  <os><type>hvm</type>\n"
	    "  <cmdline>x=&quot;1&quot; y=&apos;2&apos;</cmdline></os>\n"
	    "  <devices>\n    <disk type='file' device='disk'>\n"
	    "      <source file='/a&amp;b&lt;&gt;&apos;&quot;&#10;&#9;c'/>\n"
	    "      <target dev='xvda'/>\n    </disk>\n  </devices>\n"
	    "</domain>\n";
	struct xvm_domain *d = parse(doc, XVM_XML_INACTIVE), *d2 = NULL;
	char *s = NULL;

	if (!T_OK(d != NULL, "document with special characters reads"))
		return;
	T_STREQ(d->name, "a<b>&c'd\"e", "entities decoded in text");
	T_STREQ(d->disks[0].src, "/a&b<>'\"\n\tc",
	    "entities decoded in attributes");
	T_STREQ(d->description, "line 1\nline 2\nx\ty",
	    "line ends normalised by the parser");
	s = format(d, XVM_XML_INACTIVE | XVM_XML_SECURE);
	T_OK(strstr(s, "<name>a&lt;b&gt;&amp;c&apos;d&quot;e</name>") != NULL,
	    "text escaped as libvirt escapes it");
	T_OK(strstr(s, "<cmdline>x=&quot;1&quot; y=&apos;2&apos;</cmdline>")
	    != NULL, "quotes escaped in text");
	T_OK(strstr(s, "<source file='/a&amp;b&lt;&gt;&apos;&quot;&#10;&#9;"
	    "c'/>") != NULL, "attribute escaped, newline and tab kept");
	d2 = parse(s, XVM_XML_INACTIVE);
	T_OK(d2 && xvm_domain_equal(d, d2), "escaped document reads back");
	xvm_domain_free(d2);
	free(s);
	/* a carriage return in the model survives the round trip */
	free(d->title);
	d->title = xvm_strdup("cr\rhere\001");
	s = format(d, XVM_XML_INACTIVE);
	T_OK(strstr(s, "<title>cr&#13;here</title>") != NULL,
	    "carriage return referenced, control character dropped");
	d2 = parse(s, XVM_XML_INACTIVE);
	T_STREQ(d2 ? d2->title : NULL, "cr\rhere", "carriage return read back");
	xvm_domain_free(d2);
	free(s);
	xvm_domain_free(d);
}

static void
check_uuid_and_defaults(void)
{
	static const char doc[] = "<domain type='test'>\n  <name>t</name>\n"
	    "  <memory unit='MiB'>512</memory>\n"
	    "  <os><type>hvm</type></os>\n</domain>\n";
	static const unsigned char zero[16];
	struct xvm_domain *a = parse(doc, XVM_XML_INACTIVE);
	struct xvm_domain *b = parse(doc, XVM_XML_INACTIVE);
	char *s;

	if (!T_OK(a && b, "minimal document reads")) {
		xvm_domain_free(a);
		xvm_domain_free(b);
		return;
	}
	T_OK(a->has_uuid && memcmp(a->uuid, zero, 16) != 0,
	    "missing uuid generated");
	T_OK(memcmp(a->uuid, b->uuid, 16) != 0, "a fresh uuid each time");
	T_STREQ(a->virt_type, "test", "domain type kept");
	T_EQ(a->memory_kib, 524288, "memory unit applied");
	T_EQ(a->current_kib, 524288, "current memory defaults to memory");
	T_EQ(a->vcpus, 1, "one vcpu by default");
	T_EQ(a->on_reboot, XVM_LIFE_RESTART, "on_reboot defaults to restart");
	s = format(a, XVM_XML_INACTIVE);
	T_OK(strstr(s, "<domain type='test'>\n  <name>t</name>\n  <uuid>") ==
	    s, "generated uuid written");
	T_OK(strstr(s, "  <devices>\n  </devices>\n</domain>\n") != NULL,
	    "empty devices written as libvirt writes them");
	free(s);
	xvm_domain_free(a);
	xvm_domain_free(b);
}

static void
check_validate(void)
{
	static const char doc[] =
	    "<domain type='xen'>\n  <name>t</name>\n"
	    "  <memory unit='KiB'>1024</memory>\n"
	    "  <os>\n    <type>hvm</type>\n  </os>\n"
	    "  <devices>\n    <disk type='file' device='disk'>\n"
	    "      <target dev='hda' bus='floppy9'/>\n    </disk>\n"
	    "  </devices>\n</domain>\n";
	static const char ok[] =
	    "<domain type='xen'>\n  <name>t</name>\n"
	    "  <memory unit='KiB'>1024</memory>\n"
	    "  <os>\n    <type>hvm</type>\n  </os>\n</domain>\n";
	struct xvm_err err;
	char msg[1200];

	T_OK(xvm_domain_validate_xml(ok, strlen(ok), "ok.xml", SCHEMAS,
	    &err) == 0, "minimal document valid");
	T_OK(xvm_domain_validate_xml(doc, strlen(doc), "bad.xml", SCHEMAS,
	    &err) < 0, "invalid document refused");
	T_STREQ(xvm_err_format(&err, msg, sizeof(msg)),
	    "bad.xml:7: element devices: Extra element devices in interleave",
	    "schema error names line and element");
	T_OK(xvm_domain_validate_xml("<domain", 7, "x.xml", SCHEMAS,
	    &err) < 0 && err.line == 1, "malformed document refused");
	T_OK(xvm_domain_validate_xml(ok, strlen(ok), "ok.xml", "/nonexistent",
	    &err) < 0 && err.code == XVM_ERR_NOT_FOUND,
	    "missing schema reported");
}

/*
 * --dump-malformed DIR: write each malformed document as DIR/N.xml and its
 * message as DIR/N.err for the bats tests, which run them through virsh.
 */
static int
dump_malformed(const char *dir)
{
	size_t i;

	for (i = 0; i < XVM_ARRAY_SIZE(bad); i++) {
		char *xml = xvm_asprintf("%s/%03zu.xml", dir, i + 1);
		char *msg = xvm_asprintf("%s/%03zu.err", dir, i + 1);
		FILE *f = fopen(xml, "w"), *g = fopen(msg, "w");

		free(xml);
		free(msg);
		if (!f || !g)
			return 1;
		fputs(bad[i].doc, f);
		fprintf(g, "%s\n", bad[i].msg);
		fclose(f);
		fclose(g);
	}
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "--dump-malformed") == 0)
		return dump_malformed(argv[2]);
	check_corpus();
	check_bad();
	check_flags();
	check_escaping();
	check_uuid_and_defaults();
	check_validate();
	xmlCleanupParser();
	return t_done();
}

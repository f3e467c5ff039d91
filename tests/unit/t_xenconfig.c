/*
 * t_xenconfig.c - the xm and xl converters (lib/conf/xen_*.c) against
 * libvirt 9.0's own conformance corpus (tests/xmconfigdata and
 * tests/xlconfigdata, see shared/conformance/libvirt/README.md), both
 * directions and byte for byte; malformed configs and their exact
 * messages; the round trip cfg -> domain -> cfg -> domain; and two
 * configs from the Sun xVM guide.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xvm/cfg.h"
#include "xvm/domain.h"
#include "xvm/domxml.h"
#include "xvm/util.h"
#include "xvm/xenconfig.h"
#include "conf/xen_int.h"
#include "t.h"

/* libvirt's tests/xmconfigtest.c and xlconfigtest.c (v9.0.0) */
static const char *const xm_both[] = {
	"paravirt-new-pvfb", "paravirt-new-pvfb-vncdisplay",
	"paravirt-net-e1000", "paravirt-net-fakemodel", "paravirt-net-vifname",
	"paravirt-vcpu", "paravirt-maxvcpus", "fullvirt-new-cdrom",
	"fullvirt-utc", "fullvirt-localtime", "fullvirt-usbtablet",
	"fullvirt-usbmouse", "fullvirt-serial-file", "fullvirt-serial-null",
	"fullvirt-serial-pipe", "fullvirt-serial-pty", "fullvirt-serial-stdio",
	"fullvirt-serial-tcp", "fullvirt-serial-tcp-telnet",
	"fullvirt-serial-udp", "fullvirt-serial-unix", "fullvirt-force-hpet",
	"fullvirt-force-nohpet", "fullvirt-nohap", "fullvirt-parallel-tcp",
	"fullvirt-sound", "fullvirt-net-netfront", "escape-paths",
	"no-source-cdrom", "pci-devs", "disk-drv-blktap-raw",
	"disk-drv-blktap2-raw",
};
static const char *const xm_format_only[] = {
	"paravirt-root", "paravirt-extra-root", "fullvirt-default-feature",
	"pci-dev-syntax",
};
static const char *const xl_both[] = {
	"fullvirt-ovswitch-tagged", "fullvirt-ovswitch-trunked",
	"paravirt-maxvcpus", "new-disk", "net-fakemodel", "spice",
	"spice-features", "vif-rate", "fullvirt-nohap", "fullvirt-hpet-timer",
	"fullvirt-tsc-timer", "fullvirt-multi-timer", "fullvirt-nestedhvm",
	"fullvirt-nestedhvm-disabled", "fullvirt-cpuid", "fullvirt-acpi-slic",
	"fullvirt-pci", "fullvirt-vnuma", "paravirt-cmdline",
	"rbd-multihost-noauth", "pvh-type", "channel-pty", "channel-unix",
	"fullvirt-multiserial", "fullvirt-multiusb",
	"fullvirt-direct-kernel-boot", "max-gntframes", "max-eventchannels",
	"vif-typename", "vif-multi-ip", "usb", "usbctrl", "paravirt-e820_host",
	"fullvirt-hypervisor-features", "qemu-passthrough",
	"fullvirt-ovmf",	/* DO_TEST_REPLACE_VARS */
};
static const char *const xl_format_only[] = {
	"disk-positional-parms-full", "disk-positional-parms-partial",
	"disk-qed", "paravirt-cmdline-extra-root",
	"paravirt-cmdline-bogus-extra-root", "paravirt-type", "fullvirt-type",
	"fullvirt-direct-kernel-boot-extra",
	"fullvirt-direct-kernel-boot-bogus-extra",
};
static const char *const xl_parse_only[] = {
	"fullvirt-vnuma-autocomplete", "fullvirt-vnuma-nodistances",
	"fullvirt-vnuma-partialdist",
};

struct tally {
	int pass, total;
};

static char *
slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	char *buf = NULL;
	size_t n = 0, cap = 0, r;

	if (fp == NULL)
		return NULL;
	do {
		if (cap - n < 4096) {
			cap = cap ? cap * 2 : 8192;
			buf = xvm_realloc(buf, cap + 1);
		}
		r = fread(buf + n, 1, cap - n, fp);
		n += r;
	} while (r > 0);
	fclose(fp);
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
}

/* every "from" in s replaced by "to" */
static char *
replace(const char *s, const char *from, const char *to)
{
	struct xvm_buf b = XVM_BUF_INIT;
	const char *hit;
	size_t fl = strlen(from);

	xvm_buf_puts(&b, "");
	while ((hit = strstr(s, from)) != NULL) {
		xvm_buf_add(&b, s, (size_t)(hit - s));
		xvm_buf_puts(&b, to);
		s = hit + fl;
	}
	xvm_buf_puts(&b, s);
	return xvm_buf_steal(&b);
}

/* The first line where got and want differ, as a TAP comment. */
static void
diff_hint(const char *got, const char *want)
{
	int line = 1;
	size_t gl, wl;

	while (*got || *want) {
		gl = strcspn(got, "\n");
		wl = strcspn(want, "\n");
		if (gl != wl || memcmp(got, want, gl) != 0) {
			printf("#   line %d:\n#   got:  %.*s\n#   want: %.*s\n",
			    line, (int)gl, got, (int)wl, want);
			return;
		}
		got += gl + (got[gl] == '\n');
		want += wl + (want[wl] == '\n');
		line++;
	}
}

static bool
is_corpus(const char *dir)
{
	char path[600];

	snprintf(path, sizeof(path), "%s/tests/xmconfigdata", dir);
	return access(path, R_OK) == 0;
}

/* $XVM_SHARED/conformance/libvirt, else ../shared/conformance/libvirt
   from the project root (the working directory, or two levels above
   build/tests/ where this program lives) */
static const char *
corpus_dir(char *buf, size_t size)
{
	const char *env = getenv("XVM_SHARED");
	char exe[512], *slash;
	ssize_t n;
	int up;

	if (env) {
		snprintf(buf, size, "%s/conformance/libvirt", env);
		if (is_corpus(buf))
			return buf;
		snprintf(buf, size, "%s", env);
		if (is_corpus(buf))
			return buf;
	}
	snprintf(buf, size, "../shared/conformance/libvirt");
	if (is_corpus(buf))
		return buf;
	if ((n = readlink("/proc/self/exe", exe, sizeof(exe) - 1)) <= 0)
		return NULL;
	exe[n] = '\0';
	for (up = 0; up < 3 && (slash = strrchr(exe, '/')) != NULL; up++)
		*slash = '\0';
	snprintf(buf, size, "%s/../shared/conformance/libvirt", exe);
	return is_corpus(buf) ? buf : NULL;
}

static const char *
dialect_dir(enum xvm_cfg_dialect dialect)
{
	return dialect == XVM_DIALECT_XL ? "xlconfigdata" : "xmconfigdata";
}

/* libvirt's testCompareFormatXML: cfg -> XML */
static void
cfg_to_xml(const char *dir, enum xvm_cfg_dialect dialect, const char *name,
    struct tally *t)
{
	char cfgpath[1200], xmlpath[1200], what[600], msg[1200];
	unsigned flags = dialect == XVM_DIALECT_XL ?
	    XVM_XML_INACTIVE | XVM_XML_SECURE : XVM_XML_SECURE;
	const struct xvm_xen_caps *caps = xvm_xen_caps_test();
	struct xvm_cfg cfg;
	struct xvm_err err;
	struct xvm_domain *d = NULL;
	struct xvm_buf b = XVM_BUF_INIT;
	char *want = NULL, *raw;
	int ok = 0;

	snprintf(cfgpath, sizeof(cfgpath), "%s/tests/%s/test-%s.cfg", dir,
	    dialect_dir(dialect), name);
	snprintf(xmlpath, sizeof(xmlpath), "%s/tests/%s/test-%s.xml", dir,
	    dialect_dir(dialect), name);
	snprintf(what, sizeof(what), "%s cfg->XML %s",
	    dialect == XVM_DIALECT_XL ? "xl" : "xm", name);
	t->total++;
	xvm_err_clear(&err);
	xvm_cfg_init(&cfg, cfgpath);
	if ((raw = slurp(xmlpath, NULL)) == NULL) {
		T_OK(0, what);
		printf("#   cannot read %s\n", xmlpath);
		goto out;
	}
	want = replace(raw, "/LIBXL_FIRMWARE_DIR", caps->firmware_dir);
	free(raw);
	if (xvm_cfg_parse_file(&cfg, cfgpath, 0, NULL, &err) < 0 ||
	    xvm_domain_from_cfg(&cfg, dialect, caps, &d, &err) < 0) {
		T_OK(0, what);
		printf("#   %s\n", xvm_err_format(&err, msg, sizeof(msg)));
		goto out;
	}
	xvm_buf_puts(&b, "");
	xvm_domain_format_xml(d, flags, &b);
	ok = strcmp(xvm_buf_str(&b), want) == 0;
	if (!T_OK(ok, what))
		diff_hint(xvm_buf_str(&b), want);
	t->pass += ok;
out:
	free(want);
	xvm_buf_release(&b);
	xvm_domain_free(d);
	xvm_cfg_release(&cfg);
}

/* libvirt's testCompareParseXML: XML -> cfg */
static void
xml_to_cfg(const char *dir, enum xvm_cfg_dialect dialect, const char *name,
    struct tally *t)
{
	char cfgpath[1200], xmlpath[1200], what[600], msg[1200];
	const struct xvm_xen_caps *caps = xvm_xen_caps_test();
	struct xvm_cfg cfg;
	struct xvm_err err;
	struct xvm_domain *d = NULL;
	struct xvm_buf b = XVM_BUF_INIT;
	char *want = NULL, *raw = NULL, *xml = NULL;
	int ok = 0;

	snprintf(cfgpath, sizeof(cfgpath), "%s/tests/%s/test-%s.cfg", dir,
	    dialect_dir(dialect), name);
	snprintf(xmlpath, sizeof(xmlpath), "%s/tests/%s/test-%s.xml", dir,
	    dialect_dir(dialect), name);
	snprintf(what, sizeof(what), "%s XML->cfg %s",
	    dialect == XVM_DIALECT_XL ? "xl" : "xm", name);
	t->total++;
	xvm_err_clear(&err);
	xvm_cfg_init(&cfg, cfgpath);
	if ((raw = slurp(xmlpath, NULL)) == NULL ||
	    (want = slurp(cfgpath, NULL)) == NULL) {
		T_OK(0, what);
		printf("#   cannot read the corpus files\n");
		goto out;
	}
	xml = replace(raw, "/LIBXL_FIRMWARE_DIR", caps->firmware_dir);
	if (xvm_domain_parse_xml(xml, strlen(xml), xmlpath, XVM_XML_INACTIVE,
	    &d, &err) < 0 || xvm_domain_to_cfg(d, dialect, &cfg, &err) < 0) {
		T_OK(0, what);
		printf("#   %s\n", xvm_err_format(&err, msg, sizeof(msg)));
		goto out;
	}
	xvm_buf_puts(&b, "");
	xvm_cfg_write(&cfg, &b);
	ok = strcmp(xvm_buf_str(&b), want) == 0;
	if (!T_OK(ok, what))
		diff_hint(xvm_buf_str(&b), want);
	t->pass += ok;
out:
	free(raw);
	free(xml);
	free(want);
	xvm_buf_release(&b);
	xvm_domain_free(d);
	xvm_cfg_release(&cfg);
}

/* cfg text -> domain; NULL with the message in msg */
static struct xvm_domain *
from_text(const char *text, enum xvm_cfg_dialect dialect, unsigned flags,
    char *msg, size_t size)
{
	struct xvm_cfg cfg;
	struct xvm_err err;
	struct xvm_domain *d = NULL;

	msg[0] = '\0';
	xvm_err_clear(&err);
	xvm_cfg_init(&cfg, "guest.cfg");
	if (xvm_cfg_parse(&cfg, text, strlen(text), flags, NULL, &err) < 0 ||
	    xvm_domain_from_cfg(&cfg, dialect, xvm_xen_caps_test(), &d,
	    &err) < 0)
		xvm_err_format(&err, msg, size);
	xvm_cfg_release(&cfg);
	return d;
}

/* domain -> cfg text; NULL with the message in msg */
static char *
to_text(const struct xvm_domain *d, enum xvm_cfg_dialect dialect, char *msg,
    size_t size)
{
	struct xvm_cfg cfg;
	struct xvm_err err;
	struct xvm_buf b = XVM_BUF_INIT;
	char *r = NULL;

	msg[0] = '\0';
	xvm_err_clear(&err);
	xvm_cfg_init(&cfg, "out.cfg");
	if (xvm_domain_to_cfg(d, dialect, &cfg, &err) < 0) {
		xvm_err_format(&err, msg, size);
	} else {
		xvm_buf_puts(&b, "");
		xvm_cfg_write(&cfg, &b);
		r = xvm_buf_steal(&b);
	}
	xvm_buf_release(&b);
	xvm_cfg_release(&cfg);
	return r;
}

/* cfg -> domain -> cfg -> domain gives the same domain */
static int
round_trip(const char *text, enum xvm_cfg_dialect dialect, unsigned flags,
    const char *what)
{
	struct xvm_domain *a, *b = NULL;
	char msg[1200], *out = NULL;
	int ok = 0;

	if ((a = from_text(text, dialect, flags, msg, sizeof(msg))) == NULL)
		goto out;
	if ((out = to_text(a, dialect, msg, sizeof(msg))) == NULL)
		goto out;
	if ((b = from_text(out, dialect, 0, msg, sizeof(msg))) == NULL)
		goto out;
	ok = xvm_domain_equal(a, b);
	if (!ok)
		snprintf(msg, sizeof(msg), "domains differ; rewritten config:");
out:
	if (!T_OK(ok, what)) {
		printf("#   %s\n", msg);
		if (out)
			printf("#   %s\n", out);
	}
	free(out);
	xvm_domain_free(a);
	xvm_domain_free(b);
	return ok;
}

static void
round_trip_file(const char *dir, enum xvm_cfg_dialect dialect,
    const char *name, struct tally *t)
{
	char path[1200], what[600];
	char *text;

	snprintf(path, sizeof(path), "%s/tests/%s/test-%s.cfg", dir,
	    dialect_dir(dialect), name);
	snprintf(what, sizeof(what), "%s round trip %s",
	    dialect == XVM_DIALECT_XL ? "xl" : "xm", name);
	t->total++;
	if ((text = slurp(path, NULL)) == NULL) {
		T_OK(0, what);
		return;
	}
	t->pass += round_trip(text, dialect, 0, what);
	free(text);
}

static void
corpus(void)
{
	char dir[1024];
	struct tally xm_f = { 0, 0 }, xm_p = { 0, 0 }, xl_f = { 0, 0 },
	    xl_p = { 0, 0 }, rt = { 0, 0 };
	size_t i;

	if (corpus_dir(dir, sizeof(dir)) == NULL) {
		t_n++;
		printf("ok %d # skip libvirt corpus not found (set "
		    "XVM_SHARED)\n", t_n);
		return;
	}
	for (i = 0; i < XVM_ARRAY_SIZE(xm_both); i++)
		cfg_to_xml(dir, XVM_DIALECT_XM, xm_both[i], &xm_f);
	for (i = 0; i < XVM_ARRAY_SIZE(xm_format_only); i++)
		cfg_to_xml(dir, XVM_DIALECT_XM, xm_format_only[i], &xm_f);
	for (i = 0; i < XVM_ARRAY_SIZE(xm_both); i++)
		xml_to_cfg(dir, XVM_DIALECT_XM, xm_both[i], &xm_p);
	for (i = 0; i < XVM_ARRAY_SIZE(xl_both); i++)
		cfg_to_xml(dir, XVM_DIALECT_XL, xl_both[i], &xl_f);
	for (i = 0; i < XVM_ARRAY_SIZE(xl_format_only); i++)
		cfg_to_xml(dir, XVM_DIALECT_XL, xl_format_only[i], &xl_f);
	for (i = 0; i < XVM_ARRAY_SIZE(xl_both); i++)
		xml_to_cfg(dir, XVM_DIALECT_XL, xl_both[i], &xl_p);
	for (i = 0; i < XVM_ARRAY_SIZE(xl_parse_only); i++)
		xml_to_cfg(dir, XVM_DIALECT_XL, xl_parse_only[i], &xl_p);

	for (i = 0; i < XVM_ARRAY_SIZE(xm_both); i++)
		round_trip_file(dir, XVM_DIALECT_XM, xm_both[i], &rt);
	for (i = 0; i < XVM_ARRAY_SIZE(xm_format_only); i++)
		round_trip_file(dir, XVM_DIALECT_XM, xm_format_only[i], &rt);
	for (i = 0; i < XVM_ARRAY_SIZE(xl_both); i++)
		round_trip_file(dir, XVM_DIALECT_XL, xl_both[i], &rt);
	for (i = 0; i < XVM_ARRAY_SIZE(xl_format_only); i++)
		round_trip_file(dir, XVM_DIALECT_XL, xl_format_only[i], &rt);
	for (i = 0; i < XVM_ARRAY_SIZE(xl_parse_only); i++)
		round_trip_file(dir, XVM_DIALECT_XL, xl_parse_only[i], &rt);

	printf("# xm cfg->XML %d/%d, XML->cfg %d/%d; xl cfg->XML %d/%d, "
	    "XML->cfg %d/%d; round trips %d/%d\n", xm_f.pass, xm_f.total,
	    xm_p.pass, xm_p.total, xl_f.pass, xl_f.total, xl_p.pass,
	    xl_p.total, rt.pass, rt.total);
}

/* ---- malformed configs ----------------------------------------------- */

#define XM XVM_DIALECT_XM
#define XL XVM_DIALECT_XL

/* a valid PV guest to break one setting of */
#define PV "name = \"g\"\n"

static const struct {
	enum xvm_cfg_dialect dialect;
	const char *text;
	const char *msg;
} bad[] = {
	{ XM, PV "builder = \"hvm\"\ndisk = [ \"phy:/dev/x,hdzz,w\" ]\n",
	  "guest.cfg: disk target 'hdzz' would need ide controller 175; at "
	  "most 16 are supported" },
	{ XL, PV "kernel = '\xd2usr/vmlinuz'\n",
	  "guest.cfg:2:10: the value of 'kernel' is not valid UTF-8 (byte "
	  "0xd2 at offset 0)" },
	{ XM, PV "extra = \"console=\\x01\"\n",
	  "guest.cfg:2:9: the value of 'extra' contains the control "
	  "character 0x01" },
	{ XL, PV "disk = [ 'xvda,\xc0\xafimg' ]\n",
	  "guest.cfg:2:10: the value of 'disk' is not valid UTF-8 (byte 0xc0 "
	  "at offset 5)" },
	{ XM, "memory = 512\n",
	  "guest.cfg: no 'name' setting: a domain needs a name" },
	{ XM, "name = \"\"\n", "guest.cfg:1:8: name must not be empty" },
	{ XM, "name = [ \"a\" ]\n",
	  "guest.cfg:1:8: name must be a string, not a list" },
	{ XM, PV "memory = \"abc\"\n",
	  "guest.cfg:2:10: memory must be a number of MiB from 1 to "
	  "1073741824, not 'abc'" },
	{ XM, PV "memory = 0\n",
	  "guest.cfg:2:10: memory must be a number of MiB from 1 to "
	  "1073741824, not '0'" },
	{ XM, PV "memory = -512\n",
	  "guest.cfg:2:10: memory must be a number of MiB from 1 to "
	  "1073741824, not '-512'" },
	{ XM, PV "memory = 99999999999999\n",
	  "guest.cfg:2:10: memory must be a number of MiB from 1 to "
	  "1073741824, not '99999999999999'" },
	{ XM, PV "memory = \"512M\"\n",
	  "guest.cfg:2:10: memory must be a number of MiB from 1 to "
	  "1073741824, not '512M'" },
	{ XM, PV "memory = 1024\nmaxmem = 512\n",
	  "guest.cfg:3:10: maxmem (512 MiB) must not be less than memory "
	  "(1024 MiB)" },
	{ XM, PV "vcpus = 0\n",
	  "guest.cfg:2:9: vcpus must be a number from 1 to 4096, not '0'" },
	{ XM, PV "vcpus = 5000\n",
	  "guest.cfg:2:9: vcpus must be a number from 1 to 4096, not '5000'" },
	{ XL, PV "vcpus = 4\nmaxvcpus = 2\n",
	  "guest.cfg:3:12: maxvcpus (2) must not be less than vcpus (4)" },
	{ XM, PV "cpus = \"0-3,x\"\n",
	  "guest.cfg:2:8: cpus must be a list of CPUs such as '0-3,^2', not "
	  "'0-3,x'" },
	{ XM, PV "uuid = \"1234\"\n", "guest.cfg:2:8: invalid UUID '1234'" },
	{ XM, PV "on_crash = \"explode\"\n",
	  "guest.cfg:2:12: on_crash must be one of destroy, restart, "
	  "rename-restart, preserve, coredump-destroy, coredump-restart, not "
	  "'explode'" },
	{ XM, PV "builder = \"pvh\"\n",
	  "guest.cfg:2:11: builder must be 'linux' or 'hvm', not 'pvh'" },
	{ XL, PV "type = \"kvm\"\n",
	  "guest.cfg:2:8: type must be 'pv', 'pvh' or 'hvm', not 'kvm'" },
	{ XM, PV "builder = \"hvm\"\nacpi = \"maybe\"\n",
	  "guest.cfg:3:8: acpi must be 0 or 1, not 'maybe'" },
	{ XM, PV "localtime = [ 1 ]\n",
	  "guest.cfg:2:13: localtime must be 0 or 1, not a list" },
	{ XM, PV "builder = \"hvm\"\nrtc_timeoffset = \"soon\"\n",
	  "guest.cfg:3:18: rtc_timeoffset must be a number of seconds, not "
	  "'soon'" },
	{ XM, PV "tsc_mode = \"fast\"\n",
	  "guest.cfg:2:12: tsc_mode must be one of default, always_emulate, "
	  "native, native_paravirt, not 'fast'" },
	{ XL, PV "passthrough = \"always\"\n",
	  "guest.cfg:2:15: passthrough must be one of disabled, enabled, "
	  "sync_pt, share_pt, not 'always'" },
	{ XM, PV "vif = [ 'mac=zz:zz' ]\n",
	  "guest.cfg:2:9: invalid MAC address 'zz:zz'" },
	{ XM, PV "vif = [ 'bridge=xenbr0,colour=blue' ]\n",
	  "guest.cfg:2:9: vif 'bridge=xenbr0,colour=blue': unknown setting "
	  "'colour'" },
	{ XM, PV "vif = [ 'bridge' ]\n",
	  "guest.cfg:2:9: vif 'bridge': 'bridge' is not a key=value setting" },
	{ XL, PV "vif = [ 'rate=fast' ]\n",
	  "guest.cfg:2:9: invalid rate 'fast' (want e.g. '10MB/s')" },
	{ XL, PV "vif = [ 'ip=10.0.0.300' ]\n",
	  "guest.cfg:2:9: invalid IP address '10.0.0.300'" },
	{ XL, PV "vif = [ 'bridge=ovs0.x' ]\n",
	  "guest.cfg:2:9: invalid VLAN tag in bridge 'ovs0.x'" },
	{ XM, PV "vif = [ 'model=e1000;rm' ]\n",
	  "guest.cfg:2:9: invalid NIC model 'e1000;rm'" },
	{ XM, PV "disk = [ 'phy:/dev/sdb' ]\n",
	  "guest.cfg:2:10: disk 'phy:/dev/sdb' has no target device" },
	{ XM, PV "disk = [ 'phy:/dev/sdb,xvdb' ]\n",
	  "guest.cfg:2:10: disk 'phy:/dev/sdb,xvdb' has no access mode "
	  "(r or w)" },
	{ XM, PV "disk = [ 'phy:/dev/sdb,xvdb,rx' ]\n",
	  "guest.cfg:2:10: disk 'phy:/dev/sdb,xvdb,rx' has an invalid access "
	  "mode 'rx' (want r, w or w!)" },
	{ XM, PV "disk = [ 'tap:/img,xvda,w' ]\n",
	  "guest.cfg:2:10: disk 'tap:/img,xvda,w' has no tap disk type (such "
	  "as tap:aio:PATH)" },
	{ XM, PV "disk = [ 'tap:foo:/img,xvda,w' ]\n",
	  "guest.cfg:2:10: disk 'tap:foo:/img,xvda,w' has an unknown tap disk "
	  "type 'foo'" },
	{ XM, PV "disk = [ 'phy:/dev/sdb,floppy9,w' ]\n",
	  "guest.cfg:2:10: disk 'phy:/dev/sdb,floppy9,w' has an invalid "
	  "target device 'floppy9'" },
	{ XM, PV "disk = [ 'phy:/dev/sdb,xvda:tape,w' ]\n",
	  "guest.cfg:2:10: disk 'phy:/dev/sdb,xvda:tape,w': unknown device "
	  "type 'tape' (want cdrom or disk)" },
	{ XM, PV "disk = [ 'phy:/a,xvda,w', 'phy:/b,xvda,w' ]\n",
	  "guest.cfg:2:27: disk target 'xvda' is used by two disks" },
	{ XL, PV "disk = [ '/img,qcow3,xvda,rw' ]\n",
	  "guest.cfg:2:10: disk '/img,qcow3,xvda,rw': unknown value for "
	  "format 'qcow3'" },
	{ XL, PV "disk = [ '/img,raw' ]\n",
	  "guest.cfg:2:10: disk '/img,raw': no vdev specified" },
	{ XL, PV "disk = [ 'vdev=xvda' ]\n",
	  "guest.cfg:2:10: disk 'vdev=xvda': no target specified (and device "
	  "not removable)" },
	{ XL, PV "disk = [ '/img,raw,xvda,rw,extra' ]\n",
	  "guest.cfg:2:10: disk '/img,raw,xvda,rw,extra': too many positional "
	  "parameters 'extra'" },
	{ XL, PV "disk = [ 'colour=red,/img,raw,xvda' ]\n",
	  "guest.cfg:2:10: disk 'colour=red,/img,raw,xvda': unknown parameter "
	  "'colour=red'" },
	{ XL, PV "disk = [ '/img,raw,xvda,rw,backendtype=nfs' ]\n",
	  "guest.cfg:2:10: disk '/img,raw,xvda,rw,backendtype=nfs': unknown "
	  "value for backendtype 'nfs'" },
	{ XL, PV "disk = [ 'vdev=xvda,access=rw,script=block-x,target=/a' ]\n",
	  "guest.cfg:2:10: disk 'vdev=xvda,access=rw,script=block-x,"
	  "target=/a': script= is not supported" },
	{ XL, PV "disk = [ 'vdev=xvda,target=rbd:pool/img:id=admin' ]\n",
	  "guest.cfg:2:10: disk 'vdev=xvda,target=rbd:pool/img:id=admin': rbd "
	  "option 'id=admin' is not supported" },
	{ XM, PV "builder = \"hvm\"\nboot = \"cx\"\n",
	  "guest.cfg:3:8: boot must be up to 4 of the letters a (floppy), c "
	  "(disk), d (cdrom), n (network), not 'cx'" },
	{ XM, PV "pci = [ '0000:01:1g.0' ]\n",
	  "guest.cfg:2:9: invalid PCI device '0000:01:1g.0' (want "
	  "[DDDD:]BB:SS.F)" },
	{ XL, PV "pci = [ '01:00.0,permissive=maybe' ]\n",
	  "guest.cfg:2:9: PCI device '01:00.0,permissive=maybe': permissive "
	  "must be 0 or 1, not 'maybe'" },
	{ XL, PV "pci = [ '01:00.0,frobnicate=1' ]\n",
	  "guest.cfg:2:9: PCI device '01:00.0,frobnicate=1': unknown option "
	  "'frobnicate'" },
	{ XM, PV "builder = \"hvm\"\nserial = \"tcp:localhost\"\n",
	  "guest.cfg:3:10: character device 'tcp:localhost': want HOST:PORT" },
	{ XM, PV "builder = \"hvm\"\nserial = \"carrier-pigeon\"\n",
	  "guest.cfg:3:10: unknown character device type 'carrier-pigeon' in "
	  "'carrier-pigeon'" },
	{ XM, PV "builder = \"hvm\"\nparallel = \"file:\"\n",
	  "guest.cfg:3:12: character device 'file:': no path given" },
	{ XM, PV "builder = \"hvm\"\nserial = [ 'pty', 'pty' ]\n",
	  "guest.cfg:3:10: xm configs take one serial port; more need the xl "
	  "dialect" },
	{ XM, PV "builder = \"hvm\"\nsoundhw = \"sb16,kazoo\"\n",
	  "guest.cfg:3:11: unknown sound model 'kazoo' in soundhw "
	  "'sb16,kazoo'" },
	{ XM, PV "builder = \"hvm\"\nusbdevice = \"host:1234:5678\"\n",
	  "guest.cfg:3:13: usbdevice must be 'tablet', 'mouse' or 'keyboard', "
	  "not 'host:1234:5678'" },
	{ XM, PV "builder = \"hvm\"\nvnc = 1\nvncunused = 0\nvncdisplay = "
	  "\"x\"\n",
	  "guest.cfg:5:14: vncdisplay must be a display number from 0 to "
	  "59635, not 'x'" },
	{ XL, PV "builder = \"hvm\"\nspice = 1\n",
	  "guest.cfg: spice ticketing is enabled but spicepasswd is missing "
	  "(or set spicedisable_ticketing = 1)" },
	{ XL, PV "builder = \"hvm\"\ncpuid = \"0x1:ecx=xxx\"\n",
	  "guest.cfg:3:9: cpuid starting with '0x1:ecx=xxx' is not supported, "
	  "only libxl's 'host,FEATURE=VALUE,...' is" },
	{ XL, PV "builder = \"hvm\"\ncpuid = \"host,sse3=2\"\n",
	  "guest.cfg:3:9: invalid cpuid value 'sse3=2' (want 0, 1, x, k or "
	  "s)" },
	{ XL, PV "vcpus = 2\nvnuma = [ [ 'pnode=0', 'size=512' ] ]\n",
	  "guest.cfg:3:11: incomplete vnuma configuration for vnode 0 (it "
	  "needs pnode, size and vcpus)" },
	{ XL, PV "vcpus = 2\nvnuma = [ [ 'pnode=0', 'size=512', 'vcpus=0-3' ] "
	  "]\n",
	  "guest.cfg:3:9: vnuma configuration contains 4 vcpus, which is "
	  "greater than 2 maxvcpus" },
	{ XL, PV "vnuma = [ [ 'pnode=0', 'size=512', 'vcpus=0', "
	  "'vdistances=10,20' ] ]\n",
	  "guest.cfg:2:47: vnuma vnode 0: vdistances '10,20' needs one "
	  "distance from 10 to 255 per vnode (1)" },
	{ XL, PV "vnuma = [ [ 'pnode=0', 'size=512', 'vcpus=0', "
	  "'vdistances=5' ] ]\n",
	  "guest.cfg:2:47: vnuma vnode 0: vdistances '5' needs one "
	  "distance from 10 to 255 per vnode (1)" },
	{ XL, PV "usbctrl = [ 'type=pv,version=2' ]\n",
	  "guest.cfg:2:13: usbctrl 'type=pv,version=2': type must be 'qusb', "
	  "not 'pv'" },
	{ XL, PV "usbdev = [ 'hostbus=1' ]\n",
	  "guest.cfg:2:12: usbdev 'hostbus=1' needs hostbus=BUS,hostaddr=ADDR "
	  "(hexadecimal)" },
	{ XL, PV "channel = [ 'connection=socket,name=org.qemu.guest_agent.0' "
	  "]\n",
	  "guest.cfg:2:13: channel 'connection=socket,name=org.qemu.guest_agent"
	  ".0': a socket needs a path" },
	{ XL, PV "max_grant_frames = -1\n",
	  "guest.cfg:2:20: max_grant_frames must be a number, not '-1'" },
	{ XL, PV "device_model_args = \"-nographic\"\n",
	  "guest.cfg:2:21: device_model_args must be a list of strings" },
	{ XL, PV "builder = \"hvm\"\nbios = \"uefi\"\n",
	  "guest.cfg:3:8: bios must be rombios, seabios or ovmf, not 'uefi'" },
};

static void
malformed(void)
{
	char msg[1200], what[100];
	struct xvm_domain *d;
	size_t i;

	for (i = 0; i < XVM_ARRAY_SIZE(bad); i++) {
		snprintf(what, sizeof(what), "malformed config %zu", i + 1);
		d = from_text(bad[i].text, bad[i].dialect, 0, msg, sizeof(msg));
		if (d) {
			T_OK(0, what);
			printf("#   accepted: %s", bad[i].text);
			xvm_domain_free(d);
			continue;
		}
		T_STREQ(msg, bad[i].msg, what);
	}
	printf("# %zu malformed configs\n", XVM_ARRAY_SIZE(bad));
}

/* ---- what a dialect cannot say ---------------------------------------- */

static const struct {
	const char *text;	/* an xl config */
	enum xvm_cfg_dialect to;
	const char *msg;
} unsayable[] = {
	{ PV "builder = 'hvm'\nspice = 1\nspicedisable_ticketing = 1\n", XM,
	  "SPICE graphics cannot be written to an xm config; use the xl "
	  "dialect" },
	{ PV "type = 'pvh'\n", XM,
	  "a PVH guest cannot be written to an xm config; use the xl dialect" },
	{ PV "builder = 'hvm'\nserial = [ 'pty', 'pty' ]\n", XM,
	  "Multiple serial devices are not supported by xen-xm" },
	{ PV "usbdev = [ 'hostbus=1,hostaddr=2' ]\n", XM,
	  "a USB host device cannot be written to an xm config; use the xl "
	  "dialect" },
	{ PV "builder = 'hvm'\nkernel = '/vmlinuz'\n", XM,
	  "direct kernel boot of an HVM guest cannot be written to an xm "
	  "config; use the xl dialect" },
	{ PV "builder = 'hvm'\nnestedhvm = 1\n", XM,
	  "a CPU model, cpuid or vNUMA cannot be written to an xm config; use "
	  "the xl dialect" },
	{ PV "disk = [ 'vdev=xvda,target=rbd:p/i:mon_host=m1' ]\n", XM,
	  "xm configs cannot describe network disks ('xvda')" },
};

static void
to_cfg_errors(void)
{
	char msg[1200], what[100];
	struct xvm_domain *d;
	struct xvm_cfg cfg;
	struct xvm_err err;
	size_t i;

	for (i = 0; i < XVM_ARRAY_SIZE(unsayable); i++) {
		snprintf(what, sizeof(what), "unsayable in xm %zu", i + 1);
		d = from_text(unsayable[i].text, XL, 0, msg, sizeof(msg));
		if (!T_OK(d != NULL, what)) {
			printf("#   %s\n", msg);
			continue;
		}
		xvm_err_clear(&err);
		xvm_cfg_init(&cfg, "out.cfg");
		if (T_OK(xvm_domain_to_cfg(d, unsayable[i].to, &cfg,
		    &err) < 0 && err.code == XVM_ERR_CONFIG_UNSUPPORTED, what))
			T_STREQ(err.msg, unsayable[i].msg, what);
		xvm_cfg_release(&cfg);
		xvm_domain_free(d);
	}
}

/* ---- unknown settings, round trips of hand-written configs ----------- */

static void
extras(void)
{
	char msg[1200], *out;
	const char *tail;
	struct xvm_domain *d;

	d = from_text(PV "memory = 256\non_xend_start = \"start\"\n"
	    "cpu_weight = 512\nvscsi = [ '/dev/sg0, 0:0:0:0', 1 ]\n", XM, 0,
	    msg, sizeof(msg));
	if (!T_OK(d != NULL, "unknown settings are accepted")) {
		printf("#   %s\n", msg);
		return;
	}
	T_EQ(d->nextras, 3, "unknown settings become extras");
	if (d->nextras == 3) {
		T_STREQ(d->extras[0].name, "on_xend_start", "extra 1 name");
		T_STREQ(d->extras[0].value, "\"start\"", "extra 1 value");
		T_STREQ(d->extras[1].value, "512", "extra 2 value");
		T_STREQ(d->extras[2].value, "[ \"/dev/sg0, 0:0:0:0\", 1 ]",
		    "extra 3 value");
	}
	out = to_text(d, XM, msg, sizeof(msg));
	tail = "on_crash = \"restart\"\non_xend_start = \"start\"\n"
	    "cpu_weight = 512\nvscsi = [ \"/dev/sg0, 0:0:0:0\", 1 ]\n";
	T_OK(out && strlen(out) > strlen(tail) &&
	    strcmp(out + strlen(out) - strlen(tail), tail) == 0,
	    "extras are written back last, as they were");
	free(out);
	xvm_domain_free(d);
}

static const struct {
	enum xvm_cfg_dialect dialect;
	unsigned flags;
	const char *text;
} trips[] = {
	{ XM, 0, PV "memory = 256\nvcpus = 2\ncpus = \"0-3,^2\"\n"
	  "on_xend_start = 'ignore'\nextra = \"console=hvc0\"\n"
	  "disk = [ 'file:/x.img,0,w', 'phy:/dev/sdb,xvdb:cdrom,r' ]\n"
	  "vif = [ '', 'bridge=br0,ip=10.0.0.1/24 fe80::1,rate=1Mb/s' ]\n" },
	{ XM, XVM_CFG_PYTHON, PV "builder = 'hvm'\nmemory = 128 * 4\n"
	  "vnc = True\nvncunused = False\nvncdisplay = 3\nsdl = 1\n"
	  "serial = 'udp::5555@:6666'\nparallel = 'unix:/tmp/p,server'\n"
	  "usb = 1\nusbdevice = 'keyboard'\nboot = 'ndc'\n"
	  "disk = [ 'phy:/dev/vg/a,hda,w', 'file:/b,sdb,w!' ]\n" },
	{ XL, 0, PV "type = 'hvm'\nspice = 1\nspicedisable_ticketing = 1\n"
	  "spiceport = 0\nvnc = 1\nserial = [ 'none', 'pty' ]\n"
	  "usbdevice = [ 'tablet' ]\nbios = 'seabios'\n"
	  "disk = [ 'format=qcow2,vdev=sdc,access=rw,target=/c.qcow2', "
	  "',,hdd:cdrom,r' ]\n" },
};

static void
round_trips(void)
{
	char what[64];
	size_t i;

	for (i = 0; i < XVM_ARRAY_SIZE(trips); i++) {
		snprintf(what, sizeof(what), "round trip of config %zu", i + 1);
		round_trip(trips[i].text, trips[i].dialect, trips[i].flags,
		    what);
	}
}

/* ---- the Sun xVM guide's configs ------------------------------------- */

static const char solaris_pv[] =
	"name = \"solaris-pv\"\n"
	"memory = 1024\n"
	"kernel = \"/platform/i86xpv/kernel/amd64/unix\"\n"
	"ramdisk = \"/platform/i86pc/amd64/boot_archive\"\n"
	"extra = \"/platform/i86xpv/kernel/amd64/unix -B console=ttya\"\n"
	"disk = ['file:/xvm/solaris.img,0,w']\n"
	"vif = ['']\n"
	"on_shutdown = 'destroy'\n"
	"on_reboot = 'restart'\n"
	"on_crash = 'destroy'\n";

static const char windows_hvm[] =
	"name = \"windows\"\n"
	"builder = 'hvm'\n"
	"memory = 1024\n"
	"kernel = '/usr/lib/xen/boot/hvmloader'\n"
	"device_model = '/usr/lib/xen/bin/qemu-dm'\n"
	"disk = ['file:/xvm/win.img,hda,w','file:/iso/winxp.iso,hdc:cdrom,r']\n"
	"boot = 'dc'\n"
	"vnc = 1\n"
	"vncunused = 1\n"
	"sdl = 0\n"
	"usb = 1\n"
	"usbdevice = 'tablet'\n"
	"serial = 'pty'\n"
	"vif = ['type=ioemu, bridge=xenbr0']\n";

static void
guide(void)
{
	char msg[1200];
	struct xvm_domain *d;
	struct xvm_buf b = XVM_BUF_INIT;

	d = from_text(solaris_pv, XM, XVM_CFG_PYTHON, msg, sizeof(msg));
	if (T_OK(d != NULL, "Sun xVM guide: Solaris PV guest converts")) {
		T_EQ(d->os.type, XVM_OS_LINUX, "solaris: PV");
		T_STREQ(d->os.kernel, "/platform/i86xpv/kernel/amd64/unix",
		    "solaris: kernel");
		T_STREQ(d->os.initrd, "/platform/i86pc/amd64/boot_archive",
		    "solaris: ramdisk");
		T_STREQ(d->os.cmdline, "/platform/i86xpv/kernel/amd64/unix "
		    "-B console=ttya", "solaris: cmdline");
		T_EQ(d->memory_kib, 1024 * 1024, "solaris: memory");
		T_EQ(d->ndisks, 1, "solaris: one disk");
		if (d->ndisks == 1) {
			T_STREQ(d->disks[0].target, "xvda",
			    "solaris: disk 0 is the first disk, xvda");
			T_STREQ(d->disks[0].src, "/xvm/solaris.img",
			    "solaris: disk image");
			T_EQ(d->disks[0].type, XVM_DISK_FILE,
			    "solaris: file disk");
			T_EQ(d->disks[0].bus, XVM_BUS_XEN, "solaris: xen bus");
		}
		T_EQ(d->nnets, 1, "solaris: one vif");
		T_EQ(d->on_poweroff, XVM_LIFE_DESTROY, "solaris: on_shutdown");
		T_EQ(d->on_crash, XVM_LIFE_DESTROY, "solaris: on_crash");
		T_EQ(d->nextras, 0, "solaris: nothing left over");
		T_EQ(d->nconsoles, 1, "solaris: a PV console");
		xvm_domain_format_xml(d, XVM_XML_SECURE, &b);
		T_OK(strstr(xvm_buf_str(&b), "<target dev='xvda' bus='xen'/>") !=
		    NULL, "solaris: XML names the disk");
		xvm_domain_free(d);
	} else {
		printf("#   %s\n", msg);
	}
	round_trip(solaris_pv, XM, 0, "solaris: round trip");

	xvm_buf_reset(&b);
	d = from_text(windows_hvm, XM, XVM_CFG_PYTHON, msg, sizeof(msg));
	if (T_OK(d != NULL, "Sun xVM guide: Windows HVM guest converts")) {
		T_EQ(d->os.type, XVM_OS_HVM, "windows: HVM");
		T_STREQ(d->os.loader, "/usr/lib/xen/boot/hvmloader",
		    "windows: hvmloader");
		T_STREQ(d->emulator, "/usr/lib/xen/bin/qemu-dm",
		    "windows: device model");
		T_EQ(d->os.nboot, 2, "windows: two boot devices");
		T_EQ(d->os.boot[0], XVM_BOOT_CDROM, "windows: cdrom first");
		T_EQ(d->os.boot[1], XVM_BOOT_HD, "windows: then disk");
		T_EQ(d->ndisks, 2, "windows: two disks");
		if (d->ndisks == 2) {
			T_EQ(d->disks[1].device, XVM_DEV_CDROM,
			    "windows: hdc is a cdrom");
			T_OK(d->disks[1].readonly, "windows: cdrom readonly");
			T_EQ(d->disks[1].addr.bus, 1,
			    "windows: hdc on IDE bus 1");
		}
		T_EQ(d->ngraphics, 1, "windows: one display");
		if (d->ngraphics == 1)
			T_OK(d->graphics[0].type == XVM_GFX_VNC &&
			    d->graphics[0].autoport, "windows: VNC, autoport");
		T_EQ(d->nserials, 1, "windows: a serial port");
		T_EQ(d->nconsoles, 1, "windows: console on the serial port");
		T_OK(d->ninputs == 3 && xvm_streq(d->inputs[0].type, "tablet")
		    && xvm_streq(d->inputs[0].bus, "usb"),
		    "windows: a USB tablet and the PS/2 pair");
		T_OK(d->nnets == 1 && xvm_streq(d->nets[0].bridge, "xenbr0"),
		    "windows: vif on xenbr0");
		T_EQ(d->nextras, 0, "windows: nothing left over");
		xvm_domain_free(d);
	} else {
		printf("#   %s\n", msg);
	}
	round_trip(windows_hvm, XM, 0, "windows: round trip");
	xvm_buf_release(&b);
}

/* Disk targets given as Xen virtual-device numbers. */
static void
vdev_numbers(void)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "0", "xvda" }, { "1", "xvdb" }, { "25", "xvdz" },
		{ "26", "xvdaa" }, { "51712", "xvda" }, { "51728", "xvdb" },
		{ "51713", "xvda1" }, { "0xca00", "xvda" }, { "768", "hda" },
		{ "832", "hdb" }, { "5632", "hdc" }, { "2048", "sda" },
		{ "2066", "sdb2" }, { "268439552", "xvdq" }, { "xvdc", "xvdc" },
		{ "99999", "99999" },
	};
	size_t i;

	for (i = 0; i < XVM_ARRAY_SIZE(cases); i++) {
		char *got = xen_disk_target_name(cases[i].in), what[64];

		snprintf(what, sizeof(what), "vdev %s is %s", cases[i].in,
		    cases[i].out);
		T_STREQ(got, cases[i].out, what);
		free(got);
	}
}

/*
 * --dump-malformed DIR: write each malformed config as DIR/N.cfg, its
 * format as DIR/N.format and its message as DIR/N.err, so the bats tests
 * run the same cases through the tools and check their exit codes.
 */
static int
dump_malformed(const char *dir)
{
	size_t i;

	for (i = 0; i < XVM_ARRAY_SIZE(bad); i++) {
		static const char *const ext[] = { "cfg", "format", "err" };
		const char *body[3];
		int k;

		body[0] = bad[i].text;
		body[1] = bad[i].dialect == XM ? "xen-xm" : "xen-xl";
		body[2] = bad[i].msg;
		for (k = 0; k < 3; k++) {
			char *path = xvm_asprintf("%s/%03zu.%s", dir, i + 1,
			    ext[k]);
			FILE *f = fopen(path, "w");

			free(path);
			if (!f)
				return 1;
			fputs(body[k], f);
			if (k)
				fputc('\n', f);
			fclose(f);
		}
	}
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "--dump-malformed") == 0)
		return dump_malformed(argv[2]);
	vdev_numbers();
	corpus();
	malformed();
	to_cfg_errors();
	extras();
	round_trips();
	guide();
	return t_done();
}

/*
 * t_cfg.c - unit tests of the xm/xl config language (lib/conf/cfg*.c):
 * xl's probe results, xm's harmless Python, +=, command-line settings,
 * typed getters, exact error messages, the writer's quoting, the round
 * trip of any string, and the libvirt corpus written back byte for byte.
 */
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xvm/cfg.h"
#include "xvm/err.h"
#include "xvm/file.h"
#include "xvm/util.h"
#include "t.h"

#define PY XVM_CFG_PYTHON
#define CORPUS "../shared/conformance/libvirt/tests"

static char what[512];

/* A one-line TAP description: control bytes of arg shown escaped. */
static const char *
W(const char *fmt, const char *arg)
{
	char one[256];
	size_t i, n = 0;

	for (i = 0; arg[i] != '\0' && n + 5 < sizeof(one); i++) {
		unsigned char c = (unsigned char)arg[i];

		if (c == '\n')
			n += (size_t)snprintf(one + n, sizeof(one) - n, "\\n");
		else if (c < 0x20 || c == 0x7f)
			n += (size_t)snprintf(one + n, sizeof(one) - n,
			    "\\x%02x", c);
		else
			one[n++] = (char)c;
	}
	one[n] = '\0';
	snprintf(what, sizeof(what), fmt, one);
	return what;
}

/* Parse src (a C string) as file "x.cfg" with optional vars (NULL-ended). */
static int
parse(struct xvm_cfg *cfg, const char *src, unsigned flags,
    const char *const *vars, struct xvm_err *err)
{
	struct xvm_strv v = XVM_STRV_INIT;
	int rc;

	while (vars != NULL && *vars != NULL)
		xvm_strv_push(&v, *vars++);
	xvm_cfg_init(cfg, "x.cfg");
	xvm_err_clear(err);
	rc = xvm_cfg_parse(cfg, src, strlen(src), flags, &v, err);
	xvm_strv_release(&v);
	return rc;
}

static char *
written(const struct xvm_cfg *cfg)
{
	struct xvm_buf b = XVM_BUF_INIT;

	xvm_cfg_write(cfg, &b);
	return xvm_buf_steal(&b);
}

/* src parses (in flags) and writes back as want. */
static void
ok_w(const char *src, unsigned flags, const char *const *vars,
    const char *want)
{
	struct xvm_cfg cfg;
	struct xvm_err err;
	char msg[1400], *out;

	if (!T_OK(parse(&cfg, src, flags, vars, &err) == 0,
	    W("parses: %s", src))) {
		printf("#   error: %s\n", xvm_err_format(&err, msg,
		    sizeof(msg)));
		xvm_cfg_release(&cfg);
		return;
	}
	out = written(&cfg);
	T_STREQ(out, want, W("writes back: %s", src));
	free(out);
	xvm_cfg_release(&cfg);
}

#define OK(src, want) ok_w((src), 0, NULL, (want))
#define OKP(src, want) ok_w((src), PY, NULL, (want))

/* src fails with exactly msg (as xvm_err_format renders it), cfg empty. */
static void
bad_v(const char *src, unsigned flags, const char *const *vars,
    const char *msg)
{
	struct xvm_cfg cfg;
	struct xvm_err err;
	char got[1400];
	int rc = parse(&cfg, src, flags, vars, &err);

	T_OK(rc == -1, W("refused: %s", src));
	T_STREQ(xvm_err_format(&err, got, sizeof(got)), msg,
	    W("message for: %s", src));
	T_OK(err.code == XVM_ERR_CONFIG && cfg.n == 0 &&
	    cfg.entries == NULL && cfg.file == NULL,
	    W("config error and nothing left in cfg: %s", src));
	xvm_cfg_release(&cfg);
}

#define BAD(src, msg) bad_v((src), 0, NULL, (msg))
#define BADP(src, msg) bad_v((src), PY, NULL, (msg))

/* Parse src and read name as a string. */
static void
str_is(const char *src, unsigned flags, const char *name, const char *want)
{
	struct xvm_cfg cfg;
	struct xvm_err err;
	const char *s = NULL;

	if (parse(&cfg, src, flags, NULL, &err) == 0)
		T_OK(xvm_cfg_get_string(&cfg, name, &s, &err) == 1,
		    W("get_string finds it: %s", src));
	else
		T_OK(0, W("parses: %s", src));
	T_STREQ(s, want, W("string value of: %s", src));
	xvm_cfg_release(&cfg);
}

static void
long_is(const char *src, unsigned flags, const char *name, long long want)
{
	struct xvm_cfg cfg;
	struct xvm_err err;
	long long n = -424242;

	if (parse(&cfg, src, flags, NULL, &err) == 0)
		T_OK(xvm_cfg_get_long(&cfg, name, &n, &err) == 1,
		    W("get_long finds it: %s", src));
	else
		T_OK(0, W("parses: %s", src));
	T_EQ(n, want, W("number value of: %s", src));
	xvm_cfg_release(&cfg);
}

/* Section 1 of config-language.md: what libxlutil 4.17 answered. */
static void
test_probes(void)
{
	struct xvm_cfg cfg;
	struct xvm_err err;
	const struct xvm_cfg_value *items;
	size_t n;

	str_is("name = 'guest1'", 0, "name", "guest1");
	str_is("x = \"a\\nb\"", 0, "x", "a\nb");
	str_is("x = \"a\\\"b\\\\c\"", 0, "x", "a\"b\\c");
	long_is("m = 0x10", 0, "m", 16);
	str_is("m = 0x10", 0, "m", "0x10");
	long_is("m = 010", 0, "m", 8);
	long_is("m = \"512\"", 0, "m", 512);
	str_is("m = 512", 0, "m", "512");
	/* xl refuses a sign; libvirt writes and reads signed numbers */
	long_is("m = -1", 0, "m", -1);
	long_is("m = +5", 0, "m", 5);
	BAD("m = 1.5", "x.cfg:1:5: '1.5' is not an integer");
	/* xl wants lower case names; libvirt takes any letter */
	str_is("Name = \"x\"", 0, "Name", "x");
	OK("disk = [ 'a', \"b\", ]", "disk = [ \"a\", \"b\" ]\n");
	OK("disk = [\n  'a', # first\n  # alone\n  'b'   # second\n]\n",
	    "disk = [ \"a\", \"b\" ]\n");

	T_OK(parse(&cfg, "x = [ [ 'a' ], 'b' ]", 0, NULL, &err) == 0 &&
	    xvm_cfg_get_list(&cfg, "x", &items, &n, &err) == 1 && n == 2 &&
	    items[0].type == XVM_CFG_LIST && items[0].nitems == 1 &&
	    strcmp(items[0].items[0].str, "a") == 0 &&
	    items[1].type == XVM_CFG_STRING && strcmp(items[1].str, "b") == 0,
	    "nested list: item 0 is a list");
	xvm_cfg_release(&cfg);

	OK("x = 'a'; y = 'b'", "x = \"a\"\ny = \"b\"\n");
	OK("x = 'a'", "x = \"a\"\n");
	BAD("x = 'a' \\\n", "x.cfg:1:9: unexpected '\\'; this looks like "
	    "Python, which xm configs may contain: use xm's reader");
	BAD("x = ( 'a', 'b' )", "x.cfg:1:5: unexpected '('; this looks like "
	    "Python, which xm configs may contain: use xm's reader");
	BAD("x = 256 + 256", "x.cfg:1:9: unexpected '+'; this looks like "
	    "Python, which xm configs may contain: use xm's reader");
	BAD("import os", "x.cfg:1:1: 'import' is Python code; a domain "
	    "config cannot run it");
	BAD("x = True", "x.cfg:1:5: unexpected 'True'; this looks like "
	    "Python, which xm configs may contain: use xm's reader");
	OK("\tx = 1\n\t y = 2\n", "x = 1\ny = 2\n");
	OK("x = 1\r\ny = 'a'\r\n", "x = 1\ny = \"a\"\n");
	str_is("x = \"\"\"abc\"\"\"", 0, "x", "abc");
	BAD("x = { 'a': 1 }", "x.cfg:1:5: '{' is Python code; a domain "
	    "config cannot run it");
	str_is("x = ''", 0, "x", "");
	BAD("x = 'abc", "x.cfg:1:5: unterminated string starting at "
	    "\"'abc\"");
	OK("x=['a','b']", "x = [ \"a\", \"b\" ]\n");
	OK("cpus = [0, 1, 2]", "cpus = [ 0, 1, 2 ]\n");
	OK("x = []", "x = [  ]\n");
}

static void
test_lexical(void)
{
	struct xvm_cfg cfg;
	struct xvm_err err;

	OK("", "");
	OK("\n\n# only a comment\n;;\n", "");
	OK("# comment without newline", "");
	OK("x = 1 # trailing comment", "x = 1\n");
	OK("x = 1;", "x = 1\n");
	OK("x = 1\ny = 2", "x = 1\ny = 2\n");
	OK("a.b_c9 = 'd'", "a.b_c9 = \"d\"\n");
	OK("x = [\r\n 'a', # c\r\n 'b'\r\n]\r\n", "x = [ \"a\", \"b\" ]\n");
	OK("x = 'a' # c\r", "x = \"a\"\n");
	OK("\xef\xbb\xbfx = 1", "x = 1\n");
	BAD("\xef\xbb\xbf x = ]", "x.cfg:1:6: expected a value for 'x', found "
	    "']'");
	OK("x = [ [ ], [ [ 1 ] ] ]", "x = [ [  ], [ [ 1 ] ] ]\n");
	OK("x = -9223372036854775808\ny = 9223372036854775807",
	    "x = -9223372036854775808\ny = 9223372036854775807\n");
	OK("x = 0", "x = 0\n");
	OK("x = 00", "x = 0\n");
	OK("x = 0XfF", "x = 255\n");
	OK("x = - 5", "x = -5\n");
	str_is("x = -0x10", 0, "x", "-0x10");
	/* escapes (xl's, with the hex and octal ones working) */
	str_is("x = 'A\\x41\\101\\t\\a\\b\\f\\v\\r\\'\\\"'", 0, "x",
	    "AAA\t\a\b\f\v\r'\"");
	str_is("x = \"\\1\\12\\0123\"", 0, "x", "\1\n\n3");
	/* triple quotes: raw, over lines, CRLF becomes LF */
	str_is("x = '''a\\nb'''", 0, "x", "a\\nb");
	str_is("x = \"\"\"a\r\n'b\"\n\"\"\"", 0, "x", "a\n'b\"\n");
	str_is("x = \"\"\"\"a\"\"\"", 0, "x", "\"a");
	str_is("x = ''''a'''", 0, "x", "'a");
	str_is("x = \"a\rb\"", 0, "x", "a\rb");
	str_is("x = 'caf\xc3\xa9'", 0, "x", "caf\xc3\xa9");
	/* lines and columns after a string over several lines */
	BAD("x = \"\"\"a\nb\"\"\" y", "x.cfg:2:6: expected end of line after "
	    "the value of 'x', found 'y'");
	/* data need not be NUL-terminated, and may hold NUL (refused) */
	xvm_cfg_init(&cfg, "x.cfg");
	T_OK(xvm_cfg_parse(&cfg, "x = 1234", 5, 0, NULL, &err) == 0 &&
	    cfg.n == 1 && cfg.entries[0].value.num == 1,
	    "only len bytes are read");
	xvm_cfg_release(&cfg);
	xvm_cfg_init(&cfg, "x.cfg");
	T_OK(xvm_cfg_parse(&cfg, "x = 1\0y = 2", 11, 0, NULL, &err) == -1,
	    "NUL byte refused");
	T_STREQ(err.msg, "expected end of line after the value of 'x', "
	    "found '\\x00'", "NUL byte message");
	xvm_cfg_release(&cfg);
	xvm_cfg_init(&cfg, "x.cfg");
	T_OK(xvm_cfg_parse(&cfg, NULL, 0, 0, NULL, &err) == 0 && cfg.n == 0,
	    "NULL data with length 0 is empty input");
	xvm_cfg_release(&cfg);
	/* a number keeps its text; its value reads as decimal */
	T_OK(parse(&cfg, "m = 0x10\nn = -010", 0, NULL, &err) == 0 &&
	    cfg.entries[0].value.type == XVM_CFG_NUMBER &&
	    cfg.entries[0].value.num == 16 &&
	    strcmp(cfg.entries[0].value.str, "0x10") == 0 &&
	    cfg.entries[1].value.num == -8 &&
	    strcmp(cfg.entries[1].value.str, "-010") == 0,
	    "numbers keep the text written");
	xvm_cfg_release(&cfg);
}

static void
test_positions(void)
{
	struct xvm_cfg cfg;
	struct xvm_err err;
	const struct xvm_cfg_value *v;

	T_OK(parse(&cfg, "# c\n\n  memory =  512\ndisk = [\n 'a',\n\t'b' ]",
	    0, NULL, &err) == 0, "positions: parses");
	T_EQ(cfg.entries[0].line, 3, "entry line");
	T_EQ(cfg.entries[0].column, 3, "entry column");
	T_EQ(cfg.entries[0].value.line, 3, "value line");
	T_EQ(cfg.entries[0].value.column, 13, "value column");
	v = xvm_cfg_get(&cfg, "disk");
	T_OK(v != NULL && v->line == 4 && v->column == 8, "list position");
	T_OK(v != NULL && v->nitems == 2 && v->items[0].line == 5 &&
	    v->items[0].column == 2 && v->items[1].line == 6 &&
	    v->items[1].column == 2, "item positions");
	xvm_cfg_release(&cfg);
}

static void
test_later_wins(void)
{
	struct xvm_cfg cfg;
	struct xvm_err err;

	OK("a = 1\nb = 2\na = 'three'", "a = \"three\"\nb = 2\n");
	OK("a = [ 1 ]\na = 2", "a = 2\n");
	T_OK(parse(&cfg, "a = 1\nb = 2\n  a = 3", 0, NULL, &err) == 0 &&
	    cfg.n == 2 && cfg.entries[0].line == 3 &&
	    cfg.entries[0].column == 3, "entry points at the last assignment");
	xvm_cfg_release(&cfg);
}

/*
 * +=: strings and lists join (xl); a list and a string do not mix.  On
 * numbers, plain mode refuses it where it is written (xl would join the
 * text and then fail to read a number); Python mode adds.
 */
static void
test_plus_eq(void)
{
	OK("x = 'ab'\nx += 'cd'", "x = \"abcd\"\n");
	OK("x = [ 'a' ]\nx += [ 'b', 'c' ]", "x = [ \"a\", \"b\", \"c\" ]\n");
	OK("x += 'new'", "x = \"new\"\n");
	OK("x = 'a'\ny = 1\nx += 'b'", "x = \"ab\"\ny = 1\n");
	BAD("name = 'a'\nname += [ 'x' ]",
	    "x.cfg:2:9: can't add a list to a string");
	BAD("disk = [ 'a' ]\ndisk += 'b'",
	    "x.cfg:2:9: can't add a string to a list");
	BAD("x = 'a'\nx += 1", "x.cfg:2:6: can't add a number to a string");
	BAD("x = 1\nx += 2", "x.cfg:2:6: can't use '+=' with numbers");
	OKP("x = 1\nx += 2", "x = 3\n");
	OKP("x = 'a'\nx += 'b' + 'c'", "x = \"abc\"\n");
	BADP("x = 1\nx += 'b'", "x.cfg:2:6: can't add a string to a number");
	BADP("x = 9223372036854775807\nx += 1",
	    "x.cfg:2:6: integer overflow in '+'");
}

/* xm's harmless Python (XVM_CFG_PYTHON). */
static void
test_python(void)
{
	static const char *const vmid[] = { "vmid=3", NULL };
	struct xvm_cfg cfg;
	struct xvm_err err;
	long long n = 0;

	OKP("memory = 256 + 256", "memory = 512\n");
	ok_w("name = \"vm%d\" % vmid", PY, vmid,
	    "name = \"vm3\"\nvmid = 3\n");
	ok_w("disk = [ 'phy:sda%d,sda1,w' % (7+vmid) ]", PY, vmid,
	    "disk = [ \"phy:sda10,sda1,w\" ]\nvmid = 3\n");
	ok_w("vif = [ 'ip=192.168.%d.1/24' % (vmid)]\ncpus = \"%s\" % vmid\n"
	    "extra = \"4 VMID=%d\" % vmid\nvcpus = 4 # make it a 4-way", PY,
	    vmid, "vif = [ \"ip=192.168.3.1/24\" ]\ncpus = \"3\"\n"
	    "extra = \"4 VMID=3\"\nvcpus = 4\nvmid = 3\n");
	OKP("acpi = True\napic = False", "acpi = 1\napic = 0\n");
	OKP("vif = ( 'bridge=br0', )", "vif = [ \"bridge=br0\" ]\n");
	OKP("x = ( )\ny = ( 1 )\nz = ((1, 2), 3,)",
	    "x = [  ]\ny = 1\nz = [ [ 1, 2 ], 3 ]\n");
	OKP("x = None", "");
	OKP("x = 1\ny = 2\nx = None", "y = 2\n");
	OKP("x = None\nx = 'back'", "x = \"back\"\n");
	OKP("x = 'a' + \"b\"\ny = [ 1 ] + [ 2 ] + [ ]",
	    "x = \"ab\"\ny = [ 1, 2 ]\n");
	OKP("a = 7 + 3 * 2 - 1\nb = (7 + 3) * 2\nc = -7 / 2\nd = -7 // 2\n"
	    "e = -7 % 3\nf = 7 % -3\ng = 2 - -3\nh = +4 - +(1)\ni = --5",
	    "a = 12\nb = 20\nc = -4\nd = -4\ne = 2\nf = -2\ng = 5\nh = 3\n"
	    "i = 5\n");
	OKP("x = -9223372036854775807 - 1", "x = -9223372036854775808\n");
	OKP("x = -9223372036854775808 % -1", "x = 0\n");
	OKP("base = '/usr/'\ndm = base + 'lib' + '/xen/bin/qemu-dm'",
	    "base = \"/usr/\"\ndm = \"/usr/lib/xen/bin/qemu-dm\"\n");
	OKP("m = 256\nmaxmem = m * 2\nd = [ 'a' ]\ne = d + [ 'b' ]",
	    "m = 256\nmaxmem = 512\nd = [ \"a\" ]\ne = [ \"a\", \"b\" ]\n");
	OKP("x = [ 1,\n  2 ] + (\n 3,\n)\ny = (1 +\n 2)",
	    "x = [ 1, 2, 3 ]\ny = 3\n");
	OKP("x = 'a' \\\n  + 'b'", "x = \"ab\"\n");
	/* formatting */
	OKP("x = '%05d|%-4s|%x|%X|%o|%+d|%.3d|%5.2s|%%|%i|%u|% d|%3s|%-5d|'"
	    " % (42, 'ab', 255, 255, 8, 5, 7, 'xyz', 1, 2, 3, 'abcd', -3)",
	    "x = \"00042|ab  |ff|FF|10|+5|007|   xy|%|1|2| 3|abcd|-3   |\"\n");
	OKP("x = '%x %o %05d' % (-255, -8, -42)", "x = \"-ff -10 -0042\"\n");
	OKP("x = '%s-%s' % (0x10, 'a')", "x = \"16-a\"\n");
	OKP("x = '%d' % -9223372036854775808",
	    "x = \"-9223372036854775808\"\n");
	OKP("x = 'no conversions'\ny = '100%%' % ()",
	    "x = \"no conversions\"\ny = \"100%\"\n");
	OKP("t = (1, 2)\nx = '%d+%d' % t", "t = [ 1, 2 ]\nx = \"1+2\"\n");
	OKP("x = 10 % 3", "x = 1\n");
	/* a setting may be named like a Python keyword, as in xl */
	OKP("print = 1", "print = 1\n");
	/* the value read is the current one */
	T_OK(parse(&cfg, "a = 1\nb = a\na = 2\nc = a + b", PY, NULL,
	    &err) == 0 && xvm_cfg_get_long(&cfg, "c", &n, &err) == 1 &&
	    n == 3, "a name reads the setting's value at that point");
	xvm_cfg_release(&cfg);

	/* Python that cannot be allowed */
	BADP("import os, re", "x.cfg:1:1: 'import' is Python code; a domain "
	    "config cannot run it");
	BADP("from xen.util.ip import *", "x.cfg:1:1: 'from' is Python code; "
	    "a domain config cannot run it");
	BADP("def vmid_check(var, val):\n  return 1", "x.cfg:1:1: 'def' is "
	    "Python code; a domain config cannot run it");
	BADP("xm_vars.var('vmid', use='Virtual machine id.')",
	    "x.cfg:1:1: 'xm_vars.var(...)' is Python code; a domain config "
	    "cannot run it");
	BADP("xm_vars.check()", "x.cfg:1:1: 'xm_vars.check(...)' is Python "
	    "code; a domain config cannot run it");
	BADP("arch = os.uname()[4]", "x.cfg:1:8: 'os.uname(...)' is Python "
	    "code; a domain config cannot run it");
	BADP("if re.search('64', arch):\n    x = 1", "x.cfg:1:1: 'if' is "
	    "Python code; a domain config cannot run it");
	BADP("x = os.sep", "x.cfg:1:5: 'os.sep' is Python code; a domain "
	    "config cannot run it");
	BADP("x = 'a'.upper()", "x.cfg:1:8: '.upper' is Python code; a domain "
	    "config cannot run it");
	BADP("x = __import__('os')", "x.cfg:1:5: '__import__(...)' is Python "
	    "code; a domain config cannot run it");
	BADP("x = { 'a': 1 }", "x.cfg:1:5: '{' is Python code; a domain "
	    "config cannot run it");
	BADP("x = [ 1 ][0]", "x.cfg:1:5: '[ 1 ][...]' is Python code; a "
	    "domain config cannot run it");
	BADP("x = lambda: 1", "x.cfg:1:5: 'lambda' is Python code; a domain "
	    "config cannot run it");
	BADP("x = 1 if 2 else 3", "x.cfg:1:7: 'if' is Python code; a domain "
	    "config cannot run it");
	BADP("x = 2 ** 3", "x.cfg:1:7: '**' is Python code; a domain config "
	    "cannot run it");
	BADP("x = 1 == 1", "x.cfg:1:7: '==' is Python code; a domain config "
	    "cannot run it");
	BADP("x = (1 for i in y)", "x.cfg:1:8: 'for' is Python code; a domain "
	    "config cannot run it");
	BADP("x = [ 1 for i in y ]", "x.cfg:1:9: 'for' is Python code; a "
	    "domain config cannot run it");
	BADP("x -= 1", "x.cfg:1:3: '-=' is Python code; a domain config cannot "
	    "run it");
	BADP("x[0] = 1", "x.cfg:1:1: 'x[...]' is Python code; a domain config "
	    "cannot run it");
	BADP("@decorator", "x.cfg:1:1: '@' is Python code; a domain config "
	    "cannot run it");
	BADP("x = `1`", "x.cfg:1:5: '`' is Python code; a domain config "
	    "cannot run it");
	/* harmless Python that is still wrong */
	BADP("x = y", "x.cfg:1:5: 'y' is not defined");
	BADP("x = 7 / 0", "x.cfg:1:7: division by zero in '7 / 0'");
	BADP("x = 7 // (1 - 1)", "x.cfg:1:7: division by zero in "
	    "'7 // (1 - 1)'");
	BADP("x = 7 % 0", "x.cfg:1:7: division by zero in '7 % 0'");
	BADP("x = 9223372036854775807 + 1", "x.cfg:1:25: integer overflow in "
	    "'9223372036854775807 + 1'");
	BADP("x = 3037000500 * 3037000500", "x.cfg:1:16: integer overflow in "
	    "'3037000500 * 3037000500'");
	BADP("x = -9223372036854775807 - 2", "x.cfg:1:26: integer overflow in "
	    "'-9223372036854775807 - 2'");
	BADP("x = -9223372036854775808 // -1", "x.cfg:1:26: integer overflow "
	    "in '-9223372036854775808 // -1'");
	BADP("x = -(-9223372036854775807 - 1)", "x.cfg:1:5: integer overflow "
	    "in '-(-9223372036854775807 - 1)'");
	BADP("x = 'a' + 1", "x.cfg:1:9: can't add a number to a string");
	BADP("x = [ 1 ] + 'a'", "x.cfg:1:11: can't add a string to a list");
	BADP("x = 'a' - 'b'", "x.cfg:1:9: can't apply '-' to a string");
	BADP("x = 'a' * 3", "x.cfg:1:9: can't apply '*' to a string");
	BADP("x = [ 1 ] % 3", "x.cfg:1:11: can't apply '%' to a list");
	BADP("x = -'a'", "x.cfg:1:5: can't apply '-' to a string");
	BADP("x = 1.5 * 2", "x.cfg:1:5: '1.5' is not an integer");
	BADP("x = None + 1", "x.cfg:1:5: 'None' can only be the whole value "
	    "of a setting");
	BADP("x = [ None ]", "x.cfg:1:7: 'None' can only be the whole value "
	    "of a setting");
	BADP("x = '%d' % 'a'", "x.cfg:1:10: '%d' needs a number, not the "
	    "string 'a'");
	BADP("x = '%d %d' % 1", "x.cfg:1:13: not enough values for format "
	    "'%d %d'");
	BADP("x = '%d' % (1, 2)", "x.cfg:1:10: too many values for format "
	    "'%d'");
	BADP("x = '%f' % 1", "x.cfg:1:10: unsupported conversion '%f' in "
	    "format '%f'");
	BADP("x = '%(a)s' % 1", "x.cfg:1:13: format '%(a)s' uses a mapping "
	    "key, which needs a Python dict");
	BADP("x = '%5' % 1", "x.cfg:1:10: incomplete format '%5'");
	BADP("x = '%s' % [ [ 1 ] ]", "x.cfg:1:10: can't format a list with "
	    "'%s'");
	BADP("x = '%99999d' % 1", "x.cfg:1:15: width of '%99999d' in format "
	    "'%99999d' is over 4096");
	BADP("x = ( 1, 2", "x.cfg:1:5: '(' is not closed");
	BADP("x = ( 1 2 )", "x.cfg:1:9: expected ',' or ')', found '2'");
}

/* Command-line settings (xm create CFG name=value ...). */
static void
test_vars(void)
{
	static const char *const v1[] = { "name=guest1", "memory=512",
	    "disk=[ 'phy:/dev/sda,xvda,w' ]", "extra=\"quiet splash\"",
	    "vcpus=2", NULL };
	static const char *const v2[] = { "x=[ 'unclosed", "y=", "z=a=b",
	    "w=0x10", "v=-3", NULL };
	static const char *const v3[] = { "vmid=3", "vmid=4", NULL };
	static const char *const bad1[] = { "novalue", NULL };
	static const char *const bad2[] = { "1x=2", NULL };
	static const char *const bad3[] = { "=2", NULL };
	static const char *const mem[] = { "memory=abc", NULL };
	struct xvm_cfg cfg;
	struct xvm_err err;
	char msg[1400];
	long long n;

	/* they win over the file, keep the file's order, and add new ones */
	ok_w("memory = 256\nname = 'file'\nkernel = '/boot/vmlinuz'", 0, v1,
	    "memory = 512\nname = \"guest1\"\nkernel = \"/boot/vmlinuz\"\n"
	    "disk = [ \"phy:/dev/sda,xvda,w\" ]\nextra = \"quiet splash\"\n"
	    "vcpus = 2\n");
	/* a value that is no config value is taken as text */
	ok_w("", 0, v2, "x = \"[ 'unclosed\"\ny = \"\"\nz = \"a=b\"\nw = 16\n"
	    "v = -3\n");
	/* visible to expressions in Python mode; the last one wins */
	ok_w("name = 'vm%d' % vmid", PY, v3, "name = \"vm4\"\nvmid = 4\n");
	/* an assignment in the file is what the file reads after it */
	ok_w("vmid = 7\nname = 'vm%d' % vmid", PY, v3,
	    "vmid = 4\nname = \"vm7\"\n");
	/* but not in plain mode, where names are no values */
	bad_v("name = vmid", 0, v3, "x.cfg:1:8: expected a value for 'name', "
	    "found 'vmid'");
	bad_v("x = 1", 0, bad1, "<command line>: expected name=value, found "
	    "'novalue'");
	bad_v("x = 1", 0, bad2, "<command line>: '1x' is not a valid setting "
	    "name");
	bad_v("x = 1", 0, bad3, "<command line>: '' is not a valid setting "
	    "name");
	/* a getter's complaint about a command-line value names it */
	T_OK(parse(&cfg, "memory = 256", 0, mem, &err) == 0 &&
	    xvm_cfg_get_long(&cfg, "memory", &n, &err) == -1,
	    "command-line value of the wrong type");
	T_STREQ(xvm_err_format(&err, msg, sizeof(msg)), "<command line>: "
	    "'memory' should be a number, not 'abc'", "its message");
	xvm_cfg_release(&cfg);
}

static void
test_getters(void)
{
	static const char src[] =
	    "name = 'guest'\n"
	    "memory = 512\n"
	    "maxmem = '1024'\n"
	    "disk = [ 'a', 'b' ]\n"
	    "bad = 'abc'\n"
	    "acpi = 'on'\n"
	    "apic = 'No'\n"
	    "pae = 0\n"
	    "hap = 'maybe'\n"
	    "vnc = '2'\n";
	struct xvm_cfg cfg;
	struct xvm_err err;
	struct xvm_strv unused = XVM_STRV_INIT;
	const struct xvm_cfg_value *items;
	const char *s = "untouched";
	char msg[1400], *j;
	long long n = 77;
	size_t k;
	bool b = true;

	T_OK(parse(&cfg, src, 0, NULL, &err) == 0, "getters: parses");
	T_EQ(xvm_cfg_get_string(&cfg, "nosuch", &s, &err), 0, "absent: 0");
	T_STREQ(s, "untouched", "absent: out untouched");
	T_EQ(xvm_cfg_get_long(&cfg, "nosuch", &n, &err), 0, "absent long");
	T_EQ(n, 77, "absent long: out untouched");
	T_OK(xvm_cfg_get(&cfg, "nosuch") == NULL, "get of an absent name");
	T_EQ(xvm_cfg_get_string(&cfg, "name", &s, &err), 1, "string");
	T_STREQ(s, "guest", "string value");
	T_EQ(xvm_cfg_get_string(&cfg, "memory", &s, &err), 1,
	    "a number is a string too");
	T_STREQ(s, "512", "its text");
	T_EQ(xvm_cfg_get_long(&cfg, "memory", &n, &err), 1, "number");
	T_EQ(n, 512, "number value");
	T_EQ(xvm_cfg_get_long(&cfg, "maxmem", &n, &err), 1,
	    "a string of digits is a number");
	T_EQ(n, 1024, "its value");
	T_EQ(xvm_cfg_get_bool(&cfg, "acpi", &b, &err), 1, "bool 'on'");
	T_OK(b, "'on' is true");
	T_EQ(xvm_cfg_get_bool(&cfg, "apic", &b, &err), 1, "bool 'No'");
	T_OK(!b, "'No' is false");
	T_EQ(xvm_cfg_get_bool(&cfg, "pae", &b, &err), 1, "bool 0");
	T_OK(!b, "0 is false");
	T_EQ(xvm_cfg_get_bool(&cfg, "memory", &b, &err), 1, "bool 512");
	T_OK(b, "512 is true");
	T_EQ(xvm_cfg_get_list(&cfg, "disk", &items, &k, &err), 1, "list");
	T_OK(k == 2 && strcmp(items[1].str, "b") == 0, "list items");
	T_EQ(xvm_cfg_get_list(&cfg, "name", &items, &k, &err), 1,
	    "a string as a list");
	T_OK(k == 1 && strcmp(items[0].str, "guest") == 0,
	    "a one-item list");

	T_EQ(xvm_cfg_get_long(&cfg, "bad", &n, &err), -1, "not a number");
	T_STREQ(xvm_err_format(&err, msg, sizeof(msg)),
	    "x.cfg:5:7: 'bad' should be a number, not 'abc'", "its message");
	T_EQ(err.code, XVM_ERR_CONFIG, "a config error");
	T_EQ(xvm_cfg_get_long(&cfg, "disk", &n, &err), -1, "list as number");
	T_STREQ(xvm_err_format(&err, msg, sizeof(msg)),
	    "x.cfg:4:8: 'disk' should be a number, not a list", "its message");
	T_EQ(xvm_cfg_get_string(&cfg, "disk", &s, &err), -1,
	    "list as string");
	T_STREQ(xvm_err_format(&err, msg, sizeof(msg)),
	    "x.cfg:4:8: 'disk' should be a string, not a list", "its message");
	T_EQ(xvm_cfg_get_bool(&cfg, "hap", &b, &err), -1, "not a boolean");
	T_STREQ(xvm_err_format(&err, msg, sizeof(msg)),
	    "x.cfg:9:7: 'hap' should be a boolean, not 'maybe'",
	    "its message");
	T_EQ(xvm_cfg_get_bool(&cfg, "vnc", &b, &err), -1,
	    "'2' is no boolean word");
	T_EQ(xvm_cfg_get_bool(&cfg, "disk", &b, &err), -1, "list as bool");
	T_STREQ(xvm_err_format(&err, msg, sizeof(msg)),
	    "x.cfg:4:8: 'disk' should be a boolean, not a list",
	    "its message");

	xvm_cfg_unused(&cfg, &unused);
	j = xvm_strv_join(&unused, ",");
	T_STREQ(j, "", "every setting was read");
	free(j);
	xvm_cfg_release(&cfg);

	T_OK(parse(&cfg, "a = 1\nb = 2\nc = 3\nd = 4", 0, NULL, &err) == 0,
	    "unused: parses");
	xvm_strv_init(&unused);
	xvm_cfg_get_long(&cfg, "b", &n, &err);
	xvm_cfg_get(&cfg, "d");
	xvm_cfg_unused(&cfg, &unused);
	j = xvm_strv_join(&unused, ",");
	T_STREQ(j, "a,c", "unused settings in file order");
	free(j);
	xvm_strv_release(&unused);
	xvm_cfg_release(&cfg);
}

/* At least 25 malformed inputs, each with its exact message. */
static void
test_errors(void)
{
	struct xvm_cfg cfg;
	struct xvm_err err;
	char msg[1400], deep[200];
	struct xvm_buf b = XVM_BUF_INIT;
	int i;

	BAD("a = 1\nb = 2\nabcdef = \"abc\n",
	    "x.cfg:3:10: unterminated string starting at '\"abc'");
	BAD("name = 'a'\nname += [ 'x' ]",
	    "x.cfg:2:9: can't add a list to a string");
	BAD("a = 1\nb = 2\nc = 3\nmemory 256",
	    "x.cfg:4:1: expected '=' after 'memory'");
	BAD("memory", "x.cfg:1:1: expected '=' after 'memory'");
	BAD("x = [ 'a'", "x.cfg:1:5: '[' is not closed");
	BAD("x = [ 'a',\n 'b',\n", "x.cfg:1:5: '[' is not closed");
	BAD("x = [ 'a' 'b' ]",
	    "x.cfg:1:11: expected ',' or ']' in list, found \"'b'\"");
	BAD("x = [ 'a'\ny = 1 ]",
	    "x.cfg:2:1: expected ',' or ']' in list, found 'y'");
	BAD("x = ", "x.cfg:1:5: expected a value for 'x', found end of file");
	BAD("x =\ny = 1",
	    "x.cfg:1:4: expected a value for 'x', found end of line");
	BAD("x = # nothing",
	    "x.cfg:1:5: expected a value for 'x', found end of line");
	BAD("x += ", "x.cfg:1:6: expected a value for 'x', found end of file");
	BAD("x = ]", "x.cfg:1:5: expected a value for 'x', found ']'");
	BAD("x = [ 1, ; ]", "x.cfg:1:10: expected a value for 'x', found ';'");
	BAD("x = [ , ]", "x.cfg:1:7: expected a value for 'x', found ','");
	BAD("x = $", "x.cfg:1:5: expected a value for 'x', found '$'");
	BAD("x = guest1", "x.cfg:1:5: expected a value for 'x', found "
	    "'guest1'");
	BAD("= 5", "x.cfg:1:1: expected a setting name, found '='");
	BAD("5 = x", "x.cfg:1:1: expected a setting name, found '5'");
	BAD("'a' = 1", "x.cfg:1:1: expected a setting name, found \"'a'\"");
	BAD("_x = 1", "x.cfg:1:1: '_x' is not a valid setting name");
	BAD("x = 08", "x.cfg:1:5: '08' is not a valid number");
	BAD("x = 0x", "x.cfg:1:5: '0x' is not a valid number");
	BAD("x = 12abc", "x.cfg:1:5: '12abc' is not a valid number");
	BAD("x = 1e3", "x.cfg:1:5: '1e3' is not an integer");
	BAD("x = .5", "x.cfg:1:5: '.5' is not an integer");
	BAD("x = 99999999999999999999",
	    "x.cfg:1:5: '99999999999999999999' is out of range");
	BAD("x = 9223372036854775808",
	    "x.cfg:1:5: '9223372036854775808' is out of range");
	BAD("x = -9223372036854775809",
	    "x.cfg:1:5: '-9223372036854775809' is out of range");
	BAD("x = -", "x.cfg:1:6: expected a number after '-', found end of "
	    "file");
	BAD("x = -'a'", "x.cfg:1:5: unexpected '-'; this looks like Python, "
	    "which xm configs may contain: use xm's reader");
	BAD("x = \"a\\qb\"", "x.cfg:1:7: invalid escape '\\q' in string");
	BAD("x = \"\\x4g\"", "x.cfg:1:6: invalid escape '\\x4g' in string: "
	    "\\x takes two hex digits");
	BAD("x = \"\\x\"", "x.cfg:1:6: invalid escape '\\x' in string: \\x "
	    "takes two hex digits");
	BAD("x = \"\\0\"", "x.cfg:1:6: escape '\\0' would put a NUL byte in a "
	    "string");
	BAD("x = '\\x00'", "x.cfg:1:6: escape '\\x00' would put a NUL byte in "
	    "a string");
	BAD("x = \"\\777\"", "x.cfg:1:6: invalid escape '\\777' in string: "
	    "more than 255");
	BAD("x = 'a\\\nb'", "x.cfg:1:5: unterminated string starting at "
	    "\"'a\\\"");
	BAD("x = '''abc\ndef", "x.cfg:1:5: unterminated string starting at "
	    "\"'''abc\"");
	BAD("x = 'abc\r\n'", "x.cfg:1:5: unterminated string starting at "
	    "\"'abc\"");
	BAD("x = 1 2", "x.cfg:1:7: expected end of line after the value of "
	    "'x', found '2'");
	BAD("x = 1 = 2", "x.cfg:1:7: expected end of line after the value of "
	    "'x', found '='");
	BAD("x = 'abc' \"def\"", "x.cfg:1:11: expected end of line after the "
	    "value of 'x', found '\"def\"'");
	BAD("x = 'a' ; ; y = 2 z = 3", "x.cfg:1:19: expected end of line after "
	    "the value of 'y', found 'z'");
	BAD("x = 1\ry = 2", "x.cfg:1:6: expected end of line after the value "
	    "of 'x', found '\\r'");
	BAD("x = 1 ! 2", "x.cfg:1:7: expected end of line after the value of "
	    "'x', found '!'");
	BAD("x = 'a' if 1 else 'b'", "x.cfg:1:9: 'if' is Python code; a domain "
	    "config cannot run it");
	BAD("print 'hello'", "x.cfg:1:1: 'print' is Python code; a domain "
	    "config cannot run it");
	BAD("x = os.uname()", "x.cfg:1:5: 'os.uname(...)' is Python code; a "
	    "domain config cannot run it");
	BAD("x = None", "x.cfg:1:5: unexpected 'None'; this looks like Python, "
	    "which xm configs may contain: use xm's reader");
	BAD("name = \"vm%d\" % vmid", "x.cfg:1:15: unexpected '%'; this looks "
	    "like Python, which xm configs may contain: use xm's reader");
	BAD("x = [ 'a' ] + [ 'b' ]", "x.cfg:1:13: unexpected '+'; this looks "
	    "like Python, which xm configs may contain: use xm's reader");
	BAD("x = 2 * 3", "x.cfg:1:7: unexpected '*'; this looks like Python, "
	    "which xm configs may contain: use xm's reader");
	BAD("x = 5 -3", "x.cfg:1:7: unexpected '-'; this looks like Python, "
	    "which xm configs may contain: use xm's reader");

	/* nesting is bounded: 64 levels are fine, 65 are not */
	memset(deep, '[', 64);
	memset(deep + 64, ']', 64);
	deep[128] = '\0';
	snprintf(msg, sizeof(msg), "x = %s", deep);
	T_OK(parse(&cfg, msg, 0, NULL, &err) == 0 &&
	    xvm_cfg_get(&cfg, "x") != NULL, "64 nested lists");
	xvm_cfg_release(&cfg);
	memset(deep, '[', 65);
	deep[65] = '\0';
	snprintf(msg, sizeof(msg), "x = %s", deep);
	BAD(msg, "x.cfg:1:69: lists nested deeper than 64 levels");
	memset(deep, '[', 61);
	memset(deep + 61, ']', 61);
	deep[122] = '\0';
	snprintf(msg, sizeof(msg), "x = %s\ny = [ x ]\nz = [ 1, y ]\n"
	    "w = [ z ]\nv = (w, 2)", deep);
	BADP(msg, "x.cfg:5:6: lists nested deeper than 64 levels");
	memset(deep, '-', 70);
	deep[70] = '\0';
	snprintf(msg, sizeof(msg), "x = %s1", deep);
	BADP(msg, "x.cfg:1:69: lists nested deeper than 64 levels");
	/* what a config may compute is bounded */
	xvm_buf_puts(&b, "x = '0123456789abcdef0123456789abcdef'\n");
	for (i = 0; i < 30; i++)
		xvm_buf_puts(&b, "x = x + x\n");
	BADP(xvm_buf_str(&b), "x.cfg:18:7: values computed by this config "
	    "exceed 16 MiB");
	xvm_buf_reset(&b);
	/* joining strings copies them, so it counts too */
	for (i = 0; i < 100; i++) {
		xvm_buf_puts(&b, i ? "s += '" : "s = '");
		xvm_buf_pad(&b, 4096, 'a');
		xvm_buf_puts(&b, "'\n");
	}
	BAD(xvm_buf_str(&b), "x.cfg:91:6: values computed by this config "
	    "exceed 16 MiB");
	xvm_buf_release(&b);

	/* the file's name is the one init gave */
	xvm_cfg_init(&cfg, "/etc/xen/guest");
	T_OK(xvm_cfg_parse(&cfg, "x = 'y", 6, 0, NULL, &err) == -1 &&
	    strcmp(err.file, "/etc/xen/guest") == 0 && err.line == 1 &&
	    err.column == 5, "error names file, line and column");
	xvm_cfg_release(&cfg);
}

/* A string built by the API writes as want and reads back the same. */
static void
quoted(const char *s, const char *want)
{
	struct xvm_cfg cfg;
	char *out;

	xvm_cfg_init(&cfg, NULL);
	xvm_cfg_set_string(&cfg, "x", s);
	out = written(&cfg);
	T_STREQ(out, want, W("writes %s", want));
	free(out);
	xvm_cfg_release(&cfg);
}

static void
test_writer(void)
{
	struct xvm_cfg cfg;
	struct xvm_cfg_value *l, *sub;
	char *out;

	quoted("abc", "x = \"abc\"\n");
	quoted("", "x = \"\"\n");
	quoted("a'b", "x = \"a'b\"\n");
	quoted("a\"b", "x = 'a\"b'\n");
	quoted("phy:/dev/HostVG/XenGuest'\",hdb,w",
	    "x = \"\"\"phy:/dev/HostVG/XenGuest'\",hdb,w\"\"\"\n");
	quoted("a\nb", "x = \"\"\"a\nb\"\"\"\n");
	quoted("mon1.example.org\\:6321\\;",
	    "x = \"mon1.example.org\\\\:6321\\\\;\"\n");
	quoted("a\"\\b", "x = 'a\"\\\\b'\n");
	quoted("a\rb", "x = \"a\\rb\"\n");
	quoted("it's \"x\"", "x = '''it's \"x\"'''\n");
	quoted("a\"\"\"b'", "x = \"a\\\"\\\"\\\"b'\"\n");
	quoted("\"'", "x = \"\"\"\"'\"\"\"\n");
	quoted("'\"", "x = ''''\"'''\n");
	quoted("a'\"\\b", "x = \"a'\\\"\\\\b\"\n");
	quoted("a\nb\\c", "x = \"a\\nb\\\\c\"\n");
	quoted("a\r\nb", "x = \"a\\r\\nb\"\n");
	quoted("tab\there \x01 \xff", "x = \"tab\there \x01 \xff\"\n");

	xvm_cfg_init(&cfg, NULL);
	xvm_cfg_set_long(&cfg, "memory", 512);
	xvm_cfg_set_string(&cfg, "name", "guest");
	l = xvm_cfg_set_list(&cfg, "disk");
	xvm_cfg_list_add_string(l, "phy:/dev/sda,xvda,w");
	xvm_cfg_list_add_string(l, "file:/x.img,xvdb,r");
	l = xvm_cfg_set_list(&cfg, "vif");
	l = xvm_cfg_set_list(&cfg, "vnuma");
	sub = xvm_cfg_list_add_list(l);
	xvm_cfg_list_add_string(sub, "pnode=0");
	xvm_cfg_list_add_string(sub, "size=2048");
	sub = xvm_cfg_list_add_list(l);
	xvm_cfg_list_add_string(sub, "pnode=1");
	xvm_cfg_set_long(&cfg, "min", LLONG_MIN);
	xvm_cfg_set_long(&cfg, "memory", 1024);	/* replaces, in place */
	xvm_cfg_set_string(&cfg, "gone", "x");
	xvm_cfg_unset(&cfg, "gone");
	xvm_cfg_unset(&cfg, "never");
	out = written(&cfg);
	T_STREQ(out, "memory = 1024\nname = \"guest\"\n"
	    "disk = [ \"phy:/dev/sda,xvda,w\", \"file:/x.img,xvdb,r\" ]\n"
	    "vif = [  ]\n"
	    "vnuma = [ [ \"pnode=0\", \"size=2048\" ], [ \"pnode=1\" ] ]\n"
	    "min = -9223372036854775808\n", "a built config");
	free(out);
	T_EQ(cfg.n, 6, "six settings");
	xvm_cfg_release(&cfg);
	xvm_cfg_release(&cfg);
	T_OK(cfg.n == 0 && cfg.entries == NULL && cfg.file == NULL,
	    "release is idempotent");
}

/* Tiny deterministic generator for the round-trip property. */
static unsigned
rnd(unsigned *state)
{
	*state = *state * 1103515245u + 12345u;
	return (*state >> 16) & 0x7fff;
}

static void
test_round_trip(void)
{
	static const char alphabet[] = "\"'\\\n\r\t ax#[],=;%\x01\x7f\x80\xff";
	static const char *const fixed[] = {
		"", "\"", "'", "\\", "\n", "\r", "\r\n", "\"\"\"", "'''",
		"\"'", "'\"", "\"\"\"'''", "a\"", "a'", "'a\"", "\"a'",
		"\"\"\"\n'''\\", "\n\"'\\", "x\\\"", "\\n", "\\x41", "#",
		"a'\"\nb", "'\"\n\\", "\"'\n", "\n'\"",
	};
	struct xvm_cfg cfg, back;
	struct xvm_err err;
	struct xvm_cfg_value *l;
	char s[40], *out, *again, msg[1400];
	const char *got;
	unsigned state = 20240601, m;
	size_t i, k, len, fails = 0, nfixed = XVM_ARRAY_SIZE(fixed);
	int mode;

	for (i = 0; i < nfixed + 3000; i++) {
		if (i < nfixed) {
			snprintf(s, sizeof(s), "%s", fixed[i]);
		} else {
			len = rnd(&state) % 12;
			for (k = 0; k < len; k++)
				s[k] = alphabet[rnd(&state) %
				    (sizeof(alphabet) - 1)];
			s[len] = '\0';
		}
		xvm_cfg_init(&cfg, NULL);
		xvm_cfg_set_string(&cfg, "x", s);
		l = xvm_cfg_set_list(&cfg, "l");
		xvm_cfg_list_add_string(l, s);
		xvm_cfg_list_add_string(xvm_cfg_list_add_list(l), s);
		out = written(&cfg);
		for (mode = 0; mode < 2; mode++) {
			m = mode ? PY : 0;
			xvm_cfg_init(&back, "rt.cfg");
			if (xvm_cfg_parse(&back, out, strlen(out), m, NULL,
			    &err) < 0) {
				if (fails++ < 5)
					printf("# round trip: %s\n",
					    xvm_err_format(&err, msg,
					    sizeof(msg)));
				continue;
			}
			got = NULL;
			xvm_cfg_get_string(&back, "x", &got, &err);
			again = written(&back);
			if (got == NULL || strcmp(got, s) != 0 ||
			    strcmp(again, out) != 0 || back.n != 2 ||
			    back.entries[1].value.nitems != 2 ||
			    strcmp(back.entries[1].value.items[0].str, s) ||
			    strcmp(back.entries[1].value.items[1].items[0].str,
			    s)) {
				if (fails++ < 5)
					printf("# round trip lost: %s\n", out);
			}
			free(again);
			xvm_cfg_release(&back);
		}
		free(out);
		xvm_cfg_release(&cfg);
	}
	T_EQ(fails, 0, "write then parse is the identity on 3000+ strings "
	    "(both modes)");

	/* numbers too */
	OK("a = -9223372036854775808\nb = 9223372036854775807\nc = 0\nd = -1",
	    "a = -9223372036854775808\nb = 9223372036854775807\nc = 0\n"
	    "d = -1\n");
}

static int
by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * Every .cfg of libvirt's corpus parses in both modes and is written back
 * byte for byte.  One file is only read by libvirt's tests (cfg -> XML,
 * never written): its " , " comes back as the canonical ", ".
 */
static void
test_corpus(void)
{
	static const char *const dirs[] = { CORPUS "/xmconfigdata",
	    CORPUS "/xlconfigdata" };
	struct xvm_strv files = XVM_STRV_INIT;
	struct xvm_cfg cfg;
	struct xvm_err err;
	struct dirent *de;
	DIR *d;
	const struct xvm_cfg_value *v;
	char *data, *want, *out, *p, msg[1400];
	size_t i, len, n;
	int mode, nparse = 0, nsame = 0;

	if (access(CORPUS, R_OK) != 0) {
		t_n++;
		printf("ok %d # skip %s not found\n", t_n, CORPUS);
		return;
	}
	for (i = 0; i < XVM_ARRAY_SIZE(dirs); i++) {
		d = opendir(dirs[i]);
		if (d == NULL)
			continue;
		while ((de = readdir(d)) != NULL) {
			n = strlen(de->d_name);
			if (n > 4 && strcmp(de->d_name + n - 4, ".cfg") == 0)
				xvm_strv_pushf(&files, "%s/%s", dirs[i],
				    de->d_name);
		}
		closedir(d);
	}
	if (files.n > 0)
		qsort(files.v, files.n, sizeof(*files.v), by_name);
	T_EQ(files.n, 86, "the corpus has 86 .cfg files");
	for (i = 0; i < files.n; i++) {
		if (xvm_file_read(files.v[i], 1 << 20, &data, &len,
		    &err) < 0) {
			T_OK(0, W("read %s", files.v[i]));
			continue;
		}
		want = xvm_strdup(data);
		if (strstr(files.v[i], "test-disk-positional-parms-partial") !=
		    NULL)
			while ((p = strstr(want, "\" , \"")) != NULL)
				memmove(p + 1, p + 2, strlen(p + 2) + 1);
		for (mode = 0; mode < 2; mode++) {
			xvm_cfg_init(&cfg, files.v[i]);
			if (xvm_cfg_parse(&cfg, data, len, mode ? PY : 0, NULL,
			    &err) < 0) {
				printf("# %s\n", xvm_err_format(&err, msg,
				    sizeof(msg)));
				continue;
			}
			nparse++;
			out = written(&cfg);
			if (strcmp(out, want) == 0)
				nsame++;
			else
				printf("# not the same: %s\n", files.v[i]);
			free(out);
			xvm_cfg_release(&cfg);
		}
		free(want);
		free(data);
	}
	T_EQ(nparse, 2 * 86, "every corpus file parses (plain and Python)");
	T_EQ(nsame, 2 * 86, "every corpus file is written back byte for byte");
	xvm_strv_release(&files);

	/* xl's escapes: the file's "\\:" is one backslash in the value */
	xvm_cfg_init(&cfg, "rbd");
	T_OK(xvm_cfg_parse_file(&cfg, CORPUS "/xlconfigdata/"
	    "test-rbd-multihost-noauth.cfg", 0, NULL, &err) == 0 &&
	    (v = xvm_cfg_get(&cfg, "disk")) != NULL && v->nitems == 2 &&
	    strstr(v->items[1].str, "mon_host=mon1.example.org\\:6321\\;mon2")
	    != NULL && strstr(v->items[1].str, "\\\\") == NULL,
	    "rbd: one backslash each in the value");
	xvm_cfg_release(&cfg);
	/* libvirt's string with both quotes */
	xvm_cfg_init(&cfg, "escape");
	T_OK(xvm_cfg_parse_file(&cfg, CORPUS "/xmconfigdata/"
	    "test-escape-paths.cfg", 0, NULL, &err) == 0 &&
	    (v = xvm_cfg_get(&cfg, "disk")) != NULL && v->nitems == 3 &&
	    strcmp(v->items[1].str, "phy:/dev/HostVG/XenGuest'\",hdb,w") == 0,
	    "escape-paths: a string with both quotes");
	xvm_cfg_release(&cfg);
}

static void
test_file(void)
{
	char path[] = "/tmp/t_cfg.XXXXXX", msg[1400];
	struct xvm_cfg cfg;
	struct xvm_err err;
	const char *s;
	FILE *f;
	int fd;

	fd = mkstemp(path);
	if (!T_OK(fd >= 0, "temporary file"))
		return;
	f = fdopen(fd, "w");
	fputs("# guest\nname = 'g'\nmemory = 'x\n", f);
	fclose(f);
	xvm_cfg_init(&cfg, NULL);
	T_EQ(xvm_cfg_parse_file(&cfg, path, 0, NULL, &err), -1,
	    "a bad file is refused");
	snprintf(what, sizeof(what), "%s:3:10: unterminated string starting "
	    "at \"'x\"", path);
	T_STREQ(xvm_err_format(&err, msg, sizeof(msg)), what,
	    "named by its path");
	T_OK(cfg.n == 0 && cfg.file == NULL, "nothing left");
	f = fopen(path, "w");
	fputs("name = 'g'\n", f);
	fclose(f);
	xvm_cfg_init(&cfg, "guest.cfg");
	T_EQ(xvm_cfg_parse_file(&cfg, path, 0, NULL, &err), 0, "a good file");
	T_OK(xvm_cfg_get_string(&cfg, "name", &s, &err) == 1 &&
	    strcmp(s, "g") == 0, "its setting");
	xvm_cfg_release(&cfg);
	unlink(path);
	xvm_cfg_init(&cfg, NULL);
	T_EQ(xvm_cfg_parse_file(&cfg, path, 0, NULL, &err), -1,
	    "a missing file");
	T_EQ(err.code, XVM_ERR_SYSTEM, "a system error");
	T_OK(strstr(err.msg, path) != NULL, "naming the file");
	T_OK(cfg.n == 0 && cfg.file == NULL, "nothing left");
	xvm_cfg_release(&cfg);
}

int
main(void)
{
	test_probes();
	test_lexical();
	test_positions();
	test_later_wins();
	test_plus_eq();
	test_python();
	test_vars();
	test_getters();
	test_errors();
	test_writer();
	test_round_trip();
	test_corpus();
	test_file();
	return t_done();
}

/*
 * t_util.c - unit tests for err.c, mem.c, buf.c and strv.c.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "t.h"
#include "xvm/err.h"
#include "xvm/util.h"

static void
test_err_prefix(void)
{
	T_STREQ(xvm_err_prefix(XVM_ERR_INTERNAL), "internal error: ",
	    "prefix INTERNAL");
	T_STREQ(xvm_err_prefix(XVM_ERR_INVALID_ARG), "invalid argument: ",
	    "prefix INVALID_ARG");
	T_STREQ(xvm_err_prefix(XVM_ERR_OVERFLOW), "numerical overflow: ",
	    "prefix OVERFLOW");
	T_STREQ(xvm_err_prefix(XVM_ERR_OPERATION_INVALID),
	    "Requested operation is not valid: ", "prefix OPERATION_INVALID");
	T_STREQ(xvm_err_prefix(XVM_ERR_OPERATION_DENIED),
	    "operation forbidden: ", "prefix OPERATION_DENIED");
	T_STREQ(xvm_err_prefix(XVM_ERR_NO_SUPPORT),
	    "this function is not supported by the connection driver: ",
	    "prefix NO_SUPPORT");
	T_STREQ(xvm_err_prefix(XVM_ERR_CONFIG_UNSUPPORTED),
	    "unsupported configuration: ", "prefix CONFIG_UNSUPPORTED");
	T_STREQ(xvm_err_prefix(XVM_ERR_OK), "", "prefix OK");
	T_STREQ(xvm_err_prefix(XVM_ERR_SYSTEM), "", "prefix SYSTEM");
	T_STREQ(xvm_err_prefix(XVM_ERR_CONFIG), "", "prefix CONFIG");
	T_STREQ(xvm_err_prefix(XVM_ERR_NO_DOMAIN), "", "prefix NO_DOMAIN");
	T_STREQ(xvm_err_prefix(XVM_ERR_USAGE), "", "prefix USAGE");
	T_STREQ(xvm_err_prefix(XVM_ERR_CONNECT), "", "prefix CONNECT");
	T_STREQ(xvm_err_prefix(XVM_ERR_NOT_FOUND), "", "prefix NOT_FOUND");
	T_STREQ(xvm_err_prefix(9999), "", "prefix of an unknown code");
}

static void
test_err(void)
{
	struct xvm_err err;
	char buf[2048], small[8], big[3000];

	xvm_err_clear(&err);
	T_EQ(err.code, XVM_ERR_OK, "clear: code OK");
	T_STREQ(err.msg, "", "clear: empty msg");
	T_STREQ(xvm_err_format(&err, buf, sizeof(buf)), "",
	    "format of a clear error is empty");

	T_EQ(xvm_err_set(&err, XVM_ERR_INVALID_ARG, "bad %s %d", "x", 3), -1,
	    "set returns -1");
	T_EQ(err.code, XVM_ERR_INVALID_ARG, "set: code");
	T_STREQ(err.msg, "bad x 3", "set: msg");
	T_STREQ(xvm_err_format(&err, buf, sizeof(buf)),
	    "invalid argument: bad x 3", "format: prefix + msg");

	xvm_err_context(&err, "Failed to destroy domain '%s'", "a");
	T_STREQ(err.what, "Failed to destroy domain 'a'", "context sets what");
	T_EQ(err.code, XVM_ERR_INVALID_ARG, "context keeps code");
	T_STREQ(err.msg, "bad x 3", "context keeps msg");
	xvm_err_set(&err, XVM_ERR_INTERNAL, "oops");
	T_STREQ(err.what, "", "set clears what");
	T_STREQ(xvm_err_format(&err, buf, sizeof(buf)),
	    "internal error: oops", "format INTERNAL");

	T_EQ(xvm_err_sys(&err, ENOENT, "cannot open '%s'", "/nope"), -1,
	    "sys returns -1");
	T_EQ(err.code, XVM_ERR_SYSTEM, "sys: code SYSTEM");
	T_EQ(err.sys_errno, ENOENT, "sys: sys_errno");
	T_STREQ(err.msg, "cannot open '/nope': No such file or directory",
	    "sys: msg + strerror");
	T_STREQ(xvm_err_format(&err, buf, sizeof(buf)),
	    "cannot open '/nope': No such file or directory",
	    "format SYSTEM has no prefix");
	xvm_err_set(&err, XVM_ERR_USAGE, "x");
	T_EQ(err.sys_errno, 0, "set resets sys_errno");

	T_EQ(xvm_err_at(&err, "a.cfg", 3, 7, "bad %s", "value"), -1,
	    "at returns -1");
	T_EQ(err.code, XVM_ERR_CONFIG, "at: code CONFIG");
	T_STREQ(err.file, "a.cfg", "at: file");
	T_EQ(err.line, 3, "at: line");
	T_EQ(err.column, 7, "at: column");
	T_STREQ(xvm_err_format(&err, buf, sizeof(buf)), "a.cfg:3:7: bad value",
	    "format file:line:col");
	xvm_err_at(&err, "a.cfg", 3, 0, "bad");
	T_STREQ(xvm_err_format(&err, buf, sizeof(buf)), "a.cfg:3: bad",
	    "format omits column 0");
	xvm_err_at(&err, "a.cfg", 0, 0, "bad");
	T_STREQ(xvm_err_format(&err, buf, sizeof(buf)), "a.cfg: bad",
	    "format omits line 0");
	xvm_err_at(&err, NULL, 0, 0, "bad");
	T_STREQ(xvm_err_format(&err, buf, sizeof(buf)), "bad",
	    "format with no file");
	xvm_err_set(&err, XVM_ERR_USAGE, "x");
	T_EQ(err.line, 0, "set resets line");
	T_STREQ(err.file, "", "set resets file");

	/* Truncation: messages and the rendering stay inside their arrays. */
	memset(big, 'z', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	xvm_err_set(&err, XVM_ERR_INTERNAL, "%s", big);
	T_EQ(strlen(err.msg), sizeof(err.msg) - 1, "long msg truncated");
	xvm_err_sys(&err, EIO, "%s", big);
	T_EQ(strlen(err.msg), sizeof(err.msg) - 1, "long sys msg truncated");
	T_EQ(err.sys_errno, EIO, "truncated sys msg keeps errno");
	xvm_err_context(&err, "%s", big);
	T_EQ(strlen(err.what), sizeof(err.what) - 1, "long what truncated");
	xvm_err_at(&err, big, 1, 1, "m");
	T_EQ(strlen(err.file), sizeof(err.file) - 1, "long file truncated");
	xvm_err_set(&err, XVM_ERR_INVALID_ARG, "abcdef");
	T_STREQ(xvm_err_format(&err, small, sizeof(small)), "invalid",
	    "format truncates to the buffer");

	T_EQ(xvm_err_set(NULL, XVM_ERR_INTERNAL, "x"), -1,
	    "set on NULL err returns -1");
	T_EQ(xvm_err_sys(NULL, EIO, "x"), -1, "sys on NULL err returns -1");
}

static void
test_mem(void)
{
	char *s, *p;
	int *ip;

	s = xvm_strdup("hello");
	T_STREQ(s, "hello", "strdup");
	free(s);
	T_OK(xvm_strdup(NULL) == NULL, "strdup(NULL) is NULL");
	s = xvm_strndup("hello", 3);
	T_STREQ(s, "hel", "strndup");
	free(s);
	s = xvm_asprintf("%d-%s", 42, "x");
	T_STREQ(s, "42-x", "asprintf");
	free(s);
	p = xvm_malloc(0);
	T_OK(p != NULL, "malloc(0) is not NULL");
	p = xvm_realloc(p, 100);
	T_OK(p != NULL, "realloc");
	free(p);
	ip = xvm_calloc(4, sizeof(*ip));
	T_OK(ip[0] == 0 && ip[3] == 0, "calloc zeroes");
	free(ip);

	T_OK(xvm_streq("a", "a"), "streq equal");
	T_OK(!xvm_streq("a", "b"), "streq different");
	T_OK(xvm_streq(NULL, NULL), "streq NULL NULL");
	T_OK(!xvm_streq("a", NULL), "streq a NULL");
	T_OK(!xvm_streq(NULL, "a"), "streq NULL a");
	T_OK(xvm_has_prefix("xen:///", "xen:"), "has_prefix yes");
	T_OK(xvm_has_prefix("xen", ""), "has_prefix empty prefix");
	T_OK(!xvm_has_prefix("xe", "xen"), "has_prefix shorter string");
	T_OK(!xvm_has_prefix(NULL, "x"), "has_prefix NULL");
}

static void
test_buf(void)
{
	struct xvm_buf b = XVM_BUF_INIT;
	char *s, want[5001];

	T_STREQ(xvm_buf_str(&b), "", "unused buf_str is \"\"");
	s = xvm_buf_steal(&b);
	T_STREQ(s, "", "steal of an empty buf is \"\"");
	free(s);

	xvm_buf_puts(&b, "ab");
	xvm_buf_putc(&b, 'c');
	xvm_buf_add(&b, "defXX", 3);
	xvm_buf_pad(&b, 3, '.');
	xvm_buf_printf(&b, "%d", 7);
	T_STREQ(xvm_buf_str(&b), "abcdef...7", "puts/putc/add/pad/printf");
	T_EQ(b.len, 10, "len counts the bytes");

	xvm_buf_reset(&b);
	T_STREQ(xvm_buf_str(&b), "", "reset empties");
	T_EQ(b.len, 0, "reset len 0");
	T_OK(b.cap > 0, "reset keeps memory");

	memset(want, 'x', 5000);
	want[5000] = '\0';
	xvm_buf_printf(&b, "%s", want);
	T_STREQ(xvm_buf_str(&b), want, "printf longer than the capacity");
	xvm_buf_printf(&b, "%s%d", "-", 12345);
	T_EQ(b.len, 5006, "printf appends after a long write");
	T_STREQ(xvm_buf_str(&b) + 5000, "-12345", "appended text");

	s = xvm_buf_steal(&b);
	T_EQ(strlen(s), 5006, "steal returns the data");
	free(s);
	T_OK(b.data == NULL && b.len == 0 && b.cap == 0, "steal resets buf");
	T_STREQ(xvm_buf_str(&b), "", "buf_str after steal");

	xvm_buf_add(&b, "", 0);
	T_STREQ(xvm_buf_str(&b), "", "add of nothing");
	xvm_buf_release(&b);
	xvm_buf_release(&b);
	T_OK(b.data == NULL, "release is idempotent");
}

static void
test_strv(void)
{
	struct xvm_strv s = XVM_STRV_INIT;
	char *j;
	size_t i;

	j = xvm_strv_join(&s, ",");
	T_STREQ(j, "", "join of empty vector");
	free(j);
	T_OK(!xvm_strv_contains(&s, "a"), "empty contains nothing");

	xvm_strv_split(&s, "a,,b", ",");
	T_EQ(s.n, 3, "split a,,b: 3 fields");
	T_STREQ(s.v[0], "a", "split field 0");
	T_STREQ(s.v[1], "", "split field 1 empty");
	T_STREQ(s.v[2], "b", "split field 2");
	T_OK(s.v[3] == NULL, "NULL-terminated");
	j = xvm_strv_join(&s, "+");
	T_STREQ(j, "a++b", "join");
	free(j);
	xvm_strv_release(&s);

	xvm_strv_split(&s, "", ",");
	T_EQ(s.n, 1, "split of \"\": one field");
	T_STREQ(s.v[0], "", "split of \"\": empty field");
	xvm_strv_release(&s);

	xvm_strv_split(&s, "x y\tz,", " \t,");
	T_EQ(s.n, 4, "split with several separators");
	T_STREQ(s.v[3], "", "trailing separator makes an empty field");
	xvm_strv_release(&s);

	xvm_strv_push(&s, "pear");
	xvm_strv_push_take(&s, xvm_strdup("apple"));
	xvm_strv_pushf(&s, "%s", "pear");
	xvm_strv_push(&s, "fig");
	xvm_strv_push(&s, "apple");
	for (i = 0; i < 20; i++)
		xvm_strv_pushf(&s, "z%02zu", i);
	T_EQ(s.n, 25, "push grows");
	T_OK(s.v[s.n] == NULL, "NULL-terminated after growth");
	T_OK(xvm_strv_contains(&s, "fig"), "contains fig");
	T_OK(!xvm_strv_contains(&s, "kiwi"), "does not contain kiwi");
	T_OK(!xvm_strv_contains(&s, NULL), "does not contain NULL");
	xvm_strv_sort(&s);
	xvm_strv_uniq(&s);
	T_EQ(s.n, 23, "uniq drops adjacent duplicates");
	T_OK(s.v[s.n] == NULL, "NULL-terminated after uniq");
	j = xvm_strv_join(&s, " ");
	T_OK(strncmp(j, "apple fig pear z00 z01 ", 23) == 0,
	    "sorted and unique");
	free(j);
	j = xvm_strv_join(&s, NULL);
	T_OK(strncmp(j, "applefigpearz00", 15) == 0, "join with NULL sep");
	free(j);
	xvm_strv_release(&s);
	xvm_strv_release(&s);
	T_OK(s.v == NULL && s.n == 0, "release is idempotent");
}

int
main(void)
{
	test_err_prefix();
	test_err();
	test_mem();
	test_buf();
	test_strv();
	return t_done();
}

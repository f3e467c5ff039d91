/*
 * t_file.c - unit tests for file.c and lock.c: atomic replacement, files
 * that appear whole, whole file reads, mkdir -p and advisory locks.
 */
#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "t.h"
#include "xvm/file.h"
#include "xvm/util.h"

static int
rm_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (type == FTW_DP)
		return rmdir(path);
	return unlink(path);
}

static void
rm_rf(const char *path)
{
	nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* Number of entries in dir, "." and ".." aside. */
static int
count_entries(const char *dir)
{
	struct dirent *de;
	DIR *d;
	int n = 0;

	d = opendir(dir);
	if (d == NULL)
		return -1;
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") != 0 &&
		    strcmp(de->d_name, "..") != 0)
			n++;
	closedir(d);
	return n;
}

static void
test_write_read(const char *top)
{
	struct xvm_err err;
	struct stat st;
	char *path, *data = NULL;
	size_t len = 99;
	mode_t old;

	xvm_err_clear(&err);
	path = xvm_asprintf("%s/cfg", top);

	T_EQ(xvm_file_write_atomic(path, "hello\n", 6, 0644, &err), 0,
	    "write a new file");
	T_EQ(xvm_file_read(path, 1024, &data, &len, &err), 0, "read it back");
	T_STREQ(data, "hello\n", "content written");
	T_EQ(len, 6, "length read");
	free(data);

	T_EQ(xvm_file_write_atomic(path, "bye", 3, 0600, &err), 0,
	    "replace the file");
	T_EQ(xvm_file_read(path, 1024, &data, &len, &err), 0, "read again");
	T_STREQ(data, "bye", "content replaced");
	T_EQ(len, 3, "replaced length");
	free(data);
	T_OK(stat(path, &st) == 0 && (st.st_mode & 07777) == 0600,
	    "mode 0600 honoured");

	old = umask(077);
	T_EQ(xvm_file_write_atomic(path, "x", 1, 0644, &err), 0,
	    "write under umask 077");
	umask(old);
	T_OK(stat(path, &st) == 0 && (st.st_mode & 07777) == 0644,
	    "umask does not weaken the mode");

	T_EQ(xvm_file_write_atomic(path, NULL, 0, 0644, &err), 0,
	    "write an empty file");
	T_EQ(xvm_file_read(path, 1024, &data, &len, &err), 0,
	    "read an empty file");
	T_STREQ(data, "", "empty file is \"\"");
	T_EQ(len, 0, "empty file length 0");
	free(data);
	T_EQ(count_entries(top), 1, "no temporary files left behind");
	free(path);
}

static void
test_write_fail(const char *top)
{
	struct xvm_err err;
	char *path, *dir, *want, *inner, *data = NULL;
	size_t len;

	xvm_err_clear(&err);
	path = xvm_asprintf("%s/missing/cfg", top);
	T_EQ(xvm_file_write_atomic(path, "x", 1, 0644, &err), -1,
	    "write into a missing directory fails");
	T_EQ(err.code, XVM_ERR_SYSTEM, "missing dir: code SYSTEM");
	T_EQ(err.sys_errno, ENOENT, "missing dir: ENOENT");
	want = xvm_asprintf("cannot write '%s': No such file or directory",
	    path);
	T_STREQ(err.msg, want, "missing dir: message names the path");
	free(want);
	free(path);
	T_EQ(count_entries(top), 0, "missing dir: nothing left behind");

	dir = xvm_asprintf("%s/ro", top);
	path = xvm_asprintf("%s/cfg", dir);
	mkdir(dir, 0755);
	T_EQ(xvm_file_write_atomic(path, "old", 3, 0644, &err), 0,
	    "write the file a failure must keep");
	chmod(dir, 0555);
	if (geteuid() == 0) {
		printf("# running as root: read-only directory checks "
		    "skipped\n");
	} else {
		T_EQ(xvm_file_write_atomic(path, "new", 3, 0644, &err), -1,
		    "write into a read-only directory fails");
		T_EQ(err.sys_errno, EACCES, "read-only dir: EACCES");
		T_OK(strstr(err.msg, "cannot write '") != NULL,
		    "read-only dir: message");
		T_EQ(xvm_file_read(path, 1024, &data, &len, &err), 0,
		    "old file still readable");
		T_STREQ(data, "old", "old file untouched");
		free(data);
		T_EQ(count_entries(dir), 1, "read-only dir: no temp file");
	}
	chmod(dir, 0755);
	free(path);

	path = xvm_asprintf("%s/", dir);
	T_EQ(xvm_file_write_atomic(path, "x", 1, 0644, &err), -1,
	    "write to a path ending in / fails");
	T_EQ(count_entries(dir), 1, "trailing /: nothing left behind");
	free(path);

	/* A directory standing where the file should go: rename fails. */
	path = xvm_asprintf("%s/sub", dir);
	mkdir(path, 0755);
	inner = xvm_asprintf("%s/f", path);
	xvm_file_write_atomic(inner, "x", 1, 0644, &err);
	free(inner);
	T_EQ(xvm_file_write_atomic(path, "x", 1, 0644, &err), -1,
	    "replacing a non-empty directory fails");
	T_OK(strstr(err.msg, "cannot rename '") != NULL,
	    "rename failure message");
	T_EQ(count_entries(dir), 2, "rename failure: temp file removed");
	free(path);
	free(dir);
}

static void
test_read(const char *top)
{
	struct xvm_buf b = XVM_BUF_INIT;
	struct xvm_err err;
	char *path, *want, *data = NULL;
	size_t len = 0;
	int i;

	xvm_err_clear(&err);
	path = xvm_asprintf("%s/nope", top);
	T_EQ(xvm_file_read(path, 1024, &data, &len, &err), -1,
	    "read of a missing file fails");
	T_EQ(err.code, XVM_ERR_SYSTEM, "missing file: code SYSTEM");
	T_EQ(err.sys_errno, ENOENT, "missing file: ENOENT");
	want = xvm_asprintf("cannot open '%s': No such file or directory",
	    path);
	T_STREQ(err.msg, want, "missing file: message");
	T_OK(data == NULL, "missing file: no data");
	free(want);
	free(path);

	path = xvm_asprintf("%s/big", top);
	for (i = 0; i < 10000; i++)
		xvm_buf_putc(&b, (char)('a' + i % 26));
	xvm_file_write_atomic(path, b.data, b.len, 0644, &err);
	xvm_buf_release(&b);
	T_EQ(xvm_file_read(path, 10000, &data, &len, &err), 0,
	    "read a file exactly max bytes long");
	T_EQ(len, 10000, "big file length");
	T_OK(data != NULL && data[10000] == '\0' && data[9999] == 'p',
	    "big file content and NUL");
	free(data);
	data = NULL;
	T_EQ(xvm_file_read(path, 9999, &data, &len, &err), -1,
	    "read a file one byte over max fails");
	T_EQ(err.sys_errno, EFBIG, "too big: EFBIG");
	want = xvm_asprintf("'%s' is larger than 9999 bytes", path);
	T_STREQ(err.msg, want, "too big: message");
	free(want);
	T_OK(data == NULL, "too big: no data");
	T_EQ(xvm_file_read(path, 0, &data, &len, &err), -1,
	    "max 0 refuses a non-empty file");
	free(path);

	T_EQ(xvm_file_read("/dev/zero", 100000, &data, &len, &err), -1,
	    "an endless device is capped by max");
	T_EQ(err.sys_errno, EFBIG, "endless device: EFBIG");
	T_EQ(xvm_file_read("/dev/null", 10, &data, &len, &err), 0,
	    "read /dev/null");
	T_STREQ(data, "", "/dev/null is empty");
	T_EQ(len, 0, "/dev/null length");
	free(data);
	T_EQ(xvm_file_read("/proc/self/stat", 65536, &data, &len, &err), 0,
	    "read a /proc file whose size says 0");
	T_OK(len > 0 && strlen(data) == len, "/proc file has content");
	free(data);
	T_EQ(xvm_file_read(top, 10, &data, &len, &err), -1,
	    "read of a directory fails");
	T_EQ(err.sys_errno, EISDIR, "directory: EISDIR");
}

static void
test_mkdir(const char *top)
{
	struct xvm_err err;
	struct stat st;
	char *path, *file;

	xvm_err_clear(&err);
	path = xvm_asprintf("%s/a/b//c/", top);
	T_EQ(xvm_mkdir_p(path, 0755, &err), 0, "mkdir -p a/b//c/");
	T_OK(stat(path, &st) == 0 && S_ISDIR(st.st_mode), "a/b/c exists");
	T_EQ(xvm_mkdir_p(path, 0755, &err), 0, "existing directory is fine");
	T_EQ(xvm_mkdir_p("/", 0755, &err), 0, "mkdir -p /");
	T_EQ(xvm_mkdir_p(".", 0755, &err), 0, "mkdir -p .");
	free(path);

	file = xvm_asprintf("%s/a/file", top);
	xvm_file_write_atomic(file, "x", 1, 0644, &err);
	T_EQ(xvm_mkdir_p(file, 0755, &err), -1,
	    "existing file as the last component fails");
	T_EQ(err.sys_errno, ENOTDIR, "last component file: ENOTDIR");
	path = xvm_asprintf("%s/sub/dir", file);
	T_EQ(xvm_mkdir_p(path, 0755, &err), -1,
	    "existing file as a parent fails");
	T_EQ(err.code, XVM_ERR_SYSTEM, "file parent: code SYSTEM");
	T_EQ(err.sys_errno, ENOTDIR, "file parent: ENOTDIR");
	T_OK(strstr(err.msg, "cannot create directory '") != NULL,
	    "file parent: message");
	T_EQ(xvm_mkdir_p("", 0755, &err), -1, "mkdir -p \"\" fails");
	free(path);
	free(file);
}

static void
test_lock(const char *top)
{
	struct xvm_lock a = XVM_LOCK_INIT, b = XVM_LOCK_INIT;
	struct xvm_lock c = XVM_LOCK_INIT;
	struct xvm_err err;
	struct stat st;
	char *path, *want;

	xvm_err_clear(&err);
	path = xvm_asprintf("%s/lock", top);
	T_EQ(xvm_lock_acquire(&a, path, 0, &err), 0, "exclusive lock");
	T_OK(a.fd >= 0, "held lock has an fd");
	T_OK(stat(path, &st) == 0 && (st.st_mode & 07777) == 0600,
	    "lock file created 0600");
	T_EQ(xvm_lock_acquire(&b, path, XVM_LOCK_NOWAIT, &err), -1,
	    "second exclusive NOWAIT lock fails");
	T_EQ(b.fd, -1, "failed lock holds no fd");
	T_EQ(err.code, XVM_ERR_SYSTEM, "conflict: code SYSTEM");
	T_EQ(err.sys_errno, EAGAIN, "conflict: EAGAIN");
	want = xvm_asprintf("'%s' is locked by another process", path);
	T_STREQ(err.msg, want, "conflict: message");
	free(want);
	T_EQ(xvm_lock_acquire(&b, path, XVM_LOCK_NOWAIT | XVM_LOCK_SHARED,
	    &err), -1, "shared NOWAIT lock beside an exclusive one fails");
	T_EQ(xvm_lock_acquire(&a, path, 0, &err), -1,
	    "acquiring a held lock again fails");
	T_EQ(err.code, XVM_ERR_INTERNAL, "held again: INTERNAL");

	xvm_lock_release(&a);
	T_EQ(a.fd, -1, "release clears fd");
	xvm_lock_release(&a);
	T_EQ(a.fd, -1, "release is idempotent");
	T_EQ(xvm_lock_acquire(&b, path, XVM_LOCK_NOWAIT, &err), 0,
	    "after release the exclusive lock succeeds");
	xvm_lock_release(&b);

	T_EQ(xvm_lock_acquire(&a, path, XVM_LOCK_SHARED, &err), 0,
	    "shared lock");
	T_EQ(xvm_lock_acquire(&b, path, XVM_LOCK_SHARED | XVM_LOCK_NOWAIT,
	    &err), 0, "two shared locks together");
	T_EQ(xvm_lock_acquire(&c, path, XVM_LOCK_NOWAIT, &err), -1,
	    "exclusive NOWAIT beside shared locks fails");
	xvm_lock_release(&a);
	T_EQ(xvm_lock_acquire(&c, path, XVM_LOCK_NOWAIT, &err), -1,
	    "still fails while one shared lock remains");
	xvm_lock_release(&b);
	T_EQ(xvm_lock_acquire(&c, path, XVM_LOCK_NOWAIT, &err), 0,
	    "exclusive once every shared lock is gone");
	xvm_lock_release(&c);
	free(path);

	path = xvm_asprintf("%s/no/such/dir/lock", top);
	T_EQ(xvm_lock_acquire(&a, path, 0, &err), -1,
	    "lock file in a missing directory fails");
	T_EQ(err.sys_errno, ENOENT, "missing dir: ENOENT");
	T_EQ(a.fd, -1, "missing dir: no fd");
	free(path);
}

static void
test_newfile(const char *top)
{
	struct xvm_newfile nf;
	struct xvm_err err;
	struct stat st;
	char *path = xvm_asprintf("%s/new", top), *data = NULL;
	size_t len = 0;

	xvm_err_clear(&err);
	T_EQ(xvm_newfile_open(&nf, path, 0600, &err), 0, "a new file");
	T_OK(write(nf.fd, "half", 4) == 4, "written in part");
	T_EQ(count_entries(top), 0, "nothing shows while it is written");
	T_OK(write(nf.fd, " and whole", 10) == 10, "written whole");
	T_EQ(xvm_newfile_commit(&nf, &err), 0, "committed");
	T_OK(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600, "it "
	    "appears, mode 0600");
	T_OK(xvm_file_read(path, 100, &data, &len, &err) == 0 &&
	    strcmp(data, "half and whole") == 0, "with all it was given");
	free(data);
	T_EQ(count_entries(top), 1, "and nothing else");
	T_EQ(xvm_newfile_open(&nf, path, 0600, &err), -1, "not over it");
	T_EQ(err.code, XVM_ERR_OPERATION_INVALID, "an invalid operation");
	(void)unlink(path);
	T_EQ(xvm_newfile_open(&nf, path, 0600, &err), 0, "again");
	T_OK(write(nf.fd, "x", 1) == 1, "written");
	{
		/* someone else makes it meanwhile */
		FILE *f = fopen(path, "w");

		if (f)
			fclose(f);
	}
	T_EQ(xvm_newfile_commit(&nf, &err), -1, "the commit does not replace "
	    "a file made meanwhile");
	T_OK(stat(path, &st) == 0 && st.st_size == 0, "which is kept");
	(void)unlink(path);
	T_EQ(xvm_newfile_open(&nf, path, 0600, &err), 0, "once more");
	xvm_newfile_abort(&nf);
	xvm_newfile_abort(&nf);
	T_EQ(count_entries(top), 0, "aborted (twice): nothing left");
	free(path);
	path = xvm_asprintf("%s/no/such/dir/f", top);
	T_EQ(xvm_newfile_open(&nf, path, 0600, &err), -1, "no directory");
	T_OK(strstr(err.msg, "cannot create a file in") != NULL, "said so");
	free(path);
}

int
main(void)
{
	char top[] = "/tmp/xvm-t_file.XXXXXX";
	char *sub;

	if (mkdtemp(top) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	sub = xvm_asprintf("%s/w", top);
	mkdir(sub, 0755);
	test_write_read(sub);
	free(sub);
	sub = xvm_asprintf("%s/f", top);
	mkdir(sub, 0755);
	test_write_fail(sub);
	free(sub);
	test_read(top);
	test_mkdir(top);
	test_lock(top);
	sub = xvm_asprintf("%s/n", top);
	mkdir(sub, 0755);
	test_newfile(sub);
	free(sub);
	rm_rf(top);
	return t_done();
}

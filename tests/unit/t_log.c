/*
 * t_log.c - unit tests for log.c: record format, order, level filter.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "t.h"
#include "xvm/file.h"
#include "xvm/log.h"
#include "xvm/util.h"

/*
 * Check one record's fixed parts: "[YYYY-MM-DD HH:MM:SS.mmm PID] " and
 * return what follows the header, or NULL.
 */
static const char *
check_header(const char *line)
{
	int y, mo, d, h, mi, s, ms, pid, n = 0;

	if (strlen(line) < 26 || line[0] != '[' || line[5] != '-' ||
	    line[8] != '-' || line[11] != ' ' || line[14] != ':' ||
	    line[17] != ':' || line[20] != '.' || line[24] != ' ')
		return NULL;
	if (sscanf(line, "[%4d-%2d-%2d %2d:%2d:%2d.%3d %d] %n", &y, &mo, &d,
	    &h, &mi, &s, &ms, &pid, &n) != 8 || n == 0)
		return NULL;
	if (y < 2000 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 ||
	    mi > 59 || s > 60 || ms > 999 || pid != (int)getpid())
		return NULL;
	return line + n;
}

static void
test_log(const char *top)
{
	struct xvm_log log = XVM_LOG_INIT;
	struct xvm_strv lines = XVM_STRV_INIT;
	struct xvm_err err;
	struct stat st;
	char *path, *dir, *data = NULL;
	const char *rest;
	size_t len;

	xvm_err_clear(&err);
	T_EQ(log.fd, -1, "LOG_INIT is closed");
	T_EQ(log.min_level, XVM_LOG_INFO, "LOG_INIT drops DEBUG");
	T_EQ(xvm_log_write(&log, XVM_LOG_ERROR, NULL, "lost"), 0,
	    "writing to a closed log is a no-op");

	path = xvm_asprintf("%s/var/log/xvm/xvm.log", top);
	T_EQ(xvm_log_open(&log, path, &err), 0, "open creates directories");
	T_OK(log.fd >= 0, "open log has an fd");
	T_OK(stat(path, &st) == 0 && (st.st_mode & 0777) == 0640,
	    "log file created 0640");
	dir = xvm_asprintf("%s/var/log/xvm", top);
	T_OK(stat(dir, &st) == 0 && (st.st_mode & 0777) == 0755,
	    "log directory created 0755");
	free(dir);

	T_EQ(xvm_log_write(&log, XVM_LOG_INFO, "toolstack",
	    "domain '%s' created", "a"), 0, "write INFO");
	T_EQ(xvm_log_write(&log, XVM_LOG_DEBUG, "toolstack", "hidden"), 0,
	    "DEBUG below min_level returns 0");
	T_EQ(xvm_log_write(&log, XVM_LOG_WARNING, NULL, "two\nlines\n"), 0,
	    "write WARNING with newlines");
	log.min_level = XVM_LOG_DEBUG;
	T_EQ(xvm_log_write(&log, XVM_LOG_DEBUG, "sim", "now %d", 42), 0,
	    "DEBUG once min_level allows it");
	log.min_level = XVM_LOG_ERROR;
	T_EQ(xvm_log_write(&log, XVM_LOG_WARNING, "x", "dropped"), 0,
	    "WARNING below ERROR dropped");
	T_EQ(xvm_log_write(&log, XVM_LOG_ERROR, "xend", "%s", ""), 0,
	    "write ERROR with empty message");
	xvm_log_close(&log);
	T_EQ(log.fd, -1, "close clears fd");
	xvm_log_close(&log);
	T_EQ(log.fd, -1, "close is idempotent");

	/* Reopen appends. */
	log.min_level = XVM_LOG_INFO;
	T_EQ(xvm_log_open(&log, path, &err), 0, "reopen");
	T_EQ(xvm_log_write(&log, XVM_LOG_INFO, "cli", "last"), 0,
	    "write after reopen");
	xvm_log_close(&log);

	T_EQ(xvm_file_read(path, 1 << 20, &data, &len, &err), 0, "read log");
	T_OK(len > 0 && data[len - 1] == '\n', "log ends with a newline");
	xvm_strv_split(&lines, data, "\n");
	T_EQ(lines.n, 6, "five records and the empty tail");

	rest = check_header(lines.v[0]);
	T_OK(rest != NULL, "record 1 header format");
	T_STREQ(rest, "INFO (toolstack) domain 'a' created", "record 1 body");
	rest = check_header(lines.v[1]);
	T_OK(rest != NULL, "record 2 header format");
	T_STREQ(rest, "WARNING (xvm) two lines",
	    "record 2: NULL component is xvm, newlines flattened");
	rest = check_header(lines.v[2]);
	T_OK(rest != NULL, "record 3 header format");
	T_STREQ(rest, "DEBUG (sim) now 42", "record 3 body");
	rest = check_header(lines.v[3]);
	T_OK(rest != NULL, "record 4 header format");
	T_STREQ(rest, "ERROR (xend) ", "record 4 body");
	rest = check_header(lines.v[4]);
	T_OK(rest != NULL, "record 5 header format");
	T_STREQ(rest, "INFO (cli) last", "record 5 appended after reopen");
	T_STREQ(lines.v[5], "", "nothing after the last record");
	T_OK(strstr(data, "hidden") == NULL && strstr(data, "dropped") == NULL
	    && strstr(data, "lost") == NULL, "filtered records absent");
	T_OK(strncmp(lines.v[0], lines.v[4], 24) <= 0,
	    "timestamps do not go backwards");
	xvm_strv_release(&lines);
	free(data);
	free(path);

	path = xvm_asprintf("%s/var/log/xvm/xvm.log/sub.log", top);
	T_EQ(xvm_log_open(&log, path, &err), -1,
	    "a file where the directory should be fails");
	T_EQ(err.code, XVM_ERR_SYSTEM, "open failure: code SYSTEM");
	T_EQ(log.fd, -1, "open failure: still closed");
	free(path);
}

/* Several processes appending at once: every line stays whole. */
static void
test_concurrent(const char *top)
{
	struct xvm_log log = XVM_LOG_INIT;
	struct xvm_strv lines = XVM_STRV_INIT;
	struct xvm_err err;
	char *path, *data = NULL, pad[300], want[400];
	size_t len, i, bad = 0;
	pid_t pid;
	int c, j, status, ok = 1;

	path = xvm_asprintf("%s/conc/xvm.log", top);
	memset(pad, 'p', sizeof(pad) - 1);
	pad[sizeof(pad) - 1] = '\0';
	for (c = 0; c < 4; c++) {
		pid = fork();
		if (pid == 0) {
			if (xvm_log_open(&log, path, &err) < 0)
				_exit(1);
			for (j = 0; j < 200; j++)
				xvm_log_write(&log, XVM_LOG_INFO, "w",
				    "%s", pad);
			xvm_log_close(&log);
			_exit(0);
		}
		if (pid < 0)
			ok = 0;
	}
	while (wait(&status) > 0)
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
			ok = 0;
	T_OK(ok, "four writer processes finished");
	T_EQ(xvm_file_read(path, 1 << 22, &data, &len, &err), 0,
	    "read the shared log");
	xvm_strv_split(&lines, data != NULL ? data : "", "\n");
	T_EQ(lines.n, 801, "800 records");
	snprintf(want, sizeof(want), "] INFO (w) %s", pad);
	for (i = 0; i + 1 < lines.n; i++) {
		len = strlen(lines.v[i]);
		if (lines.v[i][0] != '[' || len < strlen(want) ||
		    strcmp(lines.v[i] + len - strlen(want), want) != 0)
			bad++;
	}
	T_EQ(bad, 0, "no record interleaved with another");
	xvm_strv_release(&lines);
	free(data);
	free(path);
}

static void
test_level_names(void)
{
	T_STREQ(xvm_log_level_name(XVM_LOG_DEBUG), "DEBUG", "name DEBUG");
	T_STREQ(xvm_log_level_name(XVM_LOG_INFO), "INFO", "name INFO");
	T_STREQ(xvm_log_level_name(XVM_LOG_WARNING), "WARNING",
	    "name WARNING");
	T_STREQ(xvm_log_level_name(XVM_LOG_ERROR), "ERROR", "name ERROR");
}

int
main(void)
{
	char top[] = "/tmp/xvm-t_log.XXXXXX";
	char *cmd;

	if (mkdtemp(top) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	umask(022);
	test_level_names();
	test_log(top);
	test_concurrent(top);
	cmd = xvm_asprintf("rm -rf '%s'", top);
	if (system(cmd) != 0)
		printf("# could not remove %s\n", top);
	free(cmd);
	return t_done();
}

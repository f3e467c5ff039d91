/*
 * builtin.c - the commands of virsh itself: cd, echo, pwd, quit/exit.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "virsh.h"

int
virsh_cmd_cd(struct xvm_ctx *ctx, const struct xvm_args *args)
{
	const char *dir = xvm_args_get(args, "dir");

	if (!dir || !dir[0]) {
		dir = getenv("HOME");
		if (!dir || !dir[0])
			dir = "/";
	}
	if (chdir(dir) < 0)
		return xvm_err_set(&ctx->err, XVM_ERR_SYSTEM, "cd: %s: %s",
		    strerror(errno), dir);
	return 0;
}

int
virsh_cmd_pwd(struct xvm_ctx *ctx, const struct xvm_args *args)
{
	char *cwd = getcwd(NULL, 0);

	if (!cwd)
		return xvm_err_set(&ctx->err, XVM_ERR_SYSTEM, "pwd: cannot get "
		    "current directory: %s", strerror(errno));
	if (args->json) {
		struct xvm_buf b = XVM_BUF_INIT;
		struct xvm_json j;

		xvm_json_init(&j, &b);
		xvm_json_begin_object(&j, NULL);
		xvm_json_string(&j, "cwd", cwd);
		xvm_json_end_object(&j);
		xvm_json_finish(&j);
		fputs(xvm_buf_str(&b), ctx->out);
		xvm_buf_release(&b);
	} else {
		fprintf(ctx->out, "%s\n", cwd);
	}
	free(cwd);
	return 0;
}

/* Quote for a POSIX shell, only when the word needs it. */
static void
shell_quote(struct xvm_buf *b, const char *s)
{
	const char *p;

	if (!s[0]) {
		xvm_buf_puts(b, "''");
		return;
	}
	if (s[strcspn(s, "#&;`'\"|*?~<>^()[]{}$\\ \t\n\r!")] == '\0') {
		xvm_buf_puts(b, s);
		return;
	}
	xvm_buf_putc(b, '\'');
	for (p = s; *p; p++) {
		if (*p == '\'')
			xvm_buf_puts(b, "'\\''");
		else
			xvm_buf_putc(b, *p);
	}
	xvm_buf_putc(b, '\'');
}

static void
xml_escape(struct xvm_buf *b, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '<':
			xvm_buf_puts(b, "&lt;");
			break;
		case '>':
			xvm_buf_puts(b, "&gt;");
			break;
		case '&':
			xvm_buf_puts(b, "&amp;");
			break;
		case '"':
			xvm_buf_puts(b, "&quot;");
			break;
		case '\'':
			xvm_buf_puts(b, "&apos;");
			break;
		default:
			xvm_buf_putc(b, *s);
		}
	}
}

/* --split: "a,b,,c" gives "a" and "b,c" (",," stands for a comma). */
static void
split_commas(const char *s, struct xvm_strv *out)
{
	struct xvm_buf w = XVM_BUF_INIT;

	for (;; s++) {
		if (*s == ',' && s[1] == ',') {
			xvm_buf_putc(&w, ',');
			s++;
		} else if (*s == ',' || *s == '\0') {
			xvm_strv_push(out, xvm_buf_str(&w));
			xvm_buf_reset(&w);
			if (!*s)
				break;
		} else {
			xvm_buf_putc(&w, *s);
		}
	}
	xvm_buf_release(&w);
}

int
virsh_cmd_echo(struct xvm_ctx *ctx, const struct xvm_args *args)
{
	struct xvm_strv in = XVM_STRV_INIT, words = XVM_STRV_INIT;
	struct xvm_buf out = XVM_BUF_INIT, tmp = XVM_BUF_INIT;
	bool shell = xvm_args_has(args, "shell");
	bool xml = xvm_args_has(args, "xml");
	size_t i;

	xvm_args_getv(args, "string", &in);
	for (i = 0; i < in.n; i++) {
		if (xvm_args_has(args, "split"))
			split_commas(in.v[i], &words);
		else
			xvm_strv_push(&words, in.v[i]);
	}
	for (i = 0; i < words.n; i++) {
		const char *w = words.v[i];

		if (i)
			xvm_buf_putc(&out, ' ');
		xvm_buf_reset(&tmp);
		if (xml) {
			xml_escape(&tmp, w);
			w = xvm_buf_str(&tmp);
		}
		if (shell)
			shell_quote(&out, w);
		else
			xvm_buf_puts(&out, w);
	}
	/* virsh prints no newline of its own: the blank after a command ends
	   the line (so `virsh -q echo x` prints "x" without one) */
	if (xvm_args_has(args, "err"))
		fprintf(ctx->errout, "error: %s\n", xvm_buf_str(&out));
	else
		fputs(xvm_buf_str(&out), ctx->out);
	xvm_strv_release(&in);
	xvm_strv_release(&words);
	xvm_buf_release(&out);
	xvm_buf_release(&tmp);
	return 0;
}

int
virsh_cmd_quit(struct xvm_ctx *ctx, const struct xvm_args *args)
{
	(void)args;
	ctx->quit = true;
	return 0;
}

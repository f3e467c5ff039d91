/*
 * shell.c - virsh's interactive shell on GNU readline: banner, prompt,
 * command strings with ';' and quoting, history kept between sessions, and
 * tab completion of commands, options and values from the command tables.
 *
 * Readline's completion callbacks take no user pointer, so the context of
 * the running shell is kept in one file-static variable while the shell
 * runs; nothing else in libxvm has process-wide state.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <readline/history.h>
#include <readline/readline.h>

#include "xvm/cli.h"
#include "xvm/file.h"
#include "cli/cli_int.h"

#define HISTORY_MAX 500

static struct xvm_ctx *shell_ctx;	/* see the comment at the top */
static struct xvm_strv shell_matches;
static size_t shell_next;

static char *
history_path(const char *name)
{
	const char *cache = getenv("XDG_CACHE_HOME");
	const char *home = getenv("HOME");

	if (cache && cache[0] == '/')
		return xvm_asprintf("%s/xvm/%s", cache, name);
	if (home && home[0])
		return xvm_asprintf("%s/.cache/xvm/%s", home, name);
	return NULL;
}

static char *
match_gen(const char *text, int state)
{
	(void)text;
	if (state == 0)
		shell_next = 0;
	if (shell_next < shell_matches.n)
		return xvm_strdup(shell_matches.v[shell_next++]);
	return NULL;
}

/* Complete the word at start..end of the current command of the line. */
static char **
shell_complete(const char *text, int start, int end)
{
	struct xvm_strv *cmds = NULL, words = XVM_STRV_INIT, errs = XVM_STRV_INIT;
	size_t n = 0, i;
	const char *line = rl_line_buffer, *begin = line;
	char *head;

	(void)end;
	rl_attempted_completion_over = 1;
	for (i = 0; i < (size_t)start; i++)
		if (line[i] == ';')
			begin = line + i + 1;
	head = xvm_strndup(begin, (size_t)(line + start - begin));
	if (xvm_cli_split(head, &cmds, &n, &errs) == 0 && n <= 1) {
		if (n == 1)
			for (i = 0; i < cmds[0].n; i++)
				xvm_strv_push(&words, cmds[0].v[i]);
		xvm_strv_push(&words, text);
		xvm_strv_release(&shell_matches);
		xvm_complete(shell_ctx, (int)words.n, words.v, &shell_matches);
	} else {
		xvm_strv_release(&shell_matches);
	}
	free(head);
	xvm_cli_split_free(cmds, n);
	xvm_strv_release(&words);
	xvm_strv_release(&errs);
	/* a directory is completed further, not ended with a space */
	rl_completion_append_character = ' ';
	if (shell_matches.n == 1) {
		const char *m = shell_matches.v[0];

		if (m[0] && m[strlen(m) - 1] == '/')
			rl_completion_append_character = '\0';
	}
	if (!shell_matches.n)
		return NULL;
	return rl_completion_matches(text, match_gen);
}

int
xvm_shell(struct xvm_ctx *ctx, const char *history_name)
{
	char *hist = history_path(history_name);
	char *line;
	const char *prompt;
	int status = 0;

	ctx->interactive = true;
	shell_ctx = ctx;
	rl_readline_name = ctx->tool->name;
	rl_attempted_completion_function = shell_complete;
	rl_instream = stdin;
	rl_outstream = ctx->out;
	if (hist) {
		using_history();
		read_history(hist);
	}
	if (!ctx->quiet)
		fprintf(ctx->out, "Welcome to %s, the virtualization interactive "
		    "terminal.\n\nType:  'help' for help with commands\n"
		    "       'quit' to quit\n\n", ctx->tool->name);
	fflush(ctx->out);
	prompt = ctx->readonly ? "virsh > " : "virsh # ";
	while (!ctx->quit) {
		line = readline(prompt);
		if (!line) {
			fputc('\n', ctx->out);
			break;
		}
		if (line[strspn(line, " \t")] != '\0') {
			add_history(line);
			status = xvm_cli_run_string(ctx, line);
		}
		free(line);
	}
	if (hist) {
		struct xvm_err err;
		char *dir = xvm_strdup(hist);

		*strrchr(dir, '/') = '\0';
		xvm_err_clear(&err);
		/* history is a convenience: a failure to keep it is ignored */
		if (xvm_mkdir_p(dir, 0700, &err) == 0 &&
		    write_history(hist) == 0)
			history_truncate_file(hist, HISTORY_MAX);
		free(dir);
		free(hist);
	}
	xvm_strv_release(&shell_matches);
	shell_ctx = NULL;
	ctx->interactive = false;
	(void)status;
	return 0;
}

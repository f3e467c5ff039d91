/*
 * fuzz_cfg.c - fuzz target for the xm/xl config language (xvm/cfg.h).
 *
 * The input is a config file, read in both modes (plain and
 * XVM_CFG_PYTHON).  When its first line is "#!vars a=1 b=x ...", the
 * words after "#!vars" are also given as command-line settings.
 * Invariants:
 *   - a failure is a located config error (or a command-line one) with a
 *     message, and leaves nothing in the cfg;
 *   - a success writes text that parses again (in both modes) to the
 *     same values, and writing that gives the same text again;
 *   - every getter answers every setting without harm.
 */
#include <stdlib.h>
#include <string.h>

#include "xvm/cfg.h"
#include "xvm/err.h"
#include "xvm/util.h"
#include "fuzz.h"

static bool
same(const struct xvm_cfg_value *a, const struct xvm_cfg_value *b)
{
	size_t i;

	if (a->type != b->type)
		return false;
	switch (a->type) {
	case XVM_CFG_NUMBER:
		return a->num == b->num;
	case XVM_CFG_LIST:
		if (a->nitems != b->nitems)
			return false;
		for (i = 0; i < a->nitems; i++)
			if (!same(&a->items[i], &b->items[i]))
				return false;
		return true;
	default:
		return strcmp(a->str, b->str) == 0;
	}
}

static void
check_failure(const struct xvm_cfg *cfg, const struct xvm_err *err)
{
	if (err->code != XVM_ERR_CONFIG || err->msg[0] == '\0')
		abort();
	if (strcmp(err->file, "<command line>") != 0 &&
	    (err->line < 1 || err->column < 1))
		abort();
	if (cfg->n != 0 || cfg->entries != NULL || cfg->file != NULL)
		abort();
}

static void
getters(struct xvm_cfg *cfg)
{
	const struct xvm_cfg_value *items;
	struct xvm_strv unused = XVM_STRV_INIT;
	struct xvm_err err;
	const char *s;
	long long n;
	size_t i, k;
	bool b;
	char *name;

	for (i = 0; i < cfg->n; i++) {
		name = xvm_strdup(cfg->entries[i].name);
		if (xvm_cfg_get_string(cfg, name, &s, &err) == 1 &&
		    s == NULL)
			abort();
		if (xvm_cfg_get_long(cfg, name, &n, &err) < 0 &&
		    err.code != XVM_ERR_CONFIG)
			abort();
		xvm_cfg_get_bool(cfg, name, &b, &err);
		if (xvm_cfg_get_list(cfg, name, &items, &k, &err) != 1)
			abort();
		free(name);
	}
	xvm_cfg_unused(cfg, &unused);
	if (unused.n != 0)
		abort();
	xvm_strv_release(&unused);
}

static void
one(const char *data, size_t size, unsigned flags,
    const struct xvm_strv *vars)
{
	struct xvm_cfg cfg, back;
	struct xvm_buf b1 = XVM_BUF_INIT, b2 = XVM_BUF_INIT;
	struct xvm_err err;
	size_t i;
	unsigned m;

	xvm_cfg_init(&cfg, "fuzz.cfg");
	xvm_err_clear(&err);
	if (xvm_cfg_parse(&cfg, data, size, flags, vars, &err) < 0) {
		check_failure(&cfg, &err);
		xvm_cfg_release(&cfg);
		return;
	}
	xvm_cfg_write(&cfg, &b1);
	for (m = 0; m < 2; m++) {
		xvm_cfg_init(&back, "written.cfg");
		if (xvm_cfg_parse(&back, xvm_buf_str(&b1), b1.len,
		    m ? XVM_CFG_PYTHON : 0, NULL, &err) < 0)
			abort();
		if (back.n != cfg.n)
			abort();
		for (i = 0; i < cfg.n; i++)
			if (strcmp(back.entries[i].name,
			    cfg.entries[i].name) != 0 ||
			    !same(&back.entries[i].value,
			    &cfg.entries[i].value))
				abort();
		xvm_buf_reset(&b2);
		xvm_cfg_write(&back, &b2);
		if (b1.len != b2.len || (b1.len > 0 &&
		    memcmp(b1.data, b2.data, b1.len) != 0))
			abort();
		xvm_cfg_release(&back);
	}
	getters(&cfg);
	xvm_cfg_release(&cfg);
	xvm_buf_release(&b1);
	xvm_buf_release(&b2);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data, *nl;
	struct xvm_strv vars = XVM_STRV_INIT, *v = NULL;
	char *line;
	size_t i;

	if (size >= 7 && memcmp(s, "#!vars", 6) == 0 &&
	    (nl = memchr(s, '\n', size)) != NULL) {
		line = xvm_strndup(s + 6, (size_t)(nl - s) - 6);
		xvm_strv_split(&vars, line, " ");
		free(line);
		/* drop empty words; keep the rest as settings */
		for (i = 0; i < vars.n; )
			if (vars.v[i][0] == '\0') {
				free(vars.v[i]);
				memmove(&vars.v[i], &vars.v[i + 1],
				    (vars.n - i) * sizeof(*vars.v));
				vars.n--;
			} else {
				i++;
			}
		v = &vars;
	}
	one(s, size, 0, v);
	one(s, size, XVM_CFG_PYTHON, v);
	xvm_strv_release(&vars);
	return 0;
}

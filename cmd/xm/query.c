/*
 * query.c - xm's small questions: uptime (xl's layout), domid, domname,
 * dmesg (the hypervisor's console), log (the toolstack's).
 *
 *   Name                              ID Uptime
 *   Domain-0                           0  6:02:11
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "xvm/domain.h"
#include "xvm/file.h"
#include "xvm/json.h"
#include "xvm/size.h"
#include "xvm/toolstack.h"
#include "xm.h"

/* xl's uptime_to_string: "H:MM:SS", "1 day, H:MM:SS", "N days, ..." */
static void
uptime_str(double secs, bool shrt, struct xvm_buf *b)
{
	unsigned long up = (unsigned long)secs;
	unsigned sec = up % 60, min = (up / 60) % 60, hour = (up / 3600) % 24;
	unsigned long day = up / 86400;

	if (day > 1)
		xvm_buf_printf(b, "%lu days, ", day);
	else if (day == 1)
		xvm_buf_printf(b, "%lu day, ", day);
	if (shrt)
		xvm_buf_printf(b, "%2u:%02u", hour, min);
	else
		xvm_buf_printf(b, "%2u:%02u:%02u", hour, min, sec);
}

int
xm_cmd_uptime(struct xvm_ctx *ctx, const struct xvm_args *args)
{
	struct xvm_conn *c = xm_connect(ctx);
	struct xvm_strv doms = XVM_STRV_INIT;
	struct xvm_domstat *list = NULL;
	struct xvm_buf b = XVM_BUF_INIT;
	bool shrt = xvm_args_has(args, "short");
	struct xvm_json j;
	size_t n = 0, i, k;
	int ret = -1;

	if (!c || xvm_list(c, &list, &n, &ctx->err) < 0)
		goto out;
	xvm_args_getv(args, "domains", &doms);
	for (k = 0; k < doms.n; k++) {
		uint32_t id;

		if (xvm_lookup(c, doms.v[k], &id, NULL, &ctx->err) < 0)
			goto out;
	}
	if (args->json) {
		xvm_json_init(&j, &b);
		xvm_json_begin_array(&j, NULL);
	} else if (!shrt) {
		xvm_buf_printf(&b, "%-33s %4s %s\n", "Name", "ID", "Uptime");
	}
	for (i = 0; i < n; i++) {
		double up;
		bool want = doms.n == 0;

		for (k = 0; k < doms.n && !want; k++) {
			uint32_t id;

			want = xvm_lookup(c, doms.v[k], &id, NULL,
			    &ctx->err) == 0 && id == list[i].id;
		}
		if (!want)
			continue;
		if (xvm_uptime(c, list[i].id, &up, &ctx->err) < 0)
			continue;	/* no start time known: as xl, skip */
		if (args->json) {
			xvm_json_begin_object(&j, NULL);
			xvm_json_string(&j, "name", list[i].name);
			xvm_json_uint(&j, "id", list[i].id);
			xvm_json_uint(&j, "uptime_seconds", (unsigned long long)up);
			xvm_json_end_object(&j);
		} else if (shrt) {
			char now[16];
			time_t t = time(NULL);
			struct tm tm;

			localtime_r(&t, &tm);
			strftime(now, sizeof(now), "%H:%M:%S", &tm);
			xvm_buf_printf(&b, " %s up ", now);
			uptime_str(up, true, &b);
			xvm_buf_printf(&b, ", %s (%u)\n", list[i].name,
			    list[i].id);
		} else {
			xvm_buf_printf(&b, "%-33s %4u ", list[i].name,
			    list[i].id);
			uptime_str(up, false, &b);
			xvm_buf_putc(&b, '\n');
		}
	}
	if (args->json) {
		xvm_json_end_array(&j);
		xvm_json_finish(&j);
	}
	xvm_err_clear(&ctx->err);
	fputs(xvm_buf_str(&b), ctx->out);
	ret = 0;
out:
	xvm_domstat_free(list, n);
	xvm_strv_release(&doms);
	xvm_buf_release(&b);
	return ret;
}

int
xm_cmd_domid(struct xvm_ctx *ctx, const struct xvm_args *args)
{
	struct xvm_conn *c = xm_connect(ctx);
	struct xvm_domstat *list = NULL;
	const char *name = xvm_args_get(args, "name");
	size_t n = 0, i;
	int ret = -1;

	if (!c || xvm_list(c, &list, &n, &ctx->err) < 0)
		return -1;
	for (i = 0; i < n; i++)
		if (strcmp(list[i].name, name) == 0) {
			fprintf(ctx->out, "%u\n", list[i].id);
			ret = 0;
		}
	if (ret < 0)
		xvm_err_set(&ctx->err, XVM_ERR_NO_DOMAIN, "Domain '%s' does not "
		    "exist.", name);
	xvm_domstat_free(list, n);
	return ret;
}

int
xm_cmd_domname(struct xvm_ctx *ctx, const struct xvm_args *args)
{
	struct xvm_conn *c = xm_connect(ctx);
	struct xvm_domstat *list = NULL;
	const char *ids = xvm_args_get(args, "id");
	size_t n = 0, i;
	unsigned id;
	int ret = -1;

	if (xvm_parse_uint(ids, &id) < 0)
		return xvm_err_set(&ctx->err, XVM_ERR_USAGE, "'%s' is not a "
		    "domain id", ids);
	if (!c || xvm_list(c, &list, &n, &ctx->err) < 0)
		return -1;
	for (i = 0; i < n; i++)
		if (list[i].id == id) {
			fprintf(ctx->out, "%s\n", list[i].name);
			ret = 0;
		}
	if (ret < 0)
		xvm_err_set(&ctx->err, XVM_ERR_NO_DOMAIN, "Domain '%s' does not "
		    "exist.", ids);
	xvm_domstat_free(list, n);
	return ret;
}

int
xm_cmd_dmesg(struct xvm_ctx *ctx, const struct xvm_args *args)
{
	struct xvm_conn *c = xm_connect(ctx);
	struct xvm_buf b = XVM_BUF_INIT;
	int ret = -1;

	if (c && xvm_dmesg(c, xvm_args_has(args, "clear"), &b,
	    &ctx->err) == 0) {
		fwrite(b.data ? b.data : "", 1, b.len, ctx->out);
		ret = 0;
	}
	xvm_buf_release(&b);
	return ret;
}

int
xm_cmd_log(struct xvm_ctx *ctx, const struct xvm_args *args)
{
	struct xvm_conn *c = xm_connect(ctx);
	const char *file;
	char *data = NULL;
	size_t len = 0;

	(void)args;
	if (!c)
		return -1;
	if ((file = xvm_log_file(c)) == NULL)
		return 0;		/* the test host keeps no log */
	if (xvm_file_read(file, 256u << 20, &data, &len, &ctx->err) < 0) {
		if (ctx->err.sys_errno == ENOENT) {
			xvm_err_clear(&ctx->err);
			return 0;	/* nothing logged yet */
		}
		return -1;
	}
	fwrite(data, 1, len, ctx->out);
	free(data);
	return 0;
}

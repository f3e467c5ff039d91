/*
 * list.c - xm list, in xl's layout:
 *
 *   Name                                        ID   Mem VCPUs	State	Time(s)
 *   Domain-0                                     0  1024     2     r-----       9.2
 */
#include <stdlib.h>
#include <string.h>

#include "xvm/domain.h"
#include "xvm/size.h"
#include "xvm/toolstack.h"
#include "xm.h"

struct xvm_conn *
xm_connect(struct xvm_ctx *ctx)
{
	bool created;

	if (ctx->data)
		return ctx->data;
	if (xvm_connect(ctx->uri, 0, (struct xvm_conn **)&ctx->data, &created,
	    &ctx->err) < 0)
		return NULL;
	if (created)
		fprintf(ctx->errout, "xm: created a simulated Xen host at %s\n",
		    xvm_conn_uri(ctx->data));
	return ctx->data;
}

/* Does domain s match DOM (a name, an id or a UUID)? */
static bool
matches(const struct xvm_domstat *s, const char *dom)
{
	unsigned char uuid[16];
	unsigned id;

	if (strcmp(s->name, dom) == 0)
		return true;
	if (xvm_parse_uint(dom, &id) == 0 && id == s->id)
		return true;
	return xvm_uuid_parse(dom, uuid) == 0 &&
	    memcmp(uuid, s->uuid, 16) == 0;
}

int
xm_cmd_list(struct xvm_ctx *ctx, const struct xvm_args *args)
{
	struct xvm_conn *c = xm_connect(ctx);
	struct xvm_strv doms = XVM_STRV_INIT;
	struct xvm_domstat *list = NULL;
	struct xvm_buf b = XVM_BUF_INIT;
	struct xvm_json j;
	size_t n = 0, i, k;
	bool *show = NULL;
	int ret = -1;

	if (!c || xvm_list(c, &list, &n, &ctx->err) < 0)
		goto out;
	xvm_args_getv(args, "domains", &doms);
	show = xvm_calloc(n ? n : 1, sizeof(*show));
	for (i = 0; i < n; i++)
		show[i] = doms.n == 0;
	for (k = 0; k < doms.n; k++) {
		bool found = false;

		for (i = 0; i < n; i++)
			if (matches(&list[i], doms.v[k]))
				show[i] = found = true;
		if (!found) {
			xvm_err_set(&ctx->err, XVM_ERR_NO_DOMAIN,
			    "Domain '%s' does not exist.", doms.v[k]);
			goto out;
		}
	}
	if (xvm_args_has(args, "long")) {
		/* as xl list -l: each domain's id and its configuration */
		bool first = true;

		xvm_buf_puts(&b, "[");
		for (i = 0; i < n; i++) {
			struct xvm_domain *d = NULL;
			struct xvm_buf dj = XVM_BUF_INIT;
			const char *p;

			if (!show[i])
				continue;
			xvm_buf_printf(&b, "%s\n    {\n        \"domid\": %u,\n"
			    "        \"config\": ", first ? "" : ",",
			    list[i].id);
			first = false;
			if (xvm_running_config(c, list[i].id, &d,
			    &ctx->err) == 0) {
				xvm_domain_format_json(d, &dj);
				/* nested: indented by 8, no final newline */
				while (dj.len && dj.data[dj.len - 1] == '\n')
					dj.len--;
				for (p = xvm_buf_str(&dj); *p; p++) {
					xvm_buf_putc(&b, *p);
					if (*p == '\n')
						xvm_buf_puts(&b, "        ");
				}
			} else {
				xvm_buf_puts(&b, "null");
			}
			xvm_err_clear(&ctx->err);
			xvm_domain_free(d);
			xvm_buf_release(&dj);
			xvm_buf_puts(&b, "\n    }");
		}
		xvm_buf_puts(&b, first ? "]\n" : "\n]\n");
	} else if (args->json) {
		xvm_json_init(&j, &b);
		xvm_json_begin_array(&j, NULL);
		for (i = 0; i < n; i++) {
			char uuid[37];

			if (!show[i])
				continue;
			xvm_uuid_format(list[i].uuid, uuid);
			xvm_json_begin_object(&j, NULL);
			xvm_json_string(&j, "name", list[i].name);
			xvm_json_uint(&j, "id", list[i].id);
			xvm_json_string(&j, "uuid", uuid);
			xvm_json_uint(&j, "memory_kib", list[i].mem_kib);
			xvm_json_uint(&j, "vcpus", list[i].vcpus);
			xvm_json_string(&j, "state", list[i].state);
			xvm_buf_printf(&b, ",\n    \"cpu_seconds\": %.1f",
			    list[i].cpu_seconds);
			xvm_json_end_object(&j);
		}
		xvm_json_end_array(&j);
		xvm_json_finish(&j);
	} else {
		xvm_buf_puts(&b, "Name                                        ID"
		    "   Mem VCPUs\tState\tTime(s)\n");
		for (i = 0; i < n; i++)
			if (show[i])
				xvm_buf_printf(&b, "%-40s %5u %5llu %5u     "
				    "%s  %8.1f\n", list[i].name, list[i].id,
				    (unsigned long long)(list[i].mem_kib /
				    1024), list[i].vcpus, list[i].state,
				    list[i].cpu_seconds);
	}
	fputs(xvm_buf_str(&b), ctx->out);
	ret = 0;
out:
	free(show);
	xvm_domstat_free(list, n);
	xvm_strv_release(&doms);
	xvm_buf_release(&b);
	return ret;
}

/*
 * t_store.c - the store of defined domains through the toolstack's API:
 * define/replace, the name/UUID pairing, lookups by name and UUID,
 * autostart marks, undefine, the files and their modes on a simulated host,
 * and the in-memory store of test:///default.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "xvm/domain.h"
#include "xvm/toolstack.h"
#include "t.h"

static struct xvm_domain *
dom(const char *name, const char *uuid)
{
	struct xvm_domain *d = xvm_domain_new();

	d->name = xvm_strdup(name);
	d->memory_kib = d->current_kib = 65536;
	d->vcpus = 1;
	d->os.type = XVM_OS_LINUX;
	d->os.kernel = xvm_strdup("/boot/vmlinuz");
	if (uuid) {
		xvm_uuid_parse(uuid, d->uuid);
		d->has_uuid = true;
	}
	return d;
}

#define U1 "11111111-2222-3333-4444-555555555555"
#define U2 "22222222-2222-3333-4444-555555555555"

static void
t_sim_store(void)
{
	char tmpl[] = "/tmp/t_store.XXXXXX", *uri, *p, *cmd;
	struct xvm_conn *c = NULL;
	struct xvm_err err;
	struct xvm_domain *a = dom("alpha", U1), *b = dom("beta", NULL), *g;
	struct xvm_defined *list = NULL;
	size_t n = 0;
	bool replaced = true, autostart = true;
	struct stat st;

	xvm_err_clear(&err);
	if (mkdtemp(tmpl) == NULL)
		return;
	uri = xvm_asprintf("sim://%s/host", tmpl);
	if (!T_OK(xvm_connect(uri, 0, &c, NULL, &err) == 0, "a host"))
		goto out;
	T_EQ(xvm_define(c, a, &replaced, &err), 0, "define alpha");
	T_OK(!replaced, "a new definition");
	T_EQ(xvm_define(c, b, NULL, &err), 0, "define beta (no UUID)");
	T_OK(b->has_uuid, "which was given one");
	p = xvm_asprintf("%s/host/domains/" U1 ".xml", tmpl);
	T_OK(stat(p, &st) == 0 && (st.st_mode & 0777) == 0600,
	    "alpha's file, mode 0600");
	free(p);
	a->vcpus = 2;
	T_EQ(xvm_define(c, a, &replaced, &err), 0, "define alpha again");
	T_OK(replaced, "which replaces it");

	T_EQ(xvm_defined_list(c, &list, &n, &err), 0, "list");
	T_OK(n == 2 && strcmp(list[0].dom->name, "alpha") == 0 &&
	    strcmp(list[1].dom->name, "beta") == 0 && list[0].dom->vcpus == 2,
	    "both, by name, alpha as redefined");
	xvm_defined_free(list, n);

	/* lookups */
	T_EQ(xvm_defined_get(c, U1, &g, &autostart, &err), 0, "by UUID");
	T_OK(g && strcmp(g->name, "alpha") == 0 && !autostart,
	    "alpha, not autostarted");
	xvm_domain_free(g);
	T_EQ(xvm_defined_get(c, "gamma", &g, NULL, &err), -1, "no gamma");
	T_EQ(err.code, XVM_ERR_NO_DOMAIN, "XVM_ERR_NO_DOMAIN");
	T_STREQ(err.msg, "Domain 'gamma' is not defined.", "its message");

	/* pairing */
	g = dom("alpha", U2);
	T_EQ(xvm_define(c, g, NULL, &err), -1, "alpha under another UUID");
	T_STREQ(err.msg, "domain 'alpha' already exists with uuid " U1,
	    "refused");
	free(g->name);
	g->name = xvm_strdup("gamma");
	memcpy(g->uuid, a->uuid, 16);
	T_EQ(xvm_define(c, g, NULL, &err), -1, "alpha's UUID as gamma");
	T_STREQ(err.msg, "domain 'alpha' is already defined with uuid " U1,
	    "refused");
	xvm_domain_free(g);

	/* autostart */
	T_EQ(xvm_autostart(c, "alpha", true, &err), 0, "autostart alpha");
	T_EQ(xvm_autostart(c, "alpha", true, &err), 0, "twice is fine");
	p = xvm_asprintf("%s/host/domains/autostart/" U1 ".xml", tmpl);
	{
		char target[64];
		ssize_t k = readlink(p, target, sizeof(target) - 1);

		T_OK(k > 0 && (target[k] = '\0', strcmp(target,
		    "../" U1 ".xml") == 0), "a link to its definition");
	}
	T_EQ(xvm_defined_get(c, "alpha", &g, &autostart, &err), 0, "get");
	T_OK(autostart, "marked");
	xvm_domain_free(g);
	T_EQ(xvm_autostart(c, "alpha", false, &err), 0, "and unmarked");
	T_OK(access(p, F_OK) != 0, "the link is gone");
	T_EQ(xvm_autostart(c, "gamma", true, &err), -1, "gamma: none");
	T_EQ(xvm_autostart(c, "alpha", true, &err), 0, "marked again");

	/* undefine */
	{
		char *name = NULL;

		T_EQ(xvm_undefine(c, U1, &name, &err), 0, "undefine by UUID");
		T_STREQ(name, "alpha", "alpha");
		free(name);
	}
	T_OK(access(p, F_OK) != 0, "its autostart link went with it");
	T_OK(!xvm_is_persistent(c, a->uuid), "not persistent any more");
	T_OK(xvm_is_persistent(c, b->uuid), "beta is");
	free(p);
out:
	xvm_disconnect(c);
	xvm_domain_free(a);
	xvm_domain_free(b);
	free(uri);
	cmd = xvm_asprintf("rm -rf '%s'", tmpl);
	if (system(cmd) != 0)
		printf("# could not remove %s\n", tmpl);
	free(cmd);
}

static void
t_test_store(void)
{
	struct xvm_conn *c = NULL;
	struct xvm_err err;
	struct xvm_defined *list = NULL;
	struct xvm_domain *g = NULL, *a = dom("alpha", U1);
	size_t n = 0;

	xvm_err_clear(&err);
	if (!T_OK(xvm_connect("test:///default", 0, &c, NULL, &err) == 0,
	    "test:///default"))
		return;
	T_EQ(xvm_defined_list(c, &list, &n, &err), 0, "its definitions");
	T_OK(n == 1 && strcmp(list[0].dom->name, "test") == 0 &&
	    list[0].dom->memory_kib == 8388608 && !list[0].autostart,
	    "domain test, as libvirt's test driver defines it");
	xvm_defined_free(list, n);
	T_EQ(xvm_running_config(c, 1, &g, &err), 0, "its running config");
	T_OK(g && g->id == 1 && g->current_kib == 2097152, "id 1, 2 GiB");
	xvm_domain_free(g);
	T_EQ(xvm_define(c, a, NULL, &err), 0, "define in memory");
	T_EQ(xvm_autostart(c, "alpha", true, &err), 0, "autostart");
	T_EQ(xvm_defined_get(c, "alpha", &g, NULL, &err), 0, "read back");
	xvm_domain_free(g);
	T_EQ(xvm_undefine(c, "test", NULL, &err), 0, "undefine test");
	T_EQ(xvm_defined_list(c, &list, &n, &err), 0, "list");
	T_OK(n == 1 && list[0].autostart, "alpha alone, autostarted");
	xvm_defined_free(list, n);
	xvm_disconnect(c);
	/* a new connection: libvirt's test host again, unchanged */
	T_EQ(xvm_connect("test:///default", 0, &c, NULL, &err), 0, "again");
	T_EQ(xvm_defined_list(c, &list, &n, &err), 0, "list");
	T_OK(n == 1 && strcmp(list[0].dom->name, "test") == 0,
	    "nothing of the last process is left");
	xvm_defined_free(list, n);
	xvm_disconnect(c);
	xvm_domain_free(a);
}

int
main(void)
{
	t_sim_store();
	t_test_store();
	return t_done();
}

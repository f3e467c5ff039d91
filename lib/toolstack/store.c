/*
 * store.c - the store of defined domains (DESIGN.md, Where things live),
 * shared by xm and virsh, and the configuration each running domain was
 * started from (what its lifecycle actions restart, what a live dumpxml
 * shows).
 *
 * A host with a state directory S (sim:///DIR: DIR; xen:///system:
 * /var/lib/xvm) keeps:
 *   S/domains/UUID.xml            a definition: libvirt domain XML (the
 *                                 inactive form, passwords included), mode
 *                                 0600, replaced atomically
 *   S/domains/autostart/UUID.xml  a symbolic link to ../UUID.xml while the
 *                                 domain starts with the host
 *   S/domains/.lock               held around every change of the store,
 *                                 so two defines cannot both take a name
 *   R/state/UUID.xml              why the domain is in its state (vdom.c)
 *   R/UUID.xml                    a running domain's config with its id
 *                                 (R: S/run on a simulated host, whose
 *                                 domains outlive a reboot of this machine;
 *                                 /run/xvm on a real one, whose do not)
 * Files are keyed by UUID, which a rename does not change.  A process
 * killed while writing leaves at most a temporary ".UUID.xml.XXXXXX",
 * which the next change of the store removes.  test:///default keeps the
 * same entries in the connection, gone with it.
 */
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "xvm/domxml.h"
#include "xvm/file.h"
#include "toolstack/ts_int.h"

#define XML_MAX		(4 * 1024 * 1024)

struct ts_mem_entry {
	int area;
	char key[37];
	char *data;
};

static char *
area_dir(const struct xvm_conn *c, int area)
{
	switch (area) {
	case TS_DEFS:
		return xvm_asprintf("%s/domains", c->statedir);
	case TS_AUTO:
		return xvm_asprintf("%s/domains/autostart", c->statedir);
	case TS_STATE:
		return xvm_asprintf("%s/state", c->rundir);
	default:
		return xvm_strdup(c->rundir);
	}
}

static struct ts_mem_entry *
mem_find(struct xvm_conn *c, int area, const char *key)
{
	size_t i;

	for (i = 0; i < c->nmem; i++)
		if (c->mem[i].area == area && strcmp(c->mem[i].key, key) == 0)
			return &c->mem[i];
	return NULL;
}

int
ts_area_put(struct xvm_conn *c, int area, const char *key, const char *data,
    size_t len, struct xvm_err *err)
{
	char *dir, *path;
	int ret = 0;

	if (c->statedir == NULL) {
		struct ts_mem_entry *e = mem_find(c, area, key);

		if (e == NULL) {
			c->mem = xvm_realloc(c->mem, (c->nmem + 1) *
			    sizeof(*c->mem));
			e = &c->mem[c->nmem++];
			e->area = area;
			snprintf(e->key, sizeof(e->key), "%s", key);
			e->data = NULL;
		}
		free(e->data);
		e->data = xvm_strndup(data, len);
		return 0;
	}
	dir = area_dir(c, area);
	path = xvm_asprintf("%s/%s.xml", dir, key);
	if (xvm_mkdir_p(dir, 0700, err) < 0) {
		ret = -1;
	} else if (area == TS_AUTO) {
		char *target = xvm_asprintf("../%s.xml", key);

		if (symlink(target, path) < 0 && errno != EEXIST)
			ret = xvm_err_sys(err, errno, "cannot create '%s'",
			    path);
		free(target);
	} else {
		ret = xvm_file_write_atomic(path, data, len, 0600, err);
	}
	free(path);
	free(dir);
	return ret;
}

int
ts_area_get(struct xvm_conn *c, int area, const char *key, char **data_r,
    struct xvm_err *err)
{
	char *dir, *path;
	size_t len;
	int ret;

	*data_r = NULL;
	if (c->statedir == NULL) {
		struct ts_mem_entry *e = mem_find(c, area, key);

		if (e)
			*data_r = xvm_strdup(e->data);
		return e != NULL;
	}
	dir = area_dir(c, area);
	path = xvm_asprintf("%s/%s.xml", dir, key);
	if (area == TS_AUTO) {
		struct stat st;

		ret = lstat(path, &st) == 0;
		if (!ret && errno != ENOENT)
			ret = xvm_err_sys(err, errno, "cannot read '%s'", path);
		if (ret == 1)
			*data_r = xvm_strdup("");
	} else if (xvm_file_read(path, XML_MAX, data_r, &len, err) == 0) {
		ret = 1;
	} else if (err->sys_errno == ENOENT) {
		xvm_err_clear(err);
		ret = 0;
	} else {
		ret = -1;
	}
	free(path);
	free(dir);
	return ret;
}

int
ts_area_del(struct xvm_conn *c, int area, const char *key,
    struct xvm_err *err)
{
	char *dir, *path;
	int ret = 0;

	if (c->statedir == NULL) {
		struct ts_mem_entry *e = mem_find(c, area, key);

		if (e) {
			free(e->data);
			*e = c->mem[--c->nmem];
		}
		return 0;
	}
	dir = area_dir(c, area);
	path = xvm_asprintf("%s/%s.xml", dir, key);
	if (unlink(path) < 0 && errno != ENOENT)
		ret = xvm_err_sys(err, errno, "cannot remove '%s'", path);
	free(path);
	free(dir);
	return ret;
}

/* Is name "UUID.xml"? */
static bool
entry_name(const char *name, char key[37])
{
	unsigned char u[16];

	if (strlen(name) != 40 || strcmp(name + 36, ".xml") != 0)
		return false;
	memcpy(key, name, 36);
	key[36] = '\0';
	return xvm_uuid_parse(key, u) == 0;
}

/*
 * The keys of an area, sorted.  Temporary files a killed process left
 * are removed when sweep is set (the caller holds the store's lock).
 */
static int
area_keys(struct xvm_conn *c, int area, bool sweep, struct xvm_strv *keys,
    struct xvm_err *err)
{
	char *dir, key[37];
	DIR *d;
	struct dirent *e;
	size_t i;

	if (c->statedir == NULL) {
		for (i = 0; i < c->nmem; i++)
			if (c->mem[i].area == area)
				xvm_strv_push(keys, c->mem[i].key);
		xvm_strv_sort(keys);
		return 0;
	}
	dir = area_dir(c, area);
	if ((d = opendir(dir)) == NULL) {
		int e2 = errno, r = 0;

		if (e2 != ENOENT)
			r = xvm_err_sys(err, e2, "cannot read the domain "
			    "store '%s'", dir);
		free(dir);
		return r;
	}
	while ((e = readdir(d)) != NULL) {
		if (entry_name(e->d_name, key))
			xvm_strv_push(keys, key);
		else if (sweep && e->d_name[0] == '.' &&
		    strlen(e->d_name) == 48 && strncmp(e->d_name + 37,
		    ".xml.", 5) == 0)
			(void)unlinkat(dirfd(d), e->d_name, 0);
	}
	closedir(d);
	free(dir);
	xvm_strv_sort(keys);
	return 0;
}

/*
 * The store's lock, held by this connection while depth > 0: fcntl locks
 * belong to the process and go with the first close of the file, so a
 * nested taker (a define that lists, a listing that restarts a domain)
 * must not open and close it again.
 */
int
ts_store_lock(struct xvm_conn *c, struct xvm_err *err)
{
	char *dir, *path;
	int r;

	if (c->statedir == NULL || c->lock_depth++ > 0)
		return 0;
	dir = area_dir(c, TS_DEFS);
	path = xvm_asprintf("%s/.lock", dir);
	r = xvm_mkdir_p(dir, 0700, err);
	if (r == 0)
		r = xvm_lock_acquire(&c->lock, path, 0, err);
	if (r < 0)
		c->lock_depth = 0;
	free(path);
	free(dir);
	return r;
}

void
ts_store_unlock(struct xvm_conn *c)
{
	if (c->lock_depth > 0 && --c->lock_depth == 0)
		xvm_lock_release(&c->lock);
}

/* Parse one entry; messages name its file. */
static int
parse_entry(struct xvm_conn *c, int area, const char *key, const char *data,
    struct xvm_domain **d_r, struct xvm_err *err)
{
	char *dir = c->statedir ? area_dir(c, area) : NULL;
	char *name = dir ? xvm_asprintf("%s/%s.xml", dir, key) :
	    xvm_asprintf("%s.xml", key);
	int r = xvm_domain_parse_xml(data, strlen(data), name, 0, d_r, err);

	free(name);
	free(dir);
	return r;
}

void
xvm_defined_free(struct xvm_defined *list, size_t n)
{
	size_t i;

	for (i = 0; list && i < n; i++)
		xvm_domain_free(list[i].dom);
	free(list);
}

static int
by_name(const void *a, const void *b)
{
	const struct xvm_defined *x = a, *y = b;

	return strcmp(x->dom->name, y->dom->name);
}

static int
defined_list(struct xvm_conn *c, bool sweep, struct xvm_defined **list_r,
    size_t *n_r, struct xvm_err *err)
{
	struct xvm_strv keys = XVM_STRV_INIT;
	struct xvm_defined *list;
	size_t i, n = 0;
	int ret = -1;

	*list_r = NULL;
	*n_r = 0;
	if (area_keys(c, TS_DEFS, sweep, &keys, err) < 0)
		return -1;
	list = xvm_calloc(keys.n + 1, sizeof(*list));
	for (i = 0; i < keys.n; i++) {
		char *data = NULL, *link = NULL;
		int r = ts_area_get(c, TS_DEFS, keys.v[i], &data, err);

		if (r == 0)
			continue;	/* undefined meanwhile */
		if (r < 0 || parse_entry(c, TS_DEFS, keys.v[i], data,
		    &list[n].dom, err) < 0) {
			free(data);
			goto out;
		}
		free(data);
		n++;
		if ((r = ts_area_get(c, TS_AUTO, keys.v[i], &link, err)) < 0)
			goto out;
		list[n - 1].autostart = r == 1;
		free(link);
	}
	qsort(list, n, sizeof(*list), by_name);
	*list_r = list;
	*n_r = n;
	list = NULL;
	ret = 0;
out:
	xvm_defined_free(list, n);
	xvm_strv_release(&keys);
	return ret;
}

int
xvm_defined_list(struct xvm_conn *c, struct xvm_defined **list_r,
    size_t *n_r, struct xvm_err *err)
{
	return defined_list(c, false, list_r, n_r, err);
}

/* The entry of list DOM names (a name or a UUID), or -1. */
static long
defined_find(const struct xvm_defined *list, size_t n, const char *dom)
{
	unsigned char u[16];
	bool is_uuid = xvm_uuid_parse(dom, u) == 0;
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(list[i].dom->name, dom) == 0)
			return (long)i;
	for (i = 0; is_uuid && i < n; i++)
		if (memcmp(list[i].dom->uuid, u, 16) == 0)
			return (long)i;
	return -1;
}

int
xvm_defined_get(struct xvm_conn *c, const char *dom, struct xvm_domain **d_r,
    bool *autostart_r, struct xvm_err *err)
{
	struct xvm_defined *list;
	size_t n;
	long i;

	*d_r = NULL;
	if (xvm_defined_list(c, &list, &n, err) < 0)
		return -1;
	if ((i = defined_find(list, n, dom)) < 0) {
		xvm_defined_free(list, n);
		return xvm_err_set(err, XVM_ERR_NO_DOMAIN, "Domain '%s' is "
		    "not defined.", dom);
	}
	*d_r = list[i].dom;
	list[i].dom = NULL;
	if (autostart_r)
		*autostart_r = list[i].autostart;
	xvm_defined_free(list, n);
	return 0;
}

bool
xvm_name_valid(const char *name, struct xvm_err *err)
{
	if (name == NULL || *name == '\0')
		return xvm_err_set(err, XVM_ERR_INVALID_ARG, "a domain needs "
		    "a name") == 0;
	if (strchr(name, '/') || strlen(name) > 255)
		return xvm_err_set(err, XVM_ERR_INVALID_ARG, "domain name "
		    "'%s' is not valid: at most 255 characters, no '/'",
		    name) == 0;
	return true;
}

int
xvm_define(struct xvm_conn *c, struct xvm_domain *d, bool *replaced_r,
    struct xvm_err *err)
{
	struct xvm_defined *list = NULL;
	struct xvm_domstat *run = NULL;
	struct xvm_buf b = XVM_BUF_INIT;
	size_t n = 0, nrun = 0, i;
	char u[37];
	int ret = -1;

	if (replaced_r)
		*replaced_r = false;
	if (!xvm_name_valid(d->name, err))
		return -1;
	if (!d->has_uuid) {
		xvm_uuid_generate(d->uuid);
		d->has_uuid = true;
	}
	xvm_uuid_format(d->uuid, u);
	if (ts_store_lock(c, err) < 0 ||
	    defined_list(c, true, &list, &n, err) < 0 ||
	    xvm_list(c, &run, &nrun, err) < 0)
		goto out;
	/* as libvirt: a UUID keeps its name, a name keeps its UUID */
	for (i = 0; i < n; i++) {
		const struct xvm_domain *o = list[i].dom;
		char ou[37];

		xvm_uuid_format(o->uuid, ou);
		if (memcmp(o->uuid, d->uuid, 16) == 0 &&
		    strcmp(o->name, d->name) != 0) {
			xvm_err_set(err, XVM_ERR_OPERATION_FAILED, "domain "
			    "'%s' is already defined with uuid %s", o->name,
			    u);
			goto out;
		}
		if (memcmp(o->uuid, d->uuid, 16) != 0 &&
		    strcmp(o->name, d->name) == 0) {
			xvm_err_set(err, XVM_ERR_OPERATION_FAILED, "domain "
			    "'%s' already exists with uuid %s", d->name, ou);
			goto out;
		}
		if (memcmp(o->uuid, d->uuid, 16) == 0 && replaced_r)
			*replaced_r = true;
	}
	for (i = 0; i < nrun; i++) {
		char ou[37];

		xvm_uuid_format(run[i].uuid, ou);
		if (memcmp(run[i].uuid, d->uuid, 16) == 0 &&
		    strcmp(run[i].name, d->name) != 0) {
			xvm_err_set(err, XVM_ERR_OPERATION_FAILED, "domain "
			    "'%s' is already defined with uuid %s",
			    run[i].name, u);
			goto out;
		}
		if (memcmp(run[i].uuid, d->uuid, 16) != 0 &&
		    strcmp(run[i].name, d->name) == 0) {
			xvm_err_set(err, XVM_ERR_OPERATION_FAILED, "domain "
			    "'%s' already exists with uuid %s", d->name, ou);
			goto out;
		}
	}
	xvm_domain_format_xml(d, XVM_XML_INACTIVE | XVM_XML_SECURE, &b);
	ret = ts_area_put(c, TS_DEFS, u, xvm_buf_str(&b), b.len, err);
out:
	ts_store_unlock(c);
	xvm_buf_release(&b);
	xvm_defined_free(list, n);
	xvm_domstat_free(run, nrun);
	return ret;
}

/* Under the store's lock: the definition DOM names, or an error. */
static int
locked_find(struct xvm_conn *c, const char *dom,
    struct xvm_defined **list_r, size_t *n_r, long *i_r,
    struct xvm_err *err)
{
	if (ts_store_lock(c, err) < 0 ||
	    defined_list(c, true, list_r, n_r, err) < 0)
		return -1;
	if ((*i_r = defined_find(*list_r, *n_r, dom)) < 0)
		return xvm_err_set(err, XVM_ERR_NO_DOMAIN, "Domain '%s' is "
		    "not defined.", dom);
	return 0;
}

int
xvm_undefine(struct xvm_conn *c, const char *dom, char **name_r,
    struct xvm_err *err)
{
	struct xvm_defined *list = NULL;
	size_t n = 0;
	long i;
	char u[37];
	int ret = -1;

	if (name_r)
		*name_r = NULL;
	if (locked_find(c, dom, &list, &n, &i, err) < 0)
		goto out;
	xvm_uuid_format(list[i].dom->uuid, u);
	/* the link first: a kill between the two leaves no dangling link */
	if (ts_area_del(c, TS_AUTO, u, err) < 0 ||
	    ts_area_del(c, TS_DEFS, u, err) < 0)
		goto out;
	if (name_r)
		*name_r = xvm_strdup(list[i].dom->name);
	ret = 0;
out:
	ts_store_unlock(c);
	xvm_defined_free(list, n);
	return ret;
}

int
xvm_rename_defined(struct xvm_conn *c, const char *dom, const char *name,
    struct xvm_err *err)
{
	struct xvm_defined *list = NULL;
	struct xvm_domstat *run = NULL;
	struct xvm_buf b = XVM_BUF_INIT;
	size_t n = 0, nrun = 0, k;
	long i;
	char u[37];
	int ret = -1;

	if (!xvm_name_valid(name, err) ||
	    locked_find(c, dom, &list, &n, &i, err) < 0 ||
	    xvm_list(c, &run, &nrun, err) < 0)
		goto out;
	for (k = 0; k < n; k++)
		if ((long)k != i && strcmp(list[k].dom->name, name) == 0) {
			xvm_uuid_format(list[k].dom->uuid, u);
			xvm_err_set(err, XVM_ERR_OPERATION_FAILED, "domain "
			    "'%s' already exists with uuid %s", name, u);
			goto out;
		}
	for (k = 0; k < nrun; k++)
		if (strcmp(run[k].name, name) == 0) {
			xvm_err_set(err, XVM_ERR_OPERATION_FAILED, "domain "
			    "'%s' already exists (ID %" PRIu32 ")", name,
			    run[k].id);
			goto out;
		}
	free(list[i].dom->name);
	list[i].dom->name = xvm_strdup(name);
	xvm_uuid_format(list[i].dom->uuid, u);
	xvm_domain_format_xml(list[i].dom, XVM_XML_INACTIVE | XVM_XML_SECURE,
	    &b);
	ret = ts_area_put(c, TS_DEFS, u, xvm_buf_str(&b), b.len, err);
out:
	ts_store_unlock(c);
	xvm_buf_release(&b);
	xvm_domstat_free(run, nrun);
	xvm_defined_free(list, n);
	return ret;
}

int
xvm_autostart(struct xvm_conn *c, const char *dom, bool on,
    struct xvm_err *err)
{
	struct xvm_defined *list = NULL;
	size_t n = 0;
	long i;
	char u[37];
	int ret = -1;

	if (locked_find(c, dom, &list, &n, &i, err) < 0)
		goto out;
	xvm_uuid_format(list[i].dom->uuid, u);
	ret = on ? ts_area_put(c, TS_AUTO, u, "", 0, err) :
	    ts_area_del(c, TS_AUTO, u, err);
out:
	ts_store_unlock(c);
	xvm_defined_free(list, n);
	return ret;
}

int
xvm_start(struct xvm_conn *c, const char *dom, unsigned flags,
    uint32_t *id_r, struct xvm_err *err)
{
	struct xvm_domain *d = NULL;
	struct xvm_domstat *run = NULL;
	size_t nrun = 0, i;
	int ret = -1;

	if (xvm_defined_get(c, dom, &d, NULL, err) < 0 ||
	    xvm_list(c, &run, &nrun, err) < 0)
		goto out;
	for (i = 0; i < nrun; i++)
		if (memcmp(run[i].uuid, d->uuid, 16) == 0) {
			xvm_err_set(err, XVM_ERR_OPERATION_INVALID, "domain "
			    "'%s' is already active", d->name);
			goto out;
		}
	ret = xvm_create(c, d, flags, id_r, err);
out:
	xvm_domain_free(d);
	xvm_domstat_free(run, nrun);
	return ret;
}

bool
xvm_is_persistent(struct xvm_conn *c, const unsigned char uuid[16])
{
	struct xvm_err e = { 0 };
	char u[37], *data = NULL;
	int r;

	xvm_uuid_format(uuid, u);
	r = ts_area_get(c, TS_DEFS, u, &data, &e);
	free(data);
	return r == 1;
}

/* ---- the configs of running domains -------------------------------------- */

int
ts_run_save(struct xvm_conn *c, const struct xvm_domain *d, uint32_t id,
    struct xvm_err *err)
{
	struct xvm_domain *live = xvm_domain_copy(d);
	struct xvm_buf b = XVM_BUF_INIT;
	char u[37];
	int r;

	live->id = (int)id;
	xvm_uuid_format(d->uuid, u);
	xvm_domain_format_xml(live, XVM_XML_SECURE, &b);
	r = ts_area_put(c, TS_RUN, u, xvm_buf_str(&b), b.len, err);
	xvm_buf_release(&b);
	xvm_domain_free(live);
	return r;
}

int
xvm_set_running_config(struct xvm_conn *c, uint32_t id,
    const struct xvm_domain *d, struct xvm_err *err)
{
	struct xvm_domain *old = NULL;
	int r;

	/* only over a config the toolstack keeps for this domain */
	if (xvm_running_config(c, id, &old, err) < 0)
		return -1;
	r = memcmp(old->uuid, d->uuid, 16) != 0 ? xvm_err_set(err,
	    XVM_ERR_INVALID_ARG, "the config is of another domain") :
	    ts_run_save(c, d, id, err);
	xvm_domain_free(old);
	return r;
}

int
ts_run_drop(struct xvm_conn *c, const unsigned char uuid[16],
    struct xvm_err *err)
{
	char u[37];

	xvm_uuid_format(uuid, u);
	return ts_area_del(c, TS_RUN, u, err);
}

int
xvm_running_config(struct xvm_conn *c, uint32_t id, struct xvm_domain **d_r,
    struct xvm_err *err)
{
	struct xvm_dominfo info;
	char u[37], *data = NULL;
	int r;

	*d_r = NULL;
	if (xvm_xc_domain_info(c->io, id, &info, err) < 0)
		return -1;
	xvm_uuid_format(info.handle, u);
	if ((r = ts_area_get(c, TS_RUN, u, &data, err)) < 0)
		return -1;
	if (r == 0)
		return xvm_err_set(err, XVM_ERR_NOT_FOUND, "domain %" PRIu32
		    " was not started by xvm: its config is not known", id);
	r = parse_entry(c, TS_RUN, u, data, d_r, err);
	free(data);
	if (r == 0 && (*d_r)->id != (int)id) {
		/* left by a domain of this UUID that is gone */
		xvm_domain_free(*d_r);
		*d_r = NULL;
		return xvm_err_set(err, XVM_ERR_NOT_FOUND, "domain %" PRIu32
		    " was not started by xvm: its config is not known", id);
	}
	return r;
}

void
ts_mem_free(struct xvm_conn *c)
{
	size_t i;

	for (i = 0; i < c->nmem; i++)
		free(c->mem[i].data);
	free(c->mem);
	c->mem = NULL;
	c->nmem = 0;
}

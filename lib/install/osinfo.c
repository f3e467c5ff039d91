/*
 * osinfo.c - what libosinfo and osinfo-db (the database virt-install
 * uses) say of an OS: its names and family, the resources it needs, and
 * which OS an install tree (.treeinfo) or an ISO image (its volume id) is,
 * with the kernel and ramdisk that boot its installer.
 *
 * osinfo-db knows Solaris by name only (no media, no trees): Solaris xVM
 * media are recognised by their layout (detect.c) and named here.  The
 * database takes a good part of a second to load, so it is loaded once,
 * when first needed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dlfcn.h>

#include <osinfo/osinfo.h>

#include "xvm/install.h"
#include "xvm/util.h"

/*
 * libosinfo (with GLib, GIO and libsoup under it) is loaded with dlopen
 * when the database is first needed, not linked: the dozens of
 * libraries it pulls in cost a virt-install that never asks (--import,
 * --print-xml) most of its start-up time.
 */
#define OSINFO_SYMS(X) \
	X(osinfo_loader_new) X(osinfo_loader_process_default_path) \
	X(osinfo_loader_get_db) X(g_object_ref) X(g_object_unref) \
	X(g_error_free) X(osinfo_product_get_short_id) \
	X(osinfo_product_get_name) X(osinfo_os_get_family) \
	X(osinfo_os_get_distro) X(osinfo_os_get_minimum_resources) \
	X(osinfo_list_get_length) X(osinfo_list_get_nth) \
	X(osinfo_resources_get_ram) X(osinfo_resources_get_storage) \
	X(osinfo_db_get_os_list) X(osinfo_tree_create_from_treeinfo) \
	X(osinfo_db_identify_tree) X(osinfo_tree_get_os) \
	X(osinfo_tree_get_kernel_path) X(osinfo_tree_get_initrd_path) \
	X(osinfo_media_create_from_location) X(osinfo_media_get_volume_id) \
	X(osinfo_db_identify_media) X(osinfo_media_get_os) \
	X(osinfo_media_get_kernel_path) X(osinfo_media_get_initrd_path)

#define DECLARE(f) static __typeof__(f) *p_##f;
OSINFO_SYMS(DECLARE)
#undef DECLARE

static int
osinfo_load(struct xvm_err *err)
{
	static void *lib;
	const char *missing = NULL;

	if (lib)
		return 0;
	if ((lib = dlopen("libosinfo-1.0.so.0", RTLD_NOW | RTLD_LOCAL)) ==
	    NULL)
		return xvm_err_set(err, XVM_ERR_INTERNAL, "cannot load "
		    "libosinfo (libosinfo-1.0-0): %s", dlerror());
#define RESOLVE(f) \
	if (!missing && !(p_##f = (__typeof__(f) *)dlsym(lib, #f))) \
		missing = #f;
	OSINFO_SYMS(RESOLVE)
#undef RESOLVE
	if (missing) {
		dlclose(lib);
		lib = NULL;
		return xvm_err_set(err, XVM_ERR_INTERNAL, "libosinfo lacks "
		    "%s", missing);
	}
	return 0;
}

/* the calls below go through the pointers; GLib's checked casts would
   need GLib itself, so the types are cast plainly */
#define osinfo_loader_new p_osinfo_loader_new
#define osinfo_loader_process_default_path \
	p_osinfo_loader_process_default_path
#define osinfo_loader_get_db p_osinfo_loader_get_db
#undef g_object_ref
#define g_object_ref p_g_object_ref
#define g_object_unref p_g_object_unref
#define g_error_free p_g_error_free
#define osinfo_product_get_short_id p_osinfo_product_get_short_id
#define osinfo_product_get_name p_osinfo_product_get_name
#define osinfo_os_get_family p_osinfo_os_get_family
#define osinfo_os_get_distro p_osinfo_os_get_distro
#define osinfo_os_get_minimum_resources p_osinfo_os_get_minimum_resources
#define osinfo_list_get_length p_osinfo_list_get_length
#define osinfo_list_get_nth p_osinfo_list_get_nth
#define osinfo_resources_get_ram p_osinfo_resources_get_ram
#define osinfo_resources_get_storage p_osinfo_resources_get_storage
#define osinfo_db_get_os_list p_osinfo_db_get_os_list
#define osinfo_tree_create_from_treeinfo p_osinfo_tree_create_from_treeinfo
#define osinfo_db_identify_tree p_osinfo_db_identify_tree
#define osinfo_tree_get_os p_osinfo_tree_get_os
#define osinfo_tree_get_kernel_path p_osinfo_tree_get_kernel_path
#define osinfo_tree_get_initrd_path p_osinfo_tree_get_initrd_path
#define osinfo_media_create_from_location \
	p_osinfo_media_create_from_location
#define osinfo_media_get_volume_id p_osinfo_media_get_volume_id
#define osinfo_db_identify_media p_osinfo_db_identify_media
#define osinfo_media_get_os p_osinfo_media_get_os
#define osinfo_media_get_kernel_path p_osinfo_media_get_kernel_path
#define osinfo_media_get_initrd_path p_osinfo_media_get_initrd_path
#undef OSINFO_LIST
#define OSINFO_LIST(o) ((OsinfoList *)(o))
#undef OSINFO_PRODUCT
#define OSINFO_PRODUCT(o) ((OsinfoProduct *)(o))
#undef OSINFO_OS
#define OSINFO_OS(o) ((OsinfoOs *)(o))
#undef OSINFO_RESOURCES
#define OSINFO_RESOURCES(o) ((OsinfoResources *)(o))

static OsinfoDb *the_db;
static char the_db_error[256];

static OsinfoDb *
db_get(struct xvm_err *err)
{
	OsinfoLoader *loader;
	GError *gerr = NULL;

	if (the_db)
		return the_db;
	if (the_db_error[0]) {
		xvm_err_set(err, XVM_ERR_INTERNAL, "%s", the_db_error);
		return NULL;
	}
	if (osinfo_load(err) < 0)
		return NULL;
	loader = osinfo_loader_new();
	osinfo_loader_process_default_path(loader, &gerr);
	if (gerr) {
		snprintf(the_db_error, sizeof(the_db_error), "cannot load the "
		    "OS database (osinfo-db): %s", gerr->message);
		g_error_free(gerr);
		g_object_unref(loader);
		xvm_err_set(err, XVM_ERR_INTERNAL, "%s", the_db_error);
		return NULL;
	}
	the_db = g_object_ref(osinfo_loader_get_db(loader));
	g_object_unref(loader);
	return the_db;
}

void
xvm_os_info_release(struct xvm_os_info *oi)
{
	free(oi->short_id);
	free(oi->name);
	free(oi->family);
	free(oi->distro);
	memset(oi, 0, sizeof(*oi));
}

static void
fill(OsinfoOs *os, struct xvm_os_info *oi)
{
	OsinfoResourcesList *rl;
	const gchar *s;
	gint i, n;

	xvm_os_info_release(oi);
	oi->short_id = xvm_strdup(osinfo_product_get_short_id(
	    OSINFO_PRODUCT(os)));
	s = osinfo_product_get_name(OSINFO_PRODUCT(os));
	oi->name = xvm_strdup(s ? s : oi->short_id);
	s = osinfo_os_get_family(os);
	oi->family = s ? xvm_strdup(s) : NULL;
	s = osinfo_os_get_distro(os);
	oi->distro = s ? xvm_strdup(s) : NULL;
	/* the minimum resources (any architecture's, the largest) */
	rl = osinfo_os_get_minimum_resources(os);
	n = osinfo_list_get_length(OSINFO_LIST(rl));
	for (i = 0; i < n; i++) {
		OsinfoResources *r = OSINFO_RESOURCES(osinfo_list_get_nth(
		    OSINFO_LIST(rl), i));
		gint64 ram = osinfo_resources_get_ram(r);
		gint64 disk = osinfo_resources_get_storage(r);

		if (ram > 0 && (unsigned long long)ram / (1 << 20) >
		    oi->min_ram_mib)
			oi->min_ram_mib = (unsigned long long)ram / (1 << 20);
		if (disk > 0 && (unsigned long long)disk > oi->min_disk_bytes)
			oi->min_disk_bytes = (unsigned long long)disk;
	}
	g_object_unref(rl);
}

/* Call fn on each OS of the database with its short id, until it says 1. */
static int
each_os(int (*fn)(OsinfoOs *os, const char *id, void *arg), void *arg,
    struct xvm_err *err)
{
	OsinfoDb *db = db_get(err);
	OsinfoOsList *all;
	gint i, n;
	int r = 0;

	if (!db)
		return -1;
	all = osinfo_db_get_os_list(db);
	n = osinfo_list_get_length(OSINFO_LIST(all));
	for (i = 0; i < n && r == 0; i++) {
		OsinfoOs *os = OSINFO_OS(osinfo_list_get_nth(OSINFO_LIST(all),
		    i));
		const gchar *id = osinfo_product_get_short_id(
		    OSINFO_PRODUCT(os));

		if (id)
			r = fn(os, id, arg);
	}
	g_object_unref(all);
	return r;
}

struct find {
	const char *want;
	struct xvm_os_info *oi;
};

static int
find_one(OsinfoOs *os, const char *id, void *arg)
{
	struct find *f = arg;

	if (strcmp(id, f->want) != 0)
		return 0;
	fill(os, f->oi);
	return 1;
}

int
xvm_osinfo_find(const char *short_id, struct xvm_os_info *oi,
    struct xvm_err *err)
{
	struct find f = { short_id, oi };
	int r = each_os(find_one, &f, err);

	if (r < 0)
		return -1;
	if (r == 0)
		return xvm_err_set(err, XVM_ERR_INVALID_ARG, "Unknown OS name "
		    "'%s'. See `virt-install --osinfo list` for valid values.",
		    short_id);
	return 0;
}

static int
list_one(OsinfoOs *os, const char *id, void *arg)
{
	(void)os;
	xvm_strv_push(arg, id);
	return 0;
}

int
xvm_osinfo_list(struct xvm_strv *ids, struct xvm_err *err)
{
	if (each_os(list_one, ids, err) < 0)
		return -1;
	xvm_strv_sort(ids);
	return 0;
}

int
xvm_osinfo_identify_tree(const char *treeinfo, const char *location,
    struct xvm_os_info *oi, char **kernel_r, char **initrd_r,
    struct xvm_err *err)
{
	OsinfoDb *db = db_get(err);
	OsinfoTree *tree;
	GError *gerr = NULL;
	const gchar *k, *i;
	int r = 0;

	*kernel_r = *initrd_r = NULL;
	if (!db)
		return -1;
	tree = osinfo_tree_create_from_treeinfo(treeinfo, location, &gerr);
	if (!tree) {
		if (gerr)
			g_error_free(gerr);
		return 0;	/* not a .treeinfo libosinfo reads */
	}
	if (osinfo_db_identify_tree(db, tree)) {
		fill(osinfo_tree_get_os(tree), oi);
		r = 1;
	}
	k = osinfo_tree_get_kernel_path(tree);
	i = osinfo_tree_get_initrd_path(tree);
	if (k)
		*kernel_r = xvm_strdup(k);
	if (i)
		*initrd_r = xvm_strdup(i);
	g_object_unref(tree);
	return r;
}

int
xvm_osinfo_identify_iso(const char *path, struct xvm_os_info *oi,
    char **kernel_r, char **initrd_r, char **volume_r, struct xvm_err *err)
{
	OsinfoDb *db = db_get(err);
	OsinfoMedia *media;
	GError *gerr = NULL;
	const gchar *s;
	int r = 0;

	*kernel_r = *initrd_r = *volume_r = NULL;
	if (!db)
		return -1;
	media = osinfo_media_create_from_location(path, NULL, &gerr);
	if (!media) {
		if (gerr)
			g_error_free(gerr);
		return 0;	/* no ISO 9660 volume descriptor */
	}
	if ((s = osinfo_media_get_volume_id(media)))
		*volume_r = xvm_strdup(s);
	if (osinfo_db_identify_media(db, media)) {
		fill(osinfo_media_get_os(media), oi);
		if ((s = osinfo_media_get_kernel_path(media)))
			*kernel_r = xvm_strdup(s);
		if ((s = osinfo_media_get_initrd_path(media)))
			*initrd_r = xvm_strdup(s);
		r = 1;
	}
	g_object_unref(media);
	return r;
}

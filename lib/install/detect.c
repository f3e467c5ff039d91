/*
 * detect.c - which OS an install tree or ISO holds, and which kernel and
 * ramdisk boot its installer, the way virt-install looks:
 *
 *   1. a .treeinfo (Fedora, RHEL and their kin; any distribution that
 *      writes one): its [images-xen] section for a PV guest, else
 *      [images-ARCH]; the OS from osinfo-db;
 *   2. Debian and Ubuntu: a MANIFEST under current/images (a mirror's
 *      installer-ARCH directory) or .disk/info (an ISO or its copy), and
 *      the netboot/xen or install.ARCH kernels;
 *   3. Solaris xVM media (what osinfo-db lacks): the i86xpv kernel,
 *      boot/platform/i86xpv/kernel[/amd64]/unix, and the boot archive,
 *      boot[/amd64]/x86.microroot (OpenSolaris, Solaris 11) or
 *      boot/x86.miniroot (Solaris 10, Nevada); the release from .cdtoc
 *      or the Solaris_N directory;
 *   4. for an ISO, osinfo-db's media (by volume id) last.
 * --location ...,kernel=,initrd= overrides the paths.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xvm/install.h"
#include "xvm/media.h"
#include "xvm/util.h"

void
xvm_inst_tree_release(struct xvm_inst_tree *t)
{
	free(t->kernel);
	free(t->initrd);
	free(t->volume);
	xvm_os_info_release(&t->os);
	memset(t, 0, sizeof(*t));
}

/* A small text file of the tree, or NULL when it is not there. */
static char *
small_file(struct xvm_media *m, const char *path, struct xvm_err *err,
    int *failed)
{
	char *data;
	size_t len;
	int r = xvm_media_exists(m, path, err);

	if (r < 0) {
		*failed = 1;
		return NULL;
	}
	if (r == 0)
		return NULL;
	if (xvm_media_read(m, path, 1 << 20, &data, &len, err) < 0) {
		*failed = 1;
		return NULL;
	}
	return data;
}

static int
exists(struct xvm_media *m, const char *path, struct xvm_err *err,
    int *failed)
{
	int r = xvm_media_exists(m, path, err);

	if (r < 0)
		*failed = 1;
	return r > 0;
}

/* The value of key in [section] of an INI text, or NULL (malloc'd). */
static char *
ini_get(const char *text, const char *section, const char *key)
{
	const char *p = text, *e;
	bool in = false;
	size_t kl = strlen(key);

	while (*p) {
		const char *l = p;

		e = strchr(p, '\n');
		p = e ? e + 1 : p + strlen(p);
		while (l < p && isspace((unsigned char)*l))
			l++;
		if (*l == '[') {
			const char *c = strchr(l, ']');

			in = c && c < p && (size_t)(c - l - 1) ==
			    strlen(section) && strncmp(l + 1, section,
			    strlen(section)) == 0;
			continue;
		}
		if (in && strncmp(l, key, kl) == 0) {
			const char *v = l + kl;

			while (*v == ' ' || *v == '\t')
				v++;
			if (*v != '=')
				continue;
			v++;
			while (*v == ' ' || *v == '\t')
				v++;
			e = v;
			while (e < p && *e != '\n' && *e != '\r')
				e++;
			while (e > v && isspace((unsigned char)e[-1]))
				e--;
			return xvm_strndup(v, (size_t)(e - v));
		}
	}
	return NULL;
}

static int
from_treeinfo(struct xvm_media *m, const char *text, bool pv,
    const char *arch, struct xvm_inst_tree *t, struct xvm_err *err)
{
	char *k, *i, sec[64];

	/* the paths: Xen's own images for PV, else the architecture's */
	snprintf(sec, sizeof(sec), "images-%s", arch);
	k = pv ? ini_get(text, "images-xen", "kernel") : NULL;
	i = k ? ini_get(text, "images-xen", "initrd") : NULL;
	if (!k) {
		k = ini_get(text, sec, "kernel");
		i = ini_get(text, sec, "initrd");
	}
	if (xvm_osinfo_identify_tree(text, xvm_media_location(m), &t->os,
	    &t->kernel, &t->initrd, err) < 0) {
		free(k);
		free(i);
		return -1;
	}
	if (k) {
		free(t->kernel);
		free(t->initrd);
		t->kernel = k;
		t->initrd = i;
	} else {
		free(i);
	}
	return t->kernel ? 1 : 0;
}

static void
set_paths(struct xvm_inst_tree *t, const char *k, const char *i)
{
	t->kernel = xvm_strdup(k);
	t->initrd = xvm_strdup(i);
}

/* debian10, ubuntu22.04: the OS whose codename the location names */
static void
debian_version(const char *location, const char *distro,
    struct xvm_inst_tree *t, struct xvm_err *err)
{
	static const struct {
		const char *codename, *id;
	} names[] = {
		{ "bookworm", "debian12" }, { "bullseye", "debian11" },
		{ "buster", "debian10" }, { "stretch", "debian9" },
		{ "trixie", "debian13" }, { "jammy", "ubuntu22.04" },
		{ "focal", "ubuntu20.04" }, { "noble", "ubuntu24.04" },
	};
	struct xvm_err ignore;
	size_t n;
	char pat[64];

	(void)err;
	for (n = 0; n < XVM_ARRAY_SIZE(names); n++) {
		if (strncmp(names[n].id, distro, strlen(distro)) != 0)
			continue;
		snprintf(pat, sizeof(pat), "/%s/", names[n].codename);
		if (strstr(location, pat)) {
			xvm_err_clear(&ignore);
			xvm_osinfo_find(names[n].id, &t->os, &ignore);
			return;
		}
	}
}

static int
from_debian(struct xvm_media *m, bool pv, const char *arch,
    struct xvm_inst_tree *t, struct xvm_err *err, int *failed)
{
	const char *loc = xvm_media_location(m);
	const char *distro = NULL, *darch;
	char *manifest, *info, k[128], i[128];
	bool iso = xvm_media_kind(m) == XVM_MEDIA_ISO, mirror;

	manifest = small_file(m, "current/images/MANIFEST", err, failed);
	if (*failed)
		return -1;
	info = manifest ? NULL : small_file(m, ".disk/info", err, failed);
	if (*failed)
		return -1;
	if ((manifest && strstr(manifest, "buntu")) ||
	    (info && strncmp(info, "Ubuntu", 6) == 0))
		distro = "ubuntu";
	else if ((manifest && strstr(manifest, "ebian")) ||
	    (info && strncmp(info, "Debian", 6) == 0))
		distro = "debian";
	mirror = manifest != NULL && !iso;
	free(manifest);
	free(info);
	if (!distro)
		return 0;
	darch = strcmp(arch, "x86_64") == 0 ? "amd64" : "i386";
	if (strstr(loc, "installer-i386") || strstr(loc, "-i386"))
		darch = "i386";
	else if (strstr(loc, "installer-amd64") || strstr(loc, "-amd64"))
		darch = "amd64";
	if (mirror) {
		/* a mirror's installer-ARCH directory */
		if (pv)
			set_paths(t, "current/images/netboot/xen/vmlinuz",
			    "current/images/netboot/xen/initrd.gz");
		else {
			snprintf(k, sizeof(k), "current/images/netboot/"
			    "%s-installer/%s/linux", distro, darch);
			snprintf(i, sizeof(i), "current/images/netboot/"
			    "%s-installer/%s/initrd.gz", distro, darch);
			set_paths(t, k, i);
		}
	} else {
		/* the installation disc: its Xen kernel when it has one */
		const char *dir = strcmp(distro, "ubuntu") == 0 ? "install" :
		    strcmp(darch, "amd64") == 0 ? "install.amd" : "install.386";

		snprintf(k, sizeof(k), "%s/xen/vmlinuz", dir);
		snprintf(i, sizeof(i), "%s/xen/initrd.gz", dir);
		if (!(pv && exists(m, k, err, failed))) {
			snprintf(k, sizeof(k), "%s/vmlinuz", dir);
			snprintf(i, sizeof(i), "%s/initrd.gz", dir);
		}
		set_paths(t, k, i);
	}
	if (*failed)
		return -1;
	t->layout = distro;
	debian_version(loc, distro, t, err);
	return 1;
}

static int
from_solaris(struct xvm_media *m, const char *arch, struct xvm_inst_tree *t,
    struct xvm_err *err, int *failed)
{
	static const char *const kernels64[] = {
		"boot/platform/i86xpv/kernel/amd64/unix",
		"platform/i86xpv/kernel/amd64/unix",
	};
	static const char *const kernels32[] = {
		"boot/platform/i86xpv/kernel/unix",
		"platform/i86xpv/kernel/unix",
	};
	static const char *const archives[] = {
		"boot/amd64/x86.microroot", "boot/x86.microroot",
		"boot/x86.miniroot", "x86.miniroot",
	};
	const char *kernel = NULL, *archive = NULL;
	struct xvm_err ignore;
	char *toc, *vers = NULL;
	size_t n;
	bool want64 = strcmp(arch, "x86_64") == 0;

	for (n = 0; want64 && !kernel && n < XVM_ARRAY_SIZE(kernels64); n++)
		if (exists(m, kernels64[n], err, failed))
			kernel = kernels64[n];
	for (n = 0; !kernel && n < XVM_ARRAY_SIZE(kernels32); n++)
		if (exists(m, kernels32[n], err, failed))
			kernel = kernels32[n];
	if (*failed)
		return -1;
	if (!kernel)
		return 0;
	for (n = 0; !archive && n < XVM_ARRAY_SIZE(archives); n++)
		if (exists(m, archives[n], err, failed))
			archive = archives[n];
	if (*failed)
		return -1;
	if (!archive)
		return xvm_err_set(err, XVM_ERR_INVALID_ARG, "'%s' has a Solaris "
		    "xVM kernel (%s) but no boot archive (boot/x86.microroot "
		    "or boot/x86.miniroot)", xvm_media_location(m), kernel);
	set_paths(t, kernel, archive);
	/* the release: .cdtoc's PRODVERS, else a Solaris_N directory */
	if ((toc = small_file(m, ".cdtoc", err, failed)) != NULL) {
		char *p = strstr(toc, "PRODVERS=");

		if (p) {
			p += 9;
			vers = xvm_strndup(p, strcspn(p, "\r\n"));
		}
		free(toc);
	}
	if (*failed)
		return -1;
	if (!vers) {
		if (exists(m, "Solaris_11", err, failed))
			vers = xvm_strdup("11");
		else if (exists(m, "Solaris_10", err, failed))
			vers = xvm_strdup("10");
		else if (exists(m, "Solaris_2009.06", err, failed))
			vers = xvm_strdup("2009.06");
	}
	if (vers) {
		char id[64];

		snprintf(id, sizeof(id), strcmp(vers, "2009.06") == 0 ?
		    "opensolaris%s" : "solaris%s", vers);
		xvm_err_clear(&ignore);
		xvm_osinfo_find(id, &t->os, &ignore);
		free(vers);
	}
	return 1;
}

int
xvm_inst_detect(struct xvm_media *m, bool pv, const char *arch,
    struct xvm_inst_tree *t, struct xvm_err *err)
{
	int failed = 0, r;
	char *text;

	memset(t, 0, sizeof(*t));
	if ((text = small_file(m, ".treeinfo", err, &failed)) != NULL) {
		r = from_treeinfo(m, text, pv, arch, t, err);
		free(text);
		t->layout = "treeinfo";
		if (r != 0)
			return r < 0 ? -1 : 0;
	}
	if (failed)
		return -1;
	if ((r = from_debian(m, pv, arch, t, err, &failed)) != 0)
		return r < 0 ? -1 : 0;
	if ((r = from_solaris(m, arch, t, err, &failed)) != 0) {
		t->layout = "solaris";
		return r < 0 ? -1 : 0;
	}
	if (xvm_media_kind(m) == XVM_MEDIA_ISO) {
		r = xvm_osinfo_identify_iso(xvm_media_iso_file(m), &t->os,
		    &t->kernel, &t->initrd, &t->volume, err);
		if (r < 0)
			return -1;
		if (r > 0 && t->kernel) {
			t->layout = "osinfo";
			return 0;
		}
	}
	xvm_inst_tree_release(t);
	return xvm_err_set(err, XVM_ERR_INVALID_ARG, "Error validating "
	    "install location: Could not find an installable distribution "
	    "at URL '%s'\n\nThe location must be the root directory of an "
	    "install tree.\nSee virt-install man page for various distro "
	    "examples.", xvm_media_location(m));
}

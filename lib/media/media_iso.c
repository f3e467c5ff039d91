/*
 * media_iso.c - the ISO back end: an ISO 9660 image (with Rock Ridge or
 * Joliet names, zisofs-compressed files) read with libarchive, without a
 * loop mount.
 *
 * Opening reads the image's directory once and keeps an index of its
 * tree: each entry's name under its parent, its type and size, and the
 * ordinal of the libarchive header that holds its data.  exists() is a
 * lookup in the index.  get() reads the image again up to that header
 * (libarchive reads front to back; the data between is skipped with
 * lseek) and streams the entry's data.  The reader is kept between gets,
 * so the files of an image asked for in its own order cost one pass.
 *
 * Lookups follow symbolic links (Rock Ridge) as the kernel does, inside
 * the image: an absolute target starts at the image's root, ".." stops
 * there.  An image with plain ISO 9660 names only ("VMLINUZ") is matched
 * without regard to case.
 *
 * UDF: libarchive has no UDF reader.  A UDF bridge image (ISO 9660 and
 * UDF, as DVDs are made) is read through its ISO 9660 directory; an image
 * with UDF only is refused, saying so.
 *
 * A damaged or hostile image fails with one line naming it.  Its volume
 * descriptors are checked against the file's size before libarchive
 * reads what they point at (it allocates what they claim, up to 4 GiB),
 * the index holds at most what media_iso.h allows, and a directory tree
 * that loops (libarchive 3.6.2 reads it without end) is stopped.
 */
#include <archive.h>
#include <archive_entry.h>
#include "util/archive_dl.h"
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "media/media_iso.h"
#include "xvm/le.h"

#define SECTOR		2048
#define NO_NODE		UINT32_MAX
#define NO_ORDINAL	UINT64_MAX
#define MAX_LINKS	40		/* symbolic links in one lookup */
#define MAX_VDS		64		/* volume descriptors looked at */

enum iso_type { ISO_DIR, ISO_REG, ISO_LNK, ISO_OTHER };

struct iso_node {
	uint32_t parent;	/* the root (0) is its own */
	uint32_t next;		/* next in its hash chain, NO_NODE: none */
	uint32_t name;		/* offset of the name in iso->names ... */
	uint32_t namelen;	/* ... and its length */
	uint32_t link;		/* ISO_LNK: the target, likewise */
	uint32_t linklen;
	uint64_t size;		/* ISO_REG: bytes of data */
	uint64_t ordinal;	/* the header with the data, NO_ORDINAL: none
				   (a directory only implied by its files) */
	enum iso_type type;
};

struct media_iso {
	char *name;		/* the image, for messages */
	int fd;			/* the image's file, or -1: ... */
	const void *mem;	/* ... in memory */
	size_t memlen;
	uint64_t size;		/* the image's bytes, when known ... */
	bool size_known;
	locale_t utf8;		/* libarchive's names come out in UTF-8 */
	struct iso_node *nodes;	/* [0] is the root */
	size_t nnodes, capnodes;
	uint32_t *buckets;	/* hash chains by parent and folded name */
	size_t nbuckets;	/* a power of two */
	char *names;		/* every name and link target, unterminated */
	size_t nameslen, namescap;
	size_t repeats;		/* entries of a path already indexed */
	bool lower;		/* some name has a lower-case letter */
	bool fold;		/* match names without regard to case */
	struct archive *rd;	/* the reader the last get left, or NULL, */
	uint64_t rd_next;	/* the ordinal of its next header, */
	char rd_warn[512];	/* and its warning on the current one */
};

/* ---- small helpers ------------------------------------------------------- */

static unsigned char
ascii_lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c - 'A' + 'a') : c;
}

/* libarchive's last message, on one line */
static const char *
ar_msg(struct archive *a, char *buf, size_t size)
{
	const char *s = archive_error_string(a);
	size_t i;

	snprintf(buf, size, "%s", s && *s ? s : "unknown error");
	for (i = 0; buf[i] != '\0'; i++)
		if ((unsigned char)buf[i] < ' ' || buf[i] == 0x7f)
			buf[i] = ' ';
	return buf;
}

/* Run libarchive in a UTF-8 locale (this thread only): Joliet's UTF-16
   names are converted to the locale's charset, which C cannot hold. */
static locale_t
iso_enter(struct media_iso *iso)
{
	return iso->utf8 != (locale_t)0 ? uselocale(iso->utf8) : (locale_t)0;
}

static void
iso_leave(struct media_iso *iso, locale_t old)
{
	if (iso->utf8 != (locale_t)0)
		uselocale(old);
}

/* up to n bytes of the image at off; how many there were */
static size_t
iso_pread(struct media_iso *iso, uint64_t off, void *buf, size_t n)
{
	ssize_t r;
	size_t done = 0;

	if (iso->fd < 0) {
		if (off >= iso->memlen)
			return 0;
		if (n > iso->memlen - off)
			n = iso->memlen - (size_t)off;
		memcpy(buf, (const char *)iso->mem + off, n);
		return n;
	}
	while (done < n) {
		r = pread(iso->fd, (char *)buf + done, n - done,
		    (off_t)(off + done));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		done += (size_t)r;
	}
	return done;
}

/* ---- the index ----------------------------------------------------------- */

static uint32_t
iso_hash(uint32_t parent, const char *name, size_t n)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < 4; i++) {
		h ^= (parent >> (8 * i)) & 0xff;
		h *= 16777619u;
	}
	for (i = 0; i < n; i++) {
		h ^= ascii_lower((unsigned char)name[i]);
		h *= 16777619u;
	}
	return h;
}

static bool
iso_caseeq(const char *a, const char *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (ascii_lower((unsigned char)a[i]) !=
		    ascii_lower((unsigned char)b[i]))
			return false;
	return true;
}

/* parent's child called name (n bytes), NO_NODE: none */
static uint32_t
iso_find(const struct media_iso *iso, uint32_t parent, const char *name,
    size_t n)
{
	const struct iso_node *nd;
	uint32_t i, folded = NO_NODE;

	i = iso->buckets[iso_hash(parent, name, n) & (iso->nbuckets - 1)];
	for (; i != NO_NODE; i = nd->next) {
		nd = &iso->nodes[i];
		if (nd->parent != parent || nd->namelen != n)
			continue;
		if (memcmp(iso->names + nd->name, name, n) == 0)
			return i;
		if (iso->fold && folded == NO_NODE &&
		    iso_caseeq(iso->names + nd->name, name, n))
			folded = i;
	}
	return folded;
}

static void
iso_rehash(struct media_iso *iso, size_t nbuckets)
{
	struct iso_node *nd;
	uint32_t h;
	size_t i;

	free(iso->buckets);
	iso->buckets = xvm_malloc(nbuckets * sizeof(*iso->buckets));
	memset(iso->buckets, 0xff, nbuckets * sizeof(*iso->buckets));
	iso->nbuckets = nbuckets;
	for (i = 1; i < iso->nnodes; i++) {
		nd = &iso->nodes[i];
		h = iso_hash(nd->parent, iso->names + nd->name, nd->namelen) &
		    (uint32_t)(nbuckets - 1);
		nd->next = iso->buckets[h];
		iso->buckets[h] = (uint32_t)i;
	}
}

/* n bytes kept in iso->names, at *off_r */
static int
iso_keep(struct media_iso *iso, const char *s, size_t n, uint32_t *off_r,
    struct xvm_err *err)
{
	if (n > MEDIA_ISO_MAX_NAMES - iso->nameslen)
		return xvm_err_set(err, XVM_ERR_INVALID_ARG, "ISO image '%s' "
		    "has more than %u MiB of names", iso->name,
		    MEDIA_ISO_MAX_NAMES >> 20);
	if (iso->nameslen + n > iso->namescap) {
		while (iso->nameslen + n > iso->namescap)
			iso->namescap = iso->namescap ? iso->namescap * 2 :
			    4096;
		iso->names = xvm_realloc(iso->names, iso->namescap);
	}
	if (n > 0)
		memcpy(iso->names + iso->nameslen, s, n);
	*off_r = (uint32_t)iso->nameslen;
	iso->nameslen += n;
	return 0;
}

/* A new node: an implied directory until its own header says more. */
static uint32_t
iso_node_new(struct media_iso *iso, uint32_t parent, const char *name,
    size_t n, struct xvm_err *err)
{
	struct iso_node *nd;
	uint32_t off, h, i;
	size_t k;

	/* the root and MAX more, implied directories counted */
	if (iso->nnodes > MEDIA_ISO_MAX_ENTRIES) {
		xvm_err_set(err, XVM_ERR_INVALID_ARG, "ISO image '%s' has more "
		    "than %d entries", iso->name, MEDIA_ISO_MAX_ENTRIES);
		return NO_NODE;
	}
	if (iso_keep(iso, name, n, &off, err) < 0)
		return NO_NODE;
	for (k = 0; k < n && !iso->lower; k++)
		if (name[k] >= 'a' && name[k] <= 'z')
			iso->lower = true;
	if (iso->nnodes == iso->capnodes) {
		iso->capnodes = iso->capnodes ? iso->capnodes * 2 : 64;
		iso->nodes = xvm_realloc(iso->nodes,
		    iso->capnodes * sizeof(*iso->nodes));
	}
	i = (uint32_t)iso->nnodes++;
	nd = &iso->nodes[i];
	memset(nd, 0, sizeof(*nd));
	nd->parent = parent;
	nd->name = off;
	nd->namelen = (uint32_t)n;
	nd->type = ISO_DIR;
	nd->ordinal = NO_ORDINAL;
	if (iso->nnodes > iso->nbuckets) {
		iso_rehash(iso, iso->nbuckets * 2);
	} else {
		h = iso_hash(parent, name, n) & (uint32_t)(iso->nbuckets - 1);
		nd->next = iso->buckets[h];
		iso->buckets[h] = i;
	}
	return i;
}

/* The next part of a path from *p on ("" and "." skipped): its length,
   0 at the end. */
static size_t
path_part(const char **p)
{
	const char *s;
	size_t n;

	for (;;) {
		while (**p == '/')
			(*p)++;
		if (**p == '\0')
			return 0;
		s = strchr(*p, '/');
		n = s ? (size_t)(s - *p) : strlen(*p);
		if (n == 1 && **p == '.') {
			*p += 1;
			continue;
		}
		return n;
	}
}

/* The node of an entry's path as the image names it, no link followed;
   NO_NODE: none. */
static uint32_t
iso_walk(const struct media_iso *iso, const char *path)
{
	uint32_t cur = 0;
	size_t n;

	while ((n = path_part(&path)) > 0) {
		if (n == 2 && path[0] == '.' && path[1] == '.')
			return NO_NODE;
		if ((cur = iso_find(iso, cur, path, n)) == NO_NODE)
			return NO_NODE;
		path += n;
	}
	return cur;
}

/* One header of the image into the index. */
static int
iso_add(struct media_iso *iso, struct archive_entry *e, uint64_t ordinal,
    struct xvm_err *err)
{
	const char *path = archive_entry_pathname(e), *p, *target = NULL;
	struct iso_node *nd;
	uint32_t cur = 0, child, hard = NO_NODE, off = 0;
	bool fresh = false;
	size_t n;
	int64_t size;

	/* a name libarchive could not convert cannot be asked for */
	if (path == NULL)
		return 0;
	if (strlen(path) > MEDIA_ISO_MAX_PATH)
		return xvm_err_set(err, XVM_ERR_INVALID_ARG, "ISO image '%s' "
		    "has a path longer than %d bytes", iso->name,
		    MEDIA_ISO_MAX_PATH);
	/* nor can a name with "..": media_clean_path refuses those */
	for (p = path; (n = path_part(&p)) > 0; p += n)
		if (n == 2 && p[0] == '.' && p[1] == '.')
			return 0;
	if ((target = archive_entry_hardlink(e)) != NULL) {
		/* the same data as an earlier entry */
		hard = iso_walk(iso, target);
		if (hard == NO_NODE || iso->nodes[hard].type != ISO_REG)
			return 0;
	} else if (archive_entry_filetype(e) == AE_IFLNK) {
		if ((target = archive_entry_symlink(e)) == NULL)
			return 0;
		if (strlen(target) > MEDIA_ISO_MAX_PATH)
			return xvm_err_set(err, XVM_ERR_INVALID_ARG, "ISO "
			    "image '%s' has a link target longer than %d "
			    "bytes", iso->name, MEDIA_ISO_MAX_PATH);
		if (iso_keep(iso, target, strlen(target), &off, err) < 0)
			return -1;
	}
	for (p = path; (n = path_part(&p)) > 0; p += n) {
		child = iso_find(iso, cur, p, n);
		fresh = child == NO_NODE;
		if (fresh && (child = iso_node_new(iso, cur, p, n, err)) ==
		    NO_NODE)
			return -1;
		cur = child;
	}
	nd = &iso->nodes[cur];
	if (cur == 0 || !fresh) {
		/* the root, a directory its files implied, or a second
		   entry of one name: the first one stays */
		if (nd->type == ISO_DIR && nd->ordinal == NO_ORDINAL &&
		    archive_entry_filetype(e) == AE_IFDIR && hard == NO_NODE) {
			nd->ordinal = ordinal;
			return 0;
		}
		/*
		 * A directory that holds itself makes libarchive read it
		 * again and again, without end and with more memory each
		 * time (3.6.2): its entries come back with the same paths.
		 */
		if (++iso->repeats > 1000 && iso->repeats > iso->nnodes)
			return xvm_err_set(err, XVM_ERR_INVALID_ARG, "'%s' is "
			    "not a readable ISO 9660 image: its directory tree "
			    "loops", iso->name);
		return 0;
	}
	if (hard != NO_NODE) {
		nd->type = ISO_REG;
		nd->size = iso->nodes[hard].size;
		nd->ordinal = iso->nodes[hard].ordinal;
		return 0;
	}
	nd->ordinal = ordinal;
	switch (archive_entry_filetype(e)) {
	case AE_IFDIR:
		nd->type = ISO_DIR;
		break;
	case AE_IFREG:
		nd->type = ISO_REG;
		size = archive_entry_size_is_set(e) ? archive_entry_size(e) :
		    0;
		nd->size = size > 0 ? (uint64_t)size : 0;
		break;
	case AE_IFLNK:
		nd->type = ISO_LNK;
		nd->link = off;
		nd->linklen = (uint32_t)strlen(target);
		break;
	default:
		nd->type = ISO_OTHER;
		break;
	}
	return 0;
}

/*
 * The node at path (cleaned: media_clean_path), symbolic links followed:
 * 1 found (*node_r), 0 not there, -1 a loop of links (err set).
 */
static int
iso_resolve(struct media_iso *iso, const char *path, const char *asked,
    uint32_t *node_r, struct xvm_err *err)
{
	struct iso_node *nd;
	char *rest = xvm_strdup(path), *next;
	const char *p = rest;
	uint32_t cur = 0, child;
	unsigned links = 0;
	size_t n;
	int r = 0;

	for (;;) {
		if ((n = path_part(&p)) == 0) {
			*node_r = cur;
			r = 1;
			break;
		}
		if (n == 2 && p[0] == '.' && p[1] == '.') {
			cur = iso->nodes[cur].parent;
			p += n;
			continue;
		}
		if (iso->nodes[cur].type != ISO_DIR)
			break;
		if ((child = iso_find(iso, cur, p, n)) == NO_NODE)
			break;
		p += n;
		nd = &iso->nodes[child];
		if (nd->type != ISO_LNK) {
			cur = child;
			continue;
		}
		if (++links > MAX_LINKS) {
			r = xvm_err_set(err, XVM_ERR_INVALID_ARG, "'%s' in ISO "
			    "image '%s': too many levels of symbolic links",
			    asked, iso->name);
			break;
		}
		/* the target, then what is left of the path */
		next = xvm_asprintf("%.*s/%s", (int)nd->linklen,
		    iso->names + nd->link, p);
		if (nd->linklen > 0 && iso->names[nd->link] == '/')
			cur = 0;
		free(rest);
		rest = next;
		p = rest;
	}
	free(rest);
	return r;
}

/* ---- reading ------------------------------------------------------------- */

/* A libarchive reader at the start of the image. */
static struct archive *
iso_reader(struct media_iso *iso, struct xvm_err *err)
{
	struct archive *a;
	char msg[512];
	int r;

	if (xvm_archive_dl(err) < 0)
		return NULL;
	if ((a = archive_read_new()) == NULL) {
		xvm_err_sys(err, ENOMEM, "cannot read ISO image '%s'",
		    iso->name);
		return NULL;
	}
	archive_read_support_format_iso9660(a);
	if (iso->fd >= 0) {
		if (lseek(iso->fd, 0, SEEK_SET) < 0) {
			xvm_err_sys(err, errno, "cannot read ISO image '%s'",
			    iso->name);
			archive_read_free(a);
			return NULL;
		}
		r = archive_read_open_fd(a, iso->fd, 65536);
	} else {
		r = archive_read_open_memory(a, iso->mem, iso->memlen);
	}
	if (r != ARCHIVE_OK) {
		xvm_err_set(err, XVM_ERR_INVALID_ARG, "'%s' is not a readable "
		    "ISO 9660 image: %s", iso->name,
		    ar_msg(a, msg, sizeof(msg)));
		archive_read_free(a);
		return NULL;
	}
	return a;
}

static void
iso_reader_drop(struct media_iso *iso)
{
	if (iso->rd != NULL)
		archive_read_free(iso->rd);
	iso->rd = NULL;
	iso->rd_next = 0;
}

/* The reader on the header with nd's data. */
static int
iso_seek(struct media_iso *iso, const struct iso_node *nd, const char *asked,
    struct xvm_err *err)
{
	struct archive_entry *e;
	char msg[512];
	int r;

	if (iso->rd != NULL && iso->rd_next > nd->ordinal)
		iso_reader_drop(iso);
	if (iso->rd == NULL && (iso->rd = iso_reader(iso, err)) == NULL)
		return -1;
	do {
		r = archive_read_next_header(iso->rd, &e);
		if (r == ARCHIVE_EOF) {
			xvm_err_set(err, XVM_ERR_OPERATION_FAILED, "cannot "
			    "read '%s' from ISO image '%s': the image changed "
			    "since it was opened", asked, iso->name);
			goto fail;
		}
		if (r < ARCHIVE_WARN) {
			xvm_err_set(err, XVM_ERR_INVALID_ARG, "cannot read "
			    "'%s' from ISO image '%s': %s", asked, iso->name,
			    ar_msg(iso->rd, msg, sizeof(msg)));
			goto fail;
		}
	} while (iso->rd_next++ < nd->ordinal);
	/* e.g. "Ignoring out-of-order file": no data comes */
	iso->rd_warn[0] = '\0';
	if (r == ARCHIVE_WARN)
		ar_msg(iso->rd, iso->rd_warn, sizeof(iso->rd_warn));
	if (archive_entry_filetype(e) != AE_IFREG ||
	    (archive_entry_size_is_set(e) &&
	    (uint64_t)archive_entry_size(e) != nd->size)) {
		xvm_err_set(err, XVM_ERR_OPERATION_FAILED, "cannot read '%s' "
		    "from ISO image '%s': the image changed since it was "
		    "opened", asked, iso->name);
		goto fail;
	}
	return 0;
fail:
	iso_reader_drop(iso);
	return -1;
}

/* n bytes at *pos of the data, those from skip on into the sink */
static int
iso_deliver(struct media_sink *sink, const char *p, size_t n, uint64_t *pos,
    uint64_t skip, struct xvm_err *err)
{
	uint64_t at = *pos;

	*pos += n;
	if (at + n <= skip)
		return 0;
	if (at < skip) {
		p += skip - at;
		n -= (size_t)(skip - at);
	}
	return sink->write(sink, p, n, err);
}

/* nd's data from sink->offset on into the sink */
static int
iso_read(struct media_iso *iso, const struct iso_node *nd, const char *asked,
    struct media_sink *sink, struct xvm_err *err)
{
	char buf[65536], msg[512];
	uint64_t pos = 0, skip = sink->offset;
	size_t take;
	ssize_t n;

	if (iso_seek(iso, nd, asked, err) < 0)
		return -1;
	while (pos < nd->size) {
		n = archive_read_data(iso->rd, buf, sizeof(buf));
		if (n < 0) {
			xvm_err_set(err, XVM_ERR_INVALID_ARG, "cannot read "
			    "'%s' from ISO image '%s': %s", asked, iso->name,
			    ar_msg(iso->rd, msg, sizeof(msg)));
			iso_reader_drop(iso);
			return -1;
		}
		if (n == 0)
			break;
		take = (size_t)n;
		if ((uint64_t)take > nd->size - pos)
			take = (size_t)(nd->size - pos);
		if (iso_deliver(sink, buf, take, &pos, skip, err) < 0)
			return -1;
	}
	if (pos < nd->size && iso->rd_warn[0] != '\0') {
		xvm_err_set(err, XVM_ERR_INVALID_ARG, "cannot read '%s' from "
		    "ISO image '%s': %s", asked, iso->name, iso->rd_warn);
		iso_reader_drop(iso);
		return -1;
	}
	/*
	 * libarchive ends the data early when the rest is a hole: zisofs
	 * keeps blocks of zeros as nothing, and the data of a file that
	 * ends in them stops with its last stored block.  The size is the
	 * file's; the rest is zeros.  (A short image fails above, with
	 * libarchive's "Truncated input file".)
	 */
	memset(buf, 0, sizeof(buf));
	while (pos < nd->size) {
		take = sizeof(buf);
		if ((uint64_t)take > nd->size - pos)
			take = (size_t)(nd->size - pos);
		if (iso_deliver(sink, buf, take, &pos, skip, err) < 0)
			return -1;
	}
	return 0;
}

int
media_iso_exists(struct media_iso *iso, const char *path,
    struct xvm_err *err)
{
	char *rel = media_clean_path(path, err);
	uint32_t n;
	int r;

	if (rel == NULL)
		return -1;
	r = iso_resolve(iso, rel, path, &n, err);
	free(rel);
	return r;
}

int
media_iso_get(struct media_iso *iso, const char *path,
    struct media_sink *sink, struct xvm_err *err)
{
	char *rel = media_clean_path(path, err);
	struct iso_node *nd;
	locale_t old;
	uint32_t n;
	int r;

	if (rel == NULL)
		return -1;
	r = iso_resolve(iso, rel, path, &n, err);
	free(rel);
	if (r < 0)
		return -1;
	if (r == 0)
		return xvm_err_set(err, XVM_ERR_NOT_FOUND, "'%s' is not in ISO "
		    "image '%s'", path, iso->name);
	nd = &iso->nodes[n];
	if (nd->type == ISO_DIR)
		return xvm_err_set(err, XVM_ERR_INVALID_ARG, "'%s' in ISO "
		    "image '%s' is a directory", path, iso->name);
	if (nd->type != ISO_REG)
		return xvm_err_set(err, XVM_ERR_INVALID_ARG, "'%s' in ISO "
		    "image '%s' is not a file", path, iso->name);
	sink->total = nd->size;
	if (sink->offset >= nd->size)
		return 0;
	old = iso_enter(iso);
	r = iso_read(iso, nd, path, sink, err);
	iso_leave(iso, old);
	return r;
}

/* ---- opening ------------------------------------------------------------- */

/* What the volume descriptors from sector 16 on say. */
struct iso_vds {
	bool pvd;		/* an ISO 9660 primary volume descriptor */
	bool udf;		/* a UDF NSR descriptor */
	uint64_t bytes;		/* the largest volume they give, 0: none */
	uint64_t root_end;	/* where the farthest root directory ends */
	bool sane;		/* their both-endian sizes agree */
};

static uint32_t
be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

/*
 * A primary or Joliet volume descriptor: the size of its volume and of
 * its root directory, which libarchive reads in one piece, as large as
 * they say (an image must not make it allocate 4 GiB).
 */
static void
iso_scan_vd(const unsigned char *vd, struct iso_vds *v)
{
	uint64_t block = vd[128] | vd[129] << 8, end;
	const unsigned char *root = vd + 156;

	if (vd[0] == 2 && !(vd[88] == '%' && vd[89] == '/' &&
	    (vd[90] == '@' || vd[90] == 'C' || vd[90] == 'E')))
		return;
	/* libarchive takes the little-endian halves */
	if (block * xvm_get_le32(vd + 80) > v->bytes)
		v->bytes = block * xvm_get_le32(vd + 80);
	if (xvm_get_le32(vd + 80) != be32(vd + 84) ||
	    block != (uint64_t)(vd[130] << 8 | vd[131]))
		v->sane = false;
	/* libarchive finds the root at 2048-byte sectors whatever the
	   block size */
	end = (block > SECTOR ? block : SECTOR) * xvm_get_le32(root + 2) +
	    xvm_get_le32(root + 10);
	if (end > v->root_end)
		v->root_end = end;
}

static void
iso_scan(struct media_iso *iso, struct iso_vds *v)
{
	static const char *const ids[] = { "CD001", "BEA01", "NSR02",
	    "NSR03", "TEA01", "BOOT2", "CDW02" };
	unsigned char vd[SECTOR];
	unsigned s;
	size_t i, n;

	memset(v, 0, sizeof(*v));
	v->sane = true;
	/* a descriptor cut short still tells the volume's size */
	for (s = 16; s < 16 + MAX_VDS; s++) {
		if ((n = iso_pread(iso, (uint64_t)s * SECTOR, vd, SECTOR)) <
		    132)
			break;
		memset(vd + n, 0, SECTOR - n);
		for (i = 0; i < XVM_ARRAY_SIZE(ids); i++)
			if (memcmp(vd + 1, ids[i], 5) == 0)
				break;
		if (i == XVM_ARRAY_SIZE(ids))
			break;
		if (i == 2 || i == 3)
			v->udf = true;
		if (i == 0 && vd[0] == 1)
			v->pvd = true;
		if (i == 0 && (vd[0] == 1 || vd[0] == 2))
			iso_scan_vd(vd, v);
	}
}

static int
iso_truncated(struct media_iso *iso, const struct iso_vds *v,
    struct xvm_err *err)
{
	if (!iso->size_known || v->bytes <= iso->size)
		return 0;
	if (!v->sane)
		return xvm_err_set(err, XVM_ERR_INVALID_ARG, "'%s' is not a "
		    "readable ISO 9660 image: its volume descriptors give "
		    "more than its %llu bytes", iso->name,
		    (unsigned long long)iso->size);
	return xvm_err_set(err, XVM_ERR_INVALID_ARG, "ISO image '%s' is "
	    "truncated: %llu of its %llu bytes are there", iso->name,
	    (unsigned long long)iso->size, (unsigned long long)v->bytes);
}

/* The one pass over the directory. */
static int
iso_index(struct media_iso *iso, struct xvm_err *err)
{
	struct archive_entry *e;
	struct archive *a;
	struct iso_vds v;
	uint64_t ordinal;
	char msg[512];
	int r, ret = -1;

	iso_scan(iso, &v);
	if (!v.pvd && v.udf)
		return xvm_err_set(err, XVM_ERR_NO_SUPPORT, "'%s' is a UDF "
		    "image without an ISO 9660 directory: UDF cannot be read "
		    "(libarchive reads ISO 9660 only)", iso->name);
	/* libarchive looks at the descriptors: an ISO 9660 image? */
	if ((a = iso_reader(iso, err)) == NULL) {
		/* cut short, or no ISO 9660 at all? */
		if (v.sane)
			iso_truncated(iso, &v, err);
		return -1;
	}
	/* then reads what they point at: inside the image? */
	if (iso_truncated(iso, &v, err) < 0)
		goto out;
	if (iso->size_known && v.root_end > iso->size) {
		xvm_err_set(err, XVM_ERR_INVALID_ARG, "'%s' is not a readable "
		    "ISO 9660 image: its root directory lies past its end",
		    iso->name);
		goto out;
	}
	for (ordinal = 0;; ordinal++) {
		r = archive_read_next_header(a, &e);
		if (r == ARCHIVE_EOF)
			break;
		if (r < ARCHIVE_WARN) {
			xvm_err_set(err, XVM_ERR_INVALID_ARG, "'%s' is not a "
			    "readable ISO 9660 image: %s", iso->name,
			    ar_msg(a, msg, sizeof(msg)));
			goto out;
		}
		if (ordinal >= MEDIA_ISO_MAX_ENTRIES) {
			xvm_err_set(err, XVM_ERR_INVALID_ARG, "ISO image '%s' "
			    "has more than %d entries", iso->name,
			    MEDIA_ISO_MAX_ENTRIES);
			goto out;
		}
		if (iso_add(iso, e, ordinal, err) < 0)
			goto out;
	}
	/* plain ISO 9660 names are upper case, whatever the files were */
	iso->fold = archive_format(a) != ARCHIVE_FORMAT_ISO9660_ROCKRIDGE &&
	    !iso->lower;
	ret = 0;
out:
	archive_read_free(a);
	return ret;
}

static int
iso_new(int fd, const void *data, size_t len, const char *name,
    struct media_iso **iso_r, struct xvm_err *err)
{
	struct media_iso *iso = xvm_calloc(1, sizeof(*iso));
	struct stat st;
	locale_t old;
	int r;

	*iso_r = NULL;
	iso->name = xvm_strdup(name);
	iso->fd = fd;
	iso->mem = data;
	iso->memlen = len;
	if (fd < 0) {
		iso->size = len;
		iso->size_known = true;
	} else if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
		iso->size = (uint64_t)st.st_size;
		iso->size_known = true;
	}
	iso->utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
	iso_rehash(iso, 1024);
	/* the root */
	iso->nodes = xvm_calloc(64, sizeof(*iso->nodes));
	iso->capnodes = 64;
	iso->nnodes = 1;
	iso->nodes[0].next = NO_NODE;
	iso->nodes[0].type = ISO_DIR;
	iso->nodes[0].ordinal = NO_ORDINAL;
	old = iso_enter(iso);
	r = iso_index(iso, err);
	iso_leave(iso, old);
	if (r < 0) {
		media_iso_free(iso);
		return -1;
	}
	*iso_r = iso;
	return 0;
}

int
media_iso_index_mem(const void *data, size_t len, const char *name,
    struct media_iso **iso_r, struct xvm_err *err)
{
	return iso_new(-1, data, len, name, iso_r, err);
}

int
media_iso_index_fd(int fd, const char *name, struct media_iso **iso_r,
    struct xvm_err *err)
{
	return iso_new(fd, NULL, 0, name, iso_r, err);
}

void
media_iso_free(struct media_iso *iso)
{
	if (iso == NULL)
		return;
	iso_reader_drop(iso);
	if (iso->fd >= 0)
		close(iso->fd);
	if (iso->utf8 != (locale_t)0)
		freelocale(iso->utf8);
	free(iso->nodes);
	free(iso->buckets);
	free(iso->names);
	free(iso->name);
	free(iso);
}

size_t
media_iso_count(const struct media_iso *iso)
{
	return iso->nnodes;
}

char *
media_iso_path(const struct media_iso *iso, size_t i)
{
	const struct iso_node *nd;
	size_t len = 0, at;
	uint32_t j;
	char *s;

	if (i >= iso->nnodes)
		return NULL;
	/* parents come before their children: the walk up ends */
	for (j = (uint32_t)i; j != 0; j = iso->nodes[j].parent)
		len += iso->nodes[j].namelen + 1;
	s = xvm_malloc(len + 1);
	at = len > 0 ? len - 1 : 0;
	s[at] = '\0';
	for (j = (uint32_t)i; j != 0; j = nd->parent) {
		nd = &iso->nodes[j];
		at -= nd->namelen;
		memcpy(s + at, iso->names + nd->name, nd->namelen);
		if (at > 0)
			s[--at] = '/';
	}
	return s;
}

/* ---- the back end -------------------------------------------------------- */

static int
iso_exists(struct xvm_media *m, const char *path, struct xvm_err *err)
{
	return media_iso_exists(m->priv, path, err);
}

static int
iso_get(struct xvm_media *m, const char *path, struct media_sink *sink,
    struct xvm_err *err)
{
	return media_iso_get(m->priv, path, sink, err);
}

static void
iso_close(struct xvm_media *m)
{
	media_iso_free(m->priv);
	m->priv = NULL;
}

static const struct media_ops iso_ops = {
	iso_exists, iso_get, iso_close,
};

int
media_open_iso(struct xvm_media *m, const char *file, struct xvm_err *err)
{
	struct media_iso *iso;
	int fd, e;

	if ((fd = open(file, O_RDONLY | O_CLOEXEC)) < 0) {
		e = errno;
		xvm_err_sys(err, e, "cannot open ISO image '%s'", file);
		if (e == ENOENT)
			err->code = XVM_ERR_NOT_FOUND;
		return -1;
	}
	if (media_iso_index_fd(fd, file, &iso, err) < 0)
		return -1;
	m->ops = &iso_ops;
	m->kind = XVM_MEDIA_ISO;
	m->priv = iso;
	return 0;
}

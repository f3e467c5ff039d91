/*
 * bootloader.c - what pygrub does for a PV guest whose config names a
 * bootloader instead of a kernel: read the guest's own disk, find its
 * GRUB configuration, and take the default entry's kernel, ramdisk and
 * command line from the disk.
 *
 * The disk is read, never written, and never mounted: its partition table
 * (MBR, or GPT behind a protective MBR; a whole-disk file system without
 * one) gives the file systems, which are read with libext2fs (ext2, ext3,
 * ext4).  The configuration is GRUB 2's grub.cfg (menuentry blocks with
 * linux/initrd lines, `set default`) or GRUB legacy's menu.lst/grub.conf
 * (title blocks with kernel/initrd, or Solaris's kernel$/module$ with
 * $ISADIR), in /boot/grub or, on a separate /boot, in /grub.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <ext2fs/ext2fs.h>

#include "toolstack/ts_int.h"
#include "xvm/le.h"

#define SECTOR		512
#define MAX_PARTS	128
#define MAX_FILE	(256u << 20)	/* a kernel or ramdisk, at most */

/* ---- partitions ---------------------------------------------------------- */

static int
read_at(int fd, void *buf, size_t len, uint64_t off)
{
	ssize_t n = pread(fd, buf, len, (off_t)off);

	return n == (ssize_t)len ? 0 : -1;
}

/*
 * The byte offsets of the file systems to look at: each partition, or
 * the whole disk when it has no partition table.
 */
size_t
ts_disk_partitions(int fd, uint64_t *offs, size_t max)
{
	unsigned char mbr[SECTOR], gpt[SECTOR], *ent;
	size_t n = 0, i;
	bool protective = false;

	if (read_at(fd, mbr, sizeof(mbr), 0) < 0 ||
	    mbr[510] != 0x55 || mbr[511] != 0xaa) {
		offs[n++] = 0;
		return n;
	}
	for (i = 0; i < 4; i++) {
		unsigned char *e = mbr + 446 + 16 * i;
		uint32_t start = xvm_get_le32(e + 8);

		if (e[4] == 0xee)
			protective = true;
		else if (e[4] != 0 && e[4] != 0x05 && e[4] != 0x0f &&
		    start != 0 && n < max)
			offs[n++] = (uint64_t)start * SECTOR;
	}
	if (protective && read_at(fd, gpt, sizeof(gpt), SECTOR) == 0 &&
	    memcmp(gpt, "EFI PART", 8) == 0) {
		uint64_t lba = xvm_get_le64(gpt + 72);
		uint32_t count = xvm_get_le32(gpt + 80);
		uint32_t size = xvm_get_le32(gpt + 84);
		unsigned char buf[512];
		uint32_t k;

		if (size < 128 || size > sizeof(buf))
			return n;
		for (k = 0; k < count && k < MAX_PARTS && n < max; k++) {
			static const unsigned char zero[16];

			if (read_at(fd, buf, size, lba * SECTOR +
			    (uint64_t)k * size) < 0)
				break;
			ent = buf;
			if (memcmp(ent, zero, 16) == 0)
				continue;
			offs[n++] = xvm_get_le64(ent + 32) * SECTOR;
		}
	}
	if (n == 0)
		offs[n++] = 0;
	return n;
}

/* ---- files ------------------------------------------------------------- */

/* The whole file at path in fs (malloc'd), or NULL. */
static char *
fs_read(ext2_filsys fs, const char *path, size_t max, size_t *len_r)
{
	ext2_ino_t ino;
	ext2_file_t f;
	__u64 size;
	unsigned int got;
	char *buf;
	size_t done = 0;

	if (ext2fs_namei_follow(fs, EXT2_ROOT_INO, EXT2_ROOT_INO, path,
	    &ino) != 0)
		return NULL;
	if (ext2fs_file_open(fs, ino, 0, &f) != 0)
		return NULL;
	if (ext2fs_file_get_lsize(f, &size) != 0 || size > max) {
		ext2fs_file_close(f);
		return NULL;
	}
	buf = xvm_malloc((size_t)size + 1);
	while (done < size) {
		if (ext2fs_file_read(f, buf + done, (unsigned)(size - done >
		    (1u << 20) ? (1u << 20) : size - done), &got) != 0 ||
		    got == 0) {
			free(buf);
			ext2fs_file_close(f);
			return NULL;
		}
		done += got;
	}
	ext2fs_file_close(f);
	buf[done] = '\0';
	*len_r = done;
	return buf;
}

/* ---- configurations ------------------------------------------------------ */

struct entry {
	char *title, *kernel, *initrd, *args;
};

static void
entry_clear(struct entry *e)
{
	free(e->title);
	free(e->kernel);
	free(e->initrd);
	free(e->args);
	memset(e, 0, sizeof(*e));
}

/* "(hd0,0)/boot/vmlinuz" -> "/boot/vmlinuz"; $ISADIR -> amd64 */
static char *
clean_path(const char *p, size_t n)
{
	struct xvm_buf b = XVM_BUF_INIT;
	const char *e = p + n, *q;

	if (n && *p == '(' && (q = memchr(p, ')', n)) != NULL)
		p = q + 1;
	while (p < e) {
		if ((size_t)(e - p) >= 7 && strncmp(p, "$ISADIR", 7) == 0) {
			xvm_buf_puts(&b, "amd64");
			p += 7;
		} else {
			xvm_buf_putc(&b, *p++);
		}
	}
	return xvm_buf_steal(&b);
}

/* "WORD rest" of a line: the word's length, *rest after the blanks */
static size_t
word(const char *s, const char **rest)
{
	size_t n = 0;

	while (s[n] && !isspace((unsigned char)s[n]))
		n++;
	*rest = s + n;
	while (**rest == ' ' || **rest == '\t')
		(*rest)++;
	return n;
}

static void
set_path_args(struct entry *e, const char *rest, bool kernel)
{
	const char *args;
	size_t n = word(rest, &args);

	if (kernel) {
		free(e->kernel);
		e->kernel = clean_path(rest, n);
		free(e->args);
		/* Solaris's $ISADIR in its arguments too */
		e->args = clean_path(args, strlen(args));
	} else if (!e->initrd) {
		e->initrd = clean_path(rest, n);
	}
}

/* The entry just read: the one wanted, or the first as a fallback. */
static void
finish(struct entry *cur, long idx, long want, struct entry *out,
    struct entry *first, bool *found)
{
	if (cur->kernel && idx == want && !*found) {
		*out = *cur;
		*found = true;
	} else if (cur->kernel && !first->kernel) {
		*first = *cur;
	} else {
		entry_clear(cur);
	}
	memset(cur, 0, sizeof(*cur));
}

/*
 * The default entry of a GRUB configuration (legacy when legacy); a
 * default that names no entry falls back to the first, as GRUB does.
 * False when no entry has a kernel.
 */
static bool
parse_config(char *text, bool legacy, struct entry *out)
{
	struct entry cur, first;
	char *line, *save = NULL;
	long want = 0, idx = -1;
	bool in = false, found = false;

	memset(&cur, 0, sizeof(cur));
	memset(&first, 0, sizeof(first));
	for (line = strtok_r(text, "\n", &save); line;
	    line = strtok_r(NULL, "\n", &save)) {
		const char *rest;
		size_t n;

		while (isspace((unsigned char)*line))
			line++;
		if (*line == '#' || *line == '\0')
			continue;
		n = word(line, &rest);
		if (legacy && n == 7 && strncmp(line, "default", 7) == 0) {
			want = strtol(rest, NULL, 10);
		} else if (!legacy && strncmp(line, "set default=", 12) == 0) {
			const char *v = line + 12;

			want = strtol(v + (*v == '"' || *v == '\''), NULL,
			    10);
		} else if ((legacy && n == 5 && !strncmp(line, "title", 5)) ||
		    (!legacy && n == 9 && !strncmp(line, "menuentry", 9))) {
			finish(&cur, idx, want, out, &first, &found);
			cur.title = xvm_strdup(rest);
			idx++;
			in = true;
		} else if (in && ((legacy && ((n == 6 &&
		    !strncmp(line, "kernel", 6)) || (n == 7 &&
		    !strncmp(line, "kernel$", 7)))) || (!legacy &&
		    ((n == 5 && !strncmp(line, "linux", 5)) || (n == 7 &&
		    !strncmp(line, "linux16", 7)))))) {
			set_path_args(&cur, rest, true);
		} else if (in && ((n == 6 && !strncmp(line, "initrd", 6)) ||
		    (n == 8 && !strncmp(line, "initrd16", 8)) || (legacy &&
		    ((n == 6 && !strncmp(line, "module", 6)) || (n == 7 &&
		    !strncmp(line, "module$", 7)))))) {
			set_path_args(&cur, rest, false);
		}
	}
	finish(&cur, idx, want, out, &first, &found);
	if (!found && first.kernel) {
		*out = first;
		return true;
	}
	entry_clear(&first);
	return found;
}

bool
ts_grub_pick(char *text, bool legacy, char **kernel_r, char **initrd_r,
    char **args_r)
{
	struct entry e;

	memset(&e, 0, sizeof(e));
	*kernel_r = *initrd_r = *args_r = NULL;
	if (!parse_config(text, legacy, &e))
		return false;
	*kernel_r = e.kernel;
	*initrd_r = e.initrd;
	*args_r = e.args;
	free(e.title);
	return true;
}

/* ---- the bootloader ------------------------------------------------------ */

static int
save_file(const char *dir, const char *name, const char *data, size_t len,
    char **path_r, struct xvm_err *err)
{
	char *path = xvm_asprintf("%s/boot-%s-XXXXXX", dir, name);
	int fd = mkstemp(path);
	ssize_t w = -1;

	if (fd >= 0) {
		w = write(fd, data, len);
		close(fd);
	}
	if (fd < 0 || w != (ssize_t)len) {
		xvm_err_sys(err, errno, "cannot write the guest's %s to '%s'",
		    name, dir);
		if (fd >= 0)
			unlink(path);
		free(path);
		return -1;
	}
	*path_r = path;
	return 0;
}

/* Try one file system: 1 found (files saved), 0 not, -1 error. */
static int
try_fs(const char *disk, uint64_t off, const char *dir,
    struct xvm_boot_pick *p, struct xvm_err *err)
{
	static const struct {
		const char *path;
		bool legacy;
		const char *prefix;	/* where kernel paths are relative */
	} cfgs[] = {
		{ "/boot/grub/grub.cfg", false, "" },
		{ "/boot/grub2/grub.cfg", false, "" },
		{ "/grub/grub.cfg", false, "" },
		{ "/boot/grub/menu.lst", true, "" },
		{ "/boot/grub/grub.conf", true, "" },
		{ "/grub/menu.lst", true, "" },
		{ "/grub/grub.conf", true, "" },
	};
	ext2_filsys fs = NULL;
	struct entry e;
	char opts[64], *text, *kdata = NULL, *rdata = NULL;
	size_t len, klen = 0, rlen = 0, i;
	int r = 0;

	memset(&e, 0, sizeof(e));
	snprintf(opts, sizeof(opts), "offset=%llu", (unsigned long long)off);
	if (ext2fs_open2(disk, opts, EXT2_FLAG_64BITS, 0, 0, unix_io_manager,
	    &fs) != 0)
		return 0;
	for (i = 0; i < XVM_ARRAY_SIZE(cfgs) && r == 0; i++) {
		if ((text = fs_read(fs, cfgs[i].path, 1 << 20, &len)) == NULL)
			continue;
		if (!parse_config(text, cfgs[i].legacy, &e)) {
			free(text);
			continue;
		}
		free(text);
		kdata = fs_read(fs, e.kernel, MAX_FILE, &klen);
		if (!kdata) {
			r = xvm_err_set(err, XVM_ERR_CONFIG, "the guest's disk "
			    "'%s' boots '%s' (%s), which is not on it",
			    disk, e.kernel, cfgs[i].path);
			break;
		}
		if (e.initrd && !(rdata = fs_read(fs, e.initrd, MAX_FILE,
		    &rlen))) {
			r = xvm_err_set(err, XVM_ERR_CONFIG, "the guest's disk "
			    "'%s' boots with the ramdisk '%s' (%s), which is "
			    "not on it", disk, e.initrd, cfgs[i].path);
			break;
		}
		if (save_file(dir, "kernel", kdata, klen, &p->kernel,
		    err) < 0 || (rdata && save_file(dir, "ramdisk", rdata,
		    rlen, &p->initrd, err) < 0)) {
			r = -1;
			break;
		}
		p->args = e.args && *e.args ? xvm_strdup(e.args) : NULL;
		p->title = e.title ? xvm_strdup(e.title) : NULL;
		r = 1;
	}
	free(kdata);
	free(rdata);
	entry_clear(&e);
	ext2fs_close_free(&fs);
	return r;
}

void
xvm_boot_pick_release(struct xvm_boot_pick *p)
{
	if (p->kernel)
		unlink(p->kernel);
	if (p->initrd)
		unlink(p->initrd);
	free(p->kernel);
	free(p->initrd);
	free(p->args);
	free(p->title);
	memset(p, 0, sizeof(*p));
}

int
xvm_bootloader(const char *disk, const char *dir, struct xvm_boot_pick *p,
    struct xvm_err *err)
{
	uint64_t offs[MAX_PARTS];
	size_t n, i;
	int fd, r = 0;

	memset(p, 0, sizeof(*p));
	if ((fd = open(disk, O_RDONLY | O_CLOEXEC)) < 0)
		return xvm_err_sys(err, errno, "cannot read the guest's disk "
		    "'%s'", disk);
	n = ts_disk_partitions(fd, offs, XVM_ARRAY_SIZE(offs));
	close(fd);
	for (i = 0; i < n && r == 0; i++)
		r = try_fs(disk, offs[i], dir, p, err);
	if (r < 0)
		xvm_boot_pick_release(p);
	if (r == 0)
		return xvm_err_set(err, XVM_ERR_CONFIG, "the guest's disk '%s' "
		    "has no GRUB configuration (grub.cfg, menu.lst) on an "
		    "ext2/3/4 file system: nothing to boot", disk);
	return r < 0 ? -1 : 0;
}

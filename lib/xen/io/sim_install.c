/*
 * sim_install.c - what the simulated installer does to its guest's disk
 * (sim_guest.c): the system its ramdisk carries (a tar archive after the
 * "xvm-sim-installer" line: /boot/vmlinuz, /boot/grub/grub.cfg, ...) put
 * on a new ext2 file system that fills the disk, as an OS installer
 * formats and fills the disk it installs to.  The bootloader of the
 * toolstack (lib/toolstack/bootloader.c) then boots the installed guest
 * from it, as pygrub would.
 *
 * Written with libext2fs and read with libarchive; the disk image keeps
 * its size.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>
#include "util/archive_dl.h"
#include <ext2fs/ext2fs.h>

#include "xen/io/sim_int.h"

/* the directory at path, made with its parents when missing */
static errcode_t
mkdirs(ext2_filsys fs, const char *path, ext2_ino_t *ino_r)
{
	char *p = xvm_strdup(path), *c, *save = NULL;
	ext2_ino_t dir = EXT2_ROOT_INO, ino;
	errcode_t e = 0;

	for (c = strtok_r(p, "/", &save); c; c = strtok_r(NULL, "/", &save)) {
		if (ext2fs_lookup(fs, dir, c, strlen(c), NULL, &ino) != 0) {
			e = ext2fs_mkdir(fs, dir, 0, c);
			if (e == EXT2_ET_DIR_NO_SPACE &&
			    (e = ext2fs_expand_dir(fs, dir)) == 0)
				e = ext2fs_mkdir(fs, dir, 0, c);
			if (e || (e = ext2fs_lookup(fs, dir, c, strlen(c),
			    NULL, &ino)) != 0)
				break;
		}
		dir = ino;
	}
	free(p);
	*ino_r = dir;
	return e;
}

static errcode_t
put_file(ext2_filsys fs, const char *path, struct archive *a, int64_t size)
{
	char *copy = xvm_strdup(path), *slash = strrchr(copy, '/');
	const char *dirpath = "", *base = copy;
	struct ext2_inode inode;
	ext2_file_t f = NULL;
	ext2_ino_t dir, ino;
	char buf[65536];
	unsigned int wrote;
	la_ssize_t n;
	errcode_t e;

	if (slash) {
		*slash = '\0';
		dirpath = copy;
		base = slash + 1;
	}
	if ((e = mkdirs(fs, dirpath, &dir)) != 0 ||
	    (e = ext2fs_new_inode(fs, dir, LINUX_S_IFREG | 0644, 0,
	    &ino)) != 0)
		goto out;
	e = ext2fs_link(fs, dir, base, ino, EXT2_FT_REG_FILE);
	if (e == EXT2_ET_DIR_NO_SPACE && (e = ext2fs_expand_dir(fs, dir)) == 0)
		e = ext2fs_link(fs, dir, base, ino, EXT2_FT_REG_FILE);
	if (e)
		goto out;
	ext2fs_inode_alloc_stats2(fs, ino, +1, 0);
	memset(&inode, 0, sizeof(inode));
	inode.i_mode = LINUX_S_IFREG | 0644;
	inode.i_links_count = 1;
	inode.i_atime = inode.i_ctime = inode.i_mtime = (__u32)time(NULL);
	if ((e = ext2fs_write_new_inode(fs, ino, &inode)) != 0 ||
	    (e = ext2fs_file_open(fs, ino, EXT2_FILE_WRITE, &f)) != 0)
		goto out;
	while (size > 0 && (n = archive_read_data(a, buf, sizeof(buf))) > 0) {
		if ((e = ext2fs_file_write(f, buf, (unsigned)n, &wrote)) != 0)
			goto out;
		size -= n;
	}
	e = size > 0 ? EXT2_ET_SHORT_READ : 0;
out:
	if (f) {
		errcode_t c = ext2fs_file_close(f);

		if (!e)
			e = c;
	}
	free(copy);
	return e;
}

int
sim_install_system(const char *disk, const void *payload, size_t len,
    char *why, size_t whylen)
{
	struct ext2_super_block param;
	struct xvm_err lerr = { 0 };
	struct archive *a;
	struct archive_entry *ent;
	ext2_filsys fs = NULL;
	struct stat st;
	errcode_t e = 0;
	ext2_ino_t ino;
	int r, files = 0;

	why[0] = '\0';
	if (xvm_archive_dl(&lerr) < 0) {
		snprintf(why, whylen, "%s", lerr.msg);
		return -1;
	}
	a = archive_read_new();
	if (stat(disk, &st) < 0 || !S_ISREG(st.st_mode) ||
	    st.st_size < (off_t)(8 << 20)) {
		snprintf(why, whylen, "cannot install to '%s': %s", disk,
		    errno && stat(disk, &st) < 0 ? strerror(errno) :
		    "not a disk image of 8 MiB or more");
		archive_read_free(a);
		return -1;
	}
	archive_read_support_format_tar(a);
	archive_read_support_format_cpio(a);
	archive_read_support_filter_gzip(a);
	if (archive_read_open_memory(a, payload, len) != ARCHIVE_OK) {
		snprintf(why, whylen, "the installer's system is not an "
		    "archive: %s", archive_error_string(a));
		archive_read_free(a);
		return -1;
	}
	/* a new file system, 4 KiB blocks, as large as the disk */
	memset(&param, 0, sizeof(param));
	param.s_log_block_size = 2;
	ext2fs_blocks_count_set(&param, (blk64_t)(st.st_size / 4096));
	if ((e = ext2fs_initialize(disk, EXT2_FLAG_64BITS, &param,
	    unix_io_manager, &fs)) != 0 ||
	    (e = ext2fs_allocate_tables(fs)) != 0 ||
	    (e = ext2fs_mkdir(fs, EXT2_ROOT_INO, EXT2_ROOT_INO, 0)) != 0)
		goto out;
	/* the inodes below the first ordinary one are the system's: the
	   bad-blocks inode (empty) and the reserved ones */
	ext2fs_inode_alloc_stats2(fs, EXT2_BAD_INO, +1, 0);
	for (ino = EXT2_ROOT_INO + 1; ino < EXT2_FIRST_INODE(fs->super); ino++)
		ext2fs_inode_alloc_stats2(fs, ino, +1, 0);
	ext2fs_mark_ib_dirty(fs);
	if ((e = ext2fs_mkdir(fs, EXT2_ROOT_INO, 0, "lost+found")) != 0)
		goto out;
	while ((r = archive_read_next_header(a, &ent)) == ARCHIVE_OK) {
		const char *path = archive_entry_pathname(ent);
		mode_t type = archive_entry_filetype(ent);

		while (path[0] == '.' && path[1] == '/')
			path += 2;
		while (path[0] == '/')
			path++;
		if (!*path || strstr(path, "..") != NULL)
			continue;
		if (type == AE_IFDIR)
			e = mkdirs(fs, path, &ino);
		else if (type == AE_IFREG) {
			e = put_file(fs, path, a, archive_entry_size(ent));
			files++;
		}
		if (e)
			goto out;
	}
	if (r != ARCHIVE_EOF) {
		snprintf(why, whylen, "the installer's system is damaged: %s",
		    archive_error_string(a));
		e = EXT2_ET_SHORT_READ;
	}
out:
	if (fs) {
		errcode_t c = ext2fs_close_free(&fs);

		if (!e)
			e = c;
	}
	archive_read_free(a);
	if (e && !why[0])
		snprintf(why, whylen, "cannot install to '%s': %s", disk,
		    error_message(e));
	return e ? -1 : files;
}

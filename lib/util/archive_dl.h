/*
 * archive_dl.h - libarchive is loaded with dlopen when an image is first
 * read (an ISO image, the simulated installer's payload), not linked:
 * it brings libxml2, ICU and the C++ runtime, a third of the start-up
 * time of a command that reads no image.
 *
 * Included after <archive.h> and <archive_entry.h>, it turns the calls of
 * the functions xvm uses into calls through pointers that
 * xvm_archive_dl() fills; call it before archive_read_new().
 */
#ifndef XVM_ARCHIVE_DL_H
#define XVM_ARCHIVE_DL_H

#include <archive.h>
#include <archive_entry.h>

#include "xvm/err.h"

#define XVM_ARCHIVE_FUNCS(X) \
	X(archive_entry_filetype) X(archive_entry_hardlink) \
	X(archive_entry_pathname) X(archive_entry_size) \
	X(archive_entry_size_is_set) X(archive_entry_symlink) \
	X(archive_error_string) X(archive_format) X(archive_read_data) \
	X(archive_read_free) X(archive_read_new) X(archive_read_next_header) \
	X(archive_read_open_fd) X(archive_read_open_memory) \
	X(archive_read_support_filter_gzip) \
	X(archive_read_support_format_cpio) \
	X(archive_read_support_format_iso9660) \
	X(archive_read_support_format_tar)

#ifndef XVM_ARCHIVE_DL_IMPL
#define XVM_ARCHIVE_DECLARE(f) extern __typeof__(f) *xvm_p_##f;
XVM_ARCHIVE_FUNCS(XVM_ARCHIVE_DECLARE)
#undef XVM_ARCHIVE_DECLARE

#define archive_entry_filetype xvm_p_archive_entry_filetype
#define archive_entry_hardlink xvm_p_archive_entry_hardlink
#define archive_entry_pathname xvm_p_archive_entry_pathname
#define archive_entry_size xvm_p_archive_entry_size
#define archive_entry_size_is_set xvm_p_archive_entry_size_is_set
#define archive_entry_symlink xvm_p_archive_entry_symlink
#define archive_error_string xvm_p_archive_error_string
#define archive_format xvm_p_archive_format
#define archive_read_data xvm_p_archive_read_data
#define archive_read_free xvm_p_archive_read_free
#define archive_read_new xvm_p_archive_read_new
#define archive_read_next_header xvm_p_archive_read_next_header
#define archive_read_open_fd xvm_p_archive_read_open_fd
#define archive_read_open_memory xvm_p_archive_read_open_memory
#define archive_read_support_filter_gzip xvm_p_archive_read_support_filter_gzip
#define archive_read_support_format_cpio xvm_p_archive_read_support_format_cpio
#define archive_read_support_format_iso9660 xvm_p_archive_read_support_format_iso9660
#define archive_read_support_format_tar xvm_p_archive_read_support_format_tar
#endif /* XVM_ARCHIVE_DL_IMPL */

/* Load libarchive once; XVM_ERR_INTERNAL when it cannot be. */
int xvm_archive_dl(struct xvm_err *err);

#endif

/*
 * testdrv.c - save, restore and core dump on test:///default, as libvirt's
 * test driver does them: its domains have no memory to write, so a save
 * file is the driver's own (the magic "TestGuestMagic", NUL-terminated, a
 * little-endian 32-bit length and the domain XML), and a core file is the
 * magic alone.  Files are new files, as everywhere in xvm: never written
 * over.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xvm/domxml.h"
#include "xvm/file.h"
#include "xvm/le.h"
#include "toolstack/ts_int.h"

#define MAGIC		"TestGuestMagic"
#define MAGIC_LEN	sizeof(MAGIC)	/* with its NUL */
#define XML_MAX		(4 * 1024 * 1024)

static int
write_all(int fd, const void *buf, size_t len, const char *file,
    struct xvm_err *err)
{
	const char *p = buf;

	while (len > 0) {
		ssize_t k = write(fd, p, len);

		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			return xvm_err_sys(err, errno, "cannot write '%s'",
			    file);
		p += k;
		len -= (size_t)k;
	}
	return 0;
}

/* A new file holding the magic, then more (len bytes) when given. */
static int
new_image(const char *file, const void *more, size_t len,
    struct xvm_err *err)
{
	struct xvm_newfile nf = { -1, NULL, NULL };
	int r = -1;

	if (xvm_newfile_open(&nf, file, 0600, err) < 0)
		return -1;
	if (write_all(nf.fd, MAGIC, MAGIC_LEN, file, err) == 0 &&
	    (len == 0 || write_all(nf.fd, more, len, file, err) == 0) &&
	    xvm_newfile_commit(&nf, err) == 0)
		r = 0;
	xvm_newfile_abort(&nf);
	return r;
}

int
ts_test_save(struct xvm_conn *c, uint32_t id, const char *file,
    struct xvm_err *err)
{
	struct xvm_domain *d = NULL;
	struct xvm_dominfo info;
	struct xvm_buf b = XVM_BUF_INIT, img = XVM_BUF_INIT;
	int r = -1;

	if (xvm_xc_domain_info(c->io, id, &info, err) < 0 ||
	    xvm_running_config(c, id, &d, err) < 0)
		goto out;
	d->id = (int)id;
	xvm_domain_format_xml(d, XVM_XML_SECURE, &b);
	xvm_put_le32(&img, (uint32_t)b.len);
	xvm_buf_add(&img, b.data, b.len);
	if (new_image(file, img.data, img.len, err) < 0 ||
	    xvm_destroy(c, id, err) < 0)
		goto out;
	ts_reason_set(c, info.handle, "shutoff", "saved");
	ts_log(c, XVM_LOG_INFO, "domain %" PRIu32 " (%s) saved to %s", id,
	    d->name, file);
	r = 0;
out:
	xvm_domain_free(d);
	xvm_buf_release(&b);
	xvm_buf_release(&img);
	return r;
}

int
ts_test_restore(struct xvm_conn *c, const char *file, unsigned flags,
    uint32_t *id_r, struct xvm_err *err)
{
	struct xvm_domain *d = NULL;
	char *data = NULL;
	size_t len;
	uint32_t xlen;
	int r = -1;

	if (xvm_file_read(file, XML_MAX + MAGIC_LEN + 4, &data, &len,
	    err) < 0) {
		int e = err->sys_errno;

		xvm_err_set(err, XVM_ERR_SYSTEM, "cannot read domain image "
		    "'%s': %s", file, strerror(e ? e : EIO));
		return -1;
	}
	if (len < MAGIC_LEN) {
		xvm_err_set(err, XVM_ERR_SYSTEM, "incomplete save header in "
		    "'%s': Success", file);
		goto out;
	}
	if (memcmp(data, MAGIC, MAGIC_LEN) != 0) {
		xvm_err_set(err, XVM_ERR_INTERNAL, "mismatched header magic");
		goto out;
	}
	if (len < MAGIC_LEN + 4 ||
	    (xlen = xvm_get_le32((unsigned char *)data + MAGIC_LEN)) >
	    len - MAGIC_LEN - 4 || xlen == 0) {
		xvm_err_set(err, XVM_ERR_SYSTEM, "incomplete save header in "
		    "'%s': Success", file);
		goto out;
	}
	if (xvm_domain_parse_xml(data + MAGIC_LEN + 4, xlen, file, 0, &d,
	    err) < 0 || xvm_create(c, d, flags, id_r, err) < 0)
		goto out;
	if (!(flags & XVM_CREATE_PAUSED))
		ts_reason_set_id(c, *id_r, "running", "restored");
	ts_log(c, XVM_LOG_INFO, "domain %" PRIu32 " (%s) restored from %s",
	    *id_r, d->name, file);
	r = 0;
out:
	xvm_domain_free(d);
	free(data);
	return r;
}

int
ts_test_dump(struct xvm_conn *c, uint32_t id, const char *file,
    unsigned flags, struct xvm_err *err)
{
	struct xvm_dominfo info;

	if (xvm_xc_domain_info(c->io, id, &info, err) < 0 ||
	    new_image(file, NULL, 0, err) < 0)
		return -1;
	if (flags & XVM_DUMP_CRASH) {
		if (xvm_destroy(c, id, err) < 0)
			return -1;
		ts_reason_set(c, info.handle, "shutoff", "crashed");
	}
	return 0;
}

/* Is this file a test driver's save image? */
bool
ts_test_image(const char *file)
{
	char head[MAGIC_LEN];
	int fd = open(file, O_RDONLY | O_CLOEXEC);
	bool yes;

	if (fd < 0)
		return false;
	yes = read(fd, head, sizeof(head)) == (ssize_t)sizeof(head) &&
	    memcmp(head, MAGIC, MAGIC_LEN) == 0;
	close(fd);
	return yes;
}

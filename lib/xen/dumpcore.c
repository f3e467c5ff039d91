/*
 * dumpcore.c - a PV domain's memory as Xen's dump-core file, the ELF
 * format `xm dump-core` and `xl dump-core` write (Xen's
 * docs/misc/dump-core-format.txt): an ELF64 core with no program headers
 * and these sections:
 *   .note.Xen          "Xen" notes: NONE, HEADER (magic 0xF00FEBED for PV,
 *                      vcpus, pages, page size), XEN_VERSION, FORMAT_VERSION
 *   .xen_prstatus      vcpu_guest_context_t of each online vcpu
 *   .xen_shared_info   the shared info page
 *   .xen_p2m           {pfn, gmfn} of each page below
 *   .xen_pages         the pages (page-aligned)
 * The pages are those of the guest's own p2m list (pvsave.h).
 */
#define __XEN_TOOLS__ 1
#include <elf.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <xen/xen.h>

#include "xvm/le.h"
#include "xen/dumpcore.h"
#include "xen/pvsave.h"
#include "xen/xc.h"

#define XC_CORE_MAGIC		0xF00FEBEDull
#define NOTE_NONE		0x2000000
#define NOTE_HEADER		0x2000001
#define NOTE_XEN_VERSION	0x2000002
#define NOTE_FORMAT_VERSION	0x2000003
#define BATCH			1024

static const char shstrtab[] = "\0.shstrtab\0.note.Xen\0.xen_prstatus\0"
    ".xen_shared_info\0.xen_p2m\0.xen_pages";
enum { S_NULL, S_STRTAB, S_NOTE, S_PRSTATUS, S_SHINFO, S_P2M, S_PAGES,
    NSECT };

static uint64_t
align(uint64_t v, uint64_t a)
{
	return (v + a - 1) & ~(a - 1);
}

static void
le16(struct xvm_buf *b, uint16_t v)
{
	unsigned char p[2] = { (unsigned char)v, (unsigned char)(v >> 8) };

	xvm_buf_add(b, p, 2);
}

static void
note(struct xvm_buf *b, uint32_t type, const void *desc, size_t len)
{
	xvm_put_le32(b, 4);			/* "Xen\0" */
	xvm_put_le32(b, (uint32_t)len);
	xvm_put_le32(b, type);
	xvm_buf_add(b, "Xen", 4);
	xvm_buf_add(b, desc, len);
	xvm_buf_pad(b, align(len, 4) - len, 0);
}

/* XEN_ELFNOTE_DUMPCORE_XEN_VERSION's descriptor (1280 bytes). */
static void
version_desc(struct xvm_buf *b, const struct xvm_xen_version *v)
{
	char f[1024];

	xvm_put_le64(b, (uint64_t)v->major);
	xvm_put_le64(b, (uint64_t)v->minor);
#define FIELD(src, n) do {						\
	memset(f, 0, sizeof(f));					\
	memcpy(f, (src), strnlen((src), (n) - 1));			\
	xvm_buf_add(b, f, (n));						\
} while (0)
	FIELD(v->extra, 16);
	FIELD(v->compiler, 64);
	FIELD(v->compile_by, 16);
	FIELD(v->compile_domain, 32);
	FIELD(v->compile_date, 32);
	FIELD(v->capabilities, 1024);
	FIELD(v->changeset, 64);
#undef FIELD
	xvm_put_le64(b, v->virt_start);
	xvm_put_le64(b, (uint64_t)v->pagesize);
}

static void
shdr(struct xvm_buf *b, uint32_t name, uint32_t type, uint64_t off,
    uint64_t size, uint64_t align_, uint64_t entsize)
{
	xvm_put_le32(b, name);
	xvm_put_le32(b, type);
	xvm_put_le64(b, 0);			/* flags */
	xvm_put_le64(b, 0);			/* addr */
	xvm_put_le64(b, off);
	xvm_put_le64(b, size);
	xvm_put_le32(b, 0);			/* link */
	xvm_put_le32(b, 0);			/* info */
	xvm_put_le64(b, align_);
	xvm_put_le64(b, entsize);
}

static uint32_t
name_at(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(shstrtab); i++)
		if (strcmp(shstrtab + i, name) == 0)
			return (uint32_t)i;
	return 0;
}

int
xvm_pv_dump_core(struct xvm_io *io, uint32_t domid, struct xvm_sf_out *out,
    uint64_t *pages_r, struct xvm_err *err)
{
	struct xvm_pv_p2m p;
	struct xvm_dominfo info;
	struct xvm_xen_version ver;
	struct xvm_buf head = XVM_BUF_INIT, notes = XVM_BUF_INIT;
	struct xvm_buf ctxs = XVM_BUF_INIT, p2m = XVM_BUF_INIT;
	vcpu_guest_context_t *c = xvm_malloc(sizeof(*c));
	uint64_t off[NSECT], size[NSECT], npages = 0, i, shmfn, nvcpus = 0;
	uint64_t *mfns = xvm_malloc(BATCH * sizeof(*mfns));
	void *sh = NULL;
	uint32_t v;
	int r = -1;

	memset(&p, 0, sizeof(p));
	if (xvm_xc_domain_info(io, domid, &info, err) < 0 ||
	    xvm_xc_version(io, &ver, err) < 0)
		goto out;
	if (info.hvm) {
		xvm_err_set(err, XVM_ERR_NO_SUPPORT, "domain %" PRIu32 " is an "
		    "HVM guest: xvm dumps the cores of PV guests", domid);
		goto out;
	}
	if (xvm_pv_p2m_read(io, domid, &p, err) < 0 ||
	    xvm_xc_shared_info_frame(io, domid, &shmfn, err) < 0 ||
	    (sh = xvm_xc_map(io, domid, PROT_READ, &shmfn, 1, err)) == NULL)
		goto out;
	for (v = 0; v <= info.max_vcpu_id; v++) {
		if (xvm_xc_vcpu_getcontext(io, domid, v, c, sizeof(*c),
		    err) < 0)
			goto out;
		if (!(c->flags & VGCF_online))
			continue;
		xvm_buf_add(&ctxs, c, sizeof(*c));
		nvcpus++;
	}
	for (i = 0; i < p.n; i++)
		if (p.p2m[i] != ~0ull) {
			xvm_put_le64(&p2m, i);
			xvm_put_le64(&p2m, p.p2m[i]);
			npages++;
		}

	/* the notes */
	note(&notes, NOTE_NONE, NULL, 0);
	{
		struct xvm_buf d = XVM_BUF_INIT;

		xvm_put_le64(&d, XC_CORE_MAGIC);
		xvm_put_le64(&d, nvcpus);
		xvm_put_le64(&d, npages);
		xvm_put_le64(&d, 4096);
		note(&notes, NOTE_HEADER, d.data, d.len);
		xvm_buf_reset(&d);
		version_desc(&d, &ver);
		note(&notes, NOTE_XEN_VERSION, d.data, d.len);
		xvm_buf_reset(&d);
		xvm_put_le64(&d, 1);		/* format (0, 1) */
		note(&notes, NOTE_FORMAT_VERSION, d.data, d.len);
		xvm_buf_release(&d);
	}

	/* where everything goes */
	size[S_NULL] = 0;
	size[S_STRTAB] = sizeof(shstrtab);
	size[S_NOTE] = notes.len;
	size[S_PRSTATUS] = ctxs.len;
	size[S_SHINFO] = 4096;
	size[S_P2M] = p2m.len;
	size[S_PAGES] = npages * 4096;
	off[S_NULL] = 0;
	off[S_STRTAB] = 64 + NSECT * 64;
	off[S_NOTE] = align(off[S_STRTAB] + size[S_STRTAB], 8);
	off[S_PRSTATUS] = align(off[S_NOTE] + size[S_NOTE], 8);
	off[S_SHINFO] = align(off[S_PRSTATUS] + size[S_PRSTATUS], 8);
	off[S_P2M] = align(off[S_SHINFO] + size[S_SHINFO], 8);
	off[S_PAGES] = align(off[S_P2M] + size[S_P2M], 4096);

	/* the ELF header */
	{
		unsigned char id[EI_NIDENT] = { ELFMAG0, ELFMAG1, ELFMAG2,
		    ELFMAG3, ELFCLASS64, ELFDATA2LSB, EV_CURRENT,
		    ELFOSABI_SYSV };

		xvm_buf_add(&head, id, sizeof(id));
		le16(&head, ET_CORE);
		le16(&head, EM_X86_64);
		xvm_put_le32(&head, EV_CURRENT);
		xvm_put_le64(&head, 0);		/* entry */
		xvm_put_le64(&head, 0);		/* no program headers */
		xvm_put_le64(&head, 64);	/* the section headers */
		xvm_put_le32(&head, 0);		/* flags */
		le16(&head, 64);		/* ehsize */
		le16(&head, 0);			/* phentsize */
		le16(&head, 0);			/* phnum */
		le16(&head, 64);		/* shentsize */
		le16(&head, NSECT);
		le16(&head, S_STRTAB);
	}
	shdr(&head, 0, SHT_NULL, 0, 0, 0, 0);
	shdr(&head, name_at(".shstrtab"), SHT_STRTAB, off[S_STRTAB],
	    size[S_STRTAB], 1, 0);
	shdr(&head, name_at(".note.Xen"), SHT_NOTE, off[S_NOTE],
	    size[S_NOTE], 4, 0);
	shdr(&head, name_at(".xen_prstatus"), SHT_PROGBITS, off[S_PRSTATUS],
	    size[S_PRSTATUS], 8, sizeof(*c));
	shdr(&head, name_at(".xen_shared_info"), SHT_PROGBITS, off[S_SHINFO],
	    size[S_SHINFO], 8, 4096);
	shdr(&head, name_at(".xen_p2m"), SHT_PROGBITS, off[S_P2M],
	    size[S_P2M], 8, 16);
	shdr(&head, name_at(".xen_pages"), SHT_PROGBITS, off[S_PAGES],
	    size[S_PAGES], 4096, 4096);
	xvm_buf_add(&head, shstrtab, sizeof(shstrtab));
	xvm_buf_pad(&head, off[S_NOTE] - head.len, 0);
	xvm_buf_add(&head, notes.data, notes.len);
	xvm_buf_pad(&head, off[S_PRSTATUS] - head.len, 0);
	xvm_buf_add(&head, ctxs.data, ctxs.len);
	xvm_buf_pad(&head, off[S_SHINFO] - head.len, 0);
	xvm_buf_add(&head, sh, 4096);
	xvm_buf_pad(&head, off[S_P2M] - head.len, 0);
	xvm_buf_add(&head, p2m.data, p2m.len);
	xvm_buf_pad(&head, off[S_PAGES] - head.len, 0);
	if (xvm_sf_put(out, head.data, head.len, err) < 0)
		goto out;

	/* the pages, a batch at a time */
	for (i = 0; i < p.n;) {
		size_t k = 0;
		unsigned char *m;

		for (; i < p.n && k < BATCH; i++)
			if (p.p2m[i] != ~0ull)
				mfns[k++] = p.p2m[i];
		if (k == 0)
			break;
		if ((m = xvm_xc_map(io, domid, PROT_READ, mfns, k,
		    err)) == NULL)
			goto out;
		r = xvm_sf_put(out, m, k * 4096, err);
		xvm_io_unmap_foreign(io, m, k);
		if (r < 0)
			goto out;
		r = -1;
	}
	if (pages_r)
		*pages_r = npages;
	r = 0;
out:
	if (sh)
		xvm_io_unmap_foreign(io, sh, 1);
	xvm_pv_p2m_release(&p);
	xvm_buf_release(&head);
	xvm_buf_release(&notes);
	xvm_buf_release(&ctxs);
	xvm_buf_release(&p2m);
	free(mfns);
	free(c);
	return r;
}

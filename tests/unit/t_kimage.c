/*
 * t_kimage.c - unit tests of lib/xen/kimage: guest kernel images built in
 * memory (ELF64 with Xen notes, SHT_NOTE sections or a __xen_guest string),
 * compressed with zlib, liblzma and libbz2, wrapped in synthetic bzImages,
 * and every refusal with its exact message.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bzlib.h>
#include <lz4.h>
#include <lzma.h>
#include <zlib.h>

#include "xvm/err.h"
#include "xvm/file.h"
#include "xvm/util.h"
#include "xen/kimage.h"
#include "t.h"

#define VBASE	0xffffffff80000000ULL
#define KTEXT	0xffffffff81000000ULL

enum { N_PHDR, N_SECTION, N_NONE };

struct tseg {
	uint32_t type, flags;
	uint64_t paddr, vaddr, memsz, filesz;
	uint64_t off;		/* 0: where the builder puts it */
};

struct spec {
	unsigned char class, data;
	uint16_t type, machine, phentsize;
	uint64_t entry;
	struct tseg seg[4];
	int nseg;
	struct xvm_buf notes;	/* a blob of notes */
	int where;		/* N_PHDR, N_SECTION, N_NONE */
	const char *legacy;	/* __xen_guest contents (with its NUL) */
	size_t legacy_len;
};

/* --- building images ---------------------------------------------------- */

static void
put16(unsigned char *p, uint64_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
}

static void
put32(unsigned char *p, uint64_t v)
{
	put16(p, v);
	put16(p + 2, v >> 16);
}

static void
put64(unsigned char *p, uint64_t v)
{
	put32(p, v);
	put32(p + 4, v >> 32);
}

static void
pad(struct xvm_buf *b, size_t align)
{
	while (b->len % align)
		xvm_buf_putc(b, 0);
}

static void
note_raw(struct xvm_buf *b, const char *owner, uint32_t type,
    const void *desc, size_t len)
{
	unsigned char h[12];
	size_t olen = strlen(owner) + 1;

	put32(h, olen);
	put32(h + 4, len);
	put32(h + 8, type);
	xvm_buf_add(b, h, 12);
	xvm_buf_add(b, owner, olen);
	pad(b, 4);
	if (len)
		xvm_buf_add(b, desc, len);
	pad(b, 4);
}

static void
note_num(struct xvm_buf *b, uint32_t type, uint64_t v, size_t size)
{
	unsigned char d[8];

	put64(d, v);
	note_raw(b, "Xen", type, d, size);
}

static void
note_str(struct xvm_buf *b, uint32_t type, const char *s)
{
	note_raw(b, "Xen", type, s, strlen(s) + 1);
}

/* A Linux-like x86_64 PV kernel. */
static void
spec_linux(struct spec *s)
{
	unsigned char l1[16];

	memset(s, 0, sizeof(*s));
	s->class = 2;
	s->data = 1;
	s->type = 2;
	s->machine = 62;
	s->phentsize = 56;
	s->entry = KTEXT + 0x10;
	s->seg[0] = (struct tseg){ 1, 5, 0x1000000, KTEXT, 0x3000, 0x2000, 0 };
	s->seg[1] = (struct tseg){ 1, 6, 0x1400000, KTEXT + 0x400000, 0x1000,
	    0x100, 0 };
	s->nseg = 2;
	xvm_buf_init(&s->notes);
	note_raw(&s->notes, "GNU", 3, "\1\2\3\4", 4);	/* not Xen's */
	note_str(&s->notes, 6, "linux");		/* GUEST_OS */
	note_str(&s->notes, 7, "2.6");			/* GUEST_VERSION */
	note_str(&s->notes, 5, "xen-3.0");		/* XEN_VERSION */
	note_num(&s->notes, 3, VBASE, 8);		/* VIRT_BASE */
	note_num(&s->notes, 4, 0, 8);			/* PADDR_OFFSET */
	note_num(&s->notes, 1, KTEXT + 0x20, 8);	/* ENTRY */
	note_num(&s->notes, 2, KTEXT + 0x1000, 8);	/* HYPERCALL_PAGE */
	note_str(&s->notes, 10,
	    "!writable_page_tables|pae_pgdir_above_4gb|frobnicate");
	note_str(&s->notes, 9, "yes");			/* PAE_MODE */
	note_str(&s->notes, 8, "generic");		/* LOADER */
	put64(l1, 1);
	put64(l1 + 8, 1);
	note_raw(&s->notes, "Xen", 13, l1, 16);		/* L1_MFN_VALID */
	note_num(&s->notes, 14, 1, 4);			/* SUSPEND_CANCEL */
	note_num(&s->notes, 15, 0x8000000000ULL, 8);	/* INIT_P2M */
	note_num(&s->notes, 16, 1, 4);			/* MOD_START_PFN */
	note_num(&s->notes, 12, 0xffff800000000000ULL, 8); /* HV_START_LOW */
	note_num(&s->notes, 18, 0x1000040, 4);		/* PHYS32_ENTRY */
	note_num(&s->notes, 17, 1 << 8, 4);		/* SUPPORTED_FEATURES */
	note_num(&s->notes, 99, 7, 4);			/* unknown: ignored */
	s->where = N_PHDR;
}

static void
spec_release(struct spec *s)
{
	xvm_buf_release(&s->notes);
}

/* Lay out: ehdr | phdrs | notes | segment data | shstrtab | shdrs. */
static void
build(const struct spec *s, struct xvm_buf *out)
{
	static const char shstr[] = "\0.shstrtab\0.note.Xen\0__xen_guest";
	unsigned char *p;
	size_t phoff = 64, nph, noteoff = 0, segoff[4], stroff, legoff = 0;
	size_t shoff, nsh = 0, i;
	int k;

	xvm_buf_init(out);
	nph = (size_t)s->nseg + (s->where == N_PHDR ? 1 : 0);
	xvm_buf_pad(out, phoff + nph * 56, 0);
	if (s->where != N_NONE) {
		noteoff = out->len;
		xvm_buf_add(out, s->notes.data, s->notes.len);
	}
	for (k = 0; k < s->nseg; k++) {
		pad(out, 16);
		segoff[k] = out->len;
		for (i = 0; i < s->seg[k].filesz && i < 0x10000; i++)
			xvm_buf_putc(out, (char)(i * 7 + (size_t)k));
	}
	pad(out, 8);
	stroff = out->len;
	xvm_buf_add(out, shstr, sizeof(shstr));
	if (s->legacy) {
		legoff = out->len;
		xvm_buf_add(out, s->legacy, s->legacy_len);
	}
	pad(out, 8);
	shoff = out->len;
	if (s->where == N_SECTION || s->legacy) {
		nsh = 3 + (s->where == N_SECTION && s->legacy ? 1 : 0);
		xvm_buf_pad(out, nsh * 64, 0);
	}

	p = (unsigned char *)out->data;
	memcpy(p, "\177ELF", 4);
	p[4] = s->class;
	p[5] = s->data;
	p[6] = 1;
	put16(p + 16, s->type);
	put16(p + 18, s->machine);
	put32(p + 20, 1);
	put64(p + 24, s->entry);
	put64(p + 32, phoff);
	put64(p + 40, nsh ? shoff : 0);
	put16(p + 52, 64);
	put16(p + 54, s->phentsize);
	put16(p + 56, nph);
	put16(p + 58, 64);
	put16(p + 60, nsh);
	put16(p + 62, nsh ? 1 : 0);
	for (k = 0; k < s->nseg; k++) {
		unsigned char *ph = p + phoff + (size_t)k * 56;

		put32(ph, s->seg[k].type);
		put32(ph + 4, s->seg[k].flags);
		put64(ph + 8, s->seg[k].off ? s->seg[k].off : segoff[k]);
		put64(ph + 16, s->seg[k].vaddr);
		put64(ph + 24, s->seg[k].paddr);
		put64(ph + 32, s->seg[k].filesz);
		put64(ph + 40, s->seg[k].memsz);
		put64(ph + 48, 0x1000);
	}
	if (s->where == N_PHDR) {
		unsigned char *ph = p + phoff + (size_t)s->nseg * 56;

		put32(ph, 4);
		put32(ph + 4, 4);
		put64(ph + 8, noteoff);
		put64(ph + 32, s->notes.len);
		put64(ph + 40, s->notes.len);
	}
	if (nsh) {
		unsigned char *sh = p + shoff + 64;

		put32(sh, 1);				/* .shstrtab */
		put32(sh + 4, 3);
		put64(sh + 24, stroff);
		put64(sh + 32, sizeof(shstr));
		sh += 64;
		if (s->where == N_SECTION) {
			put32(sh, 11);			/* .note.Xen */
			put32(sh + 4, 7);
			put64(sh + 24, noteoff);
			put64(sh + 32, s->notes.len);
			sh += 64;
		}
		if (s->legacy) {
			put32(sh, 21);			/* __xen_guest */
			put32(sh + 4, 1);
			put64(sh + 24, legoff);
			put64(sh + 32, s->legacy_len);
		}
	}
}

/* --- compressing --------------------------------------------------------- */

static void
gz(const void *in, size_t len, struct xvm_buf *out)
{
	z_stream zs;
	size_t cap = len + len / 100 + 1024;

	memset(&zs, 0, sizeof(zs));
	xvm_buf_init(out);
	xvm_buf_pad(out, cap, 0);
	if (deflateInit2(&zs, 9, Z_DEFLATED, 16 + MAX_WBITS, 8,
	    Z_DEFAULT_STRATEGY) != Z_OK)
		abort();
	zs.next_in = (Bytef *)(uintptr_t)in;
	zs.avail_in = (uInt)len;
	zs.next_out = (Bytef *)out->data;
	zs.avail_out = (uInt)cap;
	if (deflate(&zs, Z_FINISH) != Z_STREAM_END)
		abort();
	out->len = zs.total_out;
	deflateEnd(&zs);
}

static void
xz(const void *in, size_t len, struct xvm_buf *out)
{
	size_t cap = len + len / 100 + 4096, pos = 0;

	xvm_buf_init(out);
	xvm_buf_pad(out, cap, 0);
	if (lzma_easy_buffer_encode(6, LZMA_CHECK_CRC32, NULL, in, len,
	    (uint8_t *)out->data, &pos, cap) != LZMA_OK)
		abort();
	out->len = pos;
}

static void
bz2(const void *in, size_t len, struct xvm_buf *out)
{
	unsigned cap = (unsigned)(len + len / 100 + 1024);

	xvm_buf_init(out);
	xvm_buf_pad(out, cap, 0);
	if (BZ2_bzBuffToBuffCompress(out->data, &cap, (char *)(uintptr_t)in,
	    (unsigned)len, 9, 0, 0) != BZ_OK)
		abort();
	out->len = cap;
}

/* A bzImage: setup_sects 3, payload at 0x10 past the protected-mode code. */
static void
bzimage_sects(const void *payload, size_t len, unsigned version,
    unsigned sects, struct xvm_buf *out)
{
	unsigned char *p;

	xvm_buf_init(out);
	xvm_buf_pad(out, ((sects ? sects : 4) + 1) * 512 + 0x10, 0);
	xvm_buf_add(out, payload, len);
	xvm_buf_add(out, "\0\0\0\0", 4);	/* the size Linux appends */
	p = (unsigned char *)out->data;
	p[0x1f1] = (unsigned char)sects;
	put16(p + 0x1fe, 0xaa55);
	memcpy(p + 0x202, "HdrS", 4);
	put16(p + 0x206, version);
	put32(p + 0x248, 0x10);
	put32(p + 0x24c, len);
}

static void
bzimage(const void *payload, size_t len, unsigned version, struct xvm_buf *out)
{
	bzimage_sects(payload, len, version, 3, out);
}

/* --- helpers ------------------------------------------------------------- */

static int
try(struct xvm_kimage *ki, const void *p, size_t len, size_t max,
    unsigned flags, struct xvm_err *err)
{
	struct xvm_kimage_opts o = { max, flags };

	xvm_err_clear(err);
	return xvm_kimage_parse(ki, "vmlinuz", p, len, &o, err);
}

/* Parse, expect failure with exactly msg. */
static void
refuse(const void *p, size_t len, size_t max, const char *msg,
    const char *what)
{
	struct xvm_kimage ki;
	struct xvm_err err;
	int rc = try(&ki, p, len, max, 0, &err);

	if (rc == 0) {
		T_OK(0, what);
		xvm_kimage_release(&ki);
		return;
	}
	T_STREQ(err.msg, msg, what);
	if (err.code != XVM_ERR_CONFIG)
		printf("#   code %d\n", err.code);
}

/* Build the spec, expect failure with exactly msg. */
static void
refuse_spec(const struct spec *s, const char *msg, const char *what)
{
	struct xvm_buf b;

	build(s, &b);
	refuse(b.data, b.len, 0, msg, what);
	xvm_buf_release(&b);
}

/* The Linux-like kernel, changed by one extra note appended. */
static void
refuse_note(void (*add)(struct xvm_buf *), const char *msg, const char *what)
{
	struct spec s;

	spec_linux(&s);
	add(&s.notes);
	refuse_spec(&s, msg, what);
	spec_release(&s);
}

static bool
segs_match(const struct xvm_kimage *ki)
{
	size_t i;

	if (ki->nsegs != 2 || ki->segs[0].filesz != 0x2000 ||
	    ki->segs[1].filesz != 0x100)
		return false;
	for (i = 0; i < 0x2000; i++)
		if (ki->segs[0].data[i] != (unsigned char)(i * 7))
			return false;
	for (i = 0; i < 0x100; i++)
		if (ki->segs[1].data[i] != (unsigned char)(i * 7 + 1))
			return false;
	return true;
}

/* --- the tests ----------------------------------------------------------- */

static void
test_plain(const struct xvm_buf *elf)
{
	struct xvm_kimage ki;
	struct xvm_err err;

	T_EQ(try(&ki, elf->data, elf->len, 0, 0, &err), 0, "plain ELF parses");
	T_STREQ(err.msg, "", "no error");
	T_EQ(ki.format, XVM_KIMAGE_ELF, "format ELF");
	T_EQ(ki.comp, XVM_KIMAGE_COMP_NONE, "not compressed");
	T_OK(ki.pv, "PV capable");
	T_OK(ki.pvh, "PVH capable too (PHYS32_ENTRY)");
	T_OK(ki.not_pv == NULL, "no reason against PV");
	T_OK(!ki.legacy, "from notes");
	T_EQ(ki.image_len, elf->len, "image is the file");
	T_EQ(ki.entry, KTEXT + 0x20, "ENTRY note wins over e_entry");
	T_EQ(ki.virt_base, VBASE, "virt_base");
	T_EQ(ki.paddr_offset, 0, "paddr_offset");
	T_EQ(ki.virt_offset, VBASE, "virt_offset");
	T_EQ(ki.pstart, 0x1000000, "pstart");
	T_EQ(ki.pend, 0x1401000, "pend");
	T_EQ(ki.kstart, KTEXT, "kstart");
	T_EQ(ki.kend, KTEXT + 0x401000, "kend");
	T_OK(ki.has_hypercall_page, "has hypercall page");
	T_EQ(ki.hypercall_page, KTEXT + 0x1000, "hypercall page");
	T_OK(ki.has_p2m_base, "has INIT_P2M");
	T_EQ(ki.p2m_base, 0x8000000000ULL, "INIT_P2M");
	T_OK(ki.has_hv_start_low, "has HV_START_LOW");
	T_EQ(ki.hv_start_low, 0xffff800000000000ULL, "HV_START_LOW");
	T_EQ(ki.phys32_entry, 0x1000040, "PHYS32_ENTRY");
	T_OK(ki.has_l1_mfn_valid && ki.l1_mfn_mask == 1 &&
	    ki.l1_mfn_value == 1, "L1_MFN_VALID mask and value");
	T_OK(ki.suspend_cancel, "SUSPEND_CANCEL");
	T_OK(ki.mod_start_pfn, "MOD_START_PFN");
	T_OK(!ki.bsd_symtab, "no BSD_SYMTAB");
	T_STREQ(ki.guest_os, "linux", "GUEST_OS");
	T_STREQ(ki.guest_version, "2.6", "GUEST_VERSION");
	T_STREQ(ki.xen_version, "xen-3.0", "XEN_VERSION");
	T_STREQ(ki.loader, "generic", "LOADER");
	T_STREQ(ki.features,
	    "!writable_page_tables|pae_pgdir_above_4gb|frobnicate",
	    "FEATURES as written");
	T_EQ(ki.pae, XVM_KIMAGE_PAE_EXTCR3, "PAE_MODE yes is extended-cr3");
	T_OK(xvm_kimage_has_feature(&ki, XVM_KIMAGE_F_WRITABLE_PAGE_TABLES),
	    "writable_page_tables supported");
	T_OK(xvm_kimage_has_feature(&ki, XVM_KIMAGE_F_PAE_PGDIR_ABOVE_4GB),
	    "pae_pgdir_above_4gb supported");
	T_OK(xvm_kimage_has_feature(&ki, XVM_KIMAGE_F_HVM_CALLBACK_VECTOR),
	    "SUPPORTED_FEATURES bitmap adds hvm_callback_vector");
	T_OK(!xvm_kimage_has_feature(&ki,
	    XVM_KIMAGE_F_AUTO_TRANSLATED_PHYSMAP),
	    "auto_translated_physmap not supported");
	T_EQ(ki.feat_required, XVM_KIMAGE_FEAT(0),
	    "only writable_page_tables required");
	T_EQ(ki.nsegs, 2, "two segments");
	T_EQ(ki.segs[0].vaddr, KTEXT, "segment 0 vaddr");
	T_EQ(ki.segs[0].paddr, 0x1000000, "segment 0 paddr");
	T_EQ(ki.segs[0].memsz, 0x3000, "segment 0 memsz");
	T_EQ(ki.segs[0].flags, 5, "segment 0 flags R+X");
	T_EQ(ki.segs[1].vaddr, KTEXT + 0x400000, "segment 1 vaddr");
	T_OK(segs_match(&ki), "segment bytes");
	T_OK(ki.segs[0].data >= ki.image &&
	    ki.segs[1].data + ki.segs[1].filesz <= ki.image + ki.image_len,
	    "segment bytes inside the owned image");
	xvm_kimage_release(&ki);
	T_OK(ki.image == NULL && ki.segs == NULL && ki.name == NULL,
	    "release empties");
	xvm_kimage_release(&ki);
	T_OK(1, "release is idempotent");
}

static void
test_compressed(const struct xvm_buf *elf)
{
	static const struct {
		void (*fn)(const void *, size_t, struct xvm_buf *);
		int comp;
		const char *name;
	} c[] = {
		{ gz, XVM_KIMAGE_COMP_GZIP, "gzip" },
		{ xz, XVM_KIMAGE_COMP_XZ, "xz" },
		{ bz2, XVM_KIMAGE_COMP_BZIP2, "bzip2" },
	};
	struct xvm_kimage ki;
	struct xvm_err err;
	struct xvm_buf z, bz, cut;
	char what[128], msg[256];
	size_t i;

	for (i = 0; i < XVM_ARRAY_SIZE(c); i++) {
		c[i].fn(elf->data, elf->len, &z);
		snprintf(what, sizeof(what), "%s ELF parses", c[i].name);
		T_EQ(try(&ki, z.data, z.len, 0, 0, &err), 0, what);
		snprintf(what, sizeof(what), "%s ELF: format, compression, "
		    "entry, bytes", c[i].name);
		T_OK(ki.format == XVM_KIMAGE_ELF && ki.comp == c[i].comp &&
		    ki.entry == KTEXT + 0x20 && ki.image_len == elf->len &&
		    segs_match(&ki), what);
		xvm_kimage_release(&ki);

		/* the same inside a bzImage */
		bzimage(z.data, z.len, 0x20f, &bz);
		snprintf(what, sizeof(what), "bzImage with %s payload parses",
		    c[i].name);
		T_EQ(try(&ki, bz.data, bz.len, 0, 0, &err), 0, what);
		snprintf(what, sizeof(what), "bzImage %s: format, boot "
		    "version, entry, bytes", c[i].name);
		T_OK(ki.format == XVM_KIMAGE_BZIMAGE &&
		    ki.comp == c[i].comp && ki.boot_version == 0x20f &&
		    ki.kstart == KTEXT && segs_match(&ki), what);
		xvm_kimage_release(&ki);

		/* a bomb: over a cap just below the ELF's size */
		snprintf(msg, sizeof(msg), "'vmlinuz': the %s data "
		    "decompresses to more than the limit of %zu bytes",
		    c[i].name, elf->len - 1);
		snprintf(what, sizeof(what), "%s over the cap", c[i].name);
		refuse(z.data, z.len, elf->len - 1, msg, what);
		snprintf(what, sizeof(what), "bzImage %s over the cap",
		    c[i].name);
		refuse(bz.data, bz.len, elf->len - 1, msg, what);

		/* cut short */
		xvm_buf_init(&cut);
		xvm_buf_add(&cut, z.data, z.len / 2);
		snprintf(msg, sizeof(msg), "'vmlinuz': the %s data is "
		    "truncated", c[i].name);
		snprintf(what, sizeof(what), "%s cut in half", c[i].name);
		refuse(cut.data, cut.len, 0, msg, what);
		xvm_buf_release(&cut);

		/* not an ELF inside */
		xvm_buf_release(&z);
		c[i].fn("hello, world\n", 13, &z);
		snprintf(msg, sizeof(msg), "'vmlinuz': the %s data does not "
		    "decompress to an ELF kernel or a bzImage", c[i].name);
		snprintf(what, sizeof(what), "%s of text", c[i].name);
		refuse(z.data, z.len, 0, msg, what);
		xvm_buf_release(&bz);
		bzimage(z.data, z.len, 0x20f, &bz);
		snprintf(what, sizeof(what), "bzImage with %s of text",
		    c[i].name);
		refuse(bz.data, bz.len, 0, "'vmlinuz': the bzImage payload "
		    "does not decompress to an ELF kernel", what);
		xvm_buf_release(&bz);
		xvm_buf_release(&z);
	}

	/* corrupt gzip: flip bytes in the middle of the deflate data */
	gz(elf->data, elf->len, &z);
	memset(z.data + 20, 0xff, 16);
	xvm_err_clear(&err);
	T_EQ(try(&ki, z.data, z.len, 0, 0, &err), -1, "corrupt gzip refused");
	T_OK(xvm_has_prefix(err.msg, "'vmlinuz': the gzip data is corrupt"),
	    "corrupt gzip message");
	xvm_buf_release(&z);

	/* a gzipped bzImage */
	gz(elf->data, elf->len, &z);
	bzimage(z.data, z.len, 0x20f, &bz);
	xvm_buf_release(&z);
	xz(bz.data, bz.len, &z);
	T_EQ(try(&ki, z.data, z.len, 0, 0, &err), 0,
	    "xz-compressed bzImage parses");
	T_OK(ki.format == XVM_KIMAGE_BZIMAGE && segs_match(&ki),
	    "xz-compressed bzImage contents");
	xvm_kimage_release(&ki);
	xvm_buf_release(&z);
	xvm_buf_release(&bz);
}

static void
test_bomb(void)
{
	struct xvm_buf zeros, z;

	/* 8 MiB of zeros compress to a few KiB: refuse at a 1 MiB cap */
	xvm_buf_init(&zeros);
	xvm_buf_pad(&zeros, 8 << 20, 0);
	gz(zeros.data, zeros.len, &z);
	T_OK(z.len < 65536, "gzip bomb is small");
	refuse(z.data, z.len, 1 << 20, "'vmlinuz': the gzip data "
	    "decompresses to more than the limit of 1048576 bytes",
	    "gzip bomb stops at the cap");
	xvm_buf_release(&z);
	xz(zeros.data, zeros.len, &z);
	refuse(z.data, z.len, 1 << 20, "'vmlinuz': the xz data "
	    "decompresses to more than the limit of 1048576 bytes",
	    "xz bomb stops at the cap");
	xvm_buf_release(&z);
	bz2(zeros.data, zeros.len, &z);
	refuse(z.data, z.len, 1 << 20, "'vmlinuz': the bzip2 data "
	    "decompresses to more than the limit of 1048576 bytes",
	    "bzip2 bomb stops at the cap");
	xvm_buf_release(&z);
	xvm_buf_release(&zeros);
	refuse("\177ELF\2\1", 4096, 4095,
	    "'vmlinuz' is larger than the limit of 4095 bytes",
	    "input over the cap");
}

static void
test_bzimage(const struct xvm_buf *elf)
{
	static const struct {
		const char *magic;
		size_t len;
		const char *name;
	} un[] = {
		{ "\x5d\0\0\x80\0", 5, "lzma" },
		{ "\x89LZO\0\r\n", 7, "lzo" },
		{ "\x04\x22\x4d\x18", 4, "lz4" },	/* the frame format */
		{ "\x28\xb5\x2f\xfd", 4, "zstd" },
	};
	struct xvm_kimage ki;
	struct xvm_err err;
	struct xvm_buf bz, raw;
	char what[128], msg[256];
	size_t i;

	bzimage(elf->data, elf->len, 0x20d, &bz);
	T_EQ(try(&ki, bz.data, bz.len, 0, 0, &err), 0,
	    "bzImage with an uncompressed ELF parses");
	T_OK(ki.comp == XVM_KIMAGE_COMP_NONE && segs_match(&ki) &&
	    ki.boot_version == 0x20d, "uncompressed payload contents");
	xvm_kimage_release(&ki);

	/* setup_sects 0 means 4 */
	bzimage_sects(elf->data, elf->len, 0x20d, 0, &raw);
	T_EQ(try(&ki, raw.data, raw.len, 0, 0, &err), 0,
	    "setup_sects 0 counts as 4");
	xvm_kimage_release(&ki);
	xvm_buf_release(&raw);

	put16((unsigned char *)bz.data + 0x206, 0x207);
	refuse(bz.data, bz.len, 0, "'vmlinuz': bzImage boot protocol 2.07 is "
	    "too old (2.08 or later is needed)", "boot protocol 2.07");
	put16((unsigned char *)bz.data + 0x206, 0x20f);
	refuse(bz.data, 0x24f, 0, "'vmlinuz' is truncated: the bzImage header "
	    "needs 592 bytes, the file has 591", "bzImage header cut short");
	put32((unsigned char *)bz.data + 0x248, 0x7fffff00);
	refuse(bz.data, bz.len, 0, "'vmlinuz': the bzImage payload offset "
	    "0x80000700 is past the end of the file (0x2c0c bytes)",
	    "payload offset past the end");
	put32((unsigned char *)bz.data + 0x248, 0x10);
	put32((unsigned char *)bz.data + 0x24c, 0xffffffff);
	refuse(bz.data, bz.len, 0, "'vmlinuz' is truncated: the bzImage "
	    "payload needs bytes 0x810-0x10000080f, the file has 0x2c0c",
	    "payload length past the end");
	xvm_buf_release(&bz);

	for (i = 0; i < XVM_ARRAY_SIZE(un); i++) {
		xvm_buf_init(&raw);
		xvm_buf_add(&raw, un[i].magic, un[i].len);
		xvm_buf_pad(&raw, 64, 'x');
		snprintf(msg, sizeof(msg), "'vmlinuz': compression %s is not "
		    "supported (xvm reads gzip, xz, bzip2 and legacy lz4 "
		    "kernels)", un[i].name);
		snprintf(what, sizeof(what), "whole file %s refused",
		    un[i].name);
		refuse(raw.data, raw.len, 0, msg, what);
		bzimage(raw.data, raw.len, 0x20f, &bz);
		snprintf(what, sizeof(what), "bzImage %s payload refused",
		    un[i].name);
		refuse(bz.data, bz.len, 0, msg, what);
		xvm_buf_release(&bz);
		xvm_buf_release(&raw);
	}
	bzimage("garbage!", 8, 0x20f, &bz);
	refuse(bz.data, bz.len, 0, "'vmlinuz': the bzImage payload is in an "
	    "unknown format", "unknown payload");
	xvm_buf_release(&bz);
}

/* lz4's legacy container: magic, then "size, block" with blocks of 8 MiB. */
static void
lz4_legacy(const void *data, size_t len, struct xvm_buf *out)
{
	int cap = LZ4_compressBound((int)len);
	char *block = malloc((size_t)cap);
	int n = LZ4_compress_default(data, block, (int)len, cap);
	unsigned char h[4];

	if (n <= 0)
		abort();
	xvm_buf_init(out);
	xvm_buf_add(out, "\x02\x21\x4c\x18", 4);
	h[0] = (unsigned char)n;
	h[1] = (unsigned char)(n >> 8);
	h[2] = (unsigned char)(n >> 16);
	h[3] = (unsigned char)(n >> 24);
	xvm_buf_add(out, h, 4);
	xvm_buf_add(out, block, (size_t)n);
	free(block);
}

static void
test_lz4(const struct xvm_buf *elf)
{
	struct xvm_kimage ki;
	struct xvm_err err;
	struct xvm_buf z, bz;

	lz4_legacy(elf->data, elf->len, &z);
	T_EQ(try(&ki, z.data, z.len, 0, 0, &err), 0,
	    "a legacy-lz4 ELF parses (as Debian compresses its kernels)");
	T_OK(ki.comp == XVM_KIMAGE_COMP_LZ4 && segs_match(&ki),
	    "legacy lz4 contents");
	xvm_kimage_release(&ki);
	/* in a bzImage the payload ends with the 4-byte decompressed size */
	xvm_buf_add(&z, "\x00\x30\x00\x00", 4);
	bzimage(z.data, z.len, 0x20f, &bz);
	T_EQ(try(&ki, bz.data, bz.len, 0, 0, &err), 0,
	    "a bzImage with a legacy-lz4 payload and its size trailer");
	T_OK(ki.comp == XVM_KIMAGE_COMP_LZ4 && segs_match(&ki),
	    "bzImage lz4 contents");
	xvm_kimage_release(&ki);
	xvm_buf_release(&bz);
	refuse(z.data, z.len, 0x1000, "'vmlinuz': the lz4 data decompresses "
	    "to more than the limit of 4096 bytes", "lz4 over the cap");
	((unsigned char *)z.data)[12] ^= 0xff;
	((unsigned char *)z.data)[13] ^= 0xff;
	T_EQ(try(&ki, z.data, z.len, 0, 0, &err), -1, "corrupt lz4 refused");
	T_OK(strstr(err.msg, "lz4") != NULL, "and the message says lz4");
	xvm_buf_release(&z);
	xvm_buf_init(&z);
	xvm_buf_add(&z, "\x02\x21\x4c\x18\xff\xff\x00\x00xx", 10);
	refuse(z.data, z.len, 0, "'vmlinuz': the lz4 data is truncated or "
	    "corrupt", "truncated lz4");
	xvm_buf_release(&z);
}

static void
test_truncation(const struct xvm_buf *elf)
{
	struct xvm_kimage ki;
	struct xvm_err err;
	struct xvm_buf z;
	size_t n, used, bad = 0, nomsg = 0;

	/* every prefix of the ELF's used bytes fails, with a message */
	if (try(&ki, elf->data, elf->len, 0, 0, &err) < 0)
		abort();
	used = (size_t)(ki.segs[1].data + ki.segs[1].filesz - ki.image);
	xvm_kimage_release(&ki);
	T_OK(used > 0x2000 && used <= elf->len, "the ELF's used bytes");
	for (n = 0; n < used; n++) {
		if (try(&ki, elf->data, n, 0, 0, &err) == 0) {
			bad++;
			xvm_kimage_release(&ki);
		} else if (err.msg[0] == '\0') {
			nomsg++;
		}
	}
	T_EQ(bad, 0, "no prefix of the ELF parses");
	T_EQ(nomsg, 0, "every prefix gets a message");
	gz(elf->data, elf->len, &z);
	for (n = 0, bad = 0; n < z.len; n++)
		if (try(&ki, z.data, n, 0, 0, &err) == 0) {
			bad++;
			xvm_kimage_release(&ki);
		}
	T_EQ(bad, 0, "no prefix of the gzip parses");
	xvm_buf_release(&z);

	refuse(elf->data, 5, 0, "'vmlinuz' is truncated: the ELF header needs "
	    "64 bytes, the file has 5", "5 bytes of ELF");
	refuse(elf->data, 63, 0, "'vmlinuz' is truncated: the ELF header "
	    "needs 64 bytes, the file has 63", "63 bytes of ELF");
	refuse(elf->data, 100, 0, "'vmlinuz' is truncated: the program "
	    "header table needs bytes 0x40-0xe8, the file has 0x64",
	    "program headers cut");
	refuse(elf->data, 0x300, 0, "'vmlinuz' is truncated: segment 0 needs "
	    "bytes 0x2d0-0x22d0, the file has 0x300", "segment data cut");
	refuse("", 0, 0, "'vmlinuz' is not a kernel: it is neither an ELF "
	    "file, a bzImage nor a gzip, xz or bzip2 compressed one",
	    "empty input");
	refuse("#!/bin/sh\necho hi\n", 18, 0, "'vmlinuz' is not a kernel: it "
	    "is neither an ELF file, a bzImage nor a gzip, xz or bzip2 "
	    "compressed one", "a shell script");
}

static void
test_header(void)
{
	struct spec s;

	spec_linux(&s);
	s.class = 1;
	refuse_spec(&s, "'vmlinuz' is a 32-bit ELF kernel: xvm builds x86_64 "
	    "(64-bit) PV guests only", "ELF32 refused");
	s.class = 3;
	refuse_spec(&s, "'vmlinuz': unknown ELF class 3", "ELF class 3");
	s.class = 2;
	s.data = 2;
	refuse_spec(&s, "'vmlinuz' is not a little-endian ELF file",
	    "big-endian refused");
	s.data = 1;
	s.machine = 3;
	refuse_spec(&s, "'vmlinuz' is an i386 kernel: xvm builds x86_64 "
	    "(64-bit) PV guests only", "EM_386 refused");
	s.machine = 183;
	refuse_spec(&s, "'vmlinuz': unknown ELF machine 183 (xvm runs x86_64 "
	    "kernels)", "aarch64 refused");
	s.machine = 62;
	s.type = 1;
	refuse_spec(&s, "'vmlinuz': ELF type 1 is not an executable (ET_EXEC "
	    "or ET_DYN)", "ET_REL refused");
	s.type = 3;
	{
		struct xvm_buf b;
		struct xvm_kimage ki;
		struct xvm_err err;

		build(&s, &b);
		T_EQ(try(&ki, b.data, b.len, 0, 0, &err), 0,
		    "ET_DYN accepted");
		xvm_kimage_release(&ki);
		xvm_buf_release(&b);
	}
	s.type = 2;
	s.phentsize = 32;
	refuse_spec(&s, "'vmlinuz': bad ELF program header size 32",
	    "program header size");
	spec_release(&s);
}

static void
test_layout(void)
{
	struct spec s;
	struct xvm_buf b;
	struct xvm_kimage ki;
	struct xvm_err err;

	spec_linux(&s);
	s.seg[1].paddr = 0x1002000;
	refuse_spec(&s, "'vmlinuz': segments at 0x1000000-0x1003000 and "
	    "0x1002000-0x1003000 overlap", "overlapping segments");
	s.seg[1].paddr = 0x1400000;
	s.seg[1].filesz = 0x2000;
	refuse_spec(&s, "'vmlinuz': segment 1 has more file bytes (0x2000) "
	    "than memory bytes (0x1000)", "filesz over memsz");
	s.seg[1].filesz = 0x100;
	s.seg[1].off = 0xfffffffffffffff0ULL;
	refuse_spec(&s, "'vmlinuz' is truncated: segment 1 needs bytes "
	    "0xfffffffffffffff0-0xffffffffffffffff, the file has 0x23f8",
	    "segment offset overflow");
	s.seg[1].off = 0;
	s.seg[1].paddr = 0xfffffffffffff800ULL;
	refuse_spec(&s, "'vmlinuz': segment 1 wraps around the address space",
	    "segment wraps");
	s.seg[1].paddr = 0x1400000;
	s.seg[1].memsz = 0x7fffffffffffULL;
	refuse_spec(&s, "'vmlinuz': segment 1 occupies 0x7fffffffffff bytes, "
	    "more than the limit of 1073741824", "absurd memsz");
	s.seg[1].memsz = 0x1000;
	s.seg[1].paddr = 0x80000000;
	refuse_spec(&s, "'vmlinuz': the kernel spans 0x7f001000 bytes of "
	    "memory, more than the limit of 1073741824", "absurd extent");
	s.seg[1].paddr = 0x1400000;
	s.seg[0].flags = 0;
	s.seg[1].type = 6;
	refuse_spec(&s, "'vmlinuz' has no loadable segments",
	    "no loadable segments");
	s.seg[0].flags = 5;
	s.seg[1].type = 1;

	/* a zero-sized PT_LOAD is skipped */
	s.seg[2] = (struct tseg){ 1, 4, 0x9000000, 0, 0, 0, 0 };
	s.nseg = 3;
	build(&s, &b);
	T_EQ(try(&ki, b.data, b.len, 0, 0, &err), 0, "empty PT_LOAD skipped");
	T_EQ(ki.nsegs, 2, "still two segments");
	xvm_kimage_release(&ki);
	xvm_buf_release(&b);
	spec_release(&s);

	/* entry, p2m and hypercall page placement */
	spec_linux(&s);
	note_num(&s.notes, 1, KTEXT - 1, 8);
	refuse_spec(&s, "'vmlinuz': entry point 0xffffffff80ffffff is outside "
	    "the kernel at 0xffffffff81000000-0xffffffff81401000",
	    "entry below the kernel");
	note_num(&s.notes, 1, KTEXT + 0x401000, 8);
	build(&s, &b);
	T_EQ(try(&ki, b.data, b.len, 0, 0, &err), 0,
	    "entry at the very end is allowed (as Xen)");
	xvm_kimage_release(&ki);
	xvm_buf_release(&b);
	note_num(&s.notes, 1, KTEXT + 0x401001, 8);
	refuse_spec(&s, "'vmlinuz': entry point 0xffffffff81401001 is outside "
	    "the kernel at 0xffffffff81000000-0xffffffff81401000",
	    "entry past the kernel");
	note_num(&s.notes, 1, KTEXT, 8);
	note_num(&s.notes, 15, KTEXT + 0x2000, 8);
	refuse_spec(&s, "'vmlinuz': INIT_P2M 0xffffffff81002000 lies inside "
	    "the kernel at 0xffffffff81000000-0xffffffff81401000",
	    "p2m inside the kernel");
	note_num(&s.notes, 15, 0x8000000000ULL, 8);
	note_num(&s.notes, 2, VBASE, 8);
	refuse_spec(&s, "'vmlinuz': hypercall page 0xffffffff80000000 is "
	    "outside the kernel at 0xffffffff81000000-0xffffffff81401000",
	    "hypercall page outside");
	note_num(&s.notes, 2, KTEXT, 8);
	note_num(&s.notes, 4, 0x1001000, 8);
	refuse_spec(&s, "'vmlinuz': the kernel starts at 0xffffffff7ffff000, "
	    "below its VIRT_BASE 0xffffffff80000000", "vaddr below virt_base");
	note_num(&s.notes, 4, 0, 8);
	note_num(&s.notes, 3, 0xfffffffffee00000ULL, 8);
	refuse_spec(&s, "'vmlinuz': the kernel's virtual addresses wrap around "
	    "(VIRT_BASE 0xfffffffffee00000, PADDR_OFFSET 0x0, segments "
	    "0x1000000-0x1401000)", "virtual extent wraps");
	spec_release(&s);

	/* defaults: no VIRT_BASE, no PADDR_OFFSET, no ENTRY */
	spec_linux(&s);
	xvm_buf_reset(&s.notes);
	note_str(&s.notes, 6, "linux");
	note_str(&s.notes, 5, "xen-3.0");
	s.entry = 0x1000100;
	build(&s, &b);
	T_EQ(try(&ki, b.data, b.len, 0, 0, &err), 0, "minimal notes parse");
	T_OK(ki.virt_base == 0 && ki.paddr_offset == 0 &&
	    ki.kstart == 0x1000000 && ki.entry == 0x1000100 &&
	    ki.segs[0].vaddr == 0x1000000, "defaults: 0, 0, e_entry");
	T_OK(!ki.has_hypercall_page && !ki.has_p2m_base && ki.loader == NULL,
	    "absent values are absent");
	xvm_kimage_release(&ki);
	xvm_buf_release(&b);
	note_num(&s.notes, 4, 0, 8);
	refuse_spec(&s, "'vmlinuz': the kernel sets PADDR_OFFSET but not "
	    "VIRT_BASE", "PADDR_OFFSET without VIRT_BASE");
	spec_release(&s);
}

static void
add_bad_size(struct xvm_buf *b)
{
	note_raw(b, "Xen", 1, "\1\2\3", 3);
}

static void
add_bad_l1(struct xvm_buf *b)
{
	note_raw(b, "Xen", 13, "\1\2\3\4", 4);
}

static void
add_unprintable(struct xvm_buf *b)
{
	note_str(b, 6, "lin\033ux");
}

static void
add_required(struct xvm_buf *b)
{
	note_str(b, 10, "writable_page_tables|!frobnicate");
}

static void
add_truncated(struct xvm_buf *b)
{
	unsigned char h[12];

	put32(h, 4);
	put32(h + 4, 4096);
	put32(h + 8, 1);
	xvm_buf_add(b, h, 12);
	xvm_buf_add(b, "Xen", 4);
}

static void
add_stub(struct xvm_buf *b)
{
	xvm_buf_add(b, "\4\0\0\0\0\0", 6);
}

static void
add_dom0(struct xvm_buf *b)
{
	note_str(b, 10, "!dom0");
}

static void
add_long(struct xvm_buf *b)
{
	char s[1100];

	memset(s, 'a', sizeof(s) - 1);
	s[sizeof(s) - 1] = '\0';
	note_str(b, 7, s);
}

static void
add_bsd(struct xvm_buf *b)
{
	note_str(b, 11, "yes");
}

static void
test_notes(void)
{
	struct spec s;
	struct xvm_buf b;
	struct xvm_kimage ki;
	struct xvm_err err;

	refuse_note(add_bad_size, "'vmlinuz': Xen ELF note ENTRY has a bad "
	    "size (3 bytes)", "numeric note of 3 bytes");
	refuse_note(add_bad_l1, "'vmlinuz': Xen ELF note L1_MFN_VALID has a "
	    "bad size (4 bytes)", "L1_MFN_VALID of 4 bytes");
	refuse_note(add_unprintable, "'vmlinuz': Xen ELF note GUEST_OS is not "
	    "printable text", "escape in GUEST_OS");
	refuse_note(add_long, "'vmlinuz': Xen ELF note GUEST_VERSION is longer "
	    "than 1024 characters", "over-long string note");
	refuse_note(add_required, "'vmlinuz': the kernel requires the unknown "
	    "Xen feature 'frobnicate'", "unknown required feature");
	refuse_note(add_truncated, "'vmlinuz': truncated ELF note at offset "
	    "0x1e0 of segment 2", "note overruns its segment");
	refuse_note(add_stub, "'vmlinuz': truncated ELF note at offset 0x1e0 "
	    "of segment 2", "6 stray bytes after the notes");
	refuse_note(add_dom0, "'vmlinuz' cannot run as a guest: it requires "
	    "the dom0 feature", "dom0-only kernel");

	/* BSD_SYMTAB without a symbol table is harmless */
	spec_linux(&s);
	add_bsd(&s.notes);
	build(&s, &b);
	T_EQ(try(&ki, b.data, b.len, 0, 0, &err), 0,
	    "BSD_SYMTAB without a symtab parses");
	T_OK(ki.bsd_symtab, "BSD_SYMTAB yes");
	xvm_kimage_release(&ki);
	xvm_buf_release(&b);
	spec_release(&s);

	/* no Xen notes at all; non-Xen notes only */
	spec_linux(&s);
	s.where = N_NONE;
	refuse_spec(&s, "'vmlinuz' is not a Xen PV kernel: it has no Xen ELF "
	    "notes or __xen_guest section", "no notes");
	xvm_buf_reset(&s.notes);
	note_raw(&s.notes, "GNU", 3, "\1\2\3\4", 4);
	note_raw(&s.notes, "Xe", 1, "\1\2\3\4", 4);
	s.where = N_PHDR;
	refuse_spec(&s, "'vmlinuz' is not a Xen PV kernel: it has no Xen ELF "
	    "notes or __xen_guest section", "only GNU notes");
	spec_release(&s);

	/* the notes in a SHT_NOTE section instead of a PT_NOTE */
	spec_linux(&s);
	s.where = N_SECTION;
	build(&s, &b);
	T_EQ(try(&ki, b.data, b.len, 0, 0, &err), 0, "SHT_NOTE notes parse");
	T_OK(ki.pv && ki.kstart == KTEXT && ki.entry == KTEXT + 0x20 &&
	    xvm_streq(ki.guest_os, "linux"), "SHT_NOTE values");
	xvm_kimage_release(&ki);
	xvm_buf_release(&b);
	spec_release(&s);

	/* Xen's PV checks, and probing past them */
	spec_linux(&s);
	xvm_buf_reset(&s.notes);
	note_str(&s.notes, 6, "NetBSD");
	note_str(&s.notes, 5, "xen-3.0");
	note_num(&s.notes, 18, 0x1000000, 4);
	refuse_spec(&s, "'vmlinuz' is not a Xen PV kernel: it is built neither "
	    "for the generic loader nor as Linux (LOADER '', GUEST_OS "
	    "'NetBSD'); it is a PVH kernel", "PVH-only kernel refused");
	build(&s, &b);
	T_EQ(try(&ki, b.data, b.len, 0, XVM_KIMAGE_PROBE, &err), 0,
	    "probing accepts it");
	T_OK(!ki.pv && ki.pvh && ki.phys32_entry == 0x1000000,
	    "probe: not PV, PVH");
	T_STREQ(ki.not_pv, "'vmlinuz' is not a Xen PV kernel: it is built "
	    "neither for the generic loader nor as Linux (LOADER '', GUEST_OS "
	    "'NetBSD'); it is a PVH kernel", "probe: the reason");
	xvm_kimage_release(&ki);
	xvm_buf_release(&b);
	xvm_buf_reset(&s.notes);
	note_str(&s.notes, 6, "linux");
	note_str(&s.notes, 5, "xen-2.0");
	refuse_spec(&s, "'vmlinuz' is not a Xen PV kernel: it is built for Xen "
	    "interface 'xen-2.0', not 'xen-3.0'", "old interface");
	xvm_buf_reset(&s.notes);
	note_str(&s.notes, 8, "generic");
	refuse_spec(&s, "'vmlinuz' is not a Xen PV kernel: it is built for Xen "
	    "interface '', not 'xen-3.0'", "no XEN_VERSION");
	note_str(&s.notes, 5, "xen-3.0");
	note_str(&s.notes, 9, "bimodal");
	s.entry = 0x1000000;
	build(&s, &b);
	T_EQ(try(&ki, b.data, b.len, 0, 0, &err), 0, "LOADER generic alone");
	T_EQ(ki.pae, XVM_KIMAGE_PAE_BIMODAL, "PAE_MODE bimodal");
	xvm_kimage_release(&ki);
	xvm_buf_release(&b);
	spec_release(&s);
}

static void
legacy(struct spec *s, const char *str)
{
	spec_linux(s);
	s->where = N_NONE;
	s->legacy = str;
	s->legacy_len = strlen(str) + 1;
}

static void
test_legacy(void)
{
	struct spec s;
	struct xvm_buf b;
	struct xvm_kimage ki;
	struct xvm_err err;
	char big[300];

	/* Solaris-style: paddr offset defaults to virt_base */
	legacy(&s, "GUEST_OS=Solaris,GUEST_VER=5.11,XEN_VER=xen-3.0,"
	    "LOADER=generic,VIRT_BASE=0xffffffff80000000,HYPERCALL_PAGE=0x1001,"
	    "PAE=yes,FEATURES=writable_page_tables,UNKNOWN=1,BARE,,");
	s.seg[0].paddr = KTEXT;
	s.seg[1].paddr = KTEXT + 0x400000;
	s.entry = KTEXT + 0x100;
	build(&s, &b);
	T_EQ(try(&ki, b.data, b.len, 0, 0, &err), 0, "Solaris string parses");
	T_STREQ(err.msg, "", "Solaris string: no error");
	T_OK(ki.legacy && ki.pv, "legacy, PV");
	T_STREQ(ki.guest_os, "Solaris", "legacy GUEST_OS");
	T_STREQ(ki.guest_version, "5.11", "legacy GUEST_VER");
	T_STREQ(ki.xen_version, "xen-3.0", "legacy XEN_VER");
	T_STREQ(ki.loader, "generic", "legacy LOADER");
	T_EQ(ki.virt_base, VBASE, "legacy VIRT_BASE");
	T_EQ(ki.paddr_offset, VBASE, "legacy paddr offset defaults to "
	    "virt_base");
	T_EQ(ki.virt_offset, 0, "legacy virt_offset 0");
	T_EQ(ki.kstart, KTEXT, "legacy kstart");
	T_EQ(ki.entry, KTEXT + 0x100, "legacy entry from e_entry");
	T_EQ(ki.hypercall_page, KTEXT + 0x1000,
	    "legacy HYPERCALL_PAGE is a pfn from virt_base");
	T_EQ(ki.pae, XVM_KIMAGE_PAE_YES, "legacy PAE=yes");
	T_OK(xvm_kimage_has_feature(&ki, XVM_KIMAGE_F_WRITABLE_PAGE_TABLES),
	    "legacy FEATURES");
	xvm_kimage_release(&ki);
	xvm_buf_release(&b);
	spec_release(&s);

	/* old Linux: explicit ELF_PADDR_OFFSET and VIRT_ENTRY */
	legacy(&s, "GUEST_OS=linux,GUEST_VER=2.6,XEN_VER=xen-3.0,"
	    "VIRT_BASE=0xffffffff80000000,ELF_PADDR_OFFSET=0,"
	    "VIRT_ENTRY=0xffffffff81000040,PAE=yes[extended-cr3],BSD_SYMTAB");
	build(&s, &b);
	T_EQ(try(&ki, b.data, b.len, 0, 0, &err), 0, "Linux string parses");
	T_OK(ki.paddr_offset == 0 && ki.kstart == KTEXT &&
	    ki.entry == KTEXT + 0x40 && !ki.has_hypercall_page &&
	    ki.pae == XVM_KIMAGE_PAE_EXTCR3 && ki.bsd_symtab,
	    "Linux string values");
	xvm_kimage_release(&ki);
	xvm_buf_release(&b);
	spec_release(&s);

	/* notes win over the string */
	spec_linux(&s);
	s.legacy = "GUEST_OS=Solaris,XEN_VER=xen-3.0,LOADER=generic";
	s.legacy_len = strlen(s.legacy) + 1;
	build(&s, &b);
	T_EQ(try(&ki, b.data, b.len, 0, 0, &err), 0, "notes and string");
	T_OK(!ki.legacy && xvm_streq(ki.guest_os, "linux"), "notes win");
	xvm_kimage_release(&ki);
	xvm_buf_release(&b);
	spec_release(&s);

	/* without a NUL: bounded by the section */
	legacy(&s, "GUEST_OS=linux,XEN_VER=xen-3.0,VIRT_BASE=0xffffffff80000000"
	    ",ELF_PADDR_OFFSET=0");
	s.legacy_len--;
	build(&s, &b);
	T_EQ(try(&ki, b.data, b.len, 0, 0, &err), 0, "string without NUL");
	T_EQ(ki.paddr_offset, 0, "last item read to the section end");
	xvm_kimage_release(&ki);
	xvm_buf_release(&b);
	spec_release(&s);

	legacy(&s, "GUEST_OS=linux,XEN_VER=xen-3.0,VIRT_BASE=0xffffffff8000zz");
	refuse_spec(&s, "'vmlinuz': bad VIRT_BASE value '0xffffffff8000zz' in "
	    "the __xen_guest section", "bad VIRT_BASE");
	spec_release(&s);
	legacy(&s, "GUEST_OS=linux,XEN_VER=xen-3.0,VIRT_BASE=");
	refuse_spec(&s, "'vmlinuz': bad VIRT_BASE value '' in the __xen_guest "
	    "section", "empty VIRT_BASE");
	spec_release(&s);
	legacy(&s, "GUEST_OS=linux,VIRT_ENTRY=0x1ffffffffffffffff");
	refuse_spec(&s, "'vmlinuz': bad VIRT_ENTRY value '0x1ffffffffffffffff' "
	    "in the __xen_guest section", "VIRT_ENTRY overflows 64 bits");
	spec_release(&s);
	legacy(&s, "GUEST_OS=linux,ELF_PADDR_OFFSET=09");
	refuse_spec(&s, "'vmlinuz': bad ELF_PADDR_OFFSET value '09' in the "
	    "__xen_guest section", "bad octal");
	spec_release(&s);
	legacy(&s, "GUEST_OS=linux,HYPERCALL_PAGE=0x10000000000000");
	refuse_spec(&s, "'vmlinuz': HYPERCALL_PAGE '0x10000000000000' in the "
	    "__xen_guest section is out of range", "hypercall pfn overflows");
	spec_release(&s);
	legacy(&s, "GUEST_OS=linux,VIRT_BASE=0xfffffffffffff000,"
	    "HYPERCALL_PAGE=0x2");
	refuse_spec(&s, "'vmlinuz': HYPERCALL_PAGE in the __xen_guest section "
	    "is out of range", "hypercall page past 2^64");
	spec_release(&s);
	legacy(&s, "GUEST_OS=linux,XEN_VER=xen-3.0,ELF_PADDR_OFFSET=0");
	refuse_spec(&s, "'vmlinuz': the kernel sets ELF_PADDR_OFFSET but not "
	    "VIRT_BASE", "ELF_PADDR_OFFSET without VIRT_BASE");
	spec_release(&s);
	legacy(&s, "GUEST_OS=lin\tux,XEN_VER=xen-3.0");
	refuse_spec(&s, "'vmlinuz': __xen_guest item GUEST_OS is not printable "
	    "text", "tab in GUEST_OS");
	spec_release(&s);
	legacy(&s, "GUEST_OS=linux,XEN_VER=xen-3.0,FEATURES=!nope");
	refuse_spec(&s, "'vmlinuz': the kernel requires the unknown Xen feature "
	    "'nope'", "legacy unknown required feature");
	spec_release(&s);
	memset(big, 'A', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	memcpy(big, "GUEST_OS=", 9);
	legacy(&s, big);
	refuse_spec(&s, "'vmlinuz': over-long item 'GUEST_OS=AAAAAAAAAAAAAAAAAAA"
	    "AAAAAAAAAAAA...' in the __xen_guest section", "over-long value");
	spec_release(&s);
	legacy(&s, "GUEST_OS=Solaris,XEN_VER=xen-3.0");
	refuse_spec(&s, "'vmlinuz' is not a Xen PV kernel: it is built neither "
	    "for the generic loader nor as Linux (LOADER '', GUEST_OS "
	    "'Solaris')", "Solaris string without LOADER");
	spec_release(&s);
}

static void
test_load(const struct xvm_buf *elf)
{
	char path[] = "/tmp/t_kimage.XXXXXX";
	struct xvm_kimage_opts o = { 4096, 0 };
	struct xvm_kimage ki;
	struct xvm_err err;
	struct xvm_buf z;
	char msg[256];
	int fd;

	fd = mkstemp(path);
	if (fd < 0)
		abort();
	xz(elf->data, elf->len, &z);
	if (write(fd, z.data, z.len) != (ssize_t)z.len)
		abort();
	close(fd);
	xvm_err_clear(&err);
	T_EQ(xvm_kimage_load(&ki, path, NULL, &err), 0, "load from a file");
	T_OK(ki.comp == XVM_KIMAGE_COMP_XZ && segs_match(&ki) &&
	    xvm_streq(ki.name, path), "loaded contents and name");
	xvm_kimage_release(&ki);
	xvm_buf_release(&z);

	fd = open(path, O_WRONLY | O_TRUNC);
	if (fd < 0 || write(fd, elf->data, elf->len) != (ssize_t)elf->len)
		abort();
	close(fd);
	T_EQ(xvm_kimage_load(&ki, path, &o, &err), -1, "file over the cap");
	snprintf(msg, sizeof(msg), "'%s' is larger than the limit of 4096 "
	    "bytes", path);
	T_STREQ(err.msg, msg, "file over the cap message");
	T_EQ(err.code, XVM_ERR_CONFIG, "file over the cap: config error");
	o.max_size = 0;
	T_EQ(xvm_kimage_load(&ki, path, &o, &err), 0, "max_size 0 = default");
	xvm_kimage_release(&ki);
	unlink(path);
	T_EQ(xvm_kimage_load(&ki, path, NULL, &err), -1, "missing file");
	T_EQ(err.code, XVM_ERR_SYSTEM, "missing file: system error");
	T_EQ(xvm_kimage_parse(&ki, "x", NULL, 5, NULL, &err), -1,
	    "NULL data refused");
	T_EQ(err.code, XVM_ERR_INVALID_ARG, "NULL data: invalid argument");
}

/*
 * The project's test guest (tests/guest), built beside this binary: what
 * the PV builder will load.  Real Xen 4.17 boots it (see tests/guest).
 */
static void
test_guest(const char *argv0)
{
	char *path = t_guest_path(argv0);
	struct xvm_kimage ki;
	struct xvm_err err;
	const uint64_t base = 0xffffffff80000000ull;

	xvm_err_clear(&err);
	if (xvm_kimage_load(&ki, path, NULL, &err) < 0) {
		T_OK(false, "the test guest loads");
		printf("# %s\n", err.msg);
		free(path);
		return;
	}
	T_OK(ki.pv && ki.format == XVM_KIMAGE_ELF &&
	    ki.comp == XVM_KIMAGE_COMP_NONE, "the test guest is a PV ELF");
	T_STREQ(ki.guest_os, "xvm-test-guest", "its GUEST_OS");
	T_STREQ(ki.loader, "generic", "built for the generic loader");
	T_STREQ(ki.xen_version, "xen-3.0", "its XEN_VERSION");
	T_EQ(ki.virt_base, base, "VIRT_BASE: the top 2 GiB");
	T_EQ(ki.virt_offset, 0, "p_paddr is the virtual address");
	T_EQ(ki.kstart, base, "it starts at VIRT_BASE");
	T_EQ(ki.entry, base, "it is entered at its start");
	T_OK(ki.has_hypercall_page && ki.hypercall_page == base + 4096,
	    "its hypercall page is the page after the entry code");
	T_OK(ki.kend > ki.hypercall_page + 4096 && ki.kend < base + (1 << 20),
	    "it is small and holds the hypercall page");
	T_OK(ki.feat_required & XVM_KIMAGE_FEAT(
	    XVM_KIMAGE_F_WRITABLE_PAGE_TABLES),
	    "it requires writable page tables");
	T_EQ(ki.nsegs, 1, "one loadable segment");
	xvm_kimage_release(&ki);
	free(path);
}

static void
test_names(void)
{
	T_STREQ(xvm_kimage_feature_name(0), "writable_page_tables",
	    "feature 0 name");
	T_STREQ(xvm_kimage_feature_name(11), "dom0", "feature 11 name");
	T_OK(xvm_kimage_feature_name(5) == NULL, "feature 5 unnamed");
	T_OK(xvm_kimage_feature_name(99) == NULL, "feature 99 unknown");
	T_STREQ(xvm_kimage_comp_name(XVM_KIMAGE_COMP_ZSTD), "zstd",
	    "zstd name");
	T_EQ(xvm_kimage_comp_detect((const unsigned char *)"\037\213", 1),
	    XVM_KIMAGE_COMP_NONE, "1 byte is no gzip");
}

static void
seed(const char *dir, const char *name, const void *p, size_t len)
{
	char *path = xvm_asprintf("%s/%s", dir, name);
	struct xvm_err err;

	if (xvm_file_write_atomic(path, p, len, 0644, &err) < 0)
		abort();
	free(path);
}

/* T_KIMAGE_SEEDS=DIR: write small images for the fuzz corpus. */
static void
write_seeds(const char *dir)
{
	struct spec s;
	struct xvm_buf elf, z, bz;

	spec_linux(&s);
	s.seg[0].filesz = 0x40;
	s.seg[1].filesz = 0x10;
	build(&s, &elf);
	seed(dir, "elf-notes", elf.data, elf.len);
	gz(elf.data, elf.len, &z);
	seed(dir, "elf-gzip", z.data, z.len);
	bzimage(z.data, z.len, 0x20f, &bz);
	seed(dir, "bzimage-gzip", bz.data, bz.len);
	xvm_buf_release(&bz);
	xvm_buf_release(&z);
	xz(elf.data, elf.len, &z);
	seed(dir, "elf-xz", z.data, z.len);
	bzimage(z.data, z.len, 0x20f, &bz);
	seed(dir, "bzimage-xz", bz.data, bz.len);
	xvm_buf_release(&bz);
	xvm_buf_release(&z);
	bz2(elf.data, elf.len, &z);
	seed(dir, "elf-bzip2", z.data, z.len);
	xvm_buf_release(&z);
	bzimage("\x28\xb5\x2f\xfd....", 8, 0x20f, &bz);
	seed(dir, "bzimage-zstd", bz.data, bz.len);
	xvm_buf_release(&bz);
	xvm_buf_release(&elf);
	s.where = N_SECTION;
	build(&s, &elf);
	seed(dir, "elf-shnote", elf.data, elf.len);
	xvm_buf_release(&elf);
	spec_release(&s);
	legacy(&s, "GUEST_OS=Solaris,GUEST_VER=5.11,XEN_VER=xen-3.0,"
	    "LOADER=generic,VIRT_BASE=0xffffffff80000000,HYPERCALL_PAGE=0x1001,"
	    "PAE=yes,FEATURES=writable_page_tables");
	s.seg[0].paddr = KTEXT;
	s.seg[1].paddr = KTEXT + 0x400000;
	s.seg[0].filesz = 0x40;
	s.seg[1].filesz = 0x10;
	s.entry = KTEXT + 0x100;
	build(&s, &elf);
	seed(dir, "elf-xen-guest", elf.data, elf.len);
	xvm_buf_release(&elf);
	spec_release(&s);
}

int
main(int argc, char **argv)
{
	struct spec s;
	struct xvm_buf elf;

	if (getenv("T_KIMAGE_SEEDS") != NULL) {
		write_seeds(getenv("T_KIMAGE_SEEDS"));
		return 0;
	}
	spec_linux(&s);
	build(&s, &elf);
	spec_release(&s);

	test_plain(&elf);
	test_compressed(&elf);
	test_bomb();
	test_bzimage(&elf);
	test_lz4(&elf);
	test_truncation(&elf);
	test_header();
	test_layout();
	test_notes();
	test_legacy();
	test_load(&elf);
	test_names();
	test_guest(argc > 0 ? argv[0] : "t_kimage");
	xvm_buf_release(&elf);
	return t_done();
}

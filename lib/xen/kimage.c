/*
 * kimage.c - guest kernel images for the PV domain builder: ELF64 x86_64
 * with Xen notes or a __xen_guest string, compressed or not, or wrapped in
 * a Linux bzImage.  See kimage.h for what is accepted and why.
 *
 * Every field read from the image goes through a bounds check against the
 * bytes actually present; offsets and sizes are 64-bit and every sum is
 * checked for overflow before it is compared.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xen/elfnote.h>

#include "xvm/file.h"
#include "xvm/util.h"
#include "xen/kimage.h"

#define EHDR_SIZE	64
#define PHDR_SIZE	56
#define SHDR_SIZE	64

#define ET_EXEC		2
#define ET_DYN		3
#define EM_386		3
#define EM_X86_64	62
#define PT_LOAD		1
#define PT_NOTE		4
#define PF_RWX		7
#define SHT_NOTE	7

#define BZ_HDR_END	0x250	/* the setup header through payload_length */
#define MAX_NOTES	65536	/* libelf's ELF_MAX_TOTAL_NOTE_COUNT order */
#define MAX_STRING	1024	/* a Xen note string longer than this is bogus */
#define LEGACY_NAME	31	/* libelf's name[32], value[128] */
#define LEGACY_VALUE	127

/* What the Xen metadata said, besides what lands in struct xvm_kimage. */
struct meta {
	bool virt_base;
	bool paddr_offset;
	bool entry;
	unsigned nnotes;	/* Xen notes found */
	unsigned total;		/* notes of any owner seen */
};

struct elf {
	const char *name;
	const unsigned char *p;
	size_t len;
	uint64_t entry;
	uint64_t phoff, shoff;
	unsigned phnum, shnum, shstrndx;
};

static const char *const feature_names[] = {
	[XVM_KIMAGE_F_WRITABLE_PAGE_TABLES] = "writable_page_tables",
	[XVM_KIMAGE_F_WRITABLE_DESCRIPTOR_TABLES] =
	    "writable_descriptor_tables",
	[XVM_KIMAGE_F_AUTO_TRANSLATED_PHYSMAP] = "auto_translated_physmap",
	[XVM_KIMAGE_F_SUPERVISOR_MODE_KERNEL] = "supervisor_mode_kernel",
	[XVM_KIMAGE_F_PAE_PGDIR_ABOVE_4GB] = "pae_pgdir_above_4gb",
	[XVM_KIMAGE_F_HVM_CALLBACK_VECTOR] = "hvm_callback_vector",
	[XVM_KIMAGE_F_DOM0] = "dom0",
};

static uint16_t
le16(const unsigned char *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t
le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

static uint64_t
le64(const unsigned char *p)
{
	return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32;
}

/* Does [off, off + size) lie within len bytes?  (No overflow.) */
static bool
in_file(uint64_t off, uint64_t size, size_t len)
{
	return off <= len && size <= len - off;
}

static bool
is_elf(const unsigned char *p, size_t len)
{
	return len >= 4 && memcmp(p, "\177ELF", 4) == 0;
}

static bool
is_bzimage(const unsigned char *p, size_t len)
{
	return len >= 0x206 && memcmp(p + 0x202, "HdrS", 4) == 0;
}

const char *
xvm_kimage_feature_name(unsigned bit)
{
	if (bit >= XVM_ARRAY_SIZE(feature_names))
		return NULL;
	return feature_names[bit];
}

void
xvm_kimage_init(struct xvm_kimage *ki)
{
	memset(ki, 0, sizeof(*ki));
}

void
xvm_kimage_release(struct xvm_kimage *ki)
{
	if (ki == NULL)
		return;
	free(ki->name);
	free(ki->image);
	free(ki->not_pv);
	free(ki->guest_os);
	free(ki->guest_version);
	free(ki->xen_version);
	free(ki->loader);
	free(ki->features);
	free(ki->segs);
	xvm_kimage_init(ki);
}

/*
 * Metadata: the Xen notes, the legacy string and the features string.
 */

/* Replace *dst with a copy of the n bytes at s (printable ASCII only). */
static int
set_string(char **dst, const char *s, size_t n, const char *file,
    const char *what, struct xvm_err *err)
{
	size_t i;

	if (n > MAX_STRING)
		return xvm_err_set(err, XVM_ERR_CONFIG,
		    "'%s': %s is longer than %d characters", file, what,
		    MAX_STRING);
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] > 0x7e)
			return xvm_err_set(err, XVM_ERR_CONFIG,
			    "'%s': %s is not printable text", file, what);
	free(*dst);
	*dst = xvm_strndup(s, n);
	return 0;
}

/*
 * FEATURES: names separated by '|'; "!name" means the kernel requires it.
 * Unknown features it merely supports are ignored (as Xen does); an
 * unknown one it requires makes it unbootable.
 */
static int
parse_features(struct xvm_kimage *ki, const char *s, const char *file,
    struct xvm_err *err)
{
	const char *tok, *end;
	size_t n, i;
	bool req;

	for (tok = s; *tok != '\0'; tok = *end ? end + 1 : end) {
		end = strchr(tok, '|');
		if (end == NULL)
			end = tok + strlen(tok);
		req = *tok == '!';
		n = (size_t)(end - tok) - req;
		if (n == 0)
			continue;
		for (i = 0; i < XVM_ARRAY_SIZE(feature_names); i++)
			if (feature_names[i] != NULL &&
			    strlen(feature_names[i]) == n &&
			    memcmp(feature_names[i], tok + req, n) == 0)
				break;
		if (i == XVM_ARRAY_SIZE(feature_names)) {
			if (req)
				return xvm_err_set(err, XVM_ERR_CONFIG,
				    "'%s': the kernel requires the unknown Xen "
				    "feature '%.*s'", file, (int)n, tok + 1);
			continue;
		}
		ki->feat_supported |= XVM_KIMAGE_FEAT(i);
		if (req)
			ki->feat_required |= XVM_KIMAGE_FEAT(i);
	}
	return 0;
}

static const char *
note_name(unsigned type)
{
	static const char *const names[] = {
		[XEN_ELFNOTE_ENTRY] = "ENTRY",
		[XEN_ELFNOTE_HYPERCALL_PAGE] = "HYPERCALL_PAGE",
		[XEN_ELFNOTE_VIRT_BASE] = "VIRT_BASE",
		[XEN_ELFNOTE_PADDR_OFFSET] = "PADDR_OFFSET",
		[XEN_ELFNOTE_XEN_VERSION] = "XEN_VERSION",
		[XEN_ELFNOTE_GUEST_OS] = "GUEST_OS",
		[XEN_ELFNOTE_GUEST_VERSION] = "GUEST_VERSION",
		[XEN_ELFNOTE_LOADER] = "LOADER",
		[XEN_ELFNOTE_PAE_MODE] = "PAE_MODE",
		[XEN_ELFNOTE_FEATURES] = "FEATURES",
		[XEN_ELFNOTE_BSD_SYMTAB] = "BSD_SYMTAB",
		[XEN_ELFNOTE_HV_START_LOW] = "HV_START_LOW",
		[XEN_ELFNOTE_L1_MFN_VALID] = "L1_MFN_VALID",
		[XEN_ELFNOTE_SUSPEND_CANCEL] = "SUSPEND_CANCEL",
		[XEN_ELFNOTE_INIT_P2M] = "INIT_P2M",
		[XEN_ELFNOTE_MOD_START_PFN] = "MOD_START_PFN",
		[XEN_ELFNOTE_SUPPORTED_FEATURES] = "SUPPORTED_FEATURES",
		[XEN_ELFNOTE_PHYS32_ENTRY] = "PHYS32_ENTRY",
	};

	if (type < XVM_ARRAY_SIZE(names) && names[type] != NULL)
		return names[type];
	return NULL;
}

/* A numeric note: 1, 2, 4 or 8 little-endian bytes (libelf's rule). */
static int
note_number(const unsigned char *desc, uint32_t descsz, uint64_t *v,
    const char *file, unsigned type, struct xvm_err *err)
{
	switch (descsz) {
	case 1:
		*v = desc[0];
		return 0;
	case 2:
		*v = le16(desc);
		return 0;
	case 4:
		*v = le32(desc);
		return 0;
	case 8:
		*v = le64(desc);
		return 0;
	default:
		return xvm_err_set(err, XVM_ERR_CONFIG,
		    "'%s': Xen ELF note %s has a bad size (%u bytes)", file,
		    note_name(type), descsz);
	}
}

static int
parse_note(struct xvm_kimage *ki, struct meta *m, unsigned type,
    const unsigned char *desc, uint32_t descsz, const char *file,
    struct xvm_err *err)
{
	char what[64];
	const char *s = (const char *)desc;
	size_t slen;
	uint64_t v = 0;
	char *str = NULL;
	int ret = -1;

	snprintf(what, sizeof(what), "Xen ELF note %s",
	    note_name(type) ? note_name(type) : "?");
	switch (type) {
	case XEN_ELFNOTE_XEN_VERSION:
	case XEN_ELFNOTE_GUEST_OS:
	case XEN_ELFNOTE_GUEST_VERSION:
	case XEN_ELFNOTE_LOADER:
	case XEN_ELFNOTE_PAE_MODE:
	case XEN_ELFNOTE_FEATURES:
	case XEN_ELFNOTE_BSD_SYMTAB:
		slen = strnlen(s, descsz);
		if (set_string(&str, s, slen, file, what, err) < 0)
			goto out;
		break;
	case XEN_ELFNOTE_ENTRY:
	case XEN_ELFNOTE_HYPERCALL_PAGE:
	case XEN_ELFNOTE_VIRT_BASE:
	case XEN_ELFNOTE_PADDR_OFFSET:
	case XEN_ELFNOTE_HV_START_LOW:
	case XEN_ELFNOTE_SUSPEND_CANCEL:
	case XEN_ELFNOTE_INIT_P2M:
	case XEN_ELFNOTE_MOD_START_PFN:
	case XEN_ELFNOTE_PHYS32_ENTRY:
		if (note_number(desc, descsz, &v, file, type, err) < 0)
			goto out;
		break;
	case XEN_ELFNOTE_L1_MFN_VALID:
		/* mask and value, two words of the kernel's size */
		if (descsz == 16) {
			ki->l1_mfn_mask = le64(desc);
			ki->l1_mfn_value = le64(desc + 8);
		} else if (descsz == 8) {
			ki->l1_mfn_mask = le32(desc);
			ki->l1_mfn_value = le32(desc + 4);
		} else {
			xvm_err_set(err, XVM_ERR_CONFIG,
			    "'%s': Xen ELF note L1_MFN_VALID has a bad size "
			    "(%u bytes)", file, descsz);
			goto out;
		}
		ki->has_l1_mfn_valid = true;
		break;
	case XEN_ELFNOTE_SUPPORTED_FEATURES:
		/* a bitmap of 32-bit words; one word of features exists */
		if (descsz >= 4 && descsz % 4 == 0)
			ki->feat_supported |= le32(desc);
		break;
	default:
		/* XEN_ELFNOTE_INFO and unknown notes: ignored, as Xen does */
		ret = 0;
		goto out;
	}

	switch (type) {
	case XEN_ELFNOTE_XEN_VERSION:
		free(ki->xen_version);
		ki->xen_version = str;
		str = NULL;
		break;
	case XEN_ELFNOTE_GUEST_OS:
		free(ki->guest_os);
		ki->guest_os = str;
		str = NULL;
		break;
	case XEN_ELFNOTE_GUEST_VERSION:
		free(ki->guest_version);
		ki->guest_version = str;
		str = NULL;
		break;
	case XEN_ELFNOTE_LOADER:
		free(ki->loader);
		ki->loader = str;
		str = NULL;
		break;
	case XEN_ELFNOTE_PAE_MODE:
		if (strcmp(str, "yes") == 0)
			ki->pae = XVM_KIMAGE_PAE_EXTCR3;
		if (strstr(str, "bimodal") != NULL)
			ki->pae = XVM_KIMAGE_PAE_BIMODAL;
		break;
	case XEN_ELFNOTE_FEATURES:
		if (parse_features(ki, str, file, err) < 0)
			goto out;
		free(ki->features);
		ki->features = str;
		str = NULL;
		break;
	case XEN_ELFNOTE_BSD_SYMTAB:
		if (strcmp(str, "yes") == 0)
			ki->bsd_symtab = true;
		break;
	case XEN_ELFNOTE_ENTRY:
		ki->entry = v;
		m->entry = true;
		break;
	case XEN_ELFNOTE_HYPERCALL_PAGE:
		ki->hypercall_page = v;
		ki->has_hypercall_page = true;
		break;
	case XEN_ELFNOTE_VIRT_BASE:
		ki->virt_base = v;
		m->virt_base = true;
		break;
	case XEN_ELFNOTE_PADDR_OFFSET:
		ki->paddr_offset = v;
		m->paddr_offset = true;
		break;
	case XEN_ELFNOTE_HV_START_LOW:
		ki->hv_start_low = v;
		ki->has_hv_start_low = true;
		break;
	case XEN_ELFNOTE_SUSPEND_CANCEL:
		ki->suspend_cancel = v != 0;
		break;
	case XEN_ELFNOTE_INIT_P2M:
		ki->p2m_base = v;
		ki->has_p2m_base = true;
		break;
	case XEN_ELFNOTE_MOD_START_PFN:
		ki->mod_start_pfn = v != 0;
		break;
	case XEN_ELFNOTE_PHYS32_ENTRY:
		ki->phys32_entry = v;
		ki->has_phys32_entry = true;
		break;
	}
	ret = 0;
out:
	free(str);
	return ret;
}

/*
 * Walk the notes in [off, off + size) of the file (a PT_NOTE segment or a
 * SHT_NOTE section, already bounds-checked).  Names and descriptions are
 * padded to 4 bytes, as libelf reads them; the last description may lack
 * its padding.
 */
static int
parse_notes(struct xvm_kimage *ki, struct meta *m, const struct elf *e,
    uint64_t off, uint64_t size, const char *where, struct xvm_err *err)
{
	const unsigned char *p = e->p + off;
	uint64_t pos = 0, left, namesz, descsz, nameal, descal;
	unsigned type;

	while (pos < size) {
		left = size - pos;
		if (left < 12)
			return xvm_err_set(err, XVM_ERR_CONFIG,
			    "'%s': truncated ELF note at offset 0x%llx of %s",
			    e->name, (unsigned long long)pos, where);
		if (++m->total > MAX_NOTES)
			return xvm_err_set(err, XVM_ERR_CONFIG,
			    "'%s': more than %d ELF notes", e->name,
			    MAX_NOTES);
		namesz = le32(p + pos);
		descsz = le32(p + pos + 4);
		type = le32(p + pos + 8);
		nameal = (namesz + 3) & ~(uint64_t)3;
		descal = (descsz + 3) & ~(uint64_t)3;
		if (12 + nameal + descsz > left)
			return xvm_err_set(err, XVM_ERR_CONFIG,
			    "'%s': truncated ELF note at offset 0x%llx of %s",
			    e->name, (unsigned long long)pos, where);
		if (namesz >= 4 && memcmp(p + pos + 12, "Xen", 4) == 0) {
			if (parse_note(ki, m, type, p + pos + 12 + nameal,
			    (uint32_t)descsz, e->name, err) < 0)
				return -1;
			m->nnotes++;
		}
		if (12 + nameal + descal >= left)
			break;
		pos += 12 + nameal + descal;
	}
	return 0;
}

/* Parse an unsigned number as strtoull(s, NULL, 0) would, but strictly. */
static bool
legacy_number(const char *s, uint64_t *v)
{
	unsigned base = 10, d;
	uint64_t n = 0;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	} else if (s[0] == '0' && s[1] != '\0') {
		base = 8;
		s++;
	}
	if (*s == '\0')
		return false;
	for (; *s != '\0'; s++) {
		if (*s >= '0' && *s <= '9')
			d = (unsigned)(*s - '0');
		else if (*s >= 'a' && *s <= 'f')
			d = (unsigned)(*s - 'a' + 10);
		else if (*s >= 'A' && *s <= 'F')
			d = (unsigned)(*s - 'A' + 10);
		else
			return false;
		if (d >= base || n > (UINT64_MAX - d) / base)
			return false;
		n = n * base + d;
	}
	*v = n;
	return true;
}

/*
 * The legacy "__xen_guest" string: NAME=VALUE items separated by ','
 * (and items without a value), up to a NUL or the section's end.
 */
static int
parse_legacy(struct xvm_kimage *ki, struct meta *m, const char *s,
    size_t len, const char *file, struct xvm_err *err)
{
	char name[LEGACY_NAME + 1], value[LEGACY_VALUE + 1], what[64];
	const char *item, *end, *eq;
	size_t nlen, vlen, i;
	uint64_t v, hpage = 0;
	bool has_hpage = false;

	len = strnlen(s, len);
	for (i = 0; i < len; i = (size_t)(end - s) + 1) {
		item = s + i;
		end = memchr(item, ',', len - i);
		if (end == NULL)
			end = s + len;
		if (end == item)
			continue;
		eq = memchr(item, '=', (size_t)(end - item));
		nlen = (size_t)((eq ? eq : end) - item);
		vlen = eq ? (size_t)(end - eq - 1) : 0;
		if (nlen > LEGACY_NAME || vlen > LEGACY_VALUE)
			return xvm_err_set(err, XVM_ERR_CONFIG,
			    "'%s': over-long item '%.40s...' in the "
			    "__xen_guest section", file, item);
		memcpy(name, item, nlen);
		name[nlen] = '\0';
		if (vlen)
			memcpy(value, eq + 1, vlen);
		value[vlen] = '\0';
		snprintf(what, sizeof(what), "__xen_guest item %s", name);

		if (strcmp(name, "LOADER") == 0) {
			if (set_string(&ki->loader, value, vlen, file, what,
			    err) < 0)
				return -1;
		} else if (strcmp(name, "GUEST_OS") == 0) {
			if (set_string(&ki->guest_os, value, vlen, file, what,
			    err) < 0)
				return -1;
		} else if (strcmp(name, "GUEST_VER") == 0) {
			if (set_string(&ki->guest_version, value, vlen, file,
			    what, err) < 0)
				return -1;
		} else if (strcmp(name, "XEN_VER") == 0) {
			if (set_string(&ki->xen_version, value, vlen, file,
			    what, err) < 0)
				return -1;
		} else if (strcmp(name, "PAE") == 0) {
			if (strcmp(value, "yes[extended-cr3]") == 0)
				ki->pae = XVM_KIMAGE_PAE_EXTCR3;
			else if (strncmp(value, "yes", 3) == 0)
				ki->pae = XVM_KIMAGE_PAE_YES;
		} else if (strcmp(name, "BSD_SYMTAB") == 0) {
			ki->bsd_symtab = true;
		} else if (strcmp(name, "FEATURES") == 0) {
			if (set_string(&ki->features, value, vlen, file, what,
			    err) < 0 ||
			    parse_features(ki, ki->features, file, err) < 0)
				return -1;
		} else if (strcmp(name, "VIRT_BASE") == 0 ||
		    strcmp(name, "VIRT_ENTRY") == 0 ||
		    strcmp(name, "ELF_PADDR_OFFSET") == 0 ||
		    strcmp(name, "HYPERCALL_PAGE") == 0) {
			if (!legacy_number(value, &v))
				return xvm_err_set(err, XVM_ERR_CONFIG,
				    "'%s': bad %s value '%s' in the "
				    "__xen_guest section", file, name, value);
			if (strcmp(name, "VIRT_BASE") == 0) {
				ki->virt_base = v;
				m->virt_base = true;
			} else if (strcmp(name, "VIRT_ENTRY") == 0) {
				ki->entry = v;
				m->entry = true;
			} else if (strcmp(name, "ELF_PADDR_OFFSET") == 0) {
				ki->paddr_offset = v;
				m->paddr_offset = true;
			} else {
				/* a page frame number, from virt_base */
				if (v > UINT64_MAX >> 12)
					return xvm_err_set(err, XVM_ERR_CONFIG,
					    "'%s': HYPERCALL_PAGE '%s' in the "
					    "__xen_guest section is out of "
					    "range", file, value);
				hpage = v << 12;
				has_hpage = true;
			}
		}
		/* other names are ignored, as Xen ignores them */
	}
	if (has_hpage) {
		if (m->virt_base) {
			if (hpage > UINT64_MAX - ki->virt_base)
				return xvm_err_set(err, XVM_ERR_CONFIG,
				    "'%s': HYPERCALL_PAGE in the __xen_guest "
				    "section is out of range", file);
			hpage += ki->virt_base;
		}
		ki->hypercall_page = hpage;
		ki->has_hypercall_page = true;
	}
	return 0;
}

/*
 * The ELF file.
 */

static int
truncated(const struct elf *e, const char *what, uint64_t off, uint64_t size,
    struct xvm_err *err)
{
	return xvm_err_set(err, XVM_ERR_CONFIG,
	    "'%s' is truncated: %s needs bytes 0x%llx-0x%llx, the file has "
	    "0x%zx", e->name, what, (unsigned long long)off,
	    (unsigned long long)(off + size > off ? off + size : UINT64_MAX),
	    e->len);
}

static int
check_ehdr(struct elf *e, struct xvm_err *err)
{
	const unsigned char *p = e->p;
	unsigned machine, type, phentsize, shentsize;

	if (e->len < 6)
		return xvm_err_set(err, XVM_ERR_CONFIG,
		    "'%s' is truncated: the ELF header needs %d bytes, the "
		    "file has %zu", e->name, EHDR_SIZE, e->len);
	if (p[4] == 1)
		return xvm_err_set(err, XVM_ERR_CONFIG,
		    "'%s' is a 32-bit ELF kernel: xvm builds x86_64 (64-bit) "
		    "PV guests only", e->name);
	if (p[4] != 2)
		return xvm_err_set(err, XVM_ERR_CONFIG,
		    "'%s': unknown ELF class %u", e->name, p[4]);
	if (p[5] != 1)
		return xvm_err_set(err, XVM_ERR_CONFIG,
		    "'%s' is not a little-endian ELF file", e->name);
	if (e->len < EHDR_SIZE)
		return xvm_err_set(err, XVM_ERR_CONFIG,
		    "'%s' is truncated: the ELF header needs %d bytes, the "
		    "file has %zu", e->name, EHDR_SIZE, e->len);
	type = le16(p + 16);
	machine = le16(p + 18);
	if (machine == EM_386)
		return xvm_err_set(err, XVM_ERR_CONFIG,
		    "'%s' is an i386 kernel: xvm builds x86_64 (64-bit) PV "
		    "guests only", e->name);
	if (machine != EM_X86_64)
		return xvm_err_set(err, XVM_ERR_CONFIG,
		    "'%s': unknown ELF machine %u (xvm runs x86_64 kernels)",
		    e->name, machine);
	if (type != ET_EXEC && type != ET_DYN)
		return xvm_err_set(err, XVM_ERR_CONFIG,
		    "'%s': ELF type %u is not an executable (ET_EXEC or ET_DYN)",
		    e->name, type);
	e->entry = le64(p + 24);
	e->phoff = le64(p + 32);
	e->shoff = le64(p + 40);
	phentsize = le16(p + 54);
	e->phnum = le16(p + 56);
	shentsize = le16(p + 58);
	e->shnum = le16(p + 60);
	e->shstrndx = le16(p + 62);
	if (e->phnum > 0) {
		if (phentsize != PHDR_SIZE)
			return xvm_err_set(err, XVM_ERR_CONFIG,
			    "'%s': bad ELF program header size %u", e->name,
			    phentsize);
		if (!in_file(e->phoff, (uint64_t)e->phnum * PHDR_SIZE, e->len))
			return truncated(e, "the program header table",
			    e->phoff, (uint64_t)e->phnum * PHDR_SIZE, err);
	}
	if (e->shnum > 0) {
		if (shentsize != SHDR_SIZE)
			return xvm_err_set(err, XVM_ERR_CONFIG,
			    "'%s': bad ELF section header size %u", e->name,
			    shentsize);
		if (!in_file(e->shoff, (uint64_t)e->shnum * SHDR_SIZE, e->len))
			return truncated(e, "the section header table",
			    e->shoff, (uint64_t)e->shnum * SHDR_SIZE, err);
	}
	return 0;
}

static const unsigned char *
phdr(const struct elf *e, unsigned i)
{
	return e->p + e->phoff + (uint64_t)i * PHDR_SIZE;
}

static const unsigned char *
shdr(const struct elf *e, unsigned i)
{
	return e->p + e->shoff + (uint64_t)i * SHDR_SIZE;
}

static int
seg_cmp(const void *a, const void *b)
{
	const struct xvm_kimage_seg *x = a, *y = b;

	return x->paddr < y->paddr ? -1 : x->paddr > y->paddr;
}

/*
 * The loadable segments (PT_LOAD with any of R/W/X, as libelf's
 * elf_phdr_is_loadable; empty ones are skipped), sorted by p_paddr, with
 * their extent in ki->pstart/pend.
 */
static int
load_segments(struct xvm_kimage *ki, const struct elf *e, size_t max,
    struct xvm_err *err)
{
	const unsigned char *ph;
	struct xvm_kimage_seg *s;
	uint64_t off, filesz, memsz, paddr;
	char what[64];
	unsigned i;
	size_t n = 0;

	ki->segs = xvm_calloc(e->phnum ? e->phnum : 1, sizeof(*ki->segs));
	for (i = 0; i < e->phnum; i++) {
		ph = phdr(e, i);
		if (le32(ph) != PT_LOAD || (le32(ph + 4) & PF_RWX) == 0)
			continue;
		off = le64(ph + 8);
		paddr = le64(ph + 24);
		filesz = le64(ph + 32);
		memsz = le64(ph + 40);
		if (memsz == 0)
			continue;
		if (filesz > memsz)
			return xvm_err_set(err, XVM_ERR_CONFIG,
			    "'%s': segment %u has more file bytes (0x%llx) "
			    "than memory bytes (0x%llx)", e->name, i,
			    (unsigned long long)filesz,
			    (unsigned long long)memsz);
		if (!in_file(off, filesz, e->len)) {
			snprintf(what, sizeof(what), "segment %u", i);
			return truncated(e, what, off, filesz, err);
		}
		if (memsz > max)
			return xvm_err_set(err, XVM_ERR_CONFIG,
			    "'%s': segment %u occupies 0x%llx bytes, more "
			    "than the limit of %zu", e->name, i,
			    (unsigned long long)memsz, max);
		if (paddr > UINT64_MAX - memsz)
			return xvm_err_set(err, XVM_ERR_CONFIG,
			    "'%s': segment %u wraps around the address space",
			    e->name, i);
		s = &ki->segs[n++];
		s->paddr = paddr;
		s->vaddr = paddr;
		s->memsz = memsz;
		s->filesz = filesz;
		s->data = e->p + off;
		s->flags = le32(ph + 4) & PF_RWX;
	}
	ki->nsegs = n;
	if (n == 0)
		return xvm_err_set(err, XVM_ERR_CONFIG,
		    "'%s' has no loadable segments", e->name);
	qsort(ki->segs, n, sizeof(*ki->segs), seg_cmp);
	for (i = 0; i + 1 < n; i++)
		if (ki->segs[i].paddr + ki->segs[i].memsz >
		    ki->segs[i + 1].paddr)
			return xvm_err_set(err, XVM_ERR_CONFIG,
			    "'%s': segments at 0x%llx-0x%llx and 0x%llx-0x%llx "
			    "overlap", e->name,
			    (unsigned long long)ki->segs[i].paddr,
			    (unsigned long long)(ki->segs[i].paddr +
			    ki->segs[i].memsz),
			    (unsigned long long)ki->segs[i + 1].paddr,
			    (unsigned long long)(ki->segs[i + 1].paddr +
			    ki->segs[i + 1].memsz));
	ki->pstart = ki->segs[0].paddr;
	ki->pend = ki->segs[n - 1].paddr + ki->segs[n - 1].memsz;
	if (ki->pend - ki->pstart > max)
		return xvm_err_set(err, XVM_ERR_CONFIG,
		    "'%s': the kernel spans 0x%llx bytes of memory, more than "
		    "the limit of %zu", e->name,
		    (unsigned long long)(ki->pend - ki->pstart), max);
	return 0;
}

/* Section i's file bytes (offset and size), checked. */
static int
section_bytes(const struct elf *e, unsigned i, uint64_t *off_r,
    uint64_t *size_r, struct xvm_err *err)
{
	const unsigned char *sh = shdr(e, i);
	char what[64];

	*off_r = le64(sh + 24);
	*size_r = le64(sh + 32);
	if (!in_file(*off_r, *size_r, e->len)) {
		snprintf(what, sizeof(what), "section %u", i);
		return truncated(e, what, *off_r, *size_r, err);
	}
	return 0;
}

/* Find the __xen_guest section; 1 found, 0 not, -1 error. */
static int
find_legacy(const struct elf *e, uint64_t *off_r, uint64_t *size_r,
    struct xvm_err *err)
{
	static const char want[] = "__xen_guest";
	uint64_t stroff, strsize, name;
	unsigned i;

	if (e->shnum == 0 || e->shstrndx >= e->shnum)
		return 0;
	if (section_bytes(e, e->shstrndx, &stroff, &strsize, err) < 0)
		return -1;
	for (i = 1; i < e->shnum; i++) {
		name = le32(shdr(e, i));
		if (name >= strsize || strsize - name < sizeof(want) ||
		    memcmp(e->p + stroff + name, want, sizeof(want)) != 0)
			continue;
		if (section_bytes(e, i, off_r, size_r, err) < 0)
			return -1;
		return 1;
	}
	return 0;
}

/* All Xen metadata: PT_NOTEs, else SHT_NOTEs, else __xen_guest. */
static int
find_metadata(struct xvm_kimage *ki, struct meta *m, const struct elf *e,
    struct xvm_err *err)
{
	const unsigned char *ph;
	uint64_t off, size;
	char where[64];
	unsigned i;
	int rc;

	for (i = 0; i < e->phnum; i++) {
		ph = phdr(e, i);
		if (le32(ph) != PT_NOTE)
			continue;
		off = le64(ph + 8);
		size = le64(ph + 32);
		/* some binutils leave p_offset 0 in note segments: skip */
		if (off == 0)
			continue;
		snprintf(where, sizeof(where), "segment %u", i);
		if (!in_file(off, size, e->len))
			return truncated(e, where, off, size, err);
		if (parse_notes(ki, m, e, off, size, where, err) < 0)
			return -1;
	}
	for (i = 1; m->nnotes == 0 && i < e->shnum; i++) {
		if (le32(shdr(e, i) + 4) != SHT_NOTE)
			continue;
		snprintf(where, sizeof(where), "section %u", i);
		if (section_bytes(e, i, &off, &size, err) < 0 ||
		    parse_notes(ki, m, e, off, size, where, err) < 0)
			return -1;
	}
	if (m->nnotes > 0)
		return 0;
	rc = find_legacy(e, &off, &size, err);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return xvm_err_set(err, XVM_ERR_CONFIG,
		    "'%s' is not a Xen PV kernel: it has no Xen ELF notes or "
		    "__xen_guest section", e->name);
	ki->legacy = true;
	return parse_legacy(ki, m, (const char *)e->p + off, (size_t)size,
	    e->name, err);
}

/*
 * Would Xen build it as a PV guest?  libelf's elf_xen_note_check, plus the
 * ELF loader's refusal of kernels that require the dom0 feature.  Returns
 * the reason (caller frees) or NULL.
 */
static char *
pv_problem(const struct xvm_kimage *ki, const char *file)
{
	if (!xvm_has_prefix(ki->loader ? ki->loader : "", "generic") &&
	    !xvm_has_prefix(ki->guest_os ? ki->guest_os : "", "linux"))
		return xvm_asprintf("'%s' is not a Xen PV kernel: it is built "
		    "neither for the generic loader nor as Linux (LOADER '%s', "
		    "GUEST_OS '%s')%s", file, ki->loader ? ki->loader : "",
		    ki->guest_os ? ki->guest_os : "",
		    ki->has_phys32_entry ? "; it is a PVH kernel" : "");
	if (!xvm_has_prefix(ki->xen_version ? ki->xen_version : "", "xen-3.0"))
		return xvm_asprintf("'%s' is not a Xen PV kernel: it is built "
		    "for Xen interface '%s', not 'xen-3.0'", file,
		    ki->xen_version ? ki->xen_version : "");
	if (ki->feat_required & XVM_KIMAGE_FEAT(XVM_KIMAGE_F_DOM0))
		return xvm_asprintf("'%s' cannot run as a guest: it requires "
		    "the dom0 feature", file);
	return NULL;
}

static const char *
hex_range(char *buf, size_t size, uint64_t a, uint64_t b)
{
	snprintf(buf, size, "0x%llx-0x%llx", (unsigned long long)a,
	    (unsigned long long)b);
	return buf;
}

/* libelf's elf_xen_addr_calc_check, PV flavour, with clearer errors. */
static int
layout(struct xvm_kimage *ki, const struct meta *m, const struct elf *e,
    struct xvm_err *err)
{
	char r[80];
	size_t i;

	if (m->paddr_offset && !m->virt_base)
		return xvm_err_set(err, XVM_ERR_CONFIG,
		    "'%s': the kernel sets %s but not VIRT_BASE", e->name,
		    ki->legacy ? "ELF_PADDR_OFFSET" : "PADDR_OFFSET");
	if (!m->virt_base)
		ki->virt_base = 0;
	/* notes default the offset to 0; the legacy string to virt_base */
	if (!m->paddr_offset)
		ki->paddr_offset = ki->legacy ? ki->virt_base : 0;
	ki->virt_offset = ki->virt_base - ki->paddr_offset;
	ki->kstart = ki->pstart + ki->virt_offset;
	ki->kend = ki->pend + ki->virt_offset;
	if (!m->entry)
		ki->entry = e->entry;
	if (ki->kstart >= ki->kend)
		return xvm_err_set(err, XVM_ERR_CONFIG,
		    "'%s': the kernel's virtual addresses wrap around "
		    "(VIRT_BASE 0x%llx, PADDR_OFFSET 0x%llx, segments %s)",
		    e->name, (unsigned long long)ki->virt_base,
		    (unsigned long long)ki->paddr_offset,
		    hex_range(r, sizeof(r), ki->pstart, ki->pend));
	if (ki->virt_base > ki->kstart)
		return xvm_err_set(err, XVM_ERR_CONFIG,
		    "'%s': the kernel starts at 0x%llx, below its VIRT_BASE "
		    "0x%llx", e->name, (unsigned long long)ki->kstart,
		    (unsigned long long)ki->virt_base);
	/* Xen lets the entry point sit at the very end */
	if (ki->entry < ki->kstart || ki->entry > ki->kend)
		return xvm_err_set(err, XVM_ERR_CONFIG,
		    "'%s': entry point 0x%llx is outside the kernel at %s",
		    e->name, (unsigned long long)ki->entry,
		    hex_range(r, sizeof(r), ki->kstart, ki->kend));
	if (ki->has_p2m_base && ki->p2m_base >= ki->kstart &&
	    ki->p2m_base < ki->kend)
		return xvm_err_set(err, XVM_ERR_CONFIG,
		    "'%s': INIT_P2M 0x%llx lies inside the kernel at %s",
		    e->name, (unsigned long long)ki->p2m_base,
		    hex_range(r, sizeof(r), ki->kstart, ki->kend));
	if (ki->has_hypercall_page && (ki->hypercall_page < ki->kstart ||
	    ki->hypercall_page >= ki->kend))
		return xvm_err_set(err, XVM_ERR_CONFIG,
		    "'%s': hypercall page 0x%llx is outside the kernel at %s",
		    e->name, (unsigned long long)ki->hypercall_page,
		    hex_range(r, sizeof(r), ki->kstart, ki->kend));
	for (i = 0; i < ki->nsegs; i++)
		ki->segs[i].vaddr = ki->segs[i].paddr + ki->virt_offset;
	return 0;
}

/* Has a SHT_SYMTAB section (for BSD_SYMTAB)? */
static bool
has_symtab(const struct elf *e)
{
	unsigned i;

	for (i = 0; i < e->shnum; i++)
		if (le32(shdr(e, i) + 4) == 2)
			return true;
	return false;
}

/* Describe the ELF in ki->image. */
static int
parse_elf(struct xvm_kimage *ki, const struct xvm_kimage_opts *o,
    struct xvm_err *err)
{
	struct elf e;
	struct meta m;

	memset(&e, 0, sizeof(e));
	memset(&m, 0, sizeof(m));
	e.name = ki->name;
	e.p = ki->image;
	e.len = ki->image_len;
	if (check_ehdr(&e, err) < 0 || load_segments(ki, &e, o->max_size,
	    err) < 0 || find_metadata(ki, &m, &e, err) < 0)
		return -1;
	ki->pvh = ki->has_phys32_entry;
	ki->not_pv = pv_problem(ki, e.name);
	if (ki->not_pv != NULL) {
		if (!(o->flags & XVM_KIMAGE_PROBE))
			return xvm_err_set(err, XVM_ERR_CONFIG, "%s",
			    ki->not_pv);
		if (!m.entry)
			ki->entry = e.entry;
		return 0;
	}
	ki->pv = true;
	/*
	 * Xen would append the symbol tables after the kernel; the builder
	 * does not do that yet, so refuse rather than boot it wrongly.
	 */
	if (ki->bsd_symtab && has_symtab(&e))
		return xvm_err_set(err, XVM_ERR_CONFIG,
		    "'%s': BSD_SYMTAB (loading the symbol table after the "
		    "kernel) is not supported", e.name);
	return layout(ki, &m, &e, err);
}

/*
 * The wrappers: whole-file compression and the bzImage.
 */

/* gzip, xz, bzip2 and lz4's legacy format (not its frame format). */
static bool
readable(int comp, const unsigned char *p, size_t len)
{
	if (comp == XVM_KIMAGE_COMP_LZ4)
		return len >= 4 && p[0] == 0x02;
	return comp <= XVM_KIMAGE_COMP_BZIP2;
}

static int
unsupported(const char *file, int comp, struct xvm_err *err)
{
	return xvm_err_set(err, XVM_ERR_CONFIG,
	    "'%s': compression %s is not supported (xvm reads gzip, xz, "
	    "bzip2 and legacy lz4 kernels)", file, xvm_kimage_comp_name(comp));
}

/*
 * The ELF inside a bzImage (boot protocol 2.08+: payload_offset and
 * payload_length, from the protected-mode code at (setup_sects + 1) * 512).
 */
static int
bzimage_payload(struct xvm_kimage *ki, const unsigned char *p, size_t len,
    size_t max, unsigned char **out_r, size_t *outlen_r, struct xvm_err *err)
{
	uint64_t off, plen;
	unsigned sects, ver;
	int comp;

	if (len < BZ_HDR_END)
		return xvm_err_set(err, XVM_ERR_CONFIG,
		    "'%s' is truncated: the bzImage header needs %d bytes, the "
		    "file has %zu", ki->name, BZ_HDR_END, len);
	ver = le16(p + 0x206);
	ki->boot_version = ver;
	if (ver < 0x208)
		return xvm_err_set(err, XVM_ERR_CONFIG,
		    "'%s': bzImage boot protocol %u.%02u is too old (2.08 or "
		    "later is needed)", ki->name, ver >> 8, ver & 0xff);
	sects = p[0x1f1] ? p[0x1f1] : 4;
	off = (uint64_t)(sects + 1) * 512 + le32(p + 0x248);
	plen = le32(p + 0x24c);
	if (off >= len)
		return xvm_err_set(err, XVM_ERR_CONFIG,
		    "'%s': the bzImage payload offset 0x%llx is past the end "
		    "of the file (0x%zx bytes)", ki->name,
		    (unsigned long long)off, len);
	if (plen > len - off)
		return xvm_err_set(err, XVM_ERR_CONFIG,
		    "'%s' is truncated: the bzImage payload needs bytes "
		    "0x%llx-0x%llx, the file has 0x%zx", ki->name,
		    (unsigned long long)off, (unsigned long long)(off + plen),
		    len);
	p += off;
	if (is_elf(p, plen)) {
		/* CONFIG_KERNEL_UNCOMPRESSED */
		*out_r = xvm_malloc(plen ? plen : 1);
		memcpy(*out_r, p, plen);
		*outlen_r = plen;
		ki->comp = XVM_KIMAGE_COMP_NONE;
		return 0;
	}
	comp = xvm_kimage_comp_detect(p, plen);
	if (comp == XVM_KIMAGE_COMP_NONE)
		return xvm_err_set(err, XVM_ERR_CONFIG,
		    "'%s': the bzImage payload is in an unknown format",
		    ki->name);
	if (!readable(comp, p, plen))
		return unsupported(ki->name, comp, err);
	ki->comp = comp;
	if (xvm_kimage_decompress(comp, ki->name, p, plen, max, out_r, outlen_r,
	    err) < 0)
		return -1;
	if (!is_elf(*out_r, *outlen_r)) {
		free(*out_r);
		*out_r = NULL;
		return xvm_err_set(err, XVM_ERR_CONFIG,
		    "'%s': the bzImage payload does not decompress to an ELF "
		    "kernel", ki->name);
	}
	return 0;
}

/*
 * Parse the input; *data is taken (freed or kept in ki) when owned.
 */
static int
parse(struct xvm_kimage *ki, const char *name, unsigned char **datap,
    size_t len, bool owned, const struct xvm_kimage_opts *opts,
    struct xvm_err *err)
{
	struct xvm_kimage_opts o = { XVM_KIMAGE_MAX_SIZE, 0 };
	unsigned char *data = *datap, *out = NULL;
	size_t outlen = 0;
	int comp, ret = -1;

	*datap = NULL;
	xvm_kimage_init(ki);
	if (opts != NULL) {
		o = *opts;
		if (o.max_size == 0)
			o.max_size = XVM_KIMAGE_MAX_SIZE;
	}
	ki->name = xvm_strdup(name ? name : "kernel");
	if (len > o.max_size) {
		xvm_err_set(err, XVM_ERR_CONFIG,
		    "'%s' is larger than the limit of %zu bytes", ki->name,
		    o.max_size);
		goto out;
	}
	ki->format = XVM_KIMAGE_ELF;
	comp = xvm_kimage_comp_detect(data, len);
	if (!is_elf(data, len) && !is_bzimage(data, len) &&
	    comp != XVM_KIMAGE_COMP_NONE) {
		if (!readable(comp, data, len)) {
			unsupported(ki->name, comp, err);
			goto out;
		}
		if (xvm_kimage_decompress(comp, ki->name, data, len,
		    o.max_size, &out, &outlen, err) < 0)
			goto out;
		if (!is_elf(out, outlen) && !is_bzimage(out, outlen)) {
			xvm_err_set(err, XVM_ERR_CONFIG,
			    "'%s': the %s data does not decompress to an ELF "
			    "kernel or a bzImage", ki->name,
			    xvm_kimage_comp_name(comp));
			goto out;
		}
		ki->comp = comp;
		if (owned)
			free(data);
		data = out;
		len = outlen;
		owned = true;
		out = NULL;
	}
	if (is_bzimage(data, len) && !is_elf(data, len)) {
		ki->format = XVM_KIMAGE_BZIMAGE;
		if (bzimage_payload(ki, data, len, o.max_size, &out, &outlen,
		    err) < 0)
			goto out;
		ki->image = out;
		ki->image_len = outlen;
		out = NULL;
	} else if (is_elf(data, len)) {
		if (owned) {
			ki->image = data;
			data = NULL;
		} else {
			ki->image = xvm_malloc(len ? len : 1);
			memcpy(ki->image, data, len);
		}
		ki->image_len = len;
	} else {
		xvm_err_set(err, XVM_ERR_CONFIG,
		    "'%s' is not a kernel: it is neither an ELF file, a bzImage "
		    "nor a gzip, xz or bzip2 compressed one", ki->name);
		goto out;
	}
	if (parse_elf(ki, &o, err) < 0)
		goto out;
	ret = 0;
out:
	if (owned)
		free(data);
	free(out);
	if (ret < 0)
		xvm_kimage_release(ki);
	return ret;
}

int
xvm_kimage_parse(struct xvm_kimage *ki, const char *name, const void *data,
    size_t len, const struct xvm_kimage_opts *opts, struct xvm_err *err)
{
	unsigned char *p = (unsigned char *)(uintptr_t)data;

	if (ki == NULL || (data == NULL && len > 0))
		return xvm_err_set(err, XVM_ERR_INVALID_ARG,
		    "no kernel image given");
	if (data == NULL)
		p = (unsigned char *)(uintptr_t)"";
	return parse(ki, name, &p, len, false, opts, err);
}

int
xvm_kimage_load(struct xvm_kimage *ki, const char *path,
    const struct xvm_kimage_opts *opts, struct xvm_err *err)
{
	size_t max = opts && opts->max_size ? opts->max_size :
	    XVM_KIMAGE_MAX_SIZE;
	unsigned char *data;
	char *buf = NULL;
	size_t len = 0;

	if (ki == NULL || path == NULL)
		return xvm_err_set(err, XVM_ERR_INVALID_ARG,
		    "no kernel file given");
	xvm_kimage_init(ki);
	if (xvm_file_read(path, max, &buf, &len, err) < 0) {
		if (err != NULL && err->sys_errno == EFBIG)
			xvm_err_set(err, XVM_ERR_CONFIG,
			    "'%s' is larger than the limit of %zu bytes", path,
			    max);
		return -1;
	}
	data = (unsigned char *)buf;
	return parse(ki, path, &data, len, true, opts, err);
}

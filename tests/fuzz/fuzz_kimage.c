/*
 * fuzz_kimage.c - fuzz target for the guest kernel image parser
 * (lib/xen/kimage.h), with a 64 MiB cap.
 *
 * The input is parsed twice: as a PV kernel and with XVM_KIMAGE_PROBE.
 * Invariants:
 *   - a failure is an XVM_ERR_CONFIG with a message naming the input, and
 *     leaves the kimage empty;
 *   - a success describes segments that lie inside the owned image, sorted
 *     and disjoint, within [kstart, kend) when the kernel is PV, with the
 *     entry point inside the kernel.
 */
#include <stdlib.h>
#include <string.h>

#include "xvm/err.h"
#include "xvm/util.h"
#include "xen/kimage.h"
#include "fuzz.h"

#define CAP	((size_t)64 << 20)

static void
check_ok(const struct xvm_kimage *ki)
{
	const struct xvm_kimage_seg *s;
	volatile unsigned char sink;
	size_t i;

	if (ki->image == NULL || ki->nsegs == 0 || ki->image_len > CAP)
		abort();
	for (i = 0; i < ki->nsegs; i++) {
		s = &ki->segs[i];
		if (s->filesz > s->memsz || s->data < ki->image ||
		    (size_t)(s->data - ki->image) > ki->image_len ||
		    s->filesz > ki->image_len - (size_t)(s->data - ki->image))
			abort();
		if (i > 0 && ki->segs[i - 1].paddr + ki->segs[i - 1].memsz >
		    s->paddr)
			abort();
		/* touch the bytes: ASan checks they are there */
		if (s->filesz > 0) {
			sink = s->data[0];
			sink = s->data[s->filesz - 1];
			(void)sink;
		}
		if (ki->pv && (s->vaddr < ki->kstart ||
		    s->vaddr + s->memsz > ki->kend))
			abort();
	}
	if (ki->pv) {
		if (ki->not_pv != NULL || ki->kstart >= ki->kend ||
		    ki->entry < ki->kstart || ki->entry > ki->kend ||
		    ki->virt_base > ki->kstart)
			abort();
	} else if (ki->not_pv == NULL) {
		abort();
	}
	if (ki->guest_os != NULL && strlen(ki->guest_os) > 1024)
		abort();
}

static void
one(const uint8_t *data, size_t size, unsigned flags)
{
	struct xvm_kimage_opts o = { CAP, flags };
	struct xvm_kimage ki;
	struct xvm_err err;

	xvm_err_clear(&err);
	if (xvm_kimage_parse(&ki, "fuzz", data, size, &o, &err) < 0) {
		if (err.code != XVM_ERR_CONFIG || err.msg[0] == '\0' ||
		    strstr(err.msg, "'fuzz'") == NULL)
			abort();
		if (ki.image != NULL || ki.segs != NULL || ki.name != NULL)
			abort();
		return;
	}
	check_ok(&ki);
	xvm_kimage_release(&ki);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	one(data, size, 0);
	one(data, size, XVM_KIMAGE_PROBE);
	return 0;
}

/*
 * fuzz_hvmfw.c - fuzz target for what HVM guests bring from outside:
 * the firmware image the toolstack loads (xvm_hvm_loader_parse, an ELF32
 * executable; a config's firmware override names any file) and the El
 * Torito records the simulated firmware reads from a CD-ROM image
 * (sim_eltorito_parse).  The first byte picks which.
 *
 * Invariants:
 *   - a firmware image that parses has 1..16 segments, each inside the
 *     file, between 1 MiB and 64 MiB, and the entry point in one of them;
 *     one that does not has a message naming the file;
 *   - an El Torito catalog that parses gives a boot image of 512 bytes to
 *     32 MiB (65535 sectors) within a 32-bit sector address.
 */
#include <stdlib.h>
#include <string.h>

#include "xen/hvmbuild.h"
#include "xen/io/sim_int.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct xvm_hvm_seg segs[16];
	struct xvm_err err;
	unsigned char vd[2048], cat[2048];
	uint64_t entry, end, off;
	uint32_t catalog, len;
	size_t n, i;

	if (size < 1)
		return 0;
	if (data[0] & 1) {
		xvm_err_clear(&err);
		if (xvm_hvm_loader_parse(data + 1, size - 1, "fw", segs, 16, &n,
		    &entry, &end, &err) < 0) {
			if (strncmp(err.msg, "fw: ", 4) != 0)
				abort();
			return 0;
		}
		if (n < 1 || n > 16)
			abort();
		for (i = 0; i < n; i++)
			if (segs[i].filesz > segs[i].memsz ||
			    segs[i].offset + segs[i].filesz > size - 1 ||
			    segs[i].paddr < 0x100000 ||
			    segs[i].paddr + segs[i].memsz > (64u << 20) ||
			    segs[i].paddr + segs[i].memsz > end)
				abort();
		for (i = 0; i < n; i++)
			if (entry >= segs[i].paddr &&
			    entry < segs[i].paddr + segs[i].memsz)
				break;
		if (i == n)
			abort();
		return 0;
	}
	memset(vd, 0, sizeof(vd));
	memset(cat, 0, sizeof(cat));
	n = size - 1 < sizeof(vd) ? size - 1 : sizeof(vd);
	memcpy(vd, data + 1, n);
	if (size - 1 > sizeof(vd))
		memcpy(cat, data + 1 + sizeof(vd), size - 1 - sizeof(vd) <
		    sizeof(cat) ? size - 1 - sizeof(vd) : sizeof(cat));
	if (sim_eltorito_parse(vd, NULL, &catalog, NULL, NULL) == 0 &&
	    sim_eltorito_parse(vd, cat, &catalog, &off, &len) == 0) {
		if (len < 512 || len > 65535u * 512 || off % 2048 != 0 ||
		    off > 0xffffffffull * 2048)
			abort();
	}
	return 0;
}

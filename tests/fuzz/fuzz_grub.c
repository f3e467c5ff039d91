/*
 * fuzz_grub.c - fuzz target for what the bootloader reads from a guest's
 * disk (lib/toolstack/bootloader.c): the first byte picks the parser -
 * GRUB legacy's menu.lst, GRUB 2's grub.cfg, or the partition table of a
 * disk whose first sectors are the rest of the input.
 * Invariants: a picked entry has a kernel; offsets are whole sectors.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "toolstack/ts_int.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text, *k, *i, *a;
	uint64_t offs[128];
	size_t n, j;
	int fd;

	if (size < 1)
		return 0;
	if (data[0] % 3 < 2) {
		text = malloc(size);
		if (!text)
			return 0;
		memcpy(text, data + 1, size - 1);
		text[size - 1] = '\0';
		if (ts_grub_pick(text, data[0] % 3 == 0, &k, &i, &a)) {
			if (k == NULL)
				abort();
			free(k);
			free(i);
			free(a);
		}
		free(text);
		return 0;
	}
	if ((fd = memfd_create("disk", 0)) < 0)
		return 0;
	if (write(fd, data + 1, size - 1) == (ssize_t)(size - 1)) {
		n = ts_disk_partitions(fd, offs, 128);
		for (j = 0; j < n; j++)
			if (offs[j] % 512 != 0)
				abort();
	}
	close(fd);
	return 0;
}

/*
 * mkdom.c - a test fixture: make a running domain on the host of
 * XVM_DEFAULT_URI the way the toolstack does before it loads a kernel
 * (createdomain, max_vcpus, max_mem, populate_physmap, the xenstore nodes
 * a toolstack writes, unpause), so the lifecycle commands can be tested
 * before xm create builds real guests.  Not installed.
 *
 *   mkdom NAME MEMORY_MIB VCPUS [paused]      prints the new domain's id
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xvm/domain.h"
#include "xvm/toolstack.h"
#include "toolstack/ts_int.h"

int
main(int argc, char **argv)
{
	struct xvm_conn *c = NULL;
	struct xvm_err err;
	unsigned char uuid[16];
	uint32_t id = 0;
	unsigned long long mib;
	unsigned vcpus;

	if (argc < 4 || argc > 5) {
		fprintf(stderr, "usage: mkdom NAME MEMORY_MIB VCPUS [paused]\n");
		return 2;
	}
	mib = strtoull(argv[2], NULL, 10);
	vcpus = (unsigned)strtoul(argv[3], NULL, 10);
	xvm_err_clear(&err);
	xvm_uuid_generate(uuid);
	if (xvm_connect(NULL, 0, &c, NULL, &err) < 0 ||
	    ts_domain_make(c, argv[1], uuid, vcpus, mib * 1024, mib * 1024,
	    argc == 5 && strcmp(argv[4], "paused") == 0, &id, &err) < 0)
		goto fail;
	printf("%u\n", id);
	xvm_disconnect(c);
	return 0;
fail:
	fprintf(stderr, "mkdom: %s\n", err.msg);
	xvm_disconnect(c);
	return 1;
}

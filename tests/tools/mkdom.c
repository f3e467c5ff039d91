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
	char u[37], path[128], val[64];
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
	xvm_uuid_format(uuid, u);
	if (xvm_connect(NULL, 0, &c, NULL, &err) < 0 ||
	    xvm_xc_domain_create(c->io, uuid, false, vcpus, &id, &err) < 0 ||
	    xvm_xc_domain_max_mem(c->io, id, mib * 1024, &err) < 0 ||
	    xvm_xc_domain_populate(c->io, id, mib * 256, &err) < 0)
		goto fail;
	snprintf(path, sizeof(path), "/local/domain/%u/name", id);
	if (xvm_xs_write(c->io, path, argv[1], &err) < 0)
		goto fail;
	snprintf(path, sizeof(path), "/local/domain/%u/vm", id);
	snprintf(val, sizeof(val), "/vm/%s", u);
	if (xvm_xs_write(c->io, path, val, &err) < 0)
		goto fail;
	snprintf(path, sizeof(path), "/vm/%s/name", u);
	if (xvm_xs_write(c->io, path, argv[1], &err) < 0)
		goto fail;
	if ((argc < 5 || strcmp(argv[4], "paused") != 0) &&
	    xvm_xc_domain_unpause(c->io, id, &err) < 0)
		goto fail;
	printf("%u\n", id);
	xvm_disconnect(c);
	return 0;
fail:
	fprintf(stderr, "mkdom: %s\n", err.msg);
	xvm_disconnect(c);
	return 1;
}

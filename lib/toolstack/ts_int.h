/*
 * ts_int.h - what the files of lib/toolstack share (not public).
 */
#ifndef XVM_TS_INT_H
#define XVM_TS_INT_H

#include "xvm/toolstack.h"
#include "xen/io/io.h"
#include "xen/xc.h"

struct xvm_conn {
	char *uri;		/* canonical */
	struct xvm_io *io;
};

/*
 * A domain without a guest kernel (control.c): createdomain with uuid and
 * vcpus, max_mem max_kib, mem_kib populated, the xenstore nodes a
 * toolstack writes (/local/domain/N/{name,domid,vm}, /vm/UUID/{name,uuid}),
 * then unpaused unless paused.  The test:///default host's domain is one;
 * the test fixtures make theirs so until the PV builder lands.
 */
int ts_domain_make(struct xvm_conn *c, const char *name,
    const unsigned char uuid[16], unsigned vcpus, uint64_t max_kib,
    uint64_t mem_kib, bool paused, uint32_t *id_r, struct xvm_err *err);

/*
 * Remove what the toolstack wrote in xenstore for domain id: its home,
 * its backends under dom0, /libxl/ID and vm (its /vm/UUID; may be NULL).
 */
int ts_forget(struct xvm_conn *c, uint32_t id, const char *vm,
    struct xvm_err *err);

#endif

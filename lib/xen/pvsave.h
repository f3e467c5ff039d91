/*
 * pvsave.h - a PV domain's state into libxc's migration stream and back
 * (pvsave.c; the framing is savefile.h's).
 */
#ifndef XVM_XEN_PVSAVE_H
#define XVM_XEN_PVSAVE_H

#include <stdbool.h>
#include <stdint.h>

#include "xvm/err.h"
#include "xen/io/io.h"
#include "xen/savefile.h"

/*
 * The guest's p2m list (pfn -> mfn; ~0 where it has no page), read where
 * its shared_info says it is: the linear list under arch.p2m_cr3, else
 * the 3-level frame list.  An error when it has published neither.
 */
struct xvm_pv_p2m {
	uint64_t n;			/* entries */
	uint64_t *p2m;
	uint64_t *frames;		/* the machine frames holding it */
	uint64_t nframes;
};
int xvm_pv_p2m_read(struct xvm_io *io, uint32_t domid, struct xvm_pv_p2m *p,
    struct xvm_err *err);
void xvm_pv_p2m_release(struct xvm_pv_p2m *p);

/*
 * Write the libxc stream (headers to END) of domain domid, which must be
 * suspended (shut down for suspend) or paused; *pages_r (may be NULL):
 * the pages sent.
 */
int xvm_pv_save(struct xvm_io *io, uint32_t domid, struct xvm_sf_out *out,
    uint64_t *pages_r, struct xvm_err *err);

/*
 * The same, live (Xen's pre-copy): with log-dirty on, every page is sent
 * while the guest runs, then in rounds what it wrote meanwhile, until
 * fewer than target_dirty pages are left or after max_rounds rounds (Xen
 * 4.17's policy: 50 and 5); then suspend(arg) stops it and the rest
 * follows.  lv receives the rounds and the pages each sent.
 */
#define XVM_PV_LIVE_ROUNDS	16
struct xvm_pv_live {
	unsigned max_rounds;
	uint64_t target_dirty;
	int (*suspend)(void *arg, struct xvm_err *err);
	void *arg;
	/* out */
	unsigned rounds;		/* while it ran */
	uint64_t sent[XVM_PV_LIVE_ROUNDS];
	uint64_t last;			/* sent once it stopped */
	uint64_t total;
	bool stopped;			/* suspend was called and worked */
};
int xvm_pv_save_live(struct xvm_io *io, uint32_t domid,
    struct xvm_sf_out *out, struct xvm_pv_live *lv, struct xvm_err *err);

struct xvm_pvr_in {
	const char *name;		/* the file, in messages */
	uint32_t store_port, console_port;	/* the new event channels */
	uint32_t store_domid, console_domid;	/* who serves them */
};
struct xvm_pvr_out {
	uint64_t store_mfn, console_mfn;
	uint64_t nr_pages;		/* pages restored */
};

/*
 * Read a libxc stream (headers to END) into domid, a new PV domain with
 * its vcpus, maximum memory and event channels, and nothing else.
 */
int xvm_pv_restore(struct xvm_io *io, uint32_t domid, struct xvm_sf_in *in,
    const struct xvm_pvr_in *p, struct xvm_pvr_out *o, struct xvm_err *err);

#endif

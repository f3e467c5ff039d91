/*
 * cpumap.h - sets of physical CPUs as users write them (xl vcpu-pin,
 * virsh vcpupin, cpus= in configs): "all", "3", "0-3", "^2", "0-7,^4-5",
 * and as xl vcpu-list prints them ("all", "0-3,6").
 */
#ifndef XVM_CPUMAP_H
#define XVM_CPUMAP_H

#include <stddef.h>
#include <stdint.h>

#include "xvm/err.h"
#include "xvm/util.h"

#define XVM_CPUMAP_BYTES(n)	(((n) + 7) / 8)

/*
 * Parse s into map (XVM_CPUMAP_BYTES(nr_cpus) bytes, bit i = CPU i) for a
 * host of nr_cpus CPUs.  Items are applied left to right; a list that
 * starts with an exclusion starts from all CPUs.  Errors (XVM_ERR_INVALID_ARG)
 * name the list and the item: "invalid CPU list '0-x': 'x' is not a CPU
 * number", "CPU 9 does not exist: the host has 8 (0-7)", an empty result.
 */
int xvm_cpumap_parse(const char *s, unsigned nr_cpus, uint8_t *map,
    struct xvm_err *err);

/* "all" when every one of nr_cpus is set, else ranges: "0-3,6"; "" none. */
void xvm_cpumap_format(const uint8_t *map, unsigned nr_cpus,
    struct xvm_buf *b);

#endif

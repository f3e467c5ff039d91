/*
 * size.h - scaled integers with virsh's rules, and plain number parsing.
 *
 * A scaled integer is a decimal number optionally followed by a unit:
 *   b, byte, bytes              1
 *   k, KiB  m, MiB  g, GiB  t, TiB  p, PiB  e, EiB    powers of 1024
 *   KB, MB, GB, TB, PB, EB                            powers of 1000
 * (case-insensitive).  Without a unit the caller's default scale applies
 * (1024 for KiB-valued options such as virsh's setmem).  Negative numbers,
 * fractions and trailing junk are refused.
 */
#ifndef XVM_SIZE_H
#define XVM_SIZE_H

#include "xvm/err.h"

/*
 * Parse str into *out (in bytes, i.e. number * unit).  The result must not
 * exceed max.  On failure returns -1 and sets err:
 *   - not a non-negative decimal number, or out of range for 64 bits:
 *       code XVM_ERR_INVALID_ARG, msg "" (the caller words the complaint);
 *   - a suffix that is no unit: XVM_ERR_INVALID_ARG, "unknown suffix 'abc'";
 *   - number * unit > max: XVM_ERR_OVERFLOW, "value too large: 99999G".
 */
int xvm_size_parse(const char *str, unsigned long long default_scale,
    unsigned long long max, unsigned long long *out, struct xvm_err *err);

/* Multiply *value by the unit named by suffix ("" = default_scale). */
int xvm_size_scale(unsigned long long *value, const char *suffix,
    unsigned long long default_scale, unsigned long long max,
    struct xvm_err *err);

/*
 * Plain numbers as virsh reads <number> options: decimal, optional leading
 * blanks and '+', no '-' for the unsigned forms, nothing after the digits.
 * Return 0, or -1 when malformed or out of range (no err: the caller words it).
 */
int xvm_parse_ull(const char *str, unsigned long long *out);
int xvm_parse_uint(const char *str, unsigned int *out);
int xvm_parse_int(const char *str, int *out);
int xvm_parse_ll(const char *str, long long *out);

/*
 * Pretty capacity as virsh prints it: the largest binary unit (B, KiB, MiB,
 * GiB, TiB, PiB, EiB) under which the value is >= 1; returns the scaled value
 * and sets *unit.
 */
double xvm_size_pretty(unsigned long long bytes, const char **unit);

/*
 * Format bytes into buf as the shortest exact form: "512M" style when exact
 * in a binary unit ("0", "1023", "4K", "512M", "2G"), else plain bytes.
 */
char *xvm_size_format(unsigned long long bytes, char *buf, unsigned long size);

#endif

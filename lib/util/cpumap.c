/*
 * cpumap.c - CPU lists in and out (cpumap.h).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xvm/cpumap.h"
#include "xvm/size.h"

static int
bad(struct xvm_err *err, const char *s, const char *fmt, const char *item)
{
	char why[256];

	snprintf(why, sizeof(why), fmt, item);
	return xvm_err_set(err, XVM_ERR_INVALID_ARG, "invalid CPU list '%s': "
	    "%s", s, why);
}

/* One CPU number of item (up to end). */
static int
cpu_num(const char *s, const char *p, size_t len, unsigned nr_cpus,
    unsigned *v, struct xvm_err *err)
{
	char num[24];

	if (len == 0 || len >= sizeof(num))
		return bad(err, s, "'%s' is not a CPU number", len ? p : "");
	memcpy(num, p, len);
	num[len] = '\0';
	if (xvm_parse_uint(num, v) < 0)
		return bad(err, s, "'%s' is not a CPU number", num);
	if (*v >= nr_cpus)
		return xvm_err_set(err, XVM_ERR_INVALID_ARG, "CPU %u does not "
		    "exist: the host has %u (0-%u)", *v, nr_cpus, nr_cpus - 1);
	return 0;
}

int
xvm_cpumap_parse(const char *s, unsigned nr_cpus, uint8_t *map,
    struct xvm_err *err)
{
	size_t nbytes = XVM_CPUMAP_BYTES(nr_cpus), i;
	const char *p = s;
	bool first = true, any = false;
	unsigned c;

	if (nr_cpus == 0)
		return xvm_err_set(err, XVM_ERR_INTERNAL, "a host without CPUs");
	memset(map, 0, nbytes);
	if (s == NULL || *s == '\0')
		return bad(err, s ? s : "", "%s", "it is empty");
	if (strcmp(s, "all") == 0) {
		for (c = 0; c < nr_cpus; c++)
			map[c / 8] |= (uint8_t)(1u << (c % 8));
		return 0;
	}
	while (*p) {
		const char *end = strchr(p, ','), *dash;
		size_t len = end ? (size_t)(end - p) : strlen(p);
		bool not = *p == '^';
		unsigned lo, hi;
		char item[64];

		snprintf(item, sizeof(item), "%.*s", (int)len, p);
		if (not) {
			p++;
			len--;
			if (first)		/* "^2" alone: all but 2 */
				for (c = 0; c < nr_cpus; c++)
					map[c / 8] |= (uint8_t)(1u << (c % 8));
		}
		if (len == 0)
			return bad(err, s, "'%s' is not a CPU or range", item);
		dash = memchr(p, '-', len);
		if (dash) {
			if (cpu_num(s, p, (size_t)(dash - p), nr_cpus, &lo,
			    err) < 0 ||
			    cpu_num(s, dash + 1, len - (size_t)(dash - p) - 1,
			    nr_cpus, &hi, err) < 0)
				return -1;
			if (lo > hi)
				return bad(err, s, "'%s' is a backward range",
				    item);
		} else {
			if (cpu_num(s, p, len, nr_cpus, &lo, err) < 0)
				return -1;
			hi = lo;
		}
		for (c = lo; c <= hi; c++) {
			if (not)
				map[c / 8] &= (uint8_t)~(1u << (c % 8));
			else
				map[c / 8] |= (uint8_t)(1u << (c % 8));
		}
		first = false;
		p += len;
		if (*p == ',') {
			p++;
			if (*p == '\0')
				return bad(err, s, "%s", "it ends with ','");
		}
	}
	for (i = 0; i < nbytes; i++)
		any |= map[i] != 0;
	if (!any)
		return bad(err, s, "%s", "it leaves no CPU");
	return 0;
}

void
xvm_cpumap_format(const uint8_t *map, unsigned nr_cpus, struct xvm_buf *b)
{
	unsigned c = 0, n = 0, lo;
	bool sep = false;

	for (lo = 0; lo < nr_cpus; lo++)
		n += (map[lo / 8] >> (lo % 8)) & 1;
	if (n == nr_cpus) {
		xvm_buf_puts(b, "all");
		return;
	}
	while (c < nr_cpus) {
		if (!((map[c / 8] >> (c % 8)) & 1)) {
			c++;
			continue;
		}
		lo = c;
		while (c + 1 < nr_cpus && ((map[(c + 1) / 8] >> ((c + 1) %
		    8)) & 1))
			c++;
		if (lo == c)
			xvm_buf_printf(b, "%s%u", sep ? "," : "", lo);
		else
			xvm_buf_printf(b, "%s%u-%u", sep ? "," : "", lo, c);
		sep = true;
		c++;
	}
}

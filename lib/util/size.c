/*
 * size.c - scaled integers ("512M", "4GiB", "2KB") with the rules of virsh's
 * vshCommandOptScaledInt, plain decimal numbers, and byte counts for humans.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xvm/size.h"

/*
 * Read the leading unsigned decimal number of str; *end_r points after it.
 * Blanks and '+' may come first; a '-' anywhere in the number, no digits at
 * all, or a value beyond 64 bits make it malformed.
 */
static int
read_ull(const char *str, unsigned long long *out, const char **end_r)
{
	unsigned long long val;
	char *end;

	if (str == NULL)
		return -1;
	errno = 0;
	val = strtoull(str, &end, 10);
	if (errno != 0 || end == str || memchr(str, '-', end - str) != NULL)
		return -1;
	*out = val;
	*end_r = end;
	return 0;
}

static int
ascii_lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* Case-insensitive equality in ASCII, whatever the locale says. */
static int
ascii_caseeq(const char *a, const char *b)
{
	while (*a != '\0' && ascii_lower((unsigned char)*a) ==
	    ascii_lower((unsigned char)*b)) {
		a++;
		b++;
	}
	return *a == '\0' && *b == '\0';
}

/* The multiplier a unit suffix names, or 0 when it names none. */
static unsigned long long
suffix_scale(const char *suffix)
{
	static const char units[] = "kmgtpe";
	unsigned long long base, scale = 1;
	const char *p;
	int c;

	if (ascii_caseeq(suffix, "b") || ascii_caseeq(suffix, "byte") ||
	    ascii_caseeq(suffix, "bytes"))
		return 1;
	if (suffix[1] == '\0' || ascii_caseeq(suffix + 1, "iB"))
		base = 1024;
	else if ((suffix[1] == 'b' || suffix[1] == 'B') && suffix[2] == '\0')
		base = 1000;
	else
		return 0;
	c = ascii_lower((unsigned char)suffix[0]);
	p = c != '\0' ? strchr(units, c) : NULL;
	if (p == NULL)
		return 0;
	for (c = 0; c <= p - units; c++)
		scale *= base;
	return scale;
}

int
xvm_size_scale(unsigned long long *value, const char *suffix,
    unsigned long long default_scale, unsigned long long max,
    struct xvm_err *err)
{
	unsigned long long scale;

	if (suffix == NULL)
		suffix = "";
	if (*suffix == '\0')
		scale = default_scale ? default_scale : 1;
	else if ((scale = suffix_scale(suffix)) == 0)
		return xvm_err_set(err, XVM_ERR_INVALID_ARG,
		    "unknown suffix '%s'", suffix);
	if (*value != 0 && *value > max / scale)
		return xvm_err_set(err, XVM_ERR_OVERFLOW,
		    "value too large: %llu%s", *value, suffix);
	*value *= scale;
	return 0;
}

int
xvm_size_parse(const char *str, unsigned long long default_scale,
    unsigned long long max, unsigned long long *out, struct xvm_err *err)
{
	unsigned long long val;
	const char *end;

	if (read_ull(str, &val, &end) < 0)
		return xvm_err_set(err, XVM_ERR_INVALID_ARG, "%s", "");
	if (xvm_size_scale(&val, end, default_scale, max, err) < 0)
		return -1;
	*out = val;
	return 0;
}

int
xvm_parse_ull(const char *str, unsigned long long *out)
{
	unsigned long long val;
	const char *end;

	if (read_ull(str, &val, &end) < 0 || *end != '\0')
		return -1;
	*out = val;
	return 0;
}

int
xvm_parse_uint(const char *str, unsigned int *out)
{
	unsigned long long val;

	if (xvm_parse_ull(str, &val) < 0 || val > UINT_MAX)
		return -1;
	*out = (unsigned int)val;
	return 0;
}

int
xvm_parse_ll(const char *str, long long *out)
{
	long long val;
	char *end;

	if (str == NULL)
		return -1;
	errno = 0;
	val = strtoll(str, &end, 10);
	if (errno != 0 || end == str || *end != '\0')
		return -1;
	*out = val;
	return 0;
}

int
xvm_parse_int(const char *str, int *out)
{
	long long val;

	if (xvm_parse_ll(str, &val) < 0 || val < INT_MIN || val > INT_MAX)
		return -1;
	*out = (int)val;
	return 0;
}

double
xvm_size_pretty(unsigned long long bytes, const char **unit)
{
	static const char *const units[] = {
		"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB",
	};
	double limit = 1024;
	size_t i = 0;

	while (i + 1 < sizeof(units) / sizeof(units[0]) &&
	    (double)bytes >= limit) {
		limit *= 1024;
		i++;
	}
	if (unit != NULL)
		*unit = units[i];
	return (double)bytes / (limit / 1024);
}

char *
xvm_size_format(unsigned long long bytes, char *buf, unsigned long size)
{
	static const char units[] = "KMGTPE";
	unsigned long long unit;
	int i;

	if (buf == NULL || size == 0)
		return buf;
	if (bytes != 0) {
		for (i = 6; i > 0; i--) {
			unit = 1ULL << (10 * i);
			if (bytes % unit == 0) {
				snprintf(buf, size, "%llu%c", bytes / unit,
				    units[i - 1]);
				return buf;
			}
		}
	}
	snprintf(buf, size, "%llu", bytes);
	return buf;
}

/*
 * t_size.c - unit tests for size.c: virsh's scaled integers, plain numbers
 * and byte counts printed for humans.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "t.h"
#include "xvm/size.h"

#define KiB 1024ULL
#define MiB (KiB * 1024)
#define GiB (MiB * 1024)
#define TiB (GiB * 1024)
#define PiB (TiB * 1024)
#define EiB (PiB * 1024)

/* A parse that must succeed with want bytes. */
static void
parse_ok(const char *str, unsigned long long scale, unsigned long long want)
{
	struct xvm_err err;
	unsigned long long got = 12345;
	char what[128];
	int rc;

	xvm_err_clear(&err);
	rc = xvm_size_parse(str, scale, ULLONG_MAX, &got, &err);
	snprintf(what, sizeof(what), "size \"%s\" (scale %llu) parses", str,
	    scale);
	if (!T_EQ(rc, 0, what))
		printf("#   msg: %s\n", err.msg);
	snprintf(what, sizeof(what), "size \"%s\" (scale %llu) = %llu", str,
	    scale, want);
	T_OK(got == want, what);
	if (got != want)
		printf("#   got %llu\n", got);
}

/* A parse that must fail with code and msg, leaving *out alone. */
static void
parse_bad(const char *str, unsigned long long max, int code, const char *msg)
{
	struct xvm_err err;
	unsigned long long got = 777;
	char what[128];
	int rc;

	xvm_err_clear(&err);
	rc = xvm_size_parse(str, 1, max, &got, &err);
	snprintf(what, sizeof(what), "size \"%s\" fails", str);
	T_EQ(rc, -1, what);
	snprintf(what, sizeof(what), "size \"%s\": code %d", str, code);
	T_EQ(err.code, code, what);
	snprintf(what, sizeof(what), "size \"%s\": msg \"%s\"", str, msg);
	T_STREQ(err.msg, msg, what);
	snprintf(what, sizeof(what), "size \"%s\": output untouched", str);
	T_EQ(got, 777, what);
}

static void
test_size_parse(void)
{
	/* malformed numbers: empty message, the caller words it */
	parse_bad("-5", ULLONG_MAX, XVM_ERR_INVALID_ARG, "");
	parse_bad("-0", ULLONG_MAX, XVM_ERR_INVALID_ARG, "");
	parse_bad(" -5", ULLONG_MAX, XVM_ERR_INVALID_ARG, "");
	parse_bad("abc", ULLONG_MAX, XVM_ERR_INVALID_ARG, "");
	parse_bad("", ULLONG_MAX, XVM_ERR_INVALID_ARG, "");
	parse_bad("   ", ULLONG_MAX, XVM_ERR_INVALID_ARG, "");
	parse_bad("+", ULLONG_MAX, XVM_ERR_INVALID_ARG, "");
	parse_bad("K", ULLONG_MAX, XVM_ERR_INVALID_ARG, "");
	parse_bad("99999999999999999999", ULLONG_MAX, XVM_ERR_INVALID_ARG,
	    "");
	parse_bad(NULL, ULLONG_MAX, XVM_ERR_INVALID_ARG, "");

	/* suffixes that are no unit */
	parse_bad("12abc", ULLONG_MAX, XVM_ERR_INVALID_ARG,
	    "unknown suffix 'abc'");
	parse_bad("1.5", ULLONG_MAX, XVM_ERR_INVALID_ARG,
	    "unknown suffix '.5'");
	parse_bad("5 ", ULLONG_MAX, XVM_ERR_INVALID_ARG, "unknown suffix ' '");
	parse_bad("1X", ULLONG_MAX, XVM_ERR_INVALID_ARG, "unknown suffix 'X'");
	parse_bad("1 K", ULLONG_MAX, XVM_ERR_INVALID_ARG,
	    "unknown suffix ' K'");
	parse_bad("1KiBs", ULLONG_MAX, XVM_ERR_INVALID_ARG,
	    "unknown suffix 'KiBs'");
	parse_bad("1Ki", ULLONG_MAX, XVM_ERR_INVALID_ARG,
	    "unknown suffix 'Ki'");
	parse_bad("1KBB", ULLONG_MAX, XVM_ERR_INVALID_ARG,
	    "unknown suffix 'KBB'");
	parse_bad("1bb", ULLONG_MAX, XVM_ERR_INVALID_ARG,
	    "unknown suffix 'bb'");
	parse_bad("1Z", ULLONG_MAX, XVM_ERR_INVALID_ARG, "unknown suffix 'Z'");
	parse_bad("1e3", ULLONG_MAX, XVM_ERR_INVALID_ARG,
	    "unknown suffix 'e3'");
	parse_bad("0x10", ULLONG_MAX, XVM_ERR_INVALID_ARG,
	    "unknown suffix 'x10'");

	/* numbers and units */
	parse_ok("0", 1, 0);
	parse_ok("0", 1024, 0);
	parse_ok("0G", 1, 0);
	parse_ok("1024", 1, 1024);
	parse_ok("1024", 1024, 1048576);
	parse_ok("5", 0, 5);
	parse_ok(" 5", 1, 5);
	parse_ok("+5", 1, 5);
	parse_ok("007", 1, 7);
	parse_ok("1G", 1, GiB);
	parse_ok("1g", 1, GiB);
	parse_ok("1GiB", 1, GiB);
	parse_ok("1gib", 1, GiB);
	parse_ok("1GB", 1, 1000000000ULL);
	parse_ok("1gb", 1, 1000000000ULL);
	parse_ok("512M", 1, 512 * MiB);
	parse_ok("512MB", 1, 512000000ULL);
	parse_ok("1b", 1024, 1);
	parse_ok("1B", 1024, 1);
	parse_ok("1byte", 1024, 1);
	parse_ok("7bytes", 1024, 7);
	parse_ok("7BYTES", 1024, 7);
	parse_ok("1k", 1, KiB);
	parse_ok("1K", 1, KiB);
	parse_ok("1KiB", 1, KiB);
	parse_ok("1kIb", 1, KiB);
	parse_ok("2KB", 1, 2000);
	parse_ok("1Kb", 1, 1000);
	parse_ok("1T", 1, TiB);
	parse_ok("1TB", 1, 1000000000000ULL);
	parse_ok("1P", 1, PiB);
	parse_ok("1PB", 1, 1000000000000000ULL);
	parse_ok("1E", 1, EiB);
	parse_ok("15E", 1, 15 * EiB);
	parse_ok("1EB", 1, 1000000000000000000ULL);
	parse_ok("18446744073709551615", 1, ULLONG_MAX);
	parse_ok("4K", 1, 4096);

	/* overflow: value * unit > max */
	parse_bad("16E", ULLONG_MAX, XVM_ERR_OVERFLOW, "value too large: 16E");
	parse_bad("99999999999G", ULLONG_MAX, XVM_ERR_OVERFLOW,
	    "value too large: 99999999999G");
	parse_bad("5K", 4096, XVM_ERR_OVERFLOW, "value too large: 5K");
	parse_bad("4097", 4096, XVM_ERR_OVERFLOW, "value too large: 4097");
	parse_bad("+5k", 4096, XVM_ERR_OVERFLOW, "value too large: 5k");
}

static void
test_size_bounds(void)
{
	struct xvm_err err;
	unsigned long long v = 0;

	xvm_err_clear(&err);
	T_EQ(xvm_size_parse("4K", 1, 4096, &v, &err), 0, "4K fits max 4096");
	T_EQ(v, 4096, "4K = 4096");
	T_EQ(xvm_size_parse("4", 1024, 4096, &v, &err), 0,
	    "4 KiB by default scale fits max 4096");
	T_EQ(v, 4096, "4 * 1024 = 4096");
	T_EQ(xvm_size_parse("5", 1024, 4096, &v, &err), -1,
	    "5 KiB by default scale exceeds max 4096");
	T_STREQ(err.msg, "value too large: 5", "no suffix in the message");
	T_EQ(xvm_size_parse("0E", 1, 0, &v, &err), 0, "0E fits max 0");
	T_EQ(v, 0, "0E = 0");

	v = 3;
	T_EQ(xvm_size_scale(&v, "M", 1, ULLONG_MAX, &err), 0, "scale 3 M");
	T_EQ(v, 3 * MiB, "scale 3 M = 3 MiB");
	v = 3;
	T_EQ(xvm_size_scale(&v, "", 1000, ULLONG_MAX, &err), 0,
	    "scale by default");
	T_EQ(v, 3000, "scale 3 by default 1000");
	v = 3;
	T_EQ(xvm_size_scale(&v, NULL, 1024, ULLONG_MAX, &err), 0,
	    "NULL suffix is the default");
	T_EQ(v, 3072, "scale 3 by default 1024");
	v = 3;
	T_EQ(xvm_size_scale(&v, "q", 1, ULLONG_MAX, &err), -1, "scale q");
	T_STREQ(err.msg, "unknown suffix 'q'", "scale q message");
	T_EQ(v, 3, "failed scale leaves the value");
}

static void
test_parse_numbers(void)
{
	unsigned long long ull = 1;
	unsigned int ui = 1;
	long long ll = 1;
	int i = 1;

	T_EQ(xvm_parse_ull("0", &ull), 0, "ull 0");
	T_EQ(ull, 0, "ull 0 value");
	T_EQ(xvm_parse_ull("18446744073709551615", &ull), 0, "ull max");
	T_OK(ull == ULLONG_MAX, "ull max value");
	T_EQ(xvm_parse_ull("18446744073709551616", &ull), -1,
	    "ull max + 1 fails");
	T_EQ(xvm_parse_ull(" +12", &ull), 0, "ull blanks and +");
	T_EQ(ull, 12, "ull blanks and + value");
	T_EQ(xvm_parse_ull("-1", &ull), -1, "ull -1 fails");
	T_EQ(xvm_parse_ull("-0", &ull), -1, "ull -0 fails");
	T_EQ(xvm_parse_ull("12K", &ull), -1, "ull suffix fails");
	T_EQ(xvm_parse_ull("12 ", &ull), -1, "ull trailing blank fails");
	T_EQ(xvm_parse_ull("", &ull), -1, "ull empty fails");
	T_EQ(xvm_parse_ull(NULL, &ull), -1, "ull NULL fails");

	T_EQ(xvm_parse_uint("4294967295", &ui), 0, "uint max");
	T_OK(ui == UINT_MAX, "uint max value");
	T_EQ(xvm_parse_uint("4294967296", &ui), -1, "uint max + 1 fails");
	T_EQ(xvm_parse_uint("-1", &ui), -1, "uint -1 fails");
	T_EQ(xvm_parse_uint("1.5", &ui), -1, "uint 1.5 fails");
	T_EQ(xvm_parse_uint("abc", &ui), -1, "uint abc fails");
	T_EQ(xvm_parse_uint("", &ui), -1, "uint empty fails");
	T_EQ(xvm_parse_uint("  42", &ui), 0, "uint leading blanks");
	T_EQ(ui, 42, "uint 42");

	T_EQ(xvm_parse_int("-7", &i), 0, "int -7");
	T_EQ(i, -7, "int -7 value");
	T_EQ(xvm_parse_int("+7", &i), 0, "int +7");
	T_EQ(i, 7, "int +7 value");
	T_EQ(xvm_parse_int("2147483647", &i), 0, "int max");
	T_EQ(i, INT_MAX, "int max value");
	T_EQ(xvm_parse_int("-2147483648", &i), 0, "int min");
	T_EQ(i, INT_MIN, "int min value");
	T_EQ(xvm_parse_int("2147483648", &i), -1, "int max + 1 fails");
	T_EQ(xvm_parse_int("-2147483649", &i), -1, "int min - 1 fails");
	T_EQ(xvm_parse_int("1.5", &i), -1, "int 1.5 fails");
	T_EQ(xvm_parse_int("abc", &i), -1, "int abc fails");
	T_EQ(xvm_parse_int("", &i), -1, "int empty fails");
	T_EQ(xvm_parse_int("-", &i), -1, "int - fails");
	T_EQ(i, INT_MIN, "failed parse leaves the value");

	T_EQ(xvm_parse_ll("-9223372036854775808", &ll), 0, "ll min");
	T_OK(ll == LLONG_MIN, "ll min value");
	T_EQ(xvm_parse_ll("9223372036854775808", &ll), -1, "ll max + 1 fails");
	T_EQ(xvm_parse_ll("12x", &ll), -1, "ll junk fails");
	T_EQ(xvm_parse_ll(" -3", &ll), 0, "ll blanks and -");
	T_EQ(ll, -3, "ll -3 value");
}

static void
pretty(unsigned long long bytes, double want, const char *unit)
{
	const char *got_unit = NULL;
	double got;
	char what[128];

	got = xvm_size_pretty(bytes, &got_unit);
	snprintf(what, sizeof(what), "pretty %llu = %.2f %s", bytes, want,
	    unit);
	T_OK(got == want && got_unit != NULL && strcmp(got_unit, unit) == 0,
	    what);
	if (got != want || got_unit == NULL || strcmp(got_unit, unit) != 0)
		printf("#   got %.4f %s\n", got, got_unit ? got_unit : "?");
}

static void
format(unsigned long long bytes, const char *want)
{
	char buf[32], what[128];

	snprintf(what, sizeof(what), "format %llu = %s", bytes, want);
	T_STREQ(xvm_size_format(bytes, buf, sizeof(buf)), want, what);
}

static void
test_pretty_format(void)
{
	char small[3];

	pretty(0, 0, "B");
	pretty(1023, 1023, "B");
	pretty(1024, 1, "KiB");
	pretty(1536, 1.5, "KiB");
	pretty(MiB - 1, (MiB - 1) / 1024.0, "KiB");
	pretty(MiB, 1, "MiB");
	pretty(3 * GiB, 3, "GiB");
	pretty(2 * TiB, 2, "TiB");
	pretty(5 * PiB, 5, "PiB");
	pretty(EiB, 1, "EiB");
	pretty(ULLONG_MAX, 16, "EiB");

	format(0, "0");
	format(1, "1");
	format(1023, "1023");
	format(1024, "1K");
	format(1536, "1536");
	format(4096, "4K");
	format(536870912, "512M");
	format(3221225472ULL, "3G");
	format(2 * GiB, "2G");
	format(1025 * MiB, "1025M");
	format(TiB, "1T");
	format(PiB, "1P");
	format(EiB, "1E");
	format(15 * EiB, "15E");
	format(ULLONG_MAX, "18446744073709551615");
	T_STREQ(xvm_size_format(4096, small, sizeof(small)), "4K",
	    "format into a 3-byte buffer");
	T_STREQ(xvm_size_format(1536, small, sizeof(small)), "15",
	    "format truncates to the buffer");
}

int
main(void)
{
	test_size_parse();
	test_size_bounds();
	test_parse_numbers();
	test_pretty_format();
	return t_done();
}

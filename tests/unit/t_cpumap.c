/*
 * t_cpumap.c - CPU lists: what xl vcpu-pin and virsh vcpupin accept, what
 * they refuse, and xl vcpu-list's way of printing them.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "xvm/cpumap.h"
#include "t.h"

static const char *
round_trip(const char *in, unsigned nr)
{
	static char out[1100];
	uint8_t map[16];
	struct xvm_buf b = XVM_BUF_INIT;
	struct xvm_err err;

	if (xvm_cpumap_parse(in, nr, map, &err) < 0) {
		snprintf(out, sizeof(out), "error: %s", err.msg);
	} else {
		xvm_cpumap_format(map, nr, &b);
		snprintf(out, sizeof(out), "%s", xvm_buf_str(&b));
	}
	xvm_buf_release(&b);
	return out;
}

int
main(void)
{
	static const struct {
		const char *in;
		unsigned nr;
		const char *out;
	} cases[] = {
		{ "all", 8, "all" },
		{ "0-7", 8, "all" },
		{ "3", 8, "3" },
		{ "0-3", 8, "0-3" },
		{ "0,2,4-6", 8, "0,2,4-6" },
		{ "^2", 8, "0-1,3-7" },
		{ "0-7,^4-5", 8, "0-3,6-7" },
		{ "1,^1,2", 8, "2" },
		{ "6,5,4", 8, "4-6" },
		{ "0-99", 128, "0-99" },
		{ "127", 128, "127" },
		{ "", 8, "error: invalid CPU list '': it is empty" },
		{ "8", 8, "error: CPU 8 does not exist: the host has 8 (0-7)" },
		{ "0-8", 8, "error: CPU 8 does not exist: the host has 8 (0-7)" },
		{ "x", 8, "error: invalid CPU list 'x': 'x' is not a CPU number" },
		{ "1-x", 8, "error: invalid CPU list '1-x': 'x' is not a CPU "
		    "number" },
		{ "3-1", 8, "error: invalid CPU list '3-1': '3-1' is a backward "
		    "range" },
		{ "1,", 8, "error: invalid CPU list '1,': it ends with ','" },
		{ ",1", 8, "error: invalid CPU list ',1': '' is not a CPU or "
		    "range" },
		{ "^", 8, "error: invalid CPU list '^': '^' is not a CPU or "
		    "range" },
		{ "0-3,^0-3", 8, "error: invalid CPU list '0-3,^0-3': it leaves "
		    "no CPU" },
		{ "-1", 8, "error: invalid CPU list '-1': '' is not a CPU "
		    "number" },
		{ "1 ", 8, "error: invalid CPU list '1 ': '1 ' is not a CPU "
		    "number" },
		{ "99999999999999999999", 8, "error: invalid CPU list "
		    "'99999999999999999999': '99999999999999999999' is not a "
		    "CPU number" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		T_STREQ(round_trip(cases[i].in, cases[i].nr), cases[i].out,
		    cases[i].in);
	return t_done();
}

#!/usr/bin/env bats
# The project's test guest (tests/guest) on a real Xen 4.17: QEMU boots
# Debian's hypervisor with the guest as Domain-0, so Xen's own ELF loader
# and PV builder check what lib/xen/kimage checks, and the guest's
# hypercalls run for real.

load helper

@test "the test guest boots on Xen 4.17, prints its marker and blocks" {
	run "$XVM_TOP/tests/guest/boot-on-xen.sh"
	[ "$status" -eq 0 ] || { printf '%s\n' "$output" >&2; false; }
	[ "$output" = 'boot-on-xen: xvm-test-guest: up (Domain-0) cmdline="xvm-marker-check=1"' ]
}

@test "what is not a PV kernel fails on the real Xen too" {
	run "$XVM_TOP/tests/guest/boot-on-xen.sh" /bin/true
	[ "$status" -eq 1 ]
	[[ "$output" == *"no marker"* ]]
	[[ "$output" == *"Could not construct domain 0"* ]]
}

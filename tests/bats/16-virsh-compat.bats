#!/usr/bin/env bats
# test:///default against the real thing: every command string of
# tests/virsh-compat/cases through Debian's virsh 9.0 (libvirt-clients, on
# libvirt's own test driver) and through ours; stdout, stderr and exit
# status must be the same, byte for byte, but for the CPU time that grows
# with the clock.  And `virsh help CMD` for every command ours has.

load helper

setup() { common_setup; }

@test "test:///default: the real virsh 9.0 and ours answer the same" {
	[ -x /usr/bin/virsh ] || { echo "libvirt-clients is not installed (make deps)" >&2; false; }
	/usr/bin/virsh --version | grep -qx 9.0.0
	run "$XVM_TOP/tests/virsh-compat/compare.sh"
	printf '%s\n' "$output" | tail -40 >&3
	[ "$status" -eq 0 ]
	n=$(grep -cv '^\(#\|$\)' "$XVM_TOP/tests/virsh-compat/cases")
	[ "$n" -ge 150 ]
	[[ "$output" == *"virsh-compat: $n/$n identical" ]]
}

@test "the comparison sees a difference" {
	cd "$BATS_TEST_TMPDIR"
	printf 'uri\nversion\n' > cases
	printf '#!/bin/sh\n[ "$3" = version ] && { echo "Compiled against library: libvirt 1.0.0"; exit 0; }\nexec "%s" "$@"\n' \
	    "$XVM_TOP/build/bin/virsh" > fake
	chmod +x fake
	run "$XVM_TOP/tests/virsh-compat/compare.sh" "$PWD/cases" /usr/bin/virsh "$PWD/fake"
	[ "$status" -eq 1 ]
	[[ "$output" == *"DIFFERS: version"* ]]
	[[ "$output" == *"virsh-compat: 1/2 identical" ]]
}

@test "virsh help CMD equals the real virsh 9.0's for every command ours has" {
	local c n=0
	for c in $(virsh help | awk '/^    [a-z]/ { print $1 }'); do
		diff <(/usr/bin/virsh help "$c") <(virsh help "$c") ||
		    { echo "help $c differs" >&2; false; }
		n=$((n + 1))
	done
	[ "$n" -ge 29 ]
}

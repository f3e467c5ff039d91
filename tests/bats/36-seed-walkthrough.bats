#!/usr/bin/env bats
# The walk-through of the Sun xVM guide, as scripts on simulated hosts:
# with xm, create from its solaris-pv config (the test guest standing in
# for the Solaris kernel and boot archive), list, vcpu-set 10 then 8
# (vcpu-list shows the two offline), mem-set, save, restore, migrate --live
# to a second host, destroy; with virsh, define, start, list --all,
# setvcpus 10 then 8 (vcpuinfo shows the two offline), setmem, save,
# restore, dump.

load helper

setup() {
	common_setup
	cd "$BATS_TEST_TMPDIR"
	: > boot_archive
	OTHER=sim://$BATS_TEST_TMPDIR/other
}

@test "the guide's walk-through, end to end" {
	run_split xm create "$XVM_TOP/tests/bats/fixtures/solaris-pv.py" \
	    kernel="$XVM_TOP/build/tests/xvm-test-guest" \
	    ramdisk="$BATS_TEST_TMPDIR/boot_archive" vcpus=10 memory=128
	[ "$status" -eq 0 ]
	[ "$out" = "Using config file \"$XVM_TOP/tests/bats/fixtures/solaris-pv.py\".
Started domain solaris-pv (id=1)
" ]
	[ "$(xm list | awk '$1 == "solaris-pv" { print $2, $3, $4 }')" = "1 128 10" ]

	xm vcpu-set solaris-pv 8
	for i in $(seq 100); do
		[ "$(field solaris-pv 4)" = 8 ] && break
		sleep 0.02
	done
	run_split xm vcpu-list solaris-pv
	[ "$(printf '%s' "$out" | tail -2)" = "solaris-pv                           1     8    -   --p       0.0  all / all
solaris-pv                           1     9    -   --p       0.0  all / all" ]
	[ "$(printf '%s\n' "$out" | grep -c -- ' -b- ')" -eq 8 ]

	xm mem-set solaris-pv 96
	for i in $(seq 100); do
		[ "$(field solaris-pv 3)" = 96 ] && break
		sleep 0.02
	done
	[ "$(field solaris-pv 3)" = 96 ]

	xm save solaris-pv solaris-pv.save
	[ -z "$(xm list | awk '$1 == "solaris-pv"')" ]
	xm restore solaris-pv.save
	[ "$(xm list | awk '$1 == "solaris-pv" { print $3, $4, $5 }')" = "96 8 -b----" ]

	XVM_DEFAULT_URI=$OTHER xm list >/dev/null 2>&1
	xm migrate --live solaris-pv "$OTHER"
	[ -z "$(xm list | awk '$1 == "solaris-pv"')" ]
	[ "$(XVM_DEFAULT_URI=$OTHER xm list | awk '$1 == "solaris-pv" { print $3, $5 }')" = "96 -b----" ]

	XVM_DEFAULT_URI=$OTHER xm destroy solaris-pv
	[ "$(XVM_DEFAULT_URI=$OTHER xm list | wc -l)" -eq 2 ]
	[ "$(xm list | wc -l)" -eq 2 ]
}

@test "the same with virsh: define, start, list --all, setvcpus 10 then 8, vcpuinfo, setmem, save, restore, dump" {
	xm create --dryrun "$XVM_TOP/tests/bats/fixtures/solaris-pv.py" \
	    kernel="$XVM_TOP/build/tests/xvm-test-guest" \
	    ramdisk="$BATS_TEST_TMPDIR/boot_archive" vcpus=10 memory=128 \
	    > solaris-pv.xml
	run_split virsh define solaris-pv.xml
	[ "$out" = "Domain 'solaris-pv' defined from solaris-pv.xml

" ]
	run_split virsh start solaris-pv
	[ "$out" = "Domain 'solaris-pv' started

" ]
	run_split virsh list --all
	[ "$out" = " Id   Name         State
----------------------------
 0    Domain-0     running
 1    solaris-pv   running

" ]
	sleep 0.1
	virsh setvcpus solaris-pv 10
	virsh setvcpus solaris-pv 8
	for i in $(seq 100); do
		[ "$(virsh vcpucount solaris-pv --active --live)" = 8 ] && break
		sleep 0.02
	done
	run_split virsh vcpuinfo solaris-pv
	[ "$(printf '%s\n' "$out" | grep -c '^State:          offline$')" = 2 ]
	[[ "$out" == *"VCPU:           8
CPU:            N/A
State:          offline
CPU Affinity:   yyyyyyyy

VCPU:           9
CPU:            N/A
State:          offline
CPU Affinity:   yyyyyyyy
"* ]]
	virsh setmem solaris-pv 96M
	for i in $(seq 100); do
		[ "$(virsh dominfo solaris-pv | grep 'Used memory')" = "Used memory:    98304 KiB" ] && break
		sleep 0.02
	done
	[ "$(virsh dominfo solaris-pv | grep 'Used memory')" = "Used memory:    98304 KiB" ]
	run_split virsh save solaris-pv solaris-pv.save
	[ "$out" = "
Domain 'solaris-pv' saved to solaris-pv.save

" ]
	[ "$(virsh domstate solaris-pv --reason)" = "shut off (saved)" ]
	run_split virsh restore solaris-pv.save
	[ "$out" = "Domain restored from solaris-pv.save

" ]
	[ "$(virsh vcpucount solaris-pv --active --live)" = 8 ]
	run_split virsh dump solaris-pv solaris-pv.core
	[ "$out" = "
Domain 'solaris-pv' dumped to solaris-pv.core

" ]
	[ "$(head -c 4 solaris-pv.core | od -An -c | tr -d ' ')" = '177ELF' ]
	virsh destroy solaris-pv >/dev/null
	[ "$(virsh list --all --name)" = "Domain-0
solaris-pv" ]
}

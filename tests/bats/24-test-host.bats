#!/usr/bin/env bats
# test:///default: libvirt's test-driver host, built fresh in each process
# on the simulated hypervisor, with no Domain-0 and nothing on disk.

load helper

setup() {
	common_setup
	export XVM_DEFAULT_URI=test:///default
	cd "$BATS_TEST_TMPDIR"
}

@test "xm list shows the one domain, test, running with 2 GiB and 2 vcpus" {
	run_split xm list
	[ "$status" -eq 0 ]
	[ -z "$err" ]
	[[ "$out" =~ ^"Name                                        ID   Mem VCPUs	State	Time(s)"$'\n'"test                                         1  2048     2     r-----  "[\ 0-9]{6}\.[0-9]$'\n'$ ]]
}

@test "xm info shows the test driver's node" {
	run_split xm info
	[ "$status" -eq 0 ]
	[[ "$out" == *$'\nnr_cpus                : 16\n'* ]]
	[[ "$out" == *$'\nnr_nodes               : 2\n'* ]]
	[[ "$out" == *$'\ncores_per_socket       : 2\n'* ]]
	[[ "$out" == *$'\nthreads_per_core       : 2\n'* ]]
	[[ "$out" == *$'\ncpu_mhz                : 1400.000\n'* ]]
	[[ "$out" == *$'\ntotal_memory           : 3072\n'* ]]
	[[ "$out" == *$'\nfree_memory            : 1024\n'* ]]
}

@test "each process gets a fresh host: a change does not outlive it" {
	run_split xm pause test
	[ "$status" -eq 0 ]
	run_split xm list test
	[[ "$out" == *"test                                         1  2048     2     r-----"* ]]
	run_split xm destroy 1
	[ "$status" -eq 0 ]
	run_split xm list
	[[ "$out" == *$'\ntest '* ]]
	# and nothing was written anywhere we can see
	[ -z "$(ls -A "$BATS_TEST_TMPDIR" | grep -v -e '^home$' -e '^stdout\.' -e '^stderr\.')" ]
	[ ! -e "$HOME/.local" ]
}

@test "the domain is found by name, id and UUID; there is no Domain-0" {
	run_split xm list 6695eb01-f6a4-8304-79aa-97f2502e193f
	[ "$status" -eq 0 ]
	[[ "$out" == *$'\ntest '* ]]
	run_split xm list 1
	[ "$status" -eq 0 ]
	run_split xm list Domain-0
	[ "$status" -eq 1 ]
	[ "$err" = "Error: Domain 'Domain-0' does not exist.
" ]
	run_split xm destroy 0
	[ "$status" -eq 1 ]
}

@test "other test:// URIs are refused clearly" {
	XVM_DEFAULT_URI=test:///etc/mydriver.xml run_split xm list
	[ "$status" -eq 1 ]
	[ "$err" = "Error: unknown URI 'test:///etc/mydriver.xml': the test host is test:///default (a custom test host from an XML file is not supported)
" ]
}

@test "every xm command answers on the test host: done, or a clear error" {
	export XVM_DEFAULT_URI=test:///default
	run_split xm uptime
	[ "$status" -eq 0 ]
	[[ "$out" =~ $'\n'"test                                 1  0:00:0"[0-9]$'\n'$ ]]
	for c in "mem-set test 1024" "mem-max test 4096" "vcpu-set test 1" \
	    "vcpu-pin test 0 1" "sched-credit -d test -w 300" "pause test" \
	    "sysrq test s" "rename test t2" "destroy test" "domid test" \
	    "domname 1" "dmesg" "log" "info" "vcpu-list" "list -l" \
	    "block-list test" "network-list test" "top -b -i 1"; do
		run_split xm $c
		[ "$status" -eq 0 ] || { echo "xm $c: $err" >&2; false; }
	done
	# its domain goes down and comes back when asked, as in libvirt's
	# test driver: -w does not wait forever
	run_split timeout 10 xm shutdown -w test
	[ "$status" -eq 0 ] && [ "$out" = "Domain test terminated
All domains terminated
" ]
	run_split timeout 10 xm reboot -w test
	[ "$status" -eq 0 ] && [ "$out" = "Domain test rebooted
All domains rebooted
" ]
	# save and dump-core write the test driver's own files
	run_split xm save test "$BATS_TEST_TMPDIR/t.save"
	[ "$status" -eq 0 ]
	[ "$(head -c 14 "$BATS_TEST_TMPDIR/t.save")" = TestGuestMagic ]
	run_split xm dump-core test "$BATS_TEST_TMPDIR/t.core"
	[ "$status" -eq 0 ] && [ "$(wc -c < "$BATS_TEST_TMPDIR/t.core")" = 15 ]
	# what it has no console or xl config for: a clear error
	for c in "console test" "migrate test sim://$BATS_TEST_TMPDIR/other"; do
		run_split xm $c </dev/null
		[ "$status" -eq 1 ] && [[ "$err" == "Error: "* ]] ||
		    { echo "xm $c: $status $err" >&2; false; }
	done
}

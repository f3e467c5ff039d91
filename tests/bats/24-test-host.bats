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

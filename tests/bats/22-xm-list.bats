#!/usr/bin/env bats
# xm list on a simulated Xen host: xl's layout, domain selection, --json,
# connection errors, and the trace of the hypercalls it makes.

load helper

setup() { common_setup; }

@test "a new simulated host is announced once and lists Domain-0" {
	run_split xm list
	[ "$status" -eq 0 ]
	[ "$err" = "xm: created a simulated Xen host at sim://$BATS_TEST_TMPDIR/host
" ]
	[ "${out%%$'\n'*}" = "Name                                        ID   Mem VCPUs	State	Time(s)" ]
	[[ "$out" =~ $'\n'"Domain-0                                     0  2048     8     r-----  "[\ 0-9]{6}\.[0-9]$'\n'$ ]]
	run_split xm list
	[ -z "$err" ]
}

@test "the host's size comes from the URI's query on first use" {
	XVM_DEFAULT_URI="sim://$BATS_TEST_TMPDIR/small?cpus=2&memory=4G" run_split xm list
	[ "$status" -eq 0 ]
	[[ "$out" == *"Domain-0                                     0  2048     2     r-----"* ]]
}

@test "xm list DOM by name, id or UUID; an unknown one is an error" {
	run_split xm list Domain-0
	[ "$status" -eq 0 ]
	[ "$(printf '%s' "$out" | wc -l)" -eq 2 ]
	run_split xm list 0
	[[ "$out" == *Domain-0* ]]
	run_split xm list nosuch
	[ "$status" -eq 1 ]
	[ "$err" = "Error: Domain 'nosuch' does not exist.
" ]
}

@test "xm list --json" {
	xm list >/dev/null 2>&1
	run xm list --json
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | jq -r '.[0].name')" = Domain-0 ]
	[ "$(echo "$output" | jq -r '.[0].id')" = 0 ]
	[ "$(echo "$output" | jq -r '.[0].state')" = r----- ]
}

@test "bad URIs and a missing hypervisor are clear errors" {
	XVM_DEFAULT_URI=bogus:///x run_split xm list
	[ "$status" -eq 1 ]
	[ "$err" = "Error: unknown URI 'bogus:///x': xvm connects to xen:///system, sim:///DIR and test:///default
" ]
	XVM_DEFAULT_URI=sim://relative/dir run_split xm list
	[ "$status" -eq 1 ]
	[[ "$err" == "Error: 'sim://relative/dir' does not name a directory"* ]]
	XVM_DEFAULT_URI="sim://$BATS_TEST_TMPDIR/h2?cpus=0" run_split xm list
	[ "$status" -eq 1 ]
	if [ ! -e /dev/xen/privcmd ] && [ ! -e /proc/xen/privcmd ]; then
		XVM_DEFAULT_URI=xen:///system run_split xm list
		[ "$status" -eq 1 ]
		[ "$err" = "Error: cannot open the hypervisor (/dev/xen/privcmd): No such file or directory
" ]
	fi
}

@test "XVM_TRACE=1 shows each hypercall and xenstore request" {
	xm list >/dev/null 2>&1
	XVM_TRACE=1 run_split xm list
	[ "$status" -eq 0 ]
	[[ "$err" == *"xvm: sysctl-getdomaininfolist-start dom=-1 (sim)"* ]]
	[[ "$err" == *"xvm: xs-read /local/domain/0/name -> ok ("* ]]
}

@test "xm info: xl's keys in xl's order and layout" {
	run_split xm info
	[ "$status" -eq 0 ]
	keys=$(printf '%s' "$out" | cut -c1-25)
	want=$(cut -c1-25 "$XVM_TOP/tests/bats/golden/xl-info-keys")
	[ "$keys" = "$want" ]
	[[ "$out" == *$'\nnr_cpus                : 8\n'* ]]
	[[ "$out" == *$'\ntotal_memory           : 16384\nfree_memory            : 14336\n'* ]]
	[[ "$out" == *$'\nxen_version            : 4.17.0-sim\n'* ]]
	[[ "$out" == *$'\nxen_scheduler          : credit\n'* ]]
	run xm info --json
	[ "$(echo "$output" | jq -r .xen_minor)" = 17 ]
}

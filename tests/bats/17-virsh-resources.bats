#!/usr/bin/env bats
# virsh on what a running domain of a simulated Xen host is given: vcpus
# (the guest takes them offline), affinity, memory (the guest balloons),
# the credit scheduler; --config changes the definition for the next boot.

load helper

setup() {
	common_setup
	cd "$BATS_TEST_TMPDIR"
	guest_cfg g.cfg 64
	sed -i 's/^vcpus = 2/vcpus = 4/' g.cfg
	xm list >/dev/null 2>&1
	xm new g.cfg
	virsh start g1 >/dev/null
	sleep 0.1
}

@test "setvcpus: the guest takes vcpus offline; vcpucount, vcpuinfo show it" {
	run_split virsh vcpucount g1
	[ "$out" = "maximum      config         4
maximum      live           4
current      config         4
current      live           4

" ]
	run_split virsh setvcpus g1 2
	[ "$status" -eq 0 ] && [ "$out" = "
" ]
	sleep 0.1
	[ "$(virsh vcpucount g1 --active --live)" = 2 ]
	[ "$(virsh vcpucount g1 --active --config)" = 4 ]
	[ "$(xm list g1 | awk 'NR == 2 { print $4 }')" = 2 ]
	run_split virsh vcpuinfo g1
	[[ "$out" == "VCPU:           0
CPU:            0
State:          blocked
CPU time:       "*"s
CPU Affinity:   yyyyyyyy
"*"VCPU:           3
CPU:            N/A
State:          offline
CPU Affinity:   yyyyyyyy

" ]]
	run_split virsh setvcpus g1 5
	[ "$status" -eq 1 ]
	[ "$err" = "error: invalid argument: requested cpu amount exceeds maximum (5 > 4)
" ]
	# the definition, for the next boot
	virsh setvcpus g1 3 --config
	[ "$(virsh vcpucount g1 --active --config)" = 3 ]
	grep -q "<vcpu placement='static' current='3'>4</vcpu>" "$BATS_TEST_TMPDIR/host/domains/0b6c3c1e-0d4f-4a6b-9c7d-1e2f3a4b5c6d.xml"
	virsh setvcpus g1 6 --maximum --config
	[ "$(virsh vcpucount g1 --maximum --config)" = 6 ]
	[ "$(virsh vcpucount g1 --active --config)" = 3 ]
}

@test "vcpupin: query and pin, as xm vcpu-list sees it" {
	run_split virsh vcpupin g1
	[ "$out" = " VCPU   CPU Affinity
----------------------
 0      0-7
 1      0-7
 2      0-7
 3      0-7

" ]
	virsh vcpupin g1 1 2-3
	virsh vcpupin g1 --vcpu 2 --cpulist 0,^0,5
	run_split virsh vcpupin g1 1
	[ "$out" = " VCPU   CPU Affinity
----------------------
 1      2-3

" ]
	[ "$(xm vcpu-list g1 | awk '$3 == 1 { print $7 }')" = "2-3" ]
	[ "$(virsh vcpuinfo g1 --pretty | grep -c 'CPU Affinity:   2-3 (out of 8)')" = 1 ]
	run_split virsh vcpupin g1 0 9
	[ "$err" = "error: CPU 9 in cpulist '9' exceed the maxcpu 8
" ]
	run_split virsh vcpupin g1 7 1
	[ "$err" = "error: invalid argument: requested vcpu '7' is not present in the domain
" ]
	run_split virsh vcpupin g1 0 x
	[ "$err" = "error: Invalid cpulist 'x'
" ]
}

xenstore_static_max() {
	"$XVM_TOP/build/tests/xsls" /local/domain/1/memory/static-max | sed 's/.*"\(.*\)"/\1/'
}

@test "setmem: the guest balloons; setmaxmem on the running domain; --config" {
	run_split virsh setmem g1 32M
	[ "$status" -eq 0 ]
	sleep 0.2
	[ "$(virsh dominfo g1 | grep 'Used memory')" = "Used memory:    32768 KiB" ]
	[ "$(xm list g1 | awk 'NR == 2 { print $3 }')" = 32 ]
	run_split virsh setmem g1 1G
	[ "$status" -eq 1 ]
	[ "$err" = "error: invalid argument: cannot set memory higher than max memory
" ]
	# the maximum of a running domain moves (libxl's setmaxmem)
	virsh setmaxmem g1 128M
	[ "$(virsh dominfo g1 | grep 'Max memory')" = "Max memory:     132096 KiB" ]
	[ "$(xenstore_static_max)" = 131072 ]
	virsh setmem g1 48M --config
	grep -q "<currentMemory unit='KiB'>49152</currentMemory>" "$BATS_TEST_TMPDIR/host/domains/0b6c3c1e-0d4f-4a6b-9c7d-1e2f3a4b5c6d.xml"
	virsh destroy g1 >/dev/null
	run_split virsh setmem g1 32M
	[ "$status" -eq 1 ]
	[ "$err" = "error: Requested operation is not valid: domain is not running
" ]
	virsh setmaxmem g1 256M
	[ "$(virsh dumpxml g1 --xpath '//memory/text()')" = 262144 ]
}

@test "schedinfo: the credit scheduler's weight and cap" {
	run_split virsh schedinfo g1
	[ "$out" = "Scheduler      : credit
weight         : 256
cap            : 0

" ]
	run_split virsh schedinfo g1 --weight 512 --cap 50
	[ "$out" = "Scheduler      : credit
weight         : 512
cap            : 50

" ]
	[ "$(xm sched-credit -d g1 | awk 'NR == 2 { print $3, $4 }')" = "512 50" ]
	run_split virsh schedinfo g1 --set weight=300
	[[ "$out" == *"weight         : 300"* ]]
	run_split virsh schedinfo g1 --set nosuch=1
	[ "$status" -eq 1 ] && [ "$err" = "error: invalid scheduler option: nosuch
" ]
	run_split virsh -r schedinfo g1 --weight 1
	[ "$status" -eq 1 ]
	[[ "$err" == *"read only access prevents virDomainSetSchedulerParametersFlags"* ]]
}

@test "--json on every command that prints data" {
	for c in "vcpucount g1" "maxvcpus" "vcpuinfo g1" "vcpupin g1" "schedinfo g1" "list --all" "dominfo g1" "domstate g1" "domid g1" "domname 1" "domuuid g1" "uri" "hostname" "version" "nodeinfo"; do
		run virsh $c --json
		[ "$status" -eq 0 ] || { echo "$c: $output" >&2; false; }
		echo "$output" | jq -e . >/dev/null || { echo "$c: not JSON: $output" >&2; false; }
	done
	[ "$(virsh vcpuinfo g1 --json | jq -r '.[3].state')" = blocked ]
	[ "$(virsh schedinfo g1 --json | jq -r .weight)" = 256 ]
}

@test "freecell: the host's free memory, which one guest takes from" {
	free=$(xm info | awk '$1 == "free_memory" { print $3 }')
	[ "$(virsh freecell)" = "Total: $((free * 1024)) KiB" ]
	[ "$(virsh freecell 0)" = "0: $((free * 1024)) KiB" ]
	[ "$(virsh freecell --all | sed -n 3p)" = "$(printf '%-5s: %10s KiB' Total $((free * 1024)))" ]
	run_split virsh freecell --cellno 1
	[ "$status" -eq 1 ] && [ "$err" = "error: invalid argument: Range exceeds available cells
" ]
	[ "$(virsh freecell --json | jq -r .total_kib)" = $((free * 1024)) ]
}

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
	# back up, within its maximum: the lower target lowered Xen's limit
	# (as xl mem-set does), not the domain's maximum
	run_split virsh setmem g1 60M
	[ "$status" -eq 0 ]
	sleep 0.2
	[ "$(xm list g1 | awk 'NR == 2 { print $3 }')" = 60 ]
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
	total=$(virsh freecell | sed -n 's/^Total: \([0-9]*\) KiB$/\1/p')
	# xm info rounds down to MiB; freecell is exact
	[ $((total / 1024)) -eq "$free" ]
	[ "$(virsh freecell 0)" = "0: $total KiB" ]
	[ "$(virsh freecell --all | sed -n 3p)" = "$(printf '%-5s: %10s KiB' Total "$total")" ]
	run_split virsh freecell --cellno 1
	[ "$status" -eq 1 ] && [ "$err" = "error: invalid argument: Range exceeds available cells
" ]
	[ "$(virsh freecell --json | jq -r .total_kib)" = "$total" ]
	# a guest's memory comes out of it
	virsh destroy g1 >/dev/null
	after=$(virsh freecell | sed -n 's/^Total: \([0-9]*\) KiB$/\1/p')
	[ $((after - total)) -ge $((64 * 1024)) ]
}

@test "freecell and capabilities on a two-node host: each cell's memory and CPUs" {
	export XVM_DEFAULT_URI="sim://$BATS_TEST_TMPDIR/numa?cpus=16&nodes=2&cores=4&threads=2&memory=8G"
	run_split virsh freecell --all
	[ "$status" -eq 0 ]
	c0=$(echo "$out" | awk '$1 == "0:" { print $2 }')
	c1=$(echo "$out" | awk '$1 == "1:" { print $2 }')
	tot=$(echo "$out" | awk '$1 == "Total:" { print $2 }')
	[ $((c0 + c1)) -eq "$tot" ]
	# Domain-0's 2 GiB were taken from the first node's 4 GiB
	[ "$c1" -eq 4194304 ] && [ "$c0" -lt $((4194304 - 2097152 + 1)) ]
	[ "$(virsh freecell --cellno 1)" = "1: 4194304 KiB" ]
	virsh capabilities > caps.xml
	[ "$(xmllint --xpath 'string(/capabilities/host/topology/cells/@num)' caps.xml)" = 2 ]
	[ "$(xmllint --xpath 'string(//cell[@id=1]/memory)' caps.xml)" = 4194304 ]
	[ "$(xmllint --xpath 'string(//cell[@id=1]/cpus/@num)' caps.xml)" = 8 ]
	# two threads a core: CPU 9 is 8's sibling, both in socket 1
	[ "$(xmllint --xpath 'string(//cell[@id=1]/cpus/cpu[@id=9]/@siblings)' caps.xml)" = 8-9 ]
	[ "$(xmllint --xpath 'string(//cell[@id=1]/cpus/cpu[@id=9]/@socket_id)' caps.xml)" = 1 ]
	[ "$(xmllint --xpath 'string(//cell[@id=0]/distances/sibling[@id=1]/@value)' caps.xml)" = 20 ]
	grep -q "<topology sockets='2' dies='1' cores='4' threads='2'/>" caps.xml
	# layouts that do not fit are refused, and nothing is made
	run_split virsh -c "sim://$BATS_TEST_TMPDIR/odd?cpus=3&threads=2" uri
	[ "$status" -eq 1 ] && [[ "$err" == *"3 CPUs do not make whole cores of 2 threads"* ]]
	[ ! -e "$BATS_TEST_TMPDIR/odd" ]
	run_split virsh -c "sim://$BATS_TEST_TMPDIR/odd?nodes=0" uri
	[ "$status" -eq 1 ] && [[ "$err" == *"'nodes=0' in "*"nodes=1..64"* ]]
}

@test "capabilities: the guest types Xen reports, as libvirt's Xen driver lists them" {
	virsh capabilities > caps.xml
	# from xen_caps "xen-3.0-x86_64 hvm-3.0-x86_32 hvm-3.0-x86_32p hvm-3.0-x86_64"
	[ "$(xmllint --xpath '//guest/os_type/text()' caps.xml | tr '\n' ' ')" = "xen hvm xenpvh hvm xenpvh " ]
	[ "$(xmllint --xpath 'string(//guest[os_type="xen"]/arch/@name)' caps.xml)" = x86_64 ]
	[ "$(xmllint --xpath 'string(//guest[os_type="xen"]/arch/machine)' caps.xml)" = xenpv ]
	# the 32-bit HVM guest merges x86_32 and x86_32p
	xmllint --xpath '//guest[os_type="hvm"][arch/@name="i686"]/features' caps.xml > f
	grep -q '<pae/>' f && grep -q '<nonpae/>' f && grep -q '<hap default="on" toggle="yes"/>' f
	[ "$(xmllint --xpath 'string(//guest[os_type="hvm"][1]/arch/loader)' caps.xml)" = /usr/lib/xen/boot/hvmloader ]
	[ "$(xmllint --xpath 'count(//domain[@type="xen"])' caps.xml)" = 5 ]
	# the host: x86_64 (long mode) with PAE, Xen's 8 CPUs in one cell
	[ "$(xmllint --xpath 'string(/capabilities/host/cpu/arch)' caps.xml)" = x86_64 ]
	[ "$(xmllint --xpath 'count(/capabilities/host/cpu/features/pae)' caps.xml)" = 1 ]
	[ "$(xmllint --xpath 'string(//cells/@num)' caps.xml)" = 1 ]
	[ "$(xmllint --xpath 'string(//cell/cpus/@num)' caps.xml)" = "$(xm info | awk '$1 == "nr_cpus" { print $3 }')" ]
	# valid against libvirt 9.0's capability.rng but for two elements its
	# own Xen driver writes and the schema does not know: netprefix and
	# the xenpvh guest type
	sed -e '/<netprefix>/d' -e 's/>xenpvh</>xen</' caps.xml |
		xmllint --noout --relaxng "$XVM_TOP/data/schemas/capability.rng" -
	# read-only connections may read it
	[ "$(virsh -r capabilities | head -1)" = "<capabilities>" ]
}

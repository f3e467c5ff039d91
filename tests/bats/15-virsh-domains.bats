#!/usr/bin/env bats
# virsh's domain and host commands on a simulated Xen host: the same
# store and domains as xm, virsh's layouts and messages, libvirt's states
# and their reasons, read-only connections.

load helper

setup() {
	common_setup
	HOST=$BATS_TEST_TMPDIR/host
	cd "$BATS_TEST_TMPDIR"
	guest_cfg g.cfg 64
	xm list >/dev/null 2>&1
	U=0b6c3c1e-0d4f-4a6b-9c7d-1e2f3a4b5c6d
}

@test "the host: uri, version, nodeinfo, hostname" {
	run_split virsh uri
	[ "$status" -eq 0 ] && [ "$out" = "sim://$HOST

" ]
	run_split virsh version
	[ "$out" = "Compiled against library: libvirt 9.0.0
Using library: libvirt 9.0.0
Using API: Xen 9.0.0
Running hypervisor: Xen 4.17.0

" ]
	run_split virsh nodeinfo
	[[ "$out" == "CPU model:           x86_64
CPU(s):              8
"*"Memory size:         16777216 KiB
"* ]]
	run_split virsh hostname
	[ "$out" = "$(hostname)

" ]
	run_split virsh uri --json
	[ "$(echo "$out" | jq -r .uri)" = "sim://$HOST" ]
}

@test "xm's domains in virsh: Domain-0, defined, running; states and reasons" {
	xm new g.cfg
	run_split virsh list --all
	[ "$status" -eq 0 ]
	[ "$out" = " Id   Name       State
---------------------------
 0    Domain-0   running
 -    g1         shut off

" ]
	run_split virsh start g1
	[ "$out" = "Domain 'g1' started

" ]
	[ "$(virsh domstate g1 --reason)" = "running (booted)" ]
	run_split virsh dominfo g1
	[[ "$out" == "Id:             1
Name:           g1
UUID:           $U
OS Type:        xen
State:          running
CPU(s):         2
CPU time:       "*"s
Max memory:     66560 KiB
Used memory:    65536 KiB
Persistent:     yes
Autostart:      disable
Managed save:   no

" ]]
	virsh suspend g1 >/dev/null
	[ "$(virsh domstate g1 --reason)" = "paused (user)" ]
	[ "$(field g1 5)" = "--p---" ]
	virsh resume 1 >/dev/null
	[ "$(virsh domstate $U --reason)" = "running (unpaused)" ]
	[ "$(virsh domid g1)" = 1 ]
	[ "$(virsh domname 1)" = g1 ]
	[ "$(virsh domuuid g1)" = "$U" ]
	virsh destroy g1 >/dev/null
	[ "$(virsh domstate g1 --reason)" = "shut off (destroyed)" ]
	[ "$(virsh domid g1)" = "-" ]
	run_split virsh list --all --name --uuid
	[ "$out" = "00000000-0000-0000-0000-000000000000 Domain-0
$U g1

" ]
}

@test "shutdown and reboot: the guest answers; crash and save give their reasons" {
	xm new g.cfg on_crash=preserve
	virsh start g1 >/dev/null
	sleep 0.1
	run_split virsh shutdown g1
	[ "$out" = "Domain 'g1' is being shutdown

" ]
	sleep 0.3
	[ "$(virsh domstate g1 --reason)" = "shut off (shutdown)" ]
	virsh start g1 >/dev/null
	sleep 0.1
	run_split virsh reboot g1
	[ "$out" = "Domain 'g1' is being rebooted

" ]
	sleep 0.3
	[ "$(virsh domstate g1 --reason)" = "running (booted)" ]
	[ "$(virsh domid g1)" = 3 ]
	xm sysrq g1 c
	sleep 0.2
	[ "$(virsh domstate g1)" = "crashed" ]
	xm destroy g1
	virsh start g1 >/dev/null
	xm save g1 g1.save
	[ "$(virsh domstate g1 --reason)" = "shut off (saved)" ]
	xm restore g1.save
	[ "$(virsh domstate g1 --reason)" = "running (restored)" ]
	run_split virsh shutdown g1 --mode acpi
	[ "$status" -eq 1 ]
	[ "$err" = "error: Failed to shutdown domain 'g1'
error: unsupported configuration: shutdown mode acpi is not supported for Xen PV domains: use paravirt
" ]
	run_split virsh shutdown g1 --mode paravirt
	[ "$status" -eq 0 ]
}

@test "define, create, undefine, autostart with domain XML" {
	xm create --dryrun g.cfg > g.xml
	run_split virsh define g.xml
	[ "$status" -eq 0 ] && [ "$out" = "Domain 'g1' defined from g.xml

" ]
	[ -f "$HOST/domains/$U.xml" ]
	run_split xm list
	[[ "$out" != *g1* ]]
	run_split virsh autostart g1
	[ "$out" = "Domain 'g1' marked as autostarted

" ]
	[ -L "$HOST/domains/autostart/$U.xml" ]
	[ "$(virsh list --all --autostart --name)" = "g1" ]
	# the host's boot starts it
	run_split xm start -a
	[ "$out" = "Started domain g1 (id=1)
" ]
	run_split virsh autostart --disable g1
	[ "$out" = "Domain 'g1' unmarked as autostarted

" ]
	[ ! -e "$HOST/domains/autostart/$U.xml" ]
	run_split virsh undefine g1
	[ "$out" = "Domain 'g1' has been undefined

" ]
	[ "$(virsh list --transient --name)" = "g1" ]
	run_split virsh autostart g1
	[ "$status" -eq 1 ]
	[ "$err" = "error: Failed to mark domain 'g1' as autostarted
error: Requested operation is not valid: cannot set autostart for transient domain
" ]
	run_split virsh undefine g1
	[ "$status" -eq 1 ]
	[[ "$err" == *"cannot undefine transient domain"* ]]
	virsh destroy g1 >/dev/null
	run_split virsh create g.xml
	[ "$out" = "Domain 'g1' created from g.xml

" ]
	run_split virsh create g.xml
	[ "$status" -eq 1 ]
	[ "$err" = "error: Failed to create domain from g.xml
error: Requested operation is not valid: domain 'g1' is already active
" ]
	run_split virsh create g.xml --autodestroy
	[ "$status" -eq 1 ]
	run_split virsh define nosuch.xml
	[ "$err" = "error: Failed to open file 'nosuch.xml': No such file or directory
" ]
}

@test "read-only connections and unknown domains" {
	xm create g.cfg >/dev/null
	for c in "destroy g1" "suspend g1" "shutdown g1" "reboot g1" "undefine g1" "autostart g1"; do
		run_split virsh -r $c
		[ "$status" -eq 1 ] && [[ "$err" == *"operation forbidden: read only access prevents virDomain"* ]] ||
		    { echo "$c: $err" >&2; false; }
	done
	[ "$(field g1 5)" = "-b----" ]
	run_split virsh -r list --name
	[ "$out" = "Domain-0
g1

" ]
	for c in dominfo domstate destroy suspend resume start shutdown reboot undefine autostart domid domuuid; do
		run_split virsh $c nosuch
		[ "$status" -eq 1 ] && [ "$err" = "error: failed to get domain 'nosuch'
" ] || { echo "$c: $err" >&2; false; }
	done
	run_split virsh domname g1
	[ "$err" = "error: failed to get domain 'g1'
" ]
	XVM_DEFAULT_URI=bogus:///x run_split virsh list
	[ "$status" -eq 1 ]
	[[ "$err" == "error: failed to connect to the hypervisor
error: unknown URI 'bogus:///x'"* ]]
}

@test "list --json and dominfo --json" {
	xm create g.cfg >/dev/null
	run virsh list --json
	[ "$(echo "$output" | jq -r '.[1].name, .[1].state, .[1].persistent')" = "g1
running
false" ]
	run virsh dominfo g1 --json
	[ "$(echo "$output" | jq -r '.os_type, .max_memory_kib, .persistent')" = "xen
66560
false" ]
}

@test "domxml-to-native --domain: its running config, else its definition" {
	xm new g.cfg
	run_split virsh domxml-to-native xen-xm --domain g1
	[ "$status" -eq 0 ]
	[[ "$out" == *'name = "g1"'*"memory = 64"* ]]
	virsh start g1 >/dev/null
	run_split virsh domxml-to-native xen-xl --domain 1
	[ "$status" -eq 0 ] && [[ "$out" == 'name = "g1"'*"vcpus = 2"* ]]
	run_split virsh domxml-to-native xen-xl
	[ "$status" -eq 1 ] && [ "$err" = "error: need either domain or domain XML
" ]
	run_split virsh domxml-to-native xen-xl --domain g1 g.xml
	[ "$status" -eq 1 ] && [ "$err" = "error: Options --domain and --xml are mutually exclusive
" ]
	run_split virsh domxml-to-native xen-xl --domain nosuch
	[ "$status" -eq 1 ] && [ "$err" = "error: failed to get domain 'nosuch'
" ]
}

@test "dumpxml: the running config with its id, the definition, xpath" {
	xm new g.cfg
	run_split virsh dumpxml g1
	[ "$status" -eq 0 ]
	[ "${out%%$'\n'*}" = "<domain type='xen'>" ]
	[[ "$out" == *"  <uuid>$U</uuid>"* ]]
	virsh start g1 >/dev/null
	run_split virsh dumpxml g1
	[ "${out%%$'\n'*}" = "<domain type='xen' id='1'>" ]
	run_split virsh dumpxml g1 --inactive
	[ "${out%%$'\n'*}" = "<domain type='xen'>" ]
	[ "$(virsh dumpxml g1 --xpath //memory)" = "<memory unit=\"KiB\">65536</memory>" ]
	[ "$(virsh dumpxml 1 --xpath "//vcpu/text()")" = 2 ]
	run_split virsh dumpxml Domain-0
	[ "$status" -eq 0 ]
	[ "${out%%$'\n'*}" = "<domain type='xen' id='0'>" ]
	[[ "$out" == *"<uuid>00000000-0000-0000-0000-000000000000</uuid>"* ]]
	# what dumpxml prints defines the same domain again
	virsh dumpxml g1 --inactive > again.xml
	run_split virsh define again.xml
	[ "$status" -eq 0 ] && [ "$out" = "Domain 'g1' defined from again.xml

" ]
	run_split virsh dumpxml g1 --xpath 'count(//disk)'
	[ "$status" -eq 1 ] && [ "$err" = "error: internal error: Incorrect xpath 'count(//disk)'
" ]
}

@test "sysinfo: the host's SMBIOS tables as libvirt writes them" {
	mkdir dmi
	printf 'Xen & Co\n' > dmi/bios_vendor
	printf '4.17\n' > dmi/bios_version
	printf 'HVM domU\n' > dmi/product_name
	printf '0b6c3c1e-0d4f-4a6b-9c7d-1e2f3a4b5c6d\n' > dmi/product_uuid
	XVM_DMI_DIR=$PWD/dmi run_split virsh sysinfo
	[ "$status" -eq 0 ]
	[ "$out" = "<sysinfo type='smbios'>
  <bios>
    <entry name='vendor'>Xen &amp; Co</entry>
    <entry name='version'>4.17</entry>
  </bios>
  <system>
    <entry name='product'>HVM domU</entry>
    <entry name='uuid'>0b6c3c1e-0d4f-4a6b-9c7d-1e2f3a4b5c6d</entry>
  </system>
</sysinfo>

" ]
	echo "$out" | xmllint --noout -
	XVM_DMI_DIR=$PWD/nosuch run_split virsh sysinfo
	[ "$status" -eq 1 ]
	[ "$err" = "error: internal error: Host SMBIOS information is not available
" ]
}

@test "connect: another host in the same session; --readonly; a bad URI" {
	xm list >/dev/null 2>&1
	run_split virsh "uri; connect sim://$BATS_TEST_TMPDIR/other; uri; list --all --name; connect --readonly; uri; suspend Domain-0; connect sim://nothere"
	[ "$status" -eq 1 ]
	[ "$out" = "$XVM_DEFAULT_URI


sim://$BATS_TEST_TMPDIR/other

Domain-0


sim://$BATS_TEST_TMPDIR/other



" ]
	[ "$err" = "error: Failed to suspend domain 'Domain-0'
error: operation forbidden: read only access prevents virDomainSuspend
error: failed to connect to the hypervisor
error: 'sim://nothere' does not name a directory: a simulated host's URI is sim:///ABSOLUTE/DIR
" ]
	# the second host was made by connecting to it
	[ -f "$BATS_TEST_TMPDIR/other/state" ]
}

#!/usr/bin/env bats
# xm dump-core: Xen's dump-core ELF file of a guest's memory, where xm put
# it by default, -C and -L, and the coredump-destroy / coredump-restart
# lifecycle actions that write one when the guest stops.

load helper

setup() {
	common_setup
	HOST=$BATS_TEST_TMPDIR/host
	cd "$BATS_TEST_TMPDIR"
	guest_cfg g.cfg 32
	xm list >/dev/null 2>&1
}

@test "xm dump-core writes Xen's ELF core; the domain runs on" {
	xm create g.cfg >/dev/null
	run_split xm dump-core g1 g1.core
	[ "$status" -eq 0 ]
	[ "$out" = "Dumping core of domain: g1 ...
" ]
	[ "$(stat -c %a g1.core)" = 600 ]
	run readelf -h g1.core
	[[ "$output" == *"CORE (Core file)"* ]]
	[[ "$output" == *"Advanced Micro Devices X86-64"* ]]
	run readelf -S -W g1.core
	for s in .note.Xen .xen_prstatus .xen_shared_info .xen_p2m .xen_pages; do
		[[ "$output" == *" $s "* ]]
	done
	# the header note: PV magic, 1 online vcpu... (its vcpu 0), 8192 pages
	run readelf -x .note.Xen g1.core
	[[ "$output" == *"edeb0ff0 00000000"* ]]
	[ "$(field g1 5)" = "-b----" ]
	grep -q "domain 1: core dumped to g1.core (8192 pages)$" "$HOST/xvm.log"
	run_split xm dump-core g1 g1.core
	[ "$status" -eq 1 ]
	[[ "$err" == *"'g1.core' exists: it is not written over"* ]]
}

@test "the default file is xm's DATE-NAME.ID.core in the dump directory; -C destroys" {
	xm create g.cfg >/dev/null
	xm dump-core -L g1 >/dev/null
	run ls "$HOST/dump"
	[[ "$output" =~ ^[0-9]{4}-[0-9]{4}-[0-9]{4}\.[0-9]{2}-g1\.1\.core$ ]]
	[ "$(field g1 5)" = "-b----" ]
	xm dump-core -C g1 c.core >/dev/null
	run_split xm list g1
	[ "$status" -eq 1 ]
	[ -s c.core ]
	run_split xm dump-core nosuch
	[ "$status" -eq 1 ]
	[ "${err%$'\n'}" = "Error: Domain 'nosuch' does not exist." ]
	XVM_DEFAULT_URI=test:///default run_split xm dump-core test
	[ "$status" -eq 1 ]
	[[ "$err" == *"this host keeps no files: name the core file"* ]]
}

@test "on_poweroff coredump-destroy and coredump-restart write a core first" {
	xm create g.cfg on_poweroff=coredump-destroy >/dev/null
	xm shutdown -w g1 >/dev/null
	run_split xm list g1
	[ "$status" -eq 1 ]
	run ls "$HOST/dump"
	[[ "$output" =~ -g1\.1\.core$ ]]
	grep -q "domain 1 (g1) has shut down (poweroff): coredump-destroy$" "$HOST/xvm.log"
	xm create g.cfg on_poweroff=coredump-restart >/dev/null
	xm shutdown -w g1 >/dev/null
	[ "$(field g1 2)" = 3 ]
	[ "$(ls "$HOST/dump" | wc -l)" -eq 2 ]
}

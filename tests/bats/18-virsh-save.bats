#!/usr/bin/env bats
# virsh save, restore and dump on a simulated Xen host: Xen 4.17 xl's save
# format (xm restores what virsh saved, and the other way round), Xen's
# ELF core, libvirt's messages and the reasons the domain is left with.

load helper

setup() {
	common_setup
	cd "$BATS_TEST_TMPDIR"
	guest_cfg g.cfg 64
	xm list >/dev/null 2>&1
	xm new g.cfg
	virsh start g1 >/dev/null
	sleep 0.1
}

@test "save and restore: the domain goes to the file and comes back running" {
	run_split virsh save g1 g1.save
	[ "$status" -eq 0 ]
	[ "$out" = "
Domain 'g1' saved to g1.save

" ]
	[ "$(head -c 27 g1.save)" = "Xen saved domain, xl format" ]
	[ "$(virsh domstate g1 --reason)" = "shut off (saved)" ]
	run_split virsh restore g1.save
	[ "$out" = "Domain restored from g1.save

" ]
	[ "$(virsh domstate g1 --reason)" = "running (restored)" ]
	# the guest runs on: one boot in its console
	run_split bash -c "xm console g1 </dev/null"
	[ "$(grep -c 'booting on Xen' <<< "$out")" = 1 ]
	# xm restores what virsh saves, and the other way round
	xm save g1 g1.xm.save
	virsh restore g1.xm.save --paused >/dev/null
	[ "$(virsh domstate g1 --reason)" = "paused (user)" ]
	virsh resume g1 >/dev/null
	virsh save g1 again.save >/dev/null
	xm restore again.save
	[ "$(field g1 5)" = "-b----" ]
}

@test "save and restore refuse what they cannot do, and change nothing" {
	echo keep > taken.save
	run_split virsh save g1 taken.save
	[ "$status" -eq 1 ]
	[ "$err" = "error: Failed to save domain 'g1' to taken.save
error: Requested operation is not valid: '$BATS_TEST_TMPDIR/taken.save' exists: it is not written over
" ]
	[ "$(cat taken.save)" = keep ]
	[ "$(virsh domstate g1)" = running ]
	run_split virsh save g1 x.save --running
	[ "$err" = "error: Failed to save domain 'g1' to x.save
error: unsupported flags (0x2) in function libxlDomainSaveFlags
" ]
	run_split virsh restore nosuch.save
	[ "$status" -eq 1 ]
	[[ "$err" == "error: Failed to restore domain from nosuch.save
error: "*"$BATS_TEST_TMPDIR/nosuch.save"* ]]
	run_split virsh restore taken.save
	[ "$status" -eq 1 ]
	virsh -c test:///default 'save test t.save' >/dev/null
	run_split virsh restore t.save
	[ "$status" -eq 1 ]
	[[ "$err" == *"is a save image of libvirt's test driver: it restores on test:///default only"* ]]
	[ ! -e x.save ]
	[ "$(virsh list --name)" = "Domain-0
g1" ]
}

@test "dump: Xen's ELF core; --live, --crash; what Xen's driver does not take" {
	run_split virsh dump g1 g1.core
	[ "$status" -eq 0 ]
	[ "$out" = "
Domain 'g1' dumped to g1.core

" ]
	[ "$(head -c 4 g1.core | od -An -c | tr -d ' ')" = '177ELF' ]
	[ "$(virsh domstate g1)" = running ]
	virsh dump g1 live.core --live >/dev/null
	[ -s live.core ]
	run_split virsh dump g1 crash.core --crash
	[ "$status" -eq 0 ]
	[ "$(virsh domstate g1 --reason)" = "shut off (crashed)" ]
	virsh start g1 >/dev/null
	run_split virsh dump g1 x.core --memory-only
	[ "$err" = "error: Failed to core dump domain 'g1' to x.core
error: unsupported flags (0x10) in function libxlDomainCoreDump
" ]
	run_split virsh dump g1 x.core --format elf
	[ "$err" = "error: --format only works with --memory-only
" ]
	[ ! -e x.core ]
}

@test "migrate --live to another host; --persistent, --undefinesource, --suspend" {
	OTHER="sim://$BATS_TEST_TMPDIR/other"
	XVM_DEFAULT_URI=$OTHER xm list >/dev/null 2>&1
	run_split virsh migrate g1 "$OTHER" --live --persistent --undefinesource --verbose
	[ "$status" -eq 0 ]
	[ "$err" = $'\rMigration: [100 %]' ]
	[ "$(virsh list --all --name)" = "Domain-0" ]
	[ "$(virsh -c "$OTHER" list --name)" = "Domain-0
g1" ]
	[ "$(virsh -c "$OTHER" domstate g1 --reason)" = "running (migrated)" ]
	[ "$(virsh -c "$OTHER" dominfo g1 | grep Persistent)" = "Persistent:     yes" ]
	run_split virsh -c "$OTHER" migrate g1 "$XVM_DEFAULT_URI" --suspend
	[ "$status" -eq 0 ]
	[ "$(virsh domstate g1)" = paused ]
	run_split virsh migrate g1 "$OTHER" --p2p
	[ "$status" -eq 1 ]
	[ "$err" = "error: unsupported configuration: --p2p is not supported by Xen's migration
" ]
}

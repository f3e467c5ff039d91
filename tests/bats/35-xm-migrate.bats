#!/usr/bin/env bats
# xm migrate between two simulated hosts: live (pre-copy rounds over the
# guest's log-dirty bitmap, then a short stop) and not, what -v reports,
# what it refuses, and a failure on the other side that leaves the guest
# running where it was.

load helper

setup() {
	common_setup
	cd "$BATS_TEST_TMPDIR"
	guest_cfg g.cfg 64
	OTHER=sim://$BATS_TEST_TMPDIR/other
	xm list >/dev/null 2>&1
	XVM_DEFAULT_URI=$OTHER xm list >/dev/null 2>&1
}

@test "migrate --live: rounds while it writes, then it runs on the other host" {
	xm create g.cfg extra="xvm.dirty=3000" >/dev/null
	sleep 0.2
	run_split xm migrate --live -v g1 "$OTHER"
	[ "$status" -eq 0 ]
	[[ "$out" == "Migrated g1 (id 1) to $OTHER (id 1), live"$'\n'"  round 1: 16384 pages (all of them, while it ran)"$'\n'* ]]
	[[ "$out" =~ stopped:\ [0-9]+\ pages ]]
	[[ "$out" =~ downtime\ [0-9]+\ ms ]]
	# gone here, running there as itself
	run_split xm list g1
	[ "$status" -eq 1 ]
	[ "$(XVM_DEFAULT_URI=$OTHER field g1 5)" = "-b----" ]
	[ "$(XVM_DEFAULT_URI=$OTHER field g1 3)" = 64 ]
	[ "$(XVM_DEFAULT_URI=$OTHER xm list --json g1 | sed -n 's/.*"uuid": "\(.*\)".*/\1/p')" = 0b6c3c1e-0d4f-4a6b-9c7d-1e2f3a4b5c6d ]
	run_split bash -c "printf '\r' | XVM_DEFAULT_URI=$OTHER xm console g1"
	[[ "$out" == *"xvm simulated PV guest: resumed (domain 1)"* ]]
	grep -q "domain 1 (g1) migrated to $OTHER (id 1, live, [0-9]* pages, downtime [0-9]* ms)$" host/xvm.log
	# and back, not live, quietly
	run_split env XVM_DEFAULT_URI=$OTHER xm migrate g1 "sim://$BATS_TEST_TMPDIR/host"
	[ "$status" -eq 0 ] && [ "$out" = "" ]
	[ "$(field g1 5)" = "-b----" ]
}

@test "xm migrate to this host, as xl's: the copy comes in beside it, takes its name, and the old one goes" {
	xm create g.cfg >/dev/null
	run_split xm migrate -v g1 localhost
	[ "$status" -eq 0 ]
	[[ "$out" == "Migrated g1 (id 1) to localhost (id 2), not live"$'\n'* ]]
	[ "$(field g1 2)" = 2 ]
	[ "$(field g1 5)" = "-b----" ]
	[ "$(xm list | awk 'NR > 1 { print $1 }' | tr '\n' ' ')" = "Domain-0 g1 " ]
	[ "$(xm list --json g1 | sed -n 's/.*"uuid": "\(.*\)".*/\1/p')" = 0b6c3c1e-0d4f-4a6b-9c7d-1e2f3a4b5c6d ]
	run_split bash -c "printf '\r' | xm console g1"
	[[ "$out" == *"xvm simulated PV guest: resumed (domain 2)"* ]]
	grep -q "domain 1 (g1) migrated to localhost (id 2, not live, [0-9]* pages, downtime [0-9]* ms)$" host/xvm.log
	# what is kept by UUID is the copy's: its state, its config (a reboot
	# restarts it from that)
	[ "$(virsh domstate --reason g1)" = "running (migrated)" ]
	xm reboot -w g1 >/dev/null
	[ "$(field g1 2)" = 3 ]
	# the host's own URI and its name are this host too
	xm migrate g1 "sim://$BATS_TEST_TMPDIR/host"
	[ "$(field g1 2)" = 4 ]
	xm migrate --live g1 "$(hostname)"
	[ "$(field g1 2)" = 5 ]
	[ "$(xm list | wc -l)" -eq 3 ]
	# virsh does not, as libvirt's
	run_split virsh migrate g1 "sim://$BATS_TEST_TMPDIR/host"
	[ "$status" -eq 1 ]
	[[ "$err" == *"is the host the domain runs on: migrate to another one"* ]]
	# another machine by name: xvm reaches hosts by URI
	run_split xm migrate g1 otherhost.example
	[ "$status" -eq 1 ]
	[ "${err%$'\n'}" = "Error: Requested operation is not valid: cannot migrate to 'otherhost.example': xvm migrates to this host (localhost) or to a host named by its URI (sim:///DIR)" ]
	[ "$(field g1 2)" = 5 ]
	[ "$(field g1 5)" = "-b----" ]
}

@test "a move on this host that fails leaves the guest as it was: its name, its config, its state" {
	xm create g.cfg >/dev/null
	xm create g.cfg name=g1--incoming uuid=11111111-2222-3333-4444-555555555555 >/dev/null
	run_split xm migrate g1 localhost
	[ "$status" -eq 1 ]
	[[ "$err" == *"Domain 'g1--incoming' already exists with ID '2'"* ]]
	grep -q "domain 1 not migrated (.*): resumed here$" host/xvm.log
	[ "$(field g1 2)" = 1 ]
	[ "$(field g1 5)" = "-b----" ]
	[ "$(virsh domstate g1)" = running ]
	xm reboot -w g1 >/dev/null
	[ "$(field g1 2)" = 3 ]
	[ "$(xm list | wc -l)" -eq 4 ]
}

@test "migrate refuses what it cannot do; the guest stays" {
	xm create g.cfg >/dev/null
	XVM_DEFAULT_URI=$OTHER xm create g.cfg uuid=11111111-2222-3333-4444-555555555555 >/dev/null
	run_split xm migrate g1 "$OTHER"
	[ "$status" -eq 1 ]
	[[ "$err" == *"a domain 'g1' runs on $OTHER already (ID 1)"* ]]
	run_split xm migrate g1 "nosuch:///x"
	[ "$status" -eq 1 ]
	xm pause g1
	run_split xm migrate g1 "$OTHER"
	[ "$status" -eq 1 ]
	[[ "$err" == *"is paused: only a running guest can be migrated"* ]]
	xm unpause g1
	[ "$(field g1 5)" = "-b----" ]
}

@test "a host that cannot take it: the guest runs on where it was" {
	xm create g.cfg >/dev/null
	# there, its UUID belongs to a defined domain of another name
	XVM_DEFAULT_URI=$OTHER xm new g.cfg name=other
	run_split xm migrate g1 "$OTHER"
	[ "$status" -eq 1 ]
	[ "${err%$'\n'}" = "Error: operation failed: $OTHER: domain 'other' is already defined with uuid 0b6c3c1e-0d4f-4a6b-9c7d-1e2f3a4b5c6d" ]
	# not live, it was suspended: it was resumed and runs on
	[ "$(field g1 5)" = "-b----" ]
	[ -z "$(XVM_DEFAULT_URI=$OTHER xm list | awk 'NR > 1 && $1 == "g1"')" ]
	grep -q "domain 1 not migrated (.*): resumed here$" host/xvm.log
	run_split bash -c "printf '\r' | xm console g1"
	[[ "$out" == *"suspend cancelled"* ]]
	# the same, live
	run_split xm migrate --live g1 "$OTHER"
	[ "$status" -eq 1 ]
	[ "$(field g1 5)" = "-b----" ]
	# it still answers
	xm shutdown -w g1 >/dev/null
}

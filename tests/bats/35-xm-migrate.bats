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

@test "migrate refuses what it cannot do; the guest stays" {
	xm create g.cfg >/dev/null
	run_split xm migrate g1 "sim://$BATS_TEST_TMPDIR/host"
	[ "$status" -eq 1 ]
	[[ "$err" == *"is the host the domain runs on: migrate to another one"* ]]
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

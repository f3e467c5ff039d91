#!/usr/bin/env bats
# Crash consistency of a simulated host: processes building (the test
# guest, as xm create does) and destroying domains (tests/tools/churn, two
# at a time) are killed with SIGKILL at random points, 200 times.  After
# every kill the host must open and list;
# afterwards no temporary or stale file of a save may be left, and every
# domain must read back whole.  A domain whose creation was cut short stays
# as Xen would leave it (no name yet), and destroying it must work.  The
# journal is folded into a new snapshot every few operations here
# (XVM_SIM_JOURNAL_MIN), so kills land in those too.

load helper

setup() { common_setup; }

@test "200 SIGKILLs during create/destroy never leave a broken host" {
	local host=$BATS_TEST_TMPDIR/host
	export XVM_SIM_JOURNAL_MIN=2048
	xm list >/dev/null 2>&1
	sigkill_rounds 200 "'$XVM_TOP/build/tests/churn' 2 50 8 '$XVM_TOP/build/tests/xvm-test-guest'"
	# what is left in the host directory: the state, one xenstore image,
	# the journal, the memory, the console ring and the lock, the
	# toolstack's run area and log; no temporary files
	run ls -A "$host"
	[ "$(printf '%s\n' "$output" | grep -c '^xenstore-[0-9]*$')" -eq 1 ]
	[ -z "$(printf '%s\n' "$output" | grep -v -e '^state$' -e '^xenstore-[0-9]*$' -e '^journal$' -e '^memory$' -e '^console$' -e '^lock$' -e '^run$' -e '^xvm.log$' -e '^domains$' -e '^firmware$')" ]
	# every domain reads back, and each can be destroyed
	run_split xm list
	[ "$status" -eq 0 ]
	for id in $(printf '%s' "$out" | awk 'NR > 1 && $2 != 0 { print $2 }'); do
		xm destroy "$id"
	done
	run_split xm list
	[ "$(printf '%s' "$out" | wc -l)" -eq 2 ]
	[[ "$out" == *$'\nDomain-0 '* ]]
	# the run area holds whole configs only, and none of a domain gone
	# but for a kill between a destroy and its config's removal (rare);
	# every one left parses
	for f in "$host"/run/*; do
		[ -e "$f" ] || continue
		[ "$f" != "$host/run/state" ] || continue
		[[ "$(basename "$f")" =~ ^[0-9a-f-]{36}\.xml$ ]] || { echo "stray $f" >&2; false; }
		xmllint --noout "$f"
	done
	# the reasons for the domains' states: whole lines only
	for f in "$host"/run/state/*; do
		[ -e "$f" ] || continue
		[[ "$(basename "$f")" =~ ^[0-9a-f-]{36}\.xml$ ]] || { echo "stray $f" >&2; false; }
		grep -qxE '(running|paused|shutoff|crashed) [a-z]+' "$f"
	done
}

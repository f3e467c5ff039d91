#!/usr/bin/env bats
# Many processes on one simulated host: 8 processes each create and
# destroy 200 domains (tests/tools/churn), built from the test guest by
# the toolstack's create as xm create builds them.  No domain may be lost,
# duplicated or left half-made, and xenstore (domains, /vm, /libxl,
# backends) and the host's free memory must end as they began.

load helper

setup() { common_setup; }

@test "8 processes x 200 domains: the host ends as it began" {
	xm list >/dev/null 2>&1
	before=$(xm info | grep '^free_memory')
	run_split "$XVM_TOP/build/tests/churn" 8 200 8 \
	    "$XVM_TOP/build/tests/xvm-test-guest"
	[ "$status" -eq 0 ] || { printf '%s' "$err" >&2; false; }
	[ "$out" = "churn: 1600 domains created and destroyed by 8 processes
" ]
	run_split xm list
	[ "$status" -eq 0 ]
	[ "$(printf '%s' "$out" | wc -l)" -eq 2 ]
	[[ "$out" == *$'\nDomain-0 '* ]]
	[ "$(xm info | grep '^free_memory')" = "$before" ]
}

@test "domains left running by many processes are all there, each once" {
	local pids=() p i
	for p in 1 2 3 4; do
		(for i in 1 2 3 4 5; do
			"$XVM_TOP/build/tests/mkdom" "p$p-d$i" 16 1 >/dev/null || exit 1
		done) &
		pids+=($!)
	done
	for p in "${pids[@]}"; do
		wait "$p"
	done
	run_split xm list
	[ "$status" -eq 0 ]
	[ "$(printf '%s' "$out" | grep -c '^p[1-4]-d[1-5] ')" -eq 20 ]
	[ "$(printf '%s' "$out" | awk 'NR > 1 { print $2 }' | sort -n | uniq -d)" = "" ]
	[ "$(printf '%s' "$out" | awk 'NR > 1 { print $1 }' | sort | uniq -d)" = "" ]
}

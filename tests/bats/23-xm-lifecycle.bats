#!/usr/bin/env bats
# xm pause, unpause and destroy on a simulated host, on domains made by the
# test fixture mkdom (createdomain .. unpause, without a kernel).

load helper

setup() {
	common_setup
	MKDOM=$XVM_TOP/build/tests/mkdom
	xm list >/dev/null 2>&1
}

state_of() {
	xm list "$1" | awk 'NR == 2 { print $5 }'
}

@test "pause and unpause by name, id and UUID; pauses nest" {
	id=$("$MKDOM" guest1 256 2)
	[ "$(state_of guest1)" = r----- ]
	xm pause guest1
	[ "$(state_of guest1)" = --p--- ]
	xm pause "$id"
	xm unpause guest1
	[ "$(state_of guest1)" = --p--- ]
	uuid=$(xm list --json guest1 | jq -r '.[0].uuid')
	xm unpause "$uuid"
	[ "$(state_of guest1)" = r----- ]
}

@test "unpausing a running domain is an error" {
	"$MKDOM" guest1 256 1 >/dev/null
	run_split xm unpause guest1
	[ "$status" -eq 1 ]
	[ "$err" = "Error: domain 1 is not paused
" ]
}

@test "destroy returns the memory and forgets the name" {
	"$MKDOM" guest1 512 1 >/dev/null
	free=$(xm info | awk '/^free_memory/ { print $3 }')
	xm destroy guest1
	run_split xm list guest1
	[ "$status" -eq 1 ]
	[ "$err" = "Error: Domain 'guest1' does not exist.
" ]
	[ "$(xm info | awk '/^free_memory/ { print $3 }')" -eq $((free + 512)) ]
	# the name is free again
	"$MKDOM" guest1 256 1 >/dev/null
	[ "$(state_of guest1)" = r----- ]
}

@test "Domain-0 cannot be destroyed or paused" {
	run_split xm destroy Domain-0
	[ "$status" -eq 1 ]
	[ "$err" = "Error: Domain-0 cannot be destroyed
" ]
	run_split xm pause 0
	[ "$status" -eq 1 ]
	[[ "$err" == "Error: cannot pause domain 0: "* ]]
}

@test "unknown domains and missing arguments" {
	run_split xm pause nosuch
	[ "$status" -eq 1 ]
	[ "$err" = "Error: Domain 'nosuch' does not exist.
" ]
	run_split xm destroy
	[ "$status" -eq 1 ]
	[[ "$err" == "Error: 'xm destroy' requires 1 argument."* ]]
}

@test "XVM_TRACE=1 xm destroy shows the destroy hypercall" {
	"$MKDOM" guest1 256 1 >/dev/null
	XVM_TRACE=1 run_split xm destroy guest1
	[ "$status" -eq 0 ]
	[[ "$err" == *"xvm: dom-destroy-start dom=1 (sim)"* ]]
	[[ "$err" == *"xvm: xs-rm /local/domain/1 -> ok"* ]]
}

@test "creating domains makes XVM_TRACE show the build sequence" {
	XVM_TRACE=1 run_split "$MKDOM" guest1 256 1
	[ "$status" -eq 0 ]
	order=$(printf '%s' "$err" | grep -o '^xvm: [a-z-]*-start' | uniq | tr '\n' ' ')
	[[ "$order" == *"dom-create-start xvm: max-vcpus-start xvm: set-max-mem-start xvm: populate-physmap-start"*"dom-unpause-start"* ]]
}

#!/usr/bin/env bats
# xm's small questions: uptime (xl's layout, -s), domid, domname, dmesg
# (the hypervisor's ring, -c), log (the toolstack's), list -l (each
# domain's configuration as JSON).

load helper

setup() {
	common_setup
	cd "$BATS_TEST_TMPDIR"
	guest_cfg g.cfg 32
	xm list >/dev/null 2>&1
}

@test "uptime: xl's layout; Domain-0 as long as this machine; -s" {
	xm create g.cfg >/dev/null
	run_split xm uptime
	[ "$status" -eq 0 ]
	[ "$(printf '%s' "$out" | head -1)" = "$(printf '%-33s %4s %s' Name ID Uptime)" ]
	local l2 l3
	l2=$(printf '%s' "$out" | sed -n 2p)
	l3=$(printf '%s' "$out" | sed -n 3p)
	[ "${l2:0:39}" = "$(printf '%-33s %4s ' Domain-0 0)" ]
	[[ "${l2:39}" =~ ^([0-9]+\ days?,\ )?[\ 1-2][0-9]:[0-5][0-9]:[0-5][0-9]$ ]]
	[ "${l3:0:39}" = "$(printf '%-33s %4s ' g1 1)" ]
	[[ "${l3:39}" =~ ^\ 0:00:0[0-9]$ ]]
	run_split xm uptime g1
	[ "$(printf '%s' "$out" | wc -l)" -eq 2 ]
	run_split xm uptime -s g1
	[[ "${out%$'\n'}" =~ ^\ [0-2][0-9]:[0-5][0-9]:[0-5][0-9]\ up\ \ 0:00,\ g1\ \(1\)$ ]]
	run_split xm uptime nosuch
	[ "$status" -eq 1 ]
}

@test "domid and domname" {
	xm create g.cfg >/dev/null
	[ "$(xm domid g1)" = 1 ]
	[ "$(xm domname 1)" = g1 ]
	[ "$(xm domname 0)" = Domain-0 ]
	run_split xm domid nosuch
	[ "$status" -eq 1 ]
	[ "${err%$'\n'}" = "Error: Domain 'nosuch' does not exist." ]
	run_split xm domname 7
	[ "$status" -eq 1 ]
	run_split xm domname x
	[ "$status" -eq 1 ]
}

@test "dmesg: the hypervisor's ring; -c empties it" {
	run_split xm dmesg
	[ "$status" -eq 0 ]
	[[ "$out" == "(XEN) Xen version 4.17 (xvm simulated host)"* ]]
	xm dmesg -c >/dev/null
	run_split xm dmesg
	[ "$out" = "" ]
}

@test "log: the toolstack's records" {
	xm create g.cfg >/dev/null
	xm shutdown -w g1 >/dev/null
	run_split xm log
	[ "$status" -eq 0 ]
	[[ "$out" == *"INFO (toolstack) domain 1 asked to poweroff"* ]]
	[[ "$out" == *"INFO (toolstack) domain 1 (g1) has shut down (poweroff): destroy"* ]]
	XVM_DEFAULT_URI=test:///default run_split xm log
	[ "$status" -eq 0 ] && [ "$out" = "" ]
}

@test "list -l: each domain's configuration" {
	xm create g.cfg >/dev/null
	xm list -l | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert [x["domid"] for x in d] == [0, 1], d
assert d[0]["config"] is None
c = d[1]["config"]
assert c["name"] == "g1" and c["id"] == 1 and c["memory_kib"] == 32768, c
assert c["uuid"] == "0b6c3c1e-0d4f-4a6b-9c7d-1e2f3a4b5c6d"
'
	[ "$(xm list -l g1 | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')" = 1 ]
}

#!/usr/bin/env bats
# Disks and network interfaces of a running domain: xm block-list /
# network-list in xl's layouts (the guest's frontends and dom0's backends
# connected: state 4), block-attach / network-attach (hot-plug), and
# block-detach / network-detach (closed by the guest, then removed); a
# restart keeps what was attached.

load helper

setup() {
	common_setup
	cd "$BATS_TEST_TMPDIR"
	guest_cfg g.cfg 32
	cat >> g.cfg <<-CFG
	disk = [ 'file:$BATS_TEST_TMPDIR/a.img,xvda,w' ]
	vif = [ 'mac=00:16:3e:01:02:03,bridge=xenbr0' ]
	CFG
	xm list >/dev/null 2>&1
	xm create g.cfg >/dev/null
}

@test "block-list and network-list: xl's layouts, connected" {
	run_split xm block-list g1
	[ "$status" -eq 0 ]
	[ "$out" = "Vdev  BE  handle state evt-ch ring-ref BE-path                       
51712 0   1      4     -1     -1       /local/domain/0/backend/vbd/1/51712
" ]
	run_split xm network-list g1
	[ "$out" = "Idx BE Mac Addr.         handle state evt-ch   tx-/rx-ring-ref BE-path                       
0   0  00:16:3e:01:02:03 0      4     -1        -1/-1    /local/domain/0/backend/vif/1/0
" ]
}

@test "block-attach and -detach; the config follows" {
	xm block-attach g1 "file:$BATS_TEST_TMPDIR/b.img" xvdb r
	run_split xm block-list g1
	[ "$(printf '%s' "$out" | sed -n 3p)" = "51728 0   1      4     -1     -1       /local/domain/0/backend/vbd/1/51728" ]
	[ "$("$XVM_TOP/build/tests/xsls" /local/domain/0/backend/vbd/1/51728/params)" = "/local/domain/0/backend/vbd/1/51728/params = \"$BATS_TEST_TMPDIR/b.img\"" ]
	[ "$("$XVM_TOP/build/tests/xsls" /local/domain/0/backend/vbd/1/51728/mode)" = '/local/domain/0/backend/vbd/1/51728/mode = "r"' ]
	# a reboot brings it back
	xm reboot -w g1 >/dev/null
	[ "$(xm block-list g1 | wc -l)" -eq 3 ]
	xm block-detach g1 xvdb
	[ "$(xm block-list g1 | wc -l)" -eq 2 ]
	[ -z "$("$XVM_TOP/build/tests/xsls" /local/domain/0/backend/vbd/2 | grep 51728)" ]
	xm reboot -w g1 >/dev/null
	[ "$(xm block-list g1 | wc -l)" -eq 2 ]
	run_split xm block-attach g1 "file:$BATS_TEST_TMPDIR/c.img" xvda w
	[ "$status" -eq 1 ]
	[[ "$err" == *"has a disk xvda already"* ]]
	run_split xm block-attach g1 "file:$BATS_TEST_TMPDIR/c.img" xvdc q
	[ "$status" -eq 1 ]
	[[ "$err" == *"invalid access mode 'q'"* ]]
	run_split xm block-detach g1 xvdz
	[ "$status" -eq 1 ]
	[[ "$err" == *"has no disk xvdz"* ]]
}

@test "network-attach and -detach by index or MAC" {
	xm network-attach g1 mac=00:16:3e:0a:0b:0c bridge=xenbr1
	run_split xm network-list g1
	[ "$(printf '%s' "$out" | sed -n 3p)" = "1   0  00:16:3e:0a:0b:0c 1      4     -1        -1/-1    /local/domain/0/backend/vif/1/1" ]
	[ "$("$XVM_TOP/build/tests/xsls" /local/domain/0/backend/vif/1/1/bridge)" = '/local/domain/0/backend/vif/1/1/bridge = "xenbr1"' ]
	xm network-attach g1
	[ "$(xm network-list g1 | sed -n 4p | awk '{ print $1, substr($3, 1, 8) }')" = "2 00:16:3e" ]
	xm network-detach g1 00:16:3e:0a:0b:0c
	xm network-detach g1 2
	[ "$(xm network-list g1 | wc -l)" -eq 2 ]
	run_split xm network-attach g1 mac=01:00:5e:00:00:01
	[ "$status" -eq 1 ]
	[[ "$err" == *"01:00:5e:00:00:01 is a multicast address"* ]]
	run_split xm network-attach g1 mac=zz
	[ "$status" -eq 1 ]
	[[ "$err" == *"invalid MAC address 'zz'"* ]]
	run_split xm network-detach g1 7
	[ "$status" -eq 1 ]
}

@test "detach waits for the guest; a paused one does not answer" {
	xm block-attach g1 "file:$BATS_TEST_TMPDIR/b.img" xvdb w
	xm pause g1
	# -f removes it without waiting
	xm block-detach -f g1 xvdb
	[ "$(xm block-list g1 | wc -l)" -eq 2 ]
	xm unpause g1
}

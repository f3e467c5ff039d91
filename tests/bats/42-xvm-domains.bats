#!/usr/bin/env bats
# The host's boot and shutdown (xvm-domains, run by xvm-domains.service):
# saved domains restored, the configs of the auto directory created, the
# definitions marked on_xend_start started; at shutdown the domains saved
# or shut down, those that do not stop destroyed after the wait.

load helper

setup() {
	common_setup
	cd "$BATS_TEST_TMPDIR"
	HOST=$BATS_TEST_TMPDIR/host
	S=$XVM_TOP/build/host/xvm-domains
	export XM=$XVM_TOP/build/bin/xm
	export XVM_DOMAINS_CONFIG=$BATS_TEST_TMPDIR/settings
	mkdir auto
	for n in g1 d1 d2; do
		printf 'name = "%s"\nkernel = "%s"\nmemory = 32\n' "$n" \
		    "$XVM_TOP/build/tests/xvm-test-guest" > "$n.cfg"
	done
	mv g1.cfg auto/
	cat > settings <<-CFG
	XENDOMAINS_AUTO=$BATS_TEST_TMPDIR/auto
	XENDOMAINS_SAVE=$BATS_TEST_TMPDIR/save
	XENDOMAINS_STOP_MAXWAIT=2
	CFG
	xm list >/dev/null 2>&1
	xm new d1.cfg on_xend_start=start
	xm new d2.cfg
}

running() { xm list | awk 'NR > 2 { print $1 }' | sort | tr '\n' ' '; }

@test "start: the auto configs and the marked definitions; again: nothing twice" {
	run_split "$S" start
	[ "$status" -eq 0 ]
	[ "$out" = "Using config file \"$BATS_TEST_TMPDIR/auto/g1.cfg\".
Started domain g1 (id=1)
Started domain d1 (id=2)
" ]
	[ "$(running)" = "d1 g1 " ]
	run_split "$S" start
	[ "$status" -eq 0 ]
	[ "$out" = "Domain g1 runs already (g1.cfg)
" ]
	[ "$(running)" = "d1 g1 " ]
	run_split "$S" status
	[ "$status" -eq 0 ] && [[ "$out" == "Name "*"g1 "*"d1 "* ]]
}

@test "stop saves every domain, start restores them and removes the images" {
	"$S" start >/dev/null
	sleep 0.2
	run_split "$S" stop
	[ "$status" -eq 0 ]
	[ "$out" = "Saving domain g1
Saving domain d1
" ]
	[ "$(running)" = "" ]
	[ "$(ls save | tr '\n' ' ')" = "d1 g1 " ]
	[ "$(stat -c %a save)" = 700 ]
	run_split "$S" start
	[ "$status" -eq 0 ]
	[ "$out" = "Restoring d1
Restoring g1
Domain g1 runs already (g1.cfg)
" ]
	[ "$(running)" = "d1 g1 " ]
	[ -z "$(ls save)" ]
	# they run on from where they were: the same boot, not a new one
	run_split bash -c "xm console g1 </dev/null"
	[ "$(grep -c "booting on Xen" <<< "$out")" = 1 ]
	grep -q "(g1) restored from $BATS_TEST_TMPDIR/save/g1 " "$HOST/xvm.log"
}

@test "an image that does not restore is kept aside, the others go on" {
	mkdir -m 700 save
	echo "not a save file" > save/broken
	run_split "$S" start
	[ "$status" -eq 1 ]
	[[ "$err" == *"broken did not restore; kept as $BATS_TEST_TMPDIR/save/broken.failed"* ]]
	[ "$(cat save/broken.failed)" = "not a save file" ]
	[ "$(running)" = "d1 g1 " ]
	# and it is not tried again
	"$S" stop >/dev/null
	run_split "$S" start
	[ "$status" -eq 0 ]
	[ -e save/broken.failed ]
}

@test "without a save directory, stop shuts them down; one that does not stop is destroyed" {
	echo "XENDOMAINS_SAVE=" >> settings
	"$S" start >/dev/null
	xm pause d1		# a paused guest never answers
	printf 'name = "c1"\nkernel = "%s"\nmemory = 32\non_crash = "preserve"\n' \
	    "$XVM_TOP/build/tests/xvm-test-guest" > c1.cfg
	xm create c1.cfg >/dev/null
	sleep 0.1
	xm sysrq c1 c
	sleep 0.2
	[ "$(field c1 5)" = "----c-" ]
	SECONDS=0
	run_split "$S" stop
	[ "$status" -eq 0 ]
	[ "$out" = "Domain d1 did not shut down within 2 seconds: destroying it
" ]
	[ "$SECONDS" -le 4 ]
	[ "$(running)" = "" ]
	grep -q "domain 1 (g1) has shut down (poweroff): destroy$" "$HOST/xvm.log"
	[ ! -e save ]
}

@test "an image already in the save directory is not written over" {
	"$S" start >/dev/null
	mkdir -m 700 save
	echo "an older image" > save/g1
	run_split "$S" stop
	[ "$status" -eq 0 ]
	[[ "$err" == *"save/g1 exists: domain g1 is shut down instead"* ]]
	[ "$(cat save/g1)" = "an older image" ]
	[ -s save/d1 ]
	[ "$(running)" = "" ]
}

@test "bad settings and usage are refused" {
	run_split "$S"
	[ "$status" -eq 2 ]
	[ "$err" = "usage: xvm-domains start|stop|status
" ]
	cp settings good
	echo "XENDOMAINS_STOP_MAXWAIT=soon" >> settings
	run_split "$S" stop
	[ "$status" -eq 1 ]
	[ "$err" = "xvm-domains: XENDOMAINS_STOP_MAXWAIT must be a number of seconds, not 'soon'
" ]
	cp good settings
	# a host that cannot be reached: the failure is xm's, and reported
	XVM_DEFAULT_URI=xen:///system run_split "$S" stop
	[ "$status" -eq 1 ]
	[[ "$err" == "Error: "* ]]
}

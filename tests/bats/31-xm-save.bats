#!/usr/bin/env bats
# xm save / xm restore: the test guest's state through Xen's save-file
# format and back, what they refuse, and 200 SIGKILLs during saves and
# restores that never leave a partial file or a host that does not open.

load helper

setup() {
	common_setup
	HOST=$BATS_TEST_TMPDIR/host
	cd "$BATS_TEST_TMPDIR"
	guest_cfg g.cfg 32
	xm list >/dev/null 2>&1
}

uuid_of() {
	xm list --json "$1" | sed -n 's/.*"uuid": "\(.*\)".*/\1/p'
}

@test "xm save writes the guest to a file and the domain goes; restore brings it back" {
	xm create g.cfg >/dev/null
	run_split xm save g1 g1.save
	[ "$status" -eq 0 ] && [ "$out" = "" ] && [ "$err" = "" ]
	[ "$(stat -c %a g1.save)" = 600 ]
	head -c 28 g1.save | grep -q "^Xen saved domain, xl format$"
	run_split xm list g1
	[ "$status" -eq 1 ]
	grep -q "domain 1 (g1) saved to g1.save (8192 pages)$" "$HOST/xvm.log"
	run_split xm restore g1.save
	[ "$status" -eq 0 ] && [ "$out" = "" ]
	[ "$(field g1 2)" = 2 ]
	[ "$(field g1 3)" = 32 ]
	[ "$(field g1 5)" = "-b----" ]
	[ "$(uuid_of g1)" = 0b6c3c1e-0d4f-4a6b-9c7d-1e2f3a4b5c6d ]
	grep -q "domain 2 (g1) restored from g1.save (8192 pages)$" "$HOST/xvm.log"
	# it carries on: a reboot request restarts it from its config
	xm reboot -w g1 >/dev/null
	[ "$(field g1 2)" = 3 ]
	# and once more, paused
	xm save g1 again.save
	xm restore -p again.save
	[ "$(field g1 5)" = "--p---" ]
	xm unpause g1
	xm shutdown -w g1 >/dev/null
}

@test "xm restore takes what xl's saves carry besides xvm's: the CPU policy, extended vcpu state, xsave, MSRs" {
	xm create g.cfg >/dev/null
	xm save g1 g1.save
	python3 "$XVM_TOP/tests/tools/sf-add-records.py" g1.save xl-like.save
	run_split env XVM_TRACE=1 xm restore xl-like.save
	[ "$status" -eq 0 ]
	# applied as libxc applies them: the policy at the end of the static
	# data, each vcpu's after its basic context
	seq=$(printf '%s' "$err" | sed -n 's/^xvm: \([a-z-]*\)-start .*/\1/p' | uniq | tr '\n' ' ')
	[[ "$seq" == *"set-cpu-policy "*"setvcpucontext set-ext-vcpucontext setvcpuextstate set-vcpu-msrs "* ]]
	[ "$(virsh domstate g1)" = running ]
	# a record that is not whole entries is refused before anything exists
	xm save g1 g2.save
	python3 "$XVM_TOP/tests/tools/sf-add-records.py" g2.save bad.save --bad-msrs
	run_split xm restore bad.save
	[ "$status" -eq 1 ]
	[[ "$err" == *"bad.save"*"X86_PV_VCPU_MSRS of 23 bytes"* ]]
	[ "$(xm list | wc -l)" -eq 2 ]
}

@test "xm restore reads the config xl keeps in its saves: libxl's JSON, its memory to the KiB, its weight; bad JSON is named by line" {
	xm create g.cfg >/dev/null
	xm save g1 g1.save
	# what xl 4.17 writes for this guest after it ballooned to 30000 KiB
	cat > g1.json <<-JSON
	{
	    "c_info": {
	        "type": "pv",
	        "name": "g1",
	        "uuid": "0b6c3c1e-0d4f-4a6b-9c7d-1e2f3a4b5c6d",
	        "run_hotplug_scripts": "True"
	    },
	    "b_info": {
	        "max_vcpus": 2,
	        "avail_vcpus": [
	            0,
	            1
	        ],
	        "max_memkb": 32768,
	        "target_memkb": 30000,
	        "sched_params": {
	            "weight": 384
	        },
	        "kernel": "$XVM_TOP/build/tests/xvm-test-guest",
	        "type.pv": {
	            "slack_memkb": 0
	        },
	        "arch_arm": {
	        }
	    },
	    "on_reboot": "restart"
	}
	JSON
	python3 "$XVM_TOP/tests/tools/sf-xl-json.py" g1.save xl.save g1.json
	run_split xm restore xl.save
	[ "$status" -eq 0 ] && [ "$out" = "" ] && [ "$err" = "" ]
	[ "$(field g1 5)" = "-b----" ]
	[ "$(uuid_of g1)" = 0b6c3c1e-0d4f-4a6b-9c7d-1e2f3a4b5c6d ]
	# its balloon's target, and the most it may have, to the KiB
	[ "$("$XVM_TOP/build/tests/xsls" "/local/domain/$(xm domid g1)/memory/target" | sed 's/.*"\(.*\)"/\1/')" = 30000 ]
	[ "$("$XVM_TOP/build/tests/xsls" "/local/domain/$(xm domid g1)/memory/static-max" | sed 's/.*"\(.*\)"/\1/')" = 32768 ]
	[ "$(xm sched-credit -d g1 | awk 'NR == 2 { print $3 }')" = 384 ]
	# it carries on from that config: a reboot restarts it
	xm reboot -w g1 >/dev/null
	[ "$(field g1 5)" = "-b----" ]
	xm destroy g1
	# bad JSON: the file and the line, and nothing made
	xm create g.cfg >/dev/null
	xm save g1 g2.save
	sed 's/"max_vcpus": 2,/"max_vcpus": 2/' g1.json > bad.json
	python3 "$XVM_TOP/tests/tools/sf-xl-json.py" g2.save bad.save bad.json
	run_split xm restore bad.save
	[ "$status" -eq 1 ]
	[[ "$err" == *"bad.save:10:"*"libxl config: "* ]]
	# a device xvm cannot give the guest is refused, not dropped
	sed 's/"on_reboot": "restart"/"on_reboot": "restart", "vtpms": [ {} ]/' g1.json > tpm.json
	python3 "$XVM_TOP/tests/tools/sf-xl-json.py" g2.save tpm.save tpm.json
	run_split xm restore tpm.save
	[ "$status" -eq 1 ]
	[[ "$err" == *"tpm.save: libxl config, vtpms: the domain has 1 vTPM device(s), which xvm cannot give it"* ]]
	[ "$(xm list | wc -l)" -eq 2 ]
}

@test "xm save refuses what it cannot do, and changes nothing then" {
	xm create g.cfg >/dev/null
	: > taken.save
	run_split xm save g1 taken.save
	[ "$status" -eq 1 ]
	[ "${err%$'\n'}" = "Error: Requested operation is not valid: 'taken.save' exists: it is not written over" ]
	[ ! -s taken.save ]
	[ "$(field g1 5)" = "-b----" ]
	run_split xm save nosuch x.save
	[ "$status" -eq 1 ]
	[ "${err%$'\n'}" = "Error: Domain 'nosuch' does not exist." ]
	run_split xm save 0 x.save
	[ "$status" -eq 1 ]
	[[ "$err" == *"Domain-0 cannot be saved"* ]]
	run_split xm save g1 /nonexistent/dir/x.save
	[ "$status" -eq 1 ]
	[[ "$err" == *"cannot create a file in '/nonexistent/dir'"* ]]
	[ "$(field g1 5)" = "-b----" ]
	# a domain xvm did not start has no config to save
	"$XVM_TOP/build/tests/mkdom" other 16 1 >/dev/null
	run_split xm save other x.save
	[ "$status" -eq 1 ]
	[[ "$err" == *"was not started by xvm: without its config it cannot be saved"* ]]
	[ ! -e x.save ]
	[ -z "$(ls -A . | grep '^\.xvm-new')" ]
}

@test "xm restore refuses bad files before anything exists" {
	xm create g.cfg >/dev/null
	xm save g1 g1.save
	run_split xm restore missing.save
	[ "$status" -eq 1 ]
	[[ "$err" == *"cannot open 'missing.save'"* ]]
	run_split xm restore g.cfg
	[ "$status" -eq 1 ]
	[[ "$err" == *"g.cfg: "* ]]
	head -c 1000000 g1.save > cut.save
	run_split xm restore cut.save
	[ "$status" -eq 1 ]
	[ "${err%$'\n'}" = "Error: invalid argument: cut.save: cut short at byte 1000000 (3176 more bytes expected)" ] ||
	    [[ "$err" == *"cut.save: cut short at byte 1000000"* ]]
	[ "$(xm list | wc -l)" -eq 2 ]
	# the name is taken while another g1 runs
	xm create g.cfg uuid=11111111-2222-3333-4444-555555555555 >/dev/null
	run_split xm restore g1.save
	[ "$status" -eq 1 ]
	[[ "$err" == *"Domain 'g1' already exists with ID"* ]]
	[ "$(xm list | wc -l)" -eq 3 ]
}

@test "XVM_TRACE=1 xm save shows the suspend, the page types and the destroy" {
	xm create g.cfg >/dev/null
	XVM_TRACE=1 xm save g1 g1.save 2> trace
	grep -q "getpageframeinfo3" trace
	grep -q "gettscinfo" trace
	grep -q "dom-destroy" trace
	XVM_TRACE=1 xm restore g1.save 2> trace
	grep -q "settscinfo" trace
	grep -q "populate-physmap" trace
	grep -q "setvcpucontext" trace
	grep -q "mmuext-op" trace
	grep -q "dom-unpause" trace
}

@test "200 SIGKILLs during saves and restores never leave a partial file" {
	export XVM_SIM_JOURNAL_MIN=4096
	sigkill_rounds 200 'while :; do
		if [ -e s ]; then xm restore s && rm -f s; fi
		xm list g1 >/dev/null 2>&1 || xm create g.cfg
		xm save g1 s || xm destroy g1
	done'
	# no temporary file; a save file there is whole and restores
	[ -z "$(ls -A . | grep -v -e '^g.cfg$' -e '^s$' -e '^host$' -e '^home$' -e '^stdout' -e '^stderr')" ]
	for id in $(xm list | awk 'NR > 1 && $2 != 0 { print $2 }'); do
		xm destroy "$id"
	done
	if [ -e s ]; then
		xm restore s
		[ "$(field g1 5)" = "-b----" ]
		xm destroy g1
	fi
	[ "$(xm list | wc -l)" -eq 2 ]
}

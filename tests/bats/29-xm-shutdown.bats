#!/usr/bin/env bats
# Asking guests to stop (xm shutdown / reboot, -w, -a, -R, -H), the
# lifecycle actions their configs name (on_poweroff, on_reboot: destroy,
# restart, preserve, rename-restart) carried out when they have, the
# toolstack log that records them, xm rename, and xm sysrq (the guest's
# kernel takes the key from xenstore and acts on it).

load helper

setup() {
	common_setup
	HOST=$BATS_TEST_TMPDIR/host
	cd "$BATS_TEST_TMPDIR"
	guest_cfg g.cfg 64
	xm list >/dev/null 2>&1
}

@test "xm shutdown -w: the guest powers off and is destroyed" {
	xm create g.cfg >/dev/null
	run_split xm shutdown -w g1
	[ "$status" -eq 0 ]
	[ "$out" = "Domain g1 terminated
All domains terminated
" ]
	run_split xm list g1
	[ "$status" -eq 1 ]
	[ ! -e "$HOST/run/0b6c3c1e-0d4f-4a6b-9c7d-1e2f3a4b5c6d.xml" ]
	grep -q "INFO (toolstack) domain 1 asked to poweroff$" "$HOST/xvm.log"
	grep -q "INFO (toolstack) domain 1 (g1) has shut down (poweroff): destroy$" "$HOST/xvm.log"
	# the xenstore entries went with it
	! "$XVM_TOP/build/tests/xsls" /local/domain | grep -q "^/local/domain/1"
}

@test "without -w, the next look at the host finds the action done" {
	xm create g.cfg >/dev/null
	run_split xm shutdown g1
	[ "$status" -eq 0 ] && [ "$out" = "" ]
	sleep 0.3
	run_split xm list g1
	[ "$status" -eq 1 ]
}

@test "xm reboot -w: the same config starts again under a new id" {
	xm create g.cfg >/dev/null
	run_split xm reboot -w g1
	[ "$status" -eq 0 ]
	[ "$out" = "Domain g1 rebooted
All domains rebooted
" ]
	[ "$(field g1 2)" = 2 ]
	[ "$(field g1 5)" = "-b----" ]
	[ "$(head -1 "$HOST/run/0b6c3c1e-0d4f-4a6b-9c7d-1e2f3a4b5c6d.xml")" = "<domain type='xen' id='2'>" ]
	grep -q "domain 'g1' restarted as 2$" "$HOST/xvm.log"
	# shutdown -R is the same request
	xm shutdown -R -w 2 >/dev/null
	[ "$(field g1 2)" = 3 ]
}

@test "on_reboot destroy, on_poweroff preserve, -H halt" {
	xm create g.cfg on_reboot=destroy >/dev/null
	xm reboot -w g1 >/dev/null
	run_split xm list g1
	[ "$status" -eq 1 ]
	xm create g.cfg on_poweroff=preserve >/dev/null
	xm shutdown -H -w g1 >/dev/null
	# kept, shut down, no longer the toolstack's to act on
	[ "$(field g1 5)" = "---s--" ]
	[ ! -e "$HOST/run/0b6c3c1e-0d4f-4a6b-9c7d-1e2f3a4b5c6d.xml" ]
	run_split xm shutdown g1
	[ "$status" -eq 1 ]
	[ "${err%$'\n'}" = "Error: Requested operation is not valid: domain 2 has already shut down" ]
	xm destroy g1
}

@test "on_poweroff rename-restart keeps the old domain under a dated name" {
	xm create g.cfg on_poweroff=rename-restart >/dev/null
	xm shutdown -w g1 >/dev/null
	run xm list
	[[ "$output" =~ $'\n'g1-[0-9]{8}T[0-9]{4}Z\ +1\ +64\ +2\ +---s-- ]]
	[ "$(field g1 2)" = 2 ]
	[ "$(field g1 5)" = "-b----" ]
	# the kept one has a UUID of its own; the config's stays with g1
	old=$(xm list | awk '/^g1-/ { print $1 }')
	uo=$(xm list --json "$old" | sed -n 's/.*"uuid": "\(.*\)".*/\1/p')
	un=$(xm list --json g1 | sed -n 's/.*"uuid": "\(.*\)".*/\1/p')
	[ "$un" = 0b6c3c1e-0d4f-4a6b-9c7d-1e2f3a4b5c6d ]
	[ -n "$uo" ] && [ "$uo" != "$un" ]
	[ "$("$XVM_TOP/build/tests/xsls" "/vm/$uo/name")" = "/vm/$uo/name = \"$old\"" ]
	# again within the minute: the kept one gets a name of its own
	xm shutdown -w g1 >/dev/null
	[ "$(xm list | awk '/^g1-/ { print $1 }' | sort -u | wc -l)" -eq 2 ]
}

@test "shutdown -a asks every domain but Domain-0" {
	xm create g.cfg >/dev/null
	xm create g.cfg name=g2 uuid=11111111-2222-3333-4444-555555555555 >/dev/null
	run_split xm shutdown -a -w
	[ "$status" -eq 0 ]
	[ "$out" = "Domain g1 terminated
Domain g2 terminated
All domains terminated
" ]
	[ "$(xm list | wc -l)" -eq 2 ]
}

@test "shutdown and reboot refuse what they cannot do" {
	run_split xm shutdown nosuch
	[ "$status" -eq 1 ]
	[ "${err%$'\n'}" = "Error: Domain 'nosuch' does not exist." ]
	run_split xm shutdown 0
	[ "$status" -eq 1 ]
	[[ "$err" == *"Domain-0 cannot be shut down"* ]]
	run_split xm shutdown
	[ "$status" -eq 1 ]
	[[ "$err" == *"a domain, or -a for all, is needed"* ]]
	xm create g.cfg >/dev/null
	run_split xm shutdown -a g1
	[ "$status" -eq 1 ]
	run_split xm shutdown -R -H g1
	[ "$status" -eq 1 ]
	[[ "$err" == *"-R and -H exclude each other"* ]]
	[ "$(field g1 5)" = "-b----" ]
}

@test "xm rename: the domain, its /vm entry, its configs" {
	xm new g.cfg
	xm start g1
	run_split xm rename g1 web
	[ "$status" -eq 0 ] && [ "$out" = "" ]
	[ "$(field web 2)" = 1 ]
	[ "$("$XVM_TOP/build/tests/xsls" /vm/0b6c3c1e-0d4f-4a6b-9c7d-1e2f3a4b5c6d/name)" = '/vm/0b6c3c1e-0d4f-4a6b-9c7d-1e2f3a4b5c6d/name = "web"' ]
	grep -q '<name>web</name>' "$HOST/domains/0b6c3c1e-0d4f-4a6b-9c7d-1e2f3a4b5c6d.xml"
	grep -q '<name>web</name>' "$HOST/run/0b6c3c1e-0d4f-4a6b-9c7d-1e2f3a4b5c6d.xml"
	# a reboot comes back under the new name
	xm reboot -w web >/dev/null
	[ "$(field web 2)" = 2 ]
	# names stay unique
	xm create g.cfg name=other uuid=11111111-2222-3333-4444-555555555555 >/dev/null
	run_split xm rename other web
	[ "$status" -eq 1 ]
	[ "${err%$'\n'}" = "Error: operation failed: domain 'web' already exists (ID 2)" ]
	run_split xm rename other a/b
	[ "$status" -eq 1 ]
	run_split xm rename 0 dom0
	[ "$status" -eq 1 ]
}

@test "xm sysrq: the guest takes the key, logs it and clears the node" {
	xm create g.cfg >/dev/null
	sleep 0.1
	run_split xm sysrq g1 s
	[ "$status" -eq 0 ] && [ "$out" = "" ] && [ "$err" = "" ]
	sleep 0.1
	[ "$("$XVM_TOP/build/tests/xsls" /local/domain/1/control/sysrq)" = '/local/domain/1/control/sysrq = ""' ]
	run_split xm sysrq 1 7
	run_split xm sysrq 0b6c3c1e-0d4f-4a6b-9c7d-1e2f3a4b5c6d '?'
	sleep 0.1
	run_split bash -c "xm console g1 </dev/null"
	[ "$status" -eq 0 ]
	[[ "$out" == *"sysrq: Emergency Sync"$'\r\n'"sysrq: Changing Loglevel"$'\r\n'"sysrq: Loglevel set to 7"$'\r\n'"sysrq: HELP : loglevel(0-9) reboot(b) crash(c) "* ]]
	grep -q "INFO (toolstack) domain 1 sent sysrq 's'$" "$HOST/xvm.log"
	[ "$(field g1 5)" = "-b----" ]
}

@test "xm sysrq b, o, c: reboot, power off and crash, with the config's actions" {
	xm create g.cfg >/dev/null
	sleep 0.1
	xm sysrq g1 b
	sleep 0.2
	[ "$(field g1 2)" = 2 ]
	grep -q "domain 1 (g1) has shut down (reboot): restart$" "$HOST/xvm.log"
	xm sysrq g1 o
	sleep 0.2
	run_split xm list g1
	[ "$status" -eq 1 ]
	xm create g.cfg on_crash=preserve >/dev/null
	sleep 0.1
	xm sysrq g1 c
	sleep 0.2
	[ "$(field g1 5)" = "----c-" ]
	run_split bash -c "xm console g1 </dev/null"
	[[ "$out" == *"sysrq: Trigger a crash"$'\r\n'"Kernel panic - not syncing: sysrq triggered crash"$'\r\n'* ]]
	# a crashed guest takes no more keys
	run_split xm sysrq g1 s
	[ "$status" -eq 1 ]
	[ "${err%$'\n'}" = "Error: Requested operation is not valid: domain 3 has already shut down" ]
}

@test "a paused guest takes its key when it runs again" {
	xm create -p g.cfg >/dev/null
	xm sysrq g1 o
	sleep 0.2
	[ "$(field g1 5)" = "--p---" ]
	xm unpause g1
	sleep 0.2
	run_split xm list g1
	[ "$status" -eq 1 ]
}

@test "xm sysrq refuses what it cannot send" {
	xm create g.cfg >/dev/null
	run_split xm sysrq g1 ab
	[ "$status" -eq 1 ]
	[ "${err%$'\n'}" = "Error: invalid argument: a sysrq key is one printable character, not 'ab'" ]
	run_split xm sysrq g1 ''
	[ "$status" -eq 1 ]
	run_split xm sysrq g1 ' '
	[ "$status" -eq 1 ]
	run_split xm sysrq 0 s
	[ "$status" -eq 1 ]
	[ "${err%$'\n'}" = "Error: Requested operation is not valid: Domain-0 takes its sysrq keys from /proc/sysrq-trigger" ]
	run_split xm sysrq nosuch s
	[ "$status" -eq 1 ]
	[[ "$err" == "Error: "*"nosuch"* ]]
	run_split xm sysrq g1
	[ "$status" -eq 1 ]
	[[ "$err" == "Error: 'xm sysrq' requires 2 arguments."* ]]
	# nothing was sent
	[ "$("$XVM_TOP/build/tests/xsls" /local/domain/1/control/sysrq)" = '/local/domain/1/control/sysrq = ""' ]
}

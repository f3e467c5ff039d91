#!/usr/bin/env bats
# The command tables: self-test, generated completion scripts, __complete.

load helper

setup() { common_setup; }

@test "every table passes the self-test" {
	for t in xm virsh virt-install; do
		run "$t" __selftest
		[ "$status" -eq 0 ]
		assert_output --partial "$t: selftest:"
		assert_output --partial ", ok"
	done
}

@test "committed completion scripts are what the tables generate" {
	for t in xm virsh virt-install; do
		diff -u "$XVM_TOP/completions/$t" <("$t" __bash-completion)
	done
}

@test "completion scripts are valid bash" {
	for t in xm virsh virt-install; do
		bash -n "$XVM_TOP/completions/$t"
	done
}

# complete_line TOOL WORDS...: run the generated completion function the way
# bash does for "TOOL WORDS..." (the last word is being completed)
complete_line() {
	local tool=$1
	shift
	bash -c '
		source "$1"; shift
		COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
		f=$(complete -p "$1" | sed "s/.*-F \([^ ]*\) .*/\1/")
		"$f"
		printf "%s\n" "${COMPREPLY[@]}"
	' _ "$XVM_TOP/completions/$tool" "$tool" "$@"
}

@test "bash completion: commands, options, help topics, files" {
	run complete_line virsh ec
	[ "$output" = "echo" ]
	run complete_line virsh echo --s
	[ "$output" = "--shell
--split
--string" ]
	run complete_line virsh -q help pw
	[ "$output" = "pwd" ]
	run complete_line virsh --
	assert_output --partial "--connect"
	mkdir -p "$BATS_TEST_TMPDIR/dir1"
	run complete_line virsh cd "$BATS_TEST_TMPDIR/di"
	[ "$output" = "$BATS_TEST_TMPDIR/dir1/" ]
	run complete_line xm h
	[ "$output" = "help" ]
	run complete_line xm help --l
	[ "$output" = "--long" ]
	run complete_line virt-install --ver
	[ "$output" = "--version" ]
}

@test "__complete answers like the shell completes" {
	run virsh __complete -- help p
	[ "$output" = "pwd" ]
	run virsh __complete -- help vi
	[ "$output" = "virsh" ]
	run virsh __complete -- help ''
	[ "$output" = "--command
--json" ]
	run virsh __complete -- pwd ''
	[ "$output" = "--json" ]
	run xm __complete -- ''
	[ "$output" = "block-attach
block-detach
block-list
console
create
delete
destroy
dmesg
domid
domname
dump-core
help
info
list
log
mem-max
mem-set
migrate
network-attach
network-detach
network-list
new
pause
reboot
rename
restore
save
sched-credit
shutdown
start
sysrq
top
unpause
uptime
vcpu-list
vcpu-pin
vcpu-set" ]
	run_split xm __complete -- list D
	[ "$out" = "Domain-0
" ]
	run virsh __complete -- domxml-from-native xen-
	[ "$output" = "xen-xl
xen-xm" ]
}

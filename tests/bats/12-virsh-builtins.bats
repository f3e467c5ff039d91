#!/usr/bin/env bats
# virsh's own commands and global switches.

load helper

setup() { common_setup; }

@test "echo, --shell and --xml, as virsh 9.0" {
	run_split virsh 'echo hello world; echo --shell "a b" c; echo --xml "<a>"'
	[ "$status" -eq 0 ]
	[ "$out" = "hello world
'a b' c
&lt;a&gt;
" ]
}

@test "echo --shell quotes only what needs it, and quotes quotes" {
	run_split virsh echo --shell "it's" plain ''
	[ "$out" = "'it'\\''s' plain ''
" ]
}

@test "echo --split and --err" {
	run_split virsh echo --split 'a,b,,c'
	[ "$out" = "a b,c
" ]
	run_split virsh echo --err oops
	[ "$err" = "error: oops
" ]
	[ "$out" = $'\n' ]
}

@test "argv form keeps words whole; one argument is a command string" {
	run_split virsh echo 'a; b'
	[ "$out" = "a; b
" ]
	run_split virsh 'echo a; echo b'
	[ "$out" = "a
b
" ]
}

@test "-q drops the blank line after each command" {
	run_split virsh -q 'echo a; echo b'
	[ "$out" = "ab" ]
	run_split virsh -q pwd
	[ "$out" = "$PWD
" ]
}

@test "-t prints the time a command took" {
	run_split virsh -t pwd
	[ "$status" -eq 0 ]
	[[ "$out" =~ ^"$PWD"$'\n\n'"(Time: "[0-9]+\.[0-9]{3}" ms)"$'\n\n'$ ]]
}

@test "pwd and pwd --json" {
	run_split virsh pwd
	[ "$out" = "$PWD

" ]
	run virsh pwd --json
	[ "$(echo "$output" | jq -r .cwd)" = "$PWD" ]
}

@test "quit and exit stop a command string, silently" {
	run_split virsh 'echo a; quit; echo b'
	[ "$status" -eq 0 ]
	[ "$out" = "a
" ]
	run_split virsh 'exit; echo b'
	[ -z "$out" ]
}

@test "versions: short is the virsh interface level, long names xvm" {
	run_split virsh --version
	[ "$out" = "9.0.0
" ]
	run_split virsh -v
	[ "$out" = "9.0.0
" ]
	run_split virsh --version=bogus
	[ "$out" = "9.0.0
" ]
	run virsh -V
	[ "${lines[0]}" = "Virsh command line tool of xvm 0.1.0 (virsh 9.0.0 compatible)" ]
	run virsh --version=long
	[ "${lines[0]}" = "Virsh command line tool of xvm 0.1.0 (virsh 9.0.0 compatible)" ]
}

@test "-l FILE logs each command and its status" {
	run virsh -l "$BATS_TEST_TMPDIR/v.log" 'echo hi'
	[ "$status" -eq 0 ]
	grep -q 'INFO (virsh) command: echo hi$' "$BATS_TEST_TMPDIR/v.log"
	grep -q 'INFO (virsh) exit status 0$' "$BATS_TEST_TMPDIR/v.log"
	touch "$BATS_TEST_TMPDIR/afile"
	run virsh -l "$BATS_TEST_TMPDIR/afile/v.log" pwd
	[ "$status" -eq 1 ]
	[[ "$output" == "error: "* ]]
}

@test "a closed stdout is an error, not silence" {
	run bash -c 'virsh pwd >&-'
	[ "$status" -ne 0 ]
}

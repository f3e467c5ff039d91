#!/usr/bin/env bats
# virsh's error texts, streams and exit codes (shared/reference §3).

load helper

setup() { common_setup; }

@test "unknown command: error on stderr, nothing on stdout, exit 1" {
	run_split virsh frobnicate
	[ "$status" -eq 1 ]
	[ -z "$out" ]
	[ "$err" = "error: unknown command: 'frobnicate'
" ]
}

@test "a command string is parsed whole before anything runs" {
	run_split virsh 'pwd; frobnicate; pwd'
	[ "$status" -eq 1 ]
	[ -z "$out" ]
	[ "$err" = "error: unknown command: 'frobnicate'
" ]
}

@test "unknown command option" {
	run_split virsh pwd --bogus
	[ "$status" -eq 1 ]
	[ -z "$out" ]
	[ "$err" = "error: command 'pwd' doesn't support option --bogus
" ]
}

@test "unknown global options" {
	run_split virsh --bogus pwd
	[ "$status" -eq 1 ]
	[ "$err" = "error: unsupported option '--bogus'. See --help.
" ]
	run_split virsh -Z pwd
	[ "$err" = "error: unsupported option '-Z'. See --help.
" ]
}

@test "unexpected data, also a single-dash word and a shell pipe" {
	run_split virsh pwd extra
	[ "$status" -eq 1 ]
	[ "$err" = "error: unexpected data 'extra'
" ]
	run_split virsh pwd -x
	[ "$err" = "error: unexpected data '-x'
" ]
	run_split virsh 'pwd | grep x'
	[ "$err" = "error: unexpected data '|'
" ]
}

@test "repeated option" {
	run_split virsh help --command pwd --command cd
	[ "$status" -eq 1 ]
	[ "$err" = "error: option --command already seen
" ]
}

@test "option value missing, and a value given to a switch" {
	run_split virsh help --command
	[ "$status" -eq 1 ]
	[ "$err" = "error: expected syntax: --command <string>
" ]
	run_split virsh echo --shell=yes
	[ "$err" = "error: invalid '=' after option --shell
" ]
}

@test "-c without a value" {
	run_split virsh -c
	[ "$status" -eq 1 ]
	[ -z "$out" ]
	[ "$err" = "error: option '-c'/'--connect' requires an argument
" ]
}

@test "-k and -K need a number; -d out of range is only a warning" {
	run_split virsh -k abc pwd
	[ "$status" -eq 1 ]
	[ "$err" = "error: Invalid value for option -k
" ]
	run_split virsh -K -1 pwd
	[ "$err" = "error: Invalid value for option -K
" ]
	run_split virsh -d 9 pwd
	[ "$status" -eq 0 ]
	[ "$err" = "error: ignoring debug level 9 out of range [0-4]
" ]
	[ "$out" = "$PWD

" ]
}

@test "a failing command prints a blank line on stdout" {
	run_split virsh 'cd /'
	[ "$status" -eq 1 ]
	[ "$out" = $'\n' ]
	[ "$err" = "error: cd: command valid only in interactive mode
" ]
}

@test "exit status of a command string is the last command's" {
	run_split virsh 'cd /; pwd'
	[ "$status" -eq 0 ]
	[ "$err" = "error: cd: command valid only in interactive mode
" ]
	[ "$out" = "
$PWD

" ]
	run_split virsh 'pwd; cd /'
	[ "$status" -eq 1 ]
}

@test "quoting errors in a command string" {
	run_split virsh 'echo "open'
	[ "$status" -eq 1 ]
	[ "$err" = 'error: missing "
' ]
	run_split virsh 'echo a\'
	[ "$err" = 'error: dangling \
' ]
}

@test "errors go to stderr only" {
	run_split virsh frobnicate
	[ -z "$out" ]
	virsh frobnicate 2>&1 >/dev/null | grep -qx "error: unknown command: 'frobnicate'"
}

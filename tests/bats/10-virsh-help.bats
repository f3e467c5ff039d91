#!/usr/bin/env bats
# virsh's help, byte for byte with virsh 9.0 for the commands xvm has.

load helper

setup() { common_setup; }

@test "virsh help: grouped listing as virsh 9.0 prints it" {
	run_split virsh help
	[ "$status" -eq 0 ]
	diff <(virsh help) <(golden virsh-help)
	[ -z "$err" ]
}

@test "virsh -h and --help: usage, options and commands" {
	diff <(virsh -h) <(golden virsh-dash-h)
	diff <(virsh --help) <(golden virsh-dash-h)
}

@test "virsh help GROUP, by keyword and by title" {
	diff <(virsh help virsh) <(golden virsh-help-virsh)
	diff <(virsh help 'Virsh itself') <(golden virsh-help-virsh)
}

@test "virsh help of every command virsh 9.0's help was recorded for" {
	local f n=0
	for f in "$XVM_TOP"/tests/bats/golden/virsh-help-*; do
		case $f in */virsh-help-virsh|*/virsh-help-domain) continue ;; esac
		diff <(virsh help "${f##*/virsh-help-}") "$f"
		n=$((n + 1))
	done
	[ "$n" -ge 1 ]
	diff <(virsh help domain) <(golden virsh-help-domain)
}

@test "virsh help CMD: NAME, SYNOPSIS, DESCRIPTION, OPTIONS" {
	run_split virsh help echo
	[ "$status" -eq 0 ]
	expected='  NAME
    echo - echo arguments. Used for internal testing.

  SYNOPSIS
    echo [--shell] [--xml] [--split] [--err] [<string>]...

  DESCRIPTION
    Echo back arguments, possibly with quoting. Used for internal testing.

  OPTIONS
    --shell          escape for shell use
    --xml            escape for XML use
    --split          split each argument on '"','"'; '"',,'"' is an escape sequence
    --err            output to stderr
    <string>         arguments to echo


'
	[ "$out" = "$expected" ]
}

@test "virsh help on a command without options or description" {
	run_split virsh help quit
	[ "$out" = "  NAME
    quit - quit this interactive terminal

  SYNOPSIS
    quit


" ]
}

@test "virsh CMD --help is help CMD" {
	diff <(virsh pwd --help) <(virsh help pwd)
	diff <(virsh 'echo --help') <(virsh help echo)
}

@test "virsh help of an unknown topic: error, blank stdout line, exit 1" {
	run_split virsh help nosuchcommand
	[ "$status" -eq 1 ]
	[ "$out" = $'\n' ]
	[ "$err" = "error: command or command group 'nosuchcommand' doesn't exist
" ]
	# help ignores spurious data, as virsh does
	run_split virsh help nosuchgroup extra
	[ "$status" -eq 1 ]
	[ "$err" = "error: command or command group 'nosuchgroup' doesn't exist
" ]
}

@test "virsh help --json lists the commands as JSON" {
	run virsh help --json
	[ "$status" -eq 0 ]
	echo "$output" | jq -e '.tool == "virsh"'
	echo "$output" | jq -e '[.commands[].name] | index("pwd") != null'
	run virsh help pwd --json
	echo "$output" | jq -e '.name == "pwd" and (.options | length) == 1'
}

@test "hidden commands stay hidden" {
	run virsh help
	refute_output --partial "__"
	run virsh help __complete
	[ "$status" -eq 1 ]
}

#!/usr/bin/env bats
# xm: help, prefix matching, the "Error: ..." convention.

load helper

setup() { common_setup; }

@test "bare xm: short help on stdout, exit 1 (as xm and xl)" {
	run_split xm
	[ "$status" -eq 1 ]
	[[ "$out" == "Usage: xm <subcommand> [args]"$'\n\n'* ]]
	[[ "$out" == *"Common 'xm' commands:"* ]]
	[[ "$out" == *"For a complete list of subcommands run 'xm help'."* ]]
	[ -z "$err" ]
}

@test "xm help and xm --help: the full list" {
	run_split xm help
	[ "$status" -eq 0 ]
	[[ "$out" == *"xm full list of subcommands:"* ]]
	[[ "$out" == *$'\n'" help                Display this message."$'\n'* ]]
	diff <(xm help) <(xm --help)
	diff <(xm help) <(xm -h)
}

@test "xm help CMD, xm CMD -h and a unique prefix" {
	run_split xm help help
	[ "$status" -eq 0 ]
	[ "$out" = "Usage: xm help [options] [Command]

Display the list of subcommands, or the usage of one.

Options:

  -l, --long                     also list every command's options
  --json                         print the result as one JSON document
" ]
	diff <(xm help help) <(xm help -h)
	diff <(xm help help) <(xm help --help)
	diff <(xm help help) <(xm he he)
}

@test "xm help --long adds every command's usage" {
	run xm help --long
	[ "$status" -eq 0 ]
	assert_output --partial "Usage: xm help [options] [Command]"
}

@test "unknown subcommand" {
	run_split xm frobnicate
	[ "$status" -eq 1 ]
	[ -z "$out" ]
	[ "$err" = "Error: Subcommand frobnicate not found!
Usage: xm <subcommand> [args]

For a complete list of subcommands run 'xm help'.
" ]
}

@test "usage errors: Error line, then the command's usage, on stderr" {
	run_split xm help --bogus
	[ "$status" -eq 1 ]
	[ -z "$out" ]
	[[ "$err" == "Error: option --bogus not recognized"$'\n\n'"Usage: xm help [options] [Command]"$'\n'* ]]
	run_split xm help a b
	[ "$status" -eq 1 ]
	[[ "$err" == "Error: 'xm help' requires at most 1 argument."$'\n'* ]]
	run_split xm help -x
	[[ "$err" == "Error: option -x not recognized"$'\n'* ]]
}

@test "xm help on an unknown topic" {
	run_split xm help nosuch
	[ "$status" -eq 1 ]
	[ "$err" = "Error: Subcommand nosuch not found!
" ]
}

@test "xm help --json" {
	run xm help --json
	[ "$status" -eq 0 ]
	echo "$output" | jq -e '.tool == "xm" and (.commands | length) >= 1'
}

@test "every subcommand: bad arguments are an Error line and exit 1, never a crash" {
	xm list >/dev/null 2>&1
	local c args n=0
	for c in $(xm help | awk '/^ [a-z]/ { print $1 }'); do
		[ "$c" = top ] && continue	# full screen: bats 38
		for args in "nosuch" "nosuch x y" "-- -1" "nosuch 1 2 3 4 5" \
		    "--bogus" "0 x y z" "12345 0"; do
			run_split timeout 10 xm $c $args </dev/null
			if [ "$status" -ne 0 ]; then
				[ "$status" -eq 1 ] && [[ "$err" == "Error: "* ]] ||
				    { echo "xm $c $args: $status: $err" >&2; false; }
				n=$((n + 1))
			fi
		done
	done
	# nearly all of them are refused (list/uptime/vcpu-list of Domain-0
	# and the like are fine)
	[ "$n" -gt 200 ]
}

#!/usr/bin/env bats
# virt-install: argparse conventions.

load helper

setup() { common_setup; }

@test "--help: argparse layout, derived from the table" {
	run_split virt-install --help
	[ "$status" -eq 0 ]
	[ "$out" = "usage: virt-install [-h] [--version]

Create a new virtual machine from specified install media.

options:
  -h, --help            show this help message and exit
  --version             show program's version number and exit
" ]
	diff <(virt-install -h) <(virt-install --help)
	diff <(virt-install --he) <(virt-install --help)
}

@test "--version prints the virt-install interface level" {
	run_split virt-install --version
	[ "$status" -eq 0 ]
	[ "$out" = "4.1.0
" ]
}

@test "unknown options: usage line, error, exit 2" {
	run_split virt-install --autocf x.cfg
	[ "$status" -eq 2 ]
	[ -z "$out" ]
	[ "$err" = "usage: virt-install [-h] [--version]
virt-install: error: unrecognized arguments: --autocf x.cfg
" ]
}

@test "nothing asked: a usage error, not a silent success" {
	run_split virt-install
	[ "$status" -eq 2 ]
	[ "$err" = "usage: virt-install [-h] [--version]
virt-install: error: no installation requested (see --help)
" ]
}

@test "a switch given a value" {
	run_split virt-install --version=1
	[ "$status" -eq 2 ]
	[[ "$err" == *"virt-install: error: argument --version: ignored explicit argument '1'"$'\n' ]]
	run_split virt-install --help=1
	[[ "$err" == *"virt-install: error: argument -h/--help: ignored explicit argument '1'"$'\n' ]]
}

#!/bin/sh
# demo.sh - the main job, run by `make demo`: the three tools answering.
# (As the toolstack lands, this installs and runs a guest on the simulated
# host; today the tools show their commands, help and conventions.)
set -u
bin=$(cd "$(dirname "$0")/../build/bin" && pwd)
PATH=$bin:$PATH
export PATH

step() {
	printf '\n\033[1m$ %s\033[0m\n' "$*"
	"$@"
	rc=$?
	[ $rc -eq 0 ] || printf '[exit status %d]\n' "$rc"
}

step virsh --version
step virsh help
step virsh help echo
step virsh 'echo --shell "one word" two; pwd'
step virsh frobnicate
step xm help
step xm help help
step virt-install --version
step virt-install --autocf x.cfg
printf '\nInteractive shell: run %s/virsh (Tab completes, history in ~/.cache/xvm).\n' "$bin"
exit 0

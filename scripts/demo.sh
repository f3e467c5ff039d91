#!/bin/sh
# demo.sh - the main job, run by `make demo`: the three tools at work on a
# fresh simulated Xen host (in a temporary directory, removed at the end):
# configs converted, then the project's test kernel built into a PV guest
# that boots on that host.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
bin=$top/build/bin
PATH=$bin:$PATH
host=$(mktemp -d "${TMPDIR:-/tmp}/xvm-demo.XXXXXX") || exit 1
trap 'rm -rf "$host"' EXIT INT TERM
XVM_DEFAULT_URI="sim://$host/host?cpus=4&memory=8G"
export PATH XVM_DEFAULT_URI

step() {
	printf '\n\033[1m$ %s\033[0m\n' "$*"
	"$@"
	rc=$?
	[ $rc -eq 0 ] || printf '[exit status %d]\n' "$rc"
}

cfg=$top/tests/bats/fixtures/solaris-pv.py
step xm list
step xm info
step cat "$cfg"
step xm create --dryrun "$cfg" memory=2048
step virsh domxml-from-native xen-xm "$cfg"
step sh -c "virsh -q domxml-from-native xen-xm '$cfg' | virsh domxml-to-native xen-xl -"
step xm create --dryrun "$top/tests/bats/fixtures/win-hvm.py"
step xm create --dryrun --json "$top/tests/bats/fixtures/win-hvm-plain.py"
cat > "$host/guest.cfg" <<EOF
name = "guest1"
kernel = "$top/build/tests/xvm-test-guest"
extra = "console=hvc0"
memory = 64
vcpus = 2
vif = [ 'mac=00:16:3e:00:00:01,bridge=xenbr0' ]
EOF
step cat "$host/guest.cfg"
step xm create "$host/guest.cfg"
step xm list
step xm pause guest1
step xm list guest1
step xm destroy guest1
step env XVM_DEFAULT_URI=test:///default xm list
step virsh help
step virt-install --version
printf '\nInteractive shell: %s/virsh (Tab completes; history in ~/.cache/xvm).\n' "$bin"
exit 0

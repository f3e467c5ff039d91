#!/bin/sh
# demo.sh - the main job, run by `make demo`: the three tools at work on a
# fresh simulated Xen host (in a temporary directory, removed at the end):
# configs converted, the project's test kernel built into a PV guest that
# boots on that host, then a guest installed from Solaris-like install media
# with virt-install and started from its disk.
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
# an install tree in the layout of a Solaris xVM DVD, with the test kernel
# as its installer; the installer (the simulated host's) installs a system
# with a GRUB menu onto the guest's disk and powers off
sys=$host/system tree=$host/nv
mkdir -p "$sys/platform/i86xpv/kernel/amd64" "$sys/boot/grub" \
    "$tree/boot/platform/i86xpv/kernel/amd64" "$tree/boot/amd64" "$tree/Solaris_11"
cp "$top/build/tests/xvm-test-guest" "$sys/platform/i86xpv/kernel/amd64/unix"
cp "$top/build/tests/xvm-test-guest" "$tree/boot/platform/i86xpv/kernel/amd64/unix"
printf 'default 0\ntitle Solaris 11 xVM\nkernel$ /platform/i86xpv/kernel/$ISADIR/unix /platform/i86xpv/kernel/$ISADIR/unix -B console=hvc0\n' \
    > "$sys/boot/grub/menu.lst"
{ printf 'xvm-sim-installer poweroff-after=0.5\n'; tar -C "$sys" -cf - .; } \
    > "$tree/boot/amd64/x86.microroot"
printf 'PRODNAME=Solaris\nPRODVERS=11\n' > "$tree/.cdtoc"
step virt-install -n domU-sol-PV --nographics -p -f "$host/domU-sol-PV.img" \
    -r 1024 -s 10 -l "$tree" --noautoconsole --wait 1
step virsh list --all
step virsh dominfo domU-sol-PV
step virsh dumpxml --inactive domU-sol-PV
step ls -ls "$host/domU-sol-PV.img"
printf '\nInteractive shell: %s/virsh (Tab completes; history in ~/.cache/xvm).\n' "$bin"
exit 0

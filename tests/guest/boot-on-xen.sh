#!/bin/sh
# boot-on-xen.sh - boot the test guest on a real Xen 4.17 under QEMU, as
# Domain-0 (Xen's own PV builder loads it; no dom0 userland is needed),
# and check that it prints its marker with the command line it was given
# and then blocks without crashing.
#
#   tests/guest/boot-on-xen.sh [GUEST]      (default build/tests/xvm-test-guest)
#
# Needs qemu-system-x86_64 (Debian: qemu-system-x86) and the network once:
# Debian 12's xen-hypervisor-4.17-amd64 is fetched with apt-get download
# into build/xen/.  Exit 0 on success, 1 on failure, 77 when QEMU is
# missing.  Takes about 20 s on a 2-core machine without KVM.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
guest=${1:-$top/build/tests/xvm-test-guest}
cache=$top/build/xen
log=$cache/boot.log

command -v qemu-system-x86_64 >/dev/null 2>&1 || {
	echo "boot-on-xen: qemu-system-x86_64 is not installed" >&2
	exit 77
}
[ -r "$guest" ] || { echo "boot-on-xen: no guest at $guest" >&2; exit 1; }
mkdir -p "$cache"
if [ ! -s "$cache/xen.elf" ]; then
	(cd "$cache" && apt-get download -qq xen-hypervisor-4.17-amd64 \
	    >/dev/null 2>"$cache/apt.err") ||
	    { echo "boot-on-xen: cannot download the hypervisor" >&2; exit 1; }
	rm -rf "$cache/pkg"
	dpkg -x "$cache"/xen-hypervisor-4.17-amd64_*.deb "$cache/pkg" &&
	    gunzip -c "$cache/pkg/boot/xen-4.17-amd64.gz" >"$cache/xen.elf.tmp" &&
	    mv "$cache/xen.elf.tmp" "$cache/xen.elf" || exit 1
fi

# The guest blocks for good once it has printed, so QEMU is stopped here:
# when the marker has been out for 3 s (time to crash, if it would), or
# after 90 s.
want='xvm-test-guest: up (Domain-0) cmdline="xvm-marker-check=1"'
timeout 90 qemu-system-x86_64 -machine q35 -accel tcg,thread=multi \
    -cpu qemu64,+svm,+rdrand -m 512 -smp 1 -nographic -no-reboot -nic none \
    -kernel "$cache/xen.elf" \
    -append "console=com1 com1=115200,8n1 dom0_mem=64M loglvl=all guest_loglvl=all bootscrub=0 dom0=verbose" \
    -initrd "$guest xvm-marker-check=1" >"$log" 2>&1 </dev/null &
qemu=$!
while kill -0 $qemu 2>/dev/null; do
	if grep -qF "$want" "$log"; then
		sleep 3
		break
	fi
	sleep 0.5
done
kill $qemu 2>/dev/null
wait $qemu 2>/dev/null
if ! grep -qF "$want" "$log"; then
	echo "boot-on-xen: no marker; the end of $log:" >&2
	tail -20 "$log" >&2
	exit 1
fi
if grep -qE 'Panic on CPU|domain_crash|Domain 0 crashed|Reboot in five seconds' "$log"; then
	echo "boot-on-xen: the guest printed its marker, then crashed:" >&2
	grep -E -A5 'Panic|crash' "$log" >&2
	exit 1
fi
echo "boot-on-xen: $want"

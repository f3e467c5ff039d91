#!/bin/sh
# domu-init.sh - /init of the test bed's small PV domU (tests/xen/run.sh
# builds its initramfs: busybox and this).  It prints a marker on its
# console (hvc0, which xenconsoled logs), loads the block and net front
# ends, then stays up: every second it
# onlines a vcpu that was hot-added (vcpu-set), every 10 s it prints a
# tick with what it sees.  shutdown and reboot from the toolstack reach
# the kernel through control/shutdown; its orderly poweroff runs
# /sbin/poweroff or /sbin/reboot, small scripts that print
# DOMU-GOT-POWEROFF / DOMU-GOT-REBOOT and end the domain.
export PATH=/bin:/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mem() { sed -n 's/^MemTotal: *//p' /proc/meminfo; }
echo "DOMU-UP kernel=$(uname -r) cpus=$(cat /sys/devices/system/cpu/online) mem=$(mem)"
# the front ends of a vbd and a vif the domain may have been given, in the
# background: a device whose backend never connects holds insmod for long
(for m in /lib/modules/*.ko; do insmod "$m" 2>/dev/null; done
echo "DOMU-FRONTENDS $(ls /sys/block | tr '\n' ' ')") &
t=0
while :; do
	sleep 1
	t=$((t + 1))
	for c in /sys/devices/system/cpu/cpu[0-9]*; do
		[ -f "$c/online" ] && [ "$(cat "$c/online")" = 0 ] &&
		    echo 1 >"$c/online" 2>/dev/null && echo "DOMU-ONLINED $c"
	done
	[ $((t % 10)) -eq 0 ] &&
	    echo "DOMU-TICK t=$t cpus=$(cat /sys/devices/system/cpu/online) mem=$(mem)"
done

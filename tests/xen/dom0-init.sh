#!/bin/sh
# dom0-init.sh - /init of the test bed's PV dom0 (tests/xen/run.sh builds
# the initramfs).  Mounts what Xen's tools need, loads the Xen modules,
# starts xenstored, xen-init-dom0 and xenconsoled, runs the test script
# that run.sh appended (/xvm/dom0-test.sh), writes /results as a tar onto
# the raw virtio disk (/dev/vda) and powers the machine off (reboot -f;
# QEMU runs with -no-reboot).
export PATH=/xvm/bin:/usr/lib/xen-4.17/bin:/bin:/usr/bin
export HOME=/root
umask 022
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /dev/shm
# what udev would make and the hotplug scripts use (locking.sh: stat
# /dev/stdin)
ln -sf /proc/self/fd /dev/fd
ln -sf /proc/self/fd/0 /dev/stdin
ln -sf /proc/self/fd/1 /dev/stdout
ln -sf /proc/self/fd/2 /dev/stderr
mount -t devpts devpts /dev/pts
mount -t tmpfs -o mode=755 tmpfs /run
mkdir -p /run/xen /run/xenstored /run/lock /var/lock /var/log/xvm /var/lib/xvm
# kernel messages stay in dmesg; the console carries this script's lines
dmesg -n 1
up() { cut -d' ' -f1 /proc/uptime; }
log() { echo "dom0-init: [$(up)] $*" | tee -a /results/init.log; }

log "loading modules"
kver=$(cat /etc/kernel-release)
while read -r m; do
	insmod "/lib/modules/$kver/$m" 2>>/results/init.log ||
	    log "insmod $m failed"
done </etc/xen-modules
mount -t xenfs xenfs /proc/xen || log "cannot mount xenfs"

log "starting xenstored"
xenstored --pid-file /run/xen/xenstored.pid 2>>/results/init.log
i=0
until xenstore-exists / 2>/dev/null; do
	i=$((i + 1))
	[ $i -gt 100 ] && { log "xenstored did not answer within 10 s"; break; }
	sleep 0.1
done
log "xen-init-dom0"
xen-init-dom0 >>/results/init.log 2>&1 || log "xen-init-dom0 failed"
log "starting xenconsoled"
xenconsoled --log=guest --log-dir=/var/log/xen/console \
    --pid-file=/run/xen/xenconsoled.pid 2>>/results/init.log ||
    log "xenconsoled failed"

# the bridge vif-bridge puts a domain's vif on (xl's and xm's default)
brctl addbr xenbr0 2>>/results/init.log && ip link set xenbr0 up ||
    log "no bridge xenbr0"

log "dom0 ready; running /xvm/dom0-test.sh"
# the test script gets 10 minutes; run.sh's timeout on QEMU is the last word
{
	timeout 780 /xvm/dom0-test.sh /results
	echo $? >/results/status
} 2>&1 | tee /results/test.log
log "test script exited with status $(cat /results/status)"

dmesg >/results/dom0-dmesg.txt 2>&1
xl dmesg >/results/xen-dmesg.txt 2>&1
cp -r /var/log/xen /results/xen-logs 2>/dev/null
cp -r /var/log/xvm /results/xvm-logs 2>/dev/null
if [ -b /dev/vda ]; then
	tar -cf /dev/vda -C /results . && sync && log "results written to /dev/vda"
else
	log "no /dev/vda: results are only on this console"
fi
reboot -f

# The Sun xVM guide's paravirtualized Solaris guest, with its disk, vif and
# on_* lines uncommented.
name = "solaris-pv"
vcpus = 1
memory = "1024"
kernel = "/platform/i86xpv/kernel/amd64/unix"
ramdisk = "/platform/i86pc/amd64/boot_archive"
extra = "/platform/i86xpv/kernel/amd64/unix -B console=ttya"
disk = ['file:/xvm/solaris.img,0,w']
vif = ['']
on_shutdown = "destroy"
on_reboot = "restart"
on_crash = "destroy"

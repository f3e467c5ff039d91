# The Sun xVM guide's Windows HVM guest.
import os, re
arch = os.uname()[4]
if re.search('64', arch):
    arch_libdir = 'lib64'
else:
    arch_libdir = 'lib'
name = "winxp"
builder = 'hvm'
memory = 1024
vcpus = 1
kernel = '/usr/lib/xen/boot/hvmloader'
device_model = '/usr/' + arch_libdir + '/xen/bin/qemu-dm'
disk = ['file:/xvm/win.img,hda,w', 'file:/iso/winxp.iso,hdc:cdrom,r']
vif = ['type=ioemu, bridge=xenbr0']
boot = 'dc'
vnc = 1
vncunused = 1
sdl = 0
usb = 1
usbdevice = 'tablet'
serial = 'pty'

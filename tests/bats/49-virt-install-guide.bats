#!/usr/bin/env bats
# The Sun xVM guide's virt-install command lines, run to completion on a
# simulated host in a terminal (tmux), as a user types them: adapted only
# in paths.  The install media are Solaris xVM trees and ISO images whose
# installer (the test kernel with an installer ramdisk, sim_guest.c)
# installs a system with a GRUB menu on the guest's disk and powers off;
# virt-install then starts the installed guest, which the toolstack's
# bootloader boots from its disk.  Example 4's HVM guest boots a CD image
# whose El Torito image is that installer, and then its disk, through the
# simulated firmware (sim_hvm.c).  (Example 3, over NFS, is in bats 46,
# beside its NFS server.)

load helper
load install-media

setup() {
	common_setup
	command -v tmux >/dev/null || skip "tmux is not installed"
	T=$BATS_TEST_TMPDIR
	export TMUX_TMPDIR=$T XDG_CACHE_HOME=$T/cache
	SESSION=xvm$$
	cd "$T"
	xm list >/dev/null 2>&1
}

teardown() {
	tmux kill-server 2>/dev/null || true
}

# the installed guest: defined, running, booting its disk
installed() {
	local name=$1 img=$2 size=$3
	[ "$(virsh domstate "$name")" = running ]
	virsh dumpxml --inactive "$name" > final.xml
	[ "$(xmllint --xpath 'string(/domain/bootloader)' final.xml)" = pygrub ]
	[ "$(xmllint --xpath 'count(/domain/os/kernel)' final.xml)" = 0 ]
	[ "$(xmllint --xpath 'string(/domain/on_reboot)' final.xml)" = restart ]
	[ "$(xmllint --xpath 'string(//disk[@device="disk"]/source/@file)' final.xml)" = "$img" ]
	[ "$(stat -c %s "$img")" -eq "$size" ]
	# sparse: the file system's metadata and the system, not the size
	[ $(( $(stat -c %b "$img") * 512 )) -lt $((size / 4)) ]
}

@test "example 1: -l a Solaris DVD image, a new 10 GiB disk, the console followed to the end" {
	solaris_media "$T/dvd"
	mkdir -p "$T/xvm_pool/iso/nv" "$T/xvm_pool/guest-files"
	xorriso -as mkisofs -R -J -V SOL_11_X86 -o "$T/xvm_pool/iso/nv/solarisdvd.iso" "$T/dvd" 2>/dev/null
	in_terminal "virt-install -n domU-solnvb82-PV --nographics -p -f $T/xvm_pool/guest-files/domU-solnvb82-PV.img -r 1024 -s 10 -l $T/xvm_pool/iso/nv/solarisdvd.iso"
	# the boot files fetched with a meter on the terminal, the installer
	# on the console, then the installed system
	until_shown "Retrieving file unix..."
	until_shown "Retrieving file x86.microroot..."
	until_shown "xvm simulated installer: installation complete"
	until_shown "Domain has shutdown. Continuing."
	until_shown "command line: /platform/i86xpv/kernel/amd64/unix -B installed-system"
	tmux send-keys -t "$SESSION" C-]
	until_shown "Domain creation completed."
	until_shown "[exited with code 0]"
	installed domU-solnvb82-PV "$T/xvm_pool/guest-files/domU-solnvb82-PV.img" $((10 << 30))
	[ "$(virsh dumpxml --inactive domU-solnvb82-PV | xmllint --xpath 'string(/domain/memory)' -)" = 1048576 ]
}

@test "example 2: --paravirt, --mac, -r 1011, -s 18 from an ISO on an install server's path" {
	solaris_media "$T/x_iso"
	mkdir -p "$T/net/inst.server/export/xVMDomU/x_iso" "$T/xvm"
	xorriso -as mkisofs -R -J -V SOL_11_X86 \
	    -o "$T/net/inst.server/export/xVMDomU/x_iso/63-0419-nd.iso" "$T/x_iso" 2>/dev/null
	in_terminal "virt-install --nographics -n domu-x16 --paravirt -f $T/xvm/domu-x16.img -r 1011 --mac=aa:ff:bb:aa:28:16 -s 18 -l $T/net/inst.server/export/xVMDomU/x_iso/63-0419-nd.iso"
	until_shown "command line: /platform/i86xpv/kernel/amd64/unix -B installed-system"
	tmux send-keys -t "$SESSION" C-]
	until_shown "[exited with code 0]"
	installed domu-x16 "$T/xvm/domu-x16.img" $((18 << 30))
	[ "$(xmllint --xpath 'string(//mac/@address)' final.xml)" = aa:ff:bb:aa:28:16 ]
	[ "$(xmllint --xpath 'string(/domain/memory)' final.xml)" = $((1011 * 1024)) ]
	# the guest reboots into its installed system, through the bootloader
	id=$(virsh domid domu-x16)
	xm reboot -w domu-x16
	for i in $(seq 50); do
		[ "$(virsh domid domu-x16)" != "$id" ] && break
		sleep 0.1
	done
	[ "$(virsh domid domu-x16)" != "$id" ]
	[ "$(virsh domstate domu-x16)" = running ]
}

@test "example 4: an HVM guest from a Windows CD image, with a VNC display" {
	# the CD: an El Torito boot image holding the simulated installer
	mkdir -p cdsys/WINDOWS cdroot "$T/guest"
	echo "[boot loader]" > cdsys/WINDOWS/boot.ini
	{ printf 'xvm-sim-installer poweroff-after=0.5\n'; tar -C cdsys -cf - .; } > cdroot/setupldr.bin
	n=$(( ($(stat -c %s cdroot/setupldr.bin) + 511) / 512 ))
	xorriso -as mkisofs -V WXPFPP_EN -b setupldr.bin -no-emul-boot -boot-load-size "$n" \
	    -o "$T/en_winxp_pro_with_sp2.iso" cdroot 2>/dev/null
	in_terminal "virt-install --name windowsxp-guest-HVM --ram 1024 --hvm --file $T/guest/windowsxp-guest-HVM-disk --cdrom $T/en_winxp_pro_with_sp2.iso --file-size 10 --vnc"
	# no viewer to show the display: it waits for the installer instead
	until_shown "WARNING  Unable to connect to graphical console: virt-viewer not installed. Please install the 'virt-viewer' package."
	until_shown "WARNING  No console to launch for the guest, defaulting to --wait -1"
	until_shown "Waiting for the installation to complete."
	until_shown "Domain has shutdown. Continuing."
	until_shown "Domain creation completed."
	until_shown "[exited with code 0]"
	img=$T/guest/windowsxp-guest-HVM-disk
	[ "$(virsh domstate windowsxp-guest-HVM)" = running ]
	virsh dumpxml --inactive windowsxp-guest-HVM > final.xml
	[ "$(xmllint --xpath 'string(/domain/os/type)' final.xml)" = hvm ]
	[ "$(xmllint --xpath 'count(/domain/os/boot)' final.xml)" = 1 ]
	[ "$(xmllint --xpath 'string(/domain/os/boot/@dev)' final.xml)" = hd ]
	[ "$(xmllint --xpath 'string(/domain/devices/graphics/@type)' final.xml)" = vnc ]
	[ "$(xmllint --xpath 'string(/domain/memory)' final.xml)" = 1048576 ]
	[ "$(xmllint --xpath 'string(//disk[@device="disk"]/source/@file)' final.xml)" = "$img" ]
	[ "$(stat -c %s "$img")" -eq $((10 << 30)) ]
	[ $(( $(stat -c %b "$img") * 512 )) -lt $((10 << 28)) ]
	# the installed system boots from the disk (a console read takes
	# what it shows off the ring: keep it)
	for i in $(seq 50); do
		timeout 0.3 xm console windowsxp-guest-HVM | tr -d '\r' >> con.log || true
		grep -q "booted from $img" con.log && break
	done
	grep -qF "Booting from Hard Disk ($img)..." con.log
	grep -qF "xvm simulated HVM guest: booted from $img" con.log
}

@test "interactive: what is missing is asked for on a terminal, each answer checked" {
	solaris_media "$T/nv"
	in_terminal "virt-install -p --noautoconsole --wait 1"
	until_shown "What is the name of your virtual machine?"
	type_line "bad name"
	until_shown "ERROR    Guest name 'bad name' may hold only"
	type_line "asked1"
	until_shown "How much RAM should be allocated (in megabytes)?"
	type_line "lots"
	until_shown "ERROR    'lots' is not an amount of memory in megabytes"
	type_line "256"
	until_shown "What would you like to use as the disk (file path)?"
	type_line "$T/asked1.img"
	until_shown "How large would you like the disk ($T/asked1.img) to be (in gigabytes)?"
	type_line "0.05"
	until_shown "What is the install URL?"
	type_line "$T/nv"
	until_shown "[exited with code 0]"
	[ "$(virsh domstate asked1)" = running ]
	[ "$(virsh dumpxml --inactive asked1 | xmllint --xpath 'string(/domain/memory)' -)" = $((256 * 1024)) ]
	[ "$(stat -c %s "$T/asked1.img")" -eq $(( (53687091 / 512) * 512 )) ]
	# without a terminal: each missing item is an error
	run_split virt-install -p </dev/null
	[ "$status" -eq 1 ] && [ -z "$out" ]
	[ "$err" = "ERROR    --name is required
ERROR    --memory amount in MiB is required
ERROR    --disk storage must be specified (override with --disk none)
ERROR    An install method must be specified (--location URL, --cdrom CD/ISO, --import)
" ]
}

#!/usr/bin/env bats
# HVM guests on the simulated host: the toolstack builds them as libxl
# does (HVM parameters, hvmloader and its SeaBIOS module, the HVM
# context, the paging pool), starts the device model with the guest's
# drives and boot order on its command line and stops it with the
# domain; the simulated firmware boots a CD-ROM's installer or the disk
# it installed, as the boot order says.

load helper

setup() {
	common_setup
	T=$BATS_TEST_TMPDIR
	cd "$T"
	xm list >/dev/null 2>&1
}

# hvm_cd ISO [SECS]: a CD whose El Torito boot image is the simulated
# installer (its system: one file)
hvm_cd() {
	mkdir -p cdsys/WINDOWS cdroot
	echo "[windows]" > cdsys/WINDOWS/win.ini
	{ printf 'xvm-sim-installer poweroff-after=%s\n' "${2:-0.3}"; tar -C cdsys -cf - .; } > cdroot/boot.img
	local n=$(( ($(stat -c %s cdroot/boot.img) + 511) / 512 ))
	xorriso -as mkisofs -V WXPFPP_EN -b boot.img -no-emul-boot -boot-load-size "$n" -o "$1" cdroot 2>/dev/null
}

# hvm_cfg NAME DISK CD BOOT: an xm config of the Sun xVM guide's HVM form
hvm_cfg() {
	cat > "$1.cfg" <<-EOF2
	name = "$1"
	builder = "hvm"
	kernel = "/usr/lib/xen/boot/hvmloader"
	memory = 512
	vcpus = 2
	disk = [ "file:$2,hda,w", "file:$3,hdc:cdrom,r" ]
	boot = "$4"
	vif = [ "mac=00:16:3e:10:20:30" ]
	vnc = 1
	on_poweroff = "destroy"
	on_reboot = "destroy"
	EOF2
}

# console_has NAME TEXT: TEXT on NAME's console (what xm console showed,
# kept: a console read takes what it reads off the ring)
console_has() {
	local i
	for i in $(seq 100); do
		timeout 0.3 xm console "$1" 2>/dev/null | tr -d '\r' >> "con.$1" || true
		grep -qF -- "$2" "con.$1" && return 0
	done
	cat "con.$1" >&2
	return 1
}

xs() {
	"$XVM_TOP/build/tests/xsls" "$1" | sed -n "s|^$1 = \"\(.*\)\"\$|\1|p" | head -1
}

@test "xm create builds an HVM guest as libxl does and starts its device model" {
	hvm_cd cd.iso 60
	truncate -s 1G disk.img
	hvm_cfg h1 "$T/disk.img" "$T/cd.iso" dc
	run_split env XVM_TRACE=1 xm create h1.cfg
	[ "$status" -eq 0 ]
	# the build's hypercalls, in libxl's order
	seq=$(printf '%s' "$err" | sed -n 's/^xvm: \([a-z-]*\)-start .*/\1/p' | uniq | tr '\n' ' ')
	[[ "$seq" == *"dom-create max-vcpus "*"set-max-mem set-paging-mempool-size evtchn-alloc-unbound populate-physmap "*"hvm-set-param "*"gethvmcontext sethvmcontext "*"dom-unpause"* ]]
	[[ "$err" == *"xvm: dm-start dom=1 "*" -> ok"* ]]
	[ "$(xs /libxl/1/type)" = hvm ]
	[ "$(xs /local/domain/1/hvmloader/bios)" = seabios ]
	[ "$(xs /local/domain/0/device-model/1/state)" = running ]
	# QEMU's command line: Xen mode, the drives, the boot order, the NIC
	"$XVM_TOP/build/tests/xsls" /local/domain/0/device-model/1/xvm-sim-argv > argv
	grep -qx -- "-xen-domid" argv
	grep -qx -- "xenfv" argv
	grep -qx -- "order=dc" argv
	grep -qx -- "file=$T/disk.img,if=ide,index=0,media=disk,format=raw,cache=writeback" argv
	grep -qx -- "file=$T/cd.iso,if=ide,index=2,readonly=on,media=cdrom,format=raw,cache=writeback,id=ide-5632" argv
	grep -qx -- "rtl8139,id=nic0,netdev=net0,mac=00:16:3e:10:20:30" argv
	grep -q -- "^127.0.0.1:0,to=99" argv
	# Xen's view: an HVM guest of 512 MiB (its video memory included)
	xm list h1 | awk 'NR == 2 { exit !($3 >= 510 && $3 <= 512 && $4 == 2) }'
	console_has h1 "xvm simulated hvmloader: HVM Loader (domain 1, 2 vcpus)"
	console_has h1 "boot order dc"
	console_has h1 "Booting from DVD/CD ($T/cd.iso)..."
	console_has h1 "xvm simulated installer: installing the system"
	# its firmware and installer have no PV drivers: it cannot be asked
	run_split xm shutdown h1
	[ "$status" -ne 0 ]
	[[ "$err" == *"is an HVM guest: without PV drivers it cannot be asked to shut down (use destroy)"* ]]
	# destroyed: the device model goes with it, nothing is left
	xm destroy h1
	! "$XVM_TOP/build/tests/xsls" /local/domain/0/device-model | grep -q '^/local/domain/0/device-model/1'
	[ -z "$("$XVM_TOP/build/tests/xsls" /local/domain | grep '^/local/domain/1')" ]
}

@test "the installer on the CD-ROM installs; the disk then boots, balloons and shuts down" {
	hvm_cd cd.iso 0.2
	truncate -s 1G disk.img
	hvm_cfg h2 "$T/disk.img" "$T/cd.iso" dc
	xm create h2.cfg
	# it powers off when it is done (on_poweroff destroy)
	for i in $(seq 100); do xm list h2 >/dev/null 2>&1 || break; sleep 0.1; done
	! xm list h2 2>/dev/null
	# the system it put on the disk: ext2, and a boot sector
	debugfs -R 'cat /WINDOWS/win.ini' disk.img 2>/dev/null | grep -q windows
	[ "$(od -An -tx1 -j510 -N2 disk.img | tr -d ' ')" = 55aa ]
	[ "$(stat -c %s disk.img)" -eq $((1 << 30)) ]
	# boot from the disk
	hvm_cfg h2 "$T/disk.img" "$T/cd.iso" c
	xm create h2.cfg
	console_has h2 "Booting from Hard Disk ($T/disk.img)..."
	console_has h2 "xvm simulated HVM guest: booted from $T/disk.img"
	# its balloon driver follows mem-set (the video memory stays)
	xm mem-set h2 256
	for i in $(seq 50); do
		m=$(xm list h2 | awk 'NR == 2 { print $3 }')
		[ "$m" -le 260 ] && break
		sleep 0.1
	done
	[ "$m" -le 260 ] && [ "$m" -ge 250 ]
	[ "$(xs /local/domain/$(xm domid h2)/memory/target)" = $((256 * 1024 - 8192)) ]
	# with its PV drivers up, it shuts down when asked
	xm shutdown -w h2
	! xm list h2 2>/dev/null
	! "$XVM_TOP/build/tests/xsls" /local/domain/0/device-model | grep -q '^/local/domain/0/device-model/[0-9]' 
}

@test "an HVM guest with nothing to boot stays in its firmware" {
	truncate -s 64M blank.img
	printf 'not an iso' > blank.iso
	hvm_cfg h3 "$T/blank.img" "$T/blank.iso" dcn
	xm create h3.cfg
	console_has h3 "Boot failed: not a bootable disc"
	console_has h3 "Boot failed: not a bootable disk"
	console_has h3 "no network boot on the simulated host"
	console_has h3 "No bootable device."
	[ "$(virsh domstate h3)" = running ]
	xm destroy h3
}

@test "HVM failures leave nothing behind: a missing drive, a bad firmware, too little memory" {
	hvm_cd cd.iso
	truncate -s 64M disk.img
	# QEMU cannot open a drive: the domain is taken back
	hvm_cfg bad "$T/disk.img" "$T/no-such.iso" dc
	run_split xm create bad.cfg
	[ "$status" -eq 1 ]
	[[ "$err" == *"Could not open '$T/no-such.iso'"* ]]
	[ "$(xm list | wc -l)" -eq 2 ]
	[ -z "$("$XVM_TOP/build/tests/xsls" /local/domain | grep '^/local/domain/[1-9]')" ]
	[ -z "$("$XVM_TOP/build/tests/xsls" /libxl)" ] || [ "$("$XVM_TOP/build/tests/xsls" /libxl | grep -c '^/libxl/[1-9]')" -eq 0 ]
	# a firmware override that is not hvmloader's kind of file
	hvm_cfg bad "$T/disk.img" "$T/cd.iso" dc
	printf 'not an ELF file at all, just text\n' > fw.bin
	sed -i "s|^kernel = .*|kernel = \"$T/fw.bin\"|" bad.cfg
	run_split xm create bad.cfg
	[ "$status" -eq 1 ]
	[[ "$err" == *"$T/fw.bin: not an HVM firmware image"* ]]
	# too little memory for hvmloader's layout
	hvm_cfg bad "$T/disk.img" "$T/cd.iso" dc
	sed -i 's/^memory = .*/memory = 16/' bad.cfg
	run_split xm create bad.cfg
	[ "$status" -eq 1 ]
	[[ "$err" == *"too little memory for an HVM guest"* ]]
	[ "$(xm list | wc -l)" -eq 2 ]
	# what xvm does only for PV guests says so
	hvm_cfg h4 "$T/disk.img" "$T/cd.iso" dc
	xm create h4.cfg
	run_split xm save h4 "$T/h4.sav"
	[ "$status" -eq 1 ]
	[[ "$err" == *"is an HVM guest: xvm saves PV guests"* ]]
	[ ! -e "$T/h4.sav" ]
	[ "$(virsh domstate h4)" = running ]
}

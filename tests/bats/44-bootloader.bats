#!/usr/bin/env bats
# The toolstack's bootloader (lib/toolstack/bootloader.c), pygrub's job: a
# PV guest with bootloader = "pygrub" and no kernel boots what its disk's
# GRUB configuration says, from an ext2/3/4 file system on the whole disk,
# an MBR partition or a GPT partition, the disk only read.

load helper

setup() {
	common_setup
	cd "$BATS_TEST_TMPDIR"
	xm list >/dev/null 2>&1
	mkdir -p root/boot/grub
	cp "$XVM_TOP/build/tests/xvm-test-guest" root/boot/vmlinuz-6.1
	echo "an initramfs" > root/boot/initrd.img-6.1
}

# cfg NAME DISK: a PV guest booting DISK through the bootloader
cfg() {
	cat > "$1.cfg" <<-EOF
	name = "$1"
	memory = 32
	bootloader = "pygrub"
	disk = [ "file:$PWD/$2,xvda,w" ]
	EOF
}

# booted NAME: the command line the guest booted with
booted() {
	xm console "$1" </dev/null | tr -d '\r' | sed -n 's/^xvm simulated PV guest: command line: //p' | head -1
}

grub2() {
	cat > root/boot/grub/grub.cfg <<-'EOF'
	set default="1"
	menuentry 'Debian GNU/Linux' --class debian {
		linux	/boot/vmlinuz-6.1 root=/dev/xvda1 ro quiet
		initrd	/boot/initrd.img-6.1
	}
	menuentry 'Debian GNU/Linux (recovery mode)' {
		linux	/boot/vmlinuz-6.1 root=/dev/xvda1 ro single
		initrd	/boot/initrd.img-6.1
	}
	EOF
}

@test "a whole-disk ext4 file system with GRUB 2: the default entry, its arguments" {
	grub2
	truncate -s 32M disk.img
	mke2fs -q -F -t ext4 -d root disk.img
	sum=$(md5sum < disk.img)
	cfg g disk.img
	xm create g.cfg >/dev/null
	[ "$(booted g)" = "root=/dev/xvda1 ro single" ]
	# the guest keeps its bootloader: a reboot boots the disk again
	virsh dumpxml g | grep -q "<bootloader>pygrub</bootloader>"
	! virsh dumpxml g | grep -q "<kernel>"
	# only read
	xm destroy g
	[ "$(md5sum < disk.img)" = "$sum" ]
	# nothing left of the copies
	[ -z "$(ls "${TMPDIR:-/tmp}" | grep '^xvm-boot-' || true)" ]
}

@test "an MBR partition holding /boot, GRUB legacy: paths relative to it" {
	mkdir -p boot/grub
	cp root/boot/vmlinuz-6.1 boot/vmlinuz
	cat > boot/grub/menu.lst <<-'EOF'
	default 1
	timeout 5
	title old
		root (hd0,0)
		kernel (hd0,0)/vmlinuz root=/dev/xvda2 old
	title new
		root (hd0,0)
		kernel /vmlinuz root=/dev/xvda2 new
	EOF
	truncate -s 64M disk.img
	# one Linux partition from sector 2048
	/usr/bin/python3 - disk.img <<-'EOF'
	import struct, sys
	with open(sys.argv[1], "r+b") as f:
	    e = struct.pack("<B3sB3sII", 0x80, b"\0\0\0", 0x83, b"\0\0\0", 2048, 2048 * 31)
	    f.seek(446); f.write(e)
	    f.seek(510); f.write(b"\x55\xaa")
	EOF
	mke2fs -q -F -t ext3 -E offset=1048576 -d boot disk.img 31M
	cfg m disk.img
	xm create m.cfg >/dev/null
	[ "$(booted m)" = "root=/dev/xvda2 new" ]
}

@test "a GPT partition; a default past the entries falls back to the first" {
	cat > root/boot/grub/grub.cfg <<-'EOF'
	set default=7
	menuentry 'only' {
		linux /boot/vmlinuz-6.1 console=hvc0 gpt
	}
	EOF
	truncate -s 64M disk.img
	/usr/bin/python3 - disk.img <<-'EOF'
	import struct, sys, uuid
	with open(sys.argv[1], "r+b") as f:
	    # the protective MBR, the header at LBA 1, the entries at LBA 2
	    f.seek(446); f.write(struct.pack("<B3sB3sII", 0, b"\0\0\0", 0xEE, b"\0\0\0", 1, 0xffffffff))
	    f.seek(510); f.write(b"\x55\xaa")
	    hdr = b"EFI PART" + struct.pack("<IIIIQQQQ16sQII", 0x10000, 92, 0, 0, 1, 131071, 34, 131038, uuid.uuid4().bytes, 2, 128, 128)
	    f.seek(512); f.write(hdr)
	    linux = uuid.UUID("0fc63daf-8483-4772-8e79-3d69d8477de4").bytes_le
	    ent = linux + uuid.uuid4().bytes + struct.pack("<QQQ", 2048, 2048 + 2048 * 30 - 1, 0)
	    f.seek(1024); f.write(ent)
	EOF
	mke2fs -q -F -t ext4 -E offset=1048576 -d root disk.img 30M
	cfg p disk.img
	xm create p.cfg >/dev/null
	[ "$(booted p)" = "console=hvc0 gpt" ]
}

@test "nothing to boot: a clear error naming the disk; no domain left" {
	truncate -s 16M blank.img
	cfg b blank.img
	run_split xm create b.cfg
	[ "$status" -eq 1 ]
	[[ "$err" == *"the guest's disk '$PWD/blank.img' has no GRUB configuration (grub.cfg, menu.lst) on an ext2/3/4 file system: nothing to boot"* ]]
	# a menu naming a kernel the disk does not have
	cat > root/boot/grub/grub.cfg <<-'EOF'
	menuentry 'gone' {
		linux /boot/vmlinuz-9.9 ro
	}
	EOF
	truncate -s 32M gone.img
	mke2fs -q -F -t ext2 -d root gone.img
	cfg n gone.img
	run_split xm create n.cfg
	[ "$status" -eq 1 ]
	[[ "$err" == *"boots '/boot/vmlinuz-9.9' (/boot/grub/grub.cfg), which is not on it"* ]]
	[ "$(xm list | wc -l)" -eq 2 ]
}

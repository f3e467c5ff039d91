#!/usr/bin/env bats
# virt-install: argparse conventions, the request (old and new option
# spellings), the plan printed as XML, and --import installs on sim://.

load helper

setup() {
	common_setup
	cd "$BATS_TEST_TMPDIR"
	xm list >/dev/null 2>&1
}

schema() {
	xmllint --noout --relaxng "$XVM_TOP/data/schemas/domain.rng" "$1"
}

@test "--help: argparse layout, sections, derived from the table" {
	run_split virt-install --help
	[ "$status" -eq 0 ]
	[[ "$out" == "usage: virt-install --name NAME --memory MB STORAGE INSTALL [options]

Create a new virtual machine from specified install media.

options:
  -h, --help            show this help message and exit
  --version             show program's version number and exit
  --connect URI         Connect to hypervisor with libvirt URI

General Options:
  -n NAME, --name NAME  Name of the guest instance
  --memory MEMORY       Configure guest memory allocation. Ex:
                        --memory 1024 (in MiB)
                        --memory memory=1024,currentMemory=512
"* ]]
	# a long help wraps at argparse's column
	[[ "$out" == *"  --noautoconsole       Don't automatically try to connect to the guest
                        console
"* ]]
	[[ "$out" == *"  --print-xml [XMLONLY]
"* ]]
	for s in "General Options" "Installation Method Options" \
	    "Device Options" "Virtualization Platform Options" "Miscellaneous Options"; do
		grep -qx "$s:" <<< "$out"
	done
	# the guide's old spellings are accepted but not listed
	! grep -q -- "--ram\|--file-size\|--nographics\|--vnc\b" <<< "$out"
	diff <(virt-install -h) <(virt-install --help)
	diff <(virt-install --he) <(virt-install --help)
}

@test "--version prints the virt-install interface level" {
	run_split virt-install --version
	[ "$status" -eq 0 ]
	[ "$out" = "4.1.0
" ]
}

@test "usage errors: unknown options, bad ints, exclusive switches; exit 2" {
	run_split virt-install --bogus x
	[ "$status" -eq 2 ] && [ -z "$out" ]
	[ "$err" = "usage: virt-install --name NAME --memory MB STORAGE INSTALL [options]
virt-install: error: unrecognized arguments: --bogus x
" ]
	run_split virt-install -n g -r abc --import
	[ "$status" -eq 2 ]
	[[ "$err" == *"virt-install: error: argument -r/--ram: invalid int value: 'abc'"$'\n' ]]
	run_split virt-install -n g -r 512 -p -v --import
	[ "$status" -eq 2 ]
	[[ "$err" == *"virt-install: error: argument -p/--paravirt: not allowed with argument -v/--hvm"$'\n' ]]
	run_split virt-install --version=1
	[ "$status" -eq 2 ]
	[[ "$err" == *"virt-install: error: argument --version: ignored explicit argument '1'"$'\n' ]]
}

@test "bad values: one ERROR line each, exit 1, nothing made" {
	t() { run_split virt-install "$@"; [ "$status" -eq 1 ] && [ -z "$out" ]; }
	t -n g --import --disk /x.img
	[ "$err" = "ERROR    --memory amount in MiB is required
" ]
	t -r 512 --import --disk /x.img
	[ "$err" = "ERROR    --name is required
" ]
	t -n 'a b' -r 512 --import --disk /x.img
	[[ "$err" == "ERROR    Guest name 'a b' may hold only"* ]]
	t -n g -r 512 -p --import --disk "$PWD/new.img"
	[ "$err" = "ERROR    Error: --disk path=$PWD/new.img: Size must be specified for non existent volume 'new.img'
" ]
	t -n g -r 512 -p --import --disk "$PWD/nodir/new.img,size=1"
	[ "$err" = "ERROR    --disk path=$PWD/nodir/new.img: the directory '$PWD/nodir' does not exist
" ]
	t -n g -r 512 -p --import --disk "$PWD/d.img,size=1" --mac 01:16:3e:00:00:01
	[[ "$err" == "ERROR    MAC address '01:16:3e:00:00:01' is a multicast address"* ]]
	t -n g -r 512 -p --import --disk "$PWD/d.img,size=1" --mac 00:16:3e:00:00
	[[ "$err" == "ERROR    MAC address '00:16:3e:00:00' must be six hex pairs"* ]]
	t -n g -r 512 -p --import --disk "$PWD/d.img,size=1" --uuid not-a-uuid
	[[ "$err" == "ERROR    --uuid 'not-a-uuid' is not a UUID"* ]]
	t -n g -r 512 -p --import --disk "$PWD/d.img,size=x"
	[[ "$err" == "ERROR    --disk: size 'x' is not a number of GiB"* ]]
	t -n g -r 512 -p --import --disk "$PWD/d.img,size=1,cache=none"
	[[ "$err" == "ERROR    Unknown --disk options: ['cache']"* ]]
	t -n g -r 512 --cdrom "$PWD/none.iso" --disk "$PWD/d.img,size=1"
	[ "$err" = "ERROR    Validating install media '$PWD/none.iso' failed: no such file
" ]
	t -n g -r 512 --import --cdrom "$PWD/none.iso"
	[[ "$err" == "ERROR    Only one install method can be used"* ]]
	t -n g -r 512 --vnc --graphics vnc --import --disk "$PWD/d.img,size=1"
	[ "$err" = "ERROR    Cannot mix --graphics and old style graphical options
" ]
	t -n g -r 512 --vnc --nographics --import --disk "$PWD/d.img,size=1"
	[ "$err" = "ERROR    Can't specify more than one of VNC, SDL, --graphics or --nographics
" ]
	t -n g -r 512 --import --disk "$PWD/d.img,size=1" --print-xml 3
	[ "$err" = "ERROR    Unknown XML step request '3', must be 1, 2, or all
" ]
	[ ! -e d.img ] && [ ! -e new.img ]
	[ -z "$(virsh list --all --name | grep -v Domain-0)" ]
}

@test "the guide's HVM example as XML: install phase from the ISO, final from the disk" {
	truncate -s 1M winxp.iso
	run_split virt-install --name windowsxp-guest-HVM --ram 1024 --hvm \
	    --file "$PWD/windowsxp-guest-HVM-disk" --cdrom "$PWD/winxp.iso" \
	    --file-size 10 --vnc --print-xml
	[ "$status" -eq 0 ] && [ -z "$err" ]
	# two documents: the install phase, then the final domain
	csplit -s -z -f dom <(printf '%s' "$out") '/^<domain/' '{*}'
	[ -f dom00 ] && [ -f dom01 ] && [ ! -f dom02 ]
	schema dom00 && schema dom01
	[ "$(xmllint --xpath 'string(/domain/os/type)' dom00)" = hvm ]
	[ "$(xmllint --xpath 'string(/domain/on_reboot)' dom00)" = destroy ]
	[ "$(xmllint --xpath 'string(/domain/on_reboot)' dom01)" = restart ]
	[ "$(xmllint --xpath 'string(/domain/os/boot[1]/@dev)' dom00)" = cdrom ]
	[ "$(xmllint --xpath 'string(/domain/os/boot[1]/@dev)' dom01)" = hd ]
	[ "$(xmllint --xpath 'string(//disk[@device="cdrom"]/source/@file)' dom00)" = "$PWD/winxp.iso" ]
	[ "$(xmllint --xpath 'count(//disk[@device="cdrom"]/source)' dom01)" = 0 ]
	[ "$(xmllint --xpath 'string(//disk[@device="disk"]/target/@dev)' dom01)" = hda ]
	[ "$(xmllint --xpath 'string(//graphics/@type)' dom01)" = vnc ]
	[ "$(xmllint --xpath 'string(//graphics/@port)' dom01)" = -1 ]
	[ "$(xmllint --xpath 'string(/domain/memory)' dom01)" = 1048576 ]
	# the same UUID and MAC in both
	[ "$(xmllint --xpath 'string(/domain/uuid)' dom00)" = "$(xmllint --xpath 'string(/domain/uuid)' dom01)" ]
	[[ "$(xmllint --xpath 'string(//mac/@address)' dom01)" == 00:16:3e:* ]]
	# --print-xml 1 and 2 pick one; nothing was made
	[ "$(virt-install --name w --ram 1024 --hvm --file "$PWD/w.img" --cdrom "$PWD/winxp.iso" --file-size 10 --print-xml 1 | grep -c '<domain')" = 1 ]
	virt-install --name w --ram 1024 --hvm --file "$PWD/w.img" --cdrom "$PWD/winxp.iso" --file-size 10 --print-xml 2 | grep -q "<on_reboot>restart"
	[ ! -e windowsxp-guest-HVM-disk ] && [ ! -e w.img ]
}

@test "today's spellings: --memory, --vcpus, --disk, --network, --graphics, --boot" {
	run_split virt-install --name pv1 --paravirt --memory 1024,currentMemory=512 \
	    --vcpus 2,maxvcpus=4,cpuset=1-3,5 --disk "path=$PWD/pv1.img,size=0.25,bus=xen" \
	    --network bridge=br0,mac=00:16:3e:01:02:03 --network bridge=br1,model=e1000 \
	    --graphics vnc,port=5901,listen=127.0.0.1 --uuid 2f4f6f3e-1b2a-4c5d-8e9f-0a1b2c3d4e5f \
	    --import --print-xml
	[ "$status" -eq 0 ]
	printf '%s' "$out" > pv1.xml
	schema pv1.xml
	[ "$(xmllint --xpath 'string(/domain/uuid)' pv1.xml)" = 2f4f6f3e-1b2a-4c5d-8e9f-0a1b2c3d4e5f ]
	[ "$(xmllint --xpath 'string(/domain/currentMemory)' pv1.xml)" = 524288 ]
	[ "$(xmllint --xpath 'string(/domain/vcpu)' pv1.xml)" = 4 ]
	[ "$(xmllint --xpath 'string(/domain/vcpu/@current)' pv1.xml)" = 2 ]
	[ "$(xmllint --xpath 'string(/domain/vcpu/@cpuset)' pv1.xml)" = 1-3,5 ]
	[ "$(xmllint --xpath 'string(//interface[1]/mac/@address)' pv1.xml)" = 00:16:3e:01:02:03 ]
	[ "$(xmllint --xpath 'string(//interface[2]/source/@bridge)' pv1.xml)" = br1 ]
	[ "$(xmllint --xpath 'string(//interface[2]/model/@type)' pv1.xml)" = e1000 ]
	[ "$(xmllint --xpath 'string(//graphics/@port)' pv1.xml)" = 5901 ]
	[ "$(xmllint --xpath 'string(//disk/target/@dev)' pv1.xml)" = xvda ]
	# a PV guest boots its disk's kernel through the bootloader
	[ "$(xmllint --xpath 'string(/domain/bootloader)' pv1.xml)" = pygrub ]
	# --import has one document only
	[ "$(grep -c '<domain' pv1.xml)" = 1 ]
	run_split virt-install -n g -r 512 --import --disk "$PWD/g.img,size=1" --dry-run
	[ "$status" -eq 0 ] && [ "$out" = "Dry run completed successfully
" ]
	[ ! -e g.img ] && [ ! -e pv1.img ]
}

@test "--import: the disk made (sparse, or allocated), defined and started" {
	kernel=$XVM_TOP/build/tests/xvm-test-guest
	run_split virt-install -n imp -r 64 -p --disk "$PWD/imp.img,size=0.5" \
	    --boot "kernel=$kernel,kernel_args=console=hvc0" --import --noautoconsole
	[ "$status" -eq 0 ]
	[[ "$out" == $'\nStarting install...\nAllocating \'imp.img\''*"Creating domain..."*$'\nDomain creation completed.\n' ]]
	[ "$(stat -c %s imp.img)" -eq $((512 << 20)) ]
	[ "$(stat -c %b imp.img)" -eq 0 ]
	[ "$(virsh domstate imp)" = running ]
	virsh dumpxml --inactive imp | grep -q "<kernel>$kernel</kernel>"
	# non-sparse: every block allocated
	run_split virt-install -n imp2 -r 64 -p --disk "path=$PWD/imp2.img,size=0.01,sparse=no" \
	    --boot "kernel=$kernel" --import --noautoconsole
	[ "$status" -eq 0 ]
	[ $(( $(stat -c %b imp2.img) * 512 )) -ge $(stat -c %s imp2.img) ]
	# the guide's --nonsparse the same
	virt-install -n imp3 -r 64 -p -f "$PWD/imp3.img" -s 0.01 --nonsparse \
	    --boot "kernel=$kernel" --import --noautoconsole >/dev/null
	[ $(( $(stat -c %b imp3.img) * 512 )) -ge $(stat -c %s imp3.img) ]
}

@test "--import never touches an existing image, and a failed start takes back what it made" {
	kernel=$XVM_TOP/build/tests/xvm-test-guest
	head -c 1M /dev/urandom > old.img
	sum=$(md5sum < old.img)
	run_split virt-install -n keep -r 64 -p --disk "$PWD/old.img,size=2" \
	    --boot "kernel=$kernel" --import --noautoconsole
	[ "$status" -eq 0 ]
	[[ "$err" == "WARNING  Disk $PWD/old.img already exists: it is used as it is"* ]]
	[ "$(md5sum < old.img)" = "$sum" ] && [ "$(stat -c %s old.img)" -eq $((1 << 20)) ]
	# no kernel for a PV guest: the start fails; no definition, no new image
	run_split virt-install -n fails -r 64 -p --disk "$PWD/new.img,size=0.01" --import --noautoconsole
	[ "$status" -eq 1 ]
	[[ "$err" == *"new.img' has no GRUB configuration"* ]]
	[ ! -e new.img ]
	! virsh dominfo fails >/dev/null 2>&1
	[ "$(md5sum < old.img)" = "$sum" ]
	# a disk the backend could not write (immutable, even to root)
	if chattr +i old.img 2>/dev/null; then
		run_split virt-install -n ro -r 64 -p --disk "$PWD/old.img" --import --print-xml
		chattr -i old.img
		[ "$status" -eq 0 ]
		[ "$err" = "WARNING  The disk $PWD/old.img cannot be read and written here (Operation not permitted): the guest's disk backend may fail to open it
" ]
	fi
}

@test "every document --print-xml writes is valid against libvirt's domain.rng" {
	truncate -s 1M cd.iso
	mkdir -p sol/boot/platform/i86xpv/kernel/amd64 sol/boot/amd64
	cp "$XVM_TOP/build/tests/xvm-test-guest" sol/boot/platform/i86xpv/kernel/amd64/unix
	echo ramdisk > sol/boot/amd64/x86.microroot
	xorriso -as mkisofs -R -V SOL_11_X86 -o sol.iso sol 2>/dev/null
	export XDG_CACHE_HOME=$PWD/cache
	n=0
	while IFS= read -r line; do
		eval "set -- $line"
		run_split virt-install "$@" --print-xml
		[ "$status" -eq 0 ] || { echo "$line: $err" >&2; false; }
		rm -f doc*
		csplit -s -z -f doc <(printf '%s' "$out") '/^<domain/' '{*}'
		for d in doc*; do
			schema "$d" || { echo "$line" >&2; cat "$d" >&2; false; }
			n=$((n + 1))
		done
	done <<-LINES
	-n a -r 256 -p --import --disk $PWD/a.img,size=1
	-n a -r 256 --hvm --cdrom $PWD/cd.iso --disk $PWD/a.img,size=1 --vnc --vncport 5905 -k de
	-n a -r 256 --hvm --cdrom $PWD/cd.iso --disk $PWD/a.img,size=1 --nographics --noacpi --noapic
	-n a -r 256 --hvm --cdrom $PWD/cd.iso --disk $PWD/a.img,size=1 --sdl
	-n a --memory 512,currentMemory=256 --vcpus 4,maxvcpus=8,cpuset=0-3 -p --import --disk path=$PWD/a.img,size=1,bus=xen,sparse=no
	-n a -r 256 -p --import --disk $PWD/a.img,size=1 --disk $PWD/cd.iso,device=cdrom --disk $PWD/b.img,size=1,readonly=yes
	-n a -r 256 -p --import --disk $PWD/a.img,size=1 -w bridge=br0,model=e1000 -w network=default,mac=00:16:3e:00:00:01 -w type=user
	-n a -r 256 -p --import --disk $PWD/a.img,size=1 --network none
	-n a -r 256 -p --import --disk $PWD/a.img,size=1 -b xenbr1 -m 00:16:3e:aa:bb:cc
	-n a -r 256 -p --import --disk $PWD/a.img,size=1 --boot kernel=/k,initrd=/i,kernel_args=console=hvc0
	-n a -r 256 --hvm --import --disk $PWD/a.img,size=1 --boot cdrom,hd,network --graphics vnc,listen=0.0.0.0,port=-1,password=s3cret
	-n a -r 256 -p -l $PWD/sol --disk $PWD/a.img,size=1 -x console=hvc0 --autocf nfs:h:/js/a
	-n a -r 256 -p --cdrom $PWD/sol.iso --disk $PWD/a.img,size=1 --uuid 11111111-2222-3333-4444-555555555555
	--connect test:///default -n a -r 256 -p --import --disk $PWD/a.img,size=1
	--connect test:///default -n a -r 256 --hvm --cdrom $PWD/cd.iso --disk $PWD/a.img,size=1
	LINES
	[ "$n" -ge 20 ]
}

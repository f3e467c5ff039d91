#!/usr/bin/env bats
# virt-install from install media (lib/media, lib/install/detect.c) on a
# simulated host: Solaris xVM, Debian and .treeinfo trees, as directories,
# ISO images (xorriso) and over HTTP and FTP servers on loopback; the
# installer is the test kernel with a ramdisk that makes the simulated
# guest install and power off (sim_guest.c).

load helper
load servers

GUEST=$XVM_TOP/build/tests/xvm-test-guest

setup() {
	common_setup
	unset http_proxy https_proxy ftp_proxy all_proxy no_proxy
	T=$BATS_TEST_TMPDIR
	PIDS=()
	export XDG_CACHE_HOME=$T/cache
	mkdir -p "$T/www" "$T/work"
	cd "$T/work"
	xm list >/dev/null 2>&1
}

teardown() {
	local p
	for p in "${PIDS[@]}"; do
		kill "$p" 2>/dev/null || true
		wait "$p" 2>/dev/null || true
	done
}

# installer FILE SECONDS: a ramdisk whose installer powers off after SECONDS
installer() {
	{ printf 'xvm-sim-installer poweroff-after=%s\n' "$2"; head -c 65536 /dev/urandom; } > "$1"
}

# solaris DIR [SECONDS]: a Solaris 11 xVM install tree
solaris() {
	mkdir -p "$1/boot/platform/i86xpv/kernel/amd64" "$1/boot/amd64" "$1/Solaris_11"
	cp "$GUEST" "$1/boot/platform/i86xpv/kernel/amd64/unix"
	installer "$1/boot/amd64/x86.microroot" "${2:-0.3}"
	printf 'PRODNAME=Solaris\nPRODVERS=11\n' > "$1/.cdtoc"
}

# debian DIR: a mirror's installer-amd64 directory
debian() {
	local i=$1/current/images
	mkdir -p "$i/netboot/xen" "$i/netboot/debian-installer/amd64"
	echo "Debian installer images" > "$i/MANIFEST"
	cp "$GUEST" "$i/netboot/xen/vmlinuz"
	installer "$i/netboot/xen/initrd.gz" 0.3
	cp "$GUEST" "$i/netboot/debian-installer/amd64/linux"
	installer "$i/netboot/debian-installer/amd64/initrd.gz" 0.3
}

schema() {
	xmllint --noout --relaxng "$XVM_TOP/data/schemas/domain.rng" "$1"
}

# split_xml: the documents of $out as dom00, dom01, ...
split_xml() {
	rm -f dom0*
	csplit -s -z -f dom <(printf '%s' "$out") '/^<domain/' '{*}'
}

@test "the guide's example 1 as XML: a Solaris ISO, its i86xpv kernel and boot archive" {
	solaris "$T/sol"
	xorriso -as mkisofs -R -J -V SOL_11_X86 -o "$T/solarisdvd.iso" "$T/sol" 2>/dev/null
	run_split virt-install -n domU-solnvb82-PV --nographics -p \
	    -f "$T/domU-solnvb82-PV.img" -r 1024 -s 10 -l "$T/solarisdvd.iso" --print-xml
	[ "$status" -eq 0 ] && [ -z "$err" ]
	split_xml
	schema dom00 && schema dom01
	kernel=$(xmllint --xpath 'string(/domain/os/kernel)' dom00)
	initrd=$(xmllint --xpath 'string(/domain/os/initrd)' dom00)
	[[ "$kernel" == "$T/cache/xvm/boot/virtinst-"*"-unix" ]]
	[[ "$initrd" == "$T/cache/xvm/boot/virtinst-"*"-x86.microroot" ]]
	cmp "$kernel" "$T/sol/boot/platform/i86xpv/kernel/amd64/unix"
	cmp "$initrd" "$T/sol/boot/amd64/x86.microroot"
	[ "$(xmllint --xpath 'string(/domain/os/type)' dom00)" = xen ]
	[ "$(xmllint --xpath 'string(/domain/on_reboot)' dom00)" = destroy ]
	# the installed guest boots its disk
	[ "$(xmllint --xpath 'count(/domain/os/kernel)' dom01)" = 0 ]
	[ "$(xmllint --xpath 'string(/domain/bootloader)' dom01)" = pygrub ]
	[ "$(xmllint --xpath 'string(//disk/target/@dev)' dom01)" = xvda ]
	[ ! -e "$T/domU-solnvb82-PV.img" ]
}

@test "the guide's example 2: a Solaris tree over HTTP, its MAC kept; installed and left off with --noreboot" {
	solaris "$T/www/x_iso"
	start_lighttpd
	run_split virt-install --nographics -n domu-x16 --paravirt -f "$T/domu-x16.img" \
	    -r 1011 --mac=aa:ff:bb:aa:28:16 -s 0.5 -l "http://127.0.0.1:$HTTP_PORT/x_iso" \
	    --noautoconsole --wait 1 --noreboot
	[ "$status" -eq 0 ]
	[[ "$out" == *"Allocating 'domu-x16.img'"*"Creating domain..."*"Waiting for the installation to complete."*"Domain creation completed."* ]]
	# the disk: 0.5 GiB, sparse; the guest defined as installed
	[ "$(stat -c %s "$T/domu-x16.img")" -eq $((512 << 20)) ]
	[ "$(stat -c %b "$T/domu-x16.img")" -eq 0 ]
	[ "$(virsh domstate domu-x16)" = "shut off" ]
	virsh dumpxml --inactive domu-x16 > final.xml
	schema final.xml
	[ "$(xmllint --xpath 'string(//mac/@address)' final.xml)" = aa:ff:bb:aa:28:16 ]
	[ "$(xmllint --xpath 'string(/domain/memory)' final.xml)" = $((1011 * 1024)) ]
	[ "$(xmllint --xpath 'string(/domain/bootloader)' final.xml)" = pygrub ]
	# the fetched kernel went once the domain had it
	[ -z "$(ls "$T/cache/xvm/boot")" ]
}

@test "FTP and a local tree: the same installer found" {
	solaris "$T/www/nv75"
	start_ftp
	run_split virt-install -n s1 -p -r 512 --disk "$T/s1.img,size=0.1" \
	    -l "ftp://127.0.0.1:$FTP_PORT/nv75/" --print-xml 1
	[ "$status" -eq 0 ]
	printf '%s' "$out" > s1.xml
	cmp "$(xmllint --xpath 'string(/domain/os/kernel)' s1.xml)" "$GUEST"
	run_split virt-install -n s2 -p -r 512 --disk "$T/s2.img,size=0.1" \
	    -l "$T/www/nv75" --print-xml 1
	[ "$status" -eq 0 ]
	printf '%s' "$out" > s2.xml
	cmp "$(xmllint --xpath 'string(/domain/os/initrd)' s2.xml)" "$T/www/nv75/boot/amd64/x86.microroot"
}

@test "a Debian mirror: netboot/xen for PV, debian-installer/ARCH for HVM; -x and --autocf" {
	debian "$T/www/debian/dists/bookworm/main/installer-amd64"
	start_lighttpd
	url=http://127.0.0.1:$HTTP_PORT/debian/dists/bookworm/main/installer-amd64/
	run_split virt-install -n deb-pv -p --memory 1024 --disk "path=$T/d.img,size=1" \
	    -l "$url" -x console=hvc0 --autocf http://127.0.0.1/ks.cfg \
	    --os-variant debian11 --print-xml 1
	[ "$status" -eq 0 ]
	printf '%s' "$out" > pv.xml
	schema pv.xml
	cmp "$(xmllint --xpath 'string(/domain/os/kernel)' pv.xml)" \
	    "$T/www/debian/dists/bookworm/main/installer-amd64/current/images/netboot/xen/vmlinuz"
	# Debian's installer takes its preseed file as url=
	[ "$(xmllint --xpath 'string(/domain/os/cmdline)' pv.xml)" = "console=hvc0 auto=true url=http://127.0.0.1/ks.cfg" ]
	run_split virt-install -n deb-hvm --hvm --memory 1024 --disk "path=$T/h.img,size=1" \
	    -l "$url" --print-xml 1
	[ "$status" -eq 0 ]
	printf '%s' "$out" > hvm.xml
	[[ "$(xmllint --xpath 'string(/domain/os/kernel)' hvm.xml)" == *-linux ]]
	[ "$(xmllint --xpath 'string(/domain/os/type)' hvm.xml)" = hvm ]
}

@test ".treeinfo: [images-xen] for a PV guest; --location URL,kernel=,initrd= overrides" {
	mkdir -p "$T/tree/images/xen" "$T/tree/images/pxeboot"
	cp "$GUEST" "$T/tree/images/xen/vmlinuz"
	installer "$T/tree/images/xen/initrd.img" 0.3
	cp "$GUEST" "$T/tree/images/pxeboot/vmlinuz"
	installer "$T/tree/images/pxeboot/initrd.img" 0.3
	printf '[general]\nfamily = Fedora\nversion = 38\narch = x86_64\n[images-xen]\nkernel = images/xen/vmlinuz\ninitrd = images/xen/initrd.img\n[images-x86_64]\nkernel = images/pxeboot/vmlinuz\ninitrd = images/pxeboot/initrd.img\n' > "$T/tree/.treeinfo"
	run_split virt-install -n f -p -r 512 --disk "$T/f.img,size=0.1" -l "$T/tree" \
	    --autocf http://ks.example.com/f.ks --print-xml 1
	[ "$status" -eq 0 ]
	[[ "$out" == *"-vmlinuz</kernel>"* ]] && [[ "$out" == *"-initrd.img</initrd>"* ]]
	# kickstart for the others
	[[ "$out" == *"<cmdline>inst.ks=http://ks.example.com/f.ks</cmdline>"* ]]
	run_split virt-install -n f -p -r 512 --disk "$T/f.img,size=0.1" \
	    -l "$T/tree,kernel=images/pxeboot/vmlinuz,initrd=images/pxeboot/initrd.img" --print-xml 1
	[ "$status" -eq 0 ]
	printf '%s' "$out" > o.xml
	cmp "$(xmllint --xpath 'string(/domain/os/initrd)' o.xml)" "$T/tree/images/pxeboot/initrd.img"
	# --dry-run fetches (and so checks) the files, and keeps none
	rm -rf "$T/cache"
	run_split virt-install -n f -p -r 512 --disk "$T/f.img,size=0.1" -l "$T/tree" --dry-run
	[ "$status" -eq 0 ] && [ "$out" = "Dry run completed successfully
" ]
	[ -z "$(ls "$T/cache/xvm/boot")" ] && [ ! -e "$T/f.img" ]
}

@test "bad locations: one ERROR line naming the location; nothing made or defined" {
	start_lighttpd
	run_split virt-install -n b -p -r 512 --disk "$T/b.img,size=0.1" -l "$T/none" --noautoconsole
	[ "$status" -eq 1 ]
	[ "$err" = "ERROR    Validating install media '$T/none' failed: no such file or directory
" ]
	mkdir "$T/empty"
	run_split virt-install -n b -p -r 512 --disk "$T/b.img,size=0.1" -l "$T/empty" --noautoconsole
	[ "$status" -eq 1 ]
	[ "$err" = "ERROR    Error validating install location: Could not find an installable distribution at URL '$T/empty'

The location must be the root directory of an install tree.
See virt-install man page for various distro examples.
" ]
	run_split virt-install -n b -p -r 512 --disk "$T/b.img,size=0.1" \
	    -l "http://127.0.0.1:$HTTP_PORT/nothing/" --noautoconsole
	[ "$status" -eq 1 ]
	[[ "$err" == "ERROR    Error validating install location: Could not find an installable distribution at URL 'http://127.0.0.1:$HTTP_PORT/nothing/'"* ]]
	port=$(free_port)
	run_split virt-install -n b -p -r 512 --disk "$T/b.img,size=0.1" \
	    -l "http://127.0.0.1:$port/tree/" --noautoconsole
	[ "$status" -eq 1 ]
	[[ "$err" == "ERROR    "*"http://127.0.0.1:$port/"*"refused"* ]]
	[ "$(printf '%s' "$err" | wc -l)" -eq 1 ]
	run_split virt-install -n b -p -r 512 --disk "$T/b.img,size=0.1" \
	    -l "gopher://x/" --noautoconsole
	[ "$status" -eq 1 ] && [[ "$err" == *"unsupported URL scheme"* ]]
	[ ! -e "$T/b.img" ]
	[ -z "$(virsh list --all --name | grep -v Domain-0)" ]
	[ -z "$(ls "$T/cache/xvm/boot" 2>/dev/null)" ]
}

@test "--wait 0 and --noautoconsole leave the installer running; it powers off by itself" {
	solaris "$T/sol" 0.5
	run_split virt-install -n w -p -r 256 --disk "$T/w.img,size=0.1" -l "$T/sol" --noautoconsole
	[ "$status" -eq 0 ]
	[[ "$out" == *"Domain is still running. Installation may be in progress."* ]]
	[ "$(virsh domstate w)" = running ]
	# the install phase runs over the guest's definition
	[ "$(virsh dumpxml w | xmllint --xpath 'string(/domain/on_reboot)' -)" = destroy ]
	[ "$(virsh dumpxml --inactive w | xmllint --xpath 'string(/domain/on_reboot)' -)" = restart ]
	sleep 1
	[ "$(virsh domstate w)" = "shut off" ]
}

@test "an OS name osinfo-db does not know is refused before anything is fetched" {
	solaris "$T/sol"
	run_split virt-install -n o -p -r 256 --disk "$T/o.img,size=0.1" -l "$T/sol" \
	    --os-variant solaris99 --noautoconsole
	[ "$status" -eq 1 ]
	[ "$err" = "ERROR    Unknown OS name 'solaris99'. See \`virt-install --osinfo list\` for valid values.
" ]
	[ -z "$(ls "$T/cache/xvm/boot" 2>/dev/null)" ]
	virt-install --osinfo list | grep -qx solaris11
	# the OS's minimum memory and disk, from osinfo-db
	debian "$T/deb"
	run_split virt-install -n o -p -r 16 --disk "$T/o.img,size=0.1" -l "$T/deb" \
	    --os-variant debian11 --print-xml 1
	[ "$status" -eq 0 ]
	[ "$err" = "WARNING  Requested memory 16 MiB is less than the minimum 1024 MiB for Debian 11
WARNING  Disk space 0.1 GiB is less than the minimum 10.0 GiB for Debian 11
" ]
}

@test "an ISO image on an HTTP server: fetched whole, read in place, its copy removed" {
	solaris "$T/sol"
	mkdir -p "$T/www/iso" "$T/tmp"
	xorriso -as mkisofs -R -J -V SOL_11_X86 -o "$T/www/iso/solarisdvd.iso" "$T/sol" 2>/dev/null
	start_lighttpd
	export TMPDIR=$T/tmp
	run_split virt-install -n i -p -r 256 --disk "$T/i.img,size=0.1" \
	    -l "http://127.0.0.1:$HTTP_PORT/iso/solarisdvd.iso" --print-xml 1
	[ "$status" -eq 0 ]
	printf '%s' "$out" > i.xml
	cmp "$(xmllint --xpath 'string(/domain/os/kernel)' i.xml)" "$T/sol/boot/platform/i86xpv/kernel/amd64/unix"
	[ -z "$(ls "$T/tmp")" ]
	# not an ISO, or not there: one line naming it
	echo "not an image" > "$T/www/iso/fake.iso"
	run_split virt-install -n i -p -r 256 --disk "$T/i.img,size=0.1" \
	    -l "http://127.0.0.1:$HTTP_PORT/iso/fake.iso" --print-xml 1
	[ "$status" -eq 1 ]
	[ "$err" = "ERROR    install location 'http://127.0.0.1:$HTTP_PORT/iso/fake.iso' is not an ISO image
" ]
	run_split virt-install -n i -p -r 256 --disk "$T/i.img,size=0.1" \
	    -l "http://127.0.0.1:$HTTP_PORT/iso/none.iso" --print-xml 1
	[ "$status" -eq 1 ]
	[[ "$err" == "ERROR    Validating install media 'http://127.0.0.1:$HTTP_PORT/iso/none.iso' failed"* ]]
	[ -z "$(ls "$T/tmp")" ]
}

#!/usr/bin/env bats
# lib/media's ISO back end (lib/media/media_iso.c) through the mediaget
# fixture: ISO 9660 images made by xorriso (Rock Ridge, Joliet, plain
# names, zisofs) read without a loop mount; damaged images refused with
# one clear line and exit 1, never a crash.

load helper

MG=$XVM_TOP/build/tests/mediaget

# mkiso DIR OUT [xorriso -as mkisofs options]: DIR as an image
mkiso() {
	local dir=$1 out=$2
	shift 2
	xorriso -as mkisofs "$@" -o "$out" "$dir" 2>/dev/null
}

# rnd FILE BYTES: random content
rnd() {
	mkdir -p "$(dirname "$1")"
	head -c "$2" /dev/urandom > "$1"
}

setup_file() {
	local t=$BATS_FILE_TMPDIR long
	# a Fedora-like tree
	rnd "$t/linux/images/pxeboot/vmlinuz" 300001
	rnd "$t/linux/images/pxeboot/initrd.img" 2097152
	printf '[general]\nfamily = Fedora\n' > "$t/linux/.treeinfo"
	: > "$t/linux/empty"
	ln -s images/pxeboot "$t/linux/pxe"
	ln -s /images/pxeboot/vmlinuz "$t/linux/abs-link"
	ln -s ../.treeinfo "$t/linux/images/up-link"
	ln -s loop "$t/linux/loop"
	ln "$t/linux/images/pxeboot/vmlinuz" "$t/linux/hard-link"
	long=$(printf 'n%.0s' $(seq 1 200)).txt
	rnd "$t/linux/names/$long" 1000
	rnd "$t/linux/names/a/b/c/d/e/f/g/h/i/j/k/l/deep" 5000
	rnd "$t/linux/names/MixedCase.Name" 10
	mkiso "$t/linux" "$t/linux.iso" -R -J -V LINUX
	# a Debian-like one
	rnd "$t/debian/install/vmlinuz" 70000
	rnd "$t/debian/install/initrd.gz" 90000
	mkdir -p "$t/debian/dists/bookworm"
	ln -s bookworm "$t/debian/dists/stable"
	echo "Suite: stable" > "$t/debian/dists/bookworm/Release"
	mkiso "$t/debian" "$t/debian.iso" -R -J -V DEBIAN
	# a Solaris-like one
	rnd "$t/sol/boot/platform/i86xpv/kernel/amd64/unix" 150000
	rnd "$t/sol/boot/amd64/x86.microroot" 400000
	echo "Solaris_11" > "$t/sol/.cdtoc"
	mkdir -p "$t/sol/Solaris_11/Product"
	mkiso "$t/sol" "$t/sol.iso" -R -V SOL_11_X86
}

setup() {
	common_setup
	mkdir "$BATS_TEST_TMPDIR/work"
	cd "$BATS_TEST_TMPDIR/work"
	T=$BATS_FILE_TMPDIR
}

# mg ARGS...: mediaget, with its streams in $out / $err, status in $status
mg() {
	run_split "$MG" "$@"
}

# exists_is IMAGE ANSWER PATH...: each PATH exists (yes) or not (no)
exists_is() {
	local iso=$1 want=$2 p
	shift 2
	for p in "$@"; do
		mg "$iso" exists "$p"
		[ "$status" -eq 0 ] || { echo "$p: $err" >&2; return 1; }
		[ "$out" = "$want"$'\n' ] || { echo "$p: $out" >&2; return 1; }
	done
}

# one_line: $err is exactly one line, "mediaget: " and what is expected
one_line() {
	[ "$(printf '%s' "$err" | wc -l)" -eq 1 ] || { echo "$err" >&2; return 1; }
	[[ "$err" == "mediaget: "* ]]
}

@test "a Linux tree: kind iso; files, directories and missing paths" {
	mg "$T/linux.iso" kind
	[ "$status" -eq 0 ] && [ "$out" = $'iso\n' ]
	exists_is "$T/linux.iso" yes images/pxeboot/vmlinuz \
	    /images/pxeboot/initrd.img .treeinfo empty images images/pxeboot/ \
	    //images//pxeboot/./vmlinuz / ""
	exists_is "$T/linux.iso" no images/pxeboot/nothing nothing/vmlinuz \
	    images/pxeboot/vmlinuz/more IMAGES/PXEBOOT/VMLINUZ
}

@test "cat and fetch give the files byte for byte (2 MiB too)" {
	"$MG" "$T/linux.iso" cat images/pxeboot/vmlinuz > vmlinuz
	cmp vmlinuz "$T/linux/images/pxeboot/vmlinuz"
	"$MG" "$T/linux.iso" fetch /images/pxeboot/initrd.img initrd.img
	cmp initrd.img "$T/linux/images/pxeboot/initrd.img"
	[ "$(stat -c %a initrd.img)" = 644 ]
	"$MG" "$T/linux.iso" cat .treeinfo | cmp - "$T/linux/.treeinfo"
	"$MG" "$T/linux.iso" fetch empty empty
	[ -f empty ] && [ ! -s empty ]
	# an existing file is replaced whole; nothing is left beside it
	echo old > vmlinuz
	"$MG" "$T/linux.iso" fetch images/pxeboot/vmlinuz vmlinuz
	cmp vmlinuz "$T/linux/images/pxeboot/vmlinuz"
	[ "$(ls | tr '\n' ' ')" = "empty initrd.img vmlinuz " ]
}

@test "a Debian tree: install/ and a symbolic link to a directory" {
	exists_is "$T/debian.iso" yes install/vmlinuz install/initrd.gz \
	    dists/stable dists/stable/Release
	"$MG" "$T/debian.iso" cat install/initrd.gz |
	    cmp - "$T/debian/install/initrd.gz"
	"$MG" "$T/debian.iso" fetch install/vmlinuz vmlinuz
	cmp vmlinuz "$T/debian/install/vmlinuz"
	mg "$T/debian.iso" cat dists/stable/Release
	[ "$status" -eq 0 ] && [ "$out" = $'Suite: stable\n' ]
}

@test "a Solaris tree: the xVM kernel, the microroot and the markers" {
	exists_is "$T/sol.iso" yes boot/platform/i86xpv/kernel/amd64/unix \
	    boot/amd64/x86.microroot .cdtoc Solaris_11 Solaris_11/Product
	exists_is "$T/sol.iso" no boot/platform/i86pc/kernel/amd64/unix
	"$MG" "$T/sol.iso" cat boot/platform/i86xpv/kernel/amd64/unix |
	    cmp - "$T/sol/boot/platform/i86xpv/kernel/amd64/unix"
	"$MG" "$T/sol.iso" fetch boot/amd64/x86.microroot microroot
	cmp microroot "$T/sol/boot/amd64/x86.microroot"
}

@test "Rock Ridge: long names, deep paths, case, links" {
	local long
	long=$(printf 'n%.0s' $(seq 1 200)).txt
	"$MG" "$T/linux.iso" cat "names/$long" | cmp - "$T/linux/names/$long"
	"$MG" "$T/linux.iso" cat names/a/b/c/d/e/f/g/h/i/j/k/l/deep |
	    cmp - "$T/linux/names/a/b/c/d/e/f/g/h/i/j/k/l/deep"
	exists_is "$T/linux.iso" yes names/MixedCase.Name
	exists_is "$T/linux.iso" no names/mixedcase.name
	# symbolic links, relative and absolute, and a hard link
	for p in pxe/vmlinuz abs-link hard-link; do
		"$MG" "$T/linux.iso" cat "$p" |
		    cmp - "$T/linux/images/pxeboot/vmlinuz"
	done
	"$MG" "$T/linux.iso" cat images/up-link | cmp - "$T/linux/.treeinfo"
	exists_is "$T/linux.iso" yes pxe pxe/initrd.img
	mg "$T/linux.iso" exists loop
	[ "$status" -eq 1 ]
	one_line
	[ "$err" = "mediaget: 'loop' in ISO image '$T/linux.iso': too many levels of symbolic links"$'\n' ]
}

@test "Joliet only: long and mixed-case names, deep paths, UTF-8 in any locale" {
	local name64
	name64=$(printf 'J%.0s' $(seq 1 60)).txt
	rnd "joliet/$name64" 3000
	rnd joliet/MixedCase.Name 10
	rnd "joliet/Café" 20
	rnd joliet/a/b/c/d/e/f/g/h/i/j/k/deep 4000
	mkiso joliet joliet.iso --norock -J -V JOLIET
	"$MG" joliet.iso cat "$name64" | cmp - "joliet/$name64"
	"$MG" joliet.iso cat a/b/c/d/e/f/g/h/i/j/k/deep |
	    cmp - joliet/a/b/c/d/e/f/g/h/i/j/k/deep
	exists_is joliet.iso yes MixedCase.Name a/b/c
	exists_is joliet.iso no mixedcase.name
	LC_ALL=C "$MG" joliet.iso cat "Café" | cmp - "joliet/Café"
	LC_ALL=C.UTF-8 "$MG" joliet.iso cat "Café" | cmp - "joliet/Café"
}

@test "plain ISO 9660 names are found without regard to case" {
	rnd plain/images/pxeboot/vmlinuz 5000
	mkiso plain plain.iso --norock -V PLAIN
	exists_is plain.iso yes images/pxeboot/vmlinuz IMAGES/PXEBOOT/VMLINUZ
	"$MG" plain.iso cat images/pxeboot/vmlinuz |
	    cmp - plain/images/pxeboot/vmlinuz
}

@test "zisofs: compressed files come out as they went in" {
	rnd z/random 100000
	# zisofs stores blocks of zeros as nothing: libarchive's data of
	# this one ends after its first block
	head -c 300000 /dev/zero > z/zeros
	{ head -c 70000 /dev/urandom; head -c 100000 /dev/zero; } > z/tail
	xorriso -outdev z.iso -map z / -set_filter_r --zisofs / -- \
	    -commit 2>/dev/null
	"$MG" z.iso cat zeros | cmp - z/zeros
	"$MG" z.iso cat tail | cmp - z/tail
	"$MG" z.iso fetch tail tail
	cmp tail z/tail
	"$MG" z.iso fetch random random
	cmp random z/random
}

@test "a path with .. is refused" {
	for p in ../etc/passwd images/../../x /images/pxeboot/../vmlinuz; do
		mg "$T/linux.iso" exists "$p"
		[ "$status" -eq 1 ]
		one_line
		[ "$err" = "mediaget: '$p' is outside the install tree"$'\n' ]
		mg "$T/linux.iso" cat "$p"
		[ "$status" -eq 1 ]
	done
}

@test "a missing file: exit 3, naming the image and the path" {
	mg "$T/linux.iso" cat images/pxeboot/nothing
	[ "$status" -eq 3 ] && [ -z "$out" ]
	[ "$err" = "mediaget: 'images/pxeboot/nothing' is not in ISO image '$T/linux.iso'"$'\n' ]
	mg "$T/linux.iso" fetch nothing dest
	[ "$status" -eq 3 ] && [ ! -e dest ]
	[ -z "$(ls)" ]
	mg "$T/linux.iso" cat images
	[ "$status" -eq 1 ]
	[ "$err" = "mediaget: 'images' in ISO image '$T/linux.iso' is a directory"$'\n' ]
}

@test "a truncated image: one clear line, exit 1, at any length" {
	local n size
	size=$(stat -c %s "$T/linux.iso")
	# the primary volume descriptor's start, not its size
	head -c 32800 "$T/linux.iso" > cut.iso
	mg cut.iso kind
	[ "$status" -eq 1 ]
	one_line
	[[ "$err" == "mediaget: 'cut.iso' is not a readable ISO 9660 image: "* ]]
	for n in 33000 36000 40000 65536 200000 $((size / 2)) $((size - 2048)) \
	    $((size - 1)); do
		head -c "$n" "$T/linux.iso" > cut.iso
		mg cut.iso cat images/pxeboot/initrd.img
		[ "$status" -eq 1 ] || { echo "$n: $status $err" >&2; false; }
		one_line
		[[ "$err" == "mediaget: ISO image 'cut.iso' is truncated: $n of its $size bytes are there"$'\n' ]]
		[ -z "$out" ]
	done
}

@test "garbage with a CD001 signature: one clear line, exit 1" {
	head -c 32768 /dev/urandom > garbage.iso
	printf '\001CD001\001' >> garbage.iso
	head -c 100000 /dev/urandom >> garbage.iso
	mg garbage.iso kind
	[ "$status" -eq 1 ]
	one_line
	[ "$err" = "mediaget: 'garbage.iso' is not a readable ISO 9660 image: Unrecognized archive format"$'\n' ]
	# a real image whose directories are overwritten: an error, or
	# nothing worse than missing files, never a crash
	cp "$T/linux.iso" smashed.iso
	head -c $((20 * 2048)) /dev/zero | tr '\0' '\377' |
	    dd of=smashed.iso bs=2048 seek=19 conv=notrunc status=none
	mg smashed.iso cat images/pxeboot/vmlinuz
	[ "$status" -eq 1 ] || [ "$status" -eq 3 ]
	one_line
	[[ "$err" == *"'smashed.iso'"* ]]
}

@test "a directory tree that loops: one clear line, exit 1, soon" {
	# found by fuzz_iso: libarchive 3.6.2 reads it without end, its
	# memory growing; the fuzz seeds lack the 32 KiB system area
	{
		head -c 32768 /dev/zero
		cat "$XVM_TOP/tests/fuzz/corpus/iso/loop-dir"
	} > loop.iso
	run_split timeout 20 "$MG" loop.iso exists BOOT
	[ "$status" -eq 1 ]
	[ "$err" = "mediaget: 'loop.iso' is not a readable ISO 9660 image: its directory tree loops"$'\n' ]
}

@test "a UDF-only image is refused: libarchive reads no UDF" {
	head -c $((40 * 2048)) /dev/zero > udf.iso
	for s in 16:BEA01 17:NSR02 18:TEA01; do
		printf '\000%s\001' "${s#*:}" |
		    dd of=udf.iso bs=2048 seek="${s%%:*}" conv=notrunc status=none
	done
	mg udf.iso kind
	[ "$status" -eq 1 ]
	[ "$err" = "mediaget: 'udf.iso' is a UDF image without an ISO 9660 directory: UDF cannot be read (libarchive reads ISO 9660 only)"$'\n' ]
}

@test "a file that is no ISO is refused by the core" {
	head -c 100000 /dev/urandom > notes.txt
	mg notes.txt kind
	[ "$status" -eq 1 ]
	[ "$err" = "mediaget: install location 'notes.txt' is neither a directory nor an ISO image"$'\n' ]
}

@test "--progress: 0 first, the size last, never backwards" {
	mg --progress "$T/linux.iso" fetch images/pxeboot/initrd.img initrd
	[ "$status" -eq 0 ]
	cmp initrd "$T/linux/images/pxeboot/initrd.img"
	# the core's first report comes before the size is known
	[[ "$(printf '%s' "$err" | head -n 1)" =~ ^"progress initrd.img 0 "(0|2097152)$ ]]
	[ "$(printf '%s' "$err" | tail -n 1)" = "progress initrd.img 2097152 2097152" ]
	[ "$(printf '%s' "$err" | wc -l)" -ge 4 ]
	printf '%s' "$err" | awk '$1 != "progress" || $3 < last { exit 1 }
	    { last = $3 }'
	mg --progress "$T/linux.iso" cat empty
	[ "$status" -eq 0 ]
	[ "$err" = $'progress empty 0 0\nprogress empty 0 0\n' ]
}

@test "valgrind: a fetch from an image, clean" {
	command -v valgrind >/dev/null || skip "no valgrind"
	run valgrind -q --error-exitcode=99 --leak-check=full \
	    --errors-for-leak-kinds=definite,indirect "$MG" "$T/linux.iso" \
	    fetch images/pxeboot/vmlinuz vmlinuz
	[ "$status" -eq 0 ] || { echo "$output" >&2; false; }
	[ -z "$output" ]
	cmp vmlinuz "$T/linux/images/pxeboot/vmlinuz"
}

#!/bin/sh
# run.sh - the real-Xen test bed: Debian 12's Xen 4.17 hypervisor and its
# Linux 6.1 as a PV dom0, booted under QEMU (software emulation), with our
# freshly built xm, virsh and virt-install dropped into dom0 beside Xen's
# own xl, and tests/xen/dom0-test.sh run there to compare the two on the
# same hypervisor.  See shared/docs/xen-testbed.md for the facts this
# relies on.
#
#   tests/xen/run.sh [TEST_SCRIPT]     (default tests/xen/dom0-test.sh)
#
# Needs qemu-system-x86_64 (Debian: qemu-system-x86, scripts/deps.sh) and,
# the first time and whenever a package changes, apt-get download: the
# packages are unpacked with dpkg -x, never installed.  Built first:
# build/bin/{xm,virsh,virt-install} and build/tests/xvm-test-guest
# (make check-xen does that).
#
# Cached under build/xen/:
#   debs/                 the downloaded .deb files
#   root-KEY/             the packages unpacked (KEY: the .deb file names)
#   img-KEY/              xen.elf, vmlinux.gz, dom0.cpio, domu.cpio
#                         (KEY: the packages and the files that build them)
# Per run:
#   run/                  payload.cpio, initrd.cpio, results.img
#   results/              what dom0 wrote (tap.txt, one file per step),
#                         serial.log (the whole console), status
#
# Prints the TAP lines of the in-dom0 script, then "N passed, N failed".
# Exit status: the in-dom0 script's; 1 when the bed itself fails (no
# packages, dom0 did not come back with results); 77 when QEMU is missing.
# XEN_TIMEOUT (seconds, default 900) bounds QEMU.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
here=$top/tests/xen
script=${1:-$here/dom0-test.sh}
X=$top/build/xen
BIN=$top/build/bin
GUEST=$top/build/tests/xvm-test-guest
TIMEOUT=${XEN_TIMEOUT:-900}
export LC_ALL=C

say() { echo "xen-testbed: $*" >&2; }
die() { say "$*"; exit 1; }
now() { date +%s.%N | cut -c1-14; }
t0=$(now)
since() { echo "$(now) $t0" | awk '{ printf "%.1f", $1 - $2 }'; }

command -v qemu-system-x86_64 >/dev/null 2>&1 || {
	say "qemu-system-x86_64 is not installed (scripts/deps.sh install)"
	exit 77
}
for f in "$BIN/xm" "$BIN/virsh" "$BIN/virt-install" "$GUEST" "$script"; do
	[ -r "$f" ] || die "missing $f (run make check-xen, or make -j2 first)"
done
mkdir -p "$X/debs" || exit 1

# --- 1. the packages ----------------------------------------------------
# The kernel is the one linux-image-amd64 depends on, so a kernel update
# in the archive gives a new key and a rebuild.
kpkg=$(apt-cache depends linux-image-amd64 2>/dev/null |
    sed -n 's/^ *Depends: \(linux-image-6\.1\.[^ ]*-amd64\)$/\1/p' | head -n 1)
[ -n "$kpkg" ] || die "apt-cache knows no linux-image-amd64 (apt-get update?)"
PKGS="xen-hypervisor-4.17-amd64 xen-utils-4.17 xen-utils-common
    xenstore-utils libxenmisc4.17 libxenstore4 libxencall1
    libxenforeignmemory1 libxengnttab1 libxenevtchn1 libxenhypfs1
    libxentoollog1 libxentoolcore1 libxendevicemodel1 libyajl2
    busybox-static $kpkg"
# apt-get download --print-uris names the files without fetching them
# shellcheck disable=SC2086
debs=$(apt-get download --print-uris $PKGS 2>"$X/apt.err" |
    awk '{ print $2 }' | sort) || die "apt-get: $(cat "$X/apt.err")"
[ "$(echo "$debs" | wc -l)" -eq "$(echo "$PKGS" | wc -w)" ] ||
    die "apt-get download --print-uris did not name every package: $(cat "$X/apt.err")"
missing=
for d in $debs; do
	[ -s "$X/debs/$d" ] || missing="$missing $d"
done
if [ -n "$missing" ]; then
	say "downloading $(echo "$missing" | wc -w) packages"
	# shellcheck disable=SC2086
	(cd "$X/debs" && apt-get download -qq $PKGS >/dev/null 2>"$X/apt.err") ||
	    die "apt-get download failed: $(cat "$X/apt.err")"
	for d in $debs; do
		[ -s "$X/debs/$d" ] || die "apt-get download left no $d"
	done
	# older versions of the same packages are no use any more
	for f in "$X"/debs/*.deb; do
		echo "$debs" | grep -qxF "$(basename "$f")" || rm -f "$f"
	done
fi
key() { sha256sum | cut -c1-12; }
pkey=$(echo "$debs" | key)
root=$X/root-$pkey
if [ ! -e "$root/.done" ]; then
	say "unpacking packages into ${root#"$top"/}"
	rm -rf "$X"/root-* || exit 1
	mkdir -p "$root" || exit 1
	for d in $debs; do
		dpkg -x "$X/debs/$d" "$root" || die "dpkg -x $d failed"
	done
	touch "$root/.done"
fi
BB=$root/bin/busybox
kver=$(cd "$root/lib/modules" && echo *)
{ [ -x "$BB" ] && [ -d "$root/lib/modules/$kver" ]; } || die "no busybox or no kernel modules in $root"
xenlib=$root/usr/lib/x86_64-linux-gnu

# --- 2. the images ------------------------------------------------------
ikey=$( (echo "$pkey"; cat "$here/run.sh" "$here/dom0-init.sh" \
    "$here/domu-init.sh"; sha256sum /bin/bash /usr/bin/flock) | key)
img=$X/img-$ikey

# copy_libs DESTROOT ELF...: the shared libraries the ELFs need (Xen's from
# the unpacked packages, the rest from this host's Debian 12) into
# DESTROOT/lib/x86_64-linux-gnu, each once
copy_libs() {
	dst=$1/lib/x86_64-linux-gnu
	shift
	mkdir -p "$dst" || return 1
	for elf in "$@"; do
		LD_LIBRARY_PATH=$xenlib ldd "$elf" 2>/dev/null
	done | awk '$2 == "=>" && $3 ~ /^\// { print $3 }' | sort -u |
	while read -r lib; do
		n=$(basename "$lib")
		[ -e "$dst/$n" ] || cp -L "$lib" "$dst/$n" || return 1
	done
}

# busybox_links DIR: DIR/busybox and a link per applet
busybox_links() {
	mkdir -p "$1" && cp "$BB" "$1/busybox" || return 1
	for a in $("$BB" --list); do
		[ "$a" = busybox ] || ln -sf busybox "$1/$a"
	done
}

mkcpio() { (cd "$1" && find . | sort | "$BB" cpio -o -H newc 2>/dev/null); }

build_images() {
	tmp=$img.tmp
	rm -rf "$X"/img-* || return 1
	mkdir -p "$tmp" || return 1

	# the hypervisor: a 32-bit multiboot ELF that QEMU's -kernel loads
	gunzip -c "$root/boot/xen-4.17-amd64.gz" >"$tmp/xen.elf" || return 1

	# Debian's bzImage holds an xz'ed vmlinux; Xen (dom0) and xl (domU)
	# get it gzip'ed, which is much cheaper to unpack under emulation
	bz=$root/boot/vmlinuz-$kver
	off=$(grep -obUaP '\xfd7zXZ\x00' "$bz" | head -n 1 | cut -d: -f1)
	[ -n "$off" ] || { say "no xz stream in $bz"; return 1; }
	tail -c +$((off + 1)) "$bz" | xz -dc --single-stream 2>/dev/null |
	    gzip -6 >"$tmp/vmlinux.gz"
	gzip -dc "$tmp/vmlinux.gz" | head -c 4 | grep -q 'ELF' ||
	    { say "the kernel in $bz did not unpack to an ELF"; return 1; }

	# the domU: busybox, an /init that prints a marker and stays up, and
	# /sbin/poweroff and /sbin/reboot for the kernel's orderly poweroff
	# (xl/xm shutdown and reboot through control/shutdown); the kernel
	# runs them with no stdout, so the marker goes to /dev/console
	u=$tmp/domu
	mkdir -p "$u/proc" "$u/sys" "$u/dev" "$u/sbin" "$u/tmp" &&
	    busybox_links "$u/bin" &&
	    cp "$here/domu-init.sh" "$u/init" && chmod 755 "$u/init" || return 1
	for c in poweroff reboot; do
		printf '#!/bin/sh\necho DOMU-GOT-%s >/dev/console\nexec /bin/busybox %s -f\n' \
		    "$(echo $c | tr '[:lower:]' '[:upper:]')" $c >"$u/sbin/$c"
		chmod 755 "$u/sbin/$c"
	done
	# the block and net front ends (modules in Debian's kernel), which
	# /init loads: the vbd and vif a domU is given connect through them
	m=$root/lib/modules/$kver
	[ -s "$m/modules.dep" ] || "$BB" depmod -b "$root" "$kver" || return 1
	mkdir -p "$u/lib/modules" || return 1
	for want in xen-blkfront xen-netfront; do
		mod=$(grep -oE "^[^:]*/$want\.ko" "$m/modules.dep") ||
		    { say "no module $want"; return 1; }
		cp "$m/$mod" "$u/lib/modules/" || return 1
	done
	mkcpio "$u" >"$tmp/domu.cpio" || return 1

	# the dom0: busybox, the modules, Xen's tools and daemons with their
	# libraries, the domU's kernel and initramfs, and /init
	d=$tmp/dom0
	mkdir -p "$d/proc" "$d/sys" "$d/dev" "$d/run" "$d/tmp" "$d/root" \
	    "$d/var/lib/xen" "$d/var/lib/xenstored" "$d/var/log/xen/console" \
	    "$d/usr/lib" "$d/usr/bin" "$d/etc" "$d/lib64" "$d/guest" \
	    "$d/results" && ln -s ../run "$d/var/run" && ln -s bin "$d/sbin" &&
	    busybox_links "$d/bin" || return 1
	cp -a "$root/usr/lib/xen-4.17" "$d/usr/lib/" &&
	    rm -rf "$d/usr/lib/xen-4.17/boot" "$d/usr/lib/xen-4.17/lib/python" &&
	    cp -a "$root/etc/xen" "$d/etc/" &&
	    cp -a "$root"/usr/bin/xenstore* "$d/usr/bin/" &&
	    mkdir -p "$d/lib/x86_64-linux-gnu" &&
	    cp -a "$xenlib"/lib*.so* "$d/lib/x86_64-linux-gnu/" || return 1
	# the ELFs whose libraries must be there
	elfs=
	for f in "$d"/usr/lib/xen-4.17/bin/* "$d"/usr/bin/xenstore*; do
		[ -L "$f" ] && continue
		head -c 4 "$f" | grep -q ELF && elfs="$elfs $f"
	done
	# Xen's hotplug scripts (/etc/xen/scripts: block, vif-bridge, which
	# xl runs) are bash and take locks with flock(1): this host's two
	cp /bin/bash /usr/bin/flock "$d/usr/bin/" &&
	    ln -sf ../usr/bin/bash "$d/bin/bash" || return 1
	elfs="$elfs $d/usr/bin/bash $d/usr/bin/flock"
	# shellcheck disable=SC2086
	copy_libs "$d" $elfs || return 1
	cp -L /lib64/ld-linux-x86-64.so.2 "$d/lib/x86_64-linux-gnu/" &&
	    ln -sf ../lib/x86_64-linux-gnu/ld-linux-x86-64.so.2 \
	    "$d/lib64/ld-linux-x86-64.so.2" || return 1
	echo 'root:x:0:0:root:/root:/bin/sh' >"$d/etc/passwd"
	echo 'root:x:0:' >"$d/etc/group"
	# a cache for ld.so if ldconfig may chroot (root); without it ld.so
	# still looks in /lib/x86_64-linux-gnu, its own default
	ldconfig -r "$d" 2>/dev/null
	# the libraries dom0 has, for run.sh to add only what the payload lacks
	ls "$d/lib/x86_64-linux-gnu" >"$tmp/dom0-libs.txt"

	# modules with their dependencies first (busybox depmod: no kmod here)
	m=$root/lib/modules/$kver
	[ -s "$m/modules.dep" ] || "$BB" depmod -b "$root" "$kver" || return 1
	: >"$d/etc/xen-modules"
	for want in xen-evtchn xen-privcmd xenfs xen-gntdev xen-gntalloc \
	    xen-blkback xen-netback loop bridge virtio_ring virtio \
	    virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci virtio_blk; do
		line=$(grep -E "/$want\.ko:" "$m/modules.dep") ||
		    { say "no module $want"; return 1; }
		for mod in $(echo "${line#*:}" | tr ' ' '\n' | tac) "${line%%:*}"; do
			grep -qxF "$mod" "$d/etc/xen-modules" && continue
			mkdir -p "$d/lib/modules/$kver/$(dirname "$mod")" &&
			    cp "$m/$mod" "$d/lib/modules/$kver/$mod" || return 1
			echo "$mod" >>"$d/etc/xen-modules"
		done
	done
	echo "$kver" >"$d/etc/kernel-release"
	cp "$here/dom0-init.sh" "$d/init" && chmod 755 "$d/init" &&
	    cp "$tmp/vmlinux.gz" "$tmp/domu.cpio" "$d/guest/" || return 1
	mkcpio "$d" >"$tmp/dom0.cpio" || return 1
	rm -rf "$u" "$d"
	mv "$tmp" "$img"
}
if [ ! -s "$img/dom0.cpio" ]; then
	say "building the images into ${img#"$top"/}"
	build_images || { rm -rf "$img.tmp"; die "building the images failed"; }
fi
t_img=$(since)

# --- 3. the payload: our binaries, what they need, the test script -------
R=$X/run
rm -rf "$R" && mkdir -p "$R/payload/xvm/bin" "$R/payload/xvm/lib" || exit 1
p=$R/payload/xvm
cp "$BIN/xm" "$BIN/virsh" "$BIN/virt-install" "$p/bin/" &&
    cp "$GUEST" "$p/xvm-test-guest" &&
    cp "$script" "$p/dom0-test.sh" && chmod 755 "$p/dom0-test.sh" &&
    cp "$here"/lib.sh "$here"/t-*.sh "$p/" || exit 1
# and those they open with dlopen when needed (libxml2 for any XML, the
# configs xvm keeps among them; libarchive for images), with theirs
dl=
for n in libxml2.so.2 libarchive.so.13; do
	f=$(/sbin/ldconfig -p | awk -v n="$n" '$1 == n && /x86-64/ { print $NF; exit }')
	[ -n "$f" ] && dl="$dl $f"
done
for elf in "$BIN/xm" "$BIN/virsh" "$BIN/virt-install" $dl; do
	ldd "$elf"
	case $elf in *.so.*) echo "x => $elf (0)" ;; esac
done | awk '$2 == "=>" && $3 ~ /^\// { print $3 }' | sort -u |
while read -r lib; do
	n=$(basename "$lib")
	grep -qxF "$n" "$img/dom0-libs.txt" || cp -L "$lib" "$p/lib/$n"
done
mkcpio "$R/payload" >"$R/payload.cpio" || exit 1
cat "$img/dom0.cpio" "$R/payload.cpio" >"$R/initrd.cpio" || exit 1
# the results disk: dom0 writes a tar onto it, raw
truncate -s 64M "$R/results.img" || exit 1

# --- 4. boot -------------------------------------------------------------
res=$X/results
rm -rf "$res" && mkdir -p "$res" || exit 1
say "booting Xen (images $(since) s after start; QEMU bounded by ${TIMEOUT} s)"
t_boot=$(now)
timeout -k 5 "$TIMEOUT" qemu-system-x86_64 -machine q35 \
    -accel tcg,thread=multi -cpu qemu64,+svm,+rdrand -m 3072 -smp 2 \
    -nographic -no-reboot -nic none \
    -kernel "$img/xen.elf" \
    -append "console=com1 com1=115200,8n1 dom0_mem=1024M,max:1024M loglvl=all guest_loglvl=all sched=credit bootscrub=0" \
    -initrd "$img/vmlinux.gz console=hvc0 earlyprintk=xen rdinit=/init,$R/initrd.cpio" \
    -drive "file=$R/results.img,if=virtio,format=raw" \
    >"$res/serial.log" 2>&1 </dev/null
qrc=$?
t_qemu=$(echo "$(now) $t_boot" | awk '{ printf "%.1f", $1 - $2 }')
[ $qrc -eq 124 ] && say "QEMU did not finish within ${TIMEOUT} s"

# --- 5. results ----------------------------------------------------------
# (an untouched disk is all zeros, which tar reads as an empty archive)
tar -xf "$R/results.img" -C "$res" 2>"$res/untar.err"
if [ ! -f "$res/tap.txt" ]; then
	say "dom0 wrote no results (QEMU exit $qrc); the end of the console:"
	tail -n 30 "$res/serial.log" | tr -d '\r' >&2
	# the TAP lines also went to the console
	tr -d '\r' <"$res/serial.log" | grep -E '^(not )?ok [0-9]+ ' >"$res/tap.txt"
fi
[ -f "$res/tap.txt" ] || : >"$res/tap.txt"
grep -E '^(not )?ok [0-9]+ |^#' "$res/tap.txt"
passed=$(grep -c '^ok ' "$res/tap.txt")
# "not ok ... # TODO": a known gap, not a failure (TAP's rule)
failed=$(grep '^not ok ' "$res/tap.txt" | grep -cv ' # TODO ')
todo=$(grep -c '^not ok .* # TODO ' "$res/tap.txt")
status=$(cat "$res/status" 2>/dev/null)
case $status in
'' | *[!0-9]*) status=1; failed=$((failed + 1))
	echo "not ok - the test script did not finish (see build/xen/results/serial.log)" ;;
esac
[ "$todo" -eq 0 ] || echo "# $todo known gaps (TODO), not counted"
echo "$passed passed, $failed failed"
say "images ${t_img} s, QEMU ${t_qemu} s, total $(since) s; results in ${res#"$top"/}"
exit "$status"

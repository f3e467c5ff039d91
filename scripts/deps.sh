#!/bin/sh
# deps.sh - the Debian packages xvm needs, checked and installed.
#
#   scripts/deps.sh check build|test|xen   exit 0 when everything is present
#   scripts/deps.sh ensure build|test|xen  install what is missing (xen: only
#                                      XEN_PKGS; the others via make deps)
#   scripts/deps.sh install            install every package (as root or via sudo)
#   scripts/deps.sh list               print the package list
#
# Checks look at what is really there (pkg-config, command -v, files), never
# at a stamp file, so a half-installed machine is noticed.
set -u

BUILD_PKGS="gcc make pkg-config libc6-dev libreadline-dev libxml2-dev uuid-dev
    libxen-dev zlib1g-dev liblzma-dev libbz2-dev liblz4-dev systemtap-sdt-dev
    libncurses-dev libcurl4-openssl-dev libnfs-dev libarchive-dev
    libosinfo-1.0-dev osinfo-db libext2fs-dev libjansson-dev
    libdeflate-dev"
# qemu-system-x86: tests/guest/boot-on-xen.sh and tests/xen/run.sh (make
# check-xen) boot a real Xen (Debian's hypervisor, dom0 kernel and tools
# are fetched with apt-get download and unpacked, never installed);
# systemd: systemd-analyze verify checks the xvm-domains unit;
# libvirt-clients: the real virsh 9.0, which tests/virsh-compat runs beside
# ours on libvirt's test driver
# lighttpd, python3-pyftpdlib, nfs-ganesha(-vfs): the HTTP, FTP and NFS
# servers the media tests start on loopback; xorriso builds their ISOs;
# libnfs-utils and curl: what the media benchmarks compare with
# e2fsprogs: the bootloader tests make guest disks with mke2fs;
# virtinst: Debian's virt-install, which bench/media.sh races
TEST_PKGS="bats bats-assert bats-support mandoc tmux jq libxml2-utils
    qemu-system-x86 systemd libvirt-clients lighttpd python3-pyftpdlib
    nfs-ganesha nfs-ganesha-vfs xorriso libnfs-utils curl e2fsprogs
    virtinst"

# make check-xen needs only QEMU installed
XEN_PKGS="qemu-system-x86"

missing_xen() {
	command -v qemu-system-x86_64 >/dev/null 2>&1 || echo qemu-system-x86_64
}

missing_build() {
	command -v cc >/dev/null 2>&1 || echo "cc (gcc)"
	command -v pkg-config >/dev/null 2>&1 || { echo pkg-config; return; }
	pkg-config --exists readline || echo "readline (libreadline-dev)"
	pkg-config --exists libxml-2.0 || echo "libxml-2.0 (libxml2-dev)"
	pkg-config --exists uuid || echo "uuid (uuid-dev)"
	pkg-config --exists zlib || echo "zlib (zlib1g-dev)"
	pkg-config --exists liblzma || echo "liblzma (liblzma-dev)"
	pkg-config --exists liblz4 || echo "liblz4 (liblz4-dev)"
	pkg-config --exists ncursesw || echo "ncursesw (libncurses-dev)"
	pkg-config --exists libcurl || echo "libcurl (libcurl4-openssl-dev)"
	pkg-config --exists libnfs || echo "libnfs (libnfs-dev)"
	pkg-config --exists libarchive || echo "libarchive (libarchive-dev)"
	pkg-config --exists libosinfo-1.0 || echo "libosinfo-1.0 (libosinfo-1.0-dev)"
	[ -d /usr/share/osinfo/os ] || echo "osinfo-db"
	pkg-config --exists ext2fs || echo "ext2fs (libext2fs-dev)"
	pkg-config --exists jansson || echo "jansson (libjansson-dev)"
	pkg-config --exists libdeflate || echo "libdeflate (libdeflate-dev)"
	[ -f /usr/include/bzlib.h ] || echo "bzlib.h (libbz2-dev)"
	# Xen's public headers only (domctl.h, xs_wire.h, elfnote.h ...)
	[ -f /usr/include/xen/io/xs_wire.h ] || echo "xen/io/xs_wire.h (libxen-dev)"
	echo '#include <sys/sdt.h>' | cc -E - >/dev/null 2>&1 ||
	    echo "sys/sdt.h (systemtap-sdt-dev)"
}

missing_test() {
	for c in bats mandoc tmux jq xmllint qemu-system-x86_64 \
	    systemd-analyze lighttpd ganesha.nfsd xorriso nfs-cp curl mke2fs \
	    virt-install; do
		command -v "$c" >/dev/null 2>&1 || echo "$c"
	done
	/usr/bin/python3 -c 'import pyftpdlib' 2>/dev/null || echo python3-pyftpdlib
	[ -f /usr/lib/x86_64-linux-gnu/ganesha/libfsalvfs.so ] ||
	    echo nfs-ganesha-vfs
	for f in /usr/lib/bats/bats-assert/load.bash \
	    /usr/lib/bats/bats-support/load.bash /usr/bin/virsh; do
		[ -f "$f" ] || echo "$f"
	done
}

# install_all [PACKAGE...]: the packages named, or every package
install_all() {
	pkgs=${*:-$BUILD_PKGS $TEST_PKGS}
	if [ "$(id -u)" -eq 0 ]; then
		SUDO=
	elif command -v sudo >/dev/null 2>&1; then
		SUDO=sudo
	else
		echo "deps.sh: need root or sudo to install: $pkgs" >&2
		exit 1
	fi
	export DEBIAN_FRONTEND=noninteractive
	$SUDO apt-get update -qq || exit 1
	# shellcheck disable=SC2086
	$SUDO apt-get install -y -qq --no-install-recommends $pkgs \
	    >/dev/null || exit 1
}

case "${1:-}" in
check)
	m=$(missing_"${2:-build}")
	[ -z "$m" ] && exit 0
	echo "missing: $(echo $m | tr '\n' ' ')" >&2
	exit 1
	;;
ensure)
	m=$(missing_"${2:-build}")
	[ -z "$m" ] && exit 0
	echo "deps.sh: missing $(echo $m | tr '\n' ' '); installing packages" >&2
	if [ "${2:-build}" = xen ]; then
		install_all $XEN_PKGS
	else
		install_all
	fi
	m=$(missing_"${2:-build}")
	[ -z "$m" ] || { echo "deps.sh: still missing: $m" >&2; exit 1; }
	;;
install)
	install_all
	;;
list)
	echo $BUILD_PKGS $TEST_PKGS
	;;
*)
	echo "usage: $0 check|ensure build|test | install | list" >&2
	exit 2
	;;
esac

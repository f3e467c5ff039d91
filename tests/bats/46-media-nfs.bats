#!/usr/bin/env bats
# lib/media over NFS (libnfs), through the mediaget fixture, against a real
# NFS server: nfs-ganesha in user space (tests/tools/nfs-server.sh), started
# once for this file.  Where this machine can make a network namespace the
# server has one of its own, with rpcbind, on the standard ports, serving
# NFSv3 and NFSv4, and the clients run in it; elsewhere it serves NFSv4 on
# a free port of 127.0.0.1, and the tests of NFSv3 and of the standard
# port are skipped.

load helper
load install-media

MEDIAGET=$XVM_TOP/build/tests/mediaget
TOOLS=$XVM_TOP/tests/tools

setup_file() {
	# (bats 1.8 cannot skip in setup_file: setup skips each test)
	if [ "$(id -u)" -ne 0 ]; then
		echo 'NFS_SKIP="the VFS back end of ganesha needs root"' \
		    > "$BATS_FILE_TMPDIR/nfs.env"
		return 0
	fi
	local t=$BATS_FILE_TMPDIR/export/tree
	mkdir -p "$t/images/pxeboot"
	printf '[general]\nname = Test\nversion = 1\n' > "$t/.treeinfo"
	printf 'a kernel\n' > "$t/images/pxeboot/vmlinuz"
	head -c 1048576 /dev/urandom > "$t/images/pxeboot/initrd.img"
	: > "$t/empty"
	# ganesha will not mount a path through a symbolic link over NFSv3
	ln -s images "$t/link"
	"$TOOLS/nfs-server.sh" start "$BATS_FILE_TMPDIR/nfs" \
	    "$BATS_FILE_TMPDIR/export" > "$BATS_FILE_TMPDIR/nfs.env"
	sed 's/^/# /' "$BATS_FILE_TMPDIR/nfs.env" >&3
}

teardown_file() {
	"$TOOLS/nfs-server.sh" stop "$BATS_FILE_TMPDIR/nfs"
}

setup() {
	common_setup
	# shellcheck disable=SC1091
	. "$BATS_FILE_TMPDIR/nfs.env"
	[ -z "${NFS_SKIP:-}" ] || skip "$NFS_SKIP"
	TREE=$BATS_FILE_TMPDIR/export/tree
	URL=$NFS_BASE/tree$NFS_ARGS
	BG=()
	mkdir "$BATS_TEST_TMPDIR/work"
	cd "$BATS_TEST_TMPDIR/work"
}

teardown() {
	local p
	for p in "${BG[@]}"; do
		kill "$p" 2>/dev/null || true
		wait "$p" 2>/dev/null || true
	done
}

# in_net CMD...: CMD on the server's network
in_net() {
	if [ -n "$NFS_NETNS" ]; then
		nsenter --net="$NFS_NETNS" "$@"
	else
		"$@"
	fi
}

mg() {
	in_net "$MEDIAGET" "$@"
}

netns_only() {
	[ "$NFS_MODE" = netns ] || skip "needs the server in its own network namespace (NFSv3, port 2049)"
}

# nfs_port: the server's NFS port
nfs_port() {
	case $NFS_ARGS in
	*nfsport=*) echo "${NFS_ARGS##*nfsport=}" ;;
	*) echo 2049 ;;
	esac
}

# bg_py OUT SCRIPT ARGS...: a /usr/bin/python3 script in the background on
# the server's network, stdout to OUT; returns once it has printed its port
bg_py() {
	local out=$1 i cmd
	shift
	# a simple command, so that $! is python itself (nsenter execs it)
	cmd=(/usr/bin/python3 "$@")
	[ -z "$NFS_NETNS" ] || cmd=(nsenter --net="$NFS_NETNS" "${cmd[@]}")
	"${cmd[@]}" > "$out" 2>/dev/null 3>&- &
	BG+=($!)
	for i in $(seq 100); do
		[ -s "$out" ] && return 0
		sleep 0.02
	done
	return 1
}

# a port nothing listens on
closed_port() {
	in_net /usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

now() {
	echo "${EPOCHREALTIME/./}"
}

@test "nfs: kind, and exists says yes and no" {
	run mg "$URL" kind
	assert_success
	assert_output nfs
	for f in .treeinfo images/pxeboot/vmlinuz /images/pxeboot/initrd.img \
	    images empty; do
		run mg "$URL" exists "$f"
		assert_success
		assert_output yes
	done
	for f in nope images/nope images/pxeboot/vmlinuz/x; do
		run mg "$URL" exists "$f"
		assert_success
		assert_output no
	done
}

@test "nfs: cat and fetch give the files byte for byte" {
	mg "$URL" cat images/pxeboot/initrd.img > cat.out
	cmp cat.out "$TREE/images/pxeboot/initrd.img"
	mg "$URL" cat .treeinfo > treeinfo
	cmp treeinfo "$TREE/.treeinfo"
	mg "$URL" fetch images/pxeboot/initrd.img initrd.img
	cmp initrd.img "$TREE/images/pxeboot/initrd.img"
	[ "$(stat -c %a initrd.img)" = 644 ]
	mg "$URL" fetch empty empty
	[ -f empty ] && [ ! -s empty ]
	# a fetch replaces what was there
	echo old > vmlinuz
	mg "$URL" fetch images/pxeboot/vmlinuz vmlinuz
	cmp vmlinuz "$TREE/images/pxeboot/vmlinuz"
	[ "$(ls)" = "$(printf 'cat.out\nempty\ninitrd.img\ntreeinfo\nvmlinuz')" ]
}

@test "nfs: NFSv3 and NFSv4 alike, chosen by version= or tried in turn" {
	netns_only
	for v in "?version=3" "?version=4" ""; do
		mg "$NFS_BASE/tree$v" cat images/pxeboot/initrd.img > out
		cmp out "$TREE/images/pxeboot/initrd.img"
	done
	# libnfs's arguments keep working: the ports given, no portmapper
	mg "$NFS_BASE/tree?version=3&nfsport=2049&mountport=20048" \
	    cat .treeinfo > out
	cmp out "$TREE/.treeinfo"
	run mg "$NFS_BASE/tree?version=2" kind
	assert_failure 1
	assert_output "mediaget: NFS location '$NFS_BASE/tree?version=2': version=2 is not 3 or 4"
}

@test "nfs: the guide's nfs:HOST:/PATH form" {
	run mg "nfs:127.0.0.1:/export/tree" kind
	assert_success
	assert_output nfs
	# the standard port: as the guide writes it; else with the port
	if [ "$NFS_MODE" = netns ]; then
		mg "nfs:127.0.0.1:/export/tree" cat images/pxeboot/initrd.img > out
	else
		mg "nfs:127.0.0.1:/export/tree$NFS_ARGS" \
		    cat images/pxeboot/initrd.img > out
	fi
	cmp out "$TREE/images/pxeboot/initrd.img"
	run mg "nfs:127.0.0.1/export/tree" kind
	assert_failure 1
	assert_output --partial "is not nfs:HOST:/PATH or nfs://HOST/PATH"
}

@test "nfs: a missing file exits 3, naming its URL" {
	run_split mg "$URL" cat images/pxeboot/nope
	[ "$status" -eq 3 ]
	[ "$err" = "mediaget: cannot read '$NFS_BASE/tree/images/pxeboot/nope': no such file
" ]
	run_split mg "$URL" fetch nope dest
	[ "$status" -eq 3 ]
	[ "$err" = "mediaget: cannot read '$NFS_BASE/tree/nope': no such file
" ]
	run_split mg "$URL" cat images
	[ "$status" -eq 1 ]
	[ "$err" = "mediaget: '$NFS_BASE/tree/images' is not a file
" ]
	# a tree that is not there
	run_split mg "$NFS_BASE/nope$NFS_ARGS" exists .treeinfo
	[ "$status" -eq 3 ]
	[ "$err" = "mediaget: cannot mount '$NFS_BASE/nope': no such directory on the server
" ]
}

@test "nfs: NFSv3 mounts the export when the path below it is refused" {
	netns_only
	# the server refuses tree/link (a symbolic link): tree is mounted,
	# and link looked up in it
	run nsenter --net="$NFS_NETNS" nfs-ls "$NFS_BASE/tree/link"
	assert_failure
	assert_output --partial MNT3ERR_ACCES
	mg "$NFS_BASE/tree/link?version=3" cat pxeboot/vmlinuz > out
	cmp out "$TREE/images/pxeboot/vmlinuz"
	# and a path that is not there at all
	run_split mg "$NFS_BASE/tree/nope/deeper?version=3" exists x
	[ "$status" -eq 3 ]
	[ "$err" = "mediaget: cannot mount '$NFS_BASE/tree/nope/deeper': no such directory on the server
" ]
}

@test "nfs: a refused port fails at once" {
	local port t0 t1
	port=$(closed_port)
	t0=$(now)
	run_split mg --connect-timeout 2 --stall-timeout 2 \
	    "$NFS_BASE/tree?version=4&nfsport=$port" cat .treeinfo
	t1=$(now)
	[ "$status" -eq 1 ]
	[ "$err" = "mediaget: cannot mount '$NFS_BASE/tree': connection refused
" ]
	[ $((t1 - t0)) -lt 2000000 ]
}

@test "nfs: a server that never answers fails within the timeouts" {
	local port t0 t1
	cat > "$BATS_TEST_TMPDIR/silent.py" <<-'PY'
	import socket, time
	s = socket.socket()
	s.bind(("127.0.0.1", 0))
	s.listen(8)
	print(s.getsockname()[1], flush=True)
	held = []
	end = time.time() + 30
	s.settimeout(0.2)
	while time.time() < end:
	    try:
	        held.append(s.accept()[0])
	    except socket.timeout:
	        pass
	PY
	bg_py ../silent.port "$BATS_TEST_TMPDIR/silent.py"
	port=$(cat ../silent.port)
	t0=$(now)
	run_split mg --connect-timeout 2 --stall-timeout 2 \
	    "$NFS_BASE/tree?nfsport=$port" fetch .treeinfo dest
	t1=$(now)
	[ "$status" -eq 1 ]
	[ "$err" = "mediaget: cannot mount '$NFS_BASE/tree': timed out after 2 s
" ]
	[ $((t1 - t0)) -ge 2000000 ] && [ $((t1 - t0)) -lt 10000000 ]
	# nothing left behind
	[ -z "$(ls)" ] || { ls >&2; false; }
}

@test "nfs: a failed fetch leaves no DEST and no temporary file" {
	run mg "$URL" fetch nope dest
	[ "$status" -eq 3 ]
	run mg "$NFS_BASE/tree?version=4&nfsport=$(closed_port)" \
	    fetch .treeinfo dest
	[ "$status" -eq 1 ]
	[ -z "$(ls)" ]
	# an existing DEST stays as it was
	echo before > dest
	run mg "$URL" fetch nope dest
	[ "$status" -eq 3 ]
	[ "$(cat dest)" = before ] && [ "$(ls)" = dest ]
}

@test "nfs: --progress reports 0 first and the total last" {
	mg --progress "$URL" fetch images/pxeboot/initrd.img initrd.img \
	    2> progress
	cmp initrd.img "$TREE/images/pxeboot/initrd.img"
	[ "$(head -n 1 progress | cut -d' ' -f1-3)" = "progress initrd.img 0" ]
	[ "$(tail -n 1 progress)" = "progress initrd.img 1048576 1048576" ]
	# and it never goes back
	awk '$3 < last { exit 1 } { last = $3 }' progress
}

@test "nfs: a connection cut in the middle of a file is resumed" {
	bg_py ../proxy.out "$TOOLS/cut-proxy.py" "$(nfs_port)" cut 400000 30
	local port
	port=$(head -n 1 ../proxy.out)
	mg --progress --stall-timeout 5 \
	    "$NFS_BASE/tree?version=4&nfsport=$port" \
	    fetch images/pxeboot/initrd.img initrd.img 2> progress
	cmp initrd.img "$TREE/images/pxeboot/initrd.img"
	# the first connection was cut, a second one finished the file
	[ "$(grep -c accepted ../proxy.out)" -eq 2 ]
	[ "$(tail -n 1 progress)" = "progress initrd.img 1048576 1048576" ]
}

@test "nfs: a transfer that stalls is resumed after the stall timeout" {
	bg_py ../proxy.out "$TOOLS/cut-proxy.py" "$(nfs_port)" stall 400000 30
	local port t0 t1
	port=$(head -n 1 ../proxy.out)
	t0=$(now)
	mg --connect-timeout 2 --stall-timeout 2 \
	    "$NFS_BASE/tree?version=4&nfsport=$port" \
	    fetch images/pxeboot/initrd.img initrd.img
	t1=$(now)
	cmp initrd.img "$TREE/images/pxeboot/initrd.img"
	[ "$(grep -c accepted ../proxy.out)" -eq 2 ]
	[ $((t1 - t0)) -ge 2000000 ] && [ $((t1 - t0)) -lt 10000000 ]
}

@test "virt-install: the guide's example 3, a Solaris tree over NFS with a JumpStart profile, to the end" {
	netns_only
	command -v tmux >/dev/null || skip "tmux is not installed"
	T=$BATS_TEST_TMPDIR
	export TMUX_TMPDIR=$T XDG_CACHE_HOME=$T/cache
	SESSION=xvm$$
	solaris_media "$BATS_FILE_TMPDIR/export/solaris/nv75"
	# the zvol of the guide: an existing volume (here a file), used as it is
	truncate -s 64M "$T/solaris1-disk"
	run in_net virt-install --name solaris1 --ram 1024 --nographics \
	    --file "$T/solaris1-disk" --location nfs:127.0.0.1:/export/solaris/nv75 \
	    --autocf nfs:127.0.0.1:/export/jumpstart/solaris1 --print-xml 1
	assert_success
	printf '%s\n' "$output" > install.xml
	# a Solaris installer finds its profile in its boot properties
	[ "$(xmllint --xpath 'string(/domain/os/cmdline)' install.xml)" = \
	    "-B install_config=nfs:127.0.0.1:/export/jumpstart/solaris1" ]
	[ "$(xmllint --xpath 'string(//disk/source/@file)' install.xml)" = "$T/solaris1-disk" ]
	# as typed at a terminal on the install server's network
	in_terminal "virt-install --name solaris1 --ram 1024 --nographics --file $T/solaris1-disk --location nfs:127.0.0.1:/export/solaris/nv75 --autocf nfs:127.0.0.1:/export/jumpstart/solaris1" \
	    nsenter --net="$NFS_NETNS"
	until_shown "command line: -B install_config=nfs:127.0.0.1:/export/jumpstart/solaris1"
	until_shown "command line: /platform/i86xpv/kernel/amd64/unix -B installed-system"
	tmux send-keys -t "$SESSION" C-]
	until_shown "[exited with code 0]"
	tmux kill-server
	[ "$(virsh domstate solaris1)" = running ]
	[ "$(virsh dumpxml --inactive solaris1 | xmllint --xpath 'string(/domain/bootloader)' -)" = pygrub ]
	# the volume kept its size
	[ "$(stat -c %s "$T/solaris1-disk")" -eq $((64 << 20)) ]
}

@test "virt-install: the guide's example 2 with its ISO on the install server's NFS export" {
	netns_only
	T=$BATS_TEST_TMPDIR
	export XDG_CACHE_HOME=$T/cache TMPDIR=$T/tmp
	mkdir -p "$T/tmp" "$BATS_FILE_TMPDIR/export/xVMDomU/x_iso"
	solaris_media "$T/dvd"
	xorriso -as mkisofs -R -J -V SOL_11_X86 \
	    -o "$BATS_FILE_TMPDIR/export/xVMDomU/x_iso/63-0419-nd.iso" "$T/dvd" 2>/dev/null
	run in_net virt-install --nographics -n domu-x16 --paravirt -f "$T/domu-x16.img" \
	    -r 1011 --mac=aa:ff:bb:aa:28:16 -s 18 \
	    -l nfs:127.0.0.1:/export/xVMDomU/x_iso/63-0419-nd.iso --noautoconsole --wait 1
	assert_success
	[ "$(virsh domstate domu-x16)" = running ]
	[ "$(virsh dumpxml --inactive domu-x16 | xmllint --xpath 'string(//mac/@address)' -)" = aa:ff:bb:aa:28:16 ]
	# the image's copy is gone
	[ -z "$(ls "$T/tmp")" ]
}

#!/usr/bin/env bats
# xm create without --dryrun: the PV domain builder boots the project's
# test guest (tests/guest) on a simulated host, with libxl's xenstore
# layout, and refuses bad input before anything exists.

load helper

setup() {
	common_setup
	GUEST=$XVM_TOP/build/tests/xvm-test-guest
	XSLS=$XVM_TOP/build/tests/xsls
	cd "$BATS_TEST_TMPDIR"
	cat > guest.cfg <<-CFG
	name = "guest1"
	kernel = "$GUEST"
	extra = "marker=42"
	memory = 64
	maxmem = 128
	vcpus = 2
	disk = [ 'file:$BATS_TEST_TMPDIR/disk.img,xvda,w' ]
	vif = [ 'mac=00:16:3e:01:02:03,bridge=xenbr0' ]
	CFG
	xm list >/dev/null 2>&1
}

state_of() {
	xm list "$1" | awk 'NR == 2 { print $5 }'
}

@test "xm create starts the test guest: xm list shows it" {
	run_split xm create guest.cfg
	[ "$status" -eq 0 ]
	[ "$out" = 'Using config file "guest.cfg".
Started domain guest1 (id=1)
' ]
	[ "$err" = "" ]
	run_split xm list guest1
	[ "$(echo "$out" | awk 'NR == 2 { print $1, $2, $3, $4, $5 }')" = \
	    "guest1 1 64 2 -b----" ]
	# -p: paused; the config's name overridden on the command line
	xm create -p guest.cfg name=guest2 >/dev/null
	[ "$(state_of guest2)" = --p--- ]
	xm unpause guest2
	[ "$(state_of guest2)" = -b---- ]
}

@test "the xenstore layout is libxl's (as on Xen 4.17)" {
	xm create guest.cfg >/dev/null
	"$XSLS" /local/domain/1 > ls.txt
	# the keys of the reference domain (shared/reference/xl), in order
	want=$(sed -n 's/^\/local\/domain\/1\/\([^ ]*\) = .*/\1/p' \
	    "${XVM_SHARED:-$XVM_TOP/../shared}/reference/xl/xenstore-ls-domu.txt" |
	    grep -v '^device/vbd\|^device/vif')
	got=$(sed -n 's/^\/local\/domain\/1\/\([^ ]*\) = .*/\1/p' ls.txt |
	    grep -v '^device/vbd\|^device/vif')
	[ "$got" = "$want" ]
	grep -qx '/local/domain/1/memory/static-max = "131072"' ls.txt
	grep -qx '/local/domain/1/memory/target = "65536"' ls.txt
	grep -qx '/local/domain/1/cpu/1/availability = "online"' ls.txt
	grep -qx '/local/domain/1/console/type = "xenconsoled"' ls.txt
	grep -qx '/local/domain/1/device/vbd/51712/virtual-device = "51712"' ls.txt
	grep -qx '/local/domain/1/device/vif/0/mac = "00:16:3e:01:02:03"' ls.txt
	"$XSLS" /local/domain/0/backend/vbd/1/51712 > be.txt
	grep -qx "/local/domain/0/backend/vbd/1/51712/params = \"$BATS_TEST_TMPDIR/disk.img\"" be.txt
	grep -qx '/local/domain/0/backend/vbd/1/51712/dev = "xvda"' be.txt
	# the store page and port are what the domain was introduced with
	[ -n "$(grep '/store/ring-ref = "[1-9][0-9]*"' ls.txt)" ]
}

@test "XVM_TRACE=1 shows the build: createdomain .. setvcpucontext, unpause" {
	run_split env XVM_TRACE=1 xm create guest.cfg
	[ "$status" -eq 0 ]
	seq=$(printf '%s\n' "$err" | sed -n 's/^xvm: \([a-z-]*\)-start dom=[0-9-]* .*/\1/p; s/^xvm: \(mmap\) .*/\1/p' |
	    grep -v '^sysctl\|^domctl-getdomaininfo\|^xen-version$' | uniq | tr '\n' ' ')
	[ "$seq" = "dom-create max-vcpus set-max-mem evtchn-alloc-unbound set-address-size populate-physmap mmap hypercall-init mmuext-op mmap setvcpucontext grant-table-op mmap dom-unpause " ]
}

@test "bad input: an error, and nothing is left behind" {
	before0=$("$XSLS" | grep -c '^/local/domain/0/')
	free=$(xm info | awk '/^free_memory/ { print $3 }')
	# not a kernel
	run_split xm create guest.cfg kernel=/bin/true
	[ "$status" -eq 1 ]
	[ "$err" = "Error: '/bin/true' is not a Xen PV kernel: it has no Xen ELF notes or __xen_guest section
" ]
	# a truncated one
	head -c 3000 "$GUEST" > trunc
	run_split xm create guest.cfg kernel="$BATS_TEST_TMPDIR/trunc"
	[ "$status" -eq 1 ]
	[[ "$err" == "Error: '$BATS_TEST_TMPDIR/trunc' is truncated: "* ]]
	# more memory than the host has
	run_split xm create guest.cfg memory=65536 maxmem=65536
	[ "$status" -eq 1 ]
	[[ "$err" == "Error: domain 'guest1' needs 65536 MiB of memory, but the host has "*" MiB free"* ]]
	# vcpus over the limit
	run_split xm create guest.cfg vcpus=5000
	[ "$status" -eq 1 ]
	[[ "$err" == "Error: "*"vcpus must be a number from 1 to 4096, not '5000'"* ]]
	# a missing ramdisk
	run_split xm create guest.cfg ramdisk=/nonexistent.img
	[ "$status" -eq 1 ]
	[ "$err" = "Error: cannot open '/nonexistent.img': No such file or directory
" ]
	# a duplicate name
	xm create guest.cfg >/dev/null
	run_split xm create guest.cfg
	[ "$status" -eq 1 ]
	[ "$err" = "Error: Domain 'guest1' already exists with ID '1'
" ]
	xm destroy guest1
	# what the domain had in xenstore is gone (the directories above stay)
	[ -z "$("$XSLS" | grep -E '^/local/domain/1[/ ]|/backend/[a-z]+/1[/ ]|^/libxl/1[/ ]|^/vm/')" ]
	[ "$("$XSLS" | grep -c '^/local/domain/0/')" -eq "$((before0 + 4))" ]  # backend/{,console,vbd,vif}
	[ "$(xm info | awk '/^free_memory/ { print $3 }')" -eq "$free" ]
	[ "$(xm list | wc -l)" -eq 2 ]
}

@test "a build that fails half-way is reaped" {
	# enough memory for the domain, not for its initial mapping: the
	# builder fails after createdomain, populate and the xenstore skeleton
	run_split xm create guest.cfg memory=1 maxmem=1
	[ "$status" -eq 1 ]
	[[ "$err" == "Error: domain 1: 1 MiB of memory is too little for '$GUEST' and its initial mapping"* ]]
	[ "$(xm list | wc -l)" -eq 2 ]
	[ -z "$("$XSLS" | grep -e '/local/domain/1' -e '/vm/' -e '/libxl/1' -e 'backend')" ]
	# and the id was used: the next domain gets 2, as Xen's rover does
	xm create guest.cfg >/dev/null
	[ "$(xm list guest1 | awk 'NR == 2 { print $2 }')" -eq 2 ]
}

#!/usr/bin/env bats
# xm create --dryrun: xm's config search, its Python subset, command-line
# settings, and the errors.

load helper

setup() {
	common_setup
	FIX=$XVM_TOP/tests/bats/fixtures
	cd "$BATS_TEST_TMPDIR"
}

@test "xm create -n prints the domain as XML" {
	run_split xm create -n "$FIX/solaris-pv.py"
	[ "$status" -eq 0 ]
	[ -z "$err" ]
	diff <(printf '%s' "$out" | sed '/<uuid>/d') <(sed '$d' "$XVM_TOP/tests/bats/golden/solaris-pv.xml")
	diff <(xm create --dryrun "$FIX/solaris-pv.py" | sed '/<uuid>/d') \
	    <(printf '%s' "$out" | sed '/<uuid>/d')
}

@test "name=value settings win over the file and reach its expressions" {
	cat > vm.py <<'CFG'
name = "VM%d" % vmid
memory = 256 + 256
kernel = "/boot/vmlinuz"
disk = [ 'phy:/dev/vg/vm%d,xvda,w' % vmid ]
CFG
	run_split xm create -n vm.py vmid=3
	[ "$status" -eq 0 ]
	[[ "$out" == *"<name>VM3</name>"* ]]
	[[ "$out" == *"<memory unit='KiB'>524288</memory>"* ]]
	[[ "$out" == *"<source dev='/dev/vg/vm3'/>"* ]]
	run_split xm create -n vm.py vmid=3 memory=1024 name=other
	[[ "$out" == *"<name>other</name>"* ]]
	[[ "$out" == *"<memory unit='KiB'>1048576</memory>"* ]]
}

@test "the config is found along --path" {
	mkdir -p etc
	cp "$FIX/solaris-pv.py" etc/sol
	run_split xm create -n --path="$PWD/nowhere:$PWD/etc" sol
	[ "$status" -eq 0 ]
	[[ "$out" == *"<name>solaris-pv</name>"* ]]
}

@test "--json" {
	run xm create -n --json "$FIX/win-hvm-plain.py"
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | jq -r '.os.type')" = hvm ]
	[ "$(echo "$output" | jq -r '.os.boot | join(",")')" = cdrom,hd ]
}

@test "Python that would run code is refused, with its place" {
	run_split xm create -n "$FIX/win-hvm.py"
	[ "$status" -eq 1 ]
	[ -z "$out" ]
	[[ "$err" == "Error: $FIX/win-hvm.py:2:1: 'import' is Python code"* ]]
}

@test "bad values name the file, line, column and the text" {
	printf 'name = "x"\nmemory = "abc"\nkernel = "/k"\n' > bad.cfg
	run_split xm create -n bad.cfg
	[ "$status" -eq 1 ]
	[ "$err" = "Error: bad.cfg:2:10: memory must be a number of MiB from 1 to 1073741824, not 'abc'
" ]
	printf 'name = "x"\nkernel = "/k"\nvif = [ "mac=zz:zz" ]\n' > mac.cfg
	run_split xm create -n mac.cfg
	[ "$err" = "Error: mac.cfg:3:9: invalid MAC address 'zz:zz'
" ]
}

@test "--strict refuses settings xm does not know" {
	printf 'name = "x"\nkernel = "/k"\nbogus_key = 1\n' > u.cfg
	run_split xm create -n u.cfg
	[ "$status" -eq 0 ]
	run_split xm create -n --strict u.cfg
	[ "$status" -eq 1 ]
	[ "$err" = "Error: u.cfg:3:1: unknown setting 'bogus_key'
" ]
}

@test "a missing config, a domain XML file, and a missing kernel" {
	run_split xm create -n nosuch.cfg
	[ "$status" -eq 1 ]
	[ "$err" = "Error: cannot open config file 'nosuch.cfg': No such file or directory
" ]
	echo "<domain type='xen'/>" > d.xml
	run_split xm create -n d.xml
	[ "$err" = "Error: 'd.xml' is domain XML, not an xm config: use virsh define
" ]
	# without --dryrun it is started: here its kernel is not on this host
	run_split xm create "$FIX/solaris-pv.py"
	[ "$status" -eq 1 ]
	[[ "$err" == *"Error: cannot open '/platform/i86xpv/kernel/amd64/unix': No such file or directory"$'\n' ]]
	[ "$(xm list | wc -l)" -eq 2 ]
}

@test "usage errors" {
	run_split xm create
	[ "$status" -eq 1 ]
	[[ "$err" == "Error: 'xm create' requires at least 1 argument."$'\n\n'"Usage: xm create [options] <ConfigFile> [name=value ...]"* ]]
}

@test "--validate: the domain a config gives is schema-valid" {
	run_split xm create -n --validate "$FIX/win-hvm-plain.py"
	[ "$status" -eq 0 ]
	[[ "$out" == *"<name>winxp</name>"* ]]
}

@test "helper variables of the file are neither unknown settings nor kept" {
	cat > h.py <<'CFG'
base = 256
name = "VM%d" % vmid
memory = base * 2
kernel = "/boot/vmlinuz"
CFG
	run_split xm create -n --strict h.py vmid=3
	[ "$status" -eq 0 ]
	run xm create -n --json h.py vmid=3
	[ "$(echo "$output" | jq -c .extras)" = "[]" ]
}

@test "a bad command-line value is reported as the command line's" {
	run_split xm create -n "$FIX/solaris-pv.py" memory=abc
	[ "$status" -eq 1 ]
	[ "$err" = "Error: <command line>: memory must be a number of MiB from 1 to 1073741824, not 'abc'
" ]
}

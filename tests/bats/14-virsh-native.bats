#!/usr/bin/env bats
# virsh domxml-from-native / domxml-to-native: xm/xl configs <-> domain XML,
# offline.

load helper

setup() {
	common_setup
	FIX=$XVM_TOP/tests/bats/fixtures
	cd "$BATS_TEST_TMPDIR"
}

valid_xml() {
	xmllint --noout --relaxng "$XVM_TOP/data/schemas/domain.rng" "$1"
}

@test "the Sun xVM guide's Solaris PV config gives valid domain XML" {
	run_split virsh domxml-from-native xen-xm "$FIX/solaris-pv.py"
	[ "$status" -eq 0 ]
	[ -z "$err" ]
	printf '%s' "$out" > out.xml
	valid_xml out.xml
	# the uuid is generated; the rest is fixed (and a blank line follows)
	diff <(sed -e '/<uuid>/d' out.xml) \
	    "$XVM_TOP/tests/bats/golden/solaris-pv.xml"
}

@test "the Sun xVM guide's Windows HVM config gives valid domain XML" {
	run_split virsh domxml-from-native xen-xm "$FIX/win-hvm-plain.py"
	[ "$status" -eq 0 ]
	printf '%s' "$out" > out.xml
	valid_xml out.xml
	diff <(sed -e '/<uuid>/d' out.xml) \
	    "$XVM_TOP/tests/bats/golden/win-hvm.xml"
}

@test "XML back to a config, and the config back to the same XML" {
	virsh -q domxml-from-native xen-xm "$FIX/win-hvm-plain.py" > a.xml
	virsh -q domxml-to-native xen-xm a.xml > b.cfg
	grep -qx 'name = "winxp"' b.cfg
	grep -qx 'builder = "hvm"' b.cfg
	virsh -q domxml-from-native xen-xm b.cfg > c.xml
	diff a.xml c.xml
	# xl names the same guest in its own terms (qdisk backends)
	virsh -q domxml-to-native xen-xl a.xml > d.cfg
	grep -q 'vdev=hda,access=rw' d.cfg
	virsh -q domxml-from-native xen-xl d.cfg > e.xml
	valid_xml e.xml
}

@test "standard input as -; passwords are not printed" {
	printf 'name = "a"\nmemory = 256\nkernel = "/k"\nvfb = [ "type=vnc,vncpasswd=secret" ]\n' > p.cfg
	run_split bash -c 'virsh -q domxml-from-native xen-xm - < p.cfg'
	[ "$status" -eq 0 ]
	[[ "$out" == *"<graphics type='vnc'"* ]]
	[[ "$out" != *secret* ]]
}

@test "--json prints the domain as JSON" {
	run virsh -q domxml-from-native --json xen-xm "$FIX/solaris-pv.py"
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | jq -r .name)" = solaris-pv ]
	[ "$(echo "$output" | jq -r '.disks[0].target')" = xvda ]
}

@test "a missing file, as virsh words it" {
	run_split virsh domxml-from-native xen-xm nosuch.cfg
	[ "$status" -eq 1 ]
	[ "$out" = $'\n' ]
	[ "$err" = "error: Failed to open file 'nosuch.cfg': No such file or directory
" ]
}

@test "an unknown format" {
	run_split virsh domxml-from-native xen-sxpr "$FIX/solaris-pv.py"
	[ "$status" -eq 1 ]
	[ "$err" = "error: invalid argument: unsupported config type xen-sxpr
" ]
	run_split virsh domxml-to-native bogus x.xml
	[ "$err" = "error: invalid argument: unsupported config type bogus
" ]
}

@test "missing arguments" {
	run_split virsh domxml-from-native
	[ "$status" -eq 1 ]
	[ -z "$out" ]
	[ "$err" = "error: command 'domxml-from-native' requires <format> option
error: command 'domxml-from-native' requires <config> option
" ]
}

@test "Python in an xl config is refused with its position" {
	printf 'import os\nname = "x"\n' > py.cfg
	run_split virsh domxml-from-native xen-xl py.cfg
	[ "$status" -eq 1 ]
	[[ "$err" == "error: py.cfg:1:1: "*"Python"* ]]
}

@test "every malformed config of the unit tests: its message, exit 1" {
	"$XVM_TOP/build/tests/t_xenconfig" --dump-malformed .
	n=0
	for c in [0-9]*.cfg; do
		cp "$c" guest.cfg
		run_split virsh domxml-from-native "$(cat "${c%.cfg}.format")" guest.cfg
		[ "$status" -eq 1 ] || { echo "$c: status $status"; false; }
		[ "$out" = $'\n' ]
		[ "$err" = "error: $(cat "${c%.cfg}.err")
" ] || { echo "$c: $err"; false; }
		n=$((n + 1))
	done
	[ "$n" -ge 40 ]
}

@test "every malformed XML document of the unit tests: its message, exit 1" {
	"$XVM_TOP/build/tests/t_xml" --dump-malformed .
	n=0
	for x in [0-9]*.xml; do
		cp "$x" t.xml
		run_split virsh domxml-to-native xen-xl t.xml
		[ "$status" -eq 1 ] || { echo "$x: status $status"; false; }
		[ "$out" = $'\n' ]
		[ "$err" = "error: $(cat "${x%.xml}.err")
" ] || { echo "$x: $err"; false; }
		n=$((n + 1))
	done
	[ "$n" -ge 20 ]
}

@test "--validate checks the XML against the installed schema first" {
	printf '<domain type="xen"><name>x</name><memory>1024</memory><os><type>linux</type></os><devices><bogus/></devices></domain>\n' > b.xml
	run_split virsh domxml-to-native xen-xm b.xml
	[ "$status" -eq 0 ]
	run_split virsh domxml-to-native xen-xm --validate b.xml
	[ "$status" -eq 1 ]
	[ "$err" = "error: b.xml:1: element devices: Extra element devices in interleave
" ]
	XVM_SCHEMA_DIR=/nonexistent run_split virsh domxml-to-native xen-xm --validate b.xml
	[[ "$err" == "error: cannot load the domain schema '/nonexistent/domain.rng'"* ]]
}

@test "--json hides passwords too" {
	printf 'name = "a"\nmemory = 256\nkernel = "/k"\nvfb = [ "type=vnc,vncpasswd=secret" ]\n' > p.cfg
	run virsh -q domxml-from-native --json xen-xm p.cfg
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | jq -r '.graphics[0].type')" = vnc ]
	[ "$(echo "$output" | jq -r '.graphics[0].passwd')" = null ]
}

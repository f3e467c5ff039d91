#!/usr/bin/env bats
# The store of defined domains: xm new / start / delete, the files in the
# host's directory (one per UUID, mode 0600, libvirt XML), names and UUIDs
# kept paired, the config a running domain was started from, and SIGKILLs
# during defines that never leave a broken store.

load helper

setup() {
	common_setup
	GUEST=$XVM_TOP/build/tests/xvm-test-guest
	HOST=$BATS_TEST_TMPDIR/host
	cd "$BATS_TEST_TMPDIR"
	guest_cfg g.cfg 64
	xm list >/dev/null 2>&1
}

@test "xm new keeps the domain as libvirt XML, mode 0600, by UUID" {
	run_split xm new g.cfg
	[ "$status" -eq 0 ]
	[ "$out" = "" ] && [ "$err" = "" ]
	f=$HOST/domains/0b6c3c1e-0d4f-4a6b-9c7d-1e2f3a4b5c6d.xml
	[ "$(stat -c %a "$f")" = 600 ]
	[ "$(stat -c %a "$HOST/domains")" = 700 ]
	grep -q "^  <name>g1</name>$" "$f"
	grep -q "^    <kernel>$GUEST</kernel>$" "$f"
	xmllint --noout "$f"
	# defining is not starting
	run_split xm list g1
	[ "$status" -eq 1 ]
	# the same UUID again replaces it
	xm new g.cfg memory=96
	grep -q "<memory unit='KiB'>98304</memory>" "$f"
	[ "$(ls "$HOST/domains" | wc -l)" -eq 1 ]
}

@test "xm start runs a defined domain, once; destroy leaves the definition" {
	xm new g.cfg
	run_split xm start g1
	[ "$status" -eq 0 ] && [ "$out" = "" ]
	[ "$(xm list g1 | awk 'NR == 2 { print $1, $2, $3, $4 }')" = "g1 1 64 2" ]
	# the config it runs from, with its id
	run_f=$HOST/run/0b6c3c1e-0d4f-4a6b-9c7d-1e2f3a4b5c6d.xml
	[ "$(head -1 "$run_f")" = "<domain type='xen' id='1'>" ]
	run_split xm start g1
	[ "$status" -eq 1 ]
	[ "${err%$'\n'}" = "Error: Requested operation is not valid: domain 'g1' is already active" ]
	# by UUID, paused
	xm destroy g1
	[ ! -e "$run_f" ]
	xm start -p 0b6c3c1e-0d4f-4a6b-9c7d-1e2f3a4b5c6d
	[ "$(xm list g1 | awk 'NR == 2 { print $2, $5 }')" = "2 --p---" ]
	[ "$(head -1 "$run_f")" = "<domain type='xen' id='2'>" ]
	xm destroy g1
	[ -e "$HOST/domains/0b6c3c1e-0d4f-4a6b-9c7d-1e2f3a4b5c6d.xml" ]
}

@test "xm delete forgets a definition; a running domain keeps running" {
	xm new g.cfg
	xm start g1
	run_split xm delete g1
	[ "$status" -eq 0 ] && [ "$out" = "" ]
	[ -z "$(ls "$HOST/domains")" ]
	xm list g1 >/dev/null
	run_split xm start g1
	[ "$status" -eq 1 ]
	[ "${err%$'\n'}" = "Error: Domain 'g1' is not defined." ]
	run_split xm delete g1
	[ "$status" -eq 1 ]
	[ "${err%$'\n'}" = "Error: Domain 'g1' is not defined." ]
	# a running domain's name is taken by its UUID
	sed 's/^uuid = .*/uuid = "11111111-2222-3333-4444-555555555555"/' \
	    g.cfg > other.cfg
	run_split xm new other.cfg
	[ "$status" -eq 1 ]
	[ "${err%$'\n'}" = "Error: operation failed: domain 'g1' already exists with uuid 0b6c3c1e-0d4f-4a6b-9c7d-1e2f3a4b5c6d" ]
	[ -z "$(ls "$HOST/domains")" ]
}

@test "names and UUIDs stay paired across definitions and create" {
	xm new g.cfg
	# the same name under another UUID
	sed 's/^uuid = .*/uuid = "11111111-2222-3333-4444-555555555555"/' \
	    g.cfg > other.cfg
	run_split xm new other.cfg
	[ "$status" -eq 1 ]
	[ "${err%$'\n'}" = "Error: operation failed: domain 'g1' already exists with uuid 0b6c3c1e-0d4f-4a6b-9c7d-1e2f3a4b5c6d" ]
	run_split xm create other.cfg
	[ "$status" -eq 1 ]
	[[ "$err" == *"domain 'g1' already exists with uuid 0b6c3c1e-0d4f-4a6b-9c7d-1e2f3a4b5c6d"* ]]
	[ -z "$(xm list | awk 'NR > 2')" ]
	# the same UUID under another name
	run_split xm new g.cfg name=g2
	[ "$status" -eq 1 ]
	[ "${err%$'\n'}" = "Error: operation failed: domain 'g1' is already defined with uuid 0b6c3c1e-0d4f-4a6b-9c7d-1e2f3a4b5c6d" ]
	run_split xm create g.cfg name=g2
	[ "$status" -eq 1 ]
	# create of the defined domain's own config runs it
	xm create g.cfg
	run_split xm start g1
	[ "$status" -eq 1 ]
	# a second domain cannot run with a running one's UUID
	xm delete g1
	run_split xm create g.cfg name=g3
	[ "$status" -eq 1 ]
	[ "${err%$'\n'}" = "Error: Domain 'g1' (ID '1') already runs with UUID 0b6c3c1e-0d4f-4a6b-9c7d-1e2f3a4b5c6d" ]
}

@test "bad definitions: no name, a '/' in it, a missing file" {
	printf 'memory = 64\n' > noname.cfg
	run_split xm new noname.cfg
	[ "$status" -eq 1 ]
	[[ "$err" == *"noname.cfg"*"name"* ]]
	run_split xm new g.cfg name=a/b
	[ "$status" -eq 1 ]
	[ "${err%$'\n'}" = "Error: invalid argument: domain name 'a/b' is not valid: at most 255 characters, no '/'" ]
	run_split xm new missing.cfg
	[ "$status" -eq 1 ]
	[ ! -e "$HOST/domains" ] || [ -z "$(ls "$HOST/domains")" ]
}

@test "the test host: domain test is defined and running, in this process only" {
	export XVM_DEFAULT_URI=test:///default
	run_split xm start test
	[ "$status" -eq 1 ]
	[ "${err%$'\n'}" = "Error: Requested operation is not valid: domain 'test' is already active" ]
	xm delete test
	run_split xm delete test
	[ "$status" -eq 0 ]
}

@test "a corrupt definition is named in the error; temporary files are swept" {
	xm new g.cfg
	mkdir -p "$HOST/domains"
	: > "$HOST/domains/.0b6c3c1e-0d4f-4a6b-9c7d-1e2f3a4b5c6d.xml.AbC123"
	xm new g.cfg memory=80
	[ "$(ls -A "$HOST/domains")" = ".lock
0b6c3c1e-0d4f-4a6b-9c7d-1e2f3a4b5c6d.xml" ]
	printf '<domain' > "$HOST/domains/22222222-2222-3333-4444-555555555555.xml"
	run_split xm start g1
	[ "$status" -eq 1 ]
	[[ "$err" == "Error: $HOST/domains/22222222-2222-3333-4444-555555555555.xml:1:"* ]]
}

@test "200 SIGKILLs during define and delete never leave a broken store" {
	local n
	for n in 1 2 3; do
		sed -e "s/^name = .*/name = \"k$n\"/" \
		    -e "s/^uuid = .*/uuid = \"0000000$n-2222-3333-4444-555555555555\"/" \
		    g.cfg > k$n.cfg
	done
	sigkill_rounds 200 'while :; do for n in 1 2 3; do
		xm new k$n.cfg memory=$((RANDOM % 64 + 32))
		xm delete k$((RANDOM % 3 + 1)); done; done'
	# every definition left reads back whole and starts
	for f in "$HOST"/domains/*.xml; do
		[ -e "$f" ] || continue
		xmllint --noout "$f"
		u=$(basename "$f" .xml)
		xm start -p "$u"
	done
	# the next change sweeps what a kill left half-written
	xm new k1.cfg
	[ -z "$(ls -A "$HOST/domains" | grep -v -e '^\.lock$' -e '^0000000[123]-2222-3333-4444-555555555555\.xml$')" ]
	xm list >/dev/null
}

@test "completion offers defined domains too" {
	xm new g.cfg
	run_split xm __complete -- start g
	[ "$out" = "g1
" ]
}

@test "on_xend_start marks a definition to start with the host; xm start -a starts those" {
	cfg() {
		printf 'name = "%s"\nuuid = "%s"\nkernel = "%s"\nmemory = 32\n%s' \
		    "$1" "$(printf '%08x' "'$1")-0000-4000-8000-000000000001" \
		    "$GUEST" "${2:-}" > "$1.cfg"
	}
	cfg a 'on_xend_start = "start"
'
	cfg b
	cfg c 'on_xend_start = "ignore"
'
	xm new a.cfg
	xm new b.cfg on_xend_start=start
	xm new c.cfg
	[ "$(ls "$HOST/domains/autostart" | wc -l)" = 2 ]
	[ "$(readlink "$HOST/domains/autostart/$(ls "$HOST/domains/autostart" | head -1)")" = "../$(ls "$HOST/domains/autostart" | head -1)" ]
	run_split xm start -a
	[ "$status" -eq 0 ]
	[ "$out" = "Started domain a (id=1)
Started domain b (id=2)
" ]
	run_split xm list c
	[ "$status" -eq 1 ]
	# those running are left alone
	run_split xm start -a
	[ "$status" -eq 0 ] && [ "$out" = "" ]
	# a new definition that says ignore takes the mark away; one that
	# says nothing leaves it
	xm destroy a && xm destroy b
	xm new a.cfg on_xend_start=ignore
	xm new b.cfg
	run_split xm start -a -p
	[ "$out" = "Started domain b (id=3)
" ]
	[ "$(field b 5)" = "--p---" ]
}

@test "xm start -a goes on past a domain that cannot start, and says so" {
	printf 'name = "big"\nkernel = "%s"\nmemory = 65536\non_xend_start = "start"\n' "$GUEST" > big.cfg
	printf 'name = "small"\nkernel = "%s"\nmemory = 32\non_xend_start = "start"\n' "$GUEST" > small.cfg
	xm new big.cfg
	xm new small.cfg
	run_split xm start -a
	[ "$status" -eq 1 ]
	[ "$out" = "Started domain small (id=1)
" ]
	[[ "$err" == "Error: big: "*"
Error: operation failed: 1 of 2 domains did not start
" ]]
}

@test "bad on_xend_start and start -a misuse are refused, nothing defined" {
	printf 'name = "x"\nkernel = "%s"\nmemory = 32\non_xend_start = "always"\n' "$GUEST" > x.cfg
	run_split xm new x.cfg
	[ "$status" -eq 1 ]
	[ "$err" = "Error: x.cfg:4:17: on_xend_start must be 'start' or 'ignore', not 'always'
" ]
	run_split xm new x.cfg on_xend_start=sometimes
	[ "$status" -eq 1 ]
	[[ "$err" == *"<command line>"*"not 'sometimes'"* ]]
	[ -z "$(ls "$HOST/domains" 2>/dev/null | grep xml)" ]
	run_split xm start
	[ "$status" -eq 1 ]
	[ "$err" = "Error: a domain, or -a for all marked to start with the host, is needed
" ]
	run_split xm start -a g1
	[ "$status" -eq 1 ]
	run_split xm start -a -c
	[ "$status" -eq 1 ]
	[ "$err" = "Error: -c attaches one domain's console: not with -a
" ]
}

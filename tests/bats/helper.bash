# helper.bash - loaded by every bats file: the tools under test, assertion
# libraries, and a private simulated host per test.
#
# Tests run the binaries the way a user does, from build/bin.

XVM_TOP=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
XVM_BIN=$XVM_TOP/build/bin
PATH=$XVM_BIN:$PATH
export PATH

load /usr/lib/bats/bats-support/load.bash
load /usr/lib/bats/bats-assert/load.bash

common_setup() {
	# each test gets its own simulated host, cache and home
	export XVM_DEFAULT_URI="sim://$BATS_TEST_TMPDIR/host"
	export HOME=$BATS_TEST_TMPDIR/home
	export XDG_CACHE_HOME=$HOME/.cache
	mkdir -p "$HOME"
	unset LIBVIRT_DEFAULT_URI VIRSH_DEFAULT_CONNECT_URI
}

# run_split CMD...: run, keeping stdout in $out, stderr in $err, status in
# $status (bats' `run` merges the two streams).
run_split() {
	local o e
	o=$BATS_TEST_TMPDIR/stdout.$$
	e=$BATS_TEST_TMPDIR/stderr.$$
	status=0
	"$@" >"$o" 2>"$e" || status=$?
	out=$(cat "$o"; echo x)
	out=${out%x}
	err=$(cat "$e"; echo x)
	err=${err%x}
}

# golden NAME: the expected text stored in tests/bats/golden/NAME
golden() {
	cat "$XVM_TOP/tests/bats/golden/$1"
}

# guest_cfg [FILE] [MEMORY_MIB]: a config of the test guest (tests/guest)
# named g1, with a fixed UUID
guest_cfg() {
	cat > "${1:-g.cfg}" <<-CFG
	name = "g1"
	uuid = "0b6c3c1e-0d4f-4a6b-9c7d-1e2f3a4b5c6d"
	kernel = "$XVM_TOP/build/tests/xvm-test-guest"
	memory = ${2:-64}
	vcpus = 2
	CFG
}

# sigkill_rounds N SCRIPT: N times, run the bash SCRIPT in a process group
# of its own and SIGKILL the group 10 to 90 ms later; after each kill the
# host must still open and list (xm list).
sigkill_rounds() {
	local n=$1 script=$2 i pg
	for i in $(seq 1 "$n"); do
		setsid bash -c "$script" >/dev/null 2>&1 &
		pg=$!
		sleep "0.0$((RANDOM % 9 + 1))"
		# its group; or, when it has not reached setsid yet (a loaded
		# machine), the process itself
		kill -9 -- "-$pg" 2>/dev/null || kill -9 "$pg" 2>/dev/null || true
		wait "$pg" 2>/dev/null || true
		run_split xm list
		[ "$status" -eq 0 ] || { echo "after kill $i: $err" >&2; return 1; }
	done
}

# field DOM N: field N of domain DOM's line in xm list (empty: no DOM)
field() {
	xm list "$1" 2>/dev/null | awk -v f="$2" 'NR == 2 { print $f }'
}

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

# 40-man.bats - the manual pages: mandoc finds nothing to warn about, and
# each page lists exactly the commands (options, for virt-install) of its
# tool's table, with the same synopsis (as git's t0450 does for its docs).

load helper

setup() { common_setup; }

TOOLS="xm virsh virt-install"

# check_page TOOL [PAGE]: the page's synopsis and tags against the table;
# leaves the diff in $output and its status in $status
check_page() {
	local tool=$1 page=${2:-$XVM_TOP/man/$1.1}

	"$tool" __synopsis >"$BATS_TEST_TMPDIR/table"
	"$XVM_TOP/tests/man-synopsis.sh" "$page" >"$BATS_TEST_TMPDIR/page"
	run diff -u "$BATS_TEST_TMPDIR/table" "$BATS_TEST_TMPDIR/page"
}

# without_line TOOL REGEX: a copy of TOOL's page without the lines
# matching REGEX (there must be some)
without_line() {
	local copy=$BATS_TEST_TMPDIR/$1.1

	grep -v -- "$2" "$XVM_TOP/man/$1.1" >"$copy" || true
	if cmp -s "$copy" "$XVM_TOP/man/$1.1"; then
		echo "no line of $1.1 matches $2" >&2
		return 1
	fi
	echo "$copy"
}

@test "mandoc -Tlint -W warning is clean for every page" {
	local t

	for t in $TOOLS; do
		run mandoc -Tlint -W warning "$XVM_TOP/man/$t.1"
		assert_success
		assert_output ''
	done
	for t in xmdomain.cfg.5 xvm-domains.8; do
		run mandoc -Tlint -W warning "$XVM_TOP/man/$t"
		assert_success
		assert_output ''
	done
}

@test "every lint level: only the pages' links to each other are unresolved" {
	run make -s -C "$XVM_TOP" man-lint
	assert_success
	assert_output --partial "pages clean"
}

@test "xm.1: SYNOPSIS and COMMANDS match the command table" {
	check_page xm
	assert_success
	assert_output ''
}

@test "virsh.1: SYNOPSIS and COMMANDS match the command table" {
	check_page virsh
	assert_success
	assert_output ''
}

@test "virt-install.1: SYNOPSIS and OPTIONS match the option table" {
	check_page virt-install
	assert_success
	assert_output ''
}

@test "man-synopsis.sh: a page without a command does not match" {
	local copy

	copy=$(without_line virsh '^\.It Cm exit$')
	check_page virsh "$copy"
	assert_failure
	assert_line -- '-exit'
}

@test "man-synopsis.sh: a command missing an option does not match" {
	local copy

	copy=$(without_line virsh '^\.Op Fl Fl err$')
	check_page virsh "$copy"
	assert_failure
	assert_line -- '-echo [--shell] [--xml] [--split] [--err] [string ...]'
	assert_line -- '+echo [--shell] [--xml] [--split] [string ...]'
}

@test "man-synopsis.sh: a page without an option does not match" {
	local copy

	copy=$(without_line virt-install '^\.It Fl Fl version$')
	check_page virt-install "$copy"
	assert_failure
	assert_line -- '---version'
}

@test "man-synopsis.sh: a changed SYNOPSIS does not match" {
	local copy

	copy=$(without_line xm '^\.Op Ar arg \.\.\.$')
	check_page xm "$copy"
	assert_failure
	assert_line -- '-xm subcommand [arg ...]'
	assert_line -- '+xm subcommand'
}

@test "man-synopsis.sh: nested lists and other sections are not commands" {
	run "$XVM_TOP/tests/man-synopsis.sh" "$XVM_TOP/man/virsh.1"
	assert_success
	refute_line -- '--shell'
	refute_line --partial 'XVM_DEFAULT_URI'
	refute_line --regexp '^-c URI'
}

@test "man-synopsis.sh: usage errors" {
	run "$XVM_TOP/tests/man-synopsis.sh"
	assert_failure 2
	run "$XVM_TOP/tests/man-synopsis.sh" "$BATS_TEST_TMPDIR/nonexistent.1"
	assert_failure 1
}

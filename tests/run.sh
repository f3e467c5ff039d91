#!/bin/sh
# run.sh - the whole test suite: C unit tests, bats tests of the tools, and
# the conformance corpus.  Every suite speaks TAP; this script counts the
# "ok" / "not ok" lines, shows the failures, and ends with the summary line
#   N passed, N failed
# Exit status 0 only when nothing failed and something ran.
#
#   tests/run.sh [--unit-only] UNIT_BINARY...
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
unit_only=0
if [ "${1:-}" = "--unit-only" ]; then
	unit_only=1
	shift
fi
log=$(mktemp -d "${TMPDIR:-/tmp}/xvm-tests.XXXXXX") || exit 1
trap 'rm -rf "$log"' EXIT INT TERM
passed=0
failed=0

# count FILE SUITE: add the TAP results in FILE to the totals
count() {
	p=$(grep -c '^ok ' "$1")
	f=$(grep -c '^not ok ' "$1")
	passed=$((passed + p))
	failed=$((failed + f))
	printf '%-28s %5d passed, %d failed\n' "$2" "$p" "$f"
	if [ "$f" -gt 0 ]; then
		grep -A8 '^not ok ' "$1" | sed 's/^/    /'
	fi
}

# broken FILE SUITE STATUS: a suite that failed without a failed check
# (a crash, a syntax error) counts as one failure
broken() {
	if [ "$3" -ne 0 ] && ! grep -q '^not ok ' "$1"; then
		echo "    $2 exited with status $3 without a failed check:"
		tail -5 "$1" | sed 's/^/    /'
		failed=$((failed + 1))
	fi
}

for t in "$@"; do
	name=$(basename "$t")
	"$t" >"$log/$name.tap" 2>&1
	rc=$?
	count "$log/$name.tap" "unit/$name"
	broken "$log/$name.tap" "unit/$name" $rc
done

if [ $unit_only -eq 0 ]; then
	for f in "$top"/tests/bats/*.bats; do
		[ -e "$f" ] || continue
		name=$(basename "$f" .bats)
		bats --tap "$f" >"$log/$name.tap" 2>&1
		rc=$?
		count "$log/$name.tap" "bats/$name"
		broken "$log/$name.tap" "bats/$name" $rc
	done
	if [ -x "$top/tests/conformance/run.sh" ]; then
		"$top/tests/conformance/run.sh" >"$log/conformance.tap" 2>&1
		rc=$?
		count "$log/conformance.tap" "conformance"
		broken "$log/conformance.tap" "conformance" $rc
	fi
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]

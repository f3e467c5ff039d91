#!/bin/sh
# run.sh - the conformance suite: libvirt's xm/xl corpus in every direction
# libvirt's tests use it (byte for byte), then every XML xvm produced,
# validated against libvirt's domain.rng with xmllint.  TAP on stdout,
# then "conformance: N/N passed".  Exit status 0 only when all passed.
#
# The corpus is shared/conformance/libvirt beside the project (or
# $XVM_SHARED/conformance/libvirt).
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
shared=${XVM_SHARED:-$top/../shared}
corpus=$shared/conformance/libvirt
if [ ! -d "$corpus/tests" ]; then
	echo "1..0 # SKIP no corpus at $corpus"
	echo "conformance: 0/0 passed (corpus not found)"
	exit 0
fi
out=$(mktemp -d "${TMPDIR:-/tmp}/xvm-conformance.XXXXXX") || exit 1
trap 'rm -rf "$out"' EXIT INT TERM

"$top/build/tests/conformance" "$corpus" "$top/tests/conformance/cases" \
    "$out" | grep -v '^1\.\.' > "$out/tap"
n=$(grep -c '^\(not \)\?ok ' "$out/tap")
for x in "$out"/*.xml; do
	[ -e "$x" ] || continue
	n=$((n + 1))
	if msg=$(xmllint --noout --relaxng "$top/data/schemas/domain.rng" \
	    "$x" 2>&1); then
		echo "ok $n - schema $(basename "$x")"
	else
		echo "not ok $n - schema $(basename "$x")"
		echo "$msg" | sed 's/^/#   /'
	fi >> "$out/tap"
done
cat "$out/tap"
echo "1..$n"
ok=$(grep -c '^ok ' "$out/tap")
echo "conformance: $ok/$n passed"
[ "$ok" -eq "$n" ]

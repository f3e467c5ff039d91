#!/bin/sh
# xen.sh - xvm against Xen's own xl on a real Xen 4.17 (the test bed,
# tests/xen/run.sh), in one boot, the same guest: xm list vs xl list,
# xm create vs xl create (to the guest's first console line), xm save /
# restore vs xl save / restore.  Goal: xvm at least as fast as xl.
#
#   bench/xen.sh          (50 list calls per tool)
#
# Prints one line per comparison; exits 1 when xvm is slower on one.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
"$top/tests/xen/run.sh" "$top/tests/xen/bench-dom0.sh" >/dev/null
rc=$?
cat "$top/build/xen/results/bench.txt" 2>/dev/null ||
    { echo "bench/xen.sh: no results (run.sh exit $rc)" >&2; exit 1; }
exit $rc

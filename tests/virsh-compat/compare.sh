#!/bin/sh
# compare.sh - run each command string of a cases file through the real
# virsh 9.0 (libvirt-clients) and through xvm's, both on test:///default,
# and compare stdout, stderr and the exit status byte for byte.  Only the
# figures that grow with the clock are masked (dominfo's "CPU time:").
#
#   tests/virsh-compat/compare.sh [CASES [REAL_VIRSH [OUR_VIRSH]]]
#
# Prints one line per case that differs, with both sides, and a last line
# "virsh-compat: N/M identical"; exits 1 when any differs.
set -u
unset VISUAL	# edit runs EDITOR (true: nothing changes)
here=$(cd "$(dirname "$0")" && pwd)
cases=${1:-$here/cases}
real=${2:-/usr/bin/virsh}
ours=${3:-$here/../../build/bin/virsh}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/virsh-compat.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
mask() {
	sed -E -e 's/^(CPU time: +)[0-9]+\.[0-9]s$/\1(clock)/' \
	    -e "s#$tmp/work-(real|ours)#(dir)#g" "$1" > "$1.m" ||
	    { echo "compare.sh: cannot mask $1" >&2; exit 2; }
}
# A line is one command string; a line "@ ARGS" is split into words and
# passed as virsh's arguments (global options, or a command and its own).
# Each side runs in a fresh directory holding the XML fixtures (what one
# side writes, a save file say, is not there for the other).
run() {
	w=$tmp/work-$3
	rm -rf "$w" && mkdir "$w" && cp "$here"/*.xml "$w"/
	case $2 in
	'@ '*)
		# shellcheck disable=SC2086
		(cd "$w" && set -f && LC_ALL=C HOME=$w EDITOR=true \
		    timeout 30 "$1" \
		    -c test:///default ${2#@ } >"$tmp/$3.out" \
		    2>"$tmp/$3.err" </dev/null) ;;
	*)
		(cd "$w" && LC_ALL=C HOME=$w EDITOR=true timeout 30 "$1" \
		    -c test:///default "$2" >"$tmp/$3.out" 2>"$tmp/$3.err" \
		    </dev/null) ;;
	esac
	echo $? > "$tmp/$3.rc"
}

# The real virsh now and then hangs when a dump job fails (its job
# watcher waits on); such a run is tried again.
run_real() {
	run "$1" "$2" real
	if [ "$(cat "$tmp/real.rc")" = 124 ]; then
		run "$1" "$2" real
	fi
}
n=0 same=0
while IFS= read -r line; do
	case $line in ''|'#'*) continue ;; esac
	n=$((n + 1))
	run_real "$real" "$line"
	run "$ours" "$line" ours
	mask "$tmp/real.out"
	mask "$tmp/ours.out"
	mask "$tmp/real.err"
	mask "$tmp/ours.err"
	if cmp -s "$tmp/real.out.m" "$tmp/ours.out.m" &&
	    cmp -s "$tmp/real.err.m" "$tmp/ours.err.m" &&
	    cmp -s "$tmp/real.rc" "$tmp/ours.rc"
	then
		same=$((same + 1))
	else
		echo "DIFFERS: $line"
		for s in out err; do
			diff -u --label "real $s (exit $(cat "$tmp/real.rc"))" \
			    --label "xvm $s (exit $(cat "$tmp/ours.rc"))" \
			    "$tmp/real.$s" "$tmp/ours.$s" | sed 's/^/    /'
		done
	fi
done < "$cases"
echo "virsh-compat: $same/$n identical"
[ "$same" -eq "$n" ]

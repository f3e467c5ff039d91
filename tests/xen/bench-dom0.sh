#!/bin/sh
# bench-dom0.sh - runs inside the test bed's dom0 in place of dom0-test.sh
# (bench/xen.sh: tests/xen/run.sh tests/xen/bench-dom0.sh): xvm's tools
# against xl on the same hypervisor, in the same boot, the same guest:
#   list          `xm list` vs `xl list`, N times each (alternating)
#   create        `xm create` vs `xl create` of the bed's Linux domU, to
#                 its first console line in xenconsoled's log (and the
#                 time the command itself took)
#   save/restore  `xm save`/`xm restore` vs `xl save`/`xl restore` of it
#                 (1 vcpu, 128 MB), three rounds in turn, the best of each
# One line per comparison in RESULTS_DIR/bench.txt (and on stdout):
#   bench NAME: xvm X s, xl Y s, xvm/xl R [ok|SLOWER]
# and TAP lines (an ok when xvm is at least as fast) in tap.txt.
set -u
R=${1:-/results}
export R
here=$(dirname "$0")
. "$here/lib.sh"
: >"$TAP"
B=$R/bench.txt
: >"$B"
N=${XEN_BENCH_LIST:-50}
now() { cut -d' ' -f1 /proc/uptime; }

# line NAME XVM XL: the comparison, and a TAP line
line() {
	r=$(echo "$2 $3" | awk '{ printf "%.2f", ($2 > 0 ? $1 / $2 : 0) }')
	ok=$(echo "$2 $3" | awk '$1 !~ /^[0-9.]+$/ { print "FAILED"; exit }
	    { print ($1 <= $2 ? "ok" : "SLOWER") }')
	echo "bench $1: xvm $2 s, xl $3 s, xvm/xl $r $ok" | tee -a "$B"
	[ "$ok" = ok ]
	tap $? "bench $1: xvm $2 s <= xl $3 s"
}

# --- list, with one guest running -------------------------------------------
pv_cfg /root/b.cfg bench1 128 1
xl create /root/b.cfg >/dev/null 2>&1
boot_seen bench1 90
tx=0 tl=0
i=0
while [ $i -lt "$N" ]; do
	a=$(now); xm list >/dev/null 2>&1; b=$(now); xl list >/dev/null 2>&1; c=$(now)
	tx=$(echo "$tx $a $b" | awk '{ print $1 + $3 - $2 }')
	tl=$(echo "$tl $b $c" | awk '{ print $1 + $3 - $2 }')
	i=$((i + 1))
done
line "list (x$N, per call)" "$(echo "$tx $N" | awk '{ printf "%.3f", $1 / $2 }')" \
    "$(echo "$tl $N" | awk '{ printf "%.3f", $1 / $2 }')"

# --- save / restore: the guest xl made through xl, beside the same config
# made by xm through xm (each saves the domains its own toolstack made),
# three rounds taken in turn; the best of each ----------------------------
pv_cfg /root/b2.cfg bench2 128 1
ups=$(count_in "$(clog bench2)" '^DOMU-UP')
xm create /root/b2.cfg >/dev/null 2>&1
boot_seen bench2 90 "$ups"
f=/root/bench.sav
: >"$O/b-save.txt"
for round in 1 2 3; do
	a=$(now); xl save bench1 "$f" >>"$O/b-xl-save.out" 2>&1; b=$(now)
	xl restore "$f" >>"$O/b-xl-restore.out" 2>&1; c=$(now)
	rm -f "$f"
	echo "xl $(echo "$b $a" | awk '{ printf "%.2f", $1 - $2 }') $(echo "$c $b" | awk '{ printf "%.2f", $1 - $2 }')" >>"$O/b-save.txt"
	a=$(now); xm save bench2 "$f" >>"$O/b-xm-save.out" 2>&1; rs=$?; b=$(now)
	xm restore "$f" >>"$O/b-xm-restore.out" 2>&1; rr=$?; c=$(now)
	rm -f "$f"
	xs=$(echo "$b $a" | awk '{ printf "%.2f", $1 - $2 }')
	xr=$(echo "$c $b" | awk '{ printf "%.2f", $1 - $2 }')
	[ $rs -eq 0 ] || xs="failed($xs)"
	[ $rr -eq 0 ] || xr="failed($xr)"
	echo "xm $xs $xr" >>"$O/b-save.txt"
done
# the better of the tries of each (a failure stays a failure)
bestof() { awk -v w="$1" -v c="$2" '$1 == w { if ($c !~ /^[0-9.]+$/) { f = $c } else if (b == "" || $c < b) { b = $c } } END { print (f != "" ? f : b) }' "$O/b-save.txt"; }
line "save (128 MB, 1 vcpu)" "$(bestof xm 2)" "$(bestof xl 2)"
line "restore (128 MB, 1 vcpu)" "$(bestof xm 3)" "$(bestof xl 3)"
destroy_all
sleep 1

# --- create, to the first console line --------------------------------------
# first NAME T0: seconds from T0 to the first line in NAME's console log
first() {
	wait_until 90 more_than "$(clog "$1")" . 0
	echo "$(now) $2" | awk '{ printf "%.2f", $1 - $2 }'
}
for who in xl xm xl xm xl xm; do
	nm=bc-$who-$$-$(now | tr . _)
	pv_cfg "/root/$nm.cfg" "$nm" 128 1
	a=$(now)
	$who create "/root/$nm.cfg" >"$O/b-$nm.out" 2>&1
	b=$(now)
	fl=$(first "$nm" "$a")
	echo "$who $(echo "$b $a" | awk '{ printf "%.2f", $1 - $2 }') $fl" >>"$O/b-create.txt"
	xl destroy "$nm" >/dev/null 2>&1
	sleep 1
done
# the best of the three tries of each
best() { awk -v w="$1" -v c="$2" '$1 == w && (b == "" || $c < b) { b = $c } END { print b }' "$O/b-create.txt"; }
line "create returns" "$(best xm 2)" "$(best xl 2)"
line "create to the first console line" "$(best xm 3)" "$(best xl 3)"
destroy_all
n=$(grep -cE '^(not )?ok [0-9]+ ' "$TAP")
echo "1..$n" | tee -a "$TAP"
! grep -q '^not ok ' "$TAP"

# t-trace.sh - sourced by dom0-test.sh (after lib.sh), in a shell of its
# own: `XVM_TRACE=1 xm create CFG` of the test kernel on the real
# hypervisor and on a simulated host (sim:///tmp/simhost, in this dom0),
# the sequences of hypercalls (the "xvm: NAME-start" lines) compared; the
# simulated host is meant to follow real Xen.  The xenstore requests
# (xs-*) are compared too, their paths without the domain's id and uuid.
cat >/root/trace.cfg <<EOF
name = "trace1"
kernel = "$TGUEST"
memory = 32
vcpus = 1
EOF
rm -rf /tmp/simhost
XVM_TRACE=1 timeout 30 xm create /root/trace.cfg >"$O/trace-real.out" 2>&1
rc1=$?
XVM_DEFAULT_URI=sim:///tmp/simhost XVM_TRACE=1 timeout 30 xm create /root/trace.cfg >"$O/trace-sim.out" 2>&1
rc2=$?
tap $rc1 "XVM_TRACE=1 xm create on real Xen (exit $rc1)" "$O/trace-real.out"
tap $rc2 "XVM_TRACE=1 xm create on the simulated host (exit $rc2)" "$O/trace-sim.out"
hc() { sed -n 's/^xvm: \([a-z0-9-]*\)-start .*/\1/p' "$1"; }
xs() {
	sed -n 's/^xvm: \(xs-[a-z-]*\) \([^ ]*\).*/\1 \2/p' "$1" |
	    sed -e 's,/local/domain/[0-9][0-9]*,/local/domain/ID,g' \
	        -e 's,/backend/\([a-z]*\)/[0-9][0-9]*,/backend/\1/ID,g' \
	        -e 's,/libxl/[0-9][0-9]*,/libxl/ID,g' \
	        -e 's,/vm/[0-9a-f-]*,/vm/UUID,g' -e 's,^xs-introduce [0-9]*,xs-introduce ID,'
}
hc "$O/trace-real.out" >"$O/trace-real.hypercalls"
hc "$O/trace-sim.out" >"$O/trace-sim.hypercalls"
diff -u "$O/trace-real.hypercalls" "$O/trace-sim.hypercalls" |
    sed -e '1s/^--- .*/--- real Xen/' -e '2s/^+++ .*/+++ simulated host/' >"$O/trace-hypercalls.diff"
[ -s "$O/trace-real.hypercalls" ] && [ ! -s "$O/trace-hypercalls.diff" ]
tap $? "xm create: the same hypercalls in the same order on real Xen and on the simulated host ($(grep -c . "$O/trace-real.hypercalls") real, $(grep -c . "$O/trace-sim.hypercalls") simulated)" "$O/trace-hypercalls.diff"
xs "$O/trace-real.out" >"$O/trace-real.xenstore"
xs "$O/trace-sim.out" >"$O/trace-sim.xenstore"
diff -u "$O/trace-real.xenstore" "$O/trace-sim.xenstore" |
    sed -e '1s/^--- .*/--- real Xen/' -e '2s/^+++ .*/+++ simulated host/' >"$O/trace-xenstore.diff"
[ -s "$O/trace-real.xenstore" ] && [ ! -s "$O/trace-xenstore.diff" ]
tap $? "xm create: the same xenstore requests in the same order on real Xen and on the simulated host" "$O/trace-xenstore.diff"
# the simulated host's domain, then the real one
XVM_DEFAULT_URI=sim:///tmp/simhost timeout 20 xm destroy trace1 >/dev/null 2>&1
run xm-destroy-trace1 xm destroy trace1
rm -rf /tmp/simhost

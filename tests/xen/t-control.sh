# t-control.sh - sourced by dom0-test.sh (after lib.sh), in a shell of its
# own: xm's and virsh's control operations on the domain xl created
# ($DOM, running), each observed through xl afterwards: pause/unpause,
# vcpu-set down and up (the guest offlines and onlines), vcpu-pin,
# mem-set and virsh setmem (the guest balloons), sched-credit -w/-c,
# reboot -w and reboot (xl's own monitor process restarts an xl-made
# domain: one domain, a new id, the guest boots again), shutdown -w,
# and destroy (of a second xl-made domain).
log=$(clog "$DOM")
if ! xl_has "$DOM"; then
	# the read-only part left no domain: make one for this part
	xl create "$CFG" >"$O/ctl-xl-create.out" 2>&1
	boot_seen "$DOM" 60
fi
id0=$(xl_now "$DOM" 2)

# --- pause / unpause ------------------------------------------------------
xvm_cmd xm-pause "xm pause $DOM" xm pause "$DOM" &&
    witness xm-pause-w "after xm pause: xl list shows $DOM paused" 5 xl_state_has "$DOM" p
xvm_cmd xm-unpause "xm unpause $DOM" xm unpause "$DOM" &&
    witness xm-unpause-w "after xm unpause: xl list shows $DOM not paused" 5 xl_state_lacks "$DOM" p

# --- vcpu-set: down to 1, the guest offlines vcpu 1; up to 2 again ---------
xvm_cmd xm-vcpu-set-1 "xm vcpu-set $DOM 1" xm vcpu-set "$DOM" 1 &&
    witness xm-vcpu-set-1-w "after xm vcpu-set $DOM 1: xl list VCPUs 1 (the guest offlined vcpu 1)" 30 xl_is "$DOM" 4 1
diff=$O/xm-vcpu-list-set1.diff
try_vcpus_set1() {
	t=$(up)
	run xl-vcpu-list-set1 xl vcpu-list "$DOM"
	run xm-vcpu-list-set1 xm vcpu-list "$DOM" || { failed_cmd xm-vcpu-list-set1; return 1; }
	cmp_vcpus "$O/xl-vcpu-list-set1.out" "$O/xm-vcpu-list-set1.out" "$(sub "$(up)" "$t")" >"$diff"
}
retry3 try_vcpus_set1
rc=$?
[ $rc -eq 0 ] || trace xm-vcpu-list-set1 xm vcpu-list "$DOM"
tap $rc "after vcpu-set 1: xm vcpu-list $DOM = xl vcpu-list $DOM" "$diff"
on0=$(count_in "$log" DOMU-ONLINED)
xvm_cmd xm-vcpu-set-2 "xm vcpu-set $DOM 2" xm vcpu-set "$DOM" 2 &&
    witness xm-vcpu-set-2-w "after xm vcpu-set $DOM 2: xl list VCPUs 2 (the guest onlined vcpu 1)" 30 xl_is "$DOM" 4 2
wait_until 15 more_than "$log" DOMU-ONLINED "$on0"
tap $? "after vcpu-set 2: the guest says it onlined a cpu (console: DOMU-ONLINED)"

# --- vcpu-pin -------------------------------------------------------------
aff() { xl vcpu-list "$DOM" 2>/dev/null | awk -v v="$1" 'NR > 1 && $3 == v { a = $0; sub(/^ *([^ ]+ +){6}/, "", a); print a }'; }
aff_is() { [ "$(aff "$1")" = "$2" ]; }
xvm_cmd xm-vcpu-pin "xm vcpu-pin $DOM 0 1" xm vcpu-pin "$DOM" 0 1 &&
    witness xm-vcpu-pin-w "after xm vcpu-pin $DOM 0 1: xl vcpu-list shows vcpu 0's hard affinity 1" 5 aff_is 0 "1 / all"
xvm_cmd xm-vcpu-pin-all "xm vcpu-pin $DOM 0 all" xm vcpu-pin "$DOM" 0 all &&
    witness xm-vcpu-pin-all-w "after xm vcpu-pin $DOM 0 all: xl vcpu-list shows vcpu 0's hard affinity all" 5 aff_is 0 "all / all"

# --- mem-set and virsh setmem: the guest's balloon follows ----------------
xvm_cmd xm-mem-set "xm mem-set $DOM 96" xm mem-set "$DOM" 96 &&
    witness xm-mem-set-w "after xm mem-set $DOM 96: xl list Mem 96 (the guest ballooned down)" 40 xl_is "$DOM" 3 96
run xs-target-96 xenstore-read "/local/domain/$id0/memory/target"
xvm_cmd virsh-setmem "virsh setmem $DOM 131072 (KiB: back up to its static maximum)" \
    virsh -c "$VC" setmem "$DOM" 131072 &&
    witness virsh-setmem-w "after virsh setmem $DOM 131072: xl list Mem 128 (the guest ballooned up)" 40 xl_is "$DOM" 3 128
xvm_cmd virsh-setmem-down "virsh setmem $DOM 102400" virsh -c "$VC" setmem "$DOM" 102400 &&
    witness virsh-setmem-down-w "after virsh setmem $DOM 102400: xl list Mem 100" 40 xl_is "$DOM" 3 100

# --- sched-credit -w / -c --------------------------------------------------
wc_is() { xl sched-credit -d "$DOM" 2>/dev/null | awk -v d="$DOM" -v w="$1" -v c="$2" '$1 == d && $3 == w && $4 == c { f = 1 } END { exit !f }'; }
xvm_cmd xm-sched-w "xm sched-credit -d $DOM -w 512" xm sched-credit -d "$DOM" -w 512 &&
    witness xm-sched-w-w "after xm sched-credit -w 512: xl sched-credit -d $DOM shows weight 512, cap 0" 5 wc_is 512 0
xvm_cmd xm-sched-c "xm sched-credit -d $DOM -c 50" xm sched-credit -d "$DOM" -c 50 &&
    witness xm-sched-c-w "after xm sched-credit -c 50: xl sched-credit -d $DOM shows weight 512, cap 50" 5 wc_is 512 50
diff=$O/xm-sched-credit-set.diff
run xl-sched-credit-set xl sched-credit -d "$DOM"
if run xm-sched-credit-set xm sched-credit -d "$DOM"; then
	cmp_text "$O/xl-sched-credit-set.out" "$O/xm-sched-credit-set.out" >"$diff"
else
	failed_cmd xm-sched-credit-set && cp "$O/xm-sched-credit-set.diff" "$diff"; false
fi
tap $? "after the changes: xm sched-credit -d $DOM = xl sched-credit -d $DOM" "$diff"

# --- reboot -w, reboot: the guest boots again with a new id ----------------
ups=$(count_in "$log" '^DOMU-UP')
xvm_cmd xm-reboot-w "xm reboot -w $DOM (xl-made: xl's monitor restarts it)" xm reboot -w "$DOM"
witness xm-reboot-w-w "after xm reboot -w: xl list shows $DOM with an id other than $id0" 40 xl_newid "$DOM" "$id0"
boot_seen "$DOM" 60 "$ups"
tap $? "after xm reboot -w: the guest boots again (a new DOMU-UP on its console)"
n1=$(xl list | grep -c "^$DOM ")
[ "$n1" -eq 1 ]
tap $? "after xm reboot -w: exactly one $DOM in xl list (there are $n1)"
id1=$(xl_now "$DOM" 2)
ups=$(count_in "$log" '^DOMU-UP')
xvm_cmd xm-reboot "xm reboot $DOM" xm reboot "$DOM"
witness xm-reboot-x "after xm reboot (no -w): xl list shows $DOM with an id other than $id1" 40 xl_newid "$DOM" "${id1:-none}"
boot_seen "$DOM" 60 "$ups"
tap $? "after xm reboot: the guest boots again (a new DOMU-UP on its console)"

# --- shutdown -w ------------------------------------------------------------
if ! xl_has "$DOM" || xl_state_has "$DOM" s; then
	echo "# $DOM is not running after the reboots; xl makes it again" | tee -a "$TAP"
	xl destroy "$DOM" >/dev/null 2>&1
	ups=$(count_in "$log" '^DOMU-UP')
	xl create "$CFG" >"$O/ctl-xl-create-2.out" 2>&1
	boot_seen "$DOM" 60 "$ups"
fi
offs=$(count_in "$log" DOMU-GOT-POWEROFF)
t=$(up)
xvm_cmd xm-shutdown-w "xm shutdown -w $DOM" xm shutdown -w "$DOM"
rc=$?
dt=$(sub "$(up)" "$t")
if [ $rc -eq 0 ]; then
	# -w: gone by the time xm returns
	xl list >"$O/xm-shutdown-w.xl-list" 2>&1
	! grep -q "^$DOM " "$O/xm-shutdown-w.xl-list"
	tap $? "xm shutdown -w returned after ${dt} s and xl list no longer shows $DOM" "$O/xm-shutdown-w.xl-list"
fi
wait_until 10 more_than "$log" DOMU-GOT-POWEROFF "$offs"
tap $? "after xm shutdown -w: the guest powered off (DOMU-GOT-POWEROFF on its console)"
xl destroy "$DOM" >/dev/null 2>&1

# --- destroy: of a second xl-made domain ------------------------------------
pv_cfg /root/ctl2.cfg ctl2 128 1
run xl-create-ctl2 xl create -p /root/ctl2.cfg
xvm_cmd xm-destroy "xm destroy ctl2 (xl-made, paused)" xm destroy ctl2 &&
    witness xm-destroy-w "after xm destroy ctl2: xl list no longer shows it" 5 xl_gone ctl2

diff=$O/xm-list-final.diff
try_list_end() {
	t=$(up)
	run xl-list xl list
	run xm-list xm list || { failed_cmd xm-list; return 1; }
	cmp_list "$O/xl-list.out" "$O/xm-list.out" "$(sub "$(up)" "$t")" >"$diff"
}
retry3 try_list_end
rc=$?
[ $rc -eq 0 ] || trace xm-list-final xm list
cp "$O/xm-list.out" "$O/xm-list-final.out" 2>/dev/null
cp "$O/xl-list.out" "$O/xl-list-final.out" 2>/dev/null
tap $rc "after destroy: xm list = xl list" "$diff"

# t-save.sh - sourced by dom0-test.sh (after lib.sh), in a shell of its
# own: save/restore, dump-core and migrate on the real hypervisor, with
# xl as the witness and as the other end.  The bed's Linux domU, 128 MB:
# sr2 (xm create, 2 vcpus), sr1 (xm create, 1 vcpu), srx (xl create, 1
# vcpu; xm saves only domains xvm started, xl only those xl started).
#   xm save / xm restore of sr2 (it runs on: its console ticks on)
#   xl dump-core and xm dump-core of sr1: ELF headers compared, sizes
#   xm migrate sr1 localhost (non-live, this host)
#   xm save of sr1 -> xl restore; xl save of srx -> xm restore
# Files live in dom0's RAM: each is removed once used.

# ticks_on NAME SECS: a DOMU-TICK on NAME's console after the ones now
ticks_on() {
	_k=$(count_in "$(clog "$1")" DOMU-TICK)
	wait_until "$2" more_than "$(clog "$1")" DOMU-TICK "$_k"
}
# ticks_either NAME N: more than N DOMU-TICKs in NAME's log and its
# migrated copy's (NAME--incoming) together
ticks_either() {
	[ $(( $(count_in "$(clog "$1")" DOMU-TICK) + $(count_in "$(clog "$1--incoming")" DOMU-TICK) )) -gt "$2" ]
}

pv_cfg /root/sr2.cfg sr2 128 2
pv_cfg /root/sr1.cfg sr1 128 1
pv_cfg /root/srx.cfg srx 128 1
run xm-create-sr2 xm create /root/sr2.cfg
run xm-create-sr1 xm create /root/sr1.cfg
run xl-create-srx xl create /root/srx.cfg
boot_seen sr2 90 && boot_seen sr1 90 && boot_seen srx 90
tap $? "xm create sr2 (2 vcpus), sr1 (1 vcpu), xl create srx (1 vcpu): all booted (DOMU-UP)"

# --- xm save / xm restore ------------------------------------------------------
f=/root/xm-sr2.sav
t=$(up)
if xvm_cmd xm-save-sr2 "xm save sr2 $f (2 vcpus)" xm save sr2 "$f"; then
	echo "xm save sr2: $(sub "$(up)" "$t") s, $(wc -c <"$f") bytes" >>"$O/sizes.txt"
	witness xm-save-sr2-w "after xm save sr2: xl list no longer shows it" 5 xl_gone sr2
	xvm_cmd xm-restore-sr2 "xm restore $f (2 vcpus)" xm restore "$f" &&
	    witness xm-restore-sr2-w "after xm restore: xl list shows sr2 running" 10 xl_state_lacks sr2 p &&
	    { ticks_on sr2 25
	      tap $? "after xm restore: sr2 runs on (a new DOMU-TICK on its console)"; }
fi
rm -f "$f"
xl destroy sr2 >/dev/null 2>&1

# --- xl save -> xm restore ------------------------------------------------------
f=/root/xl-srx.sav
run xl-save-srx xl save srx "$f" || failed_cmd xl-save-srx
if [ -s "$f" ]; then
	xvm_cmd xm-restore-xl "xm restore of the file xl save wrote (1 vcpu)" xm restore "$f" &&
	    witness xm-restore-xl-w "after xm restore of xl's file: xl list shows srx running" 10 xl_state_lacks srx p &&
	    { ticks_on srx 25
	      tap $? "after xm restore of xl's file: srx runs on (a new DOMU-TICK)"; }
fi
rm -f "$f"

# --- dump-core: xl's and xm's files compared ------------------------------------
# elfhdr FILE: the ELF header's fields that say what the file is
elfhdr() {
	od -A n -t x1 -N 64 "$1" | tr -s ' \n' ' ' | awk '{
		printf "magic=%s%s%s%s class=%s data=%s version=%s osabi=%s type=%s%s machine=%s%s", $1, $2, $3, $4, $5, $6, $7, $8, $18, $17, $20, $19
		printf " phnum=%s%s shnum=%s%s\n", $58, $57, $62, $61
	}'
}
run xl-dump-core xl dump-core sr1 /root/xl.core || failed_cmd xl-dump-core
xlsz=$(wc -c </root/xl.core 2>/dev/null)
xlh=$(elfhdr /root/xl.core 2>/dev/null)
rm -f /root/xl.core
if xvm_cmd xm-dump-core "xm dump-core sr1" xm dump-core sr1 /root/xm.core; then
	xmsz=$(wc -c </root/xm.core 2>/dev/null)
	xmh=$(elfhdr /root/xm.core 2>/dev/null)
	{ echo "xl: $xlsz bytes, $xlh"; echo "xm: $xmsz bytes, $xmh"; } >"$O/dump-core.diff"
	cp "$O/dump-core.diff" "$O/dump-core.txt"
	[ -n "$xmh" ] && [ "$xmh" = "$xlh" ]
	tap $? "xm dump-core: the ELF header of xl dump-core's (class, type core, machine, sections)" "$O/dump-core.diff"
	echo "$xlsz $xmsz" | awk '{ d = $1 - $2; if (d < 0) d = -d; exit !($1 > 0 && d <= $1 / 100) }'
	tap $? "xm dump-core: its size within 1% of xl dump-core's ($xmsz vs $xlsz bytes)" "$O/dump-core.diff"
	witness xm-dump-core-w "after xm dump-core: xl list shows sr1 running, not paused" 5 xl_state_lacks sr1 p
fi
rm -f /root/xm.core

# --- xm migrate to this host (non-live) ------------------------------------------
# as xl's: the copy comes in as sr1--incoming, the source becomes
# sr1--migratedaway, the copy takes the name and runs, the source goes
id0=$(xl_now sr1 2)
xvm_cmd xm-migrate "xm migrate sr1 localhost (non-live, this host)" xm migrate sr1 localhost &&
    witness xm-migrate-w "after xm migrate sr1 localhost: xl list shows sr1 running with an id other than $id0, and no other sr1" 10 xl_moved sr1 "${id0:-none}"
# the host's own URI is this host too
id1=$(xl_now sr1 2)
xvm_cmd xm-migrate-uri "xm migrate sr1 xen:///system (this host by its URI)" xm migrate sr1 xen:///system &&
    witness xm-migrate-uri-w "after xm migrate sr1 xen:///system: sr1 runs with an id other than $id1" 10 xl_moved sr1 "${id1:-none}"
if xl_has sr1; then
	# xenconsoled names a console's log when the domain appears: the
	# copy's goes on in guest-sr1--incoming.log (as with xl)
	_k=$(( $(count_in "$(clog sr1)" DOMU-TICK) + $(count_in "$(clog sr1--incoming)" DOMU-TICK) ))
	wait_until 25 ticks_either sr1 "$_k"
	tap $? "after xm migrate: sr1 runs on (a new DOMU-TICK)"
	# what xvm keeps by UUID went with it: its config
	xvm_cmd xm-list-l-migrated "xm list -l sr1 after the moves: its config is the copy's" xm list -l sr1
fi
# --- xm save -> xl restore ------------------------------------------------------
f=/root/xm-sr1.sav
if xvm_cmd xm-save-sr1 "xm save sr1 $f (1 vcpu)" xm save sr1 "$f"; then
	witness xm-save-sr1-w "after xm save sr1: xl list no longer shows it" 5 xl_gone sr1
	run xl-restore-xm xl restore "$f"
	rc=$?
	[ $rc -eq 0 ] || failed_cmd xl-restore-xm
	tap $rc "xl restore of the file xm save wrote" "$O/xl-restore-xm.diff"
	ticks_on sr1 25
	tap $? "after xl restore of xm's file: sr1 runs on (a new DOMU-TICK)"
fi
rm -f "$f"

destroy_all

# t-create.sh - sourced by dom0-test.sh (after lib.sh), in a shell of its
# own: domains that xvm creates boot on the real hypervisor, with xl as
# the witness.  At the same time:
#   xlnet  xl create: the bed's Linux domU with a file-backed vbd and a
#          vif (the reference: what xl's hotplug scripts make of them)
#   xmlin  xm create: the same Linux domU, 128 MB, 2 vcpus, vbd + vif
#   vlin   virsh create: the same from libvirt XML, 96 MB, 1 vcpu, vbd + vif
#   xmtg   xm create: the project's test kernel, 32 MB, 1 vcpu
#   vtg    virsh define + virsh start: the test kernel, 32 MB, 2 vcpus
# For each: the console marker in xenconsoled's log and through
# `xm console`; xl list shows it with its memory and vcpus; xm list = xl
# list; for the Linux ones, vbd 51712 (xvda) and vif 0 in xenbus state 4
# at both ends.  Then xm reboot -w, xm reboot and xm shutdown -w of xmlin,
# xm destroy of vlin and xmtg, virsh destroy + undefine of vtg.
TMARK='xvm-test-guest: up'
for d in xlnet xmlin vlin; do
	rm -f "/root/d-$d.img"
	dd if=/dev/zero of="/root/d-$d.img" bs=1M count=0 seek=16 2>/dev/null
done
pv_cfg /root/xlnet.cfg xlnet 128 2 "disk = ['file:/root/d-xlnet.img,xvda,w']" "vif = ['bridge=xenbr0']"
pv_cfg /root/xmlin.cfg xmlin 128 2 "disk = ['file:/root/d-xmlin.img,xvda,w']" "vif = ['bridge=xenbr0']"
cat >/root/xmtg.cfg <<EOF
name = "xmtg"
kernel = "$TGUEST"
extra = "xvm-marker=xm-create"
memory = 32
vcpus = 1
EOF
cat >/root/vlin.xml <<EOF
<domain type='xen'>
  <name>vlin</name>
  <memory unit='MiB'>96</memory>
  <currentMemory unit='MiB'>96</currentMemory>
  <vcpu>1</vcpu>
  <os>
    <type>linux</type>
    <kernel>$KERNEL</kernel>
    <initrd>$RAMDISK</initrd>
    <cmdline>console=hvc0 rdinit=/init</cmdline>
  </os>
  <on_poweroff>destroy</on_poweroff>
  <on_reboot>restart</on_reboot>
  <on_crash>preserve</on_crash>
  <devices>
    <disk type='file' device='disk'>
      <source file='/root/d-vlin.img'/>
      <target dev='xvda' bus='xen'/>
    </disk>
    <interface type='bridge'>
      <source bridge='xenbr0'/>
    </interface>
    <console type='pty'/>
  </devices>
</domain>
EOF
cat >/root/vtg.xml <<EOF
<domain type='xen'>
  <name>vtg</name>
  <memory unit='MiB'>32</memory>
  <vcpu>2</vcpu>
  <os>
    <type>linux</type>
    <kernel>$TGUEST</kernel>
    <cmdline>xvm-marker=virsh-start</cmdline>
  </os>
  <on_crash>preserve</on_crash>
  <devices>
    <console type='pty'/>
  </devices>
</domain>
EOF

# console NAME: `xm console NAME` in the background for 90 s at most, its
# output in $O/console-NAME.out (its input a pipe that stays open)
console() {
	{ sleep 95 | timeout 90 xm console "$1" >"$O/console-$1.out" 2>"$O/console-$1.err"; } &
}

run xl-create-xlnet xl create /root/xlnet.cfg ||
    { failed_cmd xl-create-xlnet; tap 1 "xl create xlnet (the reference, vbd + vif)" "$O/xl-create-xlnet.diff"; }
xvm_cmd xm-create-xmlin "xm create xmlin (Linux, 128 MB, 2 vcpus, vbd + vif)" xm create /root/xmlin.cfg &&
    console xmlin
xvm_cmd virsh-create-vlin "virsh create vlin.xml (Linux, 96 MB, 1 vcpu, vbd + vif)" virsh -c "$VC" create /root/vlin.xml &&
    console vlin
xvm_cmd xm-create-xmtg "xm create xmtg (the test kernel, 32 MB, 1 vcpu)" xm create /root/xmtg.cfg &&
    console xmtg
xvm_cmd virsh-define-vtg "virsh define vtg.xml (the test kernel, 32 MB, 2 vcpus)" virsh -c "$VC" define /root/vtg.xml &&
    xvm_cmd virsh-start-vtg "virsh start vtg" virsh -c "$VC" start vtg &&
    console vtg

# marker NAME REGEX SECS: in xenconsoled's log
marker() {
	if wait_until "$3" more_than "$(clog "$1")" "$2" 0; then
		tap 0 "$1: console marker in xenconsoled's log: $(grep -m1 "$2" "$(clog "$1")" | tr -d '\r')"
	else
		{ echo "no [$2] in $(clog "$1") within $3 s; its end:"; tail -n 15 "$(clog "$1")" 2>&1; } >"$O/marker-$1.diff"
		tap 1 "$1: console marker in xenconsoled's log" "$O/marker-$1.diff"
	fi
}
marker xmtg "$TMARK" 20
marker vtg "$TMARK" 20
marker xlnet '^DOMU-UP' 60
marker xmlin '^DOMU-UP' 60
marker vlin '^DOMU-UP' 60

# through xm console (started right after each create)
for d in xmtg vtg xmlin vlin; do
	m='^DOMU-UP'
	case $d in *tg) m=$TMARK ;; esac
	if wait_until 10 grep -q "$m" "$O/console-$d.out"; then
		tap 0 "$d: console marker through xm console"
	else
		{ echo "xm console $d printed:"; tail -n 15 "$O/console-$d.out"; cat "$O/console-$d.err"; } >"$O/console-$d.diff" 2>&1
		tap 1 "$d: console marker through xm console" "$O/console-$d.diff"
	fi
done

# xl list: memory and vcpus as asked; xm list = xl list
for dmv in xlnet:128:2 xmlin:128:2 vlin:96:1 xmtg:32:1 vtg:32:2; do
	d=${dmv%%:*} mv=${dmv#*:}
	m=${mv%:*} v=${mv#*:}
	# Mem from xl list; the vcpus from xl vcpu-list (xl list counts the
	# ones online, and the test kernel never brings up a second)
	run "xl-list-$d" xl list "$d"
	run "xl-vcpu-list-$d" xl vcpu-list "$d"
	got="$(xl_field "$O/xl-list-$d.out" "$d" 3) $(awk -v d="$d" '$1 == d' "$O/xl-vcpu-list-$d.out" | grep -c .)"
	cat "$O/xl-vcpu-list-$d.out" >>"$O/xl-list-$d.out"
	[ "$got" = "$m $v" ]
	tap $? "$d: xl list shows Mem $m, xl vcpu-list $v vcpus (xl: $got)" "$O/xl-list-$d.out"
	[ "$d" = xlnet ] && continue
	diff=$O/xm-list-$d.diff
	try_list_d() {
		t=$(up)
		run "xl-list-$d" xl list "$d"
		run "xm-list-$d" xm list "$d" || { failed_cmd "xm-list-$d"; cp "$O/xm-list-$d.diff" "$diff.cmd"; return 1; }
		cmp_list "$O/xl-list-$d.out" "$O/xm-list-$d.out" "$(sub "$(up)" "$t")" >"$diff"
	}
	retry3 try_list_d
	rc=$?
	[ $rc -eq 0 ] || trace "xm-list-$d" xm list "$d"
	tap $rc "$d: xm list $d = xl list $d" "$diff"
done

# the devices: xenbus state 4 (connected) at both ends
for d in xlnet xmlin vlin; do
	id=$(xl_now "$d" 2)
	[ -n "$id" ] || id=none
	for kv in vbd:51712 vif:0; do
		k=${kv%:*} dev=${kv#*:}
		wait_until 20 xs_connected "$id" "$k" "$dev"
		rc=$?
		st=$(xs_states "$id" "$k" "$dev")
		if [ $rc -ne 0 ]; then
			{
				echo "frontend, backend state: $st"
				xenstore-ls -f "/local/domain/0/backend/$k/$id" 2>&1 | head -n 25
				echo "xl ${k%?}-list:"
				case $k in vbd) xl block-list "$d" ;; vif) xl network-list "$d" ;; esac 2>&1
			} >"$O/dev-$d-$k.diff"
		fi
		who=xvm
		[ "$d" = xlnet ] && who="xl (reference)"
		tap $rc "$d ($who): $k $dev connected, xenbus state 4 at both ends (frontend, backend: $st)" "$O/dev-$d-$k.diff"
	done
	xl block-list "$d" >"$O/xl-block-list-$d.out" 2>&1
	xl network-list "$d" >"$O/xl-network-list-$d.out" 2>&1
	xenstore-ls -f "/local/domain/0/backend" >"$O/xenstore-backend-$d.out" 2>&1
done
# what the hotplug scripts leave: hotplug-status and the loop device
for d in xlnet xmlin vlin; do
	id=$(xl_now "$d" 2)
	echo "$d: vbd hotplug-status [$(xenstore-read "/local/domain/0/backend/vbd/$id/51712/hotplug-status" 2>&1)]" \
	    "physical-device [$(xenstore-read "/local/domain/0/backend/vbd/$id/51712/physical-device" 2>&1)]" \
	    "vif hotplug-status [$(xenstore-read "/local/domain/0/backend/vif/$id/0/hotplug-status" 2>&1)]"
done >"$O/hotplug-status.out"
losetup -a >"$O/losetup.out" 2>&1
brctl show >"$O/brctl-show.out" 2>&1
run xl-destroy-xlnet xl destroy xlnet

# --- xmlin: reboot -w, reboot, shutdown -w, with xl as the witness --------
# both_connected ID: its vbd and its vif in xenbus state 4 at both ends
both_connected() { xs_connected "$1" vbd 51712 && xs_connected "$1" vif 0; }
log=$(clog xmlin)
id0=$(xl_now xmlin 2)
ups=$(count_in "$log" '^DOMU-UP')
xvm_cmd xm-reboot-w-xmlin "xm reboot -w xmlin" xm reboot -w xmlin
witness xm-reboot-w-xmlin-w "after xm reboot -w xmlin: xl list shows it with an id other than $id0" 5 xl_newid xmlin "${id0:-none}"
boot_seen xmlin 90 "$ups"
tap $? "after xm reboot -w xmlin: it boots again (a new DOMU-UP on its console)"
id1=$(xl_now xmlin 2)
# both at once: the guest says DOMU-UP before its devices are all up
[ -n "$id1" ] && wait_until 60 both_connected "$id1"
tap $? "after xm reboot -w xmlin: its vbd and vif connected again (state 4 at both ends: $(xs_states "${id1:-none}" vbd 51712), $(xs_states "${id1:-none}" vif 0))"
ups=$(count_in "$log" '^DOMU-UP')
xvm_cmd xm-reboot-xmlin "xm reboot xmlin (no -w)" xm reboot xmlin
# only xl looks now: the domain's monitor process (as xl's) restarts it
witness xm-reboot-xmlin-w "after xm reboot xmlin, with no xvm command since: xl list shows it running with an id other than $id1" 60 xl_newid xmlin "${id1:-none}"
booted=1
boot_seen xmlin 90 "$ups" && booted=0
tap $booted "after xm reboot xmlin: it boots again (a new DOMU-UP on its console), restarted by its monitor"
id2=$(xl_now xmlin 2)
[ -n "$id2" ] && wait_until 60 both_connected "$id2"
tap $? "after xm reboot xmlin: its vbd and vif connected again (state 4 at both ends: $(xs_states "${id2:-none}" vbd 51712), $(xs_states "${id2:-none}" vif 0))"
xl list >"$O/xl-list-after-reboot-xmlin.out" 2>&1
offs=$(count_in "$log" DOMU-GOT-POWEROFF)
t=$(up)
if xvm_cmd xm-shutdown-w-xmlin "xm shutdown -w xmlin" xm shutdown -w xmlin; then
	xl list >"$O/xm-shutdown-w-xmlin.xl-list" 2>&1
	! grep -q "^xmlin " "$O/xm-shutdown-w-xmlin.xl-list"
	tap $? "xm shutdown -w xmlin returned after $(sub "$(up)" "$t") s and xl list no longer shows it" "$O/xm-shutdown-w-xmlin.xl-list"
fi
wait_until 10 more_than "$log" DOMU-GOT-POWEROFF "$offs"
tap $? "after xm shutdown -w xmlin: the guest powered off (DOMU-GOT-POWEROFF on its console)"
xl destroy xmlin >/dev/null 2>&1

# --- destroy ------------------------------------------------------------------
for d in vlin xmtg; do
	xvm_cmd "xm-destroy-$d" "xm destroy $d" xm destroy "$d" &&
	    witness "xm-destroy-$d-w" "after xm destroy $d: xl list no longer shows it" 5 xl_gone "$d"
done
xvm_cmd virsh-destroy-vtg "virsh destroy vtg" virsh -c "$VC" destroy vtg &&
    witness virsh-destroy-vtg-w "after virsh destroy vtg: xl list no longer shows it" 5 xl_gone vtg
xvm_cmd virsh-undefine-vtg "virsh undefine vtg" virsh -c "$VC" undefine vtg
# the vbds' loop devices, once every domain is gone
wait_until 10 sh -c '[ -z "$(losetup -a)" ]'
losetup -a >"$O/losetup-end.out" 2>&1
tap $? "no loop device left behind once the domains are gone" "$O/losetup-end.out"
rm -f /root/d-*.img

# --- an HVM guest on a host without hardware-assisted paging ------------------
# Xen under QEMU's emulation offers HVM (QEMU emulates SVM) but neither
# HAP nor shadow paging (Debian builds Xen without shadow): xm must say so
# from physinfo before it makes anything
cat >/root/hvm1.cfg <<EOF2
name = "hvm1"
type = "hvm"
memory = 64
disk = ['file:/root/d-hvm1.img,hda,w']
boot = "c"
EOF2
dd if=/dev/zero of=/root/d-hvm1.img bs=1M count=0 seek=8 2>/dev/null
xl info >"$O/xl-info-virt-caps.out" 2>&1
caps=$(awk -F': ' '$1 ~ /^virt_caps/ { print $2 }' "$O/xl-info-virt-caps.out")
case " $caps " in
*" hap "*|*" shadow "*) want="" ;;	# a host that can: nothing to check
*) want="this host cannot run HVM guests: Xen offers neither hardware-assisted paging (HAP) nor shadow paging" ;;
esac
run xm-create-hvm1 xm create /root/hvm1.cfg
rc=$?
{ echo "xl info virt_caps: $caps"; echo "exit $rc"; cat "$O/xm-create-hvm1.err"; } >"$O/xm-create-hvm1.diff"
if [ -n "$want" ]; then
	[ $rc -eq 1 ] && grep -qF "$want" "$O/xm-create-hvm1.err" && xl_gone hvm1
	tap $? "xm create of an HVM guest here (virt_caps: $caps): refused from physinfo, nothing made" "$O/xm-create-hvm1.diff"
else
	xl destroy hvm1 >/dev/null 2>&1
	tap 0 "xm create of an HVM guest: this host has HAP or shadow paging ($caps); not a refusal to check # SKIP"
fi
rm -f /root/d-hvm1.img

#!/bin/sh
# dom0-test.sh - runs inside the test bed's dom0 (tests/xen/run.sh puts it
# at /xvm/dom0-test.sh): xvm's tools and Xen's own xl side by side on the
# same hypervisor, in the same run.  xl creates a PV domU (Debian's kernel,
# the bed's small initramfs, 128 MB, 2 vcpus); then what xm and virsh show
# for it and for the host is compared with what xl shows, field by field.
# Then the parts, each in a shell of its own, bounded, so that one that
# fails or hangs does not stop the others:
#   t-control.sh  xm/virsh control operations on that xl-made domain
#   t-create.sh   domains xm and virsh create: console, devices, lifecycle
#   t-save.sh     save/restore (both ways with xl), dump-core, migrate
#   t-trace.sh    XVM_TRACE=1 xm create: real Xen vs the simulated host
# and at the end, nothing is left.
#
#   dom0-test.sh RESULTS_DIR
#
# TAP on stdout and in RESULTS_DIR/tap.txt (a failed check is followed by
# "# " lines saying what differed); lib.sh says where the outputs go.
set -u
R=${1:-/results}
export R
here=$(dirname "$0")
. "$here/lib.sh"
: >"$TAP"

# --- the domain xl creates ------------------------------------------------
cat >"$CFG" <<EOF
name = "$DOM"
kernel = "/guest/vmlinux.gz"
ramdisk = "/guest/domu.cpio"
extra = "console=hvc0 rdinit=/init"
memory = 128
vcpus = 2
on_crash = "preserve"
EOF
t=$(up)
run xl-create xl create "$CFG"
rc=$?
[ $rc -eq 0 ] || failed_cmd xl-create
tap $rc "xl create $DOM (128 MB, 2 vcpus): returned in $(sub "$(up)" "$t") s" "$O/xl-create.diff"

clog=/var/log/xen/console/guest-$DOM.log
i=0
while ! grep -q '^DOMU-UP' "$clog" 2>/dev/null; do
	i=$((i + 1))
	[ $i -gt 900 ] && break
	sleep 0.1
done
if grep -q '^DOMU-UP' "$clog" 2>/dev/null; then
	tap 0 "$DOM's console marker after $(sub "$(up)" "$t") s: $(grep -m1 '^DOMU-UP' "$clog" | tr -d '\r')"
else
	tail -n 20 "$clog" >"$O/console.diff" 2>&1
	tap 1 "$DOM's console marker within 90 s" "$O/console.diff"
fi
run xl-list-v xl list -v
# the hypercalls and xenstore requests behind `xm list`, for the record
trace xm-list-record xm list "$DOM"
domid=$(xl_field "$O/xl-list-v.out" "$DOM" 2)

# --- xm list / xl list ----------------------------------------------------
diff=$O/xm-list.diff
try_list() {
	t=$(up)
	run xl-list xl list
	run xm-list xm list || { failed_cmd xm-list; return 1; }
	cmp_list "$O/xl-list.out" "$O/xm-list.out" "$(sub "$(up)" "$t")" >"$diff"
}
retry3 try_list
rc=$?
[ $rc -eq 0 ] || trace xm-list xm list
tap $rc "xm list = xl list (name, id, mem, vcpus, state but r/b; cpu time)" "$diff"

diff=$O/xm-list-dom.diff
try_list_dom() {
	t=$(up)
	run xl-list-dom xl list "$DOM"
	run xm-list-dom xm list "$DOM" || { failed_cmd xm-list-dom; return 1; }
	cmp_list "$O/xl-list-dom.out" "$O/xm-list-dom.out" "$(sub "$(up)" "$t")" >"$diff"
}
retry3 try_list_dom
rc=$?
[ $rc -eq 0 ] || trace xm-list-dom xm list "$DOM"
tap $rc "xm list $DOM = xl list $DOM" "$diff"

# --- xm info / xl info ----------------------------------------------------
diff=$O/xm-info.diff
try_info() {
	run xl-info xl info
	run xm-info xm info || { failed_cmd xm-info; return 1; }
	cmp_info "$O/xl-info.out" "$O/xm-info.out" >"$diff"
}
retry3 try_info
rc=$?
[ $rc -eq 0 ] || trace xm-info xm info
tap $rc "xm info = xl info (every field; free_memory within 1 MB)" "$diff"

# --- xm vcpu-list / xl vcpu-list -----------------------------------------
diff=$O/xm-vcpu-list.diff
try_vcpus() {
	t=$(up)
	run xl-vcpu-list xl vcpu-list
	run xm-vcpu-list xm vcpu-list || { failed_cmd xm-vcpu-list; return 1; }
	cmp_vcpus "$O/xl-vcpu-list.out" "$O/xm-vcpu-list.out" "$(sub "$(up)" "$t")" >"$diff"
}
retry3 try_vcpus
rc=$?
[ $rc -eq 0 ] || trace xm-vcpu-list xm vcpu-list
tap $rc "xm vcpu-list = xl vcpu-list (id, paused, affinity; cpu time)" "$diff"

# --- xm sched-credit / xl sched-credit -----------------------------------
diff=$O/xm-sched-credit.diff
try_sched() {
	run xl-sched-credit xl sched-credit
	run xm-sched-credit xm sched-credit || { failed_cmd xm-sched-credit; return 1; }
	cmp_text "$O/xl-sched-credit.out" "$O/xm-sched-credit.out" >"$diff"
}
retry3 try_sched
rc=$?
[ $rc -eq 0 ] || trace xm-sched-credit xm sched-credit
tap $rc "xm sched-credit = xl sched-credit (pool line, weight, cap)" "$diff"

diff=$O/xm-sched-credit-d.diff
try_sched_d() {
	run xl-sched-credit-d xl sched-credit -d "$DOM"
	run xm-sched-credit-d xm sched-credit -d "$DOM" || { failed_cmd xm-sched-credit-d; return 1; }
	cmp_text "$O/xl-sched-credit-d.out" "$O/xm-sched-credit-d.out" >"$diff"
}
retry3 try_sched_d
rc=$?
[ $rc -eq 0 ] || trace xm-sched-credit-d xm sched-credit -d "$DOM"
tap $rc "xm sched-credit -d $DOM = xl sched-credit -d $DOM" "$diff"

# --- xm uptime / xl uptime -----------------------------------------------
diff=$O/xm-uptime.diff
try_uptime() {
	t=$(up)
	run xl-uptime xl uptime
	run xm-uptime xm uptime || { failed_cmd xm-uptime; return 1; }
	cmp_uptime "$O/xl-uptime.out" "$O/xm-uptime.out" "$(sub "$(up)" "$t")" >"$diff"
}
retry3 try_uptime
rc=$?
[ $rc -eq 0 ] || trace xm-uptime xm uptime
tap $rc "xm uptime = xl uptime (id, uptime within 1 s)" "$diff"

# --- xm domid, domname / xl ----------------------------------------------
diff=$O/xm-domid.diff
run xl-domid xl domid "$DOM"
run xl-domname xl domname "$domid"
: >"$diff"
if run xm-domid xm domid "$DOM"; then
	cmp_text "$O/xl-domid.out" "$O/xm-domid.out" >>"$diff"
else
	failed_cmd xm-domid
	cat "$O/xm-domid.diff" >>"$diff"
	trace xm-domid xm domid "$DOM"
fi
if run xm-domname xm domname "$domid"; then
	cmp_text "$O/xl-domname.out" "$O/xm-domname.out" >>"$diff"
else
	failed_cmd xm-domname
	cat "$O/xm-domname.diff" >>"$diff"
	trace xm-domname xm domname "$domid"
fi
[ ! -s "$diff" ]
tap $? "xm domid $DOM, xm domname $domid = xl domid, xl domname" "$diff"

# --- xm dmesg / xl dmesg: Xen's console ring; what xl read first is
# where xm's begins (later lines may have come since) ----------------------
diff=$O/xm-dmesg.diff
try_dmesg() {
	run xl-dmesg xl dmesg
	run xm-dmesg xm dmesg || { failed_cmd xm-dmesg; return 1; }
	if [ -s "$O/xl-dmesg.out" ] &&
	    cmp -s -n "$(wc -c <"$O/xl-dmesg.out")" "$O/xl-dmesg.out" "$O/xm-dmesg.out"; then
		: >"$diff"
	else
		cmp_text "$O/xl-dmesg.out" "$O/xm-dmesg.out" >"$diff"
		return 1
	fi
}
retry3 try_dmesg
rc=$?
[ $rc -eq 0 ] || trace xm-dmesg xm dmesg
tap $rc "xm dmesg = xl dmesg (Xen's console ring)" "$diff"

# --- virsh list / xl list -------------------------------------------------
VC=xen:///system
diff=$O/virsh-list.diff
try_vlist() {
	run xl-list-2 xl list
	run virsh-list virsh -c "$VC" list || { failed_cmd virsh-list; return 1; }
	# virsh: " Id   Name   State", a rule, the domains, a blank line
	awk 'FNR == 1 && FILENAME == ARGV[1] { next }
	FILENAME == ARGV[1] { xs[$2] = $1; next }
	FNR <= 2 || NF == 0 { next }
	{ st = $3; for (i = 4; i <= NF; i++) st = st " " $i; seen[$1] = 1
	  if ($1 in xs) print $1, $2, st; else print "MISSING-IN-XL " $1 }
	END { for (id in xs) if (!(id in seen)) print "MISSING-IN-VIRSH " id " " xs[id] }' \
	    "$O/xl-list-2.out" "$O/virsh-list.out" >"$O/virsh-list.parsed"
	: >"$diff"
	while read -r id name st; do
		case $id in
		MISSING-IN-XL) echo "virsh lists id $name, xl does not" >>"$diff" ;;
		MISSING-IN-VIRSH) echo "virsh does not list $name (id $st)" >>"$diff" ;;
		*)
			xn=$(awk -v i="$id" 'NR > 1 && $2 == i { print $1 }' "$O/xl-list-2.out")
			xst=$(awk -v i="$id" 'NR > 1 && $2 == i { print $5 }' "$O/xl-list-2.out")
			[ "$xn" = "$name" ] || echo "id $id: xl names it [$xn], virsh [$name]" >>"$diff"
			state_ok "$xst" "$st" || echo "id $id: xl state $xst, virsh [$st]" >>"$diff"
			;;
		esac
	done <"$O/virsh-list.parsed"
	[ ! -s "$diff" ]
}
retry3 try_vlist
rc=$?
[ $rc -eq 0 ] || trace virsh-list virsh -c "$VC" list
tap $rc "virsh list = xl list (id, name, state)" "$diff"

# --- virsh dominfo / xl list, xenstore, Xen's own domain dump -------------
# Max memory: libvirt shows Xen's max_pages (libxl_dominfo.max_memkb);
# xl prints it nowhere, Xen's 'q' debug key dumps it into xl dmesg
run xl-debug-keys-q sh -c 'xl debug-keys q && xl dmesg'
maxpages() {
	awk -v d="$1" '
	$0 ~ "General information for domain " d ":" { on = 1; next }
	on && /max_pages=/ { s = $0; sub(/.*max_pages=/, "", s); sub(/[^0-9].*/, "", s); v = s; on = 0 }
	END { print v }' "$O/xl-debug-keys-q.out"
}
dominfo_check() { # NAME ID TAG
	_d=$1 _id=$2 _tag=$3
	diff=$O/virsh-dominfo-$_tag.diff
	t=$(up)
	run "xl-list-v-$_tag" xl list -v "$_d"
	run "virsh-dominfo-$_tag" virsh -c "$VC" dominfo "$_d" || { failed_cmd "virsh-dominfo-$_tag"; return 1; }
	dt=$(sub "$(up)" "$t")
	f=$O/virsh-dominfo-$_tag.out
	x=$O/xl-list-v-$_tag.out
	: >"$diff"
	chk() { [ "$2" = "$3" ] || echo "$1: expected [$3] (xl), virsh [$2]" >>"$diff"; }
	chk Id "$(kv "$f" Id)" "$(xl_field "$x" "$_d" 2)"
	chk Name "$(kv "$f" Name)" "$_d"
	chk UUID "$(kv "$f" UUID)" "$(xl_field "$x" "$_d" 7)"
	chk "CPU(s)" "$(kv "$f" 'CPU(s)')" "$(xl_field "$x" "$_d" 4)"
	xst=$(xl_field "$x" "$_d" 5)
	state_ok "$xst" "$(kv "$f" State)" ||
	    echo "State: xl $xst, virsh [$(kv "$f" State)]" >>"$diff"
	ct=$(kv "$f" 'CPU time' | tr -d s)
	xt=$(xl_field "$x" "$_d" 6)
	echo "$ct $xt $dt $(xl_field "$x" "$_d" 4)" | awk '{ d = $1 - $2; if (d < 0) d = -d
	    if ($1 == "" || d > $3 * $4 + 0.11) exit 1 }' ||
	    echo "CPU time: xl ${xt}s, virsh [$(kv "$f" 'CPU time')] (allowed $dt s x vcpus)" >>"$diff"
	used=$(kv "$f" 'Used memory' | sed 's/ KiB$//')
	xm=$(xl_field "$x" "$_d" 3)
	[ -n "$used" ] && [ $((used / 1024)) -eq "$xm" ] 2>/dev/null ||
	    echo "Used memory: xl ${xm} MiB, virsh [$(kv "$f" 'Used memory')]" >>"$diff"
	mp=$(maxpages "$_id")
	smax=$(xenstore-read "/local/domain/$_id/memory/static-max" 2>/dev/null)
	maxm=$(kv "$f" 'Max memory' | sed 's/ KiB$//')
	[ -n "$mp" ] && [ "$maxm" = "$((mp * 4))" ] ||
	    echo "Max memory: Xen max_pages=$mp ($((${mp:-0} * 4)) KiB; xenstore static-max $smax KiB), virsh [$(kv "$f" 'Max memory')]" >>"$diff"
	[ ! -s "$diff" ]
}
try_dominfo_domu() { dominfo_check "$DOM" "$domid" domu; }
retry3 try_dominfo_domu
rc=$?
[ $rc -eq 0 ] || trace virsh-dominfo-domu virsh -c "$VC" dominfo "$DOM"
tap $rc "virsh dominfo $DOM = xl (id, name, uuid, state, vcpus, cpu time, used/max memory)" "$diff"
try_dominfo_dom0() { dominfo_check Domain-0 0 dom0; }
retry3 try_dominfo_dom0
rc=$?
[ $rc -eq 0 ] || trace virsh-dominfo-dom0 virsh -c "$VC" dominfo Domain-0
tap $rc "virsh dominfo Domain-0 = xl (id, name, uuid, state, vcpus, cpu time, used/max memory)" "$diff"

# --- virsh domid, domname, domuuid, domstate, vcpucount / xl -------------
diff=$O/virsh-domid.diff
try_domids() {
	run xl-list-v-ids xl list -v "$DOM"
	x=$O/xl-list-v-ids.out
	: >"$diff"
	for c in "domid $DOM:$(xl_field "$x" "$DOM" 2)" "domname $domid:$DOM" \
	    "domuuid $DOM:$(xl_field "$x" "$DOM" 7)" "domstate $DOM:$(xl_field "$x" "$DOM" 5)"; do
		cmd=${c%%:*} want=${c#*:}
		tag=virsh-$(echo "$cmd" | cut -d' ' -f1)
		# shellcheck disable=SC2086
		if ! run "$tag" virsh -c "$VC" $cmd; then
			failed_cmd "$tag"
			cat "$O/$tag.diff" >>"$diff"
			continue
		fi
		got=$(sed -n 1p "$O/$tag.out")
		case $cmd in
		domstate*) state_ok "$want" "$got" ||
		    echo "virsh $cmd: [$got], xl state $want" >>"$diff" ;;
		*) [ "$got" = "$want" ] ||
		    echo "virsh $cmd: [$got], xl [$want]" >>"$diff" ;;
		esac
	done
	[ ! -s "$diff" ]
}
retry3 try_domids
rc=$?
[ $rc -eq 0 ] || trace virsh-domid virsh -c "$VC" domid "$DOM"
tap $rc "virsh domid, domname, domuuid, domstate = xl list -v" "$diff"

# the table's live rows, and --live alone (one number, as libvirt's virsh
# prints when a flag is given): maximum, the vcpus xenstore has for the
# domain; current, xl's VCPUs
diff=$O/virsh-vcpucount.diff
run virsh-vcpucount virsh -c "$VC" vcpucount "$DOM"
rc=$?
run virsh-vcpucount-live virsh -c "$VC" vcpucount "$DOM" --live
rc2=$?
if [ $rc -ne 0 ] || [ $rc2 -ne 0 ]; then
	[ $rc -eq 0 ] || failed_cmd virsh-vcpucount
	[ $rc2 -eq 0 ] || { failed_cmd virsh-vcpucount-live
		cat "$O/virsh-vcpucount-live.diff" >>"$O/virsh-vcpucount.diff"; }
	rc=1
else
	run xl-list-vc xl list "$DOM"
	run xs-cpus xenstore-list "/local/domain/$domid/cpu"
	awk -v max="$(grep -c . "$O/xs-cpus.out")" -v cur="$(xl_field "$O/xl-list-vc.out" "$DOM" 4)" '
	FILENAME == ARGV[1] && $1 == "maximum" && $2 == "live" { m = $3 }
	FILENAME == ARGV[1] && $1 == "current" && $2 == "live" { c = $3 }
	FILENAME == ARGV[2] && NF { l = $0 }
	END {
		if (m != max) print "maximum live: virsh [" m "], xenstore has " max " vcpus"
		if (c != cur) print "current live: virsh [" c "], xl list VCPUs " cur
		if (l != cur) print "vcpucount --live: virsh [" l "], xl list VCPUs " cur
	}' "$O/virsh-vcpucount.out" "$O/virsh-vcpucount-live.out" >"$diff"
	[ ! -s "$diff" ]
	rc=$?
fi
[ $rc -eq 0 ] || trace virsh-vcpucount virsh -c "$VC" vcpucount "$DOM"
tap $rc "virsh vcpucount $DOM (live rows; --live) = xl (current) and xenstore (maximum)" "$diff"

# --- virsh freecell, version / xl info ------------------------------------
diff=$O/virsh-freecell.diff
try_freecell() {
	run xl-info-2 xl info
	run virsh-freecell virsh -c "$VC" freecell || { failed_cmd virsh-freecell; return 1; }
	free=$(awk -F': ' '$1 ~ /^free_memory/ { print $2 }' "$O/xl-info-2.out")
	awk -v free="$free" '/^Total:/ { k = $2 }
	END { d = int(k / 1024) - free; if (k == "" || d > 1 || d < -1) {
		print "virsh freecell [" k " KiB], xl info free_memory " free " MB"; exit 1 } }' \
	    "$O/virsh-freecell.out" >"$diff"
}
retry3 try_freecell
rc=$?
[ $rc -eq 0 ] || trace virsh-freecell virsh -c "$VC" freecell
tap $rc "virsh freecell = xl info free_memory (within 1 MB)" "$diff"

diff=$O/virsh-version.diff
run virsh-version virsh -c "$VC" version
rc=$?
if [ $rc -ne 0 ]; then
	failed_cmd virsh-version
else
	# libvirt: major.minor.N, N the number in xen_extra (".7" -> 7)
	want=$(awk -F': ' '$1 ~ /^xen_major/ { a = $2 } $1 ~ /^xen_minor/ { b = $2 }
	    $1 ~ /^xen_extra/ { c = $2; sub(/^[^0-9]*/, "", c); sub(/[^0-9].*/, "", c) }
	    END { print "Xen " a "." b "." (c == "" ? 0 : c) }' "$O/xl-info.out")
	got=$(sed -n 's/^Running hypervisor: //p' "$O/virsh-version.out")
	[ "$got" = "$want" ] ||
	    echo "Running hypervisor: virsh [$got], from xl info [$want]" >"$diff"
	[ "$got" = "$want" ]
	rc=$?
fi
[ $rc -eq 0 ] || trace virsh-version virsh -c "$VC" version
tap $rc "virsh version: the running hypervisor = xl info's xen_version" "$diff"

# --- virsh nodeinfo / xl info ---------------------------------------------
diff=$O/virsh-nodeinfo.diff
run virsh-nodeinfo virsh -c "$VC" nodeinfo
rc=$?
if [ $rc -ne 0 ]; then
	failed_cmd virsh-nodeinfo
else
	i=$O/xl-info.out
	f=$O/virsh-nodeinfo.out
	xi() { awk -v k="$1" '{ i = index($0, ":"); kk = substr($0, 1, i - 1); sub(/ +$/, "", kk)
	    if (kk == k) { v = substr($0, i + 1); sub(/^ +/, "", v); print v } }' "$i"; }
	: >"$diff"
	chk() { [ "$2" = "$3" ] || echo "$1: expected [$3] (xl info), virsh [$2]" >>"$diff"; }
	ncpu=$(xi nr_cpus) cps=$(xi cores_per_socket) tpc=$(xi threads_per_core) nodes=$(xi nr_nodes)
	chk "CPU model" "$(kv "$f" 'CPU model')" "$(xi machine)"
	chk "CPU(s)" "$(kv "$f" 'CPU(s)')" "$ncpu"
	chk "CPU frequency" "$(kv "$f" 'CPU frequency')" "$(xi cpu_mhz | cut -d. -f1) MHz"
	chk "CPU socket(s)" "$(kv "$f" 'CPU socket(s)')" "$((ncpu / (cps * tpc * nodes)))"
	chk "Core(s) per socket" "$(kv "$f" 'Core(s) per socket')" "$cps"
	chk "Thread(s) per core" "$(kv "$f" 'Thread(s) per core')" "$tpc"
	chk "NUMA cell(s)" "$(kv "$f" 'NUMA cell(s)')" "$nodes"
	ms=$(kv "$f" 'Memory size' | sed 's/ KiB$//')
	[ -n "$ms" ] && [ $((ms / 1024)) -eq "$(xi total_memory)" ] 2>/dev/null ||
	    echo "Memory size: xl info total_memory $(xi total_memory) MB, virsh [$(kv "$f" 'Memory size')]" >>"$diff"
	[ ! -s "$diff" ]
	rc=$?
fi
[ $rc -eq 0 ] || trace virsh-nodeinfo virsh -c "$VC" nodeinfo
tap $rc "virsh nodeinfo = xl info (model, cpus, MHz, topology, cells, memory)" "$diff"

# --- virsh vcpuinfo / xl vcpu-list ----------------------------------------
diff=$O/virsh-vcpuinfo.diff
try_vcpuinfo() {
	t=$(up)
	run xl-vcpu-list-dom xl vcpu-list "$DOM"
	run virsh-vcpuinfo virsh -c "$VC" vcpuinfo "$DOM" || { failed_cmd virsh-vcpuinfo; return 1; }
	dt=$(sub "$(up)" "$t")
	ncpu=$(awk -F': ' '$1 ~ /^nr_cpus/ { print $2 }' "$O/xl-info.out")
	awk -v dt="$dt" -v ncpu="$ncpu" '
	function abs(x) { return x < 0 ? -x : x }
	FILENAME == ARGV[1] { if (FNR == 1) next
		v = $3; xc[v] = $4; xs[v] = $5; xt[v] = $6
		aff = $0; sub(/^ *([^ ]+ +){6}/, "", aff); xa[v] = aff; nv++; next }
	/^VCPU:/ { v = $2; seen[v] = 1 }
	/^CPU:/ { vc[v] = $2 }
	/^State:/ { s = $0; sub(/^State: */, "", s); vs[v] = s }
	/^CPU time:/ { t = $3; sub(/s$/, "", t); vt[v] = t }
	/^CPU Affinity:/ { va[v] = $3 }
	END {
		bad = 0
		all = ""; for (i = 0; i < ncpu; i++) all = all "y"
		for (v in xc) {
			if (!(v in seen)) { print "virsh shows no VCPU " v; bad = 1; continue }
			# running or blocked, and the CPU, change from one moment
			# to the next: any CPU there is, either word, for a vcpu up
			if (xs[v] ~ /p/ ? vs[v] != "offline" : vs[v] != "running" && vs[v] != "blocked") {
				print "VCPU " v " State: xl " xs[v] ", virsh [" vs[v] "]"; bad = 1 }
			if (xs[v] !~ /p/ && !(vc[v] ~ /^[0-9]+$/ && vc[v] < ncpu)) {
				print "VCPU " v " CPU: xl " xc[v] ", virsh [" vc[v] "] (no such CPU)"; bad = 1 }
			if (xs[v] !~ /p/ && abs(vt[v] - xt[v]) > dt + 0.11) {
				print "VCPU " v " CPU time: xl " xt[v] "s, virsh " vt[v] "s (allowed " dt + 0.11 ")"; bad = 1 }
			want = xa[v] ~ /^all \// ? all : "?"
			if (want != "?" && va[v] != want) { print "VCPU " v " CPU Affinity: xl [" xa[v] "], virsh " va[v]; bad = 1 }
		}
		for (v in seen) if (!(v in xc)) { print "virsh shows VCPU " v ", xl does not"; bad = 1 }
		exit bad
	}' "$O/xl-vcpu-list-dom.out" "$O/virsh-vcpuinfo.out" >"$diff"
}
retry3 try_vcpuinfo
rc=$?
[ $rc -eq 0 ] || trace virsh-vcpuinfo virsh -c "$VC" vcpuinfo "$DOM"
tap $rc "virsh vcpuinfo $DOM = xl vcpu-list $DOM (vcpus, state, cpu time, affinity)" "$diff"

# --- virsh schedinfo / xl sched-credit ------------------------------------
diff=$O/virsh-schedinfo.diff
run xl-sched-credit-d2 xl sched-credit -d "$DOM"
run virsh-schedinfo virsh -c "$VC" schedinfo "$DOM"
rc=$?
if [ $rc -ne 0 ]; then
	failed_cmd virsh-schedinfo
else
	f=$O/virsh-schedinfo.out
	w=$(awk -v d="$DOM" '$1 == d { print $3 }' "$O/xl-sched-credit-d2.out")
	c=$(awk -v d="$DOM" '$1 == d { print $4 }' "$O/xl-sched-credit-d2.out")
	sv() { awk -v k="$1" '{ kk = $0; sub(/ *:.*/, "", kk); if (kk == k) { v = $0; sub(/^[^:]*: */, "", v); print v } }' "$f"; }
	: >"$diff"
	[ "$(sv Scheduler)" = credit ] || echo "Scheduler: xl credit, virsh [$(sv Scheduler)]" >>"$diff"
	[ "$(sv weight)" = "$w" ] || echo "weight: xl $w, virsh [$(sv weight)]" >>"$diff"
	[ "$(sv cap)" = "$c" ] || echo "cap: xl $c, virsh [$(sv cap)]" >>"$diff"
	[ ! -s "$diff" ]
	rc=$?
fi
[ $rc -eq 0 ] || trace virsh-schedinfo virsh -c "$VC" schedinfo "$DOM"
tap $rc "virsh schedinfo $DOM = xl sched-credit -d $DOM (scheduler, weight, cap)" "$diff"

# --- the domU paused by xl: nothing moves, so byte for byte ---------------
run xl-pause xl pause "$DOM"
rc=$?
[ $rc -eq 0 ] || failed_cmd xl-pause
tap $rc "xl pause $DOM" "$O/xl-pause.diff"

diff=$O/xm-list-paused.diff
try_list_paused() {
	run xl-list-paused xl list "$DOM"
	run xm-list-paused xm list "$DOM" || { failed_cmd xm-list-paused; return 1; }
	cmp_text "$O/xl-list-paused.out" "$O/xm-list-paused.out" >"$diff"
}
retry3 try_list_paused
rc=$?
[ $rc -eq 0 ] || trace xm-list-paused xm list "$DOM"
tap $rc "paused: xm list $DOM = xl list $DOM, byte for byte" "$diff"

diff=$O/xm-vcpu-list-paused.diff
try_vcpus_paused() {
	run xl-vcpu-list-paused xl vcpu-list "$DOM"
	run xm-vcpu-list-paused xm vcpu-list "$DOM" || { failed_cmd xm-vcpu-list-paused; return 1; }
	cmp_text "$O/xl-vcpu-list-paused.out" "$O/xm-vcpu-list-paused.out" >"$diff"
}
retry3 try_vcpus_paused
rc=$?
[ $rc -eq 0 ] || trace xm-vcpu-list-paused xm vcpu-list "$DOM"
tap $rc "paused: xm vcpu-list $DOM = xl vcpu-list $DOM, byte for byte" "$diff"

diff=$O/virsh-list.diff
retry3 try_vlist
rc=$?
cp "$O/virsh-list.out" "$O/virsh-list-paused.out" 2>/dev/null
[ $rc -eq 0 ] || trace virsh-list-paused virsh -c "$VC" list
tap $rc "paused: virsh list = xl list (id, name, state)" "$diff"

try_dominfo_paused() { dominfo_check "$DOM" "$domid" paused; }
retry3 try_dominfo_paused
rc=$?
[ $rc -eq 0 ] || trace virsh-dominfo-paused virsh -c "$VC" dominfo "$DOM"
tap $rc "paused: virsh dominfo $DOM = xl (state paused, cpu time, memory)" "$diff"

run xl-unpause xl unpause "$DOM"
rc=$?
[ $rc -eq 0 ] || failed_cmd xl-unpause
tap $rc "xl unpause $DOM" "$O/xl-unpause.diff"

# --- the parts ------------------------------------------------------------
# part SCRIPT SECS: a part in a shell of its own, at most SECS; a part
# that overran, or left domains behind, is a failed check (what it left is
# destroyed, so the next part starts clean)
part() {
	echo "# --- $1" | tee -a "$TAP"
	_t=$(up)
	timeout "$2" sh -c '. "$0/lib.sh"; . "$0/$1"' "$here" "$1"
	_rc=$?
	echo "$_t $(sub "$(up)" "$_t") $_rc part-$1" >>"$R/timeline.txt"
	[ $_rc -ne 124 ] && [ $_rc -ne 143 ]	# GNU timeout, busybox timeout
	tap $? "$1 finished within $2 s (took $(sub "$(up)" "$_t") s)"
	leftovers >"$O/leftovers-$1.diff"
	[ ! -s "$O/leftovers-$1.diff" ]
	tap $? "$1 left no domain behind" "$O/leftovers-$1.diff"
	destroy_all
	rm -f /root/*.sav /root/*.core /root/core* 2>/dev/null
}
part t-control.sh 150
part t-create.sh 400
part t-save.sh 200
part t-trace.sh 40

# --- the end: nothing is left ----------------------------------------------
run xl-list-end xl list
echo "# xl list at the end:" | tee -a "$TAP"
sed 's/^/# /' "$O/xl-list-end.out" | tee -a "$TAP"
awk 'NR > 1' "$O/xl-list-end.out" | grep -v '^Domain-0 ' >"$O/leaked.diff"
[ ! -s "$O/leaked.diff" ]
tap $? "nothing leaked: xl list shows only Domain-0" "$O/leaked.diff"

n=$(grep -cE '^(not )?ok [0-9]+ ' "$TAP")
echo "1..$n" | tee -a "$TAP"
! grep '^not ok ' "$TAP" | grep -qv ' # TODO '

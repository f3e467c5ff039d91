# lib.sh - what the test bed's in-dom0 scripts share (dom0-test.sh and the
# t-*.sh parts it runs, bench-dom0.sh): running a command with its outputs
# kept, TAP lines, and the comparisons of xl's output with xvm's.
#
#   R=RESULTS_DIR; . /xvm/lib.sh
#
# Every command's stdout, stderr and exit status go to
# $R/out/NAME.{cmd,out,err,rc}, when it ran and how long it took to
# $R/timeline.txt; a failed xvm command is run once more with XVM_TRACE=1
# into NAME.trace.  The TAP lines go to stdout and $R/tap.txt; the number
# of a check is counted from that file, so parts run in subshells number
# on from each other.
#
# Figures that move between two calls (CPU times) may differ by at most
# the time between the calls (times the domain's vcpus) plus the rounding
# of one decimal; a comparison of figures that can change from one moment
# to the next (state letters, the CPU a vcpu ran on) is tried three times
# and passes when one try agrees.
O=$R/out
mkdir -p "$O" || exit 1
export PATH=/xvm/bin:/usr/lib/xen-4.17/bin:/bin:/usr/bin
# the libraries our binaries need that dom0 lacks (run.sh copies them)
export LD_LIBRARY_PATH=/xvm/lib
TAP=$R/tap.txt
[ -f "$TAP" ] || : >"$TAP"
DOM=domu1
CFG=/root/$DOM.cfg
VC=xen:///system
# the domU's kernel and initramfs (run.sh builds them), the project's test
# kernel
KERNEL=/guest/vmlinux.gz
RAMDISK=/guest/domu.cpio
TGUEST=/xvm/xvm-test-guest
up() { cut -d' ' -f1 /proc/uptime; }
sub() { echo "$1 $2" | awk '{ printf "%.2f", $1 - $2 }'; }

# run NAME CMD...: CMD bounded by 60 s; its outputs under $O/NAME.*
run() {
	_name=$1
	shift
	echo "$*" >"$O/$_name.cmd"
	_t=$(up)
	timeout 60 "$@" >"$O/$_name.out" 2>"$O/$_name.err"
	_rc=$?
	echo $_rc >"$O/$_name.rc"
	# dom0's uptime, seconds taken, exit status, step
	echo "$_t $(sub "$(up)" "$_t") $_rc $_name" >>"$R/timeline.txt"
	return $_rc
}

# trace NAME CMD...: an xvm command once more with XVM_TRACE=1
trace() {
	_name=$1
	shift
	XVM_TRACE=1 timeout 60 "$@" >"$O/$_name.trace" 2>&1
}

# tap STATUS DESCRIPTION [DETAIL_FILE]
# With TODO set (the reason), a failure is TAP's "not ok ... # TODO":
# a known gap, reported, not counted as a failure.
tap() {
	n=$(($(grep -cE '^(not )?ok [0-9]+ ' "$TAP") + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $n - $2${TODO:+ # TODO $TODO (passes now)}" | tee -a "$TAP"
	else
		echo "not ok $n - $2${TODO:+ # TODO $TODO}" | tee -a "$TAP"
		if [ -n "${3:-}" ] && [ -s "$3" ]; then
			head -n 30 "$3" | sed 's/^/# /' | tee -a "$TAP"
		fi
	fi
}

# failed_cmd NAME: the detail of a command that failed
failed_cmd() {
	{
		echo "\$ $(cat "$O/$1.cmd")  (exit $(cat "$O/$1.rc"))"
		head -n 10 "$O/$1.err"
		head -n 10 "$O/$1.out"
	} >"$O/$1.diff"
}

# retry3 FN: FN (a comparison that writes its findings to $diff) up to
# three times
retry3() {
	for _try in 1 2 3; do
		"$@" && return 0
		cp "$diff" "$diff.try$_try"
	done
	return 1
}

# --- comparisons (awk; xl's output first, xvm's second) -------------------

# cmp_list XL XVM DT: `xl list` vs `xm list`: the header, and per domain
# the same ID, Mem, VCPUs, State; Time(s) within DT*VCPUs+0.11; the line
# laid out the same (up to the time's own width).  Whether a running
# domain's vcpus run or block (r, b) changes from one moment to the next:
# those two letters are not compared (the paused checks compare them).
cmp_list() {
	awk -v dt="$3" '
	function abs(x) { return x < 0 ? -x : x }
	FNR == 1 { h[FILENAME == ARGV[1]] = $0; next }
	FILENAME == ARGV[1] { a[$1] = $0; next }
	{ b[$1] = $0 }
	END {
		bad = 0
		if (h[1] != h[0]) { print "header: xl [" h[1] "] xvm [" h[0] "]"; bad = 1 }
		for (k in a) if (!(k in b)) { print "xvm does not list " k; bad = 1 }
		for (k in b) if (!(k in a)) { print "xvm lists " k ", xl does not"; bad = 1 }
		split("Name ID Mem VCPUs State Time(s)", col, " ")
		for (k in a) {
			if (!(k in b)) continue
			nx = split(a[k], x); ny = split(b[k], y)
			if (nx != ny) { print k ": " nx " columns in xl, " ny " in xvm"; bad = 1 }
			for (i = 2; i <= 4; i++)
				if (x[i] != y[i]) { print k " " col[i] ": xl " x[i] ", xvm " y[i]; bad = 1 }
			sx = "--" substr(x[5], 3); sy = "--" substr(y[5], 3)
			if (length(x[5]) != length(y[5]) || sx != sy) {
				print k " State: xl " x[5] ", xvm " y[5]; bad = 1
			}
			tol = dt * x[4] + 0.11
			if (abs(x[6] - y[6]) > tol) {
				printf "%s Time(s): xl %s, xvm %s (allowed %.2f)\n", k, x[6], y[6], tol; bad = 1
			}
			lx = a[k]; ly = b[k]; sub(/ *[0-9.]+$/, "", lx); sub(/ *[0-9.]+$/, "", ly)
			sub(/[-rb][-rb][-p][-s][-rscwS?][-d] *$/, "", lx); sub(/[-rb][-rb][-p][-s][-rscwS?][-d] *$/, "", ly)
			if (lx != ly && !bad) { print k " layout: xl [" a[k] "] xvm [" b[k] "]"; bad = 1 }
		}
		exit bad
	}' "$1" "$2"
}

# cmp_info XL XVM: `xl info` vs `xm info`, every field xl shows;
# free_memory may differ by 1 (MB rounding)
cmp_info() {
	awk '
	function abs(x) { return x < 0 ? -x : x }
	{
		i = index($0, ":"); if (!i) next
		k = substr($0, 1, i - 1); sub(/ +$/, "", k)
		v = substr($0, i + 1); sub(/^ /, "", v)
		if (FILENAME == ARGV[1]) { a[k] = v; order[++na] = k } else b[k] = v
	}
	END {
		bad = 0
		for (j = 1; j <= na; j++) {
			k = order[j]
			if (!(k in b)) { print k ": xl [" a[k] "], xvm shows no " k; bad = 1; continue }
			if (k == "free_memory" && abs(a[k] - b[k]) <= 1) continue
			if (a[k] != b[k]) { print k ": xl [" a[k] "] xvm [" b[k] "]"; bad = 1 }
		}
		for (k in b) if (!(k in a)) { print k ": xvm [" b[k] "], xl shows no " k; bad = 1 }
		exit bad
	}' "$1" "$2"
}

# cmp_vcpus XL XVM DT [exact]: `xl vcpu-list` vs `xm vcpu-list`: per vcpu
# the same ID, Affinity, paused or not; the CPU a vcpu ran on and whether
# it runs or blocks are a moment's, so only a CPU that exists is asked
# for; Time(s) within DT+0.11.  With "exact" (a paused domain, where
# nothing moves), every column the same.
cmp_vcpus() {
	awk -v dt="$3" -v exact="${4:-}" -v ncpu="$(xi_nr_cpus)" '
	function abs(x) { return x < 0 ? -x : x }
	FNR == 1 { h[FILENAME == ARGV[1]] = $0; next }
	{
		k = $1 "/" $3
		aff = $0; sub(/^ *([^ ]+ +){6}/, "", aff)
		if (exact) { c = $2 " " $4 " " $5 }
		else { c = $2 " " ($5 ~ /p/ ? "paused" : "unpaused"); cpu[FILENAME == ARGV[1], k] = $4 }
		if (FILENAME == ARGV[1]) { a[k] = $0; ac[k] = c; at[k] = $6; aa[k] = aff }
		else { b[k] = $0; bc[k] = c; bt[k] = $6; ba[k] = aff }
	}
	END {
		bad = 0
		if (h[1] != h[0]) { print "header: xl [" h[1] "] xvm [" h[0] "]"; bad = 1 }
		for (k in a) {
			if (!(k in b)) { print "xvm does not list vcpu " k; bad = 1; continue }
			if (ac[k] != bc[k]) {
				print k (exact ? " ID/CPU/State" : " ID/paused") ": xl [" ac[k] "] xvm [" bc[k] "]"; bad = 1
			}
			if (!exact && (cpu[0, k] == "" || (cpu[0, k] != "-" && cpu[0, k] + 0 >= ncpu))) {
				print k " CPU: xl " cpu[1, k] ", xvm [" cpu[0, k] "] (no such CPU)"; bad = 1
			}
			if (exact && at[k] != bt[k]) { print k " Time(s): xl " at[k] ", xvm " bt[k] " (paused)"; bad = 1 }
			if (aa[k] != ba[k]) { print k " Affinity: xl [" aa[k] "] xvm [" ba[k] "]"; bad = 1 }
			if (abs(at[k] - bt[k]) > dt + 0.11) {
				printf "%s Time(s): xl %s, xvm %s (allowed %.2f)\n", k, at[k], bt[k], dt + 0.11; bad = 1
			}
		}
		for (k in b) if (!(k in a)) { print "xvm lists vcpu " k ", xl does not"; bad = 1 }
		exit bad
	}' "$1" "$2"
}

xi_nr_cpus() { awk -F': ' '$1 ~ /^nr_cpus/ { print $2 }' "$O/xl-info.out" 2>/dev/null; }

# cmp_text XL XVM: the same text
cmp_text() {
	diff -u "$1" "$2" | sed -e '1s/^--- .*/--- xl/' -e '2s/^+++ .*/+++ xvm/'
	cmp -s "$1" "$2"
}

# cmp_uptime XL XVM DT: `xl uptime` vs `xm uptime`: the header, per
# domain the same ID, the uptime within DT+1 s
cmp_uptime() {
	awk -v dt="$3" '
	function secs(s,   p, n, d) {
		d = 0
		if (s ~ /day/) { d = s; sub(/ .*/, "", d); sub(/^.*, */, "", s) }
		n = split(s, p, ":")
		return d * 86400 + (n == 3 ? p[1] * 3600 + p[2] * 60 + p[3] : p[1] * 60 + p[2])
	}
	function abs(x) { return x < 0 ? -x : x }
	FNR == 1 { h[FILENAME == ARGV[1]] = $0; next }
	{
		rest = $0; sub(/^ *[^ ]+ +[^ ]+ +/, "", rest)
		if (FILENAME == ARGV[1]) { a[$1] = $2; at[$1] = rest } else { b[$1] = $2; bt[$1] = rest }
	}
	END {
		bad = 0
		if (h[1] != h[0]) { print "header: xl [" h[1] "] xvm [" h[0] "]"; bad = 1 }
		for (k in a) {
			if (!(k in b)) { print "xvm does not list " k; bad = 1; continue }
			if (a[k] != b[k]) { print k " ID: xl " a[k] ", xvm " b[k]; bad = 1 }
			if (abs(secs(at[k]) - secs(bt[k])) > dt + 1) {
				print k " uptime: xl [" at[k] "] xvm [" bt[k] "]"; bad = 1
			}
		}
		for (k in b) if (!(k in a)) { print "xvm lists " k ", xl does not"; bad = 1 }
		exit bad
	}' "$1" "$2"
}

# state_ok XL_STATE VIRSH_STATE: does virsh's word fit xl's letters?
# (r: running; b: blocked, which libvirt's drivers show as running or
# idle; p: paused; s: in shutdown / shut off; c: crashed; d: dying)
state_ok() {
	case $1 in
	*p*) [ "$2" = paused ] ;;
	*c*) [ "$2" = crashed ] ;;
	*s* | *d*) [ "$2" = "in shutdown" ] || [ "$2" = "shut off" ] ;;
	*r*) [ "$2" = running ] ;;
	*b*) [ "$2" = running ] || [ "$2" = idle ] || [ "$2" = blocked ] ;;
	*) [ "$2" = running ] || [ "$2" = idle ] || [ "$2" = "no state" ] ;;
	esac
}

# xl_field FILE DOMAIN COLUMN: a column of an xl list line
xl_field() { awk -v d="$2" -v c="$3" '$1 == d { print $c }' "$1"; }
# kv FILE KEY: the value after "KEY:" in virsh's "Key:   value" output
kv() { awk -v k="$2" 'index($0, k ":") == 1 { v = substr($0, length(k) + 2); sub(/^ +/, "", v); print v; exit }' "$1"; }


# --- helpers of the control, create, save and trace parts -----------------

# wait_until SECS CMD...: CMD until it succeeds, every 0.2 s, at most SECS
wait_until() {
	_end=$(echo "$(up) $1" | awk '{ print $1 + $2 }')
	shift
	until "$@"; do
		awk -v a="$(up)" -v b="$_end" 'BEGIN { exit !(a > b) }' && return 1
		sleep 0.2
	done
}

# xl_now NAME COLUMN: a column of a fresh `xl list NAME` (empty if none)
xl_now() { xl list "$1" 2>/dev/null | awk -v d="$1" -v c="$2" '$1 == d { print $c }'; }
# xl_has NAME, xl_gone NAME: is NAME in xl list (not)?
xl_has() { [ -n "$(xl_now "$1" 2)" ]; }
xl_gone() { ! xl_has "$1"; }
# xl_is NAME COLUMN VALUE: is the column that value now?
xl_is() { [ "$(xl_now "$1" "$2")" = "$3" ]; }
# xl_state_has NAME LETTER, xl_state_lacks NAME LETTER
xl_state_has() { xl_now "$1" 5 | grep -q "$2"; }
xl_state_lacks() { s=$(xl_now "$1" 5); [ -n "$s" ] && ! echo "$s" | grep -q "$2"; }
# xl_newid NAME OLDID: NAME runs with an id other than OLDID
xl_newid() { i=$(xl_now "$1" 2); [ -n "$i" ] && [ "$i" != "$2" ]; }
# xl_moved NAME OLDID: NAME runs under a new id, and nothing else of its
# name (NAME--incoming, NAME--migratedaway) is left
xl_moved() {
	xl_newid "$1" "$2" && xl_state_lacks "$1" p &&
	    [ -z "$(xl list 2>/dev/null | awk -v d="$1" 'index($1, d "--") == 1')" ]
}

# clog NAME: xenconsoled's log of a guest's console
clog() { echo "/var/log/xen/console/guest-$1.log"; }
# count_in FILE REGEX: how many lines match (0 when no file)
count_in() { _c=$(grep -c "$2" "$1" 2>/dev/null); echo "${_c:-0}"; }
# more_than FILE REGEX N: more than N lines match
more_than() { [ "$(count_in "$1" "$2")" -gt "$3" ]; }

# xs_state DOMID KIND DEVID: the frontend's and the backend's xenbus state
xs_states() {
	echo "$(xenstore-read "/local/domain/$1/device/$2/$3/state" 2>/dev/null || echo none)" \
	    "$(xenstore-read "/local/domain/0/backend/$2/$1/$3/state" 2>/dev/null || echo none)"
}
xs_connected() { [ "$(xs_states "$1" "$2" "$3")" = "4 4" ]; }

# xvm_cmd NAME DESCRIPTION CMD...: an xvm command as a check of its own
# exit status (a failed one with its detail and XVM_TRACE=1 output)
xvm_cmd() {
	_n=$1 _d=$2
	shift 2
	run "$_n" "$@"
	_rc=$?
	if [ $_rc -ne 0 ]; then
		failed_cmd "$_n"
		trace "$_n" "$@"
	fi
	tap $_rc "$_d" "$O/$_n.diff"
	return $_rc
}

# witness NAME DESCRIPTION SECS CMD...: what xl shows after an xvm
# command: CMD (an xl_* test) within SECS; the failure's detail is xl list
witness() {
	_n=$1 _d=$2 _s=$3
	shift 3
	wait_until "$_s" "$@"
	_rc=$?
	xl list >"$O/$_n.xl-list" 2>&1
	if [ $_rc -ne 0 ]; then
		{ echo "not seen within $_s s: $*"; echo "xl list:"; cat "$O/$_n.xl-list"; } >"$O/$_n.diff"
	fi
	tap $_rc "$_d" "$O/$_n.diff"
	return $_rc
}

# pv_cfg FILE NAME MEM VCPUS [EXTRA LINES]: an xm/xl config of the bed's
# Linux domU
pv_cfg() {
	_f=$1
	{
		echo "name = \"$2\""
		echo "kernel = \"$KERNEL\""
		echo "ramdisk = \"$RAMDISK\""
		echo 'extra = "console=hvc0 rdinit=/init"'
		echo "memory = $3"
		echo "vcpus = $4"
		shift 4
		for l in "$@"; do echo "$l"; done
	} >"$_f"
}

# boot_seen NAME SECS [N]: the N+1th DOMU-UP in NAME's console log
boot_seen() { wait_until "$2" more_than "$(clog "$1")" '^DOMU-UP' "${3:-0}"; }

# destroy_all: every domain but Domain-0 destroyed (xl), their names said
leftovers() { xl list 2>/dev/null | awk 'NR > 1 && $1 != "Domain-0" { print $1 }'; }
destroy_all() {
	for d in $(leftovers); do
		xl destroy "$d" >/dev/null 2>&1
	done
}

#!/usr/bin/env bats
# xm top: xentop's view of the domains, as frames for scripts (-b) and full
# screen (curses, driven through tmux).

load helper

setup() {
	common_setup
	cd "$BATS_TEST_TMPDIR"
	guest_cfg g.cfg 32
	xm list >/dev/null 2>&1
	export TMUX_TMPDIR=$BATS_TEST_TMPDIR
	SESSION=xvm$$
}

teardown() {
	tmux kill-server 2>/dev/null || true
}

HEADER="      NAME  STATE   CPU(sec) CPU(%)     MEM(k) MEM(%)  MAXMEM(k) MAXMEM(%) VCPUS NETS NETTX(k) NETRX(k) VBDS   VBD_OO   VBD_RD   VBD_WR  VBD_RSECT  VBD_WSECT SSID"

@test "top -b -i 2: two frames, each domain in each" {
	xm create g.cfg >/dev/null
	run_split xm top -b -i 2 -d 0.2
	[ "$status" -eq 0 ]
	[ "$(printf '%s' "$out" | grep -c -x -F -- "$HEADER")" -eq 2 ]
	[ "$(printf '%s' "$out" | wc -l)" -eq 6 ]
	# Domain-0 has no limit; g1 its 32 MiB and the 1 MiB Xen keeps over
	[[ "$(printf '%s' "$out" | sed -n 2p)" =~ ^\ \ Domain-0\ -----r\ +[0-9]+\ +[0-9.]+\ +2097152\ +12\.5\ +no\ limit\ +n/a\ +8\ +0 ]]
	[[ "$(printf '%s' "$out" | sed -n 6p)" =~ ^\ +g1\ --b---\ +[0-9]+\ +[0-9.]+\ +32768\ +0\.2\ +33792\ +0\.2\ +2\ +0 ]]
	# the second frame's CPU(%): 2 vcpus at the simulated guest's 5%
	pct=$(printf '%s' "$out" | sed -n 6p | awk '{ print $4 }')
	awk -v p="$pct" 'BEGIN { exit !(p > 5 && p < 15) }'
	run_split xm top -b -i 1 -d 0
	[ "$status" -eq 1 ]
	[[ "$err" == *"-d 0: a delay is 0.05 to 3600 seconds"* ]]
	run_split xm top -b -i x
	[ "$status" -eq 1 ]
}

@test "full screen: refreshes, sorts, quits with q" {
	command -v tmux >/dev/null || skip "tmux is not installed"
	xm create g.cfg >/dev/null
	tmux new-session -d -s "$SESSION" -x 200 -y 30 \
	    "env XVM_DEFAULT_URI='$XVM_DEFAULT_URI' HOME='$HOME' TERM=screen \
	    xm top -d 1; echo \"[xm exited with code \$?]\"; sleep 30"
	local i
	for i in $(seq 100); do
		tmux capture-pane -p -t "$SESSION" | grep -q "^xentop - " && break
		sleep 0.1
	done
	tmux capture-pane -p -t "$SESSION" | grep -q "^2 domains: 1 running, 1 blocked"
	tmux capture-pane -p -t "$SESSION" | grep -q "^  Domain-0 -----r"
	tmux send-keys -t "$SESSION" s
	for i in $(seq 50); do
		tmux capture-pane -p -t "$SESSION" | grep -q "sorted by STATE" && break
		sleep 0.1
	done
	tmux capture-pane -p -t "$SESSION" | grep -q "sorted by STATE"
	tmux send-keys -t "$SESSION" q
	for i in $(seq 50); do
		tmux capture-pane -p -t "$SESSION" | grep -q "xm exited with code 0" && break
		sleep 0.1
	done
	tmux capture-pane -p -t "$SESSION" | grep -q "xm exited with code 0"
}

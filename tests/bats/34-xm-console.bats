#!/usr/bin/env bats
# xm console: the guest's console ring on a simulated host (the toolstack
# plays xenconsoled's part): its boot lines, what is typed echoed back by
# the simulated guest, Ctrl-] to detach in a real terminal (tmux), and
# scripts that pipe input in.

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

@test "piped input: the boot lines, then the guest's echo; later only what is new" {
	xm create g.cfg extra="quiet" >/dev/null
	run_split bash -c "printf 'hello\r' | xm console g1"
	[ "$status" -eq 0 ]
	[ "$out" = "xvm simulated PV guest: booting on Xen 4.17 (domain 1)"$'\r'"
xvm simulated PV guest: command line: quiet"$'\r'"
xvm simulated PV guest: 32 MiB, 2 vcpus, xenstore port 1, console port 2"$'\r'"
hello"$'\r'"
" ]
	run_split bash -c "printf 'again\n' | xm console 1"
	[ "$out" = "again"$'\r'"
" ]
	# attached, it ends with the domain (quietly), long before its input
	# does
	xm console g1 < <(sleep 20) > attached.out 2> attached.err &
	local pid=$! rc=0
	sleep 0.5
	xm shutdown -w g1 >/dev/null
	local i
	for i in $(seq 50); do
		jobs -r | grep -q . || break
		sleep 0.1
	done
	[ -z "$(jobs -r)" ]
	wait "$pid" || rc=$?
	[ "$rc" -eq 0 ]
	[ ! -s attached.err ]
}

@test "create -c and start -c attach the console at once" {
	run_split bash -c "printf 'up?\r' | xm create -c g.cfg"
	[ "$status" -eq 0 ]
	[[ "$out" == "Using config file \"g.cfg\"."$'\n'"Started domain g1 (id=1)"$'\n'"xvm simulated PV guest: booting on Xen 4.17 (domain 1)"* ]]
	[[ "$out" == *"up?"$'\r\n' ]]
	xm destroy g1
	xm new g.cfg
	run_split bash -c "printf 'x\r' | xm start -c g1"
	[ "$status" -eq 0 ]
	[[ "$out" == "xvm simulated PV guest: booting on Xen 4.17 (domain 2)"* ]]
}

@test "what it refuses" {
	run_split xm console nosuch
	[ "$status" -eq 1 ]
	[ "${err%$'\n'}" = "Error: Domain 'nosuch' does not exist." ]
	run_split xm console 0
	[ "$status" -eq 1 ]
	[[ "$err" == *"Domain-0's console is this host's own"* ]]
	# a domain without a console (made by a toolstack that gave it none)
	"$XVM_TOP/build/tests/mkdom" bare 16 1 >/dev/null
	run_split xm console bare </dev/null
	[ "$status" -eq 1 ]
	[[ "$err" == *"has no console"* ]]
}

@test "in a terminal: typed keys are echoed, Ctrl-] detaches" {
	command -v tmux >/dev/null || skip "tmux is not installed"
	xm create g.cfg >/dev/null
	tmux new-session -d -s "$SESSION" -x 100 -y 30 \
	    "env XVM_DEFAULT_URI='$XVM_DEFAULT_URI' HOME='$HOME' TERM=screen \
	    xm console g1; echo \"[xm exited with code \$?]\"; sleep 30"
	local i
	for i in $(seq 100); do
		tmux capture-pane -p -t "$SESSION" | grep -q "console port 2" && break
		sleep 0.1
	done
	tmux send-keys -t "$SESSION" -l "typed here"
	tmux send-keys -t "$SESSION" Enter
	for i in $(seq 100); do
		tmux capture-pane -p -t "$SESSION" | grep -q "^typed here" && break
		sleep 0.1
	done
	tmux capture-pane -p -t "$SESSION" | grep -q "^typed here"
	tmux send-keys -t "$SESSION" C-]
	for i in $(seq 100); do
		tmux capture-pane -p -t "$SESSION" | grep -q "xm exited with code 0" && break
		sleep 0.1
	done
	tmux capture-pane -p -t "$SESSION" | grep -q "xm exited with code 0"
	# the domain runs on
	[ "$(xm list g1 | awk 'NR == 2 { print $5 }')" = "-b----" ]
}

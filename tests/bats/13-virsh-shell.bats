#!/usr/bin/env bats
# virsh's interactive shell, driven through a real terminal (tmux).

load helper

setup() {
	common_setup
	command -v tmux >/dev/null || skip "tmux is not installed"
	export TMUX_TMPDIR=$BATS_TEST_TMPDIR
	SESSION=xvm$$
	cd "$BATS_TEST_TMPDIR"
}

teardown() {
	tmux kill-server 2>/dev/null || true
}

# start ARGS...: virsh in a 100x30 terminal; remembers its exit status
start() {
	tmux new-session -d -s "$SESSION" -x 100 -y 30 \
	    "env HOME='$HOME' XDG_CACHE_HOME='$XDG_CACHE_HOME' TERM=screen \
	    virsh $*; echo \"[virsh exited with code \$?]\"; sleep 30"
}

screen() {
	tmux capture-pane -p -t "$SESSION" | sed -e :a -e '/^\n*$/{$d;N;ba' -e '}'
}

# wait_for TEXT: poll the screen (at most 10 s) until it shows TEXT
wait_for() {
	local i want=$1
	# the terminal does not keep trailing blanks
	while [ "${want% }" != "$want" ]; do want=${want% }; done
	for i in $(seq 100); do
		if screen | grep -qF -- "$want"; then
			return 0
		fi
		sleep 0.1
	done
	echo "timed out waiting for: $1" >&2
	screen >&2
	return 1
}

keys() {
	tmux send-keys -t "$SESSION" "$@"
}

# typed TEXT: type TEXT literally (it may start with dashes)
typed() {
	tmux send-keys -t "$SESSION" -l -- "$1"
}

@test "banner and read-write prompt" {
	start
	wait_for 'virsh # '
	[ "$(screen)" = "Welcome to virsh, the virtualization interactive terminal.

Type:  'help' for help with commands
       'quit' to quit

virsh #" ]
	keys quit Enter
	wait_for '[virsh exited with code 0]'
}

@test "-r gives the read-only prompt, -q drops the banner" {
	start -r -q
	wait_for 'virsh > '
	[ "$(screen)" = "virsh >" ]
	keys exit Enter
	wait_for '[virsh exited with code 0]'
}

@test "commands, errors and state inside one session" {
	start
	wait_for 'virsh # '
	keys 'echo hello' Enter
	wait_for 'hello'
	keys 'frobnicate' Enter
	wait_for "error: unknown command: 'frobnicate'"
	keys 'cd /tmp' Enter 'pwd' Enter
	wait_for '/tmp'
	keys 'cd /nonexistent' Enter
	wait_for 'error: cd: No such file or directory: /nonexistent'
	keys C-d
	wait_for '[virsh exited with code 0]'
	# an unknown command prints no blank line, a failed one does
	screen | grep -A1 "error: unknown command" | tail -1 | grep -q '^virsh # '
	screen | grep -A1 "error: cd: No such" | tail -1 | grep -q '^$'
}

@test "tab completes commands, options and help topics" {
	start -q
	wait_for 'virsh # '
	keys 'ec' Tab
	wait_for 'virsh # echo '
	typed '--sh'
	keys Tab
	wait_for 'virsh # echo --shell '
	keys C-u 'help e' Tab Tab
	wait_for 'echo  edit  exit'
	keys C-u
	typed 'pwd --'
	keys Tab
	wait_for 'virsh # pwd --json '
	keys C-u 'quit' Enter
	wait_for '[virsh exited with code 0]'
}

@test "tab completes file names for cd" {
	mkdir -p "$BATS_TEST_TMPDIR/somedir/inner"
	start -q
	wait_for 'virsh # '
	keys "cd $BATS_TEST_TMPDIR/som" Tab
	wait_for "virsh # cd $BATS_TEST_TMPDIR/somedir/"
	keys Tab
	wait_for "virsh # cd $BATS_TEST_TMPDIR/somedir/inner/"
	keys C-u quit Enter
	wait_for '[virsh exited with code 0]'
}

@test "history is kept between sessions" {
	start -q
	wait_for 'virsh # '
	keys 'echo first-session' Enter
	wait_for 'first-session'
	keys quit Enter
	wait_for '[virsh exited with code 0]'
	tmux kill-server
	grep -qx 'echo first-session' "$XDG_CACHE_HOME/xvm/virsh_history"
	start -q
	wait_for 'virsh # '
	keys Up Up
	wait_for 'virsh # echo first-session'
	keys C-u quit Enter
	wait_for '[virsh exited with code 0]'
}

@test "commands read from a pipe run like typed ones" {
	run_split bash -c "printf 'echo hi\npwd\nfrobnicate\n' | virsh -q"
	[ "$status" -eq 0 ]
	[ "$out" = "virsh # echo hi
hivirsh # pwd
$PWD
virsh # frobnicate
virsh # 
" ]
	[ "$err" = "error: unknown command: 'frobnicate'
" ]
}

# install-media.bash - Solaris xVM install media for the virt-install
# tests, and a terminal (tmux) to run virt-install in.  The test sets T,
# TMUX_TMPDIR and SESSION.  (bats `load install-media`.)

GUEST=$XVM_TOP/build/tests/xvm-test-guest

# solaris_media DIR: a Solaris 11 xVM tree whose installer installs a
# system booting /platform/i86xpv/kernel/amd64/unix with a marker argument
solaris_media() {
	local sys=$T/system
	mkdir -p "$sys/platform/i86xpv/kernel/amd64" "$sys/platform/i86pc/amd64" \
	    "$sys/boot/grub"
	cp "$GUEST" "$sys/platform/i86xpv/kernel/amd64/unix"
	echo "boot archive" > "$sys/platform/i86pc/amd64/boot_archive"
	cat > "$sys/boot/grub/menu.lst" <<-'EOF'
	default 0
	title Oracle Solaris 11 xVM
	kernel$ /platform/i86xpv/kernel/$ISADIR/unix /platform/i86xpv/kernel/$ISADIR/unix -B installed-system
	module$ /platform/i86pc/$ISADIR/boot_archive
	EOF
	mkdir -p "$1/boot/platform/i86xpv/kernel/amd64" "$1/boot/amd64" "$1/Solaris_11"
	cp "$GUEST" "$1/boot/platform/i86xpv/kernel/amd64/unix"
	{ printf 'xvm-sim-installer poweroff-after=0.5\n'; tar -C "$sys" -cf - .; } \
	    > "$1/boot/amd64/x86.microroot"
	printf 'PRODNAME=Solaris\nPRODVERS=11\n' > "$1/.cdtoc"
}

# in_terminal CMD [PREFIX...]: CMD in a tmux terminal (its server run
# under PREFIX, e.g. nsenter); its exit status shown in the pane
in_terminal() {
	local cmd=$1
	shift
	"$@" tmux new-session -d -s "$SESSION" -x 160 -y 50 \
	    "env XVM_DEFAULT_URI='$XVM_DEFAULT_URI' HOME='$HOME' XDG_CACHE_HOME='$XDG_CACHE_HOME' \
	    PATH='$PATH' TERM=screen $cmd; echo \"[exited with code \$?]\"; sleep 60"
}

# until_shown TEXT: wait (at most 20 s) until the pane shows TEXT
until_shown() {
	local i
	for i in $(seq 200); do
		tmux capture-pane -p -S -200 -t "$SESSION" | grep -qF -- "$1" && return 0
		sleep 0.1
	done
	tmux capture-pane -p -S -200 -t "$SESSION" >&2
	return 1
}


# type_line TEXT: TEXT typed in the terminal, then Enter
type_line() {
	tmux send-keys -t "$SESSION" -l "$1"
	tmux send-keys -t "$SESSION" Enter
}

#!/usr/bin/env bats
# virsh's commands on a domain's config on a simulated Xen host:
# domblklist, domiflist, domblkinfo, desc, domrename, reset.

load helper

setup() {
	common_setup
	cd "$BATS_TEST_TMPDIR"
	guest_cfg g.cfg 32
	truncate -s 10M a.img
	cat >> g.cfg <<-CFG
	disk = [ 'file:$BATS_TEST_TMPDIR/a.img,xvda,w' ]
	vif = [ 'mac=00:16:3e:01:02:03,bridge=xenbr0' ]
	CFG
	xm list >/dev/null 2>&1
	xm new g.cfg
}

@test "domblklist, domiflist and domblkinfo: the domain's disk and nic" {
	run_split virsh domblklist g1
	dashes=$(printf '%*s' $((${#BATS_TEST_TMPDIR} + 18)) '' | tr ' ' -)
	[ "$out" = " Target   Source
$dashes
 xvda     $BATS_TEST_TMPDIR/a.img

" ]
	run_split virsh domblklist g1 --details
	[[ "$out" == *" file   disk     xvda     $BATS_TEST_TMPDIR/a.img"* ]]
	run_split virsh domiflist g1
	[ "$out" = " Interface   Type     Source   Model   MAC
----------------------------------------------------------
 -           bridge   xenbr0   -       00:16:3e:01:02:03

" ]
	virsh start g1 >/dev/null
	run_split virsh domblkinfo g1 xvda
	[ "$out" = "Capacity:       10485760
Allocation:     0
Physical:       10485760

" ]
	run_split virsh domblkinfo g1 "$BATS_TEST_TMPDIR/a.img" --human
	[ "$out" = "Capacity:       10.000 MiB
Allocation:     0.000 B
Physical:       10.000 MiB

" ]
	run_split virsh domblkinfo g1 xvdz
	[ "$err" = "error: invalid argument: invalid path xvdz not assigned to domain
" ]
	[ "$(virsh domblklist g1 --json | jq -r '.[0].source')" = "$BATS_TEST_TMPDIR/a.img" ]
	[ "$(virsh domiflist g1 --json | jq -r '.[0].mac')" = "00:16:3e:01:02:03" ]
}

@test "desc: the title and description of the definition and the running domain" {
	run_split virsh desc g1
	[ "$out" = "No description for domain: g1
" ]
	run_split virsh desc g1 --new-desc "a web server"
	[ "$out" = "Domain description updated successfully
" ]
	[ "$(virsh desc g1)" = "a web server" ]
	grep -q "<description>a web server</description>" "$BATS_TEST_TMPDIR/host/domains/0b6c3c1e-0d4f-4a6b-9c7d-1e2f3a4b5c6d.xml"
	virsh start g1 >/dev/null
	virsh desc g1 --title --new-desc web1 >/dev/null
	[ "$(virsh list --title | sed -n 4p)" = " 1    g1         running   web1" ]
	[ "$(virsh desc g1 --title --config)" = "No title for domain: g1" ]
	virsh desc g1 --title --config --live --new-desc both >/dev/null
	[ "$(virsh desc g1 --title --config)" = both ]
	[ "$(virsh dumpxml g1 --xpath '//title/text()')" = both ]
	EDITOR="sed -i s/web/mail/" run_split virsh desc g1 --edit --config
	[ "$status" -eq 0 ]
	[ "$(virsh desc g1 --config)" = "a mail server" ]
	run_split virsh -r desc g1 --new-desc x
	[ "$status" -eq 1 ]
	[[ "$err" == "error: Failed to set new domain description
error: operation forbidden: read only access prevents virDomainSetMetadata"* ]]
}

@test "domrename renames a definition that does not run; reset starts it afresh" {
	run_split virsh domrename g1 web
	[ "$out" = "Domain successfully renamed

" ]
	[ "$(virsh list --all --name)" = "Domain-0
web" ]
	[ "$(xm list -l 2>/dev/null | grep -c web)" = 0 ]
	virsh start web >/dev/null
	run_split virsh domrename web g2
	[ "$status" -eq 1 ] && [ "$err" = "error: Requested operation is not valid: cannot rename active domain
" ]
	sleep 0.1
	run_split virsh reset web
	[ "$out" = "Domain 'web' was reset

" ]
	[ "$(virsh domid web)" = 2 ]
	[ "$(virsh domstate web --reason)" = "running (booted)" ]
	grep -q "domain 1 (web) reset: now 2" "$BATS_TEST_TMPDIR/host/xvm.log"
	xm new g.cfg name=other uuid=1c5e0f24-57a2-4f05-9c2e-0f3a8a6b7d11
	run_split virsh domrename other web
	[ "$status" -eq 1 ]
	[[ "$err" == "error: operation failed: domain 'web' already exists"* ]]
}

@test "console: virsh's greeting, the guest's console, Ctrl-] detaches" {
	command -v tmux >/dev/null || skip "tmux is not installed"
	SESSION=xvmv$$
	virsh start g1 >/dev/null
	run_split virsh console g1 </dev/null
	[ "$status" -eq 1 ] && [ "$err" = "error: Cannot run interactive console without a controlling TTY
" ]
	tmux new-session -d -s "$SESSION" -x 100 -y 30 \
	    "env XVM_DEFAULT_URI='$XVM_DEFAULT_URI' HOME='$HOME' TERM=screen \
	    virsh console g1; echo \"[virsh exited with code \$?]\"; sleep 30"
	local i
	for i in $(seq 100); do
		tmux capture-pane -p -t "$SESSION" | grep -q "console port 2" && break
		sleep 0.1
	done
	tmux capture-pane -p -t "$SESSION" | grep -q "^Connected to domain 'g1'$"
	tmux capture-pane -p -t "$SESSION" | grep -q "^Escape character is ^\] (Ctrl + \])$"
	tmux send-keys -t "$SESSION" -l "hello"
	tmux send-keys -t "$SESSION" Enter
	for i in $(seq 100); do
		tmux capture-pane -p -t "$SESSION" | grep -q "^hello" && break
		sleep 0.1
	done
	tmux send-keys -t "$SESSION" C-]
	for i in $(seq 100); do
		tmux capture-pane -p -t "$SESSION" | grep -q "virsh exited with code 0" && break
		sleep 0.1
	done
	tmux capture-pane -p -t "$SESSION" | grep -q "virsh exited with code 0"
	tmux kill-session -t "$SESSION" 2>/dev/null || true
	[ "$(virsh domstate g1)" = running ]
	virsh destroy g1 >/dev/null
	run_split virsh console g1
	[ "$err" = "error: The domain is not running
" ]
}

@test "attach-disk, detach-disk: hot-plug on the running domain, --config, --persistent" {
	truncate -s 4M b.img c.img
	virsh start g1 >/dev/null
	sleep 0.1
	run_split virsh attach-disk g1 "$BATS_TEST_TMPDIR/b.img" xvdb
	[ "$status" -eq 0 ] && [ "$out" = "Disk attached successfully

" ]
	sleep 0.1
	[ "$(xm block-list g1 | awk '$1 == 51728 { print $4 }')" = 4 ]
	[ "$(virsh domblklist g1 | grep -c xvdb)" = 1 ]
	[ "$(virsh domblklist g1 --inactive | grep -c xvdb)" = 0 ]
	run_split virsh attach-disk g1 "$BATS_TEST_TMPDIR/c.img" xvdc --persistent --mode readonly
	[ "$status" -eq 0 ]
	[ "$(virsh domblklist g1 --inactive | grep -c xvdc)" = 1 ]
	grep -q "<readonly/>" "$BATS_TEST_TMPDIR/host/domains/0b6c3c1e-0d4f-4a6b-9c7d-1e2f3a4b5c6d.xml"
	run_split virsh detach-disk g1 xvdb --print-xml
	[[ "$out" == "<disk type=\"file\" device=\"disk\">"*"<target dev=\"xvdb\""*"</disk>
" ]]
	run_split virsh detach-disk g1 xvdb
	[ "$out" = "Disk detached successfully

" ]
	sleep 0.2
	[ "$(virsh domblklist g1 | grep -c xvdb)" = 0 ]
	run_split virsh detach-disk g1 xvdz
	[ "$status" -eq 1 ] && [ "$err" = "error: No disk found whose source path or target is xvdz
" ]
	run_split virsh detach-disk g1 xvdc --config
	[ "$status" -eq 0 ]
	[ "$(virsh domblklist g1 --inactive | grep -c xvdc)" = 0 ]
	[ "$(virsh domblklist g1 | grep -c xvdc)" = 1 ]
	run_split virsh attach-disk g1 "$BATS_TEST_TMPDIR/b.img" xvdb --cache none
	[ "$status" -eq 1 ]
	[[ "$err" == "error: Failed to attach disk
error: unsupported configuration: --cache is not supported for Xen PV disks"* ]]
}

@test "attach-interface, detach-interface: by type and MAC" {
	virsh start g1 >/dev/null
	sleep 0.1
	run_split virsh attach-interface g1 bridge xenbr1 --mac 00:16:3e:0a:0b:0c
	[ "$status" -eq 0 ] && [ "$out" = "Interface attached successfully

" ]
	sleep 0.1
	[ "$(xm network-list g1 | grep -c 00:16:3e:0a:0b:0c)" = 1 ]
	[ "$(virsh domiflist g1 | grep -c xenbr1)" = 1 ]
	run_split virsh detach-interface g1 bridge
	[ "$status" -eq 1 ]
	[ "$err" = "error: Domain has 2 interfaces. Please specify which one to detach using --mac
error: Failed to detach interface
" ]
	run_split virsh detach-interface g1 bridge --mac 00:16:3e:0a:0b:0c
	[ "$status" -eq 0 ] && [ "$out" = "Interface detached successfully

" ]
	sleep 0.2
	[ "$(xm network-list g1 | grep -c 00:16:3e:0a:0b:0c)" = 0 ]
	virsh attach-interface g1 bridge xenbr2 --config >/dev/null
	[ "$(virsh domiflist g1 --inactive | grep -c xenbr2)" = 1 ]
	run_split virsh attach-interface g1 bridge xenbr1 --mac 01:00:00:00:00:01
	[ "$status" -eq 1 ]
}

@test "edit: the definition in EDITOR; a refused one keeps the old" {
	run_split env EDITOR=true virsh edit g1
	[ "$out" = "Domain 'g1' XML configuration not changed.

" ]
	run_split env EDITOR="sed -i s/32768/49152/g" virsh edit g1
	[ "$status" -eq 0 ] && [ "$out" = "Domain 'g1' XML configuration edited.

" ]
	[ "$(virsh dumpxml g1 --xpath '//memory/text()')" = 49152 ]
	before=$(cat "$BATS_TEST_TMPDIR/host/domains/0b6c3c1e-0d4f-4a6b-9c7d-1e2f3a4b5c6d.xml")
	run_split env EDITOR="sed -i s/vcpu/vcpux/" virsh edit g1 </dev/null
	[ "$status" -eq 1 ]
	[[ "$err" == *"error: Domain 'g1' XML configuration not changed: the definition was refused"* ]]
	[ "$(cat "$BATS_TEST_TMPDIR/host/domains/0b6c3c1e-0d4f-4a6b-9c7d-1e2f3a4b5c6d.xml")" = "$before" ]
	run_split env EDITOR=false virsh edit g1
	[ "$status" -eq 1 ]
	[[ "$err" == "error: internal error: Child process (sh -c 'false /tmp/virsh"*".xml') unexpected exit status 1"* ]]
}

#!/usr/bin/env bats
# make install: FHS places under PREFIX, staged under DESTDIR.

load helper

setup() { common_setup; }

@test "make install honours PREFIX and DESTDIR" {
	dest=$BATS_TEST_TMPDIR/stage
	run make -s -C "$XVM_TOP" install DESTDIR="$dest" PREFIX=/usr
	[ "$status" -eq 0 ]
	for t in xm virsh virt-install; do
		[ -x "$dest/usr/bin/$t" ]
		[ -f "$dest/usr/share/man/man1/$t.1" ]
		[ -f "$dest/usr/share/bash-completion/completions/$t" ]
	done
	[ -f "$dest/usr/share/xvm/schemas/domain.rng" ]
	[ -f "$dest/usr/share/xvm/schemas/domaincommon.rng" ]
	# nothing lands outside DESTDIR/PREFIX, but for the settings in /etc
	[ "$(cd "$dest" && ls | tr '\n' ' ')" = "etc usr " ]
	[ "$(cd "$dest/usr" && ls | tr '\n' ' ')" = "bin lib libexec share " ]
	# the installed binary works
	run "$dest/usr/bin/virsh" -q echo installed
	[ "$output" = "installed" ]
	run make -s -C "$XVM_TOP" uninstall DESTDIR="$dest" PREFIX=/usr
	[ "$status" -eq 0 ]
	[ ! -e "$dest/usr/bin/virsh" ]
}

@test "make install: the xvm-domains service, its script and settings" {
	dest=$BATS_TEST_TMPDIR/stage
	make -s -C "$XVM_TOP" install DESTDIR="$dest" PREFIX=/usr
	unit=$dest/usr/lib/systemd/system/xvm-domains.service
	[ -f "$unit" ] && [ "$(stat -c %a "$unit")" = 644 ]
	grep -qx "ExecStart=/usr/libexec/xvm/xvm-domains start" "$unit"
	grep -qx "ExecStop=/usr/libexec/xvm/xvm-domains stop" "$unit"
	grep -qx "WantedBy=multi-user.target" "$unit"
	[ -x "$dest/usr/libexec/xvm/xvm-domains" ]
	[ -f "$dest/usr/share/man/man8/xvm-domains.8" ]
	grep -qx 'XM=${XM:-/usr/bin/xm}' "$dest/usr/libexec/xvm/xvm-domains"
	grep -qx 'config=${XVM_DOMAINS_CONFIG:-/etc/default/xvm-domains}' "$dest/usr/libexec/xvm/xvm-domains"
	sh -n "$dest/usr/libexec/xvm/xvm-domains"
	grep -qx "XENDOMAINS_SAVE=/var/lib/xvm/save" "$dest/etc/default/xvm-domains"
	# systemd finds nothing wrong with the unit but that its script is
	# staged here, not in /usr/libexec yet; a wrong unit does not pass
	verify() {
		systemd-analyze verify --man=no "$1" 2>&1 |
		    grep -v "Command /usr/libexec/xvm/xvm-domains is not executable" || true
	}
	[ -z "$(verify "$unit")" ]
	sed 's/^Type=oneshot/Type=once/' "$unit" > "$BATS_TEST_TMPDIR/bad.service"
	[[ "$(verify "$BATS_TEST_TMPDIR/bad.service")" == *"Failed to parse service type"* ]]
	# the administrator's settings are never replaced, nor removed
	echo "XENDOMAINS_SAVE=" > "$dest/etc/default/xvm-domains"
	make -s -C "$XVM_TOP" install DESTDIR="$dest" PREFIX=/usr
	[ "$(cat "$dest/etc/default/xvm-domains")" = "XENDOMAINS_SAVE=" ]
	make -s -C "$XVM_TOP" uninstall DESTDIR="$dest" PREFIX=/usr
	[ ! -e "$unit" ] && [ ! -e "$dest/usr/libexec/xvm/xvm-domains" ]
	[ -e "$dest/etc/default/xvm-domains" ]
	# another PREFIX: the paths in the script and the unit follow
	make -s -C "$XVM_TOP" install DESTDIR="$dest/2" PREFIX=/opt/xvm
	grep -qx "ExecStart=/opt/xvm/libexec/xvm/xvm-domains start" "$dest/2/opt/xvm/lib/systemd/system/xvm-domains.service"
	grep -qx 'XM=${XM:-/opt/xvm/bin/xm}' "$dest/2/opt/xvm/libexec/xvm/xvm-domains"
	[ -f "$dest/2/opt/xvm/etc/default/xvm-domains" ]
	make -s -C "$XVM_TOP" all
}

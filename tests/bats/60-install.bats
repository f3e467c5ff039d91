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
	# nothing lands outside DESTDIR/PREFIX
	[ "$(cd "$dest" && ls)" = "usr" ]
	[ "$(cd "$dest/usr" && ls | tr '\n' ' ')" = "bin share " ]
	# the installed binary works
	run "$dest/usr/bin/virsh" -q echo installed
	[ "$output" = "installed" ]
	run make -s -C "$XVM_TOP" uninstall DESTDIR="$dest" PREFIX=/usr
	[ "$status" -eq 0 ]
	[ ! -e "$dest/usr/bin/virsh" ]
}

# xvm - plain GNU make.  `make` builds build/bin/{xm,virsh,virt-install} and
# build/lib/libxvm.a; `make check` runs every test; see README.md.

PREFIX     ?= /usr/local
BINDIR     ?= $(PREFIX)/bin
MANDIR     ?= $(PREFIX)/share/man
DATADIR    ?= $(PREFIX)/share
BASHCOMPDIR ?= $(DATADIR)/bash-completion/completions
LIBEXECDIR ?= $(PREFIX)/libexec/xvm
SYSCONFDIR ?= $(if $(filter /usr,$(PREFIX)),/etc,$(PREFIX)/etc)
SYSTEMDUNITDIR ?= $(PREFIX)/lib/systemd/system
DESTDIR    ?=

CC         ?= cc
CFLAGS     ?= -O2 -g
XVM_STD    := -std=c11
XVM_CFLAGS  = $(XVM_STD) -D_GNU_SOURCE -Wall -Wextra -Wshadow \
              -Wstrict-prototypes -Wmissing-prototypes -Werror \
              -Ilib/include -Ilib -DXVM_DATADIR='"$(DATADIR)/xvm"'
PKGS       := readline libxml-2.0 uuid zlib liblzma liblz4 libcurl libnfs \
              libarchive libosinfo-1.0 ext2fs com_err jansson libdeflate
PKG_CFLAGS  = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
# libosinfo, libcurl, libxml2 and libarchive are opened with dlopen when
# needed (lib/install/osinfo.c, lib/media/media_curl.c, lib/conf/xml_dl.c,
# lib/util/archive_dl.c): their headers only
PKG_LIBS    = $(shell pkg-config --libs \
              $(filter-out libosinfo-1.0 libcurl libxml-2.0 libarchive,$(PKGS)) 2>/dev/null) -lbz2
LDLIBS     ?=

B := build
V ?= 0
Q := $(if $(filter 1,$(V)),,@)
LIB_SRCS  := $(sort $(wildcard lib/*/*.c lib/*/*/*.c))
LIB_OBJS  := $(LIB_SRCS:%.c=$(B)/obj/%.o)
TOOLS     := xm virsh virt-install
BINS      := $(TOOLS:%=$(B)/bin/%)
# the host's boot and shutdown: the xvm-domains script and its unit, with
# the install's directories in them (rebuilt when those change)
HOSTFILES := $(B)/host/xvm-domains $(B)/host/xvm-domains.service
UNIT_SRCS := $(sort $(wildcard tests/unit/t_*.c))
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(B)/tests/%)
# test fixtures (tests/tools): built for the tests, never installed
TOOL_BINS := $(patsubst tests/tools/%.c,$(B)/tests/%,$(wildcard tests/tools/*.c))
# the test guest (tests/guest): a freestanding x86_64 PV kernel
GUEST     := $(B)/tests/xvm-test-guest
GUEST_OBJS := $(B)/obj/tests/guest/head.o $(B)/obj/tests/guest/guest.o
GUEST_CFLAGS := -O2 -std=gnu11 -Wall -Wextra -Werror -ffreestanding \
	-fno-pic -fno-pie -mcmodel=kernel -mno-red-zone -mno-sse -mno-mmx \
	-mno-80387 -fno-stack-protector -fno-asynchronous-unwind-tables \
	-D__XEN_INTERFACE_VERSION__=0x00040d00
FUZZ_SRCS := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_NAMES := $(FUZZ_SRCS:tests/fuzz/fuzz_%.c=%)
# each fuzz target also builds as a corpus replayer that `make check` runs
FUZZ_REPLAY := $(FUZZ_NAMES:%=$(B)/tests/fuzz_%)
FUZZ_SECONDS ?= 60
MANPAGES  := $(sort $(wildcard man/*.[1-8]))

.SECONDARY:
.PHONY: all deps ensure-deps ensure-test-deps check unit demo install bench fuzz \
        conformance check-xen ensure-xen-deps \
        uninstall completions man-lint clean FORCE

all: ensure-deps $(BINS) $(B)/lib/libxvm.a $(HOSTFILES)

deps:
	@scripts/deps.sh install

ensure-deps:
	@scripts/deps.sh ensure build

ensure-test-deps:
	@scripts/deps.sh ensure test

# Xen's public headers need GNU C (anonymous unions under __STRICT_ANSI__):
# the code that includes them, and the tests, build as gnu11.
$(B)/obj/lib/xen/%.o $(B)/obj/lib/toolstack/%.o $(B)/obj/tests/%.o: XVM_STD := -std=gnu11

$(B)/obj/%.o: %.c | ensure-deps
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(XVM_CFLAGS) $(PKG_CFLAGS) $(CFLAGS) -MMD -MP -c $< -o $@

$(B)/lib/libxvm.a: $(LIB_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@
	ar rcs $@ $^

define tool_rules
$(1)_SRCS := $$(sort $$(wildcard cmd/$(1)/*.c))
$(1)_OBJS := $$($(1)_SRCS:%.c=$(B)/obj/%.o)
$(B)/bin/$(1): $$($(1)_OBJS) $(B)/lib/libxvm.a
	@mkdir -p $$(dir $$@)
	$$(CC) $$(CFLAGS) $$(LDFLAGS) -o $$@ $$($(1)_OBJS) $(B)/lib/libxvm.a $$(PKG_LIBS) $$($(1)_LIBS) $$(LDLIBS)
endef
# xm top is a curses program: only xm links ncurses
xm_LIBS = $(shell pkg-config --libs ncursesw 2>/dev/null)
$(foreach t,$(TOOLS),$(eval $(call tool_rules,$(t))))

$(B)/tests/t_%: $(B)/obj/tests/unit/t_%.o $(B)/lib/libxvm.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(B)/lib/libxvm.a $(PKG_LIBS) $(LDLIBS)

$(TOOL_BINS): $(B)/tests/%: $(B)/obj/tests/tools/%.o $(B)/lib/libxvm.a
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(B)/lib/libxvm.a $(PKG_LIBS) $(LDLIBS)

$(B)/obj/tests/guest/%.o: tests/guest/%.c | ensure-deps
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(GUEST_CFLAGS) -MMD -MP -c $< -o $@

$(B)/obj/tests/guest/%.o: tests/guest/%.S | ensure-deps
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(GUEST_CFLAGS) -MMD -MP -c $< -o $@

$(GUEST): $(GUEST_OBJS) tests/guest/guest.lds
	@mkdir -p $(dir $@)
	$(Q)$(CC) -nostdlib -static -no-pie -Wl,--build-id=none \
	    -Wl,-z,noexecstack -Wl,--no-warn-rwx-segments \
	    -Wl,-T,tests/guest/guest.lds -o $@ $(GUEST_OBJS)

$(B)/tests/fuzz_%: $(B)/obj/tests/fuzz/fuzz_%.o $(B)/obj/tests/fuzz/replay_%.o $(B)/lib/libxvm.a
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(filter %.o,$^) $(B)/lib/libxvm.a $(PKG_LIBS) $(LDLIBS)

$(B)/obj/tests/fuzz/replay_%.o: tests/fuzz/replay.c | ensure-deps
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(XVM_CFLAGS) $(CFLAGS) -DCORPUS_DIR='"$(CURDIR)/tests/fuzz/corpus/$*"' -c $< -o $@

$(B)/tests/conformance: $(B)/obj/tests/conformance/conformance.o $(B)/lib/libxvm.a
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(B)/lib/libxvm.a $(PKG_LIBS) $(LDLIBS)

# libvirt's xm/xl <-> XML corpus, every direction, and the schema check.
conformance: all $(B)/tests/conformance ensure-test-deps
	@tests/conformance/run.sh | tail -n 1

# The real-Xen test bed (tests/xen): Debian's Xen 4.17 and Linux dom0 under
# QEMU, our tools beside xl on the same hypervisor; ends with "N passed,
# N failed".  Fetches Debian packages with apt-get download the first
# time; the images are cached under build/xen/.
check-xen: all $(GUEST) ensure-xen-deps
	@tests/xen/run.sh

ensure-xen-deps:
	@scripts/deps.sh ensure xen

# The whole test suite: unit, bats, conformance; ends with "N passed, N failed".
check: all $(UNIT_BINS) $(FUZZ_REPLAY) $(TOOL_BINS) $(GUEST) $(B)/tests/conformance ensure-test-deps
	@tests/run.sh $(UNIT_BINS) $(FUZZ_REPLAY)

unit: all $(UNIT_BINS) $(FUZZ_REPLAY) $(GUEST)
	@tests/run.sh --unit-only $(UNIT_BINS) $(FUZZ_REPLAY)

# Coverage-guided fuzzing with libFuzzer (clang), FUZZ_SECONDS per target.
# New inputs go to build/fuzz/<target>/; copy the good ones to
# tests/fuzz/corpus/<target>/ so `make check` replays them.
fuzz: ensure-deps
	@command -v clang >/dev/null || { echo "make fuzz needs clang (apt-get install clang)"; exit 1; }
	@mkdir -p $(B)/fuzz
	@for t in $(FUZZ_NAMES); do \
		clang -g -O1 -fsanitize=fuzzer,address,undefined $(filter-out -Werror -std=c11,$(XVM_CFLAGS)) -std=gnu11 \
		    $(PKG_CFLAGS) -o $(B)/fuzz/fuzz_$$t tests/fuzz/fuzz_$$t.c $(LIB_SRCS) \
		    $(PKG_LIBS) || exit 1; \
		mkdir -p $(B)/fuzz/$$t; \
		$(B)/fuzz/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) \
		    $(B)/fuzz/$$t tests/fuzz/corpus/$$t || exit 1; \
	done

# The main job: the tools answering, and a guest installed and running on
# the simulated host.
demo: all $(GUEST)
	@scripts/demo.sh

# Bash completion scripts are generated from the command tables and committed.
completions: $(BINS)
	@for t in $(TOOLS); do \
		$(B)/bin/$$t __bash-completion > completions/$$t.tmp && \
		mv completions/$$t.tmp completions/$$t || exit 1; \
	done

# Every level of mandoc's lint.  The messages allowed are about this machine,
# not the pages: their references to each other are not installed here yet,
# and a stale system mandoc.db.
man-lint: ensure-test-deps
	@out=$$(mandoc -Tlint $(MANPAGES) 2>&1 | grep -v -E \
	    -e 'STYLE: referenced manual not found: Xr (xm|virsh|virt-install) 1( \([0-9]+ times\))?$$' \
	    -e 'STYLE: referenced manual not found: Xr xmdomain.cfg 5( \([0-9]+ times\))?$$' \
	    -e 'STYLE: referenced manual not found: Xr xvm-domains 8( \([0-9]+ times\))?$$' \
	    -e 'outdated mandoc.db lacks (xm|virsh|virt-install|xmdomain.cfg|xvm-domains)\([158]\) entry'); \
	if [ -n "$$out" ]; then echo "$$out"; exit 1; fi; \
	echo "mandoc -Tlint: $(words $(MANPAGES)) pages clean"

FORCE:

$(B)/host/dirs: FORCE
	@mkdir -p $(@D)
	@echo '$(BINDIR) $(LIBEXECDIR) $(SYSCONFDIR)' | cmp -s - $@ || \
	    echo '$(BINDIR) $(LIBEXECDIR) $(SYSCONFDIR)' > $@

$(B)/host/%: data/systemd/%.in $(B)/host/dirs
	$(Q)sed -e 's|@BINDIR@|$(BINDIR)|g' -e 's|@LIBEXECDIR@|$(LIBEXECDIR)|g' \
	    -e 's|@SYSCONFDIR@|$(SYSCONFDIR)|g' $< > $@.tmp && mv $@.tmp $@

$(B)/host/xvm-domains: scripts/xvm-domains.in $(B)/host/dirs
	$(Q)sed -e 's|@BINDIR@|$(BINDIR)|g' -e 's|@SYSCONFDIR@|$(SYSCONFDIR)|g' \
	    $< > $@.tmp && chmod 0755 $@.tmp && mv $@.tmp $@

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(BASHCOMPDIR)
	install -m 0755 $(BINS) $(DESTDIR)$(BINDIR)/
	install -d $(DESTDIR)$(LIBEXECDIR) $(DESTDIR)$(SYSTEMDUNITDIR) \
	    $(DESTDIR)$(SYSCONFDIR)/default
	install -m 0755 $(B)/host/xvm-domains $(DESTDIR)$(LIBEXECDIR)/
	install -m 0644 $(B)/host/xvm-domains.service $(DESTDIR)$(SYSTEMDUNITDIR)/
	# the settings are the administrator's: never replaced
	[ -e $(DESTDIR)$(SYSCONFDIR)/default/xvm-domains ] || \
	    install -m 0644 data/systemd/xvm-domains.default \
	    $(DESTDIR)$(SYSCONFDIR)/default/xvm-domains
	for m in $(MANPAGES); do \
		s=$${m##*.}; install -d $(DESTDIR)$(MANDIR)/man$$s; \
		install -m 0644 $$m $(DESTDIR)$(MANDIR)/man$$s/ || exit 1; \
	done
	for t in $(TOOLS); do \
		install -m 0644 completions/$$t $(DESTDIR)$(BASHCOMPDIR)/$$t || exit 1; \
	done
	install -d $(DESTDIR)$(DATADIR)/xvm/schemas
	install -m 0644 data/schemas/*.rng $(DESTDIR)$(DATADIR)/xvm/schemas/

uninstall:
	for t in $(TOOLS); do \
		rm -f $(DESTDIR)$(BINDIR)/$$t $(DESTDIR)$(BASHCOMPDIR)/$$t; \
	done
	for m in $(MANPAGES); do \
		s=$${m##*.}; rm -f $(DESTDIR)$(MANDIR)/man$$s/$${m##*/}; \
	done
	rm -rf $(DESTDIR)$(DATADIR)/xvm/schemas
	rm -f $(DESTDIR)$(LIBEXECDIR)/xvm-domains \
	    $(DESTDIR)$(SYSTEMDUNITDIR)/xvm-domains.service

clean:
	rm -rf $(B)

-include $(shell find $(B)/obj -name '*.d' 2>/dev/null)

# Benchmarks: figures, not pass/fail (speed goals live here, never in tests).
bench: $(B)/bench/bench_cli $(B)/bench/bench_conf $(B)/bench/bench_sim all \
       $(B)/tests/mediaget
	$(B)/bench/bench_cli
	$(B)/bench/bench_conf $${XVM_SHARED:-../shared}/conformance/libvirt
	$(B)/bench/bench_sim $(B)/bin/xm
	bench/media.sh

$(B)/bench/%: $(B)/obj/bench/%.o $(B)/lib/libxvm.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(B)/lib/libxvm.a $(PKG_LIBS) $(LDLIBS)

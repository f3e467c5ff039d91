# xvm - plain GNU make.  `make` builds build/bin/{xm,virsh,virt-install} and
# build/lib/libxvm.a; `make check` runs every test; see README.md.

PREFIX     ?= /usr/local
BINDIR     ?= $(PREFIX)/bin
MANDIR     ?= $(PREFIX)/share/man
DATADIR    ?= $(PREFIX)/share
BASHCOMPDIR ?= $(DATADIR)/bash-completion/completions
DESTDIR    ?=

CC         ?= cc
CFLAGS     ?= -O2 -g
XVM_CFLAGS := -std=c11 -D_GNU_SOURCE -Wall -Wextra -Wshadow \
              -Wstrict-prototypes -Wmissing-prototypes -Werror \
              -Ilib/include -Ilib
PKGS       := readline
PKG_CFLAGS  = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS    = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
LDLIBS     ?=

B := build
V ?= 0
Q := $(if $(filter 1,$(V)),,@)
LIB_SRCS  := $(sort $(wildcard lib/*/*.c lib/*/*/*.c))
LIB_OBJS  := $(LIB_SRCS:%.c=$(B)/obj/%.o)
TOOLS     := xm virsh virt-install
BINS      := $(TOOLS:%=$(B)/bin/%)
UNIT_SRCS := $(sort $(wildcard tests/unit/t_*.c))
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(B)/tests/%)
MANPAGES  := $(sort $(wildcard man/*.[1-8]))

.PHONY: all deps ensure-deps ensure-test-deps check unit demo install bench \
        uninstall completions man-lint clean

all: ensure-deps $(BINS) $(B)/lib/libxvm.a

deps:
	@scripts/deps.sh install

ensure-deps:
	@scripts/deps.sh ensure build

ensure-test-deps:
	@scripts/deps.sh ensure test

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
	$$(CC) $$(CFLAGS) $$(LDFLAGS) -o $$@ $$($(1)_OBJS) $(B)/lib/libxvm.a $$(PKG_LIBS) $$(LDLIBS)
endef
$(foreach t,$(TOOLS),$(eval $(call tool_rules,$(t))))

$(B)/tests/%: $(B)/obj/tests/unit/%.o $(B)/lib/libxvm.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(B)/lib/libxvm.a $(PKG_LIBS) $(LDLIBS)

# The whole test suite: unit, bats, conformance; ends with "N passed, N failed".
check: all $(UNIT_BINS) ensure-test-deps
	@tests/run.sh $(UNIT_BINS)

unit: all $(UNIT_BINS)
	@tests/run.sh --unit-only $(UNIT_BINS)

# The main job: the tools answering (later: a guest installed and running on
# the simulated host).
demo: all
	@scripts/demo.sh

# Bash completion scripts are generated from the command tables and committed.
completions: $(BINS)
	@for t in $(TOOLS); do \
		$(B)/bin/$$t __bash-completion > completions/$$t.tmp && \
		mv completions/$$t.tmp completions/$$t || exit 1; \
	done

man-lint: ensure-test-deps
	mandoc -Tlint -W warning $(MANPAGES)

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(BASHCOMPDIR)
	install -m 0755 $(BINS) $(DESTDIR)$(BINDIR)/
	for m in $(MANPAGES); do \
		s=$${m##*.}; install -d $(DESTDIR)$(MANDIR)/man$$s; \
		install -m 0644 $$m $(DESTDIR)$(MANDIR)/man$$s/ || exit 1; \
	done
	for t in $(TOOLS); do \
		install -m 0644 completions/$$t $(DESTDIR)$(BASHCOMPDIR)/$$t || exit 1; \
	done

uninstall:
	for t in $(TOOLS); do \
		rm -f $(DESTDIR)$(BINDIR)/$$t $(DESTDIR)$(BASHCOMPDIR)/$$t; \
	done
	for m in $(MANPAGES); do \
		s=$${m##*.}; rm -f $(DESTDIR)$(MANDIR)/man$$s/$${m##*/}; \
	done

clean:
	rm -rf $(B)

-include $(shell find $(B)/obj -name '*.d' 2>/dev/null)

# Benchmarks: figures, not pass/fail (speed goals live here, never in tests).
bench: $(B)/bench/bench_cli
	$(B)/bench/bench_cli

$(B)/bench/%: $(B)/obj/bench/%.o $(B)/lib/libxvm.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(B)/lib/libxvm.a $(PKG_LIBS) $(LDLIBS)

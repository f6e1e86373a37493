# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# wasmbpf-aot: build, test, bench, install.  `make V=1` shows the commands.

CC ?= cc
CLANG ?= clang
WASM2C ?= wasm2c
BPFTOOL ?= bpftool
PKG_CONFIG ?= pkg-config
AR ?= ar
PREFIX ?= /usr/local
DESTDIR ?=
EXTRA_CFLAGS ?=
CFLAGS ?= -O2 -g
CPPFLAGS ?=
LDFLAGS ?=
VERSION := 0.1.0

OUT := build
# `make test SANITIZE=address,undefined`: everything built with these
# sanitizers into build/san, and the tiers that exercise the host code run on
# that build (tests/run.sh, WBPF_SANITIZE).
SANITIZE ?=
ifneq ($(SANITIZE),)
OUT := build/san
EXTRA_CFLAGS += -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all
endif
OBJ := $(OUT)/obj
BIN := $(OUT)/bin
LIBDIR := $(OUT)/lib/wasmbpf-aot
INCDIR := $(OUT)/include/wasmbpf-aot
SDKDIR := $(OUT)/share/wasmbpf-aot

# libbpf, libelf and zlib, linked statically into every program: pkg-config's
# static list (libelf may need libzstd), else the plain names. Debian 13's
# libelf.a cannot be linked statically (it lacks eu_search_tree_init): where the
# probe fails, only libbpf is static and libelf, zlib, zstd are shared.
BPF_LIBS ?= $(or $(shell $(PKG_CONFIG) --libs --static libbpf 2>/dev/null),-lbpf -lelf -lz)
BPF_STATIC_OK := $(shell printf 'void *bpf_object__open_mem(const void *, unsigned long, \
	const void *); int main(void) { return !bpf_object__open_mem(0, 0, 0); }\n' | \
	$(CC) -x c - -o /dev/null -Wl,-Bstatic $(BPF_LIBS) -Wl,-Bdynamic 2>/dev/null && echo y)
LD_STATIC := -Wl,-Bstatic
LD_DYNAMIC := -Wl,-Bdynamic
BPF_LINK ?= $(if $(BPF_STATIC_OK),$(LD_STATIC) $(BPF_LIBS) $(LD_DYNAMIC),\
	$(LD_STATIC) -lbpf $(LD_DYNAMIC) $(filter-out -lbpf,$(BPF_LIBS)))
# wasmbpf-aot --static: everything, libc included, from static archives. Empty
# where they do not link (Debian 13's libelf.a): the driver then refuses --static.
BPF_STATIC_LINK ?= $(shell printf 'void *bpf_object__open_mem(const void *, unsigned long, \
	const void *); int main(void) { return !bpf_object__open_mem(0, 0, 0); }\n' | \
	$(CC) -x c - -o /dev/null -static $(BPF_LIBS) -lm 2>/dev/null && echo -static $(BPF_LIBS))
LIBBPF_CFLAGS ?= $(shell $(PKG_CONFIG) --cflags libbpf 2>/dev/null)

# wabt ships the wasm2c runtime as source; we build it with our own flags. Where
# it is, which files and flags, is the wasm2c version layer's business
# (w2c-driver/w2c.c): gen-binding --make writes it down for this build.
W2C_MK := $(OUT)/gen/w2c.mk
ifeq ($(filter clean format deps,$(MAKECMDGOALS)),)
include $(W2C_MK)
endif

WARNINGS := -Wall -Wextra -Wmissing-prototypes -Wstrict-prototypes -Wno-unused-parameter
# WERROR=1 (CI): a warning in our code fails the build
WERROR ?=
ifeq ($(WERROR),1)
WARNINGS += -Werror
endif
REQ_CFLAGS := -std=gnu11 -D_GNU_SOURCE -Iruntime/include -I$(OUT)/gen -I$(W2C_RT_DIR) \
	$(LIBBPF_CFLAGS) $(W2C_RT_CFLAGS) $(WARNINGS)
ALL_CFLAGS = $(REQ_CFLAGS) $(CPPFLAGS) $(CFLAGS) $(EXTRA_CFLAGS)

ifeq ($(V),1)
Q =
msg =
else
Q = @
msg = @printf '  %-8s %s\n' "$(1)" "$(2)";
endif

# wasmbpf-aot's build cache for what this tree builds stays in the tree.
WASMBPF_AOT_CACHE ?= $(abspath $(OUT))/aot-cache
export WASMBPF_AOT_CACHE

.DELETE_ON_ERROR:
.SECONDARY:

.PHONY: all deps demo runtime cross FORCE driver interp sdk examples test test-unit test-wasi \
	test-abi test-driver test-skel test-sdk test-bpf test-compat test-examples test-diff \
	test-hostile test-docs test-cross \
	test-trixie bench bench-trixie install install-examples uninstall clean format docs

all: runtime driver interp sdk examples

# Debian packages we build on. `make demo` and `make test` ask dpkg whether any is missing
# and run apt only then (README's two commands set up a fresh machine); DEPS=0 leaves
# the system alone (a packager's build, a machine set up otherwise).
DEPS ?= 1
deps:
ifneq ($(DEPS),0)
	$(Q)scripts/install-deps.sh
endif

# README's first command: set up, build everything, compile bootstrap.wasm with
# wasmbpf-aot and run the native program for a few seconds.
demo: deps
	$(Q)$(MAKE) --no-print-directory all
	$(Q)scripts/demo.sh

# ---------------------------------------------------------------- runtime
RT_SRCS := $(filter-out %.bpf.c,$(wildcard runtime/common/*.c runtime/wasi/*.c runtime/bpf/*.c \
	runtime/aot/*.c))
W2C_RT_OBJS := $(patsubst %.c,$(OBJ)/w2c-rt/%.o,$(W2C_RT_SRCS))
RT_OBJS := $(patsubst %.c,$(OBJ)/%.o,$(RT_SRCS)) $(OBJ)/gen/aot-binding.o \
	$(OBJ)/gen/imports-table.o $(OBJ)/gen/check-warm.o $(W2C_RT_OBJS)
RT_LIB := $(LIBDIR)/libwbpf-rt.a
# what a program linked with the runtime needs on its link line (the driver
# gets it as WBPF_RT_LDFLAGS): libbpf's request for the kernel's BTF goes to
# runtime/bpf/kernel-btf.c, taken from the runtime's archive although only
# libbpf.a, after it, refers to it
RT_LDFLAGS := -Wl,--wrap=btf__load_vmlinux_btf -Wl,-u,__wrap_btf__load_vmlinux_btf
RT_HDRS := $(wildcard runtime/include/wbpf/*.h runtime/include/wbpf/*.def)
# installed with ours: the wasm2c runtime headers the archive was built with
W2C_HDRS := $(wildcard $(W2C_RT_DIR)/*.h)

runtime: $(RT_LIB) $(patsubst runtime/include/%,$(INCDIR)/%,$(RT_HDRS)) \
	$(INCDIR)/wbpf/w2c-config.h $(patsubst $(W2C_RT_DIR)/%,$(INCDIR)/%,$(W2C_HDRS))

# Each object depends on the headers it includes (-MMD -MP writes them down in
# OBJ.d, included below). The generated headers exist before any object is built.
$(OBJ)/%.o: %.c $(OUT)/gen/w2c-config.h | $(OUT)/gen/aot-binding.c $(OUT)/gen/wbpf-handlers.h
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

# Everything generated from imports.def: the handlers' prototypes, the import
# table, and the import functions of the AOT binding with the names of the
# installed wasm2c; the same tool describes that wasm2c to the build.
$(BIN)/gen-binding: runtime/tools/gen-binding.c w2c-driver/w2c.c w2c-driver/w2c.h \
		runtime/include/wbpf/imports.def
	$(call msg,HOSTCC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) -std=gnu11 -D_GNU_SOURCE -Iruntime/include -Iw2c-driver $(WARNINGS) $(CPPFLAGS) \
		$(CFLAGS) $(EXTRA_CFLAGS) runtime/tools/gen-binding.c w2c-driver/w2c.c -o $@ $(LDFLAGS)

# Remade (and make restarted) when the tool or the wasm2c it finds changes.
$(W2C_MK): $(BIN)/gen-binding $(shell command -v $(WASM2C) 2>/dev/null)
	$(call msg,GEN,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$< --wasm2c $(WASM2C) --make > $@.tmp && mv $@.tmp $@

$(OUT)/gen/w2c-config.h: $(W2C_MK)
	$(call msg,GEN,$@)
	$(Q)$(BIN)/gen-binding --wasm2c $(WASM2C) --config-h > $@.tmp && mv $@.tmp $@

$(OUT)/gen/wbpf-handlers.h: $(BIN)/gen-binding
	$(call msg,GEN,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$< --handlers-h > $@.tmp && mv $@.tmp $@

$(OUT)/gen/imports-table.c: $(BIN)/gen-binding
	$(call msg,GEN,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$< --table > $@.tmp && mv $@.tmp $@

$(OUT)/gen/aot-binding.h: $(BIN)/gen-binding $(W2C_MK)
	$(call msg,GEN,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$< --wasm2c $(WASM2C) --binding-h > $@.tmp && mv $@.tmp $@

$(OUT)/gen/aot-binding.c: $(BIN)/gen-binding $(W2C_MK)
	$(call msg,GEN,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$< --wasm2c $(WASM2C) > $@.tmp && mv $@.tmp $@

# The BPF object the object checker's spares open while they wait
# (runtime/bpf/check.c), as bytes in the runtime: the same for every target,
# and the same bytes wherever the tree is (no build path in its BTF).
LLVM_STRIP ?= llvm-strip
$(OUT)/gen/check-warm.bpf.o: runtime/bpf/check-warm.bpf.c
	$(call msg,BPF,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CLANG) -target bpf -O2 -g -Wall -fdebug-prefix-map=$(CURDIR)=. -c $< -o $@.tmp
	$(Q)$(LLVM_STRIP) -g $@.tmp && mv $@.tmp $@

$(OUT)/gen/check-warm.c: $(OUT)/gen/check-warm.bpf.o
	$(call msg,GEN,$@)
	$(Q){ printf '/* generated from runtime/bpf/check-warm.bpf.c */\n'; \
		printf '#include <stddef.h>\n\nconst unsigned char wbpf_check_warm_obj[] = {\n'; \
		od -An -v -tx1 $< | sed 's/ *\([0-9a-f][0-9a-f]\)/0x\1,/g; s/^/\t/'; \
		printf '};\nconst size_t wbpf_check_warm_obj_size = sizeof(wbpf_check_warm_obj);\n'; \
	} > $@.tmp && mv $@.tmp $@

$(OBJ)/gen/%.o: $(OUT)/gen/%.c $(OUT)/gen/w2c-config.h | $(OUT)/gen/wbpf-handlers.h \
		$(OUT)/gen/aot-binding.h
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

$(OBJ)/w2c-rt/%.o: $(W2C_RT_DIR)/%.c $(W2C_MK)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) -std=gnu11 -D_GNU_SOURCE $(W2C_RT_CFLAGS) $(CFLAGS) -w -I$(W2C_RT_DIR) -c $< -o $@

$(INCDIR)/wbpf/w2c-config.h: $(OUT)/gen/w2c-config.h
	$(Q)mkdir -p $(@D)
	$(Q)cp $< $@

$(INCDIR)/%.h: $(W2C_RT_DIR)/%.h
	$(Q)mkdir -p $(@D)
	$(Q)cp $< $@

$(RT_LIB): $(RT_OBJS)
	$(call msg,AR,$@)
	$(Q)mkdir -p $(@D)
	$(Q)rm -f $@ && $(AR) rcs $@ $^

$(INCDIR)/%: runtime/include/%
	$(Q)mkdir -p $(@D)
	$(Q)cp $< $@

# ---------------------------------------------------------------- cross targets
# The runtime for each other target whose Debian cross compiler (gcc-TRIPLET) and
# libbpf (libbpf-dev:ARCH, found by that target's pkg-config) are installed: the same
# sources and generated binding (neither depends on the target) built by TRIPLET-gcc
# into $(LIBDIR)/TRIPLET/libwbpf-rt.a, and the link lines for it, probed with that
# compiler as the host's are, in $(LIBDIR)/TRIPLET/link-flags ("link" and "static",
# the latter empty where --static cannot link). `wasmbpf-aot --target` reads both.
# Part of `make` (and `make install`) where the toolchain is found; `make cross`
# asks for them and fails naming what is missing. Not in sanitizer builds.
norm_triplet = $(subst -pc-,-,$(subst -unknown-,-,$(1)))
HOST_TRIPLET := $(call norm_triplet,$(shell $(CC) -dumpmachine 2>/dev/null))
CROSS_TRIPLETS ?= aarch64-linux-gnu x86_64-linux-gnu
cross_pkg_config = $(if $(shell command -v $(1)-pkg-config 2>/dev/null),$(1)-pkg-config,\
	PKG_CONFIG_LIBDIR=/usr/lib/$(1)/pkgconfig:/usr/share/pkgconfig $(PKG_CONFIG))
# the Debian architecture of a triplet, for the package names in messages
deb_arch = $(or $(patsubst aarch64,arm64,$(patsubst x86_64,amd64,\
	$(firstword $(subst -, ,$(1))))),$(1))
ifeq ($(SANITIZE)$(filter clean format deps,$(MAKECMDGOALS)),)
CROSS_WANTED := $(filter-out $(HOST_TRIPLET),$(CROSS_TRIPLETS))
CROSS_HAVE_CC := $(strip $(foreach t,$(CROSS_WANTED),\
	$(if $(shell command -v $(t)-gcc 2>/dev/null),$(t))))
CROSS := $(strip $(foreach t,$(CROSS_HAVE_CC),\
	$(if $(shell $(call cross_pkg_config,$(t)) --exists libbpf && echo y),$(t))))
endif
CROSS_LIBS := $(foreach t,$(CROSS),$(LIBDIR)/$(t)/libwbpf-rt.a $(LIBDIR)/$(t)/link-flags)

define cross_target
CROSS_CC_$(1) ?= $(1)-gcc
CROSS_AR_$(1) ?= $(1)-ar
CROSS_PC_$(1) := $(call cross_pkg_config,$(1))
CROSS_CFLAGS_$(1) := -std=gnu11 -D_GNU_SOURCE -Iruntime/include -I$(OUT)/gen -I$(W2C_RT_DIR) \
	$$(shell $$(CROSS_PC_$(1)) --cflags libbpf 2>/dev/null) $(W2C_RT_CFLAGS) $(WARNINGS) \
	$(CPPFLAGS) $(CFLAGS) $(EXTRA_CFLAGS)
CROSS_OBJS_$(1) := $(patsubst %.c,$(OBJ)/$(1)/%.o,$(RT_SRCS)) $(OBJ)/$(1)/gen/aot-binding.o \
	$(OBJ)/$(1)/gen/imports-table.o $(OBJ)/$(1)/gen/check-warm.o $(patsubst %.c,$(OBJ)/$(1)/w2c-rt/%.o,$(W2C_RT_SRCS))
# evaluated once, when link-flags is written: the same probes as the host's
CROSS_BPF_LIBS_$(1) = $$(or $$(filter-out -L/usr/lib/$(1),\
	$$(shell $$(CROSS_PC_$(1)) --libs --static libbpf 2>/dev/null)),\
	-lbpf -lelf -lz)
CROSS_BPF_STATIC_OK_$(1) = $$(shell printf 'void *bpf_object__open_mem(const void *, \
	unsigned long, const void *); int main(void) { return !bpf_object__open_mem(0, 0, 0); }\n' | \
	$$(CROSS_CC_$(1)) -x c - -o /dev/null -Wl,-Bstatic $$(CROSS_BPF_LIBS_$(1)) -Wl,-Bdynamic \
	2>/dev/null && echo y)
CROSS_BPF_LINK_$(1) = $$(if $$(CROSS_BPF_STATIC_OK_$(1)),$$(LD_STATIC) $$(CROSS_BPF_LIBS_$(1)) \
	$$(LD_DYNAMIC),$$(LD_STATIC) -lbpf $$(LD_DYNAMIC) $$(filter-out -lbpf,$$(CROSS_BPF_LIBS_$(1))))
CROSS_BPF_STATIC_LINK_$(1) = $$(shell printf 'void *bpf_object__open_mem(const void *, \
	unsigned long, const void *); int main(void) { return !bpf_object__open_mem(0, 0, 0); }\n' | \
	$$(CROSS_CC_$(1)) -x c - -o /dev/null -static $$(CROSS_BPF_LIBS_$(1)) -lm 2>/dev/null && \
	echo -static $$(CROSS_BPF_LIBS_$(1)))

$(OBJ)/$(1)/%.o: %.c $(OUT)/gen/w2c-config.h | $(OUT)/gen/aot-binding.c $(OUT)/gen/wbpf-handlers.h
	$$(call msg,CC,$$@)
	$(Q)mkdir -p $$(@D)
	$(Q)$$(CROSS_CC_$(1)) $$(CROSS_CFLAGS_$(1)) -MMD -MP -c $$< -o $$@

$(OBJ)/$(1)/gen/%.o: $(OUT)/gen/%.c $(OUT)/gen/w2c-config.h | $(OUT)/gen/wbpf-handlers.h \
		$(OUT)/gen/aot-binding.h
	$$(call msg,CC,$$@)
	$(Q)mkdir -p $$(@D)
	$(Q)$$(CROSS_CC_$(1)) $$(CROSS_CFLAGS_$(1)) -MMD -MP -c $$< -o $$@

$(OBJ)/$(1)/w2c-rt/%.o: $(W2C_RT_DIR)/%.c $(W2C_MK)
	$$(call msg,CC,$$@)
	$(Q)mkdir -p $$(@D)
	$(Q)$$(CROSS_CC_$(1)) -std=gnu11 -D_GNU_SOURCE $(W2C_RT_CFLAGS) $(CFLAGS) -w \
		-I$(W2C_RT_DIR) -c $$< -o $$@

$(LIBDIR)/$(1)/libwbpf-rt.a: $$(CROSS_OBJS_$(1))
	$$(call msg,AR,$$@)
	$(Q)mkdir -p $$(@D)
	$(Q)rm -f $$@ && $$(CROSS_AR_$(1)) rcs $$@ $$^

# rewritten only when the probes' answers change
$(LIBDIR)/$(1)/link-flags: FORCE
	$(Q)mkdir -p $$(@D)
	$(Q)printf 'link %s\nstatic %s\n' '$$(strip $$(CROSS_BPF_LINK_$(1)))' \
		'$$(strip $$(CROSS_BPF_STATIC_LINK_$(1)))' > $$@.tmp
	$(Q)if cmp -s $$@.tmp $$@; then rm -f $$@.tmp; else mv $$@.tmp $$@; \
		printf '  %-8s %s\n' GEN $$@; fi
endef
$(foreach t,$(CROSS),$(eval $(call cross_target,$(t))))

runtime: $(CROSS_LIBS)

cross_install_hint = apt-get install gcc-$(subst _,-,$(1)) libbpf-dev:$(call deb_arch,$(1)) \
	libelf-dev:$(call deb_arch,$(1)) zlib1g-dev:$(call deb_arch,$(1))
cross: $(CROSS_LIBS)
	$(if $(CROSS),,$(error no cross target can be built: $(foreach t,$(CROSS_WANTED),for $(t): \
		$(call cross_install_hint,$(t))$(if $(filter $(t),$(CROSS_HAVE_CC)), (no libbpf for it),);) \
		scripts/install-deps.sh installs them for aarch64 on amd64))
	@echo "cross targets built: $(CROSS)"

FORCE:

# ---------------------------------------------------------------- driver
DRV_SRCS := $(wildcard w2c-driver/*.c)
# the runtime's parser of --dir grants, shared so both refuse the same
DRV_OBJS := $(patsubst %.c,$(OBJ)/%.o,$(DRV_SRCS)) $(OBJ)/runtime/wasi/grant.o \
	$(OBJ)/runtime/common/number.o
DRIVER := $(BIN)/wasmbpf-aot

driver: $(DRIVER)

$(OBJ)/w2c-driver/%.o: REQ_CFLAGS += -DWBPF_VERSION='"$(VERSION)"' -DWBPF_BPF_LINK='"$(BPF_LINK)"' \
	-DWBPF_RT_LDFLAGS='"$(RT_LDFLAGS)"' \
	-DWBPF_BPF_STATIC_LINK='"$(BPF_STATIC_LINK)"' \
	-Iruntime/wasi -Iruntime/common

$(DRIVER): $(DRV_OBJS)
	$(call msg,LD,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) $^ -o $@ $(LDFLAGS)

# ---------------------------------------------------------------- interpreter
include runtime/interp/interp.mk

# ---------------------------------------------------------------- guest SDK
include wasm-sdk/sdk.mk

# ---------------------------------------------------------------- examples
include examples/examples.mk

# ---------------------------------------------------------------- tests
# One runner for every tier; it prints "N passed, N failed, N skipped" last.
# README's second command: set up, build, run every tier.
ifeq ($(SANITIZE),)
test: deps
	$(Q)$(MAKE) --no-print-directory all fuzz-build
	$(Q)tests/run.sh
else
test: deps
	$(Q)$(MAKE) --no-print-directory runtime driver interp sdk examples-wasm
	$(Q)WBPF_BUILD=$(abspath $(OUT)) WBPF_SANITIZE=$(SANITIZE) tests/run.sh
endif

test-unit test-wasi test-abi test-driver test-skel test-sdk test-bpf test-compat test-examples \
		test-diff test-hostile test-docs test-cross: all
	$(Q)tests/run.sh $(patsubst test-%,%,$@)

# The same on Debian 13's toolchain, in a debootstrapped root (not part of `make test`).
test-trixie: all
	$(Q)tests/run.sh trixie

# The imports support table in docs/imports.md, from imports.def.
docs: $(BIN)/gen-binding
	$(Q)$(BIN)/gen-binding --markdown > docs/imports.md.tmp && mv docs/imports.md.tmp docs/imports.md

# ---------------------------------------------------------------- bench
include bench/bench.mk

# ---------------------------------------------------------------- fuzzing
include tests/fuzz/fuzz.mk

# ---------------------------------------------------------------- install
# Installs the toolchain: no root, no kernel BTF needed (the examples are
# `make install-examples`).
MANDIR ?= $(PREFIX)/share/man
install: runtime driver interp sdk
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib/wasmbpf-aot \
		$(DESTDIR)$(PREFIX)/include/wasmbpf-aot/wbpf $(DESTDIR)$(PREFIX)/share/wasmbpf-aot \
		$(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(PREFIX)/share/doc/wasmbpf-aot
	install -m 755 $(DRIVER) $(DESTDIR)$(PREFIX)/bin/
	install -m 644 $(RT_LIB) $(DESTDIR)$(PREFIX)/lib/wasmbpf-aot/
	$(foreach t,$(CROSS),install -d $(DESTDIR)$(PREFIX)/lib/wasmbpf-aot/$(t) && \
		install -m 644 $(LIBDIR)/$(t)/libwbpf-rt.a $(LIBDIR)/$(t)/link-flags \
		$(DESTDIR)$(PREFIX)/lib/wasmbpf-aot/$(t)/ &&) true
	install -m 644 $(RT_HDRS) $(INCDIR)/wbpf/w2c-config.h \
		$(DESTDIR)$(PREFIX)/include/wasmbpf-aot/wbpf/
	install -m 644 $(patsubst $(W2C_RT_DIR)/%,$(INCDIR)/%,$(W2C_HDRS)) \
		$(DESTDIR)$(PREFIX)/include/wasmbpf-aot/
	cp -r $(SDKDIR)/. $(DESTDIR)$(PREFIX)/share/wasmbpf-aot/
	install -m 755 $(BIN)/wasmbpf-skel $(DESTDIR)$(PREFIX)/bin/
	$(if $(wildcard $(BIN)/wasmbpf-run),install -m 755 $(BIN)/wasmbpf-run $(DESTDIR)$(PREFIX)/bin/)
	install -m 644 docs/man/*.1 $(DESTDIR)$(MANDIR)/man1/
	install -d $(DESTDIR)$(PREFIX)/share/pkgconfig
	sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@VERSION@|$(VERSION)|g' wasm-sdk/wasmbpf-aot.pc.in \
		>$(DESTDIR)$(PREFIX)/share/pkgconfig/wasmbpf-aot.pc
	install -m 644 LICENSE docs/abi.md $(DESTDIR)$(PREFIX)/share/doc/wasmbpf-aot/
	cp -r LICENSES $(DESTDIR)$(PREFIX)/share/doc/wasmbpf-aot/

# The example tools, built for this machine (needs kernel BTF).
install-examples: examples
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 755 $(EXAMPLE_BINS) $(DESTDIR)$(PREFIX)/bin/

uninstall:
	rm -rf $(DESTDIR)$(PREFIX)/bin/wasmbpf-aot $(DESTDIR)$(PREFIX)/bin/wasmbpf-skel \
		$(DESTDIR)$(PREFIX)/bin/wasmbpf-run $(DESTDIR)$(PREFIX)/share/doc/wasmbpf-aot \
		$(patsubst docs/man/%,$(DESTDIR)$(MANDIR)/man1/%,$(wildcard docs/man/*.1)) \
		$(DESTDIR)$(PREFIX)/lib/wasmbpf-aot $(DESTDIR)$(PREFIX)/include/wasmbpf-aot \
		$(DESTDIR)$(PREFIX)/share/wasmbpf-aot $(DESTDIR)$(PREFIX)/share/pkgconfig/wasmbpf-aot.pc

# the header dependencies of what was built before; an object that has none
# (built before its .d existed, or the .d lost) is rebuilt once
C_OBJS := $(patsubst %.c,$(OBJ)/%.o,$(RT_SRCS) $(DRV_SRCS)) $(OBJ)/gen/aot-binding.o \
	$(OBJ)/gen/imports-table.o
-include $(wildcard $(C_OBJS:.o=.d))
$(foreach o,$(C_OBJS),$(if $(wildcard $(o:.o=.d)),,$(if $(wildcard $(o)),$(eval $(o): FORCE))))
.PHONY: FORCE
FORCE:

format:
	clang-format -i $(RT_SRCS) $(DRV_SRCS) $(wildcard runtime/include/wbpf/*.h)

clean:
	rm -rf $(OUT)

# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# wasmbpf.mk: build Wasm-eBPF programs, libbpf-bootstrap style. Include it
# from your Makefile after naming your programs:
#
#   WASMBPF_APPS := bootstrap          # bootstrap.bpf.c + bootstrap.c here
#   include $(shell wasmbpf-aot --print-sdk-dir)/wasmbpf.mk
#   all: $(WASMBPF_TARGETS)
#
# (`wasmbpf-aot --print-sdk-dir` prints where this file is installed, as does
# `pkg-config --variable=mkfile wasmbpf-aot`.)
#
# For every NAME of WASMBPF_APPS (it may name a subfolder: tools/NAME):
#   OUT/vmlinux.h     bpftool btf dump file $(VMLINUX_BTF) format c (once)
#   OUT/NAME.bpf.o    clang -target bpf -g -O2 -D__TARGET_ARCH_$(WASMBPF_ARCH),
#                     then llvm-strip -g (DWARF goes, BTF stays)
#   OUT/NAME.skel.h   wasmbpf-skel NAME.bpf.o
#   OUT/NAME.wasm     clang --target=wasm32-wasi NAME.c (and every other .c
#                     prerequisite you add: `OUT/NAME.wasm: helpers.c`)
#   OUT/NAME          wasmbpf-aot NAME.wasm -o NAME: the native executable
#
# Modules are linked with --export-table: callbacks work without it under
# wasmbpf-aot, but hosts that reach the table by its export need it; and with
# --strip-debug (wasi-libc's DWARF would otherwise be most of the module).
#
# Variables (set them before the include; each has a default):
#   WASMBPF_SRC, WASMBPF_OUT    source and output folders (.)
#   WASMBPF_SKEL, WASMBPF_AOT   the tools (default: the ones installed with this
#                               file, PREFIX/bin next to PREFIX/share/wasmbpf-aot;
#                               else found in PATH)
#   WASMBPF_SKEL_DEP, WASMBPF_AOT_DEP   extra prerequisites of those steps
#   WASMBPF_SKEL_FLAGS          e.g. --types event
#   WASMBPF_AOT_FLAGS           driver options
#   WASMBPF_INCLUDE             folder of libbpf-wasm.h (next to this file)
#   WASI_SYSROOT_INCLUDE        WASI libc's headers (/usr/include/wasm32-wasi on
#                               Debian)
#
# Guests see only WASI libc, clang's own headers and the SDK: -nostdinc, then
# WASMBPF_INCLUDE/compat (bpf/libbpf.h, bpf/bpf.h, linux/types.h, and argp.h,
# sys/resource.h, unistd.h, time.h as wasm-sdk/PORTING.md explains), clang's
# resource folder, the WASI headers. The host's /usr/include and
# /usr/local/include (glibc, the host's libbpf), which Debian's clang would
# search for wasm32-wasi too, are never seen.
#   CLANG, BPFTOOL, LLVM_STRIP, VMLINUX_BTF, WASMBPF_ARCH
#   BPF_CFLAGS, WASM_CFLAGS, WASM_LDFLAGS
# V=1 shows the commands.

WASMBPF_SHARE := $(patsubst %/,%,$(dir $(lastword $(MAKEFILE_LIST))))
# the includer's first target stays the default goal
wasmbpf_goal := $(.DEFAULT_GOAL)
WASMBPF_INCLUDE ?= $(WASMBPF_SHARE)/include
WASMBPF_SRC ?= .
WASMBPF_OUT ?= .
wasmbpf_bin := $(abspath $(WASMBPF_SHARE)/../../bin)
WASMBPF_SKEL ?= $(or $(wildcard $(wasmbpf_bin)/wasmbpf-skel),wasmbpf-skel)
WASMBPF_AOT ?= $(or $(wildcard $(wasmbpf_bin)/wasmbpf-aot),wasmbpf-aot)
WASMBPF_SKEL_DEP ?=
WASMBPF_AOT_DEP ?=
WASMBPF_SKEL_FLAGS ?=
WASMBPF_AOT_FLAGS ?=
CLANG ?= clang
BPFTOOL ?= bpftool
LLVM_STRIP ?= llvm-strip
VMLINUX_BTF ?= /sys/kernel/btf/vmlinux
WASMBPF_ARCH ?= $(shell uname -m | sed -e 's/x86_64/x86/' -e 's/aarch64/arm64/' \
	-e 's/ppc64le/powerpc/' -e 's/mips.*/mips/' -e 's/riscv64/riscv/' -e 's/loongarch64/loongarch/')
BPF_CFLAGS ?= -g -O2 -Wall
WASM_CFLAGS ?= -O2 -Wall
WASM_LDFLAGS ?= -Wl,--export-table -Wl,--strip-debug

WASI_SYSROOT_INCLUDE ?= $(firstword $(wildcard /usr/include/wasm32-wasi \
	/usr/share/wasi-sysroot/include/wasm32-wasi /usr/share/wasi-sysroot/include) \
	/usr/include/wasm32-wasi)
WASMBPF_CLANG_INCLUDE := $(shell $(CLANG) -print-resource-dir)/include
WASMBPF_GUEST_INCLUDES = -nostdinc -I$(WASMBPF_INCLUDE) -isystem $(WASMBPF_INCLUDE)/compat \
	-isystem $(WASMBPF_CLANG_INCLUDE) -isystem $(WASI_SYSROOT_INCLUDE)

# clang -target bpf does not search the host's arch-specific include folders
# (asm/types.h, ...); add them after everything else, as libbpf-bootstrap does.
WASMBPF_BPF_SYS_INCLUDES = $(shell $(CLANG) -v -E - </dev/null 2>&1 \
	| sed -n '/<...> search starts here:/,/End of search list./{ s| \(/.*\)|-idirafter \1|p }')

ifeq ($(V),1)
wasmbpf_Q :=
wasmbpf_msg =
else
wasmbpf_Q := @
wasmbpf_msg = @printf '  %-8s %s\n' "$(1)" "$(2)";
endif

# "dir/" or "" for ".", so that pattern rules match plain file names
wasmbpf_o := $(if $(filter .,$(WASMBPF_OUT)),,$(patsubst %/,%,$(WASMBPF_OUT))/)
wasmbpf_s := $(if $(filter .,$(WASMBPF_SRC)),,$(patsubst %/,%,$(WASMBPF_SRC))/)

WASMBPF_TARGETS := $(addprefix $(wasmbpf_o),$(WASMBPF_APPS))
WASMBPF_WASMS := $(addsuffix .wasm,$(WASMBPF_TARGETS))
WASMBPF_VMLINUX := $(wasmbpf_o)vmlinux.h

.DELETE_ON_ERROR:
.SECONDARY:

$(WASMBPF_VMLINUX):
	$(call wasmbpf_msg,GEN,$@)
	$(wasmbpf_Q)mkdir -p $(@D)
	$(wasmbpf_Q)$(BPFTOOL) btf dump file $(VMLINUX_BTF) format c > $@.tmp && mv $@.tmp $@

$(wasmbpf_o)%.bpf.o: $(wasmbpf_s)%.bpf.c $(WASMBPF_VMLINUX)
	$(call wasmbpf_msg,BPF,$@)
	$(wasmbpf_Q)mkdir -p $(@D)
	$(wasmbpf_Q)$(CLANG) -target bpf -D__TARGET_ARCH_$(WASMBPF_ARCH) $(BPF_CFLAGS) \
		-I$(dir $(WASMBPF_VMLINUX)) -I$(dir $<) -I$(WASMBPF_INCLUDE) $(WASMBPF_BPF_SYS_INCLUDES) \
		-c $< -o $@
	$(wasmbpf_Q)$(LLVM_STRIP) -g $@

$(wasmbpf_o)%.skel.h: $(wasmbpf_o)%.bpf.o $(WASMBPF_SKEL_DEP)
	$(call wasmbpf_msg,SKEL,$@)
	$(wasmbpf_Q)$(WASMBPF_SKEL) $(WASMBPF_SKEL_FLAGS) -o $@ $<

$(wasmbpf_o)%.wasm: $(wasmbpf_s)%.c $(wasmbpf_o)%.skel.h $(WASMBPF_INCLUDE)/libbpf-wasm.h \
		$(wildcard $(WASMBPF_INCLUDE)/compat/*.h $(WASMBPF_INCLUDE)/compat/*/*.h)
	$(call wasmbpf_msg,WASM,$@)
	$(wasmbpf_Q)$(CLANG) --target=wasm32-wasi -std=gnu11 $(WASM_CFLAGS) -I$(dir $@) \
		-I$(dir $<) $(WASMBPF_GUEST_INCLUDES) $(filter %.c,$^) $(WASM_LDFLAGS) -o $@

$(WASMBPF_TARGETS): $(wasmbpf_o)%: $(wasmbpf_o)%.wasm $(WASMBPF_AOT_DEP)
	$(call wasmbpf_msg,AOT,$@)
	$(wasmbpf_Q)$(WASMBPF_AOT) $(WASMBPF_AOT_FLAGS) $< -o $@

.DEFAULT_GOAL := $(wasmbpf_goal)

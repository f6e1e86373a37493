# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Rust guests (included by examples/examples.mk): the wasmbpf binding of
# wasm-sdk/rust as an rlib, and examples/bootstrap-rs, whose guest is Rust and
# whose BPF object is examples/bootstrap's, embedded with include_bytes!.
#
# They need Debian's rustc and its wasm32-wasi standard library (packages
# rustc and libstd-rust-dev-wasm32, from scripts/install-deps.sh): a rustc
# first on PATH from elsewhere may have no wasm32-wasi std, so RUSTC_WASM
# names Debian's. Without that std the Rust examples are left out, with a note.

RUSTC_WASM ?= /usr/bin/rustc
RUST_SYSROOT := $(shell $(RUSTC_WASM) --print sysroot 2>/dev/null)
# rustc 1.84 renamed wasm32-wasi to wasm32-wasip1 (Debian 13 has only the new name)
RUST_WASM_TARGET ?= $(if $(wildcard $(RUST_SYSROOT)/lib/rustlib/wasm32-wasip1/lib),wasm32-wasip1,wasm32-wasi)
RUST_WASM_FLAGS ?= -O -C lto -C codegen-units=1 -C strip=debuginfo
# the table is exported as wasmbpf.mk does for C guests
RUST_WASM_REQ_FLAGS := --target $(RUST_WASM_TARGET) --edition 2021 -C link-arg=--export-table
# Debian 12's rustc ships rust-lld, Debian 13's does not: there, clang's wasm-ld links
RUST_WASM_LINKER ?= $(if $(shell command -v rust-lld 2>/dev/null),,\
	$(shell $(CLANG) -print-prog-name=wasm-ld 2>/dev/null))
RUST_WASM_REQ_FLAGS += $(if $(strip $(RUST_WASM_LINKER)),-C linker=$(strip $(RUST_WASM_LINKER)))

RUST_WASM_STD := $(wildcard $(RUST_SYSROOT)/lib/rustlib/$(RUST_WASM_TARGET)/lib)
RUST_LIB := $(OBJ)/rust/libwasmbpf.rlib
RUST_EXAMPLES := bootstrap-rs
RUST_EXAMPLE_WASMS := $(foreach e,$(RUST_EXAMPLES),$(OUT)/examples/$(e)/$(e).wasm)
RUST_EXAMPLE_BINS := $(foreach e,$(RUST_EXAMPLES),$(OUT)/examples/$(e)/$(e))

# bootstrap-rs embeds the BPF object of examples/bootstrap
$(OUT)/examples/bootstrap-rs/bootstrap-rs.wasm: $(OUT)/examples/bootstrap/bootstrap.bpf.o
$(OUT)/examples/bootstrap-rs/bootstrap-rs.wasm: RUST_BPF_OBJ = $(OUT)/examples/bootstrap/bootstrap.bpf.o

ifneq ($(RUST_WASM_STD),)
examples: $(RUST_EXAMPLE_WASMS) $(RUST_EXAMPLE_BINS)
examples-wasm: $(RUST_EXAMPLE_WASMS)
else
examples: rust-examples-missing
endif

.PHONY: rust-examples-missing
rust-examples-missing:
	@echo "note: no $(RUST_WASM_TARGET) std for $(RUSTC_WASM): Rust examples not built (scripts/install-deps.sh installs it)" >&2

$(RUST_LIB): wasm-sdk/rust/wasmbpf.rs
	$(call msg,RUSTC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(RUSTC_WASM) $(RUST_WASM_REQ_FLAGS) $(RUST_WASM_FLAGS) --crate-type=rlib \
		--crate-name wasmbpf $< -o $@

# examples/NAME/main.rs -> NAME.wasm; the path of the embedded object reaches
# include_bytes! through env!("BPF_OBJ")
define rust_example
$(OUT)/examples/$(1)/$(1).wasm: examples/$(1)/main.rs $(RUST_LIB)
	$$(call msg,RUSTC,$$@)
	$(Q)mkdir -p $$(@D)
	$(Q)BPF_OBJ=$$(abspath $$(RUST_BPF_OBJ)) $$(RUSTC_WASM) $$(RUST_WASM_REQ_FLAGS) \
		$$(RUST_WASM_FLAGS) --crate-name $(subst -,_,$(1)) --extern wasmbpf=$$(RUST_LIB) \
		$$< -o $$@
endef
$(foreach e,$(RUST_EXAMPLES),$(eval $(call rust_example,$(e))))

$(RUST_EXAMPLE_BINS): %: %.wasm $(WASMBPF_AOT_DEP)
	$(call msg,AOT,$@)
	$(Q)$(WASMBPF_AOT) $(WASMBPF_AOT_FLAGS) $< -o $@

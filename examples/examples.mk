# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Examples (included by the top Makefile): every examples/DIR/NAME.bpf.c with
# its NAME.c becomes $(OUT)/examples/DIR/NAME.wasm and the native
# $(OUT)/examples/DIR/NAME, through wasm-sdk/wasmbpf.mk with the tools built
# here.

EXAMPLE_APPS := $(patsubst examples/%.bpf.c,%,$(wildcard examples/*/*.bpf.c))

WASMBPF_APPS := $(EXAMPLE_APPS)
WASMBPF_SRC := examples
WASMBPF_OUT := $(OUT)/examples
WASMBPF_INCLUDE := wasm-sdk/include
WASMBPF_SKEL := $(BIN)/wasmbpf-skel
WASMBPF_SKEL_DEP := $(BIN)/wasmbpf-skel
WASMBPF_AOT := $(BIN)/wasmbpf-aot
WASMBPF_AOT_DEP := $(BIN)/wasmbpf-aot $(RT_LIB)
# what the example tools share, examples/common: its headers on the include
# path, tool_helpers.c compiled into every tool (below)
WASM_CFLAGS ?= -O2 -Wall
WASM_CFLAGS += -Iexamples/common
include wasm-sdk/wasmbpf.mk

# an example's own headers, and the shared code
$(foreach a,$(EXAMPLE_APPS),$(eval $(OUT)/examples/$(a).bpf.o $(OUT)/examples/$(a).wasm: \
	$(wildcard examples/$(dir $(a))*.h)))
$(EXAMPLE_APPS:%=$(OUT)/examples/%.wasm): examples/common/tool_helpers.c \
	$(wildcard examples/common/*.h)

EXAMPLE_WASMS := $(WASMBPF_WASMS)
EXAMPLE_BINS := $(WASMBPF_TARGETS)

.PHONY: examples examples-wasm
examples: $(EXAMPLE_WASMS) $(EXAMPLE_BINS)
examples-wasm: $(EXAMPLE_WASMS)
include examples/rust.mk

# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Guest SDK (included by the top Makefile): the skeleton generator, and the
# guest headers plus wasmbpf.mk copied to $(SDKDIR) = $(OUT)/share/wasmbpf-aot.

SKEL_TOOL := $(BIN)/wasmbpf-skel
SDK_HDRS := $(wildcard wasm-sdk/include/*.h wasm-sdk/include/compat/*.h wasm-sdk/include/compat/*/*.h)
SDK_FILES := $(patsubst wasm-sdk/%,$(SDKDIR)/%,$(SDK_HDRS)) $(SDKDIR)/wasmbpf.mk
SKEL_LIBS ?= $(BPF_LIBS)

.PHONY: sdk
sdk: $(SKEL_TOOL) $(SDK_FILES)

$(SKEL_TOOL): wasm-sdk/tools/wasmbpf-skel.c
	$(call msg,HOSTCC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) -DWBPF_VERSION='"$(VERSION)"' $< -o $@ $(LDFLAGS) $(SKEL_LIBS)

$(SDKDIR)/%: wasm-sdk/%
	$(Q)mkdir -p $(@D)
	$(Q)cp $< $@

# tests/skel's golden header, rewritten from the current generator
.PHONY: skel-golden
skel-golden: $(SKEL_TOOL)
	$(Q)WBPF_BUILD=$(abspath $(OUT)) tests/skel/regen-golden.sh

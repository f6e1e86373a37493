# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# wasmbpf-run: the interpreter engine (wabt's interpreter, C++), linked with the
# runtime archive. Included from the top Makefile (`make interp`).

CXX ?= c++
# wabt's interpreter library, in the multiarch directory of this compiler, else
# in the system compiler's or Debian's (clang has no -print-multiarch).
MULTIARCH := $(shell $(CC) -print-multiarch 2>/dev/null)
DEB_MULTIARCH := $(or $(shell cc -print-multiarch 2>/dev/null),\
	$(shell dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null))
WABT_LIB ?= $(firstword $(wildcard $(addsuffix /libwabt.a,\
	$(addprefix /usr/lib/,$(MULTIARCH) $(DEB_MULTIARCH)) /usr/lib /usr/local/lib)))

INTERP_SRCS := $(wildcard runtime/interp/*.cc)
# the driver's module reader and checks: both engines refuse a module alike
INTERP_OBJS := $(patsubst %.cc,$(OBJ)/%.o,$(INTERP_SRCS)) $(OBJ)/w2c-driver/wasm-reader.o \
	$(OBJ)/w2c-driver/check.o
INTERP := $(BIN)/wasmbpf-run
INTERP_CXXFLAGS = -std=gnu++17 -D_GNU_SOURCE -Iruntime/include -Iw2c-driver -Wall -Wextra \
	-Wno-unused-parameter -Wmissing-declarations -DWBPF_VERSION='"$(VERSION)"' \
	$(CPPFLAGS) $(CFLAGS) $(CXXFLAGS) $(EXTRA_CFLAGS)

.PHONY: interp

ifneq ($(WABT_LIB),)
interp: $(INTERP)
else
interp:
	@echo "  SKIP     wasmbpf-run: wabt's libwabt.a not found (set WABT_LIB)"
endif

$(OBJ)/runtime/interp/%.o: runtime/interp/%.cc $(RT_HDRS) $(wildcard runtime/interp/*.h) \
		w2c-driver/check.h w2c-driver/wasm-reader.h
	$(call msg,CXX,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CXX) $(INTERP_CXXFLAGS) -c $< -o $@

$(INTERP): $(INTERP_OBJS) $(RT_LIB)
	$(call msg,LD,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CXX) $(INTERP_CXXFLAGS) $(INTERP_OBJS) $(RT_LIB) $(RT_LDFLAGS) $(WABT_LIB) \
		$(LDFLAGS) $(BPF_LINK) -lm -o $@

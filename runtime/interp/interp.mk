# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# wasmbpf-run: the interpreter engine (wabt's interpreter, C++), linked with the
# runtime archive. Included from the top Makefile (`make interp`).

CXX ?= c++
WABT_LIB ?= /usr/lib/x86_64-linux-gnu/libwabt.a

INTERP_SRCS := $(wildcard runtime/interp/*.cc)
INTERP_OBJS := $(patsubst %.cc,$(OBJ)/%.o,$(INTERP_SRCS))
INTERP := $(BIN)/wasmbpf-run
INTERP_CXXFLAGS = -std=gnu++17 -D_GNU_SOURCE -Iruntime/include -Wall -Wextra \
	-Wno-unused-parameter -Wmissing-declarations -DWBPF_VERSION='"$(VERSION)"' \
	$(CFLAGS) $(EXTRA_CFLAGS)

.PHONY: interp

interp: $(INTERP)

$(OBJ)/runtime/interp/%.o: runtime/interp/%.cc $(RT_HDRS) $(wildcard runtime/interp/*.h)
	$(call msg,CXX,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CXX) $(INTERP_CXXFLAGS) -c $< -o $@

$(INTERP): $(INTERP_OBJS) $(RT_LIB)
	$(call msg,LD,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CXX) $(INTERP_CXXFLAGS) $(INTERP_OBJS) $(RT_LIB) $(WABT_LIB) \
		-Wl,-Bstatic -lbpf -lelf -lz -Wl,-Bdynamic -lm -o $@

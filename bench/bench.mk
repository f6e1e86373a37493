# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Benchmarks (included by the top Makefile): `make bench` builds everything
# under $(OUT)/bench and runs bench/run.sh, which prints one table comparing
# native code, wasmbpf-aot and wasmbpf-run (the interpreter engine) measured in
# the same run. The interpreter runs the very .wasm files the AOT binaries are
# compiled from, with the same runtime.
#
#   compute/NAME       cc -O2 of bench/compute/NAME.c        (native)
#   compute/NAME.wasm  clang --target=wasm32-wasi -O2 of it
#   compute/NAME.aot   wasmbpf-aot NAME.wasm                 (AOT)
#                      wasmbpf-run NAME.wasm                 (interpreter)
#   compute/NAME.musl  musl-gcc -O2 -static of it            (native with musl,
#                      the libc wasi-libc derives from), memcpy from
#                      compute/musl-memcpy.c; left out, and its section
#                      skipped, when musl-gcc is missing
#   maps/maps-native, maps/maps-aot   bench/maps/maps.c with a bpftool and a
#                      wasmbpf-skel skeleton of maps.bpf.o; the interpreter
#                      runs maps/maps.wasm
#   native/bootstrap   bench/native/bootstrap.c, libbpf-bootstrap's loader,
#                      with a bpftool skeleton of examples/bootstrap's object
#   tools/evbench      the attach-time and CPU-per-event harness

BENCH_OUT := $(OUT)/bench
# NAME:N:INTERP_N -- native and AOT run N units of work, the interpreter
# INTERP_N (its time is scaled up to N by work units)
BENCH_SIZES := sha256:64:1 nbody:5000000:100000 sort:3000000:300000 hashmap:2000000:200000 \
	pidstate:14000000:800000 log2hist:24000000:500000 lines:1500000:20000 \
	lines_hand:1500000:100000 topn:250:10
BENCH_PROGS := $(foreach s,$(BENCH_SIZES),$(firstword $(subst :, ,$(s))))

BENCH_NATIVE_CFLAGS := -O2 -std=gnu11 -Wall
BENCH_WASM_CFLAGS := -O2 -std=gnu11 -Wall
# the native baselines link libbpf as wasmbpf-aot's programs do
BENCH_BPF_LIBS := $(BPF_LINK)

# musl-gcc (Debian's musl-tools): the kernels natively against musl's libc
MUSL_CC ?= musl-gcc
BENCH_MUSL := $(shell command -v $(MUSL_CC) 2>/dev/null)

BENCH_BINS := $(foreach p,$(BENCH_PROGS),$(BENCH_OUT)/compute/$(p) \
		$(BENCH_OUT)/compute/$(p).wasm $(BENCH_OUT)/compute/$(p).aot \
		$(if $(BENCH_MUSL),$(BENCH_OUT)/compute/$(p).musl)) \
	$(BENCH_OUT)/maps/maps-native $(BENCH_OUT)/maps/maps-aot $(BENCH_OUT)/maps/maps.wasm \
	$(BENCH_OUT)/native/bootstrap $(BENCH_OUT)/native/bootstrap-static $(BENCH_OUT)/tools/evbench \
	$(BENCH_OUT)/tools/wbpfb-attach $(BENCH_OUT)/tools/wbpfb-count

.PHONY: bench bench-build bench-trixie
bench-build: runtime driver interp sdk examples $(BENCH_BINS)

bench: bench-build
	$(Q)BENCH_OUT=$(BENCH_OUT) BENCH_SIZES='$(BENCH_SIZES)' DRIVER=$(DRIVER) \
		WASMBPF_RUN=$(BIN)/wasmbpf-run BENCH_MUSL='$(BENCH_MUSL)' \
		EXAMPLES_OUT=$(OUT)/examples CC='$(CC)' \
		BENCH_NATIVE_CFLAGS='$(BENCH_NATIVE_CFLAGS)' BENCH_BPF_LIBS='$(BENCH_BPF_LIBS)' \
		bench/run.sh

# The same benchmarks on Debian 13's toolchain (wabt 1.0.36, clang 19, gcc 14, libbpf
# 1.5), in the root of `make test-trixie` (scripts/trixie-root.sh; root, debootstrap):
# every figure of its table is built and measured inside that root, natives included.
bench-trixie:
	$(Q)src=$$(scripts/trixie-root.sh sync) && \
		scripts/trixie-root.sh run sh -c "cd $$src && make -j2 bench-build && make bench"

# ---- compute
$(BENCH_OUT)/compute/%: bench/compute/%.c bench/compute/bench.h
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(BENCH_NATIVE_CFLAGS) $< -o $@ -lm

$(BENCH_OUT)/compute/%.wasm: bench/compute/%.c bench/compute/bench.h
	$(call msg,WASM,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CLANG) --target=wasm32-wasi $(BENCH_WASM_CFLAGS) $< -o $@ -lm

# static: the guest links its wasi-libc statically too; memcpy is a C loop, not
# musl's x86_64 `rep movsq`, which the guest never runs (see musl-memcpy.c)
$(BENCH_OUT)/compute/%.musl: bench/compute/%.c bench/compute/bench.h \
		bench/compute/musl-memcpy.c
	$(call msg,MUSL,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(MUSL_CC) $(BENCH_NATIVE_CFLAGS) -static $< bench/compute/musl-memcpy.c -o $@ -lm

# lines_hand.c is lines.c with the formatting done by hand
$(BENCH_OUT)/compute/lines_hand $(BENCH_OUT)/compute/lines_hand.wasm \
		$(BENCH_OUT)/compute/lines_hand.musl: bench/compute/lines.c

$(BENCH_OUT)/compute/%.aot: $(BENCH_OUT)/compute/%.wasm $(DRIVER) $(RT_LIB)
	$(call msg,AOT,$@)
	$(Q)$(DRIVER) $< -o $@

# ---- BPF maps
$(BENCH_OUT)/maps/maps.bpf.o: bench/maps/maps.bpf.c $(WASMBPF_VMLINUX)
	$(call msg,BPF,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CLANG) -target bpf -D__TARGET_ARCH_$(WASMBPF_ARCH) $(BPF_CFLAGS) \
		-I$(dir $(WASMBPF_VMLINUX)) $(WASMBPF_BPF_SYS_INCLUDES) -c $< -o $@
	$(Q)$(LLVM_STRIP) -g $@

$(BENCH_OUT)/maps/wasm/maps.skel.h: $(BENCH_OUT)/maps/maps.bpf.o $(SKEL_TOOL)
	$(call msg,SKEL,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(SKEL_TOOL) -o $@ $<

$(BENCH_OUT)/maps/native/maps.skel.h: $(BENCH_OUT)/maps/maps.bpf.o
	$(call msg,SKEL,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(BPFTOOL) gen skeleton $< name maps_bpf > $@.tmp && mv $@.tmp $@

$(BENCH_OUT)/maps/maps.wasm: bench/maps/maps.c $(BENCH_OUT)/maps/wasm/maps.skel.h \
		wasm-sdk/include/libbpf-wasm.h
	$(call msg,WASM,$@)
	$(Q)$(CLANG) --target=wasm32-wasi $(BENCH_WASM_CFLAGS) -I$(BENCH_OUT)/maps/wasm \
		-Iwasm-sdk/include $< -Wl,--export-table -Wl,--strip-debug -o $@

$(BENCH_OUT)/maps/maps-aot: $(BENCH_OUT)/maps/maps.wasm $(DRIVER) $(RT_LIB)
	$(call msg,AOT,$@)
	$(Q)$(DRIVER) $< -o $@

$(BENCH_OUT)/maps/maps-native: bench/maps/maps.c $(BENCH_OUT)/maps/native/maps.skel.h
	$(call msg,CC,$@)
	$(Q)$(CC) $(BENCH_NATIVE_CFLAGS) -I$(BENCH_OUT)/maps/native $< -o $@ $(BENCH_BPF_LIBS)

# ---- bootstrap, native
$(BENCH_OUT)/native/bootstrap.skel.h: $(OUT)/examples/bootstrap/bootstrap.bpf.o
	$(call msg,SKEL,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(BPFTOOL) gen skeleton $< name bootstrap_bpf > $@.tmp && mv $@.tmp $@

$(BENCH_OUT)/native/bootstrap: bench/native/bootstrap.c $(BENCH_OUT)/native/bootstrap.skel.h \
		examples/bootstrap/bootstrap.h
	$(call msg,CC,$@)
	$(Q)$(CC) $(BENCH_NATIVE_CFLAGS) -I$(BENCH_OUT)/native -Iexamples/bootstrap $< -o $@ \
		$(BENCH_BPF_LIBS)

# the same, fully static (where the archives link statically): the yardstick
# of wasmbpf-aot --static
$(BENCH_OUT)/native/bootstrap-static: bench/native/bootstrap.c \
		$(BENCH_OUT)/native/bootstrap.skel.h examples/bootstrap/bootstrap.h
	$(call msg,CC,$@)
	$(Q)$(if $(BPF_STATIC_LINK),$(CC) $(BENCH_NATIVE_CFLAGS) -I$(BENCH_OUT)/native \
		-Iexamples/bootstrap $< -o $@ $(BPF_STATIC_LINK) -lm,rm -f $@)

# ---- harness
$(BENCH_OUT)/tools/evbench: bench/tools/evbench.c
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(BENCH_NATIVE_CFLAGS) $< -o $@ -lutil

# two copies of one program that only exits: their names are their comms
$(BENCH_OUT)/tools/wbpfb-attach $(BENCH_OUT)/tools/wbpfb-count: bench/tools/probe.c
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) -O2 -static $< -o $@ 2>/dev/null || $(CC) -O2 $< -o $@

# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# libFuzzer targets (included by the top Makefile). Each tests/fuzz/fuzz_NAME.c
# is built with clang, ASan and UBSan into $(OUT)/fuzz/fuzz_NAME, with the
# sources it exercises compiled in:
#   fuzz_module    the driver's front end: module reader, checks, glue
#   fuzz_imports   every import handler of the runtime, real WASI and BPF
#   fuzz_bpf_object  the check of a guest's BPF object (runtime/bpf/check.c):
#                  libbpf parses it in a child; the host must get 0 or
#                  -EINVAL with a reason, never crash
# `make fuzz` runs each for FUZZ_SECONDS (default 60) on a corpus kept in
# $(OUT)/fuzz/corpus/NAME; the short fixed-seed runs of the test tier are in
# tests/fuzz/run.sh.

FUZZ_CC ?= clang
FUZZ_SECONDS ?= 60
FUZZ_OUT := $(OUT)/fuzz
FUZZ_CFLAGS := -std=gnu11 -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=undefined -Iruntime/include -Iruntime/common -I$(OUT)/gen \
	-Iw2c-driver \
	-DWBPF_VERSION='"$(VERSION)"' -Wall -Wno-unused-parameter
FUZZ_RT_SRCS := $(filter-out %.bpf.c,$(wildcard runtime/common/*.c runtime/wasi/*.c \
	runtime/bpf/*.c)) $(OUT)/gen/check-warm.c
FUZZ_TARGETS := $(patsubst tests/fuzz/%.c,$(FUZZ_OUT)/%,$(wildcard tests/fuzz/fuzz_*.c))

$(FUZZ_OUT)/fuzz_module: tests/fuzz/fuzz_module.c w2c-driver/wasm-reader.c w2c-driver/check.c \
	w2c-driver/glue.c w2c-driver/libcfn.c w2c-driver/sha256.c w2c-driver/text.c \
	w2c-driver/w2c.c w2c-driver/proc.c \
	$(wildcard w2c-driver/*.h) $(RT_HDRS)
	$(call msg,FUZZCC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) $(filter %.c,$^) -o $@

$(FUZZ_OUT)/fuzz_imports: tests/fuzz/fuzz_imports.c $(FUZZ_RT_SRCS) $(OUT)/gen/imports-table.c \
	$(OUT)/gen/wbpf-handlers.h $(RT_HDRS) $(wildcard runtime/*/*.h)
	$(call msg,FUZZCC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) $(filter %.c,$^) -o $@ $(BPF_LIBS)

$(FUZZ_OUT)/fuzz_bpf_object: tests/fuzz/fuzz_bpf_object.c runtime/bpf/check.c \
	$(OUT)/gen/check-warm.c runtime/bpf/bpf-priv.h $(OUT)/gen/wbpf-handlers.h $(RT_HDRS)
	$(call msg,FUZZCC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -Iruntime/bpf $(filter %.c,$^) -o $@ $(BPF_LIBS)

# make fuzz-bpf-object: a fresh corpus seeded with the build's .bpf.o files,
# FUZZ_RUNS runs at -seed=1 (the same inputs every time); libFuzzer's last
# lines give executions/s and coverage.
FUZZ_RUNS ?= 3000
FUZZ_BPF_SEEDS = $(patsubst %,$(OUT)/examples/%.bpf.o,$(EXAMPLE_APPS))

.PHONY: fuzz-bpf-object bench-bpf-check
fuzz-bpf-object: $(FUZZ_OUT)/fuzz_bpf_object $(FUZZ_BPF_SEEDS)
	$(Q)rm -rf $(FUZZ_OUT)/bpf-object && mkdir -p $(FUZZ_OUT)/bpf-object/corpus \
		$(FUZZ_OUT)/bpf-object/seeds
	$(Q)cp $(FUZZ_BPF_SEEDS) $(FUZZ_OUT)/bpf-object/seeds/
	$(Q)cd $(FUZZ_OUT)/bpf-object && ../fuzz_bpf_object -runs=$(FUZZ_RUNS) -seed=1 \
		-timeout=20 -rss_limit_mb=4096 -artifact_prefix=./ corpus seeds

# What the check costs at start-up, per example object (tests/fuzz/bench-check.c).
$(FUZZ_OUT)/bench-check: tests/fuzz/bench-check.c runtime/bpf/check.c $(OUT)/gen/check-warm.c \
	runtime/bpf/bpf-priv.h \
	$(OUT)/gen/wbpf-handlers.h $(RT_HDRS)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) -Iruntime/bpf $(filter %.c,$^) -o $@ $(BPF_LIBS)

bench-bpf-check: $(FUZZ_OUT)/bench-check $(FUZZ_BPF_SEEDS)
	$(Q)for o in $(FUZZ_BPF_SEEDS); do $(FUZZ_OUT)/bench-check $$o 100 || exit 1; done

.PHONY: fuzz fuzz-build test-fuzz
fuzz-build: $(FUZZ_TARGETS)

fuzz: fuzz-build examples
	$(Q)WBPF_FUZZ_SECONDS=$(FUZZ_SECONDS) tests/fuzz/run.sh --long

test-fuzz: fuzz-build examples
	$(Q)tests/run.sh fuzz

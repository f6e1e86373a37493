#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Tier "fuzz": every libFuzzer target of tests/fuzz (built by `make fuzz-build`
# into $WBPF_BUILD/fuzz) runs a short, fixed-seed session; a crash, a leak, a
# sanitizer report or a time-out fails it. Each target's executions and
# coverage go to stderr.
#   tests/run.sh fuzz             the short runs (part of make test)
#   tests/fuzz/run.sh --long      WBPF_FUZZ_SECONDS (default 60) per target,
#                                 on a corpus kept in $WBPF_BUILD/fuzz/corpus
#   WBPF_FUZZ_TARGETS="fuzz_x ..."  only these targets (default: every one)
# fuzz_imports loads a real BPF object (tests/abi/abi.bpf.c: every map kind)
# when run as root, and grants the guest a scratch directory. fuzz_bpf_object
# starts from the real .bpf.o files of the build and of the abi tier.
set -u
export WBPF_TOP=${WBPF_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
export WBPF_BUILD=${WBPF_BUILD:-$WBPF_TOP/build}
export WBPF_TMP=${WBPF_TMP:-$WBPF_BUILD/test-tmp}
. "$WBPF_TOP/tests/lib.sh"

FZ=$WBPF_BUILD/fuzz
T=$WBPF_TMP/fuzz
RUNS=${WBPF_FUZZ_RUNS:-4000}
long=0
[ "${1:-}" = --long ] && long=1

if [ -n "${WBPF_FUZZ_TARGETS:-}" ]; then
	read -ra TESTS <<<"$WBPF_FUZZ_TARGETS"
else
	mapfile -t TESTS < <(for c in "$WBPF_TOP"/tests/fuzz/fuzz_*.c; do basename "$c" .c; done)
fi
rm -rf "$T"
mkdir -p "$T"
for t in "${TESTS[@]}"; do
	[ -x "$FZ/$t" ] || fail_all "no $FZ/$t (make fuzz-build)"
done

# the BPF object fuzz_imports works on: every map kind of the abi tier
if [ "$(id -u)" -eq 0 ] && [ -r /sys/kernel/btf/vmlinux ]; then
	multiarch=$(gcc -print-multiarch 2>/dev/null || echo "$(uname -m)-linux-gnu")
	if clang -O2 -g -target bpf -I"/usr/include/$multiarch" -I"$WBPF_TOP/tests/abi" \
		-I"$WBPF_TOP/wasm-sdk/include" \
		-c "$WBPF_TOP/tests/abi/abi.bpf.c" -o "$T/abi.bpf.o" 2>"$T/abi.bpf.err"; then
		export WBPF_FUZZ_BPF_OBJ=$T/abi.bpf.o
	else
		echo "fuzz: abi.bpf.c does not build: $(head -c 200 "$T/abi.bpf.err")" >&2
	fi
fi

# seeds: real modules for the module reader, real objects for the check, the
# import target's own
seed_dir() {
	local d=$T/seeds/$1
	mkdir -p "$d"
	if [ "$1" = fuzz_module ]; then
		find "$WBPF_BUILD/examples" "$WBPF_TMP" -name '*.wasm' -size -512k 2>/dev/null |
			head -40 | while read -r w; do cp "$w" "$d/"; done
	elif [ "$1" = fuzz_bpf_object ]; then
		# real objects: the examples' and the abi tier's
		find "$WBPF_BUILD/examples" -name '*.bpf.o' 2>/dev/null |
			while read -r o; do cp "$o" "$d/"; done
		[ -n "${WBPF_FUZZ_BPF_OBJ:-}" ] && cp "$WBPF_FUZZ_BPF_OBJ" "$d/"
	elif [ "$1" = fuzz_imports ]; then
		# short guests the target writes: files, a poll, every program attached
		WBPF_FUZZ_SEEDS=$d "$FZ/fuzz_imports" || fail_all "fuzz_imports writes no seeds"
	fi
	echo "$d"
}

for t in "${TESTS[@]}"; do
	seeds=$(seed_dir "$t")
	export WBPF_FUZZ_DIR=$T/$t.grant
	mkdir -p "$WBPF_FUZZ_DIR"
	if [ $long -eq 1 ]; then
		corpus=$FZ/corpus/$t
		mkdir -p "$corpus"
		# a unit slower than 1 s is reported ("Slowest unit"), and the totals
		# printed at the end
		args=(-max_total_time="${WBPF_FUZZ_SECONDS:-60}" -report_slow_units=1
			-print_final_stats=1 "$corpus" "$seeds")
	elif [ "$t" = fuzz_bpf_object ]; then
		# every execution is checked in a new child of the checker: a few hundred take
		# a minute here
		args=(-runs="${WBPF_FUZZ_RUNS_BPF_OBJECT:-400}" -seed=1 "$seeds")
	else
		args=(-runs="$RUNS" -seed=1 "$seeds")
	fi
	# the targets print what the guest writes to stdout/stderr: closed (3)
	timeout $((${WBPF_FUZZ_SECONDS:-60} * long + 900)) "$FZ/$t" -close_fd_mask=3 -timeout=10 \
		-rss_limit_mb=4096 -artifact_prefix="$T/$t-" "${args[@]}" >"$T/$t.log" 2>&1
	rc=$?
	stats=$(grep -E '^#[0-9]+.*(DONE|pulse|INITED)' "$T/$t.log" | tail -1)
	echo "$t: $stats" >&2
	# slow units (long runs) are kept, not failed on: the machine may be loaded
	for u in "$T/$t"-slow-unit-*; do
		[ -e "$u" ] && echo "$t: a unit took over 1 s: $u" >&2
	done
	if [ $rc -eq 0 ]; then
		pass "$t"
	else
		fail "$t" "exit $rc: $(grep -m1 -E 'ERROR|SUMMARY|runtime error|deadly' "$T/$t.log" | head -c 200) (log: $T/$t.log)"
	fi
	rm -rf "$WBPF_FUZZ_DIR"
done

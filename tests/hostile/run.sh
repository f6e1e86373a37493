#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Tier "hostile": modules written to break the sandbox, one attack a file,
# each run compiled (wasmbpf-aot) and interpreted (wasmbpf-run); both engines
# must give the documented answer (docs/abi.md). A case registers itself by
# being here: every tests/hostile/NAME.wat and NAME.c (a C guest, built with
# hostile.h and the abi tier's BPF object) is one, and its leading comment
# (";; " or " * " lines) says what it must do:
#   hostile: what it attacks (free text, any number of lines)
#   needs: bpf           root, kernel BTF and tracefs (skipped by name otherwise)
#   exit: N              the exit status
#   stdout: LINE         each line of stdout, in order (none: empty stdout)
#   stderr-has: TEXT     stderr must contain TEXT (optional, repeatable)
# A case that loads BPF must leave no program of its object loaded.
# Test names: NAME_aot and NAME_interp.
set -u
. "$WBPF_TOP/tests/lib.sh"

H=$WBPF_TOP/tests/hostile
T=$WBPF_TMP/hostile
RUN=${WASMBPF_RUN:-$WBPF_BUILD/bin/wasmbpf-run}
# wabt's interpreter zero-fills its memory vector when it grows; with huge
# pages a 4 GiB guest takes seconds there instead of half a minute.
export GLIBC_TUNABLES=glibc.malloc.hugetlb=1

rm -rf "$T"
mkdir -p "$T"

# directive FILE KEY: the values of ";; KEY: VALUE" or " * KEY: VALUE" lines
directive() {
	sed -n -e "s/^;; $2: \{0,1\}//p" -e "s/^ \* $2: \{0,1\}//p" "$1"
}

# ids of the loaded programs of the abi object (all named wbpf_abi_*)
abi_prog_ids() {
	bpftool prog show 2>/dev/null | awk '/^[0-9]+:/ && / name wbpf_abi_/ { sub(":", "", $1); print $1 }'
}

# new_progs BEFORE-FILE: ids loaded now that were not before (after up to 2 s)
new_progs() {
	local now
	for _ in $(seq 1 40); do
		now=$(abi_prog_ids | grep -vxF -f "$1")
		[ -z "$now" ] && return
		sleep 0.05
	done
	echo $now
}

# the abi tier's BPF object, as a C array for the C guests
bpf_blocker=$(kernel_test_blocker)
multiarch=$(gcc -print-multiarch 2>/dev/null || echo "$(uname -m)-linux-gnu")
if ! clang -O2 -g -target bpf -I"/usr/include/$multiarch" -I"$WBPF_TOP/tests/abi" \
	-I"$WBPF_TOP/wasm-sdk/include" \
	-c "$WBPF_TOP/tests/abi/abi.bpf.c" -o "$T/abi.bpf.o" 2>"$T/abi.bpf.err"; then
	bpf_blocker="abi.bpf.c does not build: $(head -c 200 "$T/abi.bpf.err")"
fi
{
	echo "unsigned char abi_bpf_o[] = {"
	od -An -v -tx1 "$T/abi.bpf.o" 2>/dev/null | sed 's/ \([0-9a-f][0-9a-f]\)/0x\1,/g'
	echo "};"
	echo "unsigned int abi_bpf_o_len = $(stat -c %s "$T/abi.bpf.o" 2>/dev/null || echo 0);"
} >"$T/abi.bpf.inc"

# check NAME ENGINE WAT: compare the run in $T/NAME.ENGINE.* with WAT's directives
check() {
	local name=$1 engine=$2 wat=$3 want_exit rc text
	local -a reasons=()
	want_exit=$(directive "$wat" exit)
	rc=$(cat "$T/$name.$engine.rc")
	[ "$rc" = "$want_exit" ] || reasons+=("exit $rc, want $want_exit")
	directive "$wat" stdout >"$T/$name.want"
	cmp -s "$T/$name.want" "$T/$name.$engine.out" ||
		reasons+=("stdout $(head -c 120 "$T/$name.$engine.out" | tr '\n' '|'), want $(tr '\n' '|' <"$T/$name.want")")
	while IFS= read -r text; do
		[ -n "$text" ] || continue
		grep -qF -- "$text" "$T/$name.$engine.err" || reasons+=("stderr lacks '$text'")
	done < <(directive "$wat" stderr-has)
	if [ ${#reasons[@]} -eq 0 ]; then
		pass "${name}_$engine"
	else
		fail "${name}_$engine" "$(
			IFS=';'
			echo "${reasons[*]}"
		); stderr: $(head -c 200 "$T/$name.$engine.err")"
	fi
}

# build SRC NAME: $T/NAME.wasm from a .wat or a C guest
build_wasm() {
	case $1 in
	*.wat) wat2wasm "$1" -o "$T/$2.wasm" ;;
	*.c) guest_cc "$1" "$T/$2.wasm" -I"$H" -I"$WBPF_TOP/tests/abi" -I"$T" ;;
	esac
}

# run_engine NAME ENGINE SRC: one run, then the checks of SRC's header
run_engine() {
	local name=$1 engine=$2 src=$3 left
	local -a cmd=("$T/$name")
	[ "$engine" = interp ] && cmd=("$RUN" "$T/$name.wasm")
	abi_prog_ids >"$T/$name.$engine.progs"
	timeout 120 "${cmd[@]}" >"$T/$name.$engine.out" 2>"$T/$name.$engine.err" </dev/null
	echo $? >"$T/$name.$engine.rc"
	left=
	if [ "$(directive "$src" needs)" = bpf ]; then
		left=$(new_progs "$T/$name.$engine.progs")
	fi
	if [ -n "$left" ]; then
		fail "${name}_$engine" "BPF programs left loaded: $left"
	else
		check "$name" "$engine" "$src"
	fi
}

for src in "$H"/*.wat "$H"/*.c; do
	[ -e "$src" ] || continue
	name=$(basename "${src%.*}")
	if [ "$(directive "$src" needs)" = bpf ] && [ -n "$bpf_blocker" ]; then
		skip "${name}_aot" "$bpf_blocker"
		skip "${name}_interp" "$bpf_blocker"
		continue
	fi
	if ! build_wasm "$src" "$name" 2>"$T/$name.build.err"; then
		fail "${name}_aot" "does not build: $(head -c 200 "$T/$name.build.err")"
		fail "${name}_interp" "does not build"
		continue
	fi
	if aot_build "$T/$name.wasm" "$T/$name" 2>"$T/$name.aot.build.err"; then
		run_engine "$name" aot "$src"
	else
		fail "${name}_aot" "wasmbpf-aot: $(head -c 200 "$T/$name.aot.build.err")"
	fi
	if [ -x "$RUN" ]; then
		run_engine "$name" interp "$src"
	else
		skip "${name}_interp" "no $RUN (make interp)"
	fi
done

#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Tier "hostile": modules written to break the sandbox, one attack a file,
# each run compiled (wasmbpf-aot) and interpreted (wasmbpf-run); both engines
# must give the documented answer. A case registers itself by being here:
# every tests/hostile/NAME.wat is one, and its leading comment says what it
# must do:
#   ;; hostile: what it attacks (free text, any number of lines)
#   ;; exit: N              the exit status
#   ;; stdout: LINE         each line of stdout, in order (none: empty stdout)
#   ;; stderr-has: TEXT     stderr must contain TEXT (optional, repeatable)
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

# directive FILE KEY: the values of ";; KEY: VALUE" lines, one a line
directive() {
	sed -n "s/^;; $2: \{0,1\}//p" "$1"
}

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

for wat in "$H"/*.wat; do
	name=$(basename "$wat" .wat)
	if ! wat2wasm "$wat" -o "$T/$name.wasm" 2>"$T/$name.wat.err"; then
		fail "${name}_aot" "wat2wasm: $(head -c 200 "$T/$name.wat.err")"
		fail "${name}_interp" "wat2wasm failed"
		continue
	fi
	if aot_build "$T/$name.wasm" "$T/$name" 2>"$T/$name.aot.build.err"; then
		timeout 120 "$T/$name" >"$T/$name.aot.out" 2>"$T/$name.aot.err" </dev/null
		echo $? >"$T/$name.aot.rc"
		check "$name" aot "$wat"
	else
		fail "${name}_aot" "wasmbpf-aot: $(head -c 200 "$T/$name.aot.build.err")"
	fi
	if [ -x "$RUN" ]; then
		timeout 120 "$RUN" "$T/$name.wasm" >"$T/$name.interp.out" \
			2>"$T/$name.interp.err" </dev/null
		echo $? >"$T/$name.interp.rc"
		check "$name" interp "$wat"
	else
		skip "${name}_interp" "no $RUN (make interp)"
	fi
done

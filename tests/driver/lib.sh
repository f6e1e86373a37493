# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Part of the driver tier (tests/driver/run.sh sources it, in order): its helpers.

# run_aot ARGS...: run the driver, stdout/stderr/exit in $D/stdout, $D/stderr, $rc
run_aot() {
	"$AOT" "$@" >"$D/stdout" 2>"$D/stderr"
	rc=$?
}

# leftovers: print anything the driver left in TMPDIR or the output dir
leftovers() {
	find "$D/tmp" "$D/out" -mindepth 1 2>/dev/null
}

clean_out() {
	rm -rf "$D/out" "$D/tmp"
	mkdir -p "$D/out" "$D/tmp"
}

# expect_fail NAME CODE WANT ARGS...: the driver must exit CODE, print one
# line on stderr (two for usage errors; more with MANY_LINES=1: the compiler's
# own messages) whose first line contains WANT, nothing on stdout, and leave no
# output and no temporary file.
expect_fail() {
	local name=$1 code=$2 want=$3 lines
	shift 3
	clean_out
	run_aot "$@"
	lines=$(wc -l <"$D/stderr")
	local why=
	if [ "$rc" -ne "$code" ]; then
		why="exit $rc, expected $code"
	elif ! grep -qF -- "$want" "$D/stderr"; then
		why="stderr lacks '$want'"
	elif ! head -1 "$D/stderr" | grep -qF -- "$want"; then
		why="the first line on stderr lacks '$want'"
	elif [ "$code" -eq 1 ] && [ "$lines" -ne 1 ] && [ -z "${MANY_LINES:-}" ]; then
		why="$lines lines on stderr, expected 1"
	elif [ "$code" -eq 2 ] && ! grep -qF "Try 'wasmbpf-aot --help'." "$D/stderr"; then
		why="no \"Try 'wasmbpf-aot --help'.\""
	elif [ -s "$D/stdout" ]; then
		why="output on stdout"
	elif [ -n "$(leftovers)" ]; then
		why="left behind: $(leftovers | tr '\n' ' ')"
	fi
	if [ -n "$why" ]; then
		fail "$name" "$why"
		sed 's/^/    /' "$D/stderr" >&2
	else
		pass "$name"
	fi
}

# wat NAME: compile $D/src/NAME.wat (from stdin) to $D/src/NAME.wasm
wat() {
	cat >"$D/src/$1.wat"
	wat2wasm ${WAT_FLAGS:-} "$D/src/$1.wat" -o "$D/src/$1.wasm"
}

# patch FILE OFFSET HEXBYTES: overwrite bytes in place
patch() {
	printf "$(echo "$3" | sed 's/\(..\)/\\x\1/g')" |
		dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}

# section_range FILE NAME: "start end" of a section's contents (decimal)
section_range() {
	local s e
	read -r s e < <(wasm-objdump -h "$1" |
		sed -n "s/^ *$2 start=0x\([0-9a-f]*\) end=0x\([0-9a-f]*\).*/\1 \2/p")
	[ -n "$s" ] && echo "$((16#$s)) $((16#$e))"
}

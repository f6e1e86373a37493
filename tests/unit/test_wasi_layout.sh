#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# runtime/wasi/wasi-layout.h checks its own numbers (run by tests/unit/run.sh
# with UNIT_OUT and CC set): as it is, it compiles; with any one offset or size
# moved, the compiler refuses it and names the field.
set -u
. "$(dirname "$0")/../lib.sh"
cd "$WBPF_TOP"
tmp=$(mktemp -d "$UNIT_OUT/wasi-layout.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
hdr=runtime/wasi/wasi-layout.h

# cc_layout HEADER: compile a file that includes HEADER
cc_layout() {
	printf '#include "%s"\n' "$1" >"$tmp/t.c"
	$CC -std=gnu11 -c "$tmp/t.c" -o "$tmp/t.o" 2>"$tmp/log"
}

t=wasi_layout_numbers_agree_with_the_structs
if cc_layout "$PWD/$hdr"; then
	pass $t
else
	fail $t "$(grep -m1 error "$tmp/log")"
fi

t=wasi_layout_moved_field_does_not_compile
bad=()
# every offset and size, one at a time, one byte off
while read -r name value; do
	sed "s/^#define $name $value\b/#define $name $((value + 1))/" "$hdr" >"$tmp/moved.h"
	if cc_layout "$tmp/moved.h"; then
		bad+=("$name+1 compiles")
	elif ! grep -q "static assertion failed" "$tmp/log"; then
		bad+=("$name+1: $(grep -m1 error "$tmp/log")")
	fi
done < <(sed -n 's/^#define \(W_[A-Z_]*_\(OFF\|SIZE\)\) \([0-9]*\).*/\1 \3/p' "$hdr")
if [ ${#bad[@]} -eq 0 ]; then
	pass $t
else
	fail $t "${bad[*]}"
fi
exit 0

#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# What imports.def promises through gen-binding (run by tests/unit/run.sh with
# GEN_BINDING, UNIT_OUT and CC set):
# - a handler whose parameters differ from its row does not compile;
# - a row whose names do not match its parameters stops the generator.
set -u
. "$(dirname "$0")/../lib.sh"
cd "$WBPF_TOP"
tmp=$(mktemp -d "$UNIT_OUT/gen-binding.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/gen" "$tmp/def/wbpf"
"$GEN_BINDING" --handlers-h >"$tmp/gen/wbpf-handlers.h"

# cc_handler NAME DEFINITION: compile DEFINITION against the generated prototypes
cc_handler() {
	printf '#include "wbpf-handlers.h"\n%s\n' "$2" >"$tmp/$1.c"
	$CC -std=gnu11 -D_GNU_SOURCE -Iruntime/include -I"$tmp/gen" -c "$tmp/$1.c" \
		-o "$tmp/$1.o" 2>"$tmp/$1.log"
}

t=handler_that_differs_from_its_row_does_not_compile
if ! cc_handler good 'uint32_t wbpf_wasi_fd_seek(struct wbpf_guest *g, uint32_t fd, uint64_t offset,
	uint32_t whence, uint32_t newoffset_out) { return 0; }'; then
	fail $t "the handler as its row says does not compile: $(head -n1 "$tmp/good.log")"
elif cc_handler extra 'uint32_t wbpf_wasi_fd_seek(struct wbpf_guest *g, uint32_t fd, uint64_t offset,
	uint32_t whence, uint32_t newoffset_out, uint32_t extra) { return 0; }'; then
	fail $t "a handler with one parameter too many compiles"
elif cc_handler narrow 'uint32_t wbpf_wasi_fd_seek(struct wbpf_guest *g, uint32_t fd, uint32_t offset,
	uint32_t whence, uint32_t newoffset_out) { return 0; }'; then
	fail $t "a handler taking an i64 parameter as 32 bits compiles"
elif cc_handler result 'uint64_t wbpf_wasi_fd_seek(struct wbpf_guest *g, uint32_t fd, uint64_t offset,
	uint32_t whence, uint32_t newoffset_out) { return 0; }'; then
	fail $t "a handler with another result type compiles"
elif ! grep -q 'conflicting types' "$tmp/extra.log"; then
	fail $t "not refused as conflicting types: $(head -n1 "$tmp/extra.log")"
else
	pass $t
fi

# A table whose one row names two of its three parameters.
t=gen_binding_refuses_a_row_whose_names_do_not_match
cat >"$tmp/def/wbpf/imports.def" <<'DEF'
WBPF_IMPORT("wasi_snapshot_preview1", "fd_read", "iiii", "i", wbpf_wasi_fd_read, "fd iovs iovs_len")
#undef WBPF_IMPORT
DEF
if ! $CC -std=gnu11 -D_GNU_SOURCE -I"$tmp/def" -Iruntime/include -Iw2c-driver \
	runtime/tools/gen-binding.c w2c-driver/w2c.c -o "$tmp/gen-binding" 2>"$tmp/cc.log"; then
	fail $t "gen-binding does not compile with a one-row table: $(head -n1 "$tmp/cc.log")"
else
	"$tmp/gen-binding" --handlers-h >"$tmp/out.h" 2>"$tmp/err"
	rc=$?
	want="gen-binding: imports.def: 'wasi_snapshot_preview1' 'fd_read': 3 names (\"fd iovs iovs_len\") for 4 params (\"iiii\")"
	if [ $rc -ne 1 ]; then
		fail $t "exit $rc, expected 1"
	elif [ "$(cat "$tmp/err")" != "$want" ]; then
		fail $t "stderr '$(cat "$tmp/err")', expected '$want'"
	else
		pass $t
	fi
fi
exit 0

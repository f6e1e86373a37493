#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Unit tier: host-only C, no root. Each tests/unit/test_*.c is compiled with
# the sources its first line names (/* UNIT-LINK: a.c b.c */) and run; it
# prints its own PASS/FAIL lines (tests/unit/check.h). $GEN in that line is a
# directory of what the build's gen-binding generates from imports.def: the
# handlers' prototypes (wbpf-handlers.h, also on the include path), the import
# table (imports-table.c) and a stub of every handler (stub-handlers.c).
# Each tests/unit/test_*.sh (what only a compiler can show: generated
# prototypes, layout asserts) is run too and prints its own lines.
set -u
. "$(dirname "$0")/../lib.sh"
cd "$WBPF_TOP"
out=$WBPF_TMP/unit
gen=$out/gen
mkdir -p "$gen"
CC=${CC:-cc}
rc=0
GEN_BINDING=$WBPF_BUILD/bin/gen-binding
if [ ! -x "$GEN_BINDING" ]; then
	fail unit_generated_sources "no $GEN_BINDING (run make first)"
	exit 1
fi
"$GEN_BINDING" --handlers-h >"$gen/wbpf-handlers.h" &&
	"$GEN_BINDING" --table >"$gen/imports-table.c" &&
	"$GEN_BINDING" --stubs >"$gen/stub-handlers.c" ||
	{ fail unit_generated_sources "gen-binding failed"; exit 1; }
for src in tests/unit/test_*.c; do
	name=$(basename "$src" .c)
	link=$(head -n 1 "$src" | sed -n 's#.*UNIT-LINK:\(.*\)\*/.*#\1#p')
	link=${link//\$GEN/$gen}
	if ! $CC -std=gnu11 -D_GNU_SOURCE -O1 -g -Wall -Wextra -Wno-unused-parameter \
		-fsanitize=address,undefined -fno-sanitize-recover=undefined \
		-Iruntime/include -Iw2c-driver -Itests/unit -I"$gen" \
		-o "$out/$name" "$src" $link 2>"$out/$name.cc.log"; then
		cat "$out/$name.cc.log" >&2
		fail "$name" "does not compile"
		continue
	fi
	"$out/$name" || rc=1
done
for t in tests/unit/test_*.sh; do
	GEN_BINDING=$GEN_BINDING UNIT_OUT=$out CC=$CC "$t"
done
exit 0

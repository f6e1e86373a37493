#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Unit tier: host-only C, no root. Each tests/unit/test_*.c is compiled with
# the sources its first line names (/* UNIT-LINK: a.c b.c */) and run; it
# prints its own PASS/FAIL lines (tests/unit/check.h).
set -u
. "$(dirname "$0")/../lib.sh"
cd "$WBPF_TOP"
out=$WBPF_TMP/unit
mkdir -p "$out"
CC=${CC:-cc}
rc=0
for src in tests/unit/test_*.c; do
	name=$(basename "$src" .c)
	link=$(head -n 1 "$src" | sed -n 's#.*UNIT-LINK:\(.*\)\*/.*#\1#p')
	if ! $CC -std=gnu11 -D_GNU_SOURCE -O1 -g -Wall -Wextra -Wno-unused-parameter \
		-fsanitize=address,undefined -fno-sanitize-recover=undefined \
		-Iruntime/include -Iw2c-driver -Itests/unit \
		-o "$out/$name" "$src" $link 2>"$out/$name.cc.log"; then
		cat "$out/$name.cc.log" >&2
		fail "$name" "does not compile"
		continue
	fi
	"$out/$name" || rc=1
done
exit 0

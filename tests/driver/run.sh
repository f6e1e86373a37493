#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Driver tier: wasmbpf-aot's command line, and its behaviour on bad, truncated,
# corrupted and hostile modules: one clear line on stderr, exit 1, no output
# file and no temporary file left behind. Then real builds that run, the build
# cache, reproducible output. Parts: lib.sh (helpers), cli.sh, modules.sh,
# env.sh, builds.sh, membase.sh, libcfn.sh, cache.sh, reproducible.sh, outputs.sh (--num-outputs).
set -u
. "$WBPF_TOP/tests/lib.sh"

D=$WBPF_TMP/driver
rm -rf "$D"
mkdir -p "$D/src" "$D/tmp" "$D/out"
export TMPDIR=$D/tmp # the driver's temporary directory goes here: must stay empty
# never the user's build cache: a fresh one (the cache tests below use their own)
export WASMBPF_AOT_CACHE=$D/cache
AOT=$WASMBPF_AOT

if [ ! -x "$AOT" ]; then
	fail driver-present "no executable $AOT (make OUT=... driver)"
	exit 0
fi

# The tier's parts, one topic each, sourced in order: they share $D, the
# helpers and the guests the earlier parts build.
DRV=$WBPF_TOP/tests/driver
. "$DRV/lib.sh"
. "$DRV/cli.sh"

# ---------------------------------------------------------------- real guests

cat >"$D/src/hello.c" <<'EOF'
#include <stdio.h>
int main(int argc, char **argv)
{
	printf("hello from %s with %d args\n", argc > 0 ? "wasm" : "?", argc - 1);
	for (int i = 1; i < argc; i++)
		printf("arg %d: %s\n", i, argv[i]);
	return 3;
}
EOF
if ! guest_cc "$D/src/hello.c" "$D/src/hello.wasm" 2>"$D/stderr"; then
	fail guest-build "clang --target=wasm32-wasi failed: $(head -1 "$D/stderr")"
	exit 0
fi
HELLO=$D/src/hello.wasm
HELLO_SIZE=$(stat -c %s "$HELLO")
read -r IMP_START IMP_END < <(section_range "$HELLO" Import)
if [ -z "${IMP_START:-}" ]; then
	fail guest-layout "wasm-objdump finds no import section in hello.wasm"
	exit 0
fi

. "$DRV/modules.sh"
. "$DRV/env.sh"
. "$DRV/builds.sh"
. "$DRV/membase.sh"
. "$DRV/libcfn.sh"
. "$DRV/cache.sh"
. "$DRV/reproducible.sh"
. "$DRV/outputs.sh"

rm -rf "$D"
exit 0

# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Part of the driver tier (tests/driver/run.sh sources it, in order): the command line.

run_aot --help
if [ "$rc" -eq 0 ] && grep -q '^USAGE' "$D/stdout" && grep -q '^EXAMPLES' "$D/stdout" &&
	grep -q '^OPTIONS' "$D/stdout" && grep -q -- '--allow-unknown-imports' "$D/stdout" &&
	[ ! -s "$D/stderr" ]; then
	pass help
else
	fail help "exit $rc or missing USAGE/EXAMPLES/OPTIONS on stdout"
fi

if grep -q -- '--no-cache' "$D/stdout" && grep -q '^  WASMBPF_AOT_CACHE' "$D/stdout"; then
	pass help-cache
else
	fail help-cache "--help lacks --no-cache or WASMBPF_AOT_CACHE"
fi

run_aot -h
[ "$rc" -eq 0 ] && grep -q '^USAGE' "$D/stdout" && pass help-short || fail help-short "exit $rc"

run_aot --version
if [ "$rc" -eq 0 ] && head -1 "$D/stdout" | grep -Eq '^wasmbpf-aot [0-9]+\.[0-9]+' &&
	grep -qF "wasm2c $(wasm2c --version)" "$D/stdout"; then
	pass version
else
	fail version "exit $rc: $(tr '\n' ' ' <"$D/stdout")"
fi

expect_fail usage-unknown-long 2 "unknown option '--bogus'" --bogus x.wasm
expect_fail usage-unknown-short 2 "unknown option '-x'" -x x.wasm
expect_fail usage-no-input 2 "no input file"
expect_fail usage-two-inputs 2 "more than one input file" a.wasm b.wasm
expect_fail usage-bad-opt-level 2 "invalid optimization level '-O9'" -O9 x.wasm
expect_fail usage-missing-arg 2 "option '-o' needs an argument" x.wasm -o
expect_fail usage-bad-env 2 "invalid --env 'NOEQUALS'" --env NOEQUALS x.wasm
expect_fail usage-bad-dir 2 "invalid --dir" --dir '' x.wasm
expect_fail usage-empty-btf 2 "--btf needs a file name" --btf '' x.wasm
# what the runtime would refuse at every start is refused at compile time
expect_fail usage-bad-dir-empty-guest 2 "invalid --dir 'a::'" --dir 'a::' x.wasm
expect_fail usage-bad-dir-empty-host 2 "invalid --dir '::b'" --dir '::b' x.wasm

# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Part of the driver tier (tests/driver/run.sh sources it, in order): bad, truncated and corrupted modules, imports and exports; both engines
# refuse each with the same line.

expect_fail missing-file 1 "$D/src/nope.wasm: cannot open: No such file or directory" \
	"$D/src/nope.wasm" -o "$D/out/prog"
expect_fail not-wasm 1 "hello.c: not a wasm module (bad magic)" \
	"$D/src/hello.c" -o "$D/out/prog"
expect_fail directory-input 1 "not a regular file" "$D/src" -o "$D/out/prog"
: >"$D/src/empty.wasm"
expect_fail empty-file 1 "empty.wasm: not a wasm module (bad magic)" \
	"$D/src/empty.wasm" -o "$D/out/prog"

# corrupted copies of the real module
corrupt() { # corrupt NAME: copy of hello.wasm as $D/src/NAME.wasm, path on stdout
	cp "$HELLO" "$D/src/$1.wasm"
	echo "$D/src/$1.wasm"
}
f=$(corrupt trunc-3); truncate -s 3 "$f"
expect_fail truncated-at-3 1 "trunc-3.wasm: not a wasm module (bad magic)" "$f" -o "$D/out/prog"
f=$(corrupt trunc-6); truncate -s 6 "$f"
expect_fail truncated-in-header 1 "trunc-6.wasm: truncated module header" "$f" -o "$D/out/prog"
f=$(corrupt trunc-import); truncate -s $(((IMP_START + IMP_END) / 2)) "$f"
expect_fail truncated-in-import-section 1 "trunc-import.wasm: truncated import section" \
	"$f" -o "$D/out/prog"
f=$(corrupt trunc-half); truncate -s $((HELLO_SIZE / 2)) "$f"
expect_fail truncated-at-half 1 "trunc-half.wasm: truncated" "$f" -o "$D/out/prog"
f=$(corrupt trunc-last); truncate -s $((HELLO_SIZE - 1)) "$f"
expect_fail truncated-last-byte 1 "trunc-last.wasm: truncated" "$f" -o "$D/out/prog"
f=$(corrupt bad-magic); patch "$f" 1 41
expect_fail bad-magic 1 "bad-magic.wasm: not a wasm module (bad magic)" "$f" -o "$D/out/prog"
f=$(corrupt bad-version); patch "$f" 4 02
expect_fail bad-version 1 "bad-version.wasm: unsupported wasm binary version 0x2" \
	"$f" -o "$D/out/prog"
f=$(corrupt huge-leb); patch "$f" "$IMP_START" ffffffff7f
expect_fail huge-leb 1 "huge-leb.wasm: overflowing LEB128 in import section" \
	"$f" -o "$D/out/prog"
f=$(corrupt huge-count); patch "$f" "$IMP_START" 7f
expect_fail huge-import-count 1 \
	"huge-count.wasm: import count 127 exceeds the size of the import section" \
	"$f" -o "$D/out/prog"
# flip a byte of an import name inside the import section: proc_exit -> proc_exiT
f=$(corrupt renamed)
off=$(grep -obUa 'proc_exit' "$f" | head -1 | cut -d: -f1)
if [ -n "$off" ] && [ "$off" -ge "$IMP_START" ] && [ "$off" -lt "$IMP_END" ]; then
	patch "$f" $((off + 8)) 54
	expect_fail flipped-import-name 1 \
		"renamed.wasm: unsupported import 'wasi_snapshot_preview1.proc_exiT'" \
		"$f" -o "$D/out/prog"
else
	fail flipped-import-name "proc_exit not found in the import section"
fi
# a name length byte made huge inside the import section (first module name)
f=$(corrupt name-len); patch "$f" $((IMP_START + 1)) 7f
expect_fail import-name-length 1 "name-len.wasm: " "$f" -o "$D/out/prog"
# the first import's kind byte: module name "wasi_snapshot_preview1" (1 + 22 bytes), then name
f=$(corrupt bad-kind)
nlen=$(od -An -tu1 -j $((IMP_START + 24)) -N1 "$f" | tr -d ' ')
patch "$f" $((IMP_START + 25 + nlen)) 07
expect_fail bad-import-kind 1 "bad-kind.wasm: bad import kind 0x07 in import section" \
	"$f" -o "$D/out/prog"

# ---------------------------------------------------------------- imports and exports

wat unsupported <<'EOF'
(module
  (import "wasi_snapshot_preview1" "sock_foo" (func (param i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "_start")))
EOF
expect_fail unsupported-import 1 \
	"wasmbpf-aot: $D/src/unsupported.wasm: unsupported import 'wasi_snapshot_preview1.sock_foo'" \
	"$D/src/unsupported.wasm" -o "$D/out/prog"

wat wrong-sig <<'EOF'
(module
  (import "wasm_bpf" "wasm_load_bpf_object" (func (param i32) (result i64)))
  (memory (export "memory") 1)
  (func (export "_start")))
EOF
expect_fail wrong-signature 1 \
	"wrong-sig.wasm: import 'wasm_bpf.wasm_load_bpf_object' has type (i32) -> i64, expected (i32, i32) -> i64" \
	"$D/src/wrong-sig.wasm" -o "$D/out/prog"
# a wrong signature stays an error with --allow-unknown-imports
expect_fail wrong-signature-allow-unknown 1 "has type (i32) -> i64, expected (i32, i32) -> i64" \
	--allow-unknown-imports "$D/src/wrong-sig.wasm" -o "$D/out/prog"

wat env-alias-wrong <<'EOF'
(module
  (import "env" "wasm_close_bpf_object" (func (param i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "_start")))
EOF
expect_fail wrong-signature-env-alias 1 \
	"import 'env.wasm_close_bpf_object' has type (i32) -> i32, expected (i64) -> i32" \
	"$D/src/env-alias-wrong.wasm" -o "$D/out/prog"

wat import-memory <<'EOF'
(module
  (import "env" "memory" (memory 1))
  (export "memory" (memory 0))
  (func (export "_start")))
EOF
expect_fail imported-memory 1 "unsupported import 'env.memory' (a memory" \
	"$D/src/import-memory.wasm" -o "$D/out/prog"

wat import-global <<'EOF'
(module
  (import "env" "g" (global i32))
  (memory (export "memory") 1)
  (func (export "_start")))
EOF
expect_fail imported-global 1 "unsupported import 'env.g' (a global" \
	"$D/src/import-global.wasm" -o "$D/out/prog"

wat import-table <<'EOF'
(module
  (import "env" "t" (table 1 funcref))
  (memory (export "memory") 1)
  (func (export "_start")))
EOF
expect_fail imported-table 1 "unsupported import 'env.t' (a table" \
	"$D/src/import-table.wasm" -o "$D/out/prog"

wat no-start <<'EOF'
(module
  (memory (export "memory") 1)
  (func (export "main")))
EOF
expect_fail missing-start 1 "no-start.wasm: missing export '_start'" \
	"$D/src/no-start.wasm" -o "$D/out/prog"

wat start-type <<'EOF'
(module
  (memory (export "memory") 1)
  (func (export "_start") (param i32)))
EOF
expect_fail start-wrong-type 1 "export '_start' has type (i32) -> (), expected () -> ()" \
	"$D/src/start-type.wasm" -o "$D/out/prog"

wat no-memory <<'EOF'
(module
  (memory 1)
  (func (export "_start")))
EOF
expect_fail missing-memory-export 1 "no-memory.wasm: missing export 'memory'" \
	"$D/src/no-memory.wasm" -o "$D/out/prog"

wat memory-is-func <<'EOF'
(module
  (memory 1)
  (func (export "memory"))
  (func (export "_start")))
EOF
expect_fail memory-export-not-memory 1 "export 'memory' is a function, expected a memory" \
	"$D/src/memory-is-func.wasm" -o "$D/out/prog"

wat go-callback-type <<'EOF'
(module
  (memory (export "memory") 1)
  (func (export "_start"))
  (func (export "go-callback") (param i32 i32) (result i32) i32.const 0))
EOF
expect_fail go-callback-wrong-type 1 \
	"export 'go-callback' has type (i32, i32) -> i32, expected (i32, i32, i32) -> i32" \
	"$D/src/go-callback-type.wasm" -o "$D/out/prog"

# a module that passes our reader but not wasm2c's validation
WAT_FLAGS=--no-check wat invalid <<'EOF'
(module
  (memory (export "memory") 1)
  (func (export "_start") i32.add))
EOF
expect_fail wasm2c-rejects 1 "invalid.wasm: wasm2c failed: " \
	"$D/src/invalid.wasm" -o "$D/out/prog"

# wasmbpf-run reads and checks a module with the driver's code: each refusal is
# the same line after the program's name.
RUN=${WASMBPF_RUN:-$WBPF_BUILD/bin/wasmbpf-run}
if [ ! -x "$RUN" ]; then
	skip refusals-same-in-interp "no $RUN"
else
	differ=
	for m in unsupported wrong-sig env-alias-wrong import-memory import-global import-table \
		no-start start-type no-memory memory-is-func go-callback-type bad-magic bad-version \
		trunc-import huge-leb bad-kind; do
		f=$D/src/$m.wasm
		[ -f "$f" ] || { differ+=" $m(missing)"; continue; }
		"$AOT" "$f" -o "$D/out/prog" 2>"$D/aot.err" >/dev/null
		"$RUN" "$f" 2>"$D/run.err" >/dev/null
		rc=$?
		a=$(sed 's/^wasmbpf-aot: //' "$D/aot.err")
		r=$(sed 's/^wasmbpf-run: //' "$D/run.err")
		if [ "$a" != "$r" ] || [ $rc -ne 1 ] || [ -z "$a" ]; then
			differ+=" $m"
			echo "refusals-same-in-interp: $m: aot '$a' vs run '$r' (exit $rc)" >&2
		fi
	done
	if [ -z "$differ" ]; then
		pass refusals-same-in-interp
	else
		fail refusals-same-in-interp "different words or exit for:$differ"
	fi
fi

#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Driver tier: wasmbpf-aot's command line, and its behaviour on bad, truncated,
# corrupted and hostile modules: one clear line on stderr, exit 1, no output
# file and no temporary file left behind. Then real builds that run.
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

# ---------------------------------------------------------------- helpers

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

# ---------------------------------------------------------------- command line

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
# what the runtime would refuse at every start is refused at compile time
expect_fail usage-bad-dir-empty-guest 2 "invalid --dir 'a::'" --dir 'a::' x.wasm
expect_fail usage-bad-dir-empty-host 2 "invalid --dir '::b'" --dir '::b' x.wasm

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

# ---------------------------------------------------------------- bad inputs

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

# ---------------------------------------------------------------- environment failures

expect_fail output-dir-missing 1 "cannot create output '$D/out/nodir/prog': No such file or directory" \
	"$HELLO" -o "$D/out/nodir/prog"
if [ "$(id -u)" -eq 0 ]; then
	unwritable=/sys/wasmbpf-aot-test-prog # even root cannot create files in sysfs
else
	mkdir -p "$D/ro" && chmod 555 "$D/ro"
	unwritable=$D/ro/prog
fi
expect_fail output-unwritable 1 "cannot create output '$unwritable'" "$HELLO" -o "$unwritable"
[ -e "$unwritable" ] && fail output-unwritable-absent "$unwritable exists"
clean_out
mkdir "$D/out/isdir"
run_aot "$HELLO" -o "$D/out/isdir"
if [ "$rc" -eq 1 ] && grep -q "Is a directory" "$D/stderr" && [ -z "$(ls -A "$D/out/isdir")" ] &&
	[ -z "$(ls -A "$D/tmp")" ]; then
	pass output-is-directory
else
	fail output-is-directory "exit $rc: $(head -1 "$D/stderr")"
fi
clean_out
WASMBPF_AOT_HOME=$D/nohome "$AOT" "$HELLO" -o "$D/out/prog" >"$D/stdout" 2>"$D/stderr"
rc=$?
if [ "$rc" -eq 1 ] && grep -q "runtime archive $D/nohome/lib/wasmbpf-aot/libwbpf-rt.a" "$D/stderr" &&
	[ -z "$(leftovers)" ]; then
	pass missing-runtime-archive
else
	fail missing-runtime-archive "exit $rc: $(head -1 "$D/stderr")"
fi
expect_fail wasm2c-missing 1 "wasm2c failed: cannot run '$D/no-wasm2c'" \
	--wasm2c "$D/no-wasm2c" "$HELLO" -o "$D/out/prog"
MANY_LINES=1 expect_fail cc-fails 1 "cc failed: " --cflags "-include $D/no-such-header.h" \
	"$HELLO" -o "$D/out/prog"
expect_fail cc-missing 1 "cc failed: cannot run '$D/no-cc'" --cc "$D/no-cc" \
	"$HELLO" -o "$D/out/prog"
MANY_LINES=1 expect_fail link-fails 1 "link failed: " --ldflags "-lwasmbpf_aot_no_such_lib" \
	"$HELLO" -o "$D/out/prog"

# SIGTERM while the compiler runs: the temporary directory and output go away
clean_out
cat >"$D/slow-cc" <<'EOF'
#!/bin/sh
echo $$ >"$SLOW_CC_MARK"
exec sleep 30
EOF
chmod +x "$D/slow-cc"
export SLOW_CC_MARK=$D/slow-cc-started
rm -f "$SLOW_CC_MARK"
"$AOT" --cc "$D/slow-cc" "$HELLO" -o "$D/out/prog" 2>"$D/stderr" &
pid=$!
for _ in $(seq 200); do [ -s "$SLOW_CC_MARK" ] && break; sleep 0.05; done
had_tmp=$(find "$D/tmp" -mindepth 1 -maxdepth 1 | wc -l)
kill -TERM "$pid"
wait "$pid"
rc=$?
sleep 0.2
if [ ! -e "$SLOW_CC_MARK" ]; then
	fail sigterm-cleanup "the compiler never started"
elif [ "$rc" -ne 143 ]; then
	fail sigterm-cleanup "exit $rc, expected 143 (SIGTERM)"
elif [ "$had_tmp" -ne 1 ]; then
	fail sigterm-cleanup "no temporary directory while compiling"
elif [ -n "$(leftovers)" ]; then
	fail sigterm-cleanup "left behind: $(leftovers | tr '\n' ' ')"
elif kill -0 "$(cat "$SLOW_CC_MARK")" 2>/dev/null; then
	fail sigterm-cleanup "the compiler is still running"
else
	pass sigterm-cleanup
fi
unset SLOW_CC_MARK

# ---------------------------------------------------------------- builds that run

# build NAME ARGS...: the driver must succeed and leave only the output
build_ok() {
	local name=$1
	shift
	clean_out
	run_aot "$@"
	if [ "$rc" -ne 0 ]; then
		fail "$name" "wasmbpf-aot exit $rc: $(head -1 "$D/stderr")"
		sed 's/^/    /' "$D/stderr" | head -20 >&2
		return 1
	fi
	if [ -n "$(find "$D/tmp" -mindepth 1)" ]; then
		fail "$name" "temporary files left: $(find "$D/tmp" -mindepth 1 | tr '\n' ' ')"
		return 1
	fi
	return 0
}

if build_ok hello-runs "$HELLO" -o "$D/out/hello"; then
	out=$("$D/out/hello" a 'b c' 2>"$D/run-stderr")
	rc=$?
	want=$'hello from wasm with 2 args\narg 1: a\narg 2: b c'
	mode=$(stat -c %a "$D/out/hello")
	if [ "$rc" -ne 3 ]; then
		fail hello-runs "exit $rc, expected 3 (main's return value); $(head -1 "$D/run-stderr")"
	elif [ "$out" != "$want" ]; then
		fail hello-runs "stdout differs: $(echo "$out" | head -3 | tr '\n' '|')"
	elif [ "$mode" != 755 ]; then
		fail hello-runs "mode $mode, expected 755"
	elif [ "$(find "$D/out" -mindepth 1 | wc -l)" -ne 1 ]; then
		fail hello-runs "extra files in the output directory"
	else
		pass hello-runs
	fi
	# libc only; plus, where the build found a distribution's static archive
	# unusable (Debian 13's libelf.a), the libraries it links shared instead,
	# as `wasmbpf-aot --version` says (those after -Wl,-Bdynamic)
	# a sanitizer build (WBPF_SANITIZE) links the sanitizers' runtimes too
	san_libs=
	[ -n "${WBPF_SANITIZE:-}" ] && san_libs='libasan\.so|libubsan\.so|libgcc_s\.so|libstdc\+\+\.so|'
	shared=$("$AOT" --version | sed -n 's/^links .*-Wl,-Bdynamic//p' |
		grep -o -- '-l[^ ]*' | sed 's/^-l\(.*\)/lib\1\\.so/' | tr '\n' '|')
	libs=$(ldd "$D/out/hello" 2>/dev/null | awk '{print $1}' |
		grep -Ev "^(linux-vdso|/lib64/ld-linux|libc\.so|libm\.so|${shared}${san_libs}NONE)" | tr '\n' ' ')
	[ -z "$libs" ] && pass hello-needs-only-libc || fail hello-needs-only-libc "also needs: $libs"
fi

# default output name: the input without .wasm, next to it
cp "$HELLO" "$D/out/default.wasm"
rm -rf "$D/tmp" && mkdir -p "$D/tmp"
if "$AOT" "$D/out/default.wasm" 2>"$D/stderr" && [ -x "$D/out/default" ]; then
	pass default-output-name
else
	fail default-output-name "no $D/out/default: $(head -1 "$D/stderr")"
fi

# replacing an existing output; -O0 and --strip; -v shows the commands and times
if build_ok verbose-strip -v -O0 --strip "$HELLO" -o "$D/out/hello"; then
	if grep -q '^+ wasm2c -n guest' "$D/stderr" && grep -q '^+ .*-O0 .*guest.c' "$D/stderr" &&
		grep -q 'wasmbpf-aot: wasm2c: [0-9.]* s' "$D/stderr" &&
		! file "$D/out/hello" | grep -q 'not stripped' &&
		[ "$("$D/out/hello" x)" = $'hello from wasm with 1 args\narg 1: x' ]; then
		pass verbose-strip
	else
		fail verbose-strip "missing command lines or not stripped or wrong output"
	fi
fi

# --keep-c and --save-temps
if build_ok keep-c --keep-c "$D/out/c" "$HELLO" -o "$D/out/hello"; then
	if [ -s "$D/out/c/guest.c" ] && [ -s "$D/out/c/guest.h" ] &&
		grep -q 'wbpf_aot_main' "$D/out/c/glue.c" && grep -q 'do not edit' "$D/out/c/glue.c" &&
		! grep -q "$D" "$D/out/c/glue.c"; then
		pass keep-c
	else
		fail keep-c "guest.c/guest.h/glue.c missing or glue not as expected"
	fi
fi
clean_out
run_aot --save-temps "$HELLO" -o "$D/out/hello"
kept=$(sed -n 's/^wasmbpf-aot: temporary files in //p' "$D/stderr")
if [ "$rc" -eq 0 ] && [ -n "$kept" ] && [ -s "$kept/guest.c" ] && [ -s "$kept/glue.c" ] &&
	[ -s "$kept/guest.o" ]; then
	pass save-temps
else
	fail save-temps "exit $rc, kept '$kept'"
fi
[ -n "$kept" ] && case $kept in "$D"/tmp/*) rm -rf "$kept" ;; esac

# the output is the input: refused
clean_out
cp "$HELLO" "$D/out/same"
run_aot "$D/out/same" -o "$D/out/same"
if [ "$rc" -eq 1 ] && grep -q "is the input file" "$D/stderr" && cmp -s "$HELLO" "$D/out/same"; then
	pass output-is-input
else
	fail output-is-input "exit $rc: $(head -1 "$D/stderr")"
fi

# --allow-unknown-imports: the program runs until it calls the import, then traps
cat >"$D/src/unknown.c" <<'EOF'
#include <stdio.h>
__attribute__((import_module("wasi_snapshot_preview1"), import_name("sock_foo")))
int sock_foo(int);
int main(int argc, char **argv)
{
	printf("before\n");
	fflush(stdout);
	if (argc > 1)
		return sock_foo(argc);
	printf("not called\n");
	return 0;
}
EOF
if guest_cc "$D/src/unknown.c" "$D/src/unknown.wasm" 2>"$D/stderr"; then
	expect_fail unknown-import-refused 1 \
		"unknown.wasm: unsupported import 'wasi_snapshot_preview1.sock_foo'" \
		"$D/src/unknown.wasm" -o "$D/out/unknown"
	if build_ok allow-unknown-imports --allow-unknown-imports "$D/src/unknown.wasm" \
		-o "$D/out/unknown"; then
		out=$("$D/out/unknown" 2>"$D/run-stderr")
		rc0=$?
		out1=$("$D/out/unknown" call 2>"$D/run-stderr")
		rc1=$?
		want="unknown: wasm trap: call to unsupported import 'wasi_snapshot_preview1.sock_foo'"
		if [ "$rc0" -ne 0 ] || [ "$out" != $'before\nnot called' ]; then
			fail allow-unknown-imports "without the call: exit $rc0, stdout '$out'"
		elif [ "$rc1" -ne 134 ]; then
			fail allow-unknown-imports "call: exit $rc1, expected 134"
		elif [ "$out1" != before ]; then
			fail allow-unknown-imports "call: stdout '$out1'"
		elif [ "$(cat "$D/run-stderr")" != "$want" ]; then
			fail allow-unknown-imports "call: stderr '$(head -1 "$D/run-stderr")'"
		else
			pass allow-unknown-imports
		fi
	fi
else
	fail allow-unknown-imports "guest build failed: $(head -1 "$D/stderr")"
fi

# --env and --dir baked in as defaults, with bytes that need C escaping
cat >"$D/src/grants.c" <<'EOF'
#include <stdio.h>
#include <stdlib.h>
int main(void)
{
	const char *v = getenv("WBPF_T");
	char line[128];
	FILE *f = fopen("/data/file.txt", "r");

	printf("env=[%s]\n", v ? v : "(unset)");
	if (!f || !fgets(line, sizeof(line), f))
		printf("file=(none)\n");
	else
		printf("file=%s", line);
	return 0;
}
EOF
mkdir -p "$D/data"
echo 'granted "contents"' >"$D/data/file.txt"
if guest_cc "$D/src/grants.c" "$D/src/grants.wasm" 2>"$D/stderr"; then
	val='a"b\c??=x'$'\t''y'
	if build_ok baked-grants --env "WBPF_T=$val" --dir "$D/data::/data:ro" \
		"$D/src/grants.wasm" -o "$D/out/grants"; then
		out=$(env -u WBPF_T "$D/out/grants" 2>"$D/run-stderr")
		want="env=[$val]"$'\n''file=granted "contents"'
		if [ "$out" = "$want" ]; then
			pass baked-grants
		else
			fail baked-grants "stdout '$(echo "$out" | tr '\n' '|')' (exit $?): $(head -1 "$D/run-stderr")"
		fi
	fi
else
	fail baked-grants "guest build failed: $(head -1 "$D/stderr")"
fi

# a larger guest (printf, malloc, qsort): builds and gives the right answer
cat >"$D/src/sort.c" <<'EOF'
#include <stdio.h>
#include <stdlib.h>
static int cmp(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}
int main(void)
{
	unsigned int n = 100000, seed = 12345;
	int *v = malloc(n * sizeof(*v));
	long long sum = 0;

	for (unsigned int i = 0; i < n; i++) {
		seed = seed * 1103515245u + 12345u;
		v[i] = (int)(seed >> 8) % 1000000;
	}
	qsort(v, n, sizeof(*v), cmp);
	for (unsigned int i = 1; i < n; i++)
		if (v[i - 1] > v[i])
			return 1;
	for (unsigned int i = 0; i < n; i += 1000)
		sum += v[i];
	printf("min=%d max=%d sum=%lld %.3f\n", v[0], v[n - 1], sum, sum / 7.0);
	free(v);
	return 0;
}
EOF
if guest_cc "$D/src/sort.c" "$D/src/sort.wasm" 2>"$D/stderr" &&
	cc -O2 -o "$D/sort-native" "$D/src/sort.c" 2>>"$D/stderr"; then
	if build_ok larger-guest "$D/src/sort.wasm" -o "$D/out/sort"; then
		want=$("$D/sort-native")
		out=$("$D/out/sort" 2>"$D/run-stderr")
		if [ "$out" = "$want" ]; then
			pass larger-guest
		else
			fail larger-guest "'$out' != native '$want': $(head -1 "$D/run-stderr")"
		fi
	fi
else
	fail larger-guest "guest build failed: $(head -1 "$D/stderr")"
fi

# a module without a table gets .table = NULL and still runs
wat no-table <<'EOF'
(module
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory (export "memory") 1)
  (func (export "_start") i32.const 7 call $exit))
EOF
if build_ok no-table --keep-c "$D/out/c" "$D/src/no-table.wasm" -o "$D/out/no-table"; then
	"$D/out/no-table"
	rc=$?
	if grep -q '\.table = NULL' "$D/out/c/glue.c" && [ "$rc" -eq 7 ]; then
		pass no-table
	else
		fail no-table "exit $rc (expected 7) or table not NULL in the glue"
	fi
fi

# make install: the installed driver finds its runtime from its own location and
# works from any directory; the installed SDK builds a guest
inst=$D/install
if make -s -C "$WBPF_TOP" OUT="$WBPF_BUILD" ${WBPF_SANITIZE:+SANITIZE=$WBPF_SANITIZE} \
	install DESTDIR="$inst" PREFIX=/opt/wbpf \
	>"$D/install.log" 2>&1; then
	if (cd / && "$inst/opt/wbpf/bin/wasmbpf-aot" "$D/src/sort.wasm" -o "$D/out/sort-inst") \
		2>"$D/stderr" && [ "$("$D/out/sort-inst")" = "$("$D/sort-native")" ] &&
		[ -f "$inst/opt/wbpf/share/wasmbpf-aot/include/libbpf-wasm.h" ] &&
		[ -f "$inst/opt/wbpf/share/wasmbpf-aot/wasmbpf.mk" ] &&
		[ -x "$inst/opt/wbpf/bin/wasmbpf-skel" ]; then
		pass install-works-from-anywhere
	else
		fail install-works-from-anywhere "installed tree incomplete or driver failed: $(head -1 "$D/stderr")"
	fi
else
	fail install-works-from-anywhere "make install failed: $(tail -1 "$D/install.log")"
fi

# ---------------------------------------------------------------- build cache

# entries CACHEDIR: how many cache entries (64 hex digits) CACHEDIR holds
entries() {
	find "$1" -maxdepth 1 -type f -regextype posix-extended -name '*' \
		-regex '.*/[0-9a-f]{64}' 2>/dev/null | wc -l
}

# cached NAME CACHEDIR [ARGS...]: a build with -v in CACHEDIR that must succeed;
# "hit", "miss" or "none" (no cache message) in $cache_said
cached() {
	local name=$1
	export WASMBPF_AOT_CACHE=$2
	shift 2
	cache_said=
	if build_ok "$name" -v "$@"; then
		if grep -q '^wasmbpf-aot: cache hit [0-9a-f]\{12\}$' "$D/stderr"; then
			cache_said=hit
		elif grep -q '^wasmbpf-aot: cache miss [0-9a-f]\{12\}$' "$D/stderr"; then
			cache_said=miss
		else
			cache_said=none
		fi
	fi
	export WASMBPF_AOT_CACHE=$D/cache
	[ -n "$cache_said" ]
}

C=$D/c-main
HELLO_WANT=$'hello from wasm with 2 args\narg 1: a\narg 2: b c'
# a miss builds and stores; the same build again is a hit that skips every tool
if cached cache-miss-stores "$C" "$HELLO" -o "$D/out/hello"; then
	cp "$D/out/hello" "$D/hello-first"
	mode=$(stat -c %a "$C")
	if [ "$cache_said" != miss ]; then
		fail cache-miss-stores "first build: no 'cache miss' ($cache_said)"
	elif [ "$(entries "$C")" -ne 1 ]; then
		fail cache-miss-stores "$(entries "$C") entries after one build, expected 1"
	elif [ "$mode" != 700 ]; then
		fail cache-miss-stores "cache directory mode $mode, expected 700"
	elif ! grep -q '^+ wasm2c ' "$D/stderr"; then
		fail cache-miss-stores "a miss did not run wasm2c"
	elif [ -n "$(find "$C" -name '*.tmp.*')" ]; then
		fail cache-miss-stores "temporary file left in the cache"
	else
		pass cache-miss-stores
	fi
fi
if cached cache-hit "$C" "$HELLO" -o "$D/out/hello2"; then
	key=$(sed -n 's/^wasmbpf-aot: cache hit //p' "$D/stderr")
	out=$("$D/out/hello2" a 'b c' 2>/dev/null)
	rc=$?
	if [ "$cache_said" != hit ]; then
		fail cache-hit "second build: no 'cache hit' ($cache_said)"
	elif grep -q '^+ ' "$D/stderr"; then
		fail cache-hit "a hit ran a command: $(grep '^+ ' "$D/stderr" | head -1)"
	elif ! ls "$C/$key"* >/dev/null 2>&1; then
		fail cache-hit "no entry $key... in the cache"
	elif ! cmp -s "$D/hello-first" "$D/out/hello2"; then
		fail cache-hit "the executable differs from the first build's"
	elif [ "$(stat -c %a "$D/out/hello2")" != 755 ]; then
		fail cache-hit "mode $(stat -c %a "$D/out/hello2"), expected 755"
	elif [ "$rc" -ne 3 ] || [ "$out" != "$HELLO_WANT" ]; then
		fail cache-hit "the cached executable: exit $rc, stdout '$(echo "$out" | tr '\n' '|')'"
	elif [ "$(find "$D/out" -mindepth 1 | wc -l)" -ne 1 ]; then
		fail cache-hit "extra files in the output directory: $(ls -A "$D/out" | tr '\n' ' ')"
	elif [ "$(entries "$C")" -ne 1 ]; then
		fail cache-hit "$(entries "$C") entries, expected still 1"
	else
		pass cache-hit
	fi
fi
# a hit replaces an existing output; quiet without -v
clean_out
echo old >"$D/out/hello"
WASMBPF_AOT_CACHE=$C "$AOT" "$HELLO" -o "$D/out/hello" >"$D/stdout" 2>"$D/stderr"
rc=$?
if [ "$rc" -eq 0 ] && [ ! -s "$D/stderr" ] && [ ! -s "$D/stdout" ] &&
	cmp -s "$D/hello-first" "$D/out/hello" && [ -z "$(ls -A "$D/tmp")" ]; then
	pass cache-hit-replaces-quietly
else
	fail cache-hit-replaces-quietly "exit $rc, stderr '$(head -1 "$D/stderr")'"
fi

# everything in the key: each change is a miss (and a new entry)
n=$(entries "$C")
cache_miss() { # cache_miss NAME ARGS...: a miss that adds one entry and runs
	local name=$1
	shift
	if cached "$name" "$C" "$@"; then
		if [ "$cache_said" != miss ]; then
			fail "$name" "expected a miss, got: $cache_said"
		elif [ "$(entries "$C")" -ne $((n + 1)) ]; then
			fail "$name" "$(entries "$C") entries, expected $((n + 1))"
		else
			pass "$name"
		fi
	fi
	n=$(entries "$C")
}
cache_miss cache-miss-opt-level -O1 "$HELLO" -o "$D/out/hello"
cache_miss cache-miss-env --env CACHE_T=1 "$HELLO" -o "$D/out/hello"
cache_miss cache-miss-env-value --env CACHE_T=2 "$HELLO" -o "$D/out/hello"
cache_miss cache-miss-dir --dir "$D/data" "$HELLO" -o "$D/out/hello"
cache_miss cache-miss-strip --strip "$HELLO" -o "$D/out/hello"
cache_miss cache-miss-cflags --cflags -DCACHE_T "$HELLO" -o "$D/out/hello"
# the key is what the build does, not the words that asked for it: on a module
# without unsupported imports --allow-unknown-imports changes nothing, so the
# executable is the same and so is the key
if cached cache-hit-allow-unknown-unused "$C" --allow-unknown-imports "$HELLO" -o "$D/out/hello"; then
	if [ "$cache_said" != hit ]; then
		fail cache-hit-allow-unknown-unused "expected a hit, got: $cache_said"
	else
		pass cache-hit-allow-unknown-unused
	fi
fi
n=$(entries "$C")
# with an unsupported import it adds the trapping stub: another executable
cache_miss cache-miss-allow-unknown --allow-unknown-imports "$D/src/unsupported.wasm" \
	-o "$D/out/unsupported"
# "-DA -DB" as cflags, or "-DA" as cflags and "-DB" as ldflags: the fields do
# not run together
cache_miss cache-miss-two-cflags --cflags "-DCACHE_T -DCACHE_U" "$HELLO" -o "$D/out/hello"
cache_miss cache-miss-field-boundary --cflags -DCACHE_T --ldflags -DCACHE_U \
	"$HELLO" -o "$D/out/hello"
# a changed module: hello.wasm with an empty custom section "abc" appended
cp "$HELLO" "$D/src/hello-custom.wasm"
printf '\x00\x04\x03abc' >>"$D/src/hello-custom.wasm"
cache_miss cache-miss-module "$D/src/hello-custom.wasm" -o "$D/out/hello"
if [ "$("$D/out/hello" a 'b c')" != "$HELLO_WANT" ]; then
	fail cache-miss-module-runs "the changed module's executable misbehaves"
fi
# a different runtime archive: a copy of the runtime with one more (unused) object
home2=$D/home2
mkdir -p "$home2/lib/wasmbpf-aot" "$home2/include"
cp -a "$WBPF_BUILD/include/wasmbpf-aot" "$home2/include/"
cp "$WBPF_BUILD/lib/wasmbpf-aot/libwbpf-rt.a" "$home2/lib/wasmbpf-aot/"
echo 'int wbpf_cache_test_extra;' >"$D/src/extra.c"
if cc -c "$D/src/extra.c" -o "$D/src/extra.o" &&
	ar rcs "$home2/lib/wasmbpf-aot/libwbpf-rt.a" "$D/src/extra.o"; then
	WASMBPF_AOT_HOME=$home2 cache_miss cache-miss-runtime "$HELLO" -o "$D/out/hello"
	# and a changed runtime header
	echo '/* changed */' >>"$home2/include/wasmbpf-aot/wbpf/aot.h"
	WASMBPF_AOT_HOME=$home2 cache_miss cache-miss-runtime-header "$HELLO" -o "$D/out/hello"
else
	fail cache-miss-runtime "cannot make a changed copy of the runtime archive"
fi
# a different C compiler (a wrapper script around cc) and a different wasm2c
printf '#!/bin/sh\nexec %s "$@"\n' "${CC:-cc}" >"$D/cc-wrap"
printf '#!/bin/sh\nexec wasm2c "$@"\n' >"$D/wasm2c-wrap"
chmod +x "$D/cc-wrap" "$D/wasm2c-wrap"
cache_miss cache-miss-cc --cc "$D/cc-wrap" "$HELLO" -o "$D/out/hello"
touch -d '2001-01-01' "$D/cc-wrap" # same path, other mtime: another compiler
cache_miss cache-miss-cc-mtime --cc "$D/cc-wrap" "$HELLO" -o "$D/out/hello"
cache_miss cache-miss-wasm2c --wasm2c "$D/wasm2c-wrap" "$HELLO" -o "$D/out/hello"
# and unchanged once more: still a hit
if cached cache-hit-again "$C" "$HELLO" -o "$D/out/hello"; then
	[ "$cache_said" = hit ] && pass cache-hit-again || fail cache-hit-again "got: $cache_said"
fi

# a zero-length entry (not one the driver writes) is a miss that gets rebuilt
C2=$D/c-empty
if cached cache-empty-entry "$C2" "$HELLO" -o "$D/out/hello"; then
	f=$(find "$C2" -type f | head -1)
	: >"$f"
	if cached cache-empty-entry "$C2" "$HELLO" -o "$D/out/hello"; then
		if [ "$cache_said" = miss ] && [ "$("$D/out/hello" a 'b c')" = "$HELLO_WANT" ] &&
			cmp -s "$f" "$D/out/hello"; then
			pass cache-empty-entry
		else
			fail cache-empty-entry "got: $cache_said, or the entry was not rewritten"
		fi
	fi
fi

# --no-cache, WASMBPF_AOT_CACHE=off or empty, --save-temps and --keep-c: the
# cache is neither read nor written
n=$(entries "$C")
if cached cache-no-cache "$C" --no-cache "$HELLO" -o "$D/out/hello"; then
	if [ "$cache_said" = none ] && grep -q '^+ wasm2c ' "$D/stderr" &&
		grep -q 'cache not used (--no-cache)' "$D/stderr" && [ "$(entries "$C")" -eq "$n" ] &&
		[ "$("$D/out/hello" a 'b c')" = "$HELLO_WANT" ]; then
		pass cache-no-cache
	else
		fail cache-no-cache "cache consulted ($cache_said) or changed"
	fi
fi
if cached cache-no-cache-cold "$D/c-none" --no-cache "$HELLO" -o "$D/out/hello"; then
	[ ! -e "$D/c-none" ] && pass cache-no-cache-cold ||
		fail cache-no-cache-cold "--no-cache created $D/c-none"
fi
for v in off ''; do
	name=cache-env-${v:-empty}
	mkdir -p "$D/home-$name"
	clean_out
	(cd "$D/out" && env -u XDG_CACHE_HOME HOME="$D/home-$name" WASMBPF_AOT_CACHE="$v" \
		"$AOT" -v "$HELLO" -o hello) >"$D/stdout" 2>"$D/stderr"
	rc=$?
	if [ "$rc" -ne 0 ]; then
		fail "$name" "exit $rc: $(head -1 "$D/stderr")"
	elif ! grep -q '^+ wasm2c ' "$D/stderr" || grep -q 'cache \(hit\|miss\)' "$D/stderr"; then
		fail "$name" "the cache was consulted"
	elif [ -n "$(ls -A "$D/home-$name")" ] || [ "$(ls -A "$D/out")" != hello ]; then
		fail "$name" "something was written: $(ls -A "$D/home-$name" "$D/out" | tr '\n' ' ')"
	else
		pass "$name"
	fi
done
if cached cache-keep-c "$C" --keep-c "$D/out/c" "$HELLO" -o "$D/out/hello"; then
	[ "$cache_said" = none ] && [ -s "$D/out/c/guest.c" ] && [ "$(entries "$C")" -eq "$n" ] &&
		pass cache-keep-c || fail cache-keep-c "cache used ($cache_said) or no C kept"
fi
clean_out
WASMBPF_AOT_CACHE=$C "$AOT" -v --save-temps "$HELLO" -o "$D/out/hello" >"$D/stdout" 2>"$D/stderr"
rc=$?
kept=$(sed -n 's/^wasmbpf-aot: temporary files in //p' "$D/stderr")
if [ "$rc" -eq 0 ] && [ -s "$kept/guest.o" ] && ! grep -q 'cache \(hit\|miss\)' "$D/stderr" &&
	[ "$(entries "$C")" -eq "$n" ]; then
	pass cache-save-temps
else
	fail cache-save-temps "exit $rc, kept '$kept', cache used or changed"
fi
[ -n "$kept" ] && case $kept in "$D"/tmp/*) rm -rf "$kept" ;; esac

# the default directories: $XDG_CACHE_HOME/wasmbpf-aot, else $HOME/.cache/wasmbpf-aot
clean_out
mkdir -p "$D/xdg" "$D/home"
env -u WASMBPF_AOT_CACHE XDG_CACHE_HOME="$D/xdg" HOME="$D/home" \
	"$AOT" "$HELLO" -o "$D/out/hello" 2>"$D/stderr"
rc=$?
if [ "$rc" -eq 0 ] && [ "$(entries "$D/xdg/wasmbpf-aot")" -eq 1 ] &&
	[ "$(stat -c %a "$D/xdg/wasmbpf-aot")" = 700 ] && [ -z "$(ls -A "$D/home")" ]; then
	pass cache-dir-xdg
else
	fail cache-dir-xdg "exit $rc, $(entries "$D/xdg/wasmbpf-aot") entries in \$XDG_CACHE_HOME/wasmbpf-aot"
fi
env -u WASMBPF_AOT_CACHE -u XDG_CACHE_HOME HOME="$D/home" \
	"$AOT" "$HELLO" -o "$D/out/hello" 2>"$D/stderr"
rc=$?
if [ "$rc" -eq 0 ] && [ "$(entries "$D/home/.cache/wasmbpf-aot")" -eq 1 ] &&
	[ "$(stat -c %a "$D/home/.cache/wasmbpf-aot")" = 700 ]; then
	pass cache-dir-home
else
	fail cache-dir-home "exit $rc, $(entries "$D/home/.cache/wasmbpf-aot") entries in ~/.cache/wasmbpf-aot"
fi

# an unusable cache directory (under a regular file: even root cannot create
# it) or an unwritable one: the build still succeeds, quietly; -v says why
: >"$D/afile"
clean_out
WASMBPF_AOT_CACHE=$D/afile/cache "$AOT" "$HELLO" -o "$D/out/hello" >"$D/stdout" 2>"$D/stderr"
rc=$?
if [ "$rc" -eq 0 ] && [ ! -s "$D/stderr" ] && [ "$("$D/out/hello" a 'b c')" = "$HELLO_WANT" ] &&
	[ -z "$(ls -A "$D/tmp")" ]; then
	pass cache-dir-unusable
else
	fail cache-dir-unusable "exit $rc: $(head -1 "$D/stderr")"
fi
if cached cache-dir-unusable-verbose "$D/afile/cache" "$HELLO" -o "$D/out/hello"; then
	grep -q "cache not used: $D/afile/cache: Not a directory" "$D/stderr" &&
		pass cache-dir-unusable-verbose ||
		fail cache-dir-unusable-verbose "-v does not say why: $(grep cache "$D/stderr")"
fi
# a directory where storing fails: a store lands in a read-only bind mount
if [ "$(id -u)" -eq 0 ] && mkdir -p "$D/c-ro" && mount --bind "$D/c-ro" "$D/c-ro" 2>/dev/null; then
	if mount -o remount,bind,ro "$D/c-ro" 2>/dev/null &&
		cached cache-store-fails "$D/c-ro" "$HELLO" -o "$D/out/hello"; then
		if grep -q "cannot store in the cache $D/c-ro: Read-only file system" "$D/stderr" &&
			[ "$("$D/out/hello" a 'b c')" = "$HELLO_WANT" ]; then
			pass cache-store-fails
		else
			fail cache-store-fails "-v does not say why: $(grep cache "$D/stderr")"
		fi
	fi
	umount "$D/c-ro"
else
	skip cache-store-fails "needs root and a bind mount"
fi
# a cache directory other users can write: not used
mkdir -p "$D/c-shared" && chmod 777 "$D/c-shared"
if cached cache-dir-world-writable "$D/c-shared" "$HELLO" -o "$D/out/hello"; then
	[ "$cache_said" = none ] && [ "$(entries "$D/c-shared")" -eq 0 ] &&
		grep -q 'writable by others' "$D/stderr" && pass cache-dir-world-writable ||
		fail cache-dir-world-writable "used ($cache_said)"
fi

# bad input with a warm cache fails exactly as before: same message, no output
export WASMBPF_AOT_CACHE=$C
n=$(entries "$C")
expect_fail cache-warm-truncated 1 "trunc-half.wasm: truncated" \
	"$D/src/trunc-half.wasm" -o "$D/out/hello"
expect_fail cache-warm-bad-magic 1 "bad-magic.wasm: not a wasm module (bad magic)" \
	"$D/src/bad-magic.wasm" -o "$D/out/hello"
expect_fail cache-warm-renamed-import 1 \
	"renamed.wasm: unsupported import 'wasi_snapshot_preview1.proc_exiT'" \
	"$D/src/renamed.wasm" -o "$D/out/hello"
expect_fail cache-warm-missing 1 "nope.wasm: cannot open: No such file or directory" \
	"$D/src/nope.wasm" -o "$D/out/hello"
expect_fail cache-warm-output-is-dir 1 "Is a directory" "$HELLO" -o "$D/tmp"
[ "$(entries "$C")" -eq "$n" ] || fail cache-warm-bad-input "the cache changed"
export WASMBPF_AOT_CACHE=$D/cache

# a hit makes the entry recent; more than 64 entries are pruned to the 64 newest
C3=$D/c-prune
mkdir -p "$C3"
chmod 700 "$C3"
for i in $(seq 1 70); do
	k=$(printf 'dummy %d' "$i" | sha256sum | cut -d' ' -f1)
	echo "$k" >>"$D/dummies"
	echo dummy >"$C3/$k"
	touch -d "2001-01-01 00:00:00 UTC + $i minutes" "$C3/$k"
done
echo stray >"$C3/README" # not an entry: never counted nor removed
if cached cache-prune "$C3" "$HELLO" -o "$D/out/hello"; then
	removed=0
	for k in $(head -7 "$D/dummies"); do [ -e "$C3/$k" ] || removed=$((removed + 1)); done
	if [ "$(entries "$C3")" -ne 64 ]; then
		fail cache-prune "$(entries "$C3") entries after pruning, expected 64"
	elif [ "$removed" -ne 7 ]; then
		fail cache-prune "$removed of the 7 oldest removed"
	elif [ ! -e "$C3/README" ] || ! grep -q 'removed 7 old cache entries' "$D/stderr"; then
		fail cache-prune "README removed or -v silent about it"
	else
		pass cache-prune
	fi
	# the fresh entry made old; a hit touches it, so pruning spares it
	hk=$(ls -t "$C3" | head -1)
	touch -d '2000-01-01' "$C3/$hk"
	if cached cache-hit-touches "$C3" "$HELLO" -o "$D/out/hello"; then
		if [ "$cache_said" = hit ] && [ "$(stat -c %Y "$C3/$hk")" -gt "$(date -d 2002-01-01 +%s)" ]; then
			pass cache-hit-touches
		else
			fail cache-hit-touches "$cache_said; mtime $(stat -c %y "$C3/$hk")"
		fi
	fi
	# one more miss: the oldest dummy goes, the touched entry stays
	if cached cache-prune-lru "$C3" -O0 "$HELLO" -o "$D/out/hello"; then
		if [ "$(entries "$C3")" -eq 64 ] && [ -e "$C3/$hk" ] &&
			[ ! -e "$C3/$(sed -n 8p "$D/dummies")" ]; then
			pass cache-prune-lru
		else
			fail cache-prune-lru "$(entries "$C3") entries; touched entry kept: $([ -e "$C3/$hk" ] && echo yes || echo no)"
		fi
	fi
fi

# two builds at once into one cache: both succeed, one entry, no temporary file
C4=$D/c-race
clean_out
WASMBPF_AOT_CACHE=$C4 "$AOT" "$HELLO" -o "$D/out/r1" 2>"$D/stderr1" &
p1=$!
WASMBPF_AOT_CACHE=$C4 "$AOT" "$HELLO" -o "$D/out/r2" 2>"$D/stderr2" &
p2=$!
wait $p1; r1=$?
wait $p2; r2=$?
if [ "$r1" -eq 0 ] && [ "$r2" -eq 0 ] && [ "$(entries "$C4")" -eq 1 ] &&
	[ "$(ls -A "$C4" | wc -l)" -eq 1 ] && [ "$("$D/out/r2" a 'b c')" = "$HELLO_WANT" ]; then
	pass cache-concurrent
else
	fail cache-concurrent "exit $r1/$r2, cache holds: $(ls -A "$C4" | tr '\n' ' ')"
fi

# ---------------------------------------------------------------- both engines, one verdict
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

# ---------------------------------------------------------------- reproducible
# The same module and options give the same bytes: from another directory,
# with another TMPDIR, by another user, cached or not.
R=$D/repro
mkdir -p "$R/a/tmp" "$R/b/tmp" "$R/c"
cp "$HELLO" "$R/a/hello.wasm"
repro_ok=1
(cd "$R/a" && TMPDIR=$R/a/tmp "$AOT" --no-cache hello.wasm -o hello) 2>"$D/stderr" || repro_ok=0
(cd "$R/b" && TMPDIR=$R/b/tmp "$AOT" --no-cache "$HELLO" -o "$R/b/hello") 2>>"$D/stderr" ||
	repro_ok=0
WASMBPF_AOT_CACHE=$R/cache "$AOT" "$HELLO" -o "$R/c/miss" 2>>"$D/stderr" || repro_ok=0
WASMBPF_AOT_CACHE=$R/cache "$AOT" "$HELLO" -o "$R/c/hit" 2>>"$D/stderr" || repro_ok=0
if [ $repro_ok -ne 1 ]; then
	fail reproducible-dirs "a build failed: $(head -1 "$D/stderr")"
elif ! cmp -s "$R/a/hello" "$R/b/hello" || ! cmp -s "$R/a/hello" "$R/c/miss" ||
	! cmp -s "$R/a/hello" "$R/c/hit"; then
	fail reproducible-dirs "outputs differ: $(md5sum "$R/a/hello" "$R/b/hello" "$R/c/miss" "$R/c/hit" | cut -c1-8 | tr '\n' ' ')"
elif grep -aq "wasmbpf-aot\.[A-Za-z0-9]\{6\}" "$R/a/hello"; then
	fail reproducible-dirs "the temporary directory's name is in the executable"
else
	pass reproducible-dirs
fi
# another user (nobody), with its own HOME and cache
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null; then
	mkdir -p "$R/u/tmp"
	chmod -R a+rwx "$R/u"
	chmod a+rx "$D" "$R" "$(dirname "$HELLO")" 2>/dev/null
	if (cd "$R/u" && HOME=$R/u TMPDIR=$R/u/tmp WASMBPF_AOT_CACHE= \
		setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$AOT" "$HELLO" -o "$R/u/hello") 2>"$D/stderr"; then
		if cmp -s "$R/a/hello" "$R/u/hello"; then
			pass reproducible-user
		else
			fail reproducible-user "the build by uid 65534 differs from root's"
		fi
	else
		skip reproducible-user "uid 65534 cannot build here: $(head -1 "$D/stderr")"
	fi
else
	skip reproducible-user "needs root and setpriv"
fi
# options change the bytes: -O1 is another executable
if (cd "$R/a" && TMPDIR=$R/a/tmp "$AOT" --no-cache -O1 hello.wasm -o hello-O1) 2>"$D/stderr" &&
	! cmp -s "$R/a/hello" "$R/a/hello-O1"; then
	pass reproducible-options-differ
else
	fail reproducible-options-differ "-O1 gave the same bytes as -O2, or failed: $(head -1 "$D/stderr")"
fi

rm -rf "$D"
exit 0

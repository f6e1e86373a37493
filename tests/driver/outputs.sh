# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Part of the driver tier (tests/driver/run.sh sources it, in order): the generated C
# in several files compiled at once (--num-outputs), with wasm2c 1.0.33 and later.

expect_fail num-outputs-zero 2 "invalid --num-outputs '0'" --num-outputs 0 "$HELLO"
expect_fail num-outputs-nine 2 "invalid --num-outputs '9'" --num-outputs 9 "$HELLO"
expect_fail num-outputs-word 2 "invalid --num-outputs 'two'" --num-outputs two "$HELLO"

N=$D/nout
mkdir -p "$N/a/tmp" "$N/b/tmp"
w2c_version=$("${WASM2C:-wasm2c}" --version 2>/dev/null)
# hello_same NAME EXE: EXE prints and exits as hello does
hello_same() {
	local out rc
	out=$("$2" a 'b c' 2>"$D/run-stderr")
	rc=$?
	if [ "$rc" -ne 3 ] || [ "$out" != $'hello from wasm with 2 args\narg 1: a\narg 2: b c' ]; then
		fail "$1" "exit $rc, stdout $(echo "$out" | head -3 | tr '\n' '|')"
		return 1
	fi
	return 0
}
if ! build_ok num-outputs-one --no-cache --keep-c "$N/c1" "$HELLO" -o "$N/one"; then
	:
elif [ "${w2c_version#1.0.32}" != "$w2c_version" ]; then
	# 1.0.32 has no --num-outputs: one file, the very build of N=1
	if build_ok num-outputs-1.0.32 --no-cache --num-outputs 3 --keep-c "$N/c" "$HELLO" \
		-o "$N/three"; then
		# the same program bytes; in a sanitizer build (ASan records the
		# temporary source path: see reproducible.sh) the same C
		same=("$N/one" "$N/three")
		[ -n "${WBPF_SANITIZE:-}" ] && same=("$N/c1/guest.c" "$N/c/guest.c")
		if [ -e "$N/c/guest.c" ] && [ ! -e "$N/c/guest_0.c" ] && cmp -s "${same[@]}"
		then
			pass num-outputs-1.0.32
		else
			fail num-outputs-1.0.32 "not one guest.c, or bytes other than those of N=1"
		fi
	fi
	skip num-outputs-split "wasm2c $w2c_version writes one C file (--num-outputs: 1.0.33+)"
	skip num-outputs-reproducible "wasm2c $w2c_version writes one C file"
else
	if build_ok num-outputs-split --no-cache --num-outputs 3 --keep-c "$N/c" "$HELLO" \
		-o "$N/three" && hello_same num-outputs-split "$N/three"; then
		if [ -s "$N/c/guest_0.c" ] && [ -s "$N/c/guest_2.c" ] && [ -s "$N/c/guest-impl.h" ] &&
			[ ! -e "$N/c/guest_3.c" ] && [ ! -e "$N/c/guest.c" ]; then
			pass num-outputs-split
		else
			fail num-outputs-split "kept: $(ls "$N/c" | tr '\n' ' ')"
		fi
	fi
	# the same bytes from any directory, cached or not; other bytes than N=1's
	repro_ok=1
	(cd "$N/a" && TMPDIR=$N/a/tmp "$AOT" --no-cache --num-outputs 3 "$HELLO" -o x) \
		2>"$D/stderr" || repro_ok=0
	(cd "$N/b" && TMPDIR=$N/b/tmp "$AOT" --num-outputs 3 "$HELLO" -o x) 2>>"$D/stderr" ||
		repro_ok=0
	(cd "$N/b" && TMPDIR=$N/b/tmp "$AOT" --num-outputs 3 "$HELLO" -o y) 2>>"$D/stderr" ||
		repro_ok=0
	if [ $repro_ok -ne 1 ]; then
		fail num-outputs-reproducible "a build failed: $(head -1 "$D/stderr")"
	elif ! cmp -s "$N/a/x" "$N/b/x" || ! cmp -s "$N/a/x" "$N/b/y"; then
		fail num-outputs-reproducible "the builds of N=3 differ"
	elif cmp -s "$N/a/x" "$N/one"; then
		fail num-outputs-reproducible "N=3 gave the bytes of N=1"
	else
		pass num-outputs-reproducible
	fi
fi
# a compiler failure while several run: reported once, nothing left behind
MANY_LINES=1 expect_fail num-outputs-cc-fails 1 "cc failed: " --num-outputs 3 \
	--cflags "-include $D/no-such-header.h" "$HELLO" -o "$D/out/hello"
rm -rf "$N"

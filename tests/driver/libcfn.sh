# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Part of the driver tier (tests/driver/run.sh sources it, in order): the guest
# libc's memcpy, memset, strlen and memchr, recognised by their bodies and
# given native fast paths (w2c-driver/libcfn.c, docs/abi.md "Generated code").
# A module this toolchain's clang and wasi-libc build has all four recognised,
# with or without a name section; its C has a wrapper in front of each; the
# program prints what the same program without fast paths prints;
# --no-libc-fast-paths leaves the C alone and gets a build of its own in the
# cache. (tests/wasi/strings.c and the trap_*_end guests check the edges
# against the interpreter: the diff tier.)

LC=$D/libcfn
mkdir -p "$LC"
LIBC_KINDS="memchr memcpy memset strlen"

# recognised STDERR: the routines -v said it recognised, sorted, on one line
recognised() {
	sed -n 's/^wasmbpf-aot: guest libc routines recognised: //p' "$1" | tr ' ' '\n' | sort |
		tr '\n' ' ' | sed 's/ $//'
}

if ! guest_cc "$WBPF_TOP/tests/driver/libc-probe.c" "$LC/probe.wasm" 2>"$D/stderr"; then
	fail libcfn-guest-build "clang --target=wasm32-wasi failed: $(head -1 "$D/stderr")"
elif build_ok libcfn-recognised -v --no-cache --keep-c "$LC/c" "$LC/probe.wasm" \
	-o "$D/out/probe"; then
	got=$(recognised "$D/stderr")
	cp "$D/out/probe" "$LC/probe"
	if [ "$got" = "$LIBC_KINDS" ]; then
		pass libcfn-recognised
	else
		fail libcfn-recognised "recognised '$got', not '$LIBC_KINDS': is this wasi-libc in" \
			"w2c-driver/libcfn.c's table? (scripts/libc-bodies.py prints its rows)"
	fi
	# each routine's definition renamed NAME_wasm, static, and a wrapper NAME calling it
	n_orig=$(grep -cE '^static u32 w2c_(guest_)?wbpfrt(memcpy|memset|strlen|memchr)[0-9]+_wasm\(.*\) \{$' \
		"$LC/c/guest.c")
	n_wrap=$(grep -cE '^(static )?(inline )?u32 w2c_(guest_)?wbpfrt(memcpy|memset|strlen|memchr)[0-9]+\(.*\* instance, u32 a(, u32 b, u32 n)?\) \{$' \
		"$LC/c/guest.c")
	n_said=$(sed -n 's/^wasmbpf-aot: guest.c: native fast paths for \([0-9]*\) libc routines$/\1/p' \
		"$D/stderr")
	if [ "$n_orig" = 4 ] && [ "$n_wrap" = 4 ] && [ "$n_said" = 4 ]; then
		pass libcfn-wrapped
	else
		fail libcfn-wrapped "$n_orig renamed, $n_wrap wrappers, driver said '${n_said:-nothing}'"
	fi
fi

# without a name section (wasm-strip): one is added for the routines
if [ -e "$LC/probe.wasm" ] && cp "$LC/probe.wasm" "$LC/stripped.wasm" &&
	wasm-strip "$LC/stripped.wasm" &&
	build_ok libcfn-stripped -v --no-cache "$LC/stripped.wasm" -o "$D/out/stripped"; then
	got=$(recognised "$D/stderr")
	if wasm-objdump -h "$LC/stripped.wasm" | grep -q '"name"'; then
		fail libcfn-stripped "wasm-strip left the name section"
	elif [ "$got" != "$LIBC_KINDS" ]; then
		fail libcfn-stripped "recognised '$got', not '$LIBC_KINDS'"
	elif [ "$("$D/out/stripped" a b c 2>&1)" != "$("$LC/probe" a b c 2>&1)" ]; then
		fail libcfn-stripped "prints '$("$D/out/stripped" a b c 2>&1)'"
	else
		pass libcfn-stripped
	fi
fi

# --no-libc-fast-paths: nothing recognised, the C as wasm2c wrote it, the same output
if [ -e "$LC/probe.wasm" ] && build_ok libcfn-option -v --no-libc-fast-paths --no-cache \
	--keep-c "$LC/c-none" "$LC/probe.wasm" -o "$D/out/probe"; then
	want=$("$LC/probe" x y 2>&1; echo "exit $?")
	got=$("$D/out/probe" x y 2>&1; echo "exit $?")
	if ! grep -qx 'wasmbpf-aot: guest libc routines recognised: none' "$D/stderr"; then
		fail libcfn-option "-v does not say 'recognised: none'"
	elif grep -q 'wbpfrt' "$LC/c-none/guest.c"; then
		fail libcfn-option "the kept C names a routine: $(grep -m1 wbpfrt "$LC/c-none/guest.c")"
	elif [ "$got" != "$want" ] || [ "$(echo "$got" | wc -l)" -lt 2 ]; then
		fail libcfn-option "prints '$got', with fast paths '$want'"
	else
		pass libcfn-option
	fi
fi

# the option is part of the cache key: no hit across it, a hit on the same options
if [ -e "$LC/probe.wasm" ]; then
	export WASMBPF_AOT_CACHE=$LC/cache
	build_ok libcfn-cache-key "$LC/probe.wasm" -o "$D/out/probe" &&
		build_ok libcfn-cache-key -v --no-libc-fast-paths "$LC/probe.wasm" -o "$D/out/probe" &&
		cp "$D/stderr" "$LC/second" &&
		build_ok libcfn-cache-key -v "$LC/probe.wasm" -o "$D/out/probe" &&
		if grep -q '^wasmbpf-aot: cache hit' "$LC/second"; then
			fail libcfn-cache-key "--no-libc-fast-paths hit the entry of a build with fast paths"
		elif ! grep -q '^wasmbpf-aot: cache hit' "$D/stderr"; then
			fail libcfn-cache-key "the same build again missed the cache"
		else
			pass libcfn-cache-key
		fi
	export WASMBPF_AOT_CACHE=$D/cache
fi

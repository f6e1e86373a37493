# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Part of the driver tier (tests/driver/run.sh sources it, in order): the build cache and its key.

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
cache_miss cache-miss-btf --btf /nonexistent/a.btf "$HELLO" -o "$D/out/hello"
cache_miss cache-miss-btf-value --btf /nonexistent/b.btf "$HELLO" -o "$D/out/hello"
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

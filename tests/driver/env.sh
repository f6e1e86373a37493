# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Part of the driver tier (tests/driver/run.sh sources it, in order): failures of the environment (compiler, wasm2c, runtime, output).

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
# --target: an unknown machine is a usage error; another machine whose runtime
# is not installed (a prefix with this machine's only) is one line naming the packages
expect_fail target-unknown 2 "unknown target 'mips' (use x86_64 or aarch64)" \
	--target mips "$HELLO" -o "$D/out/prog"
case $(uname -m) in
x86_64) other=aarch64 other_triplet=aarch64-linux-gnu other_deb=arm64 ;;
*) other=x86_64 other_triplet=x86_64-linux-gnu other_deb=amd64 ;;
esac
mkdir -p "$D/onlyhere/lib/wasmbpf-aot"
cp "$WBPF_BUILD/lib/wasmbpf-aot/libwbpf-rt.a" "$D/onlyhere/lib/wasmbpf-aot/"
ln -sfn "$WBPF_BUILD/include" "$D/onlyhere/include"
WASMBPF_AOT_HOME=$D/onlyhere expect_fail target-runtime-missing 1 \
	"target $other: runtime for $other_triplet not installed in $D/onlyhere/lib/wasmbpf-aot (build it with the cross toolchain: apt-get install gcc-${other_triplet//_/-} libbpf-dev:$other_deb" \
	--target "$other" "$HELLO" -o "$D/out/prog"
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

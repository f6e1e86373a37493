# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Part of the driver tier (tests/driver/run.sh sources it, in order): builds that run.

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

# --target naming this machine is the default build
clean_out
if "$AOT" --target "$(uname -m)" "$HELLO" -o "$D/out/hello-t" 2>"$D/stderr" &&
	[ "$("$D/out/hello-t" x)" = $'hello from wasm with 1 args\narg 1: x' ]; then
	pass target-this-machine
else
	fail target-this-machine "$(head -1 "$D/stderr")"
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
# --btf: kept as given (it names a file where the program runs, so it is not
# looked for), and escaped into the glue
if build_ok btf-kept-as-given --keep-c "$D/out/c" --btf 'btf/a"b?.btf' "$HELLO" \
	-o "$D/out/hello"; then
	if grep -qxF '#define GLUE_BTF "btf/a\042b\077.btf"' "$D/out/c/glue.c" &&
		grep -qF '.btf = GLUE_BTF,' "$D/out/c/glue.c"; then
		pass btf-kept-as-given
	else
		fail btf-kept-as-given "glue.c: '$(grep -F GLUE_BTF "$D/out/c/glue.c" | head -n1)'"
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

# -o naming a device or a pipe: the executable is written into it, and the
# device node is still a device afterwards (as root, -o /dev/null must not
# replace the machine's /dev/null with a program)
if [ "$(id -u)" -eq 0 ] && mknod "$D/null" c 1 3 2>/dev/null; then
	clean_out
	run_aot "$HELLO" -o "$D/null"
	if [ "$rc" -eq 0 ] && [ -c "$D/null" ] && [ -z "$(leftovers)" ]; then
		pass output-device-stays
	else
		fail output-device-stays "exit $rc; a device still: $([ -c "$D/null" ] && echo yes || echo no); left: $(leftovers | tr '\n' ' ')"
	fi
	rm -f "$D/null"
else
	skip output-device-stays "needs root (mknod)"
fi
mkfifo "$D/fifo"
cat "$D/fifo" >"$D/from-fifo" &
reader=$!
run_aot "$HELLO" -o "$D/fifo"
wait $reader
"$AOT" "$HELLO" -o "$D/out/hello-regular" 2>/dev/null
if [ "$rc" -eq 0 ] && [ -p "$D/fifo" ] && cmp -s "$D/from-fifo" "$D/out/hello-regular"; then
	pass output-fifo-gets-executable
else
	fail output-fifo-gets-executable "exit $rc; the pipe's reader got $(stat -c %s "$D/from-fifo") bytes"
fi
rm -f "$D/fifo" "$D/from-fifo"

# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Part of the driver tier (tests/driver/run.sh sources it, in order): reproducible output.

# The same module and options give the same bytes: from another directory,
# with another TMPDIR, by another user, cached or not.
R=$D/repro
mkdir -p "$R/a/tmp"
cp "$HELLO" "$R/a/hello.wasm"
if [ -n "${WBPF_SANITIZE:-}" ]; then
	# ASan's instrumentation names the source file as the compiler was given it
	skip reproducible-dirs "sanitizer build: ASan records the temporary source path"
	skip reproducible-user "sanitizer build: ASan records the temporary source path"
	(cd "$R/a" && TMPDIR=$R/a/tmp "$AOT" --no-cache hello.wasm -o hello) 2>"$D/stderr"
else
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
fi
# options change the bytes: -O1 is another executable
if (cd "$R/a" && TMPDIR=$R/a/tmp "$AOT" --no-cache -O1 hello.wasm -o hello-O1) 2>"$D/stderr" &&
	! cmp -s "$R/a/hello" "$R/a/hello-O1"; then
	pass reproducible-options-differ
else
	fail reproducible-options-differ "-O1 gave the same bytes as -O2, or failed: $(head -1 "$D/stderr")"
fi

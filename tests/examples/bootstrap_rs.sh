#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Part of tier "examples" (run by tests/examples/run.sh): bootstrap-rs, the
# bootstrap example whose guest is Rust (wasm-sdk/rust's binding), on the real
# kernel (root, BTF, tracefs), against processes this script starts.
# It must report an EXEC line and an EXIT line (with the exit code) of a
# uniquely named program, with its pid and ppid, under the AOT binary and
# under wasmbpf-run on the same .wasm; print them in the same columns as the
# C bootstrap seeing the same events; with -d MS (a .rodata value the guest
# patches into the object) print no EXEC line and only exits of processes that
# lived that long; stop on SIGINT within a second with exit 0; take -h and
# report usage errors as the C bootstrap does; leave no BPF program loaded.
set -u
. "$WBPF_TOP/tests/lib.sh"
. "$WBPF_TOP/tests/examples/lib.sh"

examples_tmp examples-rs
EX=$WBPF_BUILD/examples
RS=${WBPF_BOOTSTRAP_RS:-$EX/bootstrap-rs/bootstrap-rs}
CBOOT=${WBPF_BOOTSTRAP:-$EX/bootstrap/bootstrap}
RUN=${WBPF_RUN:-$WBPF_BUILD/bin/wasmbpf-run}
RUSTC_WASM=${RUSTC_WASM:-/usr/bin/rustc}
TESTS=(bootstrap_rs_help bootstrap_rs_usage_error bootstrap_rs_exec_exit
	bootstrap_rs_exec_exit_interp bootstrap_rs_same_columns_as_c bootstrap_rs_min_duration
	bootstrap_rs_sigint bootstrap_rs_sigint_interp rust_binding_api rust_binding_api_interp
	bootstrap_rs_no_programs_left)
ROOT_TESTS=("${TESTS[@]:2}")

# ------------------------------------------------------------------ built?
# Without Debian's rustc and its wasm32-wasi std, examples/rust.mk builds no
# Rust example: say why. With them, a missing binary is a failure.
if [ ! -x "$RUSTC_WASM" ]; then
	skip_all "no $RUSTC_WASM (Debian's rustc: scripts/install-deps.sh)"
fi
# rustc 1.84 renamed the target wasm32-wasi to wasm32-wasip1
RUST_SYSROOT=$("$RUSTC_WASM" --print sysroot 2>/dev/null)
RUST_TARGET=wasm32-wasip1
[ -d "$RUST_SYSROOT/lib/rustlib/$RUST_TARGET/lib" ] || RUST_TARGET=wasm32-wasi
# and Debian 13's rustc has no rust-lld: clang's wasm-ld links instead
RUST_LINK=()
command -v rust-lld >/dev/null || RUST_LINK=(-C "linker=$(${CLANG:-clang} -print-prog-name=wasm-ld)")
if [ ! -d "$RUST_SYSROOT/lib/rustlib/$RUST_TARGET/lib" ]; then
	skip_all "$RUSTC_WASM has no wasm32-wasi std (libstd-rust-dev-wasm32: scripts/install-deps.sh)"
fi
for b in "$RS" "$RS.wasm" "$CBOOT" "$RUN"; do
	[ -e "$b" ] || { fail_each "no $b (make all)" "${TESTS[@]}"; exit 0; }
done

# ------------------------------------------------------------------ command line (no root)
t=bootstrap_rs_help
out=$("$RS" -h 2>"$T/help.err"); rc=$?
if [ $rc -ne 0 ] || ! grep -qxF 'USAGE: ./bootstrap-rs [-d <min-duration-ms>] [-v]' <<<"$out" ||
	! grep -qF -- '-d, --duration=DURATION-MS   Minimum process duration (ms) to report' <<<"$out"; then
	fail $t "exit $rc, stdout: $(head -c 300 <<<"$out")"
else
	pass $t
fi

t=bootstrap_rs_usage_error
reasons=()
for args in "-d 0" "-d 12x" "--duration=-5" "-x" "--no-such" "-d" "extra"; do
	# shellcheck disable=SC2086
	"$RS" $args >"$T/bad.out" 2>"$T/bad.err"; rc=$?
	# shellcheck disable=SC2086
	"$CBOOT" $args >"$T/cbad.out" 2>"$T/cbad.err"
	# the same message as the C bootstrap's (but for the program's name)
	want=$(sed -e "s|$CBOOT|$RS|; s|'bootstrap --help'|'bootstrap-rs --help'|" "$T/cbad.err")
	if [ $rc -ne 2 ] || [ "$(cat "$T/bad.err")" != "$want" ] || [ -s "$T/bad.out" ]; then
		reasons+=("'$args': exit $rc, stderr '$(tr '\n' '|' <"$T/bad.err")', want '$(tr '\n' '|' <<<"$want")'")
	fi
done
if [ ${#reasons[@]} -gt 0 ]; then
	fail $t "${reasons[*]}"
else
	pass $t
fi

# ------------------------------------------------------------------ real kernel
need_kernel

# Uniquely named programs (names <= 15 chars: they are the comm): a script
# that exits 3 at once, and one that lives 600 ms first.
SHORT=$T/wbRs$$
LONG=$T/wbRl$$
printf '#!/bin/sh\nexit 3\n' >"$SHORT"
printf '#!/bin/sh\nsleep 0.6\nexit 3\n' >"$LONG"
chmod +x "$SHORT" "$LONG"

# run_prog PATH: run it as a child of this shell; sets prog_pid
run_prog() {
	"$1" &
	prog_pid=$!
	wait $prog_pid
}

# ev_line OUT EVENT PID: the EVENT line of that pid
ev_line() {
	awk -v e="$2" -v p="$3" '$2 == e && $4 == p' "$1"
}

HEADER='TIME     EVENT COMM             PID     PPID    FILENAME/EXIT CODE'

# exec_exit_check NAME OUT PID: the header, then an EXEC and an EXIT line of
# pid (comm, pid, our pid as ppid, the path, exit code 3)
exec_exit_check() {
	local t=$1 out=$2 pid=$3 comm ex ey
	comm=$(basename "$SHORT")
	ex=$(ev_line "$out" EXEC "$pid")
	ey=$(ev_line "$out" EXIT "$pid")
	if [ "$(head -1 "$out")" != "$HEADER" ]; then
		fail $t "header '$(head -1 "$out")', want '$HEADER'"
	elif ! awk -v c="$comm" -v p="$pid" -v pp=$$ -v f="$SHORT" \
		'$1 ~ /^[0-9][0-9]:[0-9][0-9]:[0-9][0-9]$/ && $3 == c && $5 == pp && $6 == f && NF == 6 \
		{ ok = 1 } END { exit !ok }' <<<"$ex"; then
		fail $t "EXEC line of pid $pid: '$ex', want comm $comm, ppid $$, $SHORT"
	elif ! awk -v c="$comm" -v pp=$$ '$3 == c && $5 == pp && $6 == "[3]" && $7 ~ /^\([0-9]+ms\)$/ \
		{ ok = 1 } END { exit !ok }' <<<"$ey"; then
		fail $t "EXIT line of pid $pid: '$ey', want comm $comm, ppid $$, [3] (Nms)"
	else
		pass $t
	fi
}

# ------------------------------------------------------------------ exec and exit, both engines
t=bootstrap_rs_exec_exit
rs_ok=0
c_pid=
if start_tool "$T/rs.out" 2 2 1 "$RS"; then
	rs_pid=$tool_pid
	start_tool "$T/c.out" 2 2 1 "$CBOOT" && c_pid=$tool_pid
	run_prog "$SHORT"
	rs_prog=$prog_pid
	c_rc="did not start"
	if [ -n "$c_pid" ]; then
		stop_tool $c_pid
		c_rc=$tool_rc
	fi
	stop_tool $rs_pid
	rs_rc=$tool_rc rs_ms=$tool_ms
	exec_exit_check $t "$T/rs.out" $rs_prog
	rs_ok=1
else
	fail $t "bootstrap-rs did not start"
fi

t=bootstrap_rs_same_columns_as_c
# the same events, printed by the C guest and by the Rust one: equal but for
# the TIME column and the duration (each object times the exec on its own)
norm() { # OUT PID
	awk -v p="$2" 'NR == 1 || $4 == p' "$1" | cut -c10- | sed 's/ ([0-9]*ms)$/ (Nms)/'
}
if [ $rs_ok -eq 0 ]; then
	fail $t "bootstrap-rs did not start"
elif [ "$c_rc" != 0 ]; then
	fail $t "the C bootstrap: $c_rc (want exit 0 after SIGINT)"
else
	norm "$T/rs.out" $rs_prog >"$T/rs.norm"
	norm "$T/c.out" $rs_prog >"$T/c.norm"
	if [ "$(wc -l <"$T/c.norm")" -ne 3 ]; then
		fail $t "the C bootstrap printed $(($(wc -l <"$T/c.norm") - 1)) lines of pid $rs_prog, want 2"
	elif ! cmp -s "$T/rs.norm" "$T/c.norm"; then
		diff "$T/c.norm" "$T/rs.norm" >&2
		fail $t "lines differ from the C bootstrap's (diff on stderr)"
	else
		pass $t
	fi
fi

t=bootstrap_rs_sigint
if [ $rs_ok -eq 0 ]; then
	fail $t "bootstrap-rs did not start"
else
	tool_rc=$rs_rc tool_ms=$rs_ms
	sigint_check $t
fi

t=bootstrap_rs_exec_exit_interp
if start_tool "$T/interp.out" 2 2 1 "$RUN" "$RS.wasm"; then
	run_prog "$SHORT"
	stop_tool
	exec_exit_check $t "$T/interp.out" $prog_pid
	sigint_check bootstrap_rs_sigint_interp
else
	fail $t "wasmbpf-run $RS.wasm did not start"
	fail bootstrap_rs_sigint_interp "wasmbpf-run $RS.wasm did not start"
fi

# ------------------------------------------------------------------ -d MIN_DURATION_MS
t=bootstrap_rs_min_duration
if start_tool "$T/d.out" 2 2 1 "$RS" -v -d 300; then
	run_prog "$SHORT"
	short_pid=$prog_pid
	run_prog "$LONG"
	long_pid=$prog_pid
	stop_tool
	ey=$(ev_line "$T/d.out" EXIT $long_pid)
	if [ "$tool_rc" != 0 ]; then
		fail $t "exit $tool_rc after SIGINT"
	elif ! grep -qx 'bootstrap-rs: min_duration_ns=300000000, ring buffer fd [0-9]*' "$T/d.out.err"; then
		fail $t "-v line on stderr: '$(head -1 "$T/d.out.err")'"
	elif grep -q '^[^ ]* *EXEC ' "$T/d.out"; then
		fail $t "EXEC lines with -d: $(grep -m1 '^[^ ]* *EXEC ' "$T/d.out")"
	elif [ -n "$(awk -v p=$short_pid '$4 == p' "$T/d.out")" ]; then
		fail $t "the exit of a process that lived < 300 ms was reported: $(awk -v p=$short_pid '$4 == p' "$T/d.out")"
	elif ! awk -v c="$(basename "$LONG")" '$3 == c && $6 == "[3]" && $7 ~ /^\([0-9]+ms\)$/ \
		{ gsub(/[^0-9]/, "", $7); if ($7 + 0 >= 300) ok = 1 } END { exit !ok }' <<<"$ey"; then
		fail $t "EXIT line of the 600 ms process $long_pid: '$ey', want [3] and >= 300 ms"
	else
		pass $t
	fi
else
	fail $t "bootstrap-rs -d 300 did not start"
fi

# ------------------------------------------------------------------ the binding's API
# wasm-sdk/rust/tests/api.rs on bootstrap's object: globals, map sizes from
# BTF, map operations, errors, a poll callback that polls again and stops the
# poll; it needs execs on the machine while it polls, which this loop makes.
RLIB=$WBPF_BUILD/obj/rust/libwasmbpf.rlib
api_test() { # NAME CMD...
	local t=$1 rc bad
	shift
	"$@" >"$T/$t.out" 2>"$T/$t.err" &
	api_pid=$!
	for _ in $(seq 1 200); do
		kill -0 $api_pid 2>/dev/null || break
		grep -q '^polling$' "$T/$t.out" && /bin/true
		sleep 0.05
	done
	kill -0 $api_pid 2>/dev/null && kill -KILL $api_pid
	wait $api_pid; rc=$?
	bad=$(grep -v -e '^ok ' -e '^polling$' "$T/$t.out" | head -3 | tr '\n' '|')
	if [ $rc -ne 0 ] || [ -n "$bad" ] || [ "$(grep -c '^ok ' "$T/$t.out")" -ne 24 ]; then
		fail $t "exit $rc, $(grep -c '^ok ' "$T/$t.out") checks passed of 24: $bad"
	else
		pass $t
	fi
}
if ! BPF_OBJ=$EX/bootstrap/bootstrap.bpf.o "$RUSTC_WASM" --target "$RUST_TARGET" "${RUST_LINK[@]}" --edition 2021 -O \
	--extern wasmbpf="$RLIB" "$WBPF_TOP/wasm-sdk/rust/tests/api.rs" -o "$T/api.wasm" \
	2>"$T/api.build.err" || ! aot_build "$T/api.wasm" "$T/api" 2>>"$T/api.build.err"; then
	head -20 "$T/api.build.err" >&2
	fail rust_binding_api "cannot build wasm-sdk/rust/tests/api.rs"
	fail rust_binding_api_interp "cannot build wasm-sdk/rust/tests/api.rs"
else
	api_test rust_binding_api "$T/api"
	api_test rust_binding_api_interp "$RUN" "$T/api.wasm"
fi

# ------------------------------------------------------------------ nothing left loaded
no_programs_left_test bootstrap_rs_no_programs_left
exit 0

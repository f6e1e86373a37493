# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# shellcheck shell=bash disable=SC2034
# The WASI tier's guests and cases, shared by run.sh and regen-golden.sh
# (source it after tests/lib.sh).
#
# A case is a function case_NAME run with:
#   MODE  aot | native     which build of the guests to run
#   BIN   the folder of that build (every guest under the same basename)
#   W     an empty work folder for this run of the case
# It runs one guest with run_prog (or start_bg + wait_bg for a guest it
# signals), which leaves $W/out, $W/err and $W/exit, and
# may rewrite $W/out into a summary (for long outputs) and report facts about
# the host side with problem(). The runner compares out and exit with
# golden/NAME.out and golden/NAME.exit (and err with golden/NAME.err for the
# cases in ERR_CASES), and for the cases in NATIVE_CASES also with the same
# case run on the native build.

WASI_DIR=$WBPF_TOP/tests/wasi
GOLDEN=$WASI_DIR/golden

# Guests built for both targets, and guests that exist only as wasm.
PROGS_BOTH="args environ clocks sleep files stdin exitcode flush"
PROGS_WASM="ro nonblock ranges sockets sockcalls sigint strings trap_oob trap_unreachable
	trap_div_zero trap_int_overflow trap_invalid_conversion trap_stack_exhaustion
	trap_indirect_type trap_indirect_range trap_indirect_null trap_strlen_end trap_memcpy_end
	trap_memset_end trap_memchr_end"

TRAP_CASES="trap_oob trap_unreachable trap_div_zero trap_int_overflow trap_invalid_conversion
	trap_stack_exhaustion trap_indirect_type trap_indirect_range trap_indirect_null
	trap_strlen_end trap_memcpy_end trap_memset_end trap_memchr_end"

CASES="args_passthrough environ_empty_by_default environ_granted_only clocks_move_forward
	sleep_sleeps files_in_granted_dir files_grant_default_guest_path grant_missing_dir_refused
	grant_ro_inside_rw_refused files_ro_grant stdin_pipe
	stdin_poll_late_data stdin_read_late_data exit_return_0 exit_return_3 exit_return_255
	exit_return_minus_1 exit_return_256 exit_exit_7 exit__Exit_261 exit_proc_exit_261
	flush_return flush_exit flush_return_to_pipe flush_big_to_file flush_big_to_pipe
	flush_fflush_then_proc_exit flush_write_then_proc_exit flush_stderr $TRAP_CASES
	ranges_checked strings_libc_edges sockets_on_non_sockets sock_calls_check_the_fd
	sock_calls_on_socket_stdin sock_accept_on_listening_stdin sigint_nanosleep_fails
	sigint_poll_returns_eintr sigint_read_returns_eintr sigint_ignored_ends_after_grace
	sigint_spin_ends_after_grace sigint_twice_ends_now stdio_parent_nonblock_output_complete"

NATIVE_CASES="args_passthrough environ_empty_by_default environ_granted_only clocks_move_forward
	sleep_sleeps files_in_granted_dir files_grant_default_guest_path stdin_pipe
	stdin_poll_late_data stdin_read_late_data exit_return_0 exit_return_3 exit_return_255
	exit_return_minus_1 exit_return_256 exit_exit_7 exit__Exit_261 exit_proc_exit_261
	flush_return flush_exit flush_return_to_pipe flush_big_to_file flush_big_to_pipe
	flush_fflush_then_proc_exit flush_write_then_proc_exit flush_stderr"

ERR_CASES="$TRAP_CASES flush_stderr grant_missing_dir_refused grant_ro_inside_rw_refused"

# Longest a guest may run before the case gives up on it.
CASE_TIMEOUT=30
# Longest a guest that ignores SIGINT may keep running after it (the
# runtime's grace period plus a margin).
SIGINT_GRACE_MAX=10

# in_list WORD LIST: LIST is words separated by blanks, tabs or newlines
in_list() {
	local l=" ${2//[$'\t\n']/ } "
	[[ $l == *" $1 "* ]]
}

problem() { echo "$*" >>"$W/problems"; }

now_ms() { date +%s%3N; }

# The environment a guest starts from: nothing for a native build (so that
# environ tests compare), PATH and a host-only variable for an AOT build (which
# must not show either to the guest).
base_env() {
	if [ "$MODE" = aot ]; then
		echo "PATH=$PATH HOST_ONLY_VARIABLE=host-secret"
	fi
}

# run_prog [NAME=VALUE...] PROG [ARGS...]: run $BIN/PROG in a clean
# environment plus the assignments; stdin is the caller's.
run_prog() {
	local assigns=() rc=0
	while [ $# -gt 0 ] && [[ $1 == *=* ]]; do
		assigns+=("$1")
		shift
	done
	local prog=$1
	shift
	# shellcheck disable=SC2046
	timeout -k 5 "$CASE_TIMEOUT" env -i $(base_env) "${assigns[@]}" "$BIN/$prog" "$@" \
		>"$W/out" 2>"$W/err" || rc=$?
	echo "$rc" >"$W/exit"
}

# The assignment that gives the guest NAME=VALUE (nothing to add natively:
# the native run gets NAME=VALUE itself).
env_grant() {
	if [ "$MODE" = aot ]; then echo "WASMBPF_ENV_$1"; else echo "$1"; fi
}

# ---------------------------------------------------------------------------
# args and environment

case_args_passthrough() {
	run_prog args --dir /tmp -x "two words" "" --env=FOO=bar WASMBPF_DIR=/ -- "ünïcode" -h
}

case_environ_empty_by_default() {
	run_prog environ HOST_ONLY_VARIABLE PATH HOME WASMBPF_DIR
}

case_environ_granted_only() {
	run_prog "$(env_grant FOO)=bar" "$(env_grant EMPTY)=" "$(env_grant WITH_EQUALS)=a=b=c" \
		environ FOO EMPTY WITH_EQUALS HOST_ONLY_VARIABLE PATH WASMBPF_ENV_FOO
}

# ---------------------------------------------------------------------------
# clocks and sleep

case_clocks_move_forward() {
	run_prog clocks "$(date +%s)"
}

case_sleep_sleeps() {
	local t0 ms
	t0=$(now_ms)
	run_prog sleep
	ms=$(($(now_ms) - t0))
	# the guest sleeps 200 + 100 + 100 + 100 ms
	[ "$ms" -ge 500 ] || problem "ran $ms ms of wall time, less than the 500 ms it slept"
	[ "$ms" -lt 5000 ] || problem "ran $ms ms of wall time for 500 ms of sleep"
}

# ---------------------------------------------------------------------------
# files

case_files_in_granted_dir() {
	local d=$W/dir guest
	mkdir "$d"
	printf 'from host\n' >"$d/host.txt"
	if [ "$MODE" = aot ]; then
		run_prog "WASMBPF_DIR=$d::/sandbox" files /sandbox
	else
		run_prog files "$d"
	fi
	# the host sees what the guest did
	guest=$(cat "$d/guest.txt" 2>/dev/null)
	[ "$guest" = "written by guest" ] || problem "host: guest.txt holds '$guest'"
	[ "$(cat "$d/b.txt" 2>/dev/null)" = "hello appended" ] || problem "host: b.txt wrong"
	[ ! -e "$d/a.txt" ] || problem "host: a.txt still exists after the rename"
	[ ! -e "$d/d" ] || problem "host: d still exists after rmdir"
	[ ! -e "$d/gone.txt" ] || problem "host: gone.txt still exists after unlink"
	[ "$(stat -c %h "$d/b.txt" 2>/dev/null)" = 2 ] || problem "host: b.txt has not 2 links"
	[ "$(stat -c %i "$d/b.txt" 2>/dev/null)" = "$(stat -c %i "$d/hard" 2>/dev/null)" ] ||
		problem "host: hard is not a hard link of b.txt"
	[ "$(readlink "$d/link")" = b.txt ] || problem "host: link is not a symlink to b.txt"
	[ "$(cat "$d/host.txt")" = "from host" ] || problem "host: host.txt changed"
}

# WASMBPF_DIR=HOST: the guest sees the directory under its host path.
case_files_grant_default_guest_path() {
	local d=$W/dir
	mkdir "$d"
	printf 'from host\n' >"$d/host.txt"
	if [ "$MODE" = aot ]; then
		run_prog "WASMBPF_DIR=$d" files "$d"
	else
		run_prog files "$d"
	fi
	[ "$(cat "$d/guest.txt" 2>/dev/null)" = "written by guest" ] || problem "host: no guest.txt"
}

# A grant of a missing directory: the runtime refuses to start (exit 125).
case_grant_missing_dir_refused() {
	run_prog "WASMBPF_DIR=/nonexistent/wasi-test-dir::/x" args
}

# A read-only grant inside a writable one (here by another spelling of the
# same tree): the runtime refuses to start (exit 125) rather than let the
# guest write the read-only tree through the writable grant. The other way
# round (a writable tree inside a read-only one) is fine.
case_grant_ro_inside_rw_refused() {
	mkdir -p "$W/top/sub/deeper"
	ln -s top/sub "$W/alias"
	(
		# relative grants: the messages (in the golden) name them as given
		cd "$W" || exit
		for ro in "alias/deeper/..::/sub:ro" "top/::/same:ro"; do
			run_prog "WASMBPF_DIR=top::/top" "WASMBPF_DIR_A=$ro" args
			echo "rw top, ro $ro: exit $(cat exit)" >>report
			cat err >>report.err
		done
		run_prog "WASMBPF_DIR=top::/top:ro" "WASMBPF_DIR_A=top/sub::/sub" args
		echo "ro top, rw top/sub: exit $(cat exit)" >>report
		cat err >>report.err
	)
	mv "$W/report" "$W/out"
	mv "$W/report.err" "$W/err"
	echo 0 >"$W/exit"
}

case_files_ro_grant() {
	local d=$W/dir before after
	mkdir "$d" "$d/sub"
	printf 'read only\n' >"$d/host.txt"
	before=$(find "$d" -printf '%p %y %s %m %T@ %l\n' | sort)
	run_prog "WASMBPF_DIR=$d::/ro:ro" ro /ro
	after=$(find "$d" -printf '%p %y %s %m %T@ %l\n' | sort)
	[ "$before" = "$after" ] || problem "host: the read-only directory changed"
	[ "$(cat "$d/host.txt")" = "read only" ] || problem "host: host.txt changed"
}

# ---------------------------------------------------------------------------
# stdin

case_stdin_pipe() {
	seq 1 20000 | run_prog stdin all
}

# The line comes 2 s after the program starts; the guest wants to have waited
# 150 ms of that from its main(): start-up may take most of a second on a
# loaded machine under the sanitizers.
case_stdin_poll_late_data() {
	(sleep 2; echo hi) | run_prog stdin poll
}

case_stdin_read_late_data() {
	(sleep 2; echo hi) | run_prog stdin block
}

# ---------------------------------------------------------------------------
# stdio the parent left non-blocking (the guest's own flags on stdio: the
# hostile tier, tests/hostile/stdio_flags.c)

# fdflag_set FD FLAG: whether octal open(2) flag FLAG is set on this shell's
# descriptor FD (its open file description, as the kernel shows it)
fdflag_set() {
	local fl
	fl=$(awk '/^flags:/ { print $2 }' "/proc/$BASHPID/fdinfo/$1")
	(((8#$fl & 8#$2) != 0))
}

O_NONBLOCK_OCT=4000

# The parent made stdout non-blocking: it stays so, the guest does not see
# it, and still every byte arrives (the runtime waits when the pipe is
# full). stdout is a pipe drained slowly (it fills twice), stdin an empty
# FIFO that never ends, stderr $W/err, each held open by this shell (fds 3,
# 4, 5) so that their flags can be read after the guest has exited. $W/out
# gets the report lines and a summary of the data lines.
case_stdio_parent_nonblock_output_complete() {
	local rc=0 reader
	mkfifo "$W/fifo"
	exec 4<>"$W/fifo" 5>"$W/err"
	exec 3> >({ sleep 0.5; dd bs=64k count=4 iflag=fullblock status=none; sleep 0.3; cat; } \
		>"$W/data")
	reader=$!
	perl -MFcntl -e 'fcntl(STDOUT, F_SETFL, fcntl(STDOUT, F_GETFL, 0) | O_NONBLOCK) or die' >&3
	# shellcheck disable=SC2046
	timeout -k 5 "$CASE_TIMEOUT" env -i $(base_env) "$BIN/nonblock" <&4 >&3 2>&5 || rc=$?
	echo "$rc" >"$W/exit"
	fdflag_set 3 $O_NONBLOCK_OCT || problem "host: the parent's O_NONBLOCK on stdout was cleared"
	exec 3>&- 4<&- 5>&-
	wait "$reader"
	{
		grep '^# ' "$W/data"
		echo "data bytes: $(grep -v '^# ' "$W/data" | wc -c)"
		echo "all 44000 lines present in order: $(awk -v n=0 '
			/^line [0-9]+ of the output that must arrive whole$/ {
				if ($2 + 0 != n) bad = 1; n++ }
			END { print (n == 44000 && !bad) ? "yes" : "no" }' "$W/data")"
	} >"$W/out"
}

# ---------------------------------------------------------------------------
# exit codes

case_exit_return_0() { run_prog exitcode return0; }
case_exit_return_3() { run_prog exitcode return3; }
case_exit_return_255() { run_prog exitcode return255; }
case_exit_return_minus_1() { run_prog exitcode return-1; }
case_exit_return_256() { run_prog exitcode return256; }
case_exit_exit_7() { run_prog exitcode exit7; }
case_exit__Exit_261() { run_prog exitcode _Exit261; }
case_exit_proc_exit_261() { run_prog exitcode proc_exit261; }

# ---------------------------------------------------------------------------
# stdout flushed on every way out (stdout is a file unless said otherwise)

case_flush_return() { run_prog flush return; }
case_flush_exit() { run_prog flush exit; }
case_flush_fflush_then_proc_exit() { run_prog flush fflush_exit; }
case_flush_write_then_proc_exit() { run_prog flush write_exit; }
case_flush_stderr() { run_prog flush stderr; }

case_flush_return_to_pipe() {
	local rc
	run_prog flush return
	# again with stdout a pipe
	(
		set -o pipefail
		timeout -k 5 "$CASE_TIMEOUT" env -i "$BIN/flush" return | cat >"$W/out"
	)
	rc=$?
	[ "$rc" = "$(cat "$W/exit")" ] || problem "exit $rc into a pipe, $(cat "$W/exit") into a file"
}

# 560 KB of output: keep a summary of it
summarize_big() {
	local f=$1
	{
		echo "bytes: $(wc -c <"$f")"
		echo "lines: $(wc -l <"$f")"
		echo "cksum: $(cksum <"$f")"
		echo "all 20000 lines present in order: $(awk -v n=0 '
			/^line [0-9]+ of a long output$/ { if ($2 + 0 != n) bad = 1; n++ }
			END { print (n == 20000 && !bad) ? "yes" : "no" }' "$f")"
		echo "last: [$(tail -c 25 "$f")]"
	} >"$W/out.summary"
	mv "$W/out.summary" "$W/out"
}

case_flush_big_to_file() {
	run_prog flush big
	summarize_big "$W/out"
}

case_flush_big_to_pipe() {
	local rc
	(
		set -o pipefail
		timeout -k 5 "$CASE_TIMEOUT" env -i "$BIN/flush" big 2>"$W/err" | cat >"$W/out"
	)
	rc=$?
	echo "$rc" >"$W/exit"
	summarize_big "$W/out"
}

# ---------------------------------------------------------------------------
# traps: exit 134, one line "PROG: wasm trap: WHAT", stdout flushed before kept

trap_case() {
	local name=$1 lines
	run_prog "$name"
	[ "$(cat "$W/exit")" = 134 ] || problem "exit $(cat "$W/exit"), not 134"
	lines=$(wc -l <"$W/err")
	[ "$lines" = 1 ] || problem "stderr has $lines lines, not 1"
	grep -q "^$name: wasm trap: " "$W/err" || problem "stderr does not start '$name: wasm trap: '"
	grep -q 'after the trap' "$W/out" && problem "the guest went on after the trap"
	grep -qx 'before the trap' "$W/out" || problem "output flushed before the trap was lost"
}

for t in $TRAP_CASES; do
	eval "case_$t() { trap_case $t; }"
done

# ---------------------------------------------------------------------------
# the sandbox

case_ranges_checked() {
	mkdir -p "$W/d"
	run_prog "WASMBPF_DIR=$W/d::/d" ranges /d
	[ ! -e "$W/d/created_by_guest" ] ||
		problem "host: path_open with its fd out-pointer outside memory created the file"
}

case_sockets_on_non_sockets() {
	run_prog sockets
}

case_sock_calls_check_the_fd() {
	mkdir "$W/d"
	run_prog "WASMBPF_DIR=$W/d::/d" sockcalls errors
}

# sock_peer MODE: run the sockcalls guest under tests/wasi/sockpeer.pl,
# which holds the other end of its stdin socket; what the peer read is in
# $W/got.
sock_peer() {
	local rc=0
	# shellcheck disable=SC2046
	timeout -k 5 "$CASE_TIMEOUT" env -i $(base_env) "$(command -v perl)" \
		"$WASI_DIR/sockpeer.pl" "$1" "$W/got" "$BIN/sockcalls" "$1" >"$W/out" 2>"$W/err" ||
		rc=$?
	echo "$rc" >"$W/exit"
}

case_sock_calls_on_socket_stdin() {
	sock_peer pair
	[ "$(cat "$W/got" 2>/dev/null)" = reply ] ||
		problem "host: the peer read '$(cat "$W/got" 2>/dev/null)', not 'reply'"
}

case_sock_accept_on_listening_stdin() {
	sock_peer listen
	[ "$(cat "$W/got" 2>/dev/null)" = bye ] ||
		problem "host: the peer read '$(cat "$W/got" 2>/dev/null)', not 'bye'"
}

# ---------------------------------------------------------------------------
# SIGINT

# start_bg [NAME=VALUE...] PROG ARGS...: start the guest in the background
# with SIGINT at its default (a background job of a script starts with it
# ignored); sets PID. Waits until the guest has written "ready" on stderr.
start_bg() {
	local assigns=()
	while [ $# -gt 0 ] && [[ $1 == *=* ]]; do
		assigns+=("$1")
		shift
	done
	# shellcheck disable=SC2046
	env -i --default-signal=INT $(base_env) "${assigns[@]}" "$BIN/$1" "${@:2}" \
		<&0 >"$W/out" 2>"$W/err" &
	PID=$!
	for _ in $(seq 100); do
		grep -q '^ready$' "$W/err" 2>/dev/null && return 0
		sleep 0.05
	done
	problem "the guest did not get ready in 5 s"
	return 1
}

# alive PID: running and not yet a zombie
alive() {
	local s
	s=$(ps -o stat= -p "$1" 2>/dev/null) && [[ $s != Z* ]]
}

# wait_bg MAX_S: wait for $PID to end, at most MAX_S seconds (then kill it);
# leaves the exit code in $W/exit and the time taken in WAITED_MS.
wait_bg() {
	local t0 rc
	t0=$(now_ms)
	while alive "$PID"; do
		if [ $(($(now_ms) - t0)) -gt $(($1 * 1000)) ]; then
			problem "still running $1 s after SIGINT"
			kill -KILL "$PID" 2>/dev/null
			break
		fi
		sleep 0.05
	done
	wait "$PID"
	rc=$?
	WAITED_MS=$(($(now_ms) - t0))
	echo "$rc" >"$W/exit"
}

# sigint_interrupts MODE: SIGINT 0.2 s into a 10 s wait; the wait must end
# at once and main return 0 (exit 0, not 130: before the 2 s grace period),
# every line printed before reaching stdout.
sigint_interrupts() {
	start_bg sigint "$1" || { kill -KILL "$PID"; wait_bg 1; return; }
	sleep 0.2
	kill -INT "$PID"
	wait_bg 5
	[ "$WAITED_MS" -lt 4000 ] || problem "took $WAITED_MS ms to end after SIGINT"
	# 2000 lines and those of the end: summarize
	{
		echo "lines printed before the loop, all present and in order: $(awk -v n=0 '
			/^line [0-9]+ printed before the loop$/ { if ($2 + 0 != n) bad = 1; n++ }
			END { print (n == 2000 && !bad) ? "yes" : "no" }' "$W/out")"
		grep -v 'printed before the loop$' "$W/out"
	} >"$W/out.summary"
	mv "$W/out.summary" "$W/out"
}

# wasi-libc's nanosleep reports ENOTSUP for any failure of poll_oneoff
case_sigint_nanosleep_fails() { sigint_interrupts nanosleep; }
case_sigint_poll_returns_eintr() { sigint_interrupts poll; }

# a blocking read of a pipe that stays open and empty
case_sigint_read_returns_eintr() {
	local fd
	mkfifo "$W/fifo"
	exec {fd}<>"$W/fifo"
	sigint_interrupts read <"$W/fifo"
	exec {fd}>&-
}

# The default grace period is 2 s: the guest ends after it, not at once.
case_sigint_ignored_ends_after_grace() {
	start_bg sigint ignores || { kill -KILL "$PID"; wait_bg 1; return; }
	sleep 0.2
	kill -INT "$PID"
	wait_bg "$SIGINT_GRACE_MAX"
	[ "$WAITED_MS" -ge 1000 ] || problem "ended $WAITED_MS ms after SIGINT, before the grace period"
}

# A guest that never calls the host is ended too; WASMBPF_GRACE_MS sets the
# grace period.
case_sigint_spin_ends_after_grace() {
	start_bg WASMBPF_GRACE_MS=300 sigint spins || { kill -KILL "$PID"; wait_bg 1; return; }
	sleep 0.2
	kill -INT "$PID"
	wait_bg "$SIGINT_GRACE_MAX"
	[ "$WAITED_MS" -ge 200 ] || problem "ended $WAITED_MS ms after SIGINT, before the grace period"
	[ "$WAITED_MS" -lt 3000 ] || problem "ended $WAITED_MS ms after SIGINT, grace period 300 ms"
}

# A second SIGINT ends the guest at once, well before the (10 s) grace period.
case_sigint_twice_ends_now() {
	start_bg WASMBPF_GRACE_MS=10000 sigint ignores || { kill -KILL "$PID"; wait_bg 1; return; }
	sleep 0.2
	kill -INT "$PID"
	sleep 0.2
	kill -INT "$PID" 2>/dev/null
	wait_bg 5
	[ "$WAITED_MS" -lt 3000 ] || problem "took $WAITED_MS ms to end after the second SIGINT"
}

# the guest libc's routines with native fast paths in compiled programs
case_strings_libc_edges() { run_prog strings; }

# ---------------------------------------------------------------------------
# building (once; cached in $WBPF_TMP/wasi by the hash of what goes in)

CACHE=$WBPF_TMP/wasi

key_of() { cat "$@" | sha256sum | cut -c1-32; }

# build_one TARGET PROG: TARGET wasm | aot | native. Quiet unless it fails.
build_one() {
	local target=$1 p=$2 src=$WASI_DIR/$2.c out key
	mkdir -p "$CACHE/$target"
	out=$CACHE/$target/$p
	case $target in
	wasm)
		out=$CACHE/wasm/$p.wasm
		key=$(echo "$WASI_CC -O2" | key_of - "$src" "$WASI_DIR/wt.h")
		;;
	aot)
		key=$(key_of "$CACHE/wasm/$p.wasm" "$WASMBPF_AOT" \
			$(ls "$WBPF_BUILD"/lib/wasmbpf-aot/*.a 2>/dev/null))
		;;
	native)
		key=$(echo "cc -O2" | key_of - "$src" "$WASI_DIR/wt.h")
		;;
	esac
	[ -e "$out" ] && [ "$(cat "$out.key" 2>/dev/null)" = "$key" ] && return 0
	rm -f "$out" "$out.key"
	case $target in
	wasm) guest_cc "$src" "$out" ;;
	aot) aot_build "$CACHE/wasm/$p.wasm" "$out" ;;
	native) ${CC:-cc} -O2 -std=gnu11 -Wall -o "$out" "$src" ;;
	esac >"$CACHE/$target/$p.log" 2>&1 || {
		echo "wasi: building $target/$p failed:" >&2
		cat "$CACHE/$target/$p.log" >&2
		rm -f "$out"
		return 1
	}
	echo "$key" >"$out.key"
}

# Build every guest, two at a time per CPU. Failures leave the binary absent.
build_all() {
	local jobs=$(($(nproc) * 2)) p
	for p in $PROGS_BOTH $PROGS_WASM $(printf 'native:%s ' $PROGS_BOTH); do
		while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do
			wait -n
		done
		case $p in
		native:*) build_one native "${p#native:}" & ;;
		*) (build_one wasm "$p" && build_one aot "$p") & ;;
		esac
	done
	wait
}

# The guest a case runs.
case_prog() {
	case $1 in
	args_*) echo args ;;
	environ_*) echo environ ;;
	clocks_*) echo clocks ;;
	sleep_*) echo sleep ;;
	files_ro_*) echo ro ;;
	grant_*) echo args ;;
	files_*) echo files ;;
	stdin_*) echo stdin ;;
	stdio_*) echo nonblock ;;
	exit_*) echo exitcode ;;
	flush_*) echo flush ;;
	trap_*) echo "$1" ;;
	ranges_*) echo ranges ;;
	strings_*) echo strings ;;
	sockets_*) echo sockets ;;
	sock_*) echo sockcalls ;;
	sigint_*) echo sigint ;;
	*) echo "wasi: no guest for case $1" >&2 ;;
	esac
}

# run_case NAME MODE: run one case in a fresh work folder; sets W.
run_case() {
	W=$CACHE/run/$1.$2
	MODE=$2
	BIN=$CACHE/$2
	rm -rf "$W"
	mkdir -p "$W"
	: >"$W/problems"
	"case_$1" </dev/null
}

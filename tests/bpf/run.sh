#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Tier "bpf": the examples on the real kernel (root, BTF). bootstrap must
# report the exec and the exit of processes this script starts itself (pid,
# parent pid, file name, exit code, duration), honour -d, stop on SIGINT
# within a second with exit 0 and every line written, and leave none of its
# BPF programs loaded.
set -u
. "$WBPF_TOP/tests/lib.sh"

# The tier's other test files (tests/bpf/*.sh: btf.sh, a custom BTF) run when
# this one ends, whichever exit it takes, so that they report even where this
# one stops early.
run_other_tests() {
	local f rc
	for f in "$WBPF_TOP"/tests/bpf/*.sh; do
		[ "$(basename "$f")" = run.sh ] && continue
		bash "$f"; rc=$?
		[ $rc -eq 0 ] || fail "$(basename "$f" .sh)" "$f exited $rc"
	done
}
trap run_other_tests EXIT

T=$WBPF_TMP/bpf
BOOT=${WBPF_BOOTSTRAP:-$WBPF_BUILD/examples/bootstrap/bootstrap}
BPFTOOL=${BPFTOOL:-bpftool}
ROOT_TESTS=(bootstrap_exec_exit bootstrap_min_duration bootstrap_sigint_flushed
	bootstrap_no_programs_left sdk_globals_push_pull)

rm -rf "$T"
mkdir -p "$T"

skip_root_tests() {
	local t
	for t in "${ROOT_TESTS[@]}"; do
		skip "$t" "$1"
	done
}

if [ ! -x "$BOOT" ]; then
	fail bootstrap_built "no $BOOT (make examples)"
	exit 0
fi

# ------------------------------------------------------------------ command line (no root)
t=bootstrap_help
out=$("$BOOT" -h 2>"$T/help.err"); rc=$?
if [ $rc -ne 0 ] || ! grep -q 'USAGE: ./bootstrap \[-d <min-duration-ms>\] \[-v\]' <<<"$out"; then
	fail $t "exit $rc, stdout: $(head -c 200 <<<"$out")"
else
	pass $t
fi

t=bootstrap_bad_duration
"$BOOT" -d abc >"$T/bad.out" 2>"$T/bad.err"; rc=$?
if [ $rc -ne 2 ] || ! grep -q 'Invalid duration: abc' "$T/bad.err" ||
	! grep -q "Try 'bootstrap --help'." "$T/bad.err"; then
	fail $t "exit $rc (want 2), stderr: $(head -c 200 "$T/bad.err")"
else
	pass $t
fi

# ------------------------------------------------------------------ real kernel
why=$(kernel_test_blocker)
if [ -n "$why" ]; then
	skip_root_tests "$why"
	exit 0
fi

# Two uniquely named copies of the child (names <= 15 chars: the comm).
SHORT=$T/wbS$$
LONG=$T/wbL$$
if ! cc -O2 -o "$SHORT" "$WBPF_TOP/tests/bpf/child.c" 2>"$T/cc.err"; then
	cat "$T/cc.err" >&2
	fail bootstrap_exec_exit "cannot build the child program"
	exit 0
fi
cp "$SHORT" "$LONG"

# ids of the BPF programs and links bootstrap process $1 holds, from its fdinfo
fd_ids() { # PID KEY
	grep -h "^$2:" /proc/"$1"/fdinfo/* 2>/dev/null | awk '{ print $2 }' | sort -u
}

# start_boot OUT ARGS...: run bootstrap, wait until both programs are attached
boot_pid=
start_boot() {
	local out=$1 i
	shift
	"$BOOT" "$@" >"$out" 2>"$out.err" &
	boot_pid=$!
	for i in $(seq 1 200); do
		[ "$(fd_ids $boot_pid link_id | wc -l)" -ge 2 ] && return 0
		kill -0 $boot_pid 2>/dev/null || break
		sleep 0.05
	done
	echo "bootstrap did not attach; stderr:" >&2
	cat "$out.err" >&2
	kill -KILL $boot_pid 2>/dev/null
	wait $boot_pid 2>/dev/null
	return 1
}

# stop_boot: SIGINT; sets stop_rc and stop_ms (or stop_rc=timeout)
stop_boot() {
	local t0 t1 i
	t0=$(date +%s%N)
	kill -INT $boot_pid
	for i in $(seq 1 100); do
		kill -0 $boot_pid 2>/dev/null || break
		sleep 0.02
	done
	t1=$(date +%s%N)
	stop_ms=$(((t1 - t0) / 1000000))
	if kill -0 $boot_pid 2>/dev/null; then
		kill -KILL $boot_pid
		wait $boot_pid 2>/dev/null
		stop_rc=timeout
	else
		wait $boot_pid
		stop_rc=$?
	fi
}

# event_line OUT KIND PID: the bootstrap line of that event
event_line() {
	awk -v k="$2" -v p="$3" '$2 == k && $4 == p' "$1"
}

# ------------------------------------------------------------------ exec + exit
prog_ids_run1=
t=bootstrap_exec_exit
if start_boot "$T/run1.out"; then
	prog_ids_run1=$(fd_ids $boot_pid prog_id)
	"$SHORT" 50 3 &
	cpid=$!
	ppid=$BASHPID
	wait $cpid
	crc=$?
	sleep 0.3 # let a poll deliver both events; SIGINT follows at once
	stop_boot
	run1_rc=$stop_rc run1_ms=$stop_ms
	exec_l=$(event_line "$T/run1.out" EXEC $cpid)
	exit_l=$(event_line "$T/run1.out" EXIT $cpid)
	fname=${SHORT:0:126}
	comm=$(basename "$SHORT")
	if [ $crc -ne 3 ]; then
		fail $t "the child exited $crc, not 3"
	elif ! head -1 "$T/run1.out" |
		grep -qx 'TIME     EVENT COMM             PID     PPID    FILENAME/EXIT CODE'; then
		fail $t "no header line"
	elif ! awk -v c="$comm" -v pp="$ppid" -v f="$fname" \
		'$3 == c && $5 == pp && $6 == f && NF == 6 && $1 ~ /^[0-9][0-9]:[0-9][0-9]:[0-9][0-9]$/ { ok = 1 }
		END { exit !ok }' <<<"$exec_l"; then
		fail $t "EXEC line of pid $cpid (comm $comm, ppid $ppid, $fname): '$exec_l'"
	elif ! awk -v c="$comm" -v pp="$ppid" \
		'$3 == c && $5 == pp && $6 == "[3]" && $7 ~ /^\([0-9]+ms\)$/ { ok = 1 }
		END { exit !ok }' <<<"$exit_l"; then
		fail $t "EXIT line of pid $cpid (comm $comm, ppid $ppid, [3]): '$exit_l'"
	else
		ms=$(sed 's/.*(\([0-9]*\)ms).*/\1/' <<<"$exit_l")
		if [ "$ms" -lt 45 ] || [ "$ms" -gt 2000 ]; then
			fail $t "duration ${ms}ms for a 50 ms process"
		else
			pass $t
		fi
	fi
else
	fail $t "bootstrap did not start"
	run1_rc=none run1_ms=0
fi

t=bootstrap_sigint_flushed
if [ "$run1_rc" = none ]; then
	fail $t "bootstrap did not start"
elif [ "$run1_rc" = timeout ]; then
	fail $t "still running 2 s after SIGINT"
elif [ "$run1_rc" -ne 0 ]; then
	fail $t "exit $run1_rc after SIGINT (want 0)"
elif [ "$run1_ms" -gt 1000 ]; then
	fail $t "took ${run1_ms} ms to stop after SIGINT (limit 1000)"
elif [ -z "$(event_line "$T/run1.out" EXIT "${cpid:-x}")" ]; then
	fail $t "the last event caused before SIGINT is not in the output file"
elif [ -n "$(tail -c 1 "$T/run1.out")" ]; then
	fail $t "output ends in a partial line"
else
	pass $t
fi

# ------------------------------------------------------------------ -d 500
prog_ids_run2=
t=bootstrap_min_duration
if start_boot "$T/run2.out" -d 500; then
	prog_ids_run2=$(fd_ids $boot_pid prog_id)
	"$SHORT" 50 3 &
	spid=$!
	"$LONG" 700 4 &
	lpid=$!
	wait $spid $lpid
	sleep 0.3
	stop_boot
	exit_l=$(event_line "$T/run2.out" EXIT $lpid)
	ms=$(sed -n 's/.*\[4\] (\([0-9]*\)ms)$/\1/p' <<<"$exit_l")
	if [ "$stop_rc" != 0 ]; then
		fail $t "exit $stop_rc after SIGINT"
	elif [ -n "$(event_line "$T/run2.out" EXIT $spid)" ]; then
		fail $t "the 50 ms process was reported: $(event_line "$T/run2.out" EXIT $spid)"
	elif [ -n "$(event_line "$T/run2.out" EXEC $lpid)" ]; then
		fail $t "EXEC reported although -d was given"
	elif [ -z "$ms" ]; then
		fail $t "no 'EXIT ... [4] (N ms)' line for the 700 ms process $lpid: '$exit_l'"
	elif [ "$ms" -lt 650 ] || [ "$ms" -gt 5000 ]; then
		fail $t "duration ${ms}ms for a 700 ms process"
	else
		pass $t
	fi
else
	fail $t "bootstrap -d 500 did not start"
fi

# ------------------------------------------------------------------ nothing left loaded
t=bootstrap_no_programs_left
ids=$(printf '%s\n' $prog_ids_run1 $prog_ids_run2 | sed '/^$/d')
if [ "$(wc -l <<<"$ids")" -lt 4 ]; then
	fail $t "did not see both programs of both runs (ids: $(tr '\n' ' ' <<<"$ids"))"
else
	# shellcheck disable=SC2086
	left=$(programs_left $ids)
	if [ -n "$left" ]; then
		fail $t "programs still loaded after exit: ids $left"
	else
		pass $t
	fi
fi
# ------------------------------------------------------------------ SDK: .rodata/.data/.bss
# globals.c sets a .rodata string, .data step 3 and .bss count 1000 before
# load, then pulls, resets (push) and pulls again while this script runs a
# uniquely named program 5 and 2 times: 1000 + 5*3, then 2*3.
t=sdk_globals_push_pull
SKEL=$WBPF_BUILD/bin/wasmbpf-skel
SYSINC=$(${CLANG:-clang} -v -E - </dev/null 2>&1 |
	sed -n '/<...> search starts here:/,/End of search list./{ s| \(/.*\)|-idirafter \1|p }')
G=$T/wbG$$
cp "$SHORT" "$G"
# shellcheck disable=SC2086
if ! ${CLANG:-clang} -g -O2 -target bpf $SYSINC -c "$WBPF_TOP/tests/bpf/globals.bpf.c" \
	-o "$T/globals.bpf.o" 2>"$T/globals.err" ||
	! "$SKEL" -o "$T/globals.skel.h" "$T/globals.bpf.o" 2>>"$T/globals.err" ||
	! guest_cc "$WBPF_TOP/tests/bpf/globals.c" "$T/globals.wasm" -I"$T" \
		-I"$WBPF_TOP/wasm-sdk/include" 2>>"$T/globals.err" ||
	! aot_build "$T/globals.wasm" "$T/globals" 2>>"$T/globals.err"; then
	head -20 "$T/globals.err" >&2
	fail $t "cannot build the globals guest"
else
	rm -f "$T/globals.fifo"
	mkfifo "$T/globals.fifo"
	"$T/globals" "$(basename "$G")" <"$T/globals.fifo" >"$T/globals.out" 2>"$T/globals.stderr" &
	gpid=$!
	exec 3>"$T/globals.fifo"
	wait_line() {
		local i
		for i in $(seq 1 100); do
			grep -q "^$1" "$T/globals.out" && return 0
			kill -0 $gpid 2>/dev/null || return 1
			sleep 0.05
		done
		return 1
	}
	ok=1
	if wait_line ready; then
		for i in 1 2 3 4 5; do "$G" 0 0; done
		echo >&3
		wait_line pushed || ok=0
		"$G" 0 0
		"$G" 0 0
		echo >&3
	else
		ok=0
	fi
	exec 3>&-
	for i in $(seq 1 100); do kill -0 $gpid 2>/dev/null || break; sleep 0.05; done
	kill -KILL $gpid 2>/dev/null
	wait $gpid
	grc=$?
	want="ready
count=1015 step=3
pushed
count=6
key1_enoent=1
lookup=0 wrong_size_einval=1"
	got=$(cat "$T/globals.out")
	if [ $ok -ne 1 ] || [ $grc -ne 0 ] || [ "$got" != "$want" ]; then
		cat "$T/globals.stderr" >&2
		fail $t "exit $grc, output: $(tr '\n' '|' <<<"$got")"
	else
		pass $t
	fi
fi
exit 0

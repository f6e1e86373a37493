#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Tier "examples": the libbpf-tools ports in examples/ on the real kernel
# (root, BTF, tracefs). execsnoop must report an exec this script causes
# (comm, pid, ppid, ret 0, the exact arguments), a failed exec only with -x,
# and stop on SIGINT within a second with exit 0. runqlat must print one
# histogram per interval with non-zero counts while this script creates
# scheduling load, use msecs with -m, attribute latency to a process with -P,
# and stop on SIGINT during an interval with exit 0 and its last histogram
# written. Lost events are never silent: with the tool stopped while this
# script causes far more events than its buffer holds, execsnoop (perf
# buffer, reported by the host) and bootstrap (ring buffer, counted by
# wbpf-drops.bpf.h) must account for every event of ours as printed or lost.
# None may leave a BPF program loaded. The histogram printer must
# print the same bytes as a guest and natively.
set -u
. "$WBPF_TOP/tests/lib.sh"
. "$WBPF_TOP/tests/examples/lib.sh"

# The tier's other test files (tests/examples/*.sh) run when this one ends,
# whichever exit it takes, so that they report even where this one stops early.
run_other_tests() {
	local f rc
	for f in "$WBPF_TOP"/tests/examples/*.sh; do
		case $(basename "$f") in run.sh | lib.sh) continue ;; esac
		bash "$f"; rc=$?
		[ $rc -eq 0 ] || fail "$(basename "$f" .sh)" "$f exited $rc"
	done
}
trap run_other_tests EXIT

examples_tmp examples
EX=$WBPF_BUILD/examples
EXECSNOOP=${WBPF_EXECSNOOP:-$EX/execsnoop/execsnoop}
RUNQLAT=${WBPF_RUNQLAT:-$EX/runqlat/runqlat}
BOOTSTRAP=${WBPF_BOOTSTRAP:-$EX/bootstrap/bootstrap}
BPFTOOL=${BPFTOOL:-bpftool}
ROOT_TESTS=(execsnoop_exec_args execsnoop_failed_only_with_x execsnoop_sigint
	execsnoop_perf_losses_reported bootstrap_ring_drops_counted
	runqlat_two_intervals runqlat_milliseconds runqlat_per_process runqlat_sigint_flushed
	examples_no_programs_left)


# ------------------------------------------------------------------ command line (no root)
need_built "$EXECSNOOP" "$RUNQLAT" "$BOOTSTRAP" || exit 0

help_test execsnoop "$EXECSNOOP" "USAGE: execsnoop [-h] [-T] [-t] [-x] [-u UID]"
usage_error_test execsnoop_usage_error execsnoop "$EXECSNOOP" "--max-args 61" \
	"Invalid MAX_ARGS 61, should be in [1, 60] range"
help_test runqlat "$RUNQLAT" \
	"USAGE: runqlat [--help] [-T] [-m] [--pidnss] [-L] [-P] [-p PID] [interval] [count]"
usage_error_test runqlat_usage_error runqlat "$RUNQLAT" "1 2 3" \
	"unrecognized positional argument: 3"

# ------------------------------------------------------------------ histogram printer
# The same source printed by a guest (through wasmbpf-aot) and natively.
t=runqlat_hist_guest_equals_native
HINC=-I$WBPF_TOP/examples/common
if ! cc -O2 -Wall "$HINC" -o "$T/hist-native" "$WBPF_TOP/tests/examples/hist.c" 2>"$T/hist.err" ||
	! guest_cc "$WBPF_TOP/tests/examples/hist.c" "$T/hist.wasm" "$HINC" 2>>"$T/hist.err" ||
	! aot_build "$T/hist.wasm" "$T/hist-aot" 2>>"$T/hist.err"; then
	head -20 "$T/hist.err" >&2
	fail $t "cannot build tests/examples/hist.c"
else
	"$T/hist-native" >"$T/hist-native.out"
	"$T/hist-aot" >"$T/hist-aot.out"; rc=$?
	# the header of libbpf-tools' print_log2_hist, and its first line
	hdr='     usecs               : count    distribution'
	row='         0 -> 1          : 1        |****************************************|'
	if [ $rc -ne 0 ]; then
		fail $t "the guest exited $rc"
	elif ! cmp -s "$T/hist-native.out" "$T/hist-aot.out"; then
		diff "$T/hist-native.out" "$T/hist-aot.out" >&2
		fail $t "guest and native output differ (diff on stderr)"
	elif [ "$(sed -n 2,4p "$T/hist-native.out")" != "$hdr"$'\n'"$row"$'\n'"--" ]; then
		fail $t "unexpected output for a one-sample histogram: $(sed -n 2,4p "$T/hist-native.out")"
	else
		pass $t
	fi
fi

# ------------------------------------------------------------------ real kernel
need_kernel

# A uniquely named program (name <= 15 chars: it is the comm).
LOAD=$T/wbX$$
if ! cc -O2 -o "$LOAD" "$WBPF_TOP/tests/examples/load.c" 2>"$T/cc.err"; then
	cat "$T/cc.err" >&2
	skip_each "cannot build tests/examples/load.c" "${ROOT_TESTS[@]}"
	exit 0
fi
LOAD_COMM=$(basename "$LOAD")
MISSING=$T/wbMissing$$ # never created: exec fails with ENOENT
# Bursts of events for a stopped tool, from a program named like no other.
BURST=$T/wbBurst$$
if ! cc -O2 -o "$BURST" "$WBPF_TOP/tests/examples/burst.c" 2>"$T/cc.err"; then
	cat "$T/cc.err" >&2
	skip_each "cannot build tests/examples/burst.c" "${ROOT_TESTS[@]}"
	exit 0
fi
BURST_COMM=$(basename "$BURST")

# ------------------------------------------------------------------ execsnoop
# exec_line OUT PID: the line of that pid
exec_line() {
	awk -v p="$2" '$2 == p' "$1"
}

t=execsnoop_exec_args
HEADER='PCOMM            PID    PPID   RET ARGS'
if start_tool "$T/exec1.out" 2 2 0 "$EXECSNOOP"; then
	"$LOAD" 1 one two-2 "3 three" &
	cpid=$!
	wait $cpid
	( exec "$MISSING" fail-arg ) 2>/dev/null
	stop_tool
	exec1_rc=$tool_rc exec1_ms=$tool_ms
	want=$(printf '%-16s %-6d %-6d %3d %s ' "$LOAD_COMM" $cpid $$ 0 "$LOAD 1 one two-2 3 three")
	got=$(exec_line "$T/exec1.out" $cpid)
	if [ "$(head -1 "$T/exec1.out")" != "$HEADER" ]; then
		fail $t "no header line: '$(head -1 "$T/exec1.out")'"
	elif [ "$got" != "$want" ]; then
		fail $t "line of pid $cpid: '$got', want '$want'"
	else
		pass $t
	fi
else
	fail $t "execsnoop did not start"
	exec1_rc=none
fi

t=execsnoop_failed_only_with_x
if [ "$exec1_rc" = none ]; then
	fail $t "execsnoop did not start"
elif grep -q "$MISSING" "$T/exec1.out"; then
	fail $t "failed exec reported without -x: $(grep "$MISSING" "$T/exec1.out")"
elif start_tool "$T/exec2.out" 2 2 0 "$EXECSNOOP" -x; then
	( exec "$MISSING" fail-arg ) 2>/dev/null &
	fpid=$!
	wait $fpid
	"$LOAD" 1 ok-with-x &
	opid=$!
	wait $opid
	stop_tool
	want=$(printf '%-6d %-6d %3d %s ' $fpid $$ -2 "$MISSING fail-arg")
	got=$(exec_line "$T/exec2.out" $fpid)
	if [ "$tool_rc" != 0 ]; then
		fail $t "execsnoop -x: exit $tool_rc after SIGINT"
	elif [ "${got:17}" != "$want" ]; then
		fail $t "line of the failed exec (pid $fpid): '$got', want '... $want'"
	elif [ -z "$(exec_line "$T/exec2.out" $opid)" ]; then
		fail $t "execsnoop -x missed the successful exec of pid $opid"
	else
		pass $t
	fi
else
	fail $t "execsnoop -x did not start"
fi

t=execsnoop_sigint
if [ "$exec1_rc" = none ]; then
	fail $t "execsnoop did not start"
elif ! why=$(sigint_why "$exec1_rc" "$exec1_ms"); then
	fail $t "$why; stderr: $(head -c 200 "$T/exec1.out.err")"
elif [ -n "$(tail -c 1 "$T/exec1.out")" ]; then
	fail $t "output ends in a partial line"
else
	pass $t
fi

# Lost events: the tool is stopped (SIGSTOP) while this script causes far
# more events than its buffer holds, then continued. Every event of ours
# must be printed or counted lost; the count also holds other processes'
# losses, so printed + lost >= caused, with lost > 0.
t=execsnoop_perf_losses_reported
ARG=$(printf 'a%.0s' $(seq 120))
if start_tool "$T/lost.out" 2 2 0 "$EXECSNOOP" -x -v; then
	kill -STOP $tool_pid
	# 20 long arguments: events of about 2.5 KB, on CPU 0 only
	caused=$("$BURST" execs 1000 "$MISSING" $(for _ in $(seq 20); do echo "$ARG"; done))
	kill -CONT $tool_pid
	sleep 0.7
	stop_tool
	printed=$(awk -v c="$BURST_COMM" '$1 == c' "$T/lost.out" | wc -l)
	per_cpu=$(awk '/^execsnoop: lost [0-9]+ perf buffer samples on CPU [0-9]+$/ { n += $3 }
		END { print n + 0 }' "$T/lost.out.err")
	total=$(awk '/^execsnoop: lost [0-9]+ perf buffer samples in total$/ { print $3 }' \
		"$T/lost.out.err")
	bpf_side=$(awk '/^execsnoop: [0-9]+ events dropped in total \(perf buffer full\)$/ {
		print $2 }' "$T/lost.out.err")
	if [ "$tool_rc" != 0 ]; then
		fail $t "exit $tool_rc after SIGINT; stderr: $(head -c 200 "$T/lost.out.err")"
	elif [ -z "$total" ] || [ "$total" -eq 0 ]; then
		fail $t "no 'lost N perf buffer samples in total' line; printed $printed of $caused"
	elif [ "$per_cpu" != "$total" ] || [ -z "$bpf_side" ] || [ "$bpf_side" -lt "$total" ] ||
		[ "$bpf_side" -gt $((total + 5)) ]; then
		# the BPF side counts every failed output, the kernel's lost count
		# only full rings: rarely, one or two more on the BPF side
		fail $t "lost per CPU $per_cpu, in total $total, counted by the BPF side '$bpf_side'"
	elif [ $((printed + total)) -lt "$caused" ] || [ "$printed" -ge "$caused" ]; then
		fail $t "printed $printed + lost $total, caused $caused"
	else
		pass $t
	fi
else
	fail $t "execsnoop -x -v did not start"
fi

t=bootstrap_ring_drops_counted
if start_tool "$T/drops.out" 2 2 0 "$BOOTSTRAP"; then
	kill -STOP $tool_pid
	# an EXIT event for each process; the ring holds about 1500
	caused=$("$BURST" exits 4000)
	kill -CONT $tool_pid
	sleep 0.7
	stop_tool
	printed=$(awk -v c="$BURST_COMM" '$2 == "EXIT" && $3 == c' "$T/drops.out" | wc -l)
	dropped=$(awk '/^bootstrap: [0-9]+ events dropped in total \(ring buffer full\)$/ {
		print $2 }' "$T/drops.out.err")
	if [ "$tool_rc" != 0 ]; then
		fail $t "exit $tool_rc after SIGINT; stderr: $(head -c 200 "$T/drops.out.err")"
	elif [ -z "$dropped" ]; then
		fail $t "no 'events dropped in total' line; printed $printed of $caused"
	elif [ $((printed + dropped)) -lt "$caused" ] || [ "$printed" -ge "$caused" ]; then
		fail $t "printed $printed + dropped $dropped, caused $caused"
	else
		pass $t
	fi
else
	fail $t "bootstrap did not start"
fi

# ------------------------------------------------------------------ runqlat
# hist_check OUT UNITS N: N histograms of UNITS, each with a non-zero count
hist_check() {
	awk -v u="$2" -v n="$3" '
		$1 == u && $2 == ":" && $3 == "count" && $4 == "distribution" { h++; next }
		/^ *[0-9]+ -> [0-9]+ *: [0-9]+ *\|/ { if ($5 + 0 > 0) nz[h] = 1; next }
		END {
			if (h != n) { print h " histograms of " u ", want " n; exit 1 }
			for (i = 1; i <= h; i++)
				if (!nz[i]) { print "histogram " i " has no non-zero count"; exit 1 }
		}' "$1"
}

load_pids=
start_load() { # MS: three load processes
	local _
	load_pids=
	for _ in 1 2 3; do
		"$LOAD" "$1" &
		load_pids="$load_pids $!"
	done
}
stop_load() {
	# shellcheck disable=SC2086
	wait $load_pids 2>/dev/null
}

t=runqlat_two_intervals
if start_tool "$T/rq1.out" 3 3 0 "$RUNQLAT" 1 2; then
	start_load 2500
	wait_tool 5000
	stop_load
	why=$(hist_check "$T/rq1.out" usecs 2)
	if [ "$tool_rc" != 0 ]; then
		fail $t "exit $tool_rc (want 0); stderr: $(head -c 200 "$T/rq1.out.err")"
	elif [ "$(head -1 "$T/rq1.out")" != "Tracing run queue latency... Hit Ctrl-C to end." ]; then
		fail $t "no banner line: '$(head -1 "$T/rq1.out")'"
	elif [ -n "$why" ]; then
		fail $t "$why"
	elif [ "$tool_run_ms" -lt 1500 ]; then
		fail $t "ended ${tool_run_ms} ms after it attached: two 1 s intervals take about 2 s"
	else
		pass $t
	fi
else
	fail $t "runqlat did not start"
fi

t=runqlat_milliseconds
if start_tool "$T/rq2.out" 3 3 0 "$RUNQLAT" -m 1 1; then
	start_load 1500
	wait_tool 4000
	stop_load
	why=$(hist_check "$T/rq2.out" msecs 1)
	if [ "$tool_rc" != 0 ]; then
		fail $t "exit $tool_rc (want 0)"
	elif [ -n "$why" ]; then
		fail $t "$why"
	elif grep -q usecs "$T/rq2.out"; then
		fail $t "usecs histogram printed with -m"
	else
		pass $t
	fi
else
	fail $t "runqlat -m did not start"
fi

t=runqlat_per_process
# the load runs its own program before runqlat starts: a histogram is named
# after the comm its process had when runqlat first saw it
start_load 2500
sleep 0.2
if start_tool "$T/rq3.out" 3 3 0 "$RUNQLAT" -P 1 1; then
	wait_tool 4000
	stop_load
	missing=
	for p in $load_pids; do
		grep -qx "pid = $p $LOAD_COMM" "$T/rq3.out" || missing="$missing $p"
	done
	if [ "$tool_rc" != 0 ]; then
		fail $t "exit $tool_rc (want 0)"
	elif [ -n "$missing" ]; then
		fail $t "no 'pid = PID $LOAD_COMM' histogram for load process(es)$missing"
	else
		pass $t
	fi
else
	stop_load
	fail $t "runqlat -P did not start"
fi

t=runqlat_sigint_flushed
if start_tool "$T/rq4.out" 3 3 0 "$RUNQLAT" 10; then
	start_load 800
	stop_load
	stop_tool
	if ! why=$(sigint_why "$tool_rc" "$tool_ms"); then
		fail $t "$why"
	elif ! why=$(hist_check "$T/rq4.out" usecs 1); then
		fail $t "the histogram of the interrupted interval: $why"
	elif [ -n "$(tail -c 1 "$T/rq4.out")" ]; then
		fail $t "output ends in a partial line"
	else
		pass $t
	fi
else
	fail $t "runqlat 10 did not start"
fi

# ------------------------------------------------------------------ nothing left loaded
# at least execsnoop's 2 runs x 2 programs and runqlat's 4 runs x 3
no_programs_left_test examples_no_programs_left 16
exit 0

# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Shared helpers for tier runners (source it). Result lines go to stdout,
# details of failures to stderr.
#   pass NAME | fail NAME WHY | skip NAME WHY
#   skip_all WHY | fail_all WHY   every test of the tier's TESTS array, then exit
#   need_root NAME         -> returns 1 (after printing SKIP) when not root
#   aot_build SRC.wasm OUT [driver args...]   compile with wasmbpf-aot, quietly
#   guest_cc SRC.c OUT.wasm [clang args...]   clang --target=wasm32-wasi, with
#                          tests/include (the guests' check helpers) on the path
set -u
: "${WBPF_TOP:?run through tests/run.sh}"
WASI_CC=${WASI_CC:-clang --target=wasm32-wasi}

pass() { echo "PASS $1"; }
fail() { echo "FAIL $1: $2"; }
skip() { echo "SKIP $1: $2"; }

# Report every test named in the caller's TESTS array, then leave the tier.
skip_all() {
	local t
	for t in "${TESTS[@]}"; do skip "$t" "$1"; done
	exit 0
}
fail_all() {
	local t
	for t in "${TESTS[@]}"; do fail "$t" "$1"; done
	exit 1
}

need_root() {
	if [ "$(id -u)" -ne 0 ]; then
		skip "$1" "needs root"
		return 1
	fi
}

guest_cc() {
	local src=$1 out=$2
	shift 2
	$WASI_CC -O2 -std=gnu11 -Wall -I"$WBPF_TOP/tests/include" -o "$out" "$src" "$@"
}

aot_build() {
	local src=$1 out=$2
	shift 2
	"$WASMBPF_AOT" "$@" "$src" -o "$out"
}

# Why BPF tests that need the real kernel cannot run here (root, BTF, tracefs,
# bpftool), or nothing when they can.
kernel_test_blocker() {
	if [ "$(id -u)" -ne 0 ]; then
		echo "needs root"
	elif [ ! -r /sys/kernel/btf/vmlinux ]; then
		echo "kernel has no BTF (/sys/kernel/btf/vmlinux)"
	elif ! mount_tracefs; then
		echo "no tracefs (mount -t tracefs tracefs /sys/kernel/tracing failed)"
	elif ! command -v "${BPFTOOL:-bpftool}" >/dev/null; then
		echo "no bpftool"
	fi
}

# why_diff WHAT FILE_A FILE_B: when the files differ, add WHAT to the caller's
# reasons array and show the diff on stderr (headed by the caller's $name).
why_diff() {
	if ! cmp -s "$2" "$3"; then
		reasons+=("$1")
		{
			echo "--- ${name:+$name: }$1: $2 vs $3"
			diff -u "$2" "$3" | head -40
		} >&2
	fi
}

# programs_left ID...: wait up to 2 s for the kernel to free these BPF
# program IDs (it does so shortly after the last fd closes); print the ones
# still loaded then.
programs_left() {
	local left loaded id
	for _ in $(seq 1 40); do
		left=
		loaded=$("${BPFTOOL:-bpftool}" prog show | awk '/^[0-9]+:/ { sub(":", "", $1); print $1 }')
		for id in "$@"; do
			grep -qx "$id" <<<"$loaded" && left="$left $id"
		done
		[ -z "$left" ] && break
		sleep 0.05
	done
	echo $left
}

mount_tracefs() {
	[ -d /sys/kernel/tracing/events ] && return 0
	mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null
	[ -d /sys/kernel/tracing/events ] || [ -d /sys/kernel/debug/tracing/events ]
}

# ids of the BPF links process $1 holds, from its fdinfo
link_ids() {
	grep -h '^link_id:' /proc/"$1"/fdinfo/* 2>/dev/null | awk '{ print $2 }' | sort -u
}

# bootstrap_sees_child NAME DIR TICKS CMD [ARG...]: runs bootstrap as CMD ...
# (stdout DIR/out, stderr DIR/err), waits up to TICKS x 50 ms until it holds
# the links of its two programs, starts a uniquely named child (<= 15 chars:
# the comm) that exits 3 after 50 ms, and reports NAME: passed when bootstrap
# printed the child's EXEC line (comm, parent pid, file name) and its EXIT
# line with code [3], and ended with exit 0 on SIGINT within TICKS x 50 ms.
bootstrap_sees_child() {
	local t=$1 d=$2 ticks=$3 child pid cpid crc rc ppid exec_l exit_l
	shift 3
	child=$d/wb$$
	if ! printf '%s\n' '#include <stdlib.h>' '#include <unistd.h>' \
		'int main(void) { usleep(50000); exit(3); }' |
		${CC:-cc} -O2 -x c -o "$child" - 2>"$d/cc.err"; then
		fail "$t" "cannot build the child program: $(head -1 "$d/cc.err")"
		return
	fi
	env -i --default-signal=INT "$@" >"$d/out" 2>"$d/err" &
	pid=$!
	for _ in $(seq 1 "$ticks"); do
		[ "$(link_ids $pid | wc -l)" -ge 2 ] && break
		kill -0 $pid 2>/dev/null || break
		sleep 0.05
	done
	if [ "$(link_ids $pid | wc -l)" -lt 2 ]; then
		kill -KILL $pid 2>/dev/null
		wait $pid 2>/dev/null
		fail "$t" "bootstrap did not attach its programs: $(head -c 200 "$d/err")"
		return
	fi
	"$child" &
	cpid=$!
	ppid=$BASHPID
	wait $cpid
	crc=$?
	sleep 0.5 # let a poll deliver both events
	kill -INT $pid
	for _ in $(seq 1 "$ticks"); do
		kill -0 $pid 2>/dev/null || break
		sleep 0.05
	done
	if kill -0 $pid 2>/dev/null; then
		kill -KILL $pid
		wait $pid 2>/dev/null
		fail "$t" "still running $((ticks / 20)) s after SIGINT"
		return
	fi
	wait $pid
	rc=$?
	exec_l=$(awk -v p=$cpid '$2 == "EXEC" && $4 == p' "$d/out")
	exit_l=$(awk -v p=$cpid '$2 == "EXIT" && $4 == p' "$d/out")
	if [ $crc -ne 3 ]; then
		fail "$t" "the child exited $crc, not 3"
	elif ! awk -v c="$(basename "$child")" -v pp="$ppid" -v f="$child" \
		'$3 == c && $5 == pp && $6 == f { ok = 1 } END { exit !ok }' <<<"$exec_l"; then
		fail "$t" "no EXEC line for pid $cpid ($child): '$exec_l'"
	elif ! awk -v c="$(basename "$child")" -v pp="$ppid" \
		'$3 == c && $5 == pp && $6 == "[3]" { ok = 1 } END { exit !ok }' <<<"$exit_l"; then
		fail "$t" "no EXIT line with code [3] for pid $cpid: '$exit_l'"
	elif [ $rc -ne 0 ]; then
		fail "$t" "exit $rc after SIGINT, not 0 (stderr: $(head -c 200 "$d/err"))"
	else
		pass "$t"
	fi
}

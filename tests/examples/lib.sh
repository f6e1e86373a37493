# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# shellcheck shell=bash
# Helpers of the examples tier's test files (source it after tests/lib.sh).
# They run an example tool as its user does: in the background until it is
# attached, then the events the file causes, then SIGINT.
#   examples_tmp NAME            T=$WBPF_TMP/NAME, made new and empty
#   need_built FILE...           FAIL NAME_built for each one missing; 1 if any
#   need_kernel                  where the real-kernel tests cannot run
#                                (kernel_test_blocker): SKIP each of ROOT_TESTS, exit
#   skip_each WHY TEST...        SKIP each test (fail_each: FAIL)
#   fails_test TEST GREP-FLAGS TEXT CMD...   CMD exits 1, saying TEXT on stderr
#   cmdline_tests NAME BIN USAGE-LINE BAD-ARGS BAD-LINE
#                                NAME_help, NAME_bad_flag, NAME_bad_value: these
#                                three of help_test, bad_flag_test, usage_error_test
#   start_tool OUT NPROGS NLINKS NLINES CMD...   run CMD until attached; tool_pid
#   wait_tool LIMIT_MS [PID]     wait for it to end: tool_rc, tool_ms, tool_run_ms
#   stop_tool [PID]              SIGINT, then wait_tool 2000
#   sigint_why RC MS             why a run did not stop on SIGINT as it must
#   sigint_check TEST            TEST on the last run: stopped in time, exit 0
#   with_sigint TEST CMD...      CMD (a test of one run), then sigint_check TEST
#   no_programs_left_test TEST [MIN]   the programs of every run are unloaded
#   veth_setup TAG NET           a veth pair to a new network namespace
#   veth_cleanup                 remove it
: "${WBPF_TOP:?run through tests/run.sh}"

examples_tmp() {
	T=$WBPF_TMP/$1
	rm -rf "$T"
	mkdir -p "$T"
}

need_built() {
	local b missing=0
	for b in "$@"; do
		if [ ! -e "$b" ]; then
			fail "$(basename "$b")_built" "no $b (make all)"
			missing=1
		fi
	done
	return $missing
}

skip_each() {
	local why=$1 t
	shift
	for t in "$@"; do
		skip "$t" "$why"
	done
}
fail_each() {
	local why=$1 t
	shift
	for t in "$@"; do
		fail "$t" "$why"
	done
}

need_kernel() {
	local why
	why=$(kernel_test_blocker)
	[ -z "$why" ] && return 0
	skip_each "$why" "${ROOT_TESTS[@]}"
	exit 0
}

# ------------------------------------------------------------------ command line
# help_test NAME BIN LINE: NAME_help, -h exits 0 with LINE in what it prints
help_test() {
	local name=$1 bin=$2 line=$3 out rc
	out=$("$bin" -h 2>"$T/$name.help.err"); rc=$?
	if [ $rc -ne 0 ] || ! grep -qF -- "$line" <<<"$out"; then
		fail "${name}_help" "exit $rc, stdout: $(head -c 200 <<<"$out")"
	else
		pass "${name}_help"
	fi
}

# bad_flag_test NAME BIN: NAME_bad_flag, an unknown flag exits 2 with "Try 'NAME --help'."
bad_flag_test() {
	local name=$1 bin=$2 rc
	"$bin" --no-such-flag >"$T/$name.flag.out" 2>"$T/$name.flag.err"; rc=$?
	if [ $rc -ne 2 ] || ! grep -qF "Try '$name --help'." "$T/$name.flag.err"; then
		fail "${name}_bad_flag" "exit $rc (want 2), stderr: $(head -c 200 "$T/$name.flag.err")"
	else
		pass "${name}_bad_flag"
	fi
}

# usage_error_test TEST NAME BIN ARGS LINE: BIN ARGS (split at spaces) exits 2
# with the line LINE and "Try 'NAME --help'." on stderr
usage_error_test() {
	local t=$1 name=$2 bin=$3 args=$4 line=$5 rc
	# shellcheck disable=SC2086
	"$bin" $args >"$T/$t.out" 2>"$T/$t.err"; rc=$?
	if [ $rc -ne 2 ] || ! grep -qxF -- "$line" "$T/$t.err" ||
		! grep -qF "Try '$name --help'." "$T/$t.err"; then
		fail "$t" "'$name $args': exit $rc (want 2), stderr: $(head -c 200 "$T/$t.err")"
	else
		pass "$t"
	fi
}

cmdline_tests() {
	help_test "$1" "$2" "$3"
	bad_flag_test "$1" "$2"
	usage_error_test "${1}_bad_value" "$1" "$2" "$4" "$5"
}

# fails_test TEST GREP-FLAGS TEXT CMD...: CMD exits 1, and grep GREP-FLAGS (-qF:
# in a line, -qxF: a line) finds TEXT in what it says on stderr
fails_test() {
	local t=$1 flags=$2 text=$3 rc
	shift 3
	"$@" >"$T/$t.out" 2>"$T/$t.err"; rc=$?
	if [ $rc -ne 1 ]; then
		fail "$t" "exit $rc (want 1), stderr: $(head -c 300 "$T/$t.err")"
	elif ! grep "$flags" -- "$text" "$T/$t.err"; then
		fail "$t" "stderr does not say '$text': $(head -c 300 "$T/$t.err")"
	else
		pass "$t"
	fi
}

# ------------------------------------------------------------------ runs
# ids of the BPF programs and links process $1 holds, from its fdinfo
fd_ids() { # PID KEY
	grep -h "^$2:" /proc/"$1"/fdinfo/* 2>/dev/null | awk '{ print $2 }' | sort -u
}

# What the runs that started loaded: the ids of their programs, seen in their
# fdinfo, and how many programs they should have (the NPROGS of each).
all_prog_ids=
tool_progs=0
tool_pid=
tool_t0=

# start_tool OUT NPROGS NLINKS NLINES CMD...: run CMD (stdout to OUT, stderr
# to OUT.err) until it holds NLINKS BPF links and has printed NLINES lines
# (its banner or header: the tools print it once attached and flush it, so
# events come after); 0 of either is not waited for. Sets tool_pid, and
# tool_t0 to when it was seen attached. Returns 1 (the tool killed, its
# stderr on ours) when that does not come within 15 s.
start_tool() {
	local out=$1 np=$2 nlinks=$3 nlines=$4 _
	shift 4
	"$@" >"$out" 2>"$out.err" &
	tool_pid=$!
	for _ in $(seq 1 300); do
		if { [ "$nlinks" -eq 0 ] || [ "$(fd_ids $tool_pid link_id | wc -l)" -ge "$nlinks" ]; } &&
			{ [ "$nlines" -eq 0 ] || [ "$(wc -l <"$out")" -ge "$nlines" ]; }; then
			tool_t0=$(date +%s%N)
			all_prog_ids="$all_prog_ids $(fd_ids $tool_pid prog_id | tr '\n' ' ')"
			tool_progs=$((tool_progs + np))
			return 0
		fi
		kill -0 $tool_pid 2>/dev/null || break
		sleep 0.05
	done
	echo "$* did not attach; stderr:" >&2
	cat "$out.err" >&2
	kill -KILL $tool_pid 2>/dev/null
	wait $tool_pid 2>/dev/null
	return 1
}

# wait_tool LIMIT_MS [PID]: wait for the tool (default: the last started) to
# end, killing it after LIMIT_MS; sets tool_rc (its exit status, or
# "timeout"), tool_ms (from this call) and tool_run_ms (from tool_t0: the
# whole run, whatever the test did in between)
wait_tool() {
	local pid=${2:-$tool_pid} t0 _
	t0=$(date +%s%N)
	for _ in $(seq 1 $(($1 / 20))); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.02
	done
	tool_ms=$((($(date +%s%N) - t0) / 1000000))
	# shellcheck disable=SC2034 # (for the test files)
	tool_run_ms=$((($(date +%s%N) - ${tool_t0:-$t0}) / 1000000))
	if kill -0 "$pid" 2>/dev/null; then
		kill -KILL "$pid"
		wait "$pid" 2>/dev/null
		tool_rc=timeout
	else
		wait "$pid"
		tool_rc=$?
	fi
}

# stop_tool [PID]: SIGINT after the events had time to reach the tool (0.3 s),
# then wait_tool 2000
stop_tool() {
	local pid=${1:-$tool_pid}
	sleep 0.3
	kill -INT "$pid"
	wait_tool 2000 "$pid"
}

# sigint_why RC MS: why a run whose tool_rc was RC, tool_ms MS after SIGINT,
# did not stop on SIGINT within a second with exit 0; returns 1 then
sigint_why() {
	if [ "$1" = timeout ]; then
		echo "still running 2 s after SIGINT"
	elif [ "$1" != 0 ]; then
		echo "exit $1 after SIGINT (want 0)"
	elif [ "$2" -gt 1000 ]; then
		echo "took $2 ms to stop after SIGINT (limit 1000)"
	else
		return 0
	fi
	return 1
}

sigint_check() {
	local why
	if why=$(sigint_why "$tool_rc" "$tool_ms"); then
		pass "$1"
	else
		fail "$1" "$why"
	fi
}

# with_sigint TEST CMD...: CMD, a test function that returns 0 when its tool
# started (and was stopped with stop_tool); then sigint_check TEST, or TEST
# fails as TOOL (TEST without _sigint) did not start. Returns what CMD did.
with_sigint() {
	local t=$1
	shift
	if "$@"; then
		sigint_check "$t"
		return 0
	fi
	fail "$t" "${t%_sigint} did not start"
	return 1
}

# no_programs_left_test TEST [MIN]: the programs of every run (at least MIN,
# and the NPROGS of each) were seen, and none is loaded any more
no_programs_left_test() {
	local t=$1 want=${2:-1} ids left
	[ "$tool_progs" -gt "$want" ] && want=$tool_progs
	# shellcheck disable=SC2086
	ids=$(printf '%s\n' $all_prog_ids | sed '/^$/d' | sort -u)
	if [ -z "$ids" ] || [ "$(wc -l <<<"$ids")" -lt "$want" ]; then
		fail "$t" "did not see every program of the runs ($want; ids: $(tr '\n' ' ' <<<"$ids"))"
		return
	fi
	# shellcheck disable=SC2086
	left=$(programs_left $ids)
	if [ -n "$left" ]; then
		fail "$t" "programs still loaded after exit: ids $left"
	else
		pass "$t"
	fi
}

# ------------------------------------------------------------------ network
NS='' HOST_IF='' NS_IF='' HOST_IP='' NS_IP=''
veth_why=

# veth_setup TAG NET: a veth pair to ping across, HOST_IF here with HOST_IP
# (NET.1/30) and NS_IF with NS_IP (NET.2/30) in a new network namespace NS
# (its lo up too), named after TAG and our pid. Returns 1, with veth_why set,
# when it cannot (or there is no ping).
veth_setup() {
	NS=wb$1$$
	HOST_IF=wb$1$$h # <= 15 characters
	NS_IF=wb$1$$n
	HOST_IP=$2.1
	NS_IP=$2.2
	veth_why=
	if ! command -v ping >/dev/null; then
		veth_why="no ping (iputils-ping)"
	elif ! ip netns add "$NS" 2>"$T/netns.err"; then
		veth_why="cannot create a network namespace: $(head -1 "$T/netns.err")"
	elif ! ip link add "$HOST_IF" type veth peer name "$NS_IF" netns "$NS" 2>"$T/veth.err"; then
		veth_why="cannot create a veth pair: $(head -1 "$T/veth.err")"
	elif ! ip addr add "$HOST_IP/30" dev "$HOST_IF" || ! ip link set "$HOST_IF" up ||
		! ip -n "$NS" addr add "$NS_IP/30" dev "$NS_IF" || ! ip -n "$NS" link set "$NS_IF" up ||
		! ip -n "$NS" link set lo up; then
		veth_why="cannot configure the veth pair"
	fi
	[ -z "$veth_why" ]
}

veth_cleanup() {
	[ -n "$HOST_IF" ] && ip link del "$HOST_IF" 2>/dev/null
	[ -n "$NS" ] && ip netns del "$NS" 2>/dev/null
	return 0
}

#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Part of tier "examples" (run by tests/examples/run.sh): opensnoop and
# sigsnoop on the real kernel (root, BTF, tracefs), against events this script
# causes from processes whose pid it knows.
# opensnoop must show an open of a unique file with that pid, comm, path and
# FD >= 0 (under the AOT binary and under wasmbpf-run on the same .wasm);
# only failed opens with -x (ERR 2 for a missing path); only the pid of -p;
# only commands named like -n; only the user of -u; the TIME/UID/FLAGS/MODE
# columns of -T -U -e; an end after the seconds of -d.
# sigsnoop must show a SIGUSR1 a known process sends to a known target (both
# engines), a failed kill (to a dead pid: -3, ESRCH) with -k -x, kill calls
# only with -k, only the sender of -p and only the signals of -s. Both tools:
# -h and usage errors as the originals, stop on SIGINT within a second with
# exit 0, and leave no BPF program loaded.
set -u
. "$WBPF_TOP/tests/lib.sh"
. "$WBPF_TOP/tests/examples/lib.sh"

examples_tmp examples-snoops
EX=$WBPF_BUILD/examples
OPENSNOOP=${WBPF_OPENSNOOP:-$EX/opensnoop/opensnoop}
SIGSNOOP=${WBPF_SIGSNOOP:-$EX/sigsnoop/sigsnoop}
RUN=${WBPF_RUN:-$WBPF_BUILD/bin/wasmbpf-run}
ROOT_TESTS=(opensnoop_open_seen opensnoop_open_seen_interp opensnoop_failed_only_with_x
	opensnoop_pid_filter opensnoop_name_filter opensnoop_extended_columns opensnoop_uid_filter
	opensnoop_duration opensnoop_sigint
	sigsnoop_signal_seen sigsnoop_signal_seen_interp sigsnoop_failed_kill_with_x
	sigsnoop_kill_mode sigsnoop_pid_filter sigsnoop_signal_filter sigsnoop_sigint
	snoops_no_programs_left)

# ------------------------------------------------------------------ command line (no root)
need_built "$OPENSNOOP" "$SIGSNOOP" "$OPENSNOOP.wasm" "$SIGSNOOP.wasm" "$RUN" || exit 0

cmdline_tests opensnoop "$OPENSNOOP" \
	"USAGE: opensnoop [-h] [-T] [-U] [-x] [-p PID] [-t TID] [-u UID] [-d DURATION]" \
	"-p 12x" "invalid PID: 12x"
cmdline_tests sigsnoop "$SIGSNOOP" "USAGE: sigsnoop [-h] [-x] [-k] [-n] [-p PID] [-s SIGNAL]" \
	"-s USR1,65" "invalid SIGNAL: USR1,65"

# ------------------------------------------------------------------ real kernel
need_kernel

# ------------------------------------------------------------------ opensnoop
# opensnoop holds two links per traced syscall: openat, and open and openat2
# where the kernel has them
TP=/sys/kernel/tracing/events/syscalls
[ -d $TP ] || TP=/sys/kernel/debug/tracing/events/syscalls
OPEN_LINKS=2
for s in open openat2; do
	[ -d "$TP/sys_enter_$s" ] && OPEN_LINKS=$((OPEN_LINKS + 2))
done

FILE=$T/wbOpen$$.txt # an existing file
MISSING=$T/wbNoSuch$$.txt # never created
echo data >"$FILE"
mkfifo "$T/gate"

# open_by_cat: cat FILE in a new process; sets cat_pid
open_by_cat() {
	sh -c 'echo $$ >"$1"; exec cat "$2"' sh "$T/cat.pid" "$1" >/dev/null 2>&1
	cat_pid=$(cat "$T/cat.pid")
}

# open_line OUT PID PATH: the line of that pid and path (PID COMM FD ERR PATH)
open_line() {
	awk -v p="$2" -v f="$3" '$1 == p && $NF == f' "$1"
}

# open_seen_test NAME CMD...: an open by a known process is reported
open_seen_test() {
	local t=$1 got want
	shift
	if start_tool "$T/$t.out" 6 $OPEN_LINKS 1 "$@"; then
		open_by_cat "$FILE"
		stop_tool
		got=$(open_line "$T/$t.out" "$cat_pid" "$FILE")
		want='PID    COMM              FD ERR PATH'
		if [ "$(head -1 "$T/$t.out")" != "$want" ]; then
			fail $t "header '$(head -1 "$T/$t.out")', want '$want'"
		elif [ -z "$got" ]; then
			fail $t "no line of pid $cat_pid opening $FILE"
		elif ! awk -v c=cat '$2 == c && $3 >= 0 && $4 == 0 { ok = 1 } END { exit !ok }' <<<"$got"; then
			fail $t "want comm cat, FD >= 0, ERR 0: '$got'"
		elif [ "$tool_rc" != 0 ]; then
			fail $t "exit $tool_rc after SIGINT; stderr: $(head -c 200 "$T/$t.out.err")"
		else
			pass $t
		fi
		return 0
	fi
	fail $t "$* did not start"
	return 1
}

with_sigint opensnoop_sigint open_seen_test opensnoop_open_seen "$OPENSNOOP"
open_seen_test opensnoop_open_seen_interp "$RUN" "$OPENSNOOP.wasm"

t=opensnoop_failed_only_with_x
if start_tool "$T/$t.out" 6 $OPEN_LINKS 1 "$OPENSNOOP" -x; then
	open_by_cat "$FILE"
	ok_pid=$cat_pid
	open_by_cat "$MISSING"
	stop_tool
	got=$(open_line "$T/$t.out" "$cat_pid" "$MISSING")
	good=$(awk 'NR > 1 && ($3 != -1 || $4 == 0)' "$T/$t.out" | head -3)
	if [ "$tool_rc" != 0 ]; then
		fail $t "exit $tool_rc after SIGINT"
	elif ! awk '$2 == "cat" && $3 == -1 && $4 == 2 { ok = 1 } END { exit !ok }' <<<"$got"; then
		fail $t "want 'PID cat -1 2 $MISSING' for pid $cat_pid, got '$got'"
	elif [ -n "$good" ]; then
		fail $t "successful opens reported with -x: $good"
	elif [ -n "$(open_line "$T/$t.out" "$ok_pid" "$FILE")" ]; then
		fail $t "the successful open of pid $ok_pid reported with -x"
	else
		pass $t
	fi
else
	fail $t "opensnoop -x did not start"
fi

t=opensnoop_pid_filter
# the traced process waits at a fifo until opensnoop runs with its pid
sh -c 'read _ <"$1"; exec cat "$2"' sh "$T/gate" "$FILE" >/dev/null &
gated=$!
if start_tool "$T/$t.out" 6 $OPEN_LINKS 1 "$OPENSNOOP" -p $gated; then
	open_by_cat "$FILE" # another pid: must not be shown
	echo go >"$T/gate"
	wait $gated 2>/dev/null
	stop_tool
	others=$(awk -v p=$gated 'NR > 1 && $1 != p' "$T/$t.out" | head -3)
	if [ "$tool_rc" != 0 ]; then
		fail $t "exit $tool_rc after SIGINT"
	elif [ -z "$(open_line "$T/$t.out" $gated "$FILE")" ]; then
		fail $t "no line of pid $gated opening $FILE"
	elif [ -n "$others" ]; then
		fail $t "lines of other pids with -p $gated: $others"
	else
		pass $t
	fi
else
	echo go >"$T/gate"
	wait $gated 2>/dev/null
	fail $t "opensnoop -p did not start"
fi

t=opensnoop_name_filter
NAMED=$T/wbCat$$ # a comm no other process has
cp "$(command -v cat)" "$NAMED"
if start_tool "$T/$t.out" 6 $OPEN_LINKS 1 "$OPENSNOOP" -n "wbCat$$"; then
	open_by_cat "$FILE" # comm cat: must not be shown
	"$NAMED" "$FILE" >/dev/null &
	npid=$!
	wait $npid
	stop_tool
	others=$(awk -v c="wbCat$$" 'NR > 1 && $2 != c' "$T/$t.out" | head -3)
	if [ "$tool_rc" != 0 ]; then
		fail $t "exit $tool_rc after SIGINT"
	elif [ -z "$(open_line "$T/$t.out" $npid "$FILE")" ]; then
		fail $t "no line of pid $npid (wbCat$$) opening $FILE"
	elif [ -n "$others" ]; then
		fail $t "lines of other commands with -n wbCat$$: $others"
	else
		pass $t
	fi
else
	fail $t "opensnoop -n did not start"
fi

t=opensnoop_extended_columns
CREATED=$T/wbNew$$.txt
if start_tool "$T/$t.out" 6 $OPEN_LINKS 1 "$OPENSNOOP" -T -U -e; then
	# touch: O_WRONLY|O_CREAT|O_NOCTTY|O_NONBLOCK, mode 0666
	sh -c 'echo $$ >"$1"; exec touch "$2"' sh "$T/touch.pid" "$CREATED"
	tpid=$(cat "$T/touch.pid")
	rm -f "$CREATED"
	stop_tool
	want='TIME     UID     PID    COMM              FD ERR FLAGS    MODE  PATH'
	got=$(awk -v p=$tpid -v f="$CREATED" '$3 == p && $NF == f' "$T/$t.out")
	flags=$(awk '{ print $7 }' <<<"$got")
	if [ "$tool_rc" != 0 ]; then
		fail $t "exit $tool_rc after SIGINT"
	elif [ "$(head -1 "$T/$t.out")" != "$want" ]; then
		fail $t "header '$(head -1 "$T/$t.out")', want '$want'"
	elif ! awk '$1 ~ /^[0-9][0-9]:[0-9][0-9]:[0-9][0-9]$/ && $2 == 0 && $4 == "touch" &&
		$5 >= 0 && $6 == 0 && $7 ~ /^[0-7]+$/ && length($7) == 8 && $8 == "0666" { ok = 1 }
		END { exit !ok }' <<<"$got" || [ $((8#$flags & 8#100)) -eq 0 ]; then
		fail $t "want 'HH:MM:SS 0 $tpid touch FD 0 FLAGS(with O_CREAT) 0666 $CREATED', got '$got'"
	else
		pass $t
	fi
else
	fail $t "opensnoop -T -U -e did not start"
fi

t=opensnoop_uid_filter
NOBODY=65534
if ! command -v setpriv >/dev/null; then
	skip $t "no setpriv (util-linux) to open a file as another user"
elif start_tool "$T/$t.out" 6 $OPEN_LINKS 1 "$OPENSNOOP" -U -u $NOBODY; then
	open_by_cat "$FILE" # as root: must not be shown
	sh -c 'echo $$ >"$1"; exec setpriv --reuid "$2" --regid "$2" --clear-groups cat "$3"' \
		sh "$T/cat.pid" $NOBODY "$FILE" >/dev/null
	upid=$(cat "$T/cat.pid")
	stop_tool
	got=$(awk -v p=$upid -v f="$FILE" '$2 == p && $NF == f' "$T/$t.out")
	others=$(awk -v u=$NOBODY 'NR > 1 && $1 != u' "$T/$t.out" | head -3)
	if [ "$tool_rc" != 0 ]; then
		fail $t "exit $tool_rc after SIGINT"
	elif ! awk -v u=$NOBODY '$1 == u && $3 == "cat" { ok = 1 } END { exit !ok }' <<<"$got"; then
		# (the open may fail, EACCES, where the test folder is not open to all)
		fail $t "want '$NOBODY $upid cat FD ERR $FILE', got '$got'"
	elif [ -n "$others" ]; then
		fail $t "lines of other users with -u $NOBODY: $others"
	else
		pass $t
	fi
else
	fail $t "opensnoop -u did not start"
fi

t=opensnoop_duration
if start_tool "$T/$t.out" 6 $OPEN_LINKS 1 "$OPENSNOOP" -d 1; then
	wait_tool 4000
	if [ "$tool_rc" = timeout ]; then
		fail $t "still running 4 s after starting with -d 1"
	elif [ "$tool_rc" != 0 ]; then
		fail $t "exit status $tool_rc, not 0, after -d 1"
	elif [ "$tool_ms" -lt 500 ]; then
		fail $t "ended after $tool_ms ms: -d 1 traces for a second"
	else
		pass $t
	fi
else
	fail $t "opensnoop -d 1 did not start"
fi

# ------------------------------------------------------------------ sigsnoop
KILL=$(command -v kill | grep / || echo /bin/kill) # the program, not the builtin

# signal_line OUT SENDER: the lines of that sender (TIME PID COMM SIG TPID RESULT)
signal_line() {
	awk -v p="$2" 'NR > 1 && $2 == p' "$1"
}

# send SIG TARGET: kill(2) from a new process; sets sender
send() {
	"$KILL" -s "$1" "$2" 2>/dev/null &
	sender=$!
	wait $sender 2>/dev/null # (and the shell's report of a target killed)
}

# new_target: a process to signal, which handles SIGUSR1/2 and lives until
# end_target (a target killed by them would have the shell report it); sets target
new_target() {
	local _
	rm -f "$T/ready"
	perl -e '$SIG{USR1} = $SIG{USR2} = sub {}; open(R, ">", $ARGV[0]); close(R);
		sleep 30 while 1' "$T/ready" &
	target=$!
	for _ in $(seq 1 100); do
		[ -e "$T/ready" ] && break
		sleep 0.02
	done
}
end_target() {
	{
		kill -KILL $target
		wait $target # the shell's report of how it died goes too
	} 2>/dev/null
}

# signal_seen_test NAME NLINKS SIGNAME CMD...: a SIGUSR1 from a known process
signal_seen_test() {
	local t=$1 nlinks=$2 signame=$3 got want
	shift 3
	if start_tool "$T/$t.out" 7 "$nlinks" 1 "$@"; then
		new_target
		send USR1 $target
		end_target
		stop_tool
		got=$(signal_line "$T/$t.out" $sender)
		want='TIME     PID     COMM             SIG          TPID    RESULT'
		if [ "$(head -1 "$T/$t.out")" != "$want" ]; then
			fail $t "header '$(head -1 "$T/$t.out")', want '$want'"
		elif [ "$tool_rc" != 0 ]; then
			fail $t "exit $tool_rc after SIGINT; stderr: $(head -c 200 "$T/$t.out.err")"
		elif ! awk -v s=$signame -v tp=$target '$3 == "kill" && $4 == s && $5 == tp && $6 == 0 { ok = 1 }
			END { exit !ok }' <<<"$got"; then
			fail $t "want 'TIME $sender kill $signame $target 0', got '$got'"
		else
			pass $t
		fi
		return 0
	fi
	fail $t "$* did not start"
	return 1
}

with_sigint sigsnoop_sigint signal_seen_test sigsnoop_signal_seen 1 10 "$SIGSNOOP"
signal_seen_test sigsnoop_signal_seen_interp 1 SIGUSR1 "$RUN" "$SIGSNOOP.wasm" -n

t=sigsnoop_failed_kill_with_x
if start_tool "$T/$t.out" 7 6 1 "$SIGSNOOP" -k -x; then
	new_target
	send USR1 $target # succeeds: must not be shown
	ok_sender=$sender
	end_target
	dead=$target # reaped: kill(2) fails with ESRCH
	send USR1 $dead
	stop_tool
	got=$(signal_line "$T/$t.out" $sender)
	if [ "$tool_rc" != 0 ]; then
		fail $t "exit $tool_rc after SIGINT"
	elif ! awk -v tp=$dead '$3 == "kill" && $4 == 10 && $5 == tp && $6 == -3 { ok = 1 }
		END { exit !ok }' <<<"$got"; then
		fail $t "want 'TIME $sender kill 10 $dead -3', got '$got'"
	elif [ -n "$(signal_line "$T/$t.out" $ok_sender)" ]; then
		fail $t "the successful kill of pid $ok_sender shown with -x"
	elif awk 'NR > 1 && $6 >= 0 { bad = 1 } END { exit !bad }' "$T/$t.out"; then
		fail $t "results >= 0 shown with -x: $(awk 'NR > 1 && $6 >= 0' "$T/$t.out" | head -3)"
	else
		pass $t
	fi
else
	fail $t "sigsnoop -k -x did not start"
fi

t=sigsnoop_kill_mode
if start_tool "$T/$t.out" 7 6 1 "$SIGSNOOP" -k; then
	new_target
	send USR1 $target
	"$KILL" -s USR1 999999999 2>/dev/null # a pid that cannot exist: -ESRCH
	end_target # the shell's kill builtin, and the target's SIGCHLD: not kill(2) by a new pid
	stop_tool
	got=$(signal_line "$T/$t.out" $sender)
	if [ "$tool_rc" != 0 ]; then
		fail $t "exit $tool_rc after SIGINT"
	elif ! awk -v tp=$target '$3 == "kill" && $4 == 10 && $5 == tp && $6 == 0 { ok = 1 }
		END { exit !ok }' <<<"$got"; then
		fail $t "want 'TIME $sender kill 10 $target 0', got '$got'"
	elif awk '$4 == 17 { bad = 1 } END { exit !bad }' "$T/$t.out"; then
		fail $t "SIGCHLD (not sent by a kill syscall) shown with -k: $(awk '$4 == 17' "$T/$t.out" | head -2)"
	elif ! awk '$3 == "kill" && $5 == 999999999 && $6 == -3 { ok = 1 } END { exit !ok }' "$T/$t.out"; then
		fail $t "the failed kill of pid 999999999 missing (want result -3)"
	else
		pass $t
	fi
else
	fail $t "sigsnoop -k did not start"
fi

t=sigsnoop_pid_filter
# the traced sender waits at a fifo until sigsnoop runs with its pid
new_target
gated_target=$target
sh -c 'read _ <"$1"; exec "$2" -s USR1 "$3"' sh "$T/gate" "$KILL" $gated_target &
gated=$!
if start_tool "$T/$t.out" 7 1 1 "$SIGSNOOP" -p $gated; then
	new_target
	send USR2 $target # another sender: must not be shown
	end_target
	echo go >"$T/gate"
	wait $gated 2>/dev/null
	target=$gated_target
	end_target
	stop_tool
	others=$(awk -v p=$gated 'NR > 1 && $2 != p' "$T/$t.out" | head -3)
	if [ "$tool_rc" != 0 ]; then
		fail $t "exit $tool_rc after SIGINT"
	elif ! awk -v p=$gated -v tp=$gated_target '$2 == p && $4 == 10 && $5 == tp { ok = 1 }
		END { exit !ok }' "$T/$t.out"; then
		fail $t "no SIGUSR1 line of pid $gated to $gated_target"
	elif [ -n "$others" ]; then
		fail $t "lines of other senders with -p $gated: $others"
	else
		pass $t
	fi
else
	echo go >"$T/gate"
	wait $gated 2>/dev/null
	target=$gated_target
	end_target
	fail $t "sigsnoop -p did not start"
fi

t=sigsnoop_signal_filter
if start_tool "$T/$t.out" 7 1 1 "$SIGSNOOP" -n -s SIGUSR2,hup; then
	new_target
	send USR1 $target # not asked for
	end_target
	new_target
	send USR2 $target
	usr2_sender=$sender usr2_target=$target
	end_target
	stop_tool
	others=$(awk 'NR > 1 && $4 != "SIGUSR2" && $4 != "SIGHUP"' "$T/$t.out" | head -3)
	if [ "$tool_rc" != 0 ]; then
		fail $t "exit $tool_rc after SIGINT"
	elif ! awk -v p=$usr2_sender -v tp=$usr2_target '$2 == p && $4 == "SIGUSR2" && $5 == tp { ok = 1 }
		END { exit !ok }' "$T/$t.out"; then
		fail $t "no SIGUSR2 line of pid $usr2_sender to $usr2_target"
	elif [ -n "$others" ]; then
		fail $t "other signals with -s SIGUSR2,hup: $others"
	else
		pass $t
	fi
else
	fail $t "sigsnoop -s did not start"
fi

# ------------------------------------------------------------------ nothing left loaded
# each run loads every program of its object: opensnoop 6, sigsnoop 7
no_programs_left_test snoops_no_programs_left
exit 0

#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# abi tier: every edge of the six wasm_bpf imports, on the real kernel (root).
# One guest (abi.c) with one BPF object (abi.bpf.c) embedded, compiled once
# with wasmbpf-aot into $WBPF_TMP/abi and run once per test; the guest prints
# "ok NAME" / "FAIL NAME: ..." per check, and this runner adds what only the
# outside can see: exit codes, stderr, signals, programs left in the kernel.
# Every test runs under both engines, with the same expectations: NAME is the
# program wasmbpf-aot compiled, NAME-interp is `wasmbpf-run abi.wasm ...`
# (whose memory moves when it grows: the ring and perf tests grow it from
# inside the callback). Both name themselves "abi" in messages.
# wasmbpf-run: $WASMBPF_RUN or $WBPF_BUILD/bin/wasmbpf-run.
set -u
. "$WBPF_TOP/tests/lib.sh"

SRC=$WBPF_TOP/tests/abi
D=$WBPF_TMP/abi
RUN=${WASMBPF_RUN:-$WBPF_BUILD/bin/wasmbpf-run}
case $RUN in /*) ;; *) RUN=$PWD/$RUN ;; esac # the tests run in $D
NAMES=(ranges fds maps debug-log percpu ring perf ring-drops perf-drops round-trip sigint trap
	attach sockfilter-close load-fail load-btf hostile-object hang-object checker
	checker-dies-with-host no-checker no-program-left)
read -r -a TESTS <<<"${NAMES[*]} $(printf '%s-interp ' "${NAMES[@]}")"

[ "$(id -u)" -eq 0 ] || skip_all "needs root (loads BPF programs)"
[ -x "$WASMBPF_AOT" ] || fail_all "no driver at $WASMBPF_AOT"
mount_tracefs || skip_all "tracefs is not mounted and cannot be mounted"
mkdir -p "$D"

# ------------------------------------------------------------------ build
# Rebuilt only when a source, the driver or the runtime archive changed.
multiarch=$(gcc -print-multiarch 2>/dev/null || echo "$(uname -m)-linux-gnu")
stamp=$(cat "$SRC"/run.sh "$SRC"/abi.c "$SRC"/nobpf.c "$SRC"/abi-event.h "$SRC"/*.bpf.c "$WASMBPF_AOT" \
	"$WBPF_TOP"/tests/fuzz/mutate.c "$WBPF_TOP"/wasm-sdk/include/wbpf-drops.bpf.h \
	"$WBPF_BUILD"/lib/wasmbpf-aot/libwbpf-rt.a 2>/dev/null | sha256sum | cut -c1-16)
if [ "$(cat "$D/stamp" 2>/dev/null)" != "$stamp" ] || [ ! -x "$D/abi" ]; then
	rm -f "$D/stamp" "$D/abi"
	(
		set -e
		cd "$D"
		for b in abi bad; do
			clang -O2 -g -target bpf -I"/usr/include/$multiarch" -I"$SRC" \
				-I"$WBPF_TOP/wasm-sdk/include" \
				-c "$SRC/$b.bpf.c" -o "$b.bpf.o"
			# the object as a C array, like xxd -i, with od (coreutils)
			{
				echo "unsigned char ${b}_bpf_o[] = {"
				od -An -v -tx1 "$b.bpf.o" | sed 's/ \([0-9a-f][0-9a-f]\)/0x\1,/g'
				echo "};"
				echo "unsigned int ${b}_bpf_o_len = $(stat -c %s "$b.bpf.o");"
			} > "$b.bpf.inc"
		done
		guest_cc "$SRC/abi.c" abi.wasm -I"$SRC" -I"$D"
		# one-byte changes of abi.bpf.o that crash this libbpf in-process,
		# found with a fixed seed (tests/fuzz/mutate.c)
		${CC:-cc} -O2 -std=gnu11 -D_GNU_SOURCE "$WBPF_TOP/tests/fuzz/mutate.c" -o mutate \
			-l:libbpf.a -lelf -lz
		./mutate -q -k 4 abi.bpf.o 1 4000 > mutate.out
		# the object with its first map a typedef of itself: libbpf 1.1 loops
		./mutate -L abi.bpf.o > loop.out
		aot_build abi.wasm abi
		guest_cc "$SRC/nobpf.c" nobpf.wasm
		aot_build nobpf.wasm nobpf
	) >"$D/build.log" 2>&1 || {
		cat "$D/build.log" >&2
		fail_all "build failed (see $D/build.log)"
	}
	echo "$stamp" > "$D/stamp"
fi

# ------------------------------------------------------------------ run
# engine aot|interp: EXE, the command line before the guest's arguments, and
# SFX, the suffix of the test names; NOBPF, the same for nobpf.c
engine() {
	if [ "$1" = aot ]; then
		EXE=(./abi)
		NOBPF=(./nobpf)
		SFX=
	else
		EXE=("$RUN" abi.wasm)
		NOBPF=("$RUN" nobpf.wasm)
		SFX=-interp
	fi
}

# run NAME [ARGS...]: the guest with NAME ARGS; stdout -> $D/NAME$SFX.out,
# stderr -> $D/NAME$SFX.err, $rc
run() {
	local name=$1$SFX
	(cd "$D" && timeout 120 "${EXE[@]}" "$@") >"$D/$name.out" 2>"$D/$name.err"
	rc=$?
}

# verdict NAME [WANT_RC]: the guest's own checks, and its exit code
verdict() {
	local name=$1$SFX want=${2:-0} first
	first=$(grep -m1 '^FAIL' "$D/$name.out")
	if [ -n "$first" ]; then
		fail "$name" "${first#FAIL }"
	elif [ "$rc" -ne "$want" ]; then
		fail "$name" "exit $rc, want $want: $(tail -n1 "$D/$name.err")"
	elif ! grep -q '^ok ' "$D/$name.out"; then
		fail "$name" "no check ran"
	else
		pass "$name"
		return 0
	fi
	{ grep '^FAIL' "$D/$name.out"; tail -n 20 "$D/$name.err"; } | sed "s/^/  $name: /" >&2
	return 1
}

# packet_socks PID: how many AF_PACKET sockets process PID holds
packet_socks() {
	local inodes
	inodes=$(find /proc/"$1"/fd -lname 'socket:*' -printf '%l\n' 2>/dev/null |
		sed 's/^socket:\[\(.*\)\]$/\1/')
	awk 'NR == FNR { s[$1] = 1; next } FNR > 1 && ($9 in s) { n++ } END { print n + 0 }' \
		<(echo "$inodes") /proc/net/packet
}

# wait_line FILE LINE PID: until FILE has LINE (5 s), while PID runs
wait_line() {
	for _ in $(seq 100); do
		grep -qx "$2" "$1" 2>/dev/null && return 0
		kill -0 "$3" 2>/dev/null || break
		sleep 0.05
	done
	grep -qx "$2" "$1" 2>/dev/null
}

# children PID: the pids of PID's children
children() {
	local c
	c=$(cat /proc/"$1"/task/*/children 2>/dev/null)
	echo $c
}

# find_checker PID: ck, PID's child named wbpf-check, and spare, the
# checker's child, once it runs under its filter (5 s): the checker makes its
# spare after the first load, and the spare warms up before its filter
find_checker() {
	local p
	ck= spare=
	for p in $(children "$1"); do
		[ "$(cat /proc/"$p"/comm 2>/dev/null)" = wbpf-check ] && ck=$p
	done
	[ -n "$ck" ] || return 0
	for _ in $(seq 100); do
		spare=$(children "$ck")
		[ -n "$spare" ] && grep -q '^Seccomp:[[:space:]]*2$' \
			/proc/"$spare"/status 2>/dev/null && return 0
		sleep 0.05
	done
}

# checker_test CHANGES: the object checker of a running guest (abi.c,
# test_checker): it holds none of the host's fds, nor does its spare child
# (which runs under seccomp); killed, loads fall back to a child of the host
# and it does not stay a zombie
checker_test() {
	local name=checker$SFX pid ck spare p t why= hostfds
	rm -f "$D/ck.in"
	mkfifo "$D/ck.in"
	(cd "$D" && exec "${EXE[@]}" checker "$1") <"$D/ck.in" >"$D/$name.out" 2>"$D/$name.err" &
	pid=$!
	exec 7>"$D/ck.in"
	if ! wait_line "$D/$name.out" loaded "$pid"; then
		why="the guest did not load: $(tail -n1 "$D/$name.err")"
	else
		find_checker "$pid"
		hostfds=$(find /proc/"$pid"/fd -mindepth 1 -printf '%l\n' | sort -u)
		if [ -z "$ck" ]; then
			why="no child named wbpf-check (children: $(children "$pid"))"
		elif [ -z "$spare" ]; then
			why="the checker $ck has no spare child"
		elif ! grep -q '^Seccomp:[[:space:]]*2$' /proc/"$spare"/status; then
			why="the spare $spare runs without a seccomp filter"
		elif ! grep -q anon_inode: <<<"$hostfds"; then
			why="the host holds no map or epoll fd to look for: $(echo $hostfds)"
		fi
		for p in $ck $spare; do
			[ -z "$why" ] || break
			for t in $(find /proc/"$p"/fd -mindepth 1 -printf '%l\n'); do
				if [ "$t" != /dev/null ] && grep -qxF "$t" <<<"$hostfds"; then
					why="process $p holds the host's $t"
				elif [[ $t == anon_inode:* ]]; then
					why="process $p holds $t"
				fi
			done
		done
		if [ -n "$ck" ]; then
			kill -KILL "$ck"
			# the load below is to find it dead, not dying: a kill
			# takes effect some time after kill(1) returns
			for _ in $(seq 100); do
				grep -q '^State:[[:space:]]*Z' /proc/"$ck"/status 2>/dev/null && break
				sleep 0.05
			done
		fi
	fi
	echo go >&7
	if [ -z "$why" ] && ! wait_line "$D/$name.out" reloaded "$pid"; then
		why="no load after the checker was killed: $(tail -n1 "$D/$name.err")"
	elif [ -z "$why" ] && [ -e /proc/"$ck" ]; then
		why="the killed checker $ck is still there: $(grep State: /proc/"$ck"/status)"
	fi
	echo go >&7
	exec 7>&-
	wait "$pid"
	rc=$?
	if [ -n "$why" ]; then
		fail "$name" "$why"
	elif [ "$1" = none ] && [ -s "$D/$name.err" ]; then
		fail "$name" "want nothing on stderr: $(head -c 300 "$D/$name.err")"
	elif [ "$1" != none ] && { [ "$(grep -c . "$D/$name.err")" -ne 1 ] ||
		! grep -q '^abi: bpf object rejected: libbpf crashed parsing it (SIG[A-Z]*)$' \
			"$D/$name.err"; }; then
		fail "$name" "want one 'rejected: libbpf crashed' line on stderr: $(head -c 300 "$D/$name.err")"
	else
		verdict checker
	fi
}

# gone PID: PID ended (no such process, or a zombie left to init) within 2 s
gone() {
	for _ in $(seq 40); do
		grep -q '^State:[[:space:]]*[RSD]' /proc/"$1"/status 2>/dev/null || return 0
		sleep 0.05
	done
	return 1
}

# The host killed with SIGKILL (no clean-up of its own): its checker and the
# checker's spare end too
checker_death_test() {
	local name=checker-dies-with-host$SFX pid ck= spare= p why=
	rm -f "$D/ckd.in"
	mkfifo "$D/ckd.in"
	(cd "$D" && exec "${EXE[@]}" checker "$1") <"$D/ckd.in" >"$D/$name.out" 2>"$D/$name.err" &
	pid=$!
	exec 7>"$D/ckd.in"
	if wait_line "$D/$name.out" loaded "$pid"; then
		find_checker "$pid"
	fi
	kill -KILL "$pid"
	exec 7>&-
	wait "$pid" 2>/dev/null
	if [ -z "$ck" ] || [ -z "$spare" ]; then
		why="no checker and spare found (checker '$ck', spare '$spare'): $(tail -n1 "$D/$name.err")"
	elif ! gone "$ck"; then
		why="the checker $ck still runs after the host was killed"
	elif ! gone "$spare"; then
		why="the spare $spare still runs after the host was killed"
	fi
	if [ -n "$why" ]; then
		fail "$name" "$why"
	else
		pass "$name"
	fi
}

# A module that cannot load an object gets no checker: no child process
no_checker_test() {
	local name=no-checker$SFX pid kids
	rm -f "$D/nock.in"
	mkfifo "$D/nock.in"
	(cd "$D" && exec "${NOBPF[@]}") <"$D/nock.in" >"$D/$name.out" 2>"$D/$name.err" &
	pid=$!
	exec 7>"$D/nock.in"
	wait_line "$D/$name.out" waiting "$pid"
	kids=$(children "$pid")
	echo go >&7
	exec 7>&-
	wait "$pid"
	rc=$?
	if [ -n "$kids" ]; then
		fail "$name" "the host has child processes: $kids"
	else
		verdict no-checker
	fi
}

progs_left() {
	bpftool prog show 2>/dev/null | grep -c 'name wbpf_abi_'
}

ncpus=$(awk -F, '{ n = 0; for (i = 1; i <= NF; i++) { split($i, r, "-");
	n += (r[2] == "" ? 1 : r[2] - r[1] + 1) } print n }' /sys/devices/system/cpu/possible)
cgroup=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/mounts)
if [ -z "$cgroup" ]; then
	mkdir -p "$D/cgroup2"
	mount -t cgroup2 none "$D/cgroup2" 2>/dev/null && cgroup=$D/cgroup2
fi
libc=$(ldd /bin/true | awk '/libc\.so/ { print $3 }')

# every test, under the engine engine() chose
run_all() {
	local left before after pid line

	left=$(progs_left)
	if [ "$left" -ne 0 ]; then
		echo "abi: $left wbpf_abi_* programs already loaded before the tests$SFX" >&2
	fi

	run ranges; verdict ranges
	run fds; verdict fds
	run maps; verdict maps

	# libbpf's debug log only with WASMBPF_DEBUG set
	(cd "$D" && WASMBPF_DEBUG=1 timeout 60 "${EXE[@]}" maps) >/dev/null \
		2>"$D/debug-log$SFX.err"
	if grep -q 'libbpf:' "$D/maps$SFX.err"; then
		line=$(grep -m1 libbpf: "$D/maps$SFX.err")
		fail debug-log$SFX "libbpf lines on stderr without WASMBPF_DEBUG: $line"
	elif ! grep -q "^abi: libbpf: loading object 'abi'" "$D/debug-log$SFX.err"; then
		fail debug-log$SFX "no libbpf debug log with WASMBPF_DEBUG=1"
	else
		pass debug-log$SFX
	fi

	run percpu "$ncpus"; verdict percpu

	run ring 2000; verdict ring
	# one CPU, so that the perf buffer's per-CPU rings keep one global order
	if command -v taskset >/dev/null; then
		(cd "$D" && timeout 120 taskset -c 0 "${EXE[@]}" perf 2000) >"$D/perf$SFX.out" \
			2>"$D/perf$SFX.err"
		rc=$?
		verdict perf
	else
		skip perf$SFX "taskset not found (one CPU is needed for one global order)"
	fi

	# Lost events (wbpf-drops.bpf.h, and the host's perf loss lines): far
	# more events than the buffer holds, caused while nobody polls
	run ring-drops 6000; verdict ring-drops
	if command -v taskset >/dev/null; then
		(cd "$D" && timeout 120 taskset -c 0 "${EXE[@]}" perf-drops 6000) \
			>"$D/perf-drops$SFX.out" 2>"$D/perf-drops$SFX.err"
		rc=$?
		dropped=$(awk '$1 == "caused" { print $6 }' "$D/perf-drops$SFX.out")
		lost=$(awk '/^abi: lost [0-9]+ perf buffer samples on CPU [0-9]+$/ { n += $3 }
			END { print n + 0 }' "$D/perf-drops$SFX.err")
		total=$(awk '/^abi: lost [0-9]+ perf buffer samples in total$/ { print $3 }' \
			"$D/perf-drops$SFX.err")
		if verdict perf-drops >/dev/null 2>&1; then
			if [ "$lost" != "$dropped" ] || [ "$total" != "$dropped" ]; then
				fail perf-drops$SFX "host reported $lost lost per CPU, $total in total; the BPF side counted $dropped"
			else
				pass perf-drops$SFX
			fi
		else
			verdict perf-drops
		fi
	else
		skip perf-drops$SFX "taskset not found (one CPU is needed to fill one ring)"
	fi

	run round-trip; verdict round-trip

	# SIGINT while blocked in a poll without timeout: the poll returns -EINTR,
	# main returns, and everything printed reaches the file.
	(cd "$D" && exec "${EXE[@]}" sigint) >"$D/sigint$SFX.out" 2>"$D/sigint$SFX.err" &
	pid=$!
	for _ in $(seq 100); do
		grep -q '^waiting' "$D/sigint$SFX.out" 2>/dev/null && break
		sleep 0.05
	done
	sleep 0.3
	kill -INT "$pid"
	for _ in $(seq 100); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.05
	done
	kill -KILL "$pid" 2>/dev/null
	wait "$pid"
	rc=$?
	if grep -q '^end$' "$D/sigint$SFX.out"; then
		verdict sigint
	else
		fail sigint$SFX "output after the stop request lost (exit $rc)"
	fi

	# A trap inside the callback ends the program: message, exit 134, nothing left
	before=$(progs_left)
	run trap
	after=$(progs_left)
	if [ "$rc" -ne 134 ]; then
		fail trap$SFX "exit $rc, want 134"
	elif ! grep -q '^abi: wasm trap: ' "$D/trap$SFX.err"; then
		fail trap$SFX "no 'abi: wasm trap: ' line on stderr: $(head -n1 "$D/trap$SFX.err")"
	elif ! grep -q '^callback reached' "$D/trap$SFX.out"; then
		fail trap$SFX "the callback never ran"
	elif [ "$after" -ne "$before" ]; then
		fail trap$SFX "$((after - before)) program(s) still loaded after the trap"
	else
		pass trap$SFX
	fi

	if [ -z "$cgroup" ]; then
		skip attach$SFX "no cgroup2 mount"
	elif [ ! -f "$libc" ]; then
		skip attach$SFX "libc not found for the uprobe target"
	else
		run attach "$cgroup" "$libc"
		# the socket filter's missing interface, said in one line
		if verdict attach >/dev/null 2>&1 &&
			! grep -q "'wbpf_abi_sockfilter' to 'nosuchif0': No such device\$" \
				"$D/attach$SFX.err"; then
			fail attach$SFX "no line naming the missing interface of the socket filter: $(grep -m1 nosuchif0 "$D/attach$SFX.err")"
		else
			verdict attach
		fi
	fi

	# A socket filter's socket is its link: closing the object closes it.
	# The guest stops at each line until this side has counted.
	rm -f "$D/sfc.in"
	mkfifo "$D/sfc.in"
	(cd "$D" && exec "${EXE[@]}" sockfilter-close) <"$D/sfc.in" \
		>"$D/sockfilter-close$SFX.out" 2>"$D/sockfilter-close$SFX.err" &
	pid=$!
	exec 7>"$D/sfc.in"
	attached=none closed=none
	for want in attached closed; do
		for _ in $(seq 100); do
			grep -q "^$want\$" "$D/sockfilter-close$SFX.out" 2>/dev/null && break
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.05
		done
		grep -q "^$want\$" "$D/sockfilter-close$SFX.out" 2>/dev/null || break
		n=$(packet_socks "$pid")
		if [ $want = attached ]; then attached=$n; else closed=$n; fi
		echo go >&7
	done
	exec 7>&-
	wait "$pid"
	rc=$?
	if [ "$attached" != 2 ] || [ "$closed" != 0 ]; then
		fail sockfilter-close$SFX "packet sockets of the process: $attached attached (want 2), $closed after close (want 0); exit $rc: $(tail -n1 "$D/sockfilter-close$SFX.err")"
	else
		verdict sockfilter-close
	fi

	run load-fail
	if verdict load-fail >/dev/null 2>&1; then
		if ! grep -q '^abi: failed to load BPF object: ' "$D/load-fail$SFX.err"; then
			fail load-fail$SFX "no summary line on stderr"
		elif ! grep -q "invalid mem access 'map_value_or_null'" "$D/load-fail$SFX.err"; then
			fail load-fail$SFX "the verifier's reason is not on stderr"
		elif grep -q 'needs root' "$D/load-fail$SFX.err"; then
			fail load-fail$SFX "a verifier refusal is blamed on privileges"
		else
			pass load-fail$SFX
		fi
	else
		verdict load-fail
	fi

	# A custom BTF (WASMBPF_BTF): one that cannot be used fails every load with
	# one line naming the setting, and the guest reads why (ENOENT, EINVAL); a
	# copy of the kernel's loads (see docs/abi.md, section "BTF")
	local why= c f e msg want first
	cp /sys/kernel/btf/vmlinux "$D/vmlinux.btf" 2>/dev/null || rm -f "$D/vmlinux.btf"
	printf 'not BTF at all\n' >"$D/garbage.btf"
	for c in "missing.btf 2 No such file or directory" \
		"garbage.btf 22 not raw BTF or an ELF file with a .BTF section" "vmlinux.btf 0"; do
		read -r f e msg <<<"$c"
		[ "$f" = vmlinux.btf ] && [ ! -f "$D/vmlinux.btf" ] && continue
		WASMBPF_BTF=$D/$f run load-btf "$e"
		first=$(grep -m1 '^FAIL' "$D/load-btf$SFX.out")
		if [ -n "$first" ] || [ "$rc" -ne 0 ] || ! grep -q '^ok ' "$D/load-btf$SFX.out"; then
			why="$f: exit $rc, ${first:-$(tail -n1 "$D/load-btf$SFX.err")}"
			break
		fi
		want=
		[ "$e" = 0 ] || want=$(printf 'abi: WASMBPF_BTF=%s: cannot read BTF: %s\n' \
			"$D/$f" "$msg" "$D/$f" "$msg")
		if [ "$(cat "$D/load-btf$SFX.err")" != "$want" ]; then
			why="$f: stderr '$(head -c 400 "$D/load-btf$SFX.err")', want one line a load: '$want'"
			break
		fi
	done
	if [ -n "$why" ]; then
		fail load-btf$SFX "$why"
	else
		pass load-btf$SFX
	fi

	# Objects that crash libbpf in-process: refused, one line each, and the
	# host lives on (before the check, the host died of SIGSEGV).
	mapfile -t crashes < <(awk '$1 == "crash" { print $2 ":" $3 }' "$D/mutate.out")
	if [ "${#crashes[@]}" -eq 0 ]; then
		skip hostile-object$SFX "no one-byte change of abi.bpf.o crashes this libbpf ($(tail -n1 "$D/mutate.out"))"
	else
		run hostile "${crashes[@]}"
		# one line per refused object: the crashes, then the truncated one
		lines=$(grep -c . "$D/hostile$SFX.err")
		crashed=$(grep -c '^abi: bpf object rejected: libbpf crashed parsing it (SIG[A-Z]*)$' \
			"$D/hostile$SFX.err")
		refused=$(grep -c '^abi: bpf object rejected: [^ ].*[^ ]$' "$D/hostile$SFX.err")
		if verdict hostile >/dev/null 2>&1; then
			if [ "$crashed" -ne "${#crashes[@]}" ] || [ "$refused" -ne $((crashed + 1)) ] ||
				[ "$lines" -ne "$refused" ]; then
				fail hostile-object$SFX "$crashed crash and $refused 'rejected' lines in $lines on stderr, want ${#crashes[@]} and $((${#crashes[@]} + 1)): $(tail -n1 "$D/hostile$SFX.err")"
			else
				pass hostile-object$SFX
			fi
		else
			fail hostile-object$SFX "exit $rc: $(grep -m1 '^FAIL' "$D/hostile$SFX.out") $(tail -n1 "$D/hostile$SFX.err")"
		fi
	fi

	# An object that makes libbpf loop: refused when the check's CPU runs out
	loop=$(awk '$1 == "loop" && $3 == "XCPU" { print $2 }' "$D/loop.out")
	if [ -z "$loop" ]; then
		skip hang-object$SFX "this libbpf does not loop on a map that is a typedef of itself: $(cat "$D/loop.out")"
	else
		run hostile "$loop"
		hung=$(grep -c '^abi: bpf object rejected: libbpf did not finish parsing it in 2 s of CPU (SIGXCPU)$' \
			"$D/hostile$SFX.err")
		refused=$(grep -c '^abi: bpf object rejected: [^ ].*[^ ]$' "$D/hostile$SFX.err")
		lines=$(grep -c . "$D/hostile$SFX.err")
		if verdict hostile >/dev/null 2>&1; then
			if [ "$hung" -ne 1 ] || [ "$refused" -ne 2 ] || [ "$lines" -ne 2 ]; then
				fail hang-object$SFX "$hung CPU-limit and $refused 'rejected' lines in $lines on stderr, want 1 and 2: $(head -n1 "$D/hostile$SFX.err")"
			else
				pass hang-object$SFX
			fi
		else
			fail hang-object$SFX "exit $rc: $(grep -m1 '^FAIL' "$D/hostile$SFX.out") $(tail -n1 "$D/hostile$SFX.err")"
		fi
	fi

	# without a crashing object ("none"), the loads after the kill still count
	checker_test "${crashes[0]:-none}"
	checker_death_test "${crashes[0]:-none}"
	no_checker_test

	left=$(progs_left)
	if [ "$left" -ne 0 ]; then
		fail no-program-left$SFX "$left wbpf_abi_* programs still loaded"
		bpftool prog show | grep -A2 'name wbpf_abi_' >&2
	else
		pass no-program-left$SFX
	fi
}

engine aot
run_all
engine interp
if [ -x "$RUN" ]; then
	run_all
else
	for t in "${NAMES[@]}"; do
		fail "$t-interp" "no $RUN (make builds it)"
	done
fi
exit 0
